"""Links that lead a reader to the exact words and to a kept copy of a source.

- A **text fragment** (`#:~:text=`, WICG's URL Fragment Text Directives) makes a browser
  scroll to a quote and highlight it. Each term is percent-encoded, with `-`, `,` and `&`
  encoded too, because the directive uses them as its own syntax. A long quote is matched by
  its first and last words (`textStart,textEnd`), which stays right when the page's markup
  splits the words between; a quote with an ellipsis is matched around the part left out.
- **Robust Links** (`data-versionurl`, `data-versiondate`) name the archived copy of a link and
  when it was made, so that a reader, or a script, can fall back to it when the page changes.
  The date is read from the copy's address when it holds one (`/web/20231210123456/…`).
"""

from __future__ import annotations

import re
from urllib.parse import quote

WORDS_WHOLE = 10  # a quote of up to this many words is matched whole
WORDS_AT_ENDS = 5  # a longer one by this many words at each end
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*")
_MEMENTO = re.compile(r"/(\d{4})(\d{2})(\d{2})\d{6}[a-z_]{0,4}/")


def text_fragment_url(url: str, quoted: str) -> str:
    """`url` with a text directive that finds `quoted` on the page."""
    parts = [part for part in _ELLIPSIS.split(quoted.strip()) if part]
    if not parts:
        return url
    words_start, words_end = parts[0].split(), parts[-1].split()
    if len(parts) == 1 and len(words_start) <= WORDS_WHOLE:
        directive = _term(parts[0])
    else:
        start = " ".join(words_start[:WORDS_AT_ENDS])
        end = " ".join(words_end[-WORDS_AT_ENDS:])
        directive = f"{_term(start)},{_term(end)}"
    joiner = ":~:" if "#" in url else "#:~:"
    return f"{url}{joiner}text={directive}"


def _term(text: str) -> str:
    """One term of a text directive: percent-encoded, its syntax characters included."""
    return quote(" ".join(text.split()), safe="").replace("-", "%2D")


def memento_date(archived_url: str) -> str:
    """The day an archived copy was made, as its address gives it ("" when it does not)."""
    found = _MEMENTO.search(archived_url)
    return "-".join(found.groups()) if found else ""
