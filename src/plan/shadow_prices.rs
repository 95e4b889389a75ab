//! Shadow prices and reduced costs in the planner's terms, as plain data.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ShadowPrices {
    /// Where the duals come from when not from the model itself: for an integer model,
    /// "the LP with every integer decision fixed at its optimum".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// $ saved per extra capacity unit, per site and period (binding rows only).
    pub capacity: Vec<CapacityPrice>,
    /// $ per extra percentage point of each binding bloc-share target.
    pub bloc_share: Vec<SharePrice>,
    /// $ of one more unit of demand (the delivered marginal cost).
    pub demand: Vec<DemandPrice>,
    /// $ saved by relaxing other policy rows by one unit.
    pub policies: Vec<PolicyPrice>,
    /// Nonzero reduced costs (backends that give them), $ per unit of the column.
    pub reduced_costs: Vec<ReducedCost>,
    /// $ saved per extra unit of a named resource, per site and period (binding rows).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<ResourcePrice>,
    /// $ saved per extra unit of lane capacity, per lane and departure period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lanes: Vec<LanePrice>,
    /// $ saved per extra unit of throughput, per hub (or site) and period.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub throughput: Vec<ThroughputPrice>,
    /// $ for one more percentage point of regional value content, per rule, site,
    /// product and window.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub value_content: Vec<ValueContentPrice>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResourcePrice {
    pub site: String,
    pub resource: String,
    pub period: String,
    /// $ per unit of the resource.
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LanePrice {
    pub from: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Departure period.
    pub period: String,
    /// $ per unit of lane capacity.
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ThroughputPrice {
    pub site: String,
    pub period: String,
    /// $ per unit of throughput.
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ValueContentPrice {
    pub policy: String,
    pub site: String,
    pub product: String,
    /// Period label or `horizon`.
    pub period: String,
    /// The row's dual ($ per $ of value content).
    pub dual: f64,
    /// $ for one more percentage point of the target.
    pub cost_per_point: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CapacityPrice {
    pub site: String,
    pub period: String,
    /// $ per capacity unit.
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SharePrice {
    pub policy: String,
    pub market: String,
    pub product: String,
    /// Period label or `horizon`.
    pub period: String,
    /// The row's dual ($ per unit of the row's activity).
    pub dual: f64,
    /// $ for one more percentage point of the target.
    pub cost_per_point: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DemandPrice {
    pub market: String,
    pub product: String,
    pub period: String,
    /// $ per extra unit demanded.
    pub marginal_cost: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolicyPrice {
    pub policy: String,
    pub kind: String,
    /// The row, e.g. `ramp-20[monterrey,2027-04]`.
    pub row: String,
    /// $ saved per unit the row is relaxed.
    pub value: f64,
    /// What one unit is (e.g. "capacity unit", "unit", "kg CO2e").
    pub unit: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReducedCost {
    pub variable: String,
    pub reduced_cost: f64,
}
