//! Bad input: a one-line message naming the file (line, byte, field) and
//! what to do, exit status 1 (2 for usage errors), and nothing written.

use std::path::Path;

use crate::eqnice;
use crate::hay;
use crate::util::Dir;

/// Run, expect exit `code` with exactly `message` on stderr, and check
/// that the output folder `o` was not created.
fn check(dir: &Dir, args: &[&str], code: i32, message: &str) {
    let mut all = args.to_vec();
    let writes = all[0] == "run";
    if writes {
        all.extend(["--out", "o"]);
    }
    let out = dir.fails(&all);
    assert_eq!(out.status.code(), Some(code), "{args:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("{message}\n"),
        "{args:?}"
    );
    assert_eq!(out.stdout, b"", "{args:?}");
    if writes {
        assert!(!dir.join("o").exists(), "{args:?} wrote output");
    }
}

#[test]
fn error_corpus_does_not_exist() {
    let dir = Dir::new();
    check(
        &dir,
        &["run", "--corpus", "nope"],
        1,
        "framescope: nope: no such file or folder; give a folder of .txt \
         files, a .jsonl or a .csv file with --corpus",
    );
}

/// A single text file, a JSON array or a compressed CSV is not a corpus
/// format: the error says which are.
#[test]
fn error_corpus_of_an_unknown_format() {
    let dir = Dir::new();
    for file in ["notes.txt", "docs.xml", "docs.xlsx", "docs.csv.bz2"] {
        dir.create(file, "Win-win cooperation.");
        check(
            &dir,
            &["run", "--corpus", file],
            1,
            &format!(
                "framescope: {file}: unknown corpus format; give a folder of .txt \
                 files, a .jsonl, .json, .csv or .tsv file (any may be .gz)"
            ),
        );
    }
}

#[test]
fn error_folder_without_txt() {
    let dir = Dir::new();
    dir.create("empty/readme.md", "no documents here");
    check(
        &dir,
        &["run", "--corpus", "empty"],
        1,
        "framescope: empty: no .txt files in this folder; add .txt files (and \
         optionally a manifest.csv) or point --corpus at a .jsonl or .csv file",
    );
}

/// A news API's answer saved as it came (one object holding the articles
/// in an array): the message says where the documents are and how to
/// write them one a line.
#[test]
fn error_documents_inside_a_wrapper_object() {
    let dir = Dir::new();
    dir.create(
        "news.json",
        "{\"status\":\"ok\",\"articles\":[{\"title\":\"a\",\"content\":\"Hello\"}]}",
    );
    check(
        &dir,
        &["corpus", "--corpus", "news.json"],
        1,
        "framescope: news.json:1: no \"text\" field; each line must be a JSON object with a \
         string \"text\" (or name the field that holds it with --text-field); its field \
         \"articles\" holds an array of objects: if those are the documents, write them one \
         a line (jq -c '.articles[]' FILE > FILE.jsonl)",
    );
}

/// A folder corpus reads its .txt files; the others (a .txt.gz, a .text)
/// are named in a warning, not skipped silently.
#[test]
fn folder_warns_of_files_not_read() {
    let dir = Dir::new();
    dir.create("c/a.txt", "Win-win.");
    dir.create("c/sub/b.txt.gz", "not text");
    dir.create("c/c.text", "Words.");
    let (stdout, stderr) = dir.outputs(&["corpus", "--corpus", "c", "--format", "csv"]);
    assert_eq!(
        stdout,
        "doc_id,n_tokens,n_types,n_sentences,n_bytes\na,1,1,1,8\n"
    );
    assert_eq!(
        stderr,
        "framescope: warning: c: 2 files of the folder are not .txt and not read (the \
         first: c.text); a folder corpus reads .txt files (convert others, e.g. gunzip a \
         .txt.gz)\n"
    );
}

/// A pipe named .txt in a folder corpus is refused when the folder is
/// listed, not read forever.
#[cfg(unix)]
#[test]
fn error_folder_with_a_pipe() {
    let dir = Dir::new();
    dir.create("c/a.txt", "Win-win cooperation.");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("c/b.txt"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // A reader of the pipe would wait forever: the test fails instead.
    let mut child = dir
        .cmd(&["run", "--corpus", "c", "--out", "o"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            panic!("framescope is still reading the pipe after 60 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(1));
    assert_eq!(
        stderr,
        format!(
            "framescope: {}: not a regular file (a pipe, socket or device); remove \
             it from the corpus folder or rename it without .txt\n",
            Path::new("c").join("b.txt").display()
        )
    );
    assert!(!dir.join("o").exists());
}

#[test]
fn error_invalid_utf8_names_the_byte() {
    let dir = Dir::new();
    dir.create("c/ok.txt", "fine");
    dir.create("c/bad.txt", b"ab\xffcd");
    check(
        &dir,
        &["run", "--corpus", "c"],
        1,
        &format!(
            "framescope: {0}: invalid UTF-8 at byte 2 (0xFF, which is 'ÿ' in Windows-1252, \
             the usual encoding of such files: --encoding windows-1252 reads it, or iconv -f \
             WINDOWS-1252 -t UTF-8 {0} > {0}.utf8 && mv {0}.utf8 {0} converts it); convert the \
             file to UTF-8, or pass \
             --lossy to replace invalid bytes",
            std::path::Path::new("c").join("bad.txt").display()
        ),
    );
}

#[test]
fn lossy_replaces_invalid_bytes_with_a_warning() {
    let dir = Dir::new();
    dir.create("c/bad.txt", b"ab\xffcd");
    let out = dir
        .cmd(&["freq", "--corpus", "c", "--lossy", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "framescope: warning: c/bad.txt: invalid UTF-8 at byte 2 replaced \
         with U+FFFD (--lossy)\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "group,term,n,per_1k,n_docs\nbad,ab,1,500,1\nbad,cd,1,500,1\n"
    );
}

#[test]
fn error_utf16_is_named() {
    let dir = Dir::new();
    dir.create("c/u16.txt", b"\xff\xfeh\x00i\x00");
    check(
        &dir,
        &["run", "--corpus", "c"],
        1,
        "framescope: c/u16.txt: the file is UTF-16 (it starts with a UTF-16 \
         byte-order mark); pass --encoding utf-16le to read it (the mark tells which byte \
         order), or convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8",
    );
    // Without a byte-order mark: told by the NULs between the letters,
    // in a folder (not skipped as a binary file) and in a .jsonl.
    let le = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    dir.create("n/u16.txt", le("Win-win café"));
    let unmarked = "the file looks like UTF-16 without a byte-order mark (NUL bytes between \
                    its letters); pass --encoding utf-16le to read it, or convert it to UTF-8, \
                    e.g. iconv -f UTF-16LE -t UTF-8";
    check(
        &dir,
        &["freq", "--corpus", "n"],
        1,
        &format!("framescope: n/u16.txt: {unmarked}"),
    );
    dir.create("n.jsonl", le("{\"text\":\"café au lait\"}\n"));
    check(
        &dir,
        &["freq", "--corpus", "n.jsonl"],
        1,
        &format!("framescope: n.jsonl: {unmarked}"),
    );
    // 16-bit numbers (a sound) have NULs too, beside no letters: a
    // binary file, skipped.
    let pcm: Vec<u8> = (0..200i16).flat_map(i16::to_le_bytes).collect();
    dir.create("p/pcm.txt", pcm);
    dir.create("p/ok.txt", "fine");
    let (_, stderr) = dir.outputs(&["freq", "--corpus", "p", "--format", "csv"]);
    assert_eq!(
        stderr,
        "framescope: warning: p/pcm.txt: binary file (it holds NUL bytes), skipped\n"
    );
    for c in ["n", "n.jsonl"] {
        let got = dir.stdout(&[
            "freq",
            "--corpus",
            c,
            "--encoding",
            "utf-16le",
            "--format",
            "csv",
        ]);
        assert!(got.contains(",café,1,"), "{got}");
    }
    // A label WHATWG decodes as one U+FFFD is refused.
    check(
        &dir,
        &["freq", "--corpus", "c", "--encoding", "iso-2022-kr"],
        2,
        "framescope: error: invalid value 'iso-2022-kr' for '--encoding <LABEL>': \
         \"iso-2022-kr\" is an encoding framescope cannot decode (WHATWG maps it to the \
         replacement encoding); convert the files to UTF-8 with iconv (more with --help)",
    );
    // As told: read, and by its mark whichever UTF-16 is named.
    for label in ["utf-16le", "UTF-16BE", "windows-1252"] {
        eqnice!(
            "group,term,n,per_1k,n_docs\nu16,hi,1,1000,1\n",
            dir.stdout(&[
                "freq",
                "--corpus",
                "c",
                "--encoding",
                label,
                "--format",
                "csv"
            ])
        );
    }
}

#[test]
fn error_manifest_without_file_column() {
    let dir = Dir::new();
    dir.create("c/manifest.csv", "path,id\na.txt,a\n");
    dir.create("c/a.txt", "x");
    check(
        &dir,
        &["run", "--corpus", "c"],
        1,
        "framescope: c/manifest.csv:1: no `file` column; the header must name \
         a `file` column with each document's path relative to the corpus folder",
    );
}

#[test]
fn error_manifest_names_a_missing_file() {
    let dir = Dir::new();
    dir.create("c/manifest.csv", "file,id\na.txt,a\nb.txt,b\n");
    dir.create("c/a.txt", "x");
    check(
        &dir,
        &["run", "--corpus", "c"],
        1,
        "framescope: c/manifest.csv:3: file \"b.txt\" does not exist; fix the \
         path or add the file",
    );
}

#[test]
fn error_manifest_path_outside_the_corpus() {
    let dir = Dir::new();
    dir.create("secret.txt", "do not read");
    dir.create("c/a.txt", "x");
    for (path, line) in [("../secret.txt", 2), ("/etc/passwd", 2)] {
        dir.create(
            "c/manifest.csv",
            format!("file\na.txt\n{path}\n").replace("a.txt\n", ""),
        );
        check(
            &dir,
            &["run", "--corpus", "c"],
            1,
            &format!(
                "framescope: c/manifest.csv:{line}: file \"{path}\" is outside \
                 the corpus folder; give a path relative to the folder, \
                 without `..`"
            ),
        );
    }
}

#[cfg(unix)]
#[test]
fn error_manifest_symlink_pointing_out() {
    let dir = Dir::new();
    dir.create("secret.txt", "do not read");
    dir.create("c/manifest.csv", "file\nlink.txt\n");
    std::os::unix::fs::symlink(dir.join("secret.txt"), dir.join("c/link.txt")).unwrap();
    check(
        &dir,
        &["run", "--corpus", "c"],
        1,
        "framescope: c/manifest.csv:2: file \"link.txt\" is a link to a place \
         outside the corpus folder; copy the file into the folder",
    );
    // A folder of the path that is a link out, after files inside: each
    // folder is resolved once, and this one is found out.
    dir.create("elsewhere/x.txt", "do not read either");
    dir.create("c/in/a.txt", "Win-win cooperation.");
    dir.create("c/manifest.csv", "file\nin/a.txt\nout/x.txt\n");
    std::os::unix::fs::symlink(dir.join("elsewhere"), dir.join("c/out")).unwrap();
    check(
        &dir,
        &["run", "--corpus", "c"],
        1,
        "framescope: c/manifest.csv:3: file \"out/x.txt\" is a link to a place \
         outside the corpus folder; copy the file into the folder",
    );
    // Links that stay inside are read.
    std::fs::remove_file(dir.join("c/out")).unwrap();
    std::os::unix::fs::symlink(dir.join("c/in"), dir.join("c/out")).unwrap();
    dir.create("c/manifest.csv", "file,id\nin/a.txt,a\nout/a.txt,b\n");
    assert_eq!(
        dir.stdout(&["corpus", "-q", "--corpus", "c", "--format", "csv"]),
        "doc_id,n_tokens,n_types,n_sentences,n_bytes\na,2,2,1,20\nb,2,2,1,20\n"
    );
}

#[test]
fn error_manifest_duplicate_ids() {
    let dir = Dir::new();
    dir.create("c/manifest.csv", "file,id\na.txt,x\nb.txt,y\nc.txt,x\n");
    for f in ["a", "b", "c"] {
        dir.create(&format!("c/{f}.txt"), "x");
    }
    check(
        &dir,
        &["run", "--corpus", "c"],
        1,
        "framescope: c/manifest.csv:4: duplicate id \"x\" (also on line 2); \
         give every document its own id, or give --unique-ids to number repeats (the \
         second \"x\" read as \"x.2\")",
    );
}

/// --unique-ids numbers a repeated id instead of failing on it: the
/// second `a` is `a.2`, the third `a.3`, and a later `a.2` is `a.2.2`,
/// each named in a warning (the first ten; then a count at the end), in
/// a .jsonl, a manifest and a folder whose files share a stem. Without
/// it each is refused, saying so.
#[test]
fn unique_ids_number_repeats() {
    let dir = Dir::new();
    let line = |id: &str, text: &str| format!("{{\"id\":\"{id}\",\"text\":\"{text}\"}}\n");
    dir.create(
        "c.jsonl",
        [
            line("a", "x"),
            line("a", "y y"),
            line("a.2", "z"),
            line("a", "w"),
        ]
        .concat(),
    );
    let listing = |corpus: &str| {
        let out = dir
            .cmd(&[
                "corpus",
                "--corpus",
                corpus,
                "--format",
                "csv",
                "--unique-ids",
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{corpus}");
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (docs, warnings) = listing("c.jsonl");
    eqnice!(
        "doc_id,n_tokens,n_types,n_sentences,n_bytes\na,1,1,1,1\na.2,2,1,1,3\na.2.2,1,1,1,1\na.3,1,1,1,1\n",
        docs
    );
    eqnice!(
        "\
framescope: warning: c.jsonl: document 2's id \"a\" is taken (by document 1); read as \"a.2\" (--unique-ids)
framescope: warning: c.jsonl: document 3's id \"a.2\" is taken (by document 2); read as \"a.2.2\" (--unique-ids)
framescope: warning: c.jsonl: document 4's id \"a\" is taken (by document 1); read as \"a.3\" (--unique-ids)
",
        warnings
    );
    // Past ten, a count at the end.
    dir.create(
        "many.jsonl",
        (0..13).map(|_| line("s", "x")).collect::<String>(),
    );
    let (docs, warnings) = listing("many.jsonl");
    assert_eq!(docs.lines().nth(13), Some("s.13,1,1,1,1"), "{docs}");
    assert_eq!(warnings.lines().count(), 11, "{warnings}");
    assert!(
        warnings
            .lines()
            .nth(9)
            .unwrap()
            .ends_with("read as \"s.11\" (--unique-ids); later repeats are counted, not named"),
        "{warnings}"
    );
    assert_eq!(
        warnings.lines().last(),
        Some(
            "framescope: warning: many.jsonl: 12 repeated ids in all were numbered (--unique-ids)"
        )
    );
    // A folder whose files share a stem, refused without the option.
    dir.create("f/one/speech.txt", "x");
    dir.create("f/two/speech.txt", "y");
    check(
        &dir,
        &["run", "--corpus", "f"],
        1,
        "framescope: f: two files have the id \"speech\" (one/speech.txt and \
         two/speech.txt); rename one, give ids in a manifest.csv, or give --unique-ids \
         to number repeats (the second \"x\" read as \"x.2\")",
    );
    let (docs, _) = listing("f");
    eqnice!(
        "doc_id,n_tokens,n_types,n_sentences,n_bytes\nspeech,1,1,1,1\nspeech.2,1,1,1,1\n",
        docs
    );
    // A manifest's repeated ids.
    manifest_of_two(&dir, "m", "file,id,n\na.txt,x,1\nb.txt,x,2\n");
    let (docs, warnings) = listing("m");
    eqnice!(
        "doc_id,n,n_tokens,n_types,n_sentences,n_bytes\nx,1,1,1,1,1\nx.2,2,1,1,1,1\n",
        docs
    );
    assert_eq!(
        warnings,
        format!(
            "framescope: warning: {}: document 2's id \"x\" is taken (by document 1); read as \"x.2\" (--unique-ids)\n",
            std::path::Path::new("m").display()
        )
    );
}

#[test]
fn error_jsonl_bad_lines_are_named() {
    let dir = Dir::new();
    let good = "{\"id\":\"a\",\"text\":\"fine\"}\n";
    let cases = [
        ("[1, 2]", "a JSON array is not a document; each line must be a JSON object with a string \"text\""),
        ("{\"text\": 3}", "\"text\" is a number, not a string; give each document's text as a JSON string"),
        ("{\"title\": \"x\"}", "no \"text\" field; each line must be a JSON object with a string \"text\" (or name the field that holds it with --text-field); its fields are title, and the longest value is title's (--text-field title)"),
        ("{\"text\": \"cut off", "not valid JSON (EOF while parsing a string at line 1 column 17); each line must be one JSON object with a string \"text\""),
    ];
    for (line, msg) in cases {
        dir.create("c.jsonl", format!("{good}{line}"));
        check(
            &dir,
            &["run", "--corpus", "c.jsonl"],
            1,
            &format!("framescope: c.jsonl:2: {msg}"),
        );
    }
}

#[test]
fn error_jsonl_duplicate_ids() {
    let dir = Dir::new();
    let (a, b) = (
        "{\"id\":\"a\",\"text\":\"x\"}\n",
        "{\"id\":\"b\",\"text\":\"y\"}\n",
    );
    // A document's id is checked once the next one is read: a duplicate
    // is found as the last document, before a good one, and before a
    // later line's error, which it precedes.
    for (corpus, docs) in [
        (format!("{a}{a}"), (1, 2)),
        (format!("{a}{a}{b}"), (1, 2)),
        (format!("{a}{b}{b}not json\n"), (2, 3)),
        (format!("{b}{a}{b}{a}"), (1, 3)),
    ] {
        dir.create("c.jsonl", &corpus);
        let id = if docs.0 == 1 && corpus.starts_with(a) {
            "a"
        } else {
            "b"
        };
        let msg = format!(
            "framescope: c.jsonl: duplicate document id \"{id}\" (documents {} and {}); \
             ids must be unique: fix the id column or field, or give --unique-ids to \
             number repeats (the second \"x\" read as \"x.2\")",
            docs.0, docs.1
        );
        check(&dir, &["run", "--corpus", "c.jsonl"], 1, &msg);
        check(&dir, &["kwic", "x", "--corpus", "c.jsonl"], 1, &msg);
    }
}

/// A header that names a column twice (or has two without a name) is
/// refused, in a CSV corpus and in a manifest: one of the two would be
/// lost. One unnamed column, such as pandas' index, is kept as metadata.
/// A row short of the header's fields is told apart from a long one.
#[test]
fn error_csv_columns_named_twice_and_rows_of_the_wrong_length() {
    let dir = Dir::new();
    let short = |line: u32, fields: &str, header: u32| {
        format!(
            "framescope: c.csv:{line}: this row has {fields} but the header has {header}; give \
             every row a value for each column (an empty value is nothing between two commas)"
        )
    };
    let long = |line: u32, fields: u32, header: u32| {
        format!(
            "framescope: c.csv:{line}: this row has {fields} fields but the header has \
             {header}; quote fields that contain commas"
        )
    };
    let cases = [
        (
            "id,text,text\na,x,y\n",
            "framescope: c.csv:1: the header names column `text` twice (columns 2 and 3); \
             give every column its own name"
                .to_string(),
        ),
        (
            "text,date,Date, date\nx,2020,2021,2022\n",
            "framescope: c.csv:1: the header names column `date` twice (columns 2 and 4); \
             give every column its own name"
                .to_string(),
        ),
        (
            ",,text\n1,2,x\n",
            "framescope: c.csv:1: the header has two columns without a name (columns 1 and 2); \
             name them"
                .to_string(),
        ),
        ("id,text,date\na,x\n", short(2, "2 fields", 3)),
        ("id,text\na,x\nb\n", short(3, "1 field", 2)),
        ("id,text\na,x,y\n", long(2, 3, 2)),
        // Lines are counted as an editor counts them, whatever the line
        // ends (the csv reader's count falls one short after a `\r\n`).
        ("id,text\r\na,x\r\nb\r\n", short(3, "1 field", 2)),
        ("id,text\r\na,x\r\n\r\n\rb,y,z\r\n", long(5, 3, 2)),
        ("id,text\r\na,\"two\r\nlines\"\r\nb,x,y\r\n", long(4, 3, 2)),
    ];
    for (csv, msg) in cases {
        dir.create("c.csv", csv);
        check(&dir, &["run", "--corpus", "c.csv"], 1, &msg);
        check(&dir, &["freq", "--corpus", "c.csv"], 1, &msg);
    }
    manifest_of_two(&dir, "c", "file,id,outlet,outlet\na.txt,x,p,q\n");
    check(
        &dir,
        &["run", "--corpus", "c"],
        1,
        "framescope: c/manifest.csv:1: the header names column `outlet` twice (columns 3 \
         and 4); give every column its own name",
    );
    dir.create(
        "c/manifest.csv",
        "file,id\r\na.txt,x\r\n\r\nb.txt,y\r\na.txt,x\r\n",
    );
    check(
        &dir,
        &["run", "--corpus", "c"],
        1,
        "framescope: c/manifest.csv:5: duplicate id \"x\" (also on line 2); give every \
         document its own id, or give --unique-ids to number repeats (the second \"x\" \
         read as \"x.2\")",
    );
    dir.create("c/manifest.csv", "file\r\na.txt\r\nnone.txt\r\n");
    check(
        &dir,
        &["run", "--corpus", "c"],
        1,
        "framescope: c/manifest.csv:3: file \"none.txt\" does not exist; fix the path or \
         add the file",
    );
    // pandas' index column: no name, kept.
    assert_eq!(
        listing(&dir, "p.csv", ",id,text\n0,a,hello\n1,b,bye\n"),
        "doc_id,,n_tokens,n_types,n_sentences,n_bytes\na,0,1,1,1,5\nb,1,1,1,1,3\n"
    );
}

/// A folder corpus `folder` with this manifest and two files it may
/// list, `a.txt` and `b.txt`.
fn manifest_of_two(dir: &Dir, folder: &str, manifest: &str) {
    dir.create(&format!("{folder}/manifest.csv"), manifest);
    dir.create(&format!("{folder}/a.txt"), "x");
    dir.create(&format!("{folder}/b.txt"), "y");
}

/// `framescope corpus` of a CSV corpus written at `name`, as CSV.
fn listing(dir: &Dir, name: &str, csv: &str) -> String {
    dir.create(name, csv);
    dir.stdout(&["corpus", "--corpus", name, "--format", "csv"])
}

/// A quote that opens a field and never closes it would make the rest of
/// the file one document's text (the csv reader runs such a field to the
/// end of the file): refused, naming the row, in a CSV corpus and in a
/// manifest. Quoted fields over several lines, doubled quotes, a quote
/// inside an unquoted field and CRLF line ends still read.
#[test]
fn error_csv_quote_never_closed() {
    let dir = Dir::new();
    let msg = |file: &str, line: u32| {
        format!(
            "framescope: {file}:{line}: a quoted field that starts in this row is never \
             closed (the rest of the file would be read as part of it); close it with \
             `\"` (a `\"` inside a quoted field is written `\"\"`)"
        )
    };
    for (csv, line) in [
        ("id,text\n1,\"He said hi\n2,bye\n3,ok\n", 2),
        ("id,text\n1,fine\n2,\"cut off\n", 3),
        ("id,text\r\n1,fine\r\n2,\"x \"\"y\"\" and on\r\n", 3),
    ] {
        dir.create("c.csv", csv);
        check(&dir, &["run", "--corpus", "c.csv"], 1, &msg("c.csv", line));
    }
    manifest_of_two(&dir, "m", "file,title\na.txt,\"open\nb.txt,x\n");
    check(
        &dir,
        &["run", "--corpus", "m"],
        1,
        &msg("m/manifest.csv", 2),
    );
    assert_eq!(
        listing(
            &dir,
            "ok.csv",
            "id,text,note\r\na,\"two\r\nlines, \"\"quoted\"\"\",5\" screen\r\nb,\"\",\"\"\r\n"
        ),
        "doc_id,note,n_tokens,n_types,n_sentences,n_bytes\na,\"5\"\" screen\",3,3,1,20\nb,,0,0,0,0\n"
    );
}

/// A `.jsonl.gz` corpus reads as the `.jsonl` it holds (several gzip
/// members one after another too, as `cat a.gz b.gz` makes them); one cut
/// short, or not gzip at all, is an error that says how to check it.
#[test]
fn jsonl_gz_reads_as_its_lines_and_a_cut_one_fails() {
    use std::io::Write;
    let dir = Dir::new();
    let lines = [
        "{\"id\":\"a\",\"date\":\"2020\",\"text\":\"Win-win cooperation and mutual trust.\"}\n",
        "{\"id\":\"b\",\"date\":\"2021\",\"text\":\"No external interference, ever. Trust.\"}\n",
    ];
    let gz = |text: &str| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    };
    dir.create("c.jsonl", lines.concat());
    dir.create("c.jsonl.gz", gz(&lines.concat()));
    let mut two = gz(lines[0]);
    two.extend(gz(lines[1]));
    dir.create("two.jsonl.gz", &two);
    // The same lines under the other name JSON lines go by.
    dir.create("c.ndjson", lines.concat());
    dir.create("c.ndjson.gz", gz(&lines.concat()));
    let plain = dir.stdout(&["freq", "--corpus", "c.jsonl", "--format", "csv"]);
    assert!(plain.contains("\na,trust,1,"), "{plain}");
    for file in ["c.jsonl.gz", "two.jsonl.gz", "c.ndjson", "c.ndjson.gz"] {
        assert_eq!(
            dir.stdout(&["freq", "--corpus", file, "--format", "csv"]),
            plain,
            "{file}"
        );
    }
    gz_damaged_refused(
        &dir,
        "jsonl",
        &gz(&lines.concat().repeat(50)),
        lines.concat().as_bytes(),
    );
}

/// A `.EXT.gz` corpus cut short (`gz` cut in half), or not gzip at all
/// (`plain`), is refused saying how to check it.
fn gz_damaged_refused(dir: &Dir, ext: &str, gz: &[u8], plain: &[u8]) {
    let (cut, not) = (format!("cut.{ext}.gz"), format!("not.{ext}.gz"));
    dir.create(&cut, &gz[..gz.len() / 2]);
    dir.create(&not, plain);
    for (file, err) in [
        (&cut, "incomplete deflate stream"),
        (&not, "invalid gzip header"),
    ] {
        check(
            dir,
            &["run", "--corpus", file],
            1,
            &format!(
                "framescope: {file}: {err}; the compressed data is cut short or damaged: \
                 test it with `gzip -t`, and copy or download the file again"
            ),
        );
    }
}

/// The corpora `others` read as `corpus` does: the whole output of
/// `freq`, `corpus` and `kwic trust`, each more than a header and a row.
fn read_alike(dir: &Dir, corpus: &str, others: &[&str]) {
    for args in [
        &["freq", "--format", "csv"][..],
        &["corpus", "--format", "csv"],
        &["kwic", "trust", "--format", "csv"],
    ] {
        let with = |file: &str| {
            let mut all = args.to_vec();
            all.extend(["--corpus", file]);
            dir.stdout(&all)
        };
        let want = with(corpus);
        assert!(want.lines().count() > 2, "{args:?}: {want}");
        for file in others {
            assert_eq!(with(file), want, "{args:?} {file}");
        }
    }
}

/// Invalid UTF-8 in a CSV corpus is named by its row's line and its
/// column (a byte would be the field's, quotes taken out, not the
/// file's); with --lossy the first ten fields are named in warnings,
/// the rest counted. A header not UTF-8, and a UTF-16 file, are refused
/// saying so.
#[test]
fn csv_invalid_utf8_named_by_line_and_column() {
    let dir = Dir::new();
    dir.create("u.csv", b"id,text,note\r\na,fine,ok\r\nb,\"caf\xe9\",x\r\n");
    check(
        &dir,
        &["run", "--corpus", "u.csv"],
        1,
        "framescope: u.csv:3: invalid UTF-8 in column `text` (0xE9, which is 'é' in \
         Windows-1252, the usual encoding of such files: --encoding windows-1252 reads it, or \
         iconv -f WINDOWS-1252 -t UTF-8 u.csv > u.csv.utf8 && mv u.csv.utf8 u.csv converts it); \
         convert the file to UTF-8, or pass \
         --lossy to replace invalid bytes",
    );
    let mut rows = b"id,text\n".to_vec();
    for i in 0..14 {
        rows.extend(format!("r{i},caf").as_bytes());
        rows.extend(b"\xe9\n");
    }
    dir.create("m.csv", &rows);
    let out = dir
        .cmd(&["corpus", "--corpus", "m.csv", "--lossy", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut want: String = (2..=11)
        .map(|l| {
            format!(
                "framescope: warning: m.csv:{l}: invalid UTF-8 in column `text` replaced with \
                 U+FFFD (--lossy){}\n",
                if l == 11 {
                    "; later fields with it are counted, not named"
                } else {
                    ""
                }
            )
        })
        .collect();
    want += "framescope: warning: m.csv: 14 fields in all had invalid UTF-8, replaced with U+FFFD (--lossy)\n";
    assert_eq!(String::from_utf8_lossy(&out.stderr), want);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\nr13,1,1,1,6\n"));
    dir.create("h.csv", b"id,t\xe9xt\na,b\n");
    check(
        &dir,
        &["run", "--corpus", "h.csv"],
        1,
        "framescope: h.csv:1: invalid UTF-8 in the header; name the file's encoding with \
         --encoding (windows-1252 for most files saved by Excel on Windows), convert the file \
         to UTF-8, or pass --lossy to replace invalid bytes",
    );
    dir.create(
        "w.csv",
        b"\xff\xfei\x00d\x00,\x00t\x00e\x00x\x00t\x00\n\x00",
    );
    check(
        &dir,
        &["run", "--corpus", "w.csv"],
        1,
        "framescope: w.csv: the file is UTF-16 (it starts with a UTF-16 byte-order mark); \
         pass --encoding utf-16le to read it (the mark tells which byte order), or convert it \
         to UTF-8, e.g. iconv -f UTF-16 -t UTF-8",
    );
    // Without a mark, a .jsonl, .json or .csv file (gzipped or not) is
    // told by the NULs between its letters, as a folder's .txt file is,
    // rather than failing as JSON or as a header without `text`.
    let utf16 = |s: &str, be: bool| -> Vec<u8> {
        s.encode_utf16()
            .flat_map(|u| if be { u.to_be_bytes() } else { u.to_le_bytes() })
            .collect()
    };
    let line = "{\"id\": \"a\", \"text\": \"Win-win cooperation and mutual trust.\"}\n";
    dir.create("nb.jsonl", utf16(line, false));
    dir.create("nb.json", utf16(&format!("[{}]", line.trim()), true));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &utf16("id,text\na,Win-win cooperation.\n", false)).unwrap();
    dir.create("nb.csv.gz", gz.finish().unwrap());
    for (file, label) in [
        ("nb.jsonl", "utf-16le"),
        ("nb.json", "utf-16be"),
        ("nb.csv.gz", "utf-16le"),
    ] {
        check(
            &dir,
            &["corpus", "--corpus", file],
            1,
            &format!(
                "framescope: {file}: the file looks like UTF-16 without a byte-order mark (NUL \
                 bytes between its letters); pass --encoding {label} to read it, or convert it \
                 to UTF-8, e.g. iconv -f {} -t UTF-8",
                label.to_uppercase()
            ),
        );
        let read = dir.stdout(&[
            "corpus",
            "--corpus",
            file,
            "--encoding",
            label,
            "--format",
            "csv",
        ]);
        assert!(read.starts_with("doc_id,n_tokens"), "{read}");
        assert_eq!(read.lines().count(), 2, "{read}");
    }
    // Each read as told, its text decoded.
    let freq = |file: &str, label: &str, more: &[&str]| {
        let args = [
            "freq",
            "--corpus",
            file,
            "--encoding",
            label,
            "--format",
            "csv",
        ];
        dir.stdout(&[&args[..], more].concat())
    };
    eqnice!(
        "group,term,n,per_1k,n_docs\na,fine,1,1000,1\nb,café,1,1000,1\n",
        freq("u.csv", "windows-1252", &[])
    );
    eqnice!(freq("u.csv", "latin1", &[]), freq("u.csv", "cp1252", &[]));
    // Its header read: it has no rows.
    check(
        &dir,
        &["freq", "--corpus", "w.csv", "--encoding", "utf-16le"],
        1,
        "framescope: w.csv: no documents: the file has a header but no rows",
    );
    eqnice!(
        "group,term,n,per_1k,n_docs\na,b,1,1000,1\n",
        freq("h.csv", "windows-1252", &["--text-field", "t\u{e9}xt"])
    );
    // Lines of errors are the decoded file's, as an editor shows it: a
    // row of too many fields after rows of Windows-1252 text (each `é`
    // two bytes once decoded) is named at its line, and so is a
    // quoted field never closed.
    let mut rows = b"id,text\n".to_vec();
    for i in 0..5 {
        rows.extend(format!("r{i},\"caf").as_bytes());
        rows.extend(b"\xe9\xe9\xe9 \xe9\xe9\n\xe9\"\n");
    }
    rows.extend(b"bad,one,two\n");
    dir.create("long.csv", &rows);
    check(
        &dir,
        &[
            "corpus",
            "--corpus",
            "long.csv",
            "--encoding",
            "windows-1252",
        ],
        1,
        "framescope: long.csv:12: this row has 3 fields but the header has 2; quote fields \
         that contain commas",
    );
    rows.truncate(rows.len() - b"bad,one,two\n".len());
    rows.extend(b"r9,\"caf\xe9\nr10,x\n");
    dir.create("open.csv", &rows);
    check(
        &dir,
        &[
            "corpus",
            "--corpus",
            "open.csv",
            "--encoding",
            "windows-1252",
        ],
        1,
        "framescope: open.csv:12: a quoted field that starts in this row is never closed \
         (the rest of the file would be read as part of it); close it with `\"` (a `\"` \
         inside a quoted field is written `\"\"`)",
    );
}

/// A `.json` corpus holding one array of objects reads as the `.jsonl`
/// of its objects, compact or pretty-printed (objects over several
/// lines), after a byte-order mark, and gzip-compressed; a `.json` file
/// of JSON lines reads as `.jsonl`. Faults are named at their lines: an
/// element that is not a document, invalid JSON (serde_json's line made
/// the file's), a comma before `]`, a missing `,` or `]`, text after
/// the array.
#[test]
fn json_arrays_read_as_their_objects() {
    use std::io::Write;
    let dir = Dir::new();
    let objects = [
        r#"{"id":"a","date":"2020","text":"Win-win cooperation, \"mutual\" trust [1]."}"#,
        r#"{"id":"b","date":"2021","tags":["x","]"],"text":"No external interference.\nTrust."}"#,
        r#"{"id":"c","n":{"k":[1,{"m":2}]},"text":"Trust and {braces}."}"#,
    ];
    dir.create("c.jsonl", objects.map(|o| format!("{o}\n")).concat());
    dir.create("c.json", format!("[{}]", objects.join(",")));
    // Pretty-printed, as json.dump(docs, f, indent=2) writes it.
    let pretty = objects
        .map(|o| {
            let v: serde_json::Value = serde_json::from_str(o).unwrap();
            serde_json::to_string_pretty(&v)
                .unwrap()
                .replace('\n', "\n  ")
        })
        .join(",\n  ");
    dir.create("p.json", format!("\u{feff}[\n  {pretty}\n]\n"));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(dir.read("p.json").as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    dir.create("p.json.gz", &gz);
    dir.create("l.json", dir.read("c.jsonl"));
    read_alike(
        &dir,
        "c.jsonl",
        &["c.json", "p.json", "p.json.gz", "l.json"],
    );
    // Python's NaN in an array: counted by documents, not lines.
    dir.create(
        "nan.json",
        "[{\"text\":\"a\",\"x\":NaN},\n{\"text\":\"b\",\"x\":NaN}]",
    );
    let out = dir
        .cmd(&["corpus", "--corpus", "nan.json", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).ends_with(
            "framescope: warning: nan.json: 2 documents in all held NaN, Infinity or -Infinity\n"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = "each element of the array must be";
    for (json, msg) in [
        (
            "[\n {\"text\": \"a\"}, 3]".to_string(),
            format!("c.json:2: a JSON number is not a document; {doc} a JSON object with a string \"text\""),
        ),
        (
            "[\n {\"text\": \"a\"},\n {\"text\": \"b\",\n  \"n\": bad}\n]".to_string(),
            format!("c.json:3: not valid JSON (expected value at line 4 column 8); {doc} one JSON object with a string \"text\""),
        ),
        (
            "[\n {\"text\": \"a\"},\n]".to_string(),
            "c.json:3: a `,` right before the array's `]` is not JSON; remove it".to_string(),
        ),
        (
            "[\n {\"text\": \"a\"}\n {\"text\": \"b\"}]".to_string(),
            "c.json:3: a document is not followed by `,` or the array's `]`; separate the \
             documents with commas"
                .to_string(),
        ),
        (
            "[\n {\"text\": \"a\"},\n {\"text\": \"b\"}\n".to_string(),
            "c.json:4: the file ends inside the JSON array (its `]` is missing): the file \
             may be cut short"
                .to_string(),
        ),
        (
            "[{\"text\": \"a\"}]\n[]".to_string(),
            "c.json:2: text after the end of the JSON array; a .json corpus holds one array"
                .to_string(),
        ),
        // A byte-order mark inside the array is not JSON (only the
        // file's first bytes may be one).
        (
            "[\u{feff}{\"text\": \"a\"}]".to_string(),
            format!("c.json:1: not valid JSON (expected value at line 1 column 2); {doc} one JSON object with a string \"text\""),
        ),
        // serde_json's column on an object's first line is the file's.
        (
            "[{\"text\": \"a\"},\n {\"text\": \"b\", \"x\": tru}]".to_string(),
            format!("c.json:2: not valid JSON (expected ident at line 2 column 24); {doc} one JSON object with a string \"text\""),
        ),
        (
            "[{\"text\":\"a\"}, {\"text\": \"b\", \"x\": tru}]".to_string(),
            format!("c.json:1: not valid JSON (expected ident at line 1 column 38); {doc} one JSON object with a string \"text\""),
        ),
        // One object over several lines: neither an array nor lines.
        (
            "{\n  \"text\": \"a\"\n}\n".to_string(),
            "c.json:1: not valid JSON (EOF while parsing an object at line 1 column 1); each \
             line must be one JSON object with a string \"text\"; a .json corpus holds one \
             array of objects ([{\"text\": …}, …]) or one object a line"
                .to_string(),
        ),
        (
            "[{\"text\": \"a\"},,{\"text\": \"b\"}]".to_string(),
            "c.json:1: a `,` where a document should be is not JSON; remove it, or put a \
             document before it"
                .to_string(),
        ),
    ] {
        dir.create("c.json", &json);
        check(&dir, &["run", "--corpus", "c.json"], 1, &format!("framescope: {msg}"));
    }
    gz_damaged_refused(&dir, "json", &gz, dir.read("p.json").as_bytes());
}

/// A `.csv.gz` corpus reads as the `.csv` it holds, and its errors are
/// the `.csv`'s, naming the same lines: a row of the wrong length, a
/// quote never closed, invalid UTF-8 (counted in the decompressed text).
/// One cut short, or not gzip at all, says how to check it.
#[test]
fn csv_gz_reads_as_its_rows_and_its_errors_name_their_lines() {
    use std::io::Write;
    let dir = Dir::new();
    let gz = |text: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(text).unwrap();
        e.finish().unwrap()
    };
    let rows = "id,date,text\r\na,2020,\"Win-win cooperation,\r\nand mutual trust.\"\r\n\
                b,2021,\"No external interference, ever. Trust.\"\r\n";
    dir.create("c.csv", rows);
    dir.create("c.csv.gz", gz(rows.as_bytes()));
    read_alike(&dir, "c.csv", &["c.csv.gz"]);
    let bad: [&[u8]; 4] = [
        b"id,text\na,x\nb,y,z\n",
        b"id,text\r\na,\"two\r\nlines\"\r\nb\r\n",
        b"id,text\n1,fine\n2,\"cut off\n3,x\n",
        b"id,text\na,fine\nb,caf\xe9\n",
    ];
    for csv in bad {
        dir.create("c.csv", csv);
        dir.create("c.csv.gz", gz(csv));
        let plain = dir.fails(&["run", "--corpus", "c.csv", "--out", "o"]);
        let plain = String::from_utf8_lossy(&plain.stderr)
            .replace("c.csv:", "c.csv.gz:")
            .replace(
                "iconv -f WINDOWS-1252 -t UTF-8 c.csv > c.csv.utf8 && mv c.csv.utf8 c.csv",
                "gzip -dc c.csv.gz | iconv -f WINDOWS-1252 -t UTF-8 | gzip > c.csv.gz.utf8 && mv \
                 c.csv.gz.utf8 c.csv.gz",
            );
        assert!(plain.starts_with("framescope: c.csv.gz:"), "{plain}");
        check(&dir, &["run", "--corpus", "c.csv.gz"], 1, plain.trim_end());
    }
    let many: String = (0..400)
        .map(|i| format!("d{i},2020,\"Row {i} on win-win cooperation.\"\n"))
        .collect();
    let whole = gz(format!("id,date,text\n{many}").as_bytes());
    gz_damaged_refused(&dir, "csv", &whole, rows.as_bytes());
}

/// A CSV corpus or manifest separated by semicolons (a spreadsheet set
/// to a European locale) or tabs has no `text` or `file` column as
/// framescope reads it: the error says what separates it and how to save
/// it with commas.
#[test]
fn error_csv_separated_by_something_else() {
    let dir = Dir::new();
    // The corpus read as --separator says.
    let freq_sep = |corpus: &str, sep: &str| {
        dir.stdout(&[
            "freq",
            "--corpus",
            corpus,
            "--separator",
            sep,
            "--format",
            "csv",
        ])
    };
    // The hint, and the option it gives.
    let hint = |header: &str, by: &str, not: &str, sep: &str| {
        format!(
            "; the header {header:?} looks separated by {by}, not {not}: pass --separator {sep}"
        )
    };
    let no_text = "framescope: c.csv:1: no `text` column; a CSV corpus needs a header with a \
                   `text` column holding each document's text";
    let want = "group,term,n,per_1k,n_docs\na,hello,1,1000,1\n";
    for (csv, header, by, sep) in [
        (
            "id;text;date\na;hello;2020\n",
            "id;text;date",
            "semicolons",
            "';'",
        ),
        ("id\ttext\na\thello\n", "id\ttext", "tabs", "tab"),
        ("text|id\nhello|a\n", "text|id", "`|`", "'|'"),
    ] {
        dir.create("c.csv", csv);
        check(
            &dir,
            &["run", "--corpus", "c.csv"],
            1,
            &format!("{no_text}{}", hint(header, by, "commas", sep)),
        );
        eqnice!(want, freq_sep("c.csv", sep.trim_matches('\'')));
    }
    dir.create("m/manifest.csv", "id;file\nx;a.txt\n");
    dir.create("m/a.txt", "hello");
    check(
        &dir,
        &["run", "--corpus", "m"],
        1,
        &format!(
            "framescope: m/manifest.csv:1: no `file` column; the header must name a `file` \
             column with each document's path relative to the corpus folder{}",
            hint("id;file", "semicolons", "commas", "';'")
        ),
    );
    eqnice!(
        "group,term,n,per_1k,n_docs\nx,hello,1,1000,1\n",
        freq_sep("m", ";")
    );
    // A .tsv file separated by commas (or semicolons).
    for (tsv, header, by, sep) in [
        ("id,text\na,hello\n", "id,text", "commas", "','"),
        ("id;text\na;hello\n", "id;text", "semicolons", "';'"),
    ] {
        dir.create("c.tsv", tsv);
        check(
            &dir,
            &["run", "--corpus", "c.tsv"],
            1,
            &format!(
                "framescope: c.tsv:1: no `text` column; a CSV corpus needs a header with \
                 a `text` column holding each document's text{}",
                hint(header, by, "tabs", sep)
            ),
        );
        eqnice!(want, freq_sep("c.tsv", sep.trim_matches('\'')));
    }
    // What --separator names is what a row too long is told to quote.
    dir.create("c.csv", "id;text\na;hello;again\n");
    check(
        &dir,
        &["run", "--corpus", "c.csv", "--separator", ";"],
        1,
        "framescope: c.csv:2: this row has 3 fields but the header has 2; quote fields \
         that contain semicolons",
    );
    check(
        &dir,
        &["run", "--corpus", "c.csv", "--separator", ":"],
        1,
        "framescope: c.csv:1: no `text` column; a CSV corpus needs a header with a `text` \
         column holding each document's text; the header \"id;text\" looks separated by \
         semicolons, not `:`: pass --separator ';'",
    );
    // A corpus without CSV refuses it, and so do a quote and a line end.
    dir.create("j.jsonl", "{\"text\":\"x\"}\n");
    check(
        &dir,
        &["run", "--corpus", "j.jsonl", "--separator", ";"],
        1,
        "framescope: j.jsonl: --separator names what separates the fields of a .csv file \
         or of manifest.csv; a JSON corpus has none",
    );
    dir.create("f/a.txt", "x");
    check(
        &dir,
        &["run", "--corpus", "f", "--separator", ";"],
        1,
        "framescope: f: --separator names what separates the fields of a .csv file or of \
         manifest.csv, and this folder has no manifest",
    );
    check(
        &dir,
        &["run", "--corpus", "c.csv", "--separator", "\""],
        2,
        "framescope: error: invalid value '\"' for '--separator <CHAR>': '\"' quotes \
         fields; give another separator, such as ';' or '|' (more with --help)",
    );
}

/// A `.tsv` (`.tsv.gz`) corpus is read as the same `.csv` with tabs
/// between its fields (quoted as in a `.csv` where a field holds a tab, a
/// line end or a quote, as pandas and R write them), and its errors name
/// tabs where a `.csv`'s name commas.
#[test]
fn tsv_reads_as_the_csv_with_tabs() {
    use std::io::Write;
    let dir = Dir::new();
    dir.create(
        "c.csv",
        "id,date,text\nd1,2020,\"Win-win cooperation,\tand \"\"mutual\"\" trust.\"\nd2,2021,No external interference; trust.\n",
    );
    dir.create(
        "c.tsv",
        "id\tdate\ttext\nd1\t2020\t\"Win-win cooperation,\tand \"\"mutual\"\" trust.\"\nd2\t2021\tNo external interference; trust.\n",
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(dir.read("c.tsv").as_bytes()).unwrap();
    dir.create("c.tsv.gz", gz.finish().unwrap());
    read_alike(&dir, "c.csv", &["c.tsv", "c.tsv.gz"]);
    dir.stdout(&["run", "--corpus", "c.tsv", "--out", "t", "--quiet"]);
    let run = dir.read("t/run.json");
    assert!(run.contains("\"format\": \"tsv\""), "{run}");
    for (tsv, msg) in [
        (
            "id\ttext\na\tx\tmore\n",
            "framescope: c.tsv:2: this row has 3 fields but the header has 2; quote fields \
             that contain tabs",
        ),
        (
            "id\ttext\tdate\na\tx\n",
            "framescope: c.tsv:2: this row has 2 fields but the header has 3; give every \
             row a value for each column (an empty value is nothing between two tabs)",
        ),
        (
            "id\ttext\n1\tfine\n2\t\"cut off\n3\tx\n",
            "framescope: c.tsv:3: a quoted field that starts in this row is never closed \
             (the rest of the file would be read as part of it); close it with `\"` (a \
             `\"` inside a quoted field is written `\"\"`)",
        ),
    ] {
        dir.create("c.tsv", tsv);
        check(&dir, &["run", "--corpus", "c.tsv"], 1, msg);
    }
}

#[test]
fn error_csv_without_text_column() {
    let dir = Dir::new();
    dir.create("c.csv", "id,body\na,hello\n");
    check(
        &dir,
        &["run", "--corpus", "c.csv"],
        1,
        "framescope: c.csv:1: no `text` column; a CSV corpus needs a header \
         with a `text` column holding each document's text (or name the column \
         that holds it with --text-field); the header has id, body",
    );
}

/// A field the first documents have and a later one lacks: the message
/// says every document needs it, not that the field is unknown (the list
/// of the later document's fields left the field out).
#[test]
fn error_group_field_some_documents_lack() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"a\",\"category\":\"x\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\"two\"}\n",
    );
    let want = "framescope: document \"b\" has no field \"category\" to group by, which the \
                documents before it have; every document needs the field, an empty value \
                included (`framescope corpus --fields` counts the documents without it)";
    for args in [
        &["compare", "--by", "category", "--target", "x"][..],
        &["freq", "--by", "category"],
        &["score", "--by", "category"],
        &["kwic", "one", "--by", "category", "--target", "x"],
    ] {
        let args = [&args[..1], &["-q", "--corpus", "c.jsonl"], &args[1..]].concat();
        check(&dir, &args, 1, want);
    }
}

#[test]
fn error_unknown_group_field() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    check(
        &dir,
        &["freq", "--by", "outlet"],
        1,
        "framescope: document \"a\" has no field \"outlet\" to group by; use \
         one of: corpus, id, title, date, voice, year",
    );
}

#[test]
fn error_output_inside_folder_corpus() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let out = dir.fails(&["run", "--out", "corpus/results"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(
            "framescope: corpus/results: the output folder is inside the corpus folder"
        ),
        "{err}"
    );
    assert!(!dir.join("corpus/results").exists());
    dir.create("lexicon.toml", hay::LEXICON);
    // Every command that writes into --out refuses it too: kwic's or
    // freq's table in the corpus folder would be a document next time.
    for args in [
        &["kwic", "win-win", "--out", "corpus"][..],
        &["freq", "--out", "corpus/t"],
        &["score", "--out", "corpus"],
        &["compare", "--by", "id", "--target", "a", "--out", "corpus"],
        &["corpus", "--out", "corpus"],
        &["lexicon", "check", "lexicon.toml", "--out", "corpus"],
        &["chart", "frames", "--out", "corpus/charts"],
    ] {
        let before = dir.files("corpus");
        let out = dir.fails(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.lines().count() == 1
                && err.contains("the output folder is inside the corpus folder"),
            "{args:?}: {err}"
        );
        assert_eq!(dir.files("corpus"), before, "{args:?}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    for args in [
        &["freq", "--ngram", "0"][..],
        &["freq", "--ngram", "6"],
        &["freq", "--unit", "lemma"],
        &["frobnicate"],
        &["--threads", "0", "run"],
        // Similarity compares every pair: a target would be ignored.
        &[
            "compare",
            "--what",
            "similarity",
            "--by",
            "voice",
            "--target",
            "z",
        ],
        &["chart", "similarity", "--by", "voice", "--target", "z"],
    ] {
        let out = dir.fails(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        // One line, framescope's, ending in where to read more.
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("framescope: error: "), "{args:?}: {err}");
        assert!(err.ends_with(" (more with --help)\n"), "{args:?}: {err}");
        assert_eq!(out.stdout, b"", "{args:?}");
    }
    // The whole line of two: clap's own error, and one framescope finds.
    let out = dir.fails(&["freq", "--unit", "lemma"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "framescope: error: invalid value 'lemma' for '--unit <UNIT>' [possible values: \
         norm, stem] (more with --help)\n"
    );
    let out = dir.fails(&["chart", "similarity", "--by", "voice", "--target", "z"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "framescope: error: chart similarity compares every pair of documents (or of --by \
         groups); --target and --reference choose the groups of keyness and frame \
         comparisons (more with --help)\n"
    );
    assert!(!dir.join("out").exists());
}

#[test]
fn empty_document_is_not_an_error() {
    let dir = Dir::new();
    dir.create("c/empty.txt", "");
    dir.create("c/space.txt", " \n\t ");
    let got = dir.stdout(&["corpus", "--corpus", "c", "--format", "csv"]);
    assert_eq!(
        got,
        "doc_id,n_tokens,n_types,n_sentences,n_bytes\nempty,0,0,0,0\nspace,0,0,0,4\n"
    );
    let got = dir.stdout(&["freq", "--corpus", "c", "--by", "corpus", "--format", "csv"]);
    assert_eq!(got, "group,term,n,per_1k,n_docs\n");
}

#[test]
fn failed_run_keeps_previous_results() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    dir.stdout(&["run", "--out", "o"]);
    let before = dir.read("o/terms.csv");
    dir.create("corpus/b.txt", b"broken \xff");
    let out = dir.fails(&["run", "--out", "o"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(dir.read("o/terms.csv"), before);
    assert_eq!(dir.files("o").len(), 32, "no temporary files left behind");
}

#[test]
fn error_lexicons_name_file_line_frame_and_pattern() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let cases: [(&str, &str); 9] = [
        ("name = \"x\"\n[[frame]\nid=\"a\"\n", "l.toml:2:9: unclosed array table, expected `]`; fix the lexicon's TOML"),
        (
            "name = \"x\"\n[[frame]]\nid = \"a/b\"\npatterns = [\"x\"]\n",
            "l.toml:3: frame id \"a/b\" holds `/`, which parts a lexicon's name from a frame's id (--frame LEXICON/FRAME); use `_` instead",
        ),
        (
            "name = \"x\"\n[[frame]]\nid = \"a\"\ncolour = \"red\"\npatterns = [\"x\"]\n",
            "l.toml:4:1: unknown field `colour`, expected one of `id`, `label`, `description`, `patterns`; fix the lexicon's TOML",
        ),
        (
            "name = \"x\"\n[[frame]]\nid = \"a\"\npatterns = [\"x\"]\n[[frame]]\nid = \"a\"\npatterns = [\"y\"]\n",
            "l.toml:6: duplicate frame id \"a\" (first on line 3); give every frame its own id",
        ),
        (
            "name = \"x\"\n[[frame]]\nid = \"a\"\npatterns = [\n  \"ok\",\n  \"**\",\n]\n",
            "l.toml:6: frame \"a\", pattern \"**\": the glob \"**\" has only `*`s; use a lone `*` for any one token, or add letters",
        ),
        (
            "name = \"x\"\n[[frame]]\nid = \"a\"\npatterns = [\"~\"]\n",
            "l.toml:4: frame \"a\", pattern \"~\": `~` has no word; write `~word`, e.g. `~cooperate`",
        ),
        (
            "name = \"x\"\n[[frame]]\nid = \"a\"\npatterns = [\"—\"]\n",
            "l.toml:4: frame \"a\", pattern \"—\": yields no token test; give at least one word, `*`, `~word` or glob",
        ),
        (
            "name = \"x\"\n\n[[frame]]\nid = \"a\"\nlabel = \"A\"\n",
            "l.toml:3: frame \"a\" has no patterns; add at least one",
        ),
        ("name = \"x\"\n", "l.toml: has no [[frame]] tables; add at least one frame"),
    ];
    for (toml, msg) in cases {
        dir.create("l.toml", toml);
        check(
            &dir,
            &["run", "--lexicon", "l.toml"],
            1,
            &format!("framescope: {msg}"),
        );
        check(
            &dir,
            &["score", "--lexicon", "l.toml"],
            1,
            &format!("framescope: {msg}"),
        );
    }
}

#[test]
fn error_liwc_names_the_line() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let cases = [
        ("1\tposemo\n%\n", "l.dic:1: a LIWC dictionary starts with a line holding only `%`, then the categories, then another `%`"),
        ("%\n1\tposemo\n%\nlove\t1\nlike\t(02 134)125/464\n", "l.dic:5: an entry is a word followed by category ids, e.g. `abandon* 2 5` (LIWC2007 conditional entries are not supported)"),
        ("%\n1\tposemo\n%\nlove\t7\n", "l.dic:4: entry \"love\" names category 7, which the category block does not define"),
        ("%\n1\tposemo\n%\n**\t1\n", "l.dic:4: entry \"**\": the glob \"**\" has only `*`s; use a lone `*` for any one token, or add letters"),
        ("%\n1\tposemo\nx2\tnegemo\n%\nlove\t1\n", "l.dic:3: category id \"x2\" is not a number; a category line is a number and a name, e.g. `1 posemo`"),
        ("%\n1\tposemo\n", "l.dic: the category block is not closed by a `%` line; add one after the last category"),
    ];
    for (dic, msg) in cases {
        dir.create("l.dic", dic);
        check(
            &dir,
            &["score", "--lexicon", "l.dic"],
            1,
            &format!("framescope: {msg}"),
        );
    }
}

#[test]
fn error_kwic_bad_pattern_frame_or_group() {
    let dir = Dir::new();
    hay::lexicon_corpus(&dir);
    check(
        &dir,
        &["kwic", "china", "..."],
        1,
        "framescope: pattern \"...\": yields no token test; give at least one word, \
         `*`, `~word` or glob",
    );
    check(
        &dir,
        &["kwic", "~U.S.-China ties"],
        1,
        "framescope: pattern \"~U.S.-China ties\": `~U.S.-China` is not one word; `~` takes a \
         single word (use several pieces for a phrase)",
    );
    check(
        &dir,
        &["kwic", "x", "--near", "**"],
        1,
        "framescope: pattern \"**\": the glob \"**\" has only `*`s; use a lone `*` \
         for any one token, or add letters",
    );
    check(
        &dir,
        &["kwic", "--frame", "nope", "--lexicon", "t.toml"],
        1,
        "framescope: no frame \"nope\" in the lexicon; use one of: t/coop, \
         t/interference",
    );
    check(
        &dir,
        &["kwic", "x", "--by", "voice", "--target", "nobody"],
        1,
        "framescope: no document has voice = nobody; check the field and the \
         values (see `framescope corpus`)",
    );
    check(
        &dir,
        &["kwic", "x", "--by", "party", "--target", "a"],
        1,
        "framescope: document \"a\" has no field \"party\" to group by; use one \
         of: corpus, id, title, date, voice, year",
    );
}

/// Usage errors: exit 2, clap's message on one line, nothing on stdout.
#[test]
fn error_kwic_usage() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    for (args, first) in [
        (
            &["kwic", "x", "--sort", "R1,X1"][..],
            "framescope: error: invalid value 'X1' for '--sort <KEYS>': unknown sort key \"X1\"; \
             use doc, match, L1 to L5 or R1 to R5, comma-separated (e.g. R1,R2)",
        ),
        (
            &["kwic", "x", "--sort", "L6"][..],
            "framescope: error: invalid value 'L6' for '--sort <KEYS>': unknown sort key \"L6\"; \
             use doc, match, L1 to L5 or R1 to R5, comma-separated (e.g. R1,R2)",
        ),
        (
            &["kwic", "x", "--window", "0"][..],
            "framescope: error: invalid value '0' for '--window <N>': 0 is not in 1..=100",
        ),
        (
            &["kwic", "x", "--window", "101"][..],
            "framescope: error: invalid value '101' for '--window <N>': 101 is not in 1..=100",
        ),
        (
            &["kwic"][..],
            "framescope: error: the following required arguments were not provided: \
             <PATTERN>...; usage: framescope kwic <PATTERN>...",
        ),
        (
            &["kwic", "x", "--frame", "coop"][..],
            "framescope: error: the argument '[PATTERN]...' cannot be used with '--frame \
             <ID>'; usage: framescope kwic <PATTERN>...",
        ),
        (
            &["kwic", "x", "--target", "a"][..],
            "framescope: error: the following required arguments were not provided: --by \
             <FIELD>; usage: framescope kwic --target <V> --by <FIELD> <PATTERN>...",
        ),
    ] {
        let out = dir.fails(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err, format!("{first} (more with --help)\n"), "{args:?}");
        assert_eq!(out.stdout, b"", "{args:?}");
    }
}

/// Dates under another name (`Date`): the timeline's error names the
/// field and --date-field; dates in words are read.
#[test]
fn dates_in_another_field_or_in_words() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"a\",\"Date\":\"March 4, 2021\",\"text\":\"Win-win.\"}\n\
         {\"id\":\"b\",\"Date\":\"Sept. 9, 2022\",\"text\":\"Words.\"}\n",
    );
    check(
        &dir,
        &[
            "chart", "timeline", "-q", "--corpus", "c.jsonl", "--out", "o",
        ],
        1,
        "framescope: no document has a date (a `date` field: 2022, 2024-07, 2018-10-14, an \
         ISO timestamp, 2018/10/14, 14/10/2018 or an English date such as March 4, 2021; or \
         a `year` field); the timeline needs dates (or, if Date holds the dates, \
         --date-field Date to draw it)",
    );
    let got = dir.stdout(&[
        "freq",
        "-q",
        "--corpus",
        "c.jsonl",
        "--date-field",
        "Date",
        "--by",
        "year",
        "--format",
        "csv",
    ]);
    assert_eq!(
        got,
        "group,term,n,per_1k,n_docs\n2021,win-win,1,1000,1\n2022,words,1,1000,1\n"
    );
}

/// A target no document has: the field's values are named when there
/// are at most 20, else where to see them.
#[test]
fn error_target_names_the_values_or_where_to_see_them() {
    let dir = Dir::new();
    let jsonl: String = (0..21)
        .map(|i| format!("{{\"id\":\"d{i}\",\"n\":\"v{i}\",\"text\":\"x\"}}\n"))
        .collect();
    dir.create("c.jsonl", jsonl);
    for (by, tail) in [
        (
            "n",
            "check the value (see `framescope corpus --fields`: n has more than 20 values)",
        ),
        ("id", "check the value (see `framescope corpus`)"),
    ] {
        let out = dir.fails(&[
            "compare", "-q", "--corpus", "c.jsonl", "--by", by, "--target", "w",
        ]);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("framescope: no document has {by} = w; {tail}\n")
        );
    }
}

/// A value holding a comma is targeted by writing it `\,`; written
/// plainly, its parts are two values, and the message says how to write
/// it.
#[test]
fn target_values_with_commas() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"a\",\"speaker\":\"Biden, Joseph R.\",\"text\":\"Win-win words.\"}\n\
         {\"id\":\"b\",\"speaker\":\"Trump\",\"text\":\"Other words.\"}\n\
         {\"id\":\"c\",\"speaker\":\"Biden\",\"text\":\"More words.\"}\n",
    );
    let kwic = |target: &str| {
        dir.cmd(&[
            "kwic", "words", "-q", "--corpus", "c.jsonl", "--by", "speaker", "--target", target,
            "--format", "csv",
        ])
        .output()
        .unwrap()
    };
    let head = "doc_id,pattern,token_start,token_end,byte_start,byte_end,sentence,negated,left,match,right\n";
    let out = kwic(r"Biden\, Joseph R.,Trump");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{head}a,words,1,1,8,13,0,false,Win-win,words,\nb,words,1,1,6,11,0,false,Other,words,\n")
    );
    // Written plainly, one part is found and the other is not: a warning.
    let out = kwic("Biden, Joseph R.");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("{head}c,words,1,1,5,10,0,false,More,words,\n")
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "framescope: warning: no document has speaker = Joseph R.; the lines are of the \
         other values; commas separate values (write one inside a value as \\,)\n"
    );
    let out = kwic("Nobody, Else");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "framescope: no document has speaker = Nobody,Else; check the field and the values \
         (see `framescope corpus`); commas separate values (write one inside a value as \\,)\n"
    );
    let out = dir.fails(&[
        "compare",
        "--corpus",
        "c.jsonl",
        "--by",
        "speaker",
        "--target",
        "Biden, Joseph R.",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "framescope: no document has speaker = Joseph R.; its values are \"Biden\", \"Biden, \
         Joseph R.\", \"Trump\" (compared exactly, case included); commas separate values \
         (write one inside a value as \\,)\n"
    );
    let target = dir.stdout(&[
        "score", "-q", "--corpus", "c.jsonl", "--by", "speaker", "--format", "csv",
    ]);
    assert!(target.contains("\"Biden, Joseph R.\""), "{target}");
}

#[test]
fn error_compare_groups() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    for (args, message) in [
        (
            &["compare", "--by", "voice", "--target", "nobody"][..],
            "framescope: no document has voice = nobody; its values are \"gov\", \"press\" \
             (compared exactly, case included)",
        ),
        (
            &[
                "compare",
                "--by",
                "voice",
                "--target",
                "gov",
                "--reference",
                "gov",
            ][..],
            "framescope: document \"a\" is in both the target (voice = gov) and the \
             reference (voice = gov); give disjoint values",
        ),
        (
            &["compare", "--by", "voice", "--target", "gov,press"][..],
            "framescope: every document has voice = gov,press, so the reference (every \
             other document) is empty; give --reference or fewer target values",
        ),
        (
            &["compare", "--by", "party", "--target", "x"][..],
            "framescope: document \"a\" has no field \"party\" to group by; use one of: \
             corpus, id, title, date, voice, year",
        ),
        (
            &["compare", "--by", "id", "--target", "c"][..],
            "framescope: the target group (id = c) has no tokens; choose a group with text",
        ),
        (
            &[
                "compare",
                "--what",
                "frames",
                "--by",
                "id",
                "--target",
                "a",
                "--reference",
                "c",
            ][..],
            "framescope: the reference group (id = c) has no tokens; choose a group with \
             text",
        ),
        (
            &["compare", "--by", "id", "--target", "a", "--prior", "0"][..],
            "framescope: --prior 0 must be a positive number (the default is 1000)",
        ),
    ] {
        check(&dir, args, 1, message);
    }
    let out = dir.fails(&["compare", "--what", "frames"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "framescope: error: compare --what terms|frames needs the groups: --by FIELD \
         --target VALUE [--reference VALUE] (more with --help)\n"
    );
}

#[test]
fn error_empty_corpora_and_binary_files() {
    let dir = Dir::new();
    dir.create("e.jsonl", "");
    check(
        &dir,
        &["run", "--corpus", "e.jsonl"],
        1,
        "framescope: e.jsonl: no documents: the file has no JSON lines; each line must \
         be one JSON object with a string \"text\"",
    );
    dir.create("e.csv", "text\n");
    check(
        &dir,
        &["kwic", "x", "--corpus", "e.csv"],
        1,
        "framescope: e.csv: no documents: the file has a header but no rows",
    );
    dir.create("zero.csv", "");
    check(
        &dir,
        &["corpus", "--corpus", "zero.csv"],
        1,
        "framescope: zero.csv:1: no `text` column; a CSV corpus needs a header with a `text` \
         column holding each document's text (or name the column that holds it with \
         --text-field); the file has no header (it is empty, or its first line is)",
    );
    // An --out folder freq or kwic made for output that never came is
    // removed again, as run's is.
    for args in [
        &["freq", "--corpus", "zero.csv", "--out", "fo/deep"][..],
        &["kwic", "x", "--corpus", "zero.csv", "--out", "ko"][..],
    ] {
        dir.fails(args);
    }
    assert!(!dir.join("fo").exists() && !dir.join("ko").exists());
    dir.create("bin/a.txt", b"%PDF\x00\x01\x02 binary");
    check(
        &dir,
        &["run", "--corpus", "bin", "--strict"],
        1,
        &format!(
            "framescope: {}: binary file (it holds NUL bytes); remove it from the corpus, \
             or drop --strict to skip it with a warning",
            Path::new("bin").join("a.txt").display()
        ),
    );
    // Without --strict: skipped with a warning naming it.
    dir.create("bin/b.txt", "Win-win cooperation.");
    let out = dir
        .cmd(&["corpus", "--corpus", "bin", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "framescope: warning: {}: binary file (it holds NUL bytes), skipped\n",
            Path::new("bin").join("a.txt").display()
        )
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "doc_id,n_tokens,n_types,n_sentences,n_bytes\nb,2,2,1,20\n"
    );
}

#[test]
fn bom_and_line_ends_do_not_change_tokens() {
    let dir = Dir::new();
    dir.create("lf/a.txt", "Hello world.\n\nAgain here\nand there.\n");
    dir.create(
        "crlf/a.txt",
        "Hello world.\r\n\r\nAgain here\r\nand there.\r\n",
    );
    dir.create("cr/a.txt", "Hello world.\r\rAgain here\rand there.\r");
    dir.create(
        "bom/a.txt",
        "\u{feff}Hello world.\n\nAgain here\nand there.\n",
    );
    let freq = |c: &str| dir.stdout(&["freq", "--corpus", c, "--format", "csv"]);
    let want = freq("lf");
    for c in ["crlf", "cr", "bom"] {
        crate::eqnice!(want, freq(c));
    }
    let sentences = |c: &str| {
        let out = dir.stdout(&["corpus", "--corpus", c, "--format", "csv"]);
        out.lines()
            .nth(1)
            .unwrap()
            .split(',')
            .nth(3)
            .unwrap()
            .to_string()
    };
    for c in ["lf", "crlf", "cr", "bom"] {
        assert_eq!(sentences(c), "2", "{c}");
    }
    // The BOM is not a token; offsets stay offsets into the file.
    let kwic = dir.stdout(&["kwic", "hello", "--corpus", "bom", "--format", "csv", "-q"]);
    assert!(
        kwic.ends_with("a,hello,0,0,3,8,0,false,,Hello,world. Again here and there\n"),
        "{kwic}"
    );
}

/// Run `run` with `args`, interrupt it with SIGINT after `delay_ms`, and
/// return its output.
#[cfg(unix)]
fn interrupted(dir: &Dir, args: &[&str], delay_ms: u64) -> std::process::Output {
    let child = dir
        .cmd(args)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(delay_ms));
    let _ = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    child.wait_with_output().unwrap()
}

/// An interrupted run into a new --out leaves no folder behind.
#[cfg(unix)]
#[test]
fn interrupted_run_removes_the_folders_it_made() {
    let dir = Dir::new();
    big_corpus(&dir, 400);
    for delay_ms in [100, 400] {
        let args = ["run", "-q", "--corpus", "big.jsonl", "--out", "new/o"];
        let out = interrupted(&dir, &args, delay_ms);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.lines().last() == Some("framescope: interrupted; earlier results are untouched") {
            assert_eq!(out.status.code(), Some(130), "{stderr}");
            assert!(
                !dir.join("new").exists(),
                "after an interrupt at {delay_ms} ms"
            );
        } else if out.status.code() == Some(130) || out.status.success() {
            // Interrupted after the renames, or finished: the results.
            assert!(dir.join("new/o/run.json").exists(), "{stderr}");
            std::fs::remove_dir_all(dir.join("new")).unwrap();
        } else {
            // The signal came before framescope had set its handler: it
            // had made no folder yet.
            assert_eq!(
                std::os::unix::process::ExitStatusExt::signal(&out.status),
                Some(2),
                "{out:?}"
            );
            assert!(!dir.join("new").exists());
        }
    }
}

#[cfg(unix)]
#[test]
fn interrupted_run_keeps_previous_results() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    dir.stdout(&["run", "-q", "--out", "o"]);
    // A corpus big enough to be interrupted at several points.
    big_corpus(&dir, 400);
    for delay_ms in [50, 300, 900] {
        // What the folder holds now: the first run's results, or those of
        // a run before that finished.
        let before = snapshot(&dir, "o");
        let args = ["run", "-q", "--corpus", "big.jsonl", "--out", "o"];
        let out = interrupted(&dir, &args, delay_ms);
        let files = dir.files("o");
        assert!(
            files.iter().all(|f| !f.contains(".tmp-")),
            "temporary files left after an interrupt at {delay_ms} ms: {files:?}"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        let in_place = stderr.lines().last()
            == Some("framescope: interrupted; the new results were already in place");
        if out.status.code() == Some(130) && in_place {
            // The signal came after the renames: the new set is whole,
            // and the earlier set's charts it has no group for are gone.
            let want = dir.stdout(&["run", "-q", "--corpus", "big.jsonl", "--out", "again"]);
            assert_eq!(want, "");
            let (got, again) = (snapshot(&dir, "o"), snapshot(&dir, "again"));
            let names =
                |s: &[(String, Vec<u8>)]| s.iter().map(|(f, _)| f.clone()).collect::<Vec<_>>();
            assert_eq!(
                names(&got),
                names(&again),
                "after an interrupt at {delay_ms} ms"
            );
        } else if out.status.code() == Some(130) {
            // The last line says so; notes of the run before it are fine
            // (a faster run gets further before the signal).
            assert_eq!(
                stderr.lines().last(),
                Some("framescope: interrupted; earlier results are untouched"),
                "{stderr}"
            );
            assert!(
                stderr.lines().all(|l| l.starts_with("framescope: ")
                    && !l.contains("error")
                    && !l.contains("panick")),
                "{stderr}"
            );
            // Nothing lost: every earlier file is still there.
            for (f, _) in &before {
                assert!(
                    files.contains(f),
                    "{f} lost by an interrupt at {delay_ms} ms"
                );
            }
            // Interrupted before the first rename (the usual case): the
            // earlier results, byte for byte.
            let same = before
                .iter()
                .filter(|(f, b)| std::fs::read(dir.join(&format!("o/{f}"))).unwrap() == *b)
                .count();
            if delay_ms == 50 {
                assert_eq!(
                    same,
                    before.len(),
                    "interrupt at {delay_ms} ms changed results"
                );
            }
        } else if std::os::unix::process::ExitStatusExt::signal(&out.status) == Some(2) {
            // The signal came before framescope had set its handler (a
            // loaded machine starts a process slowly): it stopped before
            // opening any file, and the earlier results are as they were.
            for (f, b) in &before {
                assert_eq!(
                    std::fs::read(dir.join(&format!("o/{f}"))).unwrap(),
                    *b,
                    "{f} changed by an interrupt at {delay_ms} ms, before the handler"
                );
            }
        } else {
            // Finished before the signal: a complete new set.
            assert!(out.status.success(), "{out:?}");
        }
        // Either way every CSV parses to the end.
        for f in dir.files("o") {
            if f.ends_with(".csv") {
                let s = dir.read(&format!("o/{f}"));
                assert!(s.ends_with('\n'), "{f} is cut off");
            }
        }
    }
}

#[test]
fn large_inputs_are_fine() {
    let dir = Dir::new();
    // 100,000 tiny documents.
    let mut jsonl = String::with_capacity(3_000_000);
    for i in 0..100_000 {
        jsonl.push_str(&format!("{{\"id\":\"d{i}\",\"text\":\"win-win {i}\"}}\n"));
    }
    dir.create("tiny.jsonl", jsonl);
    let out = dir.stdout(&["corpus", "-q", "--corpus", "tiny.jsonl", "--format", "csv"]);
    assert_eq!(out.lines().count(), 100_001);
    assert_eq!(out.lines().nth(100_000), Some("d99999,2,2,1,13"));
    // A lexicon of 10,000 frames, and a pattern of 1,000 pieces.
    let mut toml = String::from("name = \"big\"\nversion = \"1\"\n");
    for i in 0..10_000 {
        toml.push_str(&format!(
            "\n[[frame]]\nid = \"f{i}\"\nlabel = \"F{i}\"\npatterns = [\"w{i}x\"]\n"
        ));
    }
    toml.push_str("\n[[frame]]\nid = \"long\"\nlabel = \"Long\"\npatterns = [\"");
    toml.push_str(&vec!["*"; 999].join(" "));
    toml.push_str(" win-win\"]\n");
    dir.create("big.toml", toml);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let scores = dir.stdout(&[
        "score",
        "-q",
        "--lexicon",
        "big.toml",
        "--corpus",
        root.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(scores.lines().count(), 1 + 5 * 10_001);
    // The 1,000-token pattern fits in no sentence of the corpus.
    assert!(scores
        .lines()
        .filter(|l| l.contains(",long,"))
        .all(|l| l.split(',').nth(4) == Some("0")));
}

#[test]
fn error_too_many_pairs_or_groups() {
    let dir = Dir::new();
    let mut jsonl = String::new();
    for i in 0..2001 {
        jsonl.push_str(&format!("{{\"id\":\"d{i}\",\"text\":\"win-win\"}}\n"));
    }
    dir.create("c.jsonl", jsonl);
    check(
        &dir,
        &["compare", "--what", "similarity", "--corpus", "c.jsonl"],
        1,
        "framescope: 2001 documents or groups give 2001000 pairs to compare; compare \
         groups with --by FIELD (at most 2000)",
    );
    // Refused at the document with the 1,001st value: the broken line
    // after it is never read.
    let mut jsonl = dir.read("c.jsonl");
    jsonl.push_str("not json\n");
    dir.create("c.jsonl", jsonl);
    check(
        &dir,
        &["run", "--corpus", "c.jsonl", "--by", "id"],
        1,
        "framescope: --by id gives more than 1000 groups (one more at document 1001: \
         \"d1000\"); run compares each with the rest of the corpus, so choose a field \
         with at most 1000 values (or use `framescope compare` for one group)",
    );
}

#[test]
fn error_output_folder_cannot_be_written() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    dir.create("blocker", "a file where the output folder should be");
    let out = dir.fails(&["run", "-q", "--out", "blocker/o"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.lines().last(),
        Some(
            "framescope: blocker: is a file, not a folder; give --out a folder (it is made \
             if missing)"
        )
    );
    assert_eq!(
        dir.read("blocker"),
        "a file where the output folder should be"
    );
}

/// Every file below `dir/rel` with its bytes.
fn snapshot(dir: &Dir, rel: &str) -> Vec<(String, Vec<u8>)> {
    dir.files(rel)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&format!("{rel}/{f}"))).unwrap();
            (f, bytes)
        })
        .collect()
}

/// `big.jsonl`: `copies` documents, each an article of the default corpus.
fn big_corpus(dir: &Dir, copies: usize) {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/2022-liu-faj-relations-new-era.txt"),
    )
    .unwrap();
    let mut jsonl = String::new();
    for i in 0..copies {
        jsonl.push_str(&serde_json::json!({"id": format!("d{i}"), "text": text}).to_string());
        jsonl.push('\n');
    }
    dir.create("big.jsonl", jsonl);
}

/// A second corpus whose results differ from the manifest corpus's.
fn other_corpus(dir: &Dir) {
    dir.create(
        "other.jsonl",
        "{\"id\":\"x\",\"text\":\"Mutual trust and win-win cooperation.\"}\n\
         {\"id\":\"y\",\"text\":\"No external interference, ever.\"}\n",
    );
}

#[cfg(unix)]
#[test]
fn killed_run_keeps_previous_results() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    dir.stdout(&["run", "-q", "--out", "o"]);
    let before = snapshot(&dir, "o");
    big_corpus(&dir, 2000);
    // SIGKILL cannot be caught: nothing runs after it, so only the order
    // of the writes protects the results.
    let mut child = dir
        .cmd(&["run", "-q", "--corpus", "big.jsonl", "--out", "o"])
        .spawn()
        .unwrap();
    // Killed in its pass, once it writes doc_terms.csv's temporary (a
    // fixed delay would let a release build on a fast machine finish
    // first).
    let tmp = dir.join(&format!("o/.doc_terms.csv.tmp-{}", child.id()));
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !tmp.exists() && std::time::Instant::now() < until {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run finished before its pass was seen"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), None, "the run finished before it was killed");
    // The earlier results byte for byte; at most the killed run's hidden
    // temporaries beside them (doc_terms.csv is written during the pass),
    // which the next write into the folder removes.
    let (hidden, visible): (Vec<_>, Vec<_>) = snapshot(&dir, "o")
        .into_iter()
        .partition(|(f, _)| f.rsplit('/').next().unwrap().starts_with('.'));
    assert!(visible == before, "a killed run changed the results");
    assert!(
        hidden.iter().all(|(f, _)| f.contains(".tmp-")),
        "{:?}",
        hidden.iter().map(|(f, _)| f).collect::<Vec<_>>()
    );
    dir.stdout(&["run", "-q", "--out", "o"]);
    assert!(
        dir.files("o")
            .iter()
            .all(|f| !f.rsplit('/').next().unwrap().starts_with('.')),
        "{:?}",
        dir.files("o")
    );
}

#[test]
fn full_disk_keeps_previous_results() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    other_corpus(&dir);
    dir.stdout(&["run", "-q", "--out", "o"]);
    let before = snapshot(&dir, "o");
    // File `n` written fails as on a full disk: one error line, and the
    // folder as it was, with no temporary left.
    let full_at = |n: usize| -> String {
        let out = dir
            .cmd(&["run", "-q", "--corpus", "other.jsonl", "--out", "o"])
            .env("FRAMESCOPE_FAULT", format!("enospc:{n}"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            snapshot(&dir, "o") == before,
            "a failed write changed the results"
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let tail = ": No space left on device (os error 28); free space there, or choose an \
                output folder with room with --out\n";
    assert_eq!(
        full_at(6),
        format!(
            "framescope: {}{tail}",
            Path::new("o").join("frames.csv").display()
        )
    );
    // A chart, written and synced while the files around it are.
    let err = full_at(20);
    let chart = format!("framescope: {}", Path::new("o").join("charts").display());
    assert!(
        err.starts_with(&chart)
            && err.ends_with(&format!(".png{tail}"))
            && err.lines().count() == 1,
        "{err}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn killed_writes_leave_old_or_new_results_never_a_mix() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    other_corpus(&dir);
    let new = Dir::new();
    other_corpus(&new);
    new.stdout(&["run", "-q", "--corpus", "other.jsonl", "--out", "o"]);
    let new_set = snapshot(&new, "o");
    dir.stdout(&["run", "-q", "--out", "o"]);
    let old_set = snapshot(&dir, "o");
    // Without the hidden files, and without run.json (its timings change
    // from run to run).
    let visible = |set: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        set.into_iter()
            .filter(|(f, _)| !f.rsplit('/').next().unwrap().starts_with('.') && f != "run.json")
            .collect()
    };
    let new_set = visible(new_set);
    let old_set = visible(old_set);
    let hidden = |dir: &Dir| -> Vec<String> {
        dir.files("o")
            .into_iter()
            .filter(|f| f.rsplit('/').next().unwrap().starts_with('.'))
            .collect()
    };
    let killed = |at: &str| {
        let out = dir
            .cmd(&["run", "-q", "--corpus", "other.jsonl", "--out", "o"])
            .env("FRAMESCOPE_FAULT", format!("abort:{at}"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), None, "{at}: {out:?}");
    };
    // Killed with every temporary written, before the first rename: the
    // old results stand, and the next write removes the temporaries.
    killed("after-temps");
    assert!(visible(snapshot(&dir, "o")) == old_set);
    assert!(hidden(&dir).len() > 20, "{:?}", hidden(&dir));
    dir.stdout(&["run", "-q", "--out", "o"]);
    assert!(hidden(&dir).is_empty(), "{:?}", hidden(&dir));
    assert!(visible(snapshot(&dir, "o")) == old_set);
    // Killed halfway through the renames: the journal left behind lets
    // the next write into the folder finish them, even one that fails.
    killed("mid-rename");
    let mixed = visible(snapshot(&dir, "o"));
    assert!(
        mixed != old_set && mixed != new_set,
        "the kill missed the renames"
    );
    assert!(hidden(&dir)
        .iter()
        .any(|f| f.starts_with(".framescope-commit-")));
    let out = dir
        .cmd(&["run", "-q", "--corpus", "other.jsonl", "--out", "o"])
        .env("FRAMESCOPE_FAULT", "enospc:1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(hidden(&dir).is_empty(), "{:?}", hidden(&dir));
    let got = visible(snapshot(&dir, "o"));
    let differ: Vec<&String> = got
        .iter()
        .zip(&new_set)
        .filter(|(a, b)| a != b)
        .map(|(a, _)| &a.0)
        .collect();
    assert!(got == new_set, "{differ:?}");
}

#[test]
fn a_100_mb_line_is_one_document() {
    let dir = Dir::new();
    // 2,500,000 sentences of 40 bytes and 5 tokens, on one line.
    let sentence = "Win-win cooperation benefits all sides. ";
    let n = 2_500_000;
    let mut text = sentence.repeat(n);
    text.pop();
    dir.create("line/one.txt", &text);
    dir.create(
        "one.jsonl",
        format!("{{\"id\":\"j\",\"text\":\"{text}\"}}\n"),
    );
    drop(text);
    for (corpus, id) in [("line", "one"), ("one.jsonl", "j")] {
        let out = dir.stdout(&["corpus", "-q", "--corpus", corpus, "--format", "csv"]);
        assert_eq!(
            out,
            format!(
                "doc_id,n_tokens,n_types,n_sentences,n_bytes\n{id},{},5,{n},{}\n",
                5 * n,
                40 * n - 1
            )
        );
    }
}

/// A document of 4.4 MB is read and counted a part of about 1 MiB at a
/// time (`Plan::segment_bytes`): hits, their token numbers, offsets,
/// sentences and KWIC lines, and the n-grams, come out as for a short
/// document, across the parts' edges. (1 MiB is not a whole number of
/// sentences of 6 tokens: a part cut anywhere but at a sentence's end
/// would lose or split hits and n-grams.)
#[test]
fn a_long_document_is_counted_across_its_parts() {
    let dir = Dir::new();
    let sentence = "Win-win cooperation benefits all sides now. ";
    let n = 100_000;
    let mut text = sentence.repeat(n);
    text.pop();
    dir.create("c.jsonl", format!("{{\"id\":\"j\",\"text\":\"{text}\"}}\n"));
    dir.create(
        "t.toml",
        "name = \"T\"\nversion = \"1\"\ndescription = \"T\"\n\n[[frame]]\nid = \"coop\"\nlabel = \"Coop\"\npatterns = [\"win-win cooperation\"]\n",
    );
    dir.stdout(&[
        "run",
        "-q",
        "--corpus",
        "c.jsonl",
        "--lexicon",
        "t.toml",
        "--out",
        "o",
        "--max-hits-per-frame",
        "0",
        "--window",
        "5",
    ]);
    let mut want = String::from(
        "doc_id,lexicon,frame,pattern,token_start,token_end,byte_start,byte_end,sentence,negated,left,match,right\n",
    );
    for k in 0..n {
        let left = if k == 0 {
            ""
        } else {
            "cooperation benefits all sides now"
        };
        let right = if k == n - 1 {
            "benefits all sides now"
        } else {
            "benefits all sides now. Win-win"
        };
        want.push_str(&format!(
            "j,t,coop,win-win cooperation,{},{},{},{},{k},false,{left},Win-win cooperation,{right}\n",
            6 * k,
            6 * k + 1,
            44 * k,
            44 * k + 19
        ));
    }
    assert!(dir.read("o/hits.csv") == want, "hits.csv");
    // Each sentence's bigrams and trigrams without a stopword (`all`) at
    // an edge, none across a sentence's end: n of each, 1000/6 a
    // thousand.
    eqnice!(
        "\
n,term,count,per_1k,n_docs
2,cooperation benefits,100000,166.66666666666666,1
2,sides now,100000,166.66666666666666,1
2,win-win cooperation,100000,166.66666666666666,1
3,benefits all sides,100000,166.66666666666666,1
3,win-win cooperation benefits,100000,166.66666666666666,1
",
        dir.read("o/ngrams.csv")
    );
}

/// Text that a spreadsheet would run is prefixed with `'`; a plain
/// number (`-2`, `+1`) is no formula and stays a number.
#[test]
fn formulas_in_the_input_are_not_run_by_spreadsheets() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"=HYPERLINK(\\\"http://x\\\")\",\"title\":\"@SUM(A1)\",\"text\":\"=HYPERLINK(\\\"http://x\\\",\\\"win-win\\\") cooperation\"}\n\
         {\"id\":\"-2\",\"title\":\"+1\",\"text\":\"\\tmore win-win talk\"}\n\
         {\"id\":\"-2+3\",\"title\":\"+1e\",\"text\":\"x\"}\n",
    );
    dir.stdout(&["run", "-q", "--corpus", "c.jsonl", "--out", "o"]);
    eqnice!(
        "\
doc_id,title,n_tokens,n_types,n_sentences,n_bytes
\"'=HYPERLINK(\"\"http://x\"\")\",'@SUM(A1),5,5,1,44
-2,+1,3,3,1,18
'-2+3,'+1e,1,1,1,1
",
        dir.read("o/docs.csv")
    );
    let kwic = dir.stdout(&[
        "kwic", "-q", "--corpus", "c.jsonl", "--format", "csv", "--window", "2", "win-win",
    ]);
    eqnice!(
        "\
doc_id,pattern,token_start,token_end,byte_start,byte_end,sentence,negated,left,match,right
\"'=HYPERLINK(\"\"http://x\"\")\",win-win,3,3,23,30,0,false,http://x,win-win,cooperation
-2,win-win,1,1,6,13,0,false,more,win-win,talk
",
        kwic
    );
    // No cell of any CSV written begins with a formula character, unless
    // it is a number (a negative effect size).
    for f in dir.files("o") {
        if !f.ends_with(".csv") {
            continue;
        }
        let text = dir.read(&format!("o/{f}"));
        let mut r = csv::Reader::from_reader(text.as_bytes());
        for rec in r.records() {
            for cell in rec.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
                        || cell.parse::<f64>().is_ok(),
                    "{f}: {cell:?}"
                );
            }
        }
    }
}

#[test]
fn white_space_only_inputs() {
    let dir = Dir::new();
    // A document of white space only is a document with no tokens.
    dir.create("ws/a.txt", " \n\t\r\n  \u{a0}\n");
    dir.create("ws/b.txt", "Win-win.");
    let out = dir.stdout(&["corpus", "-q", "--corpus", "ws", "--format", "csv"]);
    assert_eq!(
        out,
        "doc_id,n_tokens,n_types,n_sentences,n_bytes\na,0,0,0,10\nb,1,1,1,8\n"
    );
    // A .jsonl of blank lines holds no documents.
    dir.create("ws.jsonl", "\n  \n\t\n");
    check(
        &dir,
        &["run", "--corpus", "ws.jsonl"],
        1,
        "framescope: ws.jsonl: no documents: the file has no JSON lines; each line must \
         be one JSON object with a string \"text\"",
    );
}

/// Grouping by year when a document has no date, or a date framescope
/// does not read: the message says which, and what to do; `year` is not
/// offered among the fields to use instead.
#[test]
fn error_year_of_a_document_without_a_readable_date() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\": \"a\", \"date\": \"2019-09-24\", \"text\": \"Win-win cooperation.\"}\n\
         {\"id\": \"b\", \"text\": \"External interference.\"}\n",
    );
    let undated = "framescope: document \"b\" has no date (nor a year field) to group by \
                   year; give every document a date, or use one of: corpus, id";
    for args in [
        &["freq", "--corpus", "c.jsonl", "--by", "year"][..],
        &["run", "--corpus", "c.jsonl", "--by", "year"][..],
        &[
            "compare", "--corpus", "c.jsonl", "--by", "year", "--target", "2019",
        ][..],
    ] {
        check(&dir, args, 1, undated);
    }
    dir.create(
        "d.jsonl",
        "{\"id\": \"a\", \"date\": \"24/09/19\", \"text\": \"Win-win cooperation.\"}\n",
    );
    check(
        &dir,
        &["freq", "--corpus", "d.jsonl", "--by", "year"],
        1,
        "framescope: document \"a\" has the date \"24/09/19\", which is not a date \
         framescope reads (2022, 2024-07, 2018-10-14, an ISO timestamp, 2018/10/14, \
         14/10/2018 or an English date such as March 4, 2021), so no year to group by; \
         fix its date, or use one of: corpus, id, date",
    );
}

/// Output folders `a` and `b` of `dir` hold the same files, byte for
/// byte, but those named in `except`.
fn same_outputs(dir: &Dir, a: &str, b: &str, except: &[&str]) {
    let files = dir.files(a);
    assert_eq!(files, dir.files(b));
    for f in files.iter().filter(|f| !except.contains(&f.as_str())) {
        let read = |o: &str| std::fs::read(dir.join(o).join(f)).unwrap();
        assert!(read(a) == read(b), "{f} differs");
    }
}

/// A lone surrogate escape (half of a UTF-16 pair, from text cut inside
/// an emoji) is valid JSON but no character: it is read as U+FFFD, with a
/// warning naming the line, exactly as if U+FFFD had been written there;
/// a pair, and an escaped backslash before `ud800`, are read as they are.
/// Past ten lines the rest are counted, and the count given at the end.
#[test]
fn lone_surrogates_read_as_replacement_characters_with_a_warning() {
    let dir = Dir::new();
    let lines = [
        r#"{"id":"a","text":"Win-win cooperation \ud83d\ude00 and mutual benefit."}"#,
        r#"{"id":"b","title":"cut \ud83d","text":"Cut inside \ud83d. Win-win \\ud800 stays."}"#,
        r#"{"id":"c","text":"\udc00low half, then win-win\ud800\ud800."}"#,
    ];
    // The same lines with U+FFFD written where each lone half is.
    let mended = [
        lines[0].to_string(),
        r#"{"id":"b","title":"cut \ufffd","text":"Cut inside \ufffd. Win-win \\ud800 stays."}"#
            .replace(r"\ufffd", "\u{FFFD}"),
        r#"{"id":"c","text":"\ufffdlow half, then win-win\ufffd\ufffd."}"#
            .replace(r"\ufffd", "\u{FFFD}"),
    ];
    // One file name for both: the report names the corpus's path.
    let run = |text: String, out: &str| {
        dir.create("c.jsonl", text);
        dir.cmd(&["-q", "run", "--corpus", "c.jsonl", "--out", out])
            .output()
            .unwrap()
    };
    let (got, want) = (run(lines.join("\n"), "o1"), run(mended.join("\n"), "o2"));
    assert!(got.status.success() && want.status.success());
    assert_eq!(
        String::from_utf8_lossy(&got.stderr),
        "framescope: warning: c.jsonl:2: lone surrogate \\ud83d at byte 23 and 1 more \
         read as U+FFFD (half of a UTF-16 pair, not a character: the text was likely \
         cut inside an emoji or other character beyond U+FFFF)\n\
         framescope: warning: c.jsonl:3: lone surrogate \\udc00 at byte 18 and 2 more \
         read as U+FFFD (half of a UTF-16 pair, not a character: the text was likely \
         cut inside an emoji or other character beyond U+FFFF)\n"
    );
    assert_eq!(want.stderr, b"");
    same_outputs(&dir, "o1", "o2", &["run.json"]);
    // The title's half is U+FFFD; the escaped backslash's `ud800` is a word.
    let docs = dir.read("o1/docs.csv");
    assert!(docs.contains(",cut \u{FFFD},"), "{docs}");
    let hits = dir.read("o1/hits.csv");
    assert!(hits.contains(",Win-win,ud800 stays\n"), "{hits}");

    // Twelve lines: ten named, the tenth saying so, then the count.
    let many: Vec<String> = (0..12)
        .map(|i| format!(r#"{{"id":"d{i}","text":"x \udbff y"}}"#))
        .collect();
    dir.create("many.jsonl", many.join("\n"));
    let out = dir
        .cmd(&[
            "freq",
            "--by",
            "corpus",
            "--corpus",
            "many.jsonl",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut want = String::new();
    for line in 1..=10 {
        want += &format!(
            "framescope: warning: many.jsonl:{line}: lone surrogate \\udbff at byte 21 \
             read as U+FFFD (half of a UTF-16 pair, not a character: the text was likely \
             cut inside an emoji or other character beyond U+FFFF){}\n",
            if line == 10 {
                "; later lines with them are counted, not named"
            } else {
                ""
            }
        );
    }
    want +=
        "framescope: warning: many.jsonl: 12 lines in all had lone surrogates, read as U+FFFD\n";
    assert_eq!(String::from_utf8_lossy(&out.stderr), want);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "group,term,n,per_1k,n_docs\ncorpus,x,12,500,12\ncorpus,y,12,500,12\n"
    );
}

/// NaN, Infinity and -Infinity (which Python's json writes for such
/// floats, e.g. a pandas row's missing values) are read as Python reads
/// them back: NaN as a missing value, as null is, the infinities as
/// written, with one warning naming the first line and a count at the
/// end; every output is what the same corpus written as JSON gives. A
/// line that is wrong besides names the column as written.
#[test]
fn python_floats_read_as_missing_and_written_values() {
    let dir = Dir::new();
    let written = [
        r#"{"id":"a","date":"2020","score":NaN,"text":"Win-win cooperation, NaN left as it is."}"#,
        r#"{"id":"b","date":"2021","score":-Infinity,"tags":[1,NaN],"text":"Mutual benefit."}"#,
        r#"{"id":NaN,"date":"2021","score":Infinity,"text":"External interference."}"#,
    ];
    let json = [
        r#"{"id":"a","date":"2020","score":null,"text":"Win-win cooperation, NaN left as it is."}"#,
        r#"{"id":"b","date":"2021","score":"-Infinity","tags":[1,null],"text":"Mutual benefit."}"#,
        r#"{"id":null,"date":"2021","score":"Infinity","text":"External interference."}"#,
    ];
    let run = |lines: &[&str], out: &str| {
        dir.create("c.jsonl", lines.join("\n"));
        dir.cmd(&["-q", "run", "--corpus", "c.jsonl", "--out", out])
            .output()
            .unwrap()
    };
    let (got, want) = (run(&written, "o1"), run(&json, "o2"));
    assert!(got.status.success() && want.status.success());
    assert_eq!(
        String::from_utf8_lossy(&got.stderr),
        "framescope: warning: c.jsonl:1: NaN, Infinity and -Infinity are not JSON \
         (Python's json writes them for such floats): NaN is read as a missing value, \
         as null is, and Infinity and -Infinity as written\n\
         framescope: warning: c.jsonl: 3 lines in all held NaN, Infinity or -Infinity\n"
    );
    assert_eq!(want.stderr, b"");
    same_outputs(&dir, "o1", "o2", &["run.json"]);
    let docs = dir.read("o1/docs.csv");
    assert!(
        docs.starts_with("doc_id,date,score,tags,n_tokens,n_types,n_sentences,n_bytes\na,2020,,,")
            && docs.contains("\nb,2021,'-Infinity,\"[1,null]\",")
            && docs.contains("\ntext3,2021,Infinity,,"),
        "{docs}"
    );

    // Wrong besides: the column is the written line's (28, the `}` after `tru`).
    dir.create("bad.jsonl", "{\"text\":\"x\",\"s\":NaN,\"t\":tru}\n");
    let out = dir.fails(&["freq", "--corpus", "bad.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "framescope: bad.jsonl:1: not valid JSON (expected ident at line 1 column 28); \
         each line must be one JSON object with a string \"text\"\n"
    );
}

/// --name-fields refused where it cannot apply or names its parts
/// wrongly, and a file name of another number of parts named; nothing is
/// written.
#[test]
fn error_name_fields() {
    let dir = Dir::new();
    dir.create("c/a/ARG_76_2021.txt", "Win-win.");
    dir.create("c/b/BRA_75.txt", "Win-win.");
    check(
        &dir,
        &[
            "run",
            "--corpus",
            "c",
            "--name-fields",
            "country,session,year",
        ],
        1,
        &format!(
            "framescope: {}: its name \"BRA_75\" has 2 parts separated by \"_\", and \
             --name-fields names 3 (country,session,year); rename the file, or change \
             --name-fields (or --name-sep)",
            std::path::Path::new("c/b/BRA_75.txt").display()
        ),
    );
    for (fields, msg) in [
        (
            "country,id,year",
            "--name-fields names `id`, which is each document's id (its file name's \
             stem); give that part another name",
        ),
        (
            "country,year,year",
            "--name-fields names `year` twice; give every part its own name",
        ),
        (
            "country,,year",
            "--name-fields names no field at position 2 (\"country,,year\"); name every \
             part of the file names, or write - for a part to leave out",
        ),
    ] {
        check(
            &dir,
            &["run", "--corpus", "c", "--name-fields", fields],
            1,
            &format!("framescope: c: {msg}"),
        );
    }
    check(
        &dir,
        &["run", "--corpus", "c", "--name-sep", "-"],
        1,
        "framescope: c: --name-sep separates the parts of file names that --name-fields \
         names; give --name-fields too",
    );
    manifest_of_two(&dir, "m", "file\na.txt\n");
    check(
        &dir,
        &["run", "--corpus", "m", "--name-fields", "a,b"],
        1,
        &format!(
            "framescope: {}: this folder's metadata comes from its manifest.csv; \
             --name-fields reads metadata from file names in a folder without one (add \
             the fields as columns of the manifest instead)",
            std::path::Path::new("m/manifest.csv").display()
        ),
    );
    dir.create("c.jsonl", "{\"text\":\"x\"}\n");
    check(
        &dir,
        &["run", "--corpus", "c.jsonl", "--name-fields", "a,b"],
        1,
        "framescope: c.jsonl: --name-fields reads metadata from the file names of a \
         folder of .txt files; a .jsonl or .csv file's documents have fields of their own",
    );
}

/// `--text-field` and `--id-field` name the fields (or columns) that
/// hold the text and the id: a corpus read through them gives what the
/// same corpus with `text` and `id` gives, and `text`, when it is not
/// the text's field, is metadata like any other. Named wrongly, or for a
/// corpus without such fields, they are refused.
#[test]
fn text_and_id_fields_named_by_options() {
    let dir = Dir::new();
    let rows = [
        ("a", "2020", "Win-win cooperation and mutual benefit."),
        ("b", "2021", "External interference, again and again."),
        ("c", "2021", "A community with a shared future."),
    ];
    let jsonl = |id: &str, text: &str, extra: bool| {
        rows.iter()
            .map(|(i, d, t)| {
                let more = if extra {
                    r#","text":"not the text""#
                } else {
                    ""
                };
                format!(r#"{{"{id}":"{i}","date":"{d}","{text}":"{t}"{more}}}"#)
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let csv = |id: &str, text: &str| {
        let mut s = format!("{id},date,{text}\n");
        for (i, d, t) in rows {
            s += &format!("{i},{d},\"{t}\"\n");
        }
        s
    };
    dir.create("std.jsonl", jsonl("id", "text", false));
    dir.create("named.jsonl", jsonl("doc", "body", false));
    dir.create("std.csv", csv("id", "text"));
    dir.create("named.csv", csv("doc", "body"));
    let names = ["--text-field", "body", "--id-field", "doc"];
    for (std, named) in [("std.jsonl", "named.jsonl"), ("std.csv", "named.csv")] {
        for cmd in [
            vec!["freq", "--by", "date", "--format", "csv"],
            vec!["kwic", "and", "--format", "csv"],
            vec!["score", "--format", "csv"],
        ] {
            let mut a = cmd.clone();
            a.extend(["--corpus", std]);
            let mut b = cmd.clone();
            b.extend(["--corpus", named]);
            b.extend(names);
            let want = dir.stdout(&a);
            assert!(want.lines().count() > 2, "{a:?}: {want}");
            assert_eq!(dir.stdout(&b), want, "{b:?}");
        }
        let mut a = vec!["-q", "run", "--corpus", std, "--out", "o1"];
        let mut b = vec!["-q", "run", "--corpus", named, "--out", "o2"];
        a.extend(["--threads", "1"]);
        b.extend(["--threads", "1"]);
        b.extend(names);
        assert!(dir.cmd(&a).status().unwrap().success());
        assert!(dir.cmd(&b).status().unwrap().success());
        // The report shows run.json's settings, the fields among them.
        same_outputs(&dir, "o1", "o2", &["run.json", "report.html"]);
        let run = dir.read("o2/run.json");
        assert!(run.contains(r#""text_field": "body""#) && run.contains(r#""id_field": "doc""#));
    }
    // A `text` that is not the text's field is metadata.
    dir.create("extra.jsonl", jsonl("doc", "body", true));
    let mut args = vec!["-q", "run", "--corpus", "extra.jsonl", "--out", "o3"];
    args.extend(names);
    assert!(dir.cmd(&args).status().unwrap().success());
    let docs = dir.read("o3/docs.csv");
    assert!(
        docs.starts_with("doc_id,date,text,n_tokens,") && docs.contains("\na,2020,not the text,5,"),
        "{docs}"
    );
    // A manifest's id column.
    dir.create(
        "m/manifest.csv",
        "file,key,date\none.txt,first,2020\ntwo.txt,second,2021\n",
    );
    dir.create("m/one.txt", "Win-win cooperation.");
    dir.create("m/two.txt", "Mutual benefit.");
    let out = dir.stdout(&[
        "freq",
        "--corpus",
        "m",
        "--id-field",
        "key",
        "--format",
        "csv",
    ]);
    assert!(
        out.contains("\nfirst,cooperation,1,") && out.contains("\nsecond,benefit,1,"),
        "{out}"
    );

    for (args, msg) in [
        (
            vec!["run", "--corpus", "named.jsonl", "--text-field", "nope"],
            "framescope: named.jsonl:1: no \"nope\" field; each line must be a JSON object \
             with a string \"nope\" (--text-field); its fields are doc, date, body, and the \
             longest value is body's (--text-field body)",
        ),
        (
            vec!["run", "--corpus", "named.csv", "--text-field", "nope"],
            "framescope: named.csv:1: no `nope` column; a CSV corpus needs a header with a \
             `nope` column holding each document's text (--text-field); the header has doc, \
             date, body",
        ),
        (
            vec!["run", "--corpus", "m", "--text-field", "body"],
            "framescope: m: --text-field names a field of a .jsonl file or a column of a \
             .csv file; a folder's texts are its .txt files",
        ),
    ] {
        check(&dir, &args, 1, msg);
    }
    dir.create("c.csv", "id,published,text\na,2021,x\n");
    manifest_of_two(&dir, "m", "file,published\na.txt,2021\nb.txt,2020\n");
    for (corpus, file) in [("c.csv", "c.csv"), ("m", "m/manifest.csv")] {
        let header = if corpus == "m" {
            "file, published"
        } else {
            "id, published, text"
        };
        check(
            &dir,
            &["run", "--corpus", corpus, "--date-field", "publishd"],
            1,
            &format!(
                "framescope: {}:1: no `publishd` column (--date-field); the header has \
                 {header}: name the one that holds each document's date",
                std::path::Path::new(file).display()
            ),
        );
    }
    dir.create("f/a.txt", "x");
    check(
        &dir,
        &["run", "--corpus", "f", "--id-field", "key"],
        1,
        "framescope: f: --id-field names a column of manifest.csv, and this folder has \
         none; its documents' ids are their file names' stems",
    );
}

/// `--date-field` reads another field (a `.jsonl` field, a `.csv` or
/// `manifest.csv` column, a part of the file names) as each document's
/// date: shown as `date`, with `year` taken from it, in the field's
/// place among the metadata.
#[test]
fn date_field_reads_another_field_as_the_date() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"a\",\"src\":\"x\",\"published\":\"2021-03-04T10:00:00Z\",\"text\":\"Win-win.\"}\n\
         {\"id\":\"b\",\"src\":\"y\",\"text\":\"Win-win.\"}\n\
         {\"id\":\"c\",\"published\":\"2019\",\"src\":\"x\",\"text\":\"Win-win.\"}\n",
    );
    dir.create(
        "c.csv",
        "id,src,published,text\na,x,2021-03-04T10:00:00Z,Win-win.\nb,y,,Win-win.\nc,x,2019,Win-win.\n",
    );
    manifest_of_two(&dir, "m", "file,published\na.txt,2021-03-04\nb.txt,2019\n");
    dir.create("n/a_2021-03-04.txt", "Win-win.");
    dir.create("n/b_2019.txt", "Win-win.");
    let listing = |extra: &[&str]| {
        let mut args = vec!["corpus", "--format", "csv", "--date-field", "published"];
        args.extend(extra);
        dir.stdout(&args)
    };
    eqnice!(
        "doc_id,src,date,n_tokens,n_types,n_sentences,n_bytes\n\
         a,x,2021-03-04T10:00:00Z,1,1,1,8\n\
         b,y,,1,1,1,8\n\
         c,x,2019,1,1,1,8\n",
        listing(&["--corpus", "c.jsonl"])
    );
    // The CSV's empty cell is shown as the .jsonl's missing field is.
    eqnice!(
        listing(&["--corpus", "c.jsonl"]),
        listing(&["--corpus", "c.csv"])
    );
    eqnice!(
        "doc_id,date,n_tokens,n_types,n_sentences,n_bytes\n\
         a,2021-03-04,1,1,1,1\n\
         b,2019,1,1,1,1\n",
        listing(&["--corpus", "m"])
    );
    eqnice!(
        "doc_id,date,n_tokens,n_types,n_sentences,n_bytes\n\
         a_2021-03-04,2021-03-04,1,1,1,8\n\
         b_2019,2019,1,1,1,8\n",
        listing(&["--corpus", "n", "--name-fields=-,published"])
    );
    // `year` comes from the field.
    eqnice!(
        "group,term,n,per_1k,n_docs\n2019,y,1,1000,1\n2021,x,1,1000,1\n",
        dir.stdout(&[
            "freq",
            "--corpus",
            "m",
            "--date-field",
            "published",
            "--by",
            "year",
        ])
    );
}

/// `--date-field` naming the text or the id, a field no document has,
/// a document with `date` as well, and a folder without metadata: each
/// refused with what to do, nothing written.
#[test]
fn error_date_field() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"a\",\"published\":\"2021\",\"text\":\"x\"}\n\
         {\"id\":\"b\",\"published\":\"2020\",\"date\":\"2020-01-01\",\"text\":\"y\"}\n",
    );
    for (field, msg) in [
        (
            "text",
            "--date-field \"text\" names the field that holds the text; give the field \
             that holds each document's date",
        ),
        (
            "id",
            "--date-field \"id\" names the field that holds the id; give the field that \
             holds each document's date",
        ),
        (
            "publishd",
            "no document has a field \"publishd\" (--date-field); their fields are \
             published, date: name the one that holds the date",
        ),
        (
            "published",
            "document 2 (\"b\") has a field \"date\" besides \"published\", which \
             --date-field reads as its date; drop or rename one of them",
        ),
    ] {
        check(
            &dir,
            &["run", "--corpus", "c.jsonl", "--date-field", field],
            1,
            &format!("framescope: c.jsonl: {msg}"),
        );
    }
    dir.create("f/a.txt", "x");
    check(
        &dir,
        &["run", "--corpus", "f", "--date-field", "published"],
        1,
        "framescope: f: --date-field names a column of manifest.csv or a part of the \
         file names (--name-fields), and this folder has neither",
    );
}

/// A `null` text (pandas writes a missing text so; NaN, mended to a
/// missing value, too) is read as an empty document, as quanteda reads
/// R's NA and as the same table's empty CSV cell reads: warned of by
/// line, ten named, then a count. In a `.json` array the line is the
/// element's.
#[test]
fn null_texts_read_as_empty_documents() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"a\",\"text\":\"Win-win.\"}\n{\"id\":\"b\",\"text\":null}\n\
         {\"id\":\"c\",\"text\":NaN}\n",
    );
    dir.create("c.csv", "id,text\na,Win-win.\nb,\nc,\n");
    dir.create(
        "c.json",
        "[{\"id\":\"a\",\"text\":\"Win-win.\"},\n {\"id\":\"b\",\"text\":null},\n {\"id\":\"c\",\"text\":\"\"}]",
    );
    let listing = |corpus: &str| {
        let out = dir
            .cmd(&["corpus", "--corpus", corpus, "--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{corpus}");
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let want = "doc_id,n_tokens,n_types,n_sentences,n_bytes\na,1,1,1,8\nb,0,0,0,0\nc,0,0,0,0\n";
    for corpus in ["c.jsonl", "c.csv", "c.json"] {
        eqnice!(want, listing(corpus).0);
    }
    eqnice!(
        "framescope: warning: c.jsonl:2: \"text\" is null; read as an empty document\n\
         framescope: warning: c.jsonl:3: NaN, Infinity and -Infinity are not JSON (Python's \
         json writes them for such floats): NaN is read as a missing value, as null is, and \
         Infinity and -Infinity as written\n\
         framescope: warning: c.jsonl:3: \"text\" is null; read as an empty document\n",
        listing("c.jsonl").1
    );
    eqnice!(
        "framescope: warning: c.json:2: \"text\" is null; read as an empty document\n",
        listing("c.json").1
    );
    eqnice!("", listing("c.csv").1);
    // Twelve: ten named, the tenth saying so, then the count.
    let many: String = (0..12)
        .map(|i| format!("{{\"id\":\"d{i}\",\"body\":null}}\n"))
        .collect();
    dir.create("many.jsonl", many);
    let out = dir
        .cmd(&[
            "corpus",
            "--corpus",
            "many.jsonl",
            "--text-field",
            "body",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut want = String::new();
    for line in 1..=10 {
        want += &format!(
            "framescope: warning: many.jsonl:{line}: \"body\" is null; read as an empty \
             document{}\n",
            if line == 10 {
                "; later ones are counted, not named"
            } else {
                ""
            }
        );
    }
    want +=
        "framescope: warning: many.jsonl: 12 documents in all had a null \"body\", read as empty\n";
    eqnice!(want, String::from_utf8_lossy(&out.stderr));
}

/// Terms are never prefixed with `'`: a term holds word characters and
/// joiners only, so no spreadsheet runs it, and a prefix would make a
/// stem beginning with `-` read as a norm beginning with `'`. `ʼ-running`
/// (U+02BC, a letter) has the norm `'-running` and the stem `-run`
/// (Snowball drops a first apostrophe), in every table of terms; an id
/// beginning with `-` is still guarded.
#[test]
fn terms_are_written_as_they_are() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"-x\",\"text\":\"\u{2bc}-running \u{2bc}-running fast\"}\n{\"id\":\"b\",\"text\":\"slow\"}\n",
    );
    let freq = |unit: &str| {
        dir.stdout(&[
            "freq", "-q", "--corpus", "c.jsonl", "--by", "id", "--unit", unit, "--format", "csv",
        ])
    };
    eqnice!(
        "group,term,n,per_1k,n_docs\n'-x,'-running,2,666.6666666666666,1\n'-x,fast,1,333.3333333333333,1\nb,slow,1,1000,1\n",
        freq("norm")
    );
    eqnice!(
        "group,term,n,per_1k,n_docs\n'-x,-run,2,666.6666666666666,1\n'-x,fast,1,333.3333333333333,1\nb,slow,1,1000,1\n",
        freq("stem")
    );
    let keyness = dir.stdout(&[
        "compare",
        "-q",
        "--corpus",
        "c.jsonl",
        "--by",
        "id",
        "--target=-x",
        "--unit",
        "stem",
        "--min-count",
        "1",
        "--format",
        "csv",
    ]);
    assert!(
        keyness.lines().any(|l| l.starts_with("-run,2,0,")),
        "{keyness}"
    );
    let bigrams = dir.stdout(&[
        "freq", "-q", "--corpus", "c.jsonl", "--by", "corpus", "--unit", "stem", "--ngram", "2",
        "--format", "csv",
    ]);
    assert!(bigrams.contains("\ncorpus,-run -run,1,"), "{bigrams}");
}

/// `--id-field` naming a column the header lacks (a `.csv`, a manifest)
/// is refused at once, a field no document of a `.jsonl` has at its end,
/// and `--id-field` naming the text's field at once: each was read
/// silently as ids by position before.
#[test]
fn error_id_field() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"y\"}\n",
    );
    dir.create("c.csv", "id,text\na,x\n");
    manifest_of_two(&dir, "m", "file,id\na.txt,a\nb.txt,b\n");
    check(
        &dir,
        &["run", "--corpus", "c.jsonl", "--id-field", "zz"],
        1,
        "framescope: c.jsonl: no document has a field \"zz\" (--id-field); name the field \
         that holds each document's id, or leave the option out for ids by position",
    );
    for (corpus, file, header) in [
        ("c.csv", "c.csv", "id, text"),
        ("m", "m/manifest.csv", "file, id"),
    ] {
        check(
            &dir,
            &["run", "--corpus", corpus, "--id-field", "zz"],
            1,
            &format!(
                "framescope: {}:1: no `zz` column (--id-field); the header has {header}: \
                 name the one that holds each document's id",
                std::path::Path::new(file).display()
            ),
        );
    }
    for args in [
        &["--id-field", "text"][..],
        &["--text-field", "id"],
        &["--text-field", "body", "--id-field", "body"],
    ] {
        let mut all = vec!["run", "--corpus", "c.jsonl"];
        all.extend(args);
        let same = args.last().unwrap();
        check(
            &dir,
            &all,
            1,
            &format!(
                "framescope: c.jsonl: --id-field and --text-field both name \"{same}\"; a \
                 document's id and its text are two fields"
            ),
        );
    }
}

/// `--out` naming a file (or a path through one) is refused as such, for
/// every command that writes into a folder; it said "File exists".
#[test]
fn error_out_is_a_file() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    dir.create("afile", "mine");
    for args in [
        &["run", "--out", "afile"][..],
        &["freq", "--out", "afile/x"],
        &["kwic", "win-win", "--out", "afile"],
        &["chart", "frames", "--out", "afile"],
    ] {
        let out = dir.fails(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "framescope: afile: is a file, not a folder; give --out a folder (it is made if \
             missing)\n",
            "{args:?}"
        );
        assert_eq!(out.stdout, b"", "{args:?}");
        assert_eq!(dir.read("afile"), "mine");
    }
}

/// A manifest folder's `.txt` files that the manifest does not list are
/// not read, with a warning saying how many and the first (they were left
/// out silently); a file listed under another spelling is listed.
#[test]
fn manifest_warns_of_unlisted_files() {
    let dir = Dir::new();
    manifest_of_two(&dir, "m", "file\na.txt\n./b.txt\n");
    dir.create("m/sub/c.txt", "z");
    dir.create("m/d.txt", "w");
    let (stdout, stderr) = dir.outputs(&["corpus", "--corpus", "m", "--format", "csv"]);
    assert_eq!(
        stdout,
        "doc_id,n_tokens,n_types,n_sentences,n_bytes\na,1,1,1,1\nb,1,1,1,1\n"
    );
    assert_eq!(
        stderr,
        format!(
            "framescope: warning: {}: 2 .txt files of the folder are not listed and not read \
             (the first: d.txt); list them in the manifest, or move them out\n",
            std::path::Path::new("m/manifest.csv").display()
        )
    );
    // Every file listed: no warning.
    manifest_of_two(&dir, "n", "file\na.txt\nb.txt\n");
    let out = dir
        .cmd(&["corpus", "--corpus", "n", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// A file the manifest lists more than once is read each time (a manifest
/// may mean it), with a warning naming the first and its ids.
#[test]
fn manifest_warns_of_files_listed_twice() {
    let dir = Dir::new();
    manifest_of_two(
        &dir,
        "m",
        "file,id\na.txt,a\nb.txt,b\na.txt,a2\nb.txt,b2\na.txt,a3\n",
    );
    let (stdout, stderr) = dir.outputs(&["corpus", "--corpus", "m", "--format", "csv"]);
    assert_eq!(
        stdout,
        "doc_id,n_tokens,n_types,n_sentences,n_bytes\na,1,1,1,1\nb,1,1,1,1\na2,1,1,1,1\n\
         b2,1,1,1,1\na3,1,1,1,1\n"
    );
    assert_eq!(
        stderr,
        format!(
            "framescope: warning: {}: a.txt is listed more than once (as \"a\" and \"a2\"), \
             as is 1 more file; each listing is read as a document; list each file once\n",
            std::path::Path::new("m/manifest.csv").display()
        )
    );
}
