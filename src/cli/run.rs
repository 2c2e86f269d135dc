//! `framescope run`: the whole analysis of a corpus into an output folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use super::chart as chart_cli;
use super::{with_progress, CorpusArgs, Global, LexiconArgs};
use crate::analyze::{By, CorpusAnalysis, Plan, TableSpec, Texts, Unit};
use crate::chart::{self, Chart};
use crate::corpus::Fields;
use crate::error::Error;
use crate::output::provenance::{CorpusInfo, Provenance};
use crate::output::report;
use crate::output::{self, rows, CellRef, CsvSink, OutputSet, RowSink};
use crate::stats::{
    frame_compare_all, frame_scores, similarity_with, units, Dispersion, Groups, KeynessCounts,
    KeynessOptions, KeynessRow, Units,
};
use crate::text::StopWords;

/// Terms per document in doc_terms.csv.
const DOC_TERMS_TOP: usize = 50;

/// Keyness and frame-compare charts (and report sections) for at most
/// this many targets; the CSV files have them all.
pub const MAX_TARGET_CHARTS: usize = 20;

/// The most groups `run` compares (each against the rest).
pub const MAX_GROUP_COMPARISONS: usize = 1000;

/// Above this many documents, `run` compares groups rather than every
/// document against the rest.
pub const MAX_DOC_COMPARISONS: usize = 200;

/// Run the whole analysis of a corpus and write every table to the output
/// folder: docs.csv, terms.csv, doc_terms.csv, ngrams.csv, frames.csv,
/// hits.csv, lexicon_check.csv, keyness.csv, frame_compare.csv,
/// similarity.csv and run.json.
///
/// Comparisons: every document against the rest of the corpus, or with
/// --by FIELD every value of the field against the rest. Above 200
/// documents without --by, `run` compares years (when every document has
/// a date) instead, and says so.
///
/// One pass over the corpus; files are written only when everything has
/// been computed, each to a temporary name first, so a failed run leaves
/// earlier results intact.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub corpus: CorpusArgs,
    #[command(flatten)]
    pub lexicon: LexiconArgs,
    /// Tokens of context each side of a hit in hits.csv.
    #[arg(long, value_name = "N", default_value_t = 5,
          value_parser = clap::value_parser!(u16).range(1..=100))]
    pub window: u16,
    /// The output folder (created if needed; must not lie inside a folder
    /// corpus).
    #[arg(long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// List at most N hit lines per frame in hits.csv (the first in
    /// document order; counts, scores and the report's sample of lines
    /// stay drawn from every hit). 0: no cap.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub max_hits_per_frame: usize,
    /// Compare groups (every value of this field against the rest)
    /// instead of documents in keyness.csv, frame_compare.csv and
    /// similarity.csv.
    #[arg(long, value_name = "FIELD")]
    pub by: Option<String>,
}

pub fn run(args: &Args, global: &Global) -> anyhow::Result<()> {
    let started = Instant::now();
    let frames = args.lexicon.load()?;
    let corpus = args.corpus.open()?;
    check_out_dir(&args.out, corpus.path())?;
    let plan = Plan {
        tables: vec![
            // terms.csv: every norm of the corpus.
            TableSpec {
                by: By::Corpus,
                ..TableSpec::default()
            },
            // doc_terms.csv: each document's top non-stopword terms.
            TableSpec {
                by: By::Doc,
                drop_stopwords: true,
                top: Some(DOC_TERMS_TOP),
                ..TableSpec::default()
            },
            // ngrams.csv: bigrams and trigrams seen at least twice.
            ngram_spec(2),
            ngram_spec(3),
        ],
        frames: Some(frames.clone()),
        keep_hits: true,
        kwic_window: args.window as usize,
        postings: Some(Unit::Norm),
        fingerprint: true,
        max_hits_per_frame: (args.max_hits_per_frame > 0).then_some(args.max_hits_per_frame),
        mark_docs: chart::MAX_ROWS,
        mark_frames: chart::MAX_SERIES,
        table_memory: global.table_memory_bytes(),
        memory_goal: global.memory_goal(),
        groups_at_most: args.by.as_ref().map(|f| (f.clone(), MAX_GROUP_COMPARISONS)),
        hit_sample: report::SAMPLE_LINES,
        ..Plan::default()
    };
    let out = &args.out;
    let mut files = OutputSet::default();
    // doc_terms.csv is written during the pass, a document at a time, so
    // that a corpus of many documents does not hold every document's
    // table; the first few are kept for the terms chart.
    let doc_terms_path = out.join("doc_terms.csv");
    let mut doc_terms_file = files.create(doc_terms_path.clone())?;
    // hits.csv too: a lexicon of many frames that catch common words
    // lists millions of lines, which the pass would otherwise hold.
    let hits_path = out.join("hits.csv");
    let mut hits_file = files.create(hits_path.clone())?;
    let mut chart_tables: Vec<crate::stats::GroupFrequency> = Vec::new();
    let mut n_doc_tables = 0usize;
    let mut an = {
        let write_err = |e| crate::error::Error::write(&doc_terms_path, e);
        let mut sink = CsvSink::new(&mut doc_terms_file);
        rows::doc_terms_header(&mut sink);
        // Each document's rows are formatted by the worker that counted
        // it; here they are only appended, in document order.
        let mut w = sink.into_inner().map_err(write_err)?;
        let format = |i: usize, t: &crate::stats::GroupFrequency, out: &mut Vec<u8>| {
            if i == DOC_TERMS_TABLE {
                CsvSink::append(out, |sink| rows::doc_terms_rows(t, sink));
            }
        };
        let mut take = |i: usize, t: Option<crate::stats::GroupFrequency>, bytes: &[u8]| {
            if i == DOC_TERMS_TABLE {
                std::io::Write::write_all(&mut w, bytes).map_err(write_err)?;
                n_doc_tables += 1;
                if let Some(t) = t {
                    chart_tables.push(t);
                }
            }
            Ok(())
        };
        let mut hits_sink = CsvSink::new(&mut hits_file);
        rows::hits_header(&mut hits_sink);
        let mut take_hits = |doc: &crate::corpus::Document, hits: &[crate::analyze::HitRow]| {
            for h in hits {
                rows::hit_row_into(&doc.id, h, &frames, &mut hits_sink);
            }
            Ok(())
        };
        let an = with_progress(global, &corpus, |p| {
            let tables = crate::analyze::DocTables {
                format: &format,
                take: &mut take,
                // The terms chart shows the first documents' tables.
                keep: chart::MAX_PANELS,
            };
            crate::analyze::analyze_with(&corpus, &plan, p, Some(tables), Some(&mut take_hits))
        })?;
        std::io::Write::flush(&mut w).map_err(write_err)?;
        hits_sink
            .finish()
            .map_err(|e| crate::error::Error::write(&hits_path, e))?;
        an
    };
    files.finish(doc_terms_file)?;
    files.finish(hits_file)?;
    crate::timing::phase("pass + doc_terms.csv");
    super::corpus::note_renamed(&an.columns);
    let mut stages = super::Stages::new(global);
    stages.now("docs.csv");
    let stop = StopWords::english();
    // Settle the comparisons (and fail on a bad --by) before writing.
    let cmp = comparisons(&an, args.by.as_deref())?;
    // The big tables go to their files row by row.
    let csv = |f: &mut dyn std::io::Write, rows: &dyn Fn(&mut dyn RowSink)| {
        let mut sink = CsvSink::new(f);
        rows(&mut sink);
        sink.finish()
    };
    let postings = an.postings.as_ref().expect("planned");
    let disp = Dispersion::new(&an.docs);
    // docs.csv is written on one thread while every term's DP is made
    // (once: terms.csv and keyness.csv both show it) on the others.
    let (written, (dps, positions)) = rayon::join(
        || {
            files.stream(out.join("docs.csv"), |f| {
                csv(f, &|s| rows::docs_into(&an, s))
            })
        },
        || rayon::join(|| disp.dp_all(postings), || postings.positions()),
    );
    written?;
    crate::timing::phase("docs.csv + DP");
    stages.now("terms.csv");
    let terms = &an.tables[0][0].terms;
    files.stream(out.join("terms.csv"), |f| {
        output::csv_par(f, &rows::terms_header, &[terms.len()], &|_, i, s| {
            let dp = |t: &str| positions.get(t).and_then(|&p| dps[p]);
            rows::term_row(&terms[i], &stop, dp, s);
            Ok(())
        })
    })?;
    crate::timing::phase("terms.csv");
    stages.now("ngrams.csv");
    let ngrams = [(2, &an.keyed[2][0]), (3, &an.keyed[3][0])];
    files.stream(out.join("ngrams.csv"), |f| {
        let lens = ngrams.map(|(_, t)| t.len());
        output::csv_par(f, &rows::ngrams_header, &lens, &|p, i, s| {
            let (n, table) = ngrams[p];
            rows::keyed_ngram_row(n, table, i, s);
            Ok(())
        })
    })?;
    // The n-gram tables are in their file now and nothing else reads
    // them: a gigabyte's millions of rows go before the rest is made.
    for t in an.keyed.iter_mut().skip(2) {
        *t = Vec::new();
    }
    crate::timing::phase("ngrams.csv");
    stages.now("frames.csv");
    // frames.csv: scores computed a block of documents at a time, the
    // blocks in parallel.
    files.stream(out.join("frames.csv"), |f| {
        let header = |s: &mut dyn RowSink| rows::scores_into(&[], "doc_id", s);
        let n_blocks = an.docs.len().div_ceil(super::score::SCORE_BLOCK);
        output::csv_par(f, &header, &[n_blocks], &|_, b, s| {
            super::score::doc_score_block(&an.docs, &frames, b, s)
        })
    })?;
    crate::timing::phase("frames.csv");
    stages.now("hits.csv and the comparisons");
    // The report shows the first rows of frames.csv.
    let n_score_rows = an.docs.len() * frames.len();
    let report_docs = an
        .docs
        .len()
        .min(report::REPORT_ROWS / frames.len().max(1) + 1);
    let scores = frame_scores(an.docs.range(0..report_docs), &frames, &By::Doc)?;
    if an.hits_dropped > 0 {
        eprintln!(
            "framescope: hits.csv keeps the first {} hits of each frame; {} more are \
             counted in frames.csv but not listed (--max-hits-per-frame)",
            args.max_hits_per_frame, an.hits_dropped
        );
    }
    if let Some(note) = &cmp.note {
        eprintln!("framescope: {note}");
    }
    // Every target's counts in one reading of the postings; each
    // target's table is made from them when keyness.csv gets to it.
    let all_groups: Vec<&Groups> = cmp.groups.iter().map(|(_, g)| g).collect();
    let keyness_counts = KeynessCounts::new(
        postings,
        &an.docs,
        &all_groups,
        &KeynessOptions::default(),
        Some(&dps),
    );
    let frame_tables: Vec<(&str, Vec<_>)> = cmp
        .groups
        .iter()
        .map(|(name, _)| name.as_str())
        .zip(frame_compare_all(&an.docs, &frames, &all_groups))
        .collect();
    files.add(
        out.join("lexicon_check.csv"),
        rows::lexicon_check(&an, &frames).to_csv(),
    );
    crate::timing::phase("hits.csv, lexicon_check, keyness + frame_compare");
    stages.now("keyness.csv and similarity.csv");
    // keyness.csv a few targets at a time (their tables made in
    // parallel, then written in order): a corpus compared by 50 years
    // never holds every target's table. The similarities are made
    // meanwhile, from the same counts (each unit is a target: the
    // postings are not read again). The chart and the report show each
    // target's first and last rows without stopwords, so every number
    // they show is a number of the CSV file: only those are kept.
    let mut keyness_shown = Shown::default();
    let (written, sim) = rayon::join(
        || {
            files.stream(out.join("keyness.csv"), |f| {
                keyness_shown = keyness_csv(f, &keyness_counts, &cmp.groups)?;
                Ok(())
            })
        },
        || {
            similarity_with(
                &an.docs,
                postings,
                frames.len(),
                &cmp.units,
                Some(&keyness_counts),
            )
        },
    );
    written?;
    crate::timing::phase("keyness.csv + similarity");
    stages.now("the charts");
    let ft: Vec<(&str, &[_])> = frame_tables.iter().map(|(n, r)| (*n, &r[..])).collect();
    files.add(
        out.join("frame_compare.csv"),
        rows::frame_compare(&ft, true, frames.lexicons.len() > 1).to_csv(),
    );
    files.add(out.join("similarity.csv"), rows::similarity(&sim).to_csv());

    // Charts: drawn from the tables above, rasterized in parallel.
    let chart_by = match cmp.by.as_str() {
        "doc" | "none" => By::Doc,
        f => By::Field(f.to_string()),
    };
    let chart_rows = chart::rows_of(&chart_by);
    // Charts by document when the corpus has no groups to compare (see
    // `comparisons`), otherwise by group. By document, only the documents
    // shown are scored at once; the number of documents and the top of
    // the heatmap's scale come from all of them, a block at a time (a
    // gigabyte without dates would otherwise score every document ×
    // frame together).
    let (shown_scores, n_chart_groups, max_per_1k) = if chart_by == By::Doc {
        let shown = an.docs.len().min(chart::MAX_ROWS);
        let max = (0..an.docs.len().div_ceil(4096))
            .into_par_iter()
            .map(|b| {
                frame_scores(an.docs.range(b * 4096..(b + 1) * 4096), &frames, &By::Doc)
                    .map(|sc| sc.iter().filter_map(|s| s.per_1k).fold(0.0f64, f64::max))
            })
            .collect::<Result<Vec<f64>, _>>()?
            .into_iter()
            .fold(0.0f64, f64::max);
        (
            frame_scores(an.docs.range(0..shown), &frames, &By::Doc)?,
            an.docs.len(),
            max,
        )
    } else {
        let sc = frame_scores(&an.docs, &frames, &chart_by)?;
        let max = sc.iter().filter_map(|s| s.per_1k).fold(0.0f64, f64::max);
        let n = sc.len() / frames.len().max(1);
        (sc, n, max)
    };
    let mut charts: Vec<(String, Chart)> = vec![
        (
            "frames".into(),
            chart::frames_shown(&shown_scores, n_chart_groups, &frames, &chart_rows),
        ),
        (
            "frames-heatmap".into(),
            chart::frames_heatmap_shown(
                &shown_scores,
                n_chart_groups,
                max_per_1k,
                &frames,
                &chart_rows,
            ),
        ),
        (
            "dispersion".into(),
            chart_cli::dispersion_chart(&an, &frames),
        ),
        (
            "terms".into(),
            // By group: each group compared's most frequent words, from
            // its counts (as `chart terms --by FIELD` draws them when
            // every group has tokens).
            if chart_by == By::Doc || keyness_shown.terms.is_empty() {
                chart::terms_of(
                    &chart_tables,
                    n_doc_tables,
                    chart_cli::TERMS_PER_DOC,
                    "documents",
                )
            } else {
                chart::terms_of(
                    &keyness_shown.terms,
                    cmp.groups.len(),
                    chart_cli::TERMS_PER_DOC,
                    &chart_rows,
                )
            },
        ),
    ];
    if let Some(t) = chart_cli::timeline_chart(&an, &frames) {
        charts.push(("timeline".into(), t));
    }
    let names_units: Vec<String> = cmp.units.iter().map(|(n, _)| n.clone()).collect();
    charts.push(("similarity".into(), chart::similarity(&sim, &names_units)));
    let mut report_keyness = Vec::new();
    let mut slugs: Vec<String> = Vec::new();
    for (((name, groups), (_, fc)), content) in cmp
        .groups
        .iter()
        .zip(&frame_tables)
        .zip(keyness_shown.rows)
        .take(MAX_TARGET_CHARTS)
    {
        let mut slug = chart_cli::slug(name);
        while slugs.contains(&slug) {
            slug.push('_');
        }
        slugs.push(slug.clone());
        charts.push((
            format!("keyness-{slug}"),
            chart::keyness(&content, &groups.target, &groups.reference),
        ));
        charts.push((
            format!("frame-compare-{slug}"),
            chart::frame_compare(fc, &frames, &groups.target, &groups.reference),
        ));
        report_keyness.push((name.clone(), slug, content));
    }
    crate::timing::phase("charts drawn");
    let pngs: Vec<Result<Vec<u8>, crate::error::Error>> =
        charts.par_iter().map(|(_, c)| c.png()).collect();
    for ((name, c), png) in charts.iter().zip(pngs) {
        files.add(
            out.join("charts").join(format!("{name}.svg")),
            c.svg.clone().into_bytes(),
        );
        files.add(out.join("charts").join(format!("{name}.png")), png?);
    }

    crate::timing::phase("pngs");
    stages.now("report.html");
    let elapsed = started.elapsed().as_secs_f64();
    let n_bytes = an.n_bytes();
    let mut names: Vec<String> = files
        .paths()
        .filter_map(|p| p.strip_prefix(out).ok())
        .map(|n| n.to_string_lossy().replace('\\', "/"))
        .collect();
    names.push("report.html".to_string());
    names.push("run.json".to_string());
    let read = args.corpus.options();
    let prov = Provenance {
        framescope: env!("CARGO_PKG_VERSION"),
        contract: 1,
        command: "run".to_string(),
        settings: serde_json::json!({
            "unit": "norm",
            "doc_terms_top": DOC_TERMS_TOP,
            "ngrams": [2, 3],
            "ngram_min_count": 2,
            "stopwords": "english (contract list)",
            "lossy": args.corpus.lossy,
            "encoding": read.encoding_name(),
            "separator": read.separator.map(|b| (b as char).to_string()),
            "text_field": read.text_field(),
            "id_field": read.id_field(),
            "date_field": read.date_field(),
            "date_order": read.date_order.map(crate::corpus::DateOrder::name),
            "exclude": read.exclude,
            "name_fields": read.name_fields,
            "name_sep": read.name_sep(),
            "unique_ids": read.unique_ids,
            "kwic_window": args.window,
            "max_hits_per_frame": args.max_hits_per_frame,
            "hits_not_listed": an.hits_dropped,
            "comparisons": {
                "by": cmp.by,
                "targets": cmp.groups.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
                "reference": "every other document",
                "keyness_min_count": KeynessOptions::default().min_count,
                "logodds_prior": KeynessOptions::default().prior,
                "note": cmp.note,
            },
            "lexicons": frames.lexicons.iter().map(|l| serde_json::json!({
                "id": l.id,
                "name": l.name,
                "version": l.version,
                "path": l.path.as_ref().map_or("(built in)".to_string(), |p| p.display().to_string()),
                "sha256": l.fingerprint(),
                "n_frames": l.frames.len(),
                "n_patterns": l.frames.iter().map(|f| f.patterns.len()).sum::<usize>(),
            })).collect::<Vec<_>>(),
        }),
        corpus: CorpusInfo::new(&corpus, &an),
        files: names.clone(),
        threads: rayon::current_num_threads(),
        elapsed_seconds: round3(elapsed),
        mb_per_second: round3(n_bytes as f64 / 1e6 / elapsed.max(1e-9)),
    };
    // The report shows the settings without timing, so it is the same
    // bytes on every run.
    let mut shown = serde_json::to_value(&prov).unwrap_or_default();
    if let Some(o) = shown.as_object_mut() {
        for k in ["threads", "elapsed_seconds", "mb_per_second"] {
            o.remove(k);
        }
    }
    let shown = serde_json::to_string_pretty(&shown).unwrap_or_default();
    let font_css = report::font_face_css(chart::style::FONT_FAMILY, chart::style::font_bytes());
    let report_charts: Vec<(String, String)> = charts
        .iter()
        .map(|(n, c)| {
            // The report names per-target charts by target, not by slug.
            let name = report_keyness
                .iter()
                .find_map(|(t, slug, _)| {
                    n.strip_prefix("keyness-")
                        .filter(|s| s == slug)
                        .map(|_| format!("keyness-{t}"))
                        .or_else(|| {
                            n.strip_prefix("frame-compare-")
                                .filter(|s| s == slug)
                                .map(|_| format!("frame-compare-{t}"))
                        })
                })
                .unwrap_or_else(|| n.clone());
            (name, c.svg.clone())
        })
        .collect();
    let keyness_shown: Vec<(String, Vec<_>)> = report_keyness
        .into_iter()
        .map(|(t, _, rows)| (t, rows))
        .collect();
    let frame_shown: Vec<(String, Vec<_>)> = frame_tables
        .iter()
        .take(MAX_TARGET_CHARTS)
        .map(|(n, r)| (n.to_string(), r.clone()))
        .collect();
    // What is compared, in words ("none": no comparison was made).
    let what = match cmp.by.as_str() {
        "none" => "No comparison".to_string(),
        "doc" => "Each document against the rest of the corpus".to_string(),
        f => format!("Each value of {f} against the rest of the corpus"),
    };
    let note = match &cmp.note {
        Some(n) => format!("{what} ({n})."),
        None => format!("{what}."),
    };
    let html = report::Report {
        an: &an,
        frames: &frames,
        scores: &scores,
        score_rows: n_score_rows,
        keyness: &keyness_shown,
        frame_compare: &frame_shown,
        similarity: &sim,
        charts: &report_charts,
        font_css: &font_css,
        provenance: &shown,
        comparison_note: &note,
    }
    .html();
    files.add(out.join("report.html"), html.into_bytes());
    crate::timing::phase("report");
    stages.now("every file to disk");
    files.add(out.join("run.json"), prov.to_json());
    // Charts an earlier run wrote (its run.json lists them) and this one
    // does not (a group or a timeline the corpus no longer has) go.
    let earlier = earlier_charts(out);
    files.replace_stale(
        out.join("charts"),
        &[
            "keyness-",
            "frame-compare-",
            "timeline.",
            "frames.",
            "frames-heatmap.",
            "dispersion.",
            "terms.",
            "similarity.",
        ],
        &earlier,
    );
    files.commit()?;
    drop(stages);
    crate::timing::phase("commit");

    if !global.quiet {
        println!(
            "framescope: {} documents, {} tokens, {} types, {:.1} MB in {:.2} s \
             ({:.1} MB/s)",
            an.docs.len(),
            an.n_tokens(),
            an.n_types,
            n_bytes as f64 / 1e6,
            elapsed,
            prov.mb_per_second
        );
        let top: Vec<String> = an.tables[0][0]
            .terms
            .iter()
            .filter(|t| !stop.contains(&t.term))
            .take(10)
            // A term of thousands of characters (a base64 blob read as
            // one token) is cut on the terminal; terms.csv has it whole.
            .map(|t| format!("{} ({})", output::shorten(&t.term, 40), t.n))
            .collect();
        println!("top terms: {}", top.join(", "));
        let corpus_scores = frame_scores(&an.docs, &frames, &By::Corpus)?;
        let frames_line: Vec<String> = corpus_scores
            .iter()
            .map(|r| {
                format!(
                    "{} {} ({}/1k)",
                    r.frame,
                    r.hits,
                    rate(r.per_1k.unwrap_or(0.0))
                )
            })
            .collect();
        println!("frames: {}", frames_line.join(", "));
        let (chart_files, other): (Vec<&String>, Vec<&String>) =
            names.iter().partition(|n| n.starts_with("charts/"));
        let other: Vec<&str> = other.iter().map(|s| s.as_str()).collect();
        println!(
            "wrote {}: {}, and {} charts in charts/ (SVG and PNG)",
            out.display(),
            other.join(", "),
            chart_files.len() / 2
        );
    }
    // The command ends here, and the process with it: the analysis' tens
    // of millions of allocations (postings, n-gram rows) are left to the
    // OS rather than freed one by one (0.1–0.2 s on a gigabyte).
    std::mem::forget(an);
    Ok(())
}

/// What `run` compares: each target against the rest, and the units of
/// the similarity table.
struct Comparisons {
    /// `doc`, or the field compared.
    by: String,
    groups: Vec<(String, Groups)>,
    units: Units,
    /// Why the comparisons are not what was asked or expected.
    note: Option<String>,
}

/// A rate for the summary line: two decimals, or two significant digits
/// below 1 (`0.0046`, not `0.00`).
fn rate(v: f64) -> String {
    if v > 0.0 && v < 1.0 {
        let decimals = (-v.log10()).ceil() as usize + 1;
        format!("{v:.decimals$}")
    } else {
        format!("{v:.2}")
    }
}

/// For a corpus without `date`: a hint naming a field that looks like
/// one (`Date`, `published`, `created_at`), to be read with
/// `--date-field`; empty when none does.
pub fn date_field_hint(columns: &[String], to: &str) -> String {
    let looks = |c: &str| {
        let c = c.to_ascii_lowercase();
        c.contains("date")
            || c.contains("time")
            || ["published", "created_at", "posted", "when"].contains(&c.as_str())
    };
    match columns.iter().find(|c| looks(c)) {
        Some(c) => format!(" (or, if {c} holds the dates, --date-field {c} {to})"),
        None => String::new(),
    }
}

fn comparisons(an: &CorpusAnalysis, by: Option<&str>) -> Result<Comparisons, Error> {
    let docs = &an.docs;
    let mut note = None;
    let field = match by {
        Some(f) => Some(f.to_string()),
        None if docs.len() > MAX_DOC_COMPARISONS => {
            let has_year =
                |d: &crate::analyze::Doc<'_>| d.meta().field_ref(d.id(), "year").is_some();
            let undated = docs.iter().filter(|d| !has_year(d)).count();
            let years = undated == 0;
            note = Some(if years {
                format!(
                    "{} documents: keyness.csv, frame_compare.csv and similarity.csv \
                     compare years rather than documents (choose with --by FIELD)",
                    docs.len()
                )
            } else if undated < docs.len() || docs.iter().any(|d| d.meta().value("date").is_some())
            {
                // Years would be compared but for some documents' dates
                // (missing, or in a form not read): say which.
                let first = docs.iter().find(|d| !has_year(d));
                let id = first.map_or("", |d| d.id());
                let date = first.and_then(|d| d.meta().value("date").map(str::to_string));
                let why = match date {
                    Some(date) => format!("the first: {id:?}, dated {date:?}"),
                    None => format!("the first: {id:?}"),
                };
                format!(
                    "{} documents: keyness.csv, frame_compare.csv and similarity.csv \
                     are left empty rather than comparing every document, and not by \
                     year: {undated} of them {} no date framescope reads ({}; {why}); \
                     fix {}, or give --by FIELD to compare groups",
                    docs.len(),
                    if undated == 1 { "has" } else { "have" },
                    crate::corpus::Date::FORMS,
                    if undated == 1 {
                        "its date"
                    } else {
                        "their dates"
                    }
                )
            } else {
                format!(
                    "{} documents: keyness.csv, frame_compare.csv and similarity.csv \
                     are left empty rather than comparing every document; give \
                     --by FIELD to compare groups{}",
                    docs.len(),
                    date_field_hint(&an.columns, "to compare years")
                )
            });
            years.then(|| "year".to_string())
        }
        None => None,
    };
    if by.is_none() && field.is_none() && docs.len() > MAX_DOC_COMPARISONS {
        return Ok(Comparisons {
            by: "none".to_string(),
            groups: Vec::new(),
            units: Vec::new(),
            note,
        });
    }
    let units = units(docs, field.as_deref())?;
    if units.len() > MAX_GROUP_COMPARISONS {
        return Err(Error::invalid(format!(
            "--by {} gives {} groups; run compares each with the rest of the corpus, \
             so choose a field with at most {MAX_GROUP_COMPARISONS} values (or use \
             `framescope compare` for one group)",
            field.as_deref().unwrap_or("doc"),
            units.len()
        )));
    }
    let mut groups = Vec::new();
    let mut left_out = Vec::new();
    let total: u64 = docs.iter().map(|d| d.n_tokens()).sum();
    for ((name, members), g) in units
        .iter()
        .zip(Groups::each_unit_vs_rest(&units, docs.len()))
    {
        let t: u64 = members.iter().map(|&m| docs.doc(m).n_tokens()).sum();
        if t == 0 || t == total {
            left_out.push(name.clone());
        } else {
            groups.push((name.clone(), g));
        }
    }
    if !left_out.is_empty() {
        let why = format!(
            "left out of keyness.csv and frame_compare.csv (no tokens in the \
             target or in the rest): {}",
            left_out.join(", ")
        );
        note = Some(match note {
            Some(n) => format!("{n}; {why}"),
            None => why,
        });
    }
    Ok(Comparisons {
        by: field.unwrap_or_else(|| "doc".to_string()),
        groups,
        units,
        note,
    })
}

/// The index of doc_terms.csv's table in the plan.
const DOC_TERMS_TABLE: usize = 1;

/// Write keyness.csv: every comparison's table in turn, made from
/// `counts` a few at a time (in parallel), each written as soon as it is
/// made. Returns, for the first [`MAX_TARGET_CHARTS`] comparisons, the
/// rows the chart and the report show: the first and the last
/// `max(20, KEYNESS_ROWS)` rows without stopwords.
fn keyness_csv(
    f: &mut (dyn std::io::Write + Send),
    counts: &KeynessCounts<'_>,
    groups: &[(String, Groups)],
) -> std::io::Result<Shown> {
    let mut head = CsvSink::new(&mut *f);
    rows::keyness_header(true, &mut head);
    head.finish()?;
    let mut shown = Shown::default();
    // Every target's table has a row for nearly every term, and a row's
    // term and DP are what is not the row before's: each term's are made
    // once, as CSV, for all targets (terms no table shows have none).
    let texts = (groups.len() > 1).then(|| RowTexts {
        dps: dp_texts(counts.n_terms(), &|t| counts.dp_of(t)),
        terms: texts_of(counts.n_terms(), &|t, out| {
            if counts.dp_of(t).1 {
                output::csv_term_into(counts.term_at(t), out);
            }
        }),
    });
    let at_once = rayon::current_num_threads().max(1);
    let windows: Vec<Vec<usize>> = (0..groups.len())
        .step_by(at_once)
        .map(|first| (first..groups.len().min(first + at_once)).collect())
        .collect();
    let tables_of = |ks: &[usize]| -> Vec<Vec<crate::stats::KeynessKey>> {
        ks.par_iter().map(|&k| counts.table(k)).collect()
    };
    // The next few targets' tables are made while this window's rows are
    // written: two windows are held at a time.
    let mut pending = windows.first().map(|ks| tables_of(ks));
    for (w, ks) in windows.iter().enumerate() {
        let tables = pending.take().unwrap_or_default();
        let (written, next) = rayon::join(
            || write_window(f, counts, groups, texts.as_ref(), ks, tables, &mut shown),
            || windows.get(w + 1).map(|ks| tables_of(ks)),
        );
        written?;
        pending = next;
    }
    Ok(shown)
}

/// Each term's DP and text as keyness.csv writes them, made once for
/// every target's rows.
struct RowTexts {
    dps: Texts,
    terms: Texts,
}

/// A keyness row's nine cells from `n_target` to `z_logodds` as CSV, and
/// the values they were made from: rows by G² repeat the row before's
/// (every term of the same two counts), whose text is then reused.
#[derive(Default)]
struct MiddleCells {
    values: Option<[u64; 9]>,
    text: String,
}

impl MiddleCells {
    /// The cells of `r`, made unless they are the last row's.
    fn of(&mut self, r: &KeynessRow) -> &str {
        let floats = [
            r.per_1k_target,
            r.per_1k_reference,
            r.g2,
            r.p_value,
            r.p_adjusted,
            r.log_ratio,
            r.z_logodds,
        ];
        let mut values = [r.n_target, r.n_reference, 0, 0, 0, 0, 0, 0, 0];
        for (v, f) in values[2..].iter_mut().zip(floats) {
            *v = f.to_bits();
        }
        if self.values != Some(values) {
            self.values = Some(values);
            self.text.clear();
            self.text.push_str(itoa::Buffer::new().format(r.n_target));
            self.text.push(',');
            self.text
                .push_str(itoa::Buffer::new().format(r.n_reference));
            for f in floats {
                self.text.push(',');
                output::float_into(f, &mut self.text);
            }
        }
        &self.text
    }
}

/// Fields of a keyness.csv row.
const KEYNESS_FIELDS: usize = 12;

/// Row `r` of keyness.csv as CSV, without its line end, into `line`:
/// its target and term as CSV fields, its DP's text (empty for none),
/// the cells between made by `middle`. The bytes of
/// [`rows::keyness_row_with_dp`] through a [`CsvSink`].
fn keyness_line(
    line: &mut String,
    middle: &mut MiddleCells,
    target_field: &str,
    term_field: &str,
    r: &KeynessRow,
    dp_text: &str,
) {
    line.clear();
    line.push_str(target_field);
    line.push(',');
    line.push_str(term_field);
    line.push(',');
    line.push_str(middle.of(r));
    line.push(',');
    line.push_str(dp_text);
}

thread_local! {
    /// A formatting thread's last middle cells and the row it makes.
    static KEYNESS_ROW: std::cell::RefCell<(MiddleCells, String)> = Default::default();
}

/// Write the keyness rows of targets `ks` from their `tables`, and keep
/// the rows each of the first [`MAX_TARGET_CHARTS`] targets shows.
fn write_window(
    f: &mut (dyn std::io::Write + Send),
    counts: &KeynessCounts<'_>,
    groups: &[(String, Groups)],
    texts: Option<&RowTexts>,
    ks: &[usize],
    tables: Vec<Vec<crate::stats::KeynessKey>>,
    shown: &mut Shown,
) -> std::io::Result<()> {
    let dp_texts = texts.map(|t| &t.dps);
    for (&k, table) in ks.iter().zip(tables) {
        let name = groups[k].0.as_str();
        let mut name_field = String::new();
        output::csv_field_into(name, &mut name_field);
        output::par_rows(f, table.len(), &|i, s| {
            // Each row's term is asked for 16 rows early, its text 8.
            if let Some(ahead) = table.get(i + 16) {
                counts.prefetch_term(ahead);
                if let Some(texts) = texts {
                    texts.dps.prefetch_start(ahead.term);
                    texts.terms.prefetch_start(ahead.term);
                }
            }
            if let Some(ahead) = table.get(i + 8) {
                if let Some(texts) = texts {
                    texts.dps.prefetch_text(ahead.term);
                    texts.terms.prefetch_text(ahead.term);
                } else {
                    counts.prefetch_text(ahead);
                }
            }
            let r = &table[i];
            let row = counts.row_with(k, r, false);
            // With every term's text made before, the row is made as
            // bytes: its target, its term, the middle cells (most often
            // the row before's) and its DP, as a CsvSink writes them.
            let made = texts.is_some_and(|texts| {
                KEYNESS_ROW.with(|cell| {
                    let (middle, line) = &mut *cell.borrow_mut();
                    let dp = if row.dp.is_some() {
                        texts.dps.get(r.term)
                    } else {
                        ""
                    };
                    keyness_line(line, middle, &name_field, texts.terms.get(r.term), &row, dp);
                    s.csv_record(line.as_bytes(), KEYNESS_FIELDS)
                })
            });
            if !made {
                let dp = match (row.dp, dp_texts) {
                    (Some(v), Some(texts)) => CellRef::Formatted(v, texts.get(r.term)),
                    _ => row.dp.into(),
                };
                rows::keyness_row_with_dp(name, counts.term(r), &row, dp, true, s);
            }
            Ok(())
        })?;
        if k < MAX_TARGET_CHARTS {
            let stopword = |i: &usize| counts.is_stopword(&table[*i]);
            let keep = 20.max(report::KEYNESS_ROWS);
            let front: Vec<usize> = (0..table.len())
                .filter(|i| !stopword(i))
                .take(keep)
                .collect();
            let mut back: Vec<usize> = (0..table.len())
                .rev()
                .filter(|i| !stopword(i))
                .take_while(|i| front.last().is_none_or(|f| i > f))
                .take(keep)
                .collect();
            back.reverse();
            shown.rows.push(
                front
                    .iter()
                    .chain(&back)
                    .map(|&i| counts.row(k, &table[i]))
                    .collect(),
            );
        }
        if k < chart::MAX_PANELS {
            shown.terms.push(top_terms(counts, k, name));
        }
    }
    Ok(())
}

/// What the charts and the report show of keyness.csv, kept as it is
/// written.
#[derive(Default)]
struct Shown {
    /// Per target (the first [`MAX_TARGET_CHARTS`]): its first and last
    /// rows without stopwords.
    rows: Vec<Vec<KeynessRow>>,
    /// Per target (the first [`chart::MAX_PANELS`]): its most frequent
    /// content words, for the terms chart of groups.
    terms: Vec<crate::stats::GroupFrequency>,
}

/// Target `k`'s (`name`'s) most frequent words that are not stopwords,
/// ranked as `freq --by FIELD --drop-stopwords --top N` ranks them
/// ([`crate::stats::top_rows`]), from its counts.
fn top_terms(counts: &KeynessCounts<'_>, k: usize, name: &str) -> crate::stats::GroupFrequency {
    let n = counts.target_counts(k);
    let content = n
        .iter()
        .enumerate()
        .filter(|&(t, &n)| n > 0 && !counts.is_stopword_at(t))
        .map(|(t, &n)| (counts.term_at(t), n));
    crate::stats::top_rows(name, 0, content, chart_cli::TERMS_PER_DOC)
}

/// Terms formatted together, on one thread, by [`texts_of`].
const DP_BLOCK: usize = 1 << 13;

/// Each term's DP as CSV text ([`output::float_into`]), made once in
/// parallel for terms `0..n`: `dp_of(t)` gives term t's DP and whether a
/// table can show it ([`KeynessCounts::dp_of`]); a term no table shows
/// has an empty text.
fn dp_texts(n: usize, dp_of: &(dyn Fn(usize) -> (Option<f64>, bool) + Sync)) -> Texts {
    texts_of(n, &|t, bytes| {
        if let (Some(dp), true) = dp_of(t) {
            output::float_into(dp, bytes);
        }
    })
}

/// The texts `write(t, text)` makes for terms `0..n`, in parallel.
fn texts_of(n: usize, write: &(dyn Fn(usize, &mut String) + Sync)) -> Texts {
    let blocks: Vec<Texts> = (0..n.div_ceil(DP_BLOCK))
        .into_par_iter()
        .map(|b| {
            let mut texts = Texts::default();
            for t in b * DP_BLOCK..((b + 1) * DP_BLOCK).min(n) {
                texts.push_with(|bytes| write(t, bytes));
            }
            texts
        })
        .collect();
    let mut texts = Texts::with_capacity(n, blocks.iter().map(Texts::text_bytes).sum());
    for block in &blocks {
        texts.append(block);
    }
    texts
}

fn ngram_spec(n: usize) -> TableSpec {
    TableSpec {
        n,
        unit: Unit::Norm,
        drop_stopwords: true,
        by: By::Corpus,
        min_count: 2,
        top: None,
        keyed: true,
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The charts an earlier run wrote into `out` (names in `out/charts`),
/// as its run.json lists them; none without a readable run.json.
fn earlier_charts(out: &Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(out.join("run.json")) else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Vec::new();
    };
    json.get("files")
        .and_then(|f| f.as_array())
        .map(|files| {
            files
                .iter()
                .filter_map(|f| f.as_str()?.strip_prefix("charts/"))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Refuse an output folder inside a folder corpus: results would be read
/// back as documents next time.
pub(crate) fn check_out_dir(out: &Path, corpus: &Path) -> Result<(), Error> {
    if !corpus.is_dir() {
        return Ok(());
    }
    let Ok(corpus) = std::fs::canonicalize(corpus) else {
        return Ok(());
    };
    // The output folder may not exist yet: resolve its nearest existing
    // ancestor and keep the rest as written.
    let abs = std::env::current_dir()
        .map(|d| d.join(out))
        .unwrap_or_else(|_| out.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(p), Some(n)) => {
                rest.push(n.to_os_string());
                existing = p;
            }
            _ => return Ok(()),
        }
    }
    let Ok(mut resolved) = std::fs::canonicalize(existing) else {
        return Ok(());
    };
    for n in rest.into_iter().rev() {
        resolved.push(n);
    }
    if resolved.starts_with(&corpus) {
        return Err(Error::file(
            out,
            format!(
                "the output folder is inside the corpus folder {}; choose \
                 another --out so results are never read back as documents",
                corpus.display()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each term's text is its DP's CSV text, over several blocks, and
    /// empty for a term without a DP or that no table shows.
    #[test]
    fn dp_texts_are_each_terms_own() {
        let mut next = crate::testing::xorshift(0xD0);
        let n = 3 * DP_BLOCK + 5;
        let terms: Vec<(Option<f64>, bool)> = (0..n)
            .map(|_| {
                let r = next();
                let dp = match r % 5 {
                    0 => None,
                    1 => Some(0.0),
                    2 => Some(1.0),
                    _ => Some((r >> 11) as f64 / (1u64 << 53) as f64),
                };
                (dp, r % 7 != 0)
            })
            .collect();
        let texts = dp_texts(n, &|t| terms[t]);
        for (t, &(dp, shown)) in terms.iter().enumerate() {
            let want = match (dp, shown) {
                (Some(v), true) => output::float_text(v),
                _ => String::new(),
            };
            assert_eq!(texts.get(t as u32), want, "term {t}");
        }
        assert_eq!(dp_texts(0, &|_| unreachable!()).len(), 0);
    }

    /// A keyness row made as bytes is the row a CsvSink writes from its
    /// cells: targets and terms that need quotes or a formula's escape,
    /// rows that repeat the row before's middle cells, rows that differ
    /// from it in one of them only, floats of every kind, no DP.
    #[test]
    fn keyness_lines_are_the_rows_a_csv_sink_writes() {
        let mut next = crate::testing::xorshift(0x4B);
        let names = ["2019", "=g", "a,b", "say \"q\"", "-1", ""];
        let terms = ["win-win", "1,000", "+3", "@user", "x\"y", "naïve"];
        let floats = [
            0.0,
            -0.0,
            1.0,
            0.1,
            1e-300,
            2.5e17,
            f64::NAN,
            f64::INFINITY,
            -3.75,
        ];
        let mut row = KeynessRow {
            term: String::new(),
            n_target: 3,
            n_reference: 40,
            per_1k_target: 0.5,
            per_1k_reference: 0.25,
            g2: 1.5,
            p_value: 0.2,
            p_adjusted: 0.4,
            log_ratio: 1.0,
            z_logodds: 0.75,
            dp: Some(0.5),
        };
        let (mut middle, mut line) = (MiddleCells::default(), String::new());
        let (mut want, mut got) = (
            CsvSink::appending(Vec::new()),
            CsvSink::appending(Vec::new()),
        );
        for i in 0..2000 {
            let r = next();
            // Mostly the row before's values; else one or all of them new.
            match r % 4 {
                0 => {
                    row.n_target = r >> 40;
                    row.per_1k_target = floats[(r >> 8) as usize % floats.len()];
                    row.p_adjusted = (r >> 12) as f64 / 7.0;
                    row.z_logodds = -row.per_1k_target;
                }
                1 => match (r >> 4) % 9 {
                    0 => row.n_target += 1,
                    1 => row.n_reference += 1,
                    2 => row.per_1k_target = (r >> 20) as f64 / 3.0,
                    3 => row.per_1k_reference = (r >> 20) as f64 / 9.0,
                    4 => row.g2 = floats[(r >> 8) as usize % floats.len()],
                    5 => row.p_value = (r >> 30) as f64 * 1e-5,
                    6 => row.p_adjusted = (r >> 30) as f64 * 1e-3,
                    7 => row.log_ratio = -((r >> 30) as f64),
                    _ => row.z_logodds = (r >> 30) as f64 / 11.0,
                },
                _ => {}
            }
            row.dp = (r % 5 != 0).then(|| (r >> 33) as f64 / 1e3);
            let (name, term) = (
                names[i % names.len()],
                terms[(r >> 50) as usize % terms.len()],
            );
            rows::keyness_row_with_dp(name, term, &row, row.dp.into(), true, &mut want);
            let (mut name_field, mut term_field) = (String::new(), String::new());
            output::csv_field_into(name, &mut name_field);
            output::csv_term_into(term, &mut term_field);
            let dp = row.dp.map(output::float_text).unwrap_or_default();
            keyness_line(&mut line, &mut middle, &name_field, &term_field, &row, &dp);
            assert!(got.csv_record(line.as_bytes(), KEYNESS_FIELDS));
        }
        let (want, got) = (want.into_bytes().unwrap(), got.into_bytes().unwrap());
        assert_eq!(
            String::from_utf8(got).unwrap(),
            String::from_utf8(want).unwrap()
        );
    }
}
