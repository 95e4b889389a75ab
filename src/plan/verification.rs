//! The verifier's verdict and the cost of a plan by component, as plain data.

use serde::{Deserialize, Serialize};

/// The cost of a plan by component, in $.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CostBreakdown {
    pub production: f64,
    pub overtime: f64,
    pub transport: f64,
    pub tariffs_duties: f64,
    pub carbon: f64,
    pub holding: f64,
    pub unmet_penalty: f64,
    pub leveling: f64,
    pub soft_policy_penalties: f64,
    /// `fixed_cost` of sites, per period (while open).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub fixed: f64,
    /// Opening and closing costs of sites.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub opening_closing: f64,
    /// Expansions built.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub investment: f64,
    /// Contract shortfall payments (take-or-pay).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub contract_shortfall: f64,
    pub total: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

impl CostBreakdown {
    /// Components with their display names, in report order: the decisions' costs
    /// (fixed, opening and closing, investment, contract shortfall) only when the plan
    /// has any.
    pub fn components(&self) -> Vec<(&'static str, f64)> {
        let all = self.all_components();
        let n = if self.has_decisions() { all.len() } else { 9 };
        all[..n].to_vec()
    }

    /// Whether any cost of a decision over the horizon is non-zero.
    pub fn has_decisions(&self) -> bool {
        self.fixed != 0.0
            || self.opening_closing != 0.0
            || self.investment != 0.0
            || self.contract_shortfall != 0.0
    }

    /// Every component, decisions' costs included.
    pub fn all_components(&self) -> [(&'static str, f64); 13] {
        [
            ("production", self.production),
            ("overtime", self.overtime),
            ("transport", self.transport),
            ("tariffs and duties", self.tariffs_duties),
            ("carbon", self.carbon),
            ("holding", self.holding),
            ("unmet demand penalty", self.unmet_penalty),
            ("leveling", self.leveling),
            ("soft policy penalties", self.soft_policy_penalties),
            ("fixed site costs", self.fixed),
            ("opening and closing", self.opening_closing),
            ("investment", self.investment),
            ("contract shortfall", self.contract_shortfall),
        ]
    }
}

/// One constraint found violated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    pub constraint: String,
    /// Absolute amount by which it is violated.
    pub amount: f64,
}

/// The verifier's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    /// No violation beyond tolerance and the objective matches.
    pub passed: bool,
    /// Number of constraint instances checked.
    pub checks: usize,
    /// Largest violation relative to max(1, |bound|); 0 when all hold exactly.
    pub worst_violation: f64,
    /// The constraint with the largest violation, if any is positive.
    pub worst_constraint: Option<String>,
    /// Violations beyond tolerance (the first 20).
    pub violations: Vec<Violation>,
    /// The objective recomputed from the allocation.
    pub objective_recomputed: f64,
    /// The objective the solver reported.
    pub objective_reported: f64,
    /// |recomputed − reported| / max(1, |reported|).
    pub objective_gap: f64,
    /// Slack each soft policy needs, by policy name, in the policy's units.
    pub soft_slack: Vec<(String, f64)>,
    pub costs: CostBreakdown,
}
