//! One-tier (format v1) scenarios: sites in the US, Mexico and Canada next to overseas
//! sites, each making finished products and shipping them straight to markets.

use super::decisions::{self, Decisions, MakeFacts, SiteFacts};
use super::rng::Rng;
use super::tables::{is_usmca, CN, COUNTRIES, FAMILIES, MARKETS, MX, US};
use super::{round, Generated, Spec};

mod yaml;

/// The scenario's files; `spec` is already checked.
pub(super) fn generate(spec: &Spec) -> Generated {
    let mut world = World::new(spec);
    if spec.decisions {
        world.add_decisions(spec.seed);
    }
    Generated {
        name: spec.name(),
        model: world.model_yaml(spec),
        network: world.network_yaml(),
        demand: world.demand_yaml(),
    }
}

struct ProductData {
    id: String,
    unit_value: f64,
    rate: f64,
    cost_share: f64,
    critical: bool,
    unmet_penalty: Option<f64>,
}

struct SiteData {
    id: String,
    country: usize,
    /// (product, rate, cost), products ascending.
    makes: Vec<(usize, f64, f64)>,
    capacity: Vec<f64>,
    /// Capacity given as one number (else one per period).
    capacity_scalar: bool,
    overtime: Option<(f64, f64)>,
    last_load: Option<f64>,
    initial: Vec<(usize, f64)>,
    holding: Vec<(usize, f64)>,
    inventory_capacity: Option<f64>,
    /// Expected load of the regular capacity (hours per period).
    load: f64,
}

struct MarketData {
    id: String,
    country: usize,
}

struct LaneData {
    from: usize,
    to: usize,
    /// `None`: one cost for all products; else per product (others cannot use it).
    cost: Result<f64, Vec<(usize, f64)>>,
    lead_time: usize,
    tariff: f64,
    duty: f64,
    emissions: f64,
}

impl LaneData {
    fn carries(&self, product: usize) -> bool {
        match &self.cost {
            Ok(_) => true,
            Err(list) => list.iter().any(|&(p, _)| p == product),
        }
    }
}

struct DemandData {
    market: usize,
    product: usize,
    quantity: Vec<f64>,
    unmet_penalty: Option<f64>,
}

struct World {
    periods: Vec<String>,
    products: Vec<ProductData>,
    sites: Vec<SiteData>,
    markets: Vec<MarketData>,
    lanes: Vec<LaneData>,
    demand: Vec<DemandData>,
    /// Sites under a `site_volume` contract: (site, min units, max units).
    contracts: Vec<(usize, f64, f64)>,
    emissions_cap: f64,
    /// `--decisions` only.
    decisions: Option<Decisions>,
}

impl World {
    fn new(spec: &Spec) -> World {
        let mut rng = Rng::new(spec.seed);
        let n_t = spec.periods;
        let periods = (0..n_t)
            .map(|t| format!("{}-{:02}", 2027 + t / 12, t % 12 + 1))
            .collect();

        // Products.
        let mut products = Vec::with_capacity(spec.products);
        for i in 0..spec.products {
            let (family, value, rate, critical) = FAMILIES[i % FAMILIES.len()];
            let unit_value = round(value * rng.range(0.8, 1.25), 0).max(1.0);
            products.push(ProductData {
                id: format!("{family}-{:03}", i + 1),
                unit_value,
                rate: rate * rng.range(0.85, 1.2),
                cost_share: rng.range(0.3, 0.55),
                // The first product is always critical, so `critical` selects something.
                critical: i == 0 || (critical && rng.chance(0.8)),
                unmet_penalty: rng
                    .chance(0.6)
                    .then(|| round(unit_value * rng.range(1.5, 3.0), 0).max(50.0)),
            });
        }

        // Markets.
        let markets: Vec<MarketData> = (0..spec.markets)
            .map(|m| {
                let (base, country) = MARKETS[m % MARKETS.len()];
                let id = match m / MARKETS.len() {
                    0 => base.to_string(),
                    k => format!("{base}-{}", k + 1),
                };
                MarketData { id, country }
            })
            .collect();

        // Demand: about 70% of (market, product) pairs, every product and market used.
        let mut wanted = vec![vec![false; spec.products]; spec.markets];
        for row in wanted.iter_mut() {
            for w in row.iter_mut() {
                *w = rng.chance(0.7);
            }
        }
        for p in 0..spec.products {
            if !(0..spec.markets).any(|m| wanted[m][p]) {
                wanted[rng.below(spec.markets)][p] = true;
            }
        }
        for row in wanted.iter_mut() {
            if !row.iter().any(|&w| w) {
                row[rng.below(spec.products)] = true;
            }
        }
        let mut demand = Vec::new();
        for (m, row) in wanted.iter().enumerate() {
            for (p, _) in row.iter().enumerate().filter(|(_, &w)| w) {
                let base = rng.range(150.0, 1500.0) * (1.0 + 200.0 / products[p].unit_value);
                let base = base.min(20_000.0);
                let amplitude = rng.range(0.05, 0.3);
                let phase = rng.range(0.0, 12.0);
                let growth = rng.range(-0.005, 0.015);
                // A few products launch during the horizon: no demand before.
                let launch = if n_t > 6 && rng.chance(0.08) {
                    rng.below(n_t / 2)
                } else {
                    0
                };
                let quantity = (0..n_t)
                    .map(|t| {
                        if t < launch {
                            return 0.0;
                        }
                        let season = 1.0
                            + amplitude
                                * (2.0 * std::f64::consts::PI * (t as f64 + phase) / 12.0).sin();
                        let trend = (1.0 + growth).powi(t as i32);
                        (base * season * trend * rng.range(0.95, 1.05)).round()
                    })
                    .collect();
                let unmet_penalty = rng
                    .chance(0.05)
                    .then(|| round(products[p].unit_value * rng.range(2.0, 4.0), 0).max(50.0));
                demand.push(DemandData {
                    market: m,
                    product: p,
                    quantity,
                    unmet_penalty,
                });
            }
        }

        // Sites: countries by weight, with the US, Mexico and China always present.
        let total_weight: f64 = COUNTRIES.iter().map(|c| c.weight).sum();
        let mut country_of = Vec::with_capacity(spec.sites);
        for s in 0..spec.sites {
            let forced = [US, MX, CN];
            let c = if s < forced.len() {
                forced[s]
            } else {
                let mut x = rng.range(0.0, total_weight);
                let mut chosen = COUNTRIES.len() - 1;
                for (i, c) in COUNTRIES.iter().enumerate() {
                    if x < c.weight {
                        chosen = i;
                        break;
                    }
                    x -= c.weight;
                }
                chosen
            };
            country_of.push(c);
        }
        // What each site makes: about half the products.
        let mut makes: Vec<Vec<usize>> = (0..spec.sites)
            .map(|_| {
                let k = ((spec.products as f64 * rng.range(0.35, 0.65)).round() as usize)
                    .clamp(1, spec.products);
                rng.subset(spec.products, k)
            })
            .collect();
        let mut makers: Vec<Vec<usize>> = vec![Vec::new(); spec.products];
        for (s, list) in makes.iter().enumerate() {
            for &p in list {
                makers[p].push(s);
            }
        }
        for p in 0..spec.products {
            // Two makers at least (dual sourcing), one of them in USMCA for critical goods.
            while makers[p].len() < spec.sites.min(2) {
                let s = rng.below(spec.sites);
                if !makers[p].contains(&s) {
                    makers[p].push(s);
                    makes[s].push(p);
                }
            }
            if products[p].critical && !makers[p].iter().any(|&s| is_usmca(country_of[s])) {
                let na: Vec<usize> = (0..spec.sites)
                    .filter(|&s| is_usmca(country_of[s]))
                    .collect();
                let s = *rng.pick(&na);
                makers[p].push(s);
                makes[s].push(p);
            }
        }
        for list in makes.iter_mut() {
            list.sort_unstable();
        }

        // Lanes: each site to about half the markets, then whatever makes every demand
        // servable.
        let mut lanes: Vec<LaneData> = Vec::new();
        let mut lane_of = vec![vec![None; spec.markets]; spec.sites];
        for s in 0..spec.sites {
            let k = ((spec.markets as f64 * rng.range(0.35, 0.65)).round() as usize)
                .clamp(1, spec.markets);
            for m in rng.subset(spec.markets, k) {
                let lane = new_lane(&mut rng, s, country_of[s], &markets[m], m, &makes[s], n_t);
                lane_of[s][m] = Some(lanes.len());
                lanes.push(lane);
            }
        }
        for d in &demand {
            let (m, p) = (d.market, d.product);
            let served = makers[p]
                .iter()
                .any(|&s| lane_of[s][m].is_some_and(|l: usize| lanes[l].carries(p)));
            if served {
                continue;
            }
            let s = *rng.pick(&makers[p]);
            match lane_of[s][m] {
                // A per-product lane missing this product: it carries everything now.
                Some(l) => {
                    let cost = match &lanes[l].cost {
                        Ok(c) => *c,
                        Err(list) => list.first().map_or(5.0, |&(_, c)| c),
                    };
                    lanes[l].cost = Ok(cost);
                }
                None => {
                    let mut lane = new_lane(&mut rng, s, country_of[s], &markets[m], m, &[], n_t);
                    lane.cost = Ok(rng.range(3.0, 12.0).round());
                    lane_of[s][m] = Some(lanes.len());
                    lanes.push(lane);
                }
            }
        }
        lanes.sort_by_key(|l| (l.from, l.to));

        // Capacity: each maker takes an equal share of a product's average demand, plus
        // 15–50% headroom.
        let mut mean_demand = vec![0.0; spec.products];
        for d in &demand {
            mean_demand[d.product] += d.quantity.iter().sum::<f64>() / n_t as f64;
        }
        // Chinese sites cannot deliver critical products (`no-cn-critical`): the others
        // carry that demand.
        let serves = |s: usize, p: usize| !(products[p].critical && country_of[s] == CN);
        let serving: Vec<f64> = (0..spec.products)
            .map(|p| makers[p].iter().filter(|&&s| serves(s, p)).count().max(1) as f64)
            .collect();
        let mut sites = Vec::with_capacity(spec.sites);
        let mut contracts = Vec::new();
        for s in 0..spec.sites {
            let country = &COUNTRIES[country_of[s]];
            let make_list: Vec<(usize, f64, f64)> = makes[s]
                .iter()
                .map(|&p| {
                    let pr = &products[p];
                    let rate = round(pr.rate * rng.range(0.85, 1.2), 3).max(0.01);
                    let cost = round(
                        pr.unit_value * pr.cost_share * country.cost_factor * rng.range(0.9, 1.1),
                        2,
                    );
                    (p, rate, cost)
                })
                .collect();
            let load: f64 = make_list
                .iter()
                .filter(|&&(p, _, _)| serves(s, p))
                .map(|&(p, rate, _)| rate * mean_demand[p] / serving[p])
                .sum();
            let regular = ((load * rng.range(1.15, 1.5)) / 10.0).ceil().max(10.0) * 10.0;
            let capacity_scalar = !rng.chance(0.25);
            let capacity: Vec<f64> = if capacity_scalar {
                vec![regular; n_t]
            } else {
                // Seasonal staffing: ±5% around the regular level.
                let phase = rng.range(0.0, 12.0);
                (0..n_t)
                    .map(|t| {
                        let x = (2.0 * std::f64::consts::PI * (t as f64 + phase) / 12.0).sin();
                        (regular * (1.0 + 0.05 * x)).round()
                    })
                    .collect()
            };
            let na = is_usmca(country_of[s]);
            let overtime = (na && rng.chance(0.6)).then(|| {
                let cost = if country_of[s] == MX {
                    rng.range(18.0, 30.0)
                } else {
                    rng.range(45.0, 80.0)
                };
                ((regular * 0.12).round().max(1.0), cost.round())
            });
            let last_load = rng.chance(0.7).then(|| (regular * 0.65).round());
            let holding: Vec<(usize, f64)> = make_list
                .iter()
                .map(|&(p, _, _)| (p, round(products[p].unit_value * 0.015, 2)))
                .collect();
            let mut initial: Vec<(usize, f64)> = Vec::new();
            if rng.chance(0.5) {
                for &(p, _, _) in &make_list {
                    if rng.chance(0.5) {
                        let share = mean_demand[p] / makers[p].len() as f64;
                        let q = (share * rng.range(0.0, 0.5)).round();
                        if q > 0.0 {
                            initial.push((p, q));
                        }
                    }
                }
            }
            let max_rate = make_list.iter().map(|m| m.1).fold(0.01, f64::max);
            let min_rate = make_list.iter().map(|m| m.1).fold(f64::INFINITY, f64::min);
            // A shelter contract for the first Mexican sites: a take-or-pay minimum well
            // inside capacity.
            let contract = country_of[s] == MX && contracts.len() < 2;
            if contract {
                let min = (0.15 * regular / max_rate).floor().max(1.0);
                let max = (2.0 * regular / min_rate).ceil().max(min + 1.0);
                contracts.push((s, min, max));
            }
            // Storage caps hold at least a period of output, and never bind a site that
            // must produce under a contract.
            let inventory_capacity =
                (!contract && rng.chance(0.3)).then(|| (1.5 * regular / min_rate).ceil().max(1.0));
            let city = rng.pick(country.cities);
            sites.push(SiteData {
                id: format!("{city}-{:03}", s + 1),
                country: country_of[s],
                makes: make_list,
                capacity,
                capacity_scalar,
                overtime,
                last_load,
                initial,
                holding,
                inventory_capacity,
                load,
            });
        }

        // Emissions budget: what serving all demand over an average lane emits. Plans
        // that lean on overseas supply run into it.
        let total_demand: f64 = demand.iter().map(|d| d.quantity.iter().sum::<f64>()).sum();
        let mean_emissions =
            lanes.iter().map(|l| l.emissions).sum::<f64>() / lanes.len().max(1) as f64;
        let emissions_cap = (total_demand * mean_emissions).round().max(1.0);

        World {
            periods,
            products,
            sites,
            markets,
            lanes,
            demand,
            contracts,
            emissions_cap,
            decisions: None,
        }
    }

    /// Draws the decisions (`--decisions`); a site that starts closed loses its
    /// `last_load`.
    fn add_decisions(&mut self, seed: u64) {
        let facts: Vec<SiteFacts> = self
            .sites
            .iter()
            .enumerate()
            .map(|(s, site)| {
                let capacity = site.capacity.iter().copied().fold(f64::INFINITY, f64::min);
                SiteFacts {
                    capacity: Some(capacity),
                    resources: Vec::new(),
                    busy: site.load / capacity.max(1.0),
                    forced: self.contracts.iter().any(|c| c.0 == s),
                    overseas: !is_usmca(site.country),
                    makes: site
                        .makes
                        .iter()
                        .map(|&(p, rate, _)| MakeFacts {
                            product: p,
                            rate,
                            uses: Vec::new(),
                            unit_value: self.products[p].unit_value,
                            // Critical goods from China are excluded (`no-cn-critical`).
                            shippable: !(self.products[p].critical && site.country == CN),
                        })
                        .collect(),
                }
            })
            .collect();
        let d = decisions::draw(seed, &facts, self.periods.len());
        for (s, site) in self.sites.iter_mut().enumerate() {
            if d.starts_closed(s) {
                site.last_load = None;
            }
        }
        self.decisions = Some(d);
    }
}

/// A lane from site `s` to market `m`, priced by where it crosses.
fn new_lane(
    rng: &mut Rng,
    s: usize,
    country: usize,
    market: &MarketData,
    m: usize,
    makes: &[usize],
    n_t: usize,
) -> LaneData {
    let origin = &COUNTRIES[country];
    let (cost, lead, tariff, duty, emissions) = if country == market.country {
        (rng.range(2.0, 8.0), 0, 0.0, 0.0, rng.range(1.0, 4.0))
    } else if is_usmca(country) && is_usmca(market.country) {
        let lead = usize::from(rng.chance(0.25));
        let duty = if rng.chance(0.2) {
            rng.range(0.5, 2.0)
        } else {
            0.0
        };
        (rng.range(5.0, 15.0), lead, 0.0, duty, rng.range(3.0, 8.0))
    } else {
        // Overseas: ocean freight, tariffs (lower into Mexico and Canada).
        let tariff = if market.country == US {
            origin.us_tariff
        } else {
            origin.us_tariff * 0.4
        };
        let duty = if rng.chance(0.3) {
            rng.range(1.0, 5.0)
        } else {
            0.0
        };
        (
            rng.range(10.0, 30.0),
            origin.lead,
            tariff,
            duty,
            rng.range(10.0, 25.0),
        )
    };
    let lead_time = lead.min(n_t.saturating_sub(1));
    // One lane in ten is priced per product; it carries only the products listed.
    let cost = if makes.len() > 1 && rng.chance(0.1) {
        let mut list: Vec<(usize, f64)> = Vec::with_capacity(makes.len());
        for &p in makes {
            if rng.chance(0.8) {
                list.push((p, round(cost * rng.range(0.8, 1.3), 2)));
            }
        }
        if list.is_empty() {
            Ok(round(cost, 2))
        } else {
            Err(list)
        }
    } else {
        Ok(round(cost, 2))
    };
    LaneData {
        from: s,
        to: m,
        cost,
        lead_time,
        tariff: round(tariff, 4),
        duty: round(duty, 2),
        emissions: round(emissions, 2),
    }
}
