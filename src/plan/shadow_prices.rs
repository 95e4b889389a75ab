//! Shadow prices and reduced costs in the planner's terms, as plain data.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ShadowPrices {
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
