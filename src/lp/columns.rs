//! Creates every column of the LP and the lookup tables from model indices to columns.
//!
//! Columns that could never carry anything are not created: shipments whose arrival falls
//! past the horizon or meets no demand, shipments of products a lane cannot carry or the
//! origin cannot make, shipments a hard policy excludes, and load-change columns for
//! sites where leveling has no price and no policy needs them (a ramp limit does).

use ndarray::{Array2, Array3};

use super::keys::VarKey;
use super::model::LpModel;
use crate::scenario::Scenario;

/// Column index per model entity; `None` where no column exists.
#[derive(Debug, Clone)]
pub struct Columns {
    /// [make, t]
    pub production: Array2<Option<usize>>,
    /// [site, t]
    pub overtime: Array2<Option<usize>>,
    /// [lane, product, departure t]
    pub shipment: Array3<Option<usize>>,
    /// [make, t]
    pub inventory: Array2<Option<usize>>,
    /// [market, product, t]
    pub unmet: Array3<Option<usize>>,
    /// [site, t]
    pub load_up: Array2<Option<usize>>,
    /// [site, t]
    pub load_down: Array2<Option<usize>>,
}

/// What policies that exclude shipments (`exclude_origin`) say about one (lane, product).
enum Exclusion {
    Allowed,
    /// Allowed at an extra $ per unit (soft policies).
    Penalised(f64),
    Forbidden,
}

fn exclusion(scenario: &Scenario, lane: usize, product: usize) -> Exclusion {
    let l = &scenario.lanes[lane];
    let mut penalty = 0.0;
    for policy in &scenario.policies {
        let Some(flows) = policy.rule.excluded() else {
            continue;
        };
        if flows.covers(l, product) {
            match policy.soft_penalty {
                None => return Exclusion::Forbidden,
                Some(p) => penalty += p,
            }
        }
    }
    if penalty > 0.0 {
        Exclusion::Penalised(penalty)
    } else {
        Exclusion::Allowed
    }
}

/// Sites whose load changes need columns: a leveling price, or a policy that needs them
/// (a ramp limit).
pub fn leveled_sites(scenario: &Scenario) -> Vec<bool> {
    let mut leveled = vec![scenario.objective.leveling_weight > 0.0; scenario.sites.len()];
    for policy in &scenario.policies {
        for (s, l) in leveled.iter_mut().enumerate() {
            *l |= policy.rule.needs_load_changes(s);
        }
    }
    leveled
}

pub fn create(scenario: &Scenario, lp: &mut LpModel) -> Columns {
    let sc = scenario;
    let n_t = sc.n_periods();
    let n_makes = sc.makes.len();
    let n_sites = sc.sites.len();
    let n_products = sc.products.len();
    let mut cols = Columns {
        production: Array2::from_elem((n_makes, n_t), None),
        overtime: Array2::from_elem((n_sites, n_t), None),
        shipment: Array3::from_elem((sc.lanes.len(), n_products, n_t), None),
        inventory: Array2::from_elem((n_makes, n_t), None),
        unmet: Array3::from_elem((sc.markets.len(), n_products, n_t), None),
        load_up: Array2::from_elem((n_sites, n_t), None),
        load_down: Array2::from_elem((n_sites, n_t), None),
    };
    for (k, make) in sc.makes.iter().enumerate() {
        for t in 0..n_t {
            cols.production[[k, t]] =
                Some(lp.add_column(VarKey::Production { make: k, t }, make.cost, f64::INFINITY));
        }
    }
    for s in 0..n_sites {
        for t in 0..n_t {
            let cap = sc.overtime_capacity[[s, t]];
            if cap > 0.0 {
                cols.overtime[[s, t]] = Some(lp.add_column(
                    VarKey::Overtime { site: s, t },
                    sc.sites[s].overtime_cost,
                    cap,
                ));
            }
        }
    }
    for (li, lane) in sc.lanes.iter().enumerate() {
        for (p, product) in sc.products.iter().enumerate() {
            let Some(unit_cost) = lane.unit_cost(product, p, sc.objective.carbon_price) else {
                continue;
            };
            if sc.make_index[[lane.from, p]].is_none() {
                continue;
            }
            let extra = match exclusion(sc, li, p) {
                Exclusion::Forbidden => continue,
                Exclusion::Penalised(x) => x,
                Exclusion::Allowed => 0.0,
            };
            for t in 0..n_t {
                let arrival = t + lane.lead_time;
                if arrival >= n_t || sc.demand[[lane.to, p, arrival]] <= 0.0 {
                    continue;
                }
                cols.shipment[[li, p, t]] = Some(lp.add_column(
                    VarKey::Shipment {
                        lane: li,
                        product: p,
                        t,
                    },
                    unit_cost + extra,
                    f64::INFINITY,
                ));
            }
        }
    }
    for k in 0..n_makes {
        let make = &sc.makes[k];
        let holding = sc.holding_cost[[make.site, make.product]];
        for t in 0..n_t {
            cols.inventory[[k, t]] =
                Some(lp.add_column(VarKey::Inventory { make: k, t }, holding, f64::INFINITY));
        }
    }
    for m in 0..sc.markets.len() {
        for p in 0..n_products {
            for t in 0..n_t {
                if sc.demand[[m, p, t]] > 0.0 {
                    cols.unmet[[m, p, t]] = Some(lp.add_column(
                        VarKey::Unmet {
                            market: m,
                            product: p,
                            t,
                        },
                        sc.unmet_penalty[[m, p, t]],
                        f64::INFINITY,
                    ));
                }
            }
        }
    }
    let weight = sc.objective.leveling_weight;
    for (s, leveled) in leveled_sites(sc).into_iter().enumerate() {
        if !leveled {
            continue;
        }
        for t in 0..n_t {
            if t == 0 && sc.sites[s].last_load.is_none() {
                continue;
            }
            cols.load_up[[s, t]] =
                Some(lp.add_column(VarKey::LoadUp { site: s, t }, weight, f64::INFINITY));
            cols.load_down[[s, t]] =
                Some(lp.add_column(VarKey::LoadDown { site: s, t }, weight, f64::INFINITY));
        }
    }
    cols
}
