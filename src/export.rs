//! LP/MPS export of the model `solve` builds, for checking it in another solver.
//!
//! Two text formats, both minimisation:
//! - free MPS (`.mps`): objective row `COST`, one matrix entry per line, `UP` bounds for
//!   finite upper bounds (the default bounds [0, ∞) are not written);
//! - CPLEX LP (`.lp`): `Minimize`, `Subject To`, `Bounds`, `End`, long lines wrapped.
//!
//! An integer model (a MILP) also marks its integer columns: MPS between `MARKER`
//! lines (`'INTORG'` … `'INTEND'`), each integer column with an explicit upper bound;
//! LP in a `Binary` section (0/1 columns) and a `General` section (other integers).
//! A constant in the objective (fixed costs of sites that cannot close) is written as
//! the negated right-hand side of the objective row in MPS (`RHS  COST  -c`, the
//! convention HiGHS and CPLEX read) and as a constant term of the objective in LP.
//! Neither appears in a model without integers or constant: v1 exports are unchanged.
//!
//! Names come from [`Namer`] (`x[hagerstown,battery-module,2027-01]`) and are made valid
//! and unique for each format: MPS keeps them as they are except for whitespace and
//! control characters (→ `_`); LP maps `[`→`(`, `]`→`)`, `-`→`_` and any other character
//! the format does not allow to `_`. Names that end up equal get a suffix `~2`, `~3`, …
//! in column (or row) order.
//!
//! The output is deterministic (same model → byte-identical text), every number is
//! written with round-trip precision, and rendering is linear in the number of
//! non-zeros. A variable that appears in no row and has no cost is still written (MPS:
//! a zero objective entry; LP: `+ 0 name` in the objective), so the variable count of the
//! file matches the model's. Repeated (row, column) entries, which the builder does not
//! produce, would be summed, as a solver would.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use crate::error::Error;
use crate::lp::{BuiltModel, LpModel, Namer, Sense};
use crate::scenario::Scenario;

/// An export file format, chosen by the output file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Free-format MPS (`.mps`).
    Mps,
    /// CPLEX LP format (`.lp`).
    Lp,
}

impl Format {
    /// The format a file name asks for, by its extension (case-insensitive).
    pub fn from_path(path: &Path) -> Result<Format, Error> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("mps") => Ok(Format::Mps),
            Some("lp") => Ok(Format::Lp),
            _ => Err(Error::Usage(format!(
                "cannot export to `{}`: the file name must end in .mps (free MPS) or .lp (CPLEX LP)",
                path.display()
            ))),
        }
    }

    /// A short name for messages.
    pub fn label(self) -> &'static str {
        match self {
            Format::Mps => "MPS",
            Format::Lp => "LP",
        }
    }
}

/// An exported model: the file's text and what it holds.
#[derive(Debug, Clone)]
pub struct Exported {
    pub text: String,
    pub variables: usize,
    pub rows: usize,
    /// Constraint-matrix non-zeros written (objective coefficients not counted).
    pub nonzeros: usize,
    /// Columns marked integer.
    pub integers: usize,
}

/// Renders the model in `format`.
pub fn export(scenario: &Scenario, model: &BuiltModel, format: Format) -> Exported {
    let prepared = Prepared::new(&model.lp);
    let text = match format {
        Format::Mps => render_mps(scenario, &model.lp, &prepared),
        Format::Lp => render_lp(scenario, &model.lp, &prepared),
    };
    Exported {
        text,
        variables: model.lp.columns.len(),
        rows: model.lp.rows.len(),
        nonzeros: prepared.entries.len(),
        integers: model.lp.columns.iter().filter(|c| c.integer).count(),
    }
}

/// The model as free MPS.
pub fn to_mps(scenario: &Scenario, model: &BuiltModel) -> String {
    export(scenario, model, Format::Mps).text
}

/// The model in CPLEX LP format.
pub fn to_lp(scenario: &Scenario, model: &BuiltModel) -> String {
    export(scenario, model, Format::Lp).text
}

// ---------------------------------------------------------------------------------------
// The matrix, cleaned once for both formats.

/// Row-wise entries with repeated columns summed and zeros dropped, plus per-column
/// entry counts.
struct Prepared {
    row_start: Vec<usize>,
    entries: Vec<(usize, f64)>,
    col_count: Vec<usize>,
}

impl Prepared {
    fn new(lp: &LpModel) -> Prepared {
        let n_cols = lp.columns.len();
        let mut row_start = Vec::with_capacity(lp.rows.len() + 1);
        let mut entries: Vec<(usize, f64)> = Vec::with_capacity(lp.n_nonzeros());
        // Where column j sits in `entries`, if it was seen in the current row.
        let mut slot = vec![usize::MAX; n_cols];
        row_start.push(0);
        for i in 0..lp.rows.len() {
            let start = entries.len();
            let mut repeated = false;
            for &(j, a) in lp.row_entries(i) {
                let s = slot[j];
                if s != usize::MAX && s >= start {
                    entries[s].1 += a;
                    repeated = true;
                } else {
                    slot[j] = entries.len();
                    entries.push((j, a));
                }
            }
            if repeated {
                // Sums may cancel: drop them. Slots of this row are not used again.
                let mut w = start;
                for r in start..entries.len() {
                    if entries[r].1 != 0.0 {
                        entries[w] = entries[r];
                        w += 1;
                    }
                }
                entries.truncate(w);
            }
            row_start.push(entries.len());
        }
        let mut col_count = vec![0usize; n_cols];
        for &(j, _) in &entries {
            col_count[j] += 1;
        }
        Prepared {
            row_start,
            entries,
            col_count,
        }
    }

    fn row(&self, i: usize) -> &[(usize, f64)] {
        &self.entries[self.row_start[i]..self.row_start[i + 1]]
    }

    /// Column-wise entries `(row, coefficient)`, rows ascending within each column.
    fn transpose(&self) -> (Vec<usize>, Vec<(usize, f64)>) {
        let n_cols = self.col_count.len();
        let mut col_start = Vec::with_capacity(n_cols + 1);
        col_start.push(0);
        let mut acc = 0;
        for &c in &self.col_count {
            acc += c;
            col_start.push(acc);
        }
        let mut next = col_start.clone();
        let mut by_col = vec![(0usize, 0.0f64); self.entries.len()];
        for i in 0..self.row_start.len().saturating_sub(1) {
            for &(j, a) in self.row(i) {
                by_col[next[j]] = (i, a);
                next[j] += 1;
            }
        }
        (col_start, by_col)
    }
}

// ---------------------------------------------------------------------------------------
// Names.

/// Hands out unique names: the first holder of a name keeps it, later ones get `~2`, `~3`…
#[derive(Default)]
struct Unique {
    taken: HashSet<String>,
    next_suffix: HashMap<String, u64>,
}

impl Unique {
    fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }

    fn claim(&mut self, name: String) -> String {
        if !self.taken.contains(&name) {
            self.taken.insert(name.clone());
            return name;
        }
        let mut k = self.next_suffix.get(&name).copied().unwrap_or(2);
        loop {
            let candidate = format!("{name}~{k}");
            k += 1;
            if !self.taken.contains(&candidate) {
                self.next_suffix.insert(name, k);
                self.taken.insert(candidate.clone());
                return candidate;
            }
        }
    }
}

/// A free-MPS name: whitespace and control characters become `_`.
fn mps_name(raw: &str) -> String {
    let name: String = raw
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if name.is_empty() {
        "_".to_string()
    } else {
        name
    }
}

/// Characters the LP format allows in names besides ASCII letters and digits.
const LP_NAME_SYMBOLS: &str = "!\"#$%&()/,.;?@_{}|~'";

/// Longest LP name written (CPLEX reads up to 255 characters; room is left for a suffix).
const LP_NAME_MAX: usize = 240;

/// Words with a meaning of their own in LP files; a name equal to one gets a `_` prefix.
const LP_KEYWORDS: &[&str] = &[
    "min", "minimize", "minimise", "minimum", "max", "maximize", "maximise", "maximum", "st",
    "s.t.", "st.", "subject", "such", "bound", "bounds", "free", "inf", "infinity", "general",
    "generals", "gen", "binary", "binaries", "bin", "semi", "semis", "sos", "end",
];

/// A CPLEX LP name: `[`→`(`, `]`→`)`, `-`→`_`, other disallowed characters → `_`; a `_`
/// prefix when the name could read as a number or a keyword.
fn lp_name(raw: &str) -> String {
    let mut name = String::with_capacity(raw.len() + 1);
    for c in raw.chars() {
        let mapped = match c {
            '[' => '(',
            ']' => ')',
            '-' => '_',
            c if c.is_ascii_alphanumeric() || LP_NAME_SYMBOLS.contains(c) => c,
            _ => '_',
        };
        name.push(mapped);
        if name.len() >= LP_NAME_MAX {
            break;
        }
    }
    let bytes = name.as_bytes();
    let ambiguous = match bytes.first() {
        None => true,
        Some(b) if b.is_ascii_digit() || *b == b'.' => true,
        // `e1`, `E`, `e.5`, `ee`: could be read as part of an exponent.
        Some(b'e' | b'E') => match bytes.get(1) {
            None => true,
            Some(n) => n.is_ascii_digit() || matches!(n, b'.' | b'e' | b'E'),
        },
        _ => false,
    };
    if ambiguous || LP_KEYWORDS.contains(&name.to_ascii_lowercase().as_str()) {
        name.insert(0, '_');
    }
    name
}

/// Unique column and row names for one format.
fn names(
    scenario: &Scenario,
    lp: &LpModel,
    clean: fn(&str) -> String,
    reserved: &str,
) -> (Vec<String>, Vec<String>) {
    let namer = Namer::new(scenario);
    let mut unique = Unique::default();
    let cols = namer
        .columns(lp)
        .map(|name| unique.claim(clean(&name)))
        .collect();
    let mut unique = Unique::default();
    unique.reserve(reserved);
    let rows = namer
        .rows(lp)
        .map(|name| unique.claim(clean(&name)))
        .collect();
    (cols, rows)
}

// ---------------------------------------------------------------------------------------
// Numbers.

/// Writes `v` so that it reads back as exactly the same f64: plain decimals for ordinary
/// magnitudes, exponent notation for very large or small ones. Infinities (which valid
/// models do not produce in coefficients) become ±1e30, which solvers read as infinite.
fn num(out: &mut String, v: f64) {
    let a = v.abs();
    if v == 0.0 {
        out.push('0');
    } else if a.is_infinite() {
        out.push_str(if v > 0.0 { "1e30" } else { "-1e30" });
    } else if (1e-4..1e15).contains(&a) {
        let _ = write!(out, "{v}");
    } else {
        let _ = write!(out, "{v:e}");
    }
}

fn num_string(v: f64) -> String {
    let mut s = String::new();
    num(&mut s, v);
    s
}

/// A one-line description of the model for comments: never contains a line break.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

// ---------------------------------------------------------------------------------------
// MPS.

/// Names are padded to at most this width in MPS lines.
const MPS_PAD_MAX: usize = 48;

fn render_mps(scenario: &Scenario, lp: &LpModel, prep: &Prepared) -> String {
    const OBJ: &str = "COST";
    let (col_names, row_names) = names(scenario, lp, mps_name, OBJ);
    let (col_start, by_col) = prep.transpose();
    // Names are padded into columns for people; longer ones (slacks) stick out.
    let width = |names: &[String]| {
        names
            .iter()
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(OBJ.len(), MPS_PAD_MAX)
    };
    let (cw, rw) = (width(&col_names), width(&row_names));

    let line_estimate = cw + rw + 32;
    let mut out = String::with_capacity(
        256 + (lp.rows.len() * 2 + lp.columns.len() * 2 + prep.entries.len()) * line_estimate,
    );
    let _ = writeln!(
        out,
        "* allyplan {} export of `{}`: {} variables, {} rows, {} non-zeros",
        env!("CARGO_PKG_VERSION"),
        comment_text(&scenario.name),
        lp.columns.len(),
        lp.rows.len(),
        prep.entries.len()
    );
    let _ = writeln!(out, "* minimise the objective row {OBJ}; free MPS");
    let _ = writeln!(out, "NAME {}", mps_name(&scenario.name));

    out.push_str("ROWS\n");
    let _ = writeln!(out, " N  {OBJ}");
    for (row, name) in lp.rows.iter().zip(&row_names) {
        let sense = match row.sense {
            Sense::Le => 'L',
            Sense::Ge => 'G',
            Sense::Eq => 'E',
        };
        let _ = writeln!(out, " {sense}  {name}");
    }

    out.push_str("COLUMNS\n");
    // Integer columns sit between MARKER lines, one pair per run of them.
    let mut markers = 0usize;
    let mut in_integers = false;
    for (j, (col, name)) in lp.columns.iter().zip(&col_names).enumerate() {
        if col.integer != in_integers {
            let (kind, n) = if col.integer {
                markers += 1;
                ("INTORG", markers)
            } else {
                ("INTEND", markers)
            };
            let _ = writeln!(out, "    MARKER{n}  'MARKER'  '{kind}'");
            in_integers = col.integer;
        }
        let entries = &by_col[col_start[j]..col_start[j + 1]];
        // The objective entry, or a zero one so a column without entries still exists.
        if col.cost != 0.0 || entries.is_empty() {
            let _ = write!(out, "    {name:<cw$}  {OBJ:<rw$}  ");
            num(&mut out, col.cost);
            out.push('\n');
        }
        for &(i, a) in entries {
            let row = &row_names[i];
            let _ = write!(out, "    {name:<cw$}  {row:<rw$}  ");
            num(&mut out, a);
            out.push('\n');
        }
    }

    if in_integers {
        let _ = writeln!(out, "    MARKER{markers}  'MARKER'  'INTEND'");
    }

    out.push_str("RHS\n");
    if lp.offset != 0.0 {
        // The objective's constant: minus the objective row's right-hand side.
        let _ = write!(out, "    RHS  {OBJ:<rw$}  ");
        num(&mut out, -lp.offset);
        out.push('\n');
    }
    for (row, name) in lp.rows.iter().zip(&row_names) {
        if row.rhs != 0.0 {
            let _ = write!(out, "    RHS  {name:<rw$}  ");
            num(&mut out, row.rhs);
            out.push('\n');
        }
    }

    out.push_str("BOUNDS\n");
    for (col, name) in lp.columns.iter().zip(&col_names) {
        let (lo, up) = (col.lower, col.upper);
        let mut bound = |kind: &str, value: Option<f64>| {
            let _ = write!(out, " {kind} BND  {name}");
            if let Some(v) = value {
                out.push_str("  ");
                num(&mut out, v);
            }
            out.push('\n');
        };
        if lo == up {
            bound("FX", Some(lo));
        } else if lo == f64::NEG_INFINITY && up == f64::INFINITY {
            bound("FR", None);
        } else {
            if lo == f64::NEG_INFINITY {
                bound("MI", None);
            } else if lo != 0.0 || up < 0.0 {
                // An explicit lower bound; also keeps readers from turning a negative
                // upper bound with a zero lower bound into (-inf, up].
                bound("LO", Some(lo));
            }
            if up != f64::INFINITY {
                bound("UP", Some(up));
            } else if col.integer {
                // Some readers give a marked column without bounds an upper bound of 1.
                bound("PL", None);
            }
        }
    }
    out.push_str("ENDATA\n");
    out
}

// ---------------------------------------------------------------------------------------
// LP.

/// Lines are wrapped before this many characters (CPLEX reads lines up to 560).
const LP_WIDTH: usize = 78;

/// Indentation of continuation lines.
const LP_INDENT: &str = "  ";

/// Appends tokens to the current line of an LP expression, wrapping long lines.
struct LineWriter<'a> {
    out: &'a mut String,
    line_start: usize,
}

impl<'a> LineWriter<'a> {
    /// Starts a line with `head` (e.g. ` obj:`).
    fn start(out: &'a mut String, head: &str) -> LineWriter<'a> {
        let line_start = out.len();
        out.push_str(head);
        LineWriter { out, line_start }
    }

    /// Appends ` token`, first wrapping to a new indented line when it would not fit
    /// (a token too long for any line gets a line of its own).
    fn token(&mut self, token: &str) {
        let len = self.out.len() - self.line_start;
        if len > LP_INDENT.len() && len + 1 + token.len() > LP_WIDTH {
            self.out.push('\n');
            self.line_start = self.out.len();
            self.out.push_str(LP_INDENT);
        }
        self.out.push(' ');
        self.out.push_str(token);
    }

    fn end(self) {
        self.out.push('\n');
    }
}

/// Writes a term `[+|-] [|a|] name` into `buf`; `first` omits a leading `+`.
fn lp_term(buf: &mut String, a: f64, name: &str, first: bool) {
    buf.clear();
    if a.is_sign_negative() && a != 0.0 {
        buf.push_str("- ");
    } else if !first {
        buf.push_str("+ ");
    }
    if a.abs() != 1.0 {
        num(buf, a.abs());
        buf.push(' ');
    }
    buf.push_str(name);
}

fn render_lp(scenario: &Scenario, lp: &LpModel, prep: &Prepared) -> String {
    const OBJ: &str = "obj";
    let (col_names, row_names) = names(scenario, lp, lp_name, OBJ);
    let avg_name = col_names.iter().map(String::len).sum::<usize>() / col_names.len().max(1);
    let mut out = String::with_capacity(
        256 + (lp.rows.len() + lp.columns.len()) * (avg_name + 32)
            + prep.entries.len() * (avg_name + 24),
    );
    let mut buf = String::with_capacity(LP_NAME_MAX + 64);

    let _ = writeln!(
        out,
        "\\ allyplan {} export of `{}`: {} variables, {} rows, {} non-zeros",
        env!("CARGO_PKG_VERSION"),
        comment_text(&scenario.name),
        lp.columns.len(),
        lp.rows.len(),
        prep.entries.len()
    );
    out.push_str("\\ names as in allyplan, with [ ] written ( ) and - written _\n");

    out.push_str("Minimize\n");
    {
        let mut line = LineWriter::start(&mut out, &format!(" {OBJ}:"));
        let mut first = true;
        for (j, (col, name)) in lp.columns.iter().zip(&col_names).enumerate() {
            // Zero-cost columns in no row are listed with 0 so that they exist.
            if col.cost != 0.0 || prep.col_count[j] == 0 {
                if col.cost == 0.0 {
                    buf.clear();
                    buf.push_str(if first { "0 " } else { "+ 0 " });
                    buf.push_str(name);
                } else {
                    lp_term(&mut buf, col.cost, name, first);
                }
                line.token(&buf);
                first = false;
            }
        }
        if lp.offset != 0.0 {
            // The objective's constant, as a term of its own.
            buf.clear();
            if lp.offset < 0.0 {
                buf.push_str("- ");
            } else if !first {
                buf.push_str("+ ");
            }
            num(&mut buf, lp.offset.abs());
            line.token(&buf);
        } else if first {
            line.token("0");
        }
        line.end();
    }

    out.push_str("Subject To\n");
    for (i, (row, name)) in lp.rows.iter().zip(&row_names).enumerate() {
        buf.clear();
        buf.push(' ');
        buf.push_str(name);
        buf.push(':');
        let mut line = LineWriter::start(&mut out, &buf);
        let entries = prep.row(i);
        if entries.is_empty() {
            // An empty row is kept (with a zero term) so row counts match.
            match col_names.first() {
                Some(c) => {
                    buf.clear();
                    buf.push_str("0 ");
                    buf.push_str(c);
                    line.token(&buf);
                }
                None => line.token("0"),
            }
        }
        for (k, &(j, a)) in entries.iter().enumerate() {
            lp_term(&mut buf, a, &col_names[j], k == 0);
            line.token(&buf);
        }
        let sense = match row.sense {
            Sense::Le => "<=",
            Sense::Ge => ">=",
            Sense::Eq => "=",
        };
        buf.clear();
        buf.push_str(sense);
        buf.push(' ');
        num(&mut buf, row.rhs);
        line.token(&buf);
        line.end();
    }

    out.push_str("Bounds\n");
    for (col, name) in lp.columns.iter().zip(&col_names) {
        let (lo, up) = (col.lower, col.upper);
        if lo == 0.0 && up == f64::INFINITY {
            continue;
        }
        let _ = if lo == up {
            writeln!(out, " {name} = {}", num_string(lo))
        } else if lo == f64::NEG_INFINITY && up == f64::INFINITY {
            writeln!(out, " {name} free")
        } else if up == f64::INFINITY {
            writeln!(out, " {name} >= {}", num_string(lo))
        } else if lo == 0.0 && up >= 0.0 {
            writeln!(out, " {name} <= {}", num_string(up))
        } else if lo == f64::NEG_INFINITY {
            writeln!(out, " -inf <= {name} <= {}", num_string(up))
        } else {
            writeln!(out, " {} <= {name} <= {}", num_string(lo), num_string(up))
        };
    }
    // Integer columns: 0/1 ones under `Binary`, the others under `General`.
    for (title, binary) in [("Binary", true), ("General", false)] {
        let mut listed = lp
            .columns
            .iter()
            .zip(&col_names)
            .filter(|(c, _)| c.integer && (c.lower == 0.0 && c.upper == 1.0) == binary)
            .map(|(_, name)| name);
        let Some(first) = listed.next() else {
            continue;
        };
        let _ = writeln!(out, "{title}");
        let mut line = LineWriter::start(&mut out, "");
        line.token(first);
        for name in listed {
            line.token(name);
        }
        line.end();
    }
    out.push_str("End\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension() {
        assert_eq!(
            Format::from_path(Path::new("a/b.mps")).unwrap(),
            Format::Mps
        );
        assert_eq!(Format::from_path(Path::new("B.MPS")).unwrap(), Format::Mps);
        assert_eq!(Format::from_path(Path::new("x.Lp")).unwrap(), Format::Lp);
        for bad in ["x.txt", "x", "x.mps.gz", ".lp"] {
            match Format::from_path(Path::new(bad)) {
                Err(Error::Usage(m)) => assert!(m.contains(".mps") && m.contains(".lp"), "{m}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn lp_names_are_valid() {
        assert_eq!(
            lp_name("x[hagerstown,battery-module,2027-01]"),
            "x(hagerstown,battery_module,2027_01)"
        );
        assert_eq!(lp_name("a b:c+d*e\\f<g"), "a_b_c_d_e_f_g");
        assert_eq!(lp_name("2x"), "_2x");
        assert_eq!(lp_name(".x"), "_.x");
        assert_eq!(lp_name("e1"), "_e1");
        assert_eq!(lp_name("E"), "_E");
        assert_eq!(lp_name("emissions"), "emissions");
        assert_eq!(lp_name("free"), "_free");
        assert_eq!(lp_name("End"), "_End");
        assert_eq!(lp_name(""), "_");
        assert_eq!(lp_name("é"), "_");
        assert!(lp_name(&"x".repeat(1000)).len() <= LP_NAME_MAX);
    }

    #[test]
    fn mps_names_have_no_whitespace() {
        assert_eq!(mps_name("x[a b,c\td]"), "x[a_b,c_d]");
        assert_eq!(mps_name("x[a-b]"), "x[a-b]");
        assert_eq!(mps_name(""), "_");
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut u = Unique::default();
        u.reserve("obj");
        assert_eq!(u.claim("a_b".into()), "a_b");
        assert_eq!(u.claim("a_b".into()), "a_b~2");
        assert_eq!(u.claim("a_b~3".into()), "a_b~3");
        assert_eq!(u.claim("a_b".into()), "a_b~4");
        assert_eq!(u.claim("obj".into()), "obj~2");
    }

    #[test]
    fn numbers_round_trip() {
        for v in [
            0.0,
            -0.0,
            1.0,
            -2.5,
            0.1,
            1.0 / 3.0,
            0.0001,
            0.00009999,
            1e-300,
            123456789012345.6,
            1e15,
            1e300,
            f64::MIN_POSITIVE,
            f64::MAX,
            -7.2e-12,
        ] {
            let s = num_string(v);
            assert!(!s.contains(' ') && s.len() < 30, "{v} → {s}");
            assert_eq!(s.parse::<f64>().unwrap(), v, "{s}");
        }
        assert_eq!(num_string(-0.0), "0");
        assert_eq!(num_string(0.5), "0.5");
        assert_eq!(num_string(1e-7), "1e-7");
    }

    #[test]
    fn wrapping_keeps_lines_short() {
        let mut out = String::new();
        let mut line = LineWriter::start(&mut out, " c:");
        for _ in 0..50 {
            line.token("+ 12.5 x(site,product,period)");
        }
        line.token("<= 3");
        line.end();
        assert!(out.lines().all(|l| l.len() <= LP_WIDTH), "{out}");
        assert!(out
            .lines()
            .skip(1)
            .all(|l| l.starts_with("   +") || l == "   <= 3"));
        // A label too long to share a line with its first term.
        let mut out = String::new();
        let mut line = LineWriter::start(&mut out, &format!(" {}:", "r".repeat(70)));
        line.token("x(site,product,period)");
        line.end();
        assert_eq!(out.lines().nth(1), Some("   x(site,product,period)"));
    }
}
