#pragma once

#include "switchboard/server/net.hpp"

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace switchboard::server {

// A server context accepting TLS 1.2 and 1.3, loaded from PEM files. Throws with the file name
// and OpenSSL's reason when a file cannot be used (startup only).
std::unique_ptr<ssl::context> make_tls_context(const std::string& cert_file,
                                               const std::string& key_file);

} // namespace switchboard::server
