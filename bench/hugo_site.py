"""Convert a corpus made by bench/generate.py into an equivalent Hugo site.

    python bench/hugo_site.py --corpus /tmp/corpus --out /tmp/corpus-hugo

The same events with the same bodies: each becomes `content/events/<id>.md` with title, date,
summary, actors, topics and years (the three taxonomies) in its front matter, and its sources,
disputes, related ids and corrections as page parameters. The source register is copied as it is
into `data/sources/` (Hugo looks up each `ref` at build time, as timeline does), actor and topic
names become term pages (`content/actors/<id>/_index.md`), and timeline's default static files
are copied, so both sites ship the same CSS and scripts. The layouts and configuration are in
bench/hugo-site/.

The front matter is YAML read with every value a string (timeline's own reading of dates is
stricter; the corpus holds only valid dates). A partial date ("2019", "2019-11", "2019-11-17?")
becomes its first day, with its precision and uncertainty as parameters for the layouts to show.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
TIMELINE_STATIC = BENCH.parent / "timeline" / "themes" / "default" / "static"


def split_front_matter(text: str) -> tuple[dict, str]:
    _, head, body = text.split("---\n", 2)
    return yaml.load(head, Loader=yaml.BaseLoader), body


def hugo_date(value: str) -> tuple[str, str, bool]:
    """(first day as YYYY-MM-DD, precision, uncertain) of a corpus date."""
    uncertain = value.endswith("?")
    value = value.rstrip("?~")
    parts = value.split("-")
    precision = {1: "year", 2: "month"}.get(len(parts), "day")
    while len(parts) < 3:
        parts.append("01")
    return "-".join(parts[:3]), precision, uncertain


def convert(corpus: Path, out: Path) -> int:
    """Write the Hugo site for `corpus` into `out` (replaced); return the number of events."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(BENCH / "hugo-site", out)
    shutil.copytree(TIMELINE_STATIC, out / "static" / "static")
    shutil.copytree(corpus / "content" / "sources", out / "data" / "sources")
    for kind in ("actors", "topics"):
        for term in yaml.load((corpus / "content" / f"{kind}.yaml").read_text(), yaml.BaseLoader):
            folder = out / "content" / kind / term["id"]
            folder.mkdir(parents=True)
            (folder / "_index.md").write_text(f"---\ntitle: {json.dumps(term['name'])}\n---\n")
    events = out / "content" / "events"
    events.mkdir(parents=True)
    (events / "_index.md").write_text("---\ntitle: All entries\n---\n")
    count = 0
    for file in sorted((corpus / "content" / "events").rglob("*.md")):
        meta, body = split_front_matter(file.read_text("utf-8"))
        day, precision, uncertain = hugo_date(meta["date"])
        front = {
            "title": meta["title"],
            "date": day,
            "summary": meta["summary"],
            "actors": meta.get("actors", []),
            "topics": meta.get("topics", []),
            "years": [day[:4]],
            "params": {
                "precision": precision,
                "uncertain": uncertain,
                "sources": meta["sources"],
                "disputed": meta.get("disputed", []),
                "related": meta.get("related", []),
                "corrections": meta.get("corrections", []),
            },
        }
        # JSON is YAML, and json.dumps is much faster than yaml.dump for 10,000 files.
        (events / file.name).write_text(
            "---\n" + json.dumps(front, ensure_ascii=False) + "\n---\n" + body, "utf-8"
        )
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(f"{convert(args.corpus, args.out)} events written to {args.out}")


if __name__ == "__main__":
    main()
