#pragma once

#include <string>
#include <vector>

#include "core/config.hpp"

// The CLI commands beyond `serve` and `migrate`. Each returns the process exit code: 0 success,
// 1 failure (message on stderr), 2 wrong usage.
namespace app {

int RunKb(const core::Config& config, const std::vector<std::string>& args);
int RunAsk(const core::Config& config, const std::vector<std::string>& args);
int RunReports(const core::Config& config, const std::vector<std::string>& args);
int RunStaff(const core::Config& config, const std::vector<std::string>& args);
int RunChat(const core::Config& config, const std::vector<std::string>& args);

}  // namespace app
