// SPDX-License-Identifier: Apache-2.0
#include "subcommands.hpp"

#include <fstream>
#include <sstream>

#include "profile/profile_book.hpp"
#include "profile/profile_json.hpp"
#include "profile/profile_store.hpp"
#include "profile_text.hpp"

namespace vigil_drift {

namespace {

// Profiles with states as of `now`: the sensor's own code (advance) with the
// policy the sensor saved, so the command and the sensor agree. Nothing is
// written back: the sensor owns the states.
struct Loaded {
    LearningPolicy policy;
    bool policy_saved = false;
    ProfileBook book;
};

Loaded load(ProfileStore &store, std::uint64_t now_ns)
{
    Loaded loaded;
    auto policy = store.load_policy();
    loaded.policy_saved = policy.has_value();
    loaded.policy = policy.value_or(LearningPolicy{});
    loaded.book.set_policy(loaded.policy);
    loaded.book.adopt(store.load_all());
    loaded.book.advance(now_ns);
    return loaded;
}

void note_default_policy(const Loaded &loaded, const ProfileStore &store, std::ostream &err)
{
    if (!loaded.policy_saved) {
        err << "vigil-profiles: " << store.path().string()
            << ": no learning settings stored by the sensor; states use the defaults\n";
    }
}

// The key named on the command line, or nullopt after reporting it.
std::optional<ProfileKey> parse_key(const std::string &text, std::ostream &err)
{
    auto key = ProfileKey::parse(text);
    if (!key) {
        err << "vigil-profiles: \"" << text << "\" is no profile key (namespace/Kind/name/container)\n";
    }
    return key;
}

std::vector<const Profile *> versions_of(const ProfileBook &book, const ProfileKey &key,
                                         const std::optional<std::string> &version)
{
    std::vector<const Profile *> found;
    for (const auto *profile : book.versions(key)) {
        if (!version || profile->version() == *version) {
            found.push_back(profile);
        }
    }
    return found;
}

int unknown_key(const std::string &key, const ProfileStore &store, std::ostream &err)
{
    err << "vigil-profiles: " << store.path().string() << ": no profile with key \"" << key << "\"\n";
    return exit_usage;
}

int run_list(const CommandLine &line, std::ostream &out, std::ostream &err)
{
    ProfileStore store(line.database, ProfileStore::Mode::read_only);
    auto loaded = load(store, line.now_ns);
    note_default_policy(loaded, store, err);
    auto profiles = loaded.book.all();
    if (profiles.empty()) {
        out << "no profiles in " << store.path().string() << "\n";
    }
    for (const auto *profile : profiles) {
        write_profile_summary(out, *profile, line.now_ns, loaded.policy);
    }
    return exit_ok;
}

int run_show(const CommandLine &line, std::ostream &out, std::ostream &err)
{
    auto key = parse_key(line.arguments.front(), err);
    if (!key) {
        return exit_usage;
    }
    ProfileStore store(line.database, ProfileStore::Mode::read_only);
    auto loaded = load(store, line.now_ns);
    note_default_policy(loaded, store, err);
    auto profiles = versions_of(loaded.book, *key, line.version);
    if (profiles.empty()) {
        return unknown_key(line.arguments.front(), store, err);
    }
    for (const auto *profile : profiles) {
        write_profile_entries(out, *profile, line.now_ns, loaded.policy);
    }
    return exit_ok;
}

int run_export(const CommandLine &line, std::ostream &out, std::ostream &err)
{
    ProfileStore store(line.database, ProfileStore::Mode::read_only);
    auto loaded = load(store, line.now_ns);
    std::vector<const Profile *> profiles;
    if (line.arguments.empty()) {
        profiles = loaded.book.all();
    }
    for (const auto &text : line.arguments) {
        auto key = parse_key(text, err);
        if (!key) {
            return exit_usage;
        }
        auto found = versions_of(loaded.book, *key, std::nullopt);
        if (found.empty()) {
            return unknown_key(text, store, err);
        }
        profiles.insert(profiles.end(), found.begin(), found.end());
    }
    auto document = export_profiles_json(profiles);
    if (!line.output) {
        out << document;
        return exit_ok;
    }
    std::ofstream file(*line.output, std::ios::binary | std::ios::trunc);
    file << document;
    file.close();
    if (!file) {
        throw std::runtime_error(*line.output + ": cannot write the export");
    }
    err << "vigil-profiles: " << profiles.size() << " profiles written to " << *line.output << "\n";
    return exit_ok;
}

int run_import(const CommandLine &line, std::ostream &, std::ostream &err)
{
    const auto &path = line.arguments.front();
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw std::runtime_error(path + ": cannot read the file");
    }
    std::ostringstream text;
    text << file.rdbuf();
    std::vector<Profile> profiles;
    try {
        profiles = import_profiles_json(text.str());
    } catch (const ProfileJsonError &error) {
        throw std::runtime_error(path + ": " + error.what());
    }
    ProfileStore store(line.database, ProfileStore::Mode::create);
    store.import_profiles(profiles);
    err << "vigil-profiles: " << profiles.size() << " profiles imported into " << store.path().string() << "\n";
    return exit_ok;
}

int run_reset(const CommandLine &line, std::ostream &, std::ostream &err)
{
    auto key = parse_key(line.arguments.front(), err);
    if (!key) {
        return exit_usage;
    }
    ProfileStore store(line.database, ProfileStore::Mode::existing);
    std::size_t count = 0;
    if (line.version) {
        if (store.load(*key, *line.version)) {
            store.remove(*key, *line.version);
            std::vector<Profile> fresh{Profile(*key, *line.version, line.now_ns)};
            store.import_profiles(fresh);
            count = 1;
        }
    } else {
        count = store.reset(*key, line.now_ns);
    }
    if (count == 0) {
        return unknown_key(line.arguments.front(), store, err);
    }
    err << "vigil-profiles: " << count << (count == 1 ? " profile" : " profiles") << " of " << key->text()
        << " reset; they learn afresh from now\n";
    return exit_ok;
}

} // namespace

int run_subcommand(const CommandLine &line, std::ostream &out, std::ostream &err)
{
    if (line.subcommand == "list") {
        return run_list(line, out, err);
    }
    if (line.subcommand == "show") {
        return run_show(line, out, err);
    }
    if (line.subcommand == "export") {
        return run_export(line, out, err);
    }
    if (line.subcommand == "import") {
        return run_import(line, out, err);
    }
    if (line.subcommand == "reset") {
        return run_reset(line, out, err);
    }
    throw UsageError("unknown command \"" + line.subcommand + "\"");
}

} // namespace vigil_drift
