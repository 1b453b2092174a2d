#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <string>

namespace switchboard::ice {

// A configuration mistake, with a message an operator can act on: it names the bad entry.
struct config_error {
    std::string message;
};

// Found by boost::system::result<T, config_error>::value() through ADL. Configuration is read at
// startup, where an exception that ends the process is the right outcome.
[[noreturn]] void throw_exception_from_error(const config_error& e,
                                             const boost::source_location& loc);

template <class T>
using config_result = boost::system::result<T, config_error>;

} // namespace switchboard::ice
