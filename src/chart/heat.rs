//! Heatmaps: documents × frames, documents × documents.

use plotters::style::text_anchor::VPos;

use super::canvas::{Align, Canvas};
use super::style::{self, sequential, text_on, INK, MUTED};
use super::Chart;
use crate::lexicon::FrameSet;
use crate::stats::{FrameScore, SimilarityRow};

/// A grid of values: row and column labels, a value (or none) per cell,
/// colour scaled to [0, max], the value printed when the cell is big
/// enough.
fn grid(
    c: &Canvas<'_>,
    rows: &[String],
    cols: &[String],
    value: impl Fn(usize, usize) -> Option<f64>,
    (min, max): (f64, f64),
    digits: usize,
) {
    let label_w = 240;
    let (x1, y1) = (c.width - 40, c.height - 40);
    let x0 = 40 + label_w;
    let cw = (x1 - x0) as f64 / cols.len() as f64;
    // Column labels: up to three wrapped lines when the columns are wide
    // enough, else rotated, in as much height as the longest one shown
    // takes (up to 200 pixels: short labels, years, leave the rows room).
    let rotate = cw < 70.0;
    let every_col = ((22.0 / cw).ceil() as usize).max(1);
    let y0 = if rotate {
        let longest = cols
            .iter()
            .step_by(every_col)
            .map(|l| Canvas::text_width(l, style::SMALL))
            .max()
            .unwrap_or(0);
        (130 + longest + 16).clamp(200, 330)
    } else {
        200
    };
    let rh = ((y1 - y0) as f64 / rows.len() as f64).min(130.0);
    for (j, l) in cols.iter().enumerate() {
        if j % every_col != 0 {
            continue;
        }
        let x = (x0 as f64 + cw * (j as f64 + 0.5)) as i32;
        if rotate {
            let l = Canvas::fit(l, style::SMALL, y0 - 130);
            c.text_styled(
                &l,
                x,
                y0 - 8,
                style::SMALL,
                Align::Left,
                VPos::Center,
                INK,
                false,
                true,
            );
        } else {
            let lines = Canvas::wrap(l, style::SMALL, cw as i32 - 10, 3);
            let n = lines.len() as i32;
            for (k, line) in lines.iter().enumerate() {
                let y = y0 - 10 - (n - 1 - k as i32) * 24;
                c.text(line, x, y, style::SMALL, Align::Center, VPos::Bottom, INK);
            }
        }
    }
    let every_row = ((18.0 / rh).ceil() as usize).max(1);
    let size = (rh * 0.45).clamp(9.0, style::SMALL);
    for (i, l) in rows.iter().enumerate() {
        let yt = (y0 as f64 + rh * i as f64) as i32;
        let yb = (y0 as f64 + rh * (i + 1) as f64) as i32;
        if i % every_row == 0 {
            c.row_label(l, x0 - 10, (yt + yb) / 2, size, label_w - 10);
        }
        for j in 0..cols.len() {
            let xl = (x0 as f64 + cw * j as f64) as i32;
            let xr = (x0 as f64 + cw * (j + 1) as f64) as i32;
            match value(i, j) {
                Some(v) => {
                    let t = if max > min {
                        (v - min) / (max - min)
                    } else {
                        0.0
                    };
                    let bg = sequential(t.clamp(0.0, 1.0));
                    c.rect(xl, yt, xr, yb, bg);
                    let text = format!("{v:.digits$}");
                    if rh >= 16.0 && Canvas::text_width(&text, size) < (xr - xl) - 4 {
                        c.text(
                            &text,
                            (xl + xr) / 2,
                            (yt + yb) / 2,
                            size,
                            Align::Center,
                            VPos::Center,
                            text_on(bg),
                        );
                    }
                }
                None => c.rect_outline(xl, yt, xr - 1, yb - 1, style::GRID),
            }
        }
    }
    // The colour key, top right beside the title.
    let kx = c.width - 360;
    for k in 0..100 {
        let t = k as f64 / 99.0;
        c.rect(kx + k * 3, 30, kx + k * 3 + 3, 48, sequential(t));
    }
    let low = if min == 0.0 {
        "0".to_string()
    } else {
        format!("{min:.digits$}")
    };
    c.text(&low, kx, 52, style::SMALL, Align::Center, VPos::Top, MUTED);
    c.text(
        &format!("{max:.digits$}"),
        kx + 300,
        52,
        style::SMALL,
        Align::Center,
        VPos::Top,
        MUTED,
    );
}

/// Documents (or groups) × frames, colour by `per_1k`, the value in each
/// cell. `scores` as for [`super::frames`].
pub fn frames_heatmap(scores: &[FrameScore], frames: &FrameSet, rows: &str) -> Chart {
    let max = scores
        .iter()
        .filter_map(|s| s.per_1k)
        .fold(0.0f64, f64::max);
    frames_heatmap_shown(
        scores,
        scores.len() / frames.len().max(1),
        max,
        frames,
        rows,
    )
}

/// [`frames_heatmap`] from the scores of the first groups only (at least
/// [`super::MAX_ROWS`] of them, or all), with the number of groups and
/// the highest `per_1k` of all of them (the top of the colour scale);
/// `rows` says what the rows are ("documents", "values of voice").
pub fn frames_heatmap_shown(
    scores: &[FrameScore],
    n_groups: usize,
    max: f64,
    frames: &FrameSet,
    rows: &str,
) -> Chart {
    Chart::draw(|c| {
        c.title(
            "Frames per 1,000 tokens",
            &format!("rows: {rows}; columns: frames; empty cell: no tokens"),
        );
        let nf = frames.len();
        let Some(groups) = c.frame_groups(scores, n_groups, nf, 68) else {
            return;
        };
        let rows: Vec<String> = groups.iter().map(|g| g[0].group.clone()).collect();
        let cols: Vec<String> = (0..nf).map(|i| frames.get(i).1.label.clone()).collect();
        grid(c, &rows, &cols, |i, j| groups[i][j].per_1k, (0.0, max), 2);
    })
}

/// Documents (or groups) × documents: cosine similarity of frame rates.
pub fn similarity(rows: &[SimilarityRow], names: &[String]) -> Chart {
    Chart::draw(|c| {
        let subtitle = "cosine of the frames' rates per 1,000 tokens (1 = same mix of frames)";
        if names.len() < 2 {
            c.title("Similarity of framing", subtitle);
            c.empty("Similarity needs at least two documents.");
            return;
        }
        let names = &names[..c.first_of(names.len(), "documents or groups", 68)];
        let pos: rustc_hash::FxHashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let index = |n: &str| pos.get(n).copied();
        let k = names.len();
        let mut m = vec![None; k * k];
        for (i, slot) in m.iter_mut().enumerate() {
            if i / k == i % k {
                *slot = Some(1.0);
            }
        }
        for r in rows {
            if let (Some(a), Some(b)) = (index(&r.a), index(&r.b)) {
                m[a * k + b] = r.frames_cosine;
                m[b * k + a] = r.frames_cosine;
            }
        }
        let min = similarity_floor(m.iter().flatten().copied());
        if min > 0.0 {
            c.title(
                "Similarity of framing",
                &format!("{subtitle}; colours from {min:.2} (lightest) to 1"),
            );
        } else {
            c.title("Similarity of framing", subtitle);
        }
        grid(c, names, names, |i, j| m[i * k + j], (min, 1.0), 2);
    })
}

/// Where the colours of a similarity chart start: 0, or, where every
/// cosine shown is at least 0.5 (groups of one corpus often all lie
/// above 0.9, and would all be drawn nearly the darkest), the lowest
/// rounded down to a twentieth, at most 0.95, so that the colours tell
/// them apart.
///
/// ```
/// use framescope::chart::similarity_floor;
/// assert_eq!(similarity_floor([1.0, 0.97, 0.912]), 0.9);
/// assert_eq!(similarity_floor([1.0, 0.4]), 0.0);
/// assert_eq!(similarity_floor([1.0, 1.0]), 0.95);
/// assert_eq!(similarity_floor([]), 0.0);
/// ```
pub fn similarity_floor(values: impl IntoIterator<Item = f64>) -> f64 {
    let lowest = values.into_iter().fold(f64::INFINITY, f64::min);
    if lowest.is_finite() && lowest >= 0.5 {
        ((lowest * 20.0).floor() / 20.0).min(0.95)
    } else {
        0.0
    }
}
