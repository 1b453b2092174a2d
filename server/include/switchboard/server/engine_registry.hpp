#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace switchboard::server {

class engine_session;

// sid -> session, so that polling requests and websocket upgrades arriving on any connection
// find their session. The registry owns open sessions; a session removes itself when it ends.
// The lock is held only for the map operation, never across I/O or a call into a session.
class engine_registry {
public:
    void add(std::shared_ptr<engine_session> s);
    std::shared_ptr<engine_session> find(std::string_view sid) const;
    void remove(std::string_view sid);
    std::size_t size() const;
    std::vector<std::shared_ptr<engine_session>> snapshot() const;

private:
    struct hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept {
            return std::hash<std::string_view>{}(s);
        }
    };
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<engine_session>, hash, std::equal_to<>> map_;
};

} // namespace switchboard::server
