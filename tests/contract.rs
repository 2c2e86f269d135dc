//! The text contract's vectors (CONTRACT.md §1–4), run against the
//! library and against the binary.

use std::collections::BTreeMap;

use framescope::text::Analyzer;
use serde_json::Value;

use crate::eqnice;
use crate::util::Dir;

struct Vector {
    text: String,
    /// (start, end, norm, sentence)
    tokens: Vec<(usize, usize, String, u32)>,
}

fn vectors() -> Vec<Vector> {
    let raw = include_str!("tokenize.jsonl");
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let tokens = v["tokens"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    (
                        t[0].as_u64().unwrap() as usize,
                        t[1].as_u64().unwrap() as usize,
                        t[2].as_str().unwrap().to_string(),
                        t[3].as_u64().unwrap() as u32,
                    )
                })
                .collect();
            Vector {
                text: v["text"].as_str().unwrap().to_string(),
                tokens,
            }
        })
        .collect()
}

#[test]
fn contract_vectors_library() {
    let vs = vectors();
    assert_eq!(vs.len(), 27);
    let mut an = Analyzer::english();
    for v in &vs {
        let got: Vec<(usize, usize, String, u32)> = an
            .tokens(&v.text)
            .iter()
            .map(|t| (t.start, t.end, an.resolve(t.norm).to_string(), t.sentence))
            .collect();
        assert_eq!(got, v.tokens, "text: {:?}", v.text);
    }
}

/// The corpus of all vectors as JSON lines, ids v1…vN.
fn vector_corpus(dir: &Dir, vs: &[Vector]) {
    let mut jsonl = String::new();
    for (i, v) in vs.iter().enumerate() {
        let obj = serde_json::json!({"id": format!("v{}", i + 1), "text": v.text});
        jsonl.push_str(&obj.to_string());
        jsonl.push('\n');
    }
    dir.create("vectors.jsonl", jsonl);
}

#[test]
fn contract_vectors_corpus_counts() {
    let dir = Dir::new();
    let vs = vectors();
    vector_corpus(&dir, &vs);
    let mut want = String::from("doc_id,n_tokens,n_types,n_sentences,n_bytes\n");
    for (i, v) in vs.iter().enumerate() {
        let types: std::collections::BTreeSet<&str> =
            v.tokens.iter().map(|t| t.2.as_str()).collect();
        let sents = v.tokens.last().map_or(0, |t| t.3 + 1);
        want.push_str(&format!(
            "v{},{},{},{},{}\n",
            i + 1,
            v.tokens.len(),
            types.len(),
            sents,
            v.text.len()
        ));
    }
    let got = dir.stdout(&["corpus", "--corpus", "vectors.jsonl", "--format", "csv"]);
    eqnice!(want, got);
}

#[test]
fn contract_vectors_freq_by_doc() {
    let dir = Dir::new();
    let vs = vectors();
    vector_corpus(&dir, &vs);
    let mut want = String::from("group,term,n,per_1k,n_docs\n");
    for (i, v) in vs.iter().enumerate() {
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for t in &v.tokens {
            *counts.entry(t.2.as_str()).or_default() += 1;
        }
        let mut rows: Vec<(&str, u64)> = counts.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        for (term, n) in rows {
            let per_1k = 1000.0 * n as f64 / v.tokens.len() as f64;
            let term = if term.contains(',') {
                format!("\"{term}\"")
            } else {
                term.to_string()
            };
            want.push_str(&format!("v{},{term},{n},{per_1k},1\n", i + 1));
        }
    }
    let got = dir.stdout(&["freq", "--corpus", "vectors.jsonl", "--format", "csv"]);
    eqnice!(want, got);
}
