//! Reading a parsed JSON response field by field, each problem located by its JSON path
//! (`$.data.children[3].metrics[1].numerator`) and collected, so that one run reports all.
//! Unknown fields are never looked at (the portal adds fields).

use serde_json::Value;

use super::Problem;

/// A value of a response and where it is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node<'v> {
    pub value: &'v Value,
    pub path: String,
}

/// The problems of one file, collected as the reader goes.
pub(crate) struct Reader<'p> {
    pub file: String,
    pub problems: &'p mut Vec<Problem>,
}

/// How a value found at a place reads in a message: a string quoted (shortened), otherwise
/// its kind.
pub(crate) fn found(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            let more = if s.chars().count() > 40 { "…" } else { "" };
            format!("\"{short}{more}\"")
        }
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

impl<'v> Node<'v> {
    pub fn root(value: &'v Value) -> Node<'v> {
        Node {
            value,
            path: "$".into(),
        }
    }

    fn child(&self, key: &str, value: &'v Value) -> Node<'v> {
        Node {
            value,
            path: format!("{}.{key}", self.path),
        }
    }

    /// The field `key` when this is an object that has it (null included); no problem when not.
    pub fn get(&self, key: &str) -> Option<Node<'v>> {
        self.value.get(key).map(|v| self.child(key, v))
    }

    /// Whether this is an object with field `key`.
    pub fn has(&self, key: &str) -> bool {
        self.value.get(key).is_some()
    }

    /// The items of this array, each with its path.
    pub fn items(&self) -> Vec<Node<'v>> {
        match self.value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, value)| Node {
                    value,
                    path: format!("{}[{i}]", self.path),
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Reader<'_> {
    pub fn error(&mut self, at: &Node<'_>, message: impl Into<String>) {
        self.problems
            .push(Problem::error(&self.file, Some(&at.path), message));
    }

    pub fn warning(&mut self, at: &Node<'_>, message: impl Into<String>) {
        self.problems
            .push(Problem::warning(&self.file, Some(&at.path), message));
    }

    fn expected(&mut self, at: &Node<'_>, what: &str) {
        let message = format!("expected {what}, found {}", found(at.value));
        self.error(at, message);
    }

    /// The required field `key` of object `at` (a problem when `at` is not an object or lacks it).
    pub fn field<'v>(&mut self, at: &Node<'v>, key: &str) -> Option<Node<'v>> {
        if !at.value.is_object() {
            self.expected(at, "an object");
            return None;
        }
        let node = at.get(key);
        if node.is_none() {
            self.error(at, format!("missing field `{key}`"));
        }
        node
    }

    /// The required object field `key` of `at`.
    pub fn object<'v>(&mut self, at: &Node<'v>, key: &str) -> Option<Node<'v>> {
        let node = self.field(at, key)?;
        if node.value.is_object() {
            Some(node)
        } else {
            self.expected(&node, "an object");
            None
        }
    }

    /// The items of the required array field `key` of `at`.
    pub fn array<'v>(&mut self, at: &Node<'v>, key: &str) -> Option<Vec<Node<'v>>> {
        let node = self.field(at, key)?;
        if node.value.is_array() {
            Some(node.items())
        } else {
            self.expected(&node, "an array");
            None
        }
    }

    /// A number at `at`: `Err(())` (with a problem) when it is anything else, null included.
    pub fn number_at(&mut self, at: &Node<'_>) -> Result<f64, ()> {
        match at.value.as_f64().filter(|x| x.is_finite()) {
            Some(x) => Ok(x),
            None => {
                self.expected(at, "a number");
                Err(())
            }
        }
    }

    /// The required number field `key` of `at`.
    pub fn number(&mut self, at: &Node<'_>, key: &str) -> Option<f64> {
        let node = self.field(at, key)?;
        self.number_at(&node).ok()
    }

    /// The number field `key` of `at`, absent or null allowed (`Ok(None)`); anything else that is
    /// not a number is a problem (`Err`).
    pub fn number_or_null(&mut self, at: &Node<'_>, key: &str) -> Result<Option<f64>, ()> {
        match at.get(key) {
            None => Ok(None),
            Some(n) if n.value.is_null() => Ok(None),
            Some(n) => self.number_at(&n).map(Some),
        }
    }

    /// A count: a whole number ≥ 0, absent or null allowed.
    pub fn count_or_null(&mut self, at: &Node<'_>, key: &str) -> Result<Option<f64>, ()> {
        let x = self.number_or_null(at, key)?;
        match x {
            Some(x) if x < 0.0 || x.fract() != 0.0 => {
                let node = at.get(key).unwrap_or_else(|| at.clone());
                self.expected(&node, "a count (a whole number, 0 or more)");
                Err(())
            }
            _ => Ok(x),
        }
    }

    /// The required non-empty string field `key` of `at`.
    pub fn string(&mut self, at: &Node<'_>, key: &str) -> Option<String> {
        let node = self.field(at, key)?;
        match node.value.as_str() {
            Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => {
                self.expected(&node, "a non-empty string");
                None
            }
        }
    }

    /// The string field `key` of `at`, absent or null allowed; anything else is a problem.
    pub fn string_or_null(&mut self, at: &Node<'_>, key: &str) -> Result<Option<String>, ()> {
        match at.get(key) {
            None => Ok(None),
            Some(n) if n.value.is_null() => Ok(None),
            Some(n) => match n.value.as_str() {
                Some(s) if s.trim().is_empty() => Ok(None),
                Some(s) => Ok(Some(s.trim().to_string())),
                None => {
                    self.expected(&n, "a string");
                    Err(())
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Node, Reader};

    #[test]
    fn every_wrong_field_is_named_by_its_path() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"data":{"children":[{"n":1},{"n":"—"},{"n":null}],"name":""}}"#,
        )
        .unwrap_or_default();
        let mut problems = Vec::new();
        let mut r = Reader {
            file: "t/month-all.json".into(),
            problems: &mut problems,
        };
        let root = Node::root(&v);
        let data = r.object(&root, "data");
        let children = data.as_ref().and_then(|d| r.array(d, "children"));
        let n: Vec<Option<f64>> = children
            .unwrap_or_default()
            .iter()
            .map(|c| r.number(c, "n"))
            .collect();
        assert_eq!(n, [Some(1.0), None, None]);
        assert_eq!(data.as_ref().and_then(|d| r.string(d, "name")), None);
        assert_eq!(data.as_ref().and_then(|d| r.array(d, "missing")), None);
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "t/month-all.json: $.data.children[1].n: expected a number, found \"—\"",
                "t/month-all.json: $.data.children[2].n: expected a number, found null",
                "t/month-all.json: $.data.name: expected a non-empty string, found \"\"",
                "t/month-all.json: $.data: missing field `missing`",
            ]
        );
    }
}
