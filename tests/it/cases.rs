//! The golden routing cases in `jurisdiction-rules/tests/` (one test per file).

use ecojuris::cases::run_text;
use ecojuris::model::Date;

use super::common::engine;

#[track_caller]
fn check_file(name: &str) {
    let path = format!(
        "{}/jurisdiction-rules/tests/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let results = run_text(engine(), &path, &text, Date::parse("2026-11-27").unwrap());
    assert!(!results.is_empty(), "no cases found in {path}");
    let failed: Vec<String> = results
        .iter()
        .filter(|r| !r.passed)
        .map(|r| format!("{} :: {}", r.name, r.failure.as_deref().unwrap_or("")))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        results.len(),
        failed.join("\n")
    );
}

#[test]
fn national() {
    check_file("national.yaml");
}

#[test]
fn shanghai() {
    check_file("shanghai.yaml");
}

#[test]
fn jiangsu() {
    check_file("jiangsu.yaml");
}

#[test]
fn zhejiang() {
    check_file("zhejiang.yaml");
}

#[test]
fn anhui() {
    check_file("anhui.yaml");
}

#[test]
fn demo_zone() {
    check_file("demo-zone.yaml");
}

#[test]
fn errors() {
    check_file("errors.yaml");
}

#[test]
fn every_file_is_covered_by_a_test() {
    let dir = format!("{}/jurisdiction-rules/tests", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "anhui.yaml",
            "demo-zone.yaml",
            "errors.yaml",
            "jiangsu.yaml",
            "national.yaml",
            "shanghai.yaml",
            "zhejiang.yaml"
        ]
    );
}

#[test]
fn every_baseline_rule_has_a_positive_case() {
    let dir = format!("{}/jurisdiction-rules/tests", env!("CARGO_MANIFEST_DIR"));
    let mut all = String::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        all.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
    }
    let missing: Vec<&str> = engine()
        .rules()
        .rules
        .iter()
        .filter(|r| r.status() == ecojuris::rules::RuleStatus::Baseline)
        .map(|r| r.id.as_str())
        .filter(|id| !all.contains(id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a golden case: {missing:?}"
    );
}

#[test]
fn the_embedded_golden_cases_are_the_files_of_the_directory() {
    let dir = format!("{}/jurisdiction-rules/tests", env!("CARGO_MANIFEST_DIR"));
    let mut on_disk: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (
                format!("jurisdiction-rules/tests/{name}"),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    on_disk.sort();
    let embedded: Vec<(String, String)> = ecojuris::cases::EMBEDDED
        .iter()
        .map(|(p, t)| ((*p).to_string(), (*t).to_string()))
        .collect();
    let names = |v: &[(String, String)]| v.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&embedded),
        names(&on_disk),
        "src/cases.rs EMBEDDED must list every file of jurisdiction-rules/tests"
    );
    assert!(embedded == on_disk, "embedded texts differ from the files");
}
