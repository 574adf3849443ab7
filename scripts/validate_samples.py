#!/usr/bin/env python3
"""Validate HourlyImage manifests against the CRD, without a cluster.

Usage:
    validate_samples.py --crd crds/hourlyimages.images.dwk.dev.yaml FILE_OR_DIR...
    validate_samples.py --crd CRD --manifests FILE_OR_DIR...

What it checks:

* The CRD itself ("lint"): one served storage version, a structural schema
  (every node has a type), a description on every property, defaults that are
  valid against their own schema, maxLength/maxItems on every node a CEL rule
  reads, a Python equivalent for every CEL rule, and printer columns whose
  jsonPath points at a field of the matching type.
* Each sample (default mode, for crds/samples/): exactly one YAML document, an
  HourlyImage of the CRD's group/version, a valid name, no status. In
  --manifests mode a file may hold any number of documents and those that are
  not HourlyImages are ignored (kubernetes-validate covers them).
* The resource, after the API server's defaulting (nulls pruned, defaults
  filled in top-down), against the CRD's openAPIV3Schema turned into JSON
  Schema: x-kubernetes-* keys dropped, int32/int64 formats as annotations,
  unknown fields rejected (kubectl's default --validate=strict does the same).
* The CRD's CEL rules (x-kubernetes-validations), evaluated by hand-written
  Python equivalents: isURL() as Go's url.ParseRequestURI, url().getHostname(),
  duration() as Go's time.ParseDuration.

Output: one "PASS <what>" or "FAIL <what>" line per checked item, each failure
followed by indented "<file>: <field>: <message>" lines. Exit status 0 when all
passed, 1 when something failed, 2 on a usage error or missing dependency.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import os
import re
import sys
from fractions import Fraction
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

try:
    import jsonschema
    import yaml
except ImportError as exc:  # pragma: no cover - exercised only without deps
    sys.stderr.write(
        "validate_samples.py: missing Python module %r; install it with: "
        "pip install jsonschema pyyaml\n" % exc.name
    )
    sys.exit(2)


# --------------------------------------------------------------------------
# Go semantics needed by the CEL rules
# --------------------------------------------------------------------------

class GoError(ValueError):
    """A parse error as the Go standard library would report it."""


_DURATION_UNITS = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,  # U+00B5 micro sign
    "\u03bcs": 1_000,  # U+03BC Greek mu
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60 * 1_000_000_000,
    "h": 3600 * 1_000_000_000,
}
_MAX_DURATION_NS = (1 << 63) - 1


def parse_go_duration(text: str) -> int:
    """Parse a duration like Go's time.ParseDuration; return nanoseconds.

    CEL's duration() uses time.ParseDuration, so this decides what the API
    server's `duration(self)` accepts. Raises GoError on invalid input.
    """
    orig = text
    if not isinstance(text, str):
        raise GoError("time: invalid duration %r" % (orig,))
    neg = False
    if text[:1] in ("+", "-"):
        neg = text[0] == "-"
        text = text[1:]
    if text == "0":
        return 0
    if text == "":
        raise GoError('time: invalid duration "%s"' % orig)
    total = Fraction(0)
    while text:
        m = re.match(r"([0-9]*)(?:\.([0-9]*))?", text)
        int_part, frac_part = m.group(1), m.group(2)
        if int_part == "" and not frac_part:
            # Go: "no digits" (".s" and "s" are both invalid).
            raise GoError('time: invalid duration "%s"' % orig)
        text = text[m.end():]
        u = re.match(r"[^0-9.]*", text).group(0)
        if u == "":
            raise GoError('time: missing unit in duration "%s"' % orig)
        if u not in _DURATION_UNITS:
            raise GoError('time: unknown unit "%s" in duration "%s"' % (u, orig))
        text = text[len(u):]
        unit = _DURATION_UNITS[u]
        value = Fraction(int(int_part or "0")) * unit
        if frac_part:
            value += Fraction(int(frac_part), 10 ** len(frac_part)) * unit
        total += value
        if total > _MAX_DURATION_NS + (1 if neg else 0):
            raise GoError('time: invalid duration "%s"' % orig)
    ns = int(total)  # Go truncates fractions of a nanosecond
    return -ns if neg else ns


class GoURL:
    """The parts of a URL as Go's net/url.ParseRequestURI returns them."""

    def __init__(self, scheme: str, opaque: str, userinfo: Optional[str],
                 host: str, path: str, raw_query: str) -> None:
        self.scheme = scheme
        self.opaque = opaque
        self.userinfo = userinfo
        self.host = host
        self.path = path
        self.raw_query = raw_query

    def hostname(self) -> str:
        """Go's (*url.URL).Hostname(): the host without port and brackets."""
        host = self.host
        if host.startswith("["):
            end = host.find("]")
            return host[1:end] if end != -1 else host[1:]
        i = host.rfind(":")
        return host[:i] if i != -1 else host


_HEX = "0123456789abcdefABCDEF"


def _check_escapes(s: str, what: str) -> None:
    """Reject "%" not followed by two hex digits, as Go's unescape does."""
    i = 0
    while i < len(s):
        if s[i] == "%":
            chunk = s[i + 1:i + 3]
            if len(chunk) < 2 or chunk[0] not in _HEX or chunk[1] not in _HEX:
                raise GoError('invalid URL escape "%s"' % s[i:i + 3])
            i += 3
        else:
            i += 1


# Characters Go's net/url accepts unescaped in a host (shouldEscape(c,
# encodeHost) == false): unreserved, sub-delims, ':', brackets and '<>"'.
_HOST_OK = set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "-_.~!$&'()*+,;=:[]<>\""
)
_USERINFO_OK = set(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "-._:~!$&'()*+,;=%@"
)


def _valid_optional_port(port: str) -> bool:
    if port == "":
        return True
    if port[0] != ":":
        return False
    return all(c in "0123456789" for c in port[1:])


def _parse_host(host: str) -> str:
    if host.startswith("["):
        end = host.rfind("]")
        if end < 0:
            raise GoError("missing ']' in host")
        colon_port = host[end + 1:]
        if not _valid_optional_port(colon_port):
            raise GoError("invalid port %r after host" % colon_port)
        zone = host[:end].find("%25")
        if zone >= 0:
            _check_escapes(host[zone:end], "zone")
        return host
    i = host.rfind(":")
    if i != -1:
        colon_port = host[i:]
        if not _valid_optional_port(colon_port):
            raise GoError("invalid port %r after host" % colon_port)
    _check_escapes(host, "host")
    for c in host:
        if ord(c) < 0x80 and c not in _HOST_OK and c != "%":
            raise GoError("invalid character %r in host name" % c)
    return host


def parse_request_uri(raw: str) -> GoURL:
    """Go's net/url.ParseRequestURI (what the Kubernetes CEL isURL() uses)."""
    if not isinstance(raw, str):
        raise GoError("not a string")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in raw):
        raise GoError("net/url: invalid control character in URL")
    if raw == "":
        raise GoError("empty url")
    if raw == "*":
        return GoURL("", "", None, "", "*", "")
    # getScheme
    scheme, rest = "", raw
    for i, c in enumerate(raw):
        if c.isascii() and c.isalpha():
            continue
        if c.isascii() and (c.isdigit() or c in "+-."):
            if i == 0:
                break
            continue
        if c == ":":
            if i == 0:
                raise GoError("missing protocol scheme")
            scheme, rest = raw[:i], raw[i + 1:]
        break
    scheme = scheme.lower()
    raw_query = ""
    if rest.endswith("?") and rest.count("?") == 1:
        rest = rest[:-1]
    elif "?" in rest:
        rest, raw_query = rest.split("?", 1)
    if not rest.startswith("/"):
        if scheme != "":
            return GoURL(scheme, rest, None, "", "", raw_query)
        raise GoError("invalid URI for request")
    userinfo: Optional[str] = None
    host = ""
    if scheme != "" and rest.startswith("//"):
        authority, slash, tail = rest[2:].partition("/")
        rest = slash + tail
        at = authority.rfind("@")
        if at >= 0:
            userinfo = authority[:at]
            if any(c not in _USERINFO_OK for c in userinfo if ord(c) < 0x80):
                raise GoError("net/url: invalid userinfo")
            _check_escapes(userinfo, "userinfo")
            authority = authority[at + 1:]
        host = _parse_host(authority)
    _check_escapes(rest, "path")
    return GoURL(scheme, "", userinfo, host, rest, raw_query)


def cel_is_url(value: str) -> bool:
    try:
        parse_request_uri(value)
        return True
    except GoError:
        return False


# --------------------------------------------------------------------------
# CEL rules of the CRD and their Python equivalents
# --------------------------------------------------------------------------

def _rule_is_url(value: Any) -> Optional[str]:
    return None if cel_is_url(value) else "not a valid absolute URL"


def _rule_has_host(value: Any) -> Optional[str]:
    if not cel_is_url(value):
        return None
    return None if parse_request_uri(value).hostname() != "" else "URL has no host"


class CelEvalError(Exception):
    """The rule could not be evaluated; the API server rejects the object."""


def _rule_ttl_min(value: Any) -> Optional[str]:
    try:
        ns = parse_go_duration(value)
    except GoError as exc:
        raise CelEvalError(str(exc))
    return None if ns >= 1_000_000_000 else "%r is shorter than 1s" % (value,)


def _rule_ttl_max(value: Any) -> Optional[str]:
    try:
        ns = parse_go_duration(value)
    except GoError as exc:
        raise CelEvalError(str(exc))
    return None if ns <= 8760 * 3600 * 1_000_000_000 else "%r is longer than 8760h" % (value,)


def _rule_no_control_characters(value: Any) -> Optional[str]:
    return "contains a control character" if re.search(r"[\x00-\x1f\x7f]", value) else None


def _normalize_rule(rule: str) -> str:
    return re.sub(r"\s+", " ", rule.strip())


# Every CEL rule in the CRD must be listed here, so a rule added to the CRD
# without a checker fails the lint instead of being silently skipped.
CEL_EQUIVALENTS: Dict[str, Callable[[Any], Optional[str]]] = {
    "isURL(self)": _rule_is_url,
    "!isURL(self) || url(self).getHostname() != ''": _rule_has_host,
    "duration(self) >= duration('1s')": _rule_ttl_min,
    "duration(self) <= duration('8760h')": _rule_ttl_max,
    "!self.matches(r'[\\x00-\\x1f\\x7f]')": _rule_no_control_characters,
}


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------

class Problem(Exception):
    pass


def load_yaml_documents(path: str) -> List[Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise Problem("cannot read: %s" % exc.strerror)
    try:
        docs = list(yaml.safe_load_all(text))
    except yaml.YAMLError as exc:
        raise Problem("not valid YAML: %s" % str(exc).replace("\n", " "))
    return [d for d in docs if d is not None]


class CRD:
    def __init__(self, path: str, doc: Dict[str, Any], version: Optional[str] = None):
        self.path = path
        self.doc = doc
        spec = doc.get("spec") or {}
        self.group = spec.get("group", "")
        names = spec.get("names") or {}
        self.kind = names.get("kind", "")
        self.scope = spec.get("scope", "")
        versions = spec.get("versions") or []
        chosen = None
        for v in versions:
            if (version is None and v.get("storage")) or (version is not None and v.get("name") == version):
                chosen = v
        if chosen is None:
            raise Problem("no %s version in the CRD" % ("storage" if version is None else repr(version)))
        self.version_entry = chosen
        self.version = chosen.get("name", "")
        self.schema = ((chosen.get("schema") or {}).get("openAPIV3Schema")) or {}
        self.api_version = "%s/%s" % (self.group, self.version)
        self._json_schema = to_json_schema(self.schema)
        self.validator = make_validator(self._json_schema)

    @classmethod
    def load(cls, path: str, version: Optional[str] = None) -> "CRD":
        docs = load_yaml_documents(path)
        crds = [d for d in docs if isinstance(d, dict) and d.get("kind") == "CustomResourceDefinition"]
        if len(crds) != 1:
            raise Problem("expected exactly one CustomResourceDefinition, found %d" % len(crds))
        return cls(path, crds[0], version)


# --------------------------------------------------------------------------
# Structural schema -> JSON Schema
# --------------------------------------------------------------------------

_DROP_KEYS = {"description", "example", "externalDocs", "title", "default"}


def to_json_schema(node: Any) -> Any:
    """Turn a CRD structural schema node into a JSON Schema node.

    Drops x-kubernetes-* keys (and their rules: CEL is checked separately),
    keeps format as an annotation (int32/int64 are not enforced; date-time is
    checked by our own format checker), maps nullable onto a "null" type, and
    closes objects with properties unless they preserve unknown fields.
    """
    if isinstance(node, list):
        return [to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out: Dict[str, Any] = {}
    for key, value in node.items():
        if key.startswith("x-kubernetes-") or key in _DROP_KEYS or key == "nullable":
            continue
        if key == "properties":
            out[key] = {k: to_json_schema(v) for k, v in value.items()}
        elif key in ("items", "additionalProperties", "not"):
            out[key] = to_json_schema(value) if isinstance(value, (dict, list)) else value
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [to_json_schema(v) for v in value]
        else:
            out[key] = copy.deepcopy(value)
    if node.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["anyOf"] = out.get("anyOf", []) + [{"type": "integer"}, {"type": "string"}]
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if (node.get("type") == "object" and "properties" in node
            and "additionalProperties" not in node
            and not node.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out


_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)

_format_checker = jsonschema.FormatChecker(formats=())


@_format_checker.checks("date-time", raises=ValueError)
def _check_date_time(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        raise ValueError("not an RFC 3339 date-time")
    base = re.sub(r"(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", "", value).replace("t", "T")
    datetime.datetime.strptime(base, "%Y-%m-%dT%H:%M:%S")
    return True


def make_validator(schema: Dict[str, Any]) -> jsonschema.protocols.Validator:
    base = jsonschema.Draft202012Validator
    # JSON (and the API server) know 1.0 is not an integer; jsonschema would
    # accept it, and YAML bools must never count as integers.
    checker = base.TYPE_CHECKER.redefine(
        "integer", lambda _c, v: isinstance(v, int) and not isinstance(v, bool)
    )
    cls = jsonschema.validators.extend(base, type_checker=checker)
    return cls(schema, format_checker=_format_checker)


# --------------------------------------------------------------------------
# Defaulting (as the API server does it for structural schemas)
# --------------------------------------------------------------------------

def apply_defaults(value: Any, schema: Dict[str, Any]) -> Any:
    """Prune nulls of non-nullable fields, then fill defaults top-down."""
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        props = schema["properties"]
        for name in list(value):
            if value[name] is None and name in props and not props[name].get("nullable"):
                del value[name]
        for name, sub in props.items():
            if name not in value and "default" in sub:
                value[name] = copy.deepcopy(sub["default"])
            if name in value:
                value[name] = apply_defaults(value[name], sub)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [apply_defaults(v, schema["items"]) for v in value]
    return value


# --------------------------------------------------------------------------
# Walking the schema
# --------------------------------------------------------------------------

def walk_schema(node: Dict[str, Any], path: str = "") -> Iterable[Tuple[str, Dict[str, Any]]]:
    """Yield (path, node) for the root and every property/items node."""
    yield path or "(root)", node
    for name, sub in (node.get("properties") or {}).items():
        yield from walk_schema(sub, "%s.%s" % (path, name) if path else name)
    items = node.get("items")
    if isinstance(items, dict):
        yield from walk_schema(items, (path or "") + "[]")
    addl = node.get("additionalProperties")
    if isinstance(addl, dict):
        yield from walk_schema(addl, (path or "") + "{}")


def values_at(obj: Any, path: str) -> Iterable[Tuple[str, Any]]:
    """Values in obj at a schema path from walk_schema, with concrete paths."""
    if path == "(root)":
        yield "", obj
        return
    tokens = re.findall(r"[^.\[\]{}]+|\[\]|\{\}", path)
    current: List[Tuple[str, Any]] = [("", obj)]
    for tok in tokens:
        nxt: List[Tuple[str, Any]] = []
        for where, value in current:
            if tok == "[]":
                if isinstance(value, list):
                    nxt.extend(("%s[%d]" % (where, i), v) for i, v in enumerate(value))
            elif tok == "{}":
                if isinstance(value, dict):
                    nxt.extend(("%s.%s" % (where, k) if where else k, v) for k, v in value.items())
            elif isinstance(value, dict) and tok in value:
                nxt.append(("%s.%s" % (where, tok) if where else tok, value[tok]))
        current = nxt
    yield from current


def format_path(parts: Iterable[Any]) -> str:
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += "[%d]" % p
        else:
            out += ("." if out else "") + str(p)
    return out or "(root)"


# --------------------------------------------------------------------------
# CRD lint
# --------------------------------------------------------------------------

_PRINTER_TYPES = {
    "integer": ("integer",),
    "number": ("number", "integer"),
    "string": ("string",),
    "boolean": ("boolean",),
    "date": ("string",),
}


def _schema_at_jsonpath(schema: Dict[str, Any], json_path: str) -> Optional[Dict[str, Any]]:
    """Resolve a simple printer-column JSONPath against the schema.

    Supports .a.b, [?(...)] / [*] / [N] (descend into items). Returns {} for
    paths under metadata (its schema is the API server's, not ours) and None
    when the path does not exist.
    """
    if not json_path.startswith("."):
        return None
    rest = json_path
    node = schema
    while rest:
        m = re.match(r"\.([A-Za-z0-9_-]+)", rest)
        if m:
            name = m.group(1)
            if node is schema and name == "metadata":
                return {}
            props = node.get("properties") or {}
            if name not in props:
                return None
            node = props[name]
            rest = rest[m.end():]
            continue
        m = re.match(r"\[(\?\(.*?\)|\*|[0-9]+)\]", rest)
        if m:
            if not isinstance(node.get("items"), dict):
                return None
            node = node["items"]
            rest = rest[m.end():]
            continue
        return None
    return node


def lint_crd(crd: CRD) -> List[str]:
    errors: List[str] = []
    doc = crd.doc
    spec = doc.get("spec") or {}
    names = spec.get("names") or {}
    plural = names.get("plural", "")
    expected_name = "%s.%s" % (plural, crd.group)
    if (doc.get("metadata") or {}).get("name") != expected_name:
        errors.append("metadata.name: must be %r (plural.group)" % expected_name)
    for key in ("plural", "singular"):
        if names.get(key, "") != names.get(key, "").lower():
            errors.append("spec.names.%s: must be lowercase" % key)
    versions = spec.get("versions") or []
    if sum(1 for v in versions if v.get("storage")) != 1:
        errors.append("spec.versions: exactly one version must have storage: true")
    if not crd.version_entry.get("served"):
        errors.append("spec.versions[%s].served: must be true" % crd.version)

    schema = crd.schema
    if not schema:
        return errors + ["spec.versions[%s].schema.openAPIV3Schema: missing" % crd.version]

    for path, node in walk_schema(schema):
        where = "schema %s" % path
        if "type" not in node and not (node.get("x-kubernetes-int-or-string")
                                       or node.get("x-kubernetes-preserve-unknown-fields")):
            errors.append("%s: no type (a structural schema needs one on every node)" % where)
        if path == "metadata":
            # kube-apiserver: "must not specify anything other than name and
            # generateName, but metadata is implicitly specified".
            extra = sorted(set(node) - {"type"})
            if extra:
                errors.append("%s: only `type: object` is allowed on the metadata node (has %s)" % (where, ", ".join(extra)))
            continue
        if not str(node.get("description", "")).strip():
            errors.append("%s: no description (kubectl explain shows it)" % where)
        for req in node.get("required") or []:
            if req not in (node.get("properties") or {}):
                errors.append("%s: required field %r is not a property" % (where, req))
        rules = node.get("x-kubernetes-validations") or []
        if rules:
            if node.get("type") == "string" and "maxLength" not in node and "enum" not in node:
                errors.append("%s: has CEL rules but no maxLength (CEL cost budget)" % where)
            if node.get("type") == "array" and "maxItems" not in node:
                errors.append("%s: has CEL rules but no maxItems (CEL cost budget)" % where)
        for rule in rules:
            text = _normalize_rule(str(rule.get("rule", "")))
            if text not in CEL_EQUIVALENTS:
                errors.append("%s: CEL rule %r has no Python equivalent in %s"
                              % (where, text, os.path.basename(__file__)))
            if not str(rule.get("message", "")).strip() and not rule.get("messageExpression"):
                errors.append("%s: CEL rule %r has no message" % (where, text))
        if "default" in node:
            default = apply_defaults(copy.deepcopy(node["default"]), node)
            validator = make_validator(to_json_schema(node))
            for err in validator.iter_errors(default):
                errors.append("%s: default %r is invalid: %s"
                              % (where, node["default"], err.message))
            for rule_path, rule_node in walk_schema(node):
                for rule in rule_node.get("x-kubernetes-validations") or []:
                    fn = CEL_EQUIVALENTS.get(_normalize_rule(str(rule.get("rule", ""))))
                    if fn is None:
                        continue
                    for _, value in values_at(default, rule_path):
                        try:
                            msg = fn(value)
                        except CelEvalError as exc:
                            msg = "fails to evaluate: %s" % exc
                        if msg:
                            errors.append("%s: default breaks CEL rule %r: %s"
                                          % (where, rule.get("rule"), msg))
        if node.get("x-kubernetes-list-type") == "map":
            item_props = ((node.get("items") or {}).get("properties")) or {}
            item_req = ((node.get("items") or {}).get("required")) or []
            for key in node.get("x-kubernetes-list-map-keys") or []:
                if key not in item_props:
                    errors.append("%s: list-map key %r is not an item property" % (where, key))
                elif key not in item_req and "default" not in item_props[key]:
                    errors.append("%s: list-map key %r must be required or defaulted" % (where, key))

    for col in crd.version_entry.get("additionalPrinterColumns") or []:
        name = col.get("name", "?")
        target = _schema_at_jsonpath(schema, str(col.get("jsonPath", "")))
        if target is None:
            errors.append("printer column %s: jsonPath %r does not name a schema field"
                          % (name, col.get("jsonPath")))
            continue
        if not str(col.get("description", "")).strip():
            errors.append("printer column %s: no description" % name)
        want = _PRINTER_TYPES.get(col.get("type", ""))
        if want is None:
            errors.append("printer column %s: unknown type %r" % (name, col.get("type")))
        elif target and target.get("type") not in want:
            errors.append("printer column %s: type %s but field is %s"
                          % (name, col.get("type"), target.get("type")))
        elif target and col.get("type") == "date" and target.get("format") != "date-time":
            errors.append("printer column %s: type date but field has no date-time format" % name)
    return errors


# --------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------

_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def check_resource(crd: CRD, obj: Any, *, sample: bool) -> List[str]:
    """Return "field: message" strings for everything wrong with obj."""
    if not isinstance(obj, dict):
        return ["(root): must be a mapping, got %s" % type(obj).__name__]
    errors: List[str] = []
    if obj.get("apiVersion") != crd.api_version:
        errors.append("apiVersion: must be %r, got %r" % (crd.api_version, obj.get("apiVersion")))
    if obj.get("kind") != crd.kind:
        errors.append("kind: must be %r, got %r" % (crd.kind, obj.get("kind")))
    meta = obj.get("metadata")
    if not isinstance(meta, dict):
        errors.append("metadata: must be a mapping with a name")
    else:
        name = meta.get("name")
        if not isinstance(name, str) or not name:
            errors.append("metadata.name: required")
        elif len(name) > 253 or not _DNS1123_SUBDOMAIN.match(name):
            errors.append("metadata.name: %r is not a valid name (lowercase letters, digits, "
                          "'-' and '.', at most 253 characters)" % name)
        ns = meta.get("namespace")
        if ns is not None and (not isinstance(ns, str) or len(ns) > 63 or not _DNS1123_LABEL.match(ns)):
            errors.append("metadata.namespace: %r is not a valid namespace name" % (ns,))
        if crd.scope == "Cluster" and ns is not None:
            errors.append("metadata.namespace: %s is cluster-scoped" % crd.kind)
    if sample and "status" in obj:
        errors.append("status: samples must not set status (the controller writes it)")

    defaulted = apply_defaults(copy.deepcopy(obj), crd.schema)
    schema_errors = sorted(crd.validator.iter_errors(defaulted),
                           key=lambda e: (format_path(e.absolute_path), e.message))
    for err in schema_errors:
        if list(err.absolute_path)[:1] == ["metadata"]:
            continue  # checked above; the schema says only "object"
        errors.append("%s: %s" % (format_path(err.absolute_path), err.message))

    # CEL rules run only on values that passed the schema (as in the API
    # server, where a type error stops validation of that field).
    bad_paths = {format_path(e.absolute_path) for e in schema_errors}
    for path, node in walk_schema(crd.schema):
        for rule in node.get("x-kubernetes-validations") or []:
            text = _normalize_rule(str(rule.get("rule", "")))
            fn = CEL_EQUIVALENTS.get(text)
            for where, value in values_at(defaulted, path):
                where = where or "(root)"
                if fn is None:
                    errors.append("%s: CEL rule %r cannot be checked offline" % (where, text))
                    continue
                if where in bad_paths:
                    continue
                try:
                    detail = fn(value)
                except CelEvalError as exc:
                    errors.append("%s: CEL rule %r fails to evaluate, so the API server "
                                  "rejects the value: %s" % (where, text, exc))
                    continue
                if detail:
                    errors.append("%s: %s (CEL rule %r: %s)"
                                  % (where, rule.get("message") or "failed", text, detail))
    return errors


def check_file(crd: CRD, path: str, *, sample: bool = True) -> Tuple[List[str], List[str]]:
    """Check one file. Returns (descriptions of checked resources, errors)."""
    try:
        docs = load_yaml_documents(path)
    except Problem as exc:
        return [], [str(exc)]
    checked: List[str] = []
    errors: List[str] = []
    if sample:
        if len(docs) != 1:
            return [], ["(file): a sample must hold exactly one YAML document, found %d" % len(docs)]
        targets = list(enumerate(docs))
    else:
        targets = [(i, d) for i, d in enumerate(docs)
                   if isinstance(d, dict) and d.get("kind") == crd.kind
                   and str(d.get("apiVersion", "")).split("/")[0] == crd.group]
    for index, doc in targets:
        prefix = "document %d: " % (index + 1) if len(docs) > 1 else ""
        meta = doc.get("metadata") if isinstance(doc, dict) else None
        meta = meta if isinstance(meta, dict) else {}
        label = "%s %s%s" % (doc.get("kind") if isinstance(doc, dict) else "?",
                             meta.get("namespace") + "/" if meta.get("namespace") else "",
                             meta.get("name", "?"))
        checked.append(label)
        errors.extend(prefix + e for e in check_resource(crd, doc, sample=sample))
    return checked, errors


def expand(paths: Iterable[str]) -> List[str]:
    files: List[str] = []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs.sort()
                for n in sorted(names):
                    if n.endswith((".yaml", ".yml")):
                        files.append(os.path.join(root, n))
        else:
            files.append(p)
    return files


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description="Validate HourlyImage samples against the CRD schema and CEL rules.")
    parser.add_argument("--crd", required=True, help="the CustomResourceDefinition YAML file")
    parser.add_argument("--version", help="CRD version to check against (default: the storage version)")
    parser.add_argument("--manifests", action="store_true",
                        help="files are general manifests: check only their HourlyImage documents, "
                             "allow several documents and status")
    parser.add_argument("--no-lint", action="store_true", help="skip the checks of the CRD itself")
    parser.add_argument("paths", nargs="*", help="sample files or directories of them")
    args = parser.parse_args(argv)

    try:
        crd = CRD.load(args.crd, args.version)
    except Problem as exc:
        print("FAIL crd %s" % args.crd)
        print("  %s: %s" % (args.crd, exc))
        return 1

    failed = 0
    if not args.no_lint:
        lint = lint_crd(crd)
        print("%s crd-lint %s" % ("FAIL" if lint else "PASS", args.crd))
        for e in lint:
            print("  %s: %s" % (args.crd, e))
        failed += bool(lint)

    files = expand(args.paths)
    if args.paths and not files:
        print("FAIL samples: no .yaml files in %s" % " ".join(args.paths))
        return 1
    for path in files:
        checked, errors = check_file(crd, path, sample=not args.manifests)
        if args.manifests and not checked and not errors:
            continue
        what = ", ".join(checked) if checked else "?"
        print("%s %s (%s)" % ("FAIL" if errors else "PASS", path, what))
        for e in errors:
            print("  %s: %s" % (path, e))
        failed += bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
