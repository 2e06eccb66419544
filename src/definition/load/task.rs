//! Reading one `[[task]]`: its keys and deadline (E101–E103, E111, E112, E140).

use std::ops::Range;
use std::path::Path;

use toml::de::DeTable;
use toml::Spanned;

use super::{check_id, Loader};
use crate::definition::fields::Fields;
use crate::definition::model::*;
use crate::diagnostics::{Code, Diagnostic};
use crate::tasks::{parse_deadline, Deadline};

const TASK_KEYS: &[&str] = &[
    "id", "code", "name", "group", "lead", "partners", "product", "deadline", "due", "source",
    "note",
];

impl Loader {
    pub(super) fn task(
        &self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &Path,
        file: usize,
    ) -> (Option<Task>, Vec<Diagnostic>) {
        let mut f = Fields::new(table, span.clone(), path, "task", TASK_KEYS);
        let id = f.required_string(
            "id",
            "add id = \"<lower-case slug>\", e.g. id = \"pl2-ii-03\"",
        );
        if let Some(id) = &id {
            check_id(&mut f, id);
        }
        let name = f.required_string("name", "add the task's name as written in the plan");
        let group = self.group_key(&mut f);
        let due = f.date("due").map(Spanned::into_inner);
        let deadline_text = match (f.get("deadline"), due) {
            (None, Some(_)) => Some(String::new()),
            (None, None) => {
                f.missing("deadline", "add the deadline as written in the plan, e.g. deadline = \"Quý I/2027\", or due = 2027-03-31");
                None
            }
            (Some(_), _) => f.string("deadline").map(Spanned::into_inner),
        };
        let deadline = match (due, &deadline_text) {
            (Some(d), _) => Some(Deadline::Date(d)),
            (None, Some(text)) => {
                let parsed = parse_deadline(text);
                if parsed.is_none() {
                    let at = f.get("deadline").map_or(span.clone(), Spanned::span);
                    f.diags.push(
                        Diagnostic::at(
                            Code::E140,
                            path,
                            at,
                            format!(
                                "unrecognised task deadline \"{}\"",
                                crate::text::clip(text, 60)
                            ),
                        )
                        .label("not a date, a recurring form or a condition")
                        .help(format!(
                            "{}; or give due = 2026-06-30",
                            crate::tasks::deadline::FORMS_HELP
                        )),
                    );
                }
                parsed
            }
            (None, None) => None,
        };
        let id_span = id.as_ref().map_or(span.clone(), Spanned::span);
        let task = Task {
            id_span,
            id: id.map(Spanned::into_inner).unwrap_or_default(),
            code: f.string("code").map(Spanned::into_inner),
            name: name.map(Spanned::into_inner).unwrap_or_default(),
            group,
            lead: f.strings("lead"),
            partners: f.strings("partners"),
            product: f.string("product").map(Spanned::into_inner),
            deadline_text: deadline_text.unwrap_or_default(),
            deadline: deadline.unwrap_or(Deadline::Conditional),
            source: f.string("source").map(Spanned::into_inner),
            note: f.string("note").map(Spanned::into_inner),
            loc: Loc { file, span },
            complete: true,
        };
        let mut task = task;
        task.complete = f.diags.iter().all(|d| !d.is_error());
        (Some(task), f.diags)
    }
}
