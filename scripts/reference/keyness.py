#!/usr/bin/env python3
"""Independent reference for framescope's keyness tables (CONTRACT §10 and
issue 5): counts from contract.py's tokenizer, statistics from scipy.

Groups are sets of document ids, so any corpus contract.py reads works:

  keyness.py CORPUS --target ID[,ID...] [--reference ID,...] [--unit norm|stem]
             [--drop-stopwords] [--min-count 3] [--prior 1000]
      the table of `framescope compare --what terms --by id --target ...`
  keyness.py CORPUS --each
      keyness.csv of `framescope run`: every document against the rest,
      with a `target` column first (documents without tokens left out)
  keyness.py CORPUS --frames LEXICON.toml --target ID[,ID...] [--reference ...]
      the table of `framescope compare --what frames --by id --target ...`
  keyness.py CORPUS --similarity LEXICON.toml
      the table of `framescope compare --what similarity`

Floats are printed with repr() (shortest round trip); an undefined value
is an empty cell.
"""

import argparse
import csv
import math
import os
import sys
from collections import Counter

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract  # noqa: E402


def g2(a, b, c, d):
    """Dunning (1993): 2·Σ O ln(O/E) over the 2×2 table, zero cells 0;
    negative when a/c < b/d (CONTRACT §10)."""
    n = c + d
    obs = [a, b, c - a, d - b]
    exp = [(a + b) * c / n, (a + b) * d / n, (n - a - b) * c / n, (n - a - b) * d / n]
    # O − E = ±(ad − bc)/N exactly (integers); ln(O/E) = log1p((O − E)/E)
    # keeps the digits that ln(O/E) loses when O and E are close.
    dev = (a * d - b * c) / n
    devs = [dev, -dev, -dev, dev]
    g = 2 * sum(o * math.log1p(x / e) for o, e, x in zip(obs, exp, devs) if o > 0)
    g = max(g, 0.0)
    return -g if a / c < b / d else g


def log_ratio(a, b, c, d):
    """Hardie (2014): log2 of the ratio of relative frequencies, 0 → 0.5."""
    a = a or 0.5
    b = b or 0.5
    return math.log2((a / c) / (b / d))


def z_logodds(yt, nt, yr, nr, f, n, a0):
    """Monroe, Colaresi & Quinn (2008), informative Dirichlet prior."""
    alpha = a0 * f / n
    delta = math.log((yt + alpha) / (nt + a0 - yt - alpha)) - math.log(
        (yr + alpha) / (nr + a0 - yr - alpha))
    return delta / math.sqrt(1 / (yt + alpha) + 1 / (yr + alpha))


def dp(counts, sizes):
    """Gries (2008) DP over all documents, normalized by 1 − min share
    (Lijffijt & Gries 2012); None with one document."""
    f = sum(counts)
    n = sum(sizes)
    shares = [s / n for s in sizes]
    if min(shares) >= 1:
        return None
    raw = 0.5 * sum(abs(v / f - s) for v, s in zip(counts, shares))
    return raw / (1 - min(shares))


def fmt(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, float):
        return repr(x)
    return str(x)


def table(docs, target, reference, unit, drop, min_count, prior, stop):
    """docs: list of (id, Counter of terms, n_tokens, stopword-only terms)."""
    ids = [d[0] for d in docs]
    in_t = [i in target for i in ids]
    in_r = [(i in reference) if reference else (i not in target) for i in ids]
    c = sum(d[2] for d, t in zip(docs, in_t) if t)
    d_ = sum(d[2] for d, r in zip(docs, in_r) if r)
    total = Counter()
    for d in docs:
        total.update(d[1])
    n = sum(d[2] for d in docs)
    sizes = [d[2] for d in docs]
    rows = []
    for term in sorted(total):
        if drop and term in stop:
            continue
        a = sum(d[1][term] for d, t in zip(docs, in_t) if t)
        b = sum(d[1][term] for d, r in zip(docs, in_r) if r)
        if a + b < min_count or a + b == 0:
            continue
        g = g2(a, b, c, d_)
        rows.append([term, a, b, 1000 * a / c, 1000 * b / d_, g,
                     float(stats.chi2.sf(abs(g), 1)), None,
                     log_ratio(a, b, c, d_),
                     z_logodds(a, c, b, d_, total[term], n, prior),
                     dp([doc[1][term] for doc in docs], sizes)])
    if rows:
        q = stats.false_discovery_control(np.array([r[6] for r in rows]))
        for r, qi in zip(rows, q):
            r[7] = float(qi)
    rows.sort(key=lambda r: (-r[5], r[0]))
    return rows


def frame_hits(docs_toks, lexicon):
    """Per document, per frame: hits (CONTRACT §7, via contract.py)."""
    import tomllib
    with open(lexicon, "rb") as f:
        lex = tomllib.load(f)
    frames = [[contract.parse_pattern(p) for p in fr["patterns"]] for fr in lex["frame"]]
    ids = [fr["id"] for fr in lex["frame"]]
    return ids, [[len(contract.match_frame(fr, toks)) for fr in frames] for toks in docs_toks]


def clopper_pearson(x, n):
    lo = 0.0 if x == 0 else float(stats.beta.ppf(0.025, x, n - x + 1))
    hi = 1.0 if x == n else float(stats.beta.ppf(0.975, x + 1, n - x))
    return lo, hi


def frames_table(ids, hits, sizes, in_t, in_r):
    """Rate ratio with the exact conditional interval (issue 5), G², BH,
    Mann–Whitney (scipy defaults) on per-document rates."""
    nt = sum(s for s, t in zip(sizes, in_t) if t)
    nr = sum(s for s, r in zip(sizes, in_r) if r)
    rows = []
    for f, fid in enumerate(ids):
        ht = sum(h[f] for h, t in zip(hits, in_t) if t)
        hr = sum(h[f] for h, r in zip(hits, in_r) if r)
        rr = lo = hi = None
        if ht + hr > 0:
            scale = nr / nt
            rr = ht / hr * scale if hr > 0 else None
            pl, pu = clopper_pearson(ht, ht + hr)
            lo = pl / (1 - pl) * scale
            hi = pu / (1 - pu) * scale if pu < 1 else None
        g = g2(ht, hr, nt, nr)
        xt = [1000 * h[f] / s for h, s, t in zip(hits, sizes, in_t) if t and s > 0]
        xr = [1000 * h[f] / s for h, s, r in zip(hits, sizes, in_r) if r and s > 0]
        mw = float(stats.mannwhitneyu(xt, xr).pvalue) if len(xt) >= 2 and len(xr) >= 2 else None
        rows.append([fid, ht, nt, hr, nr, 1000 * ht / nt, 1000 * hr / nr, rr, lo, hi, g,
                     float(stats.chi2.sf(abs(g), 1)), None, sum(in_t), sum(in_r), mw])
    q = stats.false_discovery_control(np.array([r[11] for r in rows]))
    for r, qi in zip(rows, q):
        r[12] = float(qi)
    return rows


FRAMES_HEADER = ["frame", "hits_target", "n_tokens_target", "hits_reference",
                 "n_tokens_reference", "per_1k_target", "per_1k_reference", "rate_ratio",
                 "rr_ci_low", "rr_ci_high", "g2", "p_value", "p_adjusted", "docs_target",
                 "docs_reference", "mw_p_value"]


def cosine(a, b):
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(x * x for x in b))
    if na == 0 or nb == 0:
        return None
    return sum(x * y for x, y in zip(a, b)) / (na * nb)


HEADER = ["term", "n_target", "n_reference", "per_1k_target", "per_1k_reference",
          "g2", "p_value", "p_adjusted", "log_ratio", "z_logodds", "dp"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--target")
    ap.add_argument("--reference")
    ap.add_argument("--each", action="store_true")
    ap.add_argument("--unit", choices=["norm", "stem"], default="norm")
    ap.add_argument("--drop-stopwords", action="store_true")
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--prior", type=float, default=1000.0)
    ap.add_argument("--frames")
    ap.add_argument("--similarity")
    a = ap.parse_args()
    stopwords = contract.load_stopwords()
    docs = []
    content = set()
    all_toks = []
    for doc_id, text in contract.read_corpus(a.corpus):
        toks = contract.tokenize(text)
        all_toks.append(toks)
        k = 2 if a.unit == "norm" else 3
        # Left out token by token, by norm (CONTRACT §5): a stem keeps
        # its tokens whose norm is not a stopword.
        counts = Counter(t[k] for t in toks
                         if not (a.drop_stopwords and t[2] in stopwords))
        content.update(t[k] for t in toks if t[2] not in stopwords)
        docs.append((doc_id, counts, len(toks)))
    stop = {t for d in docs for t in d[1]} - content
    w = csv.writer(sys.stdout, lineterminator="\n")
    ids = [d[0] for d in docs]
    sizes = [d[2] for d in docs]
    if a.frames:
        fids, hits = frame_hits(all_toks, a.frames)
        target = set(a.target.split(","))
        reference = set(a.reference.split(",")) if a.reference else None
        in_t = [i in target for i in ids]
        in_r = [(i in reference) if reference else (i not in target) for i in ids]
        w.writerow(FRAMES_HEADER)
        for r in frames_table(fids, hits, sizes, in_t, in_r):
            w.writerow([fmt(x) for x in r])
        return
    if a.similarity:
        _, hits = frame_hits(all_toks, a.similarity)
        rates = [[1000 * h / s if s else 0.0 for h in hs] for hs, s in zip(hits, sizes)]
        n_docs = len(docs)
        df = Counter()
        for d in docs:
            df.update(t for t in d[1] if t not in stopwords)
        vecs = [{t: c * math.log(n_docs / df[t]) for t, c in d[1].items()
                 if t not in stopwords and df[t] < n_docs} for d in docs]
        w.writerow(["a", "b", "frames_cosine", "terms_cosine"])
        for i in range(n_docs):
            for j in range(i + 1, n_docs):
                keys = sorted(set(vecs[i]) | set(vecs[j]))
                tc = cosine([vecs[i].get(k, 0.0) for k in keys], [vecs[j].get(k, 0.0) for k in keys])
                w.writerow([ids[i], ids[j], fmt(cosine(rates[i], rates[j])), fmt(tc)])
        return
    if a.each:
        w.writerow(["target"] + HEADER)
        n = sum(d[2] for d in docs)
        for d in docs:
            if d[2] == 0 or d[2] == n:
                continue
            for r in table(docs, {d[0]}, None, a.unit, False, 3, a.prior, stop):
                w.writerow([d[0]] + [fmt(x) for x in r])
        return
    target = set(a.target.split(","))
    reference = set(a.reference.split(",")) if a.reference else None
    w.writerow(HEADER)
    for r in table(docs, target, reference, a.unit, a.drop_stopwords, a.min_count,
                   a.prior, stop):
        w.writerow([fmt(x) for x in r])


if __name__ == "__main__":
    main()
