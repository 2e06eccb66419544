//! Rendering diagnostics for people (rustc-style, with annotate-snippets), for machines (one
//! JSON object per line) and for GitHub Actions annotations. No checking happens here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

use super::codes::Severity;
use super::diagnostic::{line_col, Diagnostic, Place};

/// The texts of the files that diagnostics point into, so that they can be quoted.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: BTreeMap<PathBuf, String>,
}

impl Sources {
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.files.insert(path.into(), text.into());
    }
    pub fn get(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    /// 1-based (line, column) of a diagnostic; a cell's row and column number are its line and
    /// column; a whole-file diagnostic is at 1:1.
    pub fn position(&self, d: &Diagnostic) -> (usize, usize) {
        match &d.place {
            Place::Span(span) => self
                .get(&d.path)
                .map_or((1, 1), |t| line_col(t, span.start)),
            Place::Cell { row, column } => match self
                .get(&d.path)
                .and_then(|t| cell_span(t, *row, column).map(|s| (t, s)))
            {
                Some((text, span)) => line_col(text, span.start),
                None => (*row, 1),
            },
            Place::File => (1, 1),
        }
    }
}

/// Output formats of `chitieu check` (SPEC §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// Renders one diagnostic in `format`. `color` only affects the human format.
pub fn render(d: &Diagnostic, sources: &Sources, format: Format, color: bool) -> String {
    match format {
        Format::Human => human(d, sources, color),
        Format::Json => json(d, sources),
        Format::Github => github(d, sources),
    }
}

fn human(d: &Diagnostic, sources: &Sources, color: bool) -> String {
    let level = match d.severity() {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let path = d.path.display().to_string();
    let title = level.primary_title(d.message.as_str()).id(d.code.as_str());
    let mut group = Group::with_title(title);
    match (&d.place, sources.get(&d.path)) {
        (Place::Span(span), Some(text)) => {
            let span = clamp_span(text, span.clone());
            let mut snippet = Snippet::source(text).path(path.as_str()).annotation(
                AnnotationKind::Primary
                    .span(span)
                    .label(non_empty(&d.label)),
            );
            for note in &d.notes {
                let s = clamp_span(text, note.span.clone());
                snippet =
                    snippet.annotation(AnnotationKind::Context.span(s).label(note.label.as_str()));
            }
            group = group.element(snippet);
        }
        (Place::Cell { row, column }, Some(text)) if cell_span(text, *row, column).is_some() => {
            let span = cell_span(text, *row, column).unwrap_or(0..0);
            let label = if d.label.is_empty() {
                format!("column \"{column}\"")
            } else {
                d.label.clone()
            };
            group = group.element(
                Snippet::source(text)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(span).label(label)),
            );
        }
        (Place::Cell { row, column }, _) => {
            group = group.element(Origin::path(path.as_str()).line(*row));
            group = group.element(Level::NOTE.message(format!("row {row}, column \"{column}\"")));
        }
        _ => {
            group = group.element(Origin::path(path.as_str()));
        }
    }
    let quoted = matches!(&d.place, Place::Cell { row, column } if sources.get(&d.path).and_then(|t| cell_span(t, *row, column)).is_some());
    if !d.label.is_empty() && !matches!(d.place, Place::Span(_)) && !quoted {
        group = group.element(Level::NOTE.message(d.label.as_str()));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&[group])
}

/// The byte range of the cell at 1-based `row` (the header is row 1) and column `column` of a
/// CSV text; quoted fields may hold commas. An empty cell gives an empty range at its place.
pub fn cell_span(text: &str, row: usize, column: &str) -> Option<std::ops::Range<usize>> {
    let mut lines = text.split_inclusive('\n');
    let header = lines.next()?;
    let wanted = fields(header.trim_start_matches('\u{feff}'), 0)
        .iter()
        .position(|r| {
            header.trim_start_matches('\u{feff}')[r.clone()]
                .trim()
                .trim_matches('"')
                == column
        })?;
    let mut offset = header.len();
    for (i, line) in lines.enumerate() {
        if i + 2 == row {
            let cells = fields(line.trim_end_matches(['\n', '\r']), offset);
            return cells.get(wanted).cloned();
        }
        offset += line.len();
    }
    None
}

/// The byte ranges (shifted by `base`) of the comma-separated fields of one CSV line.
fn fields(line: &str, base: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(base + start..base + i);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(base + start..base + line.len());
    out
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

/// Keeps a span inside the text and on character boundaries; an empty span at the end of the
/// text points at the last character so that something is underlined.
fn clamp_span(text: &str, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let mut start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    file: String,
    line: usize,
    column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    column_name: Option<&'a str>,
    help: Option<&'a str>,
}

fn json(d: &Diagnostic, sources: &Sources) -> String {
    let (line, column) = sources.position(d);
    let column_name = match &d.place {
        Place::Cell { column, .. } => Some(column.as_str()),
        _ => None,
    };
    let record = JsonDiagnostic {
        code: d.code.as_str(),
        severity: d.severity().as_str(),
        message: &d.message,
        file: d.path.display().to_string(),
        line,
        column,
        column_name,
        help: d.help.as_deref(),
    };
    serde_json::to_string(&record).unwrap_or_default()
}

/// GitHub Actions workflow command; `%`, CR and LF are escaped as the runner requires, and
/// `,` / `:` too in properties.
fn github(d: &Diagnostic, sources: &Sources) -> String {
    let (line, column) = sources.position(d);
    let kind = match d.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{kind} file={},line={line},col={column},title={}::{}",
        escape_property(&d.path.display().to_string()),
        d.code.as_str(),
        escape_data(&message)
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    fn sample() -> (Diagnostic, Sources) {
        let text = "[[indicator]]\nid = \"x\"\n[indicator.targets]\n2026 = \">= 80\"\n";
        let start = text.find("\">= 80\"").unwrap_or(0);
        let d = Diagnostic::at(
            Code::E121,
            "ind/I.toml",
            start..start + 7,
            "target \">= 80\" contradicts direction \"lower\"",
        )
        .label("a \"lower\" indicator needs \"<=\", \"<\" or a bare number");
        let mut sources = Sources::default();
        sources.insert("ind/I.toml", text);
        (d, sources)
    }

    #[test]
    fn human_shows_code_path_line_and_underline() {
        let (d, sources) = sample();
        let out = render(&d, &sources, Format::Human, false);
        assert!(
            out.starts_with("error[E121]: target \">= 80\" contradicts direction \"lower\""),
            "{out}"
        );
        assert!(out.contains("--> ind/I.toml:4:8"), "{out}");
        assert!(out.contains("^^^^^^^"), "{out}");
    }

    #[test]
    fn a_csv_cell_is_found_by_row_and_column_name() {
        let text = "unit,period,indicator,value\nxa-a,2026,\"a, b\",12\nxa-b,2026,x,abc\n";
        let span = cell_span(text, 3, "value").unwrap_or(0..0);
        assert_eq!(&text[span], "abc");
        let quoted = cell_span(text, 2, "value").unwrap_or(0..0);
        assert_eq!(&text[quoted], "12");
        assert_eq!(cell_span(text, 9, "value"), None);
        assert_eq!(cell_span(text, 2, "nope"), None);
    }

    #[test]
    fn json_and_github_carry_line_and_column() {
        let (d, sources) = sample();
        let json = render(&d, &sources, Format::Json, false);
        assert!(
            json.contains("\"line\":4")
                && json.contains("\"column\":8")
                && json.contains("\"code\":\"E121\""),
            "{json}"
        );
        let gh = render(&d, &sources, Format::Github, false);
        assert_eq!(gh, "::error file=ind/I.toml,line=4,col=8,title=E121::target \">= 80\" contradicts direction \"lower\"");
    }
}
