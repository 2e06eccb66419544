//! Stands in for the units in the README's month walk-through: fills the forms `chitieu form`
//! wrote as units would (each indicator's value a little above last period's, booleans
//! `Đạt`), and sorts them as they come back: most in `RETURNED/dot-1` (the first batch), every
//! tenth form from the ninth in `RETURNED/dot-2` (a later batch), every tenth from the tenth not
//! returned at all.
//!
//! ```sh
//! cargo run --example fill_forms -- BLANK_DIR RETURNED_DIR
//! ```

use std::path::Path;
use std::process::ExitCode;

use calamine::{Reader, Xlsx};

#[path = "../tests/support/fill.rs"]
mod fill;
use fill::{edit, Typed};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [blank, returned] = args.as_slice() else {
        eprintln!("usage: fill_forms BLANK_DIR RETURNED_DIR");
        return ExitCode::from(2);
    };
    match run(Path::new(blank), Path::new(returned)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(blank: &Path, returned: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let mut names: Vec<_> = std::fs::read_dir(blank)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    names.sort();
    let (first, later) = (returned.join("dot-1"), returned.join("dot-2"));
    std::fs::create_dir_all(&first)?;
    std::fs::create_dir_all(&later)?;
    let (mut on_time, mut late, mut missing) = (0, 0, 0);
    for (i, path) in names.iter().enumerate() {
        let batch = match i % 10 {
            9 => {
                missing += 1;
                continue;
            }
            8 => {
                late += 1;
                &later
            }
            _ => {
                on_time += 1;
                &first
            }
        };
        let cells = figures(path)?;
        let typed: Vec<(&str, Typed)> = cells
            .iter()
            .map(|(cell, v)| {
                let t = match v {
                    Figure::Number(n) => Typed::Number(*n),
                    Figure::Yes => Typed::Text("Đạt"),
                };
                (cell.as_str(), t)
            })
            .collect();
        let name = path.file_name().ok_or("a form without a name")?;
        edit(path, &batch.join(name), &typed, &[], None);
    }
    println!(
        "{on_time} form(s) filled in {}, {late} in {}, {missing} not returned",
        first.display(),
        later.display()
    );
    Ok(())
}

enum Figure {
    Number(f64),
    Yes,
}

/// The value cells to fill: column G of each indicator row with last period's value (column F)
/// — a percentage 1 point higher, at most 100 —, `Đạt` for yes/no indicators; numbers with at
/// most 2 decimals, as a person types them.
fn figures(path: &Path) -> Result<Vec<(String, Figure)>, Box<dyn std::error::Error>> {
    let mut book: Xlsx<_> = calamine::open_workbook(path)?;
    let sheet = book.worksheet_range(chitieu::forms::FORM_SHEET)?;
    let mut cells = Vec::new();
    for (r, row) in sheet.rows().enumerate() {
        let (Some(unit), Some(previous)) = (row.get(3), row.get(5)) else {
            continue;
        };
        let r = r as u32 + sheet.start().map_or(0, |s| s.0) + 1;
        if r <= chitieu::forms::HEADER_ROW + 1 {
            continue;
        }
        let cell = format!("G{r}");
        match previous {
            calamine::Data::Float(v) if *unit == calamine::Data::String("%".into()) => {
                cells.push((cell, Figure::Number(typed((v + 1.0).min(100.0)))))
            }
            calamine::Data::Float(v) => cells.push((cell, Figure::Number(typed(*v)))),
            calamine::Data::Int(v) => cells.push((cell, Figure::Number(*v as f64))),
            calamine::Data::String(s) if s == "Đạt" || s == "Chưa đạt" => {
                cells.push((cell, Figure::Yes))
            }
            _ => {}
        }
    }
    Ok(cells)
}

/// `v` with at most 2 decimals.
fn typed(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}
