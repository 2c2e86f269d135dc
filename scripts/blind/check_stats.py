#!/usr/bin/env python3
"""Compare framescope's documented statistics with an independent implementation (stats_impl.py).

Usage:  VENV/bin/python scripts/blind/check_stats.py [--only NAME,...] [--list] [--quiet]
Corpora are built by make_corpora.py into target/blind/stats-corpora/; the binary's outputs go to
target/blind/stats/; every disagreement to target/blind/stats/disagreements.jsonl; a summary is printed.
"""
import argparse
import collections
import csv
import io
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import stats_impl as S  # noqa: E402

from paths import BIN, ROOT, work  # noqa: E402
OUT = work("stats")
CORP = work("stats-corpora")
DEFLEX = os.path.join(ROOT, "lexicons", "china-diplomacy.toml")
RTOL = 1e-9

DIS = []
AGREE = collections.Counter()      # per (case, column): number of agreeing cells
TINY = []                           # float cells that differ beyond RTOL but by < 1e-12 absolute


def run_bin(args, cwd=None):
    p = subprocess.run([BIN, "--threads", "1", "-q"] + args, capture_output=True, cwd=cwd)
    if p.returncode != 0:
        raise RuntimeError(f"{args}: rc={p.returncode} {p.stderr.decode(errors='replace')}")
    return p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def read_csv(text):
    r = csv.reader(io.StringIO(text, newline=""))
    rows = list(r)
    return rows[0], [dict(zip(rows[0], x)) for x in rows[1:]]


def fmt_expected(v):
    if v is None:
        return ""
    return v


def cmp_cell(case, col, key, got, exp):
    """got: the CSV string; exp: python value (None = empty)."""
    if exp is None or (isinstance(exp, float) and math.isinf(exp)):
        ok = got == "" if exp is None else got in ("inf", "")
        if ok:
            AGREE[(case, col)] += 1
        else:
            DIS.append(dict(case=case, col=col, key=key, binary=got, mine=repr(exp)))
        return
    if isinstance(exp, bool) or isinstance(exp, int) and not isinstance(exp, bool):
        if got == str(exp):
            AGREE[(case, col)] += 1
        else:
            DIS.append(dict(case=case, col=col, key=key, binary=got, mine=exp))
        return
    if isinstance(exp, float):
        try:
            g = float(got)
        except ValueError:
            DIS.append(dict(case=case, col=col, key=key, binary=got, mine=exp))
            return
        if g == exp or abs(g - exp) <= RTOL * max(abs(g), abs(exp)):
            AGREE[(case, col)] += 1
        elif abs(g - exp) < 1e-12:
            TINY.append(dict(case=case, col=col, key=key, binary=got, mine=exp))
            DIS.append(dict(case=case, col=col, key=key, binary=got, mine=exp, tiny=True))
        else:
            DIS.append(dict(case=case, col=col, key=key, binary=got, mine=exp))
        return
    if got == str(exp):
        AGREE[(case, col)] += 1
    else:
        DIS.append(dict(case=case, col=col, key=key, binary=got, mine=exp))


def cmp_table(case, text, mine, header, keycols, cols):
    hdr, rows = read_csv(text)
    if hdr != header:
        DIS.append(dict(case=case, col="<header>", key=None, binary=hdr, mine=header))
        return
    kb = [tuple(r[k] for k in keycols) for r in rows]
    km = [tuple(str(r[k]) for k in keycols) for r in mine]
    if kb != km:
        sb, sm = set(kb), set(km)
        DIS.append(dict(case=case, col="<rows>", key=None,
                        binary=f"{len(kb)} rows; only binary: {sorted(sb - sm)[:10]}",
                        mine=f"{len(km)} rows; only mine: {sorted(sm - sb)[:10]}",
                        order_differs=(sb == sm)))
        if sb == sm and len(kb) == len(km):
            # compare by key anyway
            pass
        else:
            bmap = {k: r for k, r in zip(kb, rows)}
            for k, r in zip(km, mine):
                if k in bmap:
                    for c in cols:
                        cmp_cell(case, c, k, bmap[k][c], r.get(c))
            return
        bmap = {k: r for k, r in zip(kb, rows)}
        for k, r in zip(km, mine):
            for c in cols:
                cmp_cell(case, c, k, bmap[k][c], r.get(c))
        return
    AGREE[(case, "<rows>")] += len(kb)
    for b, r, k in zip(rows, mine, kb):
        for c in cols:
            cmp_cell(case, c, k, b[c], r.get(c))


TERM_COLS = ["term", "n_target", "n_reference", "per_1k_target", "per_1k_reference", "g2", "p_value",
             "p_adjusted", "log_ratio", "z_logodds", "dp"]
FRAME_COLS = ["frame", "hits_target", "n_tokens_target", "hits_reference", "n_tokens_reference",
              "per_1k_target", "per_1k_reference", "rate_ratio", "rr_ci_low", "rr_ci_high", "g2",
              "p_value", "p_adjusted", "docs_target", "docs_reference", "mw_p_value"]
SIM_COLS = ["a", "b", "frames_cosine", "terms_cosine"]
SCORE_COLS = ["lexicon", "frame", "n_tokens", "hits", "negated", "per_1k", "ci_low", "ci_high", "share"]
TERMS_CSV_COLS = ["term", "n", "per_1k", "n_docs", "stopword", "dp"]


_cache = {}


def impl_for(corpus, lexicons):
    key = (corpus, tuple(lexicons))
    if key not in _cache:
        base = _cache.get(("docs", corpus))
        if base is None:
            base = S.load_corpus(corpus)
            _cache[("docs", corpus)] = base
        frames = S.load_lexicons(lexicons)
        # fresh Doc objects share tokens; copy hits per lexicon set
        docs = []
        for d in base:
            nd = S.Doc.__new__(S.Doc)
            nd.__dict__.update(d.__dict__)
            nd.hits = None
            docs.append(nd)
        _cache[key] = S.Impl(docs, frames)
    return _cache[key]


def lexargs(lexicons):
    out = []
    for l in lexicons:
        out += ["--lexicon", l]
    return out


def case_compare_terms(name, corpus, by, target, reference=None, unit="norm", drop=False,
                       min_count=3, prior=None, lexicons=(DEFLEX,)):
    im = impl_for(corpus, list(lexicons))
    args = ["compare", "--corpus", corpus, "--format", "csv", "--by", by, "--target", target,
            "--unit", unit, "--drop-stopwords" if drop else "--keep-stopwords",
            "--min-count", str(min_count)] + lexargs(lexicons)
    if reference is not None:
        args += ["--reference", reference]
    if prior is not None:
        args += ["--prior", str(prior)]
    out, _ = run_bin(args)
    T, R = im.select(by, target, reference)
    mine = im.keyness(T, R, unit, drop, min_count, 1000.0 if prior is None else float(prior))
    cmp_table(name, out, mine, TERM_COLS, ["term"], TERM_COLS[1:])
    return mine


def case_compare_frames(name, corpus, by, target, reference=None, lexicons=(DEFLEX,)):
    im = impl_for(corpus, list(lexicons))
    args = ["compare", "--what", "frames", "--corpus", corpus, "--format", "csv", "--by", by,
            "--target", target] + lexargs(lexicons)
    if reference is not None:
        args += ["--reference", reference]
    out, _ = run_bin(args)
    T, R = im.select(by, target, reference)
    mine = im.frame_compare(T, R)
    cmp_table(name, out, mine, FRAME_COLS, ["frame"], FRAME_COLS[1:])
    return mine


def case_similarity(name, corpus, by=None, lexicons=(DEFLEX,)):
    im = impl_for(corpus, list(lexicons))
    args = ["compare", "--what", "similarity", "--corpus", corpus, "--format", "csv"] + lexargs(lexicons)
    if by:
        args += ["--by", by]
        units = list(im.groups_by(by).items())
    else:
        units = [(d.id, [k]) for k, d in enumerate(im.docs)]
    out, _ = run_bin(args)
    mine = im.similarity(units)
    cmp_table(name, out, mine, SIM_COLS, ["a", "b"], SIM_COLS[2:])


def case_score(name, corpus, by="doc", lexicons=(DEFLEX,)):
    im = impl_for(corpus, list(lexicons))
    out, _ = run_bin(["score", "--corpus", corpus, "--format", "csv", "--by", by] + lexargs(lexicons))
    mine = im.score(by)
    first = "doc_id" if by == "doc" else "group"
    for r in mine:
        r[first] = r["group"]
    cmp_table(name, out, mine, [first] + SCORE_COLS, [first, "lexicon", "frame"], SCORE_COLS[2:])


def case_run(name, corpus, by=None, lexicons=(DEFLEX,)):
    im = impl_for(corpus, list(lexicons))
    od = os.path.join(OUT, "run-" + name)
    args = ["run", "--corpus", os.path.abspath(corpus), "--out", od] + lexargs(lexicons)
    if by:
        args += ["--by", by]
    _, err = run_bin(args)
    # terms.csv
    with open(os.path.join(od, "terms.csv"), encoding="utf-8", newline="") as f:
        cmp_table(name + ":terms.csv", f.read(), im.terms_table(), TERMS_CSV_COLS, ["term"], TERMS_CSV_COLS[1:])
    # frames.csv
    mine = im.score("doc")
    for r in mine:
        r["doc_id"] = r["group"]
    with open(os.path.join(od, "frames.csv"), encoding="utf-8", newline="") as f:
        cmp_table(name + ":frames.csv", f.read(), mine, ["doc_id"] + SCORE_COLS,
                  ["doc_id", "lexicon", "frame"], SCORE_COLS[2:])
    targets, units = im.run_targets(by)
    kmine, fmine = [], []
    for tname, T, R in targets:
        for r in im.keyness(T, R, "norm", False, 3, 1000.0):
            r["target"] = tname
            kmine.append(r)
        for r in im.frame_compare(T, R):
            r["target"] = tname
            fmine.append(r)
    with open(os.path.join(od, "keyness.csv"), encoding="utf-8", newline="") as f:
        cmp_table(name + ":keyness.csv", f.read(), kmine, ["target"] + TERM_COLS, ["target", "term"],
                  TERM_COLS[1:])
    with open(os.path.join(od, "frame_compare.csv"), encoding="utf-8", newline="") as f:
        cmp_table(name + ":frame_compare.csv", f.read(), fmine, ["target"] + FRAME_COLS,
                  ["target", "frame"], FRAME_COLS[1:])
    smine = im.similarity(units) if units is not None else []
    with open(os.path.join(od, "similarity.csv"), encoding="utf-8", newline="") as f:
        cmp_table(name + ":similarity.csv", f.read(), smine, SIM_COLS, ["a", "b"], SIM_COLS[2:])
    return err


def cases():
    E = os.path.join(CORP, "edge.jsonl")
    M = os.path.join(CORP, "medium.jsonl")
    P = os.path.join(CORP, "prec.jsonl")
    ONE = os.path.join(CORP, "one.jsonl")
    TIES = os.path.join(CORP, "ties.jsonl")
    BIG = os.path.join(CORP, "big250.jsonl")
    WH = os.path.join(CORP, "wh300.jsonl")
    DEF = os.path.join(ROOT, "corpus")
    LX = os.path.join(CORP, "edge.toml")
    LX2 = os.path.join(CORP, "second.toml")
    L = (LX,)
    L2 = (LX, LX2)
    c = []
    # --- edge corpus: groups of 1, 2, 8, 9 docs, empty docs, a tokenless doc
    for tg in ["g1", "g2", "g8", "g9", "gE"]:
        c.append((f"edge-terms-{tg}", case_compare_terms, dict(corpus=E, by="group", target=tg, lexicons=L)))
        c.append((f"edge-frames-{tg}", case_compare_frames, dict(corpus=E, by="group", target=tg, lexicons=L)))
    c.append(("edge-terms-g8-vs-g9", case_compare_terms, dict(corpus=E, by="group", target="g8", reference="g9", lexicons=L)))
    c.append(("edge-frames-g8-vs-g9", case_compare_frames, dict(corpus=E, by="group", target="g8", reference="g9", lexicons=L)))
    c.append(("edge-frames-g9-vs-g8", case_compare_frames, dict(corpus=E, by="group", target="g9", reference="g8", lexicons=L)))
    c.append(("edge-frames-g2-vs-gE", case_compare_frames, dict(corpus=E, by="group", target="g2", reference="gE", lexicons=L)))
    c.append(("edge-frames-g1g2-vs-g8", case_compare_frames, dict(corpus=E, by="group", target="g1,g2", reference="g8", lexicons=L)))
    c.append(("edge-frames-2lex-g9", case_compare_frames, dict(corpus=E, by="group", target="g9", lexicons=L2)))
    c.append(("edge-terms-g2-vs-gE", case_compare_terms, dict(corpus=E, by="group", target="g2", reference="gE", lexicons=L)))
    for mc in [0, 1, 2, 4, 5]:
        c.append((f"edge-terms-g9-min{mc}", case_compare_terms, dict(corpus=E, by="group", target="g9", min_count=mc, lexicons=L)))
    c.append(("edge-terms-g9-drop", case_compare_terms, dict(corpus=E, by="group", target="g9", drop=True, lexicons=L)))
    c.append(("edge-terms-g9-stem", case_compare_terms, dict(corpus=E, by="group", target="g9", unit="stem", lexicons=L)))
    c.append(("edge-terms-g9-stem-drop", case_compare_terms, dict(corpus=E, by="group", target="g9", unit="stem", drop=True, lexicons=L)))
    c.append(("edge-terms-g9-prior10", case_compare_terms, dict(corpus=E, by="group", target="g9", prior=10, lexicons=L)))
    c.append(("edge-terms-g9-prior0.5", case_compare_terms, dict(corpus=E, by="group", target="g9", prior=0.5, lexicons=L)))
    c.append(("edge-terms-g8-vs-g9-drop", case_compare_terms, dict(corpus=E, by="group", target="g8", reference="g9", drop=True, lexicons=L)))
    c.append(("edge-terms-year", case_compare_terms, dict(corpus=E, by="year", target="2021", lexicons=L)))
    c.append(("edge-terms-id", case_compare_terms, dict(corpus=E, by="id", target="g9-1", min_count=1, lexicons=L)))
    c.append(("edge-sim-docs", case_similarity, dict(corpus=E, lexicons=L)))
    c.append(("edge-sim-group", case_similarity, dict(corpus=E, by="group", lexicons=L)))
    c.append(("edge-sim-2lex", case_similarity, dict(corpus=E, by="group", lexicons=L2)))
    c.append(("edge-score-doc", case_score, dict(corpus=E, lexicons=L)))
    c.append(("edge-score-group", case_score, dict(corpus=E, by="group", lexicons=L)))
    c.append(("edge-score-corpus", case_score, dict(corpus=E, by="corpus", lexicons=L)))
    c.append(("edge-score-2lex", case_score, dict(corpus=E, by="group", lexicons=L2)))
    c.append(("edge-run", case_run, dict(corpus=E, lexicons=L)))
    c.append(("edge-run-by-group", case_run, dict(corpus=E, by="group", lexicons=L)))
    # --- ties: many equal rates and equal p-values
    for tg in ["A", "B"]:
        c.append((f"ties-terms-{tg}", case_compare_terms, dict(corpus=TIES, by="group", target=tg, min_count=1, lexicons=L)))
        c.append((f"ties-frames-{tg}", case_compare_frames, dict(corpus=TIES, by="group", target=tg, lexicons=L)))
    c.append(("ties-run-by-group", case_run, dict(corpus=TIES, by="group", lexicons=L)))
    # --- precision: very large and very small G2
    c.append(("prec-terms", case_compare_terms, dict(corpus=P, by="group", target="T", min_count=1, lexicons=L)))
    c.append(("prec-terms-rev", case_compare_terms, dict(corpus=P, by="group", target="R", min_count=1, lexicons=L)))
    c.append(("prec-frames", case_compare_frames, dict(corpus=P, by="group", target="T", lexicons=L)))
    # --- single-document corpus
    c.append(("one-score", case_score, dict(corpus=ONE)))
    c.append(("one-run", case_run, dict(corpus=ONE)))
    c.append(("one-sim", case_similarity, dict(corpus=ONE)))
    # --- medium random corpus, default lexicon
    c.append(("med-terms", case_compare_terms, dict(corpus=M, by="group", target="alpha")))
    c.append(("med-terms-drop-stem", case_compare_terms, dict(corpus=M, by="group", target="beta", unit="stem", drop=True)))
    c.append(("med-terms-ref", case_compare_terms, dict(corpus=M, by="group", target="alpha", reference="gamma", min_count=2)))
    c.append(("med-frames", case_compare_frames, dict(corpus=M, by="group", target="alpha")))
    c.append(("med-frames-ref", case_compare_frames, dict(corpus=M, by="group", target="beta", reference="gamma")))
    c.append(("med-frames-year", case_compare_frames, dict(corpus=M, by="year", target="2019,2020")))
    c.append(("med-sim", case_similarity, dict(corpus=M)))
    c.append(("med-score-group", case_score, dict(corpus=M, by="group")))
    c.append(("med-run", case_run, dict(corpus=M)))
    c.append(("med-run-by-year", case_run, dict(corpus=M, by="year")))
    # --- >200 documents with dates: run compares years
    c.append(("big250-run", case_run, dict(corpus=BIG)))
    # --- the default corpus
    c.append(("def-terms-mfa", case_compare_terms, dict(corpus=DEF, by="voice", target="government (MFA)")))
    c.append(("def-terms-academic-drop", case_compare_terms, dict(corpus=DEF, by="voice", target="academic", drop=True)))
    c.append(("def-terms-stem", case_compare_terms, dict(corpus=DEF, by="voice", target="academic", unit="stem", drop=True)))
    c.append(("def-frames-academic", case_compare_frames, dict(corpus=DEF, by="voice", target="academic")))
    c.append(("def-frames-year", case_compare_frames, dict(corpus=DEF, by="year", target="2018,2021", reference="2022,2023,2024")))
    c.append(("def-sim", case_similarity, dict(corpus=DEF)))
    c.append(("def-sim-voice", case_similarity, dict(corpus=DEF, by="voice")))
    c.append(("def-score-voice", case_score, dict(corpus=DEF, by="voice")))
    c.append(("def-run", case_run, dict(corpus=DEF)))
    c.append(("def-run-voice", case_run, dict(corpus=DEF, by="voice")))
    # --- first 300 White House briefings
    MW = os.path.join(CORP, "mw.jsonl")
    c.append(("mw-frames-T8", case_compare_frames, dict(corpus=MW, by="group", target="T8", reference="R300", lexicons=L)))
    c.append(("mw-frames-R300", case_compare_frames, dict(corpus=MW, by="group", target="R300", reference="T8", lexicons=L)))
    c.append(("mw-frames-T8-rest", case_compare_frames, dict(corpus=MW, by="group", target="T8", lexicons=L)))
    c.append(("mw-frames-N9", case_compare_frames, dict(corpus=MW, by="group", target="N9a", reference="N9b", lexicons=L)))
    c.append(("mw-frames-N9-T8", case_compare_frames, dict(corpus=MW, by="group", target="N9a", reference="T8", lexicons=L)))
    c.append(("mw-run-by-group", case_run, dict(corpus=MW, by="group", lexicons=L)))
    c.append(("edge-terms-g8-vs-g1-min0", case_compare_terms, dict(corpus=E, by="group", target="g8", reference="g1", min_count=0, lexicons=L)))
    c.append(("edge-frames-g9-vs-g8g1", case_compare_frames, dict(corpus=E, by="group", target="g9", reference="g8,g1", lexicons=L)))
    c.append(("prec-terms-TR", case_compare_terms, dict(corpus=P, by="group", target="T", reference="R", min_count=1, lexicons=L)))
    c.append(("prec-terms-T3", case_compare_terms, dict(corpus=P, by="group", target="T3", min_count=1, lexicons=L)))
    c.append(("prec-run-by-group", case_run, dict(corpus=P, by="group", lexicons=L)))
    c.append(("dpempty-terms", case_compare_terms, dict(corpus=os.path.join(CORP, "dpempty.jsonl"), by="id", target="A", min_count=1, lexicons=L)))
    c.append(("dpempty-run", case_run, dict(corpus=os.path.join(CORP, "dpempty.jsonl"), lexicons=L)))
    c.append(("tail-terms", case_compare_terms, dict(corpus=os.path.join(CORP, "tail.jsonl"), by="group", target="T", lexicons=L)))
    c.append(("mwsep-frames", case_compare_frames, dict(corpus=os.path.join(CORP, "mwsep.jsonl"), by="group", target="HI", lexicons=L)))
    c.append(("edge-run-by-kind", case_run, dict(corpus=E, by="kind", lexicons=L)))
    c.append(("edge-sim-kind", case_similarity, dict(corpus=E, by="kind", lexicons=L)))
    c.append(("edge-score-kind", case_score, dict(corpus=E, by="kind", lexicons=L)))
    c.append(("big200-run", case_run, dict(corpus=os.path.join(CORP, "big200.jsonl"))))
    c.append(("big201-run", case_run, dict(corpus=os.path.join(CORP, "big201.jsonl"))))
    c.append(("big250-nodate-run", case_run, dict(corpus=os.path.join(CORP, "big250-nodate.jsonl"))))
    if os.path.exists(WH):
        c.append(("wh-terms", case_compare_terms, dict(corpus=WH, by="part", target="p0")))
        c.append(("wh-terms-drop-stem", case_compare_terms, dict(corpus=WH, by="part", target="p1", reference="p2", unit="stem", drop=True)))
        c.append(("wh-frames", case_compare_frames, dict(corpus=WH, by="part", target="p0")))
        c.append(("wh-frames-month", case_compare_frames, dict(corpus=WH, by="month", target="2025-02")))
        c.append(("wh-sim-part", case_similarity, dict(corpus=WH, by="part")))
        c.append(("wh-score-month", case_score, dict(corpus=WH, by="month")))
        c.append(("wh-run-raw", case_run, dict(corpus=os.path.join(CORP, "wh300-raw.jsonl"))))
        c.append(("wh-run-part", case_run, dict(corpus=WH, by="part")))
    return c


def fuzz_cases(n, seed):
    """Random small corpora: groups of 0-12 documents (some without tokens), random hits and words."""
    import random
    rng = random.Random(seed)
    d = os.path.join(CORP, "fuzz")
    os.makedirs(d, exist_ok=True)
    LX = (os.path.join(CORP, "edge.toml"),)
    out = []
    for k in range(n):
        nt, nr = rng.choice([1, 2, 3, 5, 7, 8, 9, 10, 12]), rng.choice([1, 2, 4, 8, 9, 11])
        tie = rng.random() < 0.5
        docs = []
        for g, m in (("T", nt), ("R", nr)):
            for i in range(m):
                if rng.random() < 0.08:
                    text = rng.choice(["", "... !!!"])
                else:
                    L = rng.choice([5, 10, 20]) if tie else rng.randint(5, 60)
                    h = rng.randint(0, 4)
                    ws = ["alpha"] * h + ["beta"] * rng.randint(0, 2) + [rng.choice(["w%d" % q for q in range(12)]) for _ in range(max(0, L - h))]
                    rng.shuffle(ws)
                    text = " ".join(ws)
                docs.append(dict(id=f"{g}{i}", text=text, group=g))
            docs[-1]["text"] += " gamma"  # every group has tokens (groups without are refused, as documented)
        path = os.path.join(d, f"f{seed}-{k}.jsonl")
        with open(path, "w") as f:
            for x in docs:
                f.write(json.dumps(x) + "\n")
        out.append((f"fuzz{seed}-{k}-frames", case_compare_frames, dict(corpus=path, by="group", target="T", reference="R", lexicons=LX)))
        out.append((f"fuzz{seed}-{k}-terms", case_compare_terms, dict(corpus=path, by="group", target="T", min_count=rng.randint(0, 4), lexicons=LX)))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--fuzz", type=int, default=0, help="also N random small corpora")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=3, help="disagreements shown per (case, column)")
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    only = [x for x in a.only.split(",") if x]
    cs = cases() + (fuzz_cases(a.fuzz, a.seed) if a.fuzz else [])
    if a.list:
        for n, _, _ in cs:
            print(n)
        return
    for n, f, kw in cs:
        if only and not any(n.startswith(o) for o in only):
            continue
        try:
            f(n, **kw)
            for k in list(_cache):
                if k[0] != "docs" and "fuzz" in str(k) or k[0] == "docs" and "fuzz" in str(k):
                    del _cache[k]
        except Exception as e:  # noqa: BLE001
            DIS.append(dict(case=n, col="<error>", key=None, binary=str(e)[:500], mine=None))
    with open(os.path.join(OUT, "disagreements.jsonl"), "w") as f:
        for d in DIS:
            f.write(json.dumps(d, default=str) + "\n")
    by = collections.defaultdict(list)
    for d in DIS:
        by[(d["case"], d["col"])].append(d)
    tot_agree = sum(AGREE.values())
    print(f"agreeing cells: {tot_agree}; disagreeing cells: {len(DIS)} "
          f"(of which |diff| < 1e-12: {len(TINY)})")
    percol = collections.Counter()
    for (cs_, col), n in AGREE.items():
        percol[col.split(':')[-1]] += n
    print("agreeing cells by column:", dict(sorted(percol.items())))
    for (cs_, col), ds in sorted(by.items()):
        print(f"--- {cs_} / {col}: {len(ds)} disagreeing ({AGREE[(cs_, col)]} agree)")
        for d in ds[:a.show]:
            print("    key", d["key"], "binary", d["binary"], "mine", d["mine"], "(tiny)" if d.get("tiny") else "")


if __name__ == "__main__":
    main()
