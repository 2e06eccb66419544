//! Assembling the scorecard of a run (SPEC §5, §7.1): for every unit and indicator the target in
//! force, attainment, status, gap, points and forecast; unit and group scores, grades, ranks in
//! peer sets, and task counts. The JSON field names here are the stable interface.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::attainment::{attainment, gap, resolve_threshold, status};
use super::forecast::forecast;
use super::points::{grade, max_points, unit_score, Item};
use super::rank::competition_ranks;
use super::status::Status;
use super::target_in_force;
use crate::data::{Data, Period};
use crate::definition::{Catalogue, Indicator, Op, Target, UnitKind};
use crate::eval::values::{Value, Values};
use crate::tasks::status::{task_status, TaskCounts, TaskStatus};

#[derive(Debug, Clone, Serialize)]
pub struct Scorecard {
    pub chitieu: &'static str,
    pub catalogue: CatalogueRef,
    pub period: String,
    pub as_of: String,
    pub cumulative: bool,
    pub units: Vec<UnitCard>,
    /// Every (task, unit) assignment with its status at the as-of date.
    pub tasks: Vec<TaskLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CatalogueRef {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitCard {
    pub id: String,
    pub name: String,
    pub level: String,
    pub parent: Option<String>,
    pub score: Option<f64>,
    pub grade: Option<String>,
    pub rank: Option<usize>,
    pub rank_of: Option<usize>,
    pub coverage: Option<f64>,
    pub groups: Vec<GroupScore>,
    pub indicators: Vec<IndicatorCard>,
    pub tasks: TaskSummary,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupScore {
    pub id: String,
    pub score: Option<f64>,
    pub earned: f64,
    pub max: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorCard {
    pub id: String,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_used: Option<String>,
    pub target: Option<TargetJson>,
    pub met: Option<bool>,
    pub attainment: Option<f64>,
    pub points: f64,
    pub earned: Option<f64>,
    pub status: &'static str,
    pub gap: Option<f64>,
    pub scoring: &'static str,
    pub forecast: Option<ForecastJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Values at every period with figures up to P (for top-level units only: the trend
    /// charts' input).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<SeriesPoint>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeriesPoint {
    pub period: String,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetJson {
    pub op: Option<&'static str>,
    pub value: Option<f64>,
    pub year: i32,
    pub interpolated: bool,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForecastJson {
    pub year: i32,
    /// The period projected to (SPEC §5.6): `2030`, `2030-Q4`, `2026-12`; null without a value.
    pub period: Option<String>,
    pub value: Option<f64>,
    pub status: &'static str,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TaskSummary {
    pub total: usize,
    pub done_on_time: usize,
    pub done_late: usize,
    pub done: usize,
    pub in_time: usize,
    pub overdue: usize,
    pub no_deadline: usize,
    pub completion_rate: Option<f64>,
    pub on_time_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskLine {
    pub task: String,
    pub unit: String,
    pub status: &'static str,
    pub due: Option<String>,
    pub completed_on: Option<String>,
}

/// The options of one run.
#[derive(Debug, Clone, Copy)]
pub struct RunSpec {
    pub period: Period,
    pub as_of: NaiveDate,
    pub cumulative: bool,
}

/// Scores `catalogue` on `data` for one period.
pub fn build(c: &Catalogue, data: &Data, values: &Values<'_>, spec: RunSpec) -> Scorecard {
    let units = data.units.list();
    let max = max_points(c);
    let year = spec.period.year();
    // cells[k][u]
    let mut cells: Vec<Vec<IndicatorCard>> = Vec::with_capacity(c.indicators.len());
    for (k, indicator) in c.indicators.iter().enumerate() {
        let now = values.indicator_at(k, spec.period);
        let series = forecast_series(values, k, spec.period);
        let baselines = baseline_years(indicator)
            .into_iter()
            .map(|y| (y, values.indicator_at(k, Period::Year(y))))
            .collect::<HashMap<_, _>>();
        let row = (0..units.len())
            .map(|u| {
                let baseline_of = |y: i32| {
                    baselines
                        .get(&y)
                        .and_then(|v| v[u].value)
                        .or(indicator.baseline.filter(|b| b.year == y).map(|b| b.value))
                };
                let points: Vec<(Period, f64)> = series
                    .iter()
                    .filter_map(|(p, v)| v[u].value.map(|x| (*p, x)))
                    .collect();
                let mut card =
                    indicator_card(c, indicator, &now[u], year, max[k], &baseline_of, &points);
                if units[u].parent.is_none() {
                    card.series = series
                        .iter()
                        .filter_map(|(p, v)| {
                            v[u].value.map(|value| SeriesPoint {
                                period: p.to_string(),
                                value,
                            })
                        })
                        .collect();
                }
                card
            })
            .collect();
        cells.push(row);
    }
    let mut cards: Vec<UnitCard> = units
        .iter()
        .enumerate()
        .map(|(u, unit)| {
            let indicators: Vec<IndicatorCard> = cells.iter().map(|row| row[u].clone()).collect();
            let items = |only: Option<&str>| -> Vec<Item> {
                c.indicators
                    .iter()
                    .zip(&indicators)
                    .filter(|(i, _)| only.is_none_or(|g| i.group.as_deref() == Some(g)))
                    .filter(|(_, card)| card.status != Status::KhongCham.as_str())
                    .map(|(_, card)| Item {
                        max: card.points,
                        earned: card.earned.unwrap_or(0.0),
                        has_data: card.status != Status::KhongCoDuLieu.as_str(),
                    })
                    .collect()
            };
            let total = unit_score(&items(None), c.missing);
            let groups = c
                .groups
                .iter()
                .filter(|g| {
                    c.indicators
                        .iter()
                        .any(|i| i.group.as_deref() == Some(g.id.as_str()))
                })
                .map(|g| {
                    let s = unit_score(&items(Some(&g.id)), c.missing);
                    GroupScore {
                        id: g.id.clone(),
                        score: s.score,
                        earned: s.earned,
                        max: s.max,
                    }
                })
                .collect();
            UnitCard {
                id: unit.id.clone(),
                name: unit.name.clone(),
                level: unit.level.clone(),
                parent: unit.parent.clone(),
                score: total.score,
                grade: grade(total.score, total.coverage, &c.grades, c.min_coverage)
                    .map(str::to_string),
                rank: None,
                rank_of: None,
                coverage: total.coverage,
                groups,
                indicators,
                tasks: TaskSummary::default(),
            }
        })
        .collect();
    rank_peers(&mut cards);
    let tasks = task_lines(c, data, spec.as_of, &mut cards);
    Scorecard {
        chitieu: env!("CARGO_PKG_VERSION"),
        catalogue: CatalogueRef {
            id: c.id.clone(),
            title: c.title.clone(),
        },
        period: spec.period.to_string(),
        as_of: spec.as_of.format("%Y-%m-%d").to_string(),
        cumulative: spec.cumulative,
        units: cards,
        tasks,
    }
}

/// Years whose values serve as baselines: `reduce`/`increase` from-years and `baseline.year`.
fn baseline_years(indicator: &Indicator) -> Vec<i32> {
    let mut years: Vec<i32> = indicator
        .targets
        .iter()
        .filter_map(|a| match a.target {
            Target::Reduce { from, .. } | Target::Increase { from, .. } => Some(from),
            _ => None,
        })
        .chain(indicator.baseline.map(|b| b.year))
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// Values of indicator `k` at every period with figures up to `until` (the forecast input).
fn forecast_series(values: &Values<'_>, k: usize, until: Period) -> Vec<(Period, Vec<Value>)> {
    values
        .periods_of(k, until)
        .into_iter()
        .map(|p| (p, values.indicator_at(k, p)))
        .collect()
}

fn indicator_card(
    c: &Catalogue,
    indicator: &Indicator,
    v: &Value,
    year: i32,
    max_points: f64,
    baseline_of: &dyn Fn(i32) -> Option<f64>,
    series: &[(Period, f64)],
) -> IndicatorCard {
    let scoring_rule = indicator.scoring.unwrap_or(c.scoring);
    let mut card = IndicatorCard {
        id: indicator.id.clone(),
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
        period_used: v.period_used.map(|p| p.to_string()),
        target: None,
        met: None,
        attainment: None,
        points: 0.0,
        earned: None,
        status: Status::KhongCham.as_str(),
        gap: None,
        scoring: scoring_rule.as_str(),
        forecast: None,
        reason: v.reason.map(str::to_string),
        series: Vec::new(),
    };
    let Some(in_force) = target_in_force(&indicator.targets, year) else {
        return card;
    };
    let from_year = match in_force.target {
        Target::Reduce { from, .. } | Target::Increase { from, .. } => Some(from),
        _ => None,
    };
    let resolved = resolve_threshold(&in_force.target, from_year.and_then(baseline_of));
    card.target = Some(TargetJson {
        op: resolved
            .map(|(op, _)| op.as_str())
            .or(match in_force.target {
                Target::Reduce { .. } => Some(Op::Le.as_str()),
                Target::Increase { .. } => Some(Op::Ge.as_str()),
                _ => None,
            }),
        value: resolved.map(|(_, t)| t),
        year: in_force.year,
        interpolated: in_force.interpolated(),
        text: match &in_force.target {
            Target::Text(t) => Some(t.clone()),
            _ => None,
        },
    });
    if matches!(in_force.target, Target::Text(_)) {
        return card;
    }
    card.points = max_points;
    card.earned = Some(0.0);
    card.status = Status::KhongCoDuLieu.as_str();
    let Some((op, threshold)) = resolved else {
        card.reason
            .get_or_insert_with(|| "không xác định được giá trị gốc".to_string());
        return card;
    };
    card.forecast = forecast_of(indicator, series, baseline_of);
    let Some(value) = v.value else { return card };
    // a rolled-up boolean is a share in %; its attainment is the share / 100
    let scored_value = if indicator.unit == UnitKind::Boolean && v.share {
        value / 100.0
    } else {
        value
    };
    let baseline = indicator.baseline.and_then(|b| baseline_of(b.year));
    let a = attainment(
        indicator.unit,
        scoring_rule,
        op,
        threshold,
        scored_value,
        baseline,
    );
    card.met = Some(a.met);
    card.attainment = Some(a.attainment);
    card.earned = Some(a.attainment * max_points);
    card.status = status(a.met, a.attainment, c.near).as_str();
    card.gap = Some(gap(scored_value, threshold));
    card.scoring = a.scoring.as_str();
    card
}

/// The forecast towards the last anchor when it is numeric (SPEC §5.6).
fn forecast_of(
    indicator: &Indicator,
    series: &[(Period, f64)],
    baseline_of: &dyn Fn(i32) -> Option<f64>,
) -> Option<ForecastJson> {
    let last = indicator.targets.last()?;
    let from = match last.target {
        Target::Reduce { from, .. } | Target::Increase { from, .. } => Some(from),
        _ => None,
    };
    let (op, threshold) = resolve_threshold(&last.target, from.and_then(baseline_of))?;
    // the series is in period order; its latest period sets the grain of the projection
    let to = series
        .iter()
        .map(|(p, _)| *p)
        .max_by(|a, b| a.mid_year().total_cmp(&b.mid_year()))
        .map(|latest| crate::score::forecast::projection_period(last.year, latest));
    let points: Vec<(f64, f64)> = series.iter().map(|(p, v)| (p.mid_year(), *v)).collect();
    let at = to.map_or(f64::from(last.year) + 0.5, Period::mid_year);
    let f = forecast(&points, at, last.year, op, threshold, indicator.limits);
    Some(ForecastJson {
        year: f.year,
        period: f.value.and(to).map(|p| p.to_string()),
        value: f.value,
        status: f.status.as_str(),
    })
}

/// Ranks units among those with the same parent and level (SPEC §5.5).
fn rank_peers(cards: &mut [UnitCard]) {
    let mut sets: HashMap<(Option<String>, String), Vec<usize>> = HashMap::new();
    for (i, card) in cards.iter().enumerate() {
        sets.entry((card.parent.clone(), card.level.clone()))
            .or_default()
            .push(i);
    }
    for members in sets.values() {
        let scores: Vec<Option<f64>> = members.iter().map(|&i| cards[i].score).collect();
        let (ranks, rank_of) = competition_ranks(&scores);
        for (&i, rank) in members.iter().zip(ranks) {
            cards[i].rank = rank;
            cards[i].rank_of = rank.map(|_| rank_of);
        }
    }
}

/// Every (task, unit) assignment and its status; each unit's summary counts its own
/// assignments and those of its descendants.
fn task_lines(
    c: &Catalogue,
    data: &Data,
    as_of: NaiveDate,
    cards: &mut [UnitCard],
) -> Vec<TaskLine> {
    let mut reported: HashMap<(usize, usize), &crate::data::TaskRow> = HashMap::new();
    for row in &data.tasks {
        reported.insert((row.task, row.unit), row);
    }
    let mut counts = vec![TaskCounts::default(); cards.len()];
    let mut lines = Vec::new();
    for (t, task) in c.tasks.iter().enumerate() {
        let mut assigned: Vec<usize> = data
            .tasks
            .iter()
            .filter(|r| r.task == t)
            .map(|r| r.unit)
            .collect();
        if assigned.is_empty() {
            for lead in &task.lead {
                assigned.extend(data.units.by_name(lead));
            }
        }
        assigned.sort_unstable();
        assigned.dedup();
        for u in assigned {
            let row = reported.get(&(t, u));
            let s: TaskStatus = task_status(
                &task.deadline,
                row.map(|r| (r.progress, r.completed_on)),
                as_of,
            );
            counts[u].add(s);
            lines.push(TaskLine {
                task: task.id.clone(),
                unit: data.units.list()[u].id.clone(),
                status: s.as_str(),
                due: task
                    .deadline
                    .due_at(as_of)
                    .map(|d| d.format("%Y-%m-%d").to_string()),
                completed_on: row
                    .and_then(|r| r.completed_on)
                    .map(|d| d.format("%Y-%m-%d").to_string()),
            });
        }
    }
    // each unit's counts then include its descendants': children before parents, so that the
    // work grows with the units, not with their depth
    for u in data.units.bottom_up() {
        if let Some(p) = data.units.parent(u) {
            let own = counts[u];
            counts[p].merge(&own);
        }
    }
    for (card, n) in cards.iter_mut().zip(counts) {
        card.tasks = TaskSummary {
            total: n.total,
            done_on_time: n.done_on_time,
            done_late: n.done_late,
            done: n.done,
            in_time: n.in_time,
            overdue: n.overdue,
            no_deadline: n.no_deadline,
            completion_rate: n.completion_rate(),
            on_time_rate: n.on_time_rate(),
        };
    }
    lines
}

/// Test support for the renderers: `definitions` (file name, TOML text) loaded as a catalogue
/// (without any diagnostic) and `data` (file name, CSV text) as a data directory (without
/// errors), scored for the year 2026 as of `as_of`, from reported values only.
#[cfg(test)]
pub(crate) fn score_texts(
    definitions: &[(&str, &str)],
    data: &[(&str, &str)],
    as_of: NaiveDate,
) -> (Scorecard, Catalogue, crate::data::Units) {
    let loaded = crate::definition::load::load_from_strings(definitions);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let c = loaded.catalogue;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (name, text) in data {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    let load = crate::data::load_data(dir.path(), &c);
    assert!(!load.has_errors(), "{:?}", load.diagnostics);
    let data = load.data.unwrap_or_else(|| panic!("no data"));
    let values = Values::new(&c, &data, &[], false);
    let spec = RunSpec {
        period: Period::Year(2026),
        as_of,
        cumulative: false,
    };
    let card = build(&c, &data, &values, spec);
    (card, c, data.units)
}
