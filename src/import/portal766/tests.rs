//! Tests of `import::portal766`.

use super::{import, Kind, Options};
use crate::data::Period;

/// A `service-results` response as the portal returns it (shared/portal766-dev/README.md
/// §3.1: units with `groupScores` keyed by group code, a rank in national lists).
#[test]
fn service_results_give_totals_groups_and_ranks() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("service-results.json");
    let body = r#"{"code":"OK","message":"OK","data":{"items":[
            {"departmentId":"u-20","departmentName":"UBND tỉnh Đồng Tháp","departmentCode":"H20",
             "departmentLevel":"PROVINCE","totalScore":68.53,"totalMaxScore":100,"ratio":68.53,
             "scoreDelta":24.68,"rank":1,"newField":[1,2],
             "groupScores":{"CKMB":11.45,"TDGQ":17.86,"CLGQ":8.83,"TTTT":6.21,"MDSH":9.72,"MDHL":14.46}},
            {"departmentId":"u-32","departmentName":"UBND tỉnh Khánh Hòa","departmentCode":"H32",
             "departmentLevel":"PROVINCE","totalScore":52.77,"totalMaxScore":100,"rank":2,
             "groupScores":{"CKMB":6.0,"TDGQ":16.63,"ONLINE":6.91,"TTTT":6.15,"MDSH":9.33,"MDHL":7.75}}
        ],"pagination":{"total":2}}}"#;
    std::fs::write(&path, body).unwrap_or_else(|e| panic!("{e}"));
    let opts = Options {
        period: Period::parse("2026"),
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 9, 26),
    };
    let got = import(&[path], &opts).unwrap_or_else(|p| panic!("{p:?}"));
    let ids: Vec<&str> = got.units.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["H20", "H32"]);
    assert!(got.reported.is_empty());
    let totals: Vec<(f64, Option<u32>, Option<u32>)> = got
        .published
        .iter()
        .filter(|p| p.kind == Kind::Total)
        .map(|p| (p.points, p.rank, p.rank_of))
        .collect();
    assert_eq!(
        totals,
        [(68.53, Some(1), Some(2)), (52.77, Some(2), Some(2))]
    );
    // ONLINE is clgq; 7 rows a unit
    assert_eq!(got.published.len(), 14);
    assert!(got
        .published
        .iter()
        .any(|p| p.unit == 1 && p.id == "clgq" && p.points == 6.91));
}
