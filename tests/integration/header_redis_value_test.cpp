// Proves storage/redis_value.hpp compiles on its own (STYLE 9: one TU per public header).
#include "storage/redis_value.hpp"
