// The Boost.Test main of every test executable; BOOST_TEST_MODULE is set per executable by CMake.
#include <boost/test/unit_test.hpp>
