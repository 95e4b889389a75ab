//! Lanes of the two-tier network: suppliers to plants, module plants to the border
//! hubs, hubs to pack plants, plants and hubs to markets; then the hubs' throughput and
//! stock, and the emissions budget.

use std::collections::BTreeSet;

use super::super::rng::Rng;
use super::super::round;
use super::super::tables::{is_usmca, COUNTRIES, US};
use super::sites::Sizing;
use super::{Demand, Lane, Market, PerPeriod, Product, Role, Site, Tier, To};

/// What the lanes are drawn against, with indices for the look-ups.
pub(super) struct Network<'a> {
    products: &'a [Product],
    sites: &'a [Site],
    markets: &'a [Market],
    demand: &'a [Demand],
    sizing: &'a Sizing,
    n_t: usize,
    /// Per product: the sites that make it, ascending.
    makers: Vec<Vec<usize>>,
    /// Per market: (product, average demand per period).
    wanted: Vec<Vec<(usize, f64)>>,
}

impl<'a> Network<'a> {
    pub(super) fn new(
        products: &'a [Product],
        sites: &'a [Site],
        markets: &'a [Market],
        demand: &'a [Demand],
        sizing: &'a Sizing,
        n_t: usize,
    ) -> Network<'a> {
        let mut makers = vec![Vec::new(); products.len()];
        for (s, site) in sites.iter().enumerate() {
            for m in &site.makes {
                makers[m.product].push(s);
            }
        }
        let mut wanted = vec![Vec::new(); markets.len()];
        for d in demand {
            let mean = d.quantity.iter().sum::<f64>() / n_t as f64;
            wanted[d.market].push((d.product, mean));
        }
        Network {
            products,
            sites,
            markets,
            demand,
            sizing,
            n_t,
            makers,
            wanted,
        }
    }

    fn of_role(&self, role: Role) -> Vec<usize> {
        (0..self.sites.len())
            .filter(|&s| self.sites[s].role == role)
            .collect()
    }

    fn makes(&self, s: usize, p: usize) -> bool {
        self.sites[s].makes.iter().any(|m| m.product == p)
    }

    fn made_by(&self, s: usize) -> Vec<usize> {
        self.sites[s].makes.iter().map(|m| m.product).collect()
    }

    /// Freight weight of what a site ships: its bulkiest product (a hub forwards
    /// modules).
    fn bulk(&self, s: usize) -> f64 {
        if self.sites[s].role == Role::Hub {
            return 1.0;
        }
        self.sites[s]
            .makes
            .iter()
            .map(|m| self.products[m.product].bulk)
            .fold(0.0, f64::max)
    }

    fn country(&self, to: To) -> usize {
        match to {
            To::Site(s) => self.sites[s].country,
            To::Market(m) => self.markets[m].country,
        }
    }

    /// Modules a pack plant consumes per period on average.
    fn module_need(&self, p: usize) -> f64 {
        self.sizing.need[p]
            .iter()
            .filter(|x| self.products[x.0].tier == Tier::Module)
            .map(|x| x.1)
            .sum()
    }

    /// Average demand per period in market `m` for what site `s` makes (for a hub:
    /// for every module), at least 1.
    fn market_flow(&self, s: usize, m: usize) -> f64 {
        let hub = self.sites[s].role == Role::Hub;
        self.wanted[m]
            .iter()
            .filter(|&&(p, _)| {
                if hub {
                    self.products[p].tier == Tier::Module
                } else {
                    self.makes(s, p)
                }
            })
            .map(|x| x.1)
            .sum::<f64>()
            .max(1.0)
    }

    /// What a lane from site `s` forwards per period on average, to `to`.
    fn forwarded(&self, s: usize, to: To) -> f64 {
        match to {
            To::Site(p) => self.module_need(p),
            To::Market(m) => self.market_flow(s, m),
        }
    }
}

/// Transport modes and their price, speed and emissions per unit of a module's bulk.
#[derive(Clone, Copy)]
enum Mode {
    Ocean,
    Air,
    Truck,
    Rail,
}

impl Mode {
    fn word(self) -> &'static str {
        match self {
            Mode::Ocean => "ocean",
            Mode::Air => "air",
            Mode::Truck => "truck",
            Mode::Rail => "rail",
        }
    }

    /// ($ per unit, kg CO2e per unit), per unit of bulk.
    fn price(self, rng: &mut Rng) -> (f64, f64) {
        match self {
            Mode::Ocean => (rng.range(8.0, 16.0), rng.range(3.0, 6.0)),
            Mode::Air => (rng.range(50.0, 80.0), rng.range(120.0, 200.0)),
            Mode::Truck => (rng.range(3.0, 7.0), rng.range(1.5, 4.0)),
            Mode::Rail => (rng.range(2.0, 4.0), rng.range(0.5, 1.5)),
        }
    }
}

/// Rounds a freight figure: two decimals, or four below five cents.
fn money(x: f64) -> f64 {
    if x < 0.05 {
        round(x, 4)
    } else {
        round(x, 2)
    }
}

/// A lane to draw: one in the first mode, and one in the second with probability
/// `chance` (always when `force`).
struct Link<'l> {
    from: usize,
    to: To,
    modes: (Mode, Mode),
    chance: f64,
    force: bool,
    /// Units per period on average, for the capacity.
    flow: f64,
    /// A price per product, for these products only.
    cost_map: Option<&'l [usize]>,
}

/// The lanes drawn so far, and which (origin, destination) pairs they join.
struct Builder<'n, 'a> {
    net: &'n Network<'a>,
    lanes: Vec<Lane>,
    pairs: BTreeSet<(usize, To)>,
}

impl Builder<'_, '_> {
    fn has(&self, from: usize, to: To) -> bool {
        self.pairs.contains(&(from, to))
    }

    /// The sites that site `from` has a lane to.
    fn site_targets(&self, from: usize) -> Vec<usize> {
        self.pairs
            .range((from, To::Site(0))..(from, To::Market(0)))
            .filter_map(|&(_, to)| match to {
                To::Site(s) => Some(s),
                To::Market(_) => None,
            })
            .collect()
    }

    /// Whether site `k` reaches `to` directly or through one of `hubs`.
    fn reaches(&self, k: usize, to: To, hubs: &[usize]) -> bool {
        self.has(k, to)
            || self
                .site_targets(k)
                .iter()
                .any(|&h| hubs.binary_search(&h).is_ok() && self.has(h, to))
    }

    fn add(&mut self, rng: &mut Rng, link: Link) {
        let net = self.net;
        let bulk = match link.cost_map {
            Some(list) => list
                .iter()
                .map(|&p| net.products[p].bulk)
                .fold(0.0, f64::max),
            None => net.bulk(link.from),
        };
        let both = link.force || rng.chance(link.chance);
        let (first, second) = link.modes;
        let modes: &[Mode] = if both { &[first, second] } else { &[first] };
        for &mode in modes {
            let mut l = lane(rng, net, &link, mode, bulk);
            if let (Some(list), Ok(cost)) = (link.cost_map, &l.cost) {
                // One price per product: each product's share of the freight.
                let per: Vec<(usize, f64)> = list
                    .iter()
                    .map(|&p| (p, money(cost * net.products[p].bulk / bulk.max(1e-9))))
                    .collect();
                l.cost = Err(per);
            }
            self.lanes.push(l);
        }
        self.pairs.insert((link.from, link.to));
    }
}

/// One lane of `link` in `mode`, priced by where it crosses.
fn lane(rng: &mut Rng, net: &Network, link: &Link, mode: Mode, bulk: f64) -> Lane {
    let origin = net.sites[link.from].country;
    let dest = net.country(link.to);
    let (cost, emissions) = mode.price(rng);
    let tariff = match (is_usmca(origin), dest == US) {
        (true, _) => 0.0,
        (false, true) => COUNTRIES[origin].us_tariff,
        // Into Mexico or Canada: lower tariffs than into the US.
        (false, false) => COUNTRIES[origin].us_tariff * 0.4,
    };
    let duty = if origin != dest && rng.chance(0.25) {
        rng.range(0.5, 3.0) * bulk
    } else {
        0.0
    };
    let lead_time = match mode {
        Mode::Ocean => COUNTRIES[origin].lead.max(1),
        _ => 0,
    }
    .min(net.n_t.saturating_sub(1));
    // Capacity, all products together, with headroom over the busiest period; air and
    // rail take a smaller part of the flow, and two trucking lanes in five are open.
    let headroom = match mode {
        Mode::Air => rng.range(0.1, 0.25),
        Mode::Rail => rng.range(0.5, 1.0) * net.sizing.peak,
        Mode::Ocean | Mode::Truck => rng.range(1.2, 1.6) * net.sizing.peak,
    };
    let capped = match mode {
        Mode::Ocean | Mode::Air | Mode::Rail => true,
        Mode::Truck => rng.chance(0.6),
    };
    let capacity = capped.then(|| {
        let cap = (link.flow * headroom).ceil().max(1.0);
        if net.n_t >= 2 && rng.chance(0.2) {
            // A congested period at 80%.
            let slow = rng.below(net.n_t);
            PerPeriod::Each(
                (0..net.n_t)
                    .map(|t| if t == slow { (0.8 * cap).ceil() } else { cap })
                    .collect(),
            )
        } else {
            PerPeriod::One(cap)
        }
    });
    Lane {
        from: link.from,
        to: link.to,
        mode: mode.word(),
        cost: Ok(money(cost * bulk)),
        lead_time,
        tariff: round(tariff, 4),
        duty: money(duty),
        emissions: money(emissions * bulk),
        capacity,
    }
}

/// Every lane of the network, sorted by origin, destination and mode.
pub(super) fn lanes(rng: &mut Rng, net: &Network) -> Vec<Lane> {
    let mut b = Builder {
        net,
        lanes: Vec::new(),
        pairs: BTreeSet::new(),
    };
    let module_plants = net.of_role(Role::ModulePlant);
    let hubs = net.of_role(Role::Hub);
    let pack_plants = net.of_role(Role::PackPlant);
    const ROAD: (Mode, Mode) = (Mode::Truck, Mode::Rail);

    // Suppliers to the plants that use their components: for each component, one
    // regional and one overseas supplier at least, then up to three more. The first
    // module plant's first overseas supplier always has an air lane beside the ocean
    // one.
    let mut air_forced = false;
    for &a in module_plants.iter().chain(&pack_plants) {
        let need = &net.sizing.need[a];
        let components: Vec<usize> = need
            .iter()
            .map(|x| x.0)
            .filter(|&c| net.products[c].tier.is_component())
            .collect();
        let mut linked: Vec<usize> = Vec::new();
        for &c in &components {
            for regional in [true, false] {
                let makers: Vec<usize> = net.makers[c]
                    .iter()
                    .copied()
                    .filter(|&s| is_usmca(net.sites[s].country) == regional)
                    .collect();
                if !makers.is_empty() && !makers.iter().any(|s| linked.contains(s)) {
                    linked.push(*rng.pick(&makers));
                }
            }
        }
        let mut others: Vec<usize> = components
            .iter()
            .flat_map(|&c| net.makers[c].iter().copied())
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
            let flow: f64 = need
                .iter()
                .filter(|&&(c, _)| net.makes(s, c))
                .map(|x| x.1)
                .sum();
            let (modes, chance, force) = if is_usmca(net.sites[s].country) {
                (ROAD, 0.25, false)
            } else {
                let force = !air_forced && module_plants.first() == Some(&a);
                air_forced |= force;
                ((Mode::Ocean, Mode::Air), 0.2, force)
            };
            b.add(
                rng,
                Link {
                    from: s,
                    to: To::Site(a),
                    modes,
                    chance,
                    force,
                    flow,
                    cost_map: None,
                },
            );
        }
    }

    if !hubs.is_empty() {
        // Module plants to one or two hubs (the first to the first hub), priced per
        // module; then each pack plant from one or two hubs.
        for (i, &k) in module_plants.iter().enumerate() {
            let modules = net.made_by(k);
            for h in pick_hubs(rng, &hubs, i == 0) {
                b.add(
                    rng,
                    Link {
                        from: k,
                        to: To::Site(h),
                        modes: ROAD,
                        chance: 0.3,
                        force: false,
                        flow: net.sizing.output(k),
                        cost_map: Some(&modules),
                    },
                );
            }
        }
        for (i, &p) in pack_plants.iter().enumerate() {
            for h in pick_hubs(rng, &hubs, i == 0) {
                b.add(
                    rng,
                    Link {
                        from: h,
                        to: To::Site(p),
                        modes: ROAD,
                        chance: 0.3,
                        force: false,
                        flow: net.module_need(p),
                        cost_map: None,
                    },
                );
            }
        }
    }
    // Every module a pack plant uses reaches it from a maker, through a hub or direct.
    for &p in &pack_plants {
        for &(m, _) in &net.sizing.need[p] {
            if net.products[m].tier != Tier::Module {
                continue;
            }
            let makers = &net.makers[m];
            if makers.is_empty() || makers.iter().any(|&k| b.reaches(k, To::Site(p), &hubs)) {
                continue;
            }
            let k = *rng.pick(makers);
            let modules = net.made_by(k);
            let via: Vec<usize> = hubs
                .iter()
                .copied()
                .filter(|&h| b.has(h, To::Site(p)))
                .collect();
            let to = match via.is_empty() {
                true => To::Site(p),
                false => To::Site(*rng.pick(&via)),
            };
            b.add(
                rng,
                Link {
                    from: k,
                    to,
                    modes: ROAD,
                    chance: 0.0,
                    force: false,
                    flow: net.module_need(p),
                    cost_map: Some(&modules),
                },
            );
        }
    }

    // Pack plants to about half the markets that buy their packs; then whatever makes
    // every demand servable: packs from a maker, modules from a hub their maker reaches
    // (else from the maker).
    for &p in &pack_plants {
        let buyers: Vec<usize> = (0..net.markets.len())
            .filter(|&m| net.wanted[m].iter().any(|&(q, _)| net.makes(p, q)))
            .collect();
        if buyers.is_empty() {
            continue;
        }
        let k =
            ((buyers.len() as f64 * rng.range(0.35, 0.65)).round() as usize).clamp(1, buyers.len());
        for i in rng.subset(buyers.len(), k) {
            let m = buyers[i];
            b.add(
                rng,
                Link {
                    from: p,
                    to: To::Market(m),
                    modes: ROAD,
                    chance: 0.15,
                    force: false,
                    flow: net.market_flow(p, m),
                    cost_map: None,
                },
            );
        }
    }
    for d in net.demand {
        let (m, q) = (d.market, d.product);
        let makers = &net.makers[q];
        let to = To::Market(m);
        if makers.is_empty() || makers.iter().any(|&k| b.reaches(k, to, &hubs)) {
            continue;
        }
        let from = if net.products[q].tier == Tier::Pack {
            *rng.pick(makers)
        } else {
            let mut via: Vec<usize> = makers
                .iter()
                .flat_map(|&k| b.site_targets(k))
                .filter(|h| hubs.binary_search(h).is_ok())
                .collect();
            via.sort_unstable();
            via.dedup();
            if via.is_empty() {
                *rng.pick(makers)
            } else {
                *rng.pick(&via)
            }
        };
        b.add(
            rng,
            Link {
                from,
                to,
                modes: ROAD,
                chance: 0.0,
                force: false,
                flow: net.market_flow(from, m),
                cost_map: None,
            },
        );
    }
    let mut lanes = b.lanes;
    lanes.sort_by(|a, b| (a.from, a.to, a.mode).cmp(&(b.from, b.to, b.mode)));
    lanes
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

/// Lanes by origin and by destination (indices into `lanes`).
struct Ends {
    out_of: Vec<Vec<usize>>,
    into_site: Vec<Vec<usize>>,
    into_market: Vec<Vec<usize>>,
}

impl Ends {
    fn new(net: &Network, lanes: &[Lane]) -> Ends {
        let mut ends = Ends {
            out_of: vec![Vec::new(); net.sites.len()],
            into_site: vec![Vec::new(); net.sites.len()],
            into_market: vec![Vec::new(); net.markets.len()],
        };
        for (i, l) in lanes.iter().enumerate() {
            ends.out_of[l.from].push(i);
            match l.to {
                To::Site(s) => ends.into_site[s].push(i),
                To::Market(m) => ends.into_market[m].push(i),
            }
        }
        ends
    }
}

/// Products that can arrive at site `s` along the lanes (by their origin's products or
/// their cost map), ascending.
fn arriving(net: &Network, lanes: &[Lane], ends: &Ends, s: usize) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for &i in &ends.into_site[s] {
        let l = &lanes[i];
        match &l.cost {
            Err(list) => out.extend(list.iter().map(|x| x.0)),
            Ok(_) => out.extend(net.made_by(l.from)),
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// What hub `h` forwards per period on average: the modules of the pack plants and
/// markets it serves.
fn hub_forward(net: &Network, lanes: &[Lane], ends: &Ends, h: usize) -> f64 {
    let mut seen: Vec<To> = Vec::new();
    let mut total = 0.0;
    for &i in &ends.out_of[h] {
        let to = lanes[i].to;
        if !seen.contains(&to) {
            seen.push(to);
            total += net.forwarded(h, to);
        }
    }
    total.max(1.0)
}

/// Sizes each hub against what it forwards: throughput with headroom over the busiest
/// period; holding costs for what arrives, some stock at hand, and a warehouse cap
/// above it.
pub(super) fn finish_hubs(rng: &mut Rng, net: &Network, lanes: &[Lane]) -> Vec<Site> {
    let ends = Ends::new(net, lanes);
    let mut hubs = Vec::new();
    for (h, site) in net.sites.iter().enumerate() {
        if site.role != Role::Hub {
            continue;
        }
        let forward = hub_forward(net, lanes, &ends, h);
        let cap = (forward * net.sizing.peak * rng.range(1.2, 1.5)).ceil();
        let throughput = if net.n_t >= 12 && rng.chance(0.3) {
            // The December holidays slow the crossing to 85%.
            PerPeriod::Each(
                (0..net.n_t)
                    .map(|t| {
                        if t % 12 == 11 {
                            (0.85 * cap).ceil()
                        } else {
                            cap
                        }
                    })
                    .collect(),
            )
        } else {
            PerPeriod::One(cap)
        };
        let products = arriving(net, lanes, &ends, h);
        let holding: Vec<(usize, f64)> = products
            .iter()
            .map(|&p| (p, round(net.products[p].unit_value * 0.01, 2)))
            .collect();
        let mut initial = Vec::new();
        if let Some(&p) = products.first() {
            if rng.chance(0.5) {
                let q = (forward * rng.range(0.05, 0.2)).round();
                if q > 0.0 {
                    initial.push((p, q));
                }
            }
        }
        let held: f64 = initial.iter().map(|x: &(usize, f64)| x.1).sum();
        let storage = (2.0 * held + forward * rng.range(0.5, 1.0)).ceil().max(1.0);
        hubs.push(Site {
            id: site.id.clone(),
            country: site.country,
            role: Role::Hub,
            makes: Vec::new(),
            capacity: None,
            resources: Vec::new(),
            throughput: Some(throughput),
            overtime: None,
            last_load: None,
            initial,
            holding,
            inventory_capacity: Some(PerPeriod::One(storage)),
            product_capacity: Vec::new(),
            final_stock: Vec::new(),
        });
    }
    hubs
}

/// Freight emissions of a plan that serves the average demand over typical lanes (no
/// air), for the whole horizon, with 30% headroom: a cap that plans leaning on air
/// freight run into.
pub(super) fn emissions_budget(net: &Network, lanes: &[Lane]) -> f64 {
    let ends = Ends::new(net, lanes);
    // Mean emissions of the lanes in `among` that can carry `p`, times `units`.
    let over = |among: &[usize], p: usize, units: f64| -> f64 {
        let carriers: Vec<f64> = among
            .iter()
            .map(|&i| &lanes[i])
            .filter(|l| l.mode != "air" && carries(net, l, p))
            .map(|l| l.emissions)
            .collect();
        if carriers.is_empty() {
            0.0
        } else {
            units * carriers.iter().sum::<f64>() / carriers.len() as f64
        }
    };
    let mut per_period = 0.0;
    // Into each site: what it consumes (a hub: what it forwards, spread over what
    // arrives).
    for (s, site) in net.sites.iter().enumerate() {
        if site.role == Role::Hub {
            let products = arriving(net, lanes, &ends, s);
            let each = hub_forward(net, lanes, &ends, s) / products.len().max(1) as f64;
            for p in products {
                per_period += over(&ends.into_site[s], p, each);
            }
        } else {
            for &(p, units) in &net.sizing.need[s] {
                per_period += over(&ends.into_site[s], p, units);
            }
        }
    }
    // Into markets: demand, over the lanes that can deliver it.
    for (m, wanted) in net.wanted.iter().enumerate() {
        for &(p, units) in wanted {
            per_period += over(&ends.into_market[m], p, units);
        }
    }
    (1.3 * per_period * net.n_t as f64).round().max(1.0)
}

/// Whether lane `l` can carry product `p`: its cost map lists it, or its origin makes
/// it, or its origin is a hub and `p` is a module.
fn carries(net: &Network, l: &Lane, p: usize) -> bool {
    match &l.cost {
        Err(list) => list.iter().any(|x| x.0 == p),
        Ok(_) => {
            net.makes(l.from, p)
                || (net.sites[l.from].role == Role::Hub && net.products[p].tier == Tier::Module)
        }
    }
}
