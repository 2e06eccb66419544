//! Merging the responses of an import into one: units matched across files by portal id, else
//! by code, their parents and names reconciled, figures given twice with different values
//! refused, and no unit its own ancestor. Reads no file; `import` hands the parsed responses in.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::*;
use crate::data::Period;

/// A unit of the merge, before ids are chosen.
struct Merged {
    portal_id: Option<String>,
    code: Option<String>,
    name: String,
    level: Level,
    parent: Option<usize>,
    /// The file and path that gave its parent (or said it is a root), for conflicts.
    parent_from: Option<(String, String)>,
    /// The day and input position its name and level were taken from (the latest wins).
    named_at: (Option<NaiveDate>, usize),
}

/// The state of a merge: the units so far (matched by portal id, else by code), the figures
/// and the files read; `ok` false once a problem makes the import fail.
struct Merge {
    units: Vec<Merged>,
    by_id: HashMap<String, usize>,
    by_code: HashMap<String, usize>,
    reported: Vec<(ReportedRow, String)>,
    published: Vec<PublishedRow>,
    files: Vec<FileSummary>,
    ok: bool,
}

/// Merges the responses into one import: units matched by portal id, else by code; periods and
/// days resolved; figures given twice with different values refused.
pub(super) fn merge(
    responses: Vec<(String, Response)>,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> Option<Import> {
    let mut m = Merge {
        units: Vec::new(),
        by_id: HashMap::new(),
        by_code: HashMap::new(),
        reported: Vec::new(),
        published: Vec::new(),
        files: Vec::new(),
        ok: true,
    };
    for (position, (file, r)) in responses.into_iter().enumerate() {
        let figures = !r.units.is_empty();
        let (period, as_of) = m.period_and_day(&file, &r, opts, problems);
        // each unit of the response → its merged unit
        let index = m.match_units(&file, &r, as_of, position, problems);
        // parents, once every unit of the response is matched
        m.link_parents(&file, &r, &index, problems);
        if let (Some(period), Some(day)) = (period, as_of) {
            m.add_figures(&file, &r, &index, period, day);
        }
        m.files.push(FileSummary {
            file,
            shape: r.shape,
            period: period.filter(|_| figures),
            as_of: as_of.filter(|_| figures),
            units: r.units.len(),
            counted: r.counted.len(),
            shown: r.shown.len(),
            notes: r.notes,
        });
    }
    m.finish(problems)
}

impl Merge {
    /// The period and day of a response: its own, else the options'; a response with figures
    /// must have both, and its own period must be the one asked for.
    fn period_and_day(
        &mut self,
        file: &str,
        r: &Response,
        opts: &Options,
        problems: &mut Vec<Problem>,
    ) -> (Option<Period>, Option<NaiveDate>) {
        let figures = !r.units.is_empty();
        let period = match (r.period, opts.period) {
            (Some(own), Some(given)) if own != given => {
                problems.push(Problem::error(
                    file,
                    None,
                    format!("the file is of period {own}, --period says {given}"),
                ));
                self.ok = false;
                None
            }
            (Some(own), _) => Some(own),
            (None, given) => given,
        };
        let as_of = r.as_of.or(opts.as_of);
        if figures && period.is_none() {
            problems.push(Problem::error(
                file,
                None,
                "the response does not say its period (the portal's responses carry it only \
                 in the request): give --period, e.g. --period 2026-08",
            ));
            self.ok = false;
        }
        if figures && as_of.is_none() {
            problems.push(Problem::error(
                file,
                None,
                "the response does not say its day (the portal's responses carry no date): \
                 give --as-of, the day it was captured, e.g. --as-of 2026-09-26",
            ));
            self.ok = false;
        }
        (period, as_of)
    }

    /// The merged unit of each unit of a response (a new one when neither its portal id nor
    /// its code is known); the latest response names it.
    fn match_units(
        &mut self,
        file: &str,
        r: &Response,
        as_of: Option<NaiveDate>,
        position: usize,
        problems: &mut Vec<Problem>,
    ) -> Vec<usize> {
        let mut index = Vec::with_capacity(r.units.len());
        let mut seen_here: HashMap<usize, String> = HashMap::new();
        for u in &r.units {
            let found_id = (u.portal_id.as_ref()).and_then(|id| self.by_id.get(id).copied());
            let found_code = u.code.as_ref().and_then(|c| self.by_code.get(c).copied());
            let g = match (found_id, found_code) {
                (Some(a), Some(b)) if a != b => {
                    problems.push(Problem::error(
                        file,
                        Some(&u.path),
                        format!(
                            "unit `{}` ({}) has the portal id of another unit in an earlier file",
                            u.code.as_deref().unwrap_or_default(),
                            u.name
                        ),
                    ));
                    self.ok = false;
                    a
                }
                (Some(a), _) | (None, Some(a)) => a,
                (None, None) => {
                    self.units.push(Merged {
                        portal_id: None,
                        code: None,
                        name: u.name.clone(),
                        level: u.level,
                        parent: None,
                        parent_from: None,
                        named_at: (as_of, position),
                    });
                    self.units.len() - 1
                }
            };
            if let Some(first) = seen_here.insert(g, u.path.clone()) {
                problems.push(Problem::error(
                    file,
                    Some(&u.path),
                    format!(
                        "unit {} `{}` twice in one response (first at {first})",
                        u.code
                            .as_deref()
                            .or(u.portal_id.as_deref())
                            .unwrap_or_default(),
                        u.name
                    ),
                ));
                self.ok = false;
            }
            let m = &mut self.units[g];
            if let Some(id) = &u.portal_id {
                m.portal_id.get_or_insert_with(|| id.clone());
                self.by_id.insert(id.clone(), g);
            }
            if let Some(code) = &u.code {
                m.code.get_or_insert_with(|| code.clone());
                self.by_code.insert(code.clone(), g);
            }
            if (as_of, position) >= m.named_at {
                m.name = u.name.clone();
                m.level = u.level;
                m.named_at = (as_of, position);
            }
            index.push(g);
        }
        index
    }

    /// Each unit's parent as this response gives it (`index`: its units' merged units); another
    /// parent than an earlier file's is a problem.
    fn link_parents(
        &mut self,
        file: &str,
        r: &Response,
        index: &[usize],
        problems: &mut Vec<Problem>,
    ) {
        for (u, &g) in r.units.iter().zip(index) {
            let parent = u.parent.map(|p| index[p]);
            let m = &mut self.units[g];
            match &m.parent_from {
                None => {
                    m.parent = parent;
                    m.parent_from = Some((file.to_string(), u.path.clone()));
                }
                // a root of one response (a province file) may be a child in another (the
                // national one): the known parent stays
                Some(_) if parent.is_none() => {}
                Some(_) if m.parent.is_none() => {
                    m.parent = parent;
                    m.parent_from = Some((file.to_string(), u.path.clone()));
                }
                Some((f, p)) if m.parent != parent => {
                    problems.push(Problem::error(
                        file,
                        Some(&u.path),
                        format!(
                            "unit `{}` has another parent here than in {f} at {p}",
                            u.code.as_deref().unwrap_or(&u.name)
                        ),
                    ));
                    self.ok = false;
                }
                Some(_) => {}
            }
        }
    }

    /// The counts and published points of a response of `period` captured on `day`.
    fn add_figures(
        &mut self,
        file: &str,
        r: &Response,
        index: &[usize],
        period: Period,
        day: NaiveDate,
    ) {
        for c in &r.counted {
            self.reported.push((
                ReportedRow {
                    unit: index[c.unit],
                    period,
                    indicator: c.indicator,
                    value: c.value,
                    numerator: c.numerator,
                    denominator: c.denominator,
                    quality: c.quality.clone(),
                    note: c.note,
                },
                file.to_string(),
            ));
        }
        for s in &r.shown {
            self.published.push(PublishedRow {
                unit: index[s.unit],
                period,
                as_of: day,
                kind: s.kind,
                id: s.id,
                points: s.points,
                max: s.max,
                rank: s.rank,
                rank_of: s.rank_of,
                source: file.to_string(),
            });
        }
    }

    /// The import, once no unit is its own ancestor and no figure is given twice with
    /// different values: each unit's id its code, else its portal id (with a warning).
    fn finish(self, problems: &mut Vec<Problem>) -> Option<Import> {
        let Merge {
            units,
            reported,
            published,
            files,
            mut ok,
            ..
        } = self;
        ok &= no_cycle(&units, problems);
        let reported = without_repeats_reported(reported, &units, problems, &mut ok);
        let published = without_repeats_published(published, &units, problems, &mut ok);
        if !ok {
            return None;
        }
        let imported: Vec<ImportedUnit> = units
            .iter()
            .map(|m| ImportedUnit {
                id: m
                    .code
                    .clone()
                    .or_else(|| m.portal_id.clone())
                    .unwrap_or_else(|| m.name.clone()),
                name: m.name.clone(),
                parent: m.parent,
                level: m.level,
                portal_id: m.portal_id.clone(),
            })
            .collect();
        for (m, u) in units.iter().zip(&imported) {
            if m.code.is_none() {
                problems.push(Problem::warning(
                    &m.parent_from
                        .as_ref()
                        .map(|(f, _)| f.clone())
                        .unwrap_or_default(),
                    m.parent_from.as_ref().map(|(_, p)| p.as_str()),
                    format!(
                        "no response gives the unit code of `{}`: its id is its portal id {} \
                         (import a tree endpoint or dossier-digitized of the same capture for \
                         the codes)",
                        u.name, u.id
                    ),
                ));
            }
        }
        Some(Import {
            units: imported,
            reported,
            published,
            files,
            warnings: Vec::new(),
        })
    }
}

/// Hundredths: published figures have at most 2 decimals.
fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

/// A cycle of parents is an error naming its units.
fn no_cycle(units: &[Merged], problems: &mut Vec<Problem>) -> bool {
    let mut state = vec![0u8; units.len()]; // 0 unvisited, 1 on the current walk, 2 done
    for start in 0..units.len() {
        let mut walk = Vec::new();
        let mut at = Some(start);
        while let Some(u) = at {
            match state[u] {
                2 => break,
                1 => {
                    let from = walk.iter().position(|&w| w == u).unwrap_or(0);
                    let names: Vec<String> = walk[from..]
                        .iter()
                        .chain(std::iter::once(&u))
                        .map(|&w: &usize| {
                            units[w]
                                .code
                                .clone()
                                .unwrap_or_else(|| units[w].name.clone())
                        })
                        .collect();
                    let (file, path) = units[u].parent_from.clone().unwrap_or_default();
                    problems.push(Problem::error(
                        &file,
                        Some(&path),
                        format!("the units' parents make a cycle: {}", names.join(" → ")),
                    ));
                    for &w in &walk {
                        state[w] = 2;
                    }
                    return false;
                }
                _ => {
                    state[u] = 1;
                    walk.push(u);
                    at = units[u].parent;
                }
            }
        }
        for &w in &walk {
            state[w] = 2;
        }
    }
    true
}

fn unit_name(units: &[Merged], u: usize) -> String {
    units[u]
        .code
        .clone()
        .or_else(|| units[u].portal_id.clone())
        .unwrap_or_else(|| units[u].name.clone())
}

/// reported.csv rows, one per (unit, period, indicator): the same figures twice collapse, other
/// figures for the same key are an error.
fn without_repeats_reported(
    rows: Vec<(ReportedRow, String)>,
    units: &[Merged],
    problems: &mut Vec<Problem>,
    ok: &mut bool,
) -> Vec<ReportedRow> {
    let mut out: Vec<ReportedRow> = Vec::new();
    let mut first: HashMap<(usize, Period, &'static str), (usize, String)> = HashMap::new();
    for (row, file) in rows {
        let key = (row.unit, row.period, row.indicator);
        match first.get(&key) {
            Some((i, _)) if out[*i] == row => {}
            Some((_, other)) => {
                problems.push(Problem::error(
                    &file,
                    None,
                    format!(
                        "{} {} {}: other counts than in {other} (import one capture of each \
                         endpoint per period)",
                        unit_name(units, row.unit),
                        row.period,
                        row.indicator
                    ),
                ));
                *ok = false;
            }
            None => {
                first.insert(key, (out.len(), file));
                out.push(row);
            }
        }
    }
    out.sort_by_key(|r| (r.unit, r.period, codes::indicator_rank(r.indicator)));
    out
}

/// published.csv rows, one per (unit, period, day, kind, id), sorted by day, unit, kind, id.
fn without_repeats_published(
    rows: Vec<PublishedRow>,
    units: &[Merged],
    problems: &mut Vec<Problem>,
    ok: &mut bool,
) -> Vec<PublishedRow> {
    let mut out: Vec<PublishedRow> = Vec::new();
    let mut first: HashMap<(usize, Period, NaiveDate, Kind, &'static str), usize> = HashMap::new();
    for row in rows {
        let key = (row.unit, row.period, row.as_of, row.kind, row.id);
        match first.get(&key) {
            Some(&i) => {
                // the same figure in two files (a province's overview in its agencies' and its
                // communes' files): one row, with what either adds (a maximum, a rank)
                if cents(out[i].points) == cents(row.points) {
                    let kept = &mut out[i];
                    kept.max = kept.max.or(row.max);
                    if kept.rank.is_none() {
                        kept.rank = row.rank;
                        kept.rank_of = row.rank_of;
                    }
                } else {
                    let what = match row.kind {
                        Kind::Total => "total".to_string(),
                        kind => format!("{} {}", kind.as_str(), row.id),
                    };
                    problems.push(Problem::error(
                        &row.source,
                        None,
                        format!(
                            "{} {} {what}: published {} here, {} in {} for the same day",
                            unit_name(units, row.unit),
                            row.period,
                            output::number(row.points),
                            output::number(out[i].points),
                            out[i].source
                        ),
                    ));
                    *ok = false;
                }
            }
            None => {
                first.insert(key, out.len());
                out.push(row);
            }
        }
    }
    let rank = |r: &PublishedRow| match r.kind {
        Kind::Indicator => codes::indicator_rank(r.id),
        Kind::Group => codes::group_rank(r.id),
        Kind::Total => 0,
    };
    out.sort_by(|a, b| {
        (a.as_of, a.unit, a.kind, rank(a), a.period).cmp(&(
            b.as_of,
            b.unit,
            b.kind,
            rank(b),
            b.period,
        ))
    });
    out
}
