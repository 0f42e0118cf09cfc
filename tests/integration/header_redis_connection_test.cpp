// Proves storage/redis_connection.hpp compiles on its own (STYLE 9: one TU per public header).
#include "storage/redis_connection.hpp"
