//! The check of a dataset file against its declaration before the fused scan reads it: its
//! declared columns (E306) and, with units.csv, its unit ids (E300).

use std::path::Path;

use polars::prelude::*;

use super::scan;
use crate::definition::Dataset;

/// Checks a dataset file against its declaration before it is scanned: every declared column
/// must exist (E306, from the file's schema alone). With `units`, the distinct unit ids of the
/// records are also checked against units.csv (E300; this reads the unit column).
pub fn check_dataset(
    dataset: &Dataset,
    path: &Path,
    units: Option<&crate::data::Units>,
) -> Vec<crate::diagnostics::Diagnostic> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_dataset_file(dataset, path, units)
    }))
    .unwrap_or_else(|payload| {
        vec![crate::data::records::damaged_file(
            &dataset.name,
            path,
            &crate::guard::panic_message(payload.as_ref()),
        )]
    })
}

fn check_dataset_file(
    dataset: &Dataset,
    path: &Path,
    units: Option<&crate::data::Units>,
) -> Vec<crate::diagnostics::Diagnostic> {
    use crate::diagnostics::{Code, Diagnostic, Place};
    let fail = |message: String| vec![Diagnostic::new(Code::E306, path, Place::File, message)];
    let mut lf = match scan(dataset, path) {
        Ok(lf) => lf,
        Err(diagnostics) => return diagnostics,
    };
    let schema = match lf.collect_schema() {
        Ok(s) => s,
        Err(e) => {
            return fail(format!(
                "cannot read the columns of dataset \"{}\": {e}",
                dataset.name
            ))
        }
    };
    let mut needed = vec![dataset.unit.clone(), dataset.date.clone()];
    needed.extend(dataset.columns.clone().unwrap_or_default());
    let missing: Vec<&String> = needed
        .iter()
        .filter(|c| schema.get(c.as_str()).is_none())
        .collect();
    if !missing.is_empty() {
        let have: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
        let names: Vec<String> = missing.iter().map(|m| format!("\"{m}\"")).collect();
        return vec![Diagnostic::new(
            Code::E306,
            path,
            Place::File,
            format!(
                "dataset \"{}\" lacks the column(s) {}",
                dataset.name,
                names.join(", ")
            ),
        )
        .help(format!(
            "the file has: {}; fix catalogue.toml's [dataset.{}] or the file",
            have.join(", "),
            dataset.name
        ))];
    }
    let Some(units) = units else {
        return Vec::new();
    };
    let ids = lf
        .clone()
        .select([col(dataset.unit.as_str()).cast(DataType::String).unique()])
        .collect();
    let ids = match ids {
        Ok(frame) => frame,
        Err(e) => {
            return fail(format!(
                "cannot read the unit column of dataset \"{}\": {e}",
                dataset.name
            ))
        }
    };
    let mut unknown: Vec<String> = ids
        .column(dataset.unit.as_str())
        .ok()
        .and_then(|c| {
            c.str().ok().map(|s| {
                s.iter()
                    .flatten()
                    .filter(|id| units.index(id).is_none())
                    .map(str::to_string)
                    .collect()
            })
        })
        .unwrap_or_default();
    unknown.sort();
    unknown
        .into_iter()
        .map(|id| {
            // the first record with that unit, as a spreadsheet row (the header is row 1)
            let first = lf
                .clone()
                .with_row_index("__row", None)
                .filter(
                    col(dataset.unit.as_str())
                        .cast(DataType::String)
                        .eq(lit(id.as_str())),
                )
                .select([col("__row").first()])
                .collect()
                .ok()
                .and_then(|f| {
                    f.column("__row")
                        .ok()
                        .and_then(|c| c.idx().ok().and_then(|r| r.get(0)))
                });
            let place = match first {
                Some(row) => Place::Cell {
                    row: row as usize + 2,
                    column: dataset.unit.clone(),
                },
                None => Place::File,
            };
            Diagnostic::new(
                Code::E300,
                path,
                place,
                format!(
                    "column \"{}\" names unit \"{id}\", which units.csv lacks",
                    dataset.unit
                ),
            )
            .label(format!("unknown unit \"{id}\""))
            .help("add the unit to units.csv or fix the records")
        })
        .collect()
}
