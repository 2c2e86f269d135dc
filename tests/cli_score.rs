//! `framescope score`.

use framescope::stats::poisson_ci;

use crate::eqnice;
use crate::hay;
use crate::util::Dir;

/// `ci_low,ci_high` of `hits` in `tokens`, from the Garwood interval
/// (itself checked against scipy in src/stats/dist.rs).
fn ci(hits: u64, tokens: u64) -> String {
    let (lo, hi) = poisson_ci(hits);
    let s = 1000.0 / tokens as f64;
    format!("{},{}", lo * s, hi * s)
}

#[test]
fn score_per_document() {
    let dir = Dir::new();
    hay::lexicon_corpus(&dir);
    let got = dir.stdout(&["score", "--lexicon", "t.toml", "--format", "csv"]);
    let want = format!(
        "\
doc_id,lexicon,frame,n_tokens,hits,negated,per_1k,ci_low,ci_high,share
a,t,coop,7,2,0,285.7142857142857,{},1
a,t,interference,7,0,0,0,{},0
b,t,coop,8,1,0,125,{},0.3333333333333333
b,t,interference,8,2,1,250,{},0.6666666666666666
c,t,coop,0,0,0,,,,0
c,t,interference,0,0,0,,,,0
",
        ci(2, 7),
        ci(0, 7),
        ci(1, 8),
        ci(2, 8)
    );
    eqnice!(want, got);
}

#[test]
fn score_by_group_sums_tokens_and_hits() {
    let dir = Dir::new();
    hay::lexicon_corpus(&dir);
    let got = dir.stdout(&[
        "score",
        "--lexicon",
        "t.toml",
        "--by",
        "voice",
        "--format",
        "csv",
    ]);
    let want = format!(
        "\
group,lexicon,frame,n_tokens,hits,negated,per_1k,ci_low,ci_high,share
gov,t,coop,7,2,0,285.7142857142857,{},1
gov,t,interference,7,0,0,0,{},0
press,t,coop,8,1,0,125,{},0.3333333333333333
press,t,interference,8,2,1,250,{},0.6666666666666666
",
        ci(2, 7),
        ci(0, 7),
        ci(1, 8),
        ci(2, 8)
    );
    eqnice!(want, got);
}

#[test]
fn score_several_lexicons_in_order() {
    let dir = Dir::new();
    hay::lexicon_corpus(&dir);
    dir.create(
        "u.toml",
        "name = \"u\"\n[[frame]]\nid = \"role\"\npatterns = [\"China's role\"]\n",
    );
    let got = dir.stdout(&[
        "score",
        "--lexicon",
        "u.toml",
        "--lexicon",
        "t.toml",
        "--by",
        "corpus",
        "--format",
        "csv",
    ]);
    let want = format!(
        "\
group,lexicon,frame,n_tokens,hits,negated,per_1k,ci_low,ci_high,share
corpus,u,role,15,1,0,66.66666666666667,{},0.16666666666666666
corpus,t,coop,15,3,0,200,{},0.5
corpus,t,interference,15,2,1,133.33333333333334,{},0.3333333333333333
",
        ci(1, 15),
        ci(3, 15),
        ci(2, 15)
    );
    eqnice!(want, got);
}

#[test]
fn score_reads_liwc_dictionaries() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    dir.create(
        "d.dic",
        "%\n1\tcoop\n2\tneg\n%\ncooperat*\t1\nnot\t2\nnot welcome\t2 1\n",
    );
    let got = dir.stdout(&[
        "score",
        "--lexicon",
        "d.dic",
        "--by",
        "corpus",
        "--format",
        "csv",
    ]);
    // coop: Cooperation ×3 + "not welcome" ×1; neg: "not welcome" (the
    // longer pattern wins) + the second "not".
    let want = format!(
        "\
group,lexicon,frame,n_tokens,hits,negated,per_1k,ci_low,ci_high,share
corpus,d,coop,15,4,0,266.6666666666667,{},0.6666666666666666
corpus,d,neg,15,2,0,133.33333333333334,{},0.3333333333333333
",
        ci(4, 15),
        ci(2, 15)
    );
    eqnice!(want, got);
}

#[test]
fn score_uses_the_builtin_lexicon_without_lexicons_folder() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let got = dir.stdout(&["score", "--format", "csv"]);
    let lex = framescope::lexicon::Lexicon::builtin();
    // One row per document and frame, the frames of the built-in lexicon.
    assert_eq!(got.lines().count(), 1 + 3 * lex.frames.len());
    for (line, frame) in got.lines().skip(1).zip(lex.frames.iter().cycle()) {
        assert!(
            line.contains(&format!(",china-diplomacy,{},", frame.id)),
            "{line}"
        );
    }
}

#[test]
fn score_rows_of_many_documents_are_the_table_of_all() {
    // 150 documents: `score` writes its CSV a block of 64 documents at a
    // time, in parallel; the bytes are those of the one table of every
    // document's scores, made here through the library.
    use framescope::analyze::{analyze, By, Plan};
    use framescope::corpus::{Corpus, ReadOptions};
    use framescope::lexicon::{FrameSet, Lexicon};
    use std::sync::Arc;
    let dir = Dir::new();
    let mut jsonl = String::new();
    for d in 0..150 {
        let text = "win-win cooperation and external interference. ".repeat(d % 7)
            + &"a shared future, not hegemony. ".repeat(d % 3)
            + "plain words";
        jsonl.push_str(&format!("{{\"id\":\"d{d}\",\"text\":\"{text}\"}}\n"));
    }
    let path = dir.create("c.jsonl", jsonl);
    let got = dir.stdout(&["score", "--corpus", "c.jsonl", "--format", "csv", "-q"]);
    let frames = Arc::new(FrameSet::new(vec![Lexicon::builtin()]));
    let plan = Plan {
        frames: Some(frames.clone()),
        ..Plan::default()
    };
    let corpus = Corpus::open(&path, &ReadOptions::default()).unwrap();
    let an = analyze(&corpus, &plan, &|_, _| {}).unwrap();
    let scores = framescope::stats::frame_scores(&an.docs, &frames, &By::Doc).unwrap();
    let want = framescope::output::rows::scores(&scores, "doc_id").to_csv();
    assert_eq!(got.lines().count(), 1 + 150 * frames.len());
    assert!(got.contains(",china-diplomacy,"), "{got}");
    eqnice!(String::from_utf8(want).unwrap(), got);
}
