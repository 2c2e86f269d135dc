//! Term counts: per worker keyed by interned symbols ([`SymCounts`]),
//! merged across workers keyed by strings ([`Counts`]). Both have `add`
//! and `merge`; sums commute, so the result never depends on which worker
//! saw which document.

use rustc_hash::FxHashMap;

use crate::text::{Analyzer, Sym};

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

/// Counts of one group inside one worker.
#[derive(Debug, Default)]
pub(crate) struct SymCounts {
    pub n_tokens: u64,
    pub n_docs: u64,
    pub terms: FxHashMap<Gram, TermCount>,
}

impl SymCounts {
    /// Add another worker's counts, its symbols mapped by `remap`.
    pub fn merge_remapped(&mut self, other: &SymCounts, remap: &[Sym]) {
        self.n_tokens += other.n_tokens;
        self.n_docs += other.n_docs;
        self.terms.reserve(other.terms.len());
        for (g, c) in &other.terms {
            let mut key = *g;
            for s in key.iter_mut().take_while(|s| **s != Sym::MAX) {
                *s = remap[*s as usize];
            }
            let e = self.terms.entry(key).or_default();
            e.n += c.n;
            e.n_docs += c.n_docs;
        }
    }

    /// Add one document's term counts.
    pub fn add_doc(&mut self, n_tokens: u64, doc: &FxHashMap<Gram, u64>) {
        self.n_tokens += n_tokens;
        self.n_docs += 1;
        for (g, &n) in doc {
            let e = self.terms.entry(*g).or_default();
            e.n += n;
            e.n_docs += 1;
        }
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
    /// The counts of a merged group in text form, keeping only terms
    /// counted at least `min_count` times (pruned before any string is
    /// made).
    pub(crate) fn from_syms(vocab: &Vocab<'_>, counts: SymCounts, min_count: u64) -> Counts {
        let mut terms = FxHashMap::default();
        let mut key = String::new();
        for (g, c) in counts.terms {
            if c.n >= min_count {
                vocab.gram_text(&g, &mut key);
                terms.insert(key.clone(), c);
            }
        }
        Counts {
            n_tokens: counts.n_tokens,
            n_docs: counts.n_docs,
            terms,
        }
    }

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

/// One symbol space for the strings of every worker, so that workers'
/// counts merge on integers and only surviving terms become strings.
#[derive(Default)]
pub(crate) struct Vocab<'a> {
    strings: Vec<&'a str>,
    ids: FxHashMap<&'a str, Sym>,
    /// Distinct strings that were the norm of some token.
    pub n_norms: u64,
    is_norm: Vec<bool>,
}

impl<'a> Vocab<'a> {
    /// Add a worker's symbols; returns the map from its symbols to ours.
    pub fn add(&mut self, an: &'a Analyzer) -> Vec<Sym> {
        (0..an.n_symbols() as Sym)
            .map(|sym| {
                let s = an.resolve(sym);
                let id = match self.ids.get(s) {
                    Some(&id) => id,
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

    /// The text of an n-gram: its symbols joined by single spaces.
    pub fn gram_text(&self, g: &Gram, out: &mut String) {
        join_gram(g, |s| self.strings[s as usize], out);
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
