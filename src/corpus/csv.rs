//! `.csv` and `.tsv` (and gzip-compressed `.csv.gz`, `.tsv.gz`) corpora:
//! a `text` column, an optional `id`, every other column as metadata,
//! fields separated by commas (tabs in a `.tsv`). Read one record at a
//! time.
//!
//! Records are read by a fast path of their own ([`Fast`]): a quoted
//! field is found by `memchr` for its quotes, and its bytes copied once,
//! where the csv crate's reader walks every byte through its state
//! machine and copies each field twice. The fast path takes the common
//! shape only: every field unquoted (a `"` inside one is itself) or
//! quoted and closed right before a separator or the record's end, as
//! many fields as the header, records ended by `\n`, `\r\n` or `\r` with
//! no blank line between them. At anything else it hands the rest of
//! the input, from the record it stopped at, to the csv crate's reader,
//! which reads it as it would have read the whole file: the same
//! documents, and the same errors and warnings at the same lines.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::jsonl::Lines;
use super::manifest::csv_error;
use super::{Document, Meta, ReadOptions};
use crate::error::{Error, Result};

type Input = Box<dyn Read + Send>;

pub(crate) struct Reader {
    path: PathBuf,
    source: Source,
    names: Vec<String>,
    text_col: usize,
    id_col: Option<usize>,
    options: ReadOptions,
    /// The fields of the record read last.
    fields: Vec<Vec<u8>>,
    /// Fields whose invalid UTF-8 was replaced (`--lossy`).
    invalid: u64,
    n_docs: usize,
    done: bool,
}

/// Where records come from.
enum Source {
    Fast(Fast),
    Crate(Crate),
    /// Neither, for the moment the fast path hands on to the crate.
    Between,
}

/// Fields with invalid UTF-8 named in a warning each under `--lossy`.
const INVALID_NAMED: u64 = 10;

/// Any number of fields (a header's).
const ANY: usize = usize::MAX;

/// The csv crate's reader, from byte `offset` of the (decompressed) file
/// on.
struct Crate {
    rdr: ::csv::Reader<Input>,
    record: ::csv::ByteRecord,
    offset: u64,
    /// The header's fields, when this reader started after the header
    /// (it cannot compare a record's length with a header it has not
    /// read, so it is told to let any length through, and the length is
    /// checked here).
    header_len: Option<usize>,
    /// Where the last record read starts (its byte in the file).
    last_start: Option<u64>,
    /// Bytes put before the input (and read past) that are not the
    /// file's.
    skip: u64,
    /// How the file is read, for the lines of errors.
    form: super::Form,
}

impl Crate {
    /// The reader of a file from its header on (`input` starts at the
    /// file's byte `offset`), and the header's fields.
    fn with_header(
        path: &Path,
        input: Input,
        sep: u8,
        offset: u64,
        form: super::Form,
    ) -> Result<(Crate, Vec<Vec<u8>>)> {
        let mut c = Crate::new(input, sep, offset, None, form);
        let header = c.rdr.byte_headers().map_err(|e| csv_error(path, form, e))?;
        let header = header.iter().map(|h| h.to_vec()).collect();
        Ok((c, header))
    }

    fn new(
        input: Input,
        sep: u8,
        offset: u64,
        header_len: Option<usize>,
        form: super::Form,
    ) -> Crate {
        let rdr = ::csv::ReaderBuilder::new()
            .delimiter(sep)
            .has_headers(header_len.is_none())
            .flexible(header_len.is_some())
            .from_reader(input);
        Crate {
            rdr,
            record: ::csv::ByteRecord::new(),
            offset,
            header_len,
            last_start: None,
            skip: 0,
            form,
        }
    }

    /// The next record's fields and its byte, or `None` at the end.
    fn next(&mut self, path: &Path, fields: &mut Vec<Vec<u8>>) -> Result<Option<u64>> {
        let more = self
            .rdr
            .read_byte_record(&mut self.record)
            .map_err(|e| csv_error(path, self.form, e))?;
        if !more {
            if let Some(byte) = self.last_start {
                super::manifest::no_quote_left_open(path, self.form, byte)?;
            }
            return Ok(None);
        }
        let base = self.offset + self.record.position().map_or(0, |p| p.byte()) - self.skip;
        self.last_start = Some(base);
        if let Some(n) = self.header_len {
            if self.record.len() != n {
                return Err(Error::at(
                    path,
                    super::manifest::line_at(path, self.form.enc, base),
                    super::manifest::wrong_length(
                        self.form.sep,
                        n as u64,
                        self.record.len() as u64,
                    ),
                ));
            }
        }
        fields.clear();
        fields.extend(self.record.iter().map(|f| f.to_vec()));
        Ok(Some(base))
    }
}

/// The fast path's buffer: the input read into one buffer, reused (as
/// the lines of a `.jsonl` file are: `lines.buf[lines.start..lines.end]`
/// read and not parsed yet).
struct Fast {
    lines: Lines,
    /// What separates fields: `,` or a tab.
    sep: u8,
    /// The file's byte at `buf[0]`.
    at: u64,
    /// The byte the csv crate would name as the next record's start:
    /// just past the first byte of the last record's end (for `\r\n`,
    /// its `\n`), which may lie before `start`.
    base: u64,
}

/// The reading buffer's size.
const READ_BUF: usize = super::jsonl::READ_BUF;

/// What parsing one record from the buffer came to.
enum Parsed {
    /// A record, and where the next one starts (past its end).
    Record { next: usize },
    /// The buffer ends inside the record (or between its `\r` and what
    /// may be its `\n`).
    More,
    /// A record the fast path does not take.
    Hand,
    /// The end of the input.
    End,
}

impl Fast {
    /// Read more input after what is left unparsed, growing the buffer
    /// when it is all one record.
    fn refill(&mut self) -> std::io::Result<()> {
        // Kept from `base` on (a record's `\n` after its `\r` lies before
        // `start`), which the csv crate's reader starts at if handed on.
        let l = &mut self.lines;
        let keep = ((self.base - self.at) as usize).min(l.start);
        let past = l.start - keep;
        self.at += keep as u64;
        l.start = keep;
        l.scan = keep;
        l.refill()?;
        l.start = past;
        l.scan = past;
        Ok(())
    }

    /// The next record's fields (at most `n_fields`, else it is handed
    /// on), read more until it is whole.
    fn next(&mut self, n_fields: usize, fields: &mut Vec<Vec<u8>>) -> std::io::Result<Parsed> {
        loop {
            let l = &self.lines;
            match parse(&l.buf[l.start..l.end], self.sep, l.eof, n_fields, fields) {
                Parsed::More => self.refill()?,
                Parsed::Record { next } => {
                    let end = self.lines.start + next;
                    // The record's end: `\n`, `\r`, `\r\n`, or none at
                    // the end of the input.
                    let after_first = if self.lines.buf[..end].ends_with(b"\r\n") {
                        end - 1
                    } else {
                        end
                    };
                    self.base = self.at + after_first as u64;
                    self.lines.start = end;
                    return Ok(Parsed::Record { next });
                }
                other => return Ok(other),
            }
        }
    }

    /// The csv crate's reader for the rest of the input, from the start
    /// of the record the fast path stopped at (the byte the crate would
    /// name for it: for a record after `\r\n`, the `\n`).
    fn hand_on(self, header_len: usize, form: super::Form) -> Crate {
        let from = (self.base - self.at) as usize;
        // A record of its own first, read past here: the crate's reader
        // drops a byte-order mark at the start of its input, which the
        // record the fast path stopped at may begin with.
        let mut rest = b"_\n".to_vec();
        rest.extend_from_slice(&self.lines.buf[from..self.lines.end]);
        let input: Input = Box::new(std::io::Cursor::new(rest).chain(self.lines.input));
        let mut c = Crate::new(input, self.sep, self.base, Some(header_len), form);
        // From bytes in memory: no error can come of it.
        let _ = c.rdr.read_byte_record(&mut c.record);
        c.skip = 2;
        c
    }
}

/// Parse one record at the start of `buf` into `fields`: the common
/// shape only ([`Parsed::Hand`] for the rest), of `n_fields` fields
/// ([`ANY`] for a header). `eof`: no input follows
/// `buf`. A blank line, where the csv crate's reader names the next
/// record's byte in ways of its own, is handed on.
fn parse(buf: &[u8], sep: u8, eof: bool, n_fields: usize, fields: &mut Vec<Vec<u8>>) -> Parsed {
    fields.clear();
    if buf.is_empty() {
        return if eof { Parsed::End } else { Parsed::More };
    }
    if matches!(buf[0], b'\r' | b'\n') {
        return Parsed::Hand;
    }
    let mut i = 0;
    loop {
        if fields.len() == n_fields {
            return Parsed::Hand;
        }
        let mut field = Vec::new();
        // Where the field ends: at a `,`, a line end, or the input's end.
        let stop = if buf.get(i) == Some(&b'"') {
            let mut from = i + 1;
            loop {
                let Some(q) = memchr::memchr(b'"', &buf[from..]) else {
                    // A quote never closed (in this buffer).
                    return if eof { Parsed::Hand } else { Parsed::More };
                };
                let q = from + q;
                field.extend_from_slice(&buf[from..q]);
                match buf.get(q + 1) {
                    Some(b'"') => {
                        field.push(b'"');
                        from = q + 2;
                    }
                    Some(&b) if b == sep || b == b'\r' || b == b'\n' => break q + 1,
                    Some(_) => return Parsed::Hand,
                    None if eof => break q + 1,
                    None => return Parsed::More,
                }
            }
        } else {
            let rest = &buf[i..];
            let stop = match memchr::memchr3(sep, b'\r', b'\n', rest) {
                Some(k) => i + k,
                None if eof => buf.len(),
                None => return Parsed::More,
            };
            // A `"` inside an unquoted field is read as itself.
            field.extend_from_slice(&buf[i..stop]);
            stop
        };
        fields.push(field);
        match buf.get(stop) {
            Some(&b) if b == sep => i = stop + 1,
            Some(&end) => {
                if n_fields != ANY && fields.len() != n_fields {
                    return Parsed::Hand;
                }
                // Past the line end (a blank line after it is handed on
                // when the next record is read).
                let next = stop + 1;
                return match (end, buf.get(next)) {
                    (b'\r', Some(b'\n')) => Parsed::Record { next: next + 1 },
                    (b'\r', None) if !eof => Parsed::More,
                    _ => Parsed::Record { next },
                };
            }
            None => {
                return if n_fields == ANY || fields.len() == n_fields {
                    Parsed::Record { next: stop }
                } else {
                    Parsed::Hand
                };
            }
        }
    }
}

impl Reader {
    pub fn open(path: &Path, options: &ReadOptions, read: &super::ReadCount) -> Result<Reader> {
        Reader::open_with(path, options, read, Some(READ_BUF))
    }

    /// `fast`: read records with the fast path and a buffer of this many
    /// bytes to start with (`None`: with the csv crate alone, as the
    /// tests compare).
    fn open_with(
        path: &Path,
        options: &ReadOptions,
        read: &super::ReadCount,
        fast: Option<usize>,
    ) -> Result<Reader> {
        let file = File::open(path).map_err(|e| Error::read(path, e))?;
        let file = super::Counted::new(file, read);
        let form = options.form(path);
        let input = super::transcoded(super::decompressed(path, file), form.enc);
        let sep = form.sep;
        let mut fields = Vec::new();
        let (source, header) = if let Some(size) = fast {
            let mut f = Fast {
                lines: Lines::with_size(input, size.max(4)),
                sep,
                at: 0,
                base: 0,
            };
            // The header, after a byte-order mark, as the csv crate
            // skips it.
            let io = |e| csv_error(path, form, ::csv::Error::from(e));
            while f.lines.end < 3 && !f.lines.eof {
                f.refill().map_err(io)?;
            }
            if f.lines.buf[..f.lines.end].starts_with(b"\xEF\xBB\xBF") {
                f.lines.start = 3;
            }
            match f.next(ANY, &mut fields).map_err(io)? {
                Parsed::Record { .. } => {
                    let header = std::mem::take(&mut fields);
                    (Source::Fast(f), header)
                }
                _ => {
                    // Read as the csv crate reads it, from the start: the
                    // buffer still holds the file from its first byte
                    // (`at` is 0: a refill keeps from `base`, 0 until the
                    // header is read).
                    let rest: Input = Box::new(
                        std::io::Cursor::new(f.lines.buf[..f.lines.end].to_vec())
                            .chain(f.lines.input),
                    );
                    let (c, header) = Crate::with_header(path, rest, sep, f.at, form)?;
                    (Source::Crate(c), header)
                }
            }
        } else {
            let (c, header) = Crate::with_header(path, input, sep, 0, form)?;
            (Source::Crate(c), header)
        };
        if header
            .first()
            .is_some_and(|h| h.starts_with(&[0xFF, 0xFE]) || h.starts_with(&[0xFE, 0xFF]))
        {
            return Err(super::utf16_error(path));
        }
        let mut names = Vec::with_capacity(header.len());
        for h in header {
            let name = match String::from_utf8(h) {
                Ok(name) => name,
                Err(_) if !options.lossy => {
                    return Err(Error::line(
                        path,
                        1,
                        "invalid UTF-8 in the header; name the file's encoding with \
                         --encoding (windows-1252 for most files saved by Excel on Windows), \
                         convert the file to UTF-8, or pass --lossy to replace invalid bytes",
                    ))
                }
                Err(e) => {
                    eprintln!(
                        "framescope: warning: {}:1: invalid UTF-8 in the header replaced \
                         with U+FFFD (--lossy)",
                        path.display()
                    );
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                }
            };
            names.push(name.trim().to_string());
        }
        super::manifest::unique_columns(path, &names)?;
        let field = options.text_field();
        let Some(text_col) = names.iter().position(|h| h == field) else {
            return Err(super::manifest::missing_column(
                path,
                sep,
                &names,
                field,
                &format!(
                    "no `{field}` column; a CSV corpus needs a header with a `{field}` \
                     column holding each document's text"
                ),
                &if names.iter().all(|n| n.is_empty()) {
                    format!(
                        "{}; the file has no header (it is empty, or its first line is)",
                        options.text_hint("column")
                    )
                } else {
                    format!(
                        "{}; the header has {}",
                        options.text_hint("column"),
                        names.join(", ")
                    )
                },
            ));
        };
        super::manifest::option_columns(path, &names, options)?;
        let id_col = names.iter().position(|h| h == options.id_field());
        Ok(Reader {
            path: path.to_path_buf(),
            source,
            names,
            text_col,
            id_col,
            options: options.clone(),
            fields,
            invalid: 0,
            n_docs: 0,
            done: false,
        })
    }

    /// The next record into `self.fields`, and its byte.
    fn next_record(&mut self) -> Result<Option<u64>> {
        if let Source::Fast(f) = &mut self.source {
            // The record's byte: where the last one left `base`.
            let base = f.base;
            let n = self.names.len();
            let parsed = f.next(n, &mut self.fields).map_err(|e| {
                csv_error(
                    &self.path,
                    self.options.form(&self.path),
                    ::csv::Error::from(e),
                )
            })?;
            match parsed {
                Parsed::Record { .. } => return Ok(Some(base)),
                Parsed::End => return Ok(None),
                // (`Fast::next` reads on past `More`: only `Hand` comes.)
                Parsed::More | Parsed::Hand => {
                    if let Source::Fast(f) = std::mem::replace(&mut self.source, Source::Between) {
                        self.source = Source::Crate(f.hand_on(n, self.options.form(&self.path)));
                    }
                }
            }
        }
        match &mut self.source {
            Source::Crate(c) => c.next(&self.path, &mut self.fields),
            _ => Ok(None),
        }
    }

    /// The text of field `col` of the record at byte `base`, which is not
    /// UTF-8: an error naming its row's line and its column, or with
    /// `--lossy` the text with U+FFFD for the invalid bytes and a warning
    /// (for the first ten fields; later ones are counted, and the count
    /// given at the end: the line is counted from the file's start for
    /// each field named).
    fn invalid_utf8(&mut self, bytes: Vec<u8>, base: u64, col: usize) -> Result<String> {
        let name = &self.names[col];
        let what = if name.is_empty() {
            format!("column {}", col + 1)
        } else {
            format!("column `{name}`")
        };
        if self.options.lossy {
            self.invalid += 1;
        }
        // The line, counted from the file's start, only for an error or
        // a named warning.
        if self.invalid <= INVALID_NAMED {
            let line = super::manifest::line_at(&self.path, self.options.enc(), base);
            if !self.options.lossy {
                return Err(Error::at(
                    &self.path,
                    line,
                    format!(
                        "invalid UTF-8 in {what}{}; convert the file to UTF-8, or pass \
                         --lossy to replace invalid bytes",
                        std::str::from_utf8(&bytes)
                            .err()
                            .map_or(String::new(), |e| {
                                super::legacy_hint(&bytes, e.valid_up_to(), &self.path)
                            })
                    ),
                ));
            }
            let at = match line {
                Some(l) => format!("{}:{l}", self.path.display()),
                None => self.path.display().to_string(),
            };
            eprintln!(
                "framescope: warning: {at}: invalid UTF-8 in {what} replaced with U+FFFD \
                 (--lossy){}",
                if self.invalid == INVALID_NAMED {
                    "; later fields with it are counted, not named"
                } else {
                    ""
                }
            );
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn next_doc(&mut self) -> Result<Option<Document>> {
        let Some(base) = self.next_record()? else {
            if self.invalid > INVALID_NAMED {
                eprintln!(
                    "framescope: warning: {}: {} fields in all had invalid UTF-8, replaced \
                     with U+FFFD (--lossy)",
                    self.path.display(),
                    self.invalid
                );
            }
            return Ok(None);
        };
        self.n_docs += 1;
        let mut text = String::new();
        let mut id = String::new();
        let mut pairs = Vec::new();
        let mut fields = std::mem::take(&mut self.fields);
        for (i, field) in fields.drain(..).enumerate() {
            let value = match String::from_utf8(field) {
                Ok(value) => value,
                Err(e) => self.invalid_utf8(e.into_bytes(), base, i)?,
            };
            if i == self.text_col {
                text = value;
            } else if Some(i) == self.id_col {
                id = value.trim().to_string();
            } else {
                pairs.push((self.names[i].clone(), value));
            }
        }
        self.fields = fields;
        if id.is_empty() {
            id = format!("text{}", self.n_docs);
        }
        Ok(Some(Document {
            index: 0,
            id,
            text,
            meta: Meta::new(pairs),
        }))
    }
}

impl Iterator for Reader {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Result<Document>> {
        if self.done {
            return None;
        }
        let r = self.next_doc();
        if !matches!(r, Ok(Some(_))) {
            self.done = true;
        }
        r.transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every document of the file, or the error's message, and whether
    /// the fast path read it to the end.
    fn read_all(path: &Path, fast: Option<usize>) -> (Result<Vec<String>, String>, bool) {
        let options = ReadOptions::default();
        let read = super::super::ReadCount::default();
        let mut r = match Reader::open_with(path, &options, &read, fast) {
            Ok(r) => r,
            Err(e) => return (Err(e.to_string()), false),
        };
        let docs = r
            .by_ref()
            .map(|d| d.map(|d| format!("{d:?}")))
            .collect::<Result<Vec<_>>>()
            .map_err(|e| e.to_string());
        (docs, matches!(r.source, Source::Fast(_)))
    }

    /// CSV text from pieces that make every shape the fast path takes and
    /// many it hands on: quotes doubled, left open, or closed before
    /// other bytes; fields of the wrong count; every line end; blank
    /// lines; a byte-order mark; invalid UTF-8.
    fn csv_text() -> impl Strategy<Value = Vec<u8>> {
        let field = prop_oneof![
            4 => "[a-z ]{0,6}".prop_map(|s| s.into_bytes()),
            4 => "[a-z ,\\n\\r]{0,6}".prop_map(|s| format!("\"{s}\"").into_bytes()),
            2 => "[a-z]{0,3}".prop_map(|s| format!("\"{s}\"\"{s}\"").into_bytes()),
            1 => Just(b"\"open".to_vec()),
            1 => Just(b"\"x\"y".to_vec()),
            1 => Just(b"a\"b".to_vec()),
            1 => Just(b"a\"b\"c".to_vec()),
            1 => Just(b"ab\"".to_vec()),
            1 => Just(b"caf\xe9".to_vec()),
            1 => Just(b"\xEF\xBB\xBFbom".to_vec()),
            1 => Just(b"\"".to_vec()),
        ];
        let end = prop_oneof![
            6 => Just(b"\n".to_vec()),
            3 => Just(b"\r\n".to_vec()),
            1 => Just(b"\r".to_vec()),
            1 => Just(b"\n\n".to_vec()),
            1 => Just(b"\r\n\r\n".to_vec()),
        ];
        let row = (prop::collection::vec(field, 1..5), end).prop_map(|(fields, end)| {
            let mut r = fields.join(&b","[..]);
            r.extend(end);
            r
        });
        (
            any::<bool>(),
            prop::collection::vec(row, 0..12),
            any::<bool>(),
            0usize..4,
        )
            .prop_map(|(bom, rows, cut_end, header)| {
                let mut text = Vec::new();
                if bom {
                    text.extend(b"\xEF\xBB\xBF");
                }
                text.extend(
                    [
                        &b"id,text,n\n"[..],
                        b"id,text\r\n",
                        b"text,\"id\"\n",
                        b"text\n",
                    ][header],
                );
                for r in rows {
                    text.extend(r);
                }
                if cut_end {
                    while matches!(text.last(), Some(b'\n' | b'\r')) {
                        text.pop();
                    }
                }
                text
            })
    }

    /// The fast path reads every file as the csv crate alone does, `.csv`
    /// and `.tsv`: the same documents, or the same error (its line and
    /// byte too), with a
    /// buffer small enough that records cross its refills, or the usual
    /// one. Both the files it reads to the end and the ones it hands on
    /// must come up often.
    #[test]
    fn the_fast_path_reads_as_the_csv_crate() {
        use proptest::test_runner::{Config, TestRunner};
        use std::cell::Cell;
        let dir = std::env::temp_dir().join(format!("framescope-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (whole, handed) = (Cell::new(0), Cell::new(0));
        let mut runner = TestRunner::new(Config {
            cases: 3000,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(
                &(csv_text(), 4usize..40, any::<bool>()),
                |(text, size, tabs)| {
                    // The same text separated by tabs, as a .tsv file.
                    let (path, text) = if tabs {
                        let text = text
                            .iter()
                            .map(|&b| if b == b',' { b'\t' } else { b })
                            .collect();
                        (dir.join("c.tsv"), text)
                    } else {
                        (dir.join("c.csv"), text)
                    };
                    std::fs::write(&path, &text).unwrap();
                    let (want, _) = read_all(&path, None);
                    for size in [size, READ_BUF] {
                        let (got, fast) = read_all(&path, Some(size));
                        if size == READ_BUF {
                            let n = if fast { &whole } else { &handed };
                            n.set(n.get() + 1);
                        }
                        prop_assert_eq!(
                            &got,
                            &want,
                            "{:?} with a buffer of {}",
                            String::from_utf8_lossy(&text),
                            size
                        );
                    }
                    Ok(())
                },
            )
            .unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            whole.get() > 300 && handed.get() > 300,
            "{whole:?} read to the end, {handed:?} handed on"
        );
    }

    /// A record handed on that starts with a byte-order mark keeps it, as
    /// the csv crate reading the whole file keeps it (a reader started on
    /// the rest of the input would drop it). Found by review.
    #[test]
    fn a_record_handed_on_keeps_its_byte_order_mark() {
        let dir = std::env::temp_dir().join(format!("framescope-csv-bom-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.csv");
        for text in [
            &b"id,text\n\xEF\xBB\xBFa,\"x\"y\n"[..],
            b"id,text\nb,ok\n\xEF\xBB\xBFa,\"x\"y\nc,\"fine\"\n",
        ] {
            std::fs::write(&path, text).unwrap();
            let (want, _) = read_all(&path, None);
            assert!(
                want.as_ref()
                    .unwrap()
                    .iter()
                    .any(|d| d.contains("\\u{feff}a")),
                "{want:?}"
            );
            for size in [4, 7, READ_BUF] {
                assert_eq!(read_all(&path, Some(size)).0, want, "{size}");
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The usual shapes are read to the end by the fast path: `\n`,
    /// `\r\n` and `\r` line ends, quoted fields over several lines with
    /// doubled quotes, a byte-order mark, no line end at the end, a
    /// buffer refilled inside records.
    #[test]
    fn usual_files_are_read_to_the_end_by_the_fast_path() {
        let dir = std::env::temp_dir().join(format!("framescope-csv-usual-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.csv");
        for end in ["\n", "\r\n", "\r"] {
            let mut text = format!("\u{feff}id,text,date{end}");
            for i in 0..50 {
                text += &format!(
                    "d{i},\"Line one,{end}\"\"two\"\" {i}\",2020-01-0{}{end}",
                    i % 9 + 1
                );
                text += &format!("e{i},plain text {i},{end}");
            }
            text += "last,no line end,2021";
            std::fs::write(&path, &text).unwrap();
            for size in [16, READ_BUF] {
                let (got, fast) = read_all(&path, Some(size));
                assert!(fast, "{end:?}, {size}");
                assert_eq!(got, read_all(&path, None).0, "{end:?}, {size}");
                assert_eq!(got.unwrap().len(), 101);
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
