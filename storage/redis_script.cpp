// redis_script: EVALSHA with a one-time reload on NOSCRIPT. The SHA1 is computed locally (OpenSSL EVP), so the
// first run needs no SCRIPT LOAD round trip; a Redis that restarted without the script answers NOSCRIPT, the
// script is loaded once and the call retried once. A second NOSCRIPT (SCRIPT FLUSH in a loop) is an error.
#include "storage/redis_script.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace rb {
namespace {

std::string sha1_hex(const std::string& text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha1(), nullptr) != 1)
        throw std::runtime_error("sha1 of a Lua script failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}

}  // namespace

redis_script::redis_script(std::string lua) : lua_(std::move(lua)), sha1_(sha1_hex(lua_)) {}

awaitable<redis_value> redis_script::run(redis_connection& redis, std::vector<std::string> keys,
                                         std::vector<std::string> args) const {
    std::vector<std::string> argv;
    argv.reserve(3 + keys.size() + args.size());
    argv.insert(argv.end(), {"EVALSHA", sha1_, std::to_string(keys.size())});
    for (auto& k : keys) argv.push_back(std::move(k));
    for (auto& a : args) argv.push_back(std::move(a));
    bool missing = false;
    try {
        co_return co_await redis.call(argv);
    } catch (const redis_error& e) {
        if (!e.reply().starts_with("NOSCRIPT")) throw;
        missing = true;  // C++20 forbids co_await inside a handler: reload below
    }
    if (missing) {
        auto loaded = co_await redis.command("SCRIPT", "LOAD", lua_);
        if (loaded.as_string() != sha1_) throw std::logic_error("SCRIPT LOAD returned another sha1");
    }
    co_return co_await redis.call(std::move(argv));
}

}  // namespace rb
