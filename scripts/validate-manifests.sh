#!/usr/bin/env bash
# Offline checks of the Kubernetes YAML in this repository (run by `make test`).
#
#   1. kubernetes-validate --strict on the CRD, and on every *.yaml/*.yml under
#      the manifest directories that exist (default: rbac manifests deploy).
#      Skipped: kustomization.yaml, and files that say `# validate-manifests: skip`
#      in their first 5 lines (use it for partial kustomize patches).
#      A directory with a kustomization.yaml is also rendered with
#      `kubectl kustomize` (when kubectl is installed) and the result validated.
#   2. scripts/validate_samples.py: a lint of the CRD itself, and every sample in
#      crds/samples/ (plus HourlyImages found in the manifests) against the CRD's
#      openAPIV3Schema after defaulting, with Python equivalents of its CEL rules.
#   3. scripts/test_validate_samples.py: the checker's own tests (it must reject
#      bad samples).
#
# Needs: python3 with jsonschema and pyyaml, and kubernetes-validate on PATH
#   (pip install kubernetes-validate jsonschema pyyaml). Installs nothing.
# Environment: KUBE_VERSION (default 1.30.0), MANIFEST_DIRS, PYTHON.
# Ends with one line: "manifests: N passed, M failed"; exit 1 when M > 0,
# exit 2 when a tool is missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PYTHONDONTWRITEBYTECODE=1

KUBE_VERSION="${KUBE_VERSION:-1.30.0}"
PYTHON="${PYTHON:-python3}"
CRD="crds/hourlyimages.images.dwk.dev.yaml"
SAMPLES_DIR="crds/samples"
read -r -a MANIFEST_DIRS <<<"${MANIFEST_DIRS:-rbac manifests deploy}"

passed=0
failed=0
tmpdir="$(mktemp -d "${TMPDIR:-/tmp}/validate-manifests.XXXXXX")"
trap 'rm -rf "$tmpdir"' EXIT

die() {
    echo "validate-manifests: error: $*" >&2
    exit 2
}
ok() {
    passed=$((passed + 1))
    echo "ok    $*"
}
bad() {
    failed=$((failed + 1))
    echo "FAIL  $*"
}
indent() { sed 's/^/      /'; }

# ---- tools -----------------------------------------------------------------
command -v "$PYTHON" >/dev/null 2>&1 ||
    die "$PYTHON not found; install Python 3 (or set PYTHON=/path/to/python3)"
"$PYTHON" -c 'import jsonschema, yaml' 2>/dev/null ||
    die "$PYTHON cannot import jsonschema and yaml; run: pip install jsonschema pyyaml"
command -v kubernetes-validate >/dev/null 2>&1 ||
    die "kubernetes-validate not found on PATH; run: pip install kubernetes-validate"
[[ -f "$CRD" ]] || die "$CRD not found"

kv_version="$(kubernetes-validate --version 2>/dev/null || echo unknown)"
# Make sure the bundled schemas cover KUBE_VERSION (kubernetes-validate itself
# fails with an obscure message for a version older than its oldest schema).
if supported="$("$PYTHON" -c 'import kubernetes_validate.utils as u; print(" ".join(sorted(set(u.all_versions()), key=lambda v: [int(x) for x in v.split(".")])))' 2>/dev/null)"; then
    want="${KUBE_VERSION#v}"
    want="${want%.*}" # major.minor
    found=""
    for v in $supported; do
        [[ "${v%.*}" == "$want" ]] && found=1
    done
    [[ -n "$found" ]] ||
        die "kubernetes-validate $kv_version has no schemas for Kubernetes $KUBE_VERSION (it has: $supported); set KUBE_VERSION"
fi
echo "kubernetes-validate $kv_version, --strict, -k $KUBE_VERSION"

# ---- 1. kubernetes-validate ---------------------------------------------------
# kv FILE LABEL: validate FILE; REQUIRE_KNOWN=1 also fails on "no schema" warnings.
kv() {
    local file="$1" label="$2" require_known="${3:-0}" out
    if out="$(kubernetes-validate --strict -k "$KUBE_VERSION" "$file" 2>&1)"; then
        if [[ "$require_known" == 1 ]] && ! grep -q '^INFO .* passed ' <<<"$out"; then
            bad "$label (kubernetes-validate did not recognise it)"
            indent <<<"$out"
        else
            ok "$label (kubernetes-validate)"
            grep '^WARN' <<<"$out" | indent || true
        fi
    else
        bad "$label (kubernetes-validate)"
        indent <<<"$out"
    fi
}

kv "$CRD" "$CRD" 1

manifest_files=()
for dir in "${MANIFEST_DIRS[@]}"; do
    if [[ ! -d "$dir" ]]; then
        echo "skip  $dir/ (no such directory)"
        continue
    fi
    mapfile -t files < <(find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' \) | LC_ALL=C sort)
    n=0
    for f in "${files[@]}"; do
        case "$(basename "$f")" in
            kustomization.yaml | kustomization.yml) continue ;;
        esac
        if head -n 5 "$f" | grep -q '#[[:space:]]*validate-manifests:[[:space:]]*skip'; then
            echo "skip  $f (marked validate-manifests: skip)"
            continue
        fi
        n=$((n + 1))
        manifest_files+=("$f")
        kv "$f" "$f"
    done
    [[ $n -gt 0 ]] || echo "skip  $dir/ (no manifests to validate)"

    # A kustomization is what `kubectl apply -k` sends: render and validate it too.
    for k in "$dir/kustomization.yaml" "$dir/kustomization.yml"; do
        [[ -f "$k" ]] || continue
        if ! command -v kubectl >/dev/null 2>&1; then
            echo "skip  kubectl kustomize $dir (kubectl not installed)"
            break
        fi
        rendered="$tmpdir/kubectl-kustomize-$(echo "$dir" | tr '/' '_').yaml"
        if out="$(kubectl kustomize "$dir" 2>&1 >"$rendered")"; then
            ok "kubectl kustomize $dir (renders)"
            kv "$rendered" "kubectl kustomize $dir"
            manifest_files+=("$rendered")
        else
            bad "kubectl kustomize $dir"
            indent <<<"$out"
        fi
        break
    done
done

# ---- 2. samples against the CRD schema and CEL rules --------------------------
# The helper prints "PASS <what>" / "FAIL <what>" lines, failures followed by
# indented details; count them.
count_helper_output() {
    local out="$1" line
    while IFS= read -r line; do
        case "$line" in
            "PASS "*) ok "${line#PASS }" ;;
            "FAIL "*) bad "${line#FAIL }" ;;
            "") ;;
            *) echo "$line" | indent ;;
        esac
    done <<<"$out"
}

[[ -d "$SAMPLES_DIR" ]] || die "$SAMPLES_DIR not found"
rc=0
out="$("$PYTHON" scripts/validate_samples.py --crd "$CRD" "$SAMPLES_DIR" 2>&1)" || rc=$?
count_helper_output "$out"
if [[ $rc -ne 0 ]] && ! grep -q '^FAIL ' <<<"$out"; then
    bad "scripts/validate_samples.py exited $rc"
fi

if [[ ${#manifest_files[@]} -gt 0 ]]; then
    rc=0
    out="$("$PYTHON" scripts/validate_samples.py --crd "$CRD" --no-lint --manifests "${manifest_files[@]}" 2>&1)" || rc=$?
    count_helper_output "$out"
    if [[ $rc -ne 0 ]] && ! grep -q '^FAIL ' <<<"$out"; then
        bad "scripts/validate_samples.py --manifests exited $rc"
    fi
fi

# ---- 3. the checker's own tests -----------------------------------------------
if out="$("$PYTHON" scripts/test_validate_samples.py 2>&1)"; then
    ok "scripts/test_validate_samples.py ($(grep -Eo '^Ran [0-9]+ tests?' <<<"$out" || echo 'tests ran'))"
else
    bad "scripts/test_validate_samples.py"
    indent <<<"$out"
fi

echo "manifests: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
