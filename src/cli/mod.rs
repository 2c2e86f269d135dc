//! The command line: global options, the subcommands, and the option
//! groups they share. Each subcommand lives in its own file with its help,
//! its arguments and its `run`.

mod chart;
mod compare;
mod corpus;
mod freq;
mod kwic;
mod lexicon;
mod run;
mod score;

pub use lexicon::pattern_warnings;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::analyze::{self, CorpusAnalysis, Plan};
use crate::corpus::{Corpus, ReadOptions};
use crate::error::Result;
use crate::lexicon::{FrameSet, Lexicon};
use crate::output::{Format, Table};

/// framescope: how a corpus of political texts frames its subject.
///
/// Term and phrase frequencies, frames, concordances and comparisons,
/// every number traceable to the text behind it and reproducible to the
/// byte.
#[derive(Debug, Parser)]
#[command(name = "framescope", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options of every command.
#[derive(Debug, clap::Args)]
pub struct Global {
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
    /// No progress bar and no summary; errors and warnings still print.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Memory for the counts of frequency and n-gram tables, in MiB. A
    /// table that outgrows it is counted through temporary files (in
    /// TMPDIR), with the same results. Default: 384, shrinking towards
    /// 128 as the documents' summaries and postings (and the words seen,
    /// past 64) grow past 224.
    #[arg(long, global = true, value_name = "MIB", value_parser = clap::value_parser!(u32).range(1..))]
    pub table_memory: Option<u32>,
}

impl Global {
    /// [`Global::table_memory`] in bytes ([`Plan::table_memory`]).
    ///
    /// [`Plan::table_memory`]: crate::analyze::Plan::table_memory
    pub fn table_memory_bytes(&self) -> usize {
        self.table_memory
            .map_or(crate::analyze::TABLE_MEMORY_MOST, |m| (m as usize) << 20)
    }

    /// The goal the tables' share shrinks towards when the command line
    /// does not set it ([`Plan::memory_goal`]).
    ///
    /// [`Plan::memory_goal`]: crate::analyze::Plan::memory_goal
    pub fn memory_goal(&self) -> Option<crate::analyze::MemoryGoal> {
        self.table_memory
            .is_none()
            .then_some(crate::analyze::MemoryGoal::DEFAULT)
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// The whole analysis of a corpus into out/: tables, charts, report.html, run.json.
    Run(run::Args),
    /// Term or n-gram frequencies per document, per group or for the corpus.
    Freq(freq::Args),
    /// Frame scores per document or group: hits, rates, intervals, shares.
    Score(score::Args),
    /// Keyword in context: every match of some patterns, or of a frame.
    Kwic(kwic::Args),
    /// Compare groups: keyness of terms, frame differences, similarity.
    Compare(compare::Args),
    /// Draw a chart (SVG and PNG) of frames, keyness, dispersion, …
    Chart(chart::Args),
    /// Check a lexicon against a corpus; convert LIWC .dic to TOML.
    Lexicon(lexicon::Args),
    /// List documents with their metadata and token counts.
    Corpus(corpus::Args),
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(n) = cli.global.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n as usize)
            .build_global()
            .map_err(|e| anyhow::anyhow!("cannot start {n} threads: {e}"))?;
    }
    crate::timing::phase("start");
    if crate::timing::enabled() {
        if let Some(thp) = crate::timing::huge_pages() {
            crate::timing::note(&format!("transparent huge pages {thp}"));
        }
    }
    let res = match &cli.command {
        Command::Run(args) => run::run(args, &cli.global),
        Command::Freq(args) => freq::run(args, &cli.global),
        Command::Score(args) => score::run(args, &cli.global),
        Command::Kwic(args) => kwic::run(args, &cli.global),
        Command::Compare(args) => compare::run(args, &cli.global),
        Command::Chart(args) => chart::run(args, &cli.global),
        Command::Lexicon(args) => lexicon::run(args, &cli.global),
        Command::Corpus(args) => corpus::run(args, &cli.global),
    };
    crate::timing::phase("end");
    res
}

/// Stop with a usage error (exit status 2) that clap could not detect
/// by itself.
pub fn usage_error(msg: &str) -> ! {
    eprintln!("framescope: error: {msg} (more with --help)");
    std::process::exit(2)
}

/// Stop on a command line clap refused: help and the version as clap
/// prints them; a usage error as one line on stderr, exit status 2.
pub fn exit_usage(err: clap::Error) -> ! {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        err.exit()
    }
    eprintln!("{}", usage_line(&err.render().to_string()));
    std::process::exit(2)
}

/// clap's rendering of a usage error (`error: …`, indented lines that go
/// on with it, `tip: …` lines, `Usage: …`, a pointer to --help) as one
/// line: `framescope: error: …; tip: …; usage: … (more with --help)`.
///
/// ```
/// let clap = "error: unexpected argument '--bogus' found\n\n  \
///             tip: a similar argument exists: '--corpus'\n\n\
///             Usage: framescope run --corpus <PATH>\n\n\
///             For more information, try '--help'.\n";
/// assert_eq!(
///     framescope::cli::usage_line(clap),
///     "framescope: error: unexpected argument '--bogus' found; tip: a similar \
///      argument exists: '--corpus'; usage: framescope run --corpus <PATH> \
///      (more with --help)"
/// );
/// ```
pub fn usage_line(rendered: &str) -> String {
    let (mut message, mut tips, mut usage) = (String::new(), Vec::new(), String::new());
    let mut in_usage = false;
    for line in rendered.lines() {
        let text = line.trim();
        if text.is_empty() || text.starts_with("For more information") {
            in_usage = false;
            continue;
        }
        if let Some(tip) = text.strip_prefix("tip: ") {
            tips.push(tip.to_string());
            in_usage = false;
        } else if let Some(u) = text.strip_prefix("Usage: ") {
            usage = u.to_string();
            in_usage = true;
        } else if in_usage {
            usage.push_str(" | ");
            usage.push_str(text);
        } else if message.is_empty() {
            message = text.strip_prefix("error: ").unwrap_or(text).to_string();
        } else {
            message.push(' ');
            message.push_str(text);
        }
    }
    let mut line = format!("framescope: error: {message}");
    for tip in tips {
        line.push_str("; tip: ");
        line.push_str(&tip);
    }
    if !usage.is_empty() {
        line.push_str("; usage: ");
        line.push_str(&usage);
    }
    line.push_str(" (more with --help)");
    line
}

/// The groups of a comparison: `--by FIELD --target V [--reference W]`
/// (`--by` alone groups documents where a command allows it).
#[derive(Debug, Clone, clap::Args)]
pub struct GroupArgs {
    /// The field that groups documents: a metadata column, id, or year
    /// (from date). With --target: the field that defines the groups.
    #[arg(long, value_name = "FIELD")]
    pub by: Option<String>,
    /// The target group: a value of --by, or several comma-separated.
    #[arg(long, value_name = "V", requires = "by", allow_hyphen_values = true)]
    pub target: Option<String>,
    /// The reference group (default: every other document).
    #[arg(
        long,
        value_name = "W",
        requires = "target",
        allow_hyphen_values = true
    )]
    pub reference: Option<String>,
}

impl GroupArgs {
    /// The target and the reference (`None`: every other document), when
    /// --target is given.
    pub fn selections(&self) -> Option<(analyze::Selection, Option<analyze::Selection>)> {
        let (by, target) = (self.by.as_deref()?, self.target.as_deref()?);
        let reference = self
            .reference
            .as_deref()
            .map(|r| analyze::Selection::new(by, r));
        Some((analyze::Selection::new(by, target), reference))
    }

    /// A usage error (exit 2) when --target is given to `what`, which
    /// compares every pair and has no target to take.
    pub fn no_target(&self, what: &str) {
        if self.target.is_some() {
            usage_error(&format!(
                "{what} compares every pair of documents (or of --by groups); \
                     --target and --reference choose the groups of keyness and frame \
                     comparisons"
            ));
        }
    }

    /// [`GroupArgs::selections`], or a usage error (exit 2) saying that
    /// `what` needs the groups.
    pub fn required(&self, what: &str) -> (analyze::Selection, Option<analyze::Selection>) {
        self.selections().unwrap_or_else(|| {
            usage_error(&format!(
                "{what} the groups: --by FIELD --target VALUE [--reference VALUE]"
            ))
        })
    }
}

/// Where the documents come from.
#[derive(Debug, Clone, clap::Args)]
pub struct CorpusArgs {
    /// A folder of .txt files (with an optional manifest.csv), a .jsonl
    /// file, a .json file (an array of objects), or a .csv or .tsv file
    /// with a `text` column; any file may be gzip-compressed (.gz).
    #[arg(long, value_name = "PATH", default_value = "corpus")]
    pub corpus: PathBuf,
    /// Replace invalid UTF-8 with U+FFFD (and warn) instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// The encoding of the corpus's files, when not UTF-8: a WHATWG label
    /// such as windows-1252 (latin1), iso-8859-2, utf-16le, shift_jis or
    /// gbk. Each file is decoded to UTF-8 as it is read (a byte-order
    /// mark wins; bytes invalid in the encoding become U+FFFD), and byte
    /// offsets are those of the UTF-8 text [default: utf-8].
    #[arg(long, value_name = "LABEL", value_parser = crate::corpus::encoding_named)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// What separates the fields of a .csv corpus and of manifest.csv:
    /// one character, such as ';' (a spreadsheet set to a European
    /// locale writes it) or '|', or tab [default: a tab in a .tsv file,
    /// else a comma].
    #[arg(long, value_name = "CHAR", value_parser = crate::corpus::separator_named)]
    pub separator: Option<u8>,
    /// Fail on a binary file (NUL bytes) in a folder corpus instead of
    /// skipping it with a warning.
    #[arg(long)]
    pub strict: bool,
    /// The .jsonl field or .csv column that holds each document's text
    /// [default: text].
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,
    /// The .jsonl field, or .csv or manifest.csv column, that holds each
    /// document's id [default: id; without one, ids are text1, text2, … or
    /// a folder's file stems].
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,
    /// Metadata from the file names of a folder without manifest.csv: each
    /// file's stem split at --name-sep gives these fields in order (`-`
    /// leaves a part out): `--name-fields country,session,year` reads
    /// ARG_76_2021.txt as country ARG, session 76, year 2021.
    #[arg(
        long,
        value_name = "NAMES",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub name_fields: Vec<String>,
    /// What separates the parts of a file name for --name-fields
    /// [default: _].
    #[arg(long, value_name = "SEP")]
    pub name_sep: Option<String>,
    /// Number a repeated document id instead of failing on it: the second
    /// "x" is read as "x.2", the third as "x.3" (with a warning naming
    /// the first ten; quanteda's unique_docnames = FALSE also renames
    /// repeats with a serial number).
    #[arg(long)]
    pub unique_ids: bool,
    /// The .jsonl field, or .csv or manifest.csv column (or --name-fields
    /// part), that holds each document's date [default: date]; it is
    /// read, shown and grouped as `date` (`year` comes from it).
    #[arg(long, value_name = "NAME")]
    pub date_field: Option<String>,
    /// Leave out the files or folders of a folder corpus (without
    /// manifest.csv) that match this pattern, as .gitignore reads one:
    /// without a /, a name at any depth (README.txt, *_draft.txt, drafts);
    /// with one (a leading one too), a path from the corpus folder
    /// (2019/notes/*.txt, /README.txt); a trailing / matches folders
    /// alone. Repeat it for more patterns.
    #[arg(long, value_name = "GLOB", value_parser = crate::corpus::exclude_pattern)]
    pub exclude: Vec<String>,
    /// How to read a date of numbers with the year last, as spreadsheets
    /// write dates: `mdy` reads 04/03/2021 as April 3, `dmy` as 4 March
    /// (shown in docs.csv as 2021-04-03 or 2021-03-04). Without it such a
    /// date is read as its year alone.
    #[arg(long, value_name = "ORDER", value_parser = crate::corpus::DateOrder::named)]
    pub date_order: Option<crate::corpus::DateOrder>,
}

impl CorpusArgs {
    /// Open the corpus.
    pub fn open(&self) -> Result<Corpus> {
        Corpus::open(&self.corpus, &self.options())
    }

    /// How the documents are read.
    pub fn options(&self) -> ReadOptions {
        ReadOptions {
            lossy: self.lossy,
            strict: self.strict,
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            // "country, session,year" names `session`, not ` session`.
            name_fields: self
                .name_fields
                .iter()
                .map(|n| n.trim().to_string())
                .collect(),
            name_sep: self.name_sep.clone(),
            unique_ids: self.unique_ids,
            date_field: self.date_field.clone(),
            date_order: self.date_order,
            exclude: self.exclude.clone(),
            encoding: self.encoding,
            separator: self.separator,
        }
    }
}

/// Which lexicons to match.
#[derive(Debug, Clone, clap::Args)]
pub struct LexiconArgs {
    /// A lexicon (.toml, or a LIWC .dic); repeat for several. Default:
    /// lexicons/china-diplomacy.toml, or the same lexicon built into the
    /// binary when that file is absent.
    #[arg(long, value_name = "FILE")]
    pub lexicon: Vec<PathBuf>,
}

impl LexiconArgs {
    /// Load the lexicons and flatten their frames.
    pub fn load(&self) -> Result<std::sync::Arc<FrameSet>> {
        Ok(std::sync::Arc::new(FrameSet::new(Lexicon::load_all(
            &self.lexicon,
        )?)))
    }
}

/// `--unit`: what a term is made of.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum UnitArg {
    /// The token's norm (CONTRACT §2).
    Norm,
    /// The token's stem (CONTRACT §3).
    Stem,
}

impl From<UnitArg> for analyze::Unit {
    fn from(u: UnitArg) -> analyze::Unit {
        match u {
            UnitArg::Norm => analyze::Unit::Norm,
            UnitArg::Stem => analyze::Unit::Stem,
        }
    }
}

/// How and where a table is printed.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// table, csv or json (default: table on a terminal, csv otherwise).
    #[arg(long, value_enum, value_name = "FORMAT", overrides_with = "format")]
    pub format: Option<Format>,
    /// Write the table into this folder instead of printing it.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

impl OutputArgs {
    /// The format a table will be printed in: --format, else CSV into
    /// --out, else a table on a terminal and CSV otherwise.
    pub fn format(&self) -> Format {
        self.format
            .unwrap_or(if self.out.is_none() && std::io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Csv
            })
    }

    /// CSV rows straight to stdout or `DIR/NAME.csv`, formatted in
    /// parallel and never held as a table ([`crate::output::csv_par`]).
    pub fn emit_csv_rows(
        &self,
        name: &str,
        header: &dyn Fn(&mut dyn crate::output::RowSink),
        lens: &[usize],
        row: &(dyn Fn(usize, usize, &mut dyn crate::output::RowSink) -> std::io::Result<()> + Sync),
    ) -> Result<()> {
        use std::io::Write;
        let write = |w: &mut (dyn Write + Send)| -> std::io::Result<()> {
            crate::output::csv_par(w, header, lens, row)?;
            w.flush()
        };
        match &self.out {
            Some(dir) => {
                let mut set = crate::output::OutputSet::default();
                set.stream(dir.join(format!("{name}.csv")), write)?;
                set.commit()
            }
            None => {
                let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
                write(&mut w)
                    .map_err(|e| crate::error::Error::write(std::path::Path::new("<stdout>"), e))
            }
        }
    }

    /// Print `table` to stdout, or write it as `DIR/NAME.EXT` with --out.
    pub fn emit(&self, table: &Table, name: &str) -> Result<()> {
        let format = self.format();
        match &self.out {
            Some(dir) => {
                let path = dir.join(format!("{name}.{}", format.extension()));
                crate::output::write_atomic(&path, table.render(format))
            }
            None => crate::output::write_stdout(&table.render(format)),
        }
    }
}

/// Analyze a corpus with a progress bar on a terminal.
pub fn analyze_with_progress(
    corpus: &Corpus,
    plan: &Plan,
    global: &Global,
) -> Result<CorpusAnalysis> {
    with_progress(global, corpus, |p| analyze::analyze(corpus, plan, p))
}

/// Run a pass over `corpus` with a progress spinner on a terminal:
/// documents and megabytes read, and how much of the corpus is read,
/// with the time left at that pace (`37% read: 67147 documents, 356.8 MB,
/// 328.1 MB/s; about 2 s left to read`).
pub fn with_progress<T>(
    global: &Global,
    corpus: &Corpus,
    pass: impl FnOnce(analyze::Progress<'_>) -> Result<T>,
) -> Result<T> {
    let bar = progress_bar(global);
    let started = std::time::Instant::now();
    let progress = |docs: u64, bytes: u64| {
        if let Some(bar) = &bar {
            let secs = started.elapsed().as_secs_f64();
            if secs < 1.0 {
                return;
            }
            bar.set_message(progress_message(docs, bytes, secs, corpus.read_share()));
            bar.tick();
        }
    };
    let res = pass(&progress);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    res
}

/// The progress line of a pass `secs` seconds in: documents, megabytes
/// and megabytes a second, and with the share of the corpus read
/// (`share`, from 0 to 1) the percent read and the time left to read at
/// that pace.
fn progress_message(docs: u64, bytes: u64, secs: f64, share: Option<f64>) -> String {
    let mb = bytes as f64 / 1e6;
    let counts = format!(
        "{docs} documents, {mb:.1} MB, {:.1} MB/s",
        mb / secs.max(1e-9)
    );
    match share {
        Some(f) if f > 0.0 && f < 1.0 && secs > 0.0 => {
            let left = (secs * (1.0 - f) / f).round() as u64;
            let left = match left {
                0..60 => format!("{left} s"),
                60..3600 => format!("{} min {:02} s", left / 60, left % 60),
                _ => format!("{} h {:02} min", left / 3600, left % 3600 / 60),
            };
            // Floored: 100 % only once everything is read.
            let percent = (f * 100.0).floor();
            format!("{percent:.0}% read: {counts}; about {left} left to read")
        }
        _ => counts,
    }
}

/// A spinner on stderr when it is a terminal and not --quiet; it shows
/// itself only once a pass has run for a second, so short runs stay
/// quiet.
fn progress_bar(global: &Global) -> Option<indicatif::ProgressBar> {
    (!global.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                .expect("valid template"),
        );
        bar
    })
}

/// After a pass, a line on a terminal (unless --quiet) that names what
/// is being made: on a big corpus the tables, charts and report take
/// seconds after the pass's line is gone. Shown once they have taken a
/// second, so short runs stay quiet; cleared when dropped.
pub struct Stages {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    shown: bool,
}

impl Stages {
    pub fn new(global: &Global) -> Stages {
        Stages {
            bar: progress_bar(global),
            started: std::time::Instant::now(),
            shown: false,
        }
    }

    /// `what` is being made now.
    pub fn now(&mut self, what: &str) {
        let Some(bar) = &self.bar else {
            return;
        };
        if self.started.elapsed().as_secs_f64() < 1.0 {
            return;
        }
        bar.set_message(format!("writing {what}"));
        if !self.shown {
            // It turns while a long step runs.
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            self.shown = true;
        }
    }
}

impl Drop for Stages {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::progress_message;

    /// The progress line, whole: without a share read, and with one, the
    /// time left in seconds, minutes and hours.
    #[test]
    fn progress_lines() {
        assert_eq!(
            progress_message(1200, 52_300_000, 2.0, None),
            "1200 documents, 52.3 MB, 26.1 MB/s"
        );
        assert_eq!(
            progress_message(1200, 52_300_000, 2.0, Some(0.25)),
            "25% read: 1200 documents, 52.3 MB, 26.1 MB/s; about 6 s left to read"
        );
        assert_eq!(
            progress_message(50_000, 2_000_000_000, 30.0, Some(0.2999)),
            "29% read: 50000 documents, 2000.0 MB, 66.7 MB/s; about 1 min 10 s left to read"
        );
        assert_eq!(
            progress_message(7, 1_000_000, 600.0, Some(0.1)),
            "10% read: 7 documents, 1.0 MB, 0.0 MB/s; about 1 h 30 min left to read"
        );
        // Nothing read yet, or all of it: no time left to tell.
        for share in [0.0, 1.0] {
            assert_eq!(
                progress_message(7, 1_000_000, 1.0, Some(share)),
                "7 documents, 1.0 MB, 1.0 MB/s"
            );
        }
    }
}
