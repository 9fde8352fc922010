//! `ecojuris validate` and `ecojuris rules diff`.

use std::fmt::Write as _;

use super::args::{DiffArgs, Format, ValidateArgs};
use super::{Cli, CliError, Outcome, load_geodata, out, to_json, tr};
use crate::model::Date;
use crate::rules::{RuleFiles, RuleSet};
use crate::spatial::Geodata;
use crate::validate::{self, Finding, FindingKind};

fn files_for(
    dir: Option<&std::path::Path>,
    scenario: Option<&std::path::Path>,
) -> Result<RuleFiles, CliError> {
    let mut files = match dir {
        Some(d) => RuleFiles::from_dir(d).map_err(|e| CliError::Msg(e.to_string()))?,
        None => RuleFiles::embedded(),
    };
    if let Some(s) = scenario {
        let text =
            std::fs::read_to_string(s).map_err(|e| CliError::Io(s.display().to_string(), e))?;
        files = files.with_scenario(&s.display().to_string(), text);
    }
    Ok(files)
}

pub(super) fn run_validate(cli: &Cli, a: &ValidateArgs) -> Result<Outcome, CliError> {
    let geo = load_geodata(cli)?;
    let files = files_for(cli.rules.as_deref(), a.scenario.as_deref())?;
    let rules = match files.load(&geo) {
        Ok(r) => r,
        Err(e) => {
            // Schema and reference errors: every one, with file, line, column and caret.
            match cli.format {
                Format::Json => out(&to_json(
                    &serde_json::json!({ "load_errors": e.diagnostics }),
                ))?,
                Format::Text => {
                    let mut s = String::new();
                    for d in &e.diagnostics {
                        let _ = writeln!(s, "error: {d}");
                    }
                    let summary = format!(
                        "{} load error(s); fix them before the coverage analysis can run",
                        e.diagnostics.len()
                    );
                    let _ = writeln!(s, "{}", tr(cli.lang, &summary));
                    out(&s)?;
                }
            }
            // A rule set or scenario that does not load is an input error (exit 2), like a
            // case file that does not parse; findings of a loaded set are exit 1.
            return Ok(Outcome::Error);
        }
    };
    let t = std::time::Instant::now();
    let mut report = validate::validate(&rules, &geo);
    let took = t.elapsed();
    let evidence = evidence_check(cli, &files, &rules, a)?;
    report.findings.extend(evidence.findings.iter().cloned());
    match cli.format {
        Format::Json => out(&to_json(&ValidateOut {
            report: &report,
            evidence: &evidence.summary,
        }))?,
        Format::Text => {
            let mut s = String::new();
            for f in &report.findings {
                let kind = match f.kind {
                    FindingKind::Gap => "gap",
                    FindingKind::Overlap => "overlap",
                    FindingKind::Shadowed => "shadowed",
                    FindingKind::Dangling => "dangling",
                    FindingKind::Date => "date",
                    FindingKind::Provenance => "provenance",
                    FindingKind::Contradicted => "contradicted",
                };
                let _ = writeln!(s, "{kind}: {}", f.message);
                if let Some(c) = &f.counter_example {
                    let _ = writeln!(
                        s,
                        "  counter-example (paste into jurisdiction-rules/tests/):"
                    );
                    for line in c.lines() {
                        let _ = writeln!(s, "  {line}");
                    }
                }
            }
            let e = &evidence.summary;
            if let Some(err) = &e.error {
                let _ = writeln!(
                    s,
                    "{}",
                    tr(cli.lang, &format!("evidence: not checked: {err}"))
                );
            } else {
                let line = format!(
                    "evidence: {} real case(s); {} rule(s) supported by at least one; {} not supported by any real case (info): {}",
                    e.cases,
                    e.support.len(),
                    e.unsupported.len(),
                    if e.unsupported.is_empty() {
                        "none".to_string()
                    } else {
                        e.unsupported.join(", ")
                    }
                );
                let _ = writeln!(s, "{}", tr(cli.lang, &line));
                for c in e.contradicted.iter().filter(|c| c.unexplained.is_empty()) {
                    let line = format!(
                        "evidence: `{}` gave another court than the real one in {} case(s) explained by a known exception (info): {}",
                        c.rule,
                        c.explained.len(),
                        c.explained.join(", ")
                    );
                    let _ = writeln!(s, "{}", tr(cli.lang, &line));
                }
            }
            let summary = format!(
                "{} rules, {} courts; {} combinations (unit or sea area × kind × level × {} date intervals) checked in {:.0} ms: {} finding(s)",
                rules.rules.len(),
                rules.courts.all().len(),
                report.combinations,
                report.intervals,
                took.as_secs_f64() * 1000.0,
                report.findings.len()
            );
            let _ = writeln!(s, "{}", tr(cli.lang, &summary));
            out(&s)?;
        }
    }
    Ok(if report.findings.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Negative
    })
}

/// What the real cases say about the rules (`validate` JSON field `evidence`).
#[derive(Debug, Default, serde::Serialize)]
struct EvidenceSummary {
    /// Evidence cases routed.
    cases: usize,
    /// Rule id → number of real cases whose court the rule helped to give.
    support: std::collections::BTreeMap<String, usize>,
    /// Baseline scope and venue rules no real case supports.
    unsupported: Vec<String>,
    /// Rules real cases contradict (with unexplained and explained case ids).
    contradicted: Vec<crate::evidence::Contradiction>,
    /// Why the evidence could not be checked (a file does not parse).
    error: Option<String>,
}

struct EvidenceCheck {
    summary: EvidenceSummary,
    findings: Vec<Finding>,
}

#[derive(serde::Serialize)]
struct ValidateOut<'a> {
    #[serde(flatten)]
    report: &'a validate::Report,
    evidence: &'a EvidenceSummary,
}

/// Routes the evidence set (embedded, or `--evidence DIR`) under the validated rules.
fn evidence_check(
    cli: &Cli,
    files: &RuleFiles,
    rules: &RuleSet,
    a: &ValidateArgs,
) -> Result<EvidenceCheck, CliError> {
    let loaded = match &a.evidence {
        Some(d) => crate::evidence::load_dir(d),
        None => crate::evidence::embedded(),
    };
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            return Ok(EvidenceCheck {
                summary: EvidenceSummary {
                    error: Some(e),
                    ..EvidenceSummary::default()
                },
                findings: Vec::new(),
            });
        }
    };
    let engine = crate::eval::Engine::load(load_geodata(cli)?, files)
        .map_err(|e| CliError::Msg(e.to_string()))?;
    let run = crate::evidence::run(&engine, &loaded);
    let support = crate::evidence::support_counts(&run);
    let unsupported = rules
        .rules
        .iter()
        .filter(|r| {
            matches!(
                r.body,
                crate::rules::Body::Scope(_) | crate::rules::Body::Venue(_)
            ) && !support.contains_key(&r.id)
        })
        .map(|r| r.id.clone())
        .collect();
    let contradicted = crate::evidence::contradictions(&run);
    let findings = contradicted
        .iter()
        .filter(|c| !c.unexplained.is_empty())
        .map(|c| Finding {
            kind: FindingKind::Contradicted,
            message: format!(
                "rule `{}` gave another court than the one that really tried {} real case(s) with no known exception: {} (see `ecojuris evidence`)",
                c.rule,
                c.unexplained.len(),
                c.unexplained.join(", ")
            ),
            rules: vec![c.rule.clone()],
            case_kind: None,
            level: None,
            from: None,
            to: None,
            places: Vec::new(),
            counter_example: None,
        })
        .collect();
    Ok(EvidenceCheck {
        summary: EvidenceSummary {
            cases: run.total.cases,
            support,
            unsupported,
            contradicted,
            error: None,
        },
        findings,
    })
}

fn load(
    geo: &Geodata,
    dir: Option<&std::path::Path>,
    scenario: Option<&std::path::Path>,
) -> Result<RuleSet, CliError> {
    files_for(dir, scenario)?
        .load(geo)
        .map_err(|e| CliError::Msg(e.to_string()))
}

pub(super) fn run_diff(cli: &Cli, a: &DiffArgs) -> Result<Outcome, CliError> {
    let geo = load_geodata(cli)?;
    let parse = |d: &str| {
        Date::parse(d)
            .ok_or_else(|| CliError::Msg(format!("invalid date `{d}` (expected YYYY-MM-DD)")))
    };
    let today = super::route::today();
    let (ra, rb, da, db, from, to) = match (a.at.as_slice(), &a.from, &a.to, &a.scenario) {
        ([d1, d2], None, None, None) => {
            let r = load(&geo, cli.rules.as_deref(), None)?;
            (r.clone(), r, parse(d1)?, parse(d2)?, d1.clone(), d2.clone())
        }
        (ats, f, t, sc) if ats.len() <= 1 && (f.is_some() || t.is_some() || sc.is_some()) => {
            let d = match ats.first() {
                Some(x) => parse(x)?,
                None => today,
            };
            let base_dir = f.as_deref().or(cli.rules.as_deref());
            let ra = load(&geo, base_dir, None)?;
            let rb = match (t, sc) {
                (Some(t), s) => load(&geo, Some(t), s.as_deref())?,
                (None, s) => load(&geo, base_dir, s.as_deref())?,
            };
            let from = f
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "embedded rules".into());
            let to = match (t, sc) {
                (Some(t), _) => t.display().to_string(),
                (None, Some(s)) => format!("{from} + scenario {}", s.display()),
                _ => from.clone(),
            };
            (
                ra,
                rb,
                d,
                d,
                format!("{from} on {d}"),
                format!("{to} on {d}"),
            )
        }
        _ => {
            return Err(CliError::Msg(
                "give `--at DATE --at DATE` (two dates of one rule set), or `--from DIR` and/or `--to DIR` / `--scenario FILE` with at most one `--at DATE`".to_string(),
            ));
        }
    };
    let t = std::time::Instant::now();
    let d = validate::diff(&ra, da, &rb, db, &geo, from, to);
    let took = t.elapsed();
    match cli.format {
        Format::Json => out(&to_json(&d))?,
        Format::Text => {
            let mut s = String::new();
            let _ = writeln!(s, "from: {}\nto:   {}", d.from, d.to);
            let name = |id: &str| {
                ra.courts
                    .get(id)
                    .or_else(|| rb.courts.get(id))
                    .map(|c| c.name_zh.clone())
                    .unwrap_or_else(|| id.to_string())
            };
            for c in &d.changes {
                let fmt = |v: &Vec<(String, String)>| {
                    if v.is_empty() {
                        "(no court)".to_string()
                    } else {
                        v.iter()
                            .map(|(c, r)| format!("{} [{r}]", name(c)))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    }
                };
                let _ = writeln!(
                    s,
                    "{} {} {} {}: {} → {}",
                    c.unit,
                    c.unit_name,
                    c.kind,
                    c.level,
                    fmt(&c.before),
                    fmt(&c.after)
                );
            }
            let per: Vec<String> = d.by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let _ = writeln!(
                s,
                "{} of {} (unit × kind × level) combinations change{} ({:.0} ms)",
                d.changes.len(),
                d.compared,
                if per.is_empty() {
                    String::new()
                } else {
                    format!(": {}", per.join(", "))
                },
                took.as_secs_f64() * 1000.0
            );
            out(&s)?;
        }
    }
    Ok(Outcome::Ok)
}
