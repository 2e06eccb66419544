//! Reading one `[[report]]` (SPEC §6.1): who owes it, what it carries and its due rule (E101–E103,
//! E111, E140). Whether its carried ids exist is checked with the whole catalogue
//! (`check::rules`), whether its units exist with the data.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{check_id, Loader};
use crate::calendar::due::{parse_due_rule, DueRule, DUE_RULES_HELP};
use crate::definition::fields::Fields;
use crate::definition::model::*;
use crate::diagnostics::{Code, Diagnostic};

const REPORT_KEYS: &[&str] = &["id", "name", "from", "carries", "due", "source", "note"];

impl Loader {
    pub(super) fn report(
        &self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &Path,
        file: usize,
    ) -> (Option<Report>, Vec<Diagnostic>) {
        let mut f = Fields::new(table, span.clone(), path, "report", REPORT_KEYS);
        let id = f.required_string(
            "id",
            "add id = \"<lower-case slug>\", e.g. id = \"bao-cao-thang\"",
        );
        if let Some(id) = &id {
            check_id(&mut f, id);
        }
        let name = f.required_string("name", "add the report's name as written in the plan");
        let mut spans = ReportSpans::default();
        let from = from(&mut f, &mut spans.from);
        let carries = carries(&mut f, &mut spans.carries);
        let (due_text, due) = due(&mut f, path, span.clone());
        let id_span = id.as_ref().map_or(span.clone(), Spanned::span);
        let mut report = Report {
            id_span,
            id: id.map(Spanned::into_inner).unwrap_or_default(),
            name: name.map(Spanned::into_inner).unwrap_or_default(),
            from: from.unwrap_or(ReportFrom::Units(Vec::new())),
            carries: carries.unwrap_or(Carries::Only(Vec::new())),
            due_text,
            due: due.unwrap_or(DueRule::Yearly(Vec::new())),
            source: f.string("source").map(Spanned::into_inner),
            note: f.string("note").map(Spanned::into_inner),
            loc: Loc { file, span },
            spans,
            complete: true,
        };
        report.complete = f.diags.iter().all(|d| !d.is_error());
        (Some(report), f.diags)
    }
}

/// `due = "Định kỳ trước ngày 10 hàng tháng"` (the rule as written, E140 when it is none) or
/// `due = 2026-06-06` (a TOML date): the text, empty for a date, and the rule.
fn due(f: &mut Fields<'_, '_>, path: &Path, span: Range<usize>) -> (String, Option<DueRule>) {
    let Some(value) = f.get("due") else {
        f.missing(
            "due",
            "add the due rule as written in the plan, e.g. due = \"Định kỳ trước ngày 10 hàng tháng\", or a date due = 2026-06-06",
        );
        return (String::new(), None);
    };
    if matches!(value.get_ref(), DeValue::Datetime(_)) {
        let date = f.date("due").map(Spanned::into_inner);
        return (String::new(), date.map(DueRule::Once));
    }
    let Some(text) = f.string("due") else {
        return (String::new(), None);
    };
    let parsed = parse_due_rule(text.get_ref());
    if parsed.is_none() {
        let at = if text.span().is_empty() {
            span
        } else {
            text.span()
        };
        f.diags.push(
            Diagnostic::at(
                Code::E140,
                path,
                at,
                format!(
                    "unrecognised report due rule \"{}\"",
                    crate::text::clip(text.get_ref(), 60)
                ),
            )
            .label("not a monthly, quarterly, yearly or one-date rule")
            .help(format!(
                "{DUE_RULES_HELP}; or give a date, due = 2026-06-06"
            )),
        );
    }
    (text.into_inner(), parsed)
}

/// `from = { levels = ["so", "xa"] }` or `from = { units = ["so-khcn"] }`: exactly one key, a
/// non-empty array of distinct non-empty strings (E102, E103 otherwise).
fn from(f: &mut Fields<'_, '_>, spans: &mut Vec<Range<usize>>) -> Option<ReportFrom> {
    let help = "write from = { levels = [\"so\", \"xa\"] } or from = { units = [\"so-khcn\"] }";
    if f.get("from").is_none() {
        f.missing("from", help);
        return None;
    }
    let (table, span) = f.table("from")?;
    let mut g = Fields::new(table, span.clone(), f.path(), "from", &["levels", "units"]);
    let which = match (g.get("levels"), g.get("units")) {
        (Some(v), None) => Some(("levels", v)),
        (None, Some(v)) => Some(("units", v)),
        (Some(_), Some(v)) => {
            g.wrong(
                "units",
                v.span(),
                "`from` names either levels or units, not both".to_string(),
                help,
            );
            None
        }
        (None, None) => {
            if g.diags.is_empty() {
                g.missing("levels", help);
            }
            None
        }
    };
    let names = which.and_then(|(key, v)| names(&mut g, key, v, spans).map(|n| (key, n)));
    f.diags.append(&mut g.diags);
    let (key, names) = names?;
    Some(if key == "levels" {
        ReportFrom::Levels(names)
    } else {
        ReportFrom::Units(names)
    })
}

/// `carries = ["*"]`, `carries = "*"` or `carries = ["id", ...]` (an empty array: a report that
/// carries no figures, such as a plan sent once).
fn carries(f: &mut Fields<'_, '_>, spans: &mut Vec<Range<usize>>) -> Option<Carries> {
    let Some(value) = f.get("carries") else {
        f.missing(
            "carries",
            "add carries = [\"*\"] (every reported indicator) or the ids it carries; [] for none",
        );
        return None;
    };
    if let DeValue::String(s) = value.get_ref() {
        if s.as_ref() == "*" {
            return Some(Carries::Every);
        }
    }
    if let DeValue::Array(items) = value.get_ref() {
        if items.is_empty() {
            return Some(Carries::Only(Vec::new()));
        }
        let is_star = |v: &Spanned<DeValue<'_>>| matches!(v.get_ref(), DeValue::String(s) if s.as_ref() == "*");
        if items.iter().any(is_star) {
            if items.len() == 1 {
                return Some(Carries::Every);
            }
            f.wrong(
                "carries",
                value.span(),
                "\"*\" already carries every reported indicator; it stands alone".to_string(),
                "write carries = [\"*\"] or list the ids",
            );
            return None;
        }
    }
    names(f, "carries", value, spans).map(Carries::Only)
}

/// A non-empty array of distinct, non-empty strings, with the span of each.
fn names(
    f: &mut Fields<'_, '_>,
    key: &str,
    value: &Spanned<DeValue<'_>>,
    spans: &mut Vec<Range<usize>>,
) -> Option<Vec<String>> {
    let DeValue::Array(items) = value.get_ref() else {
        f.wrong(
            key,
            value.span(),
            format!(
                "`{key}` must be an array of strings, found {}",
                value.get_ref().type_str()
            ),
            format!("e.g. {key} = [\"...\"]"),
        );
        return None;
    };
    if items.is_empty() {
        f.wrong(
            key,
            value.span(),
            format!("`{key}` is empty: the report would concern no unit"),
            "name at least one",
        );
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => {
                ok = false;
                f.wrong(
                    key,
                    item.span(),
                    format!("a name in `{key}` cannot be empty"),
                    "write the name",
                );
            }
            DeValue::String(s) if out.iter().any(|o| o == s.as_ref()) => {
                ok = false;
                f.wrong(
                    key,
                    item.span(),
                    format!("\"{}\" is named twice", crate::text::clip(s, 60)),
                    "name each once",
                );
            }
            DeValue::String(s) => {
                out.push(s.to_string());
                spans.push(item.span());
            }
            other => {
                ok = false;
                f.wrong(
                    key,
                    item.span(),
                    format!("`{key}` holds strings, found {}", other.type_str()),
                    format!("e.g. {key} = [\"...\"]"),
                );
            }
        }
    }
    ok.then_some(out)
}
