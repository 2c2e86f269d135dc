//! Stopwords (CONTRACT.md §5): compared with `norm`, never removed from
//! the token stream; commands leave them out of tables only where asked.

use rustc_hash::FxHashSet;

/// The English list of the contract, embedded in the binary.
pub const ENGLISH: &str = include_str!("stopwords-en.txt");

/// A set of stopwords, compared with norms.
#[derive(Debug, Clone)]
pub struct StopWords {
    words: FxHashSet<String>,
}

impl StopWords {
    /// The embedded English list.
    ///
    /// ```
    /// let stop = framescope::text::StopWords::english();
    /// assert!(stop.contains("the"));
    /// assert!(!stop.contains("cooperation"));
    /// ```
    pub fn english() -> StopWords {
        StopWords::parse(ENGLISH)
    }

    /// One word a line; blank lines are ignored.
    pub fn parse(list: &str) -> StopWords {
        let words = list
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect();
        StopWords { words }
    }

    /// Is `norm` a stopword?
    pub fn contains(&self, norm: &str) -> bool {
        self.words.contains(norm)
    }

    /// The words, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(String::as_str)
    }

    /// The number of words in the list.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Is the list empty?
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_list_is_the_contract_list() {
        let stop = StopWords::english();
        assert_eq!(stop.len(), 174);
        for w in ["i", "the", "don't", "won't", "shouldn't"] {
            assert!(stop.contains(w), "{w}");
        }
    }
}
