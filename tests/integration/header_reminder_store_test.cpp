// Proves storage/reminder_store.hpp compiles on its own (STYLE 9: one TU per public header).
#include "storage/reminder_store.hpp"
