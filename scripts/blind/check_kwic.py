"""Compare framescope kwic (options), run's hits.csv and score --by with kwic_impl.py.

Run:  VENV/bin/python scripts/blind/make_kwic_corpora.py
      VENV/bin/python scripts/blind/check_kwic.py [--quick] [--seed N]
Disagreements go to target/blind/kwic/disagreements.jsonl, a summary to stdout.
NEAR_MODE=inside|touch|start and NEAR_CLIP=0|1 select readings of --near (kwic_impl.py).
"""
import csv
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kwic_impl as K  # noqa: E402

from paths import BIN, ROOT, work  # noqa: E402
WORK = work("kwic")
CORP = work("kwic-corpora")
DEFLEX = os.path.join(ROOT, "lexicons", "china-diplomacy.toml")
args = sys.argv[1:]
QUICK = "--quick" in args
SEED = int(args[args.index("--seed") + 1]) if "--seed" in args else 1
rng = random.Random(SEED)

DIS = open(os.path.join(WORK, "disagreements.jsonl"), "w")
stats = {"configs": 0, "configs_ok": 0, "lines": 0, "lines_ok": 0, "json_configs": 0,
         "hits_files": 0, "hits_rows": 0, "frame_vs_hits": 0, "score_rows": 0, "score_ok": 0,
         "summary_ok": 0, "text_configs": 0, "errors_both": 0}
ndis = 0
DOCS = {}


def docs(name):
    if name not in DOCS:
        DOCS[name] = K.load_docs(os.path.join(CORP, name))
    return DOCS[name]


def run(cmd):
    p = subprocess.run([BIN] + cmd, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def record(kind, **kw):
    global ndis
    ndis += 1
    kw["kind"] = kind
    DIS.write(json.dumps(kw, ensure_ascii=False) + "\n")
    DIS.flush()


def kwic_cmd(corpus, pats, o, fmt="csv"):
    cmd = ["kwic", "--corpus", os.path.join(CORP, corpus), "--format", fmt]
    if o.get("frame"):
        cmd += ["--frame", o["frame"]]
        for lx in o.get("lexicons", []):
            cmd += ["--lexicon", lx]
    cmd += ["--window", str(o.get("window", 5))]
    if o.get("sentence"):
        cmd.append("--sentence")
    if o.get("sort"):
        cmd += ["--sort", o["sort"]]
    if o.get("near") is not None:
        cmd += ["--near", o["near"]]
        if o.get("near_window") is not None:
            cmd += ["--near-window", str(o["near_window"])]
    if o.get("limit") is not None:
        cmd += ["--limit", str(o["limit"])]
    if o.get("by"):
        cmd += ["--by", o["by"], "--target", o["target"]]
    if pats:
        cmd += ["--"] + pats
    return cmd


def expected(corpus, pats, o, full=False):
    frame = None
    if o.get("frame"):
        lex = [K.load_lexicon(p) for p in o["lexicons"]]
        fid = o["frame"]
        for (ln, frames) in lex:
            for (f, pp) in frames:
                if f == fid or f"{ln}/{f}" == fid:
                    frame = pp
    kw = dict(patterns=None if frame else pats, frame=frame, window=o.get("window", 5),
              sentence=o.get("sentence", False), sort=o.get("sort"), near=o.get("near"),
              near_window=o.get("near_window"), limit=None if full else o.get("limit"),
              by=o.get("by"), target=o.get("target"))
    return K.kwic(docs(corpus), **kw)


def check_kwic(corpus, pats, o, fmt="csv"):
    stats["configs"] += 1
    cmd = kwic_cmd(corpus, pats, o, fmt)
    rc, out, err = run(cmd)
    try:
        exp = expected(corpus, pats, o)
        allexp = expected(corpus, pats, o, full=True) if o.get("limit") is not None else exp
    except K.C.PatternError as e:
        if rc != 0:
            stats["errors_both"] += 1
            stats["configs_ok"] += 1
        else:
            record("kwic-error", cmd=cmd, mine=str(e), rc=rc)
        return
    if rc != 0:
        record("kwic-rc", cmd=cmd, rc=rc, err=err[:300])
        return
    if fmt == "text":
        stats["text_configs"] += 1
        got = out.split("\n")
        assert got[-1] == ""
        got = got[:-1]
        want = K.text_lines(exp)
    elif fmt == "csv":
        got = out.split("\n")
        assert got[-1] == ""
        got = got[:-1]
        want = [",".join(K.COLS)] + [K.csv_row(r) for r in exp]
    else:
        stats["json_configs"] += 1
        try:
            got = json.loads(out)
        except ValueError:
            record("kwic-json", cmd=cmd, out=out[:300], err=err[-300:])
            return
        want = exp
    stats["lines"] += len(want)
    ok = True
    for k in range(max(len(got), len(want))):
        g = got[k] if k < len(got) else None
        w = want[k] if k < len(want) else None
        if fmt == "json":  # exact types and key order, not Python's 0 == False
            g = json.dumps(g, ensure_ascii=False)
            w = json.dumps(w, ensure_ascii=False)
        if g == w:
            stats["lines_ok"] += 1
        else:
            ok = False
            record("kwic-line", cmd=cmd, index=k, binary=g, mine=w, n_binary=len(got), n_mine=len(want))
            break
    if ok:
        stats["configs_ok"] += 1
    # summary line on stderr
    m = re.search(r"^(\d+) lines?(?: of (\d+))?( \(stopped at --limit\))?; searched (\d+) documents?, (\d+) tokens?", err, re.M)
    if m:
        n_shown = int(m.group(1))
        of = m.group(2)
        ok2 = n_shown == len(exp)
        if of is not None and int(of) != len(allexp):
            ok2 = False
        if ok2:
            stats["summary_ok"] += 1
        else:
            record("kwic-summary", cmd=cmd, summary=m.group(0), mine_shown=len(exp), mine_all=len(allexp))
    else:
        record("kwic-summary-missing", cmd=cmd, err=err[-300:])


PATSETS = {
    "edges.jsonl": [["x"], ["x", "x x"], ["=x"], ["a", "*"], ["x", "x", "a"]],
    "near.jsonl": [["t"], ["t", "t n"], ["n", "t"]],
    "overlap.jsonl": [["a", "a b", "b a", "* b", "~run", "a *", "*"], ["a"], ["a b", "a"]],
    "rand.jsonl": [["t"], ["t", "n"], ["t n", "* t", "t *"], ["~run", "n*"], ["*"]],
    "prose.jsonl": [["win-win"], ["cooperat*", "~develop", "*"], ["the", "china", "security *"],
                    ["not", "shared future", "中国"]],
    "mixed.jsonl": [["*"], ["a", "s", "win"], ["* *"]],
    "wh200.jsonl": [["the"], ["america*", "~secure", "president *"], ["china", "trade"]],
    "default.jsonl": [["external interference", "~interfere"], ["china's", "central asia*", "* countries"]],
}
NEARS = {
    "edges.jsonl": ["x", "a", "apple", "*"],
    "near.jsonl": ["n", "n m", "m", "t", "*", "n *", "m n"],
    "overlap.jsonl": ["a", "b", "a b", "*"],
    "rand.jsonl": ["n", "n m", "t", "*", "m *", "x", "not"],
    "prose.jsonl": ["the", "not", "china", "win-win", "* and"],
    "mixed.jsonl": ["a", "*", "s"],
    "wh200.jsonl": ["the", "president", "of the", "not"],
    "default.jsonl": ["the", "china", "not", "central asia"],
}
SORTS = [None, "doc", "match", "R1", "L1", "R1,L1", "L3,R2", "match,R1", "R5,L5", "L2,doc", "doc,R1",
         "R1,R2,R3", "L1,L2,L3,L4,L5", "R1,match"]

corpora = [c for c in PATSETS if os.path.exists(os.path.join(CORP, c))]
if QUICK:
    corpora = [c for c in corpora if c != "wh200.jsonl"]

print("kwic option fuzz ...", flush=True)
for corpus in corpora:
    for pats in PATSETS[corpus]:
        sorts = SORTS if corpus not in ("wh200.jsonl", "default.jsonl") else [None, "R1,L1", "match", "L2", "R1"]
        for srt in sorts:
            reps = 3 if corpus in ("near.jsonl", "rand.jsonl", "overlap.jsonl", "edges.jsonl") else 1
            for _ in range(reps):
                o = {"window": rng.choice([1, 2, 3, 5, 5, 10, 100]), "sentence": rng.random() < 0.4,
                     "sort": srt}
                if rng.random() < 0.5:
                    o["near"] = rng.choice(NEARS[corpus])
                    o["near_window"] = rng.choice([None, 1, 2, 3, 5])
                if rng.random() < 0.35:
                    o["limit"] = rng.choice([1, 2, 3, 7, 20])
                check_kwic(corpus, pats, o, fmt="json" if rng.random() < 0.15 else "csv")
    print(f"  {corpus}: disagreements so far {ndis}", flush=True)

# text format
print("text format ...", flush=True)
for corpus in corpora:
    for pats in PATSETS[corpus][:3]:
        for w in (3, 10, 100):
            check_kwic(corpus, pats, {"window": w, "sort": rng.choice([None, "R1", "match"])}, fmt="text")

# the README's two kwic examples, byte for byte (text format)
README_EX = [
    (["--frame", "sovereignty", "--lexicon", DEFLEX, "--sort", "R1", "--limit", "5", "--window", "4"], """                  Under the principle of  mutual respect        and friendly coexistence, China           cui-2018
                  and mutual respect for  sovereignty           and territorial integrity, which          fudan-2021
          issues concerning each other’s  core interests        and major concerns, respected             liu-2022
             development paths suited to  national conditions   and supported each other                  liu-2022
                 partnership, a model of  peaceful coexistence  between neighboring countries. On         cui-2018
""", "5 lines of 20; searched 5 documents, 6786 tokens"),
    (["external interference", "~interfere", "--window", "6"], """     Central Asian countries to fend off  interference           by external forces, and supports Central  xiao-2023
    for major events. We jointly opposed  external interference  in our internal affairs or attempts       liu-2022
…jor events. We jointly opposed external  interference           in our internal affairs or attempts       liu-2022
""", "3 lines; searched 5 documents, 6786 tokens")]
for a, want_out, want_err in README_EX:
    rc, out, err = run(["kwic", "--corpus", os.path.join(ROOT, "corpus"), "--format", "text"] + a)
    stats["configs"] += 1
    if out == want_out and err.strip() == want_err:
        stats["configs_ok"] += 1
    else:
        record("readme-example", cmd=a, binary=out + err, readme=want_out + want_err)

# --by/--target
for corpus, by, target in [("rand.jsonl", "voice", "alpha"), ("rand.jsonl", "voice", "alpha,gamma"),
                           ("edges.jsonl", "id", "e03,e04"), ("edges.jsonl", "year", "2001"),
                           ("rand.jsonl", "year", "2000")]:
    check_kwic(corpus, ["t"] if corpus == "rand.jsonl" else ["x"], {"by": by, "target": target, "sort": "R1"})

# --frame
print("kwic --frame ...", flush=True)
OVLEX = os.path.join(CORP, "ov.toml")
for corpus in ["overlap.jsonl", "rand.jsonl", "prose.jsonl", "near.jsonl"]:
    for fid in ["f1", "f2", "f3", "ov/f3"]:
        for srt in [None, "R1", "match,L1"]:
            o = {"frame": fid, "lexicons": [OVLEX], "window": rng.choice([1, 3, 5]), "sort": srt,
                 "sentence": rng.random() < 0.3}
            if rng.random() < 0.3:
                o["near"] = rng.choice(["a", "t", "n", "the"])
            check_kwic(corpus, [], o)
for corpus in ["prose.jsonl", "default.jsonl"] + (["wh200.jsonl"] if "wh200.jsonl" in corpora else []):
    for fid in ["win_win", "sovereignty", "security", "multilateralism"]:
        check_kwic(corpus, [], {"frame": fid, "lexicons": [DEFLEX], "sort": rng.choice([None, "R1", "L1,R1"]),
                                "window": rng.choice([3, 5])})

# run's hits.csv and its agreement with kwic --frame
print("run hits.csv ...", flush=True)


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return f.read().split("\n")[:-1]


HCOLS = ["doc_id", "lexicon", "frame", "pattern", "token_start", "token_end", "byte_start", "byte_end",
         "sentence", "negated", "left", "match", "right"]
for corpus, lexs, w, mh in [("overlap.jsonl", [OVLEX], 5, None), ("rand.jsonl", [OVLEX], 3, None),
                            ("prose.jsonl", [OVLEX, DEFLEX], 4, None), ("rand.jsonl", [OVLEX], 2, 7),
                            ("wh200.jsonl", [DEFLEX], 5, None), ("default.jsonl", [DEFLEX], 5, None),
                            ("default.jsonl", [DEFLEX], 3, 4)]:
    if corpus not in corpora:
        continue
    with tempfile.TemporaryDirectory(dir=WORK) as td:
        cmd = ["run", "--quiet", "--corpus", os.path.join(CORP, corpus), "--out", td, "--window", str(w)]
        for lx in lexs:
            cmd += ["--lexicon", lx]
        if mh is not None:
            cmd += ["--max-hits-per-frame", str(mh)]
        rc, out, err = run(cmd)
        if rc != 0:
            record("run-rc", cmd=cmd, err=err[-500:])
            continue
        got = read_csv(os.path.join(td, "hits.csv"))
        lex = [K.load_lexicon(p) for p in lexs]
        mine = K.hits_csv(docs(corpus), lex, window=w, max_hits=mh if mh is not None else 100000)
        want = [",".join(HCOLS)] + [K.csv_row(r, HCOLS) for r in mine]
        stats["hits_files"] += 1
        stats["hits_rows"] += len(want) - 1
        if got != want:
            k = next(k for k in range(max(len(got), len(want)))
                     if (got[k] if k < len(got) else None) != (want[k] if k < len(want) else None))
            record("hits-csv", cmd=cmd, index=k, binary=got[k] if k < len(got) else None,
                   mine=want[k] if k < len(want) else None, n_binary=len(got), n_mine=len(want))
        # kwic --frame vs hits.csv rows of that frame
        rows = list(csv.DictReader(io.StringIO("\n".join(got) + "\n")))
        multi = len(lexs) > 1
        for (ln, frames) in lex:
            for (fid, _) in frames:
                fref = f"{ln}/{fid}" if multi else fid
                sel = [r for r in rows if r["lexicon"] == ln and r["frame"] == fid]
                kcmd = ["kwic", "--quiet", "--corpus", os.path.join(CORP, corpus), "--frame", fref,
                        "--window", str(w), "--format", "csv"]
                for lx in lexs:
                    kcmd += ["--lexicon", lx]
                rc2, out2, err2 = run(kcmd)
                krows = list(csv.DictReader(io.StringIO(out2)))
                if mh is not None:
                    krows = krows[:mh]
                a = [[r[c] for c in K.COLS] for r in krows]
                b = [[r[c] for c in K.COLS] for r in sel]
                stats["frame_vs_hits"] += 1
                if a != b:
                    record("kwic-vs-hits", cmd=kcmd, n_kwic=len(a), n_hits=len(b),
                           first=next(([x, y] for x, y in zip(a, b) if x != y), None))

# score --by
print("score --by ...", flush=True)


def close(a, b):
    if a == "" or b is None:
        return a == "" and b is None
    x = float(a)
    return abs(x - b) <= 1e-9 * max(1.0, abs(b))


for corpus in ["edges.jsonl", "rand.jsonl", "prose.jsonl", "default.jsonl"]:
    for by in ["doc", "corpus", "voice", "year", "id"] + (["outlet", "author"] if corpus == "default.jsonl" else []):
        for lexs in ([OVLEX], [DEFLEX], [OVLEX, DEFLEX]):
            cmd = ["score", "--corpus", os.path.join(CORP, corpus), "--by", by, "--format", "csv"]
            for lx in lexs:
                cmd += ["--lexicon", lx]
            rc, out, err = run(cmd)
            if rc != 0:
                record("score-rc", cmd=cmd, err=err[-400:])
                continue
            got = list(csv.DictReader(io.StringIO(out)))
            lex = [K.load_lexicon(p) for p in lexs]
            mine = K.score(docs(corpus), lex, by=by)
            # README: "with --by FIELD the first column is group"; the binary writes doc_id for --by id
            first = "doc_id" if by in ("doc", "id") else "group"
            hdr = out.split("\n")[0]
            want_hdr = first + ",lexicon,frame,n_tokens,hits,negated,per_1k,ci_low,ci_high,share"
            if hdr != want_hdr:
                record("score-header", cmd=cmd, binary=hdr, mine=want_hdr)
            bad = None
            for k in range(max(len(got), len(mine))):
                g = got[k] if k < len(got) else None
                m = mine[k] if k < len(mine) else None
                stats["score_rows"] += 1
                ok = g is not None and m is not None and g.get(first) == K.guard(m["group"]) and \
                    g["lexicon"] == m["lexicon"] and g["frame"] == m["frame"] and \
                    int(g["n_tokens"]) == m["n_tokens"] and int(g["hits"]) == m["hits"] and \
                    int(g["negated"]) == m["negated"] and all(
                        close(g[c], m[c]) for c in ("per_1k", "ci_low", "ci_high", "share"))
                if ok:
                    stats["score_ok"] += 1
                elif bad is None:
                    bad = (k, g, {c: v for c, v in (m or {}).items()})
            if bad:
                record("score-row", cmd=cmd, index=bad[0], binary=bad[1], mine=bad[2],
                       n_binary=len(got), n_mine=len(mine))

print(json.dumps(stats, indent=1))
DIS.close()
tags = {}
for l in open(os.path.join(WORK, "disagreements.jsonl")):
    d = json.loads(l)
    if d["kind"] == "kwic-rc" and "capacity overflow" in d.get("err", "") + d.get("first", ""):
        t = "BUG: text format panics (capacity overflow) on an emoji+VS16 left context cut at 40 columns"
    elif d["kind"] == "kwic-line" and "text" in d["cmd"] and any(
            c in (d.get("binary") or "") for c in "\ufe0f\u20e3"):
        t = "text-format width of emoji sequences (README vague: '40 columns')"
    elif d["kind"] == "kwic-rc":
        t = "kwic-rc: " + d["err"].split("\n")[0][:120]
    else:
        t = d["kind"]
    tags[t] = tags.get(t, 0) + 1
for t, n in sorted(tags.items(), key=lambda x: -x[1]):
    print(f"  {n:4d}  {t}")
print("disagreements:", ndis, "->", os.path.join(WORK, "disagreements.jsonl"))
