//! Prints one answers file with every open question of every report kind for a project:
//! `cargo run -p xiezhi-report --example report_template -- examples/project [en]`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use xiezhi_model::Lang;
use xiezhi_report::assess::Answers;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "examples/project".into());
    let lang = match args.next().as_deref() {
        Some("en") => Lang::En,
        _ => Lang::ZhCn,
    };
    let project = xiezhi_map::load_project(std::path::Path::new(&dir))
        .unwrap_or_else(|e| panic!("{dir}: {:?}", e.0));
    print!("{}", Answers::template_all(&project, lang));
}
