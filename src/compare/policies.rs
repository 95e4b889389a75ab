//! Policies of the two plans matched to each other (by name, by bloc and scope, or as
//! the only one of a kind), and what changed in their bloc shares, binding rows and shadow
//! prices.

use std::collections::{BTreeMap, BTreeSet};

use super::volumes::ordered;
use crate::plan::comparison::{
    BindingChange, BlocShareDelta, Delta, Matched, PolicyDelta, Presence, PriceDelta,
    ShadowPriceChanges,
};
use crate::plan::{BlocShareRow, Plan, PolicyResult, ShadowPrices};

/// A matched pair of policies (indices into `plan.policies`).
#[derive(Debug, Clone, Copy)]
pub struct PolicyPair {
    old: Option<usize>,
    new: Option<usize>,
    matched: Matched,
}

/// A `min_bloc_share` policy's bloc and its (market, product) scope, from its rows.
fn bloc_scope(plan: &Plan, policy: &str) -> Option<(String, BTreeSet<(String, String)>)> {
    let rows: Vec<&BlocShareRow> = plan
        .bloc_shares
        .iter()
        .filter(|r| r.policy == policy)
        .collect();
    let bloc = rows.first()?.bloc.clone();
    let scope = rows
        .iter()
        .map(|r| (r.market.clone(), r.product.clone()))
        .collect();
    Some((bloc, scope))
}

fn bloc_of(plan: &Plan, policy: &str) -> Option<String> {
    plan.bloc_shares
        .iter()
        .find(|r| r.policy == policy)
        .map(|r| r.bloc.clone())
}

pub fn pair_policies(old: &Plan, new: &Plan) -> Vec<PolicyPair> {
    let mut new_taken = vec![false; new.policies.len()];
    let mut old_match: Vec<Option<(usize, Matched)>> = vec![None; old.policies.len()];
    for (i, p) in old.policies.iter().enumerate() {
        if let Some(j) = new
            .policies
            .iter()
            .enumerate()
            .position(|(j, q)| !new_taken[j] && q.name == p.name)
        {
            new_taken[j] = true;
            old_match[i] = Some((j, Matched::Name));
        }
    }
    // Renamed bloc-share targets: same bloc, same (market, product) scope.
    for (i, p) in old.policies.iter().enumerate() {
        if old_match[i].is_some() || p.kind != "min_bloc_share" {
            continue;
        }
        let Some(scope) = bloc_scope(old, &p.name) else {
            continue;
        };
        let found = new.policies.iter().enumerate().position(|(j, q)| {
            !new_taken[j] && q.kind == p.kind && bloc_scope(new, &q.name).as_ref() == Some(&scope)
        });
        if let Some(j) = found {
            new_taken[j] = true;
            old_match[i] = Some((j, Matched::Scope));
        }
    }
    // The only unmatched policy of a kind on each side (bloc shares: of the same bloc).
    let kinds: BTreeSet<&str> = old.policies.iter().map(|p| p.kind.as_str()).collect();
    for kind in kinds {
        let olds: Vec<usize> = (0..old.policies.len())
            .filter(|&i| old_match[i].is_none() && old.policies[i].kind == kind)
            .collect();
        let news: Vec<usize> = (0..new.policies.len())
            .filter(|&j| !new_taken[j] && new.policies[j].kind == kind)
            .collect();
        if let ([i], [j]) = (olds.as_slice(), news.as_slice()) {
            let same_bloc = kind != "min_bloc_share"
                || bloc_of(old, &old.policies[*i].name) == bloc_of(new, &new.policies[*j].name);
            if same_bloc {
                new_taken[*j] = true;
                old_match[*i] = Some((*j, Matched::Kind));
            }
        }
    }
    let mut pairs: Vec<PolicyPair> = old_match
        .iter()
        .enumerate()
        .map(|(i, m)| match m {
            Some((j, how)) => PolicyPair {
                old: Some(i),
                new: Some(*j),
                matched: *how,
            },
            None => PolicyPair {
                old: Some(i),
                new: None,
                matched: Matched::OldOnly,
            },
        })
        .collect();
    for (j, taken) in new_taken.iter().enumerate() {
        if !taken {
            pairs.push(PolicyPair {
                old: None,
                new: Some(j),
                matched: Matched::NewOnly,
            });
        }
    }
    pairs
}

/// Shares of a (policy, market, product) over the compared rows:
/// (target, lowest, average, rows, missed).
type ShareSummary = (Option<f64>, Option<f64>, Option<f64>, usize, usize);

fn share_summary(rows: &[&BlocShareRow]) -> ShareSummary {
    if rows.is_empty() {
        return (None, None, None, 0, 0);
    }
    let target = rows.first().map(|r| r.target);
    let lowest = rows
        .iter()
        .filter_map(|r| r.share)
        .min_by(|a, b| a.total_cmp(b));
    let delivered: f64 = rows.iter().map(|r| r.delivered).sum();
    let from_bloc: f64 = rows.iter().map(|r| r.from_bloc).sum();
    let average = (delivered > 0.0).then(|| from_bloc / delivered);
    let missed = rows.iter().filter(|r| !r.met).count();
    (target, lowest, average, rows.len(), missed)
}

pub fn bloc_share_deltas(
    old: &Plan,
    new: &Plan,
    pairs: &[PolicyPair],
    in_scope: &dyn Fn(&str) -> bool,
) -> Vec<BlocShareDelta> {
    let mut out = Vec::new();
    for pair in pairs {
        let old_name = pair.old.map(|i| old.policies[i].name.as_str());
        let new_name = pair.new.map(|j| new.policies[j].name.as_str());
        let rows_of = |plan: &'_ Plan, name: Option<&str>| -> Vec<BlocShareRow> {
            name.map(|n| {
                plan.bloc_shares
                    .iter()
                    .filter(|r| r.policy == n && in_scope(&r.period))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
        };
        let a = rows_of(old, old_name);
        let b = rows_of(new, new_name);
        if a.is_empty() && b.is_empty() {
            continue;
        }
        let keys = ordered(
            a.iter().map(|r| r.market.as_str()),
            b.iter().map(|r| r.market.as_str()),
        );
        let products = ordered(
            a.iter().map(|r| r.product.as_str()),
            b.iter().map(|r| r.product.as_str()),
        );
        for market in &keys {
            for product in &products {
                let pick = |rows: &[BlocShareRow]| -> Vec<BlocShareRow> {
                    rows.iter()
                        .filter(|r| &r.market == market && &r.product == product)
                        .cloned()
                        .collect()
                };
                let (x, y) = (pick(&a), pick(&b));
                if x.is_empty() && y.is_empty() {
                    continue;
                }
                let presence = match (x.is_empty(), y.is_empty()) {
                    (false, false) => Presence::Both,
                    (false, true) => Presence::OldOnly,
                    _ => Presence::NewOnly,
                };
                let bloc = y
                    .first()
                    .or(x.first())
                    .map(|r| r.bloc.clone())
                    .unwrap_or_default();
                let sx = share_summary(&x.iter().collect::<Vec<_>>());
                let sy = share_summary(&y.iter().collect::<Vec<_>>());
                out.push(BlocShareDelta {
                    old_policy: old_name.map(str::to_string),
                    new_policy: new_name.map(str::to_string),
                    bloc,
                    market: market.clone(),
                    product: product.clone(),
                    presence,
                    target_old: sx.0,
                    target_new: sy.0,
                    lowest_old: sx.1,
                    lowest_new: sy.1,
                    average_old: sx.2,
                    average_new: sy.2,
                    rows_old: sx.3,
                    rows_new: sy.3,
                    missed_old: sx.4,
                    missed_new: sy.4,
                });
            }
        }
    }
    out
}

/// The part of a row name after its policy's name, e.g. `[us-east,battery-module,2027-08]`.
fn row_suffix<'a>(policy: &str, row: &'a str) -> &'a str {
    row.strip_prefix(policy).unwrap_or(row)
}

pub fn policy_deltas(old: &Plan, new: &Plan, pairs: &[PolicyPair]) -> Vec<PolicyDelta> {
    pairs
        .iter()
        .map(|pair| {
            let a: Option<&PolicyResult> = pair.old.map(|i| &old.policies[i]);
            let b: Option<&PolicyResult> = pair.new.map(|j| &new.policies[j]);
            let binds = |p: Option<&PolicyResult>| p.is_some_and(|p| p.binding_rows > 0);
            let change = match (binds(a), binds(b)) {
                (false, true) => BindingChange::NewlyBinding,
                (true, false) => BindingChange::NoLongerBinding,
                (true, true) => BindingChange::StillBinding,
                (false, false) => BindingChange::NotBinding,
            };
            let suffixes = |p: Option<&PolicyResult>| -> BTreeSet<String> {
                p.map(|p| {
                    p.binding_examples
                        .iter()
                        .map(|r| row_suffix(&p.name, r).to_string())
                        .collect()
                })
                .unwrap_or_default()
            };
            // A row is known not to bind in a plan when that plan lists every binding row
            // of the policy (or does not have the policy).
            let complete = |p: Option<&PolicyResult>| {
                p.is_none_or(|p| p.binding_examples.len() >= p.binding_rows)
            };
            let (sa, sb) = (suffixes(a), suffixes(b));
            let newly = if complete(a) {
                b.map(|p| {
                    p.binding_examples
                        .iter()
                        .filter(|r| !sa.contains(row_suffix(&p.name, r)))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
            } else {
                Vec::new()
            };
            let gone = if complete(b) {
                a.map(|p| {
                    p.binding_examples
                        .iter()
                        .filter(|r| !sb.contains(row_suffix(&p.name, r)))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
            } else {
                Vec::new()
            };
            PolicyDelta {
                old_name: a.map(|p| p.name.clone()),
                new_name: b.map(|p| p.name.clone()),
                kind: b.or(a).map(|p| p.kind.clone()).unwrap_or_default(),
                matched: pair.matched,
                rows_old: a.map(|p| p.rows),
                rows_new: b.map(|p| p.rows),
                binding_old: a.map(|p| p.binding_rows),
                binding_new: b.map(|p| p.binding_rows),
                slack_old: a.filter(|p| p.soft).map(|p| p.slack),
                slack_new: b.filter(|p| p.soft).map(|p| p.slack),
                change,
                newly_binding_rows: newly,
                no_longer_binding_rows: gone,
            }
        })
        .collect()
}

/// Changed prices from keyed (item, per, value) lists; missing means 0.
fn price_changes(a: Vec<(String, String, f64)>, b: Vec<(String, String, f64)>) -> Vec<PriceDelta> {
    let mut keys: Vec<(String, String)> = Vec::new();
    let mut values: BTreeMap<(String, String), (f64, f64)> = BTreeMap::new();
    for (item, per, v) in a {
        let key = (item, per);
        if !values.contains_key(&key) {
            keys.push(key.clone());
        }
        values.entry(key).or_default().0 += v;
    }
    for (item, per, v) in b {
        let key = (item, per);
        if !values.contains_key(&key) {
            keys.push(key.clone());
        }
        values.entry(key).or_default().1 += v;
    }
    let mut out: Vec<PriceDelta> = keys
        .into_iter()
        .filter_map(|key| {
            let (x, y) = values.get(&key).copied().unwrap_or_default();
            let delta = Delta::new(x, y);
            delta.changed().then_some(PriceDelta {
                item: key.0,
                per: key.1,
                delta,
            })
        })
        .collect();
    out.sort_by(|x, y| y.delta.change.abs().total_cmp(&x.delta.change.abs()));
    out
}

pub fn shadow_changes(old: &Plan, new: &Plan, pairs: &[PolicyPair]) -> ShadowPriceChanges {
    let (a, b) = match (&old.shadow_prices, &new.shadow_prices) {
        (Some(a), Some(b)) => (a, b),
        (x, y) => {
            let note = match (x.is_some(), y.is_some()) {
                (true, false) => format!(
                    "only the old plan has shadow prices (new: {})",
                    new.duals_note.as_deref().unwrap_or("none")
                ),
                (false, true) => format!(
                    "only the new plan has shadow prices (old: {})",
                    old.duals_note.as_deref().unwrap_or("none")
                ),
                _ => format!(
                    "neither plan has shadow prices ({})",
                    new.duals_note
                        .as_deref()
                        .or(old.duals_note.as_deref())
                        .unwrap_or("the solver gave none")
                ),
            };
            return ShadowPriceChanges {
                compared: false,
                note: Some(note),
                ..ShadowPriceChanges::default()
            };
        }
    };
    // Policies are keyed by their display name across the pair, so a renamed policy's
    // prices line up.
    let shown = |plan_is_old: bool, name: &str| -> String {
        let plan = if plan_is_old { old } else { new };
        let index = plan.policies.iter().position(|p| p.name == name);
        let pair = pairs.iter().find(|p| {
            if plan_is_old {
                p.old.is_some() && p.old == index
            } else {
                p.new.is_some() && p.new == index
            }
        });
        match pair {
            Some(PolicyPair {
                old: Some(i),
                new: Some(j),
                ..
            }) if old.policies[*i].name != new.policies[*j].name => {
                format!("{} → {}", old.policies[*i].name, new.policies[*j].name)
            }
            _ => name.to_string(),
        }
    };
    let capacity = |sp: &ShadowPrices| -> Vec<(String, String, f64)> {
        sp.capacity
            .iter()
            .map(|c| {
                (
                    format!("{}, {}", c.site, c.period),
                    "capacity unit".to_string(),
                    c.value,
                )
            })
            .collect()
    };
    let share = |sp: &ShadowPrices, is_old: bool| -> Vec<(String, String, f64)> {
        sp.bloc_share
            .iter()
            .map(|s| {
                (
                    format!(
                        "{}: {}, {}, {}",
                        shown(is_old, &s.policy),
                        s.market,
                        s.product,
                        s.period
                    ),
                    "percentage point".to_string(),
                    s.cost_per_point,
                )
            })
            .collect()
    };
    let policies = |sp: &ShadowPrices, is_old: bool| -> Vec<(String, String, f64)> {
        sp.policies
            .iter()
            .map(|p| {
                (
                    format!(
                        "{}{}",
                        shown(is_old, &p.policy),
                        row_suffix(&p.policy, &p.row)
                    ),
                    p.unit.clone(),
                    p.value,
                )
            })
            .collect()
    };
    ShadowPriceChanges {
        compared: true,
        note: None,
        capacity: price_changes(capacity(a), capacity(b)),
        bloc_share: price_changes(share(a, true), share(b, false)),
        policies: price_changes(policies(a, true), policies(b, false)),
    }
}
