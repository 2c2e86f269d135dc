//! `framescope lexicon`: check a lexicon against a corpus; convert a LIWC
//! dictionary to framescope TOML.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{analyze_with_progress, CorpusArgs, Global, OutputArgs};
use crate::analyze::Plan;
use crate::lexicon::{FrameSet, Lexicon};
use crate::output::rows;

/// Check lexicons and convert LIWC dictionaries.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: LexiconCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum LexiconCommand {
    /// Check a lexicon against a corpus: errors stop it (bad pattern,
    /// duplicate frame id, empty frame); warnings go to stderr (a pattern
    /// listed twice, in two frames, or never matching); the table shows
    /// what every pattern caught: `lexicon,frame,pattern,hits,n_docs,forms`.
    Check(Box<CheckArgs>),
    /// Print a LIWC .dic dictionary as framescope TOML.
    Convert(ConvertArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The lexicon (.toml, or a LIWC .dic).
    #[arg(value_name = "LEXICON")]
    pub lexicon: PathBuf,
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, clap::Args)]
pub struct ConvertArgs {
    /// The LIWC dictionary.
    #[arg(value_name = "FILE.dic")]
    pub dic: PathBuf,
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<()> {
    match &args.command {
        LexiconCommand::Check(a) => check(a, global),
        LexiconCommand::Convert(a) => convert(&a.dic),
    }
}

fn convert(path: &Path) -> anyhow::Result<()> {
    let lex = Lexicon::load(path)?;
    crate::output::write_stdout(lex.to_toml().as_bytes())?;
    Ok(())
}

/// Warnings about a lexicon's patterns, independent of any corpus.
pub fn pattern_warnings(lex: &Lexicon) -> Vec<String> {
    let mut warnings = Vec::new();
    // Parsed tests → (frame, pattern source) where they appear.
    let mut seen: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for f in &lex.frames {
        for p in &f.patterns {
            let key = format!("{:?}", p.tests);
            let places = seen.entry(key).or_default();
            if let Some((_, src)) = places.iter().find(|(fid, _)| *fid == f.id) {
                warnings.push(format!(
                    "frame {:?}: pattern {:?} is listed twice (as {:?}); remove one",
                    f.id, p.source, src
                ));
            } else if let Some((fid, src)) = places.first() {
                warnings.push(format!(
                    "pattern {:?} is in frame {:?} and (as {:?}) in frame {:?}; \
                     a hit will count for both",
                    p.source, f.id, src, fid
                ));
            }
            places.push((f.id.clone(), p.source.clone()));
        }
    }
    warnings
}

fn check(args: &CheckArgs, global: &Global) -> anyhow::Result<()> {
    let lex = Lexicon::load(&args.lexicon)?;
    let mut warnings = pattern_warnings(&lex);
    let frames = Arc::new(FrameSet::new(vec![lex]));
    let corpus = args.corpus.open()?;
    if let Some(out) = &args.output.out {
        super::run::check_out_dir(out, corpus.path())?;
    }
    let plan = Plan {
        frames: Some(frames.clone()),
        ..Plan::default()
    };
    let an = analyze_with_progress(&corpus, &plan, global)?;
    let mut cov = an.coverage.iter();
    let (lex, path) = (&frames.lexicons[0], args.lexicon.display());
    // The first ten patterns that never match are named, the others
    // counted: a lexicon written for other texts has hundreds.
    let mut never = 0usize;
    for f in &lex.frames {
        for p in &f.patterns {
            if cov.next().is_some_and(|c| c.hits == 0) {
                never += 1;
                if never <= NEVER_NAMED {
                    warnings.push(format!(
                        "frame {:?}: pattern {:?} never matches in {}",
                        f.id,
                        p.source,
                        corpus.path().display()
                    ));
                }
            }
        }
    }
    if never > NEVER_NAMED {
        warnings.push(format!(
            "{} more patterns never match in {} (the table's rows with hits 0)",
            never - NEVER_NAMED,
            corpus.path().display()
        ));
    }
    for w in &warnings {
        eprintln!("framescope: warning: {path}: {w}");
    }
    args.output
        .emit(&rows::lexicon_check(&an, &frames), "lexicon_check")?;
    Ok(())
}

/// Patterns that never match named one by one by `lexicon check`.
const NEVER_NAMED: usize = 10;
