#!/usr/bin/env bash
# `make test-release`: the Dockerfile's build stage, replayed here (there is no Docker engine in CI).
#
# The build context is what the build stage's COPY lines copy, into an empty directory, so a file the
# image's build needs but the Dockerfile does not copy fails here too. Then the line after `# build-command`
# and the line after `# install-command` run there, the installed binary must have no symbol table, and it
# must run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for marker in build-command install-command; do
    grep -qx "# $marker" Dockerfile || { echo "Dockerfile: no line after '# $marker'" >&2; exit 1; }
done
context="$(mktemp -d)"
out="$(mktemp -d)"
trap 'rm -rf "$context" "$out"' EXIT

# COPY lines of the build stage (up to the runtime stage's FROM), not COPY --from=...
shopt -s nullglob
while read -r _ args; do
    read -r -a words <<<"$args"
    destination="${words[-1]}"
    unset 'words[-1]'
    sources=()
    for pattern in "${words[@]}"; do sources+=($pattern); done
    [ "${#sources[@]}" -gt 0 ] || continue
    mkdir -p "$context/$destination"
    for source in "${sources[@]}"; do
        if [ -d "$source" ] && [ "${#words[@]}" -eq 1 ]; then cp -R "$source/." "$context/$destination"; else cp -R "$source" "$context/$destination"; fi
    done
done < <(sed -n '1,/^FROM .* AS build$/d; /^FROM /q; /^COPY [^-]/p' Dockerfile)
shopt -u nullglob
echo "build context: $(cd "$context" && ls -A | tr '\n' ' ')"

build="$(sed -n '/^# build-command$/{n;s/^RUN //p;q;}' Dockerfile)"
install="$(sed -n '/^# install-command$/{n;s/^RUN //p;q;}' Dockerfile)"
(cd "$context" && echo "$build" && eval "$build" && echo "$install" && OUT="$out" eval "$install")
if readelf -S "$out/hourly-image" | grep -q '\.symtab'; then
    echo "test-release: the installed binary still has a symbol table" >&2
    exit 1
fi
echo "installed binary: $(du -m "$out/hourly-image" | cut -f1) MB, stripped"
"$out/hourly-image" version

# make install: the binary and the kubectl plugin link, which kubectl finds on PATH and runs as `kubectl himg`.
make -s install RELEASE_BIN="$out/hourly-image" PREFIX="$out/prefix"
[ -L "$out/prefix/bin/kubectl-himg" ] || { echo "test-release: make install made no kubectl-himg link" >&2; exit 1; }
PATH="$out/prefix/bin:$PATH" kubectl plugin list 2>/dev/null | grep -q "$out/prefix/bin/kubectl-himg" \
    || { echo "test-release: kubectl plugin list does not show kubectl-himg" >&2; exit 1; }
PATH="$out/prefix/bin:$PATH" kubectl himg --help | grep -q "USAGE: kubectl himg <subcommand>" \
    || { echo "test-release: kubectl himg --help is not the plugin's help" >&2; exit 1; }
echo "make install: $out/prefix/bin/hourly-image and kubectl-himg; kubectl himg runs the plugin"

