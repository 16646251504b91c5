//! A checklist with one rule's source replaced, in memory: the rules playground's "what would
//! this edit do?". Nothing is read from or written to disk; the edited rule is compiled and
//! checked exactly as a loaded one would be.

use super::{Checklist, ChecklistError, SourceFile, cross_check, rule, source};
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
        let refuse = |d: Diagnostic| ChecklistError {
            unreadable: false,
            diagnostics: vec![d],
        };
        let Some(old) = self.all_rules.iter().find(|r| r.meta.id == id) else {
            let ids = self.all_rules.iter().map(|r| r.meta.id.as_str());
            let d = Diagnostic::error(&self.root, format!("the checklist has no rule `{id}`"));
            return Err(refuse(match crate::suggest::did_you_mean(id, ids) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d,
            }));
        };
        if source.len() > super::source::MAX_FILE as usize {
            return Err(refuse(Diagnostic::error(
                &old.shown,
                format!(
                    "the rule is larger than {} MiB",
                    super::source::MAX_FILE / 1024 / 1024
                ),
            )));
        }
        // A fresh sandbox, configured exactly as the checklist's own (the same limits).
        let sandbox = Sandbox::new(
            Arc::new(self.schema.fields().clone()),
            self.limits.rule_operations,
        );
        let mut new = rule::load(
            &sandbox,
            self.schema.fields(),
            &old.shown,
            &old.file,
            source,
        )
        .map_err(|diagnostics| ChecklistError {
            unreadable: false,
            diagnostics,
        })?;
        if new.meta.id != id {
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
            return Err(refuse(d.help(format!("keep `id: \"{id}\"`"))));
        }
        let edited = SourceFile {
            rel: old.file.clone(),
            text: source.to_string(),
        };
        let problems = cross_check(
            &self.config,
            std::slice::from_ref(&new),
            std::slice::from_ref(&edited),
            &self.root,
            self.schema.fields(),
            true,
        );
        if !problems.is_empty() {
            return Err(ChecklistError {
                unreadable: false,
                diagnostics: problems,
            });
        }
        new.origin = old.origin.clone();
        new.weight = self
            .config
            .rules
            .get(id)
            .and_then(|o| o.weight)
            .unwrap_or(new.meta.weight);
        let swap = |rules: &[super::Rule]| -> Vec<super::Rule> {
            rules
                .iter()
                .map(|r| {
                    if r.meta.id == id {
                        new.clone()
                    } else {
                        r.clone()
                    }
                })
                .collect()
        };
        let mut own_file = false;
        let files: Vec<SourceFile> = self
            .files
            .iter()
            .map(|f| {
                if format!("{}/{}", self.root, f.rel) == old.shown {
                    own_file = true;
                    edited.clone()
                } else {
                    f.clone()
                }
            })
            .collect();
        let hash = if own_file && self.layers.is_empty() {
            source::hash(&files)
        } else if let (true, Some(base)) = (own_file, self.layers.last()) {
            let mut h = crate::hash::Hasher::default();
            h.update_framed(base.hash.as_bytes());
            h.update_framed(source::hash(&files).as_bytes());
            h.finish()
        } else {
            // The rule comes from a base layer: the hash names this checklist and the edit.
            let mut h = crate::hash::Hasher::default();
            h.update_framed(self.hash.as_bytes());
            h.update_framed(edited.rel.as_bytes());
            h.update_framed(edited.text.replace("\r\n", "\n").as_bytes());
            h.finish()
        };
        Ok(Checklist {
            config: self.config.clone(),
            rules: swap(&self.rules),
            all_rules: swap(&self.all_rules),
            hash,
            layers: self.layers.clone(),
            base_files: self.base_files.clone(),
            sandbox,
            limits: self.limits.clone(),
            files,
            root: self.root.clone(),
            schema: self.schema,
        })
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
