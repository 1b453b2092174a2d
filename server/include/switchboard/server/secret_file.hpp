#pragma once

#include "switchboard/ice/secret.hpp"

#include <string>
#include <vector>

namespace switchboard::server {

// TURN secrets from a file, one per line (blank lines and '#' comments skipped), so they stay
// out of process listings and environment dumps. Throws naming the file (startup and SIGHUP,
// where the caller keeps the old secrets).
std::vector<ice::secret> read_secret_file(const std::string& path);

} // namespace switchboard::server
