//! Loading a catalogue directory: `catalogue.toml` and every other `*.toml` file, parsed once
//! into toml's spanned tree and read key by key into the typed model. Reports the problems of
//! one definition at a time (E100–E103, E111, E120–E125, E140, E150), for indicators, tasks and
//! report obligations; problems that need the
//! whole catalogue (duplicates, groups, datasets, SQL) are checked in `check::rules`.

use std::path::{Path, PathBuf};

use toml::de::DeTable;
use toml::Spanned;

use super::fields::Fields;
use super::model::*;
use crate::diagnostics::{Code, Diagnostic, Sources};

mod alert;
mod catalogue;
mod indicator;
mod report;
mod targets;
mod task;

use catalogue::CATALOGUE_KEYS;

/// A loaded catalogue with the problems found while reading it. The catalogue holds every
/// definition that could be read, so that later checks still see them.
#[derive(Debug)]
pub struct Loaded {
    pub catalogue: Catalogue,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
}

impl Loaded {
    /// Whether any diagnostic is an error (warnings allowed).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
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

const FILE_KEYS: &[&str] = &["indicator", "task", "report", "alert"];

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
                rounding: Rounding::default(),
                groups: Vec::new(),
                grades: default_grades(),
                datasets: Vec::new(),
                indicators: Vec::new(),
                tasks: Vec::new(),
                reports: Vec::new(),
                alerts: Vec::new(),
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
#[cfg(test)]
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
                for (item, span) in fields.tables("report") {
                    let (report, mut d) = self.report(item, span, &path, file);
                    diags.append(&mut d);
                    self.catalogue.reports.extend(report);
                }
                for (item, span) in fields.tables("alert") {
                    let (alert, mut d) = self.alert(item, span, &path, file);
                    diags.append(&mut d);
                    self.catalogue.alerts.extend(alert);
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
}

impl Loader {
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
    fn levels_are_read_and_checked() {
        let one = |levels: &str| {
            let text = format!(
                "[[indicator]]\nid = \"a\"\nname = \"A\"\nunit = \"%\"\ndirection = \"higher\"\n{levels}\n"
            );
            load_from_strings(&[
                ("catalogue.toml", "id = \"t\"\ntitle = \"t\"\n"),
                ("i.toml", &text),
            ])
        };
        let ok = one("levels = [\"xa\", \"phuong\"]");
        assert!(ok.diagnostics.is_empty(), "{:?}", ok.diagnostics);
        let a = &ok.catalogue.indicators[0];
        assert_eq!(a.levels, ["xa", "phuong"]);
        // (level, applies)
        for (level, applies) in [("xa", true), ("phuong", true), ("so", false), ("", false)] {
            assert_eq!(a.applies_to_level(level), applies, "{level}");
        }
        let every = one("");
        assert!(every.catalogue.indicators[0].levels.is_empty());
        assert!(every.catalogue.indicators[0].applies_to_level("so"));
        // (key as written, the column of the E103 in "levels = ...")
        for (levels, column) in [
            ("levels = \"xa\"", 10),
            ("levels = []", 10),
            ("levels = [\"xa\", 3]", 17),
            ("levels = [\"xa\", \"xa\"]", 17),
            ("levels = [\" \"]", 11),
        ] {
            let bad = one(levels);
            let codes: Vec<Code> = bad.diagnostics.iter().map(|d| d.code).collect();
            assert_eq!(codes, [Code::E103], "{levels}");
            // the levels line is the file's last: its start is the text's length minus its own
            let text = format!(
                "[[indicator]]\nid = \"a\"\nname = \"A\"\nunit = \"%\"\ndirection = \"higher\"\n{levels}\n"
            );
            let line_start = text.len() - levels.len() - 1;
            let at = match &bad.diagnostics[0].place {
                crate::diagnostics::Place::Span(s) => s.start - line_start + 1,
                other => panic!("{other:?}"),
            };
            assert_eq!(at, column, "{levels}");
            assert!(!bad.catalogue.indicators[0].complete);
        }
    }

    #[test]
    fn builtin_measures_are_checked() {
        let one = |unit: &str, measure: &str| {
            let text = format!(
                "[[indicator]]\nid = \"a\"\nname = \"A\"\nunit = \"{unit}\"\ndirection = \"higher\"\n[indicator.measure]\n{measure}\n"
            );
            let loaded = load_from_strings(&[
                ("catalogue.toml", "id = \"t\"\ntitle = \"t\"\n"),
                ("i.toml", &text),
            ]);
            let codes: Vec<Code> = loaded.diagnostics.iter().map(|d| d.code).collect();
            (loaded.catalogue.indicators[0].measure.clone(), codes)
        };
        assert_eq!(
            one("%", "builtin = \"report_on_time_rate\""),
            (Measure::ReportOnTimeRate, vec![])
        );
        // (unit, measure, codes): not a percentage, a dataset too, an unknown builtin
        for (unit, measure, codes) in [
            (
                "count",
                "builtin = \"report_on_time_rate\"",
                vec![Code::E103],
            ),
            (
                "%",
                "builtin = \"report_on_time_rate\"\ndataset = \"ho_so\"",
                vec![Code::E103],
            ),
            ("%", "builtin = \"task_rate\"", vec![Code::E103]),
        ] {
            assert_eq!(one(unit, measure).1, codes, "{unit} {measure}");
        }
    }

    #[test]
    fn nesting_guard_ignores_strings() {
        assert_eq!(too_deep("a = \"[[[[[[[[\"\n"), None);
        let deep = format!("a = {}1{}", "[".repeat(100), "]".repeat(100));
        assert_eq!(too_deep(&deep), Some(4 + MAX_NESTING));
        assert_eq!(too_deep("[[indicator]]\nx = [[1], [2]]\n"), None);
    }
}
