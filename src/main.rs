//! The `chitieu` binary: the process-wide settings that must come first (the allocator and its
//! options, SIGPIPE, polars' hot table size, a silent panic
//! hook), then the library's command line
//! ([`chitieu::cli::run`]). Nothing else.

use std::process::ExitCode;

// The dist build's processor check (`cargo dist`: x86-64-v3), run before any of chitieu's code:
// in instructions every x86-64 processor runs, since this build's own code may not run on an
// older one (src/cpu_check.s says how; tests/cpu.rs runs it under qemu). The portable build has
// none.
// SAFETY: the constructor saves the one callee-saved register it uses (rbx), touches no memory
// but its own message, and either returns or ends the process
#[cfg(all(target_arch = "x86_64", target_os = "linux", target_feature = "avx2"))]
#[allow(unsafe_code)]
mod cpu_check {
    std::arch::global_asm!(include_str!("cpu_check.s"));
}

/// jemalloc, as in Python polars: lower peak memory and faster allocation than glibc malloc
/// (README "Performance").
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts (before `main`, so not settable from it): one arena,
/// and pages freed during the run kept for reuse instead of handed back to the system. A run is
/// one short job; with the defaults, jemalloc returns pages that polars' next morsels fault back
/// in (page faults, TLB shootdowns), while the peak, the high-water mark of live memory, is
/// about the same either way (README "National scale" has the figures).
/// `_RJEM_MALLOC_CONF` in the environment overrides these.
// SAFETY: jemalloc reads this symbol as a NUL-terminated C string, which it is; no other symbol
// of the program has this name
#[allow(unsafe_code)]
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: &[u8; 28] = b"narenas:1,dirty_decay_ms:-1\0";

/// Slots of the hot table of polars' streaming group-by (the groups it aggregates in place
/// before evicting partial aggregates): 4 × the 4,114 units of a national run, which the year's
/// scan groups by. polars' default (4,096) is just below them, and the shuffled national file's
/// year scan then evicts all the time (1.18 s against 1.03 s); a table of 262,144 slots, chosen
/// when the months went through the group-by too (they go through the dense scan now), spreads
/// the same groups over 3 MB a core, past the core's cache (year scan 1.14 s shuffled, 0.93 s
/// ordered, against 1.03 s and 0.86 s). A month left to the group-by (a measure of fractions)
/// peaks the same with either (docs/performance.md "2026-12-07 (night)").
const HOT_TABLE_SIZE: &str = "16384";

/// Sets polars' hot table size for this process (polars reads it when it builds a group-by); a
/// value in the environment wins, if polars can use it: polars asserts a power of two (its
/// failed assertion inside a scan would read as a damaged data file), and allocates 12 bytes a
/// slot per core (2^24 slots: 200 MB each). `Err` says why it cannot.
///
/// The only process-wide setting chitieu makes, here in `main` and nowhere in the library.
/// Called first in `main`, while the process has one thread: `set_var` is sound only when no
/// other thread reads or writes the environment (under edition 2024 it is an `unsafe fn` for
/// that reason, and this call its one `unsafe` block with the same argument).
fn hot_table_size() -> Result<(), String> {
    let Some(value) = std::env::var_os("POLARS_HOT_TABLE_SIZE") else {
        std::env::set_var("POLARS_HOT_TABLE_SIZE", HOT_TABLE_SIZE);
        return Ok(());
    };
    let size = value.to_str().and_then(|v| v.parse::<u32>().ok());
    if size.is_some_and(|n| (2..=1 << 24).contains(&n) && n.is_power_of_two()) {
        return Ok(());
    }
    Err(format!(
        "POLARS_HOT_TABLE_SIZE={}: polars needs a power of two from 2 to 16777216 (chitieu's \
         own is {HOT_TABLE_SIZE}); set one, or unset the variable",
        value.to_string_lossy()
    ))
}

/// Makes the process-wide settings, while the process has one thread, then runs the command
/// line ([`chitieu::cli::run`], which reports a setting that failed).
fn main() -> ExitCode {
    // a write to a closed pipe (`chitieu score | head -1`, `POLARS_VERBOSE=1 … 2>&1 | head`)
    // ends the process quietly, as it ends `cat`: Rust's runtime ignores SIGPIPE, and the
    // libraries' own logging (polars' eprintln!) would then panic on the broken pipe
    #[cfg(unix)]
    // SAFETY: called first in main, before any thread exists; SIG_DFL is a valid handler
    #[allow(unsafe_code)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // before any thread starts (see `hot_table_size`)
    let hot_table = hot_table_size();
    // a panic prints nothing: every panic is caught and reported as an error with its message
    // (`chitieu::cli::run`, and the outputs' renderers), and a message on a closed stderr would
    // itself panic
    std::panic::set_hook(Box::new(|_| {}));
    chitieu::cli::run(hot_table)
}
