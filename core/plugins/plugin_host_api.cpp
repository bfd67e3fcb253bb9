// SPDX-License-Identifier: Apache-2.0
#include "core/plugins/plugin_host_api.hpp"

#include <cerrno>

#include <spdlog/spdlog.h>

#include "core/util/boot_clock.hpp"

namespace vigil::plugins {
namespace {

PluginHostApi &self(void *context)
{
    return *static_cast<PluginHostApi *>(context);
}

spdlog::level::level_enum spdlog_level(uint32_t level)
{
    switch (level) {
    case VIGIL_LOG_TRACE:
        return spdlog::level::trace;
    case VIGIL_LOG_DEBUG:
        return spdlog::level::debug;
    case VIGIL_LOG_INFO:
        return spdlog::level::info;
    case VIGIL_LOG_WARNING:
        return spdlog::level::warn;
    default:
        return spdlog::level::err;
    }
}

// Runs @call, turning any exception into @fallback: the caller is C code in a plugin.
template <class Call, class Result> Result guarded(const char *what, Call &&call, Result fallback)
{
    try {
        return call();
    } catch (const std::exception &error) {
        spdlog::error("host service {} failed: {}", what, error.what());
    } catch (...) {
        spdlog::error("host service {} failed", what);
    }
    return fallback;
}

} // namespace

PluginHostApi::PluginHostApi(std::string plugin_name, HostServices &services)
    : plugin_name_(std::move(plugin_name)), services_(services)
{
    api_.struct_size = sizeof(api_);
    api_.abi_major = VIGIL_ABI_MAJOR;
    api_.abi_minor = VIGIL_ABI_MINOR;
    api_.context = this;
    api_.log = log;
    api_.emit_alert = emit_alert;
    api_.find_process = find_process;
    api_.process_ancestry = process_ancestry;
    api_.find_container = find_container;
    api_.metric_register = metric_register;
    api_.metric_add = metric_add;
    api_.now_ns = now_ns;
    api_.find_process_in_namespace = find_process_in_namespace;
    api_.host_info = host_info;
    api_.state_directory = state_directory;
    api_.records_lost = records_lost;
    api_.map_update = map_update;
    api_.map_delete = map_delete;
}

bool PluginHostApi::admit_log_line()
{
    auto now = boot_time_now_ns();
    if (now - log_window_start_ns_ >= 1'000'000'000ULL) {
        if (log_lines_suppressed_ > 0) {
            spdlog::warn("{}: {} log lines suppressed (more than {} a second)", plugin_name_, log_lines_suppressed_,
                         log_lines_per_second);
        }
        log_window_start_ns_ = now;
        log_lines_in_window_ = 0;
        log_lines_suppressed_ = 0;
    }
    if (log_lines_in_window_ >= log_lines_per_second) {
        ++log_lines_suppressed_;
        return false;
    }
    ++log_lines_in_window_;
    return true;
}

void PluginHostApi::log(void *context, uint32_t level, const char *message)
{
    auto &api = self(context);
    auto spd_level = spdlog_level(level);
    if (message == nullptr || !spdlog::should_log(spd_level) || !api.admit_log_line()) {
        return;
    }
    guarded(
        "log",
        [&] {
            spdlog::log(spd_level, "{}: {}", api.plugin_name_, message);
            return 0;
        },
        0);
}

int PluginHostApi::emit_alert(void *context, const vigil_alert_request *alert)
{
    auto &api = self(context);
    if (alert == nullptr) {
        return -EINVAL;
    }
    return guarded(
        "emit_alert", [&] { return api.services_.emit_alert(api.plugin_name_, *alert); }, -EIO);
}

const vigil_process *PluginHostApi::find_process(void *context, uint32_t tgid)
{
    return guarded(
        "find_process", [&] { return self(context).services_.find_process(tgid); },
        static_cast<const vigil_process *>(nullptr));
}

uint32_t PluginHostApi::process_ancestry(void *context, uint32_t tgid, const vigil_process **ancestors,
                                         uint32_t capacity)
{
    if (ancestors == nullptr) {
        return 0;
    }
    return guarded(
        "process_ancestry", [&] { return self(context).services_.process_ancestry(tgid, ancestors, capacity); },
        uint32_t{0});
}

const vigil_container *PluginHostApi::find_container(void *context, uint64_t cgroup_id)
{
    return guarded(
        "find_container", [&] { return self(context).services_.find_container(cgroup_id); },
        static_cast<const vigil_container *>(nullptr));
}

uint32_t PluginHostApi::metric_register(void *context, const char *name, const char *help)
{
    auto &api = self(context);
    std::string full_name = api.plugin_name_ + "_" + (name != nullptr ? name : "unnamed");
    return guarded(
        "metric_register", [&] { return api.services_.metric_register(full_name, help != nullptr ? help : ""); },
        uint32_t{0});
}

void PluginHostApi::metric_add(void *context, uint32_t metric, uint64_t delta)
{
    self(context).services_.metric_add(metric, delta);
}

uint64_t PluginHostApi::now_ns(void *)
{
    return boot_time_now_ns();
}

const vigil_process *PluginHostApi::find_process_in_namespace(void *context, uint32_t pid_ns, uint32_t ns_tgid)
{
    return guarded(
        "find_process_in_namespace", [&] { return self(context).services_.find_process_in_namespace(pid_ns, ns_tgid); },
        static_cast<const vigil_process *>(nullptr));
}

const vigil_host_info *PluginHostApi::host_info(void *context)
{
    return self(context).services_.host_info();
}

const char *PluginHostApi::state_directory(void *context)
{
    auto &api = self(context);
    if (!api.state_directory_) {
        api.state_directory_ = guarded(
            "state_directory", [&] { return api.services_.state_directory(api.plugin_name_); }, std::string());
    }
    return api.state_directory_->c_str();
}

uint64_t PluginHostApi::records_lost(void *context)
{
    return self(context).services_.records_lost();
}

int PluginHostApi::map_update(void *context, const char *object, const char *map, const void *key, uint32_t key_size,
                              const void *value, uint32_t value_size)
{
    return guarded(
        "map_update", [&] { return self(context).maps_.update(object, map, key, key_size, value, value_size); }, -EIO);
}

int PluginHostApi::map_delete(void *context, const char *object, const char *map, const void *key, uint32_t key_size)
{
    return guarded(
        "map_delete", [&] { return self(context).maps_.remove(object, map, key, key_size); }, -EIO);
}

} // namespace vigil::plugins
