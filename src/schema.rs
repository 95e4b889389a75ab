//! The JSON Schema of model and data files (`allyplan schema`), so that editors check
//! and complete them as they are typed (yaml-language-server, which VS Code's YAML
//! extension and other editors use).
//!
//! Draft-07: the draft yaml-language-server has supported longest and most fully
//! (`if`/`then`/`else`, `propertyNames`, `const`). One schema serves both kinds of file:
//! the root object lists every top-level key of either (so an editor completes them all
//! and rejects any other), and a file with `data:` is held to the model's keys, any
//! other file to the data keys. `--model` and `--data` give the two shapes alone.
//!
//! The policy part comes from the policy registry: each kind is a `oneOf` branch keyed by
//! its `kind` constant, closed to keys other than its own, `name` and `soft`. A key's
//! type, whether it is required and its default are found by reading an entry through
//! the kind's own [`PolicyKind::read`](crate::policy::PolicyKind::read) with a
//! [`ReadKeys`] that records each call instead of reading, so a new kind is described
//! without a line here. The rest of the format is written out below, one function per
//! section; the tests hold its keys to the loader's lists.

use serde_json::{json, Map, Value};

use crate::diag::{Loc, Spanned};
use crate::load::data::DATA_KEYS;
use crate::load::model::MODEL_KEYS;
use crate::load::overrides::SCALES;
use crate::network::{Per, BACKENDS, OPTIONAL_BACKENDS};
use crate::policy::{self, Kind, ReadKeys, Selector};

/// Which files a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaFor {
    /// Model and data files alike (the default).
    Both,
    Model,
    Data,
}

/// The schema, as pretty-printed JSON with a final newline.
pub fn schema_text(which: SchemaFor) -> String {
    let mut text = serde_json::to_string_pretty(&schema(which)).unwrap_or_default();
    text.push('\n');
    text
}

/// The schema as a JSON value.
pub fn schema(which: SchemaFor) -> Value {
    let model = model_properties();
    let data = data_properties();
    let (title, description, properties) = match which {
        SchemaFor::Both => {
            let mut all = data.clone();
            all.extend(model.clone());
            (
                "allyplan model or data file",
                "A model file (it has `data:`) holds policy: the data files it reads, blocs, \
                 objective weights, policies and solver settings. A data file holds facts: \
                 periods, products, sites, markets, lanes, demand and contracts.",
                all,
            )
        }
        SchemaFor::Model => (
            "allyplan model file",
            "Policy: the data files to read, blocs, objective weights, policies and solver \
             settings.",
            model.clone(),
        ),
        SchemaFor::Data => (
            "allyplan data file",
            "Facts: periods, products, sites, markets, lanes, demand and contracts. Any data \
             file may hold any of these sections; an id defined twice is an error.",
            data.clone(),
        ),
    };
    let mut root = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    // An empty data file is allowed (with a warning); an empty model is not.
    if which != SchemaFor::Model {
        root["type"] = json!(["object", "null"]);
    }
    match which {
        SchemaFor::Both => {
            root["if"] = json!({"required": ["data"]});
            root["then"] = json!({"propertyNames": {"enum": MODEL_KEYS}});
            root["else"] = json!({"propertyNames": {"enum": DATA_KEYS}});
        }
        SchemaFor::Model => root["required"] = json!(["data"]),
        SchemaFor::Data => {}
    }
    root
}

/// Each policy kind and its own keys (besides `kind`, `name` and `soft`), in registry
/// order: what the schema's policy branches are made from.
pub fn policy_kinds() -> Vec<(&'static str, &'static [&'static str])> {
    Kind::ALL.iter().map(|k| (k.name(), k.keys())).collect()
}

// ---------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------

/// Which numbers a key accepts.
#[derive(Clone, Copy)]
enum Num {
    NonNegative,
    Positive,
    Share,
}

fn number(range: Num) -> Value {
    match range {
        Num::NonNegative => json!({"type": "number", "minimum": 0}),
        Num::Positive => json!({"type": "number", "exclusiveMinimum": 0}),
        Num::Share => json!({"type": "number", "minimum": 0, "maximum": 1}),
    }
}

fn with(mut schema: Value, description: &str) -> Value {
    schema["description"] = json!(description);
    schema
}

fn num(range: Num, description: &str) -> Value {
    with(number(range), description)
}

/// A number, or a list with one per period.
fn per_period(range: Num, description: &str) -> Value {
    json!({
        "description": format!("{description} A number, or a list with one per period."),
        "anyOf": [number(range), {"type": "array", "items": number(range)}],
    })
}

/// An id, a name or a period label: text, or a number kept as written.
fn label(description: &str) -> Value {
    with(json!({"type": ["string", "number"]}), description)
}

fn labels(description: &str) -> Value {
    json!({
        "description": description,
        "type": "array",
        "items": {"type": ["string", "number"]},
    })
}

fn boolean(description: &str) -> Value {
    with(json!({"type": "boolean"}), description)
}

fn whole(minimum: u64, description: &str) -> Value {
    with(json!({"type": "integer", "minimum": minimum}), description)
}

/// `{product-id: number, ...}`.
fn per_product(range: Num, description: &str) -> Value {
    json!({
        "description": description,
        "type": "object",
        "additionalProperties": number(range),
    })
}

/// `{id: per-period number, ...}`.
fn per_id_per_period(range: Num, description: &str) -> Value {
    json!({
        "description": description,
        "type": "object",
        "additionalProperties": per_period(range, ""),
    })
}

fn per_key(description: &str, default: Per) -> Value {
    let default = match default {
        Per::Period => "period",
        Per::Horizon => "horizon",
    };
    json!({
        "description": format!("{description} Default `{default}`."),
        "enum": ["period", "horizon"],
    })
}

/// `all`, `critical` (when `critical`) or a list of ids.
fn selector(description: &str, critical: bool) -> Value {
    let words: &[&str] = if critical {
        &["all", "critical"]
    } else {
        &["all"]
    };
    let said = if critical {
        "`all`, `critical` (the critical products) or a list of ids"
    } else {
        "`all` or a list of ids"
    };
    json!({
        "description": format!("{description} {said}; default `all`."),
        "anyOf": [{"enum": words}, {"type": "array", "items": {"type": ["string", "number"]}}],
    })
}

/// A mapping closed to `properties`.
fn object(description: &str, properties: Vec<(&str, Value)>, required: &[&str]) -> Value {
    let mut schema = json!({
        "description": description,
        "type": "object",
        "properties": Map::from_iter(properties.into_iter().map(|(k, v)| (k.to_string(), v))),
        "additionalProperties": false,
    });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

fn list(description: &str, item: Value) -> Value {
    json!({"description": description, "type": "array", "items": item})
}

fn properties(list: Vec<(&str, Value)>) -> Map<String, Value> {
    list.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

// ---------------------------------------------------------------------------------------
// Data files
// ---------------------------------------------------------------------------------------

fn data_properties() -> Map<String, Value> {
    properties(vec![
        (
            "periods",
            labels("Ordered planning cycles (labels), e.g. [2027-01, 2027-02]."),
        ),
        (
            "products",
            list("Products made, shipped and demanded.", product()),
        ),
        ("sites", list("Production sites and hubs.", site())),
        ("markets", list("Where demand is.", market())),
        (
            "lanes",
            list(
                "A site ships to a market, site or hub only along a lane.",
                lane(),
            ),
        ),
        ("demand", list("Demand per market and product.", demand())),
        ("contracts", contracts()),
    ])
}

fn product() -> Value {
    object(
        "A product; any product may be a component of another (`bom`).",
        vec![
            ("id", label("The product's id.")),
            (
                "unit_value",
                num(
                    Num::NonNegative,
                    "$ per unit; the base of ad-valorem tariffs and of value content. Default 0.",
                ),
            ),
            (
                "critical",
                boolean("Selected by `critical`. Default false."),
            ),
            (
                "unmet_penalty",
                per_period(
                    Num::NonNegative,
                    "$ per unit of its demand not served (overrides the model's).",
                ),
            ),
            (
                "bom",
                per_product(
                    Num::NonNegative,
                    "Units of each component consumed per unit made: {component-id: units}.",
                ),
            ),
        ],
        &["id"],
    )
}

fn site() -> Value {
    let site_product = object(
        "How the site makes the product.",
        vec![
            (
                "rate",
                num(
                    Num::NonNegative,
                    "Units of the default resource (capacity) per unit made. Default 0 when \
                     `uses` is given.",
                ),
            ),
            ("cost", num(Num::NonNegative, "$ per unit made. Default 0.")),
            (
                "uses",
                per_product(
                    Num::NonNegative,
                    "Named resources loaded per unit made: {resource: units}.",
                ),
            ),
            (
                "min_run",
                num(
                    Num::Positive,
                    "Each period, 0 or at least this many units (a binary per period).",
                ),
            ),
        ],
        &[],
    );
    let overtime = object(
        "Overtime on the default resource.",
        vec![
            (
                "capacity",
                per_period(Num::NonNegative, "Capacity units of overtime per period."),
            ),
            (
                "cost",
                num(
                    Num::NonNegative,
                    "$ per capacity unit of overtime. Default 0.",
                ),
            ),
        ],
        &["capacity"],
    );
    let inventory = object(
        "Stock held at the end of a period.",
        vec![
            (
                "initial",
                per_product(
                    Num::NonNegative,
                    "Units held before the first period, by product.",
                ),
            ),
            (
                "holding_cost",
                per_product(
                    Num::NonNegative,
                    "$ per unit held at the end of a period, by product.",
                ),
            ),
            (
                "capacity",
                per_period(
                    Num::NonNegative,
                    "Cap on units held at the end of a period, all products.",
                ),
            ),
            (
                "product_capacity",
                per_id_per_period(
                    Num::NonNegative,
                    "Cap on end stock per product: {product-id: number or list per period}.",
                ),
            ),
            (
                "final",
                per_product(
                    Num::NonNegative,
                    "Units held at the end of the last period, at least, by product.",
                ),
            ),
        ],
        &[],
    );
    let open = json!({
        "description": "The site may open and close (a binary per period): every capacity is \
            multiplied by its open state. `true`/`false` give the state before the horizon at \
            no cost of opening or closing.",
        "anyOf": [
            {"type": "boolean"},
            object(
                "Opening and closing.",
                vec![
                    ("initially", boolean("Open before the horizon. Default true.")),
                    ("opening_cost", num(Num::NonNegative, "$ each time it opens. Default 0.")),
                    ("closing_cost", num(Num::NonNegative, "$ each time it closes. Default 0.")),
                ],
                &[],
            ),
        ],
    });
    let expansion = object(
        "Capacity that may be built once, in a period from `from` on.",
        vec![
            ("name", label("The expansion's name, unique at the site.")),
            (
                "resource",
                label("`default` (the site's capacity) or a named resource. Default `default`."),
            ),
            (
                "capacity",
                num(Num::NonNegative, "Capacity added from the build period on."),
            ),
            (
                "cost",
                num(Num::NonNegative, "$ once, when built. Default 0."),
            ),
            (
                "from",
                label("The first period it may be built in. Default the first period."),
            ),
            (
                "integer",
                boolean("Built whole (true, the default) or in any fraction (false)."),
            ),
        ],
        &["name", "capacity"],
    );
    object(
        "A production site, or a hub (`kind: hub`) that makes nothing and stores and forwards.",
        vec![
            ("id", label("The site's id.")),
            (
                "country",
                label("Its country: the origin of what it makes."),
            ),
            (
                "kind",
                with(
                    json!({"enum": ["site", "hub"]}),
                    "`site` (the default) or `hub`: makes nothing; stores and forwards.",
                ),
            ),
            (
                "capacity",
                per_period(
                    Num::NonNegative,
                    "The default resource: capacity units (e.g. hours) per period. Optional \
                     with `resources` and for hubs.",
                ),
            ),
            (
                "resources",
                per_id_per_period(
                    Num::NonNegative,
                    "Named capacity resources: {name: number or list per period}.",
                ),
            ),
            (
                "throughput",
                per_period(
                    Num::NonNegative,
                    "Units that may arrive per period, all products.",
                ),
            ),
            ("overtime", overtime),
            (
                "last_load",
                num(
                    Num::NonNegative,
                    "Load in the period before the horizon (for leveling and ramp limits).",
                ),
            ),
            (
                "products",
                json!({
                    "description": "What the site can make: {product-id: {rate, cost, uses, min_run}}.",
                    "type": "object",
                    "additionalProperties": site_product,
                }),
            ),
            ("inventory", inventory),
            (
                "fixed_cost",
                num(
                    Num::NonNegative,
                    "$ per period while open (a constant without `open`).",
                ),
            ),
            ("open", open),
            ("expansions", list("Capacity that may be built.", expansion)),
        ],
        &["id", "country"],
    )
}

fn market() -> Value {
    object(
        "A market: where demand is.",
        vec![
            ("id", label("The market's id.")),
            ("country", label("Its country.")),
        ],
        &["id", "country"],
    )
}

fn lane() -> Value {
    object(
        "A lane; (from, to, mode) is unique.",
        vec![
            ("from", label("The site or hub shipping.")),
            ("to", label("A market, site or hub.")),
            (
                "cost",
                json!({
                    "description": "$ per unit; or a map per product, {product-id: $ per unit} \
                        (a product missing from the map cannot use the lane). Default 0.",
                    "anyOf": [number(Num::NonNegative), per_product(Num::NonNegative, "")],
                }),
            ),
            (
                "lead_time",
                whole(0, "Whole periods between departure and arrival. Default 0."),
            ),
            (
                "tariff",
                num(
                    Num::NonNegative,
                    "Share of unit_value charged per unit. Default 0.",
                ),
            ),
            ("duty", num(Num::NonNegative, "$ per unit. Default 0.")),
            (
                "emissions",
                num(Num::NonNegative, "kg CO2e per unit. Default 0."),
            ),
            (
                "capacity",
                per_period(Num::NonNegative, "Units leaving per period, all products."),
            ),
            (
                "mode",
                label("Tells apart two lanes between the same pair, e.g. ocean and air."),
            ),
        ],
        &["from", "to"],
    )
}

fn demand() -> Value {
    object(
        "Demand of one product in one market.",
        vec![
            ("market", label("The market's id.")),
            ("product", label("The product's id.")),
            (
                "quantity",
                per_period(Num::NonNegative, "Units demanded per period."),
            ),
            (
                "unmet_penalty",
                per_period(
                    Num::NonNegative,
                    "$ per unit not served (overrides the product's and the model's; the \
                     selling price makes minimising cost maximise profit).",
                ),
            ),
        ],
        &["market", "product", "quantity"],
    )
}

fn contracts() -> Value {
    let mut contract = object(
        "Units shipped from `site` (of `products`) per window lie between `min` and `max`.",
        vec![
            ("name", label("The contract's name.")),
            ("site", label("The site or hub shipping.")),
            (
                "products",
                json!({
                    "description": "A product id or a list of them; default every product.",
                    "anyOf": [
                        {"type": ["string", "number"]},
                        {"type": "array", "items": {"type": ["string", "number"]}},
                    ],
                }),
            ),
            ("min", num(Num::NonNegative, "Least units per window.")),
            ("max", num(Num::NonNegative, "Most units per window.")),
            ("per", per_key("The window.", Per::Horizon)),
            (
                "shortfall_cost",
                num(
                    Num::NonNegative,
                    "$ per unit short of `min`; without it `min` is hard.",
                ),
            ),
        ],
        &["name", "site"],
    );
    contract["anyOf"] = json!([{"required": ["min"]}, {"required": ["max"]}]);
    list(
        "Long-term agreements (take-or-pay), in a data or the model file.",
        contract,
    )
}

// ---------------------------------------------------------------------------------------
// Model files
// ---------------------------------------------------------------------------------------

fn model_properties() -> Map<String, Value> {
    let mut backends: Vec<&str> = BACKENDS.to_vec();
    for b in OPTIONAL_BACKENDS {
        if !backends.contains(b) {
            backends.push(b);
        }
    }
    properties(vec![
        ("name", label("The model's name (names its output folder).")),
        (
            "data",
            json!({
                "description": "The data files to read, by paths relative to this file.",
                "anyOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"type": "string"}, "minItems": 1},
                ],
            }),
        ),
        (
            "blocs",
            json!({
                "description": "Named groups of countries, e.g. {usmca: [US, MX, CA]}.",
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": ["string", "number"]}},
            }),
        ),
        (
            "objective",
            object(
                "Weights of the objective.",
                vec![
                    (
                        "unmet_penalty",
                        num(Num::NonNegative, "Default $ per unit of unmet demand."),
                    ),
                    (
                        "leveling_weight",
                        num(
                            Num::NonNegative,
                            "$ per capacity unit of load change between consecutive periods.",
                        ),
                    ),
                    ("carbon_price", num(Num::NonNegative, "$ per kg CO2e.")),
                ],
                &[],
            ),
        ),
        (
            "policies",
            list(
                "Policies: each has `kind`; `name` is optional; `soft: {penalty: N}` makes \
                 it elastic.",
                policy_schema(),
            ),
        ),
        (
            "solver",
            object(
                "Solver settings.",
                vec![
                    (
                        "backend",
                        with(
                            json!({"enum": backends}),
                            "The solver; `highs` and `highs-simplex` need a build with HiGHS. \
                             Default `microlp` (`auto` for an integer model).",
                        ),
                    ),
                    (
                        "time_limit_s",
                        num(Num::Positive, "Seconds the solver may run."),
                    ),
                    (
                        "max_variables",
                        whole(1, "Ceiling on the estimated LP size, in variables."),
                    ),
                    (
                        "mip_gap",
                        num(
                            Num::Share,
                            "Relative MIP gap at which an integer model counts as optimal. \
                             Default 1e-4.",
                        ),
                    ),
                ],
                &[],
            ),
        ),
        ("contracts", contracts()),
        ("scenarios", scenarios()),
    ])
}

/// `scenarios:` of a model file: named what-ifs chosen with `--scenario`.
fn scenarios() -> Value {
    let scenario = object(
        "A what-if, applied by `--scenario NAME`: its `data`, then `set` and `scale`, then \
         `disable`.",
        vec![
            ("description", label("What the scenario asks.")),
            (
                "set",
                json!({
                    "description": "Overrides, as `--set` takes them: a mapping {PATH: VALUE} \
                        (PATH may end in `*` or `+` to scale or add) or a list of `PATH=VALUE`.",
                    "anyOf": [
                        {"type": "object"},
                        {"type": "array", "items": {"type": "string"}},
                    ],
                }),
            ),
            (
                "disable",
                json!({
                    "description": "Policies left out, by name or `#index`.",
                    "anyOf": [
                        {"type": ["string", "number"]},
                        {"type": "array", "items": {"type": ["string", "number"]}},
                    ],
                }),
            ),
            (
                "data",
                json!({
                    "description": "More data files, by paths relative to the model file.",
                    "anyOf": [
                        {"type": "string"},
                        {"type": "array", "items": {"type": "string"}},
                    ],
                }),
            ),
            (
                "scale",
                object(
                    "Factors on every demand quantity or site capacity.",
                    SCALES
                        .iter()
                        .map(|(what, _)| (*what, num(Num::NonNegative, "A factor, e.g. 1.15.")))
                        .collect(),
                    &[],
                ),
            ),
        ],
        &[],
    );
    json!({
        "description": "Named scenarios: {name: {description, set, disable, data, scale}}.",
        "type": "object",
        "additionalProperties": scenario,
    })
}

/// One policy entry: a `oneOf` branch per kind, generated from the registry.
fn policy_schema() -> Value {
    let branches: Vec<Value> = Kind::ALL.iter().map(|&k| policy_branch(k)).collect();
    json!({
        "description": "A policy.",
        "type": "object",
        "properties": {
            "kind": {"description": "The policy's kind.", "enum": policy::NAMES},
        },
        "required": ["kind"],
        "oneOf": branches,
    })
}

fn policy_branch(kind: Kind) -> Value {
    let mut recorder = Recorder::default();
    // The recorder answers every call, so the kind reads all of its keys.
    let _ = kind.read(&mut recorder);
    let mut props = vec![
        (
            "kind".to_string(),
            with(json!({"const": kind.name()}), kind.doc()),
        ),
        (
            "name".to_string(),
            label("The policy's name (in reports, shadow prices and `--disable`)."),
        ),
        (
            "soft".to_string(),
            object(
                "Makes the policy elastic: every unit of violation costs `penalty`.",
                vec![("penalty", num(Num::NonNegative, "$ per unit of violation."))],
                &["penalty"],
            ),
        ),
    ];
    let mut required = vec!["kind".to_string()];
    for &key in kind.keys() {
        let doc = kind
            .key_docs()
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, d)| *d);
        let (schema, needed) = match recorder.keys.iter().find(|(k, _, _)| k == key) {
            Some((_, shape, needed)) => (shape.schema(doc), *needed),
            None => (json!({"description": doc}), false),
        };
        if needed {
            required.push(key.to_string());
        }
        props.push((key.to_string(), schema));
    }
    json!({
        "title": kind.name(),
        "description": kind.doc(),
        "type": "object",
        "properties": Map::from_iter(props),
        "required": required,
        "additionalProperties": false,
    })
}

/// The type of a policy key, as its kind reads it.
#[derive(Debug, Clone)]
enum Shape {
    Text,
    TextList,
    Number(policy::Range),
    Per(Per),
    Selector { critical: bool },
    Inner(String, policy::Range),
}

impl Shape {
    fn schema(&self, doc: &str) -> Value {
        let range = |r: &policy::Range| match r {
            policy::Range::NonNegative => Num::NonNegative,
            policy::Range::Share => Num::Share,
        };
        match self {
            Shape::Text => label(doc),
            Shape::TextList => labels(doc),
            Shape::Number(r) => num(range(r), doc),
            Shape::Per(default) => per_key(doc, *default),
            Shape::Selector { critical } => selector(doc, *critical),
            Shape::Inner(inner, r) => object(
                doc,
                vec![(inner.as_str(), number(range(r)))],
                &[inner.as_str()],
            ),
        }
    }
}

/// A [`ReadKeys`] that reads nothing: it records each key asked for, its shape and
/// whether it is required, and answers so that the kind goes on to its other keys.
#[derive(Default)]
struct Recorder {
    keys: Vec<(String, Shape, bool)>,
}

impl Recorder {
    fn record(&mut self, key: &str, shape: Shape, required: bool) {
        if !self.keys.iter().any(|(k, _, _)| k == key) {
            self.keys.push((key.to_string(), shape, required));
        }
    }
}

fn nowhere() -> Loc {
    Loc::file("")
}

impl ReadKeys for Recorder {
    fn text(&mut self, key: &str) -> Option<Spanned<String>> {
        self.record(key, Shape::Text, true);
        Some(Spanned::new(String::new(), nowhere()))
    }

    fn text_list(&mut self, key: &str) -> Option<Vec<Spanned<String>>> {
        self.record(key, Shape::TextList, true);
        Some(Vec::new())
    }

    fn number(&mut self, key: &str, range: policy::Range) -> f64 {
        self.record(key, Shape::Number(range), true);
        0.0
    }

    fn optional(&mut self, key: &str, range: policy::Range) -> Option<f64> {
        self.record(key, Shape::Number(range), false);
        None
    }

    fn per(&mut self, default: Per) -> Per {
        self.record("per", Shape::Per(default), false);
        default
    }

    fn selector(&mut self, key: &str, critical: bool) -> Spanned<Selector> {
        self.record(key, Shape::Selector { critical }, false);
        Spanned::new(Selector::All, nowhere())
    }

    fn has(&self, _key: &str) -> bool {
        false
    }

    fn inner_number(&mut self, key: &str, inner: &str, range: policy::Range) -> Option<f64> {
        self.record(key, Shape::Inner(inner.to_string(), range), false);
        None
    }

    fn error(&mut self, _message: String) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_policy_key_has_a_type_and_a_description() {
        for &kind in Kind::ALL {
            assert!(!kind.doc().is_empty(), "{} has no DOC", kind.name());
            let mut recorder = Recorder::default();
            let _ = kind.read(&mut recorder);
            for key in kind.keys() {
                assert!(
                    recorder.keys.iter().any(|(k, _, _)| k == key),
                    "{}.{key}: its kind's read never asks for it",
                    kind.name()
                );
                assert!(
                    kind.key_docs()
                        .iter()
                        .any(|(k, d)| k == key && !d.is_empty()),
                    "{}.{key}: no entry in KEY_DOCS",
                    kind.name()
                );
            }
            for (k, _, _) in &recorder.keys {
                assert!(
                    kind.keys().contains(&k.as_str()),
                    "{}: read asks for `{k}`, which is not in KEYS",
                    kind.name()
                );
            }
        }
    }

    #[test]
    fn top_level_keys_are_the_loaders() {
        let model: Vec<String> = model_properties().keys().cloned().collect();
        let data: Vec<String> = data_properties().keys().cloned().collect();
        let mut expected_model: Vec<&str> = MODEL_KEYS.to_vec();
        let mut expected_data: Vec<&str> = DATA_KEYS.to_vec();
        expected_model.sort_unstable();
        expected_data.sort_unstable();
        assert_eq!(model, expected_model);
        assert_eq!(data, expected_data);
    }

    #[test]
    fn required_keys_and_defaults_come_from_the_kinds() {
        let s = schema(SchemaFor::Model);
        let branches = s["properties"]["policies"]["items"]["oneOf"]
            .as_array()
            .unwrap();
        let rvc = branches
            .iter()
            .find(|b| b["title"] == "regional_value_content")
            .unwrap();
        assert_eq!(rvc["required"], json!(["kind", "bloc", "min_share"]));
        assert_eq!(
            rvc["properties"]["preference"]["required"],
            json!(["tariff"])
        );
        assert!(rvc["properties"]["per"]["description"]
            .as_str()
            .unwrap()
            .ends_with("Default `period`."));
        let cap = branches
            .iter()
            .find(|b| b["title"] == "emissions_cap")
            .unwrap();
        assert!(cap["properties"]["per"]["description"]
            .as_str()
            .unwrap()
            .ends_with("Default `horizon`."));
        // `critical` only where the kind accepts it.
        assert_eq!(
            cap["properties"]["products"]["anyOf"][0]["enum"],
            json!(["all", "critical"])
        );
        assert_eq!(
            cap["properties"]["sites"]["anyOf"][0]["enum"],
            json!(["all"])
        );
    }
}
