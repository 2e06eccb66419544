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
mod merge;
mod output;
mod snapshots;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub use codes::{group_max, GROUPS};
pub use output::NAMES;

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
    let merged = merge::merge(responses, opts, &mut problems);
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

#[cfg(test)]
mod tests;

#[cfg(test)]
mod manifest_tests;
