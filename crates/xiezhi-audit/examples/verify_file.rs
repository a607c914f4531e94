//! Verifies an audit export offline and prints the verdict in English and Chinese:
//! `cargo run -p xiezhi-audit --example verify_file -- export.ndjson [public_key_hex ...]`.
//! With public keys given, the file's own key lines are not trusted. Exit code 1 when broken.

use std::io::BufReader;
use std::process::ExitCode;

use xiezhi_audit::{Lang, VerifyingKey, verify_export, verify_export_pinned};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: verify_file EXPORT.ndjson [PUBLIC_KEY_HEX ...]");
        return ExitCode::from(2);
    };
    let keys: Result<Vec<VerifyingKey>, _> = args[1..]
        .iter()
        .map(|k| VerifyingKey::from_hex(k))
        .collect();
    let report = std::fs::File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|file| {
            let reader = BufReader::new(file);
            let keys = keys.map_err(|e| e.to_string())?;
            if keys.is_empty() {
                verify_export(reader)
            } else {
                verify_export_pinned(reader, &keys)
            }
            .map_err(|e| e.to_string())
        });
    match report {
        Ok(report) => {
            println!("{}", report.summary(Lang::En));
            println!("{}", report.summary(Lang::ZhCn));
            if report.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            ExitCode::from(2)
        }
    }
}
