//! Readable names of the LP's columns and rows (e.g. `x[hagerstown,battery-module,2027-01]`,
//! `ramp-10[monterrey,2027-04]`), rendered only on demand. A policy row's name is its
//! policy's name and the scope its kind gives it.

use super::keys::{RowKey, VarKey};
use super::model::Row;
use crate::policy::Names;
use crate::scenario::Scenario;

/// Renders names against a scenario.
pub struct Namer<'a> {
    pub scenario: &'a Scenario,
    countries: Vec<String>,
}

impl<'a> Namer<'a> {
    pub fn new(scenario: &'a Scenario) -> Self {
        Namer {
            scenario,
            countries: scenario.site_countries(),
        }
    }

    fn site(&self, s: usize) -> &str {
        &self.scenario.sites[s].id
    }
    fn product(&self, p: usize) -> &str {
        &self.scenario.products[p].id
    }
    fn market(&self, m: usize) -> &str {
        &self.scenario.markets[m].id
    }
    fn period(&self, t: usize) -> &str {
        &self.scenario.periods[t]
    }

    pub fn var(&self, key: &VarKey, rows: &[Row]) -> String {
        let sc = self.scenario;
        match *key {
            VarKey::Production { make, t } => {
                let mk = &sc.makes[make];
                format!(
                    "x[{},{},{}]",
                    self.site(mk.site),
                    self.product(mk.product),
                    self.period(t)
                )
            }
            VarKey::Overtime { site, t } => format!("o[{},{}]", self.site(site), self.period(t)),
            VarKey::Shipment { lane, product, t } => {
                let l = &sc.lanes[lane];
                format!(
                    "y[{},{},{},{}]",
                    self.site(l.from),
                    self.market(l.to),
                    self.product(product),
                    self.period(t)
                )
            }
            VarKey::Inventory { make, t } => {
                let mk = &sc.makes[make];
                format!(
                    "I[{},{},{}]",
                    self.site(mk.site),
                    self.product(mk.product),
                    self.period(t)
                )
            }
            VarKey::Unmet { market, product, t } => {
                format!(
                    "u[{},{},{}]",
                    self.market(market),
                    self.product(product),
                    self.period(t)
                )
            }
            VarKey::LoadUp { site, t } => format!("dplus[{},{}]", self.site(site), self.period(t)),
            VarKey::LoadDown { site, t } => {
                format!("dminus[{},{}]", self.site(site), self.period(t))
            }
            VarKey::Slack { row } => format!("slack_{}", self.row(&rows[row].key)),
        }
    }

    pub fn row(&self, key: &RowKey) -> String {
        let sc = self.scenario;
        match *key {
            RowKey::Capacity { site, t } => {
                format!("capacity[{},{}]", self.site(site), self.period(t))
            }
            RowKey::InventoryBalance { make, t } => {
                let mk = &sc.makes[make];
                format!(
                    "balance[{},{},{}]",
                    self.site(mk.site),
                    self.product(mk.product),
                    self.period(t)
                )
            }
            RowKey::InventoryCapacity { site, t } => {
                format!("storage[{},{}]", self.site(site), self.period(t))
            }
            RowKey::Demand { market, product, t } => format!(
                "demand[{},{},{}]",
                self.market(market),
                self.product(product),
                self.period(t)
            ),
            RowKey::Leveling { site, t } => {
                format!("leveling[{},{}]", self.site(site), self.period(t))
            }
            RowKey::Policy { policy, row } => {
                let name = &sc.policies[policy].name;
                let names = Names {
                    net: sc,
                    countries: &self.countries,
                };
                format!("{name}[{}]", row.scope(&names))
            }
        }
    }
}
