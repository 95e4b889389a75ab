//! Decisions over the horizon in a plan: what is built, opened or closed, when and at
//! what cost; minimum runs; contracts; the MIP search; and what each decision is worth.

use serde::{Deserialize, Serialize};

/// The decision part of a plan; `None` (and left out of `plan.json`) for a model
/// without decisions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DecisionsPlan {
    /// How the MIP search ended (integer models only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mip: Option<MipResult>,
    /// What is built, opened or closed, in period order.
    pub timeline: Vec<DecisionEvent>,
    /// Open or closed, per site that may open and close, and period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<SiteState>,
    /// Every expansion, built or not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expansions: Vec<ExpansionResult>,
    /// Every make with a minimum run, per period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<RunRow>,
    /// Every contract, per window.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<ContractRow>,
    /// What each decision is worth: the plan re-solved with it forbidden and forced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<DecisionValue>,
    /// Why `values` is empty or short, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values_note: Option<String>,
}

/// The end of a MIP search.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct MipResult {
    /// Relative gap between the plan's cost and the best bound (0 when proven optimal).
    pub gap: f64,
    /// The gap asked for (`solver.mip_gap`).
    pub target_gap: f64,
    /// The best bound on the optimum.
    pub bound: f64,
    /// Branch-and-bound nodes explored.
    pub nodes: u64,
}

/// One thing that happens: built, opened, closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionEvent {
    pub period: String,
    /// `build`, `open` or `close`.
    pub action: String,
    pub site: String,
    /// The expansion's name (builds only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expansion: Option<String>,
    /// Part built (1 for a whole expansion; builds only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fraction: Option<f64>,
    /// Capacity units added per period (builds only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<f64>,
    /// $ once.
    pub cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteState {
    pub site: String,
    pub period: String,
    pub open: bool,
    /// `fixed_cost` paid in the period.
    pub fixed_cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpansionResult {
    pub site: String,
    pub name: String,
    /// `default` or the named resource.
    pub resource: String,
    pub capacity: f64,
    pub cost: f64,
    /// The first period it could be built in.
    pub from: String,
    /// The period it is built in (the first, if built in parts), if at all.
    #[serde(default)]
    pub built_in: Option<String>,
    /// Part built over the horizon (0 to 1).
    pub fraction: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    pub site: String,
    pub product: String,
    pub period: String,
    pub min_run: f64,
    pub runs: bool,
    pub quantity: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractRow {
    pub contract: String,
    pub site: String,
    /// A period, or `horizon`.
    pub window: String,
    pub shipped: f64,
    pub min: f64,
    #[serde(default)]
    pub max: Option<f64>,
    /// Units short of `min`, paid at `shortfall_cost`.
    pub shortfall: f64,
    #[serde(default)]
    pub shortfall_cost: Option<f64>,
    /// $ paid for the shortfall.
    pub shortfall_paid: f64,
}

/// What one decision is worth, from two more solves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionValue {
    /// `build line-2 at hagerstown`, `open saltillo-2`, `close hagerstown`.
    pub decision: String,
    /// Whether the plan takes it.
    pub taken: bool,
    /// When the plan takes it.
    #[serde(default)]
    pub period: Option<String>,
    /// Cost of the best plan without it (`None`: infeasible or not solved in time).
    #[serde(default)]
    pub without: Option<f64>,
    /// Cost of the best plan that takes it.
    #[serde(default)]
    pub with: Option<f64>,
    /// without − with: what taking it saves (negative: what it would cost).
    #[serde(default)]
    pub saves: Option<f64>,
    /// In words.
    pub sentence: String,
}
