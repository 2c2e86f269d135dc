//! Concordances out: the table (CSV, JSON), an aligned terminal view and
//! a standalone HTML page.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{html_escape, Cell, Table};
use crate::analyze::{Concordance, KwicLine};
use crate::lexicon::FrameSet;

/// Terminal columns for each side's context.
pub const CONTEXT_WIDTH: usize = 40;
/// Matches wider than this are not padded (they push the right context).
const MATCH_PAD_MAX: usize = 30;

/// The pattern text of a line.
fn pattern<'a>(frames: &'a FrameSet, l: &KwicLine) -> &'a str {
    &frames.get(l.hit.frame as usize).1.patterns[l.hit.pattern as usize].source
}

/// `doc_id,pattern,token_start,token_end,byte_start,byte_end,sentence,
/// negated,left,match,right`. Takes the lines: each one's text is freed
/// once its row is made (a concordance of a common word can hold
/// millions of lines).
pub fn table(lines: Vec<KwicLine>, frames: &FrameSet) -> Table {
    let mut t = Table::new(
        ["doc_id", "pattern"]
            .into_iter()
            .chain(super::rows::HIT_COLUMNS),
    );
    t.rows.reserve(lines.len());
    for l in lines {
        let pat = pattern(frames, &l).to_string();
        let mut row = vec![Cell::Str(l.doc_id), Cell::Str(pat)];
        row.extend(super::rows::hit_cells(&l.hit));
        t.rows.push(row);
    }
    t
}

/// Control characters (escape sequences in a scraped text) must not reach
/// a terminal: each becomes U+FFFD.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// The last `width` columns of `s`, `…` first when cut.
fn keep_end(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out: Vec<char> = Vec::new();
    let mut w = 1; // the ellipsis
    for c in s.chars().rev() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width {
            break;
        }
        w += cw;
        out.push(c);
    }
    let mut kept: String = out.into_iter().rev().collect();
    // A string's width is not always its characters' widths summed: an
    // emoji's variation selector (`✔️`) makes it two columns where its
    // characters count one. Cut further until the whole fits, and until
    // the piece does not start with what belongs to a character cut
    // away (a variation selector, a combining mark).
    while let Some(c) = kept.chars().next() {
        if kept.width() < width && c.width() != Some(0) {
            break;
        }
        kept.replace_range(..c.len_utf8(), "");
    }
    kept.insert(0, '…');
    kept
}

/// The first `width` columns of `s`, `…` last when cut.
fn keep_start(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 1;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > width {
            break;
        }
        w += cw;
        out.push(c);
    }
    // As in keep_end: cut until the whole string fits.
    while out.width() + 1 > width && out.pop().is_some() {}
    out.push('…');
    out
}

/// The aligned concordance: left context right-aligned in a fixed width,
/// the match (bold when `color`), the right context cut at the edge, the
/// document id. Context never wraps: long context is cut at the outer
/// edges.
pub fn text(conc: &Concordance, color: bool) -> String {
    let w = CONTEXT_WIDTH;
    let matches: Vec<String> = conc
        .lines
        .iter()
        .map(|l| printable(&l.hit.matched))
        .collect();
    let pad_to = matches
        .iter()
        .map(|m| m.width())
        .filter(|&n| n <= MATCH_PAD_MAX)
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (l, m) in conc.lines.iter().zip(&matches) {
        let left = keep_end(&printable(&l.hit.left), w);
        let right = keep_start(&printable(&l.hit.right), w);
        out.extend(std::iter::repeat_n(' ', w.saturating_sub(left.width())));
        out.push_str(&left);
        out.push_str("  ");
        if color {
            out.push_str("\x1b[1m");
            out.push_str(m);
            out.push_str("\x1b[0m");
        } else {
            out.push_str(m);
        }
        out.extend(std::iter::repeat_n(
            ' ',
            pad_to.saturating_sub(m.width()) + 2,
        ));
        out.push_str(&right);
        out.extend(std::iter::repeat_n(
            ' ',
            w.saturating_sub(right.width()) + 2,
        ));
        out.push_str(&printable(&l.doc_id));
        out.push('\n');
    }
    out
}

/// A standalone HTML page: the settings, then one table row per line with
/// the match highlighted. Every piece of corpus text is escaped.
pub fn html(conc: &Concordance, frames: &FrameSet, settings: &[(&str, String)]) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>framescope concordance</title>\n<style>\n\
         body{font-family:system-ui,sans-serif;margin:2em;color:#222}\n\
         table.kwic{border-collapse:collapse;font-family:ui-monospace,monospace;font-size:13px}\n\
         table.kwic td{padding:2px 6px;white-space:nowrap;vertical-align:top}\n\
         table.kwic tr:nth-child(even){background:#f5f5f5}\n\
         td.l{text-align:right}\n\
         td.m mark{background:#ffe08a;font-weight:bold;padding:0 2px}\n\
         td.n,td.d{color:#777}\n\
         dl{display:grid;grid-template-columns:max-content auto;gap:2px 1em}\n\
         dt{font-weight:bold}dd{margin:0}\n\
         </style>\n</head>\n<body>\n<h1>Concordance</h1>\n<dl>\n",
    );
    for (k, v) in settings {
        out.push_str(&format!(
            "<dt>{}</dt><dd>{}</dd>\n",
            html_escape(k),
            html_escape(v)
        ));
    }
    out.push_str("</dl>\n<table class=\"kwic\">\n<thead><tr><th>#</th><th>document</th>\
                  <th>pattern</th><th>left</th><th>match</th><th>right</th></tr></thead>\n<tbody>\n");
    for (i, l) in conc.lines.iter().enumerate() {
        out.push_str(&format!(
            "<tr><td class=\"n\">{}</td><td class=\"d\">{}</td><td class=\"d\">{}</td>\
             <td class=\"l\">{}</td><td class=\"m\"><mark>{}</mark>{}</td>\
             <td class=\"r\">{}</td></tr>\n",
            i + 1,
            html_escape(&l.doc_id),
            html_escape(pattern(frames, l)),
            html_escape(&l.hit.left),
            html_escape(&l.hit.matched),
            if l.hit.negated {
                " <small>(negated)</small>"
            } else {
                ""
            },
            html_escape(&l.hit.right),
        ));
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_outer_edges_by_display_width() {
        assert_eq!(keep_end("abcdef", 4), "…def");
        assert_eq!(keep_start("abcdef", 4), "abc…");
        assert_eq!(keep_start("abc", 4), "abc");
        // Wide characters count two columns.
        assert_eq!(keep_end("一带一路", 5), "…一路");
    }

    /// `✔️` (a check mark and its emoji variation selector) is two
    /// columns as a string, one as characters: the cut piece must fit by
    /// the string's width (it overflowed the padding before).
    #[test]
    fn emoji_sequences_are_cut_by_the_width_of_the_whole() {
        let left = format!("b \u{2714}\u{fe0f} {}", "a".repeat(37));
        let kept = keep_end(&left, 40);
        assert!(kept.width() <= 40, "{kept:?} {}", kept.width());
        assert_eq!(kept, format!("… {}", "a".repeat(37)));
        let right = format!("{} \u{2714}\u{fe0f} b", "a".repeat(37));
        let kept = keep_start(&right, 40);
        assert!(kept.width() <= 40, "{kept:?} {}", kept.width());
        assert!(kept.starts_with('a') && kept.ends_with('…'), "{kept:?}");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        assert_eq!(printable("a\x1b[31mb"), "a\u{fffd}[31mb");
    }
}
