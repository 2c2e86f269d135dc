//! The indexed matcher against the contract's plain definition
//! (`find_naive`) on real text with synthetic lexicons of every shape.

use framescope::lexicon::{find_naive, synthetic_lexicon, FrameMatcher, FrameSet, Lexicon};
use framescope::text::Analyzer;

fn corpus_texts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
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

fn vocab(texts: &[String]) -> Vec<String> {
    let mut v: Vec<String> = texts
        .iter()
        .flat_map(|t| framescope::text::spans(t).map(|(s, e)| framescope::text::norm(&t[s..e])))
        .collect();
    v.sort();
    v.dedup();
    v
}

fn same_hits(lex: Lexicon, texts: &[String]) -> usize {
    let frames = FrameSet::new(vec![lex]);
    let mut an = Analyzer::english();
    let mut m = FrameMatcher::new(&frames, &mut an);
    let mut total = 0;
    for t in texts {
        let toks = an.tokens(t);
        let fast = m.find(&an, &toks);
        let slow = find_naive(&frames, &an, &toks);
        assert_eq!(fast, slow);
        total += fast.len();
    }
    total
}

#[test]
fn matcher_agrees_with_the_definition_on_synthetic_lexicons() {
    let texts = corpus_texts();
    let v = vocab(&texts);
    for (n, seed) in [(10, 1), (50, 2), (300, 3), (2000, 4)] {
        for frames in [1, 8] {
            let hits = same_hits(synthetic_lexicon(&v, frames, n, seed), &texts);
            assert!(
                hits > 0,
                "{n} patterns found nothing: the test would prove nothing"
            );
        }
    }
}

#[test]
fn matcher_agrees_with_the_definition_on_the_default_lexicon() {
    let texts = corpus_texts();
    let hits = same_hits(Lexicon::builtin(), &texts);
    assert!(hits > 100);
}
