#!/usr/bin/env python3
"""The module graph: docs/architecture.md is generated from Package.swift, and the layering rules are checked.

    python3 scripts/module-graph.py           check: the rules hold and docs/architecture.md is current
    python3 scripts/module-graph.py --write   rewrite docs/architecture.md
    python3 scripts/module-graph.py --self-test

It reads `swift package dump-package`. `make test` runs the check, so a target that gains a dependency the
layers forbid, or a graph that changed without its drawing, fails the tests.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"

# The product's targets in layers, lowest first. A target may depend only on targets of lower layers; within a
# layer no target depends on another. Test targets, benchmarks and Tests/TestKit are outside the product.
LAYERS: list[tuple[str, str, list[str]]] = [
    ("base", "no knowledge of HourlyImages: build info, libcurl, Kubernetes meta types, system helpers, metrics",
     ["CBuildInfo", "CCurl", "KubeMeta", "SystemSupport", "HourlyImageMetrics"]),
    ("libcurl support", "what both HTTP uses of libcurl share: global init, handles, common options",
     ["CurlSupport"]),
    ("generic clients", "domain-free adapters: content-addressed files, the Kubernetes API",
     ["BlobStore", "KubeClient"]),
    ("API and generic tools", "the HourlyImage types; leader election over any Lease",
     ["HourlyImageAPI", "LeaderElection"]),
    ("core", "the pure lifecycle: decides, never acts", ["HourlyImageCore"]),
    ("ports", "what the controller and the web act through: the resource store, events, the image source", ["HourlyImageStore"]),
    ("adapters and controller", "each port's implementations, and the reconcile loop; none depends on another",
     ["ImageFetch", "LocalStore", "KubeStore", "WebRenderer", "HourlyImageController"]),
    ("app", "everything wired once, for the CLI and the end-to-end tests", ["HourlyImageApp"]),
    ("executable", "the `hourly-image` command", ["HourlyImageCLI"]),
]

# Arrows the layers allow but the design still refuses, with the reason.
FORBIDDEN: dict[tuple[str, str], str] = {}

# Arrows the layers forbid that the code still has, each to be removed by a step of issue 13.
KNOWN: dict[tuple[str, str], str] = {}


def dump_package() -> dict:
    out = subprocess.run(["swift", "package", "dump-package"], cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def product_graph(package: dict) -> dict[str, list[str]]:
    """Product target -> its dependencies on other targets of this package (external products left out)."""
    graph: dict[str, list[str]] = {}
    for target in package["targets"]:
        if target["type"] not in ("regular", "executable", "system"):
            continue
        deps = []
        for dep in target["dependencies"]:
            name = (dep.get("byName") or dep.get("target") or [None])[0]
            if name is not None:
                deps.append(name)
        graph[target["name"]] = deps
    return graph


def reachable(graph: dict[str, list[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += graph.get(name, [])
    return seen


def violations(graph: dict[str, list[str]]) -> list[str]:
    rank = {name: i for i, (_, _, names) in enumerate(LAYERS) for name in names}
    problems = []
    for name, deps in sorted(graph.items()):
        if name not in rank:
            # A target outside the layers is test or bench code only if nothing in the product uses it.
            continue
        for dep in deps:
            if dep not in rank:
                problems.append(f"{name} depends on {dep}, which is in no layer (add it to LAYERS in scripts/module-graph.py)")
            elif rank[dep] >= rank[name] and (name, dep) not in KNOWN:
                problems.append(f"{name} ({LAYERS[rank[name]][0]}) depends on {dep} ({LAYERS[rank[dep]][0]}): "
                                "a target may depend only on lower layers")
            elif (name, dep) in FORBIDDEN:
                problems.append(f"{name} depends on {dep}: {FORBIDDEN[(name, dep)]}")
    for name in sorted(set(graph) - set(rank)):
        if name in reachable(graph, "HourlyImageCLI"):
            problems.append(f"{name} is part of the product but in no layer (add it to LAYERS in scripts/module-graph.py)")
    for (name, dep), why in KNOWN.items():
        if dep not in graph.get(name, []):
            problems.append(f"{name} no longer depends on {dep}: remove it from KNOWN in scripts/module-graph.py")
    return problems


def render(graph: dict[str, list[str]]) -> str:
    rank = {name: i for i, (_, _, names) in enumerate(LAYERS) for name in names}
    lines = [
        "# Architecture: the module graph",
        "",
        "Generated by `python3 scripts/module-graph.py --write` from `Package.swift`; `make test` fails when this",
        "file is out of date or when a target depends on one the layers forbid. Arrows point from a target to what",
        "it depends on. Only the product's targets are drawn: the tests, `Tests/TestKit` (the test API server and",
        "loopback servers) and `bench/` are outside the product.",
        "",
        "## Layers, lowest first",
        "",
        "A target may depend only on targets of lower layers; within a layer none depends on another.",
        "",
        "| layer | targets | what it holds |",
        "|---|---|---|",
    ]
    for layer, what, names in LAYERS:
        lines.append(f"| {layer} | {', '.join(f'`{n}`' for n in names)} | {what} |")
    lines += ["", "## Dependencies", "", "```mermaid", "graph BT"]
    for name in sorted((n for n in graph if n in rank), key=lambda n: (rank[n], n)):
        for dep in sorted(graph[name], key=lambda n: (rank.get(n, 99), n)):
            lines.append(f"    {name} --> {dep}")
    lines += ["```", "", "| target | depends on |", "|---|---|"]
    for name in sorted(graph, key=lambda n: (rank.get(n, 99), n)):
        if name in rank:
            deps = ", ".join(f"`{d}`" for d in sorted(graph[name], key=lambda n: (rank.get(n, 99), n))) or "nothing"
            lines.append(f"| `{name}` | {deps} |")
    if KNOWN:
        lines += ["", "## Arrows still to remove", "", "The layers forbid these; each goes in a later step:", ""]
        for (name, dep), why in sorted(KNOWN.items()):
            lines.append(f"- `{name}` → `{dep}`: {why}.")
    return "\n".join(lines) + "\n"


def self_test() -> int:
    good = {"KubeMeta": [], "KubeClient": ["KubeMeta"], "HourlyImageAPI": ["KubeMeta"], "ImageFetch": []}
    bad = {**good, "KubeClient": ["KubeMeta", "HourlyImageAPI"], "HourlyImageStore": ["HourlyImageController"],
           "KubeStore": ["Mystery"]}
    assert violations(good) == [], violations(good)
    found = violations(bad)
    for expected in ("KubeClient (generic clients) depends on HourlyImageAPI",
                     "HourlyImageStore (ports) depends on HourlyImageController",
                     "KubeStore depends on Mystery, which is in no layer"):
        assert any(expected in p for p in found), (expected, found)
    KNOWN[("HourlyImageController", "ImageFetch")] = "an example"
    stale = violations(good)
    del KNOWN[("HourlyImageController", "ImageFetch")]
    assert any("remove it from KNOWN" in p for p in stale), stale
    sibling = violations({**good, "HourlyImageController": ["ImageFetch"]})
    assert any("HourlyImageController (adapters and controller) depends on ImageFetch" in p for p in sibling), sibling
    print("module-graph self-test: ok")
    return 0


def main(argv: list[str]) -> int:
    if argv == ["--self-test"]:
        return self_test()
    graph = product_graph(dump_package())
    text = render(graph)
    if argv == ["--write"]:
        DOC.write_text(text)
        print(f"wrote {DOC.relative_to(ROOT)}")
    problems = violations(graph)
    if not DOC.exists() or DOC.read_text() != text:
        problems.append("docs/architecture.md is out of date: run python3 scripts/module-graph.py --write")
    for problem in problems:
        print(f"module graph: {problem}", file=sys.stderr)
    if not problems:
        print(f"module graph: {len(graph)} targets, layering holds, docs/architecture.md is current")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
