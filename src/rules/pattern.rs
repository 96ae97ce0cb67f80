//! Code patterns, as `select`, `ignore`, `[severity]` and suppression comments write them: a
//! whole code (`T101`), a family or prefix (`T`, `T1`), or `ALL`, in any case. Owns matching a
//! pattern against a code and the message for one that names none; which codes exist is the
//! registry's (`registry::check_pattern`).

/// Whether `pattern` covers `code`.
pub fn matches(pattern: &str, code: &str) -> bool {
    let pattern = pattern.trim().to_uppercase();
    pattern == "ALL" || code.starts_with(&pattern)
}

/// The message for a pattern that names no code.
pub fn unknown_pattern(pattern: &str, closest: &str) -> String {
    format!("“{pattern}”不是检查代码，也不是代码前缀；最接近的代码是 {closest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_is_a_code_a_prefix_or_all_in_any_case() {
        assert!(matches("T101", "T101"));
        assert!(matches("t1", "T101"));
        assert!(matches(" all ", "Y003"));
        assert!(!matches("T102", "T101"));
        assert!(!matches("Y", "T101"));
    }
}
