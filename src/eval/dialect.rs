//! The fused scan as SQL text for another engine (Spark SQL ≥ 3.0, DuckDB): per dataset, ONE
//! aggregate query grouped by unit and month whose result is the partial table of
//! [`super::fused`] (`unit`, `month` yyyymm, `<indicator id>__<part>` as DOUBLE), so that
//! `chitieu score --partials` scores it. Writes text only; runs nothing and reads no data.
//!
//! The measures are the catalogue's SQL as written, parsed by the parser under polars' SQL front
//! end (sqlparser, generic dialect) after polars itself has accepted them, then printed again
//! with three rewrites: identifiers quoted the engine's way; a measure's `filter` attached to
//! every aggregate call of that measure as the standard `FILTER (WHERE …)` clause (so `COUNT(*)`
//! counts only the rows that pass); and `SUM(x)` as `COALESCE(SUM(x), 0)`, since the fused scan
//! sums an empty or all-null group to 0 where SQL gives NULL. Function names pass through as
//! written: a measure using a polars-only function fails in the other engine, not here.

use std::ops::ControlFlow;

use sqlparser::ast::{
    visit_expressions_mut, BinaryOperator, CastKind, Expr, Function, FunctionArg, FunctionArgExpr,
    FunctionArgumentList, FunctionArguments, Ident, ObjectName, ObjectNamePart, Value,
};
use sqlparser::dialect::GenericDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

use super::fused::{self, MONTH_COLUMN, UNIT_COLUMN};
use crate::definition::{Catalogue, Dataset, Measure};

/// An engine the partial aggregation can run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    /// Spark SQL 3.0 or newer (backtick identifiers)
    Spark,
    /// DuckDB (double-quoted identifiers)
    #[value(name = "duckdb")]
    DuckDb,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Spark => "Spark SQL",
            Dialect::DuckDb => "DuckDB",
        }
    }

    fn quote_char(self) -> char {
        match self {
            Dialect::Spark => '`',
            Dialect::DuckDb => '"',
        }
    }

    /// `name` as a quoted identifier (an embedded quote character doubled).
    pub fn quote(self, name: &str) -> String {
        Ident::with_quote(self.quote_char(), name).to_string()
    }

    fn string_type(self) -> &'static str {
        match self {
            Dialect::Spark => "STRING",
            Dialect::DuckDb => "VARCHAR",
        }
    }
}

/// A measure expression that cannot be written for the engine (the catalogue check, E130,
/// normally finds these first).
#[derive(Debug, thiserror::Error)]
#[error("indicator \"{indicator}\", `{part}`: {problem}")]
pub struct DialectError {
    pub indicator: String,
    pub part: String,
    pub problem: ExpressionError,
}

/// Why one expression of a measure cannot be written for another engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExpressionError {
    /// The problem is in the measure's `filter`.
    #[error("in `filter`: {0}")]
    Filter(Box<ExpressionError>),
    /// polars' SQL front end or sqlparser refuses it: the first line of what it says.
    #[error("{0}")]
    Refused(String),
    /// Something follows the expression (an alias, a second expression): the token found.
    #[error("only a bare expression can be written for another engine (found `{0}` after it)")]
    NotBare(String),
}

/// The aggregate query of `dataset` in `dialect`: one row per (unit, month) with every part of
/// every computed indicator that reads it, in catalogue order; `None` when no indicator reads it.
pub fn dataset_query(
    c: &Catalogue,
    dataset: &Dataset,
    dialect: Dialect,
) -> Result<Option<String>, DialectError> {
    let indicators = fused::indicators_of(c, &dataset.name);
    if indicators.is_empty() {
        return Ok(None);
    }
    let q = |name: &str| dialect.quote(name);
    let date = format!("CAST({} AS DATE)", q(&dataset.date));
    let mut select = vec![
        format!(
            "CAST({} AS {}) AS {}",
            q(&dataset.unit),
            dialect.string_type(),
            q(UNIT_COLUMN)
        ),
        format!(
            "CAST(year({date}) * 100 + month({date}) AS INT) AS {}",
            q(MONTH_COLUMN)
        ),
    ];
    for k in indicators {
        let indicator = &c.indicators[k];
        let Measure::Computed(m) = &indicator.measure else {
            continue;
        };
        for (part, sql) in fused::parts(m) {
            let filter = m.filter.as_ref().map(|f| f.get_ref().as_str());
            let expr = measure_sql(sql, filter, dialect).map_err(|problem| DialectError {
                indicator: indicator.id.clone(),
                part: part.key().to_string(),
                problem,
            })?;
            select.push(format!(
                "CAST({expr} AS DOUBLE) AS {}",
                q(&fused::column_name(&indicator.id, part))
            ));
        }
    }
    Ok(Some(format!(
        "SELECT\n  {}\nFROM {}\nWHERE {} IS NOT NULL\nGROUP BY 1, 2",
        select.join(",\n  "),
        q(&dataset.name),
        q(&dataset.date)
    )))
}

/// One aggregate expression of a measure in `dialect`, with the measure's row `filter` applied to
/// each aggregate call in it.
pub fn measure_sql(
    sql: &str,
    filter: Option<&str>,
    dialect: Dialect,
) -> Result<String, ExpressionError> {
    let filter = match filter {
        Some(f) => {
            let mut f = parse(f).map_err(|e| ExpressionError::Filter(Box::new(e)))?;
            rewrite(&mut f, dialect, None);
            Some(f)
        }
        None => None,
    };
    let mut expr = parse(sql)?;
    rewrite(&mut expr, dialect, filter.as_ref());
    Ok(expr.to_string())
}

/// Parses one expression: first through polars' SQL front end (what the fused scan and the
/// catalogue check accept), then through sqlparser to get a tree that prints back as SQL.
fn parse(sql: &str) -> Result<Expr, ExpressionError> {
    let refused = |e: &dyn std::fmt::Display| {
        ExpressionError::Refused(
            e.to_string()
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_string(),
        )
    };
    let _validated = polars::sql::sql_expr(sql).map_err(|e| refused(&e))?;
    let mut parser = Parser::new(&GenericDialect {})
        .try_with_sql(sql)
        .map_err(|e| refused(&e))?;
    let expr = parser.parse_expr().map_err(|e| refused(&e))?;
    match parser.peek_token().token {
        Token::EOF => Ok(expr),
        token => Err(ExpressionError::NotBare(token.to_string())),
    }
}

/// Aggregate functions (lower case) that get the measure's filter; a scalar function around or
/// inside one (COALESCE, ABS, ROUND …) does not.
const AGGREGATES: &[&str] = &[
    "sum",
    "count",
    "min",
    "max",
    "avg",
    "mean",
    "median",
    "first",
    "last",
    "stddev",
    "stddev_pop",
    "stddev_samp",
    "variance",
    "var_pop",
    "var_samp",
    "count_if",
    "bool_and",
    "bool_or",
    "any_value",
    "array_agg",
    "string_agg",
];

fn function_name(f: &Function) -> String {
    match f.name.0.last() {
        Some(ObjectNamePart::Identifier(id)) => id.value.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// Quotes identifiers, writes `x::T` as `CAST(x AS T)`, attaches `filter` to every aggregate
/// call, guards `SUM` against NULL and (Spark) spells awkward string literals portably.
fn rewrite(expr: &mut Expr, dialect: Dialect, filter: Option<&Expr>) {
    let quote = dialect.quote_char();
    let _ = visit_expressions_mut(expr, |e| {
        match e {
            Expr::Identifier(id) => id.quote_style = Some(quote),
            Expr::CompoundIdentifier(ids) => {
                for id in ids {
                    id.quote_style = Some(quote);
                }
            }
            Expr::Cast { kind, .. } if *kind == CastKind::DoubleColon => *kind = CastKind::Cast,
            Expr::Value(v) if dialect == Dialect::Spark => {
                if let Value::SingleQuotedString(s) = &v.value {
                    if s.contains(['\'', '\\']) {
                        *e = spark_string(s);
                    }
                }
            }
            Expr::Function(f) => {
                let name = function_name(f);
                if AGGREGATES.contains(&name.as_str()) {
                    if let Some(filter) = filter {
                        f.filter = Some(Box::new(match f.filter.take() {
                            Some(own) => Expr::BinaryOp {
                                left: Box::new(Expr::Nested(own)),
                                op: BinaryOperator::And,
                                right: Box::new(Expr::Nested(Box::new(filter.clone()))),
                            },
                            None => filter.clone(),
                        }));
                    }
                    if name == "sum" {
                        let sum = std::mem::replace(e, Expr::value(Value::Null));
                        *e = call("COALESCE", vec![sum, number("0")]);
                    }
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
}

fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name: ObjectName::from(vec![Ident::new(name)]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args
                .into_iter()
                .map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(a)))
                .collect(),
            clauses: Vec::new(),
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: Vec::new(),
    })
}

fn number(text: &str) -> Expr {
    Expr::value(Value::Number(text.to_string(), false))
}

/// A string literal holding `'` or `\` for Spark, whose lexer reads `\` as an escape and `''`
/// as two adjacent literals: the plain pieces joined with `chr(39)` and `chr(92)`.
fn spark_string(s: &str) -> Expr {
    let mut args = Vec::new();
    let mut piece = String::new();
    for ch in s.chars() {
        let code = match ch {
            '\'' => "39",
            '\\' => "92",
            _ => {
                piece.push(ch);
                continue;
            }
        };
        if !piece.is_empty() {
            args.push(Expr::value(Value::SingleQuotedString(std::mem::take(
                &mut piece,
            ))));
        }
        args.push(call("chr", vec![number(code)]));
    }
    if !piece.is_empty() {
        args.push(Expr::value(Value::SingleQuotedString(piece)));
    }
    call("concat", args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::load::load_from_strings;

    #[test]
    fn filter_goes_on_every_aggregate_and_sum_is_null_guarded() {
        // (expression, filter, Spark, DuckDB)
        let cases = [
            (
                "SUM(CASE WHEN kenh = 'truc_tuyen' THEN 1 ELSE 0 END)",
                None,
                "COALESCE(SUM(CASE WHEN `kenh` = 'truc_tuyen' THEN 1 ELSE 0 END), 0)",
                "COALESCE(SUM(CASE WHEN \"kenh\" = 'truc_tuyen' THEN 1 ELSE 0 END), 0)",
            ),
            (
                "COUNT(*)",
                Some("NOT mat"),
                "COUNT(*) FILTER (WHERE NOT `mat`)",
                "COUNT(*) FILTER (WHERE NOT \"mat\")",
            ),
            (
                "SUM(so_tien) / COUNT(*)",
                Some("kenh = 'truc_tuyen' AND NOT mat"),
                "COALESCE(SUM(`so_tien`) FILTER (WHERE `kenh` = 'truc_tuyen' AND NOT `mat`), 0) \
                 / COUNT(*) FILTER (WHERE `kenh` = 'truc_tuyen' AND NOT `mat`)",
                "COALESCE(SUM(\"so_tien\") FILTER (WHERE \"kenh\" = 'truc_tuyen' AND NOT \"mat\"), 0) \
                 / COUNT(*) FILTER (WHERE \"kenh\" = 'truc_tuyen' AND NOT \"mat\")",
            ),
            // a scalar function around an aggregate gets no FILTER; `::` becomes CAST
            (
                "ROUND(MAX(diem::double), 1)",
                Some("danh_gia IS NOT NULL"),
                "ROUND(MAX(CAST(`diem` AS DOUBLE)) FILTER (WHERE `danh_gia` IS NOT NULL), 1)",
                "ROUND(MAX(CAST(\"diem\" AS DOUBLE)) FILTER (WHERE \"danh_gia\" IS NOT NULL), 1)",
            ),
        ];
        for (sql, filter, spark, duckdb) in cases {
            assert_eq!(
                measure_sql(sql, filter, Dialect::Spark).as_deref(),
                Ok(spark),
                "{sql}"
            );
            assert_eq!(
                measure_sql(sql, filter, Dialect::DuckDb).as_deref(),
                Ok(duckdb),
                "{sql}"
            );
        }
    }

    #[test]
    fn identifiers_are_quoted_the_engine_way() {
        // a double-quoted identifier of polars' SQL is a string literal in Spark: requoted
        assert_eq!(
            measure_sql("SUM(\"Số tiền\")", None, Dialect::Spark).as_deref(),
            Ok("COALESCE(SUM(`Số tiền`), 0)")
        );
        assert_eq!(Dialect::Spark.quote("a`b"), "`a``b`");
        assert_eq!(Dialect::DuckDb.quote("a\"b"), "\"a\"\"b\"");
        assert_eq!(
            Dialect::DuckDb.quote("ho-so__numerator"),
            "\"ho-so__numerator\""
        );
    }

    #[test]
    fn string_literals_survive_both_lexers() {
        let sql = "SUM(CASE WHEN ghi_chu = 'it''s a\\b' THEN 1 ELSE 0 END)";
        assert_eq!(
            measure_sql(sql, None, Dialect::DuckDb).as_deref(),
            Ok("COALESCE(SUM(CASE WHEN \"ghi_chu\" = 'it''s a\\b' THEN 1 ELSE 0 END), 0)")
        );
        assert_eq!(
            measure_sql(sql, None, Dialect::Spark).as_deref(),
            Ok(
                "COALESCE(SUM(CASE WHEN `ghi_chu` = concat('it', chr(39), 's a', chr(92), 'b') \
                THEN 1 ELSE 0 END), 0)"
            )
        );
    }

    #[test]
    fn what_polars_refuses_is_refused() {
        assert!(matches!(
            measure_sql("SUM(", None, Dialect::Spark),
            Err(ExpressionError::Refused(_))
        ));
        assert!(matches!(
            measure_sql("COUNT(*)", Some("kenh ="), Dialect::DuckDb),
            Err(ExpressionError::Filter(e)) if matches!(*e, ExpressionError::Refused(_))
        ));
        // polars accepts an alias; a partial column has its own name, so refuse it
        assert_eq!(
            measure_sql("COUNT(*) AS n", None, Dialect::DuckDb),
            Err(ExpressionError::NotBare("AS".to_string()))
        );
    }

    const CATALOGUE: &str = r#"
id = "t"
title = "t"
[dataset.ho_so]
unit = "ma_don_vi"
date = "ngay"
columns = ["kenh", "mat"]
"#;
    const INDICATORS: &str = r#"
[[indicator]]
id = "truc-tuyen"
name = "Tỷ lệ hồ sơ trực tuyến"
unit = "%"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
numerator = "SUM(CASE WHEN kenh = 'truc_tuyen' THEN 1 ELSE 0 END)"
denominator = "COUNT(*)"
[[indicator]]
id = "vneid"
name = "Reported"
unit = "%"
direction = "higher"
[[indicator]]
id = "khong-mat"
name = "Hồ sơ không mật"
unit = "count"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
value = "COUNT(*)"
filter = "NOT mat"
"#;

    #[test]
    fn one_query_per_dataset_with_the_partial_columns() {
        let loaded = load_from_strings(&[("catalogue.toml", CATALOGUE), ("i.toml", INDICATORS)]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let c = &loaded.catalogue;
        let duckdb = dataset_query(c, &c.datasets[0], Dialect::DuckDb);
        assert_eq!(
            duckdb.ok().flatten().as_deref(),
            Some(
                r#"SELECT
  CAST("ma_don_vi" AS VARCHAR) AS "unit",
  CAST(year(CAST("ngay" AS DATE)) * 100 + month(CAST("ngay" AS DATE)) AS INT) AS "month",
  CAST(COALESCE(SUM(CASE WHEN "kenh" = 'truc_tuyen' THEN 1 ELSE 0 END), 0) AS DOUBLE) AS "truc-tuyen__numerator",
  CAST(COUNT(*) AS DOUBLE) AS "truc-tuyen__denominator",
  CAST(COUNT(*) FILTER (WHERE NOT "mat") AS DOUBLE) AS "khong-mat__value"
FROM "ho_so"
WHERE "ngay" IS NOT NULL
GROUP BY 1, 2"#
            )
        );
        let spark = dataset_query(c, &c.datasets[0], Dialect::Spark)
            .ok()
            .flatten()
            .unwrap_or_default();
        assert!(spark.starts_with("SELECT\n  CAST(`ma_don_vi` AS STRING) AS `unit`,"));
        assert!(spark.contains("AS `khong-mat__value`\nFROM `ho_so`\n"));
        assert_eq!(
            fused::partial_columns(c),
            [
                "truc-tuyen__numerator",
                "truc-tuyen__denominator",
                "khong-mat__value"
            ]
        );
    }
}
