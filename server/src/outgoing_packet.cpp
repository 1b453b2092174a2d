#include "switchboard/server/outgoing_packet.hpp"

#include <charconv>

namespace switchboard::server {

namespace {

std::string header(std::string_view digits, std::optional<std::uint64_t> id) {
    std::string s(digits);
    if (id) {
        char buf[24];
        auto [end, ec] = std::to_chars(std::begin(buf), std::end(buf), *id);
        s.append(buf, end);
    }
    return s;
}

} // namespace

outgoing_packet outgoing_packet::control(std::string text) {
    outgoing_packet p;
    p.prefix_ = std::move(text);
    return p;
}

outgoing_packet outgoing_packet::ack(std::uint64_t ack_id,
                                     std::shared_ptr<const std::string> payload) {
    outgoing_packet p;
    p.prefix_ = header("43", ack_id);
    p.prefix_.push_back('[');
    p.body_ = *payload;
    p.owner_ = std::move(payload);
    p.suffix_ = "]";
    return p;
}

outgoing_packet outgoing_packet::event(std::optional<std::uint64_t> ack_id,
                                       std::shared_ptr<const protocol::push_frame> frame,
                                       const core::recipient_id& recipient) {
    outgoing_packet p;
    p.prefix_ = header("42", ack_id);
    p.body_ = frame->head;
    p.tail_ = frame->tail;
    p.recipient_ = recipient;
    p.owner_ = std::move(frame);
    return p;
}

std::size_t outgoing_packet::size() const noexcept {
    return prefix_.size() + body_.size() + recipient_.view().size() + tail_.size() + suffix_.size();
}

std::array<boost::asio::const_buffer, 5> outgoing_packet::buffers() const noexcept {
    auto b = [](std::string_view s) { return boost::asio::const_buffer(s.data(), s.size()); };
    return {b(prefix_), b(body_), b(recipient_.view()), b(tail_), b(suffix_)};
}

void outgoing_packet::append_to(std::string& out) const {
    out.reserve(out.size() + size());
    out.append(prefix_).append(body_).append(recipient_.view()).append(tail_).append(suffix_);
}

} // namespace switchboard::server
