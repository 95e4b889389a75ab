//! Sites and hubs: capacity, named resources, throughput, overtime, what each makes and
//! loads, and its inventory rules.

use ndarray::Array2;

use super::scaling::Scale;
use super::{IdMap, Validator};
use crate::diag::Spanned;
use crate::load::data::RawSite;
use crate::load::reader::PerPeriod;
use crate::network::{Make, Resource, StorageLimit};

/// The sites' facts, as tables.
pub(super) struct SitesPart {
    /// Default resource [site, period]; 0 where a site has none.
    pub capacity: Array2<f64>,
    pub overtime_capacity: Array2<f64>,
    pub make_index: Array2<Option<usize>>,
    pub makes: Vec<Make>,
    pub make_uses: Vec<Vec<(usize, f64)>>,
    pub resources: Vec<Resource>,
    pub initial_inventory: Array2<f64>,
    pub holding_cost: Array2<f64>,
    pub storage_limits: Vec<StorageLimit>,
    pub final_stock: Array2<f64>,
    /// [site] → cap on stock per period.
    pub inventory_capacity: Vec<Option<Vec<f64>>>,
    /// [site] → cap on arrivals per period.
    pub throughput: Vec<Option<Vec<f64>>>,
}

/// The name the default resource goes by (`expansions: {resource: default}`).
const DEFAULT_RESOURCE: &str = "default";

pub(super) fn sites(
    v: &mut Validator,
    raw_sites: &[&RawSite],
    products: &IdMap,
    n_products: usize,
    scale: &mut Scale,
) -> SitesPart {
    let n_sites = raw_sites.len();
    let n_periods = v.periods.len();
    let mut out = SitesPart {
        capacity: Array2::zeros((n_sites, n_periods)),
        overtime_capacity: Array2::zeros((n_sites, n_periods)),
        make_index: Array2::from_elem((n_sites, n_products), None),
        makes: Vec::new(),
        make_uses: Vec::new(),
        resources: Vec::new(),
        initial_inventory: Array2::zeros((n_sites, n_products)),
        holding_cost: Array2::zeros((n_sites, n_products)),
        storage_limits: Vec::new(),
        final_stock: Array2::zeros((n_sites, n_products)),
        inventory_capacity: Vec::with_capacity(n_sites),
        throughput: Vec::with_capacity(n_sites),
    };
    for (s, raw) in raw_sites.iter().enumerate() {
        v.country(&raw.country, "site");
        let site = raw.id.value.as_str();
        if let Some(cap) = &raw.capacity {
            if let Some(values) = v.per_period(cap, "capacity") {
                for &x in &values {
                    scale.bound(x, || format!("capacity of {site}"), &cap.loc);
                }
                out.capacity
                    .row_mut(s)
                    .assign(&ndarray::Array1::from(values));
            }
        }
        // Named resources of this site: name → index into `out.resources`.
        let first_resource = out.resources.len();
        for (name, cap) in &raw.resources {
            if name.value == DEFAULT_RESOURCE {
                v.diags.error_help(
                    name.loc.clone(),
                    format!("`{DEFAULT_RESOURCE}` names the site's `capacity`; a named resource cannot take it"),
                    "give the resource another name, or use the site's `capacity`",
                );
                continue;
            }
            let Some(values) = v.per_period(cap, "resource capacity") else {
                continue;
            };
            for &x in &values {
                scale.bound(
                    x,
                    || format!("capacity of {} at {site}", name.value),
                    &cap.loc,
                );
            }
            out.resources.push(Resource {
                site: s,
                name: name.value.clone(),
                capacity: values,
            });
        }
        out.throughput.push(per_period_bound(
            v,
            raw.throughput.as_ref(),
            "throughput",
            site,
            scale,
        ));
        out.inventory_capacity.push(per_period_bound(
            v,
            raw.inventory.capacity.as_ref(),
            "storage capacity",
            site,
            scale,
        ));
        if let Some(ot) = &raw.overtime {
            if let Some(values) = v.per_period(&ot.capacity, "overtime capacity") {
                for &x in &values {
                    scale.bound(
                        x,
                        || format!("overtime capacity of {site}"),
                        &ot.capacity.loc,
                    );
                }
                out.overtime_capacity
                    .row_mut(s)
                    .assign(&ndarray::Array1::from(values));
            }
            scale.cost(ot.cost, || format!("overtime cost of {site}"), &raw.id.loc);
        }
        if let Some(last) = raw.last_load {
            scale.bound(last, || format!("last load of {site}"), &raw.id.loc);
        }
        for item in &raw.products {
            let product = item.product.value.as_str();
            scale.coefficient(
                item.rate,
                || format!("rate of {product} at {site}"),
                &item.product.loc,
            );
            scale.cost(
                item.cost,
                || format!("production cost of {product} at {site}"),
                &item.product.loc,
            );
            if item.rate > 0.0 && !raw.hub && raw.capacity.is_none() {
                v.diags.error_help(
                    item.product.loc.clone(),
                    format!(
                        "`rate` loads the default resource, which site `{site}` does not have (no `capacity`)"
                    ),
                    "add `capacity` to the site, or load its named resources with `uses` instead",
                );
            }
            let mut uses = Vec::new();
            for (name, amount) in &item.uses {
                let own = &out.resources[first_resource..];
                match own.iter().position(|r| r.name == name.value) {
                    Some(i) => {
                        scale.coefficient(
                            *amount,
                            || format!("use of {} by {product} at {site}", name.value),
                            &name.loc,
                        );
                        uses.push((first_resource + i, *amount));
                    }
                    None if raw.resources.iter().any(|(n, _)| n.value == name.value) => {
                        // Its definition had a problem, already reported.
                    }
                    None => {
                        let names: Vec<&str> = own.iter().map(|r| r.name.as_str()).collect();
                        if names.is_empty() {
                            v.diags.error_help(
                                name.loc.clone(),
                                format!(
                                    "unknown resource `{}`: site `{site}` has no `resources`",
                                    name.value
                                ),
                                format!("add `resources: {{{}: …}}` to the site", name.value),
                            );
                        } else {
                            v.diags.unknown(
                                name.loc.clone(),
                                "resource",
                                &name.value,
                                names.iter().copied(),
                                true,
                            );
                        }
                    }
                }
            }
            if let Some(p) = v.lookup(products, "product", &item.product) {
                out.make_index[[s, p]] = Some(out.makes.len());
                out.makes.push(Make {
                    site: s,
                    product: p,
                    rate: item.rate,
                    cost: item.cost,
                });
                out.make_uses.push(uses);
            }
        }
        for (id, amount) in &raw.inventory.initial {
            if let Some(p) = v.lookup(products, "product", id) {
                let what = || format!("initial inventory of {} at {site}", id.value);
                scale.bound(*amount, what, &id.loc);
                out.initial_inventory[[s, p]] = *amount;
            }
        }
        for (id, amount) in &raw.inventory.holding_cost {
            if let Some(p) = v.lookup(products, "product", id) {
                let what = || format!("holding cost of {} at {site}", id.value);
                scale.cost(*amount, what, &id.loc);
                out.holding_cost[[s, p]] = *amount;
            }
        }
        for (id, amount) in &raw.inventory.final_stock {
            if let Some(p) = v.lookup(products, "product", id) {
                let what = || format!("final stock of {} at {site}", id.value);
                scale.bound(*amount, what, &id.loc);
                out.final_stock[[s, p]] = *amount;
            }
        }
        for (id, cap) in &raw.inventory.product_capacity {
            let p = v.lookup(products, "product", id);
            let values = v.per_period(cap, "product storage capacity");
            if let (Some(p), Some(values)) = (p, values) {
                for &x in &values {
                    scale.bound(
                        x,
                        || format!("storage capacity for {} at {site}", id.value),
                        &cap.loc,
                    );
                }
                if let Some(last) = values.last() {
                    if out.final_stock[[s, p]] > *last {
                        v.diags.error(
                            id.loc.clone(),
                            format!(
                                "site `{site}` must hold at least {} of `{}` at the end, but may store only {}",
                                out.final_stock[[s, p]], id.value, last
                            ),
                        );
                    }
                }
                out.storage_limits.push(StorageLimit {
                    site: s,
                    product: p,
                    capacity: values,
                });
            }
        }
    }
    out
}

/// An optional number-or-list per period, checked for scale.
fn per_period_bound(
    v: &mut Validator,
    value: Option<&Spanned<PerPeriod>>,
    what: &str,
    site: &str,
    scale: &mut Scale,
) -> Option<Vec<f64>> {
    let value = value?;
    let values = v.per_period(value, what)?;
    for &x in &values {
        scale.bound(x, || format!("{what} of {site}"), &value.loc);
    }
    Some(values)
}
