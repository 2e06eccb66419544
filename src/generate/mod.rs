//! Deterministic, seeded generators of the synthetic data shipped in `data/` (and of benchmark
//! data). Being written; see `run`.

use std::path::Path;

/// Generates the data set `which` into `out` with `seed`; returns a one-line summary.
pub fn run(which: &str, out: &Path, seed: u64, dossiers: usize) -> Result<String, String> {
    let _ = (out, seed, dossiers);
    Err(format!("unknown generator \"{which}\""))
}
