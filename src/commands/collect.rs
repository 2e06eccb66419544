//! `chitieu collect`: checks the catalogue, reads every returned form of a directory and merges
//! the figures into the data directory (`forms::collect`), then says what each form added.

use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::check::{render, Format};
use crate::forms::{self, CollectError, CollectOptions};

#[derive(Debug, Clone)]
pub struct CollectCommand {
    pub forms: PathBuf,
    pub catalogue: PathBuf,
    pub data: PathBuf,
    pub replace: bool,
    /// `--received DATE`; `None` is today.
    pub received: Option<String>,
    /// `--trust-unsigned`: accept forms without a valid checksum.
    pub trust_unsigned: bool,
    /// `--max-form-mb`: the most a form may inflate to.
    pub max_form_mb: u64,
    /// A test hook called at each step of the commit (never set by a user).
    pub hook: Option<crate::data::commit::StepHook>,
    pub color: bool,
}

pub fn run(opts: &CollectCommand, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    super::finish(run_io(opts, out, err), err)
}

fn run_io(opts: &CollectCommand, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let received = match &opts.received {
        None => chrono::Local::now().date_naive(),
        Some(text) => match crate::data::number::parse_date(text) {
            Some(d) => d,
            None => {
                writeln!(
                    err,
                    "error: invalid --received \"{text}\"; write 2026-12-08 or 8/12/2026"
                )?;
                return Ok(EXIT_USAGE);
            }
        },
    };
    let loaded = match super::checked_catalogue(
        &opts.catalogue,
        "nothing was collected",
        opts.color,
        err,
    )? {
        Ok(l) => l,
        Err(status) => return Ok(status),
    };
    let mut sources = loaded.sources.clone();
    let options = CollectOptions {
        forms: opts.forms.clone(),
        data: opts.data.clone(),
        replace: opts.replace,
        received,
        today: chrono::Local::now().date_naive(),
        trust_unsigned: opts.trust_unsigned,
        max_form_bytes: opts.max_form_mb.saturating_mul(1024 * 1024),
        hook: opts.hook,
    };
    let mut wait_error = Ok(());
    let mut waiting = || {
        wait_error = writeln!(
            err,
            "note: another chitieu run is writing to {}; waiting for it to finish",
            opts.data.display()
        );
    };
    let result = forms::collect(&loaded.catalogue, &options, &mut waiting);
    wait_error?;
    let collected = match result {
        Ok(c) => c,
        Err(CollectError::Usage(message)) => {
            writeln!(err, "error: {message}")?;
            return Ok(EXIT_USAGE);
        }
        Err(CollectError::Commit(e)) => {
            writeln!(err, "error: {e}; nothing was written")?;
            return Ok(EXIT_USAGE);
        }
        Err(CollectError::Diagnostics(diagnostics)) => {
            crate::check::add_csv_sources(&diagnostics, &mut sources);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            for d in &diagnostics {
                writeln!(err, "{}\n", render(d, &sources, Format::Human, opts.color))?;
            }
            writeln!(
                err,
                "error: {errors} error(s) in the returned forms or the data; nothing was \
                 written to {}",
                opts.data.display()
            )?;
            return Ok(EXIT_ERRORS);
        }
    };
    for d in &collected.warnings {
        writeln!(err, "{}\n", render(d, &sources, Format::Human, opts.color))?;
    }
    let (mut added, mut replaced, mut submitted) = (0, 0, 0);
    for f in &collected.files {
        let reports: Vec<String> = f
            .submissions
            .iter()
            .map(|(id, new)| format!("{id}{}", if *new { "" } else { " (already recorded)" }))
            .collect();
        writeln!(
            out,
            "{}: unit {}, period {}: {} added, {} unchanged, {} replaced, {} left empty{}",
            f.path.display(),
            f.unit,
            f.period,
            f.added,
            f.unchanged,
            f.replaced,
            f.empty,
            if reports.is_empty() {
                String::new()
            } else {
                format!("; submission {}", reports.join(", "))
            }
        )?;
        added += f.added;
        replaced += f.replaced;
        submitted += f.submissions.iter().filter(|(_, new)| *new).count();
    }
    if collected.written {
        writeln!(
            out,
            "{}: {added} row(s) added, {replaced} replaced; {}: {submitted} submission(s) \
             added, received {received}",
            collected.reported.display(),
            collected.submissions.display()
        )?;
    } else {
        writeln!(
            out,
            "nothing new: the forms give no figure or submission that {} and {} lack; no file \
             was changed",
            collected.reported.display(),
            collected.submissions.display()
        )?;
    }
    Ok(EXIT_OK)
}
