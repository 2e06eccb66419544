//! Reading one `[[indicator]]`: its keys, limits and measure (E101–E103, E111, E112, E130);
//! its targets are read by `targets`.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::targets::targets;
use super::{check_id, Loader};
use crate::definition::fields::{number_of, Fields};
use crate::definition::model::*;
use crate::diagnostics::Diagnostic;

/// The most `points` an indicator or group may give: points are shares of a total such as 100;
/// beyond this a sum of them loses its meaning (and 1e308 overflows to infinity).
pub(crate) const MAX_POINTS: f64 = 1e9;

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
    "levels",
    "zero_denominator",
    "rounding",
    "source",
    "note",
    "measure",
    "targets",
];
const MEASURE_KEYS: &[&str] = &[
    "dataset",
    "numerator",
    "denominator",
    "value",
    "filter",
    "builtin",
];
/// The measures chitieu computes itself (`builtin = "..."`).
const BUILTINS: &[&str] = &["report_on_time_rate"];

impl Loader {
    pub(super) fn indicator(
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
        let points = points(&mut f);
        let scoring = f
            .choice("scoring", Scoring::NAMES, Scoring::parse)
            .map(Spanned::into_inner);
        let rollup = f
            .choice("rollup", Rollup::NAMES, Rollup::parse)
            .map(Spanned::into_inner);
        let levels = levels(&mut f);
        let baseline = baseline(&mut f, path);
        let measure = match f.table("measure") {
            None => Some(Measure::Reported),
            Some((t, span)) => measure(t, span, path, file, &mut f.diags),
        };
        if let (Some(Measure::ReportOnTimeRate), Some(u)) = (&measure, unit) {
            if u != UnitKind::Percent {
                let at = f.get("unit").map_or(span.clone(), Spanned::span);
                f.wrong(
                    "unit",
                    at,
                    "`builtin = \"report_on_time_rate\"` is a percentage".to_string(),
                    "write unit = \"%\" and direction = \"higher\"",
                );
            }
        }
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
            levels,
            levels_span: f.get("levels").map(Spanned::span),
            zero_denominator: crate::definition::rules::zero_denominator(&mut f),
            rounding: crate::definition::rules::rounding(&mut f),
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
}

/// An indicator's own `points`: not negative, at most [`MAX_POINTS`].
fn points(f: &mut Fields<'_, '_>) -> Option<Spanned<f64>> {
    let points = f.number("points");
    if let Some(p) = &points {
        if *p.get_ref() < 0.0 {
            f.wrong(
                "points",
                p.span(),
                "`points` cannot be negative".to_string(),
                "points are the indicator's maximum score",
            );
        } else if *p.get_ref() > MAX_POINTS {
            f.wrong(
                "points",
                p.span(),
                format!("`points` cannot exceed {MAX_POINTS:e}"),
                "points are the indicator's maximum score, a share of a total such as 100",
            );
        }
    }
    points
}

/// `baseline = { year, value }`: both required.
fn baseline(f: &mut Fields<'_, '_>, path: &Path) -> Option<Baseline> {
    f.table("baseline").and_then(|(t, span)| {
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
    })
}

/// `levels = ["xa", "phuong"]`: a non-empty array of distinct, non-empty level names (E103
/// otherwise). A level name is free text (SPEC §5.1): whether any unit has it is known only with
/// the data, so the catalogue alone does not judge it.
fn levels(f: &mut Fields<'_, '_>) -> Vec<String> {
    let Some(value) = f.get("levels") else {
        return Vec::new();
    };
    let DeValue::Array(items) = value.get_ref() else {
        f.wrong(
            "levels",
            value.span(),
            format!(
                "`levels` must be an array of level names, found {}",
                value.get_ref().type_str()
            ),
            "e.g. levels = [\"xa\", \"phuong\"] (the `level` column of units.csv)",
        );
        return Vec::new();
    };
    if items.is_empty() {
        f.wrong(
            "levels",
            value.span(),
            "`levels` is empty: the indicator would apply to no unit".to_string(),
            "name the levels it concerns, or remove `levels` for every level",
        );
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for item in items.iter() {
        match item.get_ref() {
            DeValue::String(s) if s.trim().is_empty() => f.wrong(
                "levels",
                item.span(),
                "a level name cannot be empty".to_string(),
                "write the `level` of units.csv, e.g. \"xa\"",
            ),
            DeValue::String(s) if out.iter().any(|l| l == s.as_ref()) => f.wrong(
                "levels",
                item.span(),
                format!("level \"{}\" is named twice", crate::text::clip(s, 60)),
                "name each level once",
            ),
            DeValue::String(s) => out.push(s.to_string()),
            other => f.wrong(
                "levels",
                item.span(),
                format!("a level must be a string, found {}", other.type_str()),
                "e.g. levels = [\"xa\", \"phuong\"]",
            ),
        }
    }
    out
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
    if m.get("builtin").is_some() {
        let builtin = m.choice("builtin", BUILTINS, |s| {
            (s == "report_on_time_rate").then_some(Measure::ReportOnTimeRate)
        });
        for key in ["dataset", "numerator", "denominator", "value", "filter"] {
            if let Some(v) = m.get(key) {
                m.wrong(
                    key,
                    v.span(),
                    format!("a `builtin` measure takes no `{key}`"),
                    "keep builtin = \"report_on_time_rate\" alone, or remove it for a dataset measure",
                );
            }
        }
        let ok = m.diags.is_empty();
        diags.append(&mut m.diags);
        return builtin.filter(|_| ok).map(Spanned::into_inner);
    }
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
