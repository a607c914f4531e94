//! `xiezhi check [DIR]`: runs the article-level rules on the data map and prints findings.

use anyhow::{Result, bail};
use xiezhi_check::Date;
use xiezhi_check::rules::evaluate;
use xiezhi_map::load_project;
use xiezhi_model::Lang;

use crate::cli::{CheckArgs, ListFormat};

/// Returns `true` when there are findings (exit 1).
pub fn run(args: &CheckArgs) -> Result<bool> {
    let lang: Lang = args.lang.into();
    let as_of = match &args.as_of {
        Some(s) => Date::parse(s).map_err(|e| anyhow::anyhow!("--as-of {s}: {e}"))?,
        None => today(),
    };
    let project = match load_project(&args.dir) {
        Ok(p) => p,
        Err(errors) => {
            for e in &errors.0 {
                eprintln!("{e}");
            }
            bail!(
                "the data map has {} error(s); run `xiezhi map check`",
                errors.0.len()
            );
        }
    };
    let findings = evaluate(&project, as_of);
    match args.format {
        ListFormat::Json => println!("{}", serde_json::to_string_pretty(&findings)?),
        ListFormat::Table => {
            for f in &findings {
                let e = &f.exposure;
                let range = |r: Option<xiezhi_check::penalty::FineRange>| {
                    r.map_or_else(|| "-".to_string(), |r| r.text())
                };
                println!(
                    "{} [{}] {} ({})\n  {}\n  {}: {}  {}: {}",
                    f.location(),
                    f.rule,
                    f.articles.join(", "),
                    f.sr,
                    f.message(lang),
                    match lang {
                        Lang::ZhCn => "单位罚款",
                        Lang::En => "entity fine",
                    },
                    range(e.entity),
                    match lang {
                        Lang::ZhCn => "责任人员罚款",
                        Lang::En => "responsible persons",
                    },
                    range(e.persons),
                );
            }
            match lang {
                Lang::ZhCn => println!("{} 项发现（截至 {as_of}）", findings.len()),
                Lang::En => println!("{} finding(s) as of {as_of}", findings.len()),
            }
        }
    }
    Ok(!findings.is_empty())
}

/// Today's date (UTC) from the system clock.
fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Date::from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}
