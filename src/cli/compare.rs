//! `framescope compare`: keyness, frame differences and similarity
//! between groups of documents.

use super::{
    analyze_with_progress, CorpusArgs, Global, GroupArgs, LexiconArgs, OutputArgs, UnitArg,
};
use crate::analyze::{Plan, Unit};
use crate::error::Error;
use crate::output::{rows, Format};
use crate::stats::{frame_compare, keyness, similarity, units, Groups, KeynessOptions};

/// Compare a target group of documents with a reference group.
///
/// --what terms: keyness of every term (CONTRACT §10): counts and rates
/// in both groups, signed G² with its p-value, Benjamini–Hochberg
/// adjusted p, log ratio, the log-odds z-score with an informative
/// Dirichlet prior (Monroe, Colaresi & Quinn 2008) and Gries' DP over the
/// corpus. Rows by G² descending (over-used in the target first), then
/// term.
///
/// --what frames: each frame's rate in both groups, the rate ratio with
/// an exact conditional 95% interval, G², BH-adjusted p, and the
/// Mann–Whitney test of per-document rates.
///
/// --what similarity: cosine similarity of every pair of documents (or
/// of groups with --by) by frame rates and by tf-idf of content words.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    /// terms, frames or similarity.
    #[arg(long, value_enum, default_value = "terms")]
    pub what: What,
    #[command(flatten)]
    pub groups: GroupArgs,
    /// Terms are norms or stems.
    #[arg(long, value_enum, default_value = "norm")]
    pub unit: UnitArg,
    /// Leave stopwords out of the comparison (and of p_adjusted's
    /// family). Without it every term is compared; the terminal table
    /// then hides the stopwords' rows, its numbers those of the CSV.
    #[arg(long, conflicts_with = "keep_stopwords")]
    pub drop_stopwords: bool,
    /// Show the stopwords' rows in the terminal table too (csv and json
    /// always have them unless --drop-stopwords).
    #[arg(long)]
    pub keep_stopwords: bool,
    /// Keep terms with n_target + n_reference of at least N.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub min_count: u64,
    /// a0, the strength of the corpus prior of z_logodds.
    #[arg(long, value_name = "A0", default_value_t = 1000.0)]
    pub prior: f64,
    /// Print the N first rows only (after sorting and adjustment); of
    /// terms, the N first and the N last: the terms most over-used in the
    /// target, then those most under-used (or least over-used, when
    /// fewer than N are under-used).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What `compare` compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    Terms,
    Frames,
    Similarity,
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<()> {
    if !(args.prior.is_finite() && args.prior > 0.0) {
        return Err(Error::invalid(format!(
            "--prior {} must be a positive number (the default is 1000)",
            args.prior
        ))
        .into());
    }
    let selected = match args.what {
        What::Similarity => {
            args.groups.no_target("compare --what similarity");
            None
        }
        _ => Some(args.groups.required("compare --what terms|frames needs")),
    };
    let frames = match args.what {
        What::Terms => None,
        _ => Some(args.lexicon.load()?),
    };
    let corpus = args.corpus.open()?;
    if let Some(out) = &args.output.out {
        super::run::check_out_dir(out, corpus.path())?;
    }
    let drop = args.drop_stopwords;
    // The terminal table hides the stopwords' rows of a comparison of
    // every term: its p_adjusted are the CSV's (Benjamini–Hochberg over
    // the same family), whatever the format.
    let hide =
        !args.drop_stopwords && !args.keep_stopwords && args.output.format() == Format::Table;
    let plan = Plan {
        frames: frames.clone(),
        postings: match args.what {
            What::Terms => Some(args.unit.into()),
            What::Similarity => Some(Unit::Norm),
            What::Frames => None,
        },
        // A stem's stopword tokens left out token by token (CONTRACT §5).
        postings_drop_stopwords: drop,
        ..Plan::default()
    };
    let an = analyze_with_progress(&corpus, &plan, global)?;
    let top = |mut t: crate::output::Table| {
        if let Some(n) = args.top {
            t.rows.truncate(n);
        }
        t
    };
    match args.what {
        What::Terms => {
            let (target, reference) = selected.expect("required above");
            let groups = Groups::select(&an.docs, &target, reference.as_ref())?;
            let opts = KeynessOptions {
                min_count: args.min_count,
                drop_stopwords: drop,
                prior: args.prior,
            };
            let postings = an.postings.as_ref().expect("planned");
            let mut rows = keyness(postings, &an.docs, &groups, &opts);
            if hide {
                rows.retain(|r| !postings.get(&r.term).is_some_and(|l| l.stopword));
                if !global.quiet {
                    eprintln!(
                        "framescope: stopwords' rows not shown (--keep-stopwords shows them); \
                         p_adjusted is over every term, as in the CSV"
                    );
                }
            }
            // Both ends of the ranking, as quanteda's textplot_keyness
            // shows them: the N first rows alone would be the target's
            // over-used terms only.
            if let Some(n) = args.top {
                if rows.len() > n.saturating_mul(2) {
                    rows.drain(n..rows.len() - n);
                }
            }
            args.output
                .emit(&rows::keyness(&[("", &rows)], false), "keyness")?;
        }
        What::Frames => {
            let frames = frames.expect("loaded");
            let (target, reference) = selected.expect("required above");
            let groups = Groups::select(&an.docs, &target, reference.as_ref())?;
            let rows = frame_compare(&an.docs, &frames, &groups);
            let qualify = frames.lexicons.len() > 1;
            args.output.emit(
                &top(rows::frame_compare(&[("", &rows)], false, qualify)),
                "frame_compare",
            )?;
        }
        What::Similarity => {
            let frames = frames.expect("loaded");
            let units = units(&an.docs, args.groups.by.as_deref())?;
            crate::stats::check_pairs(&units)?;
            let postings = an.postings.as_ref().expect("planned");
            let rows = similarity(&an.docs, postings, frames.len(), &units);
            args.output
                .emit(&top(rows::similarity(&rows)), "similarity")?;
        }
    }
    Ok(())
}
