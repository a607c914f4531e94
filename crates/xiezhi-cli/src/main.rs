//! The `xiezhi` command. Argument parsing, output formatting and exit codes only: the work is
//! done by `xiezhi-scan`, `xiezhi-detect`, `xiezhi-map`, `xiezhi-check` and `xiezhi-model`.
//!
//! Exit status: 0 = success and nothing at or above `--fail-on` (or all eval floors hold, or
//! every required cross-border mechanism in place, or no duty at or above `duties --fail-on`), 1 =
//! findings at or above `--fail-on` (or an eval floor missed, or a cross-border mechanism
//! missing, expired or filed late, or a duty overdue), 2 = error,
//! usage errors included.

mod audit_cmd;
mod check_cmd;
mod cli;
mod db_cmd;
mod duties_cmd;
mod eval_cmd;
mod incident_cmd;
mod init_cmd;
mod keys_cmd;
mod map_cmd;
mod progress;
mod report_cmd;
mod rights_cmd;
mod rules_cmd;
mod scan_cmd;
mod schema_cmd;
mod serve_cmd;
mod table;
mod xborder_cmd;

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use serde::Serialize;
use xiezhi_model::{Lang, PiType, SensitivityPack};

use crate::cli::{Cli, Command, ListFormat, TypesArgs};

/// Exit status for findings at or above `--fail-on`, or a missed eval floor.
const EXIT_FINDINGS: u8 = 1;
/// Exit status for errors.
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    // A panic message may quote file content (a slice of a line): never print it.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "xiezhi: internal error{at}; its message is withheld because it may quote scanned content. Please report this bug."
        );
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_ERROR)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Scan(args) => scan_cmd::run(args),
        Command::Types(args) => types(&args).map(|()| false),
        Command::Eval(args) => eval_cmd::run(args),
        Command::Init(args) => init_cmd::run(&args).map(|()| false),
        Command::Schema(args) => schema_cmd::run(&args).map(|()| false),
        Command::Map(cli::MapCommand::Check(args)) => map_cmd::check(&args).map(|()| false),
        Command::Check(args) => check_cmd::run(&args),
        Command::Xborder(args) => xborder_cmd::run(&args),
        Command::Duties(args) => duties_cmd::run(&args),
        Command::Rules(cli::RulesCommand::Render(args)) => rules_cmd::render(&args),
        Command::Rules(cli::RulesCommand::Diff(args)) => rules_cmd::diff(&args),
        Command::Rules(cli::RulesCommand::Publish(args)) => rules_cmd::publish(&args),
        Command::Serve(args) => serve_cmd::run(args),
        Command::Audit(cmd) => audit_cmd::run(cmd),
        Command::Token(cmd) => keys_cmd::token(cmd),
        Command::Apikey(cmd) => keys_cmd::apikey(cmd),
        Command::Rights(cmd) => rights_cmd::run(cmd),
        Command::Report(args) => report_cmd::run(&args),
        Command::Incident(cmd) => incident_cmd::run(cmd),
    };
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(EXIT_FINDINGS),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

#[derive(Serialize)]
struct TypeRow {
    id: &'static str,
    name_zh: &'static str,
    name_en: &'static str,
    category: &'static str,
    personal: bool,
    detector: &'static str,
    sensitive: Vec<PackRow>,
}

#[derive(Serialize)]
struct PackRow {
    pack: &'static str,
    sensitive: bool,
    basis: &'static str,
}

fn types(args: &TypesArgs) -> Result<()> {
    let lang: Lang = args.lang.into();
    let text = match args.format {
        ListFormat::Table => table::render_types(lang),
        ListFormat::Json => {
            let rows: Vec<TypeRow> = PiType::ALL
                .iter()
                .map(|&t| TypeRow {
                    id: t.id(),
                    name_zh: t.name_zh(),
                    name_en: t.name_en(),
                    category: t.category().id(),
                    personal: t.is_personal(),
                    detector: match t.detector_kind() {
                        xiezhi_model::DetectorKind::Value => "value",
                        xiezhi_model::DetectorKind::Context => "context",
                    },
                    sensitive: SensitivityPack::ALL
                        .iter()
                        .map(|&p| PackRow {
                            pack: p.id(),
                            sensitive: p.is_sensitive(t),
                            basis: p.basis(t),
                        })
                        .collect(),
                })
                .collect();
            let mut s =
                serde_json::to_string_pretty(&rows).context("cannot serialise the types")?;
            s.push('\n');
            s
        }
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to stdout")?;
    Ok(())
}
