//! Frame scores (CONTRACT.md §8): hits of each frame per document or
//! group, with rates, exact intervals and shares. Takes analysis data,
//! returns rows; never reads text.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::dist::poisson_ci;
use super::per_1k;
use crate::analyze::{group_value, By, DocSummary, FrameCount};
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

/// Score every document (or group) against every frame. Rows follow
/// document (group) order, then lexicon, then frame order.
pub fn frame_scores(docs: &[DocSummary], frames: &FrameSet, by: &By) -> Result<Vec<FrameScore>> {
    // Groups in order of first appearance, with summed counts.
    let mut names: Vec<String> = Vec::new();
    let mut sums: Vec<(u64, Vec<FrameCount>)> = Vec::new();
    let mut ids: FxHashMap<String, usize> = FxHashMap::default();
    for d in docs {
        let name = match by {
            By::Doc => d.id.clone(),
            By::Corpus => "corpus".to_string(),
            By::Field(f) => group_value(&d.id, &d.meta, f)?,
        };
        let gi = *ids.entry(name.clone()).or_insert_with(|| {
            names.push(name);
            sums.push((0, vec![FrameCount::default(); frames.len()]));
            sums.len() - 1
        });
        let (tokens, counts) = &mut sums[gi];
        *tokens += d.n_tokens;
        for (c, dc) in counts.iter_mut().zip(&d.frames) {
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
                let (lo, hi) = *cis.entry(c.hits).or_insert_with(|| poisson_ci(c.hits));
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
