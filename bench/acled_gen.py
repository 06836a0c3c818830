#!/usr/bin/env python3
"""Writes a synthetic ACLED-format CSV (the export tool's columns) for the
import speed figure: `bench/acled_gen.py ROWS OUT.csv [SEED]`.

Rows are spread over 2022-2025, with ACLED's time precisions (1, 2, 3),
about 40 actors (some under a second spelling), 24 regions, 120 districts
and 3,000 locations with coordinates (a few rows without), fatalities,
sources and notes. The same arguments always give the same file.
"""
import csv
import random
import sys
from datetime import date, timedelta

COLUMNS = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
           "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,"
           "region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
           "source_scale,notes,fatalities,tags,timestamp").split(",")

TYPES = [
    ("Political violence", "Battles", "Armed clash"),
    ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Political violence", "Explosions/Remote violence", "Air/drone strike"),
    ("Political violence", "Violence against civilians", "Attack"),
    ("Demonstrations", "Protests", "Peaceful protest"),
    ("Strategic developments", "Strategic developments", "Looting/property destruction"),
]
SOURCES = ["Ukrainska Pravda", "Kyiv Independent", "Suspilne", "Reuters", "Ministry of Defence of Ukraine",
           "Ministry of Defence of Russia", "Local media", "OHCHR"]
SCALES = ["National", "International", "Subnational", "National-International", "Other"]


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    out = sys.argv[2] if len(sys.argv) > 2 else "acled-200k.csv"
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 24)
    actors = [f"Military Forces of Country {i} (2000-)" for i in range(30)]
    actors += [f"Unidentified Armed Group ({i})" for i in range(10)]
    # The same actor written another way, as real exports do over the years.
    spelled = {a: a.upper().replace("(2000-)", "(2000 -)") for a in actors[:5]}
    regions = [f"Region {i}" for i in range(24)]
    districts = [(f"District {i}", regions[i % 24]) for i in range(120)]
    places = []
    for i in range(3000):
        d, r = districts[i % 120]
        lat = 44.5 + rng.random() * 7.5
        lon = 22.5 + rng.random() * 17.5
        places.append((f"Village {i}", d, r, round(lat, 4), round(lon, 4)))
    start = date(2022, 1, 1)
    span = (date(2025, 12, 31) - start).days
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for n in range(rows):
            day = start + timedelta(days=rng.randrange(span))
            prec = rng.choices([1, 2, 3], [80, 15, 5])[0]
            disorder, etype, sub = rng.choice(TYPES)
            a1 = rng.choice(actors)
            a1 = spelled.get(a1, a1) if rng.random() < 0.1 else a1
            a2 = rng.choice(actors) if etype != "Protests" else ""
            loc, dist, reg, lat, lon = rng.choice(places)
            located = rng.random() > 0.01
            fat = rng.choices([0, 1, 2, 5, 20], [60, 20, 10, 7, 3])[0]
            src = "; ".join(rng.sample(SOURCES, rng.randint(1, 2)))
            w.writerow([
                f"UKR{100000 + n}", day.isoformat(), day.year, prec, disorder, etype, sub,
                a1, "", "State forces", a2, "", "State forces" if a2 else "", "", "", 804, "Europe", "Ukraine",
                reg, dist, "", loc, lat if located else "", lon if located else "", rng.choice([1, 1, 1, 2, 3]),
                src, rng.choice(SCALES),
                f"On {day.day} {day.strftime('%B %Y')}, {sub.lower()} near {loc} ({dist}, {reg}); "
                f"{fat} reported killed. Generated row {n} for the import benchmark.",
                fat, "", 1700000000 + n,
            ])


if __name__ == "__main__":
    main()
