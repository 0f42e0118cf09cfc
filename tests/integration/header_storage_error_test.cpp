// Proves storage/storage_error.hpp compiles on its own (STYLE 9: one TU per public header).
#include "storage/storage_error.hpp"
