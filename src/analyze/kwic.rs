//! Keyword-in-context text of a hit (CONTRACT.md §9): the original text
//! around it, every run of white space made one space.

use crate::text::Token;

/// The left context, the match and the right context of tokens
/// `i..=j` with a window of `w` tokens; with `clip`, the window stops at
/// the edges of the match's sentence.
///
/// ```
/// use framescope::analyze::kwic_context;
/// let text = "We seek  win-win\ncooperation with all.";
/// let mut an = framescope::text::Analyzer::english();
/// let toks = an.tokens(text);
/// let (l, m, r) = kwic_context(text, &toks, 2, 3, 1, false);
/// assert_eq!((l.as_str(), m.as_str(), r.as_str()), ("seek", "win-win cooperation", "with"));
/// ```
pub fn kwic_context(
    text: &str,
    toks: &[Token],
    i: usize,
    j: usize,
    w: usize,
    clip: bool,
) -> (String, String, String) {
    let n = toks.len();
    let mut lo = i.saturating_sub(w);
    let mut hi = (j + w).min(n - 1);
    if clip {
        while lo < i && toks[lo].sentence != toks[i].sentence {
            lo += 1;
        }
        while hi > j && toks[hi].sentence != toks[j].sentence {
            hi -= 1;
        }
    }
    let left = if lo == i {
        String::new()
    } else {
        collapse(&text[toks[lo].start..toks[i - 1].end])
    };
    let matched = collapse(&text[toks[i].start..toks[j].end]);
    let right = if hi == j {
        String::new()
    } else {
        collapse(&text[toks[j + 1].start..toks[hi].end])
    };
    (left, matched, right)
}

/// Every run of Unicode White_Space becomes one space.
///
/// The text between runs is copied a piece at a time, and only a
/// character whose first byte can begin white space (ASCII, or the lead
/// bytes 0xC2, 0xE1, 0xE2, 0xE3 of U+0085 … U+3000) is decoded: every
/// hit line's three pieces of context go through here.
pub fn collapse(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // `last`: where the text not yet copied starts.
    let (mut last, mut i, mut in_space) = (0, 0, false);
    while i < b.len() {
        let lead = b[i];
        let (len, space) = match lead {
            0..=0x7F => (1, lead == b' ' || (9..=13).contains(&lead)),
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let c = s[i..].chars().next().expect("a character starts here");
                (c.len_utf8(), c.is_whitespace())
            }
            0xC0..=0xDF => (2, false),
            0xE0..=0xEF => (3, false),
            _ => (4, false),
        };
        if space {
            if !in_space {
                out.push_str(&s[last..i]);
                out.push(' ');
                in_space = true;
            }
            last = i + len;
        } else {
            in_space = false;
        }
        i += len;
    }
    out.push_str(&s[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_unicode_space() {
        assert_eq!(collapse("a \u{a0}\n\t b\u{2003}c"), "a b c");
    }

    /// The same as every character tested and pushed one at a time, on
    /// text of every white space character, their neighbours in the
    /// same lead bytes, and multi-byte letters.
    #[test]
    fn collapse_is_the_per_character_rule() {
        let plain = |s: &str| {
            let mut out = String::new();
            let mut in_space = false;
            for c in s.chars() {
                if c.is_whitespace() {
                    if !in_space {
                        out.push(' ');
                    }
                    in_space = true;
                } else {
                    out.push(c);
                    in_space = false;
                }
            }
            out
        };
        let pieces: Vec<char> = (0..0x3001u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace() || matches!(*c as u32, 0x80..=0xBF | 0x2000..=0x2030))
            .chain([
                'a', 'é', '’', '中', '😀', 'ÿ', '\u{1680}', '\u{1681}', '\u{3000}',
            ])
            .collect();
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..20_000 {
            let mut s = String::new();
            for _ in 0..(x % 12) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push(pieces[(x % pieces.len() as u64) as usize]);
            }
            assert_eq!(collapse(&s), plain(&s), "{s:?}");
        }
    }

    #[test]
    fn windows_stop_at_document_edges() {
        let text = "one two three";
        let mut an = crate::text::Analyzer::english();
        let toks = an.tokens(text);
        assert_eq!(
            kwic_context(text, &toks, 0, 0, 5, false),
            ("".into(), "one".into(), "two three".into())
        );
        assert_eq!(
            kwic_context(text, &toks, 2, 2, 5, false),
            ("one two".into(), "three".into(), "".into())
        );
    }

    #[test]
    fn clipped_windows_stay_in_the_sentence() {
        let text = "Yes. One two three. No";
        let mut an = crate::text::Analyzer::english();
        let toks = an.tokens(text);
        assert_eq!(
            kwic_context(text, &toks, 2, 2, 5, true),
            ("One".into(), "two".into(), "three".into())
        );
        assert_eq!(
            kwic_context(text, &toks, 2, 2, 5, false),
            ("Yes. One".into(), "two".into(), "three. No".into())
        );
    }
}
