//! What each column and row of the LP stands for; their readable names are in `names`.

use crate::policy::PolicyRow;

/// A column of the LP. `t` is a period index; for shipments it is the departure period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VarKey {
    Production {
        make: usize,
        t: usize,
    },
    Overtime {
        site: usize,
        t: usize,
    },
    /// `class`: the origin class, where the origin site's stock is split by class.
    Shipment {
        lane: usize,
        product: usize,
        class: Option<u16>,
        t: usize,
    },
    Inventory {
        site: usize,
        product: usize,
        class: Option<u16>,
        t: usize,
    },
    /// Units of a component of one origin class consumed for one make.
    Consumption {
        bom_use: usize,
        class: u16,
        t: usize,
    },
    Unmet {
        market: usize,
        product: usize,
        t: usize,
    },
    LoadUp {
        site: usize,
        t: usize,
    },
    LoadDown {
        site: usize,
        t: usize,
    },
    /// Elastic slack of a soft policy row (index into `LpModel::rows`).
    Slack {
        row: usize,
    },
    /// 1 while a site that may open and close is open (binary).
    Open {
        site: usize,
        t: usize,
    },
    /// 1 when the site opens in `t` (was closed in t−1).
    Opening {
        site: usize,
        t: usize,
    },
    /// 1 when the site closes in `t` (was open in t−1).
    Closing {
        site: usize,
        t: usize,
    },
    /// The part of an expansion built in `t` (binary unless `integer: false`).
    Build {
        expansion: usize,
        t: usize,
    },
    /// 1 when a make with `min_run` runs in `t` (binary).
    Run {
        make: usize,
        t: usize,
    },
    /// A policy's binary decision (`regional_value_content` with `preference`: the rule
    /// holds for (site, product, window)).
    PolicyDecision {
        policy: usize,
        key: crate::policy::DecisionKey,
    },
    /// $ a policy's decision costs (the preference tariff paid when the rule fails).
    PolicyCost {
        policy: usize,
        key: crate::policy::DecisionKey,
    },
    /// Units short of a contract's minimum in one window (index into `Per::groups`).
    Shortfall {
        contract: usize,
        window: usize,
    },
}

/// A row of the LP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKey {
    Capacity {
        site: usize,
        t: usize,
    },
    InventoryBalance {
        site: usize,
        product: usize,
        class: Option<u16>,
        t: usize,
    },
    InventoryCapacity {
        site: usize,
        t: usize,
    },
    /// Σ uses·x ≤ capacity of a named resource.
    Resource {
        resource: usize,
        t: usize,
    },
    /// Units arriving at a site or hub ≤ its throughput.
    Throughput {
        site: usize,
        t: usize,
    },
    /// Units leaving on a lane ≤ its capacity.
    LaneCapacity {
        lane: usize,
        t: usize,
    },
    /// One product's stock ≤ its cap (`product_capacity`; index into
    /// `Network::storage_limits`).
    ProductStorage {
        limit: usize,
        t: usize,
    },
    /// Stock at the end of the horizon ≥ `final`.
    FinalStock {
        site: usize,
        product: usize,
    },
    /// Consumption by origin class adds up to qty · x.
    ConsumptionSplit {
        bom_use: usize,
        t: usize,
    },
    Demand {
        market: usize,
        product: usize,
        t: usize,
    },
    Leveling {
        site: usize,
        t: usize,
    },
    /// A site that may close, with expansions: load ≤ its largest capacity × open.
    OpenCapacity {
        site: usize,
        t: usize,
    },
    /// The same for a named resource.
    OpenResource {
        resource: usize,
        t: usize,
    },
    /// Overtime ≤ overtime capacity × open.
    OpenOvertime {
        site: usize,
        t: usize,
    },
    /// open[t] − open[t−1] = opening[t] − closing[t].
    OpenChange {
        site: usize,
        t: usize,
    },
    /// An expansion is built at most once: Σ_t build ≤ 1.
    BuildOnce {
        expansion: usize,
    },
    /// x ≥ min_run · run.
    MinRun {
        make: usize,
        t: usize,
    },
    /// x ≤ (most the site can make) · run.
    RunLimit {
        make: usize,
        t: usize,
    },
    /// Units shipped (+ shortfall) ≥ a contract's minimum, in one window.
    ContractMin {
        contract: usize,
        window: usize,
    },
    /// Units shipped ≤ a contract's maximum, in one window.
    ContractMax {
        contract: usize,
        window: usize,
    },
    /// A row of `Scenario::policies[policy]`; the kind says which instance.
    Policy {
        policy: usize,
        row: PolicyRow,
    },
}
