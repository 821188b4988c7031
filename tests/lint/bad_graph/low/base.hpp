#pragma once
#include "mid/thing.hpp"  // upward include (3)
