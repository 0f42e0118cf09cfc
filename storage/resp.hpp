// Internal to storage/: the RESP2 protocol through hiredis. format_command appends one command in argv form
// (redisFormatCommandArgv: user text never goes through a format string); resp_reader feeds bytes to hiredis's
// reader and hands back our redis_value. resp.cpp is the only file that sees redisReader or redisReply*.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "storage/redis_value.hpp"

namespace rb {

void format_command(std::string& out, const std::vector<std::string>& argv);

class resp_reader {
public:
    resp_reader();
    ~resp_reader();
    resp_reader(const resp_reader&) = delete;
    resp_reader& operator=(const resp_reader&) = delete;

    void feed(const char* data, std::size_t size);  // throws system_error(protocol) on a malformed stream
    std::optional<redis_value> next();              // a complete reply, or nullopt until more bytes arrive
    void reset();                                   // drop buffered bytes (after a disconnect)

private:
    void* reader_;  // redisReader*, kept opaque so no header above this one includes hiredis
};

}  // namespace rb
