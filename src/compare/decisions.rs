//! Decisions over the horizon, old against new.
//!
//! Rules:
//! - An expansion is matched by (site, name); it differs when the periods it is built in
//!   or the part built differ. An expansion in one plan only counts as not built in the
//!   other.
//! - Openings and closings are matched by (action, site); they differ when the periods
//!   they happen in differ.
//! - A contract is matched by name; its shortfall (units below the minimum, and $ paid
//!   for it, all windows together) is compared, and listed when it changed.

use super::volumes::ordered;
use crate::plan::comparison::{
    ContractDelta, DecisionChange, DecisionsComparison, Delta, Presence,
};
use crate::plan::{DecisionsPlan, Plan};

/// `None` unless either plan has decisions.
pub fn decisions_of(old: &Plan, new: &Plan) -> Option<DecisionsComparison> {
    if old.decisions.is_none() && new.decisions.is_none() {
        return None;
    }
    let empty = DecisionsPlan::default();
    let a = old.decisions.as_ref().unwrap_or(&empty);
    let b = new.decisions.as_ref().unwrap_or(&empty);
    let mut changes = Vec::new();

    let key = |site: &str, name: &str| format!("{site}\u{0}{name}");
    let keys = |d: &DecisionsPlan| -> Vec<String> {
        d.expansions.iter().map(|x| key(&x.site, &x.name)).collect()
    };
    let (keys_a, keys_b) = (keys(a), keys(b));
    let expansions = ordered(
        keys_a.iter().map(String::as_str),
        keys_b.iter().map(String::as_str),
    );
    for k in expansions {
        let Some((site, name)) = k.split_once('\u{0}') else {
            continue;
        };
        let built = |d: &DecisionsPlan| -> (Vec<String>, f64) {
            let periods = d
                .timeline
                .iter()
                .filter(|e| {
                    e.action == "build" && e.site == site && e.expansion.as_deref() == Some(name)
                })
                .map(|e| e.period.clone())
                .collect();
            let fraction = d
                .expansions
                .iter()
                .find(|x| x.site == site && x.name == name)
                .map_or(0.0, |x| x.fraction);
            (periods, fraction)
        };
        let (old_periods, old_fraction) = built(a);
        let (new_periods, new_fraction) = built(b);
        if old_periods != new_periods || (old_fraction - new_fraction).abs() > 1e-6 {
            changes.push(DecisionChange {
                action: "build".to_string(),
                site: site.to_string(),
                expansion: Some(name.to_string()),
                old: old_periods,
                new: new_periods,
                fraction_old: Some(old_fraction),
                fraction_new: Some(new_fraction),
            });
        }
    }

    let moves = |d: &DecisionsPlan| -> Vec<String> {
        d.timeline
            .iter()
            .filter(|e| e.action != "build")
            .map(|e| key(&e.action, &e.site))
            .collect()
    };
    let (moves_a, moves_b) = (moves(a), moves(b));
    for k in ordered(
        moves_a.iter().map(String::as_str),
        moves_b.iter().map(String::as_str),
    ) {
        let Some((action, site)) = k.split_once('\u{0}') else {
            continue;
        };
        let periods = |d: &DecisionsPlan| -> Vec<String> {
            d.timeline
                .iter()
                .filter(|e| e.action == action && e.site == site)
                .map(|e| e.period.clone())
                .collect()
        };
        let (old_periods, new_periods) = (periods(a), periods(b));
        if old_periods != new_periods {
            changes.push(DecisionChange {
                action: action.to_string(),
                site: site.to_string(),
                expansion: None,
                old: old_periods,
                new: new_periods,
                fraction_old: None,
                fraction_new: None,
            });
        }
    }

    let mut contracts = Vec::new();
    for name in ordered(
        a.contracts.iter().map(|c| c.contract.as_str()),
        b.contracts.iter().map(|c| c.contract.as_str()),
    ) {
        let totals = |d: &DecisionsPlan| -> Option<(f64, f64)> {
            let rows: Vec<_> = d.contracts.iter().filter(|c| c.contract == name).collect();
            (!rows.is_empty()).then(|| {
                (
                    rows.iter().map(|c| c.shortfall).sum(),
                    rows.iter().map(|c| c.shortfall_paid).sum(),
                )
            })
        };
        let (x, y) = (totals(a), totals(b));
        let presence = match (x, y) {
            (Some(_), None) => Presence::OldOnly,
            (None, Some(_)) => Presence::NewOnly,
            _ => Presence::Both,
        };
        let (x, y) = (x.unwrap_or_default(), y.unwrap_or_default());
        let delta = ContractDelta {
            contract: name,
            presence,
            shortfall: Delta::new(x.0, y.0),
            paid: Delta::new(x.1, y.1),
        };
        if delta.presence != Presence::Both || delta.shortfall.changed() || delta.paid.changed() {
            contracts.push(delta);
        }
    }
    Some(DecisionsComparison { changes, contracts })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{ContractRow, DecisionEvent, ExpansionResult};

    fn plan_with(d: DecisionsPlan) -> Plan {
        let mut p: Plan = serde_json::from_str(
            r#"{"status":"optimal","objective":1,"message":null,"model":"m","periods":["p1","p2"],
            "costs":null,"kpis":null,"sites":[],"production":[],"shipments":[],"inventory":[],
            "unmet":[],"sourcing":[],"bloc_shares":[],"policies":[],"verification":null,
            "metadata":{"plan_format":1,"tool":"allyplan","tool_version":"0","model_name":"m",
            "inputs":[],"solver":"highs","time_limit_s":null,"variables":0,"rows":0,"nonzeros":0,
            "run":{"generated_at":"","build_seconds":0,"solve_seconds":0,"verify_seconds":0}}}"#,
        )
        .expect("a plan");
        p.decisions = Some(d);
        p
    }

    fn built(period: Option<&str>) -> DecisionsPlan {
        DecisionsPlan {
            timeline: period
                .map(|p| DecisionEvent {
                    period: p.to_string(),
                    action: "build".to_string(),
                    site: "b".to_string(),
                    expansion: Some("line-2".to_string()),
                    fraction: Some(1.0),
                    capacity: Some(50.0),
                    cost: 300.0,
                })
                .into_iter()
                .collect(),
            expansions: vec![ExpansionResult {
                site: "b".to_string(),
                name: "line-2".to_string(),
                resource: "default".to_string(),
                capacity: 50.0,
                cost: 300.0,
                from: "p1".to_string(),
                built_in: period.map(str::to_string),
                fraction: if period.is_some() { 1.0 } else { 0.0 },
            }],
            contracts: vec![ContractRow {
                contract: "c".to_string(),
                site: "b".to_string(),
                window: "horizon".to_string(),
                shipped: 380.0,
                min: 500.0,
                max: None,
                shortfall: if period.is_some() { 120.0 } else { 0.0 },
                shortfall_cost: Some(2.0),
                shortfall_paid: if period.is_some() { 240.0 } else { 0.0 },
            }],
            ..DecisionsPlan::default()
        }
    }

    #[test]
    fn a_build_that_is_dropped_and_a_shortfall_that_goes() {
        let c = decisions_of(&plan_with(built(Some("p2"))), &plan_with(built(None)))
            .expect("decisions");
        assert_eq!(c.changes.len(), 1);
        assert_eq!(c.changes[0].old, vec!["p2".to_string()]);
        assert!(c.changes[0].new.is_empty());
        assert_eq!(c.changes[0].fraction_new, Some(0.0));
        assert_eq!(c.contracts.len(), 1);
        assert_eq!(c.contracts[0].shortfall.change, -120.0);
        assert_eq!(c.contracts[0].paid.old, 240.0);
    }

    #[test]
    fn the_same_decisions_differ_in_nothing() {
        let c = decisions_of(&plan_with(built(Some("p2"))), &plan_with(built(Some("p2"))))
            .expect("decisions");
        assert!(!c.changed());
        let mut none = plan_with(DecisionsPlan::default());
        none.decisions = None;
        assert!(decisions_of(&none, &none).is_none());
    }
}
