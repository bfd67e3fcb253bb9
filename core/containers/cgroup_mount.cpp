// SPDX-License-Identifier: Apache-2.0
#include "core/containers/cgroup_mount.hpp"

#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

namespace vigil::containers {
namespace {

// mountinfo writes space, tab, newline and backslash in paths as "\ooo" octal.
std::string unescape_mountinfo_field(std::string_view field)
{
    std::string result;
    result.reserve(field.size());
    for (std::size_t position = 0; position < field.size(); ++position) {
        std::string_view digits = field.substr(position + 1, 3);
        bool is_escape = field[position] == '\\' && digits.size() == 3 &&
                         digits.find_first_not_of("01234567") == std::string_view::npos;
        if (is_escape) {
            result.push_back(static_cast<char>((digits[0] - '0') * 64 + (digits[1] - '0') * 8 + (digits[2] - '0')));
            position += digits.size();
        } else {
            result.push_back(field[position]);
        }
    }
    return result;
}

struct MountinfoLine {
    std::string root; // the directory of the filesystem mounted here
    std::string mount_point;
    std::string filesystem_type;
};

// Fields: id parent major:minor root mount-point options [optional...] - type source super-options
std::optional<MountinfoLine> parse_mountinfo_line(const std::string &line)
{
    std::istringstream stream(line);
    std::vector<std::string> fields;
    for (std::string field; stream >> field;)
        fields.push_back(std::move(field));
    constexpr std::size_t first_optional_field = 6;
    for (std::size_t index = first_optional_field; index + 1 < fields.size(); ++index) {
        if (fields[index] == "-")
            return MountinfoLine{unescape_mountinfo_field(fields[3]), unescape_mountinfo_field(fields[4]),
                                 fields[index + 1]};
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> find_cgroup2_mount(const std::string &mountinfo_path)
{
    std::ifstream mountinfo(mountinfo_path);
    // A mount of a subtree (a bind mount, or one made inside a cgroup
    // namespace) still names containers correctly, since their ids and pod
    // levels sit at the end of the path; it is only the second choice.
    std::optional<std::string> subtree_mount;
    for (std::string line; std::getline(mountinfo, line);) {
        auto mount = parse_mountinfo_line(line);
        if (!mount || mount->filesystem_type != "cgroup2")
            continue;
        if (mount->root == "/")
            return mount->mount_point;
        if (!subtree_mount)
            subtree_mount = mount->mount_point;
    }
    return subtree_mount;
}

} // namespace vigil::containers
