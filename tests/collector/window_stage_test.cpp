#include <boost/test/unit_test.hpp>

#include "collector/tenant_book.hpp"
#include "collector/window_stage.hpp"
#include "support/fake_api_client.hpp"

namespace {
using namespace voxo;
using namespace std::chrono_literals;
const std::chrono::sys_seconds t0{std::chrono::seconds(1'700'000'000)};
const api::time_window window{t0, t0 + 1h};

metrics::exporter_metrics::options no_process_metrics() {
  metrics::exporter_metrics::options o;
  o.process_metrics = false;
  return o;
}

api::cdr billed(std::string id, std::optional<std::string> billing_id) {
  auto r = test::make_cdr(std::move(id), t0 + 1min);
  r.billing_id = std::move(billing_id);
  return r;
}

// One tenant in a book, as the collector has it (partner-wide or not).
struct book_fixture {
  metrics::exporter_metrics metrics{no_process_metrics()};
  config::config cfg;
  std::unique_ptr<collector::tenant_book> book;
  std::shared_ptr<collector::tenant_state> t;

  explicit book_fixture(bool partner_wide) {
    if (partner_wide) {
      cfg.partner.enabled = true;
      cfg.partner.accounts = {{api::billing_code_scope{"B101"}, "B101", "Acme"}};
      cfg.tenants = {{api::partner_scope{}, "partner", ""}};
    } else {
      cfg.tenants = {{api::tenant_scope{7}, "7", ""}};
    }
    book = std::make_unique<collector::tenant_book>(metrics, cfg);
    t = book->add(cfg.tenants.front(), false);
  }
  std::unique_ptr<collector::window_stage> stage() {
    return collector::make_stage(*t, window, book->accounts(), metrics, 1h);
  }
  std::uint64_t calls_of(const std::string& label) {
    return label == t->cfg.label ? t->metrics->totals().total_calls()
                                 : book->accounts().series().at(label)->totals().total_calls();
  }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(window_stage)

BOOST_AUTO_TEST_CASE(a_plain_stage_commits_every_record_and_id_to_its_tenant) {
  book_fixture f(false);
  auto stage = f.stage();
  stage->sink().on_record(billed("a", "B101"));
  stage->sink().on_record(billed("b", std::nullopt));
  stage->commit(*f.t);
  BOOST_TEST(f.calls_of("7") == 2u);
  BOOST_TEST(f.t->metrics->counts().records == 2u);
  BOOST_TEST(f.t->seen.contains("a"));
  BOOST_TEST(f.book->accounts().series().empty());
}

BOOST_AUTO_TEST_CASE(a_partner_stage_commits_each_record_to_the_account_it_names) {
  book_fixture f(true);
  auto stage = f.stage();
  stage->sink().on_record(billed("a", "B101"));
  stage->sink().on_record(billed("b", "B202"));
  stage->sink().on_record(billed("c", std::nullopt));
  stage->commit(*f.t);
  BOOST_TEST(f.calls_of("B101") == 1u);
  BOOST_TEST(f.calls_of("B202") == 1u);
  BOOST_TEST(f.calls_of("partner") == 1u);
  BOOST_TEST(f.t->seen.contains("b"));  // one dedupe set for the whole partner
}

BOOST_AUTO_TEST_CASE(a_stage_that_is_not_committed_leaves_the_tenant_and_its_accounts_untouched) {
  book_fixture f(true);
  {
    auto stage = f.stage();
    stage->sink().on_record(billed("a", "B202"));
  }  // the reply failed: the stage is dropped
  BOOST_TEST(f.calls_of("partner") == 0u);
  BOOST_TEST(!f.t->seen.contains("a"));
  BOOST_TEST(f.book->accounts().series().empty());
}

BOOST_AUTO_TEST_SUITE_END()
