#pragma once

#include <string_view>

namespace switchboard::auth {

// Equality whose running time does not depend on where the contents differ, for comparing
// secrets and tokens. Only the lengths may leak.
bool equal_constant_time(std::string_view a, std::string_view b) noexcept;

} // namespace switchboard::auth
