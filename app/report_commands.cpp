// `loket reports …`: the back office on the command line (wiring to reports::ReportService).
#include <ctime>
#include <iostream>

#include "app/commands.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/time_format.hpp"
#include "reports/report_service.hpp"
#include "store/store.hpp"

namespace app {

namespace {

constexpr int kOk = 0, kFailure = 1, kUsage = 2;
constexpr const char* kUsageText =
    "usage: loket reports list [--status S] [--category C] [--region R] [--since YYYY-MM-DD]\n"
    "       loket reports show REF\n"
    "       loket reports export --format csv|json [--include-contact] [filters as for list]\n"
    "       loket reports status REF received|in_progress|referred|closed [--note TEXT]\n";

int Fail(const std::string& message) {
  std::cerr << "loket: " << message << "\n";
  return kFailure;
}

std::string Date(int64_t ms) { return core::FormatUtc(ms, "%Y-%m-%d %H:%M"); }

}  // namespace

int RunReports(const core::Config& config, const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << kUsageText;
    return kUsage;
  }
  store::ReportFilter filter;
  std::string format, note;
  bool include_contact = false;
  std::vector<std::string> positional;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string { return i + 1 < args.size() ? args[++i] : ""; };
    if (a == "--status") filter.status = value();
    else if (a == "--category") filter.category = value();
    else if (a == "--region") filter.region = value();
    else if (a == "--since") {
      auto since = reports::ParseDate(value());
      if (!since.ok()) {
        std::cerr << "loket reports: " << since.error().message << "\n";
        return kUsage;
      }
      filter.since_ms = *since;
    } else if (a == "--format") format = value();
    else if (a == "--note") note = value();
    else if (a == "--include-contact") include_contact = true;
    else if (a.rfind("--", 0) == 0) {
      std::cerr << "loket reports: unknown option " << a << "\n" << kUsageText;
      return kUsage;
    } else positional.push_back(a);
  }
  auto store = store::Store::Open(config.db_path);
  if (!store.ok()) return Fail(store.error().message);
  auto key = core::DataKey::Load(config.data_key, config.data_key_file);
  auto localizer = locales::Localizer::Load();
  if (!localizer.ok()) return Fail(localizer.error().message);
  core::SystemClock clock;
  reports::ReportService service(**store, key.ok() ? &*key : nullptr, *localizer, clock);
  const std::string actor = "cli:" + std::string(std::getenv("USER") != nullptr ? std::getenv("USER") : "operator");
  const std::string& sub = args[0];

  if (sub == "list" && positional.empty()) {
    auto list = service.List(filter, actor);
    if (!list.ok()) return Fail(list.error().message);
    for (const auto& r : *list) {
      std::cout << r.ref << "  " << Date(r.created_ms) << "  " << r.status << "  " << r.category << "  "
                << (r.region.empty() ? "-" : r.region) << "  " << r.queue << (r.urgent ? "  URGENT" : "")
                << (r.anonymous ? "  anonymous" : "") << "\n";
    }
    std::cerr << list->size() << " reports\n";
    return kOk;
  }
  if (sub == "show" && positional.size() == 1) {
    if (!key.ok()) std::cerr << "note: " << key.error().message << " (contact details stay encrypted)\n";
    auto view = service.Show(positional[0], actor);
    if (!view.ok()) return Fail(view.error().message);
    const auto& r = view->report;
    std::cout << "Reference:      " << r.ref << (r.urgent ? "  (URGENT)" : "") << "\n"
              << "Received:       " << Date(r.created_ms) << " via " << r.channel << " in " << r.lang << "\n"
              << "Status:         " << r.status << "   queue: " << r.queue << "\n"
              << "Category:       " << r.category << "\n"
              << "Where:          " << (r.municipality.empty() ? "unknown" : r.municipality) << " ("
              << (r.region.empty() ? "-" : r.region) << ")  " << r.address << "\n"
              << "Who:            " << r.responsible << "\n"
              << "When:           " << r.started << "   still going on: " << r.ongoing << "   others: " << r.others << "\n"
              << "Evidence:       " << r.evidence << "\n"
              << "Contact:        " << (r.anonymous ? "anonymous" : view->contact + " (" + r.contact_lang + ")") << "\n"
              << "What happened:\n" << r.description << "\n\nHistory:\n";
    for (const auto& h : view->history) {
      std::cout << "  " << Date(h.ts_ms) << "  " << h.status << "  by " << h.actor << (h.note.empty() ? "" : "  — " + h.note) << "\n";
    }
    return kOk;
  }
  if (sub == "export" && positional.empty()) {
    if (format.empty()) {
      std::cerr << "loket reports export: --format csv|json is required\n";
      return kUsage;
    }
    if (include_contact && !key.ok()) return Fail(key.error().message);
    auto out = service.Export(filter, format, include_contact, actor);
    if (!out.ok()) return Fail(out.error().message);
    std::cout << *out;
    return kOk;
  }
  if (sub == "status" && positional.size() == 2) {
    auto r = service.SetStatus(positional[0], positional[1], note, actor);
    if (!r.ok()) return Fail(r.error().message);
    std::cout << positional[0] << " is now " << positional[1] << "\n";
    return kOk;
  }
  std::cerr << kUsageText;
  return kUsage;
}

}  // namespace app
