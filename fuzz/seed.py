#!/usr/bin/env python3
"""Builds the seed corpora of the fuzz targets (fuzz/corpus/TARGET/) from the
example site: its content/ and site.yaml, cut into small seeds (one event,
one paragraph, one date) so that the fuzzer mutates short inputs fast.

Usage: fuzz/seed.py   (run from anywhere; existing corpora are kept, seeds added)
"""

import datetime
import hashlib
import pathlib
import re

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
CONTENT = ROOT / "content"
CORPUS = FUZZ / "corpus"


def write(target, data):
    """Stores one seed under its hash, as cargo fuzz names corpus files."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def yaml_files():
    return sorted(p for p in CONTENT.rglob("*") if p.suffix in (".yaml", ".yml"))


def markdown_files():
    return sorted(CONTENT.rglob("*.md"))


def split_front(text):
    """(front matter, body) of a Markdown file with `---` fences."""
    if not text.startswith("---\n"):
        return "", text
    end = text.find("\n---\n", 3)
    if end < 0:
        return "", text
    return text[4 : end + 1], text[end + 5 :]


def events(text):
    """The items of an events file, each as a small events file of its own."""
    items, current = [], []
    for line in text.splitlines(keepends=True):
        if line.startswith("- ") and current:
            items.append("".join(current))
            current = []
        if line.startswith("#") and not current:
            continue
        current.append(line)
    if current:
        items.append("".join(current))
    return [i for i in items if i.strip()]


DATE_KEYS = re.compile(r"^\s*-?\s*(date|end|accessed|published):\s*(\S.*?)\s*$", re.M)

# Forms the content does not show: instants, offsets, markers, clock changes
# (Kyiv, Santiago and Apia move their clocks), and a few near misses.
EXTRA_DATES = [
    "2022", "2022-02", "2022-02-24", "2022-02-24 04:50", "2022-02-24T04:50:00+02:00",
    "2022-02-24T04:50Z", "2022-02-24T04:50-03:30", "2022-02-24~", "2022-02?", "2014%",
    "2022-03-27 03:30", "2022-10-30 03:30", "2022-09-04 00:00", "2011-12-30", "9999-12-31 23:59",
    "0001-01-01", "2024-02-29", "2023-02-29", "2022-13-01", "2022-02-24T24:00", "2022~?",
    "2022-02-24T04:50:00+14:00", "2022-02-24T04:50:00-14:00", " 2022-02-24 ",
]


def date_seeds():
    found = set(EXTRA_DATES)
    pairs = []
    for path in yaml_files() + markdown_files():
        text = path.read_text(encoding="utf-8")
        values = [m.group(2).strip("\"'") for m in DATE_KEYS.finditer(text)]
        found.update(values)
        pairs += [f"{a}\n{b}" for a, b in zip(values, values[1:])]
    for i, value in enumerate(sorted(found)):
        # The first byte picks the time zone and the language.
        write("date_parse", bytes([i % 256]) + value.encode())
    for i, pair in enumerate(pairs):
        write("date_parse", bytes([(i * 7) % 256]) + pair.encode())


def article_date(front):
    m = re.search(r"^date:\s*(\d{4})-(\d{2})-(\d{2})", front, re.M)
    if not m:
        return datetime.date(2022, 2, 24)
    return datetime.date(*map(int, m.groups()))


def days_since_1900(day):
    return (day - datetime.date(1900, 1, 1)).days.to_bytes(2, "little")


def paragraphs(body):
    return [p.strip() + "\n" for p in re.split(r"\n\s*\n", body) if p.strip()]


def text_seeds():
    for path in markdown_files():
        text = path.read_text(encoding="utf-8")
        write("front_matter", text)
        front, body = split_front(text)
        write("front_matter", "---\n" + front + "---\n")
        day = days_since_1900(article_date(front))
        write("markdown", b"\x00" + body.encode())
        write("markdown", b"\x01" + body.encode())
        for p in paragraphs(body):
            write("markdown", b"\x00" + p.encode())
            # One sentence a line, as the import target reads it.
            sentences = re.sub(r"(?<=[.!?])\s+", "\n", " ".join(p.split()))
            write("import_dates", day + sentences.encode())
    for path in yaml_files():
        for m in re.finditer(r"summary: [|>]\n((?:    .*\n)+)", path.read_text(encoding="utf-8")):
            text = " ".join(m.group(1).split())
            write("import_dates", days_since_1900(datetime.date(2022, 2, 24)) + text.encode())
    for sentence in [
        "Talks will resume on Monday, officials said yesterday.",
        "Two weeks ago the talks had stalled; next March they will resume.",
        "The 2022 invasion began on 24 February 2022, three days after Feb. 21.",
        "Earlier this month, in mid-February 2022, troops massed; last December, too.",
    ]:
        write("import_dates", days_since_1900(datetime.date(2022, 2, 27)) + sentence.encode())


def yaml_seeds():
    for path in sorted((CONTENT / "events").rglob("*.y*ml")):
        text = path.read_text(encoding="utf-8")
        if len(text) < 4096:
            write("events_yaml", text)
        for item in events(text):
            write("events_yaml", item)
    site = (ROOT / "site.yaml").read_text(encoding="utf-8")
    write("config_yaml", site)
    lines = site.splitlines(keepends=True)
    for i in range(len(lines)):
        write("config_yaml", "".join(lines[:i] + lines[i + 1 :]))
    write("config_yaml", site + "allow_raw_html: true\nlanguage: uk-UA\ntimezone: UTC\n")
    write("config_yaml", "title: T\nbase_url: example.org\ntimezone: Europe/Kiev2\nper_page: -1\ntitel: x\n")


def main():
    date_seeds()
    text_seeds()
    yaml_seeds()
    for folder in sorted(CORPUS.iterdir()):
        files = list(folder.iterdir())
        largest = max(f.stat().st_size for f in files)
        print(f"{folder.name}: {len(files)} seeds, largest {largest} bytes")


if __name__ == "__main__":
    main()
