//! `run.json`: what was run, on what, with which settings, and how fast:
//! enough to reproduce and to check a result.

use serde::Serialize;

use crate::analyze::CorpusAnalysis;
use crate::corpus::Corpus;

/// The contents of `run.json`.
#[derive(Debug, Serialize)]
pub struct Provenance {
    pub framescope: &'static str,
    pub contract: u32,
    pub command: String,
    pub settings: serde_json::Value,
    pub corpus: CorpusInfo,
    pub files: Vec<String>,
    pub threads: usize,
    pub elapsed_seconds: f64,
    pub mb_per_second: f64,
}

/// The corpus part of `run.json`.
#[derive(Debug, Serialize)]
pub struct CorpusInfo {
    pub path: String,
    pub format: String,
    /// SHA-256 over every document's id, metadata and text, in order.
    pub fingerprint: String,
    pub n_docs: u64,
    pub n_tokens: u64,
    pub n_types: u64,
    pub n_sentences: u64,
    pub n_bytes: u64,
}

impl CorpusInfo {
    /// The corpus facts of an analysis.
    pub fn new(corpus: &Corpus, an: &CorpusAnalysis) -> CorpusInfo {
        CorpusInfo {
            path: corpus.path().display().to_string(),
            format: corpus.format().to_string(),
            fingerprint: an.fingerprint.clone(),
            n_docs: an.docs.len() as u64,
            n_tokens: an.n_tokens(),
            n_types: an.n_types,
            n_sentences: an.n_sentences(),
            n_bytes: an.n_bytes(),
        }
    }
}

impl Provenance {
    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).expect("serializable");
        v.push(b'\n');
        v
    }
}
