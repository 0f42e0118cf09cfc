// recovery-bot's composition root. (Being assembled: the serve path lands with storage and the client.)
#include <iostream>

#include "bot/config.hpp"

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::vector<std::string> rest;
    try {
        const rb::config cfg = rb::load_config(rb::process_environment(), args, rest);
        if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
            std::cout << rb::config_help();
            return 0;
        }
        rb::validate_config(cfg);
    } catch (const rb::config_error& e) {
        std::cerr << "recovery-bot: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
