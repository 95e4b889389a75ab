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
    /// A row of `Scenario::policies[policy]`; the kind says which instance.
    Policy {
        policy: usize,
        row: PolicyRow,
    },
}
