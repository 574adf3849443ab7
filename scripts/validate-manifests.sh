#!/usr/bin/env bash
# Offline checks of the Kubernetes YAML in this repository (run by `make test`).
#
#   1. kubernetes-validate --strict on the CRD, and on every *.yaml/*.yml under
#      the manifest directories that exist (default: rbac manifests deploy).
#      Skipped: kustomization.yaml, and files that say `# validate-manifests: skip`
#      in their first 5 lines (use it for partial kustomize patches).
#      Every directory there with a kustomization.yaml (nested ones too) is also
#      rendered with `kubectl kustomize` (when kubectl is installed) and the
#      result validated; so is the install entry point, the kustomization.yaml
#      at the repository root, alone and with each kustomize Component found
#      under the manifest directories (e.g. manifests/volume-manual).
#      1b. ServiceMonitors (no Kubernetes schema): the fields they must have.
#   2. The wiring of each rendered install: names that must match another
#      object (ServiceAccounts, claims, Service and Ingress ports, Role refs,
#      selectors, podAffinity, PersistentVolume binding, namespaces).
#
# HourlyImages (crds/samples/ and any in the manifests) and the CRD's own lint are
# not checked here: `swift test` creates the CRD from its file in the test API
# server and applies each of them there (Tests/KubeTestServerTests/Samples/).
#
# Needs: python3 with pyyaml, and kubernetes-validate on PATH
#   (pip install kubernetes-validate pyyaml). Installs nothing.
# Environment: KUBE_VERSION (default 1.30.0), MANIFEST_DIRS, PYTHON.
# Ends with one line: "manifests: N passed, M failed"; exit 1 when M > 0,
# exit 2 when a tool is missing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PYTHONDONTWRITEBYTECODE=1

KUBE_VERSION="${KUBE_VERSION:-1.30.0}"
PYTHON="${PYTHON:-python3}"
CRD="crds/hourlyimages.images.dwk.dev.yaml"
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
"$PYTHON" -c 'import yaml' 2>/dev/null ||
    die "$PYTHON cannot import yaml; run: pip install pyyaml"
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
# Any kind kubernetes-validate has no schema for fails too, except the kinds in
# NO_SCHEMA_KINDS, which section 1b checks instead (ServiceMonitor) or which
# `swift test` applies to the test API server with the CRD (HourlyImage).
NO_SCHEMA_KINDS="ServiceMonitor HourlyImage"
kv() {
    local file="$1" label="$2" require_known="${3:-0}" out unknown
    if out="$(kubernetes-validate --strict -k "$KUBE_VERSION" "$file" 2>&1)"; then
        unknown="$(grep -Eo "Couldn't find schema for kind [A-Za-z0-9]+" <<<"$out" | awk '{print $NF}' | sort -u |
            grep -vxF -f <(tr ' ' '\n' <<<"$NO_SCHEMA_KINDS") || true)"
        if [[ "$require_known" == 1 ]] && ! grep -q '^INFO .* passed ' <<<"$out"; then
            bad "$label (kubernetes-validate did not recognise it)"
            indent <<<"$out"
        elif [[ -n "$unknown" ]]; then
            bad "$label (kubernetes-validate has no schema for: $(tr '\n' ' ' <<<"$unknown"))"
            indent <<<"$out"
        else
            ok "$label (kubernetes-validate)"
            grep '^WARN' <<<"$out" | grep -v "Couldn't find schema for kind ServiceMonitor" | indent || true
        fi
    else
        bad "$label (kubernetes-validate)"
        indent <<<"$out"
    fi
}

kv "$CRD" "$CRD" 1

manifest_files=()
install_files=() # rendered complete installs and their labels, for the wiring check (2)
components=()    # kustomize Components found under the manifest directories

# render_kustomization DIR LABEL COMPLETE: render DIR with `kubectl kustomize`
# and validate the result; COMPLETE=1 marks a whole install (wiring-checked).
render_kustomization() {
    local kdir="$1" label="$2" complete="$3" rendered out
    if ! command -v kubectl >/dev/null 2>&1; then
        echo "skip  $label (kubectl not installed)"
        return
    fi
    rendered="$tmpdir/rendered-$(( ${#manifest_files[@]} + 1 ))-$(basename "$(cd "$kdir" && pwd)").yaml"
    if out="$(kubectl kustomize "$kdir" 2>&1 >"$rendered")"; then
        ok "$label (renders)"
        kv "$rendered" "$label"
        manifest_files+=("$rendered")
        if [[ "$complete" == 1 ]]; then install_files+=("$rendered" "$label"); fi
    else
        bad "$label"
        indent <<<"$out"
    fi
}

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

    # A kustomization is what `kubectl apply -k` sends: render and validate it
    # too, nested ones included (e.g. rbac/namespaced/). A kustomize Component
    # cannot be rendered alone; it is rendered on top of the root entry below.
    while IFS= read -r k; do
        kdir="$(dirname "$k")"
        if grep -Eq '^kind:[[:space:]]*Component[[:space:]]*$' "$k"; then
            components+=("$kdir")
        else
            render_kustomization "$kdir" "kubectl kustomize $kdir" 0
        fi
    done < <(find "$dir" -type f \( -name kustomization.yaml -o -name kustomization.yml \) | LC_ALL=C sort)
done

# The install entry point, `kubectl apply -k .` (kustomization.yaml at the
# repository root: a kustomization can only load files in or below its own
# directory, and the CRD is in crds/), alone and with each optional component.
if [[ -f kustomization.yaml ]]; then
    render_kustomization . "kubectl kustomize . (the install)" 1
    n=0
    for c in "${components[@]}"; do
        n=$((n + 1))
        variant="$tmpdir/variant-$n"
        mkdir -p "$variant"
        # kustomize refuses absolute paths and parent-of-self references, so
        # the variant lives outside the repository and points back relatively.
        root_rel="$("$PYTHON" -c 'import os, sys; print(os.path.relpath(sys.argv[1], sys.argv[2]))' "$PWD" "$variant")"
        printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - %s\ncomponents:\n  - %s\n' \
            "$root_rel" "$root_rel/$c" >"$variant/kustomization.yaml"
        render_kustomization "$variant" "kubectl kustomize . + component $c" 1
    done
else
    for c in "${components[@]}"; do
        echo "skip  component $c (no kustomization.yaml at the repository root to render it on)"
    done
fi

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

# ---- 1b. kinds without a Kubernetes schema: ServiceMonitor ---------------------
# kubernetes-validate knows no CRD-defined kinds, and no PyPI package ships the
# prometheus-operator CRD schema, so check what a ServiceMonitor must have:
# the group/version, name and namespace, a label selector, endpoints naming a
# port with a path and Go durations, and no field the CRD does not define.
if [[ ${#manifest_files[@]} -gt 0 ]]; then
    rc=0
    out="$("$PYTHON" - "${manifest_files[@]}" <<'PY' 2>&1
import re
import sys
import yaml

SPEC = {"endpoints", "selector", "namespaceSelector", "jobLabel", "targetLabels", "podTargetLabels", "sampleLimit",
        "targetLimit", "labelLimit", "labelNameLengthLimit", "labelValueLengthLimit", "attachMetadata",
        "scrapeProtocols", "fallbackScrapeProtocol", "keepDroppedTargets", "scrapeClass",
        "bodySizeLimit", "nativeHistogramBucketLimit", "nativeHistogramMinBucketFactor",
        "scrapeClassicHistograms", "convertClassicHistogramsToNHCB", "selectorMechanism", "serviceDiscoveryRole"}
ENDPOINT = {"port", "targetPort", "path", "scheme", "params", "interval", "scrapeTimeout", "honorLabels",
            "honorTimestamps", "trackTimestampsStaleness", "relabelings", "metricRelabelings", "authorization",
            "basicAuth", "oauth2", "bearerTokenSecret", "bearerTokenFile", "tlsConfig", "followRedirects",
            "enableHttp2", "proxyUrl", "noProxy", "proxyFromEnvironment", "proxyConnectHeader", "filterRunning"}
DURATION = re.compile(r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$")
LABEL_KEY = re.compile(r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")


def check(d):
    errors = []
    if d.get("apiVersion") != "monitoring.coreos.com/v1":
        errors.append("apiVersion is %r, not monitoring.coreos.com/v1" % d.get("apiVersion"))
    unknown = set(d) - {"apiVersion", "kind", "metadata", "spec"}
    if unknown:
        errors.append("unknown top-level fields %s" % sorted(unknown))
    meta = d.get("metadata") or {}
    if not meta.get("name") or not meta.get("namespace"):
        errors.append("metadata.name and metadata.namespace are required")
    for key, value in (meta.get("labels") or {}).items():
        if not LABEL_KEY.match(key) or not isinstance(value, str):
            errors.append("label %r: %r is not a valid label" % (key, value))
    spec = d.get("spec")
    if not isinstance(spec, dict):
        return errors + ["spec is missing"]
    if set(spec) - SPEC:
        errors.append("unknown spec fields %s" % sorted(set(spec) - SPEC))
    selector = spec.get("selector")
    if not isinstance(selector, dict) or not (selector.get("matchLabels") or selector.get("matchExpressions")):
        errors.append("spec.selector needs matchLabels or matchExpressions (an empty one selects every Service)")
    elif not all(isinstance(v, str) for v in (selector.get("matchLabels") or {}).values()):
        errors.append("spec.selector.matchLabels values must be strings")
    ns = spec.get("namespaceSelector")
    if ns is not None and (not isinstance(ns, dict) or set(ns) - {"any", "matchNames"}
                           or not all(isinstance(n, str) for n in ns.get("matchNames") or [])):
        errors.append("spec.namespaceSelector is {any: bool} or {matchNames: [string]}")
    endpoints = spec.get("endpoints")
    if not isinstance(endpoints, list) or not endpoints:
        return errors + ["spec.endpoints must be a non-empty list"]
    for i, e in enumerate(endpoints):
        where = "spec.endpoints[%d]" % i
        if not isinstance(e, dict):
            errors.append("%s is not an object" % where)
            continue
        if set(e) - ENDPOINT:
            errors.append("%s: unknown fields %s" % (where, sorted(set(e) - ENDPOINT)))
        if not isinstance(e.get("port"), str) and e.get("targetPort") is None:
            errors.append("%s: needs port (a Service port name) or targetPort" % where)
        if "path" in e and not str(e["path"]).startswith("/"):
            errors.append("%s: path %r does not start with /" % (where, e["path"]))
        if e.get("scheme", "http") not in ("http", "https"):
            errors.append("%s: scheme %r is not http or https" % (where, e["scheme"]))
        for key in ("interval", "scrapeTimeout"):
            if key in e and not (isinstance(e[key], str) and e[key] and DURATION.match(e[key])):
                errors.append("%s: %s %r is not a duration like 30s" % (where, key, e[key]))
    return errors


failed = 0
for path in sys.argv[1:]:
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if isinstance(d, dict)]
    for d in docs:
        if d.get("kind") != "ServiceMonitor":
            continue
        errors = check(d)
        print("%s %s (ServiceMonitor %s structure)" % ("FAIL" if errors else "PASS", path, (d.get("metadata") or {}).get("name")))
        for e in errors:
            print("  " + e)
        failed += bool(errors)
sys.exit(1 if failed else 0)
PY
)" || rc=$?
    count_helper_output "$out"
    if [[ $rc -ne 0 ]] && ! grep -q '^FAIL ' <<<"$out"; then
        bad "ServiceMonitor check exited $rc"
    fi
fi

# ---- 2. wiring of each complete install ----------------------------------------
# What the schemas cannot see: every name one object uses must name another
# object of the install (ServiceAccount, claim, Service port, Role, labels).
if [[ ${#install_files[@]} -gt 0 ]]; then
    rc=0
    out="$("$PYTHON" - "${install_files[@]}" <<'PY' 2>&1
import sys
import yaml

# Kinds without a namespace (the ones an install here could contain).
CLUSTER_KINDS = {"Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
                 "PersistentVolume", "StorageClass", "IngressClass", "PriorityClass",
                 "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"}
BUILTIN_NAMESPACES = {"default", "kube-system", "kube-public", "kube-node-lease"}
BUILTIN_CLUSTERROLES = {"cluster-admin", "admin", "edit", "view"}


def check(docs):
    errors = []
    objs = {}
    for d in docs:
        meta = d.get("metadata") or {}
        objs[(d.get("kind"), meta.get("namespace"), meta.get("name"))] = d

    def have(kind, ns, name):
        return (kind, ns, name) in objs

    namespaces = {k[2] for k in objs if k[0] == "Namespace"} | BUILTIN_NAMESPACES
    pods = []  # (namespace, deployment name, template)
    for (kind, ns, name), d in objs.items():
        what = "%s %s%s" % (kind, ns + "/" if ns else "", name)
        if kind in CLUSTER_KINDS:
            if ns:
                errors.append("%s: cluster-scoped but has a namespace" % what)
            continue
        if not ns:
            errors.append("%s: no metadata.namespace (it would land in whatever namespace kubectl uses)" % what)
        elif ns not in namespaces:
            errors.append("%s: namespace %s is neither created here nor built in" % (what, ns))
        if kind in ("Deployment", "StatefulSet", "DaemonSet"):
            pods.append((ns, name, d["spec"]["template"]))

    def selects(selector, labels):
        return bool(selector) and all(labels.get(k) == v for k, v in selector.items())

    for ns, name, tmpl in pods:
        what = "Deployment %s/%s" % (ns, name)
        d = objs[("Deployment", ns, name)] if ("Deployment", ns, name) in objs else None
        labels = (tmpl.get("metadata") or {}).get("labels") or {}
        if d and not selects(d["spec"]["selector"].get("matchLabels"), labels):
            errors.append("%s: selector does not match its pod template labels" % what)
        spec = tmpl["spec"]
        sa = spec.get("serviceAccountName", "default")
        if sa != "default" and not have("ServiceAccount", ns, sa):
            errors.append("%s: serviceAccountName %s is not in the install" % (what, sa))
        for v in spec.get("volumes") or []:
            claim = (v.get("persistentVolumeClaim") or {}).get("claimName")
            if claim and not have("PersistentVolumeClaim", ns, claim):
                errors.append("%s: volume %s uses claim %s, not in the install" % (what, v["name"], claim))
        volume_names = {v["name"] for v in spec.get("volumes") or []}
        for c in spec["containers"]:
            ports = {p.get("name") for p in c.get("ports") or []} | {p["containerPort"] for p in c.get("ports") or []}
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                port = ((c.get(probe) or {}).get("httpGet") or {}).get("port")
                if port is not None and port not in ports:
                    errors.append("%s: container %s %s port %s is not a container port" % (what, c["name"], probe, port))
            for m in c.get("volumeMounts") or []:
                if m["name"] not in volume_names:
                    errors.append("%s: container %s mounts unknown volume %s" % (what, c["name"], m["name"]))
        aff = (spec.get("affinity") or {})
        for kind_ in ("podAffinity", "podAntiAffinity"):
            for term in (aff.get(kind_) or {}).get("requiredDuringSchedulingIgnoredDuringExecution") or []:
                sel = (term.get("labelSelector") or {}).get("matchLabels")
                term_ns = term.get("namespaces") or [ns]
                if not any(pns in term_ns and selects(sel, (t.get("metadata") or {}).get("labels") or {})
                           for pns, _, t in pods):
                    errors.append("%s: %s selects no pod of the install" % (what, kind_))
        for c in spec.get("topologySpreadConstraints") or []:
            if not selects((c.get("labelSelector") or {}).get("matchLabels"), labels):
                errors.append("%s: topologySpreadConstraint on %s does not select its own pods" % (what, c.get("topologyKey")))

    for (kind, ns, name), d in objs.items():
        what = "%s %s%s" % (kind, ns + "/" if ns else "", name)
        if kind == "Service":
            sel = d["spec"].get("selector")
            targets = [t for pns, _, t in pods if pns == ns and selects(sel, (t.get("metadata") or {}).get("labels") or {})]
            if not targets:
                errors.append("%s: selector matches no pod template of the install" % what)
            for p in d["spec"].get("ports") or []:
                tp = p.get("targetPort", p["port"])
                if targets and not any(tp in {q.get("name") for q in c.get("ports") or []} | {q["containerPort"] for q in c.get("ports") or []}
                                       for t in targets for c in t["spec"]["containers"]):
                    errors.append("%s: targetPort %s is no container port of the pods it selects" % (what, tp))
        elif kind == "Ingress":
            backends = [d["spec"].get("defaultBackend")] + [
                p["backend"] for r in d["spec"].get("rules") or [] for p in (r.get("http") or {}).get("paths") or []]
            for b in filter(None, backends):
                svc = b.get("service") or {}
                target = objs.get(("Service", ns, svc.get("name")))
                if target is None:
                    errors.append("%s: backend Service %s is not in the install" % (what, svc.get("name")))
                    continue
                port = svc.get("port") or {}
                names = {p.get("name") for p in target["spec"]["ports"]}
                numbers = {p["port"] for p in target["spec"]["ports"]}
                if ("name" in port and port["name"] not in names) or ("number" in port and port["number"] not in numbers):
                    errors.append("%s: backend port %s is not a port of Service %s" % (what, port, svc.get("name")))
        elif kind in ("RoleBinding", "ClusterRoleBinding"):
            ref = d["roleRef"]
            ref_ns = None if ref["kind"] == "ClusterRole" else ns
            if not have(ref["kind"], ref_ns, ref["name"]) and not (
                    ref["kind"] == "ClusterRole" and ref["name"] in BUILTIN_CLUSTERROLES):
                errors.append("%s: roleRef %s %s is not in the install" % (what, ref["kind"], ref["name"]))
            for sub in d.get("subjects") or []:
                if sub["kind"] == "ServiceAccount" and not have("ServiceAccount", sub.get("namespace"), sub["name"]):
                    errors.append("%s: subject ServiceAccount %s/%s is not in the install"
                                  % (what, sub.get("namespace"), sub["name"]))
        elif kind == "NetworkPolicy":
            sel = (d["spec"].get("podSelector") or {}).get("matchLabels")
            targets = [t for pns, _, t in pods if pns == ns and selects(sel, (t.get("metadata") or {}).get("labels") or {})]
            if not targets:
                errors.append("%s: podSelector matches no pod template of the install" % what)
            for rule in d["spec"].get("ingress") or []:
                for p in rule.get("ports") or []:
                    port = p.get("port")
                    if targets and port is not None and not all(
                            any(port in {q.get("name") for q in c.get("ports") or []} | {q["containerPort"] for q in c.get("ports") or []}
                                for c in t["spec"]["containers"]) for t in targets):
                        errors.append("%s: port %s is no container port of the pods it selects" % (what, port))
        elif kind == "ServiceMonitor":
            spec = d.get("spec") or {}
            sel = (spec.get("selector") or {}).get("matchLabels")
            nss = (spec.get("namespaceSelector") or {}).get("matchNames") or [ns]
            services = [o for (k, sns, _), o in objs.items() if k == "Service" and sns in nss
                        and selects(sel, (o.get("metadata") or {}).get("labels") or {})]
            if not services:
                errors.append("%s: selector matches no Service of the install" % what)
            for e in spec.get("endpoints") or []:
                for svc in services:
                    if "port" in e and e["port"] not in {p.get("name") for p in svc["spec"].get("ports") or []}:
                        errors.append("%s: endpoint port %s is not a port of Service %s" % (what, e["port"], svc["metadata"]["name"]))
        elif kind == "HorizontalPodAutoscaler":
            ref = d["spec"]["scaleTargetRef"]
            target = objs.get((ref["kind"], ns, ref["name"]))
            if target is None:
                errors.append("%s: scaleTargetRef %s %s is not in the install" % (what, ref["kind"], ref["name"]))
            else:
                if "replicas" in target["spec"]:
                    errors.append("%s: %s %s sets replicas, which every apply would reset" % (what, ref["kind"], ref["name"]))
                containers = target["spec"]["template"]["spec"]["containers"]
                for m in d["spec"].get("metrics") or []:
                    resource = (m.get("resource") or {}).get("name")
                    if m.get("type") == "Resource" and any(((c.get("resources") or {}).get("requests") or {}).get(resource) is None
                                                         for c in containers):
                        errors.append("%s: utilization of %s needs a %s request on every container" % (what, resource, resource))
        elif kind == "PodDisruptionBudget":
            sel = (d["spec"].get("selector") or {}).get("matchLabels")
            if not any(pns == ns and selects(sel, (t.get("metadata") or {}).get("labels") or {}) for pns, _, t in pods):
                errors.append("%s: selector matches no pod template of the install" % what)
        elif kind == "PersistentVolumeClaim" and d["spec"].get("volumeName"):
            pv = objs.get(("PersistentVolume", None, d["spec"]["volumeName"]))
            if pv is None:
                errors.append("%s: volumeName %s is not in the install" % (what, d["spec"]["volumeName"]))
            else:
                if pv["spec"].get("storageClassName") != d["spec"].get("storageClassName"):
                    errors.append("%s: storageClassName differs from its PersistentVolume's" % what)
                ref = pv["spec"].get("claimRef")
                if ref and (ref.get("namespace"), ref.get("name")) != (ns, name):
                    errors.append("%s: PersistentVolume %s is reserved for another claim" % (what, pv["metadata"]["name"]))
    return errors


failed = 0
for path, label in zip(sys.argv[1::2], sys.argv[2::2]):
    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    errors = check(docs)
    print("%s %s (wiring: %d objects)" % ("FAIL" if errors else "PASS", label, len(docs)))
    for e in errors:
        print("  " + e)
    failed += bool(errors)
sys.exit(1 if failed else 0)
PY
)" || rc=$?
    count_helper_output "$out"
    if [[ $rc -ne 0 ]] && ! grep -q '^FAIL ' <<<"$out"; then
        bad "wiring check exited $rc"
    fi
fi

echo "manifests: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
