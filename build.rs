//! Converts the edition files (`rules/editions/*.yaml`) to JSON at build time.
//!
//! The binary embeds the editions and parses them on every run; JSON parses about twenty times
//! faster than YAML, which matters for the pre-commit case (one file, whole process). The YAML
//! files stay the source of truth; `edition::tests` checks both parse to the same editions.
//!
//! It also links the `nianbao` binary on Linux as a fixed-address executable (`-no-pie`). A
//! position-independent one makes the loader patch some 37,000 addresses (panic locations,
//! vtables, string tables) at every start, writing to ~170 pages of memory before `main`; on
//! the virtual machines CI and offices run on, those page faults were a third of the time of
//! checking one report (issue 23). The cost is that the binary's own code is not at a random
//! address (the heap, stack and libraries still are); a packager who wants PIE back builds
//! with `NIANBAO_PIE=1`.

use std::path::Path;

fn main() {
    println!("cargo::rerun-if-env-changed=NIANBAO_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if linux && std::env::var_os("NIANBAO_PIE").is_none() {
        println!("cargo::rustc-link-arg-bins=-no-pie");
    }
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
