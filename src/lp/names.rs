//! Readable names of the LP's columns and rows (e.g. `x[hagerstown,battery-module,2027-01]`,
//! `ramp-10[monterrey,2027-04]`), rendered only on demand. A policy row's name is its
//! policy's name and the scope its kind gives it.

use super::keys::{RowKey, VarKey};
use super::model::{LpModel, Row};
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
    /// `@CN` (the origin class's countries) for a column or row split by origin.
    fn origin(&self, product: usize, class: Option<u16>) -> String {
        class.map_or(String::new(), |k| {
            format!("@{}", self.scenario.origins.label(product, k))
        })
    }

    /// `ningbo-bearings,2027-03` (per period) or `ningbo-bearings,horizon`.
    fn contract_window(&self, contract: usize, window: usize) -> String {
        let c = &self.scenario.decisions.contracts[contract];
        let when = match c.per {
            crate::network::Per::Period => self.period(window),
            crate::network::Per::Horizon => "horizon",
        };
        format!("{},{when}", c.name)
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
            VarKey::Shipment {
                lane,
                product,
                class,
                t,
            } => {
                let l = &sc.lanes[lane];
                let mode = l.mode.as_ref().map_or(String::new(), |m| format!("~{m}"));
                format!(
                    "y[{},{}{mode},{},{}]{}",
                    self.site(l.from),
                    sc.dest_id(lane),
                    self.product(product),
                    self.period(t),
                    self.origin(product, class)
                )
            }
            VarKey::Inventory {
                site,
                product,
                class,
                t,
            } => format!(
                "I[{},{},{}]{}",
                self.site(site),
                self.product(product),
                self.period(t),
                self.origin(product, class)
            ),
            VarKey::Consumption { bom_use, class, t } => {
                let u = &sc.bom_uses[bom_use];
                let mk = &sc.makes[u.make];
                format!(
                    "c[{},{},{},{}]{}",
                    self.site(mk.site),
                    self.product(mk.product),
                    self.product(u.component),
                    self.period(t),
                    self.origin(u.component, Some(class))
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
            VarKey::Open { site, t } => format!("open[{},{}]", self.site(site), self.period(t)),
            VarKey::Opening { site, t } => {
                format!("opens[{},{}]", self.site(site), self.period(t))
            }
            VarKey::Closing { site, t } => {
                format!("closes[{},{}]", self.site(site), self.period(t))
            }
            VarKey::Build { expansion, t } => {
                let e = &sc.decisions.expansions[expansion];
                format!("build[{},{},{}]", self.site(e.site), e.name, self.period(t))
            }
            VarKey::Run { make, t } => {
                let mk = &sc.makes[make];
                format!(
                    "run[{},{},{}]",
                    self.site(mk.site),
                    self.product(mk.product),
                    self.period(t)
                )
            }
            VarKey::PolicyDecision {
                policy,
                key: (site, product, t),
            } => format!(
                "qualifies_{}[{},{},{}]",
                sc.policies[policy].name,
                self.site(site),
                self.product(product),
                t.map_or("horizon", |t| self.period(t))
            ),
            VarKey::PolicyCost {
                policy,
                key: (site, product, t),
            } => format!(
                "tariff_{}[{},{},{}]",
                sc.policies[policy].name,
                self.site(site),
                self.product(product),
                t.map_or("horizon", |t| self.period(t))
            ),
            VarKey::Shortfall { contract, window } => {
                format!("short[{}]", self.contract_window(contract, window))
            }
        }
    }

    /// The names of every column of `lp`, in column order.
    pub fn columns<'b>(&'b self, lp: &'b LpModel) -> impl Iterator<Item = String> + 'b {
        lp.columns.iter().map(|c| self.var(&c.key, &lp.rows))
    }

    /// The names of every row of `lp`, in row order.
    pub fn rows<'b>(&'b self, lp: &'b LpModel) -> impl Iterator<Item = String> + 'b {
        lp.rows.iter().map(|r| self.row(&r.key))
    }

    pub fn row(&self, key: &RowKey) -> String {
        let sc = self.scenario;
        match *key {
            RowKey::Capacity { site, t } => {
                format!("capacity[{},{}]", self.site(site), self.period(t))
            }
            RowKey::InventoryBalance {
                site,
                product,
                class,
                t,
            } => format!(
                "balance[{},{},{}]{}",
                self.site(site),
                self.product(product),
                self.period(t),
                self.origin(product, class)
            ),
            RowKey::Resource { resource, t } => {
                let r = &sc.resources[resource];
                format!(
                    "resource[{},{},{}]",
                    self.site(r.site),
                    r.name,
                    self.period(t)
                )
            }
            RowKey::Throughput { site, t } => {
                format!("throughput[{},{}]", self.site(site), self.period(t))
            }
            RowKey::LaneCapacity { lane, t } => {
                let l = &sc.lanes[lane];
                let mode = l.mode.as_ref().map_or(String::new(), |m| format!("~{m}"));
                format!(
                    "lane[{},{}{mode},{}]",
                    self.site(l.from),
                    sc.dest_id(lane),
                    self.period(t)
                )
            }
            RowKey::ProductStorage { limit, t } => {
                let x = &sc.storage_limits[limit];
                format!(
                    "storage[{},{},{}]",
                    self.site(x.site),
                    self.product(x.product),
                    self.period(t)
                )
            }
            RowKey::FinalStock { site, product } => {
                format!("final[{},{}]", self.site(site), self.product(product))
            }
            RowKey::ConsumptionSplit { bom_use, t } => {
                let u = &sc.bom_uses[bom_use];
                let mk = &sc.makes[u.make];
                format!(
                    "consume[{},{},{},{}]",
                    self.site(mk.site),
                    self.product(mk.product),
                    self.product(u.component),
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
            RowKey::OpenCapacity { site, t } => {
                format!("capacity_open[{},{}]", self.site(site), self.period(t))
            }
            RowKey::OpenResource { resource, t } => {
                let r = &sc.resources[resource];
                format!(
                    "resource_open[{},{},{}]",
                    self.site(r.site),
                    r.name,
                    self.period(t)
                )
            }
            RowKey::OpenOvertime { site, t } => {
                format!("overtime_open[{},{}]", self.site(site), self.period(t))
            }
            RowKey::OpenChange { site, t } => {
                format!("open_change[{},{}]", self.site(site), self.period(t))
            }
            RowKey::BuildOnce { expansion } => {
                let e = &sc.decisions.expansions[expansion];
                format!("build_once[{},{}]", self.site(e.site), e.name)
            }
            RowKey::MinRun { make, t } => {
                let mk = &sc.makes[make];
                format!(
                    "min_run[{},{},{}]",
                    self.site(mk.site),
                    self.product(mk.product),
                    self.period(t)
                )
            }
            RowKey::RunLimit { make, t } => {
                let mk = &sc.makes[make];
                format!(
                    "run_limit[{},{},{}]",
                    self.site(mk.site),
                    self.product(mk.product),
                    self.period(t)
                )
            }
            RowKey::ContractMin { contract, window } => {
                format!("contract_min[{}]", self.contract_window(contract, window))
            }
            RowKey::ContractMax { contract, window } => {
                format!("contract_max[{}]", self.contract_window(contract, window))
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
