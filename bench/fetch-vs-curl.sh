#!/usr/bin/env bash
# Benchmark: ImageFetcher against `curl -o` for one 5 MiB image on loopback (median of N runs each).
# Run with `make bench`; results are recorded in docs/benchmarks.md.
#
# curl is timed by its own time_total (no process start-up). ImageFetcher also hashes the body
# (SHA-256) and publishes it durably: temporary file, fsync, rename, directory fsync. So the
# comparison is made twice: on tmpfs (/dev/shm, where fsync costs nothing: the transfer path
# alone) and on the disk (where the fsync of 5 MiB is part of our price).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RUNS="${RUNS:-15}"
BIN="${1:?usage: fetch-vs-curl.sh path/to/fetch-bench}"
source bench/lib.sh
start_origin $((5 * 1024 * 1024))
url="$origin_url"
curl -s -o /dev/null "$url"   # warm the page cache

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now_ns() { date +%s%N; }
measure() {  # $1: directory to write into
    local times=() durable=()
    for _ in $(seq "$RUNS"); do times+=("$(curl -s -o "$1/out.jpg" -w '%{time_total}' "$url")"); done
    # The same durable, hashed result by the shell: curl -o, then sha256sum, then sync of the file (process start-up
    # included: it is part of doing it this way).
    for _ in $(seq "$RUNS"); do
        local t0 t1
        t0="$(now_ns)"
        curl -s -o "$1/out.jpg" "$url" && sha256sum "$1/out.jpg" > /dev/null && sync "$1/out.jpg"
        t1="$(now_ns)"
        durable+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", (b - a) / 1e9}')")
    done
    local curl_median durable_median ours
    curl_median="$(printf '%s\n' "${times[@]}" | median)"
    durable_median="$(printf '%s\n' "${durable[@]}" | median)"
    ours="$("$BIN" "$url" "$RUNS" "$1/store")"
    printf '  curl -o: %.4f s   curl -o && sha256sum && sync: %.4f s   ImageFetcher: %.4f s   ratio to curl -o: %.2f   to the durable, hashed curl: %.2f\n' \
        "$curl_median" "$durable_median" "$ours" "$(echo "$ours / $curl_median" | bc -l)" "$(echo "$ours / $durable_median" | bc -l)"
}
shm="$(mktemp -d -p /dev/shm)"
disk="$(mktemp -d -p "$PWD/.build")"
cleanup_dirs+=("$shm" "$disk")
echo "fetch of 5 MiB on loopback, median of $RUNS runs"
echo "tmpfs (transfer, hashing, writing):"
measure "$shm"
echo "disk (plus the fsync that makes the image durable):"
measure "$disk"
