//! Input limits: how much allyplan reads, parses and builds before it refuses a model.
//!
//! Every limit is checked before the memory it protects is spent, and every refusal is
//! a diagnostic naming the file, the line and the key (exit code 2). The limits are
//! generous: the largest benchmark (200 sites × 80 products × 10 markets × 24 periods,
//! about one million LP variables) uses under 1 MiB of YAML and a few percent of each.
//! They are documented in the README's "Limits" section; keep the two in step.

use super::spans::ScanLimits;

/// Largest input file accepted, in bytes (checked before reading; never read past it).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Largest total of the model file and all its data files, in bytes.
pub const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// The most an Excel workbook (a zip archive) may unpack to, by its parts' declared
/// sizes: a small file that would unpack to gigabytes is refused before it is read.
pub const MAX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;
/// Data files one model may name.
pub const MAX_DATA_FILES: usize = 1_000;
/// YAML values (scalars, lists, mappings, aliases) in all of one model's files together,
/// counted once aliases are expanded. Parsing costs a few hundred bytes per value.
pub const MAX_YAML_VALUES: usize = 4_000_000;
/// Lists and mappings nested inside each other (allyplan's files need at most 6).
pub const MAX_YAML_DEPTH: usize = 64;
/// Characters in a mapping key (field names and ids used as keys).
pub const MAX_KEY_CHARS: usize = 256;
/// Characters in an id, a name or a period label.
pub const MAX_TEXT_CHARS: usize = 256;
/// Characters in a data-file path.
pub const MAX_PATH_CHARS: usize = 4_096;
/// Largest magnitude of any number in the input. Sums and products of a few such numbers
/// (a cost plus a tariff share of a unit value) stay finite, and a solver working in
/// doubles has no precision left for anything larger.
pub const MAX_NUMBER: f64 = 1e15;
/// Planning periods.
pub const MAX_PERIODS: usize = 10_000;
/// Products, sites, markets, lanes and demand entries: each at most this many.
pub const MAX_ENTRIES: usize = 1_000_000;
/// Policies and blocs in a model: each at most this many.
pub const MAX_POLICIES: usize = 10_000;
/// Default ceiling on the estimated number of LP variables; `solver.max_variables`
/// in the model (or `--set solver.max_variables=N`) moves it.
pub const DEFAULT_MAX_VARIABLES: u64 = 10_000_000;
/// Cells of the largest dense table (sites, lanes or markets × products × periods) per
/// allowed LP variable: the tables allyplan keeps grow with these products, not only
/// with the variables the LP really has.
pub const CELLS_PER_VARIABLE: u64 = 5;

/// The scan limits for one file, given how many values earlier files used.
pub fn scan_limits(values_used: usize) -> ScanLimits {
    let left = MAX_YAML_VALUES.saturating_sub(values_used);
    ScanLimits {
        max_nodes: left,
        max_expanded: left as u64,
        max_depth: MAX_YAML_DEPTH,
        max_key_chars: MAX_KEY_CHARS,
    }
}
