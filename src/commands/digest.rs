//! `chitieu digest`: the morning message from the history (SPEC §10.4) as text, markdown or
//! JSON; `--fail-on` exits 3 when an alert of that severity or worse fired.

use std::io::Write;
use std::path::PathBuf;

use super::{checked_catalogue, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::definition::alert::Severity;
use crate::history::digest::{self, DigestOptions};
use crate::history::History;
use crate::project::Lang;

/// Exit status of `--fail-on` when an alert of that severity fired.
pub const EXIT_ALERT: u8 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone)]
pub struct DigestCommand {
    pub history: PathBuf,
    pub catalogue: PathBuf,
    pub as_of: Option<String>,
    pub format: Format,
    pub limits: Vec<String>,
    pub fail_on: Option<Severity>,
    pub lang: Lang,
}

pub fn run(opts: &DigestCommand, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let status = steps(opts, out, err);
    super::finish(status, err)
}

fn steps(opts: &DigestCommand, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let mut limits = Vec::new();
    for text in &opts.limits {
        match text
            .split_once('=')
            .map(|(l, n)| (l.trim(), n.trim().parse::<usize>()))
        {
            Some((level, Ok(n))) if !level.is_empty() => limits.push((level.to_string(), n)),
            _ => {
                writeln!(
                    err,
                    "error: invalid --limit \"{text}\"; write LEVEL=N, e.g. --limit xa=10"
                )?;
                return Ok(EXIT_USAGE);
            }
        }
    }
    let as_of = match &opts.as_of {
        Some(text) => match crate::data::number::parse_date(text) {
            Some(d) => Some(d),
            None => {
                writeln!(err, "error: invalid --as-of \"{text}\"; write 2026-10-31")?;
                return Ok(EXIT_USAGE);
            }
        },
        None => None,
    };
    let c = match checked_catalogue(&opts.catalogue, "no digest was made", false, err)? {
        Ok(loaded) => loaded.catalogue,
        Err(status) => return Ok(status),
    };
    let d = match digest::digest(
        &History::new(&opts.history),
        &c,
        &DigestOptions { as_of, limits },
    ) {
        Ok(d) => d,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_ERRORS);
        }
    };
    match opts.format {
        Format::Text => write!(out, "{}", digest::text(&d, opts.lang))?,
        Format::Markdown => write!(out, "{}", digest::markdown(&d, opts.lang))?,
        Format::Json => {
            let text = serde_json::to_string_pretty(&d).map_err(std::io::Error::other)?;
            writeln!(out, "{text}")?;
        }
    }
    Ok(match opts.fail_on {
        Some(level) if digest::fires(&d, level) => EXIT_ALERT,
        _ => EXIT_OK,
    })
}
