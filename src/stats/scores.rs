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

/// One row of `score` and frames.csv, its text owned (`S` = `String`)
/// or borrowed ([`ScoreRef`]).
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct FrameScore<S = String> {
    /// Document id, group value or `corpus`.
    pub group: S,
    pub lexicon: S,
    pub frame: S,
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
/// document order (groups of a field in [`super::group_order`]), then
/// lexicon, then frame order. `docs` is
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
        let meta = d.meta();
        let name = match by {
            By::Doc => std::borrow::Cow::Borrowed(d.id()),
            By::Corpus => std::borrow::Cow::Borrowed("corpus"),
            By::Field(f) => group_value(names.is_empty(), d.id(), &meta, f)?,
        };
        // The name is copied only for a group not seen before (by year,
        // millions of documents fall in a few groups).
        let gi = match ids.get(&*name) {
            Some(&gi) => gi,
            None => {
                ids.insert(name.to_string(), sums.len());
                names.push(name.into_owned());
                sums.push((0, vec![FrameCount::default(); frames.len()]));
                sums.len() - 1
            }
        };
        let (tokens, counts) = &mut sums[gi];
        *tokens += d.n_tokens();
        for (c, dc) in counts.iter_mut().zip(d.frames()) {
            c.hits += dc.hits;
            c.negated += dc.negated;
        }
    }
    let mut groups: Vec<(String, (u64, Vec<FrameCount>))> = names.into_iter().zip(sums).collect();
    if matches!(by, By::Field(_)) {
        groups.sort_by(|a, b| super::group_order(&a.0, &b.0));
    }
    let mut cis: FxHashMap<u64, (f64, f64)> = FxHashMap::default();
    let mut rows = Vec::with_capacity(groups.len() * frames.len());
    for (name, (n_tokens, counts)) in groups {
        group_scores(&name, n_tokens, &counts, frames, &mut cis, |r| {
            rows.push(r.to_score())
        });
    }
    Ok(rows)
}

/// A row of [`frame_scores`] with its text borrowed: frames.csv writes
/// millions of them without making three strings each.
pub type ScoreRef<'a> = FrameScore<&'a str>;

impl<S> FrameScore<S> {
    /// The same row with each of its three texts passed through `f`.
    fn map_text<'s, T>(&'s self, f: impl Fn(&'s S) -> T) -> FrameScore<T> {
        FrameScore {
            group: f(&self.group),
            lexicon: f(&self.lexicon),
            frame: f(&self.frame),
            n_tokens: self.n_tokens,
            hits: self.hits,
            negated: self.negated,
            per_1k: self.per_1k,
            ci_low: self.ci_low,
            ci_high: self.ci_high,
            share: self.share,
        }
    }
}

impl ScoreRef<'_> {
    /// The row with its text owned.
    pub fn to_score(&self) -> FrameScore {
        self.map_text(|s| s.to_string())
    }
}

impl FrameScore {
    /// The row with its text borrowed.
    pub fn borrowed(&self) -> ScoreRef<'_> {
        self.map_text(String::as_str)
    }
}

/// The rows of one document (or group): `n_tokens` tokens and `counts`
/// hits per frame (a count not there is zero), one row per frame in
/// order, handed to `row`. `cis` keeps the intervals of counts of 256
/// and more, computed once per caller.
pub fn group_scores(
    name: &str,
    n_tokens: u64,
    counts: &[FrameCount],
    frames: &FrameSet,
    cis: &mut FxHashMap<u64, (f64, f64)>,
    mut row: impl FnMut(&ScoreRef<'_>),
) {
    let count = |fi: usize| counts.get(fi).copied().unwrap_or_default();
    let total: u64 = (0..frames.len()).map(|fi| count(fi).hits).sum();
    for fi in 0..frames.len() {
        let c = count(fi);
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
        row(&ScoreRef {
            group: name,
            lexicon: &lex.id,
            frame: &frame.id,
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

    /// A document's rows made one at a time with borrowed text (how
    /// frames.csv is written) are its rows of `frame_scores`: with all
    /// its counts, some of them, none, or no tokens at all.
    #[test]
    fn rows_made_one_document_at_a_time_are_the_scores() {
        let frames = FrameSet::new(vec![Lexicon::builtin()]);
        let doc = |id: &str, n_tokens: u64, hits: &[u64]| DocSummary {
            id: id.to_string(),
            meta: Meta::new(Vec::new()),
            n_tokens,
            n_types: 1,
            n_sentences: 1,
            n_bytes: 1,
            frames: hits
                .iter()
                .map(|&h| FrameCount {
                    hits: h,
                    negated: h / 2,
                })
                .collect(),
        };
        let all = [3, 0, 1, 700, 2, 0, 5, 9];
        let docs: Docs = [
            doc("all", 1200, &all[..frames.len().min(all.len())]),
            doc("some", 40, &[0, 4]),
            doc("none", 10, &[]),
            doc("empty", 0, &[]),
        ]
        .into_iter()
        .collect();
        let want = frame_scores(docs.iter(), &frames, &By::Doc).unwrap();
        let mut got = Vec::new();
        let mut cis = FxHashMap::default();
        for d in docs.iter() {
            group_scores(d.id(), d.n_tokens(), d.frames(), &frames, &mut cis, |r| {
                got.push(r.to_score())
            });
        }
        assert_eq!(got.len(), 4 * frames.len());
        assert_eq!(got, want);
        assert_eq!(
            (want[0].hits, want[0].negated, want[0].per_1k),
            (3, 1, Some(2.5))
        );
        assert_eq!(want[frames.len() + 1].hits, 4);
        assert_eq!(want[2 * frames.len()].share, 0.0);
        assert_eq!(want[3 * frames.len()].ci_high, None);
    }
}
