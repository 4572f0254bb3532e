"""Generate a synthetic chronology of N realistic events, reproducibly (seeded).

    python bench/generate.py --n 10000 --out /tmp/corpus

Each event has 1-4 actors, 1-2 topics, 1-3 sources (mostly from a register, some inline), an
80-300 word Markdown body, sometimes a disputed note, related links and corrections; about one in
eight bodies carries Hebrew, Russian or Arabic text. Dates spread over 2014-2025 at day, month
and (rarely) year precision.
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

WORDS = (
    "minister ambassador council resolution draft vote veto ceasefire talks delegation statement "
    "readout call meeting envoy hostage release negotiation humanitarian corridor aid convoy "
    "border "
    "strike condemnation protest summons embassy parliament spokesperson agency report "
    "official "
    "sources said according to on the of and in a for with after before during which that "
    "by "
    "government foreign security military deputy president prime office press conference week "
    "morning evening agreement proposal amendment session assembly mediation pause exchange "
    "detained released families region crisis escalation restraint dialogue commitment channel"
).split()
FOREIGN = [
    "Министр иностранных дел заявил о переговорах по заложникам и гуманитарной помощи.",
    "השגריר זומן לשיחת הבהרה במשרד החוץ בעקבות ההצהרה.",
    "دعا المبعوث إلى وقف فوري لإطلاق النار وإطلاق سراح الرهائن.",
]
TITLE_MAX = 140
STATES = "alphia betania corvia dalmar estoria fenwick galdor hesper ivora jarrow".split()


def words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def sentence(rng: random.Random, low: int = 8, high: int = 20) -> str:
    text = words(rng, low, high)
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random) -> str:
    target = rng.randint(80, 300)
    paragraphs, count = [], 0
    while count < target:
        para = [sentence(rng) for _ in range(rng.randint(2, 5))]
        count += sum(len(s.split()) for s in para)
        paragraphs.append(" ".join(para))
    if rng.random() < 0.125:
        paragraphs.append(rng.choice(FOREIGN))
    return "\n\n".join(paragraphs)


def title(text: str) -> str:
    """A title within the 140 characters an entry allows (cut at a word; the random draws are
    the same, so a corpus whose titles all fit is unchanged)."""
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX + 1].rsplit(" ", 1)[0]


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(n: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "content" / "sources").mkdir(parents=True)
    (out / "site.yaml").write_text(
        "title: Synthetic chronology\nbase_url: https://bench.example.org/\nlanguage: en\n"
        "description: A generated corpus for benchmarks.\n"
    )
    actors = [f"{s}" for s in STATES] + [f"official-{i:02d}" for i in range(30)]
    topics = [f"topic-{i:02d}" for i in range(15)]
    (out / "content" / "actors.yaml").write_text(
        "".join(
            f"- id: {a}\n  name: {a.replace('-', ' ').title()}\n"
            f"  kind: {'state' if a in STATES else 'person'}\n"
            for a in actors
        )
    )
    (out / "content" / "topics.yaml").write_text(
        "".join(f"- id: {t}\n  name: {t.replace('-', ' ').title()}\n" for t in topics)
    )
    start = date(2014, 1, 1)
    span = (date(2025, 12, 31) - start).days
    n_sources = max(1, n // 5)
    source_dates = sorted(start + timedelta(days=rng.randrange(span)) for _ in range(n_sources))
    for i, day in enumerate(source_dates):
        (out / "content" / "sources" / f"source-{i:05d}.yaml").write_text(
            f"publisher: {quoted('Wire ' + str(rng.randint(1, 40)))}\n"
            f"title: {quoted(sentence(rng, 5, 12))}\n"
            f"url: https://news.example.org/{day.year}/{i}\n"
            f"date: {day.isoformat()}\nlanguage: en\n"
        )
    days = sorted(start + timedelta(days=rng.randrange(span)) for _ in range(n))
    ids: list[str] = []
    for i, day in enumerate(days):
        precision = rng.random()
        if precision < 0.02:
            shown, prefix = f"{day.year}", f"{day.year}"
        elif precision < 0.1:
            shown, prefix = f"{day:%Y-%m}", f"{day:%Y-%m}"
        else:
            shown, prefix = day.isoformat() + ("?" if precision > 0.98 else ""), day.isoformat()
        event_id = f"{prefix}-event-{i:05d}"
        lines = [
            "---",
            f"title: {quoted(title(sentence(rng, 5, 14)[:-1]))}",
            f"date: {shown}",
            f"summary: {quoted(sentence(rng, 12, 30))}",
            f"actors: [{', '.join(rng.sample(actors, rng.randint(1, 4)))}]",
            f"topics: [{', '.join(rng.sample(topics, rng.randint(1, 2)))}]",
            "sources:",
        ]
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.8:
                lines.append(f"  - ref: source-{rng.randrange(n_sources):05d}")
            else:
                lines += [
                    f"  - publisher: {quoted('Gazette ' + str(rng.randint(1, 9)))}",
                    f"    url: https://gazette.example.org/{i}",
                ]
        if rng.random() < 0.1:
            lines += ["disputed:", f"  - {quoted(sentence(rng))}"]
        if ids and rng.random() < 0.3:
            lines.append(f"related: [{rng.choice(ids[-50:])}]")
        if rng.random() < 0.05:
            lines += [
                "corrections:",
                f"  - date: {day.isoformat()}",
                f"    note: {quoted(sentence(rng))}",
            ]
        lines += ["---", body(rng), ""]
        folder = out / "content" / "events" / str(day.year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{event_id}.md").write_text("\n".join(lines))
        ids.append(event_id)
    # Every register source is cited at least once, so `check --strict` stays clean.
    cited = {
        int(line.split("source-")[1])
        for f in (out / "content" / "events").rglob("*.md")
        for line in f.read_text().splitlines()
        if line.startswith("  - ref: source-")
    }
    for i in range(n_sources):
        if i not in cited:
            (out / "content" / "sources" / f"source-{i:05d}.yaml").unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.n, args.out, args.seed)


if __name__ == "__main__":
    main()
