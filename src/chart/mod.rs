//! Charts (SVG, and PNG rasterized from the SVG): pure functions from
//! the result structs of [`crate::stats`] to a finished chart. Nothing
//! here computes a statistic; every number drawn is a number of a CSV
//! table.
//!
//! Text is measured with the embedded DejaVu Sans (registered with
//! plotters) and the SVG names that font; the PNG is the SVG rasterized
//! by resvg with the same font and no system font lookup, so text is
//! evenly spaced and the two formats look the same.

mod bars;
mod canvas;
mod heat;
mod lines;
pub mod style;

use std::sync::{Arc, OnceLock};

pub use bars::{frames, frames_shown, keyness, terms, terms_of, MAX_PANELS};
pub use heat::{frames_heatmap, frames_heatmap_shown, similarity};
pub use lines::{dispersion, frame_compare, timeline, timeline_titled};

use crate::error::{Error, Result};

/// The most documents (or groups) one chart draws as rows, bars or
/// cells; beyond, the chart shows the first ones and says so, so an SVG
/// never grows with the corpus (the CSV tables have every row).
pub const MAX_ROWS: usize = 100;

/// A finished chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The SVG document.
    pub svg: String,
    pub width: u32,
    pub height: u32,
}

impl Chart {
    /// Draw a chart of the default size with `draw`.
    fn draw(draw: impl FnOnce(&canvas::Canvas<'_>)) -> Chart {
        Chart::draw_sized(style::WIDTH, style::HEIGHT, draw)
    }

    fn draw_sized(width: u32, height: u32, draw: impl FnOnce(&canvas::Canvas<'_>)) -> Chart {
        let mut svg = String::new();
        {
            let c = canvas::Canvas::new(&mut svg, width, height);
            draw(&c);
            c.finish();
        }
        Chart { svg, width, height }
    }

    /// The chart as PNG, rasterized from the SVG at its size.
    pub fn png(&self) -> Result<Vec<u8>> {
        let opts = usvg_options();
        let tree = resvg::usvg::Tree::from_str(&self.svg, opts)
            .map_err(|e| Error::invalid(format!("internal: chart SVG does not parse: {e}")))?;
        let mut pixmap = resvg::tiny_skia::Pixmap::new(self.width, self.height)
            .ok_or_else(|| Error::invalid("internal: empty chart size"))?;
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        let size = tree.size();
        let transform = resvg::tiny_skia::Transform::from_scale(
            self.width as f32 / size.width(),
            self.height as f32 / size.height(),
        );
        resvg::render(&tree, transform, &mut pixmap.as_mut());
        pixmap
            .encode_png()
            .map_err(|e| Error::invalid(format!("internal: cannot encode PNG: {e}")))
    }
}

/// usvg options with only the embedded fonts: no system font lookup.
fn usvg_options() -> &'static resvg::usvg::Options<'static> {
    static OPTS: OnceLock<resvg::usvg::Options<'static>> = OnceLock::new();
    OPTS.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(style::font_bytes().to_vec());
        db.load_font_data(style::font_bold_bytes().to_vec());
        db.set_sans_serif_family(style::FONT_FAMILY);
        resvg::usvg::Options {
            font_family: style::FONT_FAMILY.to_string(),
            fontdb: Arc::new(db),
            ..resvg::usvg::Options::default()
        }
    })
}
