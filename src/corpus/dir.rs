//! Folder corpora: `manifest.csv` when present, else every `.txt` below
//! the folder in path order, id = file stem.

use std::path::{Path, PathBuf};

use super::{decode, manifest, Document, Format, Meta, ReadOptions};
use crate::error::{Error, Result};

/// One file of a folder corpus.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub path: PathBuf,
    pub id: String,
    pub meta: Meta,
}

pub(crate) struct Listing {
    pub format: Format,
    pub entries: Vec<Entry>,
    pub columns: Vec<String>,
}

/// List the documents of a folder.
pub(crate) fn list(root: &Path) -> Result<Listing> {
    let manifest = root.join("manifest.csv");
    if manifest.is_file() {
        let (entries, columns) = manifest::read(root, &manifest)?;
        return Ok(Listing {
            format: Format::Manifest,
            entries,
            columns,
        });
    }
    let mut files = Vec::new();
    walk(root, root, &mut files)?;
    if files.is_empty() {
        return Err(Error::file(
            root,
            "no .txt files in this folder; add .txt files (and optionally a \
             manifest.csv) or point --corpus at a .jsonl or .csv file",
        ));
    }
    // Path order: compare relative paths with '/' separators, bytewise.
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut entries: Vec<Entry> = Vec::with_capacity(files.len());
    let mut ids = rustc_hash::FxHashMap::default();
    for (rel, path) in files {
        let id = stem_of(&path);
        if let Some(other) = ids.insert(id.clone(), rel.clone()) {
            return Err(Error::file(
                root,
                format!(
                    "two files have the id {id:?} ({other} and {rel}); rename \
                     one, or give ids in a manifest.csv"
                ),
            ));
        }
        entries.push(Entry {
            path,
            id,
            meta: Meta::default(),
        });
    }
    Ok(Listing {
        format: Format::Folder,
        entries,
        columns: Vec::new(),
    })
}

/// The file stem of a path, as the default document id.
pub(crate) fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::read(dir, e))?;
    for entry in rd {
        let entry = entry.map_err(|e| Error::read(dir, e))?;
        let path = entry.path();
        let ft = entry.file_type().map_err(|e| Error::read(&path, e))?;
        if ft.is_symlink() {
            // Follow a link only where it stays inside the corpus folder.
            let target = std::fs::canonicalize(&path).map_err(|e| Error::read(&path, e))?;
            let croot = std::fs::canonicalize(root).map_err(|e| Error::read(root, e))?;
            if !target.starts_with(&croot) {
                return Err(Error::file(
                    &path,
                    "symbolic link points outside the corpus folder; move \
                     the file into the folder or remove the link",
                ));
            }
            if target.is_dir() {
                continue; // its files are reached through the real folder
            }
        } else if ft.is_dir() {
            walk(root, &path, out)?;
            continue;
        }
        let is_txt = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
        if is_txt {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((rel, path));
        }
    }
    Ok(())
}

/// Reads the files of a folder corpus one at a time.
pub(crate) struct Reader<'a> {
    entries: std::slice::Iter<'a, Entry>,
    options: &'a ReadOptions,
}

impl<'a> Reader<'a> {
    pub fn new(entries: &'a [Entry], options: &'a ReadOptions) -> Reader<'a> {
        Reader {
            entries: entries.iter(),
            options,
        }
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Result<Document>> {
        let mut entry = self.entries.next()?;
        let mut bytes = std::fs::read(&entry.path).map_err(|e| Error::read(&entry.path, e));
        // A NUL byte means a binary file (a PDF, an image) that slipped in:
        // skipped with a warning naming it, or an error with --strict.
        while let Ok(b) = &bytes {
            // UTF-16 has NULs too: decode names it.
            let utf16 = b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]);
            if utf16 || !b.contains(&0) {
                break;
            }
            if self.options.strict {
                return Some(Err(Error::file(
                    &entry.path,
                    "binary file (it holds NUL bytes); remove it from the corpus, or \
                     drop --strict to skip it with a warning",
                )));
            }
            eprintln!(
                "framescope: warning: {}: binary file (it holds NUL bytes), skipped",
                entry.path.display()
            );
            entry = self.entries.next()?;
            bytes = std::fs::read(&entry.path).map_err(|e| Error::read(&entry.path, e));
        }
        let doc = bytes
            .and_then(|bytes| decode(bytes, &entry.path, 0, None, self.options))
            .map(|text| Document {
                index: 0,
                id: entry.id.clone(),
                text,
                meta: entry.meta.clone(),
            });
        Some(doc)
    }
}
