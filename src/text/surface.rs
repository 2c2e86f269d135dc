//! The surface cache: a token's exact bytes → its norm, stem and sentence
//! flag, so that a word seen before costs one probe of a flat table and no
//! normalization, no stemming and no string allocation.
//!
//! Surfaces of up to 16 bytes (nearly every word) are stored inline in
//! the slot, zero-padded, and compared as two 64-bit words: a hit reads
//! one cache line. Longer surfaces go to an ordinary map.

use rustc_hash::FxHashMap;

use super::Sym;
use crate::mem::prefetch;

/// What a surface stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub norm: Sym,
    pub stem: Sym,
    /// A `.` right after this token does not end a sentence (§4): the
    /// surface contains a `.` or its norm is an abbreviation.
    pub excused: bool,
}

#[derive(Clone, Copy)]
#[repr(C)]
struct Slot {
    key: [u64; 2],
    /// Surface length in bytes; 0 marks an empty slot.
    len: u32,
    norm: Sym,
    stem: Sym,
    excused: bool,
}

const EMPTY: Slot = Slot {
    key: [0; 2],
    len: 0,
    norm: 0,
    stem: 0,
    excused: false,
};

const K: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline]
fn hash(key: [u64; 2], len: usize) -> u64 {
    let h = (key[0] ^ len as u64).wrapping_mul(K);
    (h.rotate_left(26) ^ key[1]).wrapping_mul(K)
}

/// The first `len` (1..=16) bytes of `bytes[start..]`, zero-padded, as
/// two little-endian words.
#[inline]
pub(crate) fn key16(bytes: &[u8], start: usize, len: usize) -> [u64; 2] {
    debug_assert!((1..=16).contains(&len));
    let v = match bytes.get(start..start + 16) {
        Some(b) => u128::from_le_bytes(b.try_into().expect("16 bytes")),
        None => {
            let mut buf = [0u8; 16];
            buf[..len].copy_from_slice(&bytes[start..start + len]);
            u128::from_le_bytes(buf)
        }
    };
    let m = KEEP[len];
    [v as u64 & m[0], (v >> 64) as u64 & m[1]]
}

/// `KEEP[len]`: the masks that keep a key's first `len` bytes (two
/// loads, where a shift of a `u128` by a variable amount is a dozen
/// instructions on every token).
static KEEP: [[u64; 2]; 17] = {
    let mut t = [[0u64; 2]; 17];
    let mut len = 0;
    while len <= 16 {
        let lo = if len >= 8 { 8 } else { len };
        let hi = len - lo;
        t[len] = [mask_of(lo), mask_of(hi)];
        len += 1;
    }
    t
};

/// The mask of a word's first `n` (0..=8) little-endian bytes.
const fn mask_of(n: usize) -> u64 {
    if n == 8 {
        u64::MAX
    } else {
        (1u64 << (n * 8)) - 1
    }
}

/// Surface → [`Entry`].
pub(crate) struct SurfaceTable {
    slots: Vec<Slot>,
    /// 64 − log2(slots.len()): the hash's top bits pick the slot.
    shift: u32,
    len: usize,
    long: FxHashMap<Box<[u8]>, Entry>,
    /// The bytes of `long`'s keys.
    long_bytes: usize,
}

impl SurfaceTable {
    /// Bytes held (the long surfaces' keys counted at their length).
    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.long.capacity() * (std::mem::size_of::<(Box<[u8]>, Entry)>() + 1)
            + self.long_bytes
    }
}

impl Default for SurfaceTable {
    fn default() -> Self {
        SurfaceTable {
            slots: vec![EMPTY; 1 << 10],
            shift: 64 - 10,
            len: 0,
            long: FxHashMap::default(),
            long_bytes: 0,
        }
    }
}

/// A surface's key and hash, computed before its lookup so that its slot
/// can be prefetched while the tokens before it are looked up.
#[derive(Clone, Copy, Default)]
pub(crate) struct Probe {
    key: [u64; 2],
    hash: u64,
    start: usize,
    end: usize,
}

impl Probe {
    /// The surface's byte span in its text.
    #[inline]
    pub fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }
}

impl SurfaceTable {
    /// The entry of `bytes[start..end]`, if cached.
    #[cfg(test)]
    pub fn get(&self, bytes: &[u8], start: usize, end: usize) -> Option<Entry> {
        self.get_probed(bytes, &self.probe(bytes, start, end))
    }

    /// The key and hash of `bytes[start..end]`, with its slot prefetched.
    #[inline(always)]
    pub fn probe(&self, bytes: &[u8], start: usize, end: usize) -> Probe {
        let len = end - start;
        if len > 16 {
            return Probe {
                start,
                end,
                ..Probe::default()
            };
        }
        let key = key16(bytes, start, len);
        let hash = hash(key, len);
        prefetch(&self.slots[(hash >> self.shift) as usize]);
        Probe {
            key,
            hash,
            start,
            end,
        }
    }

    /// The entry of a probed surface of `bytes`, if cached. The table may
    /// have grown since the probe: the slot comes from the hash now.
    #[inline(always)]
    pub fn get_probed(&self, bytes: &[u8], p: &Probe) -> Option<Entry> {
        let (len, key) = (p.end - p.start, p.key);
        if len > 16 {
            return self.long.get(&bytes[p.start..p.end]).copied();
        }
        let mask = self.slots.len() - 1;
        let mut i = (p.hash >> self.shift) as usize;
        loop {
            let s = &self.slots[i];
            if s.len as usize == len && s.key == key {
                return Some(Entry {
                    norm: s.norm,
                    stem: s.stem,
                    excused: s.excused,
                });
            }
            if s.len == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Cache the entry of a surface not cached yet.
    pub fn insert(&mut self, surface: &[u8], e: Entry) {
        let len = surface.len();
        if len > 16 {
            if self.long.insert(surface.into(), e).is_none() {
                self.long_bytes += surface.len();
            }
            return;
        }
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let key = key16(surface, 0, len);
        self.place(Slot {
            key,
            len: len as u32,
            norm: e.norm,
            stem: e.stem,
            excused: e.excused,
        });
        self.len += 1;
    }

    /// Set each entry's stem to `stem(norm, stem)`.
    pub fn fill_stems(&mut self, mut stem: impl FnMut(Sym, Sym) -> Sym) {
        for s in self.slots.iter_mut().filter(|s| s.len != 0) {
            s.stem = stem(s.norm, s.stem);
        }
        for e in self.long.values_mut() {
            e.stem = stem(e.norm, e.stem);
        }
    }

    fn place(&mut self, slot: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = (hash(slot.key, slot.len as usize) >> self.shift) as usize;
        while self.slots[i].len != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }

    fn grow(&mut self) {
        let doubled = vec![EMPTY; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        self.shift -= 1;
        for s in old.into_iter().filter(|s| s.len != 0) {
            self.place(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key is the surface's bytes and zeros, wherever the surface lies:
    /// inside a text (16 bytes loaded, the rest masked off) or at its end.
    #[test]
    fn key16_keeps_exactly_the_surface() {
        let text: Vec<u8> = (1..=40u8).collect();
        for len in 1..=16 {
            for start in [0, 3, 24, 40 - len] {
                let mut b = [0u8; 16];
                b[..len].copy_from_slice(&text[start..start + len]);
                let v = u128::from_le_bytes(b);
                assert_eq!(
                    key16(&text, start, len),
                    [v as u64, (v >> 64) as u64],
                    "{len} at {start}"
                );
            }
        }
    }

    #[test]
    fn short_long_and_growing() {
        let mut t = SurfaceTable::default();
        let words: Vec<String> = (0..5000)
            .map(|i| format!("w{i}{}", "x".repeat(i % 23)))
            .collect();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.get(w.as_bytes(), 0, w.len()), None);
            let e = Entry {
                norm: i as Sym,
                stem: i as Sym + 1,
                excused: i % 2 == 0,
            };
            t.insert(w.as_bytes(), e);
        }
        for (i, w) in words.iter().enumerate() {
            // Looked up inside a longer text, as the tokenizer does.
            let text = format!("..{w} and more text after it");
            let e = t.get(text.as_bytes(), 2, 2 + w.len()).expect("cached");
            assert_eq!(
                (e.norm, e.stem, e.excused),
                (i as Sym, i as Sym + 1, i % 2 == 0)
            );
        }
        // At the very end of a text (no 16 bytes to load), and a prefix
        // of a cached word is not it.
        let e = Entry {
            norm: 0,
            stem: 1,
            excused: true,
        };
        assert_eq!(t.get(b"w0", 0, 2), Some(e));
        assert_eq!(t.get(b"w", 0, 1), None);
        assert_eq!(t.get(b"w1", 0, 2), None);
    }
}
