#pragma once
// The awaitable helpers the coroutines in src/ share, so each is defined (and spelled) once.
//
// nothrow_awaitable: `auto [ec, n] = co_await op(..., nothrow_awaitable);` hands the error back
// as the first tuple element instead of throwing it. I/O errors and cancellations are ordinary
// outcomes below the API boundary (result values, not exceptions), and a coroutine never lets
// an exception kill the process. A named constant, not `as_tuple(use_awaitable)` spelled in the
// operand, also keeps co_await operands free of temporaries (the "Coroutines" rule in
// src/collector/collector.hpp).

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace voxo::util {

inline constexpr auto nothrow_awaitable = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace voxo::util
