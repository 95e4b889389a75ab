//! The validated network and its facts: dense index spaces and `ndarray` tensors, no
//! YAML and no policies. Policies read these facts; the scenario (`scenario.rs`) holds
//! a network together with its policies.

use std::collections::HashMap;

use ndarray::{Array2, Array3};

/// One product.
#[derive(Debug, Clone)]
pub struct Product {
    pub id: String,
    pub unit_value: f64,
    pub critical: bool,
}

/// One production site.
#[derive(Debug, Clone)]
pub struct Site {
    pub id: String,
    pub country: String,
    pub overtime_cost: f64,
    /// Load in the period before the horizon, for leveling the first period.
    pub last_load: Option<f64>,
    /// Cap on units held at the end of a period, over all products.
    pub inventory_capacity: Option<f64>,
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

#[derive(Debug, Clone)]
pub struct Lane {
    pub from: usize,
    pub to: usize,
    /// $ per unit for each product; `None` means the product cannot use the lane.
    pub cost: Vec<Option<f64>>,
    pub lead_time: usize,
    /// Ad-valorem share of the product's unit value.
    pub tariff: f64,
    /// $ per unit.
    pub duty: f64,
    /// kg CO2e per unit.
    pub emissions: f64,
}

impl Lane {
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
    pub time_limit_s: Option<f64>,
}

/// Whether a rule holds in every period or over the whole horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    Period,
    Horizon,
}

impl Per {
    /// The period groups this setting makes: one group per period (labelled by its
    /// index), or one for the whole horizon (labelled `None`).
    pub fn groups(self, n_periods: usize) -> Vec<(Option<usize>, Vec<usize>)> {
        match self {
            Per::Period => (0..n_periods).map(|t| (Some(t), vec![t])).collect(),
            Per::Horizon => vec![(None, (0..n_periods).collect())],
        }
    }
}

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
    pub fn n_periods(&self) -> usize {
        self.periods.len()
    }

    /// Countries that have at least one site, sorted.
    pub fn site_countries(&self) -> Vec<String> {
        let mut countries: Vec<String> = self.sites.iter().map(|s| s.country.clone()).collect();
        countries.sort();
        countries.dedup();
        countries
    }

    /// Per lane: the position of its origin's country in `countries` (as
    /// [`Network::site_countries`] lists them), if it is there.
    pub fn lane_countries(&self, countries: &[String]) -> Vec<Option<usize>> {
        self.lanes
            .iter()
            .map(|l| {
                countries
                    .iter()
                    .position(|c| *c == self.sites[l.from].country)
            })
            .collect()
    }

    pub fn bloc_contains(&self, bloc: usize, country: &str) -> bool {
        self.blocs[bloc].countries.iter().any(|c| c == country)
    }

    /// Per lane: does its origin lie in `bloc`?
    pub fn lanes_from_bloc(&self, bloc: usize) -> Vec<bool> {
        self.lanes
            .iter()
            .map(|l| self.bloc_contains(bloc, &self.sites[l.from].country))
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
}
