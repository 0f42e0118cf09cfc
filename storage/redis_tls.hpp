// TLS to Redis (rediss://): one client context per process, built from the operator's files. Verification is
// always on: the server's chain must lead to the system's CAs or to REDIS_CA_FILE, and its certificate must name
// the host in the URL (or its IP address). A client certificate is sent when Redis asks for one
// (tls-auth-clients) and both REDIS_CERT_FILE and REDIS_KEY_FILE are set.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

namespace rb {

struct redis_tls_files {
    std::string ca_file;    // PEM CAs to trust instead of the system's; empty: the system's
    std::string cert_file;  // PEM client certificate chain; with key_file
    std::string key_file;   // PEM private key of cert_file
};

// Throws std::invalid_argument naming the setting and the file when one cannot be read or does not fit.
std::shared_ptr<boost::asio::ssl::context> make_redis_tls_context(const redis_tls_files& files);

}  // namespace rb
