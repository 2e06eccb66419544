//! The task chart (SPEC §7.2 `tasks`): for every unit with task assignments of its own, one
//! stacked bar of its tasks by status at the as-of date. A unit's bar counts its own
//! assignments only, so a province is not drawn again as the sum of its departments.

use super::canvas;
use super::stacked::{self, Row, Segment, Stacked};
use super::{Chart, ChartError, Context};
use crate::tasks::status::TaskStatus;

/// Stacking order: the reverse of [`TaskStatus::BY_URGENCY`], so that a bar starts with what is
/// done and ends with what is overdue.
const ORDER: [TaskStatus; 8] = reversed(TaskStatus::BY_URGENCY);

const fn reversed(order: [TaskStatus; 8]) -> [TaskStatus; 8] {
    let mut out = order;
    let mut i = 0;
    while i < order.len() {
        out[i] = order[order.len() - 1 - i];
        i += 1;
    }
    out
}

pub fn chart(ctx: &Context<'_>, name: String) -> Result<Chart, ChartError> {
    let mut rows: Vec<Row> = Vec::new();
    for unit in &ctx.card.units {
        let mut counts = vec![0usize; ORDER.len()];
        for line in ctx.card.tasks.iter().filter(|t| t.unit == unit.id) {
            if let Some(i) = ORDER.iter().position(|&s| s == line.status) {
                counts[i] += 1;
            }
        }
        let total: usize = counts.iter().sum();
        if total == 0 {
            continue;
        }
        let count = |of: fn(TaskStatus) -> bool| -> usize {
            ORDER
                .iter()
                .zip(&counts)
                .filter(|(s, _)| of(**s))
                .map(|(_, n)| n)
                .sum()
        };
        let done = count(TaskStatus::is_done);
        let overdue = count(TaskStatus::is_overdue);
        let mut note = format!("{} {done}/{total}", ctx.l("hoàn thành", "done"));
        if overdue > 0 {
            note += &format!(" · {} {overdue}", ctx.l("quá hạn", "overdue"));
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
            "Nhiệm vụ theo trạng thái và đơn vị",
            "Tasks by status and unit",
        ),
        caption: ctx.l("Số nhiệm vụ được giao", "Number of assigned tasks"),
        segments: &segments,
        rows,
    };
    stacked::chart(ctx, name, spec)
}
