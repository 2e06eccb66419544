//! `chitieu import portal766`: the national portal's Bộ chỉ số 766 responses, as captured
//! (shared/portal766-dev/README.md documents each shape), read into the three files of a data
//! directory for `indicators/bo-chi-so-766` (SPEC §11):
//!
//! * units.csv — the units as the portal gives them: its unit codes as ids (`H44`, `H44.07`), its
//!   unit UUID kept as `portal_id`, the hierarchy of the responses, levels `tinh`, `so`, `xa`;
//! * reported.csv — the portal's counts per unit and sub-indicator (`value` where it publishes
//!   only a ratio), its data-quality flag in `quality`;
//! * published.csv — the points the portal published per sub-indicator, group and total, with
//!   ranks, the snapshot day and the response each came from (`chitieu score` reconciles them).
//!
//! Every field that cannot be read is a [`Problem`] located by file and JSON path, all of them
//! at once; then nothing is written. Reads and returns; writing is [`super::write_data_dir`].

mod codes;
mod groups;
mod json;
mod manifest;
mod output;
mod snapshots;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub use codes::{group_id, group_max, indicator, GROUPS, INDICATORS};
pub use output::{Files, NAMES};

use crate::data::Period;
use crate::diagnostics::Severity;

/// What an import takes besides the files: the period and snapshot day of responses that do
/// not say them (the portal's own responses carry neither: they are in the request).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub period: Option<Period>,
    pub as_of: Option<NaiveDate>,
}

/// A problem of one input file, at a JSON path when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub severity: Severity,
    pub file: String,
    pub path: Option<String>,
    pub message: String,
}

impl Problem {
    pub(crate) fn error(file: &str, path: Option<&str>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            file: file.to_string(),
            path: path.map(str::to_string),
            message: message.into(),
        }
    }

    pub(crate) fn warning(file: &str, path: Option<&str>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, path, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}: {path}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// The level of a unit, as the catalogue's data names it (units.csv `level`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A province or centrally-run city (UBND tỉnh / thành phố).
    Tinh,
    /// A provincial department or agency (sở, ban, ngành).
    So,
    /// A commune or ward (xã, phường).
    Xa,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Tinh => "tinh",
            Level::So => "so",
            Level::Xa => "xa",
        }
    }
}

/// Which response shape a file is (README of shared/portal766-dev, §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `dvc-progress-tree`, `provide-online-tree`, `formality-online-payment-tree`: one group.
    Tree(&'static str),
    /// `transparency`, `handling-satisfaction`, `dossier-digitized`: one group, per metric.
    Metrics(&'static str),
    /// `service-results`: totals and the six groups.
    ServiceResults,
    /// `formalities`: the procedure catalogue, nothing to import.
    Formalities,
    /// A response filtered to one procedure (a capture manifest's `scope: "formality"`): not a
    /// unit's figures, not imported.
    OneProcedure,
    /// A daily year-to-date snapshot of one city (hoang31201/766-HaNoi `history/quality/<day>.json`).
    CityDay,
    /// A capture tool's daily file (duynghiaqn/Crawler-766 `scores_Province*`, `agencies_*`,
    /// `communes_*`).
    CrawlerDay,
}

impl Shape {
    /// How the import's summary and README name it.
    pub fn describe(self) -> String {
        match self {
            Shape::Tree(g) | Shape::Metrics(g) => {
                let endpoint = match g {
                    "tdgq" => "dvc-progress-tree",
                    "clgq" => "provide-online-tree",
                    "tttt" => "formality-online-payment-tree",
                    "ckmb" => "transparency",
                    "mdhl" => "handling-satisfaction",
                    _ => "dossier-digitized",
                };
                format!("{endpoint} (group {g})")
            }
            Shape::ServiceResults => "service-results (totals and groups)".into(),
            Shape::Formalities => "formalities (procedure list: nothing to import)".into(),
            Shape::OneProcedure => "filtered to one procedure (not imported)".into(),
            Shape::CityDay => "daily snapshot of a city (totals and groups)".into(),
            Shape::CrawlerDay => "capture tool's daily file (totals and groups)".into(),
        }
    }

    /// Whether the shape carries counts (reported.csv) or only published points.
    pub fn has_counts(self) -> bool {
        matches!(self, Shape::Tree(_) | Shape::Metrics(_))
    }
}

/// A unit as one response shows it.
#[derive(Debug, Clone)]
pub(crate) struct SeenUnit {
    pub portal_id: Option<String>,
    pub code: Option<String>,
    pub name: String,
    /// Index of its parent among the same response's units.
    pub parent: Option<usize>,
    pub level: Level,
    /// Its JSON path, for problems.
    pub path: String,
}

/// A count (or a published ratio) of one unit and sub-indicator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Counted {
    pub unit: usize,
    pub indicator: &'static str,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub quality: Option<String>,
    pub note: &'static str,
}

/// What a published figure is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Indicator,
    Group,
    Total,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Indicator => "indicator",
            Kind::Group => "group",
            Kind::Total => "total",
        }
    }
}

/// A figure the portal published for one unit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shown {
    pub unit: usize,
    pub kind: Kind,
    /// The sub-indicator or group id; empty for a total.
    pub id: &'static str,
    pub points: f64,
    pub max: Option<f64>,
    pub rank: Option<u32>,
    pub rank_of: Option<u32>,
}

/// What one file gave.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub shape: Shape,
    /// The period and snapshot day when the file says them.
    pub period: Option<Period>,
    pub as_of: Option<NaiveDate>,
    pub units: Vec<SeenUnit>,
    pub counted: Vec<Counted>,
    pub shown: Vec<Shown>,
    /// What the summary should say about the file beyond its figures.
    pub notes: Vec<String>,
}

impl Response {
    pub(crate) fn new(shape: Shape) -> Response {
        Response {
            shape,
            period: None,
            as_of: None,
            units: Vec::new(),
            counted: Vec::new(),
            shown: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// One imported file, as the summary reports it.
#[derive(Debug, Clone)]
pub struct FileSummary {
    pub file: String,
    pub shape: Shape,
    pub period: Option<Period>,
    pub as_of: Option<NaiveDate>,
    pub units: usize,
    pub counted: usize,
    pub shown: usize,
    pub notes: Vec<String>,
}

/// A unit of the import.
#[derive(Debug, Clone)]
pub struct ImportedUnit {
    /// The id units.csv gives it: the portal's code, else its UUID.
    pub id: String,
    pub name: String,
    pub parent: Option<usize>,
    pub level: Level,
    pub portal_id: Option<String>,
}

/// A row of reported.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedRow {
    pub unit: usize,
    pub period: Period,
    pub indicator: &'static str,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub quality: Option<String>,
    pub note: &'static str,
}

/// A row of published.csv.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedRow {
    pub unit: usize,
    pub period: Period,
    pub as_of: NaiveDate,
    pub kind: Kind,
    pub id: &'static str,
    pub points: f64,
    pub max: Option<f64>,
    pub rank: Option<u32>,
    pub rank_of: Option<u32>,
    pub source: String,
}

/// The result of an import: the three tables, and what each file gave.
#[derive(Debug, Clone)]
pub struct Import {
    pub units: Vec<ImportedUnit>,
    pub reported: Vec<ReportedRow>,
    pub published: Vec<PublishedRow>,
    pub files: Vec<FileSummary>,
    /// Warnings (unknown metric codes, units known only by UUID …).
    pub warnings: Vec<Problem>,
}

/// The response files of `inputs`: each file as given, each directory's `*.json` files (at any
/// depth, in name order), each with the name it is reported under (a directory's files
/// relative to it).
pub fn input_files(inputs: &[PathBuf]) -> Result<Vec<(PathBuf, String)>, Problem> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found = Vec::new();
            let mut stack = vec![input.clone()];
            while let Some(dir) = stack.pop() {
                let entries = std::fs::read_dir(&dir).map_err(|e| {
                    Problem::error(
                        &dir.display().to_string(),
                        None,
                        format!("cannot read: {e}"),
                    )
                })?;
                for entry in entries.filter_map(Result::ok) {
                    let path = entry.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if path.extension().is_some_and(|e| e == "json") {
                        found.push(path);
                    }
                }
            }
            found.sort();
            if found.is_empty() {
                return Err(Problem::error(
                    &input.display().to_string(),
                    None,
                    "the directory holds no .json file",
                ));
            }
            for path in found {
                let name = path
                    .strip_prefix(input)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((path, name));
            }
        } else {
            out.push((input.clone(), input.to_string_lossy().replace('\\', "/")));
        }
    }
    Ok(out)
}

/// Reads every file of `inputs` ([`input_files`]) and merges them: `Err` holds every problem
/// (errors and warnings) when any is an error.
pub fn import(inputs: &[PathBuf], opts: &Options) -> Result<Import, Vec<Problem>> {
    let files = input_files(inputs).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    // capture manifests first: they date and place in time the responses they list
    let mut parsed = Vec::new();
    let mut captures = HashMap::new();
    for (path, name) in &files {
        let Some(value) = parse_file(path, name, &mut problems) else {
            continue;
        };
        let root = json::Node::root(&value);
        if manifest::is_manifest(&root) {
            let mut reader = json::Reader {
                file: name.clone(),
                problems: &mut problems,
            };
            captures.extend(manifest::read(&mut reader, &root, path));
        } else {
            parsed.push((path, name, value));
        }
    }
    let mut responses = Vec::new();
    for (path, name, value) in &parsed {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let capture = captures.get(&key);
        if let Some(c) = capture.filter(|c| c.one_procedure) {
            let mut r = Response::new(Shape::OneProcedure);
            r.notes.push(format!(
                "{} says it is filtered to one procedure: not a unit's figures, not imported",
                c.manifest
            ));
            responses.push((name.to_string(), r));
            continue;
        }
        if let Some(mut r) = recognise(value, name, &mut problems) {
            if let Some(c) = capture {
                r.period = r.period.or(c.period);
                r.as_of = r.as_of.or(c.as_of);
            }
            responses.push((name.to_string(), r));
        }
    }
    let merged = merge(responses, opts, &mut problems);
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    match merged {
        Some(mut import) => {
            import.warnings = problems;
            Ok(import)
        }
        None => Err(problems),
    }
}

/// The largest response file read (a daily national file is well under 1 MB; a whole
/// province's evaluation response under 1 MB).
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads and parses one file; `None` (with problems) when it is not JSON.
fn parse_file(path: &Path, name: &str, problems: &mut Vec<Problem>) -> Option<serde_json::Value> {
    let bytes = match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            problems.push(Problem::error(
                name,
                None,
                format!("{} bytes: larger than any response chitieu reads", m.len()),
            ));
            return None;
        }
        _ => match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                problems.push(Problem::error(name, None, format!("cannot read: {e}")));
                return None;
            }
        },
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        let what = if bytes.is_empty() {
            "the file is empty".to_string()
        } else {
            format!("the file holds only whitespace ({} bytes)", bytes.len())
        };
        problems.push(Problem::error(
            name,
            None,
            format!("{what}: not a response (was the capture interrupted?)"),
        ));
        return None;
    }
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            let what = match e.classify() {
                serde_json::error::Category::Eof => "the JSON ends too early (truncated?)",
                serde_json::error::Category::Io | serde_json::error::Category::Data => {
                    "not readable JSON"
                }
                serde_json::error::Category::Syntax => "not JSON",
            };
            let detail = e.to_string();
            let at = format!(" at line {} column {}", e.line(), e.column());
            problems.push(Problem::error(
                name,
                None,
                format!(
                    "line {}, column {}: {what}: {}",
                    e.line(),
                    e.column(),
                    detail.strip_suffix(&at).unwrap_or(&detail)
                ),
            ));
            return None;
        }
    };
    Some(value)
}

/// Recognises the shape of a parsed file and reads it; `None` (with problems) when it cannot be
/// used.
fn recognise(
    value: &serde_json::Value,
    name: &str,
    problems: &mut Vec<Problem>,
) -> Option<Response> {
    let mut reader = json::Reader {
        file: name.to_string(),
        problems,
    };
    let root = json::Node::root(value);
    if root.has("code") && root.has("data") {
        groups::read(&mut reader, &root)
    } else if root.has("day") && root.has("departments") {
        snapshots::city_day(&mut reader, &root)
    } else if root.has("metadata")
        && ["provinces", "agencies", "communes"]
            .iter()
            .any(|k| root.has(k))
    {
        snapshots::crawler_day(&mut reader, &root)
    } else {
        reader.error(
            &root,
            format!(
                "found {}: not a response chitieu knows (the portal's {{\"code\", \"data\", \
                 \"message\"}}, a capture manifest with `captures`, a city's daily snapshot with `day` and `departments`, or a \
                 capture tool's file with `metadata` and `provinces` / `agencies` / `communes`)",
                json::found(value)
            ),
        );
        None
    }
}

/// A unit of the merge, before ids are chosen.
struct Merged {
    portal_id: Option<String>,
    code: Option<String>,
    name: String,
    level: Level,
    parent: Option<usize>,
    /// The file and path that gave its parent (or said it is a root), for conflicts.
    parent_from: Option<(String, String)>,
    /// The day and input position its name and level were taken from (the latest wins).
    named_at: (Option<NaiveDate>, usize),
}

/// Merges the responses into one import: units matched by portal id, else by code; periods and
/// days resolved; figures given twice with different values refused.
fn merge(
    responses: Vec<(String, Response)>,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Option<Import> {
    let mut units: Vec<Merged> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_code: HashMap<String, usize> = HashMap::new();
    let mut reported: Vec<(ReportedRow, String)> = Vec::new();
    let mut published: Vec<PublishedRow> = Vec::new();
    let mut files = Vec::new();
    let mut ok = true;
    for (position, (file, r)) in responses.into_iter().enumerate() {
        let figures = !r.units.is_empty();
        let period = match (r.period, opts.period) {
            (Some(own), Some(given)) if own != given => {
                problems.push(Problem::error(
                    &file,
                    None,
                    format!("the file is of period {own}, --period says {given}"),
                ));
                ok = false;
                None
            }
            (Some(own), _) => Some(own),
            (None, given) => given,
        };
        let as_of = r.as_of.or(opts.as_of);
        if figures && period.is_none() {
            problems.push(Problem::error(
                &file,
                None,
                "the response does not say its period (the portal's responses carry it only \
                 in the request): give --period, e.g. --period 2026-08",
            ));
            ok = false;
        }
        if figures && as_of.is_none() {
            problems.push(Problem::error(
                &file,
                None,
                "the response does not say its day (the portal's responses carry no date): \
                 give --as-of, the day it was captured, e.g. --as-of 2026-09-26",
            ));
            ok = false;
        }
        // each unit of the response → its merged unit
        let mut index = Vec::with_capacity(r.units.len());
        let mut seen_here: HashMap<usize, String> = HashMap::new();
        for u in &r.units {
            let found_id = u.portal_id.as_ref().and_then(|id| by_id.get(id).copied());
            let found_code = u.code.as_ref().and_then(|c| by_code.get(c).copied());
            let g = match (found_id, found_code) {
                (Some(a), Some(b)) if a != b => {
                    problems.push(Problem::error(
                        &file,
                        Some(&u.path),
                        format!(
                            "unit `{}` ({}) has the portal id of another unit in an earlier file",
                            u.code.as_deref().unwrap_or_default(),
                            u.name
                        ),
                    ));
                    ok = false;
                    a
                }
                (Some(a), _) | (None, Some(a)) => a,
                (None, None) => {
                    units.push(Merged {
                        portal_id: None,
                        code: None,
                        name: u.name.clone(),
                        level: u.level,
                        parent: None,
                        parent_from: None,
                        named_at: (as_of, position),
                    });
                    units.len() - 1
                }
            };
            if let Some(first) = seen_here.insert(g, u.path.clone()) {
                problems.push(Problem::error(
                    &file,
                    Some(&u.path),
                    format!(
                        "unit {} `{}` twice in one response (first at {first})",
                        u.code
                            .as_deref()
                            .or(u.portal_id.as_deref())
                            .unwrap_or_default(),
                        u.name
                    ),
                ));
                ok = false;
            }
            let m = &mut units[g];
            if let Some(id) = &u.portal_id {
                m.portal_id.get_or_insert_with(|| id.clone());
                by_id.insert(id.clone(), g);
            }
            if let Some(code) = &u.code {
                m.code.get_or_insert_with(|| code.clone());
                by_code.insert(code.clone(), g);
            }
            if (as_of, position) >= m.named_at {
                m.name = u.name.clone();
                m.level = u.level;
                m.named_at = (as_of, position);
            }
            index.push(g);
        }
        // parents, once every unit of the response is matched
        for (u, &g) in r.units.iter().zip(&index) {
            let parent = u.parent.map(|p| index[p]);
            let m = &mut units[g];
            match &m.parent_from {
                None => {
                    m.parent = parent;
                    m.parent_from = Some((file.clone(), u.path.clone()));
                }
                // a root of one response (a province file) may be a child in another (the
                // national one): the known parent stays
                Some(_) if parent.is_none() => {}
                Some(_) if m.parent.is_none() => {
                    m.parent = parent;
                    m.parent_from = Some((file.clone(), u.path.clone()));
                }
                Some((f, p)) if m.parent != parent => {
                    problems.push(Problem::error(
                        &file,
                        Some(&u.path),
                        format!(
                            "unit `{}` has another parent here than in {f} at {p}",
                            u.code.as_deref().unwrap_or(&u.name)
                        ),
                    ));
                    ok = false;
                }
                Some(_) => {}
            }
        }
        if let (Some(period), Some(day)) = (period, as_of) {
            for c in &r.counted {
                reported.push((
                    ReportedRow {
                        unit: index[c.unit],
                        period,
                        indicator: c.indicator,
                        value: c.value,
                        numerator: c.numerator,
                        denominator: c.denominator,
                        quality: c.quality.clone(),
                        note: c.note,
                    },
                    file.clone(),
                ));
            }
            for s in &r.shown {
                published.push(PublishedRow {
                    unit: index[s.unit],
                    period,
                    as_of: day,
                    kind: s.kind,
                    id: s.id,
                    points: s.points,
                    max: s.max,
                    rank: s.rank,
                    rank_of: s.rank_of,
                    source: file.clone(),
                });
            }
        }
        files.push(FileSummary {
            file,
            shape: r.shape,
            period: period.filter(|_| figures),
            as_of: as_of.filter(|_| figures),
            units: r.units.len(),
            counted: r.counted.len(),
            shown: r.shown.len(),
            notes: r.notes,
        });
    }
    ok &= no_cycle(&units, problems);
    let reported = without_repeats_reported(reported, &units, problems, &mut ok);
    let published = without_repeats_published(published, &units, problems, &mut ok);
    if !ok {
        return None;
    }
    let imported: Vec<ImportedUnit> = units
        .iter()
        .map(|m| ImportedUnit {
            id: m
                .code
                .clone()
                .or_else(|| m.portal_id.clone())
                .unwrap_or_else(|| m.name.clone()),
            name: m.name.clone(),
            parent: m.parent,
            level: m.level,
            portal_id: m.portal_id.clone(),
        })
        .collect();
    for (m, u) in units.iter().zip(&imported) {
        if m.code.is_none() {
            problems.push(Problem::warning(
                &m.parent_from
                    .as_ref()
                    .map(|(f, _)| f.clone())
                    .unwrap_or_default(),
                m.parent_from.as_ref().map(|(_, p)| p.as_str()),
                format!(
                    "no response gives the unit code of `{}`: its id is its portal id {} (import \
                     a tree endpoint or dossier-digitized of the same capture for the codes)",
                    u.name, u.id
                ),
            ));
        }
    }
    Some(Import {
        units: imported,
        reported,
        published,
        files,
        warnings: Vec::new(),
    })
}

/// Hundredths: published figures have at most 2 decimals.
fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

/// A cycle of parents is an error naming its units.
fn no_cycle(units: &[Merged], problems: &mut Vec<Problem>) -> bool {
    let mut state = vec![0u8; units.len()]; // 0 unvisited, 1 on the current walk, 2 done
    for start in 0..units.len() {
        let mut walk = Vec::new();
        let mut at = Some(start);
        while let Some(u) = at {
            match state[u] {
                2 => break,
                1 => {
                    let from = walk.iter().position(|&w| w == u).unwrap_or(0);
                    let names: Vec<String> = walk[from..]
                        .iter()
                        .chain(std::iter::once(&u))
                        .map(|&w: &usize| {
                            units[w]
                                .code
                                .clone()
                                .unwrap_or_else(|| units[w].name.clone())
                        })
                        .collect();
                    let (file, path) = units[u].parent_from.clone().unwrap_or_default();
                    problems.push(Problem::error(
                        &file,
                        Some(&path),
                        format!("the units' parents make a cycle: {}", names.join(" → ")),
                    ));
                    for &w in &walk {
                        state[w] = 2;
                    }
                    return false;
                }
                _ => {
                    state[u] = 1;
                    walk.push(u);
                    at = units[u].parent;
                }
            }
        }
        for &w in &walk {
            state[w] = 2;
        }
    }
    true
}

fn unit_name(units: &[Merged], u: usize) -> String {
    units[u]
        .code
        .clone()
        .or_else(|| units[u].portal_id.clone())
        .unwrap_or_else(|| units[u].name.clone())
}

/// reported.csv rows, one per (unit, period, indicator): the same figures twice collapse, other
/// figures for the same key are an error.
fn without_repeats_reported(
    rows: Vec<(ReportedRow, String)>,
    units: &[Merged],
    problems: &mut Vec<Problem>,
    ok: &mut bool,
) -> Vec<ReportedRow> {
    let mut out: Vec<ReportedRow> = Vec::new();
    let mut first: HashMap<(usize, Period, &'static str), (usize, String)> = HashMap::new();
    for (row, file) in rows {
        let key = (row.unit, row.period, row.indicator);
        match first.get(&key) {
            Some((i, _)) if out[*i] == row => {}
            Some((_, other)) => {
                problems.push(Problem::error(
                    &file,
                    None,
                    format!(
                        "{} {} {}: other counts than in {other} (import one capture of each \
                         endpoint per period)",
                        unit_name(units, row.unit),
                        row.period,
                        row.indicator
                    ),
                ));
                *ok = false;
            }
            None => {
                first.insert(key, (out.len(), file));
                out.push(row);
            }
        }
    }
    out.sort_by_key(|r| (r.unit, r.period, codes::indicator_rank(r.indicator)));
    out
}

/// published.csv rows, one per (unit, period, day, kind, id), sorted by day, unit, kind, id.
fn without_repeats_published(
    rows: Vec<PublishedRow>,
    units: &[Merged],
    problems: &mut Vec<Problem>,
    ok: &mut bool,
) -> Vec<PublishedRow> {
    let mut out: Vec<PublishedRow> = Vec::new();
    let mut first: HashMap<(usize, Period, NaiveDate, Kind, &'static str), usize> = HashMap::new();
    for row in rows {
        let key = (row.unit, row.period, row.as_of, row.kind, row.id);
        match first.get(&key) {
            Some(&i) => {
                // the same figure in two files (a province's overview in its agencies' and its
                // communes' files): one row, with what either adds (a maximum, a rank)
                if cents(out[i].points) == cents(row.points) {
                    let kept = &mut out[i];
                    kept.max = kept.max.or(row.max);
                    if kept.rank.is_none() {
                        kept.rank = row.rank;
                        kept.rank_of = row.rank_of;
                    }
                } else {
                    let what = match row.kind {
                        Kind::Total => "total".to_string(),
                        kind => format!("{} {}", kind.as_str(), row.id),
                    };
                    problems.push(Problem::error(
                        &row.source,
                        None,
                        format!(
                            "{} {} {what}: published {} here, {} in {} for the same day",
                            unit_name(units, row.unit),
                            row.period,
                            output::number(row.points),
                            output::number(out[i].points),
                            out[i].source
                        ),
                    ));
                    *ok = false;
                }
            }
            None => {
                first.insert(key, out.len());
                out.push(row);
            }
        }
    }
    let rank = |r: &PublishedRow| match r.kind {
        Kind::Indicator => codes::indicator_rank(r.id),
        Kind::Group => codes::group_rank(r.id),
        Kind::Total => 0,
    };
    out.sort_by(|a, b| {
        (a.as_of, a.unit, a.kind, rank(a), a.period).cmp(&(
            b.as_of,
            b.unit,
            b.kind,
            rank(b),
            b.period,
        ))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::{import, Kind, Options};
    use crate::data::Period;

    /// A `service-results` response as the portal returns it (shared/portal766-dev/README.md
    /// §3.1: units with `groupScores` keyed by group code, a rank in national lists).
    #[test]
    fn service_results_give_totals_groups_and_ranks() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("service-results.json");
        let body = r#"{"code":"OK","message":"OK","data":{"items":[
            {"departmentId":"u-20","departmentName":"UBND tỉnh Đồng Tháp","departmentCode":"H20",
             "departmentLevel":"PROVINCE","totalScore":68.53,"totalMaxScore":100,"ratio":68.53,
             "scoreDelta":24.68,"rank":1,"newField":[1,2],
             "groupScores":{"CKMB":11.45,"TDGQ":17.86,"CLGQ":8.83,"TTTT":6.21,"MDSH":9.72,"MDHL":14.46}},
            {"departmentId":"u-32","departmentName":"UBND tỉnh Khánh Hòa","departmentCode":"H32",
             "departmentLevel":"PROVINCE","totalScore":52.77,"totalMaxScore":100,"rank":2,
             "groupScores":{"CKMB":6.0,"TDGQ":16.63,"ONLINE":6.91,"TTTT":6.15,"MDSH":9.33,"MDHL":7.75}}
        ],"pagination":{"total":2}}}"#;
        std::fs::write(&path, body).unwrap_or_else(|e| panic!("{e}"));
        let opts = Options {
            period: Period::parse("2026"),
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 9, 26),
        };
        let got = import(&[path], &opts).unwrap_or_else(|p| panic!("{p:?}"));
        let ids: Vec<&str> = got.units.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["H20", "H32"]);
        assert!(got.reported.is_empty());
        let totals: Vec<(f64, Option<u32>, Option<u32>)> = got
            .published
            .iter()
            .filter(|p| p.kind == Kind::Total)
            .map(|p| (p.points, p.rank, p.rank_of))
            .collect();
        assert_eq!(
            totals,
            [(68.53, Some(1), Some(2)), (52.77, Some(2), Some(2))]
        );
        // ONLINE is clgq; 7 rows a unit
        assert_eq!(got.published.len(), 14);
        assert!(got
            .published
            .iter()
            .any(|p| p.unit == 1 && p.id == "clgq" && p.points == 6.91));
    }
}

#[cfg(test)]
mod manifest_tests {
    use super::{import, Kind, Options, Shape};
    use crate::data::Period;

    /// A capture manifest gives each response its period (from the request: timeType and month,
    /// or fromDate and toDate) and its day (capturedAt); a response filtered to one procedure is
    /// left out.
    #[test]
    fn a_manifest_dates_and_places_each_response() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/portal766/with-manifest");
        let got = import(&[dir], &Options::default()).unwrap_or_else(|p| panic!("{p:?}"));
        let files: Vec<(&str, Shape, Option<String>, Option<String>)> = got
            .files
            .iter()
            .map(|f| {
                (
                    f.file.as_str(),
                    f.shape,
                    f.period.map(|p| p.to_string()),
                    f.as_of.map(|d| d.to_string()),
                )
            })
            .collect();
        assert_eq!(
            files,
            [
                (
                    "dvc-progress-tree/month-all.json",
                    Shape::Tree("tdgq"),
                    Some("2026-08".into()),
                    Some("2026-09-26".into())
                ),
                (
                    "dvc-progress-tree/month-formality.json",
                    Shape::OneProcedure,
                    None,
                    None
                ),
                (
                    "transparency/month-all.json",
                    Shape::Metrics("ckmb"),
                    Some("2026-08".into()),
                    Some("2026-09-28".into())
                ),
            ]
        );
        // the transparency rows (no unit codes) take the codes of the tree's units
        let ids: Vec<&str> = got.units.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, ["H99", "H99.01", "H99.100"]);
        assert!(got
            .reported
            .iter()
            .all(|r| r.period == Period::Month(2026, 8)));
        let days: Vec<(Kind, &str, String)> = got
            .published
            .iter()
            .filter(|p| p.unit == 1 && p.kind == Kind::Group)
            .map(|p| (p.kind, p.id, p.as_of.to_string()))
            .collect();
        assert_eq!(
            days,
            [
                (Kind::Group, "tdgq", "2026-09-26".into()),
                (Kind::Group, "ckmb", "2026-09-28".into())
            ]
        );
    }
}
