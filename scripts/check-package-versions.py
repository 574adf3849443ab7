#!/usr/bin/env python3
"""Checks that SwiftPM resolved every package, direct and transitive, to the version in Package.versions.

Package.swift pins the direct dependencies with `exact:`; the transitive ones follow from those within their own
ranges, so this check makes a drift visible (a new release in a mirror, a changed pin) instead of silently building
something else. Package.resolved itself is not committed (it records commit ids of the local package mirror).

    python3 scripts/check-package-versions.py            # compare (run by `make test` after the build)
    python3 scripts/check-package-versions.py --write    # record what is resolved now
"""
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
resolved_path, versions_path = root / "Package.resolved", root / "Package.versions"
try:
    pins = json.loads(resolved_path.read_text())["pins"]
except (OSError, ValueError, KeyError) as error:
    sys.exit(f"check-package-versions: cannot read Package.resolved ({error}); run `swift package resolve` first")
resolved = {pin["identity"]: pin["state"].get("version") or pin["state"].get("revision", "?") for pin in pins}

if sys.argv[1:] == ["--write"]:
    lines = ["# package version: what SwiftPM resolves Package.swift to; checked by scripts/check-package-versions.py"]
    lines += [f"{name} {version}" for name, version in sorted(resolved.items())]
    versions_path.write_text("\n".join(lines) + "\n")
    print(f"wrote {versions_path.name}: {len(resolved)} packages")
    sys.exit(0)

expected = {}
for line in versions_path.read_text().splitlines():
    if line.strip() and not line.startswith("#"):
        name, version = line.split()
        expected[name] = version
problems = [f"{name}: resolved {resolved.get(name, 'nothing')}, Package.versions says {version}"
            for name, version in sorted(expected.items()) if resolved.get(name) != version]
problems += [f"{name}: resolved {version}, not in Package.versions" for name, version in sorted(resolved.items()) if name not in expected]
for problem in problems:
    print(f"FAIL  {problem}")
print(f"package versions: {len(expected) - len([p for p in problems if 'not in' not in p])} passed, {len(problems)} failed")
sys.exit(1 if problems else 0)
