#!/usr/bin/env python3
"""prose_set.py - a held-out test set of real running prose (translated user
manuals), to measure langid on another genre than the one it trains on.

usage: python3 data/langid/prose_set.py CACHE [OUT_TSV]
       python3 data/langid/prose_set.py CACHE --paragraphs OUT_TXT

Writes `label<TAB>source<TAB>text` lines (default data/langid/prose.tsv):
consecutive snippets of 25-400 characters (the three buckets of the
cross-validation in turn, at most PER_BUCKET per bucket and source) cut from
the paragraphs of

- the GNOME and MATE user manuals (`gnome-user-docs`, `mate-user-guide`,
  /usr/share/help/LOCALE/) in every locale that is one of the 25 labels,
- the Debian Administrator's Handbook (`debian-handbook`, html/LOCALE/) in
  the same way,

from the cached .deb files that data/langid/fetch.sh pins (the same CACHE as
build_model.py). None of these packages trains the model (build_model.py
reads only their Farsi manuals, as a Farsi test set of the Dari decision).
Translators leave some paragraphs in English: a paragraph is dropped when it
shares any run of four words with the English originals (help locale C,
handbook en-US), and in a label of another script when that script does not
hold most of its letters. The English snippets come from the originals.
Deterministic: same inputs, same file, byte for byte.

With --paragraphs, every kept paragraph instead (no cap, one per line, the
sources taken in turn so that the scripts mix): several MB of real running
text in 18 labels that never repeats, the "manuals" corpus of
scripts/bench-scan-cli (speed only).
"""
import collections
import contextlib
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
if len(sys.argv) < 2:
    sys.exit(__doc__.strip().split("\n\n")[1])
CACHE = sys.argv[1]
PARAGRAPHS = len(sys.argv) > 3 and sys.argv[2] == "--paragraphs"
OUT = sys.argv[-1] if len(sys.argv) > 2 else os.path.join(HERE, "prose.tsv")
sys.argv = [sys.argv[0], CACHE]     # build_model reads its CACHE from argv[1]
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True      # no __pycache__ in the source tree
import build_model as bm            # noqa: E402

PER_BUCKET = 40                     # snippets per bucket and source
# help locale -> label (ku is Kurmanji in Latin script, ku_IQ Sorani)
HELP_LOCALES = {"C": "eng-Latn", "ar": "arb-Arab", "az": "azj-Latn", "bn": "ben-Beng",
                "es": "spa-Latn", "fa": "pes-Arab", "fr": "fra-Latn", "hi": "hin-Deva",
                "ku": "kmr-Latn", "ku_IQ": "ckb-Arab", "ml": "mal-Mlym", "ps": "pus-Arab",
                "ru": "rus-Cyrl", "sq": "sqi-Latn", "tr": "tur-Latn", "ug": "uig-Arab",
                "ur": "urd-Arab", "uz": "uzb-Latn"}
BOOK_LOCALES = {"en-US": "eng-Latn", "ar-MA": "arb-Arab", "es-ES": "spa-Latn",
                "fa-IR": "pes-Arab", "fr-FR": "fra-Latn", "ru-RU": "rus-Cyrl",
                "tr-TR": "tur-Latn"}
ENGLISH = ("C", "en-US")


class Unpacked:
    """build_model.deb_tree() unpacks a .deb on every call (minutes for 36
    locales): here each package is unpacked once, kept until exit."""

    def __init__(self):
        self.top = tempfile.TemporaryDirectory()
        self.trees = {}

    @contextlib.contextmanager
    def __call__(self, pkg):
        if pkg not in self.trees:
            tree = os.path.join(self.top.name, pkg)
            subprocess.run(["dpkg-deb", "-x", bm.cached_deb(pkg), tree], check=True)
            self.trees[pkg] = tree
        yield self.trees[pkg]


def book(locale):
    saved = bm.BOOK_PKGS
    bm.BOOK_PKGS = {"debian-handbook": ("html", "usr/share/doc/debian-handbook/html/" + locale)}
    try:
        return bm.book_paragraphs("debian-handbook")
    finally:
        bm.BOOK_PKGS = saved


def fourgrams(t):
    w = t.lower().split()
    return {" ".join(w[i:i + 4]) for i in range(len(w) - 3)} or {" ".join(w)}


def main():
    bm.deb_tree = Unpacked()
    sources = []                    # (label, source name, paragraphs)
    for loc, lab in HELP_LOCALES.items():
        for pkg in bm.HELP_PKGS:
            sources.append((lab, "%s:%s" % (pkg, loc), bm.help_paragraphs(pkg, loc)))
    for loc, lab in BOOK_LOCALES.items():
        sources.append((lab, "debian-handbook:" + loc, book(loc)))
    english = set()
    for lab, name, paras in sources:
        if name.split(":")[1] in ENGLISH:
            for p in paras:
                english |= fourgrams(p)
    kept_paras = []                 # (label, source name, paragraphs kept)
    for lab, name, paras in sources:
        if name.split(":")[1] not in ENGLISH:
            paras = [p for p in paras if not (fourgrams(p) & english)]
            paras = [p for p in paras if bm.script_of(p) == lab.split("-")[1]]
        kept_paras.append((lab, name, paras))
    if PARAGRAPHS:
        ps = [paras for _, _, paras in kept_paras if paras]
        with open(OUT, "w", encoding="utf8") as fh:
            for i in range(max(len(p) for p in ps)):
                fh.write("".join(p[i] + "\n" for p in ps if i < len(p)))
        return
    rows = ["# GENERATED by data/langid/prose_set.py - real prose test set, do not edit.\n",
            "# label<TAB>source<TAB>text: snippets of translated user manuals (never trained\n",
            "# on); see docs/internals/langid.md, \"Real prose\".\n"]
    kept = collections.Counter()
    for lab, name, paras in kept_paras:
        for t in bm.chunks(paras, PER_BUCKET):
            rows.append("%s\t%s\t%s\n" % (lab, name, t))
            kept[lab] += 1
    with open(OUT, "w", encoding="utf8") as fh:
        fh.write("".join(rows))
    for lab in sorted(kept):
        print("%-9s %4d snippets" % (lab, kept[lab]), file=sys.stderr)


if __name__ == "__main__":
    main()
