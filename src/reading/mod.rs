//! Stage 2, reading: *which report is this?* A [`Document`] becomes a [`Reading`].
//!
//! This stage owns recognising an annual report in a document: its title and statistics
//! period, the report year and the evidence for it, the edition that year implies, the agency,
//! the six sections with their extents, the three tables with every cell's value and where it
//! was read (or why it could not be), and the prose. It judges nothing — the rules do
//! (`crate::rules`), and `extract` turns a reading into a data file. Nothing here imports the
//! rule engine.
//!
//! Positions inside the reading are ranges of the view's `compact` text; [`Reading::span`]
//! turns them into byte ranges of the document's text, which is what diagnostics point at.

pub mod glued;
pub mod normalize;
pub mod outline;
pub mod prose;
pub mod script;
pub mod tables;
pub mod title;
pub mod view;

use std::ops::Range;

use crate::edition::{self, Edition, TableId};
use crate::input::{self, Document, Format};
use crate::report::{Cell, Grid, GridRowValues, Number};

pub use outline::Heading;
pub use tables::{ActiveRead, GridRead, ReadCell, RowRead, TableRead, Unreadable};
pub use title::{AgencySource, Period, Title, Year, YearSource};
pub use view::View;

/// What the user says about a file that the file may not (`--year`, `--edition`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    pub year: Option<i32>,
    pub edition: Option<u16>,
}

/// A document, read as an annual report.
#[derive(Debug, Clone)]
pub struct Reading {
    pub document: Document,
    pub view: View,
    /// The title in the text, or else the page's title.
    pub title: Option<Title>,
    pub period: Option<Period>,
    pub year: Option<Year>,
    pub edition: Option<&'static Edition>,
    /// A report for 2018 or earlier: not judged against the 2019/2021 sections and tables.
    pub legacy: bool,
    pub agency: Option<(String, AgencySource)>,
    pub headings: Vec<Heading>,
    /// The `compact` range of each section's body (after its heading), by section index.
    pub sections: Vec<Option<Range<usize>>>,
    pub active: ActiveRead,
    pub applications: GridRead,
    pub appeals: GridRead,
    /// Tables 三 and 四 as values, for the equations: the rows read in full.
    grids: [Option<Grid>; 2],
}

impl Reading {
    pub fn new(document: Document, overrides: Overrides) -> Reading {
        let view = View::new(&document);
        // Headings are the same in both editions; find them with the newest one.
        let finder = edition::all()
            .last()
            .unwrap_or_else(|| unreachable!("editions are embedded"));
        let headings = outline::headings(&view, finder);
        let mut sections = outline::extents(&view, &headings, finder.sections.len());
        trim_trailing_chrome(&view, &mut sections);
        let first_heading = headings
            .first()
            .map_or(view.compact.len(), |h| h.range.start);
        let title = title::title(&view, first_heading).or_else(|| title::page_title(&document));
        let period = title::period(&view);
        let year = overrides
            .year
            .map(|year| Year {
                year,
                source: YearSource::Given,
            })
            .or_else(|| {
                decide_year(
                    &view,
                    &document,
                    title.as_ref(),
                    period.as_ref(),
                    first_heading,
                )
            });
        let edition = match (overrides.edition, year) {
            (Some(n), _) => edition::by_number(n),
            (None, Some(y)) => edition::for_year(y.year),
            (None, None) => None,
        };
        let legacy = year.is_some_and(|y| y.year < 2019) && overrides.edition.is_none();
        let agency = title
            .as_ref()
            .and_then(|t| t.agency.clone())
            .map(|a| (a, AgencySource::Title))
            .or_else(|| title::publisher(&document).map(|a| (a, AgencySource::Publisher)))
            .or_else(|| {
                title::intro_agency(&view, first_heading).map(|a| (a, AgencySource::Introduction))
            });
        let mut reading = Reading {
            document,
            view,
            title,
            period,
            year,
            edition,
            legacy,
            agency,
            headings,
            sections,
            active: ActiveRead::default(),
            applications: GridRead::default(),
            appeals: GridRead::default(),
            grids: [None, None],
        };
        if let Some(edition) = edition.filter(|_| !legacy) {
            let extent = |i: usize| reading.sections.get(i).cloned().flatten();
            let view = &reading.view;
            let cells = tables::CellIndex::new(&reading.document);
            reading.active = tables::active(view, &cells, edition, extent(1).as_ref());
            reading.applications = tables::applications(view, &cells, edition, extent(2).as_ref());
            reading.appeals = tables::appeals(view, &cells, edition, extent(3).as_ref());
            reading.grids = [
                reading.grid_of(&reading.applications),
                reading.grid_of(&reading.appeals),
            ];
            reading.name_tables();
        }
        reading
    }

    /// Gives the document's tables (Word's) the report's names: every cell of the table that
    /// holds the first figure read for table 二, 三 or 四 is described as in that table, so that
    /// a location says 表三 where the message does, however many tables come before it.
    fn name_tables(&mut self) {
        if self.document.loci.is_empty() {
            return;
        }
        let first_grid = |read: &GridRead| {
            read.rows
                .values()
                .find_map(|r| r.cells().and_then(|c| c.first()).map(|c| c.range.clone()))
        };
        let first_active = self
            .active
            .rows
            .iter()
            .flatten()
            .find_map(|r| r.cells().and_then(|c| c.first()).map(|c| c.range.clone()));
        let named = [
            ("二", first_active),
            ("三", first_grid(&self.applications)),
            ("四", first_grid(&self.appeals)),
        ];
        for (name, range) in named {
            let Some(range) = range else { continue };
            let at = self.span(range).start;
            let Some(input::Place::Cell { table, .. }) = self.document.place(at) else {
                continue;
            };
            for locus in &mut self.document.loci {
                if let input::Place::Cell {
                    table: t,
                    report_table,
                    ..
                } = &mut locus.place
                    && *t == table
                    && report_table.is_none()
                {
                    *report_table = Some(name);
                }
            }
        }
    }

    /// The document's text range that a `compact` range stands for.
    pub fn span(&self, range: Range<usize>) -> Range<usize> {
        self.document.text_range(self.view.content_range(range))
    }

    /// [`Reading::span`] for ranges asked in increasing order: `hints` are where the previous
    /// one was in the two maps (`(usize::MAX, usize::MAX)` at first). The same span whatever
    /// the hints.
    fn span_near(&self, range: Range<usize>, hints: &mut (usize, usize)) -> Range<usize> {
        let content = self.view.content_range_near(range, &mut hints.0);
        self.document.text_range_near(content, &mut hints.1)
    }

    /// The document's text that a `compact` range stands for.
    pub fn source(&self, range: Range<usize>) -> &str {
        self.document.text.get(self.span(range)).unwrap_or("")
    }

    /// Span of section `i`'s heading, or of the start of the file.
    pub fn heading_span(&self, section: usize) -> Range<usize> {
        self.headings
            .iter()
            .find(|h| h.section == section)
            .map_or(0..0, |h| self.span(h.range.clone()))
    }

    pub fn year(&self) -> Option<i32> {
        self.year.map(|y| y.year)
    }

    /// Table 三 or 四 as values for the equations: `None` when the table was not found or
    /// could not be read.
    pub fn grid(&self, table: TableId) -> Option<&Grid> {
        match table {
            TableId::Applications => self.grids[0].as_ref(),
            TableId::Appeals => self.grids[1].as_ref(),
        }
    }

    fn grid_of(&self, read: &GridRead) -> Option<Grid> {
        if !read.table.found || read.table.unreadable.is_some() {
            return None;
        }
        let mut grid = Grid::default();
        // Each row's label, then its cells: mostly in the order of the text, so each span is
        // sought from the previous one's place in the offset maps.
        let mut hints = (usize::MAX, usize::MAX);
        for (id, row) in &read.rows {
            let (Some(cells), Some(label)) = (row.cells(), row.label()) else {
                continue;
            };
            let span = Some(self.span_near(label.clone(), &mut hints));
            let cells = cells
                .iter()
                .map(|c| {
                    c.value.as_count().map(|value| Cell {
                        value,
                        span: Some(self.span_near(c.range.clone(), &mut hints)),
                        blank: c.value.blank || c.value.placeholder,
                    })
                })
                .collect();
            grid.rows.insert(id.clone(), GridRowValues { cells, span });
        }
        Some(grid)
    }

    /// Table 二 as the data file holds it: block → row → column, `None` where not read.
    pub fn active_values(&self) -> Vec<Vec<Vec<Option<Number>>>> {
        let Some(edition) = self.edition else {
            return Vec::new();
        };
        edition
            .active
            .blocks
            .iter()
            .enumerate()
            .map(|(b, block)| {
                block
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(r, _)| {
                        let read = self.active.rows.get(b).and_then(|rows| rows.get(r));
                        (0..block.columns.len())
                            .map(|c| {
                                let cell = read?.cells()?.get(c)?;
                                tables::active_number(cell, block.columns[c].kind)
                            })
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }

    /// Where each cell of table 二 was read (text spans), like `active_values`.
    pub fn active_spans(&self) -> Vec<Vec<Vec<Option<Range<usize>>>>> {
        self.active
            .rows
            .iter()
            .map(|rows| {
                rows.iter()
                    .map(|row| match row.cells() {
                        Some(cells) => cells
                            .iter()
                            .map(|c| Some(self.span(c.range.clone())))
                            .collect(),
                        None => Vec::new(),
                    })
                    .collect()
            })
            .collect()
    }

    /// The content range of section `i`'s body.
    pub fn section_content(&self, i: usize) -> Option<Range<usize>> {
        let extent = self.sections.get(i)?.clone()?;
        Some(self.view.content_range(extent))
    }

    /// The prose of section `i`, re-flowed into paragraphs.
    pub fn prose(&self, i: usize) -> Option<String> {
        prose::text(
            self.document.content(),
            self.section_content(i)?,
            self.lines(),
        )
    }

    /// Whether the document's lines are its paragraphs (Word, HTML) or may wrap them.
    fn lines(&self) -> prose::Lines {
        match self.document.format {
            Format::Docx | Format::Html => prose::Lines::Paragraphs,
            Format::Text | Format::Markdown | Format::Pdf => prose::Lines::Wrapped,
        }
    }

    /// The paragraphs of every section, with the text span of each one's first line.
    pub fn paragraphs(&self) -> Vec<Paragraph> {
        (0..self.sections.len())
            .filter_map(|i| Some((i, self.section_content(i)?)))
            .flat_map(|(section, range)| {
                prose::paragraphs(self.document.content(), range, self.lines())
                    .into_iter()
                    .map(move |p| (section, p))
            })
            .map(|(section, p)| Paragraph {
                section,
                span: self.document.text_range(p.start),
                text: p.text,
            })
            .collect()
    }
}

/// A paragraph of prose and where it starts in the document's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    pub section: usize,
    pub span: Range<usize>,
    pub text: String,
}

/// The report year by the agreement of its witnesses: the title, the statistics period, the
/// introduction's self-reference and the year most statements lead with. The year most of them
/// name wins, the strongest first on a tie, so that one leftover (a title not updated) is judged
/// against the others instead of dragging the report year along. Without any of them, the page
/// title and then the publication date decide.
fn decide_year(
    view: &View,
    document: &Document,
    title: Option<&Title>,
    period: Option<&Period>,
    first_heading: usize,
) -> Option<Year> {
    let title_year = title.and_then(|t| t.year.as_ref()).map(|(y, r)| {
        let source = if r.is_some() {
            YearSource::Title
        } else {
            YearSource::PageTitle
        };
        (*y, source)
    });
    let title_range = title.and_then(|t| t.range.as_ref());
    let witnesses: Vec<(i32, YearSource)> = [
        title_year.filter(|(_, s)| *s == YearSource::Title),
        period.map(|p| (p.start.0, YearSource::Period)),
        title::intro_year(view, first_heading, title_range)
            .map(|(y, _)| (y, YearSource::Introduction)),
        title::statements_year(view).map(|y| (y, YearSource::Statements)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let best = witnesses
        .iter()
        .enumerate()
        .max_by_key(|(i, (year, _))| {
            let votes = witnesses.iter().filter(|(y, _)| y == year).count();
            (votes, std::cmp::Reverse(*i))
        })
        .map(|(_, (year, source))| Year {
            year: *year,
            source: *source,
        });
    best.or(title_year.map(|(year, source)| Year { year, source }))
        .or(title::published_year(document).map(|year| Year {
            year,
            source: YearSource::Published,
        }))
}

/// Ends the last section where a crawled page's chrome begins (`相关链接`, `联系我们` …).
fn trim_trailing_chrome(view: &View, sections: &mut [Option<Range<usize>>]) {
    let Some(last) = sections
        .iter_mut()
        .filter_map(|s| s.as_mut())
        .max_by_key(|s| s.start)
    else {
        return;
    };
    let first_chrome = view.lines.iter().find(|l| {
        l.start >= last.start && l.end <= last.end && {
            let text = &view.compact[(*l).clone()];
            text.chars().count() <= 12 && prose::TRAILING_CHROME.iter().any(|c| text.starts_with(c))
        }
    });
    if let Some(line) = first_chrome {
        last.end = line.start;
    }
}

/// Reads a document (the whole stage in one call).
pub fn read(document: Document, overrides: Overrides) -> Reading {
    Reading::new(document, overrides)
}
