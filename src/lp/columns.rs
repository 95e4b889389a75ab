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
///
/// Where a site holds a product of more than one origin class (`Origins::split`), its
/// stock, its shipments and its consumption of that product have one column per class,
/// consecutive, in the order of `Origins::at`: the tables hold the first.
#[derive(Debug, Clone)]
pub struct Columns {
    /// [make, t]
    pub production: Array2<Option<usize>>,
    /// [site, t]
    pub overtime: Array2<Option<usize>>,
    /// [lane, product, departure t]: the first of the origin's classes.
    pub shipment: Array3<Option<usize>>,
    /// [site, product, t]: the first of its classes.
    pub inventory: Array3<Option<usize>>,
    /// [bom use, t]: the first of the component's classes at the site, only where it
    /// is split (elsewhere consumption is `qty · x`).
    pub consumption: Array2<Option<usize>>,
    /// [market, product, t]
    pub unmet: Array3<Option<usize>>,
    /// [site, t]
    pub load_up: Array2<Option<usize>>,
    /// [site, t]
    pub load_down: Array2<Option<usize>>,
    /// Opening and closing, expansions, runs and contract shortfalls.
    pub decisions: super::decisions::DecisionColumns,
    /// The (site, product) pairs with stock columns, in the order their columns and
    /// balance rows are made: what sites make (in `makes` order), then what they only
    /// hold or receive.
    pub holdings: Vec<(usize, usize)>,
}

/// What policies that exclude shipments (`exclude_origin`) say about one (lane, product).
enum Exclusion {
    Allowed,
    /// Allowed at an extra $ per unit (soft policies).
    Penalised(f64),
    Forbidden,
}

fn exclusion(scenario: &Scenario, lane: usize, product: usize, country: &str) -> Exclusion {
    let l = &scenario.lanes[lane];
    let mut penalty = 0.0;
    for policy in &scenario.policies {
        let Some(flows) = policy.rule.excluded() else {
            continue;
        };
        if flows.covers(l, product, country) {
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
    // Only the default resource is leveled: hubs and sites with named resources only
    // have no load to level.
    for (l, site) in leveled.iter_mut().zip(&scenario.sites) {
        *l &= site.default_resource;
    }
    leveled
}

pub fn create(scenario: &Scenario, lp: &mut LpModel) -> Columns {
    let sc = scenario;
    let origins = &sc.origins;
    let n_t = sc.n_periods();
    let n_makes = sc.makes.len();
    let n_sites = sc.sites.len();
    let n_products = sc.products.len();
    let mut cols = Columns {
        production: Array2::from_elem((n_makes, n_t), None),
        overtime: Array2::from_elem((n_sites, n_t), None),
        shipment: Array3::from_elem((sc.lanes.len(), n_products, n_t), None),
        inventory: Array3::from_elem((n_sites, n_products, n_t), None),
        consumption: Array2::from_elem((sc.bom_uses.len(), n_t), None),
        unmet: Array3::from_elem((sc.markets.len(), n_products, n_t), None),
        load_up: Array2::from_elem((n_sites, n_t), None),
        load_down: Array2::from_elem((n_sites, n_t), None),
        holdings: sc.holdings(),
        decisions: super::decisions::DecisionColumns::none(0, 0, 0),
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
            if cap > 0.0 && sc.sites[s].default_resource {
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
            if !origins.carries[[li, p]] {
                continue;
            }
            let Some(unit_cost) = lane.unit_cost(product, p, sc.objective.carbon_price) else {
                continue;
            };
            let classes = origins.at(lane.from, p);
            let split = classes.len() > 1;
            // Per class: its extra cost, or `None` when excluded.
            let extras: Vec<Option<f64>> = classes
                .iter()
                .map(|&k| match exclusion(sc, li, p, origins.country(p, k)) {
                    Exclusion::Forbidden => None,
                    Exclusion::Penalised(x) => Some(x),
                    Exclusion::Allowed => Some(0.0),
                })
                .collect();
            if extras.iter().all(Option::is_none) {
                continue;
            }
            for t in 0..n_t {
                let arrival = t + lane.lead_time;
                if arrival >= n_t {
                    continue;
                }
                if let Some(m) = lane.market() {
                    if sc.demand[[m, p, arrival]] <= 0.0 {
                        continue;
                    }
                }
                for (&k, extra) in classes.iter().zip(&extras) {
                    // A split origin keeps a column per class (an excluded one fixed at
                    // 0), so that the classes' columns stay consecutive.
                    let (cost, upper) = match extra {
                        Some(x) => (unit_cost + x, f64::INFINITY),
                        None if split => (unit_cost, 0.0),
                        None => continue,
                    };
                    let key = VarKey::Shipment {
                        lane: li,
                        product: p,
                        class: split.then_some(k),
                        t,
                    };
                    let c = lp.add_column(key, cost, upper);
                    cols.shipment[[li, p, t]].get_or_insert(c);
                }
            }
        }
    }
    for &(s, p) in &cols.holdings {
        let holding = sc.holding_cost[[s, p]];
        let classes = origins.at(s, p);
        let split = classes.len() > 1;
        for t in 0..n_t {
            for &k in classes {
                let key = VarKey::Inventory {
                    site: s,
                    product: p,
                    class: split.then_some(k),
                    t,
                };
                let c = lp.add_column(key, holding, f64::INFINITY);
                cols.inventory[[s, p, t]].get_or_insert(c);
            }
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
    for (u, bom_use) in sc.bom_uses.iter().enumerate() {
        let site = sc.makes[bom_use.make].site;
        let classes = origins.at(site, bom_use.component);
        if classes.len() <= 1 {
            continue;
        }
        for t in 0..n_t {
            for &k in classes {
                let key = VarKey::Consumption {
                    bom_use: u,
                    class: k,
                    t,
                };
                let c = lp.add_column(key, 0.0, f64::INFINITY);
                cols.consumption[[u, t]].get_or_insert(c);
            }
        }
    }
    cols.decisions = super::decisions::columns(sc, lp);
    cols
}
