//! Plan assembly: turns a solved (or failed) model into the plain-data [`Plan`].
//!
//! This is the one place that reads the LP and the solver's point to fill the plan; the
//! plan itself imports nothing from the solving side.

use crate::allocation::Allocation;
use crate::lp::{BuiltModel, Namer, RowKey, Sense, VarKey};
use crate::plan::{
    InventoryRow, Kpis, Metadata, Plan, PlanStatus, PolicyResult, ProductionRow, ShipmentRow,
    SitePeriod, SitePlan, SourcingRow, UnmetRow, Verification,
};
use crate::policy::Facts;
use crate::scenario::Scenario;
use crate::solve::SolveStatus;

/// Rows closer than this (relative) to their bound count as binding.
const BINDING_TOLERANCE: f64 = 1e-7;

/// A plan for a solve that produced no usable point.
pub fn plan_without_solution(
    sc: &Scenario,
    status: &SolveStatus,
    message: String,
    metadata: Metadata,
) -> Plan {
    Plan {
        status: status.plan_status(),
        objective: None,
        message: Some(message),
        model: sc.name.clone(),
        periods: sc.periods.clone(),
        costs: None,
        kpis: None,
        sites: Vec::new(),
        production: Vec::new(),
        shipments: Vec::new(),
        inventory: Vec::new(),
        unmet: Vec::new(),
        sourcing: Vec::new(),
        bloc_shares: Vec::new(),
        policies: Vec::new(),
        shadow_prices: None,
        duals_note: None,
        explanation: None,
        verification: None,
        metadata,
    }
}

/// The plan of a solved model.
pub fn plan_from_solution(
    sc: &Scenario,
    model: &BuiltModel,
    values: &[f64],
    allocation: &Allocation,
    verification: Verification,
    metadata: Metadata,
) -> Plan {
    let n_t = sc.n_periods();
    let a = allocation;
    let facts = Facts::new(sc, a);
    let loads = &facts.loads;
    let mut sites = Vec::with_capacity(sc.sites.len());
    let (mut cap_total, mut load_total, mut load_change) = (0.0, 0.0, 0.0);
    for (s, site) in sc.sites.iter().enumerate() {
        let mut periods = Vec::with_capacity(n_t);
        let mut previous = site.last_load;
        for t in 0..n_t {
            let load = loads[[s, t]];
            let capacity = sc.capacity[[s, t]];
            cap_total += capacity;
            load_total += load;
            if let Some(prev) = previous {
                load_change += (load - prev).abs();
            }
            previous = Some(load);
            periods.push(SitePeriod {
                period: sc.periods[t].clone(),
                capacity,
                overtime_capacity: sc.overtime_capacity[[s, t]],
                load,
                overtime: a.overtime[[s, t]],
                utilization: if capacity > 0.0 { load / capacity } else { 0.0 },
            });
        }
        sites.push(SitePlan {
            id: site.id.clone(),
            country: site.country.clone(),
            periods,
        });
    }

    let mut production = Vec::new();
    let mut inventory = Vec::new();
    for mk in &sc.makes {
        for t in 0..n_t {
            let q = a.production[[mk.site, mk.product, t]];
            if q != 0.0 {
                production.push(ProductionRow {
                    site: sc.sites[mk.site].id.clone(),
                    product: sc.products[mk.product].id.clone(),
                    period: sc.periods[t].clone(),
                    quantity: q,
                });
            }
            let i = a.inventory[[mk.site, mk.product, t]];
            if i != 0.0 {
                inventory.push(InventoryRow {
                    site: sc.sites[mk.site].id.clone(),
                    product: sc.products[mk.product].id.clone(),
                    period: sc.periods[t].clone(),
                    quantity: i,
                });
            }
        }
    }

    let mut shipments = Vec::new();
    let mut emissions = 0.0;
    for ((l, p, t), &q) in a.shipments.indexed_iter() {
        if q == 0.0 {
            continue;
        }
        let lane = &sc.lanes[l];
        emissions += lane.emissions * q;
        shipments.push(ShipmentRow {
            from: sc.sites[lane.from].id.clone(),
            to: sc.markets[lane.to].id.clone(),
            product: sc.products[p].id.clone(),
            departure: sc.periods[t].clone(),
            arrival: sc
                .periods
                .get(t + lane.lead_time)
                .cloned()
                .unwrap_or_default(),
            quantity: q,
            unit_cost: lane
                .unit_cost(&sc.products[p], p, sc.objective.carbon_price)
                .unwrap_or(0.0),
        });
    }

    let mut unmet = Vec::new();
    let (mut demand_total, mut unmet_total) = (0.0, 0.0);
    for ((m, p, t), &d) in sc.demand.indexed_iter() {
        let u = a.unmet[[m, p, t]];
        demand_total += d;
        unmet_total += u;
        if d > 0.0 {
            unmet.push(UnmetRow {
                market: sc.markets[m].id.clone(),
                product: sc.products[p].id.clone(),
                period: sc.periods[t].clone(),
                demand: d,
                unmet: u,
            });
        }
    }

    let sourcing = sourcing_rows(&facts);
    let bloc_shares = sc
        .policies
        .iter()
        .flat_map(|policy| policy.rule.bloc_shares(&policy.name, &facts))
        .collect();
    let policies = policy_results(sc, model, values, &verification);

    let kpis = Kpis {
        demand: demand_total,
        served: demand_total - unmet_total,
        unmet: unmet_total,
        fill_rate: if demand_total > 0.0 {
            (demand_total - unmet_total) / demand_total
        } else {
            1.0
        },
        produced: a.production.sum(),
        overtime_used: a.overtime.sum(),
        utilization: if cap_total > 0.0 {
            load_total / cap_total
        } else {
            0.0
        },
        load_change,
        emissions_kg: emissions,
    };
    let objective = verification.objective_reported;
    Plan {
        status: PlanStatus::Optimal,
        objective: Some(objective),
        message: None,
        model: sc.name.clone(),
        periods: sc.periods.clone(),
        costs: Some(verification.costs.clone()),
        kpis: Some(kpis),
        sites,
        production,
        shipments,
        inventory,
        unmet,
        sourcing,
        bloc_shares,
        policies,
        shadow_prices: None,
        duals_note: None,
        explanation: None,
        verification: Some(verification),
        metadata,
    }
}

fn sourcing_rows(facts: &Facts) -> Vec<SourcingRow> {
    let (sc, a, index) = (facts.net, facts.alloc, &facts.lanes);
    let (countries, lane_country) = (&facts.countries, &facts.lane_country);
    let mut rows = Vec::new();
    let mut by_country = vec![0.0; countries.len()];
    for m in 0..sc.markets.len() {
        for p in 0..sc.products.len() {
            for t in 0..sc.n_periods() {
                by_country.iter_mut().for_each(|q| *q = 0.0);
                for (l, y) in a.arrivals_at(sc, index, m, p, t) {
                    if let Some(i) = lane_country[l] {
                        by_country[i] += y;
                    }
                }
                let total: f64 = by_country.iter().sum();
                if total <= 0.0 {
                    continue;
                }
                for (i, &q) in by_country.iter().enumerate() {
                    if q > 0.0 {
                        rows.push(SourcingRow {
                            market: sc.markets[m].id.clone(),
                            product: sc.products[p].id.clone(),
                            period: sc.periods[t].clone(),
                            country: countries[i].clone(),
                            quantity: q,
                            share: q / total,
                        });
                    }
                }
            }
        }
    }
    rows
}

fn policy_results(
    sc: &Scenario,
    model: &BuiltModel,
    values: &[f64],
    verification: &Verification,
) -> Vec<PolicyResult> {
    let namer = Namer::new(sc);
    let lp = &model.lp;
    let mut results: Vec<PolicyResult> = sc
        .policies
        .iter()
        .map(|p| PolicyResult {
            name: p.name.clone(),
            kind: p.rule.kind().to_string(),
            soft: p.soft_penalty.is_some(),
            penalty: p.soft_penalty,
            rows: 0,
            binding_rows: 0,
            binding_examples: Vec::new(),
            slack: verification
                .soft_slack
                .iter()
                .find(|(n, _)| *n == p.name)
                .map_or(0.0, |(_, s)| *s),
        })
        .collect();
    for (i, row) in lp.rows.iter().enumerate() {
        let RowKey::Policy { policy, row: prow } = row.key else {
            continue;
        };
        let mut activity = 0.0;
        let mut slack = 0.0;
        for &(j, coef) in lp.row_entries(i) {
            if matches!(lp.columns[j].key, VarKey::Slack { .. }) {
                slack += values[j];
            } else {
                activity += coef * values[j];
            }
        }
        // Share rows are built as Σ own + share·Σ unmet vs share·Σ demand (see
        // policy::min_bloc_share): the gap is measured as for their plain form
        // Σ own − share·Σ delivered ≥ 0, whose bound is 0.
        let scale = if prow.is_share() {
            1.0
        } else {
            row.rhs.abs().max(1.0)
        };
        let tight = match row.sense {
            Sense::Le | Sense::Ge | Sense::Eq => {
                (activity - row.rhs).abs() <= BINDING_TOLERANCE * scale
            }
        };
        let result = &mut results[policy];
        result.rows += 1;
        if tight || slack > BINDING_TOLERANCE {
            result.binding_rows += 1;
            if result.binding_examples.len() < 5 {
                result.binding_examples.push(namer.row(&row.key));
            }
        }
    }
    results
}
