//! nianbao in the browser: the JavaScript API of the WebAssembly build (`nianbao.js` after
//! wasm-bindgen). It owns only the crossing between JavaScript and the I/O-free library
//! ([`nianbao::api`]): turning the options object into [`Options`] and errors into exceptions.
//! Every result is exactly what the command line prints for the same file, so a page, a test
//! or an integrator can compare the two byte for byte.

use nianbao::api::{self, Options};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// `lint(name, bytes, options?)`: the JSON document `nianbao lint --output-format json NAME`
/// prints for a file `name` holding `bytes` (trailing newline included). A file the engine
/// cannot read (PDF, a broken Word file) gives the document with its failure, as the command
/// line does; only a malformed `options` object throws.
///
/// `options` is `undefined`, `null` or an object with any of `config` (the text of a
/// `nianbao.toml`), `year`, `edition` (numbers, as `--year` and `--edition`) and `encoding`
/// (as `--encoding`).
#[wasm_bindgen]
pub fn lint(name: &str, bytes: &[u8], options: Option<js_sys::Object>) -> Result<String, JsError> {
    let options = options_from_js(options)?;
    Ok(api::lint_json(name, bytes.to_vec(), &options))
}

/// `lint_text(name, bytes, options?)`: what `nianbao lint NAME` prints without colour — the
/// findings with their excerpts, then the summary line (for a file it cannot read, the
/// `错误：…` line the command line prints on standard error comes before the summary).
#[wasm_bindgen]
pub fn lint_text(
    name: &str,
    bytes: &[u8],
    options: Option<js_sys::Object>,
) -> Result<String, JsError> {
    let options = options_from_js(options)?;
    Ok(api::lint_human(name, bytes.to_vec(), &options))
}

/// `render(yamlText, format)`: a data file rendered as `nianbao render --to FORMAT` does, as a
/// `Uint8Array`; `format` is `markdown`, `html` or `docx`. Throws the command line's Chinese
/// message when the data file does not load or the format is unknown.
#[wasm_bindgen]
pub fn render(yaml_text: &str, format: &str) -> Result<Vec<u8>, JsError> {
    api::render(yaml_text, format).map_err(|message| JsError::new(&message))
}

/// `is_data_file(name)`: whether nianbao reads `name` as a data file (`.yaml`, `.yml`), which
/// can also be rendered.
#[wasm_bindgen]
pub fn is_data_file(name: &str) -> bool {
    api::is_data_file(name)
}

fn options_from_js(value: Option<js_sys::Object>) -> Result<Options, JsError> {
    let Some(value) = value else {
        return Ok(Options::default());
    };
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| JsError::new("选项无效：应为一个对象，如 {year: 2023}"))?;
    options_from_json(&text).map_err(|message| JsError::new(&message))
}

/// The options object, as JSON text, checked field by field: a misspelt key or a year given
/// as text is an error rather than silently ignored.
fn options_from_json(text: &str) -> Result<Options, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|_| "选项无效：应为一个对象，如 {year: 2023}")?;
    let Value::Object(fields) = value else {
        return Err("选项无效：应为一个对象，如 {year: 2023}".to_owned());
    };
    let mut options = Options::default();
    for (key, value) in &fields {
        if value.is_null() {
            continue;
        }
        match key.as_str() {
            "config" => options.config = Some(string(key, value)?),
            "encoding" => options.encoding = Some(string(key, value)?),
            "year" => options.year = Some(integer(key, value)?),
            "edition" => options.edition = Some(integer(key, value)?),
            _ => {
                return Err(format!(
                    "选项无效：未知的键“{key}”（可用：config、year、edition、encoding）"
                ));
            }
        }
    }
    Ok(options)
}

fn string(key: &str, value: &Value) -> Result<String, String> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("选项无效：“{key}”应为字符串"))
}

fn integer<T: TryFrom<i64>>(key: &str, value: &Value) -> Result<T, String> {
    value
        .as_i64()
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("选项无效：“{key}”应为整数，如 2023"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_options_object_fills_every_field() {
        let options = options_from_json(
            r#"{"config":"select = [\"S\"]","year":2023,"edition":2021,"encoding":"gbk"}"#,
        )
        .expect("valid");
        assert_eq!(options.config.as_deref(), Some("select = [\"S\"]"));
        assert_eq!(options.year, Some(2023));
        assert_eq!(options.edition, Some(2021));
        assert_eq!(options.encoding.as_deref(), Some("gbk"));
    }

    #[test]
    fn an_empty_object_and_null_fields_are_the_defaults() {
        for text in ["{}", r#"{"year":null,"config":null}"#] {
            let options = options_from_json(text).expect("valid");
            assert!(options.config.is_none() && options.year.is_none());
            assert!(options.edition.is_none() && options.encoding.is_none());
        }
    }

    #[test]
    fn a_misspelt_key_or_a_wrong_type_is_refused_in_chinese() {
        let error = options_from_json(r#"{"yaer":2023}"#).expect_err("unknown key");
        assert!(error.contains("未知的键“yaer”"), "{error}");
        let error = options_from_json(r#"{"year":"2023"}"#).expect_err("text year");
        assert!(error.contains("“year”应为整数"), "{error}");
        let error = options_from_json(r#"{"edition":70000}"#).expect_err("out of range");
        assert!(error.contains("“edition”应为整数"), "{error}");
        let error = options_from_json(r#"{"year":2023.5}"#).expect_err("fraction");
        assert!(error.contains("“year”应为整数"), "{error}");
        let error = options_from_json(r#"{"config":1}"#).expect_err("number config");
        assert!(error.contains("“config”应为字符串"), "{error}");
        let error = options_from_json("[1]").expect_err("array");
        assert!(error.contains("应为一个对象"), "{error}");
    }
}
