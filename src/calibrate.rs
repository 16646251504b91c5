//! How a checklist behaves on bids it has never seen, measured from data in a folder: the
//! ranking of the example bids, the outcomes and bands on real grant files, and — on a
//! hand-labelled development set — how well each core indicator's score separates the grants
//! that plausibly move it from the rest (the area under the ROC curve on the held-out half, with
//! a bootstrap interval). `stronger rules calibrate` is a thin shell; `docs/calibration.md` is
//! its output on `tests/data/calibration/calibration.toml`.

mod auc;
mod labels;
mod manifest;

pub use auc::{Auc, auc};
pub use manifest::Manifest;

use crate::appraisal::{Appraisal, Status};
use crate::batch::{Item, read_input};
use crate::checklist::Checklist;
use crate::limits::Limits;
use crate::proposal::Proposal;
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a checklist made of every input the manifest names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// `name version`.
    pub checklist: String,
    pub hash: String,
    pub rules: usize,
    /// The example bids, ranked as `screen` ranks them.
    pub examples: Option<Corpus>,
    /// Each grant file, in the manifest's order.
    pub corpora: Vec<Corpus>,
    /// The labelled development set.
    pub labelled: Option<Labelled>,
}

/// One set of bids and what the checklist made of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Corpus {
    pub name: String,
    /// The path as the manifest gives it.
    pub path: String,
    pub about: String,
    /// Bids appraised.
    pub bids: usize,
    /// Bids (rows, grants) that could not be read.
    pub unreadable: usize,
    /// Bids whose appraisal was incomplete (a rule failed).
    pub incomplete: usize,
    /// Outcome id → count, in the screening policy's order.
    pub outcomes: IndexMap<String, usize>,
    /// Core indicator → band id → count, bands in the checklist's order.
    pub bands: IndexMap<String, IndexMap<String, usize>>,
    /// Fewest, median and most checklist items not stated.
    pub not_stated: [usize; 3],
    /// Checklist items "not met", across all bids.
    pub not_met: usize,
    /// The bids ranked (only for small corpora: the examples).
    pub ranking: Vec<Ranked>,
}

/// One bid in a ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    pub id: String,
    pub title: String,
    pub outcome: String,
    pub total: f64,
}

/// The development set: labels, and how well each core indicator's score separates them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Labelled {
    pub path: String,
    pub grants: usize,
    /// The held-out half reported (`test`) and the half rules may be tuned on (`tune`).
    pub halves: [String; 2],
    pub bootstrap: usize,
    pub seed: u64,
    /// Core indicator → separation on each half.
    pub indicators: IndexMap<String, Separation>,
    /// The same measure from an earlier checklist, when the manifest names a baseline.
    pub baseline: Option<Baseline>,
    /// The held-out half's separation on parts of the set, in the manifest's order.
    pub subsets: Vec<Subset>,
}

/// Separation on part of the labelled set (the held-out half only).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Subset {
    pub name: String,
    pub draws: Vec<String>,
    pub indicators: IndexMap<String, Auc>,
}

/// How well one indicator's score separates positives from negatives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Separation {
    pub tune: Auc,
    pub test: Auc,
}

/// Separation measured earlier, kept as data so "before" and "after" sit side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// `name version` of the checklist measured.
    pub checklist: String,
    pub hash: String,
    /// What the baseline is (e.g. "before the reading layer, commit 452b62d").
    pub note: String,
    pub indicators: IndexMap<String, Separation>,
}

/// Why calibration could not run: the manifest, a labels file or a baseline is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", .0.iter().map(|d| d.render()).collect::<String>())]
pub struct CalibrationError(pub Vec<crate::Diagnostic>);

/// Runs the checklist over everything the manifest names.
pub fn calibrate(checklist: &Checklist, manifest: &Manifest) -> Result<Report, CalibrationError> {
    let examples = match &manifest.examples {
        Some(p) => Some(corpus(
            checklist,
            manifest,
            "The example bids",
            p,
            "",
            true,
        )?),
        None => None,
    };
    let corpora = manifest
        .corpora
        .iter()
        .map(|c| corpus(checklist, manifest, &c.name, &c.path, &c.about, false))
        .collect::<Result<Vec<_>, _>>()?;
    let labelled = match &manifest.labelled {
        Some(l) => Some(labelled(checklist, manifest, l)?),
        None => None,
    };
    Ok(Report {
        checklist: format!("{} {}", checklist.name(), checklist.version()),
        hash: checklist.hash().to_string(),
        rules: checklist.rules().count(),
        examples,
        corpora,
        labelled,
    })
}

/// Reads every bid from `path` (a file or a folder), counting those that cannot be read.
fn read_bids(checklist: &Checklist, path: &Path) -> (Vec<Proposal>, usize) {
    let limits = Limits::default();
    let files = crate::batch::expand(&[path.to_path_buf()]).files;
    let mut items: Vec<Item> = Vec::new();
    for f in &files {
        read_input(f, checklist.schema(), &limits, &mut |item| {
            items.push(item);
            true
        });
    }
    let resolved: Vec<Item> = items
        .into_par_iter()
        .map(|i| i.resolve(checklist.schema(), &limits))
        .collect();
    let mut bids = Vec::with_capacity(resolved.len());
    let mut unreadable = 0;
    for item in resolved {
        match item.bid {
            Ok(p) => bids.push(p),
            Err(_) => unreadable += 1,
        }
    }
    (bids, unreadable)
}

fn corpus(
    checklist: &Checklist,
    manifest: &Manifest,
    name: &str,
    rel: &str,
    about: &str,
    ranked: bool,
) -> Result<Corpus, CalibrationError> {
    let path = manifest.resolve(rel)?;
    let (bids, unreadable) = read_bids(checklist, &path);
    let appraisals = crate::appraise::appraise_all(checklist, &bids);
    let cfg = &checklist.config;
    let mut outcomes: IndexMap<String, usize> = cfg
        .screening
        .outcomes
        .iter()
        .map(|o| (o.id.clone(), 0))
        .collect();
    let mut bands: IndexMap<String, IndexMap<String, usize>> = IndexMap::new();
    for ind in cfg.indicators.iter().filter(|i| i.core) {
        bands.insert(
            ind.id.clone(),
            cfg.bands.iter().map(|b| (b.id.clone(), 0)).collect(),
        );
    }
    let mut not_stated = Vec::with_capacity(appraisals.len());
    let mut not_met = 0;
    for a in &appraisals {
        *outcomes.entry(a.outcome.clone()).or_insert(0) += 1;
        for (ind, counts) in bands.iter_mut() {
            if let Some(r) = a.indicators.get(ind) {
                *counts.entry(r.band.clone()).or_insert(0) += 1;
            }
        }
        let count = |s: Status| a.checklist.iter().filter(|i| i.status == s).count();
        not_stated.push(count(Status::NotStated));
        not_met += count(Status::NotMet);
    }
    not_stated.sort_unstable();
    let spread = [
        not_stated.first().copied().unwrap_or(0),
        not_stated.get(not_stated.len() / 2).copied().unwrap_or(0),
        not_stated.last().copied().unwrap_or(0),
    ];
    Ok(Corpus {
        name: name.to_string(),
        path: rel.to_string(),
        about: about.to_string(),
        bids: appraisals.len(),
        unreadable,
        incomplete: appraisals.iter().filter(|a| !a.complete).count(),
        outcomes,
        bands,
        not_stated: spread,
        not_met,
        ranking: if ranked {
            ranking(checklist, &appraisals)
        } else {
            Vec::new()
        },
    })
}

/// Ranked as `screen` ranks: by outcome (best first), then total (highest first), then id.
fn ranking(checklist: &Checklist, appraisals: &[Appraisal]) -> Vec<Ranked> {
    let rank = |a: &Appraisal| {
        checklist
            .config
            .screening
            .outcomes
            .iter()
            .position(|o| o.id == a.outcome)
            .unwrap_or(usize::MAX)
    };
    let mut out: Vec<&Appraisal> = appraisals.iter().collect();
    out.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then(b.total.total_cmp(&a.total))
            .then(a.proposal.id.cmp(&b.proposal.id))
    });
    out.into_iter()
        .map(|a| Ranked {
            id: a.proposal.id.clone(),
            title: a.proposal.title.clone(),
            outcome: a.outcome.clone(),
            total: a.total,
        })
        .collect()
}

fn labelled(
    checklist: &Checklist,
    manifest: &Manifest,
    spec: &manifest::LabelledSpec,
) -> Result<Labelled, CalibrationError> {
    let grants_path = manifest.resolve(&spec.grants)?;
    let labels_path = manifest.resolve(&spec.labels)?;
    let (bids, unreadable) = read_bids(checklist, &grants_path);
    if unreadable > 0 {
        return Err(CalibrationError(vec![crate::Diagnostic::error(
            &spec.grants,
            format!("{unreadable} of the labelled grants could not be read"),
        )
        .help("every grant in the development set must be readable: check it with `stronger screen`")]));
    }
    let core: Vec<String> = checklist
        .config
        .indicators
        .iter()
        .filter(|i| i.core)
        .map(|i| i.id.clone())
        .collect();
    let ids: Vec<&str> = bids.iter().map(|b| b.id.as_str()).collect();
    let table = labels::read(&labels_path, &spec.labels, &core, &ids)?;
    let appraisals = crate::appraise::appraise_all(checklist, &bids);
    let all = |_: &str| true;
    let mut indicators = IndexMap::new();
    for ind in &core {
        let sep = |half: &str, seed: u64| {
            let (pos, neg) = scores(&appraisals, &table, ind, half, &all);
            auc(&pos, &neg, spec.bootstrap, seed)
        };
        indicators.insert(
            ind.clone(),
            Separation {
                tune: sep("tune", spec.seed),
                test: sep("test", spec.seed),
            },
        );
    }
    let baseline = match &spec.baseline {
        Some(rel) => Some(manifest.baseline(rel)?),
        None => None,
    };
    let subsets = subsets(manifest, spec, &ids, &core, &appraisals, &table)?;
    Ok(Labelled {
        path: spec.labels.clone(),
        grants: bids.len(),
        halves: ["tune".to_string(), "test".to_string()],
        bootstrap: spec.bootstrap,
        seed: spec.seed,
        indicators,
        baseline,
        subsets,
    })
}

fn subsets(
    manifest: &Manifest,
    spec: &manifest::LabelledSpec,
    ids: &[&str],
    core: &[String],
    appraisals: &[Appraisal],
    table: &labels::Table,
) -> Result<Vec<Subset>, CalibrationError> {
    if spec.subset.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rel) = &spec.selection else {
        return Err(CalibrationError(vec![crate::Diagnostic::error(
            &spec.labels,
            "`[[labelled.subset]]` needs `labelled.selection`, the file that says which draw each grant came from",
        )]));
    };
    let draws = labels::draws(&manifest.resolve(rel)?, rel, ids)?;
    let mut out = Vec::new();
    for sub in &spec.subset {
        let within = |id: &str| draws.get(id).is_some_and(|d| sub.draws.contains(d));
        let indicators = core
            .iter()
            .map(|ind| {
                let (pos, neg) = scores(appraisals, table, ind, "test", &within);
                (ind.clone(), auc(&pos, &neg, spec.bootstrap, spec.seed))
            })
            .collect();
        out.push(Subset {
            name: sub.name.clone(),
            draws: sub.draws.clone(),
            indicators,
        });
    }
    Ok(out)
}

/// The indicator's scores of the positives and of the negatives in one half.
fn scores(
    appraisals: &[Appraisal],
    table: &labels::Table,
    indicator: &str,
    half: &str,
    within: &dyn Fn(&str) -> bool,
) -> (Vec<f64>, Vec<f64>) {
    let mut pos = Vec::new();
    let mut neg = Vec::new();
    for a in appraisals {
        let Some(row) = table.get(&a.proposal.id) else {
            continue;
        };
        if row.half != half || !within(&a.proposal.id) {
            continue;
        }
        let score = a.indicators.get(indicator).map_or(0.0, |r| r.score);
        match row.positive.get(indicator) {
            Some(true) => pos.push(score),
            Some(false) => neg.push(score),
            None => {}
        }
    }
    (pos, neg)
}

impl Report {
    /// The report as a baseline file: what a later checklist's separation is compared with.
    pub fn baseline(&self, note: &str) -> Option<Baseline> {
        self.labelled.as_ref().map(|l| Baseline {
            checklist: self.checklist.clone(),
            hash: self.hash.clone(),
            note: note.to_string(),
            indicators: l.indicators.clone(),
        })
    }
}
