//! The few functions and constants of HiGHS's C API (`highs_c_api.h`, HiGHS 1.16) that
//! allyplan calls, declared by hand. The library itself is built by `build.rs` from
//! vendor/highs. HiGHS is built with 32-bit `HighsInt` (HIGHSINT64 undefined).

use std::ffi::{c_char, c_void};

pub type HighsInt = i32;

pub const K_HIGHS_STATUS_ERROR: HighsInt = -1;

pub const K_HIGHS_BASIS_STATUS_LOWER: HighsInt = 0;
pub const K_HIGHS_BASIS_STATUS_BASIC: HighsInt = 1;
pub const K_HIGHS_BASIS_STATUS_UPPER: HighsInt = 2;
pub const K_HIGHS_BASIS_STATUS_ZERO: HighsInt = 3;

pub const K_HIGHS_VAR_TYPE_CONTINUOUS: HighsInt = 0;
pub const K_HIGHS_VAR_TYPE_INTEGER: HighsInt = 1;

pub const K_HIGHS_OBJ_SENSE_MINIMIZE: HighsInt = 1;
pub const K_HIGHS_MATRIX_FORMAT_ROWWISE: HighsInt = 2;
pub const K_HIGHS_SOLUTION_STATUS_FEASIBLE: HighsInt = 2;

pub const K_HIGHS_MODEL_STATUS_OPTIMAL: HighsInt = 7;
pub const K_HIGHS_MODEL_STATUS_INFEASIBLE: HighsInt = 8;
pub const K_HIGHS_MODEL_STATUS_UNBOUNDED_OR_INFEASIBLE: HighsInt = 9;
pub const K_HIGHS_MODEL_STATUS_UNBOUNDED: HighsInt = 10;
pub const K_HIGHS_MODEL_STATUS_OBJECTIVE_BOUND: HighsInt = 11;
pub const K_HIGHS_MODEL_STATUS_OBJECTIVE_TARGET: HighsInt = 12;
pub const K_HIGHS_MODEL_STATUS_TIME_LIMIT: HighsInt = 13;
pub const K_HIGHS_MODEL_STATUS_ITERATION_LIMIT: HighsInt = 14;
pub const K_HIGHS_MODEL_STATUS_SOLUTION_LIMIT: HighsInt = 16;
pub const K_HIGHS_MODEL_STATUS_INTERRUPT: HighsInt = 17;
pub const K_HIGHS_MODEL_STATUS_MEMORY_LIMIT: HighsInt = 18;

extern "C" {
    pub fn Highs_create() -> *mut c_void;
    pub fn Highs_destroy(highs: *mut c_void);
    pub fn Highs_run(highs: *mut c_void) -> HighsInt;
    pub fn Highs_setBoolOptionValue(
        highs: *mut c_void,
        option: *const c_char,
        value: HighsInt,
    ) -> HighsInt;
    pub fn Highs_setDoubleOptionValue(
        highs: *mut c_void,
        option: *const c_char,
        value: f64,
    ) -> HighsInt;
    pub fn Highs_setStringOptionValue(
        highs: *mut c_void,
        option: *const c_char,
        value: *const c_char,
    ) -> HighsInt;
    #[allow(clippy::too_many_arguments)]
    pub fn Highs_passMip(
        highs: *mut c_void,
        num_col: HighsInt,
        num_row: HighsInt,
        num_nz: HighsInt,
        a_format: HighsInt,
        sense: HighsInt,
        offset: f64,
        col_cost: *const f64,
        col_lower: *const f64,
        col_upper: *const f64,
        row_lower: *const f64,
        row_upper: *const f64,
        a_start: *const HighsInt,
        a_index: *const HighsInt,
        a_value: *const f64,
        integrality: *const HighsInt,
    ) -> HighsInt;
    pub fn Highs_setSolution(
        highs: *mut c_void,
        col_value: *const f64,
        row_value: *const f64,
        col_dual: *const f64,
        row_dual: *const f64,
    ) -> HighsInt;
    pub fn Highs_setIntOptionValue(
        highs: *mut c_void,
        option: *const c_char,
        value: HighsInt,
    ) -> HighsInt;
    pub fn Highs_setBasis(
        highs: *mut c_void,
        col_status: *const HighsInt,
        row_status: *const HighsInt,
    ) -> HighsInt;
    pub fn Highs_getBasis(
        highs: *const c_void,
        col_status: *mut HighsInt,
        row_status: *mut HighsInt,
    ) -> HighsInt;
    pub fn Highs_getDoubleInfoValue(
        highs: *const c_void,
        info: *const c_char,
        value: *mut f64,
    ) -> HighsInt;
    pub fn Highs_getInt64InfoValue(
        highs: *const c_void,
        info: *const c_char,
        value: *mut i64,
    ) -> HighsInt;
    pub fn Highs_getModelStatus(highs: *const c_void) -> HighsInt;
    pub fn Highs_getIntInfoValue(
        highs: *const c_void,
        info: *const c_char,
        value: *mut HighsInt,
    ) -> HighsInt;
    pub fn Highs_getSolution(
        highs: *const c_void,
        col_value: *mut f64,
        col_dual: *mut f64,
        row_value: *mut f64,
        row_dual: *mut f64,
    ) -> HighsInt;
}
