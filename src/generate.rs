//! Scenario generator for trials and benchmarks.
//!
//! [`generate`] writes a valid, plausible scenario of any size: sites in the US, Mexico
//! and Canada next to overseas sites (China, Vietnam, India, Korea, Japan, Taiwan,
//! Germany), seasonal demand in North American markets, overseas lanes with lead times,
//! tariffs and higher emissions, and every policy kind (some soft). The output depends
//! only on the [`Spec`]: the same seed gives byte-identical files.
//!
//! The scenario is built so that it always has a solution: every hard policy can be met
//! by shipping nothing (unmet demand is priced, not forbidden), and what a site must
//! produce (ramp limits from `last_load`, contract minimums) fits its capacity and storage.
//!
//! Sizes: each site makes about half of the products and ships to about half of the
//! markets, so the LP has roughly `S·P·T·(1 + M/2·0.7)` columns: about 650 for
//! 6×3×3×12, 25k for 40×20×8×12, 275k for 100×50×8×24 and 1M for 200×80×10×24
//! (BENCHMARKS.md).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::load::limits::{MAX_FILE_BYTES, MAX_TOTAL_BYTES};

/// The model file written by [`Generated::write`].
pub const MODEL_FILE: &str = "model.yaml";
/// The network data file (periods, products, sites, markets, lanes).
pub const NETWORK_FILE: &str = "network.yaml";
/// The demand data file.
pub const DEMAND_FILE: &str = "demand.yaml";

/// Largest accepted value of each size argument.
pub const MAX_SITES: usize = 5_000;
pub const MAX_PRODUCTS: usize = 2_000;
pub const MAX_MARKETS: usize = 500;
pub const MAX_PERIODS: usize = 240;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub sites: usize,
    pub products: usize,
    pub markets: usize,
    pub periods: usize,
    pub seed: u64,
}

impl Spec {
    /// Checks the sizes: each at least 1 and at most its `MAX_*`, and files that the
    /// loader's limits do not clearly refuse.
    pub fn check(&self) -> Result<(), Error> {
        for (what, n, max) in [
            ("sites", self.sites, MAX_SITES),
            ("products", self.products, MAX_PRODUCTS),
            ("markets", self.markets, MAX_MARKETS),
            ("periods", self.periods, MAX_PERIODS),
        ] {
            if n == 0 || n > max {
                return Err(Error::Usage(format!(
                    "--{what} must be between 1 and {max}, found {n}"
                )));
            }
        }
        let (s, p, m, t) = (
            self.sites as u64,
            self.products as u64,
            self.markets as u64,
            self.periods as u64,
        );
        // Low estimates, from measured output: a refusal here is certain, and sizes
        // near the limits are checked on the text itself once it is made.
        let network = 300 * s + 40 * s * p + 50 * s * m + 3 * s * t + 50 * p;
        // About 70% of (market, product) pairs, each a line of one number per period.
        let demand = m * p * 65 * (60 + 5 * t) / 100;
        check_sizes([(NETWORK_FILE, network), (DEMAND_FILE, demand)], true)
    }

    /// The model's name, e.g. `generated-s6-p3-m3-t12-seed1`.
    pub fn name(&self) -> String {
        format!(
            "generated-s{}-p{}-m{}-t{}-seed{}",
            self.sites, self.products, self.markets, self.periods, self.seed
        )
    }
}

/// The text of the generated files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub name: String,
    /// `model.yaml`: blocs, objective, policies, solver.
    pub model: String,
    /// `network.yaml`: periods, products, sites, markets, lanes.
    pub network: String,
    /// `demand.yaml`: demand per market, product and period.
    pub demand: String,
}

impl Generated {
    /// File names and contents, in the order they are written.
    pub fn files(&self) -> [(&'static str, &str); 3] {
        [
            (NETWORK_FILE, self.network.as_str()),
            (DEMAND_FILE, self.demand.as_str()),
            (MODEL_FILE, self.model.as_str()),
        ]
    }

    /// Writes the files as the new contents of folder `dir` (created if needed), in one
    /// locked step (see [`crate::output::write_dir`]). Returns their paths; the model file
    /// is the last.
    pub fn write(&self, dir: &Path) -> Result<Vec<PathBuf>, Error> {
        let files: Vec<(String, Vec<u8>)> = self
            .files()
            .iter()
            .map(|(name, text)| (name.to_string(), text.as_bytes().to_vec()))
            .collect();
        crate::output::replace_dir(dir, &files)
    }
}

/// Refuses files (name, bytes) that `validate` would refuse: any one over
/// [`MAX_FILE_BYTES`], or all together over [`MAX_TOTAL_BYTES`].
/// `estimated`: the sizes are low estimates ("over N MiB"), else exact.
fn check_sizes<const N: usize>(files: [(&str, u64); N], estimated: bool) -> Result<(), Error> {
    let mib = |bytes: u64| bytes / (1024 * 1024);
    let about = if estimated { "over" } else { "about" };
    let fewer = |name: &str| {
        if name == DEMAND_FILE {
            "markets, products or periods"
        } else {
            "sites, products or markets"
        }
    };
    for (name, bytes) in files {
        if bytes > MAX_FILE_BYTES {
            return Err(Error::Usage(format!(
                "these sizes would write a {name} of {about} {} MiB, and allyplan reads files of at most {} MiB: ask for fewer {}",
                mib(bytes),
                mib(MAX_FILE_BYTES),
                fewer(name)
            )));
        }
    }
    let total: u64 = files.iter().map(|(_, bytes)| bytes).sum();
    if total > MAX_TOTAL_BYTES {
        return Err(Error::Usage(format!(
            "these sizes would write {about} {} MiB of files, and allyplan reads at most {} MiB for one model: ask for fewer sites, products, markets or periods",
            mib(total),
            mib(MAX_TOTAL_BYTES)
        )));
    }
    Ok(())
}

/// Generates a scenario. Fails only on sizes outside [`Spec::check`]'s limits, or whose
/// files `validate` would refuse as too large.
pub fn generate(spec: &Spec) -> Result<Generated, Error> {
    spec.check()?;
    let world = World::new(spec);
    let generated = Generated {
        name: spec.name(),
        model: world.model_yaml(spec),
        network: world.network_yaml(),
        demand: world.demand_yaml(),
    };
    check_sizes(
        generated
            .files()
            .map(|(name, text)| (name, text.len() as u64)),
        false,
    )?;
    Ok(generated)
}

// ---------------------------------------------------------------------------------------
// Randomness: SplitMix64, so the output depends on nothing but the seed.

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // Decorrelate nearby seeds.
        let mut r = Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B);
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n.saturating_sub(1))
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct indices of 0..n, ascending.
    fn subset(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        let k = k.min(n);
        for i in 0..k {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k);
        all.sort_unstable();
        all
    }
}

// ---------------------------------------------------------------------------------------
// The world: countries, products, sites, markets, lanes, demand.

/// A country sites can be in: code, share of sites, production cost factor, typical
/// cities, lead time to North America (periods), tariff into the US.
struct Country {
    code: &'static str,
    weight: f64,
    cost_factor: f64,
    cities: &'static [&'static str],
    lead: usize,
    us_tariff: f64,
}

const COUNTRIES: &[Country] = &[
    Country {
        code: "US",
        weight: 0.34,
        cost_factor: 1.0,
        cities: &[
            "hagerstown",
            "richmond",
            "allentown",
            "greenville",
            "toledo",
            "knoxville",
            "dayton",
            "tulsa",
            "reno",
            "huntsville",
        ],
        lead: 0,
        us_tariff: 0.0,
    },
    Country {
        code: "MX",
        weight: 0.2,
        cost_factor: 0.74,
        cities: &[
            "monterrey",
            "saltillo",
            "queretaro",
            "juarez",
            "tijuana",
            "puebla",
        ],
        lead: 0,
        us_tariff: 0.0,
    },
    Country {
        code: "CA",
        weight: 0.1,
        cost_factor: 1.04,
        cities: &["windsor", "guelph", "oshawa", "laval", "calgary"],
        lead: 0,
        us_tariff: 0.0,
    },
    Country {
        code: "CN",
        weight: 0.1,
        cost_factor: 0.6,
        cities: &["shenzhen", "suzhou", "ningbo", "chongqing"],
        lead: 2,
        us_tariff: 0.25,
    },
    Country {
        code: "VN",
        weight: 0.08,
        cost_factor: 0.56,
        cities: &["haiphong", "binh-duong", "bac-ninh"],
        lead: 2,
        us_tariff: 0.1,
    },
    Country {
        code: "IN",
        weight: 0.04,
        cost_factor: 0.6,
        cities: &["chennai", "pune", "sanand"],
        lead: 3,
        us_tariff: 0.08,
    },
    Country {
        code: "KR",
        weight: 0.05,
        cost_factor: 0.86,
        cities: &["ulsan", "gumi", "cheongju"],
        lead: 1,
        us_tariff: 0.02,
    },
    Country {
        code: "JP",
        weight: 0.04,
        cost_factor: 0.95,
        cities: &["nagoya", "kumamoto", "hiroshima"],
        lead: 1,
        us_tariff: 0.025,
    },
    Country {
        code: "TW",
        weight: 0.03,
        cost_factor: 0.82,
        cities: &["hsinchu", "taichung"],
        lead: 2,
        us_tariff: 0.05,
    },
    Country {
        code: "DE",
        weight: 0.02,
        cost_factor: 1.06,
        cities: &["zwickau", "dresden"],
        lead: 1,
        us_tariff: 0.03,
    },
];

const US: usize = 0;
const MX: usize = 1;
const CN: usize = 3;

fn is_usmca(country: usize) -> bool {
    country <= 2
}

/// Product families: name, unit value ($), hours per unit, critical.
const FAMILIES: &[(&str, f64, f64, bool)] = &[
    ("battery-module", 1200.0, 2.0, true),
    ("drive-unit", 900.0, 3.0, false),
    ("power-chip", 140.0, 0.4, true),
    ("inverter", 420.0, 1.2, false),
    ("wire-harness", 85.0, 0.9, false),
    ("rare-earth-magnet", 60.0, 0.3, true),
    ("brake-module", 210.0, 0.8, false),
    ("seat-frame", 130.0, 1.1, false),
    ("sensor-pack", 95.0, 0.5, false),
    ("cell-pouch", 35.0, 0.15, true),
    ("gearbox", 650.0, 2.6, false),
    ("display-unit", 180.0, 0.7, false),
];

/// Market regions: id, country index.
const MARKETS: &[(&str, usize)] = &[
    ("us-east", 0),
    ("us-central", 0),
    ("us-west", 0),
    ("mx-north", 1),
    ("ca-east", 2),
    ("us-south", 0),
    ("mx-bajio", 1),
    ("us-northeast", 0),
    ("ca-west", 2),
    ("us-midwest", 0),
    ("us-southwest", 0),
    ("mx-central", 1),
];

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
}

/// Rounds to `decimals` places.
fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
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
        }
    }

    fn network_yaml(&self) -> String {
        let mut out = String::with_capacity(
            4096 + self.sites.len() * 2048 + self.lanes.len() * 128 + self.products.len() * 96,
        );
        out.push_str("# Generated by `allyplan generate`: the network (facts, no policy).\n");
        out.push_str("periods: [");
        out.push_str(&self.periods.join(", "));
        out.push_str("]\n\nproducts:\n");
        for p in &self.products {
            let _ = write!(out, "  - {{id: {}, unit_value: {}", p.id, fmt(p.unit_value));
            if p.critical {
                out.push_str(", critical: true");
            }
            if let Some(pen) = p.unmet_penalty {
                let _ = write!(out, ", unmet_penalty: {}", fmt(pen));
            }
            out.push_str("}\n");
        }
        out.push_str("\nsites:\n");
        for s in &self.sites {
            let _ = writeln!(out, "  - id: {}", s.id);
            let _ = writeln!(out, "    country: {}", COUNTRIES[s.country].code);
            out.push_str("    capacity: ");
            if s.capacity_scalar {
                out.push_str(&fmt(s.capacity[0]));
            } else {
                list(&mut out, &s.capacity);
            }
            out.push('\n');
            if let Some((cap, cost)) = s.overtime {
                let _ = writeln!(
                    out,
                    "    overtime: {{capacity: {}, cost: {}}}",
                    fmt(cap),
                    fmt(cost)
                );
            }
            if let Some(last) = s.last_load {
                let _ = writeln!(out, "    last_load: {}", fmt(last));
            }
            out.push_str("    products:\n");
            for &(p, rate, cost) in &s.makes {
                let _ = writeln!(
                    out,
                    "      {}: {{rate: {}, cost: {}}}",
                    self.products[p].id,
                    fmt(rate),
                    fmt(cost)
                );
            }
            out.push_str("    inventory:\n");
            if !s.initial.is_empty() {
                out.push_str("      initial: ");
                self.product_map(&mut out, &s.initial);
                out.push('\n');
            }
            out.push_str("      holding_cost: ");
            self.product_map(&mut out, &s.holding);
            out.push('\n');
            if let Some(cap) = s.inventory_capacity {
                let _ = writeln!(out, "      capacity: {}", fmt(cap));
            }
        }
        out.push_str("\nmarkets:\n");
        for m in &self.markets {
            let _ = writeln!(
                out,
                "  - {{id: {}, country: {}}}",
                m.id, COUNTRIES[m.country].code
            );
        }
        out.push_str("\nlanes:\n");
        for l in &self.lanes {
            let _ = write!(
                out,
                "  - {{from: {}, to: {}, cost: ",
                self.sites[l.from].id, self.markets[l.to].id
            );
            match &l.cost {
                Ok(c) => out.push_str(&fmt(*c)),
                Err(list) => self.product_map(&mut out, list),
            }
            let _ = writeln!(
                out,
                ", lead_time: {}, tariff: {}, duty: {}, emissions: {}}}",
                l.lead_time,
                fmt(l.tariff),
                fmt(l.duty),
                fmt(l.emissions)
            );
        }
        out
    }

    fn demand_yaml(&self) -> String {
        let mut out =
            String::with_capacity(256 + self.demand.len() * (64 + 8 * self.periods.len()));
        out.push_str(
            "# Generated by `allyplan generate`: the demand forecast, units per period.\n",
        );
        out.push_str("demand:\n");
        for d in &self.demand {
            let _ = write!(
                out,
                "  - {{market: {}, product: {}, quantity: ",
                self.markets[d.market].id, self.products[d.product].id
            );
            list(&mut out, &d.quantity);
            if let Some(pen) = d.unmet_penalty {
                let _ = write!(out, ", unmet_penalty: {}", fmt(pen));
            }
            out.push_str("}\n");
        }
        out
    }

    fn model_yaml(&self, spec: &Spec) -> String {
        let mut out = String::with_capacity(4096 + self.sites.len() * 24);
        let _ = writeln!(
            out,
            "# Generated by `allyplan generate --sites {} --products {} --markets {} --periods {} --seed {}`.",
            spec.sites, spec.products, spec.markets, spec.periods, spec.seed
        );
        let _ = writeln!(out, "name: {}", spec.name());
        let _ = writeln!(out, "data: [{NETWORK_FILE}, {DEMAND_FILE}]");
        out.push_str(
            "\nblocs:\n  usmca: [US, MX, CA]\n  allies: [US, MX, CA, JP, KR, TW, DE]\n\n\
             objective: {unmet_penalty: 5000, leveling_weight: 1.5, carbon_price: 0.05}\n\n\
             policies:\n",
        );
        out.push_str(
            "  - {name: critical-usmca-60, kind: min_bloc_share, bloc: usmca, min_share: 0.6, products: critical, markets: all, per: period}\n\
             \x20 - {name: critical-dual-sourcing-70, kind: max_country_share, max_share: 0.7, products: critical, markets: all, per: horizon, soft: {penalty: 300}}\n\
             \x20 - {name: no-cn-critical, kind: exclude_origin, countries: [CN], products: critical}\n\
             \x20 - {name: cn-tariff-risk, kind: exclude_origin, countries: [CN], products: all, soft: {penalty: 15}}\n\
             \x20 - {name: ramp-25, kind: ramp_limit, max_change: 0.25}\n",
        );
        out.push_str("  - {name: na-load-band, kind: load_band, min: 0.3, max: 1.1, sites: [");
        let na: Vec<&str> = self
            .sites
            .iter()
            .filter(|s| is_usmca(s.country))
            .map(|s| s.id.as_str())
            .collect();
        out.push_str(&na.join(", "));
        out.push_str("], soft: {penalty: 200}}\n");
        for &(s, min, max) in &self.contracts {
            let _ = writeln!(
                out,
                "  - {{name: {}-contract, kind: site_volume, site: {}, min: {}, max: {}}}",
                self.sites[s].id,
                self.sites[s].id,
                fmt(min),
                fmt(max)
            );
        }
        let _ = writeln!(
            out,
            "  - {{name: co2-budget, kind: emissions_cap, max: {}, per: horizon}}",
            fmt(self.emissions_cap)
        );
        out.push_str(
            "  - {name: fill-rate-95, kind: min_fill_rate, min: 0.95, soft: {penalty: 2500}}\n\n\
             solver: {backend: auto, time_limit_s: 3600}\n",
        );
        out
    }

    /// `{product-id: value, ...}`.
    fn product_map(&self, out: &mut String, items: &[(usize, f64)]) {
        out.push('{');
        for (i, &(p, x)) in items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{}: {}", self.products[p].id, fmt(x));
        }
        out.push('}');
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

/// A number as YAML: shortest round-trip decimal (`12`, `0.25`).
fn fmt(x: f64) -> String {
    // -0 would print as `-0`.
    let x = if x == 0.0 { 0.0 } else { x };
    format!("{x}")
}

/// `[a, b, c]`.
fn list(out: &mut String, values: &[f64]) {
    out.push('[');
    for (i, &x) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&fmt(x));
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(seed: u64) -> Spec {
        Spec {
            sites: 6,
            products: 3,
            markets: 3,
            periods: 12,
            seed,
        }
    }

    #[test]
    fn same_seed_same_text() {
        assert_eq!(generate(&spec(7)).unwrap(), generate(&spec(7)).unwrap());
        assert_ne!(
            generate(&spec(7)).unwrap().network,
            generate(&spec(8)).unwrap().network
        );
    }

    #[test]
    fn sizes_are_checked() {
        let mut s = spec(1);
        s.sites = 0;
        assert!(matches!(generate(&s), Err(Error::Usage(_))));
        s.sites = MAX_SITES + 1;
        assert!(matches!(generate(&s), Err(Error::Usage(_))));
    }

    #[test]
    fn subsets_are_distinct_and_sorted() {
        let mut rng = Rng::new(3);
        for n in 1..20 {
            for k in 0..=n {
                let s = rng.subset(n, k);
                assert_eq!(s.len(), k);
                assert!(s.windows(2).all(|w| w[0] < w[1]));
                assert!(s.iter().all(|&i| i < n));
            }
        }
    }

    #[test]
    fn numbers_are_plain() {
        assert_eq!(fmt(12.0), "12");
        assert_eq!(fmt(-0.0), "0");
        assert_eq!(fmt(0.25), "0.25");
    }
}
