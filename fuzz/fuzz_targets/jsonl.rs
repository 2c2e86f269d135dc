//! A .jsonl corpus of arbitrary bytes, read through the whole analysis:
//! an error or results, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.jsonl");
    std::fs::write(&path, data).unwrap();
    let opts = framescope::corpus::ReadOptions { lossy: true, strict: false };
    if let Ok(c) = framescope::corpus::Corpus::open(&path, &opts) {
        let plan = framescope::analyze::Plan {
            tables: vec![framescope::analyze::TableSpec::default()],
            // Small parts, so that documents are read a part at a time.
            segment_bytes: 1 + data.len() % 97,
            ..Default::default()
        };
        let _ = framescope::analyze::analyze(&c, &plan, &|_, _| {});
    }
});
