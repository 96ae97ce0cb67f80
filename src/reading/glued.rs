//! Splitting glued figures: a row whose cells ran together (`191000019`, `1400000 14`) into
//! the readings of it that the table's equations allow.
//!
//! Owns the search only. A row's text is a few *segments* — runs of digits that whitespace
//! separated — and each segment is one or more cells. A split cuts every segment into cells so
//! that the row has its number of cells, no cell has a leading zero (except `0` itself) or more
//! than [`MAX_CELL_DIGITS`] digits, and every group of cells (a row of table 三, each row of
//! table 四) satisfies its own equation: the last cell, the total, is the sum of the others.
//! Which split is the reading, and what the column equations add, the table reader decides.
//!
//! Bounds: the search is a depth-first walk over cut positions, pruned as soon as a group's
//! equation fails or the digits left cannot fill the cells left. It visits at most
//! [`MAX_NODES`] positions per row and keeps at most [`MAX_KEPT`] splits, so that a row costs
//! at most a fixed amount whatever its text: rows are short (7 or 15 cells), and in practice a
//! row is decided after a few dozen positions.

use std::ops::Range;

/// Most digits one cell may have (counts in a report are far below a billion).
pub const MAX_CELL_DIGITS: usize = 9;
/// Most search positions visited for one row.
pub const MAX_NODES: usize = 20_000;
/// Most splits kept for one row (more are counted, up to the node bound).
pub const MAX_KEPT: usize = 64;

/// A run of digits and where it is (a range of the view's `compact`, as long as the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<'a> {
    pub start: usize,
    pub digits: &'a str,
}

/// One way to read the glued figures: each cell's value and where its digits are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub values: Vec<i64>,
    pub ranges: Vec<Range<usize>>,
}

/// What the search found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// The splits found, at most [`MAX_KEPT`].
    pub splits: Vec<Split>,
    /// How many splits were found in all.
    pub count: usize,
    /// The search stopped at [`MAX_NODES`]: there may be more.
    pub capped: bool,
}

/// Every split of `segments` into `cells` cells in which each consecutive group of `group`
/// cells has its last cell equal to the sum of the others.
pub fn split(segments: &[Segment], cells: usize, group: usize) -> Search {
    let mut search = Search::default();
    let digits: usize = segments.iter().map(|s| s.digits.len()).sum();
    let well_formed = segments
        .iter()
        .all(|s| !s.digits.is_empty() && s.digits.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed
        || group == 0
        || !cells.is_multiple_of(group)
        || digits < cells
        || segments.len() > cells
    {
        return search;
    }
    let mut walk = Walk {
        segments,
        cells,
        group,
        nodes: 0,
        values: Vec::with_capacity(cells),
        ranges: Vec::with_capacity(cells),
        search: &mut search,
    };
    walk.step(0, 0, digits);
    search
}

struct Walk<'s, 'a> {
    segments: &'s [Segment<'a>],
    cells: usize,
    group: usize,
    nodes: usize,
    values: Vec<i64>,
    ranges: Vec<Range<usize>>,
    search: &'s mut Search,
}

impl Walk<'_, '_> {
    /// Cuts the next cell at segment `seg`, offset `at`; `left` digits remain in all.
    fn step(&mut self, seg: usize, at: usize, left: usize) {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            self.search.capped = true;
            return;
        }
        let Some(segment) = self.segments.get(seg) else {
            if self.values.len() == self.cells {
                self.search.count += 1;
                if self.search.splits.len() < MAX_KEPT {
                    self.search.splits.push(Split {
                        values: self.values.clone(),
                        ranges: self.ranges.clone(),
                    });
                }
            }
            return;
        };
        let cells_left = self.cells - self.values.len();
        // Every segment not finished needs a cell; no cell can be empty.
        let segments_left = self.segments.len() - seg;
        if cells_left < segments_left || cells_left > left {
            return;
        }
        let text = &segment.digits[at..];
        let longest = if text.starts_with('0') {
            1
        } else {
            text.len().min(MAX_CELL_DIGITS)
        };
        for len in 1..=longest {
            let Ok(value) = text[..len].parse::<i64>() else {
                continue;
            };
            let start = segment.start + at;
            self.values.push(value);
            self.ranges.push(start..start + len);
            if self.group_holds() {
                if len == text.len() {
                    self.step(seg + 1, 0, left - len);
                } else {
                    self.step(seg, at + len, left - len);
                }
            }
            self.values.pop();
            self.ranges.pop();
            if self.search.capped {
                return;
            }
        }
    }

    /// Whether the group just completed (if any) has its total equal to the sum of the others.
    fn group_holds(&self) -> bool {
        let n = self.values.len();
        if n == 0 || !n.is_multiple_of(self.group) {
            return true;
        }
        let group = &self.values[n - self.group..];
        let (total, parts) = group.split_last().unwrap_or((&0, &[]));
        parts.iter().sum::<i64>() == *total
    }
}

/// The digit runs of a text, as segments, when the text is nothing but digits and
/// whitespace-separated pieces (`offsets` gives each piece's start): `None` otherwise.
pub fn segments_of<'a>(pieces: &[(usize, &'a str)]) -> Option<Vec<Segment<'a>>> {
    pieces
        .iter()
        .filter(|(_, t)| !t.is_empty())
        .map(|&(start, digits)| {
            digits
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then_some(Segment { start, digits })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(text: &str) -> Vec<Segment<'_>> {
        let mut at = 0;
        text.split(' ')
            .map(|p| {
                let s = Segment {
                    start: at,
                    digits: p,
                };
                at += p.len() + 1;
                s
            })
            .collect()
    }

    fn values(text: &str, cells: usize, group: usize) -> Vec<Vec<i64>> {
        split(&segs(text), cells, group)
            .splits
            .into_iter()
            .map(|s| s.values)
            .collect()
    }

    #[test]
    fn a_glued_row_has_its_one_reading() {
        assert_eq!(values("1400000 14", 7, 7), [[14, 0, 0, 0, 0, 0, 14]]);
        assert_eq!(values("160 02 0 018", 7, 7), [[16, 0, 0, 2, 0, 0, 18]]);
        assert_eq!(values("2300000 23", 7, 7), [[23, 0, 0, 0, 0, 0, 23]]);
    }

    #[test]
    fn table_four_run_splits_by_each_rows_total() {
        assert_eq!(
            values("10000100000000000", 15, 5),
            [[10, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]
        );
    }

    #[test]
    fn a_row_whose_equation_fails_for_every_split_has_none() {
        // 19 + 1 ≠ 19: a stray 1 in a column.
        let found = split(&segs("191000019"), 7, 7);
        assert_eq!(found.count, 0);
        assert!(!found.capped);
    }

    #[test]
    fn an_ambiguous_row_has_several() {
        assert_eq!(
            values("110000011", 7, 7),
            [[1, 10, 0, 0, 0, 0, 11], [11, 0, 0, 0, 0, 0, 11]]
        );
        let found = split(&segs("1110000 12"), 7, 7);
        assert_eq!(found.count, 3);
        assert_eq!(found.splits.len(), 3);
        // Whitespace is a cell boundary: `12 1…` is never 1,21….
        assert_eq!(
            values("121000013", 7, 7),
            [[1, 2, 10, 0, 0, 0, 13], [12, 1, 0, 0, 0, 0, 13]]
        );
        assert_eq!(values("12 1000013", 7, 7), values("121000013", 7, 7));
        assert_eq!(values("1 21000022", 7, 7), [[1, 21, 0, 0, 0, 0, 22]]);
    }

    #[test]
    fn ranges_point_at_the_digits() {
        let found = split(&segs("1400000 14"), 7, 7);
        let ranges = &found.splits[0].ranges;
        assert_eq!(ranges[0], 0..2);
        assert_eq!(ranges[6], 8..10);
    }

    #[test]
    fn bounds_hold_on_long_runs() {
        let long = "1".repeat(200);
        let found = split(&segs(&long), 15, 5);
        assert!(found.splits.len() <= MAX_KEPT);
        let text = "9".repeat(3) + &"1".repeat(60);
        let _ = split(&segs(&text), 7, 7);
        assert!(split(&segs("12"), 7, 7).count == 0);
        assert!(split(&segs("1a"), 2, 2).count == 0);
    }
}
