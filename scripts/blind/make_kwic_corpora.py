"""Corpora for check_kwic.py, written to target/blind/kwic-corpora/."""
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paths import ROOT, work  # noqa: E402
import cases  # noqa: E402

OUT = work("kwic-corpora")
os.makedirs(OUT, exist_ok=True)


def write(name, docs):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")


# edges: sort ties, keys past edges, case and Unicode in sort keys, empty docs
edge_texts = [
    "x",
    "",
    "x apple. x Apple! x APPLE\n\nx apple x",
    "x é x z x É x Z x ß x ss x ﬁ x fi x 中 x 1 x İ x i̇ x ς x Σ x σ x ǅ x ǆ x a's x a’s x a x A x",
    "b a x. x a b",
    "   ",
    "... !!!",
    "Mr. x said x. U.S. x x x",
    "x x x x x x x x x x x x",
    "one two three x",
    "x one two three",
    "x\n\nx\n\nx",
    "中国 x 中 x 日本 x ｘ Ｘ x",
    "x-ray x x-ray x's x’s X’S",
    "a b c d e f x g h i j k l",
    "\u00c5 x \u212b x A\u030a x a\u030a x",
    "x ÿ x ā x ǀ x ɐ x ʼx x ab x a-b x a.b x a,b x 1,2 x",
]
edges = [{"id": f"e{k:02d}", "text": t, "voice": ["v1", "v2", ""][k % 3], "date": f"{2000 + k % 4}-01-0{1 + k % 9}"}
         for k, t in enumerate(edge_texts)]
edges.append({"id": "=eq", "text": "x =x +x", "voice": "v1", "date": "2001"})
edges.append({"id": "-7", "text": "x y x", "voice": "v2", "date": "2002-05"})
write("edges.jsonl", edges)

# near: targets t, near words n, m at various distances, sentence and doc edges
near_texts = [
    "n t", "t n", "n x t", "t x n", "n x x t", "t x x n", "n x x x t x x x n",
    "n. t", "t. n", "n\n\nt", "t! x n", "n m t", "t n m", "n m x t", "t x n m",
    "t x x n m", "n m x x t", "t t", "t n t", "n t n", "t m n", "x x x x t x x x x",
    "n x x x x x t x x x x x n", "n x x x x t x x x x n", "n t n t n", "n-m t", "t n's",
    "N t", "t N", "t m", "m t", "t t t n",
]
near_docs = [{"id": f"n{k:02d}", "text": t} for k, t in enumerate(near_texts)]
write("near.jsonl", near_docs)

# overlap: several patterns whose lines overlap
ov_texts = [
    "a b a b a a b", "a a a a", "b a b", "run running runs a b", "a. b a", "a b\n\nb a",
    "A B a b A's", "b b b a", "", "a",
]
write("overlap.jsonl", [{"id": f"o{k}", "text": t} for k, t in enumerate(ov_texts)])

# random small-vocabulary documents: near/sort/sentence fuzz
rng = random.Random(4242)
VOC = ["t", "t", "t", "T", "n", "n", "m", "x", "y", "t's", "n-m", "é", "Z", "中", "a", "b", "not", "run", "running"]
SEP = [" ", " ", " ", " ", ". ", "! ", "\n\n", "\n", ", ", " ? "]
rdocs = []
for k in range(400):
    L = rng.randint(0, 30)
    parts = []
    for _ in range(L):
        parts.append(rng.choice(VOC))
        parts.append(rng.choice(SEP))
    rdocs.append({"id": f"r{k:03d}", "text": "".join(parts).strip(" ") if rng.random() < 0.5 else "".join(parts),
                  "voice": rng.choice(["alpha", "beta", "gamma", ""]), "date": str(rng.choice([1999, 2000, 2001]))})
write("rand.jsonl", rdocs)

# cases.py generators
pdocs = [{"id": f"p{k:03d}", "text": t, "voice": ["a", "b"][k % 2], "date": "2020"}
         for k, t in enumerate(cases.random_prose(300, seed=7))]
write("prose.jsonl", pdocs)
tdocs = [{"id": f"m{k:03d}", "text": t} for k, t in enumerate(cases.random_texts(200, seed=8))]
tdocs += [{"id": f"h{k:03d}", "text": t} for k, t in enumerate(cases.HAND)]
write("mixed.jsonl", tdocs)

# White House briefings, first 200 lines
src = os.path.join(ROOT, "target", "bench", "wh-briefings.jsonl")
if os.path.exists(src):
    with open(src, encoding="utf-8") as f, open(os.path.join(OUT, "wh200.jsonl"), "w", encoding="utf-8") as g:
        for k, ln in enumerate(f):
            if k >= 200:
                break
            g.write(ln)

# lexicons
with open(os.path.join(OUT, "ov.toml"), "w") as f:
    f.write('''name = "ov"
version = "1"
description = "overlap test"
language = "english"

[[frame]]
id = "f1"
label = "f1"
description = "d"
patterns = ["a", "a b", "b a", "a * a", "~run"]

[[frame]]
id = "f2"
label = "f2"
description = "d"
patterns = ["t", "t n", "n*", "x"]

[[frame]]
id = "f3"
label = "f3"
description = "d"
patterns = ["* b", "a", "win-win", "cooperat*", "security", "china", "~develop", "the *"]
''')
print("corpora written to", OUT)

# the default corpus, as JSONL (manifest order, metadata kept)
import csv as _csv
with open(os.path.join(ROOT, "corpus", "manifest.csv"), encoding="utf-8", newline="") as f:
    rows = list(_csv.DictReader(f))
with open(os.path.join(OUT, "default.jsonl"), "w", encoding="utf-8") as g:
    for r in rows:
        with open(os.path.join(ROOT, "corpus", r.pop("file")), encoding="utf-8") as h:
            r["text"] = h.read()
        g.write(json.dumps(r, ensure_ascii=False) + "\n")
