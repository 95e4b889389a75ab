//! Stage 6: the [`Plan`] — the contract between solving and reporting.
//!
//! It holds everything a report needs, in scenario terms, and serialises to `plan.json`
//! so reports can be rendered again without solving. `status` and `objective` are a
//! stable contract; other fields may be added.

use serde::{Deserialize, Serialize};

use crate::allocation::{Allocation, LaneIndex};
use crate::explain::Explanation;
use crate::load::InputFile;
use crate::lp::{BuiltModel, Namer, PolicyRow, RowKey, Sense, VarKey};
use crate::scenario::{Per, PolicyRule, Scenario};
use crate::shadow::ShadowPrices;
use crate::solve::SolveStatus;
use crate::verify::{CostBreakdown, Verification};

/// Version of the `plan.json` layout.
pub const PLAN_FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Plan {
    /// `optimal` | `infeasible` | `unbounded` | `time_limit` | `error`.
    pub status: String,
    /// Objective value (total cost, $) when a solution exists.
    pub objective: Option<f64>,
    /// A sentence on what happened, for non-optimal outcomes.
    pub message: Option<String>,
    pub model: String,
    pub periods: Vec<String>,
    pub costs: Option<CostBreakdown>,
    pub kpis: Option<Kpis>,
    pub sites: Vec<SitePlan>,
    pub production: Vec<ProductionRow>,
    pub shipments: Vec<ShipmentRow>,
    pub inventory: Vec<InventoryRow>,
    pub unmet: Vec<UnmetRow>,
    pub sourcing: Vec<SourcingRow>,
    pub bloc_shares: Vec<BlocShareRow>,
    pub policies: Vec<PolicyResult>,
    /// Shadow prices, when the backend gives duals (`None` otherwise; see `duals_note`).
    #[serde(default)]
    pub shadow_prices: Option<ShadowPrices>,
    /// Why there are no shadow prices, when there are none.
    #[serde(default)]
    pub duals_note: Option<String>,
    /// For an infeasible model: which policies conflict and what each must give.
    #[serde(default)]
    pub explanation: Option<Explanation>,
    pub verification: Option<Verification>,
    pub metadata: Metadata,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Kpis {
    pub demand: f64,
    pub served: f64,
    pub unmet: f64,
    /// served / demand (1 when there is no demand).
    pub fill_rate: f64,
    pub produced: f64,
    pub overtime_used: f64,
    /// Total load / total regular capacity over all sites and periods.
    pub utilization: f64,
    /// Total |load change| between consecutive periods, capacity units.
    pub load_change: f64,
    pub emissions_kg: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SitePlan {
    pub id: String,
    pub country: String,
    pub periods: Vec<SitePeriod>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SitePeriod {
    pub period: String,
    pub capacity: f64,
    pub overtime_capacity: f64,
    pub load: f64,
    pub overtime: f64,
    /// load / regular capacity (0 when capacity is 0).
    pub utilization: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProductionRow {
    pub site: String,
    pub product: String,
    pub period: String,
    pub quantity: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShipmentRow {
    pub from: String,
    pub to: String,
    pub product: String,
    pub departure: String,
    pub arrival: String,
    pub quantity: f64,
    /// $ per unit including tariff, duty and carbon.
    pub unit_cost: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InventoryRow {
    pub site: String,
    pub product: String,
    pub period: String,
    pub quantity: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnmetRow {
    pub market: String,
    pub product: String,
    pub period: String,
    pub demand: f64,
    pub unmet: f64,
}

/// Deliveries by origin country for one (market, product, arrival period).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SourcingRow {
    pub market: String,
    pub product: String,
    pub period: String,
    pub country: String,
    pub quantity: f64,
    pub share: f64,
}

/// A `min_bloc_share` target against what the plan delivers.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BlocShareRow {
    pub policy: String,
    pub bloc: String,
    pub market: String,
    pub product: String,
    /// A period label, or `horizon`.
    pub period: String,
    pub delivered: f64,
    pub from_bloc: f64,
    /// from_bloc / delivered (None when nothing is delivered).
    pub share: Option<f64>,
    pub target: f64,
    pub met: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolicyResult {
    pub name: String,
    pub kind: String,
    pub soft: bool,
    pub penalty: Option<f64>,
    /// Rows this policy added to the LP.
    pub rows: usize,
    /// Rows holding with equality (or relaxed) at the solution.
    pub binding_rows: usize,
    /// Names of the first binding rows.
    pub binding_examples: Vec<String>,
    /// Total slack used (soft policies), in the policy's units.
    pub slack: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Metadata {
    pub plan_format: u32,
    pub tool: String,
    pub tool_version: String,
    pub model_name: String,
    pub inputs: Vec<InputFile>,
    pub solver: String,
    pub time_limit_s: Option<f64>,
    pub variables: usize,
    pub rows: usize,
    pub nonzeros: usize,
    /// When and how long: the only part of the outputs that differs between two runs
    /// on the same inputs. Reports do not show it.
    pub run: RunInfo,
    /// Command-line overrides applied to the model (`set PATH=VALUE`, `disable NAME`).
    #[serde(default)]
    pub overrides: Vec<String>,
    /// Set when the first backend's plan failed verification and another solved it.
    #[serde(default)]
    pub solver_note: Option<String>,
}

/// What differs from run to run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RunInfo {
    /// UTC time the plan was made, RFC 3339 (e.g. `2027-01-05T06:00:00Z`).
    pub generated_at: String,
    pub build_seconds: f64,
    pub solve_seconds: f64,
    pub verify_seconds: f64,
}

impl RunInfo {
    /// Now, as `YYYY-MM-DDTHH:MM:SSZ` (computed without a date library).
    pub fn now() -> String {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            (rem % 3600) / 60,
            rem % 60
        )
    }
}

/// Rows closer than this (relative) to their bound count as binding.
const BINDING_TOLERANCE: f64 = 1e-7;

impl Plan {
    /// A plan for a solve that produced no usable point.
    pub fn without_solution(
        sc: &Scenario,
        status: &SolveStatus,
        message: String,
        metadata: Metadata,
    ) -> Plan {
        Plan {
            status: status.word().to_string(),
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
    pub fn from_solution(
        sc: &Scenario,
        model: &BuiltModel,
        values: &[f64],
        allocation: &Allocation,
        verification: Verification,
        metadata: Metadata,
    ) -> Plan {
        let n_t = sc.n_periods();
        let a = allocation;
        let loads = a.loads(sc);
        let index = LaneIndex::new(sc);
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

        let sourcing = sourcing_rows(sc, a, &index);
        let bloc_shares = bloc_share_rows(sc, a, &index);
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
            status: "optimal".to_string(),
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
}

fn sourcing_rows(sc: &Scenario, a: &Allocation, index: &LaneIndex) -> Vec<SourcingRow> {
    let countries = sc.site_countries();
    let lane_country: Vec<Option<usize>> = sc
        .lanes
        .iter()
        .map(|l| {
            countries
                .iter()
                .position(|c| *c == sc.sites[l.from].country)
        })
        .collect();
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

fn bloc_share_rows(sc: &Scenario, a: &Allocation, index: &LaneIndex) -> Vec<BlocShareRow> {
    let mut rows = Vec::new();
    for policy in &sc.policies {
        let PolicyRule::MinBlocShare {
            bloc,
            min_share,
            products,
            markets,
            per,
        } = &policy.rule
        else {
            continue;
        };
        let in_bloc: Vec<bool> = sc
            .lanes
            .iter()
            .map(|l| sc.bloc_contains(*bloc, &sc.sites[l.from].country))
            .collect();
        let groups: Vec<(String, Vec<usize>)> = match per {
            Per::Period => (0..sc.n_periods())
                .map(|t| (sc.periods[t].clone(), vec![t]))
                .collect(),
            Per::Horizon => vec![("horizon".to_string(), (0..sc.n_periods()).collect())],
        };
        for m in (0..sc.markets.len()).filter(|&m| markets[m]) {
            for p in (0..sc.products.len()).filter(|&p| products[p]) {
                for (label, periods) in &groups {
                    let (mut delivered, mut from_bloc) = (0.0, 0.0);
                    for &t in periods {
                        for (l, y) in a.arrivals_at(sc, index, m, p, t) {
                            delivered += y;
                            if in_bloc[l] {
                                from_bloc += y;
                            }
                        }
                    }
                    let demand: f64 = periods.iter().map(|&t| sc.demand[[m, p, t]]).sum();
                    if demand <= 0.0 {
                        continue;
                    }
                    let share = (delivered > 0.0).then(|| from_bloc / delivered);
                    rows.push(BlocShareRow {
                        policy: policy.name.clone(),
                        bloc: sc.blocs[*bloc].name.clone(),
                        market: sc.markets[m].id.clone(),
                        product: sc.products[p].id.clone(),
                        period: label.clone(),
                        delivered,
                        from_bloc,
                        share,
                        target: *min_share,
                        met: share.is_none_or(|s| s + 1e-9 >= *min_share),
                    });
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
        // lp::policies::bloc_share): the gap is measured as for their plain form
        // Σ own − share·Σ delivered ≥ 0, whose bound is 0.
        let scale = match prow {
            PolicyRow::BlocShare { .. } | PolicyRow::CountryShare { .. } => 1.0,
            _ => row.rhs.abs().max(1.0),
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
