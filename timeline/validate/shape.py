"""The shape of a document (types, required and unknown fields, lengths, patterns), checked by the
committed JSON Schemas in `timeline/schema/` through `jsonschema`, so that the editor's schema
and the build agree; and each schema error worded for editors, with its fix.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from timeline.load.files import Document
from timeline.problems import Problem
from timeline.validate.document import FieldPath, Found, problem_at

MAX_UNKNOWN_FIELDS = 20  # per mapping: a file of garbage gets a few lines, not thousands
# One worded problem: the field, the message, the hint, and whether it is located at the key.
Worded = tuple[FieldPath, str, str, bool]


@cache
def schema(name: str) -> dict[str, Any]:
    text = resources.files("timeline").joinpath(f"schema/{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name))


@cache
def _quick_check(name: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python by fastjsonschema: ten times faster, but it stops at
    the first error and words it for programmers. So it only answers "valid?"; a document it
    rejects goes through `jsonschema`, which reports every problem. The schema uses nothing that
    draft-07 lacks, which is the newest draft fastjsonschema compiles (a test holds the two
    validators to the same verdicts)."""
    draft07 = {**schema(name), "$schema": "http://json-schema.org/draft-07/schema#"}
    return fastjsonschema.compile(draft07)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""


def schema_problems(doc: Document, name: str, found: Found) -> list[Problem]:
    """Every way `doc` differs from the schema `name`, once per field (none for a field that
    already has an error, in `found` or earlier in this list)."""
    try:
        _quick_check(name)(doc.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # now find and word every problem
    seen = found.copy()
    reported: set[tuple[FieldPath, str]] = set()
    problems = []
    errors = sorted(_validator(name).iter_errors(doc.data), key=lambda e: list(map(str, e.path)))
    for error in errors:
        for path, message, hint, at_key in _translate(error):
            if (path, message) not in reported and not seen.has_error(path):
                reported.add((path, message))
                problem = problem_at(doc, path, message, hint, at_key=at_key)
                seen.extend([problem])
                problems.append(problem)
    return problems


_TYPE_NAMES = {
    "object": "a set of `field: value` lines",
    "array": "a list",
    "string": "text",
    "boolean": "true or false",
}


def _translate(error: ValidationError) -> Iterator[Worded]:
    path = tuple(error.absolute_path)
    sub = error.schema if isinstance(error.schema, dict) else {}
    custom = sub.get(f"x-message-{error.validator}")
    if custom:
        yield path, custom, sub.get("x-hint", ""), False
        return
    wording = _WORDINGS.get(str(error.validator))
    if wording is None:
        yield path, error.message, "", False
    else:
        yield from wording(error, path, sub)


def _required(error: ValidationError, path: FieldPath, sub: dict[str, Any]) -> Iterator[Worded]:
    instance = error.instance
    for name in error.validator_value:
        # A misspelt key (`souces`) is reported once, as an unknown field with its fix.
        if (
            isinstance(instance, dict)
            and name not in instance
            and not did_you_mean(
                name, [key for key in instance if key not in sub.get("properties", {})]
            )
        ):
            hint = sub.get("properties", {}).get(name, {}).get("description", "")
            yield (*path, name), f"`{name}` is required", hint, False


def _unknown(error: ValidationError, path: FieldPath, sub: dict[str, Any]) -> Iterator[Worded]:
    known = sub.get("properties", {})
    unknown = [key for key in error.instance if key not in known]
    for key in [key for key in unknown if key in sub.get("x-original-fields", ())]:
        hint = "change it in the entry's own file; a translation gives " + ", ".join(known)
        yield (*path, key), f"a translation keeps the entry's `{key}`", hint, True
    unknown = [key for key in unknown if key not in sub.get("x-original-fields", ())]
    for key in unknown[:MAX_UNKNOWN_FIELDS]:
        hint = did_you_mean(key, known) or "allowed: " + ", ".join(sorted(known))
        yield (*path, key), f"unknown field `{key}`", hint, True
    if len(unknown) > MAX_UNKNOWN_FIELDS:
        more = len(unknown) - MAX_UNKNOWN_FIELDS
        yield path, f"and {more:,} more unknown fields", "allowed: " + ", ".join(known), False


def _type(error: ValidationError, path: FieldPath, sub: dict[str, Any]) -> Iterator[Worded]:
    wanted = error.validator_value
    wanted = wanted if isinstance(wanted, list) else [wanted]
    names = " or ".join(_TYPE_NAMES.get(w, w) for w in wanted)
    instance = error.instance
    hint = ""
    if "array" in wanted and isinstance(instance, str):
        hint = f"write a list: [{instance}]"
    elif "string" in wanted and instance is None:
        hint = "write a value, or remove the field"
    elif "string" in wanted and isinstance(instance, bool):
        hint = "put it in quotes"
    yield path, f"must be {names}", hint, False


def _pattern(error: ValidationError, path: FieldPath, sub: dict[str, Any]) -> Iterator[Worded]:
    if sub.get("x-checked-by-code"):
        return  # the code check gives a more precise message for this field
    message = sub.get("x-message", f"does not match {error.validator_value}")
    yield path, message, sub.get("x-hint", ""), False


def _max_length(error: ValidationError, path: FieldPath, sub: dict[str, Any]) -> Iterator[Worded]:
    length = len(error.instance)
    message = f"is {length} characters long; at most {error.validator_value} are allowed"
    yield path, message, "shorten it", False


def _min_length(error: ValidationError, path: FieldPath, sub: dict[str, Any]) -> Iterator[Worded]:
    yield path, "must not be empty", "write a value, or remove the field", False


def _min_items(error: ValidationError, path: FieldPath, sub: dict[str, Any]) -> Iterator[Worded]:
    yield path, f"needs at least {error.validator_value} item", "", False


def _unique(error: ValidationError, path: FieldPath, sub: dict[str, Any]) -> Iterator[Worded]:
    yield path, "lists the same value twice", "remove the repeated value", False


def _enum(error: ValidationError, path: FieldPath, sub: dict[str, Any]) -> Iterator[Worded]:
    choices = [str(c) for c in error.validator_value]
    hint = did_you_mean(str(error.instance), choices) or "one of: " + ", ".join(choices)
    yield path, f"`{error.instance}` is not an allowed value", hint, False


def _any_of(error: ValidationError, path: FieldPath, sub: dict[str, Any]) -> Iterator[Worded]:
    if sub.get("x-message"):
        yield path, sub["x-message"], sub.get("x-hint", ""), False
    else:
        yield path, error.message, "", False


_WORDINGS: dict[str, Callable[[ValidationError, FieldPath, dict[str, Any]], Iterator[Worded]]] = {
    "required": _required,
    "additionalProperties": _unknown,
    "type": _type,
    "pattern": _pattern,
    "maxLength": _max_length,
    "minLength": _min_length,
    "minItems": _min_items,
    "uniqueItems": _unique,
    "enum": _enum,
    "anyOf": _any_of,
}
