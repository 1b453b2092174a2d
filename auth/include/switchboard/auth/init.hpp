#pragma once

namespace switchboard::auth {

// Initialises libsodium. Call once at startup, before any thread uses this library; libsodium
// makes repeated calls harmless. Throws std::runtime_error if no usable random source exists,
// because the server must not hand out guessable ids.
void init();

} // namespace switchboard::auth
