//! The library's top-level modules form layers: no module uses one that uses it back, directly
//! or through others (`grep -rn "crate::" src` is the hand-check of the same fact). Shared
//! vocabulary lives in leaf modules (`diagnostics`, `labels`, `text`) that use none of the
//! modules using them.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// For each top-level module of src/, the other top-level modules it names as `crate::<name>`
/// (in code or tests).
fn edges() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap_or(&path);
            let first = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy());
            let Some(module) = first.map(|f| f.trim_end_matches(".rs").to_string()) else {
                continue;
            };
            if module == "lib" || module == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let targets = graph.entry(module.clone()).or_default();
            for (at, _) in text.match_indices("crate::") {
                let name: String = text[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    targets.insert(name);
                }
            }
        }
    }
    graph
}

/// A cycle through `start`, if any: the modules in order.
fn cycle_from(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut path = vec![start.to_string()];
    let mut seen = BTreeSet::new();
    fn walk(
        graph: &BTreeMap<String, BTreeSet<String>>,
        start: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let last = path.last().cloned().unwrap_or_default();
        for next in graph.get(&last).into_iter().flatten() {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, start, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    walk(graph, start, &mut path, &mut seen).then_some(path)
}

#[test]
fn no_module_uses_one_that_uses_it_back() {
    let graph = edges();
    assert!(graph.contains_key("score") && graph.contains_key("report"));
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|m| cycle_from(&graph, m))
        .map(|c| c.join(" → "))
        .collect();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

/// The modules of `graph` that use no other module.
fn leaves(graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    graph
        .iter()
        .filter(|(_, uses)| uses.is_empty())
        .map(|(m, _)| m.clone())
        .collect()
}

/// What `module` uses that is not a leaf of `graph`.
fn non_leaves_used(graph: &BTreeMap<String, BTreeSet<String>>, module: &str) -> Vec<String> {
    let leaves = leaves(graph);
    let uses = graph.get(module).cloned().unwrap_or_default();
    uses.into_iter().filter(|u| !leaves.contains(u)).collect()
}

#[test]
fn the_vocabulary_modules_are_leaves() {
    let graph = edges();
    // diagnostics and text use no other module
    for leaf in ["diagnostics", "text"] {
        let uses = graph.get(leaf).cloned().unwrap_or_default();
        assert!(uses.is_empty(), "{leaf} uses {uses:?}");
    }
    // labels only leaves (`project` for the language, `text` for folding): never the modules
    // whose values it would name (score, eval, cycle, tasks), which name themselves
    let wrong = non_leaves_used(&graph, "labels");
    assert!(
        wrong.is_empty(),
        "labels uses {wrong:?}, which are not leaves"
    );
}

/// The command line (`cli`, what the binary runs) is the top layer: no module uses it, and the
/// commands behind it are used by it alone.
#[test]
fn the_command_line_is_the_top_layer() {
    let graph = edges();
    assert!(graph
        .get("cli")
        .is_some_and(|uses| uses.contains("commands")));
    for (module, uses) in &graph {
        assert!(!uses.contains("cli"), "{module} uses cli");
        if module != "cli" {
            assert!(!uses.contains("commands"), "{module} uses commands");
        }
    }
}

/// The environment and the terminal are read by the command line alone (src/cli.rs, and
/// src/main.rs for polars' hot table size): the library takes what they say as options
/// (colour, progress, timings, the commit's test hook). Test files (`tests.rs`) are not library.
#[test]
fn only_the_command_line_reads_the_environment() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src.clone()];
    let mut readers = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap_or(&path).to_path_buf();
            let name = rel.file_name().unwrap_or_default().to_string_lossy();
            if ["cli.rs", "main.rs"].contains(&rel.to_string_lossy().as_ref())
                || name.ends_with("tests.rs")
                || path.extension().is_none_or(|e| e != "rs")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if ["env::var", "is_terminal()"]
                .iter()
                .any(|r| text.contains(r))
            {
                readers.push(rel.display().to_string());
            }
        }
    }
    assert!(readers.is_empty(), "read the environment: {readers:?}");
}

#[test]
fn the_leaf_check_finds_a_non_leaf() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph
        .entry("labels".into())
        .or_default()
        .insert("text".into());
    graph
        .entry("labels".into())
        .or_default()
        .insert("score".into());
    graph
        .entry("score".into())
        .or_default()
        .insert("labels".into());
    graph.entry("text".into()).or_default();
    assert_eq!(non_leaves_used(&graph, "labels"), vec!["score".to_string()]);
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    graph.entry("c".into()).or_default().insert("a".into());
    graph.entry("d".into()).or_default().insert("a".into());
    assert_eq!(
        cycle_from(&graph, "a"),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    assert_eq!(cycle_from(&graph, "d"), None);
}
