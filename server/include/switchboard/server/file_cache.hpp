#pragma once

#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace switchboard::server {

// One version of a file as read from disk. The size and modification time identify the version
// (they make the ETag), so a file edited in place is read again on its next request.
struct file_snapshot {
    std::shared_ptr<const std::string> bytes;
    std::chrono::nanoseconds mtime{}; // since the Unix epoch
};

// File contents kept in memory between requests, bounded in total size, safe to share between
// I/O threads. Reads are synchronous: the per-file limit bounds how long one can take.
class file_cache {
public:
    file_cache(std::size_t max_file_bytes, std::size_t max_total_bytes);

    // The file's current contents, from memory when its size and mtime are unchanged. Errors:
    // no such file, not a regular file (a FIFO or device is never read), permission, larger
    // than max_file_bytes (file_too_large), or changed while it was read.
    boost::system::result<file_snapshot> load(const std::filesystem::path& file);

    std::size_t cached_bytes() const;

private:
    struct entry {
        file_snapshot snapshot;
        std::size_t size = 0;
        std::uint64_t last_use = 0;
    };

    void insert(const std::string& key, const file_snapshot& snapshot, std::size_t size);

    const std::size_t max_file_bytes_;
    const std::size_t max_total_bytes_;
    mutable std::mutex mutex_;
    std::map<std::string, entry> entries_;
    std::size_t total_bytes_ = 0;
    std::uint64_t clock_ = 0; // use counter for least-recently-used eviction
};

} // namespace switchboard::server
