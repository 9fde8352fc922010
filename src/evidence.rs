//! Real adjudicated cases as ground truth (`jurisdiction-rules/evidence/<province>.yaml`):
//! loading, routing with the engine and the figures of `ecojuris evidence`.
//!
//! Every evidence case is a first-instance case a court of the region really tried. It is
//! routed like a golden case (`Engine::route`: admit, decide, explain, on its filing date)
//! and compared with the court that tried it:
//!
//! - **match**: the court that tried it is among the competent courts;
//! - **exact match**: it is the only competent court, or the first one listed.
//!
//! A case marked `known_exception` (designated, date unknown, sources disagree) that misses is
//! *explained*; one that matches is reported as "exception no longer needed" and fails, so a
//! rule fix cannot leave stale explanations behind (the ratchet of `known_failure` in
//! [`crate::cases`]). A miss without an exception is *unexplained* and fails.
//!
//! Like `cases.rs`, this module knows YAML but does no IO of its own except
//! [`load_dir`], which reads the files of a directory.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::eval::Engine;
use crate::input::{case_from_json, improve_serde_message};
use crate::model::{CaseKind, Date, Decision, Status};

/// The embedded evidence files (`jurisdiction-rules/evidence/*.yaml`), name and text.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "jurisdiction-rules/evidence/anhui.yaml",
        include_str!("../jurisdiction-rules/evidence/anhui.yaml"),
    ),
    (
        "jurisdiction-rules/evidence/jiangsu.yaml",
        include_str!("../jurisdiction-rules/evidence/jiangsu.yaml"),
    ),
    (
        "jurisdiction-rules/evidence/shanghai.yaml",
        include_str!("../jurisdiction-rules/evidence/shanghai.yaml"),
    ),
    (
        "jurisdiction-rules/evidence/zhejiang.yaml",
        include_str!("../jurisdiction-rules/evidence/zhejiang.yaml"),
    ),
];

/// The provinces of the region: code, id prefix, file stem.
pub const PROVINCES: &[(&str, &str, &str)] = &[
    ("310000", "sh", "shanghai"),
    ("320000", "js", "jiangsu"),
    ("330000", "zj", "zhejiang"),
    ("340000", "ah", "anhui"),
];

/// Where a case was published.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceSource {
    /// Title as published.
    pub title: String,
    /// Issuing body or site.
    pub publisher: String,
    /// Publication date.
    pub date: Date,
    /// The URL, exactly as the stored page gives it.
    pub url: String,
    /// The case number (案号), when the source gives one.
    #[serde(default)]
    pub case_number: Option<String>,
}

/// The court that really tried the case.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TriedBy {
    /// Court id in `jurisdiction-rules/courts.yaml`; `None` when the court is not registered.
    pub court: Option<String>,
    /// The court's name exactly as the source gives it.
    pub court_name_zh: String,
    /// The tribunal (e.g. 长江环境资源法庭), when stated.
    #[serde(default)]
    pub tribunal: Option<String>,
}

/// Why a case cannot match the rules on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionKind {
    /// The case was designated (指定管辖) to a court the general rules do not name.
    Designated,
    /// The filing date is unknown and the estimate straddles a rule change.
    DateUnknown,
    /// The sources disagree (on the court, the place or the date).
    SourcesDisagree,
}

impl ExceptionKind {
    /// The snake_case name used in the files.
    pub fn name(self) -> &'static str {
        match self {
            ExceptionKind::Designated => "designated",
            ExceptionKind::DateUnknown => "date_unknown",
            ExceptionKind::SourcesDisagree => "sources_disagree",
        }
    }
}

/// A known exception with its explanation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KnownException {
    /// Kind.
    pub kind: ExceptionKind,
    /// Why.
    pub note: String,
}

/// One real case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceCase {
    /// `ev-<sh|js|zj|ah>-NNNN`.
    pub id: String,
    /// One line in English.
    pub summary: String,
    /// Where it was published.
    pub source: EvidenceSource,
    /// Filing date (立案/受理/起诉).
    pub filed_on: Date,
    /// Whether `filed_on` is an estimate.
    #[serde(default)]
    pub date_estimated: bool,
    /// How the date was estimated (required when estimated).
    #[serde(default)]
    pub date_basis: Option<String>,
    /// The case document ecojuris routes (the `route` case-file format without `id` and
    /// `filed_on`, which come from the evidence case).
    pub case: serde_json::Value,
    /// The court that tried it.
    pub tried_by: TriedBy,
    /// Whether the source says it was designated (指定管辖).
    #[serde(default)]
    pub designated: bool,
    /// Who designated it.
    #[serde(default)]
    pub designated_by: Option<String>,
    /// Why the rules cannot match it on purpose.
    #[serde(default)]
    pub known_exception: Option<KnownException>,
    /// 1-based line of the case in its file (not in the file: filled in on load).
    #[serde(skip)]
    pub line: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceFile {
    schema_version: u32,
    province: String,
    #[serde(default)]
    cases: Vec<EvidenceCase>,
}

/// One parsed evidence file.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// File name as given.
    pub file: String,
    /// Province code.
    pub province: String,
    /// The cases.
    pub cases: Vec<EvidenceCase>,
}

/// Finds the 1-based line of `- id: <id>` (or `id: <id>`) in `text`.
fn id_line(text: &str, id: &str) -> usize {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            t.strip_prefix("id:").is_some_and(|rest| {
                let v = rest.trim().trim_matches('"').trim_matches('\'');
                v == id
            })
        })
        .map_or(0, |i| i + 1)
}

/// Parses one evidence file; errors name the file, line and column.
pub fn parse_file(file: &str, text: &str) -> Result<Loaded, String> {
    let f: EvidenceFile = serde_yaml::from_str(text).map_err(|e| {
        let loc = e
            .location()
            .map(|l| format!(" line {} column {}", l.line(), l.column()))
            .unwrap_or_default();
        format!(
            "in `{file}`{loc}: {}",
            improve_serde_message(&e.to_string())
        )
    })?;
    if f.schema_version != 1 {
        return Err(format!(
            "in `{file}`: unsupported `schema_version: {}` (expected 1)",
            f.schema_version
        ));
    }
    if !PROVINCES.iter().any(|(code, _, _)| *code == f.province) {
        return Err(format!(
            "in `{file}`: unknown `province: {}` (expected one of 310000, 320000, 330000, 340000)",
            f.province
        ));
    }
    let mut cases = f.cases;
    for c in &mut cases {
        c.line = id_line(text, &c.id);
    }
    Ok(Loaded {
        file: file.to_string(),
        province: f.province,
        cases,
    })
}

/// Parses the embedded evidence files.
pub fn embedded() -> Result<Vec<Loaded>, String> {
    EMBEDDED
        .iter()
        .map(|(file, text)| parse_file(file, text))
        .collect()
}

/// Reads and parses every `*.yaml` file of `dir` (sorted by name).
pub fn load_dir(dir: &std::path::Path) -> Result<Vec<Loaded>, String> {
    let rd = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read directory `{}`: {e}", dir.display()))?;
    let mut paths: Vec<std::path::PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let file = p.display().to_string();
        let text = std::fs::read_to_string(&p).map_err(|e| format!("cannot read `{file}`: {e}"))?;
        out.push(parse_file(&file, &text)?);
    }
    Ok(out)
}

/// What happened to one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The real court is the only or the first competent court.
    Exact,
    /// The real court is among the competent courts, not first.
    Match,
    /// A miss explained by `known_exception`.
    Explained,
    /// A miss without an explanation (fails).
    Miss,
    /// Marked `known_exception` but matches: the exception is no longer needed (fails).
    ExceptionNotNeeded,
    /// The evidence entry itself is malformed (fails).
    Invalid,
}

impl Verdict {
    /// Whether the verdict fails the run.
    pub fn fails(self) -> bool {
        matches!(
            self,
            Verdict::Miss | Verdict::ExceptionNotNeeded | Verdict::Invalid
        )
    }

    /// Whether the real court was among the competent courts.
    pub fn matched(self) -> bool {
        matches!(
            self,
            Verdict::Exact | Verdict::Match | Verdict::ExceptionNotNeeded
        )
    }

    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Exact => "exact",
            Verdict::Match => "match",
            Verdict::Explained => "explained",
            Verdict::Miss => "miss",
            Verdict::ExceptionNotNeeded => "exception_not_needed",
            Verdict::Invalid => "invalid",
        }
    }
}

/// A competent court as given by the engine, with the rules behind it.
#[derive(Debug, Clone, Serialize)]
pub struct GivenCourt {
    /// Court id.
    pub court: String,
    /// Chinese name.
    pub name_zh: String,
    /// The tribunal named, if any (Chinese name).
    pub tribunal: Option<String>,
    /// The assigning rule of every ground.
    pub assigned_by: Vec<String>,
    /// Every rule of every ground (connecting factor, level, assignment).
    pub rules: Vec<String>,
}

/// The outcome of one evidence case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseOutcome {
    /// Evidence id.
    pub id: String,
    /// File.
    pub file: String,
    /// 1-based line of the case in the file (0 if not found).
    pub line: usize,
    /// Province code.
    pub province: String,
    /// Case kind (`None` when the case document has no valid kind).
    pub kind: Option<CaseKind>,
    /// Filing year.
    pub year: i32,
    /// Whether the filing date is estimated.
    pub date_estimated: bool,
    /// One-line summary.
    pub summary: String,
    /// The court that tried it (id, or `None` when not registered).
    pub tried_by: Option<String>,
    /// Its Chinese name as the source gives it.
    pub tried_by_name_zh: String,
    /// The tribunal the source names.
    pub tried_tribunal: Option<String>,
    /// Whether the source says it was designated.
    pub designated: bool,
    /// Verdict.
    pub verdict: Verdict,
    /// The known exception, if any.
    pub known_exception: Option<KnownException>,
    /// Why it missed, was rejected or is invalid.
    pub detail: Option<String>,
    /// The competent courts the engine gave, in its order.
    pub given: Vec<GivenCourt>,
    /// Every rule that fired.
    pub fired: Vec<String>,
    /// Whether the engine named the same tribunal (when the source names one and the court
    /// matched).
    pub tribunal_agrees: Option<bool>,
}

/// Counts of one group (a province, kind or year, or everything).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Tally {
    /// Cases.
    pub cases: usize,
    /// Real court among the competent courts (with or without an exception).
    pub matched: usize,
    /// Real court the only or first competent court.
    pub exact: usize,
    /// Misses explained by `known_exception`.
    pub explained: usize,
    /// Unexplained misses.
    pub unexplained: usize,
    /// Exceptions that are no longer needed.
    pub exception_not_needed: usize,
    /// Malformed entries.
    pub invalid: usize,
}

impl Tally {
    fn add(&mut self, v: Verdict) {
        self.cases += 1;
        match v {
            Verdict::Exact => {
                self.matched += 1;
                self.exact += 1;
            }
            Verdict::Match => self.matched += 1,
            Verdict::Explained => self.explained += 1,
            Verdict::Miss => self.unexplained += 1,
            Verdict::ExceptionNotNeeded => {
                self.matched += 1;
                self.exception_not_needed += 1;
            }
            Verdict::Invalid => self.invalid += 1,
        }
    }

    /// Share of matched cases in percent (0 for no cases).
    pub fn match_pct(&self) -> f64 {
        pct(self.matched, self.cases)
    }

    /// Share of exact matches in percent.
    pub fn exact_pct(&self) -> f64 {
        pct(self.exact, self.cases)
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        // Counts are far below 2^52: the conversion is exact.
        #[allow(clippy::cast_precision_loss, reason = "small counts")]
        let r = a as f64 * 100.0 / b as f64;
        r
    }
}

/// The whole run.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Rules version.
    pub rules_version: String,
    /// Geodata version.
    pub geodata_version: String,
    /// Files read.
    pub files: Vec<String>,
    /// Everything.
    pub total: Tally,
    /// By province code.
    pub by_province: BTreeMap<String, Tally>,
    /// By case kind.
    pub by_kind: BTreeMap<String, Tally>,
    /// By filing year.
    pub by_year: BTreeMap<i32, Tally>,
    /// Every case, in file order.
    pub cases: Vec<CaseOutcome>,
}

impl Report {
    /// Cases that fail the run (unexplained misses, stale exceptions, malformed entries).
    pub fn failures(&self) -> impl Iterator<Item = &CaseOutcome> {
        self.cases.iter().filter(|c| c.verdict.fails())
    }

    /// Whether the run passes.
    pub fn passes(&self) -> bool {
        self.failures().next().is_none()
    }
}

fn id_ok(id: &str, prefix: &str) -> bool {
    let Some(rest) = id
        .strip_prefix("ev-")
        .and_then(|r| r.strip_prefix(prefix))
        .and_then(|r| r.strip_prefix('-'))
    else {
        return false;
    };
    rest.len() == 4 && rest.bytes().all(|b| b.is_ascii_digit())
}

/// Checks the evidence entry itself (not the routing); `Err` names what is wrong.
fn check_entry(engine: &Engine, province: &str, c: &EvidenceCase) -> Result<(), String> {
    let prefix = PROVINCES
        .iter()
        .find(|(code, _, _)| *code == province)
        .map_or("", |(_, p, _)| *p);
    if !id_ok(&c.id, prefix) {
        return Err(format!(
            "id `{}` is not of the form `ev-{prefix}-NNNN` (province {province})",
            c.id
        ));
    }
    let (y, _, _) = c.filed_on.ymd();
    if !(2014..=2026).contains(&y) {
        return Err(format!(
            "`filed_on` {} is outside the evidence period 2014–2026",
            c.filed_on
        ));
    }
    if c.date_estimated && c.date_basis.as_deref().is_none_or(|b| b.trim().is_empty()) {
        return Err("`date_estimated: true` needs a `date_basis`".to_string());
    }
    if c.summary.trim().is_empty() {
        return Err("`summary` is empty".to_string());
    }
    if c.source.title.trim().is_empty()
        || c.source.publisher.trim().is_empty()
        || !(c.source.url.starts_with("http://") || c.source.url.starts_with("https://"))
    {
        return Err("`source` needs a `title`, a `publisher` and an http(s) `url`".to_string());
    }
    if let Some(court) = &c.tried_by.court
        && engine.rules().courts.get(court).is_none()
    {
        let ids = engine.rules().courts.all().iter().map(|c| c.id.as_str());
        return Err(format!(
            "`tried_by.court` `{court}` is not in the court registry{}",
            crate::diagnostics::hint(court, ids)
        ));
    }
    if let Some(obj) = c.case.as_object() {
        for k in ["id", "filed_on"] {
            if obj.contains_key(k) {
                return Err(format!(
                    "`case.{k}` is not allowed: the evidence case gives `{k}`"
                ));
            }
        }
    } else {
        return Err("`case` must be a mapping (the case document)".to_string());
    }
    Ok(())
}

fn given_courts(d: &Decision) -> Vec<GivenCourt> {
    d.competent
        .iter()
        .map(|c| {
            let mut assigned_by: Vec<String> = Vec::new();
            let mut rules: Vec<String> = Vec::new();
            for g in &c.grounds {
                if !assigned_by.contains(&g.rule) {
                    assigned_by.push(g.rule.clone());
                }
                for r in &g.rules {
                    if !rules.contains(r) {
                        rules.push(r.clone());
                    }
                }
            }
            GivenCourt {
                court: c.court.id.clone(),
                name_zh: c.court.name_zh.clone(),
                tribunal: c.tribunal.as_ref().map(|t| t.name_zh.clone()),
                assigned_by,
                rules,
            }
        })
        .collect()
}

/// Routes one evidence case.
pub fn evaluate(engine: &Engine, file: &str, province: &str, c: &EvidenceCase) -> CaseOutcome {
    let kind = c
        .case
        .get("kind")
        .and_then(serde_json::Value::as_str)
        .and_then(CaseKind::parse);
    let mut o = CaseOutcome {
        id: c.id.clone(),
        file: file.to_string(),
        line: c.line,
        province: province.to_string(),
        kind,
        year: c.filed_on.ymd().0,
        date_estimated: c.date_estimated,
        summary: c.summary.clone(),
        tried_by: c.tried_by.court.clone(),
        tried_by_name_zh: c.tried_by.court_name_zh.clone(),
        tried_tribunal: c.tried_by.tribunal.clone(),
        designated: c.designated,
        verdict: Verdict::Invalid,
        known_exception: c.known_exception.clone(),
        detail: None,
        given: Vec::new(),
        fired: Vec::new(),
        tribunal_agrees: None,
    };
    if let Err(e) = check_entry(engine, province, c) {
        o.detail = Some(e);
        return o;
    }
    let mut doc = c.case.clone();
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("id".into(), serde_json::Value::String(c.id.clone()));
        obj.insert(
            "filed_on".into(),
            serde_json::Value::String(c.filed_on.to_string()),
        );
    }
    let origin = format!("{file}:{} ({})", c.line, c.id);
    let case = match case_from_json(doc, &origin) {
        Ok(case) => case,
        Err(e) => {
            // The case document itself is malformed: a data error, never explained.
            o.detail = Some(format!("invalid case document: {e}"));
            return o;
        }
    };
    let routed = engine.route(&case, c.filed_on, &origin);
    let matched = match routed {
        Err(e) => {
            o.detail = Some(format!("rejected by the engine: {}", e.message()));
            None
        }
        Ok(d) => {
            o.given = given_courts(&d);
            o.fired = d.fired_rules().into_iter().map(str::to_string).collect();
            if d.status == Status::NoCourt {
                o.detail = Some(format!(
                    "no competent court: {}",
                    d.no_court_reason.as_ref().map_or("", |r| r.en.as_str())
                ));
                None
            } else {
                let pos = c
                    .tried_by
                    .court
                    .as_ref()
                    .and_then(|t| o.given.iter().position(|g| &g.court == t));
                if pos.is_none() {
                    let given: Vec<&str> = o.given.iter().map(|g| g.court.as_str()).collect();
                    o.detail = Some(match &c.tried_by.court {
                        Some(t) => format!("tried by `{t}`, the rules give {given:?}"),
                        None => format!(
                            "tried by {} (not in the court registry), the rules give {given:?}",
                            c.tried_by.court_name_zh
                        ),
                    });
                }
                if let (Some(p), Some(want)) = (pos, &c.tried_by.tribunal)
                    && let Some(g) = o.given.get(p)
                {
                    o.tribunal_agrees = Some(g.tribunal.as_deref() == Some(want.as_str()));
                }
                pos
            }
        }
    };
    o.verdict = match (matched, &c.known_exception) {
        (Some(0), None) => Verdict::Exact,
        (Some(_), None) => Verdict::Match,
        (Some(_), Some(_)) => Verdict::ExceptionNotNeeded,
        (None, Some(_)) => Verdict::Explained,
        (None, None) => Verdict::Miss,
    };
    if o.verdict == Verdict::ExceptionNotNeeded {
        o.detail = Some(format!(
            "marked `known_exception: {}` but matches: remove the exception",
            c.known_exception.as_ref().map_or("", |k| k.kind.name())
        ));
    }
    o
}

/// Routes every case of the loaded files and tallies the figures. Duplicate ids are invalid.
pub fn run(engine: &Engine, files: &[Loaded]) -> Report {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut cases = Vec::new();
    for f in files {
        for c in &f.cases {
            let mut o = evaluate(engine, &f.file, &f.province, c);
            if !seen.insert(c.id.clone()) {
                o.verdict = Verdict::Invalid;
                o.detail = Some(format!("duplicate id `{}`", c.id));
            }
            cases.push(o);
        }
    }
    let mut total = Tally::default();
    // Every province is listed, with zeros when it has no case yet.
    let mut by_province: BTreeMap<String, Tally> = PROVINCES
        .iter()
        .map(|(code, _, _)| ((*code).to_string(), Tally::default()))
        .collect();
    let mut by_kind: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_year: BTreeMap<i32, Tally> = BTreeMap::new();
    for o in &cases {
        total.add(o.verdict);
        by_province
            .entry(o.province.clone())
            .or_default()
            .add(o.verdict);
        by_kind
            .entry(o.kind.map_or("(invalid)", CaseKind::name).to_string())
            .or_default()
            .add(o.verdict);
        by_year.entry(o.year).or_default().add(o.verdict);
    }
    Report {
        rules_version: engine.rules().version.clone(),
        geodata_version: engine.geo().version().to_string(),
        files: files.iter().map(|f| f.file.clone()).collect(),
        total,
        by_province,
        by_kind,
        by_year,
        cases,
    }
}

/// How many real cases support each rule: a case supports a rule when the rule contributed
/// to a ground of the court that really tried it (connecting factor, level or assignment).
/// Only matched cases count; rules no case supports are absent.
pub fn support_counts(report: &Report) -> BTreeMap<String, usize> {
    let mut m: BTreeMap<String, usize> = BTreeMap::new();
    for o in report.cases.iter().filter(|o| o.verdict.matched()) {
        let Some(t) = &o.tried_by else { continue };
        if let Some(g) = o.given.iter().find(|g| &g.court == t) {
            for r in &g.rules {
                *m.entry(r.clone()).or_default() += 1;
            }
        }
    }
    m
}

/// A rule a real case contradicts: the case matched none of the competent courts and this
/// rule assigned one of them instead.
#[derive(Debug, Clone, Serialize)]
pub struct Contradiction {
    /// The assigning rule.
    pub rule: String,
    /// The evidence case ids (unexplained misses).
    pub unexplained: Vec<String>,
    /// The evidence case ids whose miss is explained by a known exception.
    pub explained: Vec<String>,
}

/// The rules that real cases contradict, by rule id.
pub fn contradictions(report: &Report) -> Vec<Contradiction> {
    let mut m: BTreeMap<String, Contradiction> = BTreeMap::new();
    for o in &report.cases {
        let explained = match o.verdict {
            Verdict::Miss => false,
            Verdict::Explained => true,
            _ => continue,
        };
        let mut rules: BTreeSet<&str> = BTreeSet::new();
        for g in &o.given {
            rules.extend(g.assigned_by.iter().map(String::as_str));
        }
        for r in rules {
            let e = m.entry(r.to_string()).or_insert_with(|| Contradiction {
                rule: r.to_string(),
                unexplained: Vec::new(),
                explained: Vec::new(),
            });
            if explained {
                e.explained.push(o.id.clone());
            } else {
                e.unexplained.push(o.id.clone());
            }
        }
    }
    m.into_values().collect()
}

/// Runs the embedded evidence set; `Err` when a file does not parse.
pub fn run_embedded(engine: &Engine) -> Result<Report, String> {
    Ok(run(engine, &embedded()?))
}

/// Supporting real cases per rule id over the embedded evidence set (see [`support_counts`]),
/// for showing "supported by N real cases" beside each ground of a decision. Compute it once
/// per engine: it routes every evidence case.
pub fn embedded_support(engine: &Engine) -> Result<BTreeMap<String, usize>, String> {
    Ok(support_counts(&run_embedded(engine)?))
}

/// Sets, on every ground of a decision, how many real cases support its assigning rule.
pub fn annotate(d: &mut crate::model::Decision, support: &BTreeMap<String, usize>) {
    for c in &mut d.competent {
        for g in &mut c.grounds {
            g.evidence_cases = Some(support.get(&g.rule).copied().unwrap_or(0));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_province_prefix() {
        assert!(id_ok("ev-sh-0001", "sh"));
        assert!(!id_ok("ev-sh-001", "sh"));
        assert!(!id_ok("ev-js-0001", "sh"));
        assert!(!id_ok("ev-sh-00a1", "sh"));
    }

    #[test]
    fn parse_errors_name_file_line_and_column() {
        let text =
            "schema_version: 1\nprovince: \"310000\"\ncases:\n  - id: ev-sh-0001\n    sumary: x\n";
        let e = parse_file("x.yaml", text).unwrap_err();
        assert!(e.contains("in `x.yaml` line 5 column"), "{e}");
        assert!(e.contains("did you mean `summary`"), "{e}");
    }

    #[test]
    fn unknown_province_is_refused() {
        let e = parse_file(
            "x.yaml",
            "schema_version: 1\nprovince: \"110000\"\ncases: []\n",
        )
        .unwrap_err();
        assert!(e.contains("unknown `province: 110000`"), "{e}");
    }

    #[test]
    fn the_line_of_a_case_is_found() {
        let text = "cases:\n  - id: ev-sh-0001\n  - id: \"ev-sh-0002\"\n";
        assert_eq!(id_line(text, "ev-sh-0002"), 3);
        assert_eq!(id_line(text, "ev-sh-0009"), 0);
    }
}
