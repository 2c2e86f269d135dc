#!/usr/bin/env python3
"""Write a corpus of a requested size by resampling paragraphs of a real one.

Deterministic: the same source and size give the same bytes on every
machine (a fixed xorshift generator, no Python `random`, no hashing).
Each output document takes a source document (at random) as its model:
its metadata (every field but `id`, `text` and `title`, in the source's
order: for wh-briefings date, category, administration) and as many
paragraphs as it has, drawn from the whole source. So vocabulary,
sentence lengths, frame rates and the spread of document lengths (a
corpus of tweets stays one of tweets, of long speeches one of long
speeches) stay those of the real corpus while the size grows.

The source may be any corpus framescope reads: a .jsonl, .json, .csv or .tsv file
(any may be .gz) or a folder of .txt files (with or without
manifest.csv); the output is always a .jsonl file.

Usage:
  benches/gen-corpus.py SIZE_MB OUT.jsonl [--source ../shared/corpora/wh-briefings.jsonl.gz]
      [--text-field text]   (the field holding the text, in the source and the output)
      [--id-field id]       (the field holding the id: left out of the metadata, and
                             the name the output's ids are written under)
      [--name-fields A,B,C] [--name-sep _]   (a folder source's metadata from its
                             file names, as framescope's options of the same names)
"""

import argparse
import json
import sys

from corpus_source import documents

MASK = (1 << 64) - 1


class XorShift:
    def __init__(self, seed=0x9E3779B97F4A7C15):
        self.s = seed

    def next(self, n):
        s = self.s
        s ^= s >> 12
        s ^= (s << 25) & MASK
        s ^= s >> 27
        self.s = s
        return (((s * 0x2545F4914F6CDD1D) & MASK) >> 33) % n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("size_mb", type=float)
    ap.add_argument("out")
    ap.add_argument("--source", default="../shared/corpora/wh-briefings.jsonl.gz")
    ap.add_argument("--text-field", default="text")
    ap.add_argument("--id-field", default="id")
    ap.add_argument("--name-fields", default="")
    ap.add_argument("--name-sep", default="_")
    a = ap.parse_args()
    field, id_field = a.text_field, a.id_field
    texts, metas = [], []
    names = [n for n in a.name_fields.split(",")] if a.name_fields else None
    for d in documents(a.source, field, names, a.name_sep):
        texts.append(d[field] if isinstance(d[field], str) else "")
        metas.append({k: v for k, v in d.items() if k not in (id_field, field, "title")})
    # Paragraphs are separated by blank lines, or by line breaks in a
    # corpus without a single blank line.
    sep = "\n\n" if any("\n\n" in t for t in texts) else "\n"
    paragraphs = []
    # Each source document's number of paragraphs (at least 1).
    lengths = []
    for t in texts:
        ps = [p.strip() for p in t.split(sep) if p.strip()]
        paragraphs.extend(ps)
        lengths.append(max(1, len(ps)))
    del texts
    if not paragraphs:
        sys.exit(f"{a.source}: no paragraphs")
    target = int(a.size_mb * 1e6)
    rng = XorShift()
    written = 0
    i = 0
    with open(a.out, "w", encoding="utf-8", newline="\n") as out:
        while written < target:
            model = rng.next(len(metas))
            k = lengths[model]
            text = "\n\n".join(paragraphs[rng.next(len(paragraphs))] for _ in range(k))
            doc = {id_field: f"g{i:07d}"}
            doc.update(metas[model])
            doc[field] = text
            line = json.dumps(doc, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            i += 1
    print(f"{a.out}: {i} documents, {written / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
