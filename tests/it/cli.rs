//! Command-line conventions: exit codes, flags honoured or rejected, the language from the
//! environment, `--version`, completions, the man page, `sources`, and `test` from any folder.

use std::process::{Command, Output};

/// Runs the binary with a clean language environment plus `env`, in `dir` (the crate root by
/// default).
fn run_in(dir: Option<&std::path::Path>, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ecojuris"));
    c.args(args);
    for k in ["ECOJURIS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
        c.env_remove(k);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c.current_dir(dir.unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR"))));
    c.output().expect("run ecojuris")
}

fn run(args: &[&str]) -> Output {
    run_in(None, &[], args)
}

/// `base` followed by `extra`.
fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(extra).copied().collect()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

const ROUTE: &[&str] = &[
    "route",
    "--kind",
    "civil",
    "--conduct",
    "310118",
    "--date",
    "2024-05-01",
];

#[test]
fn version_names_the_rules_and_geodata_versions() {
    let o = run(&["--version"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.starts_with("ecojuris "), "{s}");
    let json = run(&[
        "route",
        "--kind",
        "civil",
        "--conduct",
        "310118",
        "--format",
        "json",
    ]);
    let d: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let rules = d["rules_version"].as_str().unwrap();
    let geo = d["geodata_version"].as_str().unwrap();
    assert!(s.contains(&format!("rules {rules}")), "{s}");
    assert!(s.contains(&format!("geodata {geo}")), "{s}");
}

#[test]
fn completions_and_man_page_are_generated() {
    let o = run(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("_ecojuris") && s.contains("sources"), "{s}");
    let o = run(&["completions", "powershell-7"]);
    assert_eq!(o.status.code(), Some(2), "unknown shell is a usage error");
    let o = run(&["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains(".TH ecojuris"), "{}", &s[..s.len().min(300)]);
}

#[test]
fn the_golden_cases_run_from_any_folder() {
    let dir = std::env::temp_dir();
    let o = run_in(Some(&dir), &[], &["test", "--today", "2026-11-27"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let s = stdout(&o);
    assert!(s.trim_end().ends_with("0 failed"), "{s}");
    let passed: usize = s
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(passed > 50, "{s}");
    // A directory is still read from disk; an empty one has no cases (usage/input error).
    let empty = dir.join(format!("ecojuris-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let o = run_in(Some(&dir), &[], &["test", empty.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&empty);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no cases found"), "{}", stderr(&o));
}

#[test]
fn the_language_comes_from_the_environment_unless_given() {
    let en = run_in(None, &[], ROUTE);
    let zh = run_in(None, &[("LANG", "zh_CN.UTF-8")], ROUTE);
    assert_eq!(zh.status.code(), Some(0), "{}", stderr(&zh));
    assert_ne!(stdout(&en), stdout(&zh), "LANG=zh_CN changes the text");
    let explicit = run_in(None, &[], &with(ROUTE, &["--lang", "zh"]));
    assert_eq!(stdout(&zh), stdout(&explicit), "LANG=zh_CN is --lang zh");
    // LC_ALL wins over LANG, ECOJURIS_LANG over both, and an explicit flag over all.
    let o = run_in(None, &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")], ROUTE);
    assert_eq!(stdout(&o), stdout(&en));
    let o = run_in(None, &[("LC_ALL", "C"), ("ECOJURIS_LANG", "zh")], ROUTE);
    assert_eq!(stdout(&o), stdout(&zh));
    let o = run_in(
        None,
        &[("ECOJURIS_LANG", "zh")],
        &with(ROUTE, &["--lang", "en"]),
    );
    assert_eq!(stdout(&o), stdout(&en));
    let o = run_in(None, &[("ECOJURIS_LANG", "fr")], ROUTE);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ECOJURIS_LANG=fr"), "{}", stderr(&o));
}

#[test]
fn a_case_file_with_case_flags_is_a_usage_error() {
    let dir = std::env::temp_dir().join(format!("ecojuris-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let case = dir.join("case.yaml");
    std::fs::write(
        &case,
        "kind: civil\nfiled_on: 2024-05-01\nplaces:\n  - {role: conduct, code: \"310118\"}\n",
    )
    .unwrap();
    let path = case.to_str().unwrap();
    let ok = run(&["route", path]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    for extra in [
        ["--kind", "criminal"],
        ["--date", "2019-01-01"],
        ["--conduct", "320509"],
    ] {
        let o = run(&with(&["route", path], &extra));
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stdout(&o));
        assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn global_flags_a_subcommand_cannot_honour_are_errors() {
    let o = run(&["validate", "--lang", "zh"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`--lang zh` has no effect on `ecojuris validate`"),
        "{}",
        stderr(&o)
    );
    let o = run(&["completions", "bash", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("`--format json`"), "{}", stderr(&o));
    // The environment's language is a preference, not a flag: never an error.
    let o = run_in(
        None,
        &[("LANG", "zh_CN.UTF-8")],
        &["courts", "--province", "310000"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run_in(None, &[("LANG", "zh_CN.UTF-8")], &["man"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Honoured where it applies.
    let o = run(&["test", "--format", "json", "--today", "2026-11-27"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["failed"], 0);
}

#[test]
fn sources_lists_every_source_with_a_title_and_a_date() {
    let o = run(&["sources", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert!(list.len() >= 87, "{}", list.len());
    for s in list {
        let key = s["key"].as_str().unwrap();
        assert!(!s["title"].as_str().unwrap().is_empty(), "{key}");
        assert_ne!(s["title"].as_str(), Some(key), "{key}");
        assert!(s["date"].is_string(), "{key}");
        if let Some(u) = s["url"].as_str() {
            assert!(u.starts_with("http"), "{key}: {u}");
        }
    }
    let o = run(&["sources", "LRB-CPL2023"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("中华人民共和国民事诉讼法"),
        "{}",
        stdout(&o)
    );
    let o = run(&["sources", "LRB-CPL2032"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown source `LRB-CPL2032` (did you mean `LRB-CPL20"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn quiet_and_verbose_change_only_stderr() {
    let normal = run(ROUTE);
    let quiet = run(&with(ROUTE, &["-q"]));
    let verbose = run(&with(ROUTE, &["-v"]));
    assert_eq!(stdout(&normal), stdout(&quiet));
    assert_eq!(stdout(&normal), stdout(&verbose));
    assert!(stderr(&verbose).contains("done in"), "{}", stderr(&verbose));
    assert!(!stderr(&quiet).contains("done in"));
    let both = run(&with(ROUTE, &["-q", "-v"]));
    assert_eq!(both.status.code(), Some(2), "-q with -v is a usage error");
}

/// A development zone's statistics code is answered by `locate --code` with the zone and its
/// host unit(s), not refused as unknown (320576 and the earlier 320571 苏州工业园区, 340176
/// 合肥高新区).
#[test]
fn locate_code_answers_zone_codes_with_their_hosts() {
    for code in ["320576", "320571"] {
        let o = run(&["locate", "--code", code]);
        let out = stdout(&o);
        assert!(out.contains("苏州工业园区"), "{out}");
        assert!(out.contains("320505") && out.contains("320506"), "{out}");
        assert!(!stderr(&o).contains("unknown code"), "{}", stderr(&o));
    }
    let o = run(&["locate", "--code", "340176", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["unit"]["adcode"], "340104");
    assert_eq!(v["zone"]["id"], "hefei-hitech");
    assert_eq!(o.status.code(), Some(0));
}
