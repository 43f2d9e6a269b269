#include "reports/report_service.hpp"

#include <ctime>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/time_format.hpp"
#include "store/conversations.hpp"
#include "store/messages.hpp"
#include "store/outbox.hpp"

namespace reports {

using nlohmann::json;

namespace {

std::string Csv(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  return out + "\"";
}

std::string Iso(int64_t ms) { return core::FormatUtc(ms, "%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace

core::Result<int64_t> ParseDate(const std::string& date) {
  std::tm tm{};
  if (date.size() != 10 || strptime(date.c_str(), "%Y-%m-%d", &tm) == nullptr) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "dates are YYYY-MM-DD, got '" + date + "'");
  }
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

ReportService::ReportService(store::Store& store, const core::DataKey* data_key,
                             std::shared_ptr<const locales::Localizer> localizer, core::Clock& clock)
    : store_(store), data_key_(data_key), loc_(std::move(localizer)), clock_(clock) {}

std::string ReportService::Contact(const store::Report& r) const {
  if (r.anonymous || r.contact_enc.empty() || data_key_ == nullptr) return "";
  auto plain = data_key_->Decrypt(r.contact_enc);
  return plain.ok() ? *plain : "(cannot decrypt: wrong data key)";
}

core::Result<std::vector<store::Report>> ReportService::List(const store::ReportFilter& filter, const std::string& actor) {
  std::vector<store::Report> out;
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto list = store::reports::List(db, filter);
    if (!list.ok()) return list.error();
    out = std::move(*list);
    return {};
  });
  if (!r.ok()) return r.error();
  auto audit = store_.Write([&](store::Database& db) {
    return store::audit::Append(db, clock_.NowMs(), actor, "report.list", "", "count=" + std::to_string(out.size()));
  });
  if (!audit.ok()) return audit.error();
  return out;
}

core::Result<ReportView> ReportService::Show(const std::string& ref, const std::string& actor) {
  ReportView view;
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto rep = store::reports::Get(db, ref);
    if (!rep.ok()) return rep.error();
    view.report = std::move(*rep);
    auto history = store::reports::History(db, view.report.id);
    if (!history.ok()) return history.error();
    view.history = std::move(*history);
    return {};
  });
  if (!r.ok()) return r.error();
  view.contact = Contact(view.report);
  auto audit = store_.Write([&](store::Database& db) {
    return store::audit::Append(db, clock_.NowMs(), actor, "report.view", ref, "");
  });
  if (!audit.ok()) return audit.error();
  return view;
}

core::Result<std::string> ReportService::Export(const store::ReportFilter& filter, const std::string& format,
                                                bool include_contact, const std::string& actor) {
  if (format != "csv" && format != "json") {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "format must be csv or json");
  }
  std::vector<store::Report> list;
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto l = store::reports::List(db, filter);
    if (!l.ok()) return l.error();
    list = std::move(*l);
    return {};
  });
  if (!r.ok()) return r.error();
  std::ostringstream out;
  json arr = json::array();
  if (format == "csv") {
    out << "ref,created,status,category,municipality,region,queue,urgent,anonymous,lang,channel,started,ongoing,others,"
           "responsible,address,description"
        << (include_contact ? ",contact,contact_lang" : "") << "\r\n";
  }
  for (const auto& rep : list) {
    if (format == "csv") {
      out << Csv(rep.ref) << "," << Iso(rep.created_ms) << "," << rep.status << "," << rep.category << ","
          << Csv(rep.municipality) << "," << rep.region << "," << rep.queue << "," << (rep.urgent ? 1 : 0) << ","
          << (rep.anonymous ? 1 : 0) << "," << rep.lang << "," << rep.channel << "," << Csv(rep.started) << ","
          << Csv(rep.ongoing) << "," << Csv(rep.others) << "," << Csv(rep.responsible) << "," << Csv(rep.address) << ","
          << Csv(rep.description);
      if (include_contact) out << "," << Csv(Contact(rep)) << "," << rep.contact_lang;
      out << "\r\n";
    } else {
      json j = {{"ref", rep.ref}, {"created", Iso(rep.created_ms)}, {"status", rep.status}, {"category", rep.category},
                {"municipality", rep.municipality}, {"region", rep.region}, {"queue", rep.queue}, {"urgent", rep.urgent},
                {"anonymous", rep.anonymous}, {"lang", rep.lang}, {"channel", rep.channel}, {"started", rep.started},
                {"ongoing", rep.ongoing}, {"others", rep.others}, {"responsible", rep.responsible},
                {"address", rep.address}, {"description", rep.description},
                {"evidence", json::parse(rep.evidence, nullptr, false)}};
      if (include_contact) {
        j["contact"] = Contact(rep);
        j["contact_lang"] = rep.contact_lang;
      }
      arr.push_back(j);
    }
  }
  auto audit = store_.Write([&](store::Database& db) {
    return store::audit::Append(db, clock_.NowMs(), actor, "report.export", "",
                                "format=" + format + " count=" + std::to_string(list.size()) +
                                    (include_contact ? " with_contact" : ""));
  });
  if (!audit.ok()) return audit.error();
  if (format == "json") return arr.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  return out.str();
}

core::Result<void> ReportService::SetStatus(const std::string& ref, const std::string& status, const std::string& note,
                                            const std::string& actor) {
  int64_t now = clock_.NowMs();
  return store_.Write([&](store::Database& db) -> core::Result<void> {
    auto rep = store::reports::Get(db, ref);
    if (!rep.ok()) return rep.error();
    auto set = store::reports::SetStatus(db, rep->id, status, note, actor, now);
    if (!set.ok()) return set;
    auto audit = store::audit::Append(db, now, actor, "report.status", ref, "status=" + status);
    if (!audit.ok()) return audit;
    if (rep->anonymous || rep->conversation_id == 0) return {};
    // Tell the reporter, in their language, through the conversation they used.
    auto conversation = store::conversations::Get(db, rep->conversation_id);
    if (!conversation.ok()) return {};
    std::string lang = rep->contact_lang.empty() ? rep->lang : rep->contact_lang;
    store::StoredMessage m;
    m.conversation_id = conversation->id;
    m.direction = "out";
    m.sender = "system";
    m.text = loc_->Format(lang, "report.status_update",
                          {{"ref", ref}, {"status", loc_->Format(lang, "report.status." + status)}});
    m.created_ms = now;
    auto appended = store::messages::Append(db, m);
    if (!appended.ok()) return appended;
    if (conversation->channel != "webchat") {
      store::OutboxItem item;
      item.conversation_id = conversation->id;
      item.message_id = m.id;
      item.channel = conversation->channel;
      return store::outbox::Enqueue(db, item, now);
    }
    return {};
  });
}

}  // namespace reports
