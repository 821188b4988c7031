#pragma once
// Runs one coroutine to completion on `ioc` (the caller's thread) and returns its result;
// rethrows what escaped it. For tests of code written as awaitables.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <optional>
#include <utility>

namespace voxo::test {

template <class T>
T run_awaitable(boost::asio::io_context& ioc, boost::asio::awaitable<T> work) {
  std::optional<T> out;
  std::exception_ptr failure;
  boost::asio::co_spawn(ioc, std::move(work), [&](std::exception_ptr e, T value) {
    if (e) failure = e;
    else out.emplace(std::move(value));
  });
  ioc.restart();
  ioc.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

}  // namespace voxo::test
