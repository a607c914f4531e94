//! `xiezhi scan`.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use xiezhi_detect::{EngineConfig, TypeSet};
use xiezhi_model::{Finding, Lang, PiType, SensitivityPack, Warning};
use xiezhi_scan::report::{OutputFormat, ReportOptions, Reporter, reporter};
use xiezhi_scan::summary::Summary;
use xiezhi_scan::{FindingSink, ScanOptions, WalkOptions, scan};

use crate::cli::{FailOn, ScanArgs, ScanFormat};
use crate::progress::ProgressView;
use crate::table;

/// Examples of values kept per type for the table.
const EXAMPLES_PER_TYPE: usize = 3;
/// Warnings listed by the table (and on stderr for CSV output).
pub const WARNINGS_LISTED: usize = 20;

/// What the command saw besides the summary.
#[derive(Debug, Default)]
pub struct Observed {
    /// Up to three distinct example values per type (masked unless --show-values).
    pub examples: BTreeMap<PiType, Vec<String>>,
    /// The first warnings.
    pub warnings: Vec<Warning>,
    /// Findings at or above --fail-on.
    pub failing: u64,
}

/// Passes findings to the reporter (if any) and keeps what the exit status and the table need.
pub(crate) struct CliSink {
    pub(crate) reporter: Option<Box<dyn Reporter + Send>>,
    pub(crate) fail_on: FailOn,
    pub(crate) show_values: bool,
    pub(crate) observed: Observed,
}

impl CliSink {
    fn counts_for_failure(&self, f: &Finding) -> bool {
        if !f.pi_type().is_personal() {
            return false;
        }
        match self.fail_on {
            FailOn::Any => true,
            FailOn::Sensitive => f.sensitive(),
            FailOn::Confidence(c) => f.confidence() >= c,
            FailOn::Never => false,
        }
    }
}

impl FindingSink for CliSink {
    fn finding(&mut self, finding: &Finding) -> io::Result<()> {
        if self.counts_for_failure(finding) {
            self.observed.failing += 1;
        }
        if let Finding::Match(m) = finding {
            let examples = self.observed.examples.entry(m.pi_type).or_default();
            if examples.len() < EXAMPLES_PER_TYPE {
                let shown = match (&m.value, self.show_values) {
                    (Some(v), true) => v.clone(),
                    _ => m.masked.clone(),
                };
                if !examples.contains(&shown) {
                    examples.push(shown);
                }
            }
        }
        match &mut self.reporter {
            Some(r) => r.finding(finding),
            None => Ok(()),
        }
    }

    fn warning(&mut self, warning: &Warning) -> io::Result<()> {
        if self.observed.warnings.len() < WARNINGS_LISTED {
            self.observed.warnings.push(warning.clone());
        }
        match &mut self.reporter {
            Some(r) => r.warning(warning),
            None => Ok(()),
        }
    }
}

/// Runs the scan; returns whether findings reached --fail-on.
pub fn run(args: ScanArgs) -> Result<bool> {
    let lang: Lang = args.lang.into();
    let pack: SensitivityPack = args.pack.into();
    let urls: Vec<xiezhi_scan::sql::DbUrl> = args
        .paths
        .iter()
        .filter_map(|p| p.to_str().and_then(xiezhi_scan::sql::DbUrl::parse))
        .collect();
    if let Some(url) = urls.first() {
        if args.paths.len() > 1 {
            anyhow::bail!(match lang {
                Lang::ZhCn => "一次只能扫描一个数据库 URL，且不能与文件路径混用",
                Lang::En => "scan one database URL at a time, without file paths",
            });
        }
        return crate::db_cmd::run(&args, url, lang, pack);
    }
    if args.suggest.is_some() || args.labels_json.is_some() || args.write_comments {
        anyhow::bail!(match lang {
            Lang::ZhCn => {
                "--suggest、--labels-json 和 --write-comments 只用于数据库扫描（postgres://、mysql://、sqlite://）"
            }
            Lang::En => {
                "--suggest, --labels-json and --write-comments are for database scans (postgres://, mysql://, sqlite://)"
            }
        });
    }
    if args.show_values {
        let msg = match lang {
            Lang::ZhCn => {
                "警告：--show-values 会在输出中打印个人信息原文。请妥善保管输出内容，用后删除。"
            }
            Lang::En => {
                "warning: --show-values prints raw personal information; protect the output and delete it after use."
            }
        };
        eprintln!("{msg}");
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut types = if args.types.is_empty() {
        TypeSet::all()
    } else {
        args.types.iter().copied().collect()
    };
    for t in &args.exclude_types {
        types = types.without(*t);
    }
    let options = ScanOptions {
        paths,
        walk: WalkOptions {
            include: args.include.clone(),
            exclude: args.exclude.clone(),
            no_ignore: args.no_ignore,
            follow_links: args.follow_links,
            max_file_size: args.max_file_size,
            skip_paths: args.output.iter().cloned().collect(),
        },
        threads: args.threads,
        engine: EngineConfig {
            types,
            min_confidence: args.min_confidence,
        },
        pack,
        show_values: args.show_values,
        ..ScanOptions::default()
    };

    let (reporter, mut table_out) = open_output(&args, pack, lang, std::env::args().collect())?;
    let mut sink = CliSink {
        reporter,
        fail_on: args.fail_on,
        show_values: args.show_values,
        observed: Observed::default(),
    };

    let show_progress = !args.no_progress && io::stderr().is_terminal();
    let mut view = ProgressView::new(show_progress, lang);
    let summary = scan(&options, &mut sink, &mut |p| view.update(p));
    view.finish();
    let summary = summary.context(match lang {
        Lang::ZhCn => "扫描失败",
        Lang::En => "the scan failed",
    })?;

    if let Some(reporter) = sink.reporter.as_mut() {
        reporter
            .finish(&summary)
            .context("cannot write the end of the output; check the disk or the pipe")?;
    }
    if let Some(out) = table_out.as_mut() {
        let text = table::render_scan(&summary, &sink.observed, lang, args.show_values);
        out.write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .context("cannot write the summary table; check the disk or the pipe")?;
    }
    if args.format == ScanFormat::Csv {
        warnings_to_stderr(&summary, &sink.observed, lang);
    }
    Ok(sink.observed.failing > 0)
}

/// CSV output has no place for warnings or totals: they go to stderr.
pub(crate) fn warnings_to_stderr(summary: &Summary, observed: &Observed, lang: Lang) {
    let total: u64 = summary.warnings.values().sum();
    for w in &observed.warnings {
        eprintln!("warning: {}: {}: {}", w.path, w.reason.id(), w.message);
    }
    if total > observed.warnings.len() as u64 {
        eprintln!(
            "warning: {} more warnings not listed",
            total - observed.warnings.len() as u64
        );
    }
    eprintln!("{}", table::one_line_summary(summary, lang));
}

/// A machine reporter, or the table's writer.
pub(crate) type Outputs = (
    Option<Box<dyn Reporter + Send>>,
    Option<Box<dyn Write + Send>>,
);

/// Where a scan's results go: a machine reporter for `--format json|ndjson|csv|sarif`, or the
/// writer for the table (stdout or `--output`). `command_line` is recorded by the reporters
/// (redact secrets before passing it).
pub(crate) fn open_output(
    args: &ScanArgs,
    pack: SensitivityPack,
    lang: Lang,
    command_line: Vec<String>,
) -> Result<Outputs> {
    let out: Box<dyn Write + Send> = match &args.output {
        Some(path) => Box::new(File::create(path).with_context(|| {
            format!(
                "cannot create the output file `{}`; check that its directory exists and is writable",
                path.display()
            )
        })?),
        None => Box::new(io::stdout()),
    };
    let machine_format = match args.format {
        ScanFormat::Table => None,
        ScanFormat::Json => Some(OutputFormat::Json),
        ScanFormat::Ndjson => Some(OutputFormat::Ndjson),
        ScanFormat::Csv => Some(OutputFormat::Csv),
        ScanFormat::Sarif => Some(OutputFormat::Sarif),
    };
    Ok(match machine_format {
        Some(format) => {
            let report_options = ReportOptions {
                tool_version: env!("CARGO_PKG_VERSION").to_owned(),
                pack,
                lang,
                command_line,
            };
            (Some(reporter(format, out, report_options)), None)
        }
        None => (None, Some(out)),
    })
}
