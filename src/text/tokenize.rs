//! The splitter (CONTRACT.md §1) and the sentence rule (§4).
//!
//! It only finds where tokens and sentences are; it never normalizes or
//! allocates. Offsets are byte offsets into the original text.

use unicode_general_category::{get_general_category, GeneralCategory as Gc};

/// An ideograph: one of these code points is always a token on its own.
pub fn is_ideograph(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// A word char: General Category L*, M* or N*, and not an ideograph.
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    if is_ideograph(c) {
        return false;
    }
    use Gc::*;
    matches!(
        get_general_category(c),
        UppercaseLetter
            | LowercaseLetter
            | TitlecaseLetter
            | ModifierLetter
            | OtherLetter
            | NonspacingMark
            | SpacingMark
            | EnclosingMark
            | DecimalNumber
            | LetterNumber
            | OtherNumber
    )
}

/// A decimal digit: General Category Nd.
#[inline]
pub fn is_decimal_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    get_general_category(c) == Gc::DecimalNumber
}

/// A joiner may stand inside a token between two word chars.
#[inline]
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{02BC}' | '-' | '\u{2010}' | '\u{2011}' | '.' | ','
    )
}

/// The byte spans `(start, end)` of the tokens of `text`, in order.
///
/// ```
/// let spans: Vec<_> = framescope::text::spans("the U.S. invasion").collect();
/// assert_eq!(spans, [(0, 3), (4, 7), (9, 17)]);
/// ```
pub fn spans(text: &str) -> Spans<'_> {
    Spans::from(text, 0)
}

/// Iterator over token spans; see [`spans`].
///
/// Text is split 64 bytes at a time where those bytes and the three
/// around them (one before, two after) are ASCII, but for whole chars
/// of General Punctuation up to U+203F (’ — “ ”), Latin-1 letters and
/// no-break spaces among the 64: each
/// byte is classified at once (word char, digit, joiner, comma), a mask
/// of the bytes that belong to a token is made from them and their
/// neighbours' classes, and the tokens' starts and ends are its edges,
/// read off one set bit at a time. Elsewhere (near any other non-ASCII
/// char, and in a text's last 66 bytes) the splitter goes a token at a
/// time.
pub struct Spans<'a> {
    text: &'a str,
    /// Where reading goes on: the next block's first byte, or where the
    /// next token is looked for one token at a time.
    pos: usize,
    /// The first byte of the last block classified.
    base: usize,
    /// Of that block, the token starts and ends not returned yet: bit
    /// `i` for byte `base + i` (an end's bit is a token's last byte).
    starts: u64,
    ends: u64,
    /// The start of a token that runs on past the blocks classified, or
    /// [`NONE`].
    open: usize,
    /// No block is classified before this byte: a non-ASCII byte is in
    /// the way.
    scalar_until: usize,
    /// The end of the last block classified, and whether its last byte
    /// is a word char (bit 1) and a digit (bit 0).
    classified_to: usize,
    tail: u64,
}

/// No token is open ([`Spans::open`]).
const NONE: usize = usize::MAX;

impl<'a> Spans<'a> {
    /// The spans of `text` from byte `pos` on, a char boundary that no
    /// token straddles (a token's start, or a separator).
    pub(crate) fn from(text: &'a str, pos: usize) -> Spans<'a> {
        Spans {
            text,
            pos,
            base: 0,
            starts: 0,
            ends: 0,
            open: NONE,
            scalar_until: 0,
            classified_to: NONE,
            tail: 0,
        }
    }
}

#[inline]
fn char_at(text: &str, pos: usize) -> Option<char> {
    let b = *text.as_bytes().get(pos)?;
    if b < 0x80 {
        return Some(b as char);
    }
    text[pos..].chars().next()
}

/// Byte classes: ASCII letters and digits are word chars, `'-.,` join,
/// bytes of wide chars need a look at the char.
const WORD: u8 = 1;
const JOIN: u8 = 2;
const WIDE: u8 = 3;
static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            WIDE
        } else if c.is_ascii_alphanumeric() {
            WORD
        } else if matches!(c, b'\'' | b'-' | b'.' | b',') {
            JOIN
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The char at `pos`, a non-ASCII lead byte.
#[inline(never)]
fn wide_char_at(text: &str, pos: usize) -> char {
    text[pos..].chars().next().expect("a char boundary")
}

/// The mask of 16 bytes from `b[pos..]` (needs `pos + 16 <= b.len()`):
/// bit `i` is set when byte `i` is an ASCII letter or digit.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn word_mask16(b: &[u8], pos: usize) -> u32 {
    use std::arch::x86_64::*;
    assert!(pos + 16 <= b.len());
    // SAFETY: the assert keeps the unaligned 16-byte load inside `b`;
    // SSE2 is part of the x86-64 baseline.
    unsafe {
        let v = _mm_loadu_si128(b.as_ptr().add(pos) as *const __m128i);
        let (digit, alpha) = digits_and_letters(v);
        _mm_movemask_epi8(_mm_or_si128(digit, alpha)) as u32
    }
}

/// The bytes of `v` that are ASCII digits, and those that are ASCII
/// letters (0xFF each).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn digits_and_letters(
    v: std::arch::x86_64::__m128i,
) -> (std::arch::x86_64::__m128i, std::arch::x86_64::__m128i) {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86-64 baseline.
    unsafe {
        // Unsigned x <= k is min(x, k) == x.
        let d = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
        let digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
        let a = _mm_sub_epi8(
            _mm_or_si128(v, _mm_set1_epi8(0x20)),
            _mm_set1_epi8(b'a' as i8),
        );
        let alpha = _mm_cmpeq_epi8(_mm_min_epu8(a, _mm_set1_epi8(25)), a);
        (digit, alpha)
    }
}

/// The end of the run of ASCII letters and digits starting at `pos`.
///
/// On x86-64, 16 bytes are classified at once and the run ends at the
/// first byte that is not a word char: no branch per byte, so no
/// mispredicted loop exit per word.
#[inline(always)]
fn ascii_word_run(b: &[u8], mut pos: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    while pos + 16 <= b.len() {
        let stop = !word_mask16(b, pos) & 0xFFFF;
        if stop != 0 {
            return pos + stop.trailing_zeros() as usize;
        }
        pos += 16;
    }
    while pos < b.len() && ASCII_CLASS[b[pos] as usize] == WORD {
        pos += 1;
    }
    pos
}

/// The classes of 64 bytes, bit `i` for byte `i`.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
struct Classes {
    word: u64,
    digit: u64,
    /// `'`, `-` and `.`: join two word chars.
    join: u64,
    /// `,`: joins two digits.
    comma: u64,
    /// Bytes of non-ASCII chars.
    high: u64,
}

/// The [`Classes`] of `b[pos..pos + 64]` (needs `pos + 64 <= b.len()`).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn classes64(b: &[u8], pos: usize) -> Classes {
    let [word, digit, join, comma, high] = masks64(b, pos, |v| {
        use std::arch::x86_64::*;
        let eq = |x| eq8(v, x);
        let (digit, alpha) = digits_and_letters(v);
        // SAFETY: SSE2 is part of the x86-64 baseline.
        unsafe {
            [
                _mm_or_si128(digit, alpha),
                digit,
                _mm_or_si128(_mm_or_si128(eq(b'\''), eq(b'-')), eq(b'.')),
                eq(b','),
                // The movemask of the bytes themselves: their top bits.
                v,
            ]
        }
    });
    Classes {
        word,
        digit,
        join,
        comma,
        high,
    }
}

/// The non-ASCII chars of 64 bytes that a block is split with (bit `i`
/// for byte `i`): chars of General Punctuation up to U+203F (bytes E2
/// 80 xx: the dashes, quotes and apostrophes of edited text; none a
/// word char), the letters of Latin-1 (C3 xx: `é`, `ñ`, `ü`, all but `×`
/// and `÷`) and the no-break space (C2 A0). CONTRACT §1.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
struct Wide {
    /// The bytes of those chars.
    covered: u64,
    /// The first bytes of the joiners among them (U+2010, U+2011,
    /// U+2019).
    joiners: u64,
    /// The bytes of the letters among them.
    letters: u64,
}

/// The [`Wide`] chars of `b[pos..pos + 64]` (needs `pos + 64 <=
/// b.len()`), whole within those bytes, whose bytes are `high`: those
/// of General Punctuation, then (if other non-ASCII bytes are left)
/// Latin-1's.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn wide64(b: &[u8], pos: usize, high: u64) -> Wide {
    let [e2, x80, cont, third] = masks64(b, pos, |v| {
        use std::arch::x86_64::*;
        let eq = |x| eq8(v, x);
        // SAFETY: SSE2 is part of the x86-64 baseline.
        unsafe {
            [
                eq(0xE2),
                eq(0x80),
                // Continuation bytes 0x80..=0xBF are, signed, below -64.
                _mm_cmplt_epi8(v, _mm_set1_epi8(-64)),
                // U+2010, U+2011, U+2019 end in 90, 91, 99.
                _mm_or_si128(
                    _mm_cmpeq_epi8(
                        _mm_and_si128(v, _mm_set1_epi8(0xFEu8 as i8)),
                        _mm_set1_epi8(0x90u8 as i8),
                    ),
                    eq(0x99),
                ),
            ]
        }
    });
    let punct = e2 & (x80 >> 1) & (cont >> 2);
    let mut w = Wide {
        covered: punct | (punct << 1) | (punct << 2),
        joiners: punct & (third >> 2),
        letters: 0,
    };
    if high & !w.covered != 0 {
        let [c3, c2, a0, not_letter] = masks64(b, pos, |v| {
            use std::arch::x86_64::*;
            let eq = |x| eq8(v, x);
            // SAFETY: SSE2 is part of the x86-64 baseline.
            // After C3: × (C3 97) and ÷ (C3 B7) are not letters.
            let not_letter = unsafe { _mm_or_si128(eq(0x97), eq(0xB7)) };
            [eq(0xC3), eq(0xC2), eq(0xA0), not_letter]
        });
        let letter = c3 & ((cont & !not_letter) >> 1);
        let nbsp = c2 & (a0 >> 1);
        w.letters = letter | (letter << 1);
        w.covered |= w.letters | nbsp | (nbsp << 1);
    }
    w
}

/// The bytes of `v` equal to `x` (0xFF each).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn eq8(v: std::arch::x86_64::__m128i, x: u8) -> std::arch::x86_64::__m128i {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of the x86-64 baseline.
    unsafe { _mm_cmpeq_epi8(v, _mm_set1_epi8(x as i8)) }
}

/// `N` masks of `b[pos..pos + 64]` (needs `pos + 64 <= b.len()`), bit
/// `i` for byte `i`: the top bits of the `N` vectors `f` makes of each
/// 16 bytes.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn masks64<const N: usize>(
    b: &[u8],
    pos: usize,
    f: impl Fn(std::arch::x86_64::__m128i) -> [std::arch::x86_64::__m128i; N],
) -> [u64; N] {
    use std::arch::x86_64::*;
    assert!(pos + 64 <= b.len());
    let mut m = [0u64; N];
    for k in 0..4 {
        // SAFETY: the assert keeps the load inside `b`; SSE2 is part of
        // the x86-64 baseline.
        unsafe {
            let v = _mm_loadu_si128(b.as_ptr().add(pos + 16 * k) as *const __m128i);
            for (m, x) in m.iter_mut().zip(f(v)) {
                *m |= (_mm_movemask_epi8(x) as u16 as u64) << (16 * k);
            }
        }
    }
    m
}

impl Spans<'_> {
    /// Classify the 64 bytes at `pos` and keep their token starts and
    /// ends; false (nothing done) where they cannot be: fewer than 66
    /// bytes left, or a non-ASCII byte among them or the three around
    /// them, other than those of a whole [`Wide`] char among the 64.
    #[inline(always)]
    fn block(&mut self) -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            let b = self.text.as_bytes();
            let p = self.pos;
            if p < self.scalar_until || p + 66 > b.len() {
                return false;
            }
            let mut c = classes64(b, p);
            let (n0, n1) = (b[p + 64], b[p + 65]);
            let word = |x: u8| x.is_ascii_alphanumeric() as u64;
            let digit = |x: u8| x.is_ascii_digit() as u64;
            // The byte before: known if it ends the last block classified.
            let (word_prev, digit_prev) = if p == self.classified_to {
                (self.tail >> 1, self.tail & 1)
            } else {
                let before = if p > 0 { b[p - 1] } else { b' ' };
                if before >= 0x80 {
                    self.scalar_until = p + 1;
                    return false;
                }
                (word(before), digit(before))
            };
            // Non-ASCII chars in the block: Latin-1 letters are word
            // chars, and multi-byte joiners join two word chars.
            let mut joined = 0;
            if (c.high | (n0 | n1) as u64 >> 7) != 0 {
                let w = wide64(b, p, c.high);
                if c.high != w.covered || (n0 | n1) >= 0x80 {
                    // Go a token at a time until that byte is behind.
                    let last = if n1 >= 0x80 {
                        p + 65
                    } else if n0 >= 0x80 {
                        p + 64
                    } else {
                        p + 63 - (c.high & !w.covered).leading_zeros() as usize
                    };
                    self.scalar_until = last + 2;
                    return false;
                }
                c.word |= w.letters;
                // A joiner's first byte is bit i, its last i + 2.
                let word_3_after = (c.word >> 3) | (word(n0) << 61);
                let j = w.joiners & ((c.word << 1) | word_prev) & word_3_after;
                joined = j | (j << 1) | (j << 2);
            }
            // Bit i: the byte before (after) byte i is a word char (digit).
            let word_before = (c.word << 1) | word_prev;
            let word_after = (c.word >> 1) | (word(n0) << 63);
            let digit_before = (c.digit << 1) | digit_prev;
            let digit_after = (c.digit >> 1) | (digit(n0) << 63);
            // A token's bytes: word chars, and joiners between two word
            // chars (a comma: between two digits).
            let tok = c.word
                | joined
                | (c.join & word_before & word_after)
                | (c.comma & digit_before & digit_after);
            let tok_next = word(n0)
                | (matches!(n0, b'\'' | b'-' | b'.') as u64 & (c.word >> 63) & word(n1))
                | ((n0 == b',') as u64 & (c.digit >> 63) & digit(n1));
            let tok_before = (tok << 1) | (self.open != NONE) as u64;
            let tok_after = (tok >> 1) | (tok_next << 63);
            self.classified_to = p + 64;
            self.tail = ((c.word >> 63) << 1) | (c.digit >> 63);
            self.starts = tok & !tok_before;
            self.ends = tok & !tok_after;
            self.base = p;
            self.pos = p + 64;
            true
        }
        #[cfg(not(target_arch = "x86_64"))]
        false
    }

    /// The next token from `pos` on, found a char at a time: bytes below
    /// 0x80 are classified by table; only other chars look up their
    /// Unicode category.
    #[inline(always)]
    fn scalar_next(&mut self) -> Option<(usize, usize)> {
        let text = self.text;
        let b = text.as_bytes();
        let mut pos = self.pos;
        // Skip separators up to the first char of a token.
        let (start, mut prev_digit) = loop {
            let c = *b.get(pos)?;
            if c < 0x80 {
                pos += 1;
                if ASCII_CLASS[c as usize] == WORD {
                    break (pos - 1, c.is_ascii_digit());
                }
                continue;
            }
            let ch = wide_char_at(text, pos);
            if is_ideograph(ch) {
                self.pos = pos + ch.len_utf8();
                return Some((pos, self.pos));
            }
            let at = pos;
            pos += ch.len_utf8();
            if is_word_char(ch) {
                break (at, is_decimal_digit(ch));
            }
        };
        loop {
            // The run of ASCII word chars: the bulk of the text.
            pos = ascii_word_run(b, pos);
            let Some(&c) = b.get(pos) else { break };
            if pos > 0 && b[pos - 1] < 0x80 {
                prev_digit = b[pos - 1].is_ascii_digit();
            }
            let joiner = if c < 0x80 {
                if ASCII_CLASS[c as usize] != JOIN {
                    break;
                }
                c as char
            } else {
                let ch = wide_char_at(text, pos);
                if is_word_char(ch) {
                    prev_digit = is_decimal_digit(ch);
                    pos += ch.len_utf8();
                    continue;
                }
                if !is_joiner(ch) {
                    break;
                }
                ch
            };
            let after = pos + joiner.len_utf8();
            let Some(n) = char_at(text, after) else { break };
            if is_word_char(n) && (joiner != ',' || (prev_digit && is_decimal_digit(n))) {
                prev_digit = is_decimal_digit(n);
                pos = after + n.len_utf8();
                continue;
            }
            break;
        }
        self.pos = pos;
        Some((start, pos))
    }
}

impl Iterator for Spans<'_> {
    type Item = (usize, usize);

    #[inline(always)]
    fn next(&mut self) -> Option<(usize, usize)> {
        loop {
            if self.ends != 0 {
                let end = self.base + self.ends.trailing_zeros() as usize + 1;
                self.ends &= self.ends - 1;
                let start = if self.open != NONE {
                    std::mem::replace(&mut self.open, NONE)
                } else {
                    let s = self.base + self.starts.trailing_zeros() as usize;
                    self.starts &= self.starts - 1;
                    s
                };
                return Some((start, end));
            }
            // A token left starting in the block runs on past it.
            if self.starts != 0 {
                self.open = self.base + self.starts.trailing_zeros() as usize;
                self.starts = 0;
            }
            if !self.block() {
                break;
            }
        }
        if self.open != NONE {
            self.pos = std::mem::replace(&mut self.open, NONE);
        }
        self.scalar_next()
    }
}

/// The splitter as CONTRACT §1 words it, one char at a time: the
/// reference the table-driven [`Spans`] is tested against.
#[cfg(test)]
pub(crate) fn reference_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let first = loop {
            let Some(c) = char_at(text, pos) else {
                return out;
            };
            if is_ideograph(c) {
                out.push((pos, pos + c.len_utf8()));
                pos += c.len_utf8();
                continue;
            }
            if is_word_char(c) {
                break c;
            }
            pos += c.len_utf8();
        };
        let start = pos;
        pos += first.len_utf8();
        let mut prev = first;
        while let Some(c) = char_at(text, pos) {
            if is_word_char(c) {
                prev = c;
                pos += c.len_utf8();
                continue;
            }
            if is_joiner(c) {
                let after = pos + c.len_utf8();
                if let Some(n) = char_at(text, after) {
                    let ok = is_word_char(n)
                        && (c != ',' || (is_decimal_digit(prev) && is_decimal_digit(n)));
                    if ok {
                        prev = n;
                        pos = after + n.len_utf8();
                        continue;
                    }
                }
            }
            break;
        }
        out.push((start, pos));
    }
}

/// Does the gap of text between two tokens start a new sentence (§4)?
///
/// `dot_excused` is true when the token before the gap contains a `.` or
/// its norm is an abbreviation such as `mr`: then a `.` standing first in
/// the gap does not count.
#[inline]
pub fn gap_breaks_sentence(gap: &str, dot_excused: bool) -> bool {
    if gap == " " || gap.is_empty() {
        return false;
    }
    let bytes = gap.as_bytes();
    for (i, c) in gap.char_indices() {
        match c {
            '.' if i == 0 && dot_excused => {}
            '.' | '!' | '?' | '\u{3002}' | '\u{FF01}' | '\u{FF1F}' => return true,
            '\n' => {
                // A blank line: LF, then only spaces, tabs or CRs, then LF.
                let rest = &bytes[i + 1..];
                for &b in rest {
                    match b {
                        b' ' | b'\t' | b'\r' => continue,
                        b'\n' => return true,
                        _ => break,
                    }
                }
            }
            _ => {}
        }
    }
    false
}

/// Norms after which a `.` does not end a sentence (§4).
pub const ABBREVIATIONS: [&str; 9] = ["mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs"];

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces(text: &str) -> Vec<&str> {
        spans(text).map(|(s, e)| &text[s..e]).collect()
    }

    macro_rules! t {
        ($name:ident, $text:expr, $want:expr) => {
            #[test]
            fn $name() {
                let want: &[&str] = &$want;
                assert_eq!(surfaces($text), want);
            }
        };
    }

    t!(hyphen, "win-win cooperation", ["win-win", "cooperation"]);
    t!(curly_apostrophe, "China’s role", ["China’s", "role"]);
    t!(dotted, "the U.S. invasion", ["the", "U.S", "invasion"]);
    t!(
        numbers,
        "1,100 years; $63.9 billion",
        ["1,100", "years", "63.9", "billion"]
    );
    t!(
        slash,
        "post-9/11 “War on Terror.”",
        ["post-9", "11", "War", "on", "Terror"]
    );
    t!(
        double_hyphen,
        "well--known, U.S.-China",
        ["well", "known", "U.S", "China"]
    );
    t!(ideographs, "作者: Cui", ["作", "者", "Cui"]);
    t!(
        plural_possessive,
        "countries’ interests",
        ["countries", "interests"]
    );
    t!(
        comma_needs_digits,
        "a,b 1,b a,1 1,2",
        ["a", "b", "1", "b", "a", "1", "1,2"]
    );
    t!(ideograph_ends_word, "abc中def", ["abc", "中", "def"]);

    #[test]
    fn table_driven_splitter_matches_the_reference() {
        // Every pairing of the chars that matter, in short strings.
        let alphabet = [
            "a", "Z", "0", "9", " ", "'", "\u{2019}", "\u{02BC}", "-", "\u{2010}", "\u{2011}", ".",
            ",", "é", "\u{0301}", "中", "٣", "\u{00B2}", "!", "\n", "ﬁ", "Ω",
        ];
        let mut n = 0;
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    for d in ["", "x", "1", ",", "中", "é"] {
                        let s = format!("{a}{b}{c}{d}");
                        assert_eq!(spans(&s).collect::<Vec<_>>(), reference_spans(&s), "{s:?}");
                        n += 1;
                    }
                }
            }
        }
        assert_eq!(n, 22 * 22 * 22 * 6);
    }

    /// Texts long enough to be split 64 bytes at a time, with tokens
    /// across the blocks' edges, joiners on them, and non-ASCII chars
    /// near them (from none to many); read from the start and from
    /// every token's start and end.
    #[test]
    fn blocks_of_64_bytes_match_the_reference() {
        let pieces = [
            "a",
            "Z",
            "7",
            "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
            "cooperation",
            " ",
            "  ",
            "'",
            "-",
            ".",
            ",",
            ", ",
            ". ",
            "\n",
            "[",
        ];
        // Chars split 64 bytes at a time (the first eight): General
        // Punctuation (the joiners U+2010, U+2011, U+2019 and others),
        // Latin-1 letters (among them the first and last, À and ÿ) and
        // the no-break space; then chars next to them that are not
        // (U+2040, U+2070 a word char, × and ÷, ª a word char, ²), and
        // other non-ASCII chars.
        let wide = [
            "\u{2019}", "\u{2014}", "\u{201C}", "\u{2010}", "\u{2011}", "\u{203F}", "é",
            "\u{00A0}", "À", "ÿ", "ß", "\u{2040}", "\u{2070}", "×", "÷", "\u{00AA}", "\u{00B2}",
            "中", "٣", "\u{0301}",
        ];
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        for round in 0..6_000 {
            // Non-ASCII chars: none, a few or many; often only those
            // split 64 bytes at a time.
            let every = [0, 0, 40, 6][round % 4];
            let kinds = if round % 3 == 0 { wide.len() } else { 8 };
            let n = 10 + (next() % 300) as usize;
            let s: String = (0..n)
                .map(|_| {
                    let r = next() as usize;
                    if every > 0 && r % every == 0 {
                        wide[(r / every) % kinds]
                    } else if r % 4 == 0 {
                        pieces[(r / 4) % pieces.len()]
                    } else {
                        pieces[(r / 4) % 3]
                    }
                })
                .collect();
            let want = reference_spans(&s);
            assert_eq!(spans(&s).collect::<Vec<_>>(), want, "{s:?}");
            if round % 50 == 0 {
                for &(a, b) in &want {
                    for from in [a, b] {
                        let got: Vec<_> = Spans::from(&s, from).collect();
                        let rest: Vec<_> = want.iter().copied().filter(|t| t.0 >= from).collect();
                        assert_eq!(got, rest, "{s:?} from {from}");
                    }
                }
            }
        }
    }

    #[test]
    fn long_runs_match_the_reference() {
        // Words longer than the 16 bytes classified at once, runs that
        // end exactly at a 16-byte boundary or at the end of the text,
        // and every char that matters right after them.
        let pieces = [
            "a",
            "Z",
            "9",
            "abcdefghijklmnop",
            "0123456789",
            "xyz",
            " ",
            "  ",
            "'",
            "\u{2019}",
            "-",
            ".",
            ",",
            "é",
            "中",
            "٣",
            "\n",
            "Ω",
            "[",
            "`",
            "{",
            "@",
            "/",
            ":",
        ];
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1Du64);
        for _ in 0..20_000 {
            let n = (next() % 40) as usize;
            let s: String = (0..n)
                .map(|_| {
                    let r = next() as usize;
                    // Mostly letters, so that long runs are common.
                    if r % 3 == 0 {
                        pieces[(r / 3) % pieces.len()]
                    } else {
                        pieces[(r / 3) % 4]
                    }
                })
                .collect();
            assert_eq!(spans(&s).collect::<Vec<_>>(), reference_spans(&s), "{s:?}");
        }
        // Every byte value after a 16-byte run of letters and after a run
        // that fills the first 16 bytes exactly.
        for c in (0u8..0x80).map(char::from).chain(['é', '中', '\u{2019}']) {
            for pre in ["", "x", "abcdefghijklmno"] {
                let s = format!("{pre}abcdefghijklmnopq{c}rstuvwxyz0123456789");
                assert_eq!(spans(&s).collect::<Vec<_>>(), reference_spans(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn gaps() {
        assert!(!gap_breaks_sentence(" ", false));
        assert!(gap_breaks_sentence(". ", false));
        assert!(!gap_breaks_sentence(". ", true));
        assert!(gap_breaks_sentence(" .", true));
        assert!(gap_breaks_sentence(".. ", true));
        assert!(!gap_breaks_sentence("\n", false));
        assert!(gap_breaks_sentence("\n \t\r\n", false));
        assert!(gap_breaks_sentence("\r\n\r\n", false));
        assert!(!gap_breaks_sentence("\n x\n", false));
        assert!(gap_breaks_sentence("。", false));
    }
}
