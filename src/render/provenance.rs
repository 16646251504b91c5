//! Where each part of an effective checklist comes from, as `rules check` prints it: the layers
//! and the checklist's hash, the rules each layer gives, rules switched off, weights overridden,
//! and the origin of every part of the config.

use crate::checklist::Checklist;
use std::fmt::Write as _;

/// The effective checklist and where each part comes from, for `rules check`.
pub fn provenance_summary(c: &Checklist) -> String {
    let mut o = String::new();
    let me = format!("{} {}", c.name(), c.version());
    let chain: Vec<String> = c
        .layers
        .iter()
        .map(|l| format!("{} {}", l.checklist, l.version))
        .chain(std::iter::once(me))
        .collect();
    let _ = writeln!(o, "layers: {} (hash {})", chain.join(" <- "), c.hash);
    let mut by_origin: Vec<(&str, Vec<&str>)> = Vec::new();
    for r in &c.rules {
        match by_origin.iter_mut().find(|(o, _)| *o == r.origin) {
            Some((_, ids)) => ids.push(&r.meta.id),
            None => by_origin.push((&r.origin, vec![&r.meta.id])),
        }
    }
    for (origin, ids) in by_origin {
        let _ = writeln!(o, "rules from {origin}: {}", ids.join(" "));
    }
    let off: Vec<&str> = c
        .all_rules
        .iter()
        .filter(|r| !c.rules.iter().any(|x| x.meta.id == r.meta.id))
        .map(|r| r.meta.id.as_str())
        .collect();
    if !off.is_empty() {
        let _ = writeln!(o, "switched off: {}", off.join(" "));
    }
    for r in &c.rules {
        if (r.weight - r.meta.weight).abs() > f64::EPSILON {
            let _ = writeln!(
                o,
                "weight of {}: {} (its own: {})",
                r.meta.id, r.weight, r.meta.weight
            );
        }
    }
    for (part, origin) in &c.config.origins {
        if !part.starts_with("rules.") {
            let _ = writeln!(o, "{part} from {origin}");
        }
    }
    o
}
