// The subcommands of the recovery-bot binary other than parsing the command line itself (main.cpp).
// Each returns the process exit code; errors are printed as one line naming what is wrong.
#pragma once

#include <string>
#include <vector>

#include "bot/process/config.hpp"

namespace rb {

// args: what is left after the settings were read; raw_args: the whole command line (to tell whether a
// setting was given at all).
int run_command(const std::string& command, config cfg, const std::vector<std::string>& args,
                const std::vector<std::string>& raw_args);
std::string subcommand_help(const std::string& command);

}  // namespace rb
