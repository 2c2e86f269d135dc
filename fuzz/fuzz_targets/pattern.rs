//! The pattern parser, and matching the parsed pattern against its own
//! text: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    if let Ok(p) = framescope::lexicon::Pattern::parse(src) {
        let frames = framescope::lexicon::FrameSet::from_patterns(vec![p]);
        let mut an = framescope::text::Analyzer::english();
        let mut m = framescope::lexicon::FrameMatcher::new(&frames, &mut an);
        let toks = an.tokens(src);
        let _ = m.find(&an, &toks);
    }
});
