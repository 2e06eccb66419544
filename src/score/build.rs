//! Building the scorecard of a run (SPEC §5, §7.1): for every unit and indicator the target in
//! force, attainment, status, gap, points and forecast; unit and group scores, grades, ranks in
//! peer sets, task and report counts. The types it fills are `scorecard`'s; the rules it applies
//! are `rules`'s.

use std::collections::HashMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::attainment::{attainment, gap, resolve_threshold, status};
use super::change::{change, Standing};
use super::forecast::forecast;
use super::points::{grade, max_points, unit_score, Item};
use super::rank::competition_ranks;
use super::rules::empty_denominator;
use super::rules::needed::needed;
use super::rules::rounding as rules;
use super::status::Status;
use super::target_in_force;
use crate::cycle::{report_status, ReportCounts};
use crate::data::{Data, Period};
use crate::definition::{Catalogue, Indicator, Measure, Op, Target, UnitKind};
use crate::eval::values::{Reason, Value, Values};
use crate::tasks::status::{task_status, TaskCounts, TaskStatus};

use super::scorecard::*;

/// The options of one run.
#[derive(Debug, Clone, Copy)]
pub struct RunSpec {
    pub period: Period,
    pub as_of: NaiveDate,
    pub cumulative: bool,
}

/// Scores `catalogue` on `data` for one period, with each unit's change since the previous
/// period of the same granularity.
pub fn build(c: &Catalogue, data: &Data, values: &Values<'_>, spec: RunSpec) -> Scorecard {
    let (reports, counts) = compliance(c, data, spec);
    let before_spec = RunSpec {
        period: spec.period.previous(),
        as_of: spec.period.previous().end(),
        ..spec
    };
    // the previous period's compliance is needed only to score it again for the change
    let uses_compliance = c
        .indicators
        .iter()
        .any(|i| matches!(i.measure, Measure::ReportOnTimeRate));
    let counts_before = if uses_compliance {
        compliance(c, data, before_spec).1
    } else {
        Vec::new()
    };
    let standing = |card: &UnitCard| Standing {
        score: card.score,
        rank: card.rank,
    };
    // the previous period's cards, scored first and kept only as what the change needs (each
    // unit's standing and group points): the two sets of cards are not held at once
    let before: Vec<(Option<Standing>, Vec<f64>)> =
        unit_cards(c, data, values, before_spec, &counts_before)
            .iter()
            .map(|then| {
                // a unit without any figure then has no score then, whatever `missing` says
                let scored_then = then.coverage.is_some_and(|c| c > 0.0);
                (
                    scored_then.then(|| standing(then)),
                    then.groups.iter().map(|g| g.earned).collect(),
                )
            })
            .collect();
    let mut cards = unit_cards(c, data, values, spec, &counts);
    for (now, (was, earned_then)) in cards.iter_mut().zip(&before) {
        let moved = change(standing(now), was.unwrap_or_default());
        now.score_change = moved.score_change;
        now.rank_change = moved.rank_change;
        for (g, then) in now.groups.iter_mut().zip(earned_then) {
            g.earned_change = was
                .is_some()
                .then(|| rules::sum_of_rounded(g.earned - then, &c.rounding));
        }
    }
    let tasks = task_lines(c, data, spec.as_of, &mut cards);
    if !c.reports.is_empty() {
        for (card, n) in cards.iter_mut().zip(&counts) {
            card.reports = Some(ReportSummary {
                counts: *n,
                on_time_rate: n.on_time_rate(),
            });
        }
    }
    Scorecard {
        chitieu: env!("CARGO_PKG_VERSION"),
        catalogue: CatalogueRef {
            id: c.id.clone(),
            title: c.title.clone(),
        },
        period: spec.period,
        as_of: spec.as_of,
        cumulative: spec.cumulative,
        history: None,
        alerts: None,
        peer_sets: peer_sets(&cards),
        units: cards,
        tasks,
        reports,
        focus: None,
        reconciliation: None,
    }
}

/// Every unit's card for one period: indicators, groups, score, grade, rank (no tasks, no
/// change). `reports` holds each unit's report counts (descendants' included) for the
/// `report_on_time_rate` indicators.
fn unit_cards(
    c: &Catalogue,
    data: &Data,
    values: &Values<'_>,
    spec: RunSpec,
    reports: &[ReportCounts],
) -> Vec<UnitCard> {
    let units = data.units.list();
    let max = max_points(c);
    let year = spec.period.year();
    // cells[k][u]: the indicators are independent of one another, each on a core of rayon's
    // pool (at national month grain each reads 4,114 units' monthly sums for its series)
    let cells: Vec<Vec<IndicatorCard>> = c
        .indicators
        .par_iter()
        .enumerate()
        .map(|(k, indicator)| {
            let builtin = matches!(indicator.measure, Measure::ReportOnTimeRate);
            let now = if builtin {
                on_time_values(reports, units.len())
            } else {
                values.indicator_at(k, spec.period)
            };
            let series = if builtin {
                Vec::new()
            } else {
                forecast_series(values, k, spec.period)
            };
            let baselines = baseline_years(indicator)
                .into_iter()
                .map(|y| (y, values.indicator_at(k, Period::Year(y))))
                .collect::<HashMap<_, _>>();
            (0..units.len())
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
                    let mut card = if indicator.applies_to_level(&units[u].level) {
                        indicator_card(c, indicator, &now[u], year, max[k], &baseline_of, &points)
                    } else {
                        not_for_level(c, indicator, &now[u])
                    };
                    card.points_lost = card
                        .earned
                        .filter(|_| card.status != Status::KhongCham)
                        .map(|e| rules::points_lost(card.points, e, &indicator.rounding_in(c)));
                    if units[u].parent.is_none() {
                        card.series = series
                            .iter()
                            .filter_map(|(p, v)| {
                                v[u].value.map(|value| SeriesPoint { period: *p, value })
                            })
                            .collect();
                    }
                    card
                })
                .collect::<Vec<IndicatorCard>>()
        })
        .collect();
    // transposed to cards[u][k], each card moved (not copied) into its unit
    let mut by_indicator: Vec<std::vec::IntoIter<IndicatorCard>> =
        cells.into_iter().map(Vec::into_iter).collect();
    let by_unit: Vec<Vec<IndicatorCard>> = units
        .iter()
        .map(|_| {
            let mut indicators = Vec::with_capacity(by_indicator.len());
            indicators.extend(by_indicator.iter_mut().filter_map(Iterator::next));
            indicators
        })
        .collect();
    // each unit's totals and groups, the units on every core
    let mut cards: Vec<UnitCard> = by_unit
        .into_par_iter()
        .zip(units)
        .map(|(indicators, unit)| unit_card(c, unit, indicators))
        .collect();
    let sets = peer_sets(&cards);
    rank_peers(&mut cards, &sets);
    cards
}

/// A unit's card from its indicators' cards: its total and group scores, its grade (ranks come
/// after, from every unit's).
fn unit_card(
    c: &Catalogue,
    unit: &crate::data::units::Unit,
    indicators: Vec<IndicatorCard>,
) -> UnitCard {
    let items = |only: Option<&str>| -> Vec<Item> {
        c.indicators
            .iter()
            .zip(&indicators)
            .filter(|(i, _)| only.is_none_or(|g| i.group.as_deref() == Some(g)))
            .filter(|(i, card)| card.status != Status::KhongCham && !i.is_tracked())
            .map(|(i, card)| {
                let no_data = card.status == Status::KhongCoDuLieu;
                Item {
                    max: card.points,
                    earned: card.earned.unwrap_or(0.0),
                    has_data: !no_data,
                    kept: empty_denominator::kept_in_sums(
                        i.zero_denominator,
                        card.status,
                        card.denominator,
                    ),
                }
            })
            .collect()
    };
    let sum = |x: f64| rules::sum_of_rounded(x, &c.rounding);
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
                earned: sum(s.earned),
                published: None,
                differs: None,
                max: s.max,
                points_lost: sum((s.max - s.earned).max(0.0)),
                earned_change: None,
                since_previous: None,
            }
        })
        .collect();
    UnitCard {
        id: unit.id.clone(),
        name: unit.name.clone(),
        level: unit.level.clone(),
        parent: unit.parent.clone(),
        score: total.score,
        grade: grade(total.score, total.coverage, &c.grades, c.min_coverage),
        rank: None,
        rank_of: None,
        coverage: total.coverage,
        since_previous: None,
        since: None,
        score_change: None,
        rank_change: None,
        groups,
        indicators,
        tasks: TaskSummary::default(),
        reports: None,
        published: None,
        differs: None,
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
    let periods = values.periods_of(k, until);
    let series = values.series_at(k, &periods);
    periods.into_iter().zip(series).collect()
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
    let rounding = indicator.rounding_in(c);
    let mut card = IndicatorCard {
        since_previous: None,
        id: indicator.id.clone(),
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
        period_used: v.period_used,
        target: None,
        met: None,
        attainment: None,
        points: 0.0,
        earned: None,
        points_lost: None,
        needed: None,
        status: Status::KhongCham,
        gap: None,
        scoring: scoring_rule,
        forecast: None,
        reason: v.reason,
        series: Vec::new(),
        share: indicator.unit == UnitKind::Boolean && v.share,
        published: None,
        differs: None,
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
        op: resolved.map(|(op, _)| op).or(match in_force.target {
            Target::Reduce { .. } => Some(Op::Le),
            Target::Increase { .. } => Some(Op::Ge),
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
    card.status = Status::KhongCoDuLieu;
    let Some((op, threshold)) = resolved else {
        card.reason.get_or_insert(Reason::NoBaseline);
        return card;
    };
    card.forecast = forecast_of(indicator, series, baseline_of);
    let Some(value) = v.value else {
        if let Some(full) = empty_denominator::without_value(
            indicator.zero_denominator,
            v.denominator,
            max_points,
            &rounding,
        ) {
            card.status = full.status;
            card.attainment = Some(full.attainment);
            card.earned = Some(full.earned);
            card.reason = None;
        }
        return card;
    };
    // a rolled-up boolean is a share in %; its attainment is the share / 100; a % value is
    // rounded first when the indicator's rounding says so
    let scored_value = if card.share {
        value / 100.0
    } else if indicator.unit == UnitKind::Percent {
        rules::rounded_value(value, &rounding)
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
    card.earned = Some(rules::earned(max_points, a.attainment, &rounding));
    if let (UnitKind::Percent, Some(n), Some(d), false) =
        (indicator.unit, v.numerator, v.denominator, a.met)
    {
        card.needed = needed(n, d, op, threshold, &|x| rules::rounded_value(x, &rounding));
    }
    card.status = status(a.met, a.attainment, c.near);
    card.gap = Some(gap(scored_value, threshold));
    card.scoring = a.scoring;
    card
}

/// The card of an indicator whose `levels` leave the unit out (SPEC §6.1): the value the
/// hierarchy gives it is shown, nothing is scored (`khong_cham`, no points, no target), so it is
/// in neither the unit's score nor its coverage.
fn not_for_level(c: &Catalogue, indicator: &Indicator, v: &Value) -> IndicatorCard {
    IndicatorCard {
        since_previous: None,
        id: indicator.id.clone(),
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
        period_used: v.period_used,
        target: None,
        met: None,
        attainment: None,
        points: 0.0,
        earned: None,
        points_lost: None,
        needed: None,
        status: Status::KhongCham,
        gap: None,
        scoring: indicator.scoring.unwrap_or(c.scoring),
        forecast: None,
        reason: Some(Reason::NotForLevel),
        series: Vec::new(),
        share: indicator.unit == UnitKind::Boolean && v.share,
        published: None,
        differs: None,
    }
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
        period: f.value.and(to),
        value: f.value,
        status: f.status,
    })
}

/// Ranks units among their peer set (SPEC §5.5).
fn rank_peers(cards: &mut [UnitCard], sets: &[PeerSet]) {
    for members in sets.iter().map(|s| &s.members) {
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
                status: s,
                due: task.deadline.due_at(as_of),
                completed_on: row.and_then(|r| r.completed_on),
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

/// The value of a `report_on_time_rate` indicator for each unit: 100 × on_time / (on_time +
/// late + missing) with those as numerator and denominator; no value (a denominator of 0) when
/// none of its reports is due.
fn on_time_values(reports: &[ReportCounts], units: usize) -> Vec<Value> {
    (0..units)
        .map(|u| {
            let n = reports.get(u).copied().unwrap_or_default();
            let whole = (n.on_time + n.late + n.missing) as f64;
            Value {
                value: n.on_time_rate(),
                numerator: Some(n.on_time as f64),
                denominator: Some(whole),
                reason: (whole == 0.0).then_some(Reason::ZeroDenominator),
                ..Value::default()
            }
        })
        .collect()
}

/// Every report each unit owes from the start of the period's year up to the period, with its
/// status at the as-of date, and each unit's counts, its descendants' included (SPEC §6.1).
///
/// A report counts as sent on its submissions.csv date; without one, on the latest
/// `submitted_on` of the unit's reported.csv rows for that period whose indicator the report
/// carries (the report is in when its last figure is).
fn compliance(c: &Catalogue, data: &Data, spec: RunSpec) -> (Vec<ReportLine>, Vec<ReportCounts>) {
    if c.reports.is_empty() {
        return (Vec::new(), vec![ReportCounts::default(); data.units.len()]);
    }
    let mut sent: HashMap<(usize, usize, Period), NaiveDate> = HashMap::new();
    for row in &data.submissions {
        sent.insert((row.unit, row.report, row.period), row.submitted_on);
    }
    let mut from_figures: HashMap<(usize, usize, Period), NaiveDate> = HashMap::new();
    for row in data.reported.iter().filter(|r| r.submitted_on.is_some()) {
        let (Some(day), Some(indicator)) = (row.submitted_on, c.indicators.get(row.indicator))
        else {
            continue;
        };
        for (r, report) in c.reports.iter().enumerate() {
            if report.carries_indicator(indicator) {
                let e = from_figures.entry((row.unit, r, row.period)).or_insert(day);
                *e = (*e).max(day);
            }
        }
    }
    let units = data.units.list();
    let mut counts = vec![ReportCounts::default(); units.len()];
    let mut lines = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        for owed in crate::cycle::owed_until(c, &unit.id, &unit.level, spec.period) {
            let key = (u, owed.report, owed.period);
            let submitted_on = sent.get(&key).or(from_figures.get(&key)).copied();
            let (status, days_late) = report_status(owed.due, submitted_on, spec.as_of);
            counts[u].add(status);
            lines.push(ReportLine {
                report: c.reports[owed.report].id.clone(),
                unit: unit.id.clone(),
                period: owed.period,
                due: owed.due,
                submitted_on: submitted_on.filter(|d| *d <= spec.as_of),
                status,
                days_late,
            });
        }
    }
    for u in data.units.bottom_up() {
        if let Some(p) = data.units.parent(u) {
            let own = counts[u];
            counts[p].merge(&own);
        }
    }
    (lines, counts)
}
