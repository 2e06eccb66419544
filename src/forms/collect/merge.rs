//! Merging the figures of the forms into reported.csv and submissions.csv: a row already there
//! with the same figures kept byte for byte, another figure for it refused, new rows appended in
//! the files' own column order. Reads no form: `read` hands the figures in.

use super::*;

/// The figures of a row as compared: value, numerator, denominator, note.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Figures {
    value: Option<f64>,
    numerator: Option<f64>,
    denominator: Option<f64>,
    note: String,
}

impl Figures {
    pub(super) fn of(f: &FormFigure) -> Figures {
        Figures {
            value: f.value,
            numerator: f.numerator,
            denominator: f.denominator,
            note: f.note.clone(),
        }
    }

    /// How two sets of figures differ, in words: `value 85 ≠ 80`.
    pub(super) fn difference(&self, other: &Figures) -> String {
        let show = |v: Option<f64>| v.map_or_else(|| "(empty)".to_string(), format_number);
        let mut parts = Vec::new();
        for (name, a, b) in [
            ("value", self.value, other.value),
            ("numerator", self.numerator, other.numerator),
            ("denominator", self.denominator, other.denominator),
        ] {
            if a != b {
                parts.push(format!("{name} {} here, {} there", show(a), show(b)));
            }
        }
        if self.note != other.note {
            parts.push(format!(
                "note \"{}\" here, \"{}\" there",
                self.note, other.note
            ));
        }
        parts.join("; ")
    }
}

/// Where a key's row is: an existing record of reported.csv, or one appended by a form.
#[derive(Debug, Clone)]
pub(super) enum Origin {
    Existing(usize),
    Added { form: PathBuf, cell: String },
    Replaced { form: PathBuf, cell: String },
}

/// The merge in progress: existing rows by key, what to replace and append.
pub(super) struct Merge<'a> {
    pub(super) reported: &'a RawCsv,
    pub(super) rows: HashMap<RowKey, (Origin, Figures)>,
    pub(super) submissions: HashMap<SubmissionKey, ()>,
    pub(super) replaced: BTreeMap<usize, Vec<String>>,
    pub(super) appended: Vec<Vec<String>>,
    pub(super) new_submissions: Vec<Vec<String>>,
    pub(super) submissions_header: Vec<String>,
}

impl<'a> Merge<'a> {
    pub(super) fn new(reported: &'a RawCsv, submissions: &RawCsv, c: &Catalogue) -> Merge<'a> {
        let col = |name: &str| reported.column(name);
        let (unit, period, indicator) = (col("unit"), col("period"), col("indicator"));
        let mut rows = HashMap::new();
        for (k, record) in reported.records.iter().enumerate() {
            let key = (
                reported.field(record, unit).to_string(),
                read_period(reported.field(record, period)),
                reported.field(record, indicator).to_string(),
            );
            let (Some(p), kind) = (key.1, c.indicator(&key.2).map(|i| i.unit)) else {
                continue;
            };
            let figure = |name: &str| reported.field(record, col(name));
            let value = match kind {
                Some(UnitKind::Boolean) => parse_bool(figure("value"))
                    .map(|b| if b { 1.0 } else { 0.0 })
                    .or_else(|| parse_number(figure("value"))),
                _ => parse_number(figure("value")),
            };
            let figures = Figures {
                value,
                numerator: parse_number(figure("numerator")),
                denominator: parse_number(figure("denominator")),
                note: figure("note").to_string(),
            };
            // the first row of a key stands for it, as reading reported.csv takes the first
            rows.entry((key.0, p, key.2))
                .or_insert((Origin::Existing(k), figures));
        }
        let scol = |name: &str| submissions.column(name);
        let mut seen = HashMap::new();
        for record in &submissions.records {
            let f = |name: &str| submissions.field(record, scol(name)).to_string();
            if let Some(p) = read_period(&f("period")) {
                seen.insert((f("unit"), f("report"), p), ());
            }
        }
        Merge {
            reported,
            rows,
            submissions: seen,
            replaced: BTreeMap::new(),
            appended: Vec::new(),
            new_submissions: Vec::new(),
            submissions_header: submissions.header.clone(),
        }
    }

    /// Merges one form's figures and submissions; a conflict is an error in `diagnostics`.
    pub(super) fn form(
        &mut self,
        form: &ReadForm,
        opts: &CollectOptions,
        reported_path: &Path,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> FileOutcome {
        let mut outcome = FileOutcome {
            path: form.path.clone(),
            unit: form.unit.clone(),
            period: form.period,
            added: 0,
            unchanged: 0,
            replaced: 0,
            empty: form.empty,
            submissions: Vec::new(),
        };
        for figure in &form.figures {
            let key = (form.unit.clone(), form.period, figure.indicator.clone());
            let new = Figures::of(figure);
            if let Some(column) = self.missing_column(&new) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E306,
                        reported_path,
                        Place::File,
                        format!(
                            "{} has no column `{column}` for the {column} of {} {}",
                            file_name(reported_path),
                            file_name(&form.path),
                            figure.cell
                        ),
                    )
                    .help(format!(
                        "add a column `{column}` to the header of {}, then collect again",
                        file_name(reported_path)
                    )),
                );
                continue;
            }
            let conflict = |there: String, help: &str| {
                Diagnostic::new(
                    Code::E304,
                    &form.path,
                    Place::Cell {
                        row: figure.row,
                        column: Column::Value.label().to_string(),
                    },
                    format!(
                        "{}: unit `{}`, period {}, indicator `{}` is already in {there} with \
                         other figures ({})",
                        figure.cell,
                        form.unit,
                        form.period,
                        figure.indicator,
                        new.difference(&self.rows[&key].1)
                    ),
                )
                .help(help.to_string())
            };
            match self.rows.get(&key).cloned() {
                None => {
                    self.appended.push(self.fields(None, form, figure, opts));
                    self.rows.insert(
                        key,
                        (
                            Origin::Added {
                                form: form.path.clone(),
                                cell: figure.cell.clone(),
                            },
                            new,
                        ),
                    );
                    outcome.added += 1;
                }
                Some((_, old)) if old == new => outcome.unchanged += 1,
                Some((Origin::Existing(record), _)) if opts.replace => {
                    let fields = self.fields(Some(record), form, figure, opts);
                    self.replaced.insert(record, fields);
                    self.rows.insert(
                        key,
                        (
                            Origin::Replaced {
                                form: form.path.clone(),
                                cell: figure.cell.clone(),
                            },
                            new,
                        ),
                    );
                    outcome.replaced += 1;
                }
                Some((Origin::Existing(record), _)) => {
                    let row = self.reported.records.get(record).map_or(0, |r| r.row);
                    diagnostics.push(conflict(
                        format!("{} row {row}", file_name(reported_path)),
                        "collect with --replace to replace that row with the form's figures, \
                         or correct the form",
                    ));
                }
                Some((
                    Origin::Added { form: other, cell }
                    | Origin::Replaced {
                        form: other, cell, ..
                    },
                    _,
                )) => {
                    diagnostics.push(conflict(
                        format!("{} {cell}", file_name(&other)),
                        "two returned forms give this row: keep one of them in the directory",
                    ));
                }
            }
        }
        if !form.figures.is_empty() {
            for report in form.reports.iter().cloned() {
                let key = (form.unit.clone(), report.clone(), form.period);
                let new = !self.submissions.contains_key(&key);
                if new {
                    self.submissions.insert(key, ());
                    let fields = self
                        .submissions_header
                        .iter()
                        .map(|h| match fold(h).as_str() {
                            "unit" => form.unit.clone(),
                            "report" => report.clone(),
                            "period" => form.period.to_string(),
                            "submitted_on" => opts.received.format("%Y-%m-%d").to_string(),
                            _ => String::new(),
                        })
                        .collect();
                    self.new_submissions.push(fields);
                }
                outcome.submissions.push((report, new));
            }
        }
        outcome
    }

    /// The first column of reported.csv that `figures` needs and the file lacks: a figure
    /// written nowhere would be lost.
    pub(super) fn missing_column(&self, figures: &Figures) -> Option<&'static str> {
        [
            ("value", figures.value.is_some()),
            ("numerator", figures.numerator.is_some()),
            ("denominator", figures.denominator.is_some()),
            ("note", !figures.note.is_empty()),
        ]
        .into_iter()
        .find(|(name, given)| *given && self.reported.column(name).is_none())
        .map(|(name, _)| name)
    }

    /// The fields of a reported.csv row for `figure` in the file's column order: an existing
    /// record's other columns kept, its figures and note replaced.
    pub(super) fn fields(
        &self,
        record: Option<usize>,
        form: &ReadForm,
        figure: &FormFigure,
        opts: &CollectOptions,
    ) -> Vec<String> {
        let csv = self.reported;
        let mut fields = match record.and_then(|k| csv.records.get(k)) {
            Some(r) => {
                let mut f = r.fields.clone();
                f.resize(csv.header.len(), String::new());
                f
            }
            None => vec![String::new(); csv.header.len()],
        };
        let text = |v: Option<f64>| v.map(format_number).unwrap_or_default();
        let value = match (figure.kind, figure.value) {
            (UnitKind::Boolean, Some(v)) => format_number(v),
            (_, v) => text(v),
        };
        for (k, h) in csv.header.iter().enumerate() {
            let cell = match fold(h).as_str() {
                "unit" if record.is_none() => form.unit.clone(),
                "period" if record.is_none() => form.period.to_string(),
                "indicator" if record.is_none() => figure.indicator.clone(),
                "value" => value.clone(),
                "numerator" => text(figure.numerator),
                "denominator" => text(figure.denominator),
                "note" => figure.note.clone(),
                "submitted_on" => opts.received.format("%Y-%m-%d").to_string(),
                _ => continue,
            };
            fields[k] = cell;
        }
        fields
    }
}

/// A period cell as reading reported.csv takes it: `2026-06`, or a first-of-month date.
pub(super) fn read_period(text: &str) -> Option<Period> {
    Period::parse(text).or_else(|| {
        parse_date(text)
            .filter(|d| chrono::Datelike::day(d) == 1)
            .and_then(|d| Period::parse(&d.format("%Y-%m").to_string()))
    })
}
