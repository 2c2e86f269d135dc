//! `.jsonl` corpora (optionally `.jsonl.gz`): one JSON object a line with
//! a string `text`, an optional `id`, and every other field as metadata.
//! Read one line at a time.

use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{decode, read_error, Document, Meta, ReadOptions};
use crate::error::{Error, Result};

pub(crate) struct Reader {
    path: PathBuf,
    split: Split,
    /// A `.json` file (read as JSON lines when it holds no array).
    json: bool,
    options: ReadOptions,
    line: u64,
    offset: u64,
    n_docs: usize,
    /// Where the fast path unescapes strings.
    scratch: String,
    /// Lines whose lone surrogates were read as U+FFFD.
    mended: u64,
    /// Lines that held NaN, Infinity or -Infinity.
    python_floats: u64,
    /// Documents whose text was `null`, read as empty.
    null_texts: u64,
    /// Whether a document has had an id field.
    id_seen: bool,
    /// What an error about a missing text field ends with.
    text_hint: String,
    done: bool,
}

/// How the input is cut into documents.
enum Split {
    /// One a line (`.jsonl`).
    Lines(Lines),
    /// One an element of a JSON array (`.json`).
    Elements(super::jsonarray::Elements),
}

/// Lines whose lone surrogates are named in a warning each; later ones
/// are counted, and the count given at the end of the file.
const MENDED_NAMED: u64 = 10;

impl Reader {
    /// `json`: a `.json` file, which may hold one array of objects
    /// rather than JSON lines.
    pub fn open(
        path: &Path,
        options: &ReadOptions,
        read: &super::ReadCount,
        json: bool,
    ) -> Result<Reader> {
        let file = File::open(path).map_err(|e| Error::read(path, e))?;
        let file = super::Counted::new(file, read);
        let input = super::transcoded(super::decompressed(path, file), options.enc());
        let split = if json {
            match super::jsonarray::sniff(input).map_err(|e| read_error(path, e))? {
                (true, input) => {
                    Split::Elements(super::jsonarray::Elements::new(Lines::new(input)))
                }
                (false, input) => Split::Lines(Lines::new(input)),
            }
        } else {
            Split::Lines(Lines::new(input))
        };
        Ok(Reader {
            path: path.to_path_buf(),
            split,
            json,
            options: options.clone(),
            line: 0,
            offset: 0,
            n_docs: 0,
            scratch: String::new(),
            mended: 0,
            python_floats: 0,
            null_texts: 0,
            id_seen: false,
            text_hint: options.text_hint("field"),
            done: false,
        })
    }

    /// The next document's range in the reading buffer and its byte (its
    /// line is `self.line`); `None` at the end.
    fn next_range(&mut self) -> Result<Option<(Range<usize>, u64)>> {
        let path = &self.path;
        match &mut self.split {
            Split::Lines(lines) => {
                let Some(range) = lines.next().map_err(|e| read_error(path, e))? else {
                    return Ok(None);
                };
                self.line += 1;
                let base = self.offset;
                self.offset += range.len() as u64;
                Ok(Some((range, base)))
            }
            Split::Elements(e) => match e.next().map_err(|e| read_error(path, e))? {
                Ok(Some((range, line, byte))) => {
                    self.line = line;
                    Ok(Some((range, byte)))
                }
                Ok(None) => Ok(None),
                Err(f) => Err(Error::line(path, f.line, f.msg)),
            },
        }
    }

    fn next_doc(&mut self) -> Result<Option<Document>> {
        loop {
            let Some((range, base)) = self.next_range()? else {
                // What a document is in this file, for the counts.
                let units = match self.split {
                    Split::Lines(_) => "lines",
                    Split::Elements(_) => "documents",
                };
                if self.python_floats > 1 {
                    eprintln!(
                        "framescope: warning: {}: {} {units} in all held NaN, Infinity or \
                         -Infinity",
                        self.path.display(),
                        self.python_floats
                    );
                }
                if let Some(f) = &self.options.id_field {
                    if !self.id_seen && self.n_docs > 0 {
                        return Err(Error::file(
                            &self.path,
                            format!(
                                "no document has a field {f:?} (--id-field); name the \
                                 field that holds each document's id, or leave the \
                                 option out for ids by position"
                            ),
                        ));
                    }
                }
                if self.null_texts > MENDED_NAMED {
                    eprintln!(
                        "framescope: warning: {}: {} documents in all had a null \"{}\", \
                         read as empty",
                        self.path.display(),
                        self.null_texts,
                        self.options.text_field()
                    );
                }
                if self.mended > MENDED_NAMED {
                    eprintln!(
                        "framescope: warning: {}: {} {units} in all had lone surrogates, \
                         read as U+FFFD",
                        self.path.display(),
                        self.mended
                    );
                }
                return Ok(None);
            };
            // The line is parsed where it was read, in the reading
            // buffer: no copy of it is made unless it is not UTF-8.
            let buf = std::mem::take(self.buf());
            // Only the file's first byte may start a byte-order mark (an
            // array's first element on line 1 does not start the file).
            let res = self.parse_line(&buf[range], base, base == 0);
            *self.buf() = buf;
            match res {
                Ok(None) => continue, // a blank line holds no document
                other => return other,
            }
        }
    }

    /// The reading buffer.
    fn buf(&mut self) -> &mut Vec<u8> {
        match &mut self.split {
            Split::Lines(lines) => &mut lines.buf,
            Split::Elements(e) => e.buf(),
        }
    }

    /// The document of one line as read (line end included), or `None`
    /// for a blank line. `first`: the file's first line, which may start
    /// with a byte-order mark.
    fn parse_line(&mut self, bytes: &[u8], base: u64, first: bool) -> Result<Option<Document>> {
        let mut bytes = bytes;
        if first {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        while let Some((b'\n' | b'\r', rest)) = bytes.split_last() {
            bytes = rest;
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        match simdutf8::basic::from_utf8(bytes) {
            Ok(text) => self.parse(text).map(Some),
            Err(_) => {
                let text = decode(
                    bytes.to_vec(),
                    &self.path,
                    base,
                    Some(self.line),
                    &self.options,
                )?;
                self.parse(&text).map(Some)
            }
        }
    }

    /// Where the document being read lies, for its errors' words.
    fn place(&self) -> Place {
        match &self.split {
            Split::Lines(_) => Place {
                // A .json file read as JSON lines (its first byte not
                // `[`) may hold one object over several lines.
                invalid_hint: if self.json {
                    "; a .json corpus holds one array of objects ([{\"text\": …}, …]) or \
                     one object a line"
                } else {
                    ""
                },
                ..Place::LINE
            },
            Split::Elements(e) => Place {
                unit: "element of the array",
                line: self.line,
                column: e.column,
                invalid_hint: "",
            },
        }
    }

    /// The fields of a line the fast path declined, through serde_json,
    /// once what Python's json lets through and JSON's grammar does not
    /// hold (lone surrogates, NaN and ±Infinity) is mended, with warnings.
    fn fallback(&mut self, line: &str) -> std::result::Result<Fields, String> {
        // Lines with nothing to mend read at the first try: only a line
        // serde_json refuses is looked at again.
        let names = Names::of(&self.options, &self.text_hint);
        let place = self.place();
        let read = fields_of_at(line, names, place, |col| col);
        if read.is_ok() {
            return read;
        }
        let surrogates = mend_lone_surrogates(line);
        let line = surrogates.as_ref().map_or(line, |m| m.line.as_str());
        let floats = mend_python_floats(line);
        if surrogates.is_none() && floats.is_none() {
            return read;
        }
        let fields = match &floats {
            None => fields_of_at(line, names, place, |col| col),
            Some(m) => fields_of_at(&m.line, names, place, |col| m.column_before(col)),
        }?;
        if let Some(mended) = surrogates {
            self.mended += 1;
            if self.mended <= MENDED_NAMED {
                eprintln!(
                    "framescope: warning: {}:{}: {}{}",
                    self.path.display(),
                    self.line,
                    mended.what(),
                    if self.mended == MENDED_NAMED {
                        "; later lines with them are counted, not named"
                    } else {
                        ""
                    }
                );
            }
        }
        if floats.is_some() {
            self.python_floats += 1;
            if self.python_floats == 1 {
                eprintln!(
                    "framescope: warning: {}:{}: NaN, Infinity and -Infinity are not JSON \
                     (Python's json writes them for such floats): NaN is read as a \
                     missing value, as null is, and Infinity and -Infinity as written",
                    self.path.display(),
                    self.line,
                );
            }
        }
        Ok(fields)
    }

    fn parse(&mut self, line: &str) -> Result<Document> {
        let names = Names::of(&self.options, &self.text_hint);
        let fields = match super::flatjson::fields(line, &mut self.scratch, names) {
            Some(fields) => fields,
            None => self
                .fallback(line)
                .map_err(|msg| Error::line(&self.path, self.line, msg))?,
        };
        // A huge text's scratch is not kept for the lines after it.
        if self.scratch.capacity() > 1 << 24 {
            self.scratch = String::new();
        }
        self.n_docs += 1;
        if fields.null_text {
            self.null_texts += 1;
            if self.null_texts <= MENDED_NAMED {
                eprintln!(
                    "framescope: warning: {}:{}: \"{}\" is null; read as an empty document{}",
                    self.path.display(),
                    self.line,
                    self.options.text_field(),
                    if self.null_texts == MENDED_NAMED {
                        "; later ones are counted, not named"
                    } else {
                        ""
                    }
                );
            }
        }
        self.id_seen |= fields.id.is_some();
        let id = match fields.id {
            Some(id) if !id.trim().is_empty() => id,
            _ => format!("text{}", self.n_docs),
        };
        Ok(Document {
            index: 0,
            id,
            text: fields.text,
            meta: fields.meta,
        })
    }
}

/// The lines of an input, read straight into one buffer that is reused
/// from read to read: a line is handed out where it lies in the buffer,
/// not copied out of a `BufReader`.
pub(super) struct Lines {
    pub(super) input: Box<dyn Read + Send>,
    pub(super) buf: Vec<u8>,
    /// The bytes read and not handed out yet: `buf[start..end]`, with no
    /// line end before `scan`.
    pub(super) start: usize,
    pub(super) scan: usize,
    pub(super) end: usize,
    pub(super) eof: bool,
    /// The buffer's usual size (it grows for a longer line).
    size: usize,
}

/// The reading buffer's size: a read fills what the last line left.
pub(super) const READ_BUF: usize = 1 << 20;

impl Lines {
    pub(super) fn new(input: Box<dyn Read + Send>) -> Lines {
        Lines::with_size(input, READ_BUF)
    }

    pub(super) fn with_size(input: Box<dyn Read + Send>, size: usize) -> Lines {
        Lines {
            input,
            buf: vec![0; size],
            size,
            start: 0,
            scan: 0,
            end: 0,
            eof: false,
        }
    }

    /// Where the next line lies in `buf` (its `\n` included, if it has
    /// one), or `None` at the end of the input.
    fn next(&mut self) -> std::io::Result<Option<Range<usize>>> {
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.scan..self.end]) {
                let line = self.start..self.scan + i + 1;
                self.start = line.end;
                self.scan = line.end;
                return Ok(Some(line));
            }
            self.scan = self.end;
            if self.eof {
                if self.start == self.end {
                    return Ok(None);
                }
                let line = self.start..self.end;
                self.start = self.end;
                return Ok(Some(line));
            }
            self.refill()?;
        }
    }

    /// Move the part of a line left at the end of the buffer to its
    /// front, and read more after it. A buffer grown for a huge line is
    /// not kept once that line is handed out.
    pub(super) fn refill(&mut self) -> std::io::Result<()> {
        let left = self.end - self.start;
        if self.buf.len() > self.size * 16 && left < self.size / 2 {
            let mut small = vec![0; self.size];
            small[..left].copy_from_slice(&self.buf[self.start..self.end]);
            self.buf = small;
        } else {
            self.buf.copy_within(self.start..self.end, 0);
            if left == self.buf.len() {
                self.buf.resize(self.buf.len() * 2, 0);
            }
        }
        self.scan -= self.start;
        self.start = 0;
        self.end = left;
        // At least one read, and more until the bytes left have doubled
        // (or the buffer is full): a reader that parses a record again
        // from its start after each refill (a CSV row's, a JSON array's
        // element) would take time quadratic in a long record's length
        // from a gzip decoder's short reads.
        let want = (2 * left).min(self.buf.len());
        let mut first = true;
        while (first || self.end < want) && !self.eof {
            match self.input.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
            first = false;
        }
        Ok(())
    }
}

/// A line whose lone surrogates were mended ([`mend_lone_surrogates`]).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Mended {
    /// The line with each lone surrogate's escape made `\ufffd`.
    pub line: String,
    /// The first one's escape as written, and its byte offset in the line.
    pub first: (String, usize),
    /// How many there were.
    pub count: usize,
}

impl Mended {
    /// The warning's words.
    fn what(&self) -> String {
        let (esc, at) = &self.first;
        let more = match self.count {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        format!(
            "lone surrogate {esc} at byte {at}{more} read as U+FFFD (half of a \
             UTF-16 pair, not a character: the text was likely cut inside an emoji \
             or other character beyond U+FFFF)"
        )
    }
}

/// The line with every lone surrogate escape replaced by `\ufffd`, or
/// `None` when it has none. JSON's grammar lets a string hold `\ud800`
/// alone (RFC 8259 §8.2), half of a UTF-16 pair that no UTF-8 text can
/// hold: a high half (D800–DBFF) not followed by a low one's escape, or
/// a low half (DC00–DFFF) not after a high one. Such lines come from text
/// cut in the middle of a pair; they are read as Python's and
/// JavaScript's readers let them through, with U+FFFD for the half, as a
/// UTF-8 encoder that replaces writes it. `\\ud800` (an escaped
/// backslash) is not an escape; a malformed `\u` is left for the parser
/// to report. The replacement is as long as the escape, so byte offsets
/// in the line stay the same.
pub(super) fn mend_lone_surrogates(line: &str) -> Option<Mended> {
    use super::flatjson::hex4;
    let b = line.as_bytes();
    let hex = |at: usize| b.get(at..at + 4).and_then(hex4);
    let mut lone: Vec<usize> = Vec::new();
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'\\', b.get(i..).unwrap_or_default()) {
        let at = i + k;
        i = at + 2;
        if b.get(at + 1) != Some(&b'u') {
            continue;
        }
        let Some(h) = hex(at + 2) else { continue };
        i = at + 6;
        match h {
            0xD800..=0xDBFF => {
                let low = b.get(at + 6..at + 8) == Some(b"\\u")
                    && hex(at + 8).is_some_and(|l| (0xDC00..=0xDFFF).contains(&l));
                if low {
                    i = at + 12;
                } else {
                    lone.push(at);
                }
            }
            0xDC00..=0xDFFF => lone.push(at),
            _ => {}
        }
    }
    let &first = lone.first()?;
    let mut bytes = b.to_vec();
    for &at in &lone {
        bytes[at + 2..at + 6].copy_from_slice(b"fffd");
    }
    Some(Mended {
        line: String::from_utf8(bytes).expect("ASCII hex digits replaced by ASCII"),
        first: (line[first..first + 6].to_string(), first),
        count: lone.len(),
    })
}

/// A line whose NaN, Infinity and -Infinity were made JSON
/// ([`mend_python_floats`]).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Floats {
    pub line: String,
    /// Where each replacement ends in the mended line, and how many
    /// bytes longer than the original the line is from there on.
    shifts: Vec<(usize, usize)>,
}

impl Floats {
    /// The column of the original line where a column of the mended one
    /// lies: a serde_json error's position, one more than its byte's
    /// index, which replacements ending before it have moved.
    fn column_before(&self, col: usize) -> usize {
        let longer = self
            .shifts
            .iter()
            .take_while(|&&(end, _)| end < col)
            .last()
            .map_or(0, |&(_, longer)| longer);
        col - longer.min(col)
    }
}

/// The line with each NaN outside a string made `null` and each
/// Infinity and -Infinity the string of itself, or `None` when it has
/// none. They are not JSON, but Python's json writes them for a float
/// that is one (`json.dumps(row)` of a pandas row writes a missing value
/// as NaN) and reads them back: a corpus made that way is read as
/// Python reads it, a missing value as missing.
pub(super) fn mend_python_floats(line: &str) -> Option<Floats> {
    let b = line.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    let mut shifts = Vec::new();
    let (mut i, mut copied) = (0, 0);
    while i < b.len() {
        let c = b[i];
        if c == b'"' {
            // A string: left as it is, to its end (or the line's).
            match super::flatjson::string_end(b, i) {
                Some(end) => i = end,
                None => break,
            }
            continue;
        }
        let (word, with): (&[u8], &[u8]) = match c {
            b'N' => (b"NaN", b"null"),
            b'I' => (b"Infinity", b"\"Infinity\""),
            b'-' => (b"-Infinity", b"\"-Infinity\""),
            _ => {
                i += 1;
                continue;
            }
        };
        let end = i + word.len();
        let whole = b[i..].starts_with(word)
            && !b
                .get(end)
                .is_some_and(|&n| n.is_ascii_alphanumeric() || n == b'_');
        if !whole {
            i += 1;
            continue;
        }
        out.extend_from_slice(&b[copied..i]);
        out.extend_from_slice(with);
        let longer = shifts.last().map_or(0, |&(_, l)| l) + with.len() - word.len();
        shifts.push((out.len(), longer));
        i = end;
        copied = end;
    }
    if shifts.is_empty() {
        return None;
    }
    out.extend_from_slice(&b[copied..]);
    Some(Floats {
        line: String::from_utf8(out).expect("ASCII words replaced at ASCII bytes"),
        shifts,
    })
}

/// What a line holds: its text, its id if it gives one, and its other
/// fields as text, in the order written.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Fields {
    pub text: String,
    pub id: Option<String>,
    pub meta: Meta,
    /// The text was `null` (pandas writes a missing text so), read as an
    /// empty text.
    pub null_text: bool,
}

/// [`fields_of_at`] with the fields `text` and `id`.
#[cfg(test)]
pub(super) fn fields_of(line: &str) -> std::result::Result<Fields, String> {
    fields_of_at(line, Names::DEFAULT, Place::LINE, |col| col)
}

/// Where a document's JSON lies, for the words of its errors.
#[derive(Debug, Clone, Copy)]
pub(super) struct Place {
    /// What holds one document: a "line", an "element of the array".
    unit: &'static str,
    /// The file's line where the document starts, that serde_json's
    /// line 1 is (1 for a line of JSON lines: its errors name serde_json's
    /// own line and column within it).
    line: u64,
    /// The bytes before the document on its first line.
    column: u64,
    /// What an error of invalid JSON ends with.
    invalid_hint: &'static str,
}

impl Place {
    /// A line of a `.jsonl` file.
    pub const LINE: Place = Place {
        unit: "line",
        line: 1,
        column: 0,
        invalid_hint: "",
    };
}

/// The names of a line's text and id fields (`--text-field`,
/// `--id-field`), and what an error about the text's field ends with.
#[derive(Debug, Clone, Copy)]
pub(super) struct Names<'a> {
    pub text: &'a str,
    pub id: &'a str,
    pub hint: &'a str,
}

#[cfg(test)]
impl Names<'static> {
    /// `text` and `id`.
    pub const DEFAULT: Names<'static> = Names {
        text: "text",
        id: "id",
        hint: " (or name the field that holds it with --text-field)",
    };
}

impl<'a> Names<'a> {
    /// The names a corpus is read with, and its `hint`
    /// ([`ReadOptions::text_hint`]).
    pub fn of(options: &'a ReadOptions, hint: &'a str) -> Names<'a> {
        Names {
            text: options.text_field(),
            id: options.id_field(),
            hint,
        }
    }
}

/// The fields of any line, through serde_json, the text's and the id's
/// named by `names`: the way of every line the fast path
/// ([`super::flatjson`]) declines, and of every error, worded for where
/// the document lies (`place`). Of a mended line, an error names the
/// column of the line as written: `column(col)`.
fn fields_of_at(
    line: &str,
    names: Names<'_>,
    place: Place,
    column: impl Fn(usize) -> usize,
) -> std::result::Result<Fields, String> {
    let unit = place.unit;
    let Names {
        text: text_key,
        id: id_key,
        hint,
    } = names;
    let value: Value = serde_json::from_str(line).map_err(|e| {
        let at = format!(" at line {} column {}", e.line(), e.column());
        let mut what = e.to_string();
        if what.ends_with(&at) {
            what.truncate(what.len() - at.len());
            // On the document's first line, its column counts from the
            // document's first byte.
            let first = if e.line() == 1 { place.column } else { 0 };
            what += &format!(
                " at line {} column {}",
                place.line + e.line() as u64 - 1,
                column(e.column()) as u64 + first
            );
        }
        format!(
            "not valid JSON ({what}); each {unit} must be one JSON object with \
             a string \"{text_key}\"{}",
            place.invalid_hint
        )
    })?;
    let Value::Object(map) = value else {
        return Err(format!(
            "a JSON {} is not a document; each {unit} must be a JSON object \
             with a string \"{text_key}\"",
            kind(&value)
        ));
    };
    let mut text = None;
    let mut id = None;
    let mut null_text = false;
    let mut pairs = Vec::with_capacity(map.len());
    // Objects flattened first: a field of one may be the text or the id
    // (`--text-field body.text`).
    let mut flat = Vec::with_capacity(map.len());
    for (k, v) in map {
        flatten(&mut flat, k, v);
    }
    for (k, v) in flat {
        if k == text_key {
            match v {
                Value::String(s) => text = Some(s),
                // A missing text, as quanteda reads R's NA and as the
                // same table's empty CSV cell reads: an empty document.
                Value::Null => {
                    text = Some(String::new());
                    null_text = true;
                }
                other => {
                    return Err(format!(
                        "\"{text_key}\" is a {}, not a string; give each \
                         document's text as a JSON string",
                        kind(&other)
                    ))
                }
            }
        } else if k == id_key {
            match v {
                Value::String(s) => id = Some(s),
                Value::Number(n) => id = Some(n.to_string()),
                Value::Null => {}
                other => {
                    return Err(format!(
                        "\"{id_key}\" is a {}; give ids as strings or numbers",
                        kind(&other)
                    ))
                }
            }
        } else {
            pairs.push((k, meta_value(v)));
        }
    }
    let Some(text) = text else {
        // The fields it has, and the one that most looks like a text.
        let mut has = String::new();
        if let Some((wrapper, _)) = pairs.iter().find(|(_, v)| v.starts_with("[{")) {
            // A news API's answer (`{"status": …, "articles": [{…}]}`):
            // the documents are in the array.
            has = format!(
                "; its field \"{wrapper}\" holds an array of objects: if those are the \
                 documents, write them one a line (jq -c '.{wrapper}[]' FILE > FILE.jsonl)"
            );
        } else if let Some((longest, _)) = pairs.iter().rev().max_by_key(|(_, v)| v.len()) {
            let names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
            has = format!(
                "; its fields are {}, and the longest value is {longest}'s (--text-field \
                 {longest})",
                names.join(", ")
            );
        }
        return Err(format!(
            "no \"{text_key}\" field; each {unit} must be a JSON object with a \
             string \"{text_key}\"{hint}{has}"
        ));
    };
    Ok(Fields {
        text,
        id,
        meta: Meta::new(pairs),
        null_text,
    })
}

/// Field `key`, value `v`, added to a document's fields `out`: an
/// object's fields are flattened into fields named `key.field`
/// (`{"source": {"name": "AP"}}` gives `source.name`, as R's jsonlite
/// and pandas' `json_normalize` name them), at any depth, so they can be
/// grouped by (or be the text or the id); any other value (an empty
/// object too) is one field. A flattened name the document already has
/// keeps the value it came with first.
pub(super) fn flatten(out: &mut Vec<(String, Value)>, key: String, v: Value) {
    match v {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                flatten(out, format!("{key}.{k}"), v);
            }
        }
        v => {
            if !out.iter().any(|(k, _)| *k == key) {
                out.push((key, v));
            }
        }
    }
}

/// A metadata value as text: strings as they are, numbers with their
/// digits as written (serde_json's `arbitrary_precision`: a number is
/// never turned into a double and printed back; an exponent comes out as
/// `e+3` or `e-1`), booleans as written, null as empty, arrays (and an
/// empty object) as compact JSON.
pub(super) fn meta_value(v: Value) -> String {
    match v {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
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

    /// Other names for the text and the id are read alike by the fast
    /// path and serde_json's, `text` and `id` then being metadata.
    #[test]
    fn named_fields_are_read_alike_on_both_paths() {
        let names = Names {
            text: "body",
            id: "doc",
            hint: " (--text-field)",
        };
        let line = r#"{"doc":7,"text":"meta","body":"the text","id":"x","n":[1]}"#;
        let want = Fields {
            text: "the text".into(),
            id: Some("7".into()),
            meta: Meta::new(vec![
                ("text".into(), "meta".into()),
                ("id".into(), "x".into()),
                ("n".into(), "[1]".into()),
            ]),
            null_text: false,
        };
        let fast = super::super::flatjson::fields(line, &mut String::new(), names);
        assert_eq!(fast.as_ref(), Some(&want));
        // The tests' default names are a reader's without the options.
        let options = ReadOptions::default();
        let hint = options.text_hint("field");
        let default = Names::of(&options, &hint);
        assert_eq!(
            (default.text, default.id, default.hint),
            (Names::DEFAULT.text, Names::DEFAULT.id, Names::DEFAULT.hint)
        );
        assert_eq!(fields_of_at(line, names, Place::LINE, |c| c), Ok(want));
        assert_eq!(
            fields_of_at(r#"{"text":"x"}"#, names, Place::LINE, |c| c),
            Err(
                "no \"body\" field; each line must be a JSON object with a string \
                 \"body\" (--text-field); its fields are text, and the longest value is \
                 text's (--text-field text)"
                    .to_string()
            )
        );
    }

    /// An object's fields are metadata of their own, named by their
    /// path (`source.name`), at any depth; an empty object and arrays
    /// stay compact JSON; a flattened name the line already has keeps
    /// its first value. Both paths read alike.
    #[test]
    fn objects_are_flattened_alike_on_both_paths() {
        let pairs = |p: &[(&str, &str)]| {
            Meta::new(
                p.iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        };
        for (line, want) in [
            (
                r#"{"text":"t","source":{"id":null,"name":"AP","geo":{"c":"US","n":1.50}},"e":{},"a":[{"x":1}]}"#,
                pairs(&[
                    ("source.id", ""),
                    ("source.name", "AP"),
                    ("source.geo.c", "US"),
                    ("source.geo.n", "1.50"),
                    ("e", "{}"),
                    ("a", r#"[{"x":1}]"#),
                ]),
            ),
            (
                r#"{"text":"t","s":{"n":"first"},"s.n":"second","z":1}"#,
                pairs(&[("s.n", "first"), ("z", "1")]),
            ),
            (
                r#"{"s.n":"first","text":"t","s":{"n":"second","m":true}}"#,
                pairs(&[("s.n", "first"), ("s.m", "true")]),
            ),
            // A key given twice keeps its last value, in its first place
            // (serde_json's map), an object's too.
            (
                r#"{"a":{"b":"x"},"text":"t","a":"s"}"#,
                pairs(&[("a", "s")]),
            ),
            (
                r#"{"a":"s","text":"t","a":{"b":"x"}}"#,
                pairs(&[("a.b", "x")]),
            ),
        ] {
            let want = Fields {
                text: "t".into(),
                id: None,
                meta: want,
                null_text: false,
            };
            assert_eq!(fields_of(line).as_ref(), Ok(&want), "{line}");
            let fast = super::super::flatjson::fields(line, &mut String::new(), Names::DEFAULT);
            // The fast path reads it, or leaves a name given twice to
            // the slow one.
            if let Some(fast) = fast {
                assert_eq!(fast, want, "{line}");
            }
        }
        assert!(
            super::super::flatjson::fields(
                r#"{"text":"t","source":{"name":"AP"}}"#,
                &mut String::new(),
                Names::DEFAULT
            )
            .is_some(),
            "a nested object is read on the fast path"
        );
        // A field of an object may be the text or the id; a name given
        // twice keeps its first value there too, and is no metadata.
        let names = Names {
            text: "body.text",
            id: "k.id",
            hint: " (--text-field)",
        };
        let line =
            r#"{"k.id":"K1","k":{"id":"K2","n":1},"text":"meta","body":{"text":"the text"}}"#;
        let want = Fields {
            text: "the text".into(),
            id: Some("K1".into()),
            meta: pairs(&[("k.n", "1"), ("text", "meta")]),
            null_text: false,
        };
        assert_eq!(fields_of_at(line, names, Place::LINE, |c| c), Ok(want));
        assert_eq!(
            super::super::flatjson::fields(line, &mut String::new(), names),
            None,
            "the slow path reads it"
        );
        assert_eq!(
            fields_of_at(r#"{"body":{"text":7}}"#, names, Place::LINE, |c| c),
            Err(
                "\"body.text\" is a number, not a string; give each document's text as a \
                 JSON string"
                    .to_string()
            )
        );
    }

    /// NaN, Infinity and -Infinity outside strings are made JSON (null,
    /// and strings of themselves); in strings, inside longer words, or
    /// after escaped quotes they are left. An error's column is the
    /// written line's: the same as serde_json gives for the line with
    /// each of them replaced by a valid number of its length.
    #[test]
    fn python_floats_are_mended_outside_strings() {
        let mended = |line: &str| mend_python_floats(line).map(|m| m.line);
        for line in [
            r#"{"text":"NaN Infinity -Infinity"}"#,
            r#"{"text":"a \"NaN\" \\","x":"NaN"}"#,
            r#"{"text":"x","a":NaNa,"b":Infinityx,"c":-Infinity_}"#,
            r#"{"text":"unterminated NaN"#,
        ] {
            assert_eq!(mended(line), None, "{line}");
        }
        for (line, want) in [
            (r#"{"text":"x","s":NaN}"#, r#"{"text":"x","s":null}"#),
            (
                r#"{"id":NaN,"text":"NaN \"q\" \\","t":[1,-Infinity,{"u":Infinity}],"v":NaN}"#,
                r#"{"id":null,"text":"NaN \"q\" \\","t":[1,"-Infinity",{"u":"Infinity"}],"v":null}"#,
            ),
            (
                r#"{"text":"x","s":NaN,"t":"open"#,
                r#"{"text":"x","s":null,"t":"open"#,
            ),
        ] {
            assert_eq!(mended(line).as_deref(), Some(want), "{line}");
        }
        // The written line's column in an error after and between them.
        let valid = |line: &str| {
            line.replace("-Infinity", "-12345678")
                .replace("Infinity", "12345678")
                .replace("NaN", "0.0")
        };
        for line in [
            r#"{"text":"x","s":NaN,"bad":tru}"#,
            r#"{"s":-Infinity,"t":NaN, "text":"x" "u":1}"#,
            r#"{"s":Infinity,"t":[NaN,NaN,-Infinity],"text":"x",}"#,
            r#"{"s":NaN,"text":3 4}"#,
            r#"{"s":NaN NaN,"text":"x"}"#,
            r#"{"s":[NaN,Infinity Infinity],"text":"x"}"#,
            r#"{"s":-Infinity-Infinity,"text":"x"}"#,
        ] {
            let m = mend_python_floats(line).unwrap();
            let got = fields_of_at(&m.line, Names::DEFAULT, Place::LINE, |c| m.column_before(c))
                .unwrap_err();
            let want = fields_of(&valid(line)).unwrap_err();
            assert_eq!(got, want, "{line}");
        }
    }

    /// Lone surrogates are found where they are escapes, each replaced
    /// in place; pairs, escaped backslashes, other escapes and malformed
    /// ones are left as they are.
    #[test]
    fn lone_surrogates_are_mended_in_place() {
        let mended = |line: &str| mend_lone_surrogates(line).map(|m| (m.line, m.first, m.count));
        let none = [
            r#"{"text":"plain"}"#,
            r#"{"text":"pair \ud83d\ude00 and \uD83D\uDE00"}"#,
            r#"{"text":"escaped \\ud800 backslash, \\\\udc00 too"}"#,
            r#"{"text":"\u00e9\n\"\/\\"}"#,
            r#"{"text":"malformed \ud8zz and \u12"}"#,
            r#"{"text":"\"#,
        ];
        for line in none {
            assert_eq!(mended(line), None, "{line}");
        }
        let cases = [
            (
                r#"{"text":"cut \ud83d"}"#,
                r#"{"text":"cut \ufffd"}"#,
                r"\ud83d",
                13,
                1,
                1,
            ),
            (
                r#"{"text":"\udc00 low"}"#,
                r#"{"text":"\ufffd low"}"#,
                r"\udc00",
                9,
                1,
                1,
            ),
            (
                r#"{"text":"\uD800x\udc00","t":"\ud800\ud83d\ude00"}"#,
                r#"{"text":"\ufffdx\ufffd","t":"\ufffd\ud83d\ude00"}"#,
                r"\uD800",
                9,
                3,
                2,
            ),
            (
                r#"{"text":"\\\ud800 \ud800\u0041"}"#,
                r#"{"text":"\\\ufffd \ufffd\u0041"}"#,
                r"\ud800",
                11,
                2,
                2,
            ),
        ];
        for (line, want, first, at, count, in_text) in cases {
            assert_eq!(
                mended(line),
                Some((want.to_string(), (first.to_string(), at), count)),
                "{line}"
            );
            // The mended line reads as the text with U+FFFD for each half.
            let text = fields_of(want).unwrap().text;
            assert_eq!(text.matches('\u{FFFD}').count(), in_text, "{want}");
        }
    }

    /// Hands out its bytes a few at a time, with interruptions.
    struct Trickle {
        data: Vec<u8>,
        at: usize,
        calls: usize,
    }

    impl Read for Trickle {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            self.calls += 1;
            if self.calls % 5 == 0 {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let n = (self.calls % 7 + 1)
                .min(out.len())
                .min(self.data.len() - self.at);
            out[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn lines_of(data: &[u8], size: usize, trickle: bool) -> (Vec<Vec<u8>>, usize) {
        let input: Box<dyn Read + Send> = if trickle {
            Box::new(Trickle {
                data: data.to_vec(),
                at: 0,
                calls: 0,
            })
        } else {
            Box::new(std::io::Cursor::new(data.to_vec()))
        };
        let mut lines = Lines::with_size(input, size);
        let mut got = Vec::new();
        while let Some(r) = lines.next().unwrap() {
            got.push(lines.buf[r].to_vec());
        }
        (got, lines.buf.len())
    }

    /// Lines shorter and longer than the buffer, blank, with `\r\n`, and
    /// a last line with no line end come out as `split_inclusive` cuts
    /// them, whatever the reads return; the buffer grown for a long line
    /// goes back to its size.
    #[test]
    fn lines_come_out_whole_across_reads() {
        let mut data = Vec::new();
        for i in 0..300usize {
            let len = [0, 1, 3, 8, 9, 17, 40, 200, 1000][i % 9] + i % 4;
            data.extend((0..len).map(|k| b'a' + ((i + k) % 26) as u8));
            data.extend_from_slice(if i % 11 == 0 { b"\r\n" } else { b"\n" });
        }
        data.extend_from_slice(b"no line end");
        let want: Vec<Vec<u8>> = data
            .split_inclusive(|&b| b == b'\n')
            .map(<[u8]>::to_vec)
            .collect();
        for size in [1, 2, 8, 64, 4096] {
            for trickle in [false, true] {
                let (got, cap) = lines_of(&data, size, trickle);
                assert_eq!(got, want, "size {size}, trickle {trickle}");
                assert!(
                    cap <= 2048.max(size),
                    "size {size}: the buffer grew to {cap}"
                );
            }
        }
        // After one huge line, short ones: the buffer is its size again.
        let mut data = vec![b'x'; 5000];
        data.extend(b"abc\n".repeat(2000));
        data[4999] = b'\n';
        for trickle in [false, true] {
            let (got, cap) = lines_of(&data, 64, trickle);
            assert_eq!(got.len(), 2001);
            assert_eq!(cap, 64, "trickle {trickle}");
        }
        assert_eq!(lines_of(b"", 8, false).0, Vec::<Vec<u8>>::new());
        assert_eq!(lines_of(b"\n", 8, true).0, [b"\n".to_vec()]);
    }

    /// Numbers keep their digits as written, whichever way the line is
    /// read: an id of 30 digits keeps every digit (as a double it would be
    /// `1.2345678901234568e29`, and two such ids could become one), and
    /// metadata its trailing zeros and exponents (serde_json writes an
    /// exponent `e+3`, `e-1`).
    #[test]
    fn numbers_are_kept_as_written() {
        let line = r#"{"id": 123456789012345678901234567890, "text": "x", "a": 2e3, "b": 1.50, "c": -0, "d": 12345678901234567890123, "e": [1.0, 2E-1]}"#;
        let want = Fields {
            text: "x".into(),
            id: Some("123456789012345678901234567890".into()),
            meta: Meta::new(vec![
                ("a".into(), "2e+3".into()),
                ("b".into(), "1.50".into()),
                ("c".into(), "-0".into()),
                ("d".into(), "12345678901234567890123".into()),
                ("e".into(), "[1.0,2e-1]".into()),
            ]),
            null_text: false,
        };
        // The fast path gives such values to serde_json one at a time,
        // and takes the integers it keeps as written itself.
        assert_eq!(
            super::super::flatjson::fields(line, &mut String::new(), Names::DEFAULT).as_ref(),
            Some(&want)
        );
        assert_eq!(fields_of(line), Ok(want));
        let fast = super::super::flatjson::fields(
            r#"{"id": 7, "text": "x", "n": -120}"#,
            &mut String::new(),
            Names::DEFAULT,
        )
        .expect("the fast path's shape");
        assert_eq!(fast.id.as_deref(), Some("7"));
        assert_eq!(fast.meta.get("n"), Some("-120"));
    }
}
