#!/usr/bin/env bash
# Fills a directory with the browser files that switchboard serves with --client-assets DIR:
# the socket.io client bundle (DIR/socket.io, served at /socket.io/socket.io.js) and EasyRTC's
# client (DIR/easyrtc: easyrtc.js, easyrtc.css, easyrtc_ft.js, img/, labs/, served at
# /easyrtc/), copied from the npm packages pinned in package-lock.json, with a gzip copy of each
# .js, .css and .map for clients that accept it. The packages' licences go to DIR/licenses.
#
# Usage: scripts/client-assets.sh [DIR]        (default: build/client-assets)
#
# Idempotent: a file whose content is unchanged keeps its mtime, and so its ETag; files the
# packages no longer have are removed. Replacements are atomic, so a running server never
# reads half a file.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out=${1:-$repo_root/build/client-assets}
modules=$repo_root/node_modules
socketio=$modules/socket.io-client
easyrtc=$modules/open-easyrtc

# A checkout with nothing installed yet gets the lock file's packages; an existing install is
# never reinstalled from here (tests may be using it), only checked.
if [ ! -f "$socketio/package.json" ] || [ ! -f "$easyrtc/package.json" ]; then
    ensure_packages nodejs npm
    ensure_node_modules
fi

version_of() { node -p 'require(process.argv[1]).version' "$1/package.json"; }
pinned_version_of() {
    node -p 'require(process.argv[1]).packages["node_modules/" + process.argv[2]].version' \
        "$repo_root/package-lock.json" "$1"
}
for pkg in socket.io-client open-easyrtc; do
    have=$(version_of "$modules/$pkg")
    want=$(pinned_version_of "$pkg")
    if [ "$have" != "$want" ]; then
        echo "client-assets: node_modules has $pkg $have but package-lock.json pins $want;" \
            "run 'npm ci' in $repo_root" >&2
        exit 1
    fi
done

declare -A wanted=()

# put SRC DEST: copies when the content differs, then gzips DEST when it is text that compresses.
put() {
    local src=$1 dest=$2
    mkdir -p "$(dirname "$dest")"
    if ! cmp -s "$src" "$dest"; then
        cp "$src" "$dest.tmp.$$"
        mv -f "$dest.tmp.$$" "$dest"
    fi
    wanted[$dest]=1
    case $dest in
    *.js | *.css | *.map)
        # The .gz gets its source's mtime: equal times mean it is up to date (the server
        # ignores a .gz older than its file). -n keeps name and time out of it: reproducible.
        if [ ! -f "$dest.gz" ] || [ "$dest" -nt "$dest.gz" ] || [ "$dest" -ot "$dest.gz" ]; then
            gzip -9 -n -c "$dest" >"$dest.gz.tmp.$$"
            touch -r "$dest" "$dest.gz.tmp.$$"
            mv -f "$dest.gz.tmp.$$" "$dest.gz"
        fi
        wanted[$dest.gz]=1
        ;;
    esac
}

for f in "$socketio"/dist/*.js "$socketio"/dist/*.map; do
    put "$f" "$out/socket.io/$(basename "$f")"
done
for f in easyrtc.js easyrtc.css easyrtc_ft.js; do
    put "$easyrtc/api/$f" "$out/easyrtc/$f"
done
for dir in img labs; do
    for f in "$easyrtc/api/$dir"/*; do
        [ -f "$f" ] && put "$f" "$out/easyrtc/$dir/$(basename "$f")"
    done
done
put "$socketio/LICENSE" "$out/licenses/socket.io-client.LICENSE"
put "$easyrtc/LICENSE" "$out/licenses/open-easyrtc.LICENSE"

# What an earlier version of the packages had and this one does not.
while IFS= read -r -d '' f; do
    [ -n "${wanted[$f]:-}" ] || rm -f "$f"
done < <(find "$out/socket.io" "$out/easyrtc" "$out/licenses" -type f -print0)
find "$out/socket.io" "$out/easyrtc" -mindepth 1 -type d -empty -delete

echo "==> client assets in $out: socket.io-client $(version_of "$socketio")," \
    "open-easyrtc $(version_of "$easyrtc")"
