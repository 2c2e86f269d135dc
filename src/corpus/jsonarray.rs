//! `.json` corpora: one JSON array of objects (`[{…}, {…}]`, as pandas'
//! `to_json(orient="records")` and Scrapy's JSON export write them), each
//! object a document read as a `.jsonl` line is. The array is split into
//! its elements as it streams: each is handed out where it lies in the
//! reading buffer, as the lines of a `.jsonl` file are, so a file of any
//! size is read one document at a time. A `.json` file that holds JSON
//! lines (its first byte `{`) is read as `.jsonl`.

use std::io::Read;
use std::ops::Range;

use super::jsonl::Lines;

/// Does the input hold a JSON array (its first byte past a byte-order
/// mark and whitespace `[`)? The input is given back whole, the bytes
/// looked at in front of the rest.
pub(crate) fn sniff(
    mut input: Box<dyn Read + Send>,
) -> std::io::Result<(bool, Box<dyn Read + Send>)> {
    let mut seen = Vec::new();
    let mut chunk = [0u8; 4096];
    let array = loop {
        let n = match input.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            break false;
        }
        seen.extend_from_slice(&chunk[..n]);
        if seen.len() < 3 && b"\xEF\xBB\xBF".starts_with(&seen) {
            // Part of a byte-order mark: read on.
            continue;
        }
        let body = seen.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&seen);
        if let Some(&b) = body.iter().find(|b| !b.is_ascii_whitespace()) {
            break b == b'[';
        }
    };
    Ok((array, Box::new(std::io::Cursor::new(seen).chain(input))))
}

/// Where the splitter is in the array.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    /// Before the `[`.
    Open,
    /// After the `[`: an element or the `]`.
    First,
    /// After an element: a `,` or the `]`.
    Next,
    /// After the `]`.
    Done,
}

/// The fault of a file that ends before the array's `]`.
const UNCLOSED: &str =
    "the file ends inside the JSON array (its `]` is missing): the file may be cut short";

/// A fault in the array's structure, at a line.
pub(crate) struct Fault {
    pub line: u64,
    pub msg: String,
}

/// The elements of one JSON array, each handed out as a range of
/// [`Elements::buf`], as [`Lines`] hands out lines.
pub(crate) struct Elements {
    pub lines: Lines,
    at: At,
    /// The line at `lines.start` (1 for the first).
    line: u64,
    /// The file's byte at `lines.buf[0]`.
    base: u64,
    /// The file's byte where the line at `lines.start` begins.
    line_start: u64,
    /// The bytes before the element handed out last on its first line.
    pub column: u64,
}

/// The result of [`Elements::next`]: an element's range, its line and its
/// byte in the file; `None` at the end of the array.
type Next = Result<Option<(Range<usize>, u64, u64)>, Fault>;

impl Elements {
    pub fn new(lines: Lines) -> Elements {
        Elements {
            lines,
            at: At::Open,
            line: 1,
            base: 0,
            line_start: 0,
            column: 0,
        }
    }

    /// The reading buffer.
    pub fn buf(&mut self) -> &mut Vec<u8> {
        &mut self.lines.buf
    }

    fn refill(&mut self) -> std::io::Result<()> {
        self.base += self.lines.start as u64;
        self.lines.scan = self.lines.start;
        self.lines.refill()
    }

    /// The next byte that is not whitespace (lines counted), not taken;
    /// `None` at the end of the input.
    fn peek(&mut self) -> std::io::Result<Option<u8>> {
        loop {
            let l = &mut self.lines;
            while l.start < l.end {
                match l.buf[l.start] {
                    b'\n' => {
                        self.line += 1;
                        self.line_start = self.base + l.start as u64 + 1;
                    }
                    b' ' | b'\t' | b'\r' => {}
                    b => return Ok(Some(b)),
                }
                l.start += 1;
            }
            if l.eof {
                return Ok(None);
            }
            self.refill()?;
        }
    }

    fn fault(&self, msg: impl Into<String>) -> Fault {
        Fault {
            line: self.line,
            msg: msg.into(),
        }
    }

    /// The next element, or `None` after the array's `]` (only whitespace
    /// may follow it).
    pub fn next(&mut self) -> std::io::Result<Next> {
        loop {
            let b = self.peek()?;
            if self.at == At::Open && b == Some(0xEF) && self.base + self.lines.start as u64 == 0 {
                // A byte-order mark, skipped (sniff has put it and what
                // follows it in the first read).
                let l = &mut self.lines;
                if l.buf[l.start..l.end].starts_with(b"\xEF\xBB\xBF") {
                    l.start += 3;
                    continue;
                }
            }
            match (self.at, b) {
                (At::Open, Some(b'[')) => {
                    self.lines.start += 1;
                    self.at = At::First;
                }
                (At::Open, _) => {
                    return Ok(Err(self.fault(
                        "not a JSON array; a .json corpus holds one array of objects \
                         ([{\"text\": …}, …]) or one object a line",
                    )))
                }
                (At::First | At::Next, Some(b']')) => {
                    self.lines.start += 1;
                    self.at = At::Done;
                }
                (At::Next, Some(b',')) => {
                    self.lines.start += 1;
                    return Ok(match self.peek()? {
                        Some(b']') => {
                            Err(self
                                .fault("a `,` right before the array's `]` is not JSON; remove it"))
                        }
                        _ => self.element()?,
                    });
                }
                (At::Next, Some(_)) => {
                    return Ok(Err(self.fault(
                        "a document is not followed by `,` or the array's `]`; separate \
                         the documents with commas",
                    )))
                }
                (At::First, Some(_)) => return self.element(),
                (At::Done, None) => return Ok(Ok(None)),
                (At::Done, Some(_)) => {
                    return Ok(Err(self.fault(
                        "text after the end of the JSON array; a .json corpus holds one \
                         array",
                    )))
                }
                (_, None) => return Ok(Err(self.fault(UNCLOSED))),
            }
        }
    }

    /// The element at `lines.start` (past whitespace), read whole.
    fn element(&mut self) -> std::io::Result<Next> {
        match self.peek()? {
            None => return Ok(Err(self.fault(UNCLOSED))),
            // No value before it (`[,` or `,,`): not JSON, where an empty
            // element would be read as no document at all.
            Some(b @ (b',' | b']' | b'}')) => {
                return Ok(Err(self.fault(format!(
                    "a `{}` where a document should be is not JSON; remove it, or put a \
                     document before it",
                    b as char
                ))))
            }
            Some(_) => {}
        }
        loop {
            let l = &self.lines;
            match element_end(&l.buf[l.start..l.end]) {
                Some(n) => {
                    let range = l.start..l.start + n;
                    let (line, byte) = (self.line, self.base + l.start as u64);
                    self.column = byte - self.line_start;
                    let bytes = &l.buf[range.clone()];
                    self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
                    if let Some(k) = memchr::memrchr(b'\n', bytes) {
                        self.line_start = byte + k as u64 + 1;
                    }
                    self.lines.start = range.end;
                    self.lines.scan = range.end;
                    self.at = At::Next;
                    return Ok(Ok(Some((range, line, byte))));
                }
                None if l.eof => {
                    return Ok(Err(self.fault(
                        "the file ends inside this document (a string or bracket is never \
                         closed): the file may be cut short",
                    )))
                }
                None => self.refill()?,
            }
        }
    }
}

/// Where the JSON value at the start of `b` ends: past its closing `}`,
/// `]` or `"`, or (a number, `true`, …) at the first byte that cannot be
/// part of it; `None` when `b` ends first. Strings are skipped by their
/// quotes and escapes, so a bracket inside one is text.
fn element_end(b: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                loop {
                    let k = memchr::memchr2(b'"', b'\\', &b[i..])?;
                    i += k;
                    if b[i] == b'\\' {
                        i += 2;
                        if i > b.len() {
                            return None;
                        }
                    } else {
                        i += 1;
                        break;
                    }
                }
                if depth == 0 {
                    return Some(i);
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth == 0 => return Some(i),
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b',' | b' ' | b'\t' | b'\r' | b'\n' if depth == 0 => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An element's text, line and byte.
    type Element = (String, u64, u64);

    /// Elements, and then the fault (its line and message) or the end, of
    /// `data` read with a buffer of `size` bytes.
    fn split(data: &[u8], size: usize) -> (Vec<Element>, Option<(u64, String)>) {
        let input: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(data.to_vec()));
        let mut e = Elements::new(Lines::with_size(input, size));
        let mut got = Vec::new();
        loop {
            match e.next().unwrap() {
                Ok(Some((r, line, byte))) => {
                    got.push((String::from_utf8(e.buf()[r].to_vec()).unwrap(), line, byte))
                }
                Ok(None) => return (got, None),
                Err(f) => return (got, Some((f.line, f.msg))),
            }
        }
    }

    /// Elements come out whole with their lines and bytes, whatever the
    /// buffer's size: objects over several lines, brackets and escaped
    /// quotes inside strings, nested arrays, scalars.
    #[test]
    fn elements_come_out_whole_with_their_lines() {
        let data = b"[\n  {\"text\": \"a [b] {c}\", \"n\": [1, [2]]},\n  {\"text\": \"q \\\"]\\\\\"\n  },\n  7 , \"s\"\n]\n";
        let want = vec![
            (
                "{\"text\": \"a [b] {c}\", \"n\": [1, [2]]}".to_string(),
                2,
                4,
            ),
            ("{\"text\": \"q \\\"]\\\\\"\n  }".to_string(), 3, 44),
            ("7".to_string(), 5, 70),
            ("\"s\"".to_string(), 5, 74),
        ];
        for size in [1, 2, 3, 7, 64, 1 << 20] {
            assert_eq!(split(data, size), (want.clone(), None), "{size}");
        }
        assert_eq!(split(b" [ ] ", 4), (vec![], None));
    }

    /// An array is told from JSON lines by its first byte past a
    /// byte-order mark and whitespace, however the input's reads cut
    /// them; the input comes back whole.
    #[test]
    fn sniff_sees_the_first_byte_through_short_reads() {
        struct OneByte(Vec<u8>, usize);
        impl Read for OneByte {
            fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
                if self.1 == self.0.len() || out.is_empty() {
                    return Ok(0);
                }
                out[0] = self.0[self.1];
                self.1 += 1;
                Ok(1)
            }
        }
        for (data, array) in [
            (&b"\xEF\xBB\xBF \n [{}]"[..], true),
            (b"\xEF\xBB\xBF{\"text\": \"a\"}\n", false),
            (b"  \n\t[]", true),
            (b"", false),
        ] {
            let (got, mut input) = sniff(Box::new(OneByte(data.to_vec(), 0))).unwrap();
            assert_eq!(got, array, "{data:?}");
            let mut back = Vec::new();
            input.read_to_end(&mut back).unwrap();
            assert_eq!(back, data);
        }
    }

    /// Each fault of the array's structure is named at its line.
    #[test]
    fn faults_are_named_at_their_lines() {
        let cases: [(&[u8], u64, &str); 9] = [
            (b"{\"text\": 1}", 1, "not a JSON array"),
            (b"[{\"text\": \"a\"},\n]", 2, "a `,` right before"),
            (
                b"[{\"text\": \"a\"}\n{\"text\": \"b\"}]",
                2,
                "not followed by",
            ),
            (b"[{\"text\": \"a\"}]\n[]", 2, "text after the end"),
            (
                b"[{\"text\": \"a\"},\n",
                2,
                "the file ends inside the JSON array",
            ),
            (
                b"[\n{\"text\": \"a}]",
                2,
                "the file ends inside this document",
            ),
            (
                b"[,{\"text\": \"b\"}]",
                1,
                "a `,` where a document should be",
            ),
            (
                b"[{\"text\": \"a\"},\n,{\"text\": \"b\"}]",
                2,
                "a `,` where a document",
            ),
            (b"[}]", 1, "a `}` where a document should be"),
        ];
        for (data, line, msg) in cases {
            for size in [2, 1 << 20] {
                let (_, fault) = split(data, size);
                let (l, m) = fault.unwrap();
                assert_eq!(l, line, "{}", String::from_utf8_lossy(data));
                assert!(m.starts_with(msg) || m.contains(msg), "{m}");
            }
        }
    }
}
