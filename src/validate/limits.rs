//! Count and size limits, checked before the scenario's tables are allocated and before
//! the LP is built (see `load::limits` for the numbers and the README's "Limits").

use crate::diag::{Diagnostics, Loc};
use crate::fmt::group;
use crate::load::limits::{
    CELLS_PER_VARIABLE, DEFAULT_MAX_VARIABLES, MAX_ENTRIES, MAX_PERIODS, MAX_POLICIES,
};
use crate::load::RawInput;
use crate::network::{Lane, Make};
use crate::policy::{Policy, Size};

/// Reports every count over its limit. Returns false when any is: the input is then
/// not validated further (its tables could be too large to allocate).
pub(super) fn counts(input: &RawInput, diags: &mut Diagnostics) -> bool {
    let mut ok = true;
    for data in &input.data {
        if let Some(periods) = &data.periods {
            if let Some(first_over) = periods.value.get(MAX_PERIODS) {
                diags.error(
                    first_over.loc.clone(),
                    format!(
                        "`periods` lists {} periods; the limit is {}",
                        group(periods.value.len() as u64),
                        group(MAX_PERIODS as u64)
                    ),
                );
                ok = false;
            }
        }
    }
    let data = &input.data;
    ok &= over(
        diags,
        "products",
        MAX_ENTRIES,
        data.iter().flat_map(|d| &d.products).map(|p| &p.id.loc),
    );
    ok &= over(
        diags,
        "sites",
        MAX_ENTRIES,
        data.iter().flat_map(|d| &d.sites).map(|s| &s.id.loc),
    );
    ok &= over(
        diags,
        "markets",
        MAX_ENTRIES,
        data.iter().flat_map(|d| &d.markets).map(|m| &m.id.loc),
    );
    ok &= over(
        diags,
        "lanes",
        MAX_ENTRIES,
        data.iter().flat_map(|d| &d.lanes).map(|l| &l.loc),
    );
    ok &= over(
        diags,
        "demand entries",
        MAX_ENTRIES,
        data.iter().flat_map(|d| &d.demand).map(|d| &d.loc),
    );
    ok &= over(
        diags,
        "policies",
        MAX_POLICIES,
        input.model.policies.iter().map(|p| &p.loc),
    );
    ok &= over(
        diags,
        "blocs",
        MAX_POLICIES,
        input.model.blocs.iter().map(|(b, _)| &b.loc),
    );
    ok
}

/// One count against its limit, reported at the first entry past it.
fn over<'a>(
    diags: &mut Diagnostics,
    what: &str,
    limit: usize,
    locs: impl Iterator<Item = &'a Loc>,
) -> bool {
    let mut first_over = None;
    let mut n = 0usize;
    for loc in locs {
        n += 1;
        if n == limit + 1 {
            first_over = Some(loc.clone());
        }
    }
    match first_over {
        Some(loc) => {
            diags.error(
                loc,
                format!(
                    "the input defines {} {what}; the limit is {}",
                    group(n as u64),
                    group(limit as u64)
                ),
            );
            false
        }
        None => true,
    }
}

/// The LP-size ceiling of a model: `solver.max_variables`, or the default.
pub(super) fn max_variables(input: &RawInput) -> u64 {
    input
        .model
        .solver
        .max_variables
        .as_ref()
        .map_or(DEFAULT_MAX_VARIABLES, |m| m.value)
}

/// Where a size problem is reported: `solver.max_variables` when the model sets it,
/// else the model file.
fn size_loc(input: &RawInput, model_loc: &Loc) -> Loc {
    input
        .model
        .solver
        .max_variables
        .as_ref()
        .map_or_else(|| model_loc.clone(), |m| m.loc.clone())
}

const RAISE: &str = "raise the limit with `solver.max_variables: N` in the model (or `--set solver.max_variables=N`) if the machine has the memory";

/// The dense tables (sites, lanes or markets × products × periods) against the ceiling.
/// Checked before any of them is allocated.
pub(super) fn tables(
    input: &RawInput,
    model_loc: &Loc,
    shape: [usize; 5],
    diags: &mut Diagnostics,
) -> bool {
    let [sites, lanes, markets, products, periods] = shape.map(|n| n as u64);
    let widest = sites.max(lanes).max(markets);
    let cells = widest
        .saturating_mul(products)
        .saturating_mul(periods.max(1));
    let cap = max_variables(input).saturating_mul(CELLS_PER_VARIABLE);
    if cells <= cap {
        return true;
    }
    let what = if widest == lanes {
        "lanes"
    } else if widest == markets {
        "markets"
    } else {
        "sites"
    };
    diags.error_help(
        size_loc(input, model_loc),
        format!(
            "the model is too large: {} {what} × {} products × {} periods make tables of {} cells, more than the limit of {}",
            group(widest),
            group(products),
            group(periods),
            group(cells),
            group(cap)
        ),
        RAISE,
    );
    false
}

/// An upper bound on the LP's columns, from what each site makes and the lanes.
pub(super) fn estimated_variables(
    n_sites: usize,
    n_periods: usize,
    makes: &[Make],
    lanes: &[Lane],
    demand_pairs: usize,
) -> u64 {
    let t = n_periods as u64;
    let mut makes_at = vec![0u64; n_sites];
    for mk in makes {
        makes_at[mk.site] += 1;
    }
    // Production and inventory per make and period; overtime and two load changes per
    // site and period; unmet per demand entry and period; shipments per lane, product
    // the origin makes, and departure period.
    let per_make = 2 * makes.len() as u64;
    let per_site = 3 * n_sites as u64;
    let shipments: u64 = lanes
        .iter()
        .map(|l| makes_at[l.from])
        .fold(0u64, u64::saturating_add);
    per_make
        .saturating_add(per_site)
        .saturating_add(demand_pairs as u64)
        .saturating_add(shipments)
        .saturating_mul(t)
}

/// An upper bound on the LP's columns once origin classes are known: production, stock
/// and shipments per class, component consumption per class where it is split,
/// overtime and load changes, unmet demand.
pub(super) fn estimated_with_origins(net: &crate::network::Network) -> u64 {
    let o = &net.origins;
    let t = net.n_periods() as u64;
    let classes = |s: usize, p: usize| o.at(s, p).len() as u64;
    let mut per_period: u64 = net.makes.len() as u64 + 3 * net.sites.len() as u64;
    for (s, p) in net.holdings() {
        per_period = per_period.saturating_add(classes(s, p));
    }
    for ((l, p), &carried) in o.carries.indexed_iter() {
        if carried {
            per_period = per_period.saturating_add(classes(net.lanes[l].from, p));
        }
    }
    for u in &net.bom_uses {
        let n = classes(net.makes[u.make].site, u.component);
        if n > 1 {
            per_period = per_period.saturating_add(n);
        }
    }
    let unmet = net.demand.iter().filter(|&&d| d > 0.0).count() as u64;
    per_period.saturating_mul(t).saturating_add(unmet)
}

/// An upper bound on the slack columns of soft policies: one per row a policy can have.
pub(super) fn soft_slacks(
    policies: &[Policy],
    [sites, markets, products, periods, countries]: [usize; 5],
) -> u64 {
    let [sites, markets, products, periods, countries] =
        [sites, markets, products, periods, countries].map(|n| n as u64);
    let size = Size {
        sites,
        markets,
        products,
        periods,
        countries,
    };
    policies
        .iter()
        .filter(|policy| policy.soft_penalty.is_some())
        .map(|policy| policy.rule.max_rows(&size))
        .fold(0u64, u64::saturating_add)
}

/// The estimated LP size against the ceiling.
pub(super) fn variables(
    input: &RawInput,
    model_loc: &Loc,
    estimate: u64,
    diags: &mut Diagnostics,
) -> bool {
    let cap = max_variables(input);
    if estimate <= cap {
        return true;
    }
    diags.error_help(
        size_loc(input, model_loc),
        format!(
            "the model is too large: its LP would have up to {} variables, more than the limit of {}",
            group(estimate),
            group(cap)
        ),
        RAISE,
    );
    false
}
