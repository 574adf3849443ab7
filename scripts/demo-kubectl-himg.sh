#!/usr/bin/env bash
# Runs `kubectl himg` against the test API server with the controller and a Picsum-like origin on loopback, and prints
# what a user sees; docs/kubectl-himg.md shows its output. Usage: scripts/demo-kubectl-himg.sh [BIN_DIR] (default .build/debug,
# after `swift build --product hourly-image --product kube-test-server`).
set -euo pipefail
bin="$(cd "${1:-.build/debug}" && pwd)"
work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A Picsum-like origin: /1200 redirects to a photo (a new id each time), whose info names the photographer.
origin_port="$(port)"
cat > "$work/origin.py" <<'PY'
import http.server, itertools, json, os, sys
photos = itertools.cycle([("237", "André Spieker"), ("1025", "Matthew Wiebe"), ("870", "Akshay Paatil")])
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def do_GET(self):
        parts = self.path.split("/")
        if self.path == "/1200":
            photo, _ = next(photos)
            self.send_response(302); self.send_header("Location", f"/id/{photo}/1200/1200.jpg"); self.send_header("Picsum-ID", photo); self.end_headers()
        elif len(parts) == 4 and parts[1] == "id" and parts[3] == "info":
            author = {"237": "André Spieker", "1025": "Matthew Wiebe", "870": "Akshay Paatil"}.get(parts[2], "Unknown")
            body = json.dumps({"id": parts[2], "author": author, "url": f"https://unsplash.com/photos/{parts[2]}"}).encode()
            self.send_response(200); self.send_header("Content-Type", "application/json"); self.end_headers(); self.wfile.write(body)
        elif len(parts) == 5 and parts[1] == "id":
            body = b"\xff\xd8\xff\xe0" + os.urandom(135220)
            self.send_response(200); self.send_header("Content-Type", "image/jpeg"); self.end_headers(); self.wfile.write(body)
        else:
            self.send_response(404); self.end_headers()
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
python3 "$work/origin.py" "$origin_port" & pids+=($!)

export KUBECONFIG="$work/kubeconfig"
"$bin/kube-test-server" --kubeconfig "$KUBECONFIG" > "$work/server.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do kubectl get --raw /readyz >/dev/null 2>&1 && break; sleep 0.1; done
kubectl apply -f crds/hourlyimages.images.dwk.dev.yaml > /dev/null
kubectl wait --for condition=Established crd/hourlyimages.images.dwk.dev > /dev/null
"$bin/hourly-image" controller --volume-root "$work/volume" --no-leader-elect --allow-private-networks \
    --probe-port "$(port)" --log-format json > "$work/controller.log" 2>&1 & pids+=($!)
kubectl apply -f - > /dev/null <<YAML
apiVersion: images.dwk.dev/v1alpha1
kind: HourlyImage
metadata: {name: project-image, namespace: default}
spec: {url: "http://127.0.0.1:$origin_port/1200", ttl: 1h, graceCount: 1}
YAML
for _ in $(seq 100); do [ -n "$(kubectl get himg project-image -o jsonpath='{.status.current.sha256}')" ] && break; sleep 0.1; done
sleep 1

ln -s "$bin/hourly-image" "$work/kubectl-himg"
export PATH="$work:$PATH"
show() { echo "\$ $*"; "$@" 2>&1 | sed "s#$work#/tmp/demo#g; s#127.0.0.1:$origin_port#127.0.0.1:8000#g"; echo; }
show kubectl get himg
show kubectl himg get project-image
show kubectl himg refresh project-image --value demo-1
show kubectl himg get project-image
