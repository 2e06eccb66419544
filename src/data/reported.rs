//! Reported values (reported.csv, SPEC §4.1): one row per (unit, period, indicator) resolved to
//! indices, with the data checks E300–E304, E306, E307 and W310. No rollup or scoring.

use std::collections::HashMap;

use super::number::{parse_bool, parse_date, parse_number};
use super::table::{file_name, Table};
use super::units::{closest, Units};
use super::Period;
use crate::definition::{Catalogue, Indicator, UnitKind};
use crate::diagnostics::{Code, Diagnostic, Place};

/// How far a given value may be from the one its numerator and denominator give (W310).
pub const TOLERANCE: f64 = 0.01;

/// One usable row of reported.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedRow {
    /// Index into [`Units::list`].
    pub unit: usize,
    pub period: Period,
    /// Index into `catalogue.indicators`.
    pub indicator: usize,
    /// The value: as given, else derived from numerator and denominator (100 × n / d for %,
    /// n / d otherwise); `None` when the denominator is 0. Booleans are 1.0 or 0.0.
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// The optional `submitted_on` column: the day the unit sent this figure, which counts as
    /// the day it sent every report carrying it for this period (SPEC §6.1).
    pub submitted_on: Option<chrono::NaiveDate>,
    /// The row as a spreadsheet shows it (the header is row 1).
    pub row: usize,
}

/// What reading reported.csv gives: the usable rows, the rows excluded because their
/// numerator exceeds their denominator (E302, spreadsheet row numbers), and every diagnostic
/// in row order.
#[derive(Debug, Clone, Default)]
pub struct Reported {
    pub rows: Vec<ReportedRow>,
    pub excluded: Vec<usize>,
    pub diagnostics: Vec<Diagnostic>,
    /// False when a required column is missing: nothing could be read.
    pub complete: bool,
}

/// Reads reported values from `t` (columns `unit`, `period`, `indicator`, and `value` and/or
/// `numerator` + `denominator`; optional `submitted_on`, a date (E307 when unreadable); `note`
/// and any other column are ignored).
///
/// Rows kept in [`Reported::rows`]: those whose unit, period and indicator resolve and whose
/// figures can be read. Left out, with a diagnostic: unknown unit (E300) or indicator (E301),
/// an unreadable cell (E307), a numerator above its denominator (E302, listed in `excluded`),
/// and the second of two rows for one (unit, period, indicator) (E304, also when the first
/// was excluded by E302). Kept with a
/// diagnostic: a value outside the indicator's limits (E303; the caller refuses to score) and a
/// value that disagrees with its numerator/denominator (W310; the given value is used).
/// Left out silently: blank rows, and rows with no value, numerator or denominator at all
/// (nothing reported yet).
///
/// A period cell that a spreadsheet turned into the first day of a month (`2026-06-01` for
/// `2026-06`) is read as that month.
/// Whether a unit cell reads like the label of a spreadsheet's total row (`Tổng cộng`, `Cộng`,
/// `Tổng`, `Total`).
fn is_total_row(text: &str) -> bool {
    let folded = crate::text::fold(text);
    ["tong", "cong", "total", "tong cong", "toan tinh"]
        .iter()
        .any(|w| folded == *w || folded.starts_with(&format!("{w} ")))
}

pub fn read_reported(t: &Table, units: &Units, catalogue: &Catalogue) -> Reported {
    let mut out = Reported::default();
    let mut missing = t.require(&["unit", "period", "indicator"]);
    let has = |c: &str| t.column(c).is_some();
    let needed = ["unit", "period", "indicator", "value"];
    if !has("value") && !has("numerator") && !has("denominator") {
        missing.push(missing_figures(
            t,
            "has no column `value` (nor `numerator` and `denominator`)",
        ));
    } else if has("numerator") != has("denominator") {
        let (present, absent) = if has("numerator") {
            ("numerator", "denominator")
        } else {
            ("denominator", "numerator")
        };
        missing.push(missing_figures(
            t,
            &format!("has a column `{present}` but no column `{absent}`"),
        ));
    }
    if !missing.is_empty() {
        for d in &mut missing {
            d.help = Some(t.columns_help(&needed));
        }
        out.diagnostics = missing;
        return out;
    }
    out.complete = true;

    let cols = Columns {
        unit: t.column("unit"),
        period: t.column("period"),
        indicator: t.column("indicator"),
        value: t.column("value"),
        numerator: t.column("numerator"),
        denominator: t.column("denominator"),
        submitted_on: t.column("submitted_on"),
    };
    let indicators: HashMap<&str, usize> = catalogue
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| (ind.id.as_str(), i))
        .collect();
    let mut reader = RowReader {
        t,
        units,
        catalogue,
        indicators,
        unit_hints: HashMap::new(),
        indicator_hints: HashMap::new(),
    };
    // (unit, period, indicator) → the row that first gave it, excluded rows included, so that
    // a row repeating an E302 row is still a duplicate.
    let mut seen: HashMap<Key, usize> = HashMap::new();
    for i in 0..t.rows.len() {
        if t.is_blank(i) {
            continue;
        }
        let mut diags = Vec::new();
        let outcome = reader.row(i, &cols, &mut diags);
        let key = match &outcome {
            Outcome::Row(row) => Some((row.unit, row.period, row.indicator)),
            Outcome::Excluded(key) => Some(*key),
            Outcome::Skipped => None,
        };
        let first = key.and_then(|key| match seen.get(&key) {
            Some(&first) => Some((key, first)),
            None => {
                seen.insert(key, Table::row_number(i));
                None
            }
        });
        if let Some((key, first)) = first {
            diags.push(duplicate(t, i, first, &reader, key));
        }
        match outcome {
            Outcome::Row(row) if first.is_none() => out.rows.push(row),
            Outcome::Excluded(_) => out.excluded.push(Table::row_number(i)),
            _ => {}
        }
        out.diagnostics.append(&mut diags);
    }
    out
}

/// (unit, period, indicator)
type Key = (usize, Period, usize);

fn missing_figures(t: &Table, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::E306,
        &t.path,
        Place::File,
        format!("{} {what}", file_name(&t.path)),
    )
}

fn duplicate(
    t: &Table,
    i: usize,
    first: usize,
    reader: &RowReader<'_>,
    (unit, period, indicator): Key,
) -> Diagnostic {
    let unit = reader.units.get(unit).map_or("", |u| u.id.as_str());
    let indicator = reader
        .catalogue
        .indicators
        .get(indicator)
        .map_or("", |ind| ind.id.as_str());
    t.at(
        Code::E304,
        i,
        "unit",
        format!(
            "a second row for unit `{unit}`, period {period}, indicator `{indicator}` \
             (the first is row {first})"
        ),
    )
    .help(format!(
        "keep one of rows {first} and {}",
        Table::row_number(i)
    ))
}

struct Columns {
    unit: Option<usize>,
    period: Option<usize>,
    indicator: Option<usize>,
    value: Option<usize>,
    numerator: Option<usize>,
    denominator: Option<usize>,
    submitted_on: Option<usize>,
}

enum Outcome {
    Row(ReportedRow),
    /// Left out because of E302.
    Excluded(Key),
    /// Left out: blank, or a diagnostic explains why.
    Skipped,
}

struct RowReader<'a> {
    t: &'a Table,
    units: &'a Units,
    catalogue: &'a Catalogue,
    indicators: HashMap<&'a str, usize>,
    /// Suggestions already computed for unknown ids, so that 100k rows naming one bad id do not
    /// compare it with every unit 100k times.
    unit_hints: HashMap<String, Option<String>>,
    indicator_hints: HashMap<String, Option<String>>,
}

impl RowReader<'_> {
    fn row(&mut self, i: usize, c: &Columns, diags: &mut Vec<Diagnostic>) -> Outcome {
        let t = self.t;
        let unit_text = t.cell(i, c.unit);
        let period_text = t.cell(i, c.period);
        let indicator_text = t.cell(i, c.indicator);
        let (value_text, num_text, den_text) = (
            t.cell(i, c.value),
            t.cell(i, c.numerator),
            t.cell(i, c.denominator),
        );
        if value_text.is_empty() && num_text.is_empty() && den_text.is_empty() {
            return Outcome::Skipped; // nothing reported in this row
        }

        let unit = self.unit(i, unit_text, diags);
        let period = self.period(i, period_text, diags);
        let indicator = self.indicator(i, indicator_text, diags);
        let kind = indicator.and_then(|ind| self.catalogue.indicators.get(ind));
        let unit_kind = kind.map(|ind| ind.unit);

        let mut readable = true;
        let value = if value_text.is_empty() {
            None
        } else {
            let parsed = match unit_kind {
                Some(UnitKind::Boolean) => parse_bool(value_text)
                    .map(|b| if b { 1.0 } else { 0.0 })
                    .or_else(|| parse_number(value_text).filter(|v| *v == 0.0 || *v == 1.0)),
                _ => parse_number(value_text),
            };
            if parsed.is_none() {
                readable = false;
                diags.push(self.unreadable_value(i, value_text, unit_kind));
            }
            parsed
        };
        let submitted_text = t.cell(i, c.submitted_on);
        let submitted_on = parse_date(submitted_text);
        if !submitted_text.is_empty() && submitted_on.is_none() {
            readable = false;
            diags.push(
                t.at(
                    Code::E307,
                    i,
                    "submitted_on",
                    format!("cannot read the date `{submitted_text}`"),
                )
                .help("write dates as 2026-06-30 or 30/6/2026, or leave the cell empty"),
            );
        }
        let numerator = self.figure(i, "numerator", num_text, diags, &mut readable);
        let denominator = self.figure(i, "denominator", den_text, diags, &mut readable);
        if readable && value.is_none() && (numerator.is_none() != denominator.is_none()) {
            let (given, absent) = if numerator.is_some() {
                ("numerator", "denominator")
            } else {
                ("denominator", "numerator")
            };
            readable = false;
            diags.push(
                t.at(
                    Code::E307,
                    i,
                    absent,
                    format!(
                        "the {given} is given but the {absent} is empty, and there is no value"
                    ),
                )
                .help("give both numerator and denominator, or the value"),
            );
        }

        let (Some(unit), Some(period), Some(indicator), Some(def)) =
            (unit, period, indicator, kind)
        else {
            return Outcome::Skipped;
        };
        if !readable {
            return Outcome::Skipped;
        }

        if let (Some(n), Some(d)) = (numerator, denominator) {
            if n > d {
                diags.push(
                    t.at(
                        Code::E302,
                        i,
                        "numerator",
                        format!("numerator {n} is greater than denominator {d}"),
                    )
                    .help(
                        "check the figures with the reporting unit; in a score run this row is \
                         left out",
                    ),
                );
                return Outcome::Excluded((unit, period, indicator));
            }
        }

        let value = self.checked_value(i, def, (value, numerator, denominator), value_text, diags);
        Outcome::Row(ReportedRow {
            unit,
            period,
            indicator,
            value,
            numerator,
            denominator,
            submitted_on,
            row: Table::row_number(i),
        })
    }

    /// A row's value (given, else numerator / denominator): W310 when the given value
    /// disagrees with its figures, E303 when it is outside the indicator's limits.
    fn checked_value(
        &self,
        i: usize,
        def: &Indicator,
        (value, numerator, denominator): (Option<f64>, Option<f64>, Option<f64>),
        value_text: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<f64> {
        let t = self.t;
        let scale = if def.unit == UnitKind::Percent {
            100.0
        } else {
            1.0
        };
        let ratio = match (numerator, denominator) {
            (Some(n), Some(d)) if d != 0.0 => Some(scale * n / d),
            _ => None,
        };
        if let (Some(v), Some(r)) = (value, ratio) {
            if (v - r).abs() > TOLERANCE + 1e-9 {
                let formula = if scale == 100.0 {
                    "100 × numerator / denominator"
                } else {
                    "numerator / denominator"
                };
                diags.push(
                    t.at(
                        Code::W310,
                        i,
                        "value",
                        format!("value {v} disagrees with {formula} = {r}"),
                    )
                    .help(
                        "leave the value empty (it is computed) or fix the figures; the value \
                         is used",
                    ),
                );
            }
        }
        let value = value.or(ratio);
        if let Some(v) = value {
            let (lo, hi) = def.limits;
            if v < lo || v > hi {
                let column = if value_text.is_empty() {
                    "numerator"
                } else {
                    "value"
                };
                diags.push(
                    t.at(
                        Code::E303,
                        i,
                        column,
                        format!(
                            "value {v} is outside the limits [{lo}, {hi}] of indicator `{}`",
                            def.id
                        ),
                    )
                    .help(
                        "fix the value, or set `limits` on the indicator when it can really \
                         exceed them",
                    ),
                );
            }
        }
        value
    }

    fn unit(&mut self, i: usize, text: &str, diags: &mut Vec<Diagnostic>) -> Option<usize> {
        if text.is_empty() {
            diags.push(
                self.t
                    .at(Code::E307, i, "unit", "the unit cell is empty")
                    .help("write the id of a unit of units.csv"),
            );
            return None;
        }
        let found = self.units.index(text);
        if found.is_none() {
            let units = self.units;
            let hint = self
                .unit_hints
                .entry(text.to_string())
                .or_insert_with(|| units.suggest(text).map(str::to_string));
            let mut d = unknown(
                self.t,
                i,
                Code::E300,
                "unit",
                text,
                hint.as_deref(),
                "units.csv",
            );
            let zeros = text.bytes().all(|b| b.is_ascii_digit())
                && units
                    .list()
                    .iter()
                    .any(|u| u.id.len() > text.len() && u.id.trim_start_matches('0') == text);
            if zeros {
                d = d.help(
                    "units.csv writes this id with leading zeros, which Excel drops from a \
                     number: format the unit column as Text and type the id again",
                );
            } else if is_total_row(text) {
                d = d.help(
                    "this looks like a total row of a spreadsheet: remove it; chitieu rolls \
                     units up the hierarchy of units.csv itself",
                );
            }
            diags.push(d);
        }
        found
    }

    fn indicator(&mut self, i: usize, text: &str, diags: &mut Vec<Diagnostic>) -> Option<usize> {
        if text.is_empty() {
            diags.push(
                self.t
                    .at(Code::E307, i, "indicator", "the indicator cell is empty")
                    .help("write the id of an indicator of the catalogue"),
            );
            return None;
        }
        let found = self.indicators.get(text).copied();
        if found.is_none() {
            let catalogue = self.catalogue;
            let hint = self
                .indicator_hints
                .entry(text.to_string())
                .or_insert_with(|| {
                    closest(text, catalogue.indicators.iter().map(|i| i.id.as_str()))
                        .map(str::to_string)
                });
            diags.push(unknown(
                self.t,
                i,
                Code::E301,
                "indicator",
                text,
                hint.as_deref(),
                "the catalogue",
            ));
        }
        if let Some(k) = found.filter(|&k| {
            matches!(
                self.catalogue.indicators[k].measure,
                crate::definition::Measure::ReportOnTimeRate
            )
        }) {
            diags.push(
                self.t
                    .at(
                        Code::E301,
                        i,
                        "indicator",
                        format!(
                            "indicator `{}` is computed from the report submissions, not reported",
                            self.catalogue.indicators[k].id
                        ),
                    )
                    .help("remove the row: the figure comes from submissions.csv"),
            );
            return None;
        }
        found
    }

    fn period(&self, i: usize, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Period> {
        let period = Period::parse(text).or_else(|| {
            parse_date(text)
                .filter(|d| chrono::Datelike::day(d) == 1)
                .and_then(|d| Period::parse(&d.format("%Y-%m").to_string()))
        });
        if period.is_none() {
            diags.push(
                self.t
                    .at(
                        Code::E307,
                        i,
                        "period",
                        format!("cannot read the period `{text}`"),
                    )
                    .help(
                        "write a period as `2026` (year), `2026-Q2` (quarter) or `2026-06` (month)",
                    ),
            );
        }
        period
    }

    fn figure(
        &self,
        i: usize,
        column: &str,
        text: &str,
        diags: &mut Vec<Diagnostic>,
        readable: &mut bool,
    ) -> Option<f64> {
        if text.is_empty() {
            return None;
        }
        let v = parse_number(text);
        if v.is_none() {
            *readable = false;
            diags.push(
                self.t
                    .at(
                        Code::E307,
                        i,
                        column,
                        format!("cannot read the {column} `{text}` as a number"),
                    )
                    .help(NUMBER_HELP),
            );
        }
        if let Some(n) = v.filter(|n| *n < 0.0) {
            *readable = false;
            diags.push(
                self.t
                    .at(
                        Code::E303,
                        i,
                        column,
                        format!("the {column} {n} is negative: it counts records or procedures"),
                    )
                    .help("a numerator or denominator is 0 or more; fix the figure at its source"),
            );
        }
        v
    }

    fn unreadable_value(&self, i: usize, text: &str, kind: Option<UnitKind>) -> Diagnostic {
        let (what, help) = match kind {
            Some(UnitKind::Boolean) => (
                "a yes/no value",
                "write 1/0, true/false, có/không, đạt/chưa đạt or hoàn thành/chưa hoàn thành",
            ),
            _ => ("a number", NUMBER_HELP),
        };
        self.t
            .at(
                Code::E307,
                i,
                "value",
                format!("cannot read the value `{text}` as {what}"),
            )
            .help(help)
    }
}

const NUMBER_HELP: &str = "write numbers as `12.44`, `12,44` or `24.742` (thousands grouped)";

pub(super) fn unknown(
    t: &Table,
    i: usize,
    code: Code,
    what: &str,
    id: &str,
    hint: Option<&str>,
    source: &str,
) -> Diagnostic {
    let file = t.called.clone().unwrap_or_else(|| file_name(&t.path));
    let help = match hint {
        Some(near) => format!("did you mean `{near}`? Use an id of {source}"),
        None => format!("use an id of {source}, or add the {what} there"),
    };
    t.at(
        code,
        i,
        what,
        format!(
            "{file} names an unknown {what} `{}`",
            crate::text::clip(id, 80)
        ),
    )
    .help(help)
}
