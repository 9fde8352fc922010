//! `validate` and `rules diff`: the shipped rules are clean; deliberately broken rule sets
//! produce the expected findings with counter-examples that reproduce them.

use ecojuris::cases::{check, parse_file};
use ecojuris::eval::Engine;
use ecojuris::model::{CaseKind, Date};
use ecojuris::rules::RuleFiles;
use ecojuris::spatial::Geodata;
use ecojuris::validate::{FindingKind, diff, validate};

use super::common::{engine, geo};

fn files_with(edit: impl Fn(&str, &str) -> String) -> RuleFiles {
    let mut f = RuleFiles::embedded();
    for (path, text) in f.files.iter_mut() {
        *text = edit(path, text);
    }
    f
}

fn append_rule(file: &'static str, rule: &str) -> RuleFiles {
    let rule = rule.to_string();
    files_with(move |path, text| {
        if path.ends_with(file) {
            format!("{text}{rule}")
        } else {
            text.to_string()
        }
    })
}

#[test]
fn shipped_rules_validate_clean() {
    let e = engine();
    let report = validate(e.rules(), e.geo());
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    // Every unit × kind × date interval at least once (most have two or three levels).
    let floor = e.geo().units().len() * ecojuris::model::CaseKind::ALL.len() * report.intervals;
    assert!(
        report.combinations > floor,
        "{} ≤ {floor}",
        report.combinations
    );
}

#[test]
fn a_gap_is_found_with_a_counter_example_that_reproduces_it() {
    // Anhui's default skips Hefei and the national default no longer covers Anhui.
    let files = files_with(|path, text| {
        if path.ends_with("national.yaml") {
            text.replace(
                "    levels: [basic]\n    assign: {court_of_unit: basic}",
                "    levels: [basic]\n    territory: {include: [\"310000\", \"320000\", \"330000\"]}\n    assign: {court_of_unit: basic}",
            )
        } else if path.ends_with("anhui.yaml") {
            text.replace(
                "    levels: [basic]\n    assign: {court_of_unit: basic}\n    priority: 15",
                "    levels: [basic]\n    territory: {include: [\"340000\"], exclude: [\"340100\"]}\n    assign: {court_of_unit: basic}\n    priority: 15",
            )
        } else {
            text.to_string()
        }
    });
    let geo = Geodata::embedded(Default::default()).unwrap();
    let rules = files.load(&geo).unwrap();
    let report = validate(&rules, &geo);
    let gaps: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Gap)
        .collect();
    assert!(!gaps.is_empty(), "{:#?}", report.findings);
    let g = gaps
        .iter()
        .find(|g| g.case_kind == Some(CaseKind::Civil))
        .unwrap();
    assert!(
        g.places.iter().all(|p| p.starts_with("3401")),
        "{:?}",
        g.places
    );
    assert_eq!(
        g.places.len(),
        geo.units()
            .iter()
            .filter(|u| u.city_adcode == "340100")
            .count()
    );
    assert!(
        g.message
            .contains("no court for a `civil` case at basic level"),
        "{}",
        g.message
    );
    // The counter-example is a golden case that passes against the broken rule set.
    let ce = g.counter_example.as_deref().unwrap();
    let cases = parse_file("counter-example", &format!("cases:\n{ce}")).unwrap();
    let broken = Engine::load(geo, &files).unwrap();
    check(&broken, &cases[0], Date::parse("2026-01-01").unwrap()).unwrap();
}

#[test]
fn an_overlap_is_found() {
    const OVERLAP: &str = r#"  - id: AH-TEST-OVERLAP
    stage: venue
    summary: {en: "test", zh: "测试"}
    levels: [basic]
    territory: {include: ["340102"]}
    assign: {court: basic-340103}
    priority: 15
    valid_from: 2020-01-01
    confidence: uncertain
    legal_basis: "test"
    sources: [LEGAL-FACTS]
"#;
    let files = append_rule("anhui.yaml", OVERLAP);
    let geo = geo();
    let rules = files.load(geo).unwrap();
    let report = validate(&rules, geo);
    let o = report
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::Overlap)
        .expect("overlap");
    assert!(
        o.rules.contains(&"AH-TEST-OVERLAP".to_string())
            && o.rules.contains(&"AH-DEFAULT".to_string()),
        "{o:?}"
    );
    assert_eq!(o.places, vec!["340102".to_string()]);
    assert_eq!(o.from, Date::parse("2020-01-01"));
    assert!(
        o.counter_example
            .as_deref()
            .unwrap()
            .contains("code: \"340102\"")
    );
    // Declaring the concurrency silences it.
    let files = append_rule(
        "anhui.yaml",
        &format!("{OVERLAP}    concurrent_with: [AH-DEFAULT]\n"),
    );
    let rules = files.load(geo).unwrap();
    assert!(validate(&rules, geo).findings.is_empty());
}

#[test]
fn a_shadowed_rule_is_found() {
    let files = append_rule(
        "anhui.yaml",
        r#"  - id: AH-TEST-SHADOWED
    stage: venue
    summary: {en: "test", zh: "测试"}
    levels: [basic]
    territory: {include: ["340100"]}
    assign: {court: basic-340103}
    priority: 5
    valid_from: 2020-01-01
    confidence: uncertain
    legal_basis: "test"
    sources: [LEGAL-FACTS]
"#,
    );
    let geo = geo();
    let rules = files.load(geo).unwrap();
    let report = validate(&rules, geo);
    assert_eq!(report.findings.len(), 1, "{:#?}", report.findings);
    assert_eq!(report.findings[0].kind, FindingKind::Shadowed);
    assert!(report.findings[0].message.contains("AH-TEST-SHADOWED"));
    assert!(report.findings[0].message.contains("anhui.yaml"));
    // The counter-example is a case the rule covers, decided by another rule.
    let ce = report.findings[0]
        .counter_example
        .as_deref()
        .expect("counter-example");
    assert!(
        ce.contains("code: \"3401") && ce.contains("want: {courts: [basic-3401"),
        "{ce}"
    );
    let cases = parse_file("counter-example", &format!("cases:\n{ce}")).unwrap();
    let e = Engine::load(Geodata::embedded(Default::default()).unwrap(), &files).unwrap();
    check(&e, &cases[0], Date::parse("2026-01-01").unwrap()).unwrap();
}

#[test]
fn a_dangling_court_and_an_inverted_date_are_both_reported_with_positions() {
    let files = append_rule(
        "anhui.yaml",
        r#"  - id: AH-TEST-DANGLING
    stage: venue
    summary: {en: "test", zh: "测试"}
    levels: [basic]
    territory: {include: ["340100"]}
    assign: {court: basic-34010}
    priority: 16
    valid_from: 2020-01-01
    confidence: uncertain
    legal_basis: "test"
    sources: [LEGAL-FACTS]
  - id: AH-TEST-DATES
    stage: venue
    summary: {en: "test", zh: "测试"}
    levels: [basic]
    territory: {include: ["340101x"]}
    assign: {court_of_unit: basic}
    priority: 16
    valid_from: 2020-01-01
    valid_to: 2019-01-01
    confidence: uncertain
    legal_basis: "test"
    sources: [LEGAL-FACT]
"#,
    );
    let err = files.load(geo()).unwrap_err();
    let all = err.to_string();
    let d = &err.diagnostics;
    assert!(
        d.iter()
            .any(|d| d.message.contains("unknown court `basic-34010`")
                && d.message.contains("did you mean")),
        "{all}"
    );
    assert!(
        d.iter().any(|d| d
            .message
            .contains("`valid_to` 2019-01-01 is not after `valid_from` 2020-01-01")),
        "{all}"
    );
    assert!(
        d.iter()
            .any(|d| d.message.contains("unknown source `LEGAL-FACT`")
                && d.message.contains("did you mean `LEGAL-FACTS`")),
        "{all}"
    );
    assert!(
        d.iter()
            .any(|d| d.message.contains("unknown unit code or feature `340101x`")),
        "{all}"
    );
    assert!(
        d.iter().all(|d| d.line.is_some() && d.snippet.is_some()),
        "{all}"
    );
}

#[test]
fn a_field_the_stage_ignores_is_a_load_error_not_silently_dropped() {
    // A scope rule with an assignment, an advisory with `status: alternative`, a venue rule
    // without one: each is a diagnostic at the rule's line, naming the field.
    let files = append_rule(
        "anhui.yaml",
        r#"  - id: AH-TEST-SCOPE-ASSIGN
    stage: scope
    summary: {en: "test", zh: "测试"}
    kinds: [civil]
    roles: [conduct]
    assign: {court_of_unit: basic}
    priority: 1
    valid_from: 2020-01-01
    confidence: uncertain
    legal_basis: "test"
    sources: [LEGAL-FACTS]
  - id: AH-TEST-ADVISORY-ALT
    stage: advisory
    summary: {en: "test", zh: "测试"}
    status: alternative
    alternative_to: [AH-DEFAULT]
    warning: {en: "test", zh: "测试"}
    priority: 1
    valid_from: 2020-01-01
    confidence: uncertain
    legal_basis: "test"
    sources: [LEGAL-FACTS]
  - id: AH-TEST-VENUE-BARE
    stage: venue
    summary: {en: "test", zh: "测试"}
    priority: 1
    valid_from: 2020-01-01
    confidence: uncertain
    legal_basis: "test"
    sources: [LEGAL-FACTS]
"#,
    );
    let err = files.load(geo()).unwrap_err();
    let all = err.to_string();
    let has = |needle: &str| err.diagnostics.iter().any(|d| d.message.contains(needle));
    assert!(
        has("rule `AH-TEST-SCOPE-ASSIGN`: only venue rules take `assign`"),
        "{all}"
    );
    assert!(
        has("rule `AH-TEST-ADVISORY-ALT`: only venue rules take `status`"),
        "{all}"
    );
    assert!(
        has("rule `AH-TEST-ADVISORY-ALT`: only venue rules take `alternative_to`"),
        "{all}"
    );
    assert!(
        has("rule `AH-TEST-VENUE-BARE`: a venue rule needs `assign`"),
        "{all}"
    );
    assert!(err.diagnostics.iter().all(|d| d.line.is_some()), "{all}");
}

#[test]
fn schema_errors_point_at_line_and_column_and_suggest() {
    let files = files_with(|path, text| {
        if path.ends_with("zhejiang.yaml") {
            text.replacen("    levels: [basic]", "    levls: [basic]", 1)
        } else {
            text.to_string()
        }
    });
    let err = files.load(geo()).unwrap_err();
    let d = &err.diagnostics[0];
    assert!(d.file.ends_with("zhejiang.yaml"));
    assert!(
        d.message.contains("unknown field `levls`") && d.message.contains("did you mean `levels`"),
        "{d}"
    );
    assert!(d.line.is_some() && d.column.is_some());
    assert!(d.snippet.as_deref().unwrap().contains('^'));
}

#[test]
fn the_wujiang_carve_out_changes_exactly_wujiang() {
    let e = engine();
    let d = diff(
        e.rules(),
        Date::parse("2023-09-07").unwrap(),
        e.rules(),
        Date::parse("2023-09-08").unwrap(),
        e.geo(),
        "a".into(),
        "b".into(),
    );
    assert!(!d.changes.is_empty());
    assert!(
        d.changes.iter().all(|c| c.unit == "320509"),
        "{:?}",
        d.changes
    );
    assert!(
        d.changes
            .iter()
            .all(|c| c.before[0].0 == "basic-320508" && c.after[0].0 == "basic-320509")
    );
    assert!(d.changes.iter().any(|c| c.kind == CaseKind::Criminal));
}

#[test]
fn a_territory_naming_a_unit_before_it_existed_is_dangling() {
    // 钱塘区 (330114) exists since 2021; a rule from 2019 naming it is reported.
    let files = append_rule(
        "zhejiang.yaml",
        r#"  - id: ZJ-TEST-QIANTANG
    stage: advisory
    summary: {en: "test", zh: "测试"}
    territory: {include: ["330114"]}
    warning: {en: "test", zh: "测试"}
    priority: 10
    valid_from: 2019-01-01
    confidence: uncertain
    legal_basis: "test"
    sources: [LEGAL-FACTS]
"#,
    );
    let geo = geo();
    let rules = files.load(geo).unwrap();
    let report = validate(&rules, geo);
    let f = report
        .findings
        .iter()
        .find(|f| f.kind == FindingKind::Dangling)
        .expect("dangling");
    assert!(
        f.message.contains("330114")
            && f.message.contains("since 2021")
            && f.message.contains("ZJ-TEST-QIANTANG"),
        "{}",
        f.message
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, failure_persistence: None, ..Default::default() })]

    /// The validator and the router apply one precedence law (`rules::select`): for a case
    /// with default attributes at one unit, the courts and assigning rules `validate` predicts
    /// are exactly those `decide` gives.
    #[test]
    fn validate_and_decide_agree_on_the_winning_rules(
        unit in 0usize..305,
        kind in 0usize..7,
        days in 0i32..4748,
    ) {
        use ecojuris::model::{Case, PlaceSpec, Role};
        let e = engine();
        let Some(u) = e.geo().units().get(unit) else { return Ok(()) };
        let kind = CaseKind::ALL[kind];
        let date = Date::from_days(Date::parse("2014-01-01").unwrap().days() + days);
        let role = match kind {
            CaseKind::Administrative | CaseKind::AdministrativePublicInterest => Role::Agency,
            _ => Role::Conduct,
        };
        let case = Case::simple(kind, role, PlaceSpec::Code(u.adcode.clone()), Some(date));
        let Ok(a) = e.admit(&case, date, "prop") else { return Ok(()) };
        let o = e.decide(&a);
        let Some(level) = o.competent.first().and_then(|c| c.grounds.first()).map(|g| g.level) else {
            return Ok(());
        };
        let mut got: Vec<(String, String)> = o
            .competent
            .iter()
            .flat_map(|c| c.grounds.iter().map(move |g| (c.court.clone(), g.rule.clone())))
            .collect();
        got.sort();
        got.dedup();
        let want = ecojuris::validate::decide(e.rules(), e.geo(), kind, level, date, unit);
        proptest::prop_assert_eq!(got, want, "{} {} {}", u.adcode, kind, date);
    }
}

#[test]
fn a_source_without_title_or_date_or_with_a_non_url_is_reported() {
    let files = files_with(|path, text| {
        if path.ends_with("sources.yaml") {
            format!(
                "{text}  - key: TEST-BAD\n    title: TEST-BAD\n    url: \"stored copy: shared/x.txt, line 3\"\n    kind: press\n  - key: TEST-OK\n    title: \"最高人民法院关于适用《中华人民共和国民事诉讼法》的解释\"\n    date: 2015-01-30\n    url: \"https://www.court.gov.cn/\"\n    urls: [\"http://example.org/copy\"]\n    kind: interpretation\n"
            )
        } else {
            text.to_string()
        }
    });
    let rules = files.load(geo()).expect("loads");
    let report = validate(&rules, geo());
    let msgs: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Provenance)
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        msgs.contains(&"source `TEST-BAD` has no title"),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("source `TEST-BAD` has no date")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("source `TEST-BAD` has `url: stored copy")
                && m.ends_with("not an http(s) URL")),
        "{msgs:#?}"
    );
    assert!(
        !msgs.iter().any(|m| m.contains("TEST-OK")),
        "a complete source is not reported: {msgs:#?}"
    );
    assert_eq!(msgs.len(), 3, "{msgs:#?}");
}

/// A rule's file and line come from the parse (the item of `rules:`), not from searching the
/// text for `id:`: an `id:` of the same text before the real one, in a comment or a
/// description, moves nothing. Two files, each with a decoy.
#[test]
fn rule_lines_come_from_the_parse_not_from_the_id_text() {
    let decoy = "description: |\n  id: SH-2016-CRIM\n  - id: JS-91-T1\n# id: JS-91-T2\n";
    let files = files_with(|path, text| {
        if path.ends_with("shanghai.yaml") || path.ends_with("jiangsu.yaml") {
            text.replacen("\nrules:\n", &format!("\n{decoy}rules:\n"), 1)
        } else {
            text.to_string()
        }
    });
    let rs = files.load(geo()).unwrap();
    for id in ["SH-2016-CRIM", "JS-91-T1", "JS-91-T2"] {
        let r = rs.rules.iter().find(|r| r.id == id).unwrap();
        let (_, text) = files.files.iter().find(|f| f.0 == r.file).unwrap();
        let line = text.lines().nth(r.line - 1).unwrap();
        assert_eq!(
            line,
            format!("  - id: {id}"),
            "{id} at {}:{}",
            r.file,
            r.line
        );
    }
    // And the shipped files: every rule's line is its `- id:` line.
    let rs = RuleFiles::embedded().load(geo()).unwrap();
    let embedded = RuleFiles::embedded();
    for r in &rs.rules {
        let (_, text) = embedded.files.iter().find(|f| f.0 == r.file).unwrap();
        let line = text.lines().nth(r.line.saturating_sub(1)).unwrap_or("");
        assert_eq!(
            line.trim_start(),
            format!("- id: {}", r.id),
            "{}:{}",
            r.file,
            r.line
        );
    }
}
