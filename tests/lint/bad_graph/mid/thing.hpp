#pragma once
#include "low/base.hpp"  // a header's include, but mid links low PRIVATE (4)
