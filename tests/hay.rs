//! Tiny corpora as constants.

/// Three short documents with metadata, for manifest corpora.
pub const MANIFEST: &str = "\
file,id,title,date,voice
a.txt,a,First,2018-10-14,gov
b.txt,b,=Second,2022,press
c.txt,,Third,2024-07,gov
";

pub const A: &str = "Win-win cooperation. China’s role in win-win cooperation!\n";
pub const B: &str = "External interference is not welcome.\n\nCooperation, not interference.";
pub const C: &str = "";

/// Write the manifest corpus into `dir/corpus`.
pub fn manifest_corpus(dir: &crate::util::Dir) {
    dir.create("corpus/manifest.csv", MANIFEST);
    dir.create("corpus/a.txt", A);
    dir.create("corpus/b.txt", B);
    dir.create("corpus/c.txt", C);
}

/// A small lexicon: overlapping patterns, a stem, a glob, a phrase.
pub const LEXICON: &str = r#"
name = "Test frames"
version = "1"
description = "Frames for the tests."

[[frame]]
id = "coop"
label = "Cooperation"
description = "Cooperation, win-win or not."
patterns = ["win-win cooperation", "~cooperate", "win-win"]

[[frame]]
id = "interference"
label = "Interference"
patterns = ["external interference", "interfer*"]
"#;

/// The manifest corpus plus `t.toml`.
pub fn lexicon_corpus(dir: &crate::util::Dir) {
    manifest_corpus(dir);
    dir.create("t.toml", LEXICON);
}
