//! HiGHS (cargo feature `highs`, on by default), called directly through its C API: the model is handed
//! over in one `Highs_passLp` call from our compressed-row arrays, with no per-term
//! objects in between. Interior point with crossover by default (much faster than simplex
//! on leveling models), dual simplex on request. Gives row duals and reduced costs.

use std::ffi::{c_void, CStr};
use std::ptr::NonNull;

mod ffi;

use ffi::{
    HighsInt, K_HIGHS_MATRIX_FORMAT_ROWWISE, K_HIGHS_MODEL_STATUS_INFEASIBLE,
    K_HIGHS_MODEL_STATUS_INTERRUPT, K_HIGHS_MODEL_STATUS_ITERATION_LIMIT,
    K_HIGHS_MODEL_STATUS_MEMORY_LIMIT, K_HIGHS_MODEL_STATUS_OBJECTIVE_BOUND,
    K_HIGHS_MODEL_STATUS_OBJECTIVE_TARGET, K_HIGHS_MODEL_STATUS_OPTIMAL,
    K_HIGHS_MODEL_STATUS_SOLUTION_LIMIT, K_HIGHS_MODEL_STATUS_TIME_LIMIT,
    K_HIGHS_MODEL_STATUS_UNBOUNDED, K_HIGHS_MODEL_STATUS_UNBOUNDED_OR_INFEASIBLE,
    K_HIGHS_OBJ_SENSE_MINIMIZE, K_HIGHS_SOLUTION_STATUS_FEASIBLE, K_HIGHS_STATUS_ERROR,
};

use super::good_lp_model::usable_time_limit;
use super::{round_dual, Backend, SolveOptions, SolveOutcome, SolveStatus};
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
        let method = if self.simplex { c"simplex" } else { c"ipx" };
        highs.set_string(c"solver", method)?;
        highs.set_string(c"run_crossover", c"on")?;
        if let Some(limit) = usable_time_limit(options.time_limit_s) {
            highs.set_double(c"time_limit", limit)?;
        }
        highs.pass(lp)?;
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
        // Stopped by its clock before any feasible point: no usable values.
        if status == SolveStatus::TimeLimit && !highs.has_primal_solution() {
            return Ok(SolveOutcome::primal(SolveStatus::TimeLimit, None));
        }
        let row_duals = solution.row_dual.into_iter().map(round_dual).collect();
        let reduced_costs = solution.col_dual.into_iter().map(round_dual).collect();
        Ok(SolveOutcome {
            status,
            values: Some(solution.col_value),
            row_duals: Some(row_duals),
            reduced_costs: Some(reduced_costs),
            seconds: 0.0,
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
        // SAFETY: every array has the length HiGHS reads (n_cols, n_rows or n_nz), and
        // HiGHS copies them before returning.
        let status = unsafe {
            ffi::Highs_passLp(
                self.ptr(),
                int(n_cols, "columns")?,
                int(n_rows, "rows")?,
                int(n_nz, "non-zeros")?,
                K_HIGHS_MATRIX_FORMAT_ROWWISE,
                K_HIGHS_OBJ_SENSE_MINIMIZE,
                0.0,
                cost.as_ptr(),
                lower.as_ptr(),
                upper.as_ptr(),
                row_lower.as_ptr(),
                row_upper.as_ptr(),
                start.as_ptr(),
                index.as_ptr(),
                value.as_ptr(),
            )
        };
        check(status, "accept the model")
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
