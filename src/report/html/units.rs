//! Section 3 of the page: one section per unit — its facts, indicator table and chart.

use super::*;

impl<'a> Page<'a> {
    // ---------------------------------------------------------------------------------------
    // 3. Per-unit sections

    /// The unit sections, the page so far handed to `hand_over` every [`super::PIECE`] bytes.
    pub(super) fn unit_sections(
        &mut self,
        hand_over: &mut dyn FnMut(&mut String) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        self.out += &format!(
            "<section id=\"units\">\n<h2>{}</h2>\n",
            self.l("Kết quả theo đơn vị", "Results by unit")
        );
        for u in &self.card.units {
            // written at the end of the page's text (the section needs the page mutably)
            let mut out = std::mem::take(&mut self.out);
            let written = self.unit_section(&mut out, u);
            self.out = out;
            written.map_err(std::io::Error::other)?;
            if self.out.len() >= super::PIECE {
                hand_over(&mut self.out)?;
            }
        }
        self.out += "</section>\n";
        Ok(())
    }

    /// A unit's score in each group, with its points out of the group's maximum and their
    /// change; nothing for a catalogue without groups.
    fn group_scores(&self, u: &UnitCard) -> String {
        let groups: Vec<String> = u
            .groups
            .iter()
            .map(|g| {
                let name = self.c.group(&g.id).map(|x| x.name.as_str()).unwrap_or("");
                // the group's points out of its maximum, and their change, as the portal shows
                let change = g
                    .earned_change
                    .map(|c| format!(", {}", self.signed(c, self.l("điểm", "points"))))
                    .unwrap_or_default();
                // a group without points to win (only tracked or unscored indicators) shows none
                let points = if g.max > 0.0 {
                    format!(
                        " ({}/{} {}{change})",
                        labels::number(g.earned, 2, self.lang),
                        labels::number(g.max, if g.max.fract() == 0.0 { 0 } else { 2 }, self.lang),
                        self.l("điểm", "points"),
                    )
                } else {
                    String::new()
                };
                format!(
                    "<abbr title=\"{}\">{}</abbr> {}{points}",
                    escape(name),
                    escape(&g.id),
                    g.score
                        .map(|v| labels::number(v, 2, self.lang))
                        .unwrap_or_else(dash),
                )
            })
            .collect();
        if groups.is_empty() {
            return String::new();
        }
        format!(
            "<p class=\"note\">{}: {}</p>\n",
            self.l("Điểm theo nhóm", "Score by group"),
            groups.join(" · ")
        )
    }

    /// A unit's section, written at the end of `s`.
    pub(super) fn unit_section(&mut self, s: &mut String, u: &UnitCard) -> std::fmt::Result {
        use std::fmt::Write;
        write!(
            s,
            "<section class=\"unit\" id=\"unit-{}\">\n<h3>{}</h3>\n",
            escape(&u.id),
            escape(&u.name)
        )?;
        *s += &self.unit_trend(u);
        // where the points went, largest first (SPEC §5.7)
        let losses = crate::report::losses::largest(u, 3);
        if !losses.is_empty() {
            *s += &format!(
                "<ul class=\"losses\" aria-label=\"{}\">\n",
                self.l("Điểm bị mất nhiều nhất", "Largest losses")
            );
            for card in losses {
                *s += &format!(
                    "<li>{}</li>\n",
                    escape(&crate::report::losses::sentence(self.c, card, self.lang))
                );
            }
            *s += "</ul>\n";
        }
        *s += "<dl class=\"facts\">\n";
        let mut facts = vec![(self.l("Cấp", "Level"), escape(&u.level))];
        if let Some(p) = u.parent.as_deref() {
            facts.push((
                self.l("Trực thuộc", "Under"),
                self.unit_card(p)
                    .map(|p| self.unit_link(p))
                    .unwrap_or_else(|| escape(self.card.outside_name(p).unwrap_or(p))),
            ));
        }
        facts.push((
            self.l("Điểm", "Score"),
            u.score
                .map(|v| labels::number(v, 2, self.lang))
                .unwrap_or_else(dash),
        ));
        facts.push((
            self.l("Xếp loại", "Grade"),
            u.grade
                .as_ref()
                .map(|g| self.grade_badge(g))
                .unwrap_or_else(dash),
        ));
        facts.push((
            self.l("Hạng", "Rank"),
            match (u.rank, u.rank_of) {
                (Some(r), Some(n)) => format!("{}/{}", self.count(r), self.count(n)),
                _ => dash(),
            },
        ));
        if u.score_change.is_some() || u.rank_change.is_some() {
            facts.push((
                self.l("So với kỳ trước", "Since the previous period"),
                self.change_text(u.score_change, u.rank_change),
            ));
        }
        facts.push((
            self.l("Tỷ lệ có dữ liệu", "Coverage"),
            u.coverage
                .map(|v| labels::percent(100.0 * v, self.lang))
                .unwrap_or_else(dash),
        ));
        if u.tasks.total > 0 {
            facts.push((
                self.l("Nhiệm vụ", "Tasks"),
                format!(
                    "{} ({} {}, {} {})",
                    self.count(u.tasks.total),
                    self.count(u.tasks.done),
                    self.l("hoàn thành", "done"),
                    self.count(u.tasks.overdue),
                    self.l("quá hạn", "overdue")
                ),
            ));
            if let Some(rate) = u.tasks.completion_rate {
                facts.push((
                    self.l("Tỷ lệ hoàn thành", "Completion rate"),
                    labels::percent(rate, self.lang),
                ));
            }
        }
        for (dt, dd) in facts {
            *s += &format!("<div><dt>{dt}</dt><dd>{dd}</dd></div>\n");
        }
        *s += "</dl>\n";
        *s += &self.group_scores(u);
        // a row for every indicator with a value or a qualitative target; the others in one line
        // (khong_phat_sinh has no value but earned its points: a row too)
        let (rows, no_data): (Vec<&IndicatorCard>, Vec<&IndicatorCard>) =
            u.indicators.iter().partition(|i| {
                i.value.is_some()
                    || i.target.as_ref().is_some_and(|t| t.text.is_some())
                    || i.status == Status::KhongPhatSinh
            });
        if !rows.is_empty() {
            *s += &format!(
                "<div class=\"scroll\"><table class=\"indicators\">\n<thead><tr><th>{}</th>\
                 <th>{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th>\
                 <th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                self.l("Mã", "Code"),
                self.l("Chỉ tiêu", "Indicator"),
                self.l("Giá trị", "Value"),
                self.l("Mục tiêu", "Target"),
                self.l("Tình trạng", "Status"),
                self.l("Chênh lệch", "Gap"),
                self.l("Dự báo", "Forecast")
            );
            for i in rows {
                self.indicator_row(s, i)?;
            }
            *s += "</tbody>\n</table></div>\n";
        }
        if !no_data.is_empty() {
            let items: Vec<String> = no_data
                .iter()
                .map(|i| {
                    let def = self.def(&i.id);
                    let mut title = def.map(|d| d.name.clone()).unwrap_or_default();
                    if let Some(r) = &i.reason {
                        title += &format!(" ({})", self.reason(*r));
                    }
                    format!(
                        "<abbr title=\"{}\">{}</abbr>",
                        escape(&title),
                        escape(def.and_then(|d| d.code.as_deref()).unwrap_or(&i.id))
                    )
                })
                .collect();
            *s += &format!(
                "<p class=\"note\">{} ({}): {}</p>\n",
                self.l("Chưa có số liệu", "No data"),
                self.count(items.len()),
                items.join(", ")
            );
        }
        *s += &self.unit_chart(u);
        *s += &format!(
            "<p class=\"top note\"><a href=\"#contents\">↑ {}</a></p>\n</section>\n",
            self.l("Mục lục", "Contents")
        );
        Ok(())
    }

    /// A unit's chart in its section: inlined; on a page of a run shown as pages, the charts of
    /// the units below the page's own are files beside it, linked (inlined, they would triple
    /// the page).
    fn unit_chart(&mut self, u: &UnitCard) -> String {
        let name = format!("unit-{}", file_safe(&u.id));
        let Some(i) = self.take(|c| c.name == name) else {
            return String::new();
        };
        let own = self.focus_unit().is_some_and(|f| f.id == u.id);
        match self.linked_charts {
            Some(dir) if !own => format!(
                "<p class=\"note\"><a href=\"{}/{}.svg\">{}</a></p>\n",
                escape(dir),
                escape(&name),
                self.l(
                    "Biểu đồ chỉ tiêu của đơn vị (SVG)",
                    "The unit's chart (SVG)"
                )
            ),
            _ => self.figure(i, self.l("Chỉ tiêu của đơn vị", "Indicators of the unit")),
        }
    }

    /// An indicator's row of a unit's table, written at the end of `s`.
    pub(super) fn indicator_row(&self, s: &mut String, i: &IndicatorCard) -> std::fmt::Result {
        use std::fmt::Write;
        let def = self.def(&i.id);
        let value = i
            .value
            .map(|v| self.quantity(def, v, i.share))
            .unwrap_or_else(dash);
        let target = i
            .target
            .as_ref()
            .map(|t| self.target(def, t))
            .unwrap_or_else(dash);
        let gap = match (i.gap, def.map(|d| d.unit)) {
            (Some(g), Some(UnitKind::Percent)) => {
                signed(format!("{}%", labels::number(g, 2, self.lang)), g)
            }
            (Some(g), Some(UnitKind::Count | UnitKind::Rank | UnitKind::Score)) => {
                signed(self.plain(g), g)
            }
            _ => dash(),
        };
        write!(
            s,
            "<tr><td class=\"code\">{}</td><td>{}",
            escape(def.and_then(|d| d.code.as_deref()).unwrap_or("")),
            escape(def.map(|d| d.name.as_str()).unwrap_or(&i.id))
        )?;
        if let Some(p) = &i.period_used {
            write!(
                s,
                " <span class=\"note\">({} {})</span>",
                self.l("số liệu kỳ", "figures of"),
                p
            )?;
        }
        write!(
            s,
            "</td><td class=\"num\">{value}</td><td class=\"target\">{target}</td><td>{}</td>\
             <td class=\"num\">{gap}</td><td>",
            self.status_badge(i.status)
        )?;
        match &i.forecast {
            Some(f) => {
                match (f.value, def.map(|d| d.unit)) {
                    (Some(v), Some(k)) if k != UnitKind::Boolean => {
                        write!(s, "{} ({}) ", self.quantity(def, v, false), f.year)?;
                    }
                    _ => {
                        write!(s, "({}) ", f.year)?;
                    }
                }
                s.push_str(&self.forecast_badge(f.status));
            }
            None => s.push_str(&dash()),
        }
        s.push_str("</td></tr>\n");
        Ok(())
    }

    /// A value in the indicator's unit: `12,44%`, `24.742 CSDL`, `Đạt` / `Chưa đạt`.
    pub(super) fn quantity(&self, def: Option<&Indicator>, v: f64, share: bool) -> String {
        let label = def
            .and_then(|d| d.unit_label.as_deref())
            .map(|l| format!(" {}", escape(l)))
            .unwrap_or_default();
        match def.map(|d| d.unit) {
            Some(UnitKind::Percent) => labels::percent(v, self.lang),
            Some(UnitKind::Boolean) if share => labels::percent(v, self.lang),
            Some(UnitKind::Boolean) if v >= 0.5 => Status::Dat.label(self.lang).to_string(),
            Some(UnitKind::Boolean) => Status::ChuaDat.label(self.lang).to_string(),
            Some(UnitKind::Rank) => self.plain(v),
            Some(UnitKind::Count) => self.plain(v) + &label,
            Some(UnitKind::Score) | None => labels::number(v, 2, self.lang) + &label,
        }
    }

    /// `≥ 80% (2026)`, `≤ 120 (2027, nội suy)`, a text target as written.
    pub(super) fn target(&self, def: Option<&Indicator>, t: &TargetJson) -> String {
        let what = match (&t.text, def.map(|d| d.unit)) {
            (Some(text), _) => escape(text),
            (None, Some(UnitKind::Boolean)) => Status::Dat.label(self.lang).to_string(),
            (None, kind) => {
                let op = match t.op {
                    Some(Op::Ge) => "≥",
                    Some(Op::Le) => "≤",
                    Some(Op::Gt) => "&gt;",
                    Some(Op::Lt) => "&lt;",
                    Some(Op::Eq) => "=",
                    None => "",
                };
                let threshold = match (t.value, kind) {
                    (Some(v), Some(UnitKind::Percent)) => format!("{}%", self.plain(v)),
                    (Some(v), _) => self.quantity(def, v, false),
                    (None, _) => dash(),
                };
                format!("{op} {threshold}").trim_start().to_string()
            }
        };
        let interpolated = if t.interpolated {
            format!(", {}", self.l("nội suy", "interpolated"))
        } else {
            String::new()
        };
        format!(
            "{what} <span class=\"note\">({}{interpolated})</span>",
            t.year
        )
    }
}

impl Page<'_> {
    /// "▲ 2,31 điểm, ▲ 3 bậc" (vi) / "▲ 2.31 points, ▲ 3 places" (en): a unit's change since the
    /// previous period; either part may be missing.
    pub(super) fn change_text(&self, score: Option<f64>, rank: Option<i64>) -> String {
        let mut parts = Vec::new();
        if let Some(c) = score {
            parts.push(self.signed(c, self.l("điểm", "points")));
        }
        if let Some(r) = rank {
            let places = self.l("bậc", "places");
            parts.push(match r.signum() {
                1 => format!("▲ {} {places}", self.count(r.unsigned_abs() as usize)),
                -1 => format!("▼ {} {places}", self.count(r.unsigned_abs() as usize)),
                _ => self.l("giữ hạng", "same rank").to_string(),
            });
        }
        parts.join(", ")
    }

    /// "▲ 2,31 điểm", "▼ 1,91 điểm", "= 0,00 điểm".
    fn signed(&self, v: f64, unit: &str) -> String {
        let shown = labels::number(v.abs(), 2, self.lang);
        let arrow = if (v * 100.0).round() > 0.0 {
            "▲"
        } else if (v * 100.0).round() < 0.0 {
            "▼"
        } else {
            "="
        };
        format!("{arrow} {shown} {unit}")
    }
}
