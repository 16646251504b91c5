//! What a checklist values, in numbers a panel can read: the most a bid can score on each
//! indicator and theme (each rule's declared `META.most` times its weight, summed), and each
//! one's share of the most a bid can score in all (a profile's rules, soundness, count in the
//! profile alone). Priorities are visible, not buried in the
//! arithmetic.

use super::Checklist;
use indexmap::IndexMap;

/// The most a bid can score, per indicator and theme, and in all.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Maxima {
    /// Indicator id → the most, in config order (indicators no rule touches have 0).
    pub indicators: IndexMap<String, f64>,
    /// Theme id → the most, in config order.
    pub themes: IndexMap<String, f64>,
    pub total: f64,
}

impl Maxima {
    /// An indicator's or theme's share of the total, from 0 to 1.
    pub(crate) fn share(&self, most: f64) -> f64 {
        if self.total > 0.0 {
            most / self.total
        } else {
            0.0
        }
    }
}

/// The maxima of the rules in force.
pub(crate) fn maxima(c: &Checklist) -> Maxima {
    let mut indicators: IndexMap<String, f64> = c
        .config
        .indicators
        .iter()
        .map(|i| (i.id.clone(), 0.0))
        .collect();
    let mut themes: IndexMap<String, f64> = c
        .config
        .themes
        .iter()
        .map(|t| (t.id.clone(), 0.0))
        .collect();
    for r in &c.rules {
        // A profile's rules add to the profile, never to an indicator or the total.
        let profile = c.config.is_profile(&r.meta.theme);
        for ind in &r.meta.indicators {
            let most = r.meta.most(ind) * r.weight;
            if !profile {
                *indicators.entry(ind.clone()).or_insert(0.0) += most;
            }
            *themes.entry(r.meta.theme.clone()).or_insert(0.0) += most;
        }
    }
    let total = indicators.values().sum();
    Maxima {
        indicators,
        themes,
        total,
    }
}
