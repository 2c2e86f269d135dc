//! `.jsonl` corpora (optionally `.jsonl.gz`): one JSON object a line with
//! a string `text`, an optional `id`, and every other field as metadata.
//! Read one line at a time.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{decode, Document, Meta, ReadOptions};
use crate::error::{Error, Result};

pub(crate) struct Reader {
    path: PathBuf,
    input: Box<dyn BufRead + Send>,
    options: ReadOptions,
    line: u64,
    offset: u64,
    n_docs: usize,
    buf: Vec<u8>,
    /// Where the fast path unescapes strings.
    scratch: String,
    done: bool,
}

impl Reader {
    pub fn open(path: &Path, options: &ReadOptions) -> Result<Reader> {
        let file = File::open(path).map_err(|e| Error::read(path, e))?;
        let gz = path.to_string_lossy().to_lowercase().ends_with(".gz");
        let input: Box<dyn BufRead + Send> = if gz {
            Box::new(BufReader::with_capacity(
                1 << 16,
                flate2::read::MultiGzDecoder::new(file),
            ))
        } else {
            Box::new(BufReader::with_capacity(1 << 16, file))
        };
        Ok(Reader {
            path: path.to_path_buf(),
            input,
            options: options.clone(),
            line: 0,
            offset: 0,
            n_docs: 0,
            buf: Vec::new(),
            scratch: String::new(),
            done: false,
        })
    }

    fn next_doc(&mut self) -> Result<Option<Document>> {
        loop {
            self.buf.clear();
            let n = self
                .input
                .read_until(b'\n', &mut self.buf)
                .map_err(|e| Error::read(&self.path, e))?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            let base = self.offset;
            self.offset += n as u64;
            // The line is parsed where it was read: the buffer keeps its
            // capacity from line to line, and no copy of the line is made
            // unless it is not UTF-8.
            let buf = std::mem::take(&mut self.buf);
            let res = self.parse_line(&buf, base);
            // A huge line's buffer is not kept for the lines after it.
            if buf.capacity() <= 1 << 24 {
                self.buf = buf;
            }
            match res {
                Ok(None) => continue, // a blank line holds no document
                other => return other,
            }
        }
    }

    /// The document of one line as read (line end included), or `None`
    /// for a blank line.
    fn parse_line(&mut self, bytes: &[u8], base: u64) -> Result<Option<Document>> {
        let mut bytes = bytes;
        if self.line == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        while let Some((b'\n' | b'\r', rest)) = bytes.split_last() {
            bytes = rest;
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        match std::str::from_utf8(bytes) {
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

    fn parse(&mut self, line: &str) -> Result<Document> {
        let fields = match super::flatjson::fields(line, &mut self.scratch) {
            Some(fields) => fields,
            None => fields_of(line).map_err(|msg| Error::line(&self.path, self.line, msg))?,
        };
        // A huge text's scratch is not kept for the lines after it.
        if self.scratch.capacity() > 1 << 24 {
            self.scratch = String::new();
        }
        self.n_docs += 1;
        let id = match fields.id {
            Some(id) if !id.trim().is_empty() => id,
            _ => format!("text{}", self.n_docs),
        };
        Ok(Document {
            index: 0,
            id,
            text: fields.text,
            meta: Meta::new(fields.pairs),
        })
    }
}

/// What a line holds: its text, its id if it gives one, and its other
/// fields as text, in the order written.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Fields {
    pub text: String,
    pub id: Option<String>,
    pub pairs: Vec<(String, String)>,
}

/// The fields of any line, through serde_json: the way of every line the
/// fast path ([`super::flatjson`]) declines, and of every error.
pub(super) fn fields_of(line: &str) -> std::result::Result<Fields, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        format!(
            "not valid JSON ({e}); each line must be one JSON object with \
             a string \"text\""
        )
    })?;
    let Value::Object(map) = value else {
        return Err(format!(
            "a JSON {} is not a document; each line must be a JSON object \
             with a string \"text\"",
            kind(&value)
        ));
    };
    let mut text = None;
    let mut id = None;
    let mut pairs = Vec::with_capacity(map.len());
    for (k, v) in map {
        match k.as_str() {
            "text" => match v {
                Value::String(s) => text = Some(s),
                other => {
                    return Err(format!(
                        "\"text\" is a {}, not a string; give each \
                         document's text as a JSON string",
                        kind(&other)
                    ))
                }
            },
            "id" => match v {
                Value::String(s) => id = Some(s),
                Value::Number(n) => id = Some(n.to_string()),
                Value::Null => {}
                other => {
                    return Err(format!(
                        "\"id\" is a {}; give ids as strings or numbers",
                        kind(&other)
                    ))
                }
            },
            _ => pairs.push((k, meta_value(v))),
        }
    }
    let Some(text) = text else {
        return Err("no \"text\" field; each line must be a JSON object with a \
             string \"text\""
            .to_string());
    };
    Ok(Fields { text, id, pairs })
}

/// A metadata value as text: strings as they are, numbers and booleans as
/// written, null as empty, arrays and objects as compact JSON.
fn meta_value(v: Value) -> String {
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
