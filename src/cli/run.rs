//! `framescope run`: the whole analysis of a corpus into an output folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{analyze_with_progress, CorpusArgs, Global, LexiconArgs};
use crate::analyze::{By, Plan, TableSpec, Unit};
use crate::error::Error;
use crate::output::provenance::{CorpusInfo, Provenance};
use crate::output::{rows, OutputSet};
use crate::stats::frame_scores;
use crate::text::StopWords;

/// Terms per document in doc_terms.csv.
const DOC_TERMS_TOP: usize = 50;

/// Run the whole analysis of a corpus and write every table to the output
/// folder: docs.csv, terms.csv, doc_terms.csv, ngrams.csv, frames.csv,
/// hits.csv, lexicon_check.csv and run.json.
///
/// One pass over the corpus; files are written only when everything has
/// been computed, each to a temporary name first, so a failed run leaves
/// earlier results intact.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    /// Tokens of context each side of a hit in hits.csv.
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u16).range(1..=100))]
    pub window: u16,
    /// The output folder (created if needed; must not lie inside a folder
    /// corpus).
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<()> {
    let started = Instant::now();
    let frames = args.lexicon.load()?;
    let corpus = args.corpus.open()?;
    check_out_dir(&args.out, corpus.path())?;
    let plan = Plan {
        tables: vec![
            // terms.csv: every norm of the corpus.
            TableSpec {
                by: By::Corpus,
                ..TableSpec::default()
            },
            // doc_terms.csv: each document's top non-stopword terms.
            TableSpec {
                by: By::Doc,
                drop_stopwords: true,
                top: Some(DOC_TERMS_TOP),
                ..TableSpec::default()
            },
            // ngrams.csv: bigrams and trigrams seen at least twice.
            ngram_spec(2),
            ngram_spec(3),
        ],
        frames: Some(frames.clone()),
        keep_hits: true,
        kwic_window: args.window as usize,
    };
    let an = analyze_with_progress(&corpus, &plan, global)?;
    let stop = StopWords::english();
    let out = &args.out;
    let mut files = OutputSet::default();
    files.add(out.join("docs.csv"), rows::docs(&an).to_csv());
    files.add(
        out.join("terms.csv"),
        rows::terms(&an.tables[0][0], &stop).to_csv(),
    );
    files.add(
        out.join("doc_terms.csv"),
        rows::doc_terms(&an.tables[1]).to_csv(),
    );
    let ngrams = [(2, &an.tables[2][0]), (3, &an.tables[3][0])];
    files.add(out.join("ngrams.csv"), rows::ngrams(&ngrams).to_csv());
    let scores = frame_scores(&an.docs, &frames, &By::Doc)?;
    files.add(
        out.join("frames.csv"),
        rows::scores(&scores, "doc_id").to_csv(),
    );
    files.add(out.join("hits.csv"), rows::hits(&an, &frames).to_csv());
    files.add(
        out.join("lexicon_check.csv"),
        rows::lexicon_check(&an, &frames).to_csv(),
    );

    let elapsed = started.elapsed().as_secs_f64();
    let n_bytes = an.n_bytes();
    let mut names: Vec<String> = files
        .paths()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    names.push("run.json".to_string());
    let prov = Provenance {
        framescope: env!("CARGO_PKG_VERSION"),
        contract: 1,
        command: "run".to_string(),
        settings: serde_json::json!({
            "unit": "norm",
            "doc_terms_top": DOC_TERMS_TOP,
            "ngrams": [2, 3],
            "ngram_min_count": 2,
            "stopwords": "english (contract list)",
            "lossy": args.corpus.lossy,
            "kwic_window": args.window,
            "lexicons": frames.lexicons.iter().map(|l| serde_json::json!({
                "id": l.id,
                "name": l.name,
                "version": l.version,
                "path": l.path.as_ref().map_or("(built in)".to_string(), |p| p.display().to_string()),
                "sha256": l.fingerprint(),
                "n_frames": l.frames.len(),
                "n_patterns": l.frames.iter().map(|f| f.patterns.len()).sum::<usize>(),
            })).collect::<Vec<_>>(),
        }),
        corpus: CorpusInfo::new(&corpus, &an),
        files: names.clone(),
        threads: rayon::current_num_threads(),
        elapsed_seconds: round3(elapsed),
        mb_per_second: round3(n_bytes as f64 / 1e6 / elapsed.max(1e-9)),
    };
    files.add(out.join("run.json"), prov.to_json());
    files.commit()?;

    if !global.quiet {
        println!(
            "framescope: {} documents, {} tokens, {} types, {:.1} MB in {:.2} s \
             ({:.1} MB/s)",
            an.docs.len(),
            an.n_tokens(),
            an.n_types,
            n_bytes as f64 / 1e6,
            elapsed,
            prov.mb_per_second
        );
        let top: Vec<String> = an.tables[0][0]
            .terms
            .iter()
            .filter(|t| !stop.contains(&t.term))
            .take(10)
            .map(|t| format!("{} ({})", t.term, t.n))
            .collect();
        println!("top terms: {}", top.join(", "));
        let corpus_scores = frame_scores(&an.docs, &frames, &By::Corpus)?;
        let frames_line: Vec<String> = corpus_scores
            .iter()
            .map(|r| format!("{} {} ({:.2}/1k)", r.frame, r.hits, r.per_1k.unwrap_or(0.0)))
            .collect();
        println!("frames: {}", frames_line.join(", "));
        println!("wrote {}: {}", out.display(), names.join(", "));
    }
    Ok(())
}

fn ngram_spec(n: usize) -> TableSpec {
    TableSpec {
        n,
        unit: Unit::Norm,
        drop_stopwords: true,
        by: By::Corpus,
        min_count: 2,
        top: None,
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Refuse an output folder inside a folder corpus: results would be read
/// back as documents next time.
fn check_out_dir(out: &Path, corpus: &Path) -> Result<(), Error> {
    if !corpus.is_dir() {
        return Ok(());
    }
    let Ok(corpus) = std::fs::canonicalize(corpus) else {
        return Ok(());
    };
    // The output folder may not exist yet: resolve its nearest existing
    // ancestor and keep the rest as written.
    let abs = std::env::current_dir()
        .map(|d| d.join(out))
        .unwrap_or_else(|_| out.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(p), Some(n)) => {
                rest.push(n.to_os_string());
                existing = p;
            }
            _ => return Ok(()),
        }
    }
    let Ok(mut resolved) = std::fs::canonicalize(existing) else {
        return Ok(());
    };
    for n in rest.into_iter().rev() {
        resolved.push(n);
    }
    if resolved.starts_with(&corpus) {
        return Err(Error::file(
            out,
            format!(
                "the output folder is inside the corpus folder {}; choose \
                 another --out so results are never read back as documents",
                corpus.display()
            ),
        ));
    }
    Ok(())
}
