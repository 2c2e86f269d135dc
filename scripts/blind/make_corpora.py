#!/usr/bin/env python3
"""Build the test corpora and lexicons for check_stats.py into target/blind/stats-corpora/."""
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from paths import ROOT, work  # noqa: E402
CORP = work("stats-corpora")
os.makedirs(CORP, exist_ok=True)


def wj(name, docs):
    with open(os.path.join(CORP, name), "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")


EDGE_TOML = '''name = "edge"
version = "1"
description = "test"
language = "english"

[[frame]]
id = "alpha"
label = "Alpha"
description = "alpha and alpha beta"
patterns = ["alpha", "alpha beta"]

[[frame]]
id = "beta"
label = "Beta"
description = "glob"
patterns = ["beta*"]

[[frame]]
id = "never"
label = "Never"
description = "no hits anywhere"
patterns = ["xyzzyq"]

[[frame]]
id = "gamma"
label = "Gamma"
description = "stem"
patterns = ["~gamma"]

[[frame]]
id = "delta"
label = "Delta"
description = "delta"
patterns = ["delta"]
'''

SECOND_TOML = '''name = "second"
version = "1"
description = "test"
language = "english"

[[frame]]
id = "alpha"
label = "Alpha again"
description = "same id in another lexicon"
patterns = ["alpha"]

[[frame]]
id = "eps"
label = "Eps"
description = "eps"
patterns = ["eps", "onlyg9"]
'''

with open(os.path.join(CORP, "edge.toml"), "w") as f:
    f.write(EDGE_TOML)
with open(os.path.join(CORP, "second.toml"), "w") as f:
    f.write(SECOND_TOML)

rng = random.Random(20261205)
VOC = ("alpha beta betas gamma gammas delta eps the and of not no having haves other others "
       "china cooperation river stone lamp paper cloud window".split())


def rtext(n, extra=()):
    ws = [rng.choice(VOC) for _ in range(n)] + list(extra)
    rng.shuffle(ws)
    out = []
    for k, w in enumerate(ws):
        out.append(w)
        if rng.random() < 0.12:
            out[-1] += "."
    return " ".join(out)


# ---------------------------------------------------------------- edge corpus
edge = []
edge.append(dict(id="g1-1", text=rtext(30, ["onlyref", "zzall"]), group="g1", date="2019-03-01"))
for k in range(2):
    edge.append(dict(id=f"g2-{k+1}", text=rtext(20 + 7 * k, ["onlyref", "zzall"]), group="g2", date="2020"))
for k in range(8):
    # alpha count = k (distinct per-document rates; same length)
    t = " ".join(["alpha"] * k + ["river"] * (25 - k) + ["zzall", "onlyref"])
    edge.append(dict(id=f"g8-{k+1}", text=t, group="g8", date=f"202{k % 3}-0{k % 9 + 1}"))
for k in range(9):
    t = " ".join(["alpha"] * (k + 3) + ["stone"] * (20 + k) + ["onlyg9", "zzall"]) + ". " + rtext(5)
    edge.append(dict(id=f"g9-{k+1}", text=t, group="g9", date=f"2021-1{k % 3}-0{k + 1}"))
edge.append(dict(id="gE-empty", text="", group="gE", date="2021"))
edge.append(dict(id="gE-punct", text="!!! --- ... ,,, ‘’ “”", group="gE", date="2022"))
edge.append(dict(id="gE-1", text=rtext(12, ["zzall"]), group="gE", date="2022-02-02"))
for k, d in enumerate(edge):
    d["kind"] = "empty" if d["id"] in ("gE-empty", "gE-punct") else ("odd" if k % 2 else "even")
wj("edge.jsonl", edge)

# ---------------------------------------------------------------- ties
ties = []
for g in "AB":
    for k in range(6):
        # every document 10 tokens; alpha 0/1/2 → tied rates within and across groups;
        # words w1..w6 each once per document of A (equal counts → equal p-values)
        h = [0, 1, 1, 2, 0, 1][k] if g == "A" else [1, 0, 2, 2, 1, 0][k]
        words = ["alpha"] * h + ["common"]
        if g == "A":
            words += ["wone", "wtwo", "wthree"]
        else:
            words += ["wfour", "wfive", "wsix"]
        words += ["filler"] * (10 - len(words))
        ties.append(dict(id=f"{g}{k+1}", text=" ".join(words), group=g, date=f"20{10 + k}"))
wj("ties.jsonl", ties)

# ---------------------------------------------------------------- precision
prec = []
# c = 200000 target tokens, d = 100000 reference tokens: `half` has equal rates (G2 = 0 exactly),
# `near` differs by one token (tiny G2), `huge`/`pad` give G2 ~ 1e5 (p underflows to 0).
prec.append(dict(id="T1", text=" ".join(["huge"] * 60000 + ["half"] * 1000 + ["near"] * 1001 + ["pad"] * 37948
                                        + ["mid"] * 50 + ["rare"]), group="T"))
prec.append(dict(id="T2", text=" ".join(["huge"] * 40000 + ["half"] * 1000 + ["near"] * 1000 + ["pad"] * 57993
                                        + ["alpha"] * 7), group="T"))
prec.append(dict(id="R1", text=" ".join(["half"] * 1000 + ["near"] * 1000 + ["pad"] * 47950 + ["mid"] * 10
                                        + ["zero"] * 40), group="R"))
prec.append(dict(id="R2", text=" ".join(["pad"] * 49999 + ["rare"]), group="R"))
# G2 just around the chi2 tail's hard region: moderate counts in a huge table
prec.append(dict(id="T3", text=" ".join(["pair%d" % k for k in range(1, 40) for _ in range(k)]), group="T3"))
wj("prec.jsonl", prec)

# ---------------------------------------------------------------- one document
wj("one.jsonl", [dict(id="only", text="Win-win cooperation and mutual benefit. Sovereignty! Terrorism and "
                                        "separatism; the SCO and the United Nations. Friendship, friendship.",
                      group="x", date="2020-02-02")])

# ---------------------------------------------------------------- sentences of the default corpus
sents = []
for fn in sorted(os.listdir(os.path.join(ROOT, "corpus"))):
    if fn.endswith(".txt"):
        with open(os.path.join(ROOT, "corpus", fn), encoding="utf-8") as f:
            txt = f.read()
        for s in re.split(r"(?<=[.!?])\s+", txt):
            s = s.strip()
            if s:
                sents.append(s)

med = []
groups = ["alpha", "beta", "gamma"]
for k in range(60):
    n = rng.choice([1, 1, 2, 3, 5, 8, 13])
    text = " ".join(rng.choice(sents) for _ in range(n))
    med.append(dict(id=f"m{k:02d}", text=text, group=groups[k % 3] if k < 57 else "beta",
                    date=f"{2018 + k % 4}-{1 + k % 12:02d}-0{1 + k % 9}"))
wj("medium.jsonl", med)

big = []
for k in range(250):
    n = rng.choice([1, 2, 3])
    text = " ".join(rng.choice(sents) for _ in range(n))
    big.append(dict(id=f"b{k:03d}", text=text, date=f"{2015 + k % 3}-0{1 + k % 9}"))
wj("big250.jsonl", big)

wj("big200.jsonl", big[:200])
wj("big201.jsonl", big[:201])
bigx = [dict(d) for d in big]
del bigx[7]["date"]
wj("big250-nodate.jsonl", bigx)

# Mann-Whitney: 8 target documents without ties against 300 (exact path, large n2); 9 against 9 (normal, no ties)
mw = []
rates = set()
for i in range(8):
    h, n = 2 * i + 1, 40 + 3 * i
    mw.append(dict(id=f"t{i}", text=" ".join(["alpha"] * h + ["filler"] * (n - h)), group="T8", date="2020"))
from fractions import Fraction
seen = {Fraction(2 * i + 1, 40 + 3 * i) for i in range(8)}
for j in range(300):
    h, n = 1 + j % 17, 60 + j
    while Fraction(h, n + j % 2) in seen:
        n += 1
    seen.add(Fraction(h, n + j % 2))
    mw.append(dict(id=f"r{j}", text=" ".join(["alpha"] * h + ["filler"] * (n - h) + ["delta"] * (j % 2)), group="R300", date="2021"))
for i in range(9):
    mw.append(dict(id=f"n{i}", text=" ".join(["alpha"] * (i + 2) + ["filler"] * (50 + 5 * i)), group="N9a", date="2022"))
    mw.append(dict(id=f"m{i}", text=" ".join(["alpha"] * (i + 1) + ["filler"] * (47 + 3 * i)), group="N9b", date="2022"))
rs = [d["text"].split().count("alpha") / len(d["text"].split()) for d in mw]
assert len(set(rs[:8] + rs[8:308])) == 308, "ties in mw corpus"
wj("mw.jsonl", mw)

# DP with a document without tokens: x in one document
wj("dpempty.jsonl", [dict(id="A", text="x y"), dict(id="B", text="z z"), dict(id="C", text="")])
wj("dpnoempty.jsonl", [dict(id="A", text="x y"), dict(id="B", text="z z")])

# p-values deep in the tail: G2 from ~1300 to ~1520 (p from 1e-285 down into subnormals and 0)
tw = []
for k in range(24):
    tw += ["tail%02d" % k] * (940 + 5 * k)
tw += ["padt"] * (26000 - len(tw))
tr = ["padr"] * 26000
wj("tail.jsonl", [dict(id="T", text=" ".join(tw), group="T"), dict(id="R", text=" ".join(tr), group="R")])

# Mann-Whitney, normal path far in the tail: 150 against 150 documents, fully separated (with and without ties)
sep = []
for i in range(150):
    sep.append(dict(id=f"hi{i}", text=" ".join(["alpha"] * (20 + i % 7) + ["filler"] * (30 + i)), group="HI"))
    sep.append(dict(id=f"lo{i}", text=" ".join(["alpha"] * (1 + i % 3) + ["filler"] * (300 + 2 * i)), group="LO"))
wj("mwsep.jsonl", sep)

WHSRC = os.path.join(ROOT, "target", "bench", "wh-briefings.jsonl")
if os.path.exists(WHSRC):
    out = []
    with open(WHSRC, encoding="utf-8") as f:
        for k, line in enumerate(f):
            if k >= 300:
                break
            o = json.loads(line)
            o["part"] = f"p{k % 3}"
            o["month"] = o.get("date", "")[:7]
            out.append(o)
    wj("wh300.jsonl", out)
    # the first 300 lines unchanged, for run's default comparison (all dated 2025)
    with open(WHSRC, encoding="utf-8") as f, open(os.path.join(CORP, "wh300-raw.jsonl"), "w", encoding="utf-8") as g:
        for k, line in enumerate(f):
            if k >= 300:
                break
            g.write(line)
print("corpora in", CORP)
