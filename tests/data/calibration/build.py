#!/usr/bin/env python3
"""Rebuild the calibration set from the shared 360Giving files and the hand labels.

    python3 tests/data/calibration/build.py [--resplit] [SOURCE_DIR]

SOURCE_DIR defaults to /work/shared/data/360giving (the three source files).

What it does, and nothing more:
  1. re-draws the selection (fixed seeds, documented in docs/labelling.md) and checks that it is
     exactly the set of ids in labels.csv;
  2. writes dev-grants.json: the selected grants, unmodified, ordered by source file then id;
  3. assigns to the `tune` or `test` half (stratified, deterministic) every grant whose half is
     empty, or every grant with --resplit, and rewrites labels.csv keeping labels and notes;
  4. writes selection.csv (id, source, draw) and prints the positives per indicator per half.

It never sets a label: the NI columns of labels.csv are read from each grant by a person.
"""
import csv, hashlib, json, random, re, sys
from collections import Counter, OrderedDict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
RESPLIT = "--resplit" in sys.argv[1:]
SRC = Path(ARGS[0] if ARGS else "/work/shared/data/360giving")
A4A, LBF, PTC = "awards-for-all-2004.json", "lloyds-bank-foundation.json", "power-to-change.json"
NIS = ["NI1", "NI2", "NI3", "NI4", "NI5", "NI6", "NI7"]
SEED = 2026

# NI1 enrichment stratum (see docs/labelling.md, "How the set was chosen", step 3): Lloyds Bank
# Foundation grants awarded 2013-2015 whose recipient's *name* says it is an organisation of or for a
# minority ethnic, national, faith, migrant or refugee community, Gypsies and Travellers, or a
# race-equality / multi-faith / community-relations body.
NAME_WORDS = (r"refugee|asylum|migrant|immigra|detain|exile|displaced|somali|bangla|bengal|pakistan"
    r"|asian|african|caribbean|chinese|irish|polish|kurdish|afghan|iraqi|eritrean|congolese|kongolese"
    r"|sudanese|tamil|latin american|bosnia|zimbabwe|albanian|turkish|cypriot|vietnamese"
    r"|horn of africa|hornafrik|\barab|middle eastern|\brussian|yemen|ethiopian|nigerian|ghana|sikh"
    r"|muslim|jewish|hebrew|hindu|gypsy|traveller|travellers|\bbme\b|\bbame\b|\bblack\b|ethnic"
    r"|racial|race |race&|multi-racial|multicultural|multi faith|multi-faith|interfaith|inter-faith"
    r"|equalit|\bunity\b|building bridges|integration|new arrival")
# Names the words catch that are not such organisations: a disability-equality group, a name that
# says nothing about whom it serves, and "Embrace" (caught by "race ").
NAME_EXCLUDE = {"360G-LBFEW-110821", "360G-LBFEW-91365", "360G-LBFEW-103662"}
NI1_DRAWS = [("lbf-ni1-stratum-draw1", 0, 40), ("lbf-ni1-stratum-draw2", 40, 65)]


def load(name):
    with open(SRC / name, encoding="utf-8") as f:
        return json.load(f, object_pairs_hook=OrderedDict)["grants"]


def selection(files):
    """(id, source, draw) for every selected grant, in the order the draws were made."""
    out = []
    out += [(g["id"], A4A, "a4a-all") for g in files[A4A]]
    ptc = random.Random(SEED).sample([g["id"] for g in files[PTC]], 100)
    out += [(i, PTC, "ptc-random100") for i in ptc]
    lbf = random.Random(SEED).sample([g["id"] for g in files[LBF]], 100)
    out += [(i, LBF, "lbf-random100") for i in lbf]
    for prog, draw in [("Homeshare", "lbf-programme-homeshare"),
                       ("XA0 - Older People Programme", "lbf-programme-older-people")]:
        out += [(g["id"], LBF, draw) for g in files[LBF] if g["grantProgramme"][0]["title"] == prog]
    pool = sorted(g["id"] for g in files[LBF]
                  if g["awardDate"][:4] >= "2013"
                  and re.search(NAME_WORDS, g["recipientOrganization"][0]["name"].lower())
                  and g["id"] not in NAME_EXCLUDE and g["id"] not in set(lbf))
    order = random.Random(SEED).sample(pool, len(pool))
    for draw, a, b in NI1_DRAWS:
        out += [(i, LBF, draw) for i in order[a:b]]
    ids = [i for i, _, _ in out]
    assert len(ids) == len(set(ids)), "a grant was drawn twice"
    return out, len(pool)


def h(s):
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def main():
    files = {n: load(n) for n in (A4A, LBF, PTC)}
    sel, pool_size = selection(files)
    draw_of = {i: (src, d) for i, src, d in sel}

    with open(HERE / "labels.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    header = ["id", "source", "half"] + NIS + ["note"]
    assert set(r["id"] for r in rows) == set(draw_of), "labels.csv and the selection differ"
    for r in rows:
        assert r["source"] == draw_of[r["id"]][0], r["id"]
        assert all(r[k] in ("0", "1") for k in NIS), r["id"]

    order = {n: i for i, n in enumerate(sorted((A4A, LBF, PTC)))}
    rows.sort(key=lambda r: (order[r["source"]], r["id"]))

    # Halves (docs/labelling.md, "How the halves were split"): indicators ranked from fewest to most
    # positives; each grant's key is the ranked list of the indicators it is positive on (so grants
    # with the same positives sit together, rarest indicator first), then the draw it came from, then
    # sha256(id); one running alternation tune/test down that order. Existing halves are kept unless
    # --resplit is given; grants with an empty half (new additions) are split the same way among
    # themselves.
    total = {k: sum(r[k] == "1" for r in rows) for k in NIS}
    rank = sorted(NIS, key=lambda k: (total[k], k))
    key = lambda r: (tuple(rank.index(k) for k in rank if r[k] == "1"), draw_of[r["id"]][1], h(r["id"]))
    todo = rows if RESPLIT else [r for r in rows if r["half"] not in ("tune", "test")]
    for n, r in enumerate(sorted(todo, key=key)):
        r["half"] = "tune" if n % 2 == 0 else "test"

    with open(HERE / "labels.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: r[k] for k in header})

    by_id = {g["id"]: (n, g) for n in files for g in files[n]}
    grants = [by_id[r["id"]][1] for r in rows]
    note = ("Calibration set for the stronger checklist: %d real grants copied unmodified from the "
            "360Giving files in shared/data/360giving (%s), chosen as docs/labelling.md describes; "
            "hand labels in tests/data/calibration/labels.csv (same order)."
            % (len(grants), ", ".join(sorted((A4A, LBF, PTC)))))
    with open(HERE / "dev-grants.json", "w", encoding="utf-8") as f:
        f.write('{"note": %s,\n "grants": [\n' % json.dumps(note))
        f.write(",\n".join(json.dumps(g, ensure_ascii=False) for g in grants))
        f.write("\n]}\n")

    with open(HERE / "selection.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "source", "draw"])
        for r in rows:
            w.writerow([r["id"], r["source"], draw_of[r["id"]][1]])

    print("grants", len(rows), "| NI1 name pool", pool_size)
    print("draws", dict(Counter(d for _, d in draw_of.values())))
    print("halves", dict(Counter(r["half"] for r in rows)))
    print("%-6s %5s %5s %5s" % ("", "tune", "test", "all"))
    for k in NIS:
        t = sum(r[k] == "1" for r in rows if r["half"] == "tune")
        s = sum(r[k] == "1" for r in rows if r["half"] == "test")
        print("%-6s %5d %5d %5d" % (k, t, s, t + s))


if __name__ == "__main__":
    main()
