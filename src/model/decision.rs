//! The routing result: every competent court with its grounds, the relation between them and
//! the warnings. This is the API boundary (and, serialized, the versioned JSON contract).

use std::sync::Arc;

use serde::Serialize;

use super::{CaseKind, Date, Level, Role};

/// A text in English and Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Text {
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

impl Text {
    /// A text from both languages.
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            zh: zh.into(),
        }
    }
}

/// How sure the facts behind a rule are (as marked in legal-facts.md), strongest first: the
/// order is meaningful (`max` is the weakest).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Seen in the cited source (an official document says so).
    Confirmed,
    /// Shown by real adjudicated cases (`jurisdiction-rules/evidence/`), no document found.
    Corroborated,
    /// Inferred or only partly supported.
    Uncertain,
}

/// A court as named in a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourtRef {
    /// Registry id (`basic-310118`, `sh-railway`, …).
    pub id: String,
    /// Official Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
    /// `basic`, `intermediate`, `high` or `supreme`.
    pub level: String,
}

/// An internal tribunal of a court.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TribunalRef {
    /// Id.
    pub id: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
}

/// A legal source cited by a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// Key (as in `jurisdiction-rules/sources.yaml`).
    pub key: String,
    /// Title of the document.
    pub title: String,
    /// Where to find it.
    pub url: Option<String>,
}

/// One reason why a court is competent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ground {
    /// The connecting factor (place role).
    pub factor: Role,
    /// Whether the factor only applies "if more suitable" (e.g. a criminal defendant's residence).
    pub subsidiary: bool,
    /// 1-based index of the place in the case.
    pub place: usize,
    /// The place as given (`[121.1, 31.1]`, `310118`, an address).
    pub place_text: String,
    /// The county-level unit of the place, if any.
    pub unit: Option<UnitBrief>,
    /// The water/sea feature that decided, if the place is at sea.
    pub feature: Option<String>,
    /// The level the place was routed at.
    pub level: Level,
    /// The rule that assigned the court.
    pub rule: String,
    /// Every rule that contributed (connecting factor, level, assignment), in that order.
    pub rules: Vec<String>,
    /// Summary of the assigning rule.
    pub summary: Arc<Text>,
    /// Sources of the assigning rule.
    pub sources: Arc<[SourceRef]>,
    /// Sources of the other contributing rules (connecting factor and level, in `rules`
    /// order), each once and not already in `sources`; absent when there are none.
    #[serde(skip_serializing_if = "basis_is_empty")]
    pub basis_sources: Vec<SourceRef>,
    /// The weakest confidence among the contributing rules (`confirmed`, `corroborated`,
    /// `uncertain`).
    pub confidence: Confidence,
    /// How many real adjudicated cases (`jurisdiction-rules/evidence/`) support the assigning
    /// rule: the rule gave the court that really tried them. Set by `ecojuris route` and the
    /// HTTP API; absent where it was not computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence_cases: Option<usize>,
    /// The development zone the place names (`苏州工业园区`, `320576`), routed as its host
    /// unit; absent when the place names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<ZoneRef>,
    /// The water inside the coast the place lies in (the Yangtze estuary) and the unit it is
    /// adjacent to; absent elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub water: Option<WaterRef>,
}

/// A development zone or functional area (`geodata/source/zones.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZoneRef {
    /// Stable id, e.g. `suzhou-sip`.
    pub id: String,
    /// Official Chinese name.
    pub name: String,
    /// English name.
    pub name_en: String,
    /// Codes of the county-level units it lies in.
    pub hosts: Vec<String>,
}

/// Water inside the coast (estuary) and the unit it is routed with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaterRef {
    /// The water feature id, e.g. `yangtze-estuary`.
    pub feature: String,
    /// Its name.
    pub name: String,
    /// The adjacent unit (the unit whose border is nearest).
    pub adjacent: Option<UnitBrief>,
}

/// A county-level unit, briefly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitBrief {
    /// Code.
    pub adcode: String,
    /// Chinese name.
    pub name: String,
}

/// A competent first-instance court.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Competent {
    /// The court.
    pub court: Arc<CourtRef>,
    /// The tribunal that hears the case, if the rule names one.
    pub tribunal: Option<Arc<TribunalRef>>,
    /// The appeal court.
    pub appeal_court: Option<Arc<CourtRef>>,
    /// The court seat (approximate: a point in its seat unit), for travel estimates.
    pub seat_at: Option<[f64; 2]>,
    /// Why it is competent.
    pub grounds: Vec<Ground>,
}

/// The relation between the competent courts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// No competent court.
    None,
    /// Exactly one court.
    Exclusive,
    /// Several courts of one province: the plaintiff or prosecutor chooses; the first to
    /// register (accept) keeps the case; disputes go to the common superior court.
    Concurrent,
    /// Several courts in different provinces: as concurrent, but a dispute must be designated
    /// by the Supreme People's Court after the high courts fail to agree.
    CrossProvince,
}

/// The relation with its legal basis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relation {
    /// Kind.
    pub kind: RelationKind,
    /// Rules that govern it.
    pub rules: Vec<String>,
    /// Explanation.
    pub text: Text,
}

/// A warning attached to a decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// Stable machine code, one of [`crate::model::WARNING_CODES`] (documented in
    /// `explain::messages`).
    pub code: &'static str,
    /// Message.
    pub message: Text,
    /// The rule concerned.
    pub rule: Option<String>,
    /// The place concerned (1-based).
    pub place: Option<usize>,
}

/// Whether the case was routed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At least one competent court.
    Routed,
    /// No competent court (see `no_court_reason`).
    NoCourt,
    /// No court yet: a place is ambiguous (an address naming several units, a development
    /// zone lying in several, or only a city or province); `clarification` lists the
    /// candidates and what each would give. Ask the user which one is meant.
    NeedsClarification,
}

/// One reading of an ambiguous place and what it would give.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClarificationCandidate {
    /// The unit (a county-level unit; a prefecture city when the place names only a
    /// province, see `level`).
    pub unit: UnitBrief,
    /// `city` when the candidate is a prefecture city (the place names only a province; its
    /// courts are empty when they depend on the county); absent for a county-level unit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<&'static str>,
    /// The competent courts if the place is in this unit (ids; empty when none).
    pub courts: Vec<String>,
}

/// The question to ask when a place is ambiguous.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clarification {
    /// The ambiguous place (1-based).
    pub place: usize,
    /// Its readings (at most [`Clarification::MAX_CANDIDATES`]).
    pub candidates: Vec<ClarificationCandidate>,
    /// The development zone the place names, when the zone lies in several units.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone: Option<ZoneRef>,
    /// The city or province the place names, when it names nothing finer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<UnitBrief>,
}

impl Clarification {
    /// The bound of a candidate list (the region's largest lists: Shanghai's 16 districts,
    /// Anhui's 16 cities).
    pub const MAX_CANDIDATES: usize = 40;
}

/// The decision for one case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// The case id, if given.
    pub case_id: Option<String>,
    /// The case kind.
    pub kind: CaseKind,
    /// The date whose rules applied.
    pub filed_on: Date,
    /// Routed or not.
    pub status: Status,
    /// Every competent first-instance court, ordered by first place, then court id.
    pub competent: Vec<Competent>,
    /// The relation between them.
    pub relation: Relation,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// Why there is no court (when `status` is `no_court` or `needs_clarification`).
    pub no_court_reason: Option<Text>,
    /// The question to ask (when `status` is `needs_clarification`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clarification: Option<Clarification>,
    /// Version of the rule set.
    pub rules_version: String,
    /// Version of the geodata.
    pub geodata_version: String,
}

impl Decision {
    /// Ids of the competent courts.
    pub fn court_ids(&self) -> Vec<&str> {
        self.competent.iter().map(|c| c.court.id.as_str()).collect()
    }

    /// Every rule id that fired (grounds, relation, warnings), deduplicated and sorted.
    pub fn fired_rules(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .competent
            .iter()
            .flat_map(|c| {
                c.grounds
                    .iter()
                    .flat_map(|g| g.rules.iter().map(String::as_str))
            })
            .chain(self.relation.rules.iter().map(String::as_str))
            .chain(self.warnings.iter().filter_map(|w| w.rule.as_deref()))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

fn basis_is_empty(v: &[SourceRef]) -> bool {
    v.is_empty()
}
