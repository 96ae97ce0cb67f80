//! Chinese wording for causes that libraries report in English: TOML syntax errors (`toml`'s
//! parser) and the serde messages of a TOML file with the wrong shape.
//!
//! Each message is matched by its fixed English words; a message not known here is kept, in
//! brackets, after a general Chinese description, so nothing the library said is lost.

/// `toml` parser messages (toml_parser 1.x) and their Chinese wording, matched as prefixes.
const TOML_SYNTAX: &[(&str, &str)] = &[
    ("duplicate key", "键重复"),
    ("duplicate table", "表重复"),
    (
        "invalid unquoted key",
        "键不合法（含空格或中文的键须加引号）",
    ),
    ("unquoted keys cannot be empty", "键不能为空"),
    ("invalid key-value pair", "键值对不合法"),
    ("invalid key", "键不合法"),
    ("key with no value", "键没有值"),
    ("missing value for key", "键没有值"),
    ("missing value", "缺少值"),
    (
        "missing assignment between key-value pairs",
        "键与值之间缺少“=”",
    ),
    ("extra assignment between key-value pairs", "多了一个“=”"),
    ("extra `=`", "多了一个“=”"),
    (
        "missing comma between array elements",
        "数组元素之间缺少逗号",
    ),
    (
        "missing comma between key-value pairs",
        "键值对之间缺少逗号",
    ),
    ("extra comma in array", "数组中多了逗号"),
    ("extra comma in inline table", "内联表中多了逗号"),
    ("unclosed array table", "数组表缺少“]]”"),
    ("unclosed array", "数组缺少“]”"),
    ("unclosed inline table", "内联表缺少“}”"),
    ("unclosed table", "表头缺少“]”"),
    ("missing opening quote", "字符串缺少开头的引号"),
    ("missing closing quote", "字符串缺少结尾的引号"),
    ("invalid basic string", "字符串不合法"),
    ("invalid multi-line basic string", "多行字符串不合法"),
    ("invalid literal string", "字符串不合法"),
    ("string values must be quoted", "字符串值须加引号"),
    ("missing escaped value", "转义字符不完整"),
    ("invalid escape", "转义字符不合法"),
    ("invalid value", "值不合法"),
    ("unexpected content", "这里有多余的内容"),
    ("unexpected key or value", "这里有多余的键或值"),
    (
        "carriage return must be followed by newline",
        "回车符后须有换行符",
    ),
    ("invalid comment character", "注释中有不允许的字符"),
    ("unexpected leading zero", "数字不能以0开头"),
    ("`_` may only go between digits", "“_”只能在数字之间"),
];

/// serde messages for a well-formed file of the wrong shape, matched as prefixes.
const SERDE_SHAPE: &[(&str, &str)] = &[
    ("missing field", "缺少字段"),
    ("unknown field", "不认识的字段"),
    ("invalid type", "值的类型不对"),
    ("invalid value", "值不合法"),
    ("invalid length", "元素个数不对"),
    ("unknown variant", "不认识的取值"),
    ("duplicate field", "字段重复"),
];

/// The Chinese wording of a TOML error message (`toml::de::Error::message`): a syntax error
/// or a serde shape error; the field or key the message names is kept.
pub fn toml_cause(message: &str) -> String {
    let message = message.trim();
    for (english, chinese) in TOML_SYNTAX.iter().chain(SERDE_SHAPE) {
        if let Some(rest) = message.strip_prefix(english) {
            // What follows names the key, field or value (`: \`year\``, ` \`code\``).
            let named: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
            return match named.first() {
                Some(name) => format!("{chinese}：{name}"),
                None => (*chinese).to_owned(),
            };
        }
    }
    format!("格式有误（{message}）")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_messages_are_chinese_and_keep_the_name() {
        assert_eq!(toml_cause("duplicate key"), "键重复");
        assert_eq!(toml_cause("duplicate key: `year`"), "键重复：year");
        assert_eq!(toml_cause("missing field `code`"), "缺少字段：code");
        assert_eq!(
            toml_cause("unknown field `cod`, expected one of `file`, `code`"),
            "不认识的字段：cod"
        );
    }

    #[test]
    fn an_unknown_message_is_kept_after_a_chinese_description() {
        assert_eq!(toml_cause("something new\n"), "格式有误（something new）");
    }

    #[test]
    fn the_parser_says_chinese_for_real_errors() {
        for (text, expected) in [
            ("a = 1\na = 2\n", "键重复"),
            ("select = [\"T\"\n", "数组"),
            ("a = \n", "值"),
            ("a = b\n", "值"),
        ] {
            let e = toml::from_str::<toml::Table>(text).expect_err(text);
            let cause = toml_cause(e.message());
            assert!(
                cause.contains(expected),
                "{text:?}: {} → {cause}",
                e.message()
            );
            assert!(!cause.contains('（'), "{text:?}: untranslated {cause}");
        }
    }
}
