//! Lanes of the two-tier network, priced by where they cross and sized for what the
//! routing sends over them; the hubs' throughput and stock; the emissions budget.

use super::super::rng::Rng;
use super::super::round;
use super::super::tables::{is_usmca, COUNTRIES, US};
use super::routing::Sizing;
use super::topology::{Link, Mode};
use super::{Lane, Market, PerPeriod, Product, Role, Site, To};

/// What the lanes are drawn against.
pub(super) struct Ctx<'a> {
    pub(super) products: &'a [Product],
    pub(super) sites: &'a [Site],
    pub(super) markets: &'a [Market],
    pub(super) links: &'a [Link],
    pub(super) sizing: &'a Sizing,
    pub(super) n_t: usize,
}

impl Ctx<'_> {
    /// Freight weight of what a link carries: its bulkiest product (a hub forwards
    /// modules).
    fn bulk(&self, link: &Link) -> f64 {
        let products: Vec<usize> = match &link.cost_map {
            Some(list) => list.clone(),
            None if self.sites[link.from].role == Role::Hub => return 1.0,
            None => self.sites[link.from]
                .makes
                .iter()
                .map(|m| m.product)
                .collect(),
        };
        products
            .iter()
            .map(|&p| self.products[p].bulk)
            .fold(0.0, f64::max)
    }

    fn country(&self, to: To) -> usize {
        match to {
            To::Site(s) => self.sites[s].country,
            To::Market(m) => self.markets[m].country,
        }
    }
}

/// ($ per unit, kg CO2e per unit) per unit of a module's bulk.
fn price(rng: &mut Rng, mode: Mode) -> (f64, f64) {
    match mode {
        Mode::Ocean => (rng.range(8.0, 16.0), rng.range(3.0, 6.0)),
        Mode::Air => (rng.range(50.0, 80.0), rng.range(120.0, 200.0)),
        Mode::Truck => (rng.range(3.0, 7.0), rng.range(1.5, 4.0)),
        Mode::Rail => (rng.range(2.0, 4.0), rng.range(0.5, 1.5)),
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

/// The lanes of every link, sorted by origin, destination and mode, and the emissions
/// budget: what the typical flows emit on each link's first lane over the horizon, with
/// 30% headroom. Plans that lean on air freight run into it.
pub(super) fn lanes(rng: &mut Rng, ctx: &Ctx) -> (Vec<Lane>, f64) {
    let mut lanes = Vec::new();
    let mut per_period = 0.0;
    for (i, link) in ctx.links.iter().enumerate() {
        let bulk = ctx.bulk(link);
        for (j, &mode) in link.modes.iter().enumerate() {
            let lane = lane(rng, ctx, link, mode, bulk, ctx.sizing.flow[i]);
            if j == 0 {
                per_period += ctx.sizing.typical[i] * lane.emissions;
            }
            lanes.push(lane);
        }
    }
    lanes.sort_by(|a, b| (a.from, a.to, a.mode).cmp(&(b.from, b.to, b.mode)));
    let budget = (1.3 * per_period * ctx.n_t as f64).round().max(1.0);
    (lanes, budget)
}

/// One lane of `link` in `mode`, sized for `flow` units per period on average.
fn lane(rng: &mut Rng, ctx: &Ctx, link: &Link, mode: Mode, bulk: f64, flow: f64) -> Lane {
    let origin = ctx.sites[link.from].country;
    let dest = ctx.country(link.to);
    let (cost, emissions) = price(rng, mode);
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
    .min(ctx.n_t.saturating_sub(1));
    // Capacity, all products together: headroom over the busiest period for the main
    // mode; air and rail take a smaller part; two trucking lanes in five are open.
    let peak = ctx.sizing.peak;
    let headroom = match mode {
        Mode::Air => rng.range(0.1, 0.25),
        Mode::Rail => rng.range(0.5, 1.0) * peak,
        Mode::Ocean | Mode::Truck => rng.range(1.2, 1.6) * peak,
    };
    let capped = mode != Mode::Truck || rng.chance(0.6);
    let capacity = capped.then(|| {
        let cap = (flow * headroom).ceil().max(1.0);
        if ctx.n_t >= 2 && rng.chance(0.2) {
            // A congested period at 80%.
            let slow = rng.below(ctx.n_t);
            PerPeriod::Each(
                (0..ctx.n_t)
                    .map(|t| if t == slow { (0.8 * cap).ceil() } else { cap })
                    .collect(),
            )
        } else {
            PerPeriod::One(cap)
        }
    });
    let cost = money(cost * bulk);
    Lane {
        from: link.from,
        to: link.to,
        mode: mode.word(),
        // A price per product: each product's part of the freight.
        cost: match &link.cost_map {
            None => Ok(cost),
            Some(list) => Err(list
                .iter()
                .map(|&p| (p, money(cost * ctx.products[p].bulk / bulk.max(1e-9))))
                .collect()),
        },
        lead_time,
        tariff: round(tariff, 4),
        duty: money(duty),
        emissions: money(emissions * bulk),
        capacity,
    }
}

/// Sizes each hub against what the routing sends through it: throughput with headroom
/// over the busiest period; holding costs for what can arrive, some stock at hand, and
/// a warehouse cap above it.
pub(super) fn finish_hubs(rng: &mut Rng, ctx: &Ctx) -> Vec<Site> {
    let mut hubs = Vec::new();
    for (h, site) in ctx.sites.iter().enumerate() {
        if site.role != Role::Hub {
            continue;
        }
        let mut products: Vec<usize> = Vec::new();
        let mut inflow = 0.0;
        for (i, link) in ctx.links.iter().enumerate() {
            if link.to != To::Site(h) {
                continue;
            }
            inflow += ctx.sizing.flow[i];
            match &link.cost_map {
                Some(list) => products.extend(list),
                None => products.extend(ctx.sites[link.from].makes.iter().map(|m| m.product)),
            }
        }
        products.sort_unstable();
        products.dedup();
        let forward = inflow.max(1.0);
        let cap = (forward * ctx.sizing.peak * rng.range(1.2, 1.5)).ceil();
        let throughput = if ctx.n_t >= 12 && rng.chance(0.3) {
            // The December holidays slow the crossing to 85%.
            PerPeriod::Each(
                (0..ctx.n_t)
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
        let holding: Vec<(usize, f64)> = products
            .iter()
            .map(|&p| (p, round(ctx.products[p].unit_value * 0.01, 2)))
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
            busy: 0.0,
        });
    }
    hubs
}
