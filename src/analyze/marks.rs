//! Where a dispersion chart's ticks go ([`super::Plan::mark_docs`]): the
//! hits of a corpus's first documents, thinned to what a row of at most
//! [`RESOLUTION`] pixels can show, however many hits there are.
//!
//! A document's hits of one frame come in token order and fall into
//! buckets of `2^shift` tokens; a bucket keeps its first and last hit.
//! When a frame has more than [`MOST`] buckets, the width doubles and
//! neighbouring buckets merge. A bucket of `g` tokens spans `g / n` of a
//! row of a document of `n` tokens; widths only double past [`MOST`]
//! buckets, so `g ≤ n / RESOLUTION` at the end, and a bucket spans at most
//! one pixel of a row of up to [`RESOLUTION`] pixels. Its hits then fall
//! on at most two neighbouring pixels, which its first and last hit give:
//! the ticks drawn from the marks are the ticks drawn from every hit.

/// The widest row of ticks the marks stay exact for, in pixels.
pub const RESOLUTION: u64 = 2048;

/// Buckets a frame of one document keeps before their width doubles:
/// past `MOST` buckets of `g` tokens, the document has more than
/// `MOST · g` tokens, so the doubled width `2g` stays under
/// `n / RESOLUTION`.
const MOST: usize = 2 * RESOLUTION as usize;

/// A bucket of a frame's hits: its number, its first and last token.
type Bucket = (u32, u32, u32);

/// One document's marks, as its hits are found.
#[derive(Debug, Default)]
pub(crate) struct DocMarks {
    /// Per frame: log2 of its bucket width, and its buckets in token
    /// order.
    frames: Vec<(u32, Vec<Bucket>)>,
}

impl DocMarks {
    /// A hit of frame `frame` starting at the document's token `tok`,
    /// after every hit of that frame that starts before it.
    pub fn add(&mut self, frame: usize, tok: u32) {
        if self.frames.len() <= frame {
            self.frames.resize_with(frame + 1, Default::default);
        }
        let (shift, buckets) = &mut self.frames[frame];
        let b = tok >> *shift;
        match buckets.last_mut() {
            Some(last) if last.0 == b => {
                last.1 = last.1.min(tok);
                last.2 = last.2.max(tok);
            }
            _ => buckets.push((b, tok, tok)),
        }
        if buckets.len() > MOST {
            *shift += 1;
            let mut kept = 0;
            for i in 0..buckets.len() {
                let (b, first, last) = buckets[i];
                let b = b >> 1;
                if kept > 0 && buckets[kept - 1].0 == b {
                    let k = &mut buckets[kept - 1];
                    k.1 = k.1.min(first);
                    k.2 = k.2.max(last);
                } else {
                    buckets[kept] = (b, first, last);
                    kept += 1;
                }
            }
            buckets.truncate(kept);
        }
    }

    /// The marks of a document of `n_tokens` tokens, `(frame, token)`, by
    /// token then frame (as hits come): each frame's first and last hit
    /// in each `1 / RESOLUTION` of the document, at most `2 · RESOLUTION`
    /// a frame. (A stretch of `n / RESOLUTION` tokens spans at most one
    /// pixel, as a bucket does.)
    pub fn into_marks(self, n_tokens: u64) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        let stretch = |t: u32| (t as u64 * RESOLUTION) / n_tokens.max(1);
        for (f, (_, buckets)) in self.frames.into_iter().enumerate() {
            let mut kept: Vec<(u64, u32, u32)> = Vec::new();
            for (_, first, last) in buckets {
                for t in [first, last] {
                    let b = stretch(t);
                    match kept.last_mut() {
                        Some(k) if k.0 == b => {
                            k.1 = k.1.min(t);
                            k.2 = k.2.max(t);
                        }
                        _ => kept.push((b, t, t)),
                    }
                }
            }
            for (_, first, last) in kept {
                out.push((f as u32, first));
                if last != first {
                    out.push((f as u32, last));
                }
            }
        }
        out.sort_unstable_by_key(|&(f, t)| (t, f));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pixel a tick of token `t` of `n` goes to, as the chart places it.
    fn pixel(t: u32, n: u64, w: u64) -> i64 {
        ((t as f64 + 0.5) / n as f64 * w as f64).round() as i64
    }

    /// The ticks drawn from the marks are those drawn from every hit, for
    /// rows of every width up to RESOLUTION, on documents whose hits
    /// outnumber the buckets many times over.
    #[test]
    fn marks_draw_the_ticks_every_hit_draws() {
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        for (n, hits) in [
            (10u64, 5usize),
            (5_000, 3_000),
            (300_000, 200_000),
            (3_000_000, 60_000),
        ] {
            let mut toks: Vec<(usize, u32)> = (0..hits)
                .map(|_| ((next() % 3) as usize, (next() % n) as u32))
                .collect();
            toks.sort_by_key(|&(f, t)| (t, f));
            let mut m = DocMarks::default();
            for &(f, t) in &toks {
                m.add(f, t);
            }
            let marks = m.into_marks(n);
            assert!(
                marks.len() <= 3 * 2 * RESOLUTION as usize,
                "{}",
                marks.len()
            );
            for w in [1u64, 700, 1280, 2048] {
                let all: std::collections::BTreeSet<(usize, i64)> =
                    toks.iter().map(|&(f, t)| (f, pixel(t, n, w))).collect();
                let drawn: std::collections::BTreeSet<(usize, i64)> = marks
                    .iter()
                    .map(|&(f, t)| (f as usize, pixel(t, n, w)))
                    .collect();
                assert_eq!(drawn, all, "n {n}, {hits} hits, width {w}");
            }
        }
    }
}
