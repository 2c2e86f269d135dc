//! `framescope corpus`.

use crate::eqnice;
use crate::hay;
use crate::util::Dir;

#[test]
fn corpus_lists_documents_with_metadata() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let got = dir.stdout(&["corpus", "--format", "csv"]);
    eqnice!(
        "\
doc_id,title,date,voice,n_tokens,n_types,n_sentences,n_bytes
a,First,2018-10-14,gov,7,5,2,60
b,'=Second,2022,press,8,6,2,69
c,Third,2024-07,gov,0,0,0,0
",
        got
    );
}

/// `--fields`: each metadata field with its distinct values, the
/// documents with and without it, and its most frequent values, ties in
/// order of first appearance, as `--by` would group them (an empty value
/// or JSON's null is a value, `(empty)`); `year` after them when it comes
/// from the dates it can be read from. A corpus with a `year` field of
/// its own lists that.
#[test]
fn corpus_fields_summarize_the_metadata() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        [
            r#"{"id":"a","date":"2020-01-02","party":"X","text":"one"}"#,
            r#"{"id":"b","date":"2020","party":"Y","text":"two"}"#,
            r#"{"id":"c","date":"Summer 2021","party":"X","n":[1,2],"text":"three"}"#,
            r#"{"id":"d","party":"","text":"four"}"#,
            r#"{"id":"e","party":null,"text":"five"}"#,
            r#"{"id":"f","date":"2019-12","party":"Z","text":"six"}"#,
        ]
        .join("\n"),
    );
    eqnice!(
        "\
field,n_values,n_docs,n_missing,top
date,4,4,2,2020-01-02 (1); 2020 (1); Summer 2021 (1); 2019-12 (1)
party,4,6,0,X (2); (empty) (2); Y (1); Z (1)
n,1,1,5,\"[1,2] (1)\"
year,2,3,3,2020 (2); 2019 (1)
",
        dir.stdout(&["corpus", "--fields", "--corpus", "c.jsonl", "--format", "csv"])
    );
    dir.create(
        "y.jsonl",
        "{\"year\":\"1999\",\"date\":\"2020\",\"text\":\"a\"}\n{\"year\":\"1999\",\"text\":\"b\"}",
    );
    eqnice!(
        "\
field,n_values,n_docs,n_missing,top
year,1,2,0,1999 (2)
date,1,1,1,2020 (1)
",
        dir.stdout(&["corpus", "--fields", "--corpus", "y.jsonl", "--format", "csv"])
    );
}

#[test]
fn corpus_json_and_table() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let got = dir.stdout(&["corpus", "--format", "json"]);
    assert!(got.starts_with("[\n{\"doc_id\":\"a\",\"title\":\"First\",\"date\":\"2018-10-14\",\"voice\":\"gov\",\"n_tokens\":7,"), "{got}");
    assert!(
        got.contains("\"title\":\"=Second\""),
        "json is not a spreadsheet: no escaping: {got}"
    );
    let got = dir.stdout(&["corpus", "--format", "table"]);
    eqnice!(
        "\
doc_id  title    date        voice  n_tokens  n_types  n_sentences  n_bytes
a       First    2018-10-14  gov           7        5            2       60
b       =Second  2022        press         8        6            2       69
c       Third    2024-07     gov           0        0            0        0
",
        got
    );
}

#[test]
fn corpus_folder_without_manifest_in_path_order() {
    // Path order compares relative paths bytewise: "a.txt" < "a/z.txt".
    let dir = Dir::new();
    dir.create("c/b.txt", "two words");
    dir.create("c/a/z.txt", "one");
    dir.create("c/a.txt", "three more words");
    dir.create("c/notes.md", "not a document");
    let got = dir.stdout(&["corpus", "--corpus", "c", "--format", "csv"]);
    eqnice!(
        "\
doc_id,n_tokens,n_types,n_sentences,n_bytes
a,3,3,1,16
z,1,1,1,3
b,2,2,1,9
",
        got
    );
}

#[test]
fn corpus_jsonl_metadata_union_in_order() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"x\",\"text\":\"Hello there.\",\"year\":2020}\n\
         {\"text\":\"Second one\",\"outlet\":\"AP\",\"tags\":[1,2],\"n\":null}\n",
    );
    let got = dir.stdout(&["corpus", "--corpus", "c.jsonl", "--format", "csv"]);
    eqnice!(
        "\
doc_id,year,outlet,tags,n,n_tokens,n_types,n_sentences,n_bytes
x,2020,,,,2,2,1,12
text2,,AP,\"[1,2]\",,2,2,1,10
",
        got
    );
}

/// The aligned table (what a terminal gets) writes an id's control
/// characters as escapes, not raw: an escape sequence in an id would
/// recolour the terminal. CSV keeps them as they are.
#[test]
fn table_shows_control_characters_as_escapes() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"a\\u001b[31mRED\",\"text\":\"x\"}\n{\"id\":\"b\\tc\\u0085\",\"text\":\"y z\"}\n",
    );
    let got = dir.stdout(&["corpus", "--corpus", "c.jsonl", "--format", "table"]);
    eqnice!(
        "\
doc_id          n_tokens  n_types  n_sentences  n_bytes
a\\u{1b}[31mRED         1        1            1        1
b c\\u{85}              2        2            1        3
",
        got
    );
    let got = dir.stdout(&["corpus", "--corpus", "c.jsonl", "--format", "csv"]);
    eqnice!(
        "doc_id,n_tokens,n_types,n_sentences,n_bytes\na\u{1b}[31mRED,1,1,1,1\nb\tc\u{85},2,2,1,3\n",
        got
    );
}

/// Fields named like the documents' table's own columns (a corpus's own
/// `doc_id`, an `n_tokens` it carries) are listed as `meta_NAME`, with a
/// note; the header names no column twice. `run`'s docs.csv likewise.
#[test]
fn fields_named_like_own_columns_are_renamed() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"a\",\"doc_id\":\"X1\",\"n_tokens\":7,\"meta_n_tokens\":1,\"text\":\"Win-win here.\"}\n\
         {\"id\":\"b\",\"doc_id\":\"X2\",\"text\":\"Other words\"}\n",
    );
    let out = dir
        .cmd(&["corpus", "--corpus", "c.jsonl", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let want = "\
doc_id,meta_doc_id,meta_meta_n_tokens,meta_n_tokens,n_tokens,n_types,n_sentences,n_bytes
a,X1,7,1,2,2,1,13
b,X2,,,2,2,1,11
";
    eqnice!(want, String::from_utf8_lossy(&out.stdout));
    eqnice!(
        "framescope: the field doc_id is listed as meta_doc_id (the documents' table has \
         its own doc_id column)\n\
         framescope: the field n_tokens is listed as meta_meta_n_tokens (the documents' \
         table has its own n_tokens column)\n",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.stdout(&["run", "-q", "--corpus", "c.jsonl", "--out", "o"]);
    eqnice!(want, dir.read("o/docs.csv"));
}

/// A folder without a manifest whose file names hold the metadata, as the
/// UN General Debate corpus's do (`ARG_76_2021.txt` in `Session 76 -
/// 2021/`): --name-fields names the parts, `-` leaves one out, and the
/// fields are metadata like a manifest's: listed, summarized, grouped by,
/// and recorded in run.json. --name-sep splits at other text.
#[test]
fn name_fields_read_metadata_from_file_names() {
    let dir = Dir::new();
    dir.create(
        "c/Session 75 - 2020/BRA_75_2020.txt",
        "We call for win-win cooperation.",
    );
    dir.create("c/Session 76 - 2021/ARG_76_2021.txt", "A shared future.");
    dir.create(
        "c/Session 76 - 2021/CHN_76_2021.txt",
        "Win-win cooperation.",
    );
    let list = |extra: &[&str]| {
        let mut args = vec!["corpus", "--corpus", "c", "--format", "csv"];
        args.extend(extra);
        dir.stdout(&args)
    };
    eqnice!(
        "\
doc_id,country,session,year,n_tokens,n_types,n_sentences,n_bytes
BRA_75_2020,BRA,75,2020,5,5,1,32
ARG_76_2021,ARG,76,2021,3,3,1,16
CHN_76_2021,CHN,76,2021,2,2,1,20
",
        list(&["--name-fields", "country, session,year"])
    );
    eqnice!(
        "\
field,n_values,n_docs,n_missing,top
country,3,3,0,BRA (1); ARG (1); CHN (1)
year,2,3,0,2021 (2); 2020 (1)
",
        list(&["--name-fields", "country,-,year", "--fields"])
    );
    let by_year = dir.stdout(&[
        "score",
        "--corpus",
        "c",
        "--name-fields",
        "country,-,year",
        "--by",
        "year",
        "--format",
        "csv",
    ]);
    let groups: std::collections::BTreeSet<&str> = by_year
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        groups.into_iter().collect::<Vec<_>>(),
        ["2020", "2021"],
        "{by_year}"
    );
    dir.stdout(&[
        "run",
        "--corpus",
        "c",
        "--name-fields",
        "country,session,year",
        "--out",
        "o",
        "--quiet",
    ]);
    let run = dir.read("o/run.json");
    assert!(
        run.contains(
            "\"name_fields\": [\n      \"country\",\n      \"session\",\n      \"year\"\n    ]"
        ),
        "{run}"
    );
    // A `year` is a date for the timeline when there is no `date` (two
    // documents of a year: pooled by year).
    dir.stdout(&[
        "chart",
        "timeline",
        "--corpus",
        "c",
        "--name-fields",
        "country,-,year",
        "--out",
        "ch",
    ]);
    let svg = dir.read("ch/timeline.svg");
    assert!(
        svg.contains("documents together (3 dated documents;"),
        "{svg}"
    );
    // Another separator.
    dir.create("d/2021-03-04 reuters.txt", "Win-win.");
    eqnice!(
        "\
doc_id,date,outlet,n_tokens,n_types,n_sentences,n_bytes
2021-03-04 reuters,2021-03-04,reuters,1,1,1,8
",
        dir.stdout(&[
            "corpus",
            "--corpus",
            "d",
            "--name-fields",
            "date,outlet",
            "--name-sep",
            " ",
            "--format",
            "csv"
        ])
    );
}

#[test]
fn corpus_csv_with_text_column() {
    let dir = Dir::new();
    dir.create(
        "c.csv",
        "id,text,author\nd1,\"A text, with a comma.\",Li\n,Another.,Wu\n",
    );
    let got = dir.stdout(&["corpus", "--corpus", "c.csv", "--format", "csv"]);
    eqnice!(
        "\
doc_id,author,n_tokens,n_types,n_sentences,n_bytes
d1,Li,5,4,1,21
text2,Wu,1,1,1,8
",
        got
    );
}

/// A folder whose files are read ahead on threads of their own (as when
/// they are not in the page cache; forced here) gives what reading them
/// one at a time gives, and what the same documents in a `.jsonl` give:
/// every output file of `run`, byte for byte, and the binary files'
/// warnings in path order. One file is too big to be read ahead and is
/// read in its turn.
#[test]
fn folder_read_ahead_reads_as_one_file_at_a_time() {
    let dir = Dir::new();
    let mut jsonl = String::new();
    let mut warnings = String::new();
    for i in 0..400 {
        let rel = format!("f/part{}/doc{i:03}.txt", i / 100);
        if matches!(i, 20 | 150 | 399) {
            dir.create(&rel, b"%PDF\x00 binary");
            warnings.push_str(&format!(
                "framescope: warning: {}: binary file (it holds NUL bytes), skipped\n",
                std::path::Path::new(&rel).display()
            ));
            continue;
        }
        let text = if i == 200 {
            // Over 1 MiB: more than a file read ahead may hold.
            "Win-win cooperation is the long road. ".repeat(30_000)
        } else {
            format!(
                "Document {i} on win-win cooperation{}. External interference is {}.",
                " and shared development".repeat(i % 7),
                ["rejected", "opposed", "noted"][i % 3]
            )
        };
        dir.create(&rel, &text);
        jsonl.push_str(&serde_json::json!({"id": format!("doc{i:03}"), "text": text}).to_string());
        jsonl.push('\n');
    }
    dir.create("f.jsonl", jsonl);
    let run = |corpus: &str, out: &str, ahead: bool| {
        let mut cmd = dir.cmd(&[
            "run",
            "-q",
            "--threads",
            "2",
            "--corpus",
            corpus,
            "--out",
            out,
        ]);
        if ahead {
            cmd.env("FRAMESCOPE_READ_AHEAD", "always");
        }
        let got = cmd.output().unwrap();
        assert!(
            got.status.success(),
            "{}",
            String::from_utf8_lossy(&got.stderr)
        );
        String::from_utf8(got.stderr).unwrap()
    };
    let note = "framescope: 397 documents: keyness.csv, frame_compare.csv and similarity.csv \
                are left empty rather than comparing every document; give --by FIELD to \
                compare groups\n";
    eqnice!(format!("{warnings}{note}"), run("f", "ahead", true));
    eqnice!(format!("{warnings}{note}"), run("f", "one", false));
    eqnice!(note, run("f.jsonl", "jsonl", false));
    let files = dir.files("ahead");
    assert_eq!(files, dir.files("one"));
    assert_eq!(files, dir.files("jsonl"));
    assert!(files.len() > 20, "{files:?}");
    // run.json's timings aside.
    let untimed = |out: &str, f: &str| -> Vec<u8> {
        let bytes = std::fs::read(dir.join(out).join(f)).unwrap();
        if f != "run.json" {
            return bytes;
        }
        let text = String::from_utf8(bytes).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.contains("\"elapsed_seconds\"") && !l.contains("\"mb_per_second\""))
            .collect();
        assert_eq!(kept.len() + 2, text.lines().count());
        kept.join("\n").into_bytes()
    };
    for f in &files {
        let ahead = untimed("ahead", f);
        assert!(ahead == untimed("one", f), "{f} differs");
        // The corpus's name and format are in the report and run.json.
        if f.ends_with(".csv") || f.ends_with(".svg") || f.ends_with(".png") {
            assert!(
                ahead == untimed("jsonl", f),
                "{f} differs from the .jsonl's"
            );
        }
    }
}

/// One corpus in three shapes and three encodings: a folder of
/// Windows-1252 files with a Windows-1252 manifest, a Windows-1252
/// `.csv.gz`, and a UTF-16LE `.jsonl` with its byte-order mark. Read
/// with `--encoding`, each gives what its UTF-8 twin gives: documents
/// and metadata, terms, and hit lines (whose byte offsets are the UTF-8
/// text's).
#[test]
fn files_in_other_encodings_read_as_their_utf8_twins() {
    use std::io::Write;
    let dir = Dir::new();
    let docs = [
        ("a", "Café", "Win-win “cooperation” — 5 €. Naïve façade."),
        (
            "b",
            "Résumé",
            "External interference, not win-win. Déjà vu.",
        ),
    ];
    // Windows-1252 bytes of text that has them all.
    let cp1252 = |s: &str| -> Vec<u8> {
        s.chars()
            .map(|c| match c {
                '“' => 0x93,
                '”' => 0x94,
                '—' => 0x97,
                '€' => 0x80,
                c => u8::try_from(u32::from(c)).expect("Latin-1"),
            })
            .collect()
    };
    let utf16 = |s: &str| -> Vec<u8> {
        let mut b = vec![0xFF, 0xFE];
        b.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        b
    };
    let mut manifest = String::from("file,id,title\n");
    let mut csv = String::from("id,title,text\n");
    let mut jsonl = String::new();
    for (id, title, text) in docs {
        manifest += &format!("{id}.txt,{id},{title}\n");
        csv += &format!("{id},{title},\"{text}\"\n");
        jsonl += &format!(
            "{}\n",
            serde_json::json!({"id": id, "title": title, "text": text})
        );
        dir.create(&format!("u/{id}.txt"), text);
        dir.create(&format!("w/{id}.txt"), cp1252(text));
    }
    dir.create("u/manifest.csv", &manifest);
    dir.create("w/manifest.csv", cp1252(&manifest));
    dir.create("u.csv", &csv);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&cp1252(&csv)).unwrap();
    dir.create("w.csv.gz", gz.finish().unwrap());
    dir.create("u.jsonl", &jsonl);
    dir.create("w.jsonl", utf16(&jsonl));
    let views = |corpus: &str, more: &[&str]| -> Vec<String> {
        [
            vec!["corpus", "--format", "csv"],
            vec!["freq", "--format", "csv"],
            vec!["kwic", "win-win", "interfer*", "--format", "csv"],
        ]
        .iter()
        .map(|cmd| dir.stdout(&[&cmd[..], &["--corpus", corpus], more].concat()))
        .collect()
    };
    let want = views("u", &[]);
    assert!(
        want[0].contains("Café") && want[1].contains("naïve"),
        "{want:?}"
    );
    assert!(want[2].contains("cooperation” — 5 €"), "{}", want[2]);
    // A byte-order mark wins over the label, in every kind of file: a
    // UTF-8 .csv, manifest and text files, a UTF-16BE .jsonl.
    let mut bom8 = b"\xef\xbb\xbf".to_vec();
    bom8.extend(csv.as_bytes());
    dir.create("b8.csv", &bom8);
    let mut bom8 = b"\xef\xbb\xbf".to_vec();
    bom8.extend(manifest.as_bytes());
    dir.create("b8/manifest.csv", &bom8);
    for (id, _, text) in docs {
        dir.create(&format!("b8/{id}.txt"), format!("\u{feff}{text}"));
    }
    let mut be = vec![0xFE, 0xFF];
    be.extend(jsonl.encode_utf16().flat_map(u16::to_be_bytes));
    dir.create("be.jsonl", &be);
    for (w, u, label) in [
        ("w", "u", "windows-1252"),
        ("w.csv.gz", "u.csv", "latin1"),
        ("w.jsonl", "u.jsonl", "utf-16le"),
        ("b8.csv", "u.csv", "windows-1252"),
        ("b8", "u", "windows-1252"),
        ("be.jsonl", "u.jsonl", "utf-16le"),
    ] {
        let want = views(u, &[]);
        let got = views(w, &["--encoding", label]);
        for (g, w) in got.iter().zip(&want) {
            eqnice!(w, g);
        }
    }
}

/// A news API's articles (`source` an object) in a `.jsonl` and as a
/// `.json` array: the object's fields are metadata named by their path,
/// listed by `corpus` and grouped by with `--by source.name`.
#[test]
fn nested_objects_are_fields_named_by_their_path() {
    let dir = Dir::new();
    let lines = [
        r#"{"source":{"id":null,"name":"AP"},"author":"X","content":"Win-win cooperation.","meta":{"geo":{"country":"US"}}}"#,
        r#"{"source":{"id":"reuters","name":"Reuters"},"author":"Y","content":"External interference."}"#,
        r#"{"source":{"id":null,"name":"AP"},"author":null,"content":"Cooperation again.","meta":{}}"#,
    ];
    dir.create("n.jsonl", lines.join("\n") + "\n");
    dir.create("n.json", format!("[\n{}\n]\n", lines.join(",\n")));
    for file in ["n.jsonl", "n.json"] {
        let args = [
            "--corpus",
            file,
            "--text-field",
            "content",
            "--format",
            "csv",
        ];
        eqnice!(
            "\
doc_id,source.id,source.name,author,meta.geo.country,meta,n_tokens,n_types,n_sentences,n_bytes
text1,,AP,X,US,,2,2,1,20
text2,reuters,Reuters,Y,,,2,2,1,22
text3,,AP,,,{},2,2,1,18
",
            dir.stdout(&[&["corpus"][..], &args].concat())
        );
        eqnice!(
            "\
group,term,n,per_1k,n_docs
AP,cooperation,2,500,2
AP,again,1,250,1
AP,win-win,1,250,1
Reuters,external,1,500,1
Reuters,interference,1,500,1
",
            dir.stdout(&[&["freq", "--by", "source.name"][..], &args].concat())
        );
    }
}

/// A folder unzipped from macOS (`__MACOSX/._X.txt`) or holding an
/// editor's hidden backup reads its visible `.txt` files alone, with a
/// note: file names give their metadata (`--name-fields`) without the
/// hidden ones stopping the read; a manifest that lists a hidden file
/// reads it.
#[test]
fn hidden_files_are_left_out_with_a_note() {
    let dir = Dir::new();
    dir.create("c/USA_76_2021.txt", "Win-win cooperation.");
    dir.create("c/FRA_76_2021.txt", "External interference.");
    dir.create("c/__MACOSX/._USA_76_2021.txt", b"\x00\x05\x16\x07Mac OS X");
    dir.create("c/.notes.txt", "not a document");
    dir.create("c/.git/HEAD.txt", "ref");
    // A hidden folder named like a text file is no file to count.
    dir.create("c/.old.txt/x.bin", "");
    let (stdout, stderr) = dir.outputs(&[
        "corpus",
        "--corpus",
        "c",
        "--name-fields",
        "country,session,year",
        "--format",
        "csv",
    ]);
    eqnice!(
        "doc_id,country,session,year,n_tokens,n_types,n_sentences,n_bytes\n\
         FRA_76_2021,FRA,76,2021,2,2,1,22\n\
         USA_76_2021,USA,76,2021,2,2,1,20\n",
        stdout
    );
    eqnice!(
        "framescope: note: c: 3 hidden .txt files are left out (the first: \
         .git/HEAD.txt); names starting with `.` (macOS's `._` files, an editor's \
         backups) are not documents, as readtext leaves them out too; list them in a \
         manifest.csv to read them\n",
        stderr
    );
    // A link to a hidden folder reads nothing; the note counts its files.
    #[cfg(unix)]
    {
        dir.create("l/.data/a.txt", "peace and war");
        dir.create("l/b.txt", "hello");
        std::os::unix::fs::symlink(".data", dir.path().join("l/data")).unwrap();
        let out = dir
            .cmd(&["corpus", "--corpus", "l", "--format", "csv"])
            .output()
            .unwrap();
        eqnice!(
            "doc_id,n_tokens,n_types,n_sentences,n_bytes\nb,1,1,1,5\n",
            String::from_utf8_lossy(&out.stdout)
        );
        assert!(String::from_utf8_lossy(&out.stderr).starts_with(
            "framescope: note: l: 1 hidden .txt file is left out (the first: .data/a.txt)"
        ));
    }
    dir.create("c/manifest.csv", "file,id\n.notes.txt,n\n");
    eqnice!(
        "doc_id,n_tokens,n_types,n_sentences,n_bytes\nn,3,3,1,14\n",
        dir.stdout(&["corpus", "--corpus", "c", "--format", "csv"])
    );
}

/// `--exclude` leaves out a folder corpus's stray files and folders, as a
/// `.gitignore` reads its patterns: a name at any depth, a path from the
/// corpus folder, `*` within a name, a trailing `/` for folders alone;
/// a note counts the .txt files left out, and a pattern that matches
/// nothing is warned of. A bad pattern, a manifest's folder and a
/// one-file corpus refuse it; run.json records it.
#[test]
fn exclude_leaves_out_stray_files_and_folders() {
    let dir = Dir::new();
    dir.create("c/a.txt", "Win-win cooperation.");
    dir.create("c/README.txt", "How this corpus was made.");
    dir.create("c/2019/b.txt", "External interference.");
    dir.create("c/2019/notes/n1.txt", "A note.");
    dir.create("c/2019/notes/keep/n2.txt", "Another note.");
    dir.create("c/drafts/d.txt", "A draft.");
    dir.create("c/sub/c_draft.txt", "A draft too.");
    // A file named like a folder pattern: `drafts/` matches folders alone.
    dir.create("c/sub/drafts.txt", "Not a folder.");
    let run = |more: &[&str]| {
        dir.outputs(&[&["corpus", "--corpus", "c", "--format", "csv"][..], more].concat())
    };
    let ids = |csv: &str| -> Vec<String> {
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect()
    };
    let (all, _) = run(&[]);
    assert_eq!(
        ids(&all),
        ["b", "n2", "n1", "README", "a", "d", "c_draft", "drafts"]
    );
    let (out, err) = run(&[
        "--exclude",
        "README.txt",
        "--exclude",
        "drafts/",
        "--exclude",
        "2019/notes/*.txt",
        "--exclude",
        "*_draft.txt",
        "--exclude",
        "READM.txt",
    ]);
    assert_eq!(ids(&out), ["b", "n2", "a", "drafts"]);
    eqnice!(
        "framescope: note: c: 4 .txt files are left out by --exclude (the first: \
         2019/notes/n1.txt)\n\
         framescope: warning: c: --exclude \"READM.txt\" matches no file or folder; check \
         it (it is a file's or folder's whole name, at any depth)\n",
        err
    );
    // `**` crosses folders; a folder matched goes with all below it.
    let (out, err) = run(&["--exclude", "2019/**/*.txt", "--exclude", "sub"]);
    assert_eq!(ids(&out), ["README", "a", "d"]);
    eqnice!(
        "framescope: note: c: 5 .txt files are left out by --exclude (the first: \
         2019/b.txt)\n",
        err
    );
    let (out, _) = run(&["--exclude", "notes"]);
    assert_eq!(ids(&out), ["b", "README", "a", "d", "c_draft", "drafts"]);
    // A leading / or ./ anchors a name at the corpus folder.
    let (out, err) = run(&["--exclude", "./2019/notes", "--exclude", "/b.txt"]);
    assert_eq!(ids(&out), ["b", "README", "a", "d", "c_draft", "drafts"]);
    eqnice!(
        "framescope: note: c: 2 .txt files are left out by --exclude (the first: \
         2019/notes/keep/n2.txt)\n\
         framescope: warning: c: --exclude \"/b.txt\" matches no file or folder; check \
         it (it is a path from the corpus folder)\n",
        err
    );
    // Any case, as .txt is told; a link to a file is a file; a hidden
    // entry that a pattern names is left out as hidden, unwarned; a
    // trailing / keeps to folders, as the warning says.
    dir.create("c/NOTES.TXT", "Shouting.");
    dir.create("c/.backup/x.txt", "Hidden.");
    #[cfg(unix)]
    std::os::unix::fs::symlink("a.txt", dir.path().join("c/link.txt")).unwrap();
    let mut more = vec![
        "--exclude",
        "notes.txt",
        "--exclude",
        ".backup",
        "--exclude",
        "a.txt/",
    ];
    if cfg!(unix) {
        more.extend(["--exclude", "link.txt"]);
    }
    let (out, err) = run(&more);
    assert_eq!(
        ids(&out),
        ["b", "n2", "n1", "README", "a", "d", "c_draft", "drafts"]
    );
    let left = if cfg!(unix) { 2 } else { 1 };
    assert_eq!(
        err.lines().take(2).collect::<Vec<_>>(),
        [
            format!(
                "framescope: note: c: {left} .txt files are left out by --exclude (the \
                 first: NOTES.TXT)"
            )
            .replace("1 .txt files are", "1 .txt file is"),
            "framescope: warning: c: --exclude \"a.txt/\" matches no file or folder; check \
             it (it is a folder's whole name, at any depth)"
                .to_string(),
        ]
    );
    assert!(err.lines().nth(2).unwrap().starts_with(
        "framescope: note: c: 1 hidden .txt file is left out (the first: .backup/x.txt)"
    ));
    assert_eq!(err.lines().count(), 3, "{err}");
    // run.json records the patterns.
    dir.stdout(&[
        "run",
        "-q",
        "--corpus",
        "c",
        "--exclude",
        "README.txt",
        "--out",
        "o",
    ]);
    let run_json: serde_json::Value = serde_json::from_str(&dir.read("o/run.json")).unwrap();
    assert_eq!(
        run_json["settings"]["exclude"],
        serde_json::json!(["README.txt"])
    );
    // Refused: a bad pattern, at once; a folder with a manifest; one file.
    let fails = |a: &[&str]| String::from_utf8(dir.fails(a).stderr).unwrap();
    assert_eq!(
        fails(&["corpus", "--corpus", "c", "--exclude", "a[b"]),
        "framescope: error: invalid value 'a[b' for '--exclude <GLOB>': --exclude \"a[b\" \
         is not a pattern (unclosed character class; missing ']'); write names with * and \
         ? (*_draft.txt) or paths from the corpus folder (2019/notes/*.txt) (more with \
         --help)\n"
    );
    assert!(
        fails(&["corpus", "--corpus", "c", "--exclude", "./"]).contains(
            "--exclude \"./\" names nothing; give a name or path pattern, such as README.txt \
         or drafts/"
        )
    );
    assert_eq!(
        fails(&["corpus", "--corpus", "c/a.txt", "--exclude", "x"]),
        "framescope: c/a.txt: --exclude \"x\" leaves out files of a folder corpus; this \
         corpus is one file\n"
    );
    dir.create("x/a.txt", "Words.");
    assert_eq!(
        fails(&["corpus", "--corpus", "x", "--exclude", "*.TXT"]),
        "framescope: note: x: 1 .txt file is left out by --exclude (the first: a.txt)\n\
         framescope: x: --exclude leaves out every .txt file of this folder (1); check the \
         patterns\n"
    );
    dir.create("m/manifest.csv", "file,id\na.txt,a\n");
    dir.create("m/a.txt", "Words.");
    assert_eq!(
        fails(&["corpus", "--corpus", "m", "--exclude", "b.txt"]),
        "framescope: m/manifest.csv: --exclude \"b.txt\" leaves out files of a folder \
         without a manifest; this folder's documents are the files its manifest.csv lists \
         (drop their rows instead)\n"
    );
}

/// A value may start with `-`: `--name-fields -,year` (the documented
/// way to leave out a file name's first part) and `--target -1` (a
/// negative id or group) are values, not options.
#[test]
fn values_may_start_with_a_hyphen() {
    let dir = Dir::new();
    dir.create("nf/X1_2020.txt", "Win-win cooperation.");
    dir.create("nf/X2_2021.txt", "External interference.");
    eqnice!(
        "doc_id,year,n_tokens,n_types,n_sentences,n_bytes\n\
         X1_2020,2020,2,2,1,20\n\
         X2_2021,2021,2,2,1,22\n",
        dir.stdout(&[
            "corpus",
            "--corpus",
            "nf",
            "--name-fields",
            "-,year",
            "--format",
            "csv"
        ])
    );
    dir.create(
        "neg.jsonl",
        "{\"id\":\"-1\",\"text\":\"Win-win cooperation. Cooperation, cooperation.\"}\n\
         {\"id\":\"2\",\"text\":\"Win-win again. Again, again.\"}\n",
    );
    let kwic = dir.stdout(&[
        "kwic",
        "-q",
        "win-win",
        "--corpus",
        "neg.jsonl",
        "--by",
        "id",
        "--target",
        "-1",
        "--format",
        "csv",
    ]);
    assert_eq!(
        kwic.lines()
            .map(|l| l.split(',').next().unwrap())
            .collect::<Vec<_>>(),
        ["doc_id", "-1"]
    );
    let compare = dir.stdout(&[
        "compare",
        "-q",
        "--corpus",
        "neg.jsonl",
        "--by",
        "id",
        "--target",
        "-1",
        "--reference",
        "2",
        "--format",
        "csv",
    ]);
    assert!(compare.contains("\ncooperation,3,0,"), "{compare}");
}
