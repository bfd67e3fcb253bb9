// SPDX-License-Identifier: Apache-2.0
#include "profile_text.hpp"

#include <cstdio>

#include "profile/unix_time.hpp"

namespace vigil_drift {

namespace {

std::string padded(std::string_view text, std::size_t width)
{
    std::string line(text);
    if (line.size() < width) {
        line.append(width - line.size(), ' ');
    }
    return line;
}

std::string time_or_never(std::uint64_t unix_ns)
{
    return unix_ns == 0 ? "never" : format_unix_ns(unix_ns);
}

} // namespace

std::string format_duration(std::uint64_t ns)
{
    struct Unit {
        const char *suffix;
        std::uint64_t ns;
    };
    static constexpr Unit units[] = {{"d", nanoseconds_per_day},
                                     {"h", nanoseconds_per_hour},
                                     {"m", 60 * nanoseconds_per_second},
                                     {"s", nanoseconds_per_second}};
    std::string text;
    int shown = 0;
    for (const auto &unit : units) {
        auto count = ns / unit.ns;
        if (count == 0 && shown == 0) {
            continue;
        }
        if (count != 0) {
            text += std::to_string(count) + unit.suffix;
        }
        ns -= count * unit.ns;
        if (++shown == 2) {
            break;
        }
    }
    return text.empty() ? "0s" : text;
}

void write_profile_summary(std::ostream &out, const Profile &profile, std::uint64_t now_ns,
                           const LearningPolicy &policy)
{
    out << profile.key().text() << "  version " << (profile.version().empty() ? "-" : profile.version());
    if (!profile.inherited_from().empty()) {
        out << " (from " << profile.inherited_from() << ")";
    }
    out << "  key from " << profile.key().source << "  last seen " << time_or_never(profile.last_seen_ns()) << "\n";
    for (auto behaviour : all_behaviour_classes) {
        const auto &data = profile.behaviour(behaviour);
        auto progress = profile.progress(behaviour, now_ns, policy);
        char percent[16];
        std::snprintf(percent, sizeof percent, "%5.1f%%", progress.percent);
        out << "  " << padded(behaviour_name(behaviour), 12) << padded(state_name(data.state), 11) << percent << "  "
            << padded(progress.left_ns == 0 ? "-" : format_duration(progress.left_ns) + " left", 12)
            << data.entries.size() << (data.entries.size() == 1 ? " entry" : " entries");
        if (data.cap_hit) {
            out << "  cap hit (" << data.rejected << " not stored)";
        }
        if (data.drift_count != 0) {
            out << "  " << data.drift_count << " drift";
        }
        if (data.partial) {
            out << "  partial: " << data.partial_reason;
        }
        out << "\n";
    }
}

void write_profile_entries(std::ostream &out, const Profile &profile, std::uint64_t now_ns,
                           const LearningPolicy &policy)
{
    write_profile_summary(out, profile, now_ns, policy);
    for (auto behaviour : all_behaviour_classes) {
        const auto &data = profile.behaviour(behaviour);
        if (data.entries.empty()) {
            continue;
        }
        out << "  " << behaviour_name(behaviour) << ":\n";
        for (const auto &[entry, stats] : data.entries) {
            out << "    " << entry << "  (first seen " << time_or_never(stats.first_seen_ns) << ", " << stats.times_seen
                << "x)\n";
        }
    }
}

} // namespace vigil_drift
