//! The scoring pipeline of one run (SPEC §5): what of the data may be scored ([`admit`]), the
//! fused scan of every dataset (or the partial tables of `--partials`), the period to score, the
//! rollup and the scorecard. What `chitieu score` runs between loading and rendering; reads
//! dataset files, writes nothing.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::build::{build, RunSpec};
use super::scorecard::Scorecard;
use crate::data::{Data, DataLoad, Grain, Period};
use crate::definition::Catalogue;
use crate::diagnostics::{Code, Diagnostic};
use crate::eval::values::Values;
use crate::eval::{fused, partials};

/// What to score: the period (default: the latest in the data), the as-of date (default: the
/// period's last day), year to date or not, and where partial aggregates come from.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub period: Option<Period>,
    /// The as-of date (default: the end of the period): tasks and reports are judged at it, and
    /// records dated after it are not counted yet.
    pub as_of: Option<NaiveDate>,
    /// Aggregate from the start of the period's year (`--cumulative`, lũy kế từ đầu năm).
    pub cumulative: bool,
    /// Read the partial table (CSV / Parquet files, see `chitieu sql`) from this directory
    /// instead of scanning the datasets' records.
    pub partials: Option<PathBuf>,
}

/// Why a run gave no scorecard.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Problems in the datasets or partial files (E3xx), each with its file and row.
    #[error("the data has {} error(s)", .0.len().max(1))]
    Data(Vec<Diagnostic>),
    /// The partials directory cannot be read.
    #[error(transparent)]
    Partials(crate::eval::partials::DirectoryError),
    /// polars failed on a dataset (a file it cannot read at all is [`RunError::Data`], an E307).
    #[error(transparent)]
    Scan(ScanError),
    /// Neither the options nor the data name a period.
    #[error("the data holds no period to score; give --period")]
    NoPeriod,
}

/// polars failed on a dataset: its message names the dataset, the file and what failed (a
/// measure's expression, the scan).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ScanError(crate::eval::fused::FusedError);

impl From<crate::eval::fused::FusedError> for RunError {
    /// A dataset file the reader fails on inside (a damaged data page found during the scan) is
    /// a located E307, as one found when the file is checked before it.
    fn from(e: crate::eval::fused::FusedError) -> Self {
        use crate::data::records::damaged_file;
        use crate::eval::fused::FusedError;
        match e {
            FusedError::Unreadable {
                dataset,
                path,
                reason,
            } => RunError::Data(vec![damaged_file(
                &dataset,
                std::path::Path::new(&path),
                &reason,
            )]),
            e => RunError::Scan(ScanError(e)),
        }
    }
}

/// A step of [`run_observed`], reported when it is done (for progress and timings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Datasets scanned (or partials read) and the period resolved.
    Scanned,
    /// Values rolled up the unit hierarchy.
    RolledUp,
    /// The scorecard assembled.
    Scored,
}

/// Data a run may score: only [`admit`] makes one, so nothing scores data whose errors block a
/// run.
#[derive(Debug, Clone)]
pub struct Admitted(Data);

impl Admitted {
    /// The data admitted.
    pub fn data(&self) -> &Data {
        &self.0
    }
}

/// Read access to the data admitted (never a way to make an [`Admitted`]).
impl std::ops::Deref for Admitted {
    type Target = Data;
    fn deref(&self) -> &Data {
        &self.0
    }
}

/// What [`admit`] decided about a data load.
#[derive(Debug, Clone, Default)]
pub struct Admission {
    /// The data, when nothing blocks the run.
    pub data: Option<Admitted>,
    /// To be shown either way, in the order found: the load's warnings, and each E302 as a
    /// warning whose label says its row is excluded from the scores.
    pub warnings: Vec<Diagnostic>,
    /// The errors that block the run: every error of the data but E302.
    pub blocking: Vec<Diagnostic>,
}

/// What of a data load may be scored (SPEC §5.2): every error blocks a run but E302 (a value
/// a score run cannot use), an error of `chitieu check` and a warning of a run, which leaves
/// the row out. The data is admitted when nothing blocks and [`load_data`](crate::load_data)
/// gave data.
pub fn admit(load: DataLoad) -> Admission {
    let mut warnings = Vec::new();
    let mut blocking = Vec::new();
    for d in load.diagnostics {
        if d.code == Code::E302 {
            let label = if d.label.is_empty() {
                "row excluded from the scores".to_string()
            } else {
                format!("{} (row excluded from the scores)", d.label)
            };
            warnings.push(d.label(label).as_warning());
        } else if d.is_error() {
            blocking.push(d);
        } else {
            warnings.push(d);
        }
    }
    let data = load.data.filter(|_| blocking.is_empty()).map(Admitted);
    Admission {
        data,
        warnings,
        blocking,
    }
}

/// Scores catalogue `c` (checked, without errors) on admitted `data`.
pub fn run(c: &Catalogue, data: &Admitted, opts: &RunOptions) -> Result<Scorecard, RunError> {
    run_observed(c, data, opts, &mut |_| {})
}

/// [`run`], calling `observe` after each [`Step`].
pub fn run_observed(
    c: &Catalogue,
    data: &Admitted,
    opts: &RunOptions,
    observe: &mut dyn FnMut(Step),
) -> Result<Scorecard, RunError> {
    let data = data.data();
    // records up to the end of the period, or up to the as-of date when it falls earlier: a
    // snapshot of a period still running counts what had arrived by then (SPEC §10)
    let until = opts.period.map_or(
        NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX),
        Period::end,
    );
    let until = opts.as_of.map_or(until, |d| until.min(d));
    // a scored year needs only yearly sums (its forecast series and baselines are years too):
    // the scan groups records by the grain of the period, by month when none is given
    let grain = opts.period.map_or(Grain::Month, Period::grain);
    let partials = match &opts.partials {
        Some(dir) => read_partials(c, data, dir, until)?,
        None => scan(c, data, until, grain)?,
    };
    let period = opts
        .period
        .or_else(|| crate::eval::latest_period(data, &partials))
        .ok_or(RunError::NoPeriod)?;
    observe(Step::Scanned);
    let values = Values::new(c, data, &partials, opts.cumulative);
    // rolled up into `values`: its room is the scorecard's (national month: 49,000 rows)
    drop(partials);
    observe(Step::RolledUp);
    let published =
        super::reconcile::read_published(&data.dir, &data.units).map_err(RunError::Data)?;
    let mut card = build(
        c,
        data,
        &values,
        RunSpec {
            period,
            as_of: opts.as_of.unwrap_or_else(|| period.end()),
            cumulative: opts.cumulative,
        },
    );
    if let Some(published) = &published {
        card.reconciliation = Some(super::reconcile::reconcile(c, &mut card, published));
    }
    observe(Step::Scored);
    Ok(card)
}

/// The partial table read from `dir`; every unit it names must be in units.csv.
fn read_partials(
    c: &Catalogue,
    data: &Data,
    dir: &Path,
    until: NaiveDate,
) -> Result<Vec<fused::Partials>, RunError> {
    match partials::read(c, dir, until) {
        Ok(read) => {
            let unknown = partials::unknown_units(&read.partials, &data.units, dir);
            if unknown.is_empty() {
                Ok(vec![read.partials])
            } else {
                Err(RunError::Data(unknown))
            }
        }
        Err(partials::PartialsError::Directory(e)) => Err(RunError::Partials(e)),
        Err(partials::PartialsError::Data(problems)) => Err(RunError::Data(problems)),
    }
}

/// One fused scan per dataset that computed indicators read, records up to `until`.
fn scan(
    c: &Catalogue,
    data: &Data,
    until: NaiveDate,
    grain: Grain,
) -> Result<Vec<fused::Partials>, RunError> {
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    for dataset in &c.datasets {
        if fused::indicators_of(c, &dataset.name).is_empty() {
            continue;
        }
        let Some(path) = data.datasets.get(&dataset.name) else {
            continue;
        };
        let problems = fused::check_dataset(dataset, path, None);
        if !problems.is_empty() {
            return Err(RunError::Data(problems));
        }
        let ids: Vec<&str> = data.units.list().iter().map(|u| u.id.as_str()).collect();
        let p = fused::evaluate(c, dataset, path, until, grain, Some(&ids))?;
        // unit ids of the records that units.csv lacks; only then is the file read again, to
        // name the first row of each
        if p.units.iter().any(|u| data.units.index(u).is_none()) {
            unknown.extend(fused::check_dataset(dataset, path, Some(&data.units)));
        }
        out.push(p);
    }
    if unknown.is_empty() {
        Ok(out)
    } else {
        Err(RunError::Data(unknown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Place;

    fn diag(code: Code, label: &str) -> Diagnostic {
        Diagnostic::new(code, "reported.csv", Place::File, "m").label(label)
    }

    #[test]
    fn every_data_error_blocks_a_run_but_e302_which_becomes_a_warning() {
        let data = || {
            Some(Data {
                dir: "d".into(),
                units: Default::default(),
                reported: Vec::new(),
                excluded: Vec::new(),
                tasks: Vec::new(),
                submissions: Vec::new(),
                datasets: Default::default(),
            })
        };
        // (diagnostics, admitted, warnings as (code, label), blocking codes)
        type Row = (Vec<Diagnostic>, bool, Vec<(Code, &'static str)>, Vec<Code>);
        let cases: Vec<Row> = vec![
            (vec![], true, vec![], vec![]),
            (
                vec![diag(Code::E302, "7 > 5"), diag(Code::W310, "w")],
                true,
                vec![
                    (Code::E302, "7 > 5 (row excluded from the scores)"),
                    (Code::W310, "w"),
                ],
                vec![],
            ),
            (
                vec![diag(Code::E302, "")],
                true,
                vec![(Code::E302, "row excluded from the scores")],
                vec![],
            ),
            (
                vec![diag(Code::E300, "x"), diag(Code::E302, "")],
                false,
                vec![(Code::E302, "row excluded from the scores")],
                vec![Code::E300],
            ),
        ];
        for (diagnostics, admitted, warnings, blocking) in cases {
            let codes: Vec<Code> = diagnostics.iter().map(|d| d.code).collect();
            let a = admit(DataLoad {
                data: data(),
                diagnostics,
            });
            assert_eq!(a.data.is_some(), admitted, "{codes:?}");
            let shown: Vec<(Code, &str)> = a
                .warnings
                .iter()
                .map(|d| (d.code, d.label.as_str()))
                .collect();
            assert_eq!(shown, warnings, "{codes:?}");
            assert!(a.warnings.iter().all(|d| !d.is_error()), "{codes:?}");
            let blocked: Vec<Code> = a.blocking.iter().map(|d| d.code).collect();
            assert_eq!(blocked, blocking, "{codes:?}");
        }
        // no data read (no units file): nothing to score, whatever the diagnostics
        let none = admit(DataLoad::default());
        assert!(none.data.is_none() && none.blocking.is_empty());
    }
}
