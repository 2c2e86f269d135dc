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
    /// Add the symbol-keyed counts of a worker.
    pub(crate) fn add_syms(&mut self, an: &Analyzer, counts: &SymCounts) {
        self.n_tokens += counts.n_tokens;
        self.n_docs += counts.n_docs;
        let mut key = String::new();
        for (g, c) in &counts.terms {
            gram_text(an, g, &mut key);
            let e = match self.terms.get_mut(key.as_str()) {
                Some(e) => e,
                None => self.terms.entry(key.clone()).or_default(),
            };
            e.n += c.n;
            e.n_docs += c.n_docs;
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

/// The text of an n-gram: its symbols joined by single spaces.
pub(crate) fn gram_text(an: &Analyzer, g: &Gram, out: &mut String) {
    out.clear();
    for (i, &s) in g.iter().take_while(|&&s| s != Sym::MAX).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(an.resolve(s));
    }
}
