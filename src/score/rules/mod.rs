//! The rules of official scoreboards (SPEC §5.7), one file each: [`rounding`] (`[rounding]`),
//! [`empty_denominator`] (`zero_denominator`), [`needed`] (records needed to meet a % target).
//! The keys are read with the catalogue (`definition::rules`); what they mean is decided here.

pub mod empty_denominator;
pub mod needed;
pub mod rounding;
