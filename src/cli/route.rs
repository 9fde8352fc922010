//! `ecojuris route`, `ecojuris courts`.

use std::fmt::Write as _;
use std::io::Read as _;

use super::args::{CourtsArgs, Format, Lang, RouteArgs};
use super::{Cli, CliError, Outcome, load_geodata, out, to_json};
use crate::eval::Engine;
use crate::explain::render_text;
use crate::model::{Case, CaseKind, Date, Place, PlaceSpec, Role, Status};
use crate::rules::RuleFiles;

/// Today's date from the system clock (UTC).
pub(crate) fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Date::from_days(i32::try_from(secs / 86_400).unwrap_or(0))
}

/// Loads geodata and rules as selected on the command line.
pub(crate) fn load_engine(cli: &Cli) -> Result<Engine, CliError> {
    let geo = load_geodata(cli)?;
    let files = match &cli.rules {
        Some(dir) => RuleFiles::from_dir(dir).map_err(|e| CliError::Msg(e.to_string()))?,
        None => RuleFiles::embedded(),
    };
    Engine::load(geo, &files).map_err(|e| CliError::Msg(e.to_string()))
}

fn flag_place(role: Role, v: &str, crs: crate::spatial::Crs) -> Result<Place, CliError> {
    crate::input::place::place_from_flag(role, v, crs).map_err(CliError::Msg)
}

const NO_CASE: &str = "give a case file, or `--kind` with at least one place (`--conduct`, `--result`, `--domicile`, `--agency`, …)";

fn case_from_flags(a: &RouteArgs) -> Result<Case, CliError> {
    // The places first: an impossible point is the error even when `--kind` is missing.
    let crs = super::locate::parse_crs(&a.crs)?;
    let mut places = Vec::new();
    for (role, vals) in [
        (Role::Conduct, &a.conduct),
        (Role::Result, &a.result),
        (Role::DefendantDomicile, &a.domicile),
        (Role::Agency, &a.agency),
        (Role::ReconsiderationAgency, &a.reconsideration_agency),
        (Role::Landing, &a.landing),
    ] {
        for v in vals {
            places.push(flag_place(role, v, crs)?);
        }
    }
    let Some(kind_s) = a.kind.as_deref() else {
        return Err(CliError::Msg(NO_CASE.to_string()));
    };
    let kind = CaseKind::parse(kind_s).ok_or_else(|| {
        CliError::Msg(format!(
            "unknown case kind `{kind_s}`{} (expected one of {})",
            crate::diagnostics::hint(kind_s, CaseKind::names()),
            CaseKind::names().collect::<Vec<_>>().join(", ")
        ))
    })?;
    let filed_on =
        match &a.date {
            Some(d) => Some(Date::parse(d).ok_or_else(|| {
                CliError::Msg(format!("invalid `--date {d}` (expected YYYY-MM-DD)"))
            })?),
            None => None,
        };
    if places.is_empty() {
        return Err(CliError::Msg(NO_CASE.to_string()));
    }
    let mut case = Case::simple(
        kind,
        Role::Conduct,
        PlaceSpec::Code(String::new()),
        filed_on,
    );
    case.places = places;
    case.ship_source = a.ship_source;
    if let Some(l) = &a.agency_level {
        case.defendant_agency_level =
            Some(crate::model::AgencyLevel::parse(l).ok_or_else(|| {
                CliError::Msg(format!(
                    "unknown agency level `{l}`{}",
                    crate::diagnostics::hint(l, crate::model::AgencyLevel::names())
                ))
            })?);
    }
    if a.life_or_death {
        case.max_penalty = Some(crate::model::MaxPenalty::LifeOrDeath);
    }
    if a.coast_guard {
        case.investigated_by = Some(crate::model::Investigator::CoastGuard);
    }
    Ok(case)
}

pub(super) fn run_route(cli: &Cli, a: &RouteArgs) -> Result<Outcome, CliError> {
    let (case, origin) = match &a.case {
        Some(path) => {
            let origin = path.display().to_string();
            // Read at most one byte more than the limit: a huge file is refused at once.
            let limit = crate::input::doc::max_input(crate::input::doc::Kind::Case);
            let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
            let mut bytes = Vec::new();
            if origin == "-" {
                std::io::stdin()
                    .take(cap)
                    .read_to_end(&mut bytes)
                    .map_err(|e| CliError::Io("stdin".into(), e))?;
            } else {
                std::fs::File::open(path)
                    .and_then(|f| f.take(cap).read_to_end(&mut bytes))
                    .map_err(|e| CliError::Io(origin.clone(), e))?;
            }
            if bytes.len() > limit {
                return Err(CliError::Msg(format!(
                    "in `{origin}`: the file is larger than the limit of {} for a case file: raise it with `--max-input MIB`",
                    crate::input::doc::show_bytes(limit)
                )));
            }
            let text = String::from_utf8(bytes).map_err(|e| {
                CliError::Msg(format!("in `{origin}`: the file is not UTF-8 text: {e}"))
            })?;
            let case = crate::input::parse_case(&text, &origin).map_err(|e| {
                CliError::Msg(match e.snippet() {
                    Some(s) => format!("{e}\n{s}"),
                    None => e.to_string(),
                })
            })?;
            (case, origin)
        }
        None => (case_from_flags(a)?, "command line".to_string()),
    };
    let engine = load_engine(cli)?;
    let courts = a
        .why_not
        .iter()
        .map(|c| {
            engine
                .find_court(c)
                .map_err(|e| CliError::Msg(format!("`--why-not`: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let today = today();
    let mut d = engine
        .route(&case, today, &origin)
        .map_err(|e| CliError::Msg(e.to_string()))?;
    // Per ground, how many real cases support its rule (routes the evidence set, a few ms).
    if let Ok(support) = crate::evidence::embedded_support(&engine) {
        crate::evidence::annotate(&mut d, &support);
    }
    let why_not = if courts.is_empty() {
        Vec::new()
    } else {
        let admitted = engine
            .admit(&case, today, &origin)
            .map_err(|e| CliError::Msg(e.to_string()))?;
        engine.why_not_answers(&admitted, &courts)
    };
    match cli.format {
        Format::Json if why_not.is_empty() => out(&to_json(&d))?,
        Format::Json => {
            let mut v = serde_json::to_value(&d).map_err(|e| CliError::Msg(e.to_string()))?;
            if let Some(o) = v.as_object_mut() {
                o.insert(
                    "why_not".to_string(),
                    serde_json::to_value(&why_not).map_err(|e| CliError::Msg(e.to_string()))?,
                );
            }
            out(&to_json(&v))?;
        }
        Format::Text => {
            let mut s = render_text(&d, cli.lang.into());
            s.push_str(&crate::explain::whynot::render_why_not(
                &why_not,
                cli.lang.into(),
            ));
            out(&s)?;
        }
    }
    Ok(match d.status {
        Status::Routed => Outcome::Ok,
        Status::NoCourt => Outcome::Negative,
        Status::NeedsClarification => Outcome::Clarify,
    })
}

pub(super) fn run_courts(cli: &Cli, a: &CourtsArgs) -> Result<Outcome, CliError> {
    let engine = load_engine(cli)?;
    let courts: Vec<&crate::rules::Court> = engine
        .rules()
        .courts
        .all()
        .iter()
        .filter(|c| a.province.as_deref().is_none_or(|p| c.province == p))
        .filter(|c| a.level.as_deref().is_none_or(|l| c.level.name() == l))
        .collect();
    if courts.is_empty() {
        return Err(CliError::Msg("no court matches the filters".to_string()));
    }
    match cli.format {
        Format::Json => out(&to_json(&courts))?,
        Format::Text => {
            let mut s = String::new();
            for c in &courts {
                let _ = writeln!(
                    s,
                    "{:<14} {:<12} {} {}{}",
                    c.id,
                    c.level.name(),
                    c.name_zh,
                    if cli.lang == Lang::En {
                        c.name_en.as_str()
                    } else {
                        ""
                    },
                    c.appeal
                        .as_deref()
                        .map(|a| format!("  → {a}"))
                        .unwrap_or_default()
                );
                for t in &c.tribunals {
                    let _ = writeln!(
                        s,
                        "{:<27} · {} {}",
                        "",
                        t.name_zh,
                        if cli.lang == Lang::En {
                            t.name_en.as_str()
                        } else {
                            ""
                        }
                    );
                }
            }
            let _ = writeln!(s, "{} court(s)", courts.len());
            out(&s)?;
        }
    }
    Ok(Outcome::Ok)
}
