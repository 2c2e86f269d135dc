//! Position charts: rate ratios on a log axis, hits along documents,
//! rates over time.

use plotters::style::text_anchor::VPos;

use super::canvas::{nice_ticks, tick_label, Align, Canvas};
use super::style::{self, series_color, GRID, INK, MUTED};
use super::Chart;
use crate::lexicon::FrameSet;
use crate::stats::FrameCompareRow;

/// Rate ratios (target / reference) with their exact 95% intervals on a
/// log axis, one row per frame, a line at 1. An infinite bound runs to
/// the edge with an arrow; a frame without hits says so.
pub fn frame_compare(
    rows: &[FrameCompareRow],
    frames: &FrameSet,
    target: &str,
    reference: &str,
) -> Chart {
    Chart::draw(|c| {
        c.title(
            &format!("Frames: {target} against {reference}"),
            "rate ratio of hits per token with its exact conditional 95% interval (log scale); \
             right of 1: more in the target",
        );
        if rows.is_empty() {
            c.empty("No frames to compare.");
            return;
        }
        let label = |i: usize| {
            if i < frames.len() {
                frames.get(i).1.label.clone()
            } else {
                rows[i].frame.clone()
            }
        };
        // The axis spans every finite value, at least 1/4 to 4.
        let mut lo = 0.25f64;
        let mut hi = 4.0f64;
        for r in rows {
            for v in [r.rate_ratio, r.rr_ci_low, r.rr_ci_high]
                .into_iter()
                .flatten()
            {
                if v > 0.0 && v.is_finite() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
        }
        let (llo, lhi) = (lo.log2().floor(), hi.log2().ceil());
        let label_w = 420;
        let (x0, x1) = (40 + label_w, c.width - 60);
        let (y0, y1) = (130, c.height - 80);
        let x = |v: f64| {
            let t = (v.log2() - llo) / (lhi - llo);
            x0 + (t.clamp(0.0, 1.0) * (x1 - x0) as f64).round() as i32
        };
        // Powers of two as ticks.
        let mut k = llo;
        let mut ticks = Vec::new();
        while k <= lhi + 1e-9 {
            let v = 2f64.powf(k);
            let l = if v >= 1.0 {
                tick_label(v)
            } else {
                format!("1/{}", tick_label(1.0 / v))
            };
            ticks.push((l, x(v)));
            k += if lhi - llo > 12.0 { 2.0 } else { 1.0 };
        }
        c.x_grid(&ticks, y0, y1);
        c.line(&[(x(1.0), y0), (x(1.0), y1)], INK, 2);
        let rh = ((y1 - y0) as f64 / rows.len() as f64).min(100.0);
        let size = (rh * 0.5).clamp(11.0, style::LABEL);
        for (i, r) in rows.iter().enumerate() {
            let ym = (y0 as f64 + rh * (i as f64 + 0.5)) as i32;
            let color = series_color(i);
            c.text(
                &Canvas::fit(&label(i), size, label_w - 20),
                x0 - 14,
                ym,
                size,
                Align::Right,
                VPos::Center,
                INK,
            );
            if r.hits_target + r.hits_reference == 0 {
                c.text(
                    "no hits in either group",
                    x(1.0) + 10,
                    ym,
                    style::SMALL,
                    Align::Left,
                    VPos::Center,
                    MUTED,
                );
                continue;
            }
            let left = match r.rr_ci_low {
                Some(v) if v > 0.0 => x(v),
                _ => x0,
            };
            let right = match r.rr_ci_high {
                Some(v) => x(v),
                None => x1,
            };
            c.line(&[(left, ym), (right, ym)], color, 3);
            if r.rr_ci_high.is_none() {
                c.line(&[(x1 - 12, ym - 8), (x1, ym), (x1 - 12, ym + 8)], color, 3);
            }
            if matches!(r.rr_ci_low, Some(v) if v <= 0.0) {
                c.line(&[(x0 + 12, ym - 8), (x0, ym), (x0 + 12, ym + 8)], color, 3);
            }
            // A ratio of 0 or ∞ (no hits on one side) is a ring at the
            // edge, and says so: on the axis it would read as 1/256 or 256.
            match r.rate_ratio {
                Some(v) if v > 0.0 => c.dot(x(v), ym, 8, color),
                Some(_) => {
                    c.ring(x0, ym, 8, color);
                    c.text(
                        "0: no hits in the target",
                        x0 + 16,
                        ym - 16,
                        style::SMALL,
                        Align::Left,
                        VPos::Center,
                        MUTED,
                    );
                }
                None => {
                    c.ring(x1, ym, 8, color);
                    c.text(
                        "∞: no hits in the reference",
                        x1 - 16,
                        ym - 16,
                        style::SMALL,
                        Align::Right,
                        VPos::Center,
                        MUTED,
                    );
                }
            }
        }
        c.text(
            "rate ratio (log scale)",
            (x0 + x1) / 2,
            y1 + 44,
            style::SMALL,
            Align::Center,
            VPos::Top,
            MUTED,
        );
    })
}

/// An x-ray plot: one row per document (`(id, n_tokens)`), a tick at each
/// hit's relative position (`(document, first token, series)`), coloured
/// by series (frames or patterns, labelled by `series`; the first
/// [`super::MAX_SERIES`] of them).
pub fn dispersion(
    docs: &[(String, u64)],
    hits: &[(usize, u32, usize)],
    series: &[String],
) -> Chart {
    dispersion_shown(docs, docs.len(), hits, series)
}

// The marks a pass keeps of each document's hits
// ([`crate::analyze::CorpusAnalysis::marks`]) draw what every hit would on
// rows this wide (the chart's width less its margins and labels).
const _: () = assert!(style::WIDTH as u64 - 320 <= crate::analyze::MARK_RESOLUTION);

/// [`dispersion`] of a corpus of `n_docs` documents given only its first
/// ones (at least the [`super::MAX_ROWS`] drawn, or all of them): `run`
/// holds no row for the documents a chart of millions does not draw.
pub fn dispersion_shown(
    docs: &[(String, u64)],
    n_docs: usize,
    hits: &[(usize, u32, usize)],
    series: &[String],
) -> Chart {
    let n_series = series.len();
    Chart::draw(|c| {
        c.title(
            "Where the frames occur",
            "one row per document, from its first token (left) to its last (right); a tick per hit",
        );
        if docs.is_empty() {
            c.empty("No documents.");
            return;
        }
        let series = &series[..series.len().min(super::MAX_SERIES)];
        let items: Vec<(String, _)> = series
            .iter()
            .enumerate()
            .map(|(i, s)| (s.clone(), series_color(i)))
            .collect();
        let top = c.legend(&items, 40, 104, c.width - 80) + 10;
        if hits.is_empty() {
            c.empty("No hits in these documents.");
            return;
        }
        let docs = &docs[..c.first_of(n_docs, "documents", 40).min(docs.len())];
        if n_series > super::MAX_SERIES {
            c.text(
                &format!(
                    "the first {} of {n_series} frames, one colour each",
                    super::MAX_SERIES
                ),
                c.width - 40,
                62,
                style::SMALL,
                Align::Right,
                VPos::Top,
                MUTED,
            );
        }
        let label_w = 240;
        let (x0, x1) = (40 + label_w, c.width - 40);
        let (y0, y1) = (top + 10, c.height - 50);
        let rh = ((y1 - y0) as f64 / docs.len() as f64).min(150.0);
        let every = ((16.0 / rh).ceil() as usize).max(1);
        let size = (rh * 0.45).clamp(10.0, style::SMALL);
        for (i, (id, _)) in docs.iter().enumerate() {
            let yt = (y0 as f64 + rh * i as f64) as i32;
            let yb = (y0 as f64 + rh * (i + 1) as f64) as i32;
            if rh >= 6.0 {
                c.rect(
                    x0,
                    yt + 1,
                    x1,
                    yb - 1,
                    plotters::style::RGBColor(0xF4, 0xF4, 0xF4),
                );
            }
            if i % every == 0 {
                c.row_label(id, x0 - 10, (yt + yb) / 2, size, label_w - 10);
            }
        }
        // Ticks: each series in its own band of the row so they never hide
        // each other.
        let bands = series.len().max(1) as f64;
        // One tick per row, pixel and series: the chart stays the same
        // size however many hits there are.
        let mut drawn: rustc_hash::FxHashSet<(usize, i32, usize)> = Default::default();
        for &(d, tok, s) in hits {
            let Some((_, n)) = docs.get(d) else { continue };
            if s >= series.len() {
                continue;
            }
            let n = (*n).max(1) as f64;
            let x = x0 + ((tok as f64 + 0.5) / n * (x1 - x0) as f64).round() as i32;
            if !drawn.insert((d, x, s)) {
                continue;
            }
            let yt = y0 as f64 + rh * d as f64 + 2.0;
            let band = (rh - 4.0) / bands;
            let (a, b) = if band >= 3.0 {
                (yt + band * s as f64, yt + band * (s + 1) as f64)
            } else {
                (yt, yt + rh - 4.0)
            };
            c.line(
                &[(x, a as i32), (x, b.max(a + 1.0) as i32)],
                series_color(s),
                2,
            );
        }
        for (t, l) in [(0.0, "start"), (0.5, "middle"), (1.0, "end")] {
            let x = x0 + (t * (x1 - x0) as f64) as i32;
            c.line(&[(x, y1), (x, y1 + 6)], GRID, 1);
            c.text(l, x, y1 + 10, style::SMALL, Align::Center, VPos::Top, MUTED);
        }
    })
}

/// Frame rates over time: `points` are (document id, fractional year,
/// per-frame `per_1k` in frame order); one line per frame through the
/// documents in date order.
pub fn timeline(points: &[(String, f64, Vec<Option<f64>>)], frames: &FrameSet) -> Chart {
    timeline_titled(
        points,
        frames,
        "hits per 1,000 tokens of each document at its date (partial dates at the start of their period)",
    )
}

/// [`timeline`] with its own subtitle (for points that are not single
/// documents: months of a big corpus, say).
pub fn timeline_titled(
    points: &[(String, f64, Vec<Option<f64>>)],
    frames: &FrameSet,
    subtitle: &str,
) -> Chart {
    Chart::draw(|c| {
        c.title("Frames over time", subtitle);
        let nf = frames.len();
        let items: Vec<(String, _)> = (0..nf)
            .map(|i| (frames.get(i).1.label.clone(), series_color(i)))
            .collect();
        let top = c.legend(&items, 40, 104, c.width - 80) + 10;
        if points.is_empty() || nf == 0 {
            c.empty("No dated documents.");
            return;
        }
        let mut pts: Vec<&(String, f64, Vec<Option<f64>>)> = points.iter().collect();
        pts.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        let (tmin, tmax) = (pts[0].1, pts[pts.len() - 1].1);
        let (tlo, thi) = if tmax - tmin < 1.0 {
            (tmin.floor(), tmin.floor() + 1.0)
        } else {
            (tmin.floor(), tmax.ceil().max(tmin.floor() + 1.0))
        };
        let vmax = pts
            .iter()
            .flat_map(|p| p.2.iter().flatten())
            .fold(0.0f64, |a, &b| a.max(b));
        let yticks = nice_ticks(0.0, vmax.max(1e-9) * 1.05, 6);
        let ymax = yticks.last().copied().unwrap_or(1.0).max(vmax).max(1e-9);
        let (x0, x1) = (110, c.width - 60);
        let (y0, y1) = (top + 10, c.height - 80);
        let x = |t: f64| x0 + ((t - tlo) / (thi - tlo) * (x1 - x0) as f64).round() as i32;
        let y = |v: f64| y1 - (v / ymax * (y1 - y0) as f64).round() as i32;
        c.y_grid(
            &yticks
                .iter()
                .map(|&v| (tick_label(v), y(v)))
                .collect::<Vec<_>>(),
            x0,
            x1,
        );
        let years = (thi - tlo).round() as i32;
        let step = (years / 12).max(1);
        let xticks: Vec<(String, i32)> = (0..=years)
            .step_by(step as usize)
            .map(|k| ((tlo as i32 + k).to_string(), x(tlo + k as f64)))
            .collect();
        c.x_grid(&xticks, y0, y1);
        c.line(&[(x0, y1), (x1, y1)], INK, 1);
        for fi in 0..nf {
            let color = series_color(fi);
            let line: Vec<(i32, i32)> = pts
                .iter()
                .filter_map(|p| p.2.get(fi).copied().flatten().map(|v| (x(p.1), y(v))))
                .collect();
            if line.len() > 1 {
                c.line(&line, color, 2);
            }
            // Dots only while they can be told apart (and the SVG stays
            // small); the line carries every point.
            if line.len() <= 2000 {
                for &(px, py) in &line {
                    c.dot(px, py, 5, color);
                }
            }
        }
        c.y_title("per 1,000 tokens", y0, y1);
    })
}
