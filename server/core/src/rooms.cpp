#include "core_state.hpp"
#include "room_data.hpp"

#include <boost/assert.hpp>

// Applications, rooms, membership and the roomData deltas that membership changes cause.
namespace switchboard::core {

signaling_core::impl::application* signaling_core::impl::find_app(std::string_view name) {
    auto it = apps.find(name);
    return it != apps.end() ? &it->second : nullptr;
}

signaling_core::impl::application& signaling_core::impl::create_app(std::string_view name) {
    application& app = apps.emplace(std::string(name), application{}).first->second;
    app.name = name;
    room_named(app, cfg.default_room); // every application has its default room (spec §3.1)
    return app;
}

signaling_core::impl::room& signaling_core::impl::room_named(application& app,
                                                             std::string_view name) {
    auto it = app.rooms.find(name);
    if (it == app.rooms.end()) {
        it = app.rooms.emplace(std::string(name), room{}).first;
        it->second.name = name;
        ++room_count;
    }
    return it->second;
}

bool signaling_core::impl::is_full(const room& r) const {
    return cfg.room_max_connections != 0 && r.members.size() >= cfg.room_max_connections;
}

void signaling_core::impl::join(connection& c, room& r, clock_reading now, actions& out) {
    auto [it, fresh] = c.rooms.emplace(r.name, detail::membership{&r, now.wall_ms, 0, {}});
    BOOST_ASSERT(fresh);
    it->second.slot = r.members.size();
    // One updateClient delta for the members already there (the reference sends two).
    if (!r.members.empty()) {
        std::string entry;
        detail::append_client_entry(entry, c, it->second);
        tell_members(r, c.easyrtcid, entry, now, out);
    }
    r.members.push_back(&c);
    ++occupant_count;
}

void signaling_core::impl::leave(connection& c,
                                 std::map<std::string_view, detail::membership>::iterator m,
                                 clock_reading now, actions& out, bool tell_peers) {
    room& r = *m->second.where;
    const std::size_t slot = m->second.slot;
    connection* moved = r.members.back();
    r.members[slot] = moved;
    moved->rooms.find(r.name)->second.slot = slot;
    r.members.pop_back();
    --occupant_count;
    c.rooms.erase(m);
    if (tell_peers) {
        tell_members(r, c.easyrtcid, {}, now, out);
    }
}

void signaling_core::impl::leave_all(connection& c, clock_reading now, actions& out,
                                     bool tell_peers) {
    while (!c.rooms.empty()) {
        leave(c, c.rooms.begin(), now, out, tell_peers);
    }
}

signaling_core::impl::connection* signaling_core::impl::reachable_peer(const connection& c,
                                                                       std::string_view easyrtcid) {
    auto it = by_easyrtcid.find(easyrtcid);
    if (it == by_easyrtcid.end() || it->second->app != c.app) {
        return nullptr;
    }
    connection* peer = it->second;
    if (cfg.relay == relay_scope::room) {
        // Walk the smaller room set and look each room up in the other.
        const bool mine_smaller = c.rooms.size() <= peer->rooms.size();
        const auto& walk = mine_smaller ? c.rooms : peer->rooms;
        const auto& probe = mine_smaller ? peer->rooms : c.rooms;
        for (const auto& [name, m] : walk) {
            if (probe.contains(name)) {
                return peer;
            }
        }
        return nullptr;
    }
    return peer;
}

std::string signaling_core::impl::announce_self(const connection& c, clock_reading now,
                                                actions& out) {
    // One update block per room of c; each peer gets one push with the blocks of the rooms it
    // shares with c. Peers sharing the same set of rooms share one frame.
    std::vector<std::string> blocks;
    blocks.reserve(c.rooms.size());
    std::vector<std::pair<const connection*, std::vector<std::uint32_t>>> peers;
    std::unordered_map<conn_id, std::size_t> peer_index;
    for (const auto& [name, m] : c.rooms) {
        const auto room_index = static_cast<std::uint32_t>(blocks.size());
        detail::append_update_block(blocks.emplace_back(), c, m);
        for (const connection* member : m.where->members) {
            if (member == &c) {
                continue;
            }
            auto [it, fresh] = peer_index.try_emplace(member->id, peers.size());
            if (fresh) {
                peers.emplace_back(member, std::vector<std::uint32_t>{});
            }
            peers[it->second].second.push_back(room_index);
        }
    }
    std::map<std::vector<std::uint32_t>, std::shared_ptr<const protocol::push_frame>> frames;
    for (const auto& [peer, shared] : peers) {
        auto& frame = frames[shared];
        if (!frame) {
            std::string joined;
            for (std::uint32_t i : shared) {
                if (!joined.empty()) {
                    joined += ',';
                }
                joined += blocks[i];
            }
            frame = detail::room_data_push(joined, now.wall_ms);
        }
        detail::push_to(*peer, frame, out);
    }
    std::string all;
    for (const std::string& block : blocks) {
        if (!all.empty()) {
            all += ',';
        }
        all += block;
    }
    return all;
}

} // namespace switchboard::core
