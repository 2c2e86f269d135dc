//! The framescope lexicon format (TOML): errors name the file, the line
//! and the frame and pattern at fault.

use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::{Frame, Lexicon, Pattern};
use crate::error::{Error, Result};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    name: String,
    #[serde(default)]
    version: Option<Version>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    language: Option<Spanned<String>>,
    #[serde(default)]
    frame: Vec<Spanned<RawFrame>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Version {
    Text(String),
    Int(i64),
    Float(f64),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrame {
    id: Spanned<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    patterns: Vec<Spanned<String>>,
}

fn line_of(text: &str, offset: usize) -> u64 {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
        + 1
}

/// Line numbers by binary search over the line starts: a lexicon of ten
/// thousand frames is read in linear time.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }

    /// The 1-based line of a byte offset.
    fn of(&self, offset: usize) -> u64 {
        self.0.partition_point(|&nl| nl < offset) as u64 + 1
    }
}

/// Parse and check a TOML lexicon.
pub(crate) fn parse(text: &str, path: &Path) -> Result<Lexicon> {
    let raw: RawLexicon = ::toml::from_str(text).map_err(|e| {
        let msg = e.message().trim().to_string();
        match e.span() {
            Some(span) => {
                let line = line_of(text, span.start);
                let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
                let col = text[line_start..span.start].chars().count() + 1;
                Error::At {
                    path: path.to_path_buf(),
                    line,
                    column: col as u64,
                    msg: format!("{msg}; fix the lexicon's TOML"),
                }
            }
            None => Error::file(path, format!("{msg}; fix the lexicon's TOML")),
        }
    })?;
    let language = match raw.language {
        None => "english".to_string(),
        Some(l) if l.get_ref().eq_ignore_ascii_case("english") => "english".to_string(),
        Some(l) => {
            return Err(Error::line(
                path,
                line_of(text, l.span().start),
                format!(
                    "language {:?} is not supported; use \"english\"",
                    l.get_ref()
                ),
            ))
        }
    };
    if raw.frame.is_empty() {
        return Err(Error::file(
            path,
            "has no [[frame]] tables; add at least one frame",
        ));
    }
    let lines = Lines::new(text);
    let mut frames: Vec<Frame> = Vec::with_capacity(raw.frame.len());
    let mut seen: rustc_hash::FxHashMap<String, u64> = Default::default();
    for f in raw.frame {
        let frame_line = lines.of(f.span().start);
        let f = f.into_inner();
        let id_line = lines.of(f.id.span().start);
        let id = f.id.into_inner();
        if id.trim().is_empty() || id.chars().any(char::is_whitespace) {
            return Err(Error::line(
                path,
                id_line,
                format!("frame id {id:?} is empty or has spaces; use a short id like \"win_win\""),
            ));
        }
        if id.contains('/') {
            return Err(Error::line(
                path,
                id_line,
                format!(
                    "frame id {id:?} holds `/`, which parts a lexicon's name from a frame's \
                     id (--frame LEXICON/FRAME); use `_` instead"
                ),
            ));
        }
        if let Some(first) = seen.get(&id) {
            return Err(Error::line(
                path,
                id_line,
                format!("duplicate frame id {id:?} (first on line {first}); give every frame its own id"),
            ));
        }
        seen.insert(id.clone(), id_line);
        if f.patterns.is_empty() {
            return Err(Error::line(
                path,
                frame_line,
                format!("frame {id:?} has no patterns; add at least one"),
            ));
        }
        let mut patterns = Vec::with_capacity(f.patterns.len());
        for p in f.patterns {
            let line = lines.of(p.span().start);
            let src = p.into_inner();
            let pat = Pattern::parse(&src).map_err(|e| {
                Error::line(path, line, format!("frame {id:?}, pattern {src:?}: {e}"))
            })?;
            patterns.push(pat);
        }
        frames.push(Frame {
            label: f
                .label
                .filter(|l| !l.trim().is_empty())
                .unwrap_or_else(|| id.clone()),
            id,
            description: f.description,
            patterns,
        });
    }
    let version = match raw.version {
        None => String::new(),
        Some(Version::Text(s)) => s,
        Some(Version::Int(i)) => i.to_string(),
        Some(Version::Float(x)) => x.to_string(),
    };
    Ok(Lexicon {
        id: String::new(),
        name: raw.name,
        version,
        description: raw.description,
        language,
        frames,
        path: None,
    })
}

#[derive(Serialize)]
struct OutLexicon<'a> {
    name: &'a str,
    version: &'a str,
    description: &'a str,
    language: &'a str,
    frame: Vec<OutFrame<'a>>,
}

#[derive(Serialize)]
struct OutFrame<'a> {
    id: &'a str,
    label: &'a str,
    description: &'a str,
    patterns: Vec<&'a str>,
}

/// Write a lexicon as TOML that [`parse`] reads back to the same lexicon.
pub(crate) fn write(lex: &Lexicon) -> String {
    let out = OutLexicon {
        name: &lex.name,
        version: &lex.version,
        description: &lex.description,
        language: &lex.language,
        frame: lex
            .frames
            .iter()
            .map(|f| OutFrame {
                id: &f.id,
                label: &f.label,
                description: &f.description,
                patterns: f.patterns.iter().map(|p| p.source.as_str()).collect(),
            })
            .collect(),
    };
    ::toml::to_string_pretty(&out).expect("a lexicon serializes")
}
