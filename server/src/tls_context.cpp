#include "switchboard/server/tls_context.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

namespace switchboard::server {

std::unique_ptr<ssl::context> make_tls_context(const std::string& cert_file,
                                               const std::string& key_file) {
    // tls_server, not tlsv12: the latter would also cap the maximum and turn TLS 1.3 off.
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                     ssl::context::single_dh_use);
    // Idle connections are the common case for signaling: don't hold 34 KB of buffers each.
    SSL_CTX_set_mode(ctx->native_handle(), SSL_MODE_RELEASE_BUFFERS);
    boost::system::error_code ec;
    ctx->use_certificate_chain_file(cert_file, ec);
    if (ec)
        throw std::runtime_error("--tls-cert " + cert_file + ": " + ec.message());
    ctx->use_private_key_file(key_file, ssl::context::pem, ec);
    if (ec)
        throw std::runtime_error("--tls-key " + key_file + ": " + ec.message());
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1)
        throw std::runtime_error("--tls-key " + key_file + " does not match --tls-cert " +
                                 cert_file);
    return ctx;
}

} // namespace switchboard::server
