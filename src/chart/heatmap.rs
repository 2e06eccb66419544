//! The heatmap (SPEC §7.2 `heatmap`): one row per unit (units.csv order, indented by depth),
//! one column per indicator (catalogue order, headed by its code, grouped), each cell coloured
//! by the indicator's status for that unit.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{self, Canvas, DrawResult, Drawing, Header, LABEL, PAD, SMALL};
use super::unit::status_legend;
use super::{Chart, ChartError, Context};
use crate::score::Status;

const ROW_H: i32 = 18;
const CELL_W: i32 = 20;
const LABEL_W: i32 = 250;
const GRID_X0: i32 = PAD + LABEL_W + 8;
const GROUP_H: i32 = 22;
const MAX_HEAD: i32 = 110;
const FOOT: i32 = 40 + PAD;
/// At most about 180 indicator columns; the caption counts the rest.
const MAX_WIDTH: i32 = 4_000;

struct Heatmap {
    header: Header,
    width: u32,
    /// Column headings (codes) and the height they need.
    columns: Vec<String>,
    head_h: i32,
    /// Runs of adjacent columns of the same group: (first column, count, label).
    groups: Vec<(usize, usize, String)>,
    /// Unit names (indent in pixels, name) and their cells' status codes.
    rows: Vec<(i32, String, Vec<Status>)>,
    caption: String,
}

pub fn chart(ctx: &Context<'_>, name: String) -> Result<Chart, ChartError> {
    let lang = ctx.lang;
    let indicators = &ctx.c.indicators;
    let max_cols = ((MAX_WIDTH - GRID_X0 - PAD) / CELL_W).max(1) as usize;
    let shown_cols = indicators.len().min(max_cols);
    let columns: Vec<String> = indicators[..shown_cols]
        .iter()
        .map(|i| {
            let code = i.code.as_deref().unwrap_or(&i.id);
            canvas::ellipsize(code, MAX_HEAD, SMALL, false)
        })
        .collect();
    let head_h = columns
        .iter()
        .map(|c| canvas::text_width(c, SMALL, false))
        .max()
        .unwrap_or(0)
        .min(MAX_HEAD)
        + 10;
    let mut groups: Vec<(usize, usize, String)> = Vec::new();
    for (k, indicator) in indicators[..shown_cols].iter().enumerate() {
        let g = indicator.group.clone().unwrap_or_default();
        match groups.last_mut() {
            Some((_, n, last)) if *last == g => *n += 1,
            _ => groups.push((k, 1, g)),
        }
    }
    let width = (GRID_X0 + shown_cols as i32 * CELL_W + PAD).max(760) as u32;
    let title = ctx
        .l(
            "Trạng thái chỉ tiêu theo đơn vị",
            "Indicator status by unit",
        )
        .to_string();
    let legend = status_legend(lang);
    let header = Header::new(&title, &ctx.subtitle, legend, width);
    let top = header.height() + GROUP_H + head_h;
    let max_rows = ((canvas::MAX_SIDE as i32 - top - FOOT) / ROW_H).max(1) as usize;
    let units = &ctx.card.units;
    let rows = units
        .iter()
        .take(max_rows)
        .map(|unit| {
            let indent = 10 * depth(ctx, &unit.id).min(3);
            let name = canvas::ellipsize(&unit.name, LABEL_W - indent, SMALL, false);
            let cells = indicators[..shown_cols]
                .iter()
                .map(|i| {
                    unit.indicators
                        .iter()
                        .find(|card| card.id == i.id)
                        .map_or(Status::KhongCoDuLieu, |card| card.status)
                })
                .collect();
            (indent, name, cells)
        })
        .collect::<Vec<_>>();
    let mut caption = ctx
        .l(
            "Hàng: đơn vị; cột: chỉ tiêu (mã), theo nhóm",
            "Rows: units; columns: indicators (code), by group",
        )
        .to_string();
    if rows.len() < units.len() {
        caption += &format!(
            " — … {} {}",
            units.len() - rows.len(),
            ctx.l("đơn vị khác", "more units")
        );
    }
    if shown_cols < indicators.len() {
        caption += &format!(
            " — … {} {}",
            indicators.len() - shown_cols,
            ctx.l("chỉ tiêu khác", "more indicators")
        );
    }
    let caption = canvas::ellipsize(&caption, width as i32 - 2 * PAD, LABEL, false);
    let heatmap = Heatmap {
        header,
        width,
        columns,
        head_h,
        groups,
        rows,
        caption,
    };
    canvas::render(name, title, &heatmap)
}

/// How many ancestors a unit has (0 for a root), bounded against cycles.
fn depth(ctx: &Context<'_>, id: &str) -> i32 {
    let mut d = 0;
    let mut current = ctx.unit(id);
    while let Some(parent) = current.and_then(|u| u.parent.as_deref()) {
        d += 1;
        if d >= 8 {
            break;
        }
        current = ctx.unit(parent);
    }
    d
}

impl Heatmap {
    fn top(&self) -> i32 {
        self.header.height() + GROUP_H + self.head_h
    }
}

impl Drawing for Heatmap {
    fn size(&self) -> (u32, u32) {
        let h = self.top() + self.rows.len().max(1) as i32 * ROW_H + FOOT;
        (self.width, h.max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, pen: &Canvas<'_, DB>) -> DrawResult<DB> {
        self.header.draw(pen)?;
        let top = self.top();
        let bottom = top + self.rows.len() as i32 * ROW_H;
        let group_y = self.header.height();
        for (first, count, label) in &self.groups {
            let x0 = GRID_X0 + *first as i32 * CELL_W;
            let x1 = x0 + *count as i32 * CELL_W;
            let text = canvas::ellipsize(label, x1 - x0 - 2, SMALL, true);
            pen.text(
                &text,
                ((x0 + x1) / 2, group_y + GROUP_H / 2),
                SMALL,
                true,
                &canvas::INK,
                HPos::Center,
                VPos::Center,
            )?;
            pen.line(
                (x0 + 2, group_y + GROUP_H - 2),
                (x1 - 2, group_y + GROUP_H - 2),
                &canvas::MUTED,
                1,
            )?;
        }
        for (k, column) in self.columns.iter().enumerate() {
            let x = GRID_X0 + k as i32 * CELL_W + CELL_W / 2;
            pen.text_up(column, (x, top - 5), SMALL, &canvas::INK)?;
        }
        for (i, (indent, name, cells)) in self.rows.iter().enumerate() {
            let y = top + i as i32 * ROW_H;
            pen.text(
                name,
                (PAD + indent, y + ROW_H / 2),
                SMALL,
                false,
                &canvas::INK,
                HPos::Left,
                VPos::Center,
            )?;
            for (k, status) in cells.iter().enumerate() {
                let x = GRID_X0 + k as i32 * CELL_W;
                let colour = canvas::rgb(status.rgb());
                pen.rect((x + 1, y + 1), (x + CELL_W - 1, y + ROW_H - 1), &colour)?;
            }
        }
        // group boundaries across the grid
        for (first, _, _) in self.groups.iter().skip(1) {
            let x = GRID_X0 + *first as i32 * CELL_W;
            pen.line((x, top - 4), (x, bottom), &canvas::INK, 1)?;
        }
        pen.text(
            &self.caption,
            (PAD, bottom + 14),
            LABEL,
            false,
            &canvas::MUTED,
            HPos::Left,
            VPos::Top,
        )
    }
}
