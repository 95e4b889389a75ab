//! Decisions over the horizon: `fixed_cost`, `open`, `expansions`, `min_run` and
//! `contracts`, resolved against sites, resources, products and periods.

use super::{IdMap, Validator};
use crate::decisions::{Contract, Decisions, Expands, Expansion, OpenRule};
use crate::diag::Spanned;
use crate::load::data::RawSite;
use crate::load::decisions::RawContract;
use crate::network::{Make, Resource};

pub(super) struct Facts<'a> {
    pub sites: &'a IdMap,
    pub products: &'a IdMap,
    pub n_products: usize,
    pub makes: &'a [Make],
    pub make_uses: &'a [Vec<(usize, f64)>],
    pub make_index: &'a ndarray::Array2<Option<usize>>,
    pub resources: &'a [Resource],
}

pub(super) fn decisions<'r>(
    v: &mut Validator,
    raw_sites: &[&RawSite],
    contracts: impl Iterator<Item = &'r RawContract>,
    facts: Facts,
) -> Decisions {
    let mut out = Decisions::none(raw_sites.len(), facts.makes.len());
    for (s, raw) in raw_sites.iter().enumerate() {
        let d = &raw.decisions;
        if let Some(cost) = &d.fixed_cost {
            out.fixed_cost[s] = cost.value;
        }
        if let Some(open) = &d.open {
            out.open[s] = Some(OpenRule {
                initially: open.initially,
                opening_cost: open.opening_cost,
                closing_cost: open.closing_cost,
            });
        }
        let mut names: Vec<&str> = Vec::new();
        for e in &d.expansions {
            if names.contains(&e.name.value.as_str()) {
                v.diags.error(
                    e.name.loc.clone(),
                    format!(
                        "expansion `{}` is defined twice at site `{}`",
                        e.name.value, raw.id.value
                    ),
                );
                continue;
            }
            names.push(&e.name.value);
            let resource = if e.resource.value == "default" {
                if raw.capacity.is_none() {
                    v.diags.error_help(
                        e.resource.loc.clone(),
                        format!(
                            "expansion `{}` adds to the default resource, which site `{}` does not have (no `capacity`)",
                            e.name.value, raw.id.value
                        ),
                        "name one of the site's `resources`, or give the site a `capacity`",
                    );
                    continue;
                }
                Expands::Default
            } else {
                let own: Vec<(usize, &Resource)> = facts
                    .resources
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.site == s)
                    .collect();
                match own.iter().find(|(_, r)| r.name == e.resource.value) {
                    Some(&(i, _)) => Expands::Resource(i),
                    None => {
                        let candidates =
                            own.iter().map(|(_, r)| r.name.as_str()).chain(["default"]);
                        v.diags.unknown(
                            e.resource.loc.clone(),
                            "resource",
                            &e.resource.value,
                            candidates,
                            true,
                        );
                        continue;
                    }
                }
            };
            let from = match &e.from {
                None => 0,
                Some(label) => match period_index(v, label) {
                    Some(t) => t,
                    None => continue,
                },
            };
            out.expansions.push(Expansion {
                site: s,
                name: e.name.value.clone(),
                resource,
                capacity: e.capacity,
                cost: e.cost,
                from,
                integer: e.integer,
            });
        }
        for item in &raw.products {
            let Some(min_run) = &item.min_run else {
                continue;
            };
            let Some(&(p, _)) = facts.products.ids.get(&item.product.value) else {
                continue;
            };
            let Some(k) = facts.make_index[[s, p]] else {
                continue;
            };
            let loads = facts.makes[k].rate > 0.0 || facts.make_uses[k].iter().any(|u| u.1 > 0.0);
            if !loads {
                v.diags.error_help(
                    min_run.loc.clone(),
                    format!(
                        "`min_run` of `{}` at `{}` needs the product to load a resource, so that its run has an upper bound",
                        item.product.value, raw.id.value
                    ),
                    "give it a `rate` (default resource) or `uses` (named resources)",
                );
                continue;
            }
            out.min_run[k] = Some(min_run.value);
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for raw in contracts {
        if seen.contains(&raw.name.value.as_str()) {
            v.diags.error(
                raw.name.loc.clone(),
                format!("contract `{}` is defined twice", raw.name.value),
            );
            continue;
        }
        seen.push(&raw.name.value);
        let site = v.lookup(facts.sites, "site", &raw.site);
        let mut products = vec![raw.products.is_none(); facts.n_products];
        for id in raw.products.iter().flatten() {
            if let Some(p) = v.lookup(facts.products, "product", id) {
                products[p] = true;
            }
        }
        if let Some(site) = site {
            out.contracts.push(Contract {
                name: raw.name.value.clone(),
                site,
                products,
                min: raw.min,
                max: raw.max,
                per: raw.per,
                shortfall_cost: raw.shortfall_cost,
            });
        }
    }
    out
}

fn period_index(v: &mut Validator, label: &Spanned<String>) -> Option<usize> {
    if let Some(t) = v.periods.iter().position(|p| *p == label.value) {
        return Some(t);
    }
    if v.periods_defined {
        let candidates: Vec<&str> = v.periods.iter().map(String::as_str).collect();
        v.diags
            .unknown(label.loc.clone(), "period", &label.value, candidates, false);
    }
    None
}
