//! Converts the edition files (`rules/editions/*.yaml`) to JSON at build time.
//!
//! The binary embeds the editions and parses them on every run; JSON parses about twenty times
//! faster than YAML, which matters for the pre-commit case (one file, whole process). The YAML
//! files stay the source of truth; `edition::tests` checks both parse to the same editions.

use std::path::Path;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in ["2019", "2021"] {
        let source = format!("rules/editions/{name}.yaml");
        println!("cargo::rerun-if-changed={source}");
        let text = std::fs::read_to_string(&source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let value: serde_json::Value =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{source}: {e}"));
        let json = serde_json::to_string(&value).unwrap_or_else(|e| panic!("{source}: {e}"));
        std::fs::write(Path::new(&out).join(format!("{name}.json")), json)
            .unwrap_or_else(|e| panic!("{out}: {e}"));
    }
}
