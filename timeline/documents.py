"""UN document symbols: the one grammar, where they are found in text, and where they lead.

A symbol names a UN document in every language: S/RES/2712 (2023) (a Security Council
resolution), S/PV.9479 (the record of a meeting, where a vote is), A/ES-10/L.25 (a draft of an
emergency session), S/2023/792 (a Council document). Its components are separated by "/", each
of capital letters, digits, "." and "-"; a resolution of the Council ends with its year in
parentheses. The UN's own resolver, https://undocs.org/<symbol>, opens any of them (the
Dag Hammarskjöld Library documents it for every symbol).
"""

from __future__ import annotations

import re

# The organs whose symbols are recognised in running text: the General Assembly, the Security
# Council, the Economic and Social Council, the Secretariat, the Human Rights Council.
ORGANS = ("A", "S", "E", "ST", "A/HRC")
_COMPONENT = r"[A-Z0-9][A-Z0-9.\-]*"
SYMBOL = re.compile(
    rf"(?<![\w/.-])(?:{'|'.join(sorted(map(re.escape, ORGANS), key=len, reverse=True))})"
    rf"(?:/{_COMPONENT})+(?:\s?\(\d{{4}}\))?(?![\w/])"
)
RESOLVER = "https://undocs.org/"


def normalised(symbol: str) -> str:
    """The symbol as the UN writes it: one space before a year in parentheses, none at the end,
    no full stop closing a sentence ("S/PV.9479." -> "S/PV.9479")."""
    text = re.sub(r"\s*\((\d{4})\)$", r" (\1)", symbol.strip())
    return text.rstrip(".") if not text.endswith(")") else text


def find_symbols(text: str) -> list[str]:
    """Every symbol in `text`, normalised, in order of first appearance."""
    found = (normalised(match.group()) for match in SYMBOL.finditer(text))
    return list(dict.fromkeys(symbol for symbol in found if is_symbol(symbol)))


def is_symbol(text: str) -> bool:
    return SYMBOL.fullmatch(text) is not None and normalised(text) == text


def document_url(symbol: str) -> str:
    """The document at the UN's resolver (its address has no space: S/RES/2712(2023))."""
    return RESOLVER + symbol.replace(" ", "")


def document_slug(symbol: str) -> str:
    """The document's page on the site: "S/RES/2712 (2023)" -> "s-res-2712-2023"."""
    return re.sub(r"[^a-z0-9]+", "-", symbol.lower()).strip("-")
