//! Checks that need the whole catalogue: duplicate ids (E110), measures against datasets and
//! polars' SQL front end (E130–E132), and target trajectories (W200, W201). Per-definition
//! problems are found while loading (`definition::load`).

use std::collections::HashMap;
use std::ops::Range;

use crate::definition::{Catalogue, ComputedMeasure, Direction, Measure, Target};

use super::{Code, Diagnostic};

/// Runs every catalogue-wide rule.
pub fn check_catalogue(c: &Catalogue) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    duplicate_ids(c, &mut out);
    carried_ids(c, &mut out);
    for indicator in &c.indicators {
        if let Measure::Computed(m) = &indicator.measure {
            measure(c, m, &mut out);
        }
        trajectory(c, indicator, &mut out);
    }
    alerts(c, &mut out);
    group_points(c, &mut out);
    out
}

/// E162: an `[[alert]]` whose `on` names neither `total` nor a group or indicator of the
/// catalogue, or whose id an earlier alert took.
fn alerts(c: &Catalogue, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, alert) in c.alerts.iter().enumerate() {
        let path = &c.files[alert.loc.file].path;
        if let Some(&first) = seen.get(alert.id.as_str()) {
            let first = &c.alerts[first];
            out.push(
                Diagnostic::at(
                    Code::E162,
                    path,
                    alert.id_span.clone(),
                    format!("alert id \"{}\" is used twice", alert.id),
                )
                .label("second definition")
                .help(format!(
                    "the first is in {}; give each alert its own id",
                    c.files[first.loc.file].path.display()
                )),
            );
        } else if !alert.id.is_empty() {
            seen.insert(alert.id.as_str(), i);
        }
        for on in &alert.on {
            let id = on.get_ref().as_str();
            let known = id == "total"
                || c.groups.iter().any(|g| g.id == id)
                || c.indicators.iter().any(|x| x.id == id);
            if !known {
                let mut ids: Vec<&str> = std::iter::once("total")
                    .chain(c.groups.iter().map(|g| g.id.as_str()))
                    .collect();
                ids.extend(c.indicators.iter().take(8).map(|x| x.id.as_str()));
                out.push(
                    Diagnostic::at(
                        Code::E162,
                        path,
                        on.span(),
                        format!(
                            "alert \"{}\" watches \"{}\", which is neither the total nor a group or indicator",
                            alert.id,
                            crate::text::clip(id, 60)
                        ),
                    )
                    .label("no such item")
                    .help(format!("write \"total\", a group or an indicator id: {}, …", ids.join(", "))),
                );
            }
        }
    }
}

/// W314: a group whose `points` its indicators' own points contradict (the group's figure is
/// then not what is scored).
fn group_points(c: &Catalogue, out: &mut Vec<Diagnostic>) {
    let Some(file) = c
        .files
        .iter()
        .find(|f| f.path.file_name().is_some_and(|n| n == "catalogue.toml"))
    else {
        return;
    };
    for (group, points, sum) in crate::score::points::group_points_mismatches(c) {
        let fmt = crate::definition::target::fmt_num;
        out.push(
            Diagnostic::new(
                Code::W314,
                &file.path,
                crate::diagnostics::Place::File,
                format!(
                    "group \"{}\" has points = {}, its indicators' own points sum to {}",
                    crate::text::clip(&group, 60),
                    fmt(points),
                    fmt(sum)
                ),
            )
            .help(
                "a group scores the sum of its indicators' points: make the group's points that \
                 sum, or leave some indicators without points to share the rest",
            ),
        );
    }
}

fn duplicate_ids(c: &Catalogue, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, (usize, Range<usize>, &str)> = HashMap::new();
    let items = c
        .indicators
        .iter()
        .map(|i| (i.id.as_str(), i.loc.file, &i.id_span, "indicator"))
        .chain(
            c.tasks
                .iter()
                .map(|t| (t.id.as_str(), t.loc.file, &t.id_span, "task")),
        )
        .chain(
            c.reports
                .iter()
                .map(|r| (r.id.as_str(), r.loc.file, &r.id_span, "report")),
        );
    for (id, file, span, kind) in items {
        if id.is_empty() {
            continue;
        }
        let span = span.clone();
        let loc = crate::definition::Loc {
            file,
            span: span.clone(),
        };
        match seen.get(id) {
            None => {
                seen.insert(id, (loc.file, span, kind));
            }
            Some((first_file, first_span, first_kind)) => {
                let path = &c.files[loc.file].path;
                let mut d = Diagnostic::at(
                    Code::E110,
                    path,
                    span,
                    format!("duplicate id \"{}\"", crate::text::clip(id, 60)),
                )
                .label(format!("this {kind} reuses the id"));
                let first_path = &c.files[*first_file].path;
                if *first_file == loc.file {
                    d = d.note(
                        first_span.clone(),
                        format!("first used by this {first_kind}"),
                    );
                    d = d.help("give each indicator, task and report of a catalogue its own id");
                } else {
                    let (line, _) =
                        super::diagnostic::line_col(&c.files[*first_file].text, first_span.start);
                    d = d.help(format!(
                        "the id is first used by {} {first_kind} at {}:{line}; give each its own id",
                        crate::text::article(first_kind),
                        first_path.display()
                    ));
                }
                out.push(d);
            }
        }
    }
}

/// E103: a report's `carries` names an id that is neither an indicator nor a task of the
/// catalogue (a typo would silently drop a figure from the report).
fn carried_ids(c: &Catalogue, out: &mut Vec<Diagnostic>) {
    for report in &c.reports {
        let crate::definition::Carries::Only(ids) = &report.carries else {
            continue;
        };
        for (id, span) in ids.iter().zip(&report.spans.carries) {
            if c.indicator(id).is_some() || c.task(id).is_some() {
                continue;
            }
            let known = c
                .indicators
                .iter()
                .map(|i| i.id.as_str())
                .chain(c.tasks.iter().map(|t| t.id.as_str()));
            let help = match crate::data::units::closest(id, known) {
                Some(near) => format!(
                    "did you mean \"{near}\"? carries names indicator and task ids, or \"*\""
                ),
                None => {
                    "carries names indicator and task ids of this catalogue, or \"*\"".to_string()
                }
            };
            out.push(
                Diagnostic::at(
                    Code::E103,
                    &c.files[report.loc.file].path,
                    span.clone(),
                    format!(
                        "report \"{}\" carries \"{}\", which is no indicator or task of the catalogue",
                        crate::text::clip(&report.id, 60),
                        crate::text::clip(id, 60)
                    ),
                )
                .label("unknown id")
                .help(help),
            );
        }
    }
}

/// E130 (polars cannot parse the SQL), E131 (unknown dataset), E132 (undeclared column).
fn measure(c: &Catalogue, m: &ComputedMeasure, out: &mut Vec<Diagnostic>) {
    let path = &c.files[m.loc.file].path;
    let dataset = c.dataset(m.dataset.get_ref());
    if dataset.is_none() {
        let known: Vec<&str> = c.datasets.iter().map(|d| d.name.as_str()).collect();
        let help = if known.is_empty() {
            "declare it in catalogue.toml: [dataset.NAME] with unit, date and columns".to_string()
        } else {
            format!("datasets of this catalogue: {}", known.join(", "))
        };
        out.push(
            Diagnostic::at(
                Code::E131,
                path,
                m.dataset.span(),
                format!(
                    "measure names an unknown dataset \"{}\"",
                    m.dataset.get_ref()
                ),
            )
            .label("not declared in catalogue.toml")
            .help(help),
        );
    }
    for (key, sql) in m.expressions() {
        let span = sql.span();
        match polars::sql::sql_expr(sql.get_ref()) {
            Err(e) => {
                let reason = e.to_string();
                let reason = reason.lines().next().unwrap_or("").trim().to_string();
                out.push(
                    Diagnostic::at(Code::E130, path, span, format!("invalid SQL expression in `{key}`: {reason}"))
                        .label("polars' SQL front end cannot parse this")
                        .help(if key == "filter" {
                            "a filter is a row condition, e.g. filter = \"NOT mat\" or \"kenh = 'truc_tuyen'\""
                        } else {
                            "write an aggregate, e.g. \"SUM(CASE WHEN kenh = 'truc_tuyen' THEN 1 ELSE 0 END)\" or \"COUNT(*)\""
                        }),
                );
            }
            Ok(expr) => {
                let Some(columns) = dataset.and_then(|d| d.columns.as_ref()) else {
                    continue;
                };
                let dataset = dataset.map(|d| (d.unit.as_str(), d.date.as_str()));
                let mut names = expr.meta().root_names();
                names.sort();
                names.dedup();
                for name in names {
                    let name = name.as_str();
                    let declared = columns.iter().any(|c| c == name)
                        || dataset.is_some_and(|(u, d)| u == name || d == name);
                    if !declared {
                        out.push(
                            Diagnostic::at(Code::E132, path, span.clone(), format!("`{key}` uses column \"{name}\", which dataset \"{}\" does not declare", m.dataset.get_ref()))
                                .label(format!("\"{name}\" is not in `columns`"))
                                .help(format!("declared columns: {}; fix the name or add it to `columns`", columns.join(", "))),
                        );
                    }
                }
            }
        }
    }
}

/// W201 without targets (unless `points = 0` says the indicator is only tracked, SPEC §5.7); W200
/// when a later numeric target is easier than an earlier one.
fn trajectory(c: &Catalogue, indicator: &crate::definition::Indicator, out: &mut Vec<Diagnostic>) {
    if !indicator.complete {
        // its targets may have been dropped for errors already reported
        return;
    }
    let path = &c.files[indicator.loc.file].path;
    let tracked = indicator.points == Some(0.0);
    if indicator.targets.is_empty() && !tracked {
        out.push(
            Diagnostic::at(
                Code::W201,
                path,
                indicator.id_span.clone(),
                format!("indicator \"{}\" has no targets", indicator.id),
            )
            .label("tracked, never scored")
            .help(
                "add [indicator.targets], e.g. 2026 = \">= 80\"; or `points = 0` when the plan \
                 only tracks it",
            ),
        );
        return;
    }
    let Some(direction) = indicator.direction else {
        return;
    };
    let numeric: Vec<_> = indicator
        .targets
        .iter()
        .filter_map(|a| match a.target {
            Target::Compare { value, .. } => Some((a, value)),
            _ => None,
        })
        .collect();
    for pair in numeric.windows(2) {
        let ((a, va), (b, vb)) = (pair[0], pair[1]);
        let easier = match direction {
            Direction::Higher => vb < va,
            Direction::Lower => vb > va,
        };
        if easier {
            out.push(
                Diagnostic::at(
                    Code::W200,
                    path,
                    b.loc.span.clone(),
                    format!(
                    "the {} target ({}) is easier than the {} target ({}) of a \"{}\" indicator",
                    b.year,
                    b.target.display(),
                    a.year,
                    a.target.display(),
                    direction.as_str()
                ),
                )
                .label(format!("easier than {}", a.year))
                .note(a.loc.span.clone(), format!("{} target", a.year))
                .help(
                    "check the targets against the plan; add a `note` when the plan really says so",
                ),
            );
        }
    }
}
