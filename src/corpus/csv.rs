//! `.csv` (and gzip-compressed `.csv.gz`) corpora: a `text` column, an
//! optional `id`, every other column as metadata. Read one record at a
//! time.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::manifest::csv_error;
use super::{decode, Document, Meta, ReadOptions};
use crate::error::{Error, Result};

pub(crate) struct Reader {
    path: PathBuf,
    rdr: ::csv::Reader<Box<dyn std::io::Read + Send>>,
    names: Vec<String>,
    text_col: usize,
    id_col: Option<usize>,
    options: ReadOptions,
    record: ::csv::ByteRecord,
    /// Where the last record read starts (its byte, as the csv reader
    /// tells).
    last_start: Option<u64>,
    n_docs: usize,
    done: bool,
}

impl Reader {
    pub fn open(path: &Path, options: &ReadOptions, read: &super::ReadCount) -> Result<Reader> {
        let file = File::open(path).map_err(|e| Error::read(path, e))?;
        let file = super::Counted::new(file, read);
        let mut rdr = ::csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(super::decompressed(path, file));
        let headers = rdr.byte_headers().map_err(|e| csv_error(path, e))?.clone();
        let names: Vec<String> = headers
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_string())
            .collect();
        super::manifest::unique_columns(path, &names)?;
        let field = options.text_field();
        let Some(text_col) = names.iter().position(|h| h == field) else {
            return Err(super::manifest::missing_column(
                path,
                &names,
                field,
                &format!(
                    "no `{field}` column; a CSV corpus needs a header with a `{field}` \
                     column holding each document's text"
                ),
                &options.text_hint("column"),
            ));
        };
        let id_col = names.iter().position(|h| h == options.id_field());
        Ok(Reader {
            path: path.to_path_buf(),
            rdr,
            names,
            text_col,
            id_col,
            options: options.clone(),
            record: ::csv::ByteRecord::new(),
            last_start: None,
            n_docs: 0,
            done: false,
        })
    }

    fn next_doc(&mut self) -> Result<Option<Document>> {
        let more = self
            .rdr
            .read_byte_record(&mut self.record)
            .map_err(|e| csv_error(&self.path, e))?;
        if !more {
            if let Some(byte) = self.last_start {
                super::manifest::no_quote_left_open(&self.path, byte)?;
            }
            return Ok(None);
        }
        self.n_docs += 1;
        let base = self.record.position().map_or(0, |p| p.byte());
        self.last_start = Some(base);
        let mut text = String::new();
        let mut id = String::new();
        let mut pairs = Vec::new();
        for (i, field) in self.record.iter().enumerate() {
            let value = match String::from_utf8(field.to_vec()) {
                Ok(value) => value,
                // The row's line, counted only for an error (or warning).
                Err(e) => decode(
                    e.into_bytes(),
                    &self.path,
                    base.max(1),
                    Some(super::manifest::line_at(&self.path, base)),
                    &self.options,
                )?,
            };
            if i == self.text_col {
                text = value;
            } else if Some(i) == self.id_col {
                id = value.trim().to_string();
            } else {
                pairs.push((self.names[i].clone(), value));
            }
        }
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
