//! `report.html`: one self-contained page of a run — corpus, frames with
//! their charts, forms and hit lines, keyness, frame comparisons,
//! similarity, lexicon coverage, settings and fingerprints. Charts come in
//! as finished SVG; tables come from the same [`rows`] as the CSV files,
//! so every number on the page is a number of a CSV file (shown rounded,
//! exact in the cell's tooltip). Every piece of text is escaped.

use super::{float_text, html_escape, rows, Cell, Table};
use crate::analyze::{CorpusAnalysis, HitRow};
use crate::lexicon::FrameSet;
use crate::stats::{FrameCompareRow, FrameScore, KeynessRow, SimilarityRow};

/// Hit lines shown per frame.
pub const SAMPLE_LINES: usize = 12;
/// Keyness rows shown per side and target.
pub const KEYNESS_ROWS: usize = 15;

/// Everything the report shows.
pub struct Report<'a> {
    pub an: &'a CorpusAnalysis,
    pub frames: &'a FrameSet,
    /// frames.csv rows (per document).
    /// The first rows of frames.csv (at least [`REPORT_ROWS`], or all).
    pub scores: &'a [FrameScore],
    /// Rows of frames.csv.
    pub score_rows: usize,
    /// Per target: keyness rows without stopwords (as in the chart).
    pub keyness: &'a [(String, Vec<KeynessRow>)],
    pub frame_compare: &'a [(String, Vec<FrameCompareRow>)],
    pub similarity: &'a [SimilarityRow],
    /// Charts by name (`frames`, `keyness-<target>`, …): finished SVG.
    pub charts: &'a [(String, String)],
    /// `@font-face` CSS for the font the charts use.
    pub font_css: &'a str,
    /// run.json, pretty.
    pub provenance: &'a str,
    /// What the comparisons are (e.g. "each document against the rest").
    pub comparison_note: &'a str,
}

impl Report<'_> {
    /// The page.
    pub fn html(&self) -> String {
        let mut h = String::with_capacity(1 << 20);
        let an = self.an;
        h.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>framescope report</title>\n<style>\n{}\n{CSS}</style>\n</head>\n<body>\n",
            self.font_css
        ));
        h.push_str("<header><h1>framescope report</h1>\n<p>");
        h.push_str(&format!(
            "{} documents, {} tokens, {} types, {} sentences. Corpus fingerprint \
             <code>{}</code>.</p>\n",
            an.docs.len(),
            an.n_tokens(),
            an.n_types,
            an.n_sentences(),
            html_escape(&an.fingerprint)
        ));
        h.push_str(
            "<nav><a href=\"#corpus\">Corpus</a> · <a href=\"#frames\">Frames</a> · \
             <a href=\"#hits\">Hits</a> · <a href=\"#keyness\">Keyness</a> · \
             <a href=\"#compare\">Frame comparison</a> · <a href=\"#similarity\">Similarity</a> · \
             <a href=\"#lexicon\">Lexicon coverage</a> · <a href=\"#columns\">Columns</a> · \
             <a href=\"#settings\">Settings</a></nav>\n\
             </header>\n",
        );

        section(&mut h, "corpus", "Corpus", "docs.csv");
        h.push_str(&table_html_of(
            &rows::docs_head(an, REPORT_ROWS),
            REPORT_ROWS,
            an.docs.len(),
        ));

        section(&mut h, "frames", "Frames", "frames.csv");
        h.push_str(
            "<p>Hits per 1,000 tokens with exact (Garwood) 95% intervals. A dictionary \
             counts phrases, not meanings: read the hit lines below before trusting a rate.</p>\n",
        );
        self.chart(&mut h, "frames");
        self.chart(&mut h, "frames-heatmap");
        self.chart(&mut h, "timeline");
        self.chart(&mut h, "dispersion");
        h.push_str(&table_html_of(
            &rows::scores(self.scores, "doc_id"),
            REPORT_ROWS,
            self.score_rows,
        ));

        section(
            &mut h,
            "hits",
            "What each frame caught",
            "hits.csv, lexicon_check.csv",
        );
        self.hits(&mut h);

        section(&mut h, "keyness", "Keyness", "keyness.csv");
        h.push_str(&format!(
            "<p>{} Terms over-used in the target first (signed G²), stopwords left out \
             here (kept in keyness.csv); p-values adjusted by Benjamini–Hochberg within \
             each target.</p>\n",
            html_escape(self.comparison_note)
        ));
        self.chart(&mut h, "terms");
        for (target, rows) in self.keyness {
            h.push_str(&format!("<h3>{}</h3>\n", html_escape(target)));
            self.chart(&mut h, &format!("keyness-{target}"));
            let n = rows.len();
            let top: Vec<KeynessRow> = rows
                .iter()
                .take(KEYNESS_ROWS)
                .chain(
                    rows.iter()
                        .skip(KEYNESS_ROWS.max(n.saturating_sub(KEYNESS_ROWS))),
                )
                .cloned()
                .collect();
            h.push_str(&table_html(
                &rows::keyness(&[("", &top)], false),
                usize::MAX,
            ));
        }

        section(&mut h, "compare", "Frame comparison", "frame_compare.csv");
        h.push_str(
            "<p>Rate ratio target / reference with an exact conditional 95% interval \
             (log scale); <code>mw_p_value</code> tests per-document rates, which \
             pooled counts cannot.</p>\n",
        );
        for (target, rows) in self.frame_compare {
            h.push_str(&format!("<h3>{}</h3>\n", html_escape(target)));
            self.chart(&mut h, &format!("frame-compare-{target}"));
            let qualify = self.frames.lexicons.len() > 1;
            h.push_str(&table_html(
                &rows::frame_compare(&[("", rows)], false, qualify),
                usize::MAX,
            ));
        }

        section(&mut h, "similarity", "Similarity", "similarity.csv");
        self.chart(&mut h, "similarity");
        h.push_str(&table_html(&rows::similarity(self.similarity), 500));

        section(&mut h, "lexicon", "Lexicon coverage", "lexicon_check.csv");
        h.push_str(&table_html(
            &rows::lexicon_check(an, self.frames),
            usize::MAX,
        ));

        section(&mut h, "columns", "What the columns mean", "README.md");
        h.push_str(COLUMNS);

        section(&mut h, "settings", "Settings and fingerprints", "run.json");
        h.push_str(&format!("<pre>{}</pre>\n", html_escape(self.provenance)));
        h.push_str("</body>\n</html>\n");
        h
    }

    fn chart(&self, h: &mut String, name: &str) {
        if let Some((_, svg)) = self.charts.iter().find(|(n, _)| n == name) {
            h.push_str("<figure class=\"chart\">");
            // The SVG is our own output; its text was escaped when drawn.
            h.push_str(strip_xml_declaration(svg));
            h.push_str("</figure>\n");
        }
    }

    /// Per frame: its description, its most frequent forms, and a sample
    /// of its hit lines drawn from the whole corpus
    /// ([`CorpusAnalysis::hit_sample`]).
    fn hits(&self, h: &mut String) {
        let mut cov = self.an.coverage.iter();
        for fi in 0..self.frames.len() {
            let (lex, frame) = self.frames.get(fi);
            h.push_str(&format!(
                "<h3>{} <small>{}/{}</small></h3>\n<p>{}</p>\n",
                html_escape(&frame.label),
                html_escape(&lex.id),
                html_escape(&frame.id),
                html_escape(&frame.description)
            ));
            // Hits and forms over all the frame's patterns.
            let mut total = 0u64;
            let mut forms: Vec<(String, u64)> = Vec::new();
            for _ in &frame.patterns {
                if let Some(c) = cov.next() {
                    total += c.hits;
                    for (f, n) in &c.forms {
                        match forms.iter_mut().find(|(g, _)| g == f) {
                            Some((_, m)) => *m += n,
                            None => forms.push((f.clone(), *n)),
                        }
                    }
                }
            }
            forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            if forms.is_empty() {
                h.push_str("<p class=\"empty\">No hits in this corpus.</p>\n");
                continue;
            }
            let list: Vec<String> = forms
                .iter()
                .take(12)
                .map(|(f, n)| format!("<li>{} <span class=\"n\">{n}</span></li>", html_escape(f)))
                .collect();
            let listed = self.an.hits_listed.get(fi).copied().unwrap_or(total);
            let cut = if listed < total {
                format!(" (hits.csv lists the first {listed}: --max-hits-per-frame)")
            } else {
                String::new()
            };
            h.push_str(&format!(
                "<p>{total} hits{cut}. Most frequent forms:</p><ul class=\"forms\">{}</ul>\n",
                list.join("")
            ));
            let sample: &[HitRow] = self.an.hit_sample.get(fi).map_or(&[], Vec::as_slice);
            if (sample.len() as u64) < total {
                h.push_str(&format!(
                    "<p class=\"files\">{} lines drawn at random from all {total} \
                     (the same on every run), in document order:</p>\n",
                    sample.len()
                ));
            }
            h.push_str("<table class=\"kwic\">\n");
            for hit in sample {
                h.push_str(&format!(
                    "<tr><td class=\"d\">{}</td><td class=\"l\">{}</td><td class=\"m\"><mark>{}</mark>{}</td><td>{}</td></tr>\n",
                    html_escape(self.an.docs.doc(hit.doc).id()),
                    html_escape(&hit.left),
                    html_escape(&hit.matched),
                    if hit.negated { " <small>(negated)</small>" } else { "" },
                    html_escape(&hit.right)
                ));
            }
            h.push_str("</table>\n");
        }
    }
}

fn section(h: &mut String, id: &str, title: &str, files: &str) {
    h.push_str(&format!(
        "<h2 id=\"{id}\">{}</h2>\n<p class=\"files\">Data: {}</p>\n",
        html_escape(title),
        html_escape(files)
    ));
}

fn strip_xml_declaration(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// Rows of a per-document table shown in the report; the CSV file
/// named above the table has them all.
pub const REPORT_ROWS: usize = 1000;

/// A table as HTML, at most `limit` rows (the rest counted in a note).
/// Floats show three decimals (or three significant digits when small);
/// the exact CSV value is the cell's tooltip.
pub fn table_html(t: &Table, limit: usize) -> String {
    table_html_of(t, limit, t.rows.len())
}

/// [`table_html`] of the first rows of a table of `total` rows.
pub fn table_html_of(t: &Table, limit: usize, total: usize) -> String {
    let mut h = String::from("<div class=\"table\"><table>\n<thead><tr>");
    for c in &t.columns {
        h.push_str(&format!("<th>{}</th>", html_escape(c)));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in t.rows.iter().take(limit) {
        h.push_str("<tr>");
        for (cell, name) in row.iter().zip(&t.columns) {
            match cell {
                Cell::Float(v) => h.push_str(&format!(
                    "<td class=\"num\" title=\"{}\">{}</td>",
                    float_text(*v),
                    html_escape(&super::float_short_in(name, *v))
                )),
                Cell::Int(n) => h.push_str(&format!("<td class=\"num\">{n}</td>")),
                Cell::Empty => h.push_str("<td class=\"num\"></td>"),
                Cell::Bool(b) => h.push_str(&format!("<td>{b}</td>")),
                Cell::Str(s) | Cell::Term(s) | Cell::Text(s) => {
                    h.push_str(&format!("<td>{}</td>", html_escape(s)))
                }
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table></div>\n");
    if total > limit.min(t.rows.len()) {
        h.push_str(&format!(
            "<p class=\"files\">First {} of {total} rows; all are in the CSV file.</p>\n",
            limit.min(t.rows.len())
        ));
    }
    h
}

const CSS: &str = "\
body{font-family:'DejaVu Sans',system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:1em 2em;color:#222;line-height:1.4}
h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
nav a{color:#0060a0}
code,pre{font-family:'DejaVu Sans Mono',ui-monospace,monospace;font-size:12px}
pre{background:#f6f6f6;padding:1em;overflow-x:auto}
.files{color:#777;font-size:13px}
figure.chart{margin:1em 0}figure.chart svg{width:100%;height:auto}
div.table{overflow-x:auto;max-height:40em;overflow-y:auto;margin:1em 0}
table{border-collapse:collapse;font-size:12px}
th{position:sticky;top:0;background:#eee;text-align:left;padding:3px 6px}
td{padding:2px 6px;border-bottom:1px solid #eee;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
table.kwic td{white-space:nowrap}table.kwic td.l{text-align:right}
table.kwic td.d{color:#777}
mark{background:#ffe08a;font-weight:bold}
ul.forms{columns:3;font-size:13px}ul.forms .n{color:#777}
p.empty{color:#a00}
";

/// `@font-face` for an embedded font, as a base64 data URL, so the page
/// and its inline SVG charts render with the same font everywhere.
pub fn font_face_css(family: &str, ttf: &[u8]) -> String {
    format!(
        "@font-face{{font-family:'{family}';src:url(data:font/ttf;base64,{}) format('truetype');}}",
        base64(ttf)
    )
}

/// Standard base64 (RFC 4648, with padding).
pub fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The report's glossary: each column of its tables in a line, as the
/// README defines it (its sections "Output" and "Commands").
const COLUMNS: &str = "<dl class=\"columns\">\n\
<dt>doc_id, group, lexicon, frame, term</dt><dd>the document (or group of documents), the lexicon and frame, the normalized word</dd>\n\
<dt>n_tokens, n_types, n_sentences, n_bytes</dt><dd>tokens, distinct normalized words, sentences (CONTRACT §1–§4), bytes of text</dd>\n\
<dt>n_docs</dt><dd>documents with at least one hit of the pattern (or holding the term)</dd>\n\
<dt>pattern, forms</dt><dd>a pattern of the lexicon, and the text it matched, most frequent first, with counts</dd>\n\
<dt>hits, negated</dt><dd>matches of a frame's patterns; of them, those with a negation (not, no, never, n't …) in the three tokens before, in the same sentence. Negation is flagged, never reversed</dd>\n\
<dt>per_1k, ci_low, ci_high</dt><dd>hits per 1,000 tokens, with its exact (Garwood) 95% interval</dd>\n\
<dt>share</dt><dd>the frame's hits over the hits of every frame (of every lexicon loaded) in the document or group; 0 when there are none</dd>\n\
<dt>n_target, n_reference, per_1k_target, per_1k_reference</dt><dd>a term's count and rate in the target group and in the reference</dd>\n\
<dt>g2, p_value</dt><dd>Dunning's log-likelihood G², signed negative when the term is rarer in the target; its χ²(1) upper-tail p-value</dd>\n\
<dt>p_adjusted</dt><dd>Benjamini–Hochberg over every row of the target's table (keyness: every term, stopwords included, though the report hides stopwords; frame comparison: the frames' pooled tests)</dd>\n\
<dt>log_ratio</dt><dd>log2 of the ratio of the two rates, a zero count taken as 0.5: an effect size (1 = twice as frequent)</dd>\n\
<dt>z_logodds</dt><dd>the z-score of the log-odds ratio with an informative Dirichlet prior from the whole corpus (Monroe, Colaresi &amp; Quinn 2008): an effect size that shrinks rare terms</dd>\n\
<dt>dp</dt><dd>Gries' deviation of proportions of the term over all documents of the corpus (0: spread evenly; near 1: in few documents); the same for every target</dd>\n\
<dt>hits_target, hits_reference, n_tokens_target, n_tokens_reference, docs_target, docs_reference</dt><dd>a frame's hits, the tokens and the documents of the target group and of the reference</dd>\n\
<dt>rate_ratio, rr_ci_low, rr_ci_high</dt><dd>the frame's rate in the target over the reference's, with its exact conditional 95% interval; empty when the reference has no hits</dd>\n\
<dt>mw_p_value</dt><dd>two-sided Mann–Whitney U test of the documents' rates (the document-level view pooled tokens hide); not adjusted for the number of frames</dd>\n\
<dt>a, b, frames_cosine, terms_cosine</dt><dd>two documents (or groups), the cosine similarity of their frame rates, and of their tf-idf weighted non-stopword terms</dd>\n\
</dl>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_rfc4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
    }

    #[test]
    fn tables_escape_text_and_keep_exact_values() {
        let mut t = Table::new(["a<", "b"]);
        t.rows.push(vec![
            Cell::Text("<script>x</script>".into()),
            Cell::Float(0.123456789),
        ]);
        let h = table_html(&t, 10);
        assert!(h.contains("<th>a&lt;</th>"));
        assert!(h.contains("<td>&lt;script&gt;x&lt;/script&gt;</td>"));
        assert!(h.contains("<td class=\"num\" title=\"0.123456789\">0.123</td>"));
        assert!(!h.contains("<script>"));
    }
}
