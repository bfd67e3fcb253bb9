// SPDX-License-Identifier: Apache-2.0
// vigil-profiles: the drift plugin's profiles for people (see command_line.cpp
// for the usage). Exit status: 0 done, 1 failed, 2 bad usage or unknown key.
#include <chrono>
#include <cstdlib>
#include <exception>
#include <iostream>

#include "command_line.hpp"
#include "subcommands.hpp"

int main(int argc, char **argv)
{
    using namespace vigil_drift;
    auto now = std::chrono::system_clock::now().time_since_epoch();
    auto now_ns = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
    try {
        auto line = parse_command_line(argc, argv, std::getenv("VIGIL_STATE_DIRECTORY"), now_ns);
        if (line.help) {
            std::cout << usage_text();
            return exit_ok;
        }
        return run_subcommand(line, std::cout, std::cerr);
    } catch (const UsageError &error) {
        std::cerr << "vigil-profiles: " << error.what() << " (vigil-profiles --help)\n";
        return exit_usage;
    } catch (const std::exception &error) {
        std::cerr << "vigil-profiles: " << error.what() << "\n";
        return exit_failure;
    }
}
