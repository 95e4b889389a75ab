//! `--set` into data files, by id: `sites[hagerstown].capacity=12000`,
//! `products[battery-module].unit_value=1300`, `lanes[ningbo-cells>saltillo].tariff=0.5`
//! (every mode) or `lanes[ningbo-cells>saltillo:ocean].tariff=0.5`,
//! `demand[us-east/battery-module].quantity=[…]`, `contracts[ningbo-bearings].min=90000`
//! (a contract of the model file is set there), `sites[hagerstown].expansions[line-2].cost=3e6`.
//!
//! Whichever data file defines the item takes the value; an id no data file defines is
//! an error naming the closest id. A selector may name many items: `*` (every one),
//! `@MX` (sites or markets in a country), `*>saltillo`, `ningbo-cells>*`, `*>@US` (lanes
//! into a country), `*/battery-module`, `us-east/*`, `@US/*` (demand). `PATH*=X`
//! multiplies and `PATH+=X` adds (numbers, or per-period lists element by element):
//! `demand[*].quantity*=1.15`, `lanes[*>@US].tariff+=0.25`.

use std::collections::HashMap;

use serde_yaml::Value;

use super::overrides::{set_in, AppliedSet, Edit};
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
    edit: Edit,
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
        edit: Edit,
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
            edit,
            found: 0,
            seen: Vec::new(),
        });
        Some(Ok(()))
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Applies every waiting set to the items `root` (a data file) defines; `countries`
    /// maps every site and market id (of all data files) to its country, for `@CC`
    /// selectors. Returns where each landed, or the problems.
    pub fn apply(
        &mut self,
        root: &mut Value,
        countries: &HashMap<String, String>,
    ) -> Result<Vec<AppliedSet>, Vec<String>> {
        self.apply_except(root, countries, &|_: &str, _: &str, _: &str| false)
    }

    /// [`DataSets::apply`], leaving alone the items for which `skip(section, id, rest)`
    /// holds (a site's `capacity` in YAML when a capacity table gives it: the set
    /// reaches the table's value instead).
    pub fn apply_except(
        &mut self,
        root: &mut Value,
        countries: &HashMap<String, String>,
        skip: &dyn Fn(&str, &str, &str) -> bool,
    ) -> Result<Vec<AppliedSet>, Vec<String>> {
        let mut applied = Vec::new();
        let mut problems = Vec::new();
        for set in &mut self.sets {
            let Some(Value::Sequence(items)) = root.get_mut(set.section.as_str()) else {
                continue;
            };
            for (i, item) in items.iter_mut().enumerate() {
                let id = item_id(&set.section, item);
                let Some(id) = id else { continue };
                if !matches(&set.section, &id, &set.selector, countries) {
                    set.seen.push(id);
                    continue;
                }
                if skip(&set.section, &id, &set.rest) {
                    continue;
                }
                set.found += 1;
                let base = format!("{}[{i}]", set.section);
                let result = if set.rest.is_empty() && set.edit == Edit::Assign {
                    *item = set.value.clone();
                    Ok(base)
                } else if set.rest.is_empty() {
                    Err("`*=` and `+=` need a number inside the item, e.g. `.capacity`".into())
                } else {
                    set_in(item, &set.rest, set.value.clone(), set.edit)
                        .map(|inner| format!("{base}.{inner}"))
                };
                match result {
                    Ok(path) => applied.push(AppliedSet {
                        path,
                        argument: set.argument.clone(),
                    }),
                    Err(e) => {
                        // Once per set, not once per item it names.
                        problems.push(format!("--set {}: {e}", set.argument));
                        break;
                    }
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

/// Whether an item's id matches a selector. `*` matches every item; `@CC` matches a
/// site or market in country CC; lanes (`from>to[:mode]`) and demand (`market/product`)
/// match part by part, and a lane selector without a mode matches every mode.
fn matches(section: &str, id: &str, selector: &str, countries: &HashMap<String, String>) -> bool {
    if id == selector || selector == "*" {
        return true;
    }
    let part = |id: &str, sel: &str| {
        sel == "*"
            || id == sel
            || sel
                .strip_prefix('@')
                .is_some_and(|cc| countries.get(id).is_some_and(|c| c == cc))
    };
    match section {
        "lanes" => {
            let (pair, mode) = match id.split_once(':') {
                Some((pair, mode)) => (pair, Some(mode)),
                None => (id, None),
            };
            let (sel_pair, sel_mode) = match selector.split_once(':') {
                Some((pair, mode)) => (pair, Some(mode)),
                None => (selector, None),
            };
            let (Some((from, to)), Some((sf, st))) =
                (pair.split_once('>'), sel_pair.split_once('>'))
            else {
                return false;
            };
            part(from, sf) && part(to, st) && sel_mode.is_none_or(|m| m == "*" || Some(m) == mode)
        }
        "demand" => {
            let (Some((m, p)), Some((sm, sp))) = (id.split_once('/'), selector.split_once('/'))
            else {
                return false;
            };
            part(m, sm) && (sp == "*" || p == sp)
        }
        "sites" | "markets" => part(id, selector),
        _ => false,
    }
}

/// Every site's and market's country, by id, from a data file (for `@CC` selectors).
pub fn countries_of(root: &Value, out: &mut HashMap<String, String>) {
    for section in ["sites", "markets"] {
        let Some(Value::Sequence(items)) = root.get(section) else {
            continue;
        };
        for item in items {
            if let (Some(id), Some(country)) = (
                item.get("id").and_then(scalar_text),
                item.get("country").and_then(scalar_text),
            ) {
                out.insert(id, country);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Value {
        serde_yaml::from_str(
            "sites:\n  - {id: a, country: MX, capacity: 10, expansions: [{name: line-2, capacity: 5, cost: 7}]}\n  - {id: b, country: CN, capacity: [20, 30]}\nmarkets:\n  - {id: m, country: US}\n  - {id: n, country: CA}\nlanes:\n  - {from: a, to: m, mode: ocean, tariff: 0}\n  - {from: a, to: m, mode: air, tariff: 0}\n  - {from: b, to: m, tariff: 0.1}\n  - {from: b, to: n, tariff: 0}\ndemand:\n  - {market: m, product: p, quantity: [1, 2]}\n  - {market: n, product: p, quantity: [10, 20]}\n",
        )
        .unwrap()
    }

    fn countries(root: &Value) -> HashMap<String, String> {
        let mut out = HashMap::new();
        countries_of(root, &mut out);
        out
    }

    fn take(sets: &mut DataSets, argument: &str) {
        let (path, value) = argument.split_once('=').unwrap();
        let (path, edit) = Edit::split(path);
        let v: Value = serde_yaml::from_str(value).unwrap();
        sets.take(path, &v, edit, argument).unwrap().unwrap();
    }

    fn apply(arguments: &[&str]) -> (Value, Vec<AppliedSet>, DataSets) {
        let mut root = data();
        let mut sets = DataSets::default();
        for a in arguments {
            take(&mut sets, a);
        }
        let applied = sets.apply(&mut root, &countries(&data())).unwrap();
        (root, applied, sets)
    }

    #[test]
    fn sets_items_by_id_lane_and_demand() {
        let (root, applied, sets) = apply(&[
            "sites[b].capacity=25",
            "sites[a].expansions[line-2].cost=9",
            "lanes[a>m].tariff=0.5",
            "lanes[b>n].tariff=0.2",
            "demand[m/p].quantity=[3, 4]",
        ]);
        assert_eq!(root["sites"][1]["capacity"].as_f64(), Some(25.0));
        assert_eq!(
            root["sites"][0]["expansions"][0]["cost"].as_f64(),
            Some(9.0)
        );
        // Without a mode, every mode of the pair.
        assert_eq!(root["lanes"][0]["tariff"].as_f64(), Some(0.5));
        assert_eq!(root["lanes"][1]["tariff"].as_f64(), Some(0.5));
        assert_eq!(root["lanes"][2]["tariff"].as_f64(), Some(0.1));
        assert_eq!(root["lanes"][3]["tariff"].as_f64(), Some(0.2));
        assert_eq!(root["demand"][0]["quantity"][1].as_f64(), Some(4.0));
        assert_eq!(applied[0].path, "sites[1].capacity");
        assert_eq!(applied[1].path, "sites[0].expansions[0].cost");
        assert!(sets.unmatched().is_empty());
    }

    #[test]
    fn a_lane_mode_narrows_the_set() {
        let (root, _, _) = apply(&["lanes[a>m:air].tariff=0.5"]);
        assert_eq!(root["lanes"][0]["tariff"].as_f64(), Some(0.0));
        assert_eq!(root["lanes"][1]["tariff"].as_f64(), Some(0.5));
    }

    #[test]
    fn wildcards_countries_and_edits() {
        let (root, _, _) = apply(&[
            // A tariff rise on every lane into the US.
            "lanes[*>@US].tariff+=0.25",
            // Demand up 15% everywhere, and 10 more units in Canada.
            "demand[*].quantity*=1.5",
            "demand[@CA/*].quantity+=10",
            // Chinese capacity down by half.
            "sites[@CN].capacity*=0.5",
        ]);
        let tariffs: Vec<f64> = (0..4)
            .map(|i| root["lanes"][i]["tariff"].as_f64().unwrap())
            .collect();
        assert_eq!(tariffs, [0.25, 0.25, 0.35, 0.0]);
        assert_eq!(root["demand"][0]["quantity"][1].as_f64(), Some(3.0));
        assert_eq!(root["demand"][1]["quantity"][0].as_f64(), Some(25.0));
        assert_eq!(root["demand"][1]["quantity"][1].as_f64(), Some(40.0));
        assert_eq!(root["sites"][1]["capacity"][1].as_f64(), Some(15.0));
        assert_eq!(root["sites"][0]["capacity"].as_f64(), Some(10.0));
    }

    #[test]
    fn an_edit_of_something_that_is_not_a_number_is_refused() {
        let mut root = data();
        let mut sets = DataSets::default();
        take(&mut sets, "sites[a].country*=2");
        let problems = sets.apply(&mut root, &countries(&data())).unwrap_err();
        assert!(problems[0].contains("not a number"), "{problems:?}");
    }

    #[test]
    fn an_unknown_id_names_the_closest() {
        let (_, _, sets) = apply(&["sites[bb].capacity=1"]);
        assert_eq!(
            sets.unmatched(),
            ["--set sites[bb].capacity=1: no data file defines site `bb` (did you mean `b`?)"]
        );
    }

    #[test]
    fn model_paths_are_not_taken() {
        let mut sets = DataSets::default();
        let v = Value::Null;
        assert!(sets
            .take("policies[a].min", &v, Edit::Assign, "x")
            .is_none());
        assert!(sets
            .take("objective.carbon_price", &v, Edit::Assign, "x")
            .is_none());
        assert!(sets.is_empty());
    }
}
