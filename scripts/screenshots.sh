#!/usr/bin/env bash
# Screenshots for docs/ with headless Chromium: the page (desktop and phone), then the history page after three
# refreshes (phone and desktop). Runs standalone mode against scripts/picsum-like.py on loopback.
# Usage: scripts/screenshots.sh [BIN_DIR] (default .build/debug)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="$(cd "${1:-.build/debug}" && pwd)"
work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
origin="$(port)" page="$(port)" admin="$(port)"
python3 scripts/picsum-like.py "$origin" & pids+=($!)
cat > "$work/image.yaml" <<YAML
apiVersion: images.dwk.dev/v1alpha1
kind: HourlyImage
metadata: {name: project-image, namespace: default}
spec: {url: "http://127.0.0.1:$origin/1200", ttl: 1h, graceCount: 1, keep: 4}
YAML
"$bin/hourly-image" standalone -f "$work/image.yaml" --data "$work/data" --port "$page" --admin-port "$admin" --bind 127.0.0.1 \
    --allow-private-networks > "$work/log" 2>&1 & pids+=($!)
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$page/" | grep -q '<img src=' && break; sleep 0.2; done
base="http://127.0.0.1:$page"
python3 scripts/shoot.py "$work/profile" "docs/screenshot-desktop.png=$base/@1280x860" "docs/screenshot-phone.png=$base/@390x844*2"

refreshed() { curl -sf "http://127.0.0.1:$admin/apis/images.dwk.dev/v1alpha1/namespaces/default/hourlyimages/project-image" | grep -q "\"lastRefresh\":\"$1\""; }
for value in one two three; do
    sleep 1.1  # served times a second apart
    curl -sf -X POST "http://127.0.0.1:$admin/images/default/project-image/refresh?value=$value" > /dev/null
    for _ in $(seq 150); do refreshed "$value" && break; sleep 0.2; done
done
python3 scripts/shoot.py "$work/profile" "docs/screenshot-history-phone.png=$base/images/default/project-image/history@390x1400" \
    "docs/screenshot-history-desktop.png=$base/images/default/project-image/history@1280x900"
echo "wrote docs/screenshot-desktop.png docs/screenshot-phone.png docs/screenshot-history-phone.png docs/screenshot-history-desktop.png"
