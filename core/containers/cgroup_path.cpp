// SPDX-License-Identifier: Apache-2.0
#include "core/containers/cgroup_path.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace vigil::containers {
namespace {

// Runtimes name containers by the full 64-digit id; a shorter or longer run of
// hex digits is something else (a truncated id never names a cgroup).
constexpr std::size_t container_id_length = 64;

// A pod uid is a UUID (8-4-4-4-12), except for static pods, whose uid the
// kubelet derives from a 32-digit hex hash of their manifest.
constexpr std::size_t pod_uuid_length = 36;
constexpr std::size_t static_pod_uid_length = 32;
constexpr std::array uuid_separator_positions{8uz, 13uz, 18uz, 23uz};

bool is_hex_digit(char character)
{
    return (character >= '0' && character <= '9') || (character >= 'a' && character <= 'f') ||
           (character >= 'A' && character <= 'F');
}

char to_lower(char character)
{
    return (character >= 'A' && character <= 'Z') ? static_cast<char>(character - 'A' + 'a') : character;
}

std::string lowercase_copy(std::string_view text)
{
    std::string result(text);
    std::ranges::transform(result, result.begin(), to_lower);
    return result;
}

std::optional<std::string> container_id_from(std::string_view text)
{
    if (text.size() != container_id_length || !std::ranges::all_of(text, is_hex_digit))
        return std::nullopt;
    return lowercase_copy(text);
}

// The systemd cgroup driver cannot put dashes in a slice name (they mean
// nesting), so it writes the uid's dashes as underscores; both become dashes.
std::optional<std::string> pod_uid_from(std::string_view text)
{
    if (text.size() == static_pod_uid_length && std::ranges::all_of(text, is_hex_digit))
        return lowercase_copy(text);
    if (text.size() != pod_uuid_length)
        return std::nullopt;
    std::string uid;
    uid.reserve(pod_uuid_length);
    for (std::size_t position = 0; position < text.size(); ++position) {
        char character = text[position];
        if (std::ranges::find(uuid_separator_positions, position) != uuid_separator_positions.end()) {
            if (character != '-' && character != '_')
                return std::nullopt;
            uid.push_back('-');
        } else {
            if (!is_hex_digit(character))
                return std::nullopt;
            uid.push_back(to_lower(character));
        }
    }
    return uid;
}

std::string_view without_suffix(std::string_view name, std::string_view suffix)
{
    if (name.ends_with(suffix))
        name.remove_suffix(suffix.size());
    return name;
}

// Whether @word is one of the dash-separated parts of @name: systemd slice
// names spell their whole ancestry that way ("kubelet-kubepods-burstable").
bool has_dash_separated_part(std::string_view name, std::string_view word)
{
    while (true) {
        auto dash = name.find('-');
        if (name.substr(0, dash) == word)
            return true;
        if (dash == std::string_view::npos)
            return false;
        name.remove_prefix(dash + 1);
    }
}

// The kubelet's top level: "kubepods" (cgroupfs driver) or a slice with
// kubepods in its name ("kubepods.slice", "kubepods-besteffort.slice", and
// "kubelet-kubepods.slice" when the kubelet's cgroup root is /kubelet).
bool is_kubepods_level(std::string_view name)
{
    return has_dash_separated_part(without_suffix(name, ".slice"), "kubepods");
}

// The word each runtime puts before the id in the cgroup it makes, as in
// "crio-<id>.scope" or "<slice>:cri-containerd:<id>". The CRI-O monitor's
// "crio-conmon-<id>" matches none of them on purpose: it is not the container.
struct RuntimePrefix {
    std::string_view prefix;
    Runtime runtime;
};
constexpr std::array runtime_prefixes{
    RuntimePrefix{"cri-containerd", Runtime::containerd},
    RuntimePrefix{"crio", Runtime::crio},
    RuntimePrefix{"docker", Runtime::docker},
    RuntimePrefix{"libpod", Runtime::podman},
};

std::optional<Runtime> runtime_of_prefix(std::string_view prefix)
{
    for (const auto &known : runtime_prefixes)
        if (known.prefix == prefix)
            return known.runtime;
    return std::nullopt;
}

// One directory of the path, as the matchers see it.
struct Level {
    std::string_view name;
    std::string_view parent;     // the directory above, "" at the top
    bool under_kubepods = false; // some directory above is the kubelet's kubepods level
};

struct ContainerLevel {
    std::string container_id;
    Runtime runtime;
};

struct PodLevel {
    std::string uid;
    QosClass qos;
};

// "<prefix>-<id>.scope" (systemd driver) or "<prefix>-<id>" (cgroupfs driver,
// e.g. CRI-O's crio-<id> and Podman's libpod-<id>).
std::optional<ContainerLevel> match_runtime_scope(const Level &level)
{
    std::string_view name = without_suffix(level.name, ".scope");
    auto dash = name.rfind('-');
    if (dash == std::string_view::npos)
        return std::nullopt;
    auto runtime = runtime_of_prefix(name.substr(0, dash));
    auto id = container_id_from(name.substr(dash + 1));
    if (!runtime || !id)
        return std::nullopt;
    return ContainerLevel{std::move(*id), *runtime};
}

// "<slice>:<prefix>:<id>": a systemd-style cgroup parent that the runtime
// used verbatim as a directory name because it was not using systemd.
std::optional<ContainerLevel> match_colon_separated_name(const Level &level)
{
    auto last_colon = level.name.rfind(':');
    if (last_colon == std::string_view::npos || last_colon == 0)
        return std::nullopt;
    auto previous_colon = level.name.rfind(':', last_colon - 1);
    if (previous_colon == std::string_view::npos)
        return std::nullopt;
    auto runtime = runtime_of_prefix(level.name.substr(previous_colon + 1, last_colon - previous_colon - 1));
    auto id = container_id_from(level.name.substr(last_colon + 1));
    if (!runtime || !id)
        return std::nullopt;
    return ContainerLevel{std::move(*id), *runtime};
}

// Docker's cgroupfs driver: /docker/<id>.
std::optional<ContainerLevel> match_docker_directory(const Level &level)
{
    if (level.parent != "docker")
        return std::nullopt;
    auto id = container_id_from(level.name);
    if (!id)
        return std::nullopt;
    return ContainerLevel{std::move(*id), Runtime::docker};
}

// A bare id under kubepods (cgroupfs driver). The name does not say which
// runtime made it; containerd is by far the most common one there.
std::optional<ContainerLevel> match_bare_id_under_kubepods(const Level &level)
{
    if (!level.under_kubepods)
        return std::nullopt;
    auto id = container_id_from(level.name);
    if (!id)
        return std::nullopt;
    return ContainerLevel{std::move(*id), Runtime::containerd};
}

using ContainerMatcher = std::optional<ContainerLevel> (*)(const Level &);
constexpr std::array<ContainerMatcher, 4> container_matchers{
    match_runtime_scope,
    match_colon_separated_name,
    match_docker_directory,
    match_bare_id_under_kubepods,
};

// The QoS class of a pod from the level above its own: the kubelet gives
// burstable and best-effort pods a level of their class, and puts guaranteed
// pods straight under kubepods.
QosClass qos_of_parent(std::string_view parent)
{
    if (parent == "burstable")
        return QosClass::burstable;
    if (parent == "besteffort")
        return QosClass::besteffort;
    if (parent == "kubepods")
        return QosClass::guaranteed;
    return QosClass::none;
}

// cgroupfs driver: /kubepods/<qos>/pod<uid>, and /kubepods/pod<uid> for
// guaranteed pods, which get no QoS level of their own.
std::optional<PodLevel> match_cgroupfs_pod(const Level &level)
{
    if (!level.under_kubepods || !level.name.starts_with("pod"))
        return std::nullopt;
    auto uid = pod_uid_from(level.name.substr(std::string_view("pod").size()));
    if (!uid)
        return std::nullopt;
    return PodLevel{std::move(*uid), qos_of_parent(level.parent)};
}

// systemd driver: kubepods-<qos>-pod<uid>.slice, and kubepods-pod<uid>.slice
// for guaranteed pods, possibly after the kubelet's cgroup root
// ("kubelet-kubepods-..."). Also the slice part of "<slice>:<prefix>:<id>".
std::optional<PodLevel> match_systemd_pod_slice(const Level &level)
{
    std::string_view name = without_suffix(level.name.substr(0, level.name.find(':')), ".slice");
    auto pod_part = name.rfind("-pod");
    if (pod_part == std::string_view::npos)
        return std::nullopt;
    std::string_view ancestry = name.substr(0, pod_part);
    if (!has_dash_separated_part(ancestry, "kubepods"))
        return std::nullopt;
    auto uid = pod_uid_from(name.substr(pod_part + std::string_view("-pod").size()));
    if (!uid)
        return std::nullopt;
    auto last_dash = ancestry.rfind('-');
    std::string_view parent_part = last_dash == std::string_view::npos ? ancestry : ancestry.substr(last_dash + 1);
    return PodLevel{std::move(*uid), qos_of_parent(parent_part)};
}

using PodMatcher = std::optional<PodLevel> (*)(const Level &);
constexpr std::array<PodMatcher, 2> pod_matchers{
    match_cgroupfs_pod,
    match_systemd_pod_slice,
};

template <typename Result, std::size_t count>
std::optional<Result> first_match(const std::array<std::optional<Result> (*)(const Level &), count> &matchers,
                                  const Level &level)
{
    for (auto matcher : matchers)
        if (auto result = matcher(level))
            return result;
    return std::nullopt;
}

} // namespace

std::string_view runtime_name(Runtime runtime)
{
    switch (runtime) {
    case Runtime::containerd:
        return "containerd";
    case Runtime::crio:
        return "cri-o";
    case Runtime::docker:
        return "docker";
    case Runtime::podman:
        return "podman";
    }
    std::unreachable();
}

std::optional<CgroupIdentity> parse_cgroup_path(std::string_view path)
{
    std::optional<CgroupIdentity> identity;
    // The pod level nearest above the container level: the pod that container runs in.
    std::optional<PodLevel> pod;
    Level level;
    while (!path.empty()) {
        auto slash = path.find('/');
        std::string_view name = path.substr(0, slash);
        path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
        if (name.empty())
            continue; // a leading, trailing or doubled slash
        level.name = name;
        // Checked before the container matchers: "<pod slice>:<prefix>:<id>"
        // is a pod level and a container level in one name.
        if (auto found = first_match(pod_matchers, level))
            pod = std::move(found);
        if (auto container = first_match(container_matchers, level)) {
            identity = CgroupIdentity{std::move(container->container_id), container->runtime,
                                      pod ? pod->uid : std::string{}, pod ? pod->qos : QosClass::none};
        }
        level.under_kubepods = level.under_kubepods || is_kubepods_level(name);
        level.parent = name;
    }
    return identity;
}

} // namespace vigil::containers
