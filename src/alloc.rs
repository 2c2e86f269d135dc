//! The binary's allocator: mimalloc for everything small, and on Linux
//! the system's own pages for every block of [`DIRECT`] bytes or more.
//!
//! On the virtual machines framescope is measured on, a page the kernel
//! hands out for the first time costs more than the work done on it: a
//! huge page comes at about 0.5 GB/s, a small one at about 2.5 GB/s
//! (which is why [`tune`] turns huge pages off). The big blocks (hash
//! tables, postings, vocabularies) grow by doubling; through mimalloc
//! each doubling was a new block, its pages fresh, the old one given
//! back after a delay.
//! Here a big block is mapped on its own, grown with `mremap` (its pages
//! move, none is copied or zeroed again: the n-gram tables grow in place,
//! see `analyze::grammap`), and unmapped the moment it is freed.

use std::alloc::{GlobalAlloc, Layout};

/// Blocks of this many bytes or more are mapped on their own (Linux).
pub const DIRECT: usize = 16 << 20;

/// mimalloc, with every block of [`DIRECT`] bytes or more mapped on its
/// own on Linux.
pub struct Allocator;

unsafe extern "C" {
    /// mimalloc's option setter (`mi_option_set` of mimalloc.h).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_e`.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// `mi_option_allow_thp` in mimalloc v3's `mi_option_e`.
const MI_OPTION_ALLOW_THP: std::ffi::c_int = 43;

/// Set mimalloc's options and the process's use of huge pages; call
/// once, first thing in `main`.
///
/// mimalloc gives memory back to the system once it has stayed free for
/// 100 ms (its default is 10 ms): the pass frees and allocates a batch of
/// documents every few milliseconds, and giving those pages back only to
/// fault them in again, zeroed, cost up to a fifth of `freq`. Keeping
/// freed memory for longer costs memory: never giving it back raised the
/// peak of `run` on 1 GB of sentences with their article's metadata
/// (`benches/rich-sentences.py`) from 820 to 930 MiB. An environment's
/// MIMALLOC_PURGE_DELAY wins.
///
/// Transparent huge pages are turned off for the process (on Linux;
/// `prctl(PR_SET_THP_DISABLE)`, as mimalloc does with
/// `MIMALLOC_ALLOW_THP=0`). On the virtual machines framescope is
/// measured on, a huge page the process touches for the first time is
/// one the host has taken back (the guest reports its free 2 MiB blocks
/// to the host), and comes at about 0.5 GB/s; a 4 KiB page comes at about
/// 2.5 GB/s. With two workers faulting in their tables at once, huge
/// pages made the system time of `run` two to three times that of one
/// worker. Without them, `run` at 2 threads took up to 15 % less time
/// (the real corpus, 100 and 200 MB, 235 MB of paragraphs; about the
/// same at 1 GB), at 1 thread 4–7 % more (TLB misses on the big tables),
/// and its peak fell by 30 to 100 MiB. An environment's
/// MIMALLOC_ALLOW_THP wins: set to 1, the big blocks are advised to use
/// huge pages as before.
pub fn tune() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: a plain setter of a global integer option; valid at any
        // time, from any thread.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 100) };
    }
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: as above.
        unsafe { mi_option_set(MI_OPTION_ALLOW_THP, 0) };
        #[cfg(target_os = "linux")]
        // SAFETY: sets a flag of the calling process; no memory is
        // passed. On failure (an old kernel) huge pages stay as they were.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

#[inline]
fn direct(layout: &Layout) -> bool {
    cfg!(target_os = "linux") && layout.size() >= DIRECT && layout.align() <= PAGE
}

const PAGE: usize = 4096;

// SAFETY: every block is either mimalloc's, allocated and freed by it, or
// a mapping of its own; which one is decided by the size and alignment
// of its layout alone, which Rust passes unchanged from allocation to
// reallocation and freeing.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if direct(&layout) {
            return pages::map(layout.size());
        }
        // SAFETY: the caller's contract, passed on.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if direct(&layout) {
            // A fresh mapping reads as zeros.
            return pages::map(layout.size());
        }
        // SAFETY: the caller's contract, passed on.
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if direct(&layout) {
            // SAFETY: `ptr` is a mapping of `layout.size()` bytes from
            // `pages::map` or `pages::remap`.
            unsafe { pages::unmap(ptr, layout.size()) };
            return;
        }
        // SAFETY: the caller's contract, passed on.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees `new_size` with `layout.align()`
        // is a valid layout.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (direct(&layout), direct(&new)) {
            // SAFETY: `ptr` is a mapping of `layout.size()` bytes.
            (true, true) => unsafe { pages::remap(ptr, layout.size(), new_size) },
            // SAFETY: the caller's contract, passed on.
            (false, false) => unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) },
            _ => {
                // SAFETY: `new` is a valid layout of non-zero size (one
                // of the two sizes is at least DIRECT, the other is a
                // block's); the copy is of the smaller of two live blocks.
                unsafe {
                    let to = self.alloc(new);
                    if !to.is_null() {
                        std::ptr::copy_nonoverlapping(ptr, to, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    to
                }
            }
        }
    }
}

#[cfg(target_os = "linux")]
mod pages {
    use super::PAGE;

    /// Huge pages (2 MiB) for a mapping, when the process has them
    /// (`MIMALLOC_ALLOW_THP=1`, see [`super::tune`]): fewer TLB misses on
    /// tables probed at random. A mapping starts at a multiple of this.
    const HUGE: usize = 2 << 20;

    fn len(size: usize) -> usize {
        size.div_ceil(PAGE) * PAGE
    }

    /// A new mapping of `size` bytes, zeroed, aligned to [`HUGE`] and
    /// advised to use huge pages; null if the system refuses.
    pub(super) fn map(size: usize) -> *mut u8 {
        let len = len(size);
        // SAFETY: an anonymous private mapping at an address the kernel
        // picks; parts of it are unmapped below, never touched before.
        unsafe {
            let raw = libc::mmap(
                std::ptr::null_mut(),
                len + HUGE,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            if raw == libc::MAP_FAILED {
                return std::ptr::null_mut();
            }
            let raw = raw as usize;
            let start = raw.next_multiple_of(HUGE);
            if start > raw {
                libc::munmap(raw as *mut libc::c_void, start - raw);
            }
            let tail = raw + len + HUGE - (start + len);
            if tail > 0 {
                libc::munmap((start + len) as *mut libc::c_void, tail);
            }
            libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
            start as *mut u8
        }
    }

    /// Unmap a block of `size` bytes from [`map`] or [`remap`].
    ///
    /// # Safety
    /// `ptr` is such a block, not used after.
    pub(super) unsafe fn unmap(ptr: *mut u8, size: usize) {
        // SAFETY: the caller's contract: the whole mapping, unused after.
        unsafe { libc::munmap(ptr as *mut libc::c_void, len(size)) };
    }

    /// A block of `old` bytes from [`map`] or [`remap`] resized to `new`
    /// bytes: its pages move to the new place (or stay), none is copied;
    /// null if the system refuses (the block is then untouched).
    ///
    /// # Safety
    /// `ptr` is such a block; it is not used after unless null is
    /// returned.
    pub(super) unsafe fn remap(ptr: *mut u8, old: usize, new: usize) -> *mut u8 {
        let (old, new) = (len(old), len(new));
        if new == old {
            return ptr;
        }
        // SAFETY: the caller's contract; the pages beyond `new` of a
        // shrunk block are the caller's no more.
        unsafe {
            let to = libc::mremap(ptr as *mut libc::c_void, old, new, libc::MREMAP_MAYMOVE);
            if to == libc::MAP_FAILED {
                return std::ptr::null_mut();
            }
            if new > old {
                libc::madvise(to, new, libc::MADV_HUGEPAGE);
            }
            to as *mut u8
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod pages {
    pub(super) fn map(_: usize) -> *mut u8 {
        unreachable!("blocks are mapped on their own on Linux only")
    }
    pub(super) unsafe fn unmap(_: *mut u8, _: usize) {
        unreachable!("blocks are mapped on their own on Linux only")
    }
    pub(super) unsafe fn remap(_: *mut u8, _: usize, _: usize) -> *mut u8 {
        unreachable!("blocks are mapped on their own on Linux only")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" {
        /// mimalloc's option getter (`mi_option_get` of mimalloc.h).
        fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    }

    /// After `tune`, mimalloc keeps freed memory for 100 ms and neither
    /// it nor the kernel gives the process huge pages, unless the
    /// environment says otherwise.
    #[test]
    fn tune_keeps_memory_and_turns_huge_pages_off() {
        tune();
        // SAFETY: plain getters of global integer options.
        let (purge, thp) = unsafe {
            (
                mi_option_get(MI_OPTION_PURGE_DELAY),
                mi_option_get(MI_OPTION_ALLOW_THP),
            )
        };
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(purge, 100);
        }
        if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
            assert_eq!(thp, 0);
            #[cfg(target_os = "linux")]
            {
                // SAFETY: reads a flag of the calling process.
                let off = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
                assert_eq!(off, 1, "huge pages still on");
                // Where the OS tells (`THP_enabled`, on recent kernels).
                assert!(matches!(crate::timing::huge_pages(), Some("off") | None));
            }
        }
    }

    /// Byte `i` of the pattern written into blocks.
    fn pat(i: usize) -> u8 {
        (i * 31 + i / 4096) as u8
    }

    #[test]
    fn blocks_keep_their_bytes_across_sizes_and_ways() {
        let a = Allocator;
        let big = DIRECT + (3 << 20) + 123;
        let layout = Layout::from_size_align(big, 8).unwrap();
        // SAFETY: layouts of non-zero size; each block is written and read
        // within its size, resized and freed with the layout it has.
        unsafe {
            let p = a.alloc_zeroed(layout);
            assert!(!p.is_null());
            if cfg!(target_os = "linux") {
                assert_eq!(p as usize % (2 << 20), 0, "a big block starts a huge page");
            }
            let b = std::slice::from_raw_parts_mut(p, big);
            assert!(b.iter().step_by(997).chain(&b[big - 1..]).all(|&x| x == 0));
            for (i, x) in b.iter_mut().enumerate() {
                *x = pat(i);
            }
            // Big to bigger, to smaller but big, to small, to big again:
            // the bytes both sizes hold stay.
            let mut size = big;
            let mut p = p;
            for new in [3 * DIRECT + 5, DIRECT, 1000, DIRECT + 7] {
                let q = a.realloc(p, Layout::from_size_align(size, 8).unwrap(), new);
                assert!(!q.is_null());
                let kept = size.min(new);
                let b = std::slice::from_raw_parts(q, kept);
                assert!(
                    b.iter().enumerate().all(|(i, &x)| x == pat(i)),
                    "{size} -> {new} bytes"
                );
                if new > kept {
                    // Fill what grew, so the next check holds everywhere.
                    let b = std::slice::from_raw_parts_mut(q, new);
                    for (i, x) in b.iter_mut().enumerate().skip(kept) {
                        *x = pat(i);
                    }
                }
                p = q;
                size = new;
            }
            a.dealloc(p, Layout::from_size_align(size, 8).unwrap());

            // Small blocks are mimalloc's, zeroed when asked.
            let small = Layout::from_size_align(4000, 64).unwrap();
            let s = a.alloc_zeroed(small);
            assert_eq!(s as usize % 64, 0);
            assert!(std::slice::from_raw_parts(s, 4000).iter().all(|&x| x == 0));
            a.dealloc(s, small);
        }
    }
}
