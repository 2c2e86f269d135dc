#!/usr/bin/env python3
"""Long/many-document conformance check of framescope (paths.BIN) against CONTRACT.md.

Usage:  VENV/bin/python scripts/blind/check_long.py [--corpora B,L,M,W]
            [--skip corpus,tokens,freq,kwic,run,spill,csv] [--threads-list 1,2] [--max-hits N (0: no cap)]
Full run: --corpora B,L,M (about 6.5 min) then --corpora W (3 min); all hits uncapped:
          --corpora L,W --max-hits 0 --skip corpus,tokens,freq,kwic,spill,csv (1.5 min).
Corpora (written to target/blind/long/):
  L  long documents (1.5-6 MB, plus sizes at 1 MiB -1/0/+1 and 2 MiB) with adversarial constructs
     placed exactly on byte offsets k*1048576 (and others at k*MiB-400 / +300), dense
     adversarial text around each boundary; L.csv the same documents as CSV.
  B  one 3 MB single-sentence document, one 2 MB document without white space, one 1.5 MB single token.
  M  20,000 tiny documents (some empty) with 30 medium ones (100-600 KB) interleaved.
  W  22 documents of 1.1 MB, each with a 1,000-3,000-byte run of white space / separators
     (blank lines, lone LFs, ideographic spaces, abbreviation dots, ZWSP) straddling 1 MiB.
  L also checked as .csv, .jsonl.gz, .csv.gz (byte-identical outputs) and with --table-memory 1.
Every binary command runs at each thread count; outputs must be byte-identical between thread
counts; the threads=1 output is compared with the independent implementation (contract_impl.py).
Disagreements -> target/blind/long/disagreements.jsonl; summary on stdout.
"""
import argparse
import collections
import csv
import hashlib
import io
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract_impl as C  # noqa: E402
import cases  # noqa: E402
import check as CK  # noqa: E402  (pure helpers only: my_freq, read_csv, fclose, toml_str)
import numpy as np  # noqa: E402

from paths import BIN, work  # noqa: E402
WORK = work("long")
MiB = 1 << 20
DIS = []
EQ = collections.Counter()
csv.field_size_limit(1 << 30)


def disagree(kind, **kw):
    DIS.append(dict(kind=kind, **kw))
    print("  DISAGREE", kind, json.dumps(kw, ensure_ascii=False)[:400], file=sys.stderr)


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, file=sys.stderr, flush=True)


# ====================================================================== corpus building

MIXED = [c for c in cases.MIXED_ALPHABET]
WS_SET = set(C.WS_CHARS)
MIXED_NOWS = [c for c in MIXED if not any(ch in WS_SET for ch in c)]

# (prefix, rest, extra): the boundary falls len(prefix.encode()) + extra bytes into prefix+rest
CONS = [
    ("caf", "é cooperation", 1),
    ("中", "国人民 合作", 1), ("中", "国人民", 2),
    ("", "𠀀𠀁 x", 1), ("𠀀", "𠀁", 2), ("x", "𠀀y", 3),
    ("coope", "ration with", 0),
    ("win", "-win cooperation", 0), ("win-", "win cooperation", 0),
    ("U.S", ".-China relations", 0), ("U.S.", "-China", 0),
    ("1", ",000,000 years", 0), ("1,", "000 x", 0),
    ("China", "’s role", 0), ("China", "’s role", 1), ("China’", "s role", 0), ("China‘", "s role", 2),
    ("win-win", " cooperation", 0), ("win-win ", "cooperation", 0),
    ("mutual benefit", " development", 0), ("shared ", "future common destiny", 0),
    ("mutual", " big benefit", 0),
    ("never really truly ", "win-win", 0), ("not ", "cooperation", 0), ("doesn", "’t win-win", 1),
    ("no big", " win-win", 0), ("no", "t win-win", 0),
    ("end", ". Next win", 0), ("end.", " Next", 0), ("end", "!Next", 0),
    ("a\n", " \t\nb", 0), ("a\n \t", "\nb", 0), ("a\r\n", "\r\nb", 0), ("a\r", "\n\r\nb", 0), ("a\n", "\nb", 0),
    ("a", "\nb", 0),
    ("the U.S", ". The", 0), ("the U.S.", " The", 0), ("Mr", ". Smith", 0), ("Mr.", " Smith", 0),
    ("U.S.", ". The", 0), ("Dr", ".\n\nWho", 0),
    ("中文", "。中文", 1), ("中文。", "English", 0), ("a", "？b", 2),
    ("e", "\u0301 é", 0), ("e\u0301", " x", 0), ("a", "\u0301b", 1),
    ("👨", "\u200d👩\u200d👧 family", 1),
    ("x" * 2500, "x" * 2500 + " z", 0),
    ("it", "'s it’s", 0), ("it'", "s", 0),
    ("a ", "\u3000 b", 1), ("a\n", "\u3000\nb", 2),
    ("3", ".14 x", 0), ("a", ".b c", 0),
    ("Ⅻ", "running", 0), ("ﬁ", "nancial", 0), ("ﬁ", "nancial", 1),
    ("no ", "win-win", 0), ("rock", "'n'roll", 0),
    ("not a", " b win-win", 0), ("run", " fast", 0),
]

# constructs that neither break a sentence nor contain white space / sentence enders
NOBREAK_OK = lambda s: not any(ch in s for ch in ".!?。！？\n")  # noqa: E731


class Pools:
    def __init__(self, seed):
        self.prose = cases.random_prose(4000, seed, 80)
        self.rand = cases.random_texts(4000, seed + 1, 40)
        self.hand = list(cases.HAND)
        self.rng = random.Random(seed + 2)

    def filler(self):
        r = self.rng.random()
        if r < 0.6:
            s = self.rng.choice(self.prose)
        elif r < 0.75:
            s = self.rng.choice(self.hand)
        else:
            s = self.rng.choice(self.rand)
        return s + self.rng.choice([" ", " ", "\n", "\n\n", ". ", "。", "\n \n", " ! "])

    def dense(self, nows):
        alpha = MIXED_NOWS if nows else MIXED
        return "".join(self.rng.choice(alpha) for _ in range(self.rng.randint(5, 40)))


class Builder:
    def __init__(self, pools):
        self.p = pools
        self.parts = []
        self.n = 0

    def add(self, s):
        self.parts.append(s)
        self.n += len(s.encode("utf-8"))

    def fill_to(self, target, gen, pad=" "):
        """Append generated text until exactly `target` bytes (last chunk cut at a char boundary, then pad)."""
        assert target >= self.n, (target, self.n)
        while self.n < target:
            s = gen()
            b = len(s.encode())
            if self.n + b <= target:
                self.add(s)
                continue
            # cut
            room = target - self.n
            cut = ""
            acc = 0
            for ch in s:
                cb = len(ch.encode())
                if acc + cb > room:
                    break
                cut += ch
                acc += cb
            self.add(cut)
            self.add(pad * (target - self.n))
        assert self.n == target

    def text(self):
        return "".join(self.parts)


def place(b, B, cons, region_gen, pad):
    prefix, rest, extra = cons
    start = B - len(prefix.encode()) - extra
    if start < b.n:
        return False
    b.fill_to(start - b.p.rng.randint(0, 3), region_gen, pad)
    b.fill_to(start, lambda: pad, pad)
    b.add(prefix + rest)
    return True


def build_long_doc(pools, size, cons_iter, nows_every=2, kidx=[0]):
    """A document of `size` bytes: filler, and at each k*MiB a construct straddling it, dense text around."""
    b = Builder(pools)
    k = 1
    while k * MiB + 4000 < size:
        B = k * MiB
        kidx[0] += 1
        nows = kidx[0] % nows_every == 0
        pad = "/" if nows else " "
        dense = (lambda nows=nows: pools.dense(nows))
        b.fill_to(B - 2500, pools.filler)
        main = next(cons_iter)
        e1 = next(cons_iter)
        e2 = next(cons_iter)
        place(b, B - 400, e1, dense, pad)
        place(b, B, main, dense, pad)
        place(b, B + 300, e2, dense, pad)
        b.fill_to(max(b.n, B + 2000), dense, pad)
        k += 1
    b.fill_to(size, pools.filler)
    return b.text()


def build_exact_doc(pools, size, tail):
    b = Builder(pools)
    b.fill_to(size - len(tail.encode()), pools.filler)
    b.add(tail)
    t = b.text()
    assert len(t.encode()) == size
    return t


def cycle(lst, rng):
    while True:
        order = list(lst)
        rng.shuffle(order)
        for x in order:
            yield x


def build_L(seed=11):
    pools = Pools(seed)
    it = cycle(CONS, random.Random(seed))
    docs = []
    sizes = [1_500_000, 2_100_000, 2_900_000, 3_600_000, 4_400_000, 6_000_000]
    for i, s in enumerate(sizes):
        docs.append(dict(id=f"L{i}", text=build_long_doc(pools, s, it), group=f"G{i % 3}"))
    # exact sizes around the segment size, ending in a token / a hit / a construct
    for j, (s, tail) in enumerate([(MiB - 1, " not win-win"), (MiB, "中国"), (MiB + 1, " win-win cooperation"),
                                   (2 * MiB, " U.S. The end"), (MiB, "x" * 3000), (MiB + 2, "caf\u00e9")]):
        docs.append(dict(id=f"E{j}", text=build_exact_doc(pools, s, tail), group=f"G{j % 3}"))
    # a tiny doc and an empty one between the long ones
    docs.insert(3, dict(id="t0", text="win-win", group="G9"))
    docs.insert(5, dict(id="t1", text="", group="G9"))
    return docs


NOWS_SEPS = ["/", "_", "(", ")", "—", "，", "、", "…", "\u200b", "|", "“", "”", "·", "/", "/", "-", "--", "."]


def build_B(seed=21):
    pools = Pools(seed)
    rng = random.Random(seed)
    docs = []
    # (b1) one sentence of 3 MB: no sentence enders, no blank lines (single line feeds allowed)
    words = [w for w in cases.WORDS if w and NOBREAK_OK(w)] + ["U.S.", "Mr.", "Dr.", "not", "no", "1,000", "中国"]
    words = [w for w in words if w not in (".", "!", "?")]

    def sgen():
        w = rng.choice(words)
        if rng.random() < 0.1:
            w = w.upper()
        return w + rng.choice([" ", " ", ", ", "\n", "  ", " \u3000"])
    b = Builder(pools)
    nb = [c for c in CONS if NOBREAK_OK(c[0] + c[1])]
    it = cycle(nb, rng)
    for k in (1, 2):
        B = k * MiB
        b.fill_to(B - 1000, sgen)
        place(b, B - 400, next(it), sgen, " ")
        place(b, B, next(it), sgen, " ")
        place(b, B + 300, next(it), sgen, " ")
    b.fill_to(3_000_000, sgen)
    docs.append(dict(id="B1", text=b.text(), group="B"))
    # (b2) 2 MB without any white space
    nowords = [w for w in cases.WORDS if w and not any(ch in WS_SET for ch in w)]

    def ngen():
        r = rng.random()
        if r < 0.7:
            w = rng.choice(nowords)
        elif r < 0.9:
            w = rng.choice(MIXED_NOWS)
        else:
            w = "中国人民"
        return w + rng.choice(NOWS_SEPS)
    b = Builder(pools)
    b.fill_to(MiB - 75000 - 300, ngen, "/")
    b.add("not/win-win/" + "q" * 150000 + "/win-win/cooperation")  # 150 KB token straddles 1 MiB
    nw = [c for c in CONS if not any(ch in WS_SET for ch in c[0] + c[1])]
    it = cycle(nw, rng)
    for B in (MiB + 90000, MiB + 200000):
        place(b, B, next(it), ngen, "/")
    b.fill_to(2_000_000, ngen, "/")
    t = b.text()
    assert not any(ch in WS_SET for ch in t)
    docs.append(dict(id="B2", text=t, group="B"))
    # (b3) a single token of 1.5 MB (letters with marks and joiners)
    unit = "abcé-def’ghi.jk1,234l\u0301m"
    t = (unit * (1_500_000 // len(unit.encode()) + 1))
    docs.append(dict(id="B3", text="never " + t + "z win", group="B"))
    return docs


def build_M(seed=31):
    pools = Pools(seed)
    rng = random.Random(seed)
    tiny = []
    prose = cases.random_prose(8000, seed + 5, 30)
    rnd = cases.random_texts(8000, seed + 6, 30)
    for i in range(20000):
        r = rng.random()
        if r < 0.05:
            t = ""
        elif r < 0.07:
            t = rng.choice([" ", "\n", "\n\n", "\u3000", ".", "...", "\t"])
        elif r < 0.2:
            t = rng.choice(cases.HAND)
        elif r < 0.6:
            t = rng.choice(prose)
        else:
            t = rng.choice(rnd)
        g = f"g{rng.randint(0, 8)}" if i < 15000 else rng.choice(["g1", "late", "g3"])
        tiny.append(dict(id=f"m{i:05d}", text=t, group=g))
    # interleave 30 medium documents
    pos = sorted(rng.sample(range(20000), 30))
    out = []
    j = 0
    for i, d in enumerate(tiny):
        while j < len(pos) and pos[j] == i:
            size = rng.randint(100_000, 600_000)
            b = Builder(pools)
            b.fill_to(size, pools.filler)
            out.append(dict(id=f"med{j:02d}", text=b.text(), group=f"g{j % 9}"))
            j += 1
        out.append(d)
    return out


# long runs of white space / separators straddling k*MiB (gap state carried across a segment)
WRUNS = [
    ("end", "\n" + " " * 3000 + "\n", "Next", 1500),      # blank line: break
    ("end", " " * 3000, "Next", 1500),                      # no break
    ("U.S", "." + " " * 3000, "The", 1500),                # abbreviation dot first: no break
    ("end", " " * 3000 + ".", "Next", 3000),               # dot at the end of a long gap: break
    ("Mr", "/" * 3000 + ". ", "x", 1500),                   # dot not first: break
    ("end", "\n" + "\u3000" * 1000 + "\n", "Next", 1501),  # ideographic space is not a blank line: no break
    ("end", "\r\n" + " \t" * 1500 + "\r\n", "Next", 1500),  # break
    ("a", "\u200b" * 2000, "b", 3001),                      # separator, not white space
    ("no", "\n" + "\t" * 3000, "win-win", 1500),            # lone line feed: no break; negated hit
    ("mr", "." + "\n" * 1, "" + " " * 2999 + "\n" + "win", 1),  # 'mr' + '.' first, LF ... LF -> blank line? (spaces between)
    ("the U.S", ". \n" + " " * 2000 + "\n", "The", 1000),      # abbreviation, then blank line: break
]


def build_W(seed=41):
    pools = Pools(seed)
    docs = []
    for wi, (pre, run, post, off) in enumerate(WRUNS):
        for delta in (0, 7):
            b = Builder(pools)
            B = MiB
            start = B - off - delta - len(pre.encode())
            b.fill_to(start - 1, pools.filler)
            b.add(" ")
            b.add(pre + run + post + " not win-win cooperation ")
            b.fill_to(B + 60000, pools.filler)
            docs.append(dict(id=f"W{wi}_{delta}", text=b.text(), group=f"W{wi % 3}"))
    return docs


def write_csv(path, docs):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "text", "group"])
        for d in docs:
            w.writerow([d["id"], d["text"], d["group"]])


# ====================================================================== analysis (mine)

class Doc:
    """My analysis of one document, with numpy arrays for fast matching."""

    def __init__(self, d, vocab):
        self.id = d["id"]
        self.text = d["text"]
        self.group = d["group"]
        self.toks = C.analyze(self.text)
        self.n = len(self.toks)
        self.nid = np.array([vocab.setdefault(t.norm, len(vocab)) for t in self.toks], dtype=np.int64)
        self.sent = np.array([t.sentence for t in self.toks], dtype=np.int64)
        neg = np.array([(t.norm in C.NEG or t.norm.endswith("n't")) for t in self.toks], dtype=bool)
        negd = np.zeros(self.n, dtype=bool)
        for k in (1, 2, 3):
            if self.n > k:
                negd[k:] |= neg[:-k] & (self.sent[:-k] == self.sent[k:])
        self.negated = negd


class Analysis:
    """All documents concatenated: global token arrays, sentences numbered corpus-wide so that no
    match can cross a document (a match never crosses a sentence)."""

    def __init__(self, docs):
        self.vocab = {}
        self.docs = [Doc(d, self.vocab) for d in docs]
        self.by = {d.id: d for d in self.docs}
        self.norms = [None] * len(self.vocab)
        for k, v in self.vocab.items():
            self.norms[v] = k
        self._tv = {}
        self.reps = []
        for nrm in self.norms:
            t = C.Token()
            t.norm = nrm
            t.stem = C.stem(nrm)
            self.reps.append(t)
        offs = [0]
        soff = 0
        sents = []
        for d in self.docs:
            offs.append(offs[-1] + d.n)
            sents.append(d.sent + soff)
            soff += (int(d.sent[-1]) + 1) if d.n else 0
        self.offs = np.array(offs, dtype=np.int64)
        self.N = offs[-1]
        cat = lambda xs, dt: np.concatenate(xs).astype(dt) if xs else np.zeros(0, dt)  # noqa: E731
        self.nid = cat([d.nid for d in self.docs], np.int64)
        self.sent = cat(sents, np.int64)
        self.negated = cat([d.negated for d in self.docs], bool)
        self.docidx = np.repeat(np.arange(len(self.docs)), np.diff(self.offs))

    def A(self):
        return {d.id: d.toks for d in self.docs}

    def test_vec(self, kind, val, f):
        key = (kind, val)
        v = self._tv.get(key)
        if v is None:
            v = np.array([bool(f(t)) for t in self.reps], dtype=bool)
            self._tv[key] = v
        return v

    def match_arr(self, nid, sent, tests):
        n, k = len(nid), len(tests)
        if n < k:
            return np.zeros(0, dtype=bool)
        L = n - k + 1
        m = np.ones(L, dtype=bool)
        for j, (kind, val, f) in enumerate(tests):
            if kind != "any":
                m &= self.test_vec(kind, val, f)[nid[j:j + L]]
            if j > 0:
                m &= sent[j:j + L] == sent[:L]
        return m

    def _match(self, nid, sent, pats):
        arrs = [self.match_arr(nid, sent, t) for _, t in pats]
        lens = [len(t) for _, t in pats]
        anyv = np.zeros(len(nid), dtype=bool)
        for a in arrs:
            anyv[:len(a)] |= a
        hits = []
        nxt = 0
        for i in np.flatnonzero(anyv).tolist():
            if i < nxt:
                continue
            best = None
            for pi, (a, k) in enumerate(zip(arrs, lens)):
                if i < len(a) and a[i] and (best is None or k > best[1]):
                    best = (pi, k)
            hits.append((i, i + best[1] - 1, best[0]))
            nxt = i + best[1]
        return hits

    def match_frame(self, doc, pats):
        """One document: [(i, j, pattern index)], leftmost-longest (CONTRACT §7)."""
        return self._match(doc.nid, doc.sent, pats)

    def match_global(self, pats):
        """Whole corpus: [(doc index, i, j, pattern index)] in document order."""
        out = []
        for (gi, gj, pi) in self._match(self.nid, self.sent, pats):
            di = int(self.docidx[gi])
            o = int(self.offs[di])
            out.append((di, gi - o, gj - o, pi))
        return out

    def kwic(self, doc, i, j, w):
        return C.kwic_parts(doc.text, doc.toks, i, j, w)


def selftest_fast_matcher(an, pats_list):
    """My fast matcher must equal contract_impl.match_frame (on the small documents)."""
    bad = 0
    small = [d for d in an.docs if d.n <= 3000][:4000]
    for d in small:
        if any(C.is_negated(d.toks, i) != bool(d.negated[i]) for i in range(d.n)):
            bad += 1
    for pats in pats_list:
        g = collections.defaultdict(list)
        for (di, i, j, pi) in an.match_global(pats):
            g[di].append((i, j, pi))
        for di, d in enumerate(an.docs):
            if d.n > 3000:
                continue
            ref = C.match_frame(pats, d.toks)
            if g.get(di, []) != ref or an.match_frame(d, pats) != ref:
                bad += 1
    assert bad == 0, "fast matcher differs from contract_impl"


# ====================================================================== running the binary

def runbin(threads, args, out_path=None, ok_fail=False):
    cmd = [BIN, "--threads", str(threads), "-q"] + args
    if out_path:
        with open(out_path, "wb") as f:
            p = subprocess.run(cmd, stdout=f, stderr=subprocess.PIPE)
    else:
        p = subprocess.run(cmd, capture_output=True)
    if p.returncode != 0 and not ok_fail:
        raise RuntimeError(f"{cmd}: rc={p.returncode} {p.stderr.decode(errors='replace')[:2000]}")
    return p


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 22)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


THREADS = [1, 2]


def run_all_threads(tag, args):
    """Run at every thread count into files; compare bytes; return the threads=1 path."""
    paths = []
    for th in THREADS:
        p = f"{WORK}/out/{tag}.t{th}"
        runbin(th, args, p)
        paths.append(p)
    h0 = sha(paths[0])
    for p, th in zip(paths[1:], THREADS[1:]):
        if sha(p) != h0:
            disagree("threads differ", what=tag, args=args, threads=th)
        else:
            EQ["outputs byte-identical across thread counts"] += 1
    for p in paths[1:]:
        os.remove(p)
    return paths[0]


def run_dir_all_threads(tag, args):
    dirs = []
    for th in THREADS:
        d = f"{WORK}/out/{tag}.t{th}"
        shutil.rmtree(d, ignore_errors=True)
        runbin(th, args + ["--out", d])
        dirs.append(d)
    for d, th in zip(dirs[1:], THREADS[1:]):
        for fn in sorted(os.listdir(dirs[0])):
            if not fn.endswith(".csv"):
                continue
            if sha(f"{dirs[0]}/{fn}") != sha(f"{d}/{fn}"):
                disagree("threads differ", what=f"{tag}/{fn}", threads=th)
            else:
                EQ["run csv files byte-identical across thread counts"] += 1
    for d in dirs[1:]:
        shutil.rmtree(d)
    return dirs[0]


def unguard(b, m):
    """The accepted formula guard: binary `'=x` for mine `=x`."""
    if b == m:
        return True
    return isinstance(b, str) and isinstance(m, str) and b.startswith("'") and b[1:] == m and m[:1] in "=+-@"


def csv_rows(path):
    f = open(path, encoding="utf-8", newline="")
    r = csv.reader(f)
    header = next(r)
    for row in r:
        yield dict(zip(header, row))
    f.close()


# ====================================================================== comparisons

def cmp_corpus(name, corpus, an):
    p = run_all_threads(f"{name}-corpus", ["corpus", "--corpus", corpus, "--format", "csv"])
    rows = list(csv_rows(p))
    if [r["doc_id"] for r in rows] != [d.id for d in an.docs]:
        disagree(f"{name} corpus order/ids", binary=[r["doc_id"] for r in rows][:20])
    for r in rows:
        d = an.by.get(r["doc_id"])
        if d is None:
            continue
        mine = [d.n, len(set(d.nid.tolist())), int(d.sent[-1]) + 1 if d.n else 0, len(d.text.encode())]
        theirs = [int(r["n_tokens"]), int(r["n_types"]), int(r["n_sentences"]), int(r["n_bytes"])]
        if mine != theirs:
            disagree(f"{name} corpus counts", doc=d.id, binary=theirs, mine=mine)
        else:
            EQ[f"{name}: corpus rows equal"] += 1


def cmp_tokens(name, corpus, an):
    """kwic '*' --window 1: every token's offsets, sentence, negation and 1-token contexts."""
    p = run_all_threads(f"{name}-tokens", ["kwic", "--corpus", corpus, "--format", "csv", "--window", "1", "*"])
    it = csv_rows(p)
    nbad = collections.Counter()
    shown = collections.Counter()
    ntok = 0
    extra = 0
    for d in an.docs:
        for k in range(d.n):
            r = next(it, None)
            t = d.toks[k]
            l, m, rr = an.kwic(d, k, k, 1)
            mine = [d.id, "*", k, k, t.start, t.end, t.sentence, bool(d.negated[k]), l, m, rr]
            if r is None:
                theirs = None
            else:
                theirs = [r["doc_id"], r["pattern"], int(r["token_start"]), int(r["token_end"]), int(r["byte_start"]),
                          int(r["byte_end"]), int(r["sentence"]), r["negated"] == "true", r["left"], r["match"], r["right"]]
            if theirs != mine:
                nbad[d.id] += 1
                if shown[d.id] < 5:
                    shown[d.id] += 1
                    disagree(f"{name} tokens(kwic * --window 1)", doc=d.id, token=k, binary=theirs, mine=mine,
                             surface=t.surface, norm=t.norm,
                             text_around=d.text[max(0, t.cstart - 60):t.cend + 60])
                if theirs is None or theirs[0] != d.id:
                    # out of sync: stop this comparison
                    disagree(f"{name} tokens out of sync", doc=d.id, token=k)
                    return
            else:
                ntok += 1
    for r in it:
        extra += 1
    if extra:
        disagree(f"{name} tokens: binary has extra rows", n=extra)
    EQ[f"{name}: tokens identical via kwic '*' --window 1"] += ntok
    if nbad:
        log("token mismatches per doc", dict(nbad))


def my_freq(an, docs, unit, by, ngram, drop):
    return CK.my_freq(docs, an.A(), unit, by, ngram, drop)


FREQ_SETTINGS = [("norm", "doc", 1, False), ("stem", "doc", 1, False), ("norm", "corpus", 1, False),
                 ("stem", "group", 1, False), ("norm", "corpus", 1, True), ("norm", "doc", 2, False),
                 ("norm", "corpus", 3, True), ("stem", "corpus", 2, False), ("stem", "corpus", 1, True),
                 ("stem", "group", 2, True), ("norm", "group", 3, False)]


def cmp_freq(name, corpus, an, docs, extra_args=(), settings=FREQ_SETTINGS):
    for unit, by, ngram, drop in settings:
        args = ["freq", "--corpus", corpus, "--format", "csv", "--unit", unit, "--by", by, "--ngram", str(ngram)]
        if drop:
            args.append("--drop-stopwords")
        args += list(extra_args)
        label = f"{name} freq unit={unit} by={by} ngram={ngram} drop={drop}{' ' + ' '.join(extra_args) if extra_args else ''}"
        p = run_all_threads(label.replace(" ", "_").replace("=", ""), args)
        theirs = list(csv_rows(p))
        mine = my_freq(an, docs, unit, by, ngram, drop)
        tg, mg = collections.defaultdict(list), collections.defaultdict(list)
        order_t, order_m = [], []
        for r in theirs:
            if r["group"] not in tg:
                order_t.append(r["group"])
            tg[r["group"]].append(r)
        for r in mine:
            if r["group"] not in mg:
                order_m.append(r["group"])
            mg[r["group"]].append(r)
        if order_t != order_m:
            disagree(label + " group order", binary=order_t[:20], mine=order_m[:20])
        nrows = 0
        for g in order_m:
            a, b = tg.get(g, []), mg[g]
            ok = len(a) == len(b) and all(
                unguard(x["term"], y["term"]) and int(x["n"]) == y["n"] and int(x["n_docs"]) == y["n_docs"]
                and CK.fclose(x["per_1k"], y["per_1k"]) for x, y in zip(a, b))
            if not ok:
                ta = collections.Counter({x["term"]: int(x["n"]) for x in a})
                tb = collections.Counter({y["term"]: y["n"] for y in b})
                first = next((k for k, (x, y) in enumerate(zip(a, b)) if not (unguard(x["term"], y["term"]) and int(x["n"]) == y["n"]
                              and int(x["n_docs"]) == y["n_docs"] and CK.fclose(x["per_1k"], y["per_1k"]))), None)
                disagree(label, group=g, order_only=(ta == tb), nrows=(len(a), len(b)),
                         binary_minus_mine=dict(list((ta - tb).items())[:20]),
                         mine_minus_binary=dict(list((tb - ta).items())[:20]),
                         first_diff=(first, a[first] if first is not None else None,
                                     b[first] if first is not None else None))
            else:
                nrows += len(a)
        EQ[f"{name}: freq rows equal ({len(settings)} settings)"] += nrows


KW_PATTERNS = ["win-win", "win-win cooperation", "cooperat*", "*lateral", "~cooperate", "~develop", "China's",
               "U.S.-China", "u.s", "U.S. the", "mr *", "Mr. Smith", "中国", "中", "国 *", "* 国", "a * b", "not *",
               "no * win-win", "*n't", "1,000", "e\u0301", "é", "café", "it's", "mutual benefit", "mutual * benefit",
               "shared future", "common destiny", "~secure * terror*", "x", "the", "*s", "𠀀", "* 𠀁", "*q*",
               "end next", "~running", "financial", "rock'n'roll", "* family", "b win-win", "*\u0301*", "1,000,000"]
KW_BIG = ["the", "*s", "中", "x", "* *", "* * *", "not *", "*\u0301*", "u.s"]


def my_kwic_multi(an, pats, window):
    comp = [(p, C.compile_pattern(p)) for p in pats]
    lines = []
    for pi, (p, tests) in enumerate(comp):
        for (di, i, j, _) in an.match_global([(p, tests)]):
            lines.append((di, i, pi, j))
    lines.sort()
    for (di, i, pi, j) in lines:
        d = an.docs[di]
        if True:
            l, m, r = an.kwic(d, i, j, window)
            yield [d.id, comp[pi][0], i, j, d.toks[i].start, d.toks[j].end, d.toks[i].sentence,
                   bool(d.negated[i]), l, m, r]


def cmp_kwic(name, corpus, an, window, pats):
    label = f"{name} kwic window={window}"
    p = run_all_threads(f"{name}-kwic-w{window}-{len(pats)}",
                        ["kwic", "--corpus", corpus, "--format", "csv", "--window", str(window), "--"] + pats)
    it = csv_rows(p)
    n = 0
    bad = 0
    per_pat = collections.Counter()
    for mine in my_kwic_multi(an, pats, window):
        r = next(it, None)
        theirs = None if r is None else [r["doc_id"], r["pattern"], int(r["token_start"]), int(r["token_end"]),
                                         int(r["byte_start"]), int(r["byte_end"]), int(r["sentence"]),
                                         r["negated"] == "true", r["left"], r["match"], r["right"]]
        if theirs != mine:
            bad += 1
            if bad <= 8:
                d = an.by[mine[0]]
                disagree(label, binary=theirs, mine=mine,
                         text_around=d.text[max(0, d.toks[mine[2]].cstart - 80):d.toks[mine[3]].cend + 80])
            if bad > 8:
                break
        else:
            n += 1
            per_pat[mine[1]] += 1
    rest = sum(1 for _ in it)
    if rest and not bad:
        disagree(label + ": binary has extra lines", n=rest)
    EQ[f"{name}: kwic lines identical, window {window}"] += n
    return per_pat


LEX_LONG = [
    ("f1", ["win-win", "win", "win-win cooperation", "China's", "U.S.-China", "* cooperation", "mutual benefit",
            "win win"]),
    ("f2", ["cooperat*", "~develop", "*lateral", "not", "a *", "* b", "a b"]),
    ("f3", ["中国", "中", "国 *", "1,000", "s", "ｶ", "ー *", "*s"]),
    ("f4", ["shared future", "common destiny", "mutual * benefit", "~secure * terror*", "the", "* 𠀁"]),
    ("f5", ["never matches xyzzy"]),
    ("f6", ["no", "~run", "mr", "u.s", "it's", "run *", "mr * *", "* family"]),
]


def write_lexicon(path, lexicon):
    lines = ['name = "blind test"', 'version = "1"', 'description = "adversarial"', 'language = "english"', ""]
    for fid, pats in lexicon:
        lines += ["[[frame]]", f'id = "{fid}"', f'label = "{fid}"', f'description = "{fid}"',
                  "patterns = [" + ", ".join(CK.toml_str(p) for p in pats) + "]", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


MAX_HITS = 100000
_g2cache = {}


def g2(a, b, c, d):
    k = (a, b, c, d)
    v = _g2cache.get(k)
    if v is None:
        v = C.g2_stat(a, b, c, d)
        _g2cache[k] = v
    return v


def my_keyness(an, groups):
    allcnt = collections.Counter()
    for d in an.docs:
        allcnt.update(d.nid.tolist())
    N = sum(allcnt.values())
    out = []
    for name, ids in groups:
        tc = collections.Counter()
        for d in an.docs:
            if d.id in ids:
                tc.update(d.nid.tolist())
        c = sum(tc.values())
        dd = N - c
        if c == 0 or dd == 0:
            continue
        rows = []
        for term, tot in allcnt.items():
            if tot < 3:
                continue
            a = tc[term]
            b = tot - a
            g = g2(a, b, c, dd)
            rows.append(dict(target=name, term=an.norms[term], n_target=a, n_reference=b,
                             per_1k_target=1000 * a / c, per_1k_reference=1000 * b / dd, g2=g,
                             p_value=C.p_chi1(g), log_ratio=C.log_ratio(a, b, c, dd)))
        adj = C.bh([r["p_value"] for r in rows])
        for r, pa in zip(rows, adj):
            r["p_adjusted"] = pa
        rows.sort(key=lambda r: (-r["g2"], r["term"]))
        out += rows
    return out


def cmp_run(name, corpus, an, lexicon, window, by=None):
    lexpath = f"{WORK}/lex-{name}.toml"
    write_lexicon(lexpath, lexicon)
    args = ["run", "--corpus", corpus, "--lexicon", lexpath, "--window", str(window)]
    if by:
        args += ["--by", by]
    if MAX_HITS != 100000:
        args += ["--max-hits-per-frame", str(MAX_HITS)]
    out = run_dir_all_threads(f"{name}-run", args)
    frames = [(fid, [(p, C.compile_pattern(p)) for p in pats]) for fid, pats in lexicon]
    lexname = os.path.splitext(os.path.basename(lexpath))[0]
    # hits.csv, streamed
    it = csv_rows(f"{out}/hits.csv")
    bad = 0
    nh = 0
    frows = []
    listed = collections.Counter()
    unlisted = 0
    allh = collections.defaultdict(list)
    for fi, (fid, pats) in enumerate(frames):
        for (di, i, j, pi) in an.match_global(pats):
            allh[di].append((i, fi, j, pi))
    for di, d in enumerate(an.docs):
        dh = sorted(allh.get(di, []))
        per = [[0, 0] for _ in frames]
        for (i, fi, j, pi) in dh:
            per[fi][0] += 1
            per[fi][1] += bool(d.negated[i])
        per = [tuple(x) for x in per]
        for (i, fi, j, pi) in dh:
            listed[fi] += 1
            if MAX_HITS and listed[fi] > MAX_HITS:  # run.json: max_hits_per_frame (hits.csv lists the first ones)
                unlisted += 1
                continue
            l, m, r = an.kwic(d, i, j, window)
            mine = [d.id, lexname, frames[fi][0], frames[fi][1][pi][0], i, j, d.toks[i].start, d.toks[j].end,
                    d.toks[i].sentence, bool(d.negated[i]), l, m, r]
            x = next(it, None)
            theirs = None if x is None else [x["doc_id"], x["lexicon"], x["frame"], x["pattern"], int(x["token_start"]),
                                             int(x["token_end"]), int(x["byte_start"]), int(x["byte_end"]),
                                             int(x["sentence"]), x["negated"] == "true", x["left"], x["match"], x["right"]]
            if theirs != mine:
                bad += 1
                if bad <= 8:
                    disagree(f"{name} run hits.csv", binary=theirs, mine=mine)
            else:
                nh += 1
            if bad > 8:
                break
        if bad > 8:
            break
        for (fid, _), row in zip(frames, C.frame_scores(d.n, per)):
            frows.append(dict(doc_id=d.id, frame=fid, **row))
    if bad <= 8:
        rest = sum(1 for _ in it)
        if rest:
            disagree(f"{name} run hits.csv: binary has extra rows", n=rest)
    EQ[f"{name}: run hits.csv rows equal"] += nh
    rj = json.load(open(f"{out}/run.json"))["settings"]
    if rj.get("max_hits_per_frame") != MAX_HITS or rj.get("hits_not_listed") != unlisted:
        disagree(f"{name} run.json hits cap", binary=[rj.get("max_hits_per_frame"), rj.get("hits_not_listed")],
                 mine=[MAX_HITS, unlisted])
    else:
        EQ[f"{name}: hits beyond the 100,000-per-frame cap of hits.csv (run.json hits_not_listed), equal"] += unlisted
    if bad > 8:
        log("hits.csv: too many differences; frames.csv not compared in full")
        return
    # frames.csv
    tf = list(csv_rows(f"{out}/frames.csv"))
    if len(tf) != len(frows):
        disagree(f"{name} run frames.csv rowcount", binary=len(tf), mine=len(frows))
    for x, y in zip(tf, frows):
        ok = (x["doc_id"] == y["doc_id"] and x["frame"] == y["frame"] and int(x["n_tokens"]) == y["n_tokens"]
              and int(x["hits"]) == y["hits"] and int(x["negated"]) == y["negated"]
              and all(CK.fclose(x[k], y[k]) for k in ("per_1k", "ci_low", "ci_high", "share")))
        if not ok:
            disagree(f"{name} run frames.csv", binary=x, mine=y)
        else:
            EQ[f"{name}: run frames.csv rows equal"] += 1
    # docs.csv
    td = list(csv_rows(f"{out}/docs.csv"))
    if [r["doc_id"] for r in td] != [d.id for d in an.docs]:
        disagree(f"{name} run docs.csv order")
    for r in td:
        d = an.by[r["doc_id"]]
        mine = [d.n, len(set(d.nid.tolist())), int(d.sent[-1]) + 1 if d.n else 0, len(d.text.encode())]
        theirs = [int(r["n_tokens"]), int(r["n_types"]), int(r["n_sentences"]), int(r["n_bytes"])]
        if mine != theirs:
            disagree(f"{name} run docs.csv", doc=d.id, binary=theirs, mine=mine)
        else:
            EQ[f"{name}: run docs.csv rows equal"] += 1
    # ngrams.csv: bigrams and trigrams within sentences, no stopword at either end, count >= 2
    total = sum(d.n for d in an.docs)
    mrows = []
    for n in (2, 3):
        cnt, nd = collections.Counter(), collections.Counter()
        for d in an.docs:
            seen = set()
            ids = d.nid.tolist()
            s = d.sent.tolist()
            for k in range(d.n - n + 1):
                if s[k] != s[k + n - 1]:
                    continue
                a0, a1 = an.norms[ids[k]], an.norms[ids[k + n - 1]]
                if a0 in C.STOPWORDS or a1 in C.STOPWORDS:
                    continue
                term = " ".join(an.norms[x] for x in ids[k:k + n])
                cnt[term] += 1
                seen.add(term)
            for t in seen:
                nd[t] += 1
        rows = [(n, t, c, 1000.0 * c / total, nd[t]) for t, c in cnt.items() if c >= 2]
        rows.sort(key=lambda r: (-r[2], r[1]))
        mrows += rows
    tn = list(csv_rows(f"{out}/ngrams.csv"))
    nbad = 0
    if len(tn) != len(mrows):
        disagree(f"{name} run ngrams.csv rowcount", binary=len(tn), mine=len(mrows))
    for x, y in zip(tn, mrows):
        if not (int(x["n"]) == y[0] and unguard(x["term"], y[1]) and int(x["count"]) == y[2]
                and CK.fclose(x["per_1k"], y[3]) and int(x["n_docs"]) == y[4]):
            nbad += 1
            if nbad <= 5:
                disagree(f"{name} run ngrams.csv", binary=x, mine=y)
        else:
            EQ[f"{name}: run ngrams.csv rows equal"] += 1
    # terms.csv (term, n, per_1k, n_docs, stopword; dp not checked)
    cnt, nd = collections.Counter(), collections.Counter()
    for d in an.docs:
        ids = d.nid.tolist()
        cnt.update(ids)
        nd.update(set(ids))
    mt = sorted(((an.norms[k], v, nd[k]) for k, v in cnt.items()), key=lambda r: (-r[1], r[0]))
    tt = list(csv_rows(f"{out}/terms.csv"))
    nbad = 0
    if len(tt) != len(mt):
        disagree(f"{name} run terms.csv rowcount", binary=len(tt), mine=len(mt))
    for x, y in zip(tt, mt):
        if not (unguard(x["term"], y[0]) and int(x["n"]) == y[1] and int(x["n_docs"]) == y[2]
                and CK.fclose(x["per_1k"], 1000.0 * y[1] / total)
                and x["stopword"] == ("true" if y[0] in C.STOPWORDS else "false")):
            nbad += 1
            if nbad <= 5:
                disagree(f"{name} run terms.csv", binary=x, mine=y)
        else:
            EQ[f"{name}: run terms.csv rows equal (dp not checked)"] += 1
    # keyness.csv
    if by:
        vals = []
        for d in an.docs:
            if getattr(d, by) not in vals:
                vals.append(getattr(d, by))
        groups = [(v, {d.id for d in an.docs if getattr(d, by) == v}) for v in vals]
    else:
        groups = [(d.id, {d.id}) for d in an.docs]
    mk = my_keyness(an, groups)
    tk = list(csv_rows(f"{out}/keyness.csv"))
    tkb, mkb = collections.defaultdict(list), collections.defaultdict(list)
    for r in tk:
        tkb[r["target"]].append(r)
    for r in mk:
        mkb[r["target"]].append(r)
    if list(tkb) != list(mkb):
        disagree(f"{name} run keyness targets", binary=list(tkb)[:30], mine=list(mkb)[:30])
    for tgt in mkb:
        a, b = tkb.get(tgt, []), mkb[tgt]
        badk = []
        if len(a) != len(b):
            badk.append(("rowcount", len(a), len(b)))
        for x, y in zip(a, b):
            if not unguard(x["term"], y["term"]) or int(x["n_target"]) != y["n_target"] or int(x["n_reference"]) != y["n_reference"]:
                badk.append(("row", x["term"], x["n_target"], x["n_reference"], y["term"], y["n_target"], y["n_reference"]))
                continue
            for k in ("per_1k_target", "per_1k_reference", "g2", "p_value", "p_adjusted", "log_ratio"):
                if not CK.fclose(x[k], y[k], rel=1e-7, abs_=1e-13):
                    badk.append((k, x["term"], x[k], y[k]))
        if badk:
            disagree(f"{name} run keyness.csv", target=tgt, first=badk[:10], nbad=len(badk))
        else:
            EQ[f"{name}: run keyness.csv rows equal"] += len(a)


def cmp_csv_vs_jsonl(name, jsonl, csvp):
    """The .csv corpus must give the same outputs as the .jsonl one (threads 1)."""
    for tag, args in [("corpus", ["corpus", "--format", "csv"]),
                      ("tokens", ["kwic", "--format", "csv", "--window", "1", "*"]),
                      ("freq", ["freq", "--format", "csv", "--by", "group", "--ngram", "2"]),
                      ("kwic", ["kwic", "--format", "csv", "--window", "5", "--"] + KW_PATTERNS[:20])]:
        a = f"{WORK}/out/{name}-jsonl-{tag}"
        b = f"{WORK}/out/{name}-csv-{tag}"
        runbin(1, args[:1] + ["--corpus", jsonl] + args[1:], a)
        runbin(2, args[:1] + ["--corpus", csvp] + args[1:], b)
        if sha(a) != sha(b):
            disagree(f"{name}: .csv corpus differs from .jsonl", what=tag)
        else:
            EQ[f"{name}: .csv corpus output byte-identical to .jsonl's (commands)"] += 1
        os.remove(a)
        os.remove(b)
    import gzip
    for src in (jsonl, csvp):
        gz = src + ".gz"
        with open(src, "rb") as fi, gzip.open(gz, "wb", compresslevel=1) as fo:
            shutil.copyfileobj(fi, fo, 1 << 22)
        for tag, args in [("corpus", ["corpus", "--format", "csv"]),
                          ("tokens", ["kwic", "--format", "csv", "--window", "1", "*"])]:
            a = f"{WORK}/out/{name}-plain-{tag}"
            b = f"{WORK}/out/{name}-gz-{tag}"
            runbin(1, args[:1] + ["--corpus", jsonl] + args[1:], a)
            runbin(2, args[:1] + ["--corpus", gz] + args[1:], b)
            if sha(a) != sha(b):
                disagree(f"{name}: {os.path.basename(gz)} corpus differs from .jsonl", what=tag)
            else:
                EQ[f"{name}: .jsonl.gz / .csv.gz corpus output byte-identical to .jsonl's (commands)"] += 1
            os.remove(a)
            os.remove(b)
        os.remove(gz)
    lex = f"{WORK}/lex-{name}-csvcheck.toml"
    write_lexicon(lex, LEX_LONG)
    da, db = f"{WORK}/out/{name}-jsonl-run", f"{WORK}/out/{name}-csv-run"
    for dd, c, th in ((da, jsonl, 1), (db, csvp, 2)):
        shutil.rmtree(dd, ignore_errors=True)
        runbin(th, ["run", "--corpus", c, "--lexicon", lex, "--out", dd])
    for fn in sorted(os.listdir(da)):
        if fn.endswith(".csv"):
            if sha(f"{da}/{fn}") != sha(f"{db}/{fn}"):
                disagree(f"{name}: .csv corpus run differs from .jsonl", what=fn)
            else:
                EQ[f"{name}: .csv corpus run files byte-identical to .jsonl's"] += 1
    shutil.rmtree(da)
    shutil.rmtree(db)


def cmp_spill(name, corpus):
    """--table-memory small: tables spill to temporary files; results must be byte-identical."""
    for args in (["freq", "--format", "csv", "--by", "corpus", "--ngram", "3"],
                 ["freq", "--format", "csv", "--by", "group", "--ngram", "2", "--unit", "stem"],
                 ["freq", "--format", "csv", "--by", "doc"]):
        a = f"{WORK}/out/{name}-spill-a"
        b = f"{WORK}/out/{name}-spill-b"
        runbin(2, args + ["--corpus", corpus], a)
        p = runbin(2, args + ["--corpus", corpus, "--table-memory", "1"], b, ok_fail=True)
        if p.returncode != 0:
            disagree(f"{name}: --table-memory 1 refused", args=args, err=p.stderr.decode()[:300])
        elif sha(a) != sha(b):
            disagree(f"{name}: --table-memory 1 output differs", args=args)
        else:
            EQ[f"{name}: freq outputs byte-identical with --table-memory 1 (spilling)"] += 1
        os.remove(a)
        os.remove(b)


# ====================================================================== main

def main():
    global THREADS, MAX_HITS
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpora", default="L,B,M")
    ap.add_argument("--skip", default="")
    ap.add_argument("--threads-list", default="1,2")
    ap.add_argument("--max-hits", type=int, default=100000, help="run --max-hits-per-frame (0: no cap)")
    args = ap.parse_args()
    THREADS = [int(x) for x in args.threads_list.split(",")]
    MAX_HITS = args.max_hits
    skip = set(args.skip.split(","))
    os.makedirs(f"{WORK}/out", exist_ok=True)
    t0 = time.time()
    for name in args.corpora.split(","):
        jsonl = f"{WORK}/{name}.jsonl"
        log(f"== corpus {name}: building")
        docs = {"L": build_L, "B": build_B, "M": build_M, "W": build_W}[name]()
        CK.write_jsonl(jsonl, docs)
        if name == "L":
            write_csv(f"{WORK}/L.csv", docs)
        log(f"{len(docs)} docs, {sum(len(d['text'].encode()) for d in docs)} bytes; analyzing")
        an = Analysis(docs)
        log(f"{sum(d.n for d in an.docs)} tokens (mine), {len(an.vocab)} norms")
        if name == "L":
            # where the boundaries fall: the tokens around k*MiB
            with open(f"{WORK}/L-boundaries.txt", "w", encoding="utf-8") as f:
                for d in an.docs:
                    starts = [t.start for t in d.toks]
                    for k in range(1, len(d.text.encode()) // MiB + 1):
                        i = int(np.searchsorted(starts, k * MiB))
                        sl = d.toks[max(0, i - 3):i + 3]
                        f.write(f"{d.id} k={k}: " + " | ".join(f"{t.surface[:20]!r}@{t.start}-{t.end}s{t.sentence}" for t in sl) + "\n")
        if name == "M":
            selftest_fast_matcher(an, [[(p, C.compile_pattern(p)) for p in pats] for _, pats in LEX_LONG]
                                  + [[(p, C.compile_pattern(p))] for p in KW_PATTERNS[:12]])
            log("fast matcher self-test passed")
        if "corpus" not in skip:
            cmp_corpus(name, jsonl, an)
            log("corpus done")
        if "tokens" not in skip:
            cmp_tokens(name, jsonl, an)
            log("tokens done")
        if "freq" not in skip:
            cmp_freq(name, jsonl, an, docs)
            log("freq done")
        if "kwic" not in skip:
            cmp_kwic(name, jsonl, an, 1, KW_PATTERNS + ["* * *", "* *"])
            cmp_kwic(name, jsonl, an, 5, KW_PATTERNS)
            cmp_kwic(name, jsonl, an, 50, [p for p in KW_PATTERNS if p not in KW_BIG])
            log("kwic done")
        if "run" not in skip:
            cmp_run(name, jsonl, an, LEX_LONG, 5, by="group" if name == "M" else None)
            log("run done")
        if "spill" not in skip:
            cmp_spill(name, jsonl)
            log("spill done")
        if name == "L" and "csv" not in skip:
            cmp_csv_vs_jsonl(name, jsonl, f"{WORK}/L.csv")
            log("csv done")
        del an
    with open(f"{WORK}/disagreements.jsonl", "w", encoding="utf-8") as f:
        for d in DIS:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    print("== equal:")
    for k, v in EQ.items():
        print(f"  {k}: {v}")
    print(f"== disagreements: {len(DIS)} (details in {WORK}/disagreements.jsonl); {time.time() - t0:.0f} s")
    for k, v in collections.Counter(d["kind"] for d in DIS).items():
        print(f"  {k}: {v}")


if __name__ == "__main__":
    main()
