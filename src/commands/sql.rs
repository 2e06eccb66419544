//! `chitieu sql --dialect spark|duckdb`: prints, for every dataset that computed indicators read,
//! the one aggregate query that gives its partial table in that engine's SQL, for
//! `chitieu score --partials`. Refuses a catalogue with errors; reads no data.

use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::check::{check_definitions, render, Diagnostic, Format};
use crate::eval::dialect::{self, Dialect};
use crate::eval::fused;

#[derive(Debug, Clone)]
pub struct SqlOptions {
    pub catalogue: PathBuf,
    pub dialect: Dialect,
    pub color: bool,
}

pub fn run(opts: &SqlOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    super::finish(run_io(opts, out, err), err)
}

fn run_io(opts: &SqlOptions, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let loaded = match check_definitions(&opts.catalogue) {
        Ok(l) => l,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_USAGE);
        }
    };
    let errors: Vec<&Diagnostic> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() {
        for d in &errors {
            writeln!(
                err,
                "{}\n",
                render(d, &loaded.sources, Format::Human, opts.color)
            )?;
        }
        writeln!(
            err,
            "error: the catalogue has {} error(s); no SQL was written (see `chitieu check`)",
            errors.len()
        )?;
        return Ok(EXIT_ERRORS);
    }
    let c = &loaded.catalogue;
    let mut text = String::new();
    for dataset in &c.datasets {
        let query = match dialect::dataset_query(c, dataset, opts.dialect) {
            Ok(Some(q)) => q,
            Ok(None) => continue,
            Err(e) => {
                writeln!(err, "error: dataset \"{}\", {e}", dataset.name)?;
                return Ok(EXIT_ERRORS);
            }
        };
        let n = fused::indicators_of(c, &dataset.name).len();
        text += &format!(
            "-- chitieu: partial aggregates of dataset \"{}\" ({n} computed indicator(s) of \
             catalogue \"{}\"), {}\n-- run it over the records as table {}; score the results \
             with `chitieu score --partials DIR`\n{query};\n\n",
            dataset.name,
            c.id,
            opts.dialect.name(),
            opts.dialect.quote(&dataset.name),
        );
    }
    if text.is_empty() {
        writeln!(
            err,
            "note: catalogue \"{}\" has no computed indicators; there is nothing to aggregate",
            c.id
        )?;
    }
    write!(out, "{text}")?;
    Ok(EXIT_OK)
}
