//! The [`Plan`]: plain data, the contract between solving and reporting.
//!
//! It holds everything a report needs, in scenario terms, and serialises to `plan.json`
//! so reports can be rendered again without solving. `status` and `objective` are a
//! stable contract; other fields may be added.

use serde::{Deserialize, Serialize};

pub mod comparison;
mod decisions;
mod explanation;
mod network;
mod shadow_prices;
pub mod summary;
mod verification;

pub use decisions::{
    ContractRow, DecisionEvent, DecisionValue, DecisionsPlan, ExpansionResult, MipResult, RunRow,
    SiteState,
};
pub use explanation::{Explanation, Finding, Member, Place};
pub use network::{
    ComponentSource, ConsumptionRow, FlowRow, LaneUseRow, NetworkPlan, NodeKind, NodeRow,
    ResourceRow, ThroughputRow, ValueContentRow,
};
pub use shadow_prices::{
    CapacityPrice, DemandPrice, LanePrice, PolicyPrice, ReducedCost, ResourcePrice, ShadowPrices,
    SharePrice, ThroughputPrice, ValueContentPrice,
};
pub use verification::{CostBreakdown, Verification, Violation};

/// A file that was read, for error messages and reproducibility metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputFile {
    /// Path as shown to the user.
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// How a run ended: `plan.json`'s `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Solved to proven optimality, and the plan passed verification.
    Optimal,
    /// No plan satisfies every hard rule.
    Infeasible,
    /// The cost can decrease without bound.
    Unbounded,
    /// The time limit ran out before a proven optimum.
    TimeLimit,
    /// The solver failed, or its plan failed verification.
    Error,
}

impl PlanStatus {
    /// The word written to `plan.json` and shown to people.
    pub fn word(self) -> &'static str {
        match self {
            PlanStatus::Optimal => "optimal",
            PlanStatus::Infeasible => "infeasible",
            PlanStatus::Unbounded => "unbounded",
            PlanStatus::TimeLimit => "time_limit",
            PlanStatus::Error => "error",
        }
    }
}

impl std::fmt::Display for PlanStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word())
    }
}

/// Version of the `plan.json` layout.
pub const PLAN_FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    pub status: PlanStatus,
    /// Objective value (total cost, $) when a solution exists.
    pub objective: Option<f64>,
    /// A sentence on what happened, for non-optimal outcomes.
    pub message: Option<String>,
    pub model: String,
    pub periods: Vec<String>,
    pub costs: Option<CostBreakdown>,
    pub kpis: Option<Kpis>,
    pub sites: Vec<SitePlan>,
    pub production: Vec<ProductionRow>,
    pub shipments: Vec<ShipmentRow>,
    pub inventory: Vec<InventoryRow>,
    pub unmet: Vec<UnmetRow>,
    pub sourcing: Vec<SourcingRow>,
    pub bloc_shares: Vec<BlocShareRow>,
    pub policies: Vec<PolicyResult>,
    /// Stock piling up at the end of the horizon (made and never shipped), per site and
    /// product; empty (and left out of `plan.json`) when there is none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stranded: Vec<StrandedRow>,
    /// The multi-tier part: flows between sites and hubs, component consumption,
    /// resources, throughput, lane capacities, value content. `None` (and left out of
    /// `plan.json`) for a one-tier network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkPlan>,
    /// Decisions over the horizon: what is built, opened or closed and when, runs,
    /// contracts, the MIP search and what each decision is worth. `None` (and left out
    /// of `plan.json`) for a model without decisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decisions: Option<DecisionsPlan>,
    /// Shadow prices, when the backend gives duals (`None` otherwise; see `duals_note`).
    #[serde(default)]
    pub shadow_prices: Option<ShadowPrices>,
    /// Why there are no shadow prices, when there are none.
    #[serde(default)]
    pub duals_note: Option<String>,
    /// For an infeasible model: which policies conflict and what each must give.
    #[serde(default)]
    pub explanation: Option<Explanation>,
    pub verification: Option<Verification>,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Kpis {
    pub demand: f64,
    pub served: f64,
    pub unmet: f64,
    /// served / demand (1 when there is no demand).
    pub fill_rate: f64,
    pub produced: f64,
    pub overtime_used: f64,
    /// Total load / total regular capacity over all sites and periods.
    pub utilization: f64,
    /// Total |load change| between consecutive periods, capacity units.
    pub load_change: f64,
    pub emissions_kg: f64,
    /// Units held at the end of the horizon where stock is stranded (the sum of
    /// [`StrandedRow::end_stock`]); left out of `plan.json` when 0.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub stranded_stock: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SitePlan {
    pub id: String,
    pub country: String,
    pub periods: Vec<SitePeriod>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SitePeriod {
    pub period: String,
    pub capacity: f64,
    pub overtime_capacity: f64,
    pub load: f64,
    pub overtime: f64,
    /// load / regular capacity (0 when capacity is 0).
    pub utilization: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProductionRow {
    pub site: String,
    pub product: String,
    pub period: String,
    pub quantity: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShipmentRow {
    pub from: String,
    pub to: String,
    pub product: String,
    pub departure: String,
    pub arrival: String,
    pub quantity: f64,
    /// $ per unit including tariff, duty and carbon.
    pub unit_cost: f64,
    /// The lane's transport mode, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Origin of the units where a policy tracks it through other nodes (one row per
    /// origin then); `None` otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InventoryRow {
    pub site: String,
    pub product: String,
    pub period: String,
    pub quantity: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnmetRow {
    pub market: String,
    pub product: String,
    pub period: String,
    pub demand: f64,
    pub unmet: f64,
}

/// Stock a site still holds at the end of the horizon: made (or held from the start)
/// and never shipped. Only stock of at least half a unit is listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrandedRow {
    pub site: String,
    pub product: String,
    /// The last period of the horizon.
    pub period: String,
    /// Units on hand before the first period.
    pub initial: f64,
    /// Units made over the horizon.
    pub produced: f64,
    /// Units shipped over the horizon.
    pub shipped: f64,
    /// Units held at the end of the last period.
    pub end_stock: f64,
    /// Units made over the horizon that never left the site: end stock − initial stock,
    /// when positive.
    pub never_shipped: f64,
}

/// Deliveries by origin country for one (market, product, arrival period).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourcingRow {
    pub market: String,
    pub product: String,
    pub period: String,
    pub country: String,
    pub quantity: f64,
    pub share: f64,
}

/// A `min_bloc_share` target against what the plan delivers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlocShareRow {
    pub policy: String,
    pub bloc: String,
    pub market: String,
    pub product: String,
    /// A period label, or `horizon`.
    pub period: String,
    pub delivered: f64,
    pub from_bloc: f64,
    /// from_bloc / delivered (None when nothing is delivered).
    pub share: Option<f64>,
    pub target: f64,
    pub met: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolicyResult {
    pub name: String,
    pub kind: String,
    pub soft: bool,
    pub penalty: Option<f64>,
    /// Rows this policy added to the LP.
    pub rows: usize,
    /// Rows holding with equality (or relaxed) at the solution.
    pub binding_rows: usize,
    /// Names of the first binding rows.
    pub binding_examples: Vec<String>,
    /// Total slack used (soft policies), in the policy's units.
    pub slack: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Metadata {
    pub plan_format: u32,
    pub tool: String,
    pub tool_version: String,
    pub model_name: String,
    pub inputs: Vec<InputFile>,
    pub solver: String,
    pub time_limit_s: Option<f64>,
    pub variables: usize,
    pub rows: usize,
    pub nonzeros: usize,
    /// When and how long: the only part of the outputs that differs between two runs
    /// on the same inputs. Reports do not show it.
    pub run: RunInfo,
    /// Command-line overrides applied to the model (`set PATH=VALUE`, `disable NAME`).
    #[serde(default)]
    pub overrides: Vec<String>,
    /// Set when the first backend's plan failed verification and another solved it.
    #[serde(default)]
    pub solver_note: Option<String>,
    /// Set when the solve started from a previous one (`--warm-start`, a sweep's or a
    /// batch's previous entry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_start: Option<WarmStartInfo>,
}

/// How a solve was warm-started.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WarmStartInfo {
    /// Where the start came from: a file, or `the previous entry`.
    pub from: String,
    /// Columns and rows the start names (a start read from a file names only the
    /// columns that are basic, at their upper bound or not zero, and the rows that are
    /// not basic), and how many of them this model has.
    pub start_columns: usize,
    pub start_rows: usize,
    pub columns_matched: usize,
    pub rows_matched: usize,
    /// The LP was solved by the simplex method from the start's basis.
    pub basis: bool,
    /// The MIP search started from the start's values.
    pub values: bool,
}

/// What differs from run to run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunInfo {
    /// UTC time the plan was made, RFC 3339 (e.g. `2027-01-05T06:00:00Z`).
    pub generated_at: String,
    pub build_seconds: f64,
    pub solve_seconds: f64,
    pub verify_seconds: f64,
}

impl RunInfo {
    /// Now, as `YYYY-MM-DDTHH:MM:SSZ` (computed without a date library).
    pub fn now() -> String {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            (rem % 3600) / 60,
            rem % 60
        )
    }
}
