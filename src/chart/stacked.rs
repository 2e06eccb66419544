//! Stacked bars by unit, the layout of the task and report charts: one bar per unit, its counts
//! by status stacked in a fixed order, a note after the bar; a legend of the statuses that occur;
//! units beyond what fits the canvas summed up in a last line.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    self, Canvas, DrawResult, Drawing, Header, LegendItem, Mark, LABEL, PAD, SMALL,
};
use super::{Chart, ChartError, Context};

const WIDTH: u32 = 1000;
const ROW_H: i32 = 24;
const NAME_W: i32 = 300;
const BAR_X0: i32 = PAD + NAME_W + 12;
const BAR_X1: i32 = WIDTH as i32 - PAD - 190;
const FOOT: i32 = 60 + PAD;

/// One status of the stacking order: its colour and its legend label.
pub struct Segment {
    pub colour: RGBColor,
    pub label: String,
}

/// One unit's bar: its name, its counts in the order of the segments, the note after the bar.
pub struct Row {
    pub name: String,
    pub counts: Vec<usize>,
    pub note: String,
}

/// What a stacked chart shows: its title, the caption of the count axis, the statuses in
/// stacking order and the rows (in the order they are drawn).
pub struct Stacked<'a> {
    pub title: &'a str,
    pub caption: &'a str,
    pub segments: &'a [Segment],
    pub rows: Vec<Row>,
}

struct StackedChart {
    header: Header,
    rows: Vec<Row>,
    colours: Vec<RGBColor>,
    max: f64,
    ticks: Vec<f64>,
    caption: String,
    more: Option<String>,
}

pub fn chart(ctx: &Context<'_>, name: String, spec: Stacked<'_>) -> Result<Chart, ChartError> {
    let mut rows: Vec<Row> = spec
        .rows
        .into_iter()
        .map(|r| Row {
            name: canvas::ellipsize(&r.name, NAME_W, LABEL, false),
            ..r
        })
        .collect();
    let legend = spec
        .segments
        .iter()
        .enumerate()
        .filter(|&(i, _)| rows.iter().any(|r| r.counts[i] > 0))
        .map(|(_, s)| LegendItem::new(s.colour, s.label.as_str(), Mark::Box))
        .collect();
    let title = spec.title.to_string();
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
    let chart = StackedChart {
        header,
        rows,
        colours: spec.segments.iter().map(|s| s.colour).collect(),
        max,
        ticks,
        caption: spec.caption.to_string(),
        more,
    };
    canvas::render(name, title, &chart)
}

impl StackedChart {
    fn top(&self) -> i32 {
        self.header.height() + 22
    }
    fn row_count(&self) -> i32 {
        (self.rows.len() as i32 + i32::from(self.more.is_some())).max(1)
    }
}

impl Drawing for StackedChart {
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
            for (&n, fill) in row.counts.iter().zip(&self.colours) {
                if n == 0 {
                    continue;
                }
                let x0 = BAR_X0 + px(so_far);
                so_far += n;
                let x1 = BAR_X0 + px(so_far);
                pen.rect((x0, cy - 8), (x1, cy + 8), fill)?;
                if x1 - x0 >= 18 {
                    let ink = canvas::ink_on(fill);
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
