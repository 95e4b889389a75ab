//! Library errors and the documented process exit codes.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has problems; each is a diagnostic naming file, line and key.
    #[error("invalid input: {} error(s)", .0.error_count())]
    InvalidInput(Diagnostics),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read plan {}: {message}", path.display())]
    BadPlan { path: PathBuf, message: String },
    /// A bad command-line argument.
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Process exit codes, as documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    /// Success: input valid, plan optimal and verified.
    Ok = 0,
    /// Any other failure (I/O, internal).
    Failure = 1,
    /// Invalid input or command line.
    InvalidInput = 2,
    /// The model is infeasible.
    Infeasible = 3,
    /// The solver failed or ran out of time without a proven optimum.
    SolverFailure = 4,
    /// The model is unbounded.
    Unbounded = 5,
    /// The solver's answer failed independent verification.
    VerificationFailed = 6,
    /// A batch or sweep finished, but some entries did not reach an optimal plan.
    BatchFailures = 7,
    /// A batch or sweep finished with every plan optimal, but a `--fail-on` condition holds.
    FailOnCondition = 8,
}

impl ExitCode {
    pub fn code(self) -> u8 {
        self as u8
    }
}
