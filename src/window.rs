//! Windows of periods: a rule holds in every period, or over the whole horizon.

/// Whether a rule holds in every period or over the whole horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    Period,
    Horizon,
}

impl Per {
    /// The period groups this setting makes: one group per period (labelled by its
    /// index), or one for the whole horizon (labelled `None`).
    pub fn groups(self, n_periods: usize) -> Vec<(Option<usize>, Vec<usize>)> {
        match self {
            Per::Period => (0..n_periods).map(|t| (Some(t), vec![t])).collect(),
            Per::Horizon => vec![(None, (0..n_periods).collect())],
        }
    }
}
