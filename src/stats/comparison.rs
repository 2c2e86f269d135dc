//! Comparisons between a target and a reference group of documents:
//! keyness of terms (CONTRACT §10 and issue 5), frame differences with
//! exact intervals and a document-level test, dispersion, similarity.
//! Takes analysis data (document summaries, postings), returns rows; the
//! formulas themselves live in [`super::compare`].

use std::cmp::Ordering;

use rustc_hash::FxHashMap;

use super::compare::{
    benjamini_hochberg, benjamini_hochberg_counted, chi2_sf_1, cosine, g2, log_ratio,
    mann_whitney_p_zeros, rate_ratio_ci, z_logodds, Runs,
};
use super::per_1k;
use crate::analyze::{group_value, Docs, Postings, Selection};
use crate::error::{Error, Result};
use crate::lexicon::FrameSet;

/// Two disjoint groups of documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Groups {
    /// The target's name (its values, comma-joined).
    pub target: String,
    /// The reference's name (`rest` when it is every other document).
    pub reference: String,
    members: Members,
}

/// Where each document of a [`Groups`] is.
#[derive(Debug, Clone, PartialEq)]
enum Members {
    /// Per document (corpus order): [`TARGET`], [`REFERENCE`] or 0
    /// (neither).
    Places(Vec<u8>),
    /// The documents of unit `unit` against every other document: per
    /// document, its unit. One array serves every unit of a corpus
    /// compared unit by unit: 4 bytes a document for all of them, where
    /// two masks per comparison took 102 bytes a document for 51 years.
    Unit {
        unit_of: std::sync::Arc<[u32]>,
        unit: u32,
    },
}

/// A document's place in a comparison: in the target.
const TARGET: u8 = 1;
/// A document's place in a comparison: in the reference.
const REFERENCE: u8 = 2;

impl Groups {
    /// `--by FIELD --target V [--reference W]`: the target is every
    /// document whose field is one of V's values; the reference those
    /// with one of W's, or every other document. Each listed value must
    /// name at least one document, the groups must not overlap, and each
    /// must have tokens.
    pub fn select(
        docs: &Docs,
        target: &Selection,
        reference: Option<&Selection>,
    ) -> Result<Groups> {
        // Which listed values some document has: target's, then reference's.
        let listed = target.values.len();
        let mut found = vec![false; listed + reference.map_or(0, |r| r.values.len())];
        let mut both = None;
        let mut places = Vec::with_capacity(docs.len());
        // The field's first values, for a message naming them.
        let mut seen: Vec<String> = Vec::new();
        for (i, d) in docs.iter().enumerate() {
            let meta = d.meta();
            let value = group_value(i == 0, d.id(), &meta, &target.field)?;
            if seen.len() <= SHOWN_VALUES && !seen.iter().any(|v| *v == *value) {
                seen.push(value.to_string());
            }
            let t = target.values.iter().position(|v| *v == *value);
            let r = reference.map(|r| r.values.iter().position(|v| *v == *value));
            if let Some(k) = t {
                found[k] = true;
            }
            if let Some(Some(k)) = r {
                found[listed + k] = true;
            }
            if t.is_some() && matches!(r, Some(Some(_))) {
                both.get_or_insert(i);
            }
            places.push(match (t, r) {
                (Some(_), _) => TARGET,
                (None, None | Some(Some(_))) => REFERENCE,
                (None, Some(None)) => 0,
            });
        }
        let values = target
            .values
            .iter()
            .chain(reference.map_or(&[][..], |r| &r.values));
        if let Some((k, (v, _))) = values.zip(&found).enumerate().find(|(_, (_, f))| !**f) {
            let sel = if k < listed { Some(target) } else { reference };
            let known = if seen.len() <= SHOWN_VALUES {
                seen.sort_by(|a, b| super::group_order(a, b));
                let quoted: Vec<String> = seen.iter().map(|v| format!("{v:?}")).collect();
                format!(
                    "; its values are {} (compared exactly, case included)",
                    quoted.join(", ")
                )
            } else if target.field == "id" {
                "; check the value (see `framescope corpus`)".to_string()
            } else {
                format!(
                    "; check the value (see `framescope corpus --fields`: {} has more \
                     than {SHOWN_VALUES} values)",
                    target.field
                )
            };
            return Err(Error::invalid(format!(
                "no document has {} = {v}{known}{}",
                target.field,
                sel.map_or("", Selection::comma_hint)
            )));
        }
        let ref_name = match reference {
            Some(r) => {
                if let Some(i) = both {
                    return Err(Error::invalid(format!(
                        "document {:?} is in both the target ({}) and the reference \
                         ({}); give disjoint values",
                        docs.doc(i).id(),
                        target.describe(),
                        r.describe()
                    )));
                }
                r.values.join(",")
            }
            None => "rest".to_string(),
        };
        let groups = Groups {
            target: target.values.join(","),
            reference: ref_name,
            members: Members::Places(places),
        };
        let (n_target, n_reference) = groups.tokens(docs);
        for (name, place, what, tokens) in [
            (&groups.target, TARGET, "target", n_target),
            (&groups.reference, REFERENCE, "reference", n_reference),
        ] {
            if !(0..docs.len()).any(|i| groups.place(i) == place) {
                return Err(Error::invalid(format!(
                    "every document has {}, so the reference (every other \
                     document) is empty; give --reference or fewer target values",
                    target.describe()
                )));
            }
            if tokens == 0 {
                let which = if what == "reference" && reference.is_none() {
                    "every other document".to_string()
                } else {
                    format!("{} = {name}", target.field)
                };
                return Err(Error::invalid(format!(
                    "the {what} group ({which}) has no tokens; choose a group with text"
                )));
            }
        }
        Ok(groups)
    }

    /// One document against every other: the target is document `i`.
    pub fn one_vs_rest(docs: &Docs, i: usize) -> Groups {
        Groups {
            target: docs.doc(i).id().to_string(),
            reference: "rest".to_string(),
            members: Members::Places(
                (0..docs.len())
                    .map(|j| if j == i { TARGET } else { REFERENCE })
                    .collect(),
            ),
        }
    }

    /// Each unit against every other document of a corpus of `n_docs`,
    /// in the units' order, named by its unit: one array of each
    /// document's unit shared by all of them.
    pub fn each_unit_vs_rest(units: &Units, n_docs: usize) -> Vec<Groups> {
        let unit_of: std::sync::Arc<[u32]> = unit_of(units, n_docs).into();
        units
            .iter()
            .enumerate()
            .map(|(u, (name, _))| Groups {
                target: name.clone(),
                reference: "rest".to_string(),
                members: Members::Unit {
                    unit_of: unit_of.clone(),
                    unit: u as u32,
                },
            })
            .collect()
    }

    /// Document `i`'s place: [`TARGET`], [`REFERENCE`] or 0.
    #[inline]
    fn place(&self, i: usize) -> u8 {
        match &self.members {
            Members::Places(p) => p[i],
            Members::Unit { unit_of, unit } if unit_of[i] == *unit => TARGET,
            Members::Unit { .. } => REFERENCE,
        }
    }

    /// Is document `i` (corpus order) in the target?
    pub fn in_target(&self, i: usize) -> bool {
        self.place(i) == TARGET
    }

    /// Is document `i` in the reference?
    pub fn in_reference(&self, i: usize) -> bool {
        self.place(i) == REFERENCE
    }

    /// The target's and the reference's tokens.
    pub fn tokens(&self, docs: &Docs) -> (u64, u64) {
        let mut t = (0, 0);
        for (i, d) in docs.iter().enumerate() {
            match self.place(i) {
                TARGET => t.0 += d.n_tokens(),
                REFERENCE => t.1 += d.n_tokens(),
                _ => {}
            }
        }
        t
    }
}

/// Options of a keyness table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeynessOptions {
    /// Keep terms with n_target + n_reference ≥ this.
    pub min_count: u64,
    /// Leave out stopwords.
    pub drop_stopwords: bool,
    /// a0 of the Dirichlet prior of `z_logodds`.
    pub prior: f64,
}

impl Default for KeynessOptions {
    fn default() -> Self {
        KeynessOptions {
            min_count: 3,
            drop_stopwords: false,
            prior: 1000.0,
        }
    }
}

/// One row of a keyness table.
#[derive(Debug, Clone, PartialEq)]
pub struct KeynessRow {
    pub term: String,
    pub n_target: u64,
    pub n_reference: u64,
    pub per_1k_target: f64,
    pub per_1k_reference: f64,
    /// Signed G² (CONTRACT §10).
    pub g2: f64,
    pub p_value: f64,
    /// Benjamini–Hochberg over the rows of the table.
    pub p_adjusted: f64,
    pub log_ratio: f64,
    pub z_logodds: f64,
    /// Dispersion of the term over the whole corpus (Gries' DP, normalized).
    pub dp: Option<f64>,
}

/// Keyness of every term of `postings` in the target against the
/// reference: rows by `g2` descending, then term.
pub fn keyness(
    postings: &Postings,
    docs: &Docs,
    groups: &Groups,
    opts: &KeynessOptions,
) -> Vec<KeynessRow> {
    keyness_all(postings, docs, &[groups], opts)
        .pop()
        .unwrap_or_default()
}

/// [`keyness`] for several comparisons at once, in their order: each
/// term's postings are read once for all of them (its dispersion is the
/// same in every comparison), and the terms are shared out over the
/// rayon pool.
pub fn keyness_all(
    postings: &Postings,
    docs: &Docs,
    groups: &[&Groups],
    opts: &KeynessOptions,
) -> Vec<Vec<KeynessRow>> {
    keyness_all_dp(postings, docs, groups, opts, None)
}

/// [`keyness_all`] with every posting list's DP made already (by
/// [`Dispersion::dp_all`], in the order of `postings.terms`), as a caller
/// that also writes DP elsewhere has it: not computed twice.
pub fn keyness_all_dp(
    postings: &Postings,
    docs: &Docs,
    groups: &[&Groups],
    opts: &KeynessOptions,
    dps: Option<&[Option<f64>]>,
) -> Vec<Vec<KeynessRow>> {
    let counts = KeynessCounts::new(postings, docs, groups, opts, dps);
    (0..groups.len())
        .map(|k| {
            let table = counts.table(k);
            table.iter().map(|r| counts.row(k, r)).collect()
        })
        .collect()
}

/// Each term's counts in every comparison's target and reference, from
/// one reading of the postings, kept by "signature" (the documents'
/// place in every comparison): a term's table of one comparison is made
/// from them when it is wanted ([`KeynessCounts::table`]), so that a
/// corpus compared by 50 years never holds 50 tables of every term.
pub struct KeynessCounts<'a> {
    postings: &'a Postings,
    opts: KeynessOptions,
    /// Each term's DP: the caller's, or made once here.
    dps: std::borrow::Cow<'a, [Option<f64>]>,
    /// The corpus's tokens.
    n_tokens: u64,
    /// Per comparison: the target's and the reference's tokens.
    tokens: Vec<(u64, u64)>,
    /// Per signature, per comparison: the documents' place ([`TARGET`],
    /// [`REFERENCE`], or 0 for neither).
    sigs: Vec<Vec<u8>>,
    /// Each document's signature.
    doc_sig: Vec<u32>,
    /// Term t's counts by signature are `by_sig[starts[t]..starts[t + 1]]`.
    starts: Vec<usize>,
    by_sig: Vec<(u32, u64)>,
    /// The same counts by signature, made when there are several
    /// comparisons: signature s's terms (in term order) and their counts
    /// are `by_term[sig_starts[s]..sig_starts[s + 1]]`.
    sig_starts: Vec<usize>,
    by_term: Vec<(u32, u64)>,
    /// Each term's count in the whole corpus.
    totals: Vec<u64>,
    /// Whether `postings.terms` are in byte order of their text, as
    /// [`Postings`] promises (its fields are public).
    terms_sorted: bool,
}

/// A pair of counts (target, reference) of a comparison's table: its G²
/// and p-value, computed once, and the rows (terms) that have it.
#[derive(Debug, Clone, Copy)]
struct Pair {
    g2: f64,
    p_value: f64,
    rows: u32,
}

/// Everything a keyness row's rates and scores are made from besides G²
/// (the prior as its bits): equal inputs, equal numbers to the bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RateInputs {
    a: u64,
    b: u64,
    c: u64,
    d: u64,
    total: u64,
    n_tokens: u64,
    prior: u64,
}

impl RateInputs {
    /// per_1k_target, per_1k_reference, log_ratio, z_logodds.
    fn rates(&self) -> [f64; 4] {
        let (af, bf, cf, df) = (self.a as f64, self.b as f64, self.c as f64, self.d as f64);
        [
            1000.0 * af / cf,
            1000.0 * bf / df,
            log_ratio(af, bf, cf, df),
            z_logodds(
                af,
                cf,
                bf,
                df,
                self.total as f64,
                self.n_tokens as f64,
                f64::from_bits(self.prior),
            ),
        ]
    }
}

thread_local! {
    /// The inputs and rates of the last keyness row made on this thread.
    static LAST_RATES: std::cell::Cell<Option<(RateInputs, [f64; 4])>> =
        const { std::cell::Cell::new(None) };
}

/// One row of a comparison's keyness table, before it is written: the
/// rest of [`KeynessRow`] follows from these ([`KeynessCounts::row`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeynessKey {
    /// The term's place in `postings.terms`.
    pub term: u32,
    pub n_target: u64,
    pub n_reference: u64,
    pub g2: f64,
    pub p_value: f64,
    pub p_adjusted: f64,
}

/// Terms whose counts by signature one task of [`KeynessCounts::new`]
/// sums.
const TERMS_PER_RUN: usize = 512;

/// The counts by signature of a run of consecutive terms
/// ([`KeynessCounts::new`]).
struct TermRun {
    /// Each term's count in the corpus.
    totals: Vec<u64>,
    /// Each term's number of signatures with the term.
    lens: Vec<u32>,
    /// (signature, count) of each term in turn, by signature.
    pairs: Vec<(u32, u64)>,
}

impl<'a> KeynessCounts<'a> {
    /// Read the postings once for `groups`' comparisons.
    pub fn new(
        postings: &'a Postings,
        docs: &Docs,
        groups: &[&Groups],
        opts: &KeynessOptions,
        dps: Option<&'a [Option<f64>]>,
    ) -> KeynessCounts<'a> {
        use rayon::prelude::*;
        // Documents with the same place in every comparison share a
        // signature; a term's counts are summed per signature.
        let mut sig_of: FxHashMap<Vec<u8>, u32> = FxHashMap::default();
        let mut sigs: Vec<Vec<u8>> = Vec::new();
        let mut key: Vec<u8> = Vec::with_capacity(groups.len());
        let doc_sig: Vec<u32> = (0..docs.len())
            .map(|i| {
                key.clear();
                key.extend(groups.iter().map(|g| g.place(i)));
                if let Some(&sig) = sig_of.get(&key) {
                    return sig;
                }
                sigs.push(key.clone());
                sig_of.insert(key.clone(), sigs.len() as u32 - 1);
                sigs.len() as u32 - 1
            })
            .collect();
        // A run of terms' counts: each term's total, its number of
        // signatures and their (signature, count) pairs, in signature
        // order, one term after another. The sums by signature go
        // through one vector for the whole run: a vector made and freed
        // for every term (and the term's pairs in one of their own, freed
        // by the thread that gathers them) left a second thread with
        // little to gain (1.4× on 102,724 terms by 78 years).
        let counts_of = |run: &[crate::analyze::PostingList]| -> TermRun {
            let mut sums = vec![0u64; sigs.len()];
            let mut counted = TermRun {
                totals: Vec::with_capacity(run.len()),
                lens: Vec::with_capacity(run.len()),
                pairs: Vec::new(),
            };
            for list in run {
                let mut f = 0u64;
                if !(opts.drop_stopwords && list.stopword) {
                    for (doc, n) in list.docs.iter() {
                        f += n as u64;
                        sums[doc_sig[doc as usize] as usize] += n as u64;
                    }
                }
                let before = counted.pairs.len();
                for (sig, n) in sums.iter_mut().enumerate() {
                    if *n > 0 {
                        counted.pairs.push((sig as u32, *n));
                        *n = 0;
                    }
                }
                counted.totals.push(f);
                counted.lens.push((counted.pairs.len() - before) as u32);
            }
            counted
        };
        let mut starts = vec![0];
        let mut by_sig = Vec::new();
        let mut totals = Vec::with_capacity(postings.terms.len());
        // A block of terms at a time (what is held twice while it is
        // appended), its runs in parallel.
        for block in postings.terms.chunks(1 << 14) {
            let runs: Vec<TermRun> = block.par_chunks(TERMS_PER_RUN).map(counts_of).collect();
            for run in runs {
                totals.extend_from_slice(&run.totals);
                for &len in &run.lens {
                    starts.push(starts[starts.len() - 1] + len as usize);
                }
                by_sig.extend_from_slice(&run.pairs);
            }
        }
        // A comparison of every document (each group against the rest)
        // reads its target's signatures alone ([`KeynessCounts::table`]):
        // the counts by signature, grouped by signature in term order.
        let (sig_starts, by_term) = if groups.len() > 1 {
            let mut sig_starts = vec![0usize; sigs.len() + 1];
            for &(sig, _) in &by_sig {
                sig_starts[sig as usize + 1] += 1;
            }
            for s in 0..sigs.len() {
                sig_starts[s + 1] += sig_starts[s];
            }
            let mut next = sig_starts.clone();
            let mut by_term = vec![(0u32, 0u64); by_sig.len()];
            for t in 0..totals.len() {
                for &(sig, n) in &by_sig[starts[t]..starts[t + 1]] {
                    by_term[next[sig as usize]] = (t as u32, n);
                    next[sig as usize] += 1;
                }
            }
            (sig_starts, by_term)
        } else {
            (Vec::new(), Vec::new())
        };
        KeynessCounts {
            postings,
            opts: *opts,
            dps: match dps {
                Some(dps) => std::borrow::Cow::Borrowed(dps),
                None => std::borrow::Cow::Owned(Dispersion::new(docs).dp_all(postings)),
            },
            n_tokens: docs.iter().map(|d| d.n_tokens()).sum(),
            tokens: groups.iter().map(|g| g.tokens(docs)).collect(),
            sigs,
            doc_sig,
            starts,
            by_sig,
            sig_starts,
            by_term,
            totals,
            terms_sorted: postings.terms.windows(2).all(|w| w[0].term < w[1].term),
        }
    }

    /// Each signature's unit (by `unit_of`, a unit per document, as
    /// [`unit_of`] makes them), when the documents of every signature are
    /// all of one unit; `None` otherwise.
    fn unit_of_signatures(&self, unit_of: &[u32]) -> Option<Vec<u32>> {
        if self.doc_sig.len() != unit_of.len() {
            return None;
        }
        const UNSET: u32 = u32::MAX - 1;
        let mut sig_unit = vec![UNSET; self.sigs.len()];
        for (&sig, &unit) in self.doc_sig.iter().zip(unit_of) {
            let u = &mut sig_unit[sig as usize];
            if *u == UNSET {
                *u = unit;
            } else if *u != unit {
                return None;
            }
        }
        Some(sig_unit)
    }

    /// Comparison `k`'s table: every term counted at least `min_count`
    /// times in its target and reference, by `g2` descending, then term,
    /// its `p_adjusted` by Benjamini–Hochberg over the table.
    pub fn table(&self, k: usize) -> Vec<KeynessKey> {
        let (c, d) = self.tokens[k];
        let mut rows: Vec<KeynessKey> = Vec::new();
        // Most terms share their two counts with others (every term seen
        // 3 times, none of them in the target): G² and its p-value are
        // computed once per pair of counts, and the rows are adjusted and
        // ranked by pair (a few thousand) rather than by row.
        let mut pair_of: FxHashMap<(u64, u64), u32> = FxHashMap::default();
        let mut pairs: Vec<Pair> = Vec::new();
        let mut row_pairs: Vec<u32> = Vec::new();
        // Each signature's place in this comparison, side by side: a
        // term's counts are read without going through every signature's
        // own vector, and summed without a branch.
        let place: Vec<(u64, u64)> = self
            .sigs
            .iter()
            .map(|s| ((s[k] == TARGET) as u64, (s[k] == REFERENCE) as u64))
            .collect();
        // When every document is in the target or the reference (each
        // group against the rest), a term's count in the target is summed
        // from the target's signatures alone, and the reference has the
        // rest of its total: most terms are in most signatures, and every
        // target read all of them.
        let target_counts = (!self.sig_starts.is_empty() && place.iter().all(|&(t, r)| t + r == 1))
            .then(|| {
                let mut a = vec![0u64; self.totals.len()];
                for (sig, _) in place.iter().enumerate().filter(|(_, p)| p.0 == 1) {
                    let (from, to) = (self.sig_starts[sig], self.sig_starts[sig + 1]);
                    for &(t, n) in &self.by_term[from..to] {
                        a[t as usize] += n;
                    }
                }
                a
            });
        for t in 0..self.totals.len() {
            let (a, b) = match &target_counts {
                Some(a) => (a[t], self.totals[t] - a[t]),
                None => {
                    let (mut a, mut b) = (0u64, 0u64);
                    for &(sig, n) in &self.by_sig[self.starts[t]..self.starts[t + 1]] {
                        let (in_target, in_reference) = place[sig as usize];
                        a += n * in_target;
                        b += n * in_reference;
                    }
                    (a, b)
                }
            };
            if a + b < self.opts.min_count || a + b == 0 {
                continue;
            }
            let id = *pair_of.entry((a, b)).or_insert_with(|| {
                let g = g2(a as f64, b as f64, c as f64, d as f64);
                pairs.push(Pair {
                    g2: g,
                    p_value: chi2_sf_1(g),
                    rows: 0,
                });
                pairs.len() as u32 - 1
            });
            let pair = &mut pairs[id as usize];
            pair.rows += 1;
            row_pairs.push(id);
            rows.push(KeynessKey {
                term: t as u32,
                n_target: a,
                n_reference: b,
                g2: pair.g2,
                p_value: pair.p_value,
                p_adjusted: f64::NAN,
            });
        }
        let p: Vec<(f64, u32)> = pairs.iter().map(|p| (p.p_value, p.rows)).collect();
        let q = benjamini_hochberg_counted(&p);
        for (r, &id) in rows.iter_mut().zip(&row_pairs) {
            r.p_adjusted = q[id as usize];
        }
        let terms = &self.postings.terms;
        // Ties of g2 are many (every term of the same two counts): when
        // the terms are in byte order, as the pass makes them, a term's
        // place orders as its text, without reading the text.
        let by_text = |x: &KeynessKey, y: &KeynessKey| {
            if self.terms_sorted {
                x.term.cmp(&y.term)
            } else {
                terms[x.term as usize]
                    .term
                    .cmp(&terms[y.term as usize].term)
            }
        };
        if self.terms_sorted && !pairs.iter().any(|p| p.g2.is_nan()) {
            // Rows are made in term order, and the terms are in byte
            // order: a row's place orders as its text.
            let keys: Vec<(u64, u32)> = pairs.iter().map(|p| (g2_key(p.g2), p.rows)).collect();
            return in_key_order(&rows, &row_pairs, &keys);
        }
        rows.sort_by(|x, y| {
            y.g2.partial_cmp(&x.g2)
                .unwrap_or(Ordering::Equal)
                .then_with(|| by_text(x, y))
        });
        rows
    }

    /// Comparison `k`'s count of every term in its target (by term
    /// index), whatever `min_count` (the terms of a target's table are
    /// those counted `min_count` times at least, in it and its reference
    /// together).
    pub fn target_counts(&self, k: usize) -> Vec<u64> {
        let mut a = vec![0u64; self.totals.len()];
        if !self.sig_starts.is_empty() {
            // The target's signatures' terms alone.
            for (sig, places) in self.sigs.iter().enumerate() {
                if places[k] == TARGET {
                    let (from, to) = (self.sig_starts[sig], self.sig_starts[sig + 1]);
                    for &(t, n) in &self.by_term[from..to] {
                        a[t as usize] += n;
                    }
                }
            }
            return a;
        }
        for (t, n) in a.iter_mut().enumerate() {
            *n = self.by_sig[self.starts[t]..self.starts[t + 1]]
                .iter()
                .filter(|&&(sig, _)| self.sigs[sig as usize][k] == TARGET)
                .map(|&(_, c)| c)
                .sum();
        }
        a
    }

    /// Whether term `t` is a stopword.
    pub fn is_stopword_at(&self, t: usize) -> bool {
        self.postings.terms[t].stopword
    }

    /// Terms of the postings (a [`KeynessKey`]'s `term` is below).
    pub fn n_terms(&self) -> usize {
        self.totals.len()
    }

    /// Term `t`'s DP, and whether any comparison's table can have a row
    /// for it (counted at least `min_count` times in the corpus).
    pub fn dp_of(&self, t: usize) -> (Option<f64>, bool) {
        let total = self.totals[t];
        (self.dps[t], total > 0 && total >= self.opts.min_count)
    }

    /// A row's term.
    pub fn term(&self, r: &KeynessKey) -> &'a str {
        self.term_at(r.term as usize)
    }

    /// Term `t`'s text (`t` below [`KeynessCounts::n_terms`]).
    pub fn term_at(&self, t: usize) -> &'a str {
        &self.postings.terms[t].term
    }

    /// Whether a row's term is a stopword.
    pub fn is_stopword(&self, r: &KeynessKey) -> bool {
        self.postings.terms[r.term as usize].stopword
    }

    /// Ask for a row's term, its total and its DP to be fetched: rows go
    /// by G², their terms at random, so a writer asks some rows early
    /// ([`Self::prefetch_text`] once the term is there).
    #[inline]
    pub fn prefetch_term(&self, r: &KeynessKey) {
        let t = r.term as usize;
        crate::mem::prefetch(&self.postings.terms[t]);
        // The row's total and DP ([`Self::row_with`]) lie by term too.
        crate::mem::prefetch(&self.totals[t]);
        crate::mem::prefetch(&self.dps[t]);
    }

    /// Ask for a row's term's text to be fetched.
    #[inline]
    pub fn prefetch_text(&self, r: &KeynessKey) {
        crate::mem::prefetch(self.term(r).as_ptr());
    }

    /// Row `r` of comparison `k`'s table, whole; with `term: false` its
    /// `term` is left empty (no string made: [`KeynessCounts::term`]
    /// has it).
    pub fn row_with(&self, k: usize, r: &KeynessKey, term: bool) -> KeynessRow {
        let (c, d) = self.tokens[k];
        let t = r.term as usize;
        let inputs = RateInputs {
            a: r.n_target,
            b: r.n_reference,
            c,
            d,
            total: self.totals[t],
            n_tokens: self.n_tokens,
            prior: self.opts.prior.to_bits(),
        };
        // Rows by G² put the terms of the same counts side by side: their
        // rates are computed once, for the first of them on this thread.
        let rates = LAST_RATES.with(|last| match last.get() {
            Some((seen, rates)) if seen == inputs => rates,
            _ => {
                let rates = inputs.rates();
                last.set(Some((inputs, rates)));
                rates
            }
        });
        KeynessRow {
            term: if term {
                self.term(r).to_string()
            } else {
                String::new()
            },
            n_target: r.n_target,
            n_reference: r.n_reference,
            per_1k_target: rates[0],
            per_1k_reference: rates[1],
            g2: r.g2,
            p_value: r.p_value,
            p_adjusted: r.p_adjusted,
            log_ratio: rates[2],
            z_logodds: rates[3],
            dp: self.dps[t],
        }
    }

    /// Row `r` of comparison `k`'s table, whole.
    pub fn row(&self, k: usize, r: &KeynessKey) -> KeynessRow {
        self.row_with(k, r, true)
    }
}

/// Gries' deviation of proportions over the documents of a corpus,
/// computed from a term's postings alone.
///
/// Gries, S. Th. (2008), "Dispersions and adjusted frequencies in
/// corpora", *International Journal of Corpus Linguistics* 13(4):
/// DP = ½·Σᵢ |vᵢ/f − sᵢ|, with sᵢ document i's share of the corpus tokens
/// and vᵢ/f its share of the term's occurrences; normalized as in
/// Lijffijt & Gries (2012), *IJCL* 17(1), by dividing by 1 − min sᵢ.
/// Documents without the term contribute sᵢ each, so
/// Σᵢ |vᵢ/f − sᵢ| = Σ_{vᵢ>0} |vᵢ/f − sᵢ| + (1 − Σ_{vᵢ>0} sᵢ).
pub struct Dispersion {
    /// sᵢ: each document's share of the corpus tokens, divided once here
    /// rather than once per posting.
    shares: Vec<f64>,
    n_tokens: u64,
    min_share: f64,
}

/// Counts below this have their share of a term's occurrences (v/f)
/// divided once per term rather than once per posting: most postings
/// are a count of 1 or 2.
const SMALL_COUNTS: usize = 8;

impl Dispersion {
    /// The documents' sizes.
    pub fn new(docs: &Docs) -> Dispersion {
        // Two readings of the summaries rather than a copy of every
        // document's count beside the shares.
        let n_tokens: u64 = docs.iter().map(|d| d.n_tokens()).sum();
        let min = docs.iter().map(|d| d.n_tokens()).min().unwrap_or(0);
        let n = n_tokens as f64;
        Dispersion {
            min_share: if n_tokens == 0 { 0.0 } else { min as f64 / n },
            shares: docs.iter().map(|d| d.n_tokens() as f64 / n).collect(),
            n_tokens,
        }
    }

    /// [`Dispersion::dp`] of every posting list, in parallel, in the
    /// order of `postings.terms`.
    pub fn dp_all(&self, postings: &Postings) -> Vec<Option<f64>> {
        use rayon::prelude::*;
        postings
            .terms
            .par_iter()
            .with_min_len(1 << 10)
            .map(|p| self.dp(p.docs.iter()))
            .collect()
    }

    /// DP (normalized) of a term from its (document, count) list; `None`
    /// when the term never occurs, or when there is only one document
    /// with tokens (1 − min sᵢ = 0: dispersion is undefined).
    pub fn dp<I>(&self, postings: I) -> Option<f64>
    where
        I: IntoIterator<Item = (u32, u32)> + Clone,
    {
        let f: u64 = postings.clone().into_iter().map(|(_, n)| n as u64).sum();
        if f == 0 || self.n_tokens == 0 || self.min_share >= 1.0 {
            return None;
        }
        let f = f as f64;
        // v/f for the small counts, each the very division the loop
        // would do: the same bits.
        let small: [f64; SMALL_COUNTS] = std::array::from_fn(|v| v as f64 / f);
        let (mut sum, mut covered) = (0.0, 0.0);
        for (doc, v) in postings {
            let s = self.shares[doc as usize];
            let share = match small.get(v as usize) {
                Some(&x) => x,
                None => v as f64 / f,
            };
            sum += (share - s).abs();
            covered += s;
        }
        sum += (1.0 - covered).max(0.0);
        Some(0.5 * sum / (1.0 - self.min_share))
    }
}

/// One row of a frame comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameCompareRow {
    pub lexicon: String,
    pub frame: String,
    pub hits_target: u64,
    pub n_tokens_target: u64,
    pub hits_reference: u64,
    pub n_tokens_reference: u64,
    pub per_1k_target: f64,
    pub per_1k_reference: f64,
    /// (hits_t/n_t)/(hits_r/n_r); `None` when undefined or infinite.
    pub rate_ratio: Option<f64>,
    /// Exact conditional 95% interval; an infinite bound is `None`.
    pub rr_ci_low: Option<f64>,
    pub rr_ci_high: Option<f64>,
    pub g2: f64,
    pub p_value: f64,
    pub p_adjusted: f64,
    pub docs_target: u64,
    pub docs_reference: u64,
    /// Mann–Whitney U of per-document rates; `None` when a group has
    /// fewer than two documents with tokens.
    pub mw_p_value: Option<f64>,
}

/// Every frame's rate in the target against the reference, in frame
/// order; `p_adjusted` by Benjamini–Hochberg over the frames.
pub fn frame_compare(docs: &Docs, frames: &FrameSet, groups: &Groups) -> Vec<FrameCompareRow> {
    let (n_t, n_r) = groups.tokens(docs);
    // One reading of the documents for every frame: most documents have
    // no hit at all, and count once as a zero of each frame.
    let mut sides = [FrameSide::new(frames.len()), FrameSide::new(frames.len())];
    for (i, d) in docs.iter().enumerate() {
        let side = match groups.place(i) {
            TARGET => &mut sides[0],
            REFERENCE => &mut sides[1],
            _ => continue,
        };
        side.docs += 1;
        let (counts, n) = (d.frames(), d.n_tokens());
        if counts.iter().all(|c| c.hits == 0) {
            // Without tokens a document is in no test.
            side.no_hits += (n > 0) as usize;
            continue;
        }
        for fi in 0..frames.len() {
            let h = counts.get(fi).map_or(0, |c| c.hits);
            side.hits[fi] += h;
            match per_1k(h, n) {
                Some(_) if h == 0 => side.zeros[fi] += 1,
                Some(r) => side.rates[fi].push(r),
                None => {}
            }
        }
    }
    let [mut t, mut r] = sides;
    let (docs_t, docs_r) = (t.docs as u64, r.docs as u64);
    let mut rows = Vec::with_capacity(frames.len());
    for fi in 0..frames.len() {
        let (lex, frame) = frames.get(fi);
        let side = |s: &mut FrameSide, n_tokens, docs| SideCounts {
            hits: s.hits[fi],
            n_tokens,
            docs,
            zeros: s.no_hits + s.zeros[fi],
            rates: std::mem::take(&mut s.rates[fi]),
        };
        let (target, reference) = (side(&mut t, n_t, docs_t), side(&mut r, n_r, docs_r));
        rows.push(frame_row(&lex.id, &frame.id, target, reference));
    }
    adjust_frame_rows(&mut rows);
    rows
}

/// [`frame_compare`] of every group, in order, to the bit. When every
/// group is a unit against the rest of one corpus ([`Groups::each_unit_vs_rest`]),
/// every group's two samples of a frame are the whole corpus's rates:
/// they are read and ranked once per frame, and each group's rank sum is
/// added up from its documents' midranks (half-integers, so every sum is
/// exact and equals the merged walk's), instead of each group reading
/// every document and sorting its rates.
pub fn frame_compare_all(
    docs: &Docs,
    frames: &FrameSet,
    groups: &[&Groups],
) -> Vec<Vec<FrameCompareRow>> {
    use rayon::prelude::*;
    let shared = groups.first().and_then(|g| match &g.members {
        Members::Unit { unit_of, .. } => Some(unit_of.clone()),
        Members::Places(_) => None,
    });
    let every_unit = shared.as_ref().filter(|shared| {
        groups.iter().all(|g| {
            matches!(&g.members, Members::Unit { unit_of, .. } if std::sync::Arc::ptr_eq(unit_of, shared))
        })
    });
    // Rank sums stay exact (half-integers below 2^52) up to this many
    // documents.
    let (Some(unit_of), true) = (every_unit, docs.len() < 1 << 24) else {
        return groups
            .par_iter()
            .map(|g| frame_compare(docs, frames, g))
            .collect();
    };
    let n_frames = frames.len();
    // Per bucket (a unit, or the last one: no unit), per frame: hits and
    // documents with tokens and no hit of the frame; per bucket, the
    // documents and those with tokens and no hit at all. Every group's
    // unit has a bucket, with documents or not.
    let unit_of_group = |g: &Groups| match &g.members {
        Members::Unit { unit, .. } => *unit as usize,
        Members::Places(_) => unreachable!("every group is a unit"),
    };
    let n_units = unit_of
        .iter()
        .filter(|&&u| u != NO_UNIT)
        .map(|&u| u as usize + 1)
        .chain(groups.iter().map(|g| unit_of_group(g) + 1))
        .max()
        .unwrap_or(0);
    let n_buckets = n_units + 1;
    let bucket = |i: usize| match unit_of[i] {
        NO_UNIT => n_units,
        u => u as usize,
    };
    let mut hits = vec![0u64; n_buckets * n_frames];
    let mut zeros = vec![0usize; n_buckets * n_frames];
    let mut n_docs = vec![0usize; n_buckets];
    let mut no_hits = vec![0usize; n_buckets];
    // Per frame, the documents with hits: their rate and bucket.
    let mut rates: Vec<Vec<(f64, u32)>> = vec![Vec::new(); n_frames];
    for (i, d) in docs.iter().enumerate() {
        let b = bucket(i);
        n_docs[b] += 1;
        let (counts, n) = (d.frames(), d.n_tokens());
        if counts.iter().all(|c| c.hits == 0) {
            no_hits[b] += (n > 0) as usize;
            continue;
        }
        for fi in 0..n_frames {
            let h = counts.get(fi).map_or(0, |c| c.hits);
            hits[b * n_frames + fi] += h;
            match per_1k(h, n) {
                Some(_) if h == 0 => zeros[b * n_frames + fi] += 1,
                Some(r) => rates[fi].push((r, b as u32)),
                None => {}
            }
        }
    }
    // Per frame: each bucket's rank sum and rated documents, the corpus's
    // documents with no hit of it, and its runs of ties, met in order (the
    // zeros first) as the merged walk of any two samples meets them.
    struct Ranked {
        r1: Vec<f64>,
        rated: Vec<usize>,
        all_rated: usize,
        zeros: usize,
        runs: Runs,
    }
    let ranked: Vec<Ranked> = rates
        .into_par_iter()
        .enumerate()
        .map(|(fi, mut rated)| {
            rated.sort_unstable_by(|x, y| x.0.total_cmp(&y.0));
            let z: usize = (0..n_buckets)
                .map(|b| no_hits[b] + zeros[b * n_frames + fi])
                .sum();
            let mut out = Ranked {
                r1: vec![0.0; n_buckets],
                rated: vec![0; n_buckets],
                all_rated: rated.len(),
                zeros: z,
                runs: Runs::default(),
            };
            if z > 0 {
                let rank = out.runs.midrank(0, z);
                for (b, r1) in out.r1.iter_mut().enumerate() {
                    *r1 += rank * (no_hits[b] + zeros[b * n_frames + fi]) as f64;
                }
            }
            let mut i = 0;
            while i < rated.len() {
                let mut j = i;
                // Rates are finite (a document with tokens): no NaN runs.
                while j + 1 < rated.len() && rated[j + 1].0 == rated[i].0 {
                    j += 1;
                }
                let rank = out.runs.midrank(z + i, j - i + 1);
                for &(_, b) in &rated[i..=j] {
                    out.r1[b as usize] += rank;
                    out.rated[b as usize] += 1;
                }
                i = j + 1;
            }
            out
        })
        .collect();
    let total_hits: Vec<u64> = (0..n_frames)
        .map(|fi| (0..n_buckets).map(|b| hits[b * n_frames + fi]).sum())
        .collect();
    let all_docs = docs.len() as u64;
    groups
        .par_iter()
        .map(|g| {
            let k = unit_of_group(g);
            let (n_t, n_r) = g.tokens(docs);
            let docs_t = n_docs[k] as u64;
            let mut rows: Vec<FrameCompareRow> = (0..n_frames)
                .map(|fi| {
                    let (lex, frame) = frames.get(fi);
                    let f = &ranked[fi];
                    let hits_t = hits[k * n_frames + fi];
                    let zeros_t = no_hits[k] + zeros[k * n_frames + fi];
                    let (rated_t, r1) = (f.rated[k], f.r1[k]);
                    let (n1, n2) = (zeros_t + rated_t, f.zeros - zeros_t + f.all_rated - rated_t);
                    let mw = (n1 >= 2 && n2 >= 2).then(|| {
                        super::compare::mann_whitney_from_ranks(
                            n1,
                            n2,
                            r1,
                            f.runs.tie_term,
                            f.runs.ties,
                        )
                    });
                    let target = SideCounts {
                        hits: hits_t,
                        n_tokens: n_t,
                        docs: docs_t,
                        zeros: zeros_t,
                        rates: Vec::new(),
                    };
                    let reference = SideCounts {
                        hits: total_hits[fi] - hits_t,
                        n_tokens: n_r,
                        docs: all_docs - docs_t,
                        zeros: f.zeros - zeros_t,
                        rates: Vec::new(),
                    };
                    frame_row_with(&lex.id, &frame.id, target, reference, mw)
                })
                .collect();
            adjust_frame_rows(&mut rows);
            rows
        })
        .collect()
}

/// One side of one frame's comparison: hits, tokens, documents, the
/// documents with tokens and no hit, and the rates of those with hits.
struct SideCounts {
    hits: u64,
    n_tokens: u64,
    docs: u64,
    zeros: usize,
    rates: Vec<f64>,
}

/// A frame's row, its `p_adjusted` left for [`adjust_frame_rows`].
fn frame_row(lexicon: &str, frame: &str, mut t: SideCounts, mut r: SideCounts) -> FrameCompareRow {
    let mw = mann_whitney_p_zeros(t.zeros, &mut t.rates, r.zeros, &mut r.rates);
    frame_row_with(lexicon, frame, t, r, mw)
}

/// [`frame_row`] with the Mann–Whitney p-value given.
fn frame_row_with(
    lexicon: &str,
    frame: &str,
    t: SideCounts,
    r: SideCounts,
    mw: Option<f64>,
) -> FrameCompareRow {
    let (rr, lo, hi) = rate_ratio_ci(t.hits, t.n_tokens, r.hits, r.n_tokens);
    let g = g2(
        t.hits as f64,
        r.hits as f64,
        t.n_tokens as f64,
        r.n_tokens as f64,
    );
    FrameCompareRow {
        lexicon: lexicon.to_string(),
        frame: frame.to_string(),
        hits_target: t.hits,
        n_tokens_target: t.n_tokens,
        hits_reference: r.hits,
        n_tokens_reference: r.n_tokens,
        per_1k_target: 1000.0 * t.hits as f64 / t.n_tokens as f64,
        per_1k_reference: 1000.0 * r.hits as f64 / r.n_tokens as f64,
        rate_ratio: rr,
        rr_ci_low: lo,
        rr_ci_high: hi,
        g2: g,
        p_value: chi2_sf_1(g),
        p_adjusted: f64::NAN,
        docs_target: t.docs,
        docs_reference: r.docs,
        mw_p_value: mw,
    }
}

/// Every row's `p_adjusted`: Benjamini–Hochberg over the frames.
fn adjust_frame_rows(rows: &mut [FrameCompareRow]) {
    let p: Vec<f64> = rows.iter().map(|r| r.p_value).collect();
    for (r, q) in rows.iter_mut().zip(benjamini_hochberg(&p)) {
        r.p_adjusted = q;
    }
}

/// One side of a frame comparison, every frame at once: its documents,
/// each frame's hits, the documents with tokens and no hit of any frame,
/// and per frame the others with no hit of it and the rates of those
/// with hits, in document order.
struct FrameSide {
    docs: usize,
    hits: Vec<u64>,
    no_hits: usize,
    zeros: Vec<usize>,
    rates: Vec<Vec<f64>>,
}

impl FrameSide {
    fn new(n_frames: usize) -> FrameSide {
        FrameSide {
            docs: 0,
            hits: vec![0; n_frames],
            no_hits: 0,
            zeros: vec![0; n_frames],
            rates: vec![Vec::new(); n_frames],
        }
    }
}

/// One pair of a similarity table.
#[derive(Debug, Clone, PartialEq)]
pub struct SimilarityRow {
    pub a: String,
    pub b: String,
    /// Cosine of the frames' per-1,000-token rates.
    pub frames_cosine: Option<f64>,
    /// Cosine of tf-idf vectors of non-stopword norms.
    pub terms_cosine: Option<f64>,
}

/// Units to compare: each a name and its documents.
pub type Units = Vec<(String, Vec<usize>)>;

/// Each of `n_docs` documents' unit of `units` ([`NO_UNIT`] for a
/// document in none).
fn unit_of(units: &Units, n_docs: usize) -> Vec<u32> {
    let mut unit_of = vec![NO_UNIT; n_docs];
    for (u, (_, members)) in units.iter().enumerate() {
        for &d in members {
            unit_of[d] = u as u32;
        }
    }
    unit_of
}

/// [`unit_of`] a document in no unit.
const NO_UNIT: u32 = u32::MAX;

/// The most units a similarity table compares: n units give n(n−1)/2
/// pairs.
pub const MAX_SIMILARITY_UNITS: usize = 2000;

/// An error when `units` are too many to compare pairwise.
pub fn check_pairs(units: &Units) -> Result<()> {
    let n = units.len();
    if n > MAX_SIMILARITY_UNITS {
        return Err(Error::invalid(format!(
            "{n} documents or groups give {} pairs to compare; compare groups \
             with --by FIELD (at most {MAX_SIMILARITY_UNITS})",
            n * (n - 1) / 2
        )));
    }
    Ok(())
}

/// The most values of a field a message lists.
const SHOWN_VALUES: usize = 20;

/// Every document as its own unit (in corpus order), or one unit per
/// value of `field` in [`super::group_order`].
pub fn units(docs: &Docs, field: Option<&str>) -> Result<Units> {
    let mut out: Units = Vec::new();
    let mut ids: FxHashMap<String, usize> = FxHashMap::default();
    for (i, d) in docs.iter().enumerate() {
        let meta = d.meta();
        let name = match field {
            None => std::borrow::Cow::Borrowed(d.id()),
            Some(f) => group_value(i == 0, d.id(), &meta, f)?,
        };
        // The name is copied only for a unit not seen before.
        let k = match ids.get(&*name) {
            Some(&k) => k,
            None => {
                ids.insert(name.to_string(), out.len());
                out.push((name.into_owned(), Vec::new()));
                out.len() - 1
            }
        };
        out[k].1.push(i);
    }
    if field.is_some() {
        out.sort_by(|a, b| super::group_order(&a.0, &b.0));
    }
    Ok(out)
}

/// Cosine similarity of every pair of units (a before b in unit order;
/// documents in no unit are left out):
/// frame rates, and tf-idf of non-stopword norms, where tf is the count in
/// the unit and idf = ln(N_docs / documents containing the term) over the
/// whole corpus (Spärck Jones 1972; Salton & Buckley 1988).
pub fn similarity(
    docs: &Docs,
    postings: &Postings,
    n_frames: usize,
    units: &Units,
) -> Vec<SimilarityRow> {
    similarity_with(docs, postings, n_frames, units, None)
}

/// [`similarity`], each term's count in each unit taken from `counts`
/// (made from the same postings and documents) when the documents of one
/// signature are all of one unit, as they are when every unit is a
/// comparison's target: the postings are then read once for both
/// keyness and similarity. The rows are the same either way.
pub fn similarity_with(
    docs: &Docs,
    postings: &Postings,
    n_frames: usize,
    units: &Units,
    counts: Option<&KeynessCounts<'_>>,
) -> Vec<SimilarityRow> {
    let unit_of = unit_of(units, docs.len());
    let frame_vecs: Vec<Vec<f64>> = units
        .iter()
        .map(|(_, members)| {
            let tokens: u64 = members.iter().map(|&d| docs.doc(d).n_tokens()).sum();
            (0..n_frames)
                .map(|fi| {
                    let h: u64 = members.iter().map(|&d| docs.doc(d).frame(fi).hits).sum();
                    per_1k(h, tokens).unwrap_or(0.0)
                })
                .collect()
        })
        .collect();
    // Sparse tf-idf vectors: (term index, weight), by term index.
    let n_docs = docs.len() as f64;
    let mut term_vecs: Vec<Vec<(u32, f64)>> = vec![Vec::new(); units.len()];
    // Each term's count per unit (dense: units are few), the terms over
    // the pool a block at a time, added to the vectors in term order:
    // summed from the keyness counts by signature when each signature
    // is one unit's, from the postings otherwise.
    let by_sig = counts
        .filter(|c| c.starts.len() == postings.terms.len() + 1)
        .and_then(|c| Some((c, c.unit_of_signatures(&unit_of)?)));
    let unit_counts = |t: usize, list: &crate::analyze::PostingList| -> Vec<(usize, u64)> {
        let mut tf = vec![0u64; units.len()];
        let mut add = |u: u32, n: u64| {
            if u != NO_UNIT {
                tf[u as usize] += n;
            }
        };
        match &by_sig {
            Some((c, sig_unit)) => {
                for &(sig, n) in &c.by_sig[c.starts[t]..c.starts[t + 1]] {
                    add(sig_unit[sig as usize], n);
                }
            }
            None => {
                for (d, n) in list.docs.iter() {
                    add(unit_of[d as usize], n as u64);
                }
            }
        }
        tf.into_iter().enumerate().filter(|&(_, n)| n > 0).collect()
    };
    for (b, block) in postings.terms.chunks(1 << 14).enumerate() {
        use rayon::prelude::*;
        // Per term: its idf and its count in each unit that has it.
        type UnitCounts = Option<(f64, Vec<(usize, u64)>)>;
        let per_term: Vec<UnitCounts> = block
            .par_iter()
            .enumerate()
            .map(|(k, list)| {
                if list.stopword || list.docs.is_empty() {
                    return None;
                }
                let idf = (n_docs / list.docs.len() as f64).ln();
                if idf == 0.0 {
                    return None;
                }
                Some((idf, unit_counts((b << 14) + k, list)))
            })
            .collect();
        for (k, c) in per_term.into_iter().enumerate() {
            let Some((idf, tf)) = c else { continue };
            let ti = (b << 14) + k;
            for (u, n) in tf {
                term_vecs[u].push((ti as u32, n as f64 * idf));
            }
        }
    }
    // Every pair, a unit's rows on a thread: unit a's vector spread over
    // a dense array once, each b's dot product gathered from it (no
    // merge of two sparse vectors, whose branches the CPU mispredicts:
    // 78 years are 3,003 pairs of tens of thousands of terms each), and
    // each vector's norm made once.
    use rayon::prelude::*;
    let norms: Vec<f64> = term_vecs.par_iter().map(|v| sparse_norm(v)).collect();
    let n_terms = postings.terms.len();
    let rows: Vec<Vec<SimilarityRow>> = (0..units.len())
        .into_par_iter()
        .map_init(
            || vec![0.0f64; n_terms],
            |dense, i| {
                let a = &term_vecs[i];
                for &(t, x) in a {
                    dense[t as usize] = x;
                }
                let rows = (i + 1..units.len())
                    .map(|j| SimilarityRow {
                        a: units[i].0.clone(),
                        b: units[j].0.clone(),
                        frames_cosine: cosine(&frame_vecs[i], &frame_vecs[j]),
                        terms_cosine: dense_sparse_cosine(dense, norms[i], &term_vecs[j], norms[j]),
                    })
                    .collect();
                for &(t, _) in a {
                    dense[t as usize] = 0.0;
                }
                rows
            },
        )
        .collect();
    rows.into_iter().flatten().collect()
}

/// The norm of a sparse vector: its squares summed in index order.
fn sparse_norm(v: &[(u32, f64)]) -> f64 {
    v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt()
}

/// [`sparse_cosine`] of a vector spread over `dense` (zeros elsewhere;
/// norm `na`) and a sparse one (norm `nb`): the same products summed in
/// the same order (index order; a term of `b` alone adds 0 × x = +0,
/// which leaves a sum of non-negative weights as it is), so the same
/// bits.
fn dense_sparse_cosine(dense: &[f64], na: f64, b: &[(u32, f64)], nb: f64) -> Option<f64> {
    if na == 0.0 || nb == 0.0 {
        return None;
    }
    let mut dot = 0.0;
    for &(t, y) in b {
        dot += dense[t as usize] * y;
    }
    Some(dot / (na * nb))
}

/// `rows` (no G² NaN) by G² descending, then by their place in `rows`,
/// as `sort_by` with `partial_cmp` would order them (−0 and +0 alike),
/// from integer keys: sorting 16-byte keys and gathering the rows once
/// moves far less than sorting the rows themselves.
#[cfg(test)]
fn by_g2_then_place(rows: &[KeynessKey]) -> Vec<KeynessKey> {
    let mut keys: Vec<(u64, u32)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (g2_key(r.g2), i as u32))
        .collect();
    keys.sort_unstable();
    keys.iter().map(|&(_, i)| rows[i as usize]).collect()
}

/// A key that orders G² descending as integers (−0 taken as +0).
fn g2_key(g: f64) -> u64 {
    let g = if g == 0.0 { 0.0 } else { g };
    !super::compare::total_order_key(g)
}

/// `rows` in the order of their groups' keys, rows of equal keys in
/// their own order: row i is in group `group_of[i]`, and group j has
/// key `keys[j].0` and `keys[j].1` rows. What sorting the rows by (key,
/// place) gives, by sorting the groups' keys alone (a few thousand where
/// the rows are tens of thousands) and placing each row after the rows
/// of smaller keys.
fn in_key_order<T: Copy>(rows: &[T], group_of: &[u32], keys: &[(u64, u32)]) -> Vec<T> {
    let mut by_key: Vec<u32> = (0..keys.len() as u32).collect();
    by_key.sort_unstable_by_key(|&j| keys[j as usize].0);
    // Each group's rank among the distinct keys (groups of one key share
    // it), and where each rank's rows start.
    let mut rank_of = vec![0u32; keys.len()];
    let mut next: Vec<usize> = Vec::new();
    let (mut at, mut last) = (0usize, None);
    for &j in &by_key {
        let (key, n) = keys[j as usize];
        if last != Some(key) {
            next.push(at);
            last = Some(key);
        }
        rank_of[j as usize] = next.len() as u32 - 1;
        at += n as usize;
    }
    debug_assert_eq!(at, rows.len(), "the groups' rows are the rows");
    let mut out = rows.to_vec();
    for (r, &g) in rows.iter().zip(group_of) {
        let cursor = &mut next[rank_of[g as usize] as usize];
        out[*cursor] = *r;
        *cursor += 1;
    }
    out
}

/// Cosine of two sparse vectors sorted by index, merged; `None` when
/// either is zero. What [`dense_sparse_cosine`] must give, bit for bit.
#[cfg(test)]
fn sparse_cosine(a: &[(u32, f64)], b: &[(u32, f64)]) -> Option<f64> {
    let (na, nb) = (sparse_norm(a), sparse_norm(b));
    if na == 0.0 || nb == 0.0 {
        return None;
    }
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                dot += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    Some(dot / (na * nb))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::{DocSummary, FrameCount};
    use crate::corpus::Meta;

    fn doc(id: &str, voice: &str, n_tokens: u64) -> DocSummary {
        DocSummary {
            id: id.to_string(),
            meta: Meta::new(vec![("voice".to_string(), voice.to_string())]),
            n_tokens,
            n_types: 0,
            n_sentences: 0,
            n_bytes: 0,
            frames: vec![FrameCount::default()],
        }
    }

    /// DP straight from the definition, over every document.
    fn dp_dense(v: &[u64], tokens: &[u64]) -> f64 {
        let f: u64 = v.iter().sum();
        let n: u64 = tokens.iter().sum();
        let s: Vec<f64> = tokens.iter().map(|&t| t as f64 / n as f64).collect();
        let min = s.iter().cloned().fold(f64::INFINITY, f64::min);
        let sum: f64 = v
            .iter()
            .zip(&s)
            .map(|(&vi, si)| (vi as f64 / f as f64 - si).abs())
            .sum();
        0.5 * sum / (1.0 - min)
    }

    #[test]
    fn dp_from_postings_equals_the_definition() {
        let tokens = [100, 250, 50, 600, 0];
        let docs: Docs = tokens.iter().map(|&t| doc("d", "x", t)).collect();
        let disp = Dispersion::new(&docs);
        for v in [
            [1u64, 0, 0, 0, 0],
            [10, 25, 5, 60, 0],
            [0, 0, 7, 0, 0],
            [3, 1, 0, 9, 0],
        ] {
            let postings: Vec<(u32, u32)> = v
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(i, &n)| (i as u32, n as u32))
                .collect();
            let got = disp.dp(postings.iter().copied()).unwrap();
            let want = dp_dense(&v, &tokens);
            assert!((got - want).abs() < 1e-12, "{v:?}: {got} vs {want}");
        }
        // Perfectly even: 0. Gries (2008) worked example: a corpus of five
        // equal parts, the term in the first only: DP = 0.8, normalized
        // by 1 − 0.2 to 1.
        let even = Dispersion::new(&(0..5).map(|_| doc("d", "x", 10)).collect::<Docs>());
        assert!(
            even.dp([(0, 1), (1, 1), (2, 1), (3, 1), (4, 1)])
                .unwrap()
                .abs()
                < 1e-12
        );
        assert!((even.dp([(0, 5)]).unwrap() - 1.0).abs() < 1e-12);
        // One document: undefined.
        assert_eq!(
            Dispersion::new(&Docs::from_iter([doc("d", "x", 10)])).dp([(0, 3)]),
            None
        );
    }

    /// The shares divided once and the small counts' v/f divided once
    /// per term give the very bits of dividing at every posting (DP is
    /// in terms.csv, whose bytes must not move).
    #[test]
    fn dp_divides_as_at_every_posting() {
        let tokens: Vec<u64> = (0..40u64).map(|i| 1 + (i * 7919) % 263).collect();
        let docs: Docs = tokens.iter().map(|&t| doc("d", "x", t)).collect();
        let disp = Dispersion::new(&docs);
        let n = tokens.iter().sum::<u64>() as f64;
        let min = *tokens.iter().min().unwrap() as f64 / n;
        for seed in 0..50u32 {
            // Counts 1 to 20 (both sides of the small counts), every
            // third or so document.
            let postings: Vec<(u32, u32)> = (0..40u32)
                .filter(|d| (d * 31 + seed * 17) % 3 == 0)
                .map(|d| (d, 1 + (d * 13 + seed * 7) % 20))
                .collect();
            let f = postings.iter().map(|&(_, v)| v as u64).sum::<u64>();
            let (mut sum, mut covered) = (0.0, 0.0);
            for &(d, v) in &postings {
                let s = tokens[d as usize] as f64 / n;
                sum += (v as f64 / f as f64 - s).abs();
                covered += s;
            }
            sum += (1.0f64 - covered).max(0.0);
            let want = 0.5 * sum / (1.0 - min);
            let got = disp.dp(postings.iter().copied()).unwrap();
            assert_eq!(got.to_bits(), want.to_bits(), "seed {seed}");
        }
    }

    /// Similarity made from the keyness counts is the similarity made
    /// from the postings, to the bit: when each unit is a comparison's
    /// target (the counts are used) and when the comparisons split the
    /// units otherwise (they are not).
    #[test]
    fn similarity_from_keyness_counts_is_the_same() {
        use crate::analyze::{DocCounts, PostingList};
        let voices = ["a", "b", "a", "c", "b", "a", "c", "d"];
        let docs: Docs = voices
            .iter()
            .enumerate()
            .map(|(i, v)| doc(&format!("d{i}"), v, 40 + 7 * i as u64))
            .collect();
        let units = units(&docs, Some("voice")).unwrap();
        assert_eq!(units.len(), 4);
        let list = |t: usize| PostingList {
            term: format!("t{t:02}"),
            stopword: t % 5 == 0,
            docs: DocCounts::from_sorted(
                (0..docs.len() as u32)
                    .filter(|d| (d * 7 + t as u32 * 3) % 4 != 0)
                    .map(|d| (d, 1 + (d * 5 + t as u32) % 6)),
            ),
        };
        let postings = Postings {
            terms: (0..30).map(list).collect(),
        };
        let want = similarity(&docs, &postings, 1, &units);
        assert!(want.iter().any(|r| r.terms_cosine.is_some()));
        let unit_of = unit_of(&units, docs.len());
        // Rows checked pair by pair, each unit's tf-idf vector made here
        // from the postings and merged with the other's, to the bit, on
        // postings where most terms are in one or two units (one thread's
        // scratch serves several units: what a unit leaves in it must
        // not count for the next).
        let sparse = Postings {
            terms: (0..40)
                .map(|t: u32| PostingList {
                    term: format!("s{t:02}"),
                    stopword: t % 9 == 0,
                    docs: DocCounts::from_sorted(
                        (0..docs.len() as u32)
                            .filter(|d| (d * 5 + t * 3) % 7 < 2)
                            .map(|d| (d, 1 + (d + t) % 4)),
                    ),
                })
                .collect(),
        };
        let vector = |u: usize| -> Vec<(u32, f64)> {
            sparse
                .terms
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.stopword && !l.docs.is_empty())
                .filter_map(|(t, l)| {
                    let idf = (docs.len() as f64 / l.docs.len() as f64).ln();
                    let tf: u64 = l
                        .docs
                        .iter()
                        .filter(|&(d, _)| unit_of[d as usize] == u as u32)
                        .map(|(_, n)| n as u64)
                        .sum();
                    (idf != 0.0 && tf > 0).then_some((t as u32, tf as f64 * idf))
                })
                .collect()
        };
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let rows = pool.install(|| similarity(&docs, &sparse, 1, &units));
            let mut rows = rows.iter();
            for i in 0..units.len() {
                for j in i + 1..units.len() {
                    let row = rows.next().expect("a row per pair");
                    assert_eq!(
                        (row.a.as_str(), row.b.as_str()),
                        (units[i].0.as_str(), units[j].0.as_str())
                    );
                    let merged = sparse_cosine(&vector(i), &vector(j));
                    let got = row.terms_cosine.map(f64::to_bits);
                    assert_eq!(
                        got,
                        merged.map(f64::to_bits),
                        "{i} {j} at {threads} threads"
                    );
                }
            }
            assert!(rows.next().is_none());
        }
        let opts = KeynessOptions::default();
        // Each unit against the rest, as `run` compares them: every
        // signature is one unit's documents.
        let each = Groups::each_unit_vs_rest(&units, docs.len());
        let refs: Vec<&Groups> = each.iter().collect();
        let counts = KeynessCounts::new(&postings, &docs, &refs, &opts, None);
        assert!(counts.unit_of_signatures(&unit_of).is_some());
        let got = similarity_with(&docs, &postings, 1, &units, Some(&counts));
        assert_eq!(format!("{got:?}"), format!("{want:?}"));
        // The first unit's units alone: the rest mixes units.
        let refs = &refs[..1];
        let counts = KeynessCounts::new(&postings, &docs, refs, &opts, None);
        assert!(counts.unit_of_signatures(&unit_of).is_none());
        let got = similarity_with(&docs, &postings, 1, &units, Some(&counts));
        assert_eq!(format!("{got:?}"), format!("{want:?}"));
    }

    /// Every row's numbers are those of the formulas on its own counts, to
    /// the bit, though G² and the rates are computed once per pair of
    /// counts: thousands of terms share a few pairs among thousands of
    /// others, rows are asked for in table order, scrambled, and
    /// interleaved with another corpus's rows of the same counts on one
    /// thread.
    #[test]
    fn keyness_numbers_computed_once_per_pair_are_each_rows_own() {
        use crate::analyze::{DocCounts, PostingList};
        let voices = ["a", "b", "c", "a", "b", "c", "a", "d", "b", "a"];
        let corpus = |extra: u64| -> Docs {
            voices
                .iter()
                .enumerate()
                .map(|(i, v)| doc(&format!("d{i}"), v, 90_000 + 1_000 * i as u64 + extra))
                .collect()
        };
        let mut next = crate::testing::xorshift(0x5EED);
        let terms: Vec<PostingList> = (0..12_000u32)
            .map(|t| {
                // Half the terms rare and alike, half with counts up to 3,000.
                let top = if t % 2 == 0 { 3000 } else { 4 };
                let docs: Vec<(u32, u32)> = (0..voices.len() as u32)
                    .filter_map(|d| {
                        let r = next();
                        (r % 3 == 0).then(|| (d, 1 + ((r >> 8) % top) as u32))
                    })
                    .collect();
                PostingList {
                    term: format!("t{t:05}"),
                    stopword: t % 97 == 0,
                    docs: DocCounts::from_sorted(docs),
                }
            })
            .collect();
        let postings = Postings { terms };
        let opts = KeynessOptions::default();
        let (docs, other_docs) = (corpus(0), corpus(517));
        let units = units(&docs, Some("voice")).unwrap();
        let each = Groups::each_unit_vs_rest(&units, docs.len());
        let refs: Vec<&Groups> = each.iter().collect();
        let counts = KeynessCounts::new(&postings, &docs, &refs, &opts, None);
        let other = KeynessCounts::new(&postings, &other_docs, &refs, &opts, None);
        let bits = |r: &KeynessRow| {
            [
                r.per_1k_target,
                r.per_1k_reference,
                r.g2,
                r.p_value,
                r.log_ratio,
                r.z_logodds,
            ]
            .map(f64::to_bits)
        };
        // The formulas on the row's counts, summed here from the postings.
        let direct = |counts: &KeynessCounts, k: usize, r: &KeynessKey| {
            let (c, d) = counts.tokens[k];
            let list = &postings.terms[r.term as usize];
            let (mut a, mut b, mut f) = (0u64, 0u64, 0u64);
            for (doc, n) in list.docs.iter() {
                f += n as u64;
                match each[k].place(doc as usize) {
                    TARGET => a += n as u64,
                    REFERENCE => b += n as u64,
                    _ => {}
                }
            }
            assert_eq!((r.n_target, r.n_reference), (a, b));
            let (af, bf, cf, df) = (a as f64, b as f64, c as f64, d as f64);
            let g = g2(af, bf, cf, df);
            let n = counts.n_tokens as f64;
            [
                1000.0 * af / cf,
                1000.0 * bf / df,
                g,
                chi2_sf_1(g),
                log_ratio(af, bf, cf, df),
                z_logodds(af, cf, bf, df, f as f64, n, opts.prior),
            ]
            .map(f64::to_bits)
        };
        let mut most_pairs = 0;
        for k in 0..each.len() {
            let table = counts.table(k);
            let theirs = other.table(k);
            assert!(table.len() > 10_000, "{}", table.len());
            let pairs: std::collections::HashSet<_> =
                table.iter().map(|r| (r.n_target, r.n_reference)).collect();
            most_pairs = most_pairs.max(pairs.len());
            for (i, r) in table.iter().enumerate() {
                assert_eq!(bits(&counts.row(k, r)), direct(&counts, k, r), "{k} {i}");
                // The other corpus's row of the same term (the same
                // counts, other token totals) between two of this one's.
                let every_50th = (i % 50 == 0).then_some(r.term);
                if let Some(o) = every_50th.and_then(|t| theirs.iter().find(|o| o.term == t)) {
                    assert_eq!(
                        bits(&other.row(k, o)),
                        direct(&other, k, o),
                        "other {k} {i}"
                    );
                }
            }
            for i in (0..table.len()).map(|i| (i * 7919) % table.len()) {
                assert_eq!(
                    bits(&counts.row(k, &table[i])),
                    direct(&counts, k, &table[i])
                );
            }
        }
        // Thousands of pairs, most of them shared by several rows.
        assert!(most_pairs > 4096, "{most_pairs} pairs");
    }

    /// Rows placed by their groups' keys are the rows sorted by (key,
    /// place), whatever the groups: many rows to a group, groups of equal
    /// keys (G² of −0 and +0 among them), one row, none.
    #[test]
    fn rows_in_key_order_as_sorted_by_key_and_place() {
        let mut next = crate::testing::xorshift(0x0DE2);
        let values = [
            0.0,
            -0.0,
            1.5,
            -1.5,
            7.25,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e-300,
        ];
        for n_rows in [0usize, 1, 2, 50, 5000] {
            for n_groups in [1usize, 3, 40] {
                // Each group's G², some groups sharing a value.
                let g: Vec<f64> = (0..n_groups)
                    .map(|_| {
                        let r = next();
                        if r % 3 == 0 {
                            values[(r >> 8) as usize % values.len()]
                        } else {
                            ((r >> 8) % 64) as f64 / 4.0 - 8.0
                        }
                    })
                    .collect();
                let group_of: Vec<u32> = (0..n_rows)
                    .map(|_| (next() % n_groups as u64) as u32)
                    .collect();
                let rows: Vec<KeynessKey> = group_of
                    .iter()
                    .enumerate()
                    .map(|(t, &j)| KeynessKey {
                        term: t as u32,
                        n_target: j as u64,
                        n_reference: 0,
                        g2: g[j as usize],
                        p_value: 0.5,
                        p_adjusted: 0.5,
                    })
                    .collect();
                let mut keys: Vec<(u64, u32)> = g.iter().map(|&x| (g2_key(x), 0)).collect();
                for &j in &group_of {
                    keys[j as usize].1 += 1;
                }
                let got = in_key_order(&rows, &group_of, &keys);
                let want = by_g2_then_place(&rows);
                let terms = |v: &[KeynessKey]| v.iter().map(|r| r.term).collect::<Vec<_>>();
                assert_eq!(
                    terms(&got),
                    terms(&want),
                    "{n_rows} rows, {n_groups} groups"
                );
            }
        }
    }

    /// A comparison's table is the same read with the other comparisons
    /// (each group against the rest from its signatures alone, a target
    /// against a chosen reference, which leaves documents out, by all of
    /// them) as alone.
    #[test]
    fn keyness_tables_are_the_same_with_other_comparisons() {
        use crate::analyze::{DocCounts, PostingList};
        let voices = [
            "gov", "press", "blog", "gov", "wire", "press", "gov", "blog",
        ];
        let docs: Docs = voices
            .iter()
            .enumerate()
            .map(|(i, v)| doc(&format!("d{i}"), v, 500 + 37 * i as u64))
            .collect();
        let mut next = crate::testing::xorshift(0xAB);
        let postings = Postings {
            terms: (0..400u32)
                .map(|t| PostingList {
                    term: format!("t{t:03}"),
                    stopword: t % 11 == 0,
                    docs: DocCounts::from_sorted(
                        (0..voices.len() as u32)
                            .filter_map(|d| {
                                let r = next();
                                (r % 3 != 0).then(|| (d, 1 + ((r >> 8) % 9) as u32))
                            })
                            .collect::<Vec<_>>(),
                    ),
                })
                .collect(),
        };
        let units = units(&docs, Some("voice")).unwrap();
        let mut all = Groups::each_unit_vs_rest(&units, docs.len());
        let press = Selection::new("voice", "press");
        all.push(
            Groups::select(&docs, &Selection::new("voice", "gov,wire"), Some(&press)).unwrap(),
        );
        all.push(Groups::one_vs_rest(&docs, 3));
        for drop_stopwords in [false, true] {
            let opts = KeynessOptions {
                drop_stopwords,
                ..KeynessOptions::default()
            };
            let refs: Vec<&Groups> = all.iter().collect();
            let together = KeynessCounts::new(&postings, &docs, &refs, &opts, None);
            for (k, g) in all.iter().enumerate() {
                let alone = KeynessCounts::new(&postings, &docs, &[g], &opts, None);
                let rows = |c: &KeynessCounts, k: usize| {
                    let table = c.table(k);
                    let rows: Vec<KeynessRow> = table.iter().map(|r| c.row(k, r)).collect();
                    format!("{rows:?}")
                };
                assert_eq!(
                    rows(&together, k),
                    rows(&alone, 0),
                    "{} {drop_stopwords}",
                    g.target
                );
            }
        }
    }

    /// Rows of equal g2 are in the order of their terms' text, whether
    /// or not the postings' terms come in that order.
    #[test]
    fn keyness_ties_are_ordered_by_text() {
        use crate::analyze::{DocCounts, PostingList};
        let docs: Docs = [10, 10].iter().map(|&t| doc("d", "x", t)).collect();
        let groups = Groups::one_vs_rest(&docs, 0);
        let list = |term: &str| PostingList {
            term: term.to_string(),
            stopword: false,
            docs: DocCounts::from_sorted([(0, 3), (1, 1)]),
        };
        let opts = KeynessOptions::default();
        for names in [["ab", "b", "c"], ["c", "ab", "b"]] {
            let postings = Postings {
                terms: names.iter().map(|t| list(t)).collect(),
            };
            let rows = keyness(&postings, &docs, &groups, &opts);
            let terms: Vec<&str> = rows.iter().map(|r| r.term.as_str()).collect();
            assert_eq!(terms, ["ab", "b", "c"], "postings {names:?}");
        }
    }

    #[test]
    fn sparse_cosine_matches_dense() {
        let a = [(0u32, 1.0), (2, 2.0), (5, 3.0)];
        let b = [(2u32, 4.0), (3, 1.0), (5, -1.0)];
        let dense = |v: &[(u32, f64)]| {
            let mut d = vec![0.0; 6];
            for &(i, x) in v {
                d[i as usize] = x;
            }
            d
        };
        let (da, db) = (dense(&a), dense(&b));
        let dot: f64 = da.iter().zip(&db).map(|(x, y)| x * y).sum();
        let n = |d: &[f64]| d.iter().map(|x| x * x).sum::<f64>().sqrt();
        let want = dot / (n(&da) * n(&db));
        assert!((sparse_cosine(&a, &b).unwrap() - want).abs() < 1e-15);
        assert_eq!(sparse_cosine(&a, &[]), None);
    }

    #[test]
    fn keyness_rows_ranked_by_keys_as_by_comparing_g2() {
        // G² of every sign, many ties, −0 beside +0, infinities.
        let mut random = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15u64);
        let mut next = |n: u64| random() % n;
        let values = [
            0.0,
            -0.0,
            1.5,
            -1.5,
            3.25,
            -7.0,
            1e-300,
            -1e-300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
        ];
        for len in [0usize, 1, 2, 17, 1000] {
            let rows: Vec<KeynessKey> = (0..len)
                .map(|t| KeynessKey {
                    term: t as u32,
                    n_target: t as u64,
                    n_reference: 0,
                    g2: if next(3) == 0 {
                        values[next(values.len() as u64) as usize]
                    } else {
                        (next(200) as f64 - 100.0) / 8.0
                    },
                    p_value: 0.5,
                    p_adjusted: 0.5,
                })
                .collect();
            let mut want = rows.clone();
            want.sort_by(|x, y| {
                y.g2.partial_cmp(&x.g2)
                    .unwrap_or(Ordering::Equal)
                    .then_with(|| x.term.cmp(&y.term))
            });
            let got = by_g2_then_place(&rows);
            let terms = |v: &[KeynessKey]| v.iter().map(|r| r.term).collect::<Vec<_>>();
            assert_eq!(terms(&got), terms(&want), "{len} rows");
        }
    }

    #[test]
    fn cosine_gathered_from_a_dense_vector_is_the_merged_one_to_the_bit() {
        // Sparse tf-idf vectors over 2,000 terms (weights > 0, as tf-idf
        // weights are), of 0 to 600 terms each, some sharing many terms.
        let mut random = crate::testing::xorshift(0x2545_F491_4F6C_DD1Du64);
        let mut next = |n: u64| random() % n;
        let vecs: Vec<Vec<(u32, f64)>> = (0..40)
            .map(|k| {
                let len = if k == 0 { 0 } else { next(600) };
                let mut terms: Vec<u32> = (0..len).map(|_| next(2000) as u32).collect();
                terms.sort_unstable();
                terms.dedup();
                terms
                    .into_iter()
                    .map(|t| {
                        (
                            t,
                            (1 + next(50)) as f64 * (1.5 + next(1000) as f64 / 997.0).ln(),
                        )
                    })
                    .collect()
            })
            .collect();
        let mut dense = vec![0.0; 2000];
        for a in &vecs {
            for &(t, w) in a {
                dense[t as usize] = w;
            }
            for b in &vecs {
                let got = dense_sparse_cosine(&dense, sparse_norm(a), b, sparse_norm(b));
                let want = sparse_cosine(a, b);
                assert_eq!(got.map(f64::to_bits), want.map(f64::to_bits));
            }
            for &(t, _) in a {
                dense[t as usize] = 0.0;
            }
        }
        assert!(dense.iter().all(|&w| w == 0.0));
    }

    /// [`frame_compare`] as it was: one reading of the documents per
    /// frame, with the places of `groups` as masks.
    fn frame_compare_per_frame(
        docs: &Docs,
        frames: &FrameSet,
        groups: &Groups,
    ) -> Vec<FrameCompareRow> {
        let (n_t, n_r) = groups.tokens(docs);
        let docs_t = (0..docs.len()).filter(|&i| groups.in_target(i)).count() as u64;
        let docs_r = (0..docs.len()).filter(|&i| groups.in_reference(i)).count() as u64;
        let mut rows = Vec::new();
        for fi in 0..frames.len() {
            let (lex, frame) = frames.get(fi);
            let (mut h_t, mut h_r, mut zeros_t, mut zeros_r) = (0, 0, 0, 0);
            let (mut rates_t, mut rates_r) = (Vec::new(), Vec::new());
            for (i, d) in docs.iter().enumerate() {
                let h = d.frame(fi).hits;
                let (hits, zeros, rates) = if groups.in_target(i) {
                    (&mut h_t, &mut zeros_t, &mut rates_t)
                } else if groups.in_reference(i) {
                    (&mut h_r, &mut zeros_r, &mut rates_r)
                } else {
                    continue;
                };
                *hits += h;
                match per_1k(h, d.n_tokens()) {
                    Some(_) if h == 0 => *zeros += 1,
                    Some(r) => rates.push(r),
                    None => {}
                }
            }
            let side = |hits, n_tokens, docs, zeros, rates| SideCounts {
                hits,
                n_tokens,
                docs,
                zeros,
                rates,
            };
            rows.push(frame_row(
                &lex.id,
                &frame.id,
                side(h_t, n_t, docs_t, zeros_t, rates_t),
                side(h_r, n_r, docs_r, zeros_r, rates_r),
            ));
        }
        adjust_frame_rows(&mut rows);
        rows
    }

    /// Documents of four voices: some without tokens, most without a
    /// hit, others with hits of some frames, their counts cut short of
    /// the frames or with only negations.
    fn framed_docs(n: usize, n_frames: usize, seed: u64) -> Docs {
        let mut next = crate::testing::xorshift(seed);
        (0..n)
            .map(|i| {
                let mut d = doc(
                    &format!("d{i}"),
                    ["gov", "press", "blog", "wire"][next() as usize % 4],
                    [0, 1, 7, 40, 300][next() as usize % 5],
                );
                d.frames = match next() % 4 {
                    0 | 1 => Vec::new(),
                    2 => (0..next() as usize % (n_frames + 1))
                        .map(|_| FrameCount {
                            hits: [0, 0, 1, 2, 9][next() as usize % 5],
                            negated: next() % 2,
                        })
                        .collect(),
                    _ => vec![
                        FrameCount {
                            hits: 0,
                            negated: 1
                        };
                        n_frames
                    ],
                };
                d
            })
            .collect()
    }

    /// Every frame's row is the same, to the bit, as one reading per
    /// frame gave: groups chosen by value, with and without a reference,
    /// one document against the rest, and each voice against the rest
    /// (whose places, and keyness counts, are those of the masks).
    #[test]
    fn frame_compare_reads_the_documents_once_for_every_frame() {
        let frames = FrameSet::new(vec![crate::lexicon::Lexicon::builtin()]);
        let bits = |rows: &[FrameCompareRow]| format!("{rows:?}");
        for seed in 1..40 {
            let docs = framed_docs(60 + seed as usize * 7, frames.len(), seed);
            let mut all = vec![Groups::one_vs_rest(&docs, seed as usize % docs.len())];
            for (t, r) in [
                ("gov", None),
                ("gov,blog", Some("press")),
                ("wire", Some("blog,press")),
            ] {
                let r = r.map(|r| Selection::new("voice", r));
                if let Ok(g) = Groups::select(&docs, &Selection::new("voice", t), r.as_ref()) {
                    all.push(g);
                }
            }
            let voices = units(&docs, Some("voice")).unwrap();
            let each = Groups::each_unit_vs_rest(&voices, docs.len());
            for ((name, _), g) in voices.iter().zip(&each) {
                let masks = Groups::select(&docs, &Selection::new("voice", name), None).unwrap();
                for i in 0..docs.len() {
                    assert_eq!(g.place(i), masks.place(i), "seed {seed} {name} {i}");
                }
                all.push(g.clone());
            }
            assert!(all.len() >= 5, "seed {seed}");
            for g in &all {
                let got = frame_compare(&docs, &frames, g);
                let want = frame_compare_per_frame(&docs, &frames, g);
                assert_eq!(bits(&got), bits(&want), "seed {seed} {}", g.target);
            }
        }
    }

    /// Every group's frame_compare.csv rows from one ranking of the
    /// corpus are those of a reading per group, to the bit: each voice
    /// (or each document) against the rest, units of one document (no
    /// test), units without documents, documents in no unit, documents
    /// without tokens or hits, small samples (the exact path) and large
    /// ones with ties; groups of chosen values go the way they went.
    #[test]
    fn frame_compare_of_every_unit_from_one_ranking() {
        let frames = FrameSet::new(vec![crate::lexicon::Lexicon::builtin()]);
        let bits = |rows: &[FrameCompareRow]| format!("{rows:?}");
        for seed in 1..30u64 {
            let docs = framed_docs(5 + seed as usize * 13, frames.len(), seed);
            let by_voice = units(&docs, Some("voice")).unwrap();
            let by_doc = units(&docs, None).unwrap();
            // A unit without documents, last and first, and documents in
            // no unit (the last voice's left out).
            let mut sparse = by_voice.clone();
            sparse.pop();
            sparse.push(("nobody".to_string(), Vec::new()));
            sparse.insert(0, ("no one".to_string(), Vec::new()));
            let chosen = vec![
                Groups::select(&docs, &Selection::new("voice", "gov"), None),
                Groups::select(
                    &docs,
                    &Selection::new("voice", "press"),
                    Some(&Selection::new("voice", "blog")),
                ),
            ];
            let chosen: Vec<Groups> = chosen.into_iter().filter_map(|g| g.ok()).collect();
            for all in [
                Groups::each_unit_vs_rest(&by_voice, docs.len()),
                Groups::each_unit_vs_rest(&by_doc, docs.len()),
                Groups::each_unit_vs_rest(&sparse, docs.len()),
                chosen,
            ] {
                let refs: Vec<&Groups> = all.iter().collect();
                let got = frame_compare_all(&docs, &frames, &refs);
                assert_eq!(got.len(), all.len());
                for (g, rows) in all.iter().zip(&got) {
                    let want = frame_compare(&docs, &frames, g);
                    assert_eq!(bits(rows), bits(&want), "seed {seed} {}", g.target);
                }
            }
        }
    }

    #[test]
    fn groups_name_the_field_and_value_when_empty_or_overlapping() {
        let docs: Docs = [
            doc("a", "gov", 10),
            doc("b", "press", 5),
            doc("c", "gov", 0),
        ]
        .into_iter()
        .collect();
        let g = Groups::select(&docs, &Selection::new("voice", "gov"), None).unwrap();
        let places = |g: &Groups| -> Vec<(bool, bool)> {
            (0..docs.len())
                .map(|i| (g.in_target(i), g.in_reference(i)))
                .collect()
        };
        assert_eq!(places(&g), [(true, false), (false, true), (true, false)]);
        let g = Groups::select(
            &docs,
            &Selection::new("voice", "gov"),
            Some(&Selection::new("voice", "press")),
        )
        .unwrap();
        assert_eq!(places(&g), [(true, false), (false, true), (true, false)]);
        let err = |t: &str, r: Option<&str>| {
            Groups::select(
                &docs,
                &Selection::new("voice", t),
                r.map(|r| Selection::new("voice", r)).as_ref(),
            )
            .unwrap_err()
            .to_string()
        };
        assert_eq!(
            err("gov,nobody", None),
            "no document has voice = nobody; its values are \"gov\", \"press\" (compared \
             exactly, case included); commas separate values (write one inside a value as \\,)"
        );
        assert_eq!(
            err("nobody", None),
            "no document has voice = nobody; its values are \"gov\", \"press\" (compared \
             exactly, case included)"
        );
        assert_eq!(
            err("gov", Some("gov,press")),
            "document \"a\" is in both the target (voice = gov) and the reference \
             (voice = gov,press); give disjoint values"
        );
        assert_eq!(
            err("gov,press", None),
            "every document has voice = gov,press, so the reference (every other \
             document) is empty; give --reference or fewer target values"
        );
        let docs: Docs = [doc("a", "gov", 10), doc("c", "blog", 0)]
            .into_iter()
            .collect();
        assert_eq!(
            Groups::select(&docs, &Selection::new("voice", "blog"), None)
                .unwrap_err()
                .to_string(),
            "the target group (voice = blog) has no tokens; choose a group with text"
        );
    }
}
