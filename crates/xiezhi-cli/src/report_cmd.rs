//! `xiezhi report KIND [DIR]`: assessments and annual reports built from the data map, the
//! rule findings and the service's evidence (requests, consent, audit chain), written as HTML,
//! Markdown, JSON or PDF, and recorded in the audit chain with the digests of every input.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use xiezhi_map::Project;
use xiezhi_model::Lang;
use xiezhi_report::assess::{
    self, Answers, AuditEvidence, CheckpointEvidence, ConsentEvidence, ConsentRow, Date, Document,
    Evidence, Format, Period, ReportInput, ReportKind, RightsEvidence, RightsRow,
    RulesVersionEvidence, VerifyEvidence,
};
use xiezhi_store::{NewReport, ReportInput as InputDigest, Store};

use crate::cli::{ReportArgs, ReportFormat};
use crate::serve_cmd::{data_dir, open_store, redact_url};

/// Runs `xiezhi report`. `Ok(true)` means "exit 1" (--strict and something is missing).
pub fn run(args: &ReportArgs) -> Result<bool> {
    let lang: Lang = args.lang.into();
    let kinds: Vec<ReportKind> = if args.kind == "all" {
        ReportKind::ALL.to_vec()
    } else {
        vec![ReportKind::parse(&args.kind).with_context(|| {
            format!(
                "unknown report kind `{}`: use one of {}, or all",
                args.kind,
                ReportKind::ALL.map(ReportKind::id).join(", ")
            )
        })?]
    };
    let project = crate::check_cmd::load(&args.dir)?;
    if args.template {
        for k in &kinds {
            print!("{}", Answers::template(*k, &project, lang));
        }
        return Ok(false);
    }
    let period = period(args)?;
    let (answers, answers_input) = load_answers(args)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let store = open_service_store(args).await?;
        let evidence = match (&store, args.no_evidence) {
            (Some((s, existed, url)), false) if *existed => {
                gather_evidence(s, &args.dir, args, period.year, url).await?
            }
            (Some((_, _, url)), false) => {
                eprintln!(
                    "note: no service database at {url} yet: request, consent and audit figures are listed as missing"
                );
                Evidence::default()
            }
            _ => Evidence::default(),
        };
        let mut inputs = project_digests(&project)?;
        if let Some(a) = answers_input {
            inputs.push(a);
        }
        if !args.no_evidence {
            let bytes = serde_json::to_vec(&evidence).context("serialising the evidence")?;
            inputs.push(InputDigest {
                name: format!("evidence:{}", evidence.source),
                digest: sha256(&bytes),
            });
        }
        let many = kinds.len() > 1;
        let mut missing_total = 0usize;
        for kind in kinds {
            let input = ReportInput {
                kind,
                project: &project,
                evidence: &evidence,
                answers: &answers,
                period,
                lang,
                subject: args.subject.clone(),
            };
            let doc = assess::build(&input).with_context(|| format!("building {kind}"))?;
            let bytes = output_bytes(&doc, args.format)?;
            let target = output_path(args, kind, many)?;
            match &target {
                Some(path) => {
                    std::fs::write(path, &bytes)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!("{}", path.display());
                }
                None => {
                    use std::io::Write as _;
                    std::io::stdout()
                        .write_all(&bytes)
                        .context("cannot write to stdout")?;
                }
            }
            report_missing(&doc, lang);
            missing_total += doc.missing.len();
            if !args.no_record
                && let Some((s, _, _)) = &store
            {
                let rec = s
                    .record_report(
                        &NewReport {
                            kind: kind.id().to_owned(),
                            subject: args.subject.clone(),
                            period_year: Some(period.year),
                            lang: lang_tag(lang).to_owned(),
                            format: format_id(args.format).to_owned(),
                            output_digest: sha256(&bytes),
                            inputs: inputs.clone(),
                            missing: u32::try_from(doc.missing.len()).unwrap_or(u32::MAX),
                        },
                        "cli",
                        xiezhi_decide::time::now_millis(),
                    )
                    .await
                    .context("cannot record the report in the audit chain")?;
                eprintln!(
                    "{}",
                    match lang {
                        Lang::ZhCn => format!(
                            "已记入审计链：序号 {}（{} 个输入的摘要）",
                            rec.seq,
                            inputs.len()
                        ),
                        Lang::En => format!(
                            "recorded in the audit chain: seq {} ({} input digests)",
                            rec.seq,
                            inputs.len()
                        ),
                    }
                );
            }
        }
        if let Some((s, _, _)) = store {
            s.close().await;
        }
        Ok(args.strict && missing_total > 0)
    })
}

fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "zh-CN",
        Lang::En => "en",
    }
}

fn format_id(f: ReportFormat) -> &'static str {
    match f {
        ReportFormat::Html => "html",
        ReportFormat::Markdown => "markdown",
        ReportFormat::Json => "json",
        ReportFormat::Pdf => "pdf",
    }
}

fn extension(f: ReportFormat) -> &'static str {
    match f {
        ReportFormat::Html => "html",
        ReportFormat::Markdown => "md",
        ReportFormat::Json => "json",
        ReportFormat::Pdf => "pdf",
    }
}

/// `sha256:<hex>`.
fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// The period: --year (default the year before --as-of's, or before today's), judged at
/// --as-of (default 31 December of the year).
fn period(args: &ReportArgs) -> Result<Period> {
    let as_of = match &args.as_of {
        Some(s) => Some(Date::parse(s).map_err(|e| anyhow::anyhow!("--as-of {s}: {e}"))?),
        None => None,
    };
    let year = match (args.year, as_of) {
        (Some(y), _) => y,
        (None, Some(d)) => d.year() - 1,
        (None, None) => crate::check_cmd::parse_as_of(None)?.year() - 1,
    };
    let mut p = Period::year_end(year).map_err(|e| anyhow::anyhow!("--year {year}: {e}"))?;
    if let Some(d) = as_of {
        p.as_of = d;
    }
    Ok(p)
}

fn load_answers(args: &ReportArgs) -> Result<(Answers, Option<InputDigest>)> {
    let path: Option<PathBuf> = match &args.answers {
        Some(p) => Some(p.clone()),
        None => {
            let p = args.dir.join("answers.yaml");
            p.exists().then_some(p)
        }
    };
    let Some(path) = path else {
        return Ok((Answers::default(), None));
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the answers file {}", path.display()))?;
    let answers = Answers::from_yaml(&text, &path)?;
    Ok((
        answers,
        Some(InputDigest {
            name: format!("answers:{}", path.display()),
            digest: sha256(text.as_bytes()),
        }),
    ))
}

/// The digests of `xiezhi.yaml` and every data-map file, by path relative to the project.
fn project_digests(project: &Project) -> Result<Vec<InputDigest>> {
    let mut paths = vec![PathBuf::from("xiezhi.yaml")];
    paths.extend(project.files.iter().map(|f| f.path.clone()));
    paths
        .into_iter()
        .map(|rel| {
            let bytes = std::fs::read(project.root.join(&rel))
                .with_context(|| format!("cannot read {}", project.root.join(&rel).display()))?;
            Ok(InputDigest {
                name: rel.display().to_string(),
                digest: sha256(&bytes),
            })
        })
        .collect()
}

/// The service store, with whether its database existed before and its redacted URL. `None`
/// only when neither evidence nor recording is wanted.
async fn open_service_store(args: &ReportArgs) -> Result<Option<(Store, bool, String)>> {
    if args.no_evidence && args.no_record {
        return Ok(None);
    }
    let existed = match &args.store.database {
        Some(_) => true,
        None => data_dir(&args.dir, &args.store).join("xiezhi.db").exists(),
    };
    let url = crate::serve_cmd::database_url(&args.dir, &args.store)?;
    let store = open_store(&args.dir, &args.store).await?;
    Ok(Some((store, existed, redact_url(&url))))
}

/// Reads the year's rights statistics, consent statistics, rules versions and the audit
/// chain's head, checkpoints and verification from the store (counts and digests only).
async fn gather_evidence(
    store: &Store,
    dir: &Path,
    args: &ReportArgs,
    year: i32,
    url: &str,
) -> Result<Evidence> {
    let now = xiezhi_decide::time::now_millis();
    let (from, to, from_s, _) = xiezhi_rights::workflow::stats_window(
        Some(&format!("{year}-01-01")),
        Some(&format!("{}-01-01", year + 1)),
        now,
    )?;
    let rights = store
        .rights_stats(from, to)
        .await
        .context("cannot read the rights-request statistics")?;
    let last_day = Date::new(year, 12, 31)
        .map_err(|e| anyhow::anyhow!("{year}: {e}"))?
        .to_string();
    let consent = store
        .consent_stats()
        .await
        .context("cannot read the consent statistics")?;
    let versions = store
        .rules_versions()
        .await
        .context("cannot read the published rules versions")?;
    let checkpoints = store
        .audit_checkpoints()
        .await
        .context("cannot read the audit checkpoints")?;
    let events_in_period = store
        .audit_event_count(from, to)
        .await
        .context("cannot count the audit events")?;
    let keys = crate::audit_cmd::service_keys(dir, &args.store)?;
    let verify = store
        .audit_verify(&keys)
        .await
        .context("cannot verify the audit chain")?;
    let rfc3339 = |ms: i64| xiezhi_decide::time::format_rfc3339(ms);
    Ok(Evidence {
        rights: Some(RightsEvidence {
            from: from_s,
            to: last_day,
            rows: rights
                .into_iter()
                .map(|r| RightsRow {
                    kind: r.kind,
                    state: r.state,
                    count: u64::try_from(r.count).unwrap_or(0),
                    late: u64::try_from(r.late).unwrap_or(0),
                    mean_close_hours: r.mean_close_ms.map(|ms| ms / 3_600_000.0),
                })
                .collect(),
        }),
        consent: Some(ConsentEvidence {
            rows: consent
                .into_iter()
                .map(|c| ConsentRow {
                    rules_version: c.rules_version.unwrap_or_default(),
                    status: c.status,
                    count: u64::try_from(c.count).unwrap_or(0),
                })
                .collect(),
        }),
        audit: Some(AuditEvidence {
            head_seq: u64::try_from(verify.last_seq).unwrap_or(0),
            head_hash: verify.last_hash.clone(),
            events_in_period: u64::try_from(events_in_period).unwrap_or(0),
            checkpoints: checkpoints
                .iter()
                .map(|c| CheckpointEvidence {
                    seq: u64::try_from(c.seq).unwrap_or(0),
                    at: rfc3339(c.at),
                    key_id: c.key_id.clone(),
                })
                .collect(),
            verify: Some(VerifyEvidence {
                ok: verify.is_ok(),
                events: verify.events,
                at: rfc3339(now),
                detail: verify
                    .first_bad
                    .as_ref()
                    .map(|b| b.message(xiezhi_store::Lang::En))
                    .unwrap_or_default(),
            }),
        }),
        rules_versions: versions
            .iter()
            .map(|v| RulesVersionEvidence {
                version: v.version.to_string(),
                digest: v.digest.clone(),
                published_at: rfc3339(v.published_at),
            })
            .collect(),
        source: format!("{url} at {}", rfc3339(now)),
    })
}

fn output_bytes(doc: &Document, format: ReportFormat) -> Result<Vec<u8>> {
    Ok(match format {
        ReportFormat::Html => assess::render(doc, Format::Html).into_bytes(),
        ReportFormat::Markdown => assess::render(doc, Format::Markdown).into_bytes(),
        ReportFormat::Json => assess::render(doc, Format::Json).into_bytes(),
        ReportFormat::Pdf => {
            let html = assess::render(doc, Format::Html);
            let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
            let out = dir.path().join("report.pdf");
            xiezhi_report::pdf::html_to_pdf(
                &html,
                &out,
                &xiezhi_report::pdf::PdfOptions::default(),
            )
            .context("cannot print the PDF")?;
            std::fs::read(&out).with_context(|| format!("cannot read {}", out.display()))?
        }
    })
}

fn output_path(args: &ReportArgs, kind: ReportKind, many: bool) -> Result<Option<PathBuf>> {
    let ext = extension(args.format);
    match (&args.output, many) {
        (Some(dir), true) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the directory {}", dir.display()))?;
            Ok(Some(dir.join(format!("{}.{ext}", kind.id()))))
        }
        (Some(file), false) => Ok(Some(file.clone())),
        (None, true) => {
            bail!("KIND all writes one file per report: give a directory with --output DIR")
        }
        (None, false) if args.format == ReportFormat::Pdf => {
            bail!("a PDF is not written to a terminal: give a file with --output FILE")
        }
        (None, false) => Ok(None),
    }
}

/// Lists what the document still misses on stderr.
fn report_missing(doc: &Document, lang: Lang) {
    if doc.missing.is_empty() {
        return;
    }
    eprintln!(
        "{}",
        match lang {
            Lang::ZhCn => format!("{}：仍缺 {} 项：", doc.kind, doc.missing.len()),
            Lang::En => format!("{}: {} item(s) still missing:", doc.kind, doc.missing.len()),
        }
    );
    for m in &doc.missing {
        eprintln!("  - [{}] {} — {}", m.section, m.what, m.location);
    }
}
