//! The stages chained: load → validate → build → solve → verify → plan.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::allocation::Allocation;
use crate::diag::Diagnostics;
use crate::error::{Error, ExitCode};
use crate::explain::{explain_with, ExplainOptions};
use crate::load::Overrides;
use crate::lp::build;
use crate::plan::{Metadata, Plan, PlanStatus, RunInfo, PLAN_FORMAT};
use crate::scenario::Scenario;
use crate::shadow::shadow_prices;
use crate::solve::{backend_for, solve, SolveOptions, SolveStatus};
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
}

impl SolveRequest {
    /// The model's own solver settings, explaining infeasible models.
    pub fn standard() -> Self {
        SolveRequest {
            backend: None,
            time_limit_s: None,
            explain_infeasible: true,
            solver_log: false,
        }
    }
}

/// A finished run: the plan (also for failures) and the exit code it calls for.
#[derive(Debug, Clone)]
pub struct Solved {
    pub plan: Plan,
    pub exit: ExitCode,
}

/// Builds, solves, verifies and assembles the plan of a validated scenario.
pub fn solve_scenario(sc: &Scenario, request: &SolveRequest) -> Solved {
    let build_start = Instant::now();
    let model = build(sc);
    let build_seconds = build_start.elapsed().as_secs_f64();

    let backend_name = request.backend.as_deref().unwrap_or(&sc.solver.backend);
    let backend = backend_for(backend_name, &model.lp);
    let options = SolveOptions {
        time_limit_s: request.time_limit_s.or(sc.solver.time_limit_s),
        log: request.solver_log,
    };
    let outcome = solve(&model.lp, backend.as_ref(), &options);

    let mut metadata = Metadata {
        plan_format: PLAN_FORMAT,
        tool: env!("CARGO_PKG_NAME").to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        model_name: sc.name.clone(),
        inputs: sc.files.clone(),
        solver: backend.name().to_string(),
        time_limit_s: options.time_limit_s,
        variables: model.lp.columns.len(),
        rows: model.lp.rows.len(),
        nonzeros: model.lp.n_nonzeros(),
        run: RunInfo {
            generated_at: RunInfo::now(),
            build_seconds,
            solve_seconds: outcome.seconds,
            verify_seconds: 0.0,
        },
        overrides: sc.overrides.clone(),
        solver_note: None,
    };

    let (message, exit) = match &outcome.status {
        SolveStatus::Optimal => (None, ExitCode::Ok),
        SolveStatus::Infeasible => (
            Some("the model is infeasible: no plan satisfies every hard constraint and policy".to_string()),
            ExitCode::Infeasible,
        ),
        SolveStatus::Unbounded => (
            Some("the model is unbounded: the cost can fall without limit (a negative cost with no bound?)".to_string()),
            ExitCode::Unbounded,
        ),
        SolveStatus::TimeLimit => (
            Some(format!(
                "the solver stopped at the time limit ({} s) without proving optimality",
                options.time_limit_s.unwrap_or(0.0)
            )),
            ExitCode::SolverFailure,
        ),
        SolveStatus::Error(e) => (Some(format!("the solver failed: {e}")), ExitCode::SolverFailure),
    };
    let values = match (&outcome.status, outcome.values.clone()) {
        (SolveStatus::Optimal, Some(values)) => values,
        _ => {
            let message = message.unwrap_or_else(|| "the solver returned no solution".to_string());
            let mut plan =
                crate::assemble::plan_without_solution(sc, &outcome.status, message, metadata);
            if outcome.status == SolveStatus::Infeasible && request.explain_infeasible {
                let options = ExplainOptions {
                    backend: Some(backend_name.to_string()),
                    time_limit_s: options.time_limit_s,
                    known_infeasible: true,
                };
                match explain_with(sc, &options) {
                    Ok(explanation) => {
                        plan.message = Some(explanation.summary.clone());
                        plan.explanation = Some(explanation);
                    }
                    Err(e) => {
                        plan.message = Some(format!(
                            "{} (no explanation: {e})",
                            plan.message.unwrap_or_default()
                        ));
                    }
                }
            }
            let exit = if exit == ExitCode::Ok {
                ExitCode::SolverFailure
            } else {
                exit
            };
            return Solved { plan, exit };
        }
    };

    let mut values = values;
    if std::env::var(FAULT_PERTURB).as_deref() == Ok(backend.name()) {
        // Fault injection for tests: a wrong answer from this backend.
        if let Some(v) = values.first_mut() {
            *v += 1.0;
        }
    }
    let verify_start = Instant::now();
    let allocation = Allocation::from_solution(sc, &model, &values);
    let objective = model.lp.objective_of(&values);
    let verification = verify(sc, &allocation, objective);
    metadata.run.verify_seconds = verify_start.elapsed().as_secs_f64();
    let passed = verification.passed;
    let mut plan = crate::assemble::plan_from_solution(
        sc,
        &model,
        &values,
        &allocation,
        verification,
        metadata,
    );
    match &outcome.row_duals {
        Some(duals) => {
            plan.shadow_prices = Some(shadow_prices(
                sc,
                &model,
                &values,
                duals,
                outcome.reduced_costs.as_deref(),
            ));
        }
        None => {
            plan.duals_note = Some(format!(
                "{} gives no shadow prices; solve with --solver clarabel (or highs) to get them",
                backend.name()
            ));
        }
    }
    if !passed {
        // A simplex that drifted numerically: solve again with a more accurate backend
        // and say so, rather than stop a monthly job.
        if let Some(fallback) = verification_fallback(backend.name()) {
            let retry = SolveRequest {
                backend: Some(fallback.to_string()),
                ..request.clone()
            };
            let mut again = solve_scenario(sc, &retry);
            if again.exit == ExitCode::Ok {
                let (worst, at) = plan
                    .verification
                    .as_ref()
                    .map_or((0.0, String::new()), |v| {
                        (
                            v.worst_violation,
                            v.worst_constraint.clone().unwrap_or_default(),
                        )
                    });
                again.plan.metadata.solver_note = Some(format!(
                    "{} failed independent verification (worst violation {worst:.1e}, {at}); solved again with {fallback}",
                    backend.name()
                ));
                return again;
            }
        }
        // Never report an unverified plan as optimal.
        plan.status = PlanStatus::Error;
        plan.message = Some("the solver's plan failed independent verification".to_string());
        return Solved {
            plan,
            exit: ExitCode::VerificationFailed,
        };
    }
    // A feasible plan can still be short of optimal when the solver's tolerances give
    // way (a penalty of 1e13 next to a cost of 0.001). With duals, weak duality bounds
    // how far; past the tolerance the plan is not reported as optimal (exit code 4).
    if let Some(duals) = &outcome.row_duals {
        let check = duality_check(&model.lp, &values, duals);
        if !check.passed() {
            plan.status = PlanStatus::Error;
            plan.message = Some(format!(
                "{} reported an optimum it did not prove: the plan costs {:.6e} but the solver's duals only bound the optimum at {:.6e} (relative gap {:.1e}, tolerance {:.0e}); badly scaled input causes this (see the warnings): rescale it, or solve with another backend",
                backend.name(),
                check.primal,
                check.dual,
                check.relative_gap,
                OPTIMALITY_TOLERANCE
            ));
            return Solved {
                plan,
                exit: ExitCode::SolverFailure,
            };
        }
    }
    Solved {
        plan,
        exit: ExitCode::Ok,
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
    let (scenario, warnings) = check_with(model_path, overrides)?;
    let solved = solve_scenario(&scenario, request);
    let dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_out_dir(&scenario.name));
    let files = crate::report::write_all(&solved.plan, &dir)?;
    Ok(Written {
        solved,
        dir,
        files,
        warnings,
    })
}

/// `out/<model name>`, with the name made safe for a folder.
pub fn default_out_dir(model_name: &str) -> PathBuf {
    Path::new("out").join(safe_folder_name(model_name))
}

/// A folder name from a model name: anything but letters, digits, `-`, `_` and `.`
/// becomes `_`, so a model name can never steer output outside `out/`.
pub fn safe_folder_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match cleaned.trim_matches('.') {
        "" => "model".to_string(),
        s => s.to_string(),
    }
}

/// The backend to try when a plan fails verification: a more accurate one, if any.
fn verification_fallback(backend: &str) -> Option<&'static str> {
    let highs_built = crate::solve::BACKENDS.contains(&"highs");
    match backend {
        "microlp" if highs_built => Some("highs"),
        "microlp" => Some("clarabel"),
        "clarabel" if highs_built => Some("highs"),
        _ => None,
    }
}
