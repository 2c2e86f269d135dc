//! `framescope corpus`: list documents with metadata and token counts.

use super::{analyze_with_progress, CorpusArgs, Global, OutputArgs};
use crate::analyze::Plan;
use crate::output::rows;

/// List the documents of a corpus: `doc_id`, every metadata column, and
/// `n_tokens,n_types,n_sentences,n_bytes`, in corpus order. Reads every
/// document once.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<()> {
    let corpus = args.corpus.open()?;
    let an = analyze_with_progress(&corpus, &Plan::default(), global)?;
    args.output.emit(&rows::docs(&an), "docs")?;
    Ok(())
}
