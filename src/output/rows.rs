//! The rows of every table framescope writes, built from result structs.
//! Column names and order are the interface: change them only on purpose
//! and say so in the README.

use super::{csv_field_into, csv_term_into, float_into, Cell, CellRef, RowSink, Table};
use crate::analyze::{CorpusAnalysis, HitRow};
use crate::lexicon::FrameSet;
use crate::stats::{
    FrameCompareRow, FrameScore, GroupFrequency, KeynessRow, ScoreRef, SimilarityRow,
};
use crate::text::StopWords;

/// `freq`: `group,term,n,per_1k,n_docs`, groups in order, terms ranked.
pub fn freq(groups: &[GroupFrequency]) -> Table {
    let mut t = Table::default();
    freq_header(&mut t);
    for g in groups {
        for r in &g.terms {
            freq_row(&g.group, r, &mut t);
        }
    }
    t
}

/// The header of [`freq`].
pub fn freq_header(s: &mut dyn RowSink) {
    s.header(Table::new(["group", "term", "n", "per_1k", "n_docs"]).columns);
}

/// One row of [`freq`].
pub fn freq_row(group: &str, r: &crate::stats::TermFrequency, s: &mut dyn RowSink) {
    s.row_ref(&[
        CellRef::Str(group),
        CellRef::Term(&r.term),
        CellRef::Int(r.n),
        r.per_1k.into(),
        CellRef::Int(r.n_docs),
    ]);
}

/// `corpus` and `docs.csv`: `doc_id`, every metadata column,
/// `n_tokens,n_types,n_sentences,n_bytes`.
pub fn docs(an: &CorpusAnalysis) -> Table {
    let mut t = Table::default();
    docs_into(an, &mut t);
    t
}

/// [`docs`] row by row into a sink (a file being written, say).
pub fn docs_into(an: &CorpusAnalysis, s: &mut dyn RowSink) {
    docs_rows(an, an.docs.len(), s);
}

/// The first `n` rows of [`docs`] (what the report shows: a table of
/// every document was most of the report's memory on a corpus of
/// millions of short documents).
pub fn docs_head(an: &CorpusAnalysis, n: usize) -> Table {
    let mut t = Table::default();
    docs_rows(an, n, &mut t);
    t
}

/// The columns of [`docs`] that are its own, not a document's metadata.
const DOCS_OWN: [&str; 5] = ["doc_id", "n_tokens", "n_types", "n_sentences", "n_bytes"];

/// The header of [`docs`]: `doc_id`, the metadata columns, the counts. A
/// metadata field named like one of the table's own columns (a corpus's
/// own `doc_id` or `n_tokens`) is written as `meta_NAME` (`meta_meta_NAME`
/// if that is taken too), so no header names two columns.
///
/// ```
/// let cols = vec!["doc_id".to_string(), "meta_doc_id".to_string(), "date".to_string()];
/// assert_eq!(
///     framescope::output::rows::docs_header(&cols),
///     ["doc_id", "meta_meta_doc_id", "meta_doc_id", "date", "n_tokens", "n_types", "n_sentences", "n_bytes"]
/// );
/// ```
pub fn docs_header(columns: &[String]) -> Vec<String> {
    let mut taken: std::collections::HashSet<String> = DOCS_OWN.map(String::from).into();
    taken.extend(columns.iter().cloned());
    let mut cols = vec![DOCS_OWN[0].to_string()];
    for c in columns {
        if DOCS_OWN.contains(&c.as_str()) {
            let mut name = format!("meta_{c}");
            while taken.contains(&name) {
                name = format!("meta_{name}");
            }
            taken.insert(name.clone());
            cols.push(name);
        } else {
            cols.push(c.clone());
        }
    }
    cols.extend(DOCS_OWN[1..].iter().map(|c| c.to_string()));
    cols
}

/// The metadata fields [`docs_header`] writes under another name, as
/// `(field, column)`.
pub fn docs_renamed(columns: &[String]) -> Vec<(String, String)> {
    columns
        .iter()
        .zip(&docs_header(columns)[1..])
        .filter(|(c, h)| c != h)
        .map(|(c, h)| (c.clone(), h.clone()))
        .collect()
}

fn docs_rows(an: &CorpusAnalysis, n: usize, s: &mut dyn RowSink) {
    s.header(Table::new(docs_header(&an.columns)).columns);
    // One vector of cells for every row, their text borrowed from the
    // summaries: no string made for a row of millions.
    let mut row: Vec<CellRef<'_>> = Vec::with_capacity(an.columns.len() + 5);
    for d in an.docs.iter().take(n) {
        row.clear();
        row.push(CellRef::Str(d.id()));
        let meta = d.meta();
        for c in &an.columns {
            row.push(CellRef::Text(meta.get(c).unwrap_or("")));
        }
        row.extend([
            CellRef::Int(d.n_tokens()),
            CellRef::Int(d.n_types()),
            CellRef::Int(d.n_sentences()),
            CellRef::Int(d.n_bytes()),
        ]);
        s.row_ref(&row);
    }
}

/// `terms.csv`: corpus-level norms, `term,n,per_1k,n_docs,stopword,dp`
/// (dp: Gries' deviation of proportions over the documents).
pub fn terms(corpus: &GroupFrequency, stop: &StopWords, dp: impl Fn(&str) -> Option<f64>) -> Table {
    let mut t = Table::default();
    terms_into(corpus, stop, dp, &mut t);
    t
}

/// [`terms`] row by row into a sink (a file being written, say).
pub fn terms_into(
    corpus: &GroupFrequency,
    stop: &StopWords,
    dp: impl Fn(&str) -> Option<f64>,
    s: &mut dyn RowSink,
) {
    terms_header(s);
    for r in &corpus.terms {
        term_row(r, stop, &dp, s);
    }
}

/// The header of terms.csv.
pub fn terms_header(s: &mut dyn RowSink) {
    s.header(Table::new(["term", "n", "per_1k", "n_docs", "stopword", "dp"]).columns);
}

/// One row of terms.csv.
pub fn term_row(
    r: &crate::stats::TermFrequency,
    stop: &StopWords,
    dp: impl Fn(&str) -> Option<f64>,
    s: &mut dyn RowSink,
) {
    s.row_ref(&[
        CellRef::Term(&r.term),
        CellRef::Int(r.n),
        r.per_1k.into(),
        CellRef::Int(r.n_docs),
        CellRef::Bool(stop.contains(&r.term)),
        dp(&r.term).into(),
    ]);
}

/// `doc_terms.csv`: each document's top terms, `doc_id,rank,term,n,per_1k`.
pub fn doc_terms(docs: &[GroupFrequency]) -> Table {
    let mut t = Table::default();
    doc_terms_into(docs, &mut t);
    t
}

/// [`doc_terms`] row by row into a sink (a file being written, say).
pub fn doc_terms_into(docs: &[GroupFrequency], s: &mut dyn RowSink) {
    doc_terms_header(s);
    for d in docs {
        doc_terms_rows(d, s);
    }
}

/// The header of [`doc_terms`].
pub fn doc_terms_header(s: &mut dyn RowSink) {
    s.header(Table::new(["doc_id", "rank", "term", "n", "per_1k"]).columns);
}

/// The rows of [`doc_terms`] for one document.
///
/// Every row begins with the document's id (50 rows a document, an id
/// of up to a hundred bytes): its CSV field is made once, and each row
/// goes to a CSV sink whole ([`RowSink::csv_record`]); a row's rate,
/// most often the row before's (the terms counted as often), is
/// formatted only when it changes. A sink of cells gets the cells.
pub fn doc_terms_rows(d: &GroupFrequency, s: &mut dyn RowSink) {
    let mut line = String::new();
    csv_field_into(&d.group, &mut line);
    line.push(',');
    let id_end = line.len();
    let mut rate: (Option<u64>, String) = (None, String::new());
    // Whether the sink takes rows as bytes (a sink of cells does not).
    let mut as_bytes = true;
    for (i, r) in d.terms.iter().enumerate() {
        if as_bytes {
            line.truncate(id_end);
            line.push_str(itoa::Buffer::new().format(i as u64 + 1));
            line.push(',');
            csv_term_into(&r.term, &mut line);
            line.push(',');
            line.push_str(itoa::Buffer::new().format(r.n));
            line.push(',');
            if let Some(v) = r.per_1k {
                if rate.0 != Some(v.to_bits()) {
                    rate.1.clear();
                    float_into(v, &mut rate.1);
                    rate.0 = Some(v.to_bits());
                }
                line.push_str(&rate.1);
            }
            as_bytes = s.csv_record(line.as_bytes(), 5);
        }
        if !as_bytes {
            s.row_ref(&[
                CellRef::Str(&d.group),
                CellRef::Int(i as u64 + 1),
                CellRef::Term(&r.term),
                CellRef::Int(r.n),
                r.per_1k.into(),
            ]);
        }
    }
}

/// `ngrams.csv`: `n,term,count,per_1k,n_docs`, by n, then count.
pub fn ngrams(tables: &[(usize, &GroupFrequency)]) -> Table {
    let mut t = Table::default();
    ngrams_into(tables, &mut t);
    t
}

/// [`ngrams`] row by row into a sink (a file being written, say).
pub fn ngrams_into(tables: &[(usize, &GroupFrequency)], s: &mut dyn RowSink) {
    ngrams_header(s);
    for (n, g) in tables {
        for r in &g.terms {
            ngram_row(*n, r, s);
        }
    }
}

/// The header of ngrams.csv.
pub fn ngrams_header(s: &mut dyn RowSink) {
    s.header(Table::new(["n", "term", "count", "per_1k", "n_docs"]).columns);
}

/// One row of ngrams.csv.
pub fn ngram_row(n: usize, r: &crate::stats::TermFrequency, s: &mut dyn RowSink) {
    s.row_ref(&[
        CellRef::Int(n as u64),
        CellRef::Term(&r.term),
        CellRef::Int(r.n),
        r.per_1k.into(),
        CellRef::Int(r.n_docs),
    ]);
}

/// [`ngram_row`] of row `i` of a table kept as keys.
pub fn keyed_ngram_row(n: usize, rows: &crate::analyze::KeyedRows, i: usize, s: &mut dyn RowSink) {
    keyed_row(CellRef::Int(n as u64), rows, i, s);
}

/// [`freq_row`] of row `i` of a table kept as keys.
pub fn keyed_freq_row(rows: &crate::analyze::KeyedRows, i: usize, s: &mut dyn RowSink) {
    keyed_row(CellRef::Str(&rows.group), rows, i, s);
}

/// `first,term,n,per_1k,n_docs` of row `i` of a table kept as keys.
fn keyed_row(first: CellRef<'_>, rows: &crate::analyze::KeyedRows, i: usize, s: &mut dyn RowSink) {
    rows.prefetch_after(i);
    with_term(rows, i, |term| {
        s.row_ref(&[
            first,
            CellRef::Term(term),
            CellRef::Int(rows.n(i)),
            rows.per_1k(i).into(),
            CellRef::Int(rows.n_docs_of(i)),
        ])
    });
}

/// Row `i`'s term of a table kept as keys, made in a buffer of the
/// thread's: no allocation per row.
fn with_term(rows: &crate::analyze::KeyedRows, i: usize, f: impl FnOnce(&str)) {
    thread_local! {
        static TERM: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    TERM.with_borrow_mut(|term| {
        rows.term_into(i, term);
        f(term)
    });
}

/// `score` and frames.csv: `doc_id` (or `group`),
/// `lexicon,frame,n_tokens,hits,negated,per_1k,ci_low,ci_high,share`.
pub fn scores(rows: &[FrameScore], group_column: &str) -> Table {
    let mut t = Table::default();
    scores_into(rows, group_column, &mut t);
    t
}

/// [`scores`] row by row into a sink.
pub fn scores_into(rows: &[FrameScore], group_column: &str, s: &mut dyn RowSink) {
    s.header(
        Table::new([
            group_column,
            "lexicon",
            "frame",
            "n_tokens",
            "hits",
            "negated",
            "per_1k",
            "ci_low",
            "ci_high",
            "share",
        ])
        .columns,
    );
    scores_rows(rows, s);
}

/// The rows of [`scores`], without the header.
pub fn scores_rows(rows: &[FrameScore], s: &mut dyn RowSink) {
    for r in rows {
        score_row(&r.borrowed(), s);
    }
}

/// One row of [`scores`].
pub fn score_row(r: &ScoreRef<'_>, s: &mut dyn RowSink) {
    s.row_ref(&[
        CellRef::Str(r.group),
        CellRef::Str(r.lexicon),
        CellRef::Str(r.frame),
        CellRef::Int(r.n_tokens),
        CellRef::Int(r.hits),
        CellRef::Int(r.negated),
        r.per_1k.into(),
        r.ci_low.into(),
        r.ci_high.into(),
        CellRef::Float(r.share),
    ]);
}

/// The columns of a hit's place and context, shared by hits.csv and
/// `kwic` (after `pattern`).
pub const HIT_COLUMNS: [&str; 9] = [
    "token_start",
    "token_end",
    "byte_start",
    "byte_end",
    "sentence",
    "negated",
    "left",
    "match",
    "right",
];

/// The [`HIT_COLUMNS`] cells of a hit.
pub fn hit_cell_refs(h: &HitRow) -> [CellRef<'_>; 9] {
    [
        CellRef::Int(h.token_start as u64),
        CellRef::Int(h.token_end as u64),
        CellRef::Int(h.byte_start as u64),
        CellRef::Int(h.byte_end as u64),
        CellRef::Int(h.sentence as u64),
        CellRef::Bool(h.negated),
        CellRef::Text(&h.left),
        CellRef::Text(&h.matched),
        CellRef::Text(&h.right),
    ]
}

/// [`hit_cell_refs`], owned.
pub fn hit_cells(h: &HitRow) -> [Cell; 9] {
    hit_cell_refs(h).map(|c| c.to_cell())
}

/// hits.csv: every hit with its place and context.
pub fn hits(an: &CorpusAnalysis, frames: &FrameSet) -> Table {
    let mut t = Table::default();
    hits_into(an, frames, &mut t);
    t
}

/// [`hits`] row by row into a sink.
pub fn hits_into(an: &CorpusAnalysis, frames: &FrameSet, t: &mut dyn RowSink) {
    hits_header(t);
    for h in &an.hits {
        hit_row_into(an.docs.doc(h.doc).id(), h, frames, t);
    }
}

/// hits.csv's header.
pub fn hits_header(t: &mut dyn RowSink) {
    t.header(
        Table::new(
            ["doc_id", "lexicon", "frame", "pattern"]
                .into_iter()
                .chain(HIT_COLUMNS),
        )
        .columns,
    );
}

/// One row of hits.csv: hit `h` of the document `doc_id`.
pub fn hit_row_into(doc_id: &str, h: &HitRow, frames: &FrameSet, t: &mut dyn RowSink) {
    let (lex, frame) = frames.get(h.frame as usize);
    let [a, b, c, d, e, f, g, i, j] = hit_cell_refs(h);
    t.row_ref(&[
        CellRef::Str(doc_id),
        CellRef::Str(&lex.id),
        CellRef::Str(&frame.id),
        CellRef::Str(&frame.patterns[h.pattern as usize].source),
        a,
        b,
        c,
        d,
        e,
        f,
        g,
        i,
        j,
    ]);
}

/// lexicon_check.csv and `lexicon check`: what every pattern caught,
/// `lexicon,frame,pattern,hits,n_docs,forms` (forms: `text (count)`
/// joined by `; `, most frequent first).
pub fn lexicon_check(an: &CorpusAnalysis, frames: &FrameSet) -> Table {
    let mut t = Table::new(["lexicon", "frame", "pattern", "hits", "n_docs", "forms"]);
    let mut cov = an.coverage.iter();
    for fi in 0..frames.len() {
        let (lex, frame) = frames.get(fi);
        for p in &frame.patterns {
            let c = cov.next().cloned().unwrap_or_default();
            let forms: Vec<String> = c.forms.iter().map(|(f, n)| format!("{f} ({n})")).collect();
            t.rows.push(vec![
                Cell::Str(lex.id.clone()),
                Cell::Str(frame.id.clone()),
                Cell::Str(p.source.clone()),
                Cell::Int(c.hits),
                Cell::Int(c.n_docs),
                Cell::Text(forms.join("; ")),
            ]);
        }
    }
    t
}

/// `compare --what terms` and keyness.csv: `term,n_target,n_reference,
/// per_1k_target,per_1k_reference,g2,p_value,p_adjusted,log_ratio,
/// z_logodds,dp`, preceded by `target` when several comparisons (each
/// against the rest of the corpus) share one table.
pub fn keyness(tables: &[(&str, &[KeynessRow])], with_target: bool) -> Table {
    let mut t = Table::default();
    keyness_into(tables, with_target, &mut t);
    t
}

/// [`keyness`] row by row into a sink (a file being written, say).
pub fn keyness_into(tables: &[(&str, &[KeynessRow])], with_target: bool, s: &mut dyn RowSink) {
    keyness_header(with_target, s);
    for (target, rows) in tables {
        for r in rows.iter() {
            keyness_row(target, r, with_target, s);
        }
    }
}

/// The header of keyness.csv (with a `target` column or without).
pub fn keyness_header(with_target: bool, s: &mut dyn RowSink) {
    let mut cols: Vec<&str> = Vec::new();
    if with_target {
        cols.push("target");
    }
    cols.extend([
        "term",
        "n_target",
        "n_reference",
        "per_1k_target",
        "per_1k_reference",
        "g2",
        "p_value",
        "p_adjusted",
        "log_ratio",
        "z_logodds",
        "dp",
    ]);
    s.header(Table::new(cols).columns);
}

/// One row of keyness.csv.
pub fn keyness_row(target: &str, r: &KeynessRow, with_target: bool, s: &mut dyn RowSink) {
    keyness_row_of(target, &r.term, r, with_target, s)
}

/// [`keyness_row`] with the term given apart (`r.term` is not read): a
/// row of a big table written without a string made for its term.
pub fn keyness_row_of(
    target: &str,
    term: &str,
    r: &KeynessRow,
    with_target: bool,
    s: &mut dyn RowSink,
) {
    keyness_row_with_dp(target, term, r, r.dp.into(), with_target, s)
}

/// [`keyness_row_of`] with the `dp` cell given (its text made once per
/// term when every target's table has a row for the term).
pub fn keyness_row_with_dp(
    target: &str,
    term: &str,
    r: &KeynessRow,
    dp: CellRef<'_>,
    with_target: bool,
    s: &mut dyn RowSink,
) {
    let cells = [
        CellRef::Str(target),
        CellRef::Term(term),
        CellRef::Int(r.n_target),
        CellRef::Int(r.n_reference),
        CellRef::Float(r.per_1k_target),
        CellRef::Float(r.per_1k_reference),
        CellRef::Float(r.g2),
        CellRef::Float(r.p_value),
        CellRef::Float(r.p_adjusted),
        CellRef::Float(r.log_ratio),
        CellRef::Float(r.z_logodds),
        dp,
    ];
    s.row_ref(if with_target { &cells } else { &cells[1..] });
}

/// `compare --what frames` and frame_compare.csv: `lexicon,frame,
/// hits_target,n_tokens_target,hits_reference,n_tokens_reference,
/// per_1k_target,per_1k_reference,rate_ratio,rr_ci_low,rr_ci_high,g2,
/// p_value,p_adjusted,docs_target,docs_reference,mw_p_value`, preceded by
/// `target` when several comparisons share one table. The frame is its
/// id, or `LEXICON/FRAME` when several lexicons are loaded.
pub fn frame_compare(
    tables: &[(&str, &[FrameCompareRow])],
    with_target: bool,
    qualify: bool,
) -> Table {
    let mut cols: Vec<&str> = Vec::new();
    if with_target {
        cols.push("target");
    }
    cols.extend([
        "frame",
        "hits_target",
        "n_tokens_target",
        "hits_reference",
        "n_tokens_reference",
        "per_1k_target",
        "per_1k_reference",
        "rate_ratio",
        "rr_ci_low",
        "rr_ci_high",
        "g2",
        "p_value",
        "p_adjusted",
        "docs_target",
        "docs_reference",
        "mw_p_value",
    ]);
    let mut t = Table::new(cols);
    for (target, rows) in tables {
        for r in rows.iter() {
            let mut row = Vec::with_capacity(19);
            if with_target {
                row.push(Cell::Str(target.to_string()));
            }
            row.extend([
                Cell::Str(if qualify {
                    format!("{}/{}", r.lexicon, r.frame)
                } else {
                    r.frame.clone()
                }),
                Cell::Int(r.hits_target),
                Cell::Int(r.n_tokens_target),
                Cell::Int(r.hits_reference),
                Cell::Int(r.n_tokens_reference),
                Cell::Float(r.per_1k_target),
                Cell::Float(r.per_1k_reference),
                r.rate_ratio.into(),
                r.rr_ci_low.into(),
                r.rr_ci_high.into(),
                Cell::Float(r.g2),
                Cell::Float(r.p_value),
                Cell::Float(r.p_adjusted),
                Cell::Int(r.docs_target),
                Cell::Int(r.docs_reference),
                r.mw_p_value.into(),
            ]);
            t.rows.push(row);
        }
    }
    t
}

/// `compare --what similarity` and similarity.csv:
/// `a,b,frames_cosine,terms_cosine`.
pub fn similarity(rows: &[SimilarityRow]) -> Table {
    let mut t = Table::new(["a", "b", "frames_cosine", "terms_cosine"]);
    for r in rows {
        t.rows.push(vec![
            Cell::Str(r.a.clone()),
            Cell::Str(r.b.clone()),
            r.frames_cosine.into(),
            r.terms_cosine.into(),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::CsvSink;
    use crate::stats::TermFrequency;

    /// doc_terms.csv's rows made as bytes are the CSV of the same rows
    /// as cells: ids and terms that need quotes or a formula's escape,
    /// rates repeated from the row before or not, no rate.
    #[test]
    fn doc_terms_rows_as_bytes_are_the_cells_csv() {
        let mut next = crate::testing::xorshift(0xD7);
        let ids = ["d1", "=HYPERLINK(x)", "a,b", "say \"q\"", "-7", ""];
        let terms = ["win-win", "1,000", "+3", "@user", "x\"y", "naïve", "=1"];
        let docs: Vec<GroupFrequency> = (0..60)
            .map(|i| GroupFrequency {
                group: ids[i % ids.len()].to_string(),
                n_tokens: 100,
                n_docs: 1,
                terms: (0..(next() % 60) as usize)
                    .map(|k| {
                        let r = next();
                        let n = 1 + (r % 4) / 3 + (k == 0) as u64;
                        TermFrequency {
                            term: terms[(r >> 8) as usize % terms.len()].to_string(),
                            n,
                            per_1k: (r % 9 != 0).then(|| 1000.0 * n as f64 / (100 + r % 3) as f64),
                            n_docs: 1,
                        }
                    })
                    .collect(),
            })
            .collect();
        let mut sink = CsvSink::appending(Vec::new());
        doc_terms_into(&docs, &mut sink);
        let got = String::from_utf8(sink.into_bytes().unwrap()).unwrap();
        let want = String::from_utf8(doc_terms(&docs).to_csv()).unwrap();
        assert!(got.lines().count() > 1000, "{} rows", got.lines().count());
        assert_eq!(got, want);
    }
}
