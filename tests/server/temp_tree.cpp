#include "temp_tree.hpp"

#include <fcntl.h>
#include <fstream>
#include <stdexcept>
#include <stdlib.h>
#include <string>
#include <sys/stat.h>

namespace switchboard::server::test {

temp_tree::temp_tree() {
    std::string pattern = (std::filesystem::temp_directory_path() / "switchboard-test-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("mkdtemp failed");
    root_ = std::filesystem::canonical(pattern);
}

temp_tree::~temp_tree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
}

std::filesystem::path temp_tree::write(std::string_view relative, std::string_view content) const {
    auto p = root_ / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out)
        throw std::runtime_error("cannot write " + p.native());
    return p;
}

void temp_tree::set_mtime(std::string_view relative, std::chrono::sys_seconds t) const {
    const timespec times[2] = {{t.time_since_epoch().count(), 0},
                               {t.time_since_epoch().count(), 0}};
    if (::utimensat(AT_FDCWD, (root_ / relative).c_str(), times, 0) != 0)
        throw std::runtime_error("utimensat failed");
}

} // namespace switchboard::server::test
