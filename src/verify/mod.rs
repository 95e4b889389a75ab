//! Stage 5: an independent check of a solved plan.
//!
//! Every constraint of DESIGN.md is re-checked against the [`Scenario`] with plain
//! arithmetic on the [`Allocation`] — not through good_lp and not through the LP rows the
//! builder made — and the objective is recomputed from its parts. Each policy checks
//! itself (its kind's `check`, in `crate::policy`); shipments a policy excludes are
//! checked with the shipments. A builder bug therefore shows up here as a violation or an
//! objective gap.

mod decisions;
mod tiers;

use serde::{Deserialize, Serialize};

use crate::allocation::Allocation;
use crate::plan::{CostBreakdown, Verification, Violation};
use crate::policy::{Checks, Facts, Policy};
use crate::scenario::Scenario;

/// Largest violation accepted as round-off, relative to the row's size: max(1, |b|,
/// |activity|), and for balance rows max(1, Σ|a·x|) over every term. Solvers measure their
/// own feasibility the same way (on a scaled model), so a plan a solver rightly calls
/// feasible is never rejected for the last digits of a large row, while a violation of
/// one unit in a row of a few thousand units is still caught. The 1 is the absolute floor.
pub const FEASIBILITY_TOLERANCE: f64 = 1e-6;
/// Largest relative gap between the solver's objective and the recomputed one.
pub const OBJECTIVE_TOLERANCE: f64 = 1e-6;

struct Checker {
    checks: usize,
    worst: f64,
    worst_constraint: Option<String>,
    violations: Vec<Violation>,
    violation_count: usize,
}

impl Checker {
    /// Records a check: `amount` > 0 means violated by that much; `scale` is the row's
    /// bound (its activity is then `scale + amount`), or for a balance row the sum of
    /// its terms' magnitudes. The violation counts relative to the larger of the two.
    fn check(&mut self, amount: f64, scale: f64, what: impl FnOnce() -> String) {
        self.checks += 1;
        let size = scale.abs().max((scale + amount).abs()).max(1.0);
        let relative = amount / size;
        if relative > self.worst {
            let name = what();
            self.worst = relative;
            if relative > FEASIBILITY_TOLERANCE {
                self.violation_count += 1;
                if self.violations.len() < 20 {
                    self.violations.push(Violation {
                        constraint: name.clone(),
                        amount,
                    });
                }
            }
            self.worst_constraint = Some(name);
        } else if relative > FEASIBILITY_TOLERANCE {
            self.violation_count += 1;
            if self.violations.len() < 20 {
                self.violations.push(Violation {
                    constraint: what(),
                    amount,
                });
            }
        }
    }
}

/// Checks `a` against every constraint of `sc` and recomputes the objective.
pub fn verify(sc: &Scenario, a: &Allocation, objective_reported: f64) -> Verification {
    let mut c = Checker {
        checks: 0,
        worst: 0.0,
        worst_constraint: None,
        violations: Vec::new(),
        violation_count: 0,
    };
    let n_t = sc.n_periods();
    let period = |t: usize| sc.periods[t].as_str();
    let mut costs = CostBreakdown::default();
    let facts = Facts::new(sc, a);
    let index = &facts.lanes;
    let exclusions: Vec<_> = sc
        .policies
        .iter()
        .filter_map(|policy| policy.rule.excluded().map(|flows| (policy, flows)))
        .collect();

    // Signs and domains.
    for ((s, p, t), &x) in a.production.indexed_iter() {
        c.check(-x, 0.0, || format!("production ≥ 0 at {}", sc.sites[s].id));
        if sc.make_index[[s, p]].is_none() {
            c.check(x.abs(), 0.0, || {
                format!(
                    "{} does not make {} but produces it in {}",
                    sc.sites[s].id,
                    sc.products[p].id,
                    period(t)
                )
            });
        }
    }
    for ((s, p, t), &x) in a.inventory.indexed_iter() {
        c.check(-x, 0.0, || {
            format!(
                "inventory ≥ 0 at {} / {} in {}",
                sc.sites[s].id,
                sc.products[p].id,
                period(t)
            )
        });
    }
    for ((m, p, t), &u) in a.unmet.indexed_iter() {
        c.check(-u, 0.0, || {
            format!(
                "unmet ≥ 0 at {} / {} in {}",
                sc.markets[m].id,
                sc.products[p].id,
                period(t)
            )
        });
    }
    for ((l, p, t), &y) in a.shipments.indexed_iter() {
        let lane = &sc.lanes[l];
        let name = || {
            format!(
                "shipment {} of {} in {}",
                sc.lane_label(l),
                sc.products[p].id,
                period(t)
            )
        };
        c.check(-y, 0.0, || format!("{} ≥ 0", name()));
        let allowed =
            lane.cost[p].is_some() && sc.origins.holds(lane.from, p) && t + lane.lead_time < n_t;
        if !allowed {
            c.check(y.abs(), 0.0, || {
                format!(
                    "{} is not allowed (lane, product or arrival past the horizon)",
                    name()
                )
            });
        }
        for (k, yk) in a.shipped_by_class(sc, l, p, t) {
            let origin = &sc.origins.countries[sc.origins.origin_country(p, k, lane.from)];
            for (policy, flows) in &exclusions {
                if flows.covers(lane, p, origin) {
                    match policy.soft_penalty {
                        None => c.check(yk.abs(), 0.0, || {
                            format!("{} from {origin}: {} forbids it", name(), policy.name)
                        }),
                        Some(penalty) => costs.soft_policy_penalties += penalty * yk.max(0.0),
                    }
                }
            }
        }
        if let Some(unit) = lane.cost[p] {
            costs.transport += unit * y;
        }
        costs.tariffs_duties += (lane.tariff * sc.products[p].unit_value + lane.duty) * y;
        costs.carbon += sc.objective.carbon_price * lane.emissions * y;
    }

    // Capacity and overtime.
    let loads = &facts.loads;
    for (s, site) in sc.sites.iter().enumerate() {
        if !site.default_resource {
            for t in 0..n_t {
                let o = a.overtime[[s, t]];
                c.check(o.abs(), 0.0, || {
                    format!(
                        "overtime at {} (no default resource) in {}",
                        site.id,
                        period(t)
                    )
                });
            }
            continue;
        }
        for t in 0..n_t {
            let o = a.overtime[[s, t]];
            // The effective capacity: × open, plus the expansions built so far.
            let cap = a.capacity(sc, s, t);
            c.check(-o, 0.0, || {
                format!("overtime ≥ 0 at {} in {}", site.id, period(t))
            });
            let ot_cap = sc.overtime_capacity[[s, t]] * a.decisions.open[[s, t]];
            c.check(o - ot_cap, ot_cap, || {
                format!("overtime limit at {} in {}", site.id, period(t))
            });
            c.check(loads[[s, t]] - cap - o, cap + o.max(0.0), || {
                format!("capacity at {} in {}", site.id, period(t))
            });
            costs.overtime += site.overtime_cost * o;
        }
    }
    for mk in &sc.makes {
        for t in 0..n_t {
            costs.production += mk.cost * a.production[[mk.site, mk.product, t]];
        }
    }
    for ((s, p, _), &held) in a.inventory.indexed_iter() {
        costs.holding += sc.holding_cost[[s, p]] * held;
    }

    // Inventory balance and storage.
    for (s, site) in sc.sites.iter().enumerate() {
        for p in 0..sc.products.len() {
            let mut previous = sc.initial_inventory[[s, p]];
            for t in 0..n_t {
                let shipped: f64 = index.by_site[s]
                    .iter()
                    .map(|&l| a.shipments[[l, p, t]])
                    .sum();
                let arrived: f64 = index.into_site[s]
                    .iter()
                    .filter_map(|&l| {
                        let lead = sc.lanes[l].lead_time;
                        (lead <= t).then(|| a.shipments[[l, p, t - lead]])
                    })
                    .sum();
                let consumed = tiers::consumed(sc, a, s, p, t);
                let made = a.production[[s, p, t]];
                let expected = previous + made + arrived - shipped - consumed;
                let held = a.inventory[[s, p, t]];
                let terms = previous.abs()
                    + made.abs()
                    + arrived.abs()
                    + shipped.abs()
                    + consumed.abs()
                    + held.abs();
                c.check((held - expected).abs(), terms, || {
                    format!(
                        "inventory balance at {} / {} in {}",
                        site.id,
                        sc.products[p].id,
                        period(t)
                    )
                });
                previous = held;
            }
        }
        if let Some(cap) = &site.inventory_capacity {
            for (t, &cap) in cap.iter().enumerate() {
                let held: f64 = (0..sc.products.len()).map(|p| a.inventory[[s, p, t]]).sum();
                c.check(held - cap, cap, || {
                    format!("storage at {} in {}", site.id, period(t))
                });
            }
        }
    }

    // Demand balance.
    for (m, market) in sc.markets.iter().enumerate() {
        for p in 0..sc.products.len() {
            for t in 0..n_t {
                let arrived: f64 = a.arrivals_at(sc, index, m, p, t).map(|(_, _, y)| y).sum();
                let u = a.unmet[[m, p, t]];
                let d = sc.demand[[m, p, t]];
                c.check((arrived + u - d).abs(), arrived.abs() + u.abs() + d, || {
                    format!(
                        "demand at {} / {} in {}",
                        market.id,
                        sc.products[p].id,
                        period(t)
                    )
                });
                costs.unmet_penalty += sc.unmet_penalty[[m, p, t]] * u;
            }
        }
    }

    // Multi-tier rows: resources, throughput, lane capacity, stock per product, end
    // stock, and stock, shipments and consumption by origin class.
    tiers::check(sc, a, index, &mut c);

    // Decisions over the horizon: integrality, opening and closing, expansions, minimum
    // runs and contracts, with their costs.
    decisions::check(sc, a, &mut c, &mut costs);

    // Leveling: the price applies to every load change, including from last_load.
    if sc.objective.leveling_weight > 0.0 {
        for s in (0..sc.sites.len()).filter(|&s| sc.sites[s].default_resource) {
            for t in 0..n_t {
                if let Some(d) = facts.load_change(s, t) {
                    costs.leveling += sc.objective.leveling_weight * d.abs();
                }
            }
        }
    }

    // Policies.
    let mut soft_slack = Vec::new();
    for policy in &sc.policies {
        let excluded = policy.rule.excluded();
        let mut out = PolicyChecks {
            c: &mut c,
            policy,
            slack: 0.0,
            alloc: a,
            charged: 0.0,
        };
        // Its excluded shipments were checked (or charged) with the shipments above; a
        // soft policy's are its slack.
        if let (Some(flows), Some(_)) = (&excluded, policy.soft_penalty) {
            for ((l, p, t), _) in a.shipments.indexed_iter() {
                let lane = &sc.lanes[l];
                for (k, yk) in a.shipped_by_class(sc, l, p, t) {
                    let origin = sc.origins.origin_country(p, k, lane.from);
                    if flows.covers(lane, p, &sc.origins.countries[origin]) {
                        out.slack += yk.max(0.0);
                    }
                }
            }
        }
        policy.rule.check(&facts, &mut out);
        // What its decisions cost (preference tariffs) are tariffs.
        costs.tariffs_duties += out.charged;
        let slack = out.slack;
        if let Some(penalty) = policy.soft_penalty {
            if excluded.is_none() {
                costs.soft_policy_penalties += penalty * slack;
            }
            soft_slack.push((policy.name.clone(), slack));
        }
    }

    costs.total = costs.production
        + costs.overtime
        + costs.transport
        + costs.tariffs_duties
        + costs.carbon
        + costs.holding
        + costs.unmet_penalty
        + costs.leveling
        + costs.soft_policy_penalties
        + costs.fixed
        + costs.opening_closing
        + costs.investment
        + costs.contract_shortfall;
    let objective_gap =
        (costs.total - objective_reported).abs() / objective_reported.abs().max(1.0);
    let passed = c.worst <= FEASIBILITY_TOLERANCE && objective_gap <= OBJECTIVE_TOLERANCE;
    Verification {
        passed,
        checks: c.checks,
        worst_violation: c.worst,
        worst_constraint: c.worst_constraint,
        violations: c.violations,
        objective_recomputed: costs.total,
        objective_reported,
        objective_gap,
        soft_slack,
        costs,
    }
}

/// The checks of one policy: a hard policy's excess is a violation; a soft policy's is
/// slack it pays for.
struct PolicyChecks<'a> {
    c: &'a mut Checker,
    policy: &'a Policy,
    slack: f64,
    alloc: &'a Allocation,
    /// $ its decisions cost.
    charged: f64,
}

impl Checks for PolicyChecks<'_> {
    fn decision(&self, key: crate::policy::DecisionKey) -> f64 {
        self.alloc
            .decisions
            .policy
            .get(&(self.policy.index, key))
            .copied()
            .unwrap_or(0.0)
    }

    fn charge(&mut self, dollars: f64) {
        self.charged += dollars;
    }

    fn row(&mut self, excess: f64, scale: f64, what: impl FnOnce() -> String) {
        match self.policy.soft_penalty {
            None => {
                let name = &self.policy.name;
                self.c
                    .check(excess, scale, || format!("{name}: {}", what()));
            }
            Some(_) => {
                self.c.checks += 1;
                self.slack += excess.max(0.0);
            }
        }
    }
}

/// How close a solver's point is to provably optimal, from the row duals it returned
/// (weak duality on the LP the builder made; the one check here that uses the solver's
/// own numbers).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DualityCheck {
    /// cᵀx.
    pub primal: f64,
    /// The Lagrangian lower bound from the duals: bᵀy plus the columns' bound terms.
    pub dual: f64,
    /// (primal − dual) / max(1, |primal|); near 0 at an optimum.
    pub relative_gap: f64,
    /// Largest negative reduced cost of a column without an upper bound, relative to
    /// max(1, |cost|): such a column could lower the cost without limit as far as the
    /// duals know, so the bound above is not a valid bound.
    pub dual_infeasibility: f64,
}

/// Largest relative duality gap, or dual infeasibility, accepted as round-off.
pub const OPTIMALITY_TOLERANCE: f64 = 1e-6;

impl DualityCheck {
    /// The gap is within [`OPTIMALITY_TOLERANCE`]. Dual infeasibility is not judged on
    /// its own (interior-point duals carry noise of 1e-5 on reduced costs); it enters the
    /// gap priced at the column's value.
    pub fn passed(&self) -> bool {
        self.relative_gap.is_finite() && self.relative_gap.abs() <= OPTIMALITY_TOLERANCE
    }
}

/// Weak duality on `lp` at the point `x` with row duals `y` (∂ objective / ∂ rhs: ≤ 0 on
/// `≤` rows and ≥ 0 on `≥` rows of a minimisation; entries of the wrong sign count as 0).
pub fn duality_check(lp: &crate::lp::LpModel, x: &[f64], y: &[f64]) -> DualityCheck {
    use crate::lp::Sense;
    let y: Vec<f64> = lp
        .rows
        .iter()
        .zip(y)
        .map(|(row, &yi)| match row.sense {
            Sense::Le => yi.min(0.0),
            Sense::Ge => yi.max(0.0),
            Sense::Eq => yi,
        })
        .collect();
    let mut reduced: Vec<f64> = lp.columns.iter().map(|c| c.cost).collect();
    let mut dual = 0.0;
    for (i, row) in lp.rows.iter().enumerate() {
        if y[i] == 0.0 {
            continue;
        }
        dual += row.rhs * y[i];
        for &(j, a) in lp.row_entries(i) {
            reduced[j] -= a * y[i];
        }
    }
    let mut dual_infeasibility: f64 = 0.0;
    for (j, column) in lp.columns.iter().enumerate() {
        let d = reduced[j];
        if d >= 0.0 {
            dual += d * column.lower;
        } else if column.upper.is_finite() {
            dual += d * column.upper;
        } else {
            dual += d * x.get(j).copied().unwrap_or(0.0);
            dual_infeasibility = dual_infeasibility.max(-d / column.cost.abs().max(1.0));
        }
    }
    // The objective's constant is on both sides.
    dual += lp.offset;
    let primal = lp.objective_of(x);
    DualityCheck {
        primal,
        dual,
        relative_gap: (primal - dual) / primal.abs().max(1.0),
        dual_infeasibility,
    }
}
