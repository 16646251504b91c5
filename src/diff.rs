//! What a change to a checklist does to a set of bids: per bid, the outcome, bands and
//! checklist items that change, and totals. `stronger rules diff` is a thin shell over this.

use crate::appraisal::Appraisal;
use crate::checklist::Checklist;
use crate::proposal::Proposal;
use indexmap::IndexMap;
use serde::Serialize;

/// One bid whose appraisal changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BidChange {
    pub id: String,
    pub title: String,
    /// `[old, new]` when the outcome changes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<[String; 2]>,
    /// `[old, new]` weighted totals.
    pub total: [f64; 2],
    /// Indicators and themes whose band changes: id → `[old, new]`.
    pub bands: IndexMap<String, [String; 2]>,
    /// Checklist items whose status changes: rule → `[old, new]` (`absent` when a rule is added,
    /// removed or switched off, `error` when it failed).
    pub items: IndexMap<String, [String; 2]>,
}

/// The effect of a checklist change on a corpus of bids.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    pub base: String,
    pub new: String,
    pub bids: usize,
    pub changed: Vec<BidChange>,
    /// How many bids moved from one outcome to another: `"old -> new"` → count.
    pub outcome_moves: IndexMap<String, usize>,
}

fn status_map(a: &Appraisal) -> IndexMap<String, String> {
    let mut m: IndexMap<String, String> = a
        .checklist
        .iter()
        .map(|i| (i.rule.clone(), i.status.as_str().to_string()))
        .collect();
    for e in &a.errors {
        m.insert(e.rule.clone(), "error".to_string());
    }
    m
}

fn compare(old: &Appraisal, new: &Appraisal) -> Option<BidChange> {
    let mut bands = IndexMap::new();
    let band_pairs = old
        .indicators
        .iter()
        .map(|(k, v)| (k, &v.band))
        .chain(old.themes.iter().map(|(k, v)| (k, &v.band)));
    for (id, ob) in band_pairs {
        let nb = new
            .indicators
            .get(id)
            .map(|r| &r.band)
            .or_else(|| new.themes.get(id).map(|t| &t.band));
        match nb {
            Some(nb) if nb == ob => {}
            Some(nb) => {
                bands.insert(id.clone(), [ob.clone(), nb.clone()]);
            }
            None => {
                bands.insert(id.clone(), [ob.clone(), "absent".to_string()]);
            }
        }
    }
    for (id, r) in new
        .indicators
        .iter()
        .map(|(k, v)| (k, &v.band))
        .chain(new.themes.iter().map(|(k, v)| (k, &v.band)))
    {
        if !old.indicators.contains_key(id) && !old.themes.contains_key(id) {
            bands.insert(id.clone(), ["absent".to_string(), r.clone()]);
        }
    }
    let (os, ns) = (status_map(old), status_map(new));
    let mut items = IndexMap::new();
    for (rule, o) in &os {
        let n = ns
            .get(rule)
            .cloned()
            .unwrap_or_else(|| "absent".to_string());
        if &n != o {
            items.insert(rule.clone(), [o.clone(), n]);
        }
    }
    for (rule, n) in &ns {
        if !os.contains_key(rule) {
            items.insert(rule.clone(), ["absent".to_string(), n.clone()]);
        }
    }
    let outcome = (old.outcome != new.outcome).then(|| [old.outcome.clone(), new.outcome.clone()]);
    let total_changed = (old.total - new.total).abs() > 1e-9;
    if outcome.is_none() && bands.is_empty() && items.is_empty() && !total_changed {
        return None;
    }
    Some(BidChange {
        id: new.proposal.id.clone(),
        title: new.proposal.title.clone(),
        outcome,
        total: [old.total, new.total],
        bands,
        items,
    })
}

/// Appraises every bid with both checklists and reports what changes, in bid order.
pub fn diff(base: &Checklist, new: &Checklist, bids: &[Proposal]) -> Diff {
    let changed: Vec<BidChange> = crate::appraise::each(bids, |on, b| {
        compare(&on.appraise(base, b), &on.appraise(new, b))
    })
    .into_iter()
    .flatten()
    .collect();
    let mut outcome_moves = IndexMap::new();
    for c in &changed {
        if let Some([o, n]) = &c.outcome {
            *outcome_moves.entry(format!("{o} -> {n}")).or_insert(0) += 1;
        }
    }
    outcome_moves.sort_keys();
    Diff {
        base: format!("{} {}", base.name(), base.version()),
        new: format!("{} {}", new.name(), new.version()),
        bids: bids.len(),
        changed,
        outcome_moves,
    }
}
