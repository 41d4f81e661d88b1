#!/usr/bin/env python3
"""data/incidents/make_incidents.py - convert the hand-coded domain table
(shared/domain/incidents.csv, facts from the five source reports) into
vigil's own incident CSV (data/incidents/incidents.csv), which
`vigil incidents import --format vigil` loads.

Usage: python3 make_incidents.py SRC.csv > incidents.csv

The mapping is written out below and documented in docs/internals/incidents.md;
no value is invented: where the articles do not support an ACLED event type
the column stays empty and raw_type keeps the domain label.
"""
import csv
import sys

COLUMNS = (
    "dataset,source_id,event_date,date_end,time_precision,kind,event_type,"
    "sub_event_type,raw_type,disorder_type,actor1,assoc_actor1,inter1,actor2,"
    "assoc_actor2,inter2,interaction,civilian_targeting,attribution,iso,region,"
    "country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
    "fatalities,fatalities_low,fatalities_high,injured,target,nationalities,"
    "notes,sources,source_titles,source_scale,tags,source_timestamp"
).split(",")

# Domain event_type -> (kind, ACLED event type, ACLED sub-event type).
# The domain README gives the ACLED mapping for the first five; the others
# "need a case-by-case choice" the articles do not support, so they keep
# only their raw_type.
TYPES = {
    "Suicide bombing": ("attack", "Explosions/Remote violence", "Suicide bomb"),
    "Remote explosive": ("attack", "Explosions/Remote violence",
                         "Remote explosive/landmine/IED"),
    "Rocket/artillery": ("attack", "Explosions/Remote violence",
                         "Shelling/artillery/missile attack"),
    "Foiled plot": ("foiled-plot", "Foiled plot", ""),
    "Arrest": ("arrest", "Arrest", ""),
    "Attack": ("attack", "", ""),
    "Armed assault": ("attack", "", ""),
    "Assassination": ("attack", "", ""),
    "Prison attack": ("attack", "", ""),
    "Counter-operation": ("counter-operation", "", ""),
    "Other": ("other", "", ""),
}

STATE_ACTORS = {"Taliban security forces", "US forces",
                "Russian security forces", "German authorities",
                "Dutch authorities"}


def targeted_group(row):
    """For arrests and counter-operations the domain attribution applies to
    the people targeted (domain README); name that group as actor2: the
    Islamic State when the target text names only IS, else ISKP (every row
    of the domain table concerns ISKP's network)."""
    target = row["target"]
    if "ISKP" in target:
        return "ISKP"
    if "IS " in target + " " or "Islamic State" in target:
        return "Islamic State"
    return "ISKP"


def convert(src, out):
    reader = csv.DictReader(src)
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in reader:
        kind, etype, sub = TYPES[row["event_type"]]
        rec = dict.fromkeys(COLUMNS, "")
        rec.update(
            dataset="vigil",
            source_id=row["incident_id"],
            event_date=row["event_date"],
            time_precision=row["time_precision"],
            kind=kind,
            event_type=etype,
            sub_event_type=sub,
            raw_type=row["event_type"],
            actor1=row["actor"],
            attribution=row["attribution"],
            country=row["country"],
            admin1=row["admin1"],
            location=row["location"],
            fatalities=row["fatalities"],
            injured=row["injured"],
            target=row["target"],
            nationalities=row["nationalities_involved"],
            notes=row["notes"],
            sources=row["source_file"],
            source_titles=row["source_title"],
        )
        if row["actor"] in STATE_ACTORS:
            rec["inter1"] = "State forces"
            rec["actor2"] = targeted_group(row)
        writer.writerow(rec)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_incidents.py SRC.csv > incidents.csv")
    with open(sys.argv[1], newline="", encoding="utf-8") as f:
        convert(f, sys.stdout)
