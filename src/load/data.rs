//! Data files: periods, products, sites, markets, lanes, demand (facts, no policy).

use serde_yaml::{Mapping, Value};

use super::decisions::{
    read_contracts, read_min_run, read_site_decisions, RawContract, RawSiteDecisions,
};
use super::limits::MAX_PERIODS;
use super::reader::{misspelt, PerPeriod, Range, Reader};
use super::spans::{child_index, child_key};
use crate::diag::{Loc, Spanned};
use crate::fmt::group;

pub const DATA_KEYS: &[&str] = &[
    "periods",
    "products",
    "sites",
    "markets",
    "lanes",
    "demand",
    "contracts",
];

/// Everything one data file defines.
#[derive(Debug, Default, Clone)]
pub struct RawData {
    pub periods: Option<Spanned<Vec<Spanned<String>>>>,
    pub products: Vec<RawProduct>,
    pub sites: Vec<RawSite>,
    pub markets: Vec<RawMarket>,
    pub lanes: Vec<RawLane>,
    pub demand: Vec<RawDemand>,
    /// Take-or-pay agreements (also allowed in the model file).
    pub contracts: Vec<RawContract>,
    /// A whole section (or the file) had the wrong shape, so ids it should define are
    /// missing; cross-file checks would only report follow-on errors.
    pub broken: bool,
}

#[derive(Debug, Clone)]
pub struct RawProduct {
    pub id: Spanned<String>,
    pub unit_value: f64,
    pub critical: bool,
    pub unmet_penalty: Option<Spanned<PerPeriod>>,
    /// Units of each component consumed per unit made.
    pub bom: Vec<(Spanned<String>, f64)>,
}

#[derive(Debug, Clone)]
pub struct RawSite {
    pub id: Spanned<String>,
    pub country: Spanned<String>,
    /// `kind: hub`: makes nothing, stores and forwards.
    pub hub: bool,
    /// The default resource; `None` for hubs and for sites with only named resources.
    pub capacity: Option<Spanned<PerPeriod>>,
    /// `capacity` is required but not written: a site capacity table may still give it
    /// (see `load::tables`); when none does, it is reported as missing here.
    pub capacity_missing: Option<Loc>,
    /// Named resources and their capacity, in the order written.
    pub resources: Vec<(Spanned<String>, Spanned<PerPeriod>)>,
    /// Units that may arrive per period, all products.
    pub throughput: Option<Spanned<PerPeriod>>,
    pub overtime: Option<RawOvertime>,
    pub last_load: Option<f64>,
    pub products: Vec<RawSiteProduct>,
    pub inventory: RawInventory,
    /// `fixed_cost`, `open`, `expansions`.
    pub decisions: RawSiteDecisions,
}

#[derive(Debug, Clone)]
pub struct RawOvertime {
    pub capacity: Spanned<PerPeriod>,
    pub cost: f64,
}

#[derive(Debug, Clone)]
pub struct RawSiteProduct {
    pub product: Spanned<String>,
    pub rate: f64,
    pub cost: f64,
    /// Named resources loaded per unit made.
    pub uses: Vec<(Spanned<String>, f64)>,
    /// 0 or at least this many units each period.
    pub min_run: Option<Spanned<f64>>,
}

#[derive(Debug, Clone, Default)]
pub struct RawInventory {
    pub initial: Vec<(Spanned<String>, f64)>,
    pub holding_cost: Vec<(Spanned<String>, f64)>,
    pub capacity: Option<Spanned<PerPeriod>>,
    /// Cap per product on end-of-period stock.
    pub product_capacity: Vec<(Spanned<String>, Spanned<PerPeriod>)>,
    /// Stock held at the end of the last period, at least.
    pub final_stock: Vec<(Spanned<String>, f64)>,
}

#[derive(Debug, Clone)]
pub struct RawMarket {
    pub id: Spanned<String>,
    pub country: Spanned<String>,
}

#[derive(Debug, Clone)]
pub enum RawLaneCost {
    /// Same cost for every product.
    Uniform(f64),
    /// Cost per product; products not listed cannot use the lane.
    PerProduct(Vec<(Spanned<String>, f64)>),
}

#[derive(Debug, Clone)]
pub struct RawLane {
    pub loc: Loc,
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub cost: RawLaneCost,
    pub lead_time: Spanned<usize>,
    pub tariff: f64,
    pub duty: f64,
    pub emissions: f64,
    /// Units leaving per period, all products.
    pub capacity: Option<Spanned<PerPeriod>>,
    pub mode: Option<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct RawDemand {
    pub loc: Loc,
    pub market: Spanned<String>,
    pub product: Spanned<String>,
    pub quantity: Spanned<PerPeriod>,
    pub unmet_penalty: Option<Spanned<PerPeriod>>,
}

pub fn read_data(r: &mut Reader, root: &Value) -> RawData {
    let mut data = RawData::default();
    if root.is_null() {
        r.warning("", "the data file is empty");
        return data;
    }
    let Some(map) = r.map(root, "", DATA_KEYS) else {
        data.broken = true;
        return data;
    };
    if let Some(v) = map.get("periods") {
        let loc = r.loc("periods");
        data.periods = Some(Spanned::new(r.text_list(v, "periods"), loc));
    }
    let mut broken = false;
    data.products = items(r, map, "products", read_product, &mut broken);
    data.sites = items(r, map, "sites", read_site, &mut broken);
    data.markets = items(r, map, "markets", read_market, &mut broken);
    data.lanes = items(r, map, "lanes", read_lane, &mut broken);
    data.demand = items(r, map, "demand", read_demand, &mut broken);
    if let Some(v) = map.get("contracts") {
        let (contracts, bad) = read_contracts(r, v);
        data.contracts = contracts;
        broken |= bad;
    }
    data.broken = broken;
    data
}

/// Reads every item of a list section, skipping items with errors.
fn items<T>(
    r: &mut Reader,
    map: &Mapping,
    key: &str,
    read: fn(&mut Reader, &Value, &str) -> Option<T>,
    broken: &mut bool,
) -> Vec<T> {
    let Some(v) = map.get(key) else {
        return Vec::new();
    };
    let Some(list) = r.seq(v, key) else {
        *broken = true;
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .filter_map(|(i, item)| read(r, item, &child_index(key, i)))
        .collect()
}

/// A required text field.
fn req_text(r: &mut Reader, map: &Mapping, path: &str, key: &str) -> Option<Spanned<String>> {
    let v = r.required(map, path, key)?;
    r.text(v, &child_key(path, key))
}

fn opt_per_period(
    r: &mut Reader,
    map: &Mapping,
    path: &str,
    key: &str,
) -> Option<Spanned<PerPeriod>> {
    map.get(key)
        .and_then(|v| r.per_period(v, &child_key(path, key), Range::NonNegative))
}

/// Stands in for a per-period value whose problem was already reported, so the rest of
/// the entry (its ids above all) is still checked.
fn placeholder(r: &Reader, path: &str) -> Spanned<PerPeriod> {
    Spanned::new(PerPeriod::Scalar(0.0), r.loc(path))
}

fn read_product(r: &mut Reader, v: &Value, path: &str) -> Option<RawProduct> {
    let map = r.map(
        v,
        path,
        &["id", "unit_value", "critical", "unmet_penalty", "bom"],
    )?;
    let id = req_text(r, map, path, "id");
    let unit_value = r
        .opt_number(map, path, "unit_value", Range::NonNegative)
        .unwrap_or(0.0);
    let critical = map
        .get("critical")
        .and_then(|c| r.bool(c, &child_key(path, "critical")))
        .unwrap_or(false);
    let unmet_penalty = opt_per_period(r, map, path, "unmet_penalty");
    let bom = product_numbers(r, map, path, "bom");
    Some(RawProduct {
        id: id?,
        unit_value,
        critical,
        unmet_penalty,
        bom,
    })
}

fn read_site(r: &mut Reader, v: &Value, path: &str) -> Option<RawSite> {
    let map = r.map(
        v,
        path,
        &[
            "id",
            "country",
            "kind",
            "capacity",
            "resources",
            "throughput",
            "overtime",
            "last_load",
            "products",
            "inventory",
            "fixed_cost",
            "open",
            "expansions",
        ],
    )?;
    let id = req_text(r, map, path, "id");
    let country = req_text(r, map, path, "country");
    // An unknown kind is reported; the site is then not held to either kind's keys.
    let (hub, kind_known) = match map.get("kind") {
        None => (false, true),
        Some(k) => match r.text(k, &child_key(path, "kind")) {
            Some(kind) if kind.value == "hub" => (true, true),
            Some(kind) if kind.value == "site" => (false, true),
            Some(kind) => {
                let kind_path = child_key(path, "kind");
                r.unknown_word(&kind_path, "site kind", &kind.value, &["site", "hub"]);
                (false, false)
            }
            None => (false, false),
        },
    };
    let mut resources = Vec::new();
    if let Some(res) = map.get("resources") {
        let res_path = child_key(path, "resources");
        for (name, x, p) in r.entries(res, &res_path) {
            if let Some(cap) = r.per_period(x, &p, Range::NonNegative) {
                resources.push((name, cap));
            }
        }
    }
    let mut capacity_missing = None;
    let capacity = match map.get("capacity") {
        Some(c) => Some(
            r.per_period(c, &child_key(path, "capacity"), Range::NonNegative)
                // A bad capacity is reported; a placeholder keeps the rest checked.
                .unwrap_or_else(|| placeholder(r, path)),
        ),
        None if hub || !kind_known || map.contains_key("resources") => None,
        // A misspelt key is reported as unknown; a placeholder keeps the rest checked.
        None if misspelt(map, "capacity") => Some(placeholder(r, path)),
        None => {
            // Reported as missing once every site capacity table is read, unless one
            // gives it.
            capacity_missing = Some(r.loc(path));
            None
        }
    };
    let throughput = opt_per_period(r, map, path, "throughput");
    let overtime = map
        .get("overtime")
        .and_then(|o| read_overtime(r, o, &child_key(path, "overtime")));
    let last_load = r.opt_number(map, path, "last_load", Range::NonNegative);
    let mut products = Vec::new();
    if let Some(p) = map.get("products") {
        let products_path = child_key(path, "products");
        for (product, item, item_path) in r.entries(p, &products_path) {
            let Some(m) = r.map(item, &item_path, &["rate", "cost", "uses", "min_run"]) else {
                continue;
            };
            // `rate` may be left out when the product loads only named resources.
            let rate = match m.get("rate") {
                Some(x) => r
                    .number(x, &child_key(&item_path, "rate"), Range::NonNegative)
                    .unwrap_or(0.0),
                None if m.contains_key("uses") => 0.0,
                None => {
                    let _ = r.required(m, &item_path, "rate");
                    0.0
                }
            };
            let cost = r
                .opt_number(m, &item_path, "cost", Range::NonNegative)
                .unwrap_or(0.0);
            let uses = product_numbers(r, m, &item_path, "uses");
            let min_run = read_min_run(r, m, &item_path);
            products.push(RawSiteProduct {
                product,
                rate,
                cost,
                uses,
                min_run,
            });
        }
    } else if id.is_some() && !hub && kind_known {
        r.warning(path, "the site makes no products (no `products` key)");
    }
    if hub {
        for key in ["products", "capacity", "resources", "overtime", "last_load"] {
            if map.contains_key(key) {
                r.error_help(
                    &child_key(path, key),
                    format!("a hub makes nothing, so it has no `{key}`"),
                    "remove the key, or drop `kind: hub` to make this a site",
                );
            }
        }
    }
    let inventory = map
        .get("inventory")
        .map(|i| read_inventory(r, i, &child_key(path, "inventory")))
        .unwrap_or_default();
    let decisions = read_site_decisions(r, map, path);
    if hub && !decisions.expansions.is_empty() {
        r.error_help(
            &child_key(path, "expansions"),
            "a hub has no capacity to expand",
            "remove the key, or drop `kind: hub` to make this a site",
        );
    }
    Some(RawSite {
        id: id?,
        country: country?,
        hub,
        capacity,
        capacity_missing,
        resources,
        throughput,
        overtime,
        last_load,
        products,
        inventory,
        decisions,
    })
}

fn read_overtime(r: &mut Reader, v: &Value, path: &str) -> Option<RawOvertime> {
    let map = r.map(v, path, &["capacity", "cost"])?;
    // A missing or bad capacity is reported; a placeholder keeps the rest of the site checked.
    let capacity = r
        .required(map, path, "capacity")
        .and_then(|c| r.per_period(c, &child_key(path, "capacity"), Range::NonNegative))
        .unwrap_or_else(|| placeholder(r, path));
    let cost = r
        .opt_number(map, path, "cost", Range::NonNegative)
        .unwrap_or(0.0);
    Some(RawOvertime { capacity, cost })
}

fn read_inventory(r: &mut Reader, v: &Value, path: &str) -> RawInventory {
    let mut inventory = RawInventory::default();
    let Some(map) = r.map(
        v,
        path,
        &[
            "initial",
            "holding_cost",
            "capacity",
            "product_capacity",
            "final",
        ],
    ) else {
        return inventory;
    };
    inventory.initial = product_numbers(r, map, path, "initial");
    inventory.holding_cost = product_numbers(r, map, path, "holding_cost");
    inventory.capacity = opt_per_period(r, map, path, "capacity");
    if let Some(caps) = map.get("product_capacity") {
        let caps_path = child_key(path, "product_capacity");
        for (product, x, p) in r.entries(caps, &caps_path) {
            if let Some(cap) = r.per_period(x, &p, Range::NonNegative) {
                inventory.product_capacity.push((product, cap));
            }
        }
    }
    inventory.final_stock = product_numbers(r, map, path, "final");
    inventory
}

/// `{product-id: number, ...}`.
fn product_numbers(
    r: &mut Reader,
    map: &Mapping,
    path: &str,
    key: &str,
) -> Vec<(Spanned<String>, f64)> {
    let Some(v) = map.get(key) else {
        return Vec::new();
    };
    let key_path = child_key(path, key);
    r.entries(v, &key_path)
        .into_iter()
        .filter_map(|(id, x, p)| r.number(x, &p, Range::NonNegative).map(|x| (id, x)))
        .collect()
}

fn read_market(r: &mut Reader, v: &Value, path: &str) -> Option<RawMarket> {
    let map = r.map(v, path, &["id", "country"])?;
    let id = req_text(r, map, path, "id");
    let country = req_text(r, map, path, "country");
    Some(RawMarket {
        id: id?,
        country: country?,
    })
}

fn read_lane(r: &mut Reader, v: &Value, path: &str) -> Option<RawLane> {
    let map = r.map(
        v,
        path,
        &[
            "from",
            "to",
            "cost",
            "lead_time",
            "tariff",
            "duty",
            "emissions",
            "capacity",
            "mode",
        ],
    )?;
    let from = req_text(r, map, path, "from");
    let to = req_text(r, map, path, "to");
    let cost_path = child_key(path, "cost");
    let cost = match map.get("cost") {
        None => Some(RawLaneCost::Uniform(0.0)),
        Some(Value::Mapping(_)) => {
            let entries = r.entries(&map["cost"], &cost_path);
            let mut costs = Vec::with_capacity(entries.len());
            let mut ok = true;
            for (product, x, p) in entries {
                match r.number(x, &p, Range::NonNegative) {
                    Some(x) => costs.push((product, x)),
                    None => ok = false,
                }
            }
            ok.then_some(RawLaneCost::PerProduct(costs))
        }
        Some(x) => r
            .number(x, &cost_path, Range::NonNegative)
            .map(RawLaneCost::Uniform),
    }
    // On a (reported) problem, a placeholder keeps the lane's ids checked.
    .unwrap_or(RawLaneCost::Uniform(0.0));
    let lead_path = child_key(path, "lead_time");
    let lead_time = match map.get("lead_time") {
        None => Spanned::new(0, r.loc(path)),
        Some(x) => {
            let mut n = r.count(x, &lead_path).unwrap_or(0);
            // Periods are counted in `usize`: a lead time past any horizon allowed could
            // overflow `departure + lead_time`.
            if n > MAX_PERIODS {
                r.error(
                    &lead_path,
                    format!(
                        "lead time {n} is longer than the longest horizon allowed ({} periods)",
                        group(MAX_PERIODS as u64)
                    ),
                );
                n = 0;
            }
            Spanned::new(n, r.loc(&lead_path))
        }
    };
    let tariff = r
        .opt_number(map, path, "tariff", Range::NonNegative)
        .unwrap_or(0.0);
    let duty = r
        .opt_number(map, path, "duty", Range::NonNegative)
        .unwrap_or(0.0);
    let emissions = r
        .opt_number(map, path, "emissions", Range::NonNegative)
        .unwrap_or(0.0);
    let capacity = opt_per_period(r, map, path, "capacity");
    let mode = map
        .get("mode")
        .and_then(|m| r.text(m, &child_key(path, "mode")));
    Some(RawLane {
        loc: r.loc(path),
        from: from?,
        to: to?,
        cost,
        lead_time,
        tariff,
        duty,
        emissions,
        capacity,
        mode,
    })
}

fn read_demand(r: &mut Reader, v: &Value, path: &str) -> Option<RawDemand> {
    let map = r.map(v, path, &["market", "product", "quantity", "unmet_penalty"])?;
    let market = req_text(r, map, path, "market");
    let product = req_text(r, map, path, "product");
    let quantity = r
        .required(map, path, "quantity")
        .and_then(|q| r.per_period(q, &child_key(path, "quantity"), Range::NonNegative))
        .unwrap_or_else(|| placeholder(r, path));
    let unmet_penalty = opt_per_period(r, map, path, "unmet_penalty");
    Some(RawDemand {
        loc: r.loc(path),
        market: market?,
        product: product?,
        quantity,
        unmet_penalty,
    })
}
