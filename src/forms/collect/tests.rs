//! Tests of `collect`.

use super::*;
use crate::data::fixture::{catalogue, UNITS};
use crate::forms::write::{form_sheet, meta_sheet, plan, Selection};
use rust_xlsxwriter::{Format, Workbook};

#[test]
fn percent_formatted_and_typed_cells_read_as_the_person_meant() {
    let tmp = tempfile::tempdir().unwrap();
    let c = catalogue(tmp.path());
    let data = crate::data::fixture::data_dir(tmp.path(), &[("units.csv", UNITS)]);
    let units = crate::data::load_data(&data, &c)
        .data
        .map(|d| d.units)
        .unwrap();
    let forms = plan(
        &c,
        &units,
        &[],
        Period::Month(2026, 6),
        &Selection::Unit("xa-1".into()),
    )
    .unwrap();
    // the form as a person fills it in Excel: `85%` typed into pct's value (stored 0.85,
    // percent format), `1.234` typed as text into count (Vietnamese thousands), `có` for flag
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    form_sheet(sheet, &forms[0]).unwrap();
    let (pct, count, flag) = (6, 7, 8); // 0-based rows of the three indicators
    let value = Column::Value.index();
    sheet
        .write_number_with_format(pct, value, 0.85, &Format::new().set_num_format("0%"))
        .unwrap();
    sheet.write_string(count, value, "1.234").unwrap();
    sheet.write_string(flag, value, "có").unwrap();
    let secret = Secret::from_bytes([1; 32]);
    meta_sheet(book.add_worksheet(), &forms[0], &secret).unwrap();
    let path = tmp.path().join("xa-1-2026-06.xlsx");
    book.save(&path).unwrap();

    let check = FormCheck {
        catalogue: &c,
        units: &units,
        secret: Some(&secret),
        trust_unsigned: false,
        received: NaiveDate::from_ymd_opt(2026, 7, 3).unwrap(),
        max_bytes: MAX_FORM_BYTES,
        data_dir: &data,
    };
    let (form, warnings) = read_form(&path, &check).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        (form.unit.as_str(), form.period),
        ("xa-1", Period::Month(2026, 6))
    );
    let values: Vec<(&str, Option<f64>, &str)> = form
        .figures
        .iter()
        .map(|f| (f.indicator.as_str(), f.value, f.cell.as_str()))
        .collect();
    assert_eq!(
        values,
        [
            ("pct", Some(85.0), "Biểu mẫu!G7"),
            ("count", Some(1234.0), "Biểu mẫu!G8"),
            ("flag", Some(1.0), "Biểu mẫu!G9"),
        ]
    );
    assert_eq!(form.empty, 0);
}
