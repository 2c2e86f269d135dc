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
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_unicode_space() {
        assert_eq!(collapse("a \u{a0}\n\t b\u{2003}c"), "a b c");
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
