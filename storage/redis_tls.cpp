// Building the client context for rediss://. Each failure names the setting, the file and OpenSSL's reason, so an
// operator reading "REDIS_CA_FILE /etc/x.pem: no such file" knows what to fix without reading code.
#include "storage/redis_tls.hpp"

#include <boost/asio/ssl.hpp>
#include <stdexcept>

namespace rb {
namespace {

namespace ssl = boost::asio::ssl;

template <typename Load>
void load(const char* setting, const std::string& path, Load&& step) {
    try {
        step();
    } catch (const boost::system::system_error& e) {
        throw std::invalid_argument(std::string(setting) + " " + path + ": " + e.code().message());
    }
}

}  // namespace

std::shared_ptr<ssl::context> make_redis_tls_context(const redis_tls_files& files) {
    if (files.cert_file.empty() != files.key_file.empty())
        throw std::invalid_argument("REDIS_CERT_FILE and REDIS_KEY_FILE go together: set both or neither");
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    ctx->set_verify_mode(ssl::verify_peer);
    if (files.ca_file.empty())
        ctx->set_default_verify_paths();
    else
        load("REDIS_CA_FILE", files.ca_file, [&] { ctx->load_verify_file(files.ca_file); });
    if (!files.cert_file.empty()) {
        load("REDIS_CERT_FILE", files.cert_file, [&] { ctx->use_certificate_chain_file(files.cert_file); });
        load("REDIS_KEY_FILE", files.key_file, [&] { ctx->use_private_key_file(files.key_file, ssl::context::pem); });
    }
    return ctx;
}

}  // namespace rb
