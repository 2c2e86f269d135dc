//! Frequency tables: counts of one group turned into ranked rows with
//! rates. Takes counts, returns plain data; never reads text.

use serde::Serialize;

use crate::analyze::Counts;

/// The ranked terms of one group.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct GroupFrequency {
    /// The group: a document id, a metadata value or `corpus`.
    pub group: String,
    /// Tokens of the group (the base of `per_1k`).
    pub n_tokens: u64,
    /// Documents of the group.
    pub n_docs: u64,
    /// Rows: `n` descending, then term.
    pub terms: Vec<TermFrequency>,
}

/// One term of a group.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TermFrequency {
    pub term: String,
    pub n: u64,
    /// 1000 · n / tokens of the group; `None` when the group has none.
    pub per_1k: Option<f64>,
    /// Documents of the group containing the term.
    pub n_docs: u64,
}

/// Rank a group's counts: keep terms with `n >= min_count`, order by `n`
/// descending then term (code point order), keep the first `top`.
///
/// ```
/// use framescope::analyze::{Counts, TermCount};
/// let mut c = Counts::default();
/// c.n_tokens = 4;
/// c.terms.insert("b".into(), TermCount { n: 2, n_docs: 1 });
/// c.terms.insert("a".into(), TermCount { n: 2, n_docs: 1 });
/// let f = framescope::stats::frequency("corpus", c, 1, None);
/// assert_eq!(f.terms[0].term, "a");
/// assert_eq!(f.terms[0].per_1k, Some(500.0));
/// ```
pub fn frequency(
    group: &str,
    counts: Counts,
    min_count: u64,
    top: Option<usize>,
) -> GroupFrequency {
    let rows: Vec<(String, u64, u64)> = counts
        .terms
        .into_iter()
        .filter(|(_, c)| c.n >= min_count)
        .map(|(t, c)| (t, c.n, c.n_docs))
        .collect();
    frequency_rows(group, counts.n_tokens, counts.n_docs, rows, top)
}

/// [`frequency`] from rows `(term, n, n_docs)` already pruned to the
/// minimum count, in any order.
pub fn frequency_rows(
    group: &str,
    n_tokens: u64,
    n_docs: u64,
    rows: Vec<(String, u64, u64)>,
    top: Option<usize>,
) -> GroupFrequency {
    let terms = rows
        .into_iter()
        .map(|(term, n, n_docs)| TermFrequency {
            term,
            n,
            per_1k: per_1k(n, n_tokens),
            n_docs,
        })
        .collect();
    frequency_terms(group, n_tokens, n_docs, terms, top)
}

/// The first `top` rows of [`frequency`]'s ranking of terms given as
/// `(term, n)` (distinct, `n > 0`), of a group of `n_tokens` tokens:
/// only the rows kept are made (a group's counts of every term of a
/// corpus, for a chart of its top terms). Documents per term are not
/// known here: `n_docs` is 0.
///
/// ```
/// let f = framescope::stats::top_rows("g", 10, [("b", 2), ("c", 5), ("a", 2)].into_iter(), 2);
/// let got: Vec<(&str, u64)> = f.terms.iter().map(|t| (t.term.as_str(), t.n)).collect();
/// assert_eq!(got, [("c", 5), ("a", 2)]);
/// ```
pub fn top_rows<'a>(
    group: &str,
    n_tokens: u64,
    counts: impl Iterator<Item = (&'a str, u64)>,
    top: usize,
) -> GroupFrequency {
    let mut rows: Vec<(&str, u64)> = counts.collect();
    let order = |a: &(&str, u64), b: &(&str, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
    if top < rows.len() {
        if top > 0 {
            rows.select_nth_unstable_by(top - 1, order);
        }
        rows.truncate(top);
    }
    let rows = rows
        .into_iter()
        .map(|(term, n)| (term.to_string(), n, 0))
        .collect();
    frequency_rows(group, n_tokens, 0, rows, Some(top))
}

/// [`frequency_rows`] from terms with their rates already made, in any
/// order: ranked in place, no second copy of the rows.
pub fn frequency_terms(
    group: &str,
    n_tokens: u64,
    n_docs: u64,
    mut terms: Vec<TermFrequency>,
    top: Option<usize>,
) -> GroupFrequency {
    // Terms are distinct, so the order is total and an unstable sort
    // (in parallel for big tables) is deterministic.
    let order =
        |a: &TermFrequency, b: &TermFrequency| b.n.cmp(&a.n).then_with(|| a.term.cmp(&b.term));
    // A big table comes ranked already (see GramTable::rows): checked
    // here in one sequential read, not sorted again.
    if !terms.is_sorted_by(|a, b| order(a, b).is_le()) {
        if terms.len() > 1 << 15 {
            use rayon::slice::ParallelSliceMut;
            terms.par_sort_unstable_by(order);
        } else {
            terms.sort_unstable_by(order);
        }
    }
    if let Some(top) = top {
        terms.truncate(top);
        terms.shrink_to_fit();
    }
    GroupFrequency {
        group: group.to_string(),
        n_tokens,
        n_docs,
        terms,
    }
}

/// 1000 · n / tokens, or `None` for a group without tokens.
pub fn per_1k(n: u64, n_tokens: u64) -> Option<f64> {
    (n_tokens > 0).then(|| 1000.0 * n as f64 / n_tokens as f64)
}
