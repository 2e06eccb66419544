//! Section 5 of the page: the task table, overdue first.

use super::*;

impl<'a> Page<'a> {
    // ---------------------------------------------------------------------------------------
    // 5. Tasks

    pub(super) fn task_section(&mut self) {
        let mut s = format!(
            "<section id=\"tasks\">\n<h2>{}</h2>\n",
            self.l("Nhiệm vụ", "Tasks")
        );
        let lines = &self.card.tasks;
        if lines.is_empty() {
            s += &format!(
                "<p class=\"note\">{}</p>\n",
                self.l("Không có nhiệm vụ nào.", "There are no tasks.")
            );
        } else {
            let counts: Vec<String> = TASK_STATUSES
                .iter()
                .filter_map(|&code| {
                    let n = lines.iter().filter(|t| t.status == code).count();
                    // overdue counts are shown even when they are 0
                    (n > 0 || code.is_overdue())
                        .then(|| format!("{} {}", self.task_badge(code), self.count(n)))
                })
                .collect();
            s += &format!("<p>{}</p>\n", counts.join(" · "));
            s += &format!(
                "<div class=\"scroll\"><table class=\"tasks\">\n<thead><tr><th>{}</th>\
                 <th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th>\
                 <th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
                self.l("Mã", "Code"),
                self.l("Nhiệm vụ", "Task"),
                self.l("Đơn vị", "Unit"),
                self.l("Thời hạn", "Deadline"),
                self.l("Hạn", "Due"),
                self.l("Tình trạng", "Status"),
                self.l("Ngày hoàn thành", "Completed on")
            );
            for line in ordered_tasks(lines) {
                s += &self.task_row(line);
            }
            s += "</tbody>\n</table></div>\n";
        }
        if let Some(i) = self.take(|c| c.name == "tasks") {
            s += &self.figure(i, self.l("Nhiệm vụ theo tình trạng", "Tasks by status"));
        }
        s += "</section>\n";
        self.out += &s;
    }

    pub(super) fn task_row(&self, line: &TaskLine) -> String {
        let task = self.c.task(&line.task);
        let unit = match self.unit_card(&line.unit) {
            Some(u) => self.unit_link(u),
            None => escape(&line.unit),
        };
        format!(
            "<tr{}><td class=\"code\">{}</td><td>{}</td><td>{unit}</td><td>{}</td>\
             <td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
            if line.status.is_overdue() {
                " class=\"overdue\""
            } else {
                ""
            },
            escape(task.and_then(|t| t.code.as_deref()).unwrap_or("")),
            escape(task.map(|t| t.name.as_str()).unwrap_or(&line.task)),
            escape(task.map(|t| t.deadline_text.as_str()).unwrap_or("")),
            line.due.map(|d| self.date(d)).unwrap_or_else(dash),
            self.task_badge(line.status),
            line.completed_on.map(|d| self.date(d)).unwrap_or_else(dash),
        )
    }
}

/// Overdue first (the oldest deadline first), then open tasks, then done ones; otherwise the
/// scorecard's order (catalogue order of tasks, then units).
pub(super) fn ordered_tasks(lines: &[TaskLine]) -> Vec<&TaskLine> {
    let mut out: Vec<&TaskLine> = lines.iter().collect();
    out.sort_by_key(|t| {
        let class = if t.status.is_overdue() {
            0
        } else if t.status.is_done() {
            2
        } else {
            1
        };
        let due = if class == 0 { t.due } else { None };
        // tasks without a due date sort after dated ones within the overdue block
        (class, due.is_none(), due)
    });
    out
}
