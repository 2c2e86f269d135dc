//! Property tests (proptest) of the invariants the contract implies, on
//! generated text: arbitrary Unicode, and text built from the words,
//! punctuation and white space that make the contract's rules fire.

use std::sync::Arc;

use framescope::analyze::{
    analyze, analyze_with, collapse, concordance, By, DocSummary, DocTables, Docs, FrameCount,
    KeyedRows, KwicQuery, MemoryGoal, Plan, TableSpec, Unit,
};
use framescope::corpus::{Corpus, Meta, ReadOptions};
use framescope::lexicon::{find_naive, FrameMatcher, FrameSet, Lexicon, Pattern};
use framescope::stats::GroupFrequency;
use framescope::text::Analyzer;
use proptest::prelude::*;

use crate::util::{random_words_jsonl, xorshift, Dir};

/// Text made of pieces that exercise tokens, joiners, sentence breaks,
/// abbreviations, negation, possessives and non-ASCII.
fn texty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("win-win".to_string()),
        Just("cooperation".to_string()),
        Just("China’s".to_string()),
        Just("not".to_string()),
        Just("don't".to_string()),
        Just("U.S.".to_string()),
        Just("Mr.".to_string()),
        Just("3.5".to_string()),
        Just("1,000".to_string()),
        Just("interference".to_string()),
        Just("一带一路".to_string()),
        Just("ﬁnancial".to_string()),
        Just("ΟΔΟΣ".to_string()),
        Just(". ".to_string()),
        Just("! ".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just(" ".to_string()),
        Just(", ".to_string()),
        Just("\u{a0}".to_string()),
        Just("--".to_string()),
        Just("'".to_string()),
        "[a-zA-Z]{1,8}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.join(" "))
}

/// Short strings of the chars the splitter's rules turn on, with no
/// space between them: joiners between letters, digits and wide chars.
fn dense() -> impl Strategy<Value = String> {
    let c = prop::sample::select(vec![
        'a', 'Z', '0', '7', ' ', '\'', '\u{2019}', '\u{02BC}', '-', '\u{2010}', '\u{2011}', '.',
        ',', 'é', '\u{0301}', '中', '٣', '\u{00B2}', '!', '\n', 'ﬁ', 'Ω',
    ]);
    prop::collection::vec(c, 0..14).prop_map(|v| v.into_iter().collect())
}

/// Documents of up to 8 [`texty`] texts each: long enough to be read
/// in several parts of a few hundred bytes.
fn longer_texts(docs: std::ops::Range<usize>) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop::collection::vec(texty(), 1..8).prop_map(|v| v.join(" ")),
        docs,
    )
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![texty(), any::<String>()]
}

/// CONTRACT §1 as worded, one char at a time: the reference the
/// table-driven splitter must agree with.
fn reference_spans(text: &str) -> Vec<(usize, usize)> {
    use framescope::text::{is_decimal_digit, is_ideograph, is_word_char};
    let joiner = |c: char| "'\u{2019}\u{02BC}-\u{2010}\u{2011}.,".contains(c);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(i, _)| i);
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k].1;
        if is_ideograph(c) {
            out.push((chars[k].0, end_of(k + 1)));
            k += 1;
            continue;
        }
        if !is_word_char(c) {
            k += 1;
            continue;
        }
        let start = k;
        k += 1;
        loop {
            match chars.get(k) {
                Some(&(_, c)) if is_word_char(c) => k += 1,
                Some(&(_, j)) if joiner(j) => match chars.get(k + 1) {
                    Some(&(_, n))
                        if is_word_char(n)
                            && (j != ','
                                || (is_decimal_digit(chars[k - 1].1) && is_decimal_digit(n))) =>
                    {
                        k += 2
                    }
                    _ => break,
                },
                _ => break,
            }
        }
        out.push((chars[start].0, end_of(k)));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The splitter finds the spans of the contract's rule, char by char.
    #[test]
    fn spans_follow_the_contract_char_by_char(text in prop_oneof![any_text(), dense()]) {
        let got: Vec<(usize, usize)> = framescope::text::spans(&text).collect();
        prop_assert_eq!(got, reference_spans(&text));
    }

    /// The surface cache gives every token the norm and stem the uncached
    /// pipeline gives its text, however often and in whatever order
    /// words come (one analyzer for many texts, as a worker has).
    #[test]
    fn cached_norms_and_stems_are_the_pipelines(texts in prop::collection::vec(any_text(), 1..6)) {
        let mut an = Analyzer::english();
        for text in &texts {
            for t in an.tokens(text) {
                let norm = framescope::text::norm(&text[t.start..t.end]);
                prop_assert_eq!(an.resolve(t.norm), norm.as_str());
                let stem = framescope::text::stem(&norm);
                prop_assert_eq!(an.resolve(t.stem), stem.as_str());
            }
        }
    }

    /// Offsets lie on character boundaries, increase, never overlap, and
    /// sentence numbers never decrease.
    #[test]
    fn tokens_are_ordered_spans(text in any_text()) {
        let mut an = Analyzer::english();
        let toks = an.tokens(&text);
        let mut last_end = 0;
        let mut last_sentence = 0;
        for t in &toks {
            prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            prop_assert!(t.start >= last_end && t.end > t.start);
            prop_assert!(t.sentence >= last_sentence);
            prop_assert!(t.sentence <= last_sentence + 1);
            last_end = t.end;
            last_sentence = t.sentence;
        }
        // The same spans as the plain splitter.
        let spans: Vec<(usize, usize)> = framescope::text::spans(&text).collect();
        let got: Vec<(usize, usize)> = toks.iter().map(|t| (t.start, t.end)).collect();
        prop_assert_eq!(spans, got);
    }

    /// One frame's hits never overlap and never cross a sentence, and the
    /// indexed matcher finds what the plain definition finds.
    #[test]
    fn hits_never_overlap_or_cross_sentences(text in texty()) {
        let patterns = ["win-win cooperation", "win-win", "cooperat*", "not *", "~interfere", "china", "* cooperation"];
        let frames = FrameSet::from_patterns(patterns.iter().map(|p| Pattern::parse(p).unwrap()).collect());
        // Also all patterns in one frame: longest match wins.
        let mut one = frames.clone();
        let all: Vec<_> = one.lexicons[0].frames.iter().flat_map(|f| f.patterns.clone()).collect();
        one.lexicons[0].frames.truncate(1);
        one.lexicons[0].frames[0].patterns = all;
        let one = FrameSet::new(one.lexicons);
        for fs in [&frames, &one] {
            let mut an = Analyzer::english();
            let mut m = FrameMatcher::new(fs, &mut an);
            let toks = an.tokens(&text);
            let hits = m.find(&an, &toks);
            prop_assert_eq!(&hits, &find_naive(fs, &an, &toks));
            let mut next_free = vec![0u32; fs.len()];
            for h in &hits {
                prop_assert!(h.start >= next_free[h.frame as usize]);
                prop_assert_eq!(toks[h.start as usize].sentence, toks[h.end as usize].sentence);
                next_free[h.frame as usize] = h.end + 1;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Through the corpus reader and the parallel pass: unigram counts sum
    /// to the token count; KWIC `match` is the collapsed text between the
    /// hit's offsets; results do not depend on the thread count.
    #[test]
    fn corpus_level_invariants(docs in prop::collection::vec(texty(), 1..12)) {
        let dir = Dir::new();
        let mut jsonl = String::new();
        for (i, t) in docs.iter().enumerate() {
            jsonl.push_str(&serde_json::json!({"id": format!("d{i}"), "text": t}).to_string());
            jsonl.push('\n');
        }
        let path = dir.create("c.jsonl", &jsonl);
        let corpus = Corpus::open(&path, &ReadOptions::default()).unwrap();
        let plan = Plan {
            tables: vec![TableSpec { by: By::Corpus, ..TableSpec::default() }],
            ..Plan::default()
        };
        let an = analyze(&corpus, &plan, &|_, _| {}).unwrap();
        let sum: u64 = an.tables[0][0].terms.iter().map(|t| t.n).sum();
        prop_assert_eq!(sum, an.n_tokens());

        let frames = Arc::new(FrameSet::from_patterns(
            ["cooperat*", "win-win", "not *"].iter().map(|p| Pattern::parse(p).unwrap()).collect(),
        ));
        let query = KwicQuery {
            frames,
            window: 3,
            sentence: false,
            sort: Vec::new(),
            near: None,
            select: None,
            limit: None,
            segment_bytes: framescope::analyze::SEGMENT_BYTES,
        };
        let conc = concordance(&corpus, &query, &|_, _| {}).unwrap();
        for l in &conc.lines {
            let (h, text) = (&l.hit, &docs[l.hit.doc]);
            prop_assert_eq!(&h.matched, &collapse(&text[h.byte_start..h.byte_end]));
        }
        // Any thread count, same lines.
        for threads in [1, 2, 8] {
            let pool = pool(threads);
            let again = pool.install(|| concordance(&corpus, &query, &|_, _| {}).unwrap());
            prop_assert_eq!(&again, &conc);
            let an2 = pool.install(|| analyze(&corpus, &plan, &|_, _| {}).unwrap());
            prop_assert_eq!(&an2.tables, &an.tables);
        }
    }
}

/// A count: small, near 2³², or anything.
fn count() -> impl Strategy<Value = u64> {
    prop_oneof![
        0u64..1000,
        (u32::MAX as u64 - 2)..(u32::MAX as u64 + 2),
        any::<u64>(),
    ]
}

/// A document's summary: any id, some of a few fields in any order with
/// any values, any counts, and frame counts or none.
fn summary() -> impl Strategy<Value = DocSummary> {
    (
        any_text(),
        prop::sample::subsequence(vec!["date", "title", "voice", "year"], 0..=4).prop_shuffle(),
        prop::collection::vec(any_text(), 4),
        prop::array::uniform4(count()),
        prop::collection::vec((0u64..5, any::<u64>()), 0..4),
    )
        .prop_map(|(id, fields, values, n, frames)| DocSummary {
            id,
            meta: Meta::new(
                fields
                    .iter()
                    .zip(values)
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            ),
            n_tokens: n[0],
            n_types: n[1],
            n_sentences: n[2],
            n_bytes: n[3],
            frames: frames
                .into_iter()
                .map(|(hits, negated)| FrameCount { hits, negated })
                .collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The documents a pass keeps, stored by column, come back as they
    /// went in, one by one, in ranges and from either end (up to 160
    /// documents: frame counts are found by a bit per document, 64 to a
    /// word).
    #[test]
    fn document_summaries_come_back_from_their_columns(
        all in prop::collection::vec(summary(), 0..160),
        cut in 0usize..200,
    ) {
        let docs: Docs = all.iter().collect();
        prop_assert_eq!(docs.len(), all.len());
        let back: Vec<DocSummary> = docs.iter().map(|d| d.to_summary()).collect();
        prop_assert_eq!(&back, &all);
        let rev: Vec<DocSummary> = docs.iter().rev().map(|d| d.to_summary()).collect();
        prop_assert!(rev.iter().eq(all.iter().rev()));
        let tail: Vec<DocSummary> = docs.range(cut..usize::MAX).map(|d| d.to_summary()).collect();
        prop_assert_eq!(&tail[..], &all[cut.min(all.len())..]);
        prop_assert_eq!(docs.head(cut), all.iter().take(cut).collect::<Docs>());
        for (i, d) in all.iter().enumerate() {
            let kept = docs.get(i).unwrap();
            prop_assert_eq!(kept.index(), i);
            prop_assert_eq!(kept.id(), d.id.as_str());
            prop_assert!(kept.meta().iter().eq(d.meta.iter()));
            prop_assert_eq!(kept.meta().field(&d.id, "year"), d.meta.field(&d.id, "year"));
            prop_assert_eq!(kept.n_bytes(), d.n_bytes);
            prop_assert_eq!(kept.frame(2), d.frames.get(2).copied().unwrap_or_default());
        }
        prop_assert!(docs.get(all.len()).is_none());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// The same texts in the same order, cut into documents differently
    /// (neighbours joined with a blank line, which ends a sentence): the
    /// same corpus-level term counts and the same hits, in the same order.
    #[test]
    fn any_split_into_documents(
        docs in prop::collection::vec(texty(), 1..10),
        joins in prop::collection::vec(any::<bool>(), 10),
    ) {
        let dir = Dir::new();
        let write = |name: &str, texts: &[String]| {
            let mut jsonl = String::new();
            for (i, t) in texts.iter().enumerate() {
                jsonl.push_str(&serde_json::json!({"id": format!("d{i}"), "text": t}).to_string());
                jsonl.push('\n');
            }
            dir.create(name, &jsonl)
        };
        let mut merged: Vec<String> = vec![docs[0].clone()];
        for (i, t) in docs.iter().enumerate().skip(1) {
            if joins[i] {
                let last = merged.last_mut().unwrap();
                last.push_str("\n\n");
                last.push_str(t);
            } else {
                merged.push(t.clone());
            }
        }
        let plan = Plan {
            tables: vec![TableSpec { by: By::Corpus, ..TableSpec::default() }],
            ..Plan::default()
        };
        let frames = Arc::new(FrameSet::from_patterns(
            ["cooperat*", "win-win", "not *", "* cooperation"].iter().map(|p| Pattern::parse(p).unwrap()).collect(),
        ));
        let query = KwicQuery {
            frames,
            window: 0,
            sentence: false,
            sort: Vec::new(),
            near: None,
            select: None,
            limit: None,
            segment_bytes: framescope::analyze::SEGMENT_BYTES,
        };
        let mut seen = Vec::new();
        for (name, texts) in [("a.jsonl", &docs), ("b.jsonl", &merged)] {
            let corpus = Corpus::open(&write(name, texts), &ReadOptions::default()).unwrap();
            let an = analyze(&corpus, &plan, &|_, _| {}).unwrap();
            let terms: Vec<(String, u64)> =
                an.tables[0][0].terms.iter().map(|t| (t.term.clone(), t.n)).collect();
            let conc = concordance(&corpus, &query, &|_, _| {}).unwrap();
            let hits: Vec<String> = conc.lines.iter().map(|l| l.hit.matched.clone()).collect();
            seen.push((an.n_tokens(), terms, hits));
        }
        prop_assert_eq!(&seen[0], &seen[1]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Corpus-wide tables of norms alone (what `freq --by corpus` asks) are
    /// counted a token at a time, a norm new to a document known by the
    /// document stamped on its slot, not from a list of each document's
    /// norms. With and without stopwords, at 1 and 2 threads: every norm's
    /// count and documents, and every document's number of types, as
    /// counted here document by document, and as the general path (which
    /// a plan with postings takes) counts them.
    #[test]
    fn norms_counted_by_stamps_are_each_documents_counts(
        docs in prop::collection::vec(texty(), 1..12),
        copies in 1usize..400,
    ) {
        use std::collections::BTreeMap;
        let dir = Dir::new();
        // Repeated, so that a pass of many documents (several batches
        // when `copies` is large) sees the same norms again and again.
        let texts: Vec<&String> = docs.iter().cycle().take(docs.len() * copies).collect();
        let mut jsonl = String::new();
        for (i, t) in texts.iter().enumerate() {
            jsonl.push_str(&serde_json::json!({"id": format!("d{i}"), "text": t}).to_string());
            jsonl.push('\n');
        }
        let corpus = Corpus::open(&dir.create("c.jsonl", &jsonl), &ReadOptions::default()).unwrap();
        let mut an = Analyzer::english();
        // norm → (count, documents, is a stopword); each document's types.
        let mut want: BTreeMap<String, (u64, u64, bool)> = BTreeMap::new();
        let mut types = Vec::new();
        for text in &texts {
            let mut counts: BTreeMap<String, (u64, bool)> = BTreeMap::new();
            for t in an.tokens(text) {
                let e = counts.entry(an.resolve(t.norm).to_string()).or_default();
                e.0 += 1;
                e.1 = an.is_stopword(t.norm);
            }
            types.push(counts.len() as u64);
            for (norm, (n, stop)) in counts {
                let w = want.entry(norm).or_default();
                (w.0, w.1, w.2) = (w.0 + n, w.1 + 1, stop);
            }
        }
        let tables = vec![
            TableSpec { by: By::Corpus, ..TableSpec::default() },
            TableSpec { by: By::Corpus, drop_stopwords: true, ..TableSpec::default() },
        ];
        let stamped = Plan { tables: tables.clone(), ..Plan::default() };
        let general = Plan { tables, postings: Some(Unit::Norm), ..Plan::default() };
        let by_list = analyze(&corpus, &general, &|_, _| {}).unwrap();
        for threads in [1, 2] {
            let pool = pool(threads);
            let got = pool.install(|| analyze(&corpus, &stamped, &|_, _| {}).unwrap());
            for (i, drop) in [(0, false), (1, true)] {
                let terms: BTreeMap<String, (u64, u64, bool)> = got.tables[i][0]
                    .terms
                    .iter()
                    .map(|t| (t.term.clone(), (t.n, t.n_docs, want[&t.term].2)))
                    .collect();
                let expected: BTreeMap<String, (u64, u64, bool)> = want
                    .iter()
                    .filter(|(_, w)| !(drop && w.2))
                    .map(|(k, w)| (k.clone(), *w))
                    .collect();
                prop_assert_eq!(&terms, &expected, "table {} at {} threads", i, threads);
            }
            let got_types: Vec<u64> = got.docs.iter().map(|d| d.n_types()).collect();
            prop_assert_eq!(&got_types, &types);
            prop_assert_eq!(&got.tables, &by_list.tables);
        }
    }
}

/// Postings are built on the reading side from symbols the workers make
/// as they go, and a worker may make a symbol on a later document than
/// the first that uses it (work stealing reorders its documents), across
/// several batches. At any thread count, every term's postings must be
/// its count in each document, counted here one document at a time.
#[test]
fn postings_are_each_documents_counts_at_any_thread_count() {
    use std::collections::BTreeMap;
    let dir = Dir::new();
    // 9,000 documents (three batches), each with words no earlier
    // document has, so new symbols appear until the end.
    let mut jsonl = String::new();
    let mut texts = Vec::new();
    for i in 0..9000u32 {
        let text = format!(
            "Cooperation w{i} and W{i}s. The {} nations x{}y cooperating",
            ["partner", "partners", "partnership"][i as usize % 3],
            i % 97
        );
        jsonl.push_str(&serde_json::json!({"id": format!("d{i}"), "text": text}).to_string());
        jsonl.push('\n');
        texts.push(text);
    }
    let path = dir.create("many.jsonl", &jsonl);
    let corpus = Corpus::open(&path, &ReadOptions::default()).unwrap();
    for unit in [Unit::Norm, Unit::Stem] {
        let mut an = Analyzer::english();
        let mut want: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
        for (d, text) in texts.iter().enumerate() {
            let mut counts: BTreeMap<String, u32> = BTreeMap::new();
            for t in an.tokens(text) {
                let sym = if unit == Unit::Norm { t.norm } else { t.stem };
                *counts.entry(an.resolve(sym).to_string()).or_default() += 1;
            }
            for (term, n) in counts {
                want.entry(term).or_default().push((d as u32, n));
            }
        }
        let plan = Plan {
            postings: Some(unit),
            ..Plan::default()
        };
        for threads in [1, 2, 4] {
            let pool = pool(threads);
            let got = pool.install(|| analyze(&corpus, &plan, &|_, _| {}).unwrap());
            let got: BTreeMap<String, Vec<(u32, u32)>> = got
                .postings
                .unwrap()
                .terms
                .iter()
                .map(|p| (p.term.clone(), p.docs.iter().collect()))
                .collect();
            assert!(got == want, "{unit:?} postings at {threads} threads");
        }
    }
}

/// 600 documents of words that start one another, in three groups
/// (field `g`); with `odd`, some hold U+FDFA, which NFKC makes four words
/// in one norm (the vocabulary's ranks cannot order it).
/// With a memory goal, the tables' share shrinks as the postings and
/// summaries grow during the pass: tables that fit the share they start
/// with spill once the rest of the pass holds more, and count the same.
#[test]
fn tables_shrunk_during_the_pass_count_the_same() {
    let dir = Dir::new();
    // 10,000 documents of 40 words (three batches of the pass), each
    // with a title of 1,200 bytes, its own (a title the document before
    // had is kept once): 4.9 MB of summaries after one batch.
    let words = ["win", "shared", "future", "the", "zone", "co", "é", "a"];
    let title = "t".repeat(1200);
    let mut jsonl = String::new();
    let mut random = xorshift(0x9E37_79B9_7F4A_7C15);
    for i in 0..10_000u32 {
        let text: Vec<&str> = (0..40)
            .map(|_| words[(random() % words.len() as u64) as usize])
            .collect();
        let g = if i % 2 == 0 { "a" } else { "b" };
        let title = format!("{i}{title}");
        let line = serde_json::json!({"id": format!("d{i}"), "g": g, "title": title, "text": text.join(" ")});
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    let corpus = Corpus::open(&dir.create("c.jsonl", &jsonl), &ReadOptions::default()).unwrap();
    let plan = |table_memory: usize, memory_goal: Option<MemoryGoal>| Plan {
        tables: every_kind_of_table(),
        postings: Some(Unit::Norm),
        table_memory,
        memory_goal,
        ..Plan::default()
    };
    let want = analyze(&corpus, &plan(256 << 20, None), &|_, _| {}).unwrap();
    assert_eq!(want.spills, 0);
    // 4 MiB holds every table (8 words make 512 trigrams) ...
    let start = plan(4 << 20, None);
    // ... and is the share the tables start with here, until the
    // summaries pass the goal: then they get 128 KiB, too little for
    // the trigrams (at most 512 slots each, which spill at 358 terms).
    let shrinking = plan(
        256 << 20,
        Some(MemoryGoal {
            goal: 4 << 20,
            floor: 128 << 10,
            vocabulary: usize::MAX,
        }),
    );
    for threads in [1, 2] {
        let pool = pool(threads);
        let at_start = pool.install(|| analyze(&corpus, &start, &|_, _| {}).unwrap());
        assert_eq!(at_start.spills, 0, "at {threads} threads");
        let got = pool.install(|| analyze(&corpus, &shrinking, &|_, _| {}).unwrap());
        assert!(
            got.spills > 10,
            "{} spills at {threads} threads",
            got.spills
        );
        assert!(got.tables == want.tables, "tables at {threads} threads");
        assert!(
            got.postings == want.postings,
            "postings at {threads} threads"
        );
        for (t, (g, w)) in got.keyed.iter().zip(&want.keyed).enumerate() {
            let g = as_strings(g);
            let w = as_strings(w);
            assert!(g == w, "keyed table {t} at {threads} threads");
        }
    }
}

/// With a memory goal that counts the vocabularies, a corpus of many
/// long distinct words leaves the n-gram tables less room: tables that
/// fit while the words are not counted spill once they are, and count
/// the same.
#[test]
fn a_large_vocabulary_shrinks_the_tables_and_they_count_the_same() {
    let dir = Dir::new();
    // 12,000 documents (three batches of the pass) of 5 words drawn from
    // 20,000 words of 200 letters: the words' texts are megabytes in
    // each worker and in the postings, the tables' keys a few bytes.
    let word = |k: u64| format!("{}{k}", "w".repeat(200));
    let mut jsonl = String::new();
    let mut random = xorshift(0x9E37_79B9_7F4A_7C15);
    for i in 0..12_000u32 {
        let text: Vec<String> = (0..5).map(|_| word(random() % 20_000)).collect();
        let line = serde_json::json!({"id": format!("d{i}"), "text": text.join(" ")});
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    let corpus = Corpus::open(&dir.create("c.jsonl", &jsonl), &ReadOptions::default()).unwrap();
    let tables: Vec<TableSpec> = (2..=3)
        .map(|n| TableSpec {
            n,
            unit: Unit::Norm,
            by: By::Corpus,
            min_count: 1,
            top: None,
            drop_stopwords: false,
            keyed: false,
        })
        .collect();
    let plan = |memory_goal: Option<MemoryGoal>| Plan {
        tables: tables.clone(),
        postings: Some(Unit::Norm),
        table_memory: 8 << 20,
        memory_goal,
        ..Plan::default()
    };
    let want = analyze(&corpus, &plan(None), &|_, _| {}).unwrap();
    assert_eq!(want.spills, 0);
    let goal = |vocabulary| {
        plan(Some(MemoryGoal {
            goal: 8 << 20,
            floor: 16 << 10,
            vocabulary,
        }))
    };
    for threads in [1, 2] {
        let pool = pool(threads);
        let uncounted = pool.install(|| analyze(&corpus, &goal(usize::MAX), &|_, _| {}).unwrap());
        assert_eq!(uncounted.spills, 0, "at {threads} threads");
        let got = pool.install(|| analyze(&corpus, &goal(0), &|_, _| {}).unwrap());
        assert!(got.spills > 0, "no spill at {threads} threads");
        assert!(got.tables == want.tables, "tables at {threads} threads");
        assert!(
            got.postings == want.postings,
            "postings at {threads} threads"
        );
    }
}

/// A pool of `threads` worker threads to run a pass in.
fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

/// Keyed tables made into the tables of strings they stand for.
fn as_strings(keyed: &[KeyedRows]) -> Vec<GroupFrequency> {
    keyed.iter().map(|k| k.to_frequency()).collect()
}

fn word_corpus(dir: &Dir, odd: bool) -> Corpus {
    let words = [
        "win",
        "win-win",
        "wins",
        "win0",
        "shared",
        "share",
        "future",
        "fut",
        "a",
        "the",
        "cooperation",
        "co",
        "zone",
        "zo",
        "é",
        "e",
    ];
    let mut jsonl = String::new();
    let mut random = xorshift(0x2545_F491_4F6C_DD1D);
    for i in 0..600u32 {
        let (mut text, mut x) = (String::new(), 0);
        for k in 0..40 {
            x = random();
            text.push_str(words[(x % words.len() as u64) as usize]);
            text.push_str(if k % 9 == 8 { ". " } else { " " });
        }
        if odd && i % 50 == 0 {
            text.push_str("\u{FDFA} win");
        }
        // The group from the document's last draw.
        let g = ["east", "west", "north"][(x % 3) as usize];
        jsonl.push_str(
            &serde_json::json!({"id": format!("d{i}"), "g": g, "text": text}).to_string(),
        );
        jsonl.push('\n');
    }
    Corpus::open(&dir.create("c.jsonl", &jsonl), &ReadOptions::default()).unwrap()
}

/// Tables of unigrams to trigrams, grouped by a field and by the corpus,
/// with minimum counts and a top; each twice, as strings then as keys.
fn every_kind_of_table() -> Vec<TableSpec> {
    let mut tables = Vec::new();
    for n in 1..=3 {
        for (by, min_count, top, unit) in [
            (By::Field("g".into()), 2, None, Unit::Norm),
            (By::Corpus, 1, Some(7), Unit::Norm),
            (By::Corpus, 3, None, Unit::Stem),
        ] {
            for keyed in [false, true] {
                tables.push(TableSpec {
                    n,
                    unit,
                    by: by.clone(),
                    min_count,
                    top,
                    drop_stopwords: n > 1,
                    keyed,
                });
            }
        }
    }
    tables
}

/// A table kept as keys holds the rows the same table would hold as
/// strings, in the same order, cut at the same place: for unigrams to
/// trigrams, grouped by a field, with a minimum count and a top, at any
/// thread count; with texts the vocabulary's ranks order and with one
/// (NFKC makes U+FDFA four words) that makes texts be compared instead.
#[test]
fn keyed_tables_are_the_tables_kept_as_strings() {
    for odd in [false, true] {
        let dir = Dir::new();
        let corpus = word_corpus(&dir, odd);
        let plan = Plan {
            tables: every_kind_of_table(),
            ..Plan::default()
        };
        for threads in [1, 3] {
            let pool = pool(threads);
            let an = pool.install(|| analyze(&corpus, &plan, &|_, _| {}).unwrap());
            for t in (0..plan.tables.len()).step_by(2) {
                let (strings, keyed) = (&an.tables[t], &an.keyed[t + 1]);
                assert!(an.keyed[t].is_empty());
                assert_eq!(keyed.len(), strings.len());
                let made = as_strings(keyed);
                assert!(
                    made == *strings,
                    "table {t} at {threads} threads, odd {odd}"
                );
                assert!(strings.iter().map(|g| g.terms.len()).sum::<usize>() > 5);
                for (g, k) in an.tables[t + 1].iter().zip(keyed) {
                    assert!(g.terms.is_empty());
                    assert_eq!(
                        (&g.group, g.n_tokens, g.n_docs),
                        (&k.group, k.n_tokens, k.n_docs)
                    );
                }
            }
            if odd {
                assert!(an.keyed[1]
                    .iter()
                    .any(|k| (0..k.len()).any(|i| k.row(i).term.contains("صلى الله"))));
            }
        }
    }
}

/// A pass that keeps no document's summary (`freq`'s) counts the same
/// tables, keyed tables, postings, hits, coverage and fingerprint as one
/// that keeps them, at any thread count; only the summaries are missing.
#[test]
fn a_pass_without_summaries_counts_the_same() {
    let dir = Dir::new();
    let corpus = word_corpus(&dir, true);
    // Tables by document too: `freq --by doc` keeps no summaries either.
    let mut tables = every_kind_of_table();
    for n in [1, 2] {
        tables.push(TableSpec {
            n,
            by: By::Doc,
            top: Some(5),
            ..TableSpec::default()
        });
    }
    let with = Plan {
        tables,
        frames: Some(Arc::new(FrameSet::new(vec![Lexicon::builtin()]))),
        keep_hits: true,
        postings: Some(Unit::Norm),
        fingerprint: true,
        ..Plan::default()
    };
    let without = Plan {
        summaries: false,
        ..with.clone()
    };
    let want = analyze(&corpus, &with, &|_, _| {}).unwrap();
    assert!(want.docs.len() > 10);
    for threads in [1, 2] {
        let pool = pool(threads);
        let got = pool.install(|| analyze(&corpus, &without, &|_, _| {}).unwrap());
        assert_eq!(got.docs.len(), 0, "at {threads} threads");
        assert!(got.tables == want.tables, "tables at {threads} threads");
        for (g, w) in got.keyed.iter().zip(&want.keyed) {
            let g = as_strings(g);
            let w = as_strings(w);
            assert!(g == w, "keyed tables at {threads} threads");
        }
        assert!(
            got.postings == want.postings,
            "postings at {threads} threads"
        );
        assert!(got.hits == want.hits, "hits at {threads} threads");
        assert!(
            got.coverage == want.coverage,
            "coverage at {threads} threads"
        );
        assert_eq!(got.fingerprint, want.fingerprint);
        assert_eq!(got.columns, want.columns);
    }
}

/// `freq --by corpus` counts norms alone, read straight from the text a
/// part at a time, with no tokens made: its tables are those of the pass
/// that makes every token, whatever the parts' length (down to a part a
/// word) and the thread count.
#[test]
fn counting_norms_alone_counts_what_tokens_count() {
    let dir = Dir::new();
    let corpus = word_corpus(&dir, true);
    let corpus_table = |drop_stopwords| TableSpec {
        by: By::Corpus,
        drop_stopwords,
        ..TableSpec::default()
    };
    // Counted by stamps either way; with summaries, from the tokens.
    let tokens = Plan {
        tables: vec![corpus_table(false), corpus_table(true)],
        ..Plan::default()
    };
    let want = analyze(&corpus, &tokens, &|_, _| {}).unwrap();
    assert!(want.tables[0][0].n_tokens > 20_000);
    for segment_bytes in [framescope::analyze::SEGMENT_BYTES, 100, 1] {
        let norms = Plan {
            summaries: false,
            segment_bytes,
            ..tokens.clone()
        };
        for threads in [1, 2] {
            let got = pool(threads).install(|| analyze(&corpus, &norms, &|_, _| {}).unwrap());
            assert!(
                got.tables == want.tables,
                "parts of {segment_bytes} bytes at {threads} threads"
            );
            assert_eq!(got.n_types, want.n_types);
        }
    }
}

/// Tables whose counts outgrow their memory are spilled to temporary
/// files and counted from them at the end: every kind of table comes out
/// the same as when counted in memory, at any thread count.
#[test]
fn tables_spilled_to_files_are_the_tables_counted_in_memory() {
    let dir = Dir::new();
    let corpus = word_corpus(&dir, true);
    let in_memory = Plan {
        tables: every_kind_of_table(),
        ..Plan::default()
    };
    let want = analyze(&corpus, &in_memory, &|_, _| {}).unwrap();
    assert_eq!(want.spills, 0);
    let spilling = Plan {
        // The least memory: a table spills every 64 terms.
        table_memory: 1,
        ..in_memory.clone()
    };
    for threads in [1, 2, 3] {
        let pool = pool(threads);
        let got = pool.install(|| analyze(&corpus, &spilling, &|_, _| {}).unwrap());
        assert!(
            got.spills > 100,
            "{} spills at {threads} threads",
            got.spills
        );
        assert!(got.tables == want.tables, "tables at {threads} threads");
        for (t, (g, w)) in got.keyed.iter().zip(&want.keyed).enumerate() {
            let g = as_strings(g);
            let w = as_strings(w);
            assert!(g == w, "keyed table {t} at {threads} threads");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A document read a part at a time (each part ending at a sentence's
    /// end, [`Plan::segment_bytes`]) is counted as when read whole: every
    /// kind of table, tables of each document, postings of norms and of
    /// stems, hits with their KWIC lines and token numbers, coverage,
    /// summaries; and so are the counts by stamps of `freq --by corpus`.
    #[test]
    fn documents_read_a_part_at_a_time_count_as_read_whole(
        docs in longer_texts(1..5),
        segment in 1usize..400,
        window in 0usize..7,
    ) {
        let dir = Dir::new();
        let mut jsonl = String::new();
        for (i, t) in docs.iter().enumerate() {
            let g = ["a", "b"][i % 2];
            jsonl.push_str(&serde_json::json!({"id": format!("d{i}"), "g": g, "text": t}).to_string());
            jsonl.push('\n');
        }
        let corpus = Corpus::open(&dir.create("c.jsonl", &jsonl), &ReadOptions::default()).unwrap();
        let frames = Arc::new(FrameSet::from_patterns(
            ["cooperat*", "win-win", "not *", "u.s", "~interfering", "* china"]
                .iter()
                .map(|p| Pattern::parse(p).unwrap())
                .collect(),
        ));
        let mut tables = every_kind_of_table();
        for (n, unit) in [(1, Unit::Norm), (2, Unit::Stem), (3, Unit::Norm)] {
            tables.push(TableSpec { n, unit, by: By::Doc, top: Some(5), ..TableSpec::default() });
        }
        let stamped = vec![TableSpec { by: By::Corpus, ..TableSpec::default() }];
        for (tables, frames, postings) in [
            (tables.clone(), Some(frames.clone()), Some(Unit::Norm)),
            (tables, Some(frames), Some(Unit::Stem)),
            (stamped, None, None),
        ] {
            let plan = |segment_bytes| Plan {
                tables: tables.clone(),
                frames: frames.clone(),
                keep_hits: frames.is_some(),
                kwic_window: window,
                postings,
                fingerprint: true,
                segment_bytes,
                ..Plan::default()
            };
            let whole = analyze(&corpus, &plan(usize::MAX), &|_, _| {}).unwrap();
            let parts = analyze(&corpus, &plan(segment), &|_, _| {}).unwrap();
            prop_assert!(parts.docs == whole.docs);
            prop_assert_eq!(&parts.tables, &whole.tables);
            for (p, w) in parts.keyed.iter().zip(&whole.keyed) {
                let p = as_strings(p);
                let w = as_strings(w);
                prop_assert_eq!(p, w);
            }
            prop_assert_eq!(&parts.hits, &whole.hits);
            prop_assert_eq!(&parts.coverage, &whole.coverage);
            prop_assert_eq!(&parts.postings, &whole.postings);
            prop_assert_eq!(parts.n_types, whole.n_types);
            prop_assert_eq!(&parts.fingerprint, &whole.fingerprint);
        }
    }

    /// `kwic` reads a document a part at a time too: the same lines (KWIC
    /// windows clipped to the sentence or not, token numbers, sort keys
    /// of neighbours) and the same near filter, whose hits may lie in
    /// the sentences before a part.
    #[test]
    fn kwic_lines_read_a_part_at_a_time_are_those_read_whole(
        docs in longer_texts(1..4),
        segment in 1usize..400,
        window in 0usize..7,
        sentence: bool,
        near in 0usize..6,
        (l, r) in (1u8..5, 1u8..5),
    ) {
        use framescope::analyze::SortKey;
        let dir = Dir::new();
        let mut jsonl = String::new();
        for (i, t) in docs.iter().enumerate() {
            jsonl.push_str(&serde_json::json!({"id": format!("d{i}"), "text": t}).to_string());
            jsonl.push('\n');
        }
        let corpus = Corpus::open(&dir.create("c.jsonl", &jsonl), &ReadOptions::default()).unwrap();
        let set = |ps: &[&str]| {
            Arc::new(FrameSet::from_patterns(ps.iter().map(|p| Pattern::parse(p).unwrap()).collect()))
        };
        for near in [None, Some((set(&["not", "win-win cooperation", "u.s"]), near))] {
            let query = |segment_bytes| KwicQuery {
                frames: set(&["cooperat*", "win-win", "* china"]),
                window,
                sentence,
                sort: vec![SortKey::Left(l), SortKey::Right(r), SortKey::Match],
                near: near.clone(),
                select: None,
                limit: None,
                segment_bytes,
            };
            let whole = concordance(&corpus, &query(usize::MAX), &|_, _| {}).unwrap();
            let parts = concordance(&corpus, &query(segment), &|_, _| {}).unwrap();
            prop_assert_eq!(parts, whole);
        }
    }
}

/// A near hit in the sentence before a part is found as in the whole
/// document: a pattern that overlaps itself (`win win`) gives other
/// hits when a sentence is scanned from its middle, so the context
/// before a part starts where a sentence does.
#[test]
fn near_hits_before_a_part_are_the_documents() {
    use framescope::analyze::SortKey;
    let dir = Dir::new();
    let chain = "win ".repeat(80);
    let text = format!(
        "{}. Target one two three four. Five six seven.",
        chain.trim_end()
    );
    let jsonl = serde_json::json!({"id": "d", "text": text}).to_string() + "\n";
    let corpus = Corpus::open(&dir.create("c.jsonl", &jsonl), &ReadOptions::default()).unwrap();
    let set = |ps: &[&str]| {
        Arc::new(FrameSet::from_patterns(
            ps.iter().map(|p| Pattern::parse(p).unwrap()).collect(),
        ))
    };
    let query = |segment_bytes| KwicQuery {
        frames: set(&["target"]),
        window: 0,
        sentence: false,
        sort: vec![SortKey::Doc],
        near: Some((set(&["win win"]), 1)),
        select: None,
        limit: None,
        segment_bytes,
    };
    let whole = concordance(&corpus, &query(usize::MAX), &|_, _| {}).unwrap();
    // The last hit of the chain ends right before `Target`.
    assert_eq!(whole.lines.len(), 1);
    assert_eq!(whole.lines[0].hit.token_start, 80);
    // Parts of 300 to 380 bytes: some end in the sentence of `Target`, so
    // that a part starts at it (the chain's sentence is 319 bytes).
    for segment in (300..380).chain([1, 7]) {
        let parts = concordance(&corpus, &query(segment), &|_, _| {}).unwrap();
        assert_eq!(parts, whole, "segment {segment}");
    }
}

/// Each document's table is formatted by a worker into bytes that the
/// reading side gives back once written, for later documents: over the
/// 10,000 documents of several batches, the bytes handed over with each
/// table are that table's alone, at 1 and 2 threads.
#[test]
fn documents_tables_formatted_in_buffers_used_again_are_their_own() {
    let dir = Dir::new();
    let words = [
        "win", "shared", "future", "the", "zone", "co", "é", "a", "peace",
    ];
    let jsonl = random_words_jsonl(0x9E37_79B9_7F4A_7C15, &words, 10_000, |i| 5 + i % 60);
    let corpus = Corpus::open(&dir.create("c.jsonl", &jsonl), &ReadOptions::default()).unwrap();
    let plan = Plan {
        tables: vec![TableSpec {
            n: 1,
            unit: Unit::Norm,
            by: By::Doc,
            min_count: 1,
            top: None,
            drop_stopwords: false,
            keyed: false,
        }],
        ..Plan::default()
    };
    // Appends, as doc_terms.csv's rows are appended.
    let format = |_: usize, t: &GroupFrequency, out: &mut Vec<u8>| {
        for r in &t.terms {
            out.extend_from_slice(format!("{},{},{}\n", t.group, r.term, r.n).as_bytes());
        }
    };
    for threads in [1, 2] {
        let mut handed: Vec<(GroupFrequency, Vec<u8>)> = Vec::new();
        let mut take = |_: usize, t: Option<GroupFrequency>, bytes: &[u8]| {
            handed.push((t.expect("every table kept"), bytes.to_vec()));
            Ok(())
        };
        let tables = DocTables {
            format: &format,
            take: &mut take,
            keep: usize::MAX,
        };
        pool(threads)
            .install(|| analyze_with(&corpus, &plan, &|_, _| {}, Some(tables), None))
            .unwrap();
        assert_eq!(handed.len(), 10_000, "at {threads} threads");
        for (k, (t, bytes)) in handed.iter().enumerate() {
            assert_eq!(t.group, format!("d{k}"));
            let mut want = Vec::new();
            format(0, t, &mut want);
            assert!(!want.is_empty());
            assert!(bytes == &want, "document {k} at {threads} threads");
        }
    }
}

/// With a cap on hit lines and a taker of them, the lines taken are the
/// ones a pass without either lists first per frame, in the same order,
/// and none is kept in the result; each frame's sample is the lines of
/// the smallest keys among all its hits, listed or not; at 1 and 2
/// threads.
#[test]
fn hit_lines_taken_are_the_first_and_the_sample_is_drawn_from_all_hits() {
    use framescope::analyze::{sample_key, HitRow};
    use framescope::lexicon::Hit;
    let dir = Dir::new();
    let corpus = word_corpus(&dir, false);
    let patterns = ["win", "shared future", "é", "cooperation zone", "zo zo zo"];
    let frames = Arc::new(FrameSet::from_patterns(
        patterns
            .iter()
            .map(|p| Pattern::parse(p).unwrap())
            .collect(),
    ));
    let plan = |cap: Option<usize>, sample: usize| Plan {
        frames: Some(frames.clone()),
        keep_hits: true,
        max_hits_per_frame: cap,
        hit_sample: sample,
        ..Plan::default()
    };
    let all = analyze(&corpus, &plan(None, 0), &|_, _| {}).unwrap();
    let (cap, n) = (200, 7);
    let per_frame = |f: usize| all.hits.iter().filter(move |h| h.frame as usize == f);
    let counts: Vec<usize> = (0..patterns.len()).map(|f| per_frame(f).count()).collect();
    assert!(counts[0] > 3 * cap && counts[2] > 3 * cap, "{counts:?}");
    assert!(counts[1] > n && counts[1] < cap, "{counts:?}");
    assert!(counts[4] > 0 && counts[4] < n, "{counts:?}");
    // The first `cap` lines of each frame, in the order of all.
    let mut seen = vec![0; patterns.len()];
    let want_listed: Vec<&HitRow> = all
        .hits
        .iter()
        .filter(|h| {
            seen[h.frame as usize] += 1;
            seen[h.frame as usize] <= cap
        })
        .collect();
    let key = |h: &HitRow| {
        let hit = Hit {
            frame: h.frame,
            pattern: h.pattern,
            start: h.token_start,
            end: h.token_end,
            negated: h.negated,
        };
        (sample_key(h.doc, &hit), h.doc, h.token_start)
    };
    let want_sample: Vec<Vec<HitRow>> = (0..patterns.len())
        .map(|f| {
            let mut s: Vec<&HitRow> = per_frame(f).collect();
            s.sort_by_key(|h| key(h));
            s.truncate(n);
            s.sort_by_key(|h| (h.doc, h.token_start));
            s.into_iter().cloned().collect()
        })
        .collect();
    for threads in [1, 2] {
        let mut taken: Vec<(String, HitRow)> = Vec::new();
        let mut take = |doc: &framescope::corpus::Document, hits: &[HitRow]| {
            taken.extend(hits.iter().map(|h| (doc.id.clone(), h.clone())));
            Ok(())
        };
        let an = pool(threads)
            .install(|| {
                analyze_with(
                    &corpus,
                    &plan(Some(cap), n),
                    &|_, _| {},
                    None,
                    Some(&mut take),
                )
            })
            .unwrap();
        assert!(an.hits.is_empty());
        let got: Vec<&HitRow> = taken.iter().map(|(_, h)| h).collect();
        assert_eq!(got, want_listed, "at {threads} threads");
        for (id, h) in &taken {
            assert_eq!(*id, format!("d{}", h.doc));
        }
        let listed: Vec<u64> = counts.iter().map(|&c| c.min(cap) as u64).collect();
        assert_eq!(an.hits_listed, listed);
        assert_eq!(an.hit_sample, want_sample, "at {threads} threads");
        // Kept in the result without a taker, the same lines.
        let kept = pool(threads)
            .install(|| analyze(&corpus, &plan(Some(cap), n), &|_, _| {}))
            .unwrap();
        assert_eq!(kept.hits.iter().collect::<Vec<_>>(), want_listed);
        assert_eq!(kept.hit_sample, want_sample);
    }
}

/// Lines handed to a taker as the documents are read are the lines a
/// concordance keeps, in the same order, whatever the limit and the
/// threads; a sorted concordance with a limit, which keeps only the
/// first lines so far as it goes (past 8,192 of them), lists what the
/// sort of all of them would list first.
#[test]
fn concordance_lines_taken_or_pruned_are_the_kept_ones() {
    use framescope::analyze::{concordance_with, KwicLine, SortKey};
    let dir = Dir::new();
    let words = ["the", "win", "shared", "future", "zone", "a", "peace", "é"];
    let jsonl = random_words_jsonl(0x2545_F491_4F6C_DD1D, &words, 3_000, |i| 30 + i % 40);
    let corpus = Corpus::open(&dir.create("c.jsonl", &jsonl), &ReadOptions::default()).unwrap();
    let query = |sort: Vec<SortKey>, limit: Option<usize>| KwicQuery {
        frames: Arc::new(FrameSet::from_patterns(vec![
            Pattern::parse("the").unwrap(),
            Pattern::parse("win *").unwrap(),
        ])),
        window: 2,
        sentence: false,
        sort,
        near: None,
        select: None,
        limit,
        segment_bytes: framescope::analyze::SEGMENT_BYTES,
    };
    let all = concordance(&corpus, &query(vec![], None), &|_, _| {}).unwrap();
    assert!(all.lines.len() > 20_000, "{} lines", all.lines.len());
    assert_eq!(all.n_lines, all.lines.len() as u64);
    for limit in [None, Some(0), Some(1), Some(700), Some(30_000)] {
        for threads in [1, 2] {
            let mut taken: Vec<KwicLine> = Vec::new();
            let mut take = |lines: Vec<KwicLine>| {
                taken.extend(lines);
                Ok(())
            };
            let q = query(vec![], limit);
            let got = pool(threads)
                .install(|| concordance_with(&corpus, &q, &|_, _| {}, Some(&mut take)))
                .unwrap();
            let want = pool(threads)
                .install(|| concordance(&corpus, &q, &|_, _| {}))
                .unwrap();
            assert!(got.lines.is_empty());
            assert_eq!(taken, want.lines, "limit {limit:?}");
            assert_eq!(got.n_lines, want.lines.len() as u64);
            assert_eq!((got.n_total, got.n_docs), (want.n_total, want.n_docs));
            let n = limit.unwrap_or(usize::MAX).min(all.lines.len());
            assert_eq!(taken[..], all.lines[..n], "limit {limit:?}");
        }
    }
    // Sorted: the whole concordance sorted, then cut.
    let sort = vec![SortKey::Right(1), SortKey::Match];
    let sorted = concordance(&corpus, &query(sort.clone(), None), &|_, _| {}).unwrap();
    for limit in [1, 50, 9_000] {
        for threads in [1, 2] {
            let q = query(sort.clone(), Some(limit));
            let got = pool(threads)
                .install(|| concordance(&corpus, &q, &|_, _| {}))
                .unwrap();
            assert_eq!(got.lines[..], sorted.lines[..limit], "limit {limit}");
            assert_eq!(got.n_total, Some(all.lines.len() as u64));
        }
    }
}
