//! Section 4 of the page (heatmap and trends), the charts no section claimed, and how a chart
//! is inlined as SVG markup.

use super::*;

impl<'a> Page<'a> {
    // ---------------------------------------------------------------------------------------
    // 4. Heatmap and trends

    pub(super) fn chart_section(&mut self) {
        let mut s = format!(
            "<section id=\"charts\">\n<h2>{}</h2>\n",
            self.l("Biểu đồ", "Charts")
        );
        if let Some(i) = self.take(|c| c.name == "heatmap") {
            s += &self.figure(i, self.l("Bản đồ tình trạng", "Status heatmap"));
        }
        let mut trends = Vec::new();
        for ind in &self.c.indicators {
            let name = format!("trend-{}", file_safe(&ind.id));
            if let Some(i) = self.take(|c| c.name == name) {
                trends.push(i);
            }
        }
        while let Some(i) = self.take(|c| c.name.starts_with("trend-")) {
            trends.push(i);
        }
        if !trends.is_empty() {
            s += &format!(
                "<h3>{}</h3>\n",
                self.l(
                    "Xu hướng và lộ trình đến mục tiêu",
                    "Trends and the path to the final targets"
                )
            );
            for i in trends {
                s += &self.figure(i, self.l("Xu hướng", "Trend"));
            }
        }
        s += "</section>\n";
        self.out += &s;
    }

    /// Charts that no section claimed, so that every chart is on the page.
    pub(super) fn other_charts(&mut self) {
        let rest: Vec<usize> = (0..self.charts.len()).filter(|&i| !self.used[i]).collect();
        if rest.is_empty() {
            return;
        }
        let mut s = format!(
            "<section id=\"more-charts\">\n<h2>{}</h2>\n",
            self.l("Biểu đồ khác", "More charts")
        );
        for i in rest {
            self.used[i] = true;
            s += &self.figure(i, self.l("Biểu đồ", "Chart"));
        }
        s += "</section>\n";
        self.out += &s;
    }

    /// The first unplaced chart matching `pred`, marked as placed.
    pub(super) fn take(&mut self, pred: impl Fn(&Chart) -> bool) -> Option<usize> {
        let i = (0..self.charts.len()).find(|&i| !self.used[i] && pred(&self.charts[i]))?;
        self.used[i] = true;
        Some(i)
    }

    pub(super) fn figure(&self, i: usize, fallback_title: &str) -> String {
        let chart = &self.charts[i];
        let title = if chart.title.trim().is_empty() {
            fallback_title.to_string()
        } else {
            escape(&chart.title)
        };
        let body = inline_svg(&chart.svg).unwrap_or_else(|| {
            format!(
                "<p class=\"note\">{}</p>",
                self.l("(biểu đồ trống)", "(empty chart)")
            )
        });
        format!(
            "<figure class=\"chart\" id=\"chart-{name}\" data-chart=\"{name}\">\n{body}\n\
             <figcaption>{title}</figcaption>\n</figure>\n",
            name = escape(&chart.name)
        )
    }
}

/// The `<svg>` element of an SVG document, without what precedes it (XML prolog, doctype,
/// comments) and without namespace declarations; `None` when there is no `<svg`.
pub(super) fn inline_svg(svg: &str) -> Option<String> {
    let start = svg.find("<svg")?;
    let body = svg[start..].trim_end();
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find(" xmlns") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        match namespace_attr_len(tail) {
            Some(n) => rest = &tail[n..],
            None => {
                out.push(' ');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The length of `xmlns="…"` or `xmlns:p="…"` at the start of `s`, if it is one.
pub(super) fn namespace_attr_len(s: &str) -> Option<usize> {
    let eq = s.find('=')?;
    let name = &s[..eq];
    let is_ns = name == "xmlns"
        || name.strip_prefix("xmlns:").is_some_and(|p| {
            !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !is_ns {
        return None;
    }
    let value = &s[eq + 1..];
    let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let close = value[1..].find(quote)?;
    Some(eq + 1 + 1 + close + 1)
}
