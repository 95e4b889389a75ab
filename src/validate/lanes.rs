//! Lanes: from a site or hub to a market, a site or a hub; one per (from, to, mode).

use std::collections::HashMap;

use super::scaling::Scale;
use super::{IdMap, Validator};
use crate::diag::Loc;
use crate::load::data::{RawLaneCost, RawProduct};
use crate::load::RawInput;
use crate::network::{Dest, Lane};

pub(super) struct Ids<'a> {
    pub sites: &'a IdMap,
    pub markets: &'a IdMap,
    pub products: &'a IdMap,
}

pub(super) fn lanes(
    v: &mut Validator,
    input: &RawInput,
    ids: Ids,
    raw_products: &[&RawProduct],
    scale: &mut Scale,
) -> Vec<Lane> {
    let n_products = raw_products.len();
    let n_periods = v.periods.len();
    let carbon_price = input.model.objective.carbon_price.unwrap_or(0.0);
    let mut lanes = Vec::new();
    let mut seen: HashMap<(usize, Dest, Option<String>), Loc> = HashMap::new();
    for raw in input.data.iter().flat_map(|d| &d.lanes) {
        let from = v.lookup(ids.sites, "site", &raw.from);
        let to = destination(v, &ids, raw);
        let mut cost = vec![None; n_products];
        match &raw.cost {
            RawLaneCost::Uniform(c) => cost.iter_mut().for_each(|x| *x = Some(*c)),
            RawLaneCost::PerProduct(list) => {
                for (id, c) in list {
                    if let Some(p) = v.lookup(ids.products, "product", id) {
                        cost[p] = Some(*c);
                    }
                }
            }
        }
        if n_periods > 0 && raw.lead_time.value >= n_periods {
            v.diags.warning(
                raw.lead_time.loc.clone(),
                format!(
                    "lead time {} is not shorter than the horizon ({} periods): nothing sent on this lane can arrive",
                    raw.lead_time.value, n_periods
                ),
            );
        }
        let capacity = raw.capacity.as_ref().and_then(|cap| {
            let values = v.per_period(cap, "lane capacity")?;
            for &x in &values {
                scale.bound(
                    x,
                    || format!("capacity of lane {} → {}", raw.from.value, raw.to.value),
                    &cap.loc,
                );
            }
            Some(values)
        });
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        if to == Dest::Site(from) {
            v.diags.error(
                raw.to.loc.clone(),
                format!("lane from `{}` to itself", raw.from.value),
            );
            continue;
        }
        for (p, c) in cost.iter().enumerate() {
            let Some(c) = c else { continue };
            let all_in = c
                + raw.tariff * raw_products[p].unit_value
                + raw.duty
                + carbon_price * raw.emissions;
            scale.cost(
                all_in,
                || {
                    format!(
                        "all-in cost of {} on {} → {}",
                        raw_products[p].id.value, raw.from.value, raw.to.value
                    )
                },
                &raw.loc,
            );
        }
        let mode = raw.mode.as_ref().map(|m| m.value.clone());
        let key = (from, to, mode.clone());
        if let Some(first) = seen.get(&key) {
            let message = match &mode {
                Some(mode) => format!(
                    "lane {} → {} by {mode} is defined twice (first at {first})",
                    raw.from.value, raw.to.value
                ),
                None => format!(
                    "lane {} → {} is defined twice (first at {first})",
                    raw.from.value, raw.to.value
                ),
            };
            v.diags.error_help(
                raw.loc.clone(),
                message,
                "two lanes may join the same pair only with different `mode`s",
            );
            continue;
        }
        seen.insert(key, raw.loc.clone());
        lanes.push(Lane {
            from,
            to,
            cost,
            lead_time: raw.lead_time.value,
            tariff: raw.tariff,
            duty: raw.duty,
            emissions: raw.emissions,
            capacity,
            mode,
        });
    }
    lanes
}

/// A lane's `to`: a market, or else a site or hub. Unknown ids are reported against
/// both, with the closest of either.
fn destination(v: &mut Validator, ids: &Ids, raw: &crate::load::data::RawLane) -> Option<Dest> {
    let id = &raw.to;
    if let Some((m, _)) = ids.markets.ids.get(&id.value) {
        return Some(Dest::Market(*m));
    }
    if let Some((s, _)) = ids.sites.ids.get(&id.value) {
        return Some(Dest::Site(*s));
    }
    if !(ids.markets.complete && ids.sites.complete) {
        return None;
    }
    let candidates = ids
        .markets
        .ids
        .keys()
        .chain(ids.sites.ids.keys())
        .map(String::as_str);
    v.diags.unknown(
        id.loc.clone(),
        "market, site or hub",
        &id.value,
        candidates,
        false,
    );
    None
}
