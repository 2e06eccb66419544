//! `chitieu check`: load and check catalogues, print every diagnostic, set the exit status.

use std::io::Write;
use std::path::PathBuf;

use super::{discover_catalogues, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::check::{check_definitions, render, Code, Format, Severity};

#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Catalogue directories; empty means every catalogue under `indicators/`.
    pub paths: Vec<PathBuf>,
    /// A data directory to check against the (single) catalogue (E300–E307, W310).
    pub data: Option<PathBuf>,
    pub format: Format,
    pub deny_warnings: bool,
    pub color: bool,
}

/// Runs the check and writes diagnostics to `out`, problems of the run itself to `err`.
pub fn run(opts: &CheckOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    super::finish(run_io(opts, out, err), err)
}

fn run_io(opts: &CheckOptions, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let dirs = if opts.paths.is_empty() {
        match discover_catalogues(std::path::Path::new("indicators")) {
            Ok(dirs) if !dirs.is_empty() => dirs,
            Ok(_) => {
                writeln!(
                    err,
                    "error: no catalogue under indicators/ (a directory with a catalogue.toml)"
                )?;
                return Ok(EXIT_USAGE);
            }
            Err(e) => {
                writeln!(err, "error: cannot read indicators/: {e}\nhelp: run in the project directory, or name a catalogue: chitieu check indicators/<name>")?;
                return Ok(EXIT_USAGE);
            }
        }
    } else {
        opts.paths
            .iter()
            .map(|p| {
                if p.is_file() {
                    p.parent().map(PathBuf::from).unwrap_or_default()
                } else {
                    p.clone()
                }
            })
            .collect()
    };
    if opts.data.is_some() && dirs.len() != 1 {
        writeln!(err, "error: --data checks data against one catalogue; name it: chitieu check indicators/<name> --data DIR")?;
        return Ok(EXIT_USAGE);
    }
    let (mut errors, mut warnings) = (0usize, 0usize);
    for dir in &dirs {
        let mut loaded = match check_definitions(dir) {
            Ok(loaded) => loaded,
            Err(e) => {
                writeln!(err, "error: {e}")?;
                return Ok(EXIT_USAGE);
            }
        };
        if let Some(data) = &opts.data {
            if !data.is_dir() {
                writeln!(
                    err,
                    "error: data directory {} does not exist",
                    data.display()
                )?;
                return Ok(EXIT_USAGE);
            }
            let load = crate::data::load_data(data, &loaded.catalogue);
            loaded.diagnostics.extend(load.diagnostics);
            if let Some(d) = &load.data {
                for dataset in &loaded.catalogue.datasets {
                    if let Some(path) = d.datasets.get(&dataset.name) {
                        loaded.diagnostics.extend(crate::eval::fused::check_dataset(
                            dataset,
                            path,
                            Some(&d.units),
                        ));
                    }
                }
                // the scoreboard's published figures (SPEC §11), read as a score run reads them
                if let Err(problems) = crate::score::reconcile::read_published(data, &d.units) {
                    loaded.diagnostics.extend(problems);
                }
            }
            crate::check::add_csv_sources(&loaded.diagnostics, &mut loaded.sources);
        }
        for d in &loaded.diagnostics {
            match d.severity() {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
            }
            writeln!(
                out,
                "{}",
                render(d, &loaded.sources, opts.format, opts.color)
            )?;
            if opts.format == Format::Human {
                writeln!(out)?;
            }
        }
    }
    if opts.format == Format::Human {
        let n = dirs.len();
        writeln!(
            out,
            "checked {n} catalogue{}: {errors} error{}, {warnings} warning{}",
            plural(n),
            plural(errors),
            plural(warnings)
        )?;
    }
    if errors > 0 || (opts.deny_warnings && warnings > 0) {
        Ok(EXIT_ERRORS)
    } else {
        Ok(EXIT_OK)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `chitieu check --explain CODE`: the code's documentation.
pub fn explain_code(code: &str, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    super::finish(explain_code_io(code, out, err), err)
}

fn explain_code_io(code: &str, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    match Code::parse(code) {
        Some(code) => {
            writeln!(
                out,
                "{} ({}): {}\n",
                code.as_str(),
                code.severity().as_str(),
                code.summary()
            )?;
            for line in code.explanation().lines() {
                writeln!(out, "{}", line.strip_prefix(' ').unwrap_or(line))?;
            }
            Ok(EXIT_OK)
        }
        None => {
            writeln!(err, "error: unknown diagnostic code \"{code}\"; codes are E100–E150, W200, W201, E300–E307, W310")?;
            Ok(EXIT_USAGE)
        }
    }
}
