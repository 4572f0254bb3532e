"""The one source of truth of the content format: JSON Schemas (draft 2020-12), as Python data.

`timeline schema` prints them and `timeline schema --write` writes `timeline/schema/*.json`, the
committed files that the validator and editors (VS Code's YAML extension) read; a test fails when
a committed file differs from what this module generates.

Extensions beyond JSON Schema, ignored by editors and read by `validate/shape.py`:
`x-message`/`x-message-<keyword>` replace jsonschema's wording with one for editors, `x-hint`
adds the fix, and `x-checked-by-code` marks a pattern that the code checks with a more precise
message (dates).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from timeline.dates import DATE_SCHEMA_PATTERN
from timeline.ids import ID_SCHEMA_PATTERN, LANGUAGE_TAG_SCHEMA_PATTERN
from timeline.model import TRANSLATED_FIELDS

SCHEMA_DIR = Path(__file__).parent.parent / "schema"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

ID = {
    "type": "string",
    "pattern": ID_SCHEMA_PATTERN,
    "maxLength": 120,
    "x-message": (
        "must be lowercase letters, digits and single hyphens "
        "(like 2023-12-10-netanyahu-putin-call)"
    ),
}
DATE_FORMS = (
    "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]+HH:MM (or Z); "
    "suffix ~ = approximate, ? = uncertain"
)
DATE = {
    "type": "string",
    "x-checked-by-code": True,
    "pattern": DATE_SCHEMA_PATTERN,
    "description": DATE_FORMS,
}
URL = {
    "type": "string",
    "pattern": r'^https?://[^\s/?#"<>`]+[^\s"<>`]*$',  # no characters that close an attribute
    "x-checked-by-code": True,  # validate/document.py's url_problems says what is wrong, and how
    "x-message": "must be a full http:// or https:// address",
}
TEXT = {"type": "string", "minLength": 1}

SOURCE_FIELDS: dict[str, Any] = {
    "publisher": {
        **TEXT,
        "description": (
            "Who published the source, e.g. 'Tazpit Press Service (TPS)'; name state media as such."
        ),
    },
    "title": {**TEXT, "description": "The headline, verbatim, when the copy shows one."},
    "url": {**URL, "description": "The address of the source (http or https)."},
    "date": {
        **DATE,
        "description": "The source's publication date, when it gives one. " + DATE_FORMS,
    },
    "language": {
        "type": "string",
        "pattern": LANGUAGE_TAG_SCHEMA_PATTERN,
        "x-message": "must be a language code such as en, he, ru or ar",
    },
    "archived_url": {**URL, "description": "A copy in a web archive."},
    "note": {
        **TEXT,
        "description": "What a reader should know about this source (e.g. 'wire copy; headline not shown').",
    },
    "quote": {**TEXT, "description": "A short verbatim quotation from the source."},
}
AT_LEAST_ONE = {
    "anyOf": [{"required": ["url"]}, {"required": ["title"]}, {"required": ["note"]}],
    "x-message": "a source needs at least one of `url`, `title` or `note`",
    "x-hint": "a wire copy with neither headline nor address says so in `note`",
}


def event_schema() -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "title": "timeline event",
        "description": (
            "One event of a timeline chronology: the front matter of "
            "content/events/**/*.md, or a whole .yaml entry."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "date", "summary", "sources"],
        "properties": {
            "id": {
                **ID,
                "description": (
                    "Permalink slug. Defaults to the file name; never changes once published "
                    "(add the old id to aliases)."
                ),
            },
            "title": {
                **TEXT,
                "maxLength": 140,
                "description": "Headline of the entry, at most 140 characters.",
            },
            "date": {**DATE},
            "end": {
                **DATE,
                "description": "Optional last day of a span; never before date. " + DATE_FORMS,
            },
            "date_note": {
                **TEXT,
                "description": "How the date was established, when the sources do not state it plainly.",
            },
            "summary": {
                **TEXT,
                "maxLength": 300,
                "description": "One sentence shown in lists and feeds, at most 300 characters.",
            },
            "body": {
                "type": "string",
                "description": (
                    "Markdown body (only in .yaml entries; a .md entry has its body below the "
                    "front matter)."
                ),
            },
            "actors": {
                "type": "array",
                "items": {**ID},
                "uniqueItems": True,
                "description": "Ids from content/actors.yaml.",
            },
            "topics": {
                "type": "array",
                "items": {**ID},
                "uniqueItems": True,
                "description": "Ids from content/topics.yaml.",
            },
            "location": {**TEXT, "description": "Where it happened, free text."},
            "sources": {
                "type": "array",
                "minItems": 1,
                "description": (
                    "At least one source: a reference to content/sources/<id>.yaml, or a source "
                    "written out in full."
                ),
                "x-message-minItems": "an entry needs at least one source",
                "items": {"$ref": "#/$defs/citation"},
            },
            "disputed": {
                "type": ["string", "array"],
                "items": {**TEXT},
                "description": (
                    "Where the sources disagree: what differs and who says what. Shown "
                    "prominently on the event page."
                ),
            },
            "related": {
                "type": "array",
                "items": {**ID},
                "uniqueItems": True,
                "description": "Ids of events that belong with this one; the link is shown both ways.",
            },
            "aliases": {
                "type": "array",
                "items": {**ID},
                "uniqueItems": True,
                "description": "Earlier ids of this entry; each keeps resolving to it.",
            },
            "corrections": {
                "type": "array",
                "description": "Corrections made after publication, shown on the event page.",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["date", "note"],
                    "properties": {"date": {**DATE}, "note": {**TEXT}},
                },
            },
            "updated": {
                **DATE,
                "description": (
                    "Last substantive update, when it differs from the file's history. "
                    + DATE_FORMS
                ),
            },
            "documents": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "uniqueItems": True,
                "description": (
                    "UN documents the entry concerns, by symbol: S/RES/2712 (2023), S/PV.9479, "
                    "A/ES-10/L.25, S/2023/792. Each gets a page listing its entries."
                ),
            },
        },
        "$defs": {
            "citation": {
                "type": "object",
                "if": {"required": ["ref"]},
                "then": {"$ref": "#/$defs/sourceRef"},
                "else": {"$ref": "#/$defs/inlineSource"},
            },
            "sourceRef": {
                "type": "object",
                "additionalProperties": False,
                "required": ["ref"],
                "properties": {
                    "ref": {
                        **ID,
                        "description": "Id of a source record, content/sources/<id>.yaml.",
                    },
                    "quote": SOURCE_FIELDS["quote"],
                    "note": SOURCE_FIELDS["note"],
                },
            },
            "inlineSource": {
                "type": "object",
                "additionalProperties": False,
                "required": ["publisher"],
                "properties": SOURCE_FIELDS,
                **AT_LEAST_ONE,
            },
        },
    }


def source_schema() -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "title": "timeline source record",
        "description": (
            "One source of the register, content/sources/<id>.yaml; entries cite it with "
            "`ref: <id>`."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["publisher"],
        "properties": {
            **{k: v for k, v in SOURCE_FIELDS.items() if k != "quote"},
            "type": {
                **ID,
                "description": (
                    "What kind of source it is: official, state-media, wire, press, "
                    "un-document, ngo, social, or a type of content/source-types.yaml."
                ),
            },
            "republishes": {
                **TEXT,
                "description": (
                    "The report this page carries (a wire story, another outlet's copy): the id "
                    "of its record, or the origin agency's name. Copies count once."
                ),
            },
        },
        **AT_LEAST_ONE,
    }


def vocabulary_schema() -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "title": "timeline vocabulary",
        "description": "content/actors.yaml or content/topics.yaml: a list of {id, name, description}.",
        "type": "array",
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "name"],
            "properties": {
                "id": {**ID},
                "name": {**TEXT},
                "description": {**TEXT},
                "kind": {
                    "type": "string",
                    "enum": ["state", "organisation", "person", "group", "other"],
                    "description": "Actors only: what kind of actor.",
                },
            },
        },
    }


def translation_schema() -> dict[str, Any]:
    event = event_schema()
    return {
        "$schema": DIALECT,
        "title": "timeline translation",
        "description": (
            "An entry's words in another language: content/events/**/<entry>.<lang>.md (or "
            ".yaml), beside the entry. Its dates, sources and the rest are the entry's own."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "summary"],
        "properties": {
            "id": {**ID, "description": "The entry's id, when given: it must be the entry's."},
            **{key: event["properties"][key] for key in TRANSLATED_FIELDS if key != "quotes"},
            "quotes": {
                "type": "array",
                "items": {**TEXT},
                "description": (
                    "Our translations of the entry's quotes, in their order in `sources:` (the "
                    "quotes themselves stay as the sources give them; these are shown as ours)."
                ),
            },
        },
        # Read by validate/shape.py: the entry's other fields get their own message.
        "x-original-fields": sorted(set(event["properties"]) - {"id", *TRANSLATED_FIELDS}),
    }


def site_schema() -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "title": "timeline site settings",
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "base_url", "language"],
        "properties": {
            "title": {**TEXT},
            "description": {**TEXT},
            "base_url": {
                **URL,
                "description": "Where the site is published; canonical and feed URLs start with it.",
            },
            "language": SOURCE_FIELDS["language"],
            "theme": {**ID, "description": "Name of a folder under themes/ (default: default)."},
            "repository_url": {
                **URL,
                "description": "The repository's web address, for links to each entry's history.",
            },
            "publisher": {
                **TEXT,
                "description": "Who publishes the chronology (used in citations).",
            },
            "languages": {
                "type": "object",
                "description": (
                    "The site's other languages, each published under /<code>/: its title and "
                    "description there (the entries' translations are <entry>.<code>.md files)."
                ),
                "propertyNames": SOURCE_FIELDS["language"],
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"title": {**TEXT}, "description": {**TEXT}},
                },
            },
        },
    }


SCHEMAS = {
    "event": event_schema,
    "source": source_schema,
    "vocabulary": vocabulary_schema,
    "site": site_schema,
    "translation": translation_schema,
}


def schema_text(name: str) -> str:
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written
