// A throwaway PKI for TLS tests, made with the openssl command line in a fresh temp dir: a test CA, a server and a
// client certificate it signed, and an unrelated CA that must not verify the server. EC P-256 keys (fast to make),
// valid for one day. Blocking (it runs openssl six times, ~0.1 s in all); make one per suite, not per test.
#pragma once

#include <string>

namespace rb::test {

struct test_pki {
    std::string dir;                      // holds everything below; remove_test_pki() deletes it
    std::string ca_cert, ca_key;          // the test CA (CA:TRUE)
    std::string server_cert, server_key;  // CN=localhost, SAN DNS:localhost, IP:127.0.0.1; CA:FALSE; server+client
    std::string client_cert, client_key;  // CN=rb-test-client; CA:FALSE; clientAuth (for tls-auth-clients)
    std::string other_ca_cert;            // an unrelated CA: verifying the server against it must fail
};

test_pki make_test_pki();  // throws std::runtime_error with openssl's output on failure
void remove_test_pki(const test_pki& pki);

}  // namespace rb::test
