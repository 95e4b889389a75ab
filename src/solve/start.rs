//! Warm starts: a previous solve's basis and column values, carried by the names of its
//! columns and rows (`x[hagerstown,battery-module,2027-01]`), so that they fit a model
//! that changed since: another bound or cost (a sweep variant, a scenario), sites or
//! periods added or removed (next month's re-plan).
//!
//! [`Start::fit`] lines a start up with a model: what has the same name keeps its status
//! and value, what is new starts nonbasic at a bound (a column) or basic (a row), and a
//! status the new bounds do not allow is moved to one they do. HiGHS repairs a basis that
//! comes out singular or of the wrong size (it treats every given basis as "alien").
//!
//! A start is kept as text (`warm-start.txt` beside plan.json): one line per column that
//! is basic, at its upper bound or not zero, and per row that is not basic. Everything
//! left out is a column at its lower bound with value 0, or a basic row.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::lp::{LpModel, Sense};

/// Where a column or row stands in a simplex basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BasisStatus {
    /// Nonbasic at its lower bound.
    Lower,
    Basic,
    /// Nonbasic at its upper bound.
    Upper,
    /// Nonbasic free, at zero.
    Zero,
}

impl BasisStatus {
    fn letter(self) -> char {
        match self {
            BasisStatus::Lower => 'L',
            BasisStatus::Basic => 'B',
            BasisStatus::Upper => 'U',
            BasisStatus::Zero => 'Z',
        }
    }

    fn from_letter(text: &str) -> Option<BasisStatus> {
        Some(match text {
            "L" => BasisStatus::Lower,
            "B" => BasisStatus::Basic,
            "U" => BasisStatus::Upper,
            "Z" => BasisStatus::Zero,
            _ => return None,
        })
    }

    /// The nearest status a variable with bounds `[lower, upper]` may take.
    fn within(self, lower: f64, upper: f64) -> BasisStatus {
        match self {
            BasisStatus::Basic => BasisStatus::Basic,
            BasisStatus::Lower if lower.is_finite() => BasisStatus::Lower,
            BasisStatus::Upper if upper.is_finite() => BasisStatus::Upper,
            _ => nonbasic(lower, upper),
        }
    }
}

/// A nonbasic status for a variable with bounds `[lower, upper]`.
fn nonbasic(lower: f64, upper: f64) -> BasisStatus {
    if lower.is_finite() {
        BasisStatus::Lower
    } else if upper.is_finite() {
        BasisStatus::Upper
    } else {
        BasisStatus::Zero
    }
}

/// A basis, by column and row index of one model.
#[derive(Debug, Clone, PartialEq)]
pub struct Basis {
    pub columns: Vec<BasisStatus>,
    pub rows: Vec<BasisStatus>,
}

/// A start lined up with one model, and how much of it matched.
#[derive(Debug, Clone, Default)]
pub struct Fitted {
    pub values: Option<Vec<f64>>,
    pub basis: Option<Basis>,
    /// Columns and rows of the model found by name in the start.
    pub matched_columns: usize,
    pub matched_rows: usize,
    /// Columns and rows the start names.
    pub start_columns: usize,
    pub start_rows: usize,
}

impl Fitted {
    /// Whether the start is worth using: at least half the columns it names are in the
    /// model. A start from another model entirely would only force the simplex method
    /// from a logical basis (slower than interior point on large models).
    pub fn useful(&self) -> bool {
        self.matched_columns > 0 && 2 * self.matched_columns >= self.start_columns
    }
}

/// A start by name: a previous solve's values and basis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Start {
    pub columns: Vec<String>,
    pub rows: Vec<String>,
    /// Column values, one per entry of `columns`.
    pub values: Option<Vec<f64>>,
    pub basis: Option<Basis>,
    /// Where it came from, for plan.json (`the previous entry`, a file's path).
    pub label: String,
}

/// First line of a start's text.
const HEADER: &str = "# allyplan warm start v1";

impl Start {
    /// Lines the start up with `lp`, whose columns and rows are named `columns` and
    /// `rows`.
    pub fn fit(&self, lp: &LpModel, columns: &[String], rows: &[String]) -> Fitted {
        let col_of = lookup(&self.columns, columns);
        let row_of = lookup(&self.rows, rows);
        let matched_columns = col_of.iter().filter(|c| c.is_some()).count();
        let matched_rows = row_of.iter().filter(|r| r.is_some()).count();
        let values = self.values.as_ref().map(|old| {
            lp.columns
                .iter()
                .zip(&col_of)
                .map(|(c, from)| {
                    let v = from.and_then(|i| old.get(i).copied()).unwrap_or(0.0);
                    v.clamp(c.lower, c.upper)
                })
                .collect()
        });
        let basis = self.basis.as_ref().map(|old| Basis {
            columns: lp
                .columns
                .iter()
                .zip(&col_of)
                .map(|(c, from)| match from.and_then(|i| old.columns.get(i)) {
                    Some(s) => s.within(c.lower, c.upper),
                    None => nonbasic(c.lower, c.upper),
                })
                .collect(),
            rows: lp
                .rows
                .iter()
                .zip(&row_of)
                .map(|(r, from)| {
                    let (lower, upper) = match r.sense {
                        Sense::Le => (f64::NEG_INFINITY, r.rhs),
                        Sense::Ge => (r.rhs, f64::INFINITY),
                        Sense::Eq => (r.rhs, r.rhs),
                    };
                    match from.and_then(|i| old.rows.get(i)) {
                        Some(s) => s.within(lower, upper),
                        None => BasisStatus::Basic,
                    }
                })
                .collect(),
        });
        Fitted {
            values,
            basis,
            matched_columns,
            matched_rows,
            start_columns: self.columns.len(),
            start_rows: self.rows.len(),
        }
    }

    /// The start as text (see the module's documentation). Deterministic: the same
    /// start gives the same bytes.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{HEADER}");
        let _ = writeln!(
            out,
            "# The solver's final basis and values, for `allyplan solve --warm-start`."
        );
        let _ = writeln!(
            out,
            "# C <status> <value> <column> | R <status> <row>; status B basic, L lower, U upper, Z free."
        );
        let _ = writeln!(
            out,
            "# Columns at their lower bound with value 0 and basic rows are left out."
        );
        let _ = writeln!(out, "size {} {}", self.columns.len(), self.rows.len());
        for (j, name) in self.columns.iter().enumerate() {
            let status = self.basis.as_ref().and_then(|b| b.columns.get(j).copied());
            let value = self
                .values
                .as_ref()
                .and_then(|v| v.get(j).copied())
                .unwrap_or(0.0);
            let status = status.unwrap_or(BasisStatus::Lower);
            if status == BasisStatus::Lower && value == 0.0 {
                continue;
            }
            let _ = writeln!(out, "C {} {value:?} {}", status.letter(), one_line(name));
        }
        if let Some(basis) = &self.basis {
            for (i, name) in self.rows.iter().enumerate() {
                match basis.rows.get(i) {
                    Some(BasisStatus::Basic) | None => {}
                    Some(s) => {
                        let _ = writeln!(out, "R {} {}", s.letter(), one_line(name));
                    }
                }
            }
        }
        out
    }

    /// Reads a start written by [`Start::to_text`]. The error names the line.
    pub fn parse(text: &str) -> Result<Start, String> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, first)) if first.trim_end() == HEADER => {}
            _ => return Err(format!("line 1: expected `{HEADER}`")),
        }
        let mut start = Start::default();
        let mut size: Option<(usize, usize)> = None;
        let mut values: Vec<f64> = Vec::new();
        let mut col_status: Vec<BasisStatus> = Vec::new();
        let mut row_status: Vec<BasisStatus> = Vec::new();
        let mut has_basis = false;
        for (n, line) in lines {
            let at = |what: &str| format!("line {}: {what}", n + 1);
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut parts = line.splitn(2, ' ');
            let tag = parts.next().unwrap_or("");
            let rest = parts.next().unwrap_or("");
            match tag {
                "size" => {
                    let mut nums = rest.split(' ').map(str::parse::<usize>);
                    match (nums.next(), nums.next(), nums.next()) {
                        (Some(Ok(c)), Some(Ok(r)), None) => size = Some((c, r)),
                        _ => return Err(at("expected `size COLUMNS ROWS`")),
                    }
                }
                "C" => {
                    let mut p = rest.splitn(3, ' ');
                    let (Some(s), Some(v), Some(name)) = (p.next(), p.next(), p.next()) else {
                        return Err(at("expected `C STATUS VALUE NAME`"));
                    };
                    let status = BasisStatus::from_letter(s)
                        .ok_or_else(|| at(&format!("unknown status `{s}`")))?;
                    let value: f64 = v
                        .parse()
                        .ok()
                        .filter(|v: &f64| v.is_finite())
                        .ok_or_else(|| at(&format!("`{v}` is not a number")))?;
                    has_basis |= status != BasisStatus::Lower;
                    start.columns.push(name.to_string());
                    values.push(value);
                    col_status.push(status);
                }
                "R" => {
                    let mut p = rest.splitn(2, ' ');
                    let (Some(s), Some(name)) = (p.next(), p.next()) else {
                        return Err(at("expected `R STATUS NAME`"));
                    };
                    let status = BasisStatus::from_letter(s)
                        .ok_or_else(|| at(&format!("unknown status `{s}`")))?;
                    has_basis = true;
                    start.rows.push(name.to_string());
                    row_status.push(status);
                }
                other => return Err(at(&format!("unknown line kind `{other}`"))),
            }
        }
        if size.is_none() {
            return Err("no `size` line".to_string());
        }
        // Columns and rows left out are at their lower bound and basic: only those
        // listed are known by name, which is all `fit` needs (the rest default alike).
        start.values = Some(values);
        start.basis = has_basis.then_some(Basis {
            columns: col_status,
            rows: row_status,
        });
        Ok(start)
    }
}

/// A name on one line (ids hold no line breaks; this keeps the format safe regardless).
fn one_line(name: &str) -> String {
    name.replace(['\n', '\r'], " ")
}

/// For each name of `new`, its index in `old`; identical lists are matched without a map.
fn lookup(old: &[String], new: &[String]) -> Vec<Option<usize>> {
    if old == new {
        return (0..new.len()).map(Some).collect();
    }
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(old.len());
    for (i, name) in old.iter().enumerate() {
        index.entry(name.as_str()).or_insert(i);
    }
    new.iter().map(|n| index.get(n.as_str()).copied()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::{RowKey, VarKey};

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    /// Columns x0..x{n-1} (0 ≤ x ≤ 10) and rows r0..r{m-1}: Le, Ge, Eq in turn.
    fn model(n: usize, m: usize) -> LpModel {
        let mut lp = LpModel::new();
        for t in 0..n {
            lp.add_column(VarKey::Overtime { site: 0, t }, 1.0, 10.0);
        }
        for t in 0..m {
            let sense = [Sense::Le, Sense::Ge, Sense::Eq][t % 3];
            lp.add_row(RowKey::Capacity { site: 0, t }, [(0, 1.0)], sense, 5.0);
        }
        lp
    }

    fn start() -> Start {
        Start {
            columns: names(&["x[a,2027-01]", "x[a,2027-02]", "x[b,2027-02]"]),
            rows: names(&["cap[a,2027-01]", "cap[a,2027-02]", "cap[b,2027-02]"]),
            values: Some(vec![3.5, 0.0, 10.0]),
            basis: Some(Basis {
                columns: vec![BasisStatus::Basic, BasisStatus::Lower, BasisStatus::Upper],
                rows: vec![BasisStatus::Upper, BasisStatus::Basic, BasisStatus::Lower],
            }),
            label: String::new(),
        }
    }

    #[test]
    fn text_reads_back_to_the_same_fit() {
        let start = start();
        let text = start.to_text();
        assert!(text.contains("\nC B 3.5 x[a,2027-01]\n"), "{text}");
        assert!(text.contains("\nC U 10.0 x[b,2027-02]\n"), "{text}");
        // At its lower bound with value 0, or basic (a row): left out.
        assert!(!text.contains("x[a,2027-02]") && !text.contains("cap[a,2027-02]"));
        let read = Start::parse(&text).unwrap();
        let lp = model(3, 3);
        let (cols, rows) = (start.columns.clone(), start.rows.clone());
        let a = start.fit(&lp, &cols, &rows);
        let b = read.fit(&lp, &cols, &rows);
        assert_eq!(a.values, b.values);
        assert_eq!(a.basis, b.basis);
        // Written again, it says the same, but for `size` (what it lists, not the model).
        let again = Start::parse(&text).unwrap().to_text();
        let body = |t: &str| {
            t.lines()
                .filter(|l| !l.starts_with("size"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(body(&again), body(&text));
    }

    #[test]
    fn a_changed_model_keeps_what_has_the_same_name() {
        let start = start();
        // A month on: 2027-01 is gone, 2027-03 is new, `b` stays.
        let cols = names(&["x[a,2027-02]", "x[a,2027-03]", "x[b,2027-02]"]);
        let rows = names(&["cap[a,2027-02]", "cap[a,2027-03]", "cap[b,2027-02]"]);
        let lp = model(3, 3);
        let fit = start.fit(&lp, &cols, &rows);
        assert_eq!(fit.matched_columns, 2);
        assert_eq!(fit.matched_rows, 2);
        assert!(fit.useful());
        assert_eq!(fit.values, Some(vec![0.0, 0.0, 10.0]));
        let basis = fit.basis.unwrap();
        use BasisStatus::*;
        // New columns nonbasic at their lower bound, new rows basic.
        assert_eq!(basis.columns, vec![Lower, Lower, Upper]);
        // Row 2 is an Eq row: `Lower` stays; row 0 (Le) was basic in the start.
        assert_eq!(basis.rows, vec![Basic, Basic, Lower]);
    }

    #[test]
    fn statuses_follow_the_new_bounds() {
        use BasisStatus::*;
        // A row `≤` has no lower side, a row `≥` no upper side.
        assert_eq!(Lower.within(f64::NEG_INFINITY, 5.0), Upper);
        assert_eq!(Upper.within(5.0, f64::INFINITY), Lower);
        assert_eq!(Upper.within(f64::NEG_INFINITY, f64::INFINITY), Zero);
        assert_eq!(Basic.within(0.0, 0.0), Basic);
        // A value out of the new bounds is clamped to them.
        let mut lp = model(1, 0);
        lp.columns[0].upper = 2.0;
        let fit = start().fit(&lp, &names(&["x[a,2027-01]"]), &[]);
        assert_eq!(fit.values, Some(vec![2.0]));
    }

    #[test]
    fn a_start_of_another_model_is_not_useful() {
        let lp = model(3, 0);
        let fit = start().fit(&lp, &names(&["y[1]", "y[2]", "x[a,2027-01]"]), &[]);
        assert_eq!(fit.matched_columns, 1);
        assert!(!fit.useful(), "1 of the start's 3 columns");
    }

    #[test]
    fn bad_text_names_its_line() {
        let cases = [
            ("nothing", "line 1: expected `# allyplan warm start v1`"),
            (
                "# allyplan warm start v1\nC B 1\n",
                "line 2: expected `C STATUS VALUE NAME`",
            ),
            (
                "# allyplan warm start v1\nC B nan x\n",
                "line 2: `nan` is not a number",
            ),
            (
                "# allyplan warm start v1\nR X r\n",
                "line 2: unknown status `X`",
            ),
            (
                "# allyplan warm start v1\nQ\n",
                "line 2: unknown line kind `Q`",
            ),
            ("# allyplan warm start v1\nC B 1 x\n", "no `size` line"),
        ];
        for (text, want) in cases {
            let err = Start::parse(text).unwrap_err();
            assert_eq!(err, want, "{text:?}");
        }
    }
}
