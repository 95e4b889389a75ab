//! Stage 2: cross-file checks that turn the raw input into a typed [`Scenario`].
//!
//! Every problem is collected (unknown ids, duplicate ids, list lengths against the
//! periods, contradictory bounds) so that one run reports as many as possible.

mod countries;
mod decisions;
mod lanes;
mod limits;
mod policies;
mod scaling;
mod sites;
mod storage;
mod tiers;

use std::collections::HashMap;

use ndarray::{Array2, Array3};

use crate::diag::{Diagnostics, Loc, Spanned};
use crate::load::data::RawSite;
use crate::load::model::RawPolicy;
use crate::load::reader::PerPeriod;
use crate::load::{RawInput, RawModel};
use crate::network::{
    Bloc, Market, Network, Objective, Origins, Product, Site, SolverSettings, BACKENDS,
    DEFAULT_MIP_GAP, OPTIONAL_BACKENDS,
};
use crate::policy::Numbers;
use crate::scenario::Scenario;

/// Default $ per unit of unmet demand when neither the demand entry, the product nor the
/// model's objective gives one.
pub const DEFAULT_UNMET_PENALTY: f64 = 10_000.0;

/// Validates raw input. Returns a scenario only when there is no error.
pub fn validate(input: &RawInput, diags: &mut Diagnostics) -> Option<Scenario> {
    let model_loc = Loc::file(input.files[0].path.as_str());
    if !limits::counts(input, diags) {
        return None;
    }
    let mut scale = scaling::Scale::default();
    let mut v = Validator {
        diags,
        periods: Vec::new(),
        periods_defined: false,
        complete: input.complete,
    };
    v.periods(input, &model_loc);
    let n_periods = v.periods.len();

    let products = v.define(
        "product",
        input.data.iter().flat_map(|d| &d.products).map(|p| &p.id),
    );
    let sites = v.define(
        "site",
        input.data.iter().flat_map(|d| &d.sites).map(|s| &s.id),
    );
    let markets = v.define(
        "market",
        input.data.iter().flat_map(|d| &d.markets).map(|m| &m.id),
    );

    let raw_products: Vec<_> = input.data.iter().flat_map(|d| &d.products).collect();
    let raw_sites: Vec<&RawSite> = input.data.iter().flat_map(|d| &d.sites).collect();
    let raw_markets: Vec<_> = input.data.iter().flat_map(|d| &d.markets).collect();
    let n_products = raw_products.len();
    let n_sites = raw_sites.len();
    let n_markets = raw_markets.len();

    let n_raw_lanes = input.data.iter().map(|d| d.lanes.len()).sum();
    let shape = [n_sites, n_raw_lanes, n_markets, n_products, n_periods];
    if !limits::tables(input, &model_loc, shape, v.diags) {
        return None;
    }

    let objective = &input.model.objective;
    let default_penalty = objective.unmet_penalty.unwrap_or(DEFAULT_UNMET_PENALTY);

    // Products, with their unmet penalties resolved per period.
    let mut product_penalty = Array2::from_elem((n_products, n_periods), default_penalty);
    for (p, raw) in raw_products.iter().enumerate() {
        if let Some(pen) = &raw.unmet_penalty {
            if let Some(values) = v.per_period(pen, "unmet_penalty") {
                product_penalty
                    .row_mut(p)
                    .assign(&ndarray::Array1::from(values));
            }
        }
    }

    // Sites: capacity, resources, overtime, what they make, inventory.
    let sites_part = sites::sites(&mut v, &raw_sites, &products, n_products, &mut scale);
    let sites::SitesPart {
        capacity,
        overtime_capacity,
        make_index,
        makes,
        make_uses,
        resources,
        initial_inventory,
        holding_cost,
        storage_limits,
        final_stock,
        inventory_capacity,
        throughput,
    } = sites_part;

    for raw in &raw_markets {
        v.country(&raw.country, "market");
    }

    // Lanes.
    let lanes = lanes::lanes(
        &mut v,
        input,
        lanes::Ids {
            sites: &sites,
            markets: &markets,
            products: &products,
        },
        &raw_products,
        &mut scale,
    );

    // Products: bills of materials.
    let boms = tiers::boms(&mut v, &raw_products, &products, &mut scale);

    // Demand and unmet penalties.
    let mut demand = Array3::zeros((n_markets, n_products, n_periods));
    let mut unmet_penalty = Array3::zeros((n_markets, n_products, n_periods));
    for m in 0..n_markets {
        for p in 0..n_products {
            for t in 0..n_periods {
                unmet_penalty[[m, p, t]] = product_penalty[[p, t]];
            }
        }
    }
    let mut demand_seen: HashMap<(usize, usize), Loc> = HashMap::new();
    let mut demand_locs: Vec<((usize, usize), Loc)> = Vec::new();
    for raw in input.data.iter().flat_map(|d| &d.demand) {
        let m = v.lookup(&markets, "market", &raw.market);
        let p = v.lookup(&products, "product", &raw.product);
        let quantity = v.per_period(&raw.quantity, "quantity");
        let penalty = raw
            .unmet_penalty
            .as_ref()
            .and_then(|pen| v.per_period(pen, "unmet_penalty"));
        let (Some(m), Some(p)) = (m, p) else {
            continue;
        };
        if let Some(first) = demand_seen.get(&(m, p)) {
            v.diags.error(
                raw.loc.clone(),
                format!(
                    "demand for {} / {} is given twice (first at {first})",
                    raw.market.value, raw.product.value
                ),
            );
            continue;
        }
        demand_seen.insert((m, p), raw.loc.clone());
        demand_locs.push(((m, p), raw.loc.clone()));
        if let Some(q) = quantity {
            for (t, x) in q.into_iter().enumerate() {
                scale.bound(
                    x,
                    || format!("demand for {} at {}", raw.product.value, raw.market.value),
                    &raw.quantity.loc,
                );
                demand[[m, p, t]] = x;
            }
        }
        if let Some(pen) = penalty {
            for (t, x) in pen.into_iter().enumerate() {
                unmet_penalty[[m, p, t]] = x;
            }
        }
    }
    // No demand at all: the plan can only make what end stock or contracts ask for.
    if demand_locs.is_empty() && input.complete && !v.diags.has_errors() {
        v.diags.warning_help(
            model_loc.clone(),
            "no data file has any `demand`: the plan will make and ship nothing for markets",
            "add `demand:` entries (market, product, quantity per period) to a data file",
        );
    }
    // A market with demand no lane can serve is legal (all of it goes unmet) but rarely meant.
    for ((m, p), loc) in &demand_locs {
        for t in 0..n_periods {
            if demand[[*m, *p, t]] > 0.0 {
                scale.cost(
                    unmet_penalty[[*m, *p, t]],
                    || {
                        format!(
                            "unmet penalty of {} at {}",
                            raw_products[*p].id.value, raw_markets[*m].id.value
                        )
                    },
                    loc,
                );
            }
        }
    }

    // Blocs.
    let mut blocs = Vec::new();
    for (name, countries) in &input.model.blocs {
        if countries.is_empty() {
            v.diags.warning(
                name.loc.clone(),
                format!("bloc `{}` has no countries", name.value),
            );
        }
        for c in countries {
            v.country(c, "bloc");
        }
        blocs.push(Bloc {
            name: name.value.clone(),
            countries: countries.iter().map(|c| c.value.clone()).collect(),
        });
    }

    let solver = solver_settings(&input.model, v.diags);

    let scenario_sites: Vec<Site> = raw_sites
        .iter()
        .zip(inventory_capacity)
        .zip(throughput)
        .map(|((raw, inventory_capacity), throughput)| Site {
            id: raw.id.value.clone(),
            country: raw.country.value.clone(),
            hub: raw.hub,
            default_resource: !raw.hub && raw.capacity.is_some(),
            overtime_cost: raw.overtime.as_ref().map_or(0.0, |o| o.cost),
            last_load: raw.last_load,
            inventory_capacity,
            throughput,
        })
        .collect();
    let scenario_products: Vec<Product> = raw_products
        .iter()
        .zip(boms)
        .map(|(raw, bom)| Product {
            id: raw.id.value.clone(),
            unit_value: raw.unit_value,
            critical: raw.critical,
            bom,
        })
        .collect();
    let scenario_markets: Vec<Market> = raw_markets
        .iter()
        .map(|raw| Market {
            id: raw.id.value.clone(),
            country: raw.country.value.clone(),
        })
        .collect();

    let ids = policies::Ids {
        products: &products,
        sites: &sites,
        markets: &markets,
        product_list: &scenario_products,
        site_list: &scenario_sites,
        blocs: &input.model.blocs,
    };
    let policies = policies::resolve(&input.model.policies, &ids, v.diags);

    let countries: std::collections::HashSet<&str> =
        raw_sites.iter().map(|s| s.country.value.as_str()).collect();
    let estimate =
        limits::estimated_variables(n_sites, n_periods, &makes, &lanes, demand_locs.len())
            .saturating_add(limits::soft_slacks(
                &policies,
                [n_sites, n_markets, n_products, n_periods, countries.len()],
            ));
    limits::variables(input, &model_loc, estimate, v.diags);

    if v.diags.has_errors() {
        return None;
    }
    // Checks of a model that is valid but may not mean what it says.
    storage::forced_without_storage(
        &raw_sites,
        &policies,
        &make_index,
        &capacity,
        n_periods,
        v.diags,
    );
    if let Some(w) = objective.leveling_weight {
        scale.cost(w, || "objective.leveling_weight".to_string(), &model_loc);
    }
    for policy in &input.model.policies {
        policy_numbers(policy, &mut scale);
    }
    scale.warn(v.diags);
    let name = input
        .model
        .name
        .as_ref()
        .map(|n| n.value.clone())
        .unwrap_or_else(|| {
            input
                .model_path
                .file_stem()
                .map_or_else(|| "model".to_string(), |s| s.to_string_lossy().into_owned())
        });
    let bom_uses = tiers::bom_uses(&makes, &scenario_products);
    let decisions = decisions::decisions(
        &mut v,
        &raw_sites,
        input
            .data
            .iter()
            .flat_map(|d| &d.contracts)
            .chain(&input.model.contracts),
        decisions::Facts {
            sites: &sites,
            products: &products,
            n_products,
            makes: &makes,
            make_uses: &make_uses,
            make_index: &make_index,
            resources: &resources,
        },
    );
    if v.diags.has_errors() {
        return None;
    }
    let mut network = Network {
        periods: v.periods.clone(),
        products: scenario_products,
        sites: scenario_sites,
        markets: scenario_markets,
        lanes,
        makes,
        make_uses,
        resources,
        bom_uses,
        storage_limits,
        final_stock,
        decisions,
        origins: Origins::default(),
        make_index,
        capacity,
        overtime_capacity,
        initial_inventory,
        holding_cost,
        demand,
        unmet_penalty,
        blocs,
        objective: Objective {
            leveling_weight: objective.leveling_weight.unwrap_or(0.0),
            carbon_price: objective.carbon_price.unwrap_or(0.0),
        },
        site_ids: into_plain(sites),
        product_ids: into_plain(products),
        market_ids: into_plain(markets),
    };
    network.origins = tiers::origins(&network, &policies);
    tiers::reachable(&network, &raw_sites, &demand_locs, input.complete, v.diags);
    // Origin classes can multiply stock and shipment columns: check the size again now
    // that they are known (a one-tier network never grows past the first estimate).
    let refined = limits::estimated_with_origins(&network).saturating_add(limits::soft_slacks(
        &policies,
        [n_sites, n_markets, n_products, n_periods, countries.len()],
    ));
    if refined > estimate {
        limits::variables(input, &model_loc, refined, v.diags);
    }
    if v.diags.has_errors() {
        return None;
    }
    Some(Scenario {
        name,
        network,
        policies,
        solver,
        files: input.files.clone(),
        overrides: input.overrides.clone(),
    })
}

/// A policy's numbers, for the scaling check.
fn policy_numbers(policy: &RawPolicy, scale: &mut scaling::Scale) {
    if let Some(penalty) = policy.soft_penalty {
        scale.cost(penalty, || of_policy("soft penalty", policy), &policy.loc);
    }
    policy.rule.numbers(&mut PolicyNumbers { policy, scale });
}

/// "`what` of `policy`", the policy by its name or its place in the list.
fn of_policy(what: &str, policy: &RawPolicy) -> String {
    match &policy.name {
        Some(n) => format!("{what} of {}", n.value),
        None => format!("{what} of policies[{}]", policy.index),
    }
}

/// One policy's numbers into the scaling check.
struct PolicyNumbers<'a> {
    policy: &'a RawPolicy,
    scale: &'a mut scaling::Scale,
}

impl Numbers for PolicyNumbers<'_> {
    fn coefficient(&mut self, x: f64, what: &str) {
        let policy = self.policy;
        self.scale
            .coefficient(x, || of_policy(what, policy), &policy.loc);
    }

    fn bound(&mut self, x: f64, what: &str) {
        let policy = self.policy;
        self.scale.bound(x, || of_policy(what, policy), &policy.loc);
    }
}

fn solver_settings(model: &RawModel, diags: &mut Diagnostics) -> SolverSettings {
    let backend = match &model.solver.backend {
        None => "microlp".to_string(),
        Some(b) if BACKENDS.contains(&b.value.as_str()) => b.value.clone(),
        Some(b) if OPTIONAL_BACKENDS.contains(&b.value.as_str()) => {
            diags.error_help(
                b.loc.clone(),
                format!("solver backend `{}` is not built into this allyplan", b.value),
                "rebuild with `cargo build --release --features highs` (needs cmake and libclang-dev)",
            );
            "microlp".to_string()
        }
        Some(b) => {
            let (loc, word) = (b.loc.clone(), b.value.as_str());
            diags.unknown(loc, "solver backend", word, BACKENDS.iter().copied(), true);
            "microlp".to_string()
        }
    };
    SolverSettings {
        backend,
        backend_given: model.solver.backend.is_some(),
        time_limit_s: model.solver.time_limit_s,
        mip_gap: model.solver.mip_gap.unwrap_or(DEFAULT_MIP_GAP),
    }
}

fn into_plain(map: IdMap) -> HashMap<String, usize> {
    map.ids.into_iter().map(|(k, (i, _))| (k, i)).collect()
}

/// Ids of one kind → (index, where defined).
#[derive(Debug, Default)]
pub(crate) struct IdMap {
    pub ids: HashMap<String, (usize, Loc)>,
    /// False when some data file could not be read: an id missing here may be defined
    /// there, so unknown ids are not reported.
    pub complete: bool,
}

struct Validator<'d> {
    diags: &'d mut Diagnostics,
    periods: Vec<String>,
    /// False when no data file defines `periods` (already reported): lengths are then
    /// not checked against it.
    periods_defined: bool,
    /// Every data file was read (see `RawInput::complete`).
    complete: bool,
}

impl Validator<'_> {
    fn periods(&mut self, input: &RawInput, model_loc: &Loc) {
        let mut defined: Option<&Loc> = None;
        for data in &input.data {
            let Some(periods) = &data.periods else {
                continue;
            };
            if let Some(first) = defined {
                self.diags.error(
                    periods.loc.clone(),
                    format!("`periods` is defined twice (first at {first})"),
                );
                continue;
            }
            defined = Some(&periods.loc);
            self.periods_defined = !periods.value.is_empty();
            if periods.value.is_empty() {
                self.diags.error(periods.loc.clone(), "`periods` is empty");
            }
            let mut seen: HashMap<&str, &Loc> = HashMap::new();
            for label in &periods.value {
                if let Some(first) = seen.get(label.value.as_str()) {
                    self.diags.error(
                        label.loc.clone(),
                        format!(
                            "period `{}` is listed twice (first at {first})",
                            label.value
                        ),
                    );
                }
                seen.insert(&label.value, &label.loc);
            }
            self.periods = periods.value.iter().map(|p| p.value.clone()).collect();
        }
        if defined.is_none() && input.complete {
            self.diags.error_help(
                model_loc.clone(),
                "no data file defines `periods`",
                "add e.g. `periods: [2027-01, 2027-02]` to one data file",
            );
        }
    }

    /// Assigns indices to ids in order, reporting ids defined twice.
    fn define<'a>(&mut self, what: &str, ids: impl Iterator<Item = &'a Spanned<String>>) -> IdMap {
        let mut map = IdMap {
            ids: HashMap::new(),
            complete: self.complete,
        };
        for (i, id) in ids.enumerate() {
            if let Some((_, first)) = map.ids.get(&id.value) {
                self.diags.error(
                    id.loc.clone(),
                    format!("{what} `{}` is defined twice (first at {first})", id.value),
                );
                continue;
            }
            map.ids.insert(id.value.clone(), (i, id.loc.clone()));
        }
        map
    }

    fn lookup(&mut self, map: &IdMap, what: &str, id: &Spanned<String>) -> Option<usize> {
        lookup_id(self.diags, map, what, id)
    }

    /// One value per period: a scalar is repeated; a list must have one entry per period.
    fn per_period(&mut self, value: &Spanned<PerPeriod>, what: &str) -> Option<Vec<f64>> {
        let n = self.periods.len();
        if !self.periods_defined {
            return None;
        }
        match &value.value {
            PerPeriod::Scalar(x) => Some(vec![*x; n]),
            PerPeriod::List(list) if list.len() == n => Some(list.clone()),
            PerPeriod::List(list) => {
                self.diags.error(
                    value.loc.clone(),
                    format!(
                        "{what} has {} values but there are {n} periods (give one number, or one per period)",
                        list.len()
                    ),
                );
                None
            }
        }
    }

    fn country(&mut self, code: &Spanned<String>, used_by: &str) {
        if countries::is_known(&code.value) {
            return;
        }
        let message = format!(
            "`{}` in {used_by} is not an ISO 3166 two-letter country code",
            code.value
        );
        match countries::suggestion(&code.value) {
            Some(s) => {
                self.diags
                    .warning_help(code.loc.clone(), message, format!("did you mean `{s}`?"))
            }
            None => self.diags.warning(code.loc.clone(), message),
        }
    }
}

/// Looks up an id, reporting an unknown one with a suggestion.
pub(crate) fn lookup_id(
    diags: &mut Diagnostics,
    map: &IdMap,
    what: &str,
    id: &Spanned<String>,
) -> Option<usize> {
    if let Some((i, _)) = map.ids.get(&id.value) {
        return Some(*i);
    }
    if !map.complete {
        return None;
    }
    let candidates = map.ids.keys().map(String::as_str);
    diags.unknown(id.loc.clone(), what, &id.value, candidates, false);
    None
}
