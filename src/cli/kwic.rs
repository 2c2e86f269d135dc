//! `framescope kwic`: the concordance of some patterns or of a frame.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use super::{with_progress, CorpusArgs, Global, LexiconArgs};
use crate::analyze::{concordance, concordance_with, KwicLine, KwicQuery, Selection, SortKey};
use crate::error::Error;
use crate::lexicon::{FrameSet, Pattern};
use crate::output::{self, kwic};

/// Every match of every PATTERN (or of a lexicon frame's patterns, with
/// --frame) with its context: document order, then position.
///
/// Patterns follow CONTRACT §6: words match norms (`China's` = `china’s`),
/// `cooperat*` is a glob over norms, `~develop` matches any word with
/// that stem, `*` is any one token. Several patterns are matched
/// independently (their lines may overlap); one pattern's matches never
/// overlap and never cross a sentence. Columns of csv and json:
/// doc_id,pattern,token_start,token_end,byte_start,byte_end,sentence,
/// negated,left,match,right (token_end inclusive; byte offsets into the
/// document's text).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Patterns to find, e.g. "win-win cooperation" 'cooperat*' '~develop'.
    #[arg(
        value_name = "PATTERN",
        required_unless_present = "frame",
        conflicts_with = "frame"
    )]
    pub patterns: Vec<String>,
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// List the hits of this lexicon frame (`FRAME`, or `LEXICON/FRAME`
    /// when several lexicons share the id) instead of patterns.
    #[arg(long, value_name = "ID")]
    pub frame: Option<String>,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    /// Tokens of context each side (1 to 100).
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u16).range(1..=100))]
    pub window: u16,
    /// Clip the context to the sentence of the match.
    #[arg(long)]
    pub sentence: bool,
    /// Sort keys applied in order: doc (default), match, L1…L5, R1…R5
    /// (the norm of the k-th token left or right of the match; a missing
    /// token sorts first), e.g. R1,R2. Ties keep document order.
    #[arg(long, value_name = "KEYS", value_delimiter = ',')]
    pub sort: Vec<SortKey>,
    /// Only documents whose FIELD (a metadata column, id, or year) has
    /// the --target value.
    #[arg(long, value_name = "FIELD", requires = "target")]
    pub by: Option<String>,
    /// The value (or comma-separated values) of --by to keep.
    #[arg(long, value_name = "V", requires = "by", allow_hyphen_values = true)]
    pub target: Option<String>,
    /// At most N lines (the first N after sorting).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Keep only lines with a match of this pattern nearby (and not
    /// overlapping the match).
    #[arg(long, value_name = "PATTERN")]
    pub near: Option<String>,
    /// How near, in tokens, for --near (default: the --window).
    #[arg(long, value_name = "N", requires = "near",
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub near_window: Option<u16>,
    /// text (aligned, the default on a terminal), csv (the default
    /// otherwise), json or html (a standalone page).
    #[arg(long, value_enum, value_name = "FORMAT", overrides_with = "format")]
    pub format: Option<KwicFormat>,
    /// Write kwic.{txt,csv,json,html} into this folder instead of
    /// printing.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// How a concordance is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KwicFormat {
    Text,
    Csv,
    Json,
    Html,
}

fn parse_pattern(p: &str) -> Result<Pattern, Error> {
    Pattern::parse(p).map_err(|e| Error::invalid(format!("pattern {p:?}: {e}")))
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<()> {
    let frames = match &args.frame {
        Some(id) => {
            let all = args.lexicon.load()?;
            let sel = all.select(id).ok_or_else(|| {
                Error::invalid(format!(
                    "no frame {id:?} in the lexicon; use one of: {}",
                    all.frame_ids().join(", ")
                ))
            })?;
            if sel.len() > 1 {
                return Err(Error::invalid(format!(
                    "frame {id:?} is in several lexicons; say which: {}",
                    sel.frame_ids().join(", ")
                ))
                .into());
            }
            sel
        }
        None => FrameSet::from_patterns(
            args.patterns
                .iter()
                .map(|p| parse_pattern(p))
                .collect::<Result<_, _>>()?,
        ),
    };
    let near = match &args.near {
        Some(p) => Some((
            Arc::new(FrameSet::from_patterns(vec![parse_pattern(p)?])),
            args.near_window.unwrap_or(args.window) as usize,
        )),
        None => None,
    };
    let query = KwicQuery {
        frames: Arc::new(frames),
        window: args.window as usize,
        sentence: args.sentence,
        sort: args.sort.clone(),
        near,
        select: match (&args.by, &args.target) {
            (Some(f), Some(v)) => Some(Selection::new(f, v)),
            _ => None,
        },
        limit: args.limit,
        segment_bytes: crate::analyze::SEGMENT_BYTES,
    };
    let corpus = args.corpus.open()?;
    if let Some(out) = &args.out {
        super::run::check_out_dir(out, corpus.path())?;
    }
    let stdout_tty = std::io::stdout().is_terminal();
    let format = args.format.unwrap_or(match (&args.out, stdout_tty) {
        (None, true) => KwicFormat::Text,
        _ => KwicFormat::Csv,
    });
    let ext = match format {
        KwicFormat::Text => "txt",
        KwicFormat::Csv => "csv",
        KwicFormat::Json => "json",
        KwicFormat::Html => "html",
    };
    let in_doc_order = query.sort.iter().all(|k| *k == SortKey::Doc);
    if in_doc_order && matches!(format, KwicFormat::Csv | KwicFormat::Json) {
        // Written as the documents are read: a concordance of a common
        // word in a gigabyte is millions of lines.
        let mut spool = match &args.out {
            Some(dir) => output::Spool::file(dir.join(format!("kwic.{ext}")))?,
            None => output::Spool::stdout("kwic")?,
        };
        let csv = format == KwicFormat::Csv;
        spool.write(&if csv {
            kwic::table(Vec::new(), &query.frames).to_csv()
        } else {
            output::JSON_START.to_vec()
        })?;
        let mut n = 0;
        let mut take = |lines: Vec<KwicLine>| {
            let t = kwic::table(lines, &query.frames);
            let bytes = if csv {
                t.csv_rows()
            } else {
                let mut b = Vec::new();
                t.json_rows_into(n, &mut b);
                b
            };
            n += t.rows.len();
            spool.write(&bytes)
        };
        let conc = with_progress(global, &corpus, |p| {
            concordance_with(&corpus, &query, p, Some(&mut take))
        })?;
        if !csv {
            spool.write(output::JSON_END)?;
        }
        spool.finish()?;
        if !global.quiet {
            eprintln!("{}", summary(&conc));
        }
        return Ok(());
    }
    let conc = with_progress(global, &corpus, |p| concordance(&corpus, &query, p))?;
    let summary = summary(&conc);
    let bytes = match format {
        KwicFormat::Csv => kwic::table(conc.lines, &query.frames).to_csv(),
        KwicFormat::Json => kwic::table(conc.lines, &query.frames).to_json(),
        KwicFormat::Text => {
            let color = args.out.is_none()
                && stdout_tty
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb");
            kwic::text(&conc, color).into_bytes()
        }
        KwicFormat::Html => {
            kwic::html(&conc, &query.frames, &settings(args, &query, &summary)).into_bytes()
        }
    };
    match &args.out {
        Some(dir) => {
            output::write_atomic(&dir.join(format!("kwic.{ext}")), bytes)?;
        }
        None => output::write_stdout(&bytes)?,
    }
    if !global.quiet {
        eprintln!("{summary}");
    }
    Ok(())
}

/// `N lines in D documents (T tokens)`, with the total when --limit cut.
fn summary(conc: &crate::analyze::Concordance) -> String {
    let shown = conc.n_lines;
    let total = match conc.n_total {
        Some(t) if t != shown => format!(" of {t}"),
        Some(_) => String::new(),
        None => " (stopped at --limit)".to_string(),
    };
    format!(
        "{shown} line{}{total}; searched {} document{}, {} tokens",
        if shown == 1 { "" } else { "s" },
        conc.n_docs,
        if conc.n_docs == 1 { "" } else { "s" },
        conc.n_tokens
    )
}

/// The settings shown at the top of the HTML page.
fn settings(args: &Args, query: &KwicQuery, summary: &str) -> Vec<(&'static str, String)> {
    let mut s = vec![("corpus", args.corpus.corpus.display().to_string())];
    match &args.frame {
        Some(f) => s.push(("frame", f.clone())),
        None => s.push(("patterns", args.patterns.join(" | "))),
    }
    s.push(("window", format!("{} tokens", query.window)));
    if query.sentence {
        s.push(("context", "clipped to the sentence".to_string()));
    }
    if !query.sort.is_empty() {
        let keys: Vec<String> = query.sort.iter().map(|k| k.to_string()).collect();
        s.push(("sort", keys.join(",")));
    }
    if let Some(sel) = &query.select {
        s.push(("documents", sel.describe()));
    }
    if let (Some(p), Some((_, n))) = (&args.near, &query.near) {
        s.push(("near", format!("{p} within {n} tokens")));
    }
    if let Some(n) = query.limit {
        s.push(("limit", n.to_string()));
    }
    s.push(("lines", summary.to_string()));
    s
}
