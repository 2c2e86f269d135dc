//! A thin layer over plotters' SVG backend: text that is measured with
//! the embedded font and shortened to fit, boxes, lines, axes.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::style::{self, FONT_FAMILY, GRID, INK, MUTED};

/// One chart being drawn.
pub struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
    pub width: i32,
    pub height: i32,
}

/// Horizontal anchor of a text.
#[derive(Clone, Copy)]
pub enum Align {
    Left,
    Center,
    Right,
}

impl<'a> Canvas<'a> {
    pub fn new(buf: &'a mut String, width: u32, height: u32) -> Canvas<'a> {
        style::init_fonts();
        let area = SVGBackend::with_string(buf, (width, height)).into_drawing_area();
        // Drawing into a String cannot fail; fonts are registered above.
        let _ = area.fill(&WHITE);
        Canvas {
            area,
            width: width as i32,
            height: height as i32,
        }
    }

    fn font(size: f64, bold: bool) -> FontDesc<'static> {
        FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            size,
            if bold {
                FontStyle::Bold
            } else {
                FontStyle::Normal
            },
        )
    }

    /// The width of `s` in pixels at `size`.
    pub fn text_width(s: &str, size: f64) -> i32 {
        Self::font(size, false)
            .box_size(s)
            .map_or(s.chars().count() as i32 * size as i32 / 2, |(w, _)| {
                w as i32
            })
    }

    /// `s`, shortened with `…` to fit `max` pixels.
    pub fn fit(s: &str, size: f64, max: i32) -> String {
        if Self::text_width(s, size) <= max {
            return s.to_string();
        }
        let chars: Vec<char> = s.chars().collect();
        let (mut lo, mut hi) = (0usize, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let t: String = chars[..mid].iter().collect::<String>() + "…";
            if Self::text_width(&t, size) <= max {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        chars[..lo]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…"
    }

    /// `s` broken at spaces into at most `lines` lines of `max` pixels,
    /// the last shortened with `…` when the text does not fit.
    pub fn wrap(s: &str, size: f64, max: i32, lines: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut cur = String::new();
        let words: Vec<&str> = s.split(' ').collect();
        for (i, w) in words.iter().enumerate() {
            let cand = if cur.is_empty() {
                w.to_string()
            } else {
                format!("{cur} {w}")
            };
            if Self::text_width(&cand, size) <= max || cur.is_empty() {
                cur = cand;
                continue;
            }
            out.push(std::mem::take(&mut cur));
            if out.len() == lines - 1 {
                cur = words[i..].join(" ");
                break;
            }
            cur = w.to_string();
        }
        if !cur.is_empty() || out.is_empty() {
            out.push(cur);
        }
        out.into_iter().map(|l| Self::fit(&l, size, max)).collect()
    }

    /// Draw text; `v` is the vertical anchor.
    #[allow(clippy::too_many_arguments)]
    pub fn text(&self, s: &str, x: i32, y: i32, size: f64, align: Align, v: VPos, color: RGBColor) {
        self.text_styled(s, x, y, size, align, v, color, false, false);
    }

    /// Draw text, optionally bold or rotated a quarter turn
    /// counter-clockwise (reading upwards).
    #[allow(clippy::too_many_arguments)]
    pub fn text_styled(
        &self,
        s: &str,
        x: i32,
        y: i32,
        size: f64,
        align: Align,
        v: VPos,
        color: RGBColor,
        bold: bool,
        rotate: bool,
    ) {
        let h = match align {
            Align::Left => HPos::Left,
            Align::Center => HPos::Center,
            Align::Right => HPos::Right,
        };
        let mut style = Self::font(size, bold).color(&color).pos(Pos::new(h, v));
        if rotate {
            style = style.transform(FontTransform::Rotate270);
        }
        let _ = self.area.draw(&Text::new(svg_text(s), (x, y), style));
    }

    pub fn rect(&self, x0: i32, y0: i32, x1: i32, y1: i32, color: RGBColor) {
        let _ = self
            .area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()));
    }

    pub fn rect_outline(&self, x0: i32, y0: i32, x1: i32, y1: i32, color: RGBColor) {
        let _ = self
            .area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], color.stroke_width(1)));
    }

    pub fn line(&self, points: &[(i32, i32)], color: RGBColor, width: u32) {
        let _ = self.area.draw(&PathElement::new(
            points.to_vec(),
            color.stroke_width(width),
        ));
    }

    pub fn dot(&self, x: i32, y: i32, r: i32, color: RGBColor) {
        let _ = self.area.draw(&Circle::new((x, y), r, color.filled()));
    }

    pub fn ring(&self, x: i32, y: i32, r: i32, color: RGBColor) {
        let _ = self
            .area
            .draw(&Circle::new((x, y), r, color.stroke_width(2)));
    }

    /// The chart's title and an optional subtitle.
    pub fn title(&self, title: &str, subtitle: &str) {
        let w = self.width - 80;
        self.text_styled(
            &Self::fit(title, style::TITLE, w),
            40,
            24,
            style::TITLE,
            Align::Left,
            VPos::Top,
            INK,
            true,
            false,
        );
        if !subtitle.is_empty() {
            self.text(
                &Self::fit(subtitle, style::SMALL, w),
                40,
                68,
                style::SMALL,
                Align::Left,
                VPos::Top,
                MUTED,
            );
        }
    }

    /// When only the first [`super::MAX_ROWS`] of `n` items are drawn,
    /// say so in the top right corner (at height `y`); returns how many
    /// to draw.
    pub fn first_of(&self, n: usize, what: &str, y: i32) -> usize {
        if n > super::MAX_ROWS {
            let note = format!(
                "the first {} of {n} {what} (all are in the CSV files)",
                super::MAX_ROWS
            );
            self.text(
                &note,
                self.width - 40,
                y,
                style::SMALL,
                Align::Right,
                VPos::Top,
                MUTED,
            );
        }
        n.min(super::MAX_ROWS)
    }

    /// The scores of each document or group (one row per frame, `nf`
    /// frames), at most [`super::MAX_ROWS`] groups; `None` after saying so
    /// when there is nothing to draw.
    ///
    /// `n_groups` is how many groups there are in all: `scores` may hold
    /// only the first ones (at least as many as are shown).
    pub fn frame_groups<'s>(
        &self,
        scores: &'s [crate::stats::FrameScore],
        n_groups: usize,
        nf: usize,
        y: i32,
    ) -> Option<Vec<&'s [crate::stats::FrameScore]>> {
        if nf == 0 || scores.is_empty() || scores.len() % nf != 0 {
            self.empty("No frames or no documents to show.");
            return None;
        }
        let shown = self.first_of(n_groups, "documents or groups", y);
        Some(scores.chunks(nf).take(shown).collect())
    }

    /// A chart with nothing to show says why, in its middle.
    pub fn empty(&self, why: &str) {
        self.text(
            &Self::fit(why, style::LABEL, self.width - 80),
            self.width / 2,
            self.height / 2,
            style::LABEL,
            Align::Center,
            VPos::Center,
            MUTED,
        );
    }

    /// A legend of coloured squares in rows, from (x, y) within `width`;
    /// returns the y below it.
    pub fn legend(&self, items: &[(String, RGBColor)], x: i32, y: i32, width: i32) -> i32 {
        let size = style::SMALL;
        let max_item = 260;
        let (mut cx, mut cy) = (x, y);
        for (label, color) in items {
            let label = Self::fit(label, size, max_item);
            let w = 26 + Self::text_width(&label, size) + 24;
            if cx + w > x + width && cx > x {
                cx = x;
                cy += 30;
            }
            self.rect(cx, cy, cx + 18, cy + 18, *color);
            self.text(
                &label,
                cx + 26,
                cy + 9,
                size,
                Align::Left,
                VPos::Center,
                INK,
            );
            cx += w;
        }
        cy + 30
    }

    /// A row label, right-aligned against `x`, shortened to `max` pixels.
    pub fn row_label(&self, s: &str, x: i32, y: i32, size: f64, max: i32) {
        let size = size.max(11.0);
        self.text(
            &Self::fit(s, size, max),
            x,
            y,
            size,
            Align::Right,
            VPos::Center,
            INK,
        );
    }

    /// A vertical axis title at the left edge, centred on [y0, y1].
    pub fn y_title(&self, s: &str, y0: i32, y1: i32) {
        self.text_styled(
            s,
            28,
            (y0 + y1) / 2,
            style::SMALL,
            Align::Center,
            VPos::Center,
            MUTED,
            false,
            true,
        );
    }

    /// Horizontal grid lines with labels at `ticks` (value, y).
    pub fn y_grid(&self, ticks: &[(String, i32)], x0: i32, x1: i32) {
        for (label, y) in ticks {
            self.line(&[(x0, *y), (x1, *y)], GRID, 1);
            self.text(
                label,
                x0 - 10,
                *y,
                style::SMALL,
                Align::Right,
                VPos::Center,
                MUTED,
            );
        }
    }

    /// Vertical grid lines with labels at `ticks` (value, x) below `y1`.
    pub fn x_grid(&self, ticks: &[(String, i32)], y0: i32, y1: i32) {
        for (label, x) in ticks {
            self.line(&[(*x, y0), (*x, y1)], GRID, 1);
            self.text(
                label,
                *x,
                y1 + 10,
                style::SMALL,
                Align::Center,
                VPos::Top,
                MUTED,
            );
        }
    }

    /// Finish: the SVG text is complete when the canvas is dropped.
    pub fn finish(self) {
        let _ = self.area.present();
    }
}

/// About `n` round tick values covering [lo, hi].
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater)
        || !lo.is_finite()
        || !hi.is_finite()
    {
        return vec![lo];
    }
    let raw = (hi - lo) / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| (hi - lo) / s <= n as f64)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).ceil() * step;
    let mut out = Vec::new();
    let mut v = start;
    while v <= hi + step * 1e-9 {
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        v += step;
    }
    out
}

/// A tick label: no trailing zeros.
pub fn tick_label(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// `s` as an SVG's text can hold it: control characters (a vertical tab
/// in an id from a word processor, an escape in a file name), which XML
/// refuses, written as the terminal shows them (`\u{b}`; a line break or
/// tab as a space), and the noncharacters U+FFFE and U+FFFF as U+FFFD.
///
/// ```
/// # use framescope::chart::svg_text;
/// assert_eq!(svg_text("a\u{b}b\tc\u{fffe}"), "a\\u{b}b c\u{fffd}");
/// assert_eq!(svg_text("plain"), "plain");
/// ```
pub fn svg_text(s: &str) -> String {
    crate::output::visible(s).replace(['\u{fffe}', '\u{ffff}'], "\u{fffd}")
}
