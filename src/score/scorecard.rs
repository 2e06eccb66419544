//! The scorecard of a run (SPEC §5, §7.1): for every unit and indicator the target in force,
//! attainment, status, gap, points and forecast; unit and group scores, grades, ranks in peer
//! sets, task and report lines. The JSON field names here are the stable interface; the card is
//! filled by `build`.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::forecast::ForecastStatus;
use super::points::Grade;
use super::status::Status;
use crate::cycle::{ReportCounts, ReportStatus};
use crate::data::Period;
#[cfg(test)]
use crate::definition::Catalogue;
use crate::definition::{Op, Scoring};
use crate::eval::values::Reason;
use crate::tasks::status::TaskStatus;

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
mod tests;
