//! `framescope lexicon check` and `lexicon convert`, and the default
//! lexicon.

use framescope::lexicon::Lexicon;

use crate::eqnice;
use crate::hay;
use crate::util::Dir;

#[test]
fn lexicon_check_shows_what_each_pattern_caught() {
    let dir = Dir::new();
    hay::lexicon_corpus(&dir);
    let out = dir
        .cmd(&["lexicon", "check", "t.toml", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    eqnice!(
        "\
lexicon,frame,pattern,hits,n_docs,forms
t,coop,win-win cooperation,2,1,Win-win cooperation (1); win-win cooperation (1)
t,coop,~cooperate,1,1,Cooperation (1)
t,coop,win-win,0,0,
t,interference,external interference,1,1,External interference (1)
t,interference,interfer*,1,1,interference (1)
",
        String::from_utf8_lossy(&out.stdout)
    );
    eqnice!(
        "framescope: warning: t.toml: frame \"coop\": pattern \"win-win\" never matches in corpus\n",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Past ten patterns that never match, the others are counted, not
/// named one a line (a lexicon written for other texts had 226 lines).
#[test]
fn lexicon_check_names_ten_patterns_that_never_match() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let patterns: Vec<String> = (0..13).map(|i| format!("\"zzz{i}\"")).collect();
    dir.create(
        "n.toml",
        format!(
            "name = \"n\"\n[[frame]]\nid = \"a\"\npatterns = [{}]\n",
            patterns.join(", ")
        ),
    );
    let out = dir
        .cmd(&["lexicon", "check", "n.toml", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut want: String = (0..10)
        .map(|i| {
            format!(
                "framescope: warning: n.toml: frame \"a\": pattern \"zzz{i}\" never matches in \
                 corpus\n"
            )
        })
        .collect();
    want.push_str(
        "framescope: warning: n.toml: 3 more patterns never match in corpus (the table's rows \
         with hits 0)\n",
    );
    eqnice!(want, String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 14);
}

#[test]
fn lexicon_check_warns_about_repeated_patterns() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    dir.create(
        "r.toml",
        "name = \"r\"\n[[frame]]\nid = \"a\"\npatterns = [\"China's\", \"china\"]\n\
         [[frame]]\nid = \"b\"\npatterns = [\"China’s\"]\n",
    );
    let out = dir
        .cmd(&["lexicon", "check", "r.toml", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    eqnice!(
        "\
framescope: warning: r.toml: frame \"a\": pattern \"china\" is listed twice (as \"China's\"); remove one
framescope: warning: r.toml: pattern \"China’s\" is in frame \"b\" and (as \"China's\") in frame \"a\"; a hit will count for both
framescope: warning: r.toml: frame \"a\": pattern \"china\" never matches in corpus
",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn lexicon_convert_liwc_to_toml_round_trips() {
    let dir = Dir::new();
    dir.create(
        "d.dic",
        "%\n1\tPosEmo\n2\tneg emo\n%\nlove\t1\ngood*\t1\nnot good\t2\nabandon*\t2 1\n",
    );
    let out = dir.fails(&["lexicon", "convert", "d.dic"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "framescope: d.dic:3: a category name may not contain spaces; join its words with `_`\n"
    );
    dir.create(
        "d.dic",
        // `02` is category 2, as LIWC reads it.
        "%\n1\tPosEmo\n2\tneg_emo\n3\tunused\n%\nlove\t1\ngood*\t01\nnot good\t2\nabandon*\t02 1\n",
    );
    let out = dir.cmd(&["lexicon", "convert", "d.dic"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "framescope: warning: d.dic: category 3 (unused) has no words and is left out\n"
    );
    let toml = String::from_utf8(out.stdout).unwrap();
    eqnice!(
        r#"name = "d"
version = ""
description = "Converted from the LIWC dictionary d.dic"
language = "english"

[[frame]]
id = "posemo"
label = "PosEmo"
description = "LIWC category 1"
patterns = [
    "love",
    "good*",
    "abandon*",
]

[[frame]]
id = "neg_emo"
label = "neg_emo"
description = "LIWC category 2"
patterns = [
    "not good",
    "abandon*",
]
"#,
        toml
    );
    // The TOML reads back to the same frames.
    dir.create("d.toml", &toml);
    let a = Lexicon::load(&dir.join("d.dic")).unwrap();
    let b = Lexicon::load(&dir.join("d.toml")).unwrap();
    assert_eq!(a.frames, b.frames);
}

#[test]
fn default_lexicon_is_built_in_and_complete() {
    let root = env!("CARGO_MANIFEST_DIR");
    let file =
        Lexicon::load(&std::path::Path::new(root).join("lexicons/china-diplomacy.toml")).unwrap();
    let builtin = Lexicon::builtin();
    assert_eq!(file.frames, builtin.frames, "the binary embeds the file");
    let ids: Vec<&str> = builtin.frames.iter().map(|f| f.id.as_str()).collect();
    for want in [
        "win_win",
        "shared_future",
        "sovereignty",
        "security",
        "external_interference",
        "development",
        "friendship",
        "multilateralism",
    ] {
        assert!(ids.contains(&want), "missing frame {want}");
    }
    for f in &builtin.frames {
        assert!(
            f.description.len() > 40,
            "frame {} needs a description",
            f.id
        );
        assert_ne!(f.label, f.id, "frame {} needs a label", f.id);
    }
    // No pattern repeated in a frame or across frames.
    let warnings = framescope::cli::pattern_warnings(&builtin);
    assert!(warnings.is_empty(), "{warnings:#?}");
}
