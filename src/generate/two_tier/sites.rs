//! Sites of the two-tier network, sized against what the tier below them needs.

use super::super::rng::Rng;
use super::super::round;
use super::super::tables::{is_usmca, COUNTRIES, MX};
use super::routing::Sizing;
use super::{Make, PerPeriod, Product, Role, Site, Tier, REGIONAL_COMPONENT_PREMIUM};

/// Module plant cities, by country.
const MODULE_CITIES_MX: &[&str] = &[
    "saltillo",
    "ramos-arizpe",
    "queretaro",
    "silao",
    "san-luis-potosi",
    "apodaca",
];
const MODULE_CITIES_US: &[&str] = &["smyrna", "lordstown", "warren", "holland"];
/// Border crossings on the US side.
const HUB_CITIES: &[&str] = &[
    "laredo",
    "el-paso",
    "eagle-pass",
    "pharr",
    "nogales",
    "otay-mesa",
    "santa-teresa",
    "del-rio",
];
const PACK_CITIES: &[&str] = &[
    "spartanburg",
    "hagerstown",
    "chattanooga",
    "kokomo",
    "georgetown",
    "marysville",
    "lansing",
    "huntsville",
];

/// The named resource a product loads at the site that makes it, and its hours per
/// unit (cell formation channels, the board SMT line, the module laser welder, the
/// pack end-of-line tester).
fn resource(rng: &mut Rng, tier: Tier) -> (&'static str, f64) {
    match tier {
        Tier::Cell => ("formation", round(rng.range(0.01, 0.03), 4)),
        Tier::Board => ("smt-line", round(rng.range(0.02, 0.05), 4)),
        Tier::Module => ("laser-welder", round(rng.range(0.08, 0.15), 3)),
        Tier::Pack => ("eol-tester", round(rng.range(0.3, 0.6), 3)),
    }
}

/// Rounds capacity up to tens, at least 10.
fn tens(x: f64) -> f64 {
    (x / 10.0).ceil().max(1.0) * 10.0
}

/// Regular capacity as one number or, at one site in four, seasonal staffing ±5%.
fn seasonal(rng: &mut Rng, regular: f64, n_t: usize) -> PerPeriod {
    if !rng.chance(0.25) {
        return PerPeriod::One(regular);
    }
    let phase = rng.range(0.0, 12.0);
    PerPeriod::Each(
        (0..n_t)
            .map(|t| {
                let x = (2.0 * std::f64::consts::PI * (t as f64 + phase) / 12.0).sin();
                (regular * (1.0 + 0.05 * x)).round()
            })
            .collect(),
    )
}

/// A named resource's capacity: a number or, one time in four, a list with a
/// maintenance period at 70%.
fn maintained(rng: &mut Rng, capacity: f64, n_t: usize) -> PerPeriod {
    if n_t < 2 || !rng.chance(0.25) {
        return PerPeriod::One(capacity);
    }
    let down = rng.below(n_t);
    PerPeriod::Each(
        (0..n_t)
            .map(|t| {
                if t == down {
                    (0.7 * capacity).round()
                } else {
                    capacity
                }
            })
            .collect(),
    )
}

/// Overtime of a North American site: 12% of regular hours, cheaper in Mexico.
fn overtime(rng: &mut Rng, country: usize, regular: f64) -> (f64, f64) {
    let cost = if country == MX {
        rng.range(18.0, 30.0)
    } else {
        rng.range(45.0, 80.0)
    };
    ((regular * 0.12).round().max(1.0), cost.round())
}

/// The sites, and the Mexican supplier's contract (site, min, max units per period).
pub(super) fn sites(
    rng: &mut Rng,
    products: &[Product],
    roles: &[(Role, usize)],
    makes: &[Vec<usize>],
    sizing: &Sizing,
    n_t: usize,
) -> (Vec<Site>, Option<(usize, f64, f64)>) {
    let mut sites = Vec::with_capacity(roles.len());
    let mut contract = None;
    for (s, &(role, country)) in roles.iter().enumerate() {
        let c = &COUNTRIES[country];
        let na = is_usmca(country);
        let share = &sizing.share[s];
        let (city, word) = match role {
            Role::Supplier => {
                let has = |tier: Tier| makes[s].iter().any(|&p| products[p].tier == tier);
                let word = match (has(Tier::Cell), has(Tier::Board)) {
                    (true, false) => "cells",
                    (false, true) => "boards",
                    _ => "components",
                };
                (*rng.pick(c.cities), word)
            }
            Role::ModulePlant if country == MX => (*rng.pick(MODULE_CITIES_MX), "modules"),
            Role::ModulePlant => (*rng.pick(MODULE_CITIES_US), "modules"),
            Role::Hub => (*rng.pick(HUB_CITIES), "dc"),
            Role::PackPlant => (*rng.pick(PACK_CITIES), "packs"),
        };
        let mut site = Site {
            id: format!("{city}-{word}-{:03}", s + 1),
            country,
            role,
            makes: Vec::new(),
            capacity: None,
            resources: Vec::new(),
            throughput: None,
            overtime: None,
            last_load: None,
            initial: Vec::new(),
            holding: Vec::new(),
            inventory_capacity: None,
            product_capacity: Vec::new(),
            final_stock: Vec::new(),
            busy: 0.0,
        };
        if role == Role::Hub {
            // Throughput and stock follow the lanes (see `lanes::finish_hubs`).
            sites.push(site);
            continue;
        }
        // The first supplier (Chinese), and some other overseas ones, run on named
        // resources alone: no labour capacity, so no overtime, ramp or load band.
        let resource_only =
            role == Role::Supplier && !na && (s == 0 || (s >= 2 && rng.chance(0.4)));
        let premium = if role == Role::Supplier && na {
            REGIONAL_COMPONENT_PREMIUM
        } else {
            1.0
        };
        let mut load = 0.0;
        let mut resource_load: Vec<(&'static str, f64)> = Vec::new();
        for &(p, x) in share {
            let pr = &products[p];
            let decimals = if pr.tier.is_component() { 4 } else { 2 };
            let rate = (!resource_only)
                .then(|| round(pr.rate * rng.range(0.85, 1.2), decimals).max(0.001));
            let base = if pr.tier.is_component() {
                pr.unit_value
            } else {
                pr.value_added(products)
            };
            let cost = round(
                base * pr.cost_share * c.cost_factor * premium * rng.range(0.9, 1.1),
                2,
            );
            let (name, uses) = resource(rng, pr.tier);
            load += rate.unwrap_or(0.0) * x;
            match resource_load.iter_mut().find(|(r, _)| *r == name) {
                Some(entry) => entry.1 += uses * x,
                None => resource_load.push((name, uses * x)),
            }
            site.makes.push(Make {
                product: p,
                rate,
                cost,
                uses: vec![(name, uses)],
            });
        }
        let regular = tens(load * rng.range(1.15, 1.5));
        if !resource_only {
            site.busy = load / regular;
            site.capacity = Some(seasonal(rng, regular, n_t));
            if na && rng.chance(if role == Role::Supplier { 0.4 } else { 0.6 }) {
                site.overtime = Some(overtime(rng, country, regular));
            }
        }
        for (name, used) in resource_load {
            let capacity = tens(used * rng.range(1.15, 1.5));
            site.busy = site.busy.max(used / capacity);
            site.resources.push((name, maintained(rng, capacity, n_t)));
        }
        let output = sizing.output(s);
        for &(p, _) in share {
            let rate = if products[p].tier == Tier::Pack {
                0.01
            } else {
                0.015
            };
            site.holding
                .push((p, round(products[p].unit_value * rate, 2)));
        }
        match role {
            Role::Supplier => {
                // The first Mexican supplier has a shelter contract: a take-or-pay
                // minimum well inside capacity, and no cap on its storage, so that
                // what it must make can always be kept.
                if s == 1 {
                    let min = (0.15 * output).floor().max(1.0);
                    contract = Some((s, min, (3.0 * output).ceil().max(min + 1.0)));
                } else {
                    if !resource_only && rng.chance(0.5) {
                        site.last_load = Some((regular * 0.65).round());
                    }
                    supplier_stock(rng, &mut site, share, regular, output);
                }
            }
            Role::ModulePlant | Role::PackPlant => {
                // The first pack plant always keeps a year-end stock of its first pack.
                let first =
                    role == Role::PackPlant && !roles[..s].iter().any(|r| r.0 == Role::PackPlant);
                plant_stock(rng, &mut site, products, share, &sizing.need[s], n_t, first);
            }
            Role::Hub => {}
        }
        sites.push(site);
    }
    (sites, contract)
}

/// A supplier's stock: some initial stock, and at three sites in ten a storage cap
/// that holds at least a period and a half of output (more than the ramp-down from
/// `last_load` makes), on top of the initial stock.
fn supplier_stock(
    rng: &mut Rng,
    site: &mut Site,
    share: &[(usize, f64)],
    regular: f64,
    output: f64,
) {
    if rng.chance(0.3) {
        for &(p, x) in share {
            if rng.chance(0.5) {
                let q = (x * rng.range(0.2, 1.0)).round();
                if q > 0.0 {
                    site.initial.push((p, q));
                }
            }
        }
    }
    if rng.chance(0.3) {
        let min_rate = site
            .makes
            .iter()
            .filter_map(|m| m.rate)
            .fold(f64::INFINITY, f64::min);
        let forced = if min_rate.is_finite() {
            regular / min_rate
        } else {
            0.0
        };
        let initial: f64 = site.initial.iter().map(|x| x.1).sum();
        site.inventory_capacity = Some(PerPeriod::One(
            (1.5 * forced.max(output) + initial).ceil().max(1.0),
        ));
    }
}

/// A plant's stock: components and finished goods at hand, caps per product that hold
/// the initial stock, and at pack plants a year-end safety stock (`final`) no larger
/// than the initial stock, so keeping that stock meets it (always for the first
/// product when `first`).
fn plant_stock(
    rng: &mut Rng,
    site: &mut Site,
    products: &[Product],
    share: &[(usize, f64)],
    need: &[(usize, f64)],
    n_t: usize,
    first: bool,
) {
    for &(c, x) in need {
        site.holding
            .push((c, round(products[c].unit_value * 0.015, 2)));
        if rng.chance(0.4) {
            let q = (x * rng.range(0.1, 0.5)).round();
            if q > 0.0 {
                site.initial.push((c, q));
            }
        }
    }
    site.holding.sort_by_key(|&(p, _)| p);
    let pack_plant = site.role == Role::PackPlant;
    for (i, &(p, x)) in share.iter().enumerate() {
        let keep = first && i == 0;
        let mut initial = 0.0;
        if rng.chance(if pack_plant { 0.7 } else { 0.3 }) || keep {
            initial = (x * rng.range(0.2, 0.5)).round().max(1.0);
            site.initial.push((p, initial));
        }
        if pack_plant && initial > 0.0 && (rng.chance(0.6) || keep) {
            site.final_stock.push((
                p,
                (initial * rng.range(0.3, 0.8))
                    .round()
                    .max(1.0)
                    .min(initial),
            ));
        }
        let cap = (x * rng.range(0.5, 1.2)).ceil().max(initial).max(1.0);
        site.product_capacity.push((p, cap));
    }
    site.initial.sort_by_key(|&(p, _)| p);
    if rng.chance(0.6) {
        let initial: f64 = site.initial.iter().map(|x| x.1).sum();
        let flow: f64 =
            need.iter().map(|x| x.1).sum::<f64>() + share.iter().map(|x| x.1).sum::<f64>();
        let cap = (2.0 * initial + flow * rng.range(0.6, 1.0)).ceil().max(1.0);
        site.inventory_capacity = Some(if rng.chance(0.5) || n_t < 2 {
            PerPeriod::One(cap)
        } else {
            // More room in the last quarter of the year, ahead of the spring peak.
            PerPeriod::Each(
                (0..n_t)
                    .map(|t| {
                        if t % 12 >= 9 {
                            (1.25 * cap).ceil()
                        } else {
                            cap
                        }
                    })
                    .collect(),
            )
        });
    }
}
