//! `examples/project` (what the README serves) is exactly what `xiezhi init` writes, so the
//! two cannot drift. Regenerate with `rm -r examples/project && xiezhi init examples/project`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn examples_project_matches_the_init_templates() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let written = xiezhi_map::init_project(tmp.path()).expect("init");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/project");
    for path in written {
        let rel = path.strip_prefix(tmp.path()).expect("inside the temp dir");
        let fresh = std::fs::read_to_string(&path).expect("read fresh");
        let committed = std::fs::read_to_string(example.join(rel))
            .unwrap_or_else(|e| panic!("examples/project/{} is missing ({e})", rel.display()));
        assert_eq!(
            committed,
            fresh,
            "examples/project/{} differs from the init template; regenerate it",
            rel.display()
        );
    }
}
