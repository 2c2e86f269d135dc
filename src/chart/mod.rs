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
pub use lines::{dispersion, dispersion_shown, frame_compare, timeline, timeline_titled};

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
        encode_png(&self.pixmap()?)
            .map_err(|e| Error::invalid(format!("internal: cannot encode PNG: {e}")))
    }

    /// The SVG rasterized at the chart's size, on white.
    fn pixmap(&self) -> Result<resvg::tiny_skia::Pixmap> {
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
        Ok(pixmap)
    }
}

/// A rendered chart as PNG. Charts are drawn on opaque white, so every
/// pixel is opaque: the image is written as RGB (no alpha to
/// demultiply, a quarter fewer bytes to compress) with `png`'s fast
/// deflate, which costs a tenth of the default level's time for files
/// about as small (a chart is mostly flat colour). A pixmap with any
/// pixel not opaque is written by tiny-skia as RGBA, as before.
fn encode_png(
    pixmap: &resvg::tiny_skia::Pixmap,
) -> std::result::Result<Vec<u8>, png::EncodingError> {
    let rgba = pixmap.data();
    let mut rgb = vec![0u8; rgba.len() / 4 * 3];
    let mut alpha = 255u8;
    for (to, from) in rgb.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
        to.copy_from_slice(&from[..3]);
        alpha &= from[3];
    }
    if alpha != 255 {
        return pixmap.encode_png();
    }
    let mut out = Vec::with_capacity(rgb.len() / 16);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::style::text_anchor::VPos;

    /// The pixels of a PNG file, with its colour type.
    fn decoded(bytes: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut reader = png::Decoder::new(bytes).read_info().expect("PNG header");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("PNG data");
        buf.truncate(info.buffer_size());
        (info.color_type, buf)
    }

    /// The RGB file holds every rendered pixel exactly: decoded, it is
    /// what tiny-skia's own RGBA encoder writes, less the alpha (all 255).
    #[test]
    fn png_holds_the_rendered_pixels() {
        let chart = Chart::draw_sized(320, 200, |c| {
            c.text(
                "Win-win cooperation: 12.5 per 1k",
                10,
                30,
                16.0,
                canvas::Align::Left,
                VPos::Center,
                style::INK,
            );
        });
        // Shapes that overlap, half transparent, over the drawn text.
        let chart = Chart {
            svg: chart.svg.replace(
                "</svg>",
                r##"<rect x="20" y="40" width="200" height="90" fill="#0072B2" fill-opacity="0.5"/>
<circle cx="150" cy="120" r="60" fill="#D55E00" fill-opacity="0.4"/></svg>"##,
            ),
            ..chart
        };
        let pixmap = chart.pixmap().unwrap();
        let (kind, rgb) = decoded(&chart.png().unwrap());
        let (old_kind, rgba) = decoded(&pixmap.encode_png().unwrap());
        assert_eq!(
            (kind, old_kind),
            (png::ColorType::Rgb, png::ColorType::Rgba)
        );
        assert!(rgba.chunks_exact(4).all(|p| p[3] == 255));
        let without_alpha: Vec<u8> = rgba
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        assert_eq!(rgb, without_alpha);
        // Not a blank image: text and both shapes are in it.
        let colours: std::collections::HashSet<&[u8]> = rgb.chunks_exact(3).collect();
        assert!(colours.len() > 50, "{} colours", colours.len());
    }

    /// A pixmap with a pixel not opaque keeps its alpha (RGBA).
    #[test]
    fn png_of_a_transparent_pixmap_keeps_its_alpha() {
        let mut pixmap = resvg::tiny_skia::Pixmap::new(8, 4).unwrap();
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        pixmap.data_mut()[3] = 0;
        let (kind, px) = decoded(&encode_png(&pixmap).unwrap());
        assert_eq!(kind, png::ColorType::Rgba);
        assert_eq!(px.len(), 8 * 4 * 4);
        assert_eq!(px[3], 0);
        assert!(px[4..].chunks_exact(4).all(|p| p == [255, 255, 255, 255]));
    }
}
