//! Multi-tier facts: bills of materials (and their cycles), which products each lane
//! carries, where each product can be, with which origin classes, and the errors of a
//! network whose components can never reach the sites that need them.

use std::collections::VecDeque;

use ndarray::Array2;

use super::scaling::Scale;
use super::{IdMap, Validator};
use crate::diag::{Diagnostics, Loc};
use crate::load::data::{RawProduct, RawSite};
use crate::network::{BomUse, Dest, Make, Network, Origins, Product};
use crate::policy::{OriginTest, Policy};

/// Each product's bill of materials as (component, quantity); a product listed as its
/// own component, or a cycle of products, is an error that names the cycle.
pub(super) fn boms(
    v: &mut Validator,
    raw_products: &[&RawProduct],
    products: &IdMap,
    scale: &mut Scale,
) -> Vec<Vec<(usize, f64)>> {
    let mut boms = vec![Vec::new(); raw_products.len()];
    // Where each edge was written, to report a cycle at its first edge.
    let mut edge_loc: Vec<Vec<Loc>> = vec![Vec::new(); raw_products.len()];
    for (p, raw) in raw_products.iter().enumerate() {
        for (id, qty) in &raw.bom {
            let Some(c) = v.lookup(products, "product", id) else {
                continue;
            };
            scale.coefficient(
                *qty,
                || format!("bill of materials of {}: {}", raw.id.value, id.value),
                &id.loc,
            );
            if *qty <= 0.0 {
                v.diags.warning(
                    id.loc.clone(),
                    format!(
                        "component `{}` of `{}` has quantity 0: it is not consumed",
                        id.value, raw.id.value
                    ),
                );
                continue;
            }
            boms[p].push((c, *qty));
            edge_loc[p].push(id.loc.clone());
        }
    }
    for cycle in cycles(&boms) {
        let names: Vec<&str> = cycle
            .iter()
            .chain(cycle.first())
            .map(|&p| raw_products[p].id.value.as_str())
            .collect();
        let first = cycle[0];
        let next = cycle.get(1).copied().unwrap_or(first);
        let loc = boms[first]
            .iter()
            .position(|&(c, _)| c == next)
            .and_then(|i| edge_loc[first].get(i))
            .cloned()
            .unwrap_or_else(|| raw_products[first].id.loc.clone());
        v.diags.error_help(
            loc,
            format!("the bills of materials form a cycle: {}", names.join(" → ")),
            "a product cannot be, directly or through other components, a component of itself",
        );
    }
    boms
}

/// Every cycle of the component graph, once each (as found by a depth-first search,
/// starting from its lowest product index).
fn cycles(boms: &[Vec<(usize, f64)>]) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let n = boms.len();
    let mut state = vec![State::New; n];
    let mut found = Vec::new();
    for root in 0..n {
        if state[root] != State::New {
            continue;
        }
        // Iterative DFS: (node, next edge), and the open path.
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        let mut path: Vec<usize> = vec![root];
        state[root] = State::Open;
        while let Some(&mut (node, ref mut edge)) = stack.last_mut() {
            if let Some(&(next, _)) = boms[node].get(*edge) {
                *edge += 1;
                match state[next] {
                    State::New => {
                        state[next] = State::Open;
                        stack.push((next, 0));
                        path.push(next);
                    }
                    State::Open => {
                        if let Some(start) = path.iter().position(|&x| x == next) {
                            found.push(path[start..].to_vec());
                        }
                    }
                    State::Done => {}
                }
            } else {
                state[node] = State::Done;
                stack.pop();
                path.pop();
            }
        }
    }
    found
}

/// Every component of every make, grouped by make.
pub(super) fn bom_uses(makes: &[Make], products: &[Product]) -> Vec<BomUse> {
    let mut out = Vec::new();
    for (k, mk) in makes.iter().enumerate() {
        for &(component, qty) in &products[mk.product].bom {
            out.push(BomUse {
                make: k,
                component,
                qty,
            });
        }
    }
    out
}

/// Where each product can be, which lanes carry it and its origin classes.
///
/// - A site *needs* a product it consumes, must hold at the end, delivers to a market
///   that demands it, or forwards to a site that needs it.
/// - A lane *carries* a product its cost allows, that can be at its origin, and that its
///   destination needs (a market: demands), when something sent can arrive in time.
/// - A product *can be* at a site that makes it, holds it initially, or receives it.
/// - Its classes follow the policies that tell its origins apart (see [`Origins`]).
pub(super) fn origins(net: &Network, policies: &[Policy]) -> Origins {
    let n_sites = net.sites.len();
    let n_products = net.products.len();
    let n_periods = net.n_periods();
    let reachable = |l: usize| net.lanes[l].lead_time < n_periods;

    // Demanded anywhere, over the horizon.
    let mut demanded = Array2::from_elem((net.markets.len(), n_products), false);
    for ((m, p, _), &d) in net.demand.indexed_iter() {
        if d > 0.0 {
            demanded[[m, p]] = true;
        }
    }
    // Needs, backwards from consumption, end stock and demand.
    let mut needs = Array2::from_elem((n_sites, n_products), false);
    let mut queue = VecDeque::new();
    let mark = |needs: &mut Array2<bool>, queue: &mut VecDeque<(usize, usize)>, s, p| {
        if !needs[[s, p]] {
            needs[[s, p]] = true;
            queue.push_back((s, p));
        }
    };
    for u in &net.bom_uses {
        mark(&mut needs, &mut queue, net.makes[u.make].site, u.component);
    }
    for ((s, p), &x) in net.final_stock.indexed_iter() {
        if x > 0.0 {
            mark(&mut needs, &mut queue, s, p);
        }
    }
    let mut lanes_into: Vec<Vec<usize>> = vec![Vec::new(); n_sites];
    for (l, lane) in net.lanes.iter().enumerate() {
        match lane.to {
            Dest::Market(m) if reachable(l) => {
                for p in 0..n_products {
                    if demanded[[m, p]] && lane.cost[p].is_some() {
                        mark(&mut needs, &mut queue, lane.from, p);
                    }
                }
            }
            Dest::Site(s) => lanes_into[s].push(l),
            Dest::Market(_) => {}
        }
    }
    while let Some((s, p)) = queue.pop_front() {
        for &l in &lanes_into[s] {
            if reachable(l) && net.lanes[l].cost[p].is_some() {
                mark(&mut needs, &mut queue, net.lanes[l].from, p);
            }
        }
    }

    // Origin classes per product.
    let countries = net.site_countries();
    let site_country: Vec<usize> = net
        .sites
        .iter()
        .map(|s| countries.iter().position(|c| *c == s.country).unwrap_or(0))
        .collect();
    let rules: Vec<_> = policies
        .iter()
        .flat_map(|p| p.rule.origin_rules(net))
        .collect();
    let mut class_of = Vec::with_capacity(n_products);
    let mut classes = Vec::with_capacity(n_products);
    for p in 0..n_products {
        let covering: Vec<&OriginTest> = rules
            .iter()
            .filter(|r| r.products[p])
            .map(|r| &r.test)
            .collect();
        let signature = |c: usize| -> Vec<usize> {
            covering
                .iter()
                .map(|test| match test {
                    OriginTest::Bloc(b) => usize::from(net.bloc_contains(*b, &countries[c])),
                    OriginTest::Listed(list) => usize::from(list.contains(&countries[c])),
                    OriginTest::Each => c,
                })
                .collect()
        };
        let mut signatures: Vec<Vec<usize>> = Vec::new();
        let mut of = Vec::with_capacity(countries.len());
        let mut members: Vec<Vec<usize>> = Vec::new();
        for c in 0..countries.len() {
            let sig = signature(c);
            let k = match signatures.iter().position(|x| *x == sig) {
                Some(k) => k,
                None => {
                    signatures.push(sig);
                    members.push(Vec::new());
                    signatures.len() - 1
                }
            };
            members[k].push(c);
            of.push(u16::try_from(k).unwrap_or(u16::MAX));
        }
        if members.is_empty() {
            members.push(Vec::new());
        }
        class_of.push(of);
        classes.push(members);
    }

    // Where each product can be, and with which classes: forwards along lanes that
    // carry it.
    let mut at: Vec<Vec<Vec<u16>>> = vec![vec![Vec::new(); n_products]; n_sites];
    let mut queue = VecDeque::new();
    for s in 0..n_sites {
        for p in 0..n_products {
            if net.make_index[[s, p]].is_some() || net.initial_inventory[[s, p]] > 0.0 {
                let own = class_of[p].get(site_country[s]).copied().unwrap_or(0);
                at[s][p].push(own);
                queue.push_back((s, p));
            }
        }
    }
    let mut lanes_from: Vec<Vec<usize>> = vec![Vec::new(); n_sites];
    for (l, lane) in net.lanes.iter().enumerate() {
        if lane.to_site().is_some() && reachable(l) {
            lanes_from[lane.from].push(l);
        }
    }
    while let Some((s, p)) = queue.pop_front() {
        for &l in &lanes_from[s] {
            let Some(d) = net.lanes[l].to_site() else {
                continue;
            };
            if net.lanes[l].cost[p].is_none() || !needs[[d, p]] {
                continue;
            }
            let mut grew = false;
            for i in 0..at[s][p].len() {
                let k = at[s][p][i];
                if let Err(pos) = at[d][p].binary_search(&k) {
                    at[d][p].insert(pos, k);
                    grew = true;
                }
            }
            if grew {
                queue.push_back((d, p));
            }
        }
    }
    let mut carries = Array2::from_elem((net.lanes.len(), n_products), false);
    for (l, lane) in net.lanes.iter().enumerate() {
        if !reachable(l) {
            continue;
        }
        for p in 0..n_products {
            let wanted = match lane.to {
                Dest::Market(m) => demanded[[m, p]],
                Dest::Site(d) => needs[[d, p]],
            };
            carries[[l, p]] = wanted && lane.cost[p].is_some() && !at[lane.from][p].is_empty();
        }
    }
    Origins {
        countries,
        site_country,
        class_of,
        classes,
        at,
        carries,
    }
}

/// Errors and warnings that need to know where products can be: a component that can
/// never reach a site that makes something from it, end stock of a product that can
/// never be at its site, demand no lane can serve.
pub(super) fn reachable(
    net: &Network,
    raw_sites: &[&RawSite],
    demand_locs: &[((usize, usize), Loc)],
    complete: bool,
    diags: &mut Diagnostics,
) {
    let o = &net.origins;
    for u in &net.bom_uses {
        let mk = &net.makes[u.make];
        let (s, c) = (mk.site, u.component);
        if o.holds(s, c) {
            continue;
        }
        let site = &net.sites[s].id;
        let (parent, component) = (&net.products[mk.product].id, &net.products[c].id);
        let makers: Vec<&str> = net
            .makes
            .iter()
            .filter(|m| m.product == c)
            .map(|m| net.sites[m.site].id.as_str())
            .collect();
        let loc = raw_sites[s]
            .products
            .iter()
            .find(|item| item.product.value == *parent)
            .map_or_else(
                || raw_sites[s].id.loc.clone(),
                |item| item.product.loc.clone(),
            );
        if makers.is_empty() && net.initial_inventory.column(c).iter().all(|&x| x <= 0.0) {
            diags.error_help(
                loc,
                format!(
                    "site `{site}` makes `{parent}` from `{component}`, but no site makes `{component}` and no lane can bring it"
                ),
                format!("add a site that makes `{component}` and a lane from it to `{site}`"),
            );
        } else {
            diags.error_help(
                loc,
                format!(
                    "site `{site}` makes `{parent}` from `{component}`, but no lane can bring `{component}` to `{site}`"
                ),
                format!(
                    "add a lane to `{site}` from a site that makes it ({}), or one that receives it",
                    makers.join(", ")
                ),
            );
        }
    }
    for ((s, p), &x) in net.final_stock.indexed_iter() {
        if x > 0.0 && !o.holds(s, p) {
            diags.error(
                raw_sites[s].id.loc.clone(),
                format!(
                    "site `{}` must hold {x} of `{}` at the end, but `{}` can never be there (not made there, not held, and no lane brings it)",
                    net.sites[s].id, net.products[p].id, net.products[p].id
                ),
            );
        }
    }
    if !complete {
        return;
    }
    for ((m, p), loc) in demand_locs {
        let total: f64 = (0..net.n_periods()).map(|t| net.demand[[*m, *p, t]]).sum();
        let servable = net
            .lanes
            .iter()
            .enumerate()
            .any(|(l, lane)| lane.to == Dest::Market(*m) && o.carries[[l, *p]]);
        if total > 0.0 && !servable {
            diags.warning(
                loc.clone(),
                format!(
                    "no lane brings `{}` to market `{}` from a site that makes, holds or receives it: all of this demand will be unmet",
                    net.products[*p].id, net.markets[*m].id
                ),
            );
        }
    }
}
