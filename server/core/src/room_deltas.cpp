#include "core_state.hpp"
#include "room_data.hpp"

// updateClient / removeClient deltas for a room's members: pushed at once, or merged per
// recipient while config room_delta_delay runs (see delta_outbox).
namespace switchboard::core {

namespace detail {

void flush_outbox(const connection& c, actions& out, shared_frames* shared) {
    if (c.outbox.rooms.empty()) {
        return;
    }
    std::string blocks;
    for (const auto& [name, part] : c.outbox.rooms) {
        if (!blocks.empty()) {
            blocks += ',';
        }
        append_delta_block(blocks, name, part.updates, part.removes);
    }
    c.outbox.rooms.clear();
    std::shared_ptr<const protocol::push_frame> frame;
    if (shared) {
        // Members that were in the room before a burst are owed the same deltas: one frame.
        auto& [time_ms, cached] = (*shared)[blocks];
        if (!cached || time_ms != c.outbox.time_ms) {
            cached = room_data_push(blocks, c.outbox.time_ms);
            time_ms = c.outbox.time_ms;
        }
        frame = cached;
    } else {
        frame = room_data_push(blocks, c.outbox.time_ms);
    }
    out.emplace_back(push{c.id, std::move(frame), recipient_id(c.easyrtcid)});
}

} // namespace detail

void signaling_core::impl::tell_members(room& r, std::string_view who,
                                        std::string_view update_entry, clock_reading now,
                                        actions& out) {
    if (r.members.empty()) {
        return;
    }
    std::string remove_entry;
    if (update_entry.empty()) {
        detail::append_remove_entry(remove_entry, who);
    }
    const std::string_view entry = update_entry.empty() ? remove_entry : update_entry;
    if (cfg.room_delta_delay.count() <= 0) {
        std::string block;
        detail::append_delta_block(block, r.name, update_entry, remove_entry);
        const auto frame = detail::room_data_push(block, now.wall_ms);
        for (const connection* member : r.members) {
            detail::push_to(*member, frame, out);
        }
        return;
    }
    if (r.waiting_ids.empty()) {
        rooms_waiting.push_back(&r);
    }
    if (!r.waiting_ids.emplace(who).second) {
        // `who` joined and leaves (or left and rejoins) within one delay: what waits goes
        // first, so the two entries never share a push and their order is kept.
        for (const connection* member : r.members) {
            detail::flush_outbox(*member, out);
        }
        r.waiting_ids.clear();
        r.waiting_ids.emplace(who);
    }
    const auto list = update_entry.empty() ? &detail::delta_outbox::room_part::removes
                                           : &detail::delta_outbox::room_part::updates;
    for (const connection* member : r.members) {
        auto& box = member->outbox;
        if (!box.listed) {
            box.listed = true;
            outboxes.push_back(member->id);
        }
        std::string& entries = box.rooms[r.name].*list;
        if (!entries.empty()) {
            entries += ',';
        }
        entries += entry;
        box.time_ms = now.wall_ms;
    }
    if (!deltas_due) {
        deltas_due = now.steady + cfg.room_delta_delay;
    }
}

void signaling_core::impl::flush_deltas(actions& out) {
    detail::shared_frames shared;
    for (conn_id id : outboxes) {
        if (auto it = conns.find(id); it != conns.end()) {
            detail::flush_outbox(it->second, out, &shared);
            it->second.outbox.listed = false;
        }
    }
    outboxes.clear();
    for (room* r : rooms_waiting) {
        r->waiting_ids.clear();
    }
    rooms_waiting.clear();
    deltas_due.reset();
}

} // namespace switchboard::core
