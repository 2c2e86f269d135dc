//! The one parallel pass over a corpus.
//!
//! Documents are read in order, in batches, while the previous batch is
//! tokenized and counted on the rayon pool. Each worker thread keeps its
//! own [`Analyzer`] (interner and stem cache) and its own symbol-keyed
//! counts; a document's text is dropped as soon as it has been counted.
//! At the end the workers' counts are merged by term text. Sums commute
//! and per-document results are stored by document index, so the output
//! is the same whatever the thread count. This module never formats or
//! writes anything.

mod concordance;
mod counts;
mod doccounts;
mod docs;
mod grammap;
mod kwic;
mod marks;
mod pass;
mod spill;

use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use sha2::{Digest, Sha256};

pub use concordance::{
    concordance, concordance_with, Concordance, KwicLine, KwicQuery, SortKey, TakeLines,
};
pub(crate) use counts::Texts;
pub use counts::{Counts, Gram, KeyedRows, TermCount, MAX_NGRAM};
pub use doccounts::DocCounts;
pub use docs::{Doc, Docs, DocsIter, MetaRef};
pub use kwic::{collapse, kwic_context};
pub use marks::RESOLUTION as MARK_RESOLUTION;

use crate::corpus::{Corpus, Document, Fields, Meta};
use crate::error::{Error, Result};
use crate::lexicon::{FrameMatcher, FrameSet, Hit};
use crate::stats::{self, GroupFrequency};
use crate::text::{text_prefix, Analyzer, Parts, Sym, Token};
use counts::{SymCounts, Vocab};

/// What a term is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unit {
    /// The token's norm (CONTRACT §2).
    #[default]
    Norm,
    /// The token's stem (CONTRACT §3).
    Stem,
}

/// How documents are grouped for a table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum By {
    /// One group per document, named by its id.
    #[default]
    Doc,
    /// One group, `corpus`.
    Corpus,
    /// One group per value of a metadata field (or `year`), in
    /// [`crate::stats::group_order`] (years by date).
    Field(String),
}

impl By {
    /// Parse a `--by` value: `doc`, `corpus`, or a field name.
    pub fn parse(s: &str) -> By {
        match s {
            "doc" | "document" | "id" | "doc_id" => By::Doc,
            "corpus" => By::Corpus,
            f => By::Field(f.to_string()),
        }
    }
}

/// One frequency table to count during the pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSpec {
    /// Tokens per term: 1 for words, 2 for bigrams, … (at most
    /// [`MAX_NGRAM`]). An n-gram never crosses a sentence.
    pub n: usize,
    /// Norms or stems.
    pub unit: Unit,
    /// Leave out stopwords (unigrams), or n-grams beginning or ending
    /// with one; judged by the tokens' norms.
    pub drop_stopwords: bool,
    /// Grouping.
    pub by: By,
    /// Keep terms with at least this count in their group.
    pub min_count: u64,
    /// Keep the first `top` terms of each group.
    pub top: Option<usize>,
    /// Keep the rows as keys, their texts made only when read: the
    /// table's groups in [`CorpusAnalysis::tables`] have no terms, and
    /// their rows are in [`CorpusAnalysis::keyed`]. For tables of
    /// millions of n-grams, which would each be a string otherwise. Not
    /// for tables grouped by document.
    pub keyed: bool,
}

impl TableSpec {
    /// Counted during the pass in a hash table of n-grams (which may
    /// spill, see [`Plan::table_memory`]): any table but one grouped by
    /// document or a corpus-wide table of norms (counted by symbol).
    fn hashed(&self) -> bool {
        self.by != By::Doc && !self.dense()
    }

    /// A corpus-wide table of norms: counted by symbol, in an array.
    fn dense(&self) -> bool {
        self.n == 1 && self.unit == Unit::Norm && self.by == By::Corpus
    }
}

impl Default for TableSpec {
    fn default() -> Self {
        TableSpec {
            n: 1,
            unit: Unit::Norm,
            drop_stopwords: false,
            by: By::Doc,
            min_count: 1,
            top: None,
            keyed: false,
        }
    }
}

/// What one pass collects.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Frequency tables, counted in the same pass.
    pub tables: Vec<TableSpec>,
    /// Frames to match; each document gets its hit counts.
    pub frames: Option<Arc<FrameSet>>,
    /// Keep every hit with its context (for hits.csv).
    pub keep_hits: bool,
    /// Tokens of context each side of a kept hit (CONTRACT §9).
    pub kwic_window: usize,
    /// Keep at most this many hit lines per frame (the first in document
    /// order); counts stay exact. `None`: keep all.
    pub max_hits_per_frame: Option<usize>,
    /// Mark where the hits of the first this many documents are, for a
    /// dispersion chart ([`CorpusAnalysis::marks`]), whatever
    /// [`Plan::keep_hits`] and [`Plan::max_hits_per_frame`] keep.
    pub mark_docs: usize,
    /// Of those documents, mark the hits of the first this many frames.
    pub mark_frames: usize,
    /// Keep every term's count in every document (norms or stems):
    /// what keyness, dispersion and similarity need.
    pub postings: Option<Unit>,
    /// Postings of stems count only the tokens whose norm is not a
    /// stopword (CONTRACT §5: stopwords are told by their norm, token by
    /// token), for a comparison that leaves stopwords out: `having haves`
    /// gives `have` a count of 1, as `freq --unit stem --drop-stopwords`
    /// does. Postings of norms need no such pass: a norm is a stopword or
    /// not, whichever token has it.
    pub postings_drop_stopwords: bool,
    /// Compute [`CorpusAnalysis::fingerprint`] (SHA-256 of every
    /// document: a few percent of a fast pass, so only when asked).
    pub fingerprint: bool,
    /// Keep each document's summary (id, metadata, counts, frame hits)
    /// in [`CorpusAnalysis::docs`]. `false` for a pass that needs only
    /// its tables (`freq`): [`CorpusAnalysis::docs`] is then empty, and
    /// the pass's memory does not grow with the number of documents
    /// (370 MiB for 5.86 M sentence-sized documents).
    pub summaries: bool,
    /// Bytes of memory the frequency tables' counts may take during the
    /// pass (tables grouped by document aside), shared by the worker
    /// threads and the tables, and a table's share by its groups (the
    /// biggest spilled first). A table that outgrows its share is
    /// spilled to temporary files (in `TMPDIR`) and counted from them at
    /// the end, with the same results.
    pub table_memory: usize,
    /// With a goal, the tables' share shrinks as the documents'
    /// summaries and postings grow, so that the three together stay
    /// within the goal, but never below its floor (nor above
    /// `table_memory`): a corpus of big documents gets bigger tables
    /// (fewer spills), one of millions of small documents smaller ones.
    /// `None`: the tables' share is `table_memory` throughout.
    pub memory_goal: Option<MemoryGoal>,
    /// Bytes of a document's text tokenized at a time: a longer document
    /// is read and counted a part at a time, each part ending where a
    /// sentence does (with a few tokens each side for KWIC lines), so
    /// the memory a document takes beyond its text does not grow with
    /// it. Results do not depend on it.
    pub segment_bytes: usize,
    /// A field whose values are compared each with the rest after the
    /// pass, and the most values it may have: the pass stops with an
    /// error at the document with one more (`run --by id` on a gigabyte
    /// is told at once, not after reading it all).
    pub groups_at_most: Option<(String, usize)>,
    /// Keep a sample of this many hit lines per frame
    /// ([`CorpusAnalysis::hit_sample`]), drawn from all its hits, those
    /// past [`Plan::max_hits_per_frame`] included; 0: none.
    pub hit_sample: usize,
}

/// [`Plan::segment_bytes`] by default: the tokens of 1 MiB of text take
/// about 6 MB.
pub const SEGMENT_BYTES: usize = 1 << 20;

/// Bytes that the n-gram tables, the documents' summaries, the postings
/// and the vocabularies beyond an allowance should stay within together
/// ([`Plan::memory_goal`]), and the least the tables get whatever the
/// rest holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryGoal {
    pub goal: usize,
    pub floor: usize,
    /// The workers' and the postings' vocabularies (the words' texts,
    /// the caches of their forms, counts indexed by word) up to this
    /// many bytes are not counted against the goal; beyond it, each byte
    /// of vocabulary is one the tables give up.
    pub vocabulary: usize,
}

impl MemoryGoal {
    /// What the command line uses when `--table-memory` is not given,
    /// with [`TABLE_MEMORY_MOST`]: at 1 GB of wh-briefings (180 MiB of
    /// summaries and postings) 2 workers' n-gram tables fit without
    /// spilling; on 3.15 M paragraphs (400 MiB) the tables are at
    /// 208 MiB by the end of the pass, and on 5.86 M sentences (580
    /// MiB) at 128 MiB ([`TABLE_MEMORY_LEAST`]), so that a gigabyte of
    /// short documents stays under 1 GiB too.
    pub const DEFAULT: MemoryGoal = MemoryGoal {
        goal: 608 << 20,
        floor: TABLE_MEMORY_LEAST,
        vocabulary: VOCABULARY_ALLOWANCE,
    };
}

/// [`Plan::table_memory`] by default: with the rest of a pass (postings,
/// document summaries, hit lines), a gigabyte of text stays under 1 GiB.
pub const TABLE_MEMORY: usize = 256 << 20;

/// [`Plan::table_memory`] when the command line does not set one, with
/// [`MemoryGoal::DEFAULT`].
pub const TABLE_MEMORY_MOST: usize = 384 << 20;

/// [`MemoryGoal::vocabulary`] of [`MemoryGoal::DEFAULT`]. The
/// vocabularies of 1 GB of wh-briefings (92,000 norms) hold 41 MiB, so
/// its tables keep their whole share; 1 GB of the same text with one
/// word in fifty given a random two-letter ending (950,000 norms) holds
/// 244 MiB, and its tables' share falls to 237 MiB: a peak of 870 to
/// 903 MiB, where the whole share gave 1,039 MiB.
pub const VOCABULARY_ALLOWANCE: usize = 64 << 20;

/// The least [`MemoryGoal::DEFAULT`] leaves the n-gram tables, however
/// much the summaries and postings hold: more spills, not more memory.
pub const TABLE_MEMORY_LEAST: usize = 128 << 20;

impl Plan {
    /// The tables' share of memory while `held` bytes are held by the
    /// documents' summaries, the postings and the vocabularies beyond
    /// [`MemoryGoal::vocabulary`].
    ///
    /// ```
    /// use framescope::analyze::{MemoryGoal, Plan};
    /// let auto = Plan {
    ///     table_memory: 384 << 20,
    ///     memory_goal: Some(MemoryGoal::DEFAULT),
    ///     ..Plan::default()
    /// };
    /// assert_eq!(auto.table_budget(0), 384 << 20);
    /// assert_eq!(auto.table_budget(300 << 20), 308 << 20);
    /// assert_eq!(auto.table_budget(400 << 20), 208 << 20);
    /// assert_eq!(auto.table_budget(580 << 20), 128 << 20);
    /// let fixed = Plan { table_memory: 1 << 20, ..Plan::default() };
    /// assert_eq!(fixed.table_budget(500 << 20), 1 << 20);
    /// ```
    pub fn table_budget(&self, held: usize) -> usize {
        match self.memory_goal {
            None => self.table_memory,
            Some(g) => g
                .goal
                .saturating_sub(held)
                .clamp(g.floor.min(self.table_memory), self.table_memory),
        }
    }
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            tables: Vec::new(),
            frames: None,
            keep_hits: false,
            kwic_window: 5,
            max_hits_per_frame: None,
            mark_docs: 0,
            mark_frames: 0,
            postings: None,
            postings_drop_stopwords: false,
            fingerprint: false,
            summaries: true,
            table_memory: TABLE_MEMORY,
            memory_goal: None,
            segment_bytes: SEGMENT_BYTES,
            groups_at_most: None,
            hit_sample: 0,
        }
    }
}

/// A hit's place in the order that draws [`CorpusAnalysis::hit_sample`]:
/// a hash of where it is (document index, first and last token, frame
/// and pattern), so that the sample is the same whatever the threads,
/// and any of a frame's hits as likely to be in it as another.
pub fn sample_key(doc: usize, h: &Hit) -> u64 {
    let mix = |x: u64| {
        // splitmix64's finalizer.
        let x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        let x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    };
    let a = mix(doc as u64 ^ (u64::from(h.frame) << 40) ^ (u64::from(h.pattern) << 52));
    mix(a ^ (u64::from(h.start) | u64::from(h.end) << 32))
}

/// The order of a frame's sample: by key, ties (two hits of one key)
/// broken by place.
fn sample_order(a: &(u64, HitRow), b: &(u64, HitRow)) -> std::cmp::Ordering {
    let place = |(k, h): &(u64, HitRow)| (*k, h.doc, h.token_start, h.token_end, h.pattern);
    place(a).cmp(&place(b))
}

/// Keep the `n` first of each frame's lines in `sample` (by
/// [`sample_order`]); the lines are left sorted by frame, then that order.
fn keep_sample(sample: &mut Vec<(u64, HitRow)>, n: usize) {
    sample.sort_unstable_by(|a, b| a.1.frame.cmp(&b.1.frame).then_with(|| sample_order(a, b)));
    keep_first_per_frame(sample, |(_, h)| h.frame, n);
}

/// Keep the `n` first items of each frame in `items`, sorted by frame.
fn keep_first_per_frame<T>(items: &mut Vec<T>, frame: impl Fn(&T) -> u32, n: usize) {
    let mut run = (u32::MAX, 0);
    items.retain(|item| {
        if run.0 != frame(item) {
            run = (frame(item), 0);
        }
        run.1 += 1;
        run.1 <= n
    });
}

/// What the reading side tells the workers of the hit lines it has
/// taken, so that they make no line it would drop.
struct HitLines {
    /// Per frame: the documents taken so far list as many of its lines
    /// as [`Plan::max_hits_per_frame`] allows, so every later line is cut.
    full: Box<[std::sync::atomic::AtomicBool]>,
    /// Per frame: the key a line must not exceed to enter the sample
    /// ([`sample_key`]): the last of the sample's keys once it is full.
    below: Box<[std::sync::atomic::AtomicU64]>,
}

impl HitLines {
    fn new(n_frames: usize) -> HitLines {
        HitLines {
            full: (0..n_frames).map(|_| Default::default()).collect(),
            below: (0..n_frames)
                .map(|_| std::sync::atomic::AtomicU64::new(u64::MAX))
                .collect(),
        }
    }
}

/// [`analyze_with`]'s taker of hit lines: each document's lines (those
/// [`Plan::max_hits_per_frame`] keeps), in document order.
pub type TakeHits<'a> = dyn FnMut(&Document, &[HitRow]) -> Result<()> + Send + 'a;

/// Hits of one frame in one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameCount {
    pub hits: u64,
    pub negated: u64,
}

/// One hit with its place and context: a row of hits.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct HitRow {
    /// Document index in corpus order.
    pub doc: usize,
    /// Flattened frame ([`FrameSet`] order).
    pub frame: u32,
    /// Pattern index within the frame.
    pub pattern: u32,
    pub token_start: u32,
    /// Inclusive.
    pub token_end: u32,
    pub byte_start: usize,
    pub byte_end: usize,
    pub sentence: u32,
    pub negated: bool,
    pub left: String,
    pub matched: String,
    pub right: String,
}

impl HitRow {
    /// The row of hit `h` of document `doc` (its tokens `toks`), with
    /// `window` tokens of context each side, clipped to the sentence with
    /// `clip` (CONTRACT §9).
    pub fn new(doc: &Document, toks: &[Token], h: &Hit, window: usize, clip: bool) -> HitRow {
        HitRow::in_part(doc, toks, h, 0, window, clip)
    }

    /// [`HitRow::new`] for tokens `toks` of a part of the document
    /// ([`Parts`]), `toks[0]` being its token `base`:
    /// the hit is in `toks`, its token numbers the document's.
    pub fn in_part(
        doc: &Document,
        toks: &[Token],
        h: &Hit,
        base: usize,
        window: usize,
        clip: bool,
    ) -> HitRow {
        let (i, j) = (h.start as usize, h.end as usize);
        let (left, matched, right) = kwic_context(&doc.text, toks, i, j, window, clip);
        HitRow {
            doc: doc.index,
            frame: h.frame,
            pattern: h.pattern,
            token_start: h.start + base as u32,
            token_end: h.end + base as u32,
            byte_start: toks[i].start,
            byte_end: toks[j].end,
            sentence: toks[i].sentence,
            negated: h.negated,
            left,
            matched,
            right,
        }
    }
}

/// What one pattern caught in the whole corpus.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PatternCoverage {
    /// Hits credited to this pattern (the longest at its position).
    pub hits: u64,
    /// Documents with at least one such hit.
    pub n_docs: u64,
    /// Distinct matched texts with their counts: count descending, then
    /// text.
    pub forms: Vec<(String, u64)>,
}

#[derive(Debug, Default)]
struct CoverageAcc {
    hits: u64,
    n_docs: u64,
    last_doc: usize,
    forms: FxHashMap<String, u64>,
}

/// Size and shape of one document; its text is gone. A pass keeps
/// these in a [`Docs`], by column.
#[derive(Debug, Clone, PartialEq)]
pub struct DocSummary {
    pub id: String,
    pub meta: Meta,
    pub n_tokens: u64,
    /// Distinct norms.
    pub n_types: u64,
    pub n_sentences: u64,
    /// UTF-8 bytes of the text.
    pub n_bytes: u64,
    /// Hits per frame ([`FrameSet`] order); empty without frames and
    /// when the document has no hit, so read it with `frames.get(i)`: a
    /// count that is not there is zero.
    pub frames: Vec<FrameCount>,
}

/// A [`DocSummary`] without the id and metadata, which are the
/// document's: what a worker hands back of a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct DocFigures {
    pub n_tokens: u64,
    pub n_types: u64,
    pub n_sentences: u64,
    pub n_bytes: u64,
    pub frames: Vec<FrameCount>,
}

/// Everything one pass learned about a corpus.
#[derive(Debug, Clone)]
pub struct CorpusAnalysis {
    /// One summary per document, in corpus order.
    pub docs: Docs,
    /// Metadata columns in order of first appearance.
    pub columns: Vec<String>,
    /// One result per [`Plan::tables`] entry: its groups in order.
    pub tables: Vec<Vec<GroupFrequency>>,
    /// One per [`Plan::tables`] entry: the rows of a table kept as keys
    /// ([`TableSpec::keyed`]), its groups in order; empty for the others.
    pub keyed: Vec<Vec<KeyedRows>>,
    /// Distinct norms in the whole corpus.
    pub n_types: u64,
    /// SHA-256 over every document's id, metadata and text, in order
    /// (hex); empty unless [`Plan::fingerprint`].
    pub fingerprint: String,
    /// Every hit with its context, in document order, then first token,
    /// then frame (when [`Plan::keep_hits`], and no taker of hit lines
    /// was given to [`analyze_with`]).
    pub hits: Vec<HitRow>,
    /// Per frame: hit lines listed (in [`CorpusAnalysis::hits`] or handed
    /// to the taker), at most [`Plan::max_hits_per_frame`].
    pub hits_listed: Vec<u64>,
    /// Per frame: [`Plan::hit_sample`] lines drawn from all its hits
    /// (the smallest by [`sample_key`]), in document order, then first
    /// token.
    pub hit_sample: Vec<Vec<HitRow>>,
    /// Per pattern of every frame, flattened: frame order, then pattern
    /// order.
    pub coverage: Vec<PatternCoverage>,
    /// Per-document counts of every term (when [`Plan::postings`]).
    pub postings: Option<Postings>,
    /// Hit lines left out by [`Plan::max_hits_per_frame`].
    pub hits_dropped: u64,
    /// Where the hits of the first [`Plan::mark_docs`] documents (of the
    /// first [`Plan::mark_frames`] frames) are, as
    /// `(document, first token, frame)` in the order of [`CorpusAnalysis::hits`]:
    /// every hit a tick on a row of up to [`MARK_RESOLUTION`] pixels
    /// would draw gives the same ticks as one of these (a few per pixel
    /// at most, however many hits there are).
    pub marks: Vec<(usize, u32, usize)>,
    /// Times the pass spilled a table's counts to a temporary file
    /// ([`Plan::table_memory`]); results do not depend on it.
    pub spills: u64,
}

/// Every term of a corpus with its count in each document that has it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Postings {
    /// Terms in byte order of their text.
    pub terms: Vec<PostingList>,
}

impl Postings {
    /// The postings of a term.
    pub fn get(&self, term: &str) -> Option<&PostingList> {
        self.position(term).map(|i| &self.terms[i])
    }

    /// Every term's position in `terms`, for many lookups: a hash probe
    /// each, where [`Postings::position`] searches the terms' texts (with
    /// hundreds of thousands of terms, a cache miss at each of its ~18
    /// steps).
    pub fn positions(&self) -> FxHashMap<&str, usize> {
        let mut index = FxHashMap::with_capacity_and_hasher(self.terms.len(), Default::default());
        index.extend(
            self.terms
                .iter()
                .enumerate()
                .map(|(i, p)| (p.term.as_str(), i)),
        );
        index
    }

    /// Where a term's postings are in `terms`.
    pub fn position(&self, term: &str) -> Option<usize> {
        self.terms
            .binary_search_by(|p| p.term.as_str().cmp(term))
            .ok()
    }
}

/// One term and the documents it occurs in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostingList {
    pub term: String,
    /// Is every occurrence a stopword (judged by the token's norm; for a
    /// stem, true when only stopwords have that stem)?
    pub stopword: bool,
    /// (document index, count), by document index.
    pub docs: DocCounts,
}

impl PostingList {
    /// Occurrences in the corpus.
    pub fn total(&self) -> u64 {
        self.docs.iter().map(|(_, n)| n as u64).sum()
    }
}

impl CorpusAnalysis {
    /// Tokens in the corpus.
    pub fn n_tokens(&self) -> u64 {
        self.docs.iter().map(|d| d.n_tokens()).sum()
    }

    /// Bytes of text in the corpus.
    pub fn n_bytes(&self) -> u64 {
        self.docs.iter().map(|d| d.n_bytes()).sum()
    }

    /// Sentences in the corpus.
    pub fn n_sentences(&self) -> u64 {
        self.docs.iter().map(|d| d.n_sentences()).sum()
    }
}

/// Progress: documents and bytes done so far.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

/// Analyze a corpus in one pass on the current rayon pool.
pub fn analyze(corpus: &Corpus, plan: &Plan, progress: Progress<'_>) -> Result<CorpusAnalysis> {
    analyze_with(corpus, plan, progress, None, None)
}

/// What becomes of the tables grouped by document as the pass makes
/// them. Each table is first turned into bytes by `format`, on the worker
/// that counted it, in parallel; `take` then gets the table's index in
/// [`Plan::tables`], the table and its bytes, in document order. So the
/// costly part of writing a file of every document's rows (formatting
/// numbers) is spread over the workers, and only the copying is serial.
/// Only the first `keep` documents' tables (by index) reach `take` as
/// tables; for the others it gets their bytes alone, and the worker uses
/// the table's memory again for its next document.
pub struct DocTables<'a> {
    pub format: &'a FormatTable<'a>,
    pub take: &'a mut TakeTable<'a>,
    pub keep: usize,
}

/// [`DocTables::format`]: table index, table, bytes to append to.
pub type FormatTable<'a> = dyn Fn(usize, &GroupFrequency, &mut Vec<u8>) + Sync + 'a;

/// Bytes of formatted tables' buffers kept for the next documents: a
/// batch of 1 GB of wh-briefings formats about 3.3 MB of doc_terms.csv.
const SPARE_BYTES: usize = 32 << 20;

/// [`DocTables::take`]: table index, table (if kept), its formatted bytes.
pub type TakeTable<'a> = dyn FnMut(usize, Option<GroupFrequency>, &[u8]) -> Result<()> + Send + 'a;

/// [`analyze`], handing every per-document table to `doc_tables` in
/// document order instead of keeping it (those tables of the result are
/// then empty): what keeps memory flat when a corpus has a hundred
/// thousand documents, each with its own table. Likewise each
/// document's hit lines go to `hit_lines` when given
/// ([`CorpusAnalysis::hits`] is then empty): a lexicon of many frames
/// that catch common words lists millions of lines.
pub fn analyze_with(
    corpus: &Corpus,
    plan: &Plan,
    progress: Progress<'_>,
    mut doc_tables: Option<DocTables<'_>>,
    mut hit_lines: Option<&mut TakeHits<'_>>,
) -> Result<CorpusAnalysis> {
    for spec in &plan.tables {
        if spec.n == 0 || spec.n > MAX_NGRAM {
            return Err(Error::invalid(format!(
                "n-gram size {} is out of range; use 1 to {MAX_NGRAM}",
                spec.n
            )));
        }
        if spec.keyed && spec.by == By::Doc {
            return Err(Error::invalid(
                "a table grouped by document cannot be kept as keys; group it by a field or the corpus",
            ));
        }
    }
    let next_id = std::sync::atomic::AtomicUsize::new(0);
    // The tables' share of memory now: the reading side sets it as the
    // summaries and postings grow, the workers read it as they count.
    let budget = Arc::new(std::sync::atomic::AtomicUsize::new(plan.table_budget(0)));
    let vocabulary: Arc<[std::sync::atomic::AtomicUsize]> = (0..pass::n_workers())
        .map(|_| std::sync::atomic::AtomicUsize::new(0))
        .collect();
    let n_frames = plan.frames.as_ref().map_or(0, |f| f.len());
    let lines = Arc::new(HitLines::new(n_frames));
    let workers = pass::workers(|| {
        Shard::new(
            plan,
            next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            budget.clone(),
            vocabulary.clone(),
            lines.clone(),
        )
    });
    // The vocabularies: the workers' and the postings' words.
    let vocabulary_held = |postings: &PostingsSink| {
        let words: usize = vocabulary
            .iter()
            .map(|v| v.load(std::sync::atomic::Ordering::Relaxed))
            .sum();
        words + postings.vocabulary_bytes()
    };
    let mut postings = PostingsSink::new(&workers);
    let format = doc_tables.as_ref().map(|d| (d.format, d.keep));
    // Formatted tables' bytes, given back by the reading side once taken
    // and used again by the workers: a gigabyte's doc_terms.csv is
    // hundreds of MB, which fresh buffers would fault in page by page
    // (and grow, copying, when a row is longer than guessed).
    // At most SPARE_BYTES of them in all (what a batch or two of
    // documents hold).
    let spare_bytes: std::sync::Mutex<(Vec<Vec<u8>>, usize)> =
        std::sync::Mutex::new((Vec::new(), 0));
    let mut groups: Vec<GroupIndex> = plan.tables.iter().map(|_| GroupIndex::default()).collect();
    let mut docs = corpus.documents()?;
    let mut kept_results = Kept {
        docs: Docs::new(),
        hits: Vec::new(),
        marks: Vec::new(),
        per_doc: plan.tables.iter().map(|_| Vec::new()).collect(),
    };
    // The fingerprint, made in document order as results come back.
    let mut fp = Sha256::new();
    let (mut n_docs, mut n_bytes) = (0u64, 0u64);
    // Hit lines seen so far per frame, for the cap.
    let mut kept: Vec<usize> = Vec::new();
    // Per frame: lines listed, and the sample so far (by sample_order).
    let mut listed: Vec<u64> = vec![0; n_frames];
    let mut sample: Vec<Vec<(u64, HitRow)>> = vec![Vec::new(); n_frames];
    // Seconds of the reading side spent on postings and on the document
    // tables (FRAMESCOPE_TIMINGS).
    let (mut t_postings, mut t_doc_tables) = (0.0f64, 0.0f64);
    // The values of `plan.groups_at_most`'s field seen so far.
    let mut values: rustc_hash::FxHashSet<String> = Default::default();
    pass::run(
        &mut docs,
        &workers,
        |doc| {
            if let Some((field, most)) = &plan.groups_at_most {
                let value = group_value(values.is_empty(), &doc.id, &doc.meta, field)?;
                if !values.contains(&*value) {
                    if values.len() == *most {
                        return Err(too_many_groups(field, *most, doc, &value));
                    }
                    values.insert(value.into_owned());
                }
            }
            group_ids(doc, plan, &mut groups).map(Some)
        },
        |shard, doc, gids| {
            let mut r = shard.add(doc, gids, plan);
            if let Some((format, keep)) = format {
                for (i, t) in r.tables.iter_mut().enumerate() {
                    if let Some(table) = t {
                        // Room for the usual row, so that the bytes are
                        // not copied again and again as they grow.
                        let mut bytes = {
                            let mut spare = spare_bytes.lock().unwrap_or_else(|e| e.into_inner());
                            let bytes = spare.0.pop().unwrap_or_default();
                            spare.1 -= bytes.capacity();
                            bytes
                        };
                        bytes.reserve(64 * (table.terms.len() + 1));
                        format(i, table, &mut bytes);
                        r.formatted.push((i, bytes));
                        if doc.index >= keep {
                            shard.spare[i] = t.take();
                        }
                    }
                }
            }
            r
        },
        |mut done, batch| {
            let t = std::time::Instant::now();
            if plan.postings.is_some() {
                // Every symbol of the batch first: a worker may have made
                // a symbol on a later document than one that uses it.
                for r in &mut done {
                    postings.learn(r.worker, r.new_symbols.0, &r.new_symbols.1);
                    r.new_symbols.1 = Vec::new();
                }
                for r in &mut done {
                    postings.add(r.worker, r.index, &r.terms);
                    r.terms = Vec::new();
                }
            }
            t_postings += t.elapsed().as_secs_f64();
            let t = std::time::Instant::now();
            if let Some(d) = doc_tables.as_mut() {
                for r in &mut done {
                    for (i, mut bytes) in std::mem::take(&mut r.formatted) {
                        (d.take)(i, r.tables[i].take(), &bytes)?;
                        bytes.clear();
                        let mut spare = spare_bytes.lock().unwrap_or_else(|e| e.into_inner());
                        if spare.1 + bytes.capacity() <= SPARE_BYTES {
                            spare.1 += bytes.capacity();
                            spare.0.push(bytes);
                        }
                    }
                }
            }
            t_doc_tables += t.elapsed().as_secs_f64();
            for r in &mut done {
                n_docs += 1;
                n_bytes += r.figures.n_bytes;
                if let Some(cap) = plan.max_hits_per_frame {
                    // Frame k's hits so far, `n` more counted.
                    let mut count = |k: usize, n: usize| {
                        if kept.len() <= k {
                            kept.resize(k + 1, 0);
                        }
                        kept[k] += n;
                        kept[k]
                    };
                    r.hits.retain(|h| count(h.frame as usize, 1) <= cap);
                    // The hits its worker counted past the cap, after
                    // the ones above in document order.
                    for (k, &n) in r.hits_cut.iter().enumerate() {
                        count(k, n as usize);
                    }
                }
                for h in &r.hits {
                    listed[h.frame as usize] += 1;
                }
                for (key, h) in std::mem::take(&mut r.sample) {
                    sample[h.frame as usize].push((key, h));
                }
            }
            if let Some(cap) = plan.max_hits_per_frame {
                for (f, &n) in kept.iter().enumerate() {
                    if n >= cap {
                        lines.full[f].store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }
            if plan.hit_sample > 0 {
                for (f, s) in sample.iter_mut().enumerate() {
                    if s.len() >= plan.hit_sample {
                        s.sort_unstable_by(sample_order);
                        s.truncate(plan.hit_sample);
                        let last = s[plan.hit_sample - 1].0;
                        lines.below[f].store(last, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            }
            progress(n_docs, n_bytes);
            for (mut r, (doc, _)) in done.into_iter().zip(batch) {
                if plan.fingerprint {
                    fp.update(r.digest);
                }
                if let Some(take) = hit_lines.as_mut() {
                    if !r.hits.is_empty() {
                        take(doc, &r.hits)?;
                        r.hits = Vec::new();
                    }
                }
                kept_results.add(r, doc, plan.summaries);
            }
            if let Some(goal) = plan.memory_goal {
                let held = kept_results.docs.heap_bytes()
                    + postings.heap_bytes()
                    + vocabulary_held(&postings).saturating_sub(goal.vocabulary);
                budget.store(
                    plan.table_budget(held),
                    std::sync::atomic::Ordering::Relaxed,
                );
            }
            Ok(true)
        },
    )?;
    docs.finish()?;
    if n_docs == 0 {
        return Err(corpus.empty_error());
    }
    let columns = docs.columns().to_vec();
    drop(docs);
    crate::timing::note(&format!(
        "of which postings {t_postings:.3} s, document tables {t_doc_tables:.3} s"
    ));
    crate::timing::note(&format!(
        "held: document summaries {} MiB, postings {} MiB, vocabularies {} MiB; tables' share {} MiB",
        kept_results.docs.heap_bytes() >> 20,
        postings.heap_bytes() >> 20,
        vocabulary_held(&postings) >> 20,
        budget.load(std::sync::atomic::Ordering::Relaxed) >> 20
    ));
    crate::timing::phase("pass");
    let mut shards = pass::into_states(workers);
    shards.par_iter_mut().for_each(Shard::settle);
    let postings = plan.postings.map(|unit| postings.finish(&shards, unit));
    crate::timing::phase("postings");
    let mut an = finish(plan, shards, groups, kept_results, columns, fp)?;
    an.postings = postings;
    crate::timing::phase("merge");
    an.hits_dropped = kept
        .iter()
        .map(|&n| n.saturating_sub(plan.max_hits_per_frame.unwrap_or(usize::MAX)) as u64)
        .sum();
    an.hits_listed = listed;
    an.hit_sample = sample
        .into_iter()
        .map(|mut s| {
            s.sort_unstable_by(sample_order);
            s.truncate(plan.hit_sample);
            let mut s: Vec<HitRow> = s.into_iter().map(|(_, h)| h).collect();
            s.sort_unstable_by_key(|h| (h.doc, h.token_start, h.token_end, h.pattern));
            s
        })
        .collect();
    Ok(an)
}

/// The value of field `f` for a document, or an error naming the fields
/// it has. `first`: no document before it was asked (so a missing field
/// may be a typo); otherwise those before it had the field, and the
/// message says every document needs it.
pub fn group_value<'a>(
    first: bool,
    id: &'a str,
    meta: &'a impl Fields,
    f: &str,
) -> Result<std::borrow::Cow<'a, str>> {
    meta.field_ref(id, f).ok_or_else(|| {
        let others = meta.group_fields().join(", ");
        // A year comes from a date: say which of the two is wrong.
        let msg = match (f, meta.value("date")) {
            ("year", Some(date)) => format!(
                "document {id:?} has the date {date:?}, which is not a date framescope \
                 reads ({}), so no year to group by; fix its date, or use one of: \
                 corpus, {others}",
                crate::corpus::Date::FORMS
            ),
            ("year", None) => format!(
                "document {id:?} has no date (nor a year field) to group by year; give \
                 every document a date, or use one of: corpus, {others}"
            ),
            _ if first => format!(
                "document {id:?} has no field {f:?} to group by; use one of: corpus, {others}"
            ),
            _ => format!(
                "document {id:?} has no field {f:?} to group by, which the documents before \
                 it have; every document needs the field, an empty value included \
                 (`framescope corpus --fields` counts the documents without it)"
            ),
        };
        Error::invalid(msg)
    })
}

/// The documents whose field takes one of some values: a group given
/// as `--by FIELD --target V1,V2` (the field may be `id` or `year`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub field: String,
    /// The accepted values (a comma-separated list on the command line).
    pub values: Vec<String>,
}

impl Selection {
    /// `field` with the comma-separated `values` (each trimmed; a value
    /// listed twice is one value). `\,` is a comma inside a value and
    /// `\\` a backslash.
    ///
    /// ```
    /// use framescope::analyze::Selection;
    /// assert_eq!(Selection::new("f", "a, b,a").values, ["a", "b"]);
    /// assert_eq!(Selection::new("f", r"Biden\, Joseph R.,x\\y").values, ["Biden, Joseph R.", r"x\y"]);
    /// ```
    pub fn new(field: &str, values: &str) -> Selection {
        let mut list: Vec<String> = Vec::new();
        let mut push = |v: &str| {
            let v = v.trim();
            if !list.iter().any(|w| w == v) {
                list.push(v.to_string());
            }
        };
        let mut value = String::new();
        let mut chars = values.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(e @ (',' | '\\')) => value.push(e),
                    Some(other) => {
                        value.push('\\');
                        value.push(other);
                    }
                    None => value.push('\\'),
                },
                ',' => push(&std::mem::take(&mut value)),
                c => value.push(c),
            }
        }
        push(&value);
        Selection {
            field: field.to_string(),
            values: list,
        }
    }

    /// What to add to a message that a value was not found: how to write
    /// a comma inside a value, when there were several.
    pub fn comma_hint(&self) -> &'static str {
        if self.values.len() > 1 {
            "; commas separate values (write one inside a value as \\,)"
        } else {
            ""
        }
    }

    /// Is the document in the group? An error when it lacks the field.
    pub fn contains(&self, doc: &Document) -> Result<bool> {
        Ok(self.position(doc)?.is_some())
    }

    /// Which of the values the document has, if any. An error when it
    /// lacks the field.
    pub fn position(&self, doc: &Document) -> Result<Option<usize>> {
        let v = group_value(doc.index == 0, &doc.id, &doc.meta, &self.field)?;
        Ok(self.values.iter().position(|s| *s == *v))
    }

    /// `field = v1,v2`, for messages.
    pub fn describe(&self) -> String {
        format!("{} = {}", self.field, self.values.join(","))
    }
}

/// Group names of each table, assigned in document order.
#[derive(Debug, Default)]
struct GroupIndex {
    names: Vec<String>,
    ids: FxHashMap<String, u32>,
}

impl GroupIndex {
    /// No group yet.
    fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(name.to_string(), id);
        self.names.push(name.to_string());
        id
    }
}

/// The error of a document whose value of `field` is one more than
/// `most` ([`Plan::groups_at_most`]).
fn too_many_groups(field: &str, most: usize, doc: &Document, value: &str) -> Error {
    Error::invalid(format!(
        "--by {field} gives more than {most} groups (one more at document {}: \
         {value:?}); run compares each with the rest of the corpus, so choose a field \
         with at most {most} values (or use `framescope compare` for one group)",
        doc.index + 1,
    ))
}

/// The group id of a document in each table.
fn group_ids(doc: &Document, plan: &Plan, groups: &mut [GroupIndex]) -> Result<Vec<u32>> {
    let mut gids = Vec::with_capacity(plan.tables.len());
    for (spec, index) in plan.tables.iter().zip(groups.iter_mut()) {
        let gid = match &spec.by {
            By::Doc => doc.index as u32,
            By::Corpus => index.id("corpus"),
            By::Field(f) => index.id(&group_value(index.is_empty(), &doc.id, &doc.meta, f)?),
        };
        gids.push(gid);
    }
    Ok(gids)
}

/// What the pass keeps of one document.
struct DocResult {
    /// Its counts; its id and metadata are read from the document itself
    /// on the reading side (a copy of them was three allocations and
    /// their copies for every document).
    figures: DocFigures,
    hits: Vec<HitRow>,
    /// Per frame, hits past the cap not made into rows ([`DocPart`]).
    hits_cut: Vec<u64>,
    /// Its lines that may be in the sample ([`DocPart::sample`]).
    sample: Vec<(u64, HitRow)>,
    /// Where its hits are ([`Plan::mark_docs`]): `(frame, token)`.
    marks: Vec<(u32, u32)>,
    /// Per table: the document's own ranked terms when grouped by document.
    tables: Vec<Option<GroupFrequency>>,
    /// Those tables formatted by [`DocTables::format`], in table order,
    /// with their index.
    formatted: Vec<(usize, Vec<u8>)>,
    digest: [u8; 32],
    /// The document's index.
    index: u32,
    /// The worker that read it: whose symbols `terms` are.
    worker: usize,
    /// Each posting term's count in the document (when the plan keeps
    /// postings).
    terms: Vec<(Sym, u32)>,
    /// The symbols the worker made while reading this document (when the
    /// plan keeps postings): the first one's number and their strings.
    new_symbols: (Sym, Vec<Box<str>>),
}

/// What stays of the documents' results once the reading side has taken
/// their postings, formatted tables and digests: sorted into the final
/// vectors as they come back, while the workers count the next batch
/// (moved after the pass, they were a serial quarter second a gigabyte).
struct Kept {
    docs: Docs,
    hits: Vec<HitRow>,
    marks: Vec<(usize, u32, usize)>,
    /// Per table, the documents' own tables, in document order.
    per_doc: Vec<Vec<GroupFrequency>>,
}

impl Kept {
    /// Keep the result `r` of document `doc`.
    fn add(&mut self, r: DocResult, doc: &Document, summaries: bool) {
        if summaries {
            self.docs.push_figures(&doc.id, &doc.meta, &r.figures);
        }
        self.hits.extend(r.hits);
        let d = r.index as usize;
        self.marks
            .extend(r.marks.iter().map(|&(f, t)| (d, t, f as usize)));
        for (i, t) in r.tables.into_iter().enumerate() {
            if let Some(t) = t {
                self.per_doc[i].push(t);
            }
        }
    }
}

/// A term of a document's own table being ranked: count, text prefix,
/// n-gram, and its index among the n-grams made into text.
type DocCand = (u64, u64, Gram, u32);

/// What the parts of one document add up to as they are counted
/// ([`Shard::count_part`]).
#[derive(Default)]
struct DocPart {
    n_tokens: u64,
    /// The last sentence's number + 1.
    n_sentences: u64,
    /// Distinct norms, when counted by stamps.
    n_types: u64,
    /// Hits per frame (empty: none yet).
    frames: Vec<FrameCount>,
    hits: Vec<HitRow>,
    /// Per frame, the hits past [`Plan::max_hits_per_frame`] in this
    /// document, counted and not made into rows: no document can bring
    /// more rows than the cap to the list, so none holds more.
    hits_cut: Vec<u64>,
    /// Per frame, the [`Plan::hit_sample`] lines of the document that
    /// come first by [`sample_key`] (of those whose key the reading side
    /// still takes), with their keys: the frame's sample is among the
    /// documents' ones.
    sample: Vec<(u64, HitRow)>,
    /// Where its hits are, when it is among [`Plan::mark_docs`].
    marks: marks::DocMarks,
    /// Per table: the terms the document's parts added to its group.
    grown: Vec<usize>,
}

/// Bytes of one scratch vector a worker keeps from one document to the
/// next ([`Shard::shed_scratch`]): twice the tokens of a part of
/// [`SEGMENT_BYTES`].
const SCRATCH_KEPT: usize = 16 << 20;

/// One worker's state: its analyzer and its counts.
struct Shard {
    an: Analyzer,
    matcher: Option<FrameMatcher>,
    /// First flattened pattern id of each frame.
    pattern_base: Vec<usize>,
    coverage: Vec<CoverageAcc>,
    toks: Vec<Token>,
    /// A part's norms, when nothing but norms is counted
    /// ([`Shard::count_norms`]).
    norm_syms: Vec<Sym>,
    /// Per table grouped by document: one document's n-grams counted.
    grams: Vec<FxHashMap<Gram, u64>>,
    /// One document's norm counts, in order of first occurrence.
    norms: Vec<(Sym, u32)>,
    /// Scratch for counting them: a count per symbol, zero between
    /// documents (dense: one array index per token, no hashing).
    norm_slot: Vec<u32>,
    /// Per table (grouped tables only): group id → counts.
    tables: Vec<FxHashMap<u32, SymCounts>>,
    /// Per table: for a corpus-wide table of norms, each norm's counts
    /// indexed by symbol (empty otherwise), added to `tables` once the
    /// pass is over ([`Shard::settle`]).
    dense: Vec<Vec<grammap::Acc>>,
    /// When every table is a corpus-wide table of norms and nothing else
    /// reads a document's norm counts (`freq --by corpus`): per table,
    /// each norm's count, documents, and the last document that had it
    /// (its index + 1), indexed by symbol. A token is counted with one
    /// array index, without the list of the document's norms made first;
    /// moved into `dense` by [`Shard::settle`].
    stamped: Option<Vec<Vec<[u32; 3]>>>,
    /// This worker's place in the worker list.
    id: usize,
    /// Stems seen on a token that is not a stopword (postings of stems).
    content: FxHashSet<Sym>,
    /// One document's terms: count, and whether a non-stopword token had it.
    doc_terms: FxHashMap<Sym, (u32, bool)>,
    /// Scratch for a document's own table (grouped by document): its
    /// terms as counted, then as ranked. Kept from one document to the
    /// next, so that a document costs no allocation that grows term by
    /// term.
    ranked: Vec<(Gram, u64)>,
    cands: Vec<DocCand>,
    /// Per table: a document's table given back once formatted, whose
    /// memory (the strings of its terms) the next document's table uses.
    spare: Vec<Option<GroupFrequency>>,
    /// Per table: the terms this worker's groups may hold in memory
    /// together before the biggest group's table is spilled, and the
    /// slots of the largest table that fits in the table's share
    /// ([`Plan::table_memory`], [`counts::spill_threshold`]).
    spill_at: Vec<(usize, usize)>,
    /// Per table: the terms this worker's groups hold in memory.
    held: Vec<usize>,
    /// The tables' share of memory, set by the reading side
    /// ([`Plan::table_budget`]), and the share `spill_at` was made for.
    budget: Arc<std::sync::atomic::AtomicUsize>,
    budget_seen: usize,
    /// Per worker (by `id`): the bytes its vocabulary holds, as of its
    /// last document ([`Shard::vocabulary_bytes`]), for the reading side
    /// to count with the summaries and postings.
    vocabulary: Arc<[std::sync::atomic::AtomicUsize]>,
    /// Set once spilling has failed: counting goes on in memory.
    spill_failed: bool,
    /// What the reading side has taken of the hit lines.
    lines: Arc<HitLines>,
    /// A part's hits that may enter the sample, with their keys.
    sample_hits: Vec<(u64, Hit)>,
}

/// Per table: the terms a worker's groups may hold before one spills,
/// and the slots of the largest table that fits, given the tables'
/// share `budget`. It is shared by the worker threads, and a worker's
/// part by its tables counted in hash tables (not those grouped by
/// document, nor a corpus-wide table of norms, counted densely by
/// symbol): see [`table_slots`].
fn spill_at(plan: &Plan, budget: usize) -> Vec<(usize, usize)> {
    let per_worker = budget / rayon::current_num_threads().max(1);
    let hashed: Vec<usize> = plan
        .tables
        .iter()
        .filter(|t| t.hashed())
        .map(|t| t.n)
        .collect();
    let mut slots = table_slots(&hashed, per_worker).into_iter();
    let share = per_worker / hashed.len().max(1);
    plan.tables
        .iter()
        .map(|t| {
            if t.hashed() {
                let slots = slots.next().expect("a size per hashed table");
                counts::spill_threshold(t.n, slots * counts::slot_bytes(t.n))
            } else {
                counts::spill_threshold(t.n, share)
            }
        })
        .collect()
}

/// The slots of each hash table of n-grams (`ns`: their n, in order)
/// whose memory together is at most `bytes`. A table's slots are a power
/// of two, so an even split of `bytes` can leave much of it unused: with
/// 179 MiB, a trigram table (24 bytes a slot) would get 2²¹ slots in
/// its half and a bigram table (20 bytes) 2²², while both fit at 2²²
/// (176 MiB). So every table gets the most slots at which all of them
/// fit at once, and what is left makes tables twice as big in turn, the
/// longest n-grams first (they have the most distinct terms).
pub(crate) fn table_slots(ns: &[usize], bytes: usize) -> Vec<usize> {
    let cost = |k: u32| -> usize {
        ns.iter()
            .map(|&n| counts::slot_bytes(n).saturating_mul(1usize << k))
            .fold(0usize, usize::saturating_add)
    };
    let mut k = 0u32;
    while k < 40 && cost(k + 1) <= bytes {
        k += 1;
    }
    let mut slots: Vec<usize> = ns.iter().map(|_| 1usize << k).collect();
    let mut used = cost(k);
    let mut order: Vec<usize> = (0..ns.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(ns[i]), i));
    for i in order {
        let more = counts::slot_bytes(ns[i]) << k;
        if used + more <= bytes {
            slots[i] *= 2;
            used += more;
        }
    }
    slots
}

impl Shard {
    fn new(
        plan: &Plan,
        id: usize,
        budget: Arc<std::sync::atomic::AtomicUsize>,
        vocabulary: Arc<[std::sync::atomic::AtomicUsize]>,
        lines: Arc<HitLines>,
    ) -> Shard {
        let budget_seen = budget.load(std::sync::atomic::Ordering::Relaxed);
        let mut an = Analyzer::english();
        let matcher = plan
            .frames
            .as_ref()
            .map(|fs| FrameMatcher::new(fs, &mut an));
        let mut pattern_base = Vec::new();
        let mut n_patterns = 0;
        if let Some(fs) = &plan.frames {
            for i in 0..fs.len() {
                pattern_base.push(n_patterns);
                n_patterns += fs.get(i).1.patterns.len();
            }
        }
        Shard {
            an,
            matcher,
            pattern_base,
            coverage: (0..n_patterns).map(|_| CoverageAcc::default()).collect(),
            toks: Vec::new(),
            norm_syms: Vec::new(),
            grams: Vec::new(),
            norms: Vec::new(),
            norm_slot: Vec::new(),
            tables: plan.tables.iter().map(|_| FxHashMap::default()).collect(),
            dense: plan.tables.iter().map(|_| Vec::new()).collect(),
            stamped: stamps_suffice(plan).then(|| plan.tables.iter().map(|_| Vec::new()).collect()),
            id,
            content: FxHashSet::default(),
            doc_terms: FxHashMap::default(),
            ranked: Vec::new(),
            cands: Vec::new(),
            spare: plan.tables.iter().map(|_| None).collect(),
            spill_at: spill_at(plan, budget_seen),
            held: plan.tables.iter().map(|_| 0).collect(),
            budget,
            budget_seen,
            vocabulary,
            spill_failed: false,
            lines,
            sample_hits: Vec::new(),
        }
    }

    /// Counting a document into table `i` made the worker's groups hold
    /// `more` terms: spill the biggest group's table when they hold too
    /// many. The spilled table keeps its memory up to its part of the
    /// share (all of it when the table has one group, as a corpus-wide
    /// table has), so that the groups' tables together stay near the
    /// share however many groups there are.
    fn held_more(&mut self, i: usize, more: usize, plan: &Plan) {
        self.held[i] += more;
        let budget = self.budget.load(std::sync::atomic::Ordering::Relaxed);
        if budget != self.budget_seen && !self.spill_failed {
            self.budget_seen = budget;
            self.spill_at = spill_at(plan, budget);
        }
        let (spill_at, slots) = self.spill_at[i];
        if self.held[i] < spill_at {
            return;
        }
        let groups = &mut self.tables[i];
        let keep = slots / groups.len();
        let Some(biggest) = groups.values_mut().max_by_key(|c| c.len()) else {
            return;
        };
        let len = biggest.len();
        match biggest.spill(&self.an, keep) {
            Ok(()) => self.held[i] -= len,
            Err(e) => {
                // Counting goes on in memory, exactly; only the bound on
                // memory is lost. Said once, whatever the tables and
                // workers that fail.
                static WARNED: std::sync::atomic::AtomicBool =
                    std::sync::atomic::AtomicBool::new(false);
                if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
                    eprintln!("framescope: warning: {e}; counting on in memory");
                }
                self.spill_failed = true;
                for s in &mut self.spill_at {
                    s.0 = usize::MAX;
                }
            }
        }
    }

    /// Give back the scratch a long document grew (a book's tokens are
    /// hundreds of MB): each worker would otherwise hold the longest
    /// document's scratch to the end of the pass, two of them past the
    /// memory bound. Scratch of the usual size is kept for the next
    /// document.
    fn shed_scratch(&mut self) {
        fn shed<T>(v: &mut Vec<T>) {
            if v.capacity() * std::mem::size_of::<T>() > SCRATCH_KEPT {
                *v = Vec::new();
            }
        }
        shed(&mut self.toks);
        shed(&mut self.norm_syms);
        shed(&mut self.norms);
        shed(&mut self.ranked);
        shed(&mut self.cands);
        for g in &mut self.grams {
            if g.capacity() * std::mem::size_of::<(Gram, u64)>() > SCRATCH_KEPT {
                *g = FxHashMap::default();
            }
        }
    }

    /// The end of every document: say what the vocabulary holds now (for
    /// the reading side's memory goal), and give back outgrown scratch.
    fn done_with_document(&mut self) {
        if let Some(v) = self.vocabulary.get(self.id) {
            v.store(
                self.vocabulary_bytes(),
                std::sync::atomic::Ordering::Relaxed,
            );
        }
        self.shed_scratch();
    }

    /// Bytes that grow with the words this worker has seen: its
    /// analyzer's, and its counts indexed by symbol.
    fn vocabulary_bytes(&self) -> usize {
        self.an.heap_bytes()
            + self.norm_slot.capacity() * 4
            + self
                .dense
                .iter()
                .map(|d| d.capacity() * std::mem::size_of::<grammap::Acc>())
                .sum::<usize>()
    }

    fn add(&mut self, doc: &Document, gids: &[u32], plan: &Plan) -> DocResult {
        if self.stamped.is_some() && !plan.summaries {
            let r = self.count_norms(doc, gids, plan);
            self.done_with_document();
            return r;
        }
        let first_new = self.an.n_symbols() as Sym;
        let mut part = DocPart::default();
        self.norms.clear();
        self.doc_terms.clear();
        self.grams
            .resize_with(plan.tables.len(), FxHashMap::default);
        for g in &mut self.grams {
            g.clear();
        }
        // Hits need `window` tokens of context each side (CONTRACT §9),
        // which may lie in the parts before and after theirs.
        let window = if plan.keep_hits { plan.kwic_window } else { 0 };
        let mut parts = Parts::new(plan.segment_bytes, window, false);
        let mut toks = std::mem::take(&mut self.toks);
        while let Some((core, base)) = parts.next(&mut self.an, &doc.text, &mut toks) {
            self.count_part(doc, gids, plan, &toks, core, base, &mut part);
        }
        self.toks = toks;
        let r = if self.stamped.is_some() {
            self.counted_by_stamps(doc, gids, plan, &part)
        } else {
            self.finish_doc(doc, gids, plan, part, first_new)
        };
        self.done_with_document();
        r
    }

    /// Count tokens `toks[core]` of document `doc` (the tokens around
    /// them are context), whose first is the start of a sentence, and
    /// `toks[0]` the document's token `base`. What needs the whole
    /// document (its norms' list made into tables, its summary) is left
    /// to [`Shard::finish_doc`].
    #[allow(clippy::too_many_arguments)]
    fn count_part(
        &mut self,
        doc: &Document,
        gids: &[u32],
        plan: &Plan,
        toks: &[Token],
        core: std::ops::Range<usize>,
        base: usize,
        part: &mut DocPart,
    ) {
        let ctx = core.start;
        let core_toks = &toks[core.clone()];
        part.n_tokens += core_toks.len() as u64;
        if let Some(t) = core_toks.last() {
            part.n_sentences = t.sentence as u64 + 1;
        }
        if let Some(stamped) = &mut self.stamped {
            part.n_types += count_by_stamps(stamped, &self.an, core_toks, plan, doc.index as u32);
            return;
        }
        // Each norm's count in the document, once: the types, the
        // postings of norms and the unigram tables of norms read it.
        self.norm_slot.resize(self.an.n_symbols(), 0);
        // Without a branch on whether the norm is new to the document (a
        // coin toss the CPU would mispredict): a new norm's entry is
        // written at the end of `norms` every time, and kept only when
        // the norm is new. There are no more new norms than tokens or
        // symbols: a book of millions of tokens needs no slot for each.
        let mut n_norms = self.norms.len();
        self.norms.resize(
            n_norms + core_toks.len().min(self.an.n_symbols() + 1),
            (0, 0),
        );
        // The first slots asked for before the loop (see count_by_stamps).
        for t in core_toks.iter().take(crate::mem::SHORT_LOOP_AHEAD) {
            crate::mem::prefetch(&self.norm_slot[t.norm as usize]);
        }
        for (k, t) in core_toks.iter().enumerate() {
            // A rare norm's slot is a cache miss: ask for it early.
            if let Some(ahead) = core_toks.get(k + crate::mem::SHORT_LOOP_AHEAD) {
                crate::mem::prefetch(&self.norm_slot[ahead.norm as usize]);
            }
            // norm_slot holds 1 + the norm's index in `norms`, 0 if new.
            let slot = &mut self.norm_slot[t.norm as usize];
            let new = *slot == 0;
            let at = if new { n_norms } else { *slot as usize - 1 };
            self.norms[n_norms] = (t.norm, 0);
            self.norms[at].1 += 1;
            *slot = at as u32 + 1;
            n_norms += new as usize;
        }
        self.norms.truncate(n_norms);
        if let Some(m) = &mut self.matcher {
            let hits = m.find(&self.an, core_toks);
            // A document without hits keeps no counts: most short
            // documents (a paragraph, a post) have none, and a million of
            // them held 128 MB of zeros.
            if !hits.is_empty() && part.frames.is_empty() {
                let n_frames = plan.frames.as_ref().map_or(0, |f| f.len());
                part.frames = vec![FrameCount::default(); n_frames];
            }
            for h in &hits {
                let fc = &mut part.frames[h.frame as usize];
                fc.hits += 1;
                fc.negated += h.negated as u64;
                // The hit in `toks`.
                let h = h.after(ctx);
                let (i, j) = (h.start as usize, h.end as usize);
                let (bs, be) = (toks[i].start, toks[j].end);
                let cov =
                    &mut self.coverage[self.pattern_base[h.frame as usize] + h.pattern as usize];
                cov.hits += 1;
                if cov.last_doc != doc.index + 1 {
                    cov.last_doc = doc.index + 1;
                    cov.n_docs += 1;
                }
                // A form seen before is counted without a string made
                // for it (a lexicon of common words has a hit a token):
                // the keys are collapsed, so a form equal to one is too.
                let form = &doc.text[bs..be];
                match cov.forms.get_mut(form) {
                    Some(n) => *n += 1,
                    None => *cov.forms.entry(collapse(form)).or_default() += 1,
                }
                if doc.index < plan.mark_docs && (h.frame as usize) < plan.mark_frames {
                    part.marks.add(h.frame as usize, h.start + base as u32);
                }
                let f = h.frame as usize;
                if plan.hit_sample > 0 {
                    let key = sample_key(doc.index, &h.after(base));
                    if key <= self.lines.below[f].load(std::sync::atomic::Ordering::Relaxed) {
                        self.sample_hits.push((key, h));
                    }
                }
                // Past the cap in this document, or in those the reading
                // side has taken, all of which come before it.
                let past_cap = plan.keep_hits
                    && plan.max_hits_per_frame.is_some_and(|cap| {
                        if part.hits_cut.len() <= f {
                            part.hits_cut.resize(f + 1, 0);
                        }
                        let listed = fc.hits as usize - part.hits_cut[f] as usize;
                        listed > cap
                            || self.lines.full[f].load(std::sync::atomic::Ordering::Relaxed)
                    });
                if past_cap {
                    part.hits_cut[h.frame as usize] += 1;
                } else if plan.keep_hits {
                    part.hits.push(HitRow::in_part(
                        doc,
                        toks,
                        &h,
                        base,
                        plan.kwic_window,
                        false,
                    ));
                }
            }
            if !self.sample_hits.is_empty() {
                // Each frame's first lines by key (ties by place, as in
                // sample_order: the part is one document's).
                self.sample_hits
                    .sort_unstable_by_key(|(k, h)| (h.frame, *k, h.start, h.end, h.pattern));
                keep_first_per_frame(&mut self.sample_hits, |(_, h)| h.frame, plan.hit_sample);
                for (key, h) in self.sample_hits.drain(..) {
                    let row = HitRow::in_part(doc, toks, &h, base, plan.kwic_window, false);
                    part.sample.push((key, row));
                }
                keep_sample(&mut part.sample, plan.hit_sample);
            }
        }
        if plan.postings == Some(Unit::Stem) {
            for t in core_toks {
                let content = !self.an.is_stopword(t.norm);
                if plan.postings_drop_stopwords && !content {
                    continue;
                }
                let e = self.doc_terms.entry(t.stem).or_insert((0, false));
                e.0 += 1;
                e.1 = e.1 || content;
            }
        }
        // n-grams lie in one sentence, so a part's are the document's
        // that start in it; tables of norms are made from `norms` once
        // the document is read.
        if part.grown.len() < plan.tables.len() {
            part.grown.resize(plan.tables.len(), 0);
        }
        for (i, spec) in plan.tables.iter().enumerate() {
            if spec.n == 1 && spec.unit == Unit::Norm {
                continue;
            }
            if spec.by == By::Doc {
                count_grams(&self.an, core_toks, spec, &mut self.grams[i]);
            } else if spec.hashed() {
                let counts = self.tables[i]
                    .entry(gids[i])
                    .or_insert_with(|| SymCounts::new(spec.n));
                let before = counts.len();
                counts.add_tokens(&self.an, core_toks, spec, doc.index as u32);
                part.grown[i] += counts.len() - before;
            }
        }
    }

    /// The result of a document whose tokens are all counted
    /// ([`Shard::count_part`]): its tables of norms, its summary, its
    /// terms for the postings.
    fn finish_doc(
        &mut self,
        doc: &Document,
        gids: &[u32],
        plan: &Plan,
        part: DocPart,
        first_new: Sym,
    ) -> DocResult {
        for &(sym, _) in &self.norms {
            self.norm_slot[sym as usize] = 0;
        }
        let n_tokens = part.n_tokens;
        let mut figures = doc_figures(doc, &part, self.norms.len() as u64);
        figures.frames = part.frames;
        // The document's terms go back with its result: postings are
        // built on the reading side, in document order.
        let terms = match plan.postings {
            None => Vec::new(),
            Some(Unit::Norm) => self.norms.clone(),
            Some(Unit::Stem) => {
                let mut terms = Vec::with_capacity(self.doc_terms.len());
                for (&sym, &(n, content)) in &self.doc_terms {
                    if content {
                        self.content.insert(sym);
                    }
                    terms.push((sym, n));
                }
                terms
            }
        };
        let mut tables = Vec::with_capacity(plan.tables.len());
        for (i, spec) in plan.tables.iter().enumerate() {
            let norm_unigrams = spec.n == 1 && spec.unit == Unit::Norm;
            if spec.by == By::Doc {
                tables.push(Some(self.doc_table(i, spec, doc, n_tokens)));
                continue;
            }
            let counts = self.tables[i]
                .entry(gids[i])
                .or_insert_with(|| SymCounts::new(spec.n));
            if !spec.hashed() {
                counts.n_tokens += n_tokens;
                counts.n_docs += 1;
                add_dense(
                    &mut self.dense[i],
                    &self.an,
                    &self.norms,
                    spec.drop_stopwords,
                );
            } else {
                let mut more = part.grown.get(i).copied().unwrap_or(0);
                if norm_unigrams {
                    let before = counts.len();
                    counts.add_norm_counts(
                        &self.an,
                        n_tokens,
                        &self.norms,
                        spec.drop_stopwords,
                        doc.index as u32,
                    );
                    more += counts.len() - before;
                } else {
                    counts.n_tokens += n_tokens;
                    counts.n_docs += 1;
                }
                // A table spills between documents only: a document's
                // terms are counted as new to it once.
                self.held_more(i, more, plan);
            }
            tables.push(None);
        }
        DocResult {
            figures,
            hits: part.hits,
            hits_cut: part.hits_cut,
            sample: part.sample,
            marks: part.marks.into_marks(part.n_tokens),
            tables,
            formatted: Vec::new(),
            digest: fingerprint(plan, doc),
            index: doc.index as u32,
            worker: self.id,
            terms,
            new_symbols: match plan.postings {
                None => (0, Vec::new()),
                Some(_) => (
                    first_new,
                    (first_new..self.an.n_symbols() as Sym)
                        .map(|s| self.an.resolve(s).into())
                        .collect(),
                ),
            },
        }
    }

    /// Document `doc`'s own table `i` (grouped by document) from its
    /// norms or its n-grams as counted.
    fn doc_table(
        &mut self,
        i: usize,
        spec: &TableSpec,
        doc: &Document,
        n_tokens: u64,
    ) -> GroupFrequency {
        let norm_unigrams = spec.n == 1 && spec.unit == Unit::Norm;
        // Only the top terms become strings: every term counted at
        // least as often as the top-th (ties kept, then ranked).
        let mut ranked = std::mem::take(&mut self.ranked);
        ranked.clear();
        if norm_unigrams {
            let an = &self.an;
            ranked.extend(
                self.norms
                    .iter()
                    .filter(|&&(s, n)| {
                        n as u64 >= spec.min_count && !(spec.drop_stopwords && an.is_stopword(s))
                    })
                    .map(|&(s, n)| {
                        let mut g: Gram = [Sym::MAX; MAX_NGRAM];
                        g[0] = s;
                        (g, n as u64)
                    }),
            );
        } else {
            ranked.extend(
                self.grams[i]
                    .iter()
                    .filter(|(_, &n)| n >= spec.min_count)
                    .map(|(g, &n)| (*g, n)),
            );
        }
        if let Some(top) = spec.top {
            if top == 0 {
                ranked.clear();
            } else if ranked.len() > top {
                ranked.select_nth_unstable_by(top - 1, |a, b| b.1.cmp(&a.1));
                let kth = ranked[top - 1].1;
                ranked.retain(|r| r.1 >= kth);
            }
        }
        // Ranked by count, then text (as frequency_terms ranks),
        // and only the kept rows become strings. A unigram's text
        // is its symbol's, read only when the first 8 bytes kept
        // beside the symbol do not decide; an n-gram's is made.
        let an = &self.an;
        let joined: Vec<String> = if norm_unigrams {
            Vec::new()
        } else {
            ranked
                .iter()
                .map(|(g, _)| {
                    let mut key = String::new();
                    counts::gram_text(an, g, &mut key);
                    key
                })
                .collect()
        };
        let text_of = |(g, k): (&Gram, u32)| -> &str {
            if norm_unigrams {
                an.resolve(g[0])
            } else {
                &joined[k as usize]
            }
        };
        let mut cands = std::mem::take(&mut self.cands);
        cands.clear();
        // A word's prefix (and where its text lies) is a cache miss for
        // a rare word: asked for a few words ahead, the first ones before.
        const AHEAD: usize = crate::mem::SHORT_LOOP_AHEAD;
        if norm_unigrams {
            for (g, _) in ranked.iter().take(AHEAD) {
                an.prefetch_prefix(g[0]);
            }
        }
        cands.extend(ranked.iter().enumerate().map(|(k, &(g, n))| {
            let prefix = if norm_unigrams {
                if let Some((ahead, _)) = ranked.get(k + AHEAD) {
                    an.prefetch_prefix(ahead[0]);
                }
                an.prefix(g[0])
            } else {
                text_prefix(&joined[k])
            };
            (n, prefix, g, k as u32)
        }));
        let order = |a: &DocCand, b: &DocCand| {
            b.0.cmp(&a.0)
                .then(a.1.cmp(&b.1))
                .then_with(|| text_of((&a.2, a.3)).cmp(text_of((&b.2, b.3))))
        };
        if let Some(top) = spec.top {
            if cands.len() > top {
                cands.select_nth_unstable_by(top - 1, order);
                cands.truncate(top);
            }
        }
        cands.sort_unstable_by(order);
        if norm_unigrams {
            // The kept words' texts, asked for together rather than
            // waited for one after the other below.
            for c in &cands {
                an.prefetch_text(c.2[0]);
            }
        }
        // The strings of the last table given back are written
        // over: no allocation once they are long enough.
        let mut table = self.spare[i].take().unwrap_or_default();
        table.group.clear();
        table.group.push_str(&doc.id);
        table.n_tokens = n_tokens;
        table.n_docs = 1;
        table.terms.truncate(cands.len());
        for (k, (n, _, g, j)) in cands.drain(..).enumerate() {
            let text = text_of((&g, j));
            let per_1k = stats::per_1k(n, n_tokens);
            match table.terms.get_mut(k) {
                Some(t) => {
                    t.term.clear();
                    t.term.push_str(text);
                    (t.n, t.per_1k, t.n_docs) = (n, per_1k, 1);
                }
                None => table.terms.push(stats::TermFrequency {
                    term: text.to_string(),
                    n,
                    per_1k,
                    n_docs: 1,
                }),
            }
        }
        self.ranked = ranked;
        self.cands = cands;
        table
    }

    /// The result of a document counted by stamps
    /// ([`Shard::stamped`]): its summary, and its tokens and document
    /// added to each table's totals.
    fn counted_by_stamps(
        &mut self,
        doc: &Document,
        gids: &[u32],
        plan: &Plan,
        part: &DocPart,
    ) -> DocResult {
        let n_tokens = part.n_tokens;
        for (i, spec) in plan.tables.iter().enumerate() {
            let counts = self.tables[i]
                .entry(gids[i])
                .or_insert_with(|| SymCounts::new(spec.n));
            counts.n_tokens += n_tokens;
            counts.n_docs += 1;
        }
        DocResult {
            figures: doc_figures(doc, part, part.n_types),
            hits: Vec::new(),
            hits_cut: Vec::new(),
            sample: Vec::new(),
            marks: Vec::new(),
            tables: plan.tables.iter().map(|_| None).collect(),
            formatted: Vec::new(),
            digest: fingerprint(plan, doc),
            index: doc.index as u32,
            worker: self.id,
            terms: Vec::new(),
            new_symbols: (0, Vec::new()),
        }
    }

    /// Count document `doc` when only its norms are counted, by stamps,
    /// and no summary is kept (`freq --by corpus`): its text is read a
    /// part of [`Plan::segment_bytes`] at a time into norms alone, with
    /// no tokens, sentences or stems made. The tables come out as
    /// [`Shard::add`]'s other ways make them; the summary (not kept) has
    /// no sentence count.
    fn count_norms(&mut self, doc: &Document, gids: &[u32], plan: &Plan) -> DocResult {
        let text = doc.text.as_str();
        let stamped = self.stamped.as_mut().expect("counting by stamps");
        let mut part = DocPart::default();
        let mut from = 0;
        while from < text.len() {
            let end = crate::text::segment_end(text, from, plan.segment_bytes);
            self.norm_syms.clear();
            self.an.norms_until(text, from, end, &mut self.norm_syms);
            part.n_tokens += self.norm_syms.len() as u64;
            part.n_types +=
                count_by_stamps(stamped, &self.an, &self.norm_syms, plan, doc.index as u32);
            from = end;
        }
        self.counted_by_stamps(doc, gids, plan, &part)
    }

    /// Move the dense counts into the tables: the pass is over.
    fn settle(&mut self) {
        // The pass is over: no word is read again, so the surfaces seen
        // go before the merges, whose peak they would add to.
        self.an.forget_surfaces();
        if let Some(stamped) = self.stamped.take() {
            for (dense, stamped) in self.dense.iter_mut().zip(stamped) {
                *dense = stamped
                    .into_iter()
                    .map(|[n, n_docs, _]| grammap::Acc { n, n_docs })
                    .collect();
            }
        }
        for (dense, groups) in self.dense.iter_mut().zip(&mut self.tables) {
            let dense = std::mem::take(dense);
            if dense.is_empty() {
                continue;
            }
            // Dense counts are kept for one group only: the corpus.
            debug_assert_eq!(groups.len(), 1);
            for counts in groups.values_mut() {
                counts.add_dense_unigrams(&dense);
            }
        }
    }
}

/// Whether a plan's tables are all corpus-wide tables of norms and
/// nothing else reads a document's norm counts (no postings, no frames,
/// no hit lines): then each token is counted straight into its norm's
/// slot ([`Shard::stamped`]).
fn stamps_suffice(plan: &Plan) -> bool {
    plan.postings.is_none()
        && plan.frames.is_none()
        && !plan.tables.is_empty()
        && plan.tables.iter().all(TableSpec::dense)
}

/// Count document `doc`'s tokens into each table's stamped counts
/// ([`Shard::stamped`]) and return its number of distinct norms. A norm
/// is new to the document when its slot's stamp is not the document's;
/// a stopword, in a table without them, is stamped but not counted.
fn count_by_stamps<T: HasNorm>(
    stamped: &mut [Vec<[u32; 3]>],
    an: &Analyzer,
    toks: &[T],
    plan: &Plan,
    doc: u32,
) -> u64 {
    let stamp = doc.wrapping_add(1);
    let mut n_types = 0;
    for (i, (slots, spec)) in stamped.iter_mut().zip(&plan.tables).enumerate() {
        if slots.len() < an.n_symbols() {
            slots.resize(an.n_symbols(), [0; 3]);
        }
        let mut new_norms = 0u64;
        // The first slots are asked for before the loop, which asks for
        // each later one as far ahead: a sentence-sized document's
        // tokens would otherwise all be waited for one after the other.
        for t in toks.iter().take(crate::mem::SHORT_LOOP_AHEAD) {
            crate::mem::prefetch(&slots[t.norm() as usize]);
        }
        for (k, t) in toks.iter().enumerate() {
            // A rare norm's slot is a cache miss: ask for it early.
            if let Some(ahead) = toks.get(k + crate::mem::SHORT_LOOP_AHEAD) {
                crate::mem::prefetch(&slots[ahead.norm() as usize]);
            }
            let norm = t.norm();
            let counted = !(spec.drop_stopwords && an.is_stopword(norm)) as u32;
            let slot = &mut slots[norm as usize];
            let new = (slot[2] != stamp) as u32;
            slot[2] = stamp;
            new_norms += new as u64;
            slot[0] = slot[0].saturating_add(counted);
            slot[1] = slot[1].saturating_add(counted & new);
        }
        if i == 0 {
            n_types = new_norms;
        }
    }
    n_types
}

/// A token, or its norm alone.
trait HasNorm {
    fn norm(&self) -> Sym;
}

impl HasNorm for Token {
    #[inline]
    fn norm(&self) -> Sym {
        self.norm
    }
}

impl HasNorm for Sym {
    #[inline]
    fn norm(&self) -> Sym {
        *self
    }
}

/// Add one document's norm counts to dense per-symbol counts.
fn add_dense(
    dense: &mut Vec<grammap::Acc>,
    an: &Analyzer,
    norms: &[(Sym, u32)],
    drop_stopwords: bool,
) {
    if dense.len() < an.n_symbols() {
        dense.resize(an.n_symbols(), grammap::Acc::default());
    }
    for &(sym, _) in norms.iter().take(crate::mem::SHORT_LOOP_AHEAD) {
        crate::mem::prefetch(&dense[sym as usize]);
    }
    for (k, &(sym, n)) in norms.iter().enumerate() {
        // A rare norm's counts are a cache miss: ask for them early.
        if let Some(&(ahead, _)) = norms.get(k + crate::mem::SHORT_LOOP_AHEAD) {
            crate::mem::prefetch(&dense[ahead as usize]);
        }
        if drop_stopwords && an.is_stopword(sym) {
            continue;
        }
        let acc = &mut dense[sym as usize];
        acc.n = acc.n.saturating_add(n);
        acc.n_docs = acc.n_docs.saturating_add(1);
    }
}

/// Count the n-grams of one document into `grams` (cleared first).
fn count_grams(an: &Analyzer, toks: &[Token], spec: &TableSpec, grams: &mut FxHashMap<Gram, u64>) {
    let n = spec.n;
    if toks.len() < n {
        return;
    }
    for w in toks.windows(n) {
        if w[0].sentence != w[n - 1].sentence {
            continue;
        }
        if spec.drop_stopwords && (an.is_stopword(w[0].norm) || an.is_stopword(w[n - 1].norm)) {
            continue;
        }
        let mut g: Gram = [Sym::MAX; MAX_NGRAM];
        for (slot, t) in g.iter_mut().zip(w) {
            *slot = match spec.unit {
                Unit::Norm => t.norm,
                Unit::Stem => t.stem,
            };
        }
        *grams.entry(g).or_insert(0) += 1;
    }
}

/// A document's counts before its frames are counted.
fn doc_figures(doc: &Document, part: &DocPart, n_types: u64) -> DocFigures {
    DocFigures {
        n_tokens: part.n_tokens,
        n_types,
        n_sentences: part.n_sentences,
        n_bytes: doc.text.len() as u64,
        frames: Vec::new(),
    }
}

/// The document's [`digest`] when the plan makes a fingerprint, zeros
/// otherwise.
fn fingerprint(plan: &Plan, doc: &Document) -> [u8; 32] {
    if plan.fingerprint {
        digest(doc)
    } else {
        [0; 32]
    }
}

fn digest(doc: &Document) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(doc.id.as_bytes());
    for (k, v) in doc.meta.iter() {
        h.update([0x1e]);
        h.update(k.as_bytes());
        h.update([0x1f]);
        h.update(v.as_bytes());
    }
    h.update([0]);
    h.update(doc.text.as_bytes());
    h.finalize().into()
}

fn finish(
    plan: &Plan,
    shards: Vec<Shard>,
    groups: Vec<GroupIndex>,
    kept: Kept,
    columns: Vec<String>,
    fp: Sha256,
) -> Result<CorpusAnalysis> {
    let Kept {
        docs,
        hits,
        marks,
        per_doc,
    } = kept;
    // One symbol space for all workers: counts merge on integers.
    let mut shards = shards;
    let coverage = merge_coverage(
        shards
            .iter_mut()
            .map(|s| std::mem::take(&mut s.coverage))
            .collect(),
    );
    let mut shard_tables: Vec<_> = shards
        .iter_mut()
        .map(|s| std::mem::take(&mut s.tables))
        .collect();
    let spills: usize = shard_tables
        .iter()
        .flatten()
        .flat_map(|m| m.values())
        .map(|c| c.n_spills())
        .sum();
    if spills > 0 {
        crate::timing::note(&format!("{spills} table spills to temporary files"));
    }
    // The worker with the most counts lends its symbols to the shared
    // vocabulary (added first, its ids do not change), so its tables
    // become the merged tables without a copy: peak memory is the largest
    // table set, not twice it. Output never depends on ids.
    let size = |t: &Vec<FxHashMap<u32, SymCounts>>| -> usize {
        t.iter().flat_map(|m| m.values()).map(|c| c.len()).sum()
    };
    let mut order: Vec<usize> = (0..shards.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(size(&shard_tables[i])), i));
    let mut vocab = Vocab::default();
    let mut remaps: Vec<Arc<Vec<Sym>>> = vec![Arc::default(); shards.len()];
    for &i in &order {
        remaps[i] = Arc::new(vocab.add(&shards[i].an));
    }
    let base = order[0];
    crate::timing::phase("vocabulary");
    // Each table merges on its own, in parallel with the others and with
    // the postings: the merge is most of the work after the pass.
    let per_table: Vec<Vec<FxHashMap<u32, SymCounts>>> = (0..plan.tables.len())
        .map(|i| {
            shard_tables
                .iter_mut()
                .map(|st| std::mem::take(&mut st[i]))
                .collect()
        })
        .collect();
    type TableParts = (Vec<FxHashMap<u32, SymCounts>>, Vec<GroupFrequency>);
    let merge_table = |(i, (shard_maps, own)): (usize, TableParts)| {
        let spec = &plan.tables[i];
        if spec.by == By::Doc {
            return Ok((own, Vec::new()));
        }
        let names = &groups[i].names;
        let mut merged: Vec<SymCounts> = names.iter().map(|_| SymCounts::new(spec.n)).collect();
        // A group some worker spilled is counted from files: every
        // worker's counts of it go to files.
        let mut spilled = vec![false; names.len()];
        for map in &shard_maps {
            for (&gid, sc) in map {
                spilled[gid as usize] |= sc.spilled();
            }
        }
        let mut shard_maps = shard_maps;
        for (gid, sc) in std::mem::take(&mut shard_maps[base]) {
            merged[gid as usize] = sc;
        }
        // A group's counts are final after the last worker that has the
        // group: that merge can leave out terms that stay below min_count.
        let mut last_with: Vec<Option<usize>> = vec![None; merged.len()];
        for (w, map) in shard_maps.iter().enumerate() {
            if w != base {
                for &gid in map.keys() {
                    last_with[gid as usize] = Some(w);
                }
            }
        }
        for (w, (map, remap)) in shard_maps.into_iter().zip(&remaps).enumerate() {
            if w == base {
                continue;
            }
            for (gid, sc) in map {
                if spilled[gid as usize] {
                    merged[gid as usize].absorb(sc, &shards[w].an, remap)?;
                    continue;
                }
                let last = last_with[gid as usize] == Some(w);
                let min = if last { spec.min_count } else { 0 };
                merged[gid as usize].merge_remapped(sc, remap, min);
            }
        }
        for (m, _) in merged.iter_mut().zip(&spilled).filter(|(_, s)| **s) {
            m.unspill(&shards[base].an, spec.min_count)?;
        }
        crate::timing::phase(&format!("merge table {i}"));
        let rows = if spec.keyed {
            let keyed: Vec<KeyedRows> = names
                .iter()
                .zip(merged)
                .map(|(name, c)| c.keyed(&vocab, name, spec.min_count, spec.top))
                .collect();
            let groups = keyed
                .iter()
                .map(|k| GroupFrequency {
                    group: k.group.clone(),
                    n_tokens: k.n_tokens,
                    n_docs: k.n_docs,
                    terms: Vec::new(),
                })
                .collect();
            (groups, keyed)
        } else {
            let groups = names
                .iter()
                .zip(merged)
                .map(|(name, c)| {
                    let (n_tokens, n_docs) = (c.n_tokens, c.n_docs);
                    let rows = c.rows(&vocab, spec.min_count);
                    stats::frequency_terms(name, n_tokens, n_docs, rows, spec.top)
                })
                .collect();
            (groups, Vec::new())
        };
        crate::timing::phase(&format!("rows of table {i}"));
        // A field's groups in value order (years by date), as `units`
        // and `frame_scores` give them.
        let (mut groups, mut keyed): (Vec<GroupFrequency>, Vec<KeyedRows>) = rows;
        if matches!(spec.by, By::Field(_)) {
            let order =
                |a: &GroupFrequency, b: &GroupFrequency| stats::group_order(&a.group, &b.group);
            if keyed.is_empty() {
                groups.sort_by(order);
            } else {
                let mut both: Vec<_> = groups.into_iter().zip(keyed).collect();
                both.sort_by(|a, b| order(&a.0, &b.0));
                (groups, keyed) = both.into_iter().unzip();
            }
        }
        Ok((groups, keyed))
    };
    // One table at a time, then the postings: merging them all at once
    // was faster by a second or two on a gigabyte but held every table's
    // merge state together (the peak of the whole run).
    let (tables, keyed): (Vec<Vec<GroupFrequency>>, Vec<Vec<KeyedRows>>) = per_table
        .into_iter()
        .zip(per_doc)
        .enumerate()
        .map(merge_table)
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .unzip();
    let n_types = vocab.n_norms;
    let fingerprint = if plan.fingerprint {
        fp.finalize().iter().map(|b| format!("{b:02x}")).collect()
    } else {
        String::new()
    };
    Ok(CorpusAnalysis {
        docs,
        columns,
        tables,
        keyed,
        n_types,
        fingerprint,
        hits,
        hits_listed: Vec::new(),
        hit_sample: Vec::new(),
        coverage,
        postings: None,
        hits_dropped: 0,
        marks,
        spills: spills as u64,
    })
}

/// Postings built as results come back, in document order: each list is
/// appended to in increasing document order, so it never needs sorting,
/// and no worker holds postings of its own to merge at the end (that
/// merge held every list twice: the peak of a big run). Each result
/// brings the symbols its worker made while reading it, so the reading
/// side never waits on a busy worker to learn them.
#[derive(Default)]
struct PostingsSink {
    /// Term text by shared symbol.
    strings: crate::text::Interner,
    /// Per worker: its symbol → shared symbol ([`Sym::MAX`]: not known).
    remaps: Vec<Vec<Sym>>,
    lists: Vec<DocCounts>,
}

impl PostingsSink {
    /// Bytes its lists hold.
    fn heap_bytes(&self) -> usize {
        self.lists.iter().map(DocCounts::heap_bytes).sum()
    }

    /// Bytes its terms' texts and the workers' maps to them hold.
    fn vocabulary_bytes(&self) -> usize {
        self.strings.heap_bytes()
            + self.remaps.iter().map(|r| r.capacity() * 4).sum::<usize>()
            + self.lists.capacity() * std::mem::size_of::<DocCounts>()
    }

    /// A sink knowing the symbols the workers made before the pass (the
    /// lexicon's words).
    fn new(workers: &[std::sync::Mutex<Shard>]) -> PostingsSink {
        let mut sink = PostingsSink::default();
        for (w, shard) in workers.iter().enumerate() {
            let shard = shard.lock().unwrap_or_else(|p| p.into_inner());
            let an = &shard.an;
            let strings: Vec<&str> = (0..an.n_symbols() as Sym).map(|s| an.resolve(s)).collect();
            sink.learn(w, 0, &strings);
        }
        sink
    }

    /// Worker `worker`'s symbols from `first` on are `strings`.
    fn learn<S: AsRef<str>>(&mut self, worker: usize, first: Sym, strings: &[S]) {
        if self.remaps.len() <= worker {
            self.remaps.resize_with(worker + 1, Vec::new);
        }
        let end = first as usize + strings.len();
        if self.remaps[worker].len() < end {
            self.remaps[worker].resize(end, Sym::MAX);
        }
        for (i, s) in strings.iter().enumerate() {
            let s = s.as_ref();
            let (g, new) = self.strings.intern(s);
            if new {
                self.lists.push(DocCounts::default());
            }
            self.remaps[worker][first as usize + i] = g;
        }
    }

    /// Add document `doc`'s terms, in `worker`'s symbols (all learnt).
    fn add(&mut self, worker: usize, doc: u32, terms: &[(Sym, u32)]) {
        // Each push lands in a list of its own, cold in a gigabyte
        // corpus, found through the worker's symbol's entry in `remap`, a
        // miss too for a rare word: the entry is fetched 48 terms ahead,
        // the list's header 32 ahead and the end of its bytes 16 ahead, so
        // that the misses overlap (8 and 16 ahead, without the entry,
        // left most of them waited for).
        let remap = &self.remaps[worker];
        let list = |k: usize| terms.get(k).map(|&(sym, _)| remap[sym as usize] as usize);
        for (k, &(sym, n)) in terms.iter().enumerate() {
            if let Some(&(ahead, _)) = terms.get(k + 48) {
                crate::mem::prefetch(&remap[ahead as usize]);
            }
            if let Some(g) = list(k + 32) {
                crate::mem::prefetch(&self.lists[g]);
            }
            if let Some(g) = list(k + 16) {
                crate::mem::prefetch(self.lists[g].tail());
            }
            self.lists[remap[sym as usize] as usize].push(doc, n);
        }
    }

    /// The postings, terms by text.
    fn finish(self, shards: &[Shard], unit: Unit) -> Postings {
        let mut content: FxHashSet<Sym> = FxHashSet::default();
        for (w, shard) in shards.iter().enumerate() {
            content.extend(shard.content.iter().map(|&s| self.remaps[w][s as usize]));
        }
        let stop = shards.first().map(|s| s.an.stopwords());
        let strings = self.strings;
        let mut terms: Vec<PostingList> = self
            .lists
            .into_par_iter()
            .enumerate()
            .filter(|(_, list)| !list.is_empty())
            .map(|(g, mut docs)| {
                let term = strings.resolve(g as Sym);
                docs.shrink();
                let stopword = match unit {
                    // A norm is a stopword or not, whichever token had it.
                    Unit::Norm => stop.is_some_and(|st| st.contains(term)),
                    Unit::Stem => !content.contains(&(g as Sym)),
                };
                PostingList {
                    term: term.into(),
                    stopword,
                    docs,
                }
            })
            .collect();
        terms.par_sort_unstable_by(|a, b| a.term.cmp(&b.term));
        Postings { terms }
    }
}

/// Sum the workers' pattern coverage and rank each pattern's forms.
fn merge_coverage(shards: Vec<Vec<CoverageAcc>>) -> Vec<PatternCoverage> {
    let n = shards.first().map_or(0, Vec::len);
    let mut merged: Vec<CoverageAcc> = (0..n).map(|_| CoverageAcc::default()).collect();
    for shard in shards {
        for (m, c) in merged.iter_mut().zip(shard) {
            m.hits += c.hits;
            m.n_docs += c.n_docs;
            for (form, k) in c.forms {
                *m.forms.entry(form).or_default() += k;
            }
        }
    }
    merged
        .into_iter()
        .map(|m| {
            let mut forms: Vec<(String, u64)> = m.forms.into_iter().collect();
            forms.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            PatternCoverage {
                hits: m.hits,
                n_docs: m.n_docs,
                forms,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIB: usize = 1 << 20;

    #[test]
    fn tables_share_a_workers_memory_as_powers_of_two() {
        // `run`'s bigram and trigram tables, a worker's part of 384 MiB
        // at 2 threads, then of shares the memory goal shrinks to.
        assert_eq!(table_slots(&[2, 3], 192 * MIB), [1 << 22, 1 << 22]);
        // An even split gave the trigrams 2²¹ slots here (89.5 MiB).
        assert_eq!(table_slots(&[2, 3], 179 * MIB), [1 << 22, 1 << 22]);
        // Both at 2²² (176 MiB) no longer fit: the trigrams keep theirs.
        assert_eq!(table_slots(&[2, 3], 169 * MIB), [1 << 21, 1 << 22]);
        assert_eq!(table_slots(&[3, 2], 169 * MIB), [1 << 22, 1 << 21]);
        // Both at 2²⁰ take 44 MiB: doubling the trigrams would take 68,
        // doubling the bigrams 64.
        assert_eq!(table_slots(&[2, 3], 64 * MIB), [1 << 21, 1 << 20]);
        // One table takes the biggest power of two that fits, as before.
        assert_eq!(table_slots(&[3], 192 * MIB), [1 << 23]);
        assert_eq!(table_slots(&[3], 191 * MIB), [1 << 22]);
        assert_eq!(table_slots(&[], 192 * MIB), Vec::<usize>::new());
    }

    #[test]
    fn tables_stay_in_their_memory_and_the_longest_gets_at_least_an_even_split() {
        let sets: [&[usize]; 5] = [&[1], &[2, 3], &[3, 2], &[1, 2, 3], &[5, 5, 1, 4]];
        for ns in sets {
            let mut bytes = 1024usize;
            while bytes < (1 << 32) {
                let slots = table_slots(ns, bytes);
                let used: usize = ns
                    .iter()
                    .zip(&slots)
                    .map(|(&n, &s)| s * counts::slot_bytes(n))
                    .sum();
                assert!(
                    used <= bytes,
                    "{ns:?} in {bytes} bytes: {slots:?} take {used}"
                );
                // The longest n-grams, first served, never lose by it
                // (another table may: in 1296 bytes the bigrams get 16
                // slots, the trigrams 32; split evenly, 32 and 16).
                let longest = (0..ns.len()).max_by_key(|&i| (ns[i], std::cmp::Reverse(i)));
                if let Some(i) = longest {
                    let even = counts::spill_threshold(ns[i], bytes / ns.len()).1;
                    let s = slots[i];
                    assert!(
                        s >= even,
                        "{ns:?} in {bytes} bytes: {s} slots, {even} split evenly"
                    );
                }
                bytes = bytes * 9 / 8;
            }
        }
    }
}
