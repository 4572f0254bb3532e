"""The repository's own chronology: sourcing rules that must keep holding as it grows."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from htmlwalk import section_text

from timeline.engine.build import build_site
from timeline.engine.content import check_site

TPS = "2023-12-10-jewish-link-tps-netanyahu-putin-call"

# The notes marked "P" (main source) in the source index this chronology was written from.
MAIN_SOURCES = """
2023-10-07-todayonline-russia-calls-for-ceasefire
2023-10-13-todayonline-putin-leningrad-siege
2023-10-17-israel-national-news-putin-netanyahu-first-call
2023-10-17-the-media-line-unsc-rejects-russian-draft
2023-10-25-rte-unsc-fails-to-adopt-middle-east-resolution
undated-jns-israel-rebukes-russia-for-hosting-hamas
undated-times-of-israel-israel-summons-russian-ambassador
2023-10-29-daily-mail-dagestan-airport-mob
2023-11-02-moscow-times-nebenzia-no-right-to-self-defense
2023-11-04-ukrainetoday-erdan-responds-to-nebenzia
undated-rbc-ukraine-israel-stops-informing-russia-syria
2023-11-07-the-media-line-zakharova-nuclear-remark
undated-un-press-resolution-2712
2023-11-26-lbci-hamas-releases-russian-hostage
2023-11-29-sputnik-qassam-releases-two-russian-citizens
undated-un-press-dec-8-veto-uae-draft
2023-12-10-jewish-link-tps-netanyahu-putin-call
2023-12-11-the-national-lavrov-collective-punishment
undated-times-of-israel-putin-gaza-catastrophe-ukraine
2023-12-22-telesur-unsc-resolution-2720
2024-01-19-al-arabiya-russia-pressed-hamas-to-free-hostages
undated-jerusalem-post-bogdanov-halperin-hamas-visit
2024-01-23-i24news-lavrov-cbs-interview
2024-02-05-israel-national-news-halperin-summoned
undated-pluralia-intra-palestinian-meeting-moscow
2024-03-22-al-jazeera-russia-china-veto-us-draft
undated-un-press-resolution-2728
2024-06-10-sputnik-unsc-adopts-resolution-2735
2024-07-31-moscow-times-russia-condemns-haniyeh-killing
2024-10-31-sputnik-bogdanov-contacts-hamas-israel-hostages
2025-02-03-khaleej-times-bogdanov-urges-hamas-trufanov
2025-02-15-trt-world-kremlin-thanks-hamas-trufanov
2025-04-16-israel-national-news-putin-meets-freed-hostages
2025-05-06-israel-national-news-netanyahu-putin-call
2025-06-13-moscow-times-putin-condemns-israeli-strikes-on-iran
2025-10-06-devdiscourse-putin-netanyahu-call-trump-plan
2025-11-14-israel-national-news-russia-rival-gaza-draft
2025-11-15-i24news-netanyahu-putin-call-putin-initiative
2025-11-18-tass-russian-mfa-on-resolution-2803
2023-10-18-tass-nebenzya-us-veto-brazil-draft
2024-02-20-news-of-israel-us-veto-algerian-draft
2024-05-30-tass-bogdanov-meets-hostage-families
2024-06-08-tass-viktorov-kozlov-rescue
2024-06-24-tass-abu-marzouk-meets-bogdanov
2024-11-20-sputnik-nebenzia-us-veto-e10-draft
2025-10-13-tass-viktorov-welcomes-harkin-release
2025-11-24-ria-novosti-nebenzya-awaits-clarifications-board-of-peace
2025-12-08-tass-netanyahu-knesset-regular-contact-with-putin
2025-12-12-european-jewish-press-israel-reprimands-ukrainian-envoy
2025-12-16-tass-polyansky-isf-negotiated-disarmament
2025-12-26-dunya-news-zakharova-no-russian-troops-gaza-force
undated-tass-yosef-credentials-putin
2026-01-15-ynetnews-herkin-granted-russian-citizenship
2026-01-16-hurriyet-daily-news-putin-netanyahu-call-iran
2026-01-19-lbc-putin-invited-board-of-peace
undated-tass-lavrov-board-of-peace-give-chance
2026-01-22-tass-peskov-billion-for-palestine
undated-tass-nebenzya-isf-specifics
2026-02-04-rbc-yosef-aims-netanyahu-visit
2026-02-12-ians-russia-skips-board-of-peace-meeting
2026-02-28-the-yeshiva-world-russia-condemns-strikes-on-iran
2026-03-05-lenta-ru-yosef-criticises-russian-stance-iran
""".split()

# Each disagreement the source index flags: the entry it concerns and words its box must show.
DISAGREEMENTS = [
    (1, "2023-10-13-putin-leningrad-siege-remark", ["Reuters", "AFP"]),
    (2, "2023-10-16-netanyahu-putin-first-wartime-call", ["first"]),
    (2, "2023-12-10-netanyahu-putin-call", ["first", "16 October"]),
    (3, "2023-11-01-nebenzia-israel-no-right-to-self-defence", ["1 November", "TASS"]),
    (4, "2023-12-22-resolution-2720-russian-amendment-vetoed", ["amendment", "Russian-drafted"]),
    (5, "2024-01-23-lavrov-cbs-interview", ["not an invitation"]),
    (6, "2024-02-05-russia-summons-israeli-ambassador-halperin", ["Monday", "Tuesday"]),
    (7, "2023-11-syria-deconfliction-strained", ["stopped", "no longer always", "Lavrentiev"]),
    (8, "2023-10-26-israel-condemns-russia-over-hamas-visit", ["Haiat"]),
    (9, "2025-02-03-bogdanov-urges-hamas-trufanov", ["Monday", "4 February"]),
    (10, "2025-05-06-netanyahu-putin-call-victory-day", ["Ynet", "Kremlin"]),
    (11, "2025-06-13-putin-netanyahu-call-israeli-strikes-iran", ["Moscow Times", "Newsweek"]),
    (12, "2023-11-15-resolution-2712-adopted-russian-amendment-fails", ["26 October", "27"]),
    (13, "2025-02-03-bogdanov-urges-hamas-trufanov", ["Nir Oz", "Herkin", "Kharkin", "Harkin"]),
    (14, "2024-02-29-moscow-intra-palestinian-meeting", ["11 other", "12 to 14"]),
    (15, "2023-12-10-netanyahu-putin-call", ["135", "137"]),
    (16, "2023-10-29-dagestan-airport-riot", ["summoned", "NOS"]),
    (17, "2025-11-17-resolution-2803-adopted", ["17 November", "18 November"]),
    (18, "2025-12-08-netanyahu-knesset-contacts-with-putin", ["world power", "сверхдержавой"]),
    (19, "2025-12-10-israel-reprimands-ukrainian-ambassador", ["Wednesday", "11 December"]),
    (20, "2025-12-16-polyansky-stabilisation-force-party-to-conflict", ["15 December", "16"]),
    (21, "2025-12-26-zakharova-no-classic-un-mission-gaza", ["Dunya", "NEWSru"]),
    (22, "2025-10-13-herkin-released-viktorov-welcomes", ["compatriot", "Grodno24", "Tala"]),
    (22, "2026-01-15-herkin-granted-russian-citizenship", ["April 2025", "Grodno24"]),
    (23, "2025-10-13-herkin-released-viktorov-welcomes", ["9 October", "10 October"]),
    (24, "2026-01-15-yosef-presents-credentials-to-putin", ["Monday", "November 2024", "May 2023"]),
    (25, "2026-01-21-putin-offers-billion-board-of-peace", ["Newser", "Mediafax", "RKS News"]),
    (26, "2024-03-01-abu-marzouk-meets-bogdanov-march", ["1 March", "2 March", "January 2024"]),
    (27, "2024-02-20-us-vetoes-algerian-draft", ["third", "fourth", "six"]),
]

# The entries issue 2 asked to build from the TPS wire report: each must cite it.
TPS_ENTRIES = [
    "2023-10-07-hamas-attack-on-israel",
    "2023-10-25-russia-china-veto-us-draft-russian-draft-fails",
    "2023-10-26-hamas-delegation-in-moscow",
    "2023-10-26-israel-condemns-russia-over-hamas-visit",
    "2023-11-01-nebenzia-israel-no-right-to-self-defence",
    "2023-11-26-hamas-frees-russian-hostage",
    "2023-12-10-netanyahu-putin-call",
    "2023-12-10-lavrov-doha-forum-collective-punishment",
    "2023-11-syria-deconfliction-strained",
]


@pytest.fixture(scope="module")
def content():
    checked = check_site(ROOT)
    assert checked.content is not None, checked.problems
    return checked.content


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("content") / "output"
    assert build_site(ROOT, out).ok
    return out


def test_enough_entries(content):
    assert len(content.events) >= 35


def test_every_main_source_is_cited(content):
    cited = {c.source.id for e in content.events for c in e.citations}
    assert len(MAIN_SOURCES) == 62
    assert set(MAIN_SOURCES) <= set(content.sources)
    assert sorted(set(MAIN_SOURCES) - cited) == []


def test_entries_cite_through_the_register(content):
    # Every URL then lives in one reviewed place, content/sources/, and nowhere else.
    for event in content.events:
        for citation in event.citations:
            assert citation.source.id, f"{event.id} cites a source inline"


def test_no_url_in_entry_files():
    url = re.compile(r"https?://")
    for file in sorted((ROOT / "content" / "events").rglob("*.md")):
        assert not url.search(file.read_text("utf-8")), file


def test_tps_entries_cite_the_wire_report(content):
    events = {e.id: e for e in content.events}
    for event_id in TPS_ENTRIES:
        assert TPS in {c.source.id for c in events[event_id].citations}, event_id


def test_state_media_are_named_as_such(content):
    for source in content.sources.values():
        if re.search(r"\b(TASS|Sputnik|RIA|RT|Xinhua|CRI|CGTN|TRT|IRNA|SANA)\b", source.publisher):
            assert "state" in source.publisher, source.publisher


@pytest.mark.parametrize(("number", "event_id", "words"), DISAGREEMENTS)
def test_disagreement_is_visible_on_its_event_page(site, number, event_id, words):
    html = (site / "events" / event_id / "index.html").read_text("utf-8")
    box = section_text(html, "aside", "disputed")
    assert box, f"disagreement {number}: no disputed box on {event_id}"
    for word in words:
        assert word in box, f"disagreement {number}: {word!r} not shown on {event_id}"


def test_words_in_another_script_are_marked_with_their_language(content):
    # The site is in English: a quote kept in Russian (or Hebrew, Arabic) is a span saying so,
    # [«…»]{lang=ru}, which the page marks for screen readers.
    other_script = re.compile("[\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff]")
    span = re.compile(r"\[[^\]]*\]\{lang=[a-z]{2,3}\}")
    marked = 0
    for event in content.events:
        assert not other_script.search(span.sub("", event.body)), event.id
        marked += len(span.findall(event.body))
    assert marked >= 10
