//! The multi-tier part of a plan (format v2), as plain data: the nodes and how goods
//! flow between them, component consumption, named resources, hub throughput, lane
//! capacities and regional value content.
//!
//! A one-tier (v1) network has none of it: `Plan::network` is then `None` and left out
//! of `plan.json`, so v1 plans keep their exact layout.

use serde::{Deserialize, Serialize};

/// Everything a multi-tier plan adds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkPlan {
    /// Every site, hub and market, suppliers first (by tier), markets last.
    pub nodes: Vec<NodeRow>,
    /// Units moved over the horizon per lane, product and origin (all lanes, markets
    /// included), largest first.
    pub flows: Vec<FlowRow>,
    /// Components consumed, per site, parent product, component and period.
    pub consumption: Vec<ConsumptionRow>,
    /// Use of each named resource (and of the default one, as `default`) per site and
    /// period.
    pub resources: Vec<ResourceRow>,
    /// Units arriving at each hub (and at each site with a `throughput`) per period.
    pub throughput: Vec<ThroughputRow>,
    /// Use of each lane with a `capacity`, per departure period.
    pub lane_use: Vec<LaneUseRow>,
    /// Regional value content per `regional_value_content` rule, site, product and
    /// window, against its target.
    pub value_content: Vec<ValueContentRow>,
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// A site that makes something.
    Site,
    /// A hub: stores and forwards, makes nothing.
    Hub,
    Market,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeRow {
    pub id: String,
    pub kind: NodeKind,
    pub country: String,
    /// The model's blocs that hold the node's country, by name.
    pub blocs: Vec<String>,
    /// Column in the network diagram, from 0 at the left: a site's tier is the longest
    /// chain of lanes that can feed it; markets are one column right of every site.
    pub tier: usize,
}

/// Units moved along one lane over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowRow {
    pub from: String,
    pub to: String,
    /// The lane's transport mode, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    pub product: String,
    /// Origin of the units: the country of the site that last made them. Where a policy
    /// tracks origin, the origin class (`CN`, or `MX+US` for countries no policy tells
    /// apart); elsewhere each sending site's mix of origin countries over the horizon
    /// (an estimate where goods of several origins mix in stock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// `to` is a market (a delivery) rather than a site or a hub.
    pub to_market: bool,
    pub quantity: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsumptionRow {
    pub site: String,
    /// The product made.
    pub product: String,
    /// The component consumed to make it.
    pub component: String,
    pub period: String,
    pub quantity: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceRow {
    pub site: String,
    /// A named resource, or `default` for the capacity that `rate` loads.
    pub resource: String,
    pub period: String,
    pub capacity: f64,
    pub used: f64,
    /// used / capacity (0 when capacity is 0).
    pub utilization: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThroughputRow {
    pub site: String,
    pub period: String,
    /// Units that may arrive in the period; `None` when unlimited.
    pub capacity: Option<f64>,
    pub arrived: f64,
    /// Units leaving in the period.
    pub departed: f64,
    /// Units held at the end of the period.
    pub stock: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaneUseRow {
    pub from: String,
    pub to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Departure period.
    pub period: String,
    pub capacity: f64,
    pub used: f64,
}

/// One regional value content row: site, product and window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueContentRow {
    pub policy: String,
    pub bloc: String,
    pub site: String,
    pub product: String,
    /// A period label, or `horizon`.
    pub period: String,
    /// Units made in the window.
    pub produced: f64,
    /// unit_value × produced, $.
    pub value: f64,
    /// Value added at the site counted as regional, $ (0 when the site is outside the
    /// bloc).
    pub value_added: f64,
    /// Value of components of regional origin consumed for it, $.
    pub regional_components: f64,
    /// Value of components of other origins consumed for it, $.
    pub other_components: f64,
    /// (value_added + regional_components) / value; `None` when nothing is made.
    pub share: Option<f64>,
    pub target: f64,
    /// share − target, in percentage points; `None` when nothing is made.
    pub margin_points: Option<f64>,
    pub met: bool,
    /// Where the component value came from, largest first.
    pub sources: Vec<ComponentSource>,
    /// With `preference`: the tariff paid on units leaving into other bloc countries
    /// because the rule does not hold (0 when it holds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tariff_paid: Option<f64>,
}

/// Component value consumed for one value-content row, by component and source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentSource {
    pub component: String,
    /// The site the components came from (the consuming site itself when made there),
    /// attributed within each origin in proportion to what each source delivered in the
    /// window.
    pub source: String,
    pub country: String,
    /// Counted as regional (origin in the rule's bloc).
    pub regional: bool,
    /// $ of component value.
    pub value: f64,
    /// value / the row's total component value.
    pub share: f64,
}
