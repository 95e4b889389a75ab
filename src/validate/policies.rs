//! Resolves policy entries: ids to indices, selectors to masks, names made unique. Each
//! kind resolves its own keys (`crate::policy`) through [`Resolver`].

use std::collections::HashMap;

use super::{lookup_id, IdMap};
use crate::diag::{Diagnostics, Loc, Spanned};
use crate::load::model::RawPolicy;
use crate::network::{Product, Site};
use crate::policy::{Policy, Resolve, Selector};

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
            None => format!("{}#{}", policy.rule.kind(), policy.index),
        };
        let mut r = Resolver {
            ids,
            diags,
            entry: &policy.loc,
        };
        if let Some(rule) = policy.rule.resolve(&mut r) {
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

/// Resolves one entry's ids and selectors, reporting unknown ones.
struct Resolver<'a, 'd> {
    ids: &'a Ids<'a>,
    diags: &'d mut Diagnostics,
    /// Where the entry is.
    entry: &'a Loc,
}

impl Resolve for Resolver<'_, '_> {
    fn products(&mut self, selector: &Spanned<Selector>) -> Vec<bool> {
        let critical: Vec<bool> = self.ids.product_list.iter().map(|p| p.critical).collect();
        self.mask(selector, self.ids.products, "product", Some(&critical))
    }

    fn markets(&mut self, selector: &Spanned<Selector>) -> Vec<bool> {
        self.mask(selector, self.ids.markets, "market", None)
    }

    fn sites(&mut self, selector: &Spanned<Selector>) -> Vec<bool> {
        self.mask(selector, self.ids.sites, "site", None)
    }

    fn site(&mut self, id: &Spanned<String>) -> Option<usize> {
        lookup_id(self.diags, self.ids.sites, "site", id)
    }

    fn bloc(&mut self, name: &Spanned<String>) -> Option<usize> {
        let blocs = self.ids.blocs;
        let index = blocs.iter().position(|(b, _)| b.value == name.value);
        if index.is_none() {
            let known = IdMap {
                ids: blocs
                    .iter()
                    .enumerate()
                    .map(|(i, (b, _))| (b.value.clone(), (i, b.loc.clone())))
                    .collect(),
                complete: true,
            };
            lookup_id(self.diags, &known, "bloc", name);
        }
        index
    }

    fn site_list(&self) -> &[Site] {
        self.ids.site_list
    }

    fn warning(&mut self, message: &str) {
        self.diags.warning(self.entry.clone(), message);
    }
}

impl Resolver<'_, '_> {
    fn mask(
        &mut self,
        selector: &Spanned<Selector>,
        map: &IdMap,
        what: &str,
        critical: Option<&[bool]>,
    ) -> Vec<bool> {
        let n = map.ids.values().map(|(i, _)| i + 1).max().unwrap_or(0);
        match &selector.value {
            Selector::All => vec![true; n],
            Selector::Critical => match critical {
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
            Selector::Ids(list) => {
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
