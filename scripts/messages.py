"""The default theme's message catalogues, kept in step with its templates (Babel).

    .venv/bin/python scripts/messages.py            # extract messages.pot, update each catalogue
    .venv/bin/python scripts/messages.py --check    # say what is out of step; exit 1 if anything
    .venv/bin/python scripts/messages.py --init fr  # start the catalogue of a new language

`--theme DIR` works on another theme (a site's own, like themes/israel-russia): the messages of
its templates that the default theme does not already have, in DIR/locale/. `--locale DIR`
names another folder of catalogues (a copy, in a test).

The strings are those of the theme's templates (`_()`, `ngettext()`, and `plural_forms()` for the
scripts' plural messages), of the render stage's Python (`gettext()`) and of the preview's
problem page. A catalogue is
`timeline/themes/default/locale/<lang>/LC_MESSAGES/messages.po`; `--check` asks of each that it
translates every message of the template, in every plural form, with the same placeholders,
and has no fuzzy (unchecked) translation.
"""

from __future__ import annotations

import argparse
import gettext
import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_THEME = ROOT / "timeline" / "themes" / "default"
LOCALE = DEFAULT_THEME / "locale"
TEMPLATE = "messages.pot"
JINJA = "jinja2.ext:babel_extract"
# Not silent: a template Jinja cannot parse would otherwise lose its messages, and with them
# (at the next update) their translations.
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "silent": "false"}
# The default theme's words: its templates', the render stage's and the preview's problem page.
DEFAULT_SOURCES = [
    ("timeline/model.py", "python"),  # the built-in kinds of source
    ("timeline/render/**.py", "python"),
    ("timeline/commands/serve.py", "python"),
    ("timeline/themes/default/templates/**.html", JINJA),
]
KEYWORDS = {**DEFAULT_KEYWORDS, "plural_forms": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


def extracted(theme: Path = DEFAULT_THEME) -> Catalog:
    """The messages of a theme: the default one's, or those of another's templates that the
    default theme's catalogues do not already translate (a theme's falls back to them)."""
    base, methods = (
        (ROOT, DEFAULT_SOURCES)
        if theme == DEFAULT_THEME
        else (theme, [("templates/**.html", JINJA)])
    )
    options = {pattern: JINJA_OPTIONS for pattern, method in methods if method == JINJA}
    catalogue = Catalog(project="timeline", fuzzy=False)
    for file, line, message, comments, context in extract_from_dir(
        str(base), methods, options, keywords=KEYWORDS, comment_tags=("Translators:",)
    ):
        catalogue.add(message, None, [(file, line)], auto_comments=comments, context=context)
    if theme != DEFAULT_THEME:
        for known in read(LOCALE / TEMPLATE):
            if known.id and known.id in catalogue:
                catalogue.delete(known.id, context=known.context)
    return catalogue


def catalogues(locale: Path) -> dict[str, Path]:
    return {p.parent.parent.name: p for p in sorted(locale.glob("*/LC_MESSAGES/messages.po"))}


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def write(catalogue: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write_po(file, catalogue, width=100, sort_output=True, omit_header=False)


def update(theme: Path, locale: Path) -> None:
    template = extracted(theme)
    write(template, locale / TEMPLATE)
    for language, path in catalogues(locale).items():
        catalogue = read(path, language)
        # No fuzzy matching: a guess from a similar message reads as a translation to a reader.
        catalogue.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalogue.obsolete.clear()  # a string no template uses any more goes
        write(catalogue, path)
        print(f"updated {path}")


def init(language: str, locale: Path) -> None:
    path = locale / language / "LC_MESSAGES" / "messages.po"
    if path.exists():
        sys.exit(f"{path} exists: run without --init to update it")
    catalogue = read(locale / TEMPLATE, language)
    catalogue.locale = language
    write(catalogue, path)
    print(f"wrote {path}: translate each msgstr, then run --check")


def problems(theme: Path, locale: Path) -> list[str]:
    """What is out of step: the template against the sources, each catalogue against it."""
    found, template = extracted(theme), read(locale / TEMPLATE)
    keys = {m.id if isinstance(m.id, str) else m.id[0] for m in found if m.id}
    written = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    said = [f"messages.pot lacks {k!r}: run scripts/messages.py" for k in sorted(keys - written)]
    said += [f"messages.pot has {k!r}, which no source uses" for k in sorted(written - keys)]
    for language, path in catalogues(locale).items():
        said += [f"{language}: {p}" for p in catalogue_problems(read(path, language), found)]
    return said


def catalogue_problems(catalogue: Catalog, template: Catalog) -> list[str]:
    said = []
    for message in template:
        if not message.id:
            continue
        translated = catalogue.get(message.id, context=message.context)
        key = message.id if isinstance(message.id, str) else message.id[0]
        if translated is None:
            said.append(f"{key!r} is not in the catalogue")
        elif translated.fuzzy:
            said.append(f"{key!r} is marked fuzzy: check its translation, then remove the flag")
        else:
            said += [f"{key!r}: {p}" for p in translation_problems(translated, catalogue)]
    return said


def translation_problems(message: Message, catalogue: Catalog) -> list[str]:
    plural = isinstance(message.id, (list, tuple))
    forms = list(message.string) if plural else [message.string]
    if plural and len(forms) != catalogue.num_plurals:
        return [f"has {len(forms)} plural forms, the language {catalogue.num_plurals}"]
    if not all(forms):
        return ["is not translated" + (" in every plural form" if plural else "")]
    ids = list(message.id) if plural else [message.id]
    expected = set().union(*(_placeholders(i) for i in ids))
    single = _single_number_forms(catalogue) if plural else set()
    said = []
    for index, form in enumerate(forms):
        # A form used for one number only ("one" in Hebrew: 1) may say it in words.
        optional = {"num"} if index in single else set()
        if _placeholders(form) - optional != expected - optional:
            said.append(f"the translation {form!r} has other placeholders than the message")
    return said


def _single_number_forms(catalogue: Catalog) -> set[int]:
    """The plural forms of the language that only one whole number takes."""
    form_of = gettext.c2py(catalogue.plural_expr)
    numbers = Counter(form_of(n) for n in range(1000))
    return {form for form, count in numbers.items() if count == 1}


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="say what is out of step")
    group.add_argument("--init", metavar="LANG", help="start the catalogue of a language")
    parser.add_argument("--theme", type=Path, default=DEFAULT_THEME, help="another theme's folder")
    parser.add_argument("--locale", type=Path, help="the catalogues' folder (the theme's locale/)")
    args = parser.parse_args()
    theme = args.theme.resolve()
    locale = args.locale or theme / "locale"
    if args.init:
        init(args.init, locale)
    elif args.check:
        said = problems(theme, locale)
        print("\n".join(said) or "the catalogues are complete and in step with the templates")
        sys.exit(1 if said else 0)
    else:
        update(theme, locale)


if __name__ == "__main__":
    main()
