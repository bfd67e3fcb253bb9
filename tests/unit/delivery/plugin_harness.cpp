#include "tests/unit/delivery/plugin_harness.hpp"

#include <cerrno>
#include <stdexcept>

#include <dlfcn.h>

#include "core/delivery/request_buffer.hpp"

namespace vigil::testing {

LoadedPlugin::LoadedPlugin(const std::string &path)
{
    handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
        throw std::runtime_error(std::string("dlopen: ") + dlerror());
    }
    auto entry = reinterpret_cast<vigil_plugin_entry_fn>(dlsym(handle_, VIGIL_PLUGIN_ENTRY_SYMBOL));
    if (entry == nullptr) {
        dlclose(handle_);
        throw std::runtime_error("no entry point in " + path);
    }
    descriptor_ = entry();
}

LoadedPlugin::~LoadedPlugin() { dlclose(handle_); }

TestHost::TestHost()
{
    api_.struct_size = sizeof(api_);
    api_.abi_major = VIGIL_ABI_MAJOR;
    api_.abi_minor = VIGIL_ABI_MINOR;
    api_.context = this;
    api_.log = &TestHost::log;
}

void TestHost::log(void *context, uint32_t /*level*/, const char *message)
{
    auto *self = static_cast<TestHost *>(context);
    std::lock_guard lock(self->mutex_);
    self->logs_.emplace_back(message);
}

std::vector<std::string> TestHost::logs() const
{
    std::lock_guard lock(mutex_);
    return logs_;
}

TestConfig::TestConfig()
{
    view_.struct_size = sizeof(view_);
    view_.context = this;
    view_.get_bool = [](const void *context, const char *key, int *value) {
        const auto &bools = static_cast<const TestConfig *>(context)->bools_;
        auto found = bools.find(key);
        if (found == bools.end()) {
            return -ENOENT;
        }
        *value = found->second ? 1 : 0;
        return 0;
    };
    view_.get_integer = [](const void *, const char *, int64_t *) { return -ENOENT; };
    view_.get_float = [](const void *, const char *, double *) { return -ENOENT; };
    view_.get_string = [](const void *context, const char *key) -> const char * {
        const auto &strings = static_cast<const TestConfig *>(context)->strings_;
        auto found = strings.find(key);
        return found == strings.end() ? nullptr : found->second.c_str();
    };
    view_.get_list_size = [](const void *, const char *) -> uint32_t { return 0; };
    view_.get_list_item = [](const void *, const char *, uint32_t) -> const char * { return nullptr; };
}

TestConfig &TestConfig::set_string(const std::string &key, const std::string &value)
{
    strings_[key] = value;
    return *this;
}

TestConfig &TestConfig::set_bool(const std::string &key, bool value)
{
    bools_[key] = value;
    return *this;
}

PluginInstance::PluginInstance(const LoadedPlugin &plugin, const TestHost &host, const TestConfig &config)
    : hooks_(plugin.hooks())
{
    status_ = hooks_->init(host.api(), config.view(), &instance_);
}

PluginInstance::~PluginInstance()
{
    if (status_ == 0) {
        hooks_->destroy(instance_);
    }
}

vigil_send_result PluginInstance::format_and_send(const std::vector<const vigil_alert *> &alerts, int *taken) const
{
    delivery::RequestBuffer request;
    int count = hooks_->format(instance_, alerts.data(), static_cast<uint32_t>(alerts.size()), request.abi());
    if (taken != nullptr) {
        *taken = count;
    }
    return send(request.bytes());
}

vigil_send_result PluginInstance::send(const std::string &request) const
{
    vigil_send_result result{};
    result.struct_size = sizeof(result);
    hooks_->send(instance_, request.data(), request.size(), &result);
    return result;
}

} // namespace vigil::testing
