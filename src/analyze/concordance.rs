//! Concordances (`framescope kwic`): every match of some patterns, or of
//! a frame's patterns, with its context (CONTRACT.md §6, §7, §9), filtered,
//! sorted and cut the way a reader asks. One pass over the corpus on the
//! shared pipeline; only the lines are kept.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use super::{pass, HitRow, Progress, Selection};
use crate::corpus::{Corpus, Document};
use crate::error::{Error, Result};
use crate::lexicon::{FrameMatcher, FrameSet, Hit};
use crate::text::{Analyzer, Parts, Token};

/// The farthest token a sort key can look at, each side of the match.
pub const MAX_SORT_OFFSET: u8 = 5;

/// One key of `--sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Document order, then first token, then query order (the default).
    Doc,
    /// The norms of the matched tokens, compared as a sequence.
    Match,
    /// `Lk`: the norm of the k-th token left of the match.
    Left(u8),
    /// `Rk`: the norm of the k-th token right of the match.
    Right(u8),
}

impl FromStr for SortKey {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<SortKey, String> {
        let bad = || {
            format!(
                "unknown sort key {s:?}; use doc, match, L1 to L{MAX_SORT_OFFSET} or R1 to \
                 R{MAX_SORT_OFFSET}, comma-separated (e.g. R1,R2)"
            )
        };
        match s {
            "doc" => return Ok(SortKey::Doc),
            "match" => return Ok(SortKey::Match),
            _ => {}
        }
        let (side, k) = s.split_at_checked(1).ok_or_else(bad)?;
        let k: u8 = k.parse().map_err(|_| bad())?;
        if !(1..=MAX_SORT_OFFSET).contains(&k) {
            return Err(bad());
        }
        match side {
            "L" | "l" => Ok(SortKey::Left(k)),
            "R" | "r" => Ok(SortKey::Right(k)),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for SortKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SortKey::Doc => f.write_str("doc"),
            SortKey::Match => f.write_str("match"),
            SortKey::Left(k) => write!(f, "L{k}"),
            SortKey::Right(k) => write!(f, "R{k}"),
        }
    }
}

/// What to look for and how to present it.
#[derive(Debug, Clone)]
pub struct KwicQuery {
    /// Each frame is one query; its patterns are matched together by the
    /// rules of §7 (ad-hoc patterns: one frame each, see
    /// [`FrameSet::from_patterns`]).
    pub frames: Arc<FrameSet>,
    /// Tokens of context each side.
    pub window: usize,
    /// Clip the context to the match's sentence.
    pub sentence: bool,
    /// Sort keys, applied in order; ties keep document order.
    pub sort: Vec<SortKey>,
    /// Keep only lines with a hit of this (one-frame) query within this
    /// many tokens, not overlapping the match.
    pub near: Option<(Arc<FrameSet>, usize)>,
    /// Only documents of this group.
    pub select: Option<Selection>,
    /// At most this many lines (after sorting).
    pub limit: Option<usize>,
    /// Bytes of a document's text tokenized at a time
    /// ([`Plan::segment_bytes`](super::Plan::segment_bytes)); results do
    /// not depend on it.
    pub segment_bytes: usize,
}

/// One concordance line: a hit with its place and context, and its
/// document's id.
#[derive(Debug, Clone, PartialEq)]
pub struct KwicLine {
    /// The hit (`frame` is the query, `pattern` the pattern within it).
    pub hit: HitRow,
    pub doc_id: String,
    /// One value per sort key (empty for `doc`; empty for a missing token,
    /// so it sorts first).
    keys: Vec<Vec<Box<str>>>,
}

/// The lines and what was searched.
#[derive(Debug, Clone, PartialEq)]
pub struct Concordance {
    /// The lines (empty when a taker of lines took them:
    /// [`concordance_with`]).
    pub lines: Vec<KwicLine>,
    /// Lines listed (after `--limit`), kept or taken.
    pub n_lines: u64,
    /// Documents searched (in the group, if any).
    pub n_docs: u64,
    /// Tokens searched.
    pub n_tokens: u64,
    /// Lines before `--limit`; `None` when the pass stopped early at the
    /// limit (document order), so the total is unknown.
    pub n_total: Option<u64>,
}

struct Worker {
    an: Analyzer,
    matcher: FrameMatcher,
    near: Option<FrameMatcher>,
    toks: Vec<Token>,
    hits: Vec<Hit>,
    near_hits: Vec<Hit>,
}

struct DocLines {
    lines: Vec<KwicLine>,
    n_tokens: u64,
    n_bytes: u64,
}

/// [`concordance_with`]'s taker of lines: a batch of documents' lines at
/// a time, in document order.
pub type TakeLines<'a> = dyn FnMut(Vec<KwicLine>) -> Result<()> + Send + 'a;

/// Build the concordance of `query` over `corpus`.
pub fn concordance(
    corpus: &Corpus,
    query: &KwicQuery,
    progress: Progress<'_>,
) -> Result<Concordance> {
    concordance_with(corpus, query, progress, None)
}

/// [`concordance`], handing the lines to `take` as the documents are
/// read when they are listed in document order (no sort key but `doc`)
/// instead of keeping them: a concordance of a common word in a gigabyte
/// is millions of lines. Sorted lines are kept, but with `--limit` only
/// the first ones so far (at most twice the limit at a time).
pub fn concordance_with(
    corpus: &Corpus,
    query: &KwicQuery,
    progress: Progress<'_>,
    mut take: Option<&mut TakeLines<'_>>,
) -> Result<Concordance> {
    let workers = pass::workers(|| {
        let mut an = Analyzer::english();
        let matcher = FrameMatcher::new(&query.frames, &mut an);
        let near = query
            .near
            .as_ref()
            .map(|(fs, _)| FrameMatcher::new(fs, &mut an));
        Worker {
            an,
            matcher,
            near,
            toks: Vec::new(),
            hits: Vec::new(),
            near_hits: Vec::new(),
        }
    });
    // The tokens each side of a hit that its line reads: its window, its
    // sort keys' neighbours, and a near hit (whole) within the distance.
    let context = query
        .sort
        .iter()
        .map(|k| match *k {
            SortKey::Left(k) | SortKey::Right(k) => k as usize,
            _ => 0,
        })
        .chain([query.window])
        .chain(query.near.as_ref().map(|(fs, d)| {
            let longest = (0..fs.len())
                .flat_map(|i| fs.get(i).1.patterns.iter().map(|p| p.tests.len()))
                .max()
                .unwrap_or(0);
            d.saturating_add(longest)
        }))
        .max()
        .unwrap_or(0);
    let in_doc_order = query.sort.iter().all(|k| *k == SortKey::Doc);
    let early_stop = if in_doc_order { query.limit } else { None };
    let mut docs = corpus.documents()?;
    let mut lines: Vec<KwicLine> = Vec::new();
    // Lines made, and lines handed to `take`.
    let (mut n_made, mut n_taken) = (0u64, 0u64);
    let (mut n_docs, mut n_tokens, mut n_bytes) = (0u64, 0u64, 0u64);
    let mut stopped = false;
    // Which listed values some document has.
    let mut found = vec![false; query.select.as_ref().map_or(0, |s| s.values.len())];
    pass::run(
        &mut docs,
        &workers,
        |doc| match &query.select {
            Some(sel) => Ok(sel.position(doc)?.map(|k| found[k] = true)),
            None => Ok(Some(())),
        },
        |w, doc, _| lines_of(w, doc, query, context),
        |done, _| {
            for d in done {
                n_docs += 1;
                n_tokens += d.n_tokens;
                n_bytes += d.n_bytes;
                n_made += d.lines.len() as u64;
                lines.extend(d.lines);
            }
            progress(n_docs, n_bytes);
            if let (Some(limit), false) = (query.limit, in_doc_order) {
                // The first `limit` lines of all are among the first
                // `limit` of those so far (a stable sort: ties keep
                // document order).
                if lines.len() > 2 * limit.max(1 << 12) {
                    lines.sort_by(|a, b| compare(a, b, &query.sort));
                    lines.truncate(limit);
                }
            }
            let listed = n_taken + lines.len() as u64;
            if let Some(limit) = early_stop {
                let over = listed.saturating_sub(limit as u64) as usize;
                lines.truncate(lines.len() - over);
            }
            if let (Some(take), true) = (take.as_mut(), in_doc_order) {
                n_taken += lines.len() as u64;
                take(std::mem::take(&mut lines))?;
            }
            if let Some(limit) = early_stop {
                if listed >= limit as u64 {
                    stopped = true;
                    return Ok(false);
                }
            }
            Ok(true)
        },
    )?;
    // Stopped early, the last document read still has its id checked.
    docs.finish()?;
    if n_docs == 0 && !stopped && query.select.is_none() {
        return Err(corpus.empty_error());
    }
    if let Some(sel) = &query.select {
        if n_docs == 0 && !stopped {
            return Err(Error::invalid(format!(
                "no document has {}; check the field and the values (see \
                 `framescope corpus`){}",
                sel.describe(),
                sel.comma_hint()
            )));
        }
        // Some values found and others not: a typo, or a value holding a
        // comma written plainly.
        if !stopped {
            if let Some(k) = found.iter().position(|f| !f) {
                eprintln!(
                    "framescope: warning: no document has {} = {}; the lines are of the \
                     other values{}",
                    sel.field,
                    sel.values[k],
                    sel.comma_hint()
                );
            }
        }
    }
    let n_total = (!stopped).then_some(n_made);
    if !in_doc_order {
        lines.sort_by(|a, b| compare(a, b, &query.sort));
    }
    if let Some(limit) = query.limit {
        lines.truncate(limit);
    }
    Ok(Concordance {
        n_lines: n_taken + lines.len() as u64,
        lines,
        n_docs,
        n_tokens,
        n_total,
    })
}

fn compare(a: &KwicLine, b: &KwicLine, keys: &[SortKey]) -> Ordering {
    for (k, key) in keys.iter().enumerate() {
        let o = match key {
            SortKey::Doc => (a.hit.doc, a.hit.token_start, a.hit.frame).cmp(&(
                b.hit.doc,
                b.hit.token_start,
                b.hit.frame,
            )),
            _ => a.keys[k].cmp(&b.keys[k]),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// The lines of one document, read a part at a time ([`Parts`]): each
/// part comes with `context` tokens each side, and the context before it
/// starts where a sentence does, so a near hit in it is the document's.
fn lines_of(w: &mut Worker, doc: &Document, query: &KwicQuery, context: usize) -> DocLines {
    let Worker {
        an,
        matcher,
        near,
        toks,
        hits,
        near_hits,
    } = w;
    let mut lines = Vec::new();
    let mut n_tokens = 0;
    let mut parts = Parts::new(query.segment_bytes, context, near.is_some());
    while let Some((core, base)) = parts.next(an, &doc.text, toks) {
        n_tokens += core.len() as u64;
        matcher.find_into(an, &toks[core.clone()], hits);
        if let (Some(m), Some((_, _))) = (near.as_mut(), &query.near) {
            if !hits.is_empty() {
                m.find_into(an, toks, near_hits);
            }
        }
        for h in hits.iter() {
            // The hit in `toks`.
            let h = h.after(core.start);
            let (i, j) = (h.start as usize, h.end as usize);
            if let Some((_, dist)) = &query.near {
                let d = *dist;
                let close = near_hits.iter().any(|n| {
                    let (a, b) = (n.start as usize, n.end as usize);
                    (b < i && i - b <= d) || (a > j && a - j <= d)
                });
                if !close {
                    continue;
                }
            }
            let keys = query
                .sort
                .iter()
                .map(|key| {
                    let at = |t: Option<usize>| -> Vec<Box<str>> {
                        t.filter(|&t| t < toks.len())
                            .map(|t| vec![Box::from(an.resolve(toks[t].norm))])
                            .unwrap_or_default()
                    };
                    match *key {
                        SortKey::Doc => Vec::new(),
                        SortKey::Match => toks[i..=j]
                            .iter()
                            .map(|t| Box::from(an.resolve(t.norm)))
                            .collect(),
                        SortKey::Left(k) => at(i.checked_sub(k as usize)),
                        SortKey::Right(k) => at(Some(j + k as usize)),
                    }
                })
                .collect();
            lines.push(KwicLine {
                hit: HitRow::in_part(doc, toks, &h, base, query.window, query.sentence),
                doc_id: doc.id.clone(),
                keys,
            });
        }
    }
    DocLines {
        lines,
        n_tokens,
        n_bytes: doc.text.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_keys_parse_and_print() {
        for s in ["doc", "match", "L1", "L5", "R1", "R5"] {
            assert_eq!(s.parse::<SortKey>().unwrap().to_string(), s);
        }
        for s in ["L0", "R6", "X1", "", "L", "Lx", "left"] {
            let e = s.parse::<SortKey>().unwrap_err();
            assert!(e.starts_with("unknown sort key"), "{s}: {e}");
        }
    }
}
