//! A flat open-addressing map from an n-gram of symbols to its counts,
//! made for the pass's hottest loop: one update per token per table.
//!
//! Slots are `N + 3` consecutive `u32`s (the key, then count, documents
//! and the last document counted) in one zero-initialized vector, so a
//! probe reads one cache line and an empty slot is a count of 0. The
//! tables outgrow every cache, so updates come in batches whose slots are
//! prefetched a few keys ahead: the memory latency of one key overlaps
//! the work on the keys before it.

use crate::mem::prefetch;
use crate::text::Sym;

const K: u64 = 0x9E37_79B9_7F4A_7C15;
/// How many keys ahead a batch prefetches.
const AHEAD: usize = 8;
/// Keys a side of [`GramMap::add_existing_halves`] gathers before
/// updating its half.
const SIDE_BATCH: usize = 256;

/// The hash of an n-gram key (multiplicative; the top bits pick a slot).
#[inline]
pub(crate) fn hash<const N: usize>(key: &[Sym; N]) -> u64 {
    let mut h = 0u64;
    for &s in key {
        h = (h.rotate_left(26) ^ s as u64).wrapping_mul(K);
    }
    h
}

/// Counts of one n-gram in one group of one worker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Acc {
    /// Occurrences (saturating at 2³² − 1).
    pub n: u32,
    /// Documents containing it.
    pub n_docs: u32,
}

/// n-gram → [`Acc`].
#[derive(Debug)]
pub(crate) struct GramMap<const N: usize> {
    /// `cap` slots of `N + 3` words.
    data: Vec<u32>,
    /// 64 − log2(cap).
    shift: u32,
    len: usize,
}

impl<const N: usize> Default for GramMap<N> {
    fn default() -> Self {
        GramMap::with_slots(1 << 6)
    }
}

impl<const N: usize> GramMap<N> {
    const STRIDE: usize = N + 3;

    fn with_slots(cap: usize) -> Self {
        debug_assert!(cap.is_power_of_two());
        GramMap {
            data: vec![0; cap * Self::STRIDE],
            shift: 64 - cap.trailing_zeros(),
            len: 0,
        }
    }

    /// A map with room for `n` keys before it grows.
    pub fn with_room(n: usize) -> Self {
        GramMap::with_slots((n * 4 / 3 + 1).next_power_of_two().max(1 << 6))
    }

    /// Slots.
    pub fn cap(&self) -> usize {
        self.data.len() / Self::STRIDE
    }

    /// Empty the map, keeping at most `max_cap` slots of its memory.
    pub fn clear(&mut self, max_cap: usize) {
        let keep = max_cap.max(1 << 6).next_power_of_two();
        if self.cap() > keep {
            *self = GramMap::with_slots(keep);
        } else {
            self.data.fill(0);
            self.len = 0;
        }
    }

    /// Distinct n-grams.
    pub fn len(&self) -> usize {
        self.len
    }

    #[inline]
    fn home(&self, h: u64) -> usize {
        (h >> self.shift) as usize
    }

    /// The slot of `key` (hash `h`), claimed with zero counts if new.
    #[inline]
    fn slot(&mut self, key: &[Sym; N], h: u64) -> usize {
        match self.probe(key, h) {
            Ok(at) => at,
            Err(at) => {
                if (self.len + 1) * 4 > self.cap() * 3 {
                    self.grow();
                    return self.slot(key, h);
                }
                self.data[at..at + N].copy_from_slice(key);
                self.len += 1;
                at
            }
        }
    }

    /// Where `key` (hash `h`) is: `Ok` its slot, or `Err` the empty slot
    /// where it would go.
    #[inline]
    fn probe(&self, key: &[Sym; N], h: u64) -> Result<usize, usize> {
        let mask = self.cap() - 1;
        let mut i = self.home(h);
        loop {
            let at = i * Self::STRIDE;
            let s = &self.data[at..at + Self::STRIDE];
            if s[N] == 0 {
                return Err(at);
            }
            if s[..N] == key[..] {
                return Ok(at);
            }
            i = (i + 1) & mask;
        }
    }

    /// Double the slots in place. The table's memory is grown, not
    /// replaced (a big one keeps its pages: only the new half is fresh
    /// memory, which a virtual machine faults in slowly), and the keys are
    /// moved to their new slots from the last to the first. A key's new
    /// home is about twice its old one (the top bits of its hash pick its
    /// slot), so it moves up, into slots already gone through: the few
    /// that would land below their old slot or wrap past the end (keys
    /// near the table's start, or wrapped around its end) are set aside
    /// and put back at the end. The new half's pages are faulted in on two
    /// threads first ([`crate::mem::fault_in`]): the other worker may be
    /// waiting for this one at the end of its batch.
    #[cold]
    fn grow(&mut self) {
        let old_cap = self.cap();
        let cap = old_cap * 2;
        let add = cap * Self::STRIDE - self.data.len();
        self.data.reserve_exact(add);
        crate::mem::fault_in(&mut self.data.spare_capacity_mut()[..add]);
        self.data.resize(cap * Self::STRIDE, 0);
        self.shift -= 1;
        let mut aside: Vec<u32> = Vec::new();
        for i in (0..old_cap).rev() {
            let at = i * Self::STRIDE;
            if self.data[at + N] == 0 {
                continue;
            }
            let key: [Sym; N] = self.data[at..at + N].try_into().expect("N words");
            let home = self.home(hash(&key));
            // Every slot from `i` on holds a key in its new place or none;
            // the slots below still hold old keys, to be moved.
            let to = if home >= i {
                (home..cap).find(|&j| j == i || self.data[j * Self::STRIDE + N] == 0)
            } else {
                None
            };
            match to {
                Some(j) if j == i => {}
                Some(j) => {
                    let to = j * Self::STRIDE;
                    self.data.copy_within(at..at + Self::STRIDE, to);
                    self.data[at..at + Self::STRIDE].fill(0);
                }
                None => {
                    aside.extend_from_slice(&self.data[at..at + Self::STRIDE]);
                    self.data[at..at + Self::STRIDE].fill(0);
                }
            }
        }
        for s in aside.chunks_exact(Self::STRIDE) {
            let key: [Sym; N] = s[..N].try_into().expect("N words");
            let at = match self.probe(&key, hash(&key)) {
                Err(at) => at,
                Ok(_) => unreachable!("a key is in the table once"),
            };
            self.data[at..at + Self::STRIDE].copy_from_slice(s);
        }
    }

    /// Apply `update` to the counts `[n, n_docs, last]` of each item's key
    /// (claimed if new), prefetching the slots of the keys 8 ahead.
    #[inline]
    fn update_batch<T>(
        &mut self,
        items: &[T],
        key: impl Fn(&T) -> (&[Sym; N], u64),
        mut update: impl FnMut(&mut [u32], &T),
    ) {
        // The first keys' slots are asked for before the loop, which asks
        // for each later one as far ahead: a short document's few n-grams
        // would otherwise be waited for one after the other.
        for item in items.iter().take(AHEAD) {
            let at = self.home(key(item).1) * Self::STRIDE;
            prefetch(self.data[at..].as_ptr());
        }
        for (i, item) in items.iter().enumerate() {
            if let Some(ahead) = items.get(i + AHEAD) {
                let at = self.home(key(ahead).1) * Self::STRIDE;
                prefetch(self.data[at..].as_ptr());
            }
            let (k, h) = key(item);
            let at = self.slot(k, h);
            update(&mut self.data[at + N..at + N + 3], item);
        }
    }

    /// Add `n` occurrences of each key (with its hash and `n`) in
    /// document `last` (its index + 1; a document counts once per key).
    pub fn count_batch(&mut self, keys: &[([Sym; N], u64, u32)], last: u32) {
        self.update_batch(
            keys,
            |(k, h, _)| (k, *h),
            |s, (_, _, n)| {
                s[0] = s[0].saturating_add(*n);
                if s[2] != last {
                    s[2] = last;
                    s[1] = s[1].saturating_add(1);
                }
            },
        );
    }

    /// Add counts to keys (merging another worker's table).
    pub fn add_batch(&mut self, items: &[([Sym; N], u64, Acc)]) {
        self.update_batch(
            items,
            |(k, h, _)| (k, *h),
            |s, (_, _, acc)| {
                s[0] = s[0].saturating_add(acc.n);
                s[1] = s[1].saturating_add(acc.n_docs);
            },
        );
    }

    /// The last merge into a map: each item's counts are added to its
    /// key if the map has it; otherwise the item goes to `new` when its
    /// count is at least `min`, and is dropped when it is below (it can
    /// no longer reach `min`). The map itself never grows here.
    pub fn add_existing(
        &mut self,
        items: &[([Sym; N], u64, Acc)],
        min: u32,
        new: &mut Vec<([Sym; N], Acc)>,
    ) {
        for (i, (key, h, acc)) in items.iter().enumerate() {
            if let Some((_, ahead, _)) = items.get(i + AHEAD) {
                let at = self.home(*ahead) * Self::STRIDE;
                prefetch(self.data[at..].as_ptr());
            }
            match self.probe(key, *h).ok() {
                Some(at) => {
                    let s = &mut self.data[at + N..at + N + 2];
                    s[0] = s[0].saturating_add(acc.n);
                    s[1] = s[1].saturating_add(acc.n_docs);
                }
                None if acc.n >= min => new.push((*key, *acc)),
                None => {}
            }
        }
    }

    /// [`Self::add_existing`] for the keys `items` hands out, the table's
    /// two halves updated at once on two threads. Each side takes the
    /// keys whose home slot lies in its half and probes only there; a
    /// key whose probe runs past the end of its half (into the other, or
    /// around the table's end) is set aside and added once both are done.
    /// `items` is called once per side and must hand out the same keys
    /// (with their hashes) each time, each key once. New keys go to
    /// `new`: the first half's, the second's, then those set aside; the
    /// order depends on the table alone, not on the threads.
    pub fn add_existing_halves<F, I>(&mut self, items: F, min: u32, new: &mut Vec<([Sym; N], Acc)>)
    where
        F: Fn() -> I + Sync,
        I: Iterator<Item = ([Sym; N], u64, Acc)>,
    {
        type Item<const N: usize> = ([Sym; N], u64, Acc);
        let half = self.cap() / 2;
        let shift = self.shift;
        let stride = Self::STRIDE;
        // One batch of one side's keys into its slots (the side's first
        // slot is the table's `first`), prefetched as in `update_batch`.
        let apply = |slots: &mut [u32],
                     first: usize,
                     batch: &[Item<N>],
                     new: &mut Vec<([Sym; N], Acc)>,
                     aside: &mut Vec<Item<N>>| {
            let n_slots = slots.len() / stride;
            for (k, item) in batch.iter().enumerate() {
                if let Some((_, ahead, _)) = batch.get(k + AHEAD) {
                    let at = ((ahead >> shift) as usize - first) * stride;
                    prefetch(slots[at..].as_ptr());
                }
                let (key, h, acc) = item;
                let mut i = (h >> shift) as usize - first;
                loop {
                    if i == n_slots {
                        aside.push(*item);
                        break;
                    }
                    let s = &mut slots[i * stride..(i + 1) * stride];
                    if s[N] == 0 {
                        if acc.n >= min {
                            new.push((*key, *acc));
                        }
                        break;
                    }
                    if s[..N] == key[..] {
                        s[N] = s[N].saturating_add(acc.n);
                        s[N + 1] = s[N + 1].saturating_add(acc.n_docs);
                        break;
                    }
                    i += 1;
                }
            }
        };
        let side = |slots: &mut [u32], first: usize, new: &mut Vec<([Sym; N], Acc)>| {
            let end = first + slots.len() / stride;
            let mut aside = Vec::new();
            let mut batch: Vec<Item<N>> = Vec::with_capacity(SIDE_BATCH);
            for item in items().filter(|(_, h, _)| (first..end).contains(&((h >> shift) as usize)))
            {
                batch.push(item);
                if batch.len() == SIDE_BATCH {
                    apply(slots, first, &batch, new, &mut aside);
                    batch.clear();
                }
            }
            apply(slots, first, &batch, new, &mut aside);
            aside
        };
        let (low, high) = self.data.split_at_mut(half * stride);
        // The first half's new keys go straight to `new`: only the
        // second's are held twice, for the moment they are appended.
        let mut new_high = Vec::new();
        let (mut aside, aside_high) =
            rayon::join(|| side(low, 0, new), || side(high, half, &mut new_high));
        new.append(&mut new_high);
        drop(new_high);
        aside.extend(aside_high);
        self.add_existing(&aside, min, new);
    }

    /// Move every key with its counts (`N + 2` words: the key, count,
    /// documents) to the front of the table's memory, grouped by
    /// `part_of(key)` (below `parts`), in place: no second copy of a
    /// table that is being spilled because memory is short. Returns
    /// where each part starts, in words, then where the last ends. The
    /// map holds no keys after this until [`Self::refill`]; its memory is
    /// read with [`Self::compacted`].
    pub fn compact_by_part(
        &mut self,
        parts: usize,
        part_of: impl Fn(&[Sym; N]) -> usize,
    ) -> Vec<u64> {
        let w = N + 2;
        let mut len = 0;
        for i in 0..self.cap() {
            let at = i * Self::STRIDE;
            if self.data[at + N] != 0 {
                // The front never overtakes the slot read: w < STRIDE.
                self.data.copy_within(at..at + w, len * w);
                len += 1;
            }
        }
        debug_assert_eq!(len, self.len);
        self.len = 0;
        let part: Vec<u8> = self.data[..len * w]
            .chunks_exact(w)
            .map(|e| {
                let p = part_of(e[..N].try_into().expect("N words"));
                debug_assert!(p < parts && p < 256);
                p as u8
            })
            .collect();
        let mut part = part;
        // Entries per part, then where each starts (in entries).
        let mut start = vec![0usize; parts + 1];
        for &p in &part {
            start[p as usize + 1] += 1;
        }
        for p in 0..parts {
            start[p + 1] += start[p];
        }
        // In place, part by part: an entry out of place is swapped to the
        // next free place of its part.
        let mut next = start.clone();
        for p in 0..parts {
            while next[p] < start[p + 1] {
                let i = next[p];
                let q = part[i] as usize;
                if q == p {
                    next[p] += 1;
                    continue;
                }
                let j = next[q];
                next[q] += 1;
                for k in 0..w {
                    self.data.swap(i * w + k, j * w + k);
                }
                part.swap(i, j);
            }
        }
        start.iter().map(|&e| (e * w) as u64).collect()
    }

    /// The front `words` of the table's memory (after
    /// [`Self::compact_by_part`]).
    pub fn compacted(&self, words: usize) -> &[u32] {
        &self.data[..words]
    }

    /// The table's memory with the `words` compacted by
    /// [`Self::compact_by_part`] at its front (the rest of it is cut
    /// off, not freed); the map is left empty.
    pub fn take_compacted(&mut self, words: usize) -> Vec<u32> {
        let mut data = std::mem::take(&mut self.data);
        data.truncate(words);
        *self = GramMap::default();
        data
    }

    /// Put back the `words` compacted by [`Self::compact_by_part`] as
    /// keys of the map (when they could not be written out).
    pub fn refill(&mut self, words: usize) {
        let entries: Vec<u32> = self.data[..words].to_vec();
        let cap = self.cap();
        *self = GramMap::with_slots(cap);
        for e in entries.chunks_exact(N + 2) {
            let key: [Sym; N] = e[..N].try_into().expect("N words");
            let at = self.slot(&key, hash(&key));
            self.data[at + N] = e[N];
            self.data[at + N + 1] = e[N + 1];
        }
    }

    /// The n-grams counted at least `min` times, in the order of
    /// [`Self::iter`], after `front`: the table's parts gone through on
    /// every thread (a big table is tens of megabytes to read, and the
    /// workers wait for its survivors), and each part's survivors copied
    /// to their place in the result on every thread too (a gigabyte's
    /// trigrams are 50 MB of survivors, which a collect would append
    /// one part after another on one thread, and `front` then again).
    pub fn at_least_after(&self, min: u64, front: Vec<([Sym; N], Acc)>) -> Vec<([Sym; N], Acc)> {
        use rayon::prelude::*;
        /// Slots a thread takes at a time.
        const PART: usize = 1 << 14;
        let parts: Vec<Vec<([Sym; N], Acc)>> = self
            .data
            .par_chunks(PART * Self::STRIDE)
            .map(|part| {
                part.chunks_exact(Self::STRIDE)
                    .filter(|s| s[N] != 0 && s[N] as u64 >= min)
                    .map(Self::entry)
                    .collect()
            })
            .collect();
        let total: usize = parts.iter().map(Vec::len).sum();
        let mut out = front;
        out.reserve_exact(total);
        let len = out.len();
        let mut rest = &mut out.spare_capacity_mut()[..total];
        let mut places = Vec::with_capacity(parts.len());
        for part in &parts {
            let (here, after) = rest.split_at_mut(part.len());
            places.push(here);
            rest = after;
        }
        places
            .into_par_iter()
            .zip(parts.par_iter())
            .for_each(|(place, part)| {
                for (to, from) in place.iter_mut().zip(part) {
                    to.write(*from);
                }
            });
        // SAFETY: the `total` places after the first `len` were all
        // written just above (the parts' lengths add up to `total`).
        unsafe { out.set_len(len + total) };
        out
    }

    /// Every key with its counts, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = ([Sym; N], Acc)> + '_ {
        self.data
            .chunks_exact(Self::STRIDE)
            .filter(|s| s[N] != 0)
            .map(Self::entry)
    }

    /// The key and counts of an occupied slot.
    fn entry(s: &[u32]) -> ([Sym; N], Acc) {
        (
            s[..N].try_into().expect("N words"),
            Acc {
                n: s[N],
                n_docs: s[N + 1],
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn doubling_in_place_keeps_every_key() {
        // Many keys whose hashes start or end the table at every size
        // (their runs wrap around its end, and in a doubling some are set
        // aside: below their old slot, or past the new end) among keys
        // anywhere.
        let edge = |k: &[Sym; 2]| {
            let top = hash(k) >> 56;
            !(3..=252).contains(&top) || k[0] % 4 == 0
        };
        let keys: Vec<[Sym; 2]> = (0..).map(|i| [i, i % 7]).filter(edge).take(3000).collect();
        let mut m: GramMap<2> = GramMap::default();
        let mut want: HashMap<[Sym; 2], u32> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            // Each key once, then the ones before it again: every key is
            // looked up after each doubling.
            let again = &keys[..i + 1];
            let batch: Vec<_> = again.iter().map(|k| (*k, hash(k), 1)).collect();
            m.count_batch(&batch[batch.len() - 1..], i as u32 + 1);
            if i.is_power_of_two() {
                m.count_batch(&batch, i as u32 + 1);
                for k in again {
                    *want.entry(*k).or_default() += 1;
                }
            }
            *want.entry(*k).or_default() += 1;
        }
        assert!(
            m.cap() >= 4096,
            "doubled {} times",
            m.cap().trailing_zeros() - 6
        );
        assert_eq!(m.len(), keys.len());
        let got: HashMap<[Sym; 2], u32> = m.iter().map(|(k, a)| (k, a.n)).collect();
        assert_eq!(got, want);
        for k in &keys {
            assert!(m.probe(k, hash(k)).is_ok(), "{k:?} not found");
        }
    }

    #[test]
    fn halves_merge_as_one_side_would() {
        // A table with runs that cross from its first half into its
        // second and wrap around its end, merged with keys it has, keys
        // it lacks (above and below `min`), and keys whose home is on
        // each edge of the halves.
        let mut m: GramMap<2> = GramMap::with_slots(1 << 10);
        let (cap, shift) = (m.cap(), m.shift);
        let half = cap / 2;
        let near = |k: &[Sym; 2]| {
            let h = (hash(k) >> shift) as usize;
            h < 4 || h >= cap - 4 || (half - 6..half + 2).contains(&h)
        };
        let keys: Vec<[Sym; 2]> = (0..).map(|i| [i, 7]).filter(near).take(40).collect();
        let mut rest = (1000..).map(|i| [i, 3]);
        let mut mine: Vec<[Sym; 2]> = keys.iter().step_by(2).copied().collect();
        mine.extend(rest.by_ref().take(600));
        let batch: Vec<_> = mine.iter().map(|k| (*k, hash(k), 2)).collect();
        m.count_batch(&batch, 1);
        assert!(m.len() * 4 <= m.cap() * 3, "the table never grows here");
        let mut theirs: Vec<([Sym; 2], u64, Acc)> = keys
            .iter()
            .chain(mine.iter().skip(keys.len() / 2).step_by(3))
            .chain(rest.take(300).collect::<Vec<_>>().iter())
            .enumerate()
            .map(|(i, k)| {
                (
                    *k,
                    hash(k),
                    Acc {
                        n: 1 + i as u32 % 3,
                        n_docs: 1,
                    },
                )
            })
            .collect();
        theirs.dedup_by_key(|t| t.0);
        let crossing = theirs.iter().filter(|t| near(&t.0)).count();
        assert!(crossing >= 30, "{crossing} keys on the edges");

        let mut one = GramMap::<2> {
            data: m.data.clone(),
            shift: m.shift,
            len: m.len,
        };
        let mut want = Vec::new();
        one.add_existing(&theirs, 2, &mut want);
        let mut got = Vec::new();
        m.add_existing_halves(|| theirs.iter().copied(), 2, &mut got);
        let table = |m: &GramMap<2>| {
            let mut t: Vec<_> = m.iter().map(|(k, a)| (k, a.n, a.n_docs)).collect();
            t.sort_unstable();
            t
        };
        assert_eq!(table(&m), table(&one));
        let sorted = |mut v: Vec<([Sym; 2], Acc)>| {
            v.sort_unstable_by_key(|(k, _)| *k);
            v
        };
        assert!(!want.is_empty() && want.len() < theirs.len());
        assert_eq!(sorted(got), sorted(want));
    }

    #[test]
    fn survivors_are_the_slots_kept_in_order_on_any_threads() {
        // A table of several parts (16,384 slots each), keys counted 1 to
        // 4 times.
        let mut m: GramMap<2> = GramMap::default();
        let batch: Vec<_> = (0..60_000u32)
            .map(|i| ([i, i % 11], 1 + i % 4))
            .map(|(k, n)| (k, hash(&k), n))
            .collect();
        m.count_batch(&batch, 1);
        assert!(m.cap() >= 4 << 14, "{} slots", m.cap());
        for (min, kept) in [(0, 60_000), (1, 60_000), (2, 45_000), (4, 15_000), (5, 0)] {
            let want: Vec<_> = m.iter().filter(|(_, a)| a.n as u64 >= min).collect();
            assert_eq!(want.len(), kept);
            for threads in [1, 2, 3] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                let none = pool.install(|| m.at_least_after(min, Vec::new()));
                assert_eq!(none, want, "min {min}");
                // After a front of its own, kept as it is.
                let front: Vec<_> = (0..1000u32)
                    .map(|i| ([i, u32::MAX], Acc { n: i, n_docs: 1 }))
                    .collect();
                let got = pool.install(|| m.at_least_after(min, front.clone()));
                assert_eq!(got[..1000], front[..], "min {min}");
                assert_eq!(got[1000..], want[..], "min {min}");
            }
        }
    }

    #[test]
    fn counts_like_a_hash_map() {
        // Keys from a small alphabet so that they repeat, across documents
        // and within them, through many doublings of the table.
        let mut m: GramMap<3> = GramMap::default();
        let mut want: HashMap<[Sym; 3], (u32, u32, u32)> = HashMap::new();
        let mut x = 12345u64;
        for doc in 0..300u32 {
            let mut batch = Vec::new();
            for _ in 0..(doc % 97) * 7 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let k = [
                    (x >> 33) as u32 % 40,
                    (x >> 45) as u32 % 30,
                    (x >> 55) as u32 % 9,
                ];
                batch.push((k, hash(&k), 1));
                let e = want.entry(k).or_default();
                e.0 += 1;
                if e.2 != doc + 1 {
                    e.2 = doc + 1;
                    e.1 += 1;
                }
            }
            m.count_batch(&batch, doc + 1);
        }
        assert_eq!(m.len(), want.len());
        let got: HashMap<[Sym; 3], (u32, u32)> =
            m.iter().map(|(k, a)| (k, (a.n, a.n_docs))).collect();
        let want: HashMap<[Sym; 3], (u32, u32)> =
            want.into_iter().map(|(k, v)| (k, (v.0, v.1))).collect();
        assert_eq!(got, want);

        // Compacted by part, in place: each part holds its keys, all of
        // them, with their counts; put back, the map is the same.
        let part_of = |k: &[Sym; 3]| ((k[0] * 7 + k[2]) % 5) as usize;
        let mut m2: GramMap<3> = GramMap::default();
        m2.add_batch(&m.iter().map(|(k, a)| (k, hash(&k), a)).collect::<Vec<_>>());
        let bounds = m2.compact_by_part(5, part_of);
        assert_eq!(bounds.len(), 6);
        let mut seen = HashMap::new();
        for p in 0..5 {
            let part =
                &m2.compacted(bounds[5] as usize)[bounds[p] as usize..bounds[p + 1] as usize];
            for e in part.chunks_exact(5) {
                let k: [Sym; 3] = e[..3].try_into().unwrap();
                assert_eq!(part_of(&k), p);
                assert!(seen.insert(k, (e[3], e[4])).is_none());
            }
        }
        assert_eq!(seen, got);
        m2.refill(bounds[5] as usize);
        let back: HashMap<[Sym; 3], (u32, u32)> =
            m2.iter().map(|(k, a)| (k, (a.n, a.n_docs))).collect();
        assert_eq!(back, got);

        // Merging adds counts and documents.
        let items: Vec<_> = m.iter().map(|(k, a)| (k, hash(&k), a)).collect();
        let mut twice: GramMap<3> = GramMap::default();
        twice.add_batch(&items);
        twice.add_batch(&items);
        for (k, a) in twice.iter() {
            assert_eq!(a.n, 2 * got[&k].0);
            assert_eq!(a.n_docs, 2 * got[&k].1);
        }
    }
}
