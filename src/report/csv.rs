//! The CSV outputs of SPEC §7 (scorecard.csv, summary.csv, tasks.csv), built as polars frames
//! and written with polars' CSV writer. Column names are the stable interface.

use polars::prelude::*;

use super::ReportError;
use crate::definition::Catalogue;
use crate::score::scorecard::Scorecard;

fn write(name: &str, columns: Vec<Column>) -> Result<Vec<u8>, ReportError> {
    let err = |e: PolarsError| ReportError::Render {
        name: name.to_string(),
        message: e.to_string(),
    };
    let mut df = DataFrame::new_infer_height(columns).map_err(err)?;
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_header(true)
        .finish(&mut df)
        .map_err(err)?;
    Ok(buf)
}

/// A column of text from the inputs (names, ids, deadlines). A cell starting with `=`, `+`,
/// `-`, `@`, a tab or a carriage return gets a leading `'`: a spreadsheet opening the CSV would
/// otherwise run it as a formula (CSV injection, as OWASP describes it).
fn text(name: &str, values: Vec<Option<String>>) -> Column {
    let values: Vec<Option<String>> = values
        .into_iter()
        .map(|v| v.map(|v| neutralize(&v)))
        .collect();
    Column::new(name.into(), values)
}

fn neutralize(cell: &str) -> String {
    guarded(cell).into_owned()
}

/// Whether a spreadsheet opening the CSV would run `cell` as a formula.
fn runs(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `cell` as [`text`] writes it: with a leading `'` when a spreadsheet would run it.
fn guarded(cell: &str) -> std::borrow::Cow<'_, str> {
    if runs(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A column of chitieu's own vocabulary (`>=`, `=`, `dat`), written as it is.
fn vocabulary(name: &str, values: Vec<Option<String>>) -> Column {
    Column::new(name.into(), values)
}

fn number(name: &str, values: Vec<Option<f64>>) -> Column {
    Column::new(name.into(), values)
}

/// The long table of scorecard.csv and scorecard.parquet, one row per (unit, indicator), built
/// once for both: its first [`LongTable::texts`] columns hold the inputs' texts as they are.
pub struct LongTable {
    columns: Vec<Column>,
    texts: usize,
}

/// The long table of a run.
pub fn long_table(card: &Scorecard, c: &Catalogue) -> LongTable {
    LongTable {
        columns: scorecard_columns(card, c),
        texts: LONG_TEXTS.len(),
    }
}

/// scorecard.csv, written into `out` as it is made: the long table with its texts guarded
/// against spreadsheet formulas ([`text`]).
pub fn scorecard(table: &LongTable, out: &mut impl std::io::Write) -> Result<(), ReportError> {
    let err = |e: PolarsError| ReportError::Render {
        name: "scorecard.csv".into(),
        message: e.to_string(),
    };
    let mut columns = Vec::with_capacity(table.columns.len());
    for (i, column) in table.columns.iter().enumerate() {
        if i < table.texts {
            let values = column.str().map_err(err)?;
            // a column without a cell to guard (nearly always) is written as it is, not copied
            if values.iter().flatten().any(runs) {
                columns.push(values.apply_values(guarded).into_column());
            } else {
                columns.push(column.clone());
            }
        } else {
            columns.push(column.clone());
        }
    }
    let mut df = DataFrame::new_infer_height(columns).map_err(err)?;
    CsvWriter::new(out)
        .include_header(true)
        .finish(&mut df)
        .map_err(err)
}

/// scorecard.parquet: scorecard.csv's long table (same columns, same types) for analysts' tools
/// (polars, DuckDB, Spark, pandas), which read it without parsing the JSON; texts as they are
/// (no leading `'`: no spreadsheet runs a Parquet cell as a formula). Snappy, as the history's
/// snapshots.
pub fn scorecard_parquet(
    table: &LongTable,
    out: &mut impl std::io::Write,
) -> Result<(), ReportError> {
    let err = |e: PolarsError| ReportError::Render {
        name: "scorecard.parquet".into(),
        message: e.to_string(),
    };
    let mut df = DataFrame::new_infer_height(table.columns.clone()).map_err(err)?;
    ParquetWriter::new(out)
        .with_compression(ParquetCompression::Snappy)
        // row groups of 16,384 rows: the writer holds one encoded at a time (86,000 rows at
        // national scale, a few MB less than one group of all)
        .with_row_group_size(Some(16_384))
        .finish(&mut df)
        .map_err(err)
        .map(|_| ())
}

/// The long table's columns of the inputs' texts, first.
const LONG_TEXTS: [&str; 5] = ["unit", "unit_name", "indicator", "code", "group"];

/// The columns of the long table, one row per (unit, indicator), the inputs' texts first
/// ([`LONG_TEXTS`]). The columns are built in one pass over the scorecard, each cell's card read
/// once for all of them, its texts borrowed (a pass per column read the 86,000 cards of a
/// national run 24 times: the largest part of scorecard.csv's time).
fn scorecard_columns(card: &Scorecard, c: &Catalogue) -> Vec<Column> {
    let rows = card.units.len() * c.indicators.len();
    let mut columns: Vec<LongColumn> = vec![
        LongColumn::text(LONG_TEXTS[0], rows, |(u, _, _)| Some(u.id.as_str())),
        LongColumn::text(LONG_TEXTS[1], rows, |(u, _, _)| Some(u.name.as_str())),
        LongColumn::text(LONG_TEXTS[2], rows, |(_, i, _)| Some(i.id.as_str())),
        LongColumn::text(LONG_TEXTS[3], rows, |(_, _, d)| d.code.as_deref()),
        LongColumn::text(LONG_TEXTS[4], rows, |(_, _, d)| d.group.as_deref()),
        LongColumn::number("value", rows, |(_, i, _)| i.value),
        LongColumn::number("numerator", rows, |(_, i, _)| i.numerator),
        LongColumn::number("denominator", rows, |(_, i, _)| i.denominator),
        // chitieu's own vocabulary (`>=`), or the target's text
        LongColumn::text("target_op", rows, |(_, i, _)| {
            i.target
                .as_ref()
                .and_then(|t| t.op.map(|op| op.as_str()).or(t.text.as_deref()))
        }),
        LongColumn::number("target_value", rows, |(_, i, _)| {
            i.target.as_ref().and_then(|t| t.value)
        }),
        LongColumn::Year(
            PrimitiveChunkedBuilder::new("target_year".into(), rows),
            |(_, i, _)| i.target.as_ref().map(|t| t.year),
        ),
        LongColumn::flag("interpolated", rows, |(_, i, _)| {
            i.target.as_ref().map(|t| t.interpolated)
        }),
        LongColumn::flag("met", rows, |(_, i, _)| i.met),
        LongColumn::number("attainment", rows, |(_, i, _)| i.attainment),
        LongColumn::number("points", rows, |(_, i, _)| Some(i.points)),
        LongColumn::number("earned", rows, |(_, i, _)| i.earned),
        LongColumn::text("status", rows, |(_, i, _)| Some(i.status.as_str())),
        LongColumn::number("gap", rows, |(_, i, _)| i.gap),
        LongColumn::number("forecast_value", rows, |(_, i, _)| {
            i.forecast.as_ref().and_then(|f| f.value)
        }),
        LongColumn::text("forecast_status", rows, |(_, i, _)| {
            i.forecast.as_ref().map(|f| f.status.as_str())
        }),
        LongColumn::number("points_lost", rows, |(_, i, _)| i.points_lost),
        LongColumn::Count(
            PrimitiveChunkedBuilder::new("needed".into(), rows),
            |(_, i, _)| i.needed,
        ),
    ];
    for unit in &card.units {
        for (ind, def) in unit.indicators.iter().zip(&c.indicators) {
            for column in &mut columns {
                column.push((unit, ind, def));
            }
        }
    }
    columns.into_iter().map(LongColumn::finish).collect()
}

/// A cell of the long table: its unit, its indicator's card and its definition.
type Cell<'a> = (
    &'a crate::score::scorecard::UnitCard,
    &'a crate::score::scorecard::IndicatorCard,
    &'a crate::definition::Indicator,
);

/// A column of the long table being built: its builder and what it takes from each cell.
enum LongColumn {
    Text(
        StringChunkedBuilder,
        for<'a> fn(Cell<'a>) -> Option<&'a str>,
    ),
    Number(
        PrimitiveChunkedBuilder<Float64Type>,
        fn(Cell<'_>) -> Option<f64>,
    ),
    Flag(BooleanChunkedBuilder, fn(Cell<'_>) -> Option<bool>),
    Year(
        PrimitiveChunkedBuilder<Int32Type>,
        fn(Cell<'_>) -> Option<i32>,
    ),
    Count(
        PrimitiveChunkedBuilder<UInt64Type>,
        fn(Cell<'_>) -> Option<u64>,
    ),
}

impl LongColumn {
    fn text(name: &str, rows: usize, f: for<'a> fn(Cell<'a>) -> Option<&'a str>) -> LongColumn {
        LongColumn::Text(StringChunkedBuilder::new(name.into(), rows), f)
    }

    fn number(name: &str, rows: usize, f: fn(Cell<'_>) -> Option<f64>) -> LongColumn {
        LongColumn::Number(PrimitiveChunkedBuilder::new(name.into(), rows), f)
    }

    fn flag(name: &str, rows: usize, f: fn(Cell<'_>) -> Option<bool>) -> LongColumn {
        LongColumn::Flag(BooleanChunkedBuilder::new(name.into(), rows), f)
    }

    fn push(&mut self, cell: Cell<'_>) {
        match self {
            LongColumn::Text(b, f) => b.append_option(f(cell)),
            LongColumn::Number(b, f) => b.append_option(f(cell)),
            LongColumn::Flag(b, f) => b.append_option(f(cell)),
            LongColumn::Year(b, f) => b.append_option(f(cell)),
            LongColumn::Count(b, f) => b.append_option(f(cell)),
        }
    }

    fn finish(self) -> Column {
        match self {
            LongColumn::Text(b, _) => b.finish().into_column(),
            LongColumn::Number(b, _) => b.finish().into_column(),
            LongColumn::Flag(b, _) => b.finish().into_column(),
            LongColumn::Year(b, _) => b.finish().into_column(),
            LongColumn::Count(b, _) => b.finish().into_column(),
        }
    }
}

/// One row per unit, with one column per group score and the task rates.
pub fn summary(card: &Scorecard, c: &Catalogue) -> Result<Vec<u8>, ReportError> {
    let s = |f: &dyn Fn(&crate::score::scorecard::UnitCard) -> Option<String>| {
        card.units.iter().map(f).collect::<Vec<_>>()
    };
    let n = |f: &dyn Fn(&crate::score::scorecard::UnitCard) -> Option<f64>| {
        card.units.iter().map(f).collect::<Vec<_>>()
    };
    let mut columns = vec![
        text("unit", s(&|u| Some(u.id.clone()))),
        text("unit_name", s(&|u| Some(u.name.clone()))),
        text("level", s(&|u| Some(u.level.clone()))),
        text("parent", s(&|u| u.parent.clone())),
        number("score", n(&|u| u.score)),
        text("grade", s(&|u| u.grade.as_ref().map(|g| g.name.clone()))),
        Column::new(
            "rank".into(),
            card.units
                .iter()
                .map(|u| u.rank.map(|r| r as u32))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "rank_of".into(),
            card.units
                .iter()
                .map(|u| u.rank_of.map(|r| r as u32))
                .collect::<Vec<_>>(),
        ),
        number("coverage", n(&|u| u.coverage)),
    ];
    let scored_groups: Vec<&str> = card
        .units
        .first()
        .map(|u| u.groups.iter().map(|g| g.id.as_str()).collect())
        .unwrap_or_default();
    for g in scored_groups {
        let name = format!("group_{g}");
        let values = card
            .units
            .iter()
            .map(|u| u.groups.iter().find(|x| x.id == g).and_then(|x| x.score))
            .collect();
        columns.push(number(&name, values));
    }
    columns.push(number("completion_rate", n(&|u| u.tasks.completion_rate)));
    columns.push(number("on_time_rate", n(&|u| u.tasks.on_time_rate)));
    columns.push(number("score_change", n(&|u| u.score_change)));
    columns.push(Column::new(
        "rank_change".into(),
        card.units.iter().map(|u| u.rank_change).collect::<Vec<_>>(),
    ));
    // the report counts (SPEC §6.1), only when the catalogue has reports: a summary without
    // them keeps its columns
    if !c.reports.is_empty() {
        let count = |name: &str, f: &dyn Fn(&crate::cycle::ReportCounts) -> usize| {
            Column::new(
                name.into(),
                card.units
                    .iter()
                    .map(|u| u.reports.as_ref().map(|r| f(&r.counts) as u32))
                    .collect::<Vec<_>>(),
            )
        };
        columns.push(count("reports_due", &|r| r.due));
        columns.push(count("reports_on_time", &|r| r.on_time));
        columns.push(count("reports_late", &|r| r.late));
        columns.push(count("reports_missing", &|r| r.missing));
        columns.push(count("reports_not_due", &|r| r.not_due));
        columns.push(number(
            "reports_on_time_rate",
            n(&|u| u.reports.as_ref().and_then(|r| r.on_time_rate)),
        ));
    }
    // the change since the previous snapshot (SPEC §10.2), only when the run keeps a history: a
    // summary without one keeps its columns
    if let Some(h) = &card.history {
        fn prev(
            u: &crate::score::scorecard::UnitCard,
        ) -> Option<&crate::score::monitoring::ChangeJson> {
            u.since_previous.as_ref()
        }
        columns.push(number(
            "change_since_previous",
            n(&|u| prev(u).and_then(|c| c.change)),
        ));
        columns.push(Column::new(
            "rank_change_since_previous".into(),
            card.units
                .iter()
                .map(|u| prev(u).and_then(|c| c.rank_change))
                .collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            "streak".into(),
            card.units
                .iter()
                .map(|u| prev(u).and_then(|c| c.streak))
                .collect::<Vec<_>>(),
        ));
        columns.push(vocabulary(
            "change_reason",
            s(&|u| prev(u).and_then(|c| c.reason.clone())),
        ));
        if h.since_as_of.is_some() {
            columns.push(number(
                "change_since",
                n(&|u| u.since.as_ref().and_then(|c| c.change)),
            ));
        }
    }
    write("summary.csv", columns)
}

/// One row per (task, unit).
pub fn tasks(card: &Scorecard, c: &Catalogue) -> Result<Vec<u8>, ReportError> {
    let mut rows: [Vec<Option<String>>; 10] = Default::default();
    let names = card.unit_names();
    for line in &card.tasks {
        let task = c.task(&line.task);
        let unit_name = names.get(line.unit.as_str()).map(|n| n.to_string());
        let values = [
            Some(line.task.clone()),
            task.and_then(|t| t.code.clone()),
            Some(line.unit.clone()),
            unit_name,
            task.map(|t| t.name.clone()),
            task.map(|t| t.deadline_text.clone()),
            task.map(|t| t.deadline.kind().to_string()),
            line.due.map(|d| d.format("%Y-%m-%d").to_string()),
            Some(line.status.to_string()),
            line.completed_on.map(|d| d.format("%Y-%m-%d").to_string()),
        ];
        for (col, v) in rows.iter_mut().zip(values) {
            col.push(v);
        }
    }
    let names = [
        "task",
        "code",
        "unit",
        "unit_name",
        "name",
        "deadline",
        "kind",
        "due",
        "status",
        "completed_on",
    ];
    write(
        "tasks.csv",
        names.iter().zip(rows).map(|(n, v)| text(n, v)).collect(),
    )
}

/// One row per (report, unit, reporting period) owed up to the period (SPEC §6.1), in the
/// scorecard's order (units.csv order, then catalogue order of reports, then periods).
pub fn reports(card: &Scorecard, c: &Catalogue) -> Result<Vec<u8>, ReportError> {
    let names = card.unit_names();
    let mut rows: [Vec<Option<String>>; 6] = Default::default();
    let mut period = Vec::new();
    let mut due = Vec::new();
    let mut submitted = Vec::new();
    let mut status = Vec::new();
    let mut days_late = Vec::new();
    for line in &card.reports {
        let report = c.report(&line.report);
        let values = [
            Some(line.report.clone()),
            report.map(|r| r.name.clone()),
            Some(line.unit.clone()),
            names.get(line.unit.as_str()).map(|n| n.to_string()),
            report.map(|r| r.due_text.clone()),
            report.and_then(|r| r.source.clone()),
        ];
        for (col, v) in rows.iter_mut().zip(values) {
            col.push(v);
        }
        period.push(Some(line.period.to_string()));
        due.push(Some(line.due.format("%Y-%m-%d").to_string()));
        submitted.push(line.submitted_on.map(|d| d.format("%Y-%m-%d").to_string()));
        status.push(Some(line.status.to_string()));
        days_late.push(line.days_late);
    }
    let [report, name, unit, unit_name, rule, source] = rows;
    write(
        "reports.csv",
        vec![
            text("report", report),
            text("name", name),
            text("unit", unit),
            text("unit_name", unit_name),
            vocabulary("period", period),
            text("due_rule", rule),
            vocabulary("due", due),
            vocabulary("submitted_on", submitted),
            vocabulary("status", status),
            Column::new("days_late".into(), days_late),
            text("source", source),
        ],
    )
}

/// alerts.csv (SPEC §10.3): one row per alert that fired, red first, with the figure before and
/// after and the items that contributed most (`item:change` separated by `;`).
pub fn alerts(card: &Scorecard) -> Result<Vec<u8>, ReportError> {
    let fired: Vec<&crate::score::monitoring::Fired> = card.alerts.iter().flatten().collect();
    let s = |f: &dyn Fn(&crate::score::monitoring::Fired) -> Option<String>| {
        fired.iter().map(|a| f(a)).collect::<Vec<_>>()
    };
    let n = |f: &dyn Fn(&crate::score::monitoring::Fired) -> Option<f64>| {
        fired.iter().map(|a| f(a)).collect::<Vec<_>>()
    };
    let columns = vec![
        vocabulary("severity", s(&|a| Some(a.severity.code().to_string()))),
        text("alert", s(&|a| Some(a.alert.clone()))),
        text("unit", s(&|a| Some(a.unit.clone()))),
        text("unit_name", s(&|a| Some(a.unit_name.clone()))),
        text("level", s(&|a| Some(a.level.clone()))),
        text("item", s(&|a| Some(a.item.clone()))),
        number("before", n(&|a| a.before)),
        number("after", n(&|a| a.after)),
        number("change", n(&|a| a.change)),
        Column::new(
            "rank_change".into(),
            fired.iter().map(|a| a.rank_change).collect::<Vec<_>>(),
        ),
        Column::new(
            "streak".into(),
            fired.iter().map(|a| a.streak).collect::<Vec<_>>(),
        ),
        number("share", n(&|a| a.share)),
        text(
            "contributors",
            s(&|a| {
                Some(
                    a.contributors
                        .iter()
                        .map(|c| format!("{}:{:.2}", c.item, c.change))
                        .collect::<Vec<_>>()
                        .join(";"),
                )
            }),
        ),
    ];
    write("alerts.csv", columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_a_spreadsheet_would_run_as_a_formula_is_quoted() {
        let cells = [
            "=HYPERLINK(\"http://x\",\"Xã A\")",
            "+84 912",
            "-1",
            "@SUM(A1)",
            "\tTab",
            "Xã A-B",
            "",
        ];
        let column = text(
            "unit_name",
            cells.iter().map(|c| Some(c.to_string())).collect(),
        );
        let written = write("summary.csv", vec![column]).unwrap_or_default();
        let written = String::from_utf8(written).unwrap_or_default();
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines[1], "\"'=HYPERLINK(\"\"http://x\"\",\"\"Xã A\"\")\"");
        assert_eq!(lines[2], "'+84 912");
        assert_eq!(lines[3], "'-1");
        assert_eq!(lines[4], "'@SUM(A1)");
        assert_eq!(lines[5], "'\tTab");
        assert_eq!(lines[6], "Xã A-B");
        // and comparators of chitieu's own vocabulary stay as they are
        let op = vocabulary("target_op", vec![Some("=".into())]);
        let written =
            String::from_utf8(write("s.csv", vec![op]).unwrap_or_default()).unwrap_or_default();
        assert_eq!(written.lines().nth(1), Some("="));
    }

    #[test]
    fn the_long_tables_texts_are_guarded_in_the_csv_only() {
        let column = |name: &str, cells: [&str; 2]| {
            Column::new(
                name.into(),
                cells.iter().map(|c| Some(*c)).collect::<Vec<_>>(),
            )
        };
        let table = LongTable {
            columns: vec![
                column("unit", ["xa-1", "xa-2"]),
                column("unit_name", ["=1+1", "Xã 2"]),
                // not a text of the inputs: written as it is
                column("status", ["-", "dat"]),
            ],
            texts: 2,
        };
        let mut csv = Vec::new();
        scorecard(&table, &mut csv).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            String::from_utf8(csv).unwrap_or_default(),
            "unit,unit_name,status\nxa-1,'=1+1,-\nxa-2,Xã 2,dat\n"
        );
        // the Parquet table keeps the texts as they are
        let mut parquet = Vec::new();
        scorecard_parquet(&table, &mut parquet).unwrap_or_else(|e| panic!("{e}"));
        let read = ParquetReader::new(std::io::Cursor::new(parquet))
            .finish()
            .unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<Option<&str>> = read
            .column("unit_name")
            .and_then(|c| c.str().map(|s| s.iter().collect()))
            .unwrap_or_default();
        assert_eq!(names, vec![Some("=1+1"), Some("Xã 2")]);
    }
}
