// A small blocking HTTP(S) client for end-to-end tests: one connection, reused for several requests
// (keep-alive), plus raw byte writes for the slow and malformed clients the server must cut off.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace rb::test {

struct http_reply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    bool keep_alive = false;
};

class http_client {
public:
    // tls_ca: the PEM file to trust (the test's self-signed certificate); empty for plain HTTP.
    http_client(std::uint16_t port, std::string tls_ca = {},
                std::chrono::milliseconds timeout = std::chrono::seconds(10));
    ~http_client();
    http_client(http_client&&) noexcept;
    http_client& operator=(http_client&&) noexcept;

    // Sends one request on the connection; nullopt if the server closed it or timed out.
    std::optional<http_reply> request(const std::string& method, const std::string& target,
                                      const std::string& body = {},
                                      const std::map<std::string, std::string>& headers = {});
    void send_raw(const std::string& bytes);
    // Reads one response after send_raw; nullopt if none arrived before the server closed or the timeout.
    std::optional<http_reply> read_reply();
    // True when the server closes the connection within `within` (reads only until EOF or error).
    bool closed_by_server(std::chrono::milliseconds within);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// An Update with a text message, as Telegram sends it.
std::string text_update(std::int64_t update_id, std::int64_t chat_id, const std::string& text);

// Writes a self-signed certificate and key for 127.0.0.1/localhost into dir; returns {cert, key} paths.
std::pair<std::string, std::string> make_test_certificate(const std::string& dir);

}  // namespace rb::test
