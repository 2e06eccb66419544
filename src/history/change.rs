//! Change between two snapshots of a series (SPEC §10.2): per (unit, item) the change of its
//! points (or value), the places moved, and how many snapshots in a row it has fallen. Never
//! across a definition change: the change is then null with reason `dinh_nghia_thay_doi`.

use polars::prelude::{PlHashMap, PlHashSet};

use super::snapshot::{Kind, Row, Snapshot, Source, Text, DEFINITION_CHANGED};
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

/// For each row of `now`, the index of the same (unit, item) in `then`, if it has one.
/// Snapshots of one series list their rows in the same order, so the row at the same place is
/// nearly always the one; a map finds it otherwise (units added or removed).
pub fn matched(now: &Snapshot, then: &Snapshot) -> Vec<Option<usize>> {
    let same = |i: usize, r: &Row| {
        then.rows
            .get(i)
            .is_some_and(|p| p.unit == r.unit && p.item == r.item)
    };
    if now.rows.len() == then.rows.len() && now.rows.iter().enumerate().all(|(i, r)| same(i, r)) {
        return (0..now.rows.len()).map(Some).collect();
    }
    let at: PlHashMap<(&str, &str), usize> = then
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| ((&*r.unit, &*r.item), i))
        .collect();
    now.rows
        .iter()
        .map(|r| at.get(&(&*r.unit, &*r.item)).copied())
        .collect()
}

/// Fills the changes of `snap` against `previous` (the snapshot before it in its series, if
/// any): `change`, `rank_change`, `previous_status`, `reason`, and `streak` (the previous streak
/// + 1 when the item fell, else 0). A unit or item the previous snapshot lacks has no change.
pub fn measure(snap: &mut Snapshot, previous: Option<&Snapshot>) {
    snap.previous_as_of = previous.map(|p| p.key.as_of);
    let at = previous.map(|p| matched(snap, p)).unwrap_or_default();
    for (i, row) in snap.rows.iter_mut().enumerate() {
        let prev = previous
            .zip(at.get(i).copied().flatten())
            .map(|(p, j)| &p.rows[j]);
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
    let moved: PlHashSet<Text> = snap
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

/// The change of each row of `now` since `then` (`--since`), by position: not stored, measured
/// on demand. A row `then` lacks has none.
pub fn since(now: &Snapshot, then: &Snapshot) -> Vec<Option<ItemChange>> {
    matched(now, then)
        .into_iter()
        .zip(&now.rows)
        .map(|(j, r)| j.map(|j| between(r, &then.rows[j])))
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
