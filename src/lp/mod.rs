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
mod decisions;
mod demand;
mod flows;
mod inventory;
mod leveling;
mod policies;
mod solution;

pub use columns::Columns;
pub use keys::{RowKey, VarKey};
pub use model::{LpModel, Sense};
pub use names::Namer;

use crate::allocation::LaneIndex;
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
    let mut uses_by_make = vec![Vec::new(); scenario.makes.len()];
    let mut uses_by_site = vec![Vec::new(); scenario.sites.len()];
    for (u, bom_use) in scenario.bom_uses.iter().enumerate() {
        uses_by_make[bom_use.make].push(u);
        uses_by_site[scenario.makes[bom_use.make].site].push(u);
    }
    let mut b = Builder {
        cx: Context {
            scenario,
            cols,
            makes_by_site,
            uses_by_make,
            uses_by_site,
            lanes: LaneIndex::new(scenario),
        },
        lp,
    };
    capacity::add(&mut b);
    inventory::add(&mut b);
    demand::add(&mut b);
    leveling::add(&mut b);
    flows::add(&mut b);
    decisions::add(&mut b);
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
    /// [make] → its bom uses (indices into `Network::bom_uses`).
    pub uses_by_make: Vec<Vec<usize>>,
    /// [site] → the bom uses of what it makes.
    pub uses_by_site: Vec<Vec<usize>>,
    pub lanes: LaneIndex,
}

impl Context<'_> {
    /// The effective capacity of a site's default resource in `t` (see
    /// [`crate::policy::EffectiveCapacity`]).
    pub fn default_capacity(&self, site: usize, t: usize) -> crate::policy::EffectiveCapacity {
        let sc = self.scenario;
        let expansions = sc
            .decisions
            .default_expansions(site)
            .map(|(e, x)| (e, x.capacity));
        decisions::effective(
            &self.cols.decisions,
            site,
            t,
            sc.capacity[[site, t]],
            expansions,
        )
    }

    /// The effective capacity of a named resource in `t`.
    pub fn resource_capacity(&self, resource: usize, t: usize) -> crate::policy::EffectiveCapacity {
        let sc = self.scenario;
        let r = &sc.resources[resource];
        let expansions = sc
            .decisions
            .resource_expansions(resource)
            .map(|(e, x)| (e, x.capacity));
        decisions::effective(&self.cols.decisions, r.site, t, r.capacity[t], expansions)
    }

    /// Terms of the load ℓ[s,t] = Σ_p rate·x[s,p,t].
    pub fn load_terms(&self, site: usize, t: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        self.makes_by_site[site].iter().filter_map(move |&k| {
            self.cols.production[[k, t]].map(|c| (c, self.scenario.makes[k].rate))
        })
    }

    /// Calls `f(lane, origin, column)` for each shipment column arriving at market m
    /// with product p in period t; `origin` is a country of the column's origin class
    /// (an index into `Origins::countries`).
    pub fn for_each_arrival(
        &self,
        market: usize,
        product: usize,
        t: usize,
        mut f: impl FnMut(usize, usize, usize),
    ) {
        let origins = &self.scenario.origins;
        for &lane in &self.lanes.by_market[market] {
            let lead = self.scenario.lanes[lane].lead_time;
            if lead > t {
                continue;
            }
            let from = self.scenario.lanes[lane].from;
            for (k, c) in self.shipment_classes(lane, product, t - lead) {
                f(lane, origins.origin_country(product, k, from), c);
            }
        }
    }

    /// The shipment columns of (lane, product, departure t), with their origin class.
    pub fn shipment_classes(
        &self,
        lane: usize,
        product: usize,
        t: usize,
    ) -> impl Iterator<Item = (u16, usize)> + '_ {
        let from = self.scenario.lanes[lane].from;
        classes(
            self.scenario.origins.at(from, product),
            self.cols.shipment[[lane, product, t]],
        )
    }

    /// The stock columns of (site, product, t), with their origin class.
    pub fn stock_classes(
        &self,
        site: usize,
        product: usize,
        t: usize,
    ) -> impl Iterator<Item = (u16, usize)> + '_ {
        classes(
            self.scenario.origins.at(site, product),
            self.cols.inventory[[site, product, t]],
        )
    }

    /// Terms of the consumption of component use `u` in `t` that has origin class `k`:
    /// its column where consumption is split by class, else qty · x when the
    /// component's one class at the site is `k`.
    pub fn consumption_terms(&self, u: usize, t: usize, k: u16) -> Option<(usize, f64)> {
        let sc = self.scenario;
        let bom_use = &sc.bom_uses[u];
        let site = sc.makes[bom_use.make].site;
        let at = sc.origins.at(site, bom_use.component);
        match self.cols.consumption[[u, t]] {
            Some(first) => at.iter().position(|&x| x == k).map(|i| (first + i, 1.0)),
            None if at.first() == Some(&k) => {
                self.cols.production[[bom_use.make, t]].map(|c| (c, bom_use.qty))
            }
            None => None,
        }
    }
}

/// Consecutive columns from `first`, one per class where there are several, else the
/// one column with the one class.
fn classes(at: &[u16], first: Option<usize>) -> impl Iterator<Item = (u16, usize)> + '_ {
    let first = first.unwrap_or(usize::MAX);
    let n = if first == usize::MAX { 0 } else { at.len() };
    at.iter()
        .take(n)
        .enumerate()
        .map(move |(i, &k)| (k, first + i))
}
