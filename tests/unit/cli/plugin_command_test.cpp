// SPDX-License-Identifier: Apache-2.0
// `vigil <name> ARGS...` runs lib/vigil/commands/vigil-<name>: the split of
// the command line, and the whole path through a copy of the real executable
// laid out as an installation (bin/vigil, lib/vigil/commands/) with a tiny
// shell command that writes down what it was given.
#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <vector>

#include "core/cli/plugin_command.hpp"

using namespace vigil::cli;

namespace {

constexpr std::array<std::string_view, 3> builtins{"run", "check", "plugins"};

std::optional<PluginCommandCall> split(std::vector<std::string> arguments)
{
    return split_plugin_command(arguments, builtins);
}

struct Installation {
    Installation()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "vigil-commands-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        root = pattern;
        std::filesystem::create_directories(root / "bin");
        std::filesystem::create_directories(root / "lib" / "vigil" / "commands");
        std::filesystem::copy_file(VIGIL_BINARY, root / "bin" / "vigil");
    }
    ~Installation() { std::filesystem::remove_all(root); }

    void add_command(const std::string &name, const std::string &script)
    {
        auto path = root / "lib" / "vigil" / "commands" / ("vigil-" + name);
        std::ofstream(path) << "#!/bin/sh\n" << script;
        std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    }

    // Runs bin/vigil with @arguments; returns its exit status, its output in @output.
    int run(const std::string &arguments, std::string &output) const
    {
        auto command = (root / "bin" / "vigil").string() + " " + arguments + " 2>&1";
        FILE *pipe = ::popen(command.c_str(), "r");
        REQUIRE(pipe != nullptr);
        std::array<char, 4096> buffer{};
        output.clear();
        while (auto read = std::fread(buffer.data(), 1, buffer.size(), pipe)) {
            output.append(buffer.data(), read);
        }
        auto status = ::pclose(pipe);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    std::filesystem::path root;
};

} // namespace

TEST_CASE("plugin command: the name is the first word that is not vigil's option; the rest is the command's")
{
    auto call = split({"-c", "/etc/x.toml", "profiles", "show", "-c", "web", "--json"});
    REQUIRE(call.has_value());
    CHECK(call->name == "profiles");
    CHECK(call->config_path == "/etc/x.toml");
    CHECK(call->arguments == std::vector<std::string>{"show", "-c", "web", "--json"});

    CHECK(split({"--config=/a.toml", "profiles"})->config_path == "/a.toml");
    CHECK(split({"-c/b.toml", "profiles"})->config_path == "/b.toml");
    CHECK_FALSE(split({"profiles"})->config_path.has_value());

    // Built-in commands, no command, and vigil's own flags are left to vigil's parser.
    CHECK_FALSE(split({"run", "-c", "x"}).has_value());
    CHECK_FALSE(split({"-c", "x", "check"}).has_value());
    CHECK_FALSE(split({}).has_value());
    CHECK_FALSE(split({"--help"}).has_value());
    CHECK_FALSE(split({"--version", "profiles"}).has_value());
    CHECK_FALSE(split({"-c"}).has_value());
}

TEST_CASE("plugin command: only executables named vigil-<name> are commands")
{
    Installation installation;
    installation.add_command("echo", "exit 0\n");
    auto directory = (installation.root / "lib" / "vigil" / "commands").string();
    std::ofstream(installation.root / "lib" / "vigil" / "commands" / "vigil-notexec") << "x";
    std::ofstream(installation.root / "lib" / "vigil" / "commands" / "README") << "x";
    CHECK(list_plugin_commands(directory) == std::vector<std::string>{"echo"});
    CHECK(plugin_command_path(directory, "echo") == directory + "/vigil-echo");
    CHECK_FALSE(plugin_command_path(directory, "notexec").has_value());
    CHECK_FALSE(plugin_command_path(directory, "../commands/vigil-echo").has_value());
    CHECK_FALSE(list_plugin_commands("/nonexistent/vigil-commands").size());
}

TEST_CASE("plugin command: vigil runs it with its arguments unchanged, the state directory and the config")
{
    Installation installation;
    auto record = installation.root / "record";
    installation.add_command("echo", "printf '%s|' \"$@\" > " + record.string() +
                                         "\n"
                                         "echo \"state=$VIGIL_STATE_DIRECTORY config=$VIGIL_CONFIG\" >> " +
                                         record.string() + "\nexit 7\n");
    auto config = installation.root / "vigil.toml";
    std::ofstream(config) << "[sensor]\nstate_directory = \"/srv/vigil-state\"\n";

    std::string output;
    CHECK(installation.run("-c " + config.string() + " echo show -c web --json 'two words'", output) == 7);
    std::ifstream recorded(record);
    std::stringstream text;
    text << recorded.rdbuf();
    CHECK(text.str() == "show|-c|web|--json|two words|state=/srv/vigil-state config=" + config.string() + "\n");

    // --help lists it; an unknown name is still an unknown command.
    CHECK(installation.run("--help", output) == 0);
    CHECK(output.find("plugin commands") != std::string::npos);
    CHECK(output.find("  echo\n") != std::string::npos);
    CHECK(installation.run("frobnicate --whatever", output) == 2);
    CHECK(output.find("unknown command 'frobnicate'") != std::string::npos);

    // A configuration that does not load stops it before it runs.
    std::ofstream(config) << "[sensor]\nno_such_key = 1\n";
    CHECK(installation.run("-c " + config.string() + " echo", output) == 2);
}
