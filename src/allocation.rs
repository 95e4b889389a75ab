//! The primal answer in model terms (not LP columns): what is made, shipped, held and
//! left unmet. The verifier, the policies' checks and the reports read this; the LP stage
//! fills it from a solver's point (`Allocation::from_solution`, in `lp`).

use std::collections::BTreeMap;

use ndarray::{Array2, Array3};

use crate::network::{Dest, Network};

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
    /// Where the origin site holds a product of more than one origin class: units
    /// shipped per class (in the order of `Origins::at(from, product)`), by (lane,
    /// product, departure period). Elsewhere the shipment has the origin's one class.
    pub shipment_classes: BTreeMap<(usize, usize, usize), Vec<f64>>,
    /// Likewise for stock: per class, by (site, product, period).
    pub inventory_classes: BTreeMap<(usize, usize, usize), Vec<f64>>,
    /// Likewise for component consumption: per class of the component at the site, by
    /// (index into `Network::bom_uses`, period).
    pub consumption_classes: BTreeMap<(usize, usize), Vec<f64>>,
    /// The values of the decisions over the horizon.
    pub decisions: DecisionValues,
}

/// Opening and closing, expansions, runs and contract shortfalls, as solved.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionValues {
    /// [site, t]: 1 while open (always 1 for a site that cannot close).
    pub open: Array2<f64>,
    /// [site, t]: the LP's opening and closing columns (0 where none).
    pub opening: Array2<f64>,
    pub closing: Array2<f64>,
    /// [expansion, t]: the part built in t.
    pub built: Array2<f64>,
    /// [make, t]: 1 when a make with `min_run` runs.
    pub run: Array2<f64>,
    /// [contract][window]: the LP's shortfall column (0 where none).
    pub shortfall: Vec<Vec<f64>>,
    /// Policies' binary decisions by (policy, key): `regional_value_content` with
    /// `preference` keys them by (site, product, window).
    pub policy: BTreeMap<(usize, PolicyKey), f64>,
    /// The $ columns that go with them (the tariff paid when a rule fails).
    pub policy_costs: BTreeMap<(usize, PolicyKey), f64>,
}

/// A policy decision's key: two indices and a window (`None`: the horizon).
pub type PolicyKey = (usize, usize, Option<usize>);

impl DecisionValues {
    /// Part of expansion `e` built in or before `t`.
    pub fn built_by(&self, e: usize, t: usize) -> f64 {
        (0..=t).map(|tau| self.built[[e, tau]]).sum()
    }
}

impl Allocation {
    pub fn zeros(scenario: &Network) -> Self {
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
            shipment_classes: BTreeMap::new(),
            inventory_classes: BTreeMap::new(),
            consumption_classes: BTreeMap::new(),
            decisions: DecisionValues {
                open: Array2::ones((s, t)),
                opening: Array2::zeros((s, t)),
                closing: Array2::zeros((s, t)),
                built: Array2::zeros((scenario.decisions.expansions.len(), t)),
                run: Array2::zeros((scenario.makes.len(), t)),
                shortfall: scenario
                    .decisions
                    .contracts
                    .iter()
                    .map(|c| vec![0.0; c.per.groups(t).len()])
                    .collect(),
                policy: BTreeMap::new(),
                policy_costs: BTreeMap::new(),
            },
        }
    }

    /// The effective capacity of a site's default resource in `t`: (capacity plus the
    /// expansions built so far) × open.
    pub fn capacity(&self, net: &Network, site: usize, t: usize) -> f64 {
        let added: f64 = net
            .decisions
            .default_expansions(site)
            .map(|(e, x)| x.capacity * self.decisions.built_by(e, t))
            .sum();
        (net.capacity[[site, t]] + added) * self.decisions.open[[site, t]]
    }

    /// Units shipped by a contract's site, of its products, in the departure periods of
    /// a window.
    pub fn contract_shipped(&self, net: &Network, contract: usize, periods: &[usize]) -> f64 {
        let c = &net.decisions.contracts[contract];
        net.lanes
            .iter()
            .enumerate()
            .filter(|(_, lane)| lane.from == c.site)
            .flat_map(|(l, _)| {
                (0..net.products.len())
                    .filter(|&p| c.products[p])
                    .flat_map(move |p| periods.iter().map(move |&t| self.shipments[[l, p, t]]))
            })
            .sum()
    }

    /// The effective capacity of a named resource in `t`.
    pub fn resource_capacity(&self, net: &Network, resource: usize, t: usize) -> f64 {
        let r = &net.resources[resource];
        let added: f64 = net
            .decisions
            .resource_expansions(resource)
            .map(|(e, x)| x.capacity * self.decisions.built_by(e, t))
            .sum();
        (r.capacity[t] + added) * self.decisions.open[[r.site, t]]
    }

    /// Units of `product` shipped along `lane` in period `t`, per origin class (as
    /// `Origins::at(from, product)` lists them): (class, units).
    pub fn shipped_by_class<'a>(
        &'a self,
        net: &'a Network,
        lane: usize,
        product: usize,
        t: usize,
    ) -> impl Iterator<Item = (u16, f64)> + 'a {
        let from = net.lanes[lane].from;
        split(
            net.origins.at(from, product),
            self.shipments[[lane, product, t]],
            self.shipment_classes.get(&(lane, product, t)),
        )
    }

    /// Stock of `product` at `site` at the end of `t`, per origin class.
    pub fn held_by_class<'a>(
        &'a self,
        net: &'a Network,
        site: usize,
        product: usize,
        t: usize,
    ) -> impl Iterator<Item = (u16, f64)> + 'a {
        split(
            net.origins.at(site, product),
            self.inventory[[site, product, t]],
            self.inventory_classes.get(&(site, product, t)),
        )
    }

    /// Units of component `use` consumed in `t`, per origin class of the component at
    /// the site.
    pub fn consumed_by_class<'a>(
        &'a self,
        net: &'a Network,
        bom_use: usize,
        t: usize,
    ) -> impl Iterator<Item = (u16, f64)> + 'a {
        let u = &net.bom_uses[bom_use];
        let mk = &net.makes[u.make];
        split(
            net.origins.at(mk.site, u.component),
            u.qty * self.production[[mk.site, mk.product, t]],
            self.consumption_classes.get(&(bom_use, t)),
        )
    }

    /// Units of named resource `resource` used in period `t`: Σ uses·x over what its
    /// site makes.
    pub fn resource_use(&self, net: &Network, resource: usize, t: usize) -> f64 {
        net.makes
            .iter()
            .zip(&net.make_uses)
            .flat_map(|(mk, uses)| {
                uses.iter()
                    .filter(|(r, _)| *r == resource)
                    .map(move |(_, amount)| amount * self.production[[mk.site, mk.product, t]])
            })
            .sum()
    }

    /// Units leaving on `lane` in departure period `t`, all products.
    pub fn sent(&self, lane: usize, t: usize) -> f64 {
        self.shipments.slice(ndarray::s![lane, .., t]).sum()
    }

    /// Units arriving at site (or hub) `site` in period `t`, all lanes and products.
    pub fn arrived(&self, net: &Network, index: &LaneIndex, site: usize, t: usize) -> f64 {
        index.into_site[site]
            .iter()
            .filter_map(|&l| {
                let lead = net.lanes[l].lead_time;
                (lead <= t).then(|| self.sent(l, t - lead))
            })
            .sum()
    }

    /// Load ℓ[s,t] = Σ_p rate·x[s,p,t], in capacity units.
    pub fn load(&self, scenario: &Network, site: usize, t: usize) -> f64 {
        scenario
            .make_index
            .row(site)
            .iter()
            .flatten()
            .map(|&k| {
                let mk = &scenario.makes[k];
                mk.rate * self.production[[site, mk.product, t]]
            })
            .sum()
    }

    /// Loads of every site and period [site, t], in one pass over what sites make.
    pub fn loads(&self, scenario: &Network) -> Array2<f64> {
        let mut loads = Array2::zeros(self.overtime.raw_dim());
        for mk in &scenario.makes {
            for t in 0..loads.ncols() {
                loads[[mk.site, t]] += mk.rate * self.production[[mk.site, mk.product, t]];
            }
        }
        loads
    }

    /// Units of (market, product) arriving in period t, per lane and origin: (lane,
    /// origin country, units), the country an index into `Origins::countries` (any
    /// member of its class). Scans every lane: for many calls, build a [`LaneIndex`]
    /// and use [`Allocation::arrivals_at`].
    pub fn arrivals<'a>(
        &'a self,
        net: &'a Network,
        market: usize,
        product: usize,
        t: usize,
    ) -> impl Iterator<Item = (usize, usize, f64)> + 'a {
        net.lanes
            .iter()
            .enumerate()
            .filter(move |(_, l)| l.to == Dest::Market(market) && l.lead_time <= t)
            .flat_map(move |(lane, l)| self.by_origin(net, lane, product, t - l.lead_time))
    }

    /// [`Allocation::arrivals`] through an index: only the market's own lanes.
    pub fn arrivals_at<'a>(
        &'a self,
        net: &'a Network,
        index: &'a LaneIndex,
        market: usize,
        product: usize,
        t: usize,
    ) -> impl Iterator<Item = (usize, usize, f64)> + 'a {
        index.by_market[market].iter().flat_map(move |&lane| {
            let lead = net.lanes[lane].lead_time;
            (lead <= t)
                .then(|| self.by_origin(net, lane, product, t - lead))
                .into_iter()
                .flatten()
        })
    }

    /// (lane, origin country, units) of a shipment, per origin class.
    fn by_origin<'a>(
        &'a self,
        net: &'a Network,
        lane: usize,
        product: usize,
        departure: usize,
    ) -> impl Iterator<Item = (usize, usize, f64)> + 'a {
        self.shipped_by_class(net, lane, product, departure)
            .map(move |(k, q)| {
                let from = net.lanes[lane].from;
                (lane, net.origins.origin_country(product, k, from), q)
            })
    }
}

/// A total split by class: the stored split where there is one, else the whole total
/// in the one class (nothing when there is no class).
fn split<'a>(
    classes: &'a [u16],
    total: f64,
    stored: Option<&'a Vec<f64>>,
) -> impl Iterator<Item = (u16, f64)> + 'a {
    let single = match (stored, classes.first()) {
        (None, Some(&k)) => Some((k, total)),
        _ => None,
    };
    let many = stored
        .map(|v| classes.iter().copied().zip(v.iter().copied()))
        .into_iter()
        .flatten();
    single.into_iter().chain(many)
}

/// Lanes by origin site and by destination market, so that sums over a site's or a
/// market's lanes do not scan every lane.
#[derive(Debug, Clone, Default)]
pub struct LaneIndex {
    /// [site] → lanes leaving it, ascending.
    pub by_site: Vec<Vec<usize>>,
    /// [market] → lanes arriving there, ascending.
    pub by_market: Vec<Vec<usize>>,
    /// [site] → lanes arriving there (from other sites and hubs), ascending.
    pub into_site: Vec<Vec<usize>>,
}

impl LaneIndex {
    pub fn new(scenario: &Network) -> LaneIndex {
        let mut by_site = vec![Vec::new(); scenario.sites.len()];
        let mut by_market = vec![Vec::new(); scenario.markets.len()];
        let mut into_site = vec![Vec::new(); scenario.sites.len()];
        for (l, lane) in scenario.lanes.iter().enumerate() {
            by_site[lane.from].push(l);
            match lane.to {
                Dest::Market(m) => by_market[m].push(l),
                Dest::Site(s) => into_site[s].push(l),
            }
        }
        LaneIndex {
            by_site,
            by_market,
            into_site,
        }
    }
}
