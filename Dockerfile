# Switchboard: EasyRTC signaling server.
#
#   docker build --secret id=ca,src=/etc/ssl/certs/ca-certificates.crt -t switchboard .
#   docker run -p 8080:8080 switchboard
#
# Configured by SWITCHBOARD_* environment variables (`docker run --rm switchboard --help` lists
# them), by arguments after the image name, or by a mounted file named in SWITCHBOARD_CONFIG;
# arguments win, then variables. The optional `ca` build secret is a CA bundle for npm when
# HTTPS goes through an intercepting proxy; it is never stored in a layer.

FROM debian:bookworm-slim AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ARG DEBIAN_FRONTEND=noninteractive
# Compile jobs; the default suits a 2-core builder.
ARG JOBS=2
# OFF skips building and running the unit tests, for a caller that has just run them itself.
ARG UNIT_TESTS=ON
COPY scripts/lib.sh /tmp/lib.sh
RUN source /tmp/lib.sh \
    && apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends "${build_packages[@]}" libgtest-dev \
        >/dev/null \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake cmake
COPY protocol protocol
COPY auth auth
COPY ice ice
COPY server server
COPY tests tests
# The build tree is a cache mount so a rebuild after a source change is incremental. The unit
# tests are the GoogleTest cases, the only tests without a label (the others need node, a
# browser or the container engine); only failures and the summary are printed.
RUN --mount=type=cache,target=/src/build \
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING="$UNIT_TESTS" \
        -DSWITCHBOARD_BUILD_BENCH=OFF >/dev/null \
    && cmake --build build -j "$JOBS" \
    && if [ "$UNIT_TESTS" = ON ]; then \
        ctest --test-dir build --label-exclude . --no-tests=error --output-on-failure -j "$JOBS" \
        | grep -v -E '^ +Start +[0-9]+: |^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed +[0-9.]+ sec$'; \
    fi \
    && install -D -s build/switchboard /out/switchboard

# socket.io's and EasyRTC's browser clients, from the npm packages pinned in package-lock.json.
FROM debian:bookworm-slim AS client-assets
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends nodejs npm ca-certificates >/dev/null \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=ca \
    if [ -f /run/secrets/ca ]; then \
        export NODE_EXTRA_CA_CERTS=/run/secrets/ca npm_config_cafile=/run/secrets/ca; \
    fi \
    && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
COPY scripts/lib.sh scripts/client-assets.sh scripts/
RUN scripts/client-assets.sh /out/client-assets

FROM debian:bookworm-slim
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends libboost-json1.81.0 libboost-url1.81.0 \
        libboost-program-options1.81.0 libssl3 libsodium23 libspdlog1.10 >/dev/null \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --user-group --uid 10001 --home-dir /nonexistent --no-create-home \
        --no-log-init --shell /usr/sbin/nologin switchboard
COPY --chmod=755 scripts/container-healthcheck.sh /usr/local/bin/switchboard-healthcheck
COPY --from=build /out/switchboard /usr/local/bin/switchboard
COPY --from=client-assets /out/client-assets /usr/local/share/switchboard/client-assets
COPY examples /usr/local/share/switchboard/examples
# Where the image keeps the browser files, as variables rather than arguments so that
# `docker run -e` can change them (arguments would win). They also win over a --config file.
# SWITCHBOARD_STATIC_DIR= turns the demo page off. The listen address is left to the server's
# default, 0.0.0.0:8080; give another as SWITCHBOARD_LISTEN, which the health check reads.
ENV SWITCHBOARD_CLIENT_ASSETS=/usr/local/share/switchboard/client-assets \
    SWITCHBOARD_STATIC_DIR=/usr/local/share/switchboard/examples
USER switchboard:switchboard
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 \
    CMD ["/usr/local/bin/switchboard-healthcheck"]
ENTRYPOINT ["/usr/local/bin/switchboard"]
