//! Plan-to-plan comparison: what changed between two [`Plan`]s (last month against this
//! month, a baseline against a policy variant).
//!
//! [`compare`] works on the plans alone, like the reports: status and objective, cost by
//! component, service and operations figures, production volume per site and per country
//! (with the "volume moved" between them), bloc shares against their targets, binding
//! policies and capacity limits, shadow prices (when both plans have them), and the run
//! metadata (model, overrides, input files). [`render_markdown`] and [`render_html`] turn
//! the [`Comparison`] into documents; the struct itself serialises to `compare.json`.
//!
//! Matching rules:
//! - Sites, countries, products, markets and periods are matched by id. Ids present in
//!   only one plan are listed as such (a site only in the new plan counts from zero).
//! - When the plans cover different periods, volumes, loads, shares and capacity limits
//!   are compared over the periods they share; costs and service figures are totals of
//!   each plan's own horizon (a note says so).
//! - Policies are matched by name; policies left over are matched when they evidently are
//!   the same rule under a new name: `min_bloc_share` policies with the same bloc and the
//!   same (market, product) scope, and otherwise the only unmatched policy of a kind on
//!   each side. The match is recorded (`matched`) and shown.
//! - Volume moved: per product, the sites whose production fell (largest first) are
//!   matched to the sites whose production rose (largest first); what cannot be matched
//!   is a net change in that product's production. The same is done per country.
//! - A plan without a solution (infeasible, error, …) has only its status, message and
//!   metadata; everything else is compared only when both plans have a solution, and the
//!   notes say what was left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde::Serialize;

use crate::error::Error;
use crate::fmt::{capitalize, escape_html, escape_markdown as escape, group, money, percent};
use crate::plan::{BlocShareRow, Plan, PlanStatus, PolicyResult};
use crate::report::chart::diverging_bars;
use crate::report::page::page;

/// Two figures closer than this (relative to max(1, |old|, |new|)) count as equal: the
/// solvers' round-off must not show up as a change.
const RELATIVE_TOLERANCE: f64 = 1e-5;
/// Rows of long tables shown in the documents (the JSON has them all).
const SHOWN_ROWS: usize = 20;
/// Volume moves listed in the documents (the JSON has them all).
const SHOWN_MOVES: usize = 12;

fn same(a: f64, b: f64) -> bool {
    (b - a).abs() <= RELATIVE_TOLERANCE * a.abs().max(b.abs()).max(1.0)
}

fn same_opt(a: Option<f64>, b: Option<f64>) -> bool {
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

impl PlanSide {
    fn of(plan: &Plan) -> PlanSide {
        PlanSide {
            label: plan.model.clone(),
            model: plan.model.clone(),
            status: plan.status,
            objective: plan.objective,
            message: plan.message.clone(),
            has_solution: has_solution(plan),
            periods: plan.periods.len(),
            first_period: plan.periods.first().cloned(),
            last_period: plan.periods.last().cloned(),
            solver: plan.metadata.solver.clone(),
            conflict: plan
                .explanation
                .as_ref()
                .map(|e| e.conflict.clone())
                .unwrap_or_default(),
        }
    }
}

fn has_solution(plan: &Plan) -> bool {
    plan.costs.is_some() && plan.kpis.is_some()
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

/// `compare.json`: the comparison, pretty-printed with a trailing newline.
pub fn to_json(comparison: &Comparison) -> Result<String, Error> {
    let mut text =
        serde_json::to_string_pretty(comparison).map_err(|e| Error::Other(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Compares two plans; labels default to the model names (see [`Comparison::labelled`]).
pub fn compare(old: &Plan, new: &Plan) -> Comparison {
    let mut notes = Vec::new();
    let both = has_solution(old) && has_solution(new);
    let periods = period_diff(old, new, both, &mut notes);
    let scope: Option<BTreeSet<&str>> = (!periods.compared.is_empty())
        .then(|| periods.compared.iter().map(String::as_str).collect());
    let in_scope =
        |period: &str| period == "horizon" || scope.as_ref().is_none_or(|s| s.contains(period));

    if !both {
        let missing: Vec<String> = [(old, "old"), (new, "new")]
            .iter()
            .filter(|(p, _)| !has_solution(p))
            .map(|(p, side)| format!("the {side} plan has no solution (status {})", p.status))
            .collect();
        notes.push(format!(
            "{}: costs, volumes, bloc shares, binding policies and shadow prices are compared only between two solved plans.",
            capitalize(&missing.join(" and "))
        ));
    }

    let objective = match (old.objective, new.objective) {
        (Some(a), Some(b)) => Some(Delta::new(a, b)),
        _ => None,
    };
    let costs = match (&old.costs, &new.costs) {
        (Some(a), Some(b)) if both => {
            // A component's round-off is judged against the total cost.
            let scale = a.total.abs().max(b.total.abs());
            let mut rows: Vec<CostDelta> = a
                .components()
                .iter()
                .zip(b.components().iter())
                .map(|((name, x), (_, y))| CostDelta {
                    component: (*name).to_string(),
                    delta: Delta::with_scale(*x, *y, scale),
                })
                .collect();
            rows.push(CostDelta {
                component: "total".to_string(),
                delta: Delta::new(a.total, b.total),
            });
            rows
        }
        _ => Vec::new(),
    };
    let measures = match (&old.kpis, &new.kpis) {
        (Some(a), Some(b)) if both => {
            let m = |measure: &str, unit, better, x: f64, y: f64| MeasureDelta {
                measure: measure.to_string(),
                unit,
                better,
                delta: Delta::new(x, y),
            };
            vec![
                m(
                    "fill rate",
                    Unit::Share,
                    Better::Higher,
                    a.fill_rate,
                    b.fill_rate,
                ),
                m("unmet demand", Unit::Units, Better::Lower, a.unmet, b.unmet),
                m("demand", Unit::Units, Better::Neither, a.demand, b.demand),
                m("served", Unit::Units, Better::Neither, a.served, b.served),
                m(
                    "produced",
                    Unit::Units,
                    Better::Neither,
                    a.produced,
                    b.produced,
                ),
                m(
                    "overtime used",
                    Unit::CapacityUnits,
                    Better::Neither,
                    a.overtime_used,
                    b.overtime_used,
                ),
                m(
                    "average utilization",
                    Unit::Share,
                    Better::Neither,
                    a.utilization,
                    b.utilization,
                ),
                m(
                    "load change between periods",
                    Unit::CapacityUnits,
                    Better::Lower,
                    a.load_change,
                    b.load_change,
                ),
                m(
                    "emissions",
                    Unit::KgCo2e,
                    Better::Lower,
                    a.emissions_kg,
                    b.emissions_kg,
                ),
            ]
        }
        _ => Vec::new(),
    };
    if both && !periods.same && !periods.compared.is_empty() {
        notes.push(
            "Costs and service figures are totals over each plan's own horizon; volumes, loads, shares and capacity limits cover the common periods only."
                .to_string(),
        );
    }

    let mut volumes = Volumes::default();
    if both {
        volumes = volumes_of(old, new, &in_scope);
    }
    let pairs = if both {
        pair_policies(old, new)
    } else {
        Vec::new()
    };
    let bloc_shares = if both {
        bloc_share_deltas(old, new, &pairs, &in_scope)
    } else {
        Vec::new()
    };
    let policies = if both {
        policy_deltas(old, new, &pairs)
    } else {
        Vec::new()
    };
    let capacity_limits = if both {
        capacity_limits(old, new, &in_scope)
    } else {
        CapacityLimits::default()
    };
    let shadow_prices = if both {
        shadow_changes(old, new, &pairs)
    } else {
        ShadowPriceChanges {
            compared: false,
            note: Some("not compared: both plans need a solution".to_string()),
            ..ShadowPriceChanges::default()
        }
    };
    let metadata = metadata_changes(old, new);
    let inputs = input_changes(old, new);

    let mut comparison = Comparison {
        old: PlanSide::of(old),
        new: PlanSide::of(new),
        unchanged: false,
        status_changed: old.status != new.status,
        objective,
        costs,
        measures,
        periods,
        sites: volumes.sites,
        countries: volumes.countries,
        products: volumes.products,
        production: volumes.total,
        site_moves: volumes.site_moves,
        country_moves: volumes.country_moves,
        bloc_shares,
        policies,
        capacity_limits,
        shadow_prices,
        metadata,
        inputs,
        notes,
    };
    comparison.unchanged = is_unchanged(&comparison);
    comparison
}

fn is_unchanged(c: &Comparison) -> bool {
    let sites_same = c.sites.iter().all(|s| {
        s.presence == Presence::Both
            && !s.units.changed()
            && !s.load.changed()
            && !s.capacity.changed()
            && !s.overtime.changed()
            && s.products.is_empty()
    });
    !c.status_changed
        && c.old.has_solution == c.new.has_solution
        && same_opt(c.old.objective, c.new.objective)
        && c.old.message == c.new.message
        && c.old.conflict == c.new.conflict
        && c.costs.iter().all(|x| !x.delta.changed())
        && c.measures.iter().all(|x| !x.delta.changed())
        && c.periods.same
        && sites_same
        && c.countries
            .iter()
            .all(|x| !x.units.changed() && !x.load.changed())
        && c.products.iter().all(|x| !x.delta.changed())
        && c.site_moves.is_empty()
        && c.country_moves.is_empty()
        && c.bloc_shares.iter().all(|x| !x.changed())
        && c.policies.iter().all(|x| !x.changed())
        && c.capacity_limits.newly_full.is_empty()
        && c.capacity_limits.no_longer_full.is_empty()
        && c.shadow_prices.capacity.is_empty()
        && c.shadow_prices.bloc_share.is_empty()
        && c.shadow_prices.policies.is_empty()
        && c.metadata.is_empty()
        && c.inputs.iter().all(|x| x.change == "same")
}

fn period_diff(old: &Plan, new: &Plan, both: bool, notes: &mut Vec<String>) -> PeriodDiff {
    let old_set: BTreeSet<&str> = old.periods.iter().map(String::as_str).collect();
    let new_set: BTreeSet<&str> = new.periods.iter().map(String::as_str).collect();
    let only_old: Vec<String> = old
        .periods
        .iter()
        .filter(|p| !new_set.contains(p.as_str()))
        .cloned()
        .collect();
    let only_new: Vec<String> = new
        .periods
        .iter()
        .filter(|p| !old_set.contains(p.as_str()))
        .cloned()
        .collect();
    let same_periods = old.periods == new.periods;
    let common: Vec<String> = old
        .periods
        .iter()
        .filter(|p| new_set.contains(p.as_str()))
        .cloned()
        .collect();
    let compared = if same_periods || common.is_empty() {
        Vec::new()
    } else {
        common.clone()
    };
    if !same_periods {
        if common.is_empty() {
            notes.push(if both {
                "The plans have no period in common: volumes, loads and shares are totals over each plan's whole horizon."
                    .to_string()
            } else {
                "The plans have no period in common.".to_string()
            });
        } else {
            let list = |v: &[String]| {
                let mut text = v.iter().take(6).cloned().collect::<Vec<_>>().join(", ");
                if v.len() > 6 {
                    let _ = write!(text, " … ({} in all)", v.len());
                }
                if text.is_empty() {
                    text.push_str("none");
                }
                text
            };
            notes.push(format!(
                "The plans share {} periods; only in the old plan: {}; only in the new plan: {}.",
                common.len(),
                list(&only_old),
                list(&only_new)
            ));
        }
    }
    PeriodDiff {
        same: same_periods,
        only_old,
        only_new,
        compared,
    }
}

#[derive(Default)]
struct Volumes {
    sites: Vec<SiteDelta>,
    countries: Vec<CountryDelta>,
    products: Vec<ProductUnits>,
    total: Option<Delta>,
    site_moves: Vec<VolumeMove>,
    country_moves: Vec<VolumeMove>,
}

/// Per-site totals of one plan over the compared periods.
#[derive(Default, Clone)]
struct SiteTotals {
    country: String,
    units: BTreeMap<String, f64>,
    load: f64,
    capacity: f64,
    overtime: f64,
}

impl SiteTotals {
    fn total_units(&self) -> f64 {
        self.units.values().sum()
    }
}

/// Ids in order of first appearance, old plan first.
fn ordered<'a>(
    old: impl Iterator<Item = &'a str>,
    new: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for id in old.chain(new) {
        if seen.insert(id) {
            out.push(id.to_string());
        }
    }
    out
}

fn site_totals(plan: &Plan, in_scope: &dyn Fn(&str) -> bool) -> BTreeMap<String, SiteTotals> {
    let mut out: BTreeMap<String, SiteTotals> = BTreeMap::new();
    for site in &plan.sites {
        let t = out.entry(site.id.clone()).or_default();
        t.country = site.country.clone();
        for p in site.periods.iter().filter(|p| in_scope(&p.period)) {
            t.load += p.load;
            t.capacity += p.capacity;
            t.overtime += p.overtime;
        }
    }
    for row in plan.production.iter().filter(|r| in_scope(&r.period)) {
        let t = out.entry(row.site.clone()).or_default();
        *t.units.entry(row.product.clone()).or_default() += row.quantity;
    }
    out
}

fn volumes_of(old: &Plan, new: &Plan, in_scope: &dyn Fn(&str) -> bool) -> Volumes {
    let a = site_totals(old, in_scope);
    let b = site_totals(new, in_scope);
    let site_ids = ordered(
        old.sites
            .iter()
            .map(|s| s.id.as_str())
            .chain(old.production.iter().map(|r| r.site.as_str())),
        new.sites
            .iter()
            .map(|s| s.id.as_str())
            .chain(new.production.iter().map(|r| r.site.as_str())),
    );
    let product_ids = ordered(
        old.production.iter().map(|r| r.product.as_str()),
        new.production.iter().map(|r| r.product.as_str()),
    );
    let empty = SiteTotals::default();
    let country_of = |id: &str| -> String {
        b.get(id)
            .map(|t| t.country.clone())
            .filter(|c| !c.is_empty())
            .or_else(|| a.get(id).map(|t| t.country.clone()))
            .unwrap_or_default()
    };

    let mut sites = Vec::new();
    for id in &site_ids {
        let (x, y) = (a.get(id), b.get(id));
        let presence = match (x, y) {
            (Some(_), Some(_)) => Presence::Both,
            (Some(_), None) => Presence::OldOnly,
            _ => Presence::NewOnly,
        };
        let (x, y) = (x.unwrap_or(&empty), y.unwrap_or(&empty));
        let products = product_ids
            .iter()
            .map(|p| ProductUnits {
                product: p.clone(),
                delta: Delta::new(
                    x.units.get(p).copied().unwrap_or(0.0),
                    y.units.get(p).copied().unwrap_or(0.0),
                ),
            })
            .filter(|p| p.delta.changed())
            .collect();
        sites.push(SiteDelta {
            site: id.clone(),
            country: country_of(id),
            presence,
            units: Delta::new(x.total_units(), y.total_units()),
            load: Delta::new(x.load, y.load),
            capacity: Delta::new(x.capacity, y.capacity),
            overtime: Delta::new(x.overtime, y.overtime),
            products,
        });
    }

    let country_ids = ordered(sites.iter().map(|s| s.country.as_str()), std::iter::empty());
    let countries: Vec<CountryDelta> = country_ids
        .iter()
        .map(|c| {
            let of = |f: fn(&SiteDelta) -> Delta| {
                sites
                    .iter()
                    .filter(|s| &s.country == c)
                    .map(f)
                    .fold((0.0, 0.0), |acc, d| (acc.0 + d.old, acc.1 + d.new))
            };
            let units = of(|s| s.units);
            let load = of(|s| s.load);
            let capacity = of(|s| s.capacity);
            CountryDelta {
                country: c.clone(),
                units: Delta::new(units.0, units.1),
                load: Delta::new(load.0, load.1),
                capacity: Delta::new(capacity.0, capacity.1),
            }
        })
        .collect();

    let mut products = Vec::new();
    let mut site_moves = Vec::new();
    let mut country_moves = Vec::new();
    for p in &product_ids {
        let per_site: Vec<(String, String, Delta)> = site_ids
            .iter()
            .map(|id| {
                let units = |t: &BTreeMap<String, SiteTotals>| {
                    t.get(id)
                        .and_then(|t| t.units.get(p))
                        .copied()
                        .unwrap_or(0.0)
                };
                (id.clone(), country_of(id), Delta::new(units(&a), units(&b)))
            })
            .collect();
        let total = per_site
            .iter()
            .fold((0.0, 0.0), |acc, (_, _, d)| (acc.0 + d.old, acc.1 + d.new));
        products.push(ProductUnits {
            product: p.clone(),
            delta: Delta::new(total.0, total.1),
        });
        let site_changes: Vec<(String, String, Delta)> = per_site.clone();
        site_moves.extend(match_moves(p, &site_changes));
        let mut by_country: Vec<(String, String, Delta)> = Vec::new();
        for (_, country, d) in &per_site {
            match by_country.iter_mut().find(|(c, _, _)| c == country) {
                Some((_, _, acc)) => *acc = Delta::new(acc.old + d.old, acc.new + d.new),
                None => by_country.push((country.clone(), country.clone(), *d)),
            }
        }
        country_moves.extend(match_moves(p, &by_country));
    }
    let sort = |moves: &mut Vec<VolumeMove>| {
        moves.sort_by(|x, y| {
            y.units
                .total_cmp(&x.units)
                .then_with(|| x.product.cmp(&y.product))
                .then_with(|| x.from.cmp(&y.from))
                .then_with(|| x.to.cmp(&y.to))
        })
    };
    sort(&mut site_moves);
    sort(&mut country_moves);
    let total = products.iter().fold((0.0, 0.0), |acc, p| {
        (acc.0 + p.delta.old, acc.1 + p.delta.new)
    });
    Volumes {
        sites,
        countries,
        products,
        total: Some(Delta::new(total.0, total.1)),
        site_moves,
        country_moves,
    }
}

/// Largest decreases matched to largest increases, for one product. `changes` holds
/// (place, country, delta); a place's country is itself for country-level matching.
fn match_moves(product: &str, changes: &[(String, String, Delta)]) -> Vec<VolumeMove> {
    let pick = |sign: f64| {
        let mut v: Vec<(&str, &str, f64)> = changes
            .iter()
            .filter(|(_, _, d)| d.changed() && d.change * sign > 0.0)
            .map(|(id, c, d)| (id.as_str(), c.as_str(), d.change.abs()))
            .collect();
        v.sort_by(|x, y| y.2.total_cmp(&x.2).then_with(|| x.0.cmp(y.0)));
        v
    };
    let mut down = pick(-1.0);
    let mut up = pick(1.0);
    let mut moves = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < down.len() && j < up.len() {
        let amount = down[i].2.min(up[j].2);
        let scale = down[i].2.max(up[j].2).max(1.0);
        if amount > RELATIVE_TOLERANCE * scale {
            moves.push(VolumeMove {
                product: product.to_string(),
                units: amount,
                from: down[i].0.to_string(),
                from_country: down[i].1.to_string(),
                to: up[j].0.to_string(),
                to_country: up[j].1.to_string(),
            });
        }
        down[i].2 -= amount;
        up[j].2 -= amount;
        if down[i].2 <= RELATIVE_TOLERANCE * scale {
            i += 1;
        }
        if up[j].2 <= RELATIVE_TOLERANCE * scale {
            j += 1;
        }
    }
    moves
}

/// A matched pair of policies (indices into `plan.policies`).
#[derive(Debug, Clone, Copy)]
struct PolicyPair {
    old: Option<usize>,
    new: Option<usize>,
    matched: Matched,
}

/// A `min_bloc_share` policy's bloc and its (market, product) scope, from its rows.
fn bloc_scope(plan: &Plan, policy: &str) -> Option<(String, BTreeSet<(String, String)>)> {
    let rows: Vec<&BlocShareRow> = plan
        .bloc_shares
        .iter()
        .filter(|r| r.policy == policy)
        .collect();
    let bloc = rows.first()?.bloc.clone();
    let scope = rows
        .iter()
        .map(|r| (r.market.clone(), r.product.clone()))
        .collect();
    Some((bloc, scope))
}

fn bloc_of(plan: &Plan, policy: &str) -> Option<String> {
    plan.bloc_shares
        .iter()
        .find(|r| r.policy == policy)
        .map(|r| r.bloc.clone())
}

fn pair_policies(old: &Plan, new: &Plan) -> Vec<PolicyPair> {
    let mut new_taken = vec![false; new.policies.len()];
    let mut old_match: Vec<Option<(usize, Matched)>> = vec![None; old.policies.len()];
    for (i, p) in old.policies.iter().enumerate() {
        if let Some(j) = new
            .policies
            .iter()
            .enumerate()
            .position(|(j, q)| !new_taken[j] && q.name == p.name)
        {
            new_taken[j] = true;
            old_match[i] = Some((j, Matched::Name));
        }
    }
    // Renamed bloc-share targets: same bloc, same (market, product) scope.
    for (i, p) in old.policies.iter().enumerate() {
        if old_match[i].is_some() || p.kind != "min_bloc_share" {
            continue;
        }
        let Some(scope) = bloc_scope(old, &p.name) else {
            continue;
        };
        let found = new.policies.iter().enumerate().position(|(j, q)| {
            !new_taken[j] && q.kind == p.kind && bloc_scope(new, &q.name).as_ref() == Some(&scope)
        });
        if let Some(j) = found {
            new_taken[j] = true;
            old_match[i] = Some((j, Matched::Scope));
        }
    }
    // The only unmatched policy of a kind on each side (bloc shares: of the same bloc).
    let kinds: BTreeSet<&str> = old.policies.iter().map(|p| p.kind.as_str()).collect();
    for kind in kinds {
        let olds: Vec<usize> = (0..old.policies.len())
            .filter(|&i| old_match[i].is_none() && old.policies[i].kind == kind)
            .collect();
        let news: Vec<usize> = (0..new.policies.len())
            .filter(|&j| !new_taken[j] && new.policies[j].kind == kind)
            .collect();
        if let ([i], [j]) = (olds.as_slice(), news.as_slice()) {
            let same_bloc = kind != "min_bloc_share"
                || bloc_of(old, &old.policies[*i].name) == bloc_of(new, &new.policies[*j].name);
            if same_bloc {
                new_taken[*j] = true;
                old_match[*i] = Some((*j, Matched::Kind));
            }
        }
    }
    let mut pairs: Vec<PolicyPair> = old_match
        .iter()
        .enumerate()
        .map(|(i, m)| match m {
            Some((j, how)) => PolicyPair {
                old: Some(i),
                new: Some(*j),
                matched: *how,
            },
            None => PolicyPair {
                old: Some(i),
                new: None,
                matched: Matched::OldOnly,
            },
        })
        .collect();
    for (j, taken) in new_taken.iter().enumerate() {
        if !taken {
            pairs.push(PolicyPair {
                old: None,
                new: Some(j),
                matched: Matched::NewOnly,
            });
        }
    }
    pairs
}

/// Shares of a (policy, market, product) over the compared rows:
/// (target, lowest, average, rows, missed).
type ShareSummary = (Option<f64>, Option<f64>, Option<f64>, usize, usize);

fn share_summary(rows: &[&BlocShareRow]) -> ShareSummary {
    if rows.is_empty() {
        return (None, None, None, 0, 0);
    }
    let target = rows.first().map(|r| r.target);
    let lowest = rows
        .iter()
        .filter_map(|r| r.share)
        .min_by(|a, b| a.total_cmp(b));
    let delivered: f64 = rows.iter().map(|r| r.delivered).sum();
    let from_bloc: f64 = rows.iter().map(|r| r.from_bloc).sum();
    let average = (delivered > 0.0).then(|| from_bloc / delivered);
    let missed = rows.iter().filter(|r| !r.met).count();
    (target, lowest, average, rows.len(), missed)
}

fn bloc_share_deltas(
    old: &Plan,
    new: &Plan,
    pairs: &[PolicyPair],
    in_scope: &dyn Fn(&str) -> bool,
) -> Vec<BlocShareDelta> {
    let mut out = Vec::new();
    for pair in pairs {
        let old_name = pair.old.map(|i| old.policies[i].name.as_str());
        let new_name = pair.new.map(|j| new.policies[j].name.as_str());
        let rows_of = |plan: &'_ Plan, name: Option<&str>| -> Vec<BlocShareRow> {
            name.map(|n| {
                plan.bloc_shares
                    .iter()
                    .filter(|r| r.policy == n && in_scope(&r.period))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
        };
        let a = rows_of(old, old_name);
        let b = rows_of(new, new_name);
        if a.is_empty() && b.is_empty() {
            continue;
        }
        let keys = ordered(
            a.iter().map(|r| r.market.as_str()),
            b.iter().map(|r| r.market.as_str()),
        );
        let products = ordered(
            a.iter().map(|r| r.product.as_str()),
            b.iter().map(|r| r.product.as_str()),
        );
        for market in &keys {
            for product in &products {
                let pick = |rows: &[BlocShareRow]| -> Vec<BlocShareRow> {
                    rows.iter()
                        .filter(|r| &r.market == market && &r.product == product)
                        .cloned()
                        .collect()
                };
                let (x, y) = (pick(&a), pick(&b));
                if x.is_empty() && y.is_empty() {
                    continue;
                }
                let presence = match (x.is_empty(), y.is_empty()) {
                    (false, false) => Presence::Both,
                    (false, true) => Presence::OldOnly,
                    _ => Presence::NewOnly,
                };
                let bloc = y
                    .first()
                    .or(x.first())
                    .map(|r| r.bloc.clone())
                    .unwrap_or_default();
                let sx = share_summary(&x.iter().collect::<Vec<_>>());
                let sy = share_summary(&y.iter().collect::<Vec<_>>());
                out.push(BlocShareDelta {
                    old_policy: old_name.map(str::to_string),
                    new_policy: new_name.map(str::to_string),
                    bloc,
                    market: market.clone(),
                    product: product.clone(),
                    presence,
                    target_old: sx.0,
                    target_new: sy.0,
                    lowest_old: sx.1,
                    lowest_new: sy.1,
                    average_old: sx.2,
                    average_new: sy.2,
                    rows_old: sx.3,
                    rows_new: sy.3,
                    missed_old: sx.4,
                    missed_new: sy.4,
                });
            }
        }
    }
    out
}

/// The part of a row name after its policy's name, e.g. `[us-east,battery-module,2027-08]`.
fn row_suffix<'a>(policy: &str, row: &'a str) -> &'a str {
    row.strip_prefix(policy).unwrap_or(row)
}

fn policy_deltas(old: &Plan, new: &Plan, pairs: &[PolicyPair]) -> Vec<PolicyDelta> {
    pairs
        .iter()
        .map(|pair| {
            let a: Option<&PolicyResult> = pair.old.map(|i| &old.policies[i]);
            let b: Option<&PolicyResult> = pair.new.map(|j| &new.policies[j]);
            let binds = |p: Option<&PolicyResult>| p.is_some_and(|p| p.binding_rows > 0);
            let change = match (binds(a), binds(b)) {
                (false, true) => BindingChange::NewlyBinding,
                (true, false) => BindingChange::NoLongerBinding,
                (true, true) => BindingChange::StillBinding,
                (false, false) => BindingChange::NotBinding,
            };
            let suffixes = |p: Option<&PolicyResult>| -> BTreeSet<String> {
                p.map(|p| {
                    p.binding_examples
                        .iter()
                        .map(|r| row_suffix(&p.name, r).to_string())
                        .collect()
                })
                .unwrap_or_default()
            };
            // A row is known not to bind in a plan when that plan lists every binding row
            // of the policy (or does not have the policy).
            let complete = |p: Option<&PolicyResult>| {
                p.is_none_or(|p| p.binding_examples.len() >= p.binding_rows)
            };
            let (sa, sb) = (suffixes(a), suffixes(b));
            let newly = if complete(a) {
                b.map(|p| {
                    p.binding_examples
                        .iter()
                        .filter(|r| !sa.contains(row_suffix(&p.name, r)))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
            } else {
                Vec::new()
            };
            let gone = if complete(b) {
                a.map(|p| {
                    p.binding_examples
                        .iter()
                        .filter(|r| !sb.contains(row_suffix(&p.name, r)))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
            } else {
                Vec::new()
            };
            PolicyDelta {
                old_name: a.map(|p| p.name.clone()),
                new_name: b.map(|p| p.name.clone()),
                kind: b.or(a).map(|p| p.kind.clone()).unwrap_or_default(),
                matched: pair.matched,
                rows_old: a.map(|p| p.rows),
                rows_new: b.map(|p| p.rows),
                binding_old: a.map(|p| p.binding_rows),
                binding_new: b.map(|p| p.binding_rows),
                slack_old: a.filter(|p| p.soft).map(|p| p.slack),
                slack_new: b.filter(|p| p.soft).map(|p| p.slack),
                change,
                newly_binding_rows: newly,
                no_longer_binding_rows: gone,
            }
        })
        .collect()
}

fn full_site_periods(plan: &Plan, in_scope: &dyn Fn(&str) -> bool) -> BTreeSet<SitePeriodRef> {
    let mut out = BTreeSet::new();
    for site in &plan.sites {
        for p in site.periods.iter().filter(|p| in_scope(&p.period)) {
            let limit = p.capacity + p.overtime_capacity;
            if limit > 0.0 && p.load >= limit - RELATIVE_TOLERANCE * limit.max(1.0) {
                out.insert(SitePeriodRef {
                    site: site.id.clone(),
                    period: p.period.clone(),
                });
            }
        }
    }
    out
}

fn capacity_limits(old: &Plan, new: &Plan, in_scope: &dyn Fn(&str) -> bool) -> CapacityLimits {
    let a = full_site_periods(old, in_scope);
    let b = full_site_periods(new, in_scope);
    CapacityLimits {
        newly_full: b.difference(&a).cloned().collect(),
        no_longer_full: a.difference(&b).cloned().collect(),
        full_old: a.len(),
        full_new: b.len(),
    }
}

/// Changed prices from keyed (item, per, value) lists; missing means 0.
fn price_changes(a: Vec<(String, String, f64)>, b: Vec<(String, String, f64)>) -> Vec<PriceDelta> {
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut values: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for (item, per, v) in a {
        let key = (item, per);
        if !values.contains_key(&key) {
            keys.push(key.clone());
        }
        values.entry(key).or_default().0 += v;
    }
    for (item, per, v) in b {
        let key = (item, per);
        if !values.contains_key(&key) {
            keys.push(key.clone());
        }
        values.entry(key).or_default().1 += v;
    }
    let mut out: Vec<PriceDelta> = keys
        .into_iter()
        .filter_map(|key| {
            let (x, y) = values.get(&key).copied().unwrap_or_default();
            let delta = Delta::new(x, y);
            delta.changed().then_some(PriceDelta {
                item: key.0,
                per: key.1,
                delta,
            })
        })
        .collect();
    out.sort_by(|x, y| y.delta.change.abs().total_cmp(&x.delta.change.abs()));
    out
}

fn shadow_changes(old: &Plan, new: &Plan, pairs: &[PolicyPair]) -> ShadowPriceChanges {
    let (a, b) = match (&old.shadow_prices, &new.shadow_prices) {
        (Some(a), Some(b)) => (a, b),
        (x, y) => {
            let note = match (x.is_some(), y.is_some()) {
                (true, false) => format!(
                    "only the old plan has shadow prices (new: {})",
                    new.duals_note.as_deref().unwrap_or("none")
                ),
                (false, true) => format!(
                    "only the new plan has shadow prices (old: {})",
                    old.duals_note.as_deref().unwrap_or("none")
                ),
                _ => format!(
                    "neither plan has shadow prices ({})",
                    new.duals_note
                        .as_deref()
                        .or(old.duals_note.as_deref())
                        .unwrap_or("the solver gave none")
                ),
            };
            return ShadowPriceChanges {
                compared: false,
                note: Some(note),
                ..ShadowPriceChanges::default()
            };
        }
    };
    // Policies are keyed by their display name across the pair, so a renamed policy's
    // prices line up.
    let shown = |plan_is_old: bool, name: &str| -> String {
        let plan = if plan_is_old { old } else { new };
        let index = plan.policies.iter().position(|p| p.name == name);
        let pair = pairs.iter().find(|p| {
            if plan_is_old {
                p.old.is_some() && p.old == index
            } else {
                p.new.is_some() && p.new == index
            }
        });
        match pair {
            Some(PolicyPair {
                old: Some(i),
                new: Some(j),
                ..
            }) if old.policies[*i].name != new.policies[*j].name => {
                format!("{} → {}", old.policies[*i].name, new.policies[*j].name)
            }
            _ => name.to_string(),
        }
    };
    let capacity = |sp: &crate::plan::ShadowPrices| -> Vec<(String, String, f64)> {
        sp.capacity
            .iter()
            .map(|c| {
                (
                    format!("{}, {}", c.site, c.period),
                    "capacity unit".to_string(),
                    c.value,
                )
            })
            .collect()
    };
    let share = |sp: &crate::plan::ShadowPrices, is_old: bool| -> Vec<(String, String, f64)> {
        sp.bloc_share
            .iter()
            .map(|s| {
                (
                    format!(
                        "{}: {}, {}, {}",
                        shown(is_old, &s.policy),
                        s.market,
                        s.product,
                        s.period
                    ),
                    "percentage point".to_string(),
                    s.cost_per_point,
                )
            })
            .collect()
    };
    let policies = |sp: &crate::plan::ShadowPrices, is_old: bool| -> Vec<(String, String, f64)> {
        sp.policies
            .iter()
            .map(|p| {
                (
                    format!(
                        "{}{}",
                        shown(is_old, &p.policy),
                        row_suffix(&p.policy, &p.row)
                    ),
                    p.unit.clone(),
                    p.value,
                )
            })
            .collect()
    };
    ShadowPriceChanges {
        compared: true,
        note: None,
        capacity: price_changes(capacity(a), capacity(b)),
        bloc_share: price_changes(share(a, true), share(b, false)),
        policies: price_changes(policies(a, true), policies(b, false)),
    }
}

fn metadata_changes(old: &Plan, new: &Plan) -> Vec<FieldChange> {
    let (a, b) = (&old.metadata, &new.metadata);
    let opt = |x: Option<f64>| x.map_or_else(|| "none".to_string(), |v| format!("{v} s"));
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join("; ")
        }
    };
    let lp = |m: &crate::plan::Metadata| {
        format!(
            "{} variables, {} rows, {} non-zeros",
            group(m.variables as u64),
            group(m.rows as u64),
            group(m.nonzeros as u64)
        )
    };
    let fields = [
        ("model name", a.model_name.clone(), b.model_name.clone()),
        (
            "plan format",
            a.plan_format.to_string(),
            b.plan_format.to_string(),
        ),
        (
            "tool version",
            format!("{} {}", a.tool, a.tool_version),
            format!("{} {}", b.tool, b.tool_version),
        ),
        ("solver", a.solver.clone(), b.solver.clone()),
        ("time limit", opt(a.time_limit_s), opt(b.time_limit_s)),
        ("overrides", list(&a.overrides), list(&b.overrides)),
        ("LP size", lp(a), lp(b)),
    ];
    fields
        .into_iter()
        .filter(|(_, x, y)| x != y)
        .map(|(field, old, new)| FieldChange {
            field: field.to_string(),
            old,
            new,
        })
        .collect()
}

fn input_changes(old: &Plan, new: &Plan) -> Vec<InputChange> {
    let (a, b) = (&old.metadata.inputs, &new.metadata.inputs);
    let status = |x: Option<&String>, y: Option<&String>| match (x, y) {
        (Some(x), Some(y)) if x == y => "same",
        (Some(_), Some(_)) => "changed",
        (Some(_), None) => "removed",
        _ => "added",
    };
    let mut out = Vec::new();
    // The first input is the model file: matched as the model even when renamed.
    if let (Some(x), Some(y)) = (a.first(), b.first()) {
        out.push(InputChange {
            role: "model".to_string(),
            old_path: Some(x.path.clone()),
            new_path: Some(y.path.clone()),
            old_sha256: Some(x.sha256.clone()),
            new_sha256: Some(y.sha256.clone()),
            change: status(Some(&x.sha256), Some(&y.sha256)).to_string(),
        });
    }
    let rest = |v: &[crate::plan::InputFile]| -> Vec<crate::plan::InputFile> {
        v.iter().skip(1).cloned().collect()
    };
    let (ra, rb) = (rest(a), rest(b));
    let paths = ordered(
        ra.iter().map(|f| f.path.as_str()),
        rb.iter().map(|f| f.path.as_str()),
    );
    for path in paths {
        let x = ra.iter().find(|f| f.path == path).map(|f| &f.sha256);
        let y = rb.iter().find(|f| f.path == path).map(|f| &f.sha256);
        out.push(InputChange {
            role: "data".to_string(),
            old_path: x.map(|_| path.clone()),
            new_path: y.map(|_| path.clone()),
            old_sha256: x.cloned(),
            new_sha256: y.cloned(),
            change: status(x, y).to_string(),
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// Formatting shared by both documents (plain text; each document escapes it).

fn arrow(change: f64, changed: bool) -> &'static str {
    match () {
        _ if !changed => "",
        _ if change > 0.0 => "▲",
        _ => "▼",
    }
}

fn signed_units(x: f64) -> String {
    let sign = if x < 0.0 { "−" } else { "+" };
    if x.abs() >= 0.5 {
        format!("{sign}{}", group(x.abs().round() as u64))
    } else {
        format!("{sign}{:.2}", x.abs())
    }
}

fn signed_money(x: f64) -> String {
    let sign = if x < 0.0 { "−" } else { "+" };
    format!("{sign}{}", money(x.abs()))
}

fn signed_points(x: f64) -> String {
    let sign = if x < 0.0 { "−" } else { "+" };
    format!("{sign}{:.1} pp", 100.0 * x.abs())
}

fn signed_percent(x: f64) -> String {
    let sign = if x < 0.0 { "−" } else { "+" };
    format!("{sign}{:.1}%", 100.0 * x.abs())
}

fn plain_units(x: f64) -> String {
    if x < 0.0 {
        format!("−{}", group((-x).round() as u64))
    } else {
        group(x.round() as u64)
    }
}

fn value(x: f64, unit: Unit) -> String {
    match unit {
        Unit::Dollars => money(x),
        Unit::Units => plain_units(x),
        Unit::CapacityUnits => plain_units(x),
        Unit::Share => percent(x),
        Unit::KgCo2e => format!("{} t", plain_units(x / 1000.0)),
    }
}

fn opt_value(x: Option<f64>, unit: Unit) -> String {
    x.map_or_else(|| "–".to_string(), |x| value(x, unit))
}

/// The change of a delta, signed, with an arrow; empty text when unchanged.
fn change_text(d: &Delta, unit: Unit) -> String {
    if !d.changed() {
        return "–".to_string();
    }
    let amount = match unit {
        Unit::Dollars => signed_money(d.change),
        Unit::Units | Unit::CapacityUnits => signed_units(d.change),
        Unit::Share => signed_points(d.change),
        Unit::KgCo2e => format!("{} t", signed_units(d.change / 1000.0)),
    };
    // Percentages of a near-zero base (beyond ±1000%) say nothing; they are left out.
    let relative = match (unit, d.relative) {
        (Unit::Share, _) | (_, None) => String::new(),
        (_, Some(r)) if r.abs() > 10.0 => String::new(),
        (_, Some(r)) => format!(" ({})", signed_percent(r)),
    };
    format!("{} {amount}{relative}", arrow(d.change, true))
}

fn opt_change_text(old: Option<f64>, new: Option<f64>, unit: Unit) -> String {
    match (old, new) {
        (Some(a), Some(b)) => change_text(&Delta::new(a, b), unit),
        (None, None) => "–".to_string(),
        (None, Some(_)) => "new".to_string(),
        (Some(_), None) => "gone".to_string(),
    }
}

fn presence_word(p: Presence) -> &'static str {
    match p {
        Presence::Both => "",
        Presence::OldOnly => " (old plan only)",
        Presence::NewOnly => " (new plan only)",
    }
}

fn matched_word(m: Matched) -> &'static str {
    match m {
        Matched::Name => "",
        Matched::Scope => "renamed (same bloc and scope)",
        Matched::Kind => "renamed (only policy of its kind)",
        Matched::OldOnly => "old plan only",
        Matched::NewOnly => "new plan only",
    }
}

fn binding_word(c: BindingChange) -> &'static str {
    match c {
        BindingChange::NewlyBinding => "newly binding",
        BindingChange::NoLongerBinding => "no longer binding",
        BindingChange::StillBinding => "still binding",
        BindingChange::NotBinding => "not binding",
    }
}

fn opt_count(x: Option<usize>) -> String {
    x.map_or_else(|| "–".to_string(), |n| n.to_string())
}

fn policy_names(c: &Comparison, change: BindingChange) -> Vec<String> {
    c.policies
        .iter()
        .filter(|p| p.change == change)
        .map(PolicyDelta::display_name)
        .collect()
}

/// "3,200 battery-module units moved from shenzhen (CN) to monterrey (MX)" (plain text).
fn move_sentence(m: &VolumeMove, countries: bool) -> String {
    if countries {
        format!(
            "{} {} units moved from {} to {}",
            group(m.units.round() as u64),
            m.product,
            m.from,
            m.to
        )
    } else {
        format!(
            "{} {} units moved from {} ({}) to {} ({})",
            group(m.units.round() as u64),
            m.product,
            m.from,
            m.from_country,
            m.to,
            m.to_country
        )
    }
}

/// Moves worth showing: at least half a unit.
fn shown_moves(moves: &[VolumeMove]) -> Vec<&VolumeMove> {
    moves.iter().filter(|m| m.units >= 0.5).collect()
}

/// The headline sentences, as (plain text) items; `esc` escapes ids for the document.
fn summary(c: &Comparison, esc: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut out = Vec::new();
    if c.unchanged {
        out.push(
            "No changes: every compared figure is the same in both plans (run timings aside)."
                .to_string(),
        );
        return out;
    }
    if c.status_changed {
        out.push(format!(
            "Status changed from {} to {}.",
            esc(c.old.status.word()),
            esc(c.new.status.word())
        ));
    }
    if let Some(total) = c.total_cost().or(c.objective.as_ref()) {
        if total.changed() {
            let verb = if total.change > 0.0 { "rises" } else { "falls" };
            let rel = total
                .relative
                .map(|r| format!(" ({})", signed_percent(r)))
                .unwrap_or_default();
            out.push(format!(
                "Total cost {verb} by {}{rel}, from {} to {}.",
                money(total.change.abs()),
                money(total.old),
                money(total.new)
            ));
        } else {
            out.push(format!("Total cost is unchanged at {}.", money(total.new)));
        }
    }
    let mut drivers: Vec<&CostDelta> = c.changed_costs().collect();
    drivers.sort_by(|a, b| b.delta.change.abs().total_cmp(&a.delta.change.abs()));
    let drivers: Vec<String> = drivers
        .iter()
        .filter(|d| d.delta.change.abs() >= 0.5)
        .take(3)
        .map(|d| format!("{} {}", d.component, signed_money(d.delta.change)))
        .collect();
    if !drivers.is_empty() {
        out.push(format!("Largest cost changes: {}.", drivers.join(", ")));
    }
    for m in &c.measures {
        if m.delta.changed() && (m.measure == "fill rate" || m.measure == "unmet demand") {
            out.push(format!(
                "{}: {} → {}.",
                capitalize(&m.measure),
                value(m.delta.old, m.unit),
                value(m.delta.new, m.unit)
            ));
        }
    }
    let moves = shown_moves(&c.site_moves);
    if !moves.is_empty() {
        let total: f64 = moves.iter().map(|m| m.units).sum();
        let top: Vec<String> = moves
            .iter()
            .take(3)
            .map(|m| esc(&move_sentence(m, false)))
            .collect();
        out.push(format!(
            "{} units of production moved between sites; largest: {}.",
            group(total.round() as u64),
            top.join("; ")
        ));
    }
    let cross = shown_moves(&c.country_moves);
    if !cross.is_empty() {
        let top: Vec<String> = cross
            .iter()
            .take(3)
            .map(|m| esc(&move_sentence(m, true)))
            .collect();
        out.push(format!("Between countries: {}.", top.join("; ")));
    }
    let mut targets: Vec<String> = Vec::new();
    for b in &c.bloc_shares {
        if let (Some(x), Some(y)) = (b.target_old, b.target_new) {
            if !same(x, y) {
                let name = match (&b.old_policy, &b.new_policy) {
                    (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
                    (_, Some(n)) => n.clone(),
                    (Some(o), None) => o.clone(),
                    _ => String::new(),
                };
                let text = format!(
                    "{} ({}): target {} → {}",
                    esc(&name),
                    esc(&b.bloc),
                    percent(x),
                    percent(y)
                );
                if !targets.contains(&text) {
                    targets.push(text);
                }
            }
        }
    }
    if !targets.is_empty() {
        out.push(format!(
            "Bloc-share targets changed: {}.",
            targets.join("; ")
        ));
    }
    let added: Vec<String> = c
        .policies
        .iter()
        .filter(|p| p.matched == Matched::NewOnly)
        .map(|p| esc(&p.display_name()))
        .collect();
    if !added.is_empty() {
        out.push(format!("New policies: {}.", added.join(", ")));
    }
    let removed: Vec<String> = c
        .policies
        .iter()
        .filter(|p| p.matched == Matched::OldOnly)
        .map(|p| esc(&p.display_name()))
        .collect();
    if !removed.is_empty() {
        out.push(format!("Policies dropped: {}.", removed.join(", ")));
    }
    let newly: Vec<String> = policy_names(c, BindingChange::NewlyBinding)
        .iter()
        .map(|n| esc(n))
        .collect();
    if !newly.is_empty() {
        out.push(format!("Newly binding: {}.", newly.join(", ")));
    }
    let gone: Vec<String> = policy_names(c, BindingChange::NoLongerBinding)
        .iter()
        .map(|n| esc(n))
        .collect();
    if !gone.is_empty() {
        out.push(format!("No longer binding: {}.", gone.join(", ")));
    }
    let lim = &c.capacity_limits;
    if !lim.newly_full.is_empty() || !lim.no_longer_full.is_empty() {
        out.push(format!(
            "Site-periods at full capacity (regular + overtime): {} → {} ({} new, {} freed).",
            lim.full_old,
            lim.full_new,
            lim.newly_full.len(),
            lim.no_longer_full.len()
        ));
    }
    let settings: Vec<String> = c
        .metadata
        .iter()
        .filter(|f| f.field != "LP size" && f.field != "model name")
        .map(|f| format!("{} ({} → {})", f.field, esc(&f.old), esc(&f.new)))
        .collect();
    if !settings.is_empty() {
        out.push(format!("Run settings changed: {}.", settings.join("; ")));
    }
    let changed_inputs: Vec<String> = c
        .inputs
        .iter()
        .filter(|i| i.change != "same")
        .map(|i| input_text(i, esc))
        .collect();
    if !changed_inputs.is_empty() {
        out.push(format!("Inputs changed: {}.", changed_inputs.join(", ")));
    }
    out
}

fn input_text(i: &InputChange, esc: &dyn Fn(&str) -> String) -> String {
    match (&i.old_path, &i.new_path) {
        (Some(a), Some(b)) if a != b => format!("{} → {} ({})", esc(a), esc(b), i.change),
        (_, Some(p)) | (Some(p), None) => format!("{} ({})", esc(p), i.change),
        (None, None) => String::new(),
    }
}

fn sha_short(x: &Option<String>) -> String {
    x.as_deref()
        .map_or_else(|| "–".to_string(), |s| s.chars().take(12).collect())
}

fn periods_text(side: &PlanSide) -> String {
    match (&side.first_period, &side.last_period) {
        (Some(a), Some(b)) => format!("{} periods, {a} – {b}", side.periods),
        _ => "no periods".to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// Markdown.

fn md_table(md: &mut String, header: &[&str], align: &str, rows: &[Vec<String>]) {
    let _ = writeln!(md, "| {} |", header.join(" | "));
    let _ = writeln!(md, "{align}");
    for row in rows {
        let _ = writeln!(md, "| {} |", row.join(" | "));
    }
    let _ = writeln!(md);
}

/// The comparison as Markdown (every id escaped).
pub fn render_markdown(c: &Comparison) -> String {
    let esc = |s: &str| escape(s);
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Plan comparison: {} → {}\n",
        escape(&c.old.model),
        escape(&c.new.model)
    );
    let _ = writeln!(
        md,
        "- **Old:** {} — {}, {}, {}",
        escape(&c.old.label),
        escape(&c.old.model),
        escape(c.old.status.word()),
        escape(&periods_text(&c.old))
    );
    let _ = writeln!(
        md,
        "- **New:** {} — {}, {}, {}\n",
        escape(&c.new.label),
        escape(&c.new.model),
        escape(c.new.status.word()),
        escape(&periods_text(&c.new))
    );

    let _ = writeln!(md, "## Summary\n");
    for line in summary(c, &esc) {
        let _ = writeln!(md, "- {line}");
    }
    let _ = writeln!(md);

    let _ = writeln!(md, "## Status and objective\n");
    let mut rows = vec![vec![
        "Status".to_string(),
        escape(c.old.status.word()),
        escape(c.new.status.word()),
        if c.status_changed { "changed" } else { "–" }.to_string(),
    ]];
    rows.push(vec![
        "Objective".to_string(),
        opt_value(c.old.objective, Unit::Dollars),
        opt_value(c.new.objective, Unit::Dollars),
        opt_change_text(c.old.objective, c.new.objective, Unit::Dollars),
    ]);
    md_table(
        &mut md,
        &["", "Old", "New", "Change"],
        "|---|---:|---:|---:|",
        &rows,
    );
    for (side, s) in [("Old", &c.old), ("New", &c.new)] {
        if let Some(m) = &s.message {
            let _ = writeln!(md, "{side} plan: {}\n", escape(m));
        }
        if !s.conflict.is_empty() {
            let names: Vec<String> = s.conflict.iter().map(|n| escape(n)).collect();
            let _ = writeln!(
                md,
                "{side} plan's conflicting rules: {}.\n",
                names.join(", ")
            );
        }
    }

    if !c.costs.is_empty() {
        let _ = writeln!(md, "## Cost by component\n");
        let rows: Vec<Vec<String>> = c
            .costs
            .iter()
            .filter(|x| {
                x.component == "total" || x.delta.old.abs() > 0.005 || x.delta.new.abs() > 0.005
            })
            .map(|x| {
                let bold = |s: String| {
                    if x.component == "total" {
                        format!("**{s}**")
                    } else {
                        s
                    }
                };
                vec![
                    bold(x.component.clone()),
                    bold(money(x.delta.old)),
                    bold(money(x.delta.new)),
                    bold(change_text(&x.delta, Unit::Dollars)),
                ]
            })
            .collect();
        md_table(
            &mut md,
            &["Component", "Old", "New", "Change"],
            "|---|---:|---:|---:|",
            &rows,
        );
    }

    if !c.measures.is_empty() {
        let _ = writeln!(md, "## Service and operations\n");
        let rows: Vec<Vec<String>> = c
            .measures
            .iter()
            .map(|m| {
                vec![
                    m.measure.clone(),
                    value(m.delta.old, m.unit),
                    value(m.delta.new, m.unit),
                    change_text(&m.delta, m.unit),
                ]
            })
            .collect();
        md_table(
            &mut md,
            &["Measure", "Old", "New", "Change"],
            "|---|---:|---:|---:|",
            &rows,
        );
    }

    if !c.sites.is_empty() {
        let _ = writeln!(md, "## Volume moved\n");
        if !c.periods.compared.is_empty() {
            let _ = writeln!(
                md,
                "Over the {} common periods.\n",
                c.periods.compared.len()
            );
        }
        let moves = shown_moves(&c.site_moves);
        if moves.is_empty() {
            let _ = writeln!(md, "No production moved between sites.\n");
        } else {
            let _ = writeln!(md, "Between sites (per product, largest first):\n");
            for m in moves.iter().take(SHOWN_MOVES) {
                let _ = writeln!(md, "- {}.", escape(&move_sentence(m, false)));
            }
            if moves.len() > SHOWN_MOVES {
                let _ = writeln!(
                    md,
                    "- … and {} smaller moves (see compare.json).",
                    moves.len() - SHOWN_MOVES
                );
            }
            let _ = writeln!(md);
        }
        let cross = shown_moves(&c.country_moves);
        if !cross.is_empty() {
            let _ = writeln!(md, "Between countries:\n");
            for m in cross.iter().take(SHOWN_MOVES) {
                let _ = writeln!(md, "- {}.", escape(&move_sentence(m, true)));
            }
            let _ = writeln!(md);
        }
        let net: Vec<String> = c
            .products
            .iter()
            .filter(|p| p.delta.changed() && p.delta.change.abs() >= 0.5)
            .map(|p| {
                format!(
                    "{} {} units",
                    escape(&p.product),
                    signed_units(p.delta.change)
                )
            })
            .collect();
        if !net.is_empty() {
            let _ = writeln!(
                md,
                "Net change in production (not moved, made more or less): {}.\n",
                net.join(", ")
            );
        }

        let _ = writeln!(md, "### Production by site\n");
        let rows: Vec<Vec<String>> = c
            .sites
            .iter()
            .map(|s| {
                vec![
                    format!("{}{}", escape(&s.site), presence_word(s.presence)),
                    escape(&s.country),
                    plain_units(s.units.old),
                    plain_units(s.units.new),
                    change_text(&s.units, Unit::Units),
                    change_text(&s.load, Unit::CapacityUnits),
                    utilization_text(&s.load, &s.capacity),
                ]
            })
            .collect();
        md_table(
            &mut md,
            &[
                "Site",
                "Country",
                "Old units",
                "New units",
                "Change",
                "Load change (capacity units)",
                "Utilization",
            ],
            "|---|---|---:|---:|---:|---:|---:|",
            &rows,
        );
        let _ = writeln!(md, "### Production by country\n");
        let rows: Vec<Vec<String>> = c
            .countries
            .iter()
            .map(|x| {
                vec![
                    escape(&x.country),
                    plain_units(x.units.old),
                    plain_units(x.units.new),
                    change_text(&x.units, Unit::Units),
                    change_text(&x.load, Unit::CapacityUnits),
                    utilization_text(&x.load, &x.capacity),
                ]
            })
            .collect();
        md_table(
            &mut md,
            &[
                "Country",
                "Old units",
                "New units",
                "Change",
                "Load change (capacity units)",
                "Utilization",
            ],
            "|---|---:|---:|---:|---:|---:|",
            &rows,
        );
    }

    if !c.bloc_shares.is_empty() {
        let _ = writeln!(md, "## Bloc shares\n");
        let changed: Vec<&BlocShareDelta> = c.bloc_shares.iter().filter(|b| b.changed()).collect();
        let _ = writeln!(
            md,
            "Lowest share over the periods and delivered-weighted average; {} of {} targets changed.\n",
            changed.len(),
            c.bloc_shares.len()
        );
        let rows: Vec<Vec<String>> = changed
            .iter()
            .take(SHOWN_ROWS * 2)
            .map(|b| bloc_row(b, &esc))
            .collect();
        if !rows.is_empty() {
            md_table(
                &mut md,
                &[
                    "Policy",
                    "Bloc",
                    "Market",
                    "Product",
                    "Target",
                    "Lowest share",
                    "Average share",
                    "Missed",
                ],
                "|---|---|---|---|---:|---:|---:|---:|",
                &rows,
            );
        }
        if changed.len() > SHOWN_ROWS * 2 {
            let _ = writeln!(
                md,
                "… and {} more in compare.json.\n",
                changed.len() - SHOWN_ROWS * 2
            );
        }
    }

    if !c.policies.is_empty() {
        let _ = writeln!(md, "## Binding policies\n");
        let rows: Vec<Vec<String>> = c
            .policies
            .iter()
            .map(|p| {
                let how = matched_word(p.matched);
                vec![
                    escape(&p.display_name()),
                    escape(&p.kind),
                    how.to_string(),
                    format!(
                        "{} → {}",
                        opt_count(p.binding_old),
                        opt_count(p.binding_new)
                    ),
                    format!("{} → {}", opt_count(p.rows_old), opt_count(p.rows_new)),
                    binding_word(p.change).to_string(),
                ]
            })
            .collect();
        md_table(
            &mut md,
            &[
                "Policy",
                "Kind",
                "Matched",
                "Binding rows",
                "Rows",
                "Status",
            ],
            "|---|---|---|---:|---:|---|",
            &rows,
        );
        for p in &c.policies {
            if !p.newly_binding_rows.is_empty() {
                let rows: Vec<String> = p
                    .newly_binding_rows
                    .iter()
                    .map(|r| format!("`{}`", r.replace('`', "'")))
                    .collect();
                let _ = writeln!(
                    md,
                    "- Newly binding rows of {}: {}",
                    escape(&p.display_name()),
                    rows.join(", ")
                );
            }
        }
        let lim = &c.capacity_limits;
        let _ = writeln!(
            md,
            "\nSite-periods at full capacity (regular + overtime): {} → {}.",
            lim.full_old, lim.full_new
        );
        for (what, list) in [
            ("Newly at full capacity", &lim.newly_full),
            ("No longer at full capacity", &lim.no_longer_full),
        ] {
            if !list.is_empty() {
                let items: Vec<String> = list
                    .iter()
                    .take(SHOWN_ROWS)
                    .map(|r| format!("{} {}", escape(&r.site), escape(&r.period)))
                    .collect();
                let more = if list.len() > SHOWN_ROWS {
                    format!(" … and {} more", list.len() - SHOWN_ROWS)
                } else {
                    String::new()
                };
                let _ = writeln!(md, "- {what}: {}{more}.", items.join(", "));
            }
        }
        let _ = writeln!(md);
    }

    let _ = writeln!(md, "## Shadow prices\n");
    let sp = &c.shadow_prices;
    if let Some(note) = &sp.note {
        let _ = writeln!(md, "Not compared: {}.\n", escape(note));
    } else if sp.capacity.is_empty() && sp.bloc_share.is_empty() && sp.policies.is_empty() {
        let _ = writeln!(md, "No shadow price changed.\n");
    } else {
        for (title, list) in [
            ("Capacity ($ per capacity unit)", &sp.capacity),
            ("Bloc share ($ per percentage point)", &sp.bloc_share),
            ("Other policy rows ($ per unit relaxed)", &sp.policies),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(md, "{title}, largest changes:\n");
            let rows: Vec<Vec<String>> = list
                .iter()
                .take(SHOWN_ROWS / 2)
                .map(|p| {
                    vec![
                        escape(&p.item),
                        escape(&p.per),
                        money(p.delta.old),
                        money(p.delta.new),
                        change_text(&p.delta, Unit::Dollars),
                    ]
                })
                .collect();
            md_table(
                &mut md,
                &["Item", "Per", "Old", "New", "Change"],
                "|---|---|---:|---:|---:|",
                &rows,
            );
        }
    }

    let _ = writeln!(md, "## Inputs and run\n");
    if c.metadata.is_empty() {
        let _ = writeln!(md, "Same model name, solver, overrides and LP size.\n");
    } else {
        let rows: Vec<Vec<String>> = c
            .metadata
            .iter()
            .map(|f| vec![escape(&f.field), escape(&f.old), escape(&f.new)])
            .collect();
        md_table(&mut md, &["Setting", "Old", "New"], "|---|---|---|", &rows);
    }
    if !c.inputs.is_empty() {
        let rows: Vec<Vec<String>> = c
            .inputs
            .iter()
            .map(|i| {
                let path = match (&i.old_path, &i.new_path) {
                    (Some(a), Some(b)) if a != b => format!("{} → {}", escape(a), escape(b)),
                    (Some(p), _) | (None, Some(p)) => escape(p),
                    (None, None) => String::new(),
                };
                vec![
                    path,
                    i.role.clone(),
                    format!("`{}`", sha_short(&i.old_sha256)),
                    format!("`{}`", sha_short(&i.new_sha256)),
                    i.change.clone(),
                ]
            })
            .collect();
        md_table(
            &mut md,
            &["Input", "Role", "Old SHA-256", "New SHA-256", "Change"],
            "|---|---|---|---|---|",
            &rows,
        );
    }

    if !c.notes.is_empty() {
        let _ = writeln!(md, "## Notes\n");
        for n in &c.notes {
            let _ = writeln!(md, "- {}", escape(n));
        }
        let _ = writeln!(md);
    }
    md
}

fn utilization_text(load: &Delta, capacity: &Delta) -> String {
    let u = |l: f64, c: f64| (c > 0.0).then(|| l / c);
    let (a, b) = (u(load.old, capacity.old), u(load.new, capacity.new));
    format!(
        "{} → {}",
        opt_value(a, Unit::Share),
        opt_value(b, Unit::Share)
    )
}

fn bloc_policy_name(b: &BlocShareDelta) -> String {
    match (&b.old_policy, &b.new_policy) {
        (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
        (_, Some(n)) => n.clone(),
        (Some(o), None) => o.clone(),
        _ => String::new(),
    }
}

fn share_pair(a: Option<f64>, b: Option<f64>) -> String {
    let arrow = match (a, b) {
        (Some(x), Some(y)) if !same(x, y) => {
            if y > x {
                " ▲"
            } else {
                " ▼"
            }
        }
        _ => "",
    };
    format!(
        "{} → {}{arrow}",
        opt_value(a, Unit::Share),
        opt_value(b, Unit::Share)
    )
}

fn bloc_row(b: &BlocShareDelta, esc: &dyn Fn(&str) -> String) -> Vec<String> {
    vec![
        format!("{}{}", esc(&bloc_policy_name(b)), presence_word(b.presence)),
        esc(&b.bloc),
        esc(&b.market),
        esc(&b.product),
        share_pair(b.target_old, b.target_new),
        share_pair(b.lowest_old, b.lowest_new),
        share_pair(b.average_old, b.average_new),
        format!(
            "{}/{} → {}/{}",
            b.missed_old, b.rows_old, b.missed_new, b.rows_new
        ),
    ]
}

// ---------------------------------------------------------------------------------------
// HTML.

/// Colour of a change: red when worse, green when better, neutral otherwise.
fn tone(change: f64, better: Better) -> &'static str {
    match better {
        Better::Neither => "neutral",
        Better::Higher if change > 0.0 => "better",
        Better::Lower if change < 0.0 => "better",
        _ => "worse",
    }
}

fn tone_style(tone: &str) -> &'static str {
    match tone {
        "better" => "color:#067647",
        "worse" => "color:#b42318",
        _ => "",
    }
}

/// A `<td>` holding a change, marked ▲/▼ and coloured by whether it is better or worse.
fn html_change_cell(d: &Delta, unit: Unit, better: Better) -> String {
    if !d.changed() {
        return "<td class=\"num delta same\">–</td>".to_string();
    }
    let direction = if d.change > 0.0 { "up" } else { "down" };
    let tone = tone(d.change, better);
    format!(
        "<td class=\"num delta {direction} {tone}\" style=\"{}\">{}</td>",
        tone_style(tone),
        escape_html(&change_text(d, unit))
    )
}

fn html_table(header: &[&str], numeric_from: usize, rows: &[String]) -> String {
    let mut out = String::from("<div class=\"panel\">\n<table>\n<thead><tr>");
    for (i, h) in header.iter().enumerate() {
        let class = if i >= numeric_from {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(out, "<th{class}>{}</th>", escape_html(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        if r.starts_with("<tr") {
            let _ = writeln!(out, "{r}");
        } else {
            let _ = writeln!(out, "<tr>{r}</tr>");
        }
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    out
}

fn td(text: &str) -> String {
    format!("<td class=\"id\">{}</td>", escape_html(text))
}

fn td_num(text: &str) -> String {
    format!("<td class=\"num\">{}</td>", escape_html(text))
}

/// A horizontal bar chart of cost changes by component (inline SVG, no script).
fn cost_chart(c: &Comparison) -> String {
    let rows: Vec<(String, f64, String)> = c
        .changed_costs()
        .filter(|x| x.delta.change.abs() >= 0.5)
        .map(|x| {
            (
                x.component.clone(),
                x.delta.change,
                signed_money(x.delta.change),
            )
        })
        .collect();
    diverging_bars("Cost change by component", &rows)
}

/// The comparison as a self-contained HTML page (every id escaped).
pub fn render_html(c: &Comparison) -> String {
    let esc = |s: &str| escape_html(s);
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<h1>Plan comparison: {} → {}</h1>",
        esc(&c.old.model),
        esc(&c.new.model)
    );
    let _ = writeln!(
        body,
        "<p class=\"meta\"><strong>Old:</strong> {} — {}, {}, {}<br>\n<strong>New:</strong> {} — {}, {}, {}</p>",
        esc(&c.old.label),
        esc(&c.old.model),
        esc(c.old.status.word()),
        esc(&periods_text(&c.old)),
        esc(&c.new.label),
        esc(&c.new.model),
        esc(c.new.status.word()),
        esc(&periods_text(&c.new))
    );

    let _ = writeln!(
        body,
        "<section>\n<h2>Summary</h2>\n<div class=\"panel\"><ul class=\"findings\">"
    );
    for line in summary(c, &esc) {
        let _ = writeln!(body, "<li>{line}</li>");
    }
    let _ = writeln!(body, "</ul></div>\n</section>");

    let _ = writeln!(body, "<section>\n<h2>Status and objective</h2>");
    let objective_cell = match (c.old.objective, c.new.objective) {
        (Some(a), Some(b)) => html_change_cell(&Delta::new(a, b), Unit::Dollars, Better::Lower),
        (x, y) => td_num(&opt_change_text(x, y, Unit::Dollars)),
    };
    let rows = vec![
        format!(
            "{}{}{}{}",
            td("Status"),
            td_num(c.old.status.word()),
            td_num(c.new.status.word()),
            td_num(if c.status_changed { "changed" } else { "–" })
        ),
        format!(
            "{}{}{}{objective_cell}",
            td("Objective"),
            td_num(&opt_value(c.old.objective, Unit::Dollars)),
            td_num(&opt_value(c.new.objective, Unit::Dollars)),
        ),
    ];
    body.push_str(&html_table(&["", "Old", "New", "Change"], 1, &rows));
    for (side, s) in [("Old", &c.old), ("New", &c.new)] {
        if let Some(m) = &s.message {
            let _ = writeln!(body, "<p>{side} plan: {}</p>", esc(m));
        }
        if !s.conflict.is_empty() {
            let names: Vec<String> = s.conflict.iter().map(|n| esc(n)).collect();
            let _ = writeln!(
                body,
                "<p>{side} plan's conflicting rules: {}.</p>",
                names.join(", ")
            );
        }
    }
    let _ = writeln!(body, "</section>");

    if !c.costs.is_empty() {
        let _ = writeln!(body, "<section>\n<h2>Cost by component</h2>");
        body.push_str(&cost_chart(c));
        let rows: Vec<String> = c
            .costs
            .iter()
            .filter(|x| {
                x.component == "total" || x.delta.old.abs() > 0.005 || x.delta.new.abs() > 0.005
            })
            .map(|x| {
                if x.component == "total" {
                    format!(
                        "<tr class=\"total\"><td>total</td><td class=\"num\">{}</td>\
                         <td class=\"num\">{}</td>{}</tr>",
                        escape_html(&money(x.delta.old)),
                        escape_html(&money(x.delta.new)),
                        html_change_cell(&x.delta, Unit::Dollars, Better::Lower)
                    )
                } else {
                    format!(
                        "{}{}{}{}",
                        td(&x.component),
                        td_num(&money(x.delta.old)),
                        td_num(&money(x.delta.new)),
                        html_change_cell(&x.delta, Unit::Dollars, Better::Lower)
                    )
                }
            })
            .collect();
        body.push_str(&html_table(
            &["Component", "Old", "New", "Change"],
            1,
            &rows,
        ));
        let _ = writeln!(body, "</section>");
    }

    if !c.measures.is_empty() {
        let _ = writeln!(body, "<section>\n<h2>Service and operations</h2>");
        let rows: Vec<String> = c
            .measures
            .iter()
            .map(|m| {
                format!(
                    "{}{}{}{}",
                    td(&m.measure),
                    td_num(&value(m.delta.old, m.unit)),
                    td_num(&value(m.delta.new, m.unit)),
                    html_change_cell(&m.delta, m.unit, m.better)
                )
            })
            .collect();
        body.push_str(&html_table(&["Measure", "Old", "New", "Change"], 1, &rows));
        let _ = writeln!(body, "</section>");
    }

    if !c.sites.is_empty() {
        let _ = writeln!(body, "<section>\n<h2>Volume moved</h2>");
        if !c.periods.compared.is_empty() {
            let _ = writeln!(
                body,
                "<p>Over the {} common periods.</p>",
                c.periods.compared.len()
            );
        }
        let moves = shown_moves(&c.site_moves);
        if moves.is_empty() {
            let _ = writeln!(body, "<p>No production moved between sites.</p>");
        } else {
            let _ = writeln!(
                body,
                "<p>Between sites (per product, largest first):</p>\n<ul>"
            );
            for m in moves.iter().take(SHOWN_MOVES) {
                let _ = writeln!(body, "<li>{}.</li>", esc(&move_sentence(m, false)));
            }
            if moves.len() > SHOWN_MOVES {
                let _ = writeln!(
                    body,
                    "<li>… and {} smaller moves (see compare.json).</li>",
                    moves.len() - SHOWN_MOVES
                );
            }
            let _ = writeln!(body, "</ul>");
        }
        let cross = shown_moves(&c.country_moves);
        if !cross.is_empty() {
            let _ = writeln!(body, "<p>Between countries:</p>\n<ul>");
            for m in cross.iter().take(SHOWN_MOVES) {
                let _ = writeln!(body, "<li>{}.</li>", esc(&move_sentence(m, true)));
            }
            let _ = writeln!(body, "</ul>");
        }
        let _ = writeln!(body, "<h3>Production by site</h3>");
        let rows: Vec<String> = c
            .sites
            .iter()
            .map(|s| {
                format!(
                    "{}{}{}{}{}{}{}",
                    td(&format!("{}{}", s.site, presence_word(s.presence))),
                    td(&s.country),
                    td_num(&plain_units(s.units.old)),
                    td_num(&plain_units(s.units.new)),
                    html_change_cell(&s.units, Unit::Units, Better::Neither),
                    html_change_cell(&s.load, Unit::CapacityUnits, Better::Neither),
                    td_num(&utilization_text(&s.load, &s.capacity)),
                )
            })
            .collect();
        body.push_str(&html_table(
            &[
                "Site",
                "Country",
                "Old units",
                "New units",
                "Change",
                "Load change (capacity units)",
                "Utilization",
            ],
            2,
            &rows,
        ));
        let _ = writeln!(body, "<h3>Production by country</h3>");
        let rows: Vec<String> = c
            .countries
            .iter()
            .map(|x| {
                format!(
                    "{}{}{}{}{}{}",
                    td(&x.country),
                    td_num(&plain_units(x.units.old)),
                    td_num(&plain_units(x.units.new)),
                    html_change_cell(&x.units, Unit::Units, Better::Neither),
                    html_change_cell(&x.load, Unit::CapacityUnits, Better::Neither),
                    td_num(&utilization_text(&x.load, &x.capacity)),
                )
            })
            .collect();
        body.push_str(&html_table(
            &[
                "Country",
                "Old units",
                "New units",
                "Change",
                "Load change (capacity units)",
                "Utilization",
            ],
            1,
            &rows,
        ));
        let _ = writeln!(body, "</section>");
    }

    if !c.bloc_shares.is_empty() {
        let _ = writeln!(body, "<section>\n<h2>Bloc shares</h2>");
        let changed: Vec<&BlocShareDelta> = c.bloc_shares.iter().filter(|b| b.changed()).collect();
        let _ = writeln!(
            body,
            "<p class=\"lead\">Lowest share over the periods and delivered-weighted average; {} of {} targets changed.</p>",
            changed.len(),
            c.bloc_shares.len()
        );
        let rows: Vec<String> = changed
            .iter()
            .take(SHOWN_ROWS * 2)
            .map(|b| {
                let cells = bloc_row(b, &|s: &str| s.to_string());
                let share_cell = |text: &str, a: Option<f64>, b: Option<f64>| {
                    let dir = match (a, b) {
                        (Some(x), Some(y)) if !same(x, y) => {
                            if y > x {
                                " up"
                            } else {
                                " down"
                            }
                        }
                        _ => "",
                    };
                    format!("<td class=\"num{dir}\">{}</td>", escape_html(text))
                };
                format!(
                    "{}{}{}{}{}{}{}{}",
                    td(&cells[0]),
                    td(&cells[1]),
                    td(&cells[2]),
                    td(&cells[3]),
                    share_cell(&cells[4], b.target_old, b.target_new),
                    share_cell(&cells[5], b.lowest_old, b.lowest_new),
                    share_cell(&cells[6], b.average_old, b.average_new),
                    td_num(&cells[7]),
                )
            })
            .collect();
        if !rows.is_empty() {
            body.push_str(&html_table(
                &[
                    "Policy",
                    "Bloc",
                    "Market",
                    "Product",
                    "Target",
                    "Lowest share",
                    "Average share",
                    "Missed",
                ],
                4,
                &rows,
            ));
        }
        if changed.len() > SHOWN_ROWS * 2 {
            let _ = writeln!(
                body,
                "<p>… and {} more in compare.json.</p>",
                changed.len() - SHOWN_ROWS * 2
            );
        }
        let _ = writeln!(body, "</section>");
    }

    if !c.policies.is_empty() {
        let _ = writeln!(body, "<section>\n<h2>Binding policies</h2>");
        let rows: Vec<String> = c
            .policies
            .iter()
            .map(|p| {
                let tone = match p.change {
                    BindingChange::NewlyBinding => " class=\"worse\" style=\"color:#b42318\"",
                    BindingChange::NoLongerBinding => " class=\"better\" style=\"color:#067647\"",
                    _ => "",
                };
                format!(
                    "{}{}{}{}{}<td{tone}>{}</td>",
                    td(&p.display_name()),
                    td(&p.kind),
                    td(matched_word(p.matched)),
                    td_num(&format!(
                        "{} → {}",
                        opt_count(p.binding_old),
                        opt_count(p.binding_new)
                    )),
                    td_num(&format!(
                        "{} → {}",
                        opt_count(p.rows_old),
                        opt_count(p.rows_new)
                    )),
                    binding_word(p.change)
                )
            })
            .collect();
        body.push_str(&html_table(
            &[
                "Policy",
                "Kind",
                "Matched",
                "Binding rows",
                "Rows",
                "Status",
            ],
            3,
            &rows,
        ));
        let mut items = Vec::new();
        for p in &c.policies {
            if !p.newly_binding_rows.is_empty() {
                let rows: Vec<String> = p
                    .newly_binding_rows
                    .iter()
                    .map(|r| format!("<code>{}</code>", esc(r)))
                    .collect();
                items.push(format!(
                    "Newly binding rows of {}: {}",
                    esc(&p.display_name()),
                    rows.join(", ")
                ));
            }
        }
        let lim = &c.capacity_limits;
        items.push(format!(
            "Site-periods at full capacity (regular + overtime): {} → {}.",
            lim.full_old, lim.full_new
        ));
        for (what, list) in [
            ("Newly at full capacity", &lim.newly_full),
            ("No longer at full capacity", &lim.no_longer_full),
        ] {
            if !list.is_empty() {
                let shown: Vec<String> = list
                    .iter()
                    .take(SHOWN_ROWS)
                    .map(|r| format!("{} {}", esc(&r.site), esc(&r.period)))
                    .collect();
                let more = if list.len() > SHOWN_ROWS {
                    format!(" … and {} more", list.len() - SHOWN_ROWS)
                } else {
                    String::new()
                };
                items.push(format!("{what}: {}{more}.", shown.join(", ")));
            }
        }
        let _ = writeln!(body, "<ul>");
        for i in items {
            let _ = writeln!(body, "<li>{i}</li>");
        }
        let _ = writeln!(body, "</ul>\n</section>");
    }

    let _ = writeln!(body, "<section>\n<h2>Shadow prices</h2>");
    let sp = &c.shadow_prices;
    if let Some(note) = &sp.note {
        let _ = writeln!(body, "<p>Not compared: {}.</p>", esc(note));
    } else if sp.capacity.is_empty() && sp.bloc_share.is_empty() && sp.policies.is_empty() {
        let _ = writeln!(body, "<p>No shadow price changed.</p>");
    } else {
        for (title, list) in [
            ("Capacity ($ per capacity unit)", &sp.capacity),
            ("Bloc share ($ per percentage point)", &sp.bloc_share),
            ("Other policy rows ($ per unit relaxed)", &sp.policies),
        ] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(body, "<h3>{}, largest changes</h3>", esc(title));
            let rows: Vec<String> = list
                .iter()
                .take(SHOWN_ROWS / 2)
                .map(|p| {
                    format!(
                        "{}{}{}{}{}",
                        td(&p.item),
                        td(&p.per),
                        td_num(&money(p.delta.old)),
                        td_num(&money(p.delta.new)),
                        html_change_cell(&p.delta, Unit::Dollars, Better::Neither)
                    )
                })
                .collect();
            body.push_str(&html_table(
                &["Item", "Per", "Old", "New", "Change"],
                2,
                &rows,
            ));
        }
    }
    let _ = writeln!(body, "</section>");

    let _ = writeln!(body, "<section>\n<h2>Inputs and run</h2>");
    if c.metadata.is_empty() {
        let _ = writeln!(
            body,
            "<p>Same model name, solver, overrides and LP size.</p>"
        );
    } else {
        let rows: Vec<String> = c
            .metadata
            .iter()
            .map(|f| format!("{}{}{}", td(&f.field), td(&f.old), td(&f.new)))
            .collect();
        body.push_str(&html_table(&["Setting", "Old", "New"], 3, &rows));
    }
    if !c.inputs.is_empty() {
        let rows: Vec<String> = c
            .inputs
            .iter()
            .map(|i| {
                let path = match (&i.old_path, &i.new_path) {
                    (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
                    (Some(p), _) | (None, Some(p)) => p.clone(),
                    (None, None) => String::new(),
                };
                format!(
                    "{}{}<td><code>{}</code></td><td><code>{}</code></td>{}",
                    td(&path),
                    td(&i.role),
                    esc(&sha_short(&i.old_sha256)),
                    esc(&sha_short(&i.new_sha256)),
                    td(&i.change)
                )
            })
            .collect();
        body.push_str(&html_table(
            &["Input", "Role", "Old SHA-256", "New SHA-256", "Change"],
            5,
            &rows,
        ));
    }
    let _ = writeln!(body, "</section>");

    if !c.notes.is_empty() {
        let _ = writeln!(body, "<section>\n<h2>Notes</h2>\n<ul>");
        for n in &c.notes {
            let _ = writeln!(body, "<li>{}</li>", esc(n));
        }
        let _ = writeln!(body, "</ul>\n</section>");
    }

    page(
        &format!("allyplan — compare {} → {}", c.old.model, c.new.model),
        &body,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::CostBreakdown;
    use crate::plan::{Metadata, ProductionRow, SitePeriod, SitePlan};

    /// A solved plan: sites (id, country), periods, production (site, product, period, units);
    /// each unit loads its site by one capacity unit; capacity 100 per period.
    fn plan(
        model: &str,
        periods: &[&str],
        sites: &[(&str, &str)],
        production: &[(&str, &str, &str, f64)],
    ) -> Plan {
        let production: Vec<ProductionRow> = production
            .iter()
            .map(|(s, p, t, q)| ProductionRow {
                site: s.to_string(),
                product: p.to_string(),
                period: t.to_string(),
                quantity: *q,
            })
            .collect();
        let sites = sites
            .iter()
            .map(|(id, country)| SitePlan {
                id: id.to_string(),
                country: country.to_string(),
                periods: periods
                    .iter()
                    .map(|t| {
                        let load: f64 = production
                            .iter()
                            .filter(|r| r.site == *id && r.period == *t)
                            .map(|r| r.quantity)
                            .sum();
                        SitePeriod {
                            period: t.to_string(),
                            capacity: 100.0,
                            overtime_capacity: 0.0,
                            load,
                            overtime: 0.0,
                            utilization: load / 100.0,
                        }
                    })
                    .collect(),
            })
            .collect();
        let produced = production.iter().map(|r| r.quantity).sum();
        let costs = CostBreakdown {
            production: produced,
            total: produced,
            ..CostBreakdown::default()
        };
        Plan {
            status: PlanStatus::Optimal,
            objective: Some(produced),
            message: None,
            model: model.to_string(),
            periods: periods.iter().map(|t| t.to_string()).collect(),
            costs: Some(costs),
            kpis: Some(Kpis {
                produced,
                fill_rate: 1.0,
                ..Kpis::default()
            }),
            sites,
            production,
            shipments: Vec::new(),
            inventory: Vec::new(),
            unmet: Vec::new(),
            sourcing: Vec::new(),
            bloc_shares: Vec::new(),
            policies: Vec::new(),
            shadow_prices: None,
            duals_note: None,
            verification: None,
            explanation: None,
            metadata: Metadata {
                model_name: model.to_string(),
                ..Metadata::default()
            },
        }
    }

    use crate::plan::Kpis;

    fn policy(name: &str, kind: &str, binding: usize, examples: &[&str]) -> PolicyResult {
        PolicyResult {
            name: name.to_string(),
            kind: kind.to_string(),
            soft: false,
            penalty: None,
            rows: 10,
            binding_rows: binding,
            binding_examples: examples.iter().map(|e| e.to_string()).collect(),
            slack: 0.0,
        }
    }

    fn share_row(
        policy: &str,
        market: &str,
        period: &str,
        share: f64,
        target: f64,
    ) -> BlocShareRow {
        BlocShareRow {
            policy: policy.to_string(),
            bloc: "usmca".to_string(),
            market: market.to_string(),
            product: "cell".to_string(),
            period: period.to_string(),
            delivered: 100.0,
            from_bloc: 100.0 * share,
            share: Some(share),
            target,
            met: share + 1e-9 >= target,
        }
    }

    #[test]
    fn largest_decreases_go_to_largest_increases() {
        let d = |id: &str, c: &str, old: f64, new: f64| {
            (id.to_string(), c.to_string(), Delta::new(old, new))
        };
        let moves = match_moves(
            "cell",
            &[
                d("a", "CN", 5000.0, 1800.0),
                d("b", "VN", 1000.0, 500.0),
                d("m", "MX", 0.0, 3000.0),
                d("h", "US", 100.0, 700.0),
            ],
        );
        let got: Vec<(&str, &str, f64)> = moves
            .iter()
            .map(|m| (m.from.as_str(), m.to.as_str(), m.units))
            .collect();
        assert_eq!(
            got,
            vec![("a", "m", 3000.0), ("a", "h", 200.0), ("b", "h", 400.0)]
        );
        assert_eq!(
            move_sentence(&moves[0], false),
            "3,000 cell units moved from a (CN) to m (MX)"
        );
    }

    #[test]
    fn a_plan_compared_with_itself_is_unchanged() {
        let p = plan(
            "m",
            &["t1", "t2"],
            &[("a", "US"), ("b", "MX")],
            &[("a", "cell", "t1", 10.0), ("b", "cell", "t2", 20.0)],
        );
        let c = compare(&p, &p);
        assert!(c.unchanged);
        assert!(render_markdown(&c).contains("No changes"));
    }

    #[test]
    fn different_periods_and_sites_compare_the_common_part() {
        let old = plan(
            "jan",
            &["t1", "t2", "t3"],
            &[("a", "CN"), ("b", "MX")],
            &[
                ("a", "cell", "t1", 50.0),
                ("a", "cell", "t2", 50.0),
                ("a", "cell", "t3", 50.0),
                ("b", "cell", "t2", 10.0),
            ],
        );
        let new = plan(
            "feb",
            &["t2", "t3", "t4"],
            &[("b", "MX"), ("c", "US")],
            &[
                ("b", "cell", "t2", 40.0),
                ("c", "cell", "t3", 70.0),
                ("c", "cell", "t4", 99.0),
            ],
        );
        let c = compare(&old, &new);
        assert!(!c.unchanged);
        assert_eq!(c.periods.compared, vec!["t2", "t3"]);
        assert_eq!(c.periods.only_old, vec!["t1"]);
        assert_eq!(c.periods.only_new, vec!["t4"]);
        let site = |id: &str| c.sites.iter().find(|s| s.site == id).unwrap();
        assert_eq!(site("a").presence, Presence::OldOnly);
        assert_eq!(site("c").presence, Presence::NewOnly);
        // Over t2–t3 only: a 100 → 0, b 10 → 40, c 0 → 70.
        assert_eq!(site("a").units.change, -100.0);
        assert_eq!(site("b").units.change, 30.0);
        assert_eq!(site("c").units.change, 70.0);
        let total: f64 = c.sites.iter().map(|s| s.units.change).sum();
        assert_eq!(c.production.unwrap().change, total);
        let moves: Vec<(&str, &str, f64)> = c
            .site_moves
            .iter()
            .map(|m| (m.from.as_str(), m.to.as_str(), m.units))
            .collect();
        assert_eq!(moves, vec![("a", "c", 70.0), ("a", "b", 30.0)]);
        assert!(c
            .notes
            .iter()
            .any(|n| n.contains("only in the old plan: t1")));
        let md = render_markdown(&c);
        assert!(md.contains("a (old plan only)"), "{md}");
        assert!(
            md.contains("70 cell units moved from a (CN) to c (US)"),
            "{md}"
        );
        assert!(md.contains("## Notes"), "{md}");
    }

    #[test]
    fn renamed_policies_are_matched_and_binding_changes_found() {
        let mut old = plan("base", &["t1"], &[("a", "US")], &[("a", "cell", "t1", 1.0)]);
        let mut new = old.clone();
        old.policies = vec![
            policy("crit-70", "min_bloc_share", 0, &[]),
            policy("ramp", "ramp_limit", 1, &["ramp[a,t1]"]),
            policy("fill-97", "min_fill_rate", 0, &[]),
        ];
        old.bloc_shares = vec![share_row("crit-70", "east", "t1", 0.8, 0.7)];
        new.policies = vec![
            policy("crit-90", "min_bloc_share", 1, &["crit-90[east,cell,t1]"]),
            policy("ramp", "ramp_limit", 0, &[]),
            policy("fill-95", "min_fill_rate", 0, &[]),
            policy("cap", "emissions_cap", 1, &["cap[horizon]"]),
        ];
        new.bloc_shares = vec![share_row("crit-90", "east", "t1", 0.9, 0.9)];
        let c = compare(&old, &new);
        let p = |name: &str| {
            c.policies
                .iter()
                .find(|p| {
                    p.new_name.as_deref() == Some(name) || p.old_name.as_deref() == Some(name)
                })
                .unwrap()
        };
        assert_eq!(p("crit-90").matched, Matched::Scope);
        assert_eq!(p("crit-90").old_name.as_deref(), Some("crit-70"));
        assert_eq!(p("crit-90").change, BindingChange::NewlyBinding);
        assert_eq!(
            p("crit-90").newly_binding_rows,
            vec!["crit-90[east,cell,t1]"]
        );
        assert_eq!(p("ramp").change, BindingChange::NoLongerBinding);
        assert_eq!(p("ramp").no_longer_binding_rows, vec!["ramp[a,t1]"]);
        assert_eq!(p("fill-95").matched, Matched::Kind);
        assert_eq!(p("cap").matched, Matched::NewOnly);
        assert_eq!(p("cap").change, BindingChange::NewlyBinding);
        let share = &c.bloc_shares[0];
        assert_eq!((share.target_old, share.target_new), (Some(0.7), Some(0.9)));
        assert_eq!((share.lowest_old, share.lowest_new), (Some(0.8), Some(0.9)));
        let md = render_markdown(&c);
        assert!(
            md.contains("crit-70 → crit-90 (usmca): target 70.0% → 90.0%"),
            "{md}"
        );
        assert!(
            md.contains("Newly binding: crit-70 → crit-90, cap."),
            "{md}"
        );
        assert!(md.contains("No longer binding: ramp."), "{md}");
    }

    #[test]
    fn every_id_is_escaped() {
        let evil = "<script>alert(1)</script>|*x*";
        let old = plan(evil, &["t1"], &[(evil, "C<N")], &[(evil, evil, "t1", 10.0)]);
        let new = plan(
            "ok",
            &["t1"],
            &[("fine", "US")],
            &[("fine", evil, "t1", 10.0)],
        );
        let c = compare(&old, &new);
        let md = render_markdown(&c);
        assert!(!md.contains("<script>"), "{md}");
        assert!(!md.contains("C<N"), "{md}");
        assert!(md.contains("&lt;script&gt;"), "{md}");
        let page = render_html(&c);
        assert!(!page.contains("<script>"), "{page}");
        assert!(!page.contains("C<N"), "{page}");
        assert!(page.contains("&lt;script&gt;"));
    }

    #[test]
    fn plans_without_a_solution_compare_status_and_metadata() {
        let old = plan("m", &["t1"], &[("a", "US")], &[("a", "cell", "t1", 10.0)]);
        let mut new = old.clone();
        new.status = PlanStatus::Infeasible;
        new.objective = None;
        new.costs = None;
        new.kpis = None;
        new.message = Some("the model is infeasible".to_string());
        let c = compare(&old, &new);
        assert!(c.status_changed);
        assert!(c.costs.is_empty() && c.sites.is_empty() && c.objective.is_none());
        assert!(c
            .notes
            .iter()
            .any(|n| n.contains("new plan has no solution")));
        let md = render_markdown(&c);
        assert!(
            md.contains("Status changed from optimal to infeasible."),
            "{md}"
        );
        assert!(md.contains("| Objective | $10.00 | – | gone |"), "{md}");
        assert!(render_html(&c).contains("infeasible"));
    }

    #[test]
    fn shadow_prices_are_compared_when_both_plans_have_them() {
        use crate::plan::{CapacityPrice, ShadowPrices};
        let price = |site: &str, value: f64| CapacityPrice {
            site: site.to_string(),
            period: "t1".to_string(),
            value,
        };
        let mut old = plan("m", &["t1"], &[("a", "US")], &[("a", "cell", "t1", 10.0)]);
        let mut new = old.clone();
        old.shadow_prices = Some(ShadowPrices {
            capacity: vec![price("a", 12.0), price("b", 3.0)],
            ..ShadowPrices::default()
        });
        new.shadow_prices = Some(ShadowPrices {
            capacity: vec![price("a", 20.0), price("b", 3.0)],
            ..ShadowPrices::default()
        });
        let c = compare(&old, &new);
        assert!(c.shadow_prices.compared);
        assert_eq!(c.shadow_prices.capacity.len(), 1);
        assert_eq!(c.shadow_prices.capacity[0].item, "a, t1");
        assert_eq!(c.shadow_prices.capacity[0].delta.change, 8.0);
        new.shadow_prices = None;
        new.duals_note = Some("microlp gives no duals".to_string());
        let c = compare(&old, &new);
        assert!(!c.shadow_prices.compared);
        assert!(c
            .shadow_prices
            .note
            .as_deref()
            .unwrap()
            .contains("only the old plan"));
    }
}
