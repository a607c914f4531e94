//! `xiezhi map check [DIR]`: loads the data map and prints every error.

use anyhow::{Result, bail};
use serde::Serialize;
use xiezhi_map::load_project;
use xiezhi_model::Lang;

use crate::cli::{ListFormat, MapCheckArgs};

#[derive(Serialize)]
struct ErrorRow<'a> {
    file: String,
    line: u64,
    column: u64,
    kind: &'static str,
    message: &'a str,
    hint: Option<&'a str>,
}

pub fn check(args: &MapCheckArgs) -> Result<()> {
    let lang: Lang = args.lang.into();
    let errors = match load_project(&args.dir) {
        Ok(project) => {
            let count = |n: usize, zh: &str, en: &str| match lang {
                Lang::ZhCn => format!("{n} 个{zh}"),
                Lang::En => format!("{n} {en}"),
            };
            let datasets = project.each(|m| &m.datasets).count();
            let activities = project.each(|m| &m.activities).count();
            let recipients = project.each(|m| &m.recipients).count();
            let transfers = project.each(|m| &m.transfers).count();
            let parts = [
                count(datasets, "数据集", "datasets"),
                count(activities, "处理活动", "activities"),
                count(recipients, "接收方", "recipients"),
                count(transfers, "出境传输", "transfers"),
            ]
            .join(match lang {
                Lang::ZhCn => "，",
                Lang::En => ", ",
            });
            match args.format {
                ListFormat::Json => println!("[]"),
                ListFormat::Table => match lang {
                    Lang::ZhCn => println!("数据地图有效：{parts}"),
                    Lang::En => println!("data map is valid: {parts}"),
                },
            }
            return Ok(());
        }
        Err(e) => e.0,
    };
    match args.format {
        ListFormat::Json => {
            let rows: Vec<ErrorRow<'_>> = errors
                .iter()
                .map(|e| ErrorRow {
                    file: e.file.display().to_string(),
                    line: e.line,
                    column: e.column,
                    kind: e.kind.id(),
                    message: e.message.get(lang),
                    hint: e.hint.as_ref().map(|h| h.get(lang)),
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
        }
        ListFormat::Table => {
            for e in &errors {
                // Paths as the user can open them: relative to the current directory.
                let mut shown = e.clone();
                shown.file = args.dir.join(&e.file);
                println!("{}", shown.render(lang));
            }
        }
    }
    match lang {
        Lang::ZhCn => bail!("数据地图有 {} 个错误", errors.len()),
        Lang::En => bail!("{} error(s) in the data map", errors.len()),
    }
}
