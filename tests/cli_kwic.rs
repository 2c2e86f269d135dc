//! `framescope kwic`: whole concordances of the small corpus, worked out
//! by hand from CONTRACT §6, §7 and §9.

use crate::eqnice;
use crate::hay;
use crate::util::{assert_nothing_printed, ok_and_bad, Dir};

const HEADER: &str =
    "doc_id,pattern,token_start,token_end,byte_start,byte_end,sentence,negated,left,match,right\n";

fn kwic(dir: &Dir, args: &[&str]) -> String {
    let mut all = vec!["kwic", "-q", "--format", "csv"];
    all.extend(args);
    dir.stdout(&all)
}

#[test]
fn kwic_several_patterns_in_document_order() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    // Byte offsets: "China’s" has a three-byte apostrophe; b's second
    // sentence starts after "\n\n" at byte 39. The second interference
    // is negated by the "not" right before it.
    let got = kwic(&dir, &["win-win cooperation", "interfer*", "--window", "2"]);
    let want = format!(
        "{HEADER}\
a,win-win cooperation,0,1,0,19,0,false,,Win-win cooperation,China’s role
a,win-win cooperation,5,6,39,58,1,false,role in,win-win cooperation,
b,interfer*,1,1,9,21,0,false,External,interference,is not
b,interfer*,7,7,56,68,1,true,\"Cooperation, not\",interference,
"
    );
    eqnice!(want, got);
}

#[test]
fn kwic_overlapping_patterns_are_each_listed() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    // Same first token: pattern order on the command line breaks the tie.
    let got = kwic(&dir, &["win-win *", "win-win", "--window", "1"]);
    let want = format!(
        "{HEADER}\
a,win-win *,0,1,0,19,0,false,,Win-win cooperation,China’s
a,win-win,0,0,0,7,0,false,,Win-win,cooperation
a,win-win *,5,6,39,58,1,false,in,win-win cooperation,
a,win-win,5,5,39,46,1,false,in,win-win,cooperation
"
    );
    eqnice!(want, got);
}

#[test]
fn kwic_matches_never_cross_a_sentence_but_windows_do() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    // "cooperation. China’s" spans a sentence break: no match.
    eqnice!(HEADER, kwic(&dir, &["cooperation china's"]));
    let got = kwic(&dir, &["~cooperate", "--window", "3"]);
    let want = format!(
        "{HEADER}\
a,~cooperate,1,1,8,19,0,false,Win-win,cooperation,China’s role in
a,~cooperate,6,6,47,58,1,false,role in win-win,cooperation,
b,~cooperate,5,5,39,50,1,false,is not welcome,Cooperation,not interference
"
    );
    eqnice!(want, got);
    let got = kwic(&dir, &["~cooperate", "--window", "3", "--sentence"]);
    let want = format!(
        "{HEADER}\
a,~cooperate,1,1,8,19,0,false,Win-win,cooperation,
a,~cooperate,6,6,47,58,1,false,role in win-win,cooperation,
b,~cooperate,5,5,39,50,1,false,,Cooperation,not interference
"
    );
    eqnice!(want, got);
}

#[test]
fn kwic_sort_keys_apply_in_order_and_missing_tokens_sort_first() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    // R1: a@6 has no token to its right; then "china's" < "not".
    let got = kwic(&dir, &["cooperation", "--window", "1", "--sort", "R1"]);
    let want = format!(
        "{HEADER}\
a,cooperation,6,6,47,58,1,false,win-win,cooperation,
a,cooperation,1,1,8,19,0,false,Win-win,cooperation,China’s
b,cooperation,5,5,39,50,1,false,welcome,Cooperation,not
"
    );
    eqnice!(want, got);
    // L1 then R1: "welcome" < "win-win"; the two win-win lines by R1.
    let got = kwic(&dir, &["cooperation", "--window", "1", "--sort", "L1,R1"]);
    let want = format!(
        "{HEADER}\
b,cooperation,5,5,39,50,1,false,welcome,Cooperation,not
a,cooperation,6,6,47,58,1,false,win-win,cooperation,
a,cooperation,1,1,8,19,0,false,Win-win,cooperation,China’s
"
    );
    eqnice!(want, got);
    // match: the norms of the match; ties keep document order.
    let got = kwic(
        &dir,
        &[
            "interference",
            "*",
            "--window",
            "1",
            "--sort",
            "match",
            "--by",
            "id",
            "--target",
            "b",
        ],
    );
    let want = format!(
        "{HEADER}\
b,*,5,5,39,50,1,false,welcome,Cooperation,not
b,*,0,0,0,8,0,false,,External,interference
b,interference,1,1,9,21,0,false,External,interference,is
b,*,1,1,9,21,0,false,External,interference,is
b,interference,7,7,56,68,1,true,not,interference,
b,*,7,7,56,68,1,true,not,interference,
b,*,2,2,22,24,0,false,interference,is,not
b,*,3,3,25,28,0,false,is,not,welcome
b,*,6,6,52,55,1,false,Cooperation,not,interference
b,*,4,4,29,36,0,true,not,welcome,Cooperation
"
    );
    eqnice!(want, got);
}

#[test]
fn kwic_near_filter_limit_and_group() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    // "not" is 2 tokens before the first interference and 1 before the
    // second.
    let got = kwic(
        &dir,
        &["interference", "--near", "not", "--near-window", "1"],
    );
    let want = format!(
        "{HEADER}\
b,interference,7,7,56,68,1,true,\"is not welcome. Cooperation, not\",interference,
"
    );
    eqnice!(want, got);
    let got = kwic(
        &dir,
        &[
            "interference",
            "--near",
            "not",
            "--near-window",
            "2",
            "--window",
            "1",
        ],
    );
    let want = format!(
        "{HEADER}\
b,interference,1,1,9,21,0,false,External,interference,is
b,interference,7,7,56,68,1,true,not,interference,
"
    );
    eqnice!(want, got);
    // A near match that overlaps the match itself does not count.
    eqnice!(
        HEADER,
        kwic(&dir, &["interference", "--near", "interference"])
    );
    let got = kwic(
        &dir,
        &[
            "~cooperate",
            "--window",
            "1",
            "--limit",
            "2",
            "--sort",
            "R1",
        ],
    );
    let want = format!(
        "{HEADER}\
a,~cooperate,6,6,47,58,1,false,win-win,cooperation,
a,~cooperate,1,1,8,19,0,false,Win-win,cooperation,China’s
"
    );
    eqnice!(want, got);
    let got = kwic(
        &dir,
        &[
            "~cooperate",
            "--window",
            "1",
            "--by",
            "voice",
            "--target",
            "press",
        ],
    );
    let want = format!(
        "{HEADER}\
b,~cooperate,5,5,39,50,1,false,welcome,Cooperation,not
"
    );
    eqnice!(want, got);
    let both = kwic(
        &dir,
        &["~cooperate", "--by", "year", "--target", "2018, 2022"],
    );
    eqnice!(kwic(&dir, &["~cooperate"]), both);
}

#[test]
fn kwic_of_a_lexicon_frame_names_the_pattern_that_matched() {
    let dir = Dir::new();
    hay::lexicon_corpus(&dir);
    let got = kwic(
        &dir,
        &["--frame", "coop", "--lexicon", "t.toml", "--window", "1"],
    );
    let want = format!(
        "{HEADER}\
a,win-win cooperation,0,1,0,19,0,false,,Win-win cooperation,China’s
a,win-win cooperation,5,6,39,58,1,false,in,win-win cooperation,
b,~cooperate,5,5,39,50,1,false,welcome,Cooperation,not
"
    );
    eqnice!(want, got);
    // LEXICON/FRAME says which lexicon.
    eqnice!(
        got,
        kwic(
            &dir,
            &["--frame", "t/coop", "--lexicon", "t.toml", "--window", "1"]
        )
    );
}

#[test]
fn kwic_frame_lines_are_the_hits_of_run() {
    // The default corpus and lexicon: kwic --frame lists exactly the rows
    // of hits.csv for that frame.
    let dir = Dir::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("corpus");
    let corpus = corpus.to_str().unwrap();
    dir.stdout(&["run", "-q", "--corpus", corpus, "--out", "o"]);
    let hits = dir.read("o/hits.csv");
    let mut frames: Vec<&str> = hits
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    frames.dedup();
    frames.sort();
    frames.dedup();
    assert!(frames.len() >= 5, "{frames:?}");
    for frame in frames {
        let want: String = hits
            .lines()
            .skip(1)
            .filter(|l| l.split(',').nth(2) == Some(frame))
            .map(|l| {
                // Drop the lexicon and frame columns.
                let mut cells = l.splitn(4, ',');
                let doc = cells.next().unwrap();
                format!("{doc},{}\n", cells.nth(2).unwrap())
            })
            .collect();
        let got = kwic(&dir, &["--corpus", corpus, "--frame", frame]);
        eqnice!(format!("{HEADER}{want}"), got);
    }
}

#[test]
fn kwic_text_view_aligns_and_cuts_context() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"long\",\"text\":\"one two three four five six seven eight nine ten eleven twelve \
         thirteen fourteen fifteen key sixteen seventeen eighteen nineteen twenty twentyone \
         twentytwo twentythree twentyfour\"}\n{\"id\":\"short\",\"text\":\"a\\u001b[31m key b\"}\n",
    );
    let got = dir.stdout(&[
        "kwic", "-q", "--corpus", "c.jsonl", "key", "--window", "9", "--format", "text",
    ]);
    // Left context right-aligned to 40 columns and cut at its outer edge
    // with …; control characters shown as U+FFFD; ids last.
    let want = "\
…eleven twelve thirteen fourteen fifteen  key  sixteen seventeen eighteen nineteen twe…  long
                                  a\u{fffd}[31m  key  b                                         short
";
    eqnice!(want, got);
}

#[test]
fn kwic_html_is_standalone_and_escaped() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"<i>x</i>\",\"text\":\"Say <script>alert('key')</script> & key.\"}\n",
    );
    let got = dir.stdout(&[
        "kwic", "-q", "--corpus", "c.jsonl", "key", "--window", "2", "--format", "html",
    ]);
    assert!(got.starts_with("<!DOCTYPE html>\n"), "{got}");
    assert!(!got.contains("<script"), "{got}");
    assert!(!got.contains("<i>"), "{got}");
    let body = &got[got.find("<tbody>").unwrap()..];
    let want = "<tbody>
<tr><td class=\"n\">1</td><td class=\"d\">&lt;i&gt;x&lt;/i&gt;</td><td class=\"d\">key</td><td class=\"l\">script&gt;alert</td><td class=\"m\"><mark>key</mark></td><td class=\"r\">script&gt; &amp; key</td></tr>
<tr><td class=\"n\">2</td><td class=\"d\">&lt;i&gt;x&lt;/i&gt;</td><td class=\"d\">key</td><td class=\"l\">key&#39;)&lt;/script</td><td class=\"m\"><mark>key</mark></td><td class=\"r\"></td></tr>
</tbody>
</table>
</body>
</html>
";
    eqnice!(want, body);
}

#[test]
fn kwic_json_and_out_folder() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let got = dir.stdout(&[
        "kwic",
        "-q",
        "interference",
        "--window",
        "1",
        "--format",
        "json",
    ]);
    let want = "[
{\"doc_id\":\"b\",\"pattern\":\"interference\",\"token_start\":1,\"token_end\":1,\"byte_start\":9,\"byte_end\":21,\"sentence\":0,\"negated\":false,\"left\":\"External\",\"match\":\"interference\",\"right\":\"is\"},
{\"doc_id\":\"b\",\"pattern\":\"interference\",\"token_start\":7,\"token_end\":7,\"byte_start\":56,\"byte_end\":68,\"sentence\":1,\"negated\":true,\"left\":\"not\",\"match\":\"interference\",\"right\":\"\"}
]
";
    eqnice!(want, got);
    eqnice!(
        "",
        dir.stdout(&[
            "kwic",
            "-q",
            "interference",
            "--window",
            "1",
            "--format",
            "json",
            "--out",
            "o"
        ])
    );
    eqnice!(want, dir.read("o/kwic.json"));
}

#[test]
fn kwic_is_the_same_at_any_thread_count() {
    let dir = Dir::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("corpus");
    let corpus = corpus.to_str().unwrap();
    let args = [
        "--corpus",
        corpus,
        "cooperat*",
        "~develop",
        "the",
        "--sort",
        "R1,L2",
    ];
    let one = kwic(&dir, &[&["--threads", "1"][..], &args].concat());
    let four = kwic(&dir, &[&["--threads", "4"][..], &args].concat());
    assert!(one.lines().count() > 300);
    eqnice!(one, four);
}

/// The aligned text of a context holding an emoji with its variation
/// selector (`✔️`, two columns as a string, one as characters) cut at
/// the 40-column edge: it ended in an internal error (the padding
/// underflowed). Each side is cut to fit, the match stays in its column.
#[test]
fn text_format_cuts_emoji_sequences_to_fit() {
    let dir = Dir::new();
    let a = "a".repeat(37);
    dir.create(
        "c.jsonl",
        format!(
            "{{\"id\":\"p\",\"text\":\"b \u{2714}\u{fe0f} {a} x\"}}\n\
             {{\"id\":\"v\",\"text\":\"x {a} \u{2714}\u{fe0f} b\"}}\n"
        ),
    );
    let out = dir
        .cmd(&["kwic", "-q", "--corpus", "c.jsonl", "--format", "text", "x"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eqnice!(
        format!(
            " \u{2026} {a}  x  {}p\n{}x  {a} \u{2714}\u{2026}  v\n",
            " ".repeat(42),
            " ".repeat(42)
        ),
        String::from_utf8(out.stdout).unwrap()
    );
}

/// A concordance in document order goes out as the documents are read,
/// through a temporary file (in TMPDIR) that is printed once all is
/// read: a document that cannot be read after thousands of lines leaves
/// nothing printed and no temporary file, and a whole concordance is
/// the same bytes in csv and json as when it was held in memory (the
/// sorted one, which is).
#[test]
fn a_concordance_is_printed_whole_or_not_at_all() {
    let dir = Dir::new();
    let good = "The cat and the dog. ".repeat(40);
    let mut jsonl = String::new();
    for i in 0..400 {
        jsonl += &format!("{{\"id\":\"d{i}\",\"text\":\"{good}\"}}\n");
    }
    let tmp = ok_and_bad(&dir, &jsonl);
    let out = dir
        .cmd(&[
            "kwic",
            "-q",
            "the",
            "--corpus",
            "bad.jsonl",
            "--format",
            "csv",
        ])
        .env("TMPDIR", &tmp)
        .env("FRAMESCOPE_SPOOL_MEMORY", "1000")
        .output()
        .unwrap();
    assert_nothing_printed(&dir, &out, "bad.jsonl:401: invalid UTF-8");
    for format in ["csv", "json"] {
        let args = [
            "kwic", "-q", "the", "--corpus", "ok.jsonl", "--format", format,
        ];
        let streamed = dir
            .cmd(&args)
            .env("TMPDIR", &tmp)
            .env("FRAMESCOPE_SPOOL_MEMORY", "1000")
            .output()
            .unwrap();
        assert!(streamed.status.success());
        assert_eq!(dir.files("tmp"), [".keep"]);
        // Held in memory, or printed as it is made when TMPDIR cannot
        // be written (with a warning): the same lines.
        let in_memory = dir.cmd(&args).env("TMPDIR", &tmp).output().unwrap();
        assert_eq!(in_memory.stdout, streamed.stdout);
        let direct = dir
            .cmd(&args)
            .env("TMPDIR", dir.path().join("none"))
            .env("FRAMESCOPE_SPOOL_MEMORY", "1000")
            .output()
            .unwrap();
        assert!(direct.status.success());
        assert_eq!(direct.stdout, streamed.stdout);
        let warning = String::from_utf8_lossy(&direct.stderr);
        assert!(
            warning.starts_with("framescope: warning: ") && warning.contains("set TMPDIR"),
            "{warning}"
        );
        // Sorted by document first: held in memory, then printed.
        let held = dir.stdout(&[&args[..], &["--sort", "doc,match"]].concat());
        assert_eq!(String::from_utf8(streamed.stdout).unwrap(), held);
        let lines = match format {
            "csv" => held.lines().count() - 1,
            _ => held.matches("\"doc_id\"").count(),
        };
        assert_eq!(lines, 32_000, "{format}");
    }
}
