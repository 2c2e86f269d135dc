//! The frame matcher (CONTRACT.md §7): leftmost-longest, non-overlapping
//! hits within each frame, frames independent, never across a sentence,
//! with the negation flag.
//!
//! Patterns are indexed by their first test (norm, stem, glob or `*`), so
//! the work per token is a few hash lookups and the check of the patterns
//! that can start there, whatever the size of the lexicon. Glob results
//! are cached per distinct norm. One matcher per worker: it interns the
//! patterns' words in that worker's [`Analyzer`].

use rustc_hash::FxHashMap;

use super::{FrameSet, Glob, Test};
use crate::text::{Analyzer, Sym, Token};

/// Norms that negate a hit when they stand in the three tokens before it
/// in the same sentence (as does any norm ending in `n't`).
pub const NEGATORS: [&str; 11] = [
    "not", "no", "never", "nor", "neither", "without", "cannot", "none", "nobody", "nothing",
    "nowhere",
];

/// One hit of a frame in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// The flattened frame ([`FrameSet`] order).
    pub frame: u32,
    /// The pattern's position in its frame.
    pub pattern: u32,
    /// First token of the hit.
    pub start: u32,
    /// Last token of the hit (inclusive).
    pub end: u32,
    pub negated: bool,
}

impl Hit {
    /// The same hit found in tokens that start `k` tokens later (a part
    /// of a text matched alone), numbered in the text's tokens.
    pub fn after(self, k: usize) -> Hit {
        Hit {
            start: self.start + k as u32,
            end: self.end + k as u32,
            ..self
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Bound {
    Any,
    Norm(Sym),
    Stem(Sym),
    Glob(u32),
}

#[derive(Debug)]
struct Compiled {
    frame: u32,
    index: u32,
    tests: Vec<Bound>,
}

/// The patterns of a frame set bound to one worker's symbols.
pub struct FrameMatcher {
    n_frames: usize,
    patterns: Vec<Compiled>,
    by_norm: FxHashMap<Sym, Vec<u32>>,
    by_stem: FxHashMap<Sym, Vec<u32>>,
    any_first: Vec<u32>,
    globs: Vec<Glob>,
    /// Patterns whose first test is a glob, with that glob.
    glob_first: Vec<(u32, u32)>,
    /// norm → the patterns a token with that norm can start: by its
    /// norm, its stem (a function of the norm) or a first glob, in that
    /// order (indexed by symbol; `None` until first seen).
    first_cache: Vec<Option<Box<[u32]>>>,
    /// Bits by norm: its `first_cache` entry is made (`first_seen`), and
    /// is not empty (`first_some`). Most tokens start no pattern; these
    /// bits say so from a few hundred KB that stay in cache, where the
    /// entries (16 bytes a norm) would be a cache miss per rare word.
    first_seen: Vec<u64>,
    first_some: Vec<u64>,
    /// (glob, norm) → match.
    glob_cache: FxHashMap<(u32, Sym), bool>,
    negator_cache: FxHashMap<Sym, bool>,
    // Scratch, reused across documents.
    next_free: Vec<usize>,
    best: Vec<Option<(usize, u32)>>,
    touched: Vec<usize>,
    cands: Vec<u32>,
}

impl FrameMatcher {
    /// Bind the patterns of `frames` to the symbols of `an`.
    pub fn new(frames: &FrameSet, an: &mut Analyzer) -> FrameMatcher {
        let mut m = FrameMatcher {
            n_frames: frames.len(),
            patterns: Vec::new(),
            by_norm: FxHashMap::default(),
            by_stem: FxHashMap::default(),
            any_first: Vec::new(),
            globs: Vec::new(),
            glob_first: Vec::new(),
            first_cache: Vec::new(),
            first_seen: Vec::new(),
            first_some: Vec::new(),
            glob_cache: FxHashMap::default(),
            negator_cache: FxHashMap::default(),
            next_free: vec![0; frames.len()],
            best: vec![None; frames.len()],
            touched: Vec::new(),
            cands: Vec::new(),
        };
        let mut glob_ids: FxHashMap<Glob, u32> = FxHashMap::default();
        for fi in 0..frames.len() {
            let (_, frame) = frames.get(fi);
            for (pi, pat) in frame.patterns.iter().enumerate() {
                let tests: Vec<Bound> = pat
                    .tests
                    .iter()
                    .map(|t| match t {
                        Test::Any => Bound::Any,
                        Test::Norm(s) => Bound::Norm(an.intern(s)),
                        Test::Stem(s) => Bound::Stem(an.intern(s)),
                        Test::Glob(g) => {
                            let next = glob_ids.len() as u32;
                            let id = *glob_ids.entry(g.clone()).or_insert(next);
                            if id == next {
                                m.globs.push(g.clone());
                            }
                            Bound::Glob(id)
                        }
                    })
                    .collect();
                let id = m.patterns.len() as u32;
                match tests[0] {
                    Bound::Any => m.any_first.push(id),
                    Bound::Norm(s) => m.by_norm.entry(s).or_default().push(id),
                    Bound::Stem(s) => m.by_stem.entry(s).or_default().push(id),
                    Bound::Glob(g) => m.glob_first.push((g, id)),
                }
                m.patterns.push(Compiled {
                    frame: fi as u32,
                    index: pi as u32,
                    tests,
                });
            }
        }
        m
    }

    fn glob_matches(&mut self, an: &Analyzer, glob: u32, norm: Sym) -> bool {
        if let Some(&hit) = self.glob_cache.get(&(glob, norm)) {
            return hit;
        }
        let hit = self.globs[glob as usize].is_match(an.resolve(norm));
        self.glob_cache.insert((glob, norm), hit);
        hit
    }

    fn is_negator(&mut self, an: &Analyzer, norm: Sym) -> bool {
        *self.negator_cache.entry(norm).or_insert_with(|| {
            let s = an.resolve(norm);
            NEGATORS.contains(&s) || s.ends_with("n't")
        })
    }

    /// Every hit of every frame in a document's tokens, ordered by first
    /// token, then frame.
    pub fn find(&mut self, an: &Analyzer, toks: &[Token]) -> Vec<Hit> {
        let mut hits = Vec::new();
        self.find_into(an, toks, &mut hits);
        hits
    }

    /// [`FrameMatcher::find`] into a reused vector (cleared first).
    pub fn find_into(&mut self, an: &Analyzer, toks: &[Token], hits: &mut Vec<Hit>) {
        hits.clear();
        if self.n_frames == 0 {
            return;
        }
        self.next_free.iter_mut().for_each(|x| *x = 0);
        let mut cands = std::mem::take(&mut self.cands);
        for i in 0..toks.len() {
            let tok = toks[i];
            cands.clear();
            // The patterns a token can start depend on its norm alone (its
            // stem is the norm's stem): gathered once per norm, then one
            // array index per token.
            let ni = tok.norm as usize;
            let (word, bit) = (ni / 64, 1u64 << (ni % 64));
            if word >= self.first_seen.len() {
                let n = an.n_symbols().max(ni + 1).div_ceil(64);
                self.first_seen.resize(n, 0);
                self.first_some.resize(n, 0);
            }
            if self.first_seen[word] & bit != 0
                && self.first_some[word] & bit == 0
                && self.any_first.is_empty()
            {
                continue;
            }
            if ni >= self.first_cache.len() {
                self.first_cache.resize(an.n_symbols().max(ni + 1), None);
            }
            let (by_norm, by_stem, globs, glob_first) =
                (&self.by_norm, &self.by_stem, &self.globs, &self.glob_first);
            let list = self.first_cache[ni].get_or_insert_with(|| {
                let mut list = Vec::new();
                if let Some(ps) = by_norm.get(&tok.norm) {
                    list.extend_from_slice(ps);
                }
                if let Some(ps) = by_stem.get(&tok.stem) {
                    list.extend_from_slice(ps);
                }
                if !glob_first.is_empty() {
                    let text = an.resolve(tok.norm);
                    list.extend(
                        glob_first
                            .iter()
                            .filter(|(g, _)| globs[*g as usize].is_match(text))
                            .map(|(_, p)| *p),
                    );
                }
                list.into_boxed_slice()
            });
            self.first_seen[word] |= bit;
            if !list.is_empty() {
                self.first_some[word] |= bit;
            }
            cands.extend_from_slice(list);
            cands.extend_from_slice(&self.any_first);
            for &c in &cands {
                let (frame, index, k) = {
                    let p = &self.patterns[c as usize];
                    (p.frame as usize, p.index, p.tests.len())
                };
                if i < self.next_free[frame] || i + k > toks.len() {
                    continue;
                }
                if toks[i + k - 1].sentence != tok.sentence {
                    continue;
                }
                if let Some((len, idx)) = self.best[frame] {
                    if len > k || (len == k && idx < index) {
                        continue;
                    }
                }
                if self.matches_rest(an, c as usize, &toks[i..i + k]) {
                    if self.best[frame].is_none() {
                        self.touched.push(frame);
                    }
                    self.best[frame] = Some((k, index));
                }
            }
            if self.touched.is_empty() {
                continue;
            }
            self.touched.sort_unstable();
            for ti in 0..self.touched.len() {
                let frame = self.touched[ti];
                let (k, index) = self.best[frame].take().expect("touched frames have a best");
                let negated = (i.saturating_sub(3)..i)
                    .any(|j| toks[j].sentence == tok.sentence && self.is_negator(an, toks[j].norm));
                hits.push(Hit {
                    frame: frame as u32,
                    pattern: index,
                    start: i as u32,
                    end: (i + k - 1) as u32,
                    negated,
                });
                self.next_free[frame] = i + k;
            }
            self.touched.clear();
        }
        self.cands = cands;
    }

    /// Do tokens 1.. of `window` pass the tests 1.. of pattern `c`? (The
    /// first test passed by the index lookup.)
    fn matches_rest(&mut self, an: &Analyzer, c: usize, window: &[Token]) -> bool {
        for (j, t) in window.iter().enumerate().skip(1) {
            let ok = match self.patterns[c].tests[j] {
                Bound::Any => true,
                Bound::Norm(s) => t.norm == s,
                Bound::Stem(s) => t.stem == s,
                Bound::Glob(g) => self.glob_matches(an, g, t.norm),
            };
            if !ok {
                return false;
            }
        }
        true
    }
}

/// The contract's definition of matching (§7), written as plainly as
/// possible: for every frame, at every token, try every pattern. Its cost
/// grows with the lexicon; it exists to check [`FrameMatcher`] against in
/// tests and benchmarks.
pub fn find_naive(frames: &FrameSet, an: &Analyzer, toks: &[Token]) -> Vec<Hit> {
    let test_ok = |t: &Test, tok: &Token| match t {
        Test::Any => true,
        Test::Norm(s) => an.lookup(s) == Some(tok.norm),
        Test::Stem(s) => an.lookup(s) == Some(tok.stem),
        Test::Glob(g) => g.is_match(an.resolve(tok.norm)),
    };
    let mut hits = Vec::new();
    for fi in 0..frames.len() {
        let (_, frame) = frames.get(fi);
        let mut i = 0;
        while i < toks.len() {
            let mut best: Option<(usize, usize)> = None; // (len, pattern)
            for (pi, p) in frame.patterns.iter().enumerate() {
                let k = p.tests.len();
                let fits = i + k <= toks.len()
                    && toks[i..i + k]
                        .iter()
                        .all(|t| t.sentence == toks[i].sentence)
                    && p.tests
                        .iter()
                        .zip(&toks[i..i + k])
                        .all(|(t, tok)| test_ok(t, tok));
                if fits && best.is_none_or(|(len, _)| k > len) {
                    best = Some((k, pi));
                }
            }
            match best {
                Some((k, pi)) => {
                    let negated = (i.saturating_sub(3)..i).any(|j| {
                        let s = an.resolve(toks[j].norm);
                        toks[j].sentence == toks[i].sentence
                            && (NEGATORS.contains(&s) || s.ends_with("n't"))
                    });
                    hits.push(Hit {
                        frame: fi as u32,
                        pattern: pi as u32,
                        start: i as u32,
                        end: (i + k - 1) as u32,
                        negated,
                    });
                    i += k;
                }
                None => i += 1,
            }
        }
    }
    hits.sort_by_key(|h| (h.start, h.frame));
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{Frame, Lexicon, Pattern};

    fn frames(spec: &[(&str, &[&str])]) -> FrameSet {
        let frames = spec
            .iter()
            .map(|(id, pats)| Frame {
                id: id.to_string(),
                label: id.to_string(),
                description: String::new(),
                patterns: pats.iter().map(|p| Pattern::parse(p).unwrap()).collect(),
            })
            .collect();
        FrameSet::new(vec![Lexicon {
            id: "t".into(),
            name: "t".into(),
            version: String::new(),
            description: String::new(),
            language: "english".into(),
            frames,
            path: None,
        }])
    }

    /// (frame, pattern, start, end, negated) of each hit.
    fn hits(spec: &[(&str, &[&str])], text: &str) -> Vec<(u32, u32, u32, u32, bool)> {
        let fs = frames(spec);
        let mut an = Analyzer::english();
        let mut m = FrameMatcher::new(&fs, &mut an);
        let toks = an.tokens(text);
        m.find(&an, &toks)
            .into_iter()
            .map(|h| (h.frame, h.pattern, h.start, h.end, h.negated))
            .collect()
    }

    #[test]
    fn longest_wins_then_first_listed() {
        let spec: &[(&str, &[&str])] = &[("f", &["mutual", "mutual benefit", "mutual *"])];
        assert_eq!(
            hits(spec, "mutual benefit and mutual trust"),
            [(0, 1, 0, 1, false), (0, 2, 3, 4, false)]
        );
    }

    #[test]
    fn non_overlapping_within_a_frame_but_not_across() {
        let spec: &[(&str, &[&str])] = &[
            ("a", &["win-win cooperation"]),
            ("b", &["cooperation", "win-win"]),
        ];
        assert_eq!(
            hits(spec, "win-win cooperation"),
            [
                (0, 0, 0, 1, false),
                (1, 1, 0, 0, false),
                (1, 0, 1, 1, false)
            ]
        );
        let spec: &[(&str, &[&str])] = &[("a", &["a a"])];
        assert_eq!(
            hits(spec, "a a a a a"),
            [(0, 0, 0, 1, false), (0, 0, 2, 3, false)]
        );
    }

    #[test]
    fn never_across_a_sentence() {
        let spec: &[(&str, &[&str])] = &[("f", &["external interference"])];
        assert_eq!(hits(spec, "external. Interference"), []);
        assert_eq!(hits(spec, "External\ninterference"), [(0, 0, 0, 1, false)]);
        assert_eq!(hits(spec, "External\n\ninterference"), []);
    }

    #[test]
    fn stems_globs_and_possessives() {
        let spec: &[(&str, &[&str])] = &[("f", &["~cooperate", "multi*", "China's role"])];
        assert_eq!(
            hits(spec, "Cooperative multilateral China’s role"),
            [
                (0, 0, 0, 0, false),
                (0, 1, 1, 1, false),
                (0, 2, 2, 3, false)
            ]
        );
    }

    #[test]
    fn negation_looks_three_tokens_back_in_the_sentence() {
        let spec: &[(&str, &[&str])] = &[("f", &["interference"])];
        assert_eq!(hits(spec, "no external interference"), [(0, 0, 2, 2, true)]);
        assert_eq!(
            hits(spec, "doesn't allow any foreign interference"),
            [(0, 0, 4, 4, false)]
        );
        assert_eq!(
            hits(spec, "doesn't allow foreign interference"),
            [(0, 0, 3, 3, true)]
        );
        assert_eq!(hits(spec, "Not so. Interference"), [(0, 0, 2, 2, false)]);
        assert_eq!(hits(spec, "without interference"), [(0, 0, 1, 1, true)]);
    }
}
