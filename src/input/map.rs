//! Byte offsets of a derived string mapped back to the string it was derived from.
//!
//! Owns [`OffsetMap`]: the input stage derives a document's content from its text (markup
//! removed, entities decoded), and the reading stage derives a normalised view from that
//! content; each step keeps one of these maps so that every character can be traced back to the
//! bytes people see. The map is stored as runs, not one entry per character, so that its size
//! follows the number of edits rather than the length of the text (a 40 MB file must not cost
//! hundreds of megabytes of offsets).

use std::ops::Range;

/// One run of the derived string: from `derived` up to the next run's start. Twelve bytes:
/// the kind is packed into one word (a large file's view has millions of runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    /// Start of the run in the derived string.
    derived: u32,
    /// Start of what the run stands for in the source.
    source: u32,
    /// What the run stands for in the source: [`RunKind`], packed (two tag bits, then the
    /// replaced length or the two stride widths).
    packed: u32,
}

const TAG: u32 = 0b11 << 30;
const REPLACED: u32 = 0b01 << 30;
const STRIDE: u32 = 0b10 << 30;

impl Run {
    fn new(derived: u32, source: u32, kind: RunKind) -> Run {
        let packed = match kind {
            RunKind::Copied => 0,
            RunKind::Replaced { len } => REPLACED | len.min(!TAG),
            RunKind::Stride { derived, source } => {
                STRIDE | u32::from(derived) | (u32::from(source) << 8)
            }
        };
        Run {
            derived,
            source,
            packed,
        }
    }

    fn kind(&self) -> RunKind {
        match self.packed & TAG {
            REPLACED => RunKind::Replaced {
                len: self.packed & !TAG,
            },
            STRIDE => RunKind::Stride {
                derived: (self.packed & 0xFF) as u8,
                source: ((self.packed >> 8) & 0xFF) as u8,
            },
            _ => RunKind::Copied,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunKind {
    /// Byte `derived + i` stands for source byte `source + i`.
    Copied,
    /// One derived character standing for `len` source bytes of another length (`&nbsp;` → ` `,
    /// `<td>` → a tab, or nothing at all for an inserted separator).
    Replaced { len: u32 },
    /// Characters of `derived` bytes each, every one standing for `source` bytes of the source
    /// (a run of Chinese characters decoded from GBK: 3 bytes of UTF-8 for 2 of the file).
    Stride { derived: u8, source: u8 },
}

/// Maps byte offsets of a derived string to byte ranges of its source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    runs: Vec<Run>,
    /// Length of the derived string.
    len: u32,
}

/// Offsets are stored as `u32`: inputs are limited to 4 GiB (the input stage refuses larger
/// files long before that).
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl OffsetMap {
    /// The identity map of a string of `len` bytes.
    pub fn identity(len: usize) -> OffsetMap {
        let mut map = OffsetMap::default();
        map.copied(0, len);
        map
    }

    /// Records that the next `len` bytes of the derived string are a copy of the source from
    /// byte `source` on.
    pub fn copied(&mut self, source: usize, len: usize) {
        if len == 0 {
            return;
        }
        let derived = self.len;
        let source = to_u32(source);
        let extends = self.runs.last().is_some_and(|last| {
            last.kind() == RunKind::Copied && last.source + (derived - last.derived) == source
        });
        if !extends {
            self.runs.push(Run::new(derived, source, RunKind::Copied));
        }
        self.len = derived.saturating_add(to_u32(len));
    }

    /// Records that the next `len` bytes of the derived string (one character) stand for
    /// `source` (of any length, possibly empty).
    pub fn replaced(&mut self, len: usize, source: Range<usize>) {
        if len == 0 {
            return;
        }
        let start = to_u32(source.start);
        let source_len = to_u32(source.end.saturating_sub(source.start));
        if source_len == to_u32(len) {
            // Same length: a copy as far as offsets go (e.g. a traditional character replaced
            // by its simplified form); keeps runs long.
            self.copied(source.start, len);
            return;
        }
        self.runs.push(Run::new(
            self.len,
            start,
            RunKind::Replaced { len: source_len },
        ));
        self.len = self.len.saturating_add(to_u32(len));
    }

    /// Records that the next `derived` bytes of the derived string (one character) stand for
    /// the `source` bytes from byte `at` on, as a run of such characters when the previous one
    /// was alike (decoding: each character of a multi-byte encoding becomes a character of
    /// another length, and the map must not cost one run per character).
    pub fn unit(&mut self, at: usize, derived: usize, source: usize) {
        if derived == source {
            self.copied(at, derived);
            return;
        }
        let (Ok(d), Ok(s)) = (u8::try_from(derived), u8::try_from(source)) else {
            self.replaced(derived, at..at + source);
            return;
        };
        if d == 0 {
            return;
        }
        let at = to_u32(at);
        let extends = self.runs.last().is_some_and(|last| {
            last.kind()
                == RunKind::Stride {
                    derived: d,
                    source: s,
                }
                && last.source + (self.len - last.derived) / u32::from(d) * u32::from(s) == at
        });
        if !extends {
            self.runs.push(Run::new(
                self.len,
                at,
                RunKind::Stride {
                    derived: d,
                    source: s,
                },
            ));
        }
        self.len = self.len.saturating_add(u32::from(d));
    }

    /// Makes room for `runs` more runs.
    pub fn reserve(&mut self, runs: usize) {
        self.runs.reserve(runs);
    }

    /// How many runs the map holds (its memory is proportional to this).
    /// Gives back capacity the runs no longer need.
    pub fn shrink_to_fit(&mut self) {
        self.runs.shrink_to_fit();
    }

    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    /// Forgets everything from derived byte `len` on (the derived string was cut back).
    pub fn truncate(&mut self, len: usize) {
        let len = to_u32(len);
        if len >= self.len {
            return;
        }
        let keep = self.runs.partition_point(|r| r.derived < len);
        self.runs.truncate(keep);
        self.len = len;
    }

    /// Length of the derived string this map covers.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Index of the run holding derived byte `offset`.
    fn run_index(&self, offset: u32) -> Option<usize> {
        self.runs
            .partition_point(|r| r.derived <= offset)
            .checked_sub(1)
    }

    /// The source byte where derived byte `offset` starts.
    pub fn start(&self, offset: usize) -> usize {
        let offset = to_u32(offset);
        match self.run_index(offset) {
            None => 0,
            Some(i) => self.start_in(&self.runs[i], offset),
        }
    }

    /// [`OffsetMap::start`] for offsets asked in increasing order, with a hint as for
    /// [`OffsetMap::range_near`]; the same byte whatever the hint.
    pub fn start_near(&self, offset: usize, hint: &mut usize) -> usize {
        let offset = to_u32(offset);
        match self.run_index_near(offset, *hint) {
            None => 0,
            Some(i) => {
                *hint = i;
                self.start_in(&self.runs[i], offset)
            }
        }
    }

    /// The source byte where derived byte `offset`, which lies in `run`, starts.
    fn start_in(&self, run: &Run, offset: u32) -> usize {
        match run.kind() {
            RunKind::Copied => (run.source + (offset - run.derived)) as usize,
            RunKind::Replaced { .. } => run.source as usize,
            RunKind::Stride { derived, source } => {
                (run.source
                    + (offset - run.derived) / u32::from(derived.max(1)) * u32::from(source))
                    as usize
            }
        }
    }

    /// The source range that derived bytes `range` stand for: from the start of the first byte
    /// to the end of the last.
    pub fn range(&self, range: Range<usize>) -> Range<usize> {
        let mut hint = usize::MAX;
        self.range_near(range, &mut hint)
    }

    /// Index of the run holding derived byte `offset`, searched from run `hint` on when that
    /// run starts at or before `offset` (ranges asked in order: most often the same run or the
    /// next), else over all runs. The same run as [`OffsetMap::run_index`].
    fn run_index_near(&self, offset: u32, hint: usize) -> Option<usize> {
        match self.runs.get(hint) {
            Some(run) if run.derived <= offset => {
                // Galloping: runs `hint + step` for doubling steps until one starts after
                // `offset`, then a binary search between the last two steps.
                let mut low = hint;
                let mut step = 1;
                while self
                    .runs
                    .get(hint + step)
                    .is_some_and(|r| r.derived <= offset)
                {
                    low = hint + step;
                    step *= 2;
                }
                let high = (hint + step).min(self.runs.len());
                let later = &self.runs[low + 1..high];
                Some(low + later.partition_point(|r| r.derived <= offset))
            }
            _ => self.run_index(offset),
        }
    }

    /// [`OffsetMap::range`] for ranges asked in increasing order: `hint` is where the previous
    /// one started (`usize::MAX` at first) and is moved to where this one starts. The result is
    /// the same whatever the hint.
    pub fn range_near(&self, range: Range<usize>, hint: &mut usize) -> Range<usize> {
        if self.runs.is_empty() {
            return 0..0;
        }
        let first = to_u32(range.start.min(self.len().saturating_sub(1)));
        let first_run = self.run_index_near(first, *hint);
        if let Some(i) = first_run {
            *hint = i;
        }
        let start = first_run.map_or(0, |i| self.start_in(&self.runs[i], first));
        if range.end <= range.start {
            return start..start;
        }
        let last = to_u32(range.end - 1).min(self.len.saturating_sub(1));
        // The last byte is at or after the first: its run is the first's or a later one. Most
        // often it is the same (a token, a cell) or the next, and the second search is saved.
        let last_run = match first_run {
            Some(i) if self.runs.get(i + 1).is_none_or(|r| r.derived > last) => Some(i),
            Some(i) if self.runs.get(i + 2).is_none_or(|r| r.derived > last) => Some(i + 1),
            Some(i) => {
                let later = &self.runs[i + 2..];
                Some(i + 1 + later.partition_point(|r| r.derived <= last))
            }
            None => self.run_index(last),
        };
        let end = match last_run.map(|i| &self.runs[i]) {
            None => start,
            Some(run) => match run.kind() {
                RunKind::Copied => (run.source + (last - run.derived) + 1) as usize,
                RunKind::Replaced { len } => (run.source + len) as usize,
                RunKind::Stride { derived, source } => {
                    (run.source
                        + ((last - run.derived) / u32::from(derived.max(1)) + 1)
                            * u32::from(source)) as usize
                }
            },
        };
        start..end.max(start)
    }

    /// The map from `self`'s derived string to `outer`'s source, where `self`'s source is
    /// `outer`'s derived string.
    pub fn then<'a>(&'a self, outer: &'a OffsetMap) -> Composed<'a> {
        Composed { inner: self, outer }
    }
}

/// Two maps applied one after the other (view → content → text).
#[derive(Clone, Copy)]
pub struct Composed<'a> {
    inner: &'a OffsetMap,
    outer: &'a OffsetMap,
}

impl Composed<'_> {
    pub fn range(&self, range: Range<usize>) -> Range<usize> {
        let middle = self.inner.range(range);
        self.outer.range(middle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_near_a_hint_are_the_ranges() {
        // Runs of every kind, then every range asked with hints before, at and after it.
        let mut map = OffsetMap::default();
        map.copied(0, 3);
        map.replaced(1, 3..9);
        map.unit(9, 3, 2);
        map.unit(11, 3, 2);
        map.copied(20, 4);
        map.replaced(1, 24..24);
        map.copied(30, 2);
        let len = map.len();
        for start in 0..=len {
            for end in start..=len + 1 {
                for hint in [0, 1, 2, 3, 4, 5, 9, usize::MAX] {
                    let mut h = hint;
                    assert_eq!(
                        map.range_near(start..end, &mut h),
                        map.range(start..end),
                        "{start}..{end} from run {hint}"
                    );
                    let mut h = hint;
                    assert_eq!(map.start_near(start, &mut h), map.start(start), "{start}");
                }
            }
        }
    }

    #[test]
    fn copies_merge_and_replacements_keep_their_source() {
        // Derived "a b|c" from source "a&nbsp;b<td>c": 'a' copied, ' ' for "&nbsp;", 'b' copied,
        // '|' for "<td>", 'c' copied.
        let source = "a&nbsp;b<td>c";
        let mut map = OffsetMap::default();
        map.copied(0, 1);
        map.replaced(1, 1..7);
        map.copied(7, 1);
        map.replaced(1, 8..12);
        map.copied(12, 1);
        assert_eq!(map.len(), 5);
        assert_eq!(&source[map.range(0..1)], "a");
        assert_eq!(&source[map.range(1..2)], "&nbsp;");
        assert_eq!(&source[map.range(1..3)], "&nbsp;b");
        assert_eq!(&source[map.range(3..5)], "<td>c");
        assert_eq!(&source[map.range(0..5)], source);
    }

    #[test]
    fn same_length_replacements_are_copies() {
        let mut map = OffsetMap::default();
        map.copied(0, 3);
        map.replaced(3, 3..6);
        map.copied(6, 3);
        assert_eq!(map.runs.len(), 1);
        assert_eq!(map.range(3..6), 3..6);
    }

    #[test]
    fn inserted_characters_point_at_their_position() {
        let mut map = OffsetMap::default();
        map.copied(0, 2);
        map.replaced(1, 2..2);
        map.copied(2, 2);
        assert_eq!(map.range(2..3), 2..2);
        assert_eq!(map.range(3..5), 2..4);
        assert_eq!(map.range(0..5), 0..4);
    }

    #[test]
    fn composition_reaches_the_outer_source() {
        // text "x&amp;y" → content "x&y" → view "x&y" minus '&' = "xy"
        let mut content = OffsetMap::default();
        content.copied(0, 1);
        content.replaced(1, 1..6);
        content.copied(6, 1);
        let mut view = OffsetMap::default();
        view.copied(0, 1);
        view.copied(2, 1);
        let both = view.then(&content);
        assert_eq!(both.range(1..2), 6..7);
        assert_eq!(both.range(0..2), 0..7);
    }

    #[test]
    fn truncation_forgets_the_tail() {
        let mut map = OffsetMap::default();
        map.copied(0, 3);
        map.replaced(1, 3..9);
        map.copied(9, 2);
        map.truncate(3);
        assert_eq!(map.len(), 3);
        map.copied(20, 1);
        assert_eq!(map.range(3..4), 20..21);
    }

    #[test]
    fn strides_map_characters_of_another_length() {
        // "A中文B" decoded from GBK bytes 41 D6 D0 CE C4 42.
        let mut map = OffsetMap::default();
        map.unit(0, 1, 1);
        map.unit(1, 3, 2);
        map.unit(3, 3, 2);
        map.unit(5, 1, 1);
        assert_eq!(map.runs(), 3);
        assert_eq!(map.len(), 8);
        assert_eq!(map.range(1..4), 1..3);
        assert_eq!(map.range(4..7), 3..5);
        assert_eq!(map.range(1..7), 1..5);
        assert_eq!(map.range(5..6), 3..5);
        assert_eq!(map.range(7..8), 5..6);
        assert_eq!(map.start(8), 6);
    }

    /// `range` as it was written first, with a search for each end: the reference for the
    /// one that searches for the last byte only after the first byte's run.
    fn range_by_two_searches(map: &OffsetMap, range: Range<usize>) -> Range<usize> {
        if map.runs.is_empty() {
            return 0..0;
        }
        let start = map.start(range.start.min(map.len().saturating_sub(1)));
        if range.end <= range.start {
            return start..start;
        }
        let last = to_u32(range.end - 1).min(map.len.saturating_sub(1));
        let end = match map.run_index(last).map(|i| &map.runs[i]) {
            None => start,
            Some(run) => match run.kind() {
                RunKind::Copied => (run.source + (last - run.derived) + 1) as usize,
                RunKind::Replaced { len } => (run.source + len) as usize,
                RunKind::Stride { derived, source } => {
                    (run.source
                        + ((last - run.derived) / u32::from(derived.max(1)) + 1)
                            * u32::from(source)) as usize
                }
            },
        };
        start..end.max(start)
    }

    proptest::proptest! {
        #[test]
        fn ranges_agree_with_two_searches(
            steps in proptest::collection::vec((0u8..3, 0usize..4, 1usize..4), 0..30),
            ranges in proptest::collection::vec((0usize..80, 0usize..80), 1..20),
        ) {
            let mut map = OffsetMap::default();
            let mut source = 0;
            for (kind, skip, len) in steps {
                source += skip;
                match kind {
                    0 => map.copied(source, len),
                    1 => map.replaced(1, source..source + len),
                    _ => map.unit(source, 3, 2),
                }
                source += len;
            }
            for (a, b) in ranges {
                proptest::prop_assert_eq!(map.range(a..b), range_by_two_searches(&map, a..b));
            }
        }
    }

    #[test]
    fn out_of_range_offsets_do_not_panic() {
        let map = OffsetMap::identity(4);
        assert_eq!(map.range(10..20), 3..4);
        assert_eq!(OffsetMap::default().range(0..3), 0..0);
        assert_eq!(map.range(2..2), 2..2);
    }
}
