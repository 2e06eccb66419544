//! Change between two snapshots of a series (SPEC §10.2): per (unit, item) the change of its
//! points (or value), the places moved, and how many snapshots in a row it has fallen. Never
//! across a definition change: the change is then null with reason `dinh_nghia_thay_doi`.

use std::collections::HashMap;

use super::snapshot::{Kind, Row, Snapshot, Source, DEFINITION_CHANGED};
use crate::score::change::{change as difference, Standing};

/// A published total that did not move while one of its groups did: not refreshed (portal
/// README §3.2), noted on the total.
pub const NOT_REFRESHED: &str = "chua_cap_nhat";

/// The change of one item between two snapshots.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemChange {
    pub change: Option<f64>,
    pub rank_change: Option<i64>,
    pub reason: Option<String>,
}

/// `now` against `before`: the change of [`Row::measure`] to the cent (compared as shown, so
/// that float noise is no change), and of the rank when both were ranked among as many units.
pub fn between(now: &Row, before: &Row) -> ItemChange {
    if now.fingerprint != before.fingerprint {
        return ItemChange {
            change: None,
            rank_change: None,
            reason: Some(DEFINITION_CHANGED.to_string()),
        };
    }
    let rank = |r: &Row| {
        r.rank
            .filter(|_| r.rank_of == now.rank_of && r.rank_of == before.rank_of)
    };
    let d = difference(
        Standing {
            score: now.measure(),
            rank: rank(now).map(|r| r as usize),
        },
        Standing {
            score: before.measure(),
            rank: rank(before).map(|r| r as usize),
        },
    );
    ItemChange {
        change: d.score_change,
        rank_change: d.rank_change,
        reason: None,
    }
}

/// Fills the changes of `snap` against `previous` (the snapshot before it in its series, if
/// any): `change`, `rank_change`, `previous_status`, `reason`, and `streak` (the previous streak
/// + 1 when the item fell, else 0). A unit or item the previous snapshot lacks has no change.
pub fn measure(snap: &mut Snapshot, previous: Option<&Snapshot>) {
    snap.previous_as_of = previous.map(|p| p.key.as_of);
    // the map only when the rows are not in the same order (units added or removed)
    let aligned = previous.is_some_and(|p| {
        p.rows.len() == snap.rows.len()
            && p.rows
                .iter()
                .zip(&snap.rows)
                .all(|(a, b)| a.unit == b.unit && a.item == b.item)
    });
    let before: HashMap<(&str, &str), &Row> = match previous {
        Some(p) if !aligned => p
            .rows
            .iter()
            .map(|r| ((r.unit.as_str(), r.item.as_str()), r))
            .collect(),
        _ => HashMap::new(),
    };
    for (i, row) in snap.rows.iter_mut().enumerate() {
        // snapshots of one series list their rows in the same order: the row at the same place
        // is nearly always the one, the map finds it otherwise
        let same_place = previous
            .and_then(|p| p.rows.get(i))
            .filter(|p| p.unit == row.unit && p.item == row.item);
        let prev =
            same_place.or_else(|| before.get(&(row.unit.as_str(), row.item.as_str())).copied());
        let c = prev.map(|p| between(row, p)).unwrap_or_default();
        row.change = c.change;
        row.rank_change = c.rank_change;
        row.reason = c.reason;
        row.previous_status = prev.and_then(|p| p.status.clone());
        let fell = c.change.is_some_and(|x| x < 0.0);
        row.streak = match (fell, prev) {
            (true, Some(p)) => p.streak + 1,
            (true, None) => 1,
            (false, _) => 0,
        };
        if row.note.as_deref() == Some(NOT_REFRESHED) {
            row.note = None;
        }
    }
    if snap.key.source == Source::CongBo {
        note_unrefreshed_totals(snap);
    }
}

/// Published totals unchanged while a group of the same unit changed.
fn note_unrefreshed_totals(snap: &mut Snapshot) {
    let moved: std::collections::HashSet<String> = snap
        .rows
        .iter()
        .filter(|r| r.kind == Kind::Group && r.change.is_some_and(|c| c != 0.0))
        .map(|r| r.unit.clone())
        .collect();
    for row in &mut snap.rows {
        if row.kind == Kind::Total && row.change == Some(0.0) && moved.contains(&row.unit) {
            row.note = Some(match row.note.take() {
                Some(n) => format!("{n},{NOT_REFRESHED}"),
                None => NOT_REFRESHED.to_string(),
            });
        }
    }
}

/// The change of every (unit, item) of `now` since `then` (`--since`): not stored, measured on
/// demand.
pub fn since(now: &Snapshot, then: &Snapshot) -> HashMap<(String, String), ItemChange> {
    let before: HashMap<(&str, &str), &Row> = then
        .rows
        .iter()
        .map(|r| ((r.unit.as_str(), r.item.as_str()), r))
        .collect();
    now.rows
        .iter()
        .filter_map(|r| {
            let p = before.get(&(r.unit.as_str(), r.item.as_str()))?;
            Some(((r.unit.clone(), r.item.clone()), between(r, p)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(earned: Option<f64>, rank: Option<u32>, print: &str) -> Row {
        Row {
            unit: "u".into(),
            name: "U".into(),
            level: "xa".into(),
            parent: None,
            item: "total".into(),
            kind: Kind::Total,
            value: earned,
            numerator: None,
            denominator: None,
            max: Some(100.0),
            earned,
            status: None,
            rank,
            rank_of: rank.map(|_| 34),
            fingerprint: print.into(),
            change: None,
            rank_change: None,
            streak: 0,
            previous_status: None,
            reason: None,
            note: None,
        }
    }

    #[test]
    fn changes_by_hand() {
        // (now, before, change, rank change, reason)
        type Case = (Row, Row, Option<f64>, Option<i64>, Option<&'static str>);
        #[rustfmt::skip]
        let cases: Vec<Case> = vec![
            // Hà Nội 1/10 → 2/10: 52,65 (34th) → 54,48 (33rd)
            (row(Some(54.48), Some(33), "f"), row(Some(52.65), Some(34), "f"), Some(1.83), Some(1), None),
            // float noise is no change
            (row(Some(68.30000000000001), None, "f"), row(Some(68.3), None, "f"), Some(0.0), None, None),
            // a formula change: not compared
            (row(Some(60.0), Some(3), "g"), row(Some(50.0), Some(5), "f"), None, None, Some(DEFINITION_CHANGED)),
            // no figure before
            (row(Some(60.0), None, "f"), row(None, None, "f"), None, None, None),
        ];
        for (now, before, change, rank, reason) in cases {
            let c = between(&now, &before);
            assert_eq!(
                (c.change, c.rank_change, c.reason.as_deref()),
                (change, rank, reason),
                "{now:?} after {before:?}"
            );
        }
    }
}
