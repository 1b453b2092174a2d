#!/usr/bin/env bash
# Runs the browser end-to-end test (tests/browser/call.test.mjs) with the server, the test driver
# and Chromium together inside a private network namespace that has only loopback, so nothing the
# browser tries can leave the machine. Everything must be installed before: Chromium, iproute2,
# the node modules. Arguments go to `node --test`. To do only some runs, set
# SB_BROWSER_MODES=websocket,tls (node's --test-name-pattern would filter the steps too).
set -euo pipefail
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

export SB_CLIENT_ASSETS=${SB_CLIENT_ASSETS:-$repo_root/build/client-assets}
if [ ! -f "$SB_CLIENT_ASSETS/easyrtc/easyrtc.js" ]; then
    "$repo_root/scripts/client-assets.sh" "$SB_CLIENT_ASSETS"
fi

# Root gets a plain network namespace; anyone else a user namespace mapped to root, where the
# kernel allows those.
unshare_args=(--net)
[ "$(id -u)" -eq 0 ] || unshare_args+=(--map-root-user)

exec unshare "${unshare_args[@]}" -- bash -euo pipefail -c '
    ip link set lo up
    # Asked of the kernel: /sys/class/net still shows the namespace sysfs was mounted in.
    interfaces=$(ip -o link show | awk -F": " "{print \$2}" | tr "\n" " ")
    if [ "$interfaces" != "lo " ]; then
        echo "browser-test: expected only loopback in the namespace, found: $interfaces" >&2
        exit 1
    fi
    cd "$0"
    exec node --test --test-reporter=spec "$@" tests/browser/call.test.mjs
' "$repo_root" "$@"
