//! `framescope chart`: one chart (SVG and PNG) from a corpus, and the
//! charts `run` draws into out/charts/. Charts draw only what `stats`
//! computed (compute, then present).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{analyze_with_progress, CorpusArgs, Global, GroupArgs, LexiconArgs};
use crate::analyze::{By, CorpusAnalysis, Doc, Plan, TableSpec, Unit};
use crate::chart::{self, Chart};
use crate::corpus::Date;
use crate::error::{Error, Result};
use crate::lexicon::FrameSet;
use crate::output::OutputSet;
use crate::stats::{
    self, frame_compare, frame_scores, keyness, similarity, units, Groups, KeynessOptions,
};

/// Terms per document in the `terms` chart.
pub const TERMS_PER_DOC: usize = 10;

/// Draw one chart of a corpus into DIR/KIND.svg and DIR/KIND.png.
///
/// frames: per_1k of each frame per document (or --by group) with 95%
/// intervals. frames-heatmap: the same as a documents × frames grid.
/// keyness: the top 20 terms each side for --by/--target against the
/// reference (signed G², stopwords left out). frame-compare: rate ratios
/// with their intervals on a log axis. dispersion: where each frame hits
/// in each document. timeline: per_1k over document date. terms: top
/// content words of each document. similarity: documents × documents
/// cosine of frame rates.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The chart to draw.
    #[arg(value_enum)]
    pub kind: Kind,
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    #[command(flatten)]
    pub groups: GroupArgs,
    /// dispersion: ad-hoc patterns (repeatable) instead of the lexicon's
    /// frames, one colour each.
    #[arg(long = "pattern", value_name = "PATTERN")]
    pub patterns: Vec<String>,
    /// The folder to write KIND.svg and KIND.png into.
    #[arg(long, value_name = "DIR", default_value = "out/charts")]
    pub out: PathBuf,
}

/// The kinds of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    Frames,
    FramesHeatmap,
    Keyness,
    FrameCompare,
    Dispersion,
    Timeline,
    Terms,
    Similarity,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Frames => "frames",
            Kind::FramesHeatmap => "frames-heatmap",
            Kind::Keyness => "keyness",
            Kind::FrameCompare => "frame-compare",
            Kind::Dispersion => "dispersion",
            Kind::Timeline => "timeline",
            Kind::Terms => "terms",
            Kind::Similarity => "similarity",
        }
    }
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<()> {
    let frames = if args.patterns.is_empty() {
        args.lexicon.load()?
    } else {
        if args.kind != Kind::Dispersion {
            super::usage_error(
                "--pattern is for the dispersion chart; the other charts draw the lexicon's frames",
            );
        }
        let patterns = args
            .patterns
            .iter()
            .map(|p| {
                crate::lexicon::Pattern::parse(p)
                    .map_err(|e| Error::invalid(format!("pattern {p:?}: {e}")))
            })
            .collect::<Result<Vec<_>>>()?;
        Arc::new(FrameSet::from_patterns(patterns))
    };
    let corpus = args.corpus.open()?;
    super::run::check_out_dir(&args.out, corpus.path())?;
    if args.kind == Kind::Similarity {
        args.groups.no_target("chart similarity");
    }
    let needs_groups = matches!(args.kind, Kind::Keyness | Kind::FrameCompare);
    let selected = if needs_groups {
        Some(args.groups.required("chart keyness and frame-compare need"))
    } else {
        args.groups.selections()
    };
    let by = match (&args.groups.by, &selected) {
        (Some(f), None) => By::Field(f.clone()),
        _ => By::Doc,
    };
    let plan = Plan {
        frames: Some(frames.clone()),
        // The ticks of the rows drawn, not the hits: memory stays bounded
        // however many hits a lexicon finds (every hit kept was 10 GB for
        // 8 frames of `*` on 39 MB).
        mark_docs: if args.kind == Kind::Dispersion {
            chart::MAX_ROWS
        } else {
            0
        },
        mark_frames: chart::MAX_SERIES,
        postings: match args.kind {
            Kind::Keyness | Kind::Similarity => Some(Unit::Norm),
            _ => None,
        },
        tables: if args.kind == Kind::Terms {
            vec![terms_spec(by.clone())]
        } else {
            Vec::new()
        },
        table_memory: global.table_memory_bytes(),
        memory_goal: global.memory_goal(),
        ..Plan::default()
    };
    let an = analyze_with_progress(&corpus, &plan, global)?;
    let chart = match args.kind {
        Kind::Frames => chart::frames(
            &frame_scores(&an.docs, &frames, &by)?,
            &frames,
            &chart::rows_of(&by),
        ),
        Kind::FramesHeatmap => chart::frames_heatmap(
            &frame_scores(&an.docs, &frames, &by)?,
            &frames,
            &chart::rows_of(&by),
        ),
        Kind::Keyness | Kind::FrameCompare => {
            let (target, reference) = selected.expect("required above");
            let groups = Groups::select(&an.docs, &target, reference.as_ref())?;
            if args.kind == Kind::Keyness {
                keyness_chart(&an, &groups)
            } else {
                chart::frame_compare(
                    &frame_compare(&an.docs, &frames, &groups),
                    &frames,
                    &groups.target,
                    &groups.reference,
                )
            }
        }
        Kind::Dispersion => dispersion_chart(&an, &frames),
        Kind::Timeline => match timeline_chart(&an, &frames) {
            Some(c) => c,
            None => {
                return Err(Error::invalid(format!(
                    "no document has a date (a `date` field: {}; or a `year` field); the \
                     timeline needs dates{}",
                    crate::corpus::Date::FORMS,
                    super::run::date_field_hint(&an.columns, "to draw it")
                ))
                .into())
            }
        },
        Kind::Terms => chart::terms(&an.tables[0], TERMS_PER_DOC, &chart::rows_of(&by)),
        Kind::Similarity => {
            let units = units(&an.docs, args.groups.by.as_deref())?;
            crate::stats::check_pairs(&units)?;
            let rows = similarity(
                &an.docs,
                an.postings.as_ref().expect("planned"),
                frames.len(),
                &units,
            );
            let names: Vec<String> = units.into_iter().map(|(n, _)| n).collect();
            chart::similarity(&rows, &names)
        }
    };
    let mut files = OutputSet::default();
    add_chart(&mut files, &args.out, args.kind.name(), &chart)?;
    files.commit()?;
    if !global.quiet {
        eprintln!(
            "wrote {0}/{1}.svg and {0}/{1}.png",
            args.out.display(),
            args.kind.name()
        );
    }
    Ok(())
}

/// The table the `terms` chart draws: top non-stopword norms per group.
pub fn terms_spec(by: By) -> TableSpec {
    TableSpec {
        n: 1,
        unit: Unit::Norm,
        drop_stopwords: true,
        by,
        min_count: 1,
        top: Some(TERMS_PER_DOC),
        keyed: false,
    }
}

/// Queue NAME.svg and NAME.png in DIR.
pub fn add_chart(files: &mut OutputSet, dir: &Path, name: &str, chart: &Chart) -> Result<()> {
    files.add(
        dir.join(format!("{name}.svg")),
        chart.svg.clone().into_bytes(),
    );
    files.add(dir.join(format!("{name}.png")), chart.png()?);
    Ok(())
}

/// Keyness of the target against the reference without stopwords.
pub fn keyness_chart(an: &CorpusAnalysis, groups: &Groups) -> Chart {
    let opts = KeynessOptions {
        drop_stopwords: true,
        ..KeynessOptions::default()
    };
    let rows = keyness(
        an.postings.as_ref().expect("planned"),
        &an.docs,
        groups,
        &opts,
    );
    chart::keyness(&rows, &groups.target, &groups.reference)
}

/// Each frame's hits at their place in each document: the marks of the
/// documents drawn ([`CorpusAnalysis::marks`]), which draw what every hit
/// would.
pub fn dispersion_chart(an: &CorpusAnalysis, frames: &FrameSet) -> Chart {
    // Only the rows drawn: an id string for each of millions of
    // documents was a quarter of a gigabyte.
    let docs: Vec<(String, u64)> = an
        .docs
        .iter()
        .take(chart::MAX_ROWS)
        .map(|d| (d.id().to_string(), d.n_tokens()))
        .collect();
    let series: Vec<String> = (0..frames.len())
        .map(|i| frames.get(i).1.label.clone())
        .collect();
    chart::dispersion_shown(&docs, an.docs.len(), &an.marks, &series)
}

/// Frame rates over document dates (the rates of frames.csv): a
/// document's `date`, or without one its `year` (as from `--name-fields
/// country,session,year`); `None` when no document has either.
pub fn timeline_chart(an: &CorpusAnalysis, frames: &Arc<FrameSet>) -> Option<Chart> {
    // One reading of the documents: each month's tokens and hits pooled,
    // and the first dated documents kept for a chart of documents, which
    // a corpus of up to TIMELINE_DOCS dated documents gets. Nothing is
    // held per document beyond those (millions of documents' dates were
    // 190 MB).
    let mut months: std::collections::BTreeMap<(i32, u8), (u64, Vec<u64>)> = Default::default();
    let mut first: Vec<(Doc<'_>, Date)> = Vec::new();
    let mut n_dated = 0usize;
    // The first document left out, and the date it has (if any).
    let mut undated: Option<(String, Option<String>)> = None;
    // Dates like 04/03/2021, read as their year alone: how many, and the
    // first's document and date.
    let mut year_only: (usize, Option<(String, String)>) = (0, None);
    for d in an.docs.iter() {
        let meta = d.meta();
        let written = meta.get("date").or_else(|| meta.get("year"));
        let Some(date) = written.and_then(Date::parse) else {
            if undated.is_none() {
                undated = Some((d.id().to_string(), written.map(str::to_string)));
            }
            continue;
        };
        if let Some(w) = written.filter(|w| Date::is_day_month(w)) {
            year_only.0 += 1;
            if year_only.1.is_none() {
                year_only.1 = Some((d.id().to_string(), w.to_string()));
            }
        }
        n_dated += 1;
        if first.len() < TIMELINE_DOCS {
            first.push((d, date));
        }
        let e = months
            .entry((date.year, date.month.unwrap_or(0)))
            .or_insert_with(|| (0, vec![0; frames.len()]));
        e.0 += d.n_tokens();
        for (k, f) in d.frames().iter().enumerate() {
            if let Some(h) = e.1.get_mut(k) {
                *h += f.hits;
            }
        }
    }
    if n_dated == 0 {
        return None;
    }
    if let Some((id, date)) = undated {
        let n = an.docs.len() - n_dated;
        eprintln!(
            "framescope: the timeline leaves out {n} of {} documents, without a date \
             framescope reads ({}; the first: {id:?}, {})",
            an.docs.len(),
            Date::FORMS,
            match date {
                Some(d) => format!("dated {d:?}"),
                None => "without a date".to_string(),
            }
        );
    }
    if let (n, Some((id, date))) = year_only {
        eprintln!(
            "framescope: the timeline places {n} of {} documents at the start of their \
             year: their dates are numbers with the year last, read as their year alone \
             (the first: {id:?}, dated {date:?}); give --date-order mdy (month first) or \
             dmy (day first) to read them whole",
            an.docs.len()
        );
    }
    // Documents one by one while each has a date of its own: documents
    // sharing a date (twenty speeches of a year) would be drawn as
    // vertical strokes, and are pooled by period instead.
    let shared = {
        let mut xs: Vec<f64> = first.iter().map(|(_, d)| d.fractional_year()).collect();
        xs.sort_by(f64::total_cmp);
        xs.windows(2).any(|w| w[0] == w[1])
    };
    if n_dated <= TIMELINE_DOCS && !shared {
        let nf = frames.len().max(1);
        let scores = frame_scores(first.iter().map(|&(d, _)| d), frames, &By::Doc).ok()?;
        let points: Vec<(String, f64, Vec<Option<f64>>)> = first
            .iter()
            .zip(scores.chunks(nf))
            .map(|((d, date), rows)| {
                let rates = rows.iter().map(|r| r.per_1k).collect();
                (d.id().to_string(), date.fractional_year(), rates)
            })
            .collect();
        return Some(chart::timeline(&points, frames));
    }
    // Many dated documents, or documents sharing dates: one point per
    // calendar month (a year-only date is its own period at the start of
    // the year), its documents' hits and tokens pooled.
    let points: Vec<(String, f64, Vec<Option<f64>>)> = months
        .into_iter()
        .map(|((year, month), (tokens, hits))| {
            let date = Date {
                year,
                month: (month > 0).then_some(month),
                day: None,
            };
            let rates = hits.iter().map(|&h| stats::per_1k(h, tokens)).collect();
            (format!("{year}-{month:02}"), date.fractional_year(), rates)
        })
        .collect();
    Some(chart::timeline_titled(
        &points,
        frames,
        &format!(
            "hits per 1,000 tokens of each month's documents together ({} dated documents; \
             a year-only date is its year's own point, at the start of the year)",
            n_dated
        ),
    ))
}

/// Dated documents drawn one by one on the timeline; above this, months.
pub const TIMELINE_DOCS: usize = 400;

/// A file-name-safe form of a document id or group value.
pub fn slug(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    if out.is_empty() {
        "_".to_string()
    } else {
        out
    }
}
