//! HiGHS (cargo feature `highs`, on by default), called directly through its C API: the model is handed
//! over in one `Highs_passMip` call from our compressed-row arrays, with no per-term
//! objects in between. Interior point with crossover by default (much faster than simplex
//! on leveling models), dual simplex on request. Gives row duals and reduced costs.

use std::ffi::{c_void, CStr};
use std::ptr::NonNull;

mod ffi;

use ffi::{
    HighsInt, K_HIGHS_BASIS_STATUS_BASIC, K_HIGHS_BASIS_STATUS_LOWER, K_HIGHS_BASIS_STATUS_UPPER,
    K_HIGHS_BASIS_STATUS_ZERO, K_HIGHS_MATRIX_FORMAT_ROWWISE, K_HIGHS_MODEL_STATUS_INFEASIBLE,
    K_HIGHS_MODEL_STATUS_INTERRUPT, K_HIGHS_MODEL_STATUS_ITERATION_LIMIT,
    K_HIGHS_MODEL_STATUS_MEMORY_LIMIT, K_HIGHS_MODEL_STATUS_OBJECTIVE_BOUND,
    K_HIGHS_MODEL_STATUS_OBJECTIVE_TARGET, K_HIGHS_MODEL_STATUS_OPTIMAL,
    K_HIGHS_MODEL_STATUS_SOLUTION_LIMIT, K_HIGHS_MODEL_STATUS_TIME_LIMIT,
    K_HIGHS_MODEL_STATUS_UNBOUNDED, K_HIGHS_MODEL_STATUS_UNBOUNDED_OR_INFEASIBLE,
    K_HIGHS_OBJ_SENSE_MINIMIZE, K_HIGHS_SOLUTION_STATUS_FEASIBLE, K_HIGHS_STATUS_ERROR,
    K_HIGHS_VAR_TYPE_CONTINUOUS, K_HIGHS_VAR_TYPE_INTEGER,
};

use super::good_lp_model::usable_time_limit;
use super::{
    round_dual, Backend, Basis, BasisStatus, MipInfo, SolveOptions, SolveOutcome, SolveStatus,
};
use crate::lp::{LpModel, Sense};

pub struct Highs {
    pub simplex: bool,
}

impl Backend for Highs {
    fn name(&self) -> &'static str {
        if self.simplex {
            "highs-simplex"
        } else {
            "highs"
        }
    }

    fn gives_duals(&self) -> bool {
        true
    }

    fn stops_in_time(&self) -> bool {
        true
    }

    fn solves_integers(&self) -> bool {
        true
    }

    fn takes_starts(&self) -> bool {
        true
    }

    fn solve(&self, lp: &LpModel, options: &SolveOptions) -> SolveOutcome {
        match self.run(lp, options) {
            Ok(outcome) => outcome,
            Err(message) => SolveOutcome::primal(SolveStatus::Error(message), None),
        }
    }
}

impl Highs {
    fn run(&self, lp: &LpModel, options: &SolveOptions) -> Result<SolveOutcome, String> {
        let mut highs = Instance::new()?;
        highs.set_bool(c"output_flag", options.log)?;
        if options.log {
            highs.set_bool(c"log_to_console", true)?;
        }
        let mip = lp.has_integers();
        // A warm start: the simplex method from a previous basis.
        let basis = options.basis.as_ref().filter(|b| {
            !mip && b.columns.len() == lp.columns.len() && b.rows.len() == lp.rows.len()
        });
        // An integer model goes to HiGHS's MIP solver, which picks its own LP method.
        let method = match (mip, self.simplex || basis.is_some()) {
            (true, _) => c"choose",
            (false, true) => c"simplex",
            (false, false) => c"ipx",
        };
        if let Some(threads) = options.threads {
            highs.set_int(c"threads", int(threads.max(1), "threads")?)?;
        }
        highs.set_string(c"solver", method)?;
        highs.set_string(c"run_crossover", c"on")?;
        if let Some(limit) = usable_time_limit(options.time_limit_s) {
            highs.set_double(c"time_limit", limit)?;
        }
        if mip {
            let gap = options.mip_gap.unwrap_or(crate::network::DEFAULT_MIP_GAP);
            highs.set_double(c"mip_rel_gap", gap)?;
        }
        highs.pass(lp)?;
        if let Some(start) = options
            .start
            .as_deref()
            .filter(|s| s.len() == lp.columns.len())
        {
            highs.set_start(start)?;
        }
        if let Some(basis) = basis {
            // A basis HiGHS cannot use (it repairs singular ones) leaves a cold start.
            let _ = highs.set_basis(basis);
        }
        highs.run()?;
        let status = match highs.model_status() {
            s if s == K_HIGHS_MODEL_STATUS_OPTIMAL
                || s == K_HIGHS_MODEL_STATUS_OBJECTIVE_BOUND
                || s == K_HIGHS_MODEL_STATUS_OBJECTIVE_TARGET =>
            {
                SolveStatus::Optimal
            }
            s if s == K_HIGHS_MODEL_STATUS_INFEASIBLE
                || s == K_HIGHS_MODEL_STATUS_UNBOUNDED_OR_INFEASIBLE =>
            {
                return Ok(SolveOutcome::primal(SolveStatus::Infeasible, None));
            }
            s if s == K_HIGHS_MODEL_STATUS_UNBOUNDED => {
                return Ok(SolveOutcome::primal(SolveStatus::Unbounded, None));
            }
            s if s == K_HIGHS_MODEL_STATUS_TIME_LIMIT
                || s == K_HIGHS_MODEL_STATUS_ITERATION_LIMIT
                || s == K_HIGHS_MODEL_STATUS_SOLUTION_LIMIT
                || s == K_HIGHS_MODEL_STATUS_INTERRUPT
                || s == K_HIGHS_MODEL_STATUS_MEMORY_LIMIT =>
            {
                SolveStatus::TimeLimit
            }
            s => return Err(format!("HiGHS stopped with model status {s}")),
        };
        let solution = highs.solution(lp.columns.len(), lp.rows.len());
        let mip_info = mip.then(|| highs.mip_info());
        // Stopped by its clock before any feasible point: no usable values.
        if status == SolveStatus::TimeLimit && !highs.has_primal_solution() {
            let mut outcome = SolveOutcome::primal(SolveStatus::TimeLimit, None);
            outcome.mip = mip_info;
            return Ok(outcome);
        }
        if mip {
            // A MIP has no duals: shadow prices come from the LP with the integers fixed.
            let mut outcome = SolveOutcome::primal(status, Some(solution.col_value));
            outcome.mip = mip_info;
            return Ok(outcome);
        }
        let row_duals = solution.row_dual.into_iter().map(round_dual).collect();
        let reduced_costs = solution.col_dual.into_iter().map(round_dual).collect();
        let basis = (status == SolveStatus::Optimal)
            .then(|| highs.basis(lp.columns.len(), lp.rows.len()))
            .flatten();
        Ok(SolveOutcome {
            status,
            values: Some(solution.col_value),
            row_duals: Some(row_duals),
            reduced_costs: Some(reduced_costs),
            seconds: 0.0,
            mip: None,
            basis,
        })
    }
}

/// A HiGHS instance, destroyed on drop.
struct Instance(NonNull<c_void>);

struct HighsSolution {
    col_value: Vec<f64>,
    col_dual: Vec<f64>,
    row_dual: Vec<f64>,
}

fn int(n: usize, what: &str) -> Result<HighsInt, String> {
    HighsInt::try_from(n).map_err(|_| format!("the model has too many {what} for HiGHS ({n})"))
}

fn check(status: HighsInt, what: &str) -> Result<(), String> {
    if status == K_HIGHS_STATUS_ERROR {
        Err(format!("HiGHS failed to {what}"))
    } else {
        Ok(())
    }
}

impl Instance {
    fn new() -> Result<Instance, String> {
        // SAFETY: Highs_create has no preconditions; a null result is handled.
        let ptr = unsafe { ffi::Highs_create() };
        NonNull::new(ptr)
            .map(Instance)
            .ok_or_else(|| "HiGHS could not be created".to_string())
    }

    fn ptr(&self) -> *mut c_void {
        self.0.as_ptr()
    }

    fn set_bool(&mut self, option: &CStr, value: bool) -> Result<(), String> {
        // SAFETY: a live instance and a NUL-terminated option name.
        let status = unsafe {
            ffi::Highs_setBoolOptionValue(self.ptr(), option.as_ptr(), HighsInt::from(value))
        };
        check(status, &format!("set option {option:?}"))
    }

    fn set_string(&mut self, option: &CStr, value: &CStr) -> Result<(), String> {
        // SAFETY: a live instance and NUL-terminated strings.
        let status =
            unsafe { ffi::Highs_setStringOptionValue(self.ptr(), option.as_ptr(), value.as_ptr()) };
        check(status, &format!("set option {option:?}"))
    }

    fn set_double(&mut self, option: &CStr, value: f64) -> Result<(), String> {
        // SAFETY: a live instance and a NUL-terminated option name.
        let status = unsafe { ffi::Highs_setDoubleOptionValue(self.ptr(), option.as_ptr(), value) };
        check(status, &format!("set option {option:?}"))
    }

    /// Hands the LP over in compressed-row form.
    fn pass(&mut self, lp: &LpModel) -> Result<(), String> {
        let n_cols = lp.columns.len();
        let n_rows = lp.rows.len();
        let n_nz = lp.n_nonzeros();
        let mut cost = Vec::with_capacity(n_cols);
        let mut lower = Vec::with_capacity(n_cols);
        let mut upper = Vec::with_capacity(n_cols);
        for c in &lp.columns {
            cost.push(c.cost);
            lower.push(c.lower);
            upper.push(c.upper);
        }
        let mut row_lower = Vec::with_capacity(n_rows);
        let mut row_upper = Vec::with_capacity(n_rows);
        for row in &lp.rows {
            let (lo, up) = match row.sense {
                Sense::Le => (f64::NEG_INFINITY, row.rhs),
                Sense::Ge => (row.rhs, f64::INFINITY),
                Sense::Eq => (row.rhs, row.rhs),
            };
            row_lower.push(lo);
            row_upper.push(up);
        }
        int(n_nz, "non-zeros")?;
        let mut start: Vec<HighsInt> = Vec::with_capacity(n_rows);
        let mut index: Vec<HighsInt> = Vec::with_capacity(n_nz);
        let mut value: Vec<f64> = Vec::with_capacity(n_nz);
        for i in 0..n_rows {
            // Fits: index.len() ≤ n_nz, checked above.
            start.push(index.len() as HighsInt);
            for &(j, a) in lp.row_entries(i) {
                index.push(j as HighsInt);
                value.push(a);
            }
        }
        // One hand-over for both: without integrality (a null pointer) HiGHS takes an LP.
        let integrality: Option<Vec<HighsInt>> = lp.has_integers().then(|| {
            lp.columns
                .iter()
                .map(|c| {
                    if c.integer {
                        K_HIGHS_VAR_TYPE_INTEGER
                    } else {
                        K_HIGHS_VAR_TYPE_CONTINUOUS
                    }
                })
                .collect()
        });
        let integrality_ptr = integrality
            .as_ref()
            .map_or(std::ptr::null(), |i| i.as_ptr());
        // SAFETY: every array has the length HiGHS reads (n_cols, n_rows or n_nz;
        // `integrality` n_cols, or null), and HiGHS copies them before returning.
        let status = unsafe {
            ffi::Highs_passMip(
                self.ptr(),
                int(n_cols, "columns")?,
                int(n_rows, "rows")?,
                int(n_nz, "non-zeros")?,
                K_HIGHS_MATRIX_FORMAT_ROWWISE,
                K_HIGHS_OBJ_SENSE_MINIMIZE,
                lp.offset,
                cost.as_ptr(),
                lower.as_ptr(),
                upper.as_ptr(),
                row_lower.as_ptr(),
                row_upper.as_ptr(),
                start.as_ptr(),
                index.as_ptr(),
                value.as_ptr(),
                integrality_ptr,
            )
        };
        check(status, "accept the model")
    }

    fn set_int(&mut self, option: &CStr, value: HighsInt) -> Result<(), String> {
        // SAFETY: a live instance and a NUL-terminated option name.
        let status = unsafe { ffi::Highs_setIntOptionValue(self.ptr(), option.as_ptr(), value) };
        check(status, &format!("set option {option:?}"))
    }

    /// A basis to start the simplex method from.
    fn set_basis(&mut self, basis: &Basis) -> Result<(), String> {
        let code = |s: &BasisStatus| match s {
            BasisStatus::Lower => K_HIGHS_BASIS_STATUS_LOWER,
            BasisStatus::Basic => K_HIGHS_BASIS_STATUS_BASIC,
            BasisStatus::Upper => K_HIGHS_BASIS_STATUS_UPPER,
            BasisStatus::Zero => K_HIGHS_BASIS_STATUS_ZERO,
        };
        let columns: Vec<HighsInt> = basis.columns.iter().map(code).collect();
        let rows: Vec<HighsInt> = basis.rows.iter().map(code).collect();
        // SAFETY: one status per column and per row of the model passed (checked by
        // the caller); HiGHS copies them.
        let status = unsafe { ffi::Highs_setBasis(self.ptr(), columns.as_ptr(), rows.as_ptr()) };
        check(status, "take the starting basis")
    }

    /// The final basis, when HiGHS has a valid one.
    fn basis(&self, n_cols: usize, n_rows: usize) -> Option<Basis> {
        let mut validity: HighsInt = 0;
        // SAFETY: a live instance, a NUL-terminated name and a valid out-pointer.
        let ok = unsafe {
            ffi::Highs_getIntInfoValue(self.ptr(), c"basis_validity".as_ptr(), &mut validity)
        };
        if ok == K_HIGHS_STATUS_ERROR || validity != 1 {
            return None;
        }
        let mut columns: Vec<HighsInt> = vec![0; n_cols];
        let mut rows: Vec<HighsInt> = vec![0; n_rows];
        // SAFETY: arrays of the model's column and row counts.
        let status =
            unsafe { ffi::Highs_getBasis(self.ptr(), columns.as_mut_ptr(), rows.as_mut_ptr()) };
        if status == K_HIGHS_STATUS_ERROR {
            return None;
        }
        let read = |c: &HighsInt| match *c {
            K_HIGHS_BASIS_STATUS_LOWER => Some(BasisStatus::Lower),
            K_HIGHS_BASIS_STATUS_BASIC => Some(BasisStatus::Basic),
            K_HIGHS_BASIS_STATUS_UPPER => Some(BasisStatus::Upper),
            K_HIGHS_BASIS_STATUS_ZERO => Some(BasisStatus::Zero),
            // kNonbasic: some nonbasic position; a bound is as good a start.
            _ => Some(BasisStatus::Lower),
        };
        Some(Basis {
            columns: columns.iter().map(read).collect::<Option<_>>()?,
            rows: rows.iter().map(read).collect::<Option<_>>()?,
        })
    }

    /// A start for the search: a previous incumbent (checked by HiGHS before use).
    fn set_start(&mut self, values: &[f64]) -> Result<(), String> {
        // SAFETY: `values` has one entry per column; null pointers are allowed for the
        // parts not given.
        let status = unsafe {
            ffi::Highs_setSolution(
                self.ptr(),
                values.as_ptr(),
                std::ptr::null(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        check(status, "take the starting point")
    }

    fn mip_info(&self) -> MipInfo {
        let mut gap = f64::NAN;
        let mut bound = f64::NAN;
        let mut nodes: i64 = 0;
        // SAFETY: a live instance, NUL-terminated names and valid out-pointers; a failed
        // query leaves the value as initialised.
        unsafe {
            ffi::Highs_getDoubleInfoValue(self.ptr(), c"mip_gap".as_ptr(), &mut gap);
            ffi::Highs_getDoubleInfoValue(self.ptr(), c"mip_dual_bound".as_ptr(), &mut bound);
            ffi::Highs_getInt64InfoValue(self.ptr(), c"mip_node_count".as_ptr(), &mut nodes);
        }
        MipInfo {
            gap,
            bound,
            nodes: u64::try_from(nodes).unwrap_or(0),
        }
    }

    fn run(&mut self) -> Result<(), String> {
        // SAFETY: a live instance holding a model.
        let status = unsafe { ffi::Highs_run(self.ptr()) };
        check(status, "solve the model")
    }

    fn model_status(&self) -> HighsInt {
        // SAFETY: a live instance.
        unsafe { ffi::Highs_getModelStatus(self.ptr()) }
    }

    fn has_primal_solution(&self) -> bool {
        let mut value: HighsInt = 0;
        // SAFETY: a live instance, a NUL-terminated name and a valid out-pointer.
        let status = unsafe {
            ffi::Highs_getIntInfoValue(self.ptr(), c"primal_solution_status".as_ptr(), &mut value)
        };
        status != K_HIGHS_STATUS_ERROR && value == K_HIGHS_SOLUTION_STATUS_FEASIBLE
    }

    fn solution(&self, n_cols: usize, n_rows: usize) -> HighsSolution {
        let mut col_value = vec![0.0; n_cols];
        let mut col_dual = vec![0.0; n_cols];
        let mut row_value = vec![0.0; n_rows];
        let mut row_dual = vec![0.0; n_rows];
        // SAFETY: the arrays have the model's column and row counts.
        unsafe {
            ffi::Highs_getSolution(
                self.ptr(),
                col_value.as_mut_ptr(),
                col_dual.as_mut_ptr(),
                row_value.as_mut_ptr(),
                row_dual.as_mut_ptr(),
            );
        }
        HighsSolution {
            col_value,
            col_dual,
            row_dual,
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        // SAFETY: created by Highs_create and destroyed once.
        unsafe { ffi::Highs_destroy(self.ptr()) }
    }
}
