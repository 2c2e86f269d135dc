//! Memory hints shared by the hot loops: hash-table probes and postings
//! pushes that would each wait on a cache miss ask for their line a few
//! items ahead instead, and a growing table has its new pages faulted in
//! on two threads.

/// How many entries ahead the short per-token and per-norm loops (a
/// document's norm slots, `freq`'s stamps, the dense unigram counts) ask
/// for the line of a later one. Such a loop takes a few instructions an
/// entry, so 8 entries ahead was sooner than memory answers: at 32,
/// `perf record` found the stalls at the dense counts down from 8.9 to
/// 3.1 % of `Shard::add`'s samples, and at the norm slots from 9.7 to
/// 6.8 %.
pub(crate) const SHORT_LOOP_AHEAD: usize = 32;

/// Ask for the cache line at `p`. A hint only: it never faults, whatever
/// the address, and does nothing off x86-64.
#[inline(always)]
pub(crate) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch(p as *const i8, std::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Fault in the pages of `spare`, a vector's room past its length about
/// to be written, on two threads at once: on the virtual machines
/// framescope is measured on, a page handed out for the first time comes
/// at about 2.5 GB/s (small pages; huge ones, which
/// [`crate::alloc::tune`] turns off, at anything from 0.5 to 10 GB/s by
/// what the host has at hand), and a worker that doubles a big table
/// waits on it (a 24 MB table took 6 to 85 ms to double with huge pages)
/// while the other worker, its batch done, has nothing to do. The pages
/// are faulted in as a write would fault them, and no byte of them is
/// written. Nothing is done for
/// less than 4 MiB, with one thread in the pool, or off Linux.
pub(crate) fn fault_in<T>(spare: &mut [std::mem::MaybeUninit<T>]) {
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        const HUGE: usize = 2 << 20;
        let bytes = std::mem::size_of_val(spare);
        if bytes < (4 << 20) || rayon::current_num_threads() < 2 {
            return;
        }
        let first = spare.as_mut_ptr() as usize;
        let (start, end) = (first.next_multiple_of(PAGE), (first + bytes) / PAGE * PAGE);
        let mid = (start + (end - start) / 2).next_multiple_of(HUGE).min(end);
        let populate = |from: usize, to: usize| {
            if to > from {
                // SAFETY: whole pages within `spare`, memory of ours that
                // holds no value yet; MADV_POPULATE_WRITE changes no byte
                // of it. An error (an old kernel) leaves the pages to be
                // faulted in when written.
                unsafe {
                    libc::madvise(
                        from as *mut libc::c_void,
                        to - from,
                        libc::MADV_POPULATE_WRITE,
                    )
                };
            }
        };
        std::thread::scope(|s| {
            let helper = std::thread::Builder::new().spawn_scoped(s, || populate(mid, end));
            populate(start, mid);
            if helper.is_err() {
                populate(mid, end);
            }
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = spare;
}

#[cfg(test)]
mod tests {
    #[test]
    fn faulted_in_room_keeps_the_vector_whole() {
        // Room of 12 MiB past 1 MiB of values, faulted in on two threads,
        // then filled: the values before it are untouched, and the room
        // reads as what was written into it.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let mut v: Vec<u32> = (0..(1u32 << 18))
            .map(|i| i.wrapping_mul(2654435761))
            .collect();
        let add = 3 << 20;
        v.reserve_exact(add);
        let before = v.as_ptr();
        pool.install(|| super::fault_in(&mut v.spare_capacity_mut()[..add]));
        assert_eq!(v.as_ptr(), before, "the vector did not move");
        v.resize(v.len() + add, 7);
        assert!(v[..1 << 18]
            .iter()
            .enumerate()
            .all(|(i, &x)| x == (i as u32).wrapping_mul(2654435761)));
        assert!(v[1 << 18..].iter().all(|&x| x == 7));
    }
}
