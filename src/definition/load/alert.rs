//! Reading one `[[alert]]` (SPEC §10.3): id, name, what it watches, its condition and severity
//! (E101–E103, E111, E160, E161). Whether `on` names a group or indicator of the catalogue is
//! checked with the whole catalogue (`check::rules`, E162).

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{check_id, Loader};
use crate::definition::alert::{Alert, Severity, WHEN_NAMES};
use crate::definition::fields::Fields;
use crate::definition::model::Loc;
use crate::diagnostics::{Code, Diagnostic};

const ALERT_KEYS: &[&str] = &["id", "name", "on", "when", "levels", "severity", "note"];

impl Loader {
    pub(super) fn alert(
        &self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &Path,
        file: usize,
    ) -> (Option<Alert>, Vec<Diagnostic>) {
        let mut f = Fields::new(table, span.clone(), path, "alert", ALERT_KEYS);
        let id = f.required_string(
            "id",
            "add id = \"<lower-case slug>\", e.g. id = \"giam-diem-ngay\"",
        );
        if let Some(id) = &id {
            check_id(&mut f, id);
        }
        let name = f.required_string("name", "add the alert's name as the message shows it");
        let on = on(&mut f);
        let when = f.required_string(
            "when",
            "add the condition, e.g. when = \"change <= -0.5\" (names: change, change_since, rank_change, streak, share, status, previous_status, …)",
        );
        if let Some(when) = &when {
            check_when(&mut f, when);
        }
        let levels = f.strings("levels");
        let severity = f.choice("severity", &["do", "vang", "thong_tin"], Severity::parse);
        if f.get("severity").is_none() {
            f.missing(
                "severity",
                "add severity = \"do\" (red), \"vang\" (yellow) or \"thong_tin\" (information)",
            );
        }
        let _ = f.string("note");
        let id_span = id.as_ref().map_or(span.clone(), Spanned::span);
        let complete = f.diags.iter().all(|d| !d.is_error());
        let alert = Alert {
            id_span,
            id: id.map(Spanned::into_inner).unwrap_or_default(),
            name: name.map(Spanned::into_inner).unwrap_or_default(),
            on,
            when: when.unwrap_or_else(|| Spanned::new(span.clone(), String::new())),
            levels,
            severity: severity.map_or(Severity::ThongTin, Spanned::into_inner),
            loc: Loc { file, span },
            complete,
        };
        (Some(alert), f.diags)
    }
}

/// `on = "total"`, `on = "tdgq"` or `on = ["ckmb", "tdgq"]`: non-empty strings, each with its
/// span (E102 when missing, E103 for anything else).
fn on(f: &mut Fields<'_, '_>) -> Vec<Spanned<String>> {
    let help =
        "write on = \"total\", a group or indicator id, or a list: on = [\"ckmb\", \"tdgq\"]";
    let Some(value) = f.get("on") else {
        f.missing("on", help);
        return Vec::new();
    };
    let items: Vec<&Spanned<DeValue<'_>>> = match value.get_ref() {
        DeValue::Array(items) => items.iter().collect(),
        _ => vec![value],
    };
    let mut out = Vec::new();
    for item in items {
        match item.get_ref() {
            DeValue::String(s) if !s.trim().is_empty() => {
                out.push(Spanned::new(item.span(), s.to_string()))
            }
            _ => f.wrong(
                "on",
                item.span(),
                "`on` must be a non-empty string or an array of them".to_string(),
                help,
            ),
        }
    }
    if out.is_empty() && f.diags.iter().all(|d| d.code != Code::E103) {
        f.wrong("on", value.span(), "`on` names no item".to_string(), help);
    }
    out
}

/// E160 when polars' SQL front end cannot parse `when`; E161 for each name it uses that is not
/// one of [`WHEN_NAMES`].
fn check_when(f: &mut Fields<'_, '_>, when: &Spanned<String>) {
    let span = when.span();
    match polars::sql::sql_expr(when.get_ref()) {
        Err(e) => {
            let reason = e.to_string();
            let reason = reason.lines().next().unwrap_or("").trim().to_string();
            f.diags.push(
                Diagnostic::at(
                    Code::E160,
                    f.path(),
                    span,
                    format!("invalid alert condition: {reason}"),
                )
                .label("polars' SQL front end cannot parse this")
                .help("write a condition, e.g. when = \"change <= -0.5\" or \"streak >= 3 AND share < 70\""),
            );
        }
        Ok(expr) => {
            let mut names = expr.meta().root_names();
            names.sort();
            names.dedup();
            let known: Vec<&str> = WHEN_NAMES.iter().map(|(n, _)| *n).collect();
            for name in names {
                let name = name.as_str();
                if known.contains(&name) {
                    continue;
                }
                let suggestion = known
                    .iter()
                    .map(|k| (strsim::jaro_winkler(k, name), k))
                    .filter(|(score, _)| *score > 0.8)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, k)| format!("did you mean `{k}`? "))
                    .unwrap_or_default();
                f.diags.push(
                    Diagnostic::at(
                        Code::E161,
                        f.path(),
                        span.clone(),
                        format!(
                            "alert condition uses \"{}\", which is not a name of a snapshot",
                            crate::text::clip(name, 60)
                        ),
                    )
                    .label(format!("\"{}\" is unknown", crate::text::clip(name, 60)))
                    .help(format!("{suggestion}names: {}", known.join(", "))),
                );
            }
        }
    }
}
