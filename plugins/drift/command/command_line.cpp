// SPDX-License-Identifier: Apache-2.0
#include "command_line.hpp"

#include <boost/program_options.hpp>

#include <set>
#include <sstream>

#include "profile/profile_store.hpp"
#include "profile/unix_time.hpp"

namespace vigil_drift {

namespace po = boost::program_options;

namespace {

po::options_description visible_options()
{
    po::options_description options("options");
    options.add_options()("help,h", "show this help")(
        "state-dir", po::value<std::string>(),
        "the sensor's state directory (holding drift/profiles.db); default $VIGIL_STATE_DIRECTORY")(
        "output,o", po::value<std::string>(), "export: write to this file instead of standard output")(
        "version", po::value<std::string>(), "show, reset: only this version of the key")(
        "at", po::value<std::string>(), "compute learning states as of this RFC 3339 time instead of now");
    return options;
}

} // namespace

std::string usage_text()
{
    std::ostringstream text;
    text << "usage: vigil-profiles [options] <command> [arguments]\n"
            "\n"
            "The drift plugin's behavioural profiles, one per workload version and container,\n"
            "keyed \"namespace/Kind/name/container\" ('/' in a part is written %2F, '%' %25).\n"
            "\n"
            "commands:\n"
            "  list                  every profile: state and learning progress per class\n"
            "  show KEY              one key's profiles with their entries\n"
            "  export [KEY...]       profiles as JSON (all without keys)\n"
            "  import FILE           profiles from an export (replacing those with the same key\n"
            "                        and version; a running sensor reloads them)\n"
            "  reset KEY             start the key's profiles learning afresh\n"
            "\n"
         << visible_options()
         << "\nStates are computed with the learning settings the sensor stored in the database.\n"
            "Exit status: 0 done, 1 failed, 2 bad usage or unknown key.\n";
    return text.str();
}

CommandLine parse_command_line(int argc, const char *const *argv, const char *state_directory_variable,
                               std::uint64_t clock_now_ns)
{
    po::options_description hidden;
    hidden.add_options()("subcommand", po::value<std::string>())("arguments", po::value<std::vector<std::string>>());
    po::options_description all;
    all.add(visible_options()).add(hidden);
    po::positional_options_description positional;
    positional.add("subcommand", 1).add("arguments", -1);

    po::variables_map values;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), values);
        po::notify(values);
    } catch (const po::error &error) {
        throw UsageError(error.what());
    }

    CommandLine line;
    if (values.count("help")) {
        line.help = true;
        return line;
    }
    if (!values.count("subcommand")) {
        throw UsageError("no command given");
    }
    line.subcommand = values["subcommand"].as<std::string>();
    if (values.count("arguments")) {
        line.arguments = values["arguments"].as<std::vector<std::string>>();
    }
    if (values.count("output")) {
        line.output = values["output"].as<std::string>();
    }
    if (values.count("version")) {
        line.version = values["version"].as<std::string>();
    }

    static const std::set<std::string> known{"list", "show", "export", "import", "reset"};
    if (!known.contains(line.subcommand)) {
        throw UsageError("unknown command \"" + line.subcommand + "\"");
    }
    auto expect_arguments = [&](std::size_t count, const char *what) {
        if (line.arguments.size() != count) {
            throw UsageError(line.subcommand + " takes " + what);
        }
    };
    if (line.subcommand == "list") {
        expect_arguments(0, "no arguments");
    } else if (line.subcommand == "show" || line.subcommand == "reset") {
        expect_arguments(1, "one KEY");
    } else if (line.subcommand == "import") {
        expect_arguments(1, "one FILE");
    }
    if (line.output && line.subcommand != "export") {
        throw UsageError("--output is for export only");
    }
    if (line.version && line.subcommand != "show" && line.subcommand != "reset") {
        throw UsageError("--version is for show and reset only");
    }

    line.now_ns = clock_now_ns;
    if (values.count("at")) {
        auto at = parse_unix_ns(values["at"].as<std::string>());
        if (!at) {
            throw UsageError("--at: expected an RFC 3339 time such as 2024-05-01T10:00:00Z");
        }
        line.now_ns = *at;
    }

    std::filesystem::path state_directory;
    if (values.count("state-dir")) {
        state_directory = values["state-dir"].as<std::string>();
    } else if (state_directory_variable != nullptr && *state_directory_variable != '\0') {
        state_directory = state_directory_variable;
    } else {
        throw UsageError("no state directory: set VIGIL_STATE_DIRECTORY or pass --state-dir");
    }
    line.database = profile_database_path(state_directory);
    return line;
}

} // namespace vigil_drift
