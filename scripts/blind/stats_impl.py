"""Independent implementation of framescope's documented statistics (README + CONTRACT).

Tokens, norms, stems, sentences and frame hits come from contract_impl.py.
Everything statistical here is written from the README's words and the cited papers.
Variants of ambiguous readings are selectable through the OPT dict (see bottom).
"""
import collections
import csv
import json
import math
import os
import sys
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract_impl as C  # noqa: E402

from mpmath import mp, mpf, log as mlog, erfc as merfc, sqrt as msqrt  # noqa: E402
from scipy import stats as sst  # noqa: E402

mp.dps = 50

# Choices for places where the README is not explicit.  Defaults = my first reading.
OPT = dict(
    zlo_corpus="all",        # z_logodds prior from: "all" docs of the corpus | "tr" target+reference
    zlo_N="all",             # N (and f_w) over: "counted" tokens (non-stopwords when dropped) | "all" tokens
    zlo_a0="a0",             # alpha_0 in the formula: "a0" (the option) | "sum" (sum of alpha_w)
    dp_parts="all",          # DP parts: "all" documents | "nonempty" documents with tokens
    dp_sizes="all",          # part sizes: "all" tokens | "counted" (non-stopword tokens when dropped)
)


# ------------------------------------------------------------------ corpus

class Doc:
    def __init__(self, did, text, meta):
        self.id = did
        self.text = text
        self.meta = meta  # dict of str -> str (date included)
        toks = C.analyze(text)
        self.toks = toks
        self.ntok = len(toks)
        self.norms = collections.Counter(t.norm for t in toks)
        self.norms_ns = collections.Counter(t.norm for t in toks if t.norm not in C.STOPWORDS)
        self.stems = collections.Counter(t.stem for t in toks)
        self.stems_ns = collections.Counter(t.stem for t in toks if t.norm not in C.STOPWORDS)
        self.n_ns = sum(self.norms_ns.values())
        self.hits = None  # list per frame of (hits, negated)

    def field(self, f):
        if f == "id":
            return self.id
        if f == "year":
            d = self.meta.get("date")
            return None if d is None else d[:4]
        return self.meta.get(f)

    def counts(self, unit, drop):
        if unit == "norm":
            return self.norms_ns if drop else self.norms
        return self.stems_ns if drop else self.stems


def _metastr(v):
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    return json.dumps(v)


def load_corpus(path):
    docs = []
    if os.path.isdir(path):
        with open(os.path.join(path, "manifest.csv"), encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                fn = row.pop("file")
                did = row.pop("id", None) or os.path.splitext(os.path.basename(fn))[0]
                with open(os.path.join(path, fn), encoding="utf-8") as g:
                    text = g.read()
                if text.startswith("\ufeff"):
                    text = text[1:]
                docs.append(Doc(did, text, dict(row)))
    else:
        with open(path, encoding="utf-8") as f:
            for k, line in enumerate(f, 1):
                if not line.strip():
                    continue
                o = json.loads(line)
                text = o.pop("text") or ""
                did = o.pop("id", None)
                did = f"text{len(docs) + 1}" if did is None else _metastr(did)
                docs.append(Doc(did, text, {a: _metastr(b) for a, b in o.items() if b is not None}))
    return docs


def load_lexicons(paths):
    """Return list of (qualified_frame_id, [(pattern, tests)])."""
    frames = []
    several = len(paths) > 1
    for p in paths:
        stem = os.path.splitext(os.path.basename(p))[0]
        with open(p, "rb") as f:
            lx = tomllib.load(f)
        for fr in lx["frame"]:
            pats = [(s, C.compile_pattern(s)) for s in fr["patterns"]]
            frames.append((f"{stem}/{fr['id']}" if several else fr["id"], stem, fr["id"], pats))
    return frames


def match_docs(docs, frames):
    for d in docs:
        d.hits = []
        for (_, _, _, pats) in frames:
            hs = C.match_frame(pats, d.toks)
            neg = sum(1 for (i, j, pi) in hs if C.is_negated(d.toks, i))
            d.hits.append((len(hs), neg))


# ------------------------------------------------------------------ formulas

def g2_exact(a, b, c, d):
    """Dunning G2 of the full 2x2 table, signed; exact to 50 digits, returned as float."""
    O = [[a, b], [c - a, d - b]]
    N = c + d
    rows = [a + b, c + d - a - b]
    cols = [c, d]
    g = mpf(0)
    for i in range(2):
        for j in range(2):
            o = O[i][j]
            if o:
                g += o * mlog(mpf(o) * N / (mpf(rows[i]) * cols[j]))
    g = 2 * g
    if a * d < b * c:  # a/c < b/d
        g = -abs(g)
    elif a * d == b * c:
        g = mpf(0)
    return g


def p_chi1(g):
    """Upper tail of chi2 with 1 df at |g| = erfc(sqrt(|g|/2))."""
    return float(merfc(msqrt(abs(g) / 2)))


def bh(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda k: ps[k])
    adj = [0.0] * m
    run = math.inf
    for rank in range(m, 0, -1):
        k = order[rank - 1]
        run = min(run, ps[k] * m / rank)
        adj[k] = min(run, 1.0)
    return adj


def log_ratio(a, b, c, d):
    a2 = a if a else 0.5
    b2 = b if b else 0.5
    return float(mlog((mpf(a2) / c) / (mpf(b2) / d), 2))


def z_logodds(yi, yj, ni, nj, alpha_w, alpha_0):
    yi, yj, aw = mpf(yi), mpf(yj), mpf(alpha_w)
    delta = mlog((yi + aw) / (ni + alpha_0 - yi - aw)) - mlog((yj + aw) / (nj + alpha_0 - yj - aw))
    var = 1 / (yi + aw) + 1 / (yj + aw)
    if abs(delta) < mpf(10) ** -40:  # exactly 0 up to the 50-digit working precision
        return 0.0
    return float(delta / msqrt(var))


def gries_dp(counts, sizes):
    """counts, sizes: per part. Lijffijt & Gries (2012) normalized DP."""
    f = sum(counts)
    tot = sum(sizes)
    if f == 0 or tot == 0:
        return None
    dp = mpf(0)
    for v, s in zip(counts, sizes):
        dp += abs(mpf(v) / f - mpf(s) / tot)
    dp /= 2
    smin = mpf(min(sizes)) / tot
    return float(dp / (1 - smin))


def cp_ratio(a, b, c, d):
    """Exact conditional CI of the rate ratio: Clopper-Pearson on a of a+b, mapped by p/(1-p)*d/c."""
    n = a + b
    if n == 0:
        return None, None  # undefined
    pl = 0.0 if a == 0 else sst.beta.ppf(0.025, a, n - a + 1)
    pu = 1.0 if a == n else sst.beta.ppf(0.975, a + 1, n - a)
    lo = pl / (1 - pl) * d / c
    hi = None if pu >= 1 else pu / (1 - pu) * d / c
    return lo, hi


def cosine(u, v):
    nu = math.fsum(x * x for x in u)
    nv = math.fsum(x * x for x in v)
    if nu == 0 or nv == 0:
        return None
    return math.fsum(x * y for x, y in zip(u, v)) / math.sqrt(nu) / math.sqrt(nv)


def cosine_exact(u, v):
    nu = sum(mpf(x) ** 2 for x in u)
    nv = sum(mpf(x) ** 2 for x in v)
    if nu == 0 or nv == 0:
        return None
    return float(sum(mpf(x) * mpf(y) for x, y in zip(u, v)) / msqrt(nu) / msqrt(nv))


# ------------------------------------------------------------------ tables

class Impl:
    def __init__(self, docs, frames):
        self.docs = docs
        self.frames = frames
        if frames is not None and docs and docs[0].hits is None:
            match_docs(docs, frames)

    # groups -------------------------------------------------------
    def groups_by(self, field):
        """Ordered dict value -> list of doc indices: documents (by id) in
        corpus order, a field's values in the README's group order (those
        that read as numbers first, by value, then the others by code
        point), since framescope's groups stopped following first
        appearance."""
        g = collections.OrderedDict()
        for k, d in enumerate(self.docs):
            v = d.field(field)
            g.setdefault(v, []).append(k)
        if field in (None, "id", "doc", "doc_id"):
            return g

        def key(v):
            try:
                x = float(v)
                if x == x and x not in (float("inf"), float("-inf")):
                    return (0, x, v)
            except (TypeError, ValueError):
                pass
            return (1, 0.0, v)

        return collections.OrderedDict(sorted(g.items(), key=lambda kv: key(kv[0])))

    def select(self, by, target, reference=None):
        tv = set(target.split(","))
        T = [k for k, d in enumerate(self.docs) if d.field(by) in tv]
        if reference is None:
            R = [k for k in range(len(self.docs)) if k not in set(T)]
        else:
            rv = set(reference.split(","))
            R = [k for k, d in enumerate(self.docs) if d.field(by) in rv]
        return T, R

    # keyness ------------------------------------------------------
    def keyness(self, T, R, unit="norm", drop=False, min_count=3, prior=1000.0):
        docs = self.docs
        c = sum(docs[k].ntok for k in T)
        d = sum(docs[k].ntok for k in R)
        A = collections.Counter()
        B = collections.Counter()
        for k in T:
            A.update(docs[k].counts(unit, drop))
        for k in R:
            B.update(docs[k].counts(unit, drop))
        # corpus prior
        zdocs = range(len(docs)) if OPT["zlo_corpus"] == "all" else sorted(T + R)
        F = collections.Counter()
        for k in zdocs:
            F.update(docs[k].counts(unit, drop))
        if OPT["zlo_N"] == "counted":
            Ncorp = sum(F.values())
        else:
            Ncorp = sum(docs[k].ntok for k in zdocs)
        # DP
        dpdocs = [k for k in range(len(docs))
                  if OPT["dp_parts"] == "all" or docs[k].ntok > 0]
        if OPT["dp_sizes"] == "all":
            sizes = [docs[k].ntok for k in dpdocs]
        else:
            sizes = [sum(docs[k].counts(unit, drop).values()) for k in dpdocs]
        alpha0_sum = None
        rows = []
        terms = set(A) | set(B)
        for t in terms:
            a, b = A[t], B[t]
            if a + b < min_count:
                continue
            g = g2_exact(a, b, c, d)
            aw = mpf(prior) * F[t] / Ncorp
            if OPT["zlo_a0"] == "a0":
                a0 = mpf(prior)
            else:
                if alpha0_sum is None:
                    alpha0_sum = mpf(prior) * sum(F.values()) / Ncorp
                a0 = alpha0_sum
            z = z_logodds(a, b, c, d, aw, a0)
            if len(docs) == 1:
                dp = None
            else:
                dp = gries_dp([docs[k].counts(unit, drop)[t] for k in dpdocs], sizes)
            rows.append(dict(term=t, n_target=a, n_reference=b,
                             per_1k_target=1000.0 * a / c if c else None,
                             per_1k_reference=1000.0 * b / d if d else None,
                             g2=float(g), _g2=g, p_value=p_chi1(g), log_ratio=log_ratio(a, b, c, d),
                             z_logodds=z, dp=dp))
        adj = bh([r["p_value"] for r in rows])
        for r, p in zip(rows, adj):
            r["p_adjusted"] = p
        rows.sort(key=lambda r: (-r["_g2"], r["term"]))
        return rows

    # frames -------------------------------------------------------
    def frame_compare(self, T, R):
        docs = self.docs
        c = sum(docs[k].ntok for k in T)
        d = sum(docs[k].ntok for k in R)
        rows = []
        for fi, fr in enumerate(self.frames):
            a = sum(docs[k].hits[fi][0] for k in T)
            b = sum(docs[k].hits[fi][0] for k in R)
            g = g2_exact(a, b, c, d)
            lo, hi = cp_ratio(a, b, c, d)
            if b == 0:
                rr = None if a == 0 else math.inf
            else:
                rr = (a / c) / (b / d)
            xt = [docs[k].hits[fi][0] / docs[k].ntok for k in T if docs[k].ntok > 0]
            xr = [docs[k].hits[fi][0] / docs[k].ntok for k in R if docs[k].ntok > 0]
            if len(xt) < 2 or len(xr) < 2:
                mw = None
            else:
                mw = float(sst.mannwhitneyu(xt, xr, alternative="two-sided").pvalue)
            rows.append(dict(frame=fr[0], hits_target=a, n_tokens_target=c, hits_reference=b,
                             n_tokens_reference=d,
                             per_1k_target=1000.0 * a / c, per_1k_reference=1000.0 * b / d,
                             rate_ratio=rr, rr_ci_low=lo, rr_ci_high=hi, g2=float(g),
                             p_value=p_chi1(g), docs_target=len(T), docs_reference=len(R),
                             _docs_target_tok=len(xt), _docs_reference_tok=len(xr),
                             mw_p_value=mw))
        adj = bh([r["p_value"] for r in rows])
        for r, p in zip(rows, adj):
            r["p_adjusted"] = p
        return rows

    # similarity ---------------------------------------------------
    def similarity(self, units):
        """units: list of (name, [doc indices])."""
        docs = self.docs
        Ndocs = len(docs)
        df = collections.Counter()
        for dd in docs:
            df.update(set(dd.norms_ns))
        idf = {t: math.log(Ndocs / n) for t, n in df.items()}
        fvecs, tvecs = [], []
        for name, ks in units:
            ntok = sum(docs[k].ntok for k in ks)
            hits = [sum(docs[k].hits[fi][0] for k in ks) for fi in range(len(self.frames))]
            fvecs.append(None if ntok == 0 else [1000.0 * h / ntok for h in hits])
            tf = collections.Counter()
            for k in ks:
                tf.update(docs[k].norms_ns)
            tvecs.append({t: n * idf[t] for t, n in tf.items()})
        rows = []
        for i in range(len(units)):
            for j in range(i + 1, len(units)):
                fc = None if fvecs[i] is None or fvecs[j] is None else cosine_exact(fvecs[i], fvecs[j])
                keys = sorted(set(tvecs[i]) | set(tvecs[j]))
                tc = cosine_exact([tvecs[i].get(t, 0.0) for t in keys], [tvecs[j].get(t, 0.0) for t in keys])
                rows.append(dict(a=units[i][0], b=units[j][0], frames_cosine=fc, terms_cosine=tc))
        return rows

    # scores -------------------------------------------------------
    def score(self, by="doc"):
        docs = self.docs
        if by == "doc":
            units = [(d.id, [k]) for k, d in enumerate(docs)]
        elif by == "corpus":
            units = [("corpus", list(range(len(docs))))]
        else:
            units = list(self.groups_by(by).items())
        rows = []
        for name, ks in units:
            ntok = sum(docs[k].ntok for k in ks)
            hs = [(sum(docs[k].hits[fi][0] for k in ks), sum(docs[k].hits[fi][1] for k in ks))
                  for fi in range(len(self.frames))]
            for fi, r in enumerate(C.frame_scores(ntok, hs)):
                rows.append(dict(group=name, lexicon=self.frames[fi][1], frame=self.frames[fi][2], **r))
        return rows

    # run's terms.csv ---------------------------------------------
    def terms_table(self):
        docs = self.docs
        N = sum(d.ntok for d in docs)
        tot = collections.Counter()
        ndocs = collections.Counter()
        for d in docs:
            tot.update(d.norms)
            ndocs.update(set(d.norms))
        dpdocs = [k for k in range(len(docs)) if OPT["dp_parts"] == "all" or docs[k].ntok > 0]
        sizes = [docs[k].ntok for k in dpdocs]
        rows = []
        for t, n in tot.items():
            rows.append(dict(term=t, n=n, per_1k=1000.0 * n / N, n_docs=ndocs[t],
                             stopword="true" if t in C.STOPWORDS else "false",
                             dp=None if len(docs) == 1 else gries_dp([docs[k].norms[t] for k in dpdocs], sizes)))
        rows.sort(key=lambda r: (-r["n"], r["term"]))
        return rows

    # run's comparison units ------------------------------------
    def run_targets(self, by=None):
        """Return list of (target name, T, R) as run does, and notes."""
        docs = self.docs
        allk = list(range(len(docs)))
        N = sum(d.ntok for d in docs)
        if by is None and len(docs) > 200:
            if all(d.field("year") for d in docs):
                by = "year"
            else:
                return [], None
        if by is None:
            units = [(d.id, [k]) for k, d in enumerate(docs)]
        else:
            units = list(self.groups_by(by).items())
        out = []
        for name, ks in units:
            tok = sum(docs[k].ntok for k in ks)
            if tok == 0 or tok == N:
                continue
            s = set(ks)
            out.append((name, ks, [k for k in allk if k not in s]))
        return out, units
