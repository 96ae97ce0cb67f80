//! Stage 1, input: *what does the file say?* Any supported file becomes one [`Document`].
//!
//! This stage owns file formats and encodings: recognising what a file is, decoding its bytes,
//! and turning each format's own structure (HTML tags, Word paragraphs and tables, PDF pages,
//! Markdown pipe tables, tab-separated text) into one text view whose every character maps back
//! to the bytes it came from, plus the tables as rows of cells with their merges. Blank cells are
//! kept as cells. One module per format; a new format is a new module here and nothing else.
//!
//! It knows nothing of annual reports: no official labels, sections or years. That is the
//! reading stage's business (`crate::reading`), and judging is the rules' (`crate::rules`).
//! Nothing here imports either.

pub mod decode;
pub mod docx;
pub mod html;
pub mod map;
pub mod pdf;
pub mod text;

use std::ops::Range;
use std::path::Path;

pub use map::OffsetMap;

/// Marks a blank table cell in [`Document::content`]: a cell with nothing in it (or only
/// spaces, `&nbsp;`, full-width spaces) is still a cell. Private-use, so it never occurs in
/// real text (the input stage drops private-use characters it finds in files).
pub const BLANK_CELL: char = '\u{E000}';

/// The formats nianbao reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text: pasted from Word or a web page, or extracted from a PDF.
    Text,
    Markdown,
    Html,
    /// Word (`.docx`), read from its XML.
    Docx,
    /// PDF, read through `pdftotext`.
    Pdf,
}

impl Format {
    /// The format a file name says, by extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "txt" | "text" => Some(Format::Text),
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// Whether suppression comments (`<!-- nianbao-disable … -->`) can be written in it (plain
    /// text too: drafts are pasted between formats, and the text reader leaves comments out).
    pub fn has_comments(self) -> bool {
        matches!(self, Format::Markdown | Format::Html | Format::Text)
    }
}

/// How offsets into [`Document::text`] relate to the file on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The file is UTF-8: text byte `i` is file byte `i + bom` (a byte-order mark, 3 bytes,
    /// is not part of the text).
    Utf8 { bom: usize },
    /// The file was decoded from another encoding; `map` takes text offsets to file offsets.
    Decoded {
        encoding: &'static str,
        map: OffsetMap,
    },
    /// The text is a view built from a container (Word, PDF): offsets are into that view.
    View,
}

impl Origin {
    /// The file range of a text range (for JSON `byte_start`/`byte_end`).
    pub fn file_range(&self, range: Range<usize>) -> Range<usize> {
        match self {
            Origin::Utf8 { bom } => range.start + bom..range.end + bom,
            Origin::Decoded { map, .. } => map.range(range),
            Origin::View => range,
        }
    }

    /// The encoding name, for messages.
    pub fn encoding(&self) -> &'static str {
        match self {
            Origin::Utf8 { .. } | Origin::View => "UTF-8",
            Origin::Decoded { encoding, .. } => encoding,
        }
    }
}

/// Where a part of a Word or PDF document is, in the terms a person uses to find it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Place {
    /// The N-th paragraph of the body (1-based, tables' paragraphs not counted).
    Paragraph { paragraph: usize },
    /// A cell of the N-th table (all 1-based; `column` on the table's grid). `report_table`
    /// is the report's name for it (`三` for the third statistics table), set by the reading
    /// stage when it has found which of the document's tables that is: Word counts every table,
    /// the report names only the three it prescribes.
    Cell {
        table: usize,
        row: usize,
        column: usize,
        #[serde(skip_serializing_if = "Option::is_none")]
        report_table: Option<&'static str>,
    },
    /// A page of a PDF (1-based).
    Page { page: usize },
}

impl Place {
    /// `第3段`, `表三（第4个表格）第5行第3列` (the report's table, and the document's count of
    /// tables), `第2个表格 第5行第3列` (a table the report does not name), `第4页`.
    pub fn describe(&self) -> String {
        match self {
            Place::Paragraph { paragraph } => format!("第{paragraph}段"),
            Place::Cell {
                table,
                row,
                column,
                report_table: Some(name),
            } => format!("表{name}（第{table}个表格）第{row}行第{column}列"),
            Place::Cell {
                table,
                row,
                column,
                report_table: None,
            } => format!("第{table}个表格 第{row}行第{column}列"),
            Place::Page { page } => format!("第{page}页"),
        }
    }
}

/// A range of [`Document::text`] and where it is in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locus {
    pub span: Range<usize>,
    pub place: Place,
}

/// A table as the format gives it: rows of cells, merges resolved onto a grid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Row>,
    /// Byte range of the whole table in [`Document::text`].
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// The cells that start in this row, left to right. A cell merged down from a row above is
    /// not repeated here (its `rowspan` says how far it reaches).
    pub cells: Vec<Cell>,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The cell's content: a byte range of [`Document::content`]. For a blank cell, the
    /// [`BLANK_CELL`] mark.
    pub content: Range<usize>,
    /// Byte range of the whole cell in [`Document::text`] (markup included).
    pub span: Range<usize>,
    /// First grid column (0-based) and how many columns and rows the cell covers.
    pub column: usize,
    pub colspan: usize,
    pub rowspan: usize,
    /// Nothing in it but whitespace (spaces, `&nbsp;`, full-width spaces).
    pub blank: bool,
}

/// Something a web page says about itself outside the report's text: its `<title>`, or a CMS
/// metadata field such as 发布机构 or 发文日期.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// `title` for the page title or a CMS article title; otherwise the field's label as
    /// written (`发布机构`, `发文日期`, `成文日期`, `索引号` …).
    pub key: String,
    pub value: String,
    /// Byte range of the value in [`Document::text`].
    pub span: Range<usize>,
}

/// A file, read: what every later stage works from.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file's name as the user gave it.
    pub name: String,
    pub format: Format,
    /// The text people are shown in diagnostics: the decoded file for text formats (plain
    /// text, Markdown, HTML); for Word and PDF, the document's text view (one paragraph per
    /// line, one table row per line with cells separated by ` | `, pages in order).
    pub text: String,
    /// How `text` relates to the bytes on disk.
    pub origin: Origin,
    /// What the document says (see [`Document::content`]); `None` when it is the text itself
    /// (plain text without separators to translate), so that a large file is not held twice.
    content: Option<String>,
    /// `content` byte offsets → `text` byte offsets.
    pub map: OffsetMap,
    /// The tables, in document order.
    pub tables: Vec<Table>,
    /// Where parts of `text` are (Word paragraphs and cells, PDF pages); empty for text files.
    pub loci: Vec<Locus>,
    /// What the page says about itself (title, CMS metadata), outside `content`.
    pub meta: Vec<Meta>,
}

impl Document {
    /// What the document says, in reading order: markup removed, entities decoded, a line
    /// break where a block (paragraph, heading, table row) ends, a tab where a table cell
    /// starts, [`BLANK_CELL`] for a blank cell. Page chrome (navigation, breadcrumbs, footers)
    /// and metadata tables are left out where the format lets them be recognised.
    pub fn content(&self) -> &str {
        self.content.as_deref().unwrap_or(&self.text)
    }

    /// The `text` range that `content` bytes `range` stand for.
    pub fn text_range(&self, range: Range<usize>) -> Range<usize> {
        self.map.range(range)
    }

    /// [`Document::text_range`] for ranges asked in increasing order (see
    /// [`OffsetMap::range_near`](map::OffsetMap::range_near)).
    pub fn text_range_near(&self, range: Range<usize>, hint: &mut usize) -> Range<usize> {
        self.map.range_near(range, hint)
    }

    /// Where in the document a `text` offset is (Word and PDF only).
    pub fn place(&self, offset: usize) -> Option<Place> {
        let i = self.loci.partition_point(|l| l.span.end <= offset);
        self.loci
            .get(i)
            .filter(|l| l.span.start <= offset)
            .map(|l| l.place)
    }

    /// Where a `text` range is in the document, for people: the place of its first character
    /// (`第3段`, `表三（第4个表格）第5行第3列`, `第4页` through [`Place::describe`]). `None` for text files,
    /// where line and column say it all.
    pub fn location(&self, range: Range<usize>) -> Option<Place> {
        if self.loci.is_empty() {
            return None;
        }
        self.place(range.start).or_else(|| {
            // A range that starts between loci (a line break, a separator): the first locus
            // it reaches.
            let i = self.loci.partition_point(|l| l.span.end <= range.start);
            self.loci
                .get(i)
                .filter(|l| l.span.start < range.end.max(range.start + 1))
                .map(|l| l.place)
        })
    }

    /// A document from text held in memory (text the program made itself, or tests): read
    /// as `format` says (HTML through the HTML reader, anything else as text).
    pub fn plain(name: &str, format: Format, text: String) -> Document {
        let origin = Origin::Utf8 { bom: 0 };
        match format {
            Format::Html => html::read(name, text, origin),
            _ => text::read(name, format, text, origin),
        }
    }
}

/// Why a file could not be read. Messages are for the people who hold the file.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The cause is described in the message; not a `source`, so that `{:#}` does not add
    /// the system's English words (`No such file or directory (os error 2)`).
    #[error("无法读取 {path}：{}", describe_io_error(.error))]
    Io { path: String, error: std::io::Error },
    #[error("{path} 无法按任何已知编码解码（试过：{tried}）；请用 --encoding 指定编码")]
    Undecodable { path: String, tried: String },
    #[error("{path} 不是 {encoding} 编码的文本：{why}")]
    WrongEncoding {
        path: String,
        encoding: String,
        why: String,
    },
    #[error("不认识的编码“{name}”；可用的例如 UTF-8、GB18030、GBK、Big5、UTF-16LE、UTF-16BE")]
    UnknownEncoding { name: String },
    #[error(
        "{path} 是旧版 Word/WPS 二进制格式（.doc/.wps），无法读取；请在 Word/WPS 中另存为 .docx 后再检查"
    )]
    OldWordFormat { path: String },
    #[error("{path} 不是有效的 Word 文档（.docx）：{why}")]
    BadDocx { path: String, why: String },
    #[error(
        "读取 PDF 需要 poppler 的 {}，但没有找到它。请先安装：{}",
        pdf::program_name(std::env::consts::OS),
        pdf::install_hint(std::env::consts::OS)
    )]
    PdfToolMissing,
    #[error(
        "{path} 是 PDF：这里无法读取 PDF（需要 poppler 的 pdftotext）。请用命令行检查：nianbao lint {path}，或检查报告的 Word（.docx）/网页（.html）版本"
    )]
    PdfNotReadHere { path: String },
    #[error("{path}：此PDF没有文字层（可能是扫描件），请先进行文字识别（OCR）")]
    ScannedPdf { path: String },
    #[error("{path} 不是有效的 PDF：{why}")]
    BadPdf { path: String, why: String },
    #[error("{path} 太大（{size} 字节）；nianbao 只读取 4 GB 以下的文件")]
    TooLarge { path: String, size: u64 },
}

/// An I/O error in words a user reads: the common kinds in Chinese, the system's text otherwise.
pub fn describe_io_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let cause = match error.kind() {
        ErrorKind::NotFound => "文件不存在",
        ErrorKind::PermissionDenied => "权限不足",
        ErrorKind::IsADirectory => "这是一个目录，不是文件",
        ErrorKind::NotADirectory => "路径中的某一级不是目录",
        ErrorKind::ReadOnlyFilesystem => "只读文件系统",
        ErrorKind::StorageFull => "磁盘已满",
        ErrorKind::QuotaExceeded => "超出磁盘配额",
        ErrorKind::FileTooLarge => "文件过大",
        ErrorKind::AlreadyExists => "文件已存在",
        ErrorKind::InvalidFilename => "文件名无效（过长或含不允许的字符）",
        ErrorKind::ResourceBusy => "文件正被占用",
        ErrorKind::ExecutableFileBusy => "文件正被运行的程序占用",
        ErrorKind::Deadlock | ErrorKind::WouldBlock => "文件被锁定",
        ErrorKind::CrossesDevices => "不能跨文件系统移动",
        ErrorKind::TooManyLinks => "链接过多",
        ErrorKind::StaleNetworkFileHandle | ErrorKind::NetworkDown | ErrorKind::NotConnected => {
            "网络文件系统不可用"
        }
        ErrorKind::TimedOut => "操作超时",
        ErrorKind::Interrupted => "操作被中断",
        ErrorKind::InvalidData => "内容不是有效的文本",
        ErrorKind::UnexpectedEof => "文件意外结束",
        ErrorKind::OutOfMemory => "内存不足",
        ErrorKind::BrokenPipe => "管道已关闭",
        _ => "",
    };
    if !cause.is_empty() {
        return cause.to_owned();
    }
    // Anything else: the system's own words, without the `(os error N)` tail or the paths
    // that wrappers such as `tempfile` append (the caller names the user's file).
    let words = match (error.raw_os_error(), error.get_ref()) {
        (Some(code), _) => std::io::Error::from_raw_os_error(code).to_string(),
        (None, Some(inner)) => inner.to_string(),
        (None, None) => error.kind().to_string(),
    };
    let words = match words.find(" (os error") {
        Some(at) => &words[..at],
        None => &words,
    };
    format!("系统错误（{words}）")
}

/// Turns a PDF file's bytes into the text `pdftotext -layout` makes of them (a process: the
/// command line hands one in, `cli::pdftotext::read`).
pub type PdfToText = fn(&str, Vec<u8>) -> Result<String, InputError>;

/// What the user said about how to read files, and what the caller can do for the reader.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--encoding NAME`: decode text files with this encoding instead of detecting it.
    pub encoding: Option<String>,
    /// How to get a PDF's text; without it a PDF is refused ([`InputError::PdfNotReadHere`]).
    pub pdf: Option<PdfToText>,
}

/// Reads a file's bytes (e.g. standard input) as if it were named `name`. The format follows
/// the extension (unknown extensions are read as plain text); the content is sniffed for files
/// that are not what their name says (a PDF or Word file renamed `.txt`, an old binary `.doc`).
pub fn from_bytes(
    name: &str,
    format: Option<Format>,
    bytes: Vec<u8>,
    options: &Options,
) -> Result<Document, InputError> {
    if u32::try_from(bytes.len()).is_err() {
        return Err(InputError::TooLarge {
            path: name.to_owned(),
            size: bytes.len() as u64,
        });
    }
    let sniffed = sniff(&bytes);
    if sniffed == Some(Sniffed::OleCompound) {
        return Err(InputError::OldWordFormat {
            path: name.to_owned(),
        });
    }
    let format = match (sniffed, format) {
        (Some(Sniffed::Pdf), _) => Format::Pdf,
        (Some(Sniffed::Zip), _) => Format::Docx,
        // Named as a container but not one: a broken download (often the web page that stood
        // in for the file), which read as text would lint as a report with nothing in it.
        (None, Some(Format::Docx)) => {
            return Err(InputError::BadDocx {
                path: name.to_owned(),
                why: "文件不是 zip 压缩包（可能下载不完整，或是改了扩展名的其他文件）".to_owned(),
            });
        }
        (None, Some(Format::Pdf)) => {
            return Err(InputError::BadPdf {
                path: name.to_owned(),
                why: "文件开头没有 %PDF- 标记（可能下载不完整，或是改了扩展名的其他文件）"
                    .to_owned(),
            });
        }
        (_, None) => Format::Text,
        (_, Some(f)) => f,
    };
    match format {
        Format::Docx => docx::read(name, &bytes),
        Format::Pdf => match options.pdf {
            Some(to_text) => pdf::from_layout_text(name, &to_text(name, bytes)?),
            None => Err(InputError::PdfNotReadHere {
                path: name.to_owned(),
            }),
        },
        Format::Text | Format::Markdown | Format::Html => {
            let (text, origin) = decode::decode(name, bytes, options.encoding.as_deref())?;
            Ok(match format {
                Format::Html => html::read(name, text, origin),
                _ => text::read(name, format, text, origin),
            })
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Pdf,
    Zip,
    OleCompound,
}

/// Recognises binary containers by their first bytes.
fn sniff(bytes: &[u8]) -> Option<Sniffed> {
    // A PDF may have a few bytes of junk before its header (readers look in the first 1 KB).
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        Some(Sniffed::Pdf)
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(Sniffed::Zip)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(Sniffed::OleCompound)
    } else {
        None
    }
}

/// Characters [`Builder::copy`] leaves out of the content: private-use characters (which would
/// be taken for the blank-cell mark) and carriage returns.
pub(super) fn dropped(c: char) -> bool {
    c == '\r' || ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// Whether `piece` holds a character [`dropped`] drops: `piece.chars().any(dropped)`, found by
/// bytes instead of decoding every character (a carriage return is the byte 0x0D;
/// U+E000–U+F8FF start with 0xEE, or with 0xEF before a byte up to 0xA3).
fn has_dropped(piece: &str) -> bool {
    let bytes = piece.as_bytes();
    let mut at = 0;
    while let Some(found) = find_lead(&bytes[at..], &DROPPED_LEADS) {
        let i = at + found;
        if bytes[i] != 0xEF || bytes.get(i + 1).is_some_and(|&next| next <= 0xA3) {
            return true;
        }
        at = i + 1;
    }
    false
}

/// The bytes a character [`dropped`] drops starts with.
static DROPPED_LEADS: [u8; 256] = {
    let mut table = [0; 256];
    table[b'\r' as usize] = 1;
    table[0xEE] = 1;
    table[0xEF] = 1;
    table
};

/// Offset of the first byte of `bytes` that `table` marks: a table lookup per byte, eight
/// bytes per branch. (memchr restarts at every hit, and Chinese text has a false one, EF, at
/// every full-width comma, colon or bracket.)
pub(super) fn find_lead(bytes: &[u8], table: &[u8; 256]) -> Option<usize> {
    let marked = |b: &u8| table[usize::from(*b)] != 0;
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        if chunk.iter().fold(0, |any, &b| any | table[usize::from(b)]) != 0 {
            return chunk.iter().position(marked).map(|i| base + i);
        }
        base += 8;
    }
    chunks.remainder().iter().position(marked).map(|i| base + i)
}

/// Builds a document's content, its map back to the text, and its tables.
///
/// Every format reader drives one: it walks its own structure and says, piece by piece, what
/// content stands for which bytes of the text. Text formats pass the decoded file as `text`;
/// Word and PDF build their text view as they go (`view`, `view_str`).
pub struct Builder {
    name: String,
    format: Format,
    origin: Origin,
    text: String,
    content: String,
    map: OffsetMap,
    tables: Vec<Table>,
    loci: Vec<Locus>,
    meta: Vec<Meta>,
    /// Tables being built, innermost last (a layout table may hold the whole article and the
    /// report's tables inside one of its cells).
    open_tables: Vec<OpenTable>,
}

struct OpenTable {
    table: Table,
    /// Content length when the table started.
    content_start: usize,
    /// For each grid column, the row index up to which a cell above still covers it.
    covered_until: Vec<usize>,
    /// Next grid column in the current row.
    column: usize,
}

/// A table just ended: what it holds, so that the reader can decide to keep it.
pub struct EndedTable<'a> {
    pub table: &'a Table,
    /// The table's content (all its cells' text).
    pub content: &'a str,
}

impl Builder {
    /// A builder over text that already exists (the decoded file).
    pub fn over(name: &str, format: Format, text: String, origin: Origin) -> Builder {
        // Room for the map runs a report usually makes, so that the map is not grown step by
        // step (each step a copy): every piece of markup left out starts one. Per text byte,
        // the 90th percentile over the benchmark corpus is 0.051 for HTML and 0.022 for
        // Markdown (plain text makes next to none). Capped at a megabyte's worth, beyond which
        // growing costs little; `finish` gives back what is left over.
        let usual = text.len().min(1 << 20);
        let mut map = OffsetMap::default();
        map.reserve(match format {
            Format::Html => usual / 19,
            Format::Markdown => usual / 45,
            Format::Text | Format::Docx | Format::Pdf => 0,
        });
        Builder {
            name: name.to_owned(),
            format,
            origin,
            content: String::with_capacity(text.len()),
            text,
            map,
            tables: Vec::new(),
            loci: Vec::new(),
            meta: Vec::new(),
            open_tables: Vec::new(),
        }
    }

    /// A builder that makes its text view as it goes (Word, PDF).
    pub fn view(name: &str, format: Format) -> Builder {
        Builder::over(name, format, String::new(), Origin::View)
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length of the content so far.
    pub fn content_len(&self) -> usize {
        self.content.len()
    }

    /// The content from byte `start` on.
    pub fn content_since(&self, start: usize) -> &str {
        self.content.get(start..).unwrap_or("")
    }

    /// The last character of the content so far.
    pub fn last_char(&self) -> Option<char> {
        self.content.chars().next_back()
    }

    /// Content that is a copy of `text[range]`. Private-use characters (which would be taken
    /// for the blank-cell mark) and carriage returns are dropped.
    pub fn copy(&mut self, range: Range<usize>) {
        let Some(piece) = self.text.get(range.clone()) else {
            return;
        };
        if !has_dropped(piece) {
            self.content.push_str(piece);
            self.map.copied(range.start, piece.len());
            return;
        }
        for (i, c) in piece.char_indices() {
            if dropped(c) {
                continue;
            }
            self.content.push(c);
            self.map.copied(range.start + i, c.len_utf8());
        }
    }

    /// Like [`Builder::copy`], for a range the caller has already seen to hold no character
    /// `copy` drops (a reader that scans its text anyway need not have it scanned twice).
    pub(super) fn copy_clean(&mut self, range: Range<usize>) {
        let Some(piece) = self.text.get(range.clone()) else {
            return;
        };
        self.content.push_str(piece);
        self.map.copied(range.start, piece.len());
    }

    /// One content character standing for `text[source]` (an entity, a tag, or nothing).
    pub fn push(&mut self, c: char, source: Range<usize>) {
        self.content.push(c);
        self.map.replaced(c.len_utf8(), source);
    }

    /// A line break, unless the content already ends with one.
    pub fn break_line(&mut self, source: Range<usize>) {
        if !matches!(self.last_char(), None | Some('\n')) {
            self.push('\n', source);
        }
    }

    /// Appends `s` to the text view and the same characters to the content (Word, PDF).
    pub fn view_str(&mut self, s: &str) {
        let start = self.text.len();
        self.text.push_str(s);
        self.copy(start..self.text.len());
    }

    /// Appends `s` to the text view only; returns its range (e.g. the ` | ` between cells,
    /// which the content represents by a tab pushed with that range).
    pub fn view_only(&mut self, s: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(s);
        start..self.text.len()
    }

    /// Records where a range of the text view is in the document.
    pub fn locus(&mut self, span: Range<usize>, place: Place) {
        self.loci.push(Locus { span, place });
    }

    pub fn meta(&mut self, key: &str, value: &str, span: Range<usize>) {
        self.meta.push(Meta {
            key: key.to_owned(),
            value: value.trim().to_owned(),
            span,
        });
    }

    /// Starts a table at text offset `at` (inside the current one, if one is open).
    pub fn start_table(&mut self, at: usize) {
        self.break_line(at..at);
        self.open_tables.push(OpenTable {
            table: Table {
                rows: Vec::new(),
                span: at..at,
            },
            content_start: self.content.len(),
            covered_until: Vec::new(),
            column: 0,
        });
    }

    /// Whether a table is being built.
    pub fn in_table(&self) -> bool {
        !self.open_tables.is_empty()
    }

    /// Starts a row at text offset `at`.
    pub fn start_row(&mut self, at: usize) {
        self.break_line(at..at);
        if let Some(open) = self.open_tables.last_mut() {
            // Rows of a table mostly have as many cells as the one before: room for them at
            // once rather than growing the vector cell by cell.
            let cells = open.table.rows.last().map_or(0, |r| r.cells.len());
            open.table.rows.push(Row {
                cells: Vec::with_capacity(cells),
                span: at..at,
            });
            open.column = 0;
        }
    }

    /// Leaves the next `n` grid columns of the current row without a cell (Word's
    /// `w:gridBefore`: a row that starts further right).
    pub fn skip_columns(&mut self, n: usize) {
        if let Some(open) = self.open_tables.last_mut() {
            open.column = open.column.saturating_add(n.min(1000));
        }
    }

    /// Starts a cell whose markup is `source` (a tab in the content stands for it) and returns
    /// the content offset where its text begins. Rows are started implicitly when a cell
    /// comes first.
    pub fn start_cell(&mut self, source: Range<usize>) -> usize {
        if self
            .open_tables
            .last()
            .is_some_and(|open| open.table.rows.is_empty())
        {
            self.start_row(source.start);
        }
        self.push('\t', source);
        self.content.len()
    }

    /// Ends the cell started at content offset `content_start`; `span` covers the whole cell
    /// in the text. A cell with no visible character gets the blank-cell mark.
    pub fn end_cell(
        &mut self,
        content_start: usize,
        span: Range<usize>,
        colspan: usize,
        rowspan: usize,
    ) {
        let content_start = content_start.min(self.content.len());
        let blank = self.content[content_start..]
            .chars()
            .all(|c| c.is_whitespace() || c == '\u{3000}');
        if blank {
            // Keep the cell's text out of the content (it is only spaces) and mark it.
            self.truncate_content(content_start);
            self.push(BLANK_CELL, span.clone());
        }
        let content = content_start..self.content.len();
        let Some(open) = self.open_tables.last_mut() else {
            return;
        };
        let row_index = open.table.rows.len().saturating_sub(1);
        // The first grid column not covered by a cell merged down from above.
        let mut column = open.column;
        while open
            .covered_until
            .get(column)
            .is_some_and(|&until| until > row_index)
        {
            column += 1;
        }
        let (colspan, rowspan) = (colspan.clamp(1, 1000), rowspan.clamp(1, 10_000));
        if open.covered_until.len() < column + colspan {
            open.covered_until.resize(column + colspan, 0);
        }
        for c in column..column + colspan {
            open.covered_until[c] = row_index + rowspan;
        }
        open.column = column + colspan;
        if let Some(row) = open.table.rows.last_mut() {
            if row.cells.is_empty() {
                row.span.start = span.start;
            }
            row.span.end = row.span.end.max(span.end);
            row.cells.push(Cell {
                content,
                span,
                column,
                colspan,
                rowspan,
                blank,
            });
        }
    }

    /// Ends the innermost open table at text offset `at`. `keep` sees what it holds and may
    /// refuse it (a CMS metadata table): its content is then taken back out.
    pub fn end_table_if(&mut self, at: usize, keep: impl FnOnce(EndedTable) -> bool) {
        let Some(mut open) = self.open_tables.pop() else {
            return;
        };
        open.table.rows.retain(|r| !r.cells.is_empty());
        let (Some(first), Some(last)) = (open.table.rows.first(), open.table.rows.last()) else {
            return;
        };
        open.table.span = first.span.start..last.span.end.max(at.min(self.text.len()));
        let content = self.content.get(open.content_start..).unwrap_or("");
        if keep(EndedTable {
            table: &open.table,
            content,
        }) {
            self.tables.push(open.table);
            self.break_line(at..at);
        } else {
            self.truncate_content(open.content_start);
        }
    }

    /// Ends the innermost open table at text offset `at`.
    pub fn end_table(&mut self, at: usize) {
        self.end_table_if(at, |_| true);
    }

    fn truncate_content(&mut self, len: usize) {
        self.content.truncate(len);
        self.map.truncate(len);
    }

    pub fn finish(mut self) -> Document {
        let end = self.text.len();
        while self.in_table() {
            self.end_table(end);
        }
        // Inner tables end before the tables around them.
        self.tables.sort_by_key(|t| t.span.start);
        // Content that is the text itself is not kept twice.
        let content = if self.content == self.text {
            None
        } else {
            self.content.shrink_to_fit();
            Some(self.content)
        };
        self.map.shrink_to_fit();
        Document {
            name: self.name,
            format: self.format,
            text: self.text,
            origin: self.origin,
            content,
            map: self.map,
            tables: self.tables,
            loci: self.loci,
            meta: self.meta,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte scan finds a dropped character exactly when decoding every character does
        /// (carriage returns, the private-use area and its neighbours on both sides).
        #[test]
        fn dropped_characters_are_found_by_bytes(
            text in "[a年\r\u{D7FF}\u{E000}\u{E123}\u{F8FF}\u{F900}\u{FF5C}\u{FF0C}\u{EFFF}]{0,12}"
        ) {
            proptest::prop_assert_eq!(has_dropped(&text), text.chars().any(dropped));
        }
    }

    #[test]
    fn cells_are_placed_on_the_grid_past_cells_merged_from_above() {
        // | A (rowspan 2) | B | C |
        // |               | D | E |
        let text = "ABCDE".to_owned();
        let mut b = Builder::over("t", Format::Html, text, Origin::Utf8 { bom: 0 });
        b.start_table(0);
        b.start_row(0);
        for (i, (rowspan, _)) in [(2, 'A'), (1, 'B'), (1, 'C')].iter().enumerate() {
            let at = b.start_cell(i..i);
            b.copy(i..i + 1);
            b.end_cell(at, i..i + 1, 1, *rowspan);
        }
        b.start_row(3);
        for i in 3..5 {
            let at = b.start_cell(i..i);
            b.copy(i..i + 1);
            b.end_cell(at, i..i + 1, 1, 1);
        }
        let doc = b.finish();
        let columns: Vec<Vec<usize>> = doc.tables[0]
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.column).collect())
            .collect();
        assert_eq!(columns, [vec![0, 1, 2], vec![1, 2]]);
        assert_eq!(doc.content(), "\tA\tB\tC\n\tD\tE\n");
    }

    #[test]
    fn blank_cells_are_marked_and_point_at_the_cell() {
        let text = "<td>&nbsp;</td><td>3</td>".to_owned();
        let mut b = Builder::over("t", Format::Html, text, Origin::Utf8 { bom: 0 });
        b.start_table(0);
        let at = b.start_cell(0..4);
        b.push(' ', 4..10);
        b.end_cell(at, 0..15, 1, 1);
        let at = b.start_cell(15..19);
        b.copy(19..20);
        b.end_cell(at, 15..25, 1, 1);
        let doc = b.finish();
        let cell = &doc.tables[0].rows[0].cells[0];
        assert!(cell.blank);
        assert_eq!(&doc.content()[cell.content.clone()], BLANK_CELL.to_string());
        assert_eq!(
            &doc.text[doc.text_range(cell.content.clone())],
            "<td>&nbsp;</td>"
        );
        assert!(!doc.tables[0].rows[0].cells[1].blank);
    }

    #[test]
    fn binary_containers_are_recognised_whatever_their_name() {
        let doc = from_bytes(
            "report.txt",
            Some(Format::Text),
            vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0],
            &Options::default(),
        );
        assert!(matches!(doc, Err(InputError::OldWordFormat { .. })));
    }

    #[test]
    fn files_named_as_containers_that_are_not_are_refused() {
        let page = b"<html><body>404</body></html>".to_vec();
        let docx = from_bytes(
            "r.docx",
            Some(Format::Docx),
            page.clone(),
            &Options::default(),
        );
        assert!(matches!(docx, Err(InputError::BadDocx { .. })));
        let pdf = from_bytes("r.pdf", Some(Format::Pdf), page, &Options::default());
        assert!(matches!(pdf, Err(InputError::BadPdf { .. })));
    }
}
