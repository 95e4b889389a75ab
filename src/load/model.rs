//! Model files: which data to read, blocs, objective weights, policies, solver settings.

use serde_yaml::{Mapping, Value};

use super::limits::MAX_PATH_CHARS;
use super::reader::{Range, Reader};
use super::spans::{child_index, child_key};
use crate::diag::{Loc, Spanned};
use crate::network::Per;

pub const MODEL_KEYS: &[&str] = &["name", "data", "blocs", "objective", "policies", "solver"];
pub const POLICY_KINDS: &[&str] = &[
    "min_bloc_share",
    "max_country_share",
    "exclude_origin",
    "ramp_limit",
    "load_band",
    "site_volume",
    "emissions_cap",
    "min_fill_rate",
];

#[derive(Debug, Clone)]
pub struct RawModel {
    pub name: Option<Spanned<String>>,
    pub data: Vec<Spanned<String>>,
    pub blocs: Vec<(Spanned<String>, Vec<Spanned<String>>)>,
    pub objective: RawObjective,
    pub policies: Vec<RawPolicy>,
    pub solver: RawSolver,
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
}

/// `all`, `critical` (products only) or a list of ids.
#[derive(Debug, Clone, PartialEq)]
pub enum RawSelector {
    All,
    Critical,
    Ids(Vec<Spanned<String>>),
}

#[derive(Debug, Clone)]
pub struct RawPolicy {
    pub loc: Loc,
    pub index: usize,
    pub name: Option<Spanned<String>>,
    pub soft_penalty: Option<f64>,
    pub kind: RawPolicyKind,
}

#[derive(Debug, Clone)]
pub enum RawPolicyKind {
    MinBlocShare {
        bloc: Spanned<String>,
        min_share: f64,
        products: Spanned<RawSelector>,
        markets: Spanned<RawSelector>,
        per: Per,
    },
    MaxCountryShare {
        max_share: f64,
        products: Spanned<RawSelector>,
        markets: Spanned<RawSelector>,
        per: Per,
    },
    ExcludeOrigin {
        countries: Vec<Spanned<String>>,
        products: Spanned<RawSelector>,
        markets: Spanned<RawSelector>,
    },
    RampLimit {
        max_change: f64,
        sites: Spanned<RawSelector>,
    },
    LoadBand {
        min: f64,
        max: f64,
        sites: Spanned<RawSelector>,
    },
    SiteVolume {
        site: Spanned<String>,
        min: Option<f64>,
        max: Option<f64>,
        products: Spanned<RawSelector>,
    },
    EmissionsCap {
        max: f64,
        per: Per,
        products: Spanned<RawSelector>,
        markets: Spanned<RawSelector>,
        sites: Spanned<RawSelector>,
    },
    MinFillRate {
        min: f64,
        per: Per,
        products: Spanned<RawSelector>,
        markets: Spanned<RawSelector>,
    },
}

impl RawPolicyKind {
    pub fn kind_name(&self) -> &'static str {
        match self {
            RawPolicyKind::MinBlocShare { .. } => "min_bloc_share",
            RawPolicyKind::MaxCountryShare { .. } => "max_country_share",
            RawPolicyKind::ExcludeOrigin { .. } => "exclude_origin",
            RawPolicyKind::RampLimit { .. } => "ramp_limit",
            RawPolicyKind::LoadBand { .. } => "load_band",
            RawPolicyKind::SiteVolume { .. } => "site_volume",
            RawPolicyKind::EmissionsCap { .. } => "emissions_cap",
            RawPolicyKind::MinFillRate { .. } => "min_fill_rate",
        }
    }
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
    Some(RawModel {
        name,
        data,
        blocs,
        objective,
        policies,
        solver,
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
    let Some(map) = r.map(v, path, &["backend", "time_limit_s", "max_variables"]) else {
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
    let specific: &[&str] = match kind.as_str() {
        "min_bloc_share" => &["bloc", "min_share", "products", "markets", "per"],
        "max_country_share" => &["max_share", "products", "markets", "per"],
        "exclude_origin" => &["countries", "products", "markets"],
        "ramp_limit" => &["max_change", "sites"],
        "load_band" => &["min", "max", "sites"],
        "site_volume" => &["site", "min", "max", "products"],
        "emissions_cap" => &["max", "per", "products", "markets", "sites"],
        "min_fill_rate" => &["min", "per", "products", "markets"],
        other => {
            let loc = r.loc(&kind_path);
            r.diags.unknown(
                loc,
                "policy kind",
                other,
                POLICY_KINDS.iter().copied(),
                true,
            );
            return None;
        }
    };
    let allowed: Vec<&str> = COMMON_KEYS.iter().chain(specific).copied().collect();
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
    let mut p = PolicyReader { r, map, path };
    let kind = match kind.as_str() {
        "min_bloc_share" => {
            let bloc = p.text("bloc");
            let min_share = p.number("min_share", Range::Share);
            RawPolicyKind::MinBlocShare {
                bloc: bloc?,
                min_share,
                products: p.selector("products", true),
                markets: p.selector("markets", false),
                per: p.per(Per::Period),
            }
        }
        "max_country_share" => {
            let max_share = p.number("max_share", Range::Share);
            RawPolicyKind::MaxCountryShare {
                max_share,
                products: p.selector("products", true),
                markets: p.selector("markets", false),
                per: p.per(Per::Period),
            }
        }
        "exclude_origin" => {
            let countries =
                p.r.required(map, path, "countries")
                    .map(|c| p.r.text_list(c, &child_key(path, "countries")));
            RawPolicyKind::ExcludeOrigin {
                countries: countries?,
                products: p.selector("products", true),
                markets: p.selector("markets", false),
            }
        }
        "ramp_limit" => RawPolicyKind::RampLimit {
            max_change: p.number("max_change", Range::Share),
            sites: p.selector("sites", false),
        },
        "load_band" => {
            let min = p.optional("min", Range::Share).unwrap_or(0.0);
            let max = p.optional("max", Range::NonNegative).unwrap_or(1.0);
            if !map.contains_key("min") && !map.contains_key("max") {
                p.r.error(path, "a load_band needs `min`, `max` or both");
            }
            if min > max {
                p.r.error(path, format!("`min` ({min}) is greater than `max` ({max})"));
            }
            RawPolicyKind::LoadBand {
                min,
                max,
                sites: p.selector("sites", false),
            }
        }
        "site_volume" => {
            let site = p.text("site");
            let min = p.optional("min", Range::NonNegative);
            let max = p.optional("max", Range::NonNegative);
            if !map.contains_key("min") && !map.contains_key("max") {
                p.r.error(path, "a site_volume needs `min`, `max` or both");
            }
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi {
                    p.r.error(path, format!("`min` ({lo}) is greater than `max` ({hi})"));
                }
            }
            RawPolicyKind::SiteVolume {
                site: site?,
                min,
                max,
                products: p.selector("products", true),
            }
        }
        "emissions_cap" => {
            let max = p.number("max", Range::NonNegative);
            RawPolicyKind::EmissionsCap {
                max,
                per: p.per(Per::Horizon),
                products: p.selector("products", true),
                markets: p.selector("markets", false),
                sites: p.selector("sites", false),
            }
        }
        _ => {
            let min = p.number("min", Range::Share);
            RawPolicyKind::MinFillRate {
                min,
                per: p.per(Per::Horizon),
                products: p.selector("products", true),
                markets: p.selector("markets", false),
            }
        }
    };
    Some(RawPolicy {
        loc: r.loc(path),
        index,
        name,
        soft_penalty,
        kind,
    })
}

/// Field readers for one policy entry.
struct PolicyReader<'p, 'r, 'a> {
    r: &'p mut Reader<'r>,
    map: &'a Mapping,
    path: &'a str,
}

impl PolicyReader<'_, '_, '_> {
    fn text(&mut self, key: &str) -> Option<Spanned<String>> {
        let v = self.r.required(self.map, self.path, key)?;
        self.r.text(v, &child_key(self.path, key))
    }

    /// A required number. On a problem (already reported) it reads as 0 so that the
    /// policy's other fields are still checked.
    fn number(&mut self, key: &str, range: Range) -> f64 {
        self.r
            .required(self.map, self.path, key)
            .and_then(|v| self.r.number(v, &child_key(self.path, key), range))
            .unwrap_or(0.0)
    }

    fn optional(&mut self, key: &str, range: Range) -> Option<f64> {
        self.r.opt_number(self.map, self.path, key, range)
    }

    fn per(&mut self, default: Per) -> Per {
        let key_path = child_key(self.path, "per");
        match self.map.get("per").map(|v| (v.as_str(), v)) {
            None => default,
            Some((Some("period"), _)) => Per::Period,
            Some((Some("horizon"), _)) => Per::Horizon,
            Some((_, v)) => {
                let shown =
                    super::reader::scalar_text(v).unwrap_or_else(|| "a non-text value".into());
                self.r.error(
                    &key_path,
                    format!("must be `period` or `horizon`, found `{shown}`"),
                );
                default
            }
        }
    }

    fn selector(&mut self, key: &str, products: bool) -> Spanned<RawSelector> {
        let key_path = child_key(self.path, key);
        let loc = self.r.loc(&key_path);
        let selector = match self.map.get(key) {
            None => RawSelector::All,
            Some(Value::String(s)) if s == "all" => RawSelector::All,
            Some(Value::String(s)) if s == "critical" && products => RawSelector::Critical,
            Some(Value::String(s)) => {
                let expected = if products {
                    "`all`, `critical` or a list of ids"
                } else {
                    "`all` or a list of ids"
                };
                self.r
                    .error(&key_path, format!("must be {expected}, found `{s}`"));
                RawSelector::All
            }
            Some(v) => RawSelector::Ids(self.r.text_list(v, &key_path)),
        };
        Spanned::new(selector, loc)
    }
}
