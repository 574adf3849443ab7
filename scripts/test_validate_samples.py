#!/usr/bin/env python3
"""Tests for validate_samples.py: the checker must reject bad samples.

Run: python3 scripts/test_validate_samples.py   (stdlib unittest; no pytest needed)
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # keep scripts/__pycache__ out of the work tree

import yaml  # noqa: E402

import validate_samples as vs  # noqa: E402

CRD_PATH = os.path.join(ROOT, "crds", "hourlyimages.images.dwk.dev.yaml")
SAMPLES_DIR = os.path.join(ROOT, "crds", "samples")

GOOD = {
    "apiVersion": "images.dwk.dev/v1alpha1",
    "kind": "HourlyImage",
    "metadata": {"name": "project-image", "namespace": "default"},
    "spec": {
        "url": "https://picsum.photos/1200",
        "ttl": "1h",
        "graceCount": 1,
        "suspend": False,
        "keep": 3,
    },
}


class TempFiles:
    def __init__(self) -> None:
        self.dir = tempfile.TemporaryDirectory(prefix="hourlyimage-samples-")

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self.dir.name, name)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        return path

    def close(self) -> None:
        self.dir.cleanup()


class Base(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.crd = vs.CRD.load(CRD_PATH)

    def setUp(self) -> None:
        self.tmp = TempFiles()
        self.addCleanup(self.tmp.close)

    def sample(self, name: str = "sample.yaml", **spec_changes) -> str:
        obj = copy.deepcopy(GOOD)
        for key, value in spec_changes.items():
            obj["spec"][key] = value
        return self.tmp.write(name, yaml.safe_dump(obj, sort_keys=False))

    def errors(self, path: str, **kw) -> list:
        _, errors = vs.check_file(self.crd, path, **kw)
        return errors

    def assertRejected(self, path: str, field: str, *fragments: str, **kw) -> None:
        errors = self.errors(path, **kw)
        self.assertTrue(errors, "expected %s to be rejected" % path)
        hits = [e for e in errors if e.startswith(field + ":") or (": " + field + ":") in e]
        self.assertTrue(hits, "no error names %r; got %r" % (field, errors))
        for frag in fragments:
            self.assertTrue(any(frag in e for e in hits),
                            "no error for %s mentions %r; got %r" % (field, frag, hits))

    def run_cli(self, *args: str) -> tuple:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = vs.main(["--crd", CRD_PATH, *args])
        return rc, out.getvalue()


class TheRequiredNegativeCases(Base):
    """The bad samples the brief names; each must fail, naming file and field."""

    def test_negative_grace_count(self):
        self.assertRejected(self.sample(graceCount=-1), "spec.graceCount", "minimum")

    def test_ttl_soon(self):
        self.assertRejected(self.sample(ttl="soon"), "spec.ttl", "does not match")

    def test_ttl_500ms_is_below_one_second(self):
        self.assertRejected(self.sample(ttl="500ms"), "spec.ttl", "ttl must be at least 1s")

    def test_ftp_url(self):
        self.assertRejected(self.sample(url="ftp://x"), "spec.url")

    def test_unknown_field_under_spec(self):
        self.assertRejected(self.sample(colour="blue"), "spec", "colour")

    def test_cli_fails_and_names_file_and_field(self):
        bad = self.sample("bad-grace.yaml", graceCount=-1)
        rc, out = self.run_cli("--no-lint", bad)
        self.assertEqual(rc, 1)
        self.assertIn("FAIL %s" % bad, out)
        self.assertIn("%s: spec.graceCount:" % bad, out)

    def test_cli_one_bad_file_among_good_ones_fails(self):
        good = self.sample("good.yaml")
        bad = self.sample("bad-ttl.yaml", ttl="500ms")
        rc, out = self.run_cli("--no-lint", good, bad)
        self.assertEqual(rc, 1)
        self.assertIn("PASS %s" % good, out)
        self.assertIn("FAIL %s" % bad, out)


class MoreSpecCases(Base):
    def test_good_sample_passes(self):
        self.assertEqual(self.errors(self.sample()), [])

    def test_ttl_forms_go_accepts(self):
        for ttl in ("1s", "1000ms", "90s", "10m", "1h30m", "1.5h", "0.5s500ms", "2h45m30.5s"):
            with self.subTest(ttl=ttl):
                self.assertEqual(self.errors(self.sample(ttl=ttl)), [])

    def test_ttl_rejected_forms(self):
        for ttl in ("999ms", "0s", "0", "1", "1d", "-1h", "1 h", "", "h", ".5s", "1h\n"):
            with self.subTest(ttl=ttl):
                self.assertRejected(self.sample(ttl=ttl), "spec.ttl")

    def test_ttl_that_overflows_go_duration(self):
        self.assertRejected(self.sample(ttl="9999999999h"), "spec.ttl", "fails to evaluate")

    def test_ttl_too_long(self):
        self.assertRejected(self.sample(ttl="1s" * 33), "spec.ttl", "too long")

    def test_url_rejected_forms(self):
        for url in ("https://", "http:///path", "picsum.photos/1200", "HTTPS://x",
                    "https://exa mple.com/", "https://example.com:port/", "https://x/%zz",
                    "javascript:alert(1)", "https://x/\n"):
            with self.subTest(url=url):
                self.assertRejected(self.sample(url=url), "spec.url")

    def test_url_accepted_forms(self):
        for url in ("https://picsum.photos/1200", "http://example.com", "https://[::1]:8443/a?b=c",
                    "https://user:pw@example.com/x.jpg", "https://picsum.photos/id/237/200/300"):
            with self.subTest(url=url):
                self.assertEqual(self.errors(self.sample(url=url)), [])

    def test_url_too_long(self):
        self.assertRejected(self.sample(url="https://x/" + "a" * 2048), "spec.url", "too long")

    def test_keep_bounds(self):
        self.assertRejected(self.sample(keep=0), "spec.keep", "minimum")
        self.assertRejected(self.sample(keep=1001), "spec.keep", "maximum")
        self.assertEqual(self.errors(self.sample(keep=1)), [])

    def test_grace_count_bounds(self):
        self.assertRejected(self.sample(graceCount=1000001), "spec.graceCount", "maximum")
        self.assertEqual(self.errors(self.sample(graceCount=0)), [])

    def test_types(self):
        self.assertRejected(self.sample(graceCount="1"), "spec.graceCount", "integer")
        self.assertRejected(self.sample(graceCount=1.5), "spec.graceCount", "integer")
        self.assertRejected(self.sample(keep=True), "spec.keep", "integer")
        self.assertRejected(self.sample(suspend="yes please"), "spec.suspend", "boolean")
        self.assertRejected(self.sample(ttl=3600), "spec.ttl", "string")


class DocumentShape(Base):
    def test_status_not_allowed_in_sample(self):
        obj = copy.deepcopy(GOOD)
        obj["status"] = {"graceViews": 0}
        path = self.tmp.write("s.yaml", yaml.safe_dump(obj))
        self.assertRejected(path, "status", "must not set status")
        # ...but a manifest may carry one, as long as it is valid.
        self.assertEqual(self.errors(path, sample=False), [])

    def test_invalid_status_in_manifest(self):
        obj = copy.deepcopy(GOOD)
        obj["status"] = {"current": {"file": "f", "sha256": "XYZ", "bytes": 1,
                                     "contentType": "image/jpeg", "fetchedAt": "yesterday"}}
        path = self.tmp.write("s.yaml", yaml.safe_dump(obj))
        self.assertRejected(path, "status.current.sha256", "does not match", sample=False)
        self.assertRejected(path, "status.current.fetchedAt", "date-time", sample=False)

    def test_condition_schema(self):
        obj = copy.deepcopy(GOOD)
        obj["status"] = {"conditions": [{"type": "Ready", "status": "Yes", "reason": "",
                                         "lastTransitionTime": "2026-11-22T10:00:00Z"}]}
        path = self.tmp.write("s.yaml", yaml.safe_dump(obj))
        errors = self.errors(path, sample=False)
        self.assertTrue(any("status.conditions[0].status" in e for e in errors), errors)
        self.assertTrue(any("status.conditions[0].reason" in e for e in errors), errors)
        self.assertTrue(any("'message' is a required property" in e for e in errors), errors)

    def test_two_documents(self):
        text = yaml.safe_dump(GOOD) + "---\n" + yaml.safe_dump(GOOD)
        path = self.tmp.write("two.yaml", text)
        self.assertTrue(any("exactly one YAML document" in e for e in self.errors(path)))

    def test_manifest_mode_checks_only_hourlyimages(self):
        other = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
        bad = copy.deepcopy(GOOD)
        bad["spec"]["ttl"] = "soon"
        path = self.tmp.write("m.yaml", yaml.safe_dump_all([other, bad]))
        errors = self.errors(path, sample=False)
        self.assertEqual(len(errors), 1, errors)
        self.assertIn("document 2: spec.ttl", errors[0])

    def test_wrong_api_version_and_kind(self):
        obj = copy.deepcopy(GOOD)
        obj["apiVersion"] = "images.dwk.dev/v1"
        obj["kind"] = "HourlyImages"
        path = self.tmp.write("w.yaml", yaml.safe_dump(obj))
        self.assertRejected(path, "apiVersion")
        self.assertRejected(path, "kind")

    def test_bad_name(self):
        obj = copy.deepcopy(GOOD)
        obj["metadata"]["name"] = "Project_Image"
        path = self.tmp.write("n.yaml", yaml.safe_dump(obj))
        self.assertRejected(path, "metadata.name")

    def test_unknown_top_level_field(self):
        obj = copy.deepcopy(GOOD)
        obj["sepc"] = {}
        path = self.tmp.write("t.yaml", yaml.safe_dump(obj))
        self.assertRejected(path, "(root)", "sepc")

    def test_not_yaml(self):
        path = self.tmp.write("x.yaml", "spec: [unclosed\n")
        self.assertTrue(any("not valid YAML" in e for e in self.errors(path)))


class Defaulting(Base):
    def test_minimal_sample_gets_all_defaults(self):
        obj = {"apiVersion": "images.dwk.dev/v1alpha1", "kind": "HourlyImage",
               "metadata": {"name": "m"}}
        defaulted = vs.apply_defaults(copy.deepcopy(obj), self.crd.schema)
        self.assertEqual(defaulted["spec"], {"url": "https://picsum.photos/1200", "ttl": "1h",
                                             "graceCount": 1, "suspend": False, "keep": 3})

    def test_null_field_is_pruned_then_defaulted(self):
        path = self.tmp.write("n.yaml", "apiVersion: images.dwk.dev/v1alpha1\nkind: HourlyImage\n"
                                        "metadata: {name: n}\nspec:\n  ttl:\n")
        self.assertEqual(self.errors(path), [])


class RealSamples(Base):
    def test_all_samples_pass(self):
        files = vs.expand([SAMPLES_DIR])
        self.assertGreaterEqual(len(files), 3)
        for path in files:
            with self.subTest(path=os.path.relpath(path, ROOT)):
                self.assertEqual(self.errors(path), [])

    def test_project_image_sample_matches_design(self):
        with open(os.path.join(SAMPLES_DIR, "hourlyimage.yaml"), encoding="utf-8") as fh:
            obj = yaml.safe_load(fh)
        self.assertEqual(obj["metadata"], {"name": "project-image", "namespace": "default"})
        self.assertEqual(obj["spec"]["url"], "https://picsum.photos/1200")
        self.assertEqual(obj["spec"]["ttl"], "1h")
        self.assertEqual(obj["spec"]["graceCount"], 1)
        self.assertEqual(obj["spec"]["keep"], 3)


class CrdLint(Base):
    def lint(self, mutate) -> list:
        doc = copy.deepcopy(self.crd.doc)
        mutate(doc["spec"]["versions"][0]["schema"]["openAPIV3Schema"], doc)
        return vs.lint_crd(vs.CRD("mutated.yaml", doc))

    def test_real_crd_is_clean(self):
        self.assertEqual(vs.lint_crd(self.crd), [])

    def test_missing_description(self):
        def m(schema, _):
            del schema["properties"]["status"]["properties"]["pending"]["properties"]["author"]["description"]
        errors = self.lint(m)
        self.assertTrue(any("status.pending.author: no description" in e for e in errors), errors)

    def test_metadata_node_takes_only_type(self):
        # kube-apiserver v1.36 rejects a description here (Tests/Conformance step 002).
        def m(schema, _):
            schema["properties"]["metadata"]["description"] = "Standard object metadata."
        errors = self.lint(m)
        self.assertTrue(any("only `type: object` is allowed on the metadata node" in e for e in errors), errors)

    def test_rule_without_python_equivalent(self):
        def m(schema, _):
            schema["properties"]["spec"]["properties"]["keep"]["x-kubernetes-validations"] = [
                {"rule": "self < 10", "message": "too many"}]
        errors = self.lint(m)
        self.assertTrue(any("no Python equivalent" in e for e in errors), errors)

    def test_rule_without_max_length(self):
        def m(schema, _):
            del schema["properties"]["spec"]["properties"]["ttl"]["maxLength"]
        errors = self.lint(m)
        self.assertTrue(any("spec.ttl: has CEL rules but no maxLength" in e for e in errors), errors)

    def test_invalid_default(self):
        def m(schema, _):
            schema["properties"]["spec"]["properties"]["ttl"]["default"] = "100ms"
        errors = self.lint(m)
        self.assertTrue(any("spec.ttl: default" in e for e in errors), errors)

    @staticmethod
    def column(doc, name):
        return next(c for c in doc["spec"]["versions"][0]["additionalPrinterColumns"] if c["name"] == name)

    def test_printer_column_pointing_nowhere(self):
        def m(_, doc):
            self.column(doc, "Image")["jsonPath"] = ".status.current.picsumId"
        errors = self.lint(m)
        self.assertTrue(any("printer column Image" in e for e in errors), errors)

    def test_printer_column_type_mismatch(self):
        def m(_, doc):
            self.column(doc, "Grace")["type"] = "integer"
        errors = self.lint(m)
        self.assertTrue(any("printer column Grace: type integer but field is string" in e
                            for e in errors), errors)


class GoSemantics(unittest.TestCase):
    def test_parse_go_duration(self):
        ns = 1_000_000_000
        cases = {"1h30m": 5400 * ns, "1.5h": 5400 * ns, "500ms": ns // 2, "2m": 120 * ns,
                 "0": 0, "1us": 1000, "1\u00b5s": 1000, "-1s": -ns, "+2s": 2 * ns,
                 "1.0000000001s": ns}
        for text, want in cases.items():
            with self.subTest(text=text):
                self.assertEqual(vs.parse_go_duration(text), want)
        for text in ("", "1", "1d", "s", ".s", "1h 2m", "soon", "9999999999h"):
            with self.subTest(text=text):
                with self.assertRaises(vs.GoError):
                    vs.parse_go_duration(text)

    def test_parse_request_uri(self):
        ok = ["https://picsum.photos/1200", "/absolute-path", "mailto:x@y", "https://[::1]:80/",
              "http://x?", "*"]
        bad = ["", "../relative", "https://a:b:c/", ":nothing", "http://x/%g0", "a b",
               "https://x y/"]
        for u in ok:
            with self.subTest(ok=u):
                self.assertTrue(vs.cel_is_url(u))
        for u in bad:
            with self.subTest(bad=u):
                self.assertFalse(vs.cel_is_url(u))
        self.assertEqual(vs.parse_request_uri("https://[::1]:80/").hostname(), "::1")
        self.assertEqual(vs.parse_request_uri("https://example.com:80/").hostname(), "example.com")
        self.assertEqual(vs.parse_request_uri("http:///p").hostname(), "")


if __name__ == "__main__":
    unittest.main(verbosity=1)
