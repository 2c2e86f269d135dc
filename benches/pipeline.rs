//! Criterion benchmarks of the pipeline on the default corpus. Each one
//! asserts its answer, so a faster wrong result cannot pass for a win.
//!
//! Run: `cargo bench --bench pipeline` (all), `cargo bench --bench
//! pipeline -- scale_` (the ~100 MB generated corpus only;
//! `FRAMESCOPE_BENCH_MB=N` changes its size). Figures and the machine
//! they were measured on are in the README.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::sync::Arc;

use framescope::analyze::{analyze, concordance, By, KwicQuery, Plan, TableSpec};
use framescope::corpus::{Corpus, ReadOptions};
use framescope::lexicon::{find_naive, synthetic_lexicon, FrameMatcher, FrameSet, Pattern};
use framescope::text::{self, Analyzer};

/// Tokens of the default corpus under CONTRACT v1.
const N_TOKENS: usize = 6786;

fn texts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn bench_text(c: &mut Criterion) {
    let texts = texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut g = c.benchmark_group("text");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("spans", |b| {
        b.iter(|| {
            let n: usize = texts.iter().map(|t| text::spans(t).count()).sum();
            assert_eq!(n, N_TOKENS);
        })
    });
    // A warm analyzer: interner and stem cache filled, as in a long run.
    let mut an = Analyzer::english();
    g.bench_function("tokens_warm", |b| {
        let mut toks = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for t in &texts {
                an.tokens_into(t, &mut toks);
                n += toks.len();
            }
            assert_eq!(n, N_TOKENS);
        })
    });
    g.bench_function("tokens_cold", |b| {
        b.iter(|| {
            let mut an = Analyzer::english();
            let n: usize = texts.iter().map(|t| an.tokens(t).len()).sum();
            assert_eq!(n, N_TOKENS);
        })
    });
    g.finish();
}

fn bench_analyze(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let corpus = Corpus::open(&dir, &ReadOptions::default()).unwrap();
    let plan = Plan {
        tables: vec![
            TableSpec {
                by: By::Corpus,
                ..TableSpec::default()
            },
            TableSpec {
                n: 2,
                by: By::Corpus,
                drop_stopwords: true,
                min_count: 2,
                ..TableSpec::default()
            },
            TableSpec {
                n: 3,
                by: By::Corpus,
                drop_stopwords: true,
                min_count: 2,
                ..TableSpec::default()
            },
        ],
        ..Plan::default()
    };
    let mut g = c.benchmark_group("analyze");
    g.throughput(Throughput::Bytes(45737));
    g.bench_function("default_corpus_run_plan", |b| {
        b.iter(|| {
            let an = analyze(&corpus, &plan, &|_, _| {}).unwrap();
            assert_eq!(an.n_tokens(), N_TOKENS as u64);
        })
    });
    g.finish();
}

/// The matcher's cost per token must not grow with the lexicon: the same
/// 10 patterns that hit the text, padded to 200 and 2,000 patterns with
/// words, phrases, stems and globs that occur nowhere in it (as most of a
/// large lexicon does not in any one corpus). Every size must find the
/// same hits, checked against the contract's plain definition before
/// timing.
fn bench_match(c: &mut Criterion) {
    let texts = texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut vocab: Vec<String> = texts
        .iter()
        .flat_map(|t| text::spans(t).map(|(s, e)| text::norm(&t[s..e])))
        .collect();
    vocab.sort();
    vocab.dedup();
    let absent: Vec<String> = (0..5000).map(|i| format!("zq{i:04}x")).collect();
    let mut g = c.benchmark_group("match");
    g.throughput(Throughput::Bytes(bytes as u64));
    let mut first: Option<usize> = None;
    for n in [10, 200, 2000] {
        let mut lex = synthetic_lexicon(&vocab, 8, 10, 7);
        if n > 10 {
            let pad = synthetic_lexicon(&absent, 8, n - 10, 8);
            for (f, p) in lex.frames.iter_mut().zip(pad.frames) {
                f.patterns.extend(p.patterns);
            }
        }
        let frames = FrameSet::new(vec![lex]);
        let mut an = Analyzer::english();
        let mut m = FrameMatcher::new(&frames, &mut an);
        let toks: Vec<_> = texts.iter().map(|t| an.tokens(t)).collect();
        let want: usize = toks.iter().map(|t| find_naive(&frames, &an, t).len()).sum();
        assert_eq!(
            *first.get_or_insert(want),
            want,
            "padding must not add hits"
        );
        g.bench_function(format!("patterns_{n}"), |b| {
            let mut hits = Vec::new();
            b.iter(|| {
                let mut got = 0;
                for t in &toks {
                    m.find_into(&an, t, &mut hits);
                    got += hits.len();
                }
                assert_eq!(got, want);
            })
        });
    }
    g.finish();
}

/// A JSONL corpus of about `mb` megabytes, made of the default corpus'
/// sentences drawn in a fixed pseudo-random order into documents of 20
/// to 80 sentences: realistic words at any size, the same bytes on every
/// machine. Written once under target/.
fn generated_corpus(mb: usize) -> std::path::PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("bench-corpus-{mb}mb.jsonl"));
    if path.exists() {
        return path;
    }
    let sentences: Vec<String> = texts()
        .iter()
        .flat_map(|t| {
            t.split_inclusive(". ")
                .map(|s| s.replace(['\n', '\r'], " "))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut state: u64 = 0x9e3779b97f4a7c15;
    let mut next = move |n: usize| {
        // xorshift64*: fixed, portable, good enough to shuffle.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545f4914f6cdd1d) >> 33) as usize % n
    };
    let mut out = String::new();
    let mut doc = 0;
    while out.len() < mb << 20 {
        let k = 20 + next(61);
        let text: String = (0..k)
            .map(|_| sentences[next(sentences.len())].as_str())
            .collect();
        let line =
            serde_json::json!({"id": format!("g{doc:06}"), "year": 2018 + doc % 7, "text": text});
        out.push_str(&line.to_string());
        out.push('\n');
        doc += 1;
    }
    std::fs::write(&path, out).unwrap();
    path
}

/// A handful of KWIC patterns over ~100 MB against the one pass that only
/// tokenizes (what `framescope corpus` does): the concordance should cost
/// no more than reading the text once.
fn bench_kwic(c: &mut Criterion) {
    let mb: usize = std::env::var("FRAMESCOPE_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let path = generated_corpus(mb);
    let bytes = std::fs::metadata(&path).unwrap().len();
    let corpus = Corpus::open(&path, &ReadOptions::default()).unwrap();
    let patterns = [
        "win-win cooperation",
        "~interfere",
        "sovereign*",
        "shared * future",
        "security",
    ];
    let query = KwicQuery {
        frames: Arc::new(FrameSet::from_patterns(
            patterns
                .iter()
                .map(|p| Pattern::parse(p).unwrap())
                .collect(),
        )),
        window: 5,
        sentence: false,
        sort: Vec::new(),
        near: None,
        select: None,
        limit: None,
        segment_bytes: framescope::analyze::SEGMENT_BYTES,
    };
    let mut g = c.benchmark_group(format!("scale_{mb}mb"));
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes));
    let tokens = analyze(&corpus, &Plan::default(), &|_, _| {})
        .unwrap()
        .n_tokens();
    g.bench_function("one_pass_tokens", |b| {
        b.iter(|| {
            let an = analyze(&corpus, &Plan::default(), &|_, _| {}).unwrap();
            assert_eq!(an.n_tokens(), tokens);
        })
    });
    let want = concordance(&corpus, &query, &|_, _| {})
        .unwrap()
        .lines
        .len();
    assert!(want > 1000, "{want} lines");
    g.bench_function("kwic_5_patterns", |b| {
        b.iter(|| {
            let conc = concordance(&corpus, &query, &|_, _| {}).unwrap();
            assert_eq!(conc.lines.len(), want);
            assert_eq!(conc.n_tokens, tokens);
        })
    });
    g.finish();
}

/// frames.csv's rows for 20,000 documents of 30 tokens (a few with
/// hits): the CSV writing that dominates `run` on short documents.
fn bench_output(c: &mut Criterion) {
    use framescope::analyze::FrameCount;
    use framescope::output::{rows, CsvSink};
    use framescope::stats::group_scores;
    use rustc_hash::FxHashMap;
    let frames = FrameSet::new(vec![framescope::lexicon::Lexicon::builtin()]);
    let n_docs = 20_000;
    let docs: Vec<(String, u64, Vec<FrameCount>)> = (0..n_docs)
        .map(|i| {
            let counts = if i % 7 == 0 {
                (0..frames.len())
                    .map(|f| FrameCount {
                        hits: ((i + f) % 3) as u64,
                        negated: 0,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            (format!("S{i}-0"), 20 + (i % 17) as u64, counts)
        })
        .collect();
    let n_rows = n_docs * frames.len();
    let mut g = c.benchmark_group("output");
    g.throughput(Throughput::Elements(n_rows as u64));
    g.bench_function("frames_rows", |b| {
        let mut spare = Vec::new();
        b.iter(|| {
            let mut sink = CsvSink::appending(std::mem::take(&mut spare));
            let mut cis = FxHashMap::default();
            for (id, n_tokens, counts) in &docs {
                group_scores(id, *n_tokens, counts, &frames, &mut cis, |r| {
                    rows::score_row(r, &mut sink)
                });
            }
            let bytes = sink.into_bytes().unwrap();
            assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), n_rows);
            spare = bytes;
            spare.clear();
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    bench_text,
    bench_analyze,
    bench_match,
    bench_output
);
criterion_group!(scale, bench_kwic);
criterion_main!(benches, scale);
