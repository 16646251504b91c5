//! The screening policy: each outcome's conditions tested against what an appraisal found, and
//! the first outcome whose conditions all hold. Aggregation decides with it and `explain` shows
//! it, so the outcome a bid gets and the reasons it is shown cannot drift apart.

use crate::appraisal::{ChecklistItem, IndicatorResult, Status, ThemeResult};
use crate::checklist::{Config, Outcome, Screening};
use indexmap::IndexMap;
use serde::Serialize;

/// One condition of a screening outcome, tested.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Condition {
    /// What is tested, e.g. `total ≥ 60`.
    pub test: String,
    /// What the bid has, e.g. `34`.
    pub actual: String,
    pub holds: bool,
}

/// What the policy reads of an appraisal.
pub(crate) struct Facts<'a> {
    pub total: f64,
    pub verified_share: f64,
    pub items: &'a [ChecklistItem],
    /// The themes' scores, profiles among them.
    pub themes: &'a IndexMap<String, ThemeResult>,
    /// How many contradictions were found in the bid.
    pub contradictions: usize,
    /// How many core indicators are harmed: in the lowest band (see [`harmed`]).
    pub harmed: usize,
}

/// How many of `config`'s core indicators an appraisal leaves in the lowest band (the last of
/// `[[bands]]`, "negative" in the default checklist): the indicators a proposal harms.
pub(crate) fn harmed(config: &Config, indicators: &IndexMap<String, IndicatorResult>) -> usize {
    let Some(lowest) = config.bands.last() else {
        return 0;
    };
    config
        .indicators
        .iter()
        .filter(|i| i.core)
        .filter(|i| indicators.get(&i.id).is_some_and(|r| r.band == lowest.id))
        .count()
}

/// The first outcome whose conditions all hold (the last has none and catches the rest).
pub(crate) fn decide(outcomes: &[Outcome], facts: &Facts<'_>) -> String {
    outcomes
        .iter()
        .find(|o| conditions(o, facts).iter().all(|c| c.holds))
        .map(|o| o.id.clone())
        .unwrap_or_default()
}

/// The outcome a bid gets: the policy's (`decide`), held to `[screening] contradicted` when the
/// bid contradicts itself, and never better than `before`, the outcome with the contradictions
/// not looked for. A contradiction never raises an outcome: turning the items it touches to not
/// stated cannot reach `min_not_stated`'s outcome from a worse one.
pub(crate) fn outcome(s: &Screening, facts: &Facts<'_>, before: Option<&str>) -> String {
    let decided = decide(&s.outcomes, facts);
    // Harm never raises an outcome either: a bid not recommended on its merits stays there
    // however much it harms (an outcome for harmed bids, "mitigate first", sits above it).
    let decided = if facts.harmed > 0 {
        let unharmed = decide(
            &s.outcomes,
            &Facts {
                harmed: 0,
                ..*facts
            },
        );
        worse(&s.outcomes, &decided, &unharmed).to_string()
    } else {
        decided
    };
    let capped = match &s.contradicted {
        Some(cap) if facts.contradictions > 0 => worse(&s.outcomes, &decided, cap).to_string(),
        _ => decided,
    };
    match before {
        Some(b) => worse(&s.outcomes, &capped, b).to_string(),
        None => capped,
    }
}

/// Of two outcomes, the one listed later (the worse); an id the policy lacks is the worst.
pub(crate) fn worse<'a>(outcomes: &[Outcome], a: &'a str, b: &'a str) -> &'a str {
    let pos = |id: &str| {
        outcomes
            .iter()
            .position(|o| o.id == id)
            .unwrap_or(usize::MAX)
    };
    if pos(b) > pos(a) { b } else { a }
}

/// What holds a bid below the outcome the policy's conditions gave it (`decided`), as
/// conditions: the ceiling on a contradicted bid, and the outcome it had without its
/// contradictions looked for. Empty when neither applies.
pub(crate) fn held_down(
    s: &Screening,
    contradictions: usize,
    decided: &str,
    before: Option<&str>,
) -> Vec<Condition> {
    let mut out = Vec::new();
    if let Some(cap) = &s.contradicted
        && contradictions > 0
        && worse(&s.outcomes, decided, cap) != decided
    {
        out.push(Condition {
            test: format!("a bid that contradicts itself is at best {cap}"),
            actual: format!("{contradictions} found"),
            holds: true,
        });
    }
    if let Some(b) = before
        && worse(&s.outcomes, decided, b) != decided
    {
        out.push(Condition {
            test: format!("no better than without its contradictions looked for ({b})"),
            actual: format!("{contradictions} found"),
            holds: true,
        });
    }
    out
}

/// Each condition of one outcome, tested. An item met only on the bid's prose (weak) counts as
/// not stated: pasted words cannot answer the checklist's questions.
pub(crate) fn conditions(o: &Outcome, facts: &Facts<'_>) -> Vec<Condition> {
    let count = |s: Status| {
        facts
            .items
            .iter()
            .filter(|i| i.counted_status() == s)
            .count()
    };
    let not_met = count(Status::NotMet);
    let not_stated = count(Status::NotStated);
    let mut out = Vec::new();
    let mut push = |test: String, actual: String, holds: bool| {
        out.push(Condition {
            test,
            actual,
            holds,
        })
    };
    if let Some(m) = o.min_total {
        let t = facts.total;
        push(format!("total ≥ {}", num(m)), num(t), t >= m);
    }
    if let Some(m) = o.min_verified_share {
        let share = facts.verified_share;
        push(
            format!("verified share of the points ≥ {}%", percent(m)),
            format!("{}%", percent(share)),
            share >= m,
        );
    }
    for (profile, m) in &o.min_profile {
        let score = facts.themes.get(profile).map_or(0.0, |t| t.score);
        push(
            format!("{profile} profile ≥ {}", num(*m)),
            num(score),
            score >= *m,
        );
    }
    if let Some(m) = o.max_not_met {
        push(
            format!("items not met ≤ {m}"),
            not_met.to_string(),
            not_met <= m,
        );
    }
    if let Some(m) = o.max_not_stated {
        push(
            format!("items not stated ≤ {m}"),
            not_stated.to_string(),
            not_stated <= m,
        );
    }
    if let Some(m) = o.max_contradictions {
        let n = facts.contradictions;
        push(format!("contradictions ≤ {m}"), n.to_string(), n <= m);
    }
    if let Some(m) = o.min_not_stated {
        push(
            format!("items not stated ≥ {m}"),
            not_stated.to_string(),
            not_stated >= m,
        );
    }
    for r in &o.required {
        let item = facts.items.iter().find(|i| &i.rule == r);
        let actual = match item {
            Some(i) if i.weak && i.status == Status::Met => "met weakly (the bid's words only)",
            Some(i) => i.status.as_str(),
            None => "no status",
        };
        let holds = item.is_some_and(|i| i.counted_status() == Status::Met);
        push(format!("{r} met"), actual.to_string(), holds);
    }
    out.extend(harm(o, facts.harmed));
    out
}

/// The conditions on harm: how many core indicators are in the lowest band.
fn harm(o: &Outcome, harmed: usize) -> Vec<Condition> {
    let at_most = o.max_harmed.map(|m| (format!("≤ {m}"), harmed <= m));
    let at_least = o.min_harmed.map(|m| (format!("≥ {m}"), harmed >= m));
    at_most
        .into_iter()
        .chain(at_least)
        .map(|(test, holds)| Condition {
            test: format!("core indicators harmed {test}"),
            actual: harmed.to_string(),
            holds,
        })
        .collect()
}

/// A number as the policy shows it: whole numbers without decimals.
pub(crate) fn num(x: f64) -> String {
    let r = (x * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Screening {
        toml::from_str(
            r#"
incomplete = "refer"
contradicted = "refer"
[[outcomes]]
id = "recommend"
label = "Recommend"
min_total = 10.0
[[outcomes]]
id = "refer"
label = "Refer"
min_not_stated = 1
[[outcomes]]
id = "not-recommended"
label = "Not recommended"
"#,
        )
        .unwrap()
    }

    fn facts<'a>(
        total: f64,
        items: &'a [ChecklistItem],
        themes: &'a IndexMap<String, ThemeResult>,
        contradictions: usize,
    ) -> Facts<'a> {
        Facts {
            total,
            verified_share: 1.0,
            items,
            themes,
            contradictions,
            harmed: 0,
        }
    }

    fn item(status: Status) -> ChecklistItem {
        ChecklistItem {
            rule: "R-01".into(),
            title: "t".into(),
            theme: "x".into(),
            status,
            reason: None,
            ask: None,
            weak: false,
            contradiction: None,
            recorded: None,
        }
    }

    #[test]
    fn a_contradicted_bid_is_at_best_the_ceiling_and_never_better_than_before() {
        let s = policy();
        let themes = IndexMap::new();
        let met = [item(Status::Met)];
        // Strong on its facts: recommend without the contradiction, refer with it.
        let f = facts(20.0, &met, &themes, 1);
        assert_eq!(outcome(&s, &f, Some("recommend")), "refer");
        // The contradiction made an item not stated, which reaches refer's `min_not_stated`:
        // still never better than the outcome before (not recommended).
        let not_stated = [item(Status::NotStated)];
        let f = facts(2.0, &not_stated, &themes, 1);
        assert_eq!(decide(&s.outcomes, &f), "refer");
        assert_eq!(outcome(&s, &f, Some("not-recommended")), "not-recommended");
        let held = held_down(&s, 1, "refer", Some("not-recommended"));
        assert_eq!(held.len(), 1);
        assert!(held[0].test.contains("no better than without"));
        // The condition a policy may set instead, as explain shows it.
        let strict: Outcome =
            toml::from_str("id = \"recommend\"\nlabel = \"R\"\nmax_contradictions = 0\n").unwrap();
        let f = facts(20.0, &met, &themes, 2);
        let c = conditions(&strict, &f);
        assert!(
            c.iter()
                .any(|c| c.test == "contradictions ≤ 0" && c.actual == "2" && !c.holds)
        );
        // No contradiction: the policy alone.
        let f = facts(20.0, &met, &themes, 0);
        assert_eq!(outcome(&s, &f, None), "recommend");
    }
}
