//! Assembling the scorecard of a run (SPEC §5, §7.1): for every unit and indicator the target in
//! force, attainment, status, gap, points and forecast; unit and group scores, grades, ranks in
//! peer sets, and task counts. The JSON field names here are the stable interface.

use std::collections::HashMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use super::attainment::{attainment, gap, resolve_threshold, status};
use super::change::{change, Standing};
use super::forecast::forecast;
use super::forecast::ForecastStatus;
use super::points::{grade, max_points, unit_score, Grade, Item};
use super::rank::competition_ranks;
use super::rules::empty_denominator;
use super::rules::needed::needed;
use super::rules::rounding as rules;
use super::status::Status;
use super::target_in_force;
use crate::cycle::{report_status, ReportCounts, ReportStatus};
use crate::data::{Data, Period};
use crate::definition::{Catalogue, Indicator, Measure, Op, Scoring, Target, UnitKind};
use crate::eval::values::{Reason, Value, Values};
use crate::tasks::status::{task_status, TaskCounts, TaskStatus};

#[derive(Debug, Clone, Serialize)]
pub struct Scorecard {
    pub chitieu: &'static str,
    pub catalogue: CatalogueRef,
    pub period: Period,
    #[serde(serialize_with = "iso_date")]
    pub as_of: NaiveDate,
    pub cumulative: bool,
    pub units: Vec<UnitCard>,
    /// Every (task, unit) assignment with its status at the as-of date.
    pub tasks: Vec<TaskLine>,
    /// Every (report, unit, reporting period) owed from the start of the period's year up to the
    /// period, with its status at the as-of date (SPEC §6.1); absent when the catalogue has no
    /// `[[report]]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reports: Vec<ReportLine>,
    /// The run's snapshot in the history and what it is compared with (SPEC §10.1); absent
    /// without a history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<super::monitoring::Monitoring>,
    /// The catalogue's alerts that fired (SPEC §10.3); absent without a history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alerts: Option<Vec<super::monitoring::Fired>>,
    /// The units ranked together (same parent, same level; SPEC §5.5), in units.csv order of
    /// their first member: the league tables and charts show these.
    #[serde(skip)]
    pub peer_sets: Vec<PeerSet>,
    /// Set on the view of one unit and its descendants taken from a larger run
    /// ([`Scorecard::focus`]); the page and the workbook say so.
    #[serde(skip)]
    pub focus: Option<super::focus::Focus>,
    /// Every figure against the one the scoreboard published (data's published.csv, SPEC §11);
    /// absent without published.csv.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reconciliation: Option<super::reconcile::Reconciliation>,
}

/// Units with the same parent and level (SPEC §5.5).
#[derive(Debug, Clone, PartialEq)]
pub struct PeerSet {
    pub level: String,
    pub parent: Option<String>,
    /// Indexes into [`Scorecard::units`], in units.csv order.
    pub members: Vec<usize>,
    /// The same members best rank first (the order of every league table and chart); equal
    /// ranks, and the unranked last, in units.csv order.
    pub by_rank: Vec<usize>,
}

impl Scorecard {
    /// Groups the units into peer sets again, after the units were edited (tests build
    /// scorecards by hand this way).
    pub fn regroup_peers(&mut self) {
        self.peer_sets = peer_sets(&self.units);
    }

    /// The task lines as every renderer lists them: overdue first (the oldest deadline first,
    /// undated ones after the dated), then open tasks, then done ones; otherwise the scorecard's
    /// order (catalogue order of tasks, then units).
    pub fn tasks_by_urgency(&self) -> Vec<&TaskLine> {
        let mut out: Vec<&TaskLine> = self.tasks.iter().collect();
        out.sort_by_key(|t| {
            let class = if t.status.is_overdue() {
                0
            } else if t.status.is_done() {
                2
            } else {
                1
            };
            let due = if class == 0 { t.due } else { None };
            (class, due.is_none(), due)
        });
        out
    }

    /// The report lines as every renderer lists them (SPEC §6.1: late and missing first):
    /// missing, then late, each the most days late first; then not yet due, then on time;
    /// otherwise the scorecard's order.
    pub fn reports_by_urgency(&self) -> Vec<&ReportLine> {
        let mut out: Vec<&ReportLine> = self.reports.iter().collect();
        out.sort_by_key(|r| {
            let class = ReportStatus::ALL
                .iter()
                .position(|s| *s == r.status)
                .unwrap_or(ReportStatus::ALL.len());
            (class, std::cmp::Reverse(r.days_late.unwrap_or(0)))
        });
        out
    }

    /// Each unit's own report counts (not its descendants'), the units with reports missing or
    /// late first (most missing, then most late), then in units.csv order; units that owe none
    /// are left out. The report section and the `reports` chart list units in this order.
    pub fn report_counts_by_unit(&self) -> Vec<(&UnitCard, ReportCounts)> {
        let mut own: HashMap<&str, ReportCounts> = HashMap::new();
        for line in &self.reports {
            own.entry(line.unit.as_str()).or_default().add(line.status);
        }
        let mut out: Vec<(&UnitCard, ReportCounts)> = self
            .units
            .iter()
            .filter_map(|u| own.get(u.id.as_str()).map(|n| (u, *n)))
            .collect();
        out.sort_by_key(|(_, n)| {
            (
                std::cmp::Reverse(n.missing_or_late()),
                std::cmp::Reverse(n.missing),
                std::cmp::Reverse(n.late),
            )
        });
        out
    }

    /// The units with reports missing or late, in the order of [`report_counts_by_unit`]
    /// (most missing first).
    ///
    /// [`report_counts_by_unit`]: Scorecard::report_counts_by_unit
    pub fn units_missing_or_late(&self) -> Vec<(&UnitCard, ReportCounts)> {
        self.report_counts_by_unit()
            .into_iter()
            .filter(|(_, n)| n.missing_or_late())
            .collect()
    }

    /// How many (report, unit, period) lines have each status, in the order of
    /// [`ReportStatus::ALL`].
    pub fn reports_by_status(&self) -> Vec<(ReportStatus, usize)> {
        ReportStatus::ALL
            .iter()
            .map(|&st| (st, self.reports.iter().filter(|r| r.status == st).count()))
            .collect()
    }

    /// Unit names by unit id.
    pub fn unit_names(&self) -> HashMap<&str, &str> {
        self.units
            .iter()
            .map(|u| (u.id.as_str(), u.name.as_str()))
            .collect()
    }

    /// The index of the largest peer set (the first of equals), which the league chart shows.
    pub fn largest_peer_set(&self) -> Option<usize> {
        self.peer_sets
            .iter()
            .enumerate()
            .fold(None::<(usize, usize)>, |best, (i, s)| match best {
                Some((_, n)) if n >= s.members.len() => best,
                _ => Some((i, s.members.len())),
            })
            .map(|(i, _)| i)
    }
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
    pub grade: Option<Grade>,
    pub rank: Option<usize>,
    pub rank_of: Option<usize>,
    pub coverage: Option<f64>,
    /// Score now − score in the previous period of the same granularity, in points; null when
    /// the data gives no score then (SPEC §5.7).
    pub score_change: Option<f64>,
    /// Places moved up since the previous period (positive = up); null without both ranks.
    pub rank_change: Option<i64>,
    /// Change since the previous snapshot of the same period (SPEC §10.2); absent without a
    /// history or before the first snapshot's successor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_previous: Option<super::monitoring::ChangeJson>,
    /// Change since the snapshot of `--since`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<super::monitoring::ChangeJson>,
    pub groups: Vec<GroupScore>,
    pub indicators: Vec<IndicatorCard>,
    pub tasks: TaskSummary,
    /// The unit's reports and its descendants' (SPEC §6.1); absent when the catalogue has no
    /// `[[report]]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports: Option<ReportSummary>,
    /// The total and rank the scoreboard published (SPEC §11); absent when it published none
    /// that could be compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<PublishedTotal>,
    /// Whether the score or rank differs from the published one, to the cent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub differs: Option<bool>,
}

/// A unit's total and rank as the scoreboard published them (SPEC §11).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedTotal {
    pub score: Option<f64>,
    pub rank: Option<usize>,
    pub rank_of: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupScore {
    pub id: String,
    pub score: Option<f64>,
    pub earned: f64,
    pub max: f64,
    /// max − earned.
    pub points_lost: f64,
    /// The points the scoreboard published (SPEC §11); absent when it published none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<f64>,
    /// Whether `earned` differs from `published`, to the cent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub differs: Option<bool>,
    /// Earned now − earned in the previous period; null when the unit had no score then.
    pub earned_change: Option<f64>,
    /// Change since the previous snapshot (SPEC §10.2); absent without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_previous: Option<super::monitoring::ChangeJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorCard {
    pub id: String,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period_used: Option<Period>,
    pub target: Option<TargetJson>,
    pub met: Option<bool>,
    pub attainment: Option<f64>,
    pub points: f64,
    pub earned: Option<f64>,
    /// points − earned for a scored indicator (SPEC §5.7).
    pub points_lost: Option<f64>,
    /// For a % value from a numerator and denominator that misses its target: the fewest
    /// additional numerator records that meet it at the same denominator (SPEC §5.7).
    pub needed: Option<u64>,
    pub status: Status,
    pub gap: Option<f64>,
    pub scoring: Scoring,
    pub forecast: Option<ForecastJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// The points the scoreboard published (SPEC §11); absent when it published none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<f64>,
    /// Whether `earned` differs from `published`, to the cent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub differs: Option<bool>,
    /// Values at every period with figures up to P (for top-level units only: the trend
    /// charts' input).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<SeriesPoint>,
    /// The value of a boolean indicator is a rolled-up share in % (SPEC §5.2), not 1 / 0.
    #[serde(skip)]
    pub share: bool,
    /// Change since the previous snapshot (SPEC §10.2); absent without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_previous: Option<super::monitoring::ChangeJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeriesPoint {
    pub period: Period,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetJson {
    pub op: Option<Op>,
    pub value: Option<f64>,
    pub year: i32,
    pub interpolated: bool,
    pub text: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForecastJson {
    pub year: i32,
    /// The period projected to (SPEC §5.6): `2030`, `2030-Q4`, `2026-12`; null without a value.
    pub period: Option<Period>,
    pub value: Option<f64>,
    pub status: ForecastStatus,
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

/// A unit's report counts (its own and its descendants') and on-time rate (SPEC §6.1).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportSummary {
    #[serde(flatten)]
    pub counts: ReportCounts,
    /// 100 × on_time / (on_time + late + missing); null when none is due.
    pub on_time_rate: Option<f64>,
}

/// One report a unit owes for one reporting period, and where it stands at the as-of date.
#[derive(Debug, Clone, Serialize)]
pub struct ReportLine {
    pub report: String,
    pub unit: String,
    pub period: Period,
    #[serde(serialize_with = "iso_date")]
    pub due: NaiveDate,
    #[serde(serialize_with = "iso_date_opt")]
    pub submitted_on: Option<NaiveDate>,
    pub status: ReportStatus,
    /// Days after the due date: of the sending (`tre_han`), or so far (`chua_nop`).
    pub days_late: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskLine {
    pub task: String,
    pub unit: String,
    pub status: TaskStatus,
    #[serde(serialize_with = "iso_date_opt")]
    pub due: Option<NaiveDate>,
    #[serde(serialize_with = "iso_date_opt")]
    pub completed_on: Option<NaiveDate>,
}

/// A date as the JSON writes it: `2026-06-30`.
fn iso_date<S: serde::Serializer>(d: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&d.format("%Y-%m-%d"))
}

fn iso_date_opt<S: serde::Serializer>(
    d: &Option<NaiveDate>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => iso_date(d, serializer),
        None => serializer.serialize_none(),
    }
}

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
    let mut cards = unit_cards(c, data, values, spec, &counts);
    let before = unit_cards(c, data, values, before_spec, &counts_before);
    for (now, before) in cards.iter_mut().zip(&before) {
        // a unit without any figure then has no score then, whatever `missing` says
        let scored_then = before.coverage.is_some_and(|c| c > 0.0);
        let standing = |card: &UnitCard| Standing {
            score: card.score,
            rank: card.rank,
        };
        let was = if scored_then {
            standing(before)
        } else {
            Standing::default()
        };
        let moved = change(standing(now), was);
        now.score_change = moved.score_change;
        now.rank_change = moved.rank_change;
        for (g, then) in now.groups.iter_mut().zip(&before.groups) {
            g.earned_change =
                scored_then.then(|| rules::sum_of_rounded(g.earned - then.earned, &c.rounding));
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
    let mut cards: Vec<UnitCard> = units
        .iter()
        .map(|unit| {
            let indicators: Vec<IndicatorCard> =
                by_indicator.iter_mut().filter_map(Iterator::next).collect();
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
        })
        .collect();
    let sets = peer_sets(&cards);
    rank_peers(&mut cards, &sets);
    cards
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

/// The peer sets of the units, in units.csv order of their first member.
pub(super) fn peer_sets(cards: &[UnitCard]) -> Vec<PeerSet> {
    let mut sets: Vec<PeerSet> = Vec::new();
    let mut index: HashMap<(Option<&str>, &str), usize> = HashMap::new();
    for (u, card) in cards.iter().enumerate() {
        let key = (card.parent.as_deref(), card.level.as_str());
        match index.get(&key) {
            Some(&k) => sets[k].members.push(u),
            None => {
                index.insert(key, sets.len());
                sets.push(PeerSet {
                    level: card.level.clone(),
                    parent: card.parent.clone(),
                    members: vec![u],
                    by_rank: Vec::new(),
                });
            }
        }
    }
    for set in &mut sets {
        set.by_rank = set.members.clone();
        set.by_rank
            .sort_by_key(|&u| cards[u].rank.unwrap_or(usize::MAX));
    }
    sets
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
    let data = super::admit(load).data.unwrap_or_else(|| panic!("no data"));
    let opts = super::RunOptions {
        period: Some(Period::Year(2026)),
        as_of: Some(as_of),
        ..Default::default()
    };
    let card = super::run(&c, &data, &opts).unwrap_or_else(|e| panic!("{e}"));
    (card, c, data.data().units.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOGUE: &str = r#"
id = "bang-diem"
title = "Bảng điểm"
[rounding]
points = 2
[[group]]
id = "hl"
name = "Mức độ hài lòng"
"#;
    const INDICATORS: &str = r#"
[[indicator]]
id = "dung-han"
name = "Tỷ lệ phản ánh xử lý đúng hạn"
group = "hl"
unit = "%"
direction = "higher"
points = 6
zero_denominator = "full"
[indicator.targets]
2025 = ">= 100"

[[indicator]]
id = "hai-long"
name = "Tỷ lệ hài lòng"
group = "hl"
unit = "%"
direction = "higher"
points = 4
zero_denominator = "zero"
[indicator.targets]
2025 = ">= 90"

[[indicator]]
id = "phan-loai"
name = "Tỷ lệ phản ánh về thủ tục"
group = "hl"
unit = "%"
direction = "higher"
points = 0
"#;

    fn units() -> &'static str {
        "id,name,parent,level\ntinh,Tỉnh,,tinh\na,Xã A,tinh,xa\nb,Xã B,tinh,xa\nc,Xã C,tinh,xa\n"
    }

    #[test]
    fn official_rules_and_change_since_the_previous_year() {
        // 2025: A 1/48 on time (6 × 1/48 = 0.125 → 0.12) and 45/50 satisfied (90 %: 4);
        // B 0/0 petitions (full 6) and 0/0 dossiers (0 points, kept); C 3/4 and 40/50.
        // 2026: A 2/2 and 45/50 → 10; B 1/2 and 45/50 → 7; C no rows.
        let reported = "unit,period,indicator,numerator,denominator\n\
            a,2025,dung-han,1,48\n\
            a,2025,hai-long,45,50\n\
            a,2025,phan-loai,3,4\n\
            b,2025,dung-han,0,0\n\
            b,2025,hai-long,0,0\n\
            c,2025,dung-han,3,4\n\
            c,2025,hai-long,40,50\n\
            a,2026,dung-han,2,2\n\
            a,2026,hai-long,45,50\n\
            b,2026,dung-han,1,2\n\
            b,2026,hai-long,45,50\n";
        let date = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        let (card, _, _) = score_texts(
            &[
                ("catalogue.toml", CATALOGUE),
                ("indicators.toml", INDICATORS),
            ],
            &[("units.csv", units()), ("reported.csv", reported)],
            date,
        );
        let unit = |id: &str| {
            card.units
                .iter()
                .find(|u| u.id == id)
                .unwrap_or_else(|| panic!("{id}"))
        };
        let ind = |u: &str, i: &str| {
            unit(u)
                .indicators
                .iter()
                .find(|x| x.id == i)
                .unwrap_or_else(|| panic!("{i}"))
                .clone()
        };
        // 2026: A 6 + 4 = 10 of 10; B 3 + 4 = 7 (1/2 → 3 points, 1 more petition on time)
        assert_eq!(unit("a").score, Some(100.0));
        assert_eq!(ind("b", "dung-han").earned, Some(3.0));
        assert_eq!(ind("b", "dung-han").points_lost, Some(3.0));
        assert_eq!(ind("b", "dung-han").needed, Some(1));
        assert_eq!(unit("b").score, Some(70.0));
        // tracked: shown, never in Σ max (the group's max is 10, not 10 + 0 with coverage)
        assert_eq!(ind("a", "phan-loai").points, 0.0);
        assert_eq!(unit("a").groups[0].max, 10.0);
        // 2025, by hand: A 0.12 + 4 = 4.12 → 41.2 (rank 3); B 6 + 0 = 6 → 60 (rank 2);
        // C 4.5 + 3.56 (40/50 = 80 % of a 90 % target: 4 × 0.888… = 3.56) = 8.06 → 80.6 (rank 1)
        // now A 100 (rank 1), B 70 (rank 2), C no data (no score change)
        let (a, b, c) = (unit("a"), unit("b"), unit("c"));
        assert_eq!((a.score_change, a.rank_change), (Some(58.8), Some(2)));
        assert_eq!((b.score_change, b.rank_change), (Some(10.0), Some(0)));
        assert_eq!(b.groups[0].earned_change, Some(1.0));
        assert_eq!(a.groups[0].earned_change, Some(5.88));
        // C has no rows in 2026: 0 of 10 under missing = "zero", and last year's 80.6
        assert_eq!(c.score, Some(0.0));
        assert_eq!(c.score_change, Some(-80.6));
        assert_eq!(c.rank_change, Some(-2));
    }

    #[test]
    fn tasks_are_listed_most_urgent_first() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        let (mut card, _, _) = score_texts(
            &[
                ("catalogue.toml", CATALOGUE),
                ("indicators.toml", INDICATORS),
            ],
            &[("units.csv", units())],
            date,
        );
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d);
        let line = |task: &str, status: TaskStatus, due: Option<NaiveDate>| TaskLine {
            task: task.to_string(),
            unit: "a".to_string(),
            status,
            due,
            completed_on: None,
        };
        card.tasks = vec![
            line("done", TaskStatus::HoanThanhDungHan, day(3, 31)),
            line("open", TaskStatus::TrongHan, day(12, 31)),
            line("late-june", TaskStatus::QuaHan, day(6, 30)),
            line("missing-undated", TaskStatus::ChuaBaoCao, None),
            line("late-march", TaskStatus::QuaHan, day(3, 31)),
            line("recurring", TaskStatus::ThuongXuyen, None),
        ];
        let order: Vec<&str> = card
            .tasks_by_urgency()
            .iter()
            .map(|l| l.task.as_str())
            .collect();
        // overdue by oldest due date, undated overdue last among them; then open tasks in the
        // scorecard's order; done last
        assert_eq!(
            order,
            [
                "late-march",
                "late-june",
                "missing-undated",
                "open",
                "recurring",
                "done"
            ]
        );
    }

    #[test]
    fn zero_denominators_by_rule() {
        let reported = "unit,period,indicator,numerator,denominator\n\
            a,2026,dung-han,0,0\n\
            a,2026,hai-long,0,0\n";
        let date = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        let exclude = CATALOGUE.replace(
            "title = \"Bảng điểm\"",
            "title = \"Bảng điểm\"\nmissing = \"exclude\"",
        );
        let (card, _, _) = score_texts(
            &[
                ("catalogue.toml", &exclude),
                ("indicators.toml", INDICATORS),
            ],
            &[("units.csv", units()), ("reported.csv", reported)],
            date,
        );
        let a = &card.units[1];
        let status: Vec<(Status, Option<f64>)> =
            a.indicators.iter().map(|i| (i.status, i.earned)).collect();
        assert_eq!(
            status,
            [
                (Status::KhongPhatSinh, Some(6.0)),
                (Status::KhongCoDuLieu, Some(0.0)),
                (Status::KhongCham, None),
            ]
        );
        // "zero" stays in Σ max under exclude: 6 of 10
        assert_eq!(a.score, Some(60.0));
        assert_eq!(a.coverage, Some(0.5));
    }

    /// The order every renderer lists reports in: missing (most days first), late (most days
    /// first), not yet due, on time.
    #[test]
    fn reports_by_urgency_puts_missing_then_late_first() {
        let (card, _, _) = score_texts(
            &[
                ("catalogue.toml", "id = \"t\"\ntitle = \"t\"\n"),
                (
                    "r.toml",
                    "[[report]]\nid = \"bc\"\nname = \"B\"\nfrom = { levels = [\"xa\"] }\n\
                     carries = []\ndue = \"trước ngày 10 hàng tháng\"\n",
                ),
            ],
            &[
                ("units.csv", "id,name,parent,level\na,A,,xa\nb,B,,xa\n"),
                (
                    "submissions.csv",
                    "unit,report,period,submitted_on\n\
                     a,bc,2026-01,2026-02-01\na,bc,2026-02,2026-03-20\na,bc,2026-03,2026-04-12\n\
                     b,bc,2026-02,2026-03-01\n",
                ),
            ],
            NaiveDate::from_ymd_opt(2026, 4, 20).unwrap_or_default(),
        );
        // the year 2026 at 20/4: January to March are due (10/2, 10/3, 10/4), April to December
        // are not; A: Jan on time, Feb late 10, Mar late 2; B: Jan missing 69 days, Feb on time,
        // Mar missing 10 days
        let order: Vec<(&str, String, ReportStatus, Option<i64>)> = card
            .reports_by_urgency()
            .into_iter()
            .filter(|l| l.status != ReportStatus::ChuaDenHan)
            .map(|l| (l.unit.as_str(), l.period.to_string(), l.status, l.days_late))
            .collect();
        use ReportStatus::*;
        assert_eq!(
            order,
            [
                ("b", "2026-01".to_string(), ChuaNop, Some(69)),
                ("b", "2026-03".to_string(), ChuaNop, Some(10)),
                ("a", "2026-02".to_string(), TreHan, Some(10)),
                ("a", "2026-03".to_string(), TreHan, Some(2)),
                ("a", "2026-01".to_string(), DungHan, None),
                ("b", "2026-02".to_string(), DungHan, None),
            ]
        );
        // not yet due sit between late and on time
        let statuses: Vec<ReportStatus> =
            card.reports_by_urgency().iter().map(|l| l.status).collect();
        let first_not_due = statuses.iter().position(|s| *s == ChuaDenHan);
        let first_on_time = statuses.iter().position(|s| *s == DungHan);
        assert!(first_not_due < first_on_time && first_not_due > Some(3));
        // B before A in the units list of the report section: more missing
        let units: Vec<&str> = card
            .report_counts_by_unit()
            .iter()
            .map(|(u, _)| u.id.as_str())
            .collect();
        assert_eq!(units, ["b", "a"]);
    }
}
