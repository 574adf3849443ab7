#!/usr/bin/env bash
# Benchmark: the page and the image bytes served by hourly-image standalone, side by side with nginx serving the very
# same files from disk (the limit), Hummingbird serving them from memory (the framework's ceiling), and the course's
# FastAPI and Flask seeds. One run, one machine, `wrk -t2 -c64` against each in turn; prints a Markdown table and,
# with --write, replaces the table in docs/benchmarks.md. Run with `make bench`.
#
# usage: web-vs-nginx.sh HOURLY_IMAGE_BIN HELLO_BENCH_BIN VENV_PYTHON [--write]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN="${1:?usage: web-vs-nginx.sh hourly-image hello-bench venv-python [--write]}"
HELLO="${2:?}"
VPY="$(cd "$(dirname "${3:?}")" && pwd)/$(basename "$3")"  # absolute: the seeds run from bench/seeds
WRITE="${4:-}"
DURATION="${DURATION:-6s}"
CONNECTIONS="${CONNECTIONS:-64}"
source bench/lib.sh
chmod 755 "$work"  # nginx workers drop root and must read the files

# The image origin: a 222 KB JPEG-shaped file on a loopback server (the standalone binary fetches it once).
start_origin $((222 * 1024))
mkdir -p "$work/seed"

# hourly-image standalone, one resource, a TTL long enough that nothing expires during the run.
ours_port="$(free_port)"; admin_port="$(free_port)"
cat > "$work/image.yaml" <<YAML
apiVersion: images.dwk.dev/v1alpha1
kind: HourlyImage
metadata: {name: project-image, namespace: default}
spec: {url: "$origin_url", ttl: 1h, graceCount: 1}
YAML
"$BIN" standalone -f "$work/image.yaml" --data "$work/data" --port "$ours_port" --admin-port "$admin_port" \
    --bind 127.0.0.1 --allow-private-networks --log-level warning > "$work/ours.log" 2>&1 & pids+=($!)
ours_pid=$!
image_path=""
for _ in $(seq 200); do
    image_path="$(curl -fs "http://127.0.0.1:$ours_port/" | grep -oE '/images/default/project-image/[0-9a-f]{64}\.jpg' | head -1 || true)"
    [ -n "$image_path" ] && break
    sleep 0.1
done
[ -n "$image_path" ] || { echo "hourly-image served no image:"; cat "$work/ours.log"; exit 1; } >&2
sha="$(basename "$image_path" .jpg)"

# nginx on the same page HTML and image file, from disk (sendfile, no access log), as many workers as cores.
mkdir -p "$work/nginx/root$(dirname "$image_path")" "$work/nginx/logs"
curl -fs "http://127.0.0.1:$ours_port/" > "$work/nginx/root/index.html"
cp "$work/origin/image.jpg" "$work/nginx/root$image_path"
nginx_port="$(free_port)"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $work/nginx/tmp; proxy_temp_path $work/nginx/tmp; fastcgi_temp_path $work/nginx/tmp;
    uwsgi_temp_path $work/nginx/tmp; scgi_temp_path $work/nginx/tmp;
    types { text/html html; image/jpeg jpg; }
    server { listen 127.0.0.1:$nginx_port; root $work/nginx/root; index index.html; etag on; }
}
CONF
mkdir -p "$work/nginx/tmp"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g "daemon off;" 2> "$work/nginx.err" & pids+=($!)
wait_http "http://127.0.0.1:$nginx_port/" nginx

# Hummingbird with the same bytes from memory.
hello_port="$(free_port)"
"$HELLO" "$hello_port" "$work/nginx/root/index.html" "$work/origin/image.jpg" > /dev/null 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$hello_port/" hello-bench

# The seeds, in their own virtual environment, on a volume with the image and its timestamp.
cp "$work/origin/image.jpg" "$work/seed/image.jpg"
date '+%Y-%m-%d_%H:%M:%S' > "$work/seed/last_updated"
fastapi_port="$(free_port)"; flask_port="$(free_port)"
(cd bench/seeds && IMAGE_DIR="$work/seed" exec "$VPY" -m uvicorn fastapi_app:app --host 127.0.0.1 --port "$fastapi_port" --log-level warning --no-access-log) & pids+=($!)
(cd bench/seeds && IMAGE_DIR="$work/seed" exec "$VPY" flask_app.py "$flask_port") > /dev/null 2>&1 & pids+=($!)
wait_http "http://127.0.0.1:$fastapi_port/" fastapi
wait_http "http://127.0.0.1:$flask_port/" flask

# wrk: requests/s and p99 latency.
run() {  # $1: url, then extra wrk arguments; prints "req/s p99"
    local url="$1"; shift
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" > "$work/wrk.out" 2>&1 || true
    local rps p99
    rps="$(awk '/Requests\/sec/ {printf "%d", $2}' "$work/wrk.out")"
    p99="$(awk '$1 == "99%" {print $2}' "$work/wrk.out")"
    echo "${rps:-0} ${p99:-?}"
}
rss_kb() { awk '/VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "—" }'; }
times() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "—" }'; }

echo "measuring (wrk -t2 -c$CONNECTIONS -d$DURATION each) ..." >&2
read -r nginx_page nginx_page_p99 < <(run "http://127.0.0.1:$nginx_port/")
read -r nginx_image nginx_image_p99 < <(run "http://127.0.0.1:$nginx_port$image_path")
read -r nginx_304 _ < <(run "http://127.0.0.1:$nginx_port$image_path" -H "If-None-Match: $(curl -fsI "http://127.0.0.1:$nginx_port$image_path" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')")
read -r hello_page hello_page_p99 < <(run "http://127.0.0.1:$hello_port/")
read -r hello_image hello_image_p99 < <(run "http://127.0.0.1:$hello_port/image")
read -r ours_page ours_page_p99 < <(run "http://127.0.0.1:$ours_port/")
read -r ours_image ours_image_p99 < <(run "http://127.0.0.1:$ours_port$image_path")
read -r ours_304 ours_304_p99 < <(run "http://127.0.0.1:$ours_port$image_path" -H "If-None-Match: \"$sha\"")
ours_rss="$(rss_kb "$ours_pid")"
read -r fastapi_page fastapi_page_p99 < <(run "http://127.0.0.1:$fastapi_port/")
read -r fastapi_image fastapi_image_p99 < <(run "http://127.0.0.1:$fastapi_port/assets/image.jpg")
read -r flask_page flask_page_p99 < <(run "http://127.0.0.1:$flask_port/")

cpu="$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
table="$(cat <<TABLE
<!-- bench:web:start (written by bench/web-vs-nginx.sh; do not edit by hand) -->
$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($cpu), loopback, \`wrk -t2 -c$CONNECTIONS -d$DURATION\` against each in turn
(wrk shares the cores). Page: $(wc -c < "$work/nginx/root/index.html") bytes; image: $(wc -c < "$work/origin/image.jpg") bytes.

| server | page \`/\` req/s | page p99 | image req/s | image p99 | image 304 req/s |
|---|---|---|---|---|---|
| nginx 1.22, from disk (the limit) | $nginx_page | $nginx_page_p99 | $nginx_image | $nginx_image_p99 | $nginx_304 |
| Hummingbird, fixed bytes from memory (the framework's ceiling) | $hello_page | $hello_page_p99 | $hello_image | $hello_image_p99 | — |
| **hourly-image standalone** | **$ours_page** | **$ours_page_p99** | **$ours_image** | **$ours_image_p99** | **$ours_304** |
| FastAPI seed (Jinja2, StaticFiles, uvicorn) | $fastapi_page | $fastapi_page_p99 | $fastapi_image | $fastapi_image_p99 | — |
| Flask seed (image inlined as base64: a page of ~300 KB) | $flask_page | $flask_page_p99 | — | — | — |

| target | measured | met |
|---|---|---|
| page ≥ 50% of nginx | $(ratio "$ours_page" "$nginx_page") | $(awk -v a="$ours_page" -v b="$nginx_page" 'BEGIN {print (a >= 0.5 * b) ? "yes" : "no"}') |
| page ≥ 20× the FastAPI seed | $(times "$ours_page" "$fastapi_page") | $(awk -v a="$ours_page" -v b="$fastapi_page" 'BEGIN {print (a >= 20 * b) ? "yes" : "no"}') |
| page p99 ≤ 5 ms at $CONNECTIONS connections | $ours_page_p99 | $(awk -v p="$ours_page_p99" 'BEGIN { v = p + 0; if (p ~ /us$/) v /= 1000; else if (p ~ /ms$/) v = v; else if (p ~ /s$/) v *= 1000; print (v <= 5) ? "yes" : "no" }') |
| image ≥ 70% of nginx | $(ratio "$ours_image" "$nginx_image") | $(awk -v a="$ours_image" -v b="$nginx_image" 'BEGIN {print (a >= 0.7 * b) ? "yes" : "no"}') |
| 304 at page speed | $ours_304 vs page $ours_page | $(awk -v a="$ours_304" -v b="$ours_page" 'BEGIN {print (a >= 0.9 * b) ? "yes" : "no"}') |
| (RSS of standalone, controller and web in one process, under this benchmark; the \`web\` command alone is measured by bench/controller-scale.sh) | $((ours_rss / 1024)) MB peak | — |
<!-- bench:web:end -->
TABLE
)"
echo "$table"
if [ "$WRITE" = "--write" ]; then
    python3 - docs/benchmarks.md "$table" <<'PY'
import sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
start, end = "<!-- bench:web:start", "<!-- bench:web:end -->"
if start in text:
    before = text[:text.index(start)]
    after = text[text.index(end) + len(end):]
    text = before + table + after
else:
    text = text.rstrip() + "\n\n## The page and the image vs nginx (`bench/web-vs-nginx.sh`)\n\n" + table + "\n"
open(path, "w").write(text)
PY
    echo "wrote docs/benchmarks.md" >&2
fi
