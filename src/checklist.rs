//! A checklist: `checklist.toml` plus one Rhai file per rule, loaded from a folder or from the
//! copy built into the binary, validated as a whole, compiled once and hashed.
//!
//! A checklist with any problem is refused whole — a rule that does not compile is never
//! silently left out. A loaded [`Checklist`] is immutable and shared across threads.

mod analysis;
mod config;
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

/// A loaded, validated, compiled checklist.
pub struct Checklist {
    pub(crate) config: Config,
    pub(crate) rules: Vec<Rule>,
    pub(crate) hash: String,
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
        Self::from_sources("rules", source::builtin())
    }

    /// A checklist from a folder holding `checklist.toml`.
    pub fn load(dir: &Path) -> Result<Checklist, ChecklistError> {
        let shown = dir.display().to_string();
        let files = source::read_dir(dir).map_err(|d| ChecklistError {
            diagnostics: vec![d],
        })?;
        Self::from_sources(shown.trim_end_matches('/'), files)
    }

    fn from_sources(root: &str, files: Vec<SourceFile>) -> Result<Checklist, ChecklistError> {
        let shown = |rel: &str| format!("{root}/{rel}");
        let config_file = shown("checklist.toml");
        let Some(config_src) = files.iter().find(|f| f.rel == "checklist.toml") else {
            return Err(ChecklistError {
                diagnostics: vec![Diagnostic::error(&config_file, "no `checklist.toml` in the checklist folder")
                    .help("a checklist folder holds `checklist.toml` and the rule files; `stronger rules init DIR` starts one")],
            });
        };
        let config = config::parse(&config_file, &config_src.text).map_err(|d| ChecklistError {
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

        let mut diagnostics = Vec::new();
        let mut rules: Vec<Rule> = Vec::new();
        for f in files.iter().filter(|f| f.is_rule()) {
            match rule::load(&sandbox, schema.fields(), &shown(&f.rel), &f.rel, &f.text) {
                Ok(r) => rules.push(r),
                Err(d) => diagnostics.extend(d),
            }
        }
        let ids: Vec<&str> = rules.iter().map(|r| r.meta.id.as_str()).collect();
        diagnostics.extend(config::validate(
            &config_file,
            &config_src.text,
            &config,
            &ids,
        ));
        diagnostics.extend(cross_check(&config, &rules, &files, root, schema.fields()));
        if !diagnostics.is_empty() {
            return Err(ChecklistError { diagnostics });
        }

        // Overrides: weights and switching rules off, by id.
        for r in &mut rules {
            if let Some(o) = config.rules.get(&r.meta.id) {
                if let Some(w) = o.weight {
                    r.weight = w;
                }
            }
        }
        rules.retain(|r| config.rules.get(&r.meta.id).is_none_or(|o| o.enabled));
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

        let hash = source::hash(&files);
        Ok(Checklist {
            config,
            rules,
            hash,
            sandbox,
            limits,
            files,
            root: root.to_string(),
            schema,
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
        crate::aggregate::build(self, proposal, runs)
    }
}

/// Rules against the config: unique ids, themes and indicators that exist, folder = theme.
fn cross_check(
    config: &Config,
    rules: &[Rule],
    files: &[SourceFile],
    root: &str,
    fields: &crate::proposal::Fields,
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
    if rules.is_empty() && !files.iter().any(|f| f.is_rule()) {
        out.push(Diagnostic::error(
            format!("{root}/"),
            "the checklist has no rules (`*.rhai` files in theme folders)",
        ));
    }
    out
}
