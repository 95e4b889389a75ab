//! Stage 3: the LP of DESIGN.md built from a [`Scenario`], one module per constraint family;
//! each policy adds its own rows (`crate::policy`).
//!
//! This stage knows nothing of YAML. Every row is built in a single pass from index
//! tables, so building is linear in the number of non-zeros.

pub mod columns;
pub mod keys;
pub mod model;
pub mod names;

mod capacity;
mod demand;
mod inventory;
mod leveling;
mod policies;
mod solution;

pub use columns::Columns;
pub use keys::{RowKey, VarKey};
pub use model::{LpModel, Sense};
pub use names::Namer;

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
        cx: Context {
            scenario,
            cols,
            makes_by_site,
            lanes_by_site,
            lanes_by_market,
        },
        lp,
    };
    capacity::add(&mut b);
    inventory::add(&mut b);
    demand::add(&mut b);
    leveling::add(&mut b);
    policies::add(&mut b);
    b.lp.shrink_to_fit();
    BuiltModel {
        lp: b.lp,
        columns: b.cx.cols,
    }
}

/// The LP under construction and what the constraint families read. Kept apart so a
/// family can stream terms from `cx` straight into `lp` without collecting them first.
pub(crate) struct Builder<'a> {
    pub cx: Context<'a>,
    pub lp: LpModel,
}

/// Read-only state and index tables shared by the constraint families.
pub(crate) struct Context<'a> {
    pub scenario: &'a Scenario,
    pub cols: Columns,
    pub makes_by_site: Vec<Vec<usize>>,
    pub lanes_by_site: Vec<Vec<usize>>,
    pub lanes_by_market: Vec<Vec<usize>>,
}

impl Context<'_> {
    /// Terms of the load ℓ[s,t] = Σ_p rate·x[s,p,t].
    pub fn load_terms(&self, site: usize, t: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.makes_by_site[site].iter().filter_map(move |&k| {
            self.cols.production[[k, t]].map(|c| (c, self.scenario.makes[k].rate))
        })
    }

    /// Calls `f(lane, column)` for each shipment column arriving at market m with
    /// product p in period t.
    pub fn for_each_arrival(
        &self,
        market: usize,
        product: usize,
        t: usize,
        mut f: impl FnMut(usize, usize),
    ) {
        for &lane in &self.lanes_by_market[market] {
            let lead = self.scenario.lanes[lane].lead_time;
            if lead > t {
                continue;
            }
            if let Some(c) = self.cols.shipment[[lane, product, t - lead]] {
                f(lane, c);
            }
        }
    }
}
