//! Memory the allocator keeps between the steps of a run.
//!
//! The binary runs on jemalloc configured to keep the pages freed during a run for reuse
//! (`dirty_decay_ms:-1`, `src/main.rs`): handing them back while polars scans costs page faults
//! in its next morsels (0.4 s of a 2.5 s scan of 50M dossiers when they decay after one to three
//! seconds). But once the scan is over, the pages its morsels used are not reused by scoring and
//! the outputs, which allocate elsewhere: they stayed resident, and the run's peak was the scan's
//! pages plus the scorecard (384 MB at national month grain instead of 280 MB).
//! [`release_freed_pages`] hands them back then, and after each later step of a run.

/// Hands the pages jemalloc holds freed (in every arena) back to the system. Harmless when
/// jemalloc is not the program's allocator (a library user's program): it then holds none.
/// `Err` holds jemalloc's error number when it refused (the run goes on: the pages stay
/// resident, nothing is wrong with the results).
pub fn release_freed_pages() -> Result<(), i32> {
    // "arena.<MALLCTL_ARENAS_ALL>.purge": MALLCTL_ARENAS_ALL is 4096 in jemalloc 5
    let name = c"arena.4096.purge";
    // SAFETY: a mallctl that reads and writes no value (null old and new pointers, length 0),
    // with a NUL-terminated name that outlives the call
    #[allow(unsafe_code)]
    let status = unsafe {
        tikv_jemalloc_sys::mallctl(
            name.as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        )
    };
    match status {
        0 => Ok(()),
        error => Err(error),
    }
}

/// Bytes the program has allocated and not freed (jemalloc's `stats.allocated`, refreshed);
/// `None` when jemalloc cannot say (not the program's allocator, or built without statistics).
pub fn allocated() -> Option<usize> {
    let mut epoch: u64 = 1;
    let mut size = std::mem::size_of::<u64>();
    let mut allocated: usize = 0;
    let mut len = std::mem::size_of::<usize>();
    // SAFETY: "epoch" is written a u64 and read back into one of its size; "stats.allocated"
    // is read into a usize of its size; both names are NUL-terminated and outlive the calls
    #[allow(unsafe_code)]
    let status = unsafe {
        let refreshed = tikv_jemalloc_sys::mallctl(
            c"epoch".as_ptr(),
            (&raw mut epoch).cast(),
            &raw mut size,
            (&raw mut epoch).cast(),
            std::mem::size_of::<u64>(),
        );
        if refreshed != 0 {
            refreshed
        } else {
            tikv_jemalloc_sys::mallctl(
                c"stats.allocated".as_ptr(),
                (&raw mut allocated).cast(),
                &raw mut len,
                std::ptr::null_mut(),
                0,
            )
        }
    };
    (status == 0).then_some(allocated)
}
