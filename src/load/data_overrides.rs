//! `--set` into data files, by id: `sites[hagerstown].capacity=12000`,
//! `products[battery-module].unit_value=1300`, `lanes[ningbo-cells>saltillo].tariff=0.5`
//! (every mode) or `lanes[ningbo-cells>saltillo:ocean].tariff=0.5`,
//! `demand[us-east/battery-module].quantity=[…]`, `contracts[ningbo-bearings].min=90000`
//! (a contract of the model file is set there), `sites[hagerstown].expansions[line-2].cost=3e6`.
//!
//! Whichever data file defines the item takes the value; an id no data file defines is
//! an error naming the closest id.

use serde_yaml::Value;

use super::overrides::{set_in, AppliedSet};
use super::text::scalar_text;
use crate::diag::did_you_mean;

/// The data sections `--set` reaches by id.
pub const SECTIONS: &[&str] = &[
    "sites",
    "products",
    "markets",
    "lanes",
    "demand",
    "contracts",
];

/// `--set`s aimed at data files, waiting for the files to be read.
#[derive(Debug, Default)]
pub struct DataSets {
    sets: Vec<DataSet>,
}

#[derive(Debug)]
struct DataSet {
    /// As given: `PATH=VALUE`.
    argument: String,
    section: String,
    selector: String,
    /// The path inside the item (`capacity`, `expansions[line-2].cost`); empty: the
    /// whole item.
    rest: String,
    value: Value,
    /// Items it was set on.
    found: usize,
    /// Ids seen in its section, for "did you mean".
    seen: Vec<String>,
}

impl DataSets {
    /// Takes a `--set` whose path starts with a data section; `None` when it is not one.
    pub fn take(
        &mut self,
        path: &str,
        value: &Value,
        argument: &str,
    ) -> Option<Result<(), String>> {
        let open = path.find('[')?;
        let section = &path[..open];
        if !SECTIONS.contains(&section) {
            return None;
        }
        let Some(close) = path[open..].find(']').map(|c| open + c) else {
            return Some(Err(format!("unclosed `[` in `{path}`")));
        };
        let selector = &path[open + 1..close];
        let rest = path[close + 1..].trim_start_matches('.');
        if selector.is_empty() {
            return Some(Err(format!("`{section}[]` names no item")));
        }
        self.sets.push(DataSet {
            argument: argument.to_string(),
            section: section.to_string(),
            selector: selector.to_string(),
            rest: rest.to_string(),
            value: value.clone(),
            found: 0,
            seen: Vec::new(),
        });
        Some(Ok(()))
    }

    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Applies every waiting set to the items `root` (a data file) defines. Returns
    /// where each landed, or the problems.
    pub fn apply(&mut self, root: &mut Value) -> Result<Vec<AppliedSet>, Vec<String>> {
        let mut applied = Vec::new();
        let mut problems = Vec::new();
        for set in &mut self.sets {
            let Some(Value::Sequence(items)) = root.get_mut(set.section.as_str()) else {
                continue;
            };
            for (i, item) in items.iter_mut().enumerate() {
                let id = item_id(&set.section, item);
                let Some(id) = id else { continue };
                if !matches(&set.section, &id, &set.selector) {
                    set.seen.push(id);
                    continue;
                }
                set.found += 1;
                let base = format!("{}[{i}]", set.section);
                let result = if set.rest.is_empty() {
                    *item = set.value.clone();
                    Ok(base)
                } else {
                    set_in(item, &set.rest, set.value.clone())
                        .map(|inner| format!("{base}.{inner}"))
                };
                match result {
                    Ok(path) => applied.push(AppliedSet {
                        path,
                        argument: set.argument.clone(),
                    }),
                    Err(e) => problems.push(format!("--set {}: {e}", set.argument)),
                }
            }
        }
        if problems.is_empty() {
            Ok(applied)
        } else {
            Err(problems)
        }
    }

    /// Sets that found no item in any data file.
    pub fn unmatched(&self) -> Vec<String> {
        self.sets
            .iter()
            .filter(|s| s.found == 0)
            .map(|s| {
                let what = match s.section.as_str() {
                    "sites" => "site",
                    "products" => "product",
                    "markets" => "market",
                    "lanes" => "lane",
                    "demand" => "demand entry",
                    _ => "contract",
                };
                let hint = match did_you_mean(&s.selector, s.seen.iter().map(String::as_str)) {
                    Some(id) => format!(" (did you mean `{id}`?)"),
                    None if s.section == "lanes" => {
                        " (write a lane as FROM>TO, or FROM>TO:MODE)".to_string()
                    }
                    None if s.section == "demand" => " (write it as MARKET/PRODUCT)".to_string(),
                    None => String::new(),
                };
                format!(
                    "--set {}: no data file defines {what} `{}`{hint}",
                    s.argument, s.selector
                )
            })
            .collect()
    }
}

/// An item's id as `--set` names it: `id`, `name` (contracts), `from>to:mode` (lanes)
/// or `market/product` (demand).
fn item_id(section: &str, item: &Value) -> Option<String> {
    let text = |key: &str| item.get(key).and_then(scalar_text);
    match section {
        "lanes" => {
            let mut id = format!("{}>{}", text("from")?, text("to")?);
            if let Some(mode) = text("mode") {
                id.push(':');
                id.push_str(&mode);
            }
            Some(id)
        }
        "demand" => Some(format!("{}/{}", text("market")?, text("product")?)),
        "contracts" => text("name"),
        _ => text("id"),
    }
}

/// Whether an item's id matches a selector; a lane without a mode in the selector
/// matches every mode.
fn matches(section: &str, id: &str, selector: &str) -> bool {
    if id == selector {
        return true;
    }
    section == "lanes"
        && !selector.contains(':')
        && id.split_once(':').is_some_and(|(pair, _)| pair == selector)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Value {
        serde_yaml::from_str(
            "sites:\n  - {id: a, capacity: 10, expansions: [{name: line-2, capacity: 5, cost: 7}]}\n  - {id: b, capacity: 20}\nlanes:\n  - {from: a, to: m, mode: ocean, tariff: 0}\n  - {from: a, to: m, mode: air, tariff: 0}\n  - {from: b, to: m, tariff: 0}\ndemand:\n  - {market: m, product: p, quantity: [1, 2]}\n",
        )
        .unwrap()
    }

    fn take(sets: &mut DataSets, path: &str, value: &str) {
        let v: Value = serde_yaml::from_str(value).unwrap();
        sets.take(path, &v, &format!("{path}={value}"))
            .unwrap()
            .unwrap();
    }

    #[test]
    fn sets_items_by_id_lane_and_demand() {
        let mut root = data();
        let mut sets = DataSets::default();
        take(&mut sets, "sites[b].capacity", "25");
        take(&mut sets, "sites[a].expansions[line-2].cost", "9");
        take(&mut sets, "lanes[a>m].tariff", "0.5");
        take(&mut sets, "lanes[b>m].tariff", "0.1");
        take(&mut sets, "demand[m/p].quantity", "[3, 4]");
        let applied = sets.apply(&mut root).unwrap();
        assert_eq!(root["sites"][1]["capacity"].as_f64(), Some(25.0));
        assert_eq!(
            root["sites"][0]["expansions"][0]["cost"].as_f64(),
            Some(9.0)
        );
        // Without a mode, every mode of the pair.
        assert_eq!(root["lanes"][0]["tariff"].as_f64(), Some(0.5));
        assert_eq!(root["lanes"][1]["tariff"].as_f64(), Some(0.5));
        assert_eq!(root["lanes"][2]["tariff"].as_f64(), Some(0.1));
        assert_eq!(root["demand"][0]["quantity"][1].as_f64(), Some(4.0));
        assert_eq!(applied[0].path, "sites[1].capacity");
        assert_eq!(applied[1].path, "sites[0].expansions[0].cost");
        assert!(sets.unmatched().is_empty());
    }

    #[test]
    fn a_lane_mode_narrows_the_set() {
        let mut root = data();
        let mut sets = DataSets::default();
        take(&mut sets, "lanes[a>m:air].tariff", "0.5");
        sets.apply(&mut root).unwrap();
        assert_eq!(root["lanes"][0]["tariff"].as_f64(), Some(0.0));
        assert_eq!(root["lanes"][1]["tariff"].as_f64(), Some(0.5));
    }

    #[test]
    fn an_unknown_id_names_the_closest() {
        let mut root = data();
        let mut sets = DataSets::default();
        take(&mut sets, "sites[bb].capacity", "1");
        sets.apply(&mut root).unwrap();
        let problems = sets.unmatched();
        assert_eq!(
            problems,
            ["--set sites[bb].capacity=1: no data file defines site `bb` (did you mean `b`?)"]
        );
    }

    #[test]
    fn model_paths_are_not_taken() {
        let mut sets = DataSets::default();
        let v = Value::Null;
        assert!(sets.take("policies[a].min", &v, "x").is_none());
        assert!(sets.take("objective.carbon_price", &v, "x").is_none());
        assert!(sets.is_empty());
    }
}
