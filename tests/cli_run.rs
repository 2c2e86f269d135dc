//! `framescope run`.

use crate::eqnice;
use crate::hay;
use crate::util::Dir;

#[test]
fn run_writes_every_table() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let stdout = dir.stdout(&["run", "--out", "o"]);
    assert!(
        stdout.starts_with("framescope: 3 documents, 15 tokens, 10 types"),
        "{stdout}"
    );
    assert!(
        stdout.contains("top terms: cooperation (3), interference (2), win-win (2)"),
        "{stdout}"
    );
    assert_eq!(
        dir.files("o"),
        [
            "charts/dispersion.png",
            "charts/dispersion.svg",
            "charts/frame-compare-a.png",
            "charts/frame-compare-a.svg",
            "charts/frame-compare-b.png",
            "charts/frame-compare-b.svg",
            "charts/frames-heatmap.png",
            "charts/frames-heatmap.svg",
            "charts/frames.png",
            "charts/frames.svg",
            "charts/keyness-a.png",
            "charts/keyness-a.svg",
            "charts/keyness-b.png",
            "charts/keyness-b.svg",
            "charts/similarity.png",
            "charts/similarity.svg",
            "charts/terms.png",
            "charts/terms.svg",
            "charts/timeline.png",
            "charts/timeline.svg",
            "doc_terms.csv",
            "docs.csv",
            "frame_compare.csv",
            "frames.csv",
            "hits.csv",
            "keyness.csv",
            "lexicon_check.csv",
            "ngrams.csv",
            "report.html",
            "run.json",
            "similarity.csv",
            "terms.csv"
        ]
    );
    eqnice!(
        "\
doc_id,title,date,voice,n_tokens,n_types,n_sentences,n_bytes
a,First,2018-10-14,gov,7,5,2,60
b,'=Second,2022,press,8,6,2,69
c,Third,2024-07,gov,0,0,0,0
",
        dir.read("o/docs.csv")
    );
    eqnice!(
        "\
term,n,per_1k,n_docs,stopword,dp
cooperation,3,200,2,false,0.19999999999999998
interference,2,133.33333333333334,1,false,0.4666666666666667
not,2,133.33333333333334,1,true,0.4666666666666667
win-win,2,133.33333333333334,1,false,0.5333333333333333
china,1,66.66666666666667,1,false,0.5333333333333333
external,1,66.66666666666667,1,false,0.4666666666666667
in,1,66.66666666666667,1,true,0.5333333333333333
is,1,66.66666666666667,1,true,0.4666666666666667
role,1,66.66666666666667,1,false,0.5333333333333333
welcome,1,66.66666666666667,1,false,0.4666666666666667
",
        dir.read("o/terms.csv")
    );
    eqnice!(
        "\
doc_id,rank,term,n,per_1k
a,1,cooperation,2,285.7142857142857
a,2,win-win,2,285.7142857142857
a,3,china,1,142.85714285714286
a,4,role,1,142.85714285714286
b,1,interference,2,250
b,2,cooperation,1,125
b,3,external,1,125
b,4,welcome,1,125
",
        dir.read("o/doc_terms.csv")
    );
    eqnice!(
        "n,term,count,per_1k,n_docs\n2,win-win cooperation,2,133.33333333333334,1\n",
        dir.read("o/ngrams.csv")
    );
    let prov: serde_json::Value = serde_json::from_str(&dir.read("o/run.json")).unwrap();
    assert_eq!(prov["command"], "run");
    assert_eq!(prov["corpus"]["n_docs"], 3);
    assert_eq!(prov["corpus"]["n_tokens"], 15);
    assert_eq!(prov["corpus"]["n_sentences"], 4);
    assert_eq!(prov["corpus"]["n_bytes"], 129);
    assert_eq!(prov["corpus"]["format"], "folder+manifest");
    assert_eq!(prov["corpus"]["fingerprint"].as_str().unwrap().len(), 64);
    assert!(prov["elapsed_seconds"].as_f64().unwrap() >= 0.0);
}

#[test]
fn run_quiet_prints_nothing() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    assert_eq!(dir.stdout(&["--quiet", "run", "--out", "o"]), "");
    assert!(dir.join("o/terms.csv").is_file());
}

#[test]
fn run_fingerprint_follows_the_text() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    dir.stdout(&["run", "--out", "o1"]);
    dir.create("corpus/c.txt", "now not empty");
    dir.stdout(&["run", "--out", "o2"]);
    let fp = |p: &str| {
        let v: serde_json::Value = serde_json::from_str(&dir.read(p)).unwrap();
        v["corpus"]["fingerprint"].as_str().unwrap().to_string()
    };
    assert_ne!(fp("o1/run.json"), fp("o2/run.json"));
}

/// A corpus big enough to be split across threads: the default corpus
/// repeated with varied metadata.
fn big_corpus(dir: &Dir) {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut jsonl = String::new();
    let mut i = 0;
    for entry in std::fs::read_dir(format!("{root}/corpus")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "txt") {
            let text = std::fs::read_to_string(&p).unwrap();
            for rep in 0..60 {
                i += 1;
                // Vary the text so every copy counts differently.
                let cut = (rep * 97) % text.len().max(1);
                let cut = (0..=cut).rev().find(|&c| text.is_char_boundary(c)).unwrap();
                let obj = serde_json::json!({
                    "id": format!("d{i}"),
                    "group": format!("g{}", rep % 3),
                    "text": &text[cut..],
                });
                jsonl.push_str(&obj.to_string());
                jsonl.push('\n');
            }
        }
    }
    dir.create("big.jsonl", jsonl);
}

#[test]
fn run_identical_at_any_thread_count() {
    let dir = Dir::new();
    big_corpus(&dir);
    // At 2 threads keyness.csv's three targets come in two windows, the
    // second's tables made while the first's rows are written; at 4, in
    // one.
    for t in ["1", "2", "4"] {
        let out = format!("t{t}");
        dir.stdout(&[
            "--threads",
            t,
            "run",
            "--corpus",
            "big.jsonl",
            "--by",
            "group",
            "--out",
            &out,
        ]);
    }
    for f in [
        "docs.csv",
        "terms.csv",
        "doc_terms.csv",
        "ngrams.csv",
        "hits.csv",
        "frames.csv",
        "keyness.csv",
        "frame_compare.csv",
        "similarity.csv",
    ] {
        let a = dir.read(&format!("t1/{f}"));
        // similarity.csv: three groups, three pairs.
        assert!(a.lines().count() > 3, "{f} is too small to show anything");
        for t in ["2", "4"] {
            let b = dir.read(&format!("t{t}/{f}"));
            assert!(a == b, "{f} differs between 1 and {t} threads");
        }
    }
    // run.json differs only in timing and thread count.
    let strip = |p: &str| {
        let mut v: serde_json::Value = serde_json::from_str(&dir.read(p)).unwrap();
        let o = v.as_object_mut().unwrap();
        for k in ["elapsed_seconds", "mb_per_second", "threads"] {
            assert!(o.remove(k).is_some(), "{k}");
        }
        v
    };
    assert_eq!(strip("t1/run.json"), strip("t4/run.json"));
    for args in [
        ["freq", "--by", "group", "--ngram", "3"],
        ["freq", "--by", "doc", "--unit", "stem"],
    ] {
        let mut one = vec!["--threads", "1"];
        one.extend(args);
        one.extend(["--corpus", "big.jsonl", "--format", "csv"]);
        let mut four = one.clone();
        four[1] = "4";
        assert!(dir.stdout(&one) == dir.stdout(&four), "{args:?}");
    }
}

#[test]
fn run_writes_frames_hits_and_coverage() {
    let dir = Dir::new();
    hay::lexicon_corpus(&dir);
    let stdout = dir.stdout(&["run", "--out", "o", "--lexicon", "t.toml"]);
    assert!(
        stdout.contains("frames: coop 3 (200.00/1k), interference 2 (133.33/1k)\n"),
        "{stdout}"
    );
    let score = dir.stdout(&["score", "--lexicon", "t.toml", "--format", "csv"]);
    eqnice!(score, dir.read("o/frames.csv"));
    eqnice!(
        "\
doc_id,lexicon,frame,pattern,token_start,token_end,byte_start,byte_end,sentence,negated,left,match,right
a,t,coop,win-win cooperation,0,1,0,19,0,false,,Win-win cooperation,China’s role in win-win cooperation
a,t,coop,win-win cooperation,5,6,39,58,1,false,Win-win cooperation. China’s role in,win-win cooperation,
b,t,interference,external interference,0,1,0,21,0,false,,External interference,\"is not welcome. Cooperation, not\"
b,t,coop,~cooperate,5,5,39,50,1,false,External interference is not welcome,Cooperation,not interference
b,t,interference,interfer*,7,7,56,68,1,true,\"is not welcome. Cooperation, not\",interference,
",
        dir.read("o/hits.csv")
    );
    let check = dir.stdout(&["lexicon", "check", "t.toml", "--format", "csv"]);
    eqnice!(check, dir.read("o/lexicon_check.csv"));
    let prov: serde_json::Value = serde_json::from_str(&dir.read("o/run.json")).unwrap();
    let lex = &prov["settings"]["lexicons"][0];
    assert_eq!(lex["id"], "t");
    assert_eq!(lex["path"], "t.toml");
    assert_eq!(lex["n_frames"], 2);
    assert_eq!(lex["n_patterns"], 5);
    assert_eq!(lex["sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn run_hits_window_option() {
    let dir = Dir::new();
    hay::lexicon_corpus(&dir);
    dir.stdout(&["run", "--out", "o", "--lexicon", "t.toml", "--window", "1"]);
    let hits = dir.read("o/hits.csv");
    let second = hits.lines().nth(2).unwrap();
    assert_eq!(
        second,
        "a,t,coop,win-win cooperation,5,6,39,58,1,false,in,win-win cooperation,"
    );
}

#[test]
fn run_caps_hit_lines_per_frame_but_not_counts() {
    let dir = Dir::new();
    hay::lexicon_corpus(&dir);
    let out = dir
        .cmd(&[
            "run",
            "-q",
            "--out",
            "o",
            "--lexicon",
            "t.toml",
            "--max-hits-per-frame",
            "1",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    eqnice!(
        "framescope: hits.csv keeps the first 1 hits of each frame; 3 more are counted \
         in frames.csv but not listed (--max-hits-per-frame)\n\
         framescope: left out of keyness.csv and frame_compare.csv (no tokens in the \
         target or in the rest): c\n",
        String::from_utf8_lossy(&out.stderr)
    );
    // The first hit of each frame in document order.
    eqnice!(
        "\
doc_id,lexicon,frame,pattern,token_start,token_end,byte_start,byte_end,sentence,negated,left,match,right
a,t,coop,win-win cooperation,0,1,0,19,0,false,,Win-win cooperation,China’s role in win-win cooperation
b,t,interference,external interference,0,1,0,21,0,false,,External interference,\"is not welcome. Cooperation, not\"
",
        dir.read("o/hits.csv")
    );
    let score = dir.stdout(&["score", "--lexicon", "t.toml", "--format", "csv"]);
    eqnice!(score, dir.read("o/frames.csv"));
    let prov: serde_json::Value = serde_json::from_str(&dir.read("o/run.json")).unwrap();
    assert_eq!(prov["settings"]["hits_not_listed"], 3);
    // The report counts every hit of a frame (lexicon_check.csv's, by
    // pattern), says how many hits.csv lists, and samples lines from all
    // of them: more than the one listed.
    let mut totals: Vec<(String, u64)> = Vec::new();
    for line in dir.read("o/lexicon_check.csv").lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let n: u64 = cells[3].parse().unwrap();
        match totals.iter_mut().find(|(f, _)| f == cells[1]) {
            Some((_, t)) => *t += n,
            None => totals.push((cells[1].to_string(), n)),
        }
    }
    let report = dir.read("o/report.html");
    let mut lines = 0;
    for (frame, total) in &totals {
        let said = format!(
            "<p>{total} hits (hits.csv lists the first 1: --max-hits-per-frame). \
             Most frequent forms:"
        );
        assert!(report.contains(&said), "{frame}: {said}");
        lines += total.min(&12);
    }
    assert_eq!(totals.iter().map(|t| t.1).sum::<u64>(), 5);
    assert_eq!(report.matches("<tr><td class=\"d\">").count() as u64, lines);
}

/// A document with more hits of a frame than the cap makes rows of the
/// first ones only (its worker counts the rest): hits.csv is the
/// uncapped list's first rows of each frame, in the same order, and
/// every hit is still counted.
#[test]
fn hit_rows_past_the_cap_are_counted_not_made() {
    let dir = Dir::new();
    let big = "Win-win cooperation, and external interference. ".repeat(40);
    dir.create(
        "c.jsonl",
        format!(
            "{{\"id\":\"a\",\"text\":\"{big}\"}}\n{{\"id\":\"b\",\"text\":\"Win-win cooperation.\"}}\n"
        ),
    );
    let run = |cap: &str, out: &str| {
        dir.stdout(&[
            "run",
            "-q",
            "--corpus",
            "c.jsonl",
            "--out",
            out,
            "--max-hits-per-frame",
            cap,
        ]);
        let hits = dir.read(&format!("{out}/hits.csv"));
        let prov: serde_json::Value =
            serde_json::from_str(&dir.read(&format!("{out}/run.json"))).unwrap();
        (hits, prov["settings"]["hits_not_listed"].as_u64().unwrap())
    };
    let (all, none_left) = run("0", "all");
    let (capped, left) = run("7", "capped");
    assert_eq!(none_left, 0);
    let mut per_frame: std::collections::HashMap<String, usize> = Default::default();
    let mut want = String::new();
    let mut total = 0;
    for (i, line) in all.lines().enumerate() {
        let frame = line.split(',').nth(2).unwrap().to_string();
        let n = per_frame.entry(frame).or_default();
        *n += 1;
        total += (i > 0) as u64;
        if i == 0 || *n <= 7 {
            want.push_str(line);
            want.push('\n');
        }
    }
    eqnice!(want, capped);
    assert_eq!(left + capped.lines().count() as u64 - 1, total);
    assert!(left > 60, "{left}");
}

/// With FRAMESCOPE_TIMINGS, the pass says how long a core was idle:
/// never more than the pool's threads for the pass's wall time, and the
/// long batches' share of it never more than all of it.
#[test]
fn run_timings_tell_the_idle_core() {
    let dir = Dir::new();
    big_corpus(&dir);
    // The run's stderr, with or without the variable.
    let stderr_of = |timings: bool| {
        let args = [
            "--threads",
            "2",
            "--quiet",
            "run",
            "--corpus",
            "big.jsonl",
            "--out",
            "o",
        ];
        let mut cmd = dir.cmd(&args);
        if timings {
            cmd.env("FRAMESCOPE_TIMINGS", "1");
        } else {
            cmd.env_remove("FRAMESCOPE_TIMINGS");
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        stderr
    };
    let stderr = stderr_of(true);
    // The binary turns huge pages off first thing (`alloc::tune`), where
    // the OS tells (`THP_enabled` in Linux's /proc/self/status).
    let os_tells = std::fs::read_to_string("/proc/self/status")
        .is_ok_and(|s| s.lines().any(|l| l.starts_with("THP_enabled:")));
    if os_tells && std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        assert!(
            stderr
                .lines()
                .any(|l| l == "timing: (transparent huge pages off)"),
            "{stderr}"
        );
    }
    // "timing: (N batches; a core idle X s in all, Y s of it in the K
    // batches idle over 20 ms and Z s while the last batch's results
    // were taken)"
    let line = stderr
        .lines()
        .find(|l| l.contains("batches; a core idle"))
        .unwrap_or_else(|| panic!("no idle line in {stderr}"));
    let numbers: Vec<f64> = line
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|w| w.parse().ok())
        .collect();
    let [batches, total, in_long, long, ms, tail] = numbers[..] else {
        panic!("{line}")
    };
    let pass: f64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("timing: pass"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no pass line in {stderr}"));
    // 300 documents of up to 4,096 a batch.
    assert_eq!(batches, 1.0, "{line}");
    // Each figure is printed to the millisecond: the sum of two may pass
    // the total by up to 1.5 ms of rounding (0.047 against 0.028 + 0.020
    // in a CI run).
    assert!(
        total + 0.0015 >= in_long + tail && in_long >= 0.0 && tail >= 0.0,
        "{line}"
    );
    assert!(
        total <= 2.0 * pass + 0.002,
        "{line} against a pass of {pass} s"
    );
    assert!(long <= batches, "{line}");
    assert_eq!(ms, 20.0, "{line}");
    // Without the variable, no timing at all.
    let stderr = stderr_of(false);
    assert!(!stderr.contains("timing"), "{stderr}");
}

/// Above 200 documents `run` compares years when every document has a
/// date it reads; when only some have one, it says how many do not and
/// names the first, and leaves the comparisons empty, as with no dates.
#[test]
fn run_compares_years_only_when_every_document_is_dated() {
    let dir = Dir::new();
    let corpus = |undated: &[usize]| -> String {
        (0..210)
            .map(|i| {
                let mut doc = serde_json::json!({
                    "id": format!("d{i}"),
                    "date": format!("{}-06-01", 2020 + i % 2),
                    "text": format!("Win-win cooperation {i}. External interference.{}",
                        " Shared future.".repeat(i % 3)),
                });
                if undated.contains(&i) {
                    doc.as_object_mut().unwrap().remove("date");
                }
                doc.to_string() + "\n"
            })
            .collect()
    };
    let run = |file: &str, out: &str| -> (String, Vec<String>) {
        let got = dir
            .cmd(&["run", "-q", "--corpus", file, "--out", out])
            .output()
            .unwrap();
        assert!(
            got.status.success(),
            "{}",
            String::from_utf8_lossy(&got.stderr)
        );
        let keyness = dir.read(&format!("{out}/keyness.csv"));
        let mut targets: Vec<String> = keyness
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect();
        targets.dedup();
        (String::from_utf8(got.stderr).unwrap(), targets)
    };
    dir.create("dated.jsonl", corpus(&[]));
    assert_eq!(
        run("dated.jsonl", "o1"),
        (
            "framescope: 210 documents: keyness.csv, frame_compare.csv and similarity.csv \
             compare years rather than documents (choose with --by FIELD)\n"
                .to_string(),
            vec!["2020".to_string(), "2021".to_string()]
        )
    );
    dir.create("some.jsonl", corpus(&[7, 9]));
    assert_eq!(
        run("some.jsonl", "o2"),
        (
            "framescope: 210 documents: keyness.csv, frame_compare.csv and similarity.csv \
             are left empty rather than comparing every document, and not by year: 2 of \
             them have no date framescope reads (2022, 2024-07, 2018-10-14, an ISO \
             timestamp, 2018/10/14, 14/10/2018 or an English date such as March 4, 2021; \
             the first: \"d7\"); fix their dates, or give --by FIELD to compare groups\n\
             framescope: the timeline leaves out 2 of 210 documents, without a date \
             framescope reads (2022, 2024-07, 2018-10-14, an ISO timestamp, 2018/10/14, \
             14/10/2018 or an English date such as March 4, 2021; the first: \"d7\", \
             without a date)\n"
                .to_string(),
            Vec::new()
        )
    );
    dir.create("one.jsonl", corpus(&[3]));
    assert!(run("one.jsonl", "o3").0.contains(
        "and not by year: 1 of them has no date framescope reads (2022, 2024-07, \
         2018-10-14, an ISO timestamp, 2018/10/14, 14/10/2018 or an English date such \
         as March 4, 2021; the first: \"d3\"); fix its date, or give --by FIELD"
    ));
    // Every date in a form not read (a two-digit year): the first is shown.
    let us = |year: &str| {
        corpus(&[])
            .replace("-06-01\"", "\"")
            .replace("\"date\":\"20", &format!("\"date\":\"06/01/{year}"))
    };
    dir.create("us.jsonl", us(""));
    assert_eq!(
        run("us.jsonl", "o5"),
        (
            "framescope: 210 documents: keyness.csv, frame_compare.csv and similarity.csv \
             are left empty rather than comparing every document, and not by year: 210 of \
             them have no date framescope reads (2022, 2024-07, 2018-10-14, an ISO \
             timestamp, 2018/10/14, 14/10/2018 or an English date such as March 4, 2021; \
             the first: \"d0\", dated \"06/01/20\"); fix their dates, or give --by FIELD \
             to compare groups\n"
                .to_string(),
            Vec::new()
        )
    );
    // Dates of numbers with the year last, as spreadsheets write them:
    // their years are compared, and the timeline says it has the years
    // alone.
    dir.create("us4.jsonl", us("20"));
    let years = vec!["2020".to_string(), "2021".to_string()];
    assert_eq!(
        run("us4.jsonl", "o6"),
        (
            "framescope: 210 documents: keyness.csv, frame_compare.csv and similarity.csv \
             compare years rather than documents (choose with --by FIELD)\n\
             framescope: the timeline places 210 of 210 documents at the start of their \
             year: their dates are numbers with the year last, read as their year alone \
             (the first: \"d0\", dated \"06/01/2020\"); give --date-order mdy (month \
             first) or dmy (day first) to read them whole\n"
                .to_string(),
            years.clone()
        )
    );
    let all: Vec<usize> = (0..210).collect();
    dir.create("none.jsonl", corpus(&all));
    assert_eq!(
        run("none.jsonl", "o4"),
        (
            "framescope: 210 documents: keyness.csv, frame_compare.csv and similarity.csv \
             are left empty rather than comparing every document; give --by FIELD to \
             compare groups\n"
                .to_string(),
            Vec::new()
        )
    );
}

/// run's summary on the terminal cuts a term of thousands of characters
/// (a base64 blob read as one token) to 40; terms.csv has it whole.
#[test]
fn the_summary_cuts_a_huge_term() {
    let dir = Dir::new();
    let blob = "q".repeat(5000);
    dir.create(
        "b.jsonl",
        format!("{{\"id\":\"a\",\"text\":\"{blob} {blob} {blob} words.\"}}\n"),
    );
    let out = dir.stdout(&["run", "--corpus", "b.jsonl", "--out", "o"]);
    let top = out.lines().find(|l| l.starts_with("top terms: ")).unwrap();
    assert_eq!(
        top,
        format!("top terms: {}… (3), words (1)", "q".repeat(39))
    );
    assert!(dir.read("o/terms.csv").contains(&format!("\n{blob},3,")));
}

/// `--date-order` reads dates of numbers with the year last (as a
/// spreadsheet writes them) whole, in the order given: docs.csv shows
/// them as ISO dates (a time after one kept), the timeline has them
/// whole, and run.json records the order. A date that is none in that
/// order stops the run before anything is written; year-first dates of
/// numbers are written as ISO dates too, and dates in words are read as
/// they are.
#[test]
fn date_order_reads_spreadsheet_dates_whole() {
    let dir = Dir::new();
    dir.create(
        "sheet.csv",
        "id,date,text\n\
         a,06/05/2019,Win-win cooperation.\n\
         b,12.11.2020 14:30,External interference.\n\
         c,2021/03/04,Shared future.\n\
         d,\"March 4, 2021\",Win-win cooperation.\n",
    );
    let docs = |order: &str, out: &str| -> (String, String, serde_json::Value) {
        let (_, stderr) = dir.outputs(&[
            "run",
            "-q",
            "--corpus",
            "sheet.csv",
            "--date-order",
            order,
            "--out",
            out,
        ]);
        let run: serde_json::Value =
            serde_json::from_str(&dir.read(&format!("{out}/run.json"))).unwrap();
        let dates: Vec<String> = dir
            .read(&format!("{out}/docs.csv"))
            .lines()
            .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(","))
            .collect();
        (
            dates.join("\n"),
            stderr,
            run["settings"]["date_order"].clone(),
        )
    };
    assert_eq!(
        docs("mdy", "o1"),
        (
            "doc_id,date\na,2019-06-05\nb,2020-12-11 14:30\nc,2021-03-04\nd,\"March 4".to_string(),
            String::new(),
            serde_json::json!("mdy")
        )
    );
    assert_eq!(
        docs("DMY", "o2"),
        (
            "doc_id,date\na,2019-05-06\nb,2020-11-12 14:30\nc,2021-03-04\nd,\"March 4".to_string(),
            String::new(),
            serde_json::json!("dmy")
        )
    );
    // The timeline of documents by date: day and month as read.
    let timeline = |out: &str| dir.read(&format!("{out}/charts/timeline.svg"));
    assert_ne!(timeline("o1"), timeline("o2"));
    // Without the order: the same dates, read by their years, said so.
    let (_, stderr) = dir.outputs(&["run", "-q", "--corpus", "sheet.csv", "--out", "o3"]);
    assert_eq!(
        stderr,
        "framescope: the timeline places 2 of 4 documents at the start of their year: \
         their dates are numbers with the year last, read as their year alone (the \
         first: \"a\", dated \"06/05/2019\"); give --date-order mdy (month first) or \
         dmy (day first) to read them whole\n"
    );
    // A day that is no month's in the order given stops the run, and an
    // earlier run's files stay as they were.
    dir.create("bad.csv", "id,date,text\na,06/05/2019,x\nb,25/12/2020,y\n");
    let before = dir.read("o1/docs.csv");
    let out = dir.fails(&[
        "run",
        "-q",
        "--corpus",
        "bad.csv",
        "--date-order",
        "mdy",
        "--out",
        "o1",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "framescope: bad.csv: document 2 (\"b\") has the date \"25/12/2020\", and \
         --date-order mdy reads it as month 25, which no year has; check the order its \
         dates are written in (--date-order mdy: month first, dmy: day first), or fix the \
         date\n"
    );
    assert_eq!(dir.read("o1/docs.csv"), before);
    // A folder whose documents have no date to read refuses it.
    dir.create("f/a.txt", "Words.");
    assert_eq!(
        String::from_utf8_lossy(
            &dir.fails(&["corpus", "--corpus", "f", "--date-order", "dmy"])
                .stderr
        ),
        "framescope: f: --date-order reads the dates of a column of manifest.csv or a part \
         of the file names (--name-fields), and this folder has neither\n"
    );
    dir.create("day.csv", "id,date,text\na,32/02/2021,x\n");
    let out = dir.fails(&["corpus", "--corpus", "day.csv", "--date-order", "dmy"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "has the date \"32/02/2021\", and --date-order dmy reads it as day 32, which no \
         month has;"
    ));
    let out = dir.fails(&["corpus", "--corpus", "feb.csv", "--date-order", "ymd"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "year-first dates (2021/04/03, 2021-04-03) are read whole as they are; \
         --date-order reads dates with the year last: give mdy or dmy"
    ));
}

/// A chart an earlier run wrote (its run.json lists it) and this run does
/// not (a document the corpus no longer has) goes; a file of the same
/// kind of name that no run wrote (the user's own) stays, as does
/// everything when there was no earlier run.
#[test]
fn run_replaces_its_own_earlier_charts_only() {
    let dir = Dir::new();
    let doc = |id: &str| format!("{{\"id\":\"{id}\",\"text\":\"Win-win cooperation, {id}.\"}}\n");
    dir.create("ab.jsonl", doc("a") + &doc("b"));
    dir.create("ac.jsonl", doc("a") + &doc("c"));
    dir.create("o/charts/keyness-mine.svg", "mine");
    let run = |corpus: &str| dir.stdout(&["run", "-q", "--corpus", corpus, "--out", "o"]);
    run("ab.jsonl");
    let charts = |prefix: &str| -> Vec<String> {
        dir.files("o")
            .into_iter()
            .filter(|f| f.starts_with(prefix))
            .collect()
    };
    assert_eq!(
        charts("charts/keyness-"),
        [
            "charts/keyness-a.png",
            "charts/keyness-a.svg",
            "charts/keyness-b.png",
            "charts/keyness-b.svg",
            "charts/keyness-mine.svg"
        ]
    );
    run("ac.jsonl");
    assert_eq!(
        charts("charts/keyness-"),
        [
            "charts/keyness-a.png",
            "charts/keyness-a.svg",
            "charts/keyness-c.png",
            "charts/keyness-c.svg",
            "charts/keyness-mine.svg"
        ]
    );
    assert_eq!(dir.read("o/charts/keyness-mine.svg"), "mine");
}

/// When run compares groups, its terms chart shows each group's most
/// frequent content words, the same chart, byte for byte, as `chart
/// terms --by FIELD` draws from a table counted for it; comparing
/// documents, the first documents' (as `chart terms` by document).
#[test]
fn run_terms_chart_is_the_groups_when_it_compares_groups() {
    let dir = Dir::new();
    big_corpus(&dir);
    dir.create(
        "small.jsonl",
        "{\"g\":\"alpha\",\"text\":\"zebra zebra apple. The cat sat.\"}\n\
         {\"g\":\"beta\",\"text\":\"dog dog dog cat cat bird the of and\"}\n\
         {\"g\":\"beta\",\"text\":\"dog fish fish café café naïve\"}\n",
    );
    // run's terms chart of `corpus` compared by `by` (none: by
    // document), and `chart terms`'s.
    let charts = |corpus: &str, by: Option<&str>| -> (String, String) {
        let by_args: Vec<&str> = by.map_or(vec![], |f| vec!["--by", f]);
        let name = format!("{corpus}-{}", by.unwrap_or("doc"));
        let (out, chart) = (format!("o-{name}"), format!("c-{name}"));
        let run = ["run", "-q", "--corpus", corpus, "--out", &out];
        dir.stdout(&[&run[..], &by_args].concat());
        let terms = ["chart", "terms", "-q", "--corpus", corpus, "--out", &chart];
        dir.stdout(&[&terms[..], &by_args].concat());
        (
            dir.read(&format!("{out}/charts/terms.svg")),
            dir.read(&format!("{chart}/terms.svg")),
        )
    };
    let (got, want) = charts("big.jsonl", Some("group"));
    eqnice!(want, got);
    for g in ["g0", "g1", "g2"] {
        assert!(got.contains(&format!(">\n{g}\n<")), "{g}");
    }
    // Words counted once or twice in the corpus are drawn too
    // (keyness.csv leaves them out).
    let (got, want) = charts("small.jsonl", Some("g"));
    eqnice!(want, got);
    assert!(got.contains("\nzebra\n") && got.contains("\nnaïve\n"));
    // By document: the first 24 of 300, as the chart of every
    // document's table draws them.
    let (got, want) = charts("big.jsonl", None);
    assert!(got.contains("the first 24 of 300 documents"), "{got}");
    eqnice!(want, got);
}
