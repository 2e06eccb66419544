//! Target expressions (SPEC §4.3): parsing the strings, numbers and tables of
//! `[indicator.targets]` into a [`Target`], resolved against the indicator's unit and direction.
//! The target *in force* for a year lives in `score::in_force`; this module only reads one anchor.

use super::model::{Direction, UnitKind};
use crate::diagnostics::Code;
use crate::project::Lang;
use crate::text::fold;

impl serde::Serialize for Op {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A comparison operator of a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }

    /// Whether `value` satisfies `self threshold` (`=` within 1e-9).
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Op::Ge => value >= threshold,
            Op::Gt => value > threshold,
            Op::Le => value <= threshold,
            Op::Lt => value < threshold,
            Op::Eq => (value - threshold).abs() <= 1e-9,
        }
    }

    /// The direction this operator asks for; `=` asks for none.
    pub fn direction(self) -> Option<Direction> {
        match self {
            Op::Ge | Op::Gt => Some(Direction::Higher),
            Op::Le | Op::Lt => Some(Direction::Lower),
            Op::Eq => None,
        }
    }
}

/// A resolved target: what a value must satisfy in one anchor year.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// `>= 80`, `<= 30`, `= 1`, a bare number read by direction, or `top N` (rank `<= N`).
    Compare { op: Op, value: f64 },
    /// Boolean indicators: the value must be 1.
    Done,
    /// Direction lower: value ≤ baseline × (1 − percent/100), baseline = the value of year `from`.
    Reduce { percent: f64, from: i32 },
    /// Direction higher: value ≥ baseline × (1 + percent/100).
    Increase { percent: f64, from: i32 },
    /// Qualitative: tracked and shown, never scored.
    Text(String),
}

impl Target {
    /// As a person reads it: `>= 57.5`, `hoàn thành (done)`, `giảm 50% so với 2025`.
    pub fn label(&self, lang: Lang) -> String {
        match self {
            Target::Compare { op, value } => {
                let v = (value * 100.0).round() / 100.0;
                format!("{} {}", op.as_str(), fmt_num(v))
            }
            Target::Done => lang.pick("hoàn thành (done)", "done").to_string(),
            Target::Reduce { percent, from } => {
                format!(
                    "{} {}% {} {from}",
                    lang.pick("giảm", "reduce"),
                    fmt_num(*percent),
                    lang.pick("so với", "from")
                )
            }
            Target::Increase { percent, from } => {
                format!(
                    "{} {}% {} {from}",
                    lang.pick("tăng", "increase"),
                    fmt_num(*percent),
                    lang.pick("so với", "from")
                )
            }
            Target::Text(text) => format!(
                "\"{text}\" ({})",
                lang.pick("định tính, không chấm", "qualitative, not scored")
            ),
        }
    }

    /// The numeric threshold and operator when the target is a plain comparison.
    pub fn numeric(&self) -> Option<(Op, f64)> {
        match self {
            Target::Compare { op, value } => Some((*op, *value)),
            Target::Done => Some((Op::Eq, 1.0)),
            _ => None,
        }
    }

    /// A short human form: `>= 80`, `done`, `giảm 50% so với 2025`.
    pub fn display(&self) -> String {
        match self {
            Target::Compare { op, value } => format!("{} {}", op.as_str(), fmt_num(*value)),
            Target::Done => "done".to_string(),
            Target::Reduce { percent, from } => {
                format!("reduce {}% from {from}", fmt_num(*percent))
            }
            Target::Increase { percent, from } => {
                format!("increase {}% from {from}", fmt_num(*percent))
            }
            Target::Text(t) => t.clone(),
        }
    }
}

/// Formats a number without a trailing `.0` (`80`, `57.5`).
pub fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A target as written, before the indicator's unit and direction are applied.
#[derive(Debug, Clone, PartialEq)]
pub enum RawTarget {
    /// A number with an optional comparator (`None` = bare number).
    Compare {
        op: Option<Op>,
        value: f64,
    },
    Top(f64),
    Done,
    Reduce {
        percent: f64,
        from: i32,
    },
    Increase {
        percent: f64,
        from: i32,
    },
    Text(String),
}

/// Why a target cannot be used: a diagnostic code, a message and a help line.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetProblem {
    pub code: Code,
    pub message: String,
    pub help: String,
}

impl TargetProblem {
    fn new(code: Code, message: impl Into<String>, help: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            help: help.into(),
        }
    }
}

/// The forms accepted by [`parse_expression`], for help lines.
pub const FORMS_HELP: &str = "write \">= 80\", \"≥ 80%\", \"<= 30\", \"= 1\", a bare number \
    (\"80\"), \"top 20\", \"done\", { reduce = 50, from = 2025 }, { increase = 20, from = 2025 } \
    or { text = \"...\" }";

/// Why a target string cannot be read; the expression is as written, its message clips it to
/// 60 characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnreadableTarget {
    #[error("empty target expression")]
    Empty,
    /// `top` without a whole number of places of at least 1.
    #[error("\"{}\": `top` needs a whole number of places, as in \"top 20\"", crate::text::clip(.0, 60))]
    Top(String),
    /// Neither `done`, `top N` nor a comparison with a number.
    #[error("cannot read \"{}\" as a target", crate::text::clip(.0, 60))]
    Unreadable(String),
}

/// Parses a target string: an optional comparator (`>=`, `≥`, `>`, `<=`, `≤`, `<`, `=`), a
/// number (`.` or `,` as decimal separator) and an optional `%`; or `top N`; or `done` (also
/// "Hoàn thành", "Đảm bảo", "Đạt").
pub fn parse_expression(text: &str) -> Result<RawTarget, UnreadableTarget> {
    let s = text.trim();
    if s.is_empty() {
        return Err(UnreadableTarget::Empty);
    }
    let folded = fold(s);
    if matches!(folded.as_str(), "done" | "hoan thanh" | "dam bao" | "dat") {
        return Ok(RawTarget::Done);
    }
    if let Some(rest) = folded.strip_prefix("top") {
        let n = parse_number(rest.trim())
            .filter(|n| *n >= 1.0 && n.fract() == 0.0)
            .ok_or_else(|| UnreadableTarget::Top(s.to_string()))?;
        return Ok(RawTarget::Top(n));
    }
    let (op, rest) = split_operator(s);
    let rest = rest.trim();
    let number = rest.strip_suffix('%').unwrap_or(rest).trim();
    match parse_number(number) {
        Some(value) => Ok(RawTarget::Compare { op, value }),
        None => Err(UnreadableTarget::Unreadable(s.to_string())),
    }
}

fn split_operator(s: &str) -> (Option<Op>, &str) {
    const OPS: [(&str, Op); 9] = [
        (">=", Op::Ge),
        ("=>", Op::Ge),
        ("≥", Op::Ge),
        ("<=", Op::Le),
        ("≤", Op::Le),
        ("==", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
    ];
    for (token, op) in OPS {
        if let Some(rest) = s.strip_prefix(token) {
            return (Some(op), rest);
        }
    }
    (None, s)
}

/// Reads `80`, `57.5`, `1,5` (comma as decimal separator). Rejects NaN and infinities.
fn parse_number(s: &str) -> Option<f64> {
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+'))
    {
        return None;
    }
    let normal = if s.contains(',') && !s.contains('.') {
        s.replace(',', ".")
    } else {
        s.to_string()
    };
    normal.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Applies the indicator's unit, direction and limits to a raw target (SPEC §4.3 checks
/// E120–E122, E124, E125). `direction` is `None` when the indicator lacks one (already reported).
pub fn resolve(
    raw: RawTarget,
    unit: UnitKind,
    direction: Option<Direction>,
    limits: (f64, f64),
) -> Result<Target, TargetProblem> {
    let dir_name = |d: Option<Direction>| d.map(Direction::as_str).unwrap_or("none");
    let target = match raw {
        RawTarget::Text(t) => return Ok(Target::Text(t)),
        RawTarget::Done => {
            if unit != UnitKind::Boolean {
                return Err(TargetProblem::new(
                    Code::E120,
                    format!(
                        "\"done\" is a target for boolean indicators, not for unit \"{}\"",
                        unit.as_str()
                    ),
                    "use a number such as \">= 80\", or set unit = \"boolean\"",
                ));
            }
            Target::Done
        }
        RawTarget::Top(n) => {
            if unit != UnitKind::Rank {
                return Err(TargetProblem::new(
                    Code::E124,
                    format!(
                        "\"top {}\" on an indicator with unit \"{}\"",
                        fmt_num(n),
                        unit.as_str()
                    ),
                    "`top N` is for unit = \"rank\" (\"thuộc nhóm N đứng đầu\")",
                ));
            }
            Target::Compare {
                op: Op::Le,
                value: n,
            }
        }
        RawTarget::Compare { op, value } => {
            if unit == UnitKind::Boolean {
                return match (op, value) {
                    (None | Some(Op::Eq) | Some(Op::Ge), 1.0) => Ok(Target::Done),
                    _ => Err(TargetProblem::new(
                        Code::E120,
                        "a boolean indicator's target must be \"done\"",
                        "write \"done\" (the value must be 1: true, \"Hoàn thành\", \"Đạt\")",
                    )),
                };
            }
            let op = match op {
                Some(op) => {
                    if let (Some(wanted), Some(have)) = (op.direction(), direction) {
                        if wanted != have {
                            let ops = match have {
                                Direction::Higher => "\">=\", \">\"",
                                Direction::Lower => "\"<=\", \"<\"",
                            };
                            return Err(TargetProblem::new(
                                Code::E121,
                                format!("target \"{} {}\" contradicts direction \"{}\"", op.as_str(), fmt_num(value), have.as_str()),
                                format!("a \"{}\" indicator needs {ops} or a bare number", have.as_str()),
                            ));
                        }
                    }
                    op
                }
                None => match direction {
                    Some(Direction::Higher) => Op::Ge,
                    Some(Direction::Lower) => Op::Le,
                    None => return Err(TargetProblem::new(
                        Code::E120,
                        format!("a bare number needs a direction, and this indicator has {}", dir_name(direction)),
                        "set direction = \"higher\" or \"lower\", or write a comparator such as \">= 80\"",
                    )),
                },
            };
            Target::Compare { op, value }
        }
        RawTarget::Reduce { percent, from } => {
            if direction != Some(Direction::Lower) {
                return Err(TargetProblem::new(
                    Code::E125,
                    format!("`reduce` on a \"{}\" indicator", dir_name(direction)),
                    "`reduce` needs direction = \"lower\"; for a value that should grow use `increase`",
                ));
            }
            if !(percent > 0.0 && percent <= 100.0) {
                return Err(TargetProblem::new(
                    Code::E122,
                    format!("`reduce = {}` is outside 0..100 percent", fmt_num(percent)),
                    "a reduction is a percentage of the baseline between 0 and 100",
                ));
            }
            Target::Reduce { percent, from }
        }
        RawTarget::Increase { percent, from } => {
            if direction != Some(Direction::Higher) {
                return Err(TargetProblem::new(
                    Code::E125,
                    format!("`increase` on a \"{}\" indicator", dir_name(direction)),
                    "`increase` needs direction = \"higher\"; for a value that should fall use `reduce`",
                ));
            }
            if percent <= 0.0 {
                return Err(TargetProblem::new(
                    Code::E122,
                    format!("`increase = {}` must be a positive percentage", fmt_num(percent)),
                    "write the growth over the baseline in percent, e.g. { increase = 20, from = 2025 }",
                ));
            }
            Target::Increase { percent, from }
        }
    };
    if let Target::Compare { value, .. } = target {
        let (lo, hi) = limits;
        if value < lo || value > hi {
            let hi_text = if hi.is_finite() {
                fmt_num(hi)
            } else {
                "∞".to_string()
            };
            return Err(TargetProblem::new(
                Code::E122,
                format!(
                    "target {} is outside the limits [{}, {}]",
                    fmt_num(value),
                    fmt_num(lo),
                    hi_text
                ),
                format!(
                    "a \"{}\" value lies in [{}, {}]; fix the target or set `limits`",
                    unit.as_str(),
                    fmt_num(lo),
                    hi_text
                ),
            ));
        }
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> RawTarget {
        parse_expression(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parses_every_written_form() {
        let cases: &[(&str, RawTarget)] = &[
            (
                ">= 80",
                RawTarget::Compare {
                    op: Some(Op::Ge),
                    value: 80.0,
                },
            ),
            (
                "≥80",
                RawTarget::Compare {
                    op: Some(Op::Ge),
                    value: 80.0,
                },
            ),
            (
                "≥ 80%",
                RawTarget::Compare {
                    op: Some(Op::Ge),
                    value: 80.0,
                },
            ),
            (
                "≥ 50",
                RawTarget::Compare {
                    op: Some(Op::Ge),
                    value: 50.0,
                },
            ),
            (
                "> 80",
                RawTarget::Compare {
                    op: Some(Op::Gt),
                    value: 80.0,
                },
            ),
            (
                "<= 30",
                RawTarget::Compare {
                    op: Some(Op::Le),
                    value: 30.0,
                },
            ),
            (
                "≤ 30",
                RawTarget::Compare {
                    op: Some(Op::Le),
                    value: 30.0,
                },
            ),
            (
                "< 30",
                RawTarget::Compare {
                    op: Some(Op::Lt),
                    value: 30.0,
                },
            ),
            (
                "= 1",
                RawTarget::Compare {
                    op: Some(Op::Eq),
                    value: 1.0,
                },
            ),
            (
                "80",
                RawTarget::Compare {
                    op: None,
                    value: 80.0,
                },
            ),
            (
                "80%",
                RawTarget::Compare {
                    op: None,
                    value: 80.0,
                },
            ),
            (
                "57.5",
                RawTarget::Compare {
                    op: None,
                    value: 57.5,
                },
            ),
            (
                "1,5",
                RawTarget::Compare {
                    op: None,
                    value: 1.5,
                },
            ),
            ("top 20", RawTarget::Top(20.0)),
            ("Top 20", RawTarget::Top(20.0)),
            ("done", RawTarget::Done),
            ("Hoàn thành", RawTarget::Done),
            ("Đảm bảo", RawTarget::Done),
        ];
        for (text, expected) in cases {
            assert_eq!(&raw(text), expected, "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_target() {
        use UnreadableTarget::{Empty, Top, Unreadable};
        let unreadable = |s: &str| Unreadable(s.to_string());
        for (text, why) in [
            ("", Empty),
            ("abc", unreadable("abc")),
            (">=", unreadable(">=")),
            ("80 người", unreadable("80 người")),
            ("top", Top("top".to_string())),
            ("top 2.5", Top("top 2.5".to_string())),
            ("top -1", Top("top -1".to_string())),
            ("NaN", unreadable("NaN")),
            ("inf", unreadable("inf")),
            (">= 1e999", unreadable(">= 1e999")),
        ] {
            assert_eq!(
                parse_expression(text),
                Err(why),
                "{text:?} should not parse"
            );
        }
        assert_eq!(
            Top("Top 2,5".to_string()).to_string(),
            "\"Top 2,5\": `top` needs a whole number of places, as in \"top 20\""
        );
    }

    #[test]
    fn bare_numbers_follow_the_direction() {
        let pct = UnitKind::Percent.default_limits();
        let higher = resolve(raw("80"), UnitKind::Percent, Some(Direction::Higher), pct);
        assert_eq!(
            higher,
            Ok(Target::Compare {
                op: Op::Ge,
                value: 80.0
            })
        );
        let lower = resolve(raw("30"), UnitKind::Percent, Some(Direction::Lower), pct);
        assert_eq!(
            lower,
            Ok(Target::Compare {
                op: Op::Le,
                value: 30.0
            })
        );
    }

    #[test]
    fn checks_give_the_right_code() {
        let pct = UnitKind::Percent.default_limits();
        let code = |r: Result<Target, TargetProblem>| r.err().map(|p| p.code);
        // "không quá 30%" written as ">= 30" on a lower indicator
        assert_eq!(
            code(resolve(
                raw(">= 80"),
                UnitKind::Percent,
                Some(Direction::Lower),
                pct
            )),
            Some(Code::E121)
        );
        assert_eq!(
            code(resolve(
                raw("<= 80"),
                UnitKind::Percent,
                Some(Direction::Higher),
                pct
            )),
            Some(Code::E121)
        );
        assert_eq!(
            code(resolve(
                raw("120"),
                UnitKind::Percent,
                Some(Direction::Higher),
                pct
            )),
            Some(Code::E122)
        );
        assert_eq!(
            code(resolve(
                raw("top 20"),
                UnitKind::Percent,
                Some(Direction::Higher),
                pct
            )),
            Some(Code::E124)
        );
        let reduce = RawTarget::Reduce {
            percent: 50.0,
            from: 2025,
        };
        assert_eq!(
            code(resolve(
                reduce.clone(),
                UnitKind::Count,
                Some(Direction::Higher),
                (0.0, f64::INFINITY)
            )),
            Some(Code::E125)
        );
        assert_eq!(
            resolve(
                reduce,
                UnitKind::Count,
                Some(Direction::Lower),
                (0.0, f64::INFINITY)
            ),
            Ok(Target::Reduce {
                percent: 50.0,
                from: 2025
            })
        );
        assert_eq!(
            code(resolve(
                raw("done"),
                UnitKind::Percent,
                Some(Direction::Higher),
                pct
            )),
            Some(Code::E120)
        );
    }

    #[test]
    fn rank_and_boolean_targets() {
        let rank = resolve(
            raw("top 20"),
            UnitKind::Rank,
            Some(Direction::Lower),
            UnitKind::Rank.default_limits(),
        );
        assert_eq!(
            rank,
            Ok(Target::Compare {
                op: Op::Le,
                value: 20.0
            })
        );
        let done = resolve(
            raw("1"),
            UnitKind::Boolean,
            None,
            UnitKind::Boolean.default_limits(),
        );
        assert_eq!(done, Ok(Target::Done));
        let e = resolve(
            raw("50"),
            UnitKind::Boolean,
            None,
            UnitKind::Boolean.default_limits(),
        );
        assert_eq!(e.err().map(|p| p.code), Some(Code::E120));
    }

    #[test]
    fn operators_hold_as_written() {
        assert!(Op::Ge.holds(80.0, 80.0));
        assert!(!Op::Gt.holds(80.0, 80.0));
        assert!(Op::Le.holds(30.0, 30.0));
        assert!(!Op::Lt.holds(30.0, 30.0));
        assert!(Op::Eq.holds(1.0 + 1e-12, 1.0));
        assert!(!Op::Eq.holds(1.1, 1.0));
    }
}
