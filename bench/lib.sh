# Shared by the benchmarks (sourced, not run): a work directory, removed on exit together with the directories in
# `cleanup_dirs`, after the processes in `pids` are stopped; free loopback ports; waiting for a server; and the
# loopback image origin they fetch from.
work="$(mktemp -d)"
pids=()
cleanup_dirs=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work" "${cleanup_dirs[@]}"
}
trap cleanup EXIT

# A free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits until $1 answers 200 (10 s); $2 names the server in the error.
wait_http() {
    for _ in $(seq 200); do curl -fs -o /dev/null "$1" && return 0; sleep 0.05; done
    echo "no answer from $1 (${2:-server})" >&2; exit 1
}

# Serves a JPEG-shaped file of $1 bytes from $work/origin on a loopback port; sets origin_url.
start_origin() {
    mkdir -p "$work/origin"
    { printf '\xff\xd8\xff\xe0'; head -c $(($1 - 4)) /dev/urandom; } > "$work/origin/image.jpg"
    local port
    port="$(free_port)"
    python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/origin" > /dev/null 2>&1 & pids+=($!)
    origin_url="http://127.0.0.1:$port/image.jpg"
    wait_http "$origin_url" "image origin"
}
