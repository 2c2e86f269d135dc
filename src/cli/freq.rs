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
/// vocabulary of each group (by document, as CSV: of the documents being
/// read, each one's rows written as it is counted).
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
    if csv && plan.tables[0].by == By::Doc {
        return by_doc_csv(args, global, &corpus, &plan);
    }
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

/// CSV of a table by document, each document's rows formatted by the
/// worker that counted it and written in document order as the pass
/// goes (through [`crate::output::Spool`]): a gigabyte of documents
/// gives several gigabytes of rows, which held until the end took 4.2 GB
/// of memory.
fn by_doc_csv(
    args: &Args,
    global: &Global,
    corpus: &crate::corpus::Corpus,
    plan: &Plan,
) -> anyhow::Result<()> {
    use crate::output::{CsvSink, Spool};
    let mut spool = match &args.output.out {
        Some(dir) => Spool::file(dir.join("freq.csv"))?,
        None => Spool::stdout("freq")?,
    };
    let mut header = CsvSink::appending(Vec::new());
    rows::freq_header(&mut header);
    spool.write(&header.into_bytes()?)?;
    let format = |_: usize, t: &crate::stats::GroupFrequency, out: &mut Vec<u8>| {
        CsvSink::append(out, |sink| {
            for r in &t.terms {
                rows::freq_row(&t.group, r, sink);
            }
        });
    };
    let mut take =
        |_: usize, _: Option<crate::stats::GroupFrequency>, bytes: &[u8]| spool.write(bytes);
    super::with_progress(global, corpus, |p| {
        let tables = crate::analyze::DocTables {
            format: &format,
            take: &mut take,
            keep: 0,
        };
        crate::analyze::analyze_with(corpus, plan, p, Some(tables), None)
    })?;
    spool.finish()?;
    Ok(())
}
