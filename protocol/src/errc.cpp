#include "switchboard/protocol/errc.hpp"

#include <string>

namespace switchboard::protocol {

namespace {

// error_category's destructor is protected and non-virtual by Boost's design (categories are
// static singletons never deleted through a base pointer); GCC flags every derived class anyway.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class protocol_category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "switchboard.protocol"; }

    std::string message(int ev) const override {
        switch (static_cast<errc>(ev)) {
        case errc::empty_packet:
            return "empty packet";
        case errc::unknown_packet_type:
            return "unknown packet type";
        case errc::bad_payload_length:
            return "malformed payload length prefix";
        case errc::payload_too_large:
            return "payload too large";
        case errc::bad_json:
            return "malformed JSON";
        case errc::not_an_event_array:
            return "event data is not an array starting with the event name";
        case errc::bad_ack_id:
            return "malformed acknowledgement id";
        case errc::unsupported_namespace:
            return "unsupported namespace";
        case errc::binary_unsupported:
            return "binary packets are not supported";
        case errc::unexpected_packet:
            return "packet not allowed in the current state";
        case errc::bad_query:
            return "malformed or ambiguous query string";
        case errc::unknown_transport:
            return "unknown transport";
        }
        return "unknown protocol error";
    }
};
#pragma GCC diagnostic pop

} // namespace

const boost::system::error_category& protocol_category() noexcept {
    static const protocol_category_impl category;
    return category;
}

} // namespace switchboard::protocol
