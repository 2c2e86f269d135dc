//! `framescope freq`.

use crate::eqnice;
use crate::hay;
use crate::util::{
    assert_nothing_printed, ok_and_bad, random_words_jsonl, svg_texts, xorshift, Dir,
};

fn freq(args: &[&str]) -> String {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let mut all = vec!["freq", "--format", "csv"];
    all.extend_from_slice(args);
    dir.stdout(&all)
}

#[test]
fn freq_per_document_by_default() {
    eqnice!(
        "\
group,term,n,per_1k,n_docs
a,cooperation,2,285.7142857142857,1
a,win-win,2,285.7142857142857,1
a,china,1,142.85714285714286,1
a,in,1,142.85714285714286,1
a,role,1,142.85714285714286,1
b,interference,2,250,1
b,not,2,250,1
b,cooperation,1,125,1
b,external,1,125,1
b,is,1,125,1
b,welcome,1,125,1
",
        freq(&[])
    );
}

#[test]
fn freq_by_field_groups_in_value_order() {
    // c is empty: it adds a document to "gov" but no tokens.
    eqnice!(
        "\
group,term,n,per_1k,n_docs
gov,cooperation,2,285.7142857142857,1
gov,win-win,2,285.7142857142857,1
gov,china,1,142.85714285714286,1
gov,role,1,142.85714285714286,1
press,interference,2,250,1
press,cooperation,1,125,1
press,external,1,125,1
press,welcome,1,125,1
",
        freq(&["--by", "voice", "--drop-stopwords"])
    );
}

/// A field's groups come in value order (numbers by value, so years by
/// date and `9` before `10`; then text by code point), not in order of
/// first appearance, in every table and chart that lists them.
#[test]
fn groups_come_in_value_order_everywhere() {
    let dir = Dir::new();
    let mut jsonl = String::new();
    for (i, y) in ["2023", "10", "2021", "b", "9", "A", "2021"]
        .iter()
        .enumerate()
    {
        jsonl.push_str(&format!(
            "{{\"id\":\"d{i}\",\"g\":\"{y}\",\"text\":\"Win-win cooperation in {y}.\"}}\n"
        ));
    }
    dir.create("c.jsonl", jsonl);
    let want = ["9", "10", "2021", "2023", "A", "b"];
    let firsts = |csv: &str, col: usize| {
        let mut seen: Vec<String> = Vec::new();
        for line in csv.lines().skip(1) {
            let v = line.split(',').nth(col).unwrap().to_string();
            if seen.last() != Some(&v) {
                seen.push(v);
            }
        }
        seen
    };
    let freq = dir.stdout(&[
        "freq", "-q", "--corpus", "c.jsonl", "--by", "g", "--format", "csv",
    ]);
    assert_eq!(firsts(&freq, 0), want);
    let score = dir.stdout(&[
        "score", "-q", "--corpus", "c.jsonl", "--by", "g", "--format", "csv",
    ]);
    assert_eq!(firsts(&score, 0), want);
    dir.stdout(&[
        "run", "-q", "--corpus", "c.jsonl", "--by", "g", "--out", "o",
    ]);
    assert_eq!(firsts(&dir.read("o/frame_compare.csv"), 0), want);
    assert_eq!(firsts(&dir.read("o/similarity.csv"), 0), &want[..5]);
    // The report's keyness sections, one a target.
    let report = dir.read("o/report.html");
    let keyness = &report[report.find("<h2 id=\"keyness\">").unwrap()..];
    let keyness = &keyness[..1 + keyness[1..].find("<h2 ").unwrap()];
    let heads: Vec<&str> = keyness
        .split("<h3>")
        .skip(1)
        .map(|h| h.split('<').next().unwrap().trim())
        .collect();
    assert_eq!(heads, want);
    // The charts say what their rows are.
    assert!(dir
        .read("o/charts/frames-heatmap.svg")
        .contains("rows: values of g; columns: frames"));
    assert!(dir
        .read("o/charts/frames.svg")
        .contains("values of g; bars: hits"));
}

#[test]
fn freq_by_year_derived_from_partial_dates() {
    let got = freq(&["--by", "year", "--top", "1"]);
    eqnice!(
        "\
group,term,n,per_1k,n_docs
2018,cooperation,2,285.7142857142857,1
2022,interference,2,250,1
",
        got
    );
}

#[test]
fn freq_bigrams_stay_inside_sentences() {
    eqnice!(
        "\
group,term,n,per_1k,n_docs
corpus,win-win cooperation,2,133.33333333333334,1
corpus,china role,1,66.66666666666667,1
corpus,cooperation not,1,66.66666666666667,1
corpus,external interference,1,66.66666666666667,1
corpus,in win-win,1,66.66666666666667,1
corpus,interference is,1,66.66666666666667,1
corpus,is not,1,66.66666666666667,1
corpus,not interference,1,66.66666666666667,1
corpus,not welcome,1,66.66666666666667,1
corpus,role in,1,66.66666666666667,1
",
        freq(&["--by", "corpus", "--ngram", "2"])
    );
}

#[test]
fn freq_ngrams_drop_stopword_edges() {
    eqnice!(
        "\
group,term,n,per_1k,n_docs
corpus,win-win cooperation,2,133.33333333333334,1
corpus,china role,1,66.66666666666667,1
corpus,external interference,1,66.66666666666667,1
",
        freq(&["--by", "corpus", "--ngram", "2", "--drop-stopwords"])
    );
}

#[test]
fn freq_stems_with_top() {
    eqnice!(
        "\
group,term,n,per_1k,n_docs
corpus,cooper,3,200,2
corpus,interfer,2,133.33333333333334,1
corpus,not,2,133.33333333333334,1
",
        freq(&["--by", "corpus", "--unit", "stem", "--top", "3"])
    );
}

#[test]
fn freq_min_count() {
    eqnice!(
        "\
group,term,n,per_1k,n_docs
a,cooperation,2,285.7142857142857,1
a,win-win,2,285.7142857142857,1
b,interference,2,250,1
b,not,2,250,1
",
        freq(&["--min-count", "2"])
    );
}

#[test]
fn freq_out_writes_a_file() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let stdout = dir.stdout(&["freq", "--by", "corpus", "--top", "1", "--out", "res"]);
    assert_eq!(stdout, "");
    eqnice!(
        "group,term,n,per_1k,n_docs\ncorpus,cooperation,3,200,2\n",
        dir.read("res/freq.csv")
    );
    assert_eq!(dir.files("res"), ["freq.csv"]);
}

#[test]
fn freq_json() {
    let got = freq(&["--by", "corpus", "--top", "1", "--format", "json"]);
    eqnice!(
        "[\n{\"group\":\"corpus\",\"term\":\"cooperation\",\"n\":3,\"per_1k\":200.0,\"n_docs\":2}\n]\n",
        got
    );
}

#[test]
fn freq_csv_of_many_rows_and_groups_is_whole_and_in_order() {
    // 30 documents of 500 distinct words: 15,000 rows, written in
    // parallel blocks of a thousand across group boundaries.
    let dir = Dir::new();
    let mut jsonl = String::new();
    let mut want = String::from("group,term,n,per_1k,n_docs\n");
    for d in 0..30 {
        let words: Vec<String> = (0..500).map(|k| format!("w{d}x{k}")).collect();
        jsonl.push_str(&format!(
            "{{\"id\":\"doc{d:02}\",\"text\":\"{}\"}}\n",
            words.join(" ")
        ));
        let mut sorted = words.clone();
        sorted.sort();
        for w in sorted {
            want.push_str(&format!("doc{d:02},{w},1,2,1\n"));
        }
    }
    dir.create("many.jsonl", jsonl);
    let got = dir.stdout(&["freq", "--corpus", "many.jsonl", "--format", "csv", "-q"]);
    assert_eq!(got.lines().count(), 15_001);
    eqnice!(want, got);
}

#[test]
fn freq_by_doc_top_breaks_ties_at_the_cut_by_text() {
    // Ties cross the cut: the top-th row is one of many counted as often,
    // and the rows kept are the first of them in text order. The bigrams
    // also test that order where one word is the start of another: "win
    // win" < "win winning" < "win-win cooperation" (a space sorts before
    // letters and the hyphen).
    let dir = Dir::new();
    dir.create(
        "t.jsonl",
        "{\"id\":\"d\",\"text\":\"zeta zeta. win-win cooperation. win winning. \
         win win. beta. alpha. gamma.\"}\n\
         {\"id\":\"e\",\"text\":\"b a c b a c d.\"}\n",
    );
    let freq = |args: &[&str]| {
        let mut all = vec!["freq", "--corpus", "t.jsonl", "--format", "csv", "-q"];
        all.extend_from_slice(args);
        dir.stdout(&all)
    };
    eqnice!(
        "\
group,term,n,per_1k,n_docs
d,win,3,272.72727272727275,1
d,zeta,2,181.8181818181818,1
d,alpha,1,90.9090909090909,1
d,beta,1,90.9090909090909,1
e,a,2,285.7142857142857,1
e,b,2,285.7142857142857,1
e,c,2,285.7142857142857,1
e,d,1,142.85714285714286,1
",
        freq(&["--top", "4"])
    );
    eqnice!(
        "\
group,term,n,per_1k,n_docs
d,win win,1,90.9090909090909,1
d,win winning,1,90.9090909090909,1
d,win-win cooperation,1,90.9090909090909,1
e,a c,2,285.7142857142857,1
e,b a,2,285.7142857142857,1
e,c b,1,142.85714285714286,1
",
        freq(&["--ngram", "2", "--top", "3"])
    );
}

/// Bigrams of many words: more than a table of 1 MiB holds.
fn many_bigrams(dir: &Dir) {
    let mut jsonl = String::new();
    let mut random = xorshift(0x9E37_79B9_7F4A_7C15);
    for i in 0..2000 {
        let mut text = String::new();
        for _ in 0..30 {
            text.push_str(&format!("w{} ", random() % 1000));
        }
        let g = ["a", "b"][i % 2];
        jsonl.push_str(
            &serde_json::json!({"id": format!("d{i}"), "g": g, "text": text}).to_string(),
        );
        jsonl.push('\n');
    }
    dir.create("big.jsonl", jsonl);
}

/// `freq` of [`many_bigrams`]' corpus: bigrams by its field `g`, as CSV.
const BIGRAMS_BY_G: [&str; 9] = [
    "freq",
    "--corpus",
    "big.jsonl",
    "--ngram",
    "2",
    "--by",
    "g",
    "--format",
    "csv",
];

/// `--table-memory`: a table that outgrows it is counted through
/// temporary files in TMPDIR, which are gone afterwards; the output is
/// the same. When TMPDIR cannot be written, a warning says so and the
/// counting goes on in memory, with the same output.
#[test]
fn table_memory_spills_to_tmpdir_with_the_same_output() {
    let dir = Dir::new();
    many_bigrams(&dir);
    let args = BIGRAMS_BY_G;
    let want = dir.stdout(&args);
    assert!(want.lines().count() > 40_000, "{}", want.lines().count());
    std::fs::create_dir(dir.join("tmp")).unwrap();
    // Left two days ago by a process killed outright (no process has
    // this id: the largest pid_max is 2²²): removed by the next spill,
    // on Linux. The same file from a living process (ours), or a fresh
    // one, stays.
    let two_days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 86_400);
    let stale = dir.create("tmp/.framescope-4999999-0.spill", "stale");
    let living = dir.create(
        &format!("tmp/.framescope-{}-0.spill", std::process::id()),
        "ours",
    );
    for f in [&stale, &living] {
        let f = std::fs::File::options().write(true).open(f).unwrap();
        f.set_modified(two_days_ago).unwrap();
    }
    let fresh = dir.create("tmp/.framescope-4999998-0.spill", "fresh");
    let name = |p: &std::path::Path| p.file_name().unwrap().to_string_lossy().into_owned();
    let mut kept = vec![name(&living), name(&fresh)];
    kept.sort();
    for threads in ["1", "2"] {
        let out = dir
            .cmd(&args)
            .args(["--table-memory", "1", "--threads", threads])
            .env("TMPDIR", dir.join("tmp"))
            .env("FRAMESCOPE_TIMINGS", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("table spills to temporary files"),
            "{stderr}"
        );
        assert!(
            String::from_utf8(out.stdout).unwrap() == want,
            "at {threads} threads"
        );
        if cfg!(target_os = "linux") {
            assert_eq!(dir.files("tmp"), kept);
        } else {
            assert!(stale.exists() && living.exists() && fresh.exists());
        }
    }
    let out = dir
        .cmd(&args)
        .args(["--table-memory", "1"])
        .env("TMPDIR", dir.join("no/such/folder"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("framescope: warning: cannot write temporary n-gram counts")
            && stderr.contains("no/such/folder")
            && stderr.contains("counting on in memory"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one warning: {stderr}");
    assert!(String::from_utf8(out.stdout).unwrap() == want);
}

/// Under a limit on file sizes (`ulimit -f`, as some clusters' job
/// schedulers set), a write past it fails with "File too large" rather
/// than the signal (SIGXFSZ) killing framescope: a spill file that cannot
/// grow is removed and counting goes on in memory, with the same output;
/// an output file that cannot is an error, with no output and no
/// temporary left.
#[cfg(target_os = "linux")]
#[test]
fn a_file_size_limit_is_an_error_not_a_kill() {
    let dir = Dir::new();
    many_bigrams(&dir);
    let bin = env!("CARGO_BIN_EXE_framescope");
    let limited = |args: &[&str]| {
        let mut c = std::process::Command::new("sh");
        c.current_dir(dir.path())
            .args(["-c", "ulimit -f 8 && exec \"$0\" \"$@\"", bin])
            .args(args)
            .env("TMPDIR", dir.join("tmp"));
        c.output().unwrap()
    };
    std::fs::create_dir(dir.join("tmp")).unwrap();
    let args = [&["-q", "--table-memory", "1"][..], &BIGRAMS_BY_G].concat();
    let want = dir.stdout(&args);
    let out = limited(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(String::from_utf8(out.stdout).unwrap() == want);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("framescope: warning: cannot write temporary n-gram counts ")
            && stderr.ends_with(
                ": File too large (os error 27); a limit on file sizes (ulimit -f) stops \
                 it: raise the limit, or give the tables more memory (--table-memory MIB); \
                 counting on in memory\n"
            ),
        "{stderr}"
    );
    assert_eq!(dir.files("tmp"), Vec::<String>::new());
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let out = limited(&[
        "-q",
        "run",
        "--corpus",
        corpus.to_str().unwrap(),
        "--out",
        "o",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "framescope: o/doc_terms.csv: File too large (os error 27); a limit on file sizes \
         (ulimit -f) stops it: raise the limit\n"
    );
    assert!(!dir.join("o").exists(), "{:?}", dir.files("o"));
    assert_eq!(dir.files("tmp"), Vec::<String>::new());
}

/// By document, CSV goes out as the documents are counted, through a
/// temporary file printed once all is read: its rows are the JSON
/// table's (made after the pass, from every document's table kept), and
/// a document that cannot be read after hundreds of others leaves
/// nothing printed and no temporary file.
#[test]
fn per_document_csv_is_written_whole_or_not_at_all() {
    let dir = Dir::new();
    let words = ["the", "win", "shared", "future", "zone", "a", "peace", "é"];
    let jsonl = random_words_jsonl(7, &words, 500, |i| 20 + i % 30);
    let tmp = ok_and_bad(&dir, &jsonl);
    for more in [
        &[][..],
        &["--top", "3"],
        &["--ngram", "2", "--drop-stopwords"],
    ] {
        let args = [&["freq", "-q", "--corpus", "ok.jsonl"][..], more].concat();
        let out = dir
            .cmd(&[&args[..], &["--format", "csv"]].concat())
            .env("TMPDIR", &tmp)
            .env("FRAMESCOPE_SPOOL_MEMORY", "1000")
            .output()
            .unwrap();
        assert!(out.status.success());
        assert_eq!(dir.files("tmp"), [".keep"]);
        let csv = String::from_utf8(out.stdout).unwrap();
        let json: Vec<serde_json::Value> =
            serde_json::from_str(&dir.stdout(&[&args[..], &["--format", "json"]].concat()))
                .unwrap();
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("group,term,n,per_1k,n_docs"));
        let rows: Vec<&str> = lines.collect();
        assert_eq!(rows.len(), json.len(), "{more:?}");
        assert!(rows.len() > 1000, "{} rows", rows.len());
        for (row, obj) in rows.iter().zip(&json) {
            let f: Vec<&str> = row.split(',').collect();
            assert_eq!(f[0], obj["group"].as_str().unwrap(), "{row}");
            assert_eq!(f[1], obj["term"].as_str().unwrap(), "{row}");
            assert_eq!(f[2], obj["n"].to_string(), "{row}");
            assert_eq!(
                f[3].parse::<f64>().unwrap(),
                obj["per_1k"].as_f64().unwrap()
            );
            assert_eq!(f[4], obj["n_docs"].to_string(), "{row}");
        }
    }
    let out = dir
        .cmd(&["freq", "-q", "--corpus", "bad.jsonl", "--format", "csv"])
        .env("TMPDIR", &tmp)
        .env("FRAMESCOPE_SPOOL_MEMORY", "1000")
        .output()
        .unwrap();
    assert_nothing_printed(&dir, &out, "bad.jsonl:501: invalid UTF-8");
}

/// A year written as a float (`2019.0`, as pandas writes a column of
/// years with gaps) is that year: grouped as `2019`, and dated for the
/// timeline.
#[test]
fn a_year_written_as_a_float_is_a_year() {
    let dir = Dir::new();
    dir.create(
        "fy.jsonl",
        "{\"id\":\"a\",\"year\":2019.0,\"text\":\"Win-win cooperation.\"}\n\
         {\"id\":\"b\",\"year\":2020.00,\"text\":\"External interference.\"}\n",
    );
    assert_eq!(
        dir.stdout(&["freq", "--corpus", "fy.jsonl", "--by", "year", "--format", "csv"]),
        "group,term,n,per_1k,n_docs\n\
         2019,cooperation,1,500,1\n2019,win-win,1,500,1\n\
         2020,external,1,500,1\n2020,interference,1,500,1\n"
    );
    let (_, stderr) = dir.outputs(&[
        "chart", "timeline", "-q", "--corpus", "fy.jsonl", "--out", "o",
    ]);
    assert_eq!(stderr, "");
    let texts = svg_texts(&dir.read("o/timeline.svg"));
    assert!(
        texts.iter().any(|t| t == "2019") && texts.iter().any(|t| t == "2020"),
        "{texts:?}"
    );
}
