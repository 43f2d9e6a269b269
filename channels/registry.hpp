#pragma once

#include <memory>
#include <vector>

#include "channels/channel.hpp"
#include "core/config.hpp"

namespace channels {

// The enabled channels for a configuration. One line per channel in registry.cpp.
std::vector<std::shared_ptr<const Channel>> EnabledChannels(const core::Config& config);

}  // namespace channels
