//! The calibration manifest: which bids to run a checklist over, named relative to the
//! manifest's own folder so the measure travels with its data.
//!
//! ```toml
//! examples = "../../../examples"        # a folder of bids, ranked in the report
//!
//! [labelled]                             # the hand-labelled development set
//! grants = "dev-grants.json"             # any bid input: 360Giving, JSON Lines, CSV, a folder
//! labels = "labels.csv"                  # id,half,NI1,…,NI7 (0/1)
//! bootstrap = 2000                       # resamples for the interval
//! seed = 14
//! baseline = "baseline.json"             # the same measure from an earlier checklist
//! selection = "selection.csv"            # id,…,draw: which draw brought each grant in
//!
//! [[labelled.subset]]                    # part of the set, reported on its own
//! name = "the random draws only"
//! draws = ["a4a-all", "lbf-random100"]
//!
//! [[corpus]]                             # real grant files: outcomes and bands
//! name = "Lloyds Bank Foundation"
//! path = "../360giving/lloyds-bank-foundation.json"
//! about = "charity grants, 2010–15: a title and one sentence each"
//! ```

use super::{Baseline, CalibrationError};
use crate::Diagnostic;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A parsed manifest and the folder its paths are relative to.
#[derive(Debug, Clone)]
pub struct Manifest {
    dir: PathBuf,
    pub(super) examples: Option<String>,
    pub(super) labelled: Option<LabelledSpec>,
    pub(super) corpora: Vec<CorpusSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    examples: Option<String>,
    labelled: Option<LabelledSpec>,
    #[serde(default)]
    corpus: Vec<CorpusSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LabelledSpec {
    pub grants: String,
    pub labels: String,
    #[serde(default = "default_bootstrap")]
    pub bootstrap: usize,
    #[serde(default)]
    pub seed: u64,
    pub baseline: Option<String>,
    /// `id,…,draw`: which draw brought each grant into the set, for subsets.
    pub selection: Option<String>,
    #[serde(default)]
    pub subset: Vec<SubsetSpec>,
}

/// Part of the labelled set, reported on its own (e.g. only the random draws).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SubsetSpec {
    pub name: String,
    /// The draws (from the selection file) that make up the subset.
    pub draws: Vec<String>,
}

fn default_bootstrap() -> usize {
    2000
}

/// Most resamples: enough for a stable 95% interval, and a bound on the work a manifest asks.
const MAX_BOOTSTRAP: usize = 100_000;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CorpusSpec {
    pub name: String,
    pub path: String,
    #[serde(default)]
    pub about: String,
}

impl Manifest {
    /// Reads a manifest file.
    pub fn load(path: &Path) -> Result<Manifest, CalibrationError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            CalibrationError(vec![Diagnostic::error(
                &shown,
                format!(
                    "cannot read the manifest: {}",
                    crate::proposal::io_reason(&e)
                ),
            )])
        })?;
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        Manifest::parse(&shown, &text, dir)
    }

    /// Parses a manifest whose paths are relative to `dir`.
    pub fn parse(shown: &str, text: &str, dir: PathBuf) -> Result<Manifest, CalibrationError> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let msg = e.message().trim().trim_end_matches('.').to_string();
            let mut d = Diagnostic::error(shown, msg);
            if let Some(span) = e.span() {
                let (l, c) = crate::diagnostic::line_col(text, span.start);
                d = d.at_in(text, l, c);
            }
            CalibrationError(vec![d])
        })?;
        if let Some(l) = &raw.labelled
            && l.bootstrap > MAX_BOOTSTRAP
        {
            return Err(CalibrationError(vec![Diagnostic::error(
                shown,
                format!(
                    "`labelled.bootstrap` may be at most {MAX_BOOTSTRAP}, found {}",
                    l.bootstrap
                ),
            )]));
        }
        Ok(Manifest {
            dir,
            examples: raw.examples,
            labelled: raw.labelled,
            corpora: raw.corpus,
        })
    }

    /// A path from the manifest, resolved against its folder; it must exist.
    pub(super) fn resolve(&self, rel: &str) -> Result<PathBuf, CalibrationError> {
        let p = self.dir.join(rel);
        if p.exists() {
            Ok(p)
        } else {
            Err(CalibrationError(vec![Diagnostic::error(
                p.display().to_string(),
                "no such file or folder, named in the calibration manifest",
            )]))
        }
    }

    /// Reads a baseline file the manifest names.
    pub(super) fn baseline(&self, rel: &str) -> Result<Baseline, CalibrationError> {
        let p = self.resolve(rel)?;
        let shown = p.display().to_string();
        let text = std::fs::read_to_string(&p).map_err(|e| {
            CalibrationError(vec![Diagnostic::error(
                &shown,
                format!(
                    "cannot read the baseline: {}",
                    crate::proposal::io_reason(&e)
                ),
            )])
        })?;
        serde_json::from_str(&text).map_err(|e| {
            CalibrationError(vec![
                Diagnostic::error(&shown, format!("the baseline is not valid: {e}"))
                    .at(e.line(), e.column()),
            ])
        })
    }
}
