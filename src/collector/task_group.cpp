#include "collector/task_group.hpp"

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include "util/log.hpp"

namespace voxo::collector {

namespace detail {

void log_coroutine_end(std::exception_ptr e, const char* what, const std::string& tenant) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const boost::system::system_error& se) {
    if (se.code() == boost::asio::error::operation_aborted)
      log::debug("coroutine cancelled", {{"task", what}, {"tenant", tenant}});
    else log::error("coroutine failed", {{"task", what}, {"tenant", tenant}, {"err", se.what()}});
  } catch (const std::exception& ex) {
    log::error("coroutine failed", {{"task", what}, {"tenant", tenant}, {"err", ex.what()}});
  } catch (...) {
    log::error("coroutine failed", {{"task", what}, {"tenant", tenant}, {"err", "unknown"}});
  }
}

}  // namespace detail

void task_group::cancel() {
  stopped_ = true;
  for (auto& s : *signals_) s.emit(boost::asio::cancellation_type::terminal);
}

}  // namespace voxo::collector
