//! Tests of `import::portal766`'s manifests.

use super::{import, Kind, Options, Shape};
use crate::data::Period;

/// A capture manifest gives each response its period (from the request: timeType and month,
/// or fromDate and toDate) and its day (capturedAt); a response filtered to one procedure is
/// left out.
#[test]
fn a_manifest_dates_and_places_each_response() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/portal766/with-manifest");
    let got = import(&[dir], &Options::default()).unwrap_or_else(|p| panic!("{p:?}"));
    let files: Vec<(&str, Shape, Option<String>, Option<String>)> = got
        .files
        .iter()
        .map(|f| {
            (
                f.file.as_str(),
                f.shape,
                f.period.map(|p| p.to_string()),
                f.as_of.map(|d| d.to_string()),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            (
                "dvc-progress-tree/month-all.json",
                Shape::Tree("tdgq"),
                Some("2026-08".into()),
                Some("2026-09-26".into())
            ),
            (
                "dvc-progress-tree/month-formality.json",
                Shape::OneProcedure,
                None,
                None
            ),
            (
                "transparency/month-all.json",
                Shape::Metrics("ckmb"),
                Some("2026-08".into()),
                Some("2026-09-28".into())
            ),
        ]
    );
    // the transparency rows (no unit codes) take the codes of the tree's units
    let ids: Vec<&str> = got.units.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(ids, ["H99", "H99.01", "H99.100"]);
    assert!(got
        .reported
        .iter()
        .all(|r| r.period == Period::Month(2026, 8)));
    let days: Vec<(Kind, &str, String)> = got
        .published
        .iter()
        .filter(|p| p.unit == 1 && p.kind == Kind::Group)
        .map(|p| (p.kind, p.id, p.as_of.to_string()))
        .collect();
    assert_eq!(
        days,
        [
            (Kind::Group, "tdgq", "2026-09-26".into()),
            (Kind::Group, "ckmb", "2026-09-28".into())
        ]
    );
}
