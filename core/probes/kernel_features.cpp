// SPDX-License-Identifier: Apache-2.0
#include "core/probes/kernel_features.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "core/logging/logging.hpp"
#include "core/util/file_descriptor.hpp"
#include "feature_probes.skel.h"

namespace vigil::probes {
namespace {

struct AttachProbe {
    AttachType type;
    const char *program;
};

constexpr AttachProbe attach_probes[] = {
    {AttachType::tracepoint, "probe_tracepoint"},
    {AttachType::tp_btf, "probe_tp_btf"},
    {AttachType::raw_tracepoint, "probe_raw_tracepoint"},
    {AttachType::fentry, "probe_fentry"},
    {AttachType::fexit, "probe_fexit"},
    {AttachType::lsm, "probe_lsm"},
    {AttachType::kprobe, "probe_kprobe"},
    {AttachType::cgroup, "probe_cgroup"},
    {AttachType::iterator, "probe_iterator"},
};

std::string failure(const char *stage, int error, const logging::CaptureLibbpf &capture)
{
    std::string text = std::string(stage) + ": " + std::strerror(error < 0 ? -error : error);
    (void)capture; // libbpf's own lines repeat the errno for these one-line programs
    return text;
}

// A cgroup that exists only while the cgroup attach probe runs.
class ScratchCgroup {
public:
    explicit ScratchCgroup(const std::string &mount)
    {
        if (mount.empty()) {
            return;
        }
        path_ = mount + "/vigil-check-" + std::to_string(getpid());
        if (mkdir(path_.c_str(), 0755) != 0 && errno != EEXIST) {
            path_.clear();
            return;
        }
        fd_.reset(open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    }
    ~ScratchCgroup()
    {
        fd_.reset(); // before the rmdir: an open directory cannot be removed
        if (!path_.empty()) {
            rmdir(path_.c_str());
        }
    }
    ScratchCgroup(const ScratchCgroup &) = delete;
    ScratchCgroup &operator=(const ScratchCgroup &) = delete;
    int fd() const { return fd_.get(); }

private:
    std::string path_;
    util::FileDescriptor fd_;
};

FeatureResult probe_attach_type(const AttachProbe &probe, const std::string &cgroup2_mount)
{
    FeatureResult result{std::string(attach_type_name(probe.type)), false, {}};
    logging::CaptureLibbpf capture;
    std::size_t size = 0;
    const void *elf = feature_probes__elf_bytes(&size);
    bpf_object_open_opts options{};
    options.sz = sizeof(options);
    options.object_name = "vigil_check";
    bpf_object *object = bpf_object__open_mem(elf, size, &options);
    if (object == nullptr) {
        result.detail = failure("open", errno, capture);
        return result;
    }
    bpf_program *program = nullptr;
    bpf_object__for_each_program(program, object)
    {
        bpf_program__set_autoload(program, std::strcmp(bpf_program__name(program), probe.program) == 0);
    }
    if (int error = bpf_object__load(object); error != 0) {
        result.detail = failure("load refused", error, capture);
        bpf_object__close(object);
        return result;
    }
    program = bpf_object__find_program_by_name(object, probe.program);
    bpf_link *link = nullptr;
    if (probe.type == AttachType::cgroup) {
        ScratchCgroup cgroup(cgroup2_mount);
        if (cgroup.fd() < 0) {
            result.detail = "no cgroup v2 hierarchy to attach to";
        } else {
            link = bpf_program__attach_cgroup(program, cgroup.fd());
        }
    } else if (probe.type == AttachType::iterator) {
        link = bpf_program__attach_iter(program, nullptr);
    } else {
        link = bpf_program__attach(program);
    }
    if (link == nullptr) {
        if (result.detail.empty()) {
            result.detail = failure("loads, attach refused", errno, capture);
        }
    } else {
        result.available = true;
        bpf_link__destroy(link);
    }
    bpf_object__close(object);
    return result;
}

FeatureResult file_feature(const char *name, const char *path, const char *missing)
{
    bool present = access(path, F_OK) == 0;
    return {name, present, present ? std::string(path) : std::string(missing)};
}

FeatureResult host_namespaces_feature()
{
    char target[64];
    if (readlink("/proc/1/ns/mnt", target, sizeof(target)) > 0) {
        return {"host namespaces from pid 1", true, "/proc/1/ns readable"};
    }
    return {"host namespaces from pid 1", false,
            std::string("/proc/1/ns/mnt: ") + std::strerror(errno) + "; the sensor's own namespaces stand in"};
}

} // namespace

KernelFeatures probe_kernel_features(const std::string &cgroup2_mount, const TracefsStatus &tracefs)
{
    KernelFeatures report;
    utsname name{};
    if (uname(&name) == 0) {
        report.kernel_release = name.release;
    }
    for (const auto &probe : attach_probes) {
        report.attach_types.push_back(probe_attach_type(probe, cgroup2_mount));
    }

    report.features.push_back(file_feature("BTF (CO-RE)", "/sys/kernel/btf/vmlinux",
                                           "no /sys/kernel/btf/vmlinux: CO-RE programs cannot load"));
    bool ring = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr) == 1;
    report.features.push_back({"BPF ring buffer", ring, ring ? "" : "BPF_MAP_TYPE_RINGBUF unsupported"});
    bool loop = libbpf_probe_bpf_helper(BPF_PROG_TYPE_TRACEPOINT, BPF_FUNC_loop, nullptr) == 1;
    report.features.push_back({"bpf_loop helper", loop, loop ? "" : "bounded loops only"});
    report.features.push_back({"tracefs", tracefs.available, tracefs.detail});
    report.features.push_back(
        {"cgroup v2 hierarchy", !cgroup2_mount.empty(),
         cgroup2_mount.empty() ? "none mounted: containers cannot be told apart" : cgroup2_mount});
    report.features.push_back(host_namespaces_feature());
    // Without module support init_module and finit_module can only fail and have no tracepoints:
    // a detector then watches no module load rather than put a program on every syscall.
    report.features.push_back(file_feature("loadable kernel modules", "/proc/modules",
                                           "kernel built without module support: no module can be loaded, so "
                                           "no program watches for module loads on every syscall"));
    return report;
}

} // namespace vigil::probes
