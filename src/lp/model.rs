//! The LP as plain data: columns with bounds and costs, rows in compressed sparse form.
//!
//! Keeping our own representation (rather than only good_lp expressions) lets every
//! backend, the exporter and diagnostics read the same model, and names are produced
//! only when someone asks for them.

use super::keys::{RowKey, VarKey};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sense {
    /// Σ a·x ≤ rhs
    Le,
    /// Σ a·x ≥ rhs
    Ge,
    /// Σ a·x = rhs
    Eq,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub key: VarKey,
    pub lower: f64,
    /// `f64::INFINITY` when unbounded above.
    pub upper: f64,
    pub cost: f64,
    /// Must take a whole value (a MILP column).
    pub integer: bool,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub key: RowKey,
    pub sense: Sense,
    pub rhs: f64,
}

/// A minimisation LP: min cᵀx subject to rows, lower ≤ x ≤ upper.
#[derive(Debug, Clone, Default)]
pub struct LpModel {
    /// A constant added to the objective (fixed costs of sites that cannot close).
    pub offset: f64,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// CSR: row i's entries are `entries[row_start[i]..row_start[i + 1]]`.
    row_start: Vec<usize>,
    entries: Vec<(usize, f64)>,
}

impl LpModel {
    pub fn new() -> Self {
        LpModel {
            row_start: vec![0],
            ..Default::default()
        }
    }

    /// Adds a column and returns its index.
    pub fn add_column(&mut self, key: VarKey, cost: f64, upper: f64) -> usize {
        self.columns.push(Column {
            key,
            lower: 0.0,
            upper,
            cost,
            integer: false,
        });
        self.columns.len() - 1
    }

    /// Adds a column that must take a whole value between 0 and `upper`.
    pub fn add_integer_column(&mut self, key: VarKey, cost: f64, upper: f64) -> usize {
        let j = self.add_column(key, cost, upper);
        self.columns[j].integer = true;
        j
    }

    /// Whether any column must take a whole value (the model is a MILP).
    pub fn has_integers(&self) -> bool {
        self.columns.iter().any(|c| c.integer)
    }

    /// Adds a row from `(column, coefficient)` terms. Zero coefficients are dropped.
    pub fn add_row(
        &mut self,
        key: RowKey,
        terms: impl IntoIterator<Item = (usize, f64)>,
        sense: Sense,
        rhs: f64,
    ) -> usize {
        self.entries
            .extend(terms.into_iter().filter(|&(_, a)| a != 0.0));
        self.row_start.push(self.entries.len());
        self.rows.push(Row { key, sense, rhs });
        self.rows.len() - 1
    }

    /// Frees spare capacity once the model is complete.
    pub fn shrink_to_fit(&mut self) {
        self.columns.shrink_to_fit();
        self.rows.shrink_to_fit();
        self.row_start.shrink_to_fit();
        self.entries.shrink_to_fit();
    }

    /// Reserves room for `columns` more columns, `rows` more rows and `entries` more
    /// non-zeros.
    pub fn reserve(&mut self, columns: usize, rows: usize, entries: usize) {
        self.columns.reserve(columns);
        self.rows.reserve(rows);
        self.row_start.reserve(rows);
        self.entries.reserve(entries);
    }

    pub fn row_entries(&self, row: usize) -> &[(usize, f64)] {
        &self.entries[self.row_start[row]..self.row_start[row + 1]]
    }

    pub fn n_nonzeros(&self) -> usize {
        self.entries.len()
    }

    /// Objective value of a point.
    pub fn objective_of(&self, x: &[f64]) -> f64 {
        self.offset
            + self
                .columns
                .iter()
                .zip(x)
                .map(|(c, v)| c.cost * v)
                .sum::<f64>()
    }

    /// Largest violation of any row or bound at a point (0 when feasible).
    pub fn max_violation(&self, x: &[f64]) -> f64 {
        let mut worst: f64 = 0.0;
        for (i, row) in self.rows.iter().enumerate() {
            let lhs: f64 = self.row_entries(i).iter().map(|&(j, a)| a * x[j]).sum();
            let v = match row.sense {
                Sense::Le => lhs - row.rhs,
                Sense::Ge => row.rhs - lhs,
                Sense::Eq => (lhs - row.rhs).abs(),
            };
            worst = worst.max(v);
        }
        for (c, &v) in self.columns.iter().zip(x) {
            worst = worst.max(c.lower - v).max(v - c.upper);
        }
        worst
    }
}
