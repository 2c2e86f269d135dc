//! Charts and the report: every kind renders to SVG and PNG on the default
//! corpus and on edge cases; the SVG is XML holding the expected labels,
//! the PNG decodes and is not blank; corpus text is escaped.

use std::path::Path;
use std::sync::Arc;

use framescope::analyze::{analyze, By, CorpusAnalysis, Plan, Unit};
use framescope::chart::{self, Chart};
use framescope::corpus::{Corpus, ReadOptions};
use framescope::lexicon::{FrameSet, Lexicon, Pattern};
use framescope::stats::{self, Groups, KeynessOptions};

use crate::util::{svg_texts, Dir};

/// The SVG parses as XML and holds every one of `labels` as text; the PNG
/// decodes at the chart's size with more than one colour.
fn check(chart: &Chart, labels: &[&str]) {
    let doc = roxmltree::Document::parse(&chart.svg).expect("SVG is XML");
    let text: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    for l in labels {
        assert!(
            text.iter().any(|t| t.contains(l)),
            "no label {l:?} in {text:?}"
        );
    }
    png_not_blank(&chart.png().expect("PNG"), chart.width, chart.height);
}

fn png_not_blank(bytes: &[u8], width: u32, height: u32) {
    let dec = png::Decoder::new(bytes);
    let mut reader = dec.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG data");
    assert_eq!((info.width, info.height), (width, height));
    let px = info.color_type.samples();
    let first = &buf[..px];
    let distinct = buf[..info.buffer_size()]
        .chunks(px)
        .filter(|p| *p != first)
        .count();
    assert!(
        distinct > 1000,
        "the PNG is (nearly) blank: {distinct} pixels differ"
    );
}

/// A `.jsonl` corpus of `n` documents: document `i` has the id `id(i)`
/// and the text `text(i)` (which needs no JSON escape).
fn jsonl_of(
    n: usize,
    id: impl Fn(usize) -> String,
    text: impl Fn(usize) -> &'static str,
) -> String {
    (0..n)
        .map(|i| format!("{{\"id\":\"{}\",\"text\":\"{}\"}}\n", id(i), text(i)))
        .collect()
}

fn analyzed(path: &Path, frames: &Arc<FrameSet>) -> CorpusAnalysis {
    let corpus = Corpus::open(path, &ReadOptions::default()).unwrap();
    let plan = Plan {
        frames: Some(frames.clone()),
        keep_hits: true,
        postings: Some(Unit::Norm),
        tables: vec![framescope::analyze::TableSpec {
            drop_stopwords: true,
            top: Some(10),
            ..Default::default()
        }],
        ..Plan::default()
    };
    analyze(&corpus, &plan, &|_, _| {}).unwrap()
}

fn default_frames() -> Arc<FrameSet> {
    Arc::new(FrameSet::new(vec![Lexicon::builtin()]))
}

/// Every kind from the library on `an`, with the labels each must show.
fn every_kind(an: &CorpusAnalysis, frames: &FrameSet, labels: &[&str]) {
    let scores = stats::frame_scores(&an.docs, frames, &By::Doc).unwrap();
    check(&chart::frames(&scores, frames, "documents"), labels);
    check(&chart::frames_heatmap(&scores, frames, "documents"), labels);
    let docs: Vec<(String, u64)> = an
        .docs
        .iter()
        .map(|d| (d.id().to_string(), d.n_tokens()))
        .collect();
    let hits: Vec<(usize, u32, usize)> = an
        .hits
        .iter()
        .map(|h| (h.doc, h.token_start, h.frame as usize))
        .collect();
    let series: Vec<String> = (0..frames.len())
        .map(|i| frames.get(i).1.label.clone())
        .collect();
    check(&chart::dispersion(&docs, &hits, &series), &[]);
    check(&chart::terms(&an.tables[0], 10, "documents"), &[]);
    let points: Vec<(String, f64, Vec<Option<f64>>)> = an
        .docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let rates = d
                .frames()
                .iter()
                .map(|c| stats::per_1k(c.hits, d.n_tokens()))
                .collect();
            (d.id().to_string(), 2018.0 + i as f64 * 0.37, rates)
        })
        .collect();
    check(&chart::timeline(&points, frames), &[]);
    let units = stats::units(&an.docs, None).unwrap();
    let names: Vec<String> = units.iter().map(|(n, _)| n.clone()).collect();
    let sim = stats::similarity(
        &an.docs,
        an.postings.as_ref().unwrap(),
        frames.len(),
        &units,
    );
    check(&chart::similarity(&sim, &names), &[]);
    if an.docs.len() > 1 {
        let groups = Groups::one_vs_rest(&an.docs, 0);
        let opts = KeynessOptions {
            drop_stopwords: true,
            ..Default::default()
        };
        let k = stats::keyness(an.postings.as_ref().unwrap(), &an.docs, &groups, &opts);
        check(
            &chart::keyness(&k, &groups.target, "rest"),
            &[&groups.target],
        );
        let fc = stats::frame_compare(&an.docs, frames, &groups);
        check(
            &chart::frame_compare(&fc, frames, &groups.target, "rest"),
            &[],
        );
    }
}

#[test]
fn every_chart_of_the_default_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let frames = default_frames();
    let an = analyzed(&root.join("corpus"), &frames);
    every_kind(&an, &frames, &["cui-2018", "Win-win"]);
}

/// Keyness with every term's DP made beforehand (as `run` does, for
/// terms.csv too) is keyness computing DP itself; and those DPs are the
/// DP of each posting list.
#[test]
fn keyness_with_dispersions_made_first_is_the_same() {
    // More terms than keyness reads in one block (16,384): four documents
    // of words of their own and words they share, unevenly.
    let dir = Dir::new();
    let mut jsonl = String::new();
    for d in 0..4 {
        // Each own word three times: keyness keeps terms seen 3 times.
        let mut words: Vec<String> = (0..18000).map(|k| format!("w{d}x{}", k % 6000)).collect();
        for k in 0..500 * (d + 1) {
            words.push(format!("shared{}", k % 700));
        }
        jsonl.push_str(&format!(
            "{{\"id\":\"d{d}\",\"text\":\"{}\"}}\n",
            words.join(" ")
        ));
    }
    let path = dir.create("c.jsonl", jsonl);
    let an = analyzed(&path, &default_frames());
    let postings = an.postings.as_ref().unwrap();
    assert!(postings.terms.len() > 1 << 14);
    let disp = stats::Dispersion::new(&an.docs);
    let dps = disp.dp_all(postings);
    assert_eq!(dps.len(), postings.terms.len());
    for (p, dp) in postings.terms.iter().zip(&dps) {
        assert_eq!(*dp, disp.dp(p.docs.iter()), "{}", p.term);
    }
    assert!(dps.iter().flatten().count() > 1 << 14);
    let groups: Vec<Groups> = (0..an.docs.len())
        .map(|i| Groups::one_vs_rest(&an.docs, i))
        .collect();
    let all: Vec<&Groups> = groups.iter().collect();
    let opts = KeynessOptions::default();
    let plain = stats::keyness_all(postings, &an.docs, &all, &opts);
    let made = stats::keyness_all_dp(postings, &an.docs, &all, &opts, Some(&dps));
    assert!(plain.iter().map(Vec::len).sum::<usize>() > 4 * (1 << 14));
    assert!(plain == made);
}

#[test]
fn charts_of_one_document_and_of_a_frame_without_hits() {
    let dir = Dir::new();
    dir.create(
        "one.jsonl",
        "{\"id\":\"solo\",\"text\":\"Win-win cooperation is our goal. Win-win again.\"}\n",
    );
    let mut lex = Lexicon::builtin();
    lex.frames.truncate(2);
    lex.frames[1].label = "Never seen".to_string();
    let frames = Arc::new(FrameSet::new(vec![lex]));
    let an = analyzed(&dir.join("one.jsonl"), &frames);
    assert_eq!(an.docs.doc(0).frames()[1].hits, 0);
    every_kind(&an, &frames, &["solo", "Never seen"]);
    // One document: nothing to compare, and the charts say so.
    let sim = chart::similarity(&[], &["solo".to_string()]);
    check(&sim, &["Similarity needs at least two documents."]);
    let k = chart::keyness(&[], "a", "b");
    check(&k, &["No term differs"]);
}

#[test]
fn charts_of_200_documents_and_a_120_character_label() {
    let dir = Dir::new();
    let jsonl = jsonl_of(
        200,
        |i| format!("document-{i:03}"),
        |i| {
            if i % 3 == 0 {
                "We oppose external interference and seek win-win cooperation."
            } else {
                "Trade grew. Mutual benefit and shared development for all."
            }
        },
    );
    dir.create("many.jsonl", jsonl);
    let long = "A frame label that goes on and on, far longer than any chart has room for, to see that it is shortened, never overlapping";
    assert!(long.chars().count() >= 120);
    let mut lex = Lexicon::builtin();
    lex.frames[0].label = long.to_string();
    let frames = Arc::new(FrameSet::new(vec![lex]));
    let an = analyzed(&dir.join("many.jsonl"), &frames);
    every_kind(&an, &frames, &["document-000", "A frame label that"]);
    // Only the first 100 documents are drawn, and the chart says so.
    let sc = stats::frame_scores(&an.docs, &frames, &By::Doc).unwrap();
    let svg = chart::frames(&sc, &frames, "documents").svg;
    assert!(svg.contains("document-000") && !svg.contains("document-1"));
    assert!(svg.contains("the first 100 of 200 documents or groups"));
    // The long label is shortened, not drawn whole.
    let scores = stats::frame_scores(&an.docs, &frames, &By::Doc).unwrap();
    assert!(!chart::frames(&scores, &frames, "documents")
        .svg
        .contains(long));
}

#[test]
fn run_draws_many_undated_documents_as_the_chart_of_all_of_them() {
    // 250 undated documents: run draws its frame charts by document and
    // scores only the 100 it shows, taking the count and the top of the
    // heatmap's scale from all 250 (the densest document is the last).
    let dir = Dir::new();
    let mut jsonl = String::new();
    for i in 0..250 {
        let text = if i == 249 {
            "External interference. External interference, again.".to_string()
        } else {
            format!(
                "Document {i} talks of trade and roads.{}",
                " We oppose external interference.".repeat(i % 4)
            )
        };
        jsonl.push_str(&format!("{{\"id\":\"d{i:03}\",\"text\":\"{text}\"}}\n"));
    }
    dir.create("undated.jsonl", jsonl);
    dir.stdout(&["run", "-q", "--corpus", "undated.jsonl", "--out", "o"]);
    let frames = default_frames();
    let an = analyzed(&dir.join("undated.jsonl"), &frames);
    let all = stats::frame_scores(&an.docs, &frames, &By::Doc).unwrap();
    assert_eq!(all.len(), 250 * frames.len());
    let heat = chart::frames_heatmap(&all, &frames, "documents").svg;
    assert!(heat.contains("the first 100 of 250 documents or groups"));
    crate::eqnice!(dir.read("o/charts/frames-heatmap.svg"), heat);
    crate::eqnice!(
        dir.read("o/charts/frames.svg"),
        chart::frames(&all, &frames, "documents").svg
    );
}

#[test]
fn empty_inputs_give_a_chart_that_says_so() {
    let frames = default_frames();
    check(
        &chart::frames(&[], &frames, "documents"),
        &["No frames or no documents to show."],
    );
    check(
        &chart::frames_heatmap(&[], &frames, "documents"),
        &["No frames or no documents to show."],
    );
    check(&chart::dispersion(&[], &[], &[]), &["No documents."]);
    check(&chart::terms(&[], 10, "documents"), &["No terms to show."]);
    check(&chart::timeline(&[], &frames), &["No dated documents."]);
    check(
        &chart::frame_compare(&[], &frames, "a", "b"),
        &["No frames to compare."],
    );
}

#[test]
fn chart_command_writes_svg_and_png_of_every_kind() {
    let dir = Dir::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("corpus");
    let corpus = corpus.to_str().unwrap();
    for kind in [
        "frames",
        "frames-heatmap",
        "dispersion",
        "timeline",
        "terms",
        "similarity",
        "keyness",
        "frame-compare",
    ] {
        let mut args = vec!["chart", kind, "-q", "--corpus", corpus, "--out", "c"];
        if kind == "keyness" || kind == "frame-compare" {
            args.extend(["--by", "voice", "--target", "academic"]);
        }
        dir.stdout(&args);
        let svg = dir.read(&format!("c/{kind}.svg"));
        roxmltree::Document::parse(&svg).expect("SVG is XML");
        let png = std::fs::read(dir.join(&format!("c/{kind}.png"))).unwrap();
        png_not_blank(&png, 1600, 1000);
    }
}

#[test]
fn charts_are_the_same_bytes_every_time() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let frames = default_frames();
    let an = analyzed(&root.join("corpus"), &frames);
    let scores = stats::frame_scores(&an.docs, &frames, &By::Doc).unwrap();
    let a = chart::frames(&scores, &frames, "documents");
    let b = chart::frames(&scores, &frames, "documents");
    assert_eq!(a.svg, b.svg);
    assert_eq!(a.png().unwrap(), b.png().unwrap());
}

#[test]
fn report_escapes_corpus_manifest_and_lexicon_text() {
    let dir = Dir::new();
    dir.create(
        "corpus/manifest.csv",
        "file,id,title\na.txt,a,\"\"\"><img src=x onerror=alert(1)>\"\nb.txt,b,<b>bold</b>\n",
    );
    dir.create(
        "corpus/a.txt",
        "<script>alert('x')</script> We seek win-win cooperation. \"><img onerror=alert(2)>",
    );
    dir.create(
        "corpus/b.txt",
        "Win-win cooperation and <i>mutual benefit</i> for all.",
    );
    dir.create(
        "t.toml",
        "name = \"t\"\nversion = \"1\"\ndescription = \"<script>lex</script>\"\n\n\
         [[frame]]\nid = \"ww\"\nlabel = \"<script>label</script>\"\n\
         description = \"<img onerror=x>\"\npatterns = [\"win-win\", \"mutual benefit\"]\n",
    );
    dir.stdout(&["run", "-q", "--lexicon", "t.toml", "--out", "o"]);
    let html = dir.read("o/report.html");
    for bad in ["<script", "<img", "<b>", "<i>"] {
        assert!(!html.contains(bad), "unescaped {bad:?} in the report");
    }
    // Hit contexts start at a token: "alert('x')</script> We seek".
    assert!(html.contains("alert(&#39;x&#39;)&lt;/script&gt; We seek"));
    assert!(html.contains("&lt;script&gt;label&lt;/script&gt;"));
    assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // Every chart is inline; the font is declared; nothing is fetched.
    assert!(html.contains("@font-face{font-family:'DejaVu Sans';src:url(data:font/ttf;base64,"));
    assert!(!html.contains("src=\"http"));
    assert!(!html.contains("href=\"http"));
    // The SVG charts escape the label too.
    for f in dir.files("o/charts") {
        if f.ends_with(".svg") {
            let svg = dir.read(&format!("o/charts/{f}"));
            assert!(!svg.contains("<script"), "{f}");
            roxmltree::Document::parse(&svg).expect("SVG is XML");
        }
    }
}

#[test]
fn report_is_the_same_bytes_at_any_thread_count() {
    let dir = Dir::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("corpus");
    let corpus = corpus.to_str().unwrap();
    dir.stdout(&[
        "--threads",
        "1",
        "run",
        "-q",
        "--corpus",
        corpus,
        "--out",
        "a",
    ]);
    dir.stdout(&[
        "--threads",
        "3",
        "run",
        "-q",
        "--corpus",
        corpus,
        "--out",
        "b",
    ]);
    assert!(dir.read("a/report.html") == dir.read("b/report.html"));
    for f in dir.files("a/charts") {
        let (x, y) = (
            std::fs::read(dir.join(&format!("a/charts/{f}"))).unwrap(),
            std::fs::read(dir.join(&format!("b/charts/{f}"))).unwrap(),
        );
        assert!(x == y, "{f} differs");
    }
}

#[test]
fn pattern_labels_survive_in_dispersion() {
    // Ad-hoc series labels (as KWIC patterns would give) are drawn.
    let p = Pattern::parse("win-win").unwrap();
    let c = chart::dispersion(
        &[("d".into(), 10)],
        &[(0, 3, 0)],
        std::slice::from_ref(&p.source),
    );
    check(&c, &["win-win", "d"]);
}

#[test]
fn dispersion_of_ad_hoc_patterns() {
    let dir = Dir::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("corpus");
    let corpus = corpus.to_str().unwrap();
    dir.stdout(&[
        "chart",
        "dispersion",
        "-q",
        "--corpus",
        corpus,
        "--pattern",
        "win-win",
        "--pattern",
        "~interfere",
        "--out",
        "c",
    ]);
    let texts = svg_texts(&dir.read("c/dispersion.svg"));
    assert!(
        texts.iter().any(|t| t == "win-win") && texts.iter().any(|t| t == "~interfere"),
        "{texts:?}"
    );
    let out = dir.fails(&["chart", "frames", "--corpus", corpus, "--pattern", "x"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Given only the rows it draws and the number of documents, the
/// dispersion chart is the one drawn from every document (what `run`
/// does, holding no row for the documents it does not draw).
#[test]
fn dispersion_of_the_rows_shown_is_dispersion_of_all() {
    let n = chart::MAX_ROWS + 57;
    let docs: Vec<(String, u64)> = (0..n)
        .map(|i| (format!("doc-{i}"), 50 + i as u64))
        .collect();
    // Hits in rows shown and in rows beyond them.
    let hits: Vec<(usize, u32, usize)> = (0..n)
        .step_by(3)
        .map(|d| (d, (d % 40) as u32, d % 2))
        .collect();
    let series = vec!["Win-win".to_string(), "Interference".to_string()];
    let all = chart::dispersion(&docs, &hits, &series);
    let shown = chart::dispersion_shown(&docs[..chart::MAX_ROWS], n, &hits, &series);
    assert!(all.svg == shown.svg, "the charts differ");
    assert!(all
        .svg
        .contains(&format!("the first {} of {n} documents", chart::MAX_ROWS)));
    // A corpus that is all shown draws the same either way too.
    let few = &docs[..7];
    assert!(
        chart::dispersion(few, &hits, &series).svg
            == chart::dispersion_shown(few, 7, &hits, &series).svg
    );
}

/// The marks a pass keeps of each drawn document's hits draw the chart
/// every hit draws, byte for byte: documents of 1 to 240,000 tokens,
/// 130,000 hits of three frames; `chart dispersion` (which keeps
/// the marks alone) draws it too, and says nothing of hits left out.
#[test]
fn dispersion_from_marks_is_dispersion_from_every_hit() {
    let dir = Dir::new();
    let n = chart::MAX_ROWS + 20;
    let mut jsonl = String::new();
    for i in 0..n {
        let words = match i {
            3 => 240_000,
            7 => 1,
            _ => 1 + (i * 7919) % 3000,
        };
        let text: Vec<&str> = (0..words)
            .map(|k| match (k * 31 + i) % 7 {
                0 | 3 => "win-win",
                1 => "interference",
                2 if i % 2 == 0 => "sovereignty",
                _ => "and",
            })
            .collect();
        jsonl.push_str(&format!(
            "{{\"id\":\"d{i}\",\"text\":\"{}\"}}\n",
            text.join(" ")
        ));
    }
    dir.create("c.jsonl", jsonl);
    let frames = Arc::new(FrameSet::new(vec![Lexicon::builtin()]));
    let corpus = Corpus::open(&dir.join("c.jsonl"), &ReadOptions::default()).unwrap();
    let plan = Plan {
        frames: Some(frames.clone()),
        keep_hits: true,
        mark_docs: chart::MAX_ROWS,
        mark_frames: chart::MAX_SERIES,
        ..Plan::default()
    };
    let an = analyze(&corpus, &plan, &|_, _| {}).unwrap();
    assert_eq!(an.hits_dropped, 0);
    let docs: Vec<(String, u64)> = an
        .docs
        .iter()
        .take(chart::MAX_ROWS)
        .map(|d| (d.id().to_string(), d.n_tokens()))
        .collect();
    let hits: Vec<(usize, u32, usize)> = an
        .hits
        .iter()
        .map(|h| (h.doc, h.token_start, h.frame as usize))
        .collect();
    assert!(hits.len() > 100_000, "{}", hits.len());
    // The long document's hits are thinned; a short one's are all kept.
    let of = |v: &[(usize, u32, usize)], d: usize| v.iter().filter(|h| h.0 == d).count();
    assert!(of(&an.marks, 3) * 3 < of(&hits, 3), "{}", of(&an.marks, 3));
    assert_eq!(of(&an.marks, 5), of(&hits, 5));
    assert!(an.marks.iter().all(|&(d, _, _)| d < chart::MAX_ROWS));
    let series: Vec<String> = (0..frames.len())
        .map(|i| frames.get(i).1.label.clone())
        .collect();
    let every = chart::dispersion_shown(&docs, n, &hits, &series);
    let marked = chart::dispersion_shown(&docs, n, &an.marks, &series);
    assert!(every.svg == marked.svg, "the charts differ");
    let out = dir
        .cmd(&["chart", "dispersion", "--corpus", "c.jsonl", "--out", "o"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "wrote o/dispersion.svg and o/dispersion.png\n".replace('/', std::path::MAIN_SEPARATOR_STR)
    );
    assert!(
        dir.read("o/dispersion.svg") == every.svg,
        "chart dispersion differs"
    );
}

/// Past one colour a series, the dispersion chart draws the first
/// [`chart::MAX_SERIES`] series and says so: the same chart as of those
/// series alone, but for the note.
#[test]
fn dispersion_draws_one_colour_a_series() {
    let n = chart::MAX_SERIES + 3;
    let docs: Vec<(String, u64)> = (0..5).map(|i| (format!("d{i}"), 100)).collect();
    let series: Vec<String> = (0..n).map(|i| format!("frame {i}")).collect();
    let hits: Vec<(usize, u32, usize)> = (0..5)
        .flat_map(|d| (0..n).map(move |s| (d, (s * 4) as u32, s)))
        .collect();
    let all = chart::dispersion(&docs, &hits, &series);
    let note = format!(
        "the first {} of {n} frames, one colour each",
        chart::MAX_SERIES
    );
    check(
        &all,
        &[
            &note,
            "frame 0",
            &format!("frame {}", chart::MAX_SERIES - 1),
        ],
    );
    assert!(!all.svg.contains(&format!(">frame {}<", chart::MAX_SERIES)));
    let first: Vec<(usize, u32, usize)> = hits
        .iter()
        .copied()
        .filter(|h| h.2 < chart::MAX_SERIES)
        .collect();
    let shown = chart::dispersion(&docs, &first, &series[..chart::MAX_SERIES]);
    // The note's element, taken out.
    let at = all.svg.find(&note).unwrap();
    let start = all.svg[..at].rfind("<text").unwrap();
    let end = at + all.svg[at..].find("</text>\n").unwrap() + "</text>\n".len();
    let without = format!("{}{}", &all.svg[..start], &all.svg[end..]);
    assert!(without == shown.svg, "the charts differ beyond the note");
}

/// The keyness chart draws a bar pale where its row's p_adjusted is 0.05
/// or more: as many strong bars each side as the table's rows under 0.05
/// among the 20 drawn (the table of `compare --drop-stopwords`, the
/// chart's).
#[test]
fn keyness_chart_pales_the_differences_the_test_does_not_support() {
    let dir = Dir::new();
    let root = env!("CARGO_MANIFEST_DIR");
    let corpus = format!("{root}/corpus");
    let args = [
        "--corpus",
        &corpus,
        "--by",
        "voice",
        "--target",
        "government (MFA)",
    ];
    dir.stdout(&[&["chart", "keyness", "-q", "--out", "k"][..], &args].concat());
    let csv = dir.stdout(
        &[
            &["compare", "-q", "--drop-stopwords", "--format", "csv"][..],
            &args,
        ]
        .concat(),
    );
    let rows: Vec<(f64, f64)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[5].parse().unwrap(), f[7].parse().unwrap())
        })
        .collect();
    let strong = |side: &[&(f64, f64)]| side.iter().filter(|r| r.1 < 0.05).count();
    let pos: Vec<&(f64, f64)> = rows.iter().filter(|r| r.0 > 0.0).take(20).collect();
    let neg: Vec<&(f64, f64)> = rows.iter().rev().filter(|r| r.0 < 0.0).take(20).collect();
    let svg = dir.read("k/keyness.svg");
    let bars = |fill: &str| {
        svg.matches(&format!("fill=\"{fill}\" stroke=\"none\"/>"))
            .count()
    };
    // Strong bars in the palette's colours, pale ones mixed with white.
    assert_eq!(bars("#0072B2"), strong(&pos));
    assert_eq!(bars("#99C7E0"), pos.len() - strong(&pos));
    assert_eq!(bars("#D55E00"), strong(&neg));
    assert_eq!(bars("#EEBF99"), neg.len() - strong(&neg));
    assert!(strong(&pos) > 0 && strong(&pos) < pos.len());
}

/// The report defines every column its tables show, but the corpus's
/// own metadata.
#[test]
fn report_defines_its_columns() {
    let dir = Dir::new();
    let corpus = format!("{}/corpus", env!("CARGO_MANIFEST_DIR"));
    dir.stdout(&["run", "-q", "--corpus", &corpus, "--out", "o"]);
    let html = dir.read("o/report.html");
    let cell = |tag: &str| -> std::collections::BTreeSet<String> {
        html.split(&format!("<{tag}"))
            .skip(1)
            .filter(|p| p.starts_with(['>', ' ']))
            .map(|p| p[p.find('>').unwrap() + 1..p.find('<').unwrap()].to_string())
            .collect()
    };
    let defined: std::collections::BTreeSet<String> = cell("dt")
        .iter()
        .flat_map(|d| d.split(", ").map(str::to_string).collect::<Vec<_>>())
        .collect();
    let metadata = ["title", "author", "outlet", "date", "voice"];
    let missing: Vec<String> = cell("th")
        .into_iter()
        .filter(|c| !metadata.contains(&c.as_str()) && !defined.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "columns without a definition: {missing:?}"
    );
}

/// A rate ratio of 0 (no hits in the target) is drawn as a ring at the
/// axis's left edge, labelled: unlabelled it read as 1/256.
#[test]
fn frame_compare_labels_a_ratio_of_zero() {
    let dir = Dir::new();
    let root = env!("CARGO_MANIFEST_DIR");
    let corpus = format!("{root}/corpus");
    dir.stdout(&[
        "chart",
        "frame-compare",
        "-q",
        "--corpus",
        &corpus,
        "--by",
        "id",
        "--target",
        "cui-2018",
        "--out",
        "f",
    ]);
    let svg = dir.read("f/frame-compare.svg");
    assert_eq!(svg.matches("0: no hits in the target").count(), 1);
    assert!(!svg.contains("no hits in the reference"));
}

/// Documents sharing dates (speeches dated by year alone) are pooled by
/// period even when few: drawn one by one they made vertical strokes.
/// Documents each with its own date are still drawn one by one.
#[test]
fn timeline_pools_documents_that_share_a_date() {
    let dir = Dir::new();
    let jsonl: String = (0..12)
        .map(|i| {
            format!(
                "{{\"id\":\"d{i}\",\"year\":\"{}\",\"text\":\"Win-win cooperation, words {i}.\"}}\n",
                2000 + i % 3
            )
        })
        .collect();
    dir.create("c.jsonl", jsonl);
    dir.stdout(&[
        "chart", "timeline", "-q", "--corpus", "c.jsonl", "--out", "c",
    ]);
    let svg = dir.read("c/timeline.svg");
    assert!(svg.contains("documents together (12 dated documents;"));
    // One dot a year and frame.
    assert_eq!(svg.matches("<circle").count(), 3 * 8);
    let distinct: String = (0..3)
        .map(|i| {
            format!(
                "{{\"id\":\"d{i}\",\"year\":\"{}\",\"text\":\"Win-win.\"}}\n",
                2000 + i
            )
        })
        .collect();
    dir.create("d.jsonl", distinct);
    dir.stdout(&[
        "chart", "timeline", "-q", "--corpus", "d.jsonl", "--out", "d",
    ]);
    assert!(dir
        .read("d/timeline.svg")
        .contains("hits per 1,000 tokens of each document"));
}

#[test]
fn timeline_of_many_dated_documents_pools_months() {
    let dir = Dir::new();
    // 401 dated documents in two months and a year-only date: one point
    // a period, its documents' hits and tokens pooled.
    let mut jsonl = String::new();
    let mut dates = Vec::new();
    for i in 0..401 {
        let (date, text) = match i % 4 {
            0 => ("2022-01-05", "Win-win cooperation and win-win results."),
            1 => ("2022-01-20", "Nothing here but sovereignty."),
            2 => ("2022-03-02", "Win-win cooperation."),
            _ => ("2023", "Words, words."),
        };
        dates.push(date);
        jsonl.push_str(&format!(
            "{{\"id\":\"d{i}\",\"date\":\"{date}\",\"text\":\"{text}\"}}\n"
        ));
    }
    dir.create("c.jsonl", jsonl);
    dir.stdout(&[
        "chart", "timeline", "-q", "--corpus", "c.jsonl", "--out", "c",
    ]);
    let svg = dir.read("c/timeline.svg");
    // The expected points from `score`'s per-document rows, pooled here.
    let frames = default_frames();
    let scores = dir.stdout(&["score", "-q", "--corpus", "c.jsonl", "--format", "csv"]);
    let mut periods: std::collections::BTreeMap<(i32, u8), (u64, Vec<u64>)> = Default::default();
    let mut tokens_seen = std::collections::HashSet::new();
    for line in scores.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let doc: usize = f[0][1..].parse().unwrap();
        let frame = (0..frames.len())
            .find(|&k| frames.get(k).1.id == f[2])
            .unwrap();
        let d = dates[doc];
        let key = (
            d[..4].parse().unwrap(),
            if d.len() > 4 {
                d[5..7].parse().unwrap()
            } else {
                0
            },
        );
        let e = periods
            .entry(key)
            .or_insert_with(|| (0, vec![0; frames.len()]));
        if tokens_seen.insert(doc) {
            e.0 += f[3].parse::<u64>().unwrap();
        }
        e.1[frame] += f[4].parse::<u64>().unwrap();
    }
    assert_eq!(periods.len(), 3);
    let points: Vec<(String, f64, Vec<Option<f64>>)> = periods
        .into_iter()
        .map(|((y, m), (tok, hits))| {
            let t = match m {
                1 => y as f64,
                3 => y as f64 + (31.0 + 28.0) / 365.0,
                _ => y as f64,
            };
            let rates = hits
                .iter()
                .map(|&h| Some(1000.0 * h as f64 / tok as f64))
                .collect();
            (format!("{y}-{m:02}"), t, rates)
        })
        .collect();
    let want = chart::timeline_titled(
        &points,
        &frames,
        "hits per 1,000 tokens of each month's documents together (401 dated documents; \
         a year-only date is its year's own point, at the start of the year)",
    );
    assert!(svg == want.svg, "the pooled timeline differs");
    assert_eq!(svg.matches("<circle").count(), 3 * frames.len());
}

/// On a corpus of many documents the report shows the first 1,000 rows of
/// docs.csv and says how many there are; a document without hits keeps
/// no counts, and its rows of frames.csv are zeros all the same.
#[test]
fn report_shows_the_first_documents_and_hitless_documents_score_zero() {
    let dir = Dir::new();
    let lines = jsonl_of(
        1005,
        |i| format!("d{i:04}"),
        |i| {
            if i % 100 == 0 {
                "Win-win cooperation for all."
            } else {
                "The weather was mild today."
            }
        },
    );
    dir.create("c.jsonl", &lines);
    let frames = Arc::new(FrameSet::new(vec![Lexicon::builtin()]));
    let an = analyzed(&dir.join("c.jsonl"), &frames);
    assert!(an.docs.doc(0).frames().iter().any(|f| f.hits > 0));
    assert!(an.docs.doc(1).frames().is_empty());
    dir.stdout(&["run", "-q", "--corpus", "c.jsonl", "--out", "o"]);
    let html = dir.read("o/report.html");
    assert!(html.contains("First 1000 of 1005 rows; all are in the CSV file."));
    assert!(html.contains("<td>d0999</td>"));
    assert!(!html.contains("<td>d1000</td>"));
    // Every frame of the hitless d0001: 5 tokens, no hits, a rate of 0.
    let csv = dir.read("o/frames.csv");
    let rows: Vec<&str> = csv.lines().filter(|l| l.starts_with("d0001,")).collect();
    assert_eq!(rows.len(), frames.len());
    let (lo, hi) = stats::poisson_ci(0);
    for (fi, row) in rows.iter().enumerate() {
        let (lex, frame) = frames.get(fi);
        let ci = |v: f64| framescope::output::float_text(v * 1000.0 / 5.0);
        assert_eq!(
            *row,
            format!(
                "d0001,{},{},5,0,0,0,{},{},0",
                lex.id,
                frame.id,
                ci(lo),
                ci(hi)
            )
        );
    }
}

/// Groups whose frames' cosines all lie above 0.9 are told apart: the
/// similarity chart's colours run from the lowest rounded down to a
/// twentieth (0.90) to 1, as its key and subtitle say; each cell is the
/// colour of its place on that scale. Below 0.5 the scale starts at 0.
#[test]
fn similarity_colours_span_the_cosines_shown() {
    let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let row = |a: &str, b: &str, cos: f64| stats::SimilarityRow {
        a: a.to_string(),
        b: b.to_string(),
        frames_cosine: Some(cos),
        terms_cosine: None,
    };
    let fills = |chart: &Chart| -> Vec<(String, String)> {
        // Each cell's place and fill, in the order drawn.
        let doc = roxmltree::Document::parse(&chart.svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("stroke") == Some("none"))
            .skip(1) // the background
            .filter(|n| n.attribute("height") != Some("18"))
            .map(|n| {
                let at = format!(
                    "{},{}",
                    n.attribute("x").unwrap(),
                    n.attribute("y").unwrap()
                );
                (at, n.attribute("fill").unwrap().to_string())
            })
            .collect()
    };
    let hex = |t: f64| {
        let c = chart::style::sequential(t);
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    };
    let high = chart::similarity(
        &[
            row("a", "b", 0.93),
            row("a", "c", 0.97),
            row("b", "c", 0.99),
        ],
        &names,
    );
    check(
        &high,
        &["colours from 0.90 (lightest) to 1", "0.90", "1.00"],
    );
    let cells: Vec<String> = fills(&high).into_iter().map(|(_, f)| f).collect();
    let on = |v: f64| hex((v - 0.9) / 0.1);
    assert_eq!(
        cells,
        [
            on(1.0),
            on(0.93),
            on(0.97),
            on(0.93),
            on(1.0),
            on(0.99),
            on(0.97),
            on(0.99),
            on(1.0)
        ]
    );
    let low = chart::similarity(
        &[
            row("a", "b", 0.45),
            row("a", "c", 0.97),
            row("b", "c", 0.99),
        ],
        &names,
    );
    let cells: Vec<String> = fills(&low).into_iter().map(|(_, f)| f).collect();
    assert_eq!(
        cells,
        [
            hex(1.0),
            hex(0.45),
            hex(0.97),
            hex(0.45),
            hex(1.0),
            hex(0.99),
            hex(0.97),
            hex(0.99),
            hex(1.0)
        ]
    );
    assert!(!svg_texts(&low.svg)
        .iter()
        .any(|t| t.contains("colours from")));
}

/// Ids and group values holding control characters (a vertical tab from
/// a word processor, an escape) or U+FFFE, which XML refuses: every chart
/// is still drawn, its SVG XML, the character written as the terminal
/// shows it.
#[test]
fn labels_with_control_characters_are_drawn() {
    let dir = Dir::new();
    dir.create(
        "cc.jsonl",
        "{\"id\":\"a\\u000b\",\"g\":\"x\\u001by\",\"text\":\"Win-win cooperation.\"}\n\
         {\"id\":\"b\\ufffe\",\"g\":\"z\",\"text\":\"External interference.\"}\n",
    );
    for (out, by) in [("o1", "id"), ("o2", "g")] {
        dir.stdout(&[
            "run", "-q", "--corpus", "cc.jsonl", "--by", by, "--out", out,
        ]);
        let mut texts = Vec::new();
        for f in dir.files(&format!("{out}/charts")) {
            if f.ends_with(".svg") {
                texts.extend(svg_texts(&dir.read(&format!("{out}/charts/{f}"))));
            }
        }
        let want: &[&str] = if by == "id" {
            &["a\\u{b}", "b\u{fffd}"]
        } else {
            &["x\\u{1b}y"]
        };
        for w in want {
            assert!(texts.iter().any(|t| t.contains(w)), "{out}: no {w:?}");
        }
    }
}
