//! Loading a catalogue directory: `catalogue.toml` and every other `*.toml` file, parsed once
//! into toml's spanned tree and read key by key into the typed model. Reports the problems of
//! one definition at a time (E100–E103, E111, E120–E125, E140, E150); problems that need the
//! whole catalogue (duplicates, groups, datasets, SQL) are checked in `check::rules`.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::fields::{integer_of, number_of, Fields};
use super::model::*;
use super::target::{self, RawTarget};
use crate::check::{Code, Diagnostic, Sources};
use crate::tasks::{parse_deadline, Deadline};

/// A loaded catalogue with the problems found while reading it. The catalogue holds every
/// definition that could be read, so that later checks still see them.
#[derive(Debug)]
pub struct Loaded {
    pub catalogue: Catalogue,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

/// Problems that stop loading altogether (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} is not a catalogue: it has no catalogue.toml")]
    NotCatalogue(PathBuf),
    #[error("{0} does not exist")]
    Missing(PathBuf),
}

const CATALOGUE_KEYS: &[&str] = &[
    "id",
    "title",
    "issuer",
    "document",
    "scoring",
    "missing",
    "near",
    "min_coverage",
    "group",
    "grade",
    "dataset",
    "indicator",
    "task",
];
const FILE_KEYS: &[&str] = &["indicator", "task"];
const INDICATOR_KEYS: &[&str] = &[
    "id",
    "code",
    "name",
    "group",
    "unit",
    "unit_label",
    "direction",
    "owner",
    "partners",
    "points",
    "scoring",
    "baseline",
    "limits",
    "rollup",
    "source",
    "note",
    "measure",
    "targets",
];
const TASK_KEYS: &[&str] = &[
    "id", "code", "name", "group", "lead", "partners", "product", "deadline", "due", "source",
    "note",
];
const MEASURE_KEYS: &[&str] = &["dataset", "numerator", "denominator", "value", "filter"];
const GROUP_KEYS: &[&str] = &["id", "name", "points"];
const GRADE_KEYS: &[&str] = &["name", "min"];
const DATASET_KEYS: &[&str] = &["unit", "date", "columns"];

/// Nesting deeper than this is refused before parsing (E100), so that no input can exhaust the
/// stack of the recursive TOML parser.
const MAX_NESTING: usize = 64;

/// Loads the catalogue in `dir`.
pub fn load_catalogue(dir: &Path) -> Result<Loaded, LoadError> {
    let main = dir.join("catalogue.toml");
    if !dir.exists() {
        return Err(LoadError::Missing(dir.to_path_buf()));
    }
    if !main.is_file() {
        return Err(LoadError::NotCatalogue(dir.to_path_buf()));
    }
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut others: Vec<PathBuf> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| LoadError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        let is_toml = path.extension().is_some_and(|e| e == "toml");
        // not `is_file`: a link to nowhere is read, and fails, rather than skipped in silence
        if is_toml && !path.is_dir() && path.file_name().is_some_and(|n| n != "catalogue.toml") {
            others.push(path);
        }
    }
    others.sort();

    let mut loader = Loader::new(dir);
    for path in std::iter::once(main).chain(others) {
        let bytes = std::fs::read(&path).map_err(|source| LoadError::Io {
            path: path.clone(),
            source,
        })?;
        loader.file(path, bytes);
    }
    Ok(Loaded {
        catalogue: loader.catalogue,
        diagnostics: loader.diags,
        sources: loader.sources,
    })
}

impl Loader {
    fn new(dir: &Path) -> Loader {
        Loader {
            catalogue: Catalogue {
                dir: dir.to_path_buf(),
                id: String::new(),
                title: String::new(),
                issuer: None,
                document: None,
                scoring: Scoring::Capped,
                missing: Missing::Zero,
                near: 0.9,
                min_coverage: 0.0,
                groups: Vec::new(),
                grades: default_grades(),
                datasets: Vec::new(),
                indicators: Vec::new(),
                tasks: Vec::new(),
                files: Vec::new(),
            },
            diags: Vec::new(),
            sources: Sources::default(),
            has_groups: false,
        }
    }
}

/// Loads a catalogue from in-memory files (`catalogue.toml` first, then the others in the
/// order given): for tests and generated catalogues.
pub fn load_from_strings(files: &[(&str, &str)]) -> Loaded {
    let mut loader = Loader::new(Path::new("."));
    for (name, text) in files {
        loader.file(PathBuf::from(name), text.as_bytes().to_vec());
    }
    Loaded {
        catalogue: loader.catalogue,
        diagnostics: loader.diags,
        sources: loader.sources,
    }
}

struct Loader {
    catalogue: Catalogue,
    diags: Vec<Diagnostic>,
    sources: Sources,
    /// Set once catalogue.toml has been read: whether it defines groups.
    has_groups: bool,
}

impl Loader {
    fn file(&mut self, path: PathBuf, bytes: Vec<u8>) {
        let is_main = path.file_name().is_some_and(|n| n == "catalogue.toml");
        let file = self.catalogue.files.len();
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let d = Diagnostic::at(
                    Code::E100,
                    &path,
                    at..at + 1,
                    "file is not valid UTF-8 text",
                )
                .label("invalid byte here")
                .help("save the file as UTF-8");
                self.finish_file(path, text, vec![d]);
                return;
            }
        };
        let mut diags = Vec::new();
        if let Some(at) = too_deep(&text) {
            diags.push(
                Diagnostic::at(
                    Code::E100,
                    &path,
                    at..at + 1,
                    format!("nesting deeper than {MAX_NESTING} levels"),
                )
                .label("too deep")
                .help("definitions need at most a few levels of tables and arrays"),
            );
            self.finish_file(path, text, diags);
            return;
        }
        {
            let (root, errors) = DeTable::parse_recoverable(&text);
            if !errors.is_empty() {
                for e in errors {
                    let span = e.span().unwrap_or(0..0);
                    let message = e
                        .message()
                        .lines()
                        .next()
                        .unwrap_or("invalid TOML")
                        .trim()
                        .to_string();
                    diags.push(
                        Diagnostic::at(Code::E100, &path, span, format!("TOML syntax error: {message}"))
                            .label("here")
                            .help("the definitions are TOML: check quotes, brackets, `=` and duplicated keys"),
                    );
                }
            } else {
                let root_span = 0..0;
                let table = root.get_ref();
                let known = if is_main { CATALOGUE_KEYS } else { FILE_KEYS };
                let what = if is_main { "catalogue" } else { "file" };
                let mut fields = Fields::new(table, root_span, &path, what, known);
                if is_main {
                    self.meta(&mut fields, file);
                }
                for (item, span) in fields.tables("indicator") {
                    let (indicator, mut d) = self.indicator(item, span, &path, file);
                    diags.append(&mut d);
                    self.catalogue.indicators.extend(indicator);
                }
                for (item, span) in fields.tables("task") {
                    let (task, mut d) = self.task(item, span, &path, file);
                    diags.append(&mut d);
                    self.catalogue.tasks.extend(task);
                }
                diags.append(&mut fields.diags);
            }
        }
        self.finish_file(path, text, diags);
    }

    fn finish_file(&mut self, path: PathBuf, text: String, mut diags: Vec<Diagnostic>) {
        self.diags.append(&mut diags);
        self.sources.insert(path.clone(), text.clone());
        self.catalogue.files.push(SourceFile { path, text });
    }

    /// The metadata of catalogue.toml: id, title, defaults, groups, grades, datasets.
    fn meta(&mut self, f: &mut Fields<'_, '_>, file: usize) {
        let c = &mut self.catalogue;
        if let Some(id) = f.required_string("id", "add id = \"my-plan-2026\" (lower-case ASCII)") {
            check_id(f, &id);
            c.id = id.into_inner();
        }
        if let Some(title) = f.required_string(
            "title",
            "add the plan's title, e.g. title = \"Kế hoạch ...\"",
        ) {
            c.title = title.into_inner();
        }
        c.issuer = f.string("issuer").map(Spanned::into_inner);
        c.document = f.string("document").map(Spanned::into_inner);
        if let Some(s) = f.choice("scoring", Scoring::NAMES, Scoring::parse) {
            c.scoring = s.into_inner();
        }
        let missing = |s: &str| match s {
            "zero" => Some(Missing::Zero),
            "exclude" => Some(Missing::Exclude),
            _ => None,
        };
        if let Some(m) = f.choice("missing", &["zero", "exclude"], missing) {
            c.missing = m.into_inner();
        }
        if let Some(near) = f.number("near") {
            if *near.get_ref() > 0.0 && *near.get_ref() < 1.0 {
                c.near = *near.get_ref();
            } else {
                f.wrong(
                    "near",
                    near.span(),
                    format!(
                        "`near` must lie strictly between 0 and 1, found {}",
                        near.get_ref()
                    ),
                    "e.g. near = 0.9: an unmet indicator at 90% of its target is \"gan_dat\"",
                );
            }
        }
        if let Some(cov) = f.number("min_coverage") {
            if (0.0..=1.0).contains(cov.get_ref()) {
                c.min_coverage = *cov.get_ref();
            } else {
                f.wrong(
                    "min_coverage",
                    cov.span(),
                    format!("`min_coverage` must lie in 0..1, found {}", cov.get_ref()),
                    "a share of scored indicators with data, e.g. min_coverage = 0.5",
                );
            }
        }
        for (table, span) in f.tables("group") {
            let mut g = Fields::new(table, span, f.path(), "group", GROUP_KEYS);
            let id = g.required_string("id", "add id = \"I\"");
            let name = g.required_string("name", "add the group's name as written in the plan");
            let points = g.number("points").map(Spanned::into_inner);
            if let Some(p) = g.get("points").filter(|_| points.is_some_and(|p| p < 0.0)) {
                g.wrong(
                    "points",
                    p.span(),
                    "`points` cannot be negative".to_string(),
                    "points are the group's share of 100",
                );
            }
            if let (Some(id), Some(name)) = (id, name) {
                if self.catalogue.groups.iter().any(|x| x.id == *id.get_ref()) {
                    g.diags.push(
                        Diagnostic::at(
                            Code::E110,
                            f.path(),
                            id.span(),
                            format!("duplicate group id \"{}\"", id.get_ref()),
                        )
                        .label("defined again here")
                        .help("give each group its own id"),
                    );
                } else {
                    self.catalogue.groups.push(Group {
                        id: id.into_inner(),
                        name: name.into_inner(),
                        points,
                    });
                }
            }
            f.diags.append(&mut g.diags);
        }
        self.has_groups = !self.catalogue.groups.is_empty();
        let grade_tables = f.tables("grade");
        if !grade_tables.is_empty() {
            let mut bands: Vec<(GradeBand, Range<usize>)> = Vec::new();
            let last = grade_tables.len() - 1;
            for (i, (table, span)) in grade_tables.into_iter().enumerate() {
                let mut g = Fields::new(table, span.clone(), f.path(), "grade band", GRADE_KEYS);
                let name = g.required_string("name", "add name = \"Tốt\"");
                let min = if i == last && g.get("min").is_none() {
                    Some(Spanned::new(span.clone(), 0.0))
                } else {
                    match g.get("min") {
                        None => {
                            g.missing(
                                "min",
                                "every band but the last needs min = <lowest score of the band>",
                            );
                            None
                        }
                        Some(_) => g.number("min"),
                    }
                };
                if let (Some(name), Some(min)) = (name, min) {
                    bands.push((
                        GradeBand {
                            name: name.into_inner(),
                            min: *min.get_ref(),
                        },
                        min.span(),
                    ));
                }
                f.diags.append(&mut g.diags);
            }
            for pair in bands.windows(2) {
                if pair[1].0.min >= pair[0].0.min {
                    f.diags.push(
                        Diagnostic::at(
                            Code::E150,
                            f.path(),
                            pair[1].1.clone(),
                            format!(
                                "grade \"{}\" (min {}) is not below the band before it (min {})",
                                pair[1].0.name, pair[1].0.min, pair[0].0.min
                            ),
                        )
                        .label("not strictly decreasing")
                        .note(pair[0].1.clone(), "previous band")
                        .help("order [[grade]] bands from the highest `min` to the lowest"),
                    );
                }
            }
            if let Some((band, span)) = bands.last() {
                if band.min != 0.0 {
                    f.diags.push(
                        Diagnostic::at(Code::E150, f.path(), span.clone(), format!("the last grade band \"{}\" has min = {}", band.name, band.min))
                            .label("the last band must have min = 0")
                            .help("end the bands with min = 0 (or leave out its min) so that every score gets a grade"),
                    );
                }
            }
            self.catalogue.grades = bands.into_iter().map(|(b, _)| b).collect();
        }
        if let Some((datasets, _)) = f.table("dataset") {
            for (name, value) in datasets.iter() {
                let DeValue::Table(table) = value.get_ref() else {
                    f.diags.push(
                        Diagnostic::at(
                            Code::E103,
                            f.path(),
                            value.span(),
                            format!("dataset `{}` must be a table", name.get_ref()),
                        )
                        .help("write [dataset.NAME] with unit, date and columns"),
                    );
                    continue;
                };
                let mut d = Fields::new(table, name.span(), f.path(), "dataset", DATASET_KEYS);
                let unit = d.required_string("unit", "add unit = \"<column holding the unit id>\"");
                let date =
                    d.required_string("date", "add date = \"<column holding the record's date>\"");
                let columns = d.get("columns").map(|_| d.strings("columns"));
                if let (Some(unit), Some(date)) = (unit, date) {
                    self.catalogue.datasets.push(Dataset {
                        name: name.get_ref().to_string(),
                        unit: unit.into_inner(),
                        date: date.into_inner(),
                        columns,
                        loc: Loc {
                            file,
                            span: name.span(),
                        },
                    });
                }
                f.diags.append(&mut d.diags);
            }
        }
    }

    fn indicator(
        &self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &Path,
        file: usize,
    ) -> (Option<Indicator>, Vec<Diagnostic>) {
        let mut f = Fields::new(table, span.clone(), path, "indicator", INDICATOR_KEYS);
        let id = f.required_string(
            "id",
            "add id = \"<lower-case slug>\", e.g. id = \"vneid-muc-2\"",
        );
        if let Some(id) = &id {
            check_id(&mut f, id);
        }
        let name = f.required_string("name", "add the indicator's name as written in the plan");
        let group = self.group_key(&mut f);
        let unit = match f.get("unit") {
            None => {
                f.missing(
                    "unit",
                    "add unit = \"%\" (or \"count\", \"rank\", \"score\", \"boolean\")",
                );
                None
            }
            Some(_) => f
                .choice("unit", UnitKind::NAMES, UnitKind::parse)
                .map(Spanned::into_inner),
        };
        let direction_value = f.choice("direction", &["higher", "lower"], |s| match s {
            "higher" => Some(Direction::Higher),
            "lower" => Some(Direction::Lower),
            _ => None,
        });
        let direction = match (unit, direction_value) {
            (Some(UnitKind::Boolean), Some(d)) => {
                f.wrong(
                    "direction",
                    d.span(),
                    "a boolean indicator has no direction".to_string(),
                    "remove `direction`; a boolean target is \"done\"",
                );
                None
            }
            (Some(UnitKind::Boolean), None) => None,
            (Some(UnitKind::Rank), Some(d)) if *d.get_ref() != Direction::Lower => {
                f.wrong(
                    "direction",
                    d.span(),
                    "a rank indicator's direction is always \"lower\"".to_string(),
                    "remove `direction` or write direction = \"lower\" (rank 1 is best)",
                );
                Some(Direction::Lower)
            }
            (Some(UnitKind::Rank), _) => Some(Direction::Lower),
            (Some(u), None) => {
                f.missing(
                    "direction",
                    &format!(
                        "a \"{}\" indicator needs direction = \"higher\" or \"lower\"",
                        u.as_str()
                    ),
                );
                None
            }
            (_, d) => d.map(Spanned::into_inner),
        };
        let limits = match f.get("limits") {
            None => unit.map_or((0.0, f64::INFINITY), UnitKind::default_limits),
            Some(value) => match limits_of(value.get_ref()) {
                Some(l) => l,
                None => {
                    f.wrong(
                        "limits",
                        value.span(),
                        "`limits` must be two numbers [low, high] with low < high".to_string(),
                        "e.g. limits = [0, 100]",
                    );
                    unit.map_or((0.0, f64::INFINITY), UnitKind::default_limits)
                }
            },
        };
        let points = f.number("points");
        if let Some(p) = &points {
            if *p.get_ref() < 0.0 {
                f.wrong(
                    "points",
                    p.span(),
                    "`points` cannot be negative".to_string(),
                    "points are the indicator's maximum score",
                );
            }
        }
        let scoring = f
            .choice("scoring", Scoring::NAMES, Scoring::parse)
            .map(Spanned::into_inner);
        let rollup = f
            .choice("rollup", Rollup::NAMES, Rollup::parse)
            .map(Spanned::into_inner);
        let baseline = f.table("baseline").and_then(|(t, span)| {
            let mut b = Fields::new(t, span, path, "baseline", &["year", "value"]);
            let year = match b.get("year") {
                None => {
                    b.missing("year", "write baseline = { year = 2025, value = 62.0 }");
                    None
                }
                Some(_) => b.integer("year"),
            };
            let value = match b.get("value") {
                None => {
                    b.missing("value", "write baseline = { year = 2025, value = 62.0 }");
                    None
                }
                Some(_) => b.number("value"),
            };
            f.diags.append(&mut b.diags);
            Some(Baseline {
                year: *year?.get_ref() as i32,
                value: *value?.get_ref(),
            })
        });
        let measure = match f.table("measure") {
            None => Some(Measure::Reported),
            Some((t, span)) => measure(t, span, path, file, &mut f.diags),
        };
        let targets = match f.table("targets") {
            None => Vec::new(),
            // without a unit, or without the direction a unit needs (already E102), targets
            // cannot be read; saying so again for each would only repeat that error
            Some((t, _)) => match unit {
                Some(unit) if direction.is_some() || unit == UnitKind::Boolean => {
                    targets(t, unit, direction, limits, path, file, &mut f.diags)
                }
                _ => Vec::new(),
            },
        };
        let id_span = id.as_ref().map_or(span.clone(), Spanned::span);
        let indicator = Indicator {
            id_span,
            id: id.map(Spanned::into_inner).unwrap_or_default(),
            code: f.string("code").map(Spanned::into_inner),
            name: name.map(Spanned::into_inner).unwrap_or_default(),
            group,
            unit: unit.unwrap_or(UnitKind::Percent),
            unit_label: f.string("unit_label").map(Spanned::into_inner),
            direction,
            owner: f.strings("owner"),
            partners: f.strings("partners"),
            points: points.map(Spanned::into_inner),
            scoring,
            baseline,
            limits,
            rollup,
            source: f.string("source").map(Spanned::into_inner),
            note: f.string("note").map(Spanned::into_inner),
            measure: measure.unwrap_or(Measure::Reported),
            targets,
            loc: Loc { file, span },
            complete: true,
        };
        let mut indicator = indicator;
        indicator.complete = f.diags.iter().all(|d| !d.is_error());
        (Some(indicator), f.diags)
    }

    fn task(
        &self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &Path,
        file: usize,
    ) -> (Option<Task>, Vec<Diagnostic>) {
        let mut f = Fields::new(table, span.clone(), path, "task", TASK_KEYS);
        let id = f.required_string(
            "id",
            "add id = \"<lower-case slug>\", e.g. id = \"pl2-ii-03\"",
        );
        if let Some(id) = &id {
            check_id(&mut f, id);
        }
        let name = f.required_string("name", "add the task's name as written in the plan");
        let group = self.group_key(&mut f);
        let due = f.get("due").and_then(|v| match v.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => chrono::NaiveDate::from_ymd_opt(
                    i32::from(d.year),
                    u32::from(d.month),
                    u32::from(d.day),
                ),
                _ => None,
            },
            _ => None,
        });
        if let (Some(v), None) = (f.get("due"), due) {
            f.wrong(
                "due",
                v.span(),
                "`due` must be a TOML date such as 2026-06-30".to_string(),
                "write due = 2026-06-30 (no quotes, no time)",
            );
        }
        let deadline_text = match (f.get("deadline"), due) {
            (None, Some(_)) => Some(String::new()),
            (None, None) => {
                f.missing("deadline", "add the deadline as written in the plan, e.g. deadline = \"Quý I/2027\", or due = 2027-03-31");
                None
            }
            (Some(_), _) => f.string("deadline").map(Spanned::into_inner),
        };
        let deadline = match (due, &deadline_text) {
            (Some(d), _) => Some(Deadline::Date(d)),
            (None, Some(text)) => {
                let parsed = parse_deadline(text);
                if parsed.is_none() {
                    let at = f.get("deadline").map_or(span.clone(), Spanned::span);
                    f.diags.push(
                        Diagnostic::at(
                            Code::E140,
                            path,
                            at,
                            format!(
                                "unrecognised task deadline \"{}\"",
                                crate::text::clip(text, 60)
                            ),
                        )
                        .label("not a date, a recurring form or a condition")
                        .help(format!(
                            "{}; or give due = 2026-06-30",
                            crate::tasks::deadline::FORMS_HELP
                        )),
                    );
                }
                parsed
            }
            (None, None) => None,
        };
        let id_span = id.as_ref().map_or(span.clone(), Spanned::span);
        let task = Task {
            id_span,
            id: id.map(Spanned::into_inner).unwrap_or_default(),
            code: f.string("code").map(Spanned::into_inner),
            name: name.map(Spanned::into_inner).unwrap_or_default(),
            group,
            lead: f.strings("lead"),
            partners: f.strings("partners"),
            product: f.string("product").map(Spanned::into_inner),
            deadline_text: deadline_text.unwrap_or_default(),
            deadline: deadline.unwrap_or(Deadline::Conditional),
            source: f.string("source").map(Spanned::into_inner),
            note: f.string("note").map(Spanned::into_inner),
            loc: Loc { file, span },
            complete: true,
        };
        let mut task = task;
        task.complete = f.diags.iter().all(|d| !d.is_error());
        (Some(task), f.diags)
    }

    /// The `group` key: required when the catalogue defines groups, and must name one (E112).
    fn group_key(&self, f: &mut Fields<'_, '_>) -> Option<String> {
        let group = f.string("group");
        let known: Vec<&str> = self
            .catalogue
            .groups
            .iter()
            .map(|g| g.id.as_str())
            .collect();
        match group {
            None if self.has_groups && f.get("group").is_none() => {
                let d = Diagnostic::at(
                    Code::E112,
                    f.path(),
                    f.span(),
                    "the catalogue defines groups, and this definition names none",
                )
                .label("no `group` key")
                .help(format!("add group = one of {}", known.join(", ")));
                f.diags.push(d);
                None
            }
            Some(g) if !known.contains(&g.get_ref().as_str()) => {
                let help = if known.is_empty() {
                    "catalogue.toml defines no [[group]]; add one or remove `group`".to_string()
                } else {
                    format!("groups of this catalogue: {}", known.join(", "))
                };
                let d = Diagnostic::at(
                    Code::E112,
                    f.path(),
                    g.span(),
                    format!("unknown group \"{}\"", g.get_ref()),
                )
                .label("not a group of catalogue.toml")
                .help(help);
                f.diags.push(d);
                None
            }
            g => g.map(Spanned::into_inner),
        }
    }
}

/// Ids match `[a-z0-9][a-z0-9_.-]*` (E111).
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-'))
}

fn check_id(f: &mut Fields<'_, '_>, id: &Spanned<String>) {
    if !is_valid_id(id.get_ref()) {
        let suggestion = slug(id.get_ref());
        let help = if suggestion.is_empty() {
            "ids are lower-case ASCII letters, digits, `_`, `.`, `-`, starting with a letter or digit".to_string()
        } else {
            format!("ids are lower-case ASCII letters, digits, `_`, `.`, `-`: try \"{suggestion}\"")
        };
        f.diags.push(
            Diagnostic::at(
                Code::E111,
                f.path(),
                id.span(),
                format!("invalid id \"{}\"", crate::text::clip(id.get_ref(), 60)),
            )
            .label("must match [a-z0-9][a-z0-9_.-]*")
            .help(help),
        );
    }
}

/// A suggested slug for an invalid id: folded to ASCII, other characters as `-`.
fn slug(s: &str) -> String {
    let folded = crate::text::fold(s);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn limits_of(value: &DeValue<'_>) -> Option<(f64, f64)> {
    let DeValue::Array(items) = value else {
        return None;
    };
    if items.len() != 2 {
        return None;
    }
    let lo = number_of(items[0].get_ref())?;
    let hi = number_of(items[1].get_ref())?;
    (lo < hi).then_some((lo, hi))
}

fn measure(
    table: &DeTable<'_>,
    span: Range<usize>,
    path: &Path,
    file: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<Measure> {
    let mut m = Fields::new(table, span.clone(), path, "measure", MEASURE_KEYS);
    let dataset = m.required_string(
        "dataset",
        "name a dataset of catalogue.toml, e.g. dataset = \"ho_so\"",
    );
    let numerator = m.string("numerator");
    let denominator = m.string("denominator");
    let value = m.string("value");
    let filter = m.string("filter");
    // decided on which keys are present, so that a wrongly typed key (E103) is not also missing
    let has = |k: &str| m.get(k).is_some();
    let present = |k: &str| has(k).then_some(());
    match (present("numerator"), present("denominator"), m.get("value")) {
        (Some(_), Some(_), None) | (None, None, Some(_)) => {}
        (None, None, None) => m.missing(
            "value",
            "give numerator and denominator (a ratio) or value (a count or score)",
        ),
        (Some(_), None, None) => m.missing(
            "denominator",
            "a ratio needs both numerator and denominator",
        ),
        (None, Some(_), None) => {
            m.missing("numerator", "a ratio needs both numerator and denominator")
        }
        (_, _, Some(v)) => m.wrong(
            "value",
            v.span(),
            "a measure gives either `value` or `numerator`/`denominator`, not both".to_string(),
            "keep numerator and denominator for a ratio, value for a count or score",
        ),
    }
    let ok = m.diags.is_empty();
    diags.append(&mut m.diags);
    if !ok {
        return None;
    }
    Some(Measure::Computed(Box::new(ComputedMeasure {
        dataset: dataset?,
        numerator,
        denominator,
        value,
        filter,
        loc: Loc { file, span },
    })))
}

/// Reads `[indicator.targets]`: year keys (E123) and target expressions, resolved against the
/// indicator (E120–E122, E124, E125).
fn targets(
    table: &DeTable<'_>,
    unit: UnitKind,
    direction: Option<Direction>,
    limits: (f64, f64),
    path: &Path,
    file: usize,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Anchor> {
    let mut anchors: Vec<Anchor> = Vec::new();
    let mut seen: Vec<(i32, Range<usize>)> = Vec::new();
    for (key, value) in table.iter() {
        let year = key
            .get_ref()
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y));
        let Some(year) = year else {
            diags.push(
                Diagnostic::at(
                    Code::E123,
                    path,
                    key.span(),
                    format!(
                        "invalid target year \"{}\"",
                        crate::text::clip(key.get_ref(), 60)
                    ),
                )
                .label("not a year in 2000..=2100")
                .help("write the year as the key: 2026 = \">= 80\""),
            );
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(y, _)| *y == year) {
            diags.push(
                Diagnostic::at(
                    Code::E123,
                    path,
                    key.span(),
                    format!("target year {year} is given twice"),
                )
                .label("the same year again")
                .note(first.clone(), "first given here")
                .help("keep one target per year"),
            );
            continue;
        }
        seen.push((year, key.span()));
        let raw = match raw_target(value, path, diags) {
            Some(raw) => raw,
            None => continue,
        };
        match target::resolve(raw, unit, direction, limits) {
            Ok(target) => anchors.push(Anchor {
                year,
                target,
                loc: Loc {
                    file,
                    span: value.span(),
                },
            }),
            Err(problem) => {
                let label = match problem.code {
                    Code::E121 => problem.help.clone(),
                    _ => "here".to_string(),
                };
                let mut d =
                    Diagnostic::at(problem.code, path, value.span(), problem.message).label(label);
                if problem.code != Code::E121 {
                    d = d.help(problem.help);
                }
                diags.push(d);
            }
        }
    }
    anchors.sort_by_key(|a| a.year);
    anchors
}

fn raw_target(
    value: &Spanned<DeValue<'_>>,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<RawTarget> {
    let invalid = |message: String| {
        Diagnostic::at(Code::E120, path, value.span(), message)
            .label("here")
            .help(target::FORMS_HELP)
    };
    match value.get_ref() {
        DeValue::String(s) => match target::parse_expression(s) {
            Ok(raw) => Some(raw),
            Err(message) => {
                diags.push(invalid(message));
                None
            }
        },
        DeValue::Integer(_) | DeValue::Float(_) => match number_of(value.get_ref()) {
            Some(v) if v.is_finite() => Some(RawTarget::Compare { op: None, value: v }),
            _ => {
                diags.push(invalid("the target is not a finite number".to_string()));
                None
            }
        },
        DeValue::Table(t) => {
            let mut f = Fields::new(
                t,
                value.span(),
                path,
                "target",
                &["reduce", "increase", "from", "text"],
            );
            let has = |k: &str| f.get(k).is_some();
            let raw = if has("text") {
                if has("reduce") || has("increase") || has("from") {
                    diags.push(invalid("a `text` target stands alone".to_string()));
                }
                f.string("text").map(|t| RawTarget::Text(t.into_inner()))
            } else if has("reduce") || has("increase") {
                let key = if has("reduce") { "reduce" } else { "increase" };
                if has("reduce") && has("increase") {
                    diags.push(invalid("a target either reduces or increases".to_string()));
                }
                let percent = f.number(key);
                let from = match f.get("from") {
                    None => {
                        f.missing(
                            "from",
                            &format!(
                                "write {{ {key} = 50, from = 2025 }}: `from` is the baseline year"
                            ),
                        );
                        None
                    }
                    Some(v) => {
                        match integer_of(v.get_ref()).filter(|y| (2000..=2100).contains(y)) {
                            Some(y) => Some(y as i32),
                            None => {
                                f.diags.push(
                                    Diagnostic::at(
                                        Code::E123,
                                        path,
                                        v.span(),
                                        "`from` must be a year in 2000..=2100",
                                    )
                                    .help("write from = 2025"),
                                );
                                None
                            }
                        }
                    }
                };
                match (percent, from) {
                    (Some(p), Some(from)) if key == "reduce" => Some(RawTarget::Reduce {
                        percent: *p.get_ref(),
                        from,
                    }),
                    (Some(p), Some(from)) => Some(RawTarget::Increase {
                        percent: *p.get_ref(),
                        from,
                    }),
                    _ => None,
                }
            } else {
                diags.push(invalid(
                    "a target table needs `reduce`, `increase` or `text`".to_string(),
                ));
                None
            };
            let ok = f.diags.is_empty();
            diags.append(&mut f.diags);
            raw.filter(|_| ok)
        }
        other => {
            diags.push(invalid(format!(
                "a target cannot be {} {}",
                crate::text::article(other.type_str()),
                other.type_str()
            )));
            None
        }
    }
}

/// The byte offset where bracket/brace nesting first exceeds [`MAX_NESTING`], ignoring strings
/// and comments.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            quote @ (b'"' | b'\'') => {
                let triple = bytes[i..].starts_with(if quote == b'"' { b"\"\"\"" } else { b"'''" });
                i += if triple { 3 } else { 1 };
                while i < bytes.len() {
                    if quote == b'"' && bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if bytes[i] == quote
                        && (!triple
                            || bytes[i..].starts_with(if quote == b'"' {
                                b"\"\"\""
                            } else {
                                b"'''"
                            }))
                    {
                        i += if triple { 2 } else { 0 };
                        break;
                    }
                    if !triple && bytes[i] == b'\n' {
                        break;
                    }
                    i += 1;
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["vneid-muc-2", "i.1", "2026_a", "x"] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in ["", "VNeID", "-a", "a b", "mức-2", "_a"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
        assert_eq!(slug("VNeID mức 2"), "vneid-muc-2");
    }

    #[test]
    fn a_year_given_twice_is_e123_and_a_missing_direction_is_reported_once() {
        let text = "[[indicator]]\nid = \"a\"\nname = \"A\"\nunit = \"%\"\ndirection = \"higher\"\n\
                    [indicator.targets]\n2026 = \">= 80\"\n02026 = \">= 60\"\n\
                    [[indicator]]\nid = \"b\"\nname = \"B\"\nunit = \"%\"\n[indicator.targets]\n2026 = \"95\"\n";
        let loaded = load_from_strings(&[
            ("catalogue.toml", "id = \"t\"\ntitle = \"t\"\n"),
            ("i.toml", text),
        ]);
        let codes: Vec<Code> = loaded.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(
            codes,
            vec![Code::E123, Code::E102],
            "{:?}",
            loaded.diagnostics
        );
        assert_eq!(loaded.catalogue.indicators[0].targets.len(), 1);
        // both indicators are kept for the catalogue-wide checks, marked as having errors
        assert_eq!(loaded.catalogue.indicators.len(), 2);
        assert!(
            !loaded.catalogue.indicators[0].complete && !loaded.catalogue.indicators[1].complete
        );
    }

    #[test]
    fn nesting_guard_ignores_strings() {
        assert_eq!(too_deep("a = \"[[[[[[[[\"\n"), None);
        let deep = format!("a = {}1{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(too_deep(&deep), Some(4 + MAX_NESTING));
        assert_eq!(too_deep("[[indicator]]\nx = [[1], [2]]\n"), None);
    }
}
