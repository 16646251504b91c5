//! The files of a checklist, from a folder or from the copy built into the binary, and the
//! content hash over all of them.

use crate::diagnostic::Diagnostic;
use crate::hash::Hasher;
use std::path::Path;

static BUILTIN: include_dir::Dir<'static> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/rules");

/// Largest file a checklist may hold; rule files are a few kilobytes.
pub(super) const MAX_FILE: u64 = 4 * 1024 * 1024;
/// Most files a checklist may hold.
const MAX_FILES: usize = 10_000;

#[derive(Clone)]
pub(crate) struct SourceFile {
    /// Path relative to the checklist folder, `/`-separated.
    pub rel: String,
    pub text: String,
}

impl SourceFile {
    /// Rule files: `*.rhai` anywhere except under `tests/`.
    pub(crate) fn is_rule(&self) -> bool {
        self.rel.ends_with(".rhai") && !self.rel.starts_with("tests/")
    }
}

pub(crate) fn builtin() -> Vec<SourceFile> {
    let mut out = Vec::new();
    collect_builtin(&BUILTIN, &mut out);
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

fn collect_builtin(dir: &include_dir::Dir<'static>, out: &mut Vec<SourceFile>) {
    for f in dir.files() {
        let rel = f.path().to_string_lossy().replace('\\', "/");
        if hidden(&rel) {
            continue;
        }
        if let Some(text) = f.contents_utf8() {
            out.push(SourceFile {
                rel,
                text: text.to_string(),
            });
        }
    }
    for d in dir.dirs() {
        collect_builtin(d, out);
    }
}

fn hidden(rel: &str) -> bool {
    rel.split('/').any(|p| p.starts_with('.'))
}

/// Every file under `dir`, sorted by path, skipping hidden ones.
pub(crate) fn read_dir(dir: &Path) -> Result<Vec<SourceFile>, Diagnostic> {
    let shown = dir.display().to_string();
    check_folder(dir, &shown)?;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| {
            Diagnostic::error(
                d.display().to_string(),
                format!("cannot read the folder: {}", crate::proposal::io_reason(&e)),
            )
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(dir)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            if rel.is_empty() || hidden(&rel) {
                continue;
            }
            let Ok(ft) = entry.file_type() else { continue };
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() {
                if out.len() >= MAX_FILES {
                    return Err(Diagnostic::error(
                        &shown,
                        format!("the checklist folder holds more than {MAX_FILES} files"),
                    ));
                }
                out.push(read_file(&entry, rel, &shown)?);
            }
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// That `dir` is a folder that can be read.
fn check_folder(dir: &Path, shown: &str) -> Result<(), Diagnostic> {
    let meta = std::fs::metadata(dir).map_err(|e| {
        Diagnostic::error(
            shown,
            format!(
                "cannot read the checklist folder: {}",
                crate::proposal::io_reason(&e)
            ),
        )
    })?;
    if !meta.is_dir() {
        return Err(Diagnostic::error(
            shown,
            "the checklist must be a folder holding `checklist.toml`",
        ));
    }
    Ok(())
}

/// One file of the checklist folder `shown`, within the size limit.
fn read_file(
    entry: &std::fs::DirEntry,
    rel: String,
    shown: &str,
) -> Result<SourceFile, Diagnostic> {
    let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
    let file_shown = format!("{}/{rel}", shown.trim_end_matches('/'));
    if size > MAX_FILE {
        return Err(Diagnostic::error(
            file_shown,
            format!("the file is larger than {} MiB", MAX_FILE / 1024 / 1024),
        ));
    }
    let bytes = std::fs::read(entry.path()).map_err(|e| {
        Diagnostic::error(
            &file_shown,
            format!("cannot read the file: {}", crate::proposal::io_reason(&e)),
        )
    })?;
    // Only rules and the config must be text; other files are hashed as they are.
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) if rel.ends_with(".rhai") || rel.ends_with(".toml") => {
            return Err(invalid_utf8(file_shown, &e));
        }
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(SourceFile { rel, text })
}

/// A text file that is not UTF-8, located at the first byte that is not.
fn invalid_utf8(file_shown: String, e: &std::string::FromUtf8Error) -> Diagnostic {
    let valid = e.utf8_error().valid_up_to();
    let (l, c) = crate::diagnostic::line_col(
        std::str::from_utf8(e.as_bytes().get(..valid).unwrap_or_default()).unwrap_or_default(),
        valid,
    );
    Diagnostic::error(file_shown, "invalid UTF-8")
        .at(l, c)
        .help("save the file as UTF-8 text")
}

/// `sha256:` over every file's path and content, in path order.
pub(crate) fn hash(files: &[SourceFile]) -> String {
    let mut h = Hasher::default();
    for f in files {
        h.update_framed(f.rel.as_bytes());
        // Line endings do not change a checklist's meaning: a Windows checkout hashes the same.
        h.update_framed(f.text.replace("\r\n", "\n").as_bytes());
    }
    h.finish()
}

/// A checklist's hash: its own files' hash (`hash`) alone, or on top of the hash of the
/// checklist it builds on. Loading and the rule playground's edits both hash a layer with it, so
/// an edit saved to disk hashes as the edit did in memory.
pub(crate) fn layer_hash(base: Option<&str>, own: &str) -> String {
    let Some(base) = base else {
        return own.to_string();
    };
    let mut h = Hasher::default();
    h.update_framed(base.as_bytes());
    h.update_framed(own.as_bytes());
    h.finish()
}
