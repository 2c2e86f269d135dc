//! The stem of a norm (CONTRACT.md §3): Snowball English (Porter2) as
//! rust-stemmers 1.2 implements it; norms holding a decimal digit are
//! left as they are.

use rust_stemmers::{Algorithm, Stemmer};

use super::tokenize::is_decimal_digit;

/// The stem of `norm`, uncached. [`super::Analyzer`] caches it per worker.
///
/// ```
/// assert_eq!(framescope::text::stem("cooperation"), "cooper");
/// assert_eq!(framescope::text::stem("covid-19"), "covid-19");
/// ```
pub fn stem(norm: &str) -> String {
    stem_with(&english(), norm)
}

/// The English stemmer of the contract.
pub(crate) fn english() -> Stemmer {
    Stemmer::create(Algorithm::English)
}

pub(crate) fn stem_with(stemmer: &Stemmer, norm: &str) -> String {
    if norm.chars().any(is_decimal_digit) {
        return norm.to_string();
    }
    stemmer.stem(norm).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porter2_as_in_rust_stemmers_1_2() {
        // Snowball 3.0 changed these; the contract keeps the old rules.
        for (word, want) in [
            ("cooperate", "cooper"),
            ("cooperation", "cooper"),
            ("interfering", "interf"),
            ("international", "intern"),
            ("organization", "organ"),
            ("mutually", "mutual"),
            ("1980s", "1980s"),
            ("v1.2.3", "v1.2.3"),
        ] {
            assert_eq!(stem(word), want, "{word}");
        }
    }
}
