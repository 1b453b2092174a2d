#!/usr/bin/env bash
# Builds the Dockerfile and runs the image, with rootful podman and runc (no Docker engine
# needed) from a debian:bookworm-slim base made locally with debootstrap. The container runs
# with host networking on a free loopback port, read-only, with no capabilities, and must serve
# /healthz, pass its own HEALTHCHECK, answer a socket.io handshake, serve the client assets and
# the demo page, relay between two EasyRTC clients, run as a non-root user, and exit 0 promptly
# on SIGTERM. See ../shared/notes/container-build.md in the project for why it is done this way.
#
# Usage: scripts/container-test.sh     (as root; re-runs itself with sudo otherwise)
# SWITCHBOARD_CONTAINER_UNIT_TESTS=OFF builds the image without building and running the unit
# tests in it, for a caller that has just run them (about half the image's compile time).
# The base rootfs tarball is cached in $SWITCHBOARD_CACHE_DIR (default
# ${XDG_CACHE_HOME:-/var/cache}/switchboard); delete it to make a fresh one. The build's layers
# and its compile cache stay in podman's storage so a second run only rebuilds what changed.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then exec sudo --preserve-env "$0" "$@"; fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cache_dir=${SWITCHBOARD_CACHE_DIR:-${XDG_CACHE_HOME:-/var/cache}/switchboard}
# Bump base_version when make_base_tarball changes, so cached tarballs and images are remade.
base_version=2
base_tarball=$cache_dir/debian-bookworm-minbase-v$base_version.tar.gz
base_local=localhost/switchboard-base:bookworm-v$base_version
base_image=docker.io/library/debian:bookworm-slim
image=localhost/switchboard:container-test
unit_tests=${SWITCHBOARD_CONTAINER_UNIT_TESTS:-ON}
name=switchboard-container-test-$$
# The drain deadline given to the server, and what podman stop may take on top of it.
drain_ms=2000
stop_slack_s=3

started=$SECONDS
failures=0
phase() { echo "==> [$((SECONDS - started)) s] $*"; }
pass() { echo "PASS $*"; }
fail() {
    echo "FAIL $*"
    failures=$((failures + 1))
}
# check DESCRIPTION COMMAND...: a PASS or FAIL line for the command's exit status.
check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}

work=$(mktemp -d)
container_started=false
cleanup() {
    if $container_started; then
        if [ "$failures" -gt 0 ]; then
            echo "--- container log (last 60 lines) ---"
            podman logs --tail 60 "$name" 2>&1 || true
        fi
        podman rm -f "$name" >/dev/null 2>&1 || true
    fi
    # Only the tag: the layers under it are the next run's build cache.
    podman rmi "$image" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
# So that a timeout or ^C still removes the container.
trap 'exit 130' INT TERM

# --- tools -----------------------------------------------------------------------------------

# With their recommends (the set ../shared/notes/container-build.md tested), which
# ensure_packages leaves out; so not through it.
missing=()
for tool in podman runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
    phase "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap >/dev/null
fi
ensure_packages curl nodejs npm
ensure_node_modules

# podman's defaults that do not fit here: its nofile limit is above this machine's hard limit,
# crun refuses the hybrid cgroup layout, and there is no systemd for cgroups or the event log.
cat >"$work/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
export CONTAINERS_CONF=$work/containers.conf

# --- base image ------------------------------------------------------------------------------

# The Debian mirror the host's apt uses for bookworm (deb822 .sources, then one-line lists).
host_mirror() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk '
            function stanza_end() {
                if (!found && types ~ /[[:space:]]deb([[:space:]]|$)/ &&
                    suites ~ /[[:space:]]bookworm([[:space:]]|$)/ && uri != "") {
                    print uri
                    found = 1
                }
                types = suites = uri = ""
            }
            /^[[:space:]]*$/ { stanza_end(); next }
            tolower($1) == "types:" { types = $0 }
            tolower($1) == "suites:" { suites = $0 }
            tolower($1) == "uris:" { uri = $2 }
            END { stanza_end() }' "$f"
    done
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list; do
        [ -f "$f" ] || continue
        awk '$1 == "deb" {
                i = 2
                if ($i ~ /^\[/) { while (i < NF && $i !~ /\]$/) i++; i++ }
                if ($(i + 1) == "bookworm") print $i
            }' "$f"
    done
}

# A minbase bookworm set up like the official slim image: no documentation, manual pages or
# translations, now or in what apt installs later; and dpkg without an fsync per file, which
# would make each build's hundreds of packages take minutes longer (a failed build step is
# thrown away whole anyway).
make_base_tarball() {
    local mirror root=$work/rootfs
    mirror=$(host_mirror | head -n 1)
    mirror=${mirror:-http://deb.debian.org/debian}
    phase "debootstrap bookworm from $mirror"
    if ! debootstrap --variant=minbase bookworm "$root" "${mirror%/}" \
        >"$work/debootstrap.log" 2>&1; then
        tail -n 30 "$work/debootstrap.log"
        return 1
    fi
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
        'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' \
        'path-exclude /usr/share/locale/*' 'path-exclude /usr/share/groff/*' \
        'path-exclude /usr/share/lintian/*' >"$root/etc/dpkg/dpkg.cfg.d/slim"
    echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/unsafe-io"
    echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/no-languages"
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
    rm -rf "$root"/usr/share/{man,info,locale,groff,lintian}/* \
        "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    mkdir -p "$cache_dir"
    tar --numeric-owner -C "$root" -c . | gzip -1 >"$base_tarball.tmp"
    mv -f "$base_tarball.tmp" "$base_tarball"
    rm -rf "$root"
}

if ! podman image exists "$base_local"; then
    [ -f "$base_tarball" ] || make_base_tarball
    phase "importing $base_tarball"
    podman import --quiet \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' "$base_tarball" "$base_local" >/dev/null
fi
# The name the Dockerfile asks for; podman resolves debian: to docker.io/library/debian.
podman tag "$base_local" "$base_image"

# --- build -----------------------------------------------------------------------------------

# HTTPS from a build step may go through an intercepting proxy the host trusts: npm gets the
# host's CA bundle as a build secret, which no layer keeps.
ca_bundle=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
secret=()
[ -f "$ca_bundle" ] && secret=(--secret "id=ca,src=$ca_bundle")

phase "building $image"
build_started=$SECONDS
# --format docker: the OCI format has no HEALTHCHECK. --jobs 2: npm works while g++ compiles.
if ! podman build --pull=never --format docker --network host --jobs 2 "${secret[@]}" \
    --build-arg "UNIT_TESTS=$unit_tests" -t "$image" "$repo_root"; then
    fail "podman build"
    exit 1
fi
pass "image built in $((SECONDS - build_started)) s," \
    "$(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1 / 1e6}')"

# --- run -------------------------------------------------------------------------------------

port=$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => {
    console.log(s.address().port); s.close(); })')
url=http://127.0.0.1:$port

phase "running $name on 127.0.0.1:$port"
# Configured both ways an operator would: a variable (which the HEALTHCHECK reads too) and an
# argument after the image name.
podman run -d --name "$name" --network host --read-only --cap-drop all \
    --security-opt no-new-privileges -e "SWITCHBOARD_LISTEN=127.0.0.1:$port" \
    "$image" --drain-timeout-ms "$drain_ms" >/dev/null
container_started=true

listening=false
for _ in $(seq 100); do
    if podman logs "$name" 2>&1 | grep -q "listening on 127.0.0.1:$port"; then
        listening=true
        break
    fi
    [ "$(podman inspect --format '{{.State.Running}}' "$name")" = true ] || break
    sleep 0.1
done
if ! $listening; then
    fail "container listening on 127.0.0.1:$port within 10 s"
    exit 1
fi
pass "container listening on 127.0.0.1:$port"

# serves PATH PATTERN: GET PATH answers 200 with PATTERN (a grep regex) in its body.
serves() {
    local status
    status=$(curl -sS -o "$work/body" -w '%{http_code}' --max-time 5 "$url$1") || return 1
    [ "$status" = 200 ] || { echo "GET $1: $status"; return 1; }
    grep -q -- "$2" "$work/body" ||
        { echo "GET $1: no $2 in: $(head -c 300 "$work/body")"; return 1; }
}

check "GET /healthz answers 200" serves /healthz '"connections"'
check "podman healthcheck run: healthy" podman healthcheck run "$name"
check "socket.io handshake: GET /socket.io/?EIO=4&transport=polling answers an open packet" \
    serves '/socket.io/?EIO=4&transport=polling' '^0{"sid":"'
check "client assets: /socket.io/socket.io.js" serves /socket.io/socket.io.js 'Socket.IO v4'
check "client assets: /easyrtc/easyrtc.js" serves /easyrtc/easyrtc.js 'easyrtc'
check "demo page at / loads the client assets" serves / '/easyrtc/easyrtc.js'
user=$(podman top "$name" user | awk 'NR == 2 { print $1 }') || true
check "server runs as '$user', not root" test -n "$user" -a "$user" != root -a "$user" != 0
if node "$repo_root/tests/container/relay-check.mjs" "$url"; then
    pass "two EasyRTC clients authenticate and relay"
else
    fail "two EasyRTC clients authenticate and relay"
fi

# --- stop ------------------------------------------------------------------------------------

# The handshake above left an Engine.IO session nobody polls (it outlives these checks by its
# ping timeout), so the drain has a connection to wait for and the stop shows the deadline kept.
phase "podman stop -t 10 (SIGTERM, SIGKILL after 10 s)"
stop_started=$(date +%s%N)
podman stop -t 10 "$name" >/dev/null
stop_ms=$((($(date +%s%N) - stop_started) / 1000000))
exit_code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
check "exit code 0 after SIGTERM (got $exit_code)" test "$exit_code" = 0
check "stopped in $stop_ms ms, within the ${drain_ms} ms drain deadline + ${stop_slack_s} s" \
    test "$stop_ms" -lt $((drain_ms + stop_slack_s * 1000))

phase "done"
if [ "$failures" -gt 0 ]; then
    echo "FAIL container test: $failures check(s) failed"
    exit 1
fi
echo "PASS container test"
