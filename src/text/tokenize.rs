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
    Spans { text, pos: 0 }
}

/// Iterator over token spans; see [`spans`].
pub struct Spans<'a> {
    text: &'a str,
    pos: usize,
}

#[inline]
fn char_at(text: &str, pos: usize) -> Option<char> {
    let b = *text.as_bytes().get(pos)?;
    if b < 0x80 {
        return Some(b as char);
    }
    text[pos..].chars().next()
}

impl<'a> Iterator for Spans<'a> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let text = self.text;
        // Skip separators up to the first char of a token.
        let first = loop {
            let c = char_at(text, self.pos)?;
            if is_ideograph(c) {
                let start = self.pos;
                self.pos += c.len_utf8();
                return Some((start, self.pos));
            }
            if is_word_char(c) {
                break c;
            }
            self.pos += c.len_utf8();
        };
        let start = self.pos;
        self.pos += first.len_utf8();
        let mut prev = first;
        while let Some(c) = char_at(text, self.pos) {
            if is_word_char(c) {
                prev = c;
                self.pos += c.len_utf8();
                continue;
            }
            if is_joiner(c) {
                let after = self.pos + c.len_utf8();
                if let Some(n) = char_at(text, after) {
                    let ok = is_word_char(n)
                        && (c != ',' || (is_decimal_digit(prev) && is_decimal_digit(n)));
                    if ok {
                        prev = n;
                        self.pos = after + n.len_utf8();
                        continue;
                    }
                }
            }
            break;
        }
        Some((start, self.pos))
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
