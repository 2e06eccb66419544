//! Section 2 of the page: the league tables, one per peer set.

use super::*;

/// A peer set of the league: units with the same parent and level.
pub(super) struct PeerSet<'a> {
    parent: Option<&'a str>,
    level: &'a str,
    pub(super) members: Vec<&'a UnitCard>,
}

impl<'a> Page<'a> {
    // ---------------------------------------------------------------------------------------
    // 2. League tables

    pub(super) fn peer_sets(&self) -> Vec<PeerSet<'a>> {
        let card = self.card;
        let mut sets: Vec<PeerSet<'a>> = card
            .peer_sets
            .iter()
            .map(|s| PeerSet {
                parent: s.parent.as_deref(),
                level: &s.level,
                members: s.by_rank.iter().map(|&u| &card.units[u]).collect(),
            })
            .collect();
        // the biggest first; stable, so equal sizes keep units.csv order
        sets.sort_by_key(|s| std::cmp::Reverse(s.members.len()));
        sets
    }

    pub(super) fn league(&mut self) {
        let sets = self.peer_sets();
        self.league_tables(sets);
    }

    /// The league section: a table for each of `sets` (the biggest first), with its charts.
    pub(super) fn league_tables(&mut self, sets: Vec<PeerSet<'a>>) {
        let mut s = format!(
            "<section id=\"league\">\n<h2>{}</h2>\n",
            self.l("Bảng xếp hạng", "League table")
        );
        for (k, set) in sets.iter().enumerate() {
            let parent_name = set.parent.map(|p| {
                self.unit_card(p)
                    .map(|u| self.unit_link(u))
                    .unwrap_or_else(|| escape(self.card.outside_name(p).unwrap_or(p)))
            });
            s += &format!(
                "<h3>{} <i>{}</i>{} — {} {}</h3>\n",
                self.l("Cấp", "Level"),
                escape(set.level),
                parent_name
                    .map(|p| format!(" {} {p}", self.l("thuộc", "under")))
                    .unwrap_or_default(),
                self.count(set.members.len()),
                self.l("đơn vị", "units")
            );
            // a change column only when the data gives some unit of the set a previous period
            let changed = set
                .members
                .iter()
                .any(|u| u.score_change.is_some() || u.rank_change.is_some());
            let change_head = if changed {
                format!("<th>{}</th>", self.l("So với kỳ trước", "Change"))
            } else {
                String::new()
            };
            s += &format!(
                "<div class=\"scroll\"><table class=\"league\">\n<thead><tr>\
                 <th class=\"num\">{}</th><th>{}</th><th class=\"num\">{}</th>{change_head}\
                 <th>{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
                self.l("Hạng", "Rank"),
                self.l("Đơn vị", "Unit"),
                self.l("Điểm", "Score"),
                self.l("Xếp loại", "Grade"),
                self.l("Tỷ lệ có dữ liệu", "Coverage")
            );
            for u in &set.members {
                let change = if changed {
                    format!(
                        "<td>{}</td>",
                        Some(self.change_text(u.score_change, u.rank_change))
                            .filter(|t| !t.is_empty())
                            .unwrap_or_else(dash)
                    )
                } else {
                    String::new()
                };
                s += &format!(
                    "<tr data-unit=\"{}\"><td class=\"num\">{}</td><td>{}</td>\
                     <td class=\"num\">{}</td>{change}<td>{}</td><td class=\"num\">{}</td></tr>\n",
                    escape(&u.id),
                    u.rank.map(|r| self.count(r)).unwrap_or_else(dash),
                    self.unit_link(u),
                    u.score
                        .map(|v| labels::number(v, 2, self.lang))
                        .unwrap_or_else(dash),
                    u.grade
                        .as_ref()
                        .map(|g| self.grade_badge(g))
                        .unwrap_or_else(dash),
                    u.coverage
                        .map(|v| labels::percent(100.0 * v, self.lang))
                        .unwrap_or_else(dash),
                );
            }
            s += "</tbody>\n</table></div>\n";
            // the names `chart::render_all` gives peer sets (the first set is the largest)
            let mut names = vec![labels::league_chart(set.level, set.parent)];
            if k == 0 {
                names.insert(0, "league".to_string());
            }
            for name in names {
                if let Some(i) = self.take(|c| c.name == name) {
                    s += &self.figure(i, self.l("Xếp hạng", "League"));
                }
            }
        }
        while let Some(i) = self.take(|c| c.name.starts_with("league")) {
            s += &self.figure(i, self.l("Xếp hạng", "League"));
        }
        s += "</section>\n";
        self.out += &s;
    }
}
