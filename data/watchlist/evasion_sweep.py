#!/usr/bin/env python3
"""evasion_sweep.py - how many evasion spellings of the watchlist's strong
terms `vigil scan` finds. Measurement, not a test: the unit test
`test_text_watchlist__evasion_sweep` guards the plain kind in CTest.

usage: python3 data/watchlist/evasion_sweep.py [--harsh|--contexts]
                                               [VIGIL_BINARY] [OUTLETS_TSV]

Every strong term of outlets.tsv is written 30 times (fixed seed):
  plain     two or three random evasions: look-alikes of the other script,
            leetspeak, separators between the letters, mixed case,
            fullwidth forms, combining accents, ZWNJ; for Arabic script
            tatweel, harakat, presentation forms, ZWNJ, separators, letters
            written without their dots;
  --harsh   the same plus a typo (one letter doubled or stretched to
            three) in the pool, and a fifth shown reversed under a bidi
            override;
  --contexts  the term as written, in 30 wrappers (quotes, brackets,
            hashtags, emoji, Arabic and Urdu punctuation, markup) with
            random text before and after.
Prints the cases, the misses by evasion and the first misses.
"""
import collections
import json
import random
import subprocess
import sys
import unicodedata

HOMO = {"a": "а", "o": "о", "e": "е", "c": "с", "p": "р", "x": "х", "y": "у",
        "A": "А", "O": "О", "E": "Е", "K": "К", "M": "М", "H": "Н", "T": "Т",
        "B": "В", "C": "С", "X": "Х", "P": "Р"}
LEET = {"a": "4", "e": "3", "o": "0", "s": "5", "t": "7", "A": "4", "E": "3",
        "O": "0", "S": "5", "l": "1"}
PRES = {}
for _cp in range(0xFE70, 0xFF00):
    _n = unicodedata.normalize("NFKC", chr(_cp))
    if len(_n) == 1:
        PRES.setdefault(_n, chr(_cp))


def arabic(t):
    return any("\u0600" <= c <= "\u06ff" for c in t)


def homo(t):
    return "".join(HOMO.get(c, c) if random.random() < .5 else c for c in t)


def leet(t):
    return "".join(LEET.get(c, c) if random.random() < .5 else c for c in t)


def sep(t):
    s = random.choice([".", "-", "_", " ", "\u200b", "\u00ad", "*"])
    return s.join(c for c in t if c != " ")


def case(t):
    return "".join(c.upper() if random.random() < .5 else c.lower() for c in t)


def full(t):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" and random.random() < .5
                   else c for c in t)


def accent(t):
    return unicodedata.normalize("NFC", "".join(
        c + random.choice(["\u0301", "\u0300", "\u0304", "\u0323"])
        if c.isalpha() and random.random() < .3 else c for c in t))


def tatweel(t):
    return "".join(c + "\u0640" if "\u0621" <= c <= "\u064a" and random.random() < .5
                   else c for c in t)


def harakat(t):
    return "".join(c + random.choice("\u064e\u064f\u0650\u0652\u0651")
                   if "\u0621" <= c <= "\u064a" and random.random() < .5 else c
                   for c in t)


RASM = {"ب": "ٮ", "ت": "ٮ", "ث": "ٮ", "ن": "ٮ", "ي": "ٮ", "ی": "ٮ", "پ": "ٮ",
        "ج": "ح", "خ": "ح", "چ": "ح", "ذ": "د", "ز": "ر", "ژ": "ر", "ش": "س",
        "ض": "ص", "ظ": "ط", "غ": "ع", "ف": "ڡ", "ق": "ٯ", "ئ": "ٮ"}


def dotless(t):
    """every letter, as a converter writes it"""
    return "".join(RASM.get(c, c) for c in t)


def pres(t):
    return "".join(PRES.get(c, c) if random.random() < .5 else c for c in t)


def zwnj(t):
    return "".join(c + "\u200c" if random.random() < .3 else c for c in t)


def double(t):
    i = [k for k, c in enumerate(t) if c.isalpha() and c.lower() not in "iv"]
    if not i:
        return t
    k = random.choice(i)
    return t[:k] + t[k] + t[k:]


def stretch(t):
    i = [k for k, c in enumerate(t) if c.isalpha()]
    k = random.choice(i)
    return t[:k] + t[k] * 3 + t[k + 1:]


CONTEXTS = ["%s", "(%s)", "«%s»", "\"%s\"", "#%s", "%s:", "%s!", "%s.", "— %s —",
            "%s,", "[%s]", "*%s*", "_%s_", "🔥%s🔥", "📢 %s", "%s 📢", "• %s",
            "%s…", "'%s'", "“%s”", "<b>%s</b>", "**%s**", "%s?!", "→%s",
            "%s\u200f", "\u200f%s", "\u061f%s\u061f", "،%s،", "%s؛", "%s।"]
BEFORE = ["news ", "خبر ", "новости ", "", "Breaking: ", "12:30 ", "@user ", "RT ",
          "https://t.me/x "]
AFTER = [" today", " امروز", " сегодня", "", " #tag", " 2024", " https://x.com/y"]


def cases_for(strong, mode):
    out = []
    latin = [homo, leet, sep, case, full, accent, zwnj]
    arab = [tatweel, harakat, pres, zwnj, sep, dotless]
    if mode == "harsh":
        latin += [double, stretch]
    for term, outlet in strong:
        if mode == "contexts":
            for c in CONTEXTS:
                out.append(("context", outlet, random.choice(BEFORE) + (c % term)
                            + random.choice(AFTER)))
            continue
        for _ in range(30):
            pool = arab if arabic(term) else latin
            fs = random.sample(pool, random.choice([2, 3]))
            if dotless in fs:           # a converter's output, evaded further
                fs.remove(dotless)
                fs.insert(0, dotless)
            v = term
            for f in fs:
                v = f(v)
            names = [f.__name__ for f in fs]
            if mode == "harsh" and random.random() < .2:
                v = ("\u202d" if arabic(term) else "\u202e") + v[::-1] + "\u202c"
                names.append("reversed")
            ctx = ("خبر %s امروز" if arabic(term) else "Post from %s today") % v
            out.append(("+".join(names), outlet, ctx))
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    mode = "harsh" if "--harsh" in sys.argv else \
        "contexts" if "--contexts" in sys.argv else "plain"
    vigil = args[0] if args else "build/vigil"
    tsv = args[1] if len(args) > 1 else "data/watchlist/outlets.tsv"
    random.seed({"plain": 11, "harsh": 23, "contexts": 7}[mode])
    rows = [l.rstrip("\n").split("\t") for l in open(tsv, encoding="utf8")
            if l.strip() and not l.startswith("#") and not l.startswith("term\t")]
    strong = [(r[0], r[1]) for r in rows if r[4] == "strong"]
    cases = cases_for(strong, mode)
    res = subprocess.run([vigil, "scan", "-"], input="\n".join(c[2] for c in cases) + "\n",
                         capture_output=True, text=True, check=True)
    miss = [c for c, o in zip(cases, res.stdout.split("\n"))
            if not any(h["outlet"] == c[1] for h in json.loads(o)["hits"])]
    print("%s sweep: %d cases, %d missed" % (mode, len(cases), len(miss)))
    by = collections.Counter(n for c in miss for n in c[0].split("+"))
    if by:
        print("misses by evasion:", ", ".join("%s %d" % kv for kv in by.most_common()))
    for c in miss[:20]:
        print("  %s | %s" % (c[0], c[2]))


if __name__ == "__main__":
    main()
