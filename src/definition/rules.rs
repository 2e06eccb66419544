//! Reading the keys of official-scoreboard rules (SPEC §5.7): `[rounding]` of a catalogue or an
//! indicator, and an indicator's `zero_denominator`, each problem located (E101, E103). Only
//! reading; what each rule means lives in `score::rules` (`rounding`, `empty_denominator`).

use super::fields::{integer_of, number_of, Fields};
use super::model::{Rounding, RoundingMode, ZeroDenominator};

/// The keys of a `[rounding]` table.
pub(crate) const ROUNDING_KEYS: &[&str] = &["value", "points", "mode"];

/// The `rounding` table of `f` (`[rounding]` in catalogue.toml, `rounding = { … }` on an
/// indicator): `value` and `points` whole numbers of decimals from 0 to
/// [`Rounding::MAX_DECIMALS`], `mode` `"half_even"` or `"half_up"`. Absent: nothing rounded.
/// An unknown key is E101, anything else wrong E103; the keys that are right are kept.
pub(crate) fn rounding(f: &mut Fields<'_, '_>) -> Rounding {
    let Some((table, span)) = f.table("rounding") else {
        return Rounding::default();
    };
    let mut r = Fields::new(table, span, f.path(), "rounding", ROUNDING_KEYS);
    let value = decimals(&mut r, "value");
    let points = decimals(&mut r, "points");
    let mode = r
        .choice("mode", RoundingMode::NAMES, RoundingMode::parse)
        .map(|m| m.into_inner());
    f.diags.append(&mut r.diags);
    Rounding {
        value,
        points,
        mode,
    }
}

/// A number of decimals: an integer from 0 to 6.
fn decimals(r: &mut Fields<'_, '_>, key: &str) -> Option<u32> {
    let v = r.get(key)?;
    let max = Rounding::MAX_DECIMALS;
    match integer_of(v.get_ref()) {
        Some(n) if (0..=i64::from(max)).contains(&n) => u32::try_from(n).ok(),
        _ => {
            let found = match number_of(v.get_ref()) {
                Some(n) => n.to_string(),
                None => v.get_ref().type_str().to_string(),
            };
            r.wrong(
                key,
                v.span(),
                format!(
                    "`{key}` must be a whole number of decimals from 0 to {max}, found {found}"
                ),
                format!("e.g. {key} = 2 (rounded to hundredths)"),
            );
            None
        }
    }
}

/// An indicator's `zero_denominator`: `"none"` (the default), `"zero"` or `"full"` (E103 else).
pub(crate) fn zero_denominator(f: &mut Fields<'_, '_>) -> ZeroDenominator {
    f.choice(
        "zero_denominator",
        ZeroDenominator::NAMES,
        ZeroDenominator::parse,
    )
    .map(|z| z.into_inner())
    .unwrap_or_default()
}
