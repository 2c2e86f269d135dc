//! Corpora: where documents come from, in what order, with what metadata.
//!
//! [`Corpus::open`] checks the source and lists what it can cheaply (a
//! folder's files, a manifest); [`Corpus::documents`] then reads one
//! document at a time, so a 1 GB `.jsonl` is never in memory whole. This
//! module never tokenizes or counts.

mod csv;
mod dir;
pub use dir::exclude_pattern;
mod flatjson;
mod jsonarray;
mod jsonl;
mod manifest;

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How documents are read.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Replace invalid UTF-8 with U+FFFD (with a warning) instead of
    /// failing.
    pub lossy: bool,
    /// Fail on a binary file in a folder corpus instead of skipping it
    /// with a warning.
    pub strict: bool,
    /// The `.jsonl` field or `.csv` column that holds each document's
    /// text (`None`: `text`).
    pub text_field: Option<String>,
    /// The `.jsonl` field, or `.csv` or `manifest.csv` column, that holds
    /// each document's id (`None`: `id`).
    pub id_field: Option<String>,
    /// Metadata from the file names of a folder without a manifest: a
    /// file's stem split at [`ReadOptions::name_sep`] gives one value a
    /// name, in order (`-` leaves its part out). Empty: none.
    pub name_fields: Vec<String>,
    /// What separates the parts of a file name (`None`: `_`).
    pub name_sep: Option<String>,
    /// Number a repeated id (`a.2`, `a.3`, …, with a warning) instead of
    /// failing on it.
    pub unique_ids: bool,
    /// The metadata field that holds each document's date (`None`:
    /// `date`); it is read, shown and grouped as `date`.
    pub date_field: Option<String>,
    /// The encoding of the corpus's files (`None`: UTF-8, checked byte by
    /// byte): each file is decoded from it to UTF-8 as it is read (a
    /// byte-order mark wins, as browsers decide), bytes invalid in it
    /// becoming U+FFFD. Offsets are then those of the UTF-8 text.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// What separates the fields of a `.csv` corpus and of `manifest.csv`
    /// (`None`: a tab in a `.tsv` file, else a comma).
    pub separator: Option<u8>,
    /// Files and folders of a folder corpus (without a manifest) left
    /// out, by `.gitignore`-like patterns (see `--exclude`).
    pub exclude: Vec<String>,
    /// How a date of numbers with the year last (`04/03/2021`) is read:
    /// with an order, as that day and month, rewritten as an ISO date
    /// (`2021-04-03`) where the document is read, so that it is shown
    /// and grouped so; a date that is none in that order is an error.
    /// `None`: such a date is read as its year alone.
    pub date_order: Option<DateOrder>,
}

/// How the bytes of a CSV file of the corpus are read: the encoding they
/// are decoded from, and what separates the fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Form {
    pub enc: Enc,
    pub sep: u8,
}

/// A `--separator`: one ASCII character other than a quote or a line
/// end, or `tab` (`\t`).
///
/// ```
/// use framescope::corpus::separator_named;
/// assert_eq!(separator_named(";"), Ok(b';'));
/// assert_eq!(separator_named("tab"), Ok(b'\t'));
/// assert!(separator_named("::").is_err());
/// ```
pub fn separator_named(s: &str) -> std::result::Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ => match s.as_bytes() {
            [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => Ok(*b),
            [b'"'] => Err("'\"' quotes fields; give another separator, such as ';' or '|'".into()),
            [b'\n' | b'\r'] => Err("a line end ends records; give another separator, such as ';' or '|'".into()),
            _ if s.chars().count() == 1 => Err(format!(
                "{s:?} is not ASCII; give a separator of one ASCII character, such as ';' or '|', or tab"
            )),
            _ => Err(format!(
                "{s:?} is not a separator; give one character, such as ';' or '|', or tab"
            )),
        },
    }
}

/// The encoding a file is decoded from to UTF-8 as it is read
/// ([`ReadOptions::encoding`]); `None`: it is UTF-8, read as it is.
pub(crate) type Enc = Option<&'static encoding_rs::Encoding>;

/// An encoding by one of its WHATWG labels (`windows-1252`, `latin1`,
/// `utf-16le`, `shift_jis`, `gbk`, …, any case), for `--encoding`.
///
/// ```
/// use framescope::corpus::encoding_named;
/// assert_eq!(encoding_named("Latin1").unwrap().name(), "windows-1252");
/// assert!(encoding_named("klingon").unwrap_err().contains("windows-1252"));
/// ```
pub fn encoding_named(label: &str) -> std::result::Result<&'static encoding_rs::Encoding, String> {
    match encoding_rs::Encoding::for_label(label.trim().as_bytes()) {
        // The labels of encodings browsers refuse (ISO-2022-KR, HZ):
        // WHATWG decodes a whole file as one U+FFFD.
        Some(e) if e == encoding_rs::REPLACEMENT => Err(format!(
            "{label:?} is an encoding framescope cannot decode (WHATWG maps it to the \
             replacement encoding); convert the files to UTF-8 with iconv"
        )),
        Some(e) => Ok(e),
        None => Err(format!(
            "unknown encoding {label:?}; give a WHATWG label such as utf-8, windows-1252 \
             (or latin1), iso-8859-2, utf-16le, utf-16be, shift_jis, gbk or koi8-r"
        )),
    }
}

/// `input` decoded from `enc` to UTF-8 as it is read (as it is when
/// `enc` is `None`).
pub(crate) fn transcoded(
    input: Box<dyn std::io::Read + Send>,
    enc: Enc,
) -> Box<dyn std::io::Read + Send> {
    match enc {
        Some(e) => Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(e))
                // A byte-order mark wins, as in transcode_bytes.
                .bom_override(true)
                .build(input),
        ),
        None => input,
    }
}

/// A whole file's `bytes` decoded from `enc` to UTF-8 (as they are when
/// `enc` is `None`).
pub(crate) fn transcode_bytes(bytes: Vec<u8>, enc: Enc) -> Vec<u8> {
    match enc {
        Some(e) => e.decode(&bytes).0.into_owned().into_bytes(),
        None => bytes,
    }
}

/// How an error about a repeated id ends: what to do about it.
pub(crate) const REPEATED_ID_HINT: &str =
    "or give --unique-ids to number repeats (the second \"x\" read as \"x.2\")";

impl ReadOptions {
    /// The encoding files are decoded from, unless they are UTF-8.
    pub(crate) fn enc(&self) -> Enc {
        self.encoding.filter(|e| *e != encoding_rs::UTF_8)
    }

    /// How the CSV file at `path` is read.
    pub(crate) fn form(&self, path: &Path) -> Form {
        Form {
            enc: self.enc(),
            sep: self.separator.unwrap_or_else(|| manifest::separator(path)),
        }
    }

    /// The encoding's name, for run.json.
    pub fn encoding_name(&self) -> &'static str {
        self.encoding.unwrap_or(encoding_rs::UTF_8).name()
    }

    /// The name of the text's field or column.
    pub fn text_field(&self) -> &str {
        self.text_field.as_deref().unwrap_or("text")
    }

    /// The name of the id's field or column.
    pub fn id_field(&self) -> &str {
        self.id_field.as_deref().unwrap_or("id")
    }

    /// The name of the date's field or column.
    pub fn date_field(&self) -> &str {
        self.date_field.as_deref().unwrap_or("date")
    }

    /// The field `--date-field` renames to `date`, when it names another.
    pub(crate) fn renamed_date(&self) -> Option<&str> {
        self.date_field.as_deref().filter(|&f| f != "date")
    }

    /// What separates the parts of a file name for `name_fields`.
    pub fn name_sep(&self) -> &str {
        self.name_sep.as_deref().unwrap_or("_")
    }

    /// The hint an error about a missing text `field` (or column) ends
    /// with: the option that names another, or the option that named
    /// this one.
    pub(crate) fn text_hint(&self, field: &str) -> String {
        match self.text_field {
            None => format!(" (or name the {field} that holds it with --text-field)"),
            Some(_) => " (--text-field)".to_string(),
        }
    }
}

/// The kind of source a corpus was opened from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A folder of `.txt` files listed by `manifest.csv`.
    Manifest,
    /// A folder of `.txt` files without a manifest, in path order.
    Folder,
    /// One JSON object a line (optionally gzip-compressed).
    Jsonl,
    /// One JSON array of objects (`.json`; a `.json` file of JSON lines
    /// is read as `.jsonl`).
    Json,
    /// A CSV file with a `text` column.
    Csv,
    /// A CSV file with tabs between its fields (`.tsv`).
    Tsv,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Manifest => "folder+manifest",
            Format::Folder => "folder",
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
        })
    }
}

/// Metadata of a document: field → value, in the source's column order.
///
/// Every field and value is kept in one string (two allocations a
/// document, not two a field): the pass keeps every document's metadata,
/// and a corpus can have hundreds of thousands of documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// Each field, then its value, one after another.
    text: Box<str>,
    /// Where each field and each value ends in `text`.
    ends: Box<[usize]>,
}

impl Meta {
    /// Metadata from ordered pairs.
    ///
    /// ```
    /// use framescope::corpus::Meta;
    /// let m = Meta::new(vec![("date".into(), "2024-07".into()), ("title".into(), "".into())]);
    /// assert_eq!(m.iter().collect::<Vec<_>>(), [("date", "2024-07"), ("title", "")]);
    /// assert_eq!(m.get("title"), Some(""));
    /// ```
    pub fn new(pairs: Vec<(String, String)>) -> Meta {
        Meta::from_pairs(&pairs)
    }

    /// [`Meta::new`] of borrowed or owned fields and values.
    pub(crate) fn from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Meta {
        let size = pairs
            .iter()
            .map(|(k, v)| k.as_ref().len() + v.as_ref().len())
            .sum();
        let mut text = String::with_capacity(size);
        let mut ends = Vec::with_capacity(pairs.len() * 2);
        for (k, v) in pairs {
            text.push_str(k.as_ref());
            ends.push(text.len());
            text.push_str(v.as_ref());
            ends.push(text.len());
        }
        Meta {
            text: text.into(),
            ends: ends.into(),
        }
    }

    /// The value of a field, if the document has it.
    pub fn get(&self, field: &str) -> Option<&str> {
        Fields::value(self, field)
    }

    /// The value of a grouping field for the document `id` (see
    /// [`Fields::field`]).
    pub fn field(&self, id: &str, field: &str) -> Option<String> {
        Fields::field(self, id, field)
    }

    /// The fields a document can be grouped by, for error messages.
    pub fn group_fields(&self) -> Vec<String> {
        Fields::group_fields(self)
    }

    /// The metadata with the value of `field` (which it has) replaced.
    fn with_value(&self, field: &str, value: &str) -> Meta {
        let pairs: Vec<(&str, &str)> = self
            .iter()
            .map(|(k, v)| (k, if k == field { value } else { v }))
            .collect();
        Meta::from_pairs(&pairs)
    }

    /// The metadata with field `from` named `to`, if it has `from`.
    fn renamed(&self, from: &str, to: &str) -> Option<Meta> {
        self.get(from)?;
        let pairs: Vec<(&str, &str)> = self
            .iter()
            .map(|(k, v)| (if k == from { to } else { k }, v))
            .collect();
        Some(Meta::from_pairs(&pairs))
    }

    /// The fields and values in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.ends.chunks_exact(2).scan(0, |start, e| {
            let (k, v) = (&self.text[*start..e[0]], &self.text[e[0]..e[1]]);
            *start = e[1];
            Some((k, v))
        })
    }
}

/// A document's metadata, wherever it is kept: a [`Meta`] read with its
/// document, or a stored document's ([`crate::analyze::MetaRef`]).
pub trait Fields {
    /// The fields and values in order.
    fn pairs(&self) -> impl Iterator<Item = (&str, &str)>;

    /// The value of a field, if the document has it.
    fn value(&self, field: &str) -> Option<&str> {
        self.pairs().find(|&(k, _)| k == field).map(|(_, v)| v)
    }

    /// The value of a grouping field for the document `id`: a metadata
    /// field, `id`, or `year` (a `year` field if there is one, else the
    /// year of `date`).
    fn field(&self, id: &str, field: &str) -> Option<String> {
        self.field_ref(id, field).map(Cow::into_owned)
    }

    /// [`Fields::field`], borrowed from the metadata or `id` where it can
    /// be: a year is the first four digits of its date, unless they start
    /// with a zero (`0999` is year 999).
    fn field_ref<'a>(&'a self, id: &'a str, field: &str) -> Option<Cow<'a, str>> {
        match field {
            "id" | "doc_id" => Some(Cow::Borrowed(id)),
            "year" => match self.value("year") {
                Some(y) => Some(Cow::Borrowed(float_year(y).unwrap_or(y))),
                None => {
                    let date = self.value("date")?;
                    let d = Date::parse(date)?;
                    // An ISO date starts with its year's four digits; a
                    // date in words (`March 4, 2021`) has them elsewhere.
                    match date.trim().get(..4) {
                        Some(y) if !y.starts_with('0') && y.bytes().all(|b| b.is_ascii_digit()) => {
                            Some(Cow::Borrowed(y))
                        }
                        _ => Some(Cow::Owned(d.year.to_string())),
                    }
                }
            },
            f => self.value(f).map(Cow::Borrowed),
        }
    }

    /// The fields a document can be grouped by, for error messages.
    fn group_fields(&self) -> Vec<String> {
        let mut known = vec!["id".to_string()];
        known.extend(self.pairs().map(|(k, _)| k.to_string()));
        // A year from the date, when there is one to take.
        if self.value("year").is_none() && self.value("date").and_then(Date::parse).is_some() {
            known.push("year".to_string());
        }
        known
    }
}

impl Fields for Meta {
    fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.iter()
    }
}

/// A date of year, year-month or full precision (`2022`, `2024-07`,
/// `2018-10-14`); a longer ISO timestamp is read by its date part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Date {
    /// The forms [`Date::parse`] reads, as messages name them.
    pub const FORMS: &'static str =
        "2022, 2024-07, 2018-10-14, an ISO timestamp, 2018/10/14, 14/10/2018 or an English \
         date such as March 4, 2021";

    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (anything after a `T` or a
    /// space following a full date is ignored), a date of numbers with
    /// `/` or `.` ([`Date::parse_numeric`]: `04/03/2021` is read as its
    /// year alone), or a date with an English month name
    /// ([`Date::parse_words`]).
    ///
    /// ```
    /// use framescope::corpus::Date;
    /// assert_eq!(Date::parse("2024-07").unwrap().month, Some(7));
    /// let d = |s| Date::parse(s).map(|d| (d.year, d.month, d.day));
    /// assert_eq!(d("July 2024"), Some((2024, Some(7), None)));
    /// assert_eq!(d("March 4, 2021"), Some((2021, Some(3), Some(4))));
    /// assert_eq!(d("4 Sept. 2021"), Some((2021, Some(9), Some(4))));
    /// assert_eq!(d("Wed Oct 10 20:19:24 +0000 2018"), Some((2018, Some(10), Some(10))));
    /// assert_eq!(d("2021-03-04T12:00:00Z"), Some((2021, Some(3), Some(4))));
    /// assert_eq!(d("Spring 2021"), None);
    /// assert_eq!(d("2021/03/04"), Some((2021, Some(3), Some(4))));
    /// // Day and month either way round: the year alone (see DateOrder).
    /// assert_eq!(d("04/03/2021"), Some((2021, None, None)));
    /// assert_eq!(d("6/5/2019 2:30 PM"), Some((2019, None, None)));
    /// assert_eq!(d("13/13/2021"), None);
    /// assert_eq!(d("04/03/21"), None);
    /// assert_eq!(d("March 4 5, 2021"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Date> {
        // The usual shapes, `YYYY-MM-DD`, `YYYY-MM` and `YYYY`, read by
        // their bytes; anything else (spaces, a time) the general way.
        let b = s.as_bytes();
        let digit = |i: usize| b[i].wrapping_sub(b'0');
        let number = |at: usize, n: usize| -> Option<u32> {
            (at..at + n).try_fold(0u32, |v, i| {
                (digit(i) < 10).then(|| v * 10 + digit(i) as u32)
            })
        };
        if matches!(b.len(), 4 | 7 | 10) && (b.len() == 4 || b[4] == b'-') {
            if let Some(year) = number(0, 4) {
                let month = match b.len() {
                    4 => Some(None),
                    _ => number(5, 2).map(Some),
                };
                let day = match b.len() {
                    10 if b[7] == b'-' => number(8, 2).map(Some),
                    10 => None,
                    _ => Some(None),
                };
                if let (Some(month), Some(day)) = (month, day) {
                    let in_range =
                        |v: Option<u32>, hi: u32| v.is_none_or(|v| (1..=hi).contains(&v));
                    return (in_range(month, 12) && in_range(day, 31)).then_some(Date {
                        year: year as i32,
                        month: month.map(|m| m as u8),
                        day: day.map(|d| d as u8),
                    });
                }
            }
        }
        Date::parse_any(s)
    }

    /// [`Date::parse`] of any text.
    fn parse_any(s: &str) -> Option<Date> {
        let s = s.trim();
        if let Some(y) = float_year(s) {
            return Date::parse(y);
        }
        Date::parse_iso(s)
            .or_else(|| Date::parse_numeric(s))
            .or_else(|| Date::parse_words(s))
    }

    /// A date of numbers with `/` or `.` between them, year first
    /// (`2021/03/04`, `2021.3.4`: read whole), or year last with `/`, `.`
    /// or `-` (`04/03/2021`, as spreadsheets write dates): read as its
    /// year alone, since its day and month could be either way round
    /// ([`DateOrder`] reads them whole). A time may follow after a space
    /// (`6/5/2019 14:30`, `6/5/2019 2:30 PM`).
    fn parse_numeric(s: &str) -> Option<Date> {
        match Numeric::of(s)? {
            Numeric::YearFirst { year, month, day } => valid_day(month, day).then_some(Date {
                year,
                month: Some(month),
                day: Some(day),
            }),
            Numeric::YearLast { a, b, year } => {
                let either = valid_day(a, b) || valid_day(b, a);
                either.then_some(Date {
                    year,
                    month: None,
                    day: None,
                })
            }
        }
    }

    /// Whether `s` is a date of numbers with the year last (`04/03/2021`)
    /// that [`Date::parse`] reads as its year alone (a day of that year in
    /// one order or the other).
    ///
    /// ```
    /// use framescope::corpus::Date;
    /// assert!(Date::is_day_month(" 6/5/2019 14:30"));
    /// assert!(!Date::is_day_month("2019/06/05"));
    /// assert!(!Date::is_day_month("2019-06-05"));
    /// ```
    pub fn is_day_month(s: &str) -> bool {
        // Only a year-last date is read without its month.
        Date::parse_numeric(s.trim()).is_some_and(|d| d.month.is_none())
    }

    /// `s` as an ISO date (`YYYY-MM-DD`, then a space and the time that
    /// followed the date) when it is a date of numbers: year first
    /// (`2021/03/04`), or year last (`04/03/2021`), its day and month read
    /// in `order`. `None` when it is of neither form, `Some(Err(why))`
    /// when it is no date in that order (a 13th month).
    ///
    /// ```
    /// use framescope::corpus::{Date, DateOrder};
    /// let iso = |s, o| Date::iso_in_order(s, o).map(|r| r.map_err(|_| ()));
    /// assert_eq!(iso("04/03/2021", DateOrder::Mdy), Some(Ok("2021-04-03".to_string())));
    /// assert_eq!(iso("04/03/2021", DateOrder::Dmy), Some(Ok("2021-03-04".to_string())));
    /// assert_eq!(iso("6.5.2019 14:30", DateOrder::Dmy), Some(Ok("2019-05-06 14:30".to_string())));
    /// assert_eq!(iso("4/3/2021\t2:30 PM", DateOrder::Mdy), Some(Ok("2021-04-03 2:30 PM".to_string())));
    /// assert_eq!(iso("2021/3/4", DateOrder::Dmy), Some(Ok("2021-03-04".to_string())));
    /// assert_eq!(iso("25/12/2020", DateOrder::Mdy), Some(Err(())));
    /// assert_eq!(iso("2021-03-04", DateOrder::Mdy), None);
    /// ```
    pub fn iso_in_order(s: &str, order: DateOrder) -> Option<std::result::Result<String, String>> {
        let s = s.trim();
        let (year, month, day) = match Numeric::of(s)? {
            Numeric::YearFirst { year, month, day } => (year, month, day),
            Numeric::YearLast { a, b, year } => match order {
                DateOrder::Mdy => (year, a, b),
                DateOrder::Dmy => (year, b, a),
            },
        };
        if !valid_day(month, day) {
            let what = if (1..=12).contains(&month) {
                format!("day {day}, which no month has")
            } else {
                format!("month {month}, which no year has")
            };
            return Some(Err(format!(
                "--date-order {} reads it as {what}",
                order.name()
            )));
        }
        let time = s.find(char::is_whitespace).map_or("", |i| s[i..].trim());
        let sep = if time.is_empty() { "" } else { " " };
        Some(Ok(format!("{year:04}-{month:02}-{day:02}{sep}{time}")))
    }

    /// An ISO date, maybe followed by a time.
    fn parse_iso(s: &str) -> Option<Date> {
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let (date, _time) = match s.find(['T', ' ']) {
            Some(10) => (&s[..10], Some(&s[10..])),
            Some(_) => return None,
            None => (s, None),
        };
        let mut parts = date.split('-');
        let y = parts.next()?;
        if !digits(y, 4) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month = match parts.next() {
            None => None,
            Some(m) if digits(m, 2) => {
                let m: u8 = m.parse().ok()?;
                (1..=12).contains(&m).then_some(m)?.into()
            }
            Some(_) => return None,
        };
        let day = match parts.next() {
            None => None,
            Some(d) if digits(d, 2) => {
                let d: u8 = d.parse().ok()?;
                (1..=31).contains(&d).then_some(d)?.into()
            }
            Some(_) => return None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// A date written with an English month name: `March 4, 2021`,
    /// `4 March 2021`, `Mar. 4, 2021`, `March 2021`, a weekday allowed
    /// (`Wed Oct 10 20:19:24 +0000 2018`, as Twitter writes it). One month
    /// name, one four-digit year, at most one day of one or two digits;
    /// any other word, or a number of another shape, and it is no date.
    fn parse_words(s: &str) -> Option<Date> {
        const MONTHS: [&str; 12] = [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ];
        const WEEKDAYS: [&str; 7] = [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ];
        let (mut year, mut month, mut day) = (None, None, None);
        for w in s.split([' ', ',']).filter(|w| !w.is_empty()) {
            let word = w.strip_suffix('.').unwrap_or(w).to_ascii_lowercase();
            let named = |names: &[&str]| {
                names.iter().position(|n| {
                    *n == word
                        || (word.len() >= 3
                            && n.starts_with(&word)
                            && (word.len() == 3 || word == "sept"))
                })
            };
            if word.bytes().all(|b| b.is_ascii_alphabetic()) {
                if let Some(m) = named(&MONTHS) {
                    if month.replace(m as u8 + 1).is_some() {
                        return None;
                    }
                } else if named(&WEEKDAYS).is_none() {
                    return None;
                }
            } else if word.bytes().all(|b| b.is_ascii_digit()) {
                match word.len() {
                    4 if year.is_none() => year = Some(word.parse::<i32>().ok()?),
                    1 | 2 if day.is_none() => {
                        let d: u8 = word.parse().ok()?;
                        day = Some((1..=31).contains(&d).then_some(d)?);
                    }
                    _ => return None,
                }
            } else if !(word.contains(':') || word.starts_with(['+', '-'])) {
                // A time (`20:19:24`) or a zone (`+0000`) is let be.
                return None;
            }
        }
        let month = month?;
        Some(Date {
            year: year?,
            month: Some(month),
            day,
        })
    }

    /// The date as a fractional year, a partial date placed at the start
    /// of its period: `2022` → 2022.0, `2024-07` → 2024.5 (day 182 of 366),
    /// `2018-10-14` → 2018 + 286/365.
    ///
    /// ```
    /// use framescope::corpus::Date;
    /// assert_eq!(Date::parse("2022").unwrap().fractional_year(), 2022.0);
    /// assert_eq!(Date::parse("2023-01-01").unwrap().fractional_year(), 2023.0);
    /// assert_eq!(Date::parse("2024-07").unwrap().fractional_year(), 2024.0 + 182.0 / 366.0);
    /// ```
    pub fn fractional_year(&self) -> f64 {
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
        let month = self.month.unwrap_or(1);
        let day_of_year: u32 = (1..month)
            .map(|m| days_in_month(self.year, m) as u32)
            .sum::<u32>()
            + self.day.unwrap_or(1) as u32
            - 1;
        self.year as f64 + day_of_year as f64 / if leap { 366.0 } else { 365.0 }
    }
}

/// The year of a year written as a float (`2019.0`, as pandas writes a
/// column of years with gaps in it): its four digits.
///
/// ```
/// # use framescope::corpus::float_year;
/// assert_eq!(float_year("2019.0"), Some("2019"));
/// assert_eq!(float_year("2019.00"), Some("2019"));
/// assert_eq!(float_year("2019.5"), None);
/// assert_eq!(float_year("2019"), None);
/// ```
pub fn float_year(s: &str) -> Option<&str> {
    let (y, frac) = s.split_once('.')?;
    (y.len() == 4
        && y.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b == b'0'))
    .then_some(y)
}

/// The order of day and month in a date of numbers with the year last
/// (`04/03/2021`), for `--date-order`: `mdy` reads it as April 3 (as US
/// spreadsheets write dates), `dmy` as 4 March (as most of the world
/// does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    /// Month, day, year.
    Mdy,
    /// Day, month, year.
    Dmy,
}

impl DateOrder {
    /// The order named `mdy` or `dmy` (any case), for `--date-order`.
    ///
    /// ```
    /// use framescope::corpus::DateOrder;
    /// assert_eq!(DateOrder::named("MDY"), Ok(DateOrder::Mdy));
    /// assert!(DateOrder::named("ymd").is_err());
    /// ```
    pub fn named(s: &str) -> std::result::Result<DateOrder, String> {
        match s.to_ascii_lowercase().as_str() {
            "mdy" => Ok(DateOrder::Mdy),
            "dmy" => Ok(DateOrder::Dmy),
            "ymd" => Err(
                "year-first dates (2021/04/03, 2021-04-03) are read whole as they \
                 are; --date-order reads dates with the year last: give mdy or dmy"
                    .into(),
            ),
            _ => Err(format!(
                "{s:?} is not an order; give mdy (04/03/2021 is April 3) or dmy (4 March)"
            )),
        }
    }

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::Mdy => "mdy",
            DateOrder::Dmy => "dmy",
        }
    }
}

/// A date of numbers split by `/`, `.` or `-` (see [`Date::parse_numeric`]).
enum Numeric {
    /// `2021/03/04`, `2021.3.4`: read whole (when a date).
    YearFirst { year: i32, month: u8, day: u8 },
    /// `04/03/2021`: two numbers of one or two digits, then the year.
    YearLast { a: u8, b: u8, year: i32 },
}

impl Numeric {
    /// `s` (trimmed) as a date of numbers, maybe followed by a time after
    /// a space.
    fn of(s: &str) -> Option<Numeric> {
        // A time after any white space (a tab, a no-break space).
        let (date, time) = match s.find(char::is_whitespace) {
            Some(i) => (&s[..i], Some(&s[i..])),
            None => (s, None),
        };
        if let Some(t) = time {
            if !is_time(t.trim()) {
                return None;
            }
        }
        let sep = date.bytes().find(|b| matches!(b, b'/' | b'.' | b'-'))?;
        let mut parts = date.split(sep as char);
        let (p, q, r) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let digits = |x: &str, lo: usize, hi: usize| {
            (lo..=hi).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit())
        };
        if digits(p, 4, 4) && digits(q, 1, 2) && digits(r, 1, 2) && sep != b'-' {
            return Some(Numeric::YearFirst {
                year: p.parse().ok()?,
                month: q.parse().ok()?,
                day: r.parse().ok()?,
            });
        }
        if digits(p, 1, 2) && digits(q, 1, 2) && digits(r, 4, 4) {
            return Some(Numeric::YearLast {
                a: p.parse().ok()?,
                b: q.parse().ok()?,
                year: r.parse().ok()?,
            });
        }
        None
    }
}

/// A time of day as spreadsheets write one after a date: `14:30`,
/// `14:30:05`, `2:30 PM`, `14:30:05.250`.
fn is_time(t: &str) -> bool {
    let twelve = t
        .strip_suffix(['M', 'm'])
        .and_then(|t| t.strip_suffix(['A', 'a', 'P', 'p']))
        .map(str::trim_end);
    let mut parts = twelve.unwrap_or(t).split(':');
    let number = |x: &str, lens: &[usize], max: u32| {
        lens.contains(&x.len())
            && x.bytes().all(|b| b.is_ascii_digit())
            && x.parse::<u32>().is_ok_and(|v| v <= max)
    };
    let (Some(hour), Some(min), sec) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let hour_ok = match twelve {
        // `2:30 PM`: hours 1 to 12.
        Some(_) => number(hour, &[1, 2], 12) && hour.parse::<u32>().is_ok_and(|h| h >= 1),
        None => number(hour, &[1, 2], 23),
    };
    let sec_ok = sec.is_none_or(|s| {
        let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
        number(whole, &[2], 60) && !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit())
    });
    hour_ok && number(min, &[2], 59) && sec_ok && parts.next().is_none()
}

/// Whether `day` of `month` is a date: a month 1 to 12 and a day 1 to
/// 31, as ISO dates are read (`2021-02-30` is let be).
fn valid_day(month: u8, day: u8) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// The days of `month` (1–12) in `year`.
fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// One document: its id, its text and its metadata.
#[derive(Debug, Clone)]
pub struct Document {
    /// 0-based position in the corpus.
    pub index: usize,
    /// Unique id (from the source, or derived: file stem, `textN`).
    pub id: String,
    /// The full text, UTF-8.
    pub text: String,
    /// Metadata fields other than `id`, `text` and `file`.
    pub meta: Meta,
}

impl Document {
    /// The value of a grouping field; see [`Meta::field`].
    pub fn field(&self, field: &str) -> Option<String> {
        self.meta.field(&self.id, field)
    }
}

/// An opened corpus: a source checked and ready to read.
#[derive(Debug)]
pub struct Corpus {
    path: PathBuf,
    format: Format,
    options: ReadOptions,
    /// Files of a folder corpus, in document order.
    entries: Vec<dir::Entry>,
    /// Metadata columns known before reading (folder corpora).
    columns: Vec<String>,
    /// How much of the corpus the documents read so far came from: bytes
    /// of the file (compressed, for `.gz`), or files of a folder.
    read: ReadCount,
    /// All of it: the file's size in bytes, or the folder's files.
    size: u64,
}

/// A share of a corpus read, counted by its reader ([`Corpus::read_share`]).
pub(crate) type ReadCount = std::sync::Arc<std::sync::atomic::AtomicU64>;

/// A source read through it adds the bytes it gives to a [`ReadCount`].
pub(crate) struct Counted<R> {
    inner: R,
    read: ReadCount,
}

impl<R> Counted<R> {
    pub(crate) fn new(inner: R, read: &ReadCount) -> Counted<R> {
        Counted {
            inner,
            read: read.clone(),
        }
    }
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// Is the file gzip-compressed (by its name)?
pub(crate) fn is_gz(path: &Path) -> bool {
    path.to_string_lossy().to_lowercase().ends_with(".gz")
}

/// The error of a failed read: of damaged data, for a `.gz` file.
pub(crate) fn read_error(path: &Path, e: std::io::Error) -> Error {
    if is_gz(path) {
        Error::read_gz(path, e)
    } else {
        Error::read(path, e)
    }
}

/// `input`, the contents of the file at `path`, decompressed as it is
/// read when the file is gzip-compressed (by its name; every member of a
/// multi-member file, as `gzip -d` reads it).
pub(crate) fn decompressed<R: std::io::Read + Send + 'static>(
    path: &Path,
    input: R,
) -> Box<dyn std::io::Read + Send> {
    if is_gz(path) {
        Box::new(flate2::read::MultiGzDecoder::new(input))
    } else {
        Box::new(input)
    }
}

impl Corpus {
    /// Open a corpus: a folder (with or without `manifest.csv`), or a
    /// `.jsonl`, `.json`, `.csv` or `.tsv` file (any of them `.gz`).
    pub fn open(path: &Path, options: &ReadOptions) -> Result<Corpus> {
        let md = std::fs::metadata(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::file(
                    path,
                    "no such file or folder; give a folder of .txt files, a \
                     .jsonl or a .csv file with --corpus",
                )
            } else {
                Error::read(path, e)
            }
        })?;
        let mut corpus = Corpus {
            path: path.to_path_buf(),
            format: Format::Folder,
            options: options.clone(),
            entries: Vec::new(),
            columns: Vec::new(),
            read: ReadCount::default(),
            size: md.len(),
        };
        if options.name_sep.is_some() && options.name_fields.is_empty() {
            return Err(Error::file(
                path,
                "--name-sep separates the parts of file names that --name-fields \
                 names; give --name-fields too",
            ));
        }
        if options.id_field() == options.text_field() {
            return Err(Error::file(
                path,
                format!(
                    "--id-field and --text-field both name {:?}; a document's id and its \
                     text are two fields",
                    options.id_field()
                ),
            ));
        }
        if let Some(f) = &options.date_field {
            let clash = if f == options.text_field() {
                Some("the text")
            } else if f == options.id_field() {
                Some("the id")
            } else {
                None
            };
            if let Some(what) = clash {
                return Err(Error::file(
                    path,
                    format!(
                        "--date-field {f:?} names the field that holds {what}; give the \
                         field that holds each document's date"
                    ),
                ));
            }
        }
        if md.is_dir() {
            if options.text_field.is_some() {
                return Err(Error::file(
                    path,
                    "--text-field names a field of a .jsonl file or a column of a \
                     .csv file; a folder's texts are its .txt files",
                ));
            }
            let listing = dir::list(path, options)?;
            if listing.format == Format::Folder && options.id_field.is_some() {
                return Err(Error::file(
                    path,
                    "--id-field names a column of manifest.csv, and this folder has \
                     none; its documents' ids are their file names' stems",
                ));
            }
            if listing.format == Format::Folder
                && options.name_fields.is_empty()
                && options.date_field.is_some()
            {
                return Err(Error::file(
                    path,
                    "--date-field names a column of manifest.csv or a part of the file \
                     names (--name-fields), and this folder has neither",
                ));
            }
            if listing.format == Format::Folder
                && options.name_fields.is_empty()
                && options.date_order.is_some()
            {
                return Err(Error::file(
                    path,
                    "--date-order reads the dates of a column of manifest.csv or a part of \
                     the file names (--name-fields), and this folder has neither",
                ));
            }
            if listing.format == Format::Folder && options.separator.is_some() {
                return Err(Error::file(
                    path,
                    "--separator names what separates the fields of a .csv file or of \
                     manifest.csv, and this folder has no manifest",
                ));
            }
            corpus.format = listing.format;
            corpus.entries = listing.entries;
            corpus.columns = listing.columns;
            corpus.size = corpus.entries.len() as u64;
            return Ok(corpus);
        }
        if !options.name_fields.is_empty() {
            return Err(Error::file(
                path,
                "--name-fields reads metadata from the file names of a folder of \
                 .txt files; a .jsonl or .csv file's documents have fields of their own",
            ));
        }
        if let Some(p) = options.exclude.first() {
            return Err(Error::file(
                path,
                format!(
                    "--exclude {p:?} leaves out files of a folder corpus; this corpus is \
                     one file"
                ),
            ));
        }
        let name = path.to_string_lossy().to_lowercase();
        corpus.format = if [".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            Format::Jsonl
        } else if name.ends_with(".json") || name.ends_with(".json.gz") {
            Format::Json
        } else if name.ends_with(".csv") || name.ends_with(".csv.gz") {
            Format::Csv
        } else if name.ends_with(".tsv") || name.ends_with(".tsv.gz") {
            Format::Tsv
        } else {
            return Err(Error::file(
                path,
                "unknown corpus format; give a folder of .txt files, a \
                 .jsonl, .json, .csv or .tsv file (any may be .gz)",
            ));
        };
        if matches!(corpus.format, Format::Jsonl | Format::Json) && options.separator.is_some() {
            return Err(Error::file(
                path,
                "--separator names what separates the fields of a .csv file or of \
                 manifest.csv; a JSON corpus has none",
            ));
        }
        // Peeked at only when a regular file: a pipe's bytes would be
        // taken from the reader.
        if options.enc().is_none() && md.is_file() {
            refuse_unmarked_utf16(path)?;
        }
        Ok(corpus)
    }

    /// The path the corpus was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The kind of source.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The share of the corpus the reading of [`Corpus::documents`] has
    /// got to, from 0 to 1: of the file's bytes (a `.gz` file's
    /// compressed bytes), or of a folder's files. It runs a little ahead
    /// of the documents handed out (the reader's buffer); `None` for an
    /// empty file or folder.
    pub fn read_share(&self) -> Option<f64> {
        (self.size > 0).then(|| {
            let read = self.read.load(std::sync::atomic::Ordering::Relaxed);
            (read as f64 / self.size as f64).min(1.0)
        })
    }

    /// The error for a corpus that yielded no document at all.
    pub fn empty_error(&self) -> Error {
        Error::file(
            &self.path,
            match self.format {
                Format::Jsonl => format!(
                    "no documents: the file has no JSON lines; each line must be \
                     one JSON object with a string \"{}\"",
                    self.options.text_field()
                ),
                Format::Json => format!(
                    "no documents: the file holds no JSON objects; give one array of \
                     objects with a string \"{}\" ([{{\"{}\": …}}, …]), or one object \
                     a line",
                    self.options.text_field(),
                    self.options.text_field()
                ),
                Format::Csv | Format::Tsv => {
                    "no documents: the file has a header but no rows".to_string()
                }
                Format::Manifest | Format::Folder => "no documents: every file was skipped; \
                                                      add .txt files or fix the manifest"
                    .to_string(),
            },
        )
    }

    /// The documents, read lazily one at a time, in corpus order.
    pub fn documents(&self) -> Result<Documents<'_>> {
        self.read.store(0, std::sync::atomic::Ordering::Relaxed);
        let read = &self.read;
        let inner: Box<dyn Iterator<Item = Result<Document>> + Send + '_> = match self.format {
            Format::Manifest | Format::Folder => {
                Box::new(dir::Reader::new(&self.entries, &self.options, read))
            }
            Format::Jsonl | Format::Json => Box::new(jsonl::Reader::open(
                &self.path,
                &self.options,
                read,
                self.format == Format::Json,
            )?),
            Format::Csv | Format::Tsv => {
                Box::new(csv::Reader::open(&self.path, &self.options, read)?)
            }
        };
        Ok(Documents {
            path: self.path.clone(),
            inner,
            seen: IdSet::default(),
            unchecked: None,
            columns: match self.options.renamed_date() {
                Some(f) => self
                    .columns
                    .iter()
                    .map(|c| {
                        if c == f {
                            "date".to_string()
                        } else {
                            c.clone()
                        }
                    })
                    .collect(),
                None => self.columns.clone(),
            },
            numbered: self.options.unique_ids.then(Numbered::default),
            date_field: self.options.renamed_date().map(|f| (f.to_string(), false)),
            date_order: self.options.date_order,
        })
    }
}

/// The documents of a corpus in order; checks that ids are unique and
/// collects the metadata columns as they appear.
///
/// A document's id is checked once the next document is read (or the
/// input ends, or fails): its slot in the table of ids, a cache miss on
/// a corpus of millions of documents, is fetched while the next line is
/// parsed. A duplicate is still the first error reported, before any
/// error of a later document; a reader that stops early calls
/// [`Documents::finish`].
pub struct Documents<'a> {
    path: PathBuf,
    inner: Box<dyn Iterator<Item = Result<Document>> + Send + 'a>,
    seen: IdSet,
    /// The last document handed out, its id not checked yet: its id's
    /// hash and its index.
    unchecked: Option<(u64, usize)>,
    columns: Vec<String>,
    /// With `--unique-ids`: the repeats numbered so far.
    numbered: Option<Numbered>,
    /// With `--date-field`: the field renamed `date`, and whether a
    /// document has had it.
    date_field: Option<(String, bool)>,
    /// With `--date-order`: how a date like `04/03/2021` is read.
    date_order: Option<DateOrder>,
}

/// Repeated ids numbered (`--unique-ids`).
#[derive(Default)]
struct Numbered {
    /// Per id repeated, the number its next repeat tries first.
    next: rustc_hash::FxHashMap<String, u64>,
    /// Repeats numbered.
    count: u64,
    /// The count at the end of the input has been told.
    told: bool,
}

/// Repeats named in a warning each; later ones are counted, and the
/// count given at the end of the input.
const NUMBERED_NAMED: u64 = 10;

impl Numbered {
    /// `doc`'s id, whose hash is `h`, numbered if an earlier document
    /// (in `seen`) has it, with a warning; its hash.
    fn number(&mut self, seen: &IdSet, path: &Path, doc: &mut Document, h: u64) -> u64 {
        let Some(first) = seen.find(&doc.id, h) else {
            return h;
        };
        let k = self.next.entry(doc.id.clone()).or_insert(2);
        let (id, h) = loop {
            let id = format!("{}.{k}", doc.id);
            let h = id_hash(&id);
            *k += 1;
            if seen.find(&id, h).is_none() {
                break (id, h);
            }
        };
        self.count += 1;
        if self.count <= NUMBERED_NAMED {
            eprintln!(
                "framescope: warning: {}: document {}'s id {:?} is taken (by document {}); \
                 read as {id:?} (--unique-ids){}",
                path.display(),
                doc.index + 1,
                doc.id,
                first + 1,
                if self.count == NUMBERED_NAMED {
                    "; later repeats are counted, not named"
                } else {
                    ""
                }
            );
        }
        doc.id = id;
        h
    }
}

impl Documents<'_> {
    /// The metadata columns seen so far, in order of first appearance.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Check the id of the last document handed out: for a reader that
    /// stops before the end.
    pub fn finish(&mut self) -> Result<()> {
        match self.unchecked.take() {
            Some((h, doc)) => self.check(h, doc),
            None => Ok(()),
        }
    }

    /// The error of a document whose id an earlier one has.
    fn check(&mut self, h: u64, doc: usize) -> Result<()> {
        match self.seen.check(h, doc) {
            None => Ok(()),
            Some(first) => Err(Error::file(
                &self.path,
                format!(
                    "duplicate document id {:?} (documents {} and {}); ids \
                     must be unique: fix the id column or field, {REPEATED_ID_HINT}",
                    self.seen.last(),
                    first + 1,
                    doc + 1
                ),
            )),
        }
    }
}

impl Iterator for Documents<'_> {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Result<Document>> {
        let next = self.inner.next();
        // The document before comes first, whatever this one is.
        if let Err(e) = self.finish() {
            return Some(Err(e));
        }
        let Some(next) = next else {
            if let Some((f, seen)) = &self.date_field {
                if !*seen && !self.seen.is_empty() {
                    let fields = if self.columns.is_empty() {
                        "the documents have no metadata fields".to_string()
                    } else {
                        format!("their fields are {}", self.columns.join(", "))
                    };
                    let e = Error::file(
                        &self.path,
                        format!(
                            "no document has a field {f:?} (--date-field); {fields}: \
                             name the one that holds the date"
                        ),
                    );
                    // Told once: a caller that asks again gets the end.
                    self.date_field = None;
                    return Some(Err(e));
                }
            }
            if let Some(n) = &mut self.numbered {
                if n.count > NUMBERED_NAMED && !n.told {
                    n.told = true;
                    eprintln!(
                        "framescope: warning: {}: {} repeated ids in all were numbered \
                         (--unique-ids)",
                        self.path.display(),
                        n.count
                    );
                }
            }
            return None;
        };
        let mut doc = match next {
            Ok(doc) => doc,
            Err(e) => return Some(Err(e)),
        };
        doc.index = self.seen.len();
        if let Some((f, seen)) = &mut self.date_field {
            if let Some(meta) = doc.meta.renamed(f, "date") {
                if doc.meta.get("date").is_some() {
                    return Some(Err(Error::file(
                        &self.path,
                        format!(
                            "document {} ({:?}) has a field \"date\" besides {f:?}, which \
                             --date-field reads as its date; drop or rename one of them",
                            doc.index + 1,
                            doc.id
                        ),
                    )));
                }
                doc.meta = meta;
                *seen = true;
            }
        }
        if let Some(order) = self.date_order {
            let date = doc.meta.get("date");
            match date.and_then(|d| Date::iso_in_order(d, order).map(|r| (d, r))) {
                Some((_, Ok(iso))) => doc.meta = doc.meta.with_value("date", &iso),
                Some((date, Err(why))) => {
                    return Some(Err(Error::file(
                        &self.path,
                        format!(
                            "document {} ({:?}) has the date {date:?}, and {why}; check the \
                             order its dates are written in (--date-order mdy: month first, \
                             dmy: day first), or fix the date",
                            doc.index + 1,
                            doc.id
                        ),
                    )))
                }
                None => {}
            }
        }
        let mut h = id_hash(&doc.id);
        if let Some(n) = &mut self.numbered {
            // Checked now, to number a repeat before it is handed out.
            h = n.number(&self.seen, &self.path, &mut doc, h);
        }
        self.seen.push(&doc.id, h);
        self.unchecked = Some((h, doc.index));
        for (k, _) in doc.meta.iter() {
            if !self.columns.iter().any(|c| c == k) {
                self.columns.push(k.to_string());
            }
        }
        Some(Ok(doc))
    }
}

/// The ids of the documents read so far, for finding a duplicate: the
/// ids front-coded in one buffer, and an open-addressing table of 8-byte
/// slots, each the top 32 bits of an id's hash and its document. A slot
/// is one cache miss an id, where a general map took two (control bytes,
/// then the entry): the reading side's largest cost on a corpus of short
/// documents. Ids whose hashes share their top bits are told apart by
/// their bytes.
///
/// Each id is kept as the length of the prefix it shares with the id
/// before, the length of the rest, and the rest: ids of a corpus mostly
/// count up or share a source's name (`g0000417`,
/// `articles__2025-02-10-cfpb-…#0.12`), so an id takes a few bytes where
/// its text took up to a hundred. Every [`ID_RUN`]-th id is whole, so
/// one is rebuilt from at most that many entries; an id is rebuilt only
/// when its slot's tag is the tag of the id looked up. 2.2 M ids of 121
/// bytes on average held 320 MiB as text, in a buffer that doubled as
/// it grew (beside the same ids in the documents' summaries), and 60
/// MiB this way (25 MiB of coded ids, the rest the slots).
#[derive(Default)]
struct IdSet {
    /// Per id: varints of the prefix it shares with the id before (0
    /// for the first of a run) and of the rest's length, then the rest.
    coded: Vec<u8>,
    /// Where each run of [`ID_RUN`] ids starts in `coded`.
    runs: Vec<usize>,
    /// The last id kept, whole.
    last: String,
    /// Ids kept.
    n: usize,
    /// Hash tag << 32 | document + 1, found from the tag's top bits on
    /// by linear probing; 0 is an empty slot. At most three quarters
    /// full.
    slots: Vec<u64>,
}

/// Slots of an [`IdSet`]'s first table.
const ID_SLOTS: usize = 1 << 12;

/// Ids of a run in an [`IdSet`]: the first whole, the others coded
/// against the one before.
const ID_RUN: usize = 16;

fn id_hash(id: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    // FxHash's output feeds the table's own hashing: spread it once more.
    BuildHasherDefault::<rustc_hash::FxHasher>::default()
        .hash_one(id)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl IdSet {
    /// Documents added.
    fn len(&self) -> usize {
        self.n
    }

    /// No document added yet.
    fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The last document's id.
    fn last(&self) -> &str {
        &self.last
    }

    /// Document `doc`'s id, rebuilt from its run into `out` (emptied
    /// first).
    fn id_into(&self, doc: usize, out: &mut Vec<u8>) {
        out.clear();
        let mut at = self.runs[doc / ID_RUN];
        for _ in doc / ID_RUN * ID_RUN..=doc {
            let (shared, rest) = self.entry(at);
            out.truncate(shared);
            out.extend_from_slice(&self.coded[rest.clone()]);
            at = rest.end;
        }
    }

    /// The entry at `at` in `coded`: the length of the prefix shared with
    /// the id before, and where the rest lies (the next entry starts at
    /// its end).
    fn entry(&self, at: usize) -> (usize, std::ops::Range<usize>) {
        let (shared, rest) = crate::varint::read(&self.coded, at);
        let (len, rest) = crate::varint::read(&self.coded, rest);
        (shared, rest..rest + len)
    }

    /// Keep the next document's id, whose hash is `h`, and ask for its
    /// slot; [`IdSet::check`] it later.
    fn push(&mut self, id: &str, h: u64) {
        let shared = if self.n % ID_RUN == 0 {
            self.runs.push(self.coded.len());
            0
        } else {
            let (a, b) = (self.last.as_bytes(), id.as_bytes());
            a.iter().zip(b).take_while(|(x, y)| x == y).count()
        };
        crate::varint::put(&mut self.coded, shared as u64);
        crate::varint::put(&mut self.coded, (id.len() - shared) as u64);
        self.coded.extend_from_slice(&id.as_bytes()[shared..]);
        self.last.clear();
        self.last.push_str(id);
        self.n += 1;
        if self.n * 4 > self.slots.len() * 3 {
            self.grow();
        }
        crate::mem::prefetch(&self.slots[self.home(tag(h))]);
    }

    /// The document entered in the table with id `id` (its hash `h`),
    /// or the empty slot where `id` would go.
    fn probe(&self, id: &[u8], h: u64) -> std::result::Result<usize, usize> {
        let tag = tag(h);
        let mask = self.slots.len() - 1;
        let mut at = self.home(tag);
        let mut other = Vec::new();
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                return Err(at);
            }
            let first = (slot as u32) as usize - 1;
            if (slot >> 32) as u32 == tag {
                self.id_into(first, &mut other);
                if other == id {
                    return Ok(first);
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// The document kept with id `id` (its hash `h`), if any.
    fn find(&self, id: &str, h: u64) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        self.probe(id.as_bytes(), h).ok()
    }

    /// Enter the last document kept, `doc` (its id's hash `h`), in the
    /// table, or give the earlier document that has its id.
    fn check(&mut self, h: u64, doc: usize) -> Option<usize> {
        debug_assert_eq!(doc + 1, self.n, "the last id kept is checked");
        match self.probe(self.last.as_bytes(), h) {
            Ok(first) => Some(first),
            Err(at) => {
                self.slots[at] = (tag(h) as u64) << 32 | (doc as u64 + 1);
                None
            }
        }
    }

    /// Keep and check the next document's id, whose hash is `h` (another
    /// hash than `id_hash` in a test, to make collisions).
    #[cfg(test)]
    fn insert_hashed(&mut self, id: &str, h: u64) -> Option<usize> {
        let doc = self.len();
        self.push(id, h);
        let first = self.check(h, doc);
        if first.is_some() {
            // A duplicate ends the reading; the tests go on without it.
            self.n -= 1;
            let run = self.runs[doc / ID_RUN];
            let mut at = run;
            for _ in doc / ID_RUN * ID_RUN..doc {
                at = self.entry(at).1.end;
            }
            self.coded.truncate(at);
            if at == run {
                self.runs.pop();
            }
            let mut last = Vec::new();
            if doc > 0 {
                self.id_into(doc - 1, &mut last);
            }
            self.last = String::from_utf8(last).expect("ids are text");
        }
        first
    }

    /// Document `doc`'s id as text.
    #[cfg(test)]
    fn id(&self, doc: usize) -> String {
        let mut id = Vec::new();
        self.id_into(doc, &mut id);
        String::from_utf8(id).expect("ids are text")
    }

    /// Where the search for a tag starts: its top bits.
    fn home(&self, tag: u32) -> usize {
        (tag as u64 >> (32 - self.slots.len().trailing_zeros())) as usize
    }

    /// Twice the slots (or the first ones), every entry moved to the
    /// first free slot from its tag's home.
    fn grow(&mut self) {
        let size = (2 * self.slots.len()).max(ID_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        let mask = size - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let mut at = self.home((slot >> 32) as u32);
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = slot;
        }
    }
}

/// The tag an [`IdSet`] keeps of a hash: its top 32 bits.
fn tag(h: u64) -> u32 {
    (h >> 32) as u32
}

/// Refuse a file (decompressed, if `.gz`) whose first bytes look like
/// UTF-16 without a byte-order mark ([`looks_utf16`]), naming the
/// `--encoding` that reads it: its ASCII letters between NULs are valid
/// UTF-8, and a JSON or CSV reader would only say that its first line
/// is no JSON, or its header has no `text` column.
fn refuse_unmarked_utf16(path: &Path) -> Result<()> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    let mut input = decompressed(path, file);
    let mut head = Vec::with_capacity(512);
    // A damaged .gz is told, with its line, when the file is read.
    let _ = (&mut input).take(512).read_to_end(&mut head);
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Err(utf16_error(path));
    }
    match looks_utf16(&head) {
        Some(label) => Err(Error::file(path, utf16_unmarked(label))),
        None => Ok(()),
    }
}

/// The error of a file that starts with a UTF-16 byte-order mark.
pub(crate) fn utf16_error(path: &Path) -> Error {
    Error::file(
        path,
        "the file is UTF-16 (it starts with a UTF-16 byte-order mark); \
         pass --encoding utf-16le to read it (the mark tells which byte order), \
         or convert it to UTF-8, e.g. iconv -f UTF-16 -t UTF-8",
    )
}

/// `utf-16le` or `utf-16be` when `bytes` look like UTF-16 without a
/// byte-order mark: in their first 512 bytes, at least a third of the
/// odd (or even) bytes are NUL and almost none of the others, as text
/// of Latin letters is in UTF-16.
///
/// ```
/// let le: Vec<u8> = "Win-win cooperation".encode_utf16().flat_map(u16::to_le_bytes).collect();
/// assert_eq!(framescope::corpus::looks_utf16(&le), Some("utf-16le"));
/// assert_eq!(framescope::corpus::looks_utf16(b"plain text"), None);
/// assert_eq!(framescope::corpus::looks_utf16(b"%PDF\x00\x01\x00\x00\x00\x00"), None);
/// // 16-bit numbers (a quiet sound): NULs, but no letters beside them.
/// let pcm: Vec<u8> = (0..200i16).flat_map(i16::to_le_bytes).collect();
/// assert_eq!(framescope::corpus::looks_utf16(&pcm), None);
/// ```
pub fn looks_utf16(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(512)];
    let nuls = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    // The bytes beside the NULs, where a Latin letter's code is: most of
    // them printable ASCII or white space (not a 16-bit sound's or
    // number's low bytes).
    let texty = |parity: usize| {
        let (mut n, mut text) = (0, 0);
        for (i, &b) in head.iter().enumerate().skip(parity).step_by(2) {
            if head.get(i ^ 1) == Some(&0) {
                n += 1;
                text += (b.is_ascii_graphic() || b.is_ascii_whitespace()) as usize;
            }
        }
        n > 0 && text * 10 >= n * 9
    };
    let half = head.len() / 2;
    let (even, odd) = (nuls(0), nuls(1));
    match (even, odd) {
        _ if half < 4 => None,
        (e, o) if o * 3 >= half && e * 20 <= half && texty(0) => Some("utf-16le"),
        (e, o) if e * 3 >= half && o * 20 <= half && texty(1) => Some("utf-16be"),
        _ => None,
    }
}

/// What to say of a file that looks like UTF-16 without a byte-order
/// mark ([`looks_utf16`] gave `label`).
pub(crate) fn utf16_unmarked(label: &str) -> String {
    format!(
        "the file looks like UTF-16 without a byte-order mark (NUL bytes between its \
         letters); pass --encoding {label} to read it, or convert it to UTF-8, e.g. \
         iconv -f {} -t UTF-8",
        label.to_uppercase()
    )
}

/// What an invalid byte at `bytes[at]` would be in Windows-1252, when it
/// looks like that (a byte of 0x80 or more standing alone, as a
/// single-byte encoding writes `é` or `“`), with the command that
/// converts `path`: "" otherwise.
///
/// ```
/// # use std::path::Path;
/// let hint = framescope::corpus::legacy_hint(b"caf\xe9 au lait", 3, Path::new("a.txt"));
/// assert_eq!(
///     hint,
///     " (0xE9, which is 'é' in Windows-1252, the usual encoding of such files: \
///      --encoding windows-1252 reads it, or iconv -f WINDOWS-1252 -t UTF-8 a.txt > a.txt.utf8 \
///      && mv a.txt.utf8 a.txt converts it)"
/// );
/// // A lead byte and a continuation byte: broken UTF-8, no hint.
/// assert_eq!(framescope::corpus::legacy_hint(b"\xc3\xa9\xe2\x82 x", 2, Path::new("a.txt")), "");
/// ```
pub fn legacy_hint(bytes: &[u8], at: usize, path: &Path) -> String {
    if let Some(label) = looks_utf16(bytes) {
        return format!(" ({})", utf16_unmarked(label));
    }
    const LOW: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    let Some(&b) = bytes.get(at) else {
        return String::new();
    };
    // A lead byte followed by continuation bytes is broken UTF-8, not
    // another encoding.
    let alone = bytes
        .get(at + 1)
        .is_none_or(|&n| !(0x80..0xC0).contains(&n) || b < 0xC0);
    if b < 0x80 || !alone {
        return String::new();
    }
    let c = if b < 0xA0 {
        LOW[(b - 0x80) as usize]
    } else {
        b as char
    };
    if c.is_control() {
        return String::new();
    }
    let p = path.display();
    let convert = if path.extension().is_some_and(|e| e == "gz") {
        format!("gzip -dc {p} | iconv -f WINDOWS-1252 -t UTF-8 | gzip > {p}.utf8")
    } else {
        format!("iconv -f WINDOWS-1252 -t UTF-8 {p} > {p}.utf8")
    };
    format!(
        " (0x{b:02X}, which is {c:?} in Windows-1252, the usual encoding of such files: \
         --encoding windows-1252 reads it, or {convert} && mv {p}.utf8 {p} converts it)"
    )
}

/// Turn the bytes of a file (or line) into text: UTF-8, with a clear
/// error naming the byte offset, or replaced with `--lossy`.
pub(crate) fn decode(
    bytes: Vec<u8>,
    path: &Path,
    base: u64,
    line: Option<u64>,
    options: &ReadOptions,
) -> Result<String> {
    if base == 0 && (bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])) {
        return Err(utf16_error(path));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let offset = base + e.utf8_error().valid_up_to() as u64;
            let at = match line {
                Some(l) => format!("{}:{l}", path.display()),
                None => path.display().to_string(),
            };
            if options.lossy {
                eprintln!(
                    "framescope: warning: {at}: invalid UTF-8 at byte {offset} \
                     replaced with U+FFFD (--lossy)"
                );
                Ok(String::from_utf8_lossy(e.as_bytes()).into_owned())
            } else {
                let bad = e.utf8_error().valid_up_to();
                let msg = format!(
                    "invalid UTF-8 at byte {offset}{}; convert the file to \
                     UTF-8, or pass --lossy to replace invalid bytes",
                    legacy_hint(e.as_bytes(), bad, path)
                );
                Err(match line {
                    Some(l) => Error::line(path, l, msg),
                    None => Error::file(path, msg),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The share read is 0 before reading, grows as the documents come,
    /// and is exactly 1 once the last has come, in every format; it
    /// starts again with each reading.
    #[test]
    fn read_share_follows_the_reading() {
        use std::io::Write;
        let dir = std::env::temp_dir().join(format!("framescope-share-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("folder")).unwrap();
        // 3,000 documents of about 1 KB: three times the reading buffer,
        // and words that vary enough that the `.gz` file is many times
        // its decoder's 32 KiB buffer.
        let text = |i: usize| {
            let words: Vec<String> = (0..120)
                .map(|k| format!("w{}", (i * 7919 + k * 104_729) % 100_003))
                .collect();
            format!("Document {i} says {}", words.join(" "))
        };
        let mut jsonl = String::new();
        let mut csv = String::from("id,text\n");
        for i in 0..3000 {
            jsonl.push_str(&format!(
                "{{\"id\": \"d{i}\", \"text\": \"{}\"}}\n",
                text(i)
            ));
            csv.push_str(&format!("d{i},{}\n", text(i)));
            if i < 100 {
                std::fs::write(dir.join("folder").join(format!("d{i:03}.txt")), text(i)).unwrap();
            }
        }
        std::fs::write(dir.join("c.jsonl"), &jsonl).unwrap();
        std::fs::write(dir.join("c.csv"), &csv).unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(jsonl.as_bytes()).unwrap();
        std::fs::write(dir.join("c.jsonl.gz"), gz.finish().unwrap()).unwrap();
        std::fs::write(dir.join("empty.jsonl"), "").unwrap();
        for (name, n, after_first) in [
            ("c.jsonl", 3000, Some(1.0 / 3.0)),
            ("c.csv", 3000, None),
            ("c.jsonl.gz", 3000, None),
            ("folder", 100, Some(0.01)),
        ] {
            let corpus = Corpus::open(&dir.join(name), &ReadOptions::default()).unwrap();
            assert_eq!(corpus.read_share(), Some(0.0), "{name}");
            for round in 0..2 {
                let mut docs = corpus.documents().unwrap();
                assert!(docs.next().unwrap().is_ok());
                let first = corpus.read_share().unwrap();
                assert!(
                    first > 0.0 && first < 1.0,
                    "{name}: {first} after one document"
                );
                if let Some(want) = after_first {
                    // The reading buffer's 1 MiB of 3 MiB, or 1 file of 100.
                    let size = std::fs::metadata(dir.join(name)).unwrap().len() as f64;
                    let want = if name == "c.jsonl" {
                        (1 << 20) as f64 / size
                    } else {
                        want
                    };
                    assert!(
                        (first - want).abs() < 1e-12,
                        "{name}: {first} against {want}"
                    );
                }
                assert_eq!(docs.by_ref().count(), n - 1, "{name}, round {round}");
                assert_eq!(corpus.read_share(), Some(1.0), "{name}, round {round}");
            }
        }
        let empty = Corpus::open(&dir.join("empty.jsonl"), &ReadOptions::default()).unwrap();
        assert_eq!(empty.read_share(), None);
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// Ids are told apart by their bytes whatever their hashes: every
    /// hash the same, or the real one.
    #[test]
    fn duplicate_ids_are_found_when_hashes_collide() {
        for hash in [
            (|_| 7) as fn(&str) -> u64,
            |s: &str| s.len() as u64,
            id_hash,
        ] {
            let mut ids = IdSet::default();
            for id in ["a", "b", "cc", "", "dd"] {
                assert_eq!(ids.insert_hashed(id, hash(id)), None, "{id}");
            }
            for (doc, id) in ["a", "b", "cc", "", "dd"].iter().enumerate() {
                assert_eq!(ids.insert_hashed(id, hash(id)), Some(doc), "{id}");
                assert_eq!(ids.id(doc), *id);
            }
            assert_eq!(ids.insert_hashed("e", hash("e")), None);
            assert_eq!(ids.insert_hashed("e", hash("e")), Some(5));
            assert_eq!(ids.len(), 6);
        }
        // Past the table's growths: every id found again, with its
        // document, whether ids share hashes by length or not at all.
        // (Hashes of 5 distinct values for 20,000 ids would make it
        // quadratic: 256 here, by the top 8 bits.)
        for hash in [
            (|s: &str| id_hash(s) & 0xFF00_0000_0000_0000) as fn(&str) -> u64,
            id_hash,
        ] {
            let mut ids = IdSet::default();
            let id = |i: usize| format!("doc-{}", i * 7919 % 20_011);
            for i in 0..20_000 {
                assert_eq!(ids.insert_hashed(&id(i), hash(&id(i))), None, "{i}");
            }
            for i in (0..20_000).step_by(37) {
                assert_eq!(ids.insert_hashed(&id(i), hash(&id(i))), Some(i), "{i}");
            }
            assert_eq!(ids.insert_hashed("new", hash("new")), None);
            assert_eq!(ids.len(), 20_001);
        }
    }

    /// Front-coded ids come back whole from any place in their run:
    /// prefixes of each other, a shared prefix ending inside a char
    /// (`é` and `è` share their first byte), empty, long, repeated after
    /// other ids; each is found again with its document, and an id that
    /// differs only in its last byte is not taken for it.
    #[test]
    fn front_coded_ids_come_back_whole() {
        let mut ids_in: Vec<String> = Vec::new();
        for i in 0..300 {
            ids_in.push(match i % 10 {
                0 => format!("article-{}", i / 10),
                1 => format!("article-{}#{i}", i / 10),
                2 => format!("article-{}#{i}.é", i / 10),
                3 => format!("article-{}#{i}.è", i / 10),
                4 => String::new(),
                5 => "x".repeat(200 + i),
                6 => format!("{}y", "x".repeat(200 + i)),
                7 => format!("ü{i}"),
                8 => format!("ü{i}ü"),
                _ => format!("{i}"),
            });
        }
        ids_in.retain({
            let mut seen = std::collections::HashSet::new();
            move |id| seen.insert(id.clone())
        });
        for hash in [(|_| 7) as fn(&str) -> u64, id_hash] {
            let mut ids = IdSet::default();
            for (doc, id) in ids_in.iter().enumerate() {
                assert_eq!(ids.insert_hashed(id, hash(id)), None, "{id:?}");
                assert_eq!(ids.last(), id);
                assert_eq!(ids.id(doc), *id);
            }
            for (doc, id) in ids_in.iter().enumerate() {
                assert_eq!(ids.id(doc), *id, "{doc}");
                assert_eq!(ids.insert_hashed(id, hash(id)), Some(doc), "{id:?}");
                assert_eq!(ids.last(), ids_in.last().unwrap(), "popped back");
            }
            let near = format!("{}z", ids_in[25]);
            assert_eq!(ids.insert_hashed(&near, hash(&near)), None);
            assert_eq!(ids.len(), ids_in.len() + 1);
        }
    }

    /// A document's year is its `year` field, or its date's year as the
    /// number prints: the date's first four digits, borrowed, unless they
    /// start with a zero. Other fields and `id` are borrowed as they are.
    #[test]
    fn the_year_of_a_date_is_the_years_number() {
        for date in [
            "2024-07-01",
            " 2022 ",
            "2018-10-14T09:00:00Z",
            "0999-01-02",
            "0042",
            "0000-05",
            "2024-13",
            "July 2024",
            "March 4, 2021",
            "",
        ] {
            let meta = Meta::new(vec![("date".into(), date.into())]);
            let want = Date::parse(date).map(|d| d.year.to_string());
            assert_eq!(meta.field("d1", "year"), want, "{date:?}");
            let borrowed = matches!(meta.field_ref("d1", "year"), Some(Cow::Borrowed(_)));
            assert_eq!(
                borrowed,
                want.as_ref()
                    .is_some_and(|y| y.len() == 4 && date.trim().starts_with(y.as_str())),
                "{date:?}"
            );
        }
        let meta = Meta::new(vec![
            ("date".into(), "2020-01-01".into()),
            ("year".into(), "1999".into()),
            ("party".into(), "x".into()),
        ]);
        assert_eq!(meta.field("d1", "year").as_deref(), Some("1999"));
        assert_eq!(meta.field("d1", "party").as_deref(), Some("x"));
        assert_eq!(meta.field("d1", "id").as_deref(), Some("d1"));
        assert_eq!(meta.field("d1", "doc_id").as_deref(), Some("d1"));
        assert_eq!(meta.field("d1", "missing"), None);
        assert!(matches!(
            meta.field_ref("d1", "party"),
            Some(Cow::Borrowed("x"))
        ));
    }

    /// The usual shapes read by their bytes give the general reading's
    /// date, valid or not: every string of up to 10 bytes from pieces of
    /// dates.
    #[test]
    fn dates_read_by_their_bytes_are_read_as_any() {
        let pieces = [
            "2024", "-", "07", "7", "13", "00", "31", "32", "1", "x", " ", "T", "0", "/", ".",
        ];
        let mut next = crate::testing::xorshift(0x1234_5678_9ABC_DEF1u64);
        let mut fast = 0;
        for _ in 0..20_000 {
            let n = 1 + next() % 5;
            let s: String = (0..n)
                .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                .collect();
            let want = Date::parse_any(&s);
            assert_eq!(Date::parse(&s), want, "{s:?}");
            fast += (matches!(s.len(), 4 | 7 | 10) && want.is_some()) as usize;
        }
        assert!(fast > 500, "{fast}");
        for s in [
            "2024-07-01",
            "2024-02-31",
            "0999-12",
            "2024",
            "2024-00",
            "2024-07-00",
        ] {
            assert_eq!(Date::parse(s), Date::parse_any(s), "{s}");
        }
    }

    /// Dates of numbers: year first read whole, year last by its year
    /// alone (either order is a day of that year), or whole in an order.
    #[test]
    fn dates_of_numbers() {
        let d = |s| Date::parse(s).map(|d| (d.year, d.month, d.day));
        let year = |y| Some((y, None, None));
        for (s, want) in [
            ("2021/03/04", Some((2021, Some(3), Some(4)))),
            ("2021.3.4", Some((2021, Some(3), Some(4)))),
            ("2021/3/4 09:15", Some((2021, Some(3), Some(4)))),
            ("2024/02/29", Some((2024, Some(2), Some(29)))),
            // Days 1 to 31, as ISO dates are read (2021-02-30 is let be).
            ("2023/02/30", Some((2023, Some(2), Some(30)))),
            ("2023/02/32", None),
            ("2021/13/01", None),
            ("2021-3-4", None),
            ("04/03/2021", year(2021)),
            ("4.3.2021", year(2021)),
            ("04-03-2021", year(2021)),
            ("25/12/2020", year(2020)),
            ("12/25/2020", year(2020)),
            (" 6/5/2019 14:30 ", year(2019)),
            ("6/5/2019 2:30 PM", year(2019)),
            ("6/5/2019 2:30pm", year(2019)),
            ("6/5/2019 14:30:05.250", year(2019)),
            ("6/5/2019\t14:30", year(2019)),
            ("6/5/2019\u{a0}14:30", year(2019)),
            ("6/5/2019 12:59 am", year(2019)),
            ("6/5/2019 0:00", year(2019)),
            ("6/5/2019 23:59:60", year(2019)),
            ("6/5/2019 24:00", None),
            ("6/5/2019 99:99", None),
            ("6/5/2019 14:60", None),
            ("6/5/2019 14:30 PM", None),
            ("6/5/2019 0:30 PM", None),
            ("6/5/2019 2:30 μ", None),
            ("6/5/2019 14:30:05.", None),
            ("6/5/2019 1430", None),
            ("6/5/2019 noon", None),
            ("13/13/2021", None),
            ("31/02/2021", year(2021)),
            ("32/02/2021", None),
            ("00/05/2021", None),
            ("6/5/19", None),
            ("6/5-2019", None),
            ("006/5/2019", None),
            ("6//2019", None),
            ("1/2/3/2019", None),
        ] {
            assert_eq!(d(s), want, "{s:?}");
            assert_eq!(
                Date::is_day_month(s),
                want.is_some_and(|(_, m, _)| m.is_none()),
                "{s:?}"
            );
        }
        let iso = |s, o| Date::iso_in_order(s, o);
        assert_eq!(
            iso("12/25/2020", DateOrder::Mdy),
            Some(Ok("2020-12-25".into()))
        );
        assert_eq!(
            iso("25/12/2020", DateOrder::Dmy),
            Some(Ok("2020-12-25".into()))
        );
        assert_eq!(
            iso("2/29/2024", DateOrder::Mdy),
            Some(Ok("2024-02-29".into()))
        );
        assert_eq!(
            iso("25/12/2020", DateOrder::Mdy),
            Some(Err(
                "--date-order mdy reads it as month 25, which no year has".into()
            ))
        );
        assert_eq!(
            iso("32.04.2020", DateOrder::Dmy),
            Some(Err(
                "--date-order dmy reads it as day 32, which no month has".into()
            ))
        );
        assert_eq!(
            iso("2020/12/25", DateOrder::Mdy),
            Some(Ok("2020-12-25".into()))
        );
        // A year-first date that is none is an error too once an order is
        // given (the corpus's dates are being read whole).
        assert_eq!(
            iso("2021/13/04", DateOrder::Dmy),
            Some(Err(
                "--date-order dmy reads it as month 13, which no year has".into()
            ))
        );
        assert_eq!(
            iso(" 6/5/2019\u{a0} 14:30 ", DateOrder::Mdy),
            Some(Ok("2019-06-05 14:30".into()))
        );
        for other in [
            "2020-12-25",
            "December 25, 2020",
            "6/5/19",
            "6/5/2019 24:00",
            "",
        ] {
            assert_eq!(iso(other, DateOrder::Dmy), None, "{other:?}");
        }
    }

    #[test]
    fn dates_of_every_precision() {
        let d = |s| Date::parse(s);
        assert_eq!(
            d("2022"),
            Some(Date {
                year: 2022,
                month: None,
                day: None
            })
        );
        assert_eq!(d("2024-07").unwrap().month, Some(7));
        assert_eq!(d("2018-10-14").unwrap().day, Some(14));
        assert_eq!(d("2018-10-14T09:00:00Z").unwrap().day, Some(14));
        for bad in [
            "",
            "22",
            "2024-7",
            "2024-13",
            "2024-07-32",
            "2021 (undated)",
            "x",
        ] {
            assert_eq!(d(bad), None, "{bad}");
        }
    }
}
