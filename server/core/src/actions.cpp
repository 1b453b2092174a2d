#include "switchboard/core/actions.hpp"

#include <boost/assert.hpp>

#include <algorithm>

namespace switchboard::core {

recipient_id::recipient_id(std::string_view s) noexcept
    : size_(static_cast<std::uint8_t>(std::min(s.size(), capacity))) {
    // The core only assigns ids that passed is_easyrtcid, which caps them at 32 characters.
    BOOST_ASSERT(s.size() <= capacity);
    std::copy_n(s.data(), size_, data_.data());
}

} // namespace switchboard::core
