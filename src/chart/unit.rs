//! The chart of one unit (SPEC §7.2 `unit-<id>`): each indicator as a bullet — a bar for the
//! value, a tick for the target threshold, coloured by status — under its group.
//!
//! Scales: percentages (and booleans, as the share done) on a common 0–100 axis, widened to the
//! next round number when a value or target exceeds 100. Counts, scores and ranks cannot share
//! that axis, so each has its own row scale from 0 to a round number above both its value and
//! its target; the row's note gives the figures and that scale (`24.742 (mục tiêu ≥ 20.000;
//! thang 0–30.000)`), so the bar is read against its tick, never against the other rows.
//!
//! With `missing = "exclude"` an indicator without data does not count for the unit, so it gets
//! no row: its code is listed in a note under the axis. With `missing = "zero"` it keeps its
//! grey row, since it weighs on the score.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    self, Canvas, DrawResult, Drawing, Header, LegendItem, Mark, LABEL, PAD, SMALL,
};
use super::{indicator_label, Chart, ChartError, Context};
use crate::definition::{Indicator, Missing, Op, UnitKind};
use crate::labels;
use crate::project::Lang;
use crate::score::scorecard::IndicatorCard;
use crate::score::Status;

const WIDTH: u32 = 1160;
const ROW_H: i32 = 26;
const LABEL_W: i32 = 420;
const BAR_X0: i32 = PAD + LABEL_W + 12;
const BAR_X1: i32 = BAR_X0 + 380;
const NOTE_X: i32 = BAR_X1 + 12;
const NOTE_W: i32 = WIDTH as i32 - PAD - NOTE_X;
const FOOT: i32 = 64 + PAD;
const NOTE_H: i32 = 20;

/// The legend of the status colours, in [`Status::ALL`] order, labelled in `lang`.
pub fn status_legend(lang: Lang) -> Vec<LegendItem> {
    Status::ALL
        .iter()
        .map(|&s| LegendItem::new(canvas::rgb(s.rgb()), s.label(lang), Mark::Box))
        .collect()
}

enum Row {
    Group(String),
    Bullet(Bullet),
}

/// One indicator's bullet; positions are fractions of the row's scale (0 to 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Bullet {
    pub label: String,
    pub status: Status,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub note: String,
}

struct UnitChart {
    header: Header,
    rows: Vec<Row>,
    more: Option<String>,
    caption: String,
    /// Lines under the axis: the indicators left out for want of data.
    notes: Vec<String>,
}

pub fn chart(ctx: &Context<'_>, name: String, u: usize) -> Result<Chart, ChartError> {
    let lang = ctx.lang;
    let Some(unit) = ctx.card.units.get(u) else {
        return Err(ChartError::Draw {
            name,
            message: format!("no unit number {u} in the scorecard"),
        });
    };
    let title = format!(
        "{} — {}",
        unit.name,
        ctx.l("kết quả các chỉ tiêu", "indicator results")
    );
    let mut facts = vec![ctx.subtitle.clone()];
    if let Some(s) = unit.score {
        facts.push(format!(
            "{} {}",
            ctx.l("điểm", "score"),
            labels::number(s, 2, lang)
        ));
    }
    if let Some(g) = &unit.grade {
        facts.push(format!("{} {g}", ctx.l("xếp loại", "grade")));
    }
    if let (Some(r), Some(of)) = (unit.rank, unit.rank_of) {
        facts.push(format!("{} {r}/{of}", ctx.l("hạng", "rank")));
    }
    let mut legend = status_legend(lang);
    legend.push(LegendItem::new(
        canvas::INK,
        ctx.l("Mục tiêu", "Target"),
        Mark::Tick,
    ));
    let header = Header::new(&title, &facts.join(" · "), legend, WIDTH);

    let mut rows = Vec::new();
    let mut group: Option<&str> = None;
    // with `missing = "exclude"` an indicator without data does not count for the unit: it is
    // named in a note under the bullets instead of drawing an empty row
    let exclude = ctx.c.missing == Missing::Exclude;
    let mut without_data: Vec<&str> = Vec::new();
    let mut notes = Vec::new();
    for card in &unit.indicators {
        let Some(indicator) = ctx.indicator(&card.id) else {
            continue;
        };
        if exclude && card.status == Status::KhongCoDuLieu {
            without_data.push(indicator.code.as_deref().unwrap_or(&indicator.id));
            continue;
        }
        let label = canvas::ellipsize(&indicator_label(indicator), LABEL_W, LABEL, false);
        let Some(mut b) = bullet(indicator, card, label, lang) else {
            continue;
        };
        b.note = canvas::ellipsize(&b.note, NOTE_W, SMALL, false);
        if indicator.group.as_deref() != group {
            group = indicator.group.as_deref();
            if let Some(g) = group.and_then(|g| ctx.c.group(g)) {
                let text = format!("{}. {}", g.id, g.name);
                rows.push(Row::Group(canvas::ellipsize(
                    &text,
                    WIDTH as i32 - 2 * PAD,
                    LABEL,
                    true,
                )));
            }
        }
        rows.push(Row::Bullet(b));
    }
    if !without_data.is_empty() {
        let note = format!(
            "{} ({}): {}",
            Status::KhongCoDuLieu.label(lang),
            ctx.l("không tính điểm", "not scored"),
            without_data.join(", ")
        );
        notes = canvas::wrap(&note, WIDTH as i32 - 2 * PAD, SMALL, false, 4);
    }
    let fits = ((canvas::MAX_SIDE as i32 - header.height() - 24 - FOOT) / ROW_H - 1).max(1);
    let mut more = None;
    if rows.len() > fits as usize {
        let left = rows[fits as usize..]
            .iter()
            .filter(|r| matches!(r, Row::Bullet(_)))
            .count();
        rows.truncate(fits as usize);
        more = Some(format!(
            "… {left} {}",
            ctx.l("chỉ tiêu khác", "more indicators")
        ));
    }
    let chart = UnitChart {
        header,
        rows,
        more,
        notes,
        caption: ctx
            .l(
                "Giá trị (%); chỉ tiêu không tính bằng % theo thang riêng của dòng",
                "Value (%); indicators not in % on their own row scale",
            )
            .to_string(),
    };
    canvas::render(name, title, &chart)
}

/// The bullet of one indicator, or None when there is nothing to show (no value and no target).
pub fn bullet(
    indicator: &Indicator,
    card: &IndicatorCard,
    label: String,
    lang: Lang,
) -> Option<Bullet> {
    let value = card.value.filter(|v| v.is_finite());
    let target = card.target.as_ref().and_then(|t| {
        t.value
            .filter(|v| v.is_finite())
            .map(|v| (t.op.unwrap_or(Op::Ge), v))
    });
    if value.is_none() && target.is_none() {
        return None;
    }
    let l = |vi: &'static str, en: &'static str| lang.pick(vi, en);
    let op = |op: Op| {
        match op {
            Op::Ge => "≥",
            Op::Le => "≤",
            other => other.as_str(),
        }
        .to_string()
    };
    let (value_pos, target_pos, max, value_text, target_text) = match indicator.unit {
        UnitKind::Boolean => {
            // the unit's own 0/1, or the share of children done (%)
            let own = !card.share;
            let pct = value.map(|v| if own { v * 100.0 } else { v });
            let text = match (value, own) {
                (Some(v), true) if v >= 1.0 => l("Hoàn thành", "Done").to_string(),
                (Some(_), true) => l("Chưa hoàn thành", "Not done").to_string(),
                (Some(v), false) => labels::percent(v, lang),
                (None, _) => String::new(),
            };
            let target_text = target.map(|_| l("hoàn thành", "done").to_string());
            (pct, target.map(|_| 100.0), 100.0, text, target_text)
        }
        UnitKind::Percent => {
            let top = value
                .into_iter()
                .chain(target.map(|t| t.1))
                .fold(100.0, f64::max);
            let max = if top > 100.0 {
                canvas::nice_ceiling(top)
            } else {
                100.0
            };
            (
                value,
                target.map(|t| t.1),
                max,
                value.map(|v| labels::percent(v, lang)).unwrap_or_default(),
                target.map(|(o, t)| format!("{} {}%", op(o), figure(t, lang))),
            )
        }
        UnitKind::Count | UnitKind::Score | UnitKind::Rank => {
            let top = value
                .into_iter()
                .chain(target.map(|t| t.1))
                .map(f64::abs)
                .fold(0.0, f64::max);
            let max = canvas::nice_ceiling(top * 1.1);
            (
                value,
                target.map(|t| t.1),
                max,
                value.map(|v| figure(v, lang)).unwrap_or_default(),
                target.map(|(o, t)| format!("{} {}", op(o), figure(t, lang))),
            )
        }
    };
    let shown = if value.is_some() {
        value_text
    } else {
        card.status.label(lang).to_string()
    };
    let mut details = Vec::new();
    if let Some(t) = target_text {
        details.push(format!("{} {t}", l("mục tiêu", "target")));
    }
    if !matches!(indicator.unit, UnitKind::Percent | UnitKind::Boolean) {
        details.push(format!("{} 0–{}", l("thang", "scale"), figure(max, lang)));
    }
    let note = if details.is_empty() {
        shown
    } else {
        format!("{shown} ({})", details.join("; "))
    };
    let frac = |v: f64| (v / max).clamp(0.0, 1.0);
    Some(Bullet {
        label,
        status: card.status,
        value: value_pos.map(frac),
        target: target_pos.map(frac),
        note,
    })
}

/// A count or score as offices write it: no decimals for whole numbers, else two.
fn figure(v: f64, lang: Lang) -> String {
    let decimals = if (v - v.round()).abs() < 1e-9 { 0 } else { 2 };
    labels::number(v, decimals, lang)
}

impl UnitChart {
    fn top(&self) -> i32 {
        self.header.height() + 24
    }
    fn row_count(&self) -> i32 {
        (self.rows.len() as i32 + i32::from(self.more.is_some())).max(1)
    }
}

impl Drawing for UnitChart {
    fn size(&self) -> (u32, u32) {
        let h = self.top() + self.row_count() * ROW_H + FOOT + NOTE_H * self.notes.len() as i32;
        (WIDTH, h.max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, pen: &Canvas<'_, DB>) -> DrawResult<DB> {
        self.header.draw(pen)?;
        let top = self.top();
        let bottom = top + self.row_count() * ROW_H;
        let ticks: Vec<f64> = (0..=5).map(|i| f64::from(i) * 20.0).collect();
        canvas::x_grid(
            pen,
            (BAR_X0, BAR_X1),
            (top, bottom),
            (100.0, &ticks),
            &|t| format!("{t:.0}"),
            &self.caption,
        )?;
        let width = |f: f64| ((BAR_X1 - BAR_X0) as f64 * f).round() as i32;
        let (left, mid) = (HPos::Left, VPos::Center);
        for (i, row) in self.rows.iter().enumerate() {
            let y = top + i as i32 * ROW_H;
            let cy = y + ROW_H / 2;
            match row {
                Row::Group(text) => {
                    // the group's name reads over a white band, not over the grid
                    pen.rect((PAD, y + 2), (WIDTH as i32 - PAD, y + ROW_H), &WHITE)?;
                    pen.line((PAD, y + 2), (WIDTH as i32 - PAD, y + 2), &canvas::GRID, 1)?;
                    pen.text(text, (PAD, cy + 2), LABEL, true, &canvas::INK, left, mid)?;
                }
                Row::Bullet(b) => {
                    let colour = canvas::rgb(b.status.rgb());
                    pen.text(
                        &b.label,
                        (PAD + 8, cy),
                        LABEL,
                        false,
                        &canvas::INK,
                        left,
                        mid,
                    )?;
                    let band = RGBColor(blend(colour.0), blend(colour.1), blend(colour.2));
                    pen.rect((BAR_X0, cy - 9), (BAR_X1, cy + 9), &band)?;
                    if let Some(v) = b.value {
                        let x = BAR_X0 + width(v).max(2);
                        pen.rect((BAR_X0, cy - 5), (x, cy + 5), &colour)?;
                    }
                    if let Some(t) = b.target {
                        let x = (BAR_X0 + width(t)).clamp(BAR_X0 + 1, BAR_X1 - 1);
                        pen.line((x, cy - 11), (x, cy + 11), &canvas::INK, 3)?;
                    }
                    pen.text(&b.note, (NOTE_X, cy), SMALL, false, &canvas::INK, left, mid)?;
                }
            }
        }
        if let Some(more) = &self.more {
            let cy = top + self.rows.len() as i32 * ROW_H + ROW_H / 2;
            pen.text(more, (PAD + 8, cy), LABEL, false, &canvas::MUTED, left, mid)?;
        }
        for (i, note) in self.notes.iter().enumerate() {
            let cy = bottom + FOOT - PAD + i as i32 * NOTE_H;
            pen.text(note, (PAD, cy), SMALL, false, &canvas::MUTED, left, mid)?;
        }
        Ok(())
    }
}

/// A channel of the status colour washed out to a background tint.
fn blend(c: u8) -> u8 {
    (f64::from(c) * 0.22 + 255.0 * 0.78).round() as u8
}
