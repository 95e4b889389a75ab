//! The primal answer in model terms (not LP columns): what is made, shipped, held and
//! left unmet. Both the verifier and the reports read this.

use ndarray::{Array2, Array3};

use crate::build::{BuiltModel, VarKey};
use crate::scenario::Scenario;

/// Values this close to zero are solver noise and are reported as zero.
pub const ZERO_TOLERANCE: f64 = 1e-9;

#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    /// Units made [site, product, period].
    pub production: Array3<f64>,
    /// Overtime capacity units used [site, period].
    pub overtime: Array2<f64>,
    /// Units shipped [lane, product, departure period].
    pub shipments: Array3<f64>,
    /// Units held at the end of a period [site, product, period].
    pub inventory: Array3<f64>,
    /// Demand not served [market, product, period].
    pub unmet: Array3<f64>,
}

impl Allocation {
    pub fn zeros(scenario: &Scenario) -> Self {
        let (s, p, m, l, t) = (
            scenario.sites.len(),
            scenario.products.len(),
            scenario.markets.len(),
            scenario.lanes.len(),
            scenario.n_periods(),
        );
        Allocation {
            production: Array3::zeros((s, p, t)),
            overtime: Array2::zeros((s, t)),
            shipments: Array3::zeros((l, p, t)),
            inventory: Array3::zeros((s, p, t)),
            unmet: Array3::zeros((m, p, t)),
        }
    }

    /// Reads the column values of a solved model.
    pub fn from_solution(scenario: &Scenario, model: &BuiltModel, values: &[f64]) -> Self {
        let mut a = Allocation::zeros(scenario);
        for (column, &raw) in model.lp.columns.iter().zip(values) {
            let v = if raw.abs() < ZERO_TOLERANCE { 0.0 } else { raw };
            match column.key {
                VarKey::Production { make, t } => {
                    let mk = &scenario.makes[make];
                    a.production[[mk.site, mk.product, t]] = v;
                }
                VarKey::Overtime { site, t } => a.overtime[[site, t]] = v,
                VarKey::Shipment { lane, product, t } => a.shipments[[lane, product, t]] = v,
                VarKey::Inventory { make, t } => {
                    let mk = &scenario.makes[make];
                    a.inventory[[mk.site, mk.product, t]] = v;
                }
                VarKey::Unmet { market, product, t } => a.unmet[[market, product, t]] = v,
                VarKey::LoadUp { .. } | VarKey::LoadDown { .. } | VarKey::Slack { .. } => {}
            }
        }
        a
    }

    /// Load ℓ[s,t] = Σ_p rate·x[s,p,t], in capacity units.
    pub fn load(&self, scenario: &Scenario, site: usize, t: usize) -> f64 {
        scenario
            .makes
            .iter()
            .filter(|mk| mk.site == site)
            .map(|mk| mk.rate * self.production[[site, mk.product, t]])
            .sum()
    }

    /// Units of (market, product) arriving in period t, per lane.
    pub fn arrivals(
        &self,
        scenario: &Scenario,
        market: usize,
        product: usize,
        t: usize,
    ) -> impl Iterator<Item = (usize, f64)> + '_ {
        let lanes: Vec<(usize, usize)> = scenario
            .lanes
            .iter()
            .enumerate()
            .filter(|(_, l)| l.to == market && l.lead_time <= t)
            .map(|(i, l)| (i, t - l.lead_time))
            .collect();
        lanes
            .into_iter()
            .map(move |(lane, departure)| (lane, self.shipments[[lane, product, departure]]))
    }
}
