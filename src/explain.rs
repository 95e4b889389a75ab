//! Infeasibility explanation: elastic relaxation and deletion filtering.
//!
//! When no plan satisfies every hard rule, [`explain`] finds a small set of rules that
//! conflict and says, in the planner's words, how much each would have to give.
//!
//! The method:
//! 1. **Groups.** The rules that may be relaxed are grouped: one group per hard policy,
//!    plus [`CAPACITY`] (every site's load row, which also covers its overtime bound: a
//!    slack on the row is capacity beyond regular and overtime) and [`STORAGE`] (every
//!    inventory-capacity row). Demand, inventory-balance and leveling rows are
//!    definitions and are never relaxed (unmet demand already makes demand elastic);
//!    soft policies are elastic already.
//! 2. **Elastic LP.** The scenario is rebuilt with every hard policy made soft, so each of
//!    its rows gets a slack column and the shipments a hard `exclude_origin` removes come
//!    back as columns; then a slack column is added to every capacity and storage row.
//!    *Enforcing* a group fixes its slack (or excluded-shipment) columns at 0, *relaxing*
//!    it prices them. With every group enforced the LP is the original model; with none
//!    enforced it is always feasible (make nothing, ship nothing).
//! 3. **Seed (elastic filter).** Minimise the weighted violation (physical limits weigh
//!    more than policies); enforce the groups the answer relaxes and solve again, until it
//!    turns infeasible: the enforced groups then hold a conflict.
//! 4. **Deletion filter.** Each seed group in turn (physical limits first, so that the
//!    conflict is told in terms of policy whenever it can be) is dropped when the rest
//!    still conflict. What remains is a minimal conflicting set of groups: giving up any
//!    one member resolves this conflict.
//! 5. **How much.** Each member is relaxed on its own with every other group enforced.
//!    Phase 1 minimises its violation; phase 2 keeps that violation and minimises the real
//!    cost, so the numbers describe a realistic plan. The rows that give become
//!    [`Finding`]s, one per place, with repeated periods summarised.
//!
//! Every solve goes through [`crate::solve`] with the scenario's backend.

use std::collections::BTreeMap;
use std::time::Instant;

use crate::allocation::{Allocation, LaneIndex};
use crate::error::Error;
use crate::fmt::qty;
use crate::lp::{build, BuiltModel, LpModel, RowKey, Sense, VarKey};
use crate::plan::{Explanation, Finding, Member, Place};
use crate::policy::{market_product, site_place, Gap, Side, When};
use crate::scenario::Scenario;
use crate::solve::{backend_for, solve, Backend, SolveOptions, SolveOutcome, SolveStatus};

/// Name of the group of every site's capacity row (regular plus overtime).
pub const CAPACITY: &str = "capacity";
/// Name of the group of every site's inventory-capacity row (all products, and per
/// product).
pub const STORAGE: &str = "storage";
/// Name of the group of every named resource's row.
pub const RESOURCES: &str = "resources";
/// Name of the group of every lane-capacity row.
pub const LANES: &str = "lane capacity";
/// Name of the group of every throughput row.
pub const THROUGHPUT: &str = "throughput";
/// Name of the group of every end-stock row.
pub const END_STOCK: &str = "end stock";
/// Name of the group of every contract's minimum and maximum (hard ones: a priced
/// shortfall already gives).
pub const CONTRACTS: &str = "contracts";

/// Penalty given to hard policies when the scenario is rebuilt elastic. Only its
/// presence matters (costs are replaced before every solve), but excluded shipments carry
/// it in their cost and it is taken off again for phase 2.
const ELASTIC_PENALTY: f64 = 1.0;
/// Weight of capacity and storage slack against policy slack in the seed solve.
const PHYSICAL_WEIGHT: f64 = 10.0;

/// Options for [`explain_with`].
#[derive(Debug, Clone, Default)]
pub struct ExplainOptions {
    /// Solver backend, instead of the scenario's `solver.backend`.
    pub backend: Option<String>,
    /// Time limit per solve, instead of the scenario's `solver.time_limit_s`.
    pub time_limit_s: Option<f64>,
    /// Skip solving the unchanged model first (the caller already found it infeasible).
    pub known_infeasible: bool,
}

/// Explains the scenario with its own solver settings.
pub fn explain(scenario: &Scenario) -> Result<Explanation, Error> {
    explain_with(scenario, &ExplainOptions::default())
}

/// Explains the scenario: solves it as is (unless `known_infeasible`), and when it is
/// infeasible finds a minimal conflicting set of rules and what each would have to give.
pub fn explain_with(scenario: &Scenario, options: &ExplainOptions) -> Result<Explanation, Error> {
    let start = Instant::now();
    let backend_name = options
        .backend
        .clone()
        .unwrap_or_else(|| scenario.solver.backend.clone());
    let solve_options = SolveOptions {
        time_limit_s: options.time_limit_s.or(scenario.solver.time_limit_s),
        log: false,
        mip_gap: Some(scenario.solver.mip_gap),
        ..SolveOptions::default()
    };
    let mut solves = 0;
    if !options.known_infeasible {
        let model = build(scenario);
        let backend = backend_for(&backend_name, &model.lp);
        let outcome = solve(&model.lp, backend.as_ref(), &solve_options);
        solves += 1;
        let summary = match outcome.status {
            SolveStatus::Infeasible => None,
            SolveStatus::Optimal => {
                Some("the model is feasible: a plan satisfies every rule".to_string())
            }
            SolveStatus::Unbounded => Some(
                "the model is feasible (but unbounded: its cost can fall without limit)"
                    .to_string(),
            ),
            other => return Err(stopped(backend.name(), &other, "the model")),
        };
        if let Some(summary) = summary {
            return Ok(Explanation {
                model: scenario.name.clone(),
                feasible: true,
                summary,
                conflict: Vec::new(),
                members: Vec::new(),
                findings: Vec::new(),
                notes: Vec::new(),
                solver: backend.name().to_string(),
                solves,
                seconds: start.elapsed().as_secs_f64(),
            });
        }
    }

    let mut elastic = Elastic::new(scenario, &backend_name, solve_options);
    elastic.solves = solves;
    if elastic.groups.is_empty() {
        return Err(Error::Other(format!(
            "model '{}' is infeasible, but it has no hard policy, capacity or storage limit \
             that could be the cause",
            scenario.name
        )));
    }
    let Some(seed) = elastic.seed()? else {
        let mut notes = Vec::new();
        if !options.known_infeasible {
            notes.push(
                "the solver first found the model infeasible, but a relaxed solve found a plan \
                 that breaks no rule (numerical trouble in the solver?)"
                    .to_string(),
            );
        }
        return Ok(Explanation {
            model: scenario.name.clone(),
            feasible: true,
            summary: "the model is feasible: a plan satisfies every rule".to_string(),
            conflict: Vec::new(),
            members: Vec::new(),
            findings: Vec::new(),
            notes,
            solver: elastic.backend.name().to_string(),
            solves: elastic.solves,
            seconds: start.elapsed().as_secs_f64(),
        });
    };
    let conflict = elastic.filter(seed)?;

    let mut members = Vec::new();
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    for &g in &conflict {
        let (values, together_with) = elastic.relax_member(g, &conflict)?;
        let group = &elastic.groups[g];
        if !together_with.is_empty() {
            notes.push(format!(
                "relaxing '{}' alone is not enough: {} must give as well",
                group.name,
                quoted_list(&together_with)
            ));
        }
        let mut group_findings = elastic.findings(g, &values);
        if group_findings.is_empty() {
            notes.push(format!(
                "'{}' gives only by amounts too small to show",
                group.name
            ));
        }
        findings.append(&mut group_findings);
        members.push(Member {
            name: group.name.clone(),
            kind: elastic.kind_of(g).to_string(),
            enough_alone: together_with.is_empty(),
            together_with,
        });
    }
    let conflict: Vec<String> = members.iter().map(|m| m.name.clone()).collect();
    let summary = match conflict.len() {
        1 => format!(
            "the model is infeasible: '{}' cannot hold with the rest of the model",
            conflict[0]
        ),
        _ => format!(
            "the model is infeasible: {} cannot all hold together",
            quoted_list(&conflict)
        ),
    };
    Ok(Explanation {
        model: scenario.name.clone(),
        feasible: false,
        summary,
        conflict,
        members,
        findings,
        notes,
        solver: elastic.backend.name().to_string(),
        solves: elastic.solves,
        seconds: start.elapsed().as_secs_f64(),
    })
}

fn stopped(solver: &str, status: &SolveStatus, what: &str) -> Error {
    let detail = match status {
        SolveStatus::Error(e) => format!(": {e}"),
        _ => String::new(),
    };
    Error::Other(format!(
        "cannot explain: the solver ({solver}) stopped on {what} with status {}{detail}",
        status.word()
    ))
}

fn quoted_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

// ---------------------------------------------------------------------------------------
// The elastic model
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupKind {
    /// Index into `Scenario::policies`.
    Policy(usize),
    Capacity,
    Storage,
    Resources,
    Lanes,
    Throughput,
    EndStock,
    Contracts,
}

struct Group {
    name: String,
    kind: GroupKind,
    /// Columns measuring the group's violation: slacks, or excluded shipments.
    columns: Vec<usize>,
}

struct Elastic<'a> {
    sc: &'a Scenario,
    /// The elastic LP (policy slacks from the build, physical slacks added) and the
    /// build's column tables; column and row indices match the elastic build.
    model: BuiltModel,
    /// Policy groups in model order, then capacity, then storage.
    groups: Vec<Group>,
    /// Per column: the groups whose violation it measures.
    column_groups: Vec<Vec<usize>>,
    /// Per column: its cost in the original model (0 for added slacks).
    real_cost: Vec<f64>,
    /// Per column: values at or below this are solver noise.
    tol: Vec<f64>,
    backend: Box<dyn Backend>,
    options: SolveOptions,
    solves: usize,
}

impl<'a> Elastic<'a> {
    fn new(sc: &'a Scenario, backend_name: &str, options: SolveOptions) -> Self {
        let mut elastic_sc = sc.clone();
        let mut hard = vec![false; sc.policies.len()];
        for (i, policy) in elastic_sc.policies.iter_mut().enumerate() {
            if policy.soft_penalty.is_none() {
                policy.soft_penalty = Some(ELASTIC_PENALTY);
                hard[i] = true;
            }
        }
        let built = build(&elastic_sc);

        // Copy the LP, adding a slack to every capacity and storage row.
        let source = &built.lp;
        let mut lp = LpModel::new();
        lp.columns = source.columns.clone();
        let mut capacity_columns = Vec::new();
        let mut storage_columns = Vec::new();
        let mut resource_columns = Vec::new();
        let mut lane_columns = Vec::new();
        let mut throughput_columns = Vec::new();
        let mut end_stock_columns = Vec::new();
        let mut contract_columns = Vec::new();
        for (i, row) in source.rows.iter().enumerate() {
            let mut terms = source.row_entries(i).to_vec();
            let physical = match row.key {
                // Capacity × open and overtime × open are capacity too: a closed site
                // could only make something with more capacity.
                RowKey::Capacity { .. }
                | RowKey::OpenCapacity { .. }
                | RowKey::OpenOvertime { .. } => Some(&mut capacity_columns),
                RowKey::InventoryCapacity { .. } | RowKey::ProductStorage { .. } => {
                    Some(&mut storage_columns)
                }
                RowKey::Resource { .. } | RowKey::OpenResource { .. } => {
                    Some(&mut resource_columns)
                }
                RowKey::ContractMin { .. } | RowKey::ContractMax { .. } => {
                    Some(&mut contract_columns)
                }
                RowKey::LaneCapacity { .. } => Some(&mut lane_columns),
                RowKey::Throughput { .. } => Some(&mut throughput_columns),
                RowKey::FinalStock { .. } => Some(&mut end_stock_columns),
                _ => None,
            };
            if let Some(list) = physical {
                let slack = lp.add_column(VarKey::Slack { row: i }, 0.0, f64::INFINITY);
                // A limit (≤) gives by taking more; a requirement (≥) by needing less.
                let sign = if row.sense == Sense::Ge { 1.0 } else { -1.0 };
                terms.push((slack, sign));
                list.push(slack);
            }
            lp.add_row(row.key, terms, row.sense, row.rhs);
        }

        // Which columns measure which policy's violation, and the original costs.
        let mut policy_columns: Vec<Vec<usize>> = vec![Vec::new(); sc.policies.len()];
        let mut real_cost: Vec<f64> = lp.columns.iter().map(|c| c.cost).collect();
        for (j, column) in lp.columns.iter().enumerate() {
            match column.key {
                VarKey::Slack { row } => {
                    if let RowKey::Policy { policy, .. } = lp.rows[row].key {
                        if hard[policy] {
                            policy_columns[policy].push(j);
                            real_cost[j] = 0.0;
                        }
                    }
                }
                VarKey::Shipment {
                    lane,
                    product,
                    class,
                    ..
                } => {
                    let l = &sc.lanes[lane];
                    let origin = &sc.origins.countries[shipment_origin(sc, lane, product, class)];
                    for (i, policy) in sc.policies.iter().enumerate() {
                        let Some(flows) = policy.rule.excluded() else {
                            continue;
                        };
                        if hard[i] && flows.covers(l, product, origin) {
                            policy_columns[i].push(j);
                            real_cost[j] -= ELASTIC_PENALTY;
                        }
                    }
                }
                _ => {}
            }
        }
        let mut groups: Vec<Group> = policy_columns
            .into_iter()
            .enumerate()
            .filter(|(_, columns)| !columns.is_empty())
            .map(|(i, columns)| Group {
                name: sc.policies[i].name.clone(),
                kind: GroupKind::Policy(i),
                columns,
            })
            .collect();
        for (name, kind, columns) in [
            (CAPACITY, GroupKind::Capacity, capacity_columns),
            (STORAGE, GroupKind::Storage, storage_columns),
            (RESOURCES, GroupKind::Resources, resource_columns),
            (LANES, GroupKind::Lanes, lane_columns),
            (THROUGHPUT, GroupKind::Throughput, throughput_columns),
            (END_STOCK, GroupKind::EndStock, end_stock_columns),
            (CONTRACTS, GroupKind::Contracts, contract_columns),
        ] {
            if !columns.is_empty() {
                groups.push(Group {
                    name: name.to_string(),
                    kind,
                    columns,
                });
            }
        }
        let mut column_groups = vec![Vec::new(); lp.columns.len()];
        for (g, group) in groups.iter().enumerate() {
            for &j in &group.columns {
                column_groups[j].push(g);
            }
        }

        // Noise tolerance: relative to the model's quantities, and to the row's own
        // right-hand side for slacks of large rows (emission caps).
        let scale = sc
            .demand
            .iter()
            .chain(sc.capacity.iter())
            .chain(sc.initial_inventory.iter())
            .fold(1.0_f64, |m, &v| m.max(v.abs()));
        let tol = lp
            .columns
            .iter()
            .map(|c| match c.key {
                VarKey::Slack { row } => 1e-6 * scale.max(lp.rows[row].rhs.abs()),
                _ => 1e-6 * scale,
            })
            .collect();

        let backend = backend_for(backend_name, &lp);
        Elastic {
            sc,
            model: BuiltModel {
                lp,
                columns: built.columns,
            },
            groups,
            column_groups,
            real_cost,
            tol,
            backend,
            options,
            solves: 0,
        }
    }

    fn kind_of(&self, g: usize) -> &'static str {
        match self.groups[g].kind {
            GroupKind::Policy(i) => self.sc.policies[i].rule.kind(),
            GroupKind::Capacity => CAPACITY,
            GroupKind::Storage => STORAGE,
            GroupKind::Resources => RESOURCES,
            GroupKind::Lanes => LANES,
            GroupKind::Throughput => THROUGHPUT,
            GroupKind::EndStock => END_STOCK,
            GroupKind::Contracts => CONTRACTS,
        }
    }

    fn run(&mut self, lp: &LpModel) -> SolveOutcome {
        self.solves += 1;
        solve(lp, self.backend.as_ref(), &self.options)
    }

    /// The elastic LP with the `enforce`d groups fixed at 0 and the others' violation
    /// priced by `price` (all other costs 0).
    fn phase1_lp(&self, enforce: &[bool], price: &[f64]) -> LpModel {
        let mut lp = self.model.lp.clone();
        for (j, column) in lp.columns.iter_mut().enumerate() {
            column.cost = 0.0;
            for &g in &self.column_groups[j] {
                if enforce[g] {
                    column.upper = 0.0;
                } else {
                    column.cost += price[g];
                }
            }
            if column.upper == 0.0 {
                column.cost = 0.0;
            }
        }
        lp
    }

    /// Is the model feasible with the `enforce`d groups held and the others dropped?
    fn feasible(&mut self, enforce: &[bool]) -> Result<bool, Error> {
        let lp = self.phase1_lp(enforce, &vec![0.0; self.groups.len()]);
        let outcome = self.run(&lp);
        match outcome.status {
            SolveStatus::Optimal => Ok(true),
            SolveStatus::Infeasible => Ok(false),
            other => Err(stopped(self.backend.name(), &other, "a relaxed model")),
        }
    }

    /// Phase 1: least priced violation with the `enforce`d groups held. `None` when even
    /// that is infeasible.
    fn phase1(&mut self, enforce: &[bool], price: &[f64]) -> Result<Option<Vec<f64>>, Error> {
        let lp = self.phase1_lp(enforce, price);
        let outcome = self.run(&lp);
        match (outcome.status, outcome.values) {
            (SolveStatus::Optimal, Some(values)) => Ok(Some(values)),
            (SolveStatus::Infeasible, _) => Ok(None),
            (other, _) => Err(stopped(self.backend.name(), &other, "a relaxed model")),
        }
    }

    /// Phases 1 and 2: the least violation, then the cheapest real plan with no more
    /// violation than that. Falls back to the phase-1 point when phase 2 does not solve.
    fn relax(&mut self, enforce: &[bool], price: &[f64]) -> Result<Option<Vec<f64>>, Error> {
        let lp1 = self.phase1_lp(enforce, price);
        let outcome = self.run(&lp1);
        let values = match (outcome.status, outcome.values) {
            (SolveStatus::Optimal, Some(values)) => values,
            (SolveStatus::Infeasible, _) => return Ok(None),
            (other, _) => return Err(stopped(self.backend.name(), &other, "a relaxed model")),
        };
        let violation = lp1.objective_of(&values);
        let budget_terms: Vec<(usize, f64)> = lp1
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.cost != 0.0)
            .map(|(j, c)| (j, c.cost))
            .collect();
        if budget_terms.is_empty() {
            return Ok(Some(values));
        }
        let mut lp2 = lp1;
        for (column, &cost) in lp2.columns.iter_mut().zip(&self.real_cost) {
            column.cost = if column.upper == 0.0 { 0.0 } else { cost };
        }
        // A little room so that solver round-off cannot make phase 2 infeasible.
        let slack_room = 1e-7 * violation.abs() + 1e-6;
        // The budget row Σ price·violation ≤ phase-1 optimum. This LP is internal and never
        // exported or named, so the row borrows the first row's key.
        let key = lp2.rows.first().map(|r| r.key);
        let Some(key) = key else {
            return Ok(Some(values));
        };
        lp2.add_row(key, budget_terms, Sense::Le, violation + slack_room);
        let outcome = self.run(&lp2);
        match (outcome.status, outcome.values) {
            (SolveStatus::Optimal, Some(better)) => Ok(Some(better)),
            _ => Ok(Some(values)),
        }
    }

    /// Whether a point relaxes group `g` beyond noise.
    fn uses(&self, g: usize, values: &[f64]) -> bool {
        self.groups[g]
            .columns
            .iter()
            .any(|&j| values[j] > self.tol[j])
    }

    /// Elastic filter: groups to enforce that contain a conflict; `None` when a relaxed
    /// solve breaks no rule at all (the model is feasible after all).
    fn seed(&mut self) -> Result<Option<Vec<bool>>, Error> {
        let n = self.groups.len();
        let weight: Vec<f64> = self
            .groups
            .iter()
            .map(|g| match g.kind {
                GroupKind::Policy(_) => 1.0,
                _ => PHYSICAL_WEIGHT,
            })
            .collect();
        let mut enforce = vec![false; n];
        loop {
            let Some(values) = self.phase1(&enforce, &weight)? else {
                return Ok(Some(enforce));
            };
            let used: Vec<usize> = (0..n)
                .filter(|&g| !enforce[g] && self.uses(g, &values))
                .collect();
            if used.is_empty() {
                // The point relaxes nothing beyond noise: it is a plan of the original model.
                return Ok(None);
            }
            for g in used {
                enforce[g] = true;
            }
        }
    }

    /// Deletion filter over the seed: a minimal conflicting set, in group order.
    fn filter(&mut self, mut set: Vec<bool>) -> Result<Vec<usize>, Error> {
        let physical = (0..self.groups.len())
            .filter(|&g| !matches!(self.groups[g].kind, GroupKind::Policy(_)));
        let policies =
            (0..self.groups.len()).filter(|&g| matches!(self.groups[g].kind, GroupKind::Policy(_)));
        let order: Vec<usize> = physical.chain(policies).collect();
        for g in order {
            if !set[g] {
                continue;
            }
            // With every group relaxed the model is feasible, so a lone member stays.
            if set.iter().filter(|&&s| s).count() == 1 {
                break;
            }
            set[g] = false;
            if self.feasible(&set)? {
                set[g] = true;
            }
        }
        Ok((0..self.groups.len()).filter(|&g| set[g]).collect())
    }

    /// The least-violating realistic plan that relaxes member `g` alone, every other group
    /// held; if that is infeasible (another conflict remains), the rest of the conflict is
    /// held and the groups outside it may give too; those that do are returned.
    fn relax_member(
        &mut self,
        g: usize,
        conflict: &[usize],
    ) -> Result<(Vec<f64>, Vec<String>), Error> {
        let n = self.groups.len();
        let mut enforce = vec![true; n];
        enforce[g] = false;
        let mut price = vec![0.0; n];
        price[g] = 1.0;
        if let Some(values) = self.relax(&enforce, &price)? {
            return Ok((values, Vec::new()));
        }
        let enforce: Vec<bool> = (0..n).map(|h| h != g && conflict.contains(&h)).collect();
        let price: Vec<f64> = enforce.iter().map(|&e| if e { 0.0 } else { 1.0 }).collect();
        let Some(values) = self.relax(&enforce, &price)? else {
            return Err(Error::Other(format!(
                "cannot explain: relaxing '{}' with everything outside the conflict is still \
                 infeasible (numerical trouble in the solver?)",
                self.groups[g].name
            )));
        };
        let others = (0..n)
            .filter(|&h| h != g && !enforce[h] && self.uses(h, &values))
            .map(|h| self.groups[h].name.clone())
            .collect();
        Ok((values, others))
    }

    // -----------------------------------------------------------------------------------
    // Findings
    // -----------------------------------------------------------------------------------

    fn findings(&self, g: usize, values: &[f64]) -> Vec<Finding> {
        let items = self.items(g, values);
        let mut by_place: BTreeMap<(Side, Place), Vec<Gap>> = BTreeMap::new();
        for item in items {
            by_place
                .entry((item.side, item.place.clone()))
                .or_default()
                .push(item);
        }
        let mut findings: Vec<Finding> = by_place
            .into_values()
            .filter_map(|mut items| {
                items.sort_by_key(|i| i.t);
                let total = items.iter().map(|i| i.shortfall).sum();
                let mut worst = items.first()?;
                for item in &items {
                    if item.shortfall > worst.shortfall * (1.0 + 1e-9) {
                        worst = item;
                    }
                }
                let periods: Vec<String> = items
                    .iter()
                    .filter_map(|i| i.t.map(|t| self.sc.periods[t].clone()))
                    .collect();
                Some(Finding {
                    group: self.groups[g].name.clone(),
                    kind: self.kind_of(g).to_string(),
                    place: worst.place.clone(),
                    worst_period: worst.t.map(|t| self.sc.periods[t].clone()),
                    shortfall: worst.shortfall,
                    total_shortfall: total,
                    unit: self.unit_of(g).to_string(),
                    limit: worst.limit,
                    actual: worst.actual,
                    sentence: self.sentence(g, worst, items.len()),
                    periods,
                })
            })
            .collect();
        findings.sort_by(|a, b| {
            b.shortfall
                .total_cmp(&a.shortfall)
                .then(b.total_shortfall.total_cmp(&a.total_shortfall))
                .then(a.place.cmp(&b.place))
        });
        findings
    }

    /// Unit of the amounts in group `g`'s findings.
    fn unit_of(&self, g: usize) -> &'static str {
        match self.groups[g].kind {
            GroupKind::Policy(i) => self.sc.policies[i].rule.unit(),
            GroupKind::Capacity => "capacity hours",
            GroupKind::Resources => "resource units",
            GroupKind::Storage
            | GroupKind::Lanes
            | GroupKind::Throughput
            | GroupKind::EndStock
            | GroupKind::Contracts => "units",
        }
    }

    /// Every row (or excluded flow) of group `g` that gives in the point.
    fn items(&self, g: usize, values: &[f64]) -> Vec<Gap> {
        let sc = self.sc;
        let lp = &self.model.lp;
        let alloc = Allocation::from_solution(sc, &self.model, values);
        let group = &self.groups[g];
        if let GroupKind::Policy(i) = group.kind {
            if sc.policies[i].rule.excluded().is_some() {
                return self.exclusion_items(g, values, &alloc);
            }
        }
        let mut out = Vec::new();
        for &j in &group.columns {
            let slack = values[j];
            if slack <= self.tol[j] {
                continue;
            }
            let VarKey::Slack { row } = lp.columns[j].key else {
                continue;
            };
            let gap = match (group.kind, lp.rows[row].key) {
                (GroupKind::Policy(i), RowKey::Policy { row: prow, .. }) => {
                    sc.policies[i].rule.gap(&prow, slack, sc, &alloc)
                }
                (
                    GroupKind::Capacity,
                    RowKey::Capacity { site, t }
                    | RowKey::OpenCapacity { site, t }
                    | RowKey::OpenOvertime { site, t },
                ) => {
                    // The capacity the plan has: × open, plus expansions built.
                    let cap = alloc.capacity(sc, site, t);
                    let overtime =
                        sc.overtime_capacity[[site, t]] * alloc.decisions.open[[site, t]];
                    Some(
                        Gap::new(Side::Max, site_place(sc, site), Some(t), slack).measured(
                            alloc.load(sc, site, t),
                            cap + overtime,
                            cap,
                        ),
                    )
                }
                (
                    GroupKind::Contracts,
                    key @ (RowKey::ContractMin { contract, window }
                    | RowKey::ContractMax { contract, window }),
                ) => {
                    let c = &sc.decisions.contracts[contract];
                    let mut place = site_place(sc, c.site);
                    place.contract = Some(c.name.clone());
                    let groups = c.per.groups(sc.n_periods());
                    let (t, periods) = groups.get(window).cloned().unwrap_or((None, Vec::new()));
                    let shipped = alloc.contract_shipped(sc, contract, &periods);
                    let (side, limit) = match key {
                        RowKey::ContractMin { .. } => (Side::Min, c.min),
                        _ => (Side::Max, c.max.unwrap_or(0.0)),
                    };
                    Some(Gap::new(side, place, t, slack).measured(shipped, limit, limit))
                }
                (GroupKind::Storage, RowKey::InventoryCapacity { site, t }) => Some(
                    Gap::new(Side::Max, site_place(sc, site), Some(t), slack).measured(
                        (0..sc.products.len())
                            .map(|p| alloc.inventory[[site, p, t]])
                            .sum(),
                        sc.sites[site]
                            .inventory_capacity
                            .as_ref()
                            .and_then(|c| c.get(t).copied())
                            .unwrap_or(0.0),
                        0.0,
                    ),
                ),
                (GroupKind::Storage, RowKey::ProductStorage { limit, t }) => {
                    let x = &sc.storage_limits[limit];
                    let mut place = site_place(sc, x.site);
                    place.product = Some(sc.products[x.product].id.clone());
                    Some(Gap::new(Side::Max, place, Some(t), slack).measured(
                        alloc.inventory[[x.site, x.product, t]],
                        x.capacity[t],
                        0.0,
                    ))
                }
                (GroupKind::Resources, RowKey::Resource { resource, t }) => {
                    let r = &sc.resources[resource];
                    let mut place = site_place(sc, r.site);
                    place.resource = Some(r.name.clone());
                    let used = alloc.resource_use(sc, resource, t);
                    Some(Gap::new(Side::Max, place, Some(t), slack).measured(
                        used,
                        r.capacity[t],
                        r.capacity[t],
                    ))
                }
                (GroupKind::Lanes, RowKey::LaneCapacity { lane, t }) => {
                    let place = Place {
                        lane: Some(sc.lane_label(lane)),
                        ..Place::default()
                    };
                    let sent = alloc.sent(lane, t);
                    let cap = sc.lanes[lane].capacity.as_ref().map_or(0.0, |c| c[t]);
                    Some(Gap::new(Side::Max, place, Some(t), slack).measured(sent, cap, cap))
                }
                (GroupKind::Throughput, RowKey::Throughput { site, t }) => {
                    let arrived = alloc.arrived(sc, &LaneIndex::new(sc), site, t);
                    let cap = sc.sites[site].throughput.as_ref().map_or(0.0, |c| c[t]);
                    Some(
                        Gap::new(Side::Max, site_place(sc, site), Some(t), slack)
                            .measured(arrived, cap, cap),
                    )
                }
                (GroupKind::EndStock, RowKey::FinalStock { site, product }) => {
                    let mut place = site_place(sc, site);
                    place.product = Some(sc.products[product].id.clone());
                    let last = sc.n_periods().saturating_sub(1);
                    let x = sc.final_stock[[site, product]];
                    Some(Gap::new(Side::Min, place, None, slack).measured(
                        alloc.inventory[[site, product, last]],
                        x,
                        x,
                    ))
                }
                _ => None,
            };
            out.extend(gap);
        }
        out
    }

    /// Excluded flows a group of a policy that excludes shipments (`exclude_origin`) lets
    /// through, by market, product and arrival period.
    fn exclusion_items(&self, g: usize, values: &[f64], alloc: &Allocation) -> Vec<Gap> {
        let sc = self.sc;
        let mut flows: BTreeMap<(usize, usize, usize), (f64, Vec<String>)> = BTreeMap::new();
        for &j in &self.groups[g].columns {
            let v = values[j];
            if v <= self.tol[j] {
                continue;
            }
            let VarKey::Shipment {
                lane,
                product,
                class,
                t,
            } = self.model.lp.columns[j].key
            else {
                continue;
            };
            let l = &sc.lanes[lane];
            let Some(market) = l.market() else {
                continue;
            };
            let entry = flows
                .entry((market, product, t + l.lead_time))
                .or_insert((0.0, Vec::new()));
            entry.0 += v;
            let site = &sc.sites[l.from];
            let country = &sc.origins.countries[shipment_origin(sc, lane, product, class)];
            let origin = if *country == site.country {
                format!("{} ({})", site.id, site.country)
            } else {
                format!("{country} via {}", site.id)
            };
            if !entry.1.contains(&origin) {
                entry.1.push(origin);
            }
        }
        flows
            .into_iter()
            .map(|((market, product, t), (units, mut origins))| {
                origins.sort();
                let total = alloc
                    .arrivals(sc, market, product, t)
                    .map(|(_, _, q)| q)
                    .sum();
                let place = market_product(sc, market, product);
                let mut gap =
                    Gap::new(Side::Max, place, Some(t), units).measured(units, 0.0, total);
                gap.origins = origins;
                gap
            })
            .collect()
    }

    /// `in 2027-03`, `in 7 of 12 months (worst 2027-03)` or `over the horizon`.
    fn when(&self, t: Option<usize>, count: usize) -> String {
        match t {
            None => "over the horizon".to_string(),
            Some(t) if count <= 1 => format!("in {}", self.sc.periods[t]),
            Some(t) => format!(
                "in {count} of {} {} (worst {})",
                self.sc.n_periods(),
                period_word(self.sc).1,
                self.sc.periods[t]
            ),
        }
    }

    /// The sentence of a finding: the worst gap at a place that gives in `count` periods.
    fn sentence(&self, g: usize, gap: &Gap, count: usize) -> String {
        let sc = self.sc;
        let (period, periods) = period_word(sc);
        let when = When {
            text: self.when(gap.t, count),
            label: gap.t.map_or("the horizon", |t| sc.periods[t].as_str()),
            count,
            period,
            periods,
        };
        let (site, when_text) = (gap.site(), &when.text);
        match self.groups[g].kind {
            GroupKind::Policy(i) => {
                let policy = &sc.policies[i];
                policy.rule.sentence(&policy.name, gap, &when, sc)
            }
            GroupKind::Capacity => {
                let t = gap.t.unwrap_or(0);
                let site_index = sc.site_ids.get(site).copied();
                let overtime = site_index.map_or(0.0, |s| sc.overtime_capacity[[s, t]]);
                let has = if overtime > 0.0 {
                    format!("{} regular and {} overtime", qty(gap.base), qty(overtime))
                } else {
                    qty(gap.base)
                };
                format!(
                    "capacity: {site} would need {} more capacity hours {when_text}: its load \
                     must reach {} but it has {has}",
                    qty(gap.shortfall),
                    qty(gap.actual)
                )
            }
            GroupKind::Storage => {
                let of = gap
                    .place
                    .product
                    .as_ref()
                    .map_or(String::new(), |p| format!(" of {p}"));
                format!(
                    "storage: {site} would need room for {} more units{of} {when_text}: it must \
                     hold {} at the end of the {period} but has room for {}",
                    qty(gap.shortfall),
                    qty(gap.actual),
                    qty(gap.limit)
                )
            }
            GroupKind::Resources => format!(
                "resources: {site} would need {} more units of {} {when_text}: its use must \
                 reach {} but it has {}",
                qty(gap.shortfall),
                gap.place.resource.as_deref().unwrap_or(""),
                qty(gap.actual),
                qty(gap.limit)
            ),
            GroupKind::Lanes => format!(
                "lane capacity: {} would need to carry {} more units {when_text}: {} must leave \
                 on it but it takes {}",
                gap.place.lane.as_deref().unwrap_or(""),
                qty(gap.shortfall),
                qty(gap.actual),
                qty(gap.limit)
            ),
            GroupKind::Throughput => format!(
                "throughput: {site} would need to take {} more units {when_text}: {} must arrive \
                 but it takes {}",
                qty(gap.shortfall),
                qty(gap.actual),
                qty(gap.limit)
            ),
            GroupKind::EndStock => format!(
                "end stock: {site} can hold at most {} of {} at the end of the horizon, {} short \
                 of the {} it must",
                qty(gap.actual),
                gap.product(),
                qty(gap.shortfall),
                qty(gap.limit)
            ),
            GroupKind::Contracts => {
                let name = gap.place.contract.as_deref().unwrap_or("");
                let when = if gap.t.is_some() {
                    when_text.clone()
                } else {
                    "over the horizon".to_string()
                };
                match gap.side {
                    Side::Min => format!(
                        "contracts: {name} needs {} units from {site} {when}, but at most {} can \
                         leave; {} short (give it a `shortfall_cost`, or lower `min`)",
                        qty(gap.limit),
                        qty(gap.actual),
                        qty(gap.shortfall)
                    ),
                    Side::Max => format!(
                        "contracts: {name} takes at most {} units from {site} {when}, but {} \
                         must leave; {} over",
                        qty(gap.limit),
                        qty(gap.actual),
                        qty(gap.shortfall)
                    ),
                }
            }
        }
    }
}

/// `("month", "months")` when every period label looks like `YYYY-MM`, else `period(s)`.
fn period_word(sc: &Scenario) -> (&'static str, &'static str) {
    let monthly = !sc.periods.is_empty()
        && sc.periods.iter().all(|p| {
            let b = p.as_bytes();
            b.len() == 7
                && b[4] == b'-'
                && b.iter()
                    .enumerate()
                    .all(|(i, c)| i == 4 || c.is_ascii_digit())
        });
    if monthly {
        ("month", "months")
    } else {
        ("period", "periods")
    }
}

/// The origin country (an index into `Origins::countries`) of a shipment column.
fn shipment_origin(sc: &Scenario, lane: usize, product: usize, class: Option<u16>) -> usize {
    let from = sc.lanes[lane].from;
    let k = class
        .or_else(|| sc.origins.at(from, product).first().copied())
        .unwrap_or(0);
    sc.origins.origin_country(product, k, from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmt::pct;

    #[test]
    fn numbers_read_like_a_planner_writes_them() {
        assert_eq!(qty(1150.0), "1,150");
        assert_eq!(qty(1437.5), "1,437.5");
        assert_eq!(qty(0.0), "0");
        assert_eq!(qty(-0.0000001), "0");
        assert_eq!(qty(1_234_567.04), "1,234,567");
        assert_eq!(pct(0.8), "80%");
        assert_eq!(pct(1150.0 / 1600.0), "71.9%");
        assert_eq!(pct(0.931), "93.1%");
        assert_eq!(pct(0.0), "0%");
    }

    #[test]
    fn lists_are_quoted_and_joined() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(quoted_list(&names(&["a"])), "'a'");
        assert_eq!(quoted_list(&names(&["a", "b", "c"])), "'a', 'b' and 'c'");
    }
}
