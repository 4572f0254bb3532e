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


def is_id(text: str) -> bool:
    return ID_PATTERN.fullmatch(text) is not None
