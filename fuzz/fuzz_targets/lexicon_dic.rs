//! The LIWC .dic reader on arbitrary bytes: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.dic");
    std::fs::write(&path, data).unwrap();
    let _ = framescope::lexicon::Lexicon::load(&path);
});
