//! The lexicon TOML reader on arbitrary bytes: an error or a lexicon,
//! never a panic; a lexicon read back from its own TOML is the same.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l.toml");
    std::fs::write(&path, data).unwrap();
    if let Ok(lex) = framescope::lexicon::Lexicon::load(&path) {
        std::fs::write(&path, lex.to_toml()).unwrap();
        let again = framescope::lexicon::Lexicon::load(&path).expect("own TOML reads back");
        assert_eq!(again.frames, lex.frames);
    }
});
