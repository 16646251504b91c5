//! A partnership's contribution (issue 18, part 3): the appraisals of many proposals added up
//! for each thematic partnership that owns them (the proposal's `partnership`), and across all
//! of them — what the advisory group takes to the executive. For each group: every core
//! indicator's expected contribution (the sum of the proposals' scores, the gains and the harms
//! apart, and how many proposals move it each way), the proposals with the largest gains and
//! the largest harms, the checklist items most often not met or not stated (the blockages), the
//! outcomes; and every proposal that could not be read, with its located error, so the
//! portfolio says it is incomplete instead of leaving anything out silently.
//!
//! Built one proposal at a time ([`Builder`]), holding a small record per proposal and counts
//! per group, never the appraisals themselves. Pure: it reads no file and formats nothing
//! (`render` does); its serde form is `schemas/portfolio.schema.json`. Output order is
//! deterministic: groups by name (the group of proposals that state no partnership last),
//! indicators in the checklist's order, ties broken by id.

use crate::aggregate::round2;
use crate::appraisal::{Appraisal, Status};
use crate::batch::{Item, ItemError};
use crate::checklist::Checklist;
use crate::proposal::Proposal;
use indexmap::IndexMap;
use serde::Serialize;

/// The version of the portfolio's JSON form: raised when a key changes meaning.
pub const VERSION: u32 = 1;
/// The group of the proposals that do not say which partnership owns them: not stated is not
/// "no", so they are neither dropped nor put with anyone.
pub const UNSTATED: &str = "No partnership stated";
/// The group that holds every proposal.
pub const ALL: &str = "All partnerships";
/// How many proposals each group lists among its largest gains, and among its largest harms.
pub const TOP: usize = 3;
/// How many checklist items each group lists as its blockages.
pub const BLOCKAGES: usize = 5;

/// What the proposals are grouped by (`--by`). Only `partnership` today; others may follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum By {
    /// The proposal's top-level `partnership` field.
    Partnership,
}

impl By {
    pub fn as_str(self) -> &'static str {
        match self {
            By::Partnership => "partnership",
        }
    }
}

/// Many proposals' appraisals, added up per group and across all.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Portfolio {
    /// The version of this JSON form ([`VERSION`]).
    pub version: u32,
    /// What the proposals are grouped by.
    pub by: By,
    /// The checklist that appraised them: name, version and `sha256:` hash.
    pub checklist: ChecklistRef,
    pub engine: String,
    /// False when a proposal could not be read (see `errors`) or an appraisal is incomplete (a
    /// rule failed): the totals then leave something out.
    pub complete: bool,
    /// Proposals appraised.
    pub proposals: usize,
    /// Proposals that could not be read, and so are in no total.
    pub left_out: usize,
    /// Proposals whose appraisal is incomplete (a rule failed); their scores are counted as
    /// appraised.
    pub incomplete: usize,
    /// The core indicators, in the checklist's order: the columns of every group's table.
    pub indicators: Vec<IndicatorName>,
    /// One group per partnership, by name; the proposals that state none last.
    pub groups: Vec<Group>,
    /// Every proposal, whatever its group.
    pub all: Group,
    /// The proposals left out, in input order, each with where and why.
    pub errors: Vec<LeftOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ChecklistRef {
    pub name: String,
    pub version: String,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct IndicatorName {
    pub id: String,
    pub name: String,
    /// The short name tables use, when the checklist gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short: Option<String>,
}

/// One partnership's proposals (or all of them), added up.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Group {
    /// The partnership as the proposals name it, or [`UNSTATED`], or [`ALL`].
    pub name: String,
    /// Whether the proposals state this partnership (false for [`UNSTATED`] and [`ALL`]).
    pub stated: bool,
    /// Proposals appraised in the group.
    pub proposals: usize,
    /// Of them, appraisals that are incomplete.
    pub incomplete: usize,
    /// How many proposals got each outcome, in the screening policy's order (outcomes no
    /// proposal got left out).
    pub outcomes: Vec<OutcomeCount>,
    /// Each core indicator's expected contribution, in the checklist's order.
    pub indicators: Vec<Contribution>,
    /// The proposals with the largest gains (the sum of their positive core indicator scores),
    /// largest first, ties by id; at most [`TOP`].
    pub gains: Vec<Ranked>,
    /// The proposals with the largest harms (the sum of their negative core indicator scores),
    /// most negative first, ties by id; at most [`TOP`].
    pub harms: Vec<Ranked>,
    /// The checklist items most often not met or not stated, most often first (then more often
    /// not met, then by rule id); at most [`BLOCKAGES`].
    pub blockages: Vec<Blockage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct OutcomeCount {
    pub outcome: String,
    pub label: String,
    pub count: usize,
}

/// A core indicator's expected contribution from a group's proposals.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Contribution {
    pub indicator: String,
    /// The sum of the proposals' scores on it: `gains` + `harms`.
    pub total: f64,
    /// The sum of the positive scores.
    pub gains: f64,
    /// The sum of the negative scores (zero or less).
    pub harms: f64,
    /// Proposals that score above zero on it.
    pub positive: usize,
    /// Proposals that score below zero on it.
    pub negative: usize,
}

/// A proposal among a group's largest gains or harms.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Ranked {
    pub id: String,
    pub title: String,
    /// The proposal's `kind`; absent when it does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub outcome: String,
    pub outcome_label: String,
    /// What puts it there: the sum of its positive (gains) or negative (harms) core indicator
    /// scores.
    pub score: f64,
    /// The core indicators that make up `score`, largest first.
    pub indicators: Vec<String>,
}

/// A checklist item often not met or not stated in a group.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Blockage {
    pub rule: String,
    pub title: String,
    /// Proposals where it is not met or not stated: `not_met` + `not_stated`.
    pub count: usize,
    pub not_met: usize,
    pub not_stated: usize,
}

/// A proposal that could not be read: in no total.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct LeftOut {
    /// The input file, as named.
    pub source: String,
    /// `file:line:column` of the first problem, or the file alone.
    pub location: String,
    /// The proposal's id, when it got far enough to have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The field at fault, when one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// What one proposal leaves in its groups: enough to rank it, never its appraisal.
#[derive(Debug, Clone)]
struct Record {
    id: String,
    title: String,
    kind: Option<String>,
    outcome: String,
    /// Each core indicator's score, in the checklist's order.
    scores: Vec<f64>,
}

/// A group's counts while proposals come in.
#[derive(Debug, Clone, Default)]
struct Tally {
    records: Vec<Record>,
    incomplete: usize,
    outcomes: IndexMap<String, usize>,
    /// Rule id → (title, not met, not stated).
    items: IndexMap<String, (String, usize, usize)>,
}

impl Tally {
    fn add(&mut self, record: &Record, a: &Appraisal) {
        self.records.push(record.clone());
        if !a.complete {
            self.incomplete += 1;
        }
        *self.outcomes.entry(a.outcome.clone()).or_insert(0) += 1;
        for item in &a.checklist {
            // As the screening policy counts them: a met on the bid's words alone is not stated.
            let (not_met, not_stated) = match item.counted_status() {
                Status::NotMet => (1, 0),
                Status::NotStated => (0, 1),
                Status::Met | Status::NotApplicable => continue,
            };
            let e = self
                .items
                .entry(item.rule.clone())
                .or_insert_with(|| (item.title.clone(), 0, 0));
            e.1 += not_met;
            e.2 += not_stated;
        }
    }
}

/// A group's name as first written (`None`: not stated), and its tally.
type Named = (Option<String>, Tally);

/// Builds a [`Portfolio`] one proposal at a time, in input order.
pub struct Builder<'c> {
    checklist: &'c Checklist,
    by: By,
    /// The core indicators' ids, in the checklist's order.
    core: Vec<String>,
    /// Partnership, case folded (`None`: not stated) → its name as first written and its
    /// tally, in order of first appearance.
    groups: IndexMap<Option<String>, Named>,
    all: Tally,
    errors: Vec<LeftOut>,
}

impl<'c> Builder<'c> {
    pub fn new(checklist: &'c Checklist, by: By) -> Builder<'c> {
        let core = checklist
            .config
            .indicators
            .iter()
            .filter(|i| i.core)
            .map(|i| i.id.clone())
            .collect();
        Builder {
            checklist,
            by,
            core,
            groups: IndexMap::new(),
            all: Tally::default(),
            errors: Vec::new(),
        }
    }

    /// One proposal and its appraisal.
    pub fn add(&mut self, proposal: &Proposal, appraisal: &Appraisal) {
        let text = |key: &str| {
            proposal
                .doc
                .get(key)
                .and_then(|v| v.as_str())
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|s| !s.is_empty())
        };
        let record = Record {
            id: appraisal.proposal.id.clone(),
            title: appraisal.proposal.title.clone(),
            kind: text("kind"),
            outcome: appraisal.outcome.clone(),
            scores: self
                .core
                .iter()
                .map(|id| {
                    appraisal
                        .indicators
                        .get(id)
                        .map_or(0.0, |r| round2(r.score))
                })
                .collect(),
        };
        let name = match self.by {
            By::Partnership => text("partnership"),
        };
        // One partnership however its proposals capitalise it; shown as first written.
        let key = name.as_deref().map(str::to_lowercase);
        self.groups
            .entry(key)
            .or_insert_with(|| (name, Tally::default()))
            .1
            .add(&record, appraisal);
        self.all.add(&record, appraisal);
    }

    /// A proposal that could not be read: reported, and counted as left out.
    pub fn left_out(&mut self, item: &Item, error: &ItemError) {
        let first = error.diagnostics.first();
        let location = first.map_or_else(
            || match item.line {
                Some(l) => format!("{}:{l}", item.source),
                None => item.source.clone(),
            },
            |d| d.location(),
        );
        self.errors.push(LeftOut {
            source: item.source.clone(),
            location,
            id: error.id.clone(),
            field: first.and_then(|d| d.field.clone()),
            message: first.map_or_else(|| error.message.clone(), |d| d.message.clone()),
        });
    }

    /// Whether nothing came in: no proposal and no error.
    pub fn is_empty(&self) -> bool {
        self.all.records.is_empty() && self.errors.is_empty()
    }

    pub fn finish(self) -> Portfolio {
        let mut named: Vec<(Option<String>, Named)> = self.groups.into_iter().collect();
        // By name, case aside; the proposals that state none last.
        named.sort_by(|(a, _), (b, _)| match (a, b) {
            (Some(a), Some(b)) => a.cmp(b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let c = self.checklist;
        let groups: Vec<Group> = named
            .iter()
            .map(|(_, (name, t))| match name {
                Some(n) => group(c, &self.core, n, true, t),
                None => group(c, &self.core, UNSTATED, false, t),
            })
            .collect();
        let all = group(c, &self.core, ALL, false, &self.all);
        let indicators = c
            .config
            .indicators
            .iter()
            .filter(|i| i.core)
            .map(|i| IndicatorName {
                id: i.id.clone(),
                name: i.name.clone(),
                short: i.short.clone(),
            })
            .collect();
        Portfolio {
            version: VERSION,
            by: self.by,
            checklist: ChecklistRef {
                name: c.name().to_string(),
                version: c.version().to_string(),
                hash: c.hash().to_string(),
            },
            engine: crate::ENGINE.to_string(),
            complete: self.errors.is_empty() && all.incomplete == 0,
            proposals: all.proposals,
            left_out: self.errors.len(),
            incomplete: all.incomplete,
            indicators,
            groups,
            all,
            errors: self.errors,
        }
    }
}

/// A group's tally, added up.
fn group(c: &Checklist, core: &[String], name: &str, stated: bool, t: &Tally) -> Group {
    let indicators = core
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let scores = t.records.iter().filter_map(|r| r.scores.get(i).copied());
            let (mut gains, mut harms, mut positive, mut negative) = (0.0, 0.0, 0, 0);
            for s in scores {
                if s > 0.0 {
                    gains += s;
                    positive += 1;
                } else if s < 0.0 {
                    harms += s;
                    negative += 1;
                }
            }
            let (gains, harms) = (round2(gains), round2(harms));
            Contribution {
                indicator: id.clone(),
                total: round2(gains + harms),
                gains,
                harms,
                positive,
                negative,
            }
        })
        .collect();
    let screening = &c.config.screening;
    // The policy's outcomes in order, then the incomplete outcome if it is not one of them.
    let mut ids: Vec<&str> = screening.outcomes.iter().map(|o| o.id.as_str()).collect();
    if !ids.contains(&screening.incomplete.as_str()) {
        ids.push(&screening.incomplete);
    }
    // An outcome the policy does not name (an appraisal made elsewhere) is counted all the same.
    let others: Vec<&str> = t
        .outcomes
        .keys()
        .map(String::as_str)
        .filter(|id| !ids.contains(id))
        .collect();
    ids.extend(others);
    let outcomes: Vec<OutcomeCount> = ids
        .into_iter()
        .filter_map(|id| {
            let count = t.outcomes.get(id).copied().filter(|n| *n > 0)?;
            Some(OutcomeCount {
                outcome: id.to_string(),
                label: screening.label(id).to_string(),
                count,
            })
        })
        .collect();
    Group {
        name: name.to_string(),
        stated,
        proposals: t.records.len(),
        incomplete: t.incomplete,
        outcomes,
        indicators,
        gains: ranked(c, core, &t.records, true),
        harms: ranked(c, core, &t.records, false),
        blockages: blockages(&t.items),
    }
}

/// The proposals with the largest gains (`gains`) or harms, at most [`TOP`].
fn ranked(c: &Checklist, core: &[String], records: &[Record], gains: bool) -> Vec<Ranked> {
    let part = |s: f64| if gains { s > 0.0 } else { s < 0.0 };
    let mut scored: Vec<(f64, &Record)> = records
        .iter()
        .map(|r| {
            (
                round2(r.scores.iter().copied().filter(|s| part(*s)).sum()),
                r,
            )
        })
        .filter(|(s, _)| part(*s))
        .collect();
    scored.sort_by(|(a, ra), (b, rb)| {
        let by_size = if gains {
            b.total_cmp(a)
        } else {
            a.total_cmp(b)
        };
        by_size.then_with(|| ra.id.cmp(&rb.id))
    });
    scored
        .into_iter()
        .take(TOP)
        .map(|(score, r)| {
            let mut moved: Vec<(f64, &String)> = core
                .iter()
                .zip(&r.scores)
                .filter(|(_, s)| part(**s))
                .map(|(id, s)| (s.abs(), id))
                .collect();
            moved.sort_by(|(a, ia), (b, ib)| b.total_cmp(a).then_with(|| ia.cmp(ib)));
            Ranked {
                id: r.id.clone(),
                title: r.title.clone(),
                kind: r.kind.clone(),
                outcome: r.outcome.clone(),
                outcome_label: c.config.screening.label(&r.outcome).to_string(),
                score,
                indicators: moved.into_iter().map(|(_, id)| id.clone()).collect(),
            }
        })
        .collect()
}

/// The items most often not met or not stated, at most [`BLOCKAGES`].
fn blockages(items: &IndexMap<String, (String, usize, usize)>) -> Vec<Blockage> {
    let mut all: Vec<Blockage> = items
        .iter()
        .map(|(rule, (title, not_met, not_stated))| Blockage {
            rule: rule.clone(),
            title: title.clone(),
            count: not_met + not_stated,
            not_met: *not_met,
            not_stated: *not_stated,
        })
        .collect();
    all.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.not_met.cmp(&a.not_met))
            .then_with(|| a.rule.cmp(&b.rule))
    });
    all.truncate(BLOCKAGES);
    all
}
