#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/result.hpp"
#include "locales/localizer.hpp"
#include "store/reports.hpp"
#include "store/store.hpp"

namespace reports {

// A report as the back office sees it: the stored fields, the decrypted contact and the history.
struct ReportView {
  store::Report report;
  std::string contact;  // decrypted; empty when anonymous
  std::vector<store::ReportStatusChange> history;
};

// The back office's operations on reports, shared by the CLI and the HTTP API. Every view, export
// and change is written to the audit log with the actor. Status changes are told to the reporter
// (when not anonymous and their conversation still exists) in their language, through the channel
// they used. Thread-safe.
class ReportService {
 public:
  ReportService(store::Store& store, const core::DataKey* data_key, std::shared_ptr<const locales::Localizer> localizer,
                core::Clock& clock);

  core::Result<std::vector<store::Report>> List(const store::ReportFilter& filter, const std::string& actor);
  core::Result<ReportView> Show(const std::string& ref, const std::string& actor);
  // CSV (RFC 4180) or JSON of all reports matching `filter`. Contact details only when asked.
  core::Result<std::string> Export(const store::ReportFilter& filter, const std::string& format, bool include_contact,
                                   const std::string& actor);
  // kInvalidArgument for an unknown status, kNotFound for an unknown reference.
  core::Result<void> SetStatus(const std::string& ref, const std::string& status, const std::string& note,
                               const std::string& actor);

 private:
  std::string Contact(const store::Report& r) const;
  store::Store& store_;
  const core::DataKey* data_key_;
  std::shared_ptr<const locales::Localizer> loc_;
  core::Clock& clock_;
};

// "2026-11-24" → milliseconds at 00:00 UTC; kInvalidArgument otherwise.
core::Result<int64_t> ParseDate(const std::string& date);

}  // namespace reports
