// The subcommands of the recovery-bot binary other than parsing the command line itself (main.cpp).
// Each returns the process exit code; errors are printed as one line naming what is wrong.
#pragma once

#include <string>
#include <vector>

#include "bot/process/command_line.hpp"

namespace rb {

int run_command(const command_line& cl);
std::string subcommand_help(const std::string& command);

}  // namespace rb
