//! `ecojuris evidence`: routes the real adjudicated cases and reports the figures.

use std::fmt::Write as _;

use super::args::{EvidenceArgs, Format};
use super::route::load_engine;
use super::{Cli, CliError, Outcome, out, to_json};
use crate::evidence::{self, CaseOutcome, Report, Tally, Verdict};

fn tally_line(s: &mut String, label: &str, t: &Tally) {
    let _ = writeln!(
        s,
        "  {label:<44} {:>4} cases  match {:>4} ({:>5.1} %)  exact {:>4} ({:>5.1} %)  explained {:>3}  unexplained {:>3}{}",
        t.cases,
        t.matched,
        t.match_pct(),
        t.exact,
        t.exact_pct(),
        t.explained,
        t.unexplained,
        if t.exception_not_needed + t.invalid > 0 {
            format!(
                "  stale exceptions {}  invalid {}",
                t.exception_not_needed, t.invalid
            )
        } else {
            String::new()
        }
    );
}

fn province_name(code: &str) -> String {
    let name = match code {
        "310000" => "Shanghai 上海",
        "320000" => "Jiangsu 江苏",
        "330000" => "Zhejiang 浙江",
        "340000" => "Anhui 安徽",
        _ => "",
    };
    format!("{code} {name}")
}

fn case_block(s: &mut String, o: &CaseOutcome) {
    let label = match o.verdict {
        Verdict::Exact => "EXACT",
        Verdict::Match => "MATCH",
        Verdict::Explained => "EXPLAINED",
        Verdict::Miss => "MISS",
        Verdict::ExceptionNotNeeded => "STALE EXCEPTION",
        Verdict::Invalid => "INVALID",
    };
    let _ = writeln!(
        s,
        "{label} {} ({}:{}) {} {}{}: {}",
        o.id,
        o.file,
        o.line,
        o.kind.map_or("?", |k| k.name()),
        o.year,
        if o.date_estimated {
            " (date estimated)"
        } else {
            ""
        },
        o.summary
    );
    let _ = writeln!(
        s,
        "  tried by: {} {}{}{}",
        o.tried_by.as_deref().unwrap_or("(not registered)"),
        o.tried_by_name_zh,
        o.tried_tribunal
            .as_deref()
            .map(|t| format!(" · {t}"))
            .unwrap_or_default(),
        if o.designated { " (designated)" } else { "" }
    );
    if let Some(d) = &o.detail {
        let _ = writeln!(s, "  why: {d}");
    }
    if let Some(k) = &o.known_exception {
        let _ = writeln!(s, "  known exception ({}): {}", k.kind.name(), k.note);
    }
    for g in &o.given {
        let _ = writeln!(
            s,
            "  given: {} {}{} ← {}",
            g.court,
            g.name_zh,
            g.tribunal
                .as_deref()
                .map(|t| format!(" · {t}"))
                .unwrap_or_default(),
            g.rules.join(" + ")
        );
    }
    if o.given.is_empty() && !o.fired.is_empty() {
        let _ = writeln!(s, "  rules fired: {}", o.fired.join(", "));
    }
    if o.tribunal_agrees == Some(false) {
        let _ = writeln!(
            s,
            "  note: the court matches but the rules name another tribunal"
        );
    }
}

/// The text report: the case lines in English (their summaries are), the last line in `lang`.
pub(crate) fn render(r: &Report, all: bool, lang: super::args::Lang) -> String {
    let mut s = String::new();
    for o in r
        .cases
        .iter()
        .filter(|o| all || !matches!(o.verdict, Verdict::Exact | Verdict::Match))
    {
        case_block(&mut s, o);
    }
    if !s.is_empty() {
        s.push('\n');
    }
    let _ = writeln!(s, "by province:");
    for (p, t) in &r.by_province {
        tally_line(&mut s, &province_name(p), t);
    }
    let _ = writeln!(s, "by kind:");
    for (k, t) in &r.by_kind {
        tally_line(&mut s, k, t);
    }
    let _ = writeln!(s, "by filing year:");
    for (y, t) in &r.by_year {
        tally_line(&mut s, &y.to_string(), t);
    }
    tally_line(&mut s, "all", &r.total);
    let failing = r.failures().count();
    let summary = format!(
        "{} case(s) in {} file(s): {} matched, {} exact, {} explained, {} failing (unexplained misses, stale exceptions, invalid entries)",
        r.total.cases,
        r.files.len(),
        r.total.matched,
        r.total.exact,
        r.total.explained,
        failing
    );
    let _ = writeln!(s, "{}", super::tr(lang, &summary));
    s
}

pub(super) fn run(cli: &Cli, a: &EvidenceArgs) -> Result<Outcome, CliError> {
    let engine = load_engine(cli)?;
    let files = match &a.dir {
        Some(d) => evidence::load_dir(d),
        None => evidence::embedded(),
    }
    .map_err(CliError::Msg)?;
    let report = evidence::run(&engine, &files);
    match cli.format {
        Format::Json => out(&to_json(&report))?,
        Format::Text => out(&render(&report, a.all, cli.lang))?,
    }
    Ok(if report.passes() {
        Outcome::Ok
    } else {
        Outcome::Negative
    })
}
