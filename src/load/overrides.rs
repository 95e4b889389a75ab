//! What-if overrides from the command line, applied to the model's YAML before it is read:
//! `--set objective.leveling_weight=5`, `--set 'policies[critical-usmca-80].min_share=0.9'`
//! (a policy by name, or by index: `policies[#2]`; a name wins over an index) and
//! `--disable POLICY`.

use serde_yaml::{Mapping, Value};

use super::text::scalar_text;
use crate::diag::did_you_mean;

/// How a `--set` changes its target: `PATH=X` replaces, `PATH*=X` multiplies,
/// `PATH+=X` adds (numbers, or per-period lists element by element).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Assign,
    Multiply,
    Add,
}

impl Edit {
    /// Splits a trailing `*` or `+` (of `PATH*=X`, `PATH+=X`) off a path.
    pub fn split(path: &str) -> (&str, Edit) {
        if let Some(p) = path.strip_suffix('*') {
            (p.trim_end(), Edit::Multiply)
        } else if let Some(p) = path.strip_suffix('+') {
            (p.trim_end(), Edit::Add)
        } else {
            (path, Edit::Assign)
        }
    }

    /// The new value of a target that holds `old`.
    pub fn apply(self, old: Option<&Value>, by: Value) -> Result<Value, String> {
        let combine = |a: f64, b: f64| match self {
            Edit::Multiply => a * b,
            Edit::Add => a + b,
            Edit::Assign => b,
        };
        let number = |v: &Value| v.as_f64();
        // A number left out is 0 (its default), so `lanes[*>@US].tariff+=0.25` also
        // reaches lanes that never wrote a tariff.
        let zero = Value::from(0.0);
        match (self, old.or(Some(&zero))) {
            (Edit::Assign, _) => Ok(by),
            (_, None) => Err("there is no value to change (write PATH=VALUE)".to_string()),
            (_, Some(old)) => {
                let by_list: Option<Vec<f64>> = match &by {
                    Value::Sequence(items) => items.iter().map(number).collect(),
                    _ => None,
                };
                match (old, number(&by), by_list) {
                    (Value::Sequence(items), Some(b), _) => items
                        .iter()
                        .map(|x| number(x).map(|a| Value::from(combine(a, b))))
                        .collect::<Option<Vec<Value>>>()
                        .map(Value::Sequence)
                        .ok_or_else(|| "a list entry is not a number".to_string()),
                    (Value::Sequence(items), None, Some(bs)) if bs.len() == items.len() => items
                        .iter()
                        .zip(bs)
                        .map(|(x, b)| number(x).map(|a| Value::from(combine(a, b))))
                        .collect::<Option<Vec<Value>>>()
                        .map(Value::Sequence)
                        .ok_or_else(|| "a list entry is not a number".to_string()),
                    (old, Some(b), _) => match number(old) {
                        Some(a) => Ok(Value::from(combine(a, b))),
                        None => Err("the value there is not a number".to_string()),
                    },
                    (_, _, Some(bs)) => match number(old) {
                        Some(a) => Ok(Value::Sequence(
                            bs.into_iter().map(|b| Value::from(combine(a, b))).collect(),
                        )),
                        None => Err("the value there is not a number".to_string()),
                    },
                    _ => Err("`*=` and `+=` take a number or a list of numbers".to_string()),
                }
            }
        }
    }
}

/// Overrides for one run, in the order given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// Named scenarios of the model (`scenarios:`), applied in this order before `set`
    /// and `disable`.
    pub scenarios: Vec<String>,
    /// (path as written, value as written).
    pub set: Vec<(String, String)>,
    /// Policy names or indices (`#2`, or a plain number no policy is named) to leave out.
    pub disable: Vec<String>,
}

/// Where an applied `--set` landed, for locating problems in its value.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedSet {
    /// Canonical key path in the model, e.g. `policies[2].min_share`.
    pub path: String,
    /// The argument as given, e.g. `policies[critical-usmca-80].min_share=0.9`.
    pub argument: String,
}

impl Overrides {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.disable.is_empty() && self.scenarios.is_empty()
    }

    /// Parses `PATH=VALUE`.
    pub fn parse_set(argument: &str) -> Result<(String, String), String> {
        match argument.split_once('=') {
            Some((path, value)) if !path.trim().is_empty() => {
                Ok((path.trim().to_string(), value.trim().to_string()))
            }
            _ => Err(format!(
                "`{argument}`: expected PATH=VALUE, e.g. objective.leveling_weight=5"
            )),
        }
    }

    /// The overrides as recorded in `plan.json`: `set PATH=VALUE`, `disable NAME`.
    pub fn describe(&self) -> Vec<String> {
        self.scenarios
            .iter()
            .map(|s| format!("scenario {s}"))
            .chain(self.set.iter().map(|(p, v)| format!("set {p}={v}")))
            .chain(self.disable.iter().map(|d| format!("disable {d}")))
            .collect()
    }

    /// Applies every override to a model document. Returns where each `--set` landed, or
    /// every problem found.
    pub fn apply(&self, root: &mut Value) -> Result<Vec<AppliedSet>, Vec<String>> {
        self.apply_split(root, None)
    }

    /// [`Overrides::apply`], handing `--set`s that name a data item by id
    /// (`sites[hagerstown].capacity`) to `data` (path, value, edit, argument), when
    /// given: it returns `None` for a path it does not take.
    pub fn apply_split(
        &self,
        root: &mut Value,
        mut data: Option<&mut TakeData<'_>>,
    ) -> Result<Vec<AppliedSet>, Vec<String>> {
        let mut applied = Vec::new();
        let mut problems = Vec::new();
        // Named scenarios first, in the order given, then the overrides of the command
        // line (or batch entry): a later one wins.
        let mut sets: Vec<(String, String)> = Vec::new();
        let mut disables: Vec<String> = Vec::new();
        for name in &self.scenarios {
            match scenario(root, name) {
                Ok(sc) => {
                    sets.extend(sc.set);
                    disables.extend(sc.disable);
                    add_data(root, sc.data);
                }
                Err(e) => problems.push(format!("--scenario {name}: {e}")),
            }
        }
        sets.extend(self.set.iter().cloned());
        disables.extend(self.disable.iter().cloned());
        for (path, value) in &sets {
            let argument = format!("{path}={value}");
            let parsed: Value = match serde_yaml::from_str(value) {
                Ok(v) => v,
                Err(e) => {
                    problems.push(format!(
                        "--set {argument}: the value is not valid YAML: {e}"
                    ));
                    continue;
                }
            };
            let (path, edit) = Edit::split(path);
            if let Some(data) = data.as_deref_mut() {
                if !in_model(root, path) {
                    match data(path, &parsed, edit, &argument) {
                        Some(Ok(())) => continue,
                        Some(Err(e)) => {
                            problems.push(format!("--set {argument}: {e}"));
                            continue;
                        }
                        None => {}
                    }
                }
            }
            match set_path(root, path, parsed, edit) {
                Ok(canonical) => applied.push(AppliedSet {
                    path: canonical,
                    argument,
                }),
                Err(e) => problems.push(format!("--set {argument}: {e}")),
            }
        }
        if !disables.is_empty() {
            let mut indices = Vec::new();
            for name in &disables {
                match policy_index(root, name) {
                    Ok(i) => indices.push(i),
                    Err(e) => problems.push(format!("--disable {name}: {e}")),
                }
            }
            indices.sort_unstable();
            indices.dedup();
            if let Some(Value::Sequence(policies)) = root.get_mut("policies") {
                for i in indices.into_iter().rev() {
                    policies.remove(i);
                }
            }
        }
        if problems.is_empty() {
            Ok(applied)
        } else {
            Err(problems)
        }
    }
}

/// One step of a path: a key, optionally followed by `[selector]`.
struct Step<'a> {
    key: &'a str,
    selector: Option<&'a str>,
}

fn parse_path(path: &str) -> Result<Vec<Step<'_>>, String> {
    let mut steps = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let key = &rest[..end];
        rest = &rest[end..];
        let mut selector = None;
        if let Some(after) = rest.strip_prefix('[') {
            let close = after
                .find(']')
                .ok_or_else(|| format!("unclosed `[` in `{path}`"))?;
            selector = Some(&after[..close]);
            rest = &after[close + 1..];
        }
        if key.is_empty() {
            return Err(format!("empty key in `{path}`"));
        }
        steps.push(Step { key, selector });
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    if steps.is_empty() {
        return Err("empty path".to_string());
    }
    Ok(steps)
}

/// Takes a `--set` aimed at the data files: (path, value, edit, argument as given).
pub type TakeData<'a> = dyn FnMut(&str, &Value, Edit, &str) -> Option<Result<(), String>> + 'a;

/// The data sections `--set` reaches by id.
pub const DATA_SECTIONS: &[&str] = &[
    "sites",
    "products",
    "markets",
    "lanes",
    "demand",
    "contracts",
];

/// What one named scenario of the model does.
struct Scenario {
    set: Vec<(String, String)>,
    disable: Vec<String>,
    data: Vec<Value>,
}

/// The keys a scenario may have.
pub const SCENARIO_KEYS: &[&str] = &["description", "set", "disable", "data", "scale"];

/// What `scale` may scale, and the `--set` it stands for.
pub const SCALES: &[(&str, &str)] = &[
    ("demand", "demand[*].quantity*"),
    ("capacity", "sites[*].capacity*"),
];

/// Reads scenario `name` of the model: `set` (a mapping PATH: VALUE or a list of
/// `PATH=VALUE`), `disable` (policy names), `data` (more data files) and `scale`
/// (`{demand: 1.15, capacity: 0.9}`).
fn scenario(root: &Value, name: &str) -> Result<Scenario, String> {
    let all = match root.get("scenarios") {
        Some(Value::Mapping(all)) => all,
        _ => return Err("the model has no `scenarios`".to_string()),
    };
    let Some(entry) = all.get(name) else {
        let names: Vec<String> = all.keys().filter_map(scalar_text).collect();
        return Err(match did_you_mean(name, names.iter().map(String::as_str)) {
            Some(s) => format!("the model has no scenario `{name}` (did you mean `{s}`?)"),
            None => format!(
                "the model has no scenario `{name}` (it has: {})",
                names.join(", ")
            ),
        });
    };
    let mut out = Scenario {
        set: Vec::new(),
        disable: Vec::new(),
        data: Vec::new(),
    };
    let Value::Mapping(map) = entry else {
        return Err("a scenario is a mapping with `set`, `disable`, `data` or `scale`".into());
    };
    match map.get("set") {
        None | Some(Value::Null) => {}
        Some(Value::Mapping(sets)) => {
            for (k, v) in sets {
                let path = scalar_text(k).ok_or("`set` keys must be paths")?;
                let value = match v {
                    Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other)
                        .map(|t| t.trim_end().to_string())
                        .map_err(|e| e.to_string())?,
                };
                out.set.push((path, value));
            }
        }
        Some(Value::Sequence(items)) => {
            for item in items {
                let text = item.as_str().ok_or("`set` entries are PATH=VALUE text")?;
                out.set.push(Overrides::parse_set(text)?);
            }
        }
        Some(_) => return Err("`set` is a mapping PATH: VALUE or a list of PATH=VALUE".into()),
    }
    match map.get("disable") {
        None | Some(Value::Null) => {}
        Some(Value::Sequence(items)) => {
            for item in items {
                out.disable
                    .push(scalar_text(item).ok_or("`disable` lists policy names")?);
            }
        }
        Some(other) => out
            .disable
            .push(scalar_text(other).ok_or("`disable` lists policy names")?),
    }
    match map.get("data") {
        None | Some(Value::Null) => {}
        Some(Value::Sequence(items)) => out.data.extend(items.iter().cloned()),
        Some(other) => out.data.push(other.clone()),
    }
    match map.get("scale") {
        None | Some(Value::Null) => {}
        Some(Value::Mapping(scales)) => {
            for (k, v) in scales {
                let what = scalar_text(k).unwrap_or_default();
                let Some((_, path)) = SCALES.iter().find(|(w, _)| *w == what) else {
                    let known: Vec<&str> = SCALES.iter().map(|(w, _)| *w).collect();
                    return Err(format!(
                        "`scale` takes {}, not `{what}`",
                        known.join(" and ")
                    ));
                };
                let factor = v.as_f64().ok_or("a `scale` factor is a number")?;
                out.set.push((path.to_string(), factor.to_string()));
            }
        }
        Some(_) => return Err("`scale` is a mapping, e.g. {demand: 1.15}".into()),
    }
    Ok(out)
}

/// Adds a scenario's data files to the model's `data` list.
fn add_data(root: &mut Value, extra: Vec<Value>) {
    if extra.is_empty() {
        return;
    }
    let Value::Mapping(map) = root else { return };
    let key = Value::String("data".to_string());
    let list = match map.remove(&key) {
        Some(Value::Sequence(items)) => items,
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one],
    };
    let mut list = list;
    list.extend(extra);
    map.insert(key, Value::Sequence(list));
}

/// Whether a `--set` path names something of the model itself: any path but a data
/// section's, and a contract the model file defines.
fn in_model(root: &Value, path: &str) -> bool {
    let Some(name) = path
        .strip_prefix("contracts[")
        .and_then(|rest| rest.split_once(']'))
        .map(|(name, _)| name)
    else {
        return !DATA_SECTIONS
            .iter()
            .any(|s| path.starts_with(&format!("{s}[")));
    };
    match root.get("contracts") {
        Some(Value::Sequence(items)) => select(items, name).is_ok(),
        _ => false,
    }
}

/// Sets `value` at `path` inside `node` (a data item): [`set_path`] for the data files.
pub(super) fn set_in(
    node: &mut Value,
    path: &str,
    value: Value,
    edit: Edit,
) -> Result<String, String> {
    set_path(node, path, value, edit)
}

/// Sets `value` at `path`, creating missing mapping keys. Returns the canonical path.
fn set_path(root: &mut Value, path: &str, value: Value, edit: Edit) -> Result<String, String> {
    let steps = parse_path(path)?;
    let mut canonical = String::new();
    let mut node = root;
    let last = steps.len() - 1;
    for (n, step) in steps.iter().enumerate() {
        if !canonical.is_empty() {
            canonical.push('.');
        }
        canonical.push_str(step.key);
        if node.is_null() {
            *node = Value::Mapping(Mapping::new());
        }
        let Value::Mapping(map) = node else {
            return Err(format!(
                "`{canonical}` is inside something that is not a mapping"
            ));
        };
        let key = Value::String(step.key.to_string());
        if n == last && step.selector.is_none() {
            let new = edit
                .apply(map.get(&key), value)
                .map_err(|e| format!("`{canonical}`: {e}"))?;
            map.insert(key, new);
            return Ok(canonical);
        }
        node = map.entry(key).or_insert(Value::Null);
        if let Some(selector) = step.selector {
            let Value::Sequence(items) = node else {
                return Err(format!("`{canonical}` is not a list"));
            };
            let index = select(items, selector)?;
            canonical.push_str(&format!("[{index}]"));
            let Some(item) = items.get_mut(index) else {
                return Err(format!("`{canonical}` does not exist"));
            };
            if n == last {
                *item = edit
                    .apply(Some(item), value)
                    .map_err(|e| format!("`{canonical}`: {e}"))?;
                return Ok(canonical);
            }
            node = item;
        }
    }
    Ok(canonical)
}

/// A list item by its `name` (policies) or by index. A name wins: `1` is the item named
/// "1" if there is one, and the item at index 1 otherwise; `#1` is always the index.
fn select(items: &[Value], selector: &str) -> Result<usize, String> {
    let by_index = |i: usize| {
        if i < items.len() {
            Ok(i)
        } else {
            Err(format!(
                "index {i} is out of range (the list has {} items)",
                items.len()
            ))
        }
    };
    if let Some(digits) = selector.strip_prefix('#') {
        return match digits.parse::<usize>() {
            Ok(i) => by_index(i),
            Err(_) => Err(format!(
                "`{selector}`: `#` must be followed by an index, e.g. `#0`"
            )),
        };
    }
    // `name: 1` unquoted is the name "1", as the model reader takes it.
    let name = |item: &Value| item.get("name").and_then(scalar_text);
    if let Some(i) = items
        .iter()
        .position(|item| name(item).as_deref() == Some(selector))
    {
        return Ok(i);
    }
    if let Ok(i) = selector.parse::<usize>() {
        return by_index(i);
    }
    let names: Vec<String> = items.iter().filter_map(name).collect();
    Err(
        match did_you_mean(selector, names.iter().map(String::as_str)) {
            Some(s) => format!("no item named `{selector}` (did you mean `{s}`?)"),
            None => format!("no item named `{selector}` (names: {})", names.join(", ")),
        },
    )
}

fn policy_index(root: &Value, name: &str) -> Result<usize, String> {
    match root.get("policies") {
        Some(Value::Sequence(items)) => select(items, name),
        _ => Err("the model has no policies".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Value {
        serde_yaml::from_str(
            "objective: {leveling_weight: 1}\npolicies:\n  - {name: a, kind: ramp_limit, max_change: 0.1}\n  - {name: b, kind: min_fill_rate, min: 0.9}\n",
        )
        .unwrap()
    }

    #[test]
    fn sets_by_key_name_and_index() {
        let mut root = model();
        let overrides = Overrides {
            scenarios: Vec::new(),
            set: vec![
                ("objective.leveling_weight".into(), "5".into()),
                ("objective.carbon_price".into(), "0.1".into()),
                ("policies[b].min".into(), "0.95".into()),
                ("policies[0].max_change".into(), "0.3".into()),
            ],
            disable: vec![],
        };
        let applied = overrides.apply(&mut root).unwrap();
        assert_eq!(applied[2].path, "policies[1].min");
        assert_eq!(root["objective"]["leveling_weight"].as_f64(), Some(5.0));
        assert_eq!(root["objective"]["carbon_price"].as_f64(), Some(0.1));
        assert_eq!(root["policies"][1]["min"].as_f64(), Some(0.95));
        assert_eq!(root["policies"][0]["max_change"].as_f64(), Some(0.3));
    }

    #[test]
    fn disables_by_name() {
        let mut root = model();
        let overrides = Overrides {
            scenarios: Vec::new(),
            set: vec![],
            disable: vec!["a".into()],
        };
        overrides.apply(&mut root).unwrap();
        assert_eq!(root["policies"].as_sequence().unwrap().len(), 1);
        assert_eq!(root["policies"][0]["name"].as_str(), Some("b"));
    }

    #[test]
    fn unknown_names_are_reported_with_a_suggestion() {
        let mut root = model();
        let overrides = Overrides {
            scenarios: Vec::new(),
            set: vec![("policies[bb].min".into(), "1".into())],
            disable: vec!["zzz".into()],
        };
        let problems = overrides.apply(&mut root).unwrap_err();
        assert_eq!(problems.len(), 2);
        assert!(problems[0].contains("did you mean `b`?"), "{problems:?}");
        assert!(problems[1].starts_with("--disable zzz: no item named `zzz`"));
    }

    #[test]
    fn a_name_that_is_a_number_wins_over_the_index() {
        let doc = "policies:\n  - {name: x, kind: ramp_limit, max_change: 0.1}\n  - {name: 0, kind: min_fill_rate, min: 0.9}\n  - {name: y, kind: min_fill_rate, min: 0.8}\n";
        let fresh = || -> Value { serde_yaml::from_str(doc).unwrap() };
        let names = |root: &Value| -> Vec<String> {
            root["policies"]
                .as_sequence()
                .unwrap()
                .iter()
                .map(|p| scalar_text(&p["name"]).unwrap())
                .collect()
        };
        let disable = |what: &str| {
            let mut root = fresh();
            Overrides {
                scenarios: Vec::new(),
                set: vec![],
                disable: vec![what.into()],
            }
            .apply(&mut root)
            .unwrap();
            names(&root)
        };
        // `0` names the policy called "0" (index 1), not the policy at index 0.
        assert_eq!(disable("0"), ["x", "y"]);
        // `#0` is always the index.
        assert_eq!(disable("#0"), ["0", "y"]);
        // A number that no policy is named selects by index, as before.
        assert_eq!(disable("2"), ["x", "0"]);
        assert!(Overrides {
            scenarios: Vec::new(),
            set: vec![],
            disable: vec!["#9".into()],
        }
        .apply(&mut fresh())
        .unwrap_err()[0]
            .contains("index 9 is out of range"));

        let mut root = fresh();
        let applied = Overrides {
            scenarios: Vec::new(),
            set: vec![
                ("policies[0].min".into(), "0.5".into()),
                ("policies[#0].max_change".into(), "0.3".into()),
            ],
            disable: vec![],
        }
        .apply(&mut root)
        .unwrap();
        assert_eq!(applied[0].path, "policies[1].min");
        assert_eq!(applied[1].path, "policies[0].max_change");
        assert_eq!(root["policies"][1]["min"].as_f64(), Some(0.5));
        assert_eq!(root["policies"][0]["max_change"].as_f64(), Some(0.3));
    }
}
