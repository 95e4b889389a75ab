//! Stage 3: the LP of DESIGN.md built from a [`Scenario`], one module per constraint family.
//!
//! This stage knows nothing of YAML. Every row is built in a single pass from index
//! tables, so building is linear in the number of non-zeros.

pub mod columns;
pub mod keys;
pub mod lp;

mod capacity;
mod demand;
mod inventory;
mod leveling;
mod policies;

pub use columns::Columns;
pub use keys::{Namer, PolicyRow, RowKey, VarKey};
pub use lp::{LpModel, Sense};

use crate::scenario::Scenario;

/// The LP and how its columns map back to the scenario.
#[derive(Debug, Clone)]
pub struct BuiltModel {
    pub lp: LpModel,
    pub columns: Columns,
}

pub fn build(scenario: &Scenario) -> BuiltModel {
    let mut lp = LpModel::new();
    let cols = columns::create(scenario, &mut lp);
    let mut makes_by_site = vec![Vec::new(); scenario.sites.len()];
    for (k, make) in scenario.makes.iter().enumerate() {
        makes_by_site[make.site].push(k);
    }
    let mut lanes_by_site = vec![Vec::new(); scenario.sites.len()];
    let mut lanes_by_market = vec![Vec::new(); scenario.markets.len()];
    for (l, lane) in scenario.lanes.iter().enumerate() {
        lanes_by_site[lane.from].push(l);
        lanes_by_market[lane.to].push(l);
    }
    let mut b = Builder {
        scenario,
        lp,
        cols,
        makes_by_site,
        lanes_by_site,
        lanes_by_market,
    };
    capacity::add(&mut b);
    inventory::add(&mut b);
    demand::add(&mut b);
    leveling::add(&mut b);
    policies::add(&mut b);
    BuiltModel {
        lp: b.lp,
        columns: b.cols,
    }
}

/// Shared state and helpers for the constraint families.
pub(crate) struct Builder<'a> {
    pub scenario: &'a Scenario,
    pub lp: LpModel,
    pub cols: Columns,
    pub makes_by_site: Vec<Vec<usize>>,
    pub lanes_by_site: Vec<Vec<usize>>,
    pub lanes_by_market: Vec<Vec<usize>>,
}

impl Builder<'_> {
    /// Terms of the load ℓ[s,t] = Σ_p rate·x[s,p,t].
    pub fn load_terms(&self, site: usize, t: usize) -> Vec<(usize, f64)> {
        self.makes_by_site[site]
            .iter()
            .filter_map(|&k| self.cols.production[[k, t]].map(|c| (c, self.scenario.makes[k].rate)))
            .collect()
    }

    /// Shipment columns arriving at market m with product p in period t, with coefficient
    /// 1 and the lane index kept alongside for callers that weight by origin.
    pub fn arrivals_by_lane(&self, market: usize, product: usize, t: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::with_capacity(self.lanes_by_market[market].len());
        for &lane in &self.lanes_by_market[market] {
            let Some(departure) = self.scenario.departure_for(lane, t) else {
                continue;
            };
            if let Some(c) = self.cols.shipment[[lane, product, departure]] {
                out.push((lane, c));
            }
        }
        out
    }

    /// Shipment columns arriving at (m, p, t), coefficient 1.
    pub fn arrivals(&self, market: usize, product: usize, t: usize) -> Vec<(usize, f64)> {
        self.arrivals_by_lane(market, product, t)
            .into_iter()
            .map(|(_, c)| (c, 1.0))
            .collect()
    }

    /// Adds a policy row; a soft policy gets its own slack column priced at its penalty.
    pub fn add_policy_row(
        &mut self,
        policy: usize,
        row: PolicyRow,
        mut terms: Vec<(usize, f64)>,
        sense: Sense,
        rhs: f64,
    ) {
        if let Some(penalty) = self.scenario.policies[policy].soft_penalty {
            let row_index = self.lp.rows.len();
            let slack =
                self.lp
                    .add_column(VarKey::Slack { row: row_index }, penalty, f64::INFINITY);
            let sign = match sense {
                Sense::Le => -1.0,
                Sense::Ge => 1.0,
                // Policies produce no equality rows.
                Sense::Eq => 1.0,
            };
            terms.push((slack, sign));
        }
        self.lp
            .add_row(RowKey::Policy { policy, row }, terms, sense, rhs);
    }
}
