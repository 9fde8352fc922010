//! The default (calibrated) population of `ecojuris generate-cases` against the published
//! caseload figures in `jurisdiction-rules/statistics/caseload.yaml`: every figure reproduced
//! within ±10 %, counted independently from the written file; the meta file lists every figure
//! with its source URL; shares and stated assumptions hold; same seed, same bytes; court-level
//! figures land where the routing sends them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use ecojuris::model::{Case, CaseKind, Date, PlaceSpec, Role};
use ecojuris::simulate::caseload::{Caseload, Routing, StatKind};
use ecojuris::spatial::Crs;

use crate::common::{engine, geo};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ecojuris"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ecojuris-pop-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn generate(out: &Path, extra: &[&str]) {
    let o = bin()
        .arg("generate-cases")
        .args(extra)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// One generated case, with where it lies.
struct Row {
    kind: CaseKind,
    filed_on: Date,
    lon: f64,
    lat: f64,
    role: Role,
    incident: String,
    defendant: Option<String>,
    /// Province of the containing unit, or of the sea area at sea.
    province: String,
    unit: Option<String>,
    at_sea: bool,
}

/// The default population (seed 5), read once.
fn default_population() -> &'static (PathBuf, Vec<Row>) {
    static P: OnceLock<(PathBuf, Vec<Row>)> = OnceLock::new();
    P.get_or_init(|| {
        let d = tmp("default");
        let pop = d.join("pop.csv");
        generate(&pop, &["--seed", "5"]);
        let mut rdr = csv::Reader::from_path(&pop).unwrap();
        assert_eq!(
            rdr.headers().unwrap().iter().collect::<Vec<_>>(),
            [
                "id",
                "kind",
                "filed_on",
                "lon",
                "lat",
                "role",
                "incident_id",
                "defendant_code"
            ]
        );
        let mut rows = Vec::new();
        for r in rdr.records() {
            let r = r.unwrap();
            let (lon, lat): (f64, f64) = (r[3].parse().unwrap(), r[4].parse().unwrap());
            let loc = geo().locate(lon, lat, Crs::Wgs84).unwrap();
            let (province, unit, at_sea) = match &loc.unit {
                Some(u) => (u.province_adcode.clone(), Some(u.adcode.clone()), false),
                None => {
                    let sea = loc
                        .features
                        .iter()
                        .find_map(|f| f.province_adcode.clone())
                        .unwrap_or_else(|| panic!("case {} at {lon},{lat} is nowhere", &r[0]));
                    (sea, None, true)
                }
            };
            rows.push(Row {
                kind: CaseKind::parse(&r[1]).unwrap(),
                filed_on: Date::parse(&r[2]).unwrap(),
                lon,
                lat,
                role: Role::parse(&r[5]).unwrap(),
                incident: r[6].to_string(),
                defendant: (!r[7].is_empty()).then(|| r[7].to_string()),
                province,
                unit,
                at_sea,
            });
        }
        (pop, rows)
    })
}

/// Which generated kinds a statistical kind counts (written out here, not taken from the
/// library).
fn counted(kind: StatKind, k: CaseKind) -> bool {
    use CaseKind as K;
    match kind {
        StatKind::Criminal => k == K::Criminal,
        StatKind::Civil => k == K::Civil,
        StatKind::Administrative => k == K::Administrative,
        StatKind::PublicInterest => matches!(
            k,
            K::CivilPublicInterest
                | K::AdministrativePublicInterest
                | K::CriminalIncidentalCivilPublicInterest
        ),
        StatKind::CivilPublicInterest => matches!(
            k,
            K::CivilPublicInterest | K::CriminalIncidentalCivilPublicInterest
        ),
        StatKind::AdministrativePublicInterest => k == K::AdministrativePublicInterest,
        StatKind::EcoDamage => k == K::EcoDamageCompensation,
        StatKind::All => true,
    }
}

fn data() -> Caseload {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("jurisdiction-rules/statistics/caseload.yaml"),
    )
    .unwrap();
    Caseload::parse(&text).unwrap()
}

#[test]
fn default_population_reproduces_every_cited_figure_within_ten_percent() {
    let (_, rows) = default_population();
    let data = data();
    assert!(data.figures.len() >= 40, "the data file lost figures");
    let mut failures = Vec::new();
    for f in &data.figures {
        let (a, b) = f.period.bounds().unwrap();
        let n = rows
            .iter()
            .filter(|r| r.province == f.province && a <= r.filed_on && r.filed_on <= b)
            .filter(|r| counted(f.kind, r.kind))
            .filter(|r| {
                if f.at_sea {
                    r.at_sea
                } else if let Some(us) = &f.units {
                    r.unit.as_ref().is_some_and(|u| us.contains(u))
                } else {
                    true
                }
            })
            .count();
        let ratio = n as f64 / f.value;
        if !(0.9..=1.1).contains(&ratio) {
            failures.push(format!(
                "{}: {n} generated against {} published ({:+.1} %)",
                f.id,
                f.value,
                (ratio - 1.0) * 100.0
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn default_population_has_the_published_shares_kinds_and_places() {
    let (_, rows) = default_population();
    let data = data();
    let count = |pred: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| pred(r)).count() as f64;
    for s in &data.shares {
        // Over the years the numerator's kind exists in the embedded rules (administrative PIL
        // from 2018-03-02, eco-damage suits from 2019-06-05).
        let since = Date::parse(match s.numerator.kind {
            StatKind::EcoDamage => "2019-06-05",
            StatKind::AdministrativePublicInterest => "2018-03-02",
            _ => "2014-01-01",
        })
        .unwrap();
        let num = count(&|r| r.filed_on >= since && counted(s.numerator.kind, r.kind));
        let den = count(&|r| r.filed_on >= since && counted(s.denominator.kind, r.kind));
        let got = num / den;
        assert!(
            (got / s.ratio() - 1.0).abs() <= 0.1,
            "{}: {got:.4} against {:.4}",
            s.id,
            s.ratio()
        );
    }
    // The stated defendant-domicile share, and such defendants really are in another province.
    let eligible: Vec<&Row> = rows
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                CaseKind::Civil | CaseKind::CivilPublicInterest | CaseKind::EcoDamageCompensation
            )
        })
        .collect();
    let with: Vec<&&Row> = eligible.iter().filter(|r| r.defendant.is_some()).collect();
    let share = data
        .assumptions
        .iter()
        .find(|a| a.id == "defendant-domicile-other-province")
        .and_then(|a| a.share)
        .unwrap();
    let got = with.len() as f64 / eligible.len() as f64;
    assert!((got / share - 1.0).abs() <= 0.1, "defendant share {got:.4}");
    for r in &with {
        let d = geo().unit(r.defendant.as_deref().unwrap()).unwrap();
        assert_ne!(
            d.province_adcode, r.province,
            "defendant in the same province"
        );
    }
    // Every kind and level real caseloads contain is present: public-interest and eco-damage
    // (intermediate level by law), marine, administrative with the agency as the place.
    for k in [
        CaseKind::Criminal,
        CaseKind::Civil,
        CaseKind::Administrative,
        CaseKind::CivilPublicInterest,
        CaseKind::AdministrativePublicInterest,
        CaseKind::EcoDamageCompensation,
    ] {
        assert!(rows.iter().any(|r| r.kind == k), "no {k} case");
    }
    assert!(rows.iter().any(|r| r.at_sea), "no marine case");
    assert!(
        rows.iter()
            .filter(|r| matches!(
                r.kind,
                CaseKind::Administrative | CaseKind::AdministrativePublicInterest
            ))
            .all(|r| r.role == Role::Agency)
    );
    // Public-interest suits join a criminal incident of the same province.
    let mut incident_kinds: BTreeMap<&str, Vec<CaseKind>> = BTreeMap::new();
    for r in rows {
        incident_kinds.entry(&r.incident).or_default().push(r.kind);
    }
    assert!(
        incident_kinds
            .values()
            .any(|ks| ks.contains(&CaseKind::Criminal)
                && ks.contains(&CaseKind::CivilPublicInterest)),
        "no incident joins a criminal and a public-interest case"
    );
    // Filing dates are in order and within 2014–2025.
    assert!(rows.windows(2).all(|w| w[0].filed_on <= w[1].filed_on));
    assert!(rows.first().unwrap().filed_on >= Date::parse("2014-01-01").unwrap());
    assert!(rows.last().unwrap().filed_on <= Date::parse("2025-12-31").unwrap());
}

#[test]
fn meta_file_lists_every_figure_with_its_source_url() {
    let (pop, rows) = default_population();
    let mut meta_path = pop.as_os_str().to_owned();
    meta_path.push(".meta.json");
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(PathBuf::from(meta_path)).unwrap()).unwrap();
    assert_eq!(meta["mode"], "calibrated");
    assert_eq!(meta["count"], rows.len());
    let data = data();
    let listed = meta["figures"].as_array().unwrap();
    assert_eq!(listed.len(), data.figures.len());
    for f in &data.figures {
        let m = listed
            .iter()
            .find(|m| m["id"] == f.id.as_str())
            .unwrap_or_else(|| panic!("{} missing from the meta file", f.id));
        assert_eq!(m["url"], f.source.url.as_str(), "{}", f.id);
        assert!(f.source.url.starts_with("http"), "{}", f.id);
        assert_eq!(m["value"], f.value, "{}", f.id);
    }
    for s in &data.shares {
        assert!(
            meta["shares"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["id"] == s.id.as_str() && m["url"] == s.source.url.as_str()),
            "{}",
            s.id
        );
    }
    let nc = meta["not_calibrated"].as_array().unwrap();
    assert_eq!(nc.len(), data.not_calibrated.len());
    assert!(
        nc.iter()
            .all(|m| m["reason"].as_str().is_some_and(|r| !r.is_empty()))
    );
}

#[test]
fn court_figures_land_where_the_routing_sends_them() {
    let (_, rows) = default_population();
    let e = engine();
    let today = Date::parse("2026-01-01").unwrap();
    let route = |r: &Row| {
        let mut case = Case::simple(
            r.kind,
            r.role,
            PlaceSpec::At {
                lon: r.lon,
                lat: r.lat,
                crs: Crs::Wgs84,
            },
            Some(r.filed_on),
        );
        if let Some(d) = &r.defendant {
            let mut p = case.places[0].clone();
            p.role = Role::DefendantDomicile;
            p.spec = PlaceSpec::Code(d.clone());
            case.places.push(p);
        }
        e.route(&case, today, "population")
            .map(|d| {
                d.court_ids()
                    .into_iter()
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    for f in data()
        .figures
        .iter()
        .filter(|f| f.court.is_some() || f.courts.is_some())
    {
        let courts: Vec<String> = f
            .court
            .iter()
            .cloned()
            .chain(f.courts.iter().flatten().cloned())
            .collect();
        let (a, b) = f.period.bounds().unwrap();
        let sample: Vec<&Row> = rows
            .iter()
            .filter(|r| r.province == f.province && a <= r.filed_on && r.filed_on <= b)
            .filter(|r| counted(f.kind, r.kind) && r.defendant.is_none())
            .filter(|r| {
                if f.at_sea {
                    r.at_sea
                } else if let Some(us) = &f.units {
                    r.unit.as_ref().is_some_and(|u| us.contains(u))
                } else {
                    !r.at_sea
                }
            })
            .filter(|r| {
                matches!(
                    r.kind,
                    CaseKind::Criminal | CaseKind::Civil | CaseKind::Administrative
                )
            })
            .take(40)
            .collect();
        assert!(!sample.is_empty(), "{}: no case to check", f.id);
        let hits = sample
            .iter()
            .filter(|r| route(r).iter().any(|c| courts.contains(c)))
            .count();
        match f.routing {
            // Every sampled case goes to the figure's court(s).
            Routing::Agrees => assert_eq!(
                hits,
                sample.len(),
                "{}: only {hits} of {} sampled cases go to {courts:?}",
                f.id,
                sample.len()
            ),
            // The data file says the rules send some elsewhere: they still must (else update
            // the file).
            Routing::Differs => assert!(
                hits < sample.len(),
                "{}: the rules now send every sampled case to {courts:?}; drop `routing: differs`",
                f.id
            ),
        }
    }
}

#[test]
fn same_seed_same_bytes_and_batch_reads_the_file() {
    let d = tmp("det");
    let (a, b, c) = (d.join("a.csv"), d.join("b.csv"), d.join("c.csv"));
    let args = [
        "--seed",
        "9",
        "--from-year",
        "2014",
        "--to-year",
        "2025",
        "--count",
        "3000",
    ];
    generate(&a, &args);
    generate(&b, &args);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    generate(
        &c,
        &[
            "--seed",
            "10",
            "--from-year",
            "2014",
            "--to-year",
            "2025",
            "--count",
            "3000",
        ],
    );
    assert_ne!(std::fs::read(&a).unwrap(), std::fs::read(&c).unwrap());
    let text = std::fs::read_to_string(&a).unwrap();
    assert_eq!(text.lines().count(), 3001, "--count gives that many cases");
    // JSONL with the same seed carries the same cases.
    let j = d.join("a.jsonl");
    generate(&j, &args);
    let jl = std::fs::read_to_string(&j).unwrap();
    assert_eq!(jl.lines().count(), 3000);
    assert!(jl.contains("\"role\":\"defendant_domicile\",\"code\":\""));
    // `ecojuris batch` reads both forms; every case is routed.
    for (input, out) in [(&a, d.join("o.csv")), (&j, d.join("o.jsonl"))] {
        let o = bin()
            .arg("batch")
            .arg(input)
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{stderr}");
        assert!(stderr.contains("read 3000 = routed 3000"), "{stderr}");
    }
}

#[test]
fn stress_mode_keeps_its_format_and_assumptions() {
    let d = tmp("stress");
    let p = d.join("s.csv");
    generate(&p, &["--mode", "stress", "--count", "500", "--seed", "2"]);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.starts_with("id,kind,filed_on,lon,lat,role,incident_id\n"));
    assert_eq!(text.lines().count(), 501);
    let mut mp = p.as_os_str().to_owned();
    mp.push(".meta.json");
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(PathBuf::from(mp)).unwrap()).unwrap();
    assert_eq!(meta["places"]["weighting_percent"]["rest_of_shanghai"], 30);
    let o = bin()
        .args([
            "generate-cases",
            "--mode",
            "stress",
            "--from-year",
            "2020",
            "--output",
        ])
        .arg(d.join("x.csv"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("`--from-year`"));
}
