//! Tables for people (`--format table`, `xiezhi types`). Only masked values appear, unless the
//! user asked for raw values with `--show-values` (then the examples are raw).

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use xiezhi_model::{Lang, PiType, SensitivityPack};
use xiezhi_scan::summary::Summary;

use crate::scan_cmd::{Observed, WARNINGS_LISTED};

/// Files listed in the "top files" table.
const TOP_FILES_LISTED: usize = 10;

fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

fn new_table(header: Vec<&str>) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    t
}

fn right(t: &mut Table, columns: &[usize]) {
    for &c in columns {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
}

fn yes_no(lang: Lang, b: bool) -> &'static str {
    if b {
        tr(lang, "是", "yes")
    } else {
        tr(lang, "否", "no")
    }
}

/// `1.2 MB` in powers of 1000, like the MB/s figure.
fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit + 1 < UNITS.len() {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS.get(unit).copied().unwrap_or("B"))
    }
}

/// The totals in one sentence.
pub fn one_line_summary(s: &Summary, lang: Lang) -> String {
    let warnings: u64 = s.warnings.values().sum();
    let (scanned, with_findings) = (s.files_scanned, s.files_with_findings);
    let (binary, empty, unreadable) = (s.files_binary, s.files_empty, s.files_unreadable);
    let (read, secs, mbps) = (
        human_bytes(s.bytes_scanned),
        s.elapsed_secs,
        s.megabytes_per_second(),
    );
    let (threads, pack) = (s.threads, &s.pack);
    let (values, columns, sensitive) = (s.match_findings, s.column_findings, s.sensitive_findings);
    match lang {
        Lang::ZhCn => format!(
            "扫描文件 {scanned}（有发现 {with_findings}），跳过：二进制 {binary}、空文件 {empty}、无法读取 {unreadable}；读取 {read}，用时 {secs:.2} 秒，{mbps:.1} MB/秒，{threads} 线程；发现 {values} 个值、{columns} 列（敏感 {sensitive}）；警告 {warnings}；敏感个人信息依据 {pack}"
        ),
        Lang::En => format!(
            "{scanned} files scanned ({with_findings} with findings); skipped: {binary} binary, {empty} empty, {unreadable} unreadable; {read} read in {secs:.2} s, {mbps:.1} MB/s, {threads} threads; {values} values and {columns} columns found ({sensitive} sensitive); {warnings} warnings; sensitive PI per {pack}"
        ),
    }
}

/// The `--format table` output of `xiezhi scan`.
pub fn render_scan(s: &Summary, observed: &Observed, lang: Lang, show_values: bool) -> String {
    let mut out = String::new();

    // Types, most values first.
    let mut rows: Vec<(&PiType, &xiezhi_scan::summary::TypeTotals)> = s.by_type.iter().collect();
    rows.sort_by(|a, b| {
        (b.1.values + b.1.columns)
            .cmp(&(a.1.values + a.1.columns))
            .then(a.0.cmp(b.0))
    });
    if rows.is_empty() {
        out.push_str(tr(
            lang,
            "未发现个人信息。\n",
            "No personal information found.\n",
        ));
    } else {
        let examples_header = if show_values {
            tr(lang, "示例（原文）", "examples (raw)")
        } else {
            tr(lang, "示例（已脱敏）", "examples (masked)")
        };
        let mut t = new_table(vec![
            tr(lang, "类型", "type"),
            "id",
            tr(lang, "值", "values"),
            tr(lang, "列", "columns"),
            tr(lang, "文件", "files"),
            tr(lang, "敏感", "sensitive"),
            examples_header,
        ]);
        for (ty, totals) in rows {
            let examples = observed
                .examples
                .get(ty)
                .map(|v| v.join("\n"))
                .unwrap_or_default();
            let mut name = ty.name(lang).to_owned();
            if !ty.is_personal() {
                name.push_str(tr(lang, "（非个人信息）", " (not PI)"));
            }
            t.add_row(vec![
                name,
                ty.id().to_owned(),
                totals.values.to_string(),
                totals.columns.to_string(),
                totals.files.to_string(),
                yes_no(lang, totals.sensitive).to_owned(),
                examples,
            ]);
        }
        right(&mut t, &[2, 3, 4]);
        out.push_str(&t.to_string());
        out.push('\n');
    }

    // Totals.
    out.push('\n');
    out.push_str(&one_line_summary(s, lang));
    out.push('\n');

    // Top files.
    if !s.files.is_empty() {
        out.push('\n');
        out.push_str(tr(
            lang,
            "发现最多的文件：\n",
            "Files with the most findings:\n",
        ));
        let mut t = new_table(vec![
            tr(lang, "文件", "file"),
            tr(lang, "值", "values"),
            tr(lang, "列", "columns"),
            tr(lang, "敏感", "sensitive"),
            tr(lang, "类型", "types"),
        ]);
        for f in s.files.iter().take(TOP_FILES_LISTED) {
            // Sensitive types first; at most four named, the rest counted.
            let mut all: Vec<_> = f.types.iter().collect();
            let pack: xiezhi_model::SensitivityPack = s.pack.parse().unwrap_or_default();
            all.sort_by_key(|t| !pack.is_sensitive(**t));
            let mut types: Vec<String> = all.iter().take(4).map(|t| t.id().to_owned()).collect();
            if all.len() > 4 {
                types.push(format!("+{}", all.len() - 4));
            }
            t.add_row(vec![
                f.path.clone(),
                f.values.to_string(),
                f.columns.to_string(),
                f.sensitive.to_string(),
                types.join(", "),
            ]);
        }
        right(&mut t, &[1, 2, 3]);
        out.push_str(&t.to_string());
        out.push('\n');
    }

    // Warnings.
    let total: u64 = s.warnings.values().sum();
    if total > 0 {
        out.push('\n');
        let counts: Vec<String> = s
            .warnings
            .iter()
            .map(|(reason, n)| format!("{reason} {n}"))
            .collect();
        out.push_str(&match lang {
            Lang::ZhCn => format!("警告 {total} 条（{}）：\n", counts.join("，")),
            Lang::En => format!("{total} warnings ({}):\n", counts.join(", ")),
        });
        let mut t = new_table(vec![
            tr(lang, "文件", "file"),
            tr(lang, "行", "line"),
            tr(lang, "原因", "reason"),
            tr(lang, "说明", "message"),
        ]);
        for w in observed.warnings.iter().take(WARNINGS_LISTED) {
            t.add_row(vec![
                w.path.clone(),
                w.line.map(|l| l.to_string()).unwrap_or_default(),
                w.reason.id().to_owned(),
                w.message.clone(),
            ]);
        }
        out.push_str(&t.to_string());
        out.push('\n');
        let listed = observed.warnings.len().min(WARNINGS_LISTED) as u64;
        if total > listed {
            out.push_str(&match lang {
                Lang::ZhCn => format!(
                    "另有 {} 条警告未列出（使用 --format json 查看全部）。\n",
                    total - listed
                ),
                Lang::En => format!(
                    "{} more warnings not listed (use --format json to see them all).\n",
                    total - listed
                ),
            });
        }
    }
    out
}

/// The table of `xiezhi types`.
pub fn render_types(lang: Lang) -> String {
    let mut t = new_table(vec![
        "id",
        tr(lang, "中文名称", "Chinese name"),
        tr(lang, "英文名称", "English name"),
        tr(lang, "类别（GB/T 35273）", "category (GB/T 35273)"),
        tr(lang, "敏感 gbt35273-2020", "sensitive gbt35273-2020"),
        tr(lang, "敏感 gbt45574-2025", "sensitive gbt45574-2025"),
    ]);
    for &ty in PiType::ALL {
        let category = match lang {
            Lang::ZhCn => ty.category().name_zh(),
            Lang::En => ty.category().name_en(),
        };
        t.add_row(vec![
            ty.id(),
            ty.name_zh(),
            ty.name_en(),
            category,
            yes_no(lang, SensitivityPack::Gbt35273_2020.is_sensitive(ty)),
            yes_no(lang, SensitivityPack::Gbt45574_2025.is_sensitive(ty)),
        ]);
    }
    let mut out = t.to_string();
    out.push('\n');
    out.push_str(tr(
        lang,
        "未满十四周岁未成年人的个人信息一律属于敏感个人信息（个人信息保护法第二十八条），按主体判断，不按类型。\n",
        "All PI of a child under 14 is sensitive (PIPL art. 28); that is decided per person, not per type.\n",
    ));
    out
}

/// The `--format table` output of a database scan: one row per labelled column.
pub fn render_db_scan(
    source: &str,
    scan: &xiezhi_scan::sql::DbScan,
    observed: &Observed,
    sample: u32,
    lang: Lang,
) -> String {
    let mut out = String::new();
    if scan.labels.is_empty() {
        out.push_str(tr(
            lang,
            "未发现含个人信息的列。\n",
            "No column holding personal information found.\n",
        ));
    } else {
        let mut t = new_table(vec![
            tr(lang, "表", "table"),
            tr(lang, "列", "column"),
            tr(lang, "类型", "type"),
            "id",
            tr(lang, "敏感", "sensitive"),
            tr(lang, "置信度", "confidence"),
            tr(lang, "命中/抽样", "matched/sampled"),
            tr(lang, "依据", "evidence"),
            tr(lang, "示例（已脱敏）", "example (masked)"),
        ]);
        for l in &scan.labels {
            t.add_row(vec![
                format!("{}.{}", l.schema, l.table),
                l.column.clone(),
                l.pi_type.name(lang).to_owned(),
                l.pi_type.id().to_owned(),
                yes_no(lang, l.sensitive).to_owned(),
                format!("{:.2}", l.confidence),
                format!("{}/{}", l.matched, l.sampled),
                l.evidence.join(", "),
                l.masked_example.clone().unwrap_or_default(),
            ]);
        }
        right(&mut t, &[5, 6]);
        out.push_str(&t.to_string());
        out.push('\n');
    }
    let s = &scan.summary;
    let columns: usize = scan.tables.iter().map(|t| t.columns.len()).sum();
    let warnings: u64 = s.warnings.values().sum();
    out.push('\n');
    out.push_str(&match lang {
        Lang::ZhCn => format!(
            "{source}：扫描表 {}（有发现 {}），列 {columns}，每列最多抽样 {sample} 个非空值（只读事务，样本不保存）；含个人信息的列 {}（敏感 {}）；用时 {:.2} 秒；警告 {warnings}；敏感个人信息依据 {}\n",
            s.files_scanned, s.files_with_findings, s.column_findings, s.sensitive_findings, s.elapsed_secs, s.pack
        ),
        Lang::En => format!(
            "{source}: {} tables scanned ({} with findings), {columns} columns, up to {sample} non-null values sampled per column (read-only transaction, samples not kept); {} columns hold PI ({} sensitive); {:.2} s; {warnings} warnings; sensitive PI per {}\n",
            s.files_scanned, s.files_with_findings, s.column_findings, s.sensitive_findings, s.elapsed_secs, s.pack
        ),
    });
    if !observed.warnings.is_empty() {
        out.push('\n');
        for w in observed.warnings.iter().take(WARNINGS_LISTED) {
            out.push_str(&format!("warning: {}: {}\n", w.path, w.message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_human() {
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_500_000), "1.5 MB");
    }

    #[test]
    fn types_table_lists_every_type() {
        let t = render_types(Lang::En);
        for ty in PiType::ALL {
            assert!(t.contains(ty.id()));
        }
    }
}
