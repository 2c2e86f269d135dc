//! The look every chart shares: one colour-blind-safe palette (colour i
//! is flattened frame i in every chart), the embedded font, sizes.

use std::sync::Once;

use plotters::style::{FontStyle, RGBColor};

/// The font of every chart, registered with plotters for measuring and
/// named in the SVG; the same bytes rasterize the PNG and are declared
/// with `@font-face` in the report.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// DejaVu Sans, from the `dejavu` crate.
pub fn font_bytes() -> &'static [u8] {
    dejavu::sans::regular()
}

/// Bold DejaVu Sans.
pub fn font_bold_bytes() -> &'static [u8] {
    dejavu::sans::bold()
}

/// Register the embedded font with plotters (once per process).
pub fn init_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The embedded fonts are valid TrueType (checked by a test).
        let _ = plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, font_bytes());
        let _ = plotters::style::register_font(FONT_FAMILY, FontStyle::Bold, font_bold_bytes());
    });
}

/// Okabe & Ito (2008), "Color Universal Design", reordered so the first
/// colours are the most distinct on white (yellow late), then Paul Tol's
/// "muted" scheme (2021) for frames 9–17; frames beyond repeat the cycle.
const PALETTE: [RGBColor; 17] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x59, 0x59, 0x59), // grey (for black)
    RGBColor(0xC9, 0xB1, 0x00), // yellow, darkened for white paper
    RGBColor(0x33, 0x22, 0x88), // Tol indigo
    RGBColor(0x88, 0xCC, 0xEE), // cyan
    RGBColor(0x44, 0xAA, 0x99), // teal
    RGBColor(0x11, 0x77, 0x33), // green
    RGBColor(0x99, 0x99, 0x33), // olive
    RGBColor(0xDD, 0xCC, 0x77), // sand
    RGBColor(0xCC, 0x66, 0x77), // rose
    RGBColor(0x88, 0x22, 0x55), // wine
    RGBColor(0xAA, 0x44, 0x99), // purple
];

/// Distinct series colours: a chart that tells series apart by colour
/// alone (the dispersion chart) draws at most this many.
pub const N_COLORS: usize = PALETTE.len();

/// The colour of flattened frame (or series) `i`.
pub fn series_color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Text and axes.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text, grid labels.
pub const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
/// Grid lines.
pub const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
/// Positive and negative in diverging charts: blue and vermillion.
pub const POSITIVE: RGBColor = PALETTE[0];
pub const NEGATIVE: RGBColor = PALETTE[3];

/// A sequential colour-blind-safe scale (light yellow → dark blue, after
/// ColorBrewer YlGnBu) at t in [0, 1].
pub fn sequential(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 6] = [
        (0xFF, 0xFF, 0xD9),
        (0xC7, 0xE9, 0xB4),
        (0x7F, 0xCD, 0xBB),
        (0x41, 0xB6, 0xC4),
        (0x22, 0x5E, 0xA8),
        (0x08, 0x1D, 0x58),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Black or white, whichever reads better on `bg` (WCAG relative
/// luminance).
pub fn text_on(bg: RGBColor) -> RGBColor {
    let lin = |c: u8| {
        let c = c as f64 / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(bg.0) + 0.7152 * lin(bg.1) + 0.0722 * lin(bg.2);
    if l > 0.35 {
        INK
    } else {
        RGBColor(0xFF, 0xFF, 0xFF)
    }
}

/// Default size of a chart, in pixels (the PNG; the SVG has the same
/// view box).
pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 1000;

/// Font sizes (plotters points; the SVG gets size / 1.24).
pub const TITLE: f64 = 34.0;
pub const LABEL: f64 = 22.0;
pub const SMALL: f64 = 18.0;
