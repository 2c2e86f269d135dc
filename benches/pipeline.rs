//! Criterion benchmarks of the pipeline on the default corpus. Each one
//! asserts its answer, so a faster wrong result cannot pass for a win.
//!
//! Run: `cargo bench --bench pipeline`. Figures and the machine they were
//! measured on are in the README.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use framescope::analyze::{analyze, By, Plan, TableSpec};
use framescope::corpus::{Corpus, ReadOptions};
use framescope::lexicon::{find_naive, synthetic_lexicon, FrameMatcher, FrameSet};
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

criterion_group!(benches, bench_text, bench_analyze, bench_match);
criterion_main!(benches);
