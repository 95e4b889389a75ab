//! The comparison of two plans as plain data: what the `compare` module computes (its
//! documentation gives the matching rules), what the compare documents render, and what
//! `compare.json` holds.

use serde::Serialize;

use super::PlanStatus;

/// Two figures closer than this (relative to max(1, |old|, |new|)) count as equal: the
/// solvers' round-off must not show up as a change.
pub const RELATIVE_TOLERANCE: f64 = 1e-5;

/// Whether two figures are equal up to round-off (see [`RELATIVE_TOLERANCE`]).
pub fn same(a: f64, b: f64) -> bool {
    (b - a).abs() <= RELATIVE_TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

/// [`same`] for figures that may be missing: equal when both are missing.
pub fn same_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// An old and a new value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Delta {
    pub old: f64,
    pub new: f64,
    /// new − old.
    pub change: f64,
    /// change / |old|; `None` when old is 0.
    pub relative: Option<f64>,
    /// The values differ by more than round-off.
    pub changed: bool,
}

impl Delta {
    pub fn new(old: f64, new: f64) -> Delta {
        Delta::with_scale(old, new, 0.0)
    }

    /// A delta whose round-off is judged against `scale` as well as its own values (e.g.
    /// a cost component against the total cost).
    pub fn with_scale(old: f64, new: f64, scale: f64) -> Delta {
        let change = new - old;
        let scale = old.abs().max(new.abs()).max(scale.abs()).max(1.0);
        Delta {
            old,
            new,
            change,
            relative: (old != 0.0).then(|| change / old.abs()),
            changed: change.abs() > RELATIVE_TOLERANCE * scale,
        }
    }

    /// Whether the values differ by more than round-off.
    pub fn changed(&self) -> bool {
        self.changed
    }
}

/// Which plans an item appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Both,
    OldOnly,
    NewOnly,
}

/// One side of the comparison, in brief.
#[derive(Debug, Clone, Serialize)]
pub struct PlanSide {
    /// How the plan is named in the documents (its path, or the model name).
    pub label: String,
    pub model: String,
    pub status: PlanStatus,
    pub objective: Option<f64>,
    pub message: Option<String>,
    /// Whether the plan has a solution (costs, volumes, shares).
    pub has_solution: bool,
    pub periods: usize,
    pub first_period: Option<String>,
    pub last_period: Option<String>,
    pub solver: String,
    /// For an infeasible plan explained at solve time: the rules that conflict.
    pub conflict: Vec<String>,
}

/// The planning periods of the two plans.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodDiff {
    /// Both plans have the same periods, in the same order.
    pub same: bool,
    pub only_old: Vec<String>,
    pub only_new: Vec<String>,
    /// Periods that volumes, loads, shares and capacity limits are compared over; empty
    /// when each plan's whole horizon is used (same periods, or none in common).
    pub compared: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CostDelta {
    pub component: String,
    #[serde(flatten)]
    pub delta: Delta,
}

/// How a measure is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Dollars,
    Units,
    CapacityUnits,
    /// A fraction between 0 and 1.
    Share,
    KgCo2e,
}

/// Whether more of a measure is better, worse, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
    Neither,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeasureDelta {
    pub measure: String,
    pub unit: Unit,
    pub better: Better,
    #[serde(flatten)]
    pub delta: Delta,
}

/// Production and load of one site over the compared periods.
#[derive(Debug, Clone, Serialize)]
pub struct SiteDelta {
    pub site: String,
    pub country: String,
    pub presence: Presence,
    /// Units produced, all products.
    pub units: Delta,
    /// Load, capacity units (overtime included).
    pub load: Delta,
    /// Regular capacity, capacity units.
    pub capacity: Delta,
    /// Overtime used, capacity units.
    pub overtime: Delta,
    /// Units produced per product, for the products whose volume changed.
    pub products: Vec<ProductUnits>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProductUnits {
    pub product: String,
    #[serde(flatten)]
    pub delta: Delta,
}

/// Production and load of one country's sites over the compared periods.
#[derive(Debug, Clone, Serialize)]
pub struct CountryDelta {
    pub country: String,
    pub units: Delta,
    pub load: Delta,
    pub capacity: Delta,
}

/// Production that left one site (or country) for another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VolumeMove {
    pub product: String,
    pub units: f64,
    pub from: String,
    pub from_country: String,
    pub to: String,
    pub to_country: String,
}

/// How a policy of one plan was matched to a policy of the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Matched {
    /// Same name.
    Name,
    /// `min_bloc_share` with the same bloc and (market, product) scope, renamed.
    Scope,
    /// The only unmatched policy of its kind on each side, renamed.
    Kind,
    OldOnly,
    NewOnly,
}

/// A `min_bloc_share` target for one market and product, old against new.
#[derive(Debug, Clone, Serialize)]
pub struct BlocShareDelta {
    pub old_policy: Option<String>,
    pub new_policy: Option<String>,
    pub bloc: String,
    pub market: String,
    pub product: String,
    pub presence: Presence,
    pub target_old: Option<f64>,
    pub target_new: Option<f64>,
    /// Lowest share over the periods (rows with deliveries).
    pub lowest_old: Option<f64>,
    pub lowest_new: Option<f64>,
    /// Units from the bloc / units delivered, over the periods.
    pub average_old: Option<f64>,
    pub average_new: Option<f64>,
    /// Periods (rows) checked, and how many miss the target.
    pub rows_old: usize,
    pub rows_new: usize,
    pub missed_old: usize,
    pub missed_new: usize,
}

impl BlocShareDelta {
    pub fn changed(&self) -> bool {
        self.presence != Presence::Both
            || !same_opt(self.target_old, self.target_new)
            || !same_opt(self.lowest_old, self.lowest_new)
            || !same_opt(self.average_old, self.average_new)
            || self.rows_old != self.rows_new
            || self.missed_old != self.missed_new
    }
}

/// How a policy's binding status changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BindingChange {
    /// Binds in the new plan and not in the old one (or is new and binds).
    NewlyBinding,
    /// Bound in the old plan and not in the new one (or is gone).
    NoLongerBinding,
    StillBinding,
    NotBinding,
}

#[derive(Debug, Clone, Serialize)]
pub struct PolicyDelta {
    pub old_name: Option<String>,
    pub new_name: Option<String>,
    pub kind: String,
    pub matched: Matched,
    pub rows_old: Option<usize>,
    pub rows_new: Option<usize>,
    pub binding_old: Option<usize>,
    pub binding_new: Option<usize>,
    /// Slack used (soft policies), in the policy's units.
    pub slack_old: Option<f64>,
    pub slack_new: Option<f64>,
    pub change: BindingChange,
    /// Binding rows of the new plan not binding in the old one (by row, among the examples
    /// `plan.json` keeps; only when the old plan's list is complete or the policy is new).
    pub newly_binding_rows: Vec<String>,
    /// Binding rows of the old plan not binding in the new one (same limits).
    pub no_longer_binding_rows: Vec<String>,
}

impl PolicyDelta {
    /// The name to show: `old → new` when renamed.
    pub fn display_name(&self) -> String {
        match (&self.old_name, &self.new_name) {
            (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
            (Some(o), _) => o.clone(),
            (None, Some(n)) => n.clone(),
            (None, None) => String::new(),
        }
    }

    pub fn changed(&self) -> bool {
        self.matched != Matched::Name
            || self.rows_old != self.rows_new
            || self.binding_old != self.binding_new
            || self.slack_old.is_some() != self.slack_new.is_some()
            || !self
                .slack_old
                .zip(self.slack_new)
                .is_none_or(|(a, b)| (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0))
            || !self.newly_binding_rows.is_empty()
            || !self.no_longer_binding_rows.is_empty()
    }
}

/// A site in a period.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SitePeriodRef {
    pub site: String,
    pub period: String,
}

/// Site-periods whose load reaches regular plus overtime capacity.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CapacityLimits {
    pub newly_full: Vec<SitePeriodRef>,
    pub no_longer_full: Vec<SitePeriodRef>,
    pub full_old: usize,
    pub full_new: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PriceDelta {
    /// What the price is of, e.g. `hagerstown, 2027-03` or a row name.
    pub item: String,
    /// What one unit is.
    pub per: String,
    #[serde(flatten)]
    pub delta: Delta,
}

/// Shadow-price changes, when both plans have them. A price missing from one plan's list
/// is 0 there (its row is not binding).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ShadowPriceChanges {
    pub compared: bool,
    /// Why they could not be compared.
    pub note: Option<String>,
    pub capacity: Vec<PriceDelta>,
    pub bloc_share: Vec<PriceDelta>,
    pub policies: Vec<PriceDelta>,
}

/// A run setting that differs.
#[derive(Debug, Clone, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// An input file of either plan, by path (the model file is matched as the model).
#[derive(Debug, Clone, Serialize)]
pub struct InputChange {
    /// `model` or `data`.
    pub role: String,
    pub old_path: Option<String>,
    pub new_path: Option<String>,
    pub old_sha256: Option<String>,
    pub new_sha256: Option<String>,
    /// `same`, `changed`, `added` or `removed`.
    pub change: String,
}

/// Units moved from one tier to another over each plan's horizon.
#[derive(Debug, Clone, Serialize)]
pub struct TierFlowDelta {
    /// How the documents name the pair, e.g. `tier 0 → tier 1 (hubs)` or
    /// `tier 2 → markets`.
    pub label: String,
    /// The tier the units leave; `None` for a node missing from the plan's node list.
    pub from_tier: Option<usize>,
    /// The tier the units reach; `None` for the markets (see `to_markets`) or a node
    /// missing from the plan's node list.
    pub to_tier: Option<usize>,
    pub to_markets: bool,
    pub presence: Presence,
    pub units: Delta,
}

/// Units moved along one (from, to) pair of nodes over each plan's horizon, all modes,
/// products and origins together.
#[derive(Debug, Clone, Serialize)]
pub struct LaneFlowDelta {
    pub from: String,
    pub from_country: String,
    pub to: String,
    pub to_country: String,
    /// `to` is a market (a delivery).
    pub to_market: bool,
    /// Which plans move anything along the lane; the other counts as 0.
    pub presence: Presence,
    pub units: Delta,
    /// Units per product, for the products whose volume changed.
    pub products: Vec<ProductUnits>,
}

/// Supply of one product into one node that one source no longer delivers and another
/// now does (the sources whose deliveries fell, largest first, matched to those whose
/// deliveries rose).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplyMove {
    pub product: String,
    /// The node supplied: a site, a hub or a market.
    pub into: String,
    pub into_market: bool,
    pub units: f64,
    /// The source that delivers less.
    pub from: String,
    pub from_country: String,
    /// The source that delivers more.
    pub to: String,
    pub to_country: String,
}

/// One origin's (a country's or a bloc's) share of what a receiver gets.
#[derive(Debug, Clone, Serialize)]
pub struct OriginShare {
    /// A country (the origin the plan records, or the shipping site's country where it
    /// records none; `unknown` for untracked units forwarded by a hub), or a bloc name.
    pub origin: String,
    pub units: Delta,
    /// units / all units received (a fraction); `None` when nothing is received.
    pub share_old: Option<f64>,
    pub share_new: Option<f64>,
    /// (share_new − share_old) in percentage points; `None` unless both plans receive
    /// something.
    pub points: Option<f64>,
}

impl OriginShare {
    pub fn changed(&self) -> bool {
        !same_opt(self.share_old, self.share_new)
    }
}

/// The origin mix of one product delivered to the markets (all together) or received by
/// one site or hub, over each plan's horizon.
#[derive(Debug, Clone, Serialize)]
pub struct OriginMixDelta {
    /// The receiving site or hub; `None` for deliveries to the markets.
    pub receiver: Option<String>,
    pub product: String,
    /// Units received, all origins.
    pub units: Delta,
    /// By origin country, largest change first.
    pub countries: Vec<OriginShare>,
    /// By bloc (the blocs of the plans' nodes that hold the origin country), largest
    /// change first; only blocs that supply something in either plan.
    pub blocs: Vec<OriginShare>,
}

impl OriginMixDelta {
    pub fn changed(&self) -> bool {
        self.units.changed()
            || self.countries.iter().any(OriginShare::changed)
            || self.blocs.iter().any(OriginShare::changed)
    }
}

/// One regional value content row (site, product, window) of a bloc, old against new.
#[derive(Debug, Clone, Serialize)]
pub struct ValueContentDelta {
    pub old_policy: Option<String>,
    pub new_policy: Option<String>,
    pub bloc: String,
    pub site: String,
    pub product: String,
    /// A period label, or `horizon`.
    pub period: String,
    pub presence: Presence,
    /// Units made in the window.
    pub produced: Delta,
    /// Regional value content (a fraction); `None` when nothing is made.
    pub share_old: Option<f64>,
    pub share_new: Option<f64>,
    /// (share_new − share_old) in percentage points.
    pub points: Option<f64>,
    pub target_old: Option<f64>,
    pub target_new: Option<f64>,
    /// share − target, in percentage points.
    pub margin_old: Option<f64>,
    pub margin_new: Option<f64>,
    pub met_old: Option<bool>,
    pub met_new: Option<bool>,
    /// Value of components from the bloc / value of all components consumed (a
    /// fraction); `None` when no component is consumed.
    pub component_share_old: Option<f64>,
    pub component_share_new: Option<f64>,
    /// (component_share_new − component_share_old) in percentage points.
    pub component_points: Option<f64>,
}

impl ValueContentDelta {
    pub fn changed(&self) -> bool {
        self.presence != Presence::Both
            || self.produced.changed()
            || !same_opt(self.share_old, self.share_new)
            || !same_opt(self.target_old, self.target_new)
            || self.met_old != self.met_new
            || !same_opt(self.component_share_old, self.component_share_new)
    }

    /// The policy name to show: `old → new` when renamed.
    pub fn policy_name(&self) -> String {
        match (&self.old_policy, &self.new_policy) {
            (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
            (_, Some(n)) => n.clone(),
            (Some(o), None) => o.clone(),
            (None, None) => String::new(),
        }
    }
}

/// The multi-tier part of a comparison: what moved between tiers and lanes, where the
/// supply of each receiver comes from, and regional value content. Flows are totals
/// over each plan's own horizon.
#[derive(Debug, Clone, Default, Serialize)]
pub struct NetworkComparison {
    /// Whether each plan has a multi-tier network; a plan without one is read from its
    /// shipments (every site in tier 0, every shipment a delivery).
    pub old_network: bool,
    pub new_network: bool,
    /// Per tier pair, largest change first.
    pub tiers: Vec<TierFlowDelta>,
    /// Per (from, to) lane, largest change first.
    pub lanes: Vec<LaneFlowDelta>,
    /// Supply that moved from one source to another, per receiver and product, largest
    /// first.
    pub supply_moves: Vec<SupplyMove>,
    /// Origin mix of deliveries to the markets (first) and of what each site or hub
    /// receives, per product, largest change first.
    pub origin_mix: Vec<OriginMixDelta>,
    /// Regional value content rows, in the plans' order.
    pub value_content: Vec<ValueContentDelta>,
}

impl NetworkComparison {
    /// Whether any flow, origin share or value content row differs.
    pub fn changed(&self) -> bool {
        self.old_network != self.new_network
            || self
                .tiers
                .iter()
                .any(|t| t.presence != Presence::Both || t.units.changed())
            || self
                .lanes
                .iter()
                .any(|l| l.presence != Presence::Both || l.units.changed())
            || !self.supply_moves.is_empty()
            || self.origin_mix.iter().any(OriginMixDelta::changed)
            || self.value_content.iter().any(ValueContentDelta::changed)
    }
}

/// One decision over the horizon (a build, an opening, a closing) that differs between
/// the plans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionChange {
    /// `build`, `open` or `close`.
    pub action: String,
    pub site: String,
    /// The expansion's name (builds only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expansion: Option<String>,
    /// Periods it happens in, in each plan (empty: not taken).
    pub old: Vec<String>,
    pub new: Vec<String>,
    /// Part of the expansion built over the horizon, in each plan (builds only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction_old: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fraction_new: Option<f64>,
}

/// What one contract falls short of its minimum, old against new (all its windows).
#[derive(Debug, Clone, Serialize)]
pub struct ContractDelta {
    pub contract: String,
    pub presence: Presence,
    /// Units short of the minimum.
    pub shortfall: Delta,
    /// $ paid for the shortfall.
    pub paid: Delta,
}

/// Decisions over the horizon, old against new: the builds, openings and closings that
/// differ, and the contracts whose shortfall changed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DecisionsComparison {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<DecisionChange>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contracts: Vec<ContractDelta>,
}

impl DecisionsComparison {
    pub fn changed(&self) -> bool {
        !self.changes.is_empty() || !self.contracts.is_empty()
    }
}

/// What changed between two plans. See the module documentation for the rules.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub old: PlanSide,
    pub new: PlanSide,
    /// No compared figure differs (timings are not compared).
    pub unchanged: bool,
    pub status_changed: bool,
    /// Objective, when both plans have one.
    pub objective: Option<Delta>,
    /// Cost by component (both plans solved), in report order; `total` last.
    pub costs: Vec<CostDelta>,
    pub measures: Vec<MeasureDelta>,
    pub periods: PeriodDiff,
    pub sites: Vec<SiteDelta>,
    pub countries: Vec<CountryDelta>,
    /// Units produced per product over the compared periods.
    pub products: Vec<ProductUnits>,
    /// Total units produced over the compared periods.
    pub production: Option<Delta>,
    pub site_moves: Vec<VolumeMove>,
    pub country_moves: Vec<VolumeMove>,
    pub bloc_shares: Vec<BlocShareDelta>,
    /// The multi-tier part (flows between tiers and lanes, origin mix, value content),
    /// when either plan has a network and both have a solution; `None` (and left out of
    /// `compare.json`) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkComparison>,
    /// Decisions over the horizon that differ, when either plan has decisions and both
    /// have a solution; `None` (and left out of `compare.json`) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decisions: Option<DecisionsComparison>,
    pub policies: Vec<PolicyDelta>,
    pub capacity_limits: CapacityLimits,
    pub shadow_prices: ShadowPriceChanges,
    pub metadata: Vec<FieldChange>,
    pub inputs: Vec<InputChange>,
    /// What could not be compared, and how differences in scope were handled.
    pub notes: Vec<String>,
}

impl Comparison {
    /// Names the two plans in the documents (e.g. by their paths).
    pub fn labelled(mut self, old: &str, new: &str) -> Comparison {
        self.old.label = old.to_string();
        self.new.label = new.to_string();
        self
    }

    /// Cost components whose cost changed (the total excluded).
    pub fn changed_costs(&self) -> impl Iterator<Item = &CostDelta> {
        self.costs
            .iter()
            .filter(|c| c.component != "total" && c.delta.changed())
    }

    pub fn total_cost(&self) -> Option<&Delta> {
        self.costs
            .iter()
            .find(|c| c.component == "total")
            .map(|c| &c.delta)
    }
}
