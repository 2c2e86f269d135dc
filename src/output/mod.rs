//! Tables out: CSV (CONTRACT §11), JSON and aligned terminal text, and
//! atomic file writing. Reads result structs only (through
//! [`rows`]); never computes a statistic.

mod direct;
pub mod kwic;
pub mod provenance;
pub mod report;
pub mod rows;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How a table is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for reading on a terminal.
    Table,
    /// RFC 4180 CSV, UTF-8, `\n` line ends.
    Csv,
    /// A JSON array of objects, one per row.
    Json,
}

impl Format {
    /// The file extension for this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Table => "txt",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// An identifier or a group value: written in full. In CSV, like
    /// text from documents, prefixed with `'` when it begins with `=`,
    /// `+`, `-`, `@`, tab or CR and is not a plain number.
    Str(String),
    /// A term (a norm, a stem, an n-gram): as [`Cell::Str`], never
    /// prefixed. A term holds word characters and joiners only, so no
    /// spreadsheet runs it; a stem may begin with `-` (Snowball drops a
    /// norm's first `'`: `'-run` gives `-run`), which a prefix would make
    /// the norm `'-run`.
    Term(String),
    /// Text taken from a document or its metadata: as [`Cell::Str`], and
    /// shortened on the terminal.
    Text(String),
    Int(u64),
    Float(f64),
    Bool(bool),
    /// No value (an undefined rate): empty in CSV, null in JSON.
    Empty,
}

impl From<Option<f64>> for Cell {
    fn from(v: Option<f64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Float)
    }
}

/// Where rows go: a [`Table`] in memory, or a [`CsvSink`] writing each
/// row as it comes (what keeps `run`'s memory flat on big corpora).
pub trait RowSink {
    /// The column names, once, first.
    fn header(&mut self, columns: Vec<String>);
    /// One row.
    fn row(&mut self, row: Vec<Cell>);
    /// One row of borrowed cells: a sink that writes rows out at once
    /// takes them without copying any text.
    fn row_ref(&mut self, row: &[CellRef<'_>]) {
        self.row(row.iter().map(|c| c.to_cell()).collect());
    }
    /// A record made before as CSV: `bytes` are its `fields` fields,
    /// each as [`CsvSink`] writes it ([`csv_field_into`], [`float_into`],
    /// decimal integers), separated by commas, without the line end.
    /// `false` from a sink that keeps cells rather than bytes: it must be
    /// given the row's cells instead.
    fn csv_record(&mut self, bytes: &[u8], fields: usize) -> bool {
        let _ = (bytes, fields);
        false
    }
}

/// Text from the input as one CSV field, as a [`CsvSink`] writes a
/// [`CellRef::Str`]: quoted when it holds a comma, a quote or a line
/// end, a formula's first character escaped.
///
/// ```
/// use framescope::output::csv_field_into;
/// let mut out = String::new();
/// for s in ["plain", "a,b", "say \"hi\"", "=SUM(A1)", ""] {
///     csv_field_into(s, &mut out);
///     out.push('|');
/// }
/// assert_eq!(out, "plain|\"a,b\"|\"say \"\"hi\"\"\"|'=SUM(A1)||");
/// ```
pub fn csv_field_into(s: &str, out: &mut String) {
    // SAFETY: what is appended is `s`'s bytes (UTF-8) with ASCII quotes
    // and apostrophes around and between them, so `out` stays UTF-8.
    let bytes = unsafe { out.as_mut_vec() };
    append(bytes, 2 * s.len() + 4, |t| t.field(s.as_bytes(), true));
}

/// A term as one CSV field, as a [`CsvSink`] writes a
/// [`CellRef::Term`]: quoted when it holds a comma or a quote, never
/// prefixed.
///
/// ```
/// use framescope::output::csv_term_into;
/// let mut out = String::new();
/// for s in ["-run", "1,100", "'-run"] {
///     csv_term_into(s, &mut out);
///     out.push('|');
/// }
/// assert_eq!(out, "-run|\"1,100\"|'-run|");
/// ```
pub fn csv_term_into(s: &str, out: &mut String) {
    // SAFETY: as in csv_field_into, with no apostrophe added.
    let bytes = unsafe { out.as_mut_vec() };
    append(bytes, 2 * s.len() + 2, |t| t.field(s.as_bytes(), false));
}

/// A [`Cell`] that borrows its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    Str(&'a str),
    Term(&'a str),
    Text(&'a str),
    Int(u64),
    Float(f64),
    Bool(bool),
    Empty,
    /// A float and its text, made before (it must be [`float_text`] of
    /// the float): a number written in many rows is formatted once.
    Formatted(f64, &'a str),
}

impl CellRef<'_> {
    /// The owned cell.
    pub fn to_cell(&self) -> Cell {
        match *self {
            CellRef::Str(s) => Cell::Str(s.to_string()),
            CellRef::Term(s) => Cell::Term(s.to_string()),
            CellRef::Text(s) => Cell::Text(s.to_string()),
            CellRef::Int(n) => Cell::Int(n),
            CellRef::Float(v) => Cell::Float(v),
            CellRef::Bool(b) => Cell::Bool(b),
            CellRef::Empty => Cell::Empty,
            CellRef::Formatted(v, _) => Cell::Float(v),
        }
    }
}

impl From<Option<f64>> for CellRef<'_> {
    fn from(v: Option<f64>) -> Self {
        v.map_or(CellRef::Empty, CellRef::Float)
    }
}

impl<'a> From<&'a Cell> for CellRef<'a> {
    fn from(c: &'a Cell) -> Self {
        match c {
            Cell::Str(s) => CellRef::Str(s),
            Cell::Term(s) => CellRef::Term(s),
            Cell::Text(s) => CellRef::Text(s),
            Cell::Int(n) => CellRef::Int(*n),
            Cell::Float(v) => CellRef::Float(*v),
            Cell::Bool(b) => CellRef::Bool(*b),
            Cell::Empty => CellRef::Empty,
        }
    }
}

impl RowSink for Table {
    fn header(&mut self, columns: Vec<String>) {
        self.columns = columns;
    }
    fn row(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }
}

/// Rows written as CSV (the same bytes as [`Table::to_csv`]) as they come.
///
/// The bytes are made here, into a buffer that grows as needed and goes to
/// the writer every 64 KiB: no buffer is allocated (or zeroed) ahead, so a
/// sink per document, formatting a few hundred bytes, costs only those.
/// The quoting is the `csv` crate's (quotes around a field with a comma,
/// a quote, `\r` or `\n`, quotes inside doubled; `""` for a record of one
/// empty field), which [`Table::to_csv`] uses and a test compares with.
pub struct CsvSink<W: Write> {
    w: W,
    buf: Vec<u8>,
    /// Fields in the first record: every record must have as many.
    width: Option<usize>,
    err: Option<std::io::Error>,
    /// The last float written in each of the first columns, as bits and
    /// text: rows in a row often repeat one (the rate of every term seen
    /// once in a document, the interval of each frame a document has no
    /// hits of), and the text is then copied, not made again.
    floats: [(u64, FloatText); FLOAT_COLUMNS],
    /// The buffer goes to the writer once it holds this many bytes.
    flush_at: usize,
}

/// The text of a float: its length and bytes (ryu writes at most 24).
type FloatText = (u8, [u8; 32]);

/// Columns whose last float a [`CsvSink`] remembers.
const FLOAT_COLUMNS: usize = 12;

impl CsvSink<std::io::Sink> {
    /// A sink whose rows go straight onto the end of `bytes`, with no
    /// buffer between (a document's rows of doc_terms.csv, formatted by
    /// the worker that counted it); [`CsvSink::into_bytes`] hands them
    /// back.
    pub fn appending(bytes: Vec<u8>) -> CsvSink<std::io::Sink> {
        let mut sink = CsvSink::new(std::io::sink());
        sink.buf = bytes;
        sink.flush_at = usize::MAX;
        sink
    }

    /// Append to `bytes` the rows `write` makes, as a [`CsvSink`] writes
    /// them; rows of one width (as every table's are) cannot fail, and
    /// `bytes` is left empty if they did.
    pub fn append(bytes: &mut Vec<u8>, write: impl FnOnce(&mut dyn RowSink)) {
        let mut sink = CsvSink::appending(std::mem::take(bytes));
        write(&mut sink);
        let made = sink.into_bytes();
        debug_assert!(made.is_ok(), "rows of one width");
        *bytes = made.unwrap_or_default();
    }

    /// The bytes of a sink made by [`CsvSink::appending`], or the error
    /// of a record of the wrong width.
    pub fn into_bytes(mut self) -> std::io::Result<Vec<u8>> {
        match self.err.take() {
            Some(e) => Err(e),
            None => Ok(std::mem::take(&mut self.buf)),
        }
    }
}

/// A [`CsvSink`] hands its bytes to the writer once it holds this many.
const CSV_FLUSH_AT: usize = 1 << 16;

impl<W: Write> CsvSink<W> {
    /// A sink writing to `w`.
    pub fn new(w: W) -> CsvSink<W> {
        CsvSink {
            w,
            buf: Vec::new(),
            width: None,
            err: None,
            // A NaN's bits, with the text of any NaN: empty.
            floats: [(u64::MAX, (0, [0; 32])); FLOAT_COLUMNS],
            flush_at: CSV_FLUSH_AT,
        }
    }

    /// Flush, and report the first write error.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.flush()?;
        self.w.flush()
    }

    /// Flush, and hand back the writer.
    pub fn into_inner(mut self) -> std::io::Result<W> {
        self.flush()?;
        Ok(self.w)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if let Some(e) = self.err.take() {
            return Err(e);
        }
        if !self.buf.is_empty() {
            self.w.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// End a record of `n` fields that started at `start` in the buffer.
    fn end_record(&mut self, start: usize, n: usize) {
        if n == 1 && self.buf.len() == start {
            // One empty field: quoted, or the line would read as no field.
            self.buf.extend_from_slice(b"\"\"");
        }
        self.buf.push(b'\n');
        match self.width {
            None => self.width = Some(n),
            Some(w) if w != n => {
                self.err = Some(std::io::Error::other(format!(
                    "CSV record of {n} fields after records of {w}"
                )));
            }
            Some(_) => {}
        }
        if self.buf.len() >= self.flush_at && self.err.is_none() {
            if let Err(e) = self.w.write_all(&self.buf) {
                self.err = Some(e);
            }
            self.buf.clear();
        }
    }
}

impl<W: Write> RowSink for CsvSink<W> {
    fn csv_record(&mut self, bytes: &[u8], fields: usize) -> bool {
        if self.err.is_none() {
            let start = self.buf.len();
            self.buf.extend_from_slice(bytes);
            self.end_record(start, fields);
        }
        true
    }

    fn header(&mut self, columns: Vec<String>) {
        if self.err.is_some() {
            return;
        }
        let start = self.buf.len();
        for (i, c) in columns.iter().enumerate() {
            // A header is ours, not the input's: no formula escape.
            append(&mut self.buf, 2 * c.len() + 4, |t| {
                t.comma(i > 0);
                t.field(c.as_bytes(), false);
            });
        }
        self.end_record(start, columns.len());
    }
    fn row(&mut self, row: Vec<Cell>) {
        let cells: Vec<CellRef<'_>> = row.iter().map(CellRef::from).collect();
        self.row_ref(&cells);
    }

    /// Each cell goes to the buffer as it is, with no string made for it:
    /// the bytes are those of [`Table::to_csv`]. Each cell is copied into
    /// room reserved for it (`append`; short pieces by a few word-sized
    /// moves, not a `memcpy` call each).
    fn row_ref(&mut self, row: &[CellRef<'_>]) {
        if self.err.is_some() {
            return;
        }
        let start = self.buf.len();
        for (i, c) in row.iter().enumerate() {
            // Each cell after its comma, in room reserved for the longest
            // text it can make: a text quoted, every quote in it doubled,
            // after the formula escape; 20 digits; ryu's 24 bytes.
            let sep = i > 0;
            let buf = &mut self.buf;
            match *c {
                CellRef::Str(s) | CellRef::Text(s) => append(buf, 2 * s.len() + 4, |t| {
                    t.comma(sep);
                    t.field(s.as_bytes(), true);
                }),
                CellRef::Term(s) => append(buf, 2 * s.len() + 2, |t| {
                    t.comma(sep);
                    t.field(s.as_bytes(), false);
                }),
                CellRef::Int(n) => append(buf, 21, |t| {
                    t.comma(sep);
                    t.bytes(itoa::Buffer::new().format(n).as_bytes());
                }),
                // Float text never needs quotes.
                CellRef::Float(v) => match self.floats.get_mut(i) {
                    Some((bits, (len, text))) => {
                        if *bits != v.to_bits() {
                            let mut digits = ryu::Buffer::new();
                            let s = float_str(v, &mut digits).as_bytes();
                            text[..s.len()].copy_from_slice(s);
                            (*bits, *len) = (v.to_bits(), s.len() as u8);
                        }
                        append(buf, 25, |t| {
                            t.comma(sep);
                            t.bytes(&text[..*len as usize]);
                        });
                    }
                    None => append(buf, 25, |t| {
                        t.comma(sep);
                        t.bytes(float_str(v, &mut ryu::Buffer::new()).as_bytes());
                    }),
                },
                CellRef::Bool(b) => append(buf, 6, |t| {
                    t.comma(sep);
                    t.bytes(if b { b"true" } else { b"false" });
                }),
                CellRef::Empty => append(buf, 1, |t| t.comma(sep)),
                CellRef::Formatted(v, text) => {
                    debug_assert_eq!(text, float_text(v), "a float's text made before");
                    append(buf, text.len() + 1, |t| {
                        t.comma(sep);
                        t.bytes(text.as_bytes());
                    })
                }
            }
        }
        self.end_record(start, row.len());
    }
}

/// Append to `buf` what `write` writes, at most `max` bytes: room for
/// them is reserved once, and they are copied into it with no capacity
/// check or `memcpy` call per piece.
#[inline(always)]
fn append(buf: &mut Vec<u8>, max: usize, write: impl FnOnce(&mut Tail<'_>)) {
    buf.reserve(max);
    let len = buf.len();
    let mut tail = Tail {
        spare: &mut buf.spare_capacity_mut()[..max],
        at: 0,
    };
    write(&mut tail);
    let written = tail.at;
    // SAFETY: `Tail` wrote every one of the first `written` bytes of the
    // spare capacity (it moves `at` only past bytes it wrote, and indexing
    // keeps it within the `max` reserved).
    unsafe { buf.set_len(len + written) };
}

/// The spare capacity of a buffer being filled with one cell: `at` bytes
/// of it written so far, within the room [`append`] reserved.
struct Tail<'a> {
    spare: &'a mut [std::mem::MaybeUninit<u8>],
    at: usize,
}

impl Tail<'_> {
    #[inline(always)]
    fn byte(&mut self, b: u8) {
        self.spare[self.at].write(b);
        self.at += 1;
    }

    /// A comma, before every cell but a row's first.
    #[inline(always)]
    fn comma(&mut self, sep: bool) {
        if sep {
            self.byte(b',');
        }
    }

    /// Append `s`. Up to 32 bytes are two overlapping moves of 4, 8 or 16
    /// bytes (the moves of a fixed size compile to single loads and
    /// stores); longer ones are one copy.
    #[inline(always)]
    fn bytes(&mut self, s: &[u8]) {
        let n = s.len();
        let d = &mut self.spare[self.at..self.at + n];
        match n {
            0 => {}
            1..=3 => {
                d[0].write(s[0]);
                d[n / 2].write(s[n / 2]);
                d[n - 1].write(s[n - 1]);
            }
            4..=7 => two_moves::<4>(d, s),
            8..=15 => two_moves::<8>(d, s),
            16..=32 => two_moves::<16>(d, s),
            _ => {
                copy_into(d, s);
            }
        }
        self.at += n;
    }

    /// Append one text field: quoted when it holds a comma, a quote, `\r`
    /// or `\n` (the `csv` crate's rule), and with `escape`, prefixed with
    /// `'` when a spreadsheet would read it as a formula.
    #[inline(always)]
    fn field(&mut self, s: &[u8], escape: bool) {
        let formula = escape && needs_formula_escape(s);
        if !needs_quotes(s) {
            if formula {
                self.byte(b'\'');
            }
            self.bytes(s);
            return;
        }
        self.byte(b'"');
        if formula {
            self.byte(b'\'');
        }
        for part in s.split_inclusive(|&b| b == b'"') {
            self.bytes(part);
            if part.last() == Some(&b'"') {
                self.byte(b'"');
            }
        }
        self.byte(b'"');
    }
}

/// `d = s` for `N <= s.len() <= 2N` (`d` as long as `s`): the first `N`
/// bytes and the last `N`, overlapping.
#[inline(always)]
fn two_moves<const N: usize>(d: &mut [std::mem::MaybeUninit<u8>], s: &[u8]) {
    let n = s.len();
    let head: [u8; N] = s[..N].try_into().expect("N bytes");
    let last: [u8; N] = s[n - N..].try_into().expect("N bytes");
    copy_into(&mut d[..N], &head);
    copy_into(&mut d[n - N..], &last);
}

/// `d = s` (as long): a loop the compiler makes one move for a fixed
/// length and a `memcpy` call for a long slice.
#[inline(always)]
fn copy_into(d: &mut [std::mem::MaybeUninit<u8>], s: &[u8]) {
    for (d, &b) in d.iter_mut().zip(s) {
        d.write(b);
    }
}

/// Does a CSV field of these bytes need quotes: does it hold a comma, a
/// quote, `\r` or `\n`? Eight bytes at a time.
#[inline(always)]
fn needs_quotes(s: &[u8]) -> bool {
    /// Has `w` a byte equal to one of the four (exact, as a whole: the
    /// borrow of the subtraction only marks bytes above a true match).
    #[inline(always)]
    fn special(w: u64) -> bool {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        let eq = |c: u8| zero(w ^ (ONES * c as u64));
        (eq(b',') | eq(b'"') | eq(b'\r') | eq(b'\n')) != 0
    }
    let n = s.len();
    if n < 8 {
        return s.iter().any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n'));
    }
    let word = |i: usize| u64::from_le_bytes(s[i..i + 8].try_into().expect("8 bytes"));
    let mut i = 0;
    while i + 8 < n {
        if special(word(i)) {
            return true;
        }
        i += 8;
    }
    // The last 8 bytes, overlapping those read when n is not a multiple.
    special(word(n - 8))
}

/// CSV rows made and formatted in parallel, written in order: `rows(i,
/// sink)` writes the rows of item `i` of `n` (no header). A window of
/// chunks is formatted at a time, so memory stays bounded, and the bytes
/// are exactly those of writing the items one after another.
pub fn par_rows(
    w: &mut (dyn Write + Send),
    n: usize,
    rows: &(dyn Fn(usize, &mut dyn RowSink) -> std::io::Result<()> + Sync),
) -> std::io::Result<()> {
    use rayon::prelude::*;
    // Chunks of up to 1024 items, but at least 16 per thread in all: an
    // item may be many rows (frames.csv's are blocks of documents), and
    // a file of a few big chunks was formatted by one thread, then
    // written with nothing formatted meanwhile.
    let threads = rayon::current_num_threads().max(1);
    let chunk = (n / (16 * threads)).clamp(1, 1024);
    let window = chunk * 4 * threads;
    // A chunk's rows go straight onto its bytes, and the bytes of chunks
    // written are emptied and used again: no chunk grows a buffer from
    // nothing (on fresh pages) and copies it as it doubles.
    let spare: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());
    let take = || {
        spare
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop()
            .unwrap_or_default()
    };
    let format = |start: usize| -> Vec<std::io::Result<Vec<u8>>> {
        let end = (start + window).min(n);
        let chunks: Vec<usize> = (start..end).step_by(chunk).collect();
        chunks
            .into_par_iter()
            .map(|c| {
                let mut sink = CsvSink::appending(take());
                for i in c..(c + chunk).min(end) {
                    rows(i, &mut sink)?;
                }
                sink.into_bytes()
            })
            .collect()
    };
    let write = |w: &mut (dyn Write + Send), parts: Vec<std::io::Result<Vec<u8>>>| {
        for p in parts {
            let mut p = p?;
            w.write_all(&p)?;
            p.clear();
            spare.lock().unwrap_or_else(|e| e.into_inner()).push(p);
        }
        Ok::<(), std::io::Error>(())
    };
    // Each window is written while the next one is formatted.
    let mut pending = if n > 0 { Some(format(0)) } else { None };
    let mut start = window;
    while let Some(parts) = pending.take() {
        if start < n {
            let (written, next) = rayon::join(|| write(&mut *w, parts), || format(start));
            written?;
            pending = Some(next);
            start += window;
        } else {
            write(&mut *w, parts)?;
        }
    }
    Ok(())
}

/// A CSV file of a header and rows formatted in parallel ([`par_rows`]):
/// `header` writes the header; the rows are the items of consecutive
/// parts, `lens[p]` items in part `p` (a table per group, say), and
/// `row(p, i, sink)` writes the rows of item `i` of part `p`.
pub fn csv_par(
    w: &mut (dyn Write + Send),
    header: &dyn Fn(&mut dyn RowSink),
    lens: &[usize],
    row: &(dyn Fn(usize, usize, &mut dyn RowSink) -> std::io::Result<()> + Sync),
) -> std::io::Result<()> {
    let mut head = CsvSink::new(&mut *w);
    header(&mut head);
    head.finish()?;
    let starts: Vec<usize> = lens
        .iter()
        .scan(0, |acc, &n| {
            let start = *acc;
            *acc += n;
            Some(start)
        })
        .collect();
    let total = lens.iter().sum();
    par_rows(w, total, &|i, s| {
        // The last part starting at or before i (empty parts are skipped).
        let p = starts.partition_point(|&st| st <= i) - 1;
        row(p, i - starts[p], s)
    })
}

/// A table: column names and rows of cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new<S: Into<String>>(columns: impl IntoIterator<Item = S>) -> Table {
        Table {
            columns: columns.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Render in a format.
    pub fn render(&self, format: Format) -> Vec<u8> {
        match format {
            Format::Csv => self.to_csv(),
            Format::Json => self.to_json(),
            Format::Table => self.to_text().into_bytes(),
        }
    }

    /// CSV with one header row (CONTRACT §11).
    pub fn to_csv(&self) -> Vec<u8> {
        self.csv_of(true)
    }

    /// [`Table::to_csv`]'s rows without the header: the next rows of a
    /// table written a block of rows at a time.
    pub fn csv_rows(&self) -> Vec<u8> {
        self.csv_of(false)
    }

    fn csv_of(&self, header: bool) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        if header {
            w.write_record(&self.columns).expect("write to memory");
        }
        let mut rec: Vec<String> = Vec::with_capacity(self.columns.len());
        for row in &self.rows {
            rec.clear();
            rec.extend(row.iter().map(csv_cell));
            w.write_record(&rec).expect("write to memory");
        }
        w.into_inner().expect("write to memory")
    }

    /// A JSON array of objects, one row per line.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::from(JSON_START);
        self.json_rows_into(0, &mut out);
        out.extend_from_slice(JSON_END);
        out
    }

    /// [`Table::to_json`]'s rows, the first being the array's row
    /// `first`: the next rows of a table written a block of rows at a
    /// time, between [`JSON_START`] and [`JSON_END`].
    pub fn json_rows_into(&self, first: usize, out: &mut Vec<u8>) {
        for (i, row) in self.rows.iter().enumerate() {
            out.extend_from_slice(if first + i == 0 { b"\n" } else { b",\n" });
            let mut obj = serde_json::Map::new();
            for (name, cell) in self.columns.iter().zip(row) {
                obj.insert(name.clone(), json_cell(cell));
            }
            serde_json::to_writer(&mut *out, &obj).expect("write to memory");
        }
    }

    /// Aligned columns: text left, numbers right, floats to 3 decimals.
    pub fn to_text(&self) -> String {
        let cells: Vec<Vec<(String, bool)>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&self.columns)
                    .map(|(c, name)| match c {
                        Cell::Float(v) => (float_short_in(name, *v), true),
                        c => text_cell(c),
                    })
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = self.columns.iter().map(|c| c.chars().count()).collect();
        for row in &cells {
            for (w, (s, _)) in widths.iter_mut().zip(row) {
                *w = (*w).max(s.chars().count());
            }
        }
        let mut out = String::new();
        let line = |out: &mut String, row: &mut dyn Iterator<Item = (String, bool)>| {
            let mut first = true;
            let mut s = String::new();
            for ((text, right), &w) in row.zip(&widths) {
                if !first {
                    s.push_str("  ");
                }
                first = false;
                let pad = w.saturating_sub(text.chars().count());
                if right {
                    s.extend(std::iter::repeat_n(' ', pad));
                    s.push_str(&text);
                } else {
                    s.push_str(&text);
                    s.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push_str(s.trim_end());
            out.push('\n');
        };
        let numeric: Vec<bool> = (0..self.columns.len())
            .map(|i| cells.first().is_some_and(|r| r.get(i).is_some_and(|c| c.1)))
            .collect();
        line(
            &mut out,
            &mut self.columns.iter().cloned().zip(numeric.iter().copied()),
        );
        for row in cells {
            line(&mut out, &mut row.into_iter());
        }
        out
    }
}

/// A float as CSV and JSON text: the shortest form that reads back to the
/// same value (never fewer digits than needed); plain decimals, except
/// an exponent below 1e-5 and from 1e16 on (p-values can be 1e-200).
pub fn float_text(v: f64) -> String {
    let mut out = String::new();
    float_into(v, &mut out);
    out
}

/// [`float_text`] appended to a buffer.
///
/// The digits come from `ryu`, a few times faster than `{}` and `{:e}`
/// on the millions of floats of a big run's tables. The text is theirs
/// (tested in `float_text_is_stds`): the same shortest digits, and ryu
/// switches to an exponent at the same bounds (below 1e-5, from 1e16 on);
/// only its `.0` after a whole number goes. One difference: when two
/// shortest forms are equally near (233115890514796.125), ryu takes the
/// even one (…796.12, as Python's `repr` does) and std rounds up.
pub fn float_into(v: f64, out: &mut String) {
    out.push_str(float_str(v, &mut ryu::Buffer::new()));
}

/// [`float_text`] as a slice of `digits` (or a constant).
fn float_str(v: f64, digits: &mut ryu::Buffer) -> &str {
    if v.is_finite() {
        let s = digits.format_finite(v);
        s.strip_suffix(".0").unwrap_or(s)
    } else if v.is_nan() {
        ""
    } else if v > 0.0 {
        "inf"
    } else {
        "-inf"
    }
}

fn csv_cell(c: &Cell) -> String {
    match c {
        // Ids, group values and patterns come from the input as well.
        Cell::Str(s) | Cell::Text(s) => escape_formula(s),
        Cell::Term(s) => s.clone(),
        Cell::Int(n) => n.to_string(),
        Cell::Float(v) => float_text(*v),
        Cell::Bool(b) => b.to_string(),
        Cell::Empty => String::new(),
    }
}

/// Prefix text that a spreadsheet would run as a formula with `'`. A
/// plain number (`-0.35`, `+3`, `-1,200.5`, `-2e-3`) is no formula, and
/// is left as it is: a metadata column of signed numbers stays numbers
/// (defusedcsv leaves them so too).
///
/// ```
/// use framescope::output::escape_formula;
/// assert_eq!(escape_formula("=HYPERLINK(x)"), "'=HYPERLINK(x)");
/// assert_eq!(escape_formula("plain"), "plain");
/// assert_eq!(escape_formula("-0.35"), "-0.35");
/// assert_eq!(escape_formula("+3"), "+3");
/// assert_eq!(escape_formula("-2e-3"), "-2e-3");
/// assert_eq!(escape_formula("-2+3"), "'-2+3");
/// assert_eq!(escape_formula("-"), "'-");
/// assert_eq!(escape_formula("-1e"), "'-1e");
/// assert_eq!(escape_formula("@1"), "'@1");
/// ```
pub fn escape_formula(s: &str) -> String {
    if needs_formula_escape(s.as_bytes()) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Does a spreadsheet read this text as a formula?
fn needs_formula_escape(s: &[u8]) -> bool {
    match s.first() {
        Some(b'=' | b'@' | b'\t' | b'\r') => true,
        Some(b'+' | b'-') => !is_plain_number(&s[1..]),
        _ => false,
    }
}

/// Digits with `.` and `,` among them (at least one digit), then
/// perhaps an exponent: what follows the sign of a plain number.
fn is_plain_number(s: &[u8]) -> bool {
    let mantissa = s
        .iter()
        .position(|b| !matches!(b, b'0'..=b'9' | b'.' | b','))
        .unwrap_or(s.len());
    let (m, rest) = s.split_at(mantissa);
    if !m.iter().any(u8::is_ascii_digit) {
        return false;
    }
    match rest {
        [] => true,
        [b'e' | b'E', exp @ ..] => {
            let digits = exp
                .strip_prefix(b"+")
                .or(exp.strip_prefix(b"-"))
                .unwrap_or(exp);
            !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// Escape text for HTML element content and quoted attribute values.
///
/// ```
/// use framescope::output::html_escape;
/// assert_eq!(html_escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
/// ```
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn json_cell(c: &Cell) -> serde_json::Value {
    use serde_json::Value;
    match c {
        Cell::Str(s) | Cell::Term(s) | Cell::Text(s) => Value::String(s.clone()),
        Cell::Int(n) => Value::from(*n),
        Cell::Float(v) => serde_json::Number::from_f64(*v).map_or(Value::Null, Value::Number),
        Cell::Bool(b) => Value::Bool(*b),
        Cell::Empty => Value::Null,
    }
}

/// A cell for the terminal, and whether it is right-aligned.
fn text_cell(c: &Cell) -> (String, bool) {
    match c {
        Cell::Str(s) | Cell::Term(s) => (visible(s), false),
        Cell::Text(s) => (shorten(&visible(s), 40), false),
        Cell::Int(n) => (n.to_string(), true),
        Cell::Float(v) => (float_short(*v), true),
        Cell::Bool(b) => (b.to_string(), false),
        Cell::Empty => (String::new(), true),
    }
}

/// Text for a terminal: line breaks and tabs as spaces, and every other
/// control character (an escape sequence in an id would recolour or move
/// the terminal's cursor) written as `\u{1b}`.
///
/// ```
/// assert_eq!(framescope::output::visible("a\tb\u{1b}[31mc\u{85}"), "a b\\u{1b}[31mc\\u{85}");
/// ```
pub fn visible(s: &str) -> String {
    if !s.chars().any(char::is_control) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A float for reading: three decimals, or three significant digits in
/// scientific notation when that would show 0.000 (a small p-value).
pub(crate) fn float_short(v: f64) -> String {
    if v != 0.0 && v.abs() < 0.0005 {
        format!("{v:.2e}")
    } else {
        format!("{v:.3}")
    }
}

/// [`float_short`] of a value of the column `name`: a p-value of 0 (one
/// too small for a double, as a G² above about 1,480 gives, written `0`
/// in CSV) reads `<1e-300`, not `0.000`.
///
/// ```
/// # use framescope::output::float_short_in;
/// assert_eq!(float_short_in("p_adjusted", 0.0), "<1e-300");
/// assert_eq!(float_short_in("mw_p_value", 1.5e-7), "1.50e-7");
/// assert_eq!(float_short_in("g2", 0.0), "0.000");
/// ```
pub fn float_short_in(name: &str, v: f64) -> String {
    let p_value = name == "p_adjusted" || name.ends_with("p_value");
    if p_value && v == 0.0 {
        "<1e-300".to_string()
    } else {
        float_short(v)
    }
}

/// Cut text to `max` characters, marking the cut with `…`.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// Files to write together: each goes to a temporary name in its folder
/// first, and only when all are written are they renamed into place. A
/// failure (a full disk, an unwritable folder, Ctrl-C) while writing leaves
/// the previous results as they were.
///
/// The renames are recorded first in a journal (`.framescope-commit-PID`
/// in the first file's folder). A process killed during the renames
/// (SIGKILL, power loss) leaves the journal; the next write to that folder
/// finishes the renames, so a set is never left half old, half new, and
/// removes the temporaries of runs that were killed while writing.
#[derive(Debug, Default)]
pub struct OutputSet {
    files: Vec<(PathBuf, Vec<u8>)>,
    /// Files already streamed to their temporaries: (temporary, path).
    written: Vec<(PathBuf, PathBuf)>,
    /// The output folders were created and recovered.
    prepared: Vec<PathBuf>,
    /// Files started so far (for fault injection).
    started: usize,
    /// Folders this set created, removed again (when empty) if it is
    /// dropped without a commit.
    created: Vec<PathBuf>,
    committed: bool,
    /// Per folder, the files an earlier run wrote there that this set
    /// removes unless it writes them ([`OutputSet::replace_stale`]).
    stale: Vec<(PathBuf, Vec<String>)>,
    /// Streamed files being synced to disk in the background (their
    /// path, for an error): the commit waits for them before the journal.
    syncing: Vec<(PathBuf, std::thread::JoinHandle<std::io::Result<()>>)>,
}

impl Drop for OutputSet {
    /// A set dropped without a commit (an error on the way) leaves no
    /// temporaries.
    fn drop(&mut self) {
        for (tmp, _) in self.written.drain(..) {
            let _ = std::fs::remove_file(tmp);
        }
        if !self.committed {
            for dir in self.created.iter().rev() {
                let _ = std::fs::remove_dir(dir);
            }
        }
    }
}

const JOURNAL_PREFIX: &str = ".framescope-commit-";

impl OutputSet {
    /// Add a file (relative paths are kept as given).
    pub fn add(&mut self, path: PathBuf, bytes: Vec<u8>) {
        self.files.push((path, bytes));
    }

    /// The paths added or streamed, in order.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.written
            .iter()
            .map(|(_, p)| p.as_path())
            .chain(self.files.iter().map(|(p, _)| p.as_path()))
    }

    /// Write a file now, through `write`, to its temporary (renamed into
    /// place with the rest at [`OutputSet::commit`]): for big files that
    /// should not be held in memory. Streamed files are renamed first.
    pub fn stream(
        &mut self,
        path: PathBuf,
        write: impl FnOnce(&mut (dyn Write + Send)) -> std::io::Result<()>,
    ) -> Result<()> {
        let mut f = self.create(path)?;
        if let Err(e) = write(&mut f) {
            return Err(Error::write(&f.path, e));
        }
        self.finish(f)
    }

    /// Open a file of the set for writing over time (while a pass runs,
    /// say); hand it back with [`OutputSet::finish`]. Dropped unfinished,
    /// its temporary is removed.
    pub fn create(&mut self, path: PathBuf) -> Result<TempFile> {
        self.prepare(parent(&path))?;
        let tmp = temp_name(&path);
        self.started += 1;
        let res = create_pending(&tmp).and_then(|f| {
            fault_write(self.started)?;
            Ok(f)
        });
        match res {
            Ok(f) => Ok(TempFile {
                w: Some(direct::DirectWriter::new(f)),
                tmp,
                path,
            }),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(Error::write(&path, e))
            }
        }
    }

    /// Flush a file opened with [`OutputSet::create`] and start syncing
    /// it to disk; it is renamed into place at the commit, once synced.
    /// The sync runs on a thread of its own, so the disk writes the file
    /// while the next ones are made (hundreds of MB on a big corpus).
    pub fn finish(&mut self, mut f: TempFile) -> Result<()> {
        if let Some(w) = f.w.take() {
            match w.finish() {
                Ok(file) => {
                    let sync = std::thread::spawn(move || file.sync_data());
                    self.syncing.push((f.path.clone(), sync));
                }
                Err(e) => {
                    let _ = std::fs::remove_file(&f.tmp);
                    return Err(Error::write(&f.path, e));
                }
            }
        }
        self.written
            .push((std::mem::take(&mut f.tmp), std::mem::take(&mut f.path)));
        Ok(())
    }

    /// Create an output folder and recover it (once per folder).
    fn prepare(&mut self, dir: &Path) -> Result<()> {
        if self.prepared.iter().any(|d| d == dir) {
            return Ok(());
        }
        if !dir.as_os_str().is_empty() {
            // The folders that do not exist yet, outermost first.
            let mut missing: Vec<PathBuf> = dir
                .ancestors()
                .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
                .map(Path::to_path_buf)
                .collect();
            missing.reverse();
            // A file where a folder is wanted (or on its way): say so, not
            // "File exists".
            if let Some(file) = dir.ancestors().find(|a| a.exists() && !a.is_dir()) {
                return Err(Error::file(
                    file,
                    "is a file, not a folder; give --out a folder (it is made if missing)",
                ));
            }
            // Listed before they are made, under the list's lock: an
            // interrupt either comes first or finds them listed.
            let mut made = created_dirs();
            made.extend(missing.iter().cloned());
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
            drop(made);
            self.created.extend(missing);
        }
        recover(dir, &[dir.to_path_buf()])?;
        self.prepared.push(dir.to_path_buf());
        Ok(())
    }

    /// Files in `dir` that an earlier run wrote and this set replaces:
    /// those the earlier run listed (`earlier`, names in `dir`) whose
    /// names start with one of `prefixes` and that this set does not
    /// write are removed with the commit (a chart of a group the corpus
    /// no longer has, say). Nothing else in `dir` is touched: a file of
    /// the same kind of name that no run wrote (the user's own) stays.
    pub fn replace_stale(&mut self, dir: PathBuf, prefixes: &[&str], earlier: &[String]) {
        let listed = earlier
            .iter()
            .filter(|n| prefixes.iter().any(|p| n.starts_with(p)))
            .cloned()
            .collect();
        self.stale.push((dir, listed));
    }

    fn stale_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for (dir, listed) in &self.stale {
            let Ok(rd) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut names: Vec<String> = rd
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| listed.contains(n))
                .collect();
            names.sort();
            for n in names {
                let path = dir.join(&n);
                if !self.paths().any(|p| p == path) {
                    out.push(path);
                }
            }
        }
        out
    }

    /// Write every file: temporaries first, then renames. Temporaries
    /// are registered so an interrupt (Ctrl-C) removes them; an interrupt
    /// during the renames waits for them to finish.
    pub fn commit(mut self) -> Result<()> {
        let result = self.commit_inner();
        self.committed = result.is_ok();
        pending_temps().clear();
        result
    }

    fn commit_inner(&mut self) -> Result<()> {
        let Some(home) = self.paths().next().map(|p| parent(p).to_path_buf()) else {
            return Ok(());
        };
        let dirs: Vec<PathBuf> = self.paths().map(|p| parent(p).to_path_buf()).collect();
        for dir in &dirs {
            self.prepare(dir)?;
        }
        let stale = self.stale_files();
        // Every streamed file on disk before anything else.
        for (path, sync) in std::mem::take(&mut self.syncing) {
            let res = sync
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the sync thread panicked")));
            if let Err(e) = res {
                return Err(Error::write(&path, e));
            }
        }
        let mut temps: Vec<(PathBuf, PathBuf)> = std::mem::take(&mut self.written);
        temps.reserve(self.files.len());
        let cleanup = |temps: &[(PathBuf, PathBuf)]| {
            for (tmp, _) in temps {
                let _ = std::fs::remove_file(tmp);
            }
        };
        let first = self.started;
        let written = write_all_synced(&self.files, first);
        let mut failed = None;
        for ((path, _), res) in self.files.iter().zip(written) {
            let tmp = temp_name(path);
            match res {
                Ok(()) => temps.push((tmp, path.clone())),
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    failed.get_or_insert((path, e));
                }
            }
        }
        if let Some((path, e)) = failed {
            cleanup(&temps);
            return Err(Error::write(path, e));
        }
        fault_point("after-temps");
        // The journal: once it is on disk, the new set is the one that
        // counts, and a killed process's renames are finished later.
        let journal = home.join(format!("{JOURNAL_PREFIX}{}", std::process::id()));
        let mut text = String::new();
        for (tmp, path) in &temps {
            text.push_str(&format!(
                "{}\t{}\n",
                file_name(tmp),
                path.strip_prefix(&home).unwrap_or(path).display()
            ));
        }
        for path in &stale {
            text.push_str(&format!(
                "\t{}\n",
                path.strip_prefix(&home).unwrap_or(path).display()
            ));
        }
        let res = std::fs::File::create(&journal).and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_data()
        });
        if let Err(e) = res {
            let _ = std::fs::remove_file(&journal);
            cleanup(&temps);
            return Err(Error::write(&journal, e));
        }
        // Hold the lock: an interrupt now waits for the renames.
        let mut pending = pending_temps();
        for (i, (tmp, path)) in temps.iter().enumerate() {
            if i == temps.len() / 2 {
                fault_point("mid-rename");
            }
            if let Err(e) = std::fs::rename(tmp, path) {
                cleanup(&temps[i..]);
                let _ = std::fs::remove_file(&journal);
                return Err(Error::write(path, e));
            }
        }
        // Said under the lock: an interrupt that waited for the renames
        // finds the new set in place, not the earlier one.
        COMMITTED.store(true, std::sync::atomic::Ordering::SeqCst);
        pending.clear();
        for path in &stale {
            let _ = std::fs::remove_file(path);
        }
        let _ = std::fs::remove_file(&journal);
        Ok(())
    }
}

/// Write each file to its temporary (file `i` is the set's file number
/// `first + i + 1`) and sync it, [`WRITERS`] at a time: a sync waits on
/// the disk, not on a core (one after the other, the 36 files a `run`
/// holds in memory made most of its commit: 44–52 ms on 100 MB of
/// wh-briefings, 32–40 ms eight at a time). Every file is tried; the
/// results are in file order.
fn write_all_synced(files: &[(PathBuf, Vec<u8>)], first: usize) -> Vec<std::io::Result<()>> {
    let write = |i: usize| -> std::io::Result<()> {
        let (path, bytes) = &files[i];
        let mut f = create_pending(&temp_name(path))?;
        fault_write(first + i + 1)?;
        f.write_all(bytes)?;
        f.sync_data()
    };
    // Each thread takes the next file not taken; this one too, so that
    // all are written if no thread can be made.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if i >= files.len() {
                return done;
            }
            done.push((i, write(i)));
        }
    };
    let mut results: Vec<Option<std::io::Result<()>>> = files.iter().map(|_| None).collect();
    std::thread::scope(|s| {
        let helpers: Vec<_> = (1..WRITERS.min(files.len()))
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(s, take).ok())
            .collect();
        let mut put = |done: Vec<(usize, std::io::Result<()>)>| {
            for (i, r) in done {
                results[i] = Some(r);
            }
        };
        put(take());
        for h in helpers {
            // A helper that panicked leaves its files without a result.
            if let Ok(done) = h.join() {
                put(done);
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(std::io::Error::other("a file was not written"))))
        .collect()
}

/// Threads writing and syncing an output set's files at once.
const WRITERS: usize = 8;

fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new(""))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Before writing into `home` (and `dirs`): finish the renames of a run
/// that was killed during them (its journal is still there), then remove
/// the temporaries of runs that were killed while writing.
fn recover(home: &Path, dirs: &[PathBuf]) -> Result<()> {
    let list = |dir: &Path| -> Vec<String> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    for name in list(home) {
        let Some(pid) = name.strip_prefix(JOURNAL_PREFIX) else {
            continue;
        };
        if pid_alive(pid) {
            continue;
        }
        let journal = home.join(&name);
        let text = std::fs::read_to_string(&journal).map_err(|e| Error::read(&journal, e))?;
        for line in text.lines() {
            let Some((tmp, dest)) = line.split_once('\t') else {
                continue;
            };
            let dest = home.join(dest);
            if tmp.is_empty() {
                // A file the set replaced without writing.
                let _ = std::fs::remove_file(&dest);
                continue;
            }
            let tmp = parent(&dest).join(tmp);
            if tmp.exists() {
                std::fs::rename(&tmp, &dest).map_err(|e| Error::write(&dest, e))?;
            }
        }
        std::fs::remove_file(&journal).map_err(|e| Error::write(&journal, e))?;
    }
    for dir in dirs {
        for name in list(dir) {
            let Some((_, pid)) = name.rsplit_once(".tmp-") else {
                continue;
            };
            if name.starts_with('.') && !pid_alive(pid) {
                let _ = std::fs::remove_file(dir.join(&name));
            }
        }
    }
    Ok(())
}

/// Whether a process id (as text) is running: only checked on Linux
/// (`/proc`); elsewhere every writer is assumed alive and nothing is
/// touched.
fn pid_alive(pid: &str) -> bool {
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    if pid == std::process::id().to_string() {
        return false;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid).exists()
    } else {
        true
    }
}

/// Fault injection for the tests of interrupted writes, read from
/// `FRAMESCOPE_FAULT`: `enospc:N` makes the N-th file written fail as on a
/// full disk; `abort:after-temps` and `abort:mid-rename` kill the process
/// (as SIGKILL would) at those points.
fn fault() -> Option<String> {
    std::env::var("FRAMESCOPE_FAULT").ok()
}

fn fault_write(n: usize) -> std::io::Result<()> {
    match fault() {
        Some(f) if f.strip_prefix("enospc:") == Some(&n.to_string()) => Err(
            std::io::Error::from_raw_os_error(28), // ENOSPC
        ),
        _ => Ok(()),
    }
}

fn fault_point(at: &str) {
    if fault().is_some_and(|f| f.strip_prefix("abort:") == Some(at)) {
        std::process::abort();
    }
}

/// A file of an [`OutputSet`] being written to its temporary.
pub struct TempFile {
    w: Option<direct::DirectWriter>,
    tmp: PathBuf,
    path: PathBuf,
}

impl Write for TempFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.w {
            Some(w) => w.write(buf),
            None => Err(std::io::Error::other("file already finished")),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match &mut self.w {
            Some(w) => w.write_all(buf),
            None => Err(std::io::Error::other("file already finished")),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.w {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl TempFile {
    /// The path the file will have once committed.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if self.w.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Set once a result set's files are renamed into place.
static COMMITTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Has this process put a result set in place? After
/// [`remove_pending_temps`], an interrupt knows whether the earlier
/// results are untouched or the new ones complete (Ctrl-C during the
/// renames waits for them).
pub fn committed() -> bool {
    COMMITTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Temporary files being written, for the interrupt handler.
fn pending_temps() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    static PENDING: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    PENDING.lock().unwrap_or_else(|p| p.into_inner())
}

/// On an interrupt: remove the temporaries of the files being written, so
/// an interrupted run leaves the previous results and no partial file,
/// and the output folders it made (a new `--out`), unless its results
/// are already in them.
/// During the renames this waits for them to finish (the new set is
/// complete by then).
///
/// No temporary can be made after this (the list stays locked): call it
/// only on the way out of the process.
pub fn remove_pending_temps() {
    let mut pending = pending_temps();
    for tmp in pending.drain(..) {
        let _ = std::fs::remove_file(tmp);
    }
    // The output folders this run made, innermost first, unless its
    // results are in them (only an empty folder is removed).
    let made = created_dirs();
    if !committed() {
        for dir in made.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    std::mem::forget(made);
    // Keep the lock: a thread about to make a temporary waits until the
    // process exits, so none is left behind.
    std::mem::forget(pending);
}

/// Output folders made by this process, outermost first, for the
/// interrupt handler.
fn created_dirs() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    static CREATED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    CREATED.lock().unwrap_or_else(|p| p.into_inner())
}

/// Create a temporary and list it, under the list's lock: an interrupt
/// either comes first (and the file is never made) or finds it listed.
pub(crate) fn create_pending(tmp: &Path) -> std::io::Result<std::fs::File> {
    let mut pending = pending_temps();
    pending.push(tmp.to_path_buf());
    std::fs::File::create(tmp)
}

/// [`create_pending`] for a file in a folder others share (`TMPDIR`):
/// made new (never an existing file or link of that name) and readable
/// by its owner alone.
fn create_private(tmp: &Path) -> std::io::Result<std::fs::File> {
    let mut pending = pending_temps();
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let f = open.open(tmp)?;
    pending.push(tmp.to_path_buf());
    Ok(f)
}

/// Remove a temporary and take it off the list.
pub(crate) fn remove_pending(tmp: &Path) {
    let _ = std::fs::remove_file(tmp);
    unlist_pending(tmp);
}

/// Take a temporary off the list (it was removed).
pub(crate) fn unlist_pending(tmp: &Path) {
    pending_temps().retain(|p| p != tmp);
}

fn temp_name(path: &Path) -> PathBuf {
    path.with_file_name(format!(".{}.tmp-{}", file_name(path), std::process::id()))
}

/// Write bytes to standard output and flush (a closed pipe comes back
/// as a write error the binary treats as success).
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|_| out.flush())
        .map_err(|e| Error::write(Path::new("<stdout>"), e))
}

/// What [`Table::to_json`] writes before its rows.
pub const JSON_START: &[u8] = b"[";
/// What [`Table::to_json`] writes after its rows.
pub const JSON_END: &[u8] = b"\n]\n";

/// Output too big to hold in memory (a concordance of a common word),
/// written as it is made and handed on whole at the end: into a file of
/// `--out` (a temporary renamed into place), or to standard output:
/// held in memory up to [`SPOOL_MEMORY`], then in a temporary file in
/// `TMPDIR` copied out at the end. An error midway leaves no
/// half-written output, unless `TMPDIR` cannot be written: then the
/// output goes out as it is made, with a warning.
pub struct Spool {
    /// `None` once handed on.
    to: Option<SpoolTo>,
    /// What the temporary file is for, in its name.
    name: String,
}

/// Bytes of standard output a [`Spool`] holds in memory before it
/// writes them to a temporary file (`FRAMESCOPE_SPOOL_MEMORY` sets
/// another, for the tests).
pub const SPOOL_MEMORY: usize = 64 << 20;

fn spool_memory() -> usize {
    std::env::var("FRAMESCOPE_SPOOL_MEMORY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(SPOOL_MEMORY)
}

enum SpoolTo {
    /// The file, then its set: dropped in that order (an error midway),
    /// the temporary goes before the set removes the folders it made.
    File(Box<(TempFile, OutputSet)>),
    Memory(Vec<u8>),
    Temp(PathBuf, std::io::BufWriter<std::fs::File>),
    Direct(std::io::BufWriter<std::io::Stdout>),
}

impl Spool {
    /// Output to the file `path`.
    pub fn file(path: PathBuf) -> Result<Spool> {
        let mut set = OutputSet::default();
        let f = set.create(path)?;
        Ok(Spool {
            to: Some(SpoolTo::File(Box::new((f, set)))),
            name: String::new(),
        })
    }

    /// Output to standard output (`name`: what it is, for the temporary
    /// file's name).
    pub fn stdout(name: &str) -> Result<Spool> {
        Ok(Spool {
            to: Some(SpoolTo::Memory(Vec::new())),
            name: name.to_string(),
        })
    }

    fn temp_error(path: &Path, e: std::io::Error) -> Error {
        Error::invalid(format!(
            "{}: {e}; the output is written there before it is printed: set TMPDIR to a \
             folder with room, or write it into a folder with --out",
            path.display()
        ))
    }

    /// Append `bytes`.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        let stdout_err = |e| Error::write(Path::new("<stdout>"), e);
        match &mut self.to {
            Some(SpoolTo::File(out)) => {
                let f = &mut out.0;
                let path = f.path().to_path_buf();
                f.write_all(bytes).map_err(|e| Error::write(&path, e))
            }
            Some(SpoolTo::Memory(held)) => {
                held.extend_from_slice(bytes);
                if held.len() > spool_memory() {
                    let held = std::mem::take(held);
                    self.to = Some(self.spill(&held)?);
                }
                Ok(())
            }
            Some(SpoolTo::Temp(path, w)) => {
                w.write_all(bytes).map_err(|e| Spool::temp_error(path, e))
            }
            Some(SpoolTo::Direct(w)) => w.write_all(bytes).map_err(stdout_err),
            None => Err(Error::invalid("output written after it was handed on")),
        }
    }

    /// Where output past [`SPOOL_MEMORY`] goes, `held` written there: a
    /// temporary file, or standard output when none can be made.
    fn spill(&self, held: &[u8]) -> Result<SpoolTo> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            ".framescope-{}-{}-{nanos}.tmp",
            self.name,
            std::process::id()
        ));
        match create_private(&path) {
            Ok(file) => {
                let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
                if let Err(e) = w.write_all(held) {
                    drop(w);
                    remove_pending(&path);
                    return Err(Spool::temp_error(&path, e));
                }
                Ok(SpoolTo::Temp(path, w))
            }
            Err(e) => {
                eprintln!(
                    "framescope: warning: {}: {e}; the output goes out as it is made \
                     (an error later would leave it cut short): set TMPDIR to a writable \
                     folder, or use --out",
                    path.display()
                );
                let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
                w.write_all(held)
                    .map_err(|e| Error::write(Path::new("<stdout>"), e))?;
                Ok(SpoolTo::Direct(w))
            }
        }
    }

    /// Hand the output on: rename the file into place, or print what is
    /// held (a closed pipe comes back as a write error the binary treats
    /// as success).
    pub fn finish(mut self) -> Result<()> {
        let stdout_err = |e| Error::write(Path::new("<stdout>"), e);
        match self.to.take() {
            Some(SpoolTo::File(out)) => {
                let (f, mut set) = *out;
                set.finish(f)?;
                set.commit()
            }
            Some(SpoolTo::Memory(held)) => write_stdout(&held),
            Some(SpoolTo::Temp(path, w)) => {
                let file = w
                    .into_inner()
                    .map_err(|e| Spool::temp_error(&path, e.into_error()))?;
                drop(file);
                let copied = std::fs::File::open(&path)
                    .map_err(|e| Spool::temp_error(&path, e))
                    .and_then(|mut f| {
                        let mut out = std::io::stdout().lock();
                        std::io::copy(&mut f, &mut out)
                            .and_then(|_| out.flush())
                            .map_err(stdout_err)
                    });
                remove_pending(&path);
                copied
            }
            Some(SpoolTo::Direct(mut w)) => w.flush().map_err(stdout_err),
            None => Ok(()),
        }
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        // Not handed on (an error midway): the temporary goes.
        if let Some(SpoolTo::Temp(path, _)) = &self.to {
            remove_pending(path);
        }
    }
}

/// Write one file atomically.
pub fn write_atomic(path: &Path, bytes: Vec<u8>) -> Result<()> {
    let mut set = OutputSet::default();
    set.add(path.to_path_buf(), bytes);
    set.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table's header and rows through a [`CsvSink`].
    fn written(t: &Table) -> Vec<u8> {
        let mut sink = CsvSink::new(Vec::new());
        sink.header(t.columns.clone());
        for r in &t.rows {
            sink.row(r.clone());
        }
        sink.into_inner().unwrap()
    }

    #[test]
    fn csv_sink_writes_the_bytes_of_a_table() {
        let mut t = Table::new(["a", "b,c", "d\"e"]);
        let text = |s: &str| Cell::Str(s.to_string());
        t.rows = vec![
            vec![text("plain"), Cell::Int(0), Cell::Float(0.1 + 0.2)],
            vec![text("=SUM(A1)"), Cell::Int(u64::MAX), Cell::Float(1e-7)],
            vec![
                Cell::Text("line\nbreak, \"quoted\"".into()),
                Cell::Empty,
                Cell::Float(f64::NAN),
            ],
            vec![text("-1"), Cell::Bool(true), Cell::Float(f64::NEG_INFINITY)],
            vec![text(""), Cell::Bool(false), Cell::Float(2e16)],
            vec![text("@x"), text("\ttab"), Cell::Float(-0.0)],
        ];
        let got = String::from_utf8(written(&t)).unwrap();
        assert_eq!(got, String::from_utf8(t.to_csv()).unwrap());
        assert!(
            got.contains("'=SUM(A1),18446744073709551615,1e-7\n"),
            "{got}"
        );
    }

    /// A float given with its text makes the bytes of the float alone,
    /// among floats of the same column that repeat and change (the
    /// column's last text stays that of its last float cell).
    #[test]
    fn formatted_floats_are_the_floats_bytes() {
        let pool = [
            0.0,
            -0.0,
            f64::NAN,
            f64::INFINITY,
            1.0 / 3.0,
            0.25,
            1e-7,
            2e16,
        ];
        let texts: Vec<String> = pool.iter().map(|&v| float_text(v)).collect();
        let mut next = crate::testing::xorshift(0xF0);
        let mut floats = CsvSink::appending(Vec::new());
        let mut formatted = CsvSink::appending(Vec::new());
        for _ in 0..2000 {
            let row: Vec<(usize, bool)> = (0..3)
                .map(|_| {
                    let r = next();
                    ((r % pool.len() as u64) as usize, (r >> 8) % 2 == 0)
                })
                .collect();
            let plain: Vec<CellRef> = row.iter().map(|&(k, _)| CellRef::Float(pool[k])).collect();
            let mixed: Vec<CellRef> = row
                .iter()
                .map(|&(k, made)| match made {
                    true => CellRef::Formatted(pool[k], &texts[k]),
                    false => CellRef::Float(pool[k]),
                })
                .collect();
            floats.row_ref(&plain);
            formatted.row_ref(&mixed);
            for c in &mixed {
                if let CellRef::Formatted(v, _) = c {
                    assert_eq!(
                        format!("{:?}", c.to_cell()),
                        format!("{:?}", Cell::Float(*v))
                    );
                }
            }
        }
        let want = floats.into_bytes().unwrap();
        assert!(want.len() > 2000 * 6);
        assert_eq!(formatted.into_bytes().unwrap(), want);
    }

    /// Floats that repeat down a column are copied from the last one
    /// written there: the bytes are still each float's own, whatever
    /// came before it (0 after -0, a NaN whose bits are all ones first,
    /// an empty cell between two floats, columns past those remembered).
    #[test]
    fn repeated_floats_are_written_as_themselves() {
        let pool = [
            0.0,
            -0.0,
            f64::from_bits(u64::MAX),
            f64::NAN,
            f64::INFINITY,
            1.0 / 3.0,
            2.5,
            1e21,
            -7e-9,
        ];
        let width = FLOAT_COLUMNS + 3;
        let mut t = Table::new((0..width).map(|i| format!("c{i}")));
        // A fixed walk through the pool: runs of repeats and changes.
        let mut x = 12345u64;
        for _ in 0..3000 {
            let row = (0..width)
                .map(|_| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    match (x >> 33) % 13 {
                        k if (k as usize) < pool.len() => Cell::Float(pool[k as usize]),
                        9 => Cell::Empty,
                        _ => t
                            .rows
                            .last()
                            .map_or(Cell::Float(0.5), |r: &Vec<Cell>| r[0].clone()),
                    }
                })
                .collect();
            t.rows.push(row);
        }
        assert_eq!(written(&t), t.to_csv());
        let mut one = CsvSink::new(Vec::new());
        for v in [f64::from_bits(u64::MAX), 0.0, -0.0, -0.0, 0.0] {
            one.row_ref(&[CellRef::Float(v)]);
        }
        assert_eq!(one.into_inner().unwrap(), b"\"\"\n0\n-0\n-0\n0\n");
    }

    /// Rows appended to bytes already there are those bytes, then the
    /// bytes a sink writing to its own writer makes; a record of another
    /// width is an error, as it is for a writer.
    #[test]
    fn rows_appended_to_bytes_are_the_rows_written() {
        let rows = |s: &mut dyn RowSink| {
            for i in 0..5000u64 {
                s.row_ref(&[
                    CellRef::Str("doc, \"1\""),
                    CellRef::Int(i),
                    CellRef::Float(i as f64 / 3.0),
                ]);
            }
        };
        let mut written = CsvSink::new(Vec::new());
        rows(&mut written);
        let written = written.into_inner().unwrap();
        assert!(written.len() > CSV_FLUSH_AT);
        let mut appended = CsvSink::appending(b"head\n".to_vec());
        rows(&mut appended);
        let appended = appended.into_bytes().unwrap();
        assert_eq!(&appended[..5], b"head\n");
        assert_eq!(&appended[5..], &written[..]);
        let mut bad = CsvSink::appending(Vec::new());
        bad.row_ref(&[CellRef::Int(1), CellRef::Int(2)]);
        bad.row_ref(&[CellRef::Int(1)]);
        assert!(bad.into_bytes().is_err());
    }

    #[test]
    fn rows_in_parallel_are_rows_in_order() {
        // Item i is i % 5 rows: items of many rows and of none. The sizes
        // give chunks of 1 item, of some, and of the most (1024), at
        // several thread counts, so one window or many.
        let row = |i: usize, s: &mut dyn RowSink| {
            for k in 0..i % 5 {
                s.row(vec![Cell::Int(i as u64), Cell::Float((i + k) as f64 / 7.0)]);
            }
        };
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            for n in [0, 1, 31, 1000, 10_000, 200_000] {
                let mut serial = CsvSink::new(Vec::new());
                for i in 0..n {
                    row(i, &mut serial);
                }
                let mut par = Vec::new();
                pool.install(|| {
                    par_rows(&mut par, n, &|i, s| {
                        row(i, s);
                        Ok(())
                    })
                })
                .unwrap();
                assert_eq!(
                    par,
                    serial.into_inner().unwrap(),
                    "{n} items, {threads} threads"
                );
            }
        }
    }

    #[test]
    fn csv_quotes_and_escapes() {
        let mut t = Table::new(["a", "b", "c"]);
        t.rows.push(vec![
            Cell::Text("=1+1".into()),
            Cell::Str("x, \"y\"".into()),
            Cell::Float(0.5),
        ]);
        t.rows
            .push(vec![Cell::Text("-dash".into()), Cell::Empty, Cell::Int(3)]);
        assert_eq!(
            String::from_utf8(t.to_csv()).unwrap(),
            "a,b,c\n'=1+1,\"x, \"\"y\"\"\",0.5\n'-dash,,3\n"
        );
    }

    #[test]
    fn json_rows() {
        let mut t = Table::new(["a", "b"]);
        t.rows.push(vec![Cell::Str("x".into()), Cell::Empty]);
        assert_eq!(
            String::from_utf8(t.to_json()).unwrap(),
            "[\n{\"a\":\"x\",\"b\":null}\n]\n"
        );
        assert_eq!(
            String::from_utf8(Table::new(["a"]).to_json()).unwrap(),
            "[\n]\n"
        );
    }

    #[test]
    fn floats_round_trip() {
        assert_eq!(float_text(2.4311183144246353), "2.4311183144246353");
        // Exactly 233115890514796.125: …796.12 and …796.13 both read back.
        assert_eq!(
            float_text(f64::from_bits(0x42ea_8090_bb0f_6d84)),
            "233115890514796.12"
        );
        assert_eq!(float_text(-0.0), "-0");
        assert_eq!(float_text(0.0), "0");
        assert_eq!(float_text(1e16), "1e16");
        assert_eq!(float_text(9999999999999998.0), "9999999999999998");
        assert_eq!(float_text(-1.5e300), "-1.5e300");
        assert_eq!(
            float_text(f64::MIN_POSITIVE / 4.0),
            "5.562684646268003e-309"
        );
        assert_eq!(float_text(1e-7), "1e-7");
        assert_eq!(float_text(0.00001), "0.00001");
        assert_eq!(float_text(2.7493719063376363e-7), "2.7493719063376363e-7");
        assert_eq!(
            float_text(1.7958327848007363e-219),
            "1.7958327848007363e-219"
        );
        assert_eq!(float_text(3.0), "3");
    }

    /// The text std's `{}` and `{:e}` would give, switching as documented.
    fn std_float_text(v: f64) -> String {
        if v != 0.0 && (v.abs() < 1e-5 || v.abs() >= 1e16) {
            format!("{v:e}")
        } else {
            format!("{v}")
        }
    }

    #[test]
    fn csv_sink_bytes_are_the_csv_crates() {
        // Random tables of awkward cells (quotes, commas, line breaks,
        // formula starts, empty text, non-ASCII), some of one column so
        // that a record of one empty field occurs; the sink writes its own
        // bytes and must match Table::to_csv, which uses the csv crate.
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1Du64);
        // Long pieces too: fields of every length up to past 32 bytes,
        // with a special byte in any of their 8-byte words.
        let pieces = [
            "",
            "a",
            ",",
            "\"",
            "\r",
            "\n",
            "\r\n",
            "=",
            "-",
            "+",
            "@",
            "\t",
            " ",
            "é",
            "\"\"",
            "x,y",
            "1.5",
            "abcdefg",
            "0123456789abcdef",
            "communities",
        ];
        let text = |next: &mut dyn FnMut() -> u64| {
            let n = next() % 7;
            (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect::<String>()
        };
        let (mut quoted, mut lone_empty) = (0, 0);
        for _ in 0..2_000 {
            let width = 1 + (next() % 4) as usize;
            let mut t = Table::new((0..width).map(|_| text(&mut next)));
            for _ in 0..(next() % 6) {
                let row = (0..width)
                    .map(|_| match next() % 6 {
                        0 => Cell::Str(text(&mut next)),
                        1 => Cell::Text(text(&mut next)),
                        2 => Cell::Int(next() >> (next() % 64)),
                        3 => Cell::Float(f64::from_bits(next()) / 1e300),
                        4 => Cell::Bool(next() % 2 == 0),
                        _ => Cell::Empty,
                    })
                    .collect();
                t.rows.push(row);
            }
            let got = written(&t);
            let want = t.to_csv();
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want),
                "{t:?}"
            );
            quoted += got.starts_with(b"\"") as usize;
            lone_empty += (width == 1 && got.windows(3).any(|w| w == b"\"\"\n")) as usize;
        }
        // The awkward cases did come up.
        assert!(quoted > 50 && lone_empty > 10, "{quoted} {lone_empty}");
    }

    #[test]
    fn csv_sink_reports_a_ragged_row() {
        let mut sink = CsvSink::new(Vec::new());
        sink.header(vec!["a".into(), "b".into()]);
        sink.row(vec![Cell::Int(1)]);
        let err = sink.into_inner().unwrap_err();
        assert!(
            err.to_string().contains("1 fields after records of 2"),
            "{err}"
        );
    }

    #[test]
    fn float_text_is_stds() {
        // Random bit patterns (every exponent), and values like those the
        // tables hold: rates, p-values, counts, near the switch points.
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15u64);
        let (mut checked, mut ties) = (0, 0);
        for i in 0..400_000u64 {
            let r = next();
            let v = match i % 4 {
                0 => f64::from_bits(r),
                1 => (r >> 11) as f64 / (1u64 << 53) as f64 * 1000.0,
                2 => (r % 1_000_000) as f64 / ((r >> 40) % 100_000 + 1) as f64,
                _ => {
                    let bound: f64 = [1e-5, 1e16, 1e14, 1.0, 0.5, 2.5e14][(r % 6) as usize];
                    f64::from_bits(bound.to_bits().wrapping_add(r >> 60).wrapping_sub(8))
                }
            };
            if !v.is_finite() {
                continue;
            }
            let (ours, std) = (float_text(v), std_float_text(v));
            if ours != std {
                // A tie between two shortest forms: both read back to v,
                // both as short, and they differ in the last digit only.
                assert_eq!(ours.parse::<f64>(), Ok(v), "{:#x}", v.to_bits());
                assert_eq!(std.parse::<f64>(), Ok(v), "{:#x}", v.to_bits());
                assert_eq!(ours.len(), std.len(), "{ours} {std}");
                let same = ours
                    .bytes()
                    .zip(std.bytes())
                    .filter(|(a, b)| a == b)
                    .count();
                assert_eq!(same + 1, ours.len(), "{ours} {std}");
                ties += 1;
            }
            checked += 1;
        }
        assert!(checked > 350_000);
        // Values near 1e14 and 2.5e14 have short binary fractions: ties.
        assert!(ties > 0);
    }
}
