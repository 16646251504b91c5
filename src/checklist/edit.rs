//! A checklist with one rule's source replaced, in memory: the rules playground's "what would
//! this edit do?". Nothing is read from or written to disk; the edited rule is compiled and
//! checked exactly as a loaded one would be.

use super::{Checklist, ChecklistError, Rule, SourceFile, check, rule, source};
use crate::diagnostic::Diagnostic;
use crate::engine::Sandbox;
use std::sync::Arc;

impl Checklist {
    /// This checklist with rule `id`'s source replaced by `source`.
    ///
    /// The edited rule must compile, keep its id, stay in its theme and read only proposal
    /// fields; problems come back located (file, line:column) like `stronger rules check`. For a
    /// checklist without layers the hash is the one the checklist folder would have with the
    /// edit saved, so provenance stays honest.
    pub fn with_rule_replaced(&self, id: &str, source: &str) -> Result<Checklist, ChecklistError> {
        let old = self.rule_to_replace(id)?;
        if source.len() > source::MAX_FILE as usize {
            return Err(ChecklistError::invalid(vec![Diagnostic::error(
                &old.shown,
                format!(
                    "the rule is larger than {} MiB",
                    source::MAX_FILE / 1024 / 1024
                ),
            )]));
        }
        // A fresh sandbox, configured exactly as the checklist's own (the same limits).
        let sandbox = Sandbox::new(
            Arc::new(self.schema.fields().clone()),
            self.limits.rule_operations,
        );
        let mut new = self.compile_edit(&sandbox, old, source)?;
        let edited = SourceFile {
            rel: old.file.clone(),
            text: source.to_string(),
        };
        let problems = check::rules_against_config(
            &self.config,
            std::slice::from_ref(&new),
            std::slice::from_ref(&edited),
            &self.root,
            self.schema.fields(),
            &self.lexicon,
            true,
        );
        if !problems.is_empty() {
            return Err(ChecklistError::invalid(problems));
        }
        new.origin = old.origin.clone();
        new.weight = self
            .config
            .rules
            .get(id)
            .and_then(|o| o.weight)
            .unwrap_or(new.meta.weight);
        let (files, own_file) = self.files_with(&old.shown, &edited);
        Ok(Checklist {
            config: self.config.clone(),
            rules: swap(&self.rules, &new),
            all_rules: swap(&self.all_rules, &new),
            lexicon: self.lexicon.clone(),
            lexicon_layers: self.lexicon_layers.clone(),
            warnings: self.warnings.clone(),
            sandbox,
            limits: self.limits.clone(),
            schema: self.schema,
            hash: self.edit_hash(own_file, &files, &edited),
            layers: self.layers.clone(),
            files,
            root: self.root.clone(),
            base_files: self.base_files.clone(),
        })
    }

    /// The rule an edit replaces, or an error naming the nearest id.
    fn rule_to_replace(&self, id: &str) -> Result<&Rule, ChecklistError> {
        self.all_rules
            .iter()
            .find(|r| r.meta.id == id)
            .ok_or_else(|| {
                let ids = self.all_rules.iter().map(|r| r.meta.id.as_str());
                let d = Diagnostic::error(&self.root, format!("the checklist has no rule `{id}`"));
                ChecklistError::invalid(vec![match crate::suggest::did_you_mean(id, ids) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => d,
                }])
            })
    }

    /// The edited source compiled as the rule it replaces, which must keep its id.
    fn compile_edit(
        &self,
        sandbox: &Sandbox,
        old: &Rule,
        source: &str,
    ) -> Result<Rule, ChecklistError> {
        let new = rule::load(sandbox, self.schema.fields(), &old.shown, &old.file, source)
            .map_err(ChecklistError::invalid)?;
        let id = &old.meta.id;
        if &new.meta.id == id {
            return Ok(new);
        }
        let d = Diagnostic::error(
            &old.shown,
            format!(
                "the edited rule's id is `{}`, but it replaces `{id}`",
                new.meta.id
            ),
        );
        let d = match source.find("id:") {
            Some(off) => {
                let (l, c) = crate::diagnostic::line_col(source, off);
                d.at_in(source, l, c)
            }
            None => d,
        };
        Err(ChecklistError::invalid(vec![
            d.help(format!("keep `id: \"{id}\"`")),
        ]))
    }

    /// This layer's files with the edited one in place of the file shown as `shown`, and
    /// whether this layer holds that file (rather than a base).
    fn files_with(&self, shown: &str, edited: &SourceFile) -> (Vec<SourceFile>, bool) {
        let mut own_file = false;
        let files = self
            .files
            .iter()
            .map(|f| {
                if format!("{}/{}", self.root, f.rel) == shown {
                    own_file = true;
                    edited.clone()
                } else {
                    f.clone()
                }
            })
            .collect();
        (files, own_file)
    }

    /// The edited checklist's hash: for an edit of this layer's own file, the hash the folder
    /// would have with the edit saved (the same layer hash loading computes).
    fn edit_hash(&self, own_file: bool, files: &[SourceFile], edited: &SourceFile) -> String {
        if own_file {
            let base = self.layers.last().map(|l| l.hash.as_str());
            return source::layer_hash(base, &source::hash(files));
        }
        // The rule comes from a base layer: the hash names this checklist and the edit.
        let mut h = crate::hash::Hasher::default();
        h.update_framed(self.hash.as_bytes());
        h.update_framed(edited.rel.as_bytes());
        h.update_framed(edited.text.replace("\r\n", "\n").as_bytes());
        h.finish()
    }

    /// The id of every rule, switched off or not.
    pub fn all_rule_ids(&self) -> impl Iterator<Item = &str> {
        self.all_rules.iter().map(|r| r.meta.id.as_str())
    }

    /// The source of rule `id` as the checklist holds it (own layer or a base's), with the
    /// path it is shown by.
    pub fn rule_source(&self, id: &str) -> Option<(&str, &str)> {
        let r = self.all_rules.iter().find(|r| r.meta.id == id)?;
        std::iter::once((&self.root, &self.files))
            .chain(self.base_files.iter().rev().map(|(root, f)| (root, f)))
            .flat_map(|(root, files)| files.iter().map(move |f| (root, f)))
            .find(|(root, f)| format!("{root}/{}", f.rel) == r.shown)
            .map(|(_, f)| (r.shown.as_str(), f.text.as_str()))
    }
}

/// `rules` with the edited rule in place of the one with its id.
fn swap(rules: &[Rule], new: &Rule) -> Vec<Rule> {
    rules
        .iter()
        .map(|r| {
            if r.meta.id == new.meta.id {
                new.clone()
            } else {
                r.clone()
            }
        })
        .collect()
}
