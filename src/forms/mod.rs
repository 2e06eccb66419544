//! The reporting cycle's spreadsheets (SPEC §6.1, §9): `chitieu form` writes one XLSX form per
//! unit and period, `chitieu collect` reads the returned forms and merges their figures into the
//! data directory. Scores nothing; the figures are checked by the rules of reported.csv.
//!
//! A form is a workbook of three sheets: [`FORM_SHEET`] (the indicators, with input cells),
//! `HELP_SHEET` (instructions in Vietnamese) and `META_SHEET`, a hidden sheet holding what
//! identifies the file — key/value rows, plain text cells, which a save by Excel or LibreOffice
//! keeps as they are (a hidden sheet is ordinary workbook content, unlike custom properties).

pub(crate) mod collect;
pub(crate) mod csv;
pub(crate) mod sign;
pub(crate) mod write;

pub(crate) use collect::{collect, CollectError, CollectOptions};
pub(crate) use sign::{Secret, SECRET_FILE};
pub(crate) use write::{plan, write_forms, Selection};

/// The sheet units fill in.
pub const FORM_SHEET: &str = "Biểu mẫu";
/// The instructions.
pub(crate) const HELP_SHEET: &str = "Hướng dẫn";
/// The hidden sheet that identifies the form: column A keys, column B values.
pub(crate) const META_SHEET: &str = "chitieu";

/// The value of [`KEY_FORM`]: the layout version of the form, so that a later layout can still
/// read (or refuse by name) an earlier one.
pub(crate) const FORM_VERSION: &str = "chitieu-form-1";

/// Keys of the meta sheet (column A); their values are in column B of the same row.
pub(crate) const KEY_FORM: &str = "form";
pub(crate) const KEY_CATALOGUE: &str = "catalogue";
pub(crate) const KEY_UNIT: &str = "unit";
pub(crate) const KEY_PERIOD: &str = "period";
/// The ids of the reports the form answers, comma-separated.
pub(crate) const KEY_REPORTS: &str = "reports";
/// The ids of the indicators the form asks for, comma-separated.
pub(crate) const KEY_INDICATORS: &str = "indicators";
/// The keyed checksum of the form's identification ([`sign`]).
pub(crate) const KEY_CHECKSUM: &str = "checksum";

/// The columns of the form sheet, left to right, with their header labels. Collection finds the
/// header row by [`Column::Indicator`]'s label in column A and every other column by its label,
/// so a column moved by the user is still read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    Indicator,
    Code,
    Name,
    UnitOfMeasure,
    Target,
    Previous,
    Value,
    Numerator,
    Denominator,
    Note,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Column::Indicator,
        Column::Code,
        Column::Name,
        Column::UnitOfMeasure,
        Column::Target,
        Column::Previous,
        Column::Value,
        Column::Numerator,
        Column::Denominator,
        Column::Note,
    ];

    /// The 0-based column of the sheet as written.
    pub fn index(self) -> u16 {
        Column::ALL.iter().position(|c| *c == self).unwrap_or(0) as u16
    }

    /// The header label (the target and previous-period labels get the year / period after
    /// them when written).
    pub fn label(self) -> &'static str {
        match self {
            Column::Indicator => "Mã chỉ tiêu",
            Column::Code => "STT",
            Column::Name => "Tên chỉ tiêu",
            Column::UnitOfMeasure => "Đơn vị tính",
            Column::Target => "Chỉ tiêu kế hoạch",
            Column::Previous => "Kỳ trước",
            Column::Value => "Giá trị",
            Column::Numerator => "Tử số",
            Column::Denominator => "Mẫu số",
            Column::Note => "Ghi chú",
        }
    }

    /// The reported.csv column an input column fills.
    pub fn reported_column(self) -> Option<&'static str> {
        match self {
            Column::Indicator => Some("indicator"),
            Column::Value => Some("value"),
            Column::Numerator => Some("numerator"),
            Column::Denominator => Some("denominator"),
            Column::Note => Some("note"),
            _ => None,
        }
    }
}

/// The 0-based row of the header on the form sheet as written (sheet row 6); indicator rows
/// follow it.
pub const HEADER_ROW: u32 = 5;

/// The file name of a unit's form: `<unit>-<period>.xlsx`, the unit id made file-safe.
pub(crate) fn file_name(unit: &str, period: crate::data::Period) -> String {
    format!("{}-{period}.xlsx", crate::labels::file_safe(unit))
}

/// The file name of a unit's form when another unit's folds to the same name (`Xã Tân Hòa` and
/// `Xã Tân Hoà`, or ids differing only by case on Windows and macOS):
/// `<unit>-<8 hex digits of the exact id>-<period>.xlsx`.
pub(crate) fn distinct_file_name(unit: &str, period: crate::data::Period) -> String {
    format!(
        "{}-{}-{period}.xlsx",
        crate::labels::file_safe(unit),
        &blake3::hash(unit.as_bytes()).to_hex()[..8]
    )
}

/// Whether a returned file's name is one `chitieu form` gives `unit`'s form for `period`
/// (either spelling above), ignoring case and a copy marker a mail program adds (`… (1).xlsx`).
pub(crate) fn names_unit(file: &str, unit: &str, period: crate::data::Period) -> bool {
    let lower = file.to_lowercase();
    let stem = lower
        .strip_suffix(".xlsx")
        .or_else(|| lower.strip_suffix(".xlsm"))
        .unwrap_or(&lower)
        .trim_end();
    let stem = match stem.strip_suffix(')').and_then(|s| s.rsplit_once('(')) {
        Some((before, n)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
            before.trim_end()
        }
        _ => stem,
    };
    [file_name(unit, period), distinct_file_name(unit, period)]
        .iter()
        .any(|name| name.to_lowercase().strip_suffix(".xlsx") == Some(stem))
}
