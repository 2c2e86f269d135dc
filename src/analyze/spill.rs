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
/// grouped by part, each word as a LEB128 varint. Symbols are mostly
/// below 2¹⁶ and counts mostly 1, so a trigram's five words take about
/// 9 bytes instead of 20: less to write, to keep in the page cache and
/// to read back.
#[derive(Debug)]
pub(crate) struct SpillFile {
    path: PathBuf,
    /// Where each part starts, in words, and where the last one ends.
    bounds: Vec<u64>,
    /// The same, in bytes of the file.
    offsets: Vec<u64>,
}

/// Append `w` as a LEB128 varint: 7 bits a byte, low bits first, the
/// high bit set on every byte but the last.
#[inline]
fn put_varint(out: &mut Vec<u8>, mut w: u32) {
    while w >= 0x80 {
        out.push(w as u8 | 0x80);
        w >>= 7;
    }
    out.push(w as u8);
}

/// Decode `bytes` (whole varints) into `out`, or `None` when they are
/// not exactly `out.len()` well-formed varints.
fn get_varints(bytes: &[u8], out: &mut [u32]) -> Option<()> {
    let mut at = 0;
    for w in out.iter_mut() {
        let (mut v, mut shift) = (0u32, 0u32);
        loop {
            let b = *bytes.get(at)?;
            at += 1;
            if shift > 28 || (shift == 28 && b > 0x0F) {
                return None;
            }
            v |= ((b & 0x7F) as u32) << shift;
            if b < 0x80 {
                break;
            }
            shift += 7;
        }
        *w = v;
    }
    (at == bytes.len()).then_some(())
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
        let mut file = SpillFile {
            path,
            bounds,
            offsets: Vec::new(),
        };
        // Encoded a slice of words at a time into a small buffer: no
        // second copy of the table, whose memory is short.
        let mut f =
            crate::output::create_pending(&file.path).map_err(|e| file.error("write", e))?;
        let mut buf = Vec::with_capacity(1 << 16);
        let (mut offsets, mut written) = (vec![0u64], 0u64);
        for part in file.bounds.windows(2) {
            for chunk in words[part[0] as usize..part[1] as usize].chunks(1 << 13) {
                for &w in chunk {
                    put_varint(&mut buf, w);
                }
                f.write_all(&buf).map_err(|e| file.error("write", e))?;
                written += buf.len() as u64;
                buf.clear();
            }
            offsets.push(written);
        }
        file.offsets = offsets;
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
        let (from, to) = (self.offsets[p], self.offsets[p + 1]);
        let mut bytes = vec![0u8; (to - from) as usize];
        std::fs::File::open(&self.path)
            .and_then(|mut f| {
                f.seek(SeekFrom::Start(from))?;
                f.read_exact(&mut bytes)
            })
            .map_err(|e| self.error("read", e))?;
        get_varints(&bytes, buf).ok_or_else(|| {
            self.error(
                "read",
                std::io::Error::new(std::io::ErrorKind::InvalidData, "the file was altered"),
            )
        })
    }

    fn error(&self, what: &str, e: std::io::Error) -> Error {
        let hint = if e.kind() == std::io::ErrorKind::FileTooLarge {
            format!(
                "{}, or give the tables more memory (--table-memory MIB)",
                crate::error::FILE_SIZE_LIMIT
            )
        } else {
            "free space there, or set TMPDIR to a folder with room".to_string()
        };
        Error::invalid(format!(
            "cannot {what} temporary n-gram counts {}: {e}; {hint}",
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

/// A table's entries to count back at the end: a file the pass spilled,
/// or a table still in memory then, grouped by part in its own memory as
/// a file is (no file written and read back for it).
#[derive(Debug)]
pub(crate) enum Spilled {
    File(SpillFile),
    Memory {
        /// The entries, `words_per_entry` `u32`s each, grouped by part.
        words: Vec<u32>,
        /// Where each part starts, in words, and where the last one ends.
        bounds: Vec<u64>,
    },
}

impl Spilled {
    /// Words in part `p`.
    pub fn part_len(&self, p: usize) -> usize {
        match self {
            Spilled::File(f) => f.part_len(p),
            Spilled::Memory { bounds, .. } => (bounds[p + 1] - bounds[p]) as usize,
        }
    }

    /// The words of part `p`: read into `buf` from a file, or lent from
    /// memory.
    pub fn part<'a>(&'a self, p: usize, buf: &'a mut Vec<u32>) -> Result<&'a [u32]> {
        match self {
            Spilled::File(f) => {
                f.read_part(p, buf)?;
                Ok(buf)
            }
            Spilled::Memory { words, bounds } => {
                Ok(&words[bounds[p] as usize..bounds[p + 1] as usize])
            }
        }
    }

    /// Is this a file the pass wrote?
    pub fn is_file(&self) -> bool {
        matches!(self, Spilled::File(_))
    }
}

impl Drop for SpillFile {
    fn drop(&mut self) {
        crate::output::remove_pending(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_reject_what_was_not_written() {
        let words = [
            0,
            1,
            0x7F,
            0x80,
            0x3FFF,
            0x4000,
            0x1F_FFFF,
            0x20_0000,
            0x0FFF_FFFF,
            0x1000_0000,
            u32::MAX - 1,
            u32::MAX,
        ];
        let mut bytes = Vec::new();
        for &w in &words {
            put_varint(&mut bytes, w);
        }
        // One byte below 2⁷, two below 2¹⁴, …, five for the top of u32.
        assert_eq!(bytes.len(), 1 + 1 + 1 + 2 + 2 + 3 + 3 + 4 + 4 + 5 + 5 + 5);
        let mut back = vec![7u32; words.len()];
        assert_eq!(get_varints(&bytes, &mut back), Some(()));
        assert_eq!(back, words);
        // Cut short, one word too many or too few, past 32 bits.
        assert_eq!(get_varints(&bytes[..bytes.len() - 1], &mut back), None);
        assert_eq!(get_varints(&bytes, &mut back[..words.len() - 1]), None);
        assert_eq!(get_varints(&bytes, &mut vec![0; words.len() + 1]), None);
        assert_eq!(get_varints(&[0xFF, 0xFF, 0xFF, 0xFF, 0x10], &mut [0]), None);
        assert_eq!(
            get_varints(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01], &mut [0]),
            None
        );
    }

    #[test]
    fn a_spill_file_gives_back_each_part_as_written() {
        // Three parts: one empty, one of small words, one of big ones.
        let words: Vec<u32> = (0..40u32)
            .chain((0..30).map(|i| u32::MAX - i * 977))
            .collect();
        let bounds = vec![0, 0, 40, 70];
        let file = SpillFile::write(&words, bounds).unwrap();
        let mut buf = vec![1, 2, 3];
        for (p, range) in [(0, 0..0), (1, 0..40), (2, 40..70)] {
            assert_eq!(file.part_len(p), range.len());
            file.read_part(p, &mut buf).unwrap();
            assert_eq!(buf, words[range]);
        }
        let path = file.path.clone();
        assert!(path.exists());
        drop(file);
        assert!(!path.exists());
    }
}
