"""Run the W3C Web Annotation test suite's MUST assertions with jsonschema."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "web-annotation"


@cache
def registry() -> Registry:
    resources = []
    for path in sorted((SUITE / "definitions").glob("*.json")):
        schema = json.loads(path.read_text())
        resources.append(
            (schema.get("id", path.name), Resource.from_contents(schema, default_specification=DRAFT4))
        )
    return Registry().with_resources(resources)


def _flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


@cache
def must_assertions() -> tuple[tuple[str, dict, str], ...]:
    """(file, schema, expected result) for every MUST assertion of annotationMusts.test."""
    test = json.loads((SUITE / "annotations" / "annotationMusts.test").read_text())
    out = []
    for item in _flatten(test["assertions"]):
        overrides = {}
        if isinstance(item, dict):
            overrides = {k: v for k, v in item.items() if k != "assertionFile"}
            item = item["assertionFile"]
        schema = json.loads((SUITE / item).read_text())
        expected = overrides.get("expectedResult", schema.get("expectedResult", "valid"))
        out.append((item, schema, expected))
    return tuple(out)


def failed_musts(annotation: dict) -> list[str]:
    """The MUST assertions the annotation does not meet (empty when it conforms)."""
    failures = []
    for name, schema, expected in must_assertions():
        validator = Draft4Validator(
            schema, registry=registry(), format_checker=Draft4Validator.FORMAT_CHECKER
        )
        valid = validator.is_valid(annotation)
        if valid != (expected == "valid"):
            failures.append(name)
    return failures
