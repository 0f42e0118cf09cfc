// Proves storage/update_log.hpp compiles on its own (STYLE 9: one TU per public header).
#include "storage/update_log.hpp"
