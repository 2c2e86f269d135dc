//! LEB128 varints: the lengths and references of the compact buffers
//! that hold one entry per document (summaries, ids), where most numbers
//! fit in a byte.

/// Append `n`: 7 bits a byte, low bits first, the high bit set on every
/// byte but the last.
pub(crate) fn put(bytes: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        bytes.push(n as u8 | 0x80);
        n >>= 7;
    }
    bytes.push(n as u8);
}

/// Bytes [`put`] takes for `n`.
pub(crate) fn len(n: u64) -> usize {
    (64 - (n | 1).leading_zeros() as usize).div_ceil(7)
}

/// The varint at `at`, and where it ends.
pub(crate) fn read(bytes: &[u8], mut at: usize) -> (usize, usize) {
    let (mut n, mut shift) = (0usize, 0);
    loop {
        let b = bytes[at];
        at += 1;
        n |= ((b & 0x7f) as usize) << shift;
        if b < 0x80 {
            return (n, at);
        }
        shift += 7;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every number round-trips and takes the bytes `len` says, around
    /// each 7-bit boundary.
    #[test]
    fn numbers_come_back_in_the_bytes_len_says() {
        let mut ns = vec![0u64, 1, u32::MAX as u64, u64::MAX >> 1];
        for b in 1..63 {
            ns.extend([(1u64 << b) - 1, 1 << b, (1 << b) + 1]);
        }
        let mut bytes = vec![0xAA];
        let mut places = Vec::new();
        for &n in &ns {
            let at = bytes.len();
            put(&mut bytes, n);
            assert_eq!(bytes.len() - at, len(n), "{n}");
            places.push(at);
        }
        for (&n, &at) in ns.iter().zip(&places) {
            let (m, end) = read(&bytes, at);
            assert_eq!((m as u64, end), (n, at + len(n)), "{n}");
        }
    }
}
