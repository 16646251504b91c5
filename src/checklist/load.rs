//! Loading a checklist, in the stages a reader can follow: read a layer (its `checklist.toml` as
//! written), load the base it builds on, resolve its config onto the base's, compile its rules,
//! merge them with the base's, check the whole against the config, then order and weigh the
//! rules. Every stage's problems are gathered, and a checklist with any is refused whole.

use super::config::{self, Config, RawConfig};
use super::source::{self, SourceFile};
use super::{CONCEPTS, Checklist, ChecklistError, MAX_LAYERS, Rule, check, rule};
use crate::appraisal::Layer;
use crate::diagnostic::Diagnostic;
use crate::engine::Sandbox;
use crate::limits::Limits;
use crate::proposal::{Fields, ProposalSchema};
use crate::reading::{Echo, Lexicon, LexiconLayer};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The checklist whose files are `files`, shown as `root`; `dir` is its folder, if it has one
/// (a relative `base` is found from there); `depth` counts the layers above it.
pub(super) fn checklist(
    root: &str,
    files: Vec<SourceFile>,
    dir: Option<&Path>,
    depth: usize,
) -> Result<Checklist, ChecklistError> {
    let (config_file, config_text, raw) = read_layer(root, &files)?;
    let base = load_base(raw.checklist.base.as_deref(), dir, &config_file, depth)?;
    let config = raw.resolve(&config_file, base.as_ref().map(|b| &b.config));
    let schema = ProposalSchema::builtin();
    let (concepts, compiled) = concepts_and_rules(root, &files, base.as_ref(), config, schema);
    let (lexicon, lexicon_layers, mut warnings) = concepts?;
    let (
        config,
        Compiled {
            sandbox,
            limits,
            origin,
            own,
            mut problems,
            echo,
        },
        (hash, layers),
    ) = compiled.map_err(|d| ChecklistError::invalid(vec![d]))?;
    problems.extend(check::contradiction_fields(&lexicon, schema.fields()));
    let has_base = base.is_some();
    problems.extend(check::rules_against_config(
        &config,
        &own,
        &files,
        root,
        schema.fields(),
        &lexicon,
        has_base,
    ));
    let own_count = own.len();
    let merged = merge(own, base.as_ref());
    // The layer's own rules' words were shingled as they compiled; the base's kept rules' here.
    let lexicon = learn_checklist_words(lexicon, echo, merged.get(own_count..).unwrap_or_default());
    let ids: Vec<&str> = merged.iter().map(|r| r.meta.id.as_str()).collect();
    problems.extend(config::validate(&config_file, &config_text, &config, &ids));
    if !problems.is_empty() {
        return Err(ChecklistError::invalid(problems));
    }

    let all_rules = order_and_weigh(merged, &config);
    let rules = all_rules
        .iter()
        .filter(|r| config.rules.get(&r.meta.id).is_none_or(|o| o.is_enabled()))
        .cloned()
        .collect();
    warnings.extend(check::deprecated_calls(
        &own_rules_of(&all_rules, &origin),
        &files,
    ));
    Ok(Checklist {
        config,
        rules,
        all_rules,
        lexicon,
        lexicon_layers,
        warnings,
        sandbox,
        limits,
        schema,
        hash,
        layers,
        files,
        root: root.to_string(),
        base_files: base_files(base),
    })
}

/// The checklist's hash (its own files', on top of its base's) and the layers below it.
type Provenance = (String, Vec<Layer>);

/// The resolved config, the layer's rules compiled, and the provenance.
type Built = (Config, Compiled, Provenance);

/// A layer's rules, compiled in the sandbox they will run in.
struct Compiled {
    sandbox: Sandbox,
    limits: Limits,
    origin: String,
    own: Vec<Rule>,
    problems: Vec<Diagnostic>,
    /// The echo of the layer's own rules' published words.
    echo: Echo,
}

/// Stages 2b and 3 side by side: the concepts read and the files hashed on this thread, and
/// (when the config resolved) the rules compiled on another. Neither depends on the other, and they
/// are most of a cold start's work; every result is what the stages give one after the other.
/// The compiling thread also shingles its rules' published words for the echo test.
/// The compiling thread gets an evaluation thread's stack, as Rhai's parser recurses.
fn concepts_and_rules(
    root: &str,
    files: &[SourceFile],
    base: Option<&Checklist>,
    config: Result<Config, Diagnostic>,
    schema: &ProposalSchema,
) -> (Result<Concepts, ChecklistError>, Result<Built, Diagnostic>) {
    let config = match config {
        Ok(c) => c,
        Err(d) => return (read_concepts(root, files, base), Err(d)),
    };
    let build = || {
        let config = &config;
        let limits = limits(config);
        let sandbox = Sandbox::new(Arc::new(schema.fields().clone()), limits.rule_operations);
        let origin = format!("{} {}", config.checklist.name, config.checklist.version);
        let (own, problems) = compile(root, files, &sandbox, schema.fields(), &origin);
        Compiled {
            echo: Echo::new(published(&own)),
            sandbox,
            limits,
            origin,
            own,
            problems,
        }
    };
    let (concepts, compiled, hashed) = std::thread::scope(|s| {
        let other = std::thread::Builder::new()
            .name("compile".into())
            .stack_size(crate::engine::STACK_SIZE)
            .spawn_scoped(s, build);
        let concepts = read_concepts(root, files, base);
        let hashed = provenance(base, files);
        let compiled = match other {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: the same work, on this one.
            Err(_) => build(),
        };
        (concepts, compiled, hashed)
    });
    (concepts, Ok((config, compiled, hashed)))
}

/// Stage 1: the layer's `checklist.toml` as written (its path as shown, its text, its parse).
fn read_layer(
    root: &str,
    files: &[SourceFile],
) -> Result<(String, String, RawConfig), ChecklistError> {
    let config_file = format!("{root}/checklist.toml");
    let Some(src) = files.iter().find(|f| f.rel == "checklist.toml") else {
        return Err(ChecklistError::invalid(vec![
            Diagnostic::error(&config_file, "no `checklist.toml` in the checklist folder")
                .help("a checklist folder holds `checklist.toml` and the rule files; `stronger rules init DIR` starts one"),
        ]));
    };
    let raw = config::parse(&config_file, &src.text).map_err(ChecklistError::invalid)?;
    Ok((config_file, src.text.clone(), raw))
}

/// Stage 2: the checklist this one builds on (`[checklist] base`), loaded whole first: the
/// built-in one for `"default"`, else a folder relative to this one. At most a few layers deep.
fn load_base(
    base: Option<&str>,
    dir: Option<&Path>,
    config_file: &str,
    depth: usize,
) -> Result<Option<Checklist>, ChecklistError> {
    let Some(base) = base else {
        return Ok(None);
    };
    if depth >= MAX_LAYERS {
        return Err(ChecklistError::invalid(vec![
            Diagnostic::error(
                config_file,
                format!("checklists build on each other more than {MAX_LAYERS} deep"),
            )
            .help(
                "check that no checklist names itself, directly or through others, as its `base`",
            ),
        ]));
    }
    if base == "default" {
        return checklist("rules", source::builtin(), None, depth + 1).map(Some);
    }
    let dir = match dir {
        Some(d) => d.join(base),
        None => PathBuf::from(base),
    };
    let shown = dir.display().to_string();
    let files = source::read_dir(&dir).map_err(|d| {
        ChecklistError::invalid(vec![Diagnostic::error(
            config_file,
            format!("cannot load the base checklist `{base}`: {}", d.message),
        )])
    })?;
    checklist(shown.trim_end_matches('/'), files, Some(&dir), depth + 1).map(Some)
}

/// A checklist's concepts: the compiled lexicon, the layers it was built from, its warnings.
type Concepts = (Lexicon, Vec<LexiconLayer>, Vec<Diagnostic>);

/// Stage 2b: the concepts the checklist's prose is read with — the base's concepts files with
/// this layer's `concepts.toml` over them. A checklist with none reads no concepts. Returns the
/// compiled lexicon, the parsed layers (for a checklist that builds on this one) and warnings.
fn read_concepts(
    root: &str,
    files: &[SourceFile],
    base: Option<&Checklist>,
) -> Result<Concepts, ChecklistError> {
    let mut layers: Vec<LexiconLayer> = base.map(|b| b.lexicon_layers.clone()).unwrap_or_default();
    if let Some(f) = files.iter().find(|f| f.rel == CONCEPTS) {
        let shown = format!("{root}/{CONCEPTS}");
        layers.push(Lexicon::parse(&shown, &f.text).map_err(ChecklistError::invalid)?);
    }
    if layers.is_empty() {
        return Ok((Lexicon::empty(), layers, Vec::new()));
    }
    let own_warnings = files.iter().any(|f| f.rel == CONCEPTS);
    let (built, warnings) = Lexicon::build(layers.clone());
    let lexicon = built.map_err(ChecklistError::invalid)?;
    // A base's warnings were its own to show; this layer reports those its file causes.
    let warnings = if own_warnings { warnings } else { Vec::new() };
    Ok((lexicon, layers, warnings))
}

/// The lexicon, taught the checklist's own published words: every rule's title, question,
/// rationale and `meets` (with the concepts' descriptions it has), so a sentence copied from
/// them is not read as the bid's own.
/// `known` is the echo of rules whose words were learnt already (see [`concepts_and_rules`]);
/// `rules` are the rest.
fn learn_checklist_words(lexicon: Lexicon, known: Echo, rules: &[Rule]) -> Arc<Lexicon> {
    let mut lexicon = lexicon;
    lexicon.learn_echo(known, published(rules));
    Arc::new(lexicon)
}

/// A rule's published words: its title, question, rationale and `meets`.
fn published(rules: &[Rule]) -> impl Iterator<Item = &str> {
    rules.iter().flat_map(|r| {
        let m = &r.meta;
        [&m.title, &m.question, &m.rationale]
            .into_iter()
            .map(String::as_str)
            .chain(m.meets.as_deref())
    })
}

/// The rules this layer itself defines (not those it takes from its base).
fn own_rules_of<'r>(rules: &'r [Rule], origin: &str) -> Vec<&'r Rule> {
    rules.iter().filter(|r| r.origin == origin).collect()
}

/// The limits the config sets, on top of the defaults.
fn limits(config: &Config) -> Limits {
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
    limits
}

/// Stage 3: this layer's rule files, compiled, each marked with the layer it comes from; and
/// every problem found in them.
fn compile(
    root: &str,
    files: &[SourceFile],
    sandbox: &Sandbox,
    fields: &Fields,
    origin: &str,
) -> (Vec<Rule>, Vec<Diagnostic>) {
    let mut rules = Vec::new();
    let mut problems = Vec::new();
    for f in files.iter().filter(|f| f.is_rule()) {
        match rule::load(
            sandbox,
            fields,
            &format!("{root}/{}", f.rel),
            &f.rel,
            &f.text,
        ) {
            Ok(mut r) => {
                r.origin = origin.to_string();
                rules.push(r);
            }
            Err(d) => problems.extend(d),
        }
    }
    (rules, problems)
}

/// Stage 4: this layer's rules, then the base's rules it does not replace (by id). The base's
/// rules come with their base weights; the config's overrides apply to all (stage 5).
fn merge(own: Vec<Rule>, base: Option<&Checklist>) -> Vec<Rule> {
    let mut rules = own;
    if let Some(b) = base {
        for r in &b.all_rules {
            if !rules.iter().any(|x| x.meta.id == r.meta.id) {
                rules.push(r.clone());
            }
        }
    }
    rules
}

/// Stage 5: each rule's weight in force (the config's override, else its own), in checklist
/// order: by theme as the config lists them, then by id.
fn order_and_weigh(mut rules: Vec<Rule>, config: &Config) -> Vec<Rule> {
    for r in &mut rules {
        r.weight = r.meta.weight;
        if let Some(w) = config.rules.get(&r.meta.id).and_then(|o| o.weight) {
            r.weight = w;
        }
    }
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
    rules
}

/// The checklist's hash (its own files' hash, on top of its base's) and the layers below it.
fn provenance(base: Option<&Checklist>, files: &[SourceFile]) -> Provenance {
    let own = source::hash(files);
    let Some(b) = base else {
        return (source::layer_hash(None, &own), Vec::new());
    };
    let mut layers = b.layers.clone();
    layers.push(Layer {
        checklist: b.name().to_string(),
        version: b.version().to_string(),
        hash: b.hash.clone(),
    });
    (source::layer_hash(Some(&b.hash), &own), layers)
}

/// The files of every layer below this one, base first: test bids may come from any of them.
fn base_files(base: Option<Checklist>) -> Vec<(String, Vec<SourceFile>)> {
    base.map(|b| {
        let mut files = b.base_files;
        files.push((b.root, b.files));
        files
    })
    .unwrap_or_default()
}
