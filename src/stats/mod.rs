//! Statistics: take analysis data, return result structs (quanteda's
//! `textstat_*`). Never reads files, never draws, never formats.

mod dist;
mod frequency;
mod scores;

pub use dist::{gamma_quantile, poisson_ci};
pub use frequency::{frequency, per_1k, GroupFrequency, TermFrequency};
pub use scores::{frame_scores, FrameScore};
