//! Charts of monitoring over time (SPEC §10.2): `monitor-groups`, the top unit's groups over the
//! snapshots of the history (each group's points as a share of its maximum, so that groups of 10
//! and 22 points read on one axis), and the small inline chart of a unit's total and rank over
//! the snapshots that report.html puts in each unit's section.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{self, Canvas, DrawResult, Drawing, Header, LegendItem, Mark, PAD, SMALL};
use super::{Chart, ChartError, Context};
use crate::labels;
use crate::score::monitoring::TrendPoint;

const WIDTH: u32 = 1000;
const BODY_H: i32 = 360;

/// Line colours (Tableau 10).
const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

/// Whether the run has the monitoring chart: a history with two snapshots or more.
pub(crate) fn applies(ctx: &Context<'_>) -> bool {
    ctx.card
        .history
        .as_ref()
        .is_some_and(|h| h.trend.len() >= 2 && !ctx.c.groups.is_empty())
}

struct Groups {
    header: Header,
    dates: Vec<String>,
    /// Per group: its colour and its share (%) at each snapshot.
    lines: Vec<(RGBColor, Vec<Option<f64>>)>,
}

pub(crate) fn chart(ctx: &Context<'_>, name: String) -> Result<Chart, ChartError> {
    let trend: &[TrendPoint] = ctx.card.history.as_ref().map_or(&[], |h| &h.trend);
    let top = ctx
        .card
        .units
        .iter()
        .find(|u| u.parent.is_none())
        .map_or("", |u| u.name.as_str());
    let mut legend = Vec::new();
    let mut lines = Vec::new();
    for (k, g) in ctx.c.groups.iter().enumerate() {
        let shares: Vec<Option<f64>> = trend
            .iter()
            .map(|p| p.groups.get(&g.id).copied().flatten())
            .collect();
        // a group the top unit has no points in (tasks' groups) is not drawn
        if shares.iter().all(Option::is_none) {
            continue;
        }
        let colour = PALETTE[k % PALETTE.len()];
        legend.push(LegendItem::new(colour, canvas::clean(&g.name), Mark::Line));
        lines.push((colour, shares));
    }
    let title = format!(
        "{} — {}",
        ctx.l("Diễn biến các nhóm", "Groups over time"),
        canvas::clean(top)
    );
    let subtitle = format!(
        "{} · {}",
        ctx.subtitle,
        ctx.l(
            "% điểm tối đa của nhóm, theo từng lần chấm",
            "% of each group's maximum, snapshot by snapshot"
        )
    );
    let drawing = Groups {
        header: Header::new(&title, &subtitle, legend, WIDTH),
        dates: trend
            .iter()
            .map(|p| match ctx.lang {
                crate::project::Lang::Vi => p.as_of.format("%d/%m").to_string(),
                crate::project::Lang::En => p.as_of.format("%m-%d").to_string(),
            })
            .collect(),
        lines,
    };
    canvas::render(name, title, &drawing)
}

impl Drawing for Groups {
    fn size(&self) -> (u32, u32) {
        (WIDTH, (self.header.height() + BODY_H + 3 * PAD) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, c: &Canvas<'_, DB>) -> DrawResult<DB> {
        self.header.draw(c)?;
        let grey = RGBColor(213, 219, 227);
        let ink = RGBColor(95, 107, 122);
        let (left, right) = (PAD + 48, WIDTH as i32 - PAD - 8);
        let top = self.header.height() + PAD;
        let bottom = top + BODY_H - 28;
        let y = |v: f64| bottom - ((v.clamp(0.0, 100.0) / 100.0) * f64::from(bottom - top)) as i32;
        for tick in [0.0, 25.0, 50.0, 70.0, 100.0] {
            c.line((left, y(tick)), (right, y(tick)), &grey, 1)?;
            c.text(
                &format!("{tick:.0}%"),
                (left - 6, y(tick)),
                SMALL,
                false,
                &ink,
                HPos::Right,
                VPos::Center,
            )?;
        }
        let n = self.dates.len().max(2);
        let x = |i: usize| left + ((right - left) as f64 * i as f64 / (n - 1) as f64) as i32;
        // at most 12 dates under the axis
        let step = self.dates.len().div_ceil(12).max(1);
        for (i, d) in self.dates.iter().enumerate() {
            if i % step == 0 || i + 1 == self.dates.len() {
                c.text(
                    d,
                    (x(i), bottom + 8),
                    SMALL,
                    false,
                    &ink,
                    HPos::Center,
                    VPos::Top,
                )?;
            }
        }
        for (colour, shares) in &self.lines {
            let mut last: Option<(i32, i32)> = None;
            for (i, v) in shares.iter().enumerate() {
                let Some(v) = v else {
                    last = None;
                    continue;
                };
                let p = (x(i), y(*v));
                if let Some(from) = last {
                    c.line(from, p, colour, 3)?;
                }
                c.area.draw(&Circle::new(p, 4, colour.filled()))?;
                last = Some(p);
            }
        }
        Ok(())
    }
}

/// A unit's total (line) and rank (the number at each point) over the snapshots, as inline SVG
/// for its section of report.html; `None` with fewer than two snapshots.
pub fn sparkline(unit: &str, trend: &[TrendPoint], lang: crate::project::Lang) -> Option<String> {
    let points: Vec<(f64, Option<u32>)> = trend
        .iter()
        .filter_map(|p| p.totals.get(unit))
        .filter_map(|(score, rank)| score.map(|s| (s, *rank)))
        .collect();
    if points.len() < 2 {
        return None;
    }
    let (w, h) = (320u32, 70u32);
    let lo = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
    let hi = points.iter().map(|p| p.0).fold(f64::NEG_INFINITY, f64::max);
    let span = (hi - lo).max(1.0);
    let x = |i: usize| 12 + ((w as i32 - 24) as f64 * i as f64 / (points.len() - 1) as f64) as i32;
    let y = |v: f64| 52 - (((v - lo) / span) * 36.0) as i32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        let colour = RGBColor(29, 79, 145);
        let path: Vec<(i32, i32)> = points
            .iter()
            .enumerate()
            .map(|(i, p)| (x(i), y(p.0)))
            .collect();
        root.draw(&PathElement::new(path.clone(), colour.stroke_width(2)))
            .ok()?;
        for (i, p) in path.iter().enumerate() {
            root.draw(&Circle::new(*p, 3, colour.filled())).ok()?;
            if let Some(rank) = points[i].1 {
                let style = canvas::style(
                    11.0,
                    false,
                    &RGBColor(95, 107, 122),
                    HPos::Center,
                    VPos::Top,
                );
                root.draw_text(&format!("#{rank}"), &style, (p.0, p.1 + 5))
                    .ok()?;
            }
        }
        let first = labels::number(points[0].0, 2, lang);
        let last = labels::number(points[points.len() - 1].0, 2, lang);
        let style = canvas::style(11.0, true, &colour, HPos::Left, VPos::Top);
        root.draw_text(&format!("{first} → {last}"), &style, (4, 0))
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}
