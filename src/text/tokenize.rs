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
pub struct Spans<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Spans<'a> {
    /// The spans of `text` from byte `pos` on, a char boundary that no
    /// token straddles (a token's start, or a separator).
    pub(crate) fn from(text: &'a str, pos: usize) -> Spans<'a> {
        Spans { text, pos }
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
        // Unsigned x <= k is min(x, k) == x.
        let d = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
        let digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
        let a = _mm_sub_epi8(
            _mm_or_si128(v, _mm_set1_epi8(0x20)),
            _mm_set1_epi8(b'a' as i8),
        );
        let alpha = _mm_cmpeq_epi8(_mm_min_epu8(a, _mm_set1_epi8(25)), a);
        _mm_movemask_epi8(_mm_or_si128(digit, alpha)) as u32
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

impl<'a> Iterator for Spans<'a> {
    type Item = (usize, usize);

    /// Bytes below 0x80 are classified by table; only other chars look
    /// up their Unicode category.
    #[inline(always)]
    fn next(&mut self) -> Option<(usize, usize)> {
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
