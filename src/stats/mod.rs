//! Statistics: take analysis data, return result structs (quanteda's
//! `textstat_*`). Never reads files, never draws, never formats.

mod frequency;

pub use frequency::{frequency, per_1k, GroupFrequency, TermFrequency};
