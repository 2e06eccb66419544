//! `chitieu import portal766`: reads the portal's responses (`import::portal766`), prints every
//! problem, and writes the data directory all at once (`import::write_data_dir`) when none is
//! an error; then says what each response gave.

use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::data::Period;
use crate::import::portal766::{self, Options};
use crate::import::{write_data_dir, WriteError};

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    /// `--period`: the period of responses that do not say it.
    pub period: Option<String>,
    /// `--as-of`: the snapshot day of responses that do not say it.
    pub as_of: Option<String>,
    pub replace: bool,
}

pub fn run(opts: &ImportOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    super::finish(run_io(opts, out, err), err)
}

fn run_io(opts: &ImportOptions, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let period = match &opts.period {
        Some(text) => match Period::parse(text) {
            Some(p) => Some(p),
            None => {
                writeln!(
                    err,
                    "error: invalid --period \"{text}\"; write 2026, 2026-Q3 or 2026-08"
                )?;
                return Ok(EXIT_USAGE);
            }
        },
        None => None,
    };
    let as_of = match &opts.as_of {
        Some(text) => match chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                writeln!(err, "error: invalid --as-of \"{text}\"; write 2026-09-26")?;
                return Ok(EXIT_USAGE);
            }
        },
        None => None,
    };
    for input in &opts.inputs {
        if !input.exists() {
            writeln!(err, "error: {} does not exist", input.display())?;
            return Ok(EXIT_USAGE);
        }
    }
    let import = match portal766::import(&opts.inputs, &Options { period, as_of }) {
        Ok(i) => i,
        Err(problems) => {
            let errors = problems.iter().filter(|p| p.is_error()).count();
            for p in &problems {
                writeln!(err, "{}: {p}", p.severity.as_str())?;
            }
            writeln!(
                err,
                "error: {errors} error(s) in the responses; nothing was written to {}",
                opts.out.display()
            )?;
            return Ok(EXIT_ERRORS);
        }
    };
    for p in &import.warnings {
        writeln!(err, "{}: {p}", p.severity.as_str())?;
    }
    if import.units.is_empty() {
        writeln!(
            err,
            "error: the responses hold no unit's figures; nothing was written to {}",
            opts.out.display()
        )?;
        return Ok(EXIT_ERRORS);
    }
    let files = import.files(&command_line(opts));
    let written: Vec<&str> = files.files.iter().map(|(n, _)| *n).collect();
    let stale: Vec<&str> = portal766::NAMES
        .iter()
        .copied()
        .filter(|n| !written.contains(n))
        .collect();
    let contents: Vec<(&str, Vec<u8>)> = files.files.iter().map(|(n, b)| (*n, b.clone())).collect();
    if let Err(e) = write_data_dir(&opts.out, &contents, &stale, opts.replace) {
        writeln!(err, "error: {e}")?;
        // a directory that holds data is a usage error, a failed write an I/O error: both 2
        let (WriteError::HasData { .. } | WriteError::Io { .. }) = e;
        return Ok(EXIT_USAGE);
    }
    for f in &import.files {
        let when = match (f.period, f.as_of) {
            (Some(p), Some(d)) => format!(", {p} as of {}", d.format("%Y-%m-%d")),
            _ => String::new(),
        };
        writeln!(
            out,
            "{}: {}{when}: {} unit(s), {} count(s), {} published figure(s)",
            f.file,
            f.shape.describe(),
            f.units,
            f.counted,
            f.shown
        )?;
        for note in &f.notes {
            writeln!(out, "  {note}")?;
        }
    }
    if import.reported.is_empty() {
        writeln!(
            out,
            "no counts: these responses publish totals and group scores only; reported.csv is \
             not written (the directory gives the portal's figures to a history; chitieu has \
             nothing to score or reconcile them with)"
        )?;
    }
    portal_consistency(&opts.out, out)?;
    writeln!(
        out,
        "{}: {} unit(s), {} reported row(s), {} published row(s)",
        opts.out.display(),
        import.units.len(),
        import.reported.len(),
        import.published.len()
    )?;
    Ok(EXIT_OK)
}

/// The command that made the directory, as its README shows it (paths as given).
fn command_line(opts: &ImportOptions) -> String {
    let mut words = vec!["chitieu import portal766".to_string()];
    words.extend(opts.inputs.iter().map(|p| p.display().to_string()));
    if let Some(p) = &opts.period {
        words.push(format!("--period {p}"));
    }
    if let Some(d) = &opts.as_of {
        words.push(format!("--as-of {d}"));
    }
    words.push(format!("--out {}", opts.out.display()));
    words.join(" ")
}

/// The portal's figures against themselves (totals against their groups, groups against their
/// maximum), read back from the published.csv just written: the same check as a score run's
/// reconciliation, for directories that have no counts to score.
fn portal_consistency(dir: &std::path::Path, out: &mut dyn Write) -> std::io::Result<()> {
    use crate::report::reconciliation::{inconsistency_counts, inconsistency_line, SHOWN};
    use crate::score::reconcile::{inconsistencies, read_published, Reconciliation};
    let units = crate::data::read_table(&dir.join("units.csv"))
        .ok()
        .and_then(|t| crate::data::Units::from_table(&t).ok());
    let published = units.and_then(|u| read_published(dir, &u).ok().flatten());
    let Some(published) = published else {
        return Ok(());
    };
    let rows: Vec<_> = published.rows.iter().collect();
    let found = inconsistencies(&rows, portal766::GROUPS.len(), &portal766::group_max);
    if found.is_empty() {
        return Ok(());
    }
    let lang = crate::project::Lang::En;
    let r = Reconciliation {
        inconsistencies: found,
        ..Reconciliation::default()
    };
    writeln!(
        out,
        "the portal's figures disagree with themselves: {}",
        inconsistency_counts(&r, lang)
    )?;
    for p in r.inconsistencies.iter().take(SHOWN) {
        writeln!(out, "  {}", inconsistency_line(p, lang))?;
    }
    if r.inconsistencies.len() > SHOWN {
        writeln!(out, "  … {} more", r.inconsistencies.len() - SHOWN)?;
    }
    Ok(())
}
