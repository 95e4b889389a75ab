//! Decisions over the horizon as written: a site's `fixed_cost`, `open` and `expansions`,
//! a product's `min_run` (read with the site's products) and `contracts` (in a data or
//! the model file).

use serde_yaml::{Mapping, Value};

use super::reader::{Range, Reader};
use super::spans::{child_index, child_key};
use crate::diag::Spanned;
use crate::network::Per;

#[derive(Debug, Clone, Default)]
pub struct RawSiteDecisions {
    /// $ per period while open (a constant without `open`).
    pub fixed_cost: Option<Spanned<f64>>,
    pub open: Option<RawOpen>,
    pub expansions: Vec<RawExpansion>,
}

#[derive(Debug, Clone)]
pub struct RawOpen {
    pub initially: bool,
    pub opening_cost: f64,
    pub closing_cost: f64,
}

#[derive(Debug, Clone)]
pub struct RawExpansion {
    pub name: Spanned<String>,
    /// `default` or a named resource of the site.
    pub resource: Spanned<String>,
    pub capacity: f64,
    pub cost: f64,
    /// The first period it may be built in.
    pub from: Option<Spanned<String>>,
    pub integer: bool,
}

#[derive(Debug, Clone)]
pub struct RawContract {
    pub name: Spanned<String>,
    pub site: Spanned<String>,
    /// `None`: every product.
    pub products: Option<Vec<Spanned<String>>>,
    pub min: f64,
    pub max: Option<f64>,
    pub per: Per,
    /// $ per unit short of `min`; `None`: `min` is hard.
    pub shortfall_cost: Option<f64>,
}

pub fn read_site_decisions(r: &mut Reader, map: &Mapping, path: &str) -> RawSiteDecisions {
    let fixed_cost = map.get("fixed_cost").and_then(|v| {
        let key = child_key(path, "fixed_cost");
        let x = r.number(v, &key, Range::NonNegative)?;
        Some(Spanned::new(x, r.loc(&key)))
    });
    let open = map
        .get("open")
        .and_then(|v| read_open(r, v, &child_key(path, "open")));
    let mut expansions = Vec::new();
    if let Some(v) = map.get("expansions") {
        let list_path = child_key(path, "expansions");
        if let Some(list) = r.seq(v, &list_path) {
            for (i, item) in list.iter().enumerate() {
                if let Some(e) = read_expansion(r, item, &child_index(&list_path, i)) {
                    expansions.push(e);
                }
            }
        }
    }
    RawSiteDecisions {
        fixed_cost,
        open,
        expansions,
    }
}

fn read_open(r: &mut Reader, v: &Value, path: &str) -> Option<RawOpen> {
    // `open: true` is short for "may open and close, open at the start, at no cost".
    if let Value::Bool(initially) = v {
        return Some(RawOpen {
            initially: *initially,
            opening_cost: 0.0,
            closing_cost: 0.0,
        });
    }
    if !matches!(v, Value::Mapping(_)) {
        r.type_error(
            path,
            "true, false or a mapping (`initially`, `opening_cost`, `closing_cost`)",
            v,
        );
        return None;
    }
    let map = r.map(v, path, &["initially", "opening_cost", "closing_cost"])?;
    let initially = map
        .get("initially")
        .and_then(|b| r.bool(b, &child_key(path, "initially")))
        .unwrap_or(true);
    Some(RawOpen {
        initially,
        opening_cost: r
            .opt_number(map, path, "opening_cost", Range::NonNegative)
            .unwrap_or(0.0),
        closing_cost: r
            .opt_number(map, path, "closing_cost", Range::NonNegative)
            .unwrap_or(0.0),
    })
}

fn read_expansion(r: &mut Reader, v: &Value, path: &str) -> Option<RawExpansion> {
    let map = r.map(
        v,
        path,
        &["name", "resource", "capacity", "cost", "from", "integer"],
    )?;
    let name = r
        .required(map, path, "name")
        .and_then(|n| r.text(n, &child_key(path, "name")));
    let resource = match map.get("resource") {
        Some(x) => r.text(x, &child_key(path, "resource"))?,
        None => Spanned::new("default".to_string(), r.loc(path)),
    };
    let capacity = r
        .required(map, path, "capacity")
        .and_then(|c| r.number(c, &child_key(path, "capacity"), Range::NonNegative));
    let cost = r
        .opt_number(map, path, "cost", Range::NonNegative)
        .unwrap_or(0.0);
    let from = map
        .get("from")
        .and_then(|f| r.text(f, &child_key(path, "from")));
    let integer = map
        .get("integer")
        .and_then(|b| r.bool(b, &child_key(path, "integer")))
        .unwrap_or(true);
    Some(RawExpansion {
        name: name?,
        resource,
        capacity: capacity?,
        cost,
        from,
        integer,
    })
}

/// A product's `min_run` at a site: 0 or at least this many units each period.
pub fn read_min_run(r: &mut Reader, map: &Mapping, path: &str) -> Option<Spanned<f64>> {
    let key = child_key(path, "min_run");
    let x = r.number(map.get("min_run")?, &key, Range::Positive)?;
    Some(Spanned::new(x, r.loc(&key)))
}

/// The `contracts:` list of a data or model file.
pub fn read_contracts(r: &mut Reader, v: &Value) -> (Vec<RawContract>, bool) {
    let Some(list) = r.seq(v, "contracts") else {
        return (Vec::new(), true);
    };
    let contracts = list
        .iter()
        .enumerate()
        .filter_map(|(i, item)| read_contract(r, item, &child_index("contracts", i)))
        .collect();
    (contracts, false)
}

fn read_contract(r: &mut Reader, v: &Value, path: &str) -> Option<RawContract> {
    let map = r.map(
        v,
        path,
        &[
            "name",
            "site",
            "products",
            "min",
            "max",
            "per",
            "shortfall_cost",
        ],
    )?;
    let name = r
        .required(map, path, "name")
        .and_then(|n| r.text(n, &child_key(path, "name")));
    let site = r
        .required(map, path, "site")
        .and_then(|s| r.text(s, &child_key(path, "site")));
    let products = map.get("products").map(|p| {
        let key = child_key(path, "products");
        match p {
            Value::Sequence(_) => r.text_list(p, &key),
            other => r.text(other, &key).into_iter().collect(),
        }
    });
    let min = r
        .opt_number(map, path, "min", Range::NonNegative)
        .unwrap_or(0.0);
    let max = r.opt_number(map, path, "max", Range::NonNegative);
    if !map.contains_key("min") && !map.contains_key("max") {
        r.error(path, "a contract needs `min`, `max` or both");
    }
    if let Some(max) = max {
        if min > max {
            r.error(
                &child_key(path, "min"),
                format!("`min` ({min}) is greater than `max` ({max})"),
            );
        }
    }
    let per_path = child_key(path, "per");
    let per = match map.get("per").map(|v| (v.as_str(), v)) {
        None => Per::Horizon,
        Some((Some("period"), _)) => Per::Period,
        Some((Some("horizon"), _)) => Per::Horizon,
        Some((_, v)) => {
            let shown = super::text::scalar_text(v).unwrap_or_else(|| "a non-text value".into());
            r.error(
                &per_path,
                format!("must be `period` or `horizon`, found `{shown}`"),
            );
            Per::Horizon
        }
    };
    let shortfall_cost = r.opt_number(map, path, "shortfall_cost", Range::NonNegative);
    Some(RawContract {
        name: name?,
        site: site?,
        products,
        min,
        max,
        per,
        shortfall_cost,
    })
}
