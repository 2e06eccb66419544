//! The history on disk (SPEC §10.1): one Parquet file per snapshot,
//! `<history>/<catalogue>/<period>[.luy-ke]/<as-of>[.cong-bo].parquet`, long format, readable as
//! is by polars, DuckDB and Spark (`SELECT … FROM 'history/**/*.parquet'`). A snapshot is
//! written aside and renamed into place; a series is locked while one is recorded, so that two
//! runs at once never lose or corrupt one. Reads and writes files; computes no change itself.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;

use super::snapshot::{Key, Kind, Row, Series, Snapshot, Source, Text};
use crate::data::Period;

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("cannot use the history at {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a snapshot of the history ({reason}); remove it or move it out of the history directory")]
    Foreign { path: PathBuf, reason: NotSnapshot },
    #[error("{path}: the snapshot is damaged ({reason}); remove it and score that day again")]
    Damaged { path: PathBuf, reason: String },
}

/// Why a file or folder in the history directory is not part of it: where it is, or what the
/// file holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotSnapshot {
    #[error("a file where a catalogue's folder belongs")]
    FileForCatalogue,
    #[error("expected a period folder such as 2026-10 or 2026.luy-ke")]
    PeriodFolder,
    #[error("expected <as-of>.parquet")]
    NotParquet,
    #[error("expected <as-of>.parquet or <as-of>.cong-bo.parquet, e.g. 2026-10-31.parquet")]
    FileName,
    #[error("it has no column \"{0}\"")]
    NoColumn(String),
    /// A column of another type than the history writes: `wanted` in words (`text`, `a date`).
    #[error("column \"{name}\" is {dtype}, not {wanted}")]
    ColumnType {
        name: String,
        /// The column's type as polars names it.
        dtype: String,
        wanted: &'static str,
    },
    #[error("it has no rows")]
    NoRows,
    /// A required cell without a value; `row` 1-based.
    #[error("row {row}: \"{column}\" is empty")]
    Empty { row: usize, column: &'static str },
    #[error("row {row}: \"kind\" is not total, group or indicator")]
    Kind { row: usize },
    #[error("row 1: \"period\" is not a period")]
    Period,
    #[error("row 1: \"source\" is neither chitieu nor cong_bo")]
    Source,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> HistoryError + '_ {
    move |source| HistoryError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The history directory.
#[derive(Debug, Clone)]
pub struct History {
    pub root: PathBuf,
}

/// A snapshot file found in the history, by key (not yet read).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub key: Key,
    pub path: PathBuf,
}

const PUBLISHED_SUFFIX: &str = ".cong-bo";
const CUMULATIVE_SUFFIX: &str = ".luy-ke";

impl History {
    pub fn new(root: impl Into<PathBuf>) -> History {
        History { root: root.into() }
    }

    fn series_dir(&self, s: &Series) -> PathBuf {
        let period = if s.cumulative {
            format!("{}{CUMULATIVE_SUFFIX}", s.period)
        } else {
            s.period.to_string()
        };
        self.root.join(&s.catalogue).join(period)
    }

    /// Where the snapshot of `key` lives.
    pub fn path_of(&self, key: &Key) -> PathBuf {
        let suffix = match key.source {
            Source::Chitieu => "",
            Source::CongBo => PUBLISHED_SUFFIX,
        };
        self.series_dir(&key.series())
            .join(format!("{}{suffix}.parquet", key.as_of.format("%Y-%m-%d")))
    }

    /// Every snapshot of the history, sorted by catalogue, period, basis, as-of date and source.
    /// A file that is not named as a snapshot is an error naming it; our own temporary files
    /// (`.…tmp…`) and the lock files are not snapshots and are passed over.
    pub fn entries(&self) -> Result<Vec<Entry>, HistoryError> {
        let mut out = Vec::new();
        if !self.root.exists() {
            return Ok(out);
        }
        for catalogue in sorted_dir(&self.root)? {
            if !catalogue.is_dir() {
                if is_ours(&catalogue) {
                    continue;
                }
                return Err(foreign(&catalogue, NotSnapshot::FileForCatalogue));
            }
            let cat_id = name_of(&catalogue);
            for period_dir in sorted_dir(&catalogue)? {
                if is_ours(&period_dir) {
                    continue;
                }
                let text = name_of(&period_dir);
                let (period_text, cumulative) = match text.strip_suffix(CUMULATIVE_SUFFIX) {
                    Some(p) => (p.to_string(), true),
                    None => (text.clone(), false),
                };
                let Some(period) = Period::parse(&period_text).filter(|_| period_dir.is_dir())
                else {
                    return Err(foreign(&period_dir, NotSnapshot::PeriodFolder));
                };
                for file in sorted_dir(&period_dir)? {
                    if is_ours(&file) {
                        continue;
                    }
                    let name = name_of(&file);
                    let Some(stem) = name.strip_suffix(".parquet") else {
                        return Err(foreign(&file, NotSnapshot::NotParquet));
                    };
                    let (date, source) = match stem.strip_suffix(PUBLISHED_SUFFIX) {
                        Some(d) => (d, Source::CongBo),
                        None => (stem, Source::Chitieu),
                    };
                    let Ok(as_of) = NaiveDate::parse_from_str(date, "%Y-%m-%d") else {
                        return Err(foreign(&file, NotSnapshot::FileName));
                    };
                    out.push(Entry {
                        key: Key {
                            catalogue: cat_id.clone(),
                            period,
                            cumulative,
                            as_of,
                            source,
                        },
                        path: file,
                    });
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// The snapshots of one series, oldest first.
    pub fn series(&self, s: &Series) -> Result<Vec<Entry>, HistoryError> {
        let dir = self.series_dir(s);
        Ok(self
            .entries()?
            .into_iter()
            .filter(|e| e.key.series() == *s && e.path.parent() == Some(dir.as_path()))
            .collect())
    }

    /// Records `snap` (replacing the snapshot of the same key): its changes are measured against
    /// the previous snapshot of its series, and the snapshots after it in the series (a day
    /// recorded late) are measured again against it. Returns the snapshot as recorded, and the
    /// one it was measured against.
    pub fn record(&self, snap: Snapshot) -> Result<(Snapshot, Option<Snapshot>), HistoryError> {
        let key = snap.key.clone();
        let recording = self.record_behind(key, move || snap)?;
        recording.pending.wait()?;
        let now = std::sync::Arc::try_unwrap(recording.now).unwrap_or_else(|now| (*now).clone());
        Ok((now, recording.previous))
    }

    /// [`History::record`] of the snapshot `make` builds for `key`, with the writing left behind:
    /// the previous snapshot is read while `make` runs, the changes are measured, and the
    /// snapshot is returned while a thread writes it (a score run evaluates its alerts and
    /// writes its outputs meanwhile). The series stays locked until the snapshot is in place;
    /// [`Pending::wait`] says whether it was recorded.
    pub fn record_behind(
        &self,
        key: Key,
        make: impl FnOnce() -> Snapshot + Send,
    ) -> Result<Recording, HistoryError> {
        let dir = self.series_dir(&key.series());
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        let lock_path = dir.join(".lock");
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io(&lock_path))?;
        lock.lock().map_err(io(&lock_path))?;
        clean_leftovers(&dir);
        let series = self.series(&key.series())?;
        let before = series.iter().rev().find(|e| e.key.as_of < key.as_of);
        let (previous, mut snap) = rayon::join(
            || before.map(|e| read_compared(&e.key, &e.path)).transpose(),
            make,
        );
        let previous = previous?;
        super::change::measure(&mut snap, previous.as_ref());
        let now = std::sync::Arc::new(snap);
        let later: Vec<Entry> = series
            .into_iter()
            .filter(|e| e.key.as_of > key.as_of)
            .collect();
        let (history, written) = (self.clone(), now.clone());
        let writer = std::thread::Builder::new()
            .name("chitieu-history".into())
            .spawn(move || {
                history.write(&written)?;
                // the days after it, measured again in order (a late day changes their changes)
                let mut prev = (*written).clone();
                for e in later {
                    let mut next = read(&e.path)?;
                    let old = next.clone();
                    super::change::measure(&mut next, Some(&prev));
                    if next != old {
                        history.write(&next)?;
                    }
                    prev = next;
                }
                drop(lock);
                Ok(())
            })
            .map_err(io(&dir))?;
        Ok(Recording {
            now,
            previous,
            pending: Pending(Some(writer)),
        })
    }

    /// Writes `snap` to its file atomically: a temporary file beside it, synced, then renamed.
    fn write(&self, snap: &Snapshot) -> Result<(), HistoryError> {
        let path = self.path_of(&snap.key);
        let dir = path.parent().unwrap_or(Path::new("."));
        let tmp = dir.join(format!(".{}.tmp-{}", name_of(&path), std::process::id()));
        let mut df = to_frame(snap).map_err(|e| HistoryError::Damaged {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let written = (|| -> Result<(), HistoryError> {
            let mut file = File::create(&tmp).map_err(io(&tmp))?;
            // Snappy, which every reader of the README's queries has (polars, DuckDB, Spark):
            // a third of zstd's time for a national snapshot, 1,0 MB instead of 0,6 MB
            ParquetWriter::new(&mut file)
                .with_compression(ParquetCompression::Snappy)
                .with_statistics(StatisticsOptions::empty())
                .finish(&mut df)
                .map_err(|e| HistoryError::Io {
                    path: tmp.clone(),
                    source: std::io::Error::other(e.to_string()),
                })?;
            file.flush().map_err(io(&tmp))?;
            file.sync_all().map_err(io(&tmp))?;
            fs::rename(&tmp, &path).map_err(io(&path))
        })();
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        written
    }
}

/// A snapshot measured and being written ([`History::record_behind`]).
pub struct Recording {
    /// The snapshot with its changes.
    pub now: std::sync::Arc<Snapshot>,
    /// The snapshot its changes were measured against.
    pub previous: Option<Snapshot>,
    pub pending: Pending,
}

/// A snapshot being written by a thread of its own; its series stays locked until then.
/// Dropped without [`Pending::wait`], it still waits (and its error is lost).
#[must_use = "a snapshot being written: wait for it to know whether it was recorded"]
pub struct Pending(Option<std::thread::JoinHandle<Result<(), HistoryError>>>);

impl Pending {
    /// Waits until the snapshot is in place: Ok, or why it could not be recorded (the history
    /// is then as it was).
    pub fn wait(mut self) -> Result<(), HistoryError> {
        self.join()
    }

    fn join(&mut self) -> Result<(), HistoryError> {
        match self.0.take() {
            Some(writer) => writer.join().unwrap_or_else(|_| {
                Err(HistoryError::Io {
                    path: PathBuf::from("history"),
                    source: std::io::Error::other(
                        "the writer of the snapshot stopped unexpectedly",
                    ),
                })
            }),
            None => Ok(()),
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        let _ = self.join();
    }
}

fn sorted_dir(dir: &Path) -> Result<Vec<PathBuf>, HistoryError> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        out.push(entry.map_err(io(dir))?.path());
    }
    out.sort();
    Ok(out)
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Hidden files: our lock and temporary files, and what file managers leave (`.DS_Store`).
fn is_ours(path: &Path) -> bool {
    name_of(path).starts_with('.')
}

fn foreign(path: &Path, reason: NotSnapshot) -> HistoryError {
    HistoryError::Foreign {
        path: path.to_path_buf(),
        reason,
    }
}

/// Temporary files of runs killed mid-write (under the series lock, no run is writing one).
fn clean_leftovers(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && name.contains(".tmp-") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

fn days(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days() as i32
}

fn to_frame(s: &Snapshot) -> PolarsResult<DataFrame> {
    let n = s.rows.len();
    // borrowed, not cloned: a national snapshot is 115,000 rows of ten texts
    let text = |name: &str, f: &dyn for<'r> Fn(&'r Row) -> Option<&'r str>| {
        Column::new(name.into(), s.rows.iter().map(f).collect::<Vec<_>>())
    };
    let float = |name: &str, f: &dyn Fn(&Row) -> Option<f64>| {
        Column::new(name.into(), s.rows.iter().map(f).collect::<Vec<_>>())
    };
    let int = |name: &str, f: &dyn Fn(&Row) -> Option<i32>| {
        Column::new(name.into(), s.rows.iter().map(f).collect::<Vec<_>>())
    };
    // the key's columns: one value repeated, not one copy per row
    let repeated = |c: Column| c.new_from_index(0, n);
    let date = |name: &str, d: Option<NaiveDate>| -> PolarsResult<Column> {
        Ok(repeated(
            Column::new(name.into(), [d.map(days)]).cast(&DataType::Date)?,
        ))
    };
    let columns = vec![
        repeated(Column::new("catalogue".into(), [s.key.catalogue.as_str()])),
        repeated(Column::new("period".into(), [s.key.period.to_string()])),
        repeated(Column::new("cumulative".into(), [s.key.cumulative])),
        date("as_of", Some(s.key.as_of))?,
        repeated(Column::new("source".into(), [s.key.source.code()])),
        repeated(Column::new("chitieu".into(), [s.chitieu.as_str()])),
        date("previous_as_of", s.previous_as_of)?,
        text("unit", &|r| Some(&*r.unit)),
        text("name", &|r| Some(&*r.name)),
        text("level", &|r| Some(&*r.level)),
        text("parent", &|r| r.parent.as_deref()),
        text("item", &|r| Some(&*r.item)),
        text("kind", &|r| Some(r.kind.code())),
        float("value", &|r| r.value),
        float("numerator", &|r| r.numerator),
        float("denominator", &|r| r.denominator),
        float("max", &|r| r.max),
        float("earned", &|r| r.earned),
        text("status", &|r| r.status.as_deref()),
        int("rank", &|r| r.rank.map(|x| x as i32)),
        int("rank_of", &|r| r.rank_of.map(|x| x as i32)),
        text("fingerprint", &|r| Some(&*r.fingerprint)),
        float("change", &|r| r.change),
        int("rank_change", &|r| r.rank_change.map(|x| x as i32)),
        int("streak", &|r| Some(r.streak as i32)),
        text("previous_status", &|r| r.previous_status.as_deref()),
        text("reason", &|r| r.reason.as_deref()),
        text("note", &|r| r.note.as_deref()),
    ];
    DataFrame::new(n, columns)
}

/// The columns a snapshot is compared with (`change`, alerts' figures before): its rows' keys,
/// figures, ranks, statuses, fingerprints and streaks. The columns every row repeats (the key,
/// the version) are not read: the key is the file's.
const COMPARED: &[&str] = &[
    "unit",
    "item",
    "kind",
    "value",
    "numerator",
    "denominator",
    "max",
    "earned",
    "status",
    "rank",
    "rank_of",
    "fingerprint",
    "streak",
];

/// [`read`] of the columns a later snapshot is compared with ([`COMPARED`]), for the snapshot
/// of `key` at `path`: the other columns come back empty (no name, no change). Half the time of
/// a whole read at national scale.
pub fn read_compared(key: &Key, path: &Path) -> Result<Snapshot, HistoryError> {
    let df = read_frame(path, Some(COMPARED))?;
    let rows = rows_of(&df, true).map_err(|reason| foreign(path, reason))?;
    Ok(Snapshot {
        key: key.clone(),
        chitieu: String::new(),
        previous_as_of: None,
        rows,
    })
}

/// Reads one snapshot file, whole; a file polars cannot read, or one without the history's
/// columns, is an error naming it (and the column).
pub fn read(path: &Path) -> Result<Snapshot, HistoryError> {
    let df = read_frame(path, None)?;
    from_frame(&df).map_err(|reason| foreign(path, reason))
}

/// A snapshot file as a frame, all its columns or only `columns`: a file polars cannot read is
/// damaged, one without a column asked for is not a snapshot (said as such, not as damage).
fn read_frame(path: &Path, columns: Option<&[&str]>) -> Result<DataFrame, HistoryError> {
    let damaged = |reason: String| HistoryError::Damaged {
        path: path.to_path_buf(),
        reason,
    };
    crate::data::parquet::check(path).map_err(|e| damaged(e.to_string()))?;
    let reader = ParquetReader::new(File::open(path).map_err(io(path))?);
    let reader = match columns {
        Some(columns) => {
            let mut probe = ParquetReader::new(File::open(path).map_err(io(path))?);
            let schema = crate::guard::catch(|| probe.schema())
                .map_err(|p| damaged(p.message))?
                .map_err(|e| damaged(first_line(&e.to_string())))?;
            if let Some(missing) = columns.iter().find(|c| !schema.contains(c)) {
                return Err(foreign(path, NotSnapshot::NoColumn(missing.to_string())));
            }
            reader.with_columns(Some(columns.iter().map(|c| c.to_string()).collect()))
        }
        None => reader,
    };
    crate::guard::catch(|| reader.finish())
        .map_err(|p| damaged(p.message))?
        .map_err(|e| damaged(first_line(&e.to_string())))
}

/// The figures of one snapshot that the report's charts of total and rank over time read: every
/// unit's total (unit, earned, rank) and the groups of unit `top` (item, share of the maximum).
/// Only those columns are read, so that a run at national scale reads 30 earlier snapshots in a
/// fraction of its time.
pub fn read_trend(path: &Path, top: Option<&str>) -> Result<TrendFigures, HistoryError> {
    let df = read_frame(
        path,
        Some(&["unit", "item", "kind", "earned", "max", "rank"]),
    )?;
    let figures = || -> Result<_, NotSnapshot> {
        Ok((
            (strs(&df, "unit")?, strs(&df, "item")?, strs(&df, "kind")?),
            (
                floats(&df, "earned")?,
                floats(&df, "max")?,
                ints(&df, "rank")?,
            ),
        ))
    };
    let ((unit, item, kind), (earned, max, rank)) =
        figures().map_err(|reason| foreign(path, reason))?;
    let mut out = TrendFigures::default();
    for i in 0..df.height() {
        let Some(u) = unit[i] else { continue };
        match kind[i] {
            Some("total") => {
                out.totals.insert(
                    u.to_string(),
                    (earned[i], rank[i].and_then(|r| u32::try_from(r).ok())),
                );
            }
            Some("group") if Some(u) == top => {
                let share = match (earned[i], max[i]) {
                    (Some(e), Some(m)) if m > 0.0 => Some(e / m * 100.0),
                    _ => None,
                };
                out.groups
                    .insert(item[i].unwrap_or_default().to_string(), share);
            }
            _ => {}
        }
    }
    Ok(out)
}

/// A unit's total in one snapshot, as `chitieu history` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalFigures {
    pub unit: String,
    pub name: String,
    pub parent: Option<String>,
    pub earned: Option<f64>,
    pub rank: Option<u32>,
    pub rank_of: Option<u32>,
    pub change: Option<f64>,
    pub reason: Option<String>,
    pub streak: u32,
}

/// Every unit's total in the snapshot at `path`, in its order: only the columns a listing shows
/// are read (a year of national snapshots is listed without reading their indicators).
pub fn read_totals(path: &Path) -> Result<Vec<TotalFigures>, HistoryError> {
    let columns = [
        "unit", "name", "parent", "kind", "earned", "rank", "rank_of", "change", "reason", "streak",
    ];
    let df = read_frame(path, Some(&columns))?;
    let read = || -> Result<Vec<TotalFigures>, NotSnapshot> {
        let (unit, name, parent, kind) = (
            strs(&df, "unit")?,
            strs(&df, "name")?,
            strs(&df, "parent")?,
            strs(&df, "kind")?,
        );
        let (earned, change, reason) = (
            floats(&df, "earned")?,
            floats(&df, "change")?,
            strs(&df, "reason")?,
        );
        let (rank, rank_of, streak) = (
            ints(&df, "rank")?,
            ints(&df, "rank_of")?,
            ints(&df, "streak")?,
        );
        let count = |v: Option<i32>| v.and_then(|x| u32::try_from(x).ok());
        Ok((0..df.height())
            .filter(|&i| kind[i] == Some(Kind::Total.code()))
            .map(|i| TotalFigures {
                unit: unit[i].unwrap_or_default().to_string(),
                name: name[i].unwrap_or_default().to_string(),
                parent: parent[i].map(str::to_string),
                earned: earned[i],
                rank: count(rank[i]),
                rank_of: count(rank_of[i]),
                change: change[i],
                reason: reason[i].map(str::to_string),
                streak: count(streak[i]).unwrap_or(0),
            })
            .collect())
    };
    read().map_err(|reason| foreign(path, reason))
}

/// What [`read_trend`] reads of a snapshot.
#[derive(Debug, Clone, Default)]
pub struct TrendFigures {
    pub totals: std::collections::HashMap<String, (Option<f64>, Option<u32>)>,
    pub groups: std::collections::HashMap<String, Option<f64>>,
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").trim().to_string()
}

/// Column `name` of a snapshot frame, or why it is not one.
fn column<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Column, NotSnapshot> {
    df.column(name)
        .map_err(|_| NotSnapshot::NoColumn(name.to_string()))
}

/// Why column `c` is not of the type `wanted` (in words).
fn not_of_type(c: &Column, wanted: &'static str) -> NotSnapshot {
    NotSnapshot::ColumnType {
        name: c.name().to_string(),
        dtype: c.dtype().to_string(),
        wanted,
    }
}

fn strs<'a>(df: &'a DataFrame, name: &str) -> Result<Vec<Option<&'a str>>, NotSnapshot> {
    let c = column(df, name)?;
    let s = c.str().map_err(|_| not_of_type(c, "text"))?;
    Ok(s.iter().collect())
}

fn floats(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>, NotSnapshot> {
    let c = column(df, name)?;
    let s = c.f64().map_err(|_| not_of_type(c, "a float"))?;
    Ok(s.iter().collect())
}

fn ints(df: &DataFrame, name: &str) -> Result<Vec<Option<i32>>, NotSnapshot> {
    let c = column(df, name)?;
    let s = c.i32().map_err(|_| not_of_type(c, "a 32-bit integer"))?;
    Ok(s.iter().collect())
}

/// The texts of a column as shared [`Text`]s: one allocation per distinct value (a unit's id
/// repeats on each of its rows, a fingerprint on every unit's row).
struct Interner<'a> {
    last: Option<(&'a str, Text)>,
    seen: PlHashMap<&'a str, Text>,
}

impl<'a> Interner<'a> {
    fn new() -> Self {
        Interner {
            last: None,
            seen: PlHashMap::default(),
        }
    }

    fn get(&mut self, v: &'a str) -> Text {
        if let Some((text, shared)) = &self.last {
            if *text == v {
                return shared.clone();
            }
        }
        let shared = self.seen.entry(v).or_insert_with(|| v.into()).clone();
        self.last = Some((v, shared.clone()));
        shared
    }
}

fn texts(df: &DataFrame, name: &str) -> Result<Vec<Option<Text>>, NotSnapshot> {
    let mut shared = Interner::new();
    Ok(strs(df, name)?
        .into_iter()
        .map(|v| v.map(|v| shared.get(v)))
        .collect())
}

/// The rows of a snapshot frame; with `compared`, of a frame of the [`COMPARED`] columns only
/// (the others empty).
fn rows_of(df: &DataFrame, compared: bool) -> Result<Vec<Row>, NotSnapshot> {
    let n = df.height();
    if n == 0 {
        return Err(NotSnapshot::NoRows);
    }
    let floats = |name: &str| floats(df, name);
    let ints = |name: &str| ints(df, name);
    // the texts a compared read leaves out come back empty
    let texts_or_none = |name: &str| -> Result<Vec<Option<Text>>, NotSnapshot> {
        if compared {
            Ok(vec![None; n])
        } else {
            texts(df, name)
        }
    };
    let floats_or_none = |name: &str| -> Result<Vec<Option<f64>>, NotSnapshot> {
        if compared {
            Ok(vec![None; n])
        } else {
            floats(name)
        }
    };
    let ints_or_none = |name: &str| -> Result<Vec<Option<i32>>, NotSnapshot> {
        if compared {
            Ok(vec![None; n])
        } else {
            ints(name)
        }
    };
    let (unit, name, level, parent) = (
        texts(df, "unit")?,
        texts_or_none("name")?,
        texts_or_none("level")?,
        texts_or_none("parent")?,
    );
    let (item, kind) = (texts(df, "item")?, strs(df, "kind")?);
    let (value, numerator, denominator, max, earned) = (
        floats("value")?,
        floats("numerator")?,
        floats("denominator")?,
        floats("max")?,
        floats("earned")?,
    );
    let status = texts(df, "status")?;
    let (rank, rank_of) = (ints("rank")?, ints("rank_of")?);
    let fingerprint = texts(df, "fingerprint")?;
    let change = floats_or_none("change")?;
    let rank_change = ints_or_none("rank_change")?;
    let streak = ints("streak")?;
    let previous_status = texts_or_none("previous_status")?;
    let reason = texts_or_none("reason")?;
    let note = texts_or_none("note")?;
    let required = |v: &Option<Text>, column: &'static str, row: usize| {
        v.clone().ok_or(NotSnapshot::Empty {
            row: row + 1,
            column,
        })
    };
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let kind = kind[i]
            .and_then(Kind::parse)
            .ok_or(NotSnapshot::Kind { row: i + 1 })?;
        let count = |v: Option<i32>| v.and_then(|x| u32::try_from(x).ok());
        rows.push(Row {
            unit: required(&unit[i], "unit", i)?,
            name: name[i].clone().unwrap_or_default(),
            level: level[i].clone().unwrap_or_default(),
            parent: parent[i].clone(),
            item: required(&item[i], "item", i)?,
            kind,
            value: value[i],
            numerator: numerator[i],
            denominator: denominator[i],
            max: max[i],
            earned: earned[i],
            status: status[i].clone(),
            rank: count(rank[i]),
            rank_of: count(rank_of[i]),
            fingerprint: fingerprint[i].clone().unwrap_or_default(),
            change: change[i],
            rank_change: rank_change[i].map(i64::from),
            streak: count(streak[i]).unwrap_or(0),
            previous_status: previous_status[i].clone(),
            reason: reason[i].as_deref().map(str::to_string),
            note: note[i].as_deref().map(str::to_string),
        });
    }
    Ok(rows)
}

fn from_frame(df: &DataFrame) -> Result<Snapshot, NotSnapshot> {
    let col = |name: &str| column(df, name);
    let text = |name: &str| -> Result<Option<String>, NotSnapshot> {
        Ok(strs(df, name)?
            .first()
            .copied()
            .flatten()
            .map(str::to_string))
    };
    let date = |name: &str| -> Result<Option<NaiveDate>, NotSnapshot> {
        let c = col(name)?;
        let s = c.date().map_err(|_| not_of_type(c, "a date"))?;
        Ok(s.physical().get(0).and_then(|d| {
            NaiveDate::from_ymd_opt(1970, 1, 1)
                .and_then(|e| e.checked_add_signed(chrono::Duration::days(d as i64)))
        }))
    };
    let catalogue = text("catalogue")?;
    let cumulative = {
        let c = col("cumulative")?;
        c.bool().map_err(|_| not_of_type(c, "a boolean"))?.get(0)
    };
    let rows = rows_of(df, false)?;
    let key = Key {
        catalogue: catalogue.ok_or(NotSnapshot::Empty {
            row: 1,
            column: "catalogue",
        })?,
        period: text("period")?
            .as_deref()
            .and_then(Period::parse)
            .ok_or(NotSnapshot::Period)?,
        cumulative: cumulative.unwrap_or(false),
        as_of: date("as_of")?.ok_or(NotSnapshot::Empty {
            row: 1,
            column: "as_of",
        })?,
        source: text("source")?
            .as_deref()
            .and_then(Source::parse)
            .ok_or(NotSnapshot::Source)?,
    };
    Ok(Snapshot {
        key,
        chitieu: text("chitieu")?.unwrap_or_default(),
        previous_as_of: date("previous_as_of")?,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_that_is_not_a_snapshot_says_why() {
        let no_catalogue = df!("period" => ["2026-10"]).unwrap();
        assert_eq!(
            from_frame(&no_catalogue).unwrap_err(),
            NotSnapshot::NoColumn("catalogue".to_string())
        );
        let text_flag = df!("catalogue" => ["t"], "cumulative" => ["no"]).unwrap();
        let why = from_frame(&text_flag).unwrap_err();
        assert_eq!(
            why.to_string(),
            "column \"cumulative\" is str, not a boolean"
        );
        let no_rows = df!("unit" => Vec::<String>::new()).unwrap();
        assert_eq!(rows_of(&no_rows, false).unwrap_err(), NotSnapshot::NoRows);
        let foreign = foreign(Path::new("h/t/2026-10/x.csv"), NotSnapshot::NotParquet);
        assert_eq!(
            foreign.to_string(),
            "h/t/2026-10/x.csv: not a snapshot of the history (expected <as-of>.parquet); remove \
             it or move it out of the history directory"
        );
    }
}
