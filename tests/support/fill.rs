//! Filling a form as a spreadsheet does: the cells of the sheet XML in the workbook that
//! `chitieu form` wrote are given values, other parts edited as text. Shared by tests/forms.rs
//! and examples/fill_forms.rs; panics on a workbook it cannot edit (test tooling).

// test tooling (also under examples/fill_forms.rs): a panic is the failure report (Cargo.toml
// denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::Path;

/// What a person types into a cell.
pub enum Typed<'a> {
    Number(f64),
    /// Typed as text: `12,44`, `24.742`, `Đạt`.
    Text(&'a str),
    /// A formula saved without its computed value (as a program that does not compute
    /// formulas saves it); tests only.
    #[allow(dead_code)]
    Formula(&'a str),
}

/// Rewrites the workbook at `from` into `to` with `cells` (`G7`, typed) filled on the form sheet
/// (`xl/worksheets/sheet1.xml`; each must be an empty cell of the form), `replace` applied as plain text substitutions to any part, and
/// `extra_row` appended to the form sheet's rows.
pub fn edit(
    from: &Path,
    to: &Path,
    cells: &[(&str, Typed)],
    replace: &[(&str, &str, &str)],
    extra_row: Option<&str>,
) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut text = Vec::new();
        part.read_to_end(&mut text).unwrap();
        let mut text = String::from_utf8(text).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            for (cell, typed) in cells {
                let open = format!("<c r=\"{cell}\" ");
                let at = text
                    .find(&open)
                    .unwrap_or_else(|| panic!("no cell {cell} in the form"));
                let end = at + text[at..].find("/>").unwrap();
                let attrs = &text[at + open.len()..end];
                let filled = match typed {
                    Typed::Number(v) => format!("<c r=\"{cell}\" {attrs}><v>{v}</v></c>"),
                    Typed::Text(t) => format!(
                        "<c r=\"{cell}\" {attrs} t=\"inlineStr\"><is><t>{}</t></is></c>",
                        t.replace('&', "&amp;").replace('<', "&lt;")
                    ),
                    Typed::Formula(f) => format!("<c r=\"{cell}\" {attrs}><f>{f}</f></c>"),
                };
                text.replace_range(at..end + 2, &filled);
            }
            if let Some(row) = extra_row {
                text = text.replace("</sheetData>", &format!("{row}</sheetData>"));
            }
        }
        for (part_name, a, b) in replace {
            if name == *part_name {
                assert!(text.contains(a), "{a} not in {name}");
                text = text.replace(a, b);
            }
        }
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(text.as_bytes()).unwrap();
    }
    writer.finish().unwrap();
}
