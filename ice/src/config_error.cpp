#include "switchboard/ice/config_error.hpp"

#include <stdexcept>

namespace switchboard::ice {

void throw_exception_from_error(const config_error& e, const boost::source_location& /*loc*/) {
    throw std::runtime_error(e.message);
}

} // namespace switchboard::ice
