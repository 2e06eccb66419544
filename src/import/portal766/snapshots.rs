//! Daily snapshot files of the public capture tools: a city's year-to-date snapshot
//! (hoang31201/766-HaNoi `history/quality/<day>.json`) and a capture tool's daily national or
//! province file (duynghiaqn/Crawler-766). They carry totals and group scores only — published
//! figures, no counts — and say their own day (`day`, `runDateStr`). Field meanings:
//! shared/portal766-dev/README.md §3.2, §3.3.

use chrono::NaiveDate;

use super::json::{Node, Reader};
use super::{codes, Kind, Level, Response, SeenUnit, Shape, Shown};
use crate::data::Period;

/// The total (`total_key`), the six group scores (`groupScores`: a number or `{score,
/// maxScore}` per group code) and the rank (`rank_key`, out of `rank_of`) of one unit row.
pub(super) fn scores_with(
    r: &mut Reader<'_>,
    row: &Node<'_>,
    unit: usize,
    total_key: &str,
    rank: Option<(&str, Option<u32>)>,
    out: &mut Response,
) {
    let total = r.number(row, total_key);
    let max = r.number_or_null(row, "totalMaxScore");
    let mut ranked = None;
    if let Some((key, rank_of)) = rank {
        if let Ok(Some(x)) = r.number_or_null(row, key) {
            if x >= 1.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX) {
                ranked = Some((x as u32, rank_of));
            } else if let Some(node) = row.get(key) {
                r.error(&node, format!("expected a rank (1, 2, …), found {x}"));
            }
        }
    }
    if let (Some(points), Ok(max)) = (total, max) {
        out.shown.push(Shown {
            unit,
            kind: Kind::Total,
            id: "",
            points,
            max,
            rank: ranked.map(|(r, _)| r),
            rank_of: ranked.and_then(|(_, of)| of),
        });
    }
    let Some(groups) = r.object(row, "groupScores") else {
        return;
    };
    let map = groups.value.as_object().cloned().unwrap_or_default();
    for key in map.keys() {
        let Some(node) = groups.get(key) else {
            continue;
        };
        let Some(id) = codes::group_id(key) else {
            r.warning(
                &node,
                format!(
                    "unknown group code `{key}` (known: CKMB, TDGQ, CLGQ or ONLINE, TTTT, MDSH, \
                     MDHL): ignored"
                ),
            );
            continue;
        };
        let (points, max) = if node.value.is_object() {
            (
                r.number(&node, "score"),
                r.number_or_null(&node, "maxScore"),
            )
        } else {
            (r.number_at(&node).ok(), Ok(None))
        };
        if let (Some(points), Ok(max)) = (points, max) {
            out.shown.push(Shown {
                unit,
                kind: Kind::Group,
                id,
                points,
                max,
                rank: None,
                rank_of: None,
            });
        }
    }
}

/// [`scores_with`] for a row of `service-results`: `totalScore`, `rank` among `rank_of`.
pub(super) fn scores(
    r: &mut Reader<'_>,
    row: &Node<'_>,
    unit: usize,
    rank_of: Option<u32>,
    out: &mut Response,
) {
    scores_with(r, row, unit, "totalScore", Some(("rank", rank_of)), out);
}

/// The period of `{timeType, year, month | quarter | period}`.
fn period_of(r: &mut Reader<'_>, at: &Node<'_>) -> Option<Period> {
    let kind = r.string(at, "timeType")?;
    let year = r.number(at, "year")?;
    let part = |r: &mut Reader<'_>, keys: [&str; 2]| -> Option<u32> {
        keys.iter().find_map(|k| {
            let n = at.get(k).filter(|n| !n.value.is_null())?;
            let x = r.number_at(&n).ok()?;
            Some(x as u32)
        })
    };
    let text = match kind.as_str() {
        "year" => format!("{year}"),
        "month" => format!("{year}-{:02}", part(r, ["month", "period"])?),
        "quarter" => format!("{year}-Q{}", part(r, ["quarter", "period"])?),
        other => {
            let node = at.get("timeType").unwrap_or_else(|| at.clone());
            r.error(
                &node,
                format!("unknown timeType `{other}` (year, quarter, month)"),
            );
            return None;
        }
    };
    let period = Period::parse(&text);
    if period.is_none() {
        r.error(at, format!("not a period: {text}"));
    }
    period
}

/// A unit row of a snapshot: `id`/`departmentId`, `code`/`departmentCode`, `name`/`departmentName`.
fn seen(
    r: &mut Reader<'_>,
    row: &Node<'_>,
    keys: [&str; 3],
    parent: Option<usize>,
    level: Option<Level>,
) -> Option<SeenUnit> {
    let [id_key, code_key, name_key] = keys;
    let portal_id = r.string_or_null(row, id_key).ok()?;
    let code = r.string(row, code_key);
    let name = r.string(row, name_key);
    let level = match level {
        Some(l) => Some(l),
        None => super::groups::level_of(r, row, code.as_deref()),
    };
    Some(SeenUnit {
        portal_id,
        code: Some(code?),
        name: name?,
        parent,
        level: level?,
        path: row.path.clone(),
    })
}

/// A city's daily year-to-date snapshot: `day`, `period`, `department` (the city) with its
/// total, rank among `provinceCount` and `groups[]`, and `departments[]` with their totals and
/// `groupScores`.
pub(super) fn city_day(r: &mut Reader<'_>, root: &Node<'_>) -> Option<Response> {
    let mut out = Response::new(Shape::CityDay);
    let day = r.string(root, "day");
    out.as_of = day.as_deref().and_then(|d| {
        let parsed = NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        if parsed.is_none() {
            if let Some(node) = root.get("day") {
                r.error(&node, format!("expected a date YYYY-MM-DD, found \"{d}\""));
            }
        }
        parsed
    });
    if let Some(p) = r.object(root, "period") {
        out.period = period_of(r, &p);
    }
    let city = r.object(root, "department");
    let departments = r.array(root, "departments");
    let city = seen(r, &city?, ["id", "code", "name"], None, Some(Level::Tinh))?;
    out.units.push(city);
    let rank_of = r
        .number_or_null(root, "provinceCount")
        .ok()
        .flatten()
        .map(|n| n as u32);
    scores_without_groups(r, root, 0, rank_of, &mut out);
    for g in r.array(root, "groups").unwrap_or_default() {
        let Some(code) = r.string(&g, "code") else {
            continue;
        };
        let Some(id) = codes::group_id(&code) else {
            r.warning(&g, format!("unknown group code `{code}`: ignored"));
            continue;
        };
        let points = r.number(&g, "score");
        let max = r.number_or_null(&g, "maxScore");
        if let (Some(points), Ok(max)) = (points, max) {
            out.shown.push(Shown {
                unit: 0,
                kind: Kind::Group,
                id,
                points,
                max,
                rank: None,
                rank_of: None,
            });
        }
    }
    for d in departments? {
        let Some(u) = seen(r, &d, ["id", "code", "name"], Some(0), None) else {
            continue;
        };
        out.units.push(u);
        let unit = out.units.len() - 1;
        scores_with(r, &d, unit, "score", None, &mut out);
    }
    Some(out)
}

/// The city's own total and national rank (`totalScore`, `rank` among `provinceCount`).
fn scores_without_groups(
    r: &mut Reader<'_>,
    root: &Node<'_>,
    unit: usize,
    rank_of: Option<u32>,
    out: &mut Response,
) {
    let total = r.number(root, "totalScore");
    let max = r.number_or_null(root, "totalMaxScore");
    let rank = match r.number_or_null(root, "rank") {
        Ok(Some(x)) if x >= 1.0 && x.fract() == 0.0 => Some(x as u32),
        Ok(None) => None,
        Ok(Some(x)) => {
            if let Some(node) = root.get("rank") {
                r.error(&node, format!("expected a rank (1, 2, …), found {x}"));
            }
            None
        }
        Err(()) => None,
    };
    if let (Some(points), Ok(max)) = (total, max) {
        out.shown.push(Shown {
            unit,
            kind: Kind::Total,
            id: "",
            points,
            max,
            rank,
            rank_of: rank.and(rank_of),
        });
    }
}

/// A capture tool's daily file: `metadata` (`runDateStr` DDMMYYYY, the snapshot day; the
/// period), `overview` (the province, or "Cả nước" without a code: not a unit) and one of
/// `provinces[]` (ranked nationally), `agencies[]`, `communes[]` (ranked within their group:
/// `groupRank` among the overview's `agencyCount` / `communeCount`).
pub(super) fn crawler_day(r: &mut Reader<'_>, root: &Node<'_>) -> Option<Response> {
    let mut out = Response::new(Shape::CrawlerDay);
    let meta = r.object(root, "metadata")?;
    if let Some(day) = r.string(&meta, "runDateStr") {
        out.as_of = NaiveDate::parse_from_str(&day, "%d%m%Y").ok();
        if out.as_of.is_none() {
            if let Some(node) = meta.get("runDateStr") {
                r.error(&node, format!("expected a day DDMMYYYY, found \"{day}\""));
            }
        }
    }
    out.period = period_of(r, &meta);
    let overview = r.object(root, "overview")?;
    let (key, rows) = ["provinces", "agencies", "communes"]
        .into_iter()
        .find_map(|k| root.get(k).map(|n| (k, n)))?;
    if !rows.value.is_array() {
        r.error(
            &rows,
            format!(
                "expected an array, found {}",
                super::json::found(rows.value)
            ),
        );
        return None;
    }
    let rows = rows.items();
    let mut parent = None;
    if key == "provinces" {
        out.notes.push(format!(
            "`{}` (the overview) has no unit code: its total is not imported",
            overview
                .get("departmentName")
                .and_then(|n| n.value.as_str().map(str::to_string))
                .unwrap_or_default()
        ));
    } else {
        // the province: its code from the overview or the metadata, its UUID from the metadata
        let code = overview
            .get("departmentCode")
            .or_else(|| meta.get("provinceCode"));
        let name = r.string(&overview, "departmentName");
        let code = match code {
            Some(c) => c.value.as_str().map(str::to_string),
            None => {
                r.error(
                    &overview,
                    "missing field `departmentCode` (nor metadata.provinceCode)",
                );
                None
            }
        };
        let portal_id = r.string_or_null(&meta, "rootDepartmentId").ok().flatten();
        if let (Some(code), Some(name)) = (code, name) {
            out.units.push(SeenUnit {
                portal_id,
                code: Some(code),
                name,
                parent: None,
                level: Level::Tinh,
                path: overview.path.clone(),
            });
            parent = Some(0);
            scores_with(r, &overview, 0, "totalScore", None, &mut out);
        }
    }
    let count_key = match key {
        "agencies" => Some("agencyCount"),
        "communes" => Some("communeCount"),
        _ => None,
    };
    let (rank_key, rank_of) = match count_key {
        Some(k) => (
            "groupRank",
            r.number_or_null(&overview, k)
                .ok()
                .flatten()
                .map(|n| n as u32),
        ),
        None => (
            "rank",
            r.number_or_null(&overview, "totalProvincesCount")
                .ok()
                .flatten()
                .map(|n| n as u32)
                .or(u32::try_from(rows.len()).ok()),
        ),
    };
    let level = (key == "provinces").then_some(Level::Tinh);
    for row in &rows {
        let Some(u) = seen(
            r,
            row,
            ["departmentId", "departmentCode", "departmentName"],
            parent,
            level,
        ) else {
            continue;
        };
        out.units.push(u);
        let unit = out.units.len() - 1;
        scores_with(
            r,
            row,
            unit,
            "totalScore",
            Some((rank_key, rank_of)),
            &mut out,
        );
    }
    Some(out)
}
