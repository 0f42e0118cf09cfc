// Proves storage/redis_url.hpp compiles on its own (STYLE 9: one TU per public header).
#include "storage/redis_url.hpp"
