//! A capture manifest (ChippedTopaz/qd766 `tests/fixtures/manifest.m0.json`, described in
//! shared/portal766-dev/README.md §1.1): for each captured response, its file, the request's
//! payload — which holds the period the portal's response does not echo — and the capture time,
//! which dates it. Responses filtered to one procedure (`scope: "formality"`) are not a unit's
//! figures and are left out.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::json::{Node, Reader};
use crate::data::Period;

/// What a manifest says of one captured file.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Capture {
    pub period: Option<Period>,
    pub as_of: Option<NaiveDate>,
    /// The response is filtered to one procedure: not imported.
    pub one_procedure: bool,
    /// The manifest's name, for messages.
    pub manifest: String,
}

/// Whether a parsed file is a capture manifest rather than a response.
pub(super) fn is_manifest(root: &Node<'_>) -> bool {
    root.has("captures") && root.has("schemaVersion")
}

/// The captures of manifest `root` (the file at `path`), by the canonical path of each captured
/// file (relative to the manifest's directory).
pub(super) fn read(r: &mut Reader<'_>, root: &Node<'_>, path: &Path) -> HashMap<PathBuf, Capture> {
    let mut out = HashMap::new();
    let dir = path.parent().unwrap_or(Path::new("."));
    for c in r.array(root, "captures").unwrap_or_default() {
        let Some(file) = r.string(&c, "file") else {
            continue;
        };
        let payload = c.get("payload").filter(|p| p.value.is_object());
        let period = payload.as_ref().and_then(|p| period(r, p));
        let as_of = match r.string_or_null(&c, "capturedAt") {
            Ok(Some(at)) => {
                let day = at
                    .get(..10)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                if day.is_none() {
                    if let Some(node) = c.get("capturedAt") {
                        r.error(
                            &node,
                            format!("expected a time 2026-09-26T18:14:39Z, found \"{at}\""),
                        );
                    }
                }
                day
            }
            _ => None,
        };
        let one_procedure = c
            .get("scope")
            .and_then(|s| s.value.as_str().map(str::to_string))
            == Some("formality".into())
            || payload
                .as_ref()
                .is_some_and(|p| p.has("formalityId") || p.has("formalityID"));
        let target = dir.join(&file);
        let key = target.canonicalize().unwrap_or(target);
        out.insert(
            key,
            Capture {
                period,
                as_of,
                one_procedure,
                manifest: r.file.clone(),
            },
        );
    }
    out
}

/// The period of a request: `timeType` with `year` and `month` / `quarter`, or `fromDate` and
/// `toDate` spanning exactly one month, quarter or year; `None` for a request of no period (the
/// procedure list).
fn period(r: &mut Reader<'_>, payload: &Node<'_>) -> Option<Period> {
    if let Some(kind) = payload
        .get("timeType")
        .and_then(|t| t.value.as_str().map(str::to_string))
    {
        let year = r.number(payload, "year")? as i32;
        let text = match kind.as_str() {
            "year" => format!("{year}"),
            "quarter" => format!("{year}-Q{}", r.number(payload, "quarter")? as u32),
            "month" => format!("{year}-{:02}", r.number(payload, "month")? as u32),
            other => {
                r.error(
                    payload,
                    format!("unknown timeType `{other}` (year, quarter, month)"),
                );
                return None;
            }
        };
        let p = Period::parse(&text);
        if p.is_none() {
            r.error(payload, format!("not a period: {text}"));
        }
        return p;
    }
    if payload.has("fromDate") || payload.has("toDate") {
        let from = r.string(payload, "fromDate")?;
        let to = r.string(payload, "toDate")?;
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let (Some(from), Some(to)) = (day(&from), day(&to)) else {
            r.error(
                payload,
                format!("expected dates YYYY-MM-DD, found {from} … {to}"),
            );
            return None;
        };
        let candidates = [
            Period::parse(&from.format("%Y-%m").to_string()),
            Period::parse(&format!(
                "{}-Q{}",
                from.format("%Y"),
                (from.format("%m").to_string().parse::<u32>().unwrap_or(1) - 1) / 3 + 1
            )),
            Period::parse(&from.format("%Y").to_string()),
        ];
        let found = candidates
            .into_iter()
            .flatten()
            .find(|p| p.start() == from && p.end() == to);
        if found.is_none() {
            r.error(
                payload,
                format!("{from} … {to} is not one month, quarter or year"),
            );
        }
        return found;
    }
    None
}
