//! A checklist: `checklist.toml` plus one Rhai file per rule, loaded from a folder or from the
//! copy built into the binary, validated as a whole, compiled once and hashed.
//!
//! A checklist with any problem is refused whole — a rule that does not compile is never
//! silently left out. A loaded [`Checklist`] is immutable and shared across threads.

mod analysis;
mod config;
mod edit;
mod rule;
mod source;

pub use analysis::{Analysis, FieldRead, OutcomeSite};
pub use rule::RuleMeta;

pub(crate) use config::{Band, Config, Outcome};
pub(crate) use rule::Rule;

use crate::appraisal::Appraisal;
use crate::diagnostic::Diagnostic;
use crate::engine::Sandbox;
use crate::limits::Limits;
use crate::proposal::{Proposal, ProposalSchema};
pub(crate) use source::SourceFile;
use std::path::Path;
use std::sync::Arc;

/// A checklist that could not be loaded: every problem found, each located.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", .diagnostics.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct ChecklistError {
    pub diagnostics: Vec<Diagnostic>,
    /// The folder itself could not be read (as opposed to holding an invalid checklist).
    pub unreadable: bool,
}

impl miette::Diagnostic for ChecklistError {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        Some(Box::new(
            self.diagnostics
                .iter()
                .map(|d| d as &dyn miette::Diagnostic),
        ))
    }
}

impl ChecklistError {
    /// Every problem, rendered like rustc's diagnostics.
    pub fn render(&self) -> String {
        self.diagnostics.iter().map(Diagnostic::render).collect()
    }
}

/// How many checklists deep `base` may go.
const MAX_LAYERS: usize = 8;

/// A loaded, validated, compiled checklist.
pub struct Checklist {
    pub(crate) config: Config,
    /// The rules in force, in checklist order.
    pub(crate) rules: Vec<Rule>,
    /// Every rule, including those switched off (a layer on top may switch them back on).
    pub(crate) all_rules: Vec<Rule>,
    pub(crate) hash: String,
    /// The checklists this one builds on, base first.
    pub(crate) layers: Vec<crate::appraisal::Layer>,
    /// The files of every base layer (root shown, files), base first: for test bids.
    pub(crate) base_files: Vec<(String, Vec<SourceFile>)>,
    pub(crate) sandbox: Sandbox,
    pub(crate) limits: Limits,
    /// Every file of the checklist (config, rules, tests), sorted by path.
    pub(crate) files: Vec<SourceFile>,
    /// The folder as shown in messages (`rules` for the built-in checklist).
    pub(crate) root: String,
    schema: &'static ProposalSchema,
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
        Self::from_sources("rules", source::builtin(), None)
    }

    /// A checklist from a folder holding `checklist.toml`.
    pub fn load(dir: &Path) -> Result<Checklist, ChecklistError> {
        let shown = dir.display().to_string();
        let files = source::read_dir(dir).map_err(|d| ChecklistError {
            unreadable: true,
            diagnostics: vec![d],
        })?;
        Self::from_sources(shown.trim_end_matches('/'), files, Some(dir))
    }

    fn from_sources(
        root: &str,
        files: Vec<SourceFile>,
        dir: Option<&Path>,
    ) -> Result<Checklist, ChecklistError> {
        Self::from_sources_at(root, files, dir, 0)
    }

    fn from_sources_at(
        root: &str,
        files: Vec<SourceFile>,
        dir: Option<&Path>,
        depth: usize,
    ) -> Result<Checklist, ChecklistError> {
        let shown = |rel: &str| format!("{root}/{rel}");
        let config_file = shown("checklist.toml");
        let Some(config_src) = files.iter().find(|f| f.rel == "checklist.toml") else {
            return Err(ChecklistError {
                unreadable: false,
                diagnostics: vec![Diagnostic::error(&config_file, "no `checklist.toml` in the checklist folder")
                    .help("a checklist folder holds `checklist.toml` and the rule files; `stronger rules init DIR` starts one")],
            });
        };
        let raw = config::parse(&config_file, &config_src.text).map_err(|diagnostics| {
            ChecklistError {
                unreadable: false,
                diagnostics,
            }
        })?;
        // A checklist may build on another: load that first (at most a few layers deep).
        let base = match &raw.checklist.base {
            None => None,
            Some(_) if depth >= MAX_LAYERS => {
                return Err(ChecklistError {
                    unreadable: false,
                    diagnostics: vec![Diagnostic::error(&config_file, format!("checklists build on each other more than {MAX_LAYERS} deep"))
                        .help("check that no checklist names itself, directly or through others, as its `base`")],
                });
            }
            Some(b) if b == "default" => Some(Self::from_sources_at(
                "rules",
                source::builtin(),
                None,
                depth + 1,
            )?),
            Some(b) => {
                let dir = match dir {
                    Some(d) => d.join(b),
                    None => std::path::PathBuf::from(b),
                };
                let shown_base = dir.display().to_string();
                let files = source::read_dir(&dir).map_err(|d| ChecklistError {
                    unreadable: false,
                    diagnostics: vec![Diagnostic::error(
                        &config_file,
                        format!("cannot load the base checklist `{b}`: {}", d.message),
                    )],
                })?;
                Some(Self::from_sources_at(
                    shown_base.trim_end_matches('/'),
                    files,
                    Some(&dir),
                    depth + 1,
                )?)
            }
        };
        let config = raw
            .resolve(&config_file, base.as_ref().map(|b| &b.config))
            .map_err(|d| ChecklistError {
                unreadable: false,
                diagnostics: vec![d],
            })?;
        let mut limits = Limits::default();
        if let Some(ops) = config.limits.rule_operations {
            limits.rule_operations = ops;
        }
        if let Some(ms) = config.limits.rule_millis {
            limits.rule_time = std::time::Duration::from_millis(ms);
        }
        if let Some(ms) = config.limits.appraisal_millis {
            limits.appraisal_time = std::time::Duration::from_millis(ms);
        }
        let schema = ProposalSchema::builtin();
        let sandbox = Sandbox::new(Arc::new(schema.fields().clone()), limits.rule_operations);
        let me = format!("{} {}", config.checklist.name, config.checklist.version);

        let mut diagnostics = Vec::new();
        let mut own: Vec<Rule> = Vec::new();
        for f in files.iter().filter(|f| f.is_rule()) {
            match rule::load(&sandbox, schema.fields(), &shown(&f.rel), &f.rel, &f.text) {
                Ok(mut r) => {
                    r.origin = me.clone();
                    own.push(r);
                }
                Err(d) => diagnostics.extend(d),
            }
        }
        diagnostics.extend(cross_check(
            &config,
            &own,
            &files,
            root,
            schema.fields(),
            base.is_some(),
        ));
        // This layer's rules, then the base's rules it does not replace (by id). The base's
        // rules are in force with their base weights; overrides below apply to all.
        let mut rules = own;
        if let Some(b) = &base {
            for r in &b.all_rules {
                if !rules.iter().any(|x| x.meta.id == r.meta.id) {
                    rules.push(r.clone());
                }
            }
        }
        let ids: Vec<&str> = rules.iter().map(|r| r.meta.id.as_str()).collect();
        diagnostics.extend(config::validate(
            &config_file,
            &config_src.text,
            &config,
            &ids,
        ));
        if !diagnostics.is_empty() {
            return Err(ChecklistError {
                unreadable: false,
                diagnostics,
            });
        }
        for r in &mut rules {
            r.weight = r.meta.weight;
            if let Some(w) = config.rules.get(&r.meta.id).and_then(|o| o.weight) {
                r.weight = w;
            }
        }
        // Checklist order: by theme as the config lists them, then by id.
        let theme_pos = |t: &str| {
            config
                .themes
                .iter()
                .position(|x| x.id == t)
                .unwrap_or(usize::MAX)
        };
        rules.sort_by(|a, b| {
            theme_pos(&a.meta.theme)
                .cmp(&theme_pos(&b.meta.theme))
                .then_with(|| a.meta.id.cmp(&b.meta.id))
        });
        let all_rules = rules.clone();
        rules.retain(|r| config.rules.get(&r.meta.id).is_none_or(|o| o.is_enabled()));

        let own_hash = source::hash(&files);
        let (hash, layers) = match &base {
            None => (own_hash, Vec::new()),
            Some(b) => {
                let mut layers = b.layers.clone();
                layers.push(crate::appraisal::Layer {
                    checklist: b.name().to_string(),
                    version: b.version().to_string(),
                    hash: b.hash.clone(),
                });
                let mut h = crate::hash::Hasher::default();
                h.update_framed(b.hash.as_bytes());
                h.update_framed(own_hash.as_bytes());
                (h.finish(), layers)
            }
        };
        Ok(Checklist {
            config,
            rules,
            all_rules,
            hash,
            layers,
            base_files: base
                .map(|b| {
                    let mut f = b.base_files;
                    f.push((b.root, b.files));
                    f
                })
                .unwrap_or_default(),
            sandbox,
            limits,
            files,
            root: root.to_string(),
            schema,
        })
    }

    /// The checklists this one builds on, base first (empty for a standalone checklist).
    pub fn layers(&self) -> &[crate::appraisal::Layer] {
        &self.layers
    }

    /// The effective checklist and where each part comes from, for `rules check` and `rules doc`.
    pub fn provenance_summary(&self) -> String {
        use std::fmt::Write as _;
        let mut o = String::new();
        let me = format!("{} {}", self.name(), self.version());
        let chain: Vec<String> = self
            .layers
            .iter()
            .map(|l| format!("{} {}", l.checklist, l.version))
            .chain(std::iter::once(me))
            .collect();
        let _ = writeln!(o, "layers: {} (hash {})", chain.join(" <- "), self.hash);
        let mut by_origin: Vec<(&str, Vec<&str>)> = Vec::new();
        for r in &self.rules {
            match by_origin.iter_mut().find(|(o, _)| *o == r.origin) {
                Some((_, ids)) => ids.push(&r.meta.id),
                None => by_origin.push((&r.origin, vec![&r.meta.id])),
            }
        }
        for (origin, ids) in by_origin {
            let _ = writeln!(o, "rules from {origin}: {}", ids.join(" "));
        }
        let off: Vec<&str> = self
            .all_rules
            .iter()
            .filter(|r| !self.rules.iter().any(|x| x.meta.id == r.meta.id))
            .map(|r| r.meta.id.as_str())
            .collect();
        if !off.is_empty() {
            let _ = writeln!(o, "switched off: {}", off.join(" "));
        }
        for r in &self.rules {
            if (r.weight - r.meta.weight).abs() > f64::EPSILON {
                let _ = writeln!(
                    o,
                    "weight of {}: {} (its own: {})",
                    r.meta.id, r.weight, r.meta.weight
                );
            }
        }
        for (part, origin) in &self.config.origins {
            if !part.starts_with("rules.") {
                let _ = writeln!(o, "{part} from {origin}");
            }
        }
        o
    }

    /// How many test cases the checklist's own `tests/` folder holds.
    pub fn case_count(&self) -> usize {
        self.case_files()
            .filter_map(|f| toml::from_str::<toml::Table>(&f.text).ok())
            .map(|t| {
                t.get("case")
                    .and_then(|c| c.as_array())
                    .map_or(0, |c| c.len())
            })
            .sum()
    }

    /// The test case files in the checklist's own `tests/` folder (not its bids, nor the reading
    /// judgments in `tests/judgments/`, which the reading layer runs).
    pub(crate) fn case_files(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().filter(|f| {
            f.rel.starts_with("tests/")
                && f.rel.ends_with(".toml")
                && !f.rel.starts_with("tests/bids/")
                && !f.rel.starts_with("tests/judgments/")
        })
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

    /// Appraises one bid on the evaluation pool (threads with a large stack).
    pub fn appraise(&self, proposal: &Proposal) -> Appraisal {
        crate::evaluate::pool().install(|| self.appraise_on_this_thread(proposal))
    }

    /// Appraises one bid on the calling thread, which must be an evaluation thread (one with
    /// [`crate::engine::STACK_SIZE`] of stack): use it inside `pool().install` for batches.
    pub(crate) fn appraise_on_this_thread(&self, proposal: &Proposal) -> Appraisal {
        let runs = crate::evaluate::run_rules(self, proposal);
        crate::aggregate::build(self, proposal, &runs)
    }

    /// Appraises one bid and also returns what each rule read and which outcomes it reached.
    pub fn appraise_traced(&self, proposal: &Proposal) -> (Appraisal, crate::evaluate::Trace) {
        crate::evaluate::pool().install(|| {
            let runs = crate::evaluate::run_rules(self, proposal);
            let trace = crate::evaluate::trace(&runs);
            (crate::aggregate::build(self, proposal, &runs), trace)
        })
    }
}

/// Rules against the config: unique ids, themes and indicators that exist, folder = theme.
fn cross_check(
    config: &Config,
    rules: &[Rule],
    files: &[SourceFile],
    root: &str,
    fields: &crate::proposal::Fields,
    has_base: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let themes: Vec<&str> = config.themes.iter().map(|t| t.id.as_str()).collect();
    let indicators: Vec<&str> = config.indicators.iter().map(|i| i.id.as_str()).collect();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for r in rules {
        let src = files
            .iter()
            .find(|f| f.rel == r.file)
            .map(|f| f.text.as_str())
            .unwrap_or("");
        let at = |needle: &str, msg: String| {
            let d = Diagnostic::error(&r.shown, msg);
            match src.find(needle) {
                Some(off) => {
                    let (l, c) = crate::diagnostic::line_col(src, off);
                    d.at_in(src, l, c)
                }
                None => d,
            }
        };
        if let Some((_, other)) = seen.iter().find(|(id, _)| *id == r.meta.id) {
            out.push(
                at(
                    "id:",
                    format!("rule id `{}` is also used by {root}/{other}", r.meta.id),
                )
                .help("every rule needs its own id"),
            );
        } else {
            seen.push((&r.meta.id, &r.file));
        }
        if !themes.contains(&r.meta.theme.as_str()) {
            let d = at(
                "theme:",
                format!("theme `{}` is not defined in checklist.toml", r.meta.theme),
            );
            out.push(
                match crate::suggest::did_you_mean(&r.meta.theme, themes.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help(format!("the themes are: {}", themes.join(", "))),
                },
            );
        } else {
            let folder = r.file.split('/').next().unwrap_or("");
            if folder != r.meta.theme {
                out.push(
                    at(
                        "theme:",
                        format!(
                            "the rule is in folder `{folder}` but its theme is `{}`",
                            r.meta.theme
                        ),
                    )
                    .help(format!(
                        "move it to `{}/`, or change its theme",
                        r.meta.theme
                    )),
                );
            }
        }
        for read in &r.analysis.reads {
            if fields.kind(&read.path).is_none() {
                let d = Diagnostic::error(
                    &r.shown,
                    format!(
                        "the rule reads `bid.{}`, which is not a proposal field",
                        read.path
                    ),
                )
                .at_in(src, read.line, read.column);
                out.push(match fields.suggest(&read.path) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d.help("the fields are listed in schemas/proposal.schema.json"),
                });
            }
        }
        for ind in &r.meta.indicators {
            if !indicators.contains(&ind.as_str()) {
                let d = at(
                    &format!("\"{ind}\""),
                    format!("indicator `{ind}` is not defined in checklist.toml"),
                );
                out.push(
                    match crate::suggest::did_you_mean(ind, indicators.iter().copied()) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d,
                    },
                );
            }
        }
    }
    if !has_base && rules.is_empty() && !files.iter().any(|f| f.is_rule()) {
        out.push(Diagnostic::error(
            format!("{root}/"),
            "the checklist has no rules (`*.rhai` files in theme folders)",
        ));
    }
    out
}
