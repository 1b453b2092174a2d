#include "switchboard/server/file_cache.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace switchboard::server {

namespace {

namespace sys = boost::system;

sys::error_code last_error() {
    return {errno, sys::system_category()};
}

// Closes the descriptor on every return path.
class fd_guard {
public:
    explicit fd_guard(int fd)
        : fd_(fd) {}
    fd_guard(const fd_guard&) = delete;
    fd_guard& operator=(const fd_guard&) = delete;
    ~fd_guard() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

std::chrono::nanoseconds mtime_of(const struct stat& st) {
    return std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec);
}

} // namespace

file_cache::file_cache(std::size_t max_file_bytes, std::size_t max_total_bytes)
    : max_file_bytes_(max_file_bytes)
    , max_total_bytes_(max_total_bytes) {}

sys::result<file_snapshot> file_cache::load(const std::filesystem::path& file) {
    // Opened non-blocking so that a FIFO swapped in after the caller's checks cannot stall the
    // thread; size and mtime come from the open descriptor, so they describe what is read.
    fd_guard fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0)
        return last_error();
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        return last_error();
    if (!S_ISREG(st.st_mode))
        return sys::errc::make_error_code(sys::errc::no_such_file_or_directory);
    const auto size = static_cast<std::size_t>(st.st_size);
    if (st.st_size < 0 || size > max_file_bytes_)
        return sys::errc::make_error_code(sys::errc::file_too_large);
    const auto mtime = mtime_of(st);

    const std::string key = file.native();
    {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it != entries_.end() && it->second.snapshot.mtime == mtime && it->second.size == size) {
            it->second.last_use = ++clock_;
            return it->second.snapshot;
        }
    }

    auto bytes = std::make_shared<std::string>(size, '\0');
    std::size_t done = 0;
    while (done < size) {
        auto n = ::read(fd.get(), bytes->data() + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return last_error();
        if (n == 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    // A file truncated, grown or rewritten while it was read is a torn copy: refuse it rather
    // than serve or cache it under the old version's ETag.
    char extra = 0;
    struct stat after {};
    if (done != size || ::read(fd.get(), &extra, 1) != 0 || ::fstat(fd.get(), &after) != 0 ||
        mtime_of(after) != mtime)
        return sys::errc::make_error_code(sys::errc::resource_unavailable_try_again);

    file_snapshot snapshot{std::move(bytes), mtime};
    insert(key, snapshot, size);
    return snapshot;
}

void file_cache::insert(const std::string& key, const file_snapshot& snapshot, std::size_t size) {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) {
        total_bytes_ -= it->second.size;
        entries_.erase(it);
    }
    if (size > max_total_bytes_)
        return;
    while (total_bytes_ + size > max_total_bytes_ && !entries_.empty()) {
        auto oldest = std::min_element(entries_.begin(), entries_.end(), [](auto& a, auto& b) {
            return a.second.last_use < b.second.last_use;
        });
        total_bytes_ -= oldest->second.size;
        entries_.erase(oldest);
    }
    entries_.emplace(key, entry{snapshot, size, ++clock_});
    total_bytes_ += size;
}

std::size_t file_cache::cached_bytes() const {
    std::lock_guard lock(mutex_);
    return total_bytes_;
}

} // namespace switchboard::server
