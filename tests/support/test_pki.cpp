// test_pki: openssl req -x509 -addext for the CAs (as tests/e2e make_test_certificate does for its self-signed
// certificate), openssl req + x509 -req -extfile for the leaves. Extensions are spelled out rather than left to the
// system openssl.cnf, so a leaf is never a CA by accident and the CA always is.
#include "tests/support/test_pki.hpp"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace rb::test {
namespace {

const std::string ec_key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

std::string quote(const std::string& path) { return "'" + path + "'"; }  // mkdtemp paths hold no quote

// Runs a shell command; throws with its output (stdout and stderr) unless it exits 0.
void run(const std::string& cmd) {
    FILE* p = popen((cmd + " 2>&1").c_str(), "r");
    if (p == nullptr) throw std::runtime_error("test_pki: popen failed: " + cmd);
    std::string out;
    char buf[512];
    while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    int status = pclose(p);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("test_pki: failed (is openssl in PATH?): " + cmd + "\n" + out);
}

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path);
    out << text;
    if (!out.flush()) throw std::runtime_error("test_pki: cannot write " + path);
}

void make_ca(const std::string& cert, const std::string& key, const std::string& cn) {
    run("openssl req -x509 " + ec_key + " -days 1 -subj /CN=" + cn +
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -keyout " +
        quote(key) + " -out " + quote(cert));
}

// A leaf signed by the test CA, with the extensions in ext (an -extfile body).
void make_leaf(const test_pki& pki, const std::string& name, const std::string& cn, const std::string& ext,
               const std::string& cert, const std::string& key) {
    const std::string csr = pki.dir + "/" + name + ".csr", ext_file = pki.dir + "/" + name + ".ext";
    write_file(ext_file, ext);
    run("openssl req -new " + ec_key + " -subj /CN=" + cn + " -keyout " + quote(key) + " -out " + quote(csr));
    run("openssl x509 -req -days 1 -in " + quote(csr) + " -CA " + quote(pki.ca_cert) + " -CAkey " + quote(pki.ca_key) +
        " -CAserial " + quote(pki.dir + "/ca.srl") + " -CAcreateserial -extfile " + quote(ext_file) + " -out " +
        quote(cert));
}

}  // namespace

test_pki make_test_pki() {
    std::string pattern = "/tmp/rb-pki-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("test_pki: mkdtemp failed");
    test_pki pki;
    pki.dir = pattern;
    pki.ca_cert = pki.dir + "/ca.pem";
    pki.ca_key = pki.dir + "/ca.key";
    pki.server_cert = pki.dir + "/server.pem";
    pki.server_key = pki.dir + "/server.key";
    pki.client_cert = pki.dir + "/client.pem";
    pki.client_key = pki.dir + "/client.key";
    pki.other_ca_cert = pki.dir + "/other-ca.pem";
    try {
        make_ca(pki.ca_cert, pki.ca_key, "rb-test-ca");
        // clientAuth too: a TLS replica presents its server certificate to its primary when clients must log in
        // with one (tls-auth-clients).
        make_leaf(pki, "server", "localhost",
                  "basicConstraints=critical,CA:FALSE\n"
                  "keyUsage=critical,digitalSignature\n"
                  "extendedKeyUsage=serverAuth,clientAuth\n"
                  "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                  "subjectKeyIdentifier=hash\n"
                  "authorityKeyIdentifier=keyid\n",
                  pki.server_cert, pki.server_key);
        make_leaf(pki, "client", "rb-test-client",
                  "basicConstraints=critical,CA:FALSE\n"
                  "keyUsage=critical,digitalSignature\n"
                  "extendedKeyUsage=clientAuth\n"
                  "subjectKeyIdentifier=hash\n"
                  "authorityKeyIdentifier=keyid\n",
                  pki.client_cert, pki.client_key);
        make_ca(pki.other_ca_cert, pki.dir + "/other-ca.key", "rb-other-ca");
    } catch (...) {
        remove_test_pki(pki);
        throw;
    }
    return pki;
}

void remove_test_pki(const test_pki& pki) {
    if (pki.dir.empty()) return;
    std::error_code ignored;
    std::filesystem::remove_all(pki.dir, ignored);
}

}  // namespace rb::test
