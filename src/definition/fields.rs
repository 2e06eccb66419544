//! Reading the keys of one TOML table (toml's spanned `DeTable`) into typed values, reporting
//! every unknown key (E101), missing key (E102) and wrong type (E103) with its span instead of
//! stopping at the first, as serde would. Knows key names only through its callers.

use std::ops::Range;
use std::path::Path;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostics::{Code, Diagnostic};

pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// One table being read. `what` names it in messages ("indicator", "task", "catalogue").
pub(crate) struct Fields<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Range<usize>,
    path: &'t Path,
    what: &'t str,
    pub diags: Vec<Diagnostic>,
}

impl<'t, 'i> Fields<'t, 'i> {
    /// Starts reading `table` (whose own span is `span`) and reports its keys that are not in
    /// `known` as E101.
    pub fn new(
        table: &'t DeTable<'i>,
        span: Range<usize>,
        path: &'t Path,
        what: &'t str,
        known: &[&str],
    ) -> Self {
        let mut fields = Self {
            table,
            span,
            path,
            what,
            diags: Vec::new(),
        };
        for (key, _) in table.iter() {
            let name: &str = key.get_ref();
            if !known.contains(&name) {
                let suggestion = known
                    .iter()
                    .map(|k| (strsim::jaro_winkler(k, name), k))
                    .filter(|(score, _)| *score > 0.8)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, k)| format!("did you mean `{k}`? "))
                    .unwrap_or_default();
                let d = Diagnostic::at(
                    Code::E101,
                    path,
                    key.span(),
                    format!("unknown key `{}` in {what}", crate::text::clip(name, 60)),
                )
                .label("not a key of the definition language")
                .help(format!("{suggestion}known keys: {}", known.join(", ")));
                fields.diags.push(d);
            }
        }
        fields
    }

    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn path(&self) -> &'t Path {
        self.path
    }

    pub fn get(&self, key: &str) -> Option<&'t Value<'i>> {
        self.table
            .iter()
            .find(|(k, _)| {
                let name: &str = k.get_ref();
                name == key
            })
            .map(|(_, v)| v)
    }

    pub fn missing(&mut self, key: &str, help: &str) {
        let d = Diagnostic::at(
            Code::E102,
            self.path,
            self.span.clone(),
            format!("{} is missing required key `{key}`", self.what),
        )
        .label(format!("this {} has no `{key}`", self.what))
        .help(help.to_string());
        self.diags.push(d);
    }

    pub fn wrong(
        &mut self,
        key: &str,
        span: Range<usize>,
        message: String,
        help: impl Into<String>,
    ) {
        let _ = key;
        let d = Diagnostic::at(Code::E103, self.path, span, message).help(help);
        self.diags.push(d);
    }

    fn wrong_type(&mut self, key: &str, value: &Value<'i>, expected: &str) {
        let d = Diagnostic::at(
            Code::E103,
            self.path,
            value.span(),
            format!(
                "`{key}` must be {expected}, found {}",
                value.get_ref().type_str()
            ),
        )
        .label(format!("expected {expected}"));
        self.diags.push(d);
    }

    /// An optional string.
    pub fn string(&mut self, key: &str) -> Option<Spanned<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Spanned::new(value.span(), s.to_string())),
            _ => {
                self.wrong_type(key, value, "a string");
                None
            }
        }
    }

    /// A required string; missing is E102 with `help`.
    pub fn required_string(&mut self, key: &str, help: &str) -> Option<Spanned<String>> {
        if self.get(key).is_none() {
            self.missing(key, help);
            return None;
        }
        self.string(key)
    }

    /// An optional number (integer or float), finite.
    pub fn number(&mut self, key: &str) -> Option<Spanned<f64>> {
        let value = self.get(key)?;
        match number_of(value.get_ref()) {
            Some(n) if n.is_finite() => Some(Spanned::new(value.span(), n)),
            Some(n) => {
                // `nan`, `inf`: a TOML float, but no figure
                self.wrong(
                    key,
                    value.span(),
                    format!("`{key}` must be a finite number, found `{n}`"),
                    "write a number such as 10 or 2.5",
                );
                None
            }
            None => {
                self.wrong_type(key, value, "a number");
                None
            }
        }
    }

    /// An optional integer.
    pub fn integer(&mut self, key: &str) -> Option<Spanned<i64>> {
        let value = self.get(key)?;
        match integer_of(value.get_ref()) {
            Some(n) => Some(Spanned::new(value.span(), n)),
            None => {
                self.wrong_type(key, value, "an integer");
                None
            }
        }
    }

    /// An optional TOML date (`due = 2026-06-30`, no quotes, no time); anything else is E103.
    pub fn date(&mut self, key: &str) -> Option<Spanned<chrono::NaiveDate>> {
        let value = self.get(key)?;
        let date = match value.get_ref() {
            DeValue::Datetime(dt) => match (dt.date, dt.time) {
                (Some(d), None) => chrono::NaiveDate::from_ymd_opt(
                    i32::from(d.year),
                    u32::from(d.month),
                    u32::from(d.day),
                ),
                _ => None,
            },
            _ => None,
        };
        if date.is_none() {
            self.wrong(
                key,
                value.span(),
                format!("`{key}` must be a TOML date such as 2026-06-30"),
                format!("write {key} = 2026-06-30 (no quotes, no time)"),
            );
        }
        date.map(|d| Spanned::new(value.span(), d))
    }

    /// A string or an array of strings (`owner = "Công an tỉnh"` or `owner = ["A", "B"]`).
    pub fn strings(&mut self, key: &str) -> Vec<String> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::String(s) => vec![s.to_string()],
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::String(s) => out.push(s.to_string()),
                        _ => self.wrong_type(key, item, "a string"),
                    }
                }
                out
            }
            _ => {
                self.wrong_type(key, value, "a string or an array of strings");
                Vec::new()
            }
        }
    }

    /// An optional table, with its span.
    pub fn table(&mut self, key: &str) -> Option<(&'t DeTable<'i>, Range<usize>)> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some((t, value.span())),
            _ => {
                self.wrong_type(key, value, "a table");
                None
            }
        }
    }

    /// An optional array of tables (`[[indicator]]`), each with its span.
    pub fn tables(&mut self, key: &str) -> Vec<(&'t DeTable<'i>, Range<usize>)> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        match value.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for item in items.iter() {
                    match item.get_ref() {
                        DeValue::Table(t) => out.push((t, item.span())),
                        _ => self.wrong_type(key, item, "a table"),
                    }
                }
                out
            }
            _ => {
                self.wrong_type(key, value, "an array of tables (`[[...]]`)");
                Vec::new()
            }
        }
    }

    /// An optional string that must be one of `allowed`; anything else is E103.
    pub fn choice<T>(
        &mut self,
        key: &str,
        allowed: &[&str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<Spanned<T>> {
        let s = self.string(key)?;
        match parse(s.get_ref()) {
            Some(v) => Some(Spanned::new(s.span(), v)),
            None => {
                let list = allowed
                    .iter()
                    .map(|a| format!("\"{a}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                let d = Diagnostic::at(
                    Code::E103,
                    self.path,
                    s.span(),
                    format!(
                        "`{key}` cannot be \"{}\"",
                        crate::text::clip(s.get_ref(), 60)
                    ),
                )
                .label(format!("not one of {list}"))
                .help(format!("write {key} = one of {list}"));
                self.diags.push(d);
                None
            }
        }
    }
}

/// An integer or float value as f64.
pub(crate) fn number_of(value: &DeValue<'_>) -> Option<f64> {
    match value {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|v| v as f64),
        DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
        _ => None,
    }
}

pub(crate) fn integer_of(value: &DeValue<'_>) -> Option<i64> {
    match value {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
        _ => None,
    }
}
