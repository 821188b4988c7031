// Separate compilation of Asio and Beast: their implementation is compiled once here
// instead of in every translation unit that includes them (see BOOST_*_SEPARATE_COMPILATION).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
