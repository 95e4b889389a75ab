//! `allyplan solve MODEL [--out DIR] [--format csv,md,html,xlsx|all]`: solve, verify,
//! write plan.json and the reports (by default every one but plan.xlsx).

use std::path::PathBuf;

use allyplan::{Error, ExitCode};

use super::{check_backend, Global, ModelArgs, Progress};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Output folder (default: out/<model name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Solver backend, overriding the model's `solver.backend`.
    #[arg(long)]
    pub solver: Option<String>,
    /// Time limit in seconds, overriding the model's `solver.time_limit_s`.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Do not explain an infeasible model (explaining takes a few more solves).
    #[arg(long)]
    pub no_explain: bool,
    /// Which reports to write beside plan.json (default: csv, md and html). Repeatable,
    /// or comma-separated: csv,xlsx; `all` adds plan.xlsx to the default set.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub format: Vec<super::report::Format>,
    /// Start from a previous solve (its plan.json, or its folder): its basis (the simplex
    /// method restarts from it) or, for a MIP, its plan, matched to this model by the
    /// names of columns and rows, so sites, products or periods may have changed. Read
    /// from the warm-start.txt beside plan.json; without one the solve starts cold.
    #[arg(long, value_name = "PLAN")]
    pub warm_start: Option<PathBuf>,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode, Error> {
    check_backend(args.solver.as_ref())?;
    if let Some(limit) = args.time_limit {
        if !(limit.is_finite() && limit > 0.0) {
            return Err(Error::Usage(format!(
                "--time-limit must be a positive number of seconds, found {}",
                allyplan::fmt::number_text(limit)
            )));
        }
    }
    let load_start = std::time::Instant::now();
    let (scenario, _) = args.model.load(global)?;
    if global.verbose > 0 {
        say!(
            "loaded and validated {} in {:.3} s: {} periods, {} sites, {} markets, {} products, {} lanes, {} policies",
            args.model.model.display(),
            load_start.elapsed().as_secs_f64(),
            scenario.periods.len(),
            scenario.sites.len(),
            scenario.markets.len(),
            scenario.products.len(),
            scenario.lanes.len(),
            scenario.policies.len()
        );
    }
    let start = match &args.warm_start {
        Some(path) => match allyplan::read_start(path) {
            Ok(start) => Some(std::sync::Arc::new(start)),
            Err(why) => {
                if !global.quiet {
                    say!("warning: no warm start ({why}); solving from scratch");
                }
                None
            }
        },
        None => None,
    };
    let spinner = Progress::start(global, &format!("solving {}", scenario.name));
    let request = allyplan::SolveRequest {
        backend: args.solver.clone(),
        time_limit_s: args.time_limit,
        explain_infeasible: !args.no_explain,
        solver_log: global.verbose > 1,
        default_time_limit_s: None,
        started_at: Some(load_start),
        start,
        // Kept in warm-start.txt, for the next solve's --warm-start.
        keep_start: true,
        threads: None,
        decision_values: true,
    };
    let solved = allyplan::solve_scenario(&scenario, &request);
    spinner.finish();
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| allyplan::default_out_dir(&scenario.name));
    let report_start = std::time::Instant::now();
    let mut formats = vec![allyplan::report::Format::Json];
    formats.extend(super::report::chosen_reports(&args.format));
    let mut files = allyplan::report::render_formats(&solved.plan, &formats)?;
    files.extend(allyplan::start_file(&solved));
    let written = allyplan::replace_dir(&dir, &files)?;
    let plan = &solved.plan;
    if global.verbose > 0 {
        let m = &plan.metadata;
        say!(
            "built {} variables, {} rows, {} non-zeros in {:.3} s; solved with {} in {:.3} s; verified in {:.3} s; reports in {:.3} s",
            m.variables,
            m.rows,
            m.nonzeros,
            m.run.build_seconds,
            m.solver,
            m.run.solve_seconds,
            m.run.verify_seconds,
            report_start.elapsed().as_secs_f64()
        );
        if let Some(w) = &m.warm_start {
            say!(
                "warm start from {}: {} of its {} columns and {} of its {} rows found by name{}",
                w.from,
                w.columns_matched,
                w.start_columns,
                w.rows_matched,
                w.start_rows,
                if w.basis {
                    "; simplex from its basis"
                } else if w.values {
                    "; MIP search from its plan"
                } else {
                    ""
                }
            );
        }
        if let Some(v) = &plan.verification {
            say!(
                "verifier: {} checks, worst violation {:.1e}{}, objective gap {:.1e}",
                v.checks,
                v.worst_violation,
                v.worst_constraint
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default(),
                v.objective_gap
            );
        }
    }
    match (plan.objective, &plan.message) {
        (Some(objective), None) if !global.quiet => {
            let m = &plan.metadata;
            let fill = plan.kpis.as_ref().map_or(1.0, |k| k.fill_rate);
            say!(
                "{}: {} — total cost {}, fill rate {}, {} variables, {} rows, build {:.2} s, solve {:.2} s ({})",
                scenario.name,
                plan.status,
                allyplan::fmt::money(objective),
                allyplan::fmt::percent(fill),
                m.variables,
                m.rows,
                m.run.build_seconds,
                m.run.solve_seconds,
                m.solver
            );
            say!("wrote {} files to {}", written.len(), dir.display());
        }
        (_, Some(message)) => {
            say!("{}: {}: {message}", scenario.name, plan.status);
            if let Some(explanation) = &plan.explanation {
                if !global.quiet {
                    eprint!("{}", allyplan::report::explain::render_text(explanation));
                }
            }
        }
        _ => {}
    }
    Ok(solved.exit)
}
