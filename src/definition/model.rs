//! The typed definitions of a catalogue: what `catalogue.toml` and the `[[indicator]]` /
//! `[[task]]` arrays mean once loaded. Plain data; loading and checking live elsewhere.

use std::ops::Range;
use std::path::PathBuf;

use toml::Spanned;

use crate::calendar::DueRule;
use crate::tasks::Deadline;

/// Where a definition came from: a file (index into [`Catalogue::files`]) and a byte range.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Loc {
    pub file: usize,
    pub span: Range<usize>,
}

/// One source file of a catalogue, kept so that diagnostics can quote it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// A loaded catalogue: metadata, groups, grade bands, datasets, indicators and tasks. What a
/// program does with one is pass it on (to `load_data`, `score::run`, the reports and charts);
/// its definitions are the crate's, read here only by their ids.
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub(crate) dir: PathBuf,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) issuer: Option<String>,
    pub(crate) document: Option<String>,
    pub(crate) scoring: Scoring,
    pub(crate) missing: Missing,
    pub(crate) near: f64,
    pub(crate) min_coverage: f64,
    /// `[rounding]`: the default of every indicator (SPEC §5.7).
    pub(crate) rounding: Rounding,
    pub(crate) groups: Vec<Group>,
    pub(crate) grades: Vec<GradeBand>,
    pub(crate) datasets: Vec<Dataset>,
    pub(crate) indicators: Vec<Indicator>,
    pub(crate) tasks: Vec<Task>,
    /// `[[report]]`: the reports units owe and when (SPEC §6.1), in file order.
    pub(crate) reports: Vec<Report>,
    /// `[[alert]]`: the conditions watched over the history of snapshots (SPEC §10.3).
    pub(crate) alerts: Vec<super::alert::Alert>,
    pub(crate) files: Vec<SourceFile>,
}

impl Catalogue {
    /// The catalogue's id (`id` of catalogue.toml).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The catalogue's title (`title` of catalogue.toml).
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The ids of its indicators, in file order.
    pub fn indicator_ids(&self) -> impl Iterator<Item = &str> {
        self.indicators.iter().map(|i| i.id.as_str())
    }

    /// The ids of its tasks, in file order.
    pub fn task_ids(&self) -> impl Iterator<Item = &str> {
        self.tasks.iter().map(|t| t.id.as_str())
    }

    pub(crate) fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }
    pub(crate) fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }
    pub(crate) fn report(&self, id: &str) -> Option<&Report> {
        self.reports.iter().find(|r| r.id == id)
    }
    pub(crate) fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }
    pub(crate) fn dataset(&self, name: &str) -> Option<&Dataset> {
        self.datasets.iter().find(|d| d.name == name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub points: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GradeBand {
    pub name: String,
    pub min: f64,
}

/// The default bands of the 766 scoreboard (SPEC §2).
pub fn default_grades() -> Vec<GradeBand> {
    [
        ("Xuất sắc", 90.0),
        ("Tốt", 80.0),
        ("Khá", 70.0),
        ("Trung bình", 50.0),
        ("Yếu", 0.0),
    ]
    .into_iter()
    .map(|(name, min)| GradeBand {
        name: name.to_string(),
        min,
    })
    .collect()
}

/// A record-level dataset read by computed measures (SPEC §2 `[dataset.NAME]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    pub name: String,
    pub unit: String,
    pub date: String,
    /// Declared columns; when present, measures may only use these (E132).
    pub columns: Option<Vec<String>>,
    pub loc: Loc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoring {
    Capped,
    Linear,
    Threshold,
}

impl Scoring {
    pub const NAMES: &'static [&'static str] = &["capped", "linear", "threshold"];
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "capped" => Some(Self::Capped),
            "linear" => Some(Self::Linear),
            "threshold" => Some(Self::Threshold),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Capped => "capped",
            Self::Linear => "linear",
            Self::Threshold => "threshold",
        }
    }
}

impl serde::Serialize for Scoring {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Zero,
    Exclude,
}

/// What an indicator's value measures (SPEC §3 `unit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    Percent,
    Count,
    Rank,
    Score,
    Boolean,
}

impl UnitKind {
    pub const NAMES: &'static [&'static str] =
        &["%", "percent", "count", "rank", "score", "boolean"];
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "%" | "percent" => Some(Self::Percent),
            "count" => Some(Self::Count),
            "rank" => Some(Self::Rank),
            "score" => Some(Self::Score),
            "boolean" => Some(Self::Boolean),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Percent => "%",
            Self::Count => "count",
            Self::Rank => "rank",
            Self::Score => "score",
            Self::Boolean => "boolean",
        }
    }
    /// Natural bounds when the indicator sets no `limits`.
    pub fn default_limits(self) -> (f64, f64) {
        match self {
            Self::Percent => (0.0, 100.0),
            Self::Boolean => (0.0, 1.0),
            Self::Rank => (1.0, f64::INFINITY),
            Self::Count | Self::Score => (0.0, f64::INFINITY),
        }
    }
    /// The rollup used when the indicator names none (SPEC §5.2). Percentages default to
    /// `ratio`; the data layer falls back to `mean` when a child lacks numerator/denominator.
    pub fn default_rollup(self) -> Rollup {
        match self {
            Self::Percent => Rollup::Ratio,
            Self::Count => Rollup::Sum,
            Self::Boolean => Rollup::Share,
            Self::Rank | Self::Score => Rollup::None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Higher => "higher",
            Self::Lower => "lower",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rollup {
    Ratio,
    Sum,
    Mean,
    Min,
    Max,
    Share,
    None,
}

impl Rollup {
    pub const NAMES: &'static [&'static str] =
        &["ratio", "sum", "mean", "min", "max", "share", "none"];
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "ratio" => Self::Ratio,
            "sum" => Self::Sum,
            "mean" => Self::Mean,
            "min" => Self::Min,
            "max" => Self::Max,
            "share" => Self::Share,
            "none" => Self::None,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ratio => "ratio",
            Self::Sum => "sum",
            Self::Mean => "mean",
            Self::Min => "min",
            Self::Max => "max",
            Self::Share => "share",
            Self::None => "none",
        }
    }
}

/// What a denominator of 0 means for an indicator (SPEC §5.7 `zero_denominator`); applied by
/// `score::rules::empty_denominator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ZeroDenominator {
    /// No value (`khong_co_du_lieu`), counted as the catalogue's `missing` says.
    #[default]
    None,
    /// No value, and the indicator stays in Σ max with 0 earned even under `missing = "exclude"`.
    Zero,
    /// Nothing arose to be measured: `khong_phat_sinh`, all points earned.
    Full,
}

impl ZeroDenominator {
    pub const NAMES: &'static [&'static str] = &["none", "zero", "full"];
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "none" => Self::None,
            "zero" => Self::Zero,
            "full" => Self::Full,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Zero => "zero",
            Self::Full => "full",
        }
    }
}

/// How a tie is rounded (SPEC §5.7 `[rounding] mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoundingMode {
    /// Half to even (banker's rounding): 0.125 → 0.12.
    #[default]
    HalfEven,
    /// Half away from zero: 0.625 → 0.63.
    HalfUp,
}

impl RoundingMode {
    pub const NAMES: &'static [&'static str] = &["half_even", "half_up"];
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "half_even" => Some(Self::HalfEven),
            "half_up" => Some(Self::HalfUp),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HalfEven => "half_even",
            Self::HalfUp => "half_up",
        }
    }
}

/// `[rounding]` of a catalogue or an indicator (SPEC §5.7): decimals of the % value before
/// attainment and of each indicator's earned points before any sum. `None` leaves it exact; an
/// indicator's keys override the catalogue's ([`Rounding::over`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rounding {
    pub value: Option<u32>,
    pub points: Option<u32>,
    pub mode: Option<RoundingMode>,
}

impl Rounding {
    /// The most decimals a `[rounding]` may ask for (E103 beyond).
    pub const MAX_DECIMALS: u32 = 6;

    /// The keys this rounding sets, the others from `base` (an indicator's over its catalogue's).
    pub fn over(self, base: Rounding) -> Rounding {
        Rounding {
            value: self.value.or(base.value),
            points: self.points.or(base.points),
            mode: self.mode.or(base.mode),
        }
    }

    /// The tie rule: `half_even` unless set.
    pub fn mode(self) -> RoundingMode {
        self.mode.unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    pub year: i32,
    pub value: f64,
}

/// An indicator definition (SPEC §3).
#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub code: Option<String>,
    pub name: String,
    pub group: Option<String>,
    pub unit: UnitKind,
    pub unit_label: Option<String>,
    /// `None` only for boolean indicators; rank indicators are always `Lower`.
    pub direction: Option<Direction>,
    pub owner: Vec<String>,
    pub partners: Vec<String>,
    pub points: Option<f64>,
    pub scoring: Option<Scoring>,
    pub baseline: Option<Baseline>,
    pub limits: (f64, f64),
    pub rollup: Option<Rollup>,
    /// The unit levels (`level` of units.csv) the indicator concerns (SPEC §6.1 `levels`); empty
    /// means every level. Values still roll up through units of every level.
    pub levels: Vec<String>,
    /// The value of `levels = [...]`, for diagnostics that only the data can raise (W311).
    pub levels_span: Option<Range<usize>>,
    /// What a denominator of 0 means (SPEC §5.7).
    pub zero_denominator: ZeroDenominator,
    /// The indicator's own `rounding` keys, over the catalogue's ([`Indicator::rounding_in`]).
    pub rounding: Rounding,
    pub source: Option<String>,
    pub note: Option<String>,
    pub measure: Measure,
    /// Anchors sorted by year. Only targets that parsed are here.
    pub targets: Vec<Anchor>,
    /// The `[[indicator]]` header.
    pub loc: Loc,
    /// The value of `id = "..."`, for diagnostics about the id.
    pub id_span: Range<usize>,
    /// False when the definition had errors: it is kept so that catalogue-wide checks still see
    /// it, but it is never scored (a run with definition errors stops).
    pub complete: bool,
}

impl Indicator {
    pub fn rollup(&self) -> Rollup {
        self.rollup.unwrap_or(self.unit.default_rollup())
    }
    pub fn is_computed(&self) -> bool {
        matches!(self.measure, Measure::Computed(_))
    }
    /// Whether units report the indicator's figures (reported.csv, forms): neither computed
    /// from a dataset nor built in.
    pub fn is_reported(&self) -> bool {
        matches!(self.measure, Measure::Reported)
    }
    /// `points = 0`: shown with its value, target and status, never in a sum (SPEC §5.7).
    pub fn is_tracked(&self) -> bool {
        self.points == Some(0.0)
    }
    /// Whether a unit of `level` is scored, counted in coverage and given a form on this
    /// indicator: always when the indicator names no `levels`, else when `level` is one of them.
    pub fn applies_to_level(&self, level: &str) -> bool {
        self.levels.is_empty() || self.levels.iter().any(|l| l == level)
    }
    /// The rounding in force for this indicator: its own keys over the catalogue's.
    pub fn rounding_in(&self, c: &Catalogue) -> Rounding {
        self.rounding.over(c.rounding)
    }
}

/// A target anchored at a year, with the location of its expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Anchor {
    pub year: i32,
    pub target: super::target::Target,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    Reported,
    Computed(Box<ComputedMeasure>),
    /// `builtin = "report_on_time_rate"` (SPEC §6.1): the unit's share of reports sent on time,
    /// 100 × on_time / (on_time + late + missing), its descendants' included, at the run's
    /// as-of date; scored like any `%` indicator, so that a group can give points for
    /// timeliness.
    ReportOnTimeRate,
}

/// A measure computed from a record-level dataset with SQL aggregate expressions (SPEC §4.2).
#[derive(Debug, Clone, PartialEq)]
pub struct ComputedMeasure {
    pub dataset: Spanned<String>,
    pub numerator: Option<Spanned<String>>,
    pub denominator: Option<Spanned<String>>,
    pub value: Option<Spanned<String>>,
    pub filter: Option<Spanned<String>>,
    pub loc: Loc,
}

impl ComputedMeasure {
    /// The SQL expressions of the measure with their keys, in a fixed order.
    pub fn expressions(&self) -> Vec<(&'static str, &Spanned<String>)> {
        [
            ("numerator", &self.numerator),
            ("denominator", &self.denominator),
            ("value", &self.value),
            ("filter", &self.filter),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
        .collect()
    }
}

/// A task (nhiệm vụ) of a plan (SPEC §6).
#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub code: Option<String>,
    pub name: String,
    pub group: Option<String>,
    pub lead: Vec<String>,
    pub partners: Vec<String>,
    pub product: Option<String>,
    pub deadline_text: String,
    pub deadline: Deadline,
    // `source` and `note` of the definition language: read and checked as text, shown by no
    // output yet (an indicator's and a report's are)
    #[allow(dead_code)]
    pub source: Option<String>,
    #[allow(dead_code)]
    pub note: Option<String>,
    /// The `[[task]]` header.
    pub loc: Loc,
    /// The value of `id = "..."`.
    pub id_span: Range<usize>,
    /// False when the definition had errors (see [`Indicator::complete`]).
    pub complete: bool,
}

/// A report obligation (SPEC §6.1 `[[report]]`): who sends it, what it carries and when it is
/// due for each reporting period.
#[derive(Debug, Clone)]
pub struct Report {
    pub id: String,
    pub name: String,
    pub from: ReportFrom,
    pub carries: Carries,
    /// The due rule as the plan writes it (empty when only `due = <date>` is given).
    pub due_text: String,
    /// The rule read from `due_text`, or `due = <date>` ([`DueRule::Once`]) which overrides it.
    pub due: DueRule,
    pub source: Option<String>,
    pub note: Option<String>,
    /// The `[[report]]` header.
    pub loc: Loc,
    /// The value of `id = "..."`.
    pub id_span: Range<usize>,
    /// Each unit id of `from = { units = [...] }` or each id of `carries`, with its span, so
    /// that checks against units.csv or the catalogue can point at it.
    pub spans: ReportSpans,
    /// False when the definition had errors (see [`Indicator::complete`]).
    pub complete: bool,
}

/// Where the parts of a `[[report]]` that later checks judge are written.
#[derive(Debug, Clone, Default)]
pub struct ReportSpans {
    /// `from`'s level names or unit ids, in order.
    pub from: Vec<Range<usize>>,
    /// `carries`' ids, in order (empty for `"*"`).
    pub carries: Vec<Range<usize>>,
}

/// Who owes a report: every unit of some levels, or named units (ids of units.csv).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportFrom {
    Levels(Vec<String>),
    Units(Vec<String>),
}

/// What a report carries: every reported indicator (`"*"`), or the indicators and tasks named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carries {
    Every,
    Only(Vec<String>),
}

impl Report {
    /// Whether the unit `id` of `level` owes this report.
    pub fn is_owed_by(&self, id: &str, level: &str) -> bool {
        match &self.from {
            ReportFrom::Levels(levels) => levels.iter().any(|l| l == level),
            ReportFrom::Units(units) => units.iter().any(|u| u == id),
        }
    }

    /// Whether a figure of `indicator` (a reported one, for `"*"`) is part of this report.
    pub fn carries_indicator(&self, indicator: &Indicator) -> bool {
        match &self.carries {
            Carries::Every => indicator.is_reported(),
            Carries::Only(ids) => ids.contains(&indicator.id),
        }
    }
}
