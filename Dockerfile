# The hourly-image container image: one executable, `hourly-image`, that runs as
# `hourly-image controller` or `hourly-image web` (manifests/ pass the subcommand).
#
#   docker build -t hourly-image:0.1.0 .
#   k3d image import hourly-image:0.1.0          # then: kubectl apply -k .  (README, "On a cluster (k3d)")

# ---- build ----------------------------------------------------------------------
# swift:6.3-bookworm is the official Swift image (Docker Hub "swift", built from
# swiftlang/swift-docker 6.3/debian/12): Swift 6.3 on Debian 12 "bookworm", the
# `6.3` tag following the latest 6.3.x patch release. Bookworm because the
# runtime stage is debian:bookworm-slim: the binary is linked against exactly
# the glibc and libcurl it will run with. (Pin a patch release, e.g.
# swift:6.3.3-bookworm, or a digest for reproducible builds.)
FROM swift:6.3-bookworm AS build

# The libcurl headers for the CCurl system library (all outbound HTTP).
RUN export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Dependencies first, so this layer is reused until the manifest changes.
# Package.resolved is optional (it is not committed); when present it pins versions.
COPY Package.swift Package.resolved* ./
RUN swift package resolve

# Then the sources, and only them: without Tests/, Package.swift declares the
# product's targets alone (the tests, their helper package and the benchmarks
# are declared only when Tests/ is there).
COPY Sources ./Sources

# The commit `hourly-image version` reports; .git is not in the build context, so
# pass it: docker build --build-arg HOURLY_IMAGE_BUILD_COMMIT=$(git rev-parse --short=12 HEAD) .
ARG HOURLY_IMAGE_BUILD_COMMIT=unknown

# The release build. `make` runs this same line outside Docker (it reads the
# line after the marker), so keep it one line, starting with RUN.
# build-command
RUN swift build -c release --static-swift-stdlib --product hourly-image

# Stripped of its symbol tables (about 136 MB -> 77 MB); `make test-release` runs
# this line too, into a temporary OUT, and runs the stripped binary.
# install-command
RUN install -D -m 0755 --strip "$(swift build -c release --show-bin-path)/hourly-image" "${OUT:-/out}/hourly-image"

# ---- runtime --------------------------------------------------------------------
# tzdata: the zone rules spec.timeZone names (Europe/Helsinki, America/New_York).
# The Swift runtime and Foundation are linked in statically; what stays dynamic
# is glibc, libstdc++ (both in the slim image), and libcurl with its TLS stack.
FROM debian:bookworm-slim

RUN export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libcurl4 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 65532 hourly-image \
    && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin hourly-image \
    && install -d -o 65532 -g 65532 -m 0755 /data

COPY --from=build /out/hourly-image /usr/local/bin/hourly-image
# Fails the build here, not in the cluster, if a shared library is missing.
RUN hourly-image --help >/dev/null

LABEL org.opencontainers.image.title="hourly-image" \
      org.opencontainers.image.description="HourlyImage operator: controller and web page (one binary)"

# Numeric, so Kubernetes can check runAsNonRoot without reading /etc/passwd.
USER 65532:65532
# /data (owned by 65532 above) is where the manifests mount the image volume.
# 8080: `web` public port (page, image bytes); 8081: `web` admin port (/healthz, /readyz, /metrics, JSON) or `controller` probes and metrics.
EXPOSE 8080 8081

ENTRYPOINT ["hourly-image"]
CMD ["--help"]
