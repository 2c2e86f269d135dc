//! `framescope compare` and the comparison files of `run`, against the
//! independent Python reference (tests/data/README.md).

use crate::eqnice;
use std::path::Path;

use crate::util::Dir;

/// Compare two CSV texts cell by cell: floats to 1e-9 relative, all else
/// exactly; rows and columns in the same order.
fn same_csv(want: &str, got: &str) {
    let read = |s: &str| -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(s.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    };
    let (w, g) = (read(want), read(got));
    assert_eq!(w.len(), g.len(), "row counts differ");
    assert_eq!(w[0], g[0], "headers differ");
    for (i, (wr, gr)) in w.iter().zip(&g).enumerate() {
        assert_eq!(wr.len(), gr.len(), "row {i}");
        for (j, (a, b)) in wr.iter().zip(gr).enumerate() {
            if a == b {
                continue;
            }
            let (x, y): (f64, f64) = match (a.parse(), b.parse()) {
                (Ok(x), Ok(y)) => (x, y),
                _ => panic!("row {i} column {}: want {a:?}, got {b:?}", w[0][j]),
            };
            let rel = (x - y).abs() / x.abs().max(y.abs()).max(1e-300);
            assert!(
                rel <= 1e-9,
                "row {i} ({}) column {}: want {a}, got {b}",
                wr[0],
                w[0][j]
            );
        }
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn run_keyness_csv_matches_the_reference_in_full() {
    let dir = Dir::new();
    let corpus = root().join("corpus");
    dir.stdout(&[
        "run",
        "-q",
        "--corpus",
        corpus.to_str().unwrap(),
        "--out",
        "o",
    ]);
    let want = std::fs::read_to_string(root().join("tests/data/keyness-default.csv")).unwrap();
    assert!(want.lines().count() > 2000);
    same_csv(&want, &dir.read("o/keyness.csv"));
}

#[test]
fn compare_terms_stems_with_a_reference_matches_the_reference() {
    let dir = Dir::new();
    let corpus = root().join("corpus");
    let got = dir.stdout(&[
        "compare",
        "-q",
        "--corpus",
        corpus.to_str().unwrap(),
        "--by",
        "id",
        "--target",
        "fudan-2021",
        "--reference",
        "xiao-2023,mahoney-2024",
        "--unit",
        "stem",
        "--drop-stopwords",
        "--min-count",
        "2",
        "--format",
        "csv",
    ]);
    let want = std::fs::read_to_string(root().join("tests/data/keyness-fudan-stems.csv")).unwrap();
    same_csv(&want, &got);
}

#[test]
fn compare_groups_by_metadata_equal_groups_by_ids() {
    // voice = academic is fudan-2021 and mahoney-2024.
    let dir = Dir::new();
    let corpus = root().join("corpus");
    let corpus = corpus.to_str().unwrap();
    for what in ["terms", "frames"] {
        let by_voice = dir.stdout(&[
            "compare", "-q", "--corpus", corpus, "--what", what, "--by", "voice", "--target",
            "academic", "--format", "csv",
        ]);
        let by_id = dir.stdout(&[
            "compare",
            "-q",
            "--corpus",
            corpus,
            "--what",
            what,
            "--by",
            "id",
            "--target",
            "fudan-2021,mahoney-2024",
            "--format",
            "csv",
        ]);
        assert!(by_voice.lines().count() > 8, "{what}");
        crate::eqnice!(by_voice, by_id);
    }
}

/// The terminal table is the CSV without the stopwords' rows: the same
/// terms in the same order as `--drop-stopwords` gives, with the CSV's
/// p_adjusted (one Benjamini–Hochberg family whatever the format), where
/// `--drop-stopwords` adjusts over the other terms alone.
#[test]
fn terminal_table_hides_the_stopword_rows_of_the_csv() {
    let dir = Dir::new();
    let corpus = root().join("corpus");
    let corpus = corpus.to_str().unwrap();
    let args = [
        "compare", "-q", "--corpus", corpus, "--by", "id", "--target", "liu-2022",
    ];
    let csv = dir.stdout(&[&args[..], &["--format", "csv"]].concat());
    let dropped = dir.stdout(&[&args[..], &["--format", "csv", "--drop-stopwords"]].concat());
    let table = dir.stdout(&[&args[..], &["--format", "table"]].concat());
    let kept = dir.stdout(&[&args[..], &["--format", "table", "--keep-stopwords"]].concat());
    let first = |s: &str| -> Vec<String> {
        s.lines()
            .skip(1)
            .map(|l| l.split([',', ' ']).next().unwrap().to_string())
            .collect()
    };
    assert!(first(&csv).contains(&"the".to_string()));
    assert!(!first(&dropped).contains(&"the".to_string()));
    assert_eq!(first(&table), first(&dropped));
    assert_eq!(first(&kept), first(&csv));
    // p_adjusted (the 8th column), as the table shows a float.
    let shown = |v: f64| {
        if v != 0.0 && v.abs() < 0.0005 {
            format!("{v:.2e}")
        } else {
            format!("{v:.3}")
        }
    };
    let adjusted = |csv: &str| -> std::collections::HashMap<String, String> {
        csv.lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[0].to_string(), shown(f[7].parse().unwrap()))
            })
            .collect()
    };
    let (all, without) = (adjusted(&csv), adjusted(&dropped));
    let mut differ = 0;
    for l in table.lines().skip(1) {
        let f: Vec<&str> = l.split_whitespace().collect();
        assert_eq!(f[7], all[f[0]], "{l}");
        differ += (f[7] != without[f[0]]) as usize;
    }
    assert!(
        differ > 0,
        "the two families give the same adjusted p-values here"
    );
}

#[test]
fn compare_frames_and_similarity_match_the_reference() {
    let dir = Dir::new();
    let corpus = root().join("corpus");
    let corpus = corpus.to_str().unwrap();
    let base = ["compare", "-q", "--corpus", corpus, "--format", "csv"];
    for (args, file) in [
        (
            &[
                "--what",
                "frames",
                "--by",
                "id",
                "--target",
                "fudan-2021,mahoney-2024",
            ][..],
            "frames-academic.csv",
        ),
        (
            &[
                "--what",
                "frames",
                "--by",
                "id",
                "--target",
                "cui-2018",
                "--reference",
                "liu-2022",
            ][..],
            "frames-cui-liu.csv",
        ),
        (&["--what", "similarity"][..], "similarity-default.csv"),
    ] {
        let got = dir.stdout(&[&base[..], args].concat());
        let want = std::fs::read_to_string(root().join("tests/data").join(file)).unwrap();
        same_csv(&want, &got);
    }
}

/// `run` makes keyness.csv's tables a few targets at a time and keeps
/// only the rows its charts and report show: with more groups than
/// threads and than it draws charts for, each target's rows are still
/// exactly `compare`'s table of that target against the rest, in the
/// groups' order, and the report shows the first row without stopwords.
#[test]
fn run_keyness_of_many_groups_is_compare_of_each() {
    let dir = Dir::new();
    let mut jsonl = String::new();
    // 25 eras of 2 documents: words shared unevenly, words of their
    // own, and stopwords.
    for era in 0..25 {
        for d in 0..2 {
            let mut words = Vec::new();
            for k in 0..120 {
                words.push(format!("common{}", (k * (era + 3) + d) % 40));
                if k % 3 == 0 {
                    words.push(format!("own{era}w{}", k % 7));
                }
                // A stopword over-used in the first era: its table
                // starts with it, its chart and report rows do not.
                if k % 5 == 0 || era == 0 {
                    words.push("the".to_string());
                }
            }
            jsonl.push_str(&format!(
                "{{\"id\":\"e{era}d{d}\",\"era\":\"g{era:02}\",\"text\":\"{}.\"}}\n",
                words.join(" ")
            ));
        }
    }
    dir.create("c.jsonl", jsonl);
    dir.stdout(&[
        "run", "-q", "--corpus", "c.jsonl", "--by", "era", "--out", "o",
    ]);
    let keyness = dir.read("o/keyness.csv");
    let targets: Vec<&str> = keyness
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .fold(Vec::new(), |mut v, t| {
            if v.last() != Some(&t) {
                v.push(t);
            }
            v
        });
    let want: Vec<String> = (0..25).map(|e| format!("g{e:02}")).collect();
    assert_eq!(targets, want);
    for target in ["g00", "g01", "g02", "g13", "g19", "g20", "g24"] {
        let compared = dir.stdout(&[
            "compare", "-q", "--corpus", "c.jsonl", "--by", "era", "--target", target, "--format",
            "csv",
        ]);
        let ours: Vec<&str> = keyness
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{target},")))
            .collect();
        let theirs: Vec<&str> = compared.lines().skip(1).collect();
        assert!(theirs.len() > 20, "{target}: {} rows", theirs.len());
        assert_eq!(ours, theirs, "{target}");
    }
    // The report's table of g00 starts with its first row that is not a
    // stopword, with that row's numbers.
    assert!(keyness.contains("\ng00,the,"));
    let first = keyness
        .lines()
        .find(|l| l.starts_with("g00,") && !l.starts_with("g00,the,"))
        .unwrap();
    let cells: Vec<&str> = first.split(',').collect();
    let report = dir.read("o/report.html");
    let at = report
        .find(&format!(">{}<", cells[1]))
        .expect("term in the report");
    assert!(report[at..].contains(&format!(">{}<", cells[2])), "{first}");
    assert!(dir.read("o/charts/keyness-g00.svg").contains(cells[1]));
    assert!(!report.contains(">the<"));
    assert!(!dir.read("o/charts/keyness-g00.svg").contains(">the<"));
}

/// Stopwords are left out of a comparison of stems token by token, by
/// norm (CONTRACT §5), as `freq --unit stem --drop-stopwords` leaves
/// them out: `having` (a stopword) and `haves` (not one) share the stem
/// `have`, which counts `haves` alone; a stem only stopwords have is
/// left out; a document outside both groups changes nothing. Kept, every
/// token counts.
#[test]
fn stems_leave_out_stopword_tokens_one_by_one() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"t\",\"text\":\"having haves haves the x\",\"g\":\"t\"}\n\
         {\"id\":\"r\",\"text\":\"having x y\",\"g\":\"r\"}\n\
         {\"id\":\"o\",\"text\":\"haves haves\",\"g\":\"o\"}\n",
    );
    let compare = |stopwords: &str| {
        dir.stdout(&[
            "compare",
            "-q",
            "--corpus",
            "c.jsonl",
            "--what",
            "terms",
            "--by",
            "g",
            "--target",
            "t",
            "--reference",
            "r",
            "--unit",
            "stem",
            "--min-count",
            "1",
            stopwords,
            "--format",
            "csv",
        ])
        .lines()
        .map(|l| l.split(',').take(3).collect::<Vec<_>>().join(","))
        .collect::<Vec<_>>()
    };
    assert_eq!(
        compare("--drop-stopwords"),
        ["term,n_target,n_reference", "have,2,0", "x,1,1", "y,0,1"]
    );
    assert_eq!(
        compare("--keep-stopwords"),
        [
            "term,n_target,n_reference",
            "the,1,0",
            "have,3,1",
            "x,1,1",
            "y,0,1"
        ]
    );
    // freq's counts of the same stems, stopwords left out.
    assert_eq!(
        "group,term,n\no,have,2\nr,x,1\nr,y,1\nt,have,2\nt,x,1\n",
        dir.stdout(&[
            "freq",
            "-q",
            "--corpus",
            "c.jsonl",
            "--by",
            "g",
            "--unit",
            "stem",
            "--drop-stopwords",
            "--format",
            "csv",
        ])
        .lines()
        .map(|l| l.split(',').take(3).collect::<Vec<_>>().join(",") + "\n")
        .collect::<String>()
    );
}

/// A value listed twice (`--target academic,academic`, or in
/// `--reference`) is one value: the same table as listed once, not an
/// error that no document has it.
#[test]
fn a_value_listed_twice_is_one_value() {
    let dir = Dir::new();
    let corpus = root().join("corpus");
    let corpus = corpus.to_str().unwrap();
    for what in ["terms", "frames"] {
        let compare = |target: &str, reference: &str| {
            dir.stdout(&[
                "compare",
                "-q",
                "--corpus",
                corpus,
                "--what",
                what,
                "--by",
                "voice",
                "--target",
                target,
                "--reference",
                reference,
                "--format",
                "csv",
            ])
        };
        let once = compare("academic", "government (MFA)");
        let twice = compare("academic, academic", "government (MFA),government (MFA)");
        assert!(once.lines().count() > 1, "{what}");
        assert_eq!(once, twice, "{what}");
    }
}

/// `--top N` of terms keeps both ends of the ranking: the N first rows
/// (over-used in the target) and the N last (under-used), as the whole
/// table has them; a table of at most 2N rows is kept whole. Frames keep
/// their N first rows.
#[test]
fn top_terms_are_both_ends_of_the_ranking() {
    let dir = Dir::new();
    let corpus = root().join("corpus");
    let corpus = corpus.to_str().unwrap();
    let args = [
        "compare", "-q", "--corpus", corpus, "--by", "id", "--target", "liu-2022", "--format",
        "csv",
    ];
    let all = dir.stdout(&args);
    let lines: Vec<&str> = all.lines().collect();
    let (header, rows) = (lines[0], &lines[1..]);
    assert!(rows.len() > 20, "{} rows", rows.len());
    let top = dir.stdout(&[&args[..], &["--top", "4"]].concat());
    let mut want = vec![header];
    want.extend(&rows[..4]);
    want.extend(&rows[rows.len() - 4..]);
    assert_eq!(top, want.join("\n") + "\n");
    // The first four over-used, the last four under-used.
    let g2 = |l: &str| l.split(',').nth(5).unwrap().parse::<f64>().unwrap();
    assert!(rows[..4].iter().all(|l| g2(l) > 0.0));
    assert!(rows[rows.len() - 4..].iter().all(|l| g2(l) < 0.0));
    let whole = dir.stdout(&[&args[..], &["--top", &(rows.len() / 2).to_string()]].concat());
    assert_eq!(whole, all);
    let frames = ["--what", "frames", "--top", "2"];
    let frames_all = dir.stdout(&[&args[..], &frames[..2]].concat());
    let frames_top = dir.stdout(&[&args[..], &frames[..]].concat());
    let first: Vec<&str> = frames_all.lines().take(3).collect();
    assert_eq!(frames_top, first.join("\n") + "\n");
}

/// A p-value too small for a double is 0 in the CSV, and the terminal
/// table and the report show it as `<1e-300`, not as a rounded `0.000`:
/// the whole table, and the report's cells with the CSV's value as their
/// tooltip.
#[test]
fn p_values_below_a_double_show_as_below_1e_300() {
    let dir = Dir::new();
    let doc = |id: &str, word: &str| {
        format!(
            "{{\"id\":\"{id}\",\"text\":\"{}\"}}\n",
            format!("{word} ").repeat(1000).trim_end()
        )
    };
    dir.create("c.jsonl", doc("a", "alpha") + &doc("b", "beta"));
    let args = [
        "compare", "-q", "--corpus", "c.jsonl", "--by", "id", "--target", "a",
    ];
    let csv = dir.stdout(&[&args[..], &["--format", "csv"]].concat());
    // By hand (Python): G² = 4000·ln 2, log_ratio = log2(1000/0.5), the
    // log-odds z with α = 1000·1000/2000 = 500 each side; each word in one
    // of two documents of the same size (DP 1).
    let g2 = "2772.588722239781";
    let (lr, z) = ("10.965784284662087", "42.549070979504044");
    eqnice!(
        format!(
            "term,n_target,n_reference,per_1k_target,per_1k_reference,g2,p_value,\
             p_adjusted,log_ratio,z_logodds,dp\n\
             alpha,1000,0,1000,0,{g2},0,0,{lr},{z},1\n\
             beta,0,1000,0,1000,-{g2},0,0,-{lr},-{z},1\n"
        ),
        csv
    );
    let table = dir.stdout(&[&args[..], &["--format", "table"]].concat());
    eqnice!(
        "term   n_target  n_reference  per_1k_target  per_1k_reference         g2  p_value  \
         p_adjusted  log_ratio  z_logodds     dp\n\
         alpha      1000            0       1000.000             0.000   2772.589  <1e-300     \
         <1e-300     10.966     42.549  1.000\n\
         beta          0         1000          0.000          1000.000  -2772.589  <1e-300     \
         <1e-300    -10.966    -42.549  1.000\n",
        table
    );
    dir.stdout(&[
        "run", "-q", "--corpus", "c.jsonl", "--by", "id", "--out", "o",
    ]);
    let report = dir.read("o/report.html");
    let cell = |v: &str, shown: &str| format!("<td class=\"num\" title=\"{v}\">{shown}</td>");
    let row = [
        "<tr><td>alpha</td><td class=\"num\">1000</td><td class=\"num\">0</td>".to_string(),
        cell("1000", "1000.000"),
        cell("0", "0.000"),
        cell(g2, "2772.589"),
        cell("0", "&lt;1e-300"),
        cell("0", "&lt;1e-300"),
        cell(lr, "10.966"),
        cell(z, "42.549"),
        cell("1", "1.000"),
        "</tr>".to_string(),
    ]
    .concat();
    assert!(report.contains(&row), "no keyness row {row} in the report");
}
