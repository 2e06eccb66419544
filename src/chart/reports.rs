//! The report chart (`reports`, SPEC §6.1): for every unit that owes reports of its own, one
//! stacked bar of them by status at the as-of date, the units with reports missing or late
//! first (the order of [`Scorecard::report_counts_by_unit`]).
//!
//! [`Scorecard::report_counts_by_unit`]: crate::score::scorecard::Scorecard::report_counts_by_unit

use super::canvas;
use super::stacked::{self, Row, Segment, Stacked};
use super::{Chart, ChartError, Context};
use crate::cycle::ReportStatus;

/// Stacking order: on time first, missing last, so that a bar ends with what is wanting.
const ORDER: [ReportStatus; 4] = [
    ReportStatus::DungHan,
    ReportStatus::ChuaDenHan,
    ReportStatus::TreHan,
    ReportStatus::ChuaNop,
];

pub fn chart(ctx: &Context<'_>, name: String) -> Result<Chart, ChartError> {
    let mut rows: Vec<Row> = Vec::new();
    for (unit, n) in ctx.card.report_counts_by_unit() {
        let counts = vec![n.on_time, n.not_due, n.late, n.missing];
        let mut note = format!("{} {}/{}", ctx.l("đúng hạn", "on time"), n.on_time, n.due);
        if n.late > 0 {
            note += &format!(" · {} {}", ctx.l("trễ", "late"), n.late);
        }
        if n.missing > 0 {
            note += &format!(" · {} {}", ctx.l("chưa nộp", "missing"), n.missing);
        }
        rows.push(Row {
            name: unit.name.clone(),
            counts,
            note,
        });
    }
    let segments: Vec<Segment> = ORDER
        .iter()
        .map(|&s| Segment {
            colour: canvas::rgb(s.rgb()),
            label: s.label(ctx.lang).to_string(),
        })
        .collect();
    let spec = Stacked {
        title: ctx.l(
            "Báo cáo theo trạng thái và đơn vị",
            "Reports by status and unit",
        ),
        caption: ctx.l("Số báo cáo phải nộp", "Number of reports owed"),
        segments: &segments,
        rows,
    };
    stacked::chart(ctx, name, spec)
}
