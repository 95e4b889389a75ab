//! Plan-to-plan comparison: what changed between two [`Plan`]s (last month against this
//! month, a baseline against a policy variant).
//!
//! [`compare`] works on the plans alone, like the reports: status and objective, cost by
//! component, service and operations figures, production volume per site and per country
//! (with the "volume moved" between them), bloc shares against their targets, binding
//! policies and capacity limits, shadow prices (when both plans have them), and the run
//! metadata (model, overrides, input files). The result is plain data,
//! [`crate::plan::comparison::Comparison`]; `report::compare` renders it as Markdown,
//! HTML and JSON.
//!
//! Matching rules:
//! - Sites, countries, products, markets and periods are matched by id. Ids present in
//!   only one plan are listed as such (a site only in the new plan counts from zero).
//! - When the plans cover different periods, volumes, loads, shares and capacity limits
//!   are compared over the periods they share; costs and service figures are totals of
//!   each plan's own horizon (a note says so).
//! - Policies are matched by name; policies left over are matched when they evidently are
//!   the same rule under a new name: `min_bloc_share` policies with the same bloc and the
//!   same (market, product) scope, and otherwise the only unmatched policy of a kind on
//!   each side. The match is recorded (`matched`) and shown.
//! - Volume moved: per product, the sites whose production fell (largest first) are
//!   matched to the sites whose production rose (largest first); what cannot be matched
//!   is a net change in that product's production. The same is done per country.
//! - Multi-tier plans (either plan has a network): units moved per tier pair and per
//!   lane, supply moved between sources, origin mixes and regional value content; the
//!   rules are in the `network` module's documentation.
//! - Decisions over the horizon (either plan has them): builds, openings and closings
//!   that differ, and contract shortfalls that changed; the rules are in the
//!   `decisions` module's documentation.
//! - A plan without a solution (infeasible, error, …) has only its status, message and
//!   metadata; everything else is compared only when both plans have a solution, and the
//!   notes say what was left out.

mod decisions;
mod network;
mod policies;
#[cfg(test)]
mod tests;
mod volumes;

use std::collections::BTreeSet;
use std::fmt::Write;

use decisions::decisions_of;
use network::network_of;
use policies::{bloc_share_deltas, pair_policies, policy_deltas, shadow_changes};
use volumes::{capacity_limits, ordered, volumes_of, Volumes};

use crate::fmt::{capitalize, group};
use crate::plan::comparison::{
    same_opt, Better, CapacityLimits, Comparison, CostDelta, Delta, FieldChange, InputChange,
    MeasureDelta, PeriodDiff, PlanSide, Presence, ShadowPriceChanges, Unit,
};
use crate::plan::Plan;

/// Compares two plans; labels default to the model names (see [`Comparison::labelled`]).
pub fn compare(old: &Plan, new: &Plan) -> Comparison {
    let mut notes = Vec::new();
    let both = has_solution(old) && has_solution(new);
    let periods = period_diff(old, new, both, &mut notes);
    let scope: Option<BTreeSet<&str>> = (!periods.compared.is_empty())
        .then(|| periods.compared.iter().map(String::as_str).collect());
    let in_scope =
        |period: &str| period == "horizon" || scope.as_ref().is_none_or(|s| s.contains(period));

    if !both {
        let missing: Vec<String> = [(old, "old"), (new, "new")]
            .iter()
            .filter(|(p, _)| !has_solution(p))
            .map(|(p, side)| format!("the {side} plan has no solution (status {})", p.status))
            .collect();
        notes.push(format!(
            "{}: costs, volumes, bloc shares, binding policies and shadow prices are compared only between two solved plans.",
            capitalize(&missing.join(" and "))
        ));
    }

    let objective = match (old.objective, new.objective) {
        (Some(a), Some(b)) => Some(Delta::new(a, b)),
        _ => None,
    };
    let costs = match (&old.costs, &new.costs) {
        (Some(a), Some(b)) if both => {
            // A component's round-off is judged against the total cost.
            let scale = a.total.abs().max(b.total.abs());
            let decisions = a.has_decisions() || b.has_decisions();
            let parts = |c: &crate::plan::CostBreakdown| {
                let all = c.all_components();
                all[..if decisions { all.len() } else { 9 }].to_vec()
            };
            let mut rows: Vec<CostDelta> = parts(a)
                .iter()
                .zip(parts(b).iter())
                .map(|((name, x), (_, y))| CostDelta {
                    component: (*name).to_string(),
                    delta: Delta::with_scale(*x, *y, scale),
                })
                .collect();
            rows.push(CostDelta {
                component: "total".to_string(),
                delta: Delta::new(a.total, b.total),
            });
            rows
        }
        _ => Vec::new(),
    };
    let measures = match (&old.kpis, &new.kpis) {
        (Some(a), Some(b)) if both => {
            let m = |measure: &str, unit, better, x: f64, y: f64| MeasureDelta {
                measure: measure.to_string(),
                unit,
                better,
                delta: Delta::new(x, y),
            };
            vec![
                m(
                    "fill rate",
                    Unit::Share,
                    Better::Higher,
                    a.fill_rate,
                    b.fill_rate,
                ),
                m("unmet demand", Unit::Units, Better::Lower, a.unmet, b.unmet),
                m("demand", Unit::Units, Better::Neither, a.demand, b.demand),
                m("served", Unit::Units, Better::Neither, a.served, b.served),
                m(
                    "produced",
                    Unit::Units,
                    Better::Neither,
                    a.produced,
                    b.produced,
                ),
                m(
                    "overtime used",
                    Unit::CapacityUnits,
                    Better::Neither,
                    a.overtime_used,
                    b.overtime_used,
                ),
                m(
                    "average utilization",
                    Unit::Share,
                    Better::Neither,
                    a.utilization,
                    b.utilization,
                ),
                m(
                    "load change between periods",
                    Unit::CapacityUnits,
                    Better::Lower,
                    a.load_change,
                    b.load_change,
                ),
                m(
                    "emissions",
                    Unit::KgCo2e,
                    Better::Lower,
                    a.emissions_kg,
                    b.emissions_kg,
                ),
            ]
        }
        _ => Vec::new(),
    };
    if both && !periods.same && !periods.compared.is_empty() {
        notes.push(
            "Costs and service figures are totals over each plan's own horizon; volumes, loads, shares and capacity limits cover the common periods only."
                .to_string(),
        );
    }

    let mut volumes = Volumes::default();
    if both {
        volumes = volumes_of(old, new, &in_scope);
    }
    let network = if both { network_of(old, new) } else { None };
    if let Some(net) = &network {
        if !periods.same {
            notes.push(
                "Flows between tiers and lanes, origin mixes and value content cover each plan's whole horizon."
                    .to_string(),
            );
        }
        for (has, side) in [(net.old_network, "old"), (net.new_network, "new")] {
            if !has {
                notes.push(format!(
                    "The {side} plan has one tier: its flows are its shipments (every site in tier 0, every shipment a delivery, origin the shipping site's country)."
                ));
            }
        }
    }
    let decisions = if both { decisions_of(old, new) } else { None };
    let pairs = if both {
        pair_policies(old, new)
    } else {
        Vec::new()
    };
    let bloc_shares = if both {
        bloc_share_deltas(old, new, &pairs, &in_scope)
    } else {
        Vec::new()
    };
    let policies = if both {
        policy_deltas(old, new, &pairs)
    } else {
        Vec::new()
    };
    let capacity_limits = if both {
        capacity_limits(old, new, &in_scope)
    } else {
        CapacityLimits::default()
    };
    let shadow_prices = if both {
        shadow_changes(old, new, &pairs)
    } else {
        ShadowPriceChanges {
            compared: false,
            note: Some("not compared: both plans need a solution".to_string()),
            ..ShadowPriceChanges::default()
        }
    };
    let metadata = metadata_changes(old, new);
    let inputs = input_changes(old, new);

    let mut comparison = Comparison {
        old: side_of(old),
        new: side_of(new),
        unchanged: false,
        status_changed: old.status != new.status,
        objective,
        costs,
        measures,
        periods,
        sites: volumes.sites,
        countries: volumes.countries,
        products: volumes.products,
        production: volumes.total,
        site_moves: volumes.site_moves,
        country_moves: volumes.country_moves,
        bloc_shares,
        network,
        decisions,
        policies,
        capacity_limits,
        shadow_prices,
        metadata,
        inputs,
        notes,
    };
    comparison.unchanged = is_unchanged(&comparison);
    comparison
}

fn is_unchanged(c: &Comparison) -> bool {
    let sites_same = c.sites.iter().all(|s| {
        s.presence == Presence::Both
            && !s.units.changed()
            && !s.load.changed()
            && !s.capacity.changed()
            && !s.overtime.changed()
            && s.products.is_empty()
    });
    !c.status_changed
        && c.old.has_solution == c.new.has_solution
        && same_opt(c.old.objective, c.new.objective)
        && c.old.message == c.new.message
        && c.old.conflict == c.new.conflict
        && c.costs.iter().all(|x| !x.delta.changed())
        && c.measures.iter().all(|x| !x.delta.changed())
        && c.periods.same
        && sites_same
        && c.countries
            .iter()
            .all(|x| !x.units.changed() && !x.load.changed())
        && c.products.iter().all(|x| !x.delta.changed())
        && c.site_moves.is_empty()
        && c.country_moves.is_empty()
        && c.bloc_shares.iter().all(|x| !x.changed())
        && c.network.as_ref().is_none_or(|n| !n.changed())
        && c.decisions.as_ref().is_none_or(|d| !d.changed())
        && c.policies.iter().all(|x| !x.changed())
        && c.capacity_limits.newly_full.is_empty()
        && c.capacity_limits.no_longer_full.is_empty()
        && c.shadow_prices.capacity.is_empty()
        && c.shadow_prices.bloc_share.is_empty()
        && c.shadow_prices.policies.is_empty()
        && c.metadata.is_empty()
        && c.inputs.iter().all(|x| x.change == "same")
}

/// One side of the comparison, in brief.
fn side_of(plan: &Plan) -> PlanSide {
    PlanSide {
        label: plan.model.clone(),
        model: plan.model.clone(),
        status: plan.status,
        objective: plan.objective,
        message: plan.message.clone(),
        has_solution: has_solution(plan),
        periods: plan.periods.len(),
        first_period: plan.periods.first().cloned(),
        last_period: plan.periods.last().cloned(),
        solver: plan.metadata.solver.clone(),
        conflict: plan
            .explanation
            .as_ref()
            .map(|e| e.conflict.clone())
            .unwrap_or_default(),
    }
}

fn has_solution(plan: &Plan) -> bool {
    plan.costs.is_some() && plan.kpis.is_some()
}

fn period_diff(old: &Plan, new: &Plan, both: bool, notes: &mut Vec<String>) -> PeriodDiff {
    let old_set: BTreeSet<&str> = old.periods.iter().map(String::as_str).collect();
    let new_set: BTreeSet<&str> = new.periods.iter().map(String::as_str).collect();
    let only_old: Vec<String> = old
        .periods
        .iter()
        .filter(|p| !new_set.contains(p.as_str()))
        .cloned()
        .collect();
    let only_new: Vec<String> = new
        .periods
        .iter()
        .filter(|p| !old_set.contains(p.as_str()))
        .cloned()
        .collect();
    let same_periods = old.periods == new.periods;
    let common: Vec<String> = old
        .periods
        .iter()
        .filter(|p| new_set.contains(p.as_str()))
        .cloned()
        .collect();
    let compared = if same_periods || common.is_empty() {
        Vec::new()
    } else {
        common.clone()
    };
    if !same_periods {
        if common.is_empty() {
            notes.push(if both {
                "The plans have no period in common: volumes, loads and shares are totals over each plan's whole horizon."
                    .to_string()
            } else {
                "The plans have no period in common.".to_string()
            });
        } else {
            let list = |v: &[String]| {
                let mut text = v.iter().take(6).cloned().collect::<Vec<_>>().join(", ");
                if v.len() > 6 {
                    let _ = write!(text, " … ({} in all)", v.len());
                }
                if text.is_empty() {
                    text.push_str("none");
                }
                text
            };
            notes.push(format!(
                "The plans share {} periods; only in the old plan: {}; only in the new plan: {}.",
                common.len(),
                list(&only_old),
                list(&only_new)
            ));
        }
    }
    PeriodDiff {
        same: same_periods,
        only_old,
        only_new,
        compared,
    }
}

fn metadata_changes(old: &Plan, new: &Plan) -> Vec<FieldChange> {
    let (a, b) = (&old.metadata, &new.metadata);
    let opt = |x: Option<f64>| x.map_or_else(|| "none".to_string(), |v| format!("{v} s"));
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join("; ")
        }
    };
    let lp = |m: &crate::plan::Metadata| {
        format!(
            "{} variables, {} rows, {} non-zeros",
            group(m.variables as u64),
            group(m.rows as u64),
            group(m.nonzeros as u64)
        )
    };
    let fields = [
        ("model name", a.model_name.clone(), b.model_name.clone()),
        (
            "plan format",
            a.plan_format.to_string(),
            b.plan_format.to_string(),
        ),
        (
            "tool version",
            format!("{} {}", a.tool, a.tool_version),
            format!("{} {}", b.tool, b.tool_version),
        ),
        ("solver", a.solver.clone(), b.solver.clone()),
        ("time limit", opt(a.time_limit_s), opt(b.time_limit_s)),
        ("overrides", list(&a.overrides), list(&b.overrides)),
        ("LP size", lp(a), lp(b)),
    ];
    fields
        .into_iter()
        .filter(|(_, x, y)| x != y)
        .map(|(field, old, new)| FieldChange {
            field: field.to_string(),
            old,
            new,
        })
        .collect()
}

fn input_changes(old: &Plan, new: &Plan) -> Vec<InputChange> {
    let (a, b) = (&old.metadata.inputs, &new.metadata.inputs);
    let status = |x: Option<&String>, y: Option<&String>| match (x, y) {
        (Some(x), Some(y)) if x == y => "same",
        (Some(_), Some(_)) => "changed",
        (Some(_), None) => "removed",
        _ => "added",
    };
    let mut out = Vec::new();
    // The first input is the model file: matched as the model even when renamed.
    if let (Some(x), Some(y)) = (a.first(), b.first()) {
        out.push(InputChange {
            role: "model".to_string(),
            old_path: Some(x.path.clone()),
            new_path: Some(y.path.clone()),
            old_sha256: Some(x.sha256.clone()),
            new_sha256: Some(y.sha256.clone()),
            change: status(Some(&x.sha256), Some(&y.sha256)).to_string(),
        });
    }
    let rest = |v: &[crate::plan::InputFile]| -> Vec<crate::plan::InputFile> {
        v.iter().skip(1).cloned().collect()
    };
    let (ra, rb) = (rest(a), rest(b));
    let paths = ordered(
        ra.iter().map(|f| f.path.as_str()),
        rb.iter().map(|f| f.path.as_str()),
    );
    for path in paths {
        let x = ra.iter().find(|f| f.path == path).map(|f| &f.sha256);
        let y = rb.iter().find(|f| f.path == path).map(|f| &f.sha256);
        out.push(InputChange {
            role: "data".to_string(),
            old_path: x.map(|_| path.clone()),
            new_path: y.map(|_| path.clone()),
            old_sha256: x.cloned(),
            new_sha256: y.cloned(),
            change: status(x, y).to_string(),
        });
    }
    out
}
