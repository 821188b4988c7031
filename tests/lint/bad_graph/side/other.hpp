#pragma once
#include "low/base.hpp"  // fine: side links low PUBLIC
