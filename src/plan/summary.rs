//! Batch and sweep outcomes as plain data: `summary.json` ([`Summary`], one [`Row`] per
//! entry) and a sweep's trade-off (`sweep.json`, [`Tradeoff`]). Running the entries, sharding
//! and merging live in `runs`; the documents in `report`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::PlanStatus;
use crate::error::ExitCode;

/// Version of the `summary.json` layout.
pub const SUMMARY_FORMAT: u32 = 1;

/// A varied parameter's value in one sweep entry (`policies[x].min_share` = `0.80`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Param {
    pub path: String,
    pub value: String,
}

/// The last key of a parameter path without its selector: `policies[x].min_share` →
/// `min_share`.
pub fn param_key(path: &str) -> &str {
    let tail = path.rsplit('.').next().unwrap_or(path);
    tail.split('[').next().unwrap_or(tail)
}

/// The policy a parameter path selects, if any: `policies[x].min_share` → `x`.
pub fn param_policy(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("policies[")?;
    rest.split_once(']').map(|(sel, _)| sel)
}

/// What a varied parameter is, from its last key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A share (`min_share`, `max_share`): a step of it costs so much per percentage point.
    Share,
    /// Anything else.
    Other,
}

impl ParamKind {
    pub fn of(path: &str) -> ParamKind {
        match param_key(path) {
            "min_share" | "max_share" => ParamKind::Share,
            _ => ParamKind::Other,
        }
    }
}

/// One shard of N: `index` is 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Parses `K/N` with 1 ≤ K ≤ N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let usage = || {
            format!("`{text}`: expected K/N with 1 <= K <= N, e.g. --shard 2/8 (the second of 8 workers)")
        };
        let (k, n) = text.trim().split_once('/').ok_or_else(usage)?;
        let index: usize = k.trim().parse().map_err(|_| usage())?;
        let count: usize = n.trim().parse().map_err(|_| usage())?;
        if index == 0 || count == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }

    /// Whether the entry at position `i` (0-based) of the full list belongs to this shard.
    pub fn takes(&self, i: usize) -> bool {
        i % self.count == self.index - 1
    }

    /// Positions in a list of `len` entries that belong to this shard.
    pub fn select(&self, len: usize) -> Vec<usize> {
        (0..len).filter(|&i| self.takes(i)).collect()
    }

    /// The stem of this shard's summary files: `summary.shard-K-of-N`.
    pub fn file_stem(&self) -> String {
        format!("summary.shard-{}-of-{}", self.index, self.count)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// One `--vary`: a model path and the values it takes, as written into `--set`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vary {
    pub path: String,
    pub values: Vec<String>,
}

impl Vary {
    /// Every value parses as a number.
    pub fn numeric(&self) -> bool {
        self.values.iter().all(|v| v.parse::<f64>().is_ok())
    }
}

/// What a sweep varies, recorded in its summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    /// The model file as given.
    pub model: String,
    /// Overrides applied to every variant (`--set`, `--disable`).
    pub overrides: Vec<String>,
    pub vary: Vec<Vary>,
}

/// How one entry ended: a plan's status, or `invalid` when its input was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    Optimal,
    Infeasible,
    Unbounded,
    TimeLimit,
    /// The model or its overrides were rejected before solving.
    Invalid,
    /// The solver failed, the plan failed verification, or the entry itself failed.
    Error,
}

impl RowStatus {
    /// Every status, in the order the headline lists them.
    pub const ALL: [RowStatus; 6] = [
        RowStatus::Optimal,
        RowStatus::Infeasible,
        RowStatus::Unbounded,
        RowStatus::TimeLimit,
        RowStatus::Invalid,
        RowStatus::Error,
    ];

    /// The word written to `summary.json` and shown to people.
    pub fn word(self) -> &'static str {
        match self {
            RowStatus::Optimal => "optimal",
            RowStatus::Infeasible => "infeasible",
            RowStatus::Unbounded => "unbounded",
            RowStatus::TimeLimit => "time_limit",
            RowStatus::Invalid => "invalid",
            RowStatus::Error => "error",
        }
    }

    /// Whether this status fails the run (before `--fail-on` conditions); an infeasible
    /// entry fails it only when `infeasible_fails` (batches, not sweeps).
    pub fn fails(self, infeasible_fails: bool) -> bool {
        match self {
            RowStatus::Optimal => false,
            RowStatus::Infeasible => infeasible_fails,
            _ => true,
        }
    }
}

impl From<PlanStatus> for RowStatus {
    fn from(status: PlanStatus) -> RowStatus {
        match status {
            PlanStatus::Optimal => RowStatus::Optimal,
            PlanStatus::Infeasible => RowStatus::Infeasible,
            PlanStatus::Unbounded => RowStatus::Unbounded,
            PlanStatus::TimeLimit => RowStatus::TimeLimit,
            PlanStatus::Error => RowStatus::Error,
        }
    }
}

impl fmt::Display for RowStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.word())
    }
}

/// A `min_bloc_share` policy's targets against what one plan delivers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlocShare {
    pub policy: String,
    pub bloc: String,
    pub target: f64,
    /// From the bloc / delivered, over every row of the policy.
    pub share: Option<f64>,
    /// The lowest share in any one row (market, product, period).
    pub worst: Option<f64>,
    pub rows: usize,
    pub rows_met: usize,
}

/// A `regional_value_content` policy's targets against what one plan reaches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueContent {
    pub policy: String,
    pub bloc: String,
    pub target: f64,
    /// The lowest share in any one row (site, product, window).
    pub worst: Option<f64>,
    /// worst − target, in percentage points.
    pub worst_margin_points: Option<f64>,
    pub rows: usize,
    pub rows_met: usize,
}

/// One entry's outcome: a row of the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Position in the full entry list (input order).
    pub index: usize,
    pub name: String,
    /// The model file as given.
    pub model: String,
    /// The model's `name`, once it was read.
    pub model_name: Option<String>,
    pub overrides: Vec<String>,
    #[serde(default)]
    pub params: Vec<Param>,
    pub status: RowStatus,
    /// Whether this entry fails the run (its status, or a `--fail-on` condition).
    pub failed: bool,
    /// The `--fail-on` conditions it meets.
    pub conditions: Vec<String>,
    pub objective: Option<f64>,
    pub costs: Option<super::CostBreakdown>,
    pub demand: Option<f64>,
    pub unmet: Option<f64>,
    pub fill_rate: Option<f64>,
    /// Total slack used by soft policies, in their own units.
    pub policy_slack: Option<f64>,
    pub bloc_shares: Vec<BlocShare>,
    /// Value content per `regional_value_content` policy (multi-tier plans only; left out
    /// of `summary.json` when there is none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub value_content: Vec<ValueContent>,
    /// What went wrong, in a sentence (or the first diagnostics).
    pub message: Option<String>,
    /// Every error diagnostic of an invalid entry.
    #[serde(default)]
    pub diagnostics: Vec<String>,
    pub warnings: usize,
    pub wall_seconds: f64,
    pub solve_seconds: Option<f64>,
    /// The entry's report folder, relative to the summary's folder.
    pub output: Option<String>,
}

/// The outcome of a batch or sweep: `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub summary_format: u32,
    /// `batch` or `sweep`.
    pub kind: String,
    pub tool_version: String,
    /// Entries in the full list (all shards).
    pub entries_total: usize,
    /// Names of the full list, in order.
    pub entry_names: Vec<String>,
    /// SHA-256 of the full entry list (names and overrides).
    pub fingerprint: String,
    /// The shard this run took (`None` for a whole run or a merge).
    pub shard: Option<Shard>,
    /// The shards these rows come from (empty: an unsharded run).
    pub shards: Vec<Shard>,
    /// Threads used (summed over merged shards).
    pub jobs: usize,
    /// Wall time of the run (the longest shard's, after a merge).
    pub wall_seconds: f64,
    pub fail_on: Vec<String>,
    pub infeasible_fails: bool,
    /// Rows per status.
    pub counts: BTreeMap<String, usize>,
    /// Rows that fail the run.
    pub failed: usize,
    /// The exit code the run calls for.
    pub exit_code: u8,
    /// The grid, for sweeps.
    pub sweep: Option<SweepSpec>,
    /// One per entry of this run, in input order.
    pub rows: Vec<Row>,
}

impl Summary {
    /// Recomputes `counts`, `failed` and `exit_code` from the rows.
    pub fn recount(&mut self) {
        self.counts.clear();
        for row in &self.rows {
            *self
                .counts
                .entry(row.status.word().to_string())
                .or_insert(0) += 1;
        }
        self.failed = self.rows.iter().filter(|r| r.failed).count();
        self.exit_code = self.exit().code();
    }

    /// 0 when nothing failed; 7 when an entry did not reach an optimal plan (infeasible
    /// points of a sweep excepted); 8 when the only failures are `--fail-on` conditions.
    pub fn exit(&self) -> ExitCode {
        if self
            .rows
            .iter()
            .any(|r| r.status.fails(self.infeasible_fails))
        {
            ExitCode::BatchFailures
        } else if self.rows.iter().any(|r| !r.conditions.is_empty()) {
            ExitCode::FailOnCondition
        } else {
            ExitCode::Ok
        }
    }

    /// The file stem of this summary: `summary`, or `summary.shard-K-of-N` for a shard.
    pub fn file_stem(&self) -> String {
        match self.shard {
            Some(s) => s.file_stem(),
            None => "summary".to_string(),
        }
    }
}

/// One variant on the trade-off curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub name: String,
    /// The value of the first varied parameter, as written.
    pub value: String,
    /// The same as a number, when it is one.
    pub x: Option<f64>,
    pub status: RowStatus,
    pub objective: Option<f64>,
    pub unmet: Option<f64>,
    pub fill_rate: Option<f64>,
    /// The lowest row share of the varied `min_bloc_share` policy, when it is one.
    pub worst_share: Option<f64>,
    /// Cost change from the previous optimal point of the line.
    pub delta_cost: Option<f64>,
    /// Δcost / (Δshare × 100): what one more percentage point costs, for share parameters.
    pub cost_per_point: Option<f64>,
    pub output: Option<String>,
}

/// One line: the points of one combination of the other varied parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// `leveling_weight=5` (empty with a single `--vary`).
    pub label: String,
    pub params: Vec<Param>,
    pub points: Vec<Point>,
}

/// The trade-off table of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tradeoff {
    pub model: String,
    /// The varied parameter on the x axis.
    pub parameter: String,
    /// Whether it is a share ([`ParamKind::Share`]), so a point costs something.
    pub share: bool,
    /// Whether every value is a number (a numeric x axis).
    pub numeric: bool,
    pub headline: String,
    pub lines: Vec<Line>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n() {
        assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 2, count: 8 }));
        assert!(Shard::parse("0/3").is_err());
        assert!(Shard::parse("4/3").is_err());
        assert!(Shard::parse("1-3").is_err());
        assert!(Shard::parse("a/3").is_err());
    }

    #[test]
    fn shards_cover_every_entry_exactly_once() {
        for len in 0..40 {
            for count in 1..7 {
                let mut hits = vec![0; len];
                for index in 1..=count {
                    for i in (Shard { index, count }).select(len) {
                        hits[i] += 1;
                    }
                }
                assert!(hits.iter().all(|&h| h == 1), "len {len}, {count} shards");
            }
        }
    }

    #[test]
    fn statuses_keep_their_words() {
        for status in RowStatus::ALL {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.word()));
        }
        assert_eq!(format!("{:<11}|", RowStatus::Invalid), "invalid    |");
        assert_eq!(RowStatus::from(PlanStatus::TimeLimit).word(), "time_limit");
    }

    #[test]
    fn share_parameters_by_their_key() {
        assert_eq!(ParamKind::of("policies[a].min_share"), ParamKind::Share);
        assert_eq!(ParamKind::of("policies[2].max_share"), ParamKind::Share);
        assert_eq!(ParamKind::of("objective.leveling_weight"), ParamKind::Other);
        assert_eq!(param_key("policies[a].min_share"), "min_share");
        assert_eq!(param_policy("policies[a].min_share"), Some("a"));
        assert_eq!(param_policy("objective.carbon_price"), None);
    }
}
