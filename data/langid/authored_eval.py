#!/usr/bin/env python3
"""authored_eval.py - Dari->Dari and Farsi->Dari of `vigil langid` on the
team-authored news/post-style set (authored_dari_farsi.tsv, see AUTHORED.md),
per length bucket and per half (A = odd lines, B = even lines).

usage: python3 data/langid/authored_eval.py [VIGIL_BINARY] [TSV]
"""
import collections
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BUCKETS = [("25-100", 25, 100), ("101-250", 101, 250), ("251-400", 251, 400)]


def main():
    vigil = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "build", "vigil")
    tsv = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "authored_dari_farsi.tsv")
    with open(tsv, encoding="utf8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh]
    inp = "".join(r[1] + "\n" for r in rows)
    out = subprocess.run([vigil, "langid"], input=inp, capture_output=True, text=True,
                         check=True).stdout.split("\n")
    c = collections.defaultdict(lambda: [0, 0])
    for i, (r, o) in enumerate(zip(rows, out)):
        b = next(name for name, lo, hi in BUCKETS if lo <= len(r[1]) <= hi)
        for h in ("AB"[i % 2], "all"):
            for bb in (b, "all"):
                c[r[0], h, bb][0] += o == "prs-Arab"
                c[r[0], h, bb][1] += 1
    for lab, name in (("prs-Arab", "Dari->Dari "), ("pes-Arab", "Farsi->Dari")):
        for h in ("A", "B", "all"):
            cells = []
            for b in [x[0] for x in BUCKETS] + ["all"]:
                k, n = c[lab, h, b]
                cells.append("%s %d/%d = %.3f" % (b, k, n, k / n if n else 0))
            print("%s half %-3s  %s" % (name, h, "  ".join(cells)))


if __name__ == "__main__":
    main()
