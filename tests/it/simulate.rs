//! `ecojuris simulate` reports as a reader gets them: the Chinese report's title is the
//! scenario's own name and its Demonstration Zone section has a row of figures for 青浦, 吴江
//! and 嘉善, with no English heading; the English report likewise; maps only for the kinds
//! that change, no two neighbouring courts in one colour; `--replay` of a `batch` log moves
//! exactly the changed cases; `scenario new` writes a template that loads.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use ecojuris::model::CaseKind;
use ecojuris::simulate::render::colour::{court_colours, unit_adjacency};

use crate::common::geo;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ecojuris"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    // The report language comes from the locale unless `--lang` is given.
    c.env_remove("ECOJURIS_LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C");
    c
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ecojuris-sim-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The calibrated population of 2025 (the shipped scenarios take effect on 2025-01-01).
fn population() -> &'static Path {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let d = tmp("pop");
        let p = d.join("cases.csv");
        run(bin()
            .args([
                "generate-cases",
                "--from-year",
                "2025",
                "--to-year",
                "2025",
                "--output",
            ])
            .arg(&p));
        p
    })
}

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("jurisdiction-rules/scenarios/{name}.yaml"))
}

fn title(name: &str, lang: &str) -> String {
    let v: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(scenario(name)).unwrap()).unwrap();
    v["title"][lang].as_str().unwrap().to_string()
}

fn simulate(name: &str, lang: &str, rep: &Path, extra: &[&str]) -> String {
    run(bin()
        .args(["--lang", lang, "simulate", "--scenario"])
        .arg(scenario(name))
        .arg("--cases")
        .arg(population())
        .arg("--report")
        .arg(rep)
        .args(extra))
}

/// Table cells of the Markdown row that starts with `first`.
fn row<'a>(md: &'a str, first: &str) -> Vec<&'a str> {
    let line = md
        .lines()
        .find(|l| l.starts_with(&format!("| {first} |")))
        .unwrap_or_else(|| panic!("no row `{first}` in\n{md}"));
    line.trim_matches('|').split(" | ").map(str::trim).collect()
}

/// Latin words of three letters or more outside `code` spans.
fn latin_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            continue;
        }
        let mut w = String::new();
        for ch in part.chars().chain([' ']) {
            if ch.is_ascii_alphabetic() {
                w.push(ch);
            } else {
                if w.len() >= 3 {
                    out.push(w.clone());
                }
                w.clear();
            }
        }
    }
    out
}

#[test]
fn chinese_report_has_the_scenario_title_and_the_demonstration_zone_per_district() {
    let rep = tmp("zh");
    simulate("demo-zone-single-court", "zh", &rep, &[]);
    let md = std::fs::read_to_string(rep.join("report.md")).unwrap();
    let want = title("demo-zone-single-court", "zh");
    assert_eq!(md.lines().next().unwrap(), format!("# {want}"));
    let html = std::fs::read_to_string(rep.join("report.html")).unwrap();
    assert!(html.contains(&format!(
        "<h1>{}</h1>",
        ecojuris::simulate::render::esc(&want)
    )));
    assert!(html.contains("<html lang=\"zh-Hans\">"));
    assert!(md.contains("## 长三角生态绿色一体化发展示范区"), "{md}");
    for d in ["青浦区（310118）", "吴江区（320509）", "嘉善县（330421）"] {
        let cells = row(&md, d);
        assert_eq!(cells.len(), 9, "{cells:?}");
        let per_year: f64 = cells[1].parse().unwrap();
        assert!(per_year > 0.0, "{d}: {cells:?}");
        let changed: f64 = cells[2].parse().unwrap();
        // One court for the Zone: Qingpu's and Jiashan's cases move to Wujiang, Wujiang's stay.
        if d.starts_with("吴江") {
            assert_eq!(changed, 0.0, "{cells:?}");
        } else {
            assert!(changed > 0.0, "{cells:?}");
        }
        assert!(cells[6].contains(" → "), "travel before → after: {cells:?}");
        assert!(md.contains(&format!("### {d}：各法院分类收案量")), "{md}");
    }
    // No English heading or table head in the Chinese report.
    let lines: Vec<&str> = md.lines().collect();
    for (i, l) in lines.iter().enumerate() {
        let head = lines.get(i + 1).is_some_and(|n| n.starts_with("| --- "));
        if l.starts_with('#') || head {
            assert!(latin_words(l).is_empty(), "English in `{l}`");
        }
    }
    for svg in ["map-criminal.svg", "workload-delta.svg"] {
        let text = std::fs::read_to_string(rep.join(svg)).unwrap();
        assert!(
            !text.contains("Legend") && !text.contains("Which court"),
            "{svg}"
        );
    }
    let _ = std::fs::remove_dir_all(&rep);
}

#[test]
fn english_report_title_maps_only_for_changed_kinds_and_replay() {
    let d = tmp("en");
    // The decision log of `batch` over the same cases, under today's rules.
    let log = d.join("decisions.jsonl");
    run(bin()
        .arg("batch")
        .arg(population())
        .arg("--output")
        .arg(&log));
    let rep = d.join("report");
    let note = simulate(
        "demo-zone-single-court",
        "en",
        &rep,
        &["--replay", log.to_str().unwrap()],
    );
    let md = std::fs::read_to_string(rep.join("report.md")).unwrap();
    assert_eq!(
        md.lines().next().unwrap(),
        format!("# {}", title("demo-zone-single-court", "en"))
    );
    assert!(md.contains("## In brief") && md.contains("## Where the cases come from"));
    assert!(
        md.contains("calibrated to 51 published caseload figures"),
        "{md}"
    );
    let cells = row(&md, "青浦区 Qingpu (310118)");
    assert!(cells[1].parse::<f64>().unwrap() > 0.0);
    // Maps: the scenario moves criminal, civil and administrative cases, not civil
    // public-interest or eco-damage suits (intermediate level, untouched).
    for k in ["criminal", "civil", "administrative"] {
        assert!(rep.join(format!("map-{k}.svg")).is_file(), "map-{k}");
    }
    for k in [
        CaseKind::CivilPublicInterest,
        CaseKind::EcoDamageCompensation,
    ] {
        assert!(!rep.join(format!("map-{}.svg", k.name())).exists(), "{k:?}");
    }
    // Replay: the log was made under the baseline, so exactly the changed cases move.
    let changes = std::fs::read_to_string(rep.join("changes.csv")).unwrap();
    let replay = std::fs::read_to_string(rep.join("replay.csv")).unwrap();
    assert!(changes.lines().count() > 1);
    assert_eq!(replay.lines().count(), changes.lines().count(), "{replay}");
    let moved = changes.lines().count() - 1;
    assert!(note.contains(&format!("replay: {moved} of ")), "{note}");
    assert!(md.contains("## Replay: logged decisions the scenario would move"));
    assert!(
        md.contains("0 logged decision(s) differ from today's baseline"),
        "{md}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn neighbouring_courts_never_share_a_colour() {
    let adj = unit_adjacency(geo());
    let units = geo().units();
    let ix = |c: &str| units.iter().position(|u| u.adcode == c).unwrap();
    // Qingpu borders Wujiang and Jiashan; Wujiang borders Jiashan.
    for (a, b) in [
        ("310118", "320509"),
        ("310118", "330421"),
        ("320509", "330421"),
    ] {
        assert!(adj[ix(a)].contains(&ix(b)), "{a} {b}");
    }
    // Every unit its own court: a proper colouring of the unit graph.
    let courts: Vec<u16> = (0..units.len() as u16).collect();
    let colours = court_colours(&adj, &[&courts]);
    for (u, l) in adj.iter().enumerate() {
        for v in l {
            assert_ne!(colours[&courts[u]], colours[&courts[*v]], "{u} {v}");
        }
    }
}

#[test]
fn scenario_new_writes_a_template_that_loads() {
    let d = tmp("new");
    let p = d.join("my-reform.yaml");
    run(bin()
        .args(["scenario", "new", "my-reform", "--output"])
        .arg(&p));
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains("scenario: my-reform") && text.contains("# retire: ["));
    // Never overwritten.
    let o = bin()
        .args(["scenario", "new", "my-reform", "--output"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("exists"));
    let o = bin()
        .args(["scenario", "new", "Bad Name"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    // It loads and changes nothing.
    let rep = d.join("report");
    let note = run(bin()
        .args(["simulate", "--scenario"])
        .arg(&p)
        .arg("--cases")
        .arg(population())
        .arg("--report")
        .arg(&rep));
    assert!(note.contains(" 0 changed, 0 flagged"), "{note}");
    let md = std::fs::read_to_string(rep.join("report.md")).unwrap();
    assert!(md.starts_with("# my-reform: one sentence"), "{md}");
    let _ = std::fs::remove_dir_all(&d);
}
