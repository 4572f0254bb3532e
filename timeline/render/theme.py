"""Themes: where templates and static files come from, most specific first.

Search order for any template or static file:
1. the site's own `templates/` and `static/` (override single files);
2. the site's theme, `<site>/themes/<name>/`, or the theme of that name shipped with timeline;
3. the theme it extends (`extends: <name>` in its `theme.yaml`), and so on up the chain.

A template can also name a template of one theme of its chain, `<theme>/templates/<file>`, the
form Zola uses: a theme's `base.html` extends `default/templates/base.html` and replaces only
the blocks it changes, instead of copying the whole file.

The default theme ships inside the package (not only in a site's `themes/`) so that an installed
`timeline` and a site made by `timeline init` render without copying it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, FileSystemLoader, PrefixLoader

from timeline.ids import is_id
from timeline.load.files import Document, parse_document
from timeline.load.yamlstrict import Pos
from timeline.problems import ERROR, Problem

BUILTIN_THEMES = Path(__file__).parent.parent / "themes"
MAX_CHAIN = 8


class ThemeError(Exception):
    """A theme that cannot be used: what is wrong, how to fix it, and the place in a theme.yaml
    that is wrong (None: the fault shows in the theme site.yaml names)."""

    def __init__(
        self,
        message: str,
        hint: str = "",
        where: Pos | None = None,
        file: str = "",
        field: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where
        self.file = file
        self.field = field


@dataclass(frozen=True)
class Theme:
    chain: tuple[Path, ...]  # theme folders, most specific first
    site_root: Path

    @property
    def template_dirs(self) -> list[Path]:
        dirs = [self.site_root / "templates", *(t / "templates" for t in self.chain)]
        return [d for d in dirs if d.is_dir()]

    @property
    def static_dirs(self) -> list[Path]:
        dirs = [self.site_root / "static", *(t / "static" for t in self.chain)]
        return [d for d in dirs if d.is_dir()]

    @property
    def catalogue_dirs(self) -> list[Path]:
        """Where message catalogues are (`<lang>/LC_MESSAGES/messages.po`), most specific first."""
        dirs = [self.site_root / "locale", *(t / "locale" for t in self.chain)]
        return [d for d in dirs if d.is_dir()]

    def loader(self) -> ChoiceLoader:
        by_name: list[BaseLoader] = [FileSystemLoader(str(d)) for d in self.template_dirs]
        themes = {folder.name: FileSystemLoader(str(folder)) for folder in self.chain}
        return ChoiceLoader([*by_name, PrefixLoader(themes)])  # type: ignore[arg-type]

    def static_files(self) -> dict[str, Path]:
        """Output path (under static/) -> the file that provides it; the first found wins."""
        files: dict[str, Path] = {}
        for directory in reversed(self.static_dirs):
            for file in sorted(directory.rglob("*")):
                if file.is_file() and not file.name.startswith("."):
                    files["static/" + file.relative_to(directory).as_posix()] = file
        return dict(sorted(files.items()))


@dataclass(frozen=True)
class _Named:
    """A theme's name where it is written: site.yaml's `theme` (file ""), or a theme.yaml."""

    name: str
    file: str = ""
    where: Pos | None = None


def resolve_theme(name: str, site_root: Path) -> Theme:
    """The theme `name` and the themes it extends; a ThemeError says why it cannot be used."""
    chain: list[Path] = []
    named: _Named | None = _Named(name)
    while named is not None:
        folder = _find(named, site_root)
        if folder in chain:
            raise ThemeError(*_loop(chain, folder, site_root))
        if len(chain) >= MAX_CHAIN:
            raise ThemeError(f"theme `{name}` extends more than {MAX_CHAIN} themes")
        chain.append(folder)
        named = _parent(folder, site_root)
    return Theme(tuple(chain), site_root)


def available_themes(site_root: Path) -> list[str]:
    found = {
        folder.name
        for base in (site_root / "themes", BUILTIN_THEMES)
        if base.is_dir()
        for folder in base.iterdir()
        if folder.is_dir() and not folder.name.startswith(".")
    }
    return sorted(found)


def _find(named: _Named, site_root: Path) -> Path:
    for base in (site_root / "themes", BUILTIN_THEMES):
        candidate = base / named.name
        if candidate.is_dir():
            return candidate
    themes = available_themes(site_root)
    close = difflib.get_close_matches(named.name, themes, n=1, cutoff=0.6)
    hint = f"did you mean `{close[0]}`? " if close else ""
    hint += f"themes here: {', '.join(f'`{t}`' for t in themes)}"
    message = (
        f"no theme `{named.name}`: there is no folder themes/{named.name}/ in the site"
        " and no built-in theme of that name"
    )
    raise ThemeError(message, hint, named.where, named.file, "extends")


def _loop(chain: list[Path], again: Path, site_root: Path) -> tuple[str, str]:
    names = " → ".join(folder.name for folder in [*chain, again])
    config = _shown(chain[-1] / "theme.yaml", site_root)
    if chain[-1] == again:
        message = f"theme `{again.name}` extends itself ({config})"
    else:
        message = f"the themes extend each other in a loop: {names} ({config})"
    return message, "end the chain with a theme that extends `default`, or nothing"


def _parent(folder: Path, site_root: Path) -> _Named | None:
    config = folder / "theme.yaml"
    if not config.is_file():
        return None
    shown = _shown(config, site_root)
    try:
        raw = config.read_bytes()
    except OSError as exc:
        raise ThemeError(f"cannot read the file: {exc.strerror}", "", Pos(1, 1), shown) from None
    if not raw.strip():
        return None
    doc, problems = parse_document(raw, shown, front_matter=False)
    if problems or doc is None:
        first = problems[0]
        where = Pos(first.line, first.column)
        raise ThemeError(first.message, first.hint, where, shown, first.field)
    parent, at, message = _extends(doc)
    if message:
        hint = "a theme.yaml holds only `extends: <name of a theme>`, e.g. `extends: default`"
        raise ThemeError(message, hint, at, shown, "extends")
    return _Named(parent, shown, at) if parent else None


def _extends(doc: Document) -> tuple[str, Pos, str]:
    """The theme a theme.yaml extends ("" for none), where, and what is wrong with it."""
    data = doc.data
    if not isinstance(data, dict):
        return "", doc.pos(), "a theme.yaml holds `key: value` settings"
    unknown = sorted(set(data) - {"extends"})
    if unknown:
        return "", doc.yaml.key_pos((unknown[0],)), f"unknown field `{unknown[0]}`"
    parent = data.get("extends")
    at = doc.pos(("extends",))
    if parent is not None and not (isinstance(parent, str) and is_id(parent)):
        return "", at, "`extends` must be the name of a theme (lowercase letters, digits, `-`)"
    return parent or "", at, ""


def _shown(path: Path, site_root: Path) -> str:
    """A theme's file as editors see it: from the site root, or inside timeline for its own."""
    for base, prefix in ((site_root, ""), (BUILTIN_THEMES, "(built-in) ")):
        if path.is_relative_to(base):
            return prefix + path.relative_to(base).as_posix()
    return str(path)


def located_theme(name: str, site_root: Path) -> tuple[Theme | None, list[Problem]]:
    """The theme, or the problem that stops it, located where it is written: at a theme.yaml's
    line, or at `theme:` in site.yaml when the fault is in the chain it names."""
    try:
        return resolve_theme(name, site_root), []
    except ThemeError as exc:
        if exc.file:
            file, where, field = exc.file, exc.where or Pos(1, 1), exc.field
        else:
            file, where, field = "site.yaml", _site_yaml_pos(site_root, "theme"), "theme"
        return None, [Problem(file, where.line, where.column, ERROR, field, exc.message, exc.hint)]


def _site_yaml_pos(site_root: Path, key: str) -> Pos:
    try:
        raw = (site_root / "site.yaml").read_bytes()
    except OSError:
        return Pos(1, 1)
    doc, _ = parse_document(raw, "site.yaml", front_matter=False)
    return doc.pos((key,)) if doc is not None else Pos(1, 1)
