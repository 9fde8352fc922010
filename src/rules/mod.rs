//! The rule set: courts, legal sources and dated, cited allocation rules, loaded from
//! `jurisdiction-rules/` (embedded by default) and validated against the geodata.
//!
//! Loading is the only stage that can fail, and it reports every problem it finds, not only
//! the first. After loading, every id is resolved.

pub mod load;
pub mod raw;
pub mod select;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::model::{CaseKind, Confidence, CourtRef, Date, Level, Role, SourceRef, Text, Validity};

pub use load::{Diagnostic, LoadError, RuleFiles};
pub use raw::{AppealPattern, RelationApplies, RuleStatus, Stage, UnitCourt};

/// The level of a court in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CourtLevel {
    /// Basic people's court.
    Basic,
    /// Intermediate people's court (maritime courts too).
    Intermediate,
    /// High people's court.
    High,
    /// Supreme People's Court.
    Supreme,
}

impl CourtLevel {
    /// Lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            CourtLevel::Basic => "basic",
            CourtLevel::Intermediate => "intermediate",
            CourtLevel::High => "high",
            CourtLevel::Supreme => "supreme",
        }
    }
}

/// An internal tribunal.
#[derive(Debug, Clone, PartialEq)]
pub struct Tribunal {
    /// Id.
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// When the tribunal sits (its `from` and `to` in `courts.yaml`).
    pub valid: Validity,
}

impl serde::Serialize for Tribunal {
    /// The registry's JSON form: `id`, `name_zh`, `name_en`, `from`, `to`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut st = s.serialize_struct("Tribunal", 5)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("name_zh", &self.name_zh)?;
        st.serialize_field("name_en", &self.name_en)?;
        st.serialize_field("from", &self.valid.from)?;
        st.serialize_field("to", &self.valid.to)?;
        st.end()
    }
}

/// A court of the registry.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Court {
    /// Id.
    pub id: String,
    /// Official Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// Level.
    pub level: CourtLevel,
    /// `railway`, `maritime`, `development_zone`.
    pub special: Option<String>,
    /// Province code.
    pub province: String,
    /// Seat unit.
    pub seat_unit: Option<String>,
    /// Seat point (approximate).
    pub seat_at: Option<[f64; 2]>,
    /// Ordinary territory.
    pub serves: Vec<String>,
    /// Ordinary appeal court.
    pub appeal: Option<String>,
    /// Tribunals.
    pub tribunals: Vec<Tribunal>,
    /// Created (`valid_from`) and abolished (`valid_to`, exclusive).
    #[serde(flatten)]
    pub valid: Validity,
    /// Confidence.
    pub confidence: Confidence,
    /// Source keys.
    pub sources: Vec<String>,
    /// Note.
    pub note: Option<String>,
}

impl Court {
    /// Whether the court exists on `d`.
    pub fn exists_on(&self, d: Date) -> bool {
        self.valid.contains(d)
    }

    /// A tribunal by id.
    pub fn tribunal(&self, id: &str) -> Option<&Tribunal> {
        self.tribunals.iter().find(|t| t.id == id)
    }

    /// The court as decisions name it.
    pub fn reference(&self) -> CourtRef {
        CourtRef {
            id: self.id.clone(),
            name_zh: self.name_zh.clone(),
            name_en: self.name_en.clone(),
            level: self.level.name().to_string(),
        }
    }

    /// Every date at which the court or one of its tribunals starts or ends.
    pub fn boundary_dates(&self) -> impl Iterator<Item = Date> + '_ {
        self.valid
            .bounds()
            .chain(self.tribunals.iter().flat_map(|t| t.valid.bounds()))
    }
}

/// The court registry.
#[derive(Debug, Clone, Default)]
pub struct Courts {
    list: Vec<Court>,
    by_id: HashMap<String, usize>,
    basic_of: HashMap<String, usize>,
    inter_of: HashMap<String, usize>,
    /// `revised` date of courts.yaml.
    pub revised: Option<Date>,
}

impl Courts {
    /// Builds the registry and its lookups.
    pub fn new(list: Vec<Court>, revised: Option<Date>) -> Courts {
        let mut c = Courts {
            revised,
            ..Courts::default()
        };
        for (i, court) in list.iter().enumerate() {
            c.by_id.insert(court.id.clone(), i);
            if court.special.is_none() {
                for s in &court.serves {
                    match court.level {
                        CourtLevel::Basic => {
                            c.basic_of.insert(s.clone(), i);
                        }
                        CourtLevel::Intermediate => {
                            c.inter_of.insert(s.clone(), i);
                        }
                        _ => {}
                    }
                }
            }
        }
        c.list = list;
        c
    }

    /// All courts in file order.
    pub fn all(&self) -> &[Court] {
        &self.list
    }

    /// A court by id.
    pub fn get(&self, id: &str) -> Option<&Court> {
        self.by_id.get(id).and_then(|&i| self.list.get(i))
    }

    /// The ordinary basic court of a county-level unit.
    pub fn basic_of(&self, unit: &str) -> Option<&Court> {
        self.basic_of.get(unit).and_then(|&i| self.list.get(i))
    }

    /// The ordinary intermediate court of a unit (looked up by unit, then by its city).
    pub fn intermediate_of(&self, unit: &str, city: &str) -> Option<&Court> {
        self.inter_of
            .get(unit)
            .or_else(|| self.inter_of.get(city))
            .and_then(|&i| self.list.get(i))
    }
}

/// A legal source.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Source {
    /// Key.
    pub key: String,
    /// Title.
    pub title: String,
    /// Issuing body or publisher.
    pub issuer: Option<String>,
    /// Document number, where there is one.
    pub number: Option<String>,
    /// Date of the document (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub date: Option<String>,
    /// The official URL.
    pub url: Option<String>,
    /// Further URLs (press copies, mirrors).
    pub urls: Vec<String>,
    /// Where the text was read when not at `url`.
    pub read_in: Option<String>,
    /// Kind of document.
    pub kind: String,
    /// Note.
    pub note: Option<String>,
}

/// Conditions on case attributes (the file form is already the compiled form).
pub type When = raw::RawWhen;

/// A resolved territory over the loaded geodata.
#[derive(Debug, Clone, PartialEq)]
pub struct Territory {
    /// Per unit index (geodata order): inside or not.
    pub units: Vec<bool>,
    /// Feature ids inside.
    pub features: Vec<String>,
    /// The codes and ids as written (for display).
    pub include: Vec<String>,
    /// Exclusions as written.
    pub exclude: Vec<String>,
}

impl Territory {
    /// Whether the unit with this index is inside.
    pub fn has_unit(&self, i: usize) -> bool {
        self.units.get(i).copied().unwrap_or(false)
    }

    /// Whether the feature is inside.
    pub fn has_feature(&self, id: &str) -> bool {
        self.features.iter().any(|f| f == id)
    }
}

/// What a venue rule assigns.
#[derive(Debug, Clone, PartialEq)]
pub enum CourtPick {
    /// A named court.
    Named(String),
    /// The ordinary court of the place's unit at this level.
    OfUnit(UnitCourt),
}

/// A venue assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Assign {
    /// The court.
    pub court: CourtPick,
    /// The tribunal.
    pub tribunal: Option<String>,
    /// The appeal court, when not the court's ordinary one.
    pub appeal: Option<String>,
    /// Appeal pattern.
    pub appeal_of_unit: Option<AppealPattern>,
}

/// What a scope rule says: which place roles connect a case to a court, and at which level.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// Roles whose places connect.
    pub roles: Vec<Role>,
    /// Roles that connect only "if more suitable" (subsidiary).
    pub subsidiary_roles: Vec<Role>,
    /// The level of first instance, when the rule fixes it.
    pub level: Option<Level>,
}

/// What a rule does, one body per stage: the fields a stage needs and no others, so a venue
/// rule always has an assignment and an advisory always has its warning.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Which roles connect, and the level.
    Scope(Scope),
    /// Which court hears a place at a level: part of the answer.
    Venue(Assign),
    /// An alternative reading of venue: never the answer, reported as a warning when it
    /// differs from the baseline rules it is an alternative to.
    Alternative {
        /// The court it would give.
        assign: Assign,
        /// The baseline rules it is an alternative to.
        to: Vec<String>,
    },
    /// A warning only.
    Advisory {
        /// The warning.
        warning: Text,
    },
    /// How several competent courts relate.
    Relation {
        /// The relations it governs.
        applies_to: Vec<RelationApplies>,
        /// The explanation.
        explanation: Text,
    },
}

/// A compiled rule: what every rule has (id, kinds, levels, territory, conditions, priority,
/// validity, provenance), and its stage's [`Body`].
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Id.
    pub id: String,
    /// Summary.
    pub summary: Arc<Text>,
    /// Kinds (empty = all).
    pub kinds: Vec<CaseKind>,
    /// Levels (empty = all).
    pub levels: Vec<Level>,
    /// Territory.
    pub territory: Territory,
    /// Conditions.
    pub when: When,
    /// What the rule does.
    pub body: Body,
    /// Priority.
    pub priority: i32,
    /// When the rule is in force.
    pub valid: Validity,
    /// Confidence.
    pub confidence: Confidence,
    /// Legal basis in words.
    pub legal_basis: String,
    /// Source keys.
    pub sources: Vec<String>,
    /// The sources, resolved (filled by [`RuleSet::new`]).
    pub source_refs: Arc<[SourceRef]>,
    /// Note.
    pub note: Option<String>,
    /// Declared concurrency.
    pub concurrent_with: Vec<String>,
    /// `national` or a province code.
    pub jurisdiction: String,
    /// File the rule came from.
    pub file: String,
    /// 1-based line of the rule in its file.
    pub line: usize,
}

impl Rule {
    /// Whether the rule is in force on `d`.
    pub fn in_force(&self, d: Date) -> bool {
        self.valid.contains(d)
    }

    /// Whether the rule covers `kind`.
    pub fn covers_kind(&self, kind: CaseKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    /// Whether the rule covers `level`.
    pub fn covers_level(&self, level: Level) -> bool {
        self.levels.is_empty() || self.levels.contains(&level)
    }

    /// The stage, as the rule files name it (an alternative is a venue rule).
    pub fn stage(&self) -> Stage {
        match self.body {
            Body::Scope(_) => Stage::Scope,
            Body::Venue(_) | Body::Alternative { .. } => Stage::Venue,
            Body::Advisory { .. } => Stage::Advisory,
            Body::Relation { .. } => Stage::Relation,
        }
    }

    /// Baseline or alternative.
    pub fn status(&self) -> RuleStatus {
        match self.body {
            Body::Alternative { .. } => RuleStatus::Alternative,
            _ => RuleStatus::Baseline,
        }
    }

    /// The scope body of a scope rule.
    pub fn scope(&self) -> Option<&Scope> {
        match &self.body {
            Body::Scope(s) => Some(s),
            _ => None,
        }
    }

    /// The assignment of a venue rule (baseline or alternative).
    pub fn assign(&self) -> Option<&Assign> {
        match &self.body {
            Body::Venue(a) | Body::Alternative { assign: a, .. } => Some(a),
            _ => None,
        }
    }

    /// The baseline rules an alternative is an alternative to (empty otherwise).
    pub fn alternative_to(&self) -> &[String] {
        match &self.body {
            Body::Alternative { to, .. } => to,
            _ => &[],
        }
    }

    /// The warning of an advisory or the explanation of a relation rule.
    pub fn warning(&self) -> Option<&Text> {
        match &self.body {
            Body::Advisory { warning } => Some(warning),
            Body::Relation { explanation, .. } => Some(explanation),
            _ => None,
        }
    }

    /// The relations a relation rule governs (empty otherwise).
    pub fn applies_to(&self) -> &[RelationApplies] {
        match &self.body {
            Body::Relation { applies_to, .. } => applies_to,
            _ => &[],
        }
    }
}

/// The loaded rule set.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// Rules in load order.
    pub rules: Vec<Rule>,
    /// Courts.
    pub courts: Courts,
    /// Sources by key.
    pub sources: BTreeMap<String, Source>,
    /// `newest revised date @ content hash`.
    pub version: String,
    /// Rule indices per case kind, sorted by descending priority then id.
    by_kind: HashMap<CaseKind, Vec<usize>>,
    /// Rule index by id.
    by_id: HashMap<String, usize>,
    /// Shared court references for decisions, by court id.
    court_refs: HashMap<String, Arc<CourtRef>>,
}

impl RuleSet {
    /// Builds the per-kind lookups.
    pub fn new(
        mut rules: Vec<Rule>,
        courts: Courts,
        sources: BTreeMap<String, Source>,
        version: String,
    ) -> RuleSet {
        for r in &mut rules {
            r.source_refs = resolve_sources(&sources, &r.sources).into();
        }
        let mut by_kind: HashMap<CaseKind, Vec<usize>> = HashMap::new();
        for &k in CaseKind::ALL {
            let mut ix: Vec<usize> = rules
                .iter()
                .enumerate()
                .filter(|(_, r)| r.covers_kind(k))
                .map(|(i, _)| i)
                .collect();
            ix.sort_by(|&a, &b| {
                let (ra, rb) = (&rules[a], &rules[b]);
                rb.priority.cmp(&ra.priority).then(ra.id.cmp(&rb.id))
            });
            by_kind.insert(k, ix);
        }
        let by_id = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let court_refs = courts
            .all()
            .iter()
            .map(|c| (c.id.clone(), Arc::new(c.reference())))
            .collect();
        RuleSet {
            rules,
            courts,
            sources,
            version,
            by_kind,
            by_id,
            court_refs,
        }
    }

    /// The shared reference to a court, as decisions name it.
    pub fn court_ref(&self, c: &Court) -> Arc<CourtRef> {
        self.court_refs
            .get(&c.id)
            .cloned()
            .unwrap_or_else(|| Arc::new(c.reference()))
    }

    /// Rules that cover `kind`, highest priority first.
    pub fn for_kind(&self, kind: CaseKind) -> impl Iterator<Item = &Rule> {
        self.by_kind
            .get(&kind)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .filter_map(|&i| self.rules.get(i))
    }

    /// A rule by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.by_id.get(id).and_then(|&i| self.rules.get(i))
    }
}

fn resolve_sources(sources: &BTreeMap<String, Source>, keys: &[String]) -> Vec<SourceRef> {
    keys.iter()
        .map(|k| match sources.get(k) {
            Some(s) => SourceRef {
                key: s.key.clone(),
                title: s.title.clone(),
                url: s.url.clone(),
            },
            None => SourceRef {
                key: k.clone(),
                title: String::new(),
                url: None,
            },
        })
        .collect()
}

impl RuleSet {
    /// Every date at which some rule or court starts or ends, sorted and deduplicated.
    pub fn boundary_dates(&self) -> Vec<Date> {
        let mut v: Vec<Date> = self
            .rules
            .iter()
            .flat_map(|r| r.valid.bounds())
            .chain(self.courts.all().iter().flat_map(|c| c.valid.bounds()))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The dates at which what routing sees changes: rule and court boundaries and tribunal
    /// openings and closings, sorted. Routing gives the same answer on any two dates between
    /// consecutive segment dates.
    pub fn segment_dates(&self) -> Vec<Date> {
        let mut v: Vec<Date> = self.boundary_dates();
        v.extend(self.courts.all().iter().flat_map(Court::boundary_dates));
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The earliest date any rule is in force.
    pub fn earliest(&self) -> Option<Date> {
        self.rules
            .iter()
            .filter(|r| r.stage() == Stage::Scope)
            .filter_map(|r| r.valid.from)
            .min()
    }
}
