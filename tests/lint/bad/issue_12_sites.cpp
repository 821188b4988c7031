// Not compiled: the co_await operands check_co_await_operands.py must reject (each was in
// src/ before issue #12). The test co_await_operands_rejects_these expects its 5 findings.
net::awaitable<void> collector::poll(tenant_state& t) {
  try {
    reply.emplace(co_await fetch({t.cfg.scope, chunk}, sink));
  } catch (const std::exception& e) {
  }
  auto reply = co_await authorized(http::verb::get, url_.base_path + "/tenants",
                                   collect_into(body, options_.max_response_bytes), options_.max_response_bytes);
  co_await serve_connection(s, std::move(socket));
  co_await conn.run([=](auto& s) { return http::async_write(s, req, nothrow_awaitable); });
}
