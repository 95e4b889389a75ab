//! Resolves policy entries: ids to indices, selectors to masks, names made unique.

use std::collections::HashMap;

use super::{lookup_id, IdMap};
use crate::diag::{Diagnostics, Loc, Spanned};
use crate::load::model::{RawPolicy, RawPolicyKind, RawSelector};
use crate::network::{Product, Site};
use crate::scenario::{Policy, PolicyRule};

pub(super) struct Ids<'a> {
    pub products: &'a IdMap,
    pub sites: &'a IdMap,
    pub markets: &'a IdMap,
    pub product_list: &'a [Product],
    pub site_list: &'a [Site],
    pub blocs: &'a [(Spanned<String>, Vec<Spanned<String>>)],
}

pub(super) fn resolve(raw: &[RawPolicy], ids: &Ids, diags: &mut Diagnostics) -> Vec<Policy> {
    let mut names: HashMap<String, Loc> = HashMap::new();
    let mut out = Vec::with_capacity(raw.len());
    for policy in raw {
        let name = match &policy.name {
            Some(n) => {
                if let Some(first) = names.get(&n.value) {
                    diags.error(
                        n.loc.clone(),
                        format!("policy name `{}` is used twice (first at {first})", n.value),
                    );
                }
                names.insert(n.value.clone(), n.loc.clone());
                n.value.clone()
            }
            None => format!("{}#{}", policy.kind.kind_name(), policy.index),
        };
        let mut r = Resolver { ids, diags };
        let rule = match &policy.kind {
            RawPolicyKind::MinBlocShare {
                bloc,
                min_share,
                products,
                markets,
                per,
            } => {
                let bloc_index = ids.blocs.iter().position(|(b, _)| b.value == bloc.value);
                if bloc_index.is_none() {
                    let known = IdMap {
                        ids: ids
                            .blocs
                            .iter()
                            .enumerate()
                            .map(|(i, (b, _))| (b.value.clone(), (i, b.loc.clone())))
                            .collect(),
                        complete: true,
                    };
                    lookup_id(r.diags, &known, "bloc", bloc);
                }
                let products = r.products(products);
                let markets = r.markets(markets);
                bloc_index.map(|bloc| PolicyRule::MinBlocShare {
                    bloc,
                    min_share: *min_share,
                    products,
                    markets,
                    per: *per,
                })
            }
            RawPolicyKind::MaxCountryShare {
                max_share,
                products,
                markets,
                per,
            } => Some(PolicyRule::MaxCountryShare {
                max_share: *max_share,
                products: r.products(products),
                markets: r.markets(markets),
                per: *per,
            }),
            RawPolicyKind::ExcludeOrigin {
                countries,
                products,
                markets,
            } => {
                if countries.is_empty() {
                    r.diags
                        .warning(policy.loc.clone(), "exclude_origin names no country");
                }
                let codes: Vec<String> = countries.iter().map(|c| c.value.clone()).collect();
                let sites = ids
                    .site_list
                    .iter()
                    .map(|s| codes.contains(&s.country))
                    .collect();
                Some(PolicyRule::ExcludeOrigin {
                    sites,
                    countries: codes,
                    products: r.products(products),
                    markets: r.markets(markets),
                })
            }
            RawPolicyKind::RampLimit { max_change, sites } => Some(PolicyRule::RampLimit {
                max_change: *max_change,
                sites: r.sites(sites),
            }),
            RawPolicyKind::LoadBand { min, max, sites } => Some(PolicyRule::LoadBand {
                min: *min,
                max: *max,
                sites: r.sites(sites),
            }),
            RawPolicyKind::SiteVolume {
                site,
                min,
                max,
                products,
            } => {
                let site = lookup_id(r.diags, ids.sites, "site", site);
                let products = r.products(products);
                site.map(|site| PolicyRule::SiteVolume {
                    site,
                    min: *min,
                    max: *max,
                    products,
                })
            }
            RawPolicyKind::EmissionsCap {
                max,
                per,
                products,
                markets,
                sites,
            } => Some(PolicyRule::EmissionsCap {
                max: *max,
                per: *per,
                products: r.products(products),
                markets: r.markets(markets),
                sites: r.sites(sites),
            }),
            RawPolicyKind::MinFillRate {
                min,
                per,
                products,
                markets,
            } => Some(PolicyRule::MinFillRate {
                min: *min,
                per: *per,
                products: r.products(products),
                markets: r.markets(markets),
            }),
        };
        if let Some(rule) = rule {
            out.push(Policy {
                name,
                index: policy.index,
                soft_penalty: policy.soft_penalty,
                rule,
            });
        }
    }
    out
}

struct Resolver<'a, 'd> {
    ids: &'a Ids<'a>,
    diags: &'d mut Diagnostics,
}

impl Resolver<'_, '_> {
    fn products(&mut self, selector: &Spanned<RawSelector>) -> Vec<bool> {
        let critical: Vec<bool> = self.ids.product_list.iter().map(|p| p.critical).collect();
        self.mask(selector, self.ids.products, "product", Some(&critical))
    }

    fn markets(&mut self, selector: &Spanned<RawSelector>) -> Vec<bool> {
        self.mask(selector, self.ids.markets, "market", None)
    }

    fn sites(&mut self, selector: &Spanned<RawSelector>) -> Vec<bool> {
        self.mask(selector, self.ids.sites, "site", None)
    }

    fn mask(
        &mut self,
        selector: &Spanned<RawSelector>,
        map: &IdMap,
        what: &str,
        critical: Option<&[bool]>,
    ) -> Vec<bool> {
        let n = map.ids.values().map(|(i, _)| i + 1).max().unwrap_or(0);
        match &selector.value {
            RawSelector::All => vec![true; n],
            RawSelector::Critical => match critical {
                Some(c) => {
                    if !c.iter().any(|&x| x) && map.complete {
                        self.diags.warning(
                            selector.loc.clone(),
                            "selects `critical` products but no product is marked critical",
                        );
                    }
                    c.to_vec()
                }
                None => vec![true; n],
            },
            RawSelector::Ids(list) => {
                let mut mask = vec![false; n];
                for id in list {
                    if let Some(i) = lookup_id(self.diags, map, what, id) {
                        mask[i] = true;
                    }
                }
                if list.is_empty() {
                    self.diags.warning(
                        selector.loc.clone(),
                        format!("selects no {what}: the policy does nothing"),
                    );
                }
                mask
            }
        }
    }
}
