// Where Redis is and how to log in: parsed from redis://, rediss:// (TLS) and unix:// URLs. The password is kept
// here and in AUTH only: no error message or redacted() form contains it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rb {

struct redis_url {
    enum class transport { tcp, unix_socket };
    transport kind = transport::tcp;
    std::string host = "127.0.0.1";  // tcp: name or address; [::1] is given without brackets
    std::uint16_t port = 6379;
    std::string path;      // unix_socket: absolute socket path
    std::string username;  // empty: AUTH <password> (legacy); else AUTH <username> <password> (ACL)
    std::string password;  // empty: no AUTH
    int db = 0;            // SELECT after connect when != 0
    bool tls = false;      // rediss://: TLS with the server's certificate verified (see redis_tls.hpp)

    // For logs: the URL with the password replaced by "***".
    std::string redacted() const;
};

// Accepted forms:
//   redis://host[:port][/db]            redis://:password@host:port/db     redis://user:password@host:port/db
//   rediss://... as redis://, over TLS
//   unix:///path/to/socket[?db=N]       unix://:password@/path/to/socket?db=N
// RFC 3986 syntax (Boost.URL): an '@', ':', '/' or '%' inside a user or password is written %40, %3A, %2F, %25
// and decoded here. Throws std::invalid_argument with a message that names the problem and never the password.
redis_url parse_redis_url(std::string_view text);

}  // namespace rb
