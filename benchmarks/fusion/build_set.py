"""Build the labelled set of the fusion benchmark: generated reports plus hand-labelled real ones.

For each seed incident (``seeds.jsonl``: facts of an attack reported in Vigil's
bundled sample reports) this writes several reports of the same event that
differ the way outlets differ (perpetrator names, tolls, place granularity,
wording, relative or absolute dates, a dateline from the capital) and reports
of look-alike but different events (hard negatives: same place on another day,
same day in another district, same group in another attack). Sentences come
from ``templates.json`` (written for Vigil); nothing is copied from the
Wikinews articles. The output is deterministic for a given ``--seed``.

Writes ``reports.jsonl`` (documents in the ``vigil extract`` input format) and
``labels.jsonl`` (the incident of each generated report; the incident of each
hand-labelled event of the real sample reports comes from ``real_labels.jsonl``).

    python benchmarks/fusion/build_set.py            # rewrites reports.jsonl and labels.jsonl
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from functools import lru_cache
from pathlib import Path

from vigil.gazetteers.places import load_place_gazetteer

HERE = Path(__file__).resolve().parent
SEED = 20240501
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_ADMIN_SUFFIX = re.compile(r"\s+(District|Agency|Tribal Area|Protected Area)$")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def test_incidents() -> set[str]:
    """Incidents with hand-labelled real events are test-only, with every report generated from them."""
    return {row["incident"] for row in read_jsonl(HERE / "real_labels.jsonl")}


class Writer:
    """Renders reports of one incident from the templates with one random generator."""

    def __init__(self, templates: dict, rng: random.Random) -> None:
        self.t = templates
        self.rng = rng

    # -- slot values -------------------------------------------------------------
    def date_phrase(self, day: dt.date, published: dt.date, stated: bool = False) -> tuple[str, str]:
        gap = (published - day).days
        weekday = WEEKDAYS[day.weekday()]
        relative = {0: ["today", "earlier today"], 1: ["yesterday", f"on {weekday}", f"late on {weekday}"]}.get(
            gap, [f"on {weekday}"] if gap < 7 else [])
        absolute = [f"on {day.day} {MONTHS[day.month - 1]}", f"on {MONTHS[day.month - 1]} {day.day}",
                    f"on {day.day} {MONTHS[day.month - 1]} {day.year}"]
        style = self.rng.choices(["relative", "absolute", "none"], weights=[4, 4, 0 if stated else 2])[0]
        if style == "relative" and relative:
            return self.rng.choice(relative), "relative"
        if style == "none":
            return "", "none"
        return self.rng.choice(absolute), "absolute"

    def toll(self, value: int, noun: str = "people") -> tuple[str, str, str]:
        """(with noun, without noun, form) for a casualty figure."""
        small, dozens = value <= 12, 24 <= value < 100
        forms = ["exact", "at least", "more than"] + (["words"] if small else []) + (["dozens"] if dozens else [])
        form = self.rng.choices(forms, weights=[4, 3, 2] + ([3] if small else []) + ([1] if dozens else []))[0]
        if value == 1:
            return f"one {'person' if noun == 'people' else 'other'}", "one", "exact"
        if form == "words" or (form == "exact" and value <= 12 and self.rng.random() < 0.5):
            return f"{SMALL[value]} {noun}", SMALL[value], "words"
        if form == "at least":
            return f"at least {value} {noun}", f"at least {value}", form
        if form == "more than":
            low = value // 10 * 10 if value >= 20 else max(1, value - 1)
            return f"more than {low} {noun}", f"more than {low}", form
        if form == "dozens":
            return f"dozens of {noun}", "dozens", form
        return f"{value} {noun}", str(value), "exact"

    def place(self, seed: dict, only: set[str] | None = None) -> tuple[str, str, str]:
        """(phrase, short phrase, granularity); ``only`` limits the granularities allowed."""
        town, district, province, country = seed.get("town"), seed.get("district"), seed["province"], seed["country"]
        options = []
        if town:
            options += [("town", f"in {town}"), ("town", f"in the town of {town}")]
            options.append(("town+province", f"in {town}" if town == province else f"in {town} in {province} province"))
            if district:
                options.append(("town+district", f"in {town}, the main town of the {district} district"))
        if district:
            options += [("district", f"in the {district} district"), ("district", f"in the {district} district of {province}")]
        options += [("province", f"in {province} province")]
        region = seed.get("region")
        options.append(("country", f"in {region} {country}" if region else f"in {country}"))
        if only:
            options = [(g, phrase) for g, phrase in options if g in only] or options
        weights = [3 if g != "country" else 1 for g, _ in options]
        granularity, phrase = self.rng.choices(options, weights=weights)[0]
        short = {"town": town, "town+province": town, "town+district": town, "district": district,
                 "province": province, "country": country}[granularity]
        return phrase, short, granularity

    def perp_name(self, actor: str | None, kind: str) -> str:
        if actor is None:
            return self.rng.choice(self.t["anonymous_perps"].get(kind, self.t["anonymous_perps"]["default"]))
        return self.rng.choice(self.t["press_names"][actor])

    # -- reports -----------------------------------------------------------------
    def report(self, incident: dict, published: dt.date, doc_id: str, earlier: dict | None = None) -> tuple[dict, dict]:
        """One report of ``incident`` published on ``published``: the document and its labels.

        ``earlier`` is another incident the report may recall in a background
        sentence; the label records that sentence's span and incident.
        """
        rng, t = self.rng, self.t
        day = dt.date.fromisoformat(incident["date"])
        gap = (published - day).days
        killed_value = incident.get("killed")
        if killed_value:
            factor = rng.uniform(0.6, 1.0) if gap == 0 else rng.uniform(0.85, 1.15)
            killed_value = max(1, round(killed_value * factor))
        killed, killed_n, toll_form = self.toll(killed_value) if killed_value else ("several people", "several", "none")
        injured_value = incident.get("injured")
        injured = self.toll(injured_value, "others")[0] if injured_value else "several others"
        where, where_short, granularity = self.place(incident, set(incident.get("granularities", ())) or None)
        said_day = day
        if not incident.get("dated") and rng.random() < 0.15:  # outlets disagree by a day (time zones, late-night events)
            said_day = day + dt.timedelta(days=rng.choice([-1, 1]))
            published = max(published, said_day)
        when, date_style = self.date_phrase(said_day, published, stated=incident.get("dated", False))
        if said_day != day and date_style != "none":
            date_style += " (one day off)"
        actor = incident.get("perp")
        name = self.perp_name(actor, incident["kind"])
        target = rng.choice(incident["targets"])
        slots = {"where": where, "when": when, "killed": killed, "killed_n": killed_n, "injured": injured,
                 "target": target, "perp": name, "where_short": where_short,
                 "target_short": re.sub(r"^(a|an|the)\s+", "", target)}
        leads = [s for s in t["lead"][incident["kind"]] if actor or "{perp}" not in s or incident["kind"] in ("clash", "raid")]
        if killed_value == 1:
            leads = [s for s in leads if "{killed} were" not in s] or leads
        lead = rng.choice(leads)
        parts: list[tuple[str, str | None]] = [(_fill(lead, slots), None)]
        if injured_value and "{injured}" not in lead and rng.random() < 0.5:
            parts.append((_fill(rng.choice(t["details"]), slots), None))
        attribution = "none"
        if actor and rng.random() < 0.85:
            kind = "confirm" if actor in t["state_perps"] else rng.choice(["claim", "blame"])
            parts.append((_fill(rng.choice(t[kind]), slots), None))
            attribution = f"{kind}: {name}"
        elif rng.random() < 0.5:
            parts.append((_fill(rng.choice(t["unclaimed"]), slots), None))
        recalled = None
        if earlier is not None and earlier["kind"] in t["nouns"] and earlier.get("killed"):
            parts.append((self.background(earlier), earlier["id"]))
            recalled = earlier["id"]
        if rng.random() < 0.25:
            capital = t["capital_names"][incident["country"]]
            parts.append((rng.choice(t["noise"]).format(capital=capital), None))
        elif rng.random() < 0.4:
            parts.append((rng.choice(t["close"]), None))
        dateline = ""
        if rng.random() < 0.3:
            city = incident.get("town") if incident.get("town") and rng.random() < 0.6 else t["capitals"][incident["country"]]
            dateline = f"{city.upper()}, {incident['country']} - "
        headline = _fill(rng.choice(t["headline"][incident["kind"]]), slots)
        text = f"{headline}\n\n{dateline}"
        spans = []
        for n, (sentence, other) in enumerate(parts):
            if other is not None:
                spans.append([len(text), len(text) + len(sentence), other])
            text += sentence + (" " if n + 1 < len(parts) else "\n")
        document = {
            "id": doc_id, "title": headline, "published": published.isoformat(), "publisher": rng.choice(t["outlets"]),
            "text": text, "licence": "CC0-1.0", "attribution": "Vigil contributors (generated for the fusion benchmark)",
        }
        variant = {"toll": toll_form, "place": granularity, "date": date_style, "perpetrator": attribution,
                   "dateline": dateline.split(",")[0] if dateline else None, "recalls": recalled}
        return document, {"variant": variant, "spans": spans}

    def background(self, earlier: dict) -> str:
        """A sentence recalling an earlier incident, dated absolutely."""
        day = dt.date.fromisoformat(earlier["date"])
        where, _, _ = self.place(earlier, {"town", "district", "province"})
        killed = self.toll(earlier["killed"])[0]
        slots = {"killed": killed, "noun": self.t["nouns"][earlier["kind"]], "where": where,
                 "when": f"on {day.day} {MONTHS[day.month - 1]}"}
        return _fill(self.rng.choice(self.t["background"]), slots)


def _fill(template: str, slots: dict[str, str]) -> str:
    text = template.format(**slots)
    text = re.sub(r"\s+([,.;])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    return text[:1].upper() + text[1:]


def other_districts(province: str, exclude: set[str]) -> list[str]:
    """District names (as writers use them) of a province, from the place gazetteer."""
    return [name for name in _districts(province) if name not in exclude]


@lru_cache(maxsize=None)
def _districts(province: str) -> tuple[str, ...]:
    names = set()
    for place in load_place_gazetteer().places:
        if place.kind == "admin2" and place.admin1 == province and place.country in ("PK", "AF"):
            name = _ADMIN_SUFFIX.sub("", place.name)
            if name.isascii() and "'" not in name:
                names.add(name)
    return tuple(sorted(names))


def negatives(seed: dict, seeds: list[dict], rng: random.Random, templates: dict) -> list[dict]:
    """Look-alike incidents that are not ``seed``: same place another day, same day elsewhere, same group elsewhere."""
    day = dt.date.fromisoformat(seed["date"])
    found = []
    other_day = dict(seed, id=f"{seed['id']}~other-day",
                     date=(day + dt.timedelta(days=rng.choice([-8, -6, -5, -4, -3, -2, 2, 3, 4, 5, 6, 8]))).isoformat(),
                     targets=[rng.choice(templates["negative_targets"][seed["kind"]])],
                     killed=_other_toll(seed.get("killed"), rng), injured=None, perp=seed["perp"] if rng.random() < 0.5 else None,
                     dated=True)
    found.append(other_day)
    districts = other_districts(seed["province"], {seed.get("district") or "", seed.get("town") or ""})
    if districts:
        found.append(dict(seed, id=f"{seed['id']}~other-district", town=None, district=rng.choice(districts),
                          targets=[rng.choice(templates["negative_targets"][seed["kind"]])],
                          killed=_other_toll(seed.get("killed"), rng), injured=None, perp=None,
                          granularities=["district"]))
    if seed.get("perp"):
        elsewhere = [s for s in seeds if s["country"] == seed["country"] and s["province"] != seed["province"]]
        if elsewhere:
            place = rng.choice(elsewhere)
            state = seed["perp"] in templates["state_perps"]
            kinds = [seed["kind"]] if state else ["suicide", "bomb", "roadside", "clash", "shooting"]
            kind = rng.choice(kinds)
            found.append(dict(seed, id=f"{seed['id']}~same-group", kind=kind, town=place.get("town"),
                              district=place.get("district"), province=place["province"], region=place.get("region"),
                              date=(day + dt.timedelta(days=rng.choice([-9, -7, -5, -3, -1, 1, 3, 5, 7, 9]))).isoformat(),
                              targets=[rng.choice(templates["negative_targets"][kind])],
                              killed=_other_toll(seed.get("killed"), rng), injured=None))
    return rng.sample(found, k=min(2, len(found)))


def _other_toll(killed: int | None, rng: random.Random) -> int:
    if not killed:
        return rng.randint(2, 12)
    choices = [n for n in range(1, max(60, 3 * killed)) if max(n, killed) / min(n, killed) >= 2.5]
    return rng.choice(choices)


def build(seed: int = SEED) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    templates = json.loads((HERE / "templates.json").read_text("utf-8"))
    seeds = read_jsonl(HERE / "seeds.jsonl")
    tests = test_incidents()
    writer = Writer(templates, rng)
    plan = []
    for incident in seeds:
        split = "test" if incident["id"] in tests else "train"
        plan.append((incident, rng.choice([3, 4, 5, 5, 6]), "same event", split))
        for negative in negatives(incident, seeds, rng, templates):
            plan.append((negative, rng.choice([1, 2]), "hard negative", split))
    incidents = [item for item, _, _, _ in plan]
    documents, labels = [], []
    for item, count, role, split in plan:
        day = dt.date.fromisoformat(item["date"])
        for n in range(count):
            published = day + dt.timedelta(days=rng.choice([0, 1, 1, 1, 2, 3]))
            doc_id = f"gen-{item['id']}-{n + 1}"
            earlier = _earlier(item, incidents, split, plan, rng) if rng.random() < 0.3 else None
            document, label = writer.report(item, published, doc_id, earlier)
            documents.append(document)
            labels.append({"document": doc_id, "incident": item["id"], "split": split, "role": role,
                           "varies": label["variant"], "spans": label["spans"]})
    return documents, labels


def _earlier(item: dict, incidents: list[dict], split: str, plan: list, rng: random.Random) -> dict | None:
    """An earlier incident of the same country and split (1-40 days before) for a background sentence."""
    day = dt.date.fromisoformat(item["date"])
    split_of = {entry[0]["id"]: entry[3] for entry in plan}
    choices = [other for other in incidents if other["country"] == item["country"] and split_of[other["id"]] == split
               and 1 <= (day - dt.date.fromisoformat(other["date"])).days <= 40]
    return rng.choice(choices) if choices else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    documents, labels = build(args.seed)
    with (HERE / "reports.jsonl").open("w", encoding="utf-8") as handle:
        for document in documents:
            handle.write(json.dumps(document, ensure_ascii=False) + "\n")
    with (HERE / "labels.jsonl").open("w", encoding="utf-8") as handle:
        for label in labels:
            handle.write(json.dumps(label, ensure_ascii=False) + "\n")
    print(f"{len(documents)} reports of {len({label['incident'] for label in labels})} incidents")


if __name__ == "__main__":
    main()
