//! The fast path for a `.jsonl` line of the usual shape: one object
//! whose values are strings, numbers, booleans, null, arrays or objects,
//! no key twice.
//!
//! A line is read straight into its fields: the text is unescaped once
//! into a string of its own size, with no tree of values, no map and no
//! copy per field (keys and the metadata's values are borrowed from the
//! line unless they hold escapes, and copied once, into the [`Meta`]).
//! A float, an array or an object (metadata kept as serde_json writes it
//! back) is found whole by its brackets and given to serde_json alone,
//! not the line with its text. Anything else — a key given twice, a
//! lone surrogate, invalid JSON — gives `None`, and the caller parses
//! the line with serde_json, which also words the errors. On every line
//! where this path answers, it answers what serde_json's path would
//! (the tests compare the two on generated lines).

use std::borrow::Cow;

use super::jsonl::{Fields, Names};
use super::Meta;

/// The fields of `line` (valid UTF-8, line end removed), or `None` when
/// the line is not of the usual shape. `scratch` is where escaped
/// strings are unescaped; it keeps its capacity from line to line.
/// `names` are the text's and the id's fields.
pub(super) fn fields(line: &str, scratch: &mut String, names: Names<'_>) -> Option<Fields> {
    let mut p = Parser {
        line,
        b: line.as_bytes(),
        pos: 0,
        scratch,
    };
    p.ws();
    p.eat(b'{')?;
    let (mut text, mut id) = (None, None);
    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::new();
    // The keys whose values were objects (flattened into `pairs`).
    let mut objects: Vec<Cow<'_, str>> = Vec::new();
    p.ws();
    if p.peek() == Some(b'}') {
        p.pos += 1;
    } else {
        loop {
            p.ws();
            let key = p.string()?;
            p.ws();
            p.eat(b':')?;
            p.ws();
            let value = p.value()?;
            // Given twice, the text and the id keep their last value, as
            // in serde_json's map; another field keeps its first place
            // there, so a field given twice goes the slow way.
            match &*key {
                k if k == names.text => match value {
                    Value::Str(s) => text = Some(s.into_owned()),
                    _ => return None,
                },
                k if k == names.id => {
                    id = match value {
                        Value::Str(s) => Some(s.into_owned()),
                        Value::Int(s) => Some(s.to_string()),
                        Value::Null => None,
                        Value::Num(s) => Some(s),
                        Value::Bool(_) | Value::Json(_) | Value::Obj(_) => return None,
                    };
                }
                _ => {
                    if pairs.iter().any(|(k, _)| *k == key) || objects.contains(&key) {
                        return None;
                    }
                    match value {
                        Value::Obj(obj) => {
                            // A key given again after an object: the
                            // slow way (serde_json keeps its last value).
                            objects.push(key.clone());
                            // Its fields, flattened (jsonl::flatten); a
                            // name given twice, or the text's or the id's,
                            // goes the slow way.
                            let mut flat = Vec::new();
                            super::jsonl::flatten(&mut flat, key.into_owned(), obj);
                            for (k, v) in flat {
                                if pairs.iter().any(|(p, _)| *p == k)
                                    || k == names.text
                                    || k == names.id
                                {
                                    return None;
                                }
                                pairs
                                    .push((Cow::Owned(k), Cow::Owned(super::jsonl::meta_value(v))));
                            }
                        }
                        Value::Str(s) => pairs.push((key, s)),
                        Value::Int(s) => pairs.push((key, Cow::Borrowed(s))),
                        Value::Bool(b) => {
                            pairs.push((key, Cow::Borrowed(if b { "true" } else { "false" })))
                        }
                        Value::Null => pairs.push((key, Cow::Borrowed(""))),
                        Value::Num(s) | Value::Json(s) => pairs.push((key, Cow::Owned(s))),
                    }
                }
            }
            p.ws();
            match p.peek()? {
                b',' => p.pos += 1,
                b'}' => {
                    p.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    p.ws();
    if p.pos != p.b.len() {
        return None;
    }
    Some(Fields {
        text: text?,
        id,
        meta: Meta::from_pairs(&pairs),
        null_text: false,
    })
}

enum Value<'a> {
    Str(Cow<'a, str>),
    /// An integer as written (which is how serde_json prints it back).
    Int(&'a str),
    Bool(bool),
    Null,
    /// Any other number, as serde_json writes it back.
    Num(String),
    /// An array or an empty object, as serde_json writes it back
    /// (compact).
    Json(String),
    /// An object with fields, flattened into the metadata.
    Obj(serde_json::Value),
}

/// Bytes left on a line past which a string with escapes is unescaped
/// into a string of its own rather than the scratch.
const LONG_STRING: usize = 1 << 20;

struct Parser<'a, 's> {
    line: &'a str,
    b: &'a [u8],
    pos: usize,
    scratch: &'s mut String,
}

impl<'a> Parser<'a, '_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.pos += 1)
    }

    /// Skip JSON whitespace.
    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Option<Value<'a>> {
        match self.peek()? {
            b'"' => self.string().map(Value::Str),
            b't' => self.literal(b"true").map(|()| Value::Bool(true)),
            b'f' => self.literal(b"false").map(|()| Value::Bool(false)),
            b'n' => self.literal(b"null").map(|()| Value::Null),
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                self.integer().or_else(|| {
                    self.pos = start;
                    self.number()
                })
            }
            b'[' | b'{' => self.compound(),
            _ => None,
        }
    }

    /// A number [`Parser::integer`] does not take, read by serde_json.
    fn number(&mut self) -> Option<Value<'a>> {
        let start = self.pos;
        while matches!(
            self.peek(),
            Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        ) {
            self.pos += 1;
        }
        match serde_json::from_str(&self.line[start..self.pos]).ok()? {
            serde_json::Value::Number(n) => Some(Value::Num(n.to_string())),
            _ => None,
        }
    }

    /// An array or an object, at its opening bracket: its end found by
    /// counting brackets outside strings, then read by serde_json (which
    /// refuses what is not JSON, mismatched brackets among it).
    fn compound(&mut self) -> Option<Value<'a>> {
        let start = self.pos;
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        break;
                    }
                }
                b'"' => {
                    self.pos = string_end(self.b, self.pos)?;
                    continue;
                }
                _ => {}
            }
            self.pos += 1;
        }
        let v: serde_json::Value = serde_json::from_str(&self.line[start..self.pos]).ok()?;
        match &v {
            serde_json::Value::Object(m) if !m.is_empty() => Some(Value::Obj(v)),
            _ => Some(Value::Json(v.to_string())),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        let end = self.pos + word.len();
        (self.b.get(self.pos..end)? == word).then(|| self.pos = end)
    }

    /// An integer of at most 18 digits, taken as written: no leading
    /// zero, no `-0`, no fraction or exponent (those go the slow way,
    /// which keeps them as written too).
    fn integer(&mut self) -> Option<Value<'a>> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        self.pos += negative as usize;
        let digits = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        let n = self.pos - digits;
        if n == 0 || n > 18 || matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        if self.b[digits] == b'0' && (n > 1 || negative) {
            return None;
        }
        Some(Value::Int(&self.line[start..self.pos]))
    }

    /// A string, at its opening quote: borrowed from the line when it
    /// has no escapes.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let start = self.pos;
        let mut at = special(self.b, start);
        match self.b.get(at)? {
            b'"' => {
                self.pos = at + 1;
                return Some(Cow::Borrowed(&self.line[start..at]));
            }
            b'\\' => {}
            _ => return None, // a control char: serde_json's error
        }
        // Escapes: unescaped into the scratch string, then copied out at
        // its size. A long string (a book's text) is unescaped straight
        // into a string of its own with room for the rest of the line:
        // neither copied out nor grown by doubling, and the room it does
        // not use is never written, so never resident.
        let kept = (self.b.len() - start > LONG_STRING)
            .then(|| std::mem::replace(self.scratch, String::with_capacity(self.b.len() - start)));
        self.scratch.clear();
        let mut run = start;
        loop {
            // `run` and `at` fall on ASCII bytes or the line's end: char
            // boundaries.
            self.scratch.push_str(&self.line[run..at]);
            match self.b.get(at)? {
                b'"' => break,
                b'\\' => {}
                _ => return None,
            }
            let e = *self.b.get(at + 1)?;
            at += 2;
            let c = match e {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let hi = hex4(self.b.get(at..at + 4)?)?;
                    at += 4;
                    match hi {
                        0xD800..=0xDBFF => {
                            if self.b.get(at..at + 2)? != b"\\u" {
                                return None;
                            }
                            let lo = hex4(self.b.get(at + 2..at + 6)?)?;
                            if !(0xDC00..=0xDFFF).contains(&lo) {
                                return None;
                            }
                            at += 6;
                            char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?
                        }
                        0xDC00..=0xDFFF => return None,
                        _ => char::from_u32(hi)?,
                    }
                }
                _ => return None,
            };
            self.scratch.push(c);
            run = at;
            at = special(self.b, at);
        }
        self.pos = at + 1;
        Some(Cow::Owned(match kept {
            Some(scratch) => std::mem::replace(self.scratch, scratch),
            None => self.scratch.as_str().to_owned(),
        }))
    }
}

/// Where the JSON string whose opening quote is at `open` ends (just
/// past its closing quote), escapes skipped; `None` when it is not
/// closed in `b`.
pub(super) fn string_end(b: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    loop {
        let k = memchr::memchr2(b'"', b'\\', b.get(i..)?)?;
        if b[i + k] == b'"' {
            return Some(i + k + 1);
        }
        i += k + 2;
    }
}

/// The value of four hex digits.
pub(super) fn hex4(h: &[u8]) -> Option<u32> {
    h.iter().try_fold(0u32, |v, &c| {
        let d = (c as char).to_digit(16)?;
        Some(v << 4 | d)
    })
}

/// The position of the first `"`, `\` or control char (below 0x20) at or
/// after `pos`, or `b.len()`.
#[inline]
fn special(b: &[u8], mut pos: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    while pos + 16 <= b.len() {
        use std::arch::x86_64::*;
        // SAFETY: the loop condition keeps the unaligned 16-byte load
        // inside `b`; SSE2 is part of the x86-64 baseline.
        let m = unsafe {
            let v = _mm_loadu_si128(b.as_ptr().add(pos) as *const __m128i);
            let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
            let slash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
            // Unsigned v <= 0x1F is min(v, 0x1F) == v.
            let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
            _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, slash), control)) as u32
        };
        if m != 0 {
            return pos + m.trailing_zeros() as usize;
        }
        pos += 16;
    }
    while pos < b.len() && !matches!(b[pos], b'"' | b'\\' | 0..=0x1F) {
        pos += 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::super::jsonl::fields_of;
    use super::*;
    use proptest::prelude::*;

    fn fast(line: &str) -> Option<Fields> {
        fields(line, &mut String::new(), Names::DEFAULT)
    }

    /// Lines of the usual shape: the fast path answers, and answers what
    /// serde_json's path does.
    #[test]
    fn the_usual_lines_are_read_as_serde_json_reads_them() {
        let lines = [
            r#"{"id":"a1","date":"2024-07-03","text":"Win-win cooperation."}"#,
            r#"  { "text" : "x" , "year" : 2024 , "ok" : true, "no": false, "gone": null }  "#,
            "{\"text\":\"tab\\there\\nline \\\"quoted\\\" back\\\\slash \\/ \\b\\f\\r\"}",
            r#"{"text":"caf\u00e9 \u00E9 \u20ac \ud83d\ude00 \u0000 end","id":7}"#,
            r#"{"text":"raw é € 😀 中国","id":-42,"n":0,"m":-1}"#,
            r#"{"text":"","id":null}"#,
            r#"{"text":"s","id":"  "}"#,
            r#"{"te\u0078t":"escaped key","ti\"tle":"q"}"#,
            r#"{"id":123456789012345678,"text":"18 digits"}"#,
            "{\"text\":\"a\"}\t\r ",
            r#"{"text":"a","text":"b"}"#,
            r#"{"text":"a","id":1,"id":2,"id":null}"#,
            r#"{"text":"a","x":1.5,"y":1e3,"z":-0,"w":2E-7,"v":1234567890123456789}"#,
            r#"{"id":1.50,"text":"a"}"#,
            r#"{"text":"a","x":[1, "b]\"}", {"c" : [ ] }],"y":{"k":{"l":[null,true]}}}"#,
            r#"{"x" : [ ] , "text":"a", "y":{}, "z":["\u00e9\ud83d\ude00\n"]}"#,
        ];
        for line in lines {
            let f = fast(line).unwrap_or_else(|| panic!("fast path declined {line}"));
            assert_eq!(Ok(f), fields_of(line), "{line}");
        }
        let f = fast(r#"{"id":"a","date":"2024","text":"T\u00e9"}"#).unwrap();
        assert_eq!(f.text, "Té");
        assert_eq!(f.id.as_deref(), Some("a"));
        assert_eq!(f.meta.iter().collect::<Vec<_>>(), [("date", "2024")]);
    }

    /// A string longer than [`LONG_STRING`] with escapes is unescaped
    /// into a string of its own: the same values, and the scratch is
    /// left as it was for the next line.
    #[test]
    fn long_strings_with_escapes_are_read_as_serde_json_reads_them() {
        let para = r#"Win-win \"cooperation\" \u00e9\\ \ud83d\ude00.\n\n"#;
        let long = para.repeat(2 * LONG_STRING / para.len());
        for line in [
            format!(r#"{{"id":"b","text":"{long}","title":"{long}"}}"#),
            format!(r#"{{"text":"{long}","id":"a\tb"}}"#),
        ] {
            let mut scratch = String::from("kept");
            let f = fields(&line, &mut scratch, Names::DEFAULT).expect("the fast path reads it");
            assert_eq!(Ok(f), fields_of(&line));
        }
        let mut scratch = String::new();
        let f = fields(
            &format!(r#"{{"text":"{long}"}}"#),
            &mut scratch,
            Names::DEFAULT,
        )
        .unwrap();
        assert!(f.text.len() > LONG_STRING && f.text.ends_with("😀.\n\n"));
        assert!(scratch.capacity() < LONG_STRING);
    }

    /// Everything else goes to serde_json, which reads it or words the
    /// error.
    #[test]
    fn unusual_lines_are_left_to_serde_json() {
        let lines = [
            r#"{"text":"a","x":012}"#,
            r#"{"text":"a","x":1.}"#,
            r#"{"text":"a","x":-}"#,
            r#"{"text":"a","x":[1,2}"#,
            r#"{"text":"a","x":{"y":1]}"#,
            r#"{"text":"a","x":[1,2"#,
            r#"{"text":"a","x":["b]"#,
            r#"{"text":"a","x":[NaN]}"#,
            r#"{"text":"a","x":["\ud83d"]}"#,
            r#"{"text":"a","x":1,"x":2}"#,
            r#"{"text":"a","id":[1]}"#,
            r#"{"text":"a","id":{}}"#,
            r#"{"text":[1]}"#,
            r#"{"text":1.5}"#,
            r#"{"text":"a","id":true}"#,
            r#"{"text":5}"#,
            r#"{"id":"only"}"#,
            r#"{}"#,
            r#"{"text":"lone \ud83d here"}"#,
            r#"{"text":"lone \ude00 here"}"#,
            r#"{"text":"bad \x escape"}"#,
            "{\"text\":\"raw \u{1} control\"}",
            r#"{"text":"a",}"#,
            r#"{"text":"a"} x"#,
            r#"["text"]"#,
            r#"{"text":"unterminated}"#,
            r#"{"text":"a" "id":"b"}"#,
            r#"{"text":"a","x":tru}"#,
        ];
        for line in lines {
            assert_eq!(fast(line), None, "{line}");
        }
    }

    /// A piece of a JSON string's body as written: mostly valid, so that
    /// whole lines often are.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            12 => prop::sample::select(vec![
                "a", "Z", "9", " ", ".", "é", "€", "😀", "中", "\\\"", "\\\\", "\\/", "\\n",
                "\\t", "\\b", "\\f", "\\r", "\\u00e9", "\\u00E9", "\\u0000", "\\u20AC",
                "\\ud83d\\ude00", "\\udbff\\udfff",
            ]),
            1 => prop::sample::select(vec![
                "\\ud83d", "\\ude00", "\\udfff", "\\ud83dx", "\\ud83d\\u0041", "\\x",
                "\\u12", "\\u12g4", "\u{1}", "\u{1f}", "\\",
            ]),
        ]
    }

    fn json_string() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..8).prop_map(|p| format!("\"{}\"", p.concat()))
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => json_string(),
            2 => prop::sample::select(vec![
                "0", "7", "-3", "120", "123456789012345678", "-123456789012345678", "true",
                "false", "null",
            ]).prop_map(str::to_string),
            1 => prop::sample::select(vec![
                "-0", "01", "-01", "1.5", "2e3", "1E-2", "12345678901234567890",
                "-9223372036854775808", "[1,\"a\"]", "{\"k\":[]}", "tru", "nul", "+1", "1.",
                "-", "[ 1 , 2.5e1 ]", "[\"]\",\"\\\\\"]", "{\"a\" : {\"b\":[{}]}}", "[1,2}",
                "{\"k\":1]", "[", "[[]", "[\"\\ud83d\"]", "[NaN]", "{\"k\"}", "[1,]", "1e",
            ]).prop_map(str::to_string),
            1 => (json_string(), json_string()).prop_map(|(a, b)| format!("[{a}, {{{a}:[{b}]}}]")),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => prop::sample::select(vec!["text", "id", "date", "title", "te\\u0078t", "i\\u0064", "k\\\"q"])
                .prop_map(|k| format!("\"{k}\"")),
            1 => json_string(),
        ]
    }

    fn ws() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["", "", " ", "\t", "\r\n", "  "])
    }

    /// A line: members in any order, most often with a text among them.
    fn line() -> impl Strategy<Value = String> {
        let member = (ws(), key(), ws(), value(), ws())
            .prop_map(|(a, k, b, v, c)| format!("{a}{k}{b}:{c}{v}"));
        (
            prop::collection::vec(member, 0..5),
            prop::option::weighted(0.85, json_string()),
            any::<prop::sample::Index>(),
            ws(),
            prop::sample::select(vec!["", "", "", "", "", ",", "x", "}", " "]),
        )
            .prop_map(|(mut members, text, at, w, tail)| {
                if let Some(t) = text {
                    let i = at.index(members.len() + 1);
                    members.insert(i, format!("\"text\":{t}"));
                }
                format!("{w}{{{}}}{tail}", members.join(","))
            })
    }

    /// Wherever the fast path answers, serde_json's path answers the same,
    /// on generated lines and on the same lines cut short. Both paths
    /// must be taken often, or the comparison proves little.
    #[test]
    fn the_fast_path_agrees_with_serde_json() {
        use proptest::test_runner::{Config, TestRunner};
        use std::cell::Cell;
        let (read, declined) = (Cell::new(0), Cell::new(0));
        let mut runner = TestRunner::new(Config {
            cases: 4096,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&(line(), 0usize..200), |(line, cut)| {
                let mut end = cut.min(line.len());
                while !line.is_char_boundary(end) {
                    end -= 1;
                }
                for l in [line.as_str(), &line[..end]] {
                    match fast(l) {
                        Some(f) => {
                            read.set(read.get() + 1);
                            prop_assert_eq!(Ok(f), fields_of(l), "{}", l);
                        }
                        None => declined.set(declined.get() + 1),
                    }
                }
                Ok(())
            })
            .unwrap();
        assert!(
            read.get() > 800 && declined.get() > 800,
            "{read:?} read, {declined:?} declined"
        );
    }
}
