//! Term counts: per worker keyed by interned symbols ([`SymCounts`]),
//! merged across workers keyed by strings ([`Counts`]). Both have `add`
//! and `merge`; sums commute, so the result never depends on which worker
//! saw which document.

use rustc_hash::FxHashMap;

use std::sync::Arc;

use super::grammap::{self, Acc, GramMap};
use super::spill::{self, SpillFile, Spilled};
use super::{TableSpec, Unit};
use crate::stats::TermFrequency;
use crate::text::{Analyzer, Sym, Token};

/// The longest n-gram counted.
pub const MAX_NGRAM: usize = 5;

/// An n-gram of interned symbols, padded with `Sym::MAX`.
pub type Gram = [Sym; MAX_NGRAM];

/// Count and document frequency of one term in one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermCount {
    /// Occurrences.
    pub n: u64,
    /// Documents containing it.
    pub n_docs: u64,
}

/// One group's terms of n tokens, keyed by their symbols. A term's
/// count is 12 bytes (occurrences, documents, the last document counted:
/// a document counts once without a per-document table); counts saturate
/// at 2³² − 1 per term and group (a corpus of hundreds of gigabytes).
#[derive(Debug, Default)]
pub(crate) struct GramTable<const N: usize> {
    terms: GramMap<N>,
    /// Terms the last merge found new and kept aside rather than adding
    /// to `terms` (see [`GramTable::merge_remapped`]), or counted from
    /// the spill files ([`GramTable::unspill`]).
    extra: Vec<([Sym; N], Acc)>,
    /// One batch of a document's n-grams with their hashes (and a count
    /// of 1 each).
    batch: Vec<([Sym; N], u64, u32)>,
    /// The files spilled (and, once the pass is over, the workers'
    /// tables set aside beside them), each with the map from its symbols
    /// to this table's (`None`: this table's own).
    spills: Vec<(Spilled, Option<Arc<Vec<Sym>>>)>,
}

/// The fewest terms a table spills at: below, files would outnumber the
/// savings.
const SPILL_AT_LEAST: usize = 64;

/// Bytes of a slot of a table of n-grams: the key, then count,
/// documents and the last document counted ([`GramMap`]).
pub(crate) const fn slot_bytes(n: usize) -> usize {
    (n + 3) * 4
}

/// For tables of n-grams given `bytes` of memory: the terms at which
/// they spill, and the slots of the largest table that fits. The table
/// spills at 70 % full, before it would double at 75 %: room for 5 % of
/// new terms in the document that fills it (a bigger document makes it
/// double, for a while).
pub(crate) fn spill_threshold(n: usize, bytes: usize) -> (usize, usize) {
    let fit = (bytes / slot_bytes(n)).max(1);
    let slots = 1usize << fit.ilog2();
    ((slots / 10 * 7).max(SPILL_AT_LEAST), slots)
}

/// n-grams gathered before they are counted: enough for the prefetches
/// to run ahead, few enough to stay in L1.
const BATCH: usize = 256;

impl<const N: usize> GramTable<N> {
    /// Write the table's terms to a spill file, grouped by part, and
    /// empty it. If the file cannot be written, the table keeps its terms.
    /// It keeps at most `keep` slots of its memory.
    fn spill(&mut self, an: &Analyzer, keep: usize) -> crate::error::Result<()> {
        if self.terms.len() == 0 {
            return Ok(());
        }
        let bounds = self.compact_by_part(an);
        let words = *bounds.last().expect("parts") as usize;
        match SpillFile::write(self.terms.compacted(words), bounds) {
            Ok(file) => {
                self.spills.push((Spilled::File(file), None));
                self.terms.clear(keep);
                Ok(())
            }
            Err(e) => {
                self.terms.refill(words);
                Err(e)
            }
        }
    }

    /// The table's entries grouped in place by the part of their texts
    /// ([`spill::part`]; `an` holds the table's symbols): where each
    /// part starts, in words, then where the last ends.
    fn compact_by_part(&mut self, an: &Analyzer) -> Vec<u64> {
        self.terms.compact_by_part(spill::PARTS, |key| {
            spill::part(key.iter().map(|&s| an.text_hash(s)))
        })
    }

    /// Set the table's terms still in memory aside with its spill files,
    /// grouped by part in the table's own memory, to be counted back
    /// with them: no file is written and read back for them.
    fn set_aside(&mut self, an: &Analyzer) {
        if self.terms.len() == 0 {
            return;
        }
        let bounds = self.compact_by_part(an);
        let words = self
            .terms
            .take_compacted(*bounds.last().expect("parts") as usize);
        self.spills.push((Spilled::Memory { words, bounds }, None));
    }

    /// Has this table spilled?
    fn spilled(&self) -> bool {
        self.spills.iter().any(|(s, _)| s.is_file())
    }

    /// Files spilled so far.
    fn n_spills(&self) -> usize {
        self.spills.iter().filter(|(s, _)| s.is_file()).count()
    }

    /// Move another worker's table into this one's spill files: its
    /// terms still in memory are set aside with them, and all of them
    /// read through `remap` (its symbols to this table's).
    fn absorb(
        &mut self,
        mut other: GramTable<N>,
        an: &Analyzer,
        remap: &Arc<Vec<Sym>>,
    ) -> crate::error::Result<()> {
        other.set_aside(an);
        for (file, own) in other.spills {
            debug_assert!(own.is_none());
            self.spills.push((file, Some(remap.clone())));
        }
        Ok(())
    }

    /// Count every spill file, part by part in parallel, into `extra`:
    /// the terms counted at least `min` times. The table's own terms
    /// still in memory (`an`'s symbols) are set aside with them first.
    fn unspill(&mut self, an: &Analyzer, min: u64) -> crate::error::Result<()> {
        use rayon::prelude::*;
        self.set_aside(an);
        let spills = std::mem::take(&mut self.spills);
        let count_part = |p: usize| -> crate::error::Result<Vec<([Sym; N], Acc)>> {
            // Room for the part's entries in its biggest file, the fewest
            // distinct terms it can have: the files of a corpus whose
            // terms recur hold mostly the same terms, and room for all
            // their entries would be a table many times too big (fresh
            // pages to fault in, and probes missing the cache).
            let entries = spills.iter().map(|(f, _)| f.part_len(p)).max().unwrap_or(0) / (N + 2);
            let mut map: GramMap<N> = GramMap::with_room(entries);
            let mut buf = Vec::new();
            let mut items = Vec::with_capacity(BATCH);
            for (file, remap) in &spills {
                let words = file.part(p, &mut buf)?;
                for e in words.chunks_exact(N + 2) {
                    let mut key: [Sym; N] = e[..N].try_into().expect("N words");
                    if let Some(r) = remap {
                        for s in key.iter_mut() {
                            *s = r[*s as usize];
                        }
                    }
                    let acc = Acc {
                        n: e[N],
                        n_docs: e[N + 1],
                    };
                    items.push((key, grammap::hash(&key), acc));
                    if items.len() == BATCH {
                        map.add_batch(&items);
                        items.clear();
                    }
                }
                map.add_batch(&items);
                items.clear();
            }
            Ok(map.iter().filter(|(_, c)| c.n as u64 >= min).collect())
        };
        // A few parts at a time: each part's survivors are moved into
        // `extra` before the next parts are counted.
        let threads = rayon::current_num_threads().max(1);
        for first in (0..spill::PARTS).step_by(threads) {
            let parts: Vec<_> = (first..(first + threads).min(spill::PARTS))
                .into_par_iter()
                .map(count_part)
                .collect();
            for p in parts {
                self.extra.extend(p?);
            }
        }
        Ok(())
    }

    /// Count the n-grams of one document (`doc`: its index).
    fn count(&mut self, an: &Analyzer, toks: &[Token], unit: Unit, drop_stopwords: bool, doc: u32) {
        if toks.len() < N {
            return;
        }
        let last = doc.wrapping_add(1);
        let mut batch = std::mem::take(&mut self.batch);
        batch.resize(BATCH, ([0; N], 0, 1));
        // Whether an n-gram is kept (a stopword at an edge, a sentence
        // break) is a coin toss the CPU would mispredict: every n-gram is
        // written at the end of the batch, and the end moves on only for
        // those kept. `&` and `|`, not `&&` and `||`: no branches.
        let mut len = 0;
        for w in toks.windows(N) {
            let (first, last_tok) = (&w[0], &w[N - 1]);
            let keep = (first.sentence == last_tok.sentence)
                & !(drop_stopwords & (an.is_stopword(first.norm) | an.is_stopword(last_tok.norm)));
            let key: [Sym; N] = std::array::from_fn(|i| match unit {
                Unit::Norm => w[i].norm,
                Unit::Stem => w[i].stem,
            });
            batch[len] = (key, grammap::hash(&key), 1);
            len += keep as usize;
            if len == BATCH {
                self.terms.count_batch(&batch, last);
                len = 0;
            }
        }
        self.terms.count_batch(&batch[..len], last);
        self.batch = batch;
    }

    /// Add another worker's counts, its symbols mapped by `remap`. When
    /// this is the last worker merged (`min` > 0: the table's min_count),
    /// a term new to this table can only have its count here: below
    /// `min` it is dropped, otherwise it is kept aside in `extra`. The
    /// table then never grows in the last merge (a doubling of the
    /// biggest table was the peak of a big run), and most of a worker's
    /// terms seen once, absent from the other workers, cost nothing.
    fn merge_remapped(&mut self, other: GramTable<N>, remap: &[Sym], min: u64) {
        // No reserve: most of the other worker's terms are already here,
        // and reserving for all of them would double the table for
        // nothing (the peak of a big run).
        let min = u32::try_from(min).unwrap_or(u32::MAX);
        let remapped = || {
            other.terms.iter().map(|(mut key, c)| {
                for s in key.iter_mut() {
                    *s = remap[*s as usize];
                }
                (key, grammap::hash(&key), c)
            })
        };
        if min > 0 {
            // The last merge never grows the table: its two halves are
            // updated at once, each side reading the whole other table.
            self.terms
                .add_existing_halves(remapped, min, &mut self.extra);
            return;
        }
        let mut items = Vec::with_capacity(BATCH);
        for item in remapped() {
            items.push(item);
            if items.len() == BATCH {
                self.terms.add_batch(&items);
                items.clear();
            }
        }
        self.terms.add_batch(&items);
    }

    /// The terms counted at least `min_count` times, unordered, the
    /// table freed: `extra` filtered in place (all of them once spilled),
    /// then the table's.
    fn survivors(self, min_count: u64) -> Vec<([Sym; N], Acc)> {
        debug_assert!(self.spills.is_empty());
        let mut kept = self.extra;
        kept.retain(|(_, c)| c.n as u64 >= min_count);
        self.terms.at_least_after(min_count, kept)
    }

    /// The terms counted at least `min_count` times, ranked (count, then
    /// text) and cut to `top`, as keys into `vocab.texts()`: no string is
    /// made (see [`KeyedRows`]).
    fn keyed(self, vocab: &Vocab<'_>, min_count: u64, top: Option<usize>) -> Vec<([Sym; N], Acc)> {
        use rayon::prelude::*;
        let mut kept = self.survivors(min_count);
        let by_count = |a: &Acc, b: &Acc| b.n.cmp(&a.n);
        match vocab.ranks() {
            // Keys become ranks, which compare as the texts do.
            Some(r) => {
                kept.par_iter_mut().for_each(|(key, _)| {
                    for s in key.iter_mut() {
                        *s = r.rank[*s as usize];
                    }
                });
                kept.par_sort_unstable_by(|a, b| by_count(&a.1, &b.1).then(a.0.cmp(&b.0)));
            }
            None => {
                let texts = vocab.texts();
                kept.par_sort_unstable_by(|a, b| {
                    by_count(&a.1, &b.1).then_with(|| texts.cmp_joined(&a.0, &b.0))
                });
            }
        }
        if let Some(top) = top {
            kept.truncate(top);
        }
        kept.shrink_to_fit();
        kept
    }

    fn rows(self, vocab: &Vocab<'_>, min_count: u64, n_tokens: u64) -> Vec<TermFrequency> {
        // The survivors first, compactly, and the table freed before any
        // string is made.
        let mut kept = self.survivors(min_count);
        use rayon::prelude::*;
        // A big table is ranked here, on integers: by count, then by the
        // texts' ranks symbol by symbol. Its strings are then made in rank
        // order, one after another in memory, so that the writer reading
        // them in that order does not miss the cache on every row; the
        // ranking in `frequency_terms` finds them in order already.
        let ranks = (kept.len() >= RANK_AT_LEAST)
            .then(|| vocab.ranks())
            .flatten();
        let text_of = |s: Sym| match ranks {
            Some(r) => vocab.text(r.by_rank[s as usize]),
            None => vocab.text(s),
        };
        if let Some(r) = ranks {
            kept.par_iter_mut().for_each(|(key, _)| {
                for s in key.iter_mut() {
                    *s = r.rank[*s as usize];
                }
            });
            kept.par_sort_unstable_by_key(|&(key, c)| (std::cmp::Reverse(c.n), key));
        }
        kept.par_iter()
            .with_min_len(1 << 12)
            .map(|(key, c)| {
                // Exactly as long as the text: millions of rows, each of
                // which would otherwise keep up to twice its length.
                let len = key.iter().map(|&s| text_of(s).len()).sum::<usize>() + N - 1;
                let mut text = String::with_capacity(len);
                for (i, &s) in key.iter().enumerate() {
                    if i > 0 {
                        text.push(' ');
                    }
                    text.push_str(text_of(s));
                }
                TermFrequency {
                    term: text,
                    n: c.n as u64,
                    per_1k: crate::stats::per_1k(c.n as u64, n_tokens),
                    n_docs: c.n_docs as u64,
                }
            })
            .collect()
    }
}

/// Tables of at least this many rows are ranked on the vocabulary's text
/// ranks ([`Vocab::ranks`]); smaller ones do not pay for ranking it.
const RANK_AT_LEAST: usize = 1 << 15;

/// The terms of one group inside one worker, with keys as long as the
/// table's n.
#[derive(Debug)]
pub(crate) enum Grams {
    N1(GramTable<1>),
    N2(GramTable<2>),
    N3(GramTable<3>),
    N4(GramTable<4>),
    N5(GramTable<5>),
}

macro_rules! each {
    ($g:expr, $t:ident => $e:expr) => {
        match $g {
            Grams::N1($t) => $e,
            Grams::N2($t) => $e,
            Grams::N3($t) => $e,
            Grams::N4($t) => $e,
            Grams::N5($t) => $e,
        }
    };
}

impl Grams {
    fn new(n: usize) -> Grams {
        match n {
            1 => Grams::N1(GramTable::default()),
            2 => Grams::N2(GramTable::default()),
            3 => Grams::N3(GramTable::default()),
            4 => Grams::N4(GramTable::default()),
            _ => Grams::N5(GramTable::default()),
        }
    }

    fn len(&self) -> usize {
        each!(self, t => t.terms.len())
    }
}

/// Counts of one group inside one worker.
#[derive(Debug)]
pub(crate) struct SymCounts {
    pub n_tokens: u64,
    pub n_docs: u64,
    pub terms: Grams,
}

impl SymCounts {
    /// Empty counts of terms of `n` tokens.
    pub fn new(n: usize) -> SymCounts {
        SymCounts {
            n_tokens: 0,
            n_docs: 0,
            terms: Grams::new(n),
        }
    }

    /// Spill the terms held in memory to a file, keeping at most `keep`
    /// slots of their memory (they stay in memory if the file cannot be
    /// written).
    pub fn spill(&mut self, an: &Analyzer, keep: usize) -> crate::error::Result<()> {
        each!(&mut self.terms, t => t.spill(an, keep))
    }

    /// Have these counts spilled to files?
    pub fn spilled(&self) -> bool {
        each!(&self.terms, t => t.spilled())
    }

    /// Files these counts spilled so far.
    pub fn n_spills(&self) -> usize {
        each!(&self.terms, t => t.n_spills())
    }

    /// Take another worker's counts (its symbols `an`'s, mapped to ours
    /// by `remap`) as spill files, to be counted by [`Self::unspill`].
    pub fn absorb(
        &mut self,
        other: SymCounts,
        an: &Analyzer,
        remap: &Arc<Vec<Sym>>,
    ) -> crate::error::Result<()> {
        self.n_tokens += other.n_tokens;
        self.n_docs += other.n_docs;
        match (&mut self.terms, other.terms) {
            (Grams::N1(a), Grams::N1(b)) => a.absorb(b, an, remap),
            (Grams::N2(a), Grams::N2(b)) => a.absorb(b, an, remap),
            (Grams::N3(a), Grams::N3(b)) => a.absorb(b, an, remap),
            (Grams::N4(a), Grams::N4(b)) => a.absorb(b, an, remap),
            (Grams::N5(a), Grams::N5(b)) => a.absorb(b, an, remap),
            _ => unreachable!("one table has one n"),
        }
    }

    /// Count the spill files (after every worker's counts are absorbed),
    /// keeping the terms counted at least `min` times; our own terms
    /// still in memory are `an`'s symbols.
    pub fn unspill(&mut self, an: &Analyzer, min: u64) -> crate::error::Result<()> {
        each!(&mut self.terms, t => t.unspill(an, min))
    }

    /// Distinct terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Count the n-grams of `toks`, tokens of document `doc` (its index)
    /// from a sentence's start: a document's n-gram counted in several
    /// calls counts one document. The document's tokens and itself go to
    /// `n_tokens` and `n_docs` apart.
    pub fn add_tokens(&mut self, an: &Analyzer, toks: &[Token], spec: &TableSpec, doc: u32) {
        let (unit, drop) = (spec.unit, spec.drop_stopwords);
        each!(&mut self.terms, t => t.count(an, toks, unit, drop, doc))
    }

    /// Count one document from its norm counts (a unigram table of
    /// norms): one update per distinct norm rather than per token.
    pub fn add_norm_counts(
        &mut self,
        an: &Analyzer,
        n_tokens: u64,
        norms: &[(Sym, u32)],
        drop_stopwords: bool,
        doc: u32,
    ) {
        self.n_tokens += n_tokens;
        self.n_docs += 1;
        let Grams::N1(t) = &mut self.terms else {
            unreachable!("norm counts are unigrams")
        };
        let last = doc.wrapping_add(1);
        let mut batch = Vec::with_capacity(BATCH.min(norms.len()));
        for &(sym, n) in norms {
            if drop_stopwords && an.is_stopword(sym) {
                continue;
            }
            batch.push(([sym], grammap::hash(&[sym]), n));
            if batch.len() == BATCH {
                t.terms.count_batch(&batch, last);
                batch.clear();
            }
        }
        t.terms.count_batch(&batch, last);
    }

    /// Add unigram counts kept densely (indexed by symbol; zero counts
    /// are absent terms): what [`Shard`](super::Shard) keeps for a
    /// corpus-wide table of norms, where one array index per term and
    /// document is cheaper than a probe of this table.
    pub fn add_dense_unigrams(&mut self, dense: &[Acc]) {
        let Grams::N1(t) = &mut self.terms else {
            unreachable!("dense counts are unigrams")
        };
        let mut items = Vec::with_capacity(BATCH);
        for (sym, &acc) in dense.iter().enumerate() {
            if acc.n == 0 {
                continue;
            }
            let key = [sym as Sym];
            items.push((key, grammap::hash(&key), acc));
            if items.len() == BATCH {
                t.terms.add_batch(&items);
                items.clear();
            }
        }
        t.terms.add_batch(&items);
    }

    /// Add another worker's counts, its symbols mapped by `remap`. `min`:
    /// when this is the last worker merged into these counts, the
    /// table's `min_count` (terms new here and counted less are left
    /// out: they cannot reach it); 0 otherwise.
    pub fn merge_remapped(&mut self, other: SymCounts, remap: &[Sym], min: u64) {
        self.n_tokens += other.n_tokens;
        self.n_docs += other.n_docs;
        match (&mut self.terms, other.terms) {
            (Grams::N1(a), Grams::N1(b)) => a.merge_remapped(b, remap, min),
            (Grams::N2(a), Grams::N2(b)) => a.merge_remapped(b, remap, min),
            (Grams::N3(a), Grams::N3(b)) => a.merge_remapped(b, remap, min),
            (Grams::N4(a), Grams::N4(b)) => a.merge_remapped(b, remap, min),
            (Grams::N5(a), Grams::N5(b)) => a.merge_remapped(b, remap, min),
            _ => unreachable!("one table has one n"),
        }
    }

    /// The terms counted at least `min_count` times, ranked and cut to
    /// `top`, kept as keys ([`KeyedRows`]).
    pub fn keyed(
        self,
        vocab: &Vocab<'_>,
        group: &str,
        min_count: u64,
        top: Option<usize>,
    ) -> KeyedRows {
        let rows = match self.terms {
            Grams::N1(t) => Keyed::N1(t.keyed(vocab, min_count, top)),
            Grams::N2(t) => Keyed::N2(t.keyed(vocab, min_count, top)),
            Grams::N3(t) => Keyed::N3(t.keyed(vocab, min_count, top)),
            Grams::N4(t) => Keyed::N4(t.keyed(vocab, min_count, top)),
            Grams::N5(t) => Keyed::N5(t.keyed(vocab, min_count, top)),
        };
        KeyedRows {
            group: group.to_string(),
            n_tokens: self.n_tokens,
            n_docs: self.n_docs,
            rows,
            texts: vocab.texts(),
        }
    }

    /// The terms counted at least `min_count` times, as text (pruned
    /// before any string is made): (term, n, n_docs), unordered.
    pub fn rows(self, vocab: &Vocab<'_>, min_count: u64) -> Vec<TermFrequency> {
        let n_tokens = self.n_tokens;
        each!(self.terms, t => t.rows(vocab, min_count, n_tokens))
    }
}

/// Counts of one group, keyed by the term's text.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    /// Tokens of the group's documents.
    pub n_tokens: u64,
    /// Documents in the group.
    pub n_docs: u64,
    /// Term → count.
    pub terms: FxHashMap<String, TermCount>,
}

impl Counts {
    /// Merge another group's counts into this one.
    pub fn merge(&mut self, other: Counts) {
        self.n_tokens += other.n_tokens;
        self.n_docs += other.n_docs;
        for (k, c) in other.terms {
            let e = self.terms.entry(k).or_default();
            e.n += c.n;
            e.n_docs += c.n_docs;
        }
    }
}

/// The ranked rows of one group of a table kept as keys
/// ([`TableSpec::keyed`](super::TableSpec::keyed)): the rows of a
/// [`GroupFrequency`](crate::stats::GroupFrequency), in the same order,
/// each term's text made only when it is read. A gigabyte's millions of
/// n-grams then cost 8 bytes a row besides their symbols, not a string
/// each.
#[derive(Debug, Clone)]
pub struct KeyedRows {
    /// The group (as in [`GroupFrequency`](crate::stats::GroupFrequency)).
    pub group: String,
    /// Tokens of the group (the base of `per_1k`).
    pub n_tokens: u64,
    /// Documents of the group.
    pub n_docs: u64,
    rows: Keyed,
    texts: std::sync::Arc<Texts>,
}

/// Rows of n symbols, with their counts.
#[derive(Debug, Clone)]
enum Keyed {
    N1(Vec<([Sym; 1], Acc)>),
    N2(Vec<([Sym; 2], Acc)>),
    N3(Vec<([Sym; 3], Acc)>),
    N4(Vec<([Sym; 4], Acc)>),
    N5(Vec<([Sym; 5], Acc)>),
}

impl Keyed {
    fn get(&self, i: usize) -> (&[Sym], Acc) {
        match self {
            Keyed::N1(v) => (&v[i].0[..], v[i].1),
            Keyed::N2(v) => (&v[i].0[..], v[i].1),
            Keyed::N3(v) => (&v[i].0[..], v[i].1),
            Keyed::N4(v) => (&v[i].0[..], v[i].1),
            Keyed::N5(v) => (&v[i].0[..], v[i].1),
        }
    }

    fn len(&self) -> usize {
        match self {
            Keyed::N1(v) => v.len(),
            Keyed::N2(v) => v.len(),
            Keyed::N3(v) => v.len(),
            Keyed::N4(v) => v.len(),
            Keyed::N5(v) => v.len(),
        }
    }
}

impl KeyedRows {
    /// Rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// No rows?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Ask ahead for what the rows after `i` will read of the texts: for
    /// row `i` + 16 where its words start, for row `i` + 8 their first
    /// bytes. Rows ranked by count read their words' texts at random,
    /// each a cache miss or two: resolving them was half the time of
    /// writing ngrams.csv.
    #[inline]
    pub fn prefetch_after(&self, i: usize) {
        const FAR: usize = 16;
        const NEAR: usize = 8;
        let len = self.rows.len();
        if i + FAR < len {
            for &s in self.rows.get(i + FAR).0 {
                self.texts.prefetch_start(s);
            }
        }
        if i + NEAR < len {
            for &s in self.rows.get(i + NEAR).0 {
                self.texts.prefetch_text(s);
            }
        }
    }

    /// Row `i`'s term, written over `out`: its words joined by spaces.
    pub fn term_into(&self, i: usize, out: &mut String) {
        out.clear();
        for (k, &s) in self.rows.get(i).0.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            out.push_str(self.texts.get(s));
        }
    }

    /// Row `i`'s occurrences.
    pub fn n(&self, i: usize) -> u64 {
        self.rows.get(i).1.n as u64
    }

    /// Documents of the group with row `i`'s term.
    pub fn n_docs_of(&self, i: usize) -> u64 {
        self.rows.get(i).1.n_docs as u64
    }

    /// Row `i`'s occurrences per 1,000 tokens of the group.
    pub fn per_1k(&self, i: usize) -> Option<f64> {
        crate::stats::per_1k(self.n(i), self.n_tokens)
    }

    /// Row `i` as a [`TermFrequency`] (its term a new string).
    pub fn row(&self, i: usize) -> TermFrequency {
        let mut term = String::new();
        self.term_into(i, &mut term);
        let n = self.n(i);
        TermFrequency {
            term,
            n,
            per_1k: self.per_1k(i),
            n_docs: self.n_docs_of(i),
        }
    }

    /// Every row made into a [`GroupFrequency`](crate::stats::GroupFrequency):
    /// what the table would be had it not been kept as keys.
    pub fn to_frequency(&self) -> crate::stats::GroupFrequency {
        crate::stats::GroupFrequency {
            group: self.group.clone(),
            n_tokens: self.n_tokens,
            n_docs: self.n_docs,
            terms: (0..self.len()).map(|i| self.row(i)).collect(),
        }
    }
}

/// Texts end to end in one buffer, numbered in order: a vocabulary's by
/// symbol, or by rank when the vocabulary has ranks ([`Vocab::ranks`]),
/// what keyed rows read once the workers' analyzers are gone; or each
/// term's DP as keyness.csv writes it.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    bytes: String,
    /// Where each text ends in `bytes`.
    ends: Vec<usize>,
}

impl Texts {
    /// Room for `n` texts of `bytes` bytes in all.
    pub(crate) fn with_capacity(n: usize, bytes: usize) -> Texts {
        Texts {
            bytes: String::with_capacity(bytes),
            ends: Vec::with_capacity(n),
        }
    }

    /// Add a text, written by `write` at the end of the buffer.
    pub(crate) fn push_with(&mut self, write: impl FnOnce(&mut String)) {
        write(&mut self.bytes);
        self.ends.push(self.bytes.len());
    }

    /// Add `other`'s texts after these.
    pub(crate) fn append(&mut self, other: &Texts) {
        let base = self.bytes.len();
        self.bytes.push_str(&other.bytes);
        self.ends.extend(other.ends.iter().map(|e| base + e));
    }

    /// Texts held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Bytes of all the texts.
    pub(crate) fn text_bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Text `s`.
    pub(crate) fn get(&self, s: Sym) -> &str {
        let s = s as usize;
        &self.bytes[self.start(s)..self.ends[s]]
    }

    /// Where text `s` (below `ends.len()`) starts in `bytes`.
    #[inline]
    fn start(&self, s: usize) -> usize {
        s.checked_sub(1).map_or(0, |p| self.ends[p])
    }

    /// Ask for the line of `ends` that says where text `s` starts.
    #[inline]
    pub(crate) fn prefetch_start(&self, s: Sym) {
        if let Some(e) = self.ends.get((s as usize).wrapping_sub(1)) {
            crate::mem::prefetch(e);
        }
    }

    /// Ask for the first bytes of text `s` (where it starts is read: best
    /// asked for first with [`Self::prefetch_start`]).
    #[inline]
    pub(crate) fn prefetch_text(&self, s: Sym) {
        let s = s as usize;
        if s < self.ends.len() {
            crate::mem::prefetch(self.bytes.as_bytes()[self.start(s)..].as_ptr());
        }
    }

    /// Compare the texts of two n-grams joined by spaces, without
    /// joining them.
    fn cmp_joined(&self, a: &[Sym], b: &[Sym]) -> std::cmp::Ordering {
        fn bytes<'t>(texts: &'t Texts, key: &'t [Sym]) -> impl Iterator<Item = u8> + 't {
            key.iter()
                .enumerate()
                .flat_map(move |(k, &s)| {
                    let sep: &[u8] = if k > 0 { b" " } else { b"" };
                    sep.iter().chain(texts.get(s).as_bytes())
                })
                .copied()
        }
        bytes(self, a).cmp(bytes(self, b))
    }
}

/// One symbol space for the strings of every worker, so that workers'
/// counts merge on integers and only surviving terms become strings.
#[derive(Default)]
pub(crate) struct Vocab<'a> {
    strings: Vec<&'a str>,
    /// The first analyzer added: its symbols are ours.
    first: Option<&'a Analyzer>,
    /// Our symbols of the texts the first analyzer does not have.
    ids: FxHashMap<&'a str, Sym>,
    /// Distinct strings that were the norm of some token.
    pub n_norms: u64,
    is_norm: Vec<bool>,
    ranks: std::sync::OnceLock<Option<Ranks>>,
    texts: std::sync::OnceLock<std::sync::Arc<Texts>>,
}

/// The vocabulary in text order: `rank[sym]` is the place of the symbol's
/// text among all texts, `by_rank[rank]` the symbol.
pub(crate) struct Ranks {
    pub rank: Vec<Sym>,
    pub by_rank: Vec<Sym>,
}

impl<'a> Vocab<'a> {
    /// Add a worker's symbols; returns the map from its symbols to ours.
    ///
    /// The first worker's symbols are ours as they are, found again by
    /// its own interner: no map of its words is made (most of the words
    /// of all workers), and the others' are looked up there by the hash
    /// their analyzers keep, then among the words only they have.
    pub fn add(&mut self, an: &'a Analyzer) -> Vec<Sym> {
        let n = an.n_symbols() as Sym;
        let Some(first) = self.first else {
            debug_assert!(self.strings.is_empty());
            self.first = Some(an);
            self.strings.extend((0..n).map(|sym| an.resolve(sym)));
            self.is_norm.extend((0..n).map(|sym| an.is_norm(sym)));
            self.n_norms += self.is_norm.iter().filter(|&&b| b).count() as u64;
            return (0..n).collect();
        };
        // The first worker's symbols for these texts, looked up on every
        // thread (a lookup is a cache miss or two; most words are known).
        use rayon::prelude::*;
        let in_first: Vec<Option<Sym>> = (0..n)
            .into_par_iter()
            .with_min_len(1 << 12)
            .map(|sym| first.lookup_hashed(an.resolve(sym), an.text_hash(sym)))
            .collect();
        (0..n)
            .map(|sym| {
                let s = an.resolve(sym);
                let known = in_first[sym as usize].or_else(|| self.ids.get(s).copied());
                let id = match known {
                    Some(id) => id,
                    None => {
                        let id = self.strings.len() as Sym;
                        self.strings.push(s);
                        self.ids.insert(s, id);
                        self.is_norm.push(false);
                        id
                    }
                };
                if an.is_norm(sym) && !self.is_norm[id as usize] {
                    self.is_norm[id as usize] = true;
                    self.n_norms += 1;
                }
                id
            })
            .collect()
    }

    /// The text of one symbol.
    pub fn text(&self, sym: Sym) -> &'a str {
        self.strings[sym as usize]
    }

    /// Every text in one buffer: in rank order when the vocabulary has
    /// ranks ([`Self::ranks`]), by symbol otherwise. Made once.
    pub fn texts(&self) -> std::sync::Arc<Texts> {
        self.texts
            .get_or_init(|| {
                let order: Box<dyn Iterator<Item = Sym>> = match self.ranks() {
                    Some(r) => Box::new(r.by_rank.iter().copied()),
                    None => Box::new(0..self.strings.len() as Sym),
                };
                let mut texts = Texts::with_capacity(
                    self.strings.len(),
                    self.strings.iter().map(|s| s.len()).sum(),
                );
                for s in order {
                    texts.push_with(|b| b.push_str(self.strings[s as usize]));
                }
                std::sync::Arc::new(texts)
            })
            .clone()
    }

    /// Each symbol's rank in text order, made once (and only when asked:
    /// a sort of the whole vocabulary). Then n-grams of equal length
    /// compare as their joined texts do when their symbols' ranks are
    /// compared in turn: the space that joins them sorts before every
    /// byte a text can go on with. So `None` when some text has a byte
    /// at or below the space (NFKC makes spaces, as in U+FDFA): then
    /// that does not hold, and texts must be compared.
    pub fn ranks(&self) -> Option<&Ranks> {
        self.ranks
            .get_or_init(|| {
                use rayon::prelude::*;
                if self
                    .strings
                    .par_iter()
                    .any(|s| s.bytes().any(|b| b <= b' '))
                {
                    return None;
                }
                // Sorted by each text's first 8 bytes as an integer, then
                // (on a tie) by the texts: most comparisons then read
                // only the keys, side by side in memory, not two texts
                // scattered over the workers' vocabularies. A text ends
                // as if with zero bytes, which sort before every byte a
                // text here can have (none is at or below the space), so
                // the order is the texts' own.
                let mut keys: Vec<(u64, Sym)> = self
                    .strings
                    .par_iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let mut head = [0u8; 8];
                        let n = s.len().min(8);
                        head[..n].copy_from_slice(&s.as_bytes()[..n]);
                        (u64::from_be_bytes(head), i as Sym)
                    })
                    .collect();
                keys.par_sort_unstable_by(|a, b| {
                    a.0.cmp(&b.0)
                        .then_with(|| self.strings[a.1 as usize].cmp(self.strings[b.1 as usize]))
                });
                let by_rank: Vec<Sym> = keys.into_iter().map(|(_, s)| s).collect();
                let mut rank = vec![0; by_rank.len()];
                for (r, &s) in by_rank.iter().enumerate() {
                    rank[s as usize] = r as Sym;
                }
                Some(Ranks { rank, by_rank })
            })
            .as_ref()
    }
}

/// The text of an n-gram of one analyzer's symbols.
pub(crate) fn gram_text(an: &Analyzer, g: &Gram, out: &mut String) {
    join_gram(g, |s| an.resolve(s), out);
}

/// An n-gram's symbols, resolved to text and joined by single spaces.
fn join_gram<'a>(g: &Gram, resolve: impl Fn(Sym) -> &'a str, out: &mut String) {
    out.clear();
    for (i, &s) in g.iter().take_while(|&&s| s != Sym::MAX).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(resolve(s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A keyed table's rows through a CSV sink, made as bytes, are the
    /// CSV of the same rows as strings and cells: ngrams.csv's (`n`
    /// first) and `freq`'s (the group first, quoted where it must be),
    /// words that need quotes or a formula's escape, counts repeated or
    /// not, a group without tokens (no rate).
    #[test]
    fn keyed_rows_as_bytes_are_the_rows_as_cells() {
        use crate::output::{rows, CsvSink};
        let words = [
            "win-win", "1,000", "+3", "@user", "x\"y", "naïve", "=1", "the",
        ];
        let mut texts = Texts::default();
        for w in words {
            texts.push_with(|t| t.push_str(w));
        }
        let texts = std::sync::Arc::new(texts);
        let mut next = crate::testing::xorshift(0x6E);
        let mut keys: Vec<([Sym; 2], Acc)> = (0..3000)
            .map(|_| {
                let r = next();
                let n = 2 + (r % 7) as u32 / 4;
                let key = [(r >> 8) as Sym % 8, (r >> 16) as Sym % 8];
                (
                    key,
                    Acc {
                        n,
                        n_docs: 1 + (r >> 24) as u32 % n,
                    },
                )
            })
            .collect();
        keys.sort_by_key(|k| std::cmp::Reverse(k.1.n));
        for (group, n_tokens) in [("corpus", 12_345), ("a,b", 777), ("=g", 0)] {
            let table = KeyedRows {
                group: group.to_string(),
                n_tokens,
                n_docs: 9,
                rows: Keyed::N2(keys.clone()),
                texts: texts.clone(),
            };
            let (mut got, mut want) = (
                CsvSink::appending(Vec::new()),
                CsvSink::appending(Vec::new()),
            );
            for i in 0..table.len() {
                rows::keyed_ngram_row(2, &table, i, &mut got);
                rows::ngram_row(2, &table.row(i), &mut want);
                rows::keyed_freq_row(&table, i, &mut got);
                rows::freq_row(group, &table.row(i), &mut want);
            }
            let (got, want) = (got.into_bytes().unwrap(), want.into_bytes().unwrap());
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap(),
                "{group}"
            );
        }
    }

    #[test]
    fn vocabulary_numbers_words_as_one_map_would() {
        // Three workers' analyzers: words they share, words of two of
        // them, words of one; a stem, which is no norm, as well.
        let texts = [
            "China and Central Asia build win-win cooperation together.",
            "Central Asia and China hold dialogue; cooperation deepens.",
            "Dialogue deepens the partnership: win-win outcomes, together building.",
        ];
        let ans: Vec<Analyzer> = texts
            .iter()
            .map(|t| {
                let mut an = Analyzer::english();
                let toks = an.tokens(t);
                let _ = an.stem_of(toks[0].norm);
                an
            })
            .collect();
        let mut vocab = Vocab::default();
        let maps: Vec<Vec<Sym>> = ans.iter().map(|an| vocab.add(an)).collect();
        // One map of every text, numbered in the order first seen.
        let mut ids: FxHashMap<&str, Sym> = FxHashMap::default();
        let mut norms = std::collections::HashSet::new();
        for (an, map) in ans.iter().zip(&maps) {
            for sym in 0..an.n_symbols() as Sym {
                let s = an.resolve(sym);
                let next = ids.len() as Sym;
                let id = *ids.entry(s).or_insert(next);
                assert_eq!(map[sym as usize], id, "{s}");
                assert_eq!(vocab.text(id), s);
                if an.is_norm(sym) {
                    norms.insert(id);
                }
            }
        }
        assert_eq!(vocab.strings.len(), ids.len());
        assert_eq!(vocab.n_norms, norms.len() as u64);
        for id in 0..ids.len() as Sym {
            assert_eq!(vocab.is_norm[id as usize], norms.contains(&id));
        }
        // The second and third add words the first did not have.
        assert!(maps[1]
            .iter()
            .chain(&maps[2])
            .any(|&id| id >= maps[0].len() as Sym));
    }

    /// Asking ahead for rows' texts takes any row, past the end and of an
    /// empty table too, and changes no row.
    #[test]
    fn keyed_rows_ask_ahead_for_any_row() {
        let words = ["a", "community", "cooperation", "win-win"];
        let mut texts = Texts::default();
        for w in words {
            texts.bytes.push_str(w);
            texts.ends.push(texts.bytes.len());
        }
        let acc = Acc { n: 2, n_docs: 1 };
        let keys: Vec<([Sym; 2], Acc)> = (0..40).map(|i| ([i % 4, (i / 4) % 4], acc)).collect();
        let rows = KeyedRows {
            group: "g".into(),
            n_tokens: 100,
            n_docs: 1,
            rows: Keyed::N2(keys.clone()),
            texts: std::sync::Arc::new(texts),
        };
        let mut term = String::new();
        for i in 0..keys.len() + 20 {
            rows.prefetch_after(i);
        }
        for (i, (k, _)) in keys.iter().enumerate() {
            rows.term_into(i, &mut term);
            assert_eq!(
                term,
                format!("{} {}", words[k[0] as usize], words[k[1] as usize])
            );
        }
        let empty = KeyedRows {
            rows: Keyed::N3(Vec::new()),
            texts: std::sync::Arc::new(Texts::default()),
            ..rows
        };
        for i in 0..20 {
            empty.prefetch_after(i);
        }
        assert!(empty.is_empty());
    }

    /// A table big enough to be ranked on the vocabulary's ranks comes out
    /// in the order of its texts, and so does one whose texts hold a
    /// space (ranked by texts instead).
    #[test]
    fn vocabulary_ranks_are_the_texts_order() {
        // Words that share their first 8 bytes or more, words shorter
        // than 8 bytes that start longer ones, words in two workers'
        // vocabularies (the second's partly the first's).
        let stems = [
            "administ", "internat", "zzzzzzzz", "a", "ab", "abcdefgh", "é",
        ];
        let ends = ["", "ration", "rative", "rator", "r", "a", "z", "ée", "9"];
        let mut words = Vec::new();
        for s in stems {
            for e in ends {
                words.push(format!("{s}{e}"));
            }
        }
        let (first, second): (Vec<_>, Vec<_>) =
            words.iter().enumerate().partition(|(i, _)| i % 3 != 0);
        let text = |ws: &[(usize, &String)]| {
            ws.iter()
                .rev()
                .map(|(_, w)| w.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut an1 = Analyzer::english();
        an1.tokens(&text(&first));
        let mut an2 = Analyzer::english();
        an2.tokens(&format!("{} {}", text(&second), text(&first[..5])));
        let mut vocab = Vocab::default();
        vocab.add(&an1);
        vocab.add(&an2);
        let ranks = vocab.ranks().expect("no byte at or below the space");
        let texts: Vec<&str> = ranks.by_rank.iter().map(|&s| vocab.text(s)).collect();
        let mut sorted = texts.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(texts, sorted);
        for w in &words {
            assert!(texts.contains(&w.as_str()), "{w}");
        }
        for (r, &s) in ranks.by_rank.iter().enumerate() {
            assert_eq!(ranks.rank[s as usize] as usize, r);
        }
    }

    #[test]
    fn big_tables_rank_as_their_texts() {
        // Words that start one another, so that a joining space meets a
        // letter, a digit or a hyphen of the longer word.
        let mut words: Vec<String> = Vec::new();
        for i in 0..90 {
            for w in [
                format!("t{i}"),
                format!("t{i}x"),
                format!("t{i}-x"),
                format!("t{i}0"),
            ] {
                words.push(w);
            }
        }
        for odd in [false, true] {
            if odd {
                // NFKC makes this one word of four words.
                words.push("\u{FDFA}".to_string());
            }
            let mut x = 0x9E37_79B9_7F4A_7C15u64;
            let mut text = String::new();
            for _ in 0..150_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                text.push_str(&words[(x % words.len() as u64) as usize]);
                text.push(' ');
            }
            let mut an = Analyzer::english();
            let toks = an.tokens(&text);
            let mut table = GramTable::<2>::default();
            table.count(&an, &toks, Unit::Norm, false, 0);
            let mut vocab = Vocab::default();
            vocab.add(&an);
            assert_eq!(vocab.ranks().is_some(), !odd);
            let rows = table.rows(&vocab, 1, toks.len() as u64);
            assert!(rows.len() >= RANK_AT_LEAST, "{}", rows.len());
            let mut want = rows.clone();
            want.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.term.cmp(&b.term)));
            if !odd {
                assert!(rows == want, "ranked on the vocabulary's ranks");
            } else {
                assert!(rows.iter().any(|r| r.term.contains("صلى الله")));
            }
            let ranked = crate::stats::frequency_terms("g", 1, 1, rows, None);
            assert!(ranked.terms == want);
        }
    }
}
