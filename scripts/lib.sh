# Shared by scripts/run and scripts/test: install what is missing, then build.
# Sourced, not executed.

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian 12 packages the server needs to build. Boost 1.81 because Boost.JSON and Boost.URL
# need it (the default libboost-dev is 1.74).
build_packages=(g++ cmake ninja-build pkg-config libboost1.81-dev libboost-json1.81-dev
    libboost-url1.81-dev libboost-program-options1.81-dev libssl-dev libsodium-dev
    libspdlog-dev)
# scripts/run takes the browser client files (socket.io-client, open-easyrtc) from npm.
run_packages=(nodejs npm)
# What the test suites add: GoogleTest, node for the socket.io client tests, openssl for test
# certificates, coturn (turnserver, turnutils_uclient) to check minted TURN credentials,
# Chromium and iproute2 for the browser test in its loopback-only namespace.
test_packages=(libgtest-dev nodejs npm openssl ca-certificates coturn chromium iproute2)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    # node may come from elsewhere than Debian's package; any node >= 18 will do.
    if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
        local filtered=()
        for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || filtered+=("$p"); done
        missing=("${filtered[@]}")
    fi
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "==> installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_node_modules() {
    # The lock file pins every test tool; reinstall only when it changed.
    local stamp="$repo_root/node_modules/.switchboard-lock"
    if [ -f "$stamp" ] && cmp -s "$stamp" "$repo_root/package-lock.json"; then return 0; fi
    echo "==> npm ci"
    (cd "$repo_root" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$repo_root/package-lock.json" "$stamp"
}

# configure_and_build DIR [cmake args...]
configure_and_build() {
    local dir=$1; shift
    cmake -S "$repo_root" -B "$dir" -G Ninja "$@" >/dev/null
    cmake --build "$dir" -j "$(nproc)"
}
