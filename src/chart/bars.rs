//! Bar charts: frame rates per document, keyness, top terms.

use plotters::style::text_anchor::VPos;

use super::canvas::{nice_ticks, tick_label, Align, Canvas};
use super::style::{self, series_color, GRID, INK, MUTED, NEGATIVE, POSITIVE};
use super::Chart;
use crate::lexicon::FrameSet;
use crate::stats::{FrameScore, GroupFrequency, KeynessRow};

/// Grouped bars of `per_1k` by frame for each document (or group), with
/// the 95% interval as whiskers. `scores` holds, for each group in turn,
/// one row per frame in frame order (as `frame_scores` returns them);
/// `groups` says what the groups are ([`super::rows_of`]).
pub fn frames(scores: &[FrameScore], frames: &FrameSet, groups: &str) -> Chart {
    frames_shown(scores, scores.len() / frames.len().max(1), frames, groups)
}

/// [`frames`] from the scores of the first groups only (at least
/// [`super::MAX_ROWS`] of them, or all), with the number of groups in
/// all: what a corpus of many documents draws without scoring each;
/// `groups` says what the groups are ("documents", "values of voice").
pub fn frames_shown(
    scores: &[FrameScore],
    n_groups: usize,
    frames: &FrameSet,
    groups: &str,
) -> Chart {
    Chart::draw(|c| {
        c.title(
            "Frames per 1,000 tokens",
            &format!(
                "{groups}; bars: hits per 1,000 tokens; whiskers: exact (Garwood) 95% intervals"
            ),
        );
        let nf = frames.len();
        let Some(groups) = c.frame_groups(scores, n_groups, nf, 40) else {
            return;
        };
        let items: Vec<(String, _)> = (0..nf)
            .map(|i| (frames.get(i).1.label.clone(), series_color(i)))
            .collect();
        let top = c.legend(&items, 40, 104, c.width - 80) + 10;
        // Bars too thin to carry a whisker (about 1,500 px over all bars):
        // no intervals, and the axis fits the rates alone.
        let whiskers = 1500.0 / (groups.len() * nf) as f64 * 0.84 >= 3.0;
        let max = groups
            .iter()
            .flat_map(|g| g.iter())
            .flat_map(|s| [s.per_1k, if whiskers { s.ci_high } else { None }])
            .flatten()
            .fold(0.0f64, f64::max);
        if max <= 0.0 {
            c.empty("No frame has a hit in these documents.");
            return;
        }
        let many = groups.len() > 12;
        let (x0, x1) = (110, c.width - 40);
        let y1 = c.height - if many { 170 } else { 70 };
        let y0 = top + 10;
        let ticks = nice_ticks(0.0, max * 1.05, 6);
        let ymax = ticks.last().copied().unwrap_or(max).max(max);
        let y = |v: f64| y1 - ((v / ymax) * (y1 - y0) as f64).round() as i32;
        c.y_grid(
            &ticks
                .iter()
                .map(|&t| (tick_label(t), y(t)))
                .collect::<Vec<_>>(),
            x0,
            x1,
        );
        c.y_title("per 1,000 tokens", y0, y1);
        let cw = (x1 - x0) as f64 / groups.len() as f64;
        let bw = (cw * 0.84 / nf as f64).max(1.0);
        if !whiskers {
            c.text(
                "(too many documents to draw intervals: see frames.csv)",
                c.width - 40,
                68,
                style::SMALL,
                Align::Right,
                VPos::Top,
                MUTED,
            );
        }
        // Label every k-th group when they are too narrow to read.
        let every = ((26.0 / cw).ceil() as usize).max(1);
        for (gi, rows) in groups.iter().enumerate() {
            let gx = x0 as f64 + cw * gi as f64 + cw * 0.08;
            for (fi, r) in rows.iter().enumerate() {
                let bx0 = (gx + bw * fi as f64).round() as i32;
                let bx1 = ((gx + bw * (fi + 1) as f64).round() as i32 - 1).max(bx0 + 1);
                if let Some(v) = r.per_1k {
                    if v > 0.0 {
                        c.rect(bx0, y(v), bx1, y1, series_color(fi));
                    }
                }
                if let (true, Some(lo), Some(hi)) = (whiskers, r.ci_low, r.ci_high) {
                    let mx = (bx0 + bx1) / 2;
                    c.line(&[(mx, y(lo)), (mx, y(hi))], INK, 1);
                    if bw >= 8.0 {
                        let cap = ((bw / 4.0) as i32).min(6);
                        c.line(&[(mx - cap, y(hi)), (mx + cap, y(hi))], INK, 1);
                        c.line(&[(mx - cap, y(lo)), (mx + cap, y(lo))], INK, 1);
                    }
                }
            }
            if gi % every == 0 {
                let cx = (x0 as f64 + cw * (gi as f64 + 0.5)) as i32;
                let name = &rows[0].group;
                if many {
                    let label = Canvas::fit(name, style::SMALL, 150);
                    c.text_styled(
                        &label,
                        cx,
                        y1 + 10,
                        style::SMALL,
                        Align::Right,
                        VPos::Center,
                        INK,
                        false,
                        true,
                    );
                } else {
                    let label = Canvas::fit(name, style::SMALL, (cw as i32 - 8).max(20));
                    c.text(
                        &label,
                        cx,
                        y1 + 12,
                        style::SMALL,
                        Align::Center,
                        VPos::Top,
                        INK,
                    );
                }
            }
        }
        c.line(&[(x0, y1), (x1, y1)], INK, 1);
    })
}

/// Diverging horizontal bars of signed G²: the top 20 terms of the target
/// (right, blue) and of the reference (left, vermillion), pale where
/// `p_adjusted` is 0.05 or more. `rows` are a keyness table (sorted by G²
/// descending) without stopwords.
pub fn keyness(rows: &[KeynessRow], target: &str, reference: &str) -> Chart {
    Chart::draw(|c| {
        c.title(
            &format!("Keyness: {target} against {reference}"),
            "signed log-likelihood G²: right, more frequent in the target; left, in the \
             reference (stopwords left out); pale bars: p_adjusted ≥ 0.05, no evidence of \
             a difference",
        );
        let pos: Vec<&KeynessRow> = rows.iter().filter(|r| r.g2 > 0.0).take(20).collect();
        let mut neg: Vec<&KeynessRow> = rows.iter().rev().filter(|r| r.g2 < 0.0).take(20).collect();
        neg.reverse();
        if pos.is_empty() && neg.is_empty() {
            c.empty("No term differs between the groups (or none reaches the minimum count).");
            return;
        }
        let max = pos
            .iter()
            .chain(&neg)
            .map(|r| r.g2.abs())
            .fold(0.0f64, f64::max);
        let (y0, y1) = (140, c.height - 60);
        let n = pos.len() + neg.len();
        let gap = if pos.is_empty() || neg.is_empty() {
            0
        } else {
            14
        };
        let rh = ((y1 - y0 - gap) as f64 / n.max(1) as f64).min(34.0);
        let size = (rh * 0.62).clamp(11.0, style::SMALL);
        let cx = c.width / 2;
        let half = c.width / 2 - 60;
        let label_w = 260;
        let bar_room = (half - label_w - 70) as f64;
        let scale = |v: f64| (v.abs() / max * bar_room).round() as i32;
        // Grid: the axis at 0 and ticks each side.
        let ticks = nice_ticks(0.0, max, 4);
        for &t in &ticks {
            if t > 0.0 {
                for sign in [-1, 1] {
                    let x = cx + sign * (label_w / 2 + scale(t));
                    c.line(&[(x, y0), (x, y1)], GRID, 1);
                    c.text(
                        &tick_label(sign as f64 * t),
                        x,
                        y1 + 8,
                        style::SMALL,
                        Align::Center,
                        VPos::Top,
                        MUTED,
                    );
                }
            }
        }
        let mut yy = y0 as f64;
        // A difference the corrected test does not support: the bar's
        // colour mixed 60% with white.
        let shade = |color: plotters::style::RGBColor, r: &KeynessRow| {
            if r.p_adjusted < 0.05 {
                return color;
            }
            let mix = |v: u8| (v as f64 + (255.0 - v as f64) * 0.6).round() as u8;
            plotters::style::RGBColor(mix(color.0), mix(color.1), mix(color.2))
        };
        let draw_row = |r: &KeynessRow, yy: f64| {
            let ym = (yy + rh / 2.0) as i32;
            let bh = ((rh * 0.7) as i32).max(2);
            let term = Canvas::fit(&r.term, size, label_w - 20);
            if r.g2 > 0.0 {
                let xa = cx + label_w / 2;
                let xb = xa + scale(r.g2).max(1);
                c.rect(xa, ym - bh / 2, xb, ym + bh / 2, shade(POSITIVE, r));
                c.text(&term, xa - 8, ym, size, Align::Right, VPos::Center, INK);
                c.text(
                    &format!("{:.1}", r.g2),
                    xb + 6,
                    ym,
                    size * 0.9,
                    Align::Left,
                    VPos::Center,
                    MUTED,
                );
            } else {
                let xa = cx - label_w / 2;
                let xb = xa - scale(r.g2).max(1);
                c.rect(xb, ym - bh / 2, xa, ym + bh / 2, shade(NEGATIVE, r));
                c.text(&term, xa + 8, ym, size, Align::Left, VPos::Center, INK);
                c.text(
                    &format!("{:.1}", r.g2),
                    xb - 6,
                    ym,
                    size * 0.9,
                    Align::Right,
                    VPos::Center,
                    MUTED,
                );
            }
        };
        for r in &pos {
            draw_row(r, yy);
            yy += rh;
        }
        yy += gap as f64;
        for r in &neg {
            draw_row(r, yy);
            yy += rh;
        }
        c.line(&[(cx + label_w / 2, y0), (cx + label_w / 2, y1)], INK, 1);
        c.line(&[(cx - label_w / 2, y0), (cx - label_w / 2, y1)], INK, 1);
        c.text(
            &Canvas::fit(&format!("more in {target} →"), style::SMALL, half - 40),
            c.width - 40,
            y0 - 12,
            style::SMALL,
            Align::Right,
            VPos::Bottom,
            POSITIVE,
        );
        c.text(
            &Canvas::fit(&format!("← more in {reference}"), style::SMALL, half - 40),
            40,
            y0 - 12,
            style::SMALL,
            Align::Left,
            VPos::Bottom,
            NEGATIVE,
        );
    })
}

/// Panels most documents will fit in one chart.
pub const MAX_PANELS: usize = 24;

/// Small multiples: each document's (or group's) top terms as horizontal
/// bars, the first `per_doc` of each.
pub fn terms(docs: &[GroupFrequency], per_doc: usize, rows: &str) -> Chart {
    terms_of(docs, docs.len(), per_doc, rows)
}

/// [`terms`] from the first tables only (at least [`MAX_PANELS`] of
/// them, or all), of `total` documents or groups (`rows`: what they
/// are, [`super::rows_of`]).
pub fn terms_of(docs: &[GroupFrequency], total: usize, per_doc: usize, rows: &str) -> Chart {
    Chart::draw(|c| {
        let shown = docs.len().min(MAX_PANELS);
        let subtitle = if total > shown {
            format!("most frequent content words; the first {shown} of {total} {rows}")
        } else {
            "most frequent content words (stopwords left out), count".to_string()
        };
        c.title("Top terms", &subtitle);
        if docs.is_empty() || per_doc == 0 || docs.iter().all(|d| d.terms.is_empty()) {
            c.empty("No terms to show.");
            return;
        }
        let cols = match shown {
            1 => 1,
            2 => 2,
            3 | 5 | 6 | 9 => 3,
            4 | 7 | 8 => 4,
            n => ((n as f64 * 1.6).sqrt().ceil() as usize).max(1),
        };
        let rows_n = shown.div_ceil(cols);
        let (x0, y0) = (30, 110);
        let pw = (c.width - 2 * x0) / cols as i32;
        let ph = (c.height - y0 - 20) / rows_n as i32;
        let color = series_color(0);
        for (k, d) in docs.iter().take(shown).enumerate() {
            let px = x0 + (k % cols) as i32 * pw;
            let py = y0 + (k / cols) as i32 * ph;
            let title_size = if ph > 140 {
                style::LABEL * 0.85
            } else {
                style::SMALL * 0.8
            };
            c.text_styled(
                &Canvas::fit(&d.group, title_size, pw - 20),
                px + 6,
                py,
                title_size,
                Align::Left,
                VPos::Top,
                INK,
                true,
                false,
            );
            let terms: Vec<_> = d.terms.iter().take(per_doc).collect();
            if terms.is_empty() {
                c.text(
                    "no terms",
                    px + 6,
                    py + 40,
                    style::SMALL,
                    Align::Left,
                    VPos::Top,
                    MUTED,
                );
                continue;
            }
            let top = py + (title_size * 1.6) as i32;
            let rh = ((py + ph - 14 - top) as f64 / per_doc as f64).max(1.0);
            let size = (rh * 0.7).clamp(8.0, style::SMALL);
            let label_w = (pw as f64 * 0.38) as i32;
            let bar_x = px + label_w + 8;
            let room = (pw - label_w - 70) as f64;
            let max = terms.iter().map(|t| t.n).max().unwrap_or(1).max(1) as f64;
            for (i, t) in terms.iter().enumerate() {
                let ym = (top as f64 + rh * (i as f64 + 0.5)) as i32;
                let bh = ((rh * 0.7) as i32).max(1);
                let len = ((t.n as f64 / max) * room).round().max(1.0) as i32;
                c.text(
                    &Canvas::fit(&t.term, size, label_w - 6),
                    bar_x - 6,
                    ym,
                    size,
                    Align::Right,
                    VPos::Center,
                    INK,
                );
                c.rect(bar_x, ym - bh / 2, bar_x + len, ym + bh / 2, color);
                c.text(
                    &t.n.to_string(),
                    bar_x + len + 5,
                    ym,
                    size * 0.9,
                    Align::Left,
                    VPos::Center,
                    MUTED,
                );
            }
        }
    })
}
