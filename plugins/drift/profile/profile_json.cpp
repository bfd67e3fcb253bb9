// SPDX-License-Identifier: Apache-2.0
#include "profile/profile_json.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "profile/unix_time.hpp"

namespace vigil_drift {

namespace {

using ordered = nlohmann::ordered_json;
using nlohmann::json;

ordered time_value(std::uint64_t unix_ns)
{
    return unix_ns == 0 ? ordered(nullptr) : ordered(format_unix_ns(unix_ns));
}

ordered class_document(const ClassProfile &data)
{
    ordered entries = ordered::array();
    for (const auto &[entry, stats] : data.entries) {
        ordered item;
        item["entry"] = entry;
        item["first_seen"] = time_value(stats.first_seen_ns);
        item["times_seen"] = stats.times_seen;
        entries.push_back(std::move(item));
    }
    ordered document;
    document["state"] = std::string(state_name(data.state));
    document["learning_start"] = time_value(data.learning_start_ns);
    document["last_new"] = time_value(data.last_new_ns);
    document["state_since"] = time_value(data.state_since_ns);
    document["learned_ns"] = data.learned_ns;
    document["observations"] = data.observations;
    document["drift"] = data.drift_count;
    document["rejected"] = data.rejected;
    document["cap_hit"] = data.cap_hit;
    document["partial"] = data.partial;
    document["partial_reason"] = data.partial_reason;
    document["entries"] = std::move(entries);
    return document;
}

ordered profile_document(const Profile &profile)
{
    ordered document;
    document["key"] = profile.key().text();
    document["source"] = profile.key().source;
    document["version"] = profile.version();
    document["inherited_from"] = profile.inherited_from();
    document["created"] = time_value(profile.created_ns());
    document["first_seen"] = time_value(profile.first_seen_ns());
    document["last_seen"] = time_value(profile.last_seen_ns());
    ordered classes;
    for (auto behaviour : all_behaviour_classes) {
        classes[std::string(behaviour_name(behaviour))] = class_document(profile.behaviour(behaviour));
    }
    document["classes"] = std::move(classes);
    return document;
}

// ---- import: a cursor into the document that knows its JSON path ----

class Field {
public:
    Field(const json &value, std::string path) : value_(value), path_(std::move(path)) {}

    [[noreturn]] void fail(const std::string &problem) const { throw ProfileJsonError(path_, problem); }

    const json &value() const { return value_; }
    const std::string &path() const { return path_; }

    const json::object_t &object() const
    {
        if (!value_.is_object()) {
            fail("expected an object");
        }
        return value_.get_ref<const json::object_t &>();
    }
    const json::array_t &array() const
    {
        if (!value_.is_array()) {
            fail("expected an array");
        }
        return value_.get_ref<const json::array_t &>();
    }
    std::string string() const
    {
        if (!value_.is_string()) {
            fail("expected a string");
        }
        return value_.get<std::string>();
    }
    std::uint64_t unsigned_integer() const
    {
        if (!value_.is_number_unsigned()) {
            fail("expected a non-negative integer");
        }
        return value_.get<std::uint64_t>();
    }
    bool boolean() const
    {
        if (!value_.is_boolean()) {
            fail("expected true or false");
        }
        return value_.get<bool>();
    }
    // A time: RFC 3339 text, or null for "never" (0).
    std::uint64_t time() const
    {
        if (value_.is_null()) {
            return 0;
        }
        if (!value_.is_string()) {
            fail("expected an RFC 3339 time or null");
        }
        auto parsed = parse_unix_ns(value_.get_ref<const std::string &>());
        if (!parsed) {
            fail("expected an RFC 3339 time or null, not \"" + value_.get<std::string>() + "\"");
        }
        return *parsed;
    }

    Field at(std::size_t index) const { return {array().at(index), path_ + "[" + std::to_string(index) + "]"}; }

private:
    const json &value_;
    std::string path_;
};

// An object's members: required or optional, and no unknown ones.
class Members {
public:
    Members(const Field &object, std::set<std::string_view> known) : object_(object), members_(object.object())
    {
        for (const auto &[name, value] : members_) {
            if (!known.contains(name)) {
                Field(value, child_path(name)).fail("unknown field");
            }
        }
    }

    Field required(const std::string &name) const
    {
        auto found = members_.find(name);
        if (found == members_.end()) {
            Field(object_.value(), child_path(name)).fail("missing");
        }
        return {found->second, child_path(name)};
    }
    std::optional<Field> optional(const std::string &name) const
    {
        auto found = members_.find(name);
        if (found == members_.end()) {
            return std::nullopt;
        }
        return Field(found->second, child_path(name));
    }

private:
    std::string child_path(const std::string &name) const
    {
        return object_.path().empty() ? name : object_.path() + "." + name;
    }

    const Field &object_;
    const json::object_t &members_;
};

template <typename Value, typename Read>
Value optional_value(const Members &members, const std::string &name, Value fallback, Read read)
{
    auto field = members.optional(name);
    return field ? read(*field) : fallback;
}

ClassProfile read_class(const Field &field, std::uint64_t created_ns)
{
    Members members(field, {"state", "learning_start", "last_new", "state_since", "learned_ns", "observations", "drift",
                            "rejected", "cap_hit", "partial", "partial_reason", "entries"});
    auto time = [](const Field &value) { return value.time(); };
    auto count = [](const Field &value) { return value.unsigned_integer(); };
    auto flag = [](const Field &value) { return value.boolean(); };
    ClassProfile data;
    auto state_field = members.required("state");
    auto state = parse_state(state_field.string());
    if (!state) {
        state_field.fail("unknown state \"" + state_field.string() +
                         "\" (expected learning, stable, unstable or relearning)");
    }
    data.state = *state;
    data.learning_start_ns = optional_value(members, "learning_start", created_ns, time);
    data.last_new_ns = optional_value(members, "last_new", std::uint64_t{0}, time);
    data.state_since_ns = optional_value(members, "state_since", data.learning_start_ns, time);
    data.learned_ns = optional_value(members, "learned_ns", std::uint64_t{0}, count);
    data.observations = optional_value(members, "observations", std::uint64_t{0}, count);
    data.drift_count = optional_value(members, "drift", std::uint64_t{0}, count);
    data.rejected = optional_value(members, "rejected", std::uint64_t{0}, count);
    data.cap_hit = optional_value(members, "cap_hit", false, flag);
    data.partial = optional_value(members, "partial", false, flag);
    data.partial_reason =
        optional_value(members, "partial_reason", std::string(), [](const Field &value) { return value.string(); });

    auto entries = members.required("entries");
    for (std::size_t index = 0; index < entries.array().size(); ++index) {
        auto item = entries.at(index);
        Members entry_members(item, {"entry", "first_seen", "times_seen"});
        auto text_field = entry_members.required("entry");
        auto text = text_field.string();
        if (text.empty()) {
            text_field.fail("empty entry");
        }
        EntryStats stats{optional_value(entry_members, "first_seen", data.learning_start_ns, time),
                         optional_value(entry_members, "times_seen", std::uint64_t{0}, count)};
        if (!data.entries.emplace(text, stats).second) {
            text_field.fail("duplicate entry \"" + text + "\"");
        }
    }
    return data;
}

Profile read_profile(const Field &field)
{
    Members members(field,
                    {"key", "source", "version", "inherited_from", "created", "first_seen", "last_seen", "classes"});
    auto key_field = members.required("key");
    auto key = ProfileKey::parse(key_field.string());
    if (!key) {
        key_field.fail("expected \"namespace/Kind/name/container\", not \"" + key_field.string() + "\"");
    }
    if (auto source = members.optional("source")) {
        key->source = source->string();
        if (key->source != "api" && key->source != "cgroup") {
            source->fail("expected \"api\" or \"cgroup\"");
        }
    }
    auto version = members.required("version").string();
    auto created_field = members.required("created");
    auto created = created_field.time();
    if (created == 0) {
        created_field.fail("expected an RFC 3339 time");
    }
    auto time = [](const Field &value) { return value.time(); };
    Profile profile(*key, version, created);
    profile.restore(
        optional_value(members, "inherited_from", std::string(), [](const Field &value) { return value.string(); }),
        created, optional_value(members, "first_seen", std::uint64_t{0}, time),
        optional_value(members, "last_seen", std::uint64_t{0}, time));

    auto classes_field = members.required("classes");
    Members classes(classes_field, {"executables", "files", "connections", "listening", "dns"});
    for (auto behaviour : all_behaviour_classes) {
        if (auto class_field = classes.optional(std::string(behaviour_name(behaviour)))) {
            profile.restore(behaviour, read_class(*class_field, created));
        }
    }
    return profile;
}

} // namespace

ProfileJsonError::ProfileJsonError(const std::string &path, const std::string &problem)
    : std::runtime_error(path.empty() ? problem : path + ": " + problem), path_(path)
{
}

std::string export_profiles_json(std::vector<const Profile *> profiles)
{
    std::sort(profiles.begin(), profiles.end(), [](const Profile *left, const Profile *right) {
        return std::tie(left->key(), left->version()) < std::tie(right->key(), right->version());
    });
    ordered list = ordered::array();
    for (const auto *profile : profiles) {
        list.push_back(profile_document(*profile));
    }
    ordered document;
    document["format"] = std::string(profile_json_format);
    document["format_version"] = profile_json_format_version;
    document["profiles"] = std::move(list);
    return document.dump(2) + "\n";
}

std::vector<Profile> import_profiles_json(std::string_view text)
{
    json document;
    try {
        document = json::parse(text.begin(), text.end());
    } catch (const json::parse_error &error) {
        throw ProfileJsonError("", std::string("not JSON: ") + error.what());
    }
    Field root(document, "");
    Members members(root, {"format", "format_version", "profiles"});
    auto format = members.required("format");
    if (format.string() != profile_json_format) {
        format.fail("expected \"" + std::string(profile_json_format) + "\"");
    }
    auto version = members.required("format_version");
    if (version.unsigned_integer() != static_cast<std::uint64_t>(profile_json_format_version)) {
        version.fail("unsupported format version " + std::to_string(version.unsigned_integer()) +
                     " (this build reads " + std::to_string(profile_json_format_version) + ")");
    }
    auto list = members.required("profiles");
    std::vector<Profile> profiles;
    std::map<std::pair<std::string, std::string>, std::size_t> seen;
    for (std::size_t index = 0; index < list.array().size(); ++index) {
        auto item = list.at(index);
        auto profile = read_profile(item);
        auto [previous, inserted] = seen.emplace(std::pair{profile.key().text(), profile.version()}, index);
        if (!inserted) {
            item.fail("the same key and version as profiles[" + std::to_string(previous->second) + "]");
        }
        profiles.push_back(std::move(profile));
    }
    return profiles;
}

} // namespace vigil_drift
