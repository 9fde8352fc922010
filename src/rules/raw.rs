//! The serde mirror of the rule, court and source files (`deny_unknown_fields` everywhere).
//! With `crate::input`, the only place that knows about YAML.
//!
//! Format version: `schema_version: 1`. A future version 2 is read through an explicit
//! upgrade function here, never by loosening these structs.

use serde::Deserialize;

use crate::model::{
    AdminSubject, AgencyLevel, CaseKind, Confidence, Date, Investigator, Level, MaxPenalty,
    Plaintiff, Role,
};

/// The current format version of every file.
pub const SCHEMA_VERSION: u32 = 1;

/// A text in both languages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawText {
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

/// `sources.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSourcesFile {
    /// Format version.
    pub schema_version: u32,
    /// The sources.
    pub sources: Vec<RawSource>,
}

/// One legal source. `ecojuris validate` reports a source without a title or a date, and a
/// `url` or `urls` entry that is not an `http(s)://` URL.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// Key, as in `docs/legal-facts.md` (`LRB-CPL2023`, `JS-NOTICE-2019-02`, …).
    pub key: String,
    /// Where this item starts in its file (1-based line and column), set by the loader
    /// from the document's structure ([`crate::input::doc::list_items`]); not read.
    #[serde(skip)]
    pub pos: Option<(usize, usize)>,
    /// Title: the document's own title, or a title in square brackets supplied by the project
    /// where the page's headline was not recorded.
    pub title: String,
    /// Issuing body or publisher.
    pub issuer: Option<String>,
    /// Document number (`法释〔2015〕1号`, `法发〔2021〕27号`), where there is one.
    pub number: Option<String>,
    /// Date of the document: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when only that is known.
    pub date: Option<String>,
    /// The official URL (issuer's or a government site), where one exists.
    pub url: Option<String>,
    /// Further URLs: press copies and mirrors, second to `url`.
    #[serde(default)]
    pub urls: Vec<String>,
    /// Where the compilers read the text when it is not at `url` (for example a file of a
    /// public repository at a commit).
    pub read_in: Option<String>,
    /// `law`, `interpretation`, `notice`, `press`, `report`, `data`, `directory`.
    pub kind: String,
    /// A note (what the source supports, caveats).
    pub note: Option<String>,
}

/// `courts.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCourtsFile {
    /// Format version.
    pub schema_version: u32,
    /// When last revised.
    pub revised: Date,
    /// The courts.
    pub courts: Vec<RawCourt>,
}

/// One court.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCourt {
    /// Id.
    pub id: String,
    /// Where this item starts in its file (1-based line and column), set by the loader
    /// from the document's structure ([`crate::input::doc::list_items`]); not read.
    #[serde(skip)]
    pub pos: Option<(usize, usize)>,
    /// Official Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// `basic`, `intermediate`, `high`, `supreme`.
    pub level: String,
    /// `railway`, `maritime`, `development_zone` or none.
    pub special: Option<String>,
    /// Province code.
    pub province: String,
    /// Seat unit code.
    pub seat_unit: Option<String>,
    /// Seat point.
    pub seat_at: Option<[f64; 2]>,
    /// Whether the seat point is only a point in the seat unit.
    pub seat_at_approximate: Option<bool>,
    /// Units (basic) or cities/districts (intermediate) it is the ordinary court of.
    #[serde(default)]
    pub serves: Vec<String>,
    /// Ordinary appeal court id.
    pub appeal: Option<String>,
    /// Internal tribunals.
    #[serde(default)]
    pub tribunals: Vec<RawTribunal>,
    /// Created on.
    pub valid_from: Option<Date>,
    /// Abolished on (exclusive).
    pub valid_to: Option<Date>,
    /// Confidence.
    pub confidence: Confidence,
    /// Source keys.
    #[serde(default)]
    pub sources: Vec<String>,
    /// Note.
    pub note: Option<String>,
}

/// An internal tribunal.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTribunal {
    /// Id.
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// From.
    pub from: Option<Date>,
    /// To (exclusive).
    pub to: Option<Date>,
}

/// A rule file (`national.yaml`, `<province>.yaml`, or a scenario).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRulesFile {
    /// Format version.
    pub schema_version: u32,
    /// `national` or a province code.
    pub jurisdiction: String,
    /// When last revised.
    pub revised: Date,
    /// Free text about the file.
    pub description: Option<String>,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<RawRule>,
}

/// The stage a rule acts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Which place roles connect, and at which level.
    Scope,
    /// Which court hears a place at a level.
    Venue,
    /// A warning only.
    Advisory,
    /// How several competent courts relate (who chooses, who keeps the case).
    Relation,
}

/// A relation between several competent courts, as named by relation rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationApplies {
    /// Several courts in one province.
    Concurrent,
    /// Courts in different provinces.
    CrossProvince,
}

/// Whether a rule is the baseline or an alternative reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    /// Part of the answer.
    #[default]
    Baseline,
    /// An alternative reading: never the answer, reported as a warning when it differs.
    Alternative,
}

/// A territory: unions and exclusions of codes and feature ids.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawTerritory {
    /// Province, city or county codes, or feature ids.
    #[serde(default)]
    pub include: Vec<String>,
    /// Codes or feature ids taken out again.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// Conditions on case attributes (all must hold). Used as is by the compiled rules.
#[derive(Debug, Clone, Deserialize, Default, PartialEq, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawWhen {
    /// Marine case (ship source, or a place at sea).
    pub marine: Option<bool>,
    /// Ship-source pollution.
    pub ship_source: Option<bool>,
    /// Investigating body.
    pub investigated_by: Option<Vec<Investigator>>,
    /// Plaintiff.
    pub brought_by: Option<Vec<Plaintiff>>,
    /// Defendant agency level.
    pub agency_level: Option<Vec<AgencyLevel>>,
    /// Administrative subject.
    pub admin_subject: Option<Vec<AdminSubject>>,
    /// Maximum penalty.
    pub max_penalty: Option<Vec<MaxPenalty>>,
    /// Claim at least this many CNY.
    pub claim_at_least_cny: Option<f64>,
    /// Parties cross-province.
    pub parties_cross_province: Option<bool>,
    /// The case names an incident (`incident_id`): advisories on related suits.
    pub incident: Option<bool>,
}

/// Court pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitCourt {
    /// The ordinary basic court of the place's unit.
    Basic,
    /// The ordinary intermediate court of the place's unit.
    Intermediate,
}

/// Appeal pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealPattern {
    /// The appeal court of the place's own ordinary basic court (e.g. Shanghai's general
    /// administrative centralization: appeals follow the original routes).
    Territorial,
}

/// What a venue rule assigns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAssign {
    /// A named court.
    pub court: Option<String>,
    /// A pattern.
    pub court_of_unit: Option<UnitCourt>,
    /// A tribunal of the court.
    pub tribunal: Option<String>,
    /// The appeal court, when it differs from the court's ordinary appeal court.
    pub appeal: Option<String>,
    /// An appeal pattern.
    pub appeal_of_unit: Option<AppealPattern>,
}

/// One rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRule {
    /// Stable id, never reused.
    pub id: String,
    /// Where this item starts in its file (1-based line and column), set by the loader
    /// from the document's structure ([`crate::input::doc::list_items`]); not read.
    #[serde(skip)]
    pub pos: Option<(usize, usize)>,
    /// Stage.
    pub stage: Stage,
    /// Summary.
    pub summary: RawText,
    /// Case kinds (all when omitted).
    pub kinds: Option<Vec<CaseKind>>,
    /// Levels (venue/advisory; all when omitted).
    pub levels: Option<Vec<Level>>,
    /// Territory (the file's jurisdiction when omitted).
    pub territory: Option<RawTerritory>,
    /// Conditions.
    pub when: Option<RawWhen>,
    /// Scope: connecting roles.
    pub roles: Option<Vec<Role>>,
    /// Scope: roles that connect only "if more suitable".
    pub subsidiary_roles: Option<Vec<Role>>,
    /// Scope: the level.
    pub level: Option<Level>,
    /// Venue: the court.
    pub assign: Option<RawAssign>,
    /// Advisory: the warning; relation: the explanation.
    pub warning: Option<RawText>,
    /// Relation: which relations the rule governs.
    pub applies_to: Option<Vec<RelationApplies>>,
    /// Baseline or alternative.
    #[serde(default)]
    pub status: RuleStatus,
    /// For an alternative: the baseline rules it is an alternative to.
    pub alternative_to: Option<Vec<String>>,
    /// Higher wins within a stage.
    pub priority: i32,
    /// In force from (inclusive).
    pub valid_from: Option<Date>,
    /// In force until (exclusive).
    pub valid_to: Option<Date>,
    /// Confidence.
    pub confidence: Confidence,
    /// The legal basis in words (article numbers).
    pub legal_basis: String,
    /// Source keys.
    pub sources: Vec<String>,
    /// Note.
    pub note: Option<String>,
    /// Rules this one is deliberately concurrent with (same place, same level, different
    /// courts, both competent).
    pub concurrent_with: Option<Vec<String>>,
}

/// A scenario: a dated patch over the baseline rule set (`jurisdiction-rules/scenarios/*.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenarioFile {
    /// Format version.
    pub schema_version: u32,
    /// Scenario id.
    pub scenario: String,
    /// Title.
    pub title: RawText,
    /// What the reform does and why.
    pub description: Option<String>,
    /// When the reform takes effect: retired rules stop, new rules start (unless they say
    /// otherwise).
    pub effective_from: Date,
    /// Baseline rules that stop on `effective_from`.
    #[serde(default)]
    pub retire: Vec<String>,
    /// Hypothetical or changed courts (same schema as `courts.yaml`; an existing id replaces
    /// that court).
    #[serde(default)]
    pub courts: Vec<RawCourt>,
    /// New rules (same schema as rule files; territories are explicit).
    #[serde(default)]
    pub rules: Vec<RawRule>,
}
