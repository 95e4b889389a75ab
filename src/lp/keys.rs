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
    Shipment {
        lane: usize,
        product: usize,
        t: usize,
    },
    Inventory {
        make: usize,
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
        make: usize,
        t: usize,
    },
    InventoryCapacity {
        site: usize,
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
