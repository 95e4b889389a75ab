//! Two-tier (format v2) scenarios: battery packs made in the US from cell modules made
//! in Mexico, which are made from cells and boards bought from component suppliers
//! overseas (China, Korea, Japan, …) and in North America.
//!
//! The network, upstream to downstream:
//! - component suppliers make cells and boards (some only on named resources, without a
//!   default capacity); the first is Chinese and the second Mexican, so every scenario
//!   has both an overseas and a regional source;
//! - module plants (Mexico; every third one in the US) turn cells and a board into a
//!   module (`bom`), on labour hours and a laser welder (`resources`, `uses`);
//! - hubs on the US side of the border (`kind: hub`, `throughput`) store and forward
//!   modules;
//! - pack plants (US) turn modules and a board into a pack, on labour hours and an
//!   end-of-line tester, and ship packs to markets; modules also have some
//!   service-part demand, served from the hubs.
//!
//! Lanes carry a `mode` and most a `capacity`: ocean from overseas (with an air lane
//! beside some ocean lanes), truck and rail within North America (some pairs both).
//! The model adds a 75% USMCA regional value content rule on modules and packs, per
//! period, next to every v1 policy kind.
//!
//! Sizes: `sites` counts every site and hub (at least 5: two suppliers, a module plant,
//! a hub and a pack plant), `products` every product of every tier (at least 4: a
//! pack, a module, a cell and a board). About a quarter of the products are packs, as
//! many are modules, and the rest are cells and boards; a fifteenth of the sites are
//! hubs, and of the others a fifth make modules, a fifth packs and the rest components.
//!
//! Feasible by construction: unmet demand is priced, not forbidden, so shipping nothing
//! meets every hard rule (a value content row of a site that makes nothing holds); the
//! only forced production is a Mexican supplier's contract minimum and the ramp-down
//! of suppliers from `last_load`, which need no components and fit the supplier's
//! capacity and storage; `final` stock never exceeds the initial stock that can simply
//! be kept. Capacities are sized so that the demand can be served: first who ships to
//! whom is drawn (`topology`), then the average demand is routed down those links
//! (`routing`), and every site, lane and hub gets headroom over what reaches it in the
//! busiest period. Every plant has a link from a regional supplier of each component
//! it uses, and the regional suppliers can together make most of what it uses, so the
//! value content rule can be met.
//!
//! Drawn in this order: products and demand, what each site makes, the links, the
//! routing, the sites' capacities and stock, the lanes' prices and capacities, the
//! hubs' throughput.

use super::decisions::{self, Decisions, MakeFacts, SiteFacts};
use super::rng::Rng;
use super::tables::{is_usmca, CN, COUNTRIES, MARKETS, MX, US};
use super::{round, Generated, Spec};

mod lanes;
mod routing;
mod sites;
mod topology;
mod yaml;

/// The tier of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    Pack,
    Module,
    Cell,
    Board,
}

impl Tier {
    fn is_component(self) -> bool {
        matches!(self, Tier::Cell | Tier::Board)
    }
}

struct Product {
    id: String,
    tier: Tier,
    unit_value: f64,
    critical: bool,
    unmet_penalty: Option<f64>,
    /// (component, units per unit made), components ascending.
    bom: Vec<(usize, f64)>,
    /// Labour hours per unit, before a site's own variation.
    rate: f64,
    /// Conversion cost: a share of the value added (of the whole value for components).
    cost_share: f64,
    /// Freight and emissions per unit, relative to a module's.
    bulk: f64,
}

impl Product {
    /// The value a site adds in making one unit: unit value less the components'.
    fn value_added(&self, products: &[Product]) -> f64 {
        self.unit_value
            - self
                .bom
                .iter()
                .map(|&(c, k)| k * products[c].unit_value)
                .sum::<f64>()
    }
}

/// What a site does in the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Supplier,
    ModulePlant,
    Hub,
    PackPlant,
}

/// A number, or one per period.
#[derive(Debug, Clone, PartialEq)]
enum PerPeriod {
    One(f64),
    Each(Vec<f64>),
}

/// A product a site makes.
struct Make {
    product: usize,
    /// Labour hours per unit; `None` at a site without a default capacity.
    rate: Option<f64>,
    cost: f64,
    /// Named resources loaded per unit.
    uses: Vec<(&'static str, f64)>,
}

struct Site {
    id: String,
    country: usize,
    role: Role,
    /// Products ascending.
    makes: Vec<Make>,
    /// The default resource (labour hours); `None` for hubs and resource-only suppliers.
    capacity: Option<PerPeriod>,
    resources: Vec<(&'static str, PerPeriod)>,
    throughput: Option<PerPeriod>,
    overtime: Option<(f64, f64)>,
    last_load: Option<f64>,
    initial: Vec<(usize, f64)>,
    holding: Vec<(usize, f64)>,
    inventory_capacity: Option<PerPeriod>,
    product_capacity: Vec<(usize, f64)>,
    final_stock: Vec<(usize, f64)>,
    /// Expected load over capacity of its busiest resource (0 for hubs).
    busy: f64,
}

/// Where a lane goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum To {
    Site(usize),
    Market(usize),
}

struct Lane {
    from: usize,
    to: To,
    mode: &'static str,
    /// One cost for every product, or a cost per product (others cannot use the lane).
    cost: Result<f64, Vec<(usize, f64)>>,
    lead_time: usize,
    tariff: f64,
    duty: f64,
    emissions: f64,
    capacity: Option<PerPeriod>,
}

struct Market {
    id: String,
    country: usize,
}

struct Demand {
    market: usize,
    product: usize,
    quantity: Vec<f64>,
    unmet_penalty: Option<f64>,
}

struct World {
    periods: Vec<String>,
    products: Vec<Product>,
    sites: Vec<Site>,
    markets: Vec<Market>,
    lanes: Vec<Lane>,
    demand: Vec<Demand>,
    /// The Mexican supplier's contract: (site, min units, max units) per period.
    contract: Option<(usize, f64, f64)>,
    emissions_cap: f64,
    /// `--decisions` only.
    decisions: Option<Decisions>,
}

/// The scenario's files; `spec` is already checked.
pub(super) fn generate(spec: &Spec) -> Generated {
    let mut world = World::new(spec);
    if spec.decisions {
        world.add_decisions(spec.seed);
    }
    Generated {
        name: name(spec),
        model: world.model_yaml(spec),
        network: world.network_yaml(),
        demand: world.demand_yaml(),
    }
}

/// The model's name, e.g. `generated-two-tier-s6-p8-m3-t12-seed1` (with `-decisions`
/// at the end when it has decisions).
pub(super) fn name(spec: &Spec) -> String {
    format!(
        "generated-two-tier-s{}-p{}-m{}-t{}-seed{}{}",
        spec.sites,
        spec.products,
        spec.markets,
        spec.periods,
        spec.seed,
        spec.decisions_suffix()
    )
}

/// Packs, modules, cells and boards among `n` products (n ≥ 4).
fn tier_counts(n: usize) -> [usize; 4] {
    let packs = (n / 4).max(1);
    let components = n.saturating_sub(2 * packs).max(2);
    let cells = components.div_ceil(2);
    [packs, packs, cells, components - cells]
}

/// Hubs, pack plants, module plants and suppliers among `n` sites (n ≥ 5).
fn role_counts(n: usize) -> [usize; 4] {
    let hubs = (n / 15).max(1);
    let rest = n.saturating_sub(hubs);
    let share = |x: f64| ((rest as f64 * x).round() as usize).max(1);
    let (packs, modules) = (share(0.2), share(0.2));
    [
        hubs,
        packs,
        modules,
        rest.saturating_sub(packs + modules).max(2),
    ]
}

/// Share of each component's requirement that the regional (USMCA) suppliers together
/// can make, before their headroom: more than the value content rules need.
const REGIONAL_COVER: f64 = 0.85;

/// Component makers in North America pay for a young industry: their costs are this
/// much above their country's factor.
const REGIONAL_COMPONENT_PREMIUM: f64 = 1.3;

/// Supplier countries (index into `COUNTRIES`) and weights, after the first two.
const SUPPLIER_COUNTRIES: &[(usize, f64)] = &[
    (3, 0.22), // CN
    (6, 0.18), // KR
    (7, 0.12), // JP
    (8, 0.08), // TW
    (4, 0.07), // VN
    (1, 0.16), // MX
    (0, 0.1),  // US
    (2, 0.03), // CA
    (9, 0.04), // DE
];

fn products(rng: &mut Rng, n: usize) -> Vec<Product> {
    let [n_pack, n_module, n_cell, n_board] = tier_counts(n);
    let first_cell = n_pack + n_module;
    let first_board = first_cell + n_cell;
    let mut products = Vec::with_capacity(n);
    // Components first in the drawing (their values price the assemblies), written
    // packs first.
    let mut cells = Vec::with_capacity(n_cell);
    for c in 0..n_cell {
        let family = if c % 2 == 0 {
            "pouch-cell"
        } else {
            "prismatic-cell"
        };
        cells.push(Product {
            id: format!("{family}-{:03}", first_cell + c + 1),
            tier: Tier::Cell,
            unit_value: round(rng.range(45.0, 90.0), 0),
            critical: c == 0 || rng.chance(0.5),
            unmet_penalty: None,
            bom: Vec::new(),
            rate: rng.range(0.008, 0.02),
            cost_share: rng.range(0.6, 0.72),
            bulk: 0.03,
        });
    }
    let mut boards = Vec::with_capacity(n_board);
    for b in 0..n_board {
        let family = if b % 2 == 0 {
            "bms-board"
        } else {
            "sense-board"
        };
        boards.push(Product {
            id: format!("{family}-{:03}", first_board + b + 1),
            tier: Tier::Board,
            unit_value: round(rng.range(70.0, 260.0), 0),
            critical: rng.chance(0.2),
            unmet_penalty: None,
            bom: Vec::new(),
            rate: rng.range(0.04, 0.1),
            cost_share: rng.range(0.5, 0.65),
            bulk: 0.02,
        });
    }
    let value_of = |bom: &[(usize, f64)], cells: &[Product], boards: &[Product]| -> f64 {
        bom.iter()
            .map(|&(c, k)| {
                let v = if c < first_board {
                    cells[c - first_cell].unit_value
                } else {
                    boards[c - first_board].unit_value
                };
                k * v
            })
            .sum()
    };
    let mut modules = Vec::with_capacity(n_module);
    for j in 0..n_module {
        // Module j uses cell types j, j + n_module, …: every cell type has a user.
        let types: Vec<usize> = if n_cell <= n_module {
            vec![j % n_cell]
        } else {
            (j..n_cell).step_by(n_module).collect()
        };
        let cells_per_module = 8 + rng.below(9);
        let each = (cells_per_module as f64 / types.len() as f64)
            .round()
            .max(1.0);
        let mut bom: Vec<(usize, f64)> = types.iter().map(|&c| (first_cell + c, each)).collect();
        bom.push((first_board + j % n_board, 1.0));
        bom.sort_by_key(|&(c, _)| c);
        let components = value_of(&bom, &cells, &boards);
        let unit_value = round(components * (1.0 + rng.range(0.22, 0.32)), 0);
        modules.push(Product {
            id: format!("cell-module-{:03}", n_pack + j + 1),
            tier: Tier::Module,
            unit_value,
            critical: rng.chance(0.6),
            unmet_penalty: Some(round(unit_value * rng.range(2.0, 3.0), 0)),
            bom,
            rate: rng.range(1.2, 2.4),
            cost_share: rng.range(0.35, 0.5),
            bulk: 1.0,
        });
    }
    for i in 0..n_pack {
        let module = n_pack + i;
        let per_pack = (4 + rng.below(5)) as f64;
        let board = first_board + (i + n_module) % n_board;
        let components =
            per_pack * modules[i].unit_value + value_of(&[(board, 1.0)], &cells, &boards);
        let unit_value = round(components * (1.0 + rng.range(0.15, 0.25)), 0);
        products.push(Product {
            id: format!("battery-pack-{:03}", i + 1),
            tier: Tier::Pack,
            unit_value,
            // The first pack is always critical, so `critical` selects something.
            critical: i == 0 || rng.chance(0.8),
            unmet_penalty: Some(round(unit_value * rng.range(1.5, 2.5), 0)),
            bom: vec![(module, per_pack), (board, 1.0)],
            rate: rng.range(4.0, 8.0),
            cost_share: rng.range(0.35, 0.5),
            bulk: 5.0,
        });
    }
    products.extend(modules);
    products.extend(cells);
    products.extend(boards);
    products
}

/// Seasonal demand like the one-tier generator's: packs in about 70% of the (market,
/// pack) pairs, every pack and market used; modules as service parts in about a
/// quarter of the (market, module) pairs.
fn demand(rng: &mut Rng, products: &[Product], n_markets: usize, n_t: usize) -> Vec<Demand> {
    let packs: Vec<usize> = (0..products.len())
        .filter(|&p| products[p].tier == Tier::Pack)
        .collect();
    let mut wanted = vec![vec![false; products.len()]; n_markets];
    for row in wanted.iter_mut() {
        for &p in &packs {
            row[p] = rng.chance(0.7);
        }
    }
    for &p in &packs {
        if !(0..n_markets).any(|m| wanted[m][p]) {
            wanted[rng.below(n_markets)][p] = true;
        }
    }
    for row in wanted.iter_mut() {
        if !packs.iter().any(|&p| row[p]) {
            row[*rng.pick(&packs)] = true;
        }
        for (p, w) in row.iter_mut().enumerate() {
            if products[p].tier == Tier::Module {
                *w = rng.chance(0.25);
            }
        }
    }
    let mut demand = Vec::new();
    for (m, row) in wanted.iter().enumerate() {
        for (p, _) in row.iter().enumerate().filter(|(_, &w)| w) {
            let base = if products[p].tier == Tier::Pack {
                rng.range(150.0, 900.0)
            } else {
                rng.range(10.0, 60.0)
            };
            let amplitude = rng.range(0.05, 0.3);
            let phase = rng.range(0.0, 12.0);
            let growth = rng.range(-0.005, 0.015);
            // A few packs launch during the horizon: no demand before.
            let launch = if n_t > 6 && products[p].tier == Tier::Pack && rng.chance(0.08) {
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
                .then(|| round(products[p].unit_value * rng.range(2.0, 4.0), 0));
            demand.push(Demand {
                market: m,
                product: p,
                quantity,
                unmet_penalty,
            });
        }
    }
    demand
}

/// The busiest period's demand over the average, between 1 and 2.
fn peak_factor(demand: &[Demand], n_t: usize) -> f64 {
    let totals: Vec<f64> = (0..n_t)
        .map(|t| demand.iter().map(|d| d.quantity[t]).sum())
        .collect();
    let mean = totals.iter().sum::<f64>() / n_t as f64;
    let peak = totals.iter().copied().fold(0.0, f64::max);
    if mean > 0.0 {
        (peak / mean).clamp(1.0, 2.0)
    } else {
        1.0
    }
}

/// `k` of the `items`, at least one and at most `most`, ascending.
fn some_of(rng: &mut Rng, items: &[usize], most: usize) -> Vec<usize> {
    let k = ((items.len() as f64 * rng.range(0.35, 0.65)).round() as usize).clamp(1, most);
    rng.subset(items.len(), k)
        .into_iter()
        .map(|i| items[i])
        .collect()
}

/// Countries of the sites: suppliers first (a Chinese one, a Mexican one, then drawn by
/// weight), then module plants, hubs and pack plants.
fn site_roles(rng: &mut Rng, n_sites: usize) -> Vec<(Role, usize)> {
    let [hubs, packs, modules, suppliers] = role_counts(n_sites);
    let total: f64 = SUPPLIER_COUNTRIES.iter().map(|c| c.1).sum();
    let mut roles = Vec::with_capacity(n_sites);
    for s in 0..suppliers {
        let country = match s {
            0 => CN,
            1 => MX,
            _ => {
                let mut x = rng.range(0.0, total);
                let mut chosen = SUPPLIER_COUNTRIES[0].0;
                for &(c, w) in SUPPLIER_COUNTRIES {
                    if x < w {
                        chosen = c;
                        break;
                    }
                    x -= w;
                }
                chosen
            }
        };
        roles.push((Role::Supplier, country));
    }
    for k in 0..modules {
        let country = if k % 3 == 2 { US } else { MX };
        roles.push((Role::ModulePlant, country));
    }
    roles.extend((0..hubs).map(|_| (Role::Hub, US)));
    roles.extend((0..packs).map(|_| (Role::PackPlant, US)));
    roles
}

/// Which products each site makes. Suppliers make cells, boards or both; every
/// component has a maker overseas and one in USMCA; every module and pack two makers
/// where there are two plants.
fn assign_makes(rng: &mut Rng, products: &[Product], roles: &[(Role, usize)]) -> Vec<Vec<usize>> {
    let of_tier = |tiers: &[Tier]| -> Vec<usize> {
        (0..products.len())
            .filter(|&p| tiers.contains(&products[p].tier))
            .collect()
    };
    let cells = of_tier(&[Tier::Cell]);
    let boards = of_tier(&[Tier::Board]);
    let modules = of_tier(&[Tier::Module]);
    let packs = of_tier(&[Tier::Pack]);
    let mut makes: Vec<Vec<usize>> = roles
        .iter()
        .enumerate()
        .map(|(s, &(role, _))| match role {
            Role::Supplier => {
                // The first two suppliers make both kinds; of the others, six in ten
                // make cells, two boards and two both.
                let draw = if s < 2 { 9 } else { rng.below(10) };
                let mut list = Vec::new();
                if !(6..8).contains(&draw) {
                    list.extend(some_of(rng, &cells, 6));
                }
                if draw >= 6 {
                    list.extend(some_of(rng, &boards, 6));
                }
                list
            }
            Role::ModulePlant => some_of(rng, &modules, 8),
            Role::PackPlant => some_of(rng, &packs, 6),
            Role::Hub => Vec::new(),
        })
        .collect();
    // Fewest makers of each product, by group: (role, regional or not, count).
    let in_group = |s: usize, role: Role, regional: Option<bool>| {
        roles[s].0 == role && regional.is_none_or(|r| is_usmca(roles[s].1) == r)
    };
    let group = |role: Role, regional: Option<bool>| -> Vec<usize> {
        (0..roles.len())
            .filter(|&s| in_group(s, role, regional))
            .collect()
    };
    let overseas = group(Role::Supplier, Some(false));
    let regional = group(Role::Supplier, Some(true));
    let module_plants = group(Role::ModulePlant, None);
    let pack_plants = group(Role::PackPlant, None);
    let mut makers: Vec<Vec<usize>> = vec![Vec::new(); products.len()];
    for (s, list) in makes.iter().enumerate() {
        for &p in list {
            makers[p].push(s);
        }
    }
    for p in 0..products.len() {
        let wanted: Vec<(&[usize], Role, Option<bool>, usize)> = match products[p].tier {
            Tier::Cell | Tier::Board => vec![
                (&overseas, Role::Supplier, Some(false), 1),
                (&regional, Role::Supplier, Some(true), 1),
            ],
            Tier::Module => vec![(&module_plants, Role::ModulePlant, None, 2)],
            Tier::Pack => vec![(&pack_plants, Role::PackPlant, None, 2)],
        };
        for (among, role, regional, want) in wanted {
            let want = want.min(among.len());
            while makers[p]
                .iter()
                .filter(|&&s| in_group(s, role, regional))
                .count()
                < want
            {
                let s = *rng.pick(among);
                if !makers[p].contains(&s) {
                    makers[p].push(s);
                    makes[s].push(p);
                }
            }
        }
    }
    for list in makes.iter_mut() {
        list.sort_unstable();
    }
    makes
}

impl World {
    fn new(spec: &Spec) -> World {
        // Not the one-tier stream: the two generators share no draws.
        let mut rng = Rng::new(spec.seed ^ 0x7731_4E52_0000_0002);
        let n_t = spec.periods;
        let periods = (0..n_t)
            .map(|t| format!("{}-{:02}", 2027 + t / 12, t % 12 + 1))
            .collect();
        let products = products(&mut rng, spec.products);
        let markets: Vec<Market> = (0..spec.markets)
            .map(|m| {
                let (base, country) = MARKETS[m % MARKETS.len()];
                let id = match m / MARKETS.len() {
                    0 => base.to_string(),
                    k => format!("{base}-{}", k + 1),
                };
                Market { id, country }
            })
            .collect();
        let demand = demand(&mut rng, &products, spec.markets, n_t);
        let roles = site_roles(&mut rng, spec.sites);
        let makes = assign_makes(&mut rng, &products, &roles);
        let plan = topology::Plan {
            products: &products,
            roles: &roles,
            makes: &makes,
            demand: &demand,
        };
        let links = topology::links(&mut rng, &plan);
        let sizing = routing::route(&plan, &links, n_t, peak_factor(&demand, n_t));
        let (mut sites, contract) = sites::sites(&mut rng, &products, &roles, &makes, &sizing, n_t);
        let ctx = lanes::Ctx {
            products: &products,
            sites: &sites,
            markets: &markets,
            links: &links.links,
            sizing: &sizing,
            n_t,
        };
        let (lanes, emissions_cap) = lanes::lanes(&mut rng, &ctx);
        let hubs = lanes::finish_hubs(&mut rng, &ctx);
        for hub in hubs {
            if let Some(site) = sites.iter_mut().find(|s| s.id == hub.id) {
                *site = hub;
            }
        }
        World {
            periods,
            products,
            sites,
            markets,
            lanes,
            demand,
            contract,
            emissions_cap,
            decisions: None,
        }
    }

    /// Draws the decisions (`--decisions`); a site that starts closed loses its
    /// `last_load`.
    fn add_decisions(&mut self, seed: u64) {
        let smallest = |x: &PerPeriod| match x {
            PerPeriod::One(v) => *v,
            PerPeriod::Each(values) => values.iter().copied().fold(f64::INFINITY, f64::min),
        };
        let facts: Vec<SiteFacts> = self
            .sites
            .iter()
            .enumerate()
            .map(|(s, site)| SiteFacts {
                capacity: site.capacity.as_ref().map(smallest),
                resources: site
                    .resources
                    .iter()
                    .map(|(name, cap)| (*name, smallest(cap)))
                    .collect(),
                busy: site.busy,
                forced: self.contract.is_some_and(|c| c.0 == s),
                overseas: !is_usmca(site.country),
                makes: site
                    .makes
                    .iter()
                    .map(|m| MakeFacts {
                        product: m.product,
                        rate: m.rate.unwrap_or(0.0),
                        uses: m.uses.clone(),
                        unit_value: self.products[m.product].unit_value,
                        // Suppliers make components, which go to plants: no policy
                        // excludes them there.
                        shippable: true,
                    })
                    .collect(),
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

/// The code of a country index.
fn code(country: usize) -> &'static str {
    COUNTRIES[country].code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_split_every_product_count() {
        assert_eq!(tier_counts(4), [1, 1, 1, 1]);
        assert_eq!(tier_counts(5), [1, 1, 2, 1]);
        assert_eq!(tier_counts(8), [2, 2, 2, 2]);
        assert_eq!(tier_counts(11), [2, 2, 4, 3]);
        for n in 4..300 {
            let c = tier_counts(n);
            assert_eq!(c.iter().sum::<usize>(), n, "{n}");
            assert!(c.iter().all(|&k| k >= 1), "{n}: {c:?}");
        }
    }

    #[test]
    fn roles_split_every_site_count() {
        assert_eq!(role_counts(5), [1, 1, 1, 2]);
        assert_eq!(role_counts(6), [1, 1, 1, 3]);
        assert_eq!(role_counts(40), [2, 8, 8, 22]);
        for n in 5..400 {
            let c = role_counts(n);
            assert_eq!(c.iter().sum::<usize>(), n, "{n}");
            assert!(c[3] >= 2 && c[..3].iter().all(|&k| k >= 1), "{n}: {c:?}");
        }
    }

    #[test]
    fn every_component_is_used_and_valued_below_its_assembly() {
        for n in 4..40 {
            let mut rng = Rng::new(n as u64);
            let products = products(&mut rng, n);
            for (c, p) in products.iter().enumerate() {
                if p.tier.is_component() {
                    assert!(
                        products.iter().any(|q| q.bom.iter().any(|&(x, _)| x == c)),
                        "{n}: {} unused",
                        p.id
                    );
                } else {
                    assert!(!p.bom.is_empty());
                    // Components come after their assembly, and add value to it.
                    assert!(p.bom.iter().all(|&(x, _)| x > c));
                    let va = p.value_added(&products);
                    assert!(
                        va > 0.1 * p.unit_value && va < 0.3 * p.unit_value,
                        "{}: {va}",
                        p.id
                    );
                }
            }
        }
    }
}
