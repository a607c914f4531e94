//! `xiezhi eval`: scan a labelled corpus and score the findings.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use xiezhi_detect::EngineConfig;
use xiezhi_model::Lang;
use xiezhi_scan::eval::{load_labels, score};
use xiezhi_scan::{CollectingSink, ScanOptions, WalkOptions, scan};

use crate::cli::{CorpusSize, EvalArgs, ListFormat};

/// The generator, relative to the repository root.
const GENERATOR: &str = "scripts/gen_eval_corpus.py";

/// Runs the evaluation; returns whether a floor was missed.
pub fn run(args: EvalArgs) -> Result<bool> {
    let lang: Lang = args.lang.into();
    if args.generate {
        generate(&args)?;
    }
    let labels = load_labels(&args.corpus).with_context(|| {
        format!(
            "cannot load the labels of the corpus `{}`; generate one with `xiezhi eval --corpus {} --generate`",
            args.corpus.display(),
            args.corpus.display()
        )
    })?;
    let options = ScanOptions {
        paths: vec![args.corpus.clone()],
        walk: WalkOptions {
            // The corpus is scanned as it is: its own ignore files do not count, and the label
            // files are not part of it.
            no_ignore: true,
            skip_paths: vec![
                args.corpus.join("labels.ndjson"),
                args.corpus.join("manifest.json"),
            ],
            ..WalkOptions::default()
        },
        threads: args.threads,
        engine: EngineConfig {
            min_confidence: args.min_confidence,
            ..EngineConfig::default()
        },
        ..ScanOptions::default()
    };
    let mut sink = CollectingSink::default();
    scan(&options, &mut sink, &mut |_| {})
        .with_context(|| format!("cannot scan the corpus `{}`", args.corpus.display()))?;
    let report = score(&labels, &args.corpus, &sink.findings);
    match args.format {
        ListFormat::Json => {
            let json = serde_json::to_string_pretty(&report)
                .context("cannot serialise the evaluation report")?;
            println!("{json}");
        }
        ListFormat::Table => {
            print!("{}", report.render_table(lang));
            if args.examples > 0 {
                println!();
                print!("{}", report.render_examples(args.examples, lang));
            }
        }
    }
    Ok(!report.passed())
}

/// Runs the corpus generator into `--corpus`.
fn generate(args: &EvalArgs) -> Result<()> {
    let script = find_generator(args.generator.as_deref())?;
    let size = match args.size {
        CorpusSize::Small => "small",
        CorpusSize::Full => "full",
    };
    let status = Command::new("python3")
        .arg(&script)
        .arg("--out")
        .arg(&args.corpus)
        .args(["--seed", &args.seed.to_string(), "--size", size, "--quiet"])
        .status()
        .context("cannot run python3 (3.11 or later is needed to generate the corpus); install it or generate the corpus elsewhere")?;
    if !status.success() {
        bail!(
            "the corpus generator `{}` failed ({status}); see its messages above",
            script.display()
        );
    }
    Ok(())
}

fn find_generator(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = given {
        if path.is_file() {
            return Ok(path.to_path_buf());
        }
        bail!("the generator `{}` does not exist", path.display());
    }
    let candidates = [
        PathBuf::from(GENERATOR),
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(GENERATOR),
    ];
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .with_context(|| {
            format!(
                "cannot find {GENERATOR}; run from the repository root or pass --generator FILE"
            )
        })
}
