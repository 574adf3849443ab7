#!/usr/bin/env bash
# Screenshots of the page for docs/: runs standalone mode against a local Picsum stand-in and
# takes desktop and phone shots with headless Chromium. Needs chromium and python3-pillow/Pillow.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN="${BIN:-.build/debug/hourly-image}"
work="$(mktemp -d)"
trap 'kill ${pids:-} 2>/dev/null || true; rm -rf "$work"' EXIT
python3 scripts/demo_picsum.py 18099 & pids="$!"
cat > "$work/image.yaml" <<YAML
apiVersion: images.dwk.dev/v1alpha1
kind: HourlyImage
metadata: {name: project-image, namespace: default}
spec: {url: "http://127.0.0.1:18099/1200", ttl: 1h, graceCount: 1}
YAML
"$BIN" standalone -f "$work/image.yaml" --data "$work/data" --port 18098 --bind 127.0.0.1 --allow-private-networks 2>"$work/log" & pids="$pids $!"
for _ in $(seq 100); do curl -sf http://127.0.0.1:18098/ | grep -q '<img src' && break; sleep 0.1; done
shot() { chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor="$3" \
    --window-size="$2" --virtual-time-budget=3000 --screenshot="$1" http://127.0.0.1:18098/ 2>/dev/null; }
shot docs/screenshot-desktop.png 1280,860 1
shot docs/screenshot-phone.png 390,844 2
echo "wrote docs/screenshot-desktop.png docs/screenshot-phone.png"
