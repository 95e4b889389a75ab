//! The decision part of a plan: a timeline of what is built, opened or closed, the
//! state of each site that may close, every expansion, minimum runs and contracts.

use super::snap;
use crate::allocation::Allocation;
use crate::decisions::Expands;
use crate::plan::{ContractRow, DecisionEvent, DecisionsPlan, ExpansionResult, RunRow, SiteState};
use crate::scenario::Scenario;

/// `None` for a model without decisions.
pub fn decisions_plan(sc: &Scenario, a: &Allocation) -> Option<DecisionsPlan> {
    let d = &sc.decisions;
    let any = d.open.iter().any(Option::is_some)
        || d.fixed_cost.iter().any(|&c| c > 0.0)
        || !d.expansions.is_empty()
        || d.min_run.iter().any(Option::is_some)
        || !d.contracts.is_empty();
    if !any {
        return None;
    }
    let n_t = sc.n_periods();
    let v = &a.decisions;
    let mut out = DecisionsPlan::default();
    let mut events: Vec<(usize, DecisionEvent)> = Vec::new();
    for (s, rule) in d.open.iter().enumerate() {
        let Some(rule) = rule else { continue };
        let site = &sc.sites[s].id;
        let mut was = rule.initially;
        for t in 0..n_t {
            let open = v.open[[s, t]] > 0.5;
            out.sites.push(SiteState {
                site: site.clone(),
                period: sc.periods[t].clone(),
                open,
                fixed_cost: if open { d.fixed_cost[s] } else { 0.0 },
            });
            if open != was {
                let (action, cost) = if open {
                    ("open", rule.opening_cost)
                } else {
                    ("close", rule.closing_cost)
                };
                events.push((
                    t,
                    DecisionEvent {
                        period: sc.periods[t].clone(),
                        action: action.to_string(),
                        site: site.clone(),
                        expansion: None,
                        fraction: None,
                        capacity: None,
                        cost,
                    },
                ));
            }
            was = open;
        }
    }
    for (e, exp) in d.expansions.iter().enumerate() {
        let site = &sc.sites[exp.site].id;
        let mut first = None;
        for t in 0..n_t {
            let part = snap(v.built[[e, t]], &[0.0, 1.0]);
            if part <= 0.0 {
                continue;
            }
            first.get_or_insert(t);
            events.push((
                t,
                DecisionEvent {
                    period: sc.periods[t].clone(),
                    action: "build".to_string(),
                    site: site.clone(),
                    expansion: Some(exp.name.clone()),
                    fraction: Some(part),
                    capacity: Some(snap(part * exp.capacity, &[])),
                    cost: snap(part * exp.cost, &[]),
                },
            ));
        }
        out.expansions.push(ExpansionResult {
            site: site.clone(),
            name: exp.name.clone(),
            resource: match exp.resource {
                Expands::Default => "default".to_string(),
                Expands::Resource(r) => sc.resources[r].name.clone(),
            },
            capacity: exp.capacity,
            cost: exp.cost,
            from: sc.periods[exp.from].clone(),
            built_in: first.map(|t| sc.periods[t].clone()),
            fraction: snap(v.built_by(e, n_t.saturating_sub(1)), &[0.0, 1.0]),
        });
    }
    events.sort_by_key(|(t, _)| *t);
    out.timeline = events.into_iter().map(|(_, e)| e).collect();
    for (k, run) in d.min_run.iter().enumerate() {
        let Some(min_run) = *run else { continue };
        let mk = &sc.makes[k];
        for t in 0..n_t {
            let quantity = a.production[[mk.site, mk.product, t]];
            out.runs.push(RunRow {
                site: sc.sites[mk.site].id.clone(),
                product: sc.products[mk.product].id.clone(),
                period: sc.periods[t].clone(),
                min_run,
                runs: quantity > 0.0,
                quantity,
            });
        }
    }
    for (c, contract) in d.contracts.iter().enumerate() {
        for (window, periods) in contract.per.groups(n_t) {
            let shipped = snap(a.contract_shipped(sc, c, &periods), &[contract.min]);
            let shortfall = match contract.shortfall_cost {
                Some(_) => snap((contract.min - shipped).max(0.0), &[]),
                None => 0.0,
            };
            out.contracts.push(ContractRow {
                contract: contract.name.clone(),
                site: sc.sites[contract.site].id.clone(),
                window: window.map_or_else(|| "horizon".to_string(), |t| sc.periods[t].clone()),
                shipped,
                min: contract.min,
                max: contract.max,
                shortfall,
                shortfall_cost: contract.shortfall_cost,
                shortfall_paid: contract.shortfall_cost.map_or(0.0, |p| p * shortfall),
            });
        }
    }
    Some(out)
}
