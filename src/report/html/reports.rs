//! Section 6 of the page (only for a catalogue with reports, SPEC §6.1): the units with reports
//! missing or late named first, then every late or missing report, and the `reports` chart.

use super::*;
use crate::cycle::ReportStatus;
use crate::score::scorecard::ReportLine;

impl<'a> Page<'a> {
    // ---------------------------------------------------------------------------------------
    // 6. Reports

    pub(super) fn report_section(&mut self) {
        if self.c.reports.is_empty() {
            return;
        }
        let mut s = format!(
            "<section id=\"reports\">\n<h2>{}</h2>\n",
            self.l("Báo cáo định kỳ", "Periodic reports")
        );
        let counts: Vec<String> = (self.card.reports_by_status().into_iter())
            .map(|(code, n)| format!("{} {}", self.report_badge(code), self.count(n)))
            .collect();
        s += &format!("<p>{}</p>\n", counts.join(" · "));
        let wanting = self.card.units_missing_or_late();
        if wanting.is_empty() {
            s += &format!(
                "<p class=\"note\">{}</p>\n",
                self.l(
                    "Mọi báo cáo đến hạn đều đã nộp đúng hạn.",
                    "Every report due came in on time."
                )
            );
        } else {
            s += &format!(
                "<h3>{}</h3>\n<div class=\"scroll\"><table class=\"tasks\">\n<thead><tr>\
                 <th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
                 <th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
                self.l(
                    "Đơn vị chưa nộp hoặc nộp trễ báo cáo",
                    "Units with reports missing or late"
                ),
                self.l("Đơn vị", "Unit"),
                self.l("Chưa nộp", "Missing"),
                self.l("Trễ hạn", "Late"),
                self.l("Đúng hạn", "On time"),
                self.l("Đến hạn", "Due"),
            );
            for (unit, n) in &wanting {
                s += &format!(
                    "<tr class=\"overdue\"><td>{}</td><td class=\"num\">{}</td>\
                     <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                    self.unit_link(unit),
                    self.count(n.missing),
                    self.count(n.late),
                    self.count(n.on_time),
                    self.count(n.due),
                );
            }
            s += "</tbody>\n</table></div>\n";
            s += &format!(
                "<h3>{}</h3>\n<div class=\"scroll\"><table class=\"tasks\">\n<thead><tr>\
                 <th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th>\
                 <th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
                self.l("Báo cáo chưa nộp hoặc nộp trễ", "Reports missing or late"),
                self.l("Báo cáo", "Report"),
                self.l("Đơn vị", "Unit"),
                self.l("Kỳ", "Period"),
                self.l("Hạn", "Due"),
                self.l("Tình trạng", "Status"),
                self.l("Ngày nộp", "Submitted on"),
                self.l("Số ngày trễ", "Days late"),
            );
            for line in self.card.reports_by_urgency() {
                if line.status.is_late_or_missing() {
                    s += &self.report_row(line);
                }
            }
            s += "</tbody>\n</table></div>\n";
            s += &format!(
                "<p class=\"note\">{}</p>\n",
                self.l(
                    "Danh sách đầy đủ (cả báo cáo đúng hạn và chưa đến hạn): reports.csv và trang \
                     “Báo cáo” của scorecard.xlsx.",
                    "The full list (on-time and not-yet-due reports too): reports.csv and the \
                     “Reports” sheet of scorecard.xlsx."
                )
            );
        }
        if let Some(i) = self.take(|c| c.name == "reports") {
            s += &self.figure(i, self.l("Báo cáo theo trạng thái", "Reports by status"));
        }
        s += "</section>\n";
        self.out += &s;
    }

    fn report_row(&self, line: &ReportLine) -> String {
        let report = self.c.report(&line.report);
        let unit = match self.unit_card(&line.unit) {
            Some(u) => self.unit_link(u),
            None => escape(&line.unit),
        };
        format!(
            "<tr class=\"overdue\"><td>{}</td><td>{unit}</td><td>{}</td><td class=\"num\">{}</td>\
             <td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            escape(report.map(|r| r.name.as_str()).unwrap_or(&line.report)),
            escape(&line.period.to_string()),
            self.date(line.due),
            self.report_badge(line.status),
            line.submitted_on.map(|d| self.date(d)).unwrap_or_else(dash),
            line.days_late
                .map(|d| self.count(d.max(0) as usize))
                .unwrap_or_else(dash),
        )
    }

    fn report_badge(&self, s: ReportStatus) -> String {
        badge(s.rgb(), s.label(self.lang))
    }
}
