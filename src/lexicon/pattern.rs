//! Patterns (CONTRACT.md §6): lexicon entries and KWIC queries, turned
//! into a sequence of token tests. Parsing needs no corpus; the matcher
//! binds the tests to a worker's interned symbols.

use std::fmt;

use crate::text::{fold, norm, spans, stem};

/// One token test.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Test {
    /// `*`: any one token.
    Any,
    /// `~word`: the token's stem equals this stem.
    Stem(String),
    /// A piece holding `*`: a glob over the token's norm.
    Glob(Glob),
    /// Anything else: the token's norm equals this norm.
    Norm(String),
}

/// A parsed pattern: its source text and its tests, in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pattern {
    pub source: String,
    pub tests: Vec<Test>,
}

/// Why a pattern could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// No piece yields a token test (empty, or only punctuation).
    NoTests,
    /// A glob piece made only of `*`s (other than the lone `*`).
    EmptyGlob(String),
    /// `~` with no word after it.
    EmptyStem,
    /// `~word` where the word is not exactly one token.
    StemNotOneToken(String),
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatternError::NoTests => f.write_str(
                "yields no token test; give at least one word, `*`, `~word` \
                 or glob",
            ),
            PatternError::EmptyGlob(p) => write!(
                f,
                "the glob {p:?} has only `*`s; use a lone `*` for any one \
                 token, or add letters"
            ),
            PatternError::EmptyStem => {
                f.write_str("`~` has no word; write `~word`, e.g. `~cooperate`")
            }
            PatternError::StemNotOneToken(w) => write!(
                f,
                "`~{w}` is not one word; `~` takes a single word (use \
                 several pieces for a phrase)"
            ),
        }
    }
}

impl Pattern {
    /// Parse a pattern.
    ///
    /// ```
    /// use framescope::lexicon::{Pattern, Test};
    /// let p = Pattern::parse("U.S.-China ~cooperate *").unwrap();
    /// assert_eq!(p.tests, [
    ///     Test::Norm("u.s".into()),
    ///     Test::Norm("china".into()),
    ///     Test::Stem("cooper".into()),
    ///     Test::Any,
    /// ]);
    /// ```
    pub fn parse(source: &str) -> Result<Pattern, PatternError> {
        let mut tests = Vec::new();
        for piece in source.split_whitespace() {
            if piece == "*" {
                tests.push(Test::Any);
            } else if let Some(word) = piece.strip_prefix('~') {
                let toks: Vec<_> = spans(word).collect();
                match toks.as_slice() {
                    [] if word.is_empty() => return Err(PatternError::EmptyStem),
                    [(s, e)] => tests.push(Test::Stem(stem(&norm(&word[*s..*e])))),
                    _ => return Err(PatternError::StemNotOneToken(word.to_string())),
                }
            } else if piece.contains('*') {
                if piece.chars().all(|c| c == '*') {
                    return Err(PatternError::EmptyGlob(piece.to_string()));
                }
                tests.push(Test::Glob(Glob::new(&fold(piece))));
            } else {
                for (s, e) in spans(piece) {
                    tests.push(Test::Norm(norm(&piece[s..e])));
                }
            }
        }
        if tests.is_empty() {
            return Err(PatternError::NoTests);
        }
        Ok(Pattern {
            source: source.to_string(),
            tests,
        })
    }

    /// The number of tokens a match covers.
    pub fn len(&self) -> usize {
        self.tests.len()
    }

    /// Never true for a parsed pattern.
    pub fn is_empty(&self) -> bool {
        self.tests.is_empty()
    }
}

/// A glob over norms: `*` is any run of characters, all else literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Glob {
    /// The literal parts between the `*`s (first and last may be empty).
    parts: Vec<String>,
    source: String,
}

impl Glob {
    /// A glob from an already folded piece.
    pub fn new(folded: &str) -> Glob {
        Glob {
            parts: folded.split('*').map(str::to_string).collect(),
            source: folded.to_string(),
        }
    }

    /// The folded source of the glob.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Does the whole of `s` match?
    ///
    /// ```
    /// use framescope::lexicon::Glob;
    /// let g = Glob::new("cooperat*");
    /// assert!(g.is_match("cooperation") && g.is_match("cooperat"));
    /// assert!(g.is_match("cooperate") && !g.is_match("coop"));
    /// assert!(Glob::new("*lateral").is_match("multilateral"));
    /// ```
    pub fn is_match(&self, s: &str) -> bool {
        let parts = &self.parts;
        // There is at least one `*`, so at least two parts.
        let (first, last) = (&parts[0], &parts[parts.len() - 1]);
        if s.len() < first.len() + last.len()
            || !s.starts_with(first.as_str())
            || !s.ends_with(last.as_str())
        {
            return false;
        }
        let mut rest = &s[first.len()..s.len() - last.len()];
        for mid in &parts[1..parts.len() - 1] {
            match rest.find(mid.as_str()) {
                Some(i) => rest = &rest[i + mid.len()..],
                None => return false,
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tests_of(p: &str) -> Vec<Test> {
        Pattern::parse(p).unwrap().tests
    }

    #[test]
    fn literal_pieces_follow_the_text_contract() {
        let n = |s: &str| Test::Norm(s.into());
        assert_eq!(tests_of("China's"), [n("china")]);
        assert_eq!(tests_of("China’s"), [n("china")]);
        assert_eq!(tests_of("win-win"), [n("win-win")]);
        assert_eq!(tests_of("U.S.-China"), [n("u.s"), n("china")]);
        assert_eq!(tests_of("  mutual   benefit "), [n("mutual"), n("benefit")]);
        assert_eq!(
            tests_of("Belt — and Road"),
            [n("belt"), n("and"), n("road")]
        );
    }

    #[test]
    fn stems_globs_and_gaps() {
        assert_eq!(tests_of("~cooperation"), [Test::Stem("cooper".into())]);
        assert_eq!(tests_of("~China’s"), [Test::Stem("china".into())]);
        assert_eq!(tests_of("COOPERAT*"), [Test::Glob(Glob::new("cooperat*"))]);
        assert_eq!(tests_of("zero *"), [Test::Norm("zero".into()), Test::Any]);
    }

    #[test]
    fn errors() {
        assert_eq!(Pattern::parse(""), Err(PatternError::NoTests));
        assert_eq!(Pattern::parse(" — , "), Err(PatternError::NoTests));
        assert_eq!(
            Pattern::parse("a **"),
            Err(PatternError::EmptyGlob("**".into()))
        );
        assert_eq!(Pattern::parse("~"), Err(PatternError::EmptyStem));
        assert_eq!(
            Pattern::parse("~a,b"),
            Err(PatternError::StemNotOneToken("a,b".into()))
        );
    }

    #[test]
    fn globs() {
        let g = Glob::new("*a*b*");
        assert!(g.is_match("ab") && g.is_match("xaxbx"));
        assert!(!g.is_match("ba"));
        let g = Glob::new("ab*ba");
        assert!(g.is_match("abba") && g.is_match("ab-ba"));
        assert!(!g.is_match("aba"));
    }
}
