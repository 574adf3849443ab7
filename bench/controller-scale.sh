#!/usr/bin/env bash
# Benchmark: the controller with many HourlyImages. N objects are created in the test API server (kube-test-server,
# HTTPS, RBAC, as a fresh cluster) before the controller starts, each pointing at a loopback image server; measured:
# seconds from the controller's start until every one is Ready, its peak RSS, and its CPU over an idle period after;
# then the web command's peak RSS under the page benchmark (wrk -t2 -c64) with all N in its cache.
# Run with `make bench`; prints one Markdown table row per N.
#
# usage: controller-scale.sh HOURLY_IMAGE_BIN KUBE_TEST_SERVER_BIN N [N ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN="${1:?usage: controller-scale.sh hourly-image kube-test-server N [N ...]}"
KTS="${2:?}"
shift 2
IDLE="${IDLE:-60}"  # an idle minute
source bench/lib.sh
# VOLUME_PARENT=/dev/shm puts the image volume on tmpfs, where fsync costs nothing: the difference is the durability.
volume="$(mktemp -d -p "${VOLUME_PARENT:-$work}")"
cleanup_dirs+=("$volume")
start_origin $((20 * 1024))
ticks="$(getconf CLK_TCK)"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

for n in "$@"; do
    rm -rf "${volume:?}"/* "$work/kubeconfig"
    "$KTS" --kubeconfig "$work/kubeconfig" > "$work/kts.out" 2> "$work/kts.log" & kts_pid=$!
    pids+=("$kts_pid")
    for _ in $(seq 200); do [ -s "$work/kubeconfig" ] && break; sleep 0.05; done
    export KUBECONFIG="$work/kubeconfig"
    kubectl apply -f crds/hourlyimages.images.dwk.dev.yaml > /dev/null
    kubectl wait --for condition=established --timeout=30s crd/hourlyimages.images.dwk.dev > /dev/null
    python3 - "$n" "$origin_url" > "$work/objects.yaml" <<'PY'
import sys
n, url = int(sys.argv[1]), sys.argv[2]
for i in range(n):
    print("---\napiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\nmetadata: {name: img-%05d, namespace: default}\n"
          "spec: {url: \"%s?i=%d\", ttl: 1h, graceCount: 1}" % (i, url, i))
PY
    kubectl create -f "$work/objects.yaml" > /dev/null
    ready() { kubectl get hourlyimages -A --chunk-size=0 -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True || true; }
    poll=0.2; [ "$n" -gt 1000 ] && poll=1  # listing 10,000 objects is itself work for the two cores
    started="$(date +%s%N)"
    "$BIN" controller --kubeconfig "$work/kubeconfig" --volume-root "$volume" --no-leader-elect --allow-private-networks \
        --probe-port 0 --log-level warning > "$work/controller.log" 2>&1 & ctl=$!
    pids+=("$ctl")
    while [ "$(ready)" -lt "$n" ]; do
        kill -0 "$ctl" 2>/dev/null || { echo "the controller exited:"; cat "$work/controller.log"; exit 1; } >&2
        sleep "$poll"
    done
    done_ns="$(date +%s%N)"
    seconds="$(awk -v a="$started" -v b="$done_ns" 'BEGIN {printf "%.1f", (b - a) / 1e9}')"
    rss_peak="$(awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$ctl/status")"
    before="$(cpu_ticks "$ctl")"
    sleep "$IDLE"
    after="$(cpu_ticks "$ctl")"
    rss_idle="$(awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$ctl/status")"
    idle_cpu="$(awk -v a="$before" -v b="$after" -v t="$ticks" -v s="$IDLE" 'BEGIN {printf "%.2f%%", 100 * (b - a) / t / s}')"
    # The web Deployment's process on the same API server and volume: its peak RSS under the page benchmark, with
    # every one of the N HourlyImages in its cache.
    web_port="$(free_port)"; web_admin="$(free_port)"
    "$BIN" web --kubeconfig "$work/kubeconfig" --namespace default --volume-root "$volume" --port "$web_port" \
        --admin-port "$web_admin" --bind 127.0.0.1 --log-level warning > "$work/web.log" 2>&1 & web=$!
    pids+=("$web")
    for _ in $(seq 600); do curl -fs -o /dev/null "http://127.0.0.1:$web_admin/readyz" && break; sleep 0.1; done
    web_rps="$(wrk -t2 -c64 -d6s "http://127.0.0.1:$web_port/images/default/img-00000" | awk '/Requests\/sec/ {printf "%d", $2}')"
    web_rss="$(awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$web/status")"
    # Of which anonymous: the process's own heap and stacks (the rest is the binary and shared libraries, file pages).
    web_anon="$(awk '/RssAnon/ {printf "%d", $2 / 1024}' "/proc/$web/status")"
    anon="$(awk '/RssAnon/ {printf "%d", $2 / 1024}' "/proc/$ctl/status")"
    echo "| $n | $seconds s | $rss_peak MB ($anon MB anonymous) | $rss_idle MB | $idle_cpu of one core over ${IDLE} s | $web_rss MB ($web_anon MB anonymous) at $web_rps pages/s |"
    kill "$web" 2>/dev/null || true
    wait "$web" 2>/dev/null || true
    kill "$ctl" "$kts_pid" 2>/dev/null || true
    wait "$ctl" "$kts_pid" 2>/dev/null || true
done
