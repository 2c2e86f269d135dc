//! Scratch directories and commands aimed at the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch directory that holds a test's corpus and outputs.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    /// Create a file (and its folders) with these bytes.
    pub fn create(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// The framescope binary, run in this directory.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_framescope"));
        c.current_dir(self.path()).args(args);
        c
    }

    /// Run and expect success; return stdout.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "framescope {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Run and expect success; return stdout and stderr (a warning's
    /// test compares both whole).
    pub fn outputs(&self, args: &[&str]) -> (String, String) {
        let out = self.cmd(args).output().unwrap();
        assert!(
            out.status.success(),
            "framescope {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// Run and expect failure; return the output.
    pub fn fails(&self, args: &[&str]) -> Output {
        let out = self.cmd(args).output().unwrap();
        assert!(!out.status.success(), "framescope {args:?} should fail");
        out
    }

    /// Every file below the directory, relative paths sorted.
    pub fn files(&self, rel: &str) -> Vec<String> {
        let root = self.join(rel);
        let mut out = Vec::new();
        walk(&root, &root, &mut out);
        out.sort();
        out
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(root, &p, out);
        } else {
            out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
        }
    }
}

/// Compare two strings and show both in full when they differ.
#[macro_export]
macro_rules! eqnice {
    ($want:expr, $got:expr) => {{
        let want: &str = &$want;
        let got: &str = &$got;
        if want != got {
            panic!("\n--- want ---\n{want}\n--- got ---\n{got}\n------------");
        }
    }};
}

/// A fixed xorshift generator, for corpora made up by the tests: the same
/// values on every run.
/// A `.jsonl` corpus of `n` documents `d0`, `d1`, … whose texts are
/// `len(i)` words drawn from `words` (xorshift from `seed`).
pub fn random_words_jsonl(seed: u64, words: &[&str], n: u32, len: impl Fn(u32) -> u32) -> String {
    let mut random = xorshift(seed);
    let mut jsonl = String::new();
    for i in 0..n {
        let text: Vec<&str> = (0..len(i))
            .map(|_| words[(random() % words.len() as u64) as usize])
            .collect();
        let line = serde_json::json!({"id": format!("d{i}"), "text": text.join(" ")});
        jsonl.push_str(&line.to_string());
        jsonl.push('\n');
    }
    jsonl
}

/// `jsonl` as `ok.jsonl`, and as `bad.jsonl` with a last line that is
/// not UTF-8; an empty `tmp` (but for `.keep`) to be a TMPDIR, whose
/// path is returned.
pub fn ok_and_bad(dir: &Dir, jsonl: &str) -> PathBuf {
    dir.create("ok.jsonl", jsonl);
    let mut bad = jsonl.as_bytes().to_vec();
    bad.extend(b"{\"id\":\"x\",\"text\":\"caf\xe9\"}\n");
    dir.create("bad.jsonl", &bad);
    dir.create("tmp/.keep", "");
    dir.path().join("tmp")
}

/// A command that failed on a document it could not read: exit 1, the
/// error on stderr (containing `error`), nothing printed, and no
/// temporary file left in `dir/tmp` (its TMPDIR) but `.keep`.
pub fn assert_nothing_printed(dir: &Dir, out: &std::process::Output, error: &str) {
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{} bytes printed", out.stdout.len());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(error), "{stderr}");
    assert_eq!(dir.files("tmp"), [".keep"]);
}

pub fn xorshift(mut x: u64) -> impl FnMut() -> u64 {
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}

/// The texts in an SVG (each node's, trimmed), which must parse as XML.
pub fn svg_texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("SVG is not XML: {e}"));
    doc.descendants()
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect()
}
