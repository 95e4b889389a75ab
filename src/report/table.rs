//! A table of typed cells: one list of (name, columns, rows) that feeds both the CSV
//! files ([`Table::csv`], through the one CSV writer) and the sheets of `plan.xlsx`
//! (where numbers stay numbers and each column's [`Kind`] picks its number format).

use crate::error::Error;
use crate::fmt::csv_number;
use crate::report::csv::table;

/// What a column holds, which decides how a spreadsheet shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Ids, periods, sentences.
    Text,
    /// Units of product or capacity (`#,##0`).
    Units,
    /// Dollars (`#,##0.00`).
    Money,
    /// A fraction shown as a percentage (`0.0%`).
    Share,
    /// Any other number (`0.00`), e.g. percentage points.
    Number,
    /// `true` or `false`.
    Flag,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Flag(bool),
    /// No value (an optional number or text that is not there).
    Empty,
}

impl Cell {
    /// A text cell.
    pub fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }

    /// A text cell, empty when there is none.
    pub fn opt_text(s: &Option<String>) -> Cell {
        s.as_deref().map_or(Cell::Empty, Cell::text)
    }

    /// A number cell.
    pub fn num(x: f64) -> Cell {
        Cell::Number(x)
    }

    /// A number cell, empty when there is none.
    pub fn opt(x: Option<f64>) -> Cell {
        x.map_or(Cell::Empty, Cell::Number)
    }

    /// The cell as the CSV files write it (before the writer neutralises formulas).
    pub fn csv_text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(x) => csv_number(*x),
            Cell::Flag(b) => b.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// A column: its header and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

/// Columns from (header, kind) pairs.
pub fn columns(spec: &[(&'static str, Kind)]) -> Vec<Column> {
    spec.iter()
        .map(|&(name, kind)| Column { name, kind })
        .collect()
}

/// One table of a plan: `name` is the file name without `.csv` and the sheet's name.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(name: &'static str, columns: Vec<Column>, rows: Vec<Vec<Cell>>) -> Table {
        Table {
            name,
            columns,
            rows,
        }
    }

    /// The CSV file's name.
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }

    /// The CSV file: the header, then every row, each cell neutralised against formulas.
    pub fn csv(&self) -> Result<String, Error> {
        let header: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
        table(
            &header,
            self.rows
                .iter()
                .map(|row| row.iter().map(Cell::csv_text).collect()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_the_csv_files_write_them() {
        let t = Table::new(
            "t",
            columns(&[
                ("id", Kind::Text),
                ("q", Kind::Units),
                ("s", Kind::Share),
                ("ok", Kind::Flag),
            ]),
            vec![
                vec![
                    Cell::text("=1+2"),
                    Cell::num(1200.0),
                    Cell::num(1.0 / 3.0),
                    Cell::Flag(true),
                ],
                vec![
                    Cell::opt_text(&None),
                    Cell::num(-2.5),
                    Cell::opt(None),
                    Cell::Flag(false),
                ],
            ],
        );
        assert_eq!(t.file_name(), "t.csv");
        assert_eq!(
            t.csv().unwrap(),
            "id,q,s,ok\n'=1+2,1200,0.333333,true\n,-2.5,,false\n"
        );
    }
}
