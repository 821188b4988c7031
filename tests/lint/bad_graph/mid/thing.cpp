#include "mid/thing.hpp"
#include "side/other.hpp"  // side is on mid's own layer (5)
