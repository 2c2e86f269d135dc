//! The normal form `norm` of a token (CONTRACT.md §2).
//!
//! Pure string functions; they never look at a token's neighbours.

use unicode_normalization::UnicodeNormalization;

/// Steps 1–3 of §2: NFKC, apostrophes and hyphens mapped to ASCII, full
/// Unicode lowercase. Glob pieces of patterns are normalized this way.
///
/// ```
/// use framescope::text::fold;
/// assert_eq!(fold("China’s"), "china's");
/// assert_eq!(fold("ＡＢＣ"), "abc");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`] into a reused buffer (cleared first).
pub fn fold_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        // NFKC and the mappings leave ASCII alone.
        out.push_str(s);
        out.make_ascii_lowercase();
        return;
    }
    let mapped: String = s
        .nfkc()
        .map(|c| match c {
            '\u{2019}' | '\u{02BC}' => '\'',
            '\u{2010}' | '\u{2011}' => '-',
            c => c,
        })
        .collect();
    // str::to_lowercase is the full mapping, final sigma included.
    out.push_str(&mapped.to_lowercase());
}

/// The full §2 normal form: [`fold`], then drop a trailing `'s` when the
/// result is longer than two characters.
///
/// ```
/// use framescope::text::norm;
/// assert_eq!(norm("China’s"), "china");
/// assert_eq!(norm("It's"), "it");
/// assert_eq!(norm("doesn't"), "doesn't");
/// ```
pub fn norm(surface: &str) -> String {
    let mut out = String::new();
    norm_into(surface, &mut out);
    out
}

/// [`norm`] into a reused buffer (cleared first).
pub fn norm_into(surface: &str, out: &mut String) {
    fold_into(surface, out);
    if out.ends_with("'s") {
        // "'s" is two bytes; the rest must hold at least one character.
        if out.len() > 2 {
            out.truncate(out.len() - 2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! t {
        ($name:ident, $surface:expr, $want:expr) => {
            #[test]
            fn $name() {
                assert_eq!(norm($surface), $want);
            }
        };
    }

    t!(possessive_curly, "China’s", "china");
    t!(possessive_modifier_letter, "Chinaʼs", "china");
    t!(contraction_kept, "doesn't", "doesn't");
    t!(short_possessive, "it's", "it");
    t!(nonbreaking_hyphen, "win‑win", "win-win");
    t!(ligature, "ﬁnancial", "financial");
    t!(fullwidth, "ＡＢＣ", "abc");
    t!(greek_final_sigma, "ΟΔΟΣ", "οδος");
    t!(dotted_capital_i, "İstanbul", "i̇stanbul");
    t!(plain, "Cooperation", "cooperation");
}
