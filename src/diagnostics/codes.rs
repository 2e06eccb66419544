//! The diagnostic codes of SPEC §8, each documented where it is defined. The doc comment of a
//! code is its user documentation: `chitieu check --explain E121` prints it, the README quotes it.

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $code:ident, $severity:ident, $summary:literal; )*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $( $(#[doc = $doc])* $code, )* }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code),)* }
            }
            pub fn severity(self) -> Severity {
                match self { $(Code::$code => Severity::$severity,)* }
            }
            /// One line: what the code is about (the SPEC §8 table).
            pub fn summary(self) -> &'static str {
                match self { $(Code::$code => $summary,)* }
            }
            /// The long explanation: the doc comment of the code.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$code => concat!($($doc, "\n"),*),)* }
            }
            pub fn parse(s: &str) -> Option<Code> {
                let s = s.trim().to_ascii_uppercase();
                Code::ALL.iter().copied().find(|c| c.as_str() == s)
            }
        }
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

codes! {
    /// ## What it means
    /// A definition file is not valid TOML (or not UTF-8). Nothing else in that file is checked
    /// until it parses; the other files of the catalogue still are.
    /// ## How to fix
    /// Fix the syntax at the position shown: unclosed strings and brackets, a missing `=`, a key
    /// defined twice.
    E100, Error, "TOML syntax error (or not UTF-8, or nesting deeper than 64 levels)";
    /// ## What it means
    /// A key that the definition language does not know. Unknown keys are errors, not warnings,
    /// so that a typo (`direction` spelled `diection`) never silently changes a score.
    /// ## How to fix
    /// Rename the key to one of the keys listed in the help line (SPEC §2, §3, §6).
    E101, Error, "unknown key";
    /// ## What it means
    /// A required key is missing: `id` and `title` of a catalogue, `id`, `name`, `unit` (and
    /// `direction` for %, count and score) of an indicator, `id`, `name`, `deadline` of a task,
    /// `group` when the catalogue defines groups.
    /// ## How to fix
    /// Add the key to the table the diagnostic points at.
    E102, Error, "missing required key";
    /// ## What it means
    /// A key has the wrong type (a number where a string is expected) or a value outside its
    /// allowed set (`unit = "percentage"`, `scoring = "soft"`, `near = 1.5`).
    /// ## How to fix
    /// Use one of the values the help line lists.
    E103, Error, "wrong type or value for a key";
    /// ## What it means
    /// Two indicators, tasks or reports (`[[report]]`) of one catalogue share an id: they share
    /// one namespace, so that a report's `carries` and submissions.csv name one thing. The
    /// diagnostic points at the second and notes the first.
    /// ## How to fix
    /// Give each indicator, task and report its own id.
    E110, Error, "duplicate indicator, task or report id (points at the second, notes the first)";
    /// ## What it means
    /// An id does not match `[a-z0-9][a-z0-9_.-]*` (lower-case ASCII letters, digits, `_`, `.`, `-`,
    /// starting with a letter or digit). Ids appear in file names, URLs and CSV columns.
    /// ## How to fix
    /// Write the id as an ASCII slug: `vneid-muc-2`, not `VNeID mức 2`.
    E111, Error, "invalid id";
    /// ## What it means
    /// An indicator or task names a group that `catalogue.toml` does not define, or the catalogue
    /// defines groups and the definition names none.
    /// ## How to fix
    /// Use one of the group ids of `catalogue.toml`, or add the group there.
    E112, Error, "unknown group (or none named while the catalogue has groups)";
    /// ## What it means
    /// A target cannot be read (SPEC §4.3): not a comparator and number, `top N`, `done`, nor a
    /// `{ reduce | increase | text }` table; or a form that does not fit the unit (`done` on a %).
    /// ## How to fix
    /// Write `">= 80"`, `"≤ 30"`, `"80"`, `"top 20"`, `"done"`, `{ reduce = 50, from = 2025 }` or
    /// `{ text = "..." }`.
    E120, Error, "invalid target expression";
    /// ## What it means
    /// The comparator of a target contradicts the indicator's direction: `">= 80"` on a `lower`
    /// indicator ("không quá"), `"<= 30"` on a `higher` one. One of the two is wrong, and the
    /// score would silently be inverted.
    /// ## How to fix
    /// Fix the comparator or the direction; a bare number takes the indicator's direction.
    E121, Error, "comparator contradicts direction";
    /// ## What it means
    /// A target lies outside the indicator's `limits` (default [0, 100] for %, [0, ∞) otherwise),
    /// such as 120% — or a `reduce` percentage outside 0..100.
    /// ## How to fix
    /// Fix the number, or set `limits` when the indicator can really exceed them.
    E122, Error, "target outside the indicator's limits";
    /// ## What it means
    /// A key of `[indicator.targets]` is not a year: it must be an integer in 2000..=2100.
    /// ## How to fix
    /// Write the year as a bare key: `2026 = ">= 80"`.
    E123, Error, "invalid target year";
    /// ## What it means
    /// `top N` ("thuộc nhóm N đứng đầu") only makes sense for a ranking.
    /// ## How to fix
    /// Set `unit = "rank"` on the indicator, or write a numeric target.
    E124, Error, "`top N` on a non-rank indicator";
    /// ## What it means
    /// `reduce` needs an indicator whose direction is `lower`, `increase` one whose direction is
    /// `higher`.
    /// ## How to fix
    /// Fix the direction, or use the other form.
    E125, Error, "`reduce` / `increase` against the direction";
    /// ## What it means
    /// An expression of a computed measure (`numerator`, `denominator`, `value`, `filter`) is not
    /// valid SQL for polars' SQL front end.
    /// ## How to fix
    /// Write a SQL expression, e.g. `SUM(CASE WHEN kenh = 'truc_tuyen' THEN 1 ELSE 0 END)` or
    /// `COUNT(*)`; the filter is a row condition such as `NOT mat`.
    E130, Error, "invalid SQL expression in a measure";
    /// ## What it means
    /// A computed measure names a dataset that `catalogue.toml` does not declare under
    /// `[dataset.NAME]`.
    /// ## How to fix
    /// Declare the dataset (its unit and date columns) or fix the name.
    E131, Error, "measure names an unknown dataset";
    /// ## What it means
    /// A measure's expression uses a column that the dataset's `columns` list does not declare.
    /// ## How to fix
    /// Fix the column name, or add it to `columns` of the dataset.
    E132, Error, "measure uses a column the dataset does not declare";
    /// ## What it means
    /// A task's `deadline` text matches none of the forms of SPEC §6, or a report's `due` rule
    /// none of the forms of SPEC §6.1.
    /// ## How to fix
    /// Write the deadline as the plans do ("Tháng 5/2026", "Quý I/2027", "Hoàn thành trước ngày
    /// 30/6/2026", "Thường xuyên", "Theo chỉ đạo của ..."), or give `due = 2026-06-30`. A
    /// report's rule is monthly ("Định kỳ trước ngày 10 hàng tháng"), quarterly ("trước ngày 15
    /// của tháng cuối Quý"), dates every year ("trước ngày 05/6 và 05/12 hằng năm") or one date
    /// ("trước ngày 06/6/2026"), or a TOML date `due = 2026-06-06`.
    E140, Error, "unrecognised task deadline or report due rule";
    /// ## What it means
    /// The `[[grade]]` bands are not strictly decreasing in `min`, or the last band has a `min`
    /// other than 0.
    /// ## How to fix
    /// Order the bands from the highest `min` to the lowest, and end with `min = 0`.
    E150, Error, "invalid grade bands";
    /// ## What it means
    /// The `when` of an `[[alert]]` is not an expression polars' SQL front end can parse (a
    /// missing operand, an unbalanced parenthesis, `=>` for `>=`).
    /// ## How to fix
    /// Write a condition over the names of a snapshot, e.g. `when = "change <= -0.5"` or
    /// `when = "streak >= 3 AND share < 70"`; strings in single quotes (`status = 'chua_dat'`).
    E160, Error, "invalid alert condition";
    /// ## What it means
    /// The `when` of an `[[alert]]` uses a name that a snapshot does not have. The names are
    /// change, change_since, rank_change, streak, share, value, earned, rank,
    /// status and previous_status (README "Alerts").
    /// ## How to fix
    /// Fix the spelling; the message suggests the closest name.
    E161, Error, "alert condition uses an unknown name";
    /// ## What it means
    /// The `on` of an `[[alert]]` names neither `total` nor a group or indicator of the
    /// catalogue, or two alerts share an id.
    /// ## How to fix
    /// Use `on = "total"`, a group id of catalogue.toml or an indicator id; give each alert its
    /// own id.
    E162, Error, "alert watches an unknown item (or its id is taken)";
    /// ## What it means
    /// A later target is easier than an earlier one: a `higher` indicator whose 2030 target is
    /// below its 2026 target (or the reverse for `lower`). Usually a typo.
    /// ## How to fix
    /// Check the targets against the document; add a `note` when the document really says so.
    W200, Warning, "targets get easier over the years";
    /// ## What it means
    /// The indicator has no target: it is tracked and shown but never scored. An indicator with
    /// `points = 0` says so on purpose (a figure the document only tracks) and is not reported.
    /// ## How to fix
    /// Add `[indicator.targets]`, or `points = 0` when the document only tracks the figure.
    W201, Warning, "indicator without targets";
    /// ## What it means
    /// A data row names a unit that `units.csv` does not list, or a report's
    /// `from = { units = [...] }` does (then pointed at in the catalogue).
    /// ## How to fix
    /// Add the unit to `units.csv` or fix the id in the data or the catalogue.
    E300, Error, "data names a unit that units.csv lacks";
    /// ## What it means
    /// `reported.csv` names an indicator the catalogue does not define (`tasks.csv` a task,
    /// `submissions.csv` a `[[report]]`).
    /// ## How to fix
    /// Fix the id or add the indicator, task or report to the catalogue.
    E301, Error, "reported.csv names an unknown indicator (tasks.csv: an unknown task; submissions.csv: an unknown report)";
    /// ## What it means
    /// A numerator is greater than its denominator. In a score run the row is excluded with a
    /// warning.
    /// ## How to fix
    /// Check the figures with the reporting unit.
    E302, Error, "numerator greater than denominator";
    /// ## What it means
    /// A value lies outside the indicator's limits (a percentage above 100, a negative count), or
    /// a numerator or denominator is negative (they count records or procedures).
    /// ## How to fix
    /// Fix the value, or set `limits` on the indicator.
    E303, Error, "value outside the indicator's limits (or a negative numerator or denominator)";
    /// ## What it means
    /// Two rows for the same (unit, period, indicator) or (task, unit).
    /// ## How to fix
    /// Keep one row.
    E304, Error, "duplicate row (same unit, period, indicator / task)";
    /// ## What it means
    /// `units.csv` has a duplicate id, a parent that does not exist, or a cycle of parents.
    /// ## How to fix
    /// Give each unit one id and a parent that exists (empty for a root).
    E305, Error, "units.csv: duplicate id, unknown parent or a cycle";
    /// ## What it means
    /// A required column or file is missing, or two files (e.g. `units.csv` and `units.xlsx`)
    /// exist for one name, or a header names one column twice (`value,…,value`: one of them
    /// would be ignored).
    /// ## How to fix
    /// Add the column or file; keep one file per name; give each column one header cell.
    E306, Error, "a required column or file is missing, or two files for one name";
    /// ## What it means
    /// A cell cannot be read as what its column holds: a number (`abc`), a date, a period
    /// (`2026-13`), a status; in a record dataset (`ho_so.csv`, `.xlsx`) a date that is not
    /// day-first (`2/15/2026`), a record without a unit or date, or `N/A` / `x` in a column
    /// whose other cells are numbers or yes/no. Also a whole file that cannot be read: not
    /// UTF-8 (a UTF-16 or cp1258 CSV), damaged (a Parquet file the reader fails on), or an XLSX
    /// sheet whose header row has merged cells.
    /// ## How to fix
    /// Write numbers as `12.44`, `12,44` or `24.742`; dates as `2026-06-30`, `30/6/2026`,
    /// `30-06-2026`, `30.06.2026` or an Excel date; periods as `2026`, `2026-Q2` or `2026-06`;
    /// yes/no as `true`/`false`, `có`/`không`, `đạt`/`chưa đạt`; leave a cell with no value
    /// empty. Save CSV files as "CSV UTF-8"; give an XLSX table one header row, one name per
    /// cell, on its first sheet.
    E307, Error, "a cell that cannot be read (number, date, period, status)";
    /// ## What it means
    /// The data directory cannot be locked (`.chitieu.lock`: chitieu reads under a shared lock
    /// and writes under an exclusive one), or it holds a commit a killed run left
    /// (`.chitieu-commit/`) that can be neither finished nor undone — the directory is read-only.
    /// ## How to fix
    /// Make the data directory writable and run again: the interrupted commit is finished first.
    E308, Error, "the data directory cannot be locked, or an interrupted commit cannot be finished";
    /// ## What it means
    /// A row gives a value and a numerator/denominator that disagree by more than 0.01.
    /// ## How to fix
    /// Drop the value (it is computed) or fix the figures.
    W310, Warning, "value disagrees with numerator/denominator by more than 0.01";
    /// ## What it means
    /// An indicator's `levels` or a report's `from = { levels = [...] }` names only levels that no
    /// unit of `units.csv` has: the indicator is scored for no unit, the report owed by none.
    /// Level names are free text (SPEC §5.1), so only the data can tell; a level the data simply
    /// lacks beside one it has (`["xa", "phuong"]` on data without wards) is not reported.
    /// ## How to fix
    /// Spell the levels as the `level` column of `units.csv` does (`xa`, not `xã`).
    W311, Warning, "levels name no level of units.csv (applies to no unit)";
    /// ## What it means
    /// A row of `submissions.csv` says a unit sent a report that the catalogue does not ask of it
    /// (the report's `from` names neither the unit nor its level). The row is kept and never
    /// counted.
    /// ## How to fix
    /// Check the unit and report ids of the row, or the report's `from` in the catalogue.
    W312, Warning, "submissions.csv: a unit sent a report it does not owe";
    /// ## What it means
    /// A submission dated before the period it covers began (`submitted_on` 2025-01-01 for the
    /// February 2026 report; for a fixed-date report, before January 1 of its year). Nobody can
    /// report a period that has not started: the date is a typo. The row is kept and never
    /// counted, so the report stays missing until the date is corrected.
    /// ## How to fix
    /// Correct `submitted_on` in submissions.csv (or the period).
    W313, Warning, "submissions.csv: a submission dated before its period began";
    /// ## What it means
    /// A group's `points` differ from the sum of its indicators' `points`: the group's figure is
    /// not used (a group scores the sum of its indicators), so one of them is a typo.
    /// ## How to fix
    /// Make the group's `points` the sum of its indicators', or drop it.
    W314, Warning, "group points differ from the sum of its indicators' points";
    /// ## What it means
    /// A returned form's identification does not verify: its hidden sheet `chitieu` has no
    /// checksum, or the keyed checksum (made with the data directory's secret `.chitieu-secret`
    /// when the form was written) does not match the catalogue, unit, period, reports and
    /// indicator cells it holds — the hidden sheet or an indicator id was edited, or the form was
    /// written for another data directory.
    /// ## How to fix
    /// Ask the unit for the form it was sent, or write it a fresh one with `chitieu form`. Forms
    /// written before chitieu signed them: collect with `--trust-unsigned` (each is still checked
    /// against its file name and title).
    E320, Error, "a form whose identification does not verify (edited hidden sheet or ids)";
    /// ## What it means
    /// A returned form's unit is not the unit its file name (`<unit>-<period>.xlsx`) or its
    /// visible title (`Đơn vị: … (mã <unit>)`, cell A3) names: one unit sent another's form, or
    /// the form was relabelled. A unit can only submit for itself.
    /// ## How to fix
    /// Ask the unit named in the file name for its own form; do not rename forms.
    E321, Error, "a form's unit disagrees with its file name or visible title";
    /// ## What it means
    /// A returned form answers a report its unit does not owe for the form's period, or asks for
    /// an indicator its unit does not report (a computed one, or one of another level), or names
    /// a period the catalogue's reports do not have: what `chitieu form` writes never does, so
    /// the hidden sheet was edited.
    /// ## How to fix
    /// Ask the unit for the form it was sent, or write a fresh one with `chitieu form`.
    E322, Error, "a form answers a report or indicator its unit does not owe";
    /// ## What it means
    /// A date that cannot be true for its period: forms received (`--received`) before the
    /// period they report began, or after today.
    /// ## How to fix
    /// Pass the day the forms were received (`--received 2026-12-09`), or check the form's period.
    E323, Error, "a date impossible for its period (received before the period began)";
    /// ## What it means
    /// A returned form is larger, once decompressed, than collect reads (200 MB by default, the
    /// `--max-form-mb` option): an XLSX file is a zip archive, and a small file can inflate to
    /// gigabytes. A real form is a few hundred kilobytes.
    /// ## How to fix
    /// Ask the unit for the form it was sent; raise `--max-form-mb` only for a form you trust.
    E324, Error, "a returned form inflates beyond the size collect reads";
    /// ## What it means
    /// `units.csv` holds more units than chitieu scores (200,000), or a chain of parents deeper
    /// than 64 levels: far beyond any administrative hierarchy (a nation has a few thousand
    /// communes; a province's hierarchy is 3 or 4 levels). Such a file is refused at once
    /// instead of a run that exhausts the machine's memory.
    /// ## How to fix
    /// Check that units.csv holds units (not records), and that `parent` names each unit's
    /// parent; split a larger data set into one data directory per province.
    E325, Error, "units.csv beyond what chitieu scores (too many units, or too deep)";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented_and_parses_back() {
        assert_eq!(Code::ALL.len(), 43);
        for code in Code::ALL {
            assert!(
                code.explanation().contains("## What it means"),
                "{}",
                code.as_str()
            );
            assert_eq!(Code::parse(code.as_str()), Some(*code));
        }
        assert_eq!(Code::parse("e121"), Some(Code::E121));
        assert_eq!(Code::W200.severity(), Severity::Warning);
        assert_eq!(Code::E121.severity(), Severity::Error);
    }
}
