//! Reading tables 二, 三 and 四 out of a document: every row found with its cells (value and
//! where it was read), or why it could not be read.
//!
//! Reading is label-anchored: each official row label is located in its section (labels may be
//! broken over lines or cells, or interleaved with figures by PDF extraction), and the figures
//! that follow it up to the next label are its cells. Where the format has table structure,
//! the input stage has already turned each cell into its own token — a blank cell into a blank
//! mark — so the same algorithm reads Markdown pipes, HTML, Word tables, tabbed text, one cell
//! per line and PDF text. When PDF extraction prints several rows' figures before their labels
//! (a whole multiple of the row width after one label, none after the following ones), the
//! surplus rows are handed, in order, to the next labels that have no figures.
//!
//! Nothing is judged here: a row with the wrong number of cells is recorded as such, a row of
//! the other edition as such, a table whose figures are glued together or scrambled as
//! unreadable. The rules decide what to report.

use std::collections::{BTreeMap, VecDeque};
use std::ops::Range;

use super::glued;
use super::normalize::{CellValue, label_forms, normalize_label};
use super::view::Class;
use super::view::View;
use crate::edition::{self, CellKind, Edition, GridTable, TableId};
use crate::input::Document;
use memchr::memmem::Finder;

/// A figure read from a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadCell {
    pub value: CellValue,
    /// Where it was read: a range of the view's `compact`.
    pub range: Range<usize>,
}

/// What became of one row of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum RowRead {
    /// Its label was not found.
    Missing,
    /// Found, with as many cells as the row has.
    Read {
        label: Range<usize>,
        cells: Vec<ReadCell>,
    },
    /// Found, with a different number of figures after it.
    WrongCount {
        label: Range<usize>,
        found: usize,
        expected: usize,
    },
    /// Found, with its figures glued together (`1100000 11`), and not one reading of them that
    /// the equations allow: `splits` readings satisfy them (0: none; several: ambiguous), and
    /// `capped` says the search stopped at its bound ([`super::glued`]).
    Glued {
        label: Range<usize>,
        splits: usize,
        capped: bool,
    },
}

impl RowRead {
    pub fn cells(&self) -> Option<&[ReadCell]> {
        match self {
            RowRead::Read { cells, .. } => Some(cells),
            _ => None,
        }
    }

    pub fn label(&self) -> Option<&Range<usize>> {
        match self {
            RowRead::Read { label, .. }
            | RowRead::WrongCount { label, .. }
            | RowRead::Glued { label, .. } => Some(label),
            RowRead::Missing => None,
        }
    }
}

/// A row written as another edition has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongEditionRow {
    pub range: Range<usize>,
    /// The edition the row belongs to.
    pub edition: u16,
    /// The group label of this edition used as a single data row (`（六）其他处理` followed by a
    /// row of figures in a 2021 report): the group's own rows are then absent for that reason.
    pub single_row_of: Option<String>,
}

/// Why a table as a whole could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// The figures are interleaved with the header (plain PDF text scrambles reading order).
    Scrambled,
    /// The figures are glued together (`640020470`): cells cannot be told apart.
    Glued,
    /// Most rows have the wrong number of figures: the layout does not let cells be matched
    /// to columns.
    Misaligned,
}

impl Unreadable {
    pub fn describe(self) -> &'static str {
        match self {
            Unreadable::Scrambled => "数字与表头交错（阅读顺序被打乱）",
            Unreadable::Glued => "数字连在一起，无法分列",
            Unreadable::Misaligned => "多数行的数字个数与表格的列数不符，无法对应到单元格",
        }
    }
}

/// What is known about one table as a whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableRead {
    /// Whether any row label of the table was found (else: no table).
    pub found: bool,
    /// The table could not be read, and where its figures are.
    pub unreadable: Option<(Unreadable, Range<usize>)>,
    pub wrong_edition: Vec<WrongEditionRow>,
    /// A table read as one run of figures (table 四) that has the wrong number of them:
    /// (found, expected, where the figures are).
    pub miscount: Option<(usize, usize, Range<usize>)>,
}

/// Table 二 as read: block → row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActiveRead {
    pub table: TableRead,
    pub rows: Vec<Vec<RowRead>>,
}

/// Table 三 or 四 as read: row id → row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GridRead {
    pub table: TableRead,
    pub rows: BTreeMap<String, RowRead>,
}

impl GridRead {
    /// Every data row of `def` not (yet) found: the start of a reading, and the whole of it
    /// when the section has no table.
    fn unread(def: &GridTable) -> GridRead {
        GridRead {
            table: TableRead::default(),
            rows: def
                .data_rows()
                .map(|(id, _)| (id.to_owned(), RowRead::Missing))
                .collect(),
        }
    }
}

/// Text tokens of a token range concatenated, to find labels that figures or line breaks
/// interrupt. Built per section, so its size follows the tables, not the file.
struct Stream {
    text: String,
    /// For each text token in `text`: its start in `text` and its index in the view.
    starts: Vec<(usize, usize)>,
}

impl Stream {
    fn new(view: &View, tokens: Range<usize>) -> Stream {
        // Sized for every token of the range at once (the text tokens are most of them): grown
        // from nothing, both doubled their way up in every table reader.
        let bytes = view.tokens_range(tokens.clone()).len();
        let mut text = String::with_capacity(bytes);
        let mut starts = Vec::with_capacity(tokens.len());
        for t in tokens {
            if let Some(token) = view.tokens.get(t)
                && token.class == Class::Text
            {
                starts.push((text.len(), t));
                text.push_str(&view.compact[token.range()]);
            }
        }
        Stream { text, starts }
    }

    fn token_of(&self, byte: usize) -> usize {
        let i = self.starts.partition_point(|(s, _)| *s <= byte);
        self.starts[i.saturating_sub(1)].1
    }

    /// The `compact` offset of byte `byte` of `text`.
    fn compact_at(&self, view: &View, byte: usize) -> usize {
        let i = self.starts.partition_point(|(s, _)| *s <= byte);
        let Some(&(start, token)) = self.starts.get(i.saturating_sub(1)) else {
            return 0;
        };
        view.tokens
            .get(token)
            .map_or(0, |t| t.range().start + byte.saturating_sub(start))
    }

    /// The `compact` range of the first match of one of `forms` within tokens `tokens`.
    fn exact<'f>(
        &self,
        view: &View,
        mut forms: impl Iterator<Item = &'f str>,
        tokens: Range<usize>,
    ) -> Option<Range<usize>> {
        let lo = self.starts.partition_point(|(_, t)| *t < tokens.start);
        let hi = self.starts.partition_point(|(_, t)| *t < tokens.end);
        let from = self.starts.get(lo).map_or(self.text.len(), |(s, _)| *s);
        let to = self.starts.get(hi).map_or(self.text.len(), |(s, _)| *s);
        let haystack = self.text.get(from..to)?;
        forms.find_map(|form| {
            let at = from + find_short(haystack.as_bytes(), form.as_bytes())?;
            let start = self.compact_at(view, at);
            // Byte for byte: after the label's last byte is after its last character.
            let end = self.compact_at(view, at + form.len() - 1) + 1;
            Some(start..end.max(start))
        })
    }

    /// Every match of `label` (a searcher for it, built once per run for the edition's labels)
    /// within tokens `tokens`, as token ranges.
    fn find_all<'s>(
        &'s self,
        label: &'s Finder<'_>,
        tokens: Range<usize>,
    ) -> impl Iterator<Item = Range<usize>> + 's {
        let needle = label.needle();
        let lo = self.starts.partition_point(|(_, t)| *t < tokens.start);
        let hi = self.starts.partition_point(|(_, t)| *t < tokens.end);
        let from = self.starts.get(lo).map_or(self.text.len(), |(s, _)| *s);
        let to = self.starts.get(hi).map_or(self.text.len(), |(s, _)| *s);
        let haystack = self.text.get(from..to).unwrap_or("");
        // The same non-overlapping matches as `match_indices`, found by memmem (SIMD to scan).
        // An empty label (never asked for) would match between bytes.
        let haystack = if needle.is_empty() { "" } else { haystack };
        label.find_iter(haystack.as_bytes()).map(move |at| {
            let first = self.token_of(from + at);
            let last = self.token_of(from + at + needle.len() - 1);
            first..last + 1
        })
    }
}

/// The first match of `needle` in `haystack` (at 0 for an empty needle, like `str::find`).
/// The haystacks here are a few tokens long: each place where the needle's first byte is
/// (memchr) is compared, rather than a memmem searcher built for every search, which cost more
/// than the search; a long haystack gets the searcher.
fn find_short(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    let Some(&first) = needle.first() else {
        return Some(0);
    };
    if haystack.len() > 1024 {
        return memchr::memmem::find(haystack, needle);
    }
    memchr::memchr_iter(first, haystack).find(|&at| haystack[at..].starts_with(needle))
}

/// Where a token is in the document's table structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CellPos {
    table: usize,
    row: usize,
    cell: usize,
    /// The cell's first grid column and how many it spans.
    column: usize,
    colspan: usize,
}

/// Which cells of a structured row hold its figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Figures {
    /// The cells in these grid columns of this table (table 三: from the 自然人 column to the
    /// 总计 column of the header).
    Columns {
        table: usize,
        first: usize,
        last: usize,
    },
    /// The cells after the label; surplus blank cells after the figures are padding (table 二:
    /// a one-value block is padded after its value in Markdown).
    PaddedAfter,
    /// The cells after the label; surplus blank cells before the figures are padding (label
    /// cells spanning several columns, when no header says where the figures are).
    PaddedBefore,
}

/// What the table readers share.
struct Reader<'v> {
    view: &'v View,
    stream: Stream,
    tokens: Range<usize>,
    /// For each token of `tokens`, where it is in the document's tables, if anywhere.
    positions: Vec<Option<CellPos>>,
}

impl Reader<'_> {
    fn position(&self, token: usize) -> Option<CellPos> {
        token
            .checked_sub(self.tokens.start)
            .and_then(|i| self.positions.get(i).copied().flatten())
    }

    /// The figures of a labelled row, read from the table structure: the number tokens in the
    /// cells after the label's cell (or in the figure columns), with blank padding trimmed to
    /// `width`. `None` when the label is not in a structured row or nothing follows it there.
    fn row_figures(&self, label: &Range<usize>, width: usize, how: Figures) -> Option<Vec<usize>> {
        let last = label.end.checked_sub(1)?;
        let at = self.position(last)?;
        let in_row = |t: usize| {
            self.position(t)
                .filter(|p| p.table == at.table && p.row == at.row)
        };
        // Sized for a whole row of table 四 (fifteen figures) at once: collecting through the
        // filters below grew it from nothing, three allocations a row.
        let mut figures: Vec<usize> = Vec::with_capacity(16);
        figures.extend(
            (label.end..self.tokens.end)
                .take_while(|&t| {
                    self.position(t)
                        .is_none_or(|p| p.table == at.table && p.row == at.row)
                })
                .filter(|&t| self.is_number(t))
                .filter(|&t| match (how, in_row(t)) {
                    (_, None) => false,
                    (Figures::Columns { table, first, last }, Some(p)) => {
                        p.table == table && (first..=last).contains(&p.column)
                    }
                    (_, Some(p)) => p.cell > at.cell,
                }),
        );
        if figures.is_empty() {
            return None;
        }
        let blank = |t: usize| self.number(t).is_some_and(|v| v.blank);
        // The figures kept are `figures[first..end]`: blank padding trimmed from one end.
        let (mut first, mut end) = (0, figures.len());
        while end - first > width {
            let (outer, next) = match how {
                Figures::PaddedBefore => (figures[first], (first + 1, end)),
                _ => (figures[end - 1], (first, end - 1)),
            };
            if !blank(outer) {
                break;
            }
            (first, end) = next;
        }
        figures.truncate(end);
        figures.drain(..first);
        Some(figures)
    }

    /// The grid columns of table 三's figures, from its header: the 自然人 column to the 总计
    /// column, when they are `width` columns apart in one table.
    fn figure_columns(
        &self,
        first_label: &str,
        total_label: &str,
        width: usize,
    ) -> Option<Figures> {
        let find = |label: &str| {
            self.tokens.clone().find_map(|t| {
                (self.view.tokens[t].class == Class::Text && self.view.token_text(t) == label)
                    .then(|| self.position(t))
                    .flatten()
            })
        };
        let first = find(first_label)?;
        let total = find(total_label)?;
        (first.table == total.table && total.column + 1 == first.column + width).then_some(
            Figures::Columns {
                table: first.table,
                first: first.column,
                last: total.column + total.colspan - 1,
            },
        )
    }

    fn number(&self, token: usize) -> Option<CellValue> {
        self.view.cell(token)
    }

    fn is_number(&self, token: usize) -> bool {
        self.view
            .tokens
            .get(token)
            .is_some_and(|t| t.class == Class::Number)
    }

    fn numbers_in(&self, range: Range<usize>) -> Vec<usize> {
        range.filter(|&t| self.is_number(t)).collect()
    }

    /// The cells of `tokens`, in one allocation (collected through `filter_map`, a row's
    /// vector started at four and grew).
    fn cells_of(&self, tokens: &[usize]) -> Vec<ReadCell> {
        let mut cells = Vec::with_capacity(tokens.len());
        cells.extend(tokens.iter().filter_map(|&t| self.cell(t)));
        cells
    }

    fn cell(&self, token: usize) -> Option<ReadCell> {
        Some(ReadCell {
            value: self.number(token)?,
            range: self.view.tokens.get(token)?.range(),
        })
    }

    fn range_of(&self, tokens: Range<usize>) -> Range<usize> {
        self.view.tokens_range(tokens)
    }

    /// Finds `label` (or a phrase variant of it), skipping matches inside a longer label
    /// (`规范性文件` in `行政规范性文件`).
    fn find_outside(
        &self,
        label: &str,
        labels: &Labels,
        tokens: Range<usize>,
    ) -> Option<Range<usize>> {
        labels.forms(label).iter().find_map(|(form, containing)| {
            let mut hits = self
                .stream
                .find_all(&form.finder, tokens.clone())
                .peekable();
            hits.peek()?;
            if containing.is_empty() {
                return hits.next();
            }
            let covered: Vec<Range<usize>> = containing
                .iter()
                .flat_map(|l| self.stream.find_all(&l.finder, tokens.clone()))
                .collect();
            hits.find(|m| !covered.iter().any(|o| o.start <= m.start && o.end >= m.end))
        })
    }

    /// Where exactly (a `compact` range) `label` was matched within its tokens `m`, which may
    /// hold figures or other labels glued to it; `m`'s whole range when it is not found again.
    fn exact_label(&self, label: &str, labels: &Labels, m: &Range<usize>) -> Range<usize> {
        // The first PREFIX_CHARS characters, borrowed (no string built per label).
        let prefix = label
            .char_indices()
            .nth(PREFIX_CHARS)
            .map_or(label, |(at, _)| &label[..at]);
        // Passed as an iterator, not collected: one vector per label read was a tenth of the
        // allocations of a run.
        let forms = labels
            .forms(label)
            .iter()
            .map(|(f, _)| f.text.as_str())
            .chain([label, prefix]);
        self.stream
            .exact(self.view, forms, m.clone())
            .unwrap_or_else(|| self.range_of(m.clone()))
    }

    /// The text after a label up to the next one (`gap`, a `compact` range) as whitespace-
    /// separated pieces with where each starts, as long as they are all digits: the figures of
    /// a row whose cells may be glued. Empty when the text starts with anything else.
    fn digit_pieces(&self, gap: &Range<usize>) -> Vec<(usize, &str)> {
        let mut pieces = Vec::new();
        let first = self.view.token_at(gap.start);
        for token in self.view.tokens.get(first..).unwrap_or_default() {
            let range = token.range();
            if range.start >= gap.end {
                break;
            }
            let start = range.start.max(gap.start);
            let end = range.end.min(gap.end);
            let Some(text) = self.view.compact.get(start..end) else {
                break;
            };
            if token.class == Class::PageNumber || text.is_empty() {
                continue;
            }
            if !text.bytes().all(|b| b.is_ascii_digit()) {
                break;
            }
            pieces.push((start, text));
        }
        pieces
    }

    /// Like `find_outside`, falling back to a unique prefix of a long label.
    fn find_row(&self, label: &str, labels: &Labels, tokens: Range<usize>) -> Option<Range<usize>> {
        if let Some(m) = self.find_outside(label, labels, tokens.clone()) {
            return Some(m);
        }
        if label.chars().count() <= PREFIX_CHARS + 2 {
            return None;
        }
        let prefix: String = label.chars().take(PREFIX_CHARS).collect();
        let prefix = Finder::new(&prefix);
        let mut hits = self.stream.find_all(&prefix, tokens);
        let first = hits.next()?;
        hits.next().is_none().then_some(first)
    }
}

/// Characters of a long label's prefix that identify it when PDF extraction has interleaved
/// another label's fragments into its tail.
const PREFIX_CHARS: usize = 12;

/// The labels one table is read by, normalised once per process (they are the same for every
/// file): each label's forms (phrase variants), and for each form the longer labels' forms that
/// contain it (`规范性文件` inside `行政规范性文件`), so that a match inside a longer label is
/// not taken for the shorter one.
#[derive(Debug, Default)]
struct Labels {
    /// By label. Hashed (FxHash: the labels are the program's own), not sorted: a binary
    /// search compared several long Chinese labels byte by byte at each of the ~70 lookups per
    /// report.
    forms: rustc_hash::FxHashMap<String, Vec<FormsOf>>,
}

/// A form of a label and the longer labels' forms that contain it.
type FormsOf = (Form, Vec<Form>);

/// A label form with its searcher, built once per run: building a memmem searcher for each
/// search cost more than the search (3% of a run's instructions).
#[derive(Debug)]
struct Form {
    text: String,
    finder: Finder<'static>,
}

impl Form {
    fn new(text: &str) -> Form {
        Form {
            text: text.to_owned(),
            finder: Finder::new(text).into_owned(),
        }
    }
}

impl Labels {
    fn new(all: &[String]) -> Labels {
        // Every label's forms, looked up once, not once per pair of labels, each with the set
        // of characters it has (a form can only be inside a label that has all of its
        // characters: most pairs are ruled out without a substring search).
        let memo: Vec<std::rc::Rc<[String]>> = all.iter().map(|l| label_forms(l)).collect();
        let forms_of: Vec<Vec<(&String, u128)>> = memo
            .iter()
            .map(|forms| forms.iter().map(|f| (f, char_set(f))).collect())
            .collect();
        let forms: Vec<(String, Vec<FormsOf>)> = all
            .iter()
            .zip(&forms_of)
            .map(|(label, own)| {
                let forms = own
                    .iter()
                    .map(|&(form, set)| {
                        let containing = all
                            .iter()
                            .zip(&forms_of)
                            .filter(|(l, _)| l.len() > form.len())
                            .flat_map(|(_, forms)| forms.iter())
                            .filter(|&&(l, l_set)| set & !l_set == 0 && l.contains(form.as_str()))
                            .map(|&(l, _)| Form::new(l))
                            .collect();
                        (Form::new(form), containing)
                    })
                    .collect();
                (label.clone(), forms)
            })
            .collect();
        // A label listed twice has the same forms both times: the first is kept.
        let mut by_label = rustc_hash::FxHashMap::default();
        for (label, forms) in forms {
            by_label.entry(label).or_insert(forms);
        }
        Labels { forms: by_label }
    }

    fn forms(&self, label: &str) -> &[FormsOf] {
        self.forms.get(label).map_or(&[], Vec::as_slice)
    }
}

/// The characters of `text` as a set of 128 buckets (by code point): if `a` is inside `b`,
/// `char_set(a)` is a subset of `char_set(b)`.
fn char_set(text: &str) -> u128 {
    text.chars()
        .fold(0, |set, c| set | 1u128 << (c as u32 % 128))
}

/// What tables 二 and 三 of one edition are read by.
#[derive(Debug)]
struct EditionLabels {
    /// Table 二's row labels, block by block, normalised.
    active_rows: Vec<Vec<String>>,
    /// Table 二 labels of the other editions that this one does not have.
    active_other: Vec<(String, u16)>,
    active: Labels,
    /// Every form of what ends a table 二 row's figures: labels, block titles, column headers.
    active_anchors: Vec<Form>,
    /// Table 三's data rows: (id, normalised label).
    rows: Vec<(String, String)>,
    /// Table 三's own labels, group labels included.
    own: Vec<String>,
    /// Table 三 data-row labels of the other editions that this one does not have.
    other_rows: Vec<(String, u16)>,
    /// Table 三's group labels, normalised.
    groups: Vec<String>,
    applications: Labels,
    /// Every data-row label of table 三 in each other edition, normalised, with the edition.
    other_data_rows: Vec<(Vec<String>, u16)>,
}

impl EditionLabels {
    fn new(edition: &Edition) -> EditionLabels {
        let active_rows: Vec<Vec<String>> = edition
            .active
            .blocks
            .iter()
            .map(|b| b.rows.iter().map(|r| normalize_label(r)).collect())
            .collect();
        let flat: Vec<String> = active_rows.iter().flatten().cloned().collect();
        let active_other: Vec<(String, u16)> = edition::others(edition)
            .flat_map(|o| {
                o.active
                    .blocks
                    .iter()
                    .flat_map(|b| b.rows.clone())
                    .map(move |row| (normalize_label(&row), o.edition))
                    .collect::<Vec<_>>()
            })
            .filter(|(r, _)| !flat.contains(r))
            .collect();
        let all_active: Vec<String> = flat
            .iter()
            .cloned()
            .chain(active_other.iter().map(|(l, _)| l.clone()))
            .collect();
        let mut anchors: Vec<String> = all_active.clone();
        for e in edition::all() {
            for b in &e.active.blocks {
                anchors.push(normalize_label(&b.title));
                anchors.extend(b.columns.iter().map(|c| normalize_label(c.label())));
            }
        }
        anchors.push(normalize_label("信息内容"));
        let active_anchors = anchors
            .iter()
            .flat_map(|a| {
                label_forms(a)
                    .iter()
                    .map(|f| Form::new(f))
                    .collect::<Vec<_>>()
            })
            .collect();

        let def = &edition.applications;
        let rows = def
            .data_rows()
            .map(|(id, row)| (id.to_owned(), normalize_label(&row.label)))
            .collect();
        let own: Vec<String> = def.rows.iter().map(|r| normalize_label(&r.label)).collect();
        let other_rows: Vec<(String, u16)> = edition::others(edition)
            .flat_map(|o| {
                o.grid(TableId::Applications)
                    .data_rows()
                    .map(|(_, r)| (normalize_label(&r.label), o.edition))
                    .collect::<Vec<_>>()
            })
            .filter(|(l, _)| !own.contains(l))
            .collect();
        let all: Vec<String> = own
            .iter()
            .cloned()
            .chain(other_rows.iter().map(|(l, _)| l.clone()))
            .collect();
        let groups = def
            .rows
            .iter()
            .filter(|r| r.group.is_some())
            .map(|g| normalize_label(&g.label))
            .collect();
        EditionLabels {
            active: Labels::new(&all_active),
            active_rows,
            active_other,
            active_anchors,
            rows,
            own,
            other_rows,
            groups,
            applications: Labels::new(&all),
            other_data_rows: edition::others(edition)
                .map(|o| {
                    let rows = o
                        .grid(TableId::Applications)
                        .data_rows()
                        .map(|(_, r)| normalize_label(&r.label))
                        .collect();
                    (rows, o.edition)
                })
                .collect(),
        }
    }

    /// The labels of `edition`, made on first use (each edition's apart: a run over one
    /// report needs only its edition's).
    fn of(edition: &Edition) -> &'static EditionLabels {
        static ALL: std::sync::OnceLock<Vec<std::sync::OnceLock<EditionLabels>>> =
            std::sync::OnceLock::new();
        edition::derived(&ALL, edition, EditionLabels::new)
    }
}

fn reader<'v>(view: &'v View, cells: &CellIndex, extent: &Range<usize>) -> Reader<'v> {
    let tokens = view.token_at(extent.start)..view.token_at(extent.end);
    Reader {
        view,
        stream: Stream::new(view, tokens.clone()),
        positions: cells.positions(view, tokens.clone()),
        tokens,
    }
}

/// Every cell of the document's tables by where its content starts: built once per reading and
/// asked, for the tokens of each table section, which cell a token is in.
#[derive(Debug, Clone, Default)]
pub struct CellIndex {
    cells: Vec<(Range<usize>, CellPos)>,
}

impl CellIndex {
    pub fn new(document: &Document) -> CellIndex {
        // Counted first: collected from the nested iterators, the vector grew by doubling.
        let count = document
            .tables
            .iter()
            .flat_map(|table| &table.rows)
            .map(|row| row.cells.len())
            .sum();
        let mut cells: Vec<(Range<usize>, CellPos)> = Vec::with_capacity(count);
        cells.extend(document.tables.iter().enumerate().flat_map(|(t, table)| {
            table.rows.iter().enumerate().flat_map(move |(r, row)| {
                row.cells.iter().enumerate().map(move |(c, cell)| {
                    (
                        cell.content.clone(),
                        CellPos {
                            table: t,
                            row: r,
                            cell: c,
                            column: cell.column,
                            colspan: cell.colspan,
                        },
                    )
                })
            })
        }));
        cells.sort_by_key(|(range, _)| range.start);
        CellIndex { cells }
    }

    /// Where each token of `tokens` is in the document's tables: cells are found by the
    /// content offset the token starts at.
    fn positions(&self, view: &View, tokens: Range<usize>) -> Vec<Option<CellPos>> {
        if self.cells.is_empty() {
            return vec![None; tokens.len()];
        }
        // Tokens come in the order of the content, so the first cell starting after each is
        // found by walking on from the previous token's (searched afresh should the order
        // ever go back).
        let mut i = 0;
        let mut last_start = 0;
        // Tokens in order: each one's place in the view's map is sought from the previous.
        let mut hint = usize::MAX;
        tokens
            .map(|t| {
                let start = view.content_start_near(view.tokens[t].range().start, &mut hint);
                if start < last_start {
                    i = 0;
                }
                if i == 0 {
                    i = self
                        .cells
                        .partition_point(|(range, _)| range.start <= start);
                }
                while self
                    .cells
                    .get(i)
                    .is_some_and(|(range, _)| range.start <= start)
                {
                    i += 1;
                }
                last_start = start;
                let (range, pos) = self.cells.get(i.checked_sub(1)?)?;
                (start < range.end).then_some(*pos)
            })
            .collect()
    }
}

/// A table whose short rows are all glued together, or whose most rows have the wrong number
/// of figures, is unreadable as a whole: its rows are not reported one by one.
fn judge_counts(table: &mut TableRead, rows: &[&RowRead], view: &View, glued: bool) {
    if table.unreadable.is_some() {
        return;
    }
    let found: Vec<&&RowRead> = rows.iter().filter(|r| r.label().is_some()).collect();
    let wrong = found
        .iter()
        .filter(|r| matches!(r, RowRead::WrongCount { .. }))
        .count();
    if wrong == 0 || !(glued || found.len() >= 4 && wrong * 2 > found.len()) {
        return;
    }
    let start = found
        .iter()
        .filter_map(|r| r.label())
        .map(|l| l.start)
        .min();
    let end = found.iter().filter_map(|r| r.label()).map(|l| l.end).max();
    let range = start.unwrap_or(0)..end.unwrap_or(0).min(view.compact.len());
    let why = if glued {
        Unreadable::Glued
    } else {
        Unreadable::Misaligned
    };
    table.unreadable = Some((why, range));
}

/// How many figures a row should have and how many were read after its label (tokens).
struct Count {
    tokens: Range<usize>,
    found: usize,
    expected: usize,
}

/// Whether every row that came short is explained by its cells glued together: at most half
/// its figures read, one of them with the digits of the missing cells (`000` for three cells,
/// `640020470`).
fn glued(reader: &Reader, rows: &[Count]) -> bool {
    let short: Vec<&Count> = rows.iter().filter(|c| c.found < c.expected).collect();
    !short.is_empty()
        && short.iter().all(|c| {
            c.found * 2 <= c.expected
                && c.tokens.clone().any(|t| {
                    let digits = reader
                        .view
                        .token_text(t)
                        .bytes()
                        .filter(u8::is_ascii_digit)
                        .count();
                    digits > c.expected - c.found
                })
        })
}

/// Table 二: blocks of rows; each row's figures follow its label.
pub fn active(
    view: &View,
    cells: &CellIndex,
    edition: &Edition,
    extent: Option<&Range<usize>>,
) -> ActiveRead {
    let mut read = ActiveRead {
        table: TableRead::default(),
        rows: edition
            .active
            .blocks
            .iter()
            .map(|b| vec![RowRead::Missing; b.rows.len()])
            .collect(),
    };
    let Some(extent) = extent else {
        return read;
    };
    let r = reader(view, cells, extent);
    let tokens = r.tokens.clone();
    let labels = EditionLabels::of(edition);
    // Every anchor's matches into one vector (a vector per anchor, collected and then
    // flattened, was an allocation per anchor per report).
    let mut anchor_starts: Vec<usize> = Vec::new();
    for a in &labels.active_anchors {
        anchor_starts.extend(
            r.stream
                .find_all(&a.finder, tokens.clone())
                .map(|m| m.start),
        );
    }
    anchor_starts.sort_unstable();
    for (label, number) in &labels.active_other {
        if let Some(m) = r.find_outside(label, &labels.active, tokens.clone()) {
            read.table.wrong_edition.push(WrongEditionRow {
                range: r.range_of(m),
                edition: *number,
                single_row_of: None,
            });
        }
    }
    let mut counts = Vec::new();
    for (b, block) in edition.active.blocks.iter().enumerate() {
        for i in 0..block.rows.len() {
            let label = &labels.active_rows[b][i];
            let Some(m) = r.find_outside(label, &labels.active, tokens.clone()) else {
                continue;
            };
            read.table.found = true;
            let next = anchor_starts
                .iter()
                .copied()
                .find(|&s| s >= m.end)
                .unwrap_or(tokens.end);
            let cells = r
                .row_figures(&m, block.columns.len(), Figures::PaddedAfter)
                .unwrap_or_else(|| r.numbers_in(m.end..next));
            let label_range = r.range_of(m.clone());
            counts.push(Count {
                tokens: m.end..next,
                found: cells.len(),
                expected: block.columns.len(),
            });
            read.rows[b][i] = if cells.len() == block.columns.len() {
                RowRead::Read {
                    label: label_range,
                    cells: r.cells_of(&cells),
                }
            } else {
                RowRead::WrongCount {
                    label: label_range,
                    found: cells.len(),
                    expected: block.columns.len(),
                }
            };
        }
    }
    let rows: Vec<&RowRead> = read.rows.iter().flatten().collect();
    let glued = glued(&r, &counts);
    judge_counts(&mut read.table, &rows, view, glued);
    read
}

/// The value of a table 二 cell as the data file holds it.
pub fn active_number(cell: &ReadCell, kind: CellKind) -> Option<crate::report::Number> {
    match kind {
        CellKind::Amount if cell.value.decimal && cell.value.is_plausible() => {
            Some(crate::report::Number::Decimal(cell.value.value))
        }
        _ => cell.value.as_count().map(crate::report::Number::Int),
    }
}

/// Table 三: 7 figures per row after each row label.
pub fn applications(
    view: &View,
    cells: &CellIndex,
    edition: &Edition,
    extent: Option<&Range<usize>>,
) -> GridRead {
    let def = &edition.applications;
    let mut read = GridRead::unread(def);
    let Some(extent) = extent else {
        return read;
    };
    let r = reader(view, cells, extent);
    let tokens = r.tokens.clone();
    let width = def.width();
    let labels = EditionLabels::of(edition);

    // Locate every label: in order where possible, anywhere in the section otherwise.
    // (where the match starts, its tokens, the row's id, its label), borrowed from `labels`.
    let mut located: Vec<(usize, Range<usize>, Option<&str>, &str)> = Vec::new();
    let mut cursor = tokens.start;
    let all = &labels.applications;
    let own = &labels.own;
    for (id, label) in &labels.rows {
        let m = r
            .find_row(label, all, cursor..tokens.end)
            .or_else(|| r.find_row(label, all, tokens.clone()));
        if let Some(m) = m {
            cursor = m.end;
            located.push((m.start, m, Some(id.as_str()), label.as_str()));
        }
    }
    for label in &labels.groups {
        if let Some(m) = r.find_outside(label, all, tokens.clone()) {
            located.push((m.start, m, None, label.as_str()));
        }
    }
    for (label, number) in &labels.other_rows {
        if let Some(m) = r.find_outside(label, all, tokens.clone()) {
            read.table.wrong_edition.push(WrongEditionRow {
                range: r.range_of(m.clone()),
                edition: *number,
                single_row_of: None,
            });
            located.push((m.start, m, None, label.as_str()));
        }
    }
    if !located.iter().any(|(_, _, id, _)| id.is_some()) {
        return read;
    }
    read.table.found = true;
    // In order of where each label exactly is: labels glued into one token keep their order.
    let exact: Vec<Range<usize>> = located
        .iter()
        .map(|(_, m, _, label)| r.exact_label(label, all, m))
        .collect();
    let mut located: Vec<_> = located.into_iter().zip(exact).collect();
    located.sort_by_key(|((s, ..), exact)| (*s, exact.start));
    let section_end = r.range_of(tokens.clone()).end;
    let gaps: Vec<Range<usize>> = (0..located.len())
        .map(|i| {
            let end = located.get(i + 1).map_or(section_end, |(_, e)| e.start);
            located[i].1.end..end.max(located[i].1.end)
        })
        .collect();
    let (located, exact): (Vec<_>, Vec<_>) = located.into_iter().unzip();

    let how = r
        .figure_columns(
            &normalize_label(&def.columns[0]),
            &normalize_label(&def.total),
            width,
        )
        .unwrap_or(Figures::PaddedBefore);
    let mut surplus: VecDeque<Vec<usize>> = VecDeque::new();
    let mut counts = Vec::new();
    let mut glued_rows: Vec<GluedRow> = Vec::new();
    for (i, (start, m, id, label)) in located.iter().enumerate() {
        let next = located.get(i + 1).map_or(tokens.end, |(s, ..)| *s);
        // In a structured row, the figures after the label up to the next label (a group label
        // shares its row with its first sub-row's label).
        let structured = r
            .row_figures(m, width, how)
            .map(|mut f| {
                f.retain(|&t| t < next.max(m.end));
                f
            })
            .filter(|f| !f.is_empty() || id.is_none());
        let from_structure = structured.is_some();
        let cells = structured.unwrap_or_else(|| r.numbers_in(*start..next.max(m.end)));
        let Some(id) = id else {
            // A group label followed by figures: the single-row form of another edition.
            let other_single_row = labels
                .other_data_rows
                .iter()
                .find(|(rows, _)| rows.iter().any(|r| r == label));
            if cells.len() == width
                && own.iter().any(|o| o == label)
                && let Some((_, number)) = other_single_row
            {
                let group = def
                    .rows
                    .iter()
                    .find(|g| g.group.is_some() && normalize_label(&g.label) == *label)
                    .and_then(|g| g.group.clone());
                read.table.wrong_edition.push(WrongEditionRow {
                    range: r.range_of(m.clone()),
                    edition: *number,
                    single_row_of: group,
                });
            }
            continue;
        };
        let mut cells = cells;
        if from_structure {
            // Rows of a structured table hold their own figures.
        } else if cells.is_empty() {
            if let Some(queued) = surplus.pop_front() {
                cells = queued;
            }
        } else if cells.len() > width && cells.len().is_multiple_of(width) {
            for chunk in cells[width..].chunks(width) {
                surplus.push_back(chunk.to_vec());
            }
            cells.truncate(width);
        }
        if cells.len() < width {
            glued_rows.push((
                String::from(*id),
                exact[i].start..gaps[i].end,
                gaps[i].clone(),
            ));
        }
        counts.push((
            *id,
            Count {
                tokens: m.end..next.max(m.end),
                found: cells.len(),
                expected: width,
            },
        ));
        let label = r.range_of(m.clone());
        let row = if cells.len() == width {
            RowRead::Read {
                label,
                cells: r.cells_of(&cells),
            }
        } else {
            RowRead::WrongCount {
                label,
                found: cells.len(),
                expected: width,
            }
        };
        read.rows.insert(String::from(*id), row);
    }
    split_glued_rows(&r, edition, &mut read, &glued_rows);
    let counts: Vec<Count> = counts
        .into_iter()
        .filter(|(id, _)| matches!(read.rows.get(*id), Some(RowRead::WrongCount { .. })))
        .map(|(_, c)| c)
        .collect();
    let rows: Vec<&RowRead> = read.rows.values().collect();
    let glued = glued(&r, &counts);
    judge_counts(&mut read.table, &rows, view, glued);
    read
}

/// A row of table 三 whose figures may be glued: its id, where its label starts (up to the
/// next label), and the text after its label.
type GluedRow = (String, Range<usize>, Range<usize>);

/// Reads the rows of table 三 that came short by splitting their glued figures
/// ([`glued::split`]): each row's own equation first, then the column equations across rows
/// ([`narrow_by_columns`]). A row left with one reading is read; with none or several, it is
/// recorded as [`RowRead::Glued`].
fn split_glued_rows(r: &Reader, edition: &Edition, read: &mut GridRead, rows: &[GluedRow]) {
    let width = edition.applications.width();
    let mut searches: BTreeMap<String, glued::Search> = BTreeMap::new();
    let mut spans: BTreeMap<&String, Range<usize>> = BTreeMap::new();
    for (id, row, gap) in rows {
        let pieces = r.digit_pieces(gap);
        // The row as written: its label and its glued figures.
        let end = pieces.last().map_or(gap.start, |(at, t)| at + t.len());
        spans.insert(id, row.start..end.max(row.start));
        let Some(segments) = glued::segments_of(&pieces) else {
            continue;
        };
        let digits: usize = segments.iter().map(|s| s.digits.len()).sum();
        if segments.len() >= width || digits < width {
            continue;
        }
        searches.insert(id.clone(), glued::split(&segments, width, width));
    }
    if searches.is_empty() {
        return;
    }
    narrow_by_columns(edition, read, &mut searches);
    for (id, search) in searches {
        let Some(label) = spans
            .get(&id)
            .cloned()
            .or_else(|| read.rows.get(&id).and_then(|row| row.label()).cloned())
        else {
            continue;
        };
        let row = match search.splits.as_slice() {
            [only] if search.count == 1 && !search.capped => RowRead::Read {
                label,
                cells: split_cells(only),
            },
            _ => RowRead::Glued {
                label,
                splits: search.count,
                capped: search.capped,
            },
        };
        read.rows.insert(id, row);
    }
}

/// The cells of one reading of glued figures.
fn split_cells(split: &glued::Split) -> Vec<ReadCell> {
    split
        .values
        .iter()
        .zip(&split.ranges)
        .map(|(&value, range)| ReadCell {
            value: CellValue::count(value),
            range: range.clone(),
        })
        .collect()
}

/// Most combinations of ambiguous rows tried against one column equation.
const MAX_COMBINATIONS: usize = 4096;

/// Keeps, of each ambiguous glued row, the readings that let a column equation (R1, R2) hold
/// when every other row of it is known: read, or glued with one reading. Several ambiguous rows
/// in one equation are tried together when their combinations are few
/// ([`MAX_COMBINATIONS`]). An equation no combination satisfies removes nothing (the report may
/// be wrong there; the rules say so). Repeated while it narrows something: each pass is linear
/// in the table, and every pass that continues has removed a reading.
fn narrow_by_columns(
    edition: &Edition,
    read: &GridRead,
    searches: &mut BTreeMap<String, glued::Search>,
) {
    let width = edition.applications.width();
    let known = |id: &str, searches: &BTreeMap<String, glued::Search>| -> Option<Vec<i64>> {
        if let Some(search) = searches.get(id) {
            return match search.splits.as_slice() {
                [only] if search.count == 1 && !search.capped => Some(only.values.clone()),
                _ => None,
            };
        }
        let cells = read.rows.get(id)?.cells()?;
        cells.iter().map(|c| c.value.as_count()).collect()
    };
    let equations: Vec<&edition::Equation> = edition
        .equations
        .iter()
        .filter(|e| e.table == TableId::Applications && e.kind == edition::EquationKind::Columns)
        .collect();
    loop {
        let mut narrowed = false;
        for eq in &equations {
            let ids: Vec<(&String, i64)> = eq
                .left
                .iter()
                .map(|id| (id, 1))
                .chain(eq.right.iter().map(|id| (id, -1)))
                .collect();
            let open: Vec<&String> = ids
                .iter()
                .map(|(id, _)| *id)
                .filter(|id| {
                    searches
                        .get(*id)
                        .is_some_and(|s| s.count > 1 && !s.capped && s.count == s.splits.len())
                })
                .collect();
            let combinations = open
                .iter()
                .map(|id| searches.get(*id).map_or(1, |s| s.splits.len()))
                .try_fold(1usize, |acc, n| acc.checked_mul(n))
                .filter(|&n| n <= MAX_COMBINATIONS);
            if open.is_empty() || combinations.is_none() {
                continue;
            }
            // The sum of the known rows, column by column; give up if one is not known.
            let mut fixed = vec![0i64; width];
            let mut complete = true;
            for (id, sign) in &ids {
                if open.contains(id) {
                    continue;
                }
                match known(id, searches) {
                    Some(values) if values.len() == width => {
                        for (f, v) in fixed.iter_mut().zip(values) {
                            *f += sign * v;
                        }
                    }
                    _ => complete = false,
                }
            }
            if !complete {
                continue;
            }
            let signs: Vec<i64> = open
                .iter()
                .map(|id| ids.iter().filter(|(i, _)| i == id).map(|(_, s)| s).sum())
                .collect();
            let options: Vec<&[glued::Split]> = open
                .iter()
                .map(|id| searches.get(*id).map_or(&[][..], |s| s.splits.as_slice()))
                .collect();
            let mut keep: Vec<Vec<bool>> = options.iter().map(|o| vec![false; o.len()]).collect();
            let mut choice = vec![0usize; options.len()];
            'combinations: loop {
                let holds = (0..width).all(|c| {
                    let open_sum: i64 = choice
                        .iter()
                        .zip(&options)
                        .zip(&signs)
                        .map(|((&k, o), s)| s * o[k].values.get(c).copied().unwrap_or(0))
                        .sum();
                    fixed[c] + open_sum == 0
                });
                if holds {
                    for (i, &k) in choice.iter().enumerate() {
                        keep[i][k] = true;
                    }
                }
                // Next combination, odometer-wise.
                for i in 0..choice.len() {
                    choice[i] += 1;
                    if choice[i] < options[i].len() {
                        continue 'combinations;
                    }
                    choice[i] = 0;
                }
                break;
            }
            if keep.iter().all(|k| !k.iter().any(|&x| x)) {
                continue;
            }
            for (id, kept) in open.iter().zip(keep) {
                if let Some(search) = searches.get_mut(*id)
                    && kept.iter().any(|&x| !x)
                {
                    let mut k = kept.iter();
                    search.splits.retain(|_| k.next().copied().unwrap_or(false));
                    search.count = search.splits.len();
                    narrowed = true;
                }
            }
        }
        if !narrowed {
            break;
        }
    }
}

/// Table 四's figures glued together (`20002 1000100000`): split into its 15 cells so that
/// each row's total is the sum of its four results ([`glued::split`]). One reading: the rows
/// are read; none or several: every row is recorded as [`RowRead::Glued`] at the figures.
/// `false` when the figures are not all digits (the table is then unreadable as before).
fn split_glued_appeals(
    r: &Reader,
    def: &GridTable,
    figures: &[usize],
    all_figures: &Range<usize>,
    read: &mut GridRead,
) -> bool {
    let per = def.width();
    let expected = per * def.data_rows().count();
    let pieces: Vec<(usize, &str)> = figures
        .iter()
        .filter_map(|&t| {
            let token = r.view.tokens.get(t)?;
            Some((token.range().start, r.view.token_text(t)))
        })
        .collect();
    let Some(segments) = glued::segments_of(&pieces) else {
        return false;
    };
    let search = glued::split(&segments, expected, per);
    match search.splits.as_slice() {
        [only] if search.count == 1 && !search.capped => {
            let cells = split_cells(only);
            for (i, (id, _)) in def.data_rows().enumerate() {
                let row: Vec<ReadCell> = cells
                    .get(i * per..(i + 1) * per)
                    .unwrap_or_default()
                    .to_vec();
                let label = match (row.first(), row.last()) {
                    (Some(a), Some(b)) => a.range.start..b.range.end,
                    _ => all_figures.clone(),
                };
                read.rows
                    .insert(id.to_owned(), RowRead::Read { label, cells: row });
            }
        }
        _ => {
            for (id, _) in def.data_rows() {
                read.rows.insert(
                    id.to_owned(),
                    RowRead::Glued {
                        label: all_figures.clone(),
                        splits: search.count,
                        capped: search.capped,
                    },
                );
            }
        }
    }
    true
}

/// Table 四: one row of figures under the three-level header.
pub fn appeals(
    view: &View,
    cells: &CellIndex,
    edition: &Edition,
    extent: Option<&Range<usize>>,
) -> GridRead {
    let def = &edition.appeals;
    let mut read = GridRead::unread(def);
    let Some(extent) = extent else {
        return read;
    };
    let r = reader(view, cells, extent);
    let tokens = r.tokens.clone();
    // The header's first cell, or (when PDF extraction breaks the header cells) the 行政诉讼
    // header above them.
    let litigation = def
        .rows
        .iter()
        .find_map(|r| r.parent.as_deref())
        .unwrap_or("");
    let header = [def.columns[0].as_str(), litigation]
        .iter()
        .filter(|l| !l.is_empty())
        .find_map(|l| {
            let label = normalize_label(l);
            r.stream
                .find_all(&Finder::new(&label), tokens.clone())
                .next()
        });
    let Some(header) = header else {
        return read;
    };
    read.table.found = true;
    // Blank cells in the header rows of a structured table are merge padding, not figures.
    let header_rows: Vec<(usize, usize)> = (header.start..tokens.end)
        .filter(|&t| {
            view.tokens[t].class == Class::Text
                && view.token_text(t).chars().any(char::is_alphanumeric)
        })
        .filter_map(|t| r.position(t).map(|p| (p.table, p.row)))
        .collect();
    let figures: Vec<usize> = r
        .numbers_in(header.start..tokens.end)
        .into_iter()
        .filter(|&t| {
            let padding = r.number(t).is_some_and(|v| v.blank)
                && r.position(t)
                    .is_some_and(|p| header_rows.contains(&(p.table, p.row)));
            !padding
        })
        .collect();
    let per = def.width();
    let expected = per * def.data_rows().count();
    // A row of blank cells after the figures (an empty table row) is not a row of figures.
    let mut figures = figures;
    while figures.len() > expected
        && figures
            .last()
            .is_some_and(|&t| r.number(t).is_some_and(|v| v.blank))
    {
        figures.pop();
    }
    let (Some(&first), Some(&last)) = (figures.first(), figures.last()) else {
        read.table.miscount = Some((0, expected, r.range_of(header)));
        return read;
    };
    let interleaved = (first..last).any(|t| {
        view.tokens[t].class == Class::Text && view.token_text(t).chars().any(char::is_alphanumeric)
    });
    let all_figures = r.range_of(first..last + 1);
    if interleaved {
        // Not reconstructed: in the samples, the order in which plain PDF text prints the rows'
        // figures does not follow the rows (淮安 2024 prints 复议后起诉 before 未经复议直接起诉),
        // so a reading consistent with the totals can still assign figures to the wrong row.
        read.table.unreadable = Some((Unreadable::Scrambled, all_figures));
        return read;
    }
    if figures.len() != expected {
        let glued = figures.len() < expected
            && figures.iter().any(|&t| {
                view.token_text(t)
                    .bytes()
                    .filter(u8::is_ascii_digit)
                    .count()
                    >= per
            });
        if glued {
            if split_glued_appeals(&r, def, &figures, &all_figures, &mut read) {
                return read;
            }
            read.table.unreadable = Some((Unreadable::Glued, all_figures));
            return read;
        }
        read.table.miscount = Some((figures.len(), expected, all_figures));
        return read;
    }
    for (i, (id, _)) in def.data_rows().enumerate() {
        let cells = r.cells_of(&figures[i * per..(i + 1) * per]);
        let label = r.range_of(figures[i * per]..figures[(i + 1) * per - 1] + 1);
        read.rows
            .insert(id.to_owned(), RowRead::Read { label, cells });
    }
    read
}

#[cfg(test)]
mod tests {
    //! The layouts of crawled and copied text (tests/fixtures/glued/), read cell by cell.
    use crate::edition::TableId;
    use crate::input::{Document, Format};
    use crate::reading::{Overrides, Reading, RowRead};

    proptest::proptest! {
        /// The first match is memmem's (and `str::find`'s).
        #[test]
        fn short_search_finds_the_first_match(
            haystack in "[一二a1]{0,12}",
            needle in "[一二a1]{0,3}",
        ) {
            proptest::prop_assert_eq!(
                super::find_short(haystack.as_bytes(), needle.as_bytes()),
                haystack.find(needle.as_str())
            );
        }
    }

    fn read(text: &str) -> Reading {
        Reading::new(
            Document::plain("t", Format::Text, text.to_owned()),
            Overrides::default(),
        )
    }

    /// Every row of table 三 (with its total), zeros unless given.
    fn applications(nonzero: &[(&str, [i64; 7])]) -> Vec<(String, Vec<i64>)> {
        let edition = crate::edition::by_number(2021).expect("2021");
        edition
            .applications
            .data_rows()
            .map(|(id, _)| {
                let values = nonzero
                    .iter()
                    .find(|(row, _)| *row == id)
                    .map_or(vec![0; 7], |(_, v)| v.to_vec());
                (id.to_owned(), values)
            })
            .collect()
    }

    fn values(reading: &Reading, table: TableId) -> Vec<(String, Vec<i64>)> {
        let grid = reading.grid(table).expect("table read");
        grid.rows
            .iter()
            .map(|(id, row)| {
                let cells = row.cells.iter().map(|c| c.as_ref().map_or(-1, |c| c.value));
                (id.clone(), cells.collect())
            })
            .collect()
    }

    fn sorted(mut rows: Vec<(String, Vec<i64>)>) -> Vec<(String, Vec<i64>)> {
        rows.sort();
        rows
    }

    #[test]
    fn a_crawled_page_with_glued_cells_is_read_cell_by_cell() {
        let reading = read(include_str!("../../tests/fixtures/glued/crawled-2022.txt"));
        assert_eq!(reading.year(), Some(2022));
        let title = reading.title.as_ref().expect("title");
        assert_eq!(title.text, "青禾县农业农村局2022年政府信息公开工作年度报告");
        assert_eq!(
            reading.agency.as_ref().map(|(a, _)| a.as_str()),
            Some("青禾县农业农村局")
        );
        let sections: Vec<usize> = reading.headings.iter().map(|h| h.section).collect();
        assert_eq!(sections, [0, 1, 2, 3, 4, 5]);
        assert_eq!(
            sorted(values(&reading, TableId::Applications)),
            sorted(applications(&[
                ("本年新收", [16, 0, 0, 2, 0, 0, 18]),
                ("上年结转", [1, 0, 0, 0, 0, 0, 1]),
                ("予以公开", [9, 0, 0, 1, 0, 0, 10]),
                ("部分公开", [2, 0, 0, 0, 0, 0, 2]),
                ("不予公开.保护第三方合法权益", [1, 0, 0, 0, 0, 0, 1]),
                ("无法提供.本机关不掌握相关政府信息", [3, 0, 0, 0, 0, 0, 3]),
                ("不予处理.信访举报投诉类申请", [1, 0, 0, 0, 0, 0, 1]),
                ("总计", [16, 0, 0, 1, 0, 0, 17]),
                ("结转下年度", [1, 0, 0, 1, 0, 0, 2]),
            ]))
        );
        assert_eq!(
            values(&reading, TableId::Appeals),
            [
                ("复议后起诉".to_owned(), vec![0, 0, 0, 0, 0]),
                ("未经复议直接起诉".to_owned(), vec![1, 0, 0, 0, 1]),
                ("行政复议".to_owned(), vec![2, 0, 0, 0, 2]),
            ]
        );
        // Each glued cell points at its own digits: `2.没有现成…` keeps its `2`.
        let row = &reading.applications.rows["无法提供.本机关不掌握相关政府信息"];
        let cells = row.cells().expect("read");
        let last = cells.last().expect("total");
        assert_eq!(&reading.view.compact[last.range.clone()], "3");
        assert_eq!(
            &reading.view.compact[last.range.end..last.range.end + 2],
            "2."
        );
    }

    #[test]
    fn breadcrumb_before_the_title_on_its_line_is_not_the_agency() {
        let text = include_str!("../../tests/fixtures/glued/crawled-2022.txt");
        let body: String = text.lines().skip(2).collect::<Vec<_>>().join("\n");
        let page = format!(
            "首页 > 政务公开 > 年报 当前位置：首页>>信息公开>>青禾县农业农村局2022年政府信息公开工作年度报告\n{body}"
        );
        let reading = read(&page);
        assert_eq!(
            reading.agency.as_ref().map(|(a, _)| a.as_str()),
            Some("青禾县农业农村局")
        );
        assert_eq!(reading.year(), Some(2022));
    }

    #[test]
    fn rows_with_several_consistent_splits_are_glued_not_read() {
        let reading = read(include_str!(
            "../../tests/fixtures/glued/ambiguous-2022.txt"
        ));
        let rows = &reading.applications.rows;
        for id in ["予以公开", "部分公开"] {
            assert!(
                matches!(
                    rows[id],
                    RowRead::Glued {
                        splits: 2,
                        capped: false,
                        ..
                    }
                ),
                "{id}: {:?}",
                rows[id]
            );
        }
        assert!(rows["总计"].cells().is_some());
        assert!(reading.applications.table.unreadable.is_none());
    }

    #[test]
    fn a_row_no_split_balances_is_glued_with_none() {
        let reading = read(include_str!("../../tests/fixtures/glued/stray-2022.txt"));
        assert!(matches!(
            reading.applications.rows["本年新收"],
            RowRead::Glued { splits: 0, .. }
        ));
        assert_eq!(
            reading.applications.rows["上年结转"]
                .cells()
                .map(|c| c.len()),
            Some(7)
        );
    }
}
