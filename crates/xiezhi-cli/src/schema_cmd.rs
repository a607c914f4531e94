//! `xiezhi schema`: prints the JSON Schema of the data map.

use std::io::Write;

use anyhow::{Context, Result};

use crate::cli::SchemaArgs;

pub fn run(args: &SchemaArgs) -> Result<()> {
    let mut text = serde_json::to_string_pretty(&xiezhi_map::json_schema())
        .context("cannot serialise the schema")?;
    text.push('\n');
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .context("cannot write to stdout")?;
        }
    }
    Ok(())
}
