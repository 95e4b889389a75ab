//! The stages chained: load → validate → build → solve → verify → plan.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::allocation::Allocation;
use crate::diag::Diagnostics;
use crate::error::{Error, ExitCode};
use crate::explain::{explain_with, ExplainOptions};
use crate::load::Overrides;
use crate::lp::build;
use crate::plan::{Metadata, Plan, PlanStatus, RunInfo, WarmStartInfo, PLAN_FORMAT};
use crate::scenario::Scenario;
use crate::shadow::shadow_prices;
use crate::solve::{
    backend_for, bounded_below, fallbacks, feasible_at_lower_bounds, solve, Backend, Fitted,
    SolveOptions, SolveOutcome, SolveStatus, Start,
};
use crate::verify::{duality_check, verify, OPTIMALITY_TOLERANCE};

/// Environment variable for fault-injection tests: perturb the answer of the named
/// backend so that it fails verification.
pub const FAULT_PERTURB: &str = "ALLYPLAN_FAULT_PERTURB";

/// Loads and validates a model. On success, returns the scenario and any warnings.
pub fn check(model_path: &Path) -> Result<(Scenario, Diagnostics), Error> {
    check_with(model_path, &Overrides::default())
}

/// [`check`] with command-line overrides applied to the model first.
pub fn check_with(
    model_path: &Path,
    overrides: &Overrides,
) -> Result<(Scenario, Diagnostics), Error> {
    let (raw, mut diags) = crate::load::load(model_path, overrides);
    let Some(raw) = raw else {
        return Err(Error::InvalidInput(diags));
    };
    match crate::validate::validate(&raw, &mut diags) {
        Some(scenario) if !diags.has_errors() => Ok((scenario, diags)),
        _ => Err(Error::InvalidInput(diags)),
    }
}

/// Choices made on the command line that override the model's `solver` section.
#[derive(Debug, Clone, Default)]
pub struct SolveRequest {
    pub backend: Option<String>,
    pub time_limit_s: Option<f64>,
    /// On an infeasible model, find which policies conflict (a few more solves).
    pub explain_infeasible: bool,
    /// Let the backend print its log on stderr.
    pub solver_log: bool,
    /// Time limit when neither `time_limit_s` nor the model sets one (unattended runs:
    /// a batch never waits forever on one entry).
    pub default_time_limit_s: Option<f64>,
    /// When the job began (reading the model included): the time limit bounds the whole
    /// job from here. `None`: from the start of [`solve_scenario`].
    pub started_at: Option<Instant>,
    /// A previous solve to start from (its basis for an LP, its values for a MIP),
    /// matched to this model's columns and rows by name, where the backend takes one.
    pub start: Option<Arc<Start>>,
    /// Keep this solve's basis and values by name in [`Solved::start`], for the next.
    pub keep_start: bool,
    /// Threads the solver may use (`None`: its own choice; see `runs::batch` for jobs).
    pub threads: Option<usize>,
    /// For an integer model: also work out what each decision is worth (two more solves
    /// per decision).
    pub decision_values: bool,
}

impl SolveRequest {
    /// The model's own solver settings, explaining infeasible models.
    pub fn standard() -> Self {
        SolveRequest {
            backend: None,
            time_limit_s: None,
            explain_infeasible: true,
            solver_log: false,
            default_time_limit_s: None,
            started_at: None,
            start: None,
            keep_start: false,
            threads: None,
            decision_values: true,
        }
    }
}

/// A finished run: the plan (also for failures) and the exit code it calls for.
#[derive(Debug, Clone)]
pub struct Solved {
    pub plan: Plan,
    pub exit: ExitCode,
    /// The solver's column values behind the plan, when it has a point.
    pub values: Option<Vec<f64>>,
    /// The solve's values and basis by name, when [`SolveRequest::keep_start`] asked for
    /// them: a start for the next solve of a similar model.
    pub start: Option<Start>,
}

/// Builds, solves, verifies and assembles the plan of a validated scenario.
///
/// A backend's answer is accepted only when it holds up: an optimum must pass the
/// independent verifier and (with duals) the weak-duality check; a claim of
/// `unbounded` must not be ruled out by the signs of the costs and bounds, nor a claim
/// of `infeasible` by a point that satisfies every row; and a backend error is no
/// answer. Otherwise the next backend of [`fallbacks`] solves the model again, and
/// `metadata.solver_note` says why. A time-out is final: the time limit is the job's.
pub fn solve_scenario(sc: &Scenario, request: &SolveRequest) -> Solved {
    let build_start = Instant::now();
    let started = request.started_at.unwrap_or(build_start);
    let model = build(sc);
    let build_seconds = build_start.elapsed().as_secs_f64();

    let backend_name = request.backend.as_deref().unwrap_or(&sc.solver.backend);
    let time_limit_s = request
        .time_limit_s
        .or(sc.solver.time_limit_s)
        .or(request.default_time_limit_s);
    let integers = model.lp.has_integers();
    // An integer model whose backend nobody chose goes to one that solves it (`auto`).
    let backend_name = if integers && request.backend.is_none() && !sc.solver.backend_given {
        "auto"
    } else {
        backend_name
    };
    let first = backend_for(backend_name, &model.lp);
    if integers && !first.solves_integers() {
        return no_integer_solver(sc, &model, first.name(), time_limit_s, build_seconds);
    }
    // An integer model falls back only to backends that solve integer models.
    let mut queue = fallbacks(first.name(), &model.lp)
        .into_iter()
        .filter(|&b| !integers || backend_for(b, &model.lp).solves_integers())
        .collect::<Vec<_>>()
        .into_iter();
    let mut backend = first;
    let mut notes: Vec<String> = Vec::new();
    // Names are rendered only for warm starts.
    let names = (request.start.is_some() || request.keep_start).then(|| lp_names(sc, &model));
    let fitted: Option<Fitted> = match (&request.start, &names) {
        (Some(start), Some((columns, rows))) => {
            Some(start.fit(&model.lp, columns, rows)).filter(Fitted::useful)
        }
        _ => None,
    };
    loop {
        // The limit bounds the whole job: reading and building count, and a backend that
        // takes over gets only what is left. Nothing left: a time-out, without solving.
        let remaining = time_limit_s.map(|limit| limit - started.elapsed().as_secs_f64());
        let mut outcome = match remaining {
            Some(left) if left <= 0.0 => SolveOutcome::primal(SolveStatus::TimeLimit, None),
            _ => {
                // A MIP starts from the previous incumbent, an LP from the previous basis.
                let warm = fitted.as_ref();
                let options = SolveOptions {
                    time_limit_s: remaining,
                    log: request.solver_log,
                    mip_gap: Some(sc.solver.mip_gap),
                    start: warm.filter(|_| integers).and_then(|f| f.values.clone()),
                    basis: warm.filter(|_| !integers).and_then(|f| f.basis.clone()),
                    threads: request.threads,
                };
                solve(&model.lp, backend.as_ref(), &options)
            }
        };
        let basis = outcome.basis.take();
        if std::env::var(FAULT_PERTURB).as_deref() == Ok(backend.name()) {
            // Fault injection for tests: a wrong answer from this backend.
            if let Some(v) = outcome.values.as_mut().and_then(|v| v.first_mut()) {
                *v += 1.0;
            }
        }
        let mut metadata = metadata(
            sc,
            &model,
            backend.name(),
            time_limit_s,
            build_seconds,
            outcome.seconds,
        );
        metadata.warm_start =
            fitted
                .as_ref()
                .filter(|_| backend.takes_starts())
                .map(|f| WarmStartInfo {
                    from: request
                        .start
                        .as_ref()
                        .map(|s| s.label.clone())
                        .unwrap_or_default(),
                    start_columns: f.start_columns,
                    start_rows: f.start_rows,
                    columns_matched: f.matched_columns,
                    rows_matched: f.matched_rows,
                    basis: f.basis.is_some() && !integers,
                    values: f.values.is_some() && integers,
                });
        let mut solved = match judge(sc, &model, backend.as_ref(), outcome, metadata) {
            Judged::Accepted(solved) => solved,
            Judged::Rejected { reason, solved } => match queue.next() {
                Some(next) => {
                    notes.push(format!("{reason}; solved again with {next}"));
                    backend = backend_for(next, &model.lp);
                    continue;
                }
                None => {
                    notes.push(reason);
                    solved
                }
            },
        };
        if integers && request.decision_values && solved.exit == ExitCode::Ok {
            if let Some(values) = &solved.values {
                let left = time_limit_s.map(|limit| limit - started.elapsed().as_secs_f64());
                let budget = crate::decision_values::Budget {
                    backend: backend.name(),
                    time_left_s: left,
                    solve_seconds: solved.plan.metadata.run.solve_seconds,
                    mip_gap: sc.solver.mip_gap,
                };
                crate::decision_values::fill(sc, &model, values, &budget, &mut solved.plan);
            }
        }
        if solved.exit == ExitCode::Infeasible && request.explain_infeasible {
            // The backend asked for, unless another had to take over.
            let explain_backend = if notes.is_empty() {
                backend_name
            } else {
                backend.name()
            };
            let left = time_limit_s.map(|limit| limit - started.elapsed().as_secs_f64());
            if left.is_some_and(|l| l <= 0.0) {
                solved.plan.message = Some(format!(
                    "{} (not explained: the time limit was used up)",
                    solved.plan.message.clone().unwrap_or_default()
                ));
            } else {
                let options = ExplainOptions {
                    backend: Some(explain_backend.to_string()),
                    time_limit_s: left,
                    known_infeasible: true,
                };
                explain_into(sc, &options, &mut solved.plan);
            }
        }
        if !notes.is_empty() {
            solved.plan.metadata.solver_note = Some(notes.join("; then "));
        }
        if let (true, Some((columns, rows))) = (request.keep_start, names) {
            if solved.values.is_some() {
                solved.start = Some(Start {
                    columns,
                    rows,
                    values: solved.values.clone(),
                    basis,
                    label: String::new(),
                });
            }
        }
        return solved;
    }
}

fn metadata(
    sc: &Scenario,
    model: &crate::lp::BuiltModel,
    solver: &str,
    time_limit_s: Option<f64>,
    build_seconds: f64,
    solve_seconds: f64,
) -> Metadata {
    Metadata {
        plan_format: PLAN_FORMAT,
        tool: env!("CARGO_PKG_NAME").to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        model_name: sc.name.clone(),
        inputs: sc.files.clone(),
        solver: solver.to_string(),
        time_limit_s,
        variables: model.lp.columns.len(),
        rows: model.lp.rows.len(),
        nonzeros: model.lp.n_nonzeros(),
        run: RunInfo {
            generated_at: RunInfo::now(),
            build_seconds,
            solve_seconds,
            verify_seconds: 0.0,
        },
        overrides: sc.overrides.clone(),
        solver_note: None,
        warm_start: None,
    }
}

/// The names of the LP's columns and rows, by which a warm start is matched.
fn lp_names(sc: &Scenario, model: &crate::lp::BuiltModel) -> (Vec<String>, Vec<String>) {
    let namer = crate::lp::Namer::new(sc);
    (
        namer.columns(&model.lp).collect(),
        namer.rows(&model.lp).collect(),
    )
}

/// How shadow prices of an integer model are labelled.
pub const FIXED_LP_BASIS: &str = "the LP with every integer decision fixed at its optimal value";

/// The plan of an integer model given to a backend that cannot solve one: an input
/// error that names what makes the model integer.
fn no_integer_solver(
    sc: &Scenario,
    model: &crate::lp::BuiltModel,
    backend: &str,
    time_limit_s: Option<f64>,
    build_seconds: f64,
) -> Solved {
    let mut features = sc.integer_features();
    let mut preferences: Vec<usize> = model
        .lp
        .columns
        .iter()
        .filter_map(|c| match c.key {
            crate::lp::VarKey::PolicyDecision { policy, .. } => Some(policy),
            _ => None,
        })
        .collect();
    preferences.dedup();
    for p in preferences {
        features.push(format!("`preference` of {}", sc.policies[p].name));
    }
    let how = if cfg!(feature = "highs") {
        "solve with `--solver highs` (HiGHS's MIP solver) or `auto`"
    } else {
        "this build has no MIP solver: rebuild with the `highs` feature (the default)"
    };
    let message = format!(
        "the model has integer decisions ({}), which the {backend} backend cannot solve; {how}",
        features.join(", ")
    );
    let metadata = metadata(sc, model, backend, time_limit_s, build_seconds, 0.0);
    let plan = crate::assemble::plan_without_solution(
        sc,
        &SolveStatus::Error(message.clone()),
        message,
        metadata,
    );
    Solved {
        plan,
        exit: ExitCode::InvalidInput,
        values: None,
        start: None,
    }
}

/// A backend's answer, judged.
enum Judged {
    /// The answer stands (optimal and verified, a confirmed infeasibility, a time-out…).
    Accepted(Solved),
    /// The answer does not hold up; `solved` stands if no other backend is left.
    Rejected { reason: String, solved: Solved },
}

fn judge(
    sc: &Scenario,
    model: &crate::lp::BuiltModel,
    backend: &dyn Backend,
    outcome: SolveOutcome,
    mut metadata: Metadata,
) -> Judged {
    let name = backend.name();
    let without = |status: &SolveStatus, message: String, metadata: Metadata| {
        crate::assemble::plan_without_solution(sc, status, message, metadata)
    };
    // An answer that does not hold up: if no other backend is left, the plan is an error
    // that says why.
    let failed = |reason: String, metadata: Metadata| {
        let message = format!("the solver failed: {reason}");
        let plan = without(&SolveStatus::Error(reason.clone()), message, metadata);
        Judged::Rejected {
            reason,
            solved: Solved {
                plan,
                exit: ExitCode::SolverFailure,
                values: None,
                start: None,
            },
        }
    };
    let mip = outcome.mip;
    let values = match (&outcome.status, outcome.values) {
        (SolveStatus::Optimal, Some(values)) => values,
        // A MIP stopped by the clock with an incumbent: the best plan found stands,
        // verified, with its gap, and is never called optimal.
        (SolveStatus::TimeLimit, Some(values)) if model.lp.has_integers() => values,
        (SolveStatus::Optimal, None) => {
            return failed(
                format!("{name} reported an optimum but returned no point"),
                metadata,
            );
        }
        (SolveStatus::Infeasible, _) => {
            if feasible_at_lower_bounds(&model.lp) {
                return failed(format!("{name} claimed the model infeasible, but the plan that makes and ships nothing satisfies every row"), metadata);
            }
            let message =
                "the model is infeasible: no plan satisfies every hard constraint and policy"
                    .to_string();
            return Judged::Accepted(Solved {
                plan: without(&outcome.status, message, metadata),
                exit: ExitCode::Infeasible,
                values: None,
                start: None,
            });
        }
        (SolveStatus::Unbounded, _) => {
            if bounded_below(&model.lp) {
                return failed(format!("{name} claimed the model unbounded, but no cost can fall below zero (every cost and every variable is non-negative)"), metadata);
            }
            let message = "the model is unbounded: the cost can fall without limit (a negative cost with no bound?)".to_string();
            let plan = without(&outcome.status, message, metadata);
            return Judged::Accepted(Solved {
                plan,
                exit: ExitCode::Unbounded,
                values: None,
                start: None,
            });
        }
        (SolveStatus::TimeLimit, _) => {
            let message = format!(
                "the solver stopped at the time limit ({} s) without proving optimality",
                metadata.time_limit_s.unwrap_or(0.0)
            );
            let plan = without(&outcome.status, message, metadata);
            return Judged::Accepted(Solved {
                plan,
                exit: ExitCode::SolverFailure,
                values: None,
                start: None,
            });
        }
        (SolveStatus::Error(e), _) => {
            let reason = format!("{name} failed: {e}");
            let plan = without(&outcome.status, format!("the solver failed: {e}"), metadata);
            return Judged::Rejected {
                reason,
                solved: Solved {
                    plan,
                    exit: ExitCode::SolverFailure,
                    values: None,
                    start: None,
                },
            };
        }
    };

    let verify_start = Instant::now();
    let allocation = Allocation::from_solution(sc, model, &values);
    let objective = model.lp.objective_of(&values);
    let verification = verify(sc, &allocation, objective);
    metadata.run.verify_seconds = verify_start.elapsed().as_secs_f64();
    let passed = verification.passed;
    let (worst, at) = (
        verification.worst_violation,
        verification.worst_constraint.clone().unwrap_or_default(),
    );
    let mut plan = crate::assemble::plan_from_solution(
        sc,
        model,
        &values,
        &allocation,
        verification,
        metadata,
    );
    let time_limited = outcome.status == SolveStatus::TimeLimit;
    let mut row_duals = outcome.row_duals;
    let mut reduced_costs = outcome.reduced_costs;
    let mut dual_model = None;
    if let Some(info) = mip {
        let result = crate::plan::MipResult {
            gap: if info.gap.is_finite() {
                info.gap.max(0.0)
            } else {
                f64::INFINITY
            },
            target_gap: sc.solver.mip_gap,
            bound: info.bound,
            nodes: info.nodes,
        };
        plan.decisions.get_or_insert_with(Default::default).mip = Some(result);
        // Shadow prices of a MIP: the LP with every integer fixed at its value.
        if passed && !time_limited {
            let fixed = crate::decision_values::fixed_lp(model, &values);
            let simplex = backend_for("highs-simplex", &fixed.lp);
            let options = SolveOptions::default();
            let lp_outcome = solve(&fixed.lp, simplex.as_ref(), &options);
            if lp_outcome.status == SolveStatus::Optimal {
                row_duals = lp_outcome.row_duals;
                reduced_costs = lp_outcome.reduced_costs;
                dual_model = Some((fixed, lp_outcome.values.unwrap_or_default()));
            }
        }
    }
    let (dual_lp, dual_values) = match &dual_model {
        Some((fixed, v)) => (fixed, v.as_slice()),
        None => (model, values.as_slice()),
    };
    match &row_duals {
        Some(duals) => {
            let mut prices =
                shadow_prices(sc, dual_lp, dual_values, duals, reduced_costs.as_deref());
            if dual_model.is_some() {
                prices.basis = Some(FIXED_LP_BASIS.to_string());
            }
            plan.shadow_prices = Some(prices);
        }
        None if mip.is_some() => {
            plan.duals_note = Some(if time_limited {
                "no shadow prices: the search stopped at the time limit".to_string()
            } else {
                "no shadow prices: the LP with the integer decisions fixed could not be solved"
                    .to_string()
            });
        }
        None => {
            plan.duals_note = Some(format!(
                "{name} gives no shadow prices; solve with --solver highs (or clarabel) to get them"
            ));
        }
    }
    if !passed {
        // Never report an unverified plan as optimal.
        plan.status = PlanStatus::Error;
        plan.message = Some("the solver's plan failed independent verification".to_string());
        return Judged::Rejected {
            reason: format!(
                "{name} failed independent verification (worst violation {worst:.1e}, {at})"
            ),
            solved: Solved {
                plan,
                exit: ExitCode::VerificationFailed,
                values: None,
                start: None,
            },
        };
    }
    // A feasible plan can still be short of optimal when the solver's tolerances give
    // way (a penalty of 1e13 next to a cost of 0.001). With duals, weak duality bounds
    // how far; past the tolerance the plan is not reported as optimal.
    if time_limited {
        let gap = plan
            .decisions
            .as_ref()
            .and_then(|d| d.mip)
            .map_or(f64::INFINITY, |m| m.gap);
        plan.status = PlanStatus::TimeLimit;
        plan.message = Some(format!(
            "the solver stopped at the time limit ({} s) with a feasible plan, {} from the best bound (asked for {})",
            plan.metadata.time_limit_s.unwrap_or(0.0),
            crate::fmt::gap_words(gap),
            crate::fmt::gap_words(sc.solver.mip_gap),
        ));
        return Judged::Accepted(Solved {
            plan,
            exit: ExitCode::SolverFailure,
            values: Some(values),
            start: None,
        });
    }
    if let Some(duals) = &row_duals {
        let check = duality_check(&dual_lp.lp, dual_values, duals);
        if !check.passed() {
            let reason = format!(
                "{name} reported an optimum it did not prove: the plan costs {:.6e} but the solver's duals only bound the optimum at {:.6e} (relative gap {:.1e}, tolerance {:.0e})",
                check.primal, check.dual, check.relative_gap, OPTIMALITY_TOLERANCE
            );
            plan.status = PlanStatus::Error;
            plan.message = Some(format!(
                "{reason}; badly scaled input causes this (see the warnings): rescale it, or solve with another backend"
            ));
            return Judged::Rejected {
                reason,
                solved: Solved {
                    plan,
                    exit: ExitCode::SolverFailure,
                    values: None,
                    start: None,
                },
            };
        }
    }
    Judged::Accepted(Solved {
        plan,
        exit: ExitCode::Ok,
        values: Some(values),
        start: None,
    })
}

/// Explains an infeasible plan in place: which policies conflict and what each must give.
fn explain_into(sc: &Scenario, options: &ExplainOptions, plan: &mut Plan) {
    match explain_with(sc, options) {
        Ok(explanation) => {
            plan.message = Some(explanation.summary.clone());
            plan.explanation = Some(explanation);
        }
        Err(e) => {
            plan.message = Some(format!(
                "{} (no explanation: {e})",
                plan.message.clone().unwrap_or_default()
            ));
        }
    }
}

/// What [`solve_to_dir`] did.
#[derive(Debug, Clone)]
pub struct Written {
    pub solved: Solved,
    /// The folder the reports went to.
    pub dir: PathBuf,
    pub files: Vec<PathBuf>,
    /// Warnings from validation.
    pub warnings: Diagnostics,
}

/// The whole job for one model: load and validate (with overrides), build, solve,
/// verify, and write every report into `out` (default `out/<model name>`).
pub fn solve_to_dir(
    model_path: &Path,
    overrides: &Overrides,
    request: &SolveRequest,
    out: Option<&Path>,
) -> Result<Written, Error> {
    let started_at = request.started_at.unwrap_or_else(Instant::now);
    let (scenario, warnings) = check_with(model_path, overrides)?;
    let request = SolveRequest {
        started_at: Some(started_at),
        ..request.clone()
    };
    let solved = solve_scenario(&scenario, &request);
    let dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_out_dir(&scenario.name));
    let mut files = crate::report::render_formats(&solved.plan, &crate::report::Format::DEFAULT)?;
    files.extend(start_file(&solved));
    let files = crate::output::replace_dir(&dir, &files)?;
    Ok(Written {
        solved,
        dir,
        files,
        warnings,
    })
}

/// The file beside plan.json that keeps a solve's basis and values for
/// `solve --warm-start` (see [`Start`]).
pub const WARM_START_FILE: &str = "warm-start.txt";

/// The warm-start file of a solve that kept its start: (file name, contents).
pub fn start_file(solved: &Solved) -> Option<(String, Vec<u8>)> {
    let start = solved.start.as_ref()?;
    Some((WARM_START_FILE.to_string(), start.to_text().into_bytes()))
}

/// Reads the warm start of a previous solve: `path` is its plan.json, its folder or
/// its warm-start file. `Err` says why there is none (the caller solves from scratch).
pub fn read_start(path: &Path) -> Result<Start, String> {
    let file = if path.is_dir() {
        path.join(WARM_START_FILE)
    } else if path.extension().is_some_and(|e| e == "json") {
        path.with_file_name(WARM_START_FILE)
    } else {
        path.to_path_buf()
    };
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut start = Start::parse(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    start.label = file.display().to_string();
    Ok(start)
}

/// `out/<model name>`, with the name made safe for a folder.
pub fn default_out_dir(model_name: &str) -> PathBuf {
    Path::new("out").join(safe_folder_name(model_name))
}

/// Bytes of a folder name before its hash: file systems allow 255 per name.
const MAX_FOLDER_BYTES: usize = 120;

/// A folder name from a model name. Letters and digits of any script, `-`, `_` and `.`
/// are kept; anything else (path separators, spaces, control and bidi characters)
/// becomes `_`, leading and trailing dots go, and an empty result reads `model`, so a
/// model name can never steer output outside `out/`. A name that had to be changed (or
/// shortened, past 120 bytes) ends in `-` and 8 hex digits of its SHA-256: two names
/// that clean to the same text (`a/b` and `a_b`) still get two folders.
pub fn safe_folder_name(name: &str) -> String {
    use sha2::{Digest, Sha256};
    let cleaned = folder_text(name);
    if cleaned == name || name.is_empty() {
        return cleaned;
    }
    let hash = Sha256::digest(name.as_bytes());
    let short: String = hash[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("{cleaned}-{short}")
}

/// [`safe_folder_name`] without the hash, for parts of a name that is made unique
/// elsewhere (sweep entries: `min_share=0.5`).
pub(crate) fn folder_text(name: &str) -> String {
    let mut cleaned = String::with_capacity(name.len().min(MAX_FOLDER_BYTES));
    for c in name.chars() {
        if cleaned.len() + c.len_utf8() > MAX_FOLDER_BYTES {
            break;
        }
        cleaned.push(if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            c
        } else {
            '_'
        });
    }
    match cleaned.trim_matches('.') {
        "" => "model".to_string(),
        s => s.to_string(),
    }
}
