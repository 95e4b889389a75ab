//! Production and load per site, country and product, the volume that moved between
//! sites and countries, and the site-periods at full capacity.

use std::collections::{BTreeMap, BTreeSet};

use crate::plan::comparison::{
    CapacityLimits, CountryDelta, Delta, Presence, ProductUnits, SiteDelta, SitePeriodRef,
    VolumeMove, RELATIVE_TOLERANCE,
};
use crate::plan::Plan;

/// What [`volumes_of`] finds.
#[derive(Default)]
pub struct Volumes {
    pub sites: Vec<SiteDelta>,
    pub countries: Vec<CountryDelta>,
    pub products: Vec<ProductUnits>,
    pub total: Option<Delta>,
    pub site_moves: Vec<VolumeMove>,
    pub country_moves: Vec<VolumeMove>,
}

/// Per-site totals of one plan over the compared periods.
#[derive(Default, Clone)]
struct SiteTotals {
    country: String,
    units: BTreeMap<String, f64>,
    load: f64,
    capacity: f64,
    overtime: f64,
}

impl SiteTotals {
    fn total_units(&self) -> f64 {
        self.units.values().sum()
    }
}

/// Ids in order of first appearance, old plan first.
pub fn ordered<'a>(
    old: impl Iterator<Item = &'a str>,
    new: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for id in old.chain(new) {
        if seen.insert(id) {
            out.push(id.to_string());
        }
    }
    out
}

fn site_totals(plan: &Plan, in_scope: &dyn Fn(&str) -> bool) -> BTreeMap<String, SiteTotals> {
    let mut out: BTreeMap<String, SiteTotals> = BTreeMap::new();
    for site in &plan.sites {
        let t = out.entry(site.id.clone()).or_default();
        t.country = site.country.clone();
        for p in site.periods.iter().filter(|p| in_scope(&p.period)) {
            t.load += p.load;
            t.capacity += p.capacity;
            t.overtime += p.overtime;
        }
    }
    for row in plan.production.iter().filter(|r| in_scope(&r.period)) {
        let t = out.entry(row.site.clone()).or_default();
        *t.units.entry(row.product.clone()).or_default() += row.quantity;
    }
    out
}

pub fn volumes_of(old: &Plan, new: &Plan, in_scope: &dyn Fn(&str) -> bool) -> Volumes {
    let a = site_totals(old, in_scope);
    let b = site_totals(new, in_scope);
    let site_ids = ordered(
        old.sites
            .iter()
            .map(|s| s.id.as_str())
            .chain(old.production.iter().map(|r| r.site.as_str())),
        new.sites
            .iter()
            .map(|s| s.id.as_str())
            .chain(new.production.iter().map(|r| r.site.as_str())),
    );
    let product_ids = ordered(
        old.production.iter().map(|r| r.product.as_str()),
        new.production.iter().map(|r| r.product.as_str()),
    );
    let empty = SiteTotals::default();
    let country_of = |id: &str| -> String {
        b.get(id)
            .map(|t| t.country.clone())
            .filter(|c| !c.is_empty())
            .or_else(|| a.get(id).map(|t| t.country.clone()))
            .unwrap_or_default()
    };

    let mut sites = Vec::new();
    for id in &site_ids {
        let (x, y) = (a.get(id), b.get(id));
        let presence = match (x, y) {
            (Some(_), Some(_)) => Presence::Both,
            (Some(_), None) => Presence::OldOnly,
            _ => Presence::NewOnly,
        };
        let (x, y) = (x.unwrap_or(&empty), y.unwrap_or(&empty));
        let products = product_ids
            .iter()
            .map(|p| ProductUnits {
                product: p.clone(),
                delta: Delta::new(
                    x.units.get(p).copied().unwrap_or(0.0),
                    y.units.get(p).copied().unwrap_or(0.0),
                ),
            })
            .filter(|p| p.delta.changed())
            .collect();
        sites.push(SiteDelta {
            site: id.clone(),
            country: country_of(id),
            presence,
            units: Delta::new(x.total_units(), y.total_units()),
            load: Delta::new(x.load, y.load),
            capacity: Delta::new(x.capacity, y.capacity),
            overtime: Delta::new(x.overtime, y.overtime),
            products,
        });
    }

    let country_ids = ordered(sites.iter().map(|s| s.country.as_str()), std::iter::empty());
    let countries: Vec<CountryDelta> = country_ids
        .iter()
        .map(|c| {
            let of = |f: fn(&SiteDelta) -> Delta| {
                sites
                    .iter()
                    .filter(|s| &s.country == c)
                    .map(f)
                    .fold((0.0, 0.0), |acc, d| (acc.0 + d.old, acc.1 + d.new))
            };
            let units = of(|s| s.units);
            let load = of(|s| s.load);
            let capacity = of(|s| s.capacity);
            CountryDelta {
                country: c.clone(),
                units: Delta::new(units.0, units.1),
                load: Delta::new(load.0, load.1),
                capacity: Delta::new(capacity.0, capacity.1),
            }
        })
        .collect();

    let mut products = Vec::new();
    let mut site_moves = Vec::new();
    let mut country_moves = Vec::new();
    for p in &product_ids {
        let per_site: Vec<(String, String, Delta)> = site_ids
            .iter()
            .map(|id| {
                let units = |t: &BTreeMap<String, SiteTotals>| {
                    t.get(id)
                        .and_then(|t| t.units.get(p))
                        .copied()
                        .unwrap_or(0.0)
                };
                (id.clone(), country_of(id), Delta::new(units(&a), units(&b)))
            })
            .collect();
        let total = per_site
            .iter()
            .fold((0.0, 0.0), |acc, (_, _, d)| (acc.0 + d.old, acc.1 + d.new));
        products.push(ProductUnits {
            product: p.clone(),
            delta: Delta::new(total.0, total.1),
        });
        let site_changes: Vec<(String, String, Delta)> = per_site.clone();
        site_moves.extend(match_moves(p, &site_changes));
        let mut by_country: Vec<(String, String, Delta)> = Vec::new();
        for (_, country, d) in &per_site {
            match by_country.iter_mut().find(|(c, _, _)| c == country) {
                Some((_, _, acc)) => *acc = Delta::new(acc.old + d.old, acc.new + d.new),
                None => by_country.push((country.clone(), country.clone(), *d)),
            }
        }
        country_moves.extend(match_moves(p, &by_country));
    }
    let sort = |moves: &mut Vec<VolumeMove>| {
        moves.sort_by(|x, y| {
            y.units
                .total_cmp(&x.units)
                .then_with(|| x.product.cmp(&y.product))
                .then_with(|| x.from.cmp(&y.from))
                .then_with(|| x.to.cmp(&y.to))
        })
    };
    sort(&mut site_moves);
    sort(&mut country_moves);
    let total = products.iter().fold((0.0, 0.0), |acc, p| {
        (acc.0 + p.delta.old, acc.1 + p.delta.new)
    });
    Volumes {
        sites,
        countries,
        products,
        total: Some(Delta::new(total.0, total.1)),
        site_moves,
        country_moves,
    }
}

/// Largest decreases matched to largest increases, for one product. `changes` holds
/// (place, country, delta); a place's country is itself for country-level matching.
pub fn match_moves(product: &str, changes: &[(String, String, Delta)]) -> Vec<VolumeMove> {
    let pick = |sign: f64| {
        let mut v: Vec<(&str, &str, f64)> = changes
            .iter()
            .filter(|(_, _, d)| d.changed() && d.change * sign > 0.0)
            .map(|(id, c, d)| (id.as_str(), c.as_str(), d.change.abs()))
            .collect();
        v.sort_by(|x, y| y.2.total_cmp(&x.2).then_with(|| x.0.cmp(y.0)));
        v
    };
    let mut down = pick(-1.0);
    let mut up = pick(1.0);
    let mut moves = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < down.len() && j < up.len() {
        let amount = down[i].2.min(up[j].2);
        let scale = down[i].2.max(up[j].2).max(1.0);
        if amount > RELATIVE_TOLERANCE * scale {
            moves.push(VolumeMove {
                product: product.to_string(),
                units: amount,
                from: down[i].0.to_string(),
                from_country: down[i].1.to_string(),
                to: up[j].0.to_string(),
                to_country: up[j].1.to_string(),
            });
        }
        down[i].2 -= amount;
        up[j].2 -= amount;
        if down[i].2 <= RELATIVE_TOLERANCE * scale {
            i += 1;
        }
        if up[j].2 <= RELATIVE_TOLERANCE * scale {
            j += 1;
        }
    }
    moves
}

fn full_site_periods(plan: &Plan, in_scope: &dyn Fn(&str) -> bool) -> BTreeSet<SitePeriodRef> {
    let mut out = BTreeSet::new();
    for site in &plan.sites {
        for p in site.periods.iter().filter(|p| in_scope(&p.period)) {
            let limit = p.capacity + p.overtime_capacity;
            if limit > 0.0 && p.load >= limit - RELATIVE_TOLERANCE * limit.max(1.0) {
                out.insert(SitePeriodRef {
                    site: site.id.clone(),
                    period: p.period.clone(),
                });
            }
        }
    }
    out
}

pub fn capacity_limits(old: &Plan, new: &Plan, in_scope: &dyn Fn(&str) -> bool) -> CapacityLimits {
    let a = full_site_periods(old, in_scope);
    let b = full_site_periods(new, in_scope);
    CapacityLimits {
        newly_full: b.difference(&a).cloned().collect(),
        no_longer_full: a.difference(&b).cloned().collect(),
        full_old: a.len(),
        full_new: b.len(),
    }
}
