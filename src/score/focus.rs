//! Focused reports (README "Focused reports"): the view of a scored run restricted to one unit and
//! its descendants, for that unit's leader. Ranks, peer sets' ranks and grades stay the whole
//! run's (units are ranked among their peers of the whole run); nothing is scored again.

use std::collections::{HashMap, HashSet};

use super::scorecard::{peer_sets, Scorecard, UnitCard};
use crate::data::Units;

/// What `chitieu score --focus UNIT | --focus-level LEVEL` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FocusOn {
    /// One unit, by id of units.csv.
    Unit(String),
    /// Every unit of one level of units.csv, each in its own report.
    Level(String),
}

/// A focus that names nothing in units.csv.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FocusError {
    #[error("--focus: units.csv has no unit `{id}`{}", hint.as_ref().map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default())]
    UnknownUnit { id: String, hint: Option<String> },
    #[error("--focus-level: units.csv has no unit of level `{level}` (its levels: {})", levels.join(", "))]
    UnknownLevel { level: String, levels: Vec<String> },
}

/// The marks of a focused view, which the renderers state ("X and its subordinate units; ranks
/// among the whole run's peers").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    /// The id of the unit the view is of.
    pub unit: String,
    /// How many units the whole run scored.
    pub run_units: usize,
    /// The (id, name) of the unit's parent, which is outside the view; renderers name it.
    pub parent: Option<(String, String)>,
}

/// The ids of the units a focus selects, in units.csv order; checked against the units before
/// anything is scanned, so that a misspelt focus costs no scan.
pub fn select(units: &Units, on: &FocusOn) -> Result<Vec<String>, FocusError> {
    match on {
        FocusOn::Unit(id) => match units.index(id).and_then(|i| units.get(i)) {
            Some(unit) => Ok(vec![unit.id.clone()]),
            None => Err(FocusError::UnknownUnit {
                id: id.clone(),
                hint: units.suggest(id).map(str::to_string),
            }),
        },
        FocusOn::Level(level) => {
            let found: Vec<String> = units
                .list()
                .iter()
                .filter(|u| &u.level == level)
                .map(|u| u.id.clone())
                .collect();
            if found.is_empty() {
                return Err(FocusError::UnknownLevel {
                    level: level.clone(),
                    levels: units.levels(),
                });
            }
            Ok(found)
        }
    }
}

impl Scorecard {
    /// The units at the top of the run's hierarchy (their parent is not in the run), in
    /// units.csv order: a run shown as pages has a page for each.
    pub fn top_units(&self) -> Vec<&UnitCard> {
        let ids: std::collections::HashSet<&str> =
            self.units.iter().map(|u| u.id.as_str()).collect();
        self.units
            .iter()
            .filter(|u| u.parent.as_deref().is_none_or(|p| !ids.contains(p)))
            .collect()
    }

    /// The view of unit `id` and its descendants: their cards as scored (ranks and `rank_of`
    /// among the whole run's peers), their tasks and reports, peer sets regrouped among them (so
    /// the focused unit's own set holds it alone, with its rank among all its peers). `None` when
    /// no unit has that id.
    pub fn focus(&self, id: &str) -> Option<Scorecard> {
        let root = self.units.iter().position(|u| u.id == id)?;
        let mut children: HashMap<&str, Vec<usize>> = HashMap::new();
        for (u, card) in self.units.iter().enumerate() {
            if let Some(p) = card.parent.as_deref() {
                children.entry(p).or_default().push(u);
            }
        }
        let mut inside = vec![false; self.units.len()];
        let mut stack = vec![root];
        while let Some(u) = stack.pop() {
            if std::mem::replace(&mut inside[u], true) {
                continue; // a cycle is refused when units.csv is read; a guard, not a behaviour
            }
            if let Some(kids) = children.get(self.units[u].id.as_str()) {
                stack.extend(kids);
            }
        }
        let units: Vec<_> = self
            .units
            .iter()
            .zip(&inside)
            .filter(|(_, keep)| **keep)
            .map(|(u, _)| u.clone())
            .collect();
        let ids: HashSet<&str> = units.iter().map(|u| u.id.as_str()).collect();
        Some(Scorecard {
            chitieu: self.chitieu,
            catalogue: self.catalogue.clone(),
            period: self.period,
            as_of: self.as_of,
            cumulative: self.cumulative,
            history: self.history.clone(),
            alerts: self.alerts.as_ref().map(|all| {
                all.iter()
                    .filter(|a| ids.contains(a.unit.as_str()))
                    .cloned()
                    .collect()
            }),
            tasks: self
                .tasks
                .iter()
                .filter(|t| ids.contains(t.unit.as_str()))
                .cloned()
                .collect(),
            reports: self
                .reports
                .iter()
                .filter(|r| ids.contains(r.unit.as_str()))
                .cloned()
                .collect(),
            peer_sets: peer_sets(&units),
            reconciliation: self
                .reconciliation
                .as_ref()
                .map(|r| r.within(&|u: &str| ids.contains(u))),
            units,
            focus: Some(Focus {
                unit: self.units[root].id.clone(),
                run_units: self.units.len(),
                parent: self.units[root].parent.as_deref().and_then(|p| {
                    let parent = self.units.iter().find(|u| u.id == p)?;
                    Some((parent.id.clone(), parent.name.clone()))
                }),
            }),
        })
    }

    /// The name of unit `id` when it is outside this view: the focused unit's parent. Renderers
    /// name a parent they do not show by it (a whole run shows every parent).
    pub fn outside_name(&self, id: &str) -> Option<&str> {
        let (parent, name) = self.focus.as_ref()?.parent.as_ref()?;
        (parent == id).then_some(name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::scorecard::score_texts;

    const UNITS: &str = "id,name,parent,level\n\
        t1,Tỉnh 1,,tinh\nt2,Tỉnh 2,,tinh\n\
        x1,Xã 1,t1,xa\nx2,Xã 2,t1,xa\nx3,Xã 3,t2,xa\nthon,Thôn,x2,thon\n";

    fn scored() -> (Scorecard, Units) {
        let reported = "unit,period,indicator,value\n\
            x1,2026,ty-le,50\nx2,2026,ty-le,90\nx3,2026,ty-le,70\nthon,2026,ty-le,90\n";
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        let (card, _, units) = score_texts(
            &[
                ("catalogue.toml", "id = \"c\"\ntitle = \"C\"\n"),
                (
                    "i.toml",
                    "[[indicator]]\nid = \"ty-le\"\nname = \"Tỷ lệ\"\nunit = \"%\"\n\
                     direction = \"higher\"\n[indicator.targets]\n2026 = \">= 80\"\n",
                ),
            ],
            &[("units.csv", UNITS), ("reported.csv", reported)],
            date,
        );
        (card, units)
    }

    #[test]
    fn a_focus_keeps_the_unit_its_descendants_and_their_ranks() {
        let (whole, _) = scored();
        let focused = whole.focus("t1").unwrap_or_else(|| panic!("no t1"));
        let ids: Vec<&str> = focused.units.iter().map(|u| u.id.as_str()).collect();
        // t1, its communes and the hamlet under x2; not t2 nor x3
        assert_eq!(ids, ["t1", "x1", "x2", "thon"]);
        // every rank is the whole run's: t1 is ranked among both provinces, not alone
        for u in &focused.units {
            let same = whole.units.iter().find(|w| w.id == u.id);
            assert_eq!(same.map(|w| (w.rank, w.rank_of)), Some((u.rank, u.rank_of)));
        }
        let t1 = &focused.units[0];
        assert_eq!(t1.rank_of, Some(2));
        // x2 (90 %, met) before x1 (50 %) among t1's communes
        assert_eq!(focused.units[2].rank, Some(1));
        // peer sets among the view: {t1}, {x1, x2}, {thon}
        let sets: Vec<usize> = focused.peer_sets.iter().map(|s| s.members.len()).collect();
        assert_eq!(sets, [1, 2, 1]);
        assert_eq!(
            focused.focus,
            Some(Focus {
                unit: "t1".into(),
                run_units: 6,
                parent: None
            })
        );
        // a commune's view names its province, which it does not hold
        let x2 = whole.focus("x2").unwrap_or_else(|| panic!("no x2"));
        assert_eq!(x2.outside_name("t1"), Some("Tỉnh 1"));
        assert_eq!(x2.outside_name("t2"), None);
        assert_eq!(whole.outside_name("t1"), None);
        assert!(whole.focus("khong-co").is_none());
        assert!(whole.focus.is_none());
    }

    #[test]
    fn a_focus_must_name_a_unit_or_a_level_of_units_csv() {
        let (_, units) = scored();
        let units = &units;
        assert_eq!(
            select(units, &FocusOn::Level("xa".into())),
            Ok(vec!["x1".into(), "x2".into(), "x3".into()])
        );
        assert_eq!(
            select(units, &FocusOn::Unit("x2".into())),
            Ok(vec!["x2".into()])
        );
        assert_eq!(
            select(units, &FocusOn::Unit("t3".into())),
            Err(FocusError::UnknownUnit {
                id: "t3".into(),
                hint: Some("t1".into())
            })
        );
        assert_eq!(
            select(units, &FocusOn::Level("huyen".into())),
            Err(FocusError::UnknownLevel {
                level: "huyen".into(),
                levels: vec!["thon".into(), "tinh".into(), "xa".into()]
            })
        );
    }
}
