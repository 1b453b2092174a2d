#include "switchboard/server/engine_registry.hpp"

#include "switchboard/server/engine_session.hpp"

namespace switchboard::server {

void engine_registry::add(std::shared_ptr<engine_session> s) {
    std::lock_guard lock(mutex_);
    auto key = s->sid();
    map_.emplace(std::move(key), std::move(s));
}

std::shared_ptr<engine_session> engine_registry::find(std::string_view sid) const {
    std::lock_guard lock(mutex_);
    auto it = map_.find(sid);
    return it == map_.end() ? nullptr : it->second;
}

void engine_registry::remove(std::string_view sid) {
    std::shared_ptr<engine_session> last; // destroyed after the lock is released
    std::lock_guard lock(mutex_);
    if (auto it = map_.find(sid); it != map_.end()) {
        last = std::move(it->second);
        map_.erase(it);
    }
}

std::size_t engine_registry::size() const {
    std::lock_guard lock(mutex_);
    return map_.size();
}

std::vector<std::shared_ptr<engine_session>> engine_registry::snapshot() const {
    std::lock_guard lock(mutex_);
    std::vector<std::shared_ptr<engine_session>> out;
    out.reserve(map_.size());
    for (const auto& [sid, s] : map_)
        out.push_back(s);
    return out;
}

} // namespace switchboard::server
