#!/usr/bin/env python3
"""data/watchlist/make_watchlist.py - regenerate the outlet watchlist.

  make_watchlist.py tsv   source/outlets.csv -> outlets.tsv (byte for byte)
  make_watchlist.py c     outlets.tsv -> src/lib/text/watchlist_data.c
  make_watchlist.py all   both (the default)

outlets.csv (copied from the project's domain data, see README.md) lists each
outlet with its spelling variants, mostly in Latin script. Every variant
becomes one TSV row. Which keys are weak (ordinary words, place names, short
acronyms) is decided below in WEAK, each with its reason; everything else is
strong. source/transliterations.tsv adds the team's Cyrillic, Arabic-script
and other spellings of the names (transliterations, never translations),
each row after the outlet's own variants, with its language and strength.
source/exclusions.tsv lists words and places that a term also matches
(Annaba, the Algerian city, for an-Naba); they become `exclude` rows at the
end. Users extend the list by adding rows to
outlets.tsv or by passing their own TSV to `vigil scan --watchlist`.
"""
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CSV = os.path.join(HERE, "source", "outlets.csv")
TRANSLIT = os.path.join(HERE, "source", "transliterations.tsv")
EXCLUDE = os.path.join(HERE, "source", "exclusions.tsv")
TSV = os.path.join(HERE, "outlets.tsv")
CFILE = os.path.join(ROOT, "src", "lib", "text", "watchlist_data.c")

# Weak keys: count only next to a strong hit. Reason for each.
WEAK = {
    "إعلام": "Arabic noun 'information/media' (outlets.csv: weak key)",
    "Ilam": "also an Iranian place name (outlets.csv: weak key)",
    "I'lam": "normalises exactly like Ilam (apostrophes are dropped)",
    "ناشر": "Arabic noun 'publisher' (outlets.csv: generic)",
    "التقوى": "Arabic noun 'piety'",
    "al-Taqwa": "common name of mosques and charities",
    "At-Taqwa": "common name of mosques and charities",
    "أعماق": "Arabic noun 'depths'",
    "النبأ": "Arabic 'the news'",
    "العاديات": "title of a Qur'an sura",
    "المرصاد": "Arabic 'the observatory'",
    "البتار": "Arabic 'the sharp sword'",
    "العزائم": "Arabic 'the resolutions'",
    "Al-Muhajireen": "Arabic 'the emigrants' (the early Muslims), in Islamic "
                     "texts also spelt al-Muhajirin, which now reads the same",
    "VoK": "three-letter acronym",
    "NYT": "three-letter acronym",
}

# Relevance weight by affiliation; weak keys get half.
AFFILIATION_WEIGHT = {
    "official ISKP": 1.0,
    "IS central": 1.0,
    "pro-IS supportive": 0.8,
    "Taliban": 0.3,
    "other": 0.3,
}

PASHTO = set("ږګښځڅډړټڼېۍ")
PERSIAN = set("یپچژگ")


def script_of(term):
    for ch in term:
        o = ord(ch)
        if 0x0600 <= o <= 0x06FF:
            return "Arab"
        if 0x0400 <= o <= 0x04FF:
            return "Cyrl"
        if 0x0900 <= o <= 0x097F:
            return "Deva"
    return "Latn"


def term_language(term, languages):
    langs = [l for l in languages.split(";") if l]
    sc = script_of(term)
    if sc == "Arab":
        if any(ch in PASHTO for ch in term):
            return "pus-Arab"
        if any(ch in PERSIAN for ch in term):
            return "fas-Arab"
        return "ara-Arab"
    if sc == "Cyrl":
        return "tgk-Cyrl" if "tgk" in langs else "rus-Cyrl"
    return "eng-Latn" if langs == ["eng"] else "und-Latn"


LANG_TAG = re.compile(r"^[a-z]{3}-(Latn|Cyrl|Arab|Deva)$")


def source_rows(path, counts):
    """(where, fields) of each row of a tab-separated source file (comments
    and blank lines skipped); exits naming the line when the number of
    fields is not in @counts."""
    with open(path, encoding="utf-8", newline="") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fs = line.split("\t")
            where = "%s:%d" % (path, no)
            if len(fs) not in counts:
                sys.exit("%s: expected %s tab-separated fields"
                         % (where, " or ".join(map(str, counts))))
            yield where, fs


def check_row(where, names, outlet, term, lang):
    """Exits naming the line on an unknown outlet, a bad language tag or a
    script that differs from the tag's."""
    if outlet not in names:
        sys.exit("%s: no outlet named %r in outlets.csv" % (where, outlet))
    if not LANG_TAG.match(lang) or lang[4:] != script_of(term):
        sys.exit("%s: language %r does not fit %r" % (where, lang, term))


def read_translit(names):
    """{outlet name: [(term, language, weak)]} of transliterations.tsv
    (outlet, term, language, strength[, reason]); a weak row needs its
    reason."""
    out = {}
    for where, fs in source_rows(TRANSLIT, (4, 5)):
        name, term, lang, strength = fs[:4]
        check_row(where, names, name, term, lang)
        if strength not in ("strong", "weak") or (strength == "weak") != (len(fs) == 5):
            sys.exit("%s: strength must be strong, or weak with a reason" % where)
        out.setdefault(name, []).append((term, lang, strength == "weak"))
    return out


def read_exclusions(names):
    """[(term, outlet, kind, language)] of exclusions.tsv."""
    out = []
    for where, fs in source_rows(EXCLUDE, (4,)):
        check_row(where, names, fs[1], fs[0], fs[3])
        out.append(tuple(fs))
    return out


def make_tsv():
    rows = []
    with open(CSV, encoding="utf-8", newline="") as f:
        outlets = list(csv.DictReader(f))
    names = {r["name"] for r in outlets}
    extra = read_translit(names)
    for r in outlets:
        base = AFFILIATION_WEIGHT.get(r["affiliation"], 0.5)
        terms = []
        for term in r["spelling_variants"].split(";"):
            term = term.strip()
            if term:
                terms.append((term, term_language(term, r["languages"]), term in WEAK))
        have = {t for t, _, _ in terms}
        for term, lang, weak in extra.get(r["name"], []):
            if term in have:
                sys.exit("%s: %r is already a variant of %r" % (TRANSLIT, term, r["name"]))
            terms.append((term, lang, weak))
        for term, lang, weak in terms:
            w = base / 2 if weak else base
            rows.append((term, r["name"], r["kind"], lang,
                         "weak" if weak else "strong", "%.2f" % w))
    for term, outlet, kind, lang in read_exclusions(names):
        rows.append((term, outlet, kind, lang, "exclude", "1.00"))
    out = ["# vigil outlet watchlist. Generated by make_watchlist.py from",
           "# source/outlets.csv; format in README.md. Add your own rows at",
           "# the end or keep them in a separate file (vigil scan --watchlist).",
           "term\toutlet\tkind\tlanguage\tstrength\tweight"]
    out += ["\t".join(r) for r in rows]
    with open(TSV, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")


def make_c():
    data = open(TSV, "rb").read()
    lines = ["/*",
             " * text/watchlist_data.c - the bundled watchlist "
             "(data/watchlist/outlets.tsv)",
             " * as bytes. Generated by data/watchlist/make_watchlist.py; "
             "do not edit.",
             " */",
             "extern const unsigned char vigil__watchlist_default_tsv[];",
             "const unsigned char vigil__watchlist_default_tsv[] = {"]
    for i in range(0, len(data), 16):
        lines.append("    " + ", ".join("0x%02x" % b for b in data[i:i + 16])
                     + ",")
    lines.append("    0x00")
    lines.append("};")
    with open(CFILE, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what in ("tsv", "all"):
        make_tsv()
    if what in ("c", "all"):
        make_c()
    if what not in ("tsv", "c", "all"):
        sys.exit("usage: make_watchlist.py [tsv|c|all]")


if __name__ == "__main__":
    main()
