//! Content hashes for provenance: `sha256:` plus lowercase hex.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// Incremental hasher producing `sha256:<hex>`.
#[derive(Default)]
pub(crate) struct Hasher(Sha256);

impl Hasher {
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// Feeds a length-prefixed chunk, so that `("ab", "c")` and `("a", "bc")` hash differently.
    pub(crate) fn update_framed(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    pub(crate) fn finish(self) -> String {
        let digest = self.0.finalize();
        let mut out = String::with_capacity(7 + 64);
        out.push_str("sha256:");
        for b in digest.iter() {
            let _ = write!(out, "{b:02x}");
        }
        out
    }
}

/// Hash of a JSON value in canonical form (object keys sorted, no whitespace), so the same bid
/// hashes the same whether it came from TOML, JSON or a CSV row.
pub(crate) fn canonical_json(value: &serde_json::Value) -> String {
    let mut h = Hasher::default();
    let mut buf = Vec::with_capacity(4096);
    write_canonical(value, &mut buf);
    h.update(&buf);
    h.finish()
}

fn write_canonical(value: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                // Writing a string into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *out, k);
                out.push(b':');
                write_canonical(v, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(v, out);
            }
            out.push(b']');
        }
        other => {
            let _ = serde_json::to_writer(&mut *out, other);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_does_not_change_the_hash() {
        let a: serde_json::Value = serde_json::from_str(r#"{"a":1,"b":[1,2]}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{"b":[1,2],"a":1}"#).unwrap();
        assert_eq!(canonical_json(&a), canonical_json(&b));
        assert!(canonical_json(&a).starts_with("sha256:"));
        assert_eq!(canonical_json(&a).len(), 7 + 64);
    }
}
