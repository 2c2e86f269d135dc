//! `framescope score`: frame scores per document or group.

use super::{analyze_with_progress, CorpusArgs, Global, LexiconArgs, OutputArgs};
use crate::analyze::{By, Plan};
use crate::output::rows;
use crate::stats::frame_scores;

/// Score every document (or group, with --by FIELD) against every frame
/// of the lexicons: one row per document and frame with
/// `doc_id,lexicon,frame,n_tokens,hits,negated,per_1k,ci_low,ci_high,share`
/// (CONTRACT §8; the first column is `group` with --by). Rows follow
/// document order, then lexicon order, then frame order. One pass over
/// the corpus; the cost per token does not grow with the lexicon.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    /// doc, corpus, or a metadata field (`year` is derived from `date`).
    #[arg(long, value_name = "FIELD", default_value = "doc")]
    pub by: String,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<()> {
    let frames = args.lexicon.load()?;
    let corpus = args.corpus.open()?;
    let plan = Plan {
        frames: Some(frames.clone()),
        ..Plan::default()
    };
    let an = analyze_with_progress(&corpus, &plan, global)?;
    let by = By::parse(&args.by);
    let scores = frame_scores(&an.docs, &frames, &by)?;
    let col = if by == By::Doc { "doc_id" } else { "group" };
    args.output.emit(&rows::scores(&scores, col), "frames")?;
    Ok(())
}
