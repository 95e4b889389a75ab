//! From a solver's point back to model terms: the [`Allocation`] of a solved model.

use super::keys::VarKey;
use super::BuiltModel;
use crate::allocation::{Allocation, ZERO_TOLERANCE};
use crate::network::Network;

impl Allocation {
    /// Reads the column values of a solved model.
    pub fn from_solution(network: &Network, model: &BuiltModel, values: &[f64]) -> Self {
        let mut a = Allocation::zeros(network);
        for (column, &raw) in model.lp.columns.iter().zip(values) {
            let v = if raw.abs() < ZERO_TOLERANCE { 0.0 } else { raw };
            match column.key {
                VarKey::Production { make, t } => {
                    let mk = &network.makes[make];
                    a.production[[mk.site, mk.product, t]] = v;
                }
                VarKey::Overtime { site, t } => a.overtime[[site, t]] = v,
                VarKey::Shipment {
                    lane,
                    product,
                    class,
                    t,
                } => {
                    a.shipments[[lane, product, t]] += v;
                    if let Some(k) = class {
                        let from = network.lanes[lane].from;
                        let at = network.origins.at(from, product);
                        put(&mut a.shipment_classes, (lane, product, t), at, k, v);
                    }
                }
                VarKey::Inventory {
                    site,
                    product,
                    class,
                    t,
                } => {
                    a.inventory[[site, product, t]] += v;
                    if let Some(k) = class {
                        let at = network.origins.at(site, product);
                        put(&mut a.inventory_classes, (site, product, t), at, k, v);
                    }
                }
                VarKey::Consumption { bom_use, class, t } => {
                    let u = &network.bom_uses[bom_use];
                    let site = network.makes[u.make].site;
                    let at = network.origins.at(site, u.component);
                    put(&mut a.consumption_classes, (bom_use, t), at, class, v);
                }
                VarKey::Unmet { market, product, t } => a.unmet[[market, product, t]] = v,
                VarKey::LoadUp { .. } | VarKey::LoadDown { .. } | VarKey::Slack { .. } => {}
                VarKey::Open { site, t } => a.decisions.open[[site, t]] = v,
                VarKey::Opening { site, t } => a.decisions.opening[[site, t]] = v,
                VarKey::Closing { site, t } => a.decisions.closing[[site, t]] = v,
                VarKey::Build { expansion, t } => a.decisions.built[[expansion, t]] = v,
                VarKey::Run { make, t } => a.decisions.run[[make, t]] = v,
                VarKey::PolicyDecision { policy, key } => {
                    a.decisions.policy.insert((policy, key), v);
                }
                VarKey::PolicyCost { policy, key } => {
                    a.decisions.policy_costs.insert((policy, key), v);
                }
                VarKey::Shortfall { contract, window } => {
                    a.decisions.shortfall[contract][window] = v;
                }
            }
        }
        a
    }
}

/// Stores `v` as class `k`'s share (in the order of `at`) of the split at `key`.
fn put<K: Ord>(
    splits: &mut std::collections::BTreeMap<K, Vec<f64>>,
    key: K,
    at: &[u16],
    k: u16,
    v: f64,
) {
    let split = splits.entry(key).or_insert_with(|| vec![0.0; at.len()]);
    if let Some(i) = at.iter().position(|&x| x == k) {
        split[i] = v;
    }
}
