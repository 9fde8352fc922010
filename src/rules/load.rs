//! Reading rule, court and source files; collecting every diagnostic; resolving ids against
//! the geodata. Keeps file texts so that errors point at the line with a caret.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use super::raw::{self, RawRulesFile, Stage};
use super::{
    Assign, Body, Court, CourtLevel, CourtPick, Courts, Rule, RuleSet, Scope, Source, Territory,
    Tribunal,
};
use crate::diagnostics::{did_you_mean, hint, snippet};
use crate::input::improve_serde_message;
use crate::model::{Text, Validity};
use crate::spatial::{AreaLevel, Geodata};

/// The rule files of the embedded default set: `(name, text)`.
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "sources.yaml",
        include_str!("../../jurisdiction-rules/sources.yaml"),
    ),
    (
        "courts.yaml",
        include_str!("../../jurisdiction-rules/courts.yaml"),
    ),
    (
        "national.yaml",
        include_str!("../../jurisdiction-rules/national.yaml"),
    ),
    (
        "shanghai.yaml",
        include_str!("../../jurisdiction-rules/shanghai.yaml"),
    ),
    (
        "jiangsu.yaml",
        include_str!("../../jurisdiction-rules/jiangsu.yaml"),
    ),
    (
        "zhejiang.yaml",
        include_str!("../../jurisdiction-rules/zhejiang.yaml"),
    ),
    (
        "anhui.yaml",
        include_str!("../../jurisdiction-rules/anhui.yaml"),
    ),
];

/// A set of rule files to load.
#[derive(Debug, Clone)]
pub struct RuleFiles {
    /// `(path, text)` pairs.
    pub files: Vec<(String, String)>,
    /// An optional scenario `(path, text)` applied over the files.
    pub scenario: Option<(String, String)>,
}

impl RuleFiles {
    /// The embedded default files (named `jurisdiction-rules/<file>`).
    pub fn embedded() -> RuleFiles {
        RuleFiles {
            files: EMBEDDED
                .iter()
                .map(|(n, t)| (format!("jurisdiction-rules/{n}"), (*t).to_string()))
                .collect(),
            scenario: None,
        }
    }

    /// Every `*.yaml` file directly inside `dir` (not `tests/` or `scenarios/`).
    pub fn from_dir(dir: &std::path::Path) -> Result<RuleFiles, LoadError> {
        let rd = std::fs::read_dir(dir).map_err(|e| LoadError {
            diagnostics: vec![Diagnostic::plain(
                &dir.display().to_string(),
                format!("cannot read directory: {e}"),
            )],
        })?;
        let mut diags = Vec::new();
        let mut paths: Vec<std::path::PathBuf> = Vec::new();
        for entry in rd {
            let p = match entry {
                Ok(e) => e.path(),
                Err(e) => {
                    diags.push(Diagnostic::plain(
                        &dir.display().to_string(),
                        format!("cannot list directory: {e}"),
                    ));
                    continue;
                }
            };
            if !p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                continue;
            }
            // A file named like a rule file that cannot be read as one (a directory, a dangling
            // symlink, a device) is an error: skipping it would silently drop its rules.
            match std::fs::metadata(&p) {
                Ok(m) if m.is_file() => paths.push(p),
                Ok(m) => diags.push(Diagnostic::plain(
                    &p.display().to_string(),
                    format!(
                        "is {}, not a rule file: remove it or rename it so it does not end in `.yaml`",
                        if m.is_dir() { "a directory" } else { "not a regular file" }
                    ),
                )),
                Err(e) => diags.push(Diagnostic::plain(
                    &p.display().to_string(),
                    if std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) {
                        format!("is a symbolic link whose target cannot be read ({e}): fix or remove it")
                    } else {
                        format!("cannot read: {e}")
                    },
                )),
            }
        }
        paths.sort();
        let mut files = Vec::new();
        for p in paths {
            match std::fs::read_to_string(&p) {
                Ok(t) => files.push((p.display().to_string(), t)),
                Err(e) => diags.push(Diagnostic::plain(
                    &p.display().to_string(),
                    format!("cannot read: {e}"),
                )),
            }
        }
        if !diags.is_empty() {
            return Err(LoadError { diagnostics: diags });
        }
        Ok(RuleFiles {
            files,
            scenario: None,
        })
    }

    /// The same files with a scenario file applied on top.
    pub fn with_scenario(mut self, path: &str, text: String) -> RuleFiles {
        self.scenario = Some((path.to_string(), text));
        self
    }

    /// Loads and validates the files against `geo`.
    pub fn load(&self, geo: &Geodata) -> Result<RuleSet, LoadError> {
        load(self, geo)
    }
}

/// One problem in a rule file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// File path.
    pub file: String,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// Message (lowercase, no final period, values in backticks).
    pub message: String,
    /// Source snippet with a caret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

impl Diagnostic {
    fn plain(file: &str, message: String) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: None,
            column: None,
            message,
            snippet: None,
        }
    }

    fn at(file: &str, text: &str, line: usize, column: usize, message: String) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
            message,
            snippet: Some(snippet(text, line, column)),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(
                f,
                "in `{}` line {l} column {c}: {}",
                self.file, self.message
            )?,
            _ => write!(f, "in `{}`: {}", self.file, self.message)?,
        }
        if let Some(s) = &self.snippet {
            write!(f, "\n{s}")?;
        }
        Ok(())
    }
}

/// Every problem found while loading.
#[derive(Debug, Clone, thiserror::Error)]
pub struct LoadError {
    /// The diagnostics, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the rule set has {} problem(s)", self.diagnostics.len())?;
        for d in &self.diagnostics {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

fn parse_yaml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    // JSON or YAML within the limits of `input::doc` (depth, aliases, size, duplicate keys).
    match crate::input::doc::parse::<T>(text, file, crate::input::doc::Kind::Rules) {
        Ok(v) => Some(v),
        Err(e) => {
            let msg = improve_serde_message(&e.message);
            diags.push(match (e.line, e.column) {
                (Some(l), Some(c)) => Diagnostic::at(file, text, l, c, msg),
                _ => Diagnostic::plain(file, msg),
            });
            None
        }
    }
}

/// Sets the position of every item of the list `key` from the document's structure
/// ([`crate::input::doc::list_items`]); when the structure cannot be read item by item
/// (a YAML flow list), the items keep no position and their diagnostics none either.
fn set_positions<T>(
    path: &str,
    text: &str,
    key: &str,
    items: &mut [T],
    pos: impl Fn(&mut T) -> &mut Option<(usize, usize)>,
) {
    let found = crate::input::doc::list_items(text, path, key);
    if found.len() == items.len() {
        for (item, p) in items.iter_mut().zip(found) {
            *pos(item) = Some(p);
        }
    }
}

/// Line and column of the first occurrence of `needle` at or after `from_line` (1-based).
fn find_after(text: &str, from_line: usize, needle: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate().skip(from_line.saturating_sub(1)) {
        if let Some(c) = line.find(needle) {
            let col = line.get(..c).map(|s| s.chars().count()).unwrap_or(0) + 1;
            return Some((i + 1, col));
        }
    }
    None
}

/// Where the item being compiled (a rule, court or source) is, for its diagnostics.
struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
    /// Where the item starts (from the parse), if known.
    at: Option<(usize, usize)>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// A diagnostic at the item, or at the first `needle` from the item's line on.
    fn err(&mut self, needle: Option<&str>, message: String) {
        let pos = self.at;
        let pos = match (pos, needle) {
            (Some((l, _)), Some(n)) => find_after(self.text, l, n).or(pos),
            _ => pos,
        };
        self.diags.push(match pos {
            Some((l, c)) => Diagnostic::at(self.file, self.text, l, c, message),
            None => Diagnostic::plain(self.file, message),
        });
    }
}

/// The loader in stages: [`parse_files`] (text → file structures, positions from the parser),
/// [`apply_scenario`] (the scenario patch over the parsed files), then compile: courts
/// ([`build_courts`]), rules ([`compile_rules`], one [`build_rule`] each), cross-rule
/// references ([`check_references`]) and retirements ([`retire_rules`]). Every stage adds
/// its diagnostics and goes on, so one run reports every problem.
fn load(files: &RuleFiles, geo: &Geodata) -> Result<RuleSet, LoadError> {
    let mut diags = Vec::new();
    let mut parsed = parse_files(files, &mut diags);
    let patch = apply_scenario(files, &mut parsed, &mut diags);
    if parsed.sources.is_empty() {
        diags.push(Diagnostic::plain(
            "sources.yaml",
            "missing or empty: every rule must cite its sources".to_string(),
        ));
    }
    let Some((cpath, ctext, craw)) = parsed.courts.take() else {
        diags.push(Diagnostic::plain(
            "courts.yaml",
            "missing: the court registry is required".to_string(),
        ));
        return Err(LoadError { diagnostics: diags });
    };
    let courts = build_courts(&cpath, &ctext, craw, &parsed.sources, geo, &mut diags);
    let (mut rules, seen) = compile_rules(&parsed, &courts, geo, &mut diags);
    check_references(&rules, &parsed.rule_files, &mut diags);
    let scenario_path = files.scenario.as_ref().map_or("scenario", |s| s.0.as_str());
    retire_rules(&mut rules, &patch.retire, &seen, scenario_path, &mut diags);
    if !diags.is_empty() {
        return Err(LoadError { diagnostics: diags });
    }
    let revised = parsed
        .rule_files
        .iter()
        .map(|f| f.2.revised)
        .chain(courts.revised)
        .max();
    let version = format!(
        "{}{}@{:08x}",
        revised.map(|d| d.to_string()).unwrap_or_default(),
        patch.name.map(|n| format!("+{n}")).unwrap_or_default(),
        crate::spatial::store::fnv1a(&parsed.hash_input) & 0xffff_ffff
    );
    Ok(RuleSet::new(rules, courts, parsed.sources, version))
}

/// The files as parsed, before anything is resolved.
struct Parsed {
    sources: BTreeMap<String, Source>,
    /// `(path, text, file)` of `courts.yaml`.
    courts: Option<(String, String, raw::RawCourtsFile)>,
    /// `(path, text, file)` of every rule file (the scenario's rules last).
    rule_files: Vec<(String, String, RawRulesFile)>,
    /// The bytes the rule-set version hashes: file names and texts.
    hash_input: Vec<u8>,
}

/// Stage 1: every file parsed by its name (`sources.yaml`, `courts.yaml`, else a rule file).
fn parse_files(files: &RuleFiles, diags: &mut Vec<Diagnostic>) -> Parsed {
    let mut p = Parsed {
        sources: BTreeMap::new(),
        courts: None,
        rule_files: Vec::new(),
        hash_input: Vec::new(),
    };
    for (path, text) in &files.files {
        p.hash_input
            .extend_from_slice(path.rsplit('/').next().unwrap_or(path).as_bytes());
        p.hash_input.extend_from_slice(text.as_bytes());
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        if name == "sources.yaml" {
            if let Some(mut f) = parse_yaml::<raw::RawSourcesFile>(path, text, diags) {
                set_positions(path, text, "sources", &mut f.sources, |s| &mut s.pos);
                check_version(path, f.schema_version, diags);
                add_sources(path, text, f, &mut p.sources, diags);
            }
        } else if name == "courts.yaml" {
            if let Some(mut f) = parse_yaml::<raw::RawCourtsFile>(path, text, diags) {
                set_positions(path, text, "courts", &mut f.courts, |c| &mut c.pos);
                check_version(path, f.schema_version, diags);
                p.courts = Some((path.clone(), text.clone(), f));
            }
        } else if let Some(mut f) = parse_yaml::<RawRulesFile>(path, text, diags) {
            set_positions(path, text, "rules", &mut f.rules, |r| &mut r.pos);
            check_version(path, f.schema_version, diags);
            p.rule_files.push((path.clone(), text.clone(), f));
        }
    }
    p
}

fn add_sources(
    path: &str,
    text: &str,
    f: raw::RawSourcesFile,
    sources: &mut BTreeMap<String, Source>,
    diags: &mut Vec<Diagnostic>,
) {
    for s in f.sources {
        if sources.contains_key(&s.key) {
            let mut cx = Ctx {
                file: path,
                text,
                at: s.pos,
                diags,
            };
            cx.err(None, format!("duplicate source key `{}`", s.key));
        }
        sources.insert(
            s.key.clone(),
            Source {
                key: s.key,
                title: s.title,
                issuer: s.issuer,
                number: s.number,
                date: s.date,
                url: s.url,
                urls: s.urls,
                read_in: s.read_in,
                kind: s.kind,
                note: s.note,
            },
        );
    }
}

/// What a scenario changes beyond its added files.
struct Patch {
    /// Rules to stop, with the day they stop.
    retire: Vec<(String, crate::model::Date)>,
    /// The scenario's id (part of the rule-set version).
    name: Option<String>,
}

/// Stage 2: the scenario patch: its courts replace or join the registry, its rules join as a
/// file of their own (starting on the scenario date unless they say otherwise), and the
/// rules it retires are noted for the compile stage.
fn apply_scenario(files: &RuleFiles, p: &mut Parsed, diags: &mut Vec<Diagnostic>) -> Patch {
    let mut patch = Patch {
        retire: Vec::new(),
        name: None,
    };
    let Some((spath, stext)) = &files.scenario else {
        return patch;
    };
    p.hash_input.extend_from_slice(stext.as_bytes());
    let Some(mut sc) = parse_yaml::<raw::RawScenarioFile>(spath, stext, diags) else {
        return patch;
    };
    // The scenario's rules are diagnosed in the scenario file; its courts join the registry
    // of `courts.yaml`, where they have no line, so they keep no position.
    set_positions(spath, stext, "rules", &mut sc.rules, |r| &mut r.pos);
    check_version(spath, sc.schema_version, diags);
    patch.name = Some(sc.scenario.clone());
    if let Some((_, _, cf)) = p.courts.as_mut() {
        for c in sc.courts {
            match cf.courts.iter_mut().find(|x| x.id == c.id) {
                Some(slot) => *slot = c,
                None => cf.courts.push(c),
            }
        }
    }
    patch.retire = sc
        .retire
        .into_iter()
        .map(|id| (id, sc.effective_from))
        .collect();
    let rules = sc
        .rules
        .into_iter()
        .map(|mut r| {
            if r.valid_from.is_none() {
                r.valid_from = Some(sc.effective_from);
            }
            r
        })
        .collect();
    p.rule_files.push((
        spath.clone(),
        stext.clone(),
        RawRulesFile {
            schema_version: sc.schema_version,
            jurisdiction: "national".to_string(),
            revised: sc.effective_from,
            description: sc.description,
            rules,
        },
    ));
    patch
}

/// Stage 3b: every rule of every file compiled against the courts and the geodata; returns
/// the rules and, per id, the file that defines it.
fn compile_rules(
    p: &Parsed,
    courts: &Courts,
    geo: &Geodata,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Rule>, HashMap<String, String>) {
    let mut rules = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (path, text, f) in &p.rule_files {
        let jurisdiction = f.jurisdiction.clone();
        if jurisdiction != "national"
            && geo
                .codes()
                .get(&jurisdiction)
                .is_none_or(|a| a.level != AreaLevel::Province)
        {
            diags.push(Diagnostic::plain(
                path,
                format!("`jurisdiction: {jurisdiction}` is neither `national` nor a province code"),
            ));
            continue;
        }
        for r in &f.rules {
            let mut cx = Ctx {
                file: path,
                text,
                at: r.pos,
                diags,
            };
            if let Some(prev) = seen.get(&r.id) {
                cx.err(
                    None,
                    format!("rule `{}`: duplicate id (also in `{prev}`)", r.id),
                );
                continue;
            }
            seen.insert(r.id.clone(), path.clone());
            if let Some(rule) = build_rule(r, &jurisdiction, courts, &p.sources, geo, &mut cx) {
                rules.push(rule);
            }
        }
    }
    (rules, seen)
}

/// Stage 3c: `alternative_to` and `concurrent_with` name existing rules.
fn check_references(
    rules: &[Rule],
    rule_files: &[(String, String, RawRulesFile)],
    diags: &mut Vec<Diagnostic>,
) {
    let ids: HashSet<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    for r in rules {
        for other in r.alternative_to().iter().chain(r.concurrent_with.iter()) {
            if ids.contains(other.as_str()) {
                continue;
            }
            let file = rule_files.iter().find(|f| f.0 == r.file);
            let text = file.map_or("", |f| f.1.as_str());
            // The first rule of that id in its file is the one compiled (a duplicate is not).
            let at = file
                .and_then(|f| f.2.rules.iter().find(|x| x.id == r.id))
                .and_then(|x| x.pos);
            let mut cx = Ctx {
                file: &r.file,
                text,
                at,
                diags,
            };
            cx.err(
                Some(other.as_str()),
                format!(
                    "rule `{}`: unknown rule `{other}`{}",
                    r.id,
                    hint(other, ids.iter().copied())
                ),
            );
        }
    }
}

/// Stage 3d: the scenario's retired rules stop on its date.
fn retire_rules(
    rules: &mut [Rule],
    retire: &[(String, crate::model::Date)],
    seen: &HashMap<String, String>,
    scenario_path: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for (id, from) in retire {
        match rules.iter_mut().find(|r| &r.id == id) {
            None => diags.push(Diagnostic::plain(
                scenario_path,
                format!("`retire`: unknown rule `{id}`{}", hint(id, ids_owned(seen))),
            )),
            Some(r) => {
                if r.valid.from.is_some_and(|f| f >= *from) {
                    diags.push(Diagnostic::plain(
                        scenario_path,
                        format!("`retire`: rule `{id}` starts on or after the scenario date {from}; retiring it would leave nothing"),
                    ));
                } else if r.valid.to.is_none_or(|t| t > *from) {
                    r.valid.to = Some(*from);
                }
            }
        }
    }
}

fn ids_owned(seen: &HashMap<String, String>) -> impl Iterator<Item = &str> {
    seen.keys().map(String::as_str)
}

fn check_version(path: &str, v: u32, diags: &mut Vec<Diagnostic>) {
    if v != raw::SCHEMA_VERSION {
        diags.push(Diagnostic::plain(
            path,
            format!(
                "unsupported `schema_version: {v}` (this build reads version {})",
                raw::SCHEMA_VERSION
            ),
        ));
    }
}

fn check_sources(
    id: &str,
    keys: &[String],
    sources: &BTreeMap<String, Source>,
    cx: &mut Ctx<'_>,
    what: &str,
) {
    if keys.is_empty() {
        cx.err(
            None,
            format!("{what} `{id}`: no sources (every {what} must cite its legal basis)"),
        );
    }
    for k in keys {
        if !sources.contains_key(k) {
            cx.err(
                Some(k.as_str()),
                format!(
                    "{what} `{id}`: unknown source `{k}`{}",
                    hint(k, sources.keys().map(String::as_str))
                ),
            );
        }
    }
}

fn build_courts(
    path: &str,
    text: &str,
    f: raw::RawCourtsFile,
    sources: &BTreeMap<String, Source>,
    geo: &Geodata,
    diags: &mut Vec<Diagnostic>,
) -> Courts {
    let ids: HashSet<String> = f.courts.iter().map(|c| c.id.clone()).collect();
    let mut list = Vec::with_capacity(f.courts.len());
    let mut seen = HashSet::new();
    for c in f.courts {
        let mut cx = Ctx {
            file: path,
            text,
            at: c.pos,
            diags,
        };
        if !seen.insert(c.id.clone()) {
            cx.err(None, format!("court `{}`: duplicate id", c.id));
            continue;
        }
        let level = match c.level.as_str() {
            "basic" => CourtLevel::Basic,
            "intermediate" => CourtLevel::Intermediate,
            "high" => CourtLevel::High,
            "supreme" => CourtLevel::Supreme,
            other => {
                cx.err(
                    Some("level:"),
                    format!("court `{}`: unknown level `{other}`", c.id),
                );
                continue;
            }
        };
        if let Some(a) = &c.appeal
            && !ids.contains(a)
        {
            cx.err(
                Some("appeal:"),
                format!(
                    "court `{}`: unknown appeal court `{a}`{}",
                    c.id,
                    hint(a, ids.iter().map(String::as_str))
                ),
            );
        }
        if let Some(u) = &c.seat_unit
            && geo.codes().get(u).is_none()
        {
            cx.err(
                Some("seat_unit:"),
                format!("court `{}`: unknown seat unit `{u}`", c.id),
            );
        }
        let valid = Validity::new(c.valid_from, c.valid_to);
        if valid.is_empty() {
            cx.err(
                Some("valid_to:"),
                format!(
                    "court `{}`: `valid_to` {} is not after `valid_from` {}",
                    c.id,
                    c.valid_to.map(|d| d.to_string()).unwrap_or_default(),
                    c.valid_from.map(|d| d.to_string()).unwrap_or_default()
                ),
            );
        }
        check_sources(&c.id, &c.sources, sources, &mut cx, "court");
        list.push(Court {
            id: c.id,
            name_zh: c.name_zh,
            name_en: c.name_en,
            level,
            special: c.special,
            province: c.province,
            seat_unit: c.seat_unit,
            seat_at: c.seat_at,
            serves: c.serves,
            appeal: c.appeal,
            tribunals: c
                .tribunals
                .into_iter()
                .map(|t| Tribunal {
                    id: t.id,
                    name_zh: t.name_zh,
                    name_en: t.name_en,
                    valid: Validity::new(t.from, t.to),
                })
                .collect(),
            valid,
            confidence: c.confidence,
            sources: c.sources,
            note: c.note,
        });
    }
    Courts::new(list, Some(f.revised))
}

fn resolve_territory(
    id: &str,
    t: Option<&raw::RawTerritory>,
    jurisdiction: &str,
    geo: &Geodata,
    cx: &mut Ctx<'_>,
) -> Territory {
    let n = geo.units().len();
    let mut units = vec![false; n];
    let mut features: Vec<String> = Vec::new();
    let Some(t) = t else {
        if jurisdiction == "national" {
            units.iter_mut().for_each(|u| *u = true);
            features = geo.features().iter().map(|f| f.id.clone()).collect();
        } else {
            for (i, u) in geo.units().iter().enumerate() {
                if u.province_adcode == jurisdiction
                    && let Some(slot) = units.get_mut(i)
                {
                    *slot = true;
                }
            }
        }
        return Territory {
            units,
            features,
            include: vec![if jurisdiction == "national" {
                "everywhere".to_string()
            } else {
                jurisdiction.to_string()
            }],
            exclude: Vec::new(),
        };
    };
    let apply = |code: &str,
                 on: bool,
                 units: &mut Vec<bool>,
                 features: &mut Vec<String>,
                 cx: &mut Ctx<'_>| {
        if geo.feature(code).is_some() {
            if on {
                if !features.iter().any(|f| f == code) {
                    features.push(code.to_string());
                }
            } else {
                features.retain(|f| f != code);
            }
            return;
        }
        match geo.codes().get(code) {
            Some(a) if a.level != AreaLevel::Town => {
                let mut any = false;
                for (i, u) in geo.units().iter().enumerate() {
                    if (u.adcode == code || u.city_adcode == code || u.province_adcode == code)
                        && let Some(slot) = units.get_mut(i)
                    {
                        *slot = on;
                        any = true;
                    }
                }
                if !any {
                    cx.err(Some(code), format!("rule `{id}`: territory code `{code}` {} has no county-level unit in the geodata", a.name));
                }
            }
            _ => {
                let feature_ids: Vec<&str> = geo.features().iter().map(|f| f.id.as_str()).collect();
                let near = geo.codes().nearest_codes(code, 1);
                let h = match did_you_mean(code, feature_ids.iter().copied()) {
                    Some(f) => format!(" (did you mean `{f}`?)"),
                    None => near
                        .first()
                        .filter(|a| crate::diagnostics::levenshtein(code, &a.code) <= 2)
                        .map(|a| format!(" (did you mean `{}` {}?)", a.code, a.name))
                        .unwrap_or_default(),
                };
                cx.err(
                    Some(code),
                    format!("rule `{id}`: unknown unit code or feature `{code}`{h}"),
                );
            }
        }
    };
    for c in &t.include {
        apply(c, true, &mut units, &mut features, cx);
    }
    for c in &t.exclude {
        apply(c, false, &mut units, &mut features, cx);
    }
    Territory {
        units,
        features,
        include: t.include.clone(),
        exclude: t.exclude.clone(),
    }
}

fn build_rule(
    r: &raw::RawRule,
    jurisdiction: &str,
    courts: &Courts,
    sources: &BTreeMap<String, Source>,
    geo: &Geodata,
    cx: &mut Ctx<'_>,
) -> Option<Rule> {
    let id = r.id.as_str();
    let before = cx.diags.len();
    check_sources(id, &r.sources, sources, cx, "rule");
    if r.legal_basis.trim().is_empty() {
        cx.err(None, format!("rule `{id}`: empty `legal_basis`"));
    }
    let valid = Validity::new(r.valid_from, r.valid_to);
    if let (Some(a), Some(b)) = (r.valid_from, r.valid_to)
        && valid.is_empty()
    {
        cx.err(
            Some("valid_to:"),
            format!("rule `{id}`: `valid_to` {b} is not after `valid_from` {a}"),
        );
    }
    let territory = resolve_territory(id, r.territory.as_ref(), jurisdiction, geo, cx);
    let body = build_body(r, valid, courts, cx);
    if cx.diags.len() > before {
        return None;
    }
    let line = r.pos.map_or(0, |p| p.0);
    Some(Rule {
        id: r.id.clone(),
        summary: std::sync::Arc::new(Text::new(r.summary.en.clone(), r.summary.zh.clone())),
        kinds: r.kinds.clone().unwrap_or_default(),
        levels: r.levels.clone().unwrap_or_default(),
        territory,
        when: r.when.clone().unwrap_or_default(),
        body: body?,
        priority: r.priority,
        valid,
        confidence: r.confidence,
        legal_basis: r.legal_basis.clone(),
        sources: r.sources.clone(),
        source_refs: std::sync::Arc::from(Vec::new()),
        note: r.note.clone(),
        concurrent_with: r.concurrent_with.clone().unwrap_or_default(),
        jurisdiction: jurisdiction.to_string(),
        file: cx.file.to_string(),
        line,
    })
}

/// The stage's body from the file form: each stage takes its own fields and refuses the
/// others, so a compiled rule never carries a field its stage ignores.
fn build_body(
    r: &raw::RawRule,
    valid: Validity,
    courts: &Courts,
    cx: &mut Ctx<'_>,
) -> Option<Body> {
    let id = r.id.as_str();
    let text = |t: &raw::RawText| Text::new(t.en.clone(), t.zh.clone());
    let refuse = |cx: &mut Ctx<'_>, present: bool, field: &str, stages: &str| {
        if present {
            cx.err(
                Some(&format!("{field}:")),
                format!("rule `{id}`: only {stages} rules take `{field}`"),
            );
        }
    };
    let alternative = r.status == raw::RuleStatus::Alternative;
    if r.stage != Stage::Venue {
        refuse(cx, r.assign.is_some(), "assign", "venue");
        refuse(cx, alternative, "status", "venue");
        refuse(cx, r.alternative_to.is_some(), "alternative_to", "venue");
    }
    if r.stage != Stage::Scope {
        refuse(cx, r.roles.is_some(), "roles", "scope");
        refuse(
            cx,
            r.subsidiary_roles.is_some(),
            "subsidiary_roles",
            "scope",
        );
        refuse(cx, r.level.is_some(), "level", "scope");
    }
    if !matches!(r.stage, Stage::Advisory | Stage::Relation) {
        refuse(cx, r.warning.is_some(), "warning", "advisory and relation");
    }
    if r.stage != Stage::Relation {
        refuse(cx, r.applies_to.is_some(), "applies_to", "relation");
    }
    match r.stage {
        Stage::Scope => {
            if r.roles.is_none() && r.level.is_none() {
                cx.err(
                    None,
                    format!("rule `{id}`: a scope rule needs `roles` or `level`"),
                );
            }
            Some(Body::Scope(Scope {
                roles: r.roles.clone().unwrap_or_default(),
                subsidiary_roles: r.subsidiary_roles.clone().unwrap_or_default(),
                level: r.level,
            }))
        }
        Stage::Venue => {
            let Some(raw_assign) = &r.assign else {
                cx.err(None, format!("rule `{id}`: a venue rule needs `assign`"));
                return None;
            };
            let assign = build_assign(id, raw_assign, valid, courts, cx);
            if !alternative {
                refuse(
                    cx,
                    r.alternative_to.is_some(),
                    "alternative_to",
                    "alternative venue",
                );
                return Some(Body::Venue(assign));
            }
            let to = r.alternative_to.clone().unwrap_or_default();
            if to.is_empty() {
                cx.err(
                    None,
                    format!("rule `{id}`: an alternative rule needs `alternative_to`"),
                );
            }
            Some(Body::Alternative { assign, to })
        }
        Stage::Advisory | Stage::Relation => {
            let Some(w) = &r.warning else {
                cx.err(
                    None,
                    format!("rule `{id}`: an advisory or relation rule needs `warning`"),
                );
                return None;
            };
            if r.stage == Stage::Advisory {
                return Some(Body::Advisory { warning: text(w) });
            }
            let applies_to = r.applies_to.clone().unwrap_or_default();
            if applies_to.is_empty() {
                cx.err(
                    None,
                    format!("rule `{id}`: a relation rule needs `applies_to`"),
                );
            }
            Some(Body::Relation {
                applies_to,
                explanation: text(w),
            })
        }
    }
}

/// A venue rule's assignment: a named court (which must exist, with the named tribunal, for
/// the whole time the rule runs) or the court of the place's unit at a level.
fn build_assign(
    id: &str,
    a: &raw::RawAssign,
    valid: Validity,
    courts: &Courts,
    cx: &mut Ctx<'_>,
) -> Assign {
    let court = match (&a.court, a.court_of_unit) {
        (Some(c), None) => {
            match courts.get(c) {
                None => cx.err(
                    Some(c.as_str()),
                    format!(
                        "rule `{id}`: unknown court `{c}`{}",
                        hint(c, courts.all().iter().map(|c| c.id.as_str()))
                    ),
                ),
                Some(court) => {
                    if let Some(t) = &a.tribunal
                        && court.tribunal(t).is_none()
                    {
                        cx.err(
                            Some(t.as_str()),
                            format!(
                                "rule `{id}`: court `{c}` has no tribunal `{t}`{}",
                                hint(t, court.tribunals.iter().map(|t| t.id.as_str()))
                            ),
                        );
                    }
                    // A court used outside its own validity dates.
                    if !court.valid.covers(valid) {
                        cx.err(
                            Some(c.as_str()),
                            format!(
                                "rule `{id}`: court `{c}` exists only {} but the rule runs {valid}",
                                court.valid
                            ),
                        );
                    }
                }
            }
            CourtPick::Named(c.clone())
        }
        (None, Some(p)) => {
            if a.tribunal.is_some() {
                cx.err(
                    Some("tribunal:"),
                    format!("rule `{id}`: a tribunal needs a named `court`"),
                );
            }
            CourtPick::OfUnit(p)
        }
        _ => {
            cx.err(
                Some("assign:"),
                format!("rule `{id}`: `assign` needs exactly one of `court` or `court_of_unit`"),
            );
            CourtPick::OfUnit(raw::UnitCourt::Basic)
        }
    };
    if let Some(ap) = &a.appeal
        && courts.get(ap).is_none()
    {
        cx.err(
            Some(ap.as_str()),
            format!(
                "rule `{id}`: unknown appeal court `{ap}`{}",
                hint(ap, courts.all().iter().map(|c| c.id.as_str()))
            ),
        );
    }
    Assign {
        court,
        tribunal: a.tribunal.clone(),
        appeal: a.appeal.clone(),
        appeal_of_unit: a.appeal_of_unit,
    }
}
