// SPDX-License-Identifier: Apache-2.0
// vigil: the command line of the sensor.
//
//   vigil run [-c FILE]      run the sensor
//   vigil check [-c FILE]    what this kernel offers, and which plugin programs can run
//   vigil plugins [-c FILE]  plugins, versions, ATT&CK coverage, options
//   vigil [-c FILE] <name> ARGS...  a plugin's command, lib/vigil/commands/vigil-<name>
//   vigil --version
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include <boost/program_options.hpp>
#include <vigil/plugin_abi.h>

#include "core/cli/commands.hpp"
#include "core/cli/plugin_command.hpp"
#include "core/logging/logging.hpp"

namespace options = boost::program_options;

namespace {

constexpr const char *usage = "usage: vigil [--version] [--help] <command> [-c FILE]\n"
                              "\n"
                              "commands:\n"
                              "  run       run the sensor (config: -c, default /etc/vigil/vigil.toml)\n"
                              "  check     report what this kernel offers and which plugin programs can run\n"
                              "  plugins   list plugins, their versions, ATT&CK coverage and options\n";

constexpr std::string_view builtin_commands[] = {"run", "check", "plugins"};

// What plugins added to lib/vigil/commands, for --help.
void print_plugin_commands(std::ostream &out)
{
    auto names = vigil::cli::list_plugin_commands(vigil::cli::plugin_commands_directory());
    if (names.empty()) {
        return;
    }
    out << "\nplugin commands (vigil [-c FILE] <command> ARGS..., see vigil <command> --help):\n";
    for (const auto &name : names) {
        out << "  " << name << "\n";
    }
}

} // namespace

int main(int argc, char **argv)
{
    // A plugin's command takes every argument after its name as its own, options
    // included: that must be settled before Boost parses anything.
    std::vector<std::string> arguments(argv + 1, argv + argc);
    if (auto call = vigil::cli::split_plugin_command(arguments, builtin_commands)) {
        if (auto executable = vigil::cli::plugin_command_path(vigil::cli::plugin_commands_directory(), call->name)) {
            return vigil::cli::exec_plugin_command(*executable, *call);
        }
        std::cerr << "vigil: unknown command '" << call->name << "'\n\n" << usage;
        return 2;
    }
    options::options_description global("options");
    global.add_options()("help,h", "show this help")("version", "print the version")(
        "config,c", options::value<std::string>(), "configuration file (TOML)")(
        "command", options::value<std::string>(), "run, check, plugins or a plugin command");
    options::positional_options_description positional;
    positional.add("command", 1);

    options::variables_map values;
    try {
        options::store(options::command_line_parser(argc, argv).options(global).positional(positional).run(), values);
        options::notify(values);
    } catch (const options::error &error) {
        std::cerr << "vigil: " << error.what() << "\n\n" << usage;
        return 2;
    }
    if (values.contains("help")) {
        std::cout << usage;
        print_plugin_commands(std::cout);
        std::cout << "\n" << global;
        return 0;
    }
    if (values.contains("version")) {
        std::cout << "vigil " << VIGIL_VERSION << " (plugin ABI " << VIGIL_ABI_MAJOR << "." << VIGIL_ABI_MINOR << ")\n";
        return 0;
    }
    if (!values.contains("command")) {
        std::cerr << usage;
        return 2;
    }
    vigil::logging::initialise();
    vigil::logging::route_libbpf_messages();

    vigil::cli::CommandOptions command_options;
    if (values.contains("config")) {
        command_options.config_path = values["config"].as<std::string>();
    }
    auto command = values["command"].as<std::string>();
    if (command == "run") {
        return vigil::cli::run_command(command_options);
    }
    if (command == "check") {
        return vigil::cli::check_command(command_options);
    }
    if (command == "plugins") {
        return vigil::cli::plugins_command(command_options);
    }
    std::cerr << "vigil: unknown command '" << command << "'\n\n" << usage;
    return 2;
}
