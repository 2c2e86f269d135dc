//! `framescope score`: frame scores per document or group.

use super::{analyze_with_progress, CorpusArgs, Global, LexiconArgs, OutputArgs};
use crate::analyze::Docs;
use crate::analyze::{By, Plan};
use crate::lexicon::FrameSet;
use crate::output::{rows, RowSink};
use crate::stats::{frame_scores, group_scores};
use rustc_hash::FxHashMap;

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
    if let Some(out) = &args.output.out {
        super::run::check_out_dir(out, corpus.path())?;
    }
    let plan = Plan {
        frames: Some(frames.clone()),
        ..Plan::default()
    };
    let an = analyze_with_progress(&corpus, &plan, global)?;
    let by = By::parse(&args.by);
    if by == By::Doc && args.output.format() == crate::output::Format::Csv {
        // A row per document and frame: millions on a big corpus, so
        // they go out a block at a time rather than as one table.
        let header = |s: &mut dyn RowSink| rows::scores_into(&[], "doc_id", s);
        let n_blocks = an.docs.len().div_ceil(SCORE_BLOCK);
        args.output
            .emit_csv_rows("frames", &header, &[n_blocks], &|_, b, s| {
                doc_score_block(&an.docs, &frames, b, s)
            })?;
        return Ok(());
    }
    let scores = frame_scores(an.docs.iter(), &frames, &by)?;
    let col = if by == By::Doc { "doc_id" } else { "group" };
    args.output.emit(&rows::scores(&scores, col), "frames")?;
    Ok(())
}

/// Documents per block of rows by document (`score`, frames.csv of `run`).
/// Small, because blocks are formatted a thousand at a time: blocks of
/// 64 held 300 MB of formatted rows at once on 3 million documents.
pub(crate) const SCORE_BLOCK: usize = 8;

/// The score rows of block `b` of the documents (by document, in order):
/// blocks are made and formatted in parallel, and only a block's scores
/// are held at a time.
pub(crate) fn doc_score_block(
    docs: &Docs,
    frames: &FrameSet,
    b: usize,
    s: &mut dyn RowSink,
) -> std::io::Result<()> {
    let mut cis = FxHashMap::default();
    for d in docs.range(b * SCORE_BLOCK..(b + 1) * SCORE_BLOCK) {
        group_scores(d.id(), d.n_tokens(), d.frames(), frames, &mut cis, |r| {
            rows::score_row(r, s)
        });
    }
    Ok(())
}
