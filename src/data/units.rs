//! The organisational units of units.csv and their hierarchy (SPEC §5.1): lookup by id and by
//! name, parents, children, ancestors and a bottom-up order for rollups. No values here.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::table::{file_name, Table};
use crate::diagnostics::{Code, Diagnostic, Place};

/// One row of units.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: String,
    pub name: String,
    /// The parent's id; `None` for a root.
    pub parent: Option<String>,
    pub level: String,
}

/// The units in units.csv order, with their hierarchy resolved to indices.
#[derive(Debug, Clone, Default)]
pub struct Units {
    list: Vec<Unit>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
}

impl Units {
    pub fn list(&self) -> &[Unit] {
        &self.list
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn get(&self, i: usize) -> Option<&Unit> {
        self.list.get(i)
    }

    /// The index of the unit with id `id` (trimmed).
    /// The index of unit `id`, compared in Unicode NFC: an id typed decomposed (NFD, Unikey's
    /// "Unicode tổ hợp") finds the unit whose id was typed composed, and the other way round.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.by_id
            .get(crate::text::nfc(id.trim()).as_ref())
            .copied()
    }

    pub fn parent(&self, i: usize) -> Option<usize> {
        self.parent.get(i).copied().flatten()
    }

    /// The direct children of unit `i`, in units.csv order.
    pub fn children(&self, i: usize) -> &[usize] {
        self.children.get(i).map_or(&[], Vec::as_slice)
    }

    /// The roots (units without a parent), in units.csv order.
    pub fn roots(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.parent(i).is_none())
            .collect()
    }

    /// Parent, grandparent, … up to the root.
    #[cfg(test)]
    pub fn ancestors(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = self.parent(i);
        while let Some(p) = at {
            if out.len() > self.len() {
                break; // unreachable once cycles are broken; a guard, not a behaviour
            }
            out.push(p);
            at = self.parent(p);
        }
        out
    }

    /// Every unit after all its descendants: a post-order walk of each root's tree, roots and
    /// children in units.csv order. The order in which rollups compute parents.
    pub fn bottom_up(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.len());
        for root in self.roots() {
            // (unit, index of the next child to visit)
            let mut stack = vec![(root, 0)];
            while let Some((unit, next)) = stack.pop() {
                match self.children(unit).get(next) {
                    Some(&child) => {
                        stack.push((unit, next + 1));
                        stack.push((child, 0));
                    }
                    None => out.push(unit),
                }
            }
        }
        out
    }

    /// The units whose name equals `name` after trimming, collapsing runs of spaces and
    /// Unicode NFC normalisation; case and diacritics count (`Sở Nội vụ` ≠ `sở nội vụ`).
    pub fn by_name(&self, name: &str) -> Vec<usize> {
        self.by_name
            .get(&name_key(name))
            .cloned()
            .unwrap_or_default()
    }

    /// Reads units from a table with columns `id`, `name`, `parent`, `level`. Every problem is
    /// returned: a missing column (E306), an empty id (E307), a duplicate id, an unknown parent
    /// or a cycle (E305).
    pub fn from_table(t: &Table) -> Result<Units, Vec<Diagnostic>> {
        let (units, diags) = Units::read(t);
        match units {
            Some(units) if diags.is_empty() => Ok(units),
            _ => Err(diags),
        }
    }

    /// Reads what can be read: the units (None when a column is missing) with every problem.
    /// A duplicate id keeps its first row; an unknown parent makes a root; a cycle is broken at
    /// its first unit in file order, so the result is always a forest and later checks (of
    /// reported.csv, tasks.csv) can still run.
    pub fn read(t: &Table) -> (Option<Units>, Vec<Diagnostic>) {
        let missing = t.require(&["id", "name", "parent", "level"]);
        if !missing.is_empty() {
            return (None, missing);
        }
        let [id_col, name_col, parent_col, level_col] =
            ["id", "name", "parent", "level"].map(|c| t.column(c));
        let file = file_name(&t.path);
        let mut diags = Vec::new();
        let mut units = Units::default();
        let mut rows = Vec::new(); // table row of each unit, for diagnostics
        for i in 0..t.rows.len() {
            if t.is_blank(i) {
                continue;
            }
            // ids are kept in NFC, whichever way they were typed ([`Units::index`])
            let id_nfc = crate::text::nfc(t.cell(i, id_col));
            let id = id_nfc.as_ref();
            if id.is_empty() {
                diags.push(
                    t.at(Code::E307, i, "id", format!("{file}: the unit has no id"))
                        .help("give every unit an id (the code used in the other data files)"),
                );
                continue;
            }
            if let Some(&first) = units.by_id.get(id) {
                diags.push(
                    t.at(
                        Code::E305,
                        i,
                        "id",
                        format!(
                            "duplicate unit id `{}` (first on row {})",
                            crate::text::clip(id, 80),
                            Table::row_number(rows[first])
                        ),
                    )
                    .help("give each unit one row and its own id"),
                );
                continue;
            }
            let parent_nfc = crate::text::nfc(t.cell(i, parent_col));
            let parent = parent_nfc.as_ref();
            units.by_id.insert(id.to_string(), units.list.len());
            units.list.push(Unit {
                id: id.to_string(),
                name: t.cell(i, name_col).to_string(),
                parent: (!parent.is_empty()).then(|| parent.to_string()),
                level: t.cell(i, level_col).to_string(),
            });
            rows.push(i);
        }

        // Resolve parents.
        let mut problems: Vec<Diagnostic> = Vec::new();
        units.parent = units
            .list
            .iter()
            .enumerate()
            .map(|(u, unit)| {
                let parent = unit.parent.as_deref()?;
                let found = units.by_id.get(parent).copied();
                if found.is_none() {
                    let mut d = t.at(
                        Code::E305,
                        rows[u],
                        "parent",
                        format!(
                            "unit `{}` names an unknown parent `{}`",
                            crate::text::clip(&unit.id, 80),
                            crate::text::clip(parent, 80)
                        ),
                    );
                    d = d.help(match units.suggest(parent) {
                        Some(near) => format!(
                            "did you mean `{near}`? A parent must be the id of a row of {file}; \
                             leave it empty for a root"
                        ),
                        None => format!(
                            "a parent must be the id of a row of {file}; leave it empty for a root"
                        ),
                    });
                    problems.push(d);
                }
                found
            })
            .collect();

        // Find cycles: follow parents from each unit; a walk that meets itself is a cycle.
        // state: 0 unvisited, 1 on the current walk, 2 done.
        let mut state = vec![0u8; units.len()];
        for start in 0..units.len() {
            let mut walk = Vec::new();
            let mut at = Some(start);
            while let Some(u) = at {
                match state[u] {
                    2 => break,
                    1 => {
                        let from = walk.iter().position(|&w| w == u).unwrap_or(0);
                        let cycle = &walk[from..];
                        let first = cycle.iter().copied().min().unwrap_or(u);
                        problems.push(units.cycle_diagnostic(t, &rows, cycle, first));
                        units.parent[first] = None;
                        break;
                    }
                    _ => {
                        state[u] = 1;
                        walk.push(u);
                        at = units.parent[u];
                    }
                }
            }
            for u in walk {
                state[u] = 2;
            }
        }
        diags.extend(problems);
        diags.sort_by_key(|d| match &d.place {
            Place::Cell { row, .. } => *row,
            _ => 0,
        });

        units.children = vec![Vec::new(); units.len()];
        for u in 0..units.len() {
            if let Some(p) = units.parent[u] {
                units.children[p].push(u);
            }
        }
        for (u, unit) in units.list.iter().enumerate() {
            units
                .by_name
                .entry(name_key(&unit.name))
                .or_default()
                .push(u);
        }
        (Some(units), diags)
    }

    fn cycle_diagnostic(
        &self,
        t: &Table,
        rows: &[usize],
        cycle: &[usize],
        first: usize,
    ) -> Diagnostic {
        let start = cycle.iter().position(|&u| u == first).unwrap_or(0);
        let mut ids: Vec<String> = cycle[start..]
            .iter()
            .chain(&cycle[..start])
            .map(|&u| crate::text::clip(&self.list[u].id, 60).into_owned())
            .collect();
        ids.push(crate::text::clip(&self.list[first].id, 60).into_owned());
        // a long cycle is named by its first and last units: a message, not a listing
        if ids.len() > 12 {
            let n = cycle.len();
            let tail = ids.split_off(ids.len() - 3);
            ids.truncate(6);
            ids.push(format!("… ({} more) …", n + 1 - 9));
            ids.extend(tail);
        }
        let message = if cycle.len() == 1 {
            format!("unit `{}` is its own parent", ids[0])
        } else {
            format!("the parents of units form a cycle: {}", ids.join(" → "))
        };
        t.at(Code::E305, rows[first], "parent", message)
            .help("the parents must lead up to a root (a unit with an empty parent)")
    }

    /// Why this hierarchy is beyond what chitieu scores (E325), if it is: more than `max_units`
    /// units, or a chain of parents deeper than `max_depth`. Linear in the units.
    pub fn size_problem(&self, max_units: usize, max_depth: usize) -> Option<String> {
        if self.list.len() > max_units {
            return Some(format!(
                "units.csv has {} units; chitieu scores at most {max_units} (Vietnam has about \
                 3,300 communes and 34 provinces)",
                self.list.len()
            ));
        }
        // depth of each unit, parents first: climb to a unit of known depth, then fill down
        let mut depth: Vec<usize> = vec![0; self.list.len()];
        let mut path = Vec::new();
        for start in 0..self.list.len() {
            let mut at = Some(start);
            while let Some(u) = at.filter(|&u| depth[u] == 0) {
                path.push(u);
                at = self.parent(u);
            }
            let mut d = at.map_or(0, |u| depth[u]);
            while let Some(u) = path.pop() {
                d += 1;
                depth[u] = d;
                if d > max_depth {
                    return Some(format!(
                        "unit `{}` lies {d} levels below its root; chitieu scores hierarchies \
                         of at most {max_depth} levels (a province's is 3 or 4)",
                        crate::text::clip(&self.list[u].id, 60)
                    ));
                }
            }
        }
        None
    }

    /// The distinct levels of the units, sorted.
    pub fn levels(&self) -> Vec<String> {
        let mut levels: Vec<String> = self.list.iter().map(|u| u.level.clone()).collect();
        levels.sort();
        levels.dedup();
        levels
    }

    /// The id closest to `id`, when one is close enough to be a likely typo.
    pub fn suggest(&self, id: &str) -> Option<&str> {
        closest(id, self.list.iter().map(|u| u.id.as_str()))
    }
}

/// The candidate closest to `word` by edit distance (ignoring case), when it is close enough to
/// be a likely typo: at most one edit per three characters, and at least one allowed.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // no id is this long: a pasted paragraph, not a typo (and an edit distance over it would
    // take minutes)
    if word.len() > 200 {
        return None;
    }
    let word = word.to_lowercase();
    let length = word.chars().count();
    let allowed = (length / 3).max(1);
    candidates
        // lengths further apart than the edits allowed cannot be close
        .filter(|c| c.chars().count().abs_diff(length) <= allowed)
        .map(|c| (strsim::levenshtein(&word, &c.to_lowercase()), c))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfc()
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hierarchies_beyond_the_limits_are_named() {
        let chain: Vec<Vec<String>> = (0..50)
            .map(|k| {
                let parent = if k == 0 {
                    String::new()
                } else {
                    format!("u{}", k - 1)
                };
                vec![format!("u{k}"), "U".into(), parent, "xa".into()]
            })
            .collect();
        let t = Table {
            called: None,
            path: "units.csv".into(),
            headers: ["id", "name", "parent", "level"].map(String::from).to_vec(),
            rows: chain,
        };
        let units = Units::read(&t).0.unwrap();
        assert_eq!(units.size_problem(1000, 50), None);
        assert!(units
            .size_problem(1000, 49)
            .is_some_and(|p| p.contains("unit `u49` lies 50 levels below its root")));
        assert!(units
            .size_problem(40, 100)
            .is_some_and(|p| p.contains("units.csv has 50 units; chitieu scores at most 40")));
    }

    #[test]
    fn ids_typed_decomposed_find_the_unit_typed_composed() {
        let nfd = "xa\u{0300}-a"; // `xà-a` as Unikey's "Unicode tổ hợp" types it
        let t = Table {
            called: None,
            path: "units.csv".into(),
            headers: ["id", "name", "parent", "level"].map(String::from).to_vec(),
            rows: vec![
                ["tỉnh", "T", "", "tinh"].map(String::from).to_vec(),
                vec![nfd.into(), "A".into(), "ti\u{0309}nh".into(), "xa".into()],
            ],
        };
        let (units, diags) = Units::read(&t);
        assert!(diags.is_empty(), "{diags:?}");
        let units = units.unwrap();
        assert_eq!(units.index("xà-a"), Some(1));
        assert_eq!(units.index(nfd), Some(1));
        assert_eq!(units.get(1).map(|u| u.id.as_str()), Some("xà-a"));
        assert_eq!(units.parent(1), Some(0), "the parent typed decomposed too");
    }

    #[test]
    fn messages_cut_long_ids_and_cycles() {
        let long = "x".repeat(100_000);
        let mut rows: Vec<Vec<String>> = (0..1000)
            .map(|k| {
                vec![
                    format!("u{k}"),
                    "U".into(),
                    format!("u{}", (k + 1) % 1000),
                    "xa".into(),
                ]
            })
            .collect();
        rows.push(vec![long.clone(), "L".into(), long.clone(), "xa".into()]);
        let t = Table {
            called: None,
            path: "units.csv".into(),
            headers: ["id", "name", "parent", "level"].map(String::from).to_vec(),
            rows,
        };
        let (_, diags) = Units::read(&t);
        assert!(!diags.is_empty());
        for d in &diags {
            assert!(d.message.len() < 400, "{}", d.message.len());
        }
        assert!(
            diags.iter().any(|d| d.message.contains("(992 more)")),
            "{:?}",
            diags.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
        assert_eq!(closest(&long, ["x"].into_iter()), None);
    }

    use super::*;

    fn table(rows: &[[&str; 4]]) -> Table {
        Table {
            called: None,
            path: "units.csv".into(),
            headers: ["id", "name", "parent", "level"].map(String::from).to_vec(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect(),
        }
    }

    fn ids(units: &Units, order: &[usize]) -> Vec<String> {
        order.iter().map(|&i| units.list()[i].id.clone()).collect()
    }

    /// tinh
    /// ├── so-a
    /// │   ├── xa-1
    /// │   └── xa-2
    /// └── so-b
    /// other (a second root)
    fn hierarchy() -> Units {
        Units::from_table(&table(&[
            ["xa-1", "Xã 1", "so-a", "xa"],
            ["tinh", "Tỉnh Lào Cai", "", "tinh"],
            ["so-a", "Sở A", "tinh", "so"],
            ["so-b", "Công an tỉnh", "tinh", "so"],
            ["xa-2", "Xã 2", "so-a", "xa"],
            ["other", "Công an  tỉnh ", "", "tinh"],
        ]))
        .unwrap()
    }

    #[test]
    fn hierarchy_bottom_up_and_ancestors() {
        let u = hierarchy();
        assert_eq!(u.list().len(), 6);
        let tinh = u.index("tinh").unwrap();
        let xa1 = u.index("xa-1").unwrap();
        assert_eq!(ids(&u, &u.ancestors(xa1)), ["so-a", "tinh"]);
        assert!(u.ancestors(tinh).is_empty());
        assert_eq!(ids(&u, u.children(tinh)), ["so-a", "so-b"]);
        assert_eq!(ids(&u, &u.roots()), ["tinh", "other"]);
        assert_eq!(
            ids(&u, &u.bottom_up()),
            ["xa-1", "xa-2", "so-a", "so-b", "tinh", "other"]
        );
        // every unit after all its descendants
        let order = u.bottom_up();
        let pos = |i: usize| order.iter().position(|&o| o == i).unwrap();
        for i in 0..u.len() {
            for a in u.ancestors(i) {
                assert!(pos(i) < pos(a));
            }
        }
        assert_eq!(ids(&u, &u.by_name("Công an tỉnh")), ["so-b", "other"]);
        assert!(u.by_name("công an tỉnh").is_empty());
        assert!(u.by_name("Cong an tinh").is_empty());
        assert_eq!(u.index(" xa-2 "), u.index("xa-2"));
        assert_eq!(u.index("nowhere"), None);
    }

    fn problems(rows: &[[&str; 4]]) -> Vec<(Code, usize, String)> {
        Units::from_table(&table(rows))
            .unwrap_err()
            .into_iter()
            .map(|d| match d.place {
                Place::Cell { row, column } => (d.code, row, column),
                _ => (d.code, 0, String::new()),
            })
            .collect()
    }

    #[test]
    fn each_e305_case_points_at_its_cell() {
        // duplicate id: the second row (row 3), noting the first
        let dup = [["a", "A", "", "tinh"], ["a", "A again", "", "tinh"]];
        assert_eq!(problems(&dup), [(Code::E305, 3, "id".to_string())]);
        let err = Units::from_table(&table(&dup)).unwrap_err();
        assert!(err[0].message.contains("row 2"), "{}", err[0].message);

        // unknown parent
        let orphan = [["a", "A", "", "tinh"], ["b", "B", "aa", "so"]];
        assert_eq!(problems(&orphan), [(Code::E305, 3, "parent".to_string())]);
        let err = Units::from_table(&table(&orphan)).unwrap_err();
        assert!(err[0].help.as_deref().unwrap_or("").contains("`a`"));

        // a 3-cycle a → b → c → a, reported once at its first row
        let cycle = [
            ["root", "R", "", "tinh"],
            ["a", "A", "c", "so"],
            ["b", "B", "a", "so"],
            ["c", "C", "b", "so"],
        ];
        assert_eq!(problems(&cycle), [(Code::E305, 3, "parent".to_string())]);
        let err = Units::from_table(&table(&cycle)).unwrap_err();
        assert!(
            err[0].message.contains("a → c → b → a"),
            "{}",
            err[0].message
        );

        // own parent
        let own = [["a", "A", "a", "so"]];
        assert_eq!(problems(&own), [(Code::E305, 2, "parent".to_string())]);

        // an empty id
        let empty = [["", "A", "", "so"]];
        assert_eq!(problems(&empty), [(Code::E307, 2, "id".to_string())]);
    }

    #[test]
    fn broken_hierarchy_still_reads_as_a_forest() {
        let (units, diags) = Units::read(&table(&[
            ["a", "A", "c", "so"],
            ["b", "B", "a", "so"],
            ["c", "C", "b", "so"],
            ["d", "D", "zz", "so"],
        ]));
        let units = units.unwrap();
        assert_eq!(diags.len(), 2);
        assert_eq!(units.bottom_up().len(), 4);
        assert_eq!(units.roots(), [0, 3]);
    }

    #[test]
    fn missing_columns_are_e306() {
        let t = Table {
            called: None,
            path: "units.csv".into(),
            headers: vec!["id".into(), "name".into()],
            rows: vec![],
        };
        let err = Units::from_table(&t).unwrap_err();
        assert_eq!(err.len(), 2);
        assert!(err.iter().all(|d| d.code == Code::E306));
        assert!(err[0].message.contains("`parent`"));
        assert!(err[1].message.contains("`level`"));
    }
}
