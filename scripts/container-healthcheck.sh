#!/bin/bash
# The image's HEALTHCHECK: GET /healthz on the first address in SWITCHBOARD_LISTEN, over bash's
# /dev/tcp so the runtime image needs no HTTP client. Exits 0 on a 200 answer.
# Plain HTTP only: with SWITCHBOARD_TLS_ONLY=true, override the health check.
set -euo pipefail

listen=${SWITCHBOARD_LISTEN:-0.0.0.0:8080}
listen=${listen%%,*}
host=${listen%:*}
port=${listen##*:}
host=${host#\[}
host=${host%\]}
# A wildcard address is not one to connect to; its loopback is.
case $host in
0.0.0.0) host=127.0.0.1 ;;
::) host=::1 ;;
esac

exec 3<>"/dev/tcp/$host/$port"
printf 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
read -r status <&3
[[ $status == "HTTP/1.1 200 "* ]]
