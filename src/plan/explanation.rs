//! Why a model is infeasible, as plain data that travels in `plan.json`.

use serde::{Deserialize, Serialize};

/// Why a model is infeasible, or that it is not. Self-contained and serialisable, so it
/// can travel in `plan.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Explanation {
    /// The model's name.
    pub model: String,
    pub feasible: bool,
    /// One line: the verdict.
    pub summary: String,
    /// Names of the groups in a minimal conflicting set: policy names, [`CAPACITY`],
    /// [`STORAGE`]. Empty when feasible.
    pub conflict: Vec<String>,
    /// The conflict's members in detail, in the same order.
    pub members: Vec<Member>,
    /// What each member would have to give on its own; by member, then largest first.
    pub findings: Vec<Finding>,
    /// Anything else worth knowing (e.g. a member that is not enough on its own).
    pub notes: Vec<String>,
    /// Backend used.
    pub solver: String,
    /// LP solves it took.
    pub solves: usize,
    pub seconds: f64,
}

/// One member of the conflicting set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    /// Policy kind (`min_bloc_share`, …), `capacity` or `storage`.
    pub kind: String,
    /// Whether relaxing this member alone, every other rule kept, makes the model feasible.
    pub enough_alone: bool,
    /// When not enough alone: rules outside the conflict that had to give as well.
    pub together_with: Vec<String>,
}

/// One place where a rule has to give.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    /// The group: a policy name, `capacity` or `storage`.
    pub group: String,
    /// Policy kind, `capacity` or `storage`.
    pub kind: String,
    pub place: Place,
    /// Periods in which the rule gives, in order; empty for rules over the horizon.
    pub periods: Vec<String>,
    /// The period where it gives most (the one `sentence` describes).
    pub worst_period: Option<String>,
    /// How much the rule gives in the worst period, in `unit`.
    pub shortfall: f64,
    /// How much it gives over all `periods`.
    pub total_shortfall: f64,
    /// `units`, `capacity hours` or `kg CO2e`.
    pub unit: String,
    /// In the worst period: the bound the rule sets (required bloc units, allowed country
    /// units, allowed load change, band limit, contract volume, emission cap, units to
    /// serve, regular plus overtime capacity, storage room; 0 for an exclusion).
    pub limit: f64,
    /// In the worst period: what the least-violating plan reaches against `limit`.
    pub actual: f64,
    /// The finding in plain words.
    pub sentence: String,
}

/// Where a finding applies; only the fields that matter for its kind are set.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Place {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// A named resource of `site`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// A lane, as `from → to` (with its mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lane: Option<String>,
    /// A contract (take-or-pay) of `site`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<String>,
}
