//! Checks that keep the structure honest, run as ordinary tests (after rust-analyzer's tidy
//! checks in its `xtask`): dependencies between modules point down the data flow, only
//! `appraise` runs rules and thread pools, only the engine names Rhai, only the modules
//! ARCHITECTURE.md lists touch the file system, every path the codemap names exists and every
//! module is in it, lint exceptions say why, functions fit on a screen (an allow-list that may
//! only shrink), and comments point at files that exist.
//!
//! Each check is a function from sources to violations, with a test that plants a violation and
//! sees it caught. Exceptions that exist today are listed as data, each to be removed.

use crate::support::root;
use std::collections::BTreeSet;
use std::path::Path;

/// The crate's modules in layers, from the bottom: a module may name (`crate::…`) only modules
/// of lower layers. It is ARCHITECTURE.md's "data flows one way", as data.
const LAYERS: &[&[&str]] = &[
    // Text from a bid made safe for a terminal: used by located messages and every renderer.
    &["shown"],
    // Shared vocabulary: the output types, located messages, hashes, limits, did-you-mean,
    // phrase matching, and the crate root's own items (`ENGINE`).
    &[
        "appraisal",
        "atomic_file",
        "diagnostic",
        "hash",
        "limits",
        "suggest",
        "text",
        "lib",
    ],
    &["proposal"],
    // How prose is read: claims from a bid's words, by the checklist's concepts.
    &["reading"],
    &["patch"],
    // Many bids from many inputs; the Rhai sandbox.
    &["batch", "engine"],
    &["checklist"],
    &["evaluate"],
    // The screening policy's conditions, decided and explained alike.
    &["screening"],
    &["aggregate"],
    &["appraise"],
    // What a checklist does to many bids (a partnership's portfolio among them), and its own
    // test cases.
    &["calibrate", "cases", "diff", "portfolio"],
    // The champion's features: advise, what-if, delta (compare), explain.
    &["champion"],
    &["schemas"],
    &["render"],
    &["screen"],
    // The shells.
    &["serve"],
    &["cli"],
    &["main"],
];

/// Edges against the layers that exist today, each to be removed: none.
const LAYER_EXCEPTIONS: &[(&str, &str)] = &[];

/// Files that run rules or thread pools themselves instead of through `appraise`, which owns the
/// evaluation pools: none.
const POOL_EXCEPTIONS: &[&str] = &[];

/// Files outside `src/engine*` that name Rhai: none (the engine owns it).
const RHAI_EXCEPTIONS: &[&str] = &[];

/// Lint exceptions still written `#[allow(...)] // reason: …`: none.
const ALLOW_EXCEPTIONS: &[&str] = &[];

/// Functions may be this long at most, unless the allow-list names them.
const MAX_FUNCTION_LINES: usize = 80;

// ---------------------------------------------------------------------------------------------
// The checks on this repository.

#[test]
fn dependencies_point_down_the_data_flow() {
    let files = rust_files("src");
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    let violations = layering(&files, &lib, LAYERS, LAYER_EXCEPTIONS);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn only_appraise_runs_evaluations_and_pools() {
    let violations = pool_users(&rust_files("src"), POOL_EXCEPTIONS);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn only_the_engine_names_rhai() {
    let violations = rhai_outside_engine(&rust_files("src"), RHAI_EXCEPTIONS);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn only_the_modules_architecture_md_lists_touch_the_file_system() {
    let violations = file_system_users(&rust_files("src"), &architecture());
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn every_path_the_codemap_names_exists() {
    let violations = missing_paths(&architecture(), &|p| root().join(p).exists());
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_codemap_names_every_module() {
    let modules: Vec<String> = rust_files("src").into_iter().map(|f| f.path).collect();
    let violations = unmapped_modules(&architecture(), &modules);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn lint_exceptions_use_expect_with_a_reason() {
    let mut files = rust_files("src");
    files.extend(rust_files("tests"));
    files.extend(rust_files("benches"));
    files.extend(rust_files("fuzz/src"));
    files.extend(rust_files("fuzz/fuzz_targets"));
    let violations = lint_exceptions(&files, ALLOW_EXCEPTIONS);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn functions_fit_on_a_screen_and_the_allow_list_only_shrinks() {
    let list = std::fs::read_to_string(root().join("tests/it/tidy/long-functions.txt")).unwrap();
    let violations = long_functions(&rust_files("src"), &list);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn comments_point_at_files_that_exist() {
    let mut files = rust_files("src");
    files.extend(rust_files("tests"));
    files.extend(rust_files("benches"));
    files.extend(rust_files("fuzz/src"));
    files.extend(rust_files("fuzz/fuzz_targets"));
    let violations = dangling_paths(&files, &|p| root().join(p).exists());
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Reading the sources.

/// A Rust source file: its path from the repository root, its code with comments and the
/// contents of strings blanked out (line breaks kept, so lines still count), and its comments.
#[derive(Debug, Clone)]
struct Source {
    path: String,
    code: String,
    /// Each comment with the line it starts on.
    comments: Vec<(usize, String)>,
}

impl Source {
    fn new(path: &str, text: &str) -> Source {
        let (code, comments) = scan(text);
        Source {
            path: path.to_string(),
            code,
            comments,
        }
    }

    /// The top-level module the file belongs to: `src/checklist/rule.rs` → `checklist`.
    fn module(&self) -> String {
        let rel = self.path.strip_prefix("src/").unwrap_or(&self.path);
        let first = rel.split('/').next().unwrap_or(rel);
        first.trim_end_matches(".rs").to_string()
    }

    /// How deep the file's module is below the crate root: `src/checklist.rs` is 1.
    fn depth(&self) -> usize {
        let rel = self.path.strip_prefix("src/").unwrap_or(&self.path);
        if rel == "lib.rs" || rel == "main.rs" {
            0
        } else {
            rel.matches('/').count() + 1
        }
    }
}

/// Every `.rs` file under `dir` (from the repository root), sorted by path.
fn rust_files(dir: &str) -> Vec<Source> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&root().join(dir), &mut paths);
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(root()).unwrap().display().to_string();
            Source::new(
                &rel.replace('\\', "/"),
                &std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect()
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap()
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether the quote at `i` follows a lone `b` (a byte literal such as `b'"'`).
fn is_byte_prefix(chars: &[char], i: usize) -> bool {
    i >= 1 && chars[i - 1] == 'b' && (i < 2 || !is_ident(chars[i - 2]))
}

/// Splits Rust source into code, with comments and the insides of string and character
/// literals replaced by spaces, and the comments themselves.
fn scan(text: &str) -> (String, Vec<(usize, String)>) {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let mut comments = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Blanks chars[from..to] into the code, keeping line breaks.
    let blank = |code: &mut String, line: &mut usize, from: usize, to: usize| {
        for &c in &chars[from..to] {
            if c == '\n' {
                *line += 1;
                code.push('\n');
            } else {
                code.push(' ');
            }
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let prev_ident = i > 0 && is_ident(chars[i - 1]);
        if c == '/' && next == Some('/') {
            let end = (i..chars.len())
                .find(|&j| chars[j] == '\n')
                .unwrap_or(chars.len());
            comments.push((line, chars[i..end].iter().collect()));
            blank(&mut code, &mut line, i, end);
            i = end;
        } else if c == '/' && next == Some('*') {
            let (start_line, mut depth, mut j) = (line, 0usize, i);
            while j < chars.len() {
                if chars[j] == '/' && chars.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 2;
                } else if chars[j] == '*' && chars.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            comments.push((start_line, chars[i..j].iter().collect()));
            blank(&mut code, &mut line, i, j);
            i = j;
        } else if c == 'r' && !prev_ident && matches!(next, Some('"') | Some('#')) {
            // A raw string: r"…", r#"…"#, …
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                code.push(c);
                i += 1;
                continue;
            }
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let body = i + 2 + hashes;
            let rest: String = chars[body..].iter().collect();
            let end = rest
                .find(&close)
                .map(|off| body + rest[..off].chars().count() + close.chars().count())
                .unwrap_or(chars.len());
            code.push('r');
            blank(&mut code, &mut line, i + 1, end);
            i = end;
        } else if c == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            code.push('"');
            blank(&mut code, &mut line, i + 1, j.min(chars.len()));
            code.push('"');
            i = j + 1;
        } else if c == '\'' && (!prev_ident || is_byte_prefix(&chars, i)) {
            // A character literal ('x', '\n', '\'', '\u{1F600}', b'"'), or a lifetime ('a).
            let end = if next == Some('\\') {
                (i + 3..chars.len())
                    .find(|&j| chars[j] == '\'')
                    .map(|j| j + 1)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(end) => {
                    blank(&mut code, &mut line, i, end);
                    i = end;
                }
                None => {
                    code.push(c);
                    i += 1;
                }
            }
        } else {
            if c == '\n' {
                line += 1;
            }
            code.push(c);
            i += 1;
        }
    }
    (code, comments)
}

// ---------------------------------------------------------------------------------------------
// Layering.

/// Each module each file names through `crate::` (or `super::` past the crate root), with the
/// line: (module named, line).
fn crate_references(file: &Source, reexports: &[(String, String)]) -> Vec<(String, usize)> {
    let code = &file.code;
    let mut out = Vec::new();
    let resolve = |name: &str| -> String {
        reexports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| {
                if name.chars().next().is_some_and(char::is_uppercase) {
                    "lib".to_string()
                } else {
                    name.to_string()
                }
            })
    };
    let line_of = |off: usize| code[..off].matches('\n').count() + 1;
    for (off, _) in code.match_indices("crate::") {
        if code[..off].ends_with('$') || code[..off].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        for name in names_after(&code[off + "crate::".len()..]) {
            out.push((resolve(&name), line_of(off)));
        }
    }
    // `super::super::x` from a module `depth` levels down reaches the root at `depth` supers.
    let depth = file.depth();
    let chain = "super::".repeat(depth);
    if depth > 0 {
        for (off, _) in code.match_indices(&chain) {
            if code[..off].ends_with("super::")
                || code[..off].chars().next_back().is_some_and(is_ident)
            {
                continue;
            }
            let rest = &code[off + chain.len()..];
            if rest.starts_with("super::") {
                continue;
            }
            // Only names of the root count: an inline `mod tests` makes `super::` its file.
            for name in names_after(rest) {
                let module = resolve(&name);
                if LAYERS.iter().any(|l| l.contains(&module.as_str())) {
                    out.push((module, line_of(off)));
                }
            }
        }
    }
    out
}

/// The first path segments after `crate::`: one name, or each name of a `{…}` group.
fn names_after(rest: &str) -> Vec<String> {
    if let Some(group) = rest.strip_prefix('{') {
        let mut names = Vec::new();
        let mut depth = 0;
        let mut start = true;
        for (j, ch) in group.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' if depth == 0 => break,
                '}' => depth -= 1,
                ',' if depth == 0 => start = true,
                c if start && is_ident(c) => {
                    let name: String = group[j..].chars().take_while(|&c| is_ident(c)).collect();
                    names.push(name);
                    start = false;
                }
                _ => {}
            }
        }
        names
    } else {
        let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
        if name.is_empty() {
            Vec::new()
        } else {
            vec![name]
        }
    }
}

/// The names `lib.rs` re-exports, and the module each comes from.
fn reexports(lib: &str) -> Vec<(String, String)> {
    let (code, _) = scan(lib);
    let mut out = Vec::new();
    for stmt in code.split(';') {
        let Some(path) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, rest)) = path.split_once("::") else {
            continue;
        };
        let names: Vec<&str> = match rest.trim().strip_prefix('{') {
            Some(group) => group.trim_end_matches('}').split(',').collect(),
            None => vec![rest],
        };
        for n in names {
            let n = n.trim();
            if !n.is_empty() {
                out.push((n.to_string(), module.trim().to_string()));
            }
        }
    }
    out
}

fn layering(
    files: &[Source],
    lib: &str,
    layers: &[&[&str]],
    exceptions: &[(&str, &str)],
) -> Vec<String> {
    let layer_of = |m: &str| layers.iter().position(|l| l.contains(&m));
    let reexports = reexports(lib);
    let mut out = Vec::new();
    let mut seen_exceptions = BTreeSet::new();
    for f in files {
        let from = f.module();
        let Some(from_layer) = layer_of(&from) else {
            out.push(format!(
                "{}: module `{from}` is in no layer of LAYERS",
                f.path
            ));
            continue;
        };
        for (to, line) in crate_references(f, &reexports) {
            if to == from {
                continue;
            }
            let Some(to_layer) = layer_of(&to) else {
                out.push(format!(
                    "{}:{line}: `crate::{to}` is in no layer of LAYERS",
                    f.path
                ));
                continue;
            };
            if to_layer < from_layer {
                continue;
            }
            if exceptions.contains(&(from.as_str(), to.as_str())) {
                seen_exceptions.insert((from.clone(), to.clone()));
                continue;
            }
            out.push(format!(
                "{}:{line}: `{from}` uses `{to}`, which is not below it in the data flow",
                f.path
            ));
        }
    }
    for (from, to) in exceptions {
        if !seen_exceptions.contains(&(from.to_string(), to.to_string())) {
            out.push(format!(
                "`{from}` no longer uses `{to}`: remove the pair from LAYER_EXCEPTIONS"
            ));
        }
    }
    out
}

/// The names a file takes from `module` (`evaluate::pool()`, `use crate::evaluate::{pool}`).
fn names_from(code: &str, module: &str) -> Vec<String> {
    let prefix = format!("{module}::");
    code.match_indices(&prefix)
        .filter(|(off, _)| !code[..*off].chars().next_back().is_some_and(is_ident))
        .flat_map(|(off, _)| names_after(&code[off + prefix.len()..]))
        .collect()
}

/// Files that run evaluations or thread pools outside `appraise`: those that name
/// `evaluate::run_rules` (rules run off the evaluation threads), build a thread pool or run
/// work on one (`install`). `evaluate` defines `run_rules`; `appraise` owns the pools.
fn pool_users(files: &[Source], exceptions: &[&str]) -> Vec<String> {
    let owners = ["src/evaluate.rs", "src/appraise.rs"];
    let users: Vec<&str> = files
        .iter()
        .filter(|f| {
            names_from(&f.code, "evaluate")
                .iter()
                .any(|n| n == "run_rules")
                || f.code.contains("ThreadPoolBuilder")
                || f.code.contains(".install(")
        })
        .map(|f| f.path.as_str())
        .collect();
    let mut out: Vec<String> = users
        .iter()
        .filter(|p| !owners.contains(p) && !exceptions.contains(p))
        .map(|p| format!("{p}: runs evaluations or a thread pool itself; use `appraise`"))
        .collect();
    out.extend(stale(
        exceptions,
        &users,
        "runs evaluations or a thread pool",
        "POOL_EXCEPTIONS",
    ));
    out
}

/// The exceptions that no longer happen, each to be removed from its list.
fn stale(exceptions: &[&str], happening: &[&str], what: &str, list: &str) -> Vec<String> {
    exceptions
        .iter()
        .filter(|e| !happening.contains(e))
        .map(|e| format!("{e}: no longer {what}: remove it from {list}"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Who may name what.

fn rhai_outside_engine(files: &[Source], exceptions: &[&str]) -> Vec<String> {
    let naming: Vec<&str> = files
        .iter()
        .filter(|f| f.code.contains("rhai::") || f.code.contains("use rhai"))
        .filter(|f| f.path != "src/engine.rs" && !f.path.starts_with("src/engine/"))
        .map(|f| f.path.as_str())
        .collect();
    let mut out: Vec<String> = naming
        .iter()
        .filter(|p| !exceptions.contains(p))
        .map(|p| format!("{p}: names `rhai::` outside the engine"))
        .collect();
    out.extend(stale(exceptions, &naming, "names Rhai", "RHAI_EXCEPTIONS"));
    out
}

/// The modules ARCHITECTURE.md's invariant lets touch the file system: the backticked names in
/// its sentence "Only `…`, `…` … touch the file system".
fn file_system_modules(architecture: &str) -> Vec<String> {
    let flat = architecture.replace('\n', " ");
    let Some(end) = flat.find("touch the file system") else {
        return Vec::new();
    };
    let start = flat[..end].rfind("Only ").unwrap_or(end);
    flat[start..end]
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn file_system_users(files: &[Source], architecture: &str) -> Vec<String> {
    let allowed = file_system_modules(architecture);
    let mut out = Vec::new();
    if allowed.is_empty() {
        out.push("ARCHITECTURE.md does not say which modules touch the file system".to_string());
    }
    for f in files {
        let touches = names_from(&f.code, "std").iter().any(|n| n == "fs");
        let rel = f.path.trim_start_matches("src/").trim_end_matches(".rs");
        let module = rel.replace('/', "::");
        let listed = allowed
            .iter()
            .any(|m| module == *m || module.starts_with(&format!("{m}::")));
        if touches && !listed {
            out.push(format!(
                "{}: touches the file system, and ARCHITECTURE.md does not list `{module}`",
                f.path
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The codemap.

/// The paths a text names in backticks: names with a `/` under a folder of the repository or
/// ending in a file extension we keep, and `.rs` file names; no wildcards or placeholders.
fn named_paths(text: &str) -> Vec<String> {
    let tops = [
        "src/",
        "tests/",
        "schemas/",
        "docs/",
        "rules/",
        "fuzz/",
        "benches/",
        "scripts/",
        ".ci/",
        "examples/",
    ];
    let exts = [".rs", ".md", ".toml", ".json", ".html", ".sh", ".txt"];
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.contains(char::is_whitespace) && !s.contains(['*', '{', '<', '…']))
        .filter(|s| !s.contains("::") && !s.starts_with("--"))
        .filter(|s| {
            s.ends_with(".rs")
                || (s.contains('/')
                    && (tops.iter().any(|t| s.starts_with(t))
                        || exts.iter().any(|e| s.ends_with(e))))
        })
        .map(str::to_string)
        .collect()
}

/// Every path the document names that does not exist: from the repository root, or (inside a
/// codemap paragraph) beside a file or folder the paragraph names (`read.rs` beside
/// `src/proposal/`).
fn missing_paths(doc: &str, exists: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    let paragraphs = paragraphs(doc);
    let (start, end) = codemap(doc);
    let outside = format!("{}{}", &doc[..start], &doc[end..]);
    let texts = paragraphs
        .iter()
        .map(|(owners, text)| (owners.clone(), text.clone()))
        .chain(std::iter::once((Vec::new(), outside)));
    for (owners, text) in texts {
        for p in named_paths(&text) {
            let beside = owners.iter().any(|o| {
                let dir = o.trim_end_matches(".rs").trim_end_matches('/');
                exists(&format!("{dir}/{p}"))
            });
            if !exists(&p) && !beside {
                out.push(format!("ARCHITECTURE.md names `{p}`, which does not exist"));
            }
        }
    }
    out
}

/// Where the codemap section starts and ends in the document (empty when there is none).
fn codemap(doc: &str) -> (usize, usize) {
    let Some(start) = doc.find("## Codemap") else {
        return (0, 0);
    };
    let end = doc[start + 3..]
        .find("\n## ")
        .map_or(doc.len(), |len| start + 3 + len + 1);
    (start, end)
}

/// The codemap's paragraphs (each bullet), with the folders and `.rs` files each names.
fn paragraphs(doc: &str) -> Vec<(Vec<String>, String)> {
    let (start, end) = codemap(doc);
    let section = &doc[start..end];
    let mut out: Vec<(Vec<String>, String)> = Vec::new();
    for line in section.lines() {
        if let Some(bullet) = line.strip_prefix("- ") {
            out.push((Vec::new(), bullet.to_string()));
        } else if let Some(last) = out.last_mut() {
            last.1.push(' ');
            last.1.push_str(line.trim());
        }
    }
    for (owners, text) in &mut out {
        *owners = text
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|s| (s.ends_with('/') || s.ends_with(".rs")) && s.contains('/'))
            .map(str::to_string)
            .collect();
    }
    out
}

/// Every module file the codemap does not name: in full, or by the rest of its path (`b.rs` for
/// `src/…/a/b.rs`) in the paragraph of a module it is inside (the one of `a.rs` or `a/`).
fn unmapped_modules(doc: &str, modules: &[String]) -> Vec<String> {
    let paragraphs = paragraphs(doc);
    let names = |text: &str, name: &str| text.split('`').skip(1).step_by(2).any(|s| s == name);
    let mut out = Vec::new();
    for m in modules {
        if names(doc, m) || m == "src/lib.rs" || m == "src/main.rs" {
            continue;
        }
        let parts: Vec<&str> = m.trim_start_matches("src/").split('/').collect();
        let mapped = (1..parts.len()).any(|k| {
            let owner = parts[..k].join("/");
            let rest = parts[k..].join("/");
            paragraphs.iter().any(|(owners, text)| {
                owners
                    .iter()
                    .any(|o| *o == format!("src/{owner}.rs") || *o == format!("src/{owner}/"))
                    && names(text, &rest)
            })
        });
        if !mapped {
            out.push(format!("ARCHITECTURE.md's codemap does not name `{m}`"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Lint exceptions, long functions, comments.

fn lint_exceptions(files: &[Source], exceptions: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut allowing = Vec::new();
    for f in files {
        let line_of = |off: usize| f.code[..off].matches('\n').count() + 1;
        for pat in ["#[allow(", "#![allow("] {
            for (off, _) in f.code.match_indices(pat) {
                allowing.push(f.path.as_str());
                if !exceptions.contains(&f.path.as_str()) {
                    out.push(format!(
                        "{}:{}: a lint exception is `#[expect(lint, reason = \"…\")]`, not `allow`",
                        f.path,
                        line_of(off)
                    ));
                }
            }
        }
        for pat in ["#[expect(", "#![expect("] {
            for (off, _) in f.code.match_indices(pat) {
                let attr = &f.code[off..];
                let attr = &attr[..attr.find(")]").map_or(attr.len(), |e| e + 2)];
                if !attr.contains("reason") {
                    out.push(format!(
                        "{}:{}: `#[expect(...)]` without `reason = \"…\"`",
                        f.path,
                        line_of(off)
                    ));
                }
            }
        }
    }
    out.extend(stale(
        exceptions,
        &allowing,
        "allows a lint",
        "ALLOW_EXCEPTIONS",
    ));
    out
}

/// Every function in `file` and its length in lines, from `fn` to its closing brace.
fn functions(file: &Source) -> Vec<(String, usize)> {
    let code = &file.code;
    let bytes: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 < bytes.len() {
        let starts_fn = bytes[i] == 'f'
            && bytes[i + 1] == 'n'
            && bytes[i + 2].is_whitespace()
            && (i == 0 || !is_ident(bytes[i - 1]));
        if !starts_fn {
            i += 1;
            continue;
        }
        let name: String = bytes[i + 3..]
            .iter()
            .skip_while(|c| c.is_whitespace())
            .take_while(|&&c| is_ident(c))
            .collect();
        let Some(open) = (i..bytes.len()).find(|&j| bytes[j] == '{' || bytes[j] == ';') else {
            break;
        };
        if bytes[open] == ';' || name.is_empty() {
            i = open + 1;
            continue;
        }
        let mut depth = 0;
        let mut close = open;
        for (j, &c) in bytes.iter().enumerate().skip(open) {
            if c == '{' {
                depth += 1;
            } else if c == '}' {
                depth -= 1;
                if depth == 0 {
                    close = j;
                    break;
                }
            }
        }
        let first = bytes[..i].iter().filter(|&&c| c == '\n').count();
        let last = bytes[..close].iter().filter(|&&c| c == '\n').count();
        out.push((name, last - first + 1));
        i += 3;
    }
    out
}

fn long_functions(files: &[Source], allow_list: &str) -> Vec<String> {
    let listed: Vec<(&str, &str)> = allow_list
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .collect();
    let mut out = Vec::new();
    let mut long = Vec::new();
    for f in files {
        for (name, lines) in functions(f) {
            if lines > MAX_FUNCTION_LINES {
                long.push((f.path.clone(), name.clone()));
                if !listed.contains(&(f.path.as_str(), name.as_str())) {
                    out.push(format!(
                        "{}: `{name}` is {lines} lines long; split it by meaning (at most {MAX_FUNCTION_LINES})",
                        f.path
                    ));
                }
            }
        }
    }
    for (path, name) in listed {
        if !long.iter().any(|(p, n)| p == path && n == name) {
            out.push(format!(
                "{path}: `{name}` is no longer over {MAX_FUNCTION_LINES} lines (or no longer there): remove it from tests/it/tidy/long-functions.txt"
            ));
        }
    }
    out
}

/// The repository paths a comment names: words with a `/` that start at a top-level folder or
/// end in a file extension, without wildcards, placeholders or URLs.
fn paths_in_comment(comment: &str) -> Vec<String> {
    let tops = [
        "src/",
        "tests/",
        "docs/",
        "rules/",
        "schemas/",
        "examples/",
        "benches/",
        "fuzz/",
        "scripts/",
        ".ci/",
    ];
    let exts = [
        ".rs", ".md", ".toml", ".json", ".jsonl", ".csv", ".html", ".rhai", ".sh", ".txt",
    ];
    comment
        .split(|c: char| c.is_whitespace() || "`()[],;\"'<>".contains(c))
        .map(|w| w.trim_end_matches(['.', ':', '!', '?']))
        .filter(|w| w.contains('/') && !w.contains("://") && !w.starts_with('/'))
        .filter(|w| !w.contains(['*', '{', '}', '…', '$', '~', '|']))
        .filter(|w| !w.starts_with("../") && !w.starts_with("./"))
        .filter(|w| {
            // `tests/bids/NAME.toml`: a placeholder, not a file.
            !w.split(['/', '.'])
                .any(|seg| ["NAME", "DIR", "ID", "FILE", "PATH"].contains(&seg))
        })
        .filter(|w| tops.iter().any(|t| w.starts_with(t)) || exts.iter().any(|e| w.ends_with(e)))
        .map(str::to_string)
        .collect()
}

fn dangling_paths(files: &[Source], exists: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        let dir = Path::new(&f.path).parent().unwrap_or(Path::new(""));
        for (line, comment) in &f.comments {
            for p in paths_in_comment(comment) {
                // From the repository root, beside the file, or in a checklist folder (comments
                // about a checklist name its files from its own root: `tests/bids/empty.toml`).
                let beside = dir.join(&p).display().to_string().replace('\\', "/");
                let in_checklist = format!("rules/{p}");
                if !exists(&p) && !exists(&beside) && !exists(&in_checklist) {
                    out.push(format!(
                        "{}:{line}: the comment names `{p}`, which is not in the repository",
                        f.path
                    ));
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Each check catches a planted violation.

fn file(path: &str, text: &str) -> Source {
    Source::new(path, text)
}

#[test]
fn the_scanner_blanks_strings_and_comments_and_keeps_lines() {
    let (code, comments) = scan(
        "let a = \"crate::x\"; // see src/y.rs\nlet b = r#\"std::fs\"#; let c = '\"'; /* a\n b */ fn f<'a>() {}\n",
    );
    assert!(
        !code.contains("crate::x") && !code.contains("std::fs"),
        "{code}"
    );
    assert_eq!(code.lines().count(), 3);
    assert!(code.contains("fn f<'a>() {}"), "{code}");
    assert_eq!(comments[0], (1, "// see src/y.rs".to_string()));
    assert_eq!(comments[1].0, 2);
}

#[test]
fn an_upward_dependency_is_caught() {
    let lib = "pub use checklist::{Checklist};";
    let layers: &[&[&str]] = &[&["proposal"], &["checklist"], &["evaluate"]];
    let files = [
        file("src/evaluate.rs", "use crate::checklist::Rule;\n"),
        file("src/checklist.rs", "fn f() { crate::evaluate::run(); }\n"),
        file(
            "src/checklist/load.rs",
            "use super::super::evaluate::run;\n",
        ),
        file(
            "src/proposal.rs",
            "use crate::{Checklist, checklist::Rule};\n",
        ),
    ];
    let v = layering(&files, lib, layers, &[]);
    assert_eq!(v.len(), 4, "{v:?}");
    assert!(
        v[0].starts_with("src/checklist.rs:1: `checklist` uses `evaluate`"),
        "{v:?}"
    );
    assert!(v[1].starts_with("src/checklist/load.rs:1:"), "{v:?}");
    assert!(v[2].contains("`proposal` uses `checklist`"), "{v:?}");
    // A listed exception is allowed, and one that no longer happens must be removed.
    let v = layering(
        &files[..2],
        lib,
        layers,
        &[("checklist", "evaluate"), ("evaluate", "proposal")],
    );
    assert_eq!(
        v,
        ["`evaluate` no longer uses `proposal`: remove the pair from LAYER_EXCEPTIONS"]
    );
}

#[test]
fn running_rules_or_a_pool_outside_appraise_is_caught() {
    let files = [
        file("src/diff.rs", "let p = rayon::ThreadPoolBuilder::new();\n"),
        file(
            "src/screen.rs",
            "use crate::evaluate::{Trace, run_rules};\nfn f() { pool().install(|| ()); }\n",
        ),
        file(
            "src/cases.rs",
            "fn f() { crate::evaluate::run_rules(c, p); }\n",
        ),
        file(
            "src/appraise.rs",
            "use crate::evaluate::{run_rules};\nfn f() { pool().install(|| run_rules()); }\n",
        ),
        file("src/render.rs", "use crate::evaluate::Trace;\n"),
    ];
    assert_eq!(
        pool_users(&files, &[]),
        [
            "src/diff.rs: runs evaluations or a thread pool itself; use `appraise`",
            "src/screen.rs: runs evaluations or a thread pool itself; use `appraise`",
            "src/cases.rs: runs evaluations or a thread pool itself; use `appraise`",
        ]
    );
    assert!(pool_users(&files[3..], &[]).is_empty());
    assert_eq!(
        pool_users(&files[3..], &["src/diff.rs"]),
        [
            "src/diff.rs: no longer runs evaluations or a thread pool: remove it from POOL_EXCEPTIONS"
        ]
    );
}

#[test]
fn rhai_outside_the_engine_is_caught() {
    let files = [
        file("src/engine/api.rs", "use rhai::Engine;\n"),
        file("src/render.rs", "fn f(x: rhai::Dynamic) {}\n"),
        file("src/proposal.rs", "// rhai:: in a comment is fine\n"),
    ];
    assert_eq!(
        rhai_outside_engine(&files, &[]),
        ["src/render.rs: names `rhai::` outside the engine"]
    );
    assert_eq!(
        rhai_outside_engine(&files, &["src/proposal.rs"]),
        [
            "src/render.rs: names `rhai::` outside the engine",
            "src/proposal.rs: no longer names Rhai: remove it from RHAI_EXCEPTIONS"
        ]
    );
}

#[test]
fn the_file_system_outside_the_listed_modules_is_caught() {
    let doc = "**Architecture Invariant:** Only `proposal::read` and `cli` touch the file system.";
    assert_eq!(file_system_modules(doc), ["proposal::read", "cli"]);
    let files = [
        file("src/proposal/read.rs", "std::fs::read(p);\n"),
        file("src/cli/rules.rs", "use std::fs;\n"),
        file("src/render.rs", "let _ = std::fs::write(p, b);\n"),
    ];
    assert_eq!(
        file_system_users(&files, doc),
        ["src/render.rs: touches the file system, and ARCHITECTURE.md does not list `render`"]
    );
}

#[test]
fn a_codemap_path_that_does_not_exist_is_caught() {
    let doc = "## Codemap\n\n- `src/proposal.rs`, `src/proposal/` — `read.rs` and `gone.rs`;\n  see `tests/it/fuzz_regressions.rs` and `docs/rules.md`.\n";
    let exists = |p: &str| {
        [
            "src/proposal.rs",
            "src/proposal/",
            "src/proposal/read.rs",
            "docs/rules.md",
        ]
        .contains(&p)
    };
    let v = missing_paths(
        &format!("# Map\n{doc}\n## Invariants\nSee `src/gone.rs`.\n"),
        &exists,
    );
    assert_eq!(
        v,
        [
            "ARCHITECTURE.md names `gone.rs`, which does not exist",
            "ARCHITECTURE.md names `tests/it/fuzz_regressions.rs`, which does not exist",
            "ARCHITECTURE.md names `src/gone.rs`, which does not exist",
        ]
    );
}

#[test]
fn a_module_the_codemap_does_not_name_is_caught() {
    let doc = "## Codemap\n\n- `src/checklist.rs`, `src/checklist/` — `load.rs`, `config.rs`\n  (`config/parse.rs`).\n- `src/text.rs` — words.\n";
    let modules: Vec<String> = [
        "src/lib.rs",
        "src/checklist.rs",
        "src/checklist/load.rs",
        "src/checklist/config.rs",
        "src/checklist/config/parse.rs",
        "src/checklist/config/validate.rs",
        "src/text.rs",
        "src/hash.rs",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(
        unmapped_modules(doc, &modules),
        [
            "ARCHITECTURE.md's codemap does not name `src/checklist/config/validate.rs`",
            "ARCHITECTURE.md's codemap does not name `src/hash.rs`",
        ]
    );
}

#[test]
fn an_allow_or_an_expect_without_a_reason_is_caught() {
    let files = [
        file(
            "src/a.rs",
            "#[allow(clippy::panic)] // reason: old style\nfn f() {}\n",
        ),
        file("src/b.rs", "#[expect(clippy::panic)]\nfn f() {}\n"),
        file(
            "src/c.rs",
            "#[expect(\n    clippy::panic,\n    reason = \"unreachable\"\n)]\nfn f() {}\n",
        ),
        file("src/d.rs", "// #[allow(x)] in a comment is fine\n"),
    ];
    assert_eq!(
        lint_exceptions(&files, &[]),
        [
            "src/a.rs:1: a lint exception is `#[expect(lint, reason = \"…\")]`, not `allow`",
            "src/b.rs:1: `#[expect(...)]` without `reason = \"…\"`",
        ]
    );
    assert_eq!(
        lint_exceptions(&files, &["src/a.rs", "src/d.rs"]),
        [
            "src/b.rs:1: `#[expect(...)]` without `reason = \"…\"`",
            "src/d.rs: no longer allows a lint: remove it from ALLOW_EXCEPTIONS",
        ]
    );
}

#[test]
fn a_long_function_is_caught_and_the_allow_list_only_shrinks() {
    let body = "    let x = \"{\";\n".repeat(MAX_FUNCTION_LINES);
    let files = [file(
        "src/a.rs",
        &format!(
            "fn long() {{\n{body}}}\n\nfn short() {{\n    1;\n}}\ntrait T {{ fn decl(&self); }}\n"
        ),
    )];
    assert_eq!(
        functions(&files[0]),
        [
            ("long".to_string(), MAX_FUNCTION_LINES + 2),
            ("short".to_string(), 3)
        ]
    );
    assert_eq!(
        long_functions(&files, "# comment\n"),
        ["src/a.rs: `long` is 82 lines long; split it by meaning (at most 80)"]
    );
    assert!(long_functions(&files, "src/a.rs long\n").is_empty());
    assert_eq!(
        long_functions(&files, "src/a.rs long\nsrc/a.rs short\n"),
        [
            "src/a.rs: `short` is no longer over 80 lines (or no longer there): remove it from tests/it/tidy/long-functions.txt"
        ]
    );
}

#[test]
fn a_comment_naming_a_missing_file_is_caught() {
    let files = [file(
        "tests/it/sandbox.rs",
        "//! The traps in shared/RHAI-NOTES.md each have a test; see `docs/rules.md`,\n//! https://example.org/a/b.html, rules/tests/*.toml and support.rs.\nfn f() {}\n",
    )];
    let exists = |p: &str| p == "docs/rules.md";
    assert_eq!(
        dangling_paths(&files, &exists),
        [
            "tests/it/sandbox.rs:1: the comment names `shared/RHAI-NOTES.md`, which is not in the repository"
        ]
    );
}
