// Loading a real plugin .so the way the sensor does, with a minimal host API
// and config view written here, so that output plugins are tested through the
// ABI exactly as they run.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <vigil/plugin_abi.h>

namespace vigil::testing {

class LoadedPlugin {
public:
    // dlopens @path and reads its descriptor; throws std::runtime_error on failure.
    explicit LoadedPlugin(const std::string &path);
    ~LoadedPlugin();
    LoadedPlugin(const LoadedPlugin &) = delete;
    LoadedPlugin &operator=(const LoadedPlugin &) = delete;

    const vigil_plugin_descriptor &descriptor() const { return *descriptor_; }
    const vigil_plugin_hooks *hooks() const { return descriptor_->hooks; }

private:
    void *handle_ = nullptr;
    const vigil_plugin_descriptor *descriptor_ = nullptr;
};

// The host side: records what the plugin logs; nothing else is needed by outputs.
class TestHost {
public:
    TestHost();
    TestHost(const TestHost &) = delete;
    TestHost &operator=(const TestHost &) = delete;

    const vigil_host_api *api() const { return &api_; }
    std::vector<std::string> logs() const;

private:
    static void log(void *context, uint32_t level, const char *message);

    vigil_host_api api_{};
    mutable std::mutex mutex_;
    std::vector<std::string> logs_;
};

// An output's options. Keys not set here are unknown to the view.
class TestConfig {
public:
    TestConfig();
    TestConfig(const TestConfig &) = delete;
    TestConfig &operator=(const TestConfig &) = delete;

    TestConfig &set_string(const std::string &key, const std::string &value);
    TestConfig &set_bool(const std::string &key, bool value);
    const vigil_config_view *view() const { return &view_; }

private:
    std::map<std::string, std::string> strings_;
    std::map<std::string, bool> bools_;
    vigil_config_view view_{};
};

// An instance created by the plugin's init; destroyed with this object.
class PluginInstance {
public:
    PluginInstance(const LoadedPlugin &plugin, const TestHost &host, const TestConfig &config);
    ~PluginInstance();
    PluginInstance(const PluginInstance &) = delete;
    PluginInstance &operator=(const PluginInstance &) = delete;

    int init_status() const { return status_; }
    void *get() const { return instance_; }

    // One format and send through the ABI, the way a delivery thread does it.
    vigil_send_result format_and_send(const std::vector<const vigil_alert *> &alerts, int *taken = nullptr) const;
    vigil_send_result send(const std::string &request) const;

private:
    const vigil_plugin_hooks *hooks_;
    void *instance_ = nullptr;
    int status_ = 0;
};

} // namespace vigil::testing
