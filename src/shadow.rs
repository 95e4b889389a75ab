//! Shadow prices and reduced costs in the planner's terms, from a backend's row duals
//! (∂ total cost / ∂ right-hand side).
//!
//! - capacity: what one more capacity unit at a site in a period is worth (−dual);
//! - bloc share: what one more percentage point of a `min_bloc_share` target costs
//!   (dual × units delivered in the row × 1%, by the envelope theorem on the row
//!   Σ(1[s∈bloc] − α)·y ≥ 0);
//! - demand: the marginal cost of one more unit of demand;
//! - other policy rows: the saving from relaxing the row by one unit of its own measure.
//!
//! Each policy kind says how its rows are priced (`crate::policy::Price`).

use ndarray::Array3;

use crate::lp::{BuiltModel, Namer, RowKey, VarKey};
use crate::plan::{
    CapacityPrice, DemandPrice, LanePrice, PolicyPrice, ReducedCost, ResourcePrice, ShadowPrices,
    SharePrice, ThroughputPrice, ValueContentPrice,
};
use crate::policy::Price;
use crate::scenario::Scenario;
use crate::solve::round_dual;

/// Duals this small are reported as zero.
const DUAL_TOLERANCE: f64 = 1e-7;

/// Collects the planner-facing prices from row duals (and reduced costs, if any).
pub fn shadow_prices(
    sc: &Scenario,
    model: &BuiltModel,
    values: &[f64],
    row_duals: &[f64],
    reduced_costs: Option<&[f64]>,
) -> ShadowPrices {
    let namer = Namer::new(sc);
    let lp = &model.lp;
    let period =
        |t: Option<usize>| t.map_or_else(|| "horizon".to_string(), |t| sc.periods[t].clone());
    let mut out = ShadowPrices::default();
    // Share rows carry demand on their right-hand side (share · Σ demand, see
    // policy::min_bloc_share), one unmet column per period they cover: one more
    // unit of demand moves those rows too, so their duals join the demand row's.
    let mut demand_extra: Array3<f64> = Array3::zeros(sc.demand.raw_dim());
    for (i, (row, &dual)) in lp.rows.iter().zip(row_duals).enumerate() {
        if let RowKey::Policy { row: prow, .. } = row.key {
            if prow.is_share() && dual != 0.0 {
                for &(j, a) in lp.row_entries(i) {
                    if let VarKey::Unmet { market, product, t } = lp.columns[j].key {
                        demand_extra[[market, product, t]] += a * dual;
                    }
                }
            }
        }
    }
    for (i, (row, &dual)) in lp.rows.iter().zip(row_duals).enumerate() {
        let dual = match row.key {
            RowKey::Demand { market, product, t } => {
                round_dual(dual + demand_extra[[market, product, t]])
            }
            _ => dual,
        };
        if dual.abs() < DUAL_TOLERANCE {
            continue;
        }
        match row.key {
            RowKey::Capacity { site, t } => out.capacity.push(CapacityPrice {
                site: sc.sites[site].id.clone(),
                period: sc.periods[t].clone(),
                value: -dual,
            }),
            RowKey::Demand { market, product, t } => out.demand.push(DemandPrice {
                market: sc.markets[market].id.clone(),
                product: sc.products[product].id.clone(),
                period: sc.periods[t].clone(),
                marginal_cost: dual,
            }),
            RowKey::Policy { policy, row: prow } => {
                let name = sc.policies[policy].name.clone();
                match prow.price() {
                    Price::PerPoint { market, product, t } => {
                        // What the row's periods deliver: demand less unmet, over the
                        // periods it covers (those with an unmet column in it).
                        let delivered: f64 = lp
                            .row_entries(i)
                            .iter()
                            .filter_map(|&(j, _)| match lp.columns[j].key {
                                VarKey::Unmet { t, .. } => {
                                    Some(sc.demand[[market, product, t]] - values[j])
                                }
                                _ => None,
                            })
                            .sum();
                        out.bloc_share.push(SharePrice {
                            policy: name,
                            market: sc.markets[market].id.clone(),
                            product: sc.products[product].id.clone(),
                            period: period(t),
                            dual,
                            cost_per_point: dual * delivered * 0.01,
                        });
                    }
                    Price::PerValuePoint { site, product, t } => {
                        // One more point moves the row's bound by 1% of the value made
                        // in its periods: v_p · Σ x (the envelope theorem, as for shares).
                        let produced: f64 = lp
                            .row_entries(i)
                            .iter()
                            .filter_map(|&(j, _)| match lp.columns[j].key {
                                VarKey::Production { make, .. }
                                    if sc.makes[make].site == site
                                        && sc.makes[make].product == product =>
                                {
                                    Some(values[j])
                                }
                                _ => None,
                            })
                            .sum();
                        out.value_content.push(ValueContentPrice {
                            policy: name,
                            site: sc.sites[site].id.clone(),
                            product: sc.products[product].id.clone(),
                            period: period(t),
                            dual,
                            cost_per_point: dual
                                * sc.products[product].unit_value
                                * produced
                                * 0.01,
                        });
                    }
                    Price::Per(unit) => out.policies.push(PolicyPrice {
                        policy: name,
                        kind: sc.policies[policy].rule.kind().to_string(),
                        row: namer.row(&row.key),
                        value: dual.abs(),
                        unit: unit.to_string(),
                    }),
                }
            }
            RowKey::Resource { resource, t } => {
                let r = &sc.resources[resource];
                out.resources.push(ResourcePrice {
                    site: sc.sites[r.site].id.clone(),
                    resource: r.name.clone(),
                    period: sc.periods[t].clone(),
                    value: -dual,
                });
            }
            RowKey::LaneCapacity { lane, t } => {
                let l = &sc.lanes[lane];
                out.lanes.push(LanePrice {
                    from: sc.sites[l.from].id.clone(),
                    to: sc.dest_id(lane).to_string(),
                    mode: l.mode.clone(),
                    period: sc.periods[t].clone(),
                    value: -dual,
                });
            }
            RowKey::Throughput { site, t } => out.throughput.push(ThroughputPrice {
                site: sc.sites[site].id.clone(),
                period: sc.periods[t].clone(),
                value: -dual,
            }),
            RowKey::ContractMin { contract, .. } | RowKey::ContractMax { contract, .. } => {
                out.policies.push(PolicyPrice {
                    policy: sc.decisions.contracts[contract].name.clone(),
                    kind: "contract".to_string(),
                    row: namer.row(&row.key),
                    value: dual.abs(),
                    unit: "unit".to_string(),
                })
            }
            RowKey::OpenCapacity { .. }
            | RowKey::OpenResource { .. }
            | RowKey::OpenOvertime { .. }
            | RowKey::OpenChange { .. }
            | RowKey::BuildOnce { .. }
            | RowKey::MinRun { .. }
            | RowKey::RunLimit { .. }
            | RowKey::InventoryBalance { .. }
            | RowKey::InventoryCapacity { .. }
            | RowKey::ProductStorage { .. }
            | RowKey::FinalStock { .. }
            | RowKey::ConsumptionSplit { .. }
            | RowKey::Leveling { .. } => {}
        }
    }
    if let Some(reduced) = reduced_costs {
        for (column, &rc) in lp.columns.iter().zip(reduced) {
            if rc.abs() >= DUAL_TOLERANCE {
                out.reduced_costs.push(ReducedCost {
                    variable: namer.var(&column.key, &lp.rows),
                    reduced_cost: rc,
                });
            }
        }
    }
    out.capacity.sort_by(|a, b| b.value.total_cmp(&a.value));
    out.bloc_share
        .sort_by(|a, b| b.cost_per_point.total_cmp(&a.cost_per_point));
    out.policies.sort_by(|a, b| b.value.total_cmp(&a.value));
    out.resources.sort_by(|a, b| b.value.total_cmp(&a.value));
    out.value_content
        .sort_by(|a, b| b.cost_per_point.total_cmp(&a.cost_per_point));
    out.lanes.sort_by(|a, b| b.value.total_cmp(&a.value));
    out.throughput.sort_by(|a, b| b.value.total_cmp(&a.value));
    out
}
