// A Lua script run by EVALSHA on a redis_connection, loaded again once when Redis answers NOSCRIPT.
#pragma once

#include <string>
#include <vector>

#include "net/asio.hpp"
#include "storage/redis_connection.hpp"
#include "storage/redis_value.hpp"

namespace rb {

// A Lua script identified by its SHA1. run() sends EVALSHA; if Redis answers NOSCRIPT (it restarted, or
// SCRIPT FLUSH ran), the script is loaded with SCRIPT LOAD and run once more. Error replies throw redis_error.
class redis_script {
public:
    explicit redis_script(std::string lua);
    awaitable<redis_value> run(redis_connection& redis, std::vector<std::string> keys,
                               std::vector<std::string> args) const;
    const std::string& sha1() const noexcept { return sha1_; }

private:
    std::string lua_;
    std::string sha1_;  // lowercase hex, computed locally: no round trip before the first EVALSHA
};

}  // namespace rb
