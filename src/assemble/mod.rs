//! Plan assembly: turns a solved (or failed) model into the plain-data [`Plan`].
//!
//! This is the one place that reads the LP and the solver's point to fill the plan; the
//! plan itself imports nothing from the solving side. It is also the one place where
//! solver round-off is snapped away (see [`snap`]): every quantity the plan holds goes
//! through it once, so no document shows `7999.999996` or a finding about `1e-10` units.
//! `objective` and `verification` keep the solver's and the verifier's exact figures.

mod decisions;
mod network;

use crate::allocation::Allocation;
use crate::lp::{BuiltModel, Namer, RowKey, Sense, VarKey};
use crate::plan::{
    InventoryRow, Kpis, Metadata, Plan, PlanStatus, PolicyResult, ProductionRow, ShipmentRow,
    SitePeriod, SitePlan, SourcingRow, StrandedRow, UnmetRow, Verification,
};
use crate::policy::Facts;
use crate::scenario::Scenario;
use crate::solve::SolveStatus;

/// Rows closer than this (relative) to their bound count as binding.
const BINDING_TOLERANCE: f64 = 1e-7;

/// [`snap`]'s tolerance: absolute, near zero and small values.
const SNAP_ABSOLUTE: f64 = 1e-7;
/// [`snap`]'s tolerance: relative, for large values.
const SNAP_RELATIVE: f64 = 1e-9;

/// End-of-horizon stock below this many units is not stranded stock (it would show as
/// `0 units`): a fraction of a unit, or an interior-point solver's residue.
const STRANDED_MIN_UNITS: f64 = 0.5;

/// Snaps solver round-off in a value the plan holds.
///
/// With tolerance `max(1e-7, 1e-9·|x|)`: a value within tolerance of one of `bounds` (the
/// bound it is compared with: a capacity, an overtime capacity, a demand, a share target)
/// becomes that bound; otherwise a value within tolerance of an integer becomes that
/// integer, which covers zero (and never gives `-0`). Anything else is left as it is, so
/// `7999.999996` becomes `8000` and `3e-10` becomes `0`, but `0.25` and `1437.5` stay.
/// Non-finite values are left alone.
pub fn snap(x: f64, bounds: &[f64]) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let tolerance = SNAP_ABSOLUTE.max(SNAP_RELATIVE * x.abs());
    if let Some(&b) = bounds
        .iter()
        .find(|b| b.is_finite() && (x - **b).abs() <= tolerance)
    {
        return b + 0.0;
    }
    let whole = x.round();
    if (x - whole).abs() <= tolerance {
        whole + 0.0
    } else {
        x
    }
}

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
        stranded: Vec::new(),
        network: None,
        decisions: None,
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
    // Every figure below is made from the snapped allocation, and snapped again where
    // arithmetic on it (rate × units, sums, ratios) can bring round-off back.
    let snapped = snapped_allocation(sc, allocation);
    let a = &snapped;
    let facts = Facts::new(sc, a);
    let loads = &facts.loads;
    let mut sites = Vec::with_capacity(sc.sites.len());
    let (mut cap_total, mut load_total, mut load_change) = (0.0, 0.0, 0.0);
    for (s, site) in sc.sites.iter().enumerate() {
        if site.hub {
            continue;
        }
        let mut periods = Vec::with_capacity(n_t);
        let mut previous = site.last_load;
        for t in 0..n_t {
            // The effective capacity: × open, plus the expansions built so far.
            let capacity = a.capacity(sc, s, t);
            let overtime_capacity = sc.overtime_capacity[[s, t]] * a.decisions.open[[s, t]];
            let overtime = a.overtime[[s, t]];
            let load = snap(
                loads[[s, t]],
                &[capacity, capacity + overtime, capacity + overtime_capacity],
            );
            cap_total += capacity;
            load_total += load;
            if let Some(prev) = previous {
                load_change += (load - prev).abs();
            }
            previous = Some(load);
            periods.push(SitePeriod {
                period: sc.periods[t].clone(),
                capacity,
                overtime_capacity,
                load,
                overtime,
                utilization: if capacity > 0.0 {
                    snap(load / capacity, &[])
                } else {
                    0.0
                },
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
        }
    }
    for (s, p) in sc.holdings() {
        for t in 0..n_t {
            let i = a.inventory[[s, p, t]];
            if i != 0.0 {
                inventory.push(InventoryRow {
                    site: sc.sites[s].id.clone(),
                    product: sc.products[p].id.clone(),
                    period: sc.periods[t].clone(),
                    quantity: i,
                });
            }
        }
    }

    let mut shipments = Vec::new();
    let mut emissions = 0.0;
    let multi_tier = sc.multi_tier();
    for ((l, p, t), &q) in a.shipments.indexed_iter() {
        if q == 0.0 {
            continue;
        }
        let lane = &sc.lanes[l];
        emissions += lane.emissions * q;
        let row = ShipmentRow {
            from: sc.sites[lane.from].id.clone(),
            to: sc.dest_id(l).to_string(),
            product: sc.products[p].id.clone(),
            departure: sc.periods[t].clone(),
            arrival: sc
                .periods
                .get(t + lane.lead_time)
                .cloned()
                .unwrap_or_default(),
            quantity: q,
            unit_cost: snap(
                lane.unit_cost(&sc.products[p], p, sc.objective.carbon_price)
                    .unwrap_or(0.0),
                &[],
            ),
            mode: lane.mode.clone(),
            origin: None,
        };
        // Where the origin is tracked, one row per origin class.
        if multi_tier && sc.origins.tracked(p) {
            for (k, qk) in a.shipped_by_class(sc, l, p, t) {
                let qk = snap(qk, &[]);
                if qk != 0.0 {
                    shipments.push(ShipmentRow {
                        quantity: qk,
                        origin: Some(sc.origins.label(p, k)),
                        ..row.clone()
                    });
                }
            }
        } else {
            shipments.push(row);
        }
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
        .map(|mut row| {
            row.delivered = snap(row.delivered, &[]);
            row.from_bloc = snap(row.from_bloc, &[row.delivered]);
            row.share = row.share.map(|s| snap(s, &[row.target]));
            // A share snapped onto its target meets it.
            row.met = row.met || row.share == Some(row.target);
            row
        })
        .collect();
    let policies = policy_results(sc, model, values, &verification);
    let stranded = stranded_rows(&facts);

    let (demand_total, unmet_total) = (snap(demand_total, &[]), snap(unmet_total, &[demand_total]));
    let kpis = Kpis {
        demand: demand_total,
        served: snap(demand_total - unmet_total, &[]),
        unmet: unmet_total,
        fill_rate: if demand_total > 0.0 {
            snap((demand_total - unmet_total) / demand_total, &[])
        } else {
            1.0
        },
        produced: snap(a.production.sum(), &[]),
        overtime_used: snap(a.overtime.sum(), &[]),
        utilization: if cap_total > 0.0 {
            snap(load_total / cap_total, &[])
        } else {
            0.0
        },
        load_change: snap(load_change, &[]),
        emissions_kg: snap(emissions, &[]),
        stranded_stock: snap(stranded.iter().map(|r| r.end_stock).sum(), &[]),
    };
    let objective = verification.objective_reported;
    let network = network::network_plan(sc, &facts);
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
        stranded,
        network,
        decisions: decisions::decisions_plan(sc, a),
        shadow_prices: None,
        duals_note: None,
        explanation: None,
        verification: Some(verification),
        metadata,
    }
}

/// The solver's allocation with every value snapped ([`snap`]): overtime against its
/// capacity, unmet demand against the demand.
fn snapped_allocation(sc: &Scenario, allocation: &Allocation) -> Allocation {
    let mut a = allocation.clone();
    a.production.mapv_inplace(|x| snap(x, &[]));
    a.shipments.mapv_inplace(|x| snap(x, &[]));
    a.inventory.mapv_inplace(|x| snap(x, &[]));
    for ((s, t), x) in a.overtime.indexed_iter_mut() {
        *x = snap(*x, &[sc.overtime_capacity[[s, t]]]);
    }
    for ((m, p, t), x) in a.unmet.indexed_iter_mut() {
        *x = snap(*x, &[sc.demand[[m, p, t]]]);
    }
    // Decisions within round-off of a whole value are that value.
    let d = &mut a.decisions;
    for x in d
        .open
        .iter_mut()
        .chain(d.opening.iter_mut())
        .chain(d.closing.iter_mut())
        .chain(d.built.iter_mut())
        .chain(d.run.iter_mut())
    {
        *x = snap(*x, &[0.0, 1.0]);
    }
    a
}

/// Stock piling up at the end of the horizon, per site and product: what the site holds
/// at the end of the last period, and how much of it it made and never shipped (end
/// stock − initial stock, when positive). Only stock of at least [`STRANDED_MIN_UNITS`].
fn stranded_rows(facts: &Facts) -> Vec<StrandedRow> {
    let (sc, a, index) = (facts.net, facts.alloc, &facts.lanes);
    let Some(last) = sc.n_periods().checked_sub(1) else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for mk in &sc.makes {
        let (s, p) = (mk.site, mk.product);
        let end_stock = a.inventory[[s, p, last]];
        if end_stock < STRANDED_MIN_UNITS {
            continue;
        }
        let initial = sc.initial_inventory[[s, p]];
        let produced = (0..=last).map(|t| a.production[[s, p, t]]).sum();
        let shipped = index.by_site[s]
            .iter()
            .flat_map(|&l| (0..=last).map(move |t| a.shipments[[l, p, t]]))
            .sum();
        rows.push(StrandedRow {
            site: sc.sites[s].id.clone(),
            product: sc.products[p].id.clone(),
            period: sc.periods[last].clone(),
            initial,
            produced: snap(produced, &[]),
            shipped: snap(shipped, &[]),
            end_stock,
            never_shipped: snap((end_stock - initial).max(0.0), &[]),
        });
    }
    rows
}

fn sourcing_rows(facts: &Facts) -> Vec<SourcingRow> {
    let (sc, a, index) = (facts.net, facts.alloc, &facts.lanes);
    let countries = &facts.countries;
    let mut rows = Vec::new();
    let mut by_country = vec![0.0; countries.len()];
    for m in 0..sc.markets.len() {
        for p in 0..sc.products.len() {
            for t in 0..sc.n_periods() {
                by_country.iter_mut().for_each(|q| *q = 0.0);
                for (_, origin, y) in a.arrivals_at(sc, index, m, p, t) {
                    by_country[origin] += y;
                }
                by_country.iter_mut().for_each(|q| *q = snap(*q, &[]));
                let total = snap(by_country.iter().sum(), &[]);
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
                            share: snap(q / total, &[]),
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
                .map_or(0.0, |(_, s)| snap(*s, &[])),
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

#[cfg(test)]
mod tests {
    use super::snap;

    #[test]
    fn round_off_snaps_to_integers_and_zero() {
        for (x, snapped) in [
            (7999.999996, 8000.0), // 4e-6 off; tolerance 8e-6
            (8000.000004, 8000.0),
            (1e-10, 0.0),
            (-1e-10, 0.0), // never -0
            (-3e-8, 0.0),
            (9.99999995e-8, 0.0), // just inside the absolute 1e-7
            (20.00000006, 20.0),  // 6e-8 off, absolute tolerance
            (1e12 + 0.4, 1e12),   // 0.4 off at 1e12: tolerance 1e3
            (2.0, 2.0),
            (-4.00000000001, -4.0),
        ] {
            let got = snap(x, &[]);
            assert_eq!(got, snapped, "snap({x:e})");
            assert!(got.is_sign_positive() || got < 0.0, "snap({x:e}) is -0");
        }
    }

    #[test]
    fn values_beyond_the_tolerance_stay() {
        for x in [
            0.25,
            1437.5,
            2e-7,        // twice the absolute tolerance
            7999.99999,  // 1e-5 off; tolerance 8e-6
            3889.999988, // 1.2e-5 off; tolerance 3.9e-6
            0.7000002,
            -0.5,
            f64::NAN,
            f64::INFINITY,
        ] {
            let got = snap(x, &[]);
            assert!(
                got == x || (x.is_nan() && got.is_nan()),
                "snap({x:e}) = {got:e}"
            );
        }
    }

    #[test]
    fn round_off_snaps_to_the_bound_it_is_compared_with() {
        // A share target, an overtime capacity of 20.5, a capacity plus overtime.
        assert_eq!(snap(0.69999999999, &[0.7]), 0.7);
        assert_eq!(snap(0.7000000001, &[0.7]), 0.7);
        assert_eq!(snap(20.49999995, &[20.5]), 20.5);
        assert_eq!(snap(8799.999996, &[8000.0, 8800.0]), 8800.0);
        // Not within tolerance of the bound: the integer rule still applies.
        assert_eq!(snap(0.6999, &[0.7]), 0.6999);
        assert_eq!(snap(12.00000001, &[12.5]), 12.0);
        // A bound wins over the integer next to it.
        assert_eq!(snap(1.00000000001, &[1.00000000002]), 1.00000000002);
        // Bounds that are not finite are ignored.
        assert_eq!(snap(5.00000001, &[f64::INFINITY]), 5.0);
    }
}
