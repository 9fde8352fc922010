//! `route` end to end (CLI), and properties: no panic on arbitrary case documents, rule files
//! or places.

use std::process::Command;

use ecojuris::input::parse_case;
use ecojuris::model::{Case, CaseKind, Date, PlaceSpec, Role, Status};
use ecojuris::rules::RuleFiles;
use ecojuris::spatial::Crs;
use proptest::prelude::*;

use super::common::{engine, geo};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ecojuris"))
}

fn write_case(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ecojuris-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn route_flag_form_text_and_exit_code() {
    let o = bin()
        .args([
            "route",
            "--kind",
            "criminal",
            "--conduct",
            "121.55,31.22",
            "--date",
            "2024-05-01",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let s = String::from_utf8(o.stdout).unwrap();
    assert!(
        s.contains("上海铁路运输法院") && s.contains("SH-QP2020-CRIM"),
        "{s}"
    );
}

#[test]
fn route_json_contract() {
    let p = write_case(
        "dz.yaml",
        "id: dz-1\nkind: civil\nfiled_on: 2024-05-01\nplaces:\n  - {role: conduct, code: \"320509\"}\n  - {role: result, code: \"310118\"}\n",
    );
    let o = bin()
        .args(["route", p.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let competent = v["competent"].as_array().unwrap();
    let ids: Vec<&str> = competent
        .iter()
        .map(|c| c["court"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["basic-320509", "basic-310118"],
        "ordered by place, then id"
    );
    for c in competent {
        for key in ["id", "name_zh", "name_en", "level"] {
            assert!(c["court"][key].is_string(), "court.{key}");
        }
        assert!(c["appeal_court"]["id"].is_string() || c["appeal_court"].is_null());
        let g = &c["grounds"][0];
        for key in ["factor", "place", "unit", "rule", "sources", "confidence"] {
            assert!(!g[key].is_null(), "grounds.{key}");
        }
        let sources = g["sources"].as_array().unwrap();
        assert!(!sources.is_empty(), "every ground cites its sources");
        assert!(
            sources
                .iter()
                .all(|s| !s["title"].as_str().unwrap().is_empty()),
            "{sources:?}"
        );
    }
    assert_eq!(v["relation"]["kind"], "cross_province");
    assert!(
        v["relation"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "NAT-CIV-DESIGNATE")
    );
    assert!(v["warnings"].is_array());
    assert!(v["rules_version"].is_string() && v["geodata_version"].is_string());
}

#[test]
fn route_chinese_text() {
    let o = bin()
        .args([
            "route",
            "--kind",
            "administrative",
            "--agency",
            "310118",
            "--date",
            "2024-05-01",
            "--lang",
            "zh",
        ])
        .output()
        .unwrap();
    let s = String::from_utf8(o.stdout).unwrap();
    assert!(
        s.contains("上海市闵行区人民法院") && s.contains("依据") && s.contains("上诉法院"),
        "{s}"
    );
}

#[test]
fn malformed_case_names_field_line_and_column() {
    let p = write_case(
        "bad.yaml",
        "kind: civil\nfiled_on: 2024-05-01\nplaces:\n  - {role: conduct, cod: \"310118\"}\n",
    );
    let o = bin().args(["route", p.to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8(o.stderr).unwrap();
    assert!(
        e.contains("line 4")
            && e.contains("unknown field `cod`")
            && e.contains("did you mean `code`?"),
        "{e}"
    );
    assert!(e.contains('^'), "caret snippet: {e}");
}

#[test]
fn missing_role_is_named() {
    let o = bin()
        .args([
            "route",
            "--kind",
            "administrative",
            "--conduct",
            "310118",
            "--date",
            "2024-05-01",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8(o.stderr).unwrap();
    assert!(e.contains("`agency`") && e.contains("missing"), "{e}");
}

#[test]
fn no_court_exits_1_with_the_reason() {
    // A crime at sea off Jiangsu investigated by the police, without a landing place.
    let o = bin()
        .args([
            "route",
            "--kind",
            "criminal",
            "--conduct",
            "121.5,33.5",
            "--date",
            "2024-05-01",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let s = String::from_utf8(o.stdout).unwrap();
    assert!(
        s.contains("no competent court") && s.contains("landing"),
        "{s}"
    );
}

#[test]
fn unlocatable_place_is_skipped_and_the_others_route() {
    let case = parse_case(
        "kind: civil\nfiled_on: 2024-05-01\nplaces:\n  - {role: conduct, at: [116.4, 39.9]}\n  - {role: result, code: \"330421\"}\n",
        "t",
    )
    .unwrap();
    let d = engine()
        .route(&case, Date::parse("2026-01-01").unwrap(), "t")
        .unwrap();
    assert_eq!(d.court_ids(), ["basic-330421"]);
    assert!(
        d.warnings
            .iter()
            .any(|w| w.code == "place_skipped" && w.place == Some(1)),
        "{:?}",
        d.warnings
    );
}

#[test]
fn near_border_point_warns_with_the_other_units_court() {
    // Find a point within 100 m of the Qingpu (Shanghai) / Kunshan (Jiangsu) border.
    let g = geo();
    let mut found = None;
    'outer: for i in 0..400 {
        for j in 0..400 {
            let lon = 120.90 + f64::from(i) * 0.0005;
            let lat = 31.10 + f64::from(j) * 0.0005;
            let loc = g.locate(lon, lat, Crs::Wgs84).unwrap();
            if loc.unit.as_ref().is_some_and(|u| u.adcode == "310118")
                && loc.candidates.iter().any(|c| c.adcode == "320583")
            {
                found = Some((lon, lat));
                break 'outer;
            }
        }
    }
    let (lon, lat) = found.expect("a point near the Qingpu/Kunshan border");
    let case = Case::simple(
        CaseKind::Civil,
        Role::Conduct,
        PlaceSpec::At {
            lon,
            lat,
            crs: Crs::Wgs84,
        },
        Date::parse("2024-05-01"),
    );
    let d = engine()
        .route(&case, Date::parse("2026-01-01").unwrap(), "t")
        .unwrap();
    assert_eq!(d.court_ids(), ["basic-310118"]);
    let w = d
        .warnings
        .iter()
        .find(|w| w.code == "near_border")
        .expect("near-border warning");
    assert!(
        w.message.en.contains("320583") && w.message.en.contains("苏州市姑苏区人民法院"),
        "{}",
        w.message.en
    );
}

#[test]
fn address_cross_check_flags_a_disagreement() {
    let case = parse_case(
        "kind: civil\nfiled_on: 2024-05-01\nplaces:\n  - {role: conduct, at: [121.12, 31.15], address: \"浙江省嘉善县西塘镇\"}\n",
        "t",
    )
    .unwrap();
    let d = engine()
        .route(&case, Date::parse("2026-01-01").unwrap(), "t")
        .unwrap();
    assert_eq!(d.court_ids(), ["basic-310118"], "routed by the point");
    let w = d
        .warnings
        .iter()
        .find(|w| w.code == "address_mismatch")
        .expect("mismatch warning");
    assert!(w.message.en.contains("330421"), "{}", w.message.en);
}

#[test]
fn shanghai_alternative_reading_is_a_warning_not_the_answer() {
    let case = Case::simple(
        CaseKind::Criminal,
        Role::Conduct,
        PlaceSpec::Code("310118".into()),
        Date::parse("2024-05-01"),
    );
    let d = engine()
        .route(&case, Date::parse("2026-01-01").unwrap(), "t")
        .unwrap();
    assert_eq!(d.court_ids(), ["basic-310118"]);
    assert!(d.warnings.iter().any(
        |w| w.code == "alternative_reading" && w.rule.as_deref() == Some("SH-QP2020-ALT-CRIM")
    ));
}

#[test]
fn routing_is_deterministic() {
    let case = parse_case(
        "kind: civil_public_interest\nfiled_on: 2024-05-01\nplaces:\n  - {role: conduct, code: \"330421\"}\n  - {role: result, code: \"310118\"}\n  - {role: defendant_domicile, code: \"320509\"}\n",
        "t",
    )
    .unwrap();
    let a = serde_json::to_string(
        &engine()
            .route(&case, Date::parse("2026-01-01").unwrap(), "t")
            .unwrap(),
    )
    .unwrap();
    let b = serde_json::to_string(
        &engine()
            .route(&case, Date::parse("2026-01-01").unwrap(), "t")
            .unwrap(),
    )
    .unwrap();
    assert_eq!(a, b);
}

fn arb_case_doc() -> impl Strategy<Value = String> {
    let kinds = prop::sample::select(vec![
        "criminal",
        "civil",
        "administrative",
        "civil_public_interest",
        "administrative_public_interest",
        "criminal_incidental_civil_public_interest",
        "eco_damage_compensation",
        "civl",
        "",
    ]);
    let roles = prop::sample::select(vec![
        "conduct",
        "result",
        "defendant_domicile",
        "agency",
        "reconsideration_agency",
        "landing",
        "preventive_measures",
        "x",
    ]);
    let place = (
        roles,
        any::<f64>(),
        any::<f64>(),
        0u8..6,
        "[0-9]{0,10}",
        "\\PC{0,12}",
    )
        .prop_map(|(r, lon, lat, which, code, addr)| match which {
            0 => format!("{{role: {r}, at: [{lon}, {lat}]}}"),
            1 => format!(
                "{{role: {r}, at: [{}, {}], crs: gcj02}}",
                114.0 + (lon.abs() % 10.0),
                27.0 + (lat.abs() % 9.0)
            ),
            2 => format!("{{role: {r}, code: \"{code}\"}}"),
            3 => format!("{{role: {r}, address: {:?}}}", addr),
            4 => format!(
                "{{role: {r}, at: [{}, {}], address: {:?}}}",
                114.0 + (lon.abs() % 10.0),
                27.0 + (lat.abs() % 9.0),
                addr
            ),
            _ => format!("{{role: {r}}}"),
        });
    let date = prop::sample::select(vec![
        "1989-12-31",
        "1990-01-01",
        "2019-07-01",
        "2023-09-08",
        "2030-01-01",
        "2023-02-30",
    ]);
    (kinds, date, prop::collection::vec(place, 0..4), any::<bool>(), prop::sample::select(vec!["department", "county_government", "maritime_agency", "provincial_government"]))
        .prop_map(|(k, d, places, ship, agency)| {
            let mut s = format!("kind: {k}\nfiled_on: {d}\nship_source: {ship}\ndefendant_agency_level: {agency}\nplaces:\n");
            for p in places {
                s.push_str(&format!("  - {p}\n"));
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn route_never_panics(doc in arb_case_doc()) {
        let e = engine();
        if let Ok(case) = parse_case(&doc, "prop") {
            let today = Date::parse("2026-01-01").unwrap();
            if let Ok(d) = e.route(&case, today, "prop") {
                prop_assert_eq!(d.status == Status::NoCourt, d.competent.is_empty());
            }
        }
    }

    #[test]
    fn case_parser_never_panics(s in "\\PC{0,200}") {
        let _ = parse_case(&s, "prop");
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn rule_loader_never_panics(s in "\\PC{0,300}", which in 0usize..7) {
        let mut f = RuleFiles::embedded();
        if let Some(slot) = f.files.get_mut(which) {
            slot.1 = s;
        }
        let _ = f.load(geo());
    }

    #[test]
    fn rule_loader_never_panics_on_truncated_files(cut in 0usize..4000, which in 2usize..7) {
        let mut f = RuleFiles::embedded();
        if let Some(slot) = f.files.get_mut(which) {
            let t: String = slot.1.chars().take(cut).collect();
            slot.1 = t;
        }
        let _ = f.load(geo());
    }
}

/// An ambiguous address asks instead of failing: `鼓楼区` is Nanjing's or Xuzhou's, and the
/// answer lists both readings with the court each would give (issue: clarify, don't fail).
#[test]
fn an_ambiguous_address_needs_clarification_with_both_readings() {
    let case = parse_case(
        "kind: civil\nfiled_on: 2024-05-01\nplaces:\n  - {role: conduct, address: \"鼓楼区\"}\n",
        "t",
    )
    .unwrap();
    let d = engine()
        .route(&case, Date::parse("2026-01-01").unwrap(), "t")
        .unwrap();
    assert_eq!(d.status, Status::NeedsClarification);
    let c = d.clarification.as_ref().expect("a clarification");
    assert_eq!(c.place, 1);
    let codes: Vec<&str> = c
        .candidates
        .iter()
        .map(|c| c.unit.adcode.as_str())
        .collect();
    assert!(
        codes.contains(&"320106") && codes.contains(&"320302"),
        "{codes:?}"
    );
    for cand in &c.candidates {
        assert!(!cand.courts.is_empty(), "each reading routes: {cand:?}");
    }
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["status"], "needs_clarification");
    // The command line answers with its own exit code, 3.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_ecojuris"))
        .args([
            "route",
            "--kind",
            "civil",
            "--conduct",
            "鼓楼区",
            "--date",
            "2024-05-01",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stdout).contains("320302"));
}
