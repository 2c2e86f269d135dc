//! Deterministic synthetic lexicons of any size, drawn from a vocabulary:
//! for benchmarks of the matcher and for differential tests against
//! [`super::find_naive`]. Never used for analysis.

use super::{Frame, Lexicon, Pattern};

/// A lexicon of `n_patterns` patterns over `n_frames` frames, made from
/// `vocab` (norms) with a fixed seed: single words, phrases of two and
/// three words, stems, globs and gaps, mixed as in real lexicons.
pub fn synthetic_lexicon(
    vocab: &[String],
    n_frames: usize,
    n_patterns: usize,
    seed: u64,
) -> Lexicon {
    assert!(!vocab.is_empty() && n_frames > 0);
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move |m: usize| {
        // PCG-style LCG step; the high bits are the random part.
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % m
    };
    let mut frames: Vec<Frame> = (0..n_frames)
        .map(|i| Frame {
            id: format!("f{i}"),
            label: format!("Frame {i}"),
            description: String::new(),
            patterns: Vec::new(),
        })
        .collect();
    let mut made = 0;
    while made < n_patterns {
        let w = |k: usize| vocab[k].as_str();
        let a = w(next(vocab.len()));
        let b = w(next(vocab.len()));
        let c = w(next(vocab.len()));
        let source = match next(10) {
            0..=3 => a.to_string(),
            4 | 5 => format!("{a} {b}"),
            6 => format!("{a} {b} {c}"),
            7 => format!("~{a}"),
            8 => {
                let cut: String = a.chars().take(3).collect();
                format!("{cut}*")
            }
            _ => format!("{a} *"),
        };
        // Words that are not patterns on their own (punctuation-only
        // norms cannot occur; stems need one token) are skipped.
        if let Ok(p) = Pattern::parse(&source) {
            frames[next(n_frames)].patterns.push(p);
            made += 1;
        }
    }
    frames.retain(|f| !f.patterns.is_empty());
    Lexicon {
        id: format!("synthetic-{n_patterns}"),
        name: format!("{n_patterns} synthetic patterns"),
        version: seed.to_string(),
        description: String::new(),
        language: "english".to_string(),
        frames,
        path: None,
    }
}
