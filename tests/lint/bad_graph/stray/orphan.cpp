// A folder of src/ that is no part (8).
#include "low/base.hpp"
