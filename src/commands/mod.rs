//! The commands of the command line, as library functions that take plain options and a writer
//! and return the exit status (SPEC §9: 0 success, 1 errors in definitions or data, 2 usage or
//! I/O). `main.rs` only parses arguments into these options.

pub mod check;
pub mod collect;
pub mod digest;
pub mod explain;
pub mod form;
pub mod history;
pub mod import;
pub mod score;
pub mod sql;

/// Exit statuses of SPEC §9.
pub const EXIT_OK: u8 = 0;
pub const EXIT_ERRORS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

/// The exit status of a command whose output may have failed to be written: a closed pipe
/// (`chitieu check | head`) ends the run quietly with status 0 — the reader has what it wanted
/// —; any other failure (a full disk) is an I/O error, status 2, said on `err` when it can be.
pub fn finish(result: std::io::Result<u8>, err: &mut dyn Write) -> u8 {
    match result {
        Ok(status) => status,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            // when stderr itself is what failed, the status alone says it
            writeln!(err, "error: {e}").ok();
            EXIT_USAGE
        }
    }
}

/// A stream that names itself in its errors (`cannot write to standard output: No space left
/// on device`), so that the message of a failed write says where.
pub struct Named<W> {
    pub name: &'static str,
    pub inner: W,
}

impl<W: Write> Named<W> {
    fn tag(&self, e: std::io::Error) -> std::io::Error {
        std::io::Error::new(e.kind(), format!("cannot write to {}: {e}", self.name))
    }
}

impl<W: Write> Write for Named<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf).map_err(|e| self.tag(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().map_err(|e| self.tag(e))
    }
}

/// The catalogue of `dir`, checked: `Ok(Err(status))` when it cannot be read (exit 2) or has
/// errors (each rendered on `err`, then "the catalogue has N error(s); `nothing`", exit 1).
pub fn checked_catalogue(
    dir: &Path,
    nothing: &str,
    color: bool,
    err: &mut dyn Write,
) -> std::io::Result<Result<crate::Loaded, u8>> {
    use crate::check::{check_definitions, render, Format};
    let loaded = match check_definitions(dir) {
        Ok(l) => l,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(Err(EXIT_USAGE));
        }
    };
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    if errors.is_empty() {
        return Ok(Ok(loaded));
    }
    for d in &errors {
        writeln!(
            err,
            "{}\n",
            render(d, &loaded.sources, Format::Human, color)
        )?;
    }
    writeln!(
        err,
        "error: the catalogue has {} error(s); {nothing} (see `chitieu check`)",
        errors.len()
    )?;
    Ok(Err(EXIT_ERRORS))
}

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
