//! Scalars read as text: the one conversion the reader and the overrides share.

use serde_yaml::Value;

/// Text of a scalar used as a label or id.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
