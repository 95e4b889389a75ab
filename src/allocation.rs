//! The primal answer in model terms (not LP columns): what is made, shipped, held and
//! left unmet. The verifier, the policies' checks and the reports read this; the LP stage
//! fills it from a solver's point (`Allocation::from_solution`, in `lp`).

use ndarray::{Array2, Array3};

use crate::network::Network;

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
        }
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

    /// Units of (market, product) arriving in period t, per lane. Scans every lane: for
    /// many calls, build a [`LaneIndex`] and use [`Allocation::arrivals_at`].
    pub fn arrivals<'a>(
        &'a self,
        scenario: &'a Network,
        market: usize,
        product: usize,
        t: usize,
    ) -> impl Iterator<Item = (usize, f64)> + 'a {
        scenario
            .lanes
            .iter()
            .enumerate()
            .filter(move |(_, l)| l.to == market && l.lead_time <= t)
            .map(move |(lane, l)| (lane, self.shipments[[lane, product, t - l.lead_time]]))
    }

    /// [`Allocation::arrivals`] through an index: only the market's own lanes.
    pub fn arrivals_at<'a>(
        &'a self,
        scenario: &'a Network,
        index: &'a LaneIndex,
        market: usize,
        product: usize,
        t: usize,
    ) -> impl Iterator<Item = (usize, f64)> + 'a {
        index.by_market[market].iter().filter_map(move |&lane| {
            let lead = scenario.lanes[lane].lead_time;
            (lead <= t).then(|| (lane, self.shipments[[lane, product, t - lead]]))
        })
    }
}

/// Lanes by origin site and by destination market, so that sums over a site's or a
/// market's lanes do not scan every lane.
#[derive(Debug, Clone, Default)]
pub struct LaneIndex {
    /// [site] → lanes leaving it, ascending.
    pub by_site: Vec<Vec<usize>>,
    /// [market] → lanes arriving there, ascending.
    pub by_market: Vec<Vec<usize>>,
}

impl LaneIndex {
    pub fn new(scenario: &Network) -> LaneIndex {
        let mut by_site = vec![Vec::new(); scenario.sites.len()];
        let mut by_market = vec![Vec::new(); scenario.markets.len()];
        for (l, lane) in scenario.lanes.iter().enumerate() {
            by_site[lane.from].push(l);
            by_market[lane.to].push(l);
        }
        LaneIndex { by_site, by_market }
    }
}
