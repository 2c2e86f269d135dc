//! The text contract (CONTRACT.md §1–5): tokens with byte offsets, their
//! norm, stem and sentence, and stopwords.
//!
//! [`Analyzer`] is the fixed pipeline. It interns every norm and stem as a
//! [`Sym`] so that counting and matching compare integers, and caches each
//! word's stem: one `Analyzer` per worker thread. This module takes `&str`
//! and returns tokens; it never counts or matches.

mod interner;
pub(crate) use interner::Interner;
mod normalize;
mod stem;
mod stopwords;
mod surface;
mod tokenize;

pub use normalize::{fold, fold_into, norm, norm_into};
pub use stem::stem;
pub use stopwords::StopWords;
pub use tokenize::{
    gap_breaks_sentence, is_decimal_digit, is_ideograph, is_word_char, spans, Spans, ABBREVIATIONS,
};

/// An interned string (a norm or a stem) of one [`Analyzer`].
pub type Sym = u32;

/// One token of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// 0-based sentence number (§4).
    pub sentence: u32,
    /// The interned norm (§2).
    pub norm: Sym,
    /// The interned stem (§3).
    pub stem: Sym,
}

const NO_STEM: Sym = Sym::MAX;

/// Run `$body` on each token span `($start, $end)` of `$text` from byte
/// `$from` up to byte `$end_at`, in order, with its entry `$e` in the
/// surface cache of analyzer `$an`; a surface not cached yet is cached
/// with its stem if `$stem`. A macro, not a method taking a
/// closure: the body's variables stay in registers across the loop.
///
/// Spans are found a chunk ahead of their lookups, and each one's slot
/// in the surface cache is prefetched as it is found: on a large
/// vocabulary the cache's memory latency, not the splitting, is what a
/// token costs, and this way the misses of a chunk overlap. A chunk is
/// 32 spans: `perf record` found about 9 % fewer samples in
/// `norms_until` (`freq`) and `tokens_until` (`run`) than with 16, on
/// 200 MB at 1 thread; 64 did no better than 32.
macro_rules! for_each_surface {
    ($an:expr, $stem:expr, $text:expr, $from:expr, $end_at:expr, |$start:ident, $end:ident, $e:ident| $body:expr) => {{
        const CHUNK: usize = 32;
        let text: &str = $text;
        let bytes = text.as_bytes();
        let mut spans = tokenize::Spans::from(&text[..$end_at], $from);
        let mut chunk = [surface::Probe::default(); CHUNK];
        loop {
            let mut n = 0;
            while n < CHUNK {
                let Some((start, end)) = spans.next() else { break };
                chunk[n] = $an.surfaces.probe(bytes, start, end);
                n += 1;
            }
            for p in &chunk[..n] {
                let ($start, $end) = p.span();
                let $e = match $an.surfaces.get_probed(bytes, p) {
                    Some(e) => e,
                    None => $an.new_surface(&text[$start..$end], $stem),
                };
                $body;
            }
            if n < CHUNK {
                break;
            }
        }
    }};
}

/// A text tokenized a part at a time, each part about `seg` bytes long
/// and ending where a sentence does, so that a long text's tokens are
/// never held whole: matches and n-grams lie in one sentence, so those
/// of a part are the text's that start in it.
///
/// Each part comes with `context` tokens of the text before and after
/// it (fewer at the text's edges) for KWIC windows and neighbours; with
/// `whole_sentences`, the context before it starts where a sentence
/// does, so that matches in it are the text's too.
///
/// ```
/// use framescope::text::{Analyzer, Parts};
/// let text = "One two. Three four five. Six! Seven eight.";
/// let mut an = Analyzer::english();
/// let whole = an.tokens(text);
/// let (mut parts, mut toks) = (Parts::new(10, 1, false), Vec::new());
/// let mut seen = Vec::new();
/// while let Some((core, base)) = parts.next(&mut an, text, &mut toks) {
///     assert!(core.start <= 1 && toks[core.start].start == whole[base + core.start].start);
///     seen.extend_from_slice(&toks[core]);
/// }
/// assert_eq!(seen, whole);
/// ```
#[derive(Debug, Clone)]
pub struct Parts {
    seg: usize,
    context: usize,
    whole_sentences: bool,
    at: Resume,
    /// The text's index of the first token held.
    base: usize,
    /// The end of the part handed out last (`None`: none yet).
    cut: Option<usize>,
    done: bool,
}

impl Parts {
    pub fn new(seg: usize, context: usize, whole_sentences: bool) -> Parts {
        Parts {
            seg: seg.max(1),
            context,
            whole_sentences,
            at: Resume::default(),
            base: 0,
            cut: None,
            done: false,
        }
    }

    /// The next part of `text` into `toks` (the same vector each time,
    /// as this method left it): `toks[core]` are the part's tokens, the
    /// rest context, and `base` is the text's index of `toks[0]`.
    pub fn next(
        &mut self,
        an: &mut Analyzer,
        text: &str,
        toks: &mut Vec<Token>,
    ) -> Option<(std::ops::Range<usize>, usize)> {
        if self.done {
            return None;
        }
        match self.cut {
            None => toks.clear(),
            Some(cut) => {
                // The next part starts at the sentence after the cut; the
                // tokens read past it are read again now.
                self.at = an.resume_at(text, toks, cut);
                let mut drop = cut - self.context.min(cut);
                while self.whole_sentences
                    && drop > 0
                    && toks[drop].sentence == toks[drop - 1].sentence
                {
                    drop -= 1;
                }
                toks.truncate(cut);
                toks.drain(..drop);
                self.base += drop;
            }
        }
        let ctx = toks.len();
        loop {
            let end = segment_end(text, self.at.pos, self.seg);
            let (len0, at0) = (toks.len(), self.at);
            an.tokens_until(text, end, &mut self.at, toks);
            let cut = if end == text.len() {
                Some(toks.len())
            } else {
                sentence_cut(toks, ctx, self.context)
            };
            match cut {
                Some(cut) => {
                    self.done = end == text.len();
                    self.cut = Some(cut);
                    return Some((ctx..cut, self.base));
                }
                None => {
                    // No sentence ends in this much text: read more.
                    toks.truncate(len0);
                    self.at = at0;
                    self.seg = self.seg.saturating_mul(2);
                }
            }
        }
    }
}

/// Where the part of `text` from `from` on that is about `seg` bytes
/// long ends: the first ASCII white space at or after `from + seg` (no
/// token holds one), or the end of the text.
pub(crate) fn segment_end(text: &str, from: usize, seg: usize) -> usize {
    let b = text.as_bytes();
    match from.checked_add(seg).filter(|&s| s < b.len()) {
        Some(s) => b[s..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(b.len(), |i| s + i),
        None => b.len(),
    }
}

/// The last token of `toks` after `ctx` that starts a sentence and has
/// `context` tokens after it (at least one: where reading goes on), or
/// `None`.
fn sentence_cut(toks: &[Token], ctx: usize, context: usize) -> Option<usize> {
    let hi = toks.len().checked_sub(context.max(1))?;
    (ctx + 1..=hi)
        .rev()
        .find(|&k| toks[k].sentence != toks[k - 1].sentence)
}

/// Where [`Analyzer::tokens_until`] stopped reading a text: the byte to
/// go on from, and what the next token's sentence depends on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Resume {
    /// Byte offset to go on from.
    pub pos: usize,
    sentence: u32,
    /// End of the token before, and whether a `.` after it is excused
    /// from ending the sentence (CONTRACT §4).
    prev: Option<(usize, bool)>,
}

/// The first 8 bytes of a text as a big-endian number, zeros after a
/// shorter one. When two texts' numbers differ, the texts compare as the
/// numbers do (a text padded with zeros is a prefix of the other, which
/// sorts after it); when they are equal, the texts must be compared.
///
/// ```
/// use framescope::text::text_prefix;
/// assert!(text_prefix("win") < text_prefix("win-win"));
/// assert!(text_prefix("cooperation") == text_prefix("cooperative"));
/// ```
pub fn text_prefix(s: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = s.len().min(8);
    b[..n].copy_from_slice(&s.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// A hash of a text that any analyzer computes alike (whatever its
/// symbols): what sorts n-grams of different workers into the same
/// parts when counts are spilled to disk.
pub(crate) fn text_hash(s: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(s)
}

/// Facts about an interned string, computed once.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    abbreviation: bool,
    /// Seen as the norm of a token (not only as a stem).
    norm: bool,
}

/// The fixed text pipeline of the contract with its interner and caches.
///
/// ```
/// let mut an = framescope::text::Analyzer::english();
/// let toks = an.tokens("China’s role. Win-win cooperation!");
/// assert_eq!(toks.len(), 4);
/// assert_eq!(an.resolve(toks[0].norm), "china");
/// assert_eq!(an.resolve(toks[3].stem), "cooper");
/// assert_eq!(toks[2].sentence, 1);
/// ```
pub struct Analyzer {
    /// Each symbol's text and its [`text_hash`].
    strings: Interner,
    flags: Vec<Flags>,
    stems: Vec<Sym>,
    /// Each symbol's [`text_prefix`].
    prefixes: Vec<u64>,
    /// Symbols below this are the stopwords (interned first).
    n_stop: usize,
    stop: StopWords,
    stemmer: rust_stemmers::Stemmer,
    buf: String,
    /// Surface → norm, stem, sentence flag: a word seen before is one
    /// table probe.
    surfaces: surface::SurfaceTable,
    /// Some surfaces are cached without their stem (by
    /// [`Analyzer::norms_until`], which needs none: stemming is most of
    /// what learning a word costs).
    unstemmed: bool,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::english()
    }
}

impl Analyzer {
    /// The English pipeline with the contract's stopword list.
    pub fn english() -> Analyzer {
        Analyzer::with_stopwords(StopWords::english())
    }

    /// The English pipeline with another stopword list.
    pub fn with_stopwords(stop: StopWords) -> Analyzer {
        let mut words: Vec<String> = stop.iter().map(str::to_string).collect();
        words.sort_unstable();
        let mut an = Analyzer {
            strings: Interner::default(),
            flags: Vec::new(),
            stems: Vec::new(),
            prefixes: Vec::new(),
            n_stop: 0,
            stop,
            stemmer: stem::english(),
            buf: String::new(),
            surfaces: surface::SurfaceTable::default(),
            unstemmed: false,
        };
        // The stopwords take the first symbols, so that asking whether a
        // symbol is one compares it with their number: no lookup, no
        // cache miss per token in the counting loops.
        for w in &words {
            an.intern(w);
        }
        an.n_stop = an.strings.len();
        an
    }

    /// The tokens of `text`, in order.
    pub fn tokens(&mut self, text: &str) -> Vec<Token> {
        let mut toks = Vec::new();
        self.tokens_into(text, &mut toks);
        toks
    }

    /// The tokens of `text` into a reused vector (cleared first).
    pub fn tokens_into(&mut self, text: &str, toks: &mut Vec<Token>) {
        toks.clear();
        self.tokens_until(text, text.len(), &mut Resume::default(), toks);
    }

    /// Append to `toks` the tokens of `text` from `at` up to byte `end`,
    /// and leave `at` where they stop. `end` must be the end of the text
    /// or the offset of an ASCII white space byte, which no token holds
    /// and no token's end depends on: the tokens are then exactly those
    /// of the whole text, and a long text can be read a part at a time
    /// (see [`Analyzer::resume_at`]).
    ///
    /// ```
    /// use framescope::text::{Analyzer, Resume};
    /// let text = "The U.S. way. Win-win cooperation!\n\nA new era";
    /// let mut an = Analyzer::english();
    /// let whole = an.tokens(text);
    /// // Read up to the space before "cooperation", then on from "Win-win".
    /// let (mut part, mut at) = (Vec::new(), Resume::default());
    /// an.tokens_until(text, text.find(" coop").unwrap(), &mut at, &mut part);
    /// assert_eq!(part, whole[..4]);
    /// let mut at = an.resume_at(text, &part, 3);
    /// part.truncate(3);
    /// an.tokens_until(text, text.len(), &mut at, &mut part);
    /// assert_eq!(part, whole);
    /// ```
    pub fn tokens_until(&mut self, text: &str, end: usize, at: &mut Resume, toks: &mut Vec<Token>) {
        let bytes = text.as_bytes();
        debug_assert!(end == text.len() || bytes[end].is_ascii_whitespace());
        // Room for the tokens of English text (5 to 6 bytes a token) at
        // once: a vector grown by doubling holds its old and new buffers
        // together. Pages never written are never resident.
        toks.reserve(end.saturating_sub(at.pos) / 4);
        let mut sentence = at.sentence;
        let mut prev = at.prev;
        if self.unstemmed {
            self.stem_surfaces();
        }
        for_each_surface!(self, true, text, at.pos, end, |start, end, e| {
            if let Some((prev_end, excused)) = prev {
                if prev_end != start - 1 || bytes[prev_end] != b' ' {
                    let gap = &text[prev_end..start];
                    if gap_breaks_sentence(gap, excused) {
                        sentence += 1;
                    }
                }
            }
            prev = Some((end, e.excused));
            toks.push(Token {
                start,
                end,
                sentence,
                norm: e.norm,
                stem: e.stem,
            });
        });
        *at = Resume {
            pos: end,
            sentence,
            prev,
        };
    }

    /// The norms of the tokens of `text` from byte `from` up to byte
    /// `end`, appended to `norms`: [`Analyzer::tokens_until`] for a
    /// count of norms alone, without offsets, stems or sentences. `from`
    /// and `end` are as there: the start or end of the text, or an ASCII
    /// white space byte.
    ///
    /// ```
    /// use framescope::text::Analyzer;
    /// let text = "The U.S. way. Win-win cooperation!";
    /// let mut an = Analyzer::english();
    /// let want: Vec<_> = an.tokens(text).iter().map(|t| t.norm).collect();
    /// let mut norms = Vec::new();
    /// let cut = text.find(" Win").unwrap();
    /// an.norms_until(text, 0, cut, &mut norms);
    /// an.norms_until(text, cut, text.len(), &mut norms);
    /// assert_eq!(norms, want);
    /// ```
    pub fn norms_until(&mut self, text: &str, from: usize, end: usize, norms: &mut Vec<Sym>) {
        debug_assert!(end == text.len() || text.as_bytes()[end].is_ascii_whitespace());
        norms.reserve(end.saturating_sub(from) / 4);
        for_each_surface!(self, false, text, from, end, |_start, _end, e| {
            norms.push(e.norm)
        });
    }

    /// Where to go on reading `text` (with [`Analyzer::tokens_until`])
    /// so that the next token is `toks[k]`, the tokens before it being
    /// `toks[..k]`.
    pub fn resume_at(&self, text: &str, toks: &[Token], k: usize) -> Resume {
        let Some(before) = k.checked_sub(1).map(|i| toks[i]) else {
            return Resume {
                pos: toks.first().map_or(0, |t| t.start),
                ..Resume::default()
            };
        };
        Resume {
            pos: toks.get(k).map_or(before.end, |t| t.start),
            sentence: before.sentence,
            prev: Some((
                before.end,
                self.excused(&text[before.start..before.end], before.norm),
            )),
        }
    }

    /// Whether a `.` right after a token of this surface and norm does
    /// not end the sentence (CONTRACT §4: `U.S.`, `Mr.`).
    fn excused(&self, surface: &str, norm: Sym) -> bool {
        surface.contains('.') || self.flags[norm as usize].abbreviation
    }

    /// Normalize and intern a surface not seen before, and cache it;
    /// stem it too if `stem`, or if its norm's stem is known.
    #[cold]
    fn new_surface(&mut self, surface: &str, stem: bool) -> surface::Entry {
        let mut buf = std::mem::take(&mut self.buf);
        norm_into(surface, &mut buf);
        let norm = self.intern(&buf);
        self.buf = buf;
        self.flags[norm as usize].norm = true;
        let stem = if stem {
            self.stem_of(norm)
        } else {
            let known = self.stems[norm as usize];
            self.unstemmed |= known == NO_STEM;
            known
        };
        let e = surface::Entry {
            norm,
            stem,
            excused: self.excused(surface, norm),
        };
        self.surfaces.insert(surface.as_bytes(), e);
        e
    }

    /// Stem the surfaces [`Analyzer::norms_until`] cached without their
    /// stem: tokens read from the cache then have theirs.
    #[cold]
    fn stem_surfaces(&mut self) {
        let mut surfaces = std::mem::take(&mut self.surfaces);
        surfaces.fill_stems(|norm, stem| match stem {
            NO_STEM => self.stem_of(norm),
            _ => stem,
        });
        self.surfaces = surfaces;
        self.unstemmed = false;
    }

    /// The symbol of `s`, interning it if new.
    pub fn intern(&mut self, s: &str) -> Sym {
        let (sym, new) = self.strings.intern(s);
        if new {
            self.flags.push(Flags {
                abbreviation: ABBREVIATIONS.contains(&s),
                norm: false,
            });
            self.stems.push(NO_STEM);
            self.prefixes.push(text_prefix(s));
        }
        sym
    }

    /// The symbol of `s` if it was interned.
    pub fn lookup(&self, s: &str) -> Option<Sym> {
        self.strings.get(s)
    }

    /// The symbol of `s`, whose [`text_hash`] is `h` (another analyzer's
    /// [`Analyzer::text_hash`] of it), if it was interned.
    pub(crate) fn lookup_hashed(&self, s: &str, h: u64) -> Option<Sym> {
        self.strings.get_hashed(s, h)
    }

    /// The string of a symbol.
    pub fn resolve(&self, sym: Sym) -> &str {
        self.strings.resolve(sym)
    }

    /// The stem of an interned norm, computed once per distinct norm.
    pub fn stem_of(&mut self, norm: Sym) -> Sym {
        let cached = self.stems[norm as usize];
        if cached != NO_STEM {
            return cached;
        }
        let s = stem::stem_with(&self.stemmer, self.strings.resolve(norm));
        let sym = self.intern(&s);
        self.stems[norm as usize] = sym;
        sym
    }

    /// The [`text_prefix`] of a symbol's text, kept beside it: ranking
    /// by text reads the text only when two prefixes are equal.
    pub fn prefix(&self, sym: Sym) -> u64 {
        self.prefixes[sym as usize]
    }

    /// Ask for a symbol's prefix and for the line that says where its
    /// text lies, ahead of [`Self::prefix`] and [`Self::resolve`]: a
    /// document's table reads both for each of its words, each a cache
    /// miss for a rare one.
    #[inline(always)]
    pub(crate) fn prefetch_prefix(&self, sym: Sym) {
        if let Some(p) = self.prefixes.get(sym as usize) {
            crate::mem::prefetch(p);
        }
        self.strings.prefetch_end(sym);
    }

    /// Ask for the first line of a symbol's text, ahead of
    /// [`Self::resolve`] (best after [`Self::prefetch_prefix`]).
    #[inline(always)]
    pub(crate) fn prefetch_text(&self, sym: Sym) {
        self.strings.prefetch_text(sym);
    }

    /// The [`text_hash`] of a symbol's text: the same for the same text
    /// in every analyzer.
    pub(crate) fn text_hash(&self, sym: Sym) -> u64 {
        self.strings.hash(sym)
    }

    /// Is this interned norm a stopword?
    pub fn is_stopword(&self, norm: Sym) -> bool {
        (norm as usize) < self.n_stop
    }

    /// Has this symbol been the norm of a token?
    pub fn is_norm(&self, sym: Sym) -> bool {
        self.flags[sym as usize].norm
    }

    /// The stopword list in use.
    pub fn stopwords(&self) -> &StopWords {
        &self.stop
    }

    /// Forget the surfaces seen (the cache that spares a known word its
    /// normalization), keeping every symbol: for an analyzer done reading,
    /// whose vocabulary is still looked up. A corpus of 2.4 M distinct
    /// words held 128 MiB of surfaces in each worker after its pass.
    pub fn forget_surfaces(&mut self) {
        self.surfaces = surface::SurfaceTable::default();
        self.unstemmed = false;
    }

    /// Bytes its vocabulary holds: the symbols' texts and facts, and the
    /// surfaces seen.
    pub fn heap_bytes(&self) -> usize {
        self.strings.heap_bytes()
            + self.flags.capacity() * std::mem::size_of::<Flags>()
            + self.stems.capacity() * 4
            + self.prefixes.capacity() * 8
            + self.surfaces.heap_bytes()
    }

    /// The number of distinct strings interned so far.
    pub fn n_symbols(&self) -> usize {
        self.strings.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What an analyzer says its vocabulary holds grows with the words it
    /// reads: at least their texts, once as symbols and once as the
    /// surfaces seen (these are longer than a surface slot holds).
    #[test]
    fn the_vocabulary_bytes_grow_with_the_words_read() {
        let mut an = Analyzer::english();
        let before = an.heap_bytes();
        let text: Vec<String> = (0..1000)
            .map(|i| format!("{}{i}", "w".repeat(200)))
            .collect();
        let toks = an.tokens(&text.join(" "));
        assert_eq!(toks.len(), 1000);
        assert!(
            an.heap_bytes() >= before + 2 * 1000 * 200,
            "{before} → {}",
            an.heap_bytes()
        );
    }

    /// An analyzer that forgets its surfaces gives back their memory and
    /// keeps every symbol: the same words read again get the same norms,
    /// stems and sentences (the cache only spared them their work).
    #[test]
    fn forgetting_surfaces_keeps_the_symbols() {
        let mut an = Analyzer::english();
        let words: Vec<String> = (0..20_000).map(|i| format!("Word{i}. mr. x")).collect();
        let text = words.join(" ");
        let first = an.tokens(&text);
        let (symbols, held) = (an.n_symbols(), an.heap_bytes());
        an.forget_surfaces();
        assert!(
            an.heap_bytes() + 20_000 * 32 <= held,
            "{held} → {}",
            an.heap_bytes()
        );
        assert_eq!(an.tokens(&text), first);
        assert_eq!(an.n_symbols(), symbols);
    }

    /// Norms read first cache their surfaces without stems; tokens read
    /// after them, from the cache, still have their stems, and a norm is
    /// the same either way.
    #[test]
    fn tokens_after_norms_have_their_stems() {
        let text = "Cooperating nations cooperate; the Cooperation of nations, \
                    reformulated and REFORMULATED plans of long-established \
                    internationalizations, internationalization's limits.";
        let texts = |an: &Analyzer, toks: &[Token]| -> Vec<(String, String)> {
            toks.iter()
                .map(|t| {
                    (
                        an.resolve(t.norm).to_string(),
                        an.resolve(t.stem).to_string(),
                    )
                })
                .collect()
        };
        let mut fresh = Analyzer::english();
        let want = fresh.tokens(text);
        let want = texts(&fresh, &want);
        let mut an = Analyzer::english();
        let mut norms = Vec::new();
        an.norms_until(text, 0, text.len(), &mut norms);
        assert!(an.unstemmed);
        let norms: Vec<_> = norms.iter().map(|&n| an.resolve(n).to_string()).collect();
        assert_eq!(norms, want.iter().map(|w| w.0.clone()).collect::<Vec<_>>());
        let got = an.tokens(text);
        assert_eq!(texts(&an, &got), want);
        assert!(!an.unstemmed);
    }

    #[test]
    fn abbreviation_keeps_sentence() {
        let mut an = Analyzer::english();
        let toks = an.tokens("Mr. Smith came. Dr. Jones left.");
        let sents: Vec<u32> = toks.iter().map(|t| t.sentence).collect();
        assert_eq!(sents, [0, 0, 0, 1, 1, 1]);
    }

    #[test]
    fn stems_are_cached_per_norm() {
        let mut an = Analyzer::english();
        let a = an.tokens("cooperation Cooperation");
        assert_eq!(a[0].norm, a[1].norm);
        assert_eq!(a[0].stem, a[1].stem);
        assert_eq!(an.resolve(a[0].stem), "cooper");
    }
}
