//! chitieu as a library: check the shipped Lào Cai catalogue, read its data, score October 2026
//! and print each province and department with its score and grade, best first.
//!
//! ```sh
//! cargo run --example score
//! ```

use std::path::Path;
use std::process::ExitCode;

use chitieu::score::RunOptions;
use chitieu::Period;

fn main() -> ExitCode {
    match score() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn score() -> Result<(), Box<dyn std::error::Error>> {
    let loaded = chitieu::check(Path::new("indicators/lao-cai-2026-2030"))?;
    if loaded.has_errors() {
        return Err("the catalogue has errors: run `chitieu check`".into());
    }
    let catalogue = &loaded.catalogue;
    // only data the library admits can be scored: errors other than E302 refuse it
    let data = chitieu::score::admit(chitieu::load_data(Path::new("data/lao-cai"), catalogue))
        .data
        .ok_or("the data has errors: run `chitieu check --data data/lao-cai`")?;
    let opts = RunOptions {
        period: Period::parse("2026-10"),
        ..RunOptions::default()
    };
    let card = chitieu::score::run(catalogue, &data, &opts)?;
    println!("{} — {}", card.catalogue.title, card.period);
    let mut units: Vec<_> = card.units.iter().filter(|u| u.level != "xa").collect();
    units.sort_by(|a, b| b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)));
    for u in units {
        let score = u.score.map_or("-".to_string(), |s| format!("{s:.2}"));
        println!(
            "{score:>7}  {:<10} {}",
            u.grade.as_ref().map_or("-", |g| g.name.as_str()),
            u.name
        );
    }
    Ok(())
}
