#pragma once

#include <chrono>
#include <filesystem>
#include <string_view>

namespace switchboard::server::test {

// A directory tree under the system temp directory, removed with the object. root() is
// canonical, as the static file service requires.
class temp_tree {
public:
    temp_tree();
    temp_tree(const temp_tree&) = delete;
    temp_tree& operator=(const temp_tree&) = delete;
    ~temp_tree();

    const std::filesystem::path& root() const { return root_; }

    // Writes root/relative (creating directories) and returns its path.
    std::filesystem::path write(std::string_view relative, std::string_view content) const;
    // Sets the file's modification time to whole seconds since the Unix epoch.
    void set_mtime(std::string_view relative, std::chrono::sys_seconds t) const;

private:
    std::filesystem::path root_;
};

} // namespace switchboard::server::test
