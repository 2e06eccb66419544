//! A diagnostic: a code, a message and a place (a byte span of a definition file, or a cell of
//! a data file). Plain data returned by the library; rendering lives in `diagnostics::render`.

use std::ops::Range;
use std::path::PathBuf;

use super::codes::{Code, Severity};

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A byte range of a text file (definitions).
    Span(Range<usize>),
    /// A cell of a table: 1-based row as a spreadsheet shows it (the header is row 1) and the
    /// column's name.
    Cell { row: usize, column: String },
    /// The whole file (a missing file, a missing column).
    File,
}

/// A secondary annotation in the same file ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub span: Range<usize>,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    pub path: PathBuf,
    pub place: Place,
    /// The label under the underlined source.
    pub label: String,
    pub help: Option<String>,
    pub notes: Vec<Note>,
    /// The severity of this occurrence when it differs from its code's: a score run reports
    /// E302 as a warning because it leaves the row out and goes on (SPEC §5.2).
    pub demoted: bool,
}

impl Diagnostic {
    pub fn new(
        code: Code,
        path: impl Into<PathBuf>,
        place: Place,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code,
            message: message.into(),
            path: path.into(),
            place,
            label: String::new(),
            help: None,
            notes: Vec::new(),
            demoted: false,
        }
    }

    pub fn at(
        code: Code,
        path: impl Into<PathBuf>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(code, path, Place::Span(span), message)
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn note(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.notes.push(Note {
            span,
            label: label.into(),
        });
        self
    }

    /// The same problem reported as a warning: the run that found it went on without the
    /// value (see [`Diagnostic::demoted`]).
    pub fn as_warning(mut self) -> Self {
        self.demoted = true;
        self
    }

    pub fn severity(&self) -> Severity {
        if self.demoted {
            Severity::Warning
        } else {
            self.code.severity()
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity() == Severity::Error
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::{line_col, Code, Diagnostic, Place, Severity};

    #[test]
    fn a_demoted_error_is_a_warning_of_the_same_code() {
        let d = Diagnostic::new(
            Code::E302,
            "reported.csv",
            Place::File,
            "numerator > denominator",
        );
        assert!(d.is_error());
        let w = d.as_warning();
        assert_eq!(
            (w.code, w.severity(), w.is_error()),
            (Code::E302, Severity::Warning, false)
        );
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "id = \"a\"\n2026 = \"≥ 80\"\nx";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 9), (2, 1));
        // the byte offset of `8` after the 3-byte "≥ "
        let eight = text.find('8').unwrap_or(0);
        assert_eq!(line_col(text, eight), (2, 11));
        assert_eq!(line_col(text, 10_000), (3, 2));
    }
}
