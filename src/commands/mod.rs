//! The commands of the command line, as library functions that take plain options and a writer
//! and return the exit status (SPEC §9: 0 success, 1 errors in definitions or data, 2 usage or
//! I/O). `main.rs` only parses arguments into these options.

pub mod check;
pub mod explain;
pub mod score;
pub mod sql;

/// Exit statuses of SPEC §9.
pub const EXIT_OK: u8 = 0;
pub const EXIT_ERRORS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

use std::path::{Path, PathBuf};

/// Every catalogue directory under `root` (directories holding a catalogue.toml), sorted.
pub fn discover_catalogues(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let path = entry?.path();
        if path.join("catalogue.toml").is_file() {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}
