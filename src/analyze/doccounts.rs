//! Compact per-document counts of one term: `(document, count)` pairs as
//! variable-length integers, about 2–3 bytes a pair instead of 8. The
//! postings of a gigabyte corpus hold tens of millions of pairs.

/// `(document index, count)` pairs in increasing document order, each
/// stored in LEB128 as the gap from the previous document, shifted left
/// one bit, with the low bit set when a count other than 1 follows. Most
/// pairs of a rare term are a count of 1 after a long gap, most of a
/// frequent term a short gap: one byte when the gap is below 64 and the
/// count 1, two when the count is below 128.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocCounts {
    bytes: Vec<u8>,
    len: u32,
    /// The last document (meaningful when `len > 0`).
    last: u32,
}

impl DocCounts {
    /// Bytes held on the heap (FRAMESCOPE_TIMINGS).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
    }

    /// Pairs from an iterator in increasing document order.
    ///
    /// ```
    /// use framescope::analyze::DocCounts;
    /// let d = DocCounts::from_sorted([(0, 3), (7, 1), (300, 2)]);
    /// assert_eq!(d.iter().collect::<Vec<_>>(), [(0, 3), (7, 1), (300, 2)]);
    /// assert_eq!(d.len(), 3);
    /// ```
    pub fn from_sorted(pairs: impl IntoIterator<Item = (u32, u32)>) -> DocCounts {
        let mut d = DocCounts::default();
        let mut last = None;
        for (doc, n) in pairs {
            debug_assert!(last.is_none_or(|l| doc > l));
            put_pair(&mut d.bytes, doc - last.unwrap_or(0), n);
            last = Some(doc);
            d.len += 1;
            d.last = doc;
        }
        d.bytes.shrink_to_fit();
        d
    }

    /// Append a pair after `prev`, the last document pushed (None for
    /// the first); documents must increase.
    fn push_after(&mut self, prev: Option<u32>, doc: u32, n: u32) {
        debug_assert!(prev.is_none_or(|l| doc > l));
        let gap = doc - prev.unwrap_or(0);
        if gap < 0x40 && n == 1 {
            // One byte: the usual case.
            self.bytes.push((gap << 1) as u8);
        } else if gap < 0x40 && n < 0x80 {
            self.bytes
                .extend_from_slice(&[(gap << 1) as u8 | 1, n as u8]);
        } else {
            put_pair(&mut self.bytes, gap, n);
        }
        self.len += 1;
        self.last = doc;
    }

    /// The document of the last pair pushed, kept beside the pairs while
    /// a list is built (it fits in the struct's padding).
    pub(crate) fn last(&self) -> Option<u32> {
        (self.len > 0).then_some(self.last)
    }

    /// [`Self::push_after`] the last pair pushed.
    #[inline]
    pub(crate) fn push(&mut self, doc: u32, n: u32) {
        self.push_after(self.last(), doc, n);
    }

    /// Where the next pair will be written (for a prefetch).
    #[inline]
    pub(crate) fn tail(&self) -> *const u8 {
        self.bytes.as_ptr().wrapping_add(self.bytes.len())
    }

    /// Give back the spare capacity of a finished list.
    pub(crate) fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
    }

    /// Documents with the term.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// No document has the term.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The pairs, by document.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32)> + Clone + '_ {
        let mut pos = 0;
        let mut doc = 0u32;
        std::iter::from_fn(move || {
            if pos >= self.bytes.len() {
                return None;
            }
            let v = get(&self.bytes, &mut pos);
            let gap = (v >> 1) as u32;
            let n = if v & 1 == 1 {
                get(&self.bytes, &mut pos) as u32
            } else {
                1
            };
            doc += gap;
            Some((doc, n))
        })
    }
}

/// A pair: the gap shifted left, its low bit saying whether a count
/// other than 1 follows.
fn put_pair(out: &mut Vec<u8>, gap: u32, n: u32) {
    if n == 1 {
        put(out, (gap as u64) << 1);
    } else {
        put(out, ((gap as u64) << 1) | 1);
        put(out, n as u64);
    }
}

fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get(bytes: &[u8], pos: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*pos) {
        *pos += 1;
        v |= ((b & 0x7f) as u64) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushed_pairs_round_trip() {
        // Every path: one byte, two bytes, long gaps and counts (a count
        // of 0 is kept too), the largest gap.
        let pairs = [
            (0, 1),
            (2, 300),
            (6, 70_000),
            (69, 1),
            (70, 2),
            (133, 1),
            (134, 0),
            (200, 127),
            (263, 128),
            (4_000_000_000, 7),
            (u32::MAX, 1),
        ];
        let mut d = DocCounts::default();
        let mut prev = None;
        for &(doc, n) in &pairs {
            d.push_after(prev, doc, n);
            prev = Some(doc);
        }
        d.shrink();
        assert_eq!(d.iter().collect::<Vec<_>>(), pairs);
        assert_eq!(d, DocCounts::from_sorted(pairs));
        assert_eq!(d.len(), pairs.len());
    }
}
