"""The id grammar, one place for every rule that names an event, actor, topic or source.

An id is lowercase ASCII letters and digits in groups joined by single hyphens: it is a URL path
segment and a file name on every system, and it reads the same to everyone.
"""

from __future__ import annotations

import re

_ID = "[a-z0-9]+(-[a-z0-9]+)*"
# Used with `fullmatch`: a schema's `$` would also accept a final newline, Python's too.
ID_PATTERN = re.compile(_ID)
# The same grammar as a JSON Schema `pattern` (anchored, as JSON Schema patterns are searches).
ID_SCHEMA_PATTERN = f"^{_ID}$"


# A language tag as the site uses it (en, he, ru, ar, pt-BR): a BCP 47 primary subtag and
# optional subtags. It names a language in site.yaml, a source, a translation file and a span.
_LANGUAGE_TAG = "[a-z]{2,3}(-[A-Za-z0-9]+)*"
LANGUAGE_TAG = re.compile(_LANGUAGE_TAG)
LANGUAGE_TAG_SCHEMA_PATTERN = f"^{_LANGUAGE_TAG}$"


def is_id(text: str) -> bool:
    return ID_PATTERN.fullmatch(text) is not None
