//! `chitieu form`: which indicators each unit must report for a period ([`plan`]), one XLSX form
//! per unit ([`render`], signed with the data directory's secret) and writing them all or none,
//! never over an existing file ([`write_forms`]). Reads no returned form.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use super::sign::{Identity, Secret};
use super::{
    Column, FORM_SHEET, FORM_VERSION, HEADER_ROW, HELP_SHEET, KEY_CATALOGUE, KEY_CHECKSUM,
    KEY_FORM, KEY_INDICATORS, KEY_PERIOD, KEY_REPORTS, KEY_UNIT, META_SHEET,
};
use crate::cycle::owed_for;
use crate::data::commit::{CommitError, Transaction};
use crate::data::table::column_letters;
use crate::data::{Period, ReportedRow, Units};
use crate::definition::{Catalogue, Indicator, UnitKind};
use crate::project::Lang;
use crate::score::in_force::target_in_force;

/// Which units get a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every unit that has something to report.
    All,
    /// One unit, by id.
    Unit(String),
    /// Every unit of one level (`level` of units.csv).
    Level(String),
}

/// One unit's form for one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub unit: String,
    pub unit_name: String,
    pub period: Period,
    pub catalogue: String,
    pub catalogue_title: String,
    /// The reports the form answers: those the unit owes for exactly this period (SPEC §6.1)
    /// that carry an indicator of the form.
    pub reports: Vec<FormReport>,
    pub rows: Vec<FormRow>,
}

/// A report a form answers.
#[derive(Debug, Clone, PartialEq)]
pub struct FormReport {
    pub id: String,
    pub name: String,
    pub due: chrono::NaiveDate,
}

/// One indicator row of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormRow {
    pub indicator: String,
    pub code: Option<String>,
    pub name: String,
    pub kind: UnitKind,
    /// The unit of measure as shown: the indicator's `unit_label`, else its kind's Vietnamese
    /// name.
    pub unit_of_measure: String,
    pub limits: (f64, f64),
    /// The target in force for the period's year, as a person reads it.
    pub target: Option<String>,
    /// The unit's own value of the period before (same granularity), from the data.
    pub previous: Option<f64>,
}

/// Why no form can be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("units.csv has no unit `{id}`{}", hint.as_ref().map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default())]
    UnknownUnit { id: String, hint: Option<String> },
    #[error("units.csv has no unit of level `{level}` (its levels: {})", levels.join(", "))]
    UnknownLevel { level: String, levels: Vec<String> },
}

/// Whether a unit of `level` reports `indicator` on a form: reported measures only (computed
/// ones come from records), of the unit's level (SPEC §6.1 `levels`).
pub(crate) fn on_form(indicator: &Indicator, level: &str) -> bool {
    indicator.is_reported() && indicator.complete && indicator.applies_to_level(level)
}

/// The forms of `period` for the selected units, in the order of units.csv: each unit's
/// reported indicators in catalogue order, with the target in force and the unit's value of the
/// period before. A unit with no indicator to report gets no form.
pub fn plan(
    c: &Catalogue,
    units: &Units,
    reported: &[ReportedRow],
    period: Period,
    selection: &Selection,
) -> Result<Vec<Form>, PlanError> {
    let chosen: Vec<usize> = match selection {
        Selection::All => (0..units.len()).collect(),
        Selection::Unit(id) => match units.index(id) {
            Some(i) => vec![i],
            None => {
                return Err(PlanError::UnknownUnit {
                    id: id.clone(),
                    hint: units.suggest(id).map(str::to_string),
                })
            }
        },
        Selection::Level(level) => {
            let found: Vec<usize> = (0..units.len())
                .filter(|&i| units.get(i).is_some_and(|u| &u.level == level))
                .collect();
            if found.is_empty() {
                return Err(PlanError::UnknownLevel {
                    level: level.clone(),
                    levels: units.levels(),
                });
            }
            found
        }
    };
    let previous = period.previous();
    let before: HashMap<(usize, usize), f64> = reported
        .iter()
        .filter(|r| r.period == previous)
        .filter_map(|r| Some(((r.unit, r.indicator), r.value?)))
        .collect();
    let mut forms = Vec::new();
    for u in chosen {
        let Some(unit) = units.get(u) else { continue };
        let rows: Vec<FormRow> = c
            .indicators
            .iter()
            .enumerate()
            .filter(|(_, ind)| on_form(ind, &unit.level))
            .map(|(k, ind)| FormRow {
                indicator: ind.id.clone(),
                code: ind.code.clone(),
                name: ind.name.clone(),
                kind: ind.unit,
                unit_of_measure: ind
                    .unit_label
                    .clone()
                    .unwrap_or_else(|| unit_of_measure(ind.unit).to_string()),
                limits: ind.limits,
                target: target_in_force(&ind.targets, period.year())
                    .map(|t| t.target.label(Lang::Vi)),
                previous: before.get(&(u, k)).copied(),
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        // the reports of exactly this period: a month's form answers the monthly reports of
        // that month and the fixed-date reports named by it, a quarter's the quarterly ones
        let mut reports: Vec<FormReport> = Vec::new();
        for owed in owed_for(c, &unit.id, &unit.level, period) {
            let Some(report) = c.reports.get(owed.report) else {
                continue;
            };
            let carried = c
                .indicators
                .iter()
                .any(|i| rows.iter().any(|r| r.indicator == i.id) && report.carries_indicator(i));
            if owed.period == period && carried && !reports.iter().any(|r| r.id == report.id) {
                reports.push(FormReport {
                    id: report.id.clone(),
                    name: report.name.clone(),
                    due: owed.due,
                });
            }
        }
        forms.push(Form {
            unit: unit.id.clone(),
            unit_name: unit.name.clone(),
            period,
            catalogue: c.id.clone(),
            catalogue_title: c.title.clone(),
            reports,
            rows,
        });
    }
    Ok(forms)
}

fn unit_of_measure(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Percent => "%",
        UnitKind::Count => "số lượng",
        UnitKind::Rank => "thứ hạng",
        UnitKind::Score => "điểm",
        UnitKind::Boolean => "đạt / chưa đạt",
    }
}

/// The words a boolean value cell offers (read back by `parse_bool`).
const YES_NO: [&str; 2] = ["Đạt", "Chưa đạt"];

/// The form as XLSX bytes (see the module documentation of `forms` for the layout), its
/// identification signed with `secret`.
pub fn render(form: &Form, secret: &Secret) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    form_sheet(sheet, form)?;
    let help = book.add_worksheet();
    help_sheet(help, form)?;
    let meta = book.add_worksheet();
    meta_sheet(meta, form, secret)?;
    book.save_to_buffer()
}

/// Where each indicator id stands on the form sheet as written: (`A7`, id), in row order.
pub fn identity_cells(form: &Form) -> Vec<(String, String)> {
    form.rows
        .iter()
        .enumerate()
        .map(|(k, r)| {
            (
                format!(
                    "{}{}",
                    column_letters(Column::Indicator.index() as usize),
                    HEADER_ROW + 2 + k as u32
                ),
                r.indicator.clone(),
            )
        })
        .collect()
}

pub(super) fn form_sheet(sheet: &mut Worksheet, form: &Form) -> Result<(), XlsxError> {
    sheet.set_name(FORM_SHEET)?;
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin);
    let fixed = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let number = fixed.clone().set_num_format("#,##0.##");
    let id = Format::new()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let input = Format::new()
        .set_unlocked()
        .set_background_color(Color::RGB(0xFFF2CC))
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let note = input.clone().set_text_wrap();
    let unused = Format::new()
        .set_background_color(Color::RGB(0xEDEDED))
        .set_border(FormatBorder::Thin);

    title_rows(sheet, form)?;
    // the id column as wide as the longest id (ids are not wrapped: they are read back)
    let id_width = form
        .rows
        .iter()
        .map(|r| r.indicator.chars().count())
        .max()
        .unwrap_or(0)
        .max(14) as f64
        + 2.0;
    let widths = [
        id_width, 7.0, 60.0, 12.0, 18.0, 14.0, 12.0, 12.0, 12.0, 30.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    for column in Column::ALL {
        let label = match column {
            Column::Target => format!("{} {}", column.label(), form.period.year()),
            Column::Previous => format!("{} ({})", column.label(), form.period.previous()),
            _ => column.label().to_string(),
        };
        sheet.write_string_with_format(HEADER_ROW, column.index(), label, &header)?;
    }
    sheet.set_row_height(HEADER_ROW, 32)?;
    for (k, row) in form.rows.iter().enumerate() {
        let r = HEADER_ROW + 1 + k as u32;
        let at = |c: Column| (r, c.index());
        let text = |c: Column, s: &str| (at(c), s.to_string());
        sheet.write_string_with_format(r, Column::Indicator.index(), &row.indicator, &id)?;
        // spreadsheets do not grow a row for wrapped text written by a program: the height is
        // set from the longest wrapped text (about 55 characters a line in the name column)
        let lines = [
            (row.name.chars().count(), 55),
            (row.target.as_deref().map_or(0, |t| t.chars().count()), 16),
        ]
        .iter()
        .map(|(n, per_line)| n.div_ceil(*per_line))
        .max()
        .unwrap_or(1)
        .max(1);
        if lines > 1 {
            sheet.set_row_height(r, 15.0 * lines as f64 + 2.0)?;
        }
        for ((r, c), s) in [
            text(Column::Code, row.code.as_deref().unwrap_or("")),
            text(Column::Name, &row.name),
            text(Column::UnitOfMeasure, &row.unit_of_measure),
            text(Column::Target, row.target.as_deref().unwrap_or("")),
        ] {
            sheet.write_string_with_format(r, c, s, &fixed)?;
        }
        let (pr, pc) = at(Column::Previous);
        match row.previous {
            Some(v) if row.kind == UnitKind::Boolean => {
                let word = if v >= 0.5 { YES_NO[0] } else { YES_NO[1] };
                sheet.write_string_with_format(pr, pc, word, &fixed)?
            }
            Some(v) => sheet.write_number_with_format(pr, pc, v, &number)?,
            None => sheet.write_blank(pr, pc, &fixed)?,
        };
        let (vr, vc) = at(Column::Value);
        sheet.write_blank(vr, vc, &input)?;
        sheet.add_data_validation(vr, vc, vr, vc, &value_rule(row)?)?;
        let (nr, nc) = at(Column::Numerator);
        let (dr, dc) = at(Column::Denominator);
        if row.kind == UnitKind::Percent {
            sheet.write_blank(nr, nc, &input)?;
            sheet.write_blank(dr, dc, &input)?;
            let n = format!("{}{}", column_letters(nc as usize), nr + 1);
            let d = format!("{}{}", column_letters(dc as usize), dr + 1);
            let rule = |own: &str| {
                count_rule(format!(
                    "=AND(ISNUMBER({own}),{own}>=0,OR(ISBLANK({n}),ISBLANK({d}),{n}<={d}))"
                ))
            };
            sheet.add_data_validation(nr, nc, nr, nc, &rule(&n)?)?;
            sheet.add_data_validation(dr, dc, dr, dc, &rule(&d)?)?;
        } else {
            sheet.write_blank(nr, nc, &unused)?;
            sheet.write_blank(dr, dc, &unused)?;
        }
        let (tr, tc) = at(Column::Note);
        sheet.write_blank(tr, tc, &note)?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    // printed: A4 landscape, one page wide, the header row on every page
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    // protected without a password: every cell but the yellow ones is locked, and Review →
    // Unprotect Sheet lifts it
    sheet.protect();
    sheet.set_active(true);
    Ok(())
}

/// The rows above the form's header: its title, catalogue, unit, period and what to fill in.
fn title_rows(sheet: &mut Worksheet, form: &Form) -> Result<(), XlsxError> {
    let title = Format::new().set_bold().set_font_size(13);
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, "BIỂU MẪU BÁO CÁO SỐ LIỆU CHỈ TIÊU", &title)?;
    sheet.write_string(1, 0, &form.catalogue_title)?;
    sheet.write_string_with_format(
        2,
        0,
        format!("Đơn vị: {} (mã {})", form.unit_name, form.unit),
        &bold,
    )?;
    sheet.write_string_with_format(
        3,
        0,
        format!(
            "Kỳ báo cáo: {} — bộ chỉ tiêu {}",
            period_words(form.period),
            form.catalogue
        ),
        &bold,
    )?;
    sheet.write_string(
        4,
        0,
        format!(
            "{}Nhập số liệu vào các ô màu vàng (giá trị, hoặc tử số và mẫu số); xem sheet \
             \"{HELP_SHEET}\".",
            reports_line(form)
        ),
    )?;
    Ok(())
}

/// `Báo cáo: <name> — hạn nộp 10/12/2026. ` for each report the form answers; empty when none.
fn reports_line(form: &Form) -> String {
    form.reports
        .iter()
        .map(|r| {
            format!(
                "Báo cáo: {} — hạn nộp {}. ",
                r.name,
                r.due.format("%d/%m/%Y")
            )
        })
        .collect()
}

/// The validation of a value cell: a number within the indicator's limits, or a yes/no word.
fn value_rule(row: &FormRow) -> Result<DataValidation, XlsxError> {
    let (lo, hi) = row.limits;
    let rule = DataValidation::new().set_error_style(DataValidationErrorStyle::Stop);
    if row.kind == UnitKind::Boolean {
        return rule
            .allow_list_strings(&YES_NO)?
            .set_error_title("Giá trị không hợp lệ")?
            .set_error_message("Chọn \"Đạt\" hoặc \"Chưa đạt\".");
    }
    let (allowed, message) = if hi.is_finite() {
        (
            DataValidationRule::Between(lo, hi),
            format!(
                "Nhập một số từ {} đến {}.",
                crate::labels::number(lo, 0, Lang::Vi),
                crate::labels::number(hi, 0, Lang::Vi)
            ),
        )
    } else {
        (
            DataValidationRule::GreaterThanOrEqualTo(lo),
            format!(
                "Nhập một số không nhỏ hơn {}.",
                crate::labels::number(lo, 0, Lang::Vi)
            ),
        )
    };
    rule.allow_decimal_number(allowed)
        .set_error_title("Giá trị không hợp lệ")?
        .set_error_message(message)
}

/// The validation of a numerator or denominator cell: a number ≥ 0, the numerator not above
/// the denominator.
fn count_rule(formula: String) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_custom(Formula::new(formula))
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("Số liệu không hợp lệ")?
        .set_error_message("Tử số và mẫu số là số không âm; tử số không lớn hơn mẫu số.")
}

/// `tháng 11/2026`, `quý 2/2026`, `năm 2026` (with the period's code after it).
fn period_words(p: Period) -> String {
    match p {
        Period::Month(y, m) => format!("tháng {m}/{y} ({p})"),
        Period::Quarter(y, q) => format!("quý {q}/{y} ({p})"),
        Period::Year(y) => format!("năm {y}"),
    }
}

fn help_sheet(sheet: &mut Worksheet, form: &Form) -> Result<(), XlsxError> {
    sheet.set_name(HELP_SHEET)?;
    sheet.set_column_width(0, 110)?;
    let bold = Format::new().set_bold().set_font_size(13);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet.write_string_with_format(0, 0, "HƯỚNG DẪN ĐIỀN BIỂU MẪU", &bold)?;
    let lines = [
        format!(
            "1. Biểu mẫu này dành cho {} (mã {}), kỳ báo cáo {}. Không dùng biểu mẫu của đơn vị \
             khác hoặc của kỳ khác.",
            form.unit_name,
            form.unit,
            period_words(form.period)
        ),
        format!(
            "2. Chỉ nhập vào các ô màu vàng của sheet \"{FORM_SHEET}\": cột \"Giá trị\", hoặc \
             \"Tử số\" và \"Mẫu số\" (khi đó giá trị được tính = 100 × tử số / mẫu số), và \
             \"Ghi chú\" nếu cần."
        ),
        "3. Tỷ lệ (%) nhập theo điểm phần trăm: 12,44 nghĩa là 12,44%. Có thể gõ 12,44 hoặc \
         12.44; số nghìn có thể gõ 24.742 hoặc 24742."
            .to_string(),
        "4. Tử số và mẫu số là số không âm, tử số không lớn hơn mẫu số. Chỉ tiêu đạt / chưa \
         đạt chọn \"Đạt\" hoặc \"Chưa đạt\"."
            .to_string(),
        "5. Chỉ tiêu chưa có số liệu thì để trống: dòng để trống được coi là chưa báo cáo."
            .to_string(),
        "6. Không thêm, xóa hay sắp xếp lại dòng, không đổi tên sheet, không sửa cột \"Mã chỉ \
         tiêu\". Sheet được khóa (không mật khẩu) để tránh sửa nhầm."
            .to_string(),
        "7. Lưu tệp dưới dạng Excel (.xlsx), giữ nguyên tên tệp, và gửi lại cho đơn vị tổng \
         hợp. Ngày nhận tệp được ghi là ngày gửi báo cáo."
            .to_string(),
    ];
    for (i, line) in lines.iter().enumerate() {
        sheet.write_string_with_format(2 + i as u32, 0, line, &wrap)?;
    }
    sheet.protect();
    Ok(())
}

/// The hidden sheet that identifies the form (module documentation of `forms`).
pub(super) fn meta_sheet(
    sheet: &mut Worksheet,
    form: &Form,
    secret: &Secret,
) -> Result<(), XlsxError> {
    sheet.set_name(META_SHEET)?;
    let indicators: Vec<&str> = form.rows.iter().map(|r| r.indicator.as_str()).collect();
    let reports: Vec<String> = form.reports.iter().map(|r| r.id.clone()).collect();
    let cells = identity_cells(form);
    let period = form.period.to_string();
    let checksum = Identity {
        version: FORM_VERSION,
        catalogue: &form.catalogue,
        unit: &form.unit,
        period: &period,
        reports: &reports,
        cells: &cells,
    }
    .checksum(secret);
    let pairs = [
        (KEY_FORM, FORM_VERSION.to_string()),
        (KEY_CATALOGUE, form.catalogue.clone()),
        (KEY_UNIT, form.unit.clone()),
        (KEY_PERIOD, form.period.to_string()),
        (
            KEY_REPORTS,
            form.reports
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(","),
        ),
        (KEY_INDICATORS, indicators.join(",")),
        (KEY_CHECKSUM, checksum),
    ];
    for (r, (key, value)) in pairs.iter().enumerate() {
        sheet.write_string(r as u32, 0, *key)?;
        // strings, so that a period `2026` or an id `00004` is not a number
        sheet.write_string(r as u32, 1, value)?;
    }
    sheet.set_hidden(true);
    sheet.protect();
    Ok(())
}

/// Why no form was written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot render {name}: {message}")]
    Render { name: String, message: String },
    /// Files of the forms' names are there already (returned, filled forms, perhaps).
    #[error(
        "{} already hold{} {}: chitieu never overwrites a form (it may be a returned, filled \
         one); move {} away or write to another --out",
        dir.display(),
        if names.len() == 1 { "s" } else { "" },
        crate::text::cut_list(names, 5),
        if names.len() == 1 { "it" } else { "them" }
    )]
    Exists { dir: PathBuf, names: Vec<String> },
    #[error(transparent)]
    Commit(#[from] CommitError),
}

/// The file name of each form: [`super::file_name`], or [`super::distinct_file_name`] for the
/// forms whose names would otherwise be the same, ignoring case (so they cannot overwrite one
/// another, on any file system).
pub fn file_names(forms: &[Form]) -> Vec<String> {
    let base: Vec<String> = forms
        .iter()
        .map(|f| super::file_name(&f.unit, f.period))
        .collect();
    let mut count: HashMap<String, usize> = HashMap::new();
    for b in &base {
        *count.entry(b.to_lowercase()).or_default() += 1;
    }
    forms
        .iter()
        .zip(base)
        .map(|(f, b)| {
            if count[&b.to_lowercase()] > 1 {
                super::distinct_file_name(&f.unit, f.period)
            } else {
                b
            }
        })
        .collect()
}

/// Renders every form, signed with `secret`, and writes it into `dir` (made when missing) as
/// [`file_names`] says, through a [`Transaction`]: all forms or none, and never over an
/// existing file — one there already is an error naming it and nothing is written. Returns the
/// paths written, in the order of `forms`.
pub fn write_forms(
    dir: &Path,
    forms: &[Form],
    secret: &Secret,
) -> Result<Vec<PathBuf>, WriteError> {
    let names = file_names(forms);
    let made = !dir.exists();
    if made {
        std::fs::create_dir_all(dir).map_err(|source| CommitError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let result = (|| {
        let mut t = Transaction::begin(dir, &mut || {})?;
        let mut taken: Vec<String> = names
            .iter()
            .filter(|n| std::fs::symlink_metadata(dir.join(n)).is_ok())
            .cloned()
            .collect();
        if !taken.is_empty() {
            taken.sort();
            return Err(WriteError::Exists {
                dir: dir.to_path_buf(),
                names: taken,
            });
        }
        for (form, name) in forms.iter().zip(&names) {
            let bytes = render(form, secret).map_err(|e| WriteError::Render {
                name: name.clone(),
                message: e.to_string(),
            })?;
            t.create(name, &bytes)?;
        }
        t.commit()?;
        Ok(names.iter().map(|n| dir.join(n)).collect())
    })();
    if result.is_err() && made {
        std::fs::remove_dir_all(dir).ok();
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::fixture::{catalogue, UNITS};
    use crate::data::Table;
    use crate::forms::Secret;

    fn units() -> Units {
        let rows = UNITS
            .lines()
            .skip(1)
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect();
        let t = Table {
            called: None,
            path: "units.csv".into(),
            headers: ["id", "name", "parent", "level"].map(String::from).to_vec(),
            rows,
        };
        Units::read(&t).0.unwrap()
    }

    #[test]
    fn a_unit_reports_the_reported_indicators_with_target_and_last_value() {
        let tmp = tempfile::tempdir().unwrap();
        let c = catalogue(tmp.path());
        let units = units();
        let xa = units.index("xa-1").unwrap();
        let pct = c.indicators.iter().position(|i| i.id == "pct").unwrap();
        let row = |period, value| ReportedRow {
            unit: xa,
            period,
            indicator: pct,
            value: Some(value),
            numerator: None,
            denominator: None,
            submitted_on: None,
            row: 2,
        };
        // May's value is last period's for June; April's is not
        let reported = [
            row(Period::Month(2026, 4), 70.0),
            row(Period::Month(2026, 5), 80.5),
        ];
        let june = Period::Month(2026, 6);
        let forms = plan(&c, &units, &reported, june, &Selection::Unit("xa-1".into())).unwrap();
        assert_eq!(forms.len(), 1);
        let f = &forms[0];
        assert_eq!((f.unit.as_str(), f.period), ("xa-1", june));
        // `online` is computed from records: not on the form
        let ids: Vec<&str> = f.rows.iter().map(|r| r.indicator.as_str()).collect();
        assert_eq!(ids, ["pct", "count", "flag"]);
        assert_eq!(f.rows[0].target.as_deref(), Some(">= 80"));
        assert_eq!(f.rows[0].previous, Some(80.5));
        assert_eq!(f.rows[0].unit_of_measure, "%");
        assert_eq!(
            f.rows[1].target.as_deref(),
            Some(">= 10"),
            "bare 10, higher"
        );
        assert_eq!(f.rows[1].previous, None);
        assert_eq!(f.rows[2].target.as_deref(), Some("hoàn thành (done)"));

        assert_eq!(
            plan(&c, &units, &[], june, &Selection::All).unwrap().len(),
            3
        );
        assert_eq!(
            plan(&c, &units, &[], june, &Selection::Level("so".into()))
                .unwrap()
                .iter()
                .map(|f| f.unit.as_str())
                .collect::<Vec<_>>(),
            ["so-a"]
        );
        assert_eq!(
            plan(&c, &units, &[], june, &Selection::Level("huyen".into())),
            Err(PlanError::UnknownLevel {
                level: "huyen".into(),
                levels: vec!["so".into(), "tinh".into(), "xa".into()]
            })
        );
        assert!(matches!(
            plan(&c, &units, &[], june, &Selection::Unit("xa-2".into())),
            Err(PlanError::UnknownUnit { hint: Some(h), .. }) if h == "xa-1"
        ));
    }

    #[test]
    fn a_form_holds_its_levels_indicators_and_answers_the_reports_of_its_period() {
        let loaded = crate::definition::load::load_from_strings(&[
            ("catalogue.toml", "id = \"t\"\ntitle = \"t\"\n"),
            (
                "i.toml",
                "[[indicator]]\nid = \"xa-only\"\nname = \"X\"\nunit = \"count\"\ndirection = \"higher\"\n\
                 levels = [\"xa\"]\n[indicator.targets]\n2026 = \"1\"\n\
                 [[indicator]]\nid = \"every\"\nname = \"E\"\nunit = \"count\"\ndirection = \"higher\"\n\
                 [indicator.targets]\n2026 = \"1\"\n\
                 [[indicator]]\nid = \"dung-han\"\nname = \"Đúng hạn\"\nunit = \"%\"\n\
                 direction = \"higher\"\n[indicator.measure]\nbuiltin = \"report_on_time_rate\"\n\
                 [indicator.targets]\n2026 = \">= 80\"\n",
            ),
            (
                "r.toml",
                "[[report]]\nid = \"thang\"\nname = \"Tháng\"\nfrom = { levels = [\"xa\", \"so\"] }\n\
                 carries = [\"*\"]\ndue = \"trước ngày 10 hàng tháng\"\n\
                 [[report]]\nid = \"chi-xa\"\nname = \"Riêng xã\"\nfrom = { levels = [\"so\"] }\n\
                 carries = [\"xa-only\"]\ndue = \"trước ngày 05 hàng tháng\"\n\
                 [[report]]\nid = \"quy\"\nname = \"Quý\"\nfrom = { levels = [\"so\"] }\n\
                 carries = [\"*\"]\ndue = \"trước ngày 15 của tháng cuối Quý\"\n",
            ),
        ]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let c = loaded.catalogue;
        let units = units();
        let forms = plan(&c, &units, &[], Period::Month(2026, 6), &Selection::All).unwrap();
        // (unit, indicators, (report, due))
        type Seen<'a> = (&'a str, Vec<&'a str>, Vec<(&'a str, String)>);
        let seen: Vec<Seen> = forms
            .iter()
            .map(|f| {
                (
                    f.unit.as_str(),
                    f.rows.iter().map(|r| r.indicator.as_str()).collect(),
                    f.reports
                        .iter()
                        .map(|r| (r.id.as_str(), r.due.to_string()))
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                // the on-time rate (builtin) is never on a form; the province owes no report: a
                // form with its indicators, answering none
                ("tinh", vec!["every"], vec![]),
                // the department: not `xa-only`, so not `chi-xa` either; the quarterly report
                // is 2026-Q2's, not June's
                (
                    "so-a",
                    vec!["every"],
                    vec![("thang", "2026-07-10".to_string())]
                ),
                (
                    "xa-1",
                    vec!["xa-only", "every"],
                    vec![("thang", "2026-07-10".to_string())]
                ),
            ]
        );
        // a quarter's form answers the quarterly report, due the 15th of its last month
        let q2 = plan(
            &c,
            &units,
            &[],
            Period::Quarter(2026, 2),
            &Selection::Level("so".into()),
        )
        .unwrap();
        assert_eq!(q2[0].reports[0].id, "quy");
        assert_eq!(q2[0].reports[0].due.to_string(), "2026-06-15");
    }

    #[test]
    fn forms_are_written_all_or_none() {
        let tmp = tempfile::tempdir().unwrap();
        let c = catalogue(tmp.path());
        let forms = plan(&c, &units(), &[], Period::Month(2026, 6), &Selection::All).unwrap();
        let dir = tmp.path().join("forms");
        let secret = Secret::from_bytes([1; 32]);
        let written = write_forms(&dir, &forms, &secret).unwrap();
        let names: Vec<String> = written
            .iter()
            .map(|p| crate::data::table::file_name(p))
            .collect();
        assert_eq!(
            names,
            [
                "tinh-2026-06.xlsx",
                "so-a-2026-06.xlsx",
                "xa-1-2026-06.xlsx"
            ]
        );
        // nothing but the forms (and the lock file): the staged files were moved
        let mut left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".chitieu.lock",
                "so-a-2026-06.xlsx",
                "tinh-2026-06.xlsx",
                "xa-1-2026-06.xlsx"
            ]
        );
        // a directory that cannot be made (a file stands there): an error, no form
        let blocked = tmp.path().join("blocked");
        std::fs::write(&blocked, "").unwrap();
        assert!(write_forms(&blocked.join("forms"), &forms, &secret).is_err());
        // a form there already (a returned, filled one): never overwritten, no other written
        let returned = dir.join("xa-1-2026-06.xlsx");
        std::fs::write(&returned, "filled").unwrap();
        std::fs::remove_file(dir.join("tinh-2026-06.xlsx")).unwrap();
        let e = write_forms(&dir, &forms, &secret).unwrap_err();
        assert!(
            matches!(&e, WriteError::Exists { names, .. } if names.len() == 2),
            "{e}"
        );
        assert_eq!(std::fs::read_to_string(&returned).unwrap(), "filled");
        assert!(!dir.join("tinh-2026-06.xlsx").exists());
    }

    #[test]
    fn units_whose_names_fold_alike_get_distinct_files() {
        let tmp = tempfile::tempdir().unwrap();
        let c = catalogue(tmp.path());
        let mut forms = plan(&c, &units(), &[], Period::Month(2026, 6), &Selection::All).unwrap();
        let mut twin = forms[2].clone();
        forms[2].unit = "Xã Tân Hòa".into();
        twin.unit = "Xã Tân Hoà".into();
        forms.push(twin);
        let mut case = forms[1].clone();
        case.unit = "SO-A".into();
        forms.push(case);
        let names = file_names(&forms);
        let lower: std::collections::BTreeSet<String> =
            names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(lower.len(), forms.len(), "{names:?}");
        assert_eq!(names[0], "tinh-2026-06.xlsx");
        assert!(
            names[2].starts_with("xa-tan-hoa-")
                && names[2].len() == "xa-tan-hoa-12345678-2026-06.xlsx".len()
        );
        let dir = tmp.path().join("forms");
        let written = write_forms(&dir, &forms, &Secret::from_bytes([1; 32])).unwrap();
        assert_eq!(written.len(), 5);
        for (form, name) in forms.iter().zip(&names) {
            assert!(
                super::super::names_unit(name, &form.unit, form.period),
                "{name}"
            );
        }
        assert!(!super::super::names_unit(
            &names[2],
            &forms[3].unit,
            forms[3].period
        ));
    }
}
