//! A checklist: `checklist.toml` plus one Rhai file per rule, loaded from a folder or from the
//! copy built into the binary, validated as a whole, compiled once and hashed.
//!
//! A loaded [`Checklist`] is a compiled, read-only program: the effective config, the rules in
//! force, its provenance (name, version, hash, the layers it builds on), the sandbox the rules
//! run in and the limits they run under. Nothing changes it after loading; an edited checklist
//! (`edit.rs`) is a new one. It is shared across threads.
//!
//! Loading runs in named stages (`load.rs`): read a layer, load its base, resolve the config,
//! compile the rules, merge them with the base's, check them (`check.rs`), order and weigh them.
//! A checklist with any problem is refused whole — a rule that does not compile is never
//! silently left out. Appraising with a checklist is `appraise`'s, and formatting one is
//! `render`'s: this module knows neither.

mod analysis;
mod check;
mod config;
mod edit;
mod load;
mod rule;
mod source;
mod values;

pub use analysis::OutcomeSite;
pub use rule::RuleMeta;

pub(crate) use config::{Band, Config, Indicator, Outcome, Screening, Theme};
pub(crate) use rule::Rule;
pub(crate) use source::SourceFile;
pub(crate) use values::{Maxima, maxima};

use crate::appraisal::{Layer, Provenance};
use crate::diagnostic::Diagnostic;
use crate::engine::Sandbox;
use crate::limits::Limits;
use crate::proposal::ProposalSchema;
use std::path::Path;

/// A checklist that could not be loaded: every problem found, each located.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChecklistError {
    /// The folder itself could not be read.
    #[error("{0}")]
    Unreadable(Box<Diagnostic>),
    /// The folder was read, but what it holds is not a valid checklist.
    #[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Diagnostic>),
}

impl miette::Diagnostic for ChecklistError {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        Some(Box::new(
            self.diagnostics()
                .iter()
                .map(|d| d as &dyn miette::Diagnostic),
        ))
    }
}

impl ChecklistError {
    /// Every problem found, each located.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            ChecklistError::Unreadable(d) => std::slice::from_ref(&**d),
            ChecklistError::Invalid(ds) => ds,
        }
    }

    /// Every problem, for a caller that keeps them.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        match self {
            ChecklistError::Unreadable(d) => vec![*d],
            ChecklistError::Invalid(ds) => ds,
        }
    }

    /// Every problem, rendered like rustc's diagnostics.
    pub fn render(&self) -> String {
        self.diagnostics().iter().map(Diagnostic::render).collect()
    }

    /// A checklist that was read but is not valid.
    pub(crate) fn invalid(diagnostics: Vec<Diagnostic>) -> ChecklistError {
        ChecklistError::Invalid(diagnostics)
    }
}

/// How many checklists deep `base` may go.
const MAX_LAYERS: usize = 8;
/// The concepts file of a checklist layer: what its rules' concepts are and how prose is read.
const CONCEPTS: &str = "concepts.toml";

/// A loaded, validated, compiled checklist: read-only once loaded.
pub struct Checklist {
    // The program.
    pub(crate) config: Config,
    /// The rules in force, in checklist order.
    pub(crate) rules: Vec<Rule>,
    /// Every rule, including those switched off (a layer on top may switch them back on).
    pub(crate) all_rules: Vec<Rule>,
    /// The concepts, triggers and actors the bid's prose is read with.
    pub(crate) lexicon: std::sync::Arc<crate::reading::Lexicon>,
    /// The concepts files of every layer, base first (a layer on top merges over them).
    pub(crate) lexicon_layers: Vec<crate::reading::LexiconLayer>,
    /// What is worth fixing but does not stop the checklist: deprecated calls, concepts-file
    /// warnings. `rules check` prints them.
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) sandbox: Sandbox,
    pub(crate) limits: Limits,
    schema: &'static ProposalSchema,
    // Its provenance.
    /// `sha256:` over the files of every layer (see `source::layer_hash`).
    pub(crate) hash: String,
    /// The checklists this one builds on, base first.
    pub(crate) layers: Vec<Layer>,
    // Its sources, for test bids and for showing a rule's source.
    /// Every file of the checklist (config, rules, tests), sorted by path.
    pub(crate) files: Vec<SourceFile>,
    /// The folder as shown in messages (`rules` for the built-in checklist).
    pub(crate) root: String,
    /// The files of every base layer (root shown, files), base first: for test bids.
    pub(crate) base_files: Vec<(String, Vec<SourceFile>)>,
}

impl std::fmt::Debug for Checklist {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Checklist")
            .field("name", &self.config.checklist.name)
            .field("version", &self.config.checklist.version)
            .field("rules", &self.rules.len())
            .finish_non_exhaustive()
    }
}

impl Checklist {
    /// The default checklist, built into the binary.
    pub fn builtin() -> Result<Checklist, ChecklistError> {
        load::checklist("rules", source::builtin(), None, 0)
    }

    /// A checklist from a folder holding `checklist.toml`.
    pub fn load(dir: &Path) -> Result<Checklist, ChecklistError> {
        let shown = dir.display().to_string();
        let files = source::read_dir(dir).map_err(|d| ChecklistError::Unreadable(Box::new(d)))?;
        load::checklist(shown.trim_end_matches('/'), files, Some(dir), 0)
    }

    /// What every appraisal made with this checklist names as its source.
    pub(crate) fn provenance(&self) -> Provenance {
        Provenance {
            checklist: self.config.checklist.name.clone(),
            version: self.config.checklist.version.clone(),
            hash: self.hash.clone(),
            layers: self.layers.clone(),
            engine: crate::ENGINE.to_string(),
            mapping: None,
        }
    }

    /// The checklists this one builds on, base first (empty for a standalone checklist).
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// What is worth fixing but does not stop the checklist (deprecated calls in its rules,
    /// warnings about its concepts file), located.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The checklist's name.
    pub fn name(&self) -> &str {
        &self.config.checklist.name
    }

    /// The checklist's title, if it has one.
    pub fn title(&self) -> Option<&str> {
        self.config.checklist.title.as_deref()
    }

    /// What the checklist is for, if it says.
    pub fn description(&self) -> Option<&str> {
        self.config.checklist.description.as_deref()
    }

    /// The checklist's version.
    pub fn version(&self) -> &str {
        &self.config.checklist.version
    }

    /// The layer this checklist itself is (`kent 0.1.0`): what its own rules name as origin.
    pub(crate) fn own_origin(&self) -> String {
        format!("{} {}", self.name(), self.version())
    }

    /// Whether the checklist builds on another.
    pub fn has_base(&self) -> bool {
        !self.layers.is_empty()
    }

    /// `sha256:` over every file of the checklist.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The metadata of every rule in force, in checklist order.
    pub fn rules(&self) -> impl Iterator<Item = &RuleMeta> {
        self.rules.iter().map(|r| &r.meta)
    }

    /// The proposal schema bids are validated against.
    pub fn schema(&self) -> &'static ProposalSchema {
        self.schema
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}
