// Proves storage/keys.hpp compiles on its own (STYLE 9: one TU per public header).
#include "storage/keys.hpp"
