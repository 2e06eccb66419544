//! The portal's own evaluation responses, `{"code":"OK","data":{…},"message":"OK"}`: the three
//! tree endpoints (`parent` / `children`), the three metric endpoints (`overview` /
//! `evaluation` with `metrics[]`), `service-results` (units with `groupScores`) and the
//! procedure list `formalities` (nothing to import). Field meanings: shared/portal766-dev/README.md §3.1.

use std::collections::BTreeMap;

use super::json::{Node, Reader};
use super::{codes, Counted, Kind, Level, Response, SeenUnit, Shape, Shown};

/// Reads a response in the portal's envelope.
pub(super) fn read(r: &mut Reader<'_>, root: &Node<'_>) -> Option<Response> {
    let code = r.string(root, "code")?;
    if code != "OK" {
        let message = root
            .get("message")
            .and_then(|m| m.value.as_str().map(str::to_string))
            .unwrap_or_default();
        let at = root.get("code").unwrap_or_else(|| root.clone());
        r.error(
            &at,
            format!("the portal answered `{code}` ({message}), not a result"),
        );
        return None;
    }
    let data = r.field(root, "data")?;
    if data.value.is_array() {
        return service_results(r, None, &data.items());
    }
    if !data.value.is_object() {
        r.error(
            &data,
            format!(
                "expected an object, found {}",
                super::json::found(data.value)
            ),
        );
        return None;
    }
    if data.has("parent") || data.has("children") {
        tree(r, &data)
    } else if data.has("overview") || data.has("evaluation") {
        if rows_with_group_scores(&data).is_some() {
            let overview = data.get("overview");
            let rows = rows_with_group_scores(&data).unwrap_or_default();
            return service_results(r, overview.as_ref(), &rows);
        }
        metrics(r, &data)
    } else if let Some(rows) = rows_with_group_scores(&data) {
        service_results(r, data.get("overview").as_ref(), &rows)
    } else if data.has("items") && data.has("pagination") {
        let n = data.get("items").map_or(0, |i| i.items().len());
        let mut out = Response::new(Shape::Formalities);
        out.notes.push(format!(
            "{n} procedure(s) of the portal's list: no scores, nothing imported"
        ));
        Some(out)
    } else {
        r.error(
            &data,
            "not an evaluation result chitieu knows: expected `parent` and `children` (tree \
             endpoints), `overview` and `evaluation` (metric endpoints), units with \
             `groupScores` (service-results) or `items` (formalities)",
        );
        None
    }
}

/// The unit rows of a service-results response: the first array field of `data` whose objects
/// carry `groupScores`.
fn rows_with_group_scores<'v>(data: &Node<'v>) -> Option<Vec<Node<'v>>> {
    let map = data.value.as_object()?;
    map.keys().find_map(|k| {
        let node = data.get(k)?;
        let items = node.items();
        let rows = items.first().is_some_and(|first| first.has("groupScores"));
        rows.then_some(items)
    })
}

/// A unit of a response row: `departmentId`, `departmentName`, `departmentCode` (required when
/// `code_required`), its level from `level_field` when the row has one.
fn unit(
    r: &mut Reader<'_>,
    row: &Node<'_>,
    parent: Option<usize>,
    root: bool,
    code_required: bool,
) -> Option<SeenUnit> {
    let portal_id = r.string(row, "departmentId");
    let name = r.string(row, "departmentName");
    let code = if code_required {
        r.string(row, "departmentCode")
    } else {
        r.string_or_null(row, "departmentCode").ok().flatten()
    };
    let level = if root {
        Some(Level::Tinh)
    } else {
        level_of(r, row, code.as_deref())
    };
    Some(SeenUnit {
        portal_id: Some(portal_id?),
        code: if code_required { Some(code?) } else { code },
        name: name?,
        parent,
        level: level?,
        path: row.path.clone(),
    })
}

/// A child's level: `level` (tree endpoints), `departmentType` / `departmentLevel` (metric
/// endpoints), `childGroup` (capture tools); else from its code (`H44.07` a department,
/// `H44.100` a commune, as the portal numbers them).
pub(super) fn level_of(r: &mut Reader<'_>, row: &Node<'_>, code: Option<&str>) -> Option<Level> {
    for key in [
        "departmentType",
        "childGroup",
        "type",
        "level",
        "departmentLevel",
    ] {
        let Some(node) = row.get(key) else { continue };
        let Some(text) = node.value.as_str() else {
            if node.value.is_null() {
                continue;
            }
            r.error(
                &node,
                format!(
                    "expected a string, found {}",
                    super::json::found(node.value)
                ),
            );
            return None;
        };
        return match text {
            "PROVINCIAL_DEPARTMENT" | "PROVINCE" | "AGENCY" => Some(Level::So),
            "COMMUNE_PEOPLE_COMMITTEE" | "COMMUNE" => Some(Level::Xa),
            other => {
                r.error(
                    &node,
                    format!(
                        "unknown level `{other}` (known: PROVINCE, PROVINCIAL_DEPARTMENT, \
                         AGENCY, COMMUNE, COMMUNE_PEOPLE_COMMITTEE)"
                    ),
                );
                None
            }
        };
    }
    match code.and_then(|c| c.split_once('.')) {
        Some((_, n)) if n.len() >= 3 => Some(Level::Xa),
        Some(_) => Some(Level::So),
        None => {
            r.error(
                row,
                "the unit's level is not given (`level` or `departmentType`)",
            );
            None
        }
    }
}

/// `dvc-progress-tree`, `provide-online-tree`, `formality-online-payment-tree`.
fn tree(r: &mut Reader<'_>, data: &Node<'_>) -> Option<Response> {
    let parent = r.object(data, "parent");
    let children = r.array(data, "children");
    let parent = parent?;
    let group = if parent.has("totalOnTime") || parent.has("totalReceived") {
        "tdgq"
    } else if parent.has("totalDossierFinancialObligation") {
        "tttt"
    } else if ["onlineServiceTotal", "authorityCount", "channelTotalSum"]
        .iter()
        .any(|k| parent.has(k))
    {
        "clgq"
    } else {
        r.error(
            &parent,
            "cannot tell the endpoint: no `totalReceived` (dvc-progress-tree), \
             `totalDossierFinancialObligation` (formality-online-payment-tree) or \
             `onlineServiceTotal` (provide-online-tree)",
        );
        return None;
    };
    let mut out = Response::new(Shape::Tree(group));
    let root = unit(r, &parent, None, true, true);
    let children = children?;
    let mut rows = vec![(parent.clone(), root)];
    for child in &children {
        let u = unit(r, child, Some(0), false, true);
        rows.push((child.clone(), u));
    }
    for (i, (row, u)) in rows.into_iter().enumerate() {
        let (score_key, max_key) = if i == 0 || group != "tdgq" {
            ("totalScore", "totalMaxScore")
        } else {
            ("score", "maxScore")
        };
        let points = r.number(&row, score_key);
        let max = r.number_or_null(&row, max_key);
        let mut counted = Vec::new();
        match group {
            "tdgq" => {
                let n = r.count_or_null(&row, "totalOnTime");
                let d = r.count_or_null(&row, "totalReceived");
                if let (Ok(n), Ok(d)) = (n, d) {
                    counted.push(counts(i, "dossier-on-time", n, d));
                }
            }
            "clgq" => {
                if let Ok(ratio) = r.number_or_null(&row, "ratio") {
                    counted.push(Counted {
                        value: ratio,
                        note: "published ratio",
                        ..counts(i, "online-service", None, None)
                    });
                }
            }
            _ => {
                for (id, n, d) in [
                    (
                        "payment-dossier",
                        "totalDossierOnlinePaymentSuccess",
                        "totalDossierFinancialObligation",
                    ),
                    (
                        "payment-formality",
                        "totalDossierOnlineFormalityPaymentSuccess",
                        "totalFeeFormality",
                    ),
                    (
                        "payment-fee-formality",
                        "totalFeeDossierFormality",
                        "totalFeeFormality",
                    ),
                ] {
                    let n = r.count_or_null(&row, n);
                    let d = r.count_or_null(&row, d);
                    if let (Ok(n), Ok(d)) = (n, d) {
                        counted.push(counts(i, id, n, d));
                    }
                }
            }
        }
        let Some(u) = u else { continue };
        out.units.push(u);
        let unit = out.units.len() - 1;
        out.counted.extend(
            counted
                .into_iter()
                .filter(|c| c.value.is_some() || c.numerator.is_some() || c.denominator.is_some())
                .map(|c| Counted { unit, ..c }),
        );
        if let (Some(points), Ok(max)) = (points, max) {
            out.shown.push(Shown {
                unit,
                kind: Kind::Group,
                id: group,
                points,
                max,
                rank: None,
                rank_of: None,
            });
        }
    }
    Some(out)
}

/// A count row of unit `unit` (an index of the response's units).
fn counts(unit: usize, indicator: &'static str, n: Option<f64>, d: Option<f64>) -> Counted {
    Counted {
        unit,
        indicator,
        value: None,
        numerator: n,
        denominator: d,
        quality: None,
        note: "",
    }
}

/// The group of a metrics response: that of the metric codes of its overview the catalogue
/// knows; an error when there is none or more than one.
fn metrics_group(r: &mut Reader<'_>, overview: &Node<'_>) -> Option<&'static str> {
    let mut groups: BTreeMap<&'static str, usize> = BTreeMap::new();
    for m in overview
        .get("metrics")
        .map(|m| m.items())
        .unwrap_or_default()
    {
        if let Some((_, g)) = m
            .get("code")
            .and_then(|c| c.value.as_str().and_then(codes::indicator))
        {
            *groups.entry(g).or_default() += 1;
        }
    }
    match groups.keys().collect::<Vec<_>>()[..] {
        [g] => Some(*g),
        [] => {
            let at = overview.get("metrics").unwrap_or_else(|| overview.clone());
            r.error(
                &at,
                "no metric code of the catalogue (PUBLISH_ON_TIME, ORIGINAL_RESULT_AVAILABLE, \
                 DOSSIER_RECEIVING_SATISFACTION …): cannot tell the group",
            );
            None
        }
        _ => {
            r.error(
                overview,
                format!(
                    "metrics of several groups ({}) in one response",
                    groups.keys().copied().collect::<Vec<_>>().join(", ")
                ),
            );
            None
        }
    }
}

/// `transparency`, `handling-satisfaction`, `dossier-digitized`.
fn metrics(r: &mut Reader<'_>, data: &Node<'_>) -> Option<Response> {
    let overview = r.object(data, "overview");
    let evaluation = r.array(data, "evaluation");
    let overview = overview?;
    let evaluation = evaluation?;
    let group = metrics_group(r, &overview)?;
    let mut out = Response::new(Shape::Metrics(group));
    let mut unknown: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let rows: Vec<(Node<'_>, bool)> = std::iter::once((overview, true))
        .chain(evaluation.into_iter().map(|e| (e, false)))
        .collect();
    for (row, root) in rows {
        let u = unit(r, &row, (!root).then_some(0), root, false);
        let total = r.number(&row, "totalScore");
        let max = r.number_or_null(&row, "totalMaxScore");
        let metrics = r.array(&row, "metrics");
        let unit_index = out.units.len();
        let mut counted = Vec::new();
        let mut shown = Vec::new();
        for m in metrics.unwrap_or_default() {
            let Some(code) = r.string(&m, "code") else {
                continue;
            };
            let Some((id, g)) = codes::indicator(&code) else {
                let e = unknown.entry(code).or_insert((0, m.path.clone()));
                e.0 += 1;
                continue;
            };
            if g != group {
                r.error(
                    &m,
                    format!("metric `{code}` is of group {g}, the response of group {group}"),
                );
                continue;
            }
            let n = r.count_or_null(&m, "numerator");
            let d = r.count_or_null(&m, "denominator");
            let ratio = r.number_or_null(&m, "ratio");
            let score = r.number_or_null(&m, "score");
            let metric_max = r.number_or_null(&m, "maxScore");
            let quality = r.string_or_null(&m, "dataQualityStatus");
            let (Ok(n), Ok(d), Ok(ratio), Ok(score), Ok(metric_max), Ok(quality)) =
                (n, d, ratio, score, metric_max, quality)
            else {
                continue;
            };
            let c = match (n, d) {
                // no national report data: 0/0 is no figure, not a real zero
                _ if quality.as_deref() == Some("NO_NATIONAL_REPORT_DATA") => Counted {
                    note: "no national report data",
                    ..counts(unit_index, id, None, None)
                },
                (Some(_), Some(_)) => counts(unit_index, id, n, d),
                (None, None) => Counted {
                    value: ratio,
                    note: if ratio.is_some() {
                        "published ratio"
                    } else {
                        ""
                    },
                    ..counts(unit_index, id, None, None)
                },
                _ => {
                    let missing = if n.is_none() {
                        "numerator"
                    } else {
                        "denominator"
                    };
                    let at = m.get(missing).unwrap_or_else(|| m.clone());
                    r.error(&at, format!("a {missing} is needed with the other count"));
                    continue;
                }
            };
            counted.push(Counted { quality, ..c });
            if let Some(points) = score {
                shown.push(Shown {
                    unit: unit_index,
                    kind: Kind::Indicator,
                    id,
                    points,
                    max: metric_max,
                    rank: None,
                    rank_of: None,
                });
            }
        }
        let (Some(u), Some(total), Ok(max)) = (u, total, max) else {
            continue;
        };
        out.units.push(u);
        out.counted.extend(counted.into_iter().filter(|c| {
            c.value.is_some()
                || c.numerator.is_some()
                || c.denominator.is_some()
                || c.quality.is_some()
        }));
        out.shown.extend(shown);
        out.shown.push(Shown {
            unit: unit_index,
            kind: Kind::Group,
            id: group,
            points: total,
            max,
            rank: None,
            rank_of: None,
        });
    }
    for (code, (n, path)) in unknown {
        r.warning(
            &Node {
                value: &serde_json::Value::Null,
                path,
            },
            format!("unknown metric code `{code}` ({n} unit(s)): not in the catalogue, ignored"),
        );
    }
    Some(out)
}

/// `service-results` (and rows of that shape): a unit's total, its six group scores and, in
/// national lists, its rank.
fn service_results(
    r: &mut Reader<'_>,
    overview: Option<&Node<'_>>,
    rows: &[Node<'_>],
) -> Option<Response> {
    let mut out = Response::new(Shape::ServiceResults);
    let root = overview.filter(|o| o.has("departmentId") && o.has("departmentCode"));
    if let Some(o) = root {
        if let Some(u) = unit(r, o, None, true, true) {
            out.units.push(u);
            let unit = out.units.len() - 1;
            super::snapshots::scores(r, o, unit, None, &mut out);
        }
    }
    let parent = (!out.units.is_empty()).then_some(0);
    let ranked = rows.iter().filter(|row| row.has("rank")).count();
    for row in rows {
        let Some(u) = unit(r, row, parent, parent.is_none(), true) else {
            continue;
        };
        out.units.push(u);
        let unit = out.units.len() - 1;
        let rank_of = u32::try_from(ranked).ok();
        super::snapshots::scores(r, row, unit, rank_of, &mut out);
    }
    Some(out)
}
