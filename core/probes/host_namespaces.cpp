// SPDX-License-Identifier: Apache-2.0
#include "core/probes/host_namespaces.hpp"

#include <unistd.h>

#include "core/processes/proc_reader.hpp"

namespace vigil::probes {
namespace {

uint32_t read_namespace(const std::string &process_dir, const char *type)
{
    char target[128];
    auto length = readlink((process_dir + "/ns/" + type).c_str(), target, sizeof(target));
    if (length <= 0) {
        return 0;
    }
    return processes::namespace_inode(std::string_view(target, static_cast<std::size_t>(length)));
}

} // namespace

HostNamespaces discover_host_namespaces(const std::string &proc_root)
{
    for (const char *process : {"/1", "/self"}) {
        auto directory = proc_root + process;
        HostNamespaces namespaces{read_namespace(directory, "mnt"), read_namespace(directory, "pid"),
                                  read_namespace(directory, "net"), directory};
        if (namespaces.mnt_ns != 0 && namespaces.pid_ns != 0) {
            return namespaces;
        }
    }
    return {};
}

} // namespace vigil::probes
