//! `framescope freq`: term and n-gram frequencies.

use super::{analyze_with_progress, CorpusArgs, Global, OutputArgs, UnitArg};
use crate::analyze::{By, Plan, TableSpec, MAX_NGRAM};
use crate::output::rows;

/// Term or n-gram frequencies per document (default), per metadata group
/// (`--by FIELD`) or for the whole corpus (`--by corpus`).
///
/// Columns: group,term,n,per_1k,n_docs. Rows: group order (documents in
/// corpus order, field values in `stats::group_order`: numbers by value,
/// then text by code point), then n
/// descending, then term. One pass over the corpus; memory grows with the
/// vocabulary of each group.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// doc, corpus, or a metadata field (`year` is derived from `date`).
    #[arg(long, value_name = "FIELD", default_value = "doc")]
    pub by: String,
    /// Count norms or stems.
    #[arg(long, value_enum, default_value = "norm")]
    pub unit: UnitArg,
    /// Count n-grams of this many tokens (never across a sentence).
    #[arg(long, value_name = "N", default_value_t = 1,
          value_parser = clap::value_parser!(u8).range(1..=MAX_NGRAM as i64))]
    pub ngram: u8,
    /// Leave out stopwords (n-grams: those beginning or ending with one).
    #[arg(long)]
    pub drop_stopwords: bool,
    /// Keep terms counted at least N times in their group.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub min_count: u64,
    /// Keep the N most frequent terms of each group.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<()> {
    let corpus = args.corpus.open()?;
    if let Some(out) = &args.output.out {
        super::run::check_out_dir(out, corpus.path())?;
    }
    let csv = args.output.format() == crate::output::Format::Csv;
    let by = By::parse(&args.by);
    let spec = TableSpec {
        // CSV of a table by field or corpus is written from the rows'
        // symbols: millions of n-grams need no string each.
        keyed: csv && by != By::Doc,
        n: args.ngram as usize,
        unit: args.unit.into(),
        drop_stopwords: args.drop_stopwords,
        by,
        min_count: args.min_count,
        top: args.top,
    };
    let plan = Plan {
        tables: vec![spec],
        table_memory: global.table_memory_bytes(),
        memory_goal: global.memory_goal(),
        // Only the table is written: no document's summary is kept.
        summaries: false,
        ..Plan::default()
    };
    let an = analyze_with_progress(&corpus, &plan, global)?;
    let groups = &an.tables[0];
    if plan.tables[0].keyed {
        let keyed = &an.keyed[0];
        let lens: Vec<usize> = keyed.iter().map(|g| g.len()).collect();
        args.output
            .emit_csv_rows("freq", &rows::freq_header, &lens, &|k, i, s| {
                rows::keyed_freq_row(&keyed[k], i, s);
                Ok(())
            })?;
    } else if csv {
        // CSV goes out row by row: an n-gram table can have millions.
        let lens: Vec<usize> = groups.iter().map(|g| g.terms.len()).collect();
        args.output
            .emit_csv_rows("freq", &rows::freq_header, &lens, &|k, i, s| {
                rows::freq_row(&groups[k].group, &groups[k].terms[i], s);
                Ok(())
            })?;
    } else {
        args.output.emit(&rows::freq(groups), "freq")?;
    }
    Ok(())
}
