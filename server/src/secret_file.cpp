#include "switchboard/server/secret_file.hpp"

#include <sodium.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace switchboard::server {

std::vector<ice::secret> read_secret_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("--turn-secret-file " + path + ": cannot be read");
    std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<ice::secret> out;
    std::istringstream lines(contents);
    for (std::string line; std::getline(lines, line);) {
        auto b = line.find_first_not_of(" \t\r");
        auto e = line.find_last_not_of(" \t\r");
        if (b != std::string::npos && line[b] != '#')
            out.emplace_back(std::string_view(line).substr(b, e - b + 1));
        sodium_memzero(line.data(), line.size());
    }
    sodium_memzero(contents.data(), contents.size());
    if (out.empty())
        throw std::runtime_error("--turn-secret-file " + path + ": holds no secret");
    return out;
}

} // namespace switchboard::server
