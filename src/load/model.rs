//! Model files: which data to read, blocs, objective weights, policies, solver settings.

use serde_yaml::{Mapping, Value};

use super::decisions::RawContract;
use super::limits::MAX_PATH_CHARS;
use super::reader::{Range, Reader};
use super::spans::{child_index, child_key};
use crate::diag::{Loc, Spanned};
use crate::network::Per;
use crate::policy::{self, Kind, RawRule, ReadKeys, Selector, NAMES};

pub const MODEL_KEYS: &[&str] = &[
    "name",
    "data",
    "blocs",
    "objective",
    "policies",
    "solver",
    "contracts",
    "scenarios",
];

#[derive(Debug, Clone)]
pub struct RawModel {
    pub name: Option<Spanned<String>>,
    pub data: Vec<Spanned<String>>,
    pub blocs: Vec<(Spanned<String>, Vec<Spanned<String>>)>,
    pub objective: RawObjective,
    pub policies: Vec<RawPolicy>,
    pub solver: RawSolver,
    /// Take-or-pay agreements written in the model (they may also sit in data files).
    pub contracts: Vec<RawContract>,
}

#[derive(Debug, Clone, Default)]
pub struct RawObjective {
    pub unmet_penalty: Option<f64>,
    pub leveling_weight: Option<f64>,
    pub carbon_price: Option<f64>,
}

#[derive(Debug, Clone, Default)]
pub struct RawSolver {
    pub backend: Option<Spanned<String>>,
    pub time_limit_s: Option<f64>,
    /// Ceiling on the estimated LP size (default [`super::limits::DEFAULT_MAX_VARIABLES`]).
    pub max_variables: Option<Spanned<u64>>,
    /// Relative MIP gap at which an integer model counts as optimal (default 1e-4).
    pub mip_gap: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct RawPolicy {
    pub loc: Loc,
    pub index: usize,
    pub name: Option<Spanned<String>>,
    pub soft_penalty: Option<f64>,
    /// The kind's own keys.
    pub rule: RawRule,
}

pub fn read_model(r: &mut Reader, root: &Value) -> Option<RawModel> {
    if root.is_null() {
        r.error("", "the model file is empty");
        return None;
    }
    let map = r.map(root, "", MODEL_KEYS)?;
    let name = map.get("name").and_then(|v| r.text(v, "name"));
    let data = match r.required(map, "", "data") {
        Some(Value::Sequence(_)) => r.text_list_limited(&map["data"], "data", MAX_PATH_CHARS),
        Some(v) => r
            .text_limited(v, "data", MAX_PATH_CHARS)
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    if data.is_empty() && map.contains_key("data") {
        r.error("data", "names no data file");
    }
    let mut blocs = Vec::new();
    if let Some(v) = map.get("blocs") {
        for (bloc, countries, path) in r.entries(v, "blocs") {
            let list = r.text_list(countries, &path);
            blocs.push((bloc, list));
        }
    }
    let objective = map
        .get("objective")
        .map(|v| read_objective(r, v))
        .unwrap_or_default();
    let mut policies = Vec::new();
    if let Some(v) = map.get("policies") {
        if let Some(list) = r.seq(v, "policies") {
            for (i, item) in list.iter().enumerate() {
                if let Some(p) = read_policy(r, item, &child_index("policies", i), i) {
                    policies.push(p);
                }
            }
        }
    }
    let solver = map
        .get("solver")
        .map(|v| read_solver(r, v))
        .unwrap_or_default();
    if let Some(v) = map.get("scenarios") {
        for (_, entry, path) in r.entries(v, "scenarios") {
            // Only the shape here: a scenario's own edits are checked when it is chosen.
            r.map(entry, &path, super::overrides::SCENARIO_KEYS);
        }
    }
    let contracts = map
        .get("contracts")
        .map(|v| super::decisions::read_contracts(r, v).0)
        .unwrap_or_default();
    Some(RawModel {
        name,
        data,
        blocs,
        objective,
        policies,
        solver,
        contracts,
    })
}

fn read_objective(r: &mut Reader, v: &Value) -> RawObjective {
    let path = "objective";
    let Some(map) = r.map(
        v,
        path,
        &["unmet_penalty", "leveling_weight", "carbon_price"],
    ) else {
        return RawObjective::default();
    };
    RawObjective {
        unmet_penalty: r.opt_number(map, path, "unmet_penalty", Range::NonNegative),
        leveling_weight: r.opt_number(map, path, "leveling_weight", Range::NonNegative),
        carbon_price: r.opt_number(map, path, "carbon_price", Range::NonNegative),
    }
}

fn read_solver(r: &mut Reader, v: &Value) -> RawSolver {
    let path = "solver";
    let Some(map) = r.map(
        v,
        path,
        &["backend", "time_limit_s", "max_variables", "mip_gap"],
    ) else {
        return RawSolver::default();
    };
    let max_variables = map.get("max_variables").and_then(|m| {
        let key = "solver.max_variables";
        let n = r.count(m, key)?;
        if n == 0 {
            r.error(key, "must be at least 1");
            return None;
        }
        Some(Spanned::new(n as u64, r.loc(key)))
    });
    RawSolver {
        backend: map.get("backend").and_then(|b| r.text(b, "solver.backend")),
        time_limit_s: r.opt_number(map, path, "time_limit_s", Range::Positive),
        max_variables,
        mip_gap: r.opt_number(map, path, "mip_gap", Range::Share),
    }
}

const COMMON_KEYS: &[&str] = &["kind", "name", "soft"];

fn read_policy(r: &mut Reader, v: &Value, path: &str, index: usize) -> Option<RawPolicy> {
    let Value::Mapping(map) = v else {
        r.map(v, path, COMMON_KEYS);
        return None;
    };
    let kind_value = r.required(map, path, "kind")?;
    let kind_path = child_key(path, "kind");
    let kind = r.text(kind_value, &kind_path)?.value;
    let Some(kind) = Kind::named(&kind) else {
        let loc = r.loc(&kind_path);
        r.diags
            .unknown(loc, "policy kind", &kind, NAMES.iter().copied(), true);
        return None;
    };
    let allowed: Vec<&str> = COMMON_KEYS.iter().chain(kind.keys()).copied().collect();
    r.map(v, path, &allowed);
    let name = map
        .get("name")
        .and_then(|n| r.text(n, &child_key(path, "name")));
    let soft_penalty = map.get("soft").and_then(|s| {
        let soft_path = child_key(path, "soft");
        let soft = r.map(s, &soft_path, &["penalty"])?;
        r.required(soft, &soft_path, "penalty")
            .and_then(|p| r.number(p, &child_key(&soft_path, "penalty"), Range::NonNegative))
    });
    let rule = kind.read(&mut PolicyReader { r, map, path })?;
    Some(RawPolicy {
        loc: r.loc(path),
        index,
        name,
        soft_penalty,
        rule,
    })
}

/// Reads the keys of one policy entry for its kind.
struct PolicyReader<'p, 'r, 'a> {
    r: &'p mut Reader<'r>,
    map: &'a Mapping,
    path: &'a str,
}

impl ReadKeys for PolicyReader<'_, '_, '_> {
    fn text(&mut self, key: &str) -> Option<Spanned<String>> {
        let v = self.r.required(self.map, self.path, key)?;
        self.r.text(v, &child_key(self.path, key))
    }

    fn text_list(&mut self, key: &str) -> Option<Vec<Spanned<String>>> {
        let v = self.r.required(self.map, self.path, key)?;
        Some(self.r.text_list(v, &child_key(self.path, key)))
    }

    fn number(&mut self, key: &str, range: policy::Range) -> f64 {
        self.r
            .required(self.map, self.path, key)
            .and_then(|v| {
                self.r
                    .number(v, &child_key(self.path, key), reader_range(range))
            })
            .unwrap_or(0.0)
    }

    fn optional(&mut self, key: &str, range: policy::Range) -> Option<f64> {
        self.r
            .opt_number(self.map, self.path, key, reader_range(range))
    }

    fn per(&mut self, default: Per) -> Per {
        let key_path = child_key(self.path, "per");
        match self.map.get("per").map(|v| (v.as_str(), v)) {
            None => default,
            Some((Some("period"), _)) => Per::Period,
            Some((Some("horizon"), _)) => Per::Horizon,
            Some((_, v)) => {
                let shown =
                    super::text::scalar_text(v).unwrap_or_else(|| "a non-text value".into());
                self.r.error(
                    &key_path,
                    format!("must be `period` or `horizon`, found `{shown}`"),
                );
                default
            }
        }
    }

    fn selector(&mut self, key: &str, critical: bool) -> Spanned<Selector> {
        let key_path = child_key(self.path, key);
        let loc = self.r.loc(&key_path);
        let selector = match self.map.get(key) {
            None => Selector::All,
            Some(Value::String(s)) if s == "all" => Selector::All,
            Some(Value::String(s)) if s == "critical" && critical => Selector::Critical,
            Some(Value::String(s)) => {
                let expected = if critical {
                    "`all`, `critical` or a list of ids"
                } else {
                    "`all` or a list of ids"
                };
                self.r
                    .error(&key_path, format!("must be {expected}, found `{s}`"));
                Selector::All
            }
            Some(v) => Selector::Ids(self.r.text_list(v, &key_path)),
        };
        Spanned::new(selector, loc)
    }

    fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    fn inner_number(&mut self, key: &str, inner: &str, range: policy::Range) -> Option<f64> {
        let value = self.map.get(key)?;
        let path = child_key(self.path, key);
        let map = self.r.map(value, &path, &[inner])?;
        let v = self.r.required(map, &path, inner)?;
        self.r
            .number(v, &child_key(&path, inner), reader_range(range))
    }

    fn error(&mut self, message: String) {
        self.r.error(self.path, message);
    }
}

fn reader_range(range: policy::Range) -> Range {
    match range {
        policy::Range::NonNegative => Range::NonNegative,
        policy::Range::Share => Range::Share,
    }
}
