//! Decisions over the horizon, as facts of the network: which sites may open or close,
//! what each costs while open, capacity that may be built, minimum runs and take-or-pay
//! contracts. The LP turns the discrete ones into integer columns (a MILP).

use crate::window::Per;

/// A site that may open and close (`open:`): a binary w[s,t] multiplies its capacities.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OpenRule {
    /// Open in the period before the horizon.
    pub initially: bool,
    pub opening_cost: f64,
    pub closing_cost: f64,
}

/// Which capacity an expansion adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expands {
    /// The site's `capacity`.
    Default,
    /// A named resource (an index into `Network::resources`).
    Resource(usize),
}

/// Capacity that may be built once, in a period at or after `from`.
#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    pub site: usize,
    pub name: String,
    pub resource: Expands,
    /// Capacity units added per period from the build period on.
    pub capacity: f64,
    /// $ once, when built.
    pub cost: f64,
    /// The first period it may be built in.
    pub from: usize,
    /// Built whole or not at all; `false` allows a fraction f (f·capacity for f·cost).
    pub integer: bool,
}

/// A long-term agreement on the units a site ships (take-or-pay).
#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub name: String,
    pub site: usize,
    /// [product] → covered.
    pub products: Vec<bool>,
    pub min: f64,
    pub max: Option<f64>,
    pub per: Per,
    /// $ per unit short of `min`; `None`: `min` is hard.
    pub shortfall_cost: Option<f64>,
}

/// Every decision of a network; empty for a network without any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decisions {
    /// [site] → $ per period while open.
    pub fixed_cost: Vec<f64>,
    /// [site] → whether (and how) it may open and close.
    pub open: Vec<Option<OpenRule>>,
    pub expansions: Vec<Expansion>,
    /// [make] → 0 or at least this many units each period.
    pub min_run: Vec<Option<f64>>,
    pub contracts: Vec<Contract>,
}

impl Decisions {
    /// No decision at all: `n_sites` sites and `n_makes` makes, always open, no cost.
    pub fn none(n_sites: usize, n_makes: usize) -> Self {
        Decisions {
            fixed_cost: vec![0.0; n_sites],
            open: vec![None; n_sites],
            expansions: Vec::new(),
            min_run: vec![None; n_makes],
            contracts: Vec::new(),
        }
    }

    /// Whether any decision needs integer columns.
    pub fn has_integers(&self) -> bool {
        self.open.iter().any(Option::is_some)
            || self.expansions.iter().any(|e| e.integer)
            || self.min_run.iter().any(Option::is_some)
    }

    /// The expansions that add to the default resource of `site`.
    pub fn default_expansions(&self, site: usize) -> impl Iterator<Item = (usize, &Expansion)> {
        self.expansions
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.site == site && e.resource == Expands::Default)
    }

    /// The expansions that add to named resource `resource`.
    pub fn resource_expansions(
        &self,
        resource: usize,
    ) -> impl Iterator<Item = (usize, &Expansion)> {
        self.expansions
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.resource == Expands::Resource(resource))
    }

    /// Constant cost each period of sites without `open`: their `fixed_cost`.
    pub fn constant_fixed_cost(&self) -> f64 {
        self.fixed_cost
            .iter()
            .zip(&self.open)
            .filter(|(_, open)| open.is_none())
            .map(|(c, _)| c)
            .sum()
    }
}
