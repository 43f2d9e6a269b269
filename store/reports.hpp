#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/database.hpp"

namespace store {

// A misstanden report as stored. `contact_enc` is encrypted; plain data otherwise.
struct Report {
  int64_t id = 0;
  std::string ref;
  int64_t conversation_id = 0;  // 0 when the person erased their data
  std::string channel, lang, category, description, municipality, region, address, responsible, started, ongoing,
      others;
  std::string evidence = "[]";  // JSON array of provider media references
  bool anonymous = true;
  std::string contact_enc, contact_lang;
  int64_t consent_ms = 0;
  std::string queue;
  bool urgent = false;
  std::string status = "received";
  int64_t created_ms = 0, updated_ms = 0;
};

struct ReportStatusChange {
  std::string status, note, actor;
  int64_t ts_ms = 0;
};

struct ReportFilter {
  std::string status, category, region;
  int64_t since_ms = 0;
};

namespace reports {

// Stores a new report with the next reference number of its year (MS-2026-000123) and its first
// status entry; fills in id and ref.
core::Result<void> Insert(Database& db, Report& report, const std::string& actor);
core::Result<Report> Get(Database& db, const std::string& ref);
core::Result<std::vector<Report>> List(Database& db, const ReportFilter& filter);
core::Result<std::vector<ReportStatusChange>> History(Database& db, int64_t report_id);
// Records a status change with who made it and when. kInvalidArgument for an unknown status.
core::Result<void> SetStatus(Database& db, int64_t report_id, const std::string& status, const std::string& note,
                             const std::string& actor, int64_t now_ms);
// "Delete my data": keeps only the non-personal fields of the person's reports.
core::Result<void> StripPersonal(Database& db, int64_t conversation_id);
bool IsStatus(const std::string& status);

}  // namespace reports
}  // namespace store
