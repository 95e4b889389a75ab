//! The validated, typed problem: a [`Network`] and the policies that constrain plans on
//! it, with the run's settings. It dereferences to its network, so `sc.sites` reads the
//! network's sites.

use std::ops::Deref;

use crate::network::{Network, Per, SolverSettings};
use crate::plan::InputFile;

/// A policy with its scope resolved to index masks.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The policy's `name`, or `kind#index` when it has none.
    pub name: String,
    /// Position in the model's `policies` list.
    pub index: usize,
    /// `Some(penalty)` when the policy is soft: every row gets a slack priced at `penalty`.
    pub soft_penalty: Option<f64>,
    pub rule: PolicyRule,
}

#[derive(Debug, Clone)]
pub enum PolicyRule {
    MinBlocShare {
        bloc: usize,
        min_share: f64,
        products: Vec<bool>,
        markets: Vec<bool>,
        per: Per,
    },
    MaxCountryShare {
        max_share: f64,
        products: Vec<bool>,
        markets: Vec<bool>,
        per: Per,
    },
    ExcludeOrigin {
        /// Per site: is the site in an excluded country?
        sites: Vec<bool>,
        countries: Vec<String>,
        products: Vec<bool>,
        markets: Vec<bool>,
    },
    RampLimit {
        max_change: f64,
        sites: Vec<bool>,
    },
    LoadBand {
        min: f64,
        max: f64,
        sites: Vec<bool>,
    },
    SiteVolume {
        site: usize,
        min: Option<f64>,
        max: Option<f64>,
        products: Vec<bool>,
    },
    EmissionsCap {
        max: f64,
        per: Per,
        products: Vec<bool>,
        markets: Vec<bool>,
        sites: Vec<bool>,
    },
    MinFillRate {
        min: f64,
        per: Per,
        products: Vec<bool>,
        markets: Vec<bool>,
    },
}

impl PolicyRule {
    pub fn kind(&self) -> &'static str {
        match self {
            PolicyRule::MinBlocShare { .. } => "min_bloc_share",
            PolicyRule::MaxCountryShare { .. } => "max_country_share",
            PolicyRule::ExcludeOrigin { .. } => "exclude_origin",
            PolicyRule::RampLimit { .. } => "ramp_limit",
            PolicyRule::LoadBand { .. } => "load_band",
            PolicyRule::SiteVolume { .. } => "site_volume",
            PolicyRule::EmissionsCap { .. } => "emissions_cap",
            PolicyRule::MinFillRate { .. } => "min_fill_rate",
        }
    }
}

/// The whole validated problem.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub network: Network,
    pub policies: Vec<Policy>,
    pub solver: SolverSettings,
    /// Every file read, with its SHA-256.
    pub files: Vec<InputFile>,
    /// Command-line overrides applied to the model.
    pub overrides: Vec<String>,
}

impl Deref for Scenario {
    type Target = Network;

    fn deref(&self) -> &Network {
        &self.network
    }
}
