//! Golden routing cases as data (`jurisdiction-rules/tests/*.yaml`): parsing and checking.
//! Used by `ecojuris test` and by `cargo test` alike.
//!
//! A case passes when the set of competent courts equals `want.courts`, every rule in
//! `want.rules` fired, and the optional relation, appeal and tribunal expectations hold; or,
//! for `want_no_court` / `want_error`, when routing yields no court / the case is rejected with
//! a message containing the given text. A `known_failure` case that passes is a failure
//! ("update the file"), so fixed bugs cannot hide.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::eval::Engine;
use crate::input::case_from_json;
use crate::model::{Date, RelationKind, Status};

/// Expected outcome.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Want {
    /// Exact set of competent court ids.
    pub courts: Vec<String>,
    /// Rule ids that must have fired.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Relation.
    pub relation: Option<String>,
    /// Court id → appeal court id.
    #[serde(default)]
    pub appeal: BTreeMap<String, String>,
    /// Court id → tribunal id.
    #[serde(default)]
    pub tribunal: BTreeMap<String, String>,
}

/// One golden case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldenCase {
    /// Unique name.
    pub name: String,
    /// Why it matters.
    pub note: Option<String>,
    /// Which uncertain fact the expectation rests on.
    pub uncertain: Option<String>,
    /// The case document.
    pub input: serde_json::Value,
    /// Expected courts.
    pub want: Option<Want>,
    /// Expected: no court, with this text in the reason.
    pub want_no_court: Option<String>,
    /// Expected: rejected, with this text in the error.
    pub want_error: Option<String>,
    /// A known failure, with the issue or reason.
    pub known_failure: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    cases: Vec<GoldenCase>,
}

/// The result of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// File.
    pub file: String,
    /// Case name.
    pub name: String,
    /// Passed (after the known-failure ratchet).
    pub passed: bool,
    /// Why it failed.
    pub failure: Option<String>,
    /// Whether it is marked as a known failure.
    pub known_failure: bool,
}

/// Parses a case file; errors name the file, line and column.
pub fn parse_file(path: &str, text: &str) -> Result<Vec<GoldenCase>, String> {
    // Parse as YAML into JSON values so `input` keeps every key for the strict case parser.
    let f: CaseFile = serde_yaml::from_str(text).map_err(|e| {
        let loc = e
            .location()
            .map(|l| format!(" line {} column {}", l.line(), l.column()))
            .unwrap_or_default();
        format!(
            "in `{path}`{loc}: {}",
            crate::input::improve_serde_message(&e.to_string())
        )
    })?;
    Ok(f.cases)
}

fn relation_name(k: RelationKind) -> &'static str {
    match k {
        RelationKind::None => "none",
        RelationKind::Exclusive => "exclusive",
        RelationKind::Concurrent => "concurrent",
        RelationKind::CrossProvince => "cross_province",
    }
}

/// Checks one case; `Err` carries the reason it failed.
pub fn check(engine: &Engine, c: &GoldenCase, today: Date) -> Result<(), String> {
    let parsed = case_from_json(c.input.clone(), &c.name)
        .and_then(|case| engine.route(&case, today, &c.name));
    let d = match (parsed, &c.want_error) {
        (Err(e), Some(want)) => {
            return if e.to_string().contains(want.as_str()) {
                Ok(())
            } else {
                Err(format!("error `{e}` does not contain `{want}`"))
            };
        }
        (Err(e), None) => return Err(format!("unexpected error: {e}")),
        (Ok(_), Some(want)) => {
            return Err(format!(
                "expected an error containing `{want}`, but the case was accepted"
            ));
        }
        (Ok(d), None) => d,
    };
    if let Some(want) = &c.want_no_court {
        return match (&d.status, &d.no_court_reason) {
            (Status::NoCourt, Some(r)) if r.en.contains(want.as_str()) => Ok(()),
            (Status::NoCourt, r) => Err(format!(
                "no court as expected, but the reason `{}` does not contain `{want}`",
                r.as_ref().map(|r| r.en.as_str()).unwrap_or("")
            )),
            _ => Err(format!("expected no court, got {:?}", d.court_ids())),
        };
    }
    let Some(w) = &c.want else {
        return Err("the case has none of `want`, `want_no_court`, `want_error`".to_string());
    };
    let mut got: Vec<&str> = d.court_ids();
    got.sort_unstable();
    let mut exp: Vec<&str> = w.courts.iter().map(String::as_str).collect();
    exp.sort_unstable();
    let mut problems = Vec::new();
    if got != exp {
        let why = d
            .no_court_reason
            .as_ref()
            .map(|r| format!(" (no court: {})", r.en))
            .unwrap_or_default();
        problems.push(format!("courts {got:?}, want {exp:?}{why}"));
    }
    for c in &d.competent {
        for g in &c.grounds {
            if g.sources.is_empty() || g.sources.iter().any(|s| s.title.is_empty()) {
                problems.push(format!(
                    "ground `{}` of `{}` cites no resolved source",
                    g.rule, c.court.id
                ));
            }
        }
    }
    let fired = d.fired_rules();
    for r in &w.rules {
        if !fired.contains(&r.as_str()) {
            problems.push(format!("rule `{r}` did not fire (fired: {fired:?})"));
        }
    }
    if let Some(rel) = &w.relation {
        let g = relation_name(d.relation.kind);
        if g != rel {
            problems.push(format!("relation `{g}`, want `{rel}`"));
        }
    }
    for (court, appeal) in &w.appeal {
        let g = d
            .competent
            .iter()
            .find(|c| &c.court.id == court)
            .and_then(|c| c.appeal_court.as_ref())
            .map(|a| a.id.as_str());
        if g != Some(appeal.as_str()) {
            problems.push(format!("appeal of `{court}` is {g:?}, want `{appeal}`"));
        }
    }
    for (court, tribunal) in &w.tribunal {
        let g = d
            .competent
            .iter()
            .find(|c| &c.court.id == court)
            .and_then(|c| c.tribunal.as_ref())
            .map(|t| t.id.as_str());
        if g != Some(tribunal.as_str()) {
            problems.push(format!("tribunal of `{court}` is {g:?}, want `{tribunal}`"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// The golden case files of `jurisdiction-rules/tests`, embedded so that `ecojuris test` works
/// from any folder (`(path, text)`, sorted by path). A test checks that this list matches the
/// directory: a new file there must be added here.
pub static EMBEDDED: &[(&str, &str)] = &[
    (
        "jurisdiction-rules/tests/anhui.yaml",
        include_str!("../jurisdiction-rules/tests/anhui.yaml"),
    ),
    (
        "jurisdiction-rules/tests/demo-zone.yaml",
        include_str!("../jurisdiction-rules/tests/demo-zone.yaml"),
    ),
    (
        "jurisdiction-rules/tests/errors.yaml",
        include_str!("../jurisdiction-rules/tests/errors.yaml"),
    ),
    (
        "jurisdiction-rules/tests/jiangsu.yaml",
        include_str!("../jurisdiction-rules/tests/jiangsu.yaml"),
    ),
    (
        "jurisdiction-rules/tests/national.yaml",
        include_str!("../jurisdiction-rules/tests/national.yaml"),
    ),
    (
        "jurisdiction-rules/tests/shanghai.yaml",
        include_str!("../jurisdiction-rules/tests/shanghai.yaml"),
    ),
    (
        "jurisdiction-rules/tests/zhejiang.yaml",
        include_str!("../jurisdiction-rules/tests/zhejiang.yaml"),
    ),
];

/// Runs every embedded golden case file (see [`EMBEDDED`]).
pub fn run_embedded(engine: &Engine, today: Date) -> Vec<CaseResult> {
    EMBEDDED
        .iter()
        .flat_map(|(path, text)| run_text(engine, path, text, today))
        .collect()
}

/// Runs every case of every `*.yaml` file in `dir` (sorted), with the known-failure ratchet.
/// Errors in reading or parsing a file are returned as failed results of that file.
pub fn run_dir(engine: &Engine, dir: &std::path::Path, today: Date) -> Vec<CaseResult> {
    let mut results = Vec::new();
    let mut paths: Vec<std::path::PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect(),
        Err(e) => {
            results.push(CaseResult {
                file: dir.display().to_string(),
                name: String::new(),
                passed: false,
                failure: Some(format!("cannot read directory: {e}")),
                known_failure: false,
            });
            return results;
        }
    };
    paths.sort();
    for p in paths {
        let file = p.display().to_string();
        let text = match std::fs::read_to_string(&p) {
            Ok(t) => t,
            Err(e) => {
                results.push(CaseResult {
                    file: file.clone(),
                    name: String::new(),
                    passed: false,
                    failure: Some(format!("cannot read: {e}")),
                    known_failure: false,
                });
                continue;
            }
        };
        results.extend(run_text(engine, &file, &text, today));
    }
    results
}

/// Runs the cases of one file's text.
pub fn run_text(engine: &Engine, file: &str, text: &str, today: Date) -> Vec<CaseResult> {
    let cases = match parse_file(file, text) {
        Ok(c) => c,
        Err(e) => {
            return vec![CaseResult {
                file: file.to_string(),
                name: String::new(),
                passed: false,
                failure: Some(e),
                known_failure: false,
            }];
        }
    };
    let mut names = std::collections::BTreeSet::new();
    cases
        .iter()
        .map(|c| {
            let dup = !names.insert(c.name.clone());
            let outcome = if dup {
                Err("duplicate case name".to_string())
            } else {
                check(engine, c, today)
            };
            let (passed, failure) = match (&c.known_failure, outcome) {
                (None, Ok(())) => (true, None),
                (None, Err(e)) => (false, Some(e)),
                (Some(_), Err(_)) => (true, None),
                (Some(why), Ok(())) => (
                    false,
                    Some(format!(
                        "marked `known_failure: {why}` but passes: update the file"
                    )),
                ),
            };
            CaseResult {
                file: file.to_string(),
                name: c.name.clone(),
                passed,
                failure,
                known_failure: c.known_failure.is_some(),
            }
        })
        .collect()
}
