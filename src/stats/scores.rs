//! Frame scores (CONTRACT.md §8): hits of each frame per document or
//! group, with rates, exact intervals and shares. Takes analysis data,
//! returns rows; never reads text.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::dist::poisson_ci;
use super::per_1k;
use crate::analyze::{group_value, By, Doc, FrameCount};
use crate::error::Result;
use crate::lexicon::FrameSet;

/// One row of `score` and frames.csv.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FrameScore {
    /// Document id, group value or `corpus`.
    pub group: String,
    pub lexicon: String,
    pub frame: String,
    pub n_tokens: u64,
    pub hits: u64,
    pub negated: u64,
    /// 1000 · hits / tokens; `None` without tokens.
    pub per_1k: Option<f64>,
    /// Garwood 95% interval of the rate, scaled like `per_1k`.
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// hits / hits of every frame of the group (0 when there are none).
    pub share: f64,
}

/// The intervals of hit counts below 256, computed once per process:
/// most documents' counts are small, and each call of [`frame_scores`]
/// (a block of a few documents, for frames.csv) had computed its own.
fn small_cis() -> &'static [(f64, f64)] {
    static CIS: std::sync::OnceLock<Vec<(f64, f64)>> = std::sync::OnceLock::new();
    CIS.get_or_init(|| (0..256).map(poisson_ci).collect())
}

/// Score every document (or group) against every frame. Rows follow
/// document (group) order, then lexicon, then frame order. `docs` is
/// every document ([`crate::analyze::Docs::iter`]) or some of them
/// ([`crate::analyze::Docs::range`]).
pub fn frame_scores<'a>(
    docs: impl IntoIterator<Item = Doc<'a>>,
    frames: &FrameSet,
    by: &By,
) -> Result<Vec<FrameScore>> {
    // Groups in order of first appearance, with summed counts.
    let mut names: Vec<String> = Vec::new();
    let mut sums: Vec<(u64, Vec<FrameCount>)> = Vec::new();
    let mut ids: FxHashMap<String, usize> = FxHashMap::default();
    for d in docs {
        let name = match by {
            By::Doc => d.id().to_string(),
            By::Corpus => "corpus".to_string(),
            By::Field(f) => group_value(d.id(), &d.meta(), f)?,
        };
        let gi = *ids.entry(name.clone()).or_insert_with(|| {
            names.push(name);
            sums.push((0, vec![FrameCount::default(); frames.len()]));
            sums.len() - 1
        });
        let (tokens, counts) = &mut sums[gi];
        *tokens += d.n_tokens();
        for (c, dc) in counts.iter_mut().zip(d.frames()) {
            c.hits += dc.hits;
            c.negated += dc.negated;
        }
    }
    let mut cis: FxHashMap<u64, (f64, f64)> = FxHashMap::default();
    let mut rows = Vec::with_capacity(names.len() * frames.len());
    for (name, (n_tokens, counts)) in names.into_iter().zip(sums) {
        let total: u64 = counts.iter().map(|c| c.hits).sum();
        for (fi, c) in counts.iter().enumerate() {
            let (lex, frame) = frames.get(fi);
            let (ci_low, ci_high) = if n_tokens == 0 {
                (None, None)
            } else {
                let (lo, hi) = match small_cis().get(c.hits as usize) {
                    Some(&ci) => ci,
                    None => *cis.entry(c.hits).or_insert_with(|| poisson_ci(c.hits)),
                };
                let scale = 1000.0 / n_tokens as f64;
                (Some(lo * scale), Some(hi * scale))
            };
            rows.push(FrameScore {
                group: name.clone(),
                lexicon: lex.id.clone(),
                frame: frame.id.clone(),
                n_tokens,
                hits: c.hits,
                negated: c.negated,
                per_1k: per_1k(c.hits, n_tokens),
                ci_low,
                ci_high,
                share: if total == 0 {
                    0.0
                } else {
                    c.hits as f64 / total as f64
                },
            });
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{DocSummary, Docs};
    use crate::corpus::Meta;
    use crate::lexicon::Lexicon;

    /// Counts below 256 take their interval from the table made once,
    /// the others compute it: both are the Garwood interval of the count.
    #[test]
    fn intervals_of_small_and_large_counts() {
        let frames = FrameSet::new(vec![Lexicon::builtin()]);
        let counts = [0u64, 1, 3, 255, 256, 300, 10_000];
        let n_tokens = 50_000;
        let docs: Docs = counts
            .iter()
            .enumerate()
            .map(|(i, &hits)| DocSummary {
                id: format!("d{i}"),
                meta: Meta::new(Vec::new()),
                n_tokens,
                n_types: 1,
                n_sentences: 1,
                n_bytes: 1,
                frames: (0..frames.len())
                    .map(|f| FrameCount {
                        hits: if f == 0 { hits } else { 0 },
                        negated: 0,
                    })
                    .collect(),
            })
            .collect();
        let rows = frame_scores(docs.iter(), &frames, &By::Doc).unwrap();
        for (i, &hits) in counts.iter().enumerate() {
            let r = &rows[i * frames.len()];
            assert_eq!((r.group.as_str(), r.hits), (format!("d{i}").as_str(), hits));
            let (lo, hi) = poisson_ci(hits);
            let scale = 1000.0 / n_tokens as f64;
            assert_eq!((r.ci_low, r.ci_high), (Some(lo * scale), Some(hi * scale)));
        }
    }
}
