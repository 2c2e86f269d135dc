//! n-gram counts spilled to temporary files, so that a table's memory has
//! a ceiling whatever the corpus's vocabulary.
//!
//! A worker's table that outgrows its share of memory is written out at
//! the end of a document and emptied; the pass goes on with it empty.
//! Each file holds the table's entries (key, count, documents) grouped
//! into [`PARTS`] parts by a hash of the key's *texts*, which is the same
//! in every worker's symbols. At the end, each part of every file of
//! every worker is counted into a small table of its own, part by part
//! in parallel, and what reaches the minimum count is kept: exact,
//! because a document's n-grams all land in one file (a table is only
//! spilled between documents), and every count of one n-gram, from
//! whichever file or worker, lands in the same part.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Result};

/// Parts of a spill file: the final count holds one part at a time per
/// thread, so about 1/64 of the table's distinct n-grams.
pub(crate) const PARTS: usize = 64;

/// The part of an n-gram, from its words' text hashes.
#[inline]
pub(crate) fn part(text_hashes: impl Iterator<Item = u64>) -> usize {
    let mut h = 0u64;
    for t in text_hashes {
        h = (h.rotate_left(23) ^ t).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    (h >> (64 - PARTS.trailing_zeros())) as usize
}

/// One table's entries written out: `words_per_entry` `u32`s each,
/// grouped by part.
#[derive(Debug)]
pub(crate) struct SpillFile {
    path: PathBuf,
    /// Where each part starts, in words, and where the last one ends.
    bounds: Vec<u64>,
}

impl SpillFile {
    /// Write `words` (entries grouped by part; `bounds`: where each part
    /// starts, then the end) to a new temporary file.
    pub fn write(words: &[u32], bounds: Vec<u64>) -> Result<SpillFile> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        static SWEPT: std::sync::Once = std::sync::Once::new();
        SWEPT.call_once(remove_stale);
        let path = std::env::temp_dir().join(format!(
            ".framescope-{}-{}.spill",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let file = SpillFile { path, bounds };
        // SAFETY: a u32 has no padding, so its memory is 4 initialized
        // bytes; the slice covers exactly the words' memory.
        let bytes =
            unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), words.len() * 4) };
        crate::output::create_pending(&file.path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| file.error("write", e))?;
        Ok(file)
    }

    /// Words in part `p`.
    pub fn part_len(&self, p: usize) -> usize {
        (self.bounds[p + 1] - self.bounds[p]) as usize
    }

    /// The words of part `p`, into `buf` (cleared first).
    pub fn read_part(&self, p: usize, buf: &mut Vec<u32>) -> Result<()> {
        let (start, end) = (self.bounds[p], self.bounds[p + 1]);
        buf.clear();
        if start == end {
            return Ok(());
        }
        buf.resize((end - start) as usize, 0);
        // SAFETY: every 4 bytes are a valid u32; the slice covers exactly
        // the buffer's initialized words.
        let bytes =
            unsafe { std::slice::from_raw_parts_mut(buf.as_mut_ptr().cast::<u8>(), buf.len() * 4) };
        std::fs::File::open(&self.path)
            .and_then(|mut f| {
                f.seek(SeekFrom::Start(start * 4))?;
                f.read_exact(bytes)
            })
            .map_err(|e| self.error("read", e))
    }

    fn error(&self, what: &str, e: std::io::Error) -> Error {
        Error::invalid(format!(
            "cannot {what} temporary n-gram counts {}: {e}; free space there, or set \
             TMPDIR to a folder with room",
            self.path.display()
        ))
    }
}

/// Remove the spill files that processes killed outright left in the
/// temporary folder: those whose process is gone (where the OS says,
/// through `/proc`; elsewhere nothing is removed) and that are a day old
/// (a process in another PID namespace sharing the folder is not seen in
/// `/proc`, but it does not leave a file a day untouched mid-run).
fn remove_stale() {
    const DAY: std::time::Duration = std::time::Duration::from_secs(24 * 3600);
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let Ok(dir) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in dir.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(".framescope-"))
            .filter(|n| n.ends_with(".spill"))
            .and_then(|n| n.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age >= DAY));
        if old && !std::path::Path::new("/proc").join(pid.to_string()).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Drop for SpillFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        crate::output::unlist_pending(&self.path);
    }
}
