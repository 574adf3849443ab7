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
python3 scripts/picsum-like.py "$origin_port" & pids+=($!)

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
