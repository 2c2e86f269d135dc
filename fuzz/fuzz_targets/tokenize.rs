//! The tokenizer on arbitrary bytes (as lossy UTF-8) and on arbitrary
//! UTF-8: never a panic; spans on character boundaries, in order; the
//! same tokens when read a part at a time; the same norms when read as
//! norms alone (`Analyzer::norms_until`), whole or cut at a space.
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
    // Read a part at a time (parts of 1 to 64 bytes, cut where sentences
    // end): the same tokens, each part where the whole text has it.
    let seg = 1 + data.first().map_or(0, |&b| b as usize % 64);
    let mut parts = framescope::text::Parts::new(seg, data.len() % 4, data.len() % 2 == 0);
    let (mut buf, mut seen) = (Vec::new(), Vec::new());
    while let Some((core, base)) = parts.next(&mut an, &text, &mut buf) {
        assert_eq!(buf[..], toks[base..base + buf.len()]);
        seen.extend_from_slice(&buf[core]);
    }
    assert_eq!(seen, toks);
    let want: Vec<_> = toks.iter().map(|t| t.norm).collect();
    let mut norms = Vec::new();
    let mut fresh = framescope::text::Analyzer::english();
    fresh.norms_until(&text, 0, text.len(), &mut norms);
    let strings = |an: &framescope::text::Analyzer, v: &[u32]| -> Vec<String> {
        v.iter().map(|&n| an.resolve(n).to_string()).collect()
    };
    assert_eq!(strings(&fresh, &norms), strings(&an, &want));
    if let Some(cut) = text.find(' ') {
        norms.clear();
        an.norms_until(&text, 0, cut, &mut norms);
        an.norms_until(&text, cut, text.len(), &mut norms);
        assert_eq!(norms, want);
    }
});
