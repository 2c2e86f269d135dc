//! Big output files written around the page cache.
//!
//! On the machines this project runs on (2-core virtual machines), a
//! buffered `write` cost about 3 s of kernel time a gigabyte: the page
//! cache's pages are allocated and filled, then written back by `fsync`.
//! A direct write (`O_DIRECT`, Linux) of the same bytes cost 0.45 s
//! (`dd` of 1 GB in blocks of 1 MiB: 5.9 s of system time buffered,
//! 0.45 s direct). `run` writes 1.5 GB of CSV for a gigabyte of long
//! documents and up to seven times as much for one of short documents,
//! so that kernel time was a core's worth of seconds the workers waited
//! for.
//!
//! A [`DirectWriter`] fills blocks aligned for direct I/O and hands each
//! full one to a thread of its own, which writes it while the next is
//! filled: the writing waits on the disk, not on a core. The last block,
//! partly filled, is written through the page cache. Where direct writes
//! are refused (tmpfs, some network file systems, other systems than
//! Linux), the same blocks go through the page cache: the bytes written
//! are the same either way.

use std::fs::File;
use std::io::{self, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

/// The alignment of a block's memory, size and file offset for direct
/// writes: a page, a multiple of every disk's logical block.
const ALIGN: usize = 4096;

/// Bytes a block holds: a write of 1 to 4 MiB ran at the disk's full
/// speed with `dd`.
const BLOCK: usize = 2 << 20;

/// Blocks a writer owns (one being filled, the others queued or being
/// written): 6 MiB per file being written.
const BLOCKS: usize = 3;

/// Memory for `size` bytes starting at an address aligned to [`ALIGN`]
/// (a vector longer by `ALIGN`, used from its first aligned byte: it is
/// never grown, so it never moves).
struct Block {
    mem: Vec<u8>,
    start: usize,
    size: usize,
    /// Bytes filled.
    len: usize,
}

impl Block {
    fn new(size: usize) -> Block {
        let mem = vec![0u8; size + ALIGN];
        let start = mem.as_ptr().align_offset(ALIGN);
        Block {
            mem,
            start,
            size,
            len: 0,
        }
    }

    fn filled(&self) -> &[u8] {
        &self.mem[self.start..self.start + self.len]
    }

    fn room(&mut self) -> &mut [u8] {
        &mut self.mem[self.start + self.len..self.start + self.size]
    }
}

/// A file written in aligned blocks by a thread of its own (see the
/// module's documentation). Its bytes are all in the file once
/// [`DirectWriter::finish`] returns; `flush` hands nothing over (a block
/// goes when it is full, so that every direct write stays aligned), and
/// nothing reads the file before it is finished.
pub(crate) struct DirectWriter {
    /// The block being filled (none after an error).
    block: Option<Block>,
    size: usize,
    /// Blocks made so far (at most [`BLOCKS`]).
    made: usize,
    to_disk: Option<SyncSender<Block>>,
    /// Blocks written, back for filling.
    back: Receiver<Block>,
    thread: Option<JoinHandle<io::Result<File>>>,
}

impl DirectWriter {
    /// Write `file` (opened for writing, at its start) in blocks of
    /// [`BLOCK`] bytes, directly where the file system allows it.
    pub fn new(file: File) -> DirectWriter {
        DirectWriter::start(file, BLOCK, true)
    }

    /// A writer of blocks of `size` bytes (a multiple of 4,096), trying
    /// direct writes or not.
    fn start(file: File, size: usize, try_direct: bool) -> DirectWriter {
        assert!(size > 0 && size % ALIGN == 0, "a block is whole pages");
        let direct = try_direct && set_direct(&file, true).is_ok();
        let (to_disk, blocks) = sync_channel::<Block>(BLOCKS);
        let (give_back, back) = sync_channel::<Block>(BLOCKS);
        let thread = std::thread::spawn(move || write_blocks(file, direct, blocks, give_back));
        DirectWriter {
            block: Some(Block::new(size)),
            size,
            made: 1,
            to_disk: Some(to_disk),
            back,
            thread: Some(thread),
        }
    }

    /// Send the block being filled to the writing thread, and take an
    /// empty one (a new one while fewer than [`BLOCKS`] are made).
    fn send(&mut self) -> io::Result<()> {
        let Some(block) = self.block.take() else {
            return Err(self.failed());
        };
        let sent = self.to_disk.as_ref().map(|t| t.send(block));
        if !matches!(sent, Some(Ok(()))) {
            return Err(self.failed());
        }
        let next = match self.back.try_recv() {
            Ok(b) => b,
            Err(_) if self.made < BLOCKS => {
                self.made += 1;
                Block::new(self.size)
            }
            Err(_) => match self.back.recv() {
                Ok(b) => b,
                Err(_) => return Err(self.failed()),
            },
        };
        self.block = Some(next);
        Ok(())
    }

    /// The writing thread's error, once it has stopped on one.
    fn failed(&mut self) -> io::Error {
        match self.join() {
            Err(e) => e,
            Ok(_) => io::Error::other("the file's writing thread stopped"),
        }
    }

    /// Tell the writing thread no block is coming, and wait for it: the
    /// file, or its error.
    fn join(&mut self) -> io::Result<File> {
        self.to_disk = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(res)) => res,
            Some(Err(_)) => Err(io::Error::other("the file's writing thread panicked")),
            None => Err(io::Error::other("the file's writing thread stopped")),
        }
    }

    /// Write what is left and hand back the file, every byte in it.
    pub fn finish(mut self) -> io::Result<File> {
        if let Some(block) = self.block.take() {
            if block.len > 0 {
                let sent = self.to_disk.as_ref().map(|t| t.send(block));
                if !matches!(sent, Some(Ok(()))) {
                    return Err(self.failed());
                }
            }
        }
        self.join()
    }
}

impl Write for DirectWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(block) = &mut self.block else {
            return Err(self.failed());
        };
        let room = block.room();
        let n = room.len().min(buf.len());
        room[..n].copy_from_slice(&buf[..n]);
        block.len += n;
        if block.len == block.size {
            self.send()?;
        }
        Ok(n)
    }

    /// Nothing: a block goes to the file when it is full, the last one
    /// at [`DirectWriter::finish`].
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for DirectWriter {
    /// Unfinished (an error on the way): the thread writes what it was
    /// given and stops; the file is closed before this returns.
    fn drop(&mut self) {
        let _ = self.join();
    }
}

/// The writing thread: each block in turn, directly while every block is
/// whole (a part-filled block is the last one) and direct writes are
/// accepted, through the page cache otherwise.
fn write_blocks(
    mut file: File,
    mut direct: bool,
    blocks: Receiver<Block>,
    give_back: SyncSender<Block>,
) -> io::Result<File> {
    for mut block in blocks {
        let bytes = block.filled();
        if direct && bytes.len() % ALIGN != 0 {
            set_direct(&file, false)?;
            direct = false;
        }
        let mut done = 0;
        while done < bytes.len() {
            match file.write(&bytes[done..]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // Refused after all (a short write left the rest
                // unaligned, or the file system takes direct opens but
                // not direct writes): the page cache takes the rest.
                Err(e) if direct && e.raw_os_error() == Some(EINVAL) => {
                    set_direct(&file, false)?;
                    direct = false;
                }
                Err(e) => return Err(e),
            }
        }
        block.len = 0;
        // The writer may be gone (finished or dropped): the block too.
        let _ = give_back.try_send(block);
    }
    Ok(file)
}

#[cfg(target_os = "linux")]
const EINVAL: i32 = libc::EINVAL;
#[cfg(not(target_os = "linux"))]
const EINVAL: i32 = 22;

/// Turn direct writes on or off for `file`.
#[cfg(target_os = "linux")]
fn set_direct(file: &File, on: bool) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let fd = file.as_raw_fd();
    // SAFETY: fcntl on a descriptor this function borrows open; F_GETFL
    // and F_SETFL read and set its status flags, nothing else.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(io::Error::last_os_error());
    }
    let flags = if on {
        flags | libc::O_DIRECT
    } else {
        flags & !libc::O_DIRECT
    };
    // SAFETY: as above.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, flags) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Direct writes are Linux's here: elsewhere the page cache takes all.
#[cfg(not(target_os = "linux"))]
fn set_direct(_file: &File, on: bool) -> io::Result<()> {
    if on {
        Err(io::Error::other("no direct writes on this system"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Whatever the sizes of the writes, the file holds the bytes written,
    /// in order: empty, less than a block, exactly blocks, blocks and a
    /// tail, with writes smaller and larger than a block.
    #[test]
    fn a_file_holds_what_was_written() {
        let dir = std::env::temp_dir().join(format!("framescope-direct-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let size = 2 * ALIGN;
        for total in [
            0,
            1,
            ALIGN - 1,
            ALIGN,
            size,
            size + 1,
            5 * size,
            7 * size + 123,
        ] {
            for (piece, try_direct) in [1, 100, ALIGN + 3, 3 * size + 5]
                .into_iter()
                .flat_map(|p| [(p, true), (p, false)])
            {
                let data: Vec<u8> = (0..total).map(|i| (i * 7 % 251) as u8).collect();
                let path = dir.join(format!("t-{total}-{piece}"));
                let file = File::create(&path).unwrap();
                let mut w = DirectWriter::start(file, size, try_direct);
                for chunk in data.chunks(piece) {
                    w.write_all(chunk).unwrap();
                    w.flush().unwrap();
                }
                drop(w.finish().unwrap());
                let mut got = Vec::new();
                File::open(&path).unwrap().read_to_end(&mut got).unwrap();
                assert!(
                    got == data,
                    "{total} bytes in pieces of {piece}, direct {try_direct}"
                );
                std::fs::remove_file(&path).unwrap();
            }
        }
        std::fs::remove_dir(&dir).unwrap();
    }

    /// Where the file system takes direct writes, whole blocks are written
    /// directly (the file still has `O_DIRECT` once they are), and a
    /// last part-filled block through the page cache.
    #[cfg(target_os = "linux")]
    #[test]
    fn whole_blocks_are_written_directly() {
        let dir = std::env::temp_dir();
        let probe = dir.join(format!("framescope-direct-probe-{}", std::process::id()));
        let mut f = File::create(&probe).unwrap();
        let mut block = Block::new(ALIGN);
        block.len = ALIGN;
        let direct_works = set_direct(&f, true).is_ok() && f.write(block.filled()).is_ok();
        drop(f);
        std::fs::remove_file(&probe).unwrap();
        if !direct_works {
            eprintln!("{}: no direct writes on this file system", dir.display());
            return;
        }
        let flags = |f: &File| {
            use std::os::fd::AsRawFd;
            // SAFETY: F_GETFL on an open descriptor reads its flags.
            unsafe { libc::fcntl(f.as_raw_fd(), libc::F_GETFL) }
        };
        let path = dir.join(format!("framescope-direct-whole-{}", std::process::id()));
        for (len, direct_after) in [(3 * ALIGN, true), (3 * ALIGN + 1, false)] {
            let mut w = DirectWriter::start(File::create(&path).unwrap(), ALIGN, true);
            w.write_all(&vec![b'z'; len]).unwrap();
            let f = w.finish().unwrap();
            assert_eq!(flags(&f) & libc::O_DIRECT != 0, direct_after, "{len} bytes");
            assert_eq!(f.metadata().unwrap().len(), len as u64);
        }
        std::fs::remove_file(&path).unwrap();
    }

    /// A write error (here: a file opened read-only) comes back from a
    /// later write or from `finish`, and never hangs the writer.
    #[test]
    fn a_write_error_comes_back() {
        let path =
            std::env::temp_dir().join(format!("framescope-direct-ro-{}", std::process::id()));
        std::fs::write(&path, b"x").unwrap();
        let mut w = DirectWriter::start(File::open(&path).unwrap(), ALIGN, true);
        let data = vec![b'a'; 10 * ALIGN];
        let early = w.write_all(&data);
        let late = w.finish();
        assert!(early.is_err() || late.is_err(), "the error was lost");
        let mut w = DirectWriter::start(File::open(&path).unwrap(), ALIGN, true);
        w.write_all(b"a tail only").unwrap();
        assert!(w.finish().is_err());
        std::fs::remove_file(&path).unwrap();
    }
}
