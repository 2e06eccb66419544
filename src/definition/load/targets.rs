//! Reading `[indicator.targets]`: year keys (E123) and target expressions, resolved against
//! the indicator (E120–E125).

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::definition::fields::{integer_of, number_of, Fields};
use crate::definition::model::*;
use crate::definition::target::{self, RawTarget};
use crate::diagnostics::{Code, Diagnostic};

/// Reads `[indicator.targets]`: year keys (E123) and target expressions, resolved against the
/// indicator (E120–E122, E124, E125).
pub(super) fn targets(
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
            Err(unreadable) => {
                diags.push(invalid(unreadable.to_string()));
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
