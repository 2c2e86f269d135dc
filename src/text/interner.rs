//! Strings kept once each, numbered in order of arrival: the vocabulary
//! of an analyzer and of the postings.
//!
//! A map of `Box<str>` keys beside a vector of the same strings held
//! every string twice, each in an allocation of its own, with a 24-byte
//! key and a pointer for each: about 100 bytes a word besides its text.
//! A corpus of a million distinct words kept that in each worker and
//! again in the postings. Here the texts lie end to end in one buffer
//! and an open-addressing table of 4-byte symbols finds them by their
//! hash ([`text_hash`], which the analyzer keeps anyway): about 30 bytes
//! a word besides its text.

use super::{text_hash, Sym};

/// Slots of an [`Interner`]'s first table.
const FIRST_SLOTS: usize = 1 << 10;

/// Strings, each kept once and numbered from 0 in order of arrival.
#[derive(Default)]
pub(crate) struct Interner {
    /// Every string's text, one after another.
    bytes: String,
    /// Each string's end in `bytes`.
    ends: Vec<usize>,
    /// Each string's [`text_hash`].
    hashes: Vec<u64>,
    /// Symbol + 1 of a string (0: an empty slot) in the low 32 bits and
    /// the top 32 bits of its hash in the high ones, found by linear
    /// probing from the slot its hash's spread top bits give. At most
    /// three quarters full. The hash's bits in the slot tell most other
    /// strings apart without reading their text or hash elsewhere: a
    /// search for a new string (the common case when a corpus's words
    /// are learned) passes several full slots, and each was a cache miss
    /// into `hashes` when slots held the symbol alone.
    slots: Vec<u64>,
}

impl Interner {
    /// Strings kept.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Ask for the line that says where `sym`'s text lies, ahead of
    /// [`Self::resolve`] (a hint; nothing for an unknown symbol).
    #[inline(always)]
    pub fn prefetch_end(&self, sym: Sym) {
        if let Some(e) = self.ends.get(sym as usize) {
            crate::mem::prefetch(e);
        }
    }

    /// Ask for the first line of `sym`'s text, ahead of
    /// [`Self::resolve`]; where it lies is read now (see
    /// [`Self::prefetch_end`]).
    #[inline(always)]
    pub fn prefetch_text(&self, sym: Sym) {
        let i = sym as usize;
        if i < self.ends.len() {
            crate::mem::prefetch(self.bytes.as_ptr().wrapping_add(self.start(i)));
        }
    }

    /// Where the text of string `i` (below `len`) starts in `bytes`.
    #[inline(always)]
    fn start(&self, i: usize) -> usize {
        i.checked_sub(1).map_or(0, |p| self.ends[p])
    }

    /// The text of `sym`.
    pub fn resolve(&self, sym: Sym) -> &str {
        let i = sym as usize;
        &self.bytes[self.start(i)..self.ends[i]]
    }

    /// The [`text_hash`] of `sym`'s text.
    pub fn hash(&self, sym: Sym) -> u64 {
        self.hashes[sym as usize]
    }

    /// The symbol of `s`, if it is kept.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.get_hashed(s, text_hash(s))
    }

    /// The symbol of `s`, whose [`text_hash`] is `h`, if it is kept.
    pub fn get_hashed(&self, s: &str, h: u64) -> Option<Sym> {
        debug_assert_eq!(h, text_hash(s));
        self.find(s, h).ok()
    }

    /// The symbol of `s`, and whether it is new (kept now).
    pub fn intern(&mut self, s: &str) -> (Sym, bool) {
        self.intern_hashed(s, text_hash(s))
    }

    /// [`Self::intern`] with `s`'s hash `h` given (the tests give the
    /// same to different strings).
    fn intern_hashed(&mut self, s: &str, h: u64) -> (Sym, bool) {
        match self.find(s, h) {
            Ok(sym) => (sym, false),
            Err(mut slot) => {
                if (self.len() + 1) * 4 > self.slots.len() * 3 {
                    self.grow();
                    slot = self.find(s, h).expect_err("not kept yet");
                }
                // A slot holds the symbol + 1 in 32 bits.
                let key =
                    Sym::try_from(self.len() + 1).expect("more than 4 billion distinct words");
                self.bytes.push_str(s);
                self.ends.push(self.bytes.len());
                self.hashes.push(h);
                self.slots[slot] = slot_of(key, h);
                (key - 1, true)
            }
        }
    }

    /// Bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
            + self.ends.capacity() * 8
            + self.hashes.capacity() * 8
            + self.slots.capacity() * 8
    }

    /// Where the search for hash `h` starts.
    fn home(&self, h: u64) -> usize {
        // FxHash's output, spread once more: its top bits pick the slot.
        (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.slots.len().trailing_zeros())) as usize
    }

    /// `Ok` the symbol of `s` (hash `h`), or `Err` the empty slot where
    /// it would go.
    fn find(&self, s: &str, h: u64) -> Result<Sym, usize> {
        if self.slots.is_empty() {
            return Err(usize::MAX);
        }
        let mask = self.slots.len() - 1;
        let mut at = self.home(h);
        let tag = slot_of(0, h);
        loop {
            match self.slots[at] {
                0 => return Err(at),
                k if k & !TAKEN == tag => {
                    let sym = (k as u32) - 1;
                    if self.resolve(sym) == s {
                        return Ok(sym);
                    }
                }
                _ => {}
            }
            at = (at + 1) & mask;
        }
    }

    /// Twice the slots (or the first ones), every symbol placed again.
    fn grow(&mut self) {
        let size = (2 * self.slots.len()).max(FIRST_SLOTS);
        self.slots = vec![0; size];
        let mask = size - 1;
        for sym in 0..self.len() {
            let h = self.hashes[sym];
            let mut at = self.home(h);
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = slot_of(sym as Sym + 1, h);
        }
    }
}

/// The slot's bits that hold the symbol + 1.
const TAKEN: u64 = u32::MAX as u64;

/// A slot holding `key` (symbol + 1, or 0 for a slot's tag alone) of a
/// string of hash `h`.
#[inline(always)]
fn slot_of(key: Sym, h: u64) -> u64 {
    (h & !TAKEN) | key as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefetch hints take any symbol, known or not (a hint never
    /// fails), on an empty interner too, and change nothing read after.
    #[test]
    fn prefetches_take_any_symbol() {
        let mut strings = Interner::default();
        for s in [0, 1, Sym::MAX] {
            strings.prefetch_end(s);
            strings.prefetch_text(s);
        }
        let words = ["", "war", "peace", "é"];
        let syms: Vec<Sym> = words.iter().map(|w| strings.intern(w).0).collect();
        for s in (0..6).chain([Sym::MAX]) {
            strings.prefetch_end(s);
            strings.prefetch_text(s);
        }
        for (w, s) in words.iter().zip(syms) {
            assert_eq!(strings.resolve(s), *w);
        }
    }

    /// Every string keeps its symbol through the table's growths, comes
    /// back whole, and is found again; strings that are prefixes of one
    /// another, empty or not ASCII are told apart.
    #[test]
    fn strings_keep_their_symbols() {
        let mut next = crate::testing::xorshift(11);
        let mut words: Vec<String> = vec![String::new(), "a".into(), "ab".into(), "é".into()];
        for i in 0..20_000 {
            let len = (next() % 12) as usize;
            let w: String = (0..len)
                .map(|_| ['a', 'b', 'é', 'z', '’'][next() as usize % 5])
                .collect();
            words.push(format!("{w}{}", i % 7));
        }
        let mut want: std::collections::HashMap<String, Sym> = Default::default();
        let mut int = Interner::default();
        for w in &words {
            let expect_new = !want.contains_key(w);
            let n = want.len() as Sym;
            let sym = *want.entry(w.clone()).or_insert(n);
            assert_eq!(int.intern(w), (sym, expect_new), "{w:?}");
        }
        assert_eq!(int.len(), want.len());
        for (w, &sym) in &want {
            assert_eq!(int.resolve(sym), w);
            assert_eq!(int.get(w), Some(sym));
            assert_eq!(int.hash(sym), text_hash(w));
        }
        assert_eq!(int.get("never"), None);
        assert_eq!(Interner::default().get(""), None);
    }

    /// Strings whose hashes are equal, or equal in the bits a slot keeps,
    /// are told apart by their text, through the table's growths.
    #[test]
    fn strings_of_one_hash_are_told_apart() {
        let mut int = Interner::default();
        let words: Vec<String> = (0..3000).map(|i| format!("w{i}")).collect();
        for (i, w) in words.iter().enumerate() {
            // Three hashes in all, differing in the low bits only (which a
            // slot does not keep) or not at all.
            let h = 0xDEAD_BEEF_0000_0000 | (i % 3) as u64;
            assert_eq!(int.intern_hashed(w, h), (i as Sym, true), "{w}");
        }
        for (i, w) in words.iter().enumerate() {
            let h = 0xDEAD_BEEF_0000_0000 | (i % 3) as u64;
            assert_eq!(int.intern_hashed(w, h), (i as Sym, false), "{w}");
            assert_eq!(int.find(w, h), Ok(i as Sym));
            assert_eq!(int.resolve(i as Sym), w);
        }
        assert!(int.find("w3000", 0xDEAD_BEEF_0000_0000).is_err());
    }
}
