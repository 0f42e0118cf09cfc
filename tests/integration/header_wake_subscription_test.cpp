// Proves storage/wake_subscription.hpp compiles on its own (STYLE 9: one TU per public header).
#include "storage/wake_subscription.hpp"
