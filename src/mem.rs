//! Memory hints shared by the hot loops: hash-table probes and postings
//! pushes that would each wait on a cache miss ask for their line a few
//! items ahead instead.

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
