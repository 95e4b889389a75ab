//! Sizing by routing: the average demand is sent down the links, split evenly among
//! the ways it can come, so that each site is sized for what reaches it and each link
//! for what it carries.

use std::collections::BTreeMap;

use super::super::tables::is_usmca;
use super::topology::{Links, Plan};
use super::{Role, Tier, To, REGIONAL_COVER};

/// What each site and link is sized for, on average per period.
pub(super) struct Sizing {
    /// Per site: (product, units made), as in its `makes`.
    pub(super) share: Vec<Vec<(usize, f64)>>,
    /// Per site: (component, units consumed), components ascending.
    pub(super) need: Vec<Vec<(usize, f64)>>,
    /// Per link: units to carry. Components are provisioned from both groups of
    /// suppliers (see [`REGIONAL_COVER`]), so these add up to more than is used.
    pub(super) flow: Vec<f64>,
    /// Per link: units a typical plan moves on it (for the emissions budget).
    pub(super) typical: Vec<f64>,
    /// The busiest period over the average.
    pub(super) peak: f64,
}

impl Sizing {
    /// Units per period site `s` is sized to make, all products.
    pub(super) fn output(&self, s: usize) -> f64 {
        self.share[s].iter().map(|x| x.1).sum()
    }
}

/// Adds `x` to the entry for `key`.
fn bump(map: &mut BTreeMap<usize, f64>, key: usize, x: f64) {
    *map.entry(key).or_insert(0.0) += x;
}

/// The routing under way: units made per site and product, units per link.
struct Router<'a> {
    links: &'a Links,
    hubs: Vec<usize>,
    makers: Vec<Vec<usize>>,
    index: BTreeMap<(usize, To), usize>,
    made: Vec<BTreeMap<usize, f64>>,
    flow: Vec<f64>,
    typical: Vec<f64>,
}

impl Router<'_> {
    fn carry(&mut self, from: usize, to: To, x: f64) {
        if let Some(&i) = self.index.get(&(from, to)) {
            self.flow[i] += x;
            self.typical[i] += x;
        }
    }

    /// `x` units of module `m` into `to`, over every (maker, hub or none) route evenly.
    fn modules_into(&mut self, m: usize, to: To, x: f64) {
        let mut routes: Vec<(usize, Option<usize>)> = Vec::new();
        for &k in &self.makers[m] {
            if self.links.has(k, to) {
                routes.push((k, None));
            }
            let via = self.links.via(k, to, &self.hubs);
            routes.extend(via.into_iter().map(|h| (k, Some(h))));
        }
        if routes.is_empty() {
            return;
        }
        let each = x / routes.len() as f64;
        for (k, hub) in routes {
            bump(&mut self.made[k], m, each);
            match hub {
                None => self.carry(k, to, each),
                Some(h) => {
                    self.carry(k, To::Site(h), each);
                    self.carry(h, to, each);
                }
            }
        }
    }
}

/// Routes the average demand through `links`: packs from the plants with a link to
/// the market; modules (to markets and to pack plants) over every way in, direct or
/// through a hub; components to each plant from its linked suppliers, the regional
/// ones together able to make [`REGIONAL_COVER`] of it and the overseas ones all of it.
pub(super) fn route(plan: &Plan, links: &Links, n_t: usize, peak: f64) -> Sizing {
    let n_sites = plan.roles.len();
    let mut r = Router {
        links,
        hubs: (0..n_sites)
            .filter(|&s| plan.roles[s].0 == Role::Hub)
            .collect(),
        makers: plan.makers(),
        index: links
            .links
            .iter()
            .enumerate()
            .map(|(i, l)| ((l.from, l.to), i))
            .collect(),
        made: vec![BTreeMap::new(); n_sites],
        flow: vec![0.0; links.links.len()],
        typical: vec![0.0; links.links.len()],
    };
    // Demand: packs from the plants linked to the market, modules as service parts.
    for d in plan.demand {
        let x = d.quantity.iter().sum::<f64>() / n_t as f64;
        let to = To::Market(d.market);
        if plan.products[d.product].tier != Tier::Pack {
            r.modules_into(d.product, to, x);
            continue;
        }
        let from: Vec<usize> = r.makers[d.product]
            .iter()
            .copied()
            .filter(|&p| links.has(p, to))
            .collect();
        for &p in &from {
            let each = x / from.len() as f64;
            bump(&mut r.made[p], d.product, each);
            r.carry(p, to, each);
        }
    }
    // What a site consumes for what it makes.
    let consumption = |made: &BTreeMap<usize, f64>| -> BTreeMap<usize, f64> {
        let mut need = BTreeMap::new();
        for (&q, &x) in made {
            for &(c, k) in &plan.products[q].bom {
                bump(&mut need, c, k * x);
            }
        }
        need
    };
    // Pack plants consume modules (routed to module plants) and boards; then module
    // plants consume cells and boards.
    let mut need: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); n_sites];
    for p in (0..n_sites).filter(|&s| plan.roles[s].0 == Role::PackPlant) {
        need[p] = consumption(&r.made[p]);
        let modules: Vec<(usize, f64)> = need[p]
            .iter()
            .filter(|(&c, _)| plan.products[c].tier == Tier::Module)
            .map(|(&c, &x)| (c, x))
            .collect();
        for (m, x) in modules {
            r.modules_into(m, To::Site(p), x);
        }
    }
    for k in (0..n_sites).filter(|&s| plan.roles[s].0 == Role::ModulePlant) {
        need[k] = consumption(&r.made[k]);
    }
    // Components, from the linked suppliers of each group.
    for (a, needs) in need.iter().enumerate() {
        for (&c, &x) in needs {
            if !plan.products[c].tier.is_component() {
                continue;
            }
            let linked: Vec<usize> = r.makers[c]
                .iter()
                .copied()
                .filter(|&s| links.has(s, To::Site(a)))
                .collect();
            let total = linked.len().max(1) as f64;
            for group in [true, false] {
                let members: Vec<usize> = linked
                    .iter()
                    .copied()
                    .filter(|&s| is_usmca(plan.roles[s].1) == group)
                    .collect();
                let cover = if group { REGIONAL_COVER } else { 1.0 };
                for &s in &members {
                    let each = cover * x / members.len() as f64;
                    bump(&mut r.made[s], c, each);
                    if let Some(&i) = r.index.get(&(s, To::Site(a))) {
                        r.flow[i] += each;
                        r.typical[i] += x / total;
                    }
                }
            }
        }
    }
    let share = plan
        .makes
        .iter()
        .enumerate()
        .map(|(s, list)| {
            list.iter()
                .map(|&p| (p, r.made[s].get(&p).copied().unwrap_or(0.0)))
                .collect()
        })
        .collect();
    let need = need.into_iter().map(|m| m.into_iter().collect()).collect();
    Sizing {
        share,
        need,
        flow: r.flow,
        typical: r.typical,
        peak,
    }
}
