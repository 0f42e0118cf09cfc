// Proves storage/update_store.hpp compiles on its own (STYLE 9: one TU per public header).
#include "storage/update_store.hpp"
