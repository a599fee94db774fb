#!/usr/bin/env python3
"""Writes an ACLED-shaped CSV (the current lower-case column list) of any size, for benchmarks.

ACLED data may not be redistributed, so Bearing's tests and benchmarks use files in its published
shape with made-up content: Sudan's states and towns, event types and sub-types in ACLED's
proportions, dates over ten years, fatalities, and notes with commas, quotes and Arabic place names.
Deterministic: the same arguments give the same file.

usage: Scripts/make-acled.py ROWS [--seed N] [--encoding utf-8|cp1252] [--recent K] > acled.csv

--recent K dates only the first K rows in the ten years from 2016 (the same K rows whatever ROWS is)
and the rest in the twenty years before: a table that grows while a recent period holds the same
events (Scripts/bench-growth.sh).
"""
import argparse
import csv
import random
import sys
from datetime import date, timedelta

HEADER = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1",
          "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
          "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
          "notes", "fatalities", "tags", "timestamp"]
# (admin1, admin2, location, latitude, longitude)
PLACES = [
    ("Khartoum", "Jebel Awlia", "Jebel Awlia", 15.2400, 32.4900), ("Khartoum", "Khartoum", "Khartoum", 15.5007, 32.5599),
    ("Khartoum", "Um Durman", "Omdurman", 15.6445, 32.4777), ("North Darfur", "Al Fasher", "El Fasher", 13.6279, 25.3494),
    ("South Darfur", "Nyala North", "Nyala", 12.0489, 24.8807), ("West Darfur", "Ag Geneina", "Geneina", 13.4526, 22.4473),
    ("Aj Jazirah", "Medani Al Kubra", "Wad Madani", 14.4012, 33.5199), ("Kassala", "Kassala", "Kassala", 15.4510, 36.3999),
    ("Red Sea", "Port Sudan", "Port Sudan", 19.6158, 37.2164), ("Gedaref", "Madeinat Al Gedaref", "Gedaref", 14.0354, 35.3834),
    ("North Kordofan", "Sheikan", "El Obeid", 13.1843, 30.2167), ("White Nile", "Kosti", "Kosti", 13.1629, 32.6635),
    ("Blue Nile", "Ed Damazine", "Ed Damazine", 11.7891, 34.3592), ("South Kordofan", "Kadugli", "Kadugli", 11.0106, 29.7180),
]
# (disorder_type, event_type, sub_event_type, weight)
EVENTS = [
    ("Political violence", "Battles", "Armed clash", 30), ("Political violence", "Explosions/Remote violence", "Air/drone strike", 10),
    ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack", 8),
    ("Political violence", "Violence against civilians", "Attack", 15),
    ("Political violence", "Violence against civilians", "Abduction/forced disappearance", 4),
    ("Demonstrations", "Protests", "Peaceful protest", 12), ("Demonstrations", "Riots", "Mob violence", 4),
    ("Strategic developments", "Strategic developments", "Looting/property destruction", 5),
    ("Strategic developments", "Strategic developments", "Arrests", 4),
]
ACTORS = [("Military Forces of Sudan (2019-)", 1), ("Rapid Support Forces", 2), ("Unidentified Armed Group (Sudan)", 3),
          ("Police Forces of Sudan (2019-)", 1), ("Rioters (Sudan)", 5), ("Protesters (Sudan)", 6), ("Civilians (Sudan)", 7)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=int)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--encoding", default="utf-8", choices=["utf-8", "cp1252"])
    parser.add_argument("--recent", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    weighted = [e for e in EVENTS for _ in range(e[3])]
    start = date(2016, 1, 1)
    out = open(sys.stdout.fileno(), "w", encoding=args.encoding, newline="", errors="replace", closefd=False, buffering=1 << 20)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for i in range(args.rows):
        admin1, admin2, location, lat, lon = PLACES[rng.randrange(len(PLACES))]
        disorder, event_type, sub_event, _ = weighted[rng.randrange(len(weighted))]
        actor, inter = ACTORS[rng.randrange(len(ACTORS))]
        if args.recent is None or i < args.recent:
            day = start + timedelta(days=rng.randrange(3650))
        else:
            day = date(1996, 1, 1) + timedelta(days=rng.randrange(7300))
        fatalities = 0 if event_type in ("Protests", "Strategic developments") else min(200, int(rng.expovariate(0.4)))
        note = (f"On {day.day} {day.strftime('%B')} {day.year}, {actor} clashed near {location} (\"{admin2}\"), "
                f"{fatalities} reported killed; residents displaced.")
        if args.encoding == "utf-8" and i % 7 == 0:
            note += " المصدر: شهود عيان."
        writer.writerow([
            f"SDN{i + 1}", day.isoformat(), day.year, rng.choice([1, 1, 1, 2, 3]), disorder, event_type, sub_event, actor, "",
            inter, "", "", 0, inter * 10, "", 729, "Northern Africa", "Sudan", admin1, admin2, "", location,
            f"{lat + rng.uniform(-0.2, 0.2):.4f}", f"{lon + rng.uniform(-0.2, 0.2):.4f}", rng.choice([1, 1, 2]),
            "Sudan Tribune; Radio Dabanga", "National", note, fatalities, "", 1_700_000_000 + i])
    out.flush()


if __name__ == "__main__":
    main()
