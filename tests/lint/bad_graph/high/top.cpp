#include "high/top.hpp"
#include "low/base.hpp"     // fine: through side's PUBLIC link to low
#include "mid/thing.hpp"    // fine
#include "side/other.hpp"   // fine
#include "lone/single.hpp"  // high does not link lone (7)
