//! `route` end to end (CLI), and properties: no panic on arbitrary case documents, rule files
//! or places.

use std::process::Command;

use ecojuris::explain::{Lang, render_text};
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

/// Routes `kind` with one place of `role` given as `spec` (filed 2025-06-01).
fn route_one(kind: &str, role: &str, spec: &str) -> ecojuris::model::Decision {
    let case = parse_case(
        &format!("kind: {kind}\nfiled_on: 2025-06-01\nplaces:\n  - {{role: {role}, {spec}}}\n"),
        "t",
    )
    .unwrap();
    engine()
        .route(&case, Date::parse("2026-01-01").unwrap(), "t")
        .unwrap()
}

fn court_ids(d: &ecojuris::model::Decision) -> Vec<String> {
    d.court_ids().into_iter().map(str::to_string).collect()
}

/// A zone with one host unit routes exactly like that unit, and the answer names the zone in
/// JSON (`grounds[].zone`) and in both languages of the text.
#[test]
fn a_zone_routes_like_its_host_unit_and_is_named() {
    for kind in ["civil", "criminal", "civil_public_interest"] {
        let z = route_one(kind, "conduct", "address: \"湖州市南太湖新区\"");
        let host = route_one(kind, "conduct", "code: \"330502\"");
        assert_eq!(z.status, Status::Routed, "{kind}");
        assert_eq!(court_ids(&z), court_ids(&host), "{kind}");
        let g = &z.competent[0].grounds[0];
        let zone = g.zone.as_ref().expect("the zone is named");
        assert_eq!(zone.id, "huzhou-south-taihu");
        assert_eq!(zone.hosts, ["330502"]);
        assert!(host.competent[0].grounds[0].zone.is_none());
        let json = serde_json::to_value(&z).unwrap();
        assert_eq!(
            json["competent"][0]["grounds"][0]["zone"]["name"],
            "湖州南太湖新区"
        );
        let en = render_text(&z, Lang::En);
        assert!(
            en.contains("湖州南太湖新区 Huzhou South Taihu New Area, within 330502 吴兴区"),
            "{en}"
        );
        let zh = render_text(&z, Lang::Zh);
        assert!(zh.contains("位于湖州南太湖新区（330502 吴兴区）"), "{zh}");
    }
    // A zone's statistics code is a place too: 340176 合肥高新区 in 蜀山区.
    let z = route_one("civil", "conduct", "code: \"340176\"");
    let host = route_one("civil", "conduct", "code: \"340104\"");
    assert_eq!(z.status, Status::Routed);
    assert_eq!(court_ids(&z), court_ids(&host));
    assert_eq!(
        z.competent[0].grounds[0]
            .zone
            .as_ref()
            .map(|z| z.id.as_str()),
        Some("hefei-hitech")
    );
}

/// A zone that lies in several units, named with nothing finer, routes like its hosts when
/// every host gives the same courts (Suzhou Industrial Park: 虎丘区 and 吴中区, its NBS 2023
/// code 320576 and its earlier code 320571 alike; 南京江北新区), naming the zone and warning
/// `readings_agree` with the hosts; it asks which unit when the hosts differ (上海化学工业区:
/// 金山区 and 奉贤区), each host a candidate with the courts it would give.
#[test]
fn a_zone_in_several_units_routes_when_its_hosts_agree_and_asks_when_they_differ() {
    for spec in [
        "address: \"江苏省苏州市苏州工业园区星湖街328号\"",
        "code: \"320576\"",
        "code: \"320571\"",
    ] {
        let d = route_one("civil", "conduct", spec);
        assert_eq!(d.status, Status::Routed, "{spec}");
        for host in ["320505", "320506"] {
            let h = route_one("civil", "conduct", &format!("code: \"{host}\""));
            assert_eq!(court_ids(&d), court_ids(&h), "{spec} vs {host}");
        }
        let g = &d.competent[0].grounds[0];
        assert_eq!(g.zone.as_ref().map(|z| z.id.as_str()), Some("suzhou-sip"));
        assert!(
            g.unit.is_none(),
            "{spec}: the unit is not known, only its readings"
        );
        let w = d
            .warnings
            .iter()
            .find(|w| w.code == "readings_agree")
            .expect("the readings are named");
        assert!(
            w.message.en.contains("320505 虎丘区") && w.message.en.contains("320506 吴中区"),
            "{}",
            w.message.en
        );
        assert!(
            w.message.zh.contains("虎丘区（320505）"),
            "{}",
            w.message.zh
        );
        assert!(d.clarification.is_none());
    }
    let d = route_one("civil", "conduct", "address: \"南京市江北新区浦滨路150号\"");
    assert_eq!(d.status, Status::Routed);
    assert!(d.warnings.iter().any(|w| w.code == "readings_agree"));
    // Hosts with different courts: a question.
    let d = route_one("civil", "conduct", "address: \"上海化学工业区\"");
    assert_eq!(d.status, Status::NeedsClarification);
    let c = d.clarification.as_ref().unwrap();
    assert_eq!(
        c.zone.as_ref().map(|z| z.id.as_str()),
        Some("shanghai-scip")
    );
    let codes: Vec<&str> = c
        .candidates
        .iter()
        .map(|c| c.unit.adcode.as_str())
        .collect();
    assert_eq!(codes, ["310116", "310120"]);
    for cand in &c.candidates {
        let host = route_one(
            "civil",
            "conduct",
            &format!("code: \"{}\"", cand.unit.adcode),
        );
        assert_eq!(cand.courts, court_ids(&host));
    }
    assert_ne!(c.candidates[0].courts, c.candidates[1].courts);
}

/// An address naming only a city asks for the county (every unit of the city, with its
/// courts); one naming only a province asks for the city and county (its cities, bounded).
#[test]
fn a_city_or_province_alone_needs_clarification() {
    let d = route_one("civil", "conduct", "address: \"苏州市\"");
    assert_eq!(d.status, Status::NeedsClarification);
    let c = d.clarification.as_ref().unwrap();
    assert_eq!(c.area.as_ref().map(|a| a.adcode.as_str()), Some("320500"));
    let units: Vec<&str> = geo()
        .units()
        .iter()
        .filter(|u| u.city_adcode == "320500")
        .map(|u| u.adcode.as_str())
        .collect();
    let codes: Vec<&str> = c
        .candidates
        .iter()
        .map(|c| c.unit.adcode.as_str())
        .collect();
    assert_eq!(codes, units);
    for cand in &c.candidates {
        assert!(cand.level.is_none());
        let unit = route_one(
            "civil",
            "conduct",
            &format!("code: \"{}\"", cand.unit.adcode),
        );
        assert_eq!(cand.courts, court_ids(&unit));
    }
    // Shanghai is a province-level city: its districts are the candidates.
    let d = route_one("criminal", "conduct", "address: \"上海市\"");
    let c = d.clarification.as_ref().expect("a clarification");
    assert_eq!(c.candidates.len(), 16);
    // A province: its cities, each with the courts when they do not depend on the county.
    let d = route_one("civil", "conduct", "address: \"江苏省\"");
    assert_eq!(d.status, Status::NeedsClarification);
    let c = d.clarification.as_ref().unwrap();
    assert_eq!(c.candidates.len(), 13);
    assert!(c.candidates.len() <= ecojuris::model::Clarification::MAX_CANDIDATES);
    assert!(c.candidates.iter().all(|c| c.level == Some("city")));
    assert!(c.candidates.iter().any(|c| c.unit.adcode == "320100"));
    let text = render_text(&d, Lang::En);
    assert!(text.contains("which city and county"), "{text}");
    // The command line answers with the clarification exit code.
    let o = bin()
        .args([
            "route",
            "--kind",
            "civil",
            "--conduct",
            "苏州市",
            "--date",
            "2025-06-01",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
}

/// Yangtze estuary water inside the coast (north of 横沙, 121.8 31.42): maritime rules still
/// see the water (a civil pollution case goes to the Shanghai Maritime Court), and where no
/// rule covers the water (an administrative case) it belongs to the adjacent unit instead of
/// failing for want of a landing place; the answer says which.
#[test]
fn estuary_water_belongs_to_the_adjacent_unit_where_no_rule_sees_the_water() {
    let at = "at: [121.8, 31.42]";
    let adm = route_one("administrative", "agency", at);
    assert_eq!(adm.status, Status::Routed, "{:?}", adm.no_court_reason);
    let host = route_one("administrative", "agency", "code: \"310151\"");
    assert_eq!(court_ids(&adm), court_ids(&host));
    let g = &adm.competent[0].grounds[0];
    let w = g.water.as_ref().expect("the water is named");
    assert_eq!(w.feature, "yangtze-estuary");
    assert_eq!(
        w.adjacent.as_ref().map(|u| u.adcode.as_str()),
        Some("310151")
    );
    assert!(adm.warnings.iter().any(|w| w.code == "water_adjacent"));
    let zh = render_text(&adm, Lang::Zh);
    assert!(zh.contains("长江口水域，毗邻310151 崇明区"), "{zh}");
    let civ = route_one("civil", "conduct", at);
    assert_eq!(court_ids(&civ), ["sh-maritime"]);
    assert!(civ.warnings.iter().all(|w| w.code != "water_adjacent"));
    assert!(civ.competent[0].grounds[0].water.is_some());
    // The open sea is unchanged: no adjacent unit there.
    let sea = route_one("administrative", "agency", "at: [123.0, 31.0]");
    assert!(sea.warnings.iter().all(|w| w.code != "water_adjacent"));
}

/// A zone whose host unit is not known (宿马园区, code 341371) asks for the county of its city
/// and says why, instead of failing.
#[test]
fn a_zone_without_a_known_host_asks_for_the_county_of_its_city() {
    for spec in ["address: \"宿马园区\"", "code: \"341371\""] {
        let d = route_one("civil", "conduct", spec);
        assert_eq!(d.status, Status::NeedsClarification, "{spec}");
        let c = d.clarification.as_ref().unwrap();
        assert_eq!(c.area.as_ref().map(|a| a.adcode.as_str()), Some("341300"));
        assert_eq!(
            c.zone.as_ref().map(|z| z.id.as_str()),
            Some("suzhou-maanshan-park")
        );
        let reason = d.no_court_reason.as_ref().unwrap();
        assert!(
            reason.en.contains("whose county-level unit is not known"),
            "{reason:?}"
        );
    }
}

/// A city given by its code whose units go to different courts asks the same question as the
/// city given by its name (before, it answered `no_court`, "give a county code").
#[test]
fn a_city_code_whose_units_differ_needs_clarification_like_its_name() {
    let by_code = route_one("civil", "conduct", "code: \"320500\"");
    let by_name = route_one("civil", "conduct", "address: \"苏州市\"");
    assert_eq!(by_code.status, Status::NeedsClarification);
    let (c, n) = (
        by_code.clarification.as_ref().unwrap(),
        by_name.clarification.as_ref().unwrap(),
    );
    assert_eq!(c.area.as_ref().map(|a| a.adcode.as_str()), Some("320500"));
    let codes = |x: &ecojuris::model::Clarification| -> Vec<(String, Vec<String>)> {
        x.candidates
            .iter()
            .map(|c| (c.unit.adcode.clone(), c.courts.clone()))
            .collect()
    };
    assert_eq!(codes(c), codes(n));
}
