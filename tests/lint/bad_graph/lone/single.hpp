#pragma once
#include "high/top.hpp"  // upward include (6)
