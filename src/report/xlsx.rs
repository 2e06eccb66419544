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

mod sheet;
pub(crate) use sheet::*;

/// Builds scorecard.xlsx: sheets "Tổng hợp" / "Summary", "Chỉ tiêu" / "Indicators",
/// "Nhiệm vụ" / "Tasks" and, when the catalogue has reports, "Báo cáo" / "Reports", labelled in
/// `lang`.
#[cfg(test)]
pub fn render(card: &Scorecard, c: &Catalogue, lang: Lang) -> Result<Vec<u8>, ReportError> {
    render_counted(card, c, lang, Detail::All).map(|(bytes, _)| bytes)
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

/// Adds `cut` to what the workbook being rendered on this thread left out.
fn left_out(cut: LeftOut) {
    LEFT_OUT.with(|l| {
        let so_far = l.get();
        l.set(LeftOut {
            rows: so_far.rows + cut.rows,
            columns: so_far.columns.max(cut.columns),
        })
    });
}

/// Which units the per-(unit, indicator) sheets ("Chỉ tiêu", "Diễn biến") hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every unit: the workbook of a run on one page.
    All,
    /// The top-level units only, with a note saying where the others are: the workbook of a
    /// run shown as pages (README "National scale: pages"), whose indicator sheet would
    /// otherwise hold millions of cells (86,394 rows for the 4,114 units of a national run).
    TopUnits,
}

/// [`render`] with the per-(unit, indicator) sheets holding `detail`'s units, and what the
/// workbook left out.
pub fn render_counted(
    card: &Scorecard,
    c: &Catalogue,
    lang: Lang,
    detail: Detail,
) -> Result<(Vec<u8>, LeftOut), ReportError> {
    LEFT_OUT.with(|l| l.set(LeftOut::default()));
    let bytes = render_sheets(card, c, lang, detail)?;
    Ok((bytes, LEFT_OUT.with(|l| l.get())))
}

/// The units the per-(unit, indicator) sheets hold, and their note: all, or the top-level
/// units with a note saying where the rest are.
fn detailed(card: &Scorecard, lang: Lang, detail: Detail) -> (Vec<&UnitCard>, Option<String>) {
    match detail {
        Detail::All => (card.units.iter().collect(), None),
        Detail::TopUnits => {
            let note = lang.pick(
                "Sheet này chỉ gồm các đơn vị cấp trên cùng. Số liệu của mọi đơn vị: \
                 scorecard.csv và scorecard.parquet; trang của từng đơn vị cấp trên cùng: \
                 report/<đơn vị>.html; sổ Excel của một đơn vị và các đơn vị trực thuộc: \
                 chitieu score --focus <mã đơn vị>.",
                "This sheet holds the top-level units only. Every unit's figures: scorecard.csv \
                 and scorecard.parquet; each top-level unit's page: report/<unit>.html; the \
                 workbook of one unit and the units below it: chitieu score --focus <unit id>.",
            );
            (card.top_units(), Some(note.to_string()))
        }
    }
}

fn render_sheets(
    card: &Scorecard,
    c: &Catalogue,
    lang: Lang,
    detail: Detail,
) -> Result<Vec<u8>, ReportError> {
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
        Box::new(|ws| indicators(card, c, lang, detail, ws)),
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
    let first = |workbook: &mut Workbook| -> Result<(), XlsxError> {
        for write in &sheets {
            let ws = workbook.new_worksheet_with_constant_memory()?;
            workbook.push_worksheet(write(ws)?);
        }
        Ok(())
    };
    // "Diễn biến" and "Cảnh báo" only for a run with a history (SPEC §10), made on a thread of
    // their own while the sheets before them are: at national scale they would otherwise add
    // their 50,000 rows to the longest output of the run
    if card.history.is_some() {
        let (changes, alerts) = (
            workbook.new_worksheet_with_constant_memory().map_err(err)?,
            workbook.new_worksheet_with_constant_memory().map_err(err)?,
        );
        // the formats are numbered as sheets first use them: those of the two sheets (no fill,
        // see `xlsx_changes`) are numbered before any sheet is made, so that the file does not
        // depend on which thread came first
        for format in sheet::plain_formats(lang) {
            workbook.register_format(&format);
        }
        let made = std::thread::scope(|scope| {
            let later = scope.spawn(|| {
                LEFT_OUT.with(|l| l.set(LeftOut::default()));
                let made = super::xlsx_changes::changes(card, c, lang, detail, changes)
                    .and_then(|ch| Ok((ch, super::xlsx_changes::alerts(card, lang, alerts)?)));
                (made, LEFT_OUT.with(|l| l.get()))
            });
            let before = first(&mut workbook);
            let (made, cut) = later.join().unwrap_or_else(|_| {
                (
                    Err(XlsxError::ParameterError(
                        "the sheets of the changes stopped unexpectedly".into(),
                    )),
                    LeftOut::default(),
                )
            });
            left_out(cut);
            before.and(made)
        });
        let (changes, alerts) = made.map_err(err)?;
        workbook.push_worksheet(changes);
        workbook.push_worksheet(alerts);
    } else {
        first(&mut workbook).map_err(err)?;
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
    detail: Detail,
    ws: Worksheet,
) -> Result<Worksheet, XlsxError> {
    let (units, note) = detailed(card, lang, detail);
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
    sheet.note = note;
    for u in units {
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
        // the task palette, as on the page and the `tasks` chart
        let fill = Some(line.status.rgb());
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

#[cfg(test)]
mod tests;
