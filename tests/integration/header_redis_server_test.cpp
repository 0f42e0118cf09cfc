// Proves tests/support/redis_server.hpp compiles on its own.
#include "tests/support/redis_server.hpp"
