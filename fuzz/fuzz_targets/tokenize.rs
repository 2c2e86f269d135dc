//! The tokenizer on arbitrary bytes (as lossy UTF-8) and on arbitrary
//! UTF-8: never a panic; spans on character boundaries, in order.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut an = framescope::text::Analyzer::english();
    let toks = an.tokens(&text);
    let mut last = 0;
    for t in &toks {
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        assert!(t.start >= last && t.end > t.start);
        last = t.end;
    }
});
