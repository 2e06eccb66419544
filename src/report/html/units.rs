//! Section 3 of the page: one section per unit — its facts, indicator table and chart.

use super::*;

impl<'a> Page<'a> {
    // ---------------------------------------------------------------------------------------
    // 3. Per-unit sections

    pub(super) fn unit_sections(&mut self) {
        let mut s = format!(
            "<section id=\"units\">\n<h2>{}</h2>\n",
            self.l("Kết quả theo đơn vị", "Results by unit")
        );
        for u in &self.card.units {
            s += &self.unit_section(u);
        }
        s += "</section>\n";
        self.out += &s;
    }

    pub(super) fn unit_section(&mut self, u: &UnitCard) -> String {
        let mut s = format!(
            "<section class=\"unit\" id=\"unit-{}\">\n<h3>{}</h3>\n<dl class=\"facts\">\n",
            escape(&u.id),
            escape(&u.name)
        );
        let mut facts = vec![(self.l("Cấp", "Level"), escape(&u.level))];
        if let Some(p) = u.parent.as_deref() {
            facts.push((
                self.l("Trực thuộc", "Under"),
                self.unit_card(p)
                    .map(|p| self.unit_link(p))
                    .unwrap_or_else(|| escape(p)),
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
                .as_deref()
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
            s += &format!("<div><dt>{dt}</dt><dd>{dd}</dd></div>\n");
        }
        s += "</dl>\n";
        let groups: Vec<String> = u
            .groups
            .iter()
            .map(|g| {
                let name = self.c.group(&g.id).map(|x| x.name.as_str()).unwrap_or("");
                format!(
                    "<abbr title=\"{}\">{}</abbr> {}",
                    escape(name),
                    escape(&g.id),
                    g.score
                        .map(|v| labels::number(v, 2, self.lang))
                        .unwrap_or_else(dash)
                )
            })
            .collect();
        if !groups.is_empty() {
            s += &format!(
                "<p class=\"note\">{}: {}</p>\n",
                self.l("Điểm theo nhóm", "Score by group"),
                groups.join(" · ")
            );
        }
        // a row for every indicator with a value or a qualitative target; the others in one line
        let (rows, no_data): (Vec<&IndicatorCard>, Vec<&IndicatorCard>) =
            u.indicators.iter().partition(|i| {
                i.value.is_some() || i.target.as_ref().is_some_and(|t| t.text.is_some())
            });
        if !rows.is_empty() {
            s += &format!(
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
                s += &self.indicator_row(i);
            }
            s += "</tbody>\n</table></div>\n";
        }
        if !no_data.is_empty() {
            let items: Vec<String> = no_data
                .iter()
                .map(|i| {
                    let def = self.def(&i.id);
                    let mut title = def.map(|d| d.name.clone()).unwrap_or_default();
                    if let Some(r) = &i.reason {
                        title += &format!(" ({})", self.reason(r));
                    }
                    format!(
                        "<abbr title=\"{}\">{}</abbr>",
                        escape(&title),
                        escape(def.and_then(|d| d.code.as_deref()).unwrap_or(&i.id))
                    )
                })
                .collect();
            s += &format!(
                "<p class=\"note\">{} ({}): {}</p>\n",
                self.l("Chưa có số liệu", "No data"),
                self.count(items.len()),
                items.join(", ")
            );
        }
        let name = format!("unit-{}", file_safe(&u.id));
        if let Some(i) = self.take(|c| c.name == name) {
            s += &self.figure(i, self.l("Chỉ tiêu của đơn vị", "Indicators of the unit"));
        }
        s += &format!(
            "<p class=\"top note\"><a href=\"#contents\">↑ {}</a></p>\n</section>\n",
            self.l("Mục lục", "Contents")
        );
        s
    }

    pub(super) fn indicator_row(&self, i: &IndicatorCard) -> String {
        let def = self.def(&i.id);
        let mut name = escape(def.map(|d| d.name.as_str()).unwrap_or(&i.id));
        if let Some(p) = &i.period_used {
            name += &format!(
                " <span class=\"note\">({} {})</span>",
                self.l("số liệu kỳ", "figures of"),
                escape(p)
            );
        }
        let value = i
            .value
            .map(|v| self.quantity(def, v, is_share(i)))
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
        let forecast = match &i.forecast {
            Some(f) => {
                let value = match (f.value, def.map(|d| d.unit)) {
                    (Some(v), Some(k)) if k != UnitKind::Boolean => {
                        format!("{} ({}) ", self.quantity(def, v, false), f.year)
                    }
                    _ => format!("({}) ", f.year),
                };
                value + &self.forecast_badge(f.status)
            }
            None => dash(),
        };
        format!(
            "<tr><td class=\"code\">{}</td><td>{name}</td><td class=\"num\">{value}</td>\
             <td class=\"target\">{target}</td><td>{}</td><td class=\"num\">{gap}</td><td>{forecast}</td></tr>\n",
            escape(def.and_then(|d| d.code.as_deref()).unwrap_or("")),
            self.status_badge(i.status)
        )
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
            Some(UnitKind::Boolean) if v >= 0.5 => labels::status("dat", self.lang).to_string(),
            Some(UnitKind::Boolean) => labels::status("chua_dat", self.lang).to_string(),
            Some(UnitKind::Rank) => self.plain(v),
            Some(UnitKind::Count) => self.plain(v) + &label,
            Some(UnitKind::Score) | None => labels::number(v, 2, self.lang) + &label,
        }
    }

    /// `≥ 80% (2026)`, `≤ 120 (2027, nội suy)`, a text target as written.
    pub(super) fn target(&self, def: Option<&Indicator>, t: &TargetJson) -> String {
        let what = match (&t.text, def.map(|d| d.unit)) {
            (Some(text), _) => escape(text),
            (None, Some(UnitKind::Boolean)) => labels::status("dat", self.lang).to_string(),
            (None, kind) => {
                let op = match t.op {
                    Some(">=") => "≥",
                    Some("<=") => "≤",
                    Some(">") => "&gt;",
                    Some("<") => "&lt;",
                    Some("=") => "=",
                    _ => "",
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
