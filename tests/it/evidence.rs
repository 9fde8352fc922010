//! The real adjudicated cases in `jurisdiction-rules/evidence/` (the embedded set).

use std::collections::BTreeSet;

use ecojuris::evidence::{self, Verdict};

use super::common::engine;

/// Every evidence case matches the court that really tried it, or its miss is explained by a
/// `known_exception`; an exception that is no longer needed fails too.
#[test]
fn every_miss_is_explained() {
    let report = evidence::run_embedded(engine()).unwrap();
    let failing: Vec<String> = report
        .failures()
        .map(|o| {
            format!(
                "{} ({}:{}) {}: {}",
                o.id,
                o.file,
                o.line,
                o.verdict.name(),
                o.detail.as_deref().unwrap_or("")
            )
        })
        .collect();
    assert!(
        failing.is_empty(),
        "{} of {} evidence cases fail (run `ecojuris evidence`):\n{}",
        failing.len(),
        report.total.cases,
        failing.join("\n")
    );
}

/// The shape the issue asks of the set once complete: at least 250 cases, 30 per province,
/// 8 filing years and all seven kinds.
const TARGET: Shape = Shape {
    cases: 250,
    per_province: 30,
    years: 8,
    kinds: 7,
};

/// The set's shape when the floor was last raised, capped at `TARGET`. A ratchet: it may only
/// rise. When cases are added the test fails until the floor is raised to the new shape, so a
/// later removal cannot go unnoticed; once the floor equals `TARGET` the set meets the issue's
/// shape and must keep it.
const FLOOR: Shape = Shape {
    cases: 226,
    per_province: 30,
    years: 8,
    kinds: 7,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    cases: usize,
    per_province: usize,
    years: usize,
    kinds: usize,
}

impl Shape {
    fn capped(self, cap: Shape) -> Shape {
        Shape {
            cases: self.cases.min(cap.cases),
            per_province: self.per_province.min(cap.per_province),
            years: self.years.min(cap.years),
            kinds: self.kinds.min(cap.kinds),
        }
    }
}

#[test]
fn the_set_keeps_its_shape_floor() {
    let report = evidence::run_embedded(engine()).unwrap();
    let per_province = evidence::PROVINCES
        .iter()
        .map(|(code, _, _)| report.by_province.get(*code).map_or(0, |t| t.cases))
        .min()
        .unwrap_or(0);
    let years: BTreeSet<i32> = report.cases.iter().map(|c| c.year).collect();
    let kinds: BTreeSet<_> = report.cases.iter().filter_map(|c| c.kind).collect();
    let have = Shape {
        cases: report.total.cases,
        per_province,
        years: years.len(),
        kinds: kinds.len(),
    };
    let capped = have.capped(TARGET);
    assert_eq!(
        capped, FLOOR,
        "the evidence set's shape {have:?} (capped at the target {TARGET:?}) differs from the floor: \
         if cases were added, raise `FLOOR` in tests/it/evidence.rs to {capped:?}; it must never go down"
    );
}

/// A case the rules cannot match, a case they match, an explained miss and a stale
/// exception, routed through the whole runner: the verdicts and the failing set follow.
#[test]
fn verdicts_follow_the_rules_and_the_ratchet() {
    let text = r#"
schema_version: 1
province: "310000"
cases:
  - id: ev-sh-9001
    summary: "Qingpu civil tort, routed to the Qingpu court by the default rule"
    source: {title: "t", publisher: "p", date: 2024-06-01, url: "https://example.org/a"}
    filed_on: 2024-05-01
    case: {kind: civil, places: [{role: defendant_domicile, code: "310118"}], claim_amount_cny: 10000}
    tried_by: {court: basic-310118, court_name_zh: 上海市青浦区人民法院}
  - id: ev-sh-9002
    summary: "the same case said to be tried by the maritime court: a miss"
    source: {title: "t", publisher: "p", date: 2024-06-01, url: "https://example.org/b"}
    filed_on: 2024-05-01
    case: {kind: civil, places: [{role: defendant_domicile, code: "310118"}], claim_amount_cny: 10000}
    tried_by: {court: sh-maritime, court_name_zh: 上海海事法院}
  - id: ev-sh-9003
    summary: "the same miss, designated"
    source: {title: "t", publisher: "p", date: 2024-06-01, url: "https://example.org/c"}
    filed_on: 2024-05-01
    case: {kind: civil, places: [{role: defendant_domicile, code: "310118"}], claim_amount_cny: 10000}
    tried_by: {court: sh-maritime, court_name_zh: 上海海事法院}
    designated: true
    known_exception: {kind: designated, note: "test"}
  - id: ev-sh-9004
    summary: "a match marked as an exception"
    source: {title: "t", publisher: "p", date: 2024-06-01, url: "https://example.org/d"}
    filed_on: 2024-05-01
    case: {kind: civil, places: [{role: defendant_domicile, code: "310118"}], claim_amount_cny: 10000}
    tried_by: {court: basic-310118, court_name_zh: 上海市青浦区人民法院}
    known_exception: {kind: sources_disagree, note: "test"}
  - id: ev-sh-9005
    summary: "an unknown court id"
    source: {title: "t", publisher: "p", date: 2024-06-01, url: "https://example.org/e"}
    filed_on: 2024-05-01
    case: {kind: civil, places: [{role: defendant_domicile, code: "310118"}]}
    tried_by: {court: basic-310119, court_name_zh: x}
"#;
    let loaded = evidence::parse_file("t.yaml", text).unwrap();
    let report = evidence::run(engine(), &[loaded]);
    let verdicts: Vec<Verdict> = report.cases.iter().map(|c| c.verdict).collect();
    assert_eq!(
        verdicts,
        [
            Verdict::Exact,
            Verdict::Miss,
            Verdict::Explained,
            Verdict::ExceptionNotNeeded,
            Verdict::Invalid
        ],
        "{:#?}",
        report.cases
    );
    assert_eq!(report.cases[1].line, 11);
    assert!(
        report.cases[1]
            .detail
            .as_deref()
            .unwrap()
            .contains("sh-maritime")
    );
    assert!(!report.cases[1].given[0].rules.is_empty());
    assert!(
        report.cases[4]
            .detail
            .as_deref()
            .unwrap()
            .contains("`basic-310119`")
    );
    assert_eq!(report.failures().count(), 3);
    let t = &report.by_province["310000"];
    assert_eq!(
        (t.cases, t.matched, t.exact, t.explained, t.unexplained),
        (5, 2, 1, 1, 1)
    );
    assert_eq!(report.by_year[&2024].cases, 5);
    // Support: the two matched cases support the rules behind the Qingpu court.
    let support = evidence::support_counts(&report);
    let qingpu_rules = &report.cases[0].given[0].rules;
    for r in qingpu_rules {
        assert_eq!(support.get(r), Some(&2), "{r}: {support:?}");
    }
    // Contradiction: the assigning rule of the Qingpu court, once unexplained, once explained.
    let c = evidence::contradictions(&report);
    let assigning = &report.cases[1].given[0].assigned_by[0];
    let hit = c.iter().find(|c| &c.rule == assigning).unwrap();
    assert_eq!(hit.unexplained, ["ev-sh-9002"]);
    assert_eq!(hit.explained, ["ev-sh-9003"]);
}

fn evidence_dir(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ecojuris-evidence-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("shanghai.yaml"), text).unwrap();
    dir
}

const ONE_MATCH_ONE_MISS: &str = r#"schema_version: 1
province: "310000"
cases:
  - id: ev-sh-9101
    summary: "Qingpu civil tort"
    source: {title: "t", publisher: "p", date: 2024-06-01, url: "https://example.org/a"}
    filed_on: 2024-05-01
    case: {kind: civil, places: [{role: defendant_domicile, code: "310118"}]}
    tried_by: {court: basic-310118, court_name_zh: 上海市青浦区人民法院}
  - id: ev-sh-9102
    summary: "the same case said to be tried by the maritime court"
    source: {title: "t", publisher: "p", date: 2024-06-01, url: "https://example.org/b"}
    filed_on: 2024-05-01
    case: {kind: civil, places: [{role: defendant_domicile, code: "310118"}]}
    tried_by: {court: sh-maritime, court_name_zh: 上海海事法院}
"#;

/// `ecojuris evidence DIR`: an unexplained miss is listed with the courts given and makes the
/// command exit 1; the JSON has the figures; `validate --evidence DIR` reports the rule the
/// miss contradicts as a finding.
#[test]
fn cli_reports_misses_and_exits_1() {
    let dir = evidence_dir("miss", ONE_MATCH_ONE_MISS);
    let bin = env!("CARGO_BIN_EXE_ecojuris");
    let o = std::process::Command::new(bin)
        .arg("evidence")
        .arg(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(1), "{text}");
    assert!(text.contains("MISS ev-sh-9102"), "{text}");
    assert!(text.contains("given: basic-310118"), "{text}");
    assert!(
        !text.contains("ev-sh-9101"),
        "matches are not listed without --all: {text}"
    );
    let o = std::process::Command::new(bin)
        .args(["--format", "json", "evidence"])
        .arg(&dir)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["total"]["cases"], 2);
    assert_eq!(v["total"]["matched"], 1);
    assert_eq!(v["by_province"]["310000"]["unexplained"], 1);
    assert_eq!(v["cases"][1]["verdict"], "miss");
    let o = std::process::Command::new(bin)
        .args(["--format", "json", "validate", "--evidence"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let contradicted: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "contradicted")
        .collect();
    assert_eq!(contradicted.len(), 1, "{v}");
    assert!(
        contradicted[0]["message"]
            .as_str()
            .unwrap()
            .contains("ev-sh-9102")
    );
    assert!(
        v["evidence"]["support"]["NAT-CIV-TORT"] == 1,
        "{}",
        v["evidence"]
    );
    // A file that does not parse is an error with its line and column (exit 2).
    let bad = evidence_dir(
        "bad",
        "schema_version: 1\nprovince: \"310000\"\ncases:\n  - idd: x\n",
    );
    let o = std::process::Command::new(bin)
        .arg("evidence")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("line 4 column"), "{err}");
}
