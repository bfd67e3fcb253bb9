// SPDX-License-Identifier: Apache-2.0
// `vigil run`: the sensor itself.
#include <atomic>
#include <csignal>

#include <spdlog/spdlog.h>

#include "core/cli/commands.hpp"
#include "core/cli/loaded_config.hpp"
#include "core/logging/logging.hpp"
#include "core/sensor/sensor.hpp"

namespace vigil::cli {
namespace {

std::atomic<bool> stop_requested{false};

void request_stop(int)
{
    stop_requested.store(true);
}

void install_signal_handlers()
{
    struct sigaction action {};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; // no SA_RESTART: the drain loop's wait returns at once
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    signal(SIGPIPE, SIG_IGN);
}

} // namespace

int run_command(const CommandOptions &options)
{
    auto config = load_config_or_report(options.config_path ? options.config_path
                                                            : std::optional<std::string>(default_config_path));
    if (!config) {
        return 2;
    }
    if (auto level = logging::parse_level(config->sensor.log_level)) {
        spdlog::set_level(*level);
    }
    install_signal_handlers();
    auto directory = plugin_directory(*config);
    auto node = node_name(*config);
    spdlog::info("vigil {} starting: config {}, plugins from {}", VIGIL_VERSION, config->path, directory);
    sensor::Sensor sensor(std::move(*config), directory, node);
    if (int status = sensor.start(); status != 0) {
        return status;
    }
    sensor.run(stop_requested);
    spdlog::info("stopping");
    sensor.shut_down();
    spdlog::info("stopped");
    return 0;
}

} // namespace vigil::cli
