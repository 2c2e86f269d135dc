#!/usr/bin/env python3
"""Write a folder corpus of many .txt files from a .jsonl(.gz) corpus.

File i holds the text of source document i (the source taken again from
its start when it runs out), cut to at most --max-chars characters, in
OUT/dNN/docNNNNNNN.txt over --folders subfolders (i modulo the count):
a folder of 100,000 files as a corpus of downloaded articles arrives.
Deterministic: the same source and arguments give the same files.

Usage:
  benches/folder-corpus.py SOURCE.jsonl[.gz] OUT_DIR N_FILES [--folders 100] [--max-chars 3000]
"""

import argparse
import gzip
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("out")
    ap.add_argument("n_files", type=int)
    ap.add_argument("--folders", type=int, default=100)
    ap.add_argument("--max-chars", type=int, default=3000)
    a = ap.parse_args()
    if os.path.exists(a.out):
        sys.exit(f"{a.out}: exists; remove it or choose another folder")
    opener = gzip.open if a.source.endswith(".gz") else open
    texts = []
    with opener(a.source, "rt", encoding="utf-8-sig") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            if not isinstance(d, dict) or not isinstance(d.get("text"), str):
                sys.exit(f'{a.source}:{lineno}: no "text" string field; every line needs one')
            texts.append(d["text"][: a.max_chars])
            if len(texts) >= a.n_files:
                break
    if not texts:
        sys.exit(f"{a.source}: no documents")
    written = 0
    for i in range(a.n_files):
        folder = os.path.join(a.out, f"d{i % a.folders:02d}")
        os.makedirs(folder, exist_ok=True)
        data = texts[i % len(texts)].encode("utf-8")
        with open(os.path.join(folder, f"doc{i:07d}.txt"), "wb") as out:
            out.write(data)
        written += len(data)
    print(f"{a.out}: {a.n_files} files, {written / 1e6:.1f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
