//! The report chart (`reports`, SPEC §6.1): for every unit that owes reports of its own, one
//! stacked bar of them by status at the as-of date, the units with reports missing or late
//! first (the order of [`Scorecard::report_counts_by_unit`]).
//!
//! [`Scorecard::report_counts_by_unit`]: crate::score::scorecard::Scorecard::report_counts_by_unit

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    self, Canvas, DrawResult, Drawing, Header, LegendItem, Mark, LABEL, PAD, SMALL,
};
use super::{Chart, ChartError, Context};
use crate::cycle::ReportStatus;
use crate::labels;

const WIDTH: u32 = 1000;
const ROW_H: i32 = 24;
const NAME_W: i32 = 300;
const BAR_X0: i32 = PAD + NAME_W + 12;
const BAR_X1: i32 = WIDTH as i32 - PAD - 190;
const FOOT: i32 = 60 + PAD;

/// Stacking order: on time first, missing last, so that a bar ends with what is wanting.
const ORDER: [ReportStatus; 4] = [
    ReportStatus::DungHan,
    ReportStatus::ChuaDenHan,
    ReportStatus::TreHan,
    ReportStatus::ChuaNop,
];

fn colour(s: ReportStatus) -> RGBColor {
    canvas::rgb(labels::report_status_rgb(s))
}

struct Row {
    name: String,
    /// Counts in [`ORDER`].
    counts: [usize; 4],
    note: String,
}

struct ReportChart {
    header: Header,
    rows: Vec<Row>,
    max: f64,
    ticks: Vec<f64>,
    caption: String,
    more: Option<String>,
}

pub fn chart(ctx: &Context<'_>, name: String) -> Result<Chart, ChartError> {
    let lang = ctx.lang;
    let mut rows: Vec<Row> = Vec::new();
    for (unit, n) in ctx.card.report_counts_by_unit() {
        let counts = [n.on_time, n.not_due, n.late, n.missing];
        let mut note = format!("{} {}/{}", ctx.l("đúng hạn", "on time"), n.on_time, n.due);
        if n.late > 0 {
            note += &format!(" · {} {}", ctx.l("trễ", "late"), n.late);
        }
        if n.missing > 0 {
            note += &format!(" · {} {}", ctx.l("chưa nộp", "missing"), n.missing);
        }
        rows.push(Row {
            name: canvas::ellipsize(&unit.name, NAME_W, LABEL, false),
            counts,
            note,
        });
    }
    let present: Vec<usize> = (0..ORDER.len())
        .filter(|&i| rows.iter().any(|r| r.counts[i] > 0))
        .collect();
    let legend = present
        .iter()
        .map(|&i| {
            LegendItem::new(
                colour(ORDER[i]),
                labels::report_status(ORDER[i], lang),
                Mark::Box,
            )
        })
        .collect();
    let title = ctx
        .l(
            "Báo cáo theo trạng thái và đơn vị",
            "Reports by status and unit",
        )
        .to_string();
    let subtitle = format!(
        "{} · {} {}",
        ctx.card.catalogue.title,
        ctx.l("tính đến", "as of"),
        ctx.card.as_of
    );
    let header = Header::new(&title, &subtitle, legend, WIDTH);
    let fits = ((canvas::MAX_SIDE as i32 - header.height() - 22 - FOOT) / ROW_H - 1).max(1);
    let mut more = None;
    if rows.len() > fits as usize {
        more = Some(format!(
            "… {} {}",
            rows.len() - fits as usize,
            ctx.l("đơn vị khác", "more units")
        ));
        rows.truncate(fits as usize);
    }
    let largest = rows
        .iter()
        .map(|r| r.counts.iter().sum::<usize>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (max, ticks) = if largest <= 6.0 {
        (largest, (0..=largest as usize).map(|i| i as f64).collect())
    } else {
        let max = canvas::nice_ceiling(largest);
        (max, canvas::ticks(max))
    };
    let chart = ReportChart {
        header,
        rows,
        max,
        ticks,
        caption: ctx
            .l("Số báo cáo phải nộp", "Number of reports owed")
            .to_string(),
        more,
    };
    canvas::render(name, title, &chart)
}

impl ReportChart {
    fn top(&self) -> i32 {
        self.header.height() + 22
    }
    fn row_count(&self) -> i32 {
        (self.rows.len() as i32 + i32::from(self.more.is_some())).max(1)
    }
}

impl Drawing for ReportChart {
    fn size(&self) -> (u32, u32) {
        let h = self.top() + self.row_count() * ROW_H + FOOT;
        (WIDTH, h.max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, pen: &Canvas<'_, DB>) -> DrawResult<DB> {
        self.header.draw(pen)?;
        let top = self.top();
        let bottom = top + self.row_count() * ROW_H;
        canvas::x_grid(
            pen,
            (BAR_X0, BAR_X1),
            (top, bottom),
            (self.max, &self.ticks),
            &|t| format!("{t:.0}"),
            &self.caption,
        )?;
        let px = |n: usize| ((BAR_X1 - BAR_X0) as f64 * n as f64 / self.max).round() as i32;
        let (left, mid) = (HPos::Left, VPos::Center);
        for (i, row) in self.rows.iter().enumerate() {
            let cy = top + i as i32 * ROW_H + ROW_H / 2;
            pen.text(&row.name, (PAD, cy), LABEL, false, &canvas::INK, left, mid)?;
            let mut so_far = 0;
            for (k, &n) in row.counts.iter().enumerate() {
                if n == 0 {
                    continue;
                }
                let x0 = BAR_X0 + px(so_far);
                so_far += n;
                let x1 = BAR_X0 + px(so_far);
                let fill = colour(ORDER[k]);
                pen.rect((x0, cy - 8), (x1, cy + 8), &fill)?;
                if x1 - x0 >= 18 {
                    let ink = canvas::ink_on(&fill);
                    pen.text(
                        &n.to_string(),
                        ((x0 + x1) / 2, cy),
                        SMALL,
                        true,
                        &ink,
                        HPos::Center,
                        mid,
                    )?;
                }
            }
            let end = BAR_X0 + px(so_far);
            pen.text(
                &row.note,
                (end + 6, cy),
                SMALL,
                false,
                &canvas::INK,
                left,
                mid,
            )?;
        }
        if let Some(more) = &self.more {
            let cy = top + self.rows.len() as i32 * ROW_H + ROW_H / 2;
            pen.text(more, (PAD, cy), LABEL, false, &canvas::MUTED, left, mid)?;
        }
        Ok(())
    }
}
