//! Who ships to whom: the links of the two-tier network (an origin, a destination and
//! one or two transport modes), drawn before anything is sized.

use std::collections::BTreeSet;

use super::super::rng::Rng;
use super::super::tables::is_usmca;
use super::{Demand, Product, Role, Tier, To};

/// Transport modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Ocean,
    Air,
    Truck,
    Rail,
}

impl Mode {
    pub(super) fn word(self) -> &'static str {
        match self {
            Mode::Ocean => "ocean",
            Mode::Air => "air",
            Mode::Truck => "truck",
            Mode::Rail => "rail",
        }
    }
}

/// An origin and a destination joined by one lane per mode.
pub(super) struct Link {
    pub(super) from: usize,
    pub(super) to: To,
    /// One mode, or two (the first carries the bulk of the flow).
    pub(super) modes: Vec<Mode>,
    /// A price per product, for these products only; `None`: one price for all.
    pub(super) cost_map: Option<Vec<usize>>,
}

/// What the links are drawn against.
pub(super) struct Plan<'a> {
    pub(super) products: &'a [Product],
    pub(super) roles: &'a [(Role, usize)],
    pub(super) makes: &'a [Vec<usize>],
    pub(super) demand: &'a [Demand],
}

impl Plan<'_> {
    fn of_role(&self, role: Role) -> Vec<usize> {
        (0..self.roles.len())
            .filter(|&s| self.roles[s].0 == role)
            .collect()
    }

    /// Per product: the sites that make it, ascending.
    pub(super) fn makers(&self) -> Vec<Vec<usize>> {
        let mut makers = vec![Vec::new(); self.products.len()];
        for (s, list) in self.makes.iter().enumerate() {
            for &p in list {
                makers[p].push(s);
            }
        }
        makers
    }

    /// What site `s` consumes to make its products: components, ascending.
    pub(super) fn inputs(&self, s: usize) -> Vec<usize> {
        let mut out: Vec<usize> = self.makes[s]
            .iter()
            .flat_map(|&q| self.products[q].bom.iter().map(|x| x.0))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The links drawn so far, and which (origin, destination) pairs they join.
pub(super) struct Links {
    pub(super) links: Vec<Link>,
    pairs: BTreeSet<(usize, To)>,
}

impl Links {
    pub(super) fn has(&self, from: usize, to: To) -> bool {
        self.pairs.contains(&(from, to))
    }

    /// The sites that site `from` has a link to, ascending.
    pub(super) fn site_targets(&self, from: usize) -> Vec<usize> {
        self.pairs
            .range((from, To::Site(0))..(from, To::Market(0)))
            .filter_map(|&(_, to)| match to {
                To::Site(s) => Some(s),
                To::Market(_) => None,
            })
            .collect()
    }

    /// The hubs (of `hubs`, ascending) through which `k` reaches `to`.
    pub(super) fn via(&self, k: usize, to: To, hubs: &[usize]) -> Vec<usize> {
        self.site_targets(k)
            .into_iter()
            .filter(|h| hubs.binary_search(h).is_ok() && self.has(*h, to))
            .collect()
    }

    /// Whether `k` reaches `to` directly or through one of `hubs`.
    fn reaches(&self, k: usize, to: To, hubs: &[usize]) -> bool {
        self.has(k, to) || !self.via(k, to, hubs).is_empty()
    }

    /// Adds a link in `first` mode, with a second lane in `second` mode with probability
    /// `chance` (always when `force`).
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        rng: &mut Rng,
        from: usize,
        to: To,
        (first, second): (Mode, Mode),
        chance: f64,
        force: bool,
        cost_map: Option<Vec<usize>>,
    ) {
        let mut modes = vec![first];
        if force || rng.chance(chance) {
            modes.push(second);
        }
        self.links.push(Link {
            from,
            to,
            modes,
            cost_map,
        });
        self.pairs.insert((from, to));
    }
}

const ROAD: (Mode, Mode) = (Mode::Truck, Mode::Rail);
const SEA: (Mode, Mode) = (Mode::Ocean, Mode::Air);

/// Every link: suppliers to the plants that use their components; module plants to
/// border hubs and hubs to pack plants; pack plants to markets; then whatever makes
/// every module reach every pack plant that uses it and every demand servable.
pub(super) fn links(rng: &mut Rng, plan: &Plan) -> Links {
    let mut out = Links {
        links: Vec::new(),
        pairs: BTreeSet::new(),
    };
    let makers = plan.makers();
    let module_plants = plan.of_role(Role::ModulePlant);
    let hubs = plan.of_role(Role::Hub);
    let pack_plants = plan.of_role(Role::PackPlant);
    let regional = |s: usize| is_usmca(plan.roles[s].1);

    // Suppliers to plants: for each component, one regional and one overseas supplier
    // at least, then up to three more. The first module plant's first overseas
    // supplier always has an air lane beside the ocean one.
    let mut air_forced = false;
    for &a in module_plants.iter().chain(&pack_plants) {
        let components: Vec<usize> = plan
            .inputs(a)
            .into_iter()
            .filter(|&c| plan.products[c].tier.is_component())
            .collect();
        let mut linked: Vec<usize> = Vec::new();
        for &c in &components {
            for group in [true, false] {
                let candidates: Vec<usize> = makers[c]
                    .iter()
                    .copied()
                    .filter(|&s| regional(s) == group)
                    .collect();
                if !candidates.is_empty() && !candidates.iter().any(|s| linked.contains(s)) {
                    linked.push(*rng.pick(&candidates));
                }
            }
        }
        let mut others: Vec<usize> = components
            .iter()
            .flat_map(|&c| makers[c].iter().copied())
            .filter(|s| !linked.contains(s))
            .collect();
        others.sort_unstable();
        others.dedup();
        let mut extra = 0;
        for s in others {
            if extra < 3 && rng.chance(0.3) {
                linked.push(s);
                extra += 1;
            }
        }
        linked.sort_unstable();
        for s in linked {
            if regional(s) {
                out.add(rng, s, To::Site(a), ROAD, 0.25, false, None);
            } else {
                let force = !air_forced && module_plants.first() == Some(&a);
                air_forced |= force;
                out.add(rng, s, To::Site(a), SEA, 0.2, force, None);
            }
        }
    }

    // Module plants to one or two hubs (the first to the first hub), priced per module
    // (cells and boards stay at the plant); each pack plant from one or two hubs.
    if !hubs.is_empty() {
        for (i, &k) in module_plants.iter().enumerate() {
            for h in pick_hubs(rng, &hubs, i == 0) {
                out.add(
                    rng,
                    k,
                    To::Site(h),
                    ROAD,
                    0.3,
                    false,
                    Some(plan.makes[k].clone()),
                );
            }
        }
        for (i, &p) in pack_plants.iter().enumerate() {
            for h in pick_hubs(rng, &hubs, i == 0) {
                out.add(rng, h, To::Site(p), ROAD, 0.3, false, None);
            }
        }
        // No idle hub: each receives from a module plant and forwards to a pack plant.
        for &h in &hubs {
            if !module_plants.iter().any(|&k| out.has(k, To::Site(h))) {
                let k = *rng.pick(&module_plants);
                out.add(
                    rng,
                    k,
                    To::Site(h),
                    ROAD,
                    0.0,
                    false,
                    Some(plan.makes[k].clone()),
                );
            }
            if out.site_targets(h).is_empty() {
                let p = *rng.pick(&pack_plants);
                out.add(rng, h, To::Site(p), ROAD, 0.0, false, None);
            }
        }
    }
    // Every module a pack plant uses reaches it from a maker, through a hub or direct.
    for &p in &pack_plants {
        for m in plan.inputs(p) {
            if plan.products[m].tier != Tier::Module {
                continue;
            }
            let ms = &makers[m];
            if ms.is_empty() || ms.iter().any(|&k| out.reaches(k, To::Site(p), &hubs)) {
                continue;
            }
            let k = *rng.pick(ms);
            let via: Vec<usize> = hubs
                .iter()
                .copied()
                .filter(|&h| out.has(h, To::Site(p)))
                .collect();
            let to = match via.is_empty() {
                true => To::Site(p),
                false => To::Site(*rng.pick(&via)),
            };
            out.add(rng, k, to, ROAD, 0.0, false, Some(plan.makes[k].clone()));
        }
    }

    // Pack plants to about half the markets that buy their packs.
    let mut buyers: Vec<Vec<usize>> = vec![Vec::new(); plan.roles.len()];
    for d in plan.demand {
        if plan.products[d.product].tier == Tier::Pack {
            for &p in &makers[d.product] {
                if !buyers[p].contains(&d.market) {
                    buyers[p].push(d.market);
                }
            }
        }
    }
    for &p in &pack_plants {
        let list = &mut buyers[p];
        list.sort_unstable();
        if list.is_empty() {
            continue;
        }
        let k = ((list.len() as f64 * rng.range(0.35, 0.65)).round() as usize).clamp(1, list.len());
        for i in rng.subset(list.len(), k) {
            out.add(rng, p, To::Market(list[i]), ROAD, 0.15, false, None);
        }
    }
    // Every demand servable: packs from a maker; modules from a hub their maker
    // reaches, else from the maker.
    for d in plan.demand {
        let ms = &makers[d.product];
        let to = To::Market(d.market);
        if ms.is_empty() || ms.iter().any(|&k| out.reaches(k, to, &hubs)) {
            continue;
        }
        let from = if plan.products[d.product].tier == Tier::Pack {
            *rng.pick(ms)
        } else {
            let mut via: Vec<usize> = ms
                .iter()
                .flat_map(|&k| out.site_targets(k))
                .filter(|h| hubs.binary_search(h).is_ok())
                .collect();
            via.sort_unstable();
            via.dedup();
            if via.is_empty() {
                *rng.pick(ms)
            } else {
                *rng.pick(&via)
            }
        };
        out.add(rng, from, to, ROAD, 0.0, false, None);
    }
    out
}

/// One hub, or two with probability 0.4; the first hub always when `first`.
fn pick_hubs(rng: &mut Rng, hubs: &[usize], first: bool) -> Vec<usize> {
    let mut chosen = vec![if first { hubs[0] } else { *rng.pick(hubs) }];
    if hubs.len() > 1 && rng.chance(0.4) {
        let other = *rng.pick(hubs);
        if !chosen.contains(&other) {
            chosen.push(other);
        }
    }
    chosen.sort_unstable();
    chosen
}
