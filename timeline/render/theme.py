"""Themes: where templates and static files come from, most specific first.

Search order for any template or static file:
1. the site's own `templates/` and `static/` (override single files);
2. the site's theme, `<site>/themes/<name>/`, or the theme of that name shipped with timeline;
3. the theme it extends (`extends: <name>` in its `theme.yaml`), and so on up the chain.

The default theme ships inside the package (not only in a site's `themes/`) so that an installed
`timeline` and a site made by `timeline init` render without copying it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import ChoiceLoader, FileSystemLoader

from timeline.load.yamlstrict import parse_yaml

BUILTIN_THEMES = Path(__file__).parent.parent / "themes"
MAX_CHAIN = 8


class ThemeError(Exception):
    pass


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

    def loader(self) -> ChoiceLoader:
        return ChoiceLoader([FileSystemLoader(str(d)) for d in self.template_dirs])

    def static_files(self) -> dict[str, Path]:
        """Output path (under static/) -> the file that provides it; the first found wins."""
        files: dict[str, Path] = {}
        for directory in reversed(self.static_dirs):
            for file in sorted(directory.rglob("*")):
                if file.is_file() and not file.name.startswith("."):
                    files["static/" + file.relative_to(directory).as_posix()] = file
        return dict(sorted(files.items()))


def _find(name: str, site_root: Path) -> Path:
    for base in (site_root / "themes", BUILTIN_THEMES):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise ThemeError(f"theme `{name}` not found in {site_root / 'themes'} or the built-in themes")


def resolve_theme(name: str, site_root: Path) -> Theme:
    chain: list[Path] = []
    current: str | None = name
    while current is not None:
        if len(chain) >= MAX_CHAIN:
            raise ThemeError(f"theme `{name}` extends too many themes (a loop?)")
        folder = _find(current, site_root)
        if folder in chain:
            raise ThemeError(f"theme `{current}` extends itself through its chain")
        chain.append(folder)
        current = _parent(folder)
    return Theme(tuple(chain), site_root)


def _parent(folder: Path) -> str | None:
    config = folder / "theme.yaml"
    if not config.is_file():
        return None
    data, problems = parse_yaml(config.read_text("utf-8"))
    if problems or not isinstance(data.data, dict):
        raise ThemeError(f"{config}: not a valid theme.yaml")
    parent = data.data.get("extends")
    if parent is not None and not isinstance(parent, str):
        raise ThemeError(f"{config}: `extends` must be a theme name")
    return parent
