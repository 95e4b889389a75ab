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
                VarKey::Shipment { lane, product, t } => a.shipments[[lane, product, t]] = v,
                VarKey::Inventory { make, t } => {
                    let mk = &network.makes[make];
                    a.inventory[[mk.site, mk.product, t]] = v;
                }
                VarKey::Unmet { market, product, t } => a.unmet[[market, product, t]] = v,
                VarKey::LoadUp { .. } | VarKey::LoadDown { .. } | VarKey::Slack { .. } => {}
            }
        }
        a
    }
}
