//! Reading catalogue.toml's own keys: id, title, scoring defaults, `[[group]]`, `[[grade]]`
//! and `[dataset.*]` (E101–E103, E111, E150).

use std::ops::Range;

use toml::de::DeValue;
use toml::Spanned;

use super::{check_id, Loader};
use crate::definition::fields::Fields;
use crate::definition::model::*;
use crate::diagnostics::{Code, Diagnostic};

pub(super) const CATALOGUE_KEYS: &[&str] = &[
    "id",
    "title",
    "issuer",
    "document",
    "scoring",
    "missing",
    "near",
    "min_coverage",
    "rounding",
    "group",
    "grade",
    "dataset",
    "indicator",
    "task",
    "report",
    "alert",
];
const GROUP_KEYS: &[&str] = &["id", "name", "points"];
const GRADE_KEYS: &[&str] = &["name", "min"];
const DATASET_KEYS: &[&str] = &["unit", "date", "columns"];

impl Loader {
    /// The metadata of catalogue.toml: id, title, defaults, groups, grades, datasets.
    pub(super) fn meta(&mut self, f: &mut Fields<'_, '_>, file: usize) {
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
        c.rounding = crate::definition::rules::rounding(f);
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
        self.groups(f);
        self.grades(f);
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

    /// `[[group]]`s: id, name and points of each (E110 for an id given twice).
    fn groups(&mut self, f: &mut Fields<'_, '_>) {
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
            if let Some(p) = g
                .get("points")
                .filter(|_| points.is_some_and(|p| p > super::indicator::MAX_POINTS))
            {
                g.wrong(
                    "points",
                    p.span(),
                    format!("`points` cannot exceed {:e}", super::indicator::MAX_POINTS),
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
    }

    /// `[[grade]]` bands, highest `min` first down to a last band of `min = 0` (E150).
    fn grades(&mut self, f: &mut Fields<'_, '_>) {
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
    }
}
