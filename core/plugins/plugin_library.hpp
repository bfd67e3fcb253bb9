// SPDX-License-Identifier: Apache-2.0
// A plugin shared object: checked for trust, loaded with Boost.DLL through its
// one C entry point, and its descriptor read and checked.
#pragma once

#include <expected>
#include <memory>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "core/plugins/plugin_descriptor.hpp"

namespace vigil::plugins {

class PluginLibrary {
public:
    // Refuses, with a reason that names the file, a plugin that is not root's,
    // is writable by others, does not export the entry point, or whose
    // descriptor fails read_descriptor().
    static std::expected<std::unique_ptr<PluginLibrary>, std::string> load(const std::string &path);

    const std::string &path() const { return path_; }
    const PluginDescriptor &descriptor() const { return descriptor_; }

private:
    PluginLibrary(std::string path, boost::dll::shared_library library, PluginDescriptor descriptor);

    std::string path_;
    boost::dll::shared_library library_; // unloaded last: everything the descriptor points to lives here
    PluginDescriptor descriptor_;
};

struct Refusal {
    std::string file;
    std::string reason;
};

struct PluginDirectory {
    std::vector<std::unique_ptr<PluginLibrary>> plugins; // sorted by file name
    std::vector<Refusal> refused;
};

// Loads every *.so in @directory. A refused plugin does not stop the others;
// an untrusted directory refuses all of them. Two plugins with one name: the
// second is refused.
PluginDirectory load_plugin_directory(const std::string &directory);

} // namespace vigil::plugins
