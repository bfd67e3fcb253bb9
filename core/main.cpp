// SPDX-License-Identifier: Apache-2.0
// vigil: the command line of the sensor.
//
//   vigil run [-c FILE]      run the sensor
//   vigil check [-c FILE]    what this kernel offers, and which plugin programs can run
//   vigil plugins [-c FILE]  plugins, versions, ATT&CK coverage, options
//   vigil --version
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <vigil/plugin_abi.h>

#include "core/cli/commands.hpp"
#include "core/logging/logging.hpp"

namespace options = boost::program_options;

namespace {

constexpr const char *usage = "usage: vigil [--version] [--help] <command> [-c FILE]\n"
                              "\n"
                              "commands:\n"
                              "  run       run the sensor (config: -c, default /etc/vigil/vigil.toml)\n"
                              "  check     report what this kernel offers and which plugin programs can run\n"
                              "  plugins   list plugins, their versions, ATT&CK coverage and options\n";

} // namespace

int main(int argc, char **argv)
{
    options::options_description global("options");
    global.add_options()("help,h", "show this help")("version", "print the version")(
        "config,c", options::value<std::string>(),
        "configuration file (TOML)")("command", options::value<std::string>(), "run, check or plugins");
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
        std::cout << usage << "\n" << global;
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
