//! Progress bar on stderr: only on a terminal, only once the scan has run for a second.

use std::time::Duration;

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};
use xiezhi_model::Lang;
use xiezhi_scan::Progress;

/// Scans shorter than this show no bar.
const DELAY: Duration = Duration::from_secs(1);

/// A spinner with files, bytes and findings, created lazily.
pub struct ProgressView {
    enabled: bool,
    lang: Lang,
    bar: Option<ProgressBar>,
}

impl ProgressView {
    /// A view that draws only when `enabled`.
    pub fn new(enabled: bool, lang: Lang) -> Self {
        ProgressView {
            enabled,
            lang,
            bar: None,
        }
    }

    /// Shows the latest numbers.
    pub fn update(&mut self, p: &Progress) {
        if !self.enabled || p.elapsed < DELAY {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                .with_elapsed(p.elapsed);
            if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        let secs = p.elapsed.as_secs_f64().max(0.001);
        let rate = HumanBytes((p.bytes as f64 / secs) as u64);
        let msg = match self.lang {
            Lang::ZhCn => format!(
                "文件 {}，{}（{rate}/秒），发现 {}，警告 {}",
                p.files,
                HumanBytes(p.bytes),
                p.findings,
                p.warnings
            ),
            Lang::En => format!(
                "{} files, {} ({rate}/s), {} findings, {} warnings",
                p.files,
                HumanBytes(p.bytes),
                p.findings,
                p.warnings
            ),
        };
        bar.set_message(msg);
    }

    /// Removes the bar.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
