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
    let o = run(&["man", "--lang", "zh"]);
    assert_eq!(o.status.code(), Some(2));
    // The error itself follows `--lang zh`.
    assert!(
        stderr(&o).contains("错误：`--lang zh` 对 `ecojuris man` 无效（手册页为英文）"),
        "{}",
        stderr(&o)
    );
    let o = run(&["man", "--lang", "en"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`--lang en` has no effect on `ecojuris man`"),
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
        assert!(
            s["issuer"].as_str().is_some_and(|i| !i.trim().is_empty()),
            "{key}: every source names its issuer"
        );
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

/// Whether `s` has a CJK character.
fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn summaries_are_chinese_under_a_chinese_locale() {
    let zh = [("LANG", "zh_CN.UTF-8")];
    let dir = std::env::temp_dir().join(format!("ecojuris-cli-sum-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("p.csv"), "id,lon,lat\n1,121.1,31.1\n2,0.5,0.5\n").unwrap();
    std::fs::write(
        dir.join("b.jsonl"),
        "{\"kind\":\"civil\",\"filed_on\":\"2024-05-01\",\"places\":[{\"role\":\"conduct\",\"code\":\"310118\"}]}\n",
    )
    .unwrap();
    // stderr summaries of the file commands.
    let o = run_in(
        Some(&dir),
        &zh,
        &["locate", "--input", "p.csv", "--output", "o.csv"],
    );
    let e = stderr(&o);
    assert!(
        e.contains("读取 2 行") && e.contains("在覆盖区域外 1"),
        "{e}"
    );
    assert!(!e.contains("rows read"), "{e}");
    let o = run_in(
        Some(&dir),
        &zh,
        &["batch", "b.jsonl", "--output", "o.jsonl"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("读取 1 行 = 已确定法院 1"), "{e}");
    // stdout summary lines of the checks (their findings and case lines stay English).
    let o = run_in(None, &zh, &["test", "--today", "2026-11-27"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("失败 0"), "{}", stdout(&o));
    let o = run_in(None, &zh, &["validate"]);
    let out = stdout(&o);
    assert!(
        out.contains("规则") && out.contains("发现 0 个问题"),
        "{out}"
    );
    let o = run_in(None, &zh, &["evidence"]);
    assert!(stdout(&o).contains("件案例：相符"), "{}", stdout(&o));
    // English without the locale.
    let o = run_in(
        Some(&dir),
        &[],
        &["locate", "--input", "p.csv", "--output", "o.csv"],
    );
    assert!(stderr(&o).contains("rows read 2"), "{}", stderr(&o));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn errors_are_chinese_under_a_chinese_locale() {
    let zh = [("LANG", "zh_CN.UTF-8")];
    // An admission error (route).
    let admin = [
        "route",
        "--kind",
        "administrative",
        "--conduct",
        "121.1,31.1",
        "--date",
        "2024-01-01",
    ];
    let o = run_in(None, &zh, &admin);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.starts_with("错误："), "{e}");
    assert!(e.contains("案件需要一个角色为"), "{e}");
    assert!(!e.contains("needs a place with role"), "{e}");
    assert!(e.contains("`agency`"), "values stay as written: {e}");
    // `--lang en` overrides the locale.
    let o = run_in(None, &zh, &with(&admin, &["--lang", "en"]));
    let e = stderr(&o);
    assert!(e.starts_with("error: "), "{e}");
    assert!(e.contains("needs a place with role"), "{e}");
    // A bad point (route and locate).
    let o = run_in(
        None,
        &zh,
        &["route", "--kind", "civil", "--conduct", "121.1,x"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("无效"), "{}", stderr(&o));
    let o = run_in(None, &zh, &["locate", "--at", "31.1,121.1"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.starts_with("错误：") && e.contains("纬度 `121.1` 超出 ±90") && e.contains("写反"),
        "{e}"
    );
    assert!(!e.contains("latitude"), "{e}");
    // A case file with an unknown kind: the position, the did-you-mean, in Chinese.
    let dir = std::env::temp_dir().join(format!("ecojuris-cli-zh-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let case = dir.join("case.yaml");
    std::fs::write(
        &case,
        "kind: civl\nplaces:\n  - {role: conduct, code: \"310118\"}\n",
    )
    .unwrap();
    let o = run_in(None, &zh, &["route", case.to_str().unwrap()]);
    let e = stderr(&o);
    assert!(
        e.contains("第 1 行") && e.contains("是否想输入 `civil`"),
        "{e}"
    );
    // A missing file.
    let o = run_in(None, &zh, &["route", "no-such-case.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("文件或目录不存在"), "{}", stderr(&o));
    // Batch input errors.
    let bad = dir.join("rows.csv");
    std::fs::write(&bad, "id,kynd,code\n1,civil,310118\n").unwrap();
    let out = dir.join("out.csv");
    let o = run_in(
        None,
        &zh,
        &[
            "batch",
            bad.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.starts_with("错误：") && has_chinese(e.trim_start_matches("错误：")),
        "{e}"
    );
    assert!(!e.contains("unknown column"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn locate_address_speaks_words_not_enum_names() {
    // 鼓楼区: Nanjing or Xuzhou.
    for (lang, word) in [("zh", "歧义"), ("en", "ambiguous")] {
        let o = run(&["locate", "--address", "鼓楼区", "--lang", lang]);
        assert_eq!(o.status.code(), Some(1));
        let s = stdout(&o);
        for name in ["Ambiguous", "NotFound", "AreaOnly"] {
            assert!(!s.contains(name), "{lang}: {s}");
        }
        assert!(s.contains(word), "{lang}: {s}");
    }
    let o = run(&["locate", "--address", "鼓楼区", "--lang", "zh"]);
    assert!(
        stdout(&o).contains("指江苏省徐州市鼓楼区"),
        "{}",
        stdout(&o)
    );
    let o = run(&["locate", "--address", "江苏省", "--lang", "zh"]);
    let s = stdout(&o);
    assert!(s.contains("仅到市级或省级"), "{s}");
    let o = run(&["locate", "--address", "xyz", "--lang", "zh"]);
    assert!(stdout(&o).contains("未找到"), "{}", stdout(&o));
    let o = run(&["locate", "--address", "xyz", "--lang", "en"]);
    assert!(stdout(&o).contains("not found"), "{}", stdout(&o));
}

const QINGPU_CRIME: &[&str] = &["route", "--kind", "criminal", "--conduct", "310118"];

#[test]
fn why_not_names_the_rule_that_won() {
    // 2018: the railway court's citywide rule (SH-2016-CRIM) won over the territorial rules.
    let o = run(&with(
        QINGPU_CRIME,
        &[
            "--date",
            "2018-03-01",
            "--why-not",
            "basic-310118",
            "--format",
            "json",
        ],
    ));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["competent"][0]["court"]["id"], "sh-railway");
    let w = &d["why_not"][0];
    assert_eq!(w["court"], "basic-310118");
    assert_eq!(w["competent"], false);
    let rules = w["rules"].as_array().unwrap();
    let territorial = rules
        .iter()
        .find(|r| r["rule"] == "NAT-TERRITORIAL-BASIC")
        .expect("the general territorial rule could give the Qingpu court");
    assert_eq!(territorial["reason"]["code"], "overridden");
    assert!(
        territorial["reason"]["en"]
            .as_str()
            .unwrap()
            .contains("SH-2016-CRIM"),
        "{territorial}"
    );
    assert!(
        territorial["reason"]["zh"]
            .as_str()
            .unwrap()
            .contains("SH-2016-CRIM")
    );
    let local = rules
        .iter()
        .find(|r| r["rule"] == "SH-2020-CRIM-LOCAL")
        .unwrap();
    assert_eq!(local["reason"]["code"], "not_in_force");
    // The same in Chinese text, by the court's Chinese name.
    let o = run(&with(
        QINGPU_CRIME,
        &[
            "--date",
            "2018-03-01",
            "--why-not",
            "上海市青浦区人民法院",
            "--lang",
            "zh",
        ],
    ));
    let s = stdout(&o);
    assert!(
        s.contains("为何不是 basic-310118：上海市青浦区人民法院对本案"),
        "{s}"
    );
    assert!(s.contains("被优先规则 SH-2016-CRIM 取代"), "{s}");
}

#[test]
fn why_not_says_when_the_court_is_competent() {
    // 2024: the Qingpu court tries the crimes of its district (SH-2020-CRIM-LOCAL); the
    // railway court's rule excludes Qingpu.
    let o = run(&with(
        QINGPU_CRIME,
        &[
            "--date",
            "2024-03-01",
            "--why-not",
            "basic-310118",
            "--why-not",
            "sh-railway",
            "--format",
            "json",
        ],
    ));
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let q = &d["why_not"][0];
    assert_eq!(q["competent"], true);
    assert!(
        q["summary"]["en"]
            .as_str()
            .unwrap()
            .contains("is competent")
    );
    assert!(
        q["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["rule"] == "SH-2020-CRIM-LOCAL" && r["reason"]["code"] == "applies")
    );
    let r = &d["why_not"][1];
    assert_eq!(r["competent"], false);
    let crim = r["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"] == "SH-QP2020-CRIM")
        .unwrap();
    assert_eq!(crim["reason"]["code"], "outside_territory");
}

#[test]
fn why_not_an_unknown_court_is_an_error_with_a_suggestion() {
    let o = run(&with(QINGPU_CRIME, &["--why-not", "basic-31018"]));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `basic-310118`?"),
        "{}",
        stderr(&o)
    );
    let o = run_in(
        None,
        &[("LANG", "zh_CN.UTF-8")],
        &with(QINGPU_CRIME, &["--why-not", "basic-31018"]),
    );
    assert!(stderr(&o).contains("未知法院"), "{}", stderr(&o));
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
