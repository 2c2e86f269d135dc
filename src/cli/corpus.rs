//! `framescope corpus`: list documents with metadata and token counts,
//! or summarize the metadata's fields.

use rustc_hash::FxHashMap;

use super::{analyze_with_progress, CorpusArgs, Global, OutputArgs};
use crate::analyze::{CorpusAnalysis, Plan};
use crate::corpus::Fields;
use crate::output::{rows, Cell, Table};

/// List the documents of a corpus: `doc_id`, every metadata column, and
/// `n_tokens,n_types,n_sentences,n_bytes`, in corpus order. Reads every
/// document once.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// Instead of the documents, one row per metadata field:
    /// `field,n_values,n_docs,n_missing,top` (distinct values, documents
    /// with the field, documents without it, the five most frequent
    /// values with their documents; an empty value is `(empty)`), and
    /// `year` when it comes from `date`: what `--by FIELD` would compare
    /// (it refuses a document without the field).
    #[arg(long)]
    pub fields: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<()> {
    let corpus = args.corpus.open()?;
    if let Some(out) = &args.output.out {
        super::run::check_out_dir(out, corpus.path())?;
    }
    let an = analyze_with_progress(&corpus, &Plan::default(), global)?;
    if args.fields {
        args.output.emit(&fields(&an), "fields")?;
    } else {
        note_renamed(&an.columns);
        args.output.emit(&rows::docs(&an), "docs")?;
    }
    Ok(())
}

/// Say which metadata fields the documents' table writes under another
/// name ([`rows::docs_header`]).
pub fn note_renamed(columns: &[String]) {
    for (field, column) in rows::docs_renamed(columns) {
        eprintln!(
            "framescope: the field {field} is listed as {column} (the documents' table \
             has its own {field} column)"
        );
    }
}

/// Values shown in a field's `top` cell.
const TOP_VALUES: usize = 5;

/// The `--fields` table: each metadata column in order, then `year` when
/// no column has that name and some document's date gives one. As
/// `--by` groups them, an empty value (an empty cell, JSON's null) is a
/// value of its own, shown as `(empty)`, and a document without the
/// field is missing (`--by` refuses it).
fn fields(an: &CorpusAnalysis) -> Table {
    let mut names: Vec<&str> = an.columns.iter().map(String::as_str).collect();
    if !names.contains(&"year")
        && an
            .docs
            .iter()
            .any(|d| d.meta().field_ref(d.id(), "year").is_some())
    {
        names.push("year");
    }
    let mut t = Table::new(["field", "n_values", "n_docs", "n_missing", "top"]);
    for name in names {
        // Each value's documents and first document.
        let mut values: FxHashMap<String, (u64, usize)> = FxHashMap::default();
        let mut n_docs = 0u64;
        for (i, d) in an.docs.iter().enumerate() {
            let meta = d.meta();
            let Some(v) = meta.field_ref(d.id(), name) else {
                continue;
            };
            n_docs += 1;
            match values.get_mut(&*v) {
                Some(e) => e.0 += 1,
                None => {
                    values.insert(v.into_owned(), (1, i));
                }
            }
        }
        // The most frequent first; of as many, the first seen first.
        let mut top: Vec<(&String, &(u64, usize))> = values.iter().collect();
        top.sort_unstable_by_key(|&(_, &(n, first))| (std::cmp::Reverse(n), first));
        let top = top
            .iter()
            .take(TOP_VALUES)
            .map(|(v, (n, _))| match v.as_str() {
                "" => format!("(empty) ({n})"),
                v => format!("{v} ({n})"),
            })
            .collect::<Vec<_>>()
            .join("; ");
        t.rows.push(vec![
            Cell::Str(name.to_string()),
            Cell::Int(values.len() as u64),
            Cell::Int(n_docs),
            Cell::Int(an.docs.len() as u64 - n_docs),
            Cell::Text(top),
        ]);
    }
    t
}
