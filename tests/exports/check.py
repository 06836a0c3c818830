#!/usr/bin/env python3
"""Reads a built site's exports with standard readers and checks them
against its timeline.json: timeline.ics with the `icalendar` library (one
VEVENT per entry, dates at their precision), events.csv with the csv
module (round trip of ids, titles, dates), events.geojson with json (every
located entry, valid points), events.gpx with `gpxpy` (one waypoint per
GeoJSON feature, the same places within the rounding of their precision). Usage: check.py OUTPUT_DIR. Prints one line
per check and exits 1 on the first failure.
"""
import csv
import datetime
import json
import sys
from pathlib import Path

import gpxpy
import icalendar


def fail(msg):
    print(f"FAIL {msg}")
    sys.exit(1)


def main():
    out = Path(sys.argv[1])
    timeline = json.loads((out / "timeline.json").read_text(encoding="utf-8"))
    entries = timeline["entries"]
    by_id = {e["id"]: e for e in entries}

    cal = icalendar.Calendar.from_ical((out / "timeline.ics").read_bytes())
    events = [c for c in cal.walk("VEVENT")]
    if len(events) != len(entries):
        fail(f"timeline.ics has {len(events)} events for {len(entries)} entries")
    for ev in events:
        uid = str(ev["UID"]).split("@")[0]
        e = by_id.get(uid) or fail(f"timeline.ics: unknown UID {uid}")
        if str(ev["SUMMARY"]) != e["title"]:
            fail(f"timeline.ics {uid}: SUMMARY {ev['SUMMARY']!r} is not {e['title']!r}")
        start = ev.decoded("DTSTART")
        prec = e["date"]["precision"]
        value = e["date"]["value"].rstrip("~?%")
        if prec in ("year", "month", "day"):
            if isinstance(start, datetime.datetime) or not isinstance(start, datetime.date):
                fail(f"timeline.ics {uid}: a {prec} entry is not all-day")
            if not start.isoformat().startswith(value):
                fail(f"timeline.ics {uid}: starts {start}, entry {value}")
            end = ev.decoded("DTEND")
            if end <= start:
                fail(f"timeline.ics {uid}: ends {end} before it starts {start}")
        elif not isinstance(start, datetime.datetime) or start.tzinfo is None:
            fail(f"timeline.ics {uid}: a timed entry without a UTC time")
    print(f"ok   timeline.ics: {len(events)} events read by icalendar {icalendar.__version__}")

    with open(out / "events.csv", newline="", encoding="utf-8") as f:
        text = f.read()
    if text.startswith("\ufeff"):
        fail("events.csv starts with a byte-order mark")
    rows = list(csv.DictReader(text.splitlines(keepends=True)))
    if [r["id"] for r in rows] != [e["id"] for e in entries]:
        fail("events.csv ids differ from timeline.json")
    for r in rows:
        e = by_id[r["id"]]
        if r["title"] != e["title"] or r["url"] != e["url"] or r["status"] != e["status"]:
            fail(f"events.csv row {r['id']} differs from timeline.json")
        if r["time_precision"] != e["date"]["precision"]:
            fail(f"events.csv row {r['id']}: precision {r['time_precision']}")
    print(f"ok   events.csv: {len(rows)} rows round-trip to timeline.json")

    geo = json.loads((out / "events.geojson").read_text(encoding="utf-8"))
    if geo.get("type") != "FeatureCollection":
        fail("events.geojson is not a FeatureCollection")
    for feat in geo["features"]:
        lon, lat = feat["geometry"]["coordinates"]
        if feat["geometry"]["type"] != "Point" or not (-180 <= lon <= 180 and -90 <= lat <= 90):
            fail(f"events.geojson {feat['id']}: bad point")
        e = by_id.get(feat["id"]) or fail(f"events.geojson: unknown id {feat['id']}")
        if feat["properties"]["title"] != e["title"] or feat["properties"]["url"] != e["url"]:
            fail(f"events.geojson {feat['id']} differs from timeline.json")
    located = sum(1 for r in rows if r["latitude"])
    if located != len(geo["features"]):
        fail(f"events.geojson has {len(geo['features'])} features, events.csv {located} located rows")
    print(f"ok   events.geojson: {located} located entries")

    gpx = gpxpy.parse((out / "events.gpx").read_text(encoding="utf-8"))
    if len(gpx.waypoints) != len(geo["features"]):
        fail(f"events.gpx has {len(gpx.waypoints)} waypoints, events.geojson {len(geo['features'])} features")
    for wpt, feat in zip(gpx.waypoints, geo["features"]):
        lon, lat = feat["geometry"]["coordinates"]
        e = by_id[feat["id"]]
        if wpt.name != e["title"] or wpt.link != e["url"]:
            fail(f"events.gpx waypoint {wpt.name!r} differs from timeline.json {e['id']}")
        # Rounded to the point's precision: never more than half a degree off.
        if abs(wpt.latitude - lat) > 0.5 or abs(wpt.longitude - lon) > 0.5:
            fail(f"events.gpx {e['id']}: ({wpt.latitude}, {wpt.longitude}) far from ({lat}, {lon})")
        # No more decimals than the precision it names keeps.
        precision = (wpt.description or "").rpartition("precision: ")[2]
        allowed = {"near": 3, "settlement": 2, "region": 1, "country": 0}.get(precision, 99)
        decimals = max(len(repr(v).partition(".")[2].rstrip("0")) for v in (wpt.latitude, wpt.longitude))
        if decimals > allowed:
            fail(f"events.gpx {e['id']}: {decimals} decimals for a point known to the {precision}")
        if wpt.time is not None and wpt.time.date().isoformat() != e["date"]["value"][:10]:
            fail(f"events.gpx {e['id']}: time {wpt.time} is not the entry's date {e['date']}")
    timed = sum(1 for w in gpx.waypoints if w.time is not None)
    print(f"ok   events.gpx: {len(gpx.waypoints)} waypoints read by gpxpy ({timed} with a time)")

    tjs = json.loads((out / "timelinejs.json").read_text(encoding="utf-8"))
    if [s["unique_id"] for s in tjs["events"]] != [e["id"] for e in entries]:
        fail("timelinejs.json slides differ from timeline.json")
    print(f"ok   timelinejs.json: {len(tjs['events'])} slides")


if __name__ == "__main__":
    main()
