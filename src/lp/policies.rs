//! Policy rows: each policy adds its own (its kind's file under `crate::policy` knows
//! which); this stage lends it the columns and takes the rows, giving a soft policy's
//! rows their slack. Rows over shipments count *arrivals*.

use super::keys::{RowKey, VarKey};
use super::model::{LpModel, Sense};
use super::{Builder, Context};
use crate::policy::{AddRows, Bound, Columns, PolicyRow};

pub fn add(b: &mut Builder) {
    let Builder { cx, lp } = b;
    let sc = cx.scenario;
    for (policy, p) in sc.policies.iter().enumerate() {
        let mut rows = PolicyRows {
            lp,
            policy,
            soft_penalty: p.soft_penalty,
        };
        p.rule.add_rows(sc, &*cx, &mut rows);
    }
}

/// Takes one policy's rows into the LP.
struct PolicyRows<'a> {
    lp: &'a mut LpModel,
    /// Index into `Scenario::policies`.
    policy: usize,
    soft_penalty: Option<f64>,
}

impl<R: Into<PolicyRow>> AddRows<R> for PolicyRows<'_> {
    /// Adds the row; a soft policy's row gets its own slack column priced at the penalty.
    fn add(&mut self, row: R, terms: impl IntoIterator<Item = (usize, f64)>, bound: Bound) {
        let lp = &mut *self.lp;
        let (sense, rhs, sign) = match bound {
            Bound::AtLeast(rhs) => (Sense::Ge, rhs, 1.0),
            Bound::AtMost(rhs) => (Sense::Le, rhs, -1.0),
        };
        let slack = self.soft_penalty.map(|penalty| {
            let row_index = lp.rows.len();
            let slack = lp.add_column(VarKey::Slack { row: row_index }, penalty, f64::INFINITY);
            (slack, sign)
        });
        let key = RowKey::Policy {
            policy: self.policy,
            row: row.into(),
        };
        lp.add_row(key, terms.into_iter().chain(slack), sense, rhs);
    }

    fn decision(&mut self, key: crate::policy::DecisionKey) -> usize {
        let var = VarKey::PolicyDecision {
            policy: self.policy,
            key,
        };
        self.lp.add_integer_column(var, 0.0, 1.0)
    }

    fn cost(&mut self, key: crate::policy::DecisionKey) -> usize {
        let var = VarKey::PolicyCost {
            policy: self.policy,
            key,
        };
        self.lp.add_column(var, 1.0, f64::INFINITY)
    }
}

impl Columns for Context<'_> {
    fn production(&self, make: usize, t: usize) -> Option<usize> {
        self.cols.production[[make, t]]
    }

    fn shipments(&self, lane: usize, product: usize, t: usize) -> impl Iterator<Item = usize> + '_ {
        self.shipment_classes(lane, product, t).map(|(_, c)| c)
    }

    fn consumption(&self, bom_use: usize, t: usize) -> Vec<(usize, usize, f64)> {
        let sc = self.scenario;
        let u = &sc.bom_uses[bom_use];
        let site = sc.makes[u.make].site;
        sc.origins
            .at(site, u.component)
            .iter()
            .filter_map(|&k| {
                self.consumption_terms(bom_use, t, k)
                    .map(|(c, a)| (sc.origins.representative(u.component, k), c, a))
            })
            .collect()
    }

    fn unmet(&self, market: usize, product: usize, t: usize) -> Option<usize> {
        self.cols.unmet[[market, product, t]]
    }

    fn load_changes(&self, site: usize, t: usize) -> Option<(usize, usize)> {
        Some((
            self.cols.load_up[[site, t]]?,
            self.cols.load_down[[site, t]]?,
        ))
    }

    fn makes_at(&self, site: usize) -> &[usize] {
        &self.makes_by_site[site]
    }

    fn uses_of(&self, make: usize) -> &[usize] {
        &self.uses_by_make[make]
    }

    fn capacity(&self, site: usize, t: usize) -> crate::policy::EffectiveCapacity {
        self.default_capacity(site, t)
    }

    fn most_made(&self, k: usize, t: usize) -> f64 {
        super::decisions::most_made(self.scenario, k, t)
    }

    fn for_each_arrival(
        &self,
        market: usize,
        product: usize,
        t: usize,
        f: impl FnMut(usize, usize, usize),
    ) {
        Context::for_each_arrival(self, market, product, t, f);
    }

    fn load_terms(&self, site: usize, t: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        Context::load_terms(self, site, t)
    }
}
