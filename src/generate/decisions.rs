//! Decisions over the horizon for a generated scenario (`generate --decisions`): sites
//! that may open and close, fixed costs, expansions of the busiest sites, minimum runs
//! and a take-or-pay contract with an overseas site.
//!
//! Drawn from a stream of their own, after the rest of the scenario: without
//! `--decisions` nothing here runs and the files are exactly as before.
//!
//! Feasible by construction, like the rest: a site that may open or close never has a
//! `site_volume` minimum (it could be closed) and, when it starts closed, no
//! `last_load` (the ramp limit would force load at a closed site); a minimum run needs at
//! most a fifth of every resource it loads, so a site can always step down to it and
//! from it to nothing within a 25% ramp limit, and its site has no `site_volume`
//! minimum either; the contract's minimum is priced (`shortfall_cost`), never hard, and
//! its maximum is met by shipping nothing.

use std::fmt::Write as _;

use super::rng::Rng;
use super::{fmt, round};

/// What the drawing needs to know of a site.
pub(super) struct SiteFacts {
    /// The default resource's smallest capacity over the periods; `None` without one.
    pub capacity: Option<f64>,
    /// Named resources: name and smallest capacity over the periods.
    pub resources: Vec<(&'static str, f64)>,
    /// Expected load over capacity (the busiest resource), for picking expansions.
    pub busy: f64,
    /// Under a `site_volume` minimum: it must produce, so it never closes and has no
    /// minimum run.
    pub forced: bool,
    /// Outside USMCA.
    pub overseas: bool,
    /// What it makes.
    pub makes: Vec<MakeFacts>,
}

pub(super) struct MakeFacts {
    pub product: usize,
    /// Default-resource hours per unit (0 for none).
    pub rate: f64,
    /// Named resources loaded per unit.
    pub uses: Vec<(&'static str, f64)>,
    pub unit_value: f64,
    /// May be shipped on (not excluded by a hard policy wherever it goes).
    pub shippable: bool,
}

impl SiteFacts {
    /// The most of `make` the site could make in a period on each resource it loads;
    /// `None` when it loads none.
    fn most(&self, make: &MakeFacts) -> Option<f64> {
        let mut most = f64::INFINITY;
        if make.rate > 0.0 {
            most = most.min(self.capacity? / make.rate);
        }
        for &(name, used) in &make.uses {
            if used > 0.0 {
                let cap = self.resources.iter().find(|r| r.0 == name)?.1;
                most = most.min(cap / used);
            }
        }
        most.is_finite().then_some(most)
    }

    /// The site's size in capacity units: the default resource, else its largest
    /// named resource.
    fn size(&self) -> f64 {
        self.capacity
            .unwrap_or_else(|| self.resources.iter().map(|r| r.1).fold(0.0, f64::max))
    }
}

/// `open:` of a site.
pub(super) struct Open {
    pub initially: bool,
    pub opening_cost: f64,
    pub closing_cost: f64,
}

pub(super) struct Expansion {
    pub name: String,
    /// `None`: the default resource.
    pub resource: Option<&'static str>,
    pub capacity: f64,
    pub cost: f64,
    /// The first period it may be built in.
    pub from: usize,
}

#[derive(Default)]
pub(super) struct SiteDecisions {
    pub fixed_cost: Option<f64>,
    pub open: Option<Open>,
    pub expansions: Vec<Expansion>,
}

pub(super) struct Contract {
    pub site: usize,
    pub products: Vec<usize>,
    pub min: f64,
    pub max: f64,
    pub shortfall_cost: f64,
}

/// Every decision of a generated scenario.
pub(super) struct Decisions {
    /// [site]
    pub sites: Vec<SiteDecisions>,
    /// (site, product, min_run), ascending.
    pub min_run: Vec<(usize, usize, f64)>,
    pub contracts: Vec<Contract>,
}

impl Decisions {
    /// Whether `site` starts closed (and so must not have a `last_load`).
    pub(super) fn starts_closed(&self, site: usize) -> bool {
        self.sites[site].open.as_ref().is_some_and(|o| !o.initially)
    }

    /// The minimum run of `product` at `site`, if any.
    pub(super) fn min_run(&self, site: usize, product: usize) -> Option<f64> {
        self.min_run
            .iter()
            .find(|&&(s, p, _)| s == site && p == product)
            .map(|r| r.2)
    }
}

/// Draws the decisions of a scenario with `n_t` periods whose sites are `sites`.
pub(super) fn draw(seed: u64, sites: &[SiteFacts], n_t: usize) -> Decisions {
    // A stream of its own: the scenario's other draws are untouched.
    let mut rng = Rng::new(seed ^ 0x0DEC_1510_0000_0003);
    let mut out = Decisions {
        sites: (0..sites.len()).map(|_| SiteDecisions::default()).collect(),
        min_run: Vec::new(),
        contracts: Vec::new(),
    };
    let producing: Vec<usize> = (0..sites.len())
        .filter(|&s| !sites[s].makes.is_empty() && sites[s].size() > 0.0)
        .collect();

    // Expansions: one, or two from 10 sites on, on the busiest sites (ties by index).
    let mut busiest: Vec<usize> = producing.clone();
    busiest.sort_by(|&a, &b| sites[b].busy.total_cmp(&sites[a].busy).then(a.cmp(&b)));
    let n_expansions = if sites.len() >= 10 { 2 } else { 1 };
    let expanded: Vec<usize> = busiest.iter().copied().take(n_expansions).collect();
    for (k, &s) in expanded.iter().enumerate() {
        let site = &sites[s];
        // The default resource where there is one; the busiest named resource else.
        let (resource, base) = match site.capacity {
            Some(cap) => (None, cap),
            None => {
                let Some(&(name, cap)) = site.resources.iter().max_by(|a, b| a.1.total_cmp(&b.1))
                else {
                    continue;
                };
                (Some(name), cap)
            }
        };
        let capacity = tens(base * rng.range(0.25, 0.4));
        let from = if n_t >= 4 {
            n_t / 4 + rng.below(n_t / 4)
        } else {
            0
        };
        // The capital charge: a few dollars per capacity unit and period it could serve.
        let cost = step(capacity * (n_t - from) as f64 * rng.range(2.0, 5.0), 1000.0).max(1000.0);
        out.sites[s].expansions.push(Expansion {
            name: format!("line-{}", k + 2),
            resource,
            capacity,
            cost,
            from,
        });
    }

    // Sites that may open and close: about one in five of the others, never one that
    // must produce; the first starts closed (a new plant), the others start closed one
    // time in two.
    let candidates: Vec<usize> = producing
        .iter()
        .copied()
        .filter(|&s| !sites[s].forced && !expanded.contains(&s))
        .collect();
    if !candidates.is_empty() {
        let k = (sites.len() / 5).clamp(1, candidates.len());
        for (i, pick) in rng.subset(candidates.len(), k).into_iter().enumerate() {
            let s = candidates[pick];
            let size = sites[s].size();
            out.sites[s].open = Some(Open {
                initially: i > 0 && rng.chance(0.5),
                opening_cost: step(size * rng.range(15.0, 30.0), 1000.0),
                closing_cost: step(size * rng.range(8.0, 15.0), 1000.0),
            });
            out.sites[s].fixed_cost = Some(step(size * rng.range(2.0, 5.0), 100.0).max(100.0));
        }
    }
    // A fixed cost (a constant: always open) at about a third of the other sites.
    for &s in &producing {
        if out.sites[s].open.is_none() && rng.chance(0.33) {
            let cost = step(sites[s].size() * rng.range(1.0, 3.0), 100.0).max(100.0);
            out.sites[s].fixed_cost = Some(cost);
        }
    }

    // Minimum runs on a few makes: up to 3, at sites without a volume minimum, each at
    // most a fifth of what the site could make of it in a period.
    let makes: Vec<(usize, usize)> = producing
        .iter()
        .filter(|&&s| !sites[s].forced)
        .flat_map(|&s| (0..sites[s].makes.len()).map(move |m| (s, m)))
        .filter(|&(s, m)| sites[s].most(&sites[s].makes[m]).is_some())
        .collect();
    if !makes.is_empty() {
        let k = (sites.len() / 4).clamp(1, 3).min(makes.len());
        for pick in rng.subset(makes.len(), k) {
            let (s, m) = makes[pick];
            let make = &sites[s].makes[m];
            let Some(most) = sites[s].most(make) else {
                continue;
            };
            let min_run = (most * rng.range(0.08, 0.2)).floor();
            if min_run >= 1.0 {
                out.min_run.push((s, make.product, min_run));
            }
        }
        out.min_run.sort_by_key(|&(s, p, _)| (s, p));
    }

    // A take-or-pay contract with an overseas site, on what it may ship: a minimum over
    // the horizon of 15–30% of what it could make of them, at most twice that, and a
    // price per unit short.
    let overseas: Vec<usize> = producing
        .iter()
        .copied()
        .filter(|&s| sites[s].overseas && sites[s].makes.iter().any(|m| m.shippable))
        .collect();
    if !overseas.is_empty() {
        let s = *rng.pick(&overseas);
        let site = &sites[s];
        let covered: Vec<&MakeFacts> = site.makes.iter().filter(|m| m.shippable).collect();
        let per_period =
            covered.iter().filter_map(|m| site.most(m)).sum::<f64>() / covered.len() as f64;
        let value = covered.iter().map(|m| m.unit_value).sum::<f64>() / covered.len() as f64;
        let min = (per_period * n_t as f64 * rng.range(0.15, 0.3))
            .round()
            .max(1.0);
        out.contracts.push(Contract {
            site: s,
            products: covered.iter().map(|m| m.product).collect(),
            min,
            max: 2.0 * min,
            shortfall_cost: round(value * rng.range(0.02, 0.06), 2).max(0.01),
        });
    }
    out
}

/// Rounds capacity to tens, at least 10.
fn tens(x: f64) -> f64 {
    step(x, 10.0).max(10.0)
}

/// Rounds to a multiple of `unit`.
fn step(x: f64, unit: f64) -> f64 {
    (x / unit).round() * unit
}

/// The decision keys of a site, as lines indented by four spaces.
pub(super) fn site_yaml(out: &mut String, d: &SiteDecisions, periods: &[String]) {
    if let Some(cost) = d.fixed_cost {
        let _ = writeln!(out, "    fixed_cost: {}", fmt(cost));
    }
    if let Some(open) = &d.open {
        let _ = writeln!(
            out,
            "    open: {{initially: {}, opening_cost: {}, closing_cost: {}}}",
            open.initially,
            fmt(open.opening_cost),
            fmt(open.closing_cost)
        );
    }
    if !d.expansions.is_empty() {
        out.push_str("    expansions:\n");
        for e in &d.expansions {
            let _ = write!(out, "      - {{name: {}", e.name);
            if let Some(resource) = e.resource {
                let _ = write!(out, ", resource: {resource}");
            }
            let _ = writeln!(
                out,
                ", capacity: {}, cost: {}, from: {}}}",
                fmt(e.capacity),
                fmt(e.cost),
                periods[e.from]
            );
        }
    }
}

/// The `contracts:` list, after the lanes.
pub(super) fn contracts_yaml(
    out: &mut String,
    d: &Decisions,
    site_id: impl Fn(usize) -> String,
    product_id: impl Fn(usize) -> String,
) {
    if d.contracts.is_empty() {
        return;
    }
    out.push_str(
        "\n# Take-or-pay: units shipped from the site over the horizon; each unit short of\n\
         # min costs shortfall_cost.\n\
         contracts:\n",
    );
    for c in &d.contracts {
        let site = site_id(c.site);
        let products: Vec<String> = c.products.iter().map(|&p| product_id(p)).collect();
        let _ = writeln!(
            out,
            "  - {{name: {site}-take-or-pay, site: {site}, products: [{}], min: {}, max: {}, per: horizon, shortfall_cost: {}}}",
            products.join(", "),
            fmt(c.min),
            fmt(c.max),
            fmt(c.shortfall_cost)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(capacity: f64, busy: f64, forced: bool, overseas: bool) -> SiteFacts {
        SiteFacts {
            capacity: Some(capacity),
            resources: vec![("welder", capacity / 4.0)],
            busy,
            forced,
            overseas,
            makes: vec![
                MakeFacts {
                    product: 0,
                    rate: 2.0,
                    uses: vec![("welder", 0.1)],
                    unit_value: 100.0,
                    shippable: true,
                },
                MakeFacts {
                    product: 1,
                    rate: 1.0,
                    uses: Vec::new(),
                    unit_value: 300.0,
                    shippable: !overseas,
                },
            ],
        }
    }

    #[test]
    fn decisions_follow_the_rules_of_feasibility() {
        for seed in 0..50 {
            let sites: Vec<SiteFacts> = (0..12)
                .map(|s| site(1000.0 + 100.0 * s as f64, s as f64 / 12.0, s == 1, s >= 9))
                .collect();
            let d = draw(seed, &sites, 12);
            // The two busiest sites are expanded, from a quarter of the horizon on.
            let expanded: Vec<usize> = (0..12)
                .filter(|&s| !d.sites[s].expansions.is_empty())
                .collect();
            assert_eq!(expanded, [10, 11]);
            for s in &expanded {
                let e = &d.sites[*s].expansions[0];
                assert!((3..6).contains(&e.from), "{}", e.from);
                assert!(e.capacity >= 0.25 * sites[*s].size() - 5.0);
            }
            // Some sites may open; the first starts closed; never the forced one.
            let open: Vec<usize> = (0..12).filter(|&s| d.sites[s].open.is_some()).collect();
            assert_eq!(open.len(), 2, "{seed}");
            assert!(!open.contains(&1));
            assert!(open.iter().any(|&s| d.starts_closed(s)));
            assert!(open.iter().all(|&s| d.sites[s].fixed_cost.is_some()));
            // Minimum runs: at most a fifth of a period's output, never at the forced site.
            assert!(!d.min_run.is_empty() && d.min_run.len() <= 3);
            for &(s, p, m) in &d.min_run {
                assert_ne!(s, 1);
                let make = sites[s].makes.iter().find(|x| x.product == p).unwrap();
                assert!(m >= 1.0 && m <= 0.2 * sites[s].most(make).unwrap());
            }
            // One contract, overseas, on what it may ship, priced below its minimum.
            assert_eq!(d.contracts.len(), 1);
            let c = &d.contracts[0];
            assert!(c.site >= 9);
            assert_eq!(c.products, [0]);
            assert!(c.min >= 1.0 && c.max == 2.0 * c.min && c.shortfall_cost > 0.0);
        }
    }

    #[test]
    fn no_overseas_site_no_contract() {
        let sites: Vec<SiteFacts> = (0..3).map(|s| site(500.0, 0.5, false, s > 5)).collect();
        let d = draw(1, &sites, 2);
        assert!(d.contracts.is_empty());
        // With two periods an expansion may be built from the first.
        assert_eq!(d.sites[0].expansions[0].from, 0);
    }
}
