//! The README's tour, run: each `$ framescope …` example shows what the
//! binary prints now, whole.

use std::path::Path;
use std::process::Command;

/// The examples of the README section `## A tour`: each command after
/// `$ ` in a code block, with the lines shown under it.
fn tour_examples(readme: &str) -> Vec<(String, String)> {
    let start = readme.find("## A tour").expect("a tour section");
    let end = start
        + readme[start..]
            .find("\n## ")
            .expect("a section after the tour");
    let mut examples: Vec<(String, String)> = Vec::new();
    // Code blocks are the odd pieces between fences; each starts with its
    // fence's info string.
    for block in readme[start..end].split("```").skip(1).step_by(2) {
        // Lines before a block's first `$ ` are output shown without its
        // command: not an example.
        let mut in_example = false;
        for line in block.lines().skip(1) {
            match line.strip_prefix("$ ") {
                Some(cmd) => {
                    examples.push((cmd.to_string(), String::new()));
                    in_example = true;
                }
                None if in_example => {
                    let (_, shown) = examples.last_mut().expect("an example");
                    shown.push_str(line);
                    shown.push('\n');
                }
                None => {}
            }
        }
    }
    examples
}

/// Run from the project's root, on its default corpus, with the binary
/// under test first on the PATH. An example typed at a terminal gets the
/// terminal's format (tables, and kwic's aligned lines), here piped; what
/// goes to standard error (kwic's summary) is shown too, as on a terminal.
#[test]
fn readme_tour_shows_what_the_binary_prints() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(Path::new(root).join("README.md")).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_framescope"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut checked = 0;
    for (cmd, shown) in tour_examples(&readme) {
        if cmd == "cargo run --release -- run" {
            // Its first line is timed and its last names the folder:
            // the lines between are checked, from a run into a scratch
            // folder.
            let out_dir = tempfile::tempdir().unwrap();
            let out = Command::new(bin)
                .args(["run", "--out"])
                .arg(out_dir.path())
                .current_dir(root)
                .output()
                .unwrap();
            assert!(out.status.success(), "{cmd}: {out:?}");
            let printed = String::from_utf8_lossy(&out.stdout);
            let middle = |s: &str| {
                let lines: Vec<String> = s.lines().map(str::to_string).collect();
                lines[1..lines.len() - 1].to_vec()
            };
            assert_eq!(middle(&printed), middle(&shown), "README example: {cmd}");
            checked += 1;
            continue;
        }
        let run = if cmd.contains("--format") || cmd.contains('|') {
            cmd.clone()
        } else if cmd.starts_with("framescope kwic") {
            format!("{cmd} --format text")
        } else {
            format!("{cmd} --format table")
        };
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("{run} 2>&1"))
            .current_dir(root)
            .env("PATH", &path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{cmd}: {out:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            shown,
            "README example: {cmd}"
        );
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} examples found in the tour");
}
