//! `ecojuris test`, `ecojuris sources`, `ecojuris completions`, `ecojuris man` and the long
//! `--version` text.

use std::fmt::Write as _;

use clap::CommandFactory as _;

use super::args::{Format, Lang, SourcesArgs, TestArgs};
use super::route::{load_engine, today};
use super::{Cli, CliError, Outcome, note, out, to_json};
use crate::model::Date;

/// `ecojuris test`: the embedded golden cases, or the `*.yaml` files of a directory.
pub(super) fn run_test(cli: &Cli, a: &TestArgs) -> Result<Outcome, CliError> {
    let engine = load_engine(cli)?;
    let today = match &a.today {
        Some(d) => Date::parse(d)
            .ok_or_else(|| CliError::Msg(format!("invalid `--today {d}` (expected YYYY-MM-DD)")))?,
        None => today(),
    };
    let (results, origin) = match &a.dir {
        Some(dir) => (
            crate::cases::run_dir(&engine, dir, today),
            format!("`{}`", dir.display()),
        ),
        None => (
            crate::cases::run_embedded(&engine, today),
            "the embedded golden cases".to_string(),
        ),
    };
    if results.is_empty() {
        return Err(CliError::Msg(format!("no cases found in {origin}")));
    }
    let passed = results.iter().filter(|r| r.passed).count();
    let failed = results.len() - passed;
    match cli.format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = results
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "file": r.file,
                        "name": r.name,
                        "passed": r.passed,
                        "known_failure": r.known_failure,
                        "failure": r.failure,
                    })
                })
                .collect();
            out(&to_json(&serde_json::json!({
                "passed": passed,
                "failed": failed,
                "cases": rows,
            })))?;
        }
        Format::Text => {
            let mut s = String::new();
            for r in results.iter().filter(|r| !r.passed) {
                let _ = writeln!(
                    s,
                    "FAIL {} :: {}: {}",
                    r.file,
                    r.name,
                    r.failure.as_deref().unwrap_or("")
                );
            }
            let summary = format!("{passed} passed, {failed} failed");
            let _ = writeln!(s, "{}", super::tr(cli.lang, &summary));
            out(&s)?;
        }
    }
    Ok(if failed == 0 {
        Outcome::Ok
    } else {
        Outcome::Negative
    })
}

/// `ecojuris sources`.
pub(super) fn run_sources(cli: &Cli, a: &SourcesArgs) -> Result<Outcome, CliError> {
    let engine = load_engine(cli)?;
    let all = &engine.rules().sources;
    for k in &a.keys {
        if !all.contains_key(k) {
            return Err(CliError::Msg(format!(
                "unknown source `{k}`{}",
                crate::diagnostics::hint(k, all.keys().map(String::as_str))
            )));
        }
    }
    let list: Vec<&crate::rules::Source> = all
        .values()
        .filter(|s| a.keys.is_empty() || a.keys.contains(&s.key))
        .filter(|s| a.kind.as_deref().is_none_or(|k| s.kind == k))
        .collect();
    if list.is_empty() {
        return Err(CliError::Msg("no source matches the filters".to_string()));
    }
    match cli.format {
        Format::Json => out(&to_json(&list))?,
        Format::Text => {
            let zh = cli.lang == Lang::Zh;
            let mut s = String::new();
            for src in &list {
                let _ = writeln!(
                    s,
                    "{}  [{}]  {}",
                    src.key,
                    src.kind,
                    src.date.as_deref().unwrap_or("?")
                );
                let _ = writeln!(s, "    {}", src.title);
                let by: Vec<&str> = [src.issuer.as_deref(), src.number.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
                if !by.is_empty() {
                    let _ = writeln!(s, "    {}", by.join(" · "));
                }
                if let Some(u) = &src.url {
                    let _ = writeln!(s, "    {} {u}", if zh { "网址:" } else { "url:" });
                }
                for u in &src.urls {
                    let _ = writeln!(s, "    {} {u}", if zh { "另见:" } else { "also:" });
                }
                if let Some(r) = &src.read_in {
                    let _ = writeln!(s, "    {} {r}", if zh { "文本来源:" } else { "read in:" });
                }
            }
            let _ = writeln!(
                s,
                "{}",
                if zh {
                    format!("共 {} 个来源", list.len())
                } else {
                    format!("{} source(s)", list.len())
                }
            );
            out(&s)?;
        }
    }
    Ok(Outcome::Ok)
}

/// `ecojuris completions SHELL`.
pub(super) fn run_completions(shell: clap_complete::Shell) -> Result<Outcome, CliError> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ecojuris", &mut buf);
    out(&String::from_utf8_lossy(&buf))?;
    Ok(Outcome::Ok)
}

/// `ecojuris man`.
pub(super) fn run_man() -> Result<Outcome, CliError> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(|e| CliError::Io("man page".to_string(), e))?;
    out(&String::from_utf8_lossy(&buf))?;
    Ok(Outcome::Ok)
}

/// The `--version` text: the crate version and the versions of the embedded rules and
/// geodata (as every result's `rules_version` and `geodata_version` name them).
pub(super) fn long_version() -> String {
    let mut s = env!("CARGO_PKG_VERSION").to_string();
    match crate::eval::Engine::embedded() {
        Ok(e) => {
            let _ = write!(
                s,
                "\nrules {} ({} rules, {} courts, {} sources)\ngeodata {} ({} county-level units)",
                e.rules().version,
                e.rules().rules.len(),
                e.rules().courts.all().len(),
                e.rules().sources.len(),
                e.geo().version(),
                e.geo().units().len()
            );
        }
        Err(err) => {
            let _ = write!(s, "\nembedded data failed to load: {err}");
        }
    }
    s
}

/// Notes on stderr for `-v`: what is loaded.
pub(super) fn verbose_header(cli: &Cli) {
    note(&format!(
        "ecojuris {}; rules: {}; geodata: {}; language: {:?}",
        env!("CARGO_PKG_VERSION"),
        cli.rules
            .as_ref()
            .map_or("embedded".to_string(), |d| format!("`{}`", d.display())),
        cli.geodata
            .as_ref()
            .map_or("embedded".to_string(), |d| format!("`{}`", d.display())),
        cli.lang
    ));
}
