//! Trend charts (SPEC §7.2 `trend-<indicator>`): the values of the top-level units over periods
//! (each at the middle of its period), the target in force year by year up to the final target
//! year, and each unit's forecast from its latest value to the final year (SPEC §5.6).
//!
//! Only indicators whose final target is a number get one, and only when a top-level unit has
//! values over time; boolean indicators (a target of "done") have no trajectory to draw. A
//! `reduce`/`increase` target is drawn from the indicator's `baseline` or, failing that, from
//! the first top-level unit's value in the base year.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    self, Canvas, DrawResult, Drawing, Header, LegendItem, Mark, LABEL, PAD, SMALL,
};
use super::{indicator_label, Chart, ChartError, Context};
use crate::data::Period;
use crate::definition::{Indicator, Target, UnitKind};
use crate::labels;
use crate::project::Lang;
use crate::score::attainment::resolve_threshold;
use crate::score::in_force::target_in_force;
use crate::score::scorecard::UnitCard;

const WIDTH: u32 = 1000;
const BODY_H: i32 = 470;

/// Line colours of the top-level units (Tableau 10), apart from the status colours' meaning.
const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(23, 190, 207),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(44, 160, 44),
    RGBColor(188, 189, 34),
    RGBColor(127, 127, 127),
    RGBColor(214, 39, 40),
];

/// Whether indicator `k` gets a trend chart.
pub fn applies(ctx: &Context<'_>, k: usize) -> bool {
    let Some(indicator) = ctx.c.indicators.get(k) else {
        return false;
    };
    indicator.unit != UnitKind::Boolean
        && !lines(ctx, indicator).is_empty()
        && !trajectory(ctx, indicator).is_empty()
}

struct Line {
    colour: RGBColor,
    points: Vec<(f64, f64)>,
    forecast: Option<Forecast>,
}

/// From the latest value to the forecast at the middle of the period it projects to, with its
/// label.
struct Forecast {
    from: (f64, f64),
    to: (f64, f64),
    label: String,
}

struct Trend {
    header: Header,
    lines: Vec<Line>,
    target: Vec<(f64, f64)>,
    anchors: Vec<(f64, f64)>,
    x: (f64, f64),
    years: Vec<f64>,
    y: (f64, f64),
    percent: bool,
    lang: Lang,
    x_desc: String,
    y_desc: String,
}

/// The top-level units with values of `indicator` over time, and their values.
fn lines<'a>(ctx: &Context<'a>, indicator: &Indicator) -> Vec<(&'a UnitCard, Vec<(f64, f64)>)> {
    ctx.card
        .units
        .iter()
        .filter(|u| u.parent.is_none())
        .filter_map(|u| {
            let card = u.indicators.iter().find(|c| c.id == indicator.id)?;
            let mut points: Vec<(f64, f64)> = card
                .series
                .iter()
                .filter(|p| p.value.is_finite())
                .map(|p| (p.period.mid_year(), p.value))
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            (!points.is_empty()).then_some((u, points))
        })
        .collect()
}

/// The threshold in force in every year from the first anchor or value to the final target
/// year, at the middle of each year; empty when the final target is not numeric.
fn trajectory(ctx: &Context<'_>, indicator: &Indicator) -> Vec<(f64, f64)> {
    let (Some(first), Some(last)) = (indicator.targets.first(), indicator.targets.last()) else {
        return Vec::new();
    };
    let base = |year: i32| {
        indicator
            .baseline
            .filter(|b| b.year == year)
            .map(|b| b.value)
            .or_else(|| {
                ctx.card
                    .units
                    .iter()
                    .filter(|u| u.parent.is_none())
                    .filter_map(|u| u.indicators.iter().find(|c| c.id == indicator.id))
                    .flat_map(|c| c.series.iter())
                    .find(|p| p.period == Period::Year(year))
                    .map(|p| p.value)
            })
    };
    let threshold = |year: i32| {
        let in_force = target_in_force(&indicator.targets, year)?;
        let from = match in_force.target {
            Target::Reduce { from, .. } | Target::Increase { from, .. } => Some(from),
            _ => None,
        };
        resolve_threshold(&in_force.target, from.and_then(base))
            .map(|(_, t)| t)
            .filter(|t| t.is_finite())
    };
    if threshold(last.year).is_none() {
        return Vec::new();
    }
    let earliest = lines(ctx, indicator)
        .iter()
        .filter_map(|(_, p)| p.first().map(|(t, _)| t.floor() as i32))
        .min()
        .unwrap_or(first.year);
    let start = earliest.min(first.year).max(last.year.saturating_sub(60));
    (start..=last.year)
        .filter_map(|y| threshold(y).map(|t| (f64::from(y) + 0.5, t)))
        .collect()
}

pub fn chart(ctx: &Context<'_>, name: String, k: usize) -> Result<Chart, ChartError> {
    let lang = ctx.lang;
    let Some(indicator) = ctx.c.indicators.get(k) else {
        return Err(ChartError::Draw {
            name,
            message: format!("no indicator number {k} in the catalogue"),
        });
    };
    let target = trajectory(ctx, indicator);
    let final_year = indicator.targets.last().map_or(0, |a| a.year);
    let percent = indicator.unit == UnitKind::Percent;
    let fmt = |v: f64| {
        if percent {
            labels::percent(v, lang)
        } else {
            labels::number(v, if (v - v.round()).abs() < 1e-9 { 0 } else { 2 }, lang)
        }
    };
    let mut legend = Vec::new();
    let mut out = Vec::new();
    for (i, (unit, points)) in lines(ctx, indicator).into_iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let card = unit.indicators.iter().find(|c| c.id == indicator.id);
        let forecast = card.and_then(|c| c.forecast.as_ref()).and_then(|f| {
            let value = f.value.filter(|v| v.is_finite())?;
            let from = *points.last()?;
            let label = format!("{}: {} · {}", f.year, fmt(value), f.status.label(lang));
            // the projection's own period (SPEC §5.6: December of Yf for a monthly series)
            let at = f
                .period
                .map_or(f64::from(f.year) + 0.5, crate::data::Period::mid_year);
            Some(Forecast {
                from,
                to: (at, value),
                label,
            })
        });
        legend.push(LegendItem::new(colour, unit.name.clone(), Mark::Line));
        out.push(Line {
            colour,
            points,
            forecast,
        });
    }
    legend.push(LegendItem::new(
        canvas::INK,
        ctx.l("Mục tiêu", "Target"),
        Mark::Dashed,
    ));
    if out.iter().any(|l| l.forecast.is_some()) {
        legend.push(LegendItem::new(
            canvas::MUTED,
            ctx.l(
                "Dự báo (đường đứt nét cùng màu)",
                "Forecast (dashed, same colour)",
            ),
            Mark::Dashed,
        ));
    }
    let label = indicator_label(indicator);
    let title = format!("{} — {label}", ctx.l("Xu hướng", "Trend"));
    let header = Header::new(&title, &ctx.subtitle, legend, WIDTH);

    let xs = out
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .chain(target.iter().map(|p| p.0));
    let (x_min, x_max) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    let first_year = x_min.floor() as i32;
    let last_year = (x_max.floor() as i32).max(final_year).max(first_year);
    let span = last_year - first_year + 1;
    let step = (span / 12 + 1).max(1) as usize;
    // a tick and its label at the start of each year, so that January–October 2026 read as 2026;
    // yearly values and targets sit at mid-year, between their year's tick and the next
    let years: Vec<f64> = (first_year..=last_year)
        .step_by(step)
        .map(f64::from)
        .collect();
    let ys: Vec<f64> = out
        .iter()
        .flat_map(|l| {
            l.points
                .iter()
                .map(|p| p.1)
                .chain(l.forecast.iter().flat_map(|f| [f.from.1, f.to.1]))
        })
        .chain(target.iter().map(|p| p.1))
        .collect();
    let y = y_range(&ys, indicator.limits);
    let anchors = indicator
        .targets
        .iter()
        .filter_map(|a| {
            let t = target
                .iter()
                .find(|p| (p.0 - (f64::from(a.year) + 0.5)).abs() < 1e-9)?;
            Some(*t)
        })
        .collect();
    let y_desc = if percent {
        "%".to_string()
    } else {
        indicator
            .unit_label
            .clone()
            .unwrap_or_else(|| ctx.l("Giá trị", "Value").to_string())
    };
    let trend = Trend {
        header,
        lines: out,
        target,
        anchors,
        // a little room left of a value in early January
        x: (f64::from(first_year) - 0.08, f64::from(last_year) + 1.0),
        years,
        y,
        percent,
        lang,
        x_desc: ctx.l("Năm", "Year").to_string(),
        y_desc,
    };
    canvas::render(name, title, &trend)
}

/// The value axis: the data with a margin, kept inside the indicator's limits where the data is.
pub fn y_range(values: &[f64], limits: (f64, f64)) -> (f64, f64) {
    let (lo, hi) = values
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        });
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi > lo {
        (hi - lo) * 0.08
    } else {
        hi.abs().max(1.0) * 0.1
    };
    let mut bottom = lo - pad;
    let mut top = hi + pad;
    if bottom < limits.0 && lo >= limits.0 {
        bottom = limits.0;
    }
    if top > limits.1 && hi <= limits.1 {
        top = limits.1;
    }
    if top <= bottom {
        top = bottom + 1.0;
    }
    (bottom, top)
}

impl Drawing for Trend {
    fn size(&self) -> (u32, u32) {
        (WIDTH, (self.header.height() + BODY_H).max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, pen: &Canvas<'_, DB>) -> DrawResult<DB> {
        self.header.draw(pen)?;
        let (_, body) = pen.area.split_vertically(self.header.height());
        let label_style = canvas::style(SMALL, false, &canvas::INK, HPos::Center, VPos::Top);
        let mut chart = ChartBuilder::on(&body)
            .margin_left(PAD + 24)
            .margin_right(PAD + 8)
            .margin_top(6)
            .margin_bottom(PAD + 24)
            .x_label_area_size(28)
            .y_label_area_size(64)
            .build_cartesian_2d(
                Years {
                    from: self.x.0,
                    to: self.x.1,
                    ticks: self.years.clone(),
                },
                self.y.0..self.y.1,
            )?;
        let lang = self.lang;
        let percent = self.percent;
        let year = |x: &f64| format!("{}", x.floor() as i64);
        let value = |v: &f64| {
            let decimals = if (self.y.1 - self.y.0) < 5.0 { 2 } else { 0 };
            let s = labels::number(*v, decimals, lang);
            if percent {
                format!("{s}%")
            } else {
                s
            }
        };
        chart
            .configure_mesh()
            .x_label_formatter(&year)
            .y_label_formatter(&value)
            .label_style(label_style)
            .bold_line_style(canvas::GRID)
            .light_line_style(WHITE)
            .axis_style(canvas::MUTED)
            .draw()?;
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        pen.text(
            &self.x_desc,
            ((xs.start + xs.end) / 2, ys.end + 30),
            LABEL,
            false,
            &canvas::INK,
            HPos::Center,
            VPos::Top,
        )?;
        pen.text_up(
            &self.y_desc,
            (
                PAD + 8,
                (ys.start + ys.end) / 2 + canvas::text_width(&self.y_desc, LABEL, false) / 2,
            ),
            LABEL,
            &canvas::INK,
        )?;
        chart.draw_series(DashedLineSeries::new(
            self.target.iter().copied(),
            8,
            5,
            canvas::INK.stroke_width(2),
        ))?;
        chart.draw_series(
            self.anchors
                .iter()
                .map(|p| Circle::new(*p, 5, canvas::INK.stroke_width(2))),
        )?;
        for line in &self.lines {
            if let Some(Forecast { from, to, .. }) = &line.forecast {
                chart.draw_series(DashedLineSeries::new(
                    [*from, *to],
                    7,
                    5,
                    line.colour.stroke_width(2),
                ))?;
                chart.draw_series(std::iter::once(Circle::new(
                    *to,
                    5,
                    line.colour.stroke_width(2),
                )))?;
            }
            chart.draw_series(LineSeries::new(
                line.points.iter().copied(),
                line.colour.stroke_width(3),
            ))?;
            chart.draw_series(
                line.points
                    .iter()
                    .map(|p| Circle::new(*p, 4, line.colour.filled())),
            )?;
        }
        // forecast labels last, above the lines, ending at their point
        for line in &self.lines {
            if let Some(Forecast { to, label, .. }) = &line.forecast {
                let (x, y) = chart.backend_coord(to);
                pen.text(
                    label,
                    (x - 6, y - 10),
                    SMALL,
                    false,
                    &line.colour,
                    HPos::Right,
                    VPos::Bottom,
                )?;
            }
        }
        Ok(())
    }
}

/// A time axis in fractional years whose ticks sit in the middle of each year, under that
/// year's values (plotters' own `f64` axis would tick at round numbers, the start of a year).
struct Years {
    from: f64,
    to: f64,
    ticks: Vec<f64>,
}

impl Ranged for Years {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, (lo, hi): (i32, i32)) -> i32 {
        if self.to <= self.from {
            return (lo + hi) / 2;
        }
        let share = (value - self.from) / (self.to - self.from);
        lo + (f64::from(hi - lo) * share).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.from..self.to
    }
}

#[cfg(test)]
mod tests {
    use super::y_range;

    #[test]
    fn value_axes() {
        // (values, limits, expected axis)
        type Case = (&'static [f64], (f64, f64), (f64, f64));
        let cases: [Case; 4] = [
            // percentages near the top stop at 100
            (&[90.0, 95.0, 100.0], (0.0, 100.0), (89.2, 100.0)),
            // the margin may not dip under 0 when the data does not
            (&[0.0, 50.0], (0.0, 100.0), (0.0, 54.0)),
            // one value: ±10 %
            (&[20.0], (0.0, f64::INFINITY), (18.0, 22.0)),
            (&[], (0.0, 100.0), (0.0, 1.0)),
        ];
        for (values, limits, (lo, hi)) in cases {
            let (a, b) = y_range(values, limits);
            assert!(
                (a - lo).abs() < 1e-9 && (b - hi).abs() < 1e-9,
                "{values:?}: {a} {b}"
            );
        }
    }
}
