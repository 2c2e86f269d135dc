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
pub use canvas::svg_text;
pub use heat::{frames_heatmap, frames_heatmap_shown, similarity, similarity_floor};
pub use lines::{dispersion, dispersion_shown, frame_compare, timeline, timeline_titled};

use crate::error::{Error, Result};

/// The most documents (or groups) one chart draws as rows, bars or
/// cells; beyond, the chart shows the first ones and says so, so an SVG
/// never grows with the corpus (the CSV tables have every row).
pub const MAX_ROWS: usize = 100;

/// The most series (frames, patterns) a dispersion chart draws: one
/// colour each, no colour twice ([`style::N_COLORS`]). Beyond, it draws
/// the first ones and says so.
pub const MAX_SERIES: usize = style::N_COLORS;

/// What a chart's rows (or bars) are, for its subtitle: `documents`, or
/// `values of FIELD` (`years` for `year`).
pub fn rows_of(by: &crate::analyze::By) -> String {
    match by {
        crate::analyze::By::Doc => "documents".to_string(),
        crate::analyze::By::Corpus => "the corpus".to_string(),
        crate::analyze::By::Field(f) if f == "year" => "years".to_string(),
        crate::analyze::By::Field(f) => format!("values of {f}"),
    }
}

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
    ///
    /// Each thread keeps its pixmap and its RGB buffer from one chart to
    /// the next (a chart of 1600 × 1000 pixels is 6.4 MB of pixmap,
    /// allocated zeroed, then filled white: a sixth of the time a PNG
    /// took).
    pub fn png(&self) -> Result<Vec<u8>> {
        thread_local! {
            static SCRATCH: std::cell::RefCell<(Option<resvg::tiny_skia::Pixmap>, Vec<u8>)> =
                const { std::cell::RefCell::new((None, Vec::new())) };
        }
        SCRATCH.with_borrow_mut(|(pixmap, rgb)| {
            self.render(pixmap)?;
            let pixmap = pixmap.as_ref().expect("rendered");
            encode_png(pixmap, rgb)
                .map_err(|e| Error::invalid(format!("internal: cannot encode PNG: {e}")))
        })
    }

    /// The SVG rasterized at the chart's size, on white.
    #[cfg(test)]
    fn pixmap(&self) -> Result<resvg::tiny_skia::Pixmap> {
        let mut pixmap = None;
        self.render(&mut pixmap)?;
        Ok(pixmap.expect("rendered"))
    }

    /// Rasterize the SVG at the chart's size, on white, into `pixmap`
    /// (made anew unless it has the chart's size).
    fn render(&self, pixmap: &mut Option<resvg::tiny_skia::Pixmap>) -> Result<()> {
        let opts = usvg_options();
        let tree = resvg::usvg::Tree::from_str(&self.svg, opts).map_err(|e| {
            if matches!(
                e,
                resvg::usvg::Error::ParsingFailed(resvg::usvg::roxmltree::Error::NodesLimitReached)
            ) {
                // Thousands of frames, each a legend entry and a series.
                Error::invalid(
                    "a chart has more elements than the PNG rasterizer takes (a lexicon \
                     of thousands of frames?); draw it with fewer frames (split the \
                     lexicon, or chart --pattern)",
                )
            } else {
                Error::invalid(format!("internal: chart SVG does not parse: {e}"))
            }
        })?;
        if pixmap
            .as_ref()
            .is_none_or(|p| (p.width(), p.height()) != (self.width, self.height))
        {
            *pixmap = Some(
                resvg::tiny_skia::Pixmap::new(self.width, self.height)
                    .ok_or_else(|| Error::invalid("internal: empty chart size"))?,
            );
        }
        let pixmap = pixmap.as_mut().expect("made above");
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        let size = tree.size();
        let transform = resvg::tiny_skia::Transform::from_scale(
            self.width as f32 / size.width(),
            self.height as f32 / size.height(),
        );
        resvg::render(&tree, transform, &mut pixmap.as_mut());
        Ok(())
    }
}

/// A rendered chart as PNG, its RGB bytes made in `rgb`. Charts are
/// drawn on opaque white, so every pixel is opaque: the image is written
/// as RGB (no alpha to demultiply, a quarter fewer bytes to compress)
/// with `png`'s fast deflate, which costs a tenth of the default level's
/// time for files about as small (a chart is mostly flat colour). A
/// pixmap with any pixel not opaque is written by tiny-skia as RGBA, as
/// before.
fn encode_png(
    pixmap: &resvg::tiny_skia::Pixmap,
    rgb: &mut Vec<u8>,
) -> std::result::Result<Vec<u8>, png::EncodingError> {
    let rgba = pixmap.data();
    rgb.clear();
    rgb.resize(rgba.len() / 4 * 3, 0);
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
    writer.write_image_data(rgb)?;
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

    /// A chart of `text` alone, at (10, 30), 16 px.
    fn text_chart(w: u32, h: u32, text: &str) -> Chart {
        Chart::draw_sized(w, h, |c| {
            c.text(
                text,
                10,
                30,
                16.0,
                canvas::Align::Left,
                VPos::Center,
                style::INK,
            );
        })
    }

    /// The RGB file holds every rendered pixel exactly: decoded, it is
    /// what tiny-skia's own RGBA encoder writes, less the alpha (all 255).
    #[test]
    fn png_holds_the_rendered_pixels() {
        let chart = text_chart(320, 200, "Win-win cooperation: 12.5 per 1k");
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

    /// A thread's pixmap and buffer, kept from one chart to the next,
    /// leave nothing of a chart in the next one, whatever their sizes.
    #[test]
    fn png_is_the_same_after_other_charts() {
        // Charts with text and without a background of their own: what
        // one leaves in a kept pixmap would show in the next.
        let chart = |w: u32, h: u32, text: &str| {
            let drawn = text_chart(w, h, text);
            let svg = format!(
                r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}">
<rect x="{}" y="20" width="40" height="30" fill="#0072B2"/></svg>"##,
                text.len() * 5
            );
            assert!(drawn.svg.contains(text));
            [
                drawn,
                Chart {
                    svg,
                    width: w,
                    height: h,
                },
            ]
        };
        let fresh = |c: &Chart| {
            let pixmap = c.pixmap().unwrap();
            encode_png(&pixmap, &mut Vec::new()).unwrap()
        };
        let [a, a_bare] = chart(320, 200, "Community with a shared future");
        let [b, b_bare] = chart(320, 200, "External interference");
        let [c, c_bare] = chart(200, 120, "Win-win");
        // Run on a thread of its own, so that its first chart finds
        // nothing kept.
        std::thread::spawn(move || {
            let first = a.png().unwrap();
            assert_eq!(first, fresh(&a));
            for c in [&b, &a_bare, &b_bare, &c, &c_bare, &a, &a, &b_bare, &b] {
                assert_eq!(c.png().unwrap(), fresh(c));
            }
            assert_ne!(decoded(&b.png().unwrap()), decoded(&first));
            assert_ne!(
                decoded(&b_bare.png().unwrap()),
                decoded(&a_bare.png().unwrap())
            );
        })
        .join()
        .unwrap();
    }

    /// A pixmap with a pixel not opaque keeps its alpha (RGBA).
    #[test]
    fn png_of_a_transparent_pixmap_keeps_its_alpha() {
        let mut pixmap = resvg::tiny_skia::Pixmap::new(8, 4).unwrap();
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        pixmap.data_mut()[3] = 0;
        let (kind, px) = decoded(&encode_png(&pixmap, &mut Vec::new()).unwrap());
        assert_eq!(kind, png::ColorType::Rgba);
        assert_eq!(px.len(), 8 * 4 * 4);
        assert_eq!(px[3], 0);
        assert!(px[4..].chunks_exact(4).all(|p| p == [255, 255, 255, 255]));
    }
}
