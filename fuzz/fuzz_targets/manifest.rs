//! A folder corpus with an arbitrary manifest.csv (and two text files):
//! an error or documents, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("manifest.csv"), data).unwrap();
    std::fs::write(dir.path().join("a.txt"), "Win-win cooperation.").unwrap();
    std::fs::write(dir.path().join("b.txt"), "External interference.").unwrap();
    let opts = framescope::corpus::ReadOptions::default();
    if let Ok(c) = framescope::corpus::Corpus::open(dir.path(), &opts) {
        if let Ok(docs) = c.documents() {
            for d in docs {
                if d.is_err() {
                    break;
                }
            }
        }
    }
});
