//! The documents of a comparison of two plans: `compare.md`, `compare.html` and
//! `compare.json`, rendered from the [`Comparison`] alone.

pub mod decisions;
pub mod html;
pub mod markdown;
pub mod network;
pub mod network_words;
mod table;
pub mod text;

use crate::error::Error;
use crate::plan::comparison::Comparison;

/// `compare.json`: the comparison, pretty-printed with a trailing newline.
pub fn json(comparison: &Comparison) -> Result<String, Error> {
    let mut text =
        serde_json::to_string_pretty(comparison).map_err(|e| Error::Other(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
