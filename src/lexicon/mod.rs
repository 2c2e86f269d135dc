//! Framing lexicons: frames of patterns, read from TOML or LIWC `.dic`
//! files, and the matcher that finds their hits (CONTRACT.md §6–7).
//!
//! A lexicon is plain data; [`FrameMatcher`] binds its patterns to one
//! worker's interned symbols. This module never counts or scores.

mod liwc;
mod matcher;
mod pattern;
mod synthetic;
mod toml;

use std::path::{Path, PathBuf};

pub use matcher::{find_naive, FrameMatcher, Hit, NEGATORS};
pub use pattern::{Glob, Pattern, PatternError, Test};
pub use synthetic::synthetic_lexicon;

use crate::error::{Error, Result};

/// The default lexicon's path, relative to the working directory.
pub const DEFAULT_PATH: &str = "lexicons/china-diplomacy.toml";

/// The default lexicon, built into the binary as the fallback when
/// `lexicons/` is absent.
pub const BUILTIN: &str = include_str!("../../lexicons/china-diplomacy.toml");

/// A framing lexicon.
#[derive(Debug, Clone, PartialEq)]
pub struct Lexicon {
    /// Short id used in tables: the file stem (`china-diplomacy`).
    pub id: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub language: String,
    pub frames: Vec<Frame>,
    /// Where it was read from (`None` for the built-in copy).
    pub path: Option<PathBuf>,
}

/// One frame: an id, a label for charts, and its patterns in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub id: String,
    pub label: String,
    pub description: String,
    pub patterns: Vec<Pattern>,
}

impl Lexicon {
    /// Read a lexicon: `.dic` files as LIWC dictionaries, anything else
    /// as framescope TOML.
    pub fn load(path: &Path) -> Result<Lexicon> {
        let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            Error::file(
                path,
                format!(
                    "invalid UTF-8 at byte {}; save the lexicon as UTF-8",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "lexicon".to_string());
        let is_dic = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("dic"));
        let mut lex = if is_dic {
            liwc::parse(&text, path, &id)?
        } else {
            toml::parse(&text, path)?
        };
        lex.id = id;
        lex.path = Some(path.to_path_buf());
        Ok(lex)
    }

    /// The built-in default lexicon.
    pub fn builtin() -> Lexicon {
        let mut lex = toml::parse(BUILTIN, Path::new(DEFAULT_PATH))
            .expect("the built-in lexicon is valid (checked by a test)");
        lex.id = "china-diplomacy".to_string();
        lex
    }

    /// The lexicons named on the command line, or the default: the file
    /// `lexicons/china-diplomacy.toml` if present, else the built-in copy.
    pub fn load_all(paths: &[PathBuf]) -> Result<Vec<Lexicon>> {
        if paths.is_empty() {
            let default = Path::new(DEFAULT_PATH);
            return Ok(vec![if default.exists() {
                Lexicon::load(default)?
            } else {
                Lexicon::builtin()
            }]);
        }
        let mut out: Vec<Lexicon> = Vec::with_capacity(paths.len());
        for p in paths {
            let lex = Lexicon::load(p)?;
            if out.iter().any(|l| l.id == lex.id) {
                return Err(Error::file(
                    p,
                    format!(
                        "a lexicon with the id {:?} (its file name) is already \
                         loaded; rename one of the files",
                        lex.id
                    ),
                ));
            }
            out.push(lex);
        }
        Ok(out)
    }

    /// SHA-256 of the lexicon as framescope TOML: changes whenever a
    /// frame or pattern does.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        Sha256::digest(self.to_toml().as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The lexicon as framescope TOML.
    pub fn to_toml(&self) -> String {
        toml::write(self)
    }
}

/// Every frame of several lexicons, flattened in order: the unit the
/// matcher and the score tables work with.
#[derive(Debug, Clone, Default)]
pub struct FrameSet {
    pub lexicons: Vec<Lexicon>,
    /// (lexicon index, frame index) of each flattened frame.
    pub index: Vec<(usize, usize)>,
}

impl FrameSet {
    /// Flatten lexicons.
    pub fn new(lexicons: Vec<Lexicon>) -> FrameSet {
        let index = lexicons
            .iter()
            .enumerate()
            .flat_map(|(l, lex)| (0..lex.frames.len()).map(move |f| (l, f)))
            .collect();
        FrameSet { lexicons, index }
    }

    /// Ad-hoc query patterns (KWIC), each its own frame so that each is
    /// matched independently: frame `i` is `patterns[i]`, with the
    /// pattern's text as its id and label.
    pub fn from_patterns(patterns: Vec<Pattern>) -> FrameSet {
        let frames = patterns
            .into_iter()
            .map(|p| Frame {
                id: p.source.clone(),
                label: p.source.clone(),
                description: String::new(),
                patterns: vec![p],
            })
            .collect();
        FrameSet::new(vec![Lexicon {
            id: "query".to_string(),
            name: "query".to_string(),
            version: String::new(),
            description: String::new(),
            language: "en".to_string(),
            frames,
            path: None,
        }])
    }

    /// The frames whose id is `id` (`LEXICON/FRAME` to say which
    /// lexicon), as a frame set of their own.
    pub fn select(&self, id: &str) -> Option<FrameSet> {
        let (lex_id, frame_id) = match id.split_once('/') {
            Some((l, f)) => (Some(l), f),
            None => (None, id),
        };
        let mut out: Vec<Lexicon> = Vec::new();
        for lex in &self.lexicons {
            if lex_id.is_some_and(|l| l != lex.id) {
                continue;
            }
            if let Some(f) = lex.frames.iter().find(|f| f.id == frame_id) {
                out.push(Lexicon {
                    frames: vec![f.clone()],
                    ..lex.clone()
                });
            }
        }
        (!out.is_empty()).then(|| FrameSet::new(out))
    }

    /// Every frame as `LEXICON/FRAME`, for error messages.
    pub fn frame_ids(&self) -> Vec<String> {
        (0..self.len())
            .map(|i| {
                let (l, f) = self.get(i);
                format!("{}/{}", l.id, f.id)
            })
            .collect()
    }

    /// The number of frames.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// No frames at all?
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The lexicon and frame of a flattened frame.
    pub fn get(&self, i: usize) -> (&Lexicon, &Frame) {
        let (l, f) = self.index[i];
        (&self.lexicons[l], &self.lexicons[l].frames[f])
    }
}
