//! The validated, typed problem: a [`Network`] and the policies that constrain plans on
//! it, with the run's settings. It dereferences to its network, so `sc.sites` reads the
//! network's sites.

use std::ops::Deref;

use crate::network::{Network, SolverSettings};
use crate::plan::InputFile;
use crate::policy::Policy;

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
