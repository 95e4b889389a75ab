//! The validated network and its facts: dense index spaces and `ndarray` tensors, no
//! YAML and no policies. Policies read these facts; the scenario (`scenario.rs`) holds
//! a network together with its policies.

use std::collections::HashMap;

use ndarray::{Array2, Array3};

use crate::decisions::Decisions;
pub use crate::window::Per;

/// One product.
#[derive(Debug, Clone)]
pub struct Product {
    pub id: String,
    pub unit_value: f64,
    pub critical: bool,
    /// Bill of materials: (component, units consumed per unit made), in the order written.
    pub bom: Vec<(usize, f64)>,
}

/// One site: a production site, or a hub (makes nothing, stores and forwards).
#[derive(Debug, Clone)]
pub struct Site {
    pub id: String,
    pub country: String,
    pub hub: bool,
    /// Has the default resource (`capacity`), which `rate` loads and which alone has
    /// overtime, leveling, ramp and band.
    pub default_resource: bool,
    pub overtime_cost: f64,
    /// Load in the period before the horizon, for leveling the first period.
    pub last_load: Option<f64>,
    /// Cap on units held at the end of each period, over all products.
    pub inventory_capacity: Option<Vec<f64>>,
    /// Cap on units arriving in each period, over all products.
    pub throughput: Option<Vec<f64>>,
}

/// A named capacity resource of a site (`resources: {grinder: 1536}`).
#[derive(Debug, Clone)]
pub struct Resource {
    pub site: usize,
    pub name: String,
    /// Per period.
    pub capacity: Vec<f64>,
}

/// A cap on one product's end-of-period stock at a site (`product_capacity`).
#[derive(Debug, Clone)]
pub struct StorageLimit {
    pub site: usize,
    pub product: usize,
    /// Per period.
    pub capacity: Vec<f64>,
}

/// One component of one thing a site makes: `qty` units of `component` per unit of the
/// make's product.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BomUse {
    pub make: usize,
    pub component: usize,
    pub qty: f64,
}

#[derive(Debug, Clone)]
pub struct Market {
    pub id: String,
    pub country: String,
}

/// What a site can make: capacity units per unit and $ per unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Make {
    pub site: usize,
    pub product: usize,
    pub rate: f64,
    pub cost: f64,
}

/// Where a lane goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dest {
    Market(usize),
    /// A site or a hub.
    Site(usize),
}

#[derive(Debug, Clone)]
pub struct Lane {
    pub from: usize,
    pub to: Dest,
    /// $ per unit for each product; `None` means the product cannot use the lane.
    pub cost: Vec<Option<f64>>,
    pub lead_time: usize,
    /// Ad-valorem share of the product's unit value.
    pub tariff: f64,
    /// $ per unit.
    pub duty: f64,
    /// kg CO2e per unit.
    pub emissions: f64,
    /// Cap on units leaving in each period, over all products.
    pub capacity: Option<Vec<f64>>,
    pub mode: Option<String>,
}

impl Lane {
    /// The market it delivers to, if it goes to one.
    pub fn market(&self) -> Option<usize> {
        match self.to {
            Dest::Market(m) => Some(m),
            Dest::Site(_) => None,
        }
    }

    /// The site or hub it goes to, if it goes to one.
    pub fn to_site(&self) -> Option<usize> {
        match self.to {
            Dest::Site(s) => Some(s),
            Dest::Market(_) => None,
        }
    }

    /// $ per unit shipped of `product`, all-in: lane cost, tariff, duty and carbon.
    pub fn unit_cost(
        &self,
        product: &Product,
        product_index: usize,
        carbon_price: f64,
    ) -> Option<f64> {
        self.cost[product_index].map(|c| {
            c + self.tariff * product.unit_value + self.duty + carbon_price * self.emissions
        })
    }
}

#[derive(Debug, Clone)]
pub struct Bloc {
    pub name: String,
    pub countries: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Objective {
    pub leveling_weight: f64,
    pub carbon_price: f64,
}

/// Solver backends this build knows (`auto` picks one by model size).
#[cfg(feature = "highs")]
pub const BACKENDS: &[&str] = &["auto", "microlp", "clarabel", "highs", "highs-simplex"];
/// Solver backends this build knows (`auto` picks one by model size).
#[cfg(not(feature = "highs"))]
pub const BACKENDS: &[&str] = &["auto", "microlp", "clarabel"];

/// Backends that exist behind a cargo feature this build may lack.
pub const OPTIONAL_BACKENDS: &[&str] = &["highs", "highs-simplex"];

#[derive(Debug, Clone)]
pub struct SolverSettings {
    pub backend: String,
    /// Whether the model names its backend (`solver.backend`); when it does not, an
    /// integer model goes to a backend that solves integer models.
    pub backend_given: bool,
    pub time_limit_s: Option<f64>,
    /// Relative MIP gap at which an integer model counts as optimal.
    pub mip_gap: f64,
}

/// `solver.mip_gap` when the model gives none.
pub const DEFAULT_MIP_GAP: f64 = 1e-4;

/// The network a plan runs on: periods, products, sites, markets, lanes, what each site
/// makes, capacities, demand, blocs and the objective's prices.
#[derive(Debug, Clone)]
pub struct Network {
    pub periods: Vec<String>,
    pub products: Vec<Product>,
    pub sites: Vec<Site>,
    pub markets: Vec<Market>,
    pub lanes: Vec<Lane>,
    /// Site-product pairs a site can make.
    pub makes: Vec<Make>,
    /// Per make: (resource, units of it loaded per unit made).
    pub make_uses: Vec<Vec<(usize, f64)>>,
    /// Named resources of every site.
    pub resources: Vec<Resource>,
    /// Every component of every make, grouped by make.
    pub bom_uses: Vec<BomUse>,
    /// Per-product stock caps.
    pub storage_limits: Vec<StorageLimit>,
    /// Units to hold at the end of the last period, at least [site, product].
    pub final_stock: Array2<f64>,
    /// Opening and closing, fixed costs, expansions, minimum runs and contracts.
    pub decisions: Decisions,
    /// Where each product can be and with which origins (see [`Origins`]).
    pub origins: Origins,
    /// [site, product] → index into `makes`.
    pub make_index: Array2<Option<usize>>,
    /// Regular capacity [site, period].
    pub capacity: Array2<f64>,
    /// Overtime capacity [site, period] (0 when a site has none).
    pub overtime_capacity: Array2<f64>,
    /// Units on hand before the first period [site, product].
    pub initial_inventory: Array2<f64>,
    /// $ per unit held at the end of a period [site, product].
    pub holding_cost: Array2<f64>,
    /// Units demanded [market, product, period].
    pub demand: Array3<f64>,
    /// $ per unit of demand not served [market, product, period].
    pub unmet_penalty: Array3<f64>,
    pub blocs: Vec<Bloc>,
    pub objective: Objective,
    pub site_ids: HashMap<String, usize>,
    pub product_ids: HashMap<String, usize>,
    pub market_ids: HashMap<String, usize>,
}

impl Network {
    /// What makes the model a MILP, in words, one item per kind and site:
    /// "open/close at saltillo-2", "expansion line-2 at hagerstown", "min_run of
    /// drive-unit at hagerstown".
    pub fn integer_features(&self) -> Vec<String> {
        let net = self;
        let d = &self.decisions;
        let mut out = Vec::new();
        for (s, rule) in d.open.iter().enumerate() {
            if rule.is_some() {
                out.push(format!("`open` at {}", net.sites[s].id));
            }
        }
        for e in d.expansions.iter().filter(|e| e.integer) {
            out.push(format!(
                "expansion {} at {} (integer)",
                e.name, net.sites[e.site].id
            ));
        }
        for (k, run) in d.min_run.iter().enumerate() {
            if run.is_some() {
                let make = &net.makes[k];
                out.push(format!(
                    "`min_run` of {} at {}",
                    net.products[make.product].id, net.sites[make.site].id
                ));
            }
        }
        out
    }

    pub fn n_periods(&self) -> usize {
        self.periods.len()
    }

    /// Countries that have at least one site or hub, sorted.
    pub fn site_countries(&self) -> Vec<String> {
        let mut countries: Vec<String> = self.sites.iter().map(|s| s.country.clone()).collect();
        countries.sort();
        countries.dedup();
        countries
    }

    pub fn bloc_contains(&self, bloc: usize, country: &str) -> bool {
        self.blocs[bloc].countries.iter().any(|c| c == country)
    }

    /// Per origin country (as `Origins::countries` lists them): is it in `bloc`?
    pub fn countries_in_bloc(&self, bloc: usize) -> Vec<bool> {
        self.origins
            .countries
            .iter()
            .map(|c| self.bloc_contains(bloc, c))
            .collect()
    }

    /// Departure period of a shipment along `lane` that arrives in `arrival`, if any.
    pub fn departure_for(&self, lane: usize, arrival: usize) -> Option<usize> {
        arrival.checked_sub(self.lanes[lane].lead_time)
    }

    /// Does site `s` make anything?
    pub fn makes_anything(&self, site: usize) -> bool {
        self.make_index.row(site).iter().any(Option::is_some)
    }

    /// The (site, product) pairs that can hold stock, in the order their stock columns
    /// and balance rows are made: what sites make, in `makes` order (as one-tier models
    /// always had), then every other product that can be at a site, by site and product.
    pub fn holdings(&self) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = self.makes.iter().map(|m| (m.site, m.product)).collect();
        for s in 0..self.sites.len() {
            for p in 0..self.products.len() {
                if self.make_index[[s, p]].is_none() && self.origins.holds(s, p) {
                    out.push((s, p));
                }
            }
        }
        out
    }

    /// Is this more than one tier deep: hubs, components, lanes between sites, named
    /// resources, lane capacities or modes, throughput or per-product stock rules?
    pub fn multi_tier(&self) -> bool {
        self.sites.iter().any(|s| s.hub || s.throughput.is_some())
            || self.products.iter().any(|p| !p.bom.is_empty())
            || self
                .lanes
                .iter()
                .any(|l| l.to_site().is_some() || l.capacity.is_some() || l.mode.is_some())
            || !self.resources.is_empty()
            || !self.storage_limits.is_empty()
            || self.final_stock.iter().any(|&x| x > 0.0)
    }

    /// The lane's name in messages: `from → to`, with ` (mode)` when it has one.
    pub fn lane_label(&self, lane: usize) -> String {
        let l = &self.lanes[lane];
        let to = match l.to {
            Dest::Market(m) => &self.markets[m].id,
            Dest::Site(s) => &self.sites[s].id,
        };
        match &l.mode {
            Some(mode) => format!("{} → {to} ({mode})", self.sites[l.from].id),
            None => format!("{} → {to}", self.sites[l.from].id),
        }
    }

    /// The id of a lane's destination.
    pub fn dest_id(&self, lane: usize) -> &str {
        match self.lanes[lane].to {
            Dest::Market(m) => &self.markets[m].id,
            Dest::Site(s) => &self.sites[s].id,
        }
    }
}

/// Origin classes: which origins each product is told apart by, and which can be where.
///
/// Every unit carries the country of the site that last made it (initial stock: of the
/// site or hub holding it). A product is split into origin classes only as far as some
/// policy tells its origins apart (a bloc, a list of countries, each country); a product
/// no such policy covers has one class. Stock and shipments are split by class only at
/// the sites where more than one class can be, so a one-tier network never grows.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// Every country of a site or hub, sorted.
    pub countries: Vec<String>,
    /// [site] → index into `countries`.
    pub site_country: Vec<usize>,
    /// [product][country] → class.
    pub class_of: Vec<Vec<u16>>,
    /// [product][class] → member countries (indices into `countries`), ascending.
    pub classes: Vec<Vec<Vec<usize>>>,
    /// [site][product] → classes that can be there, ascending; empty when the product
    /// can never be at the site.
    pub at: Vec<Vec<Vec<u16>>>,
    /// [lane, product]: does the lane carry the product (its cost allows it, it can be
    /// at the origin, the destination needs it, and something sent can arrive)?
    pub carries: Array2<bool>,
}

impl Origins {
    /// Classes of `product` that can be at `site` (empty when it can never be there).
    pub fn at(&self, site: usize, product: usize) -> &[u16] {
        &self.at[site][product]
    }

    /// Can `product` be at `site` (made, held initially, or received)?
    pub fn holds(&self, site: usize, product: usize) -> bool {
        !self.at[site][product].is_empty()
    }

    /// Is the product's stock at `site` split by origin?
    pub fn split(&self, site: usize, product: usize) -> bool {
        self.at[site][product].len() > 1
    }

    /// The class of what `site` makes (or holds initially) of `product`.
    pub fn own_class(&self, site: usize, product: usize) -> u16 {
        self.class_of[product][self.site_country[site]]
    }

    /// Is the product told apart by origin anywhere?
    pub fn tracked(&self, product: usize) -> bool {
        self.classes[product].len() > 1
    }

    /// A country of the class: every member agrees on every origin rule that covers the
    /// product, so any one stands for all.
    pub fn country(&self, product: usize, class: u16) -> &str {
        let members = &self.classes[product][usize::from(class)];
        members.first().map_or("", |&c| self.countries[c].as_str())
    }

    /// The index (into `countries`) of a country of the class (see [`Origins::country`]).
    pub fn representative(&self, product: usize, class: u16) -> usize {
        self.classes[product][usize::from(class)]
            .first()
            .copied()
            .unwrap_or(0)
    }

    /// The origin country (an index into `countries`) of units of `class` leaving
    /// `from`: a country of the class; for a product with one class (whose origin no
    /// policy tells apart), the country of `from`, as in a one-tier network.
    pub fn origin_country(&self, product: usize, class: u16, from: usize) -> usize {
        if self.classes[product].len() > 1 {
            self.representative(product, class)
        } else {
            self.site_country[from]
        }
    }

    /// The class's countries, e.g. `CN` or `CA+MX+US`.
    pub fn label(&self, product: usize, class: u16) -> String {
        self.classes[product][usize::from(class)]
            .iter()
            .map(|&c| self.countries[c].as_str())
            .collect::<Vec<_>>()
            .join("+")
    }
}
