//! scorecard.xlsx (SPEC §7): the summary, indicator and task tables of a score run as one workbook
//! for leaders — headers in the chosen language, status colours, typed numbers, percentages and
//! dates. Only lays out the Scorecard; computes nothing and never rounds a stored value.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::ReportError;
use crate::definition::{Catalogue, Op};
use crate::project::Lang;
use crate::score::scorecard::{Scorecard, UnitCard};
use crate::score::Status;

const NAME: &str = "scorecard.xlsx";

/// How a column shows its numbers; the stored value is always the full-precision number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Text,
    /// Scores and points: `0.00`.
    Score,
    /// A value in the indicator's own unit: thousands grouped, decimals only when it has some.
    Amount,
    /// Ranks and years.
    Integer,
    /// A fraction shown as a percentage: `0.00%`.
    Percent,
    Date,
}

/// A cell; text borrows from the Scorecard where it can (a national run has 50,000 rows).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Number(f64),
    Date(NaiveDate),
}

type Rgb = (u8, u8, u8);

pub(super) struct Column {
    header: String,
    kind: Kind,
    /// A code column beside its label: kept for filtering and machines, hidden from readers.
    hidden: bool,
}

/// The layout of one sheet: its name and columns; its rows go to a [`Sheet`] as they are made.
pub(super) struct Table {
    name: &'static str,
    columns: Vec<Column>,
    /// Columns kept in view when scrolling right.
    frozen_columns: u16,
}

/// A row: (cell, fill colour) per column.
pub(super) type Row<'a> = [(Cell<'a>, Option<Rgb>)];

impl Table {
    pub(super) fn new(name: &'static str, frozen_columns: u16) -> Table {
        Table {
            name,
            columns: Vec::new(),
            frozen_columns,
        }
    }

    pub(super) fn column(&mut self, header: impl Into<String>, kind: Kind) {
        self.columns.push(Column {
            header: header.into(),
            kind,
            hidden: false,
        });
    }

    fn hidden_column(&mut self, header: impl Into<String>) {
        self.columns.push(Column {
            header: header.into(),
            kind: Kind::Text,
            hidden: true,
        });
    }
}

/// Builds scorecard.xlsx: sheets "Tổng hợp" / "Summary", "Chỉ tiêu" / "Indicators",
/// "Nhiệm vụ" / "Tasks" and, when the catalogue has reports, "Báo cáo" / "Reports", labelled in
/// `lang`.
pub fn render(card: &Scorecard, c: &Catalogue, lang: Lang) -> Result<Vec<u8>, ReportError> {
    render_counted(card, c, lang).map(|(bytes, _)| bytes)
}

/// What a workbook could not hold: rows and columns beyond Excel's limits, left out of their
/// sheets (each sheet's last row says so; the CSVs hold every figure).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub rows: usize,
    pub columns: usize,
}

thread_local! {
    /// The rows and columns the sheets of the workbook being rendered on this thread left out
    /// ([`Sheet::finish`] adds to it; [`render_counted`] resets and reads it).
    static LEFT_OUT: std::cell::Cell<LeftOut> = const { std::cell::Cell::new(LeftOut { rows: 0, columns: 0 }) };
}

/// [`render`], and what the workbook left out.
pub fn render_counted(
    card: &Scorecard,
    c: &Catalogue,
    lang: Lang,
) -> Result<(Vec<u8>, LeftOut), ReportError> {
    LEFT_OUT.with(|l| l.set(LeftOut::default()));
    let bytes = render_sheets(card, c, lang)?;
    Ok((bytes, LEFT_OUT.with(|l| l.get())))
}

fn render_sheets(card: &Scorecard, c: &Catalogue, lang: Lang) -> Result<Vec<u8>, ReportError> {
    let err = |e: XlsxError| ReportError::Render {
        name: NAME.to_string(),
        message: match e {
            XlsxError::MaxStringLengthExceeded => format!(
                "{e} (a unit, indicator or task name or a target text is longer: shorten it in \
                 units.csv or the catalogue)"
            ),
            e => e.to_string(),
        },
    };
    let mut workbook = Workbook::new();
    let mut properties = DocProperties::new()
        .set_title(card.catalogue.title.as_str())
        .set_subject(format!("{} {}", lang.pick("Kỳ", "Period"), card.period))
        .set_author("chitieu");
    // the as-of date, not the clock: the same run gives the same file
    if let Some(as_of) = excel_date(card.as_of) {
        properties = properties.set_creation_datetime(&as_of);
    }
    workbook.set_properties(&properties);
    // level 1 of 9: at national scale the default level 6 spends most of the workbook's time
    // compressing, for a file not much smaller
    workbook.set_zip_compression_level(1);
    // constant-memory sheets: each row goes to a temporary file as it is written, instead of a
    // cell table in memory that grows with the cells of a national run; and the rows are
    // written as they are made, never held as a table
    type Write<'a> = Box<dyn Fn(Worksheet) -> Result<Worksheet, XlsxError> + 'a>;
    let mut sheets: Vec<Write> = vec![
        Box::new(|ws| summary(card, lang, ws)),
        Box::new(|ws| indicators(card, c, lang, ws)),
        Box::new(|ws| tasks(card, c, lang, ws)),
    ];
    // "Đối chiếu" only when the data has published figures (SPEC §11)
    if card.reconciliation.is_some() {
        sheets.push(Box::new(|ws| reconciliation(card, lang, ws)));
    }
    // "Báo cáo" only for a catalogue with reports: a workbook without them keeps its sheets
    if !c.reports.is_empty() {
        sheets.push(Box::new(|ws| reports(card, c, lang, ws)));
    }
    // "Diễn biến" and "Cảnh báo" only for a run with a history (SPEC §10)
    if card.history.is_some() {
        sheets.push(Box::new(|ws| {
            super::xlsx_changes::changes(card, c, lang, ws)
        }));
        sheets.push(Box::new(|ws| super::xlsx_changes::alerts(card, lang, ws)));
    }
    for write in sheets {
        let ws = workbook.new_worksheet_with_constant_memory().map_err(err)?;
        workbook.push_worksheet(write(ws).map_err(err)?);
    }
    workbook.save_to_buffer().map_err(err)
}

/// One row per unit: identity, score, grade, rank, coverage, group scores, task rates.
fn summary(card: &Scorecard, lang: Lang, ws: Worksheet) -> Result<Worksheet, XlsxError> {
    let l = |vi, en| lang.pick(vi, en);
    let mut t = Table::new(l("Tổng hợp", "Summary"), 2);
    t.column(l("Mã đơn vị", "Unit ID"), Kind::Text);
    t.column(l("Đơn vị", "Unit"), Kind::Text);
    t.column(l("Cấp", "Level"), Kind::Text);
    t.column(l("Đơn vị cấp trên", "Parent unit"), Kind::Text);
    t.column(l("Điểm", "Score"), Kind::Score);
    t.column(l("Xếp loại", "Grade"), Kind::Text);
    t.column(l("Hạng", "Rank"), Kind::Integer);
    t.column(l("Trên số đơn vị", "Rank of"), Kind::Integer);
    t.column(l("Tỷ lệ có dữ liệu", "Coverage"), Kind::Percent);
    t.column(
        l("Thay đổi điểm so với kỳ trước", "Score change"),
        Kind::Score,
    );
    t.column(
        l("Thay đổi hạng (+ lên)", "Rank change (+ up)"),
        Kind::Integer,
    );
    let groups: Vec<&str> = card
        .units
        .first()
        .map(|u| u.groups.iter().map(|g| g.id.as_str()).collect())
        .unwrap_or_default();
    for g in &groups {
        t.column(
            format!("{} {g}", l("Điểm nhóm", "Group score")),
            Kind::Score,
        );
        // the group's points out of its maximum, and their change, as the portal shows them
        t.column(
            format!("{} {g}", l("Điểm đạt nhóm", "Group points")),
            Kind::Score,
        );
        t.column(
            format!("{} {g}", l("Điểm tối đa nhóm", "Group maximum")),
            Kind::Score,
        );
        t.column(
            format!("{} {g}", l("Thay đổi điểm nhóm", "Group points change")),
            Kind::Score,
        );
    }
    t.column(
        l("Tỷ lệ hoàn thành nhiệm vụ", "Task completion rate"),
        Kind::Percent,
    );
    t.column(l("Tỷ lệ đúng hạn", "On-time rate"), Kind::Percent);
    let names: HashMap<&str, &str> = card
        .units
        .iter()
        .map(|u| (u.id.as_str(), u.name.as_str()))
        .collect();
    let mut sheet = Sheet::new(ws, t, lang)?;
    let (mut row, mut cells) = (Vec::new(), Vec::new());
    for u in &card.units {
        let parent = u.parent.as_deref().map(|p| {
            names
                .get(p)
                .copied()
                .or_else(|| card.outside_name(p))
                .unwrap_or(p)
        });
        row.clear();
        row.extend([
            text(&u.id),
            text(&u.name),
            text(&u.level),
            optional_text(parent),
            number(u.score),
            optional_text(u.grade.as_ref().map(|g| g.name.as_str())),
            number(u.rank.map(|r| r as f64)),
            number(u.rank_of.map(|r| r as f64)),
            number(u.coverage),
            number(u.score_change),
            number(u.rank_change.map(|r| r as f64)),
        ]);
        for g in &groups {
            let group = u.groups.iter().find(|x| x.id == *g);
            row.extend([
                number(group_score(u, g)),
                number(group.map(|x| x.earned)),
                number(group.map(|x| x.max)),
                number(group.and_then(|x| x.earned_change)),
            ]);
        }
        // the rates are in percent in the JSON; a percentage cell holds the fraction
        row.push(number(u.tasks.completion_rate.map(|r| r / 100.0)));
        row.push(number(u.tasks.on_time_rate.map(|r| r / 100.0)));
        cells.clear();
        cells.extend(row.drain(..).map(|c| (c, None)));
        sheet.row(&cells)?;
    }
    let focus = super::focus_note(card, lang);
    let mut ws = sheet.finish()?;
    // below the table and its filter, after an empty row
    if let Some(note) = focus {
        ws.write_string(self::row(card.units.len() + 2), 0, note)?;
    }
    Ok(ws)
}

fn group_score(u: &UnitCard, group: &str) -> Option<f64> {
    u.groups
        .iter()
        .find(|g| g.id == group)
        .and_then(|g| g.score)
}

/// One row per (unit, indicator), units in units.csv order, indicators in catalogue order.
fn indicators(
    card: &Scorecard,
    c: &Catalogue,
    lang: Lang,
    ws: Worksheet,
) -> Result<Worksheet, XlsxError> {
    let l = |vi, en| lang.pick(vi, en);
    let mut t = Table::new(l("Chỉ tiêu", "Indicators"), 2);
    t.column(l("Mã đơn vị", "Unit ID"), Kind::Text);
    t.column(l("Đơn vị", "Unit"), Kind::Text);
    t.column(l("Mã chỉ tiêu", "Indicator ID"), Kind::Text);
    t.column(l("STT", "Code"), Kind::Text);
    t.column(l("Chỉ tiêu", "Indicator"), Kind::Text);
    t.column(l("Nhóm", "Group"), Kind::Text);
    t.column(l("Giá trị", "Value"), Kind::Amount);
    t.column(l("Tử số", "Numerator"), Kind::Amount);
    t.column(l("Mẫu số", "Denominator"), Kind::Amount);
    t.column(l("So sánh", "Target operator"), Kind::Text);
    t.column(l("Mục tiêu", "Target"), Kind::Amount);
    t.column(l("Năm mục tiêu", "Target year"), Kind::Integer);
    t.column(l("Nội suy", "Interpolated"), Kind::Text);
    t.column(l("Đạt mục tiêu", "Met"), Kind::Text);
    t.column(l("Mức đạt", "Attainment"), Kind::Percent);
    t.column(l("Điểm tối đa", "Points"), Kind::Score);
    t.column(l("Điểm đạt được", "Earned"), Kind::Score);
    t.column(l("Điểm bị mất", "Points lost"), Kind::Score);
    t.column(
        l(
            "Cần thêm (hồ sơ, để đạt mục tiêu)",
            "Needed (records, to meet the target)",
        ),
        Kind::Integer,
    );
    t.column(l("Trạng thái", "Status"), Kind::Text);
    t.hidden_column(l("Mã trạng thái", "Status code"));
    t.column(l("Chênh lệch", "Gap"), Kind::Amount);
    t.column(l("Giá trị dự báo", "Forecast value"), Kind::Amount);
    t.column(l("Dự báo", "Forecast"), Kind::Text);
    t.hidden_column(l("Mã dự báo", "Forecast code"));
    let yes_no = |b: Option<bool>| {
        optional_text(b.map(|b| {
            if b {
                l("Có", "Yes")
            } else {
                l("Không", "No")
            }
        }))
    };
    let mut sheet = Sheet::new(ws, t, lang)?;
    for u in &card.units {
        // a unit's indicators are the catalogue's, in its order
        for (ind, def) in u.indicators.iter().zip(&c.indicators) {
            let target = ind.target.as_ref();
            // a qualitative target is read in the target column
            let target_cell = match target {
                Some(tg) => match (&tg.text, tg.value) {
                    (Some(text), _) => Cell::Text(Cow::Borrowed(text)),
                    (None, v) => number(v),
                },
                None => Cell::Empty,
            };
            let forecast = ind.forecast.as_ref();
            let status_fill = Some(ind.status.rgb());
            let forecast_fill = forecast.map(|f| f.status.rgb());
            sheet.row(&[
                (text(&u.id), None),
                (text(&u.name), None),
                (text(&ind.id), None),
                (optional_text(def.code.as_deref()), None),
                (text(&def.name), None),
                (optional_text(def.group.as_deref()), None),
                (number(ind.value), None),
                (number(ind.numerator), None),
                (number(ind.denominator), None),
                (
                    optional_text(target.and_then(|tg| tg.op.map(Op::as_str))),
                    None,
                ),
                (target_cell, None),
                (number(target.map(|tg| f64::from(tg.year))), None),
                (yes_no(target.map(|tg| tg.interpolated)), None),
                (yes_no(ind.met), None),
                (number(ind.attainment), None),
                (number(Some(ind.points)), None),
                (number(ind.earned), None),
                (number(ind.points_lost), None),
                (number(ind.needed.map(|k| k as f64)), None),
                (text(ind.status.label(lang)), status_fill),
                (text(ind.status.as_str()), None),
                (number(ind.gap), None),
                (number(forecast.and_then(|f| f.value)), None),
                (
                    optional_text(forecast.map(|f| f.status.label(lang))),
                    forecast_fill,
                ),
                (optional_text(forecast.map(|f| f.status.as_str())), None),
            ])?;
        }
    }
    sheet.finish()
}

/// One row per (task, unit); overdue first, otherwise in catalogue order.
fn tasks(
    card: &Scorecard,
    c: &Catalogue,
    lang: Lang,
    ws: Worksheet,
) -> Result<Worksheet, XlsxError> {
    let l = |vi, en| lang.pick(vi, en);
    let mut t = Table::new(l("Nhiệm vụ", "Tasks"), 0);
    t.column(l("Mã nhiệm vụ", "Task ID"), Kind::Text);
    t.column(l("STT", "Code"), Kind::Text);
    t.column(l("Nhiệm vụ", "Task"), Kind::Text);
    t.column(l("Mã đơn vị", "Unit ID"), Kind::Text);
    t.column(l("Đơn vị", "Unit"), Kind::Text);
    t.column(l("Thời hạn", "Deadline"), Kind::Text);
    t.column(l("Loại thời hạn", "Deadline kind"), Kind::Text);
    t.column(l("Hạn", "Due"), Kind::Date);
    t.column(l("Trạng thái", "Status"), Kind::Text);
    t.hidden_column(l("Mã trạng thái", "Status code"));
    t.column(l("Ngày hoàn thành", "Completed on"), Kind::Date);
    let mut sheet = Sheet::new(ws, t, lang)?;
    let names = card.unit_names();
    for line in card.tasks_by_urgency() {
        let task = c.task(&line.task);
        let unit_name = names.get(line.unit.as_str()).copied();
        let fill = match line.status {
            s if s.is_overdue() => Some(Status::ChuaDat.rgb()),
            s if s.is_done() => Some(Status::Dat.rgb()),
            _ => None,
        };
        sheet.row(&[
            (text(&line.task), None),
            (optional_text(task.and_then(|x| x.code.as_deref())), None),
            (optional_text(task.map(|x| x.name.as_str())), None),
            (text(&line.unit), None),
            (optional_text(unit_name), None),
            (optional_text(task.map(|x| x.deadline_text.as_str())), None),
            (
                optional_text(task.map(|x| x.deadline.kind_label(lang))),
                None,
            ),
            (date(line.due), None),
            (text(line.status.label(lang)), fill),
            (text(line.status.as_str()), None),
            (date(line.completed_on), None),
        ])?;
    }
    sheet.finish()
}

/// One row per (report, unit, reporting period); missing and late first (SPEC §6.1).
fn reports(
    card: &Scorecard,
    c: &Catalogue,
    lang: Lang,
    ws: Worksheet,
) -> Result<Worksheet, XlsxError> {
    let l = |vi, en| lang.pick(vi, en);
    let mut t = Table::new(l("Báo cáo", "Reports"), 0);
    t.column(l("Mã báo cáo", "Report ID"), Kind::Text);
    t.column(l("Báo cáo", "Report"), Kind::Text);
    t.column(l("Mã đơn vị", "Unit ID"), Kind::Text);
    t.column(l("Đơn vị", "Unit"), Kind::Text);
    t.column(l("Kỳ báo cáo", "Period"), Kind::Text);
    t.column(l("Thời hạn", "Due rule"), Kind::Text);
    t.column(l("Hạn", "Due"), Kind::Date);
    t.column(l("Ngày nộp", "Submitted on"), Kind::Date);
    t.column(l("Trạng thái", "Status"), Kind::Text);
    t.hidden_column(l("Mã trạng thái", "Status code"));
    t.column(l("Số ngày trễ", "Days late"), Kind::Integer);
    let mut sheet = Sheet::new(ws, t, lang)?;
    let names = card.unit_names();
    for line in card.reports_by_urgency() {
        let report = c.report(&line.report);
        let period = line.period.to_string();
        sheet.row(&[
            (text(&line.report), None),
            (optional_text(report.map(|r| r.name.as_str())), None),
            (text(&line.unit), None),
            (optional_text(names.get(line.unit.as_str()).copied()), None),
            (Cell::Text(Cow::Owned(period)), None),
            (optional_text(report.map(|r| r.due_text.as_str())), None),
            (date(Some(line.due)), None),
            (date(line.submitted_on), None),
            (text(line.status.label(lang)), Some(line.status.rgb())),
            (text(line.status.as_str()), None),
            (number(line.days_late.map(|d| d as f64)), None),
        ])?;
    }
    sheet.finish()
}

/// Every difference from the published figures (both figures, the counts behind chitieu's,
/// where it was published), then every inconsistency of the portal's own figures.
fn reconciliation(card: &Scorecard, lang: Lang, ws: Worksheet) -> Result<Worksheet, XlsxError> {
    use crate::score::reconcile::{Inconsistency, Item};
    let l = |vi, en| lang.pick(vi, en);
    let mut t = Table::new(l("Đối chiếu", "Reconciliation"), 2);
    t.column(l("Mã đơn vị", "Unit ID"), Kind::Text);
    t.column(l("Đơn vị", "Unit"), Kind::Text);
    t.column(l("Loại", "Kind"), Kind::Text);
    t.column(l("Mục", "Item"), Kind::Text);
    t.column("chitieu", Kind::Score);
    t.column(l("Cổng công bố", "Published"), Kind::Score);
    t.column(l("Chênh lệch", "Difference"), Kind::Score);
    t.column(l("Tử số", "Numerator"), Kind::Amount);
    t.column(l("Mẫu số", "Denominator"), Kind::Amount);
    t.column(l("Ngày công bố", "Published on"), Kind::Date);
    t.column(l("Nguồn", "Source"), Kind::Text);
    t.column(l("Dòng published.csv", "published.csv row"), Kind::Integer);
    let mut sheet = Sheet::new(ws, t, lang)?;
    let Some(r) = &card.reconciliation else {
        return sheet.finish();
    };
    let names = card.unit_names();
    let red = Some(Status::ChuaDat.rgb());
    for d in &r.differences {
        let item = match d.item {
            Item::Indicator | Item::Group => Cow::Borrowed(d.id.as_str()),
            Item::Total => Cow::Borrowed(l("tổng điểm", "total")),
            Item::Rank => Cow::Borrowed(l("thứ hạng", "rank")),
        };
        sheet.row(&[
            (text(&d.unit), None),
            (optional_text(names.get(d.unit.as_str()).copied()), None),
            (
                text(l("Khác số công bố", "Differs from the published")),
                red,
            ),
            (Cell::Text(item), None),
            (number(d.ours), None),
            (number(Some(d.published)), None),
            (number(d.ours.map(|o| o - d.published)), None),
            (number(d.numerator), None),
            (number(d.denominator), None),
            (date(Some(d.as_of)), None),
            (text(&d.source), None),
            (number(Some(d.row as f64)), None),
        ])?;
    }
    for p in &r.inconsistencies {
        let item = match p.kind {
            Inconsistency::TotalNotSumOfGroups => {
                Cow::Borrowed(l("tổng điểm ≠ tổng các nhóm", "total ≠ sum of groups"))
            }
            Inconsistency::GroupAboveMax => Cow::Owned(format!(
                "{} {}",
                p.id,
                l("vượt điểm tối đa", "above its maximum")
            )),
        };
        sheet.row(&[
            (text(&p.unit), None),
            (optional_text(names.get(p.unit.as_str()).copied()), None),
            (text(l("Cổng tự mâu thuẫn", "Portal inconsistent")), None),
            (Cell::Text(item), None),
            (Cell::Empty, None),
            (number(Some(p.published)), None),
            (number(Some(p.published - p.expected)), None),
            (Cell::Empty, None),
            (Cell::Empty, None),
            (date(Some(p.as_of)), None),
            (text(&p.source), None),
            (number(Some(p.row as f64)), None),
        ])?;
    }
    sheet.finish()
}

/// Excel's limit on the text of one cell, in UTF-16 code units.
const CELL_TEXT_LIMIT: usize = 32_767;

/// `s`, cut to what one cell holds, ending with `…` when cut: a name longer than Excel allows
/// (which `check` accepts) must not fail the workbook of a score run.
fn fit_cell(s: &str) -> Cow<'_, str> {
    if s.len() <= CELL_TEXT_LIMIT {
        // UTF-16 units never outnumber UTF-8 bytes
        return Cow::Borrowed(s);
    }
    let mut units = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > CELL_TEXT_LIMIT - 1 {
            break;
        }
        end = i + c.len_utf8();
    }
    if end == s.len() {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(format!("{}…", &s[..end]))
    }
}

pub(super) fn text(s: &str) -> Cell<'_> {
    Cell::Text(Cow::Borrowed(s))
}

pub(super) fn optional_text(s: Option<&str>) -> Cell<'_> {
    s.map_or(Cell::Empty, text)
}

/// A number cell; absent and non-finite values are empty cells.
pub(super) fn number<'a>(v: Option<f64>) -> Cell<'a> {
    match v {
        Some(v) if v.is_finite() => Cell::Number(v),
        _ => Cell::Empty,
    }
}

/// A date cell; none is an empty cell.
fn date(d: Option<NaiveDate>) -> Cell<'static> {
    d.map_or(Cell::Empty, Cell::Date)
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8).ok()
}

fn number_format(kind: Kind, v: f64, lang: Lang) -> &'static str {
    match kind {
        Kind::Score => "0.00",
        Kind::Percent => "0.00%",
        Kind::Integer => "0",
        Kind::Amount if v.fract() == 0.0 => "#,##0",
        Kind::Amount => "#,##0.00",
        Kind::Date => date_format(lang),
        Kind::Text => "General",
    }
}

/// The number format a column of `kind` has itself (its cells' usual one): none for text.
/// Whole amounts are the usual ones (counts); an amount with decimals has its own format.
fn column_format(kind: Kind, lang: Lang) -> Option<&'static str> {
    match kind {
        Kind::Text => None,
        Kind::Amount => Some("#,##0"),
        kind => Some(number_format(kind, 0.0, lang)),
    }
}

fn date_format(lang: Lang) -> &'static str {
    lang.pick("dd/mm/yyyy", "yyyy-mm-dd")
}

/// Characters the formatted number takes, for column widths (counted, not formatted: a
/// national workbook has 500,000 numbers).
fn display_width(kind: Kind, v: f64) -> usize {
    let grouped = |digits: usize| digits + digits.saturating_sub(1) / 3;
    match kind {
        // "40.93%": the percentage's integer digits, ".dd" and "%"
        Kind::Percent => integer_digits(v * 100.0, 2) + 3 + 1,
        Kind::Integer => integer_digits(v, 0),
        Kind::Amount if v.fract() == 0.0 => grouped(integer_digits(v, 0)),
        _ => grouped(integer_digits(v, 2)) + 3,
    }
}

/// Characters of the integer part of `v` shown with `decimals` decimals, with its sign.
fn integer_digits(v: f64, decimals: i32) -> usize {
    let scale = 10f64.powi(decimals);
    let rounded = (v.abs() * scale).round() / scale;
    // at most 309 digits (f64::MAX); `inf` and `NaN` are shown as 3 characters
    let digits = if !rounded.is_finite() {
        3
    } else if rounded < 1.0 {
        1
    } else {
        (rounded.log10().floor() as usize).min(308) + 1
    };
    digits + usize::from(v < 0.0 && rounded != 0.0)
}

fn text_on(fill: Rgb) -> Color {
    let (r, g, b) = fill;
    let luma = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    if luma < 150.0 {
        Color::White
    } else {
        Color::Black
    }
}

fn rgb(fill: Rgb) -> Color {
    let (r, g, b) = fill;
    Color::RGB(u32::from(r) << 16 | u32::from(g) << 8 | u32::from(b))
}

/// A worksheet being written: bold frozen header, then typed and formatted rows as they come;
/// [`Sheet::finish`] sets the widths from the content and the autofilter over the table.
pub(super) struct Sheet {
    ws: Worksheet,
    table: Table,
    lang: Lang,
    /// Display width of each column so far (the header's leaves room for the filter button).
    widths: Vec<usize>,
    /// One Format per (fill, number format), built once: a national sheet has 1,000,000 cells.
    formats: Formats,
    rows: usize,
    /// The data rows the sheet can hold (Excel's limit less the header and the note row).
    room: usize,
    /// Rows beyond `room`, not written: the sheet's last row says how many, and where they are.
    cut: usize,
    /// Columns beyond Excel's 16,384, not written (the note says so too).
    cut_columns: usize,
}

/// Excel's rows per sheet (1,048,576).
const EXCEL_ROWS: usize = 1 << 20;
/// Excel's columns per sheet (16,384, `XFD`).
const EXCEL_COLUMNS: usize = 1 << 14;

impl Sheet {
    pub(super) fn new(mut ws: Worksheet, mut table: Table, lang: Lang) -> Result<Sheet, XlsxError> {
        ws.set_name(table.name)?;
        let cut_columns = table.columns.len().saturating_sub(EXCEL_COLUMNS);
        table.columns.truncate(EXCEL_COLUMNS);
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDDE4EE))
            .set_border_bottom(FormatBorder::Thin);
        for (j, column) in table.columns.iter().enumerate() {
            ws.write_string_with_format(0, col(j), column.header.as_str(), &header)?;
        }
        let widths = table
            .columns
            .iter()
            .map(|c| c.header.chars().count() + 3)
            .collect();
        // each number column's usual format as the column's own: its cells are then written
        // without one and take it, instead of each cell's format being looked up by the writer
        // (a hash of the whole format per cell: a quarter of the workbook's time at national
        // scale, 1.2 million numbers)
        let mut formats = Formats::default();
        for (j, column) in table.columns.iter().enumerate() {
            if let Some(number) = column_format(column.kind, lang) {
                ws.set_column_format(col(j), format_of(&mut formats, None, number))?;
            }
        }
        Ok(Sheet {
            ws,
            table,
            lang,
            widths,
            formats,
            rows: 0,
            room: EXCEL_ROWS - 2,
            cut: 0,
            cut_columns,
        })
    }

    pub(super) fn row(&mut self, cells: &Row<'_>) -> Result<(), XlsxError> {
        // beyond what the format holds: counted, and the workbook is still written (the CSV
        // outputs hold every row)
        if self.rows >= self.room {
            self.cut += 1;
            return Ok(());
        }
        self.rows += 1;
        let r = row(self.rows);
        let (ws, formats) = (&mut self.ws, &mut self.formats);
        for (j, (cell, fill)) in cells.iter().take(self.table.columns.len()).enumerate() {
            let kind = self.table.columns.get(j).map_or(Kind::Text, |c| c.kind);
            let width = match cell {
                Cell::Empty => {
                    if fill.is_some() {
                        ws.write_blank(r, col(j), format_of(formats, *fill, ""))?;
                    }
                    0
                }
                Cell::Text(s) if fill.is_none() => {
                    ws.write_string(r, col(j), fit_cell(s))?;
                    s.chars().count()
                }
                Cell::Text(s) => {
                    ws.write_string_with_format(
                        r,
                        col(j),
                        fit_cell(s),
                        format_of(formats, *fill, ""),
                    )?;
                    s.chars().count()
                }
                Cell::Number(v) => {
                    let number = number_format(kind, *v, self.lang);
                    if fill.is_none() && column_format(kind, self.lang) == Some(number) {
                        ws.write_number(r, col(j), *v)?;
                    } else {
                        let format = format_of(formats, *fill, number);
                        ws.write_number_with_format(r, col(j), *v, format)?;
                    }
                    display_width(kind, *v)
                }
                Cell::Date(d) => match excel_date(*d) {
                    Some(x) => {
                        ws.write_datetime_with_format(
                            r,
                            col(j),
                            &x,
                            format_of(formats, *fill, date_format(self.lang)),
                        )?;
                        10
                    }
                    None => {
                        let s = d.format("%Y-%m-%d").to_string();
                        ws.write_string_with_format(
                            r,
                            col(j),
                            s.as_str(),
                            format_of(formats, *fill, ""),
                        )?;
                        s.len()
                    }
                },
            };
            if let Some(w) = self.widths.get_mut(j) {
                *w = (*w).max(width);
            }
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<Worksheet, XlsxError> {
        let ws = &mut self.ws;
        for (j, (column, width)) in self.table.columns.iter().zip(&self.widths).enumerate() {
            ws.set_column_width(col(j), (*width + 1).clamp(6, 50) as f64)?;
            if column.hidden {
                ws.set_column_hidden(col(j))?;
            }
        }
        let last_column = col(self.table.columns.len().saturating_sub(1));
        ws.autofilter(0, 0, row(self.rows), last_column)?;
        if self.cut > 0 || self.cut_columns > 0 {
            let (rows, columns) = (self.cut, self.cut_columns);
            LEFT_OUT.with(|l| {
                let so_far = l.get();
                l.set(LeftOut {
                    rows: so_far.rows + rows,
                    columns: so_far.columns.max(columns),
                })
            });
            let n = |v: usize| crate::labels::number(v as f64, 0, self.lang);
            let (rows, columns) = (n(self.cut), n(self.cut_columns));
            let note = match self.lang {
                Lang::Vi => format!(
                    "… và {rows} dòng, {columns} cột nữa không ghi được: một sheet Excel chứa \
                     tối đa 1.048.576 dòng và 16.384 cột. Xem đủ số liệu trong các tệp CSV."
                ),
                Lang::En => format!(
                    "… and {rows} more rows, {columns} more columns not written: an Excel sheet \
                     holds at most 1,048,576 rows and 16,384 columns. The CSV outputs hold every \
                     figure."
                ),
            };
            ws.write_string_with_format(
                row(self.rows + 1),
                0,
                note,
                &Format::new()
                    .set_bold()
                    .set_font_color(Color::RGB(0xC00000)),
            )?;
        }
        ws.set_freeze_panes(1, self.table.frozen_columns)?;
        Ok(self.ws)
    }
}

/// The cell formats of a sheet by (fill, number format): a dozen at most, so a list searched in
/// order (a hash of the key per cell cost more than the search).
#[derive(Default)]
struct Formats(Vec<((Option<Rgb>, &'static str), Format)>);

/// The cell format with `fill` (status colour) and `number` format ("" for none), made once.
fn format_of<'m>(formats: &'m mut Formats, fill: Option<Rgb>, number: &'static str) -> &'m Format {
    let key = (fill, number);
    let at = match formats.0.iter().position(|(k, _)| *k == key) {
        Some(at) => at,
        None => {
            formats.0.push((key, new_format(fill, number)));
            formats.0.len() - 1
        }
    };
    &formats.0[at].1
}

fn new_format(fill: Option<Rgb>, number: &'static str) -> Format {
    let mut format = Format::new();
    if let Some(fill) = fill {
        format = format
            .set_background_color(rgb(fill))
            .set_font_color(text_on(fill));
    }
    if !number.is_empty() {
        format = format.set_num_format(number);
    }
    format
}

/// A sheet row index; past Excel's last row the writer reports the error.
fn row(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A sheet column index; past Excel's last column the writer reports the error.
fn col(j: usize) -> u16 {
    u16::try_from(j).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};

    use super::*;
    use crate::tasks::status::TaskStatus;

    const CATALOGUE: &str = r#"
id = "thu"
title = "Kế hoạch thử"
scoring = "capped"
near = 0.9

[[group]]
id = "I"
name = "Dịch vụ công trực tuyến"

[[group]]
id = "II"
name = "Chỉ tiêu khác"

[[group]]
id = "NV"
name = "Nhiệm vụ"
"#;
    const INDICATORS: &str = r#"
[[indicator]]
id = "truc-tuyen"
code = "I.1"
name = "Tỷ lệ hồ sơ trực tuyến"
group = "I"
unit = "%"
direction = "higher"
points = 10
[indicator.targets]
2026 = ">= 50"
2030 = ">= 80"

[[indicator]]
id = "lua-dao"
code = "II.1"
name = "Số vụ lừa đảo"
group = "II"
unit = "count"
direction = "lower"
[indicator.targets]
2026 = { reduce = 50, from = 2025 }

[[indicator]]
id = "ky-so"
code = "II.2"
name = "Đã ký số"
group = "II"
unit = "boolean"
[indicator.targets]
2026 = "done"

[[indicator]]
id = "chi-dao"
name = "Thực hiện theo chỉ đạo"
group = "II"
unit = "%"
direction = "higher"
[indicator.targets]
2026 = { text = "Theo chỉ đạo của Bộ Công an" }
"#;
    const TASKS: &str = r#"
[[task]]
id = "t1"
code = "1"
name = "Nhiệm vụ quý I"
group = "NV"
lead = ["Xã A"]
deadline = "Quý I/2026"

[[task]]
id = "t2"
name = "Nhiệm vụ tháng 1"
group = "NV"
lead = ["Xã B"]
deadline = "Tháng 1/2026"

[[task]]
id = "t3"
name = "Nhiệm vụ thường xuyên"
group = "NV"
lead = ["Xã C"]
deadline = "Thường xuyên"
"#;
    const UNITS: &str = "id,name,parent,level\n\
        tinh,UBND tỉnh Mẫu,,tinh\n\
        xa-a,Xã A,tinh,xa\n\
        xa-b,Xã B,tinh,xa\n\
        xa-c,Xã C,tinh,xa\n";
    // xa-a meets 50% (2/3 online), xa-b does not (1/7), xa-c reports nothing
    const REPORTED: &str = "unit,period,indicator,value,numerator,denominator\n\
        xa-a,2026,truc-tuyen,,2,3\n\
        xa-b,2026,truc-tuyen,,1,7\n\
        tinh,2025,lua-dao,200,,\n\
        tinh,2026,lua-dao,123,,\n\
        xa-a,2026,ky-so,1,,\n\
        xa-b,2026,ky-so,0,,\n";
    const TASK_ROWS: &str = "task,unit,status,completed_on\nt1,xa-a,hoan_thanh,10/2/2026\n";

    fn scorecard() -> (Scorecard, Catalogue, crate::data::Units) {
        crate::score::scorecard::score_texts(
            &[
                ("catalogue.toml", CATALOGUE),
                ("indicators.toml", INDICATORS),
                ("tasks.toml", TASKS),
            ],
            &[
                ("units.csv", UNITS),
                ("reported.csv", REPORTED),
                ("tasks.csv", TASK_ROWS),
            ],
            NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default(),
        )
    }

    fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
        open_workbook_from_rs(Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"))
    }

    fn range(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
        book.worksheet_range(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn at(r: &Range<Data>, row: usize, col: usize) -> Data {
        r.get_value((row as u32, col as u32))
            .cloned()
            .unwrap_or(Data::Empty)
    }

    /// A number cell (a date reads as its serial), or None for an empty cell.
    fn num(d: Data) -> Option<f64> {
        match d {
            Data::Float(v) => Some(v),
            Data::Int(v) => Some(v as f64),
            Data::DateTime(x) => Some(x.as_f64()),
            Data::Empty => None,
            other => panic!("not a number: {other:?}"),
        }
    }

    fn txt(d: Data) -> Option<String> {
        match d {
            Data::String(s) => Some(s),
            Data::Empty => None,
            other => panic!("not text: {other:?}"),
        }
    }

    /// The column whose header is `name`.
    fn column(r: &Range<Data>, name: &str) -> usize {
        (0..r.width())
            .find(|&j| at(r, 0, j) == Data::String(name.to_string()))
            .unwrap_or_else(|| panic!("no column {name:?}"))
    }

    fn serial(iso: &str) -> f64 {
        let d = NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap_or_else(|e| panic!("{e}"));
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
        (d - epoch).num_days() as f64
    }

    #[test]
    fn summary_cells_equal_the_scorecard_json() {
        let (card, c, _) = scorecard();
        let bytes = render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}"));
        let mut book = open(bytes);
        assert_eq!(book.sheet_names(), ["Tổng hợp", "Chỉ tiêu", "Nhiệm vụ"]);
        let json = String::from_utf8(crate::report::json(&card).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
        let s = range(&mut book, "Tổng hợp");
        assert_eq!(s.height(), card.units.len() + 1);
        let (id, score, grade, rank, rank_of, coverage) = (
            column(&s, "Mã đơn vị"),
            column(&s, "Điểm"),
            column(&s, "Xếp loại"),
            column(&s, "Hạng"),
            column(&s, "Trên số đơn vị"),
            column(&s, "Tỷ lệ có dữ liệu"),
        );
        let group_i = column(&s, "Điểm nhóm I");
        let completion = column(&s, "Tỷ lệ hoàn thành nhiệm vụ");
        assert!(column(&s, "Đơn vị") < score);
        for (i, u) in card.units.iter().enumerate() {
            let r = i + 1;
            assert_eq!(txt(at(&s, r, id)), Some(u.id.clone()));
            // full precision: the cell holds exactly the card's number, which scorecard.json
            // prints in the same shortest round-trip form
            let cell = num(at(&s, r, score));
            assert_eq!(cell, u.score, "{}", u.id);
            if let Some(v) = cell {
                assert!(json.contains(&format!("\"score\": {v:?}")), "{v:?}");
            }
            assert_eq!(
                txt(at(&s, r, grade)),
                u.grade.as_ref().map(|g| g.name.clone())
            );
            assert_eq!(num(at(&s, r, rank)), u.rank.map(|v| v as f64));
            assert_eq!(num(at(&s, r, rank_of)), u.rank_of.map(|v| v as f64));
            assert_eq!(num(at(&s, r, coverage)), u.coverage);
            assert_eq!(num(at(&s, r, group_i)), u.groups[0].score);
            assert_eq!(
                num(at(&s, r, completion)),
                u.tasks.completion_rate.map(|v| v / 100.0)
            );
        }
        // the fixture is not trivial: a score with decimals, ranked peers, a unit without rates
        let xa_b = &card.units[2];
        assert!(xa_b.score.is_some_and(|v| v.fract() != 0.0), "{xa_b:?}");
        assert_eq!(xa_b.rank_of, Some(3));
        assert!(card.units.iter().any(|u| u.tasks.completion_rate.is_none()));
    }

    /// The number format code each cell of a sheet shows (by cell reference, "B2"), read from
    /// the workbook's XML: the cell's style index into styles.xml's cell formats, and that
    /// format's number format (a built-in id or one of the file's own).
    fn cell_number_formats(bytes: &[u8], sheet: usize) -> HashMap<String, String> {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
        let mut read = |name: &str| {
            let mut text = String::new();
            zip.by_name(name)
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .read_to_string(&mut text)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            text
        };
        let styles = read("xl/styles.xml");
        let cells = read(&format!("xl/worksheets/sheet{sheet}.xml"));
        // the attribute `name` of the element starting at `tag`
        let attr = |tag: &str, name: &str| -> Option<String> {
            let end = tag.find('>').unwrap_or(tag.len());
            let at = tag[..end].find(&format!(" {name}=\""))? + name.len() + 3;
            let len = tag[at..].find('"')?;
            Some(tag[at..at + len].replace("&quot;", "\""))
        };
        let mut codes: HashMap<String, String> = [
            ("0", "General"),
            ("1", "0"),
            ("2", "0.00"),
            ("3", "#,##0"),
            ("4", "#,##0.00"),
            ("9", "0%"),
            ("10", "0.00%"),
        ]
        .into_iter()
        .map(|(id, code)| (id.to_string(), code.to_string()))
        .collect();
        for tag in styles.split("<numFmt ").skip(1) {
            let tag = format!(" {tag}");
            if let (Some(id), Some(code)) = (attr(&tag, "numFmtId"), attr(&tag, "formatCode")) {
                codes.insert(id, code);
            }
        }
        let xfs = styles
            .split("<cellXfs")
            .nth(1)
            .and_then(|s| s.split("</cellXfs>").next())
            .unwrap_or_default();
        let xf_codes: Vec<String> = xfs
            .split("<xf ")
            .skip(1)
            .map(|tag| {
                let id = attr(&format!(" {tag}"), "numFmtId").unwrap_or_else(|| "0".into());
                codes.get(&id).cloned().unwrap_or(id)
            })
            .collect();
        cells
            .split("<c ")
            .skip(1)
            .filter_map(|tag| {
                let tag = format!(" {tag}");
                let cell = attr(&tag, "r")?;
                let style: usize = attr(&tag, "s").map_or(0, |s| s.parse().unwrap_or(0));
                Some((cell, xf_codes.get(style).cloned().unwrap_or_default()))
            })
            .collect()
    }

    #[test]
    fn number_cells_show_the_format_of_their_column_and_value() {
        let (card, c, _) = scorecard();
        let bytes = render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}"));
        let formats = cell_number_formats(&bytes, 2);
        let s = range(&mut open(bytes), "Chỉ tiêu");
        let letter = |j: usize| char::from(b'A' + j as u8).to_string();
        let mut seen = Vec::new();
        for (name, kind) in [
            ("Giá trị", Kind::Amount),
            ("Tử số", Kind::Amount),
            ("Mức đạt", Kind::Percent),
            ("Điểm tối đa", Kind::Score),
            ("Năm mục tiêu", Kind::Integer),
        ] {
            let j = column(&s, name);
            for r in 1..s.height() {
                if let Some(v) = num(at(&s, r, j)) {
                    let cell = format!("{}{}", letter(j), r + 1);
                    let shown = formats.get(&cell).map(String::as_str);
                    assert_eq!(
                        shown,
                        Some(number_format(kind, v, Lang::Vi)),
                        "{name} {cell} {v}"
                    );
                    seen.push((name, shown.unwrap_or_default().to_string()));
                }
            }
        }
        // by hand: xa-a's 2 of 3 online is the value 66.67 (decimals), the province's 123 frauds
        // a whole amount, xa-a's attainment a percentage
        let has = |name: &str, code: &str| seen.iter().any(|(n, c)| *n == name && c == code);
        assert!(
            has("Giá trị", "#,##0.00") && has("Giá trị", "#,##0"),
            "{seen:?}"
        );
        assert!(
            has("Mức đạt", "0.00%") && has("Điểm tối đa", "0.00"),
            "{seen:?}"
        );
        assert!(has("Năm mục tiêu", "0"), "{seen:?}");
    }

    #[test]
    fn indicator_rows_equal_the_scorecard() {
        let (card, c, _) = scorecard();
        let mut book = open(render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}")));
        let s = range(&mut book, "Chỉ tiêu");
        assert_eq!(s.height(), 1 + card.units.len() * c.indicators.len());
        let col = |name| column(&s, name);
        let (unit, indicator, value, target, attainment, status, code) = (
            col("Mã đơn vị"),
            col("Mã chỉ tiêu"),
            col("Giá trị"),
            col("Mục tiêu"),
            col("Mức đạt"),
            col("Trạng thái"),
            col("Mã trạng thái"),
        );
        let (lost, needed) = (col("Điểm bị mất"), col("Cần thêm (hồ sơ, để đạt mục tiêu)"));
        let mut r = 1;
        let mut losses = 0;
        for u in &card.units {
            for ind in &u.indicators {
                assert_eq!(num(at(&s, r, lost)), ind.points_lost, "{} {}", u.id, ind.id);
                assert_eq!(num(at(&s, r, needed)), ind.needed.map(|k| k as f64));
                losses += usize::from(ind.points_lost.is_some_and(|p| p > 0.0));
                assert_eq!(txt(at(&s, r, unit)), Some(u.id.clone()));
                assert_eq!(txt(at(&s, r, indicator)), Some(ind.id.clone()));
                // an absent value is an empty cell, never "null"
                assert_eq!(num(at(&s, r, value)), ind.value, "{} {}", u.id, ind.id);
                assert_eq!(num(at(&s, r, attainment)), ind.attainment);
                assert_eq!(txt(at(&s, r, code)).as_deref(), Some(ind.status.as_str()));
                assert_eq!(
                    txt(at(&s, r, status)).as_deref(),
                    Some(ind.status.label(Lang::Vi))
                );
                r += 1;
            }
        }
        assert!(losses > 0, "the fixture loses points somewhere");
        // a qualitative target reads as its text; xa-c's missing value is an empty cell
        let text_row = 1 + c.indicators.len() - 1;
        assert_eq!(
            txt(at(&s, text_row, target)).as_deref(),
            Some("Theo chỉ đạo của Bộ Công an")
        );
        let xa_c = 1 + 3 * c.indicators.len();
        assert_eq!(at(&s, xa_c, value), Data::Empty);
        let statuses: Vec<&str> = card
            .units
            .iter()
            .flat_map(|u| u.indicators.iter().map(|i| i.status.as_str()))
            .collect();
        for expected in ["dat", "chua_dat", "khong_co_du_lieu", "khong_cham"] {
            assert!(statuses.contains(&expected), "{statuses:?}");
        }
    }

    #[test]
    fn task_rows_equal_the_scorecard_overdue_first() {
        let (card, c, _) = scorecard();
        let mut book = open(render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}")));
        let s = range(&mut book, "Nhiệm vụ");
        assert_eq!(s.height(), 1 + card.tasks.len());
        let (task, unit, due, code, done) = (
            column(&s, "Mã nhiệm vụ"),
            column(&s, "Mã đơn vị"),
            column(&s, "Hạn"),
            column(&s, "Mã trạng thái"),
            column(&s, "Ngày hoàn thành"),
        );
        let mut rows: Vec<_> = (1..s.height())
            .map(|r| {
                (
                    txt(at(&s, r, task)),
                    txt(at(&s, r, unit)),
                    txt(at(&s, r, code)),
                    num(at(&s, r, due)),
                    num(at(&s, r, done)),
                )
            })
            .collect();
        let overdue = |code: &Option<String>| {
            code.as_deref()
                .and_then(|code| TaskStatus::ALL.into_iter().find(|s| s.as_str() == code))
                .is_some_and(TaskStatus::is_overdue)
        };
        assert!(overdue(&rows[0].2), "{rows:?}");
        assert!(
            rows.windows(2)
                .all(|w| overdue(&w[0].2) || !overdue(&w[1].2)),
            "{rows:?}"
        );
        // the same order as the page: the scorecard's one task ordering
        let listed: Vec<_> = rows.iter().map(|r| (r.0.clone(), r.1.clone())).collect();
        let by_urgency: Vec<_> = card
            .tasks_by_urgency()
            .into_iter()
            .map(|l| (Some(l.task.clone()), Some(l.unit.clone())))
            .collect();
        assert_eq!(listed, by_urgency);
        let mut expected: Vec<_> = card
            .tasks
            .iter()
            .map(|l| {
                (
                    Some(l.task.clone()),
                    Some(l.unit.clone()),
                    Some(l.status.to_string()),
                    l.due.map(|d| serial(&d.format("%Y-%m-%d").to_string())),
                    l.completed_on
                        .map(|d| serial(&d.format("%Y-%m-%d").to_string())),
                )
            })
            .collect();
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(rows, expected);
        // dates are real Excel dates, not text
        assert!(matches!(at(&s, 1, due), Data::DateTime(_)));
        assert!(expected.iter().any(|e| e.4 == Some(serial("2026-02-10"))));
    }

    #[test]
    fn english_sheets_and_headers() {
        let (card, c, _) = scorecard();
        let mut book = open(render(&card, &c, Lang::En).unwrap_or_else(|e| panic!("{e}")));
        assert_eq!(book.sheet_names(), ["Summary", "Indicators", "Tasks"]);
        let s = range(&mut book, "Summary");
        for header in ["Unit", "Score", "Grade", "Rank", "Coverage"] {
            column(&s, header);
        }
        let s = range(&mut book, "Indicators");
        let status = column(&s, "Status");
        assert_eq!(
            txt(at(&s, 1, status)).as_deref(),
            Some(card.units[0].indicators[0].status.label(Lang::En))
        );
        assert!(at(&s, 0, 0) != Data::String("Mã đơn vị".into()));
        column(&range(&mut book, "Tasks"), "Deadline");
    }

    #[test]
    fn the_same_run_gives_the_same_bytes() {
        let (card, c, _) = scorecard();
        let a = render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}"));
        let b = render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}"));
        assert!(a == b);
    }

    #[test]
    fn display_widths_count_the_formatted_characters() {
        // (kind, value, shown as) — the width is the length of what Excel shows
        let cases = [
            (Kind::Percent, 0.4093, "40.93%"),
            (Kind::Percent, 1.0, "100.00%"),
            (Kind::Percent, 0.0, "0.00%"),
            (Kind::Integer, 7.0, "7"),
            (Kind::Integer, 2030.0, "2030"),
            (Kind::Amount, 1234567.0, "1,234,567"),
            (Kind::Amount, 999.0, "999"),
            (Kind::Amount, -1000.0, "-1,000"),
            (Kind::Amount, 12.44, "12.44"),
            (Kind::Amount, 24742.5, "24,742.50"),
            (Kind::Score, 99.82, "99.82"),
            (Kind::Score, 0.004, "0.00"),
            (Kind::Score, 9.999, "10.00"),
        ];
        for (kind, v, shown) in cases {
            assert_eq!(display_width(kind, v), shown.len(), "{kind:?} {v}");
        }
        // the largest figures size a column without overflowing
        for v in [f64::MAX, f64::INFINITY, f64::NAN, -f64::MAX] {
            for kind in [Kind::Percent, Kind::Integer, Kind::Amount, Kind::Score] {
                assert!(display_width(kind, v) < 500, "{kind:?} {v}");
            }
        }
    }

    #[test]
    fn number_formats_round_only_the_display() {
        assert_eq!(number_format(Kind::Amount, 24742.0, Lang::Vi), "#,##0");
        assert_eq!(number_format(Kind::Amount, 66.666, Lang::Vi), "#,##0.00");
        assert_eq!(display_width(Kind::Amount, 24742.0), "24,742".len());
        assert_eq!(display_width(Kind::Percent, 0.5), "50.00%".len());
        assert_eq!(number(Some(f64::NAN)), Cell::Empty);
        let day = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default();
        assert_eq!(date(Some(day)), Cell::Date(day));
        assert_eq!(date(None), Cell::Empty);
        assert_eq!(text_on(Status::Dat.rgb()), Color::White);
        assert_eq!(text_on(Status::GanDat.rgb()), Color::Black);
    }

    #[test]
    fn rows_beyond_excels_limit_are_counted_in_a_note_not_a_failed_workbook() {
        let mut book = Workbook::new();
        let ws = Worksheet::new();
        let table = Table {
            name: "T",
            columns: vec![Column {
                header: "n".into(),
                kind: Kind::Integer,
                hidden: false,
            }],
            frozen_columns: 0,
        };
        let mut sheet = Sheet::new(ws, table, Lang::En).unwrap();
        sheet.room = 3;
        for k in 0..10 {
            sheet.row(&[(Cell::Number(k as f64), None)]).unwrap();
        }
        LEFT_OUT.with(|l| l.set(LeftOut::default()));
        book.push_worksheet(sheet.finish().unwrap());
        // counted for the run's warning (write_run → chitieu score's stderr)
        assert_eq!(
            LEFT_OUT.with(|l| l.get()),
            LeftOut {
                rows: 7,
                columns: 0
            }
        );
        let bytes = book.save_to_buffer().unwrap();
        let mut read: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = calamine::Reader::worksheet_range(&mut read, "T").unwrap();
        let cells: Vec<String> = range.rows().map(|r| r[0].to_string()).collect();
        assert_eq!(&cells[..4], ["n", "0", "1", "2"]);
        assert!(
            cells[4].starts_with("… and 7 more rows, 0 more columns not written"),
            "{cells:?}"
        );
        assert_eq!(cells.len(), 5);
    }

    #[test]
    fn columns_beyond_excels_limit_are_left_out_not_a_failed_workbook() {
        let mut book = Workbook::new();
        let columns = (0..EXCEL_COLUMNS + 5)
            .map(|k| Column {
                header: format!("c{k}"),
                kind: Kind::Integer,
                hidden: false,
            })
            .collect();
        let table = Table {
            name: "T",
            columns,
            frozen_columns: 0,
        };
        let mut sheet = Sheet::new(Worksheet::new(), table, Lang::En).unwrap();
        let cells: Vec<(Cell, Option<Rgb>)> = (0..EXCEL_COLUMNS + 5)
            .map(|k| (Cell::Number(k as f64), None))
            .collect();
        sheet.row(&cells).unwrap();
        book.push_worksheet(sheet.finish().unwrap());
        let bytes = book.save_to_buffer().unwrap();
        let mut read: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let range = calamine::Reader::worksheet_range(&mut read, "T").unwrap();
        assert_eq!(range.width(), EXCEL_COLUMNS);
        let note = range
            .get_value((2, 0))
            .map(|c| c.to_string())
            .unwrap_or_default();
        assert!(note.contains("0 more rows, 5 more columns"), "{note}");
    }

    #[test]
    fn a_name_longer_than_a_cell_holds_is_cut_not_a_failed_workbook() {
        let long = "Tỷ lệ hồ sơ ".repeat(3_000); // 36,000 characters
        let indicators = INDICATORS.replacen("Tỷ lệ hồ sơ trực tuyến", &long, 1);
        let (card, c, _units) = crate::score::scorecard::score_texts(
            &[
                ("catalogue.toml", CATALOGUE),
                ("indicators.toml", &indicators),
                ("tasks.toml", TASKS),
            ],
            &[
                ("units.csv", UNITS),
                ("reported.csv", REPORTED),
                ("tasks.csv", TASK_ROWS),
            ],
            NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default(),
        );
        let bytes = render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}"));
        let mut book = open(bytes);
        let sheet = range(&mut book, "Chỉ tiêu");
        let cut = sheet
            .rows()
            .flatten()
            .filter_map(|cell| match cell {
                Data::String(s) if s.starts_with("Tỷ lệ hồ sơ Tỷ lệ") => Some(s.clone()),
                _ => None,
            })
            .next()
            .unwrap_or_else(|| panic!("the long name is missing"));
        assert_eq!(cut.encode_utf16().count(), CELL_TEXT_LIMIT);
        assert!(cut.ends_with('…'));
    }
}
