//! Stock with nowhere to go: a site that a policy forces to produce, but that stores
//! whatever it cannot ship for free and without limit, piles up stock no cost shows.

use ndarray::Array2;

use crate::diag::Diagnostics;
use crate::fmt::{pct, qty};
use crate::load::data::RawSite;
use crate::policy::{Policy, PolicyRule};

/// Warns, once per site, when a `site_volume` or `load_band` minimum forces a site to
/// produce and the site has neither a holding cost nor a storage capacity (no
/// `inventory` block). One-period models have no stock to pile up.
pub(super) fn forced_without_storage(
    sites: &[&RawSite],
    policies: &[Policy],
    make_index: &Array2<Option<usize>>,
    capacity: &Array2<f64>,
    n_periods: usize,
    diags: &mut Diagnostics,
) {
    if n_periods <= 1 {
        return;
    }
    for (s, raw) in sites.iter().enumerate() {
        let inventory = &raw.inventory;
        if !inventory.holding_cost.is_empty() || inventory.capacity.is_some() {
            continue;
        }
        let makes = |p: usize| make_index.get([s, p]).is_some_and(Option::is_some);
        let n_products = make_index.ncols();
        let Some(reason) = policies.iter().find_map(|policy| match &policy.rule {
            PolicyRule::SiteVolume(v) => {
                let forced = v.site == s
                    && v.min.is_some_and(|m| m > 0.0)
                    && (0..n_products).any(|p| makes(p) && v.products.get(p) == Some(&true));
                forced.then(|| {
                    format!(
                        "site_volume `{}`: at least {} units every period",
                        policy.name,
                        qty(v.min.unwrap_or(0.0))
                    )
                })
            }
            PolicyRule::LoadBand(b) => {
                let forced = b.min > 0.0
                    && b.sites.get(s) == Some(&true)
                    && (0..n_products).any(makes)
                    && capacity.row(s).iter().any(|&c| c > 0.0);
                forced.then(|| {
                    format!(
                        "load_band `{}`: at least {} of its capacity every period",
                        policy.name,
                        pct(b.min)
                    )
                })
            }
            _ => None,
        }) else {
            continue;
        };
        let missing = if inventory.initial.is_empty() {
            "has no `inventory` block"
        } else {
            "its `inventory` block sets no `holding_cost` or `capacity`"
        };
        diags.warning_help(
            raw.id.loc.clone(),
            format!(
                "site `{}` must produce ({reason}) but {missing}: whatever it cannot ship piles up as free, unlimited stock",
                raw.id.value
            ),
            format!(
                "add `inventory: {{holding_cost: {{{}}}, capacity: …}}` to the site, so that stock has a cost and a limit",
                holding_costs(raw)
            ),
        );
    }
}

/// `drive-unit: …, power-electronics: …`: the products the site makes, three at most.
fn holding_costs(site: &RawSite) -> String {
    let mut items: Vec<String> = site
        .products
        .iter()
        .take(3)
        .map(|p| format!("{}: …", p.product.value))
        .collect();
    if site.products.len() > 3 {
        items.push("…".to_string());
    }
    items.join(", ")
}
