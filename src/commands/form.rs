//! `chitieu form`: checks the catalogue, reads the units and reported values of the data
//! directory, and writes one XLSX form per unit for a period (`forms::plan`, `forms::write_forms`).

use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::check::{render, Diagnostic, Format};
use crate::data::{load_data, Period};
use crate::forms::{self, Selection};

#[derive(Debug, Clone)]
pub struct FormOptions {
    pub catalogue: PathBuf,
    pub data: PathBuf,
    pub period: String,
    pub selection: Selection,
    pub out: PathBuf,
    pub color: bool,
}

pub fn run(opts: &FormOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    super::finish(run_io(opts, out, err), err)
}

fn run_io(opts: &FormOptions, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let Some(period) = Period::parse(&opts.period) else {
        writeln!(
            err,
            "error: invalid --period \"{}\"; write 2026, 2026-Q2 or 2026-06",
            opts.period
        )?;
        return Ok(EXIT_USAGE);
    };
    if let Some(clash) = crate::project::output_clash(&opts.out, &opts.data, &opts.catalogue) {
        writeln!(err, "error: {clash}")?;
        return Ok(EXIT_USAGE);
    }
    let loaded =
        match super::checked_catalogue(&opts.catalogue, "no form was written", opts.color, err)? {
            Ok(l) => l,
            Err(status) => return Ok(status),
        };
    let mut sources = loaded.sources.clone();
    let c = &loaded.catalogue;
    // forms need the units and last period's values, not the record datasets
    let load = load_data(
        &opts.data,
        &crate::definition::Catalogue {
            datasets: Vec::new(),
            ..c.clone()
        },
    );
    let Some(data) = load.data else {
        crate::check::add_csv_sources(&load.diagnostics, &mut sources);
        let errors: Vec<&Diagnostic> = load.diagnostics.iter().filter(|d| d.is_error()).collect();
        for d in &errors {
            writeln!(err, "{}\n", render(d, &sources, Format::Human, opts.color))?;
        }
        writeln!(
            err,
            "error: the data has {} error(s); no form was written",
            errors.len().max(1)
        )?;
        return Ok(EXIT_ERRORS);
    };
    let planned = match forms::plan(c, &data.units, &data.reported, period, &opts.selection) {
        Ok(f) => f,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_USAGE);
        }
    };
    if planned.is_empty() {
        writeln!(
            err,
            "error: no selected unit has an indicator to report in catalogue \"{}\"; no form \
             was written",
            c.id
        )?;
        return Ok(EXIT_USAGE);
    }
    let secret = match forms::Secret::of_data_dir(&opts.data) {
        Ok(s) => s,
        Err(e) => {
            writeln!(
                err,
                "error: cannot keep the forms' key in {}: {e}; no form was written",
                opts.data.display()
            )?;
            return Ok(EXIT_USAGE);
        }
    };
    let written = match forms::write_forms(&opts.out, &planned, &secret) {
        Ok(w) => w,
        Err(e) => {
            writeln!(err, "error: {e}; no form was written")?;
            return Ok(EXIT_USAGE);
        }
    };
    for (form, path) in planned.iter().zip(&written) {
        writeln!(
            out,
            "{}  {} ({}): {} indicator(s)",
            path.display(),
            form.unit_name,
            form.unit,
            form.rows.len()
        )?;
    }
    writeln!(
        out,
        "{} form(s) for period {period} written to {}",
        written.len(),
        opts.out.display()
    )?;
    Ok(EXIT_OK)
}
