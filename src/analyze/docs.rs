//! Every document's summary, kept by column: what a pass keeps of each
//! document once its text is gone.
//!
//! A corpus of millions of short documents (posts, paragraphs, press
//! lines) keeps millions of summaries. As one struct each, with its id,
//! metadata and frame counts on the heap, they cost about 160 bytes a
//! document, in a vector whose doubling held two copies at once: 1.2 GiB
//! of a run over 3 M paragraphs. Here a document costs 28 bytes of
//! columns plus its id and metadata values, length-prefixed in chunks of
//! a buffer; field names are kept once per distinct list of fields, and
//! frame counts only for documents with hits. A value the document
//! before had in the same field (the title of every sentence of one
//! article, a date, a category) is a reference back to it, of a byte or
//! three: 2.2 M sentences with their article's id, date, title and
//! category held 817 MiB as one growing buffer, 409 MiB in chunks with
//! references.

use std::fmt;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::{DocFigures, DocSummary, FrameCount};
use crate::corpus::{Fields, Meta};
use crate::varint;

/// The summaries of a corpus's documents, in corpus order.
///
/// ```
/// use framescope::analyze::{DocSummary, Docs, FrameCount};
/// use framescope::corpus::Meta;
/// let d = DocSummary {
///     id: "a".into(),
///     meta: Meta::new(vec![("date".into(), "2024-07".into())]),
///     n_tokens: 12, n_types: 9, n_sentences: 2, n_bytes: 70,
///     frames: vec![FrameCount { hits: 3, negated: 1 }],
/// };
/// let docs: Docs = vec![d.clone()].into_iter().collect();
/// assert_eq!(docs.len(), 1);
/// assert_eq!(docs.doc(0).id(), "a");
/// assert_eq!(docs.doc(0).meta().field("a", "year").as_deref(), Some("2024"));
/// assert_eq!(docs.doc(0).frame(0).hits, 3);
/// assert_eq!(docs.doc(0).frame(5), FrameCount::default());
/// assert_eq!(docs.doc(0).to_summary(), d);
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct Docs {
    /// Per document: where its id and values start in `chunks`: the
    /// chunk's number above bit [`OFFSET_BITS`], the offset in it below
    /// (a chunk of one document's metadata may pass 4 GiB).
    at: Vec<u64>,
    /// Per document: its list of field names in `schemas`.
    schema: Vec<u32>,
    /// Per document: tokens, types, sentences and bytes; all four
    /// [`WIDE`] when one of them does not fit, and then in `wide`.
    counts: Vec<[u32; 4]>,
    /// Each document's id, then each of its values (see [`put_str`] and
    /// [`put_value`]), in chunks of [`CHUNK`] bytes (more for a document
    /// that needs more): a document lies in one chunk, and no chunk is
    /// ever moved or copied as the corpus grows.
    chunks: Vec<Vec<u8>>,
    /// Where each value of the document before lies in the last chunk
    /// (at its length), while the next document's values may refer to
    /// them; empty once a new chunk is begun.
    last_values: Vec<usize>,
    /// Each distinct list of field names, in order of first use.
    schemas: Vec<Box<[Box<str>]>>,
    schema_ids: FxHashMap<Box<[Box<str>]>, u32>,
    /// The documents whose counts do not fit in 32 bits, by index.
    wide: Vec<(u32, [u64; 4])>,
    /// One bit per document, 64 documents a word: has it frame counts?
    framed: Vec<u64>,
    /// Per word of `framed`: the documents with frame counts before it.
    ranks: Vec<u32>,
    /// Per document with frame counts, in order: where they start in
    /// `frames` (they end where the next one's start).
    starts: Vec<usize>,
    frames: Vec<FrameCount>,
}

/// Counts of a document with a count of 2³² − 1 or more.
const WIDE: u32 = u32::MAX;

/// Bytes of a chunk of ids and values.
const CHUNK: usize = 1 << 20;

/// Bits of an offset in a chunk, in the numbers of `Docs::at`.
const OFFSET_BITS: u32 = 40;

impl Docs {
    /// No documents.
    pub fn new() -> Docs {
        Docs::default()
    }

    /// Documents kept.
    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Keep one more document's summary.
    pub fn push(&mut self, d: &DocSummary) {
        let counts = [d.n_tokens, d.n_types, d.n_sentences, d.n_bytes];
        self.push_with(&d.id, &d.meta, counts, &d.frames);
    }

    /// Keep one more document's summary: its id and metadata, and its
    /// counts as a worker made them.
    pub(crate) fn push_figures(&mut self, id: &str, meta: &Meta, d: &DocFigures) {
        let counts = [d.n_tokens, d.n_types, d.n_sentences, d.n_bytes];
        self.push_with(id, meta, counts, &d.frames);
    }

    /// [`Docs::push`] of the document `id` with `meta`, its tokens,
    /// types, sentences and bytes (`wide`) and its frame counts.
    fn push_with(&mut self, id: &str, meta: &Meta, wide: [u64; 4], frames: &[FrameCount]) {
        let i = self.at.len() as u32;
        let schema = self.schema_of(meta);
        let same_fields = self.schema.last() == Some(&schema);
        // The most a document's entry takes: a length of up to 10 bytes
        // and the text, for its id and each value.
        let need: usize = 10 + id.len() + meta.iter().map(|(_, v)| 10 + v.len()).sum::<usize>();
        let fits = self
            .chunks
            .last()
            .is_some_and(|c| c.len() + need <= c.capacity());
        if !fits {
            self.chunks.push(Vec::with_capacity(CHUNK.max(need)));
            self.last_values.clear();
        }
        let c = self.chunks.len() - 1;
        let chunk = &mut self.chunks[c];
        self.at
            .push(((c as u64) << OFFSET_BITS) | chunk.len() as u64);
        put_str(chunk, id);
        let refer = same_fields && !self.last_values.is_empty();
        if !refer {
            self.last_values.clear();
        }
        for (k, (_, v)) in meta.iter().enumerate() {
            let at = put_value(chunk, v, refer.then(|| self.last_values[k]));
            if refer {
                self.last_values[k] = at;
            } else {
                self.last_values.push(at);
            }
        }
        self.schema.push(schema);
        match wide.map(u32::try_from) {
            [Ok(a), Ok(b), Ok(c), Ok(e)] if ![a, b, c, e].contains(&WIDE) => {
                self.counts.push([a, b, c, e]);
            }
            _ => {
                self.counts.push([WIDE; 4]);
                self.wide.push((i, wide));
            }
        }
        if i % 64 == 0 {
            self.framed.push(0);
            self.ranks.push(self.starts.len() as u32);
        }
        if !frames.is_empty() {
            self.framed[i as usize / 64] |= 1 << (i % 64);
            self.starts.push(self.frames.len());
            self.frames.extend_from_slice(frames);
        }
    }

    /// The number of the list of field names of `meta`.
    fn schema_of(&mut self, meta: &Meta) -> u32 {
        // Most corpora have one list of fields: try the last one first.
        if let Some(&last) = self.schema.last() {
            let keys = &self.schemas[last as usize];
            if keys.len() == meta.iter().count()
                && keys.iter().zip(meta.iter()).all(|(k, (m, _))| **k == *m)
            {
                return last;
            }
        }
        let keys: Box<[Box<str>]> = meta.iter().map(|(k, _)| k.into()).collect();
        if let Some(&id) = self.schema_ids.get(&keys) {
            return id;
        }
        let id = self.schemas.len() as u32;
        self.schemas.push(keys.clone());
        self.schema_ids.insert(keys, id);
        id
    }

    /// Document `i`, or `None` past the end.
    pub fn get(&self, i: usize) -> Option<Doc<'_>> {
        (i < self.len()).then_some(Doc { docs: self, i })
    }

    /// Document `i`.
    ///
    /// # Panics
    /// When `i` is not below [`Docs::len`], like indexing a slice.
    pub fn doc(&self, i: usize) -> Doc<'_> {
        assert!(i < self.len(), "document {i} of {}", self.len());
        Doc { docs: self, i }
    }

    /// The documents in order.
    pub fn iter(&self) -> DocsIter<'_> {
        self.range(0..self.len())
    }

    /// Documents `range` (as far as there are), in order.
    pub fn range(&self, range: Range<usize>) -> DocsIter<'_> {
        let end = range.end.min(self.len());
        DocsIter {
            docs: self,
            range: range.start.min(end)..end,
        }
    }

    /// The first `n` documents (all of them if there are fewer), as a
    /// store of their own.
    pub fn head(&self, n: usize) -> Docs {
        self.range(0..n).map(|d| d.to_summary()).collect()
    }

    /// Bytes held, for the curious (FRAMESCOPE_TIMINGS).
    pub fn heap_bytes(&self) -> usize {
        self.at.capacity() * 8
            + self.schema.capacity() * 4
            + self.counts.capacity() * 16
            + self.chunks.iter().map(Vec::capacity).sum::<usize>()
            + self.wide.capacity() * 40
            + self.framed.capacity() * 8
            + self.ranks.capacity() * 4
            + self.starts.capacity() * 8
            + self.frames.capacity() * std::mem::size_of::<FrameCount>()
    }
}

impl FromIterator<DocSummary> for Docs {
    fn from_iter<I: IntoIterator<Item = DocSummary>>(iter: I) -> Docs {
        let mut docs = Docs::new();
        for d in iter {
            docs.push(&d);
        }
        docs
    }
}

impl<'a> FromIterator<&'a DocSummary> for Docs {
    fn from_iter<I: IntoIterator<Item = &'a DocSummary>>(iter: I) -> Docs {
        let mut docs = Docs::new();
        for d in iter {
            docs.push(d);
        }
        docs
    }
}

impl<'a> IntoIterator for &'a Docs {
    type Item = Doc<'a>;
    type IntoIter = DocsIter<'a>;

    fn into_iter(self) -> DocsIter<'a> {
        self.iter()
    }
}

/// Documents of a [`Docs`], in order.
#[derive(Clone)]
pub struct DocsIter<'a> {
    docs: &'a Docs,
    range: Range<usize>,
}

impl<'a> Iterator for DocsIter<'a> {
    type Item = Doc<'a>;

    fn next(&mut self) -> Option<Doc<'a>> {
        let i = self.range.next()?;
        Some(Doc { docs: self.docs, i })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl DoubleEndedIterator for DocsIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let i = self.range.next_back()?;
        Some(Doc { docs: self.docs, i })
    }
}

impl ExactSizeIterator for DocsIter<'_> {}

impl fmt::Debug for Docs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One kept document: a view into [`Docs`].
#[derive(Clone, Copy)]
pub struct Doc<'a> {
    docs: &'a Docs,
    i: usize,
}

impl<'a> Doc<'a> {
    /// Its index in corpus order.
    pub fn index(&self) -> usize {
        self.i
    }

    /// Its chunk, and where its entry starts in it.
    fn entry(&self) -> (&'a [u8], usize) {
        let at = self.docs.at[self.i];
        let offset = at & ((1 << OFFSET_BITS) - 1);
        (
            &self.docs.chunks[(at >> OFFSET_BITS) as usize],
            offset as usize,
        )
    }

    pub fn id(&self) -> &'a str {
        let (chunk, at) = self.entry();
        read_str(chunk, at).0
    }

    pub fn meta(&self) -> MetaRef<'a> {
        let (chunk, at) = self.entry();
        let (_, values) = read_str(chunk, at);
        MetaRef {
            keys: &self.docs.schemas[self.docs.schema[self.i] as usize],
            bytes: chunk,
            values,
        }
    }

    fn count(&self, k: usize) -> u64 {
        match self.docs.counts[self.i][k] {
            WIDE => {
                let w = &self.docs.wide;
                let at = w.partition_point(|&(d, _)| (d as usize) < self.i);
                w[at].1[k]
            }
            n => n as u64,
        }
    }

    pub fn n_tokens(&self) -> u64 {
        self.count(0)
    }

    /// Distinct norms.
    pub fn n_types(&self) -> u64 {
        self.count(1)
    }

    pub fn n_sentences(&self) -> u64 {
        self.count(2)
    }

    /// UTF-8 bytes of the text.
    pub fn n_bytes(&self) -> u64 {
        self.count(3)
    }

    /// Hits per frame ([`super::FrameSet`] order); empty without frames
    /// and when the document has no hit.
    pub fn frames(&self) -> &'a [FrameCount] {
        let docs = self.docs;
        let (word, bit) = (docs.framed[self.i / 64], self.i % 64);
        if word >> bit & 1 == 0 {
            return &[];
        }
        // Its rank among the documents with counts: those before its word,
        // then those before it in its word.
        let k =
            docs.ranks[self.i / 64] as usize + (word & ((1u64 << bit) - 1)).count_ones() as usize;
        let end = docs.starts.get(k + 1).copied().unwrap_or(docs.frames.len());
        &docs.frames[docs.starts[k]..end]
    }

    /// Hits of frame `f`: zero when the document has no count of it.
    pub fn frame(&self, f: usize) -> FrameCount {
        self.frames().get(f).copied().unwrap_or_default()
    }

    /// The document's summary as one struct of its own.
    pub fn to_summary(&self) -> DocSummary {
        DocSummary {
            id: self.id().to_string(),
            meta: self.meta().to_meta(),
            n_tokens: self.n_tokens(),
            n_types: self.n_types(),
            n_sentences: self.n_sentences(),
            n_bytes: self.n_bytes(),
            frames: self.frames().to_vec(),
        }
    }
}

impl fmt::Debug for Doc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.to_summary().fmt(f)
    }
}

/// A kept document's metadata: field → value, in the source's order.
#[derive(Clone, Copy)]
pub struct MetaRef<'a> {
    keys: &'a [Box<str>],
    /// The document's chunk.
    bytes: &'a [u8],
    /// Where the first value is in `bytes`.
    values: usize,
}

impl<'a> MetaRef<'a> {
    /// The fields and values in order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a str)> + use<'a> {
        let bytes = self.bytes;
        self.keys.iter().scan(self.values, move |at, k| {
            let (v, next) = read_value(bytes, *at);
            *at = next;
            Some((&**k, v))
        })
    }

    /// The value of a field, if the document has it.
    pub fn get(&self, field: &str) -> Option<&'a str> {
        self.iter().find(|&(k, _)| k == field).map(|(_, v)| v)
    }

    /// The value of a grouping field for the document `id` (see
    /// [`Fields::field`]).
    pub fn field(&self, id: &str, field: &str) -> Option<String> {
        Fields::field(self, id, field)
    }

    /// The fields a document can be grouped by, for error messages.
    pub fn group_fields(&self) -> Vec<String> {
        Fields::group_fields(self)
    }

    /// The same metadata, owned.
    pub fn to_meta(&self) -> Meta {
        Meta::new(
            self.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }
}

impl Fields for MetaRef<'_> {
    fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.iter()
    }
}

impl fmt::Debug for MetaRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A string: its length as a LEB128 varint, then its bytes.
fn put_str(bytes: &mut Vec<u8>, s: &str) {
    varint::put(bytes, s.len() as u64);
    bytes.extend_from_slice(s.as_bytes());
}

/// A value: the string as [`put_str`] writes it with its length doubled
/// (an even number), or, when the value is the string whose length is at
/// `before` and saying so is shorter, the distance back to it doubled
/// plus one. Where the string is (at its length), which a reference
/// never is.
fn put_value(bytes: &mut Vec<u8>, s: &str, before: Option<usize>) -> usize {
    let at = bytes.len();
    if let Some(b) = before {
        let back = (at - b) as u64;
        let (same, _) = read_str_of(bytes, b, 1);
        if same == s && varint::len(back * 2 + 1) < varint::len(s.len() as u64 * 2) + s.len() {
            varint::put(bytes, back * 2 + 1);
            return b;
        }
    }
    varint::put(bytes, s.len() as u64 * 2);
    bytes.extend_from_slice(s.as_bytes());
    at
}

/// The string whose length is at `at`, and where the next one's is.
fn read_str(bytes: &[u8], at: usize) -> (&str, usize) {
    read_str_of(bytes, at, 0)
}

/// The string whose length, shifted left by `shift`, is at `at`.
fn read_str_of(bytes: &[u8], at: usize, shift: u32) -> (&str, usize) {
    let (n, at) = varint::read(bytes, at);
    let n = n >> shift;
    let s = &bytes[at..at + n];
    // SAFETY: `put_str` and `put_value` wrote these bytes from a `&str`,
    // after a length that is read back exactly; `at` is always where
    // one of them began a length (a document's start, the end of a
    // string or reference, or where a reference points: a string's
    // length).
    (unsafe { std::str::from_utf8_unchecked(s) }, at + n)
}

/// The value at `at` (see [`put_value`]), and where the next one is.
fn read_value(bytes: &[u8], at: usize) -> (&str, usize) {
    let (n, end) = varint::read(bytes, at);
    if n & 1 == 1 {
        (read_str_of(bytes, at - (n >> 1), 1).0, end)
    } else {
        read_str_of(bytes, at, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, meta: &[(&str, &str)], n: [u64; 4], frames: &[(u64, u64)]) -> DocSummary {
        DocSummary {
            id: id.to_string(),
            meta: Meta::new(
                meta.iter()
                    .map(|&(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
            n_tokens: n[0],
            n_types: n[1],
            n_sentences: n[2],
            n_bytes: n[3],
            frames: frames
                .iter()
                .map(|&(hits, negated)| FrameCount { hits, negated })
                .collect(),
        }
    }

    /// Every summary comes back as it went in: ids and values of every
    /// length (varints of one to three bytes), empty ones, non-ASCII text,
    /// lists of fields that change and come back, counts at and past 32
    /// bits, frame counts on some documents only and of varying length.
    #[test]
    fn summaries_come_back_as_they_went_in() {
        let long = "é".repeat(9000);
        let big = u32::MAX as u64;
        let all = vec![
            summary("", &[], [0, 0, 0, 0], &[]),
            summary(
                "a",
                &[("date", "2024-07"), ("title", "")],
                [1, 2, 3, 4],
                &[(1, 0)],
            ),
            summary(
                &long,
                &[("date", "2024"), ("title", &long)],
                [big - 1, 5, 6, 7],
                &[],
            ),
            summary(
                "c",
                &[("title", "x"), ("date", "2023")],
                [big, 1, 1, 1],
                &[(0, 0), (2, 1)],
            ),
            summary(
                "d",
                &[("date", "2022"), ("title", "y")],
                [1, 1, 1, 1 << 40],
                &[],
            ),
            summary("ж", &[], [9, 9, 9, 9], &[(5, 5), (0, 0), (1, 1)]),
            summary(
                "f",
                &[("date", "2021"), ("title", "z")],
                [2, 2, 2, 2],
                &[(7, 0)],
            ),
        ];
        let docs: Docs = all.iter().collect();
        assert_eq!(docs.len(), all.len());
        let back: Vec<DocSummary> = docs.iter().map(|d| d.to_summary()).collect();
        assert_eq!(back, all);
        // Three lists of fields: none, (date, title), (title, date).
        assert_eq!(docs.schemas.len(), 3);
        assert_eq!(docs.wide.len(), 2);
        for (i, d) in docs.iter().enumerate() {
            assert_eq!(d.index(), i);
            assert_eq!(d.meta().get("title"), all[i].meta.get("title"));
            assert_eq!(
                d.meta().field(d.id(), "year"),
                all[i].meta.field(&all[i].id, "year")
            );
            assert_eq!(d.meta().group_fields(), all[i].meta.group_fields());
            for f in 0..4 {
                assert_eq!(
                    d.frame(f),
                    all[i].frames.get(f).copied().unwrap_or_default()
                );
            }
        }
        assert_eq!(docs.head(3), all[..3].iter().collect::<Docs>());
        assert_eq!(docs.range(5..100).count(), 2);
        assert!(docs.get(all.len()).is_none());
    }

    /// Values repeated from one document to the next (sentences of one
    /// article) come back as they went in, across chunks, changes of
    /// fields, values that come back after a change and values too
    /// short to refer to; and a repeated value is kept once.
    #[test]
    fn repeated_values_come_back_and_are_kept_once() {
        let title = |k: usize| format!("Title of article {} {}", k / 7, "é".repeat(k / 7 % 30));
        let mut all = Vec::new();
        for k in 0..40_000usize {
            let date = format!("2024-0{}", 1 + k / 5000 % 9);
            let mut meta = [
                ("date", date.clone()),
                ("title", title(k)),
                (
                    "kind",
                    ["a", "", "long kind of item"][k / 3 % 3].to_string(),
                ),
                ("page", (k / 2 % 3).to_string()),
            ];
            if k % 1000 >= 997 {
                // Other fields for a few documents, then the usual again.
                meta.reverse();
            }
            let meta: Vec<(&str, &str)> = meta.iter().map(|(f, v)| (*f, v.as_str())).collect();
            all.push(summary(
                &format!("article-{}#{}", k / 7, k % 7),
                &meta,
                [k as u64, 1, 1, 1],
                &[],
            ));
        }
        let docs: Docs = all.iter().collect();
        assert!(docs.chunks.len() > 1, "one chunk: no document crossed one");
        let back: Vec<DocSummary> = docs.iter().map(|d| d.to_summary()).collect();
        assert!(back == all, "a summary came back changed");
        // Each title's bytes once per article, not once per document:
        // against the same documents in an order where no two documents
        // in a row share a title, most of the titles' bytes are saved.
        let held = |d: &Docs| d.chunks.iter().map(Vec::len).sum::<usize>();
        let spread: Docs = (0..all.len()).map(|k| &all[k * 7919 % all.len()]).collect();
        let titles: usize = all.iter().map(|d| d.meta.get("title").unwrap().len()).sum();
        assert!(
            held(&docs) + titles * 3 / 4 < held(&spread),
            "{} bytes held, {} in another order, for {titles} bytes of titles",
            held(&docs),
            held(&spread)
        );
    }
}
