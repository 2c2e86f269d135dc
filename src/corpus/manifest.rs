//! `manifest.csv`: a `file` column (a path relative to the corpus folder,
//! which it may not leave), an optional `id` (default: the file stem), and
//! every other column as metadata.

use std::path::{Component, Path};

use super::dir::{stem_of, Entry};
use super::Meta;
use crate::error::{Error, Result};

/// Read and check a manifest: every file exists, stays inside `root`, and
/// every id is unique.
pub(crate) fn read(
    root: &Path,
    manifest: &Path,
    options: &super::ReadOptions,
) -> Result<(Vec<Entry>, Vec<String>)> {
    let id_field = options.id_field();
    let form = options.form(manifest);
    let enc = form.enc;
    let file = std::fs::File::open(manifest).map_err(|e| Error::read(manifest, e))?;
    let mut rdr = ::csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(form.sep)
        .from_reader(super::transcoded(Box::new(file), enc));
    let headers = rdr
        .headers()
        .map_err(|e| csv_error(manifest, form, e))?
        .clone();
    let names: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    unique_columns(manifest, &names)?;
    let Some(file_col) = names.iter().position(|h| h == "file") else {
        return Err(missing_column(
            manifest,
            form.sep,
            &names,
            "file",
            "no `file` column; the header must name a `file` column with \
             each document's path relative to the corpus folder",
            "",
        ));
    };
    option_columns(manifest, &names, options)?;
    let id_col = names.iter().position(|h| h == id_field);
    let meta_cols: Vec<usize> = (0..names.len())
        .filter(|&i| i != file_col && Some(i) != id_col)
        .collect();
    let croot = std::fs::canonicalize(root).map_err(|e| Error::read(root, e))?;
    let mut entries: Vec<Entry> = Vec::new();
    let mut ids: rustc_hash::FxHashMap<String, u64> = Default::default();
    // Whether each folder of the files met so far is inside `root`.
    let mut folders: rustc_hash::FxHashMap<std::path::PathBuf, bool> = Default::default();
    let mut last_start = None;
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(manifest, form, e))?;
        let byte = rec.position().map_or(0, |p| p.byte());
        last_start = Some(byte);
        // The row's line, counted only for an error.
        let line = || line_at(manifest, enc, byte);
        let file = rec.get(file_col).unwrap_or("").trim();
        if file.is_empty() {
            return Err(Error::at(
                manifest,
                line(),
                "empty `file`; give the document's path",
            ));
        }
        let rel = Path::new(file);
        let escapes = rel.is_absolute()
            || rel.components().any(|c| {
                matches!(
                    c,
                    Component::ParentDir | Component::RootDir | Component::Prefix(_)
                )
            });
        if escapes {
            return Err(Error::at(
                manifest,
                line(),
                format!(
                    "file {file:?} is outside the corpus folder; give a path \
                     relative to the folder, without `..`"
                ),
            ));
        }
        let path = root.join(rel);
        let missing = || {
            Error::at(
                manifest,
                line(),
                format!("file {file:?} does not exist; fix the path or add the file"),
            )
        };
        // One `lstat` a file; its folder resolved once for all its files
        // (a `realpath` a file, a `stat` of every part of its path, was a
        // third of `freq`'s time on a manifest of 100,000 files).
        let md = std::fs::symlink_metadata(&path).map_err(|_| missing())?;
        let inside = if md.file_type().is_symlink() {
            if !path.is_file() {
                return Err(missing());
            }
            let canon = std::fs::canonicalize(&path).map_err(|e| Error::read(&path, e))?;
            canon.starts_with(&croot)
        } else {
            if !md.is_file() {
                return Err(missing());
            }
            let folder = path.parent().unwrap_or(root);
            match folders.get(folder) {
                Some(&inside) => inside,
                None => {
                    let canon = std::fs::canonicalize(folder).map_err(|e| Error::read(&path, e))?;
                    let inside = canon.starts_with(&croot);
                    folders.insert(folder.to_path_buf(), inside);
                    inside
                }
            }
        };
        if !inside {
            return Err(Error::at(
                manifest,
                line(),
                format!(
                    "file {file:?} is a link to a place outside the corpus \
                     folder; copy the file into the folder"
                ),
            ));
        }
        let id = match id_col.map(|i| rec.get(i).unwrap_or("").trim()) {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => stem_of(&path),
        };
        // With --unique-ids, a repeat is numbered as the documents are
        // read.
        if !options.unique_ids {
            if let Some(first) = ids.insert(id.clone(), byte) {
                let first =
                    line_at(manifest, enc, first).map_or("?".to_string(), |l| l.to_string());
                return Err(Error::at(
                    manifest,
                    line(),
                    format!(
                        "duplicate id {id:?} (also on line {first}); give every \
                         document its own id, {}",
                        super::REPEATED_ID_HINT
                    ),
                ));
            }
        }
        let meta = Meta::new(
            meta_cols
                .iter()
                .map(|&i| (names[i].clone(), rec.get(i).unwrap_or("").to_string()))
                .collect(),
        );
        entries.push(Entry { path, id, meta });
    }
    if let Some(byte) = last_start {
        no_quote_left_open(manifest, form, byte)?;
    }
    if entries.is_empty() {
        return Err(Error::file(
            manifest,
            "lists no documents; add one row per document",
        ));
    }
    let columns = meta_cols.iter().map(|&i| names[i].clone()).collect();
    Ok((entries, columns))
}

/// What separates the fields of the CSV file at `path`: a tab for a
/// `.tsv` (`.tsv.gz`) file, else a comma.
pub(crate) fn separator(path: &Path) -> u8 {
    let name = path.to_string_lossy().to_lowercase();
    if name.ends_with(".tsv") || name.ends_with(".tsv.gz") {
        b'\t'
    } else {
        b','
    }
}

/// The name of a separator's kind, for messages.
fn separators(sep: u8) -> String {
    match sep {
        b'\t' => "tabs".to_string(),
        b';' => "semicolons".to_string(),
        b',' => "commas".to_string(),
        c => format!("`{}`", c as char),
    }
}

/// A header without the columns `--date-field` and `--id-field` name is
/// refused before any row is read (without `--id-field`, a missing `id`
/// column means ids by position or file).
pub(crate) fn option_columns(
    path: &Path,
    names: &[String],
    options: &super::ReadOptions,
) -> Result<()> {
    for (field, option, holds) in [
        (options.renamed_date(), "--date-field", "date"),
        (options.id_field.as_deref(), "--id-field", "id"),
    ] {
        if let Some(f) = field.filter(|f| !names.iter().any(|n| n == f)) {
            return Err(missing_column(
                path,
                options.form(path).sep,
                names,
                f,
                &format!(
                    "no `{f}` column ({option}); the header has {}: name the one that \
                     holds each document's {holds}",
                    names.join(", ")
                ),
                "",
            ));
        }
    }
    Ok(())
}

/// The error of a header without column `want` (`msg`), with a hint
/// when the header is separated by something else than the file's
/// separator (a semicolon, as a spreadsheet set to a European locale
/// writes, a tab, a bar, or a comma in a `.tsv` file) and would have the
/// column if split by it.
/// `hint` ends the message unless the header looks separated by another
/// character (then that is the likely cause).
pub(crate) fn missing_column(
    path: &Path,
    own: u8,
    names: &[String],
    want: &str,
    msg: &str,
    hint: &str,
) -> Error {
    let header = names.join(&(own as char).to_string());
    let other = [b',', b';', b'\t', b'|']
        .into_iter()
        .filter(|&sep| sep != own)
        .find(|&sep| header.split(sep as char).any(|n| n.trim() == want));
    let msg = match other {
        Some(sep) => format!(
            "{msg}; the header {header:?} looks separated by {}, not {}: pass \
             --separator {}",
            separators(sep),
            separators(own),
            match sep {
                b'\t' => "tab".to_string(),
                c => format!("'{}'", c as char),
            }
        ),
        None => format!("{msg}{hint}"),
    };
    Error::line(path, 1, msg)
}

/// A header that names a column twice is refused: one of the two would
/// be lost or taken for the other. One column without a name (the index
/// column pandas writes) is kept, as metadata; two are refused alike.
pub(crate) fn unique_columns(path: &Path, names: &[String]) -> Result<()> {
    for (j, name) in names.iter().enumerate() {
        let Some(i) = names[..j].iter().position(|n| n == name) else {
            continue;
        };
        let msg = if name.is_empty() {
            format!(
                "the header has two columns without a name (columns {} and {}); \
                 name them",
                i + 1,
                j + 1
            )
        } else {
            format!(
                "the header names column `{name}` twice (columns {} and {}); \
                 give every column its own name",
                i + 1,
                j + 1
            )
        };
        return Err(Error::line(path, 1, msg));
    }
    Ok(())
}

/// An error if the CSV file's last record, which starts at byte `from`
/// (as the csv reader tells), leaves a quoted field open
/// ([`quote_left_open`]).
pub(crate) fn no_quote_left_open(path: &Path, form: super::Form, from: u64) -> Result<()> {
    if quote_left_open(path, form, from).map_err(|e| super::read_error(path, e))? {
        return Err(Error::at(
            path,
            line_at(path, form.enc, from),
            "a quoted field that starts in this row is never closed (the rest of the \
             file would be read as part of it); close it with `\"` (a `\"` inside a \
             quoted field is written `\"\"`)",
        ));
    }
    Ok(())
}

/// Whether the CSV text from byte `from` of the file (a record's start)
/// to its end leaves a quoted field open. The csv reader takes a quote
/// that is never closed to run to the end of the file: one stray `"`
/// would turn every row after it into one document's text.
fn quote_left_open(path: &Path, form: super::Form, from: u64) -> std::io::Result<bool> {
    #[derive(PartialEq)]
    enum At {
        FieldStart,
        Unquoted,
        Quoted,
        /// A `"` inside a quoted field: its end, or the first of `""`.
        QuoteInQuoted,
    }
    let mut at = At::FieldStart;
    let sep = form.sep;
    each_byte(path, form.enc, from, |b| {
        let end = b == sep || matches!(b, b'\n' | b'\r');
        at = match at {
            At::FieldStart if b == b'"' => At::Quoted,
            At::FieldStart | At::Unquoted if end => At::FieldStart,
            At::FieldStart | At::Unquoted => At::Unquoted,
            At::Quoted if b == b'"' => At::QuoteInQuoted,
            At::Quoted => At::Quoted,
            At::QuoteInQuoted if b == b'"' => At::Quoted,
            At::QuoteInQuoted if end => At::FieldStart,
            At::QuoteInQuoted => At::Unquoted,
        };
        true
    })?;
    Ok(at == At::Quoted)
}

/// The line (from 1) of the record that the csv reader says starts at
/// byte `byte` of a CSV file, as an editor counts lines (`\n`, `\r\n` or
/// a lone `\r` ends one). The reader's own line, and its byte, fall one
/// short for a record after a `\r\n`: they point at the `\n` (and at the
/// first of any blank lines before the record). Read only for an error;
/// `None` if the file cannot be read again up to the record (a damaged
/// `.gz` file past the record is read up to it).
pub(crate) fn line_at(path: &Path, enc: super::Enc, byte: u64) -> Option<u64> {
    let (mut at, mut breaks, mut cr) = (0u64, 0u64, false);
    let read = each_byte(path, enc, 0, |b| {
        // Past the record's byte, only the line ends before its first
        // byte count.
        if at >= byte && !matches!(b, b'\n' | b'\r') {
            return false;
        }
        match b {
            b'\n' if cr => {}
            b'\n' | b'\r' => breaks += 1,
            _ => {}
        }
        cr = b == b'\r';
        at += 1;
        true
    });
    match read {
        Err(_) if at < byte => None,
        _ => Some(breaks + 1),
    }
}

/// Hand the bytes of a file (decoded from `enc`) from byte `from` on to
/// `each`, until it returns `false` or the file ends.
fn each_byte(
    path: &Path,
    enc: super::Enc,
    from: u64,
    mut each: impl FnMut(u8) -> bool,
) -> std::io::Result<()> {
    use std::io::{BufRead, Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    let mut r = if super::is_gz(path) || enc.is_some() {
        // `from` counts the decompressed (decoded) bytes: they are read
        // past.
        let input = super::transcoded(super::decompressed(path, file), enc);
        let mut r = std::io::BufReader::with_capacity(1 << 16, input);
        std::io::copy(&mut r.by_ref().take(from), &mut std::io::sink())?;
        r
    } else {
        file.seek(SeekFrom::Start(from))?;
        std::io::BufReader::with_capacity(1 << 16, Box::new(file) as Box<dyn Read + Send>)
    };
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if !buf.iter().all(|&b| each(b)) {
            return Ok(());
        }
        let n = buf.len();
        r.consume(n);
    }
}

/// A CSV parse error with its line.
pub(crate) fn csv_error(path: &Path, form: super::Form, e: ::csv::Error) -> Error {
    let line = e.position().and_then(|p| line_at(path, form.enc, p.byte()));
    let text = e.to_string();
    let msg = match e.into_kind() {
        // A failed read (of damaged data, in a `.csv.gz` file).
        ::csv::ErrorKind::Io(e) => return super::read_error(path, e),
        ::csv::ErrorKind::Utf8 { .. } => "invalid UTF-8; name the file's encoding with \
                                           --encoding (windows-1252 for most files saved \
                                           by Excel on Windows), or convert it to UTF-8"
            .to_string(),
        ::csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => wrong_length(form.sep, expected_len, len),
        _ => format!("{text}; check the CSV syntax"),
    };
    Error::at(path, line, msg)
}

/// What is wrong with a row of `len` fields under a header of `header`
/// in the CSV file at `path`.
pub(crate) fn wrong_length(sep: u8, header: u64, len: u64) -> String {
    let seps = separators(sep);
    if len > header {
        format!(
            "this row has {len} fields but the header has {header}; \
             quote fields that contain {seps}"
        )
    } else {
        format!(
            "this row has {len} field{} but the header has {header}; \
             give every row a value for each column (an empty value is nothing \
             between two {seps})",
            if len == 1 { "" } else { "s" }
        )
    }
}
