// SPDX-License-Identifier: Apache-2.0
#include "core/plugins/running_plugin.hpp"

#include <spdlog/spdlog.h>

namespace vigil::plugins {

RunningPlugin::RunningPlugin(const plugins::PluginLibrary &library, std::string instance_name,
                             std::unique_ptr<plugins::PluginHostApi> host_api, config::PluginOptions options)
    : library_(library), instance_name_(std::move(instance_name)), host_api_(std::move(host_api)),
      options_(std::move(options))
{
    // The plugin writes into its own objects' maps through its host API (map_update).
    host_api_->set_objects(&objects_);
}

RunningPlugin::~RunningPlugin()
{
    destroy_instance();
    objects_.clear();
}

bool RunningPlugin::initialise()
{
    int status = hooks().init(host_api_->api(), options_.view(), &instance_);
    if (status != 0) {
        instance_ = nullptr;
        spdlog::error("{}: refused: its init failed ({})", library_.path(), status);
        return false;
    }
    return true;
}

void RunningPlugin::destroy_instance()
{
    if (instance_ != nullptr) {
        hooks().destroy(instance_);
        instance_ = nullptr;
    }
}

} // namespace vigil::plugins
