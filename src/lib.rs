//! framescope: how a corpus of political texts frames its subject.
//!
//! The pipeline, one pass per corpus:
//!
//! ```text
//! corpus::Corpus::open(path)          folder + manifest.csv | .jsonl | .csv
//!   → Corpus::documents()             Document { id, text, meta }, lazily, in order
//!   → text::Analyzer::tokens(&text)   Token { start, end, sentence, norm, stem }
//!   → analyze::analyze(&corpus, &plan) counts per document and group; text dropped
//!   → stats::frequency(...)           ranked terms with rates
//!   → output::rows::* → Table         CSV / JSON / terminal, written atomically
//! ```
//!
//! The text contract (tokens, norms, stems, sentences) is in
//! `CONTRACT.md`; [`text`] implements §1–5 exactly.
//!
//! ```
//! let mut an = framescope::text::Analyzer::english();
//! let toks = an.tokens("Win-win cooperation. China’s role!");
//! let norms: Vec<&str> = toks.iter().map(|t| an.resolve(t.norm)).collect();
//! assert_eq!(norms, ["win-win", "cooperation", "china", "role"]);
//! assert_eq!(toks[2].sentence, 1);
//! ```

// No unwrap() on anything that can fail at run time: errors carry a
// message; `expect` is kept for invariants, each saying which.
#![cfg_attr(not(test), warn(clippy::unwrap_used))]

pub mod alloc;
pub mod analyze;
pub mod chart;
pub mod cli;
pub mod corpus;
pub mod error;
pub mod lexicon;
mod mem;
pub mod output;
pub mod stats;
#[cfg(test)]
mod testing;
pub mod text;
#[doc(hidden)]
pub mod timing;
mod varint;

pub use error::{Error, Result};
