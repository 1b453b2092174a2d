#pragma once

#include <iosfwd>
#include <string_view>
#include <vector>

namespace switchboard::ice {

// A TURN shared secret. Its bytes are wiped when it is destroyed or overwritten, and it prints
// as a placeholder so it cannot reach a log by accident.
class secret {
public:
    explicit secret(std::string_view value);
    secret(const secret& other);
    secret(secret&& other) noexcept;
    // By value: the old bytes end up in `other` and are wiped when it goes.
    secret& operator=(secret other) noexcept;
    ~secret();

    std::string_view expose() const noexcept { return {bytes_.data(), bytes_.size()}; }
    bool empty() const noexcept { return bytes_.empty(); }

    friend std::ostream& operator<<(std::ostream& os, const secret& s);

private:
    // A vector rather than a std::string: moving a short std::string copies its bytes out of the
    // inline buffer and leaves them behind, whereas a vector hands over its heap block.
    std::vector<char> bytes_;
};

} // namespace switchboard::ice
