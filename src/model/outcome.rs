//! What `decide` returns: the decision as data only — court, rule and unit ids, the relation
//! kind, warnings and no-court reasons as enums with their parameters. No prose: `explain`
//! turns an [`Outcome`] (with the admitted case it came from) into a [`super::Decision`].
//!
//! An `Outcome` depends only on what an admitted case compares equal on (kind, rule-date
//! segment, attributes, the located units and features of each place), never on ids, exact
//! points, distances or the text of a place, so one `Outcome` serves every case with the same
//! admitted key (the batch memo relies on this).

use super::{Confidence, Level, RelationKind, Role};

/// The attributes of a case that rule conditions look at (everything but its places, id and
/// dates). `claim_amount_cny` is kept as the bits of the `f64`, so the struct is `Hash + Eq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Attributes {
    /// Administrative: the level of the defendant agency.
    pub defendant_agency_level: Option<super::AgencyLevel>,
    /// Administrative: the subject matter.
    pub admin_subject: Option<super::AdminSubject>,
    /// Criminal: the maximum penalty the offence may carry.
    pub max_penalty: Option<super::MaxPenalty>,
    /// Civil: the claim in yuan, as `f64::to_bits`.
    pub claim_amount_bits: Option<u64>,
    /// Civil: whether a party is domiciled in another province.
    pub parties_cross_province: Option<bool>,
    /// The pollution comes from a ship.
    pub ship_source: bool,
    /// Who investigated (criminal).
    pub investigated_by: Option<super::Investigator>,
    /// Who brings the suit.
    pub brought_by: Option<super::Plaintiff>,
    /// The case names an incident (`incident_id`).
    pub has_incident: bool,
}

impl Attributes {
    /// The attributes of a case.
    pub fn of(case: &super::Case) -> Attributes {
        Attributes {
            defendant_agency_level: case.defendant_agency_level,
            admin_subject: case.admin_subject,
            max_penalty: case.max_penalty,
            claim_amount_bits: case.claim_amount_cny.map(f64::to_bits),
            parties_cross_province: case.parties_cross_province,
            ship_source: case.ship_source,
            investigated_by: case.investigated_by,
            brought_by: case.brought_by,
            has_incident: case.incident_id.is_some(),
        }
    }

    /// The claim in yuan.
    pub fn claim_amount_cny(&self) -> Option<f64> {
        self.claim_amount_bits.map(f64::from_bits)
    }
}

/// A warning as data. [`WarningKind::code`] is the stable machine code of the JSON contract;
/// the message text comes from `explain`. Places are 1-based indices into the case's places.
#[derive(Debug, Clone, PartialEq)]
pub enum WarningKind {
    /// `role_ignored`: the place's role is not a connecting factor for this kind and date.
    RoleIgnored {
        /// The place.
        place: usize,
    },
    /// `place_skipped`: the place could not be located (the problem is in the admitted case).
    PlaceSkipped {
        /// The place.
        place: usize,
    },
    /// `address_mismatch`: the address beside a point or code names no county-level unit.
    AddressUnrecognized {
        /// The place.
        place: usize,
    },
    /// `address_mismatch`: the address beside a point or code names other units.
    AddressMismatch {
        /// The place.
        place: usize,
        /// Codes of the units the address names.
        named: Vec<String>,
    },
    /// `area_not_unit`: a city or province whose units go to different courts.
    AreaNotUnit {
        /// The place.
        place: usize,
        /// Up to one example per court: (unit code, court id).
        examples: Vec<(String, String)>,
    },
    /// `alternative_reading`: an alternative (uncertain) reading would give another court.
    AlternativeReading {
        /// The place.
        place: usize,
        /// The alternative rule.
        rule: String,
        /// The court it would give.
        court: String,
    },
    /// `advisory`: an advisory rule applies at this place.
    Advisory {
        /// The place.
        place: usize,
        /// The advisory rule.
        rule: String,
    },
    /// `near_border`: the point is within the tolerance of another unit.
    NearBorder {
        /// The place.
        place: usize,
        /// The other unit's code.
        unit: String,
        /// Whether the other unit's courts are the same.
        same: bool,
        /// The other unit's courts.
        courts: Vec<String>,
    },
    /// `approximate_polygon`: the place lies in an approximate sea polygon.
    ApproximatePolygon {
        /// The place.
        place: usize,
        /// The feature id.
        feature: String,
    },
    /// `water_adjacent`: the place is estuary water inside the coast that no rule on waters
    /// covers; it was routed as part of the adjacent unit (the nearest-unit rule).
    WaterAdjacent {
        /// The place.
        place: usize,
        /// The adjacent unit's code.
        unit: String,
    },
    /// `readings_agree`: the place has several readings (an ambiguous address, a development
    /// zone lying in several units, a city named alone) and every reading gives the same
    /// courts, so the case was routed without asking which one is meant.
    ReadingsAgree {
        /// The place.
        place: usize,
        /// The codes of the units read, in order.
        units: Vec<String>,
    },
    /// `uncertain_rule`: a contributing rule rests on uncertain facts.
    UncertainRule {
        /// The rule.
        rule: String,
    },
}

/// Every warning code, for documentation and the API description.
pub const WARNING_CODES: [&str; 11] = [
    "uncertain_rule",
    "approximate_polygon",
    "near_border",
    "place_skipped",
    "alternative_reading",
    "advisory",
    "area_not_unit",
    "role_ignored",
    "address_mismatch",
    "water_adjacent",
    "readings_agree",
];

impl WarningKind {
    /// The stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            WarningKind::RoleIgnored { .. } => "role_ignored",
            WarningKind::PlaceSkipped { .. } => "place_skipped",
            WarningKind::AddressUnrecognized { .. } | WarningKind::AddressMismatch { .. } => {
                "address_mismatch"
            }
            WarningKind::AreaNotUnit { .. } => "area_not_unit",
            WarningKind::AlternativeReading { .. } => "alternative_reading",
            WarningKind::Advisory { .. } => "advisory",
            WarningKind::NearBorder { .. } => "near_border",
            WarningKind::ApproximatePolygon { .. } => "approximate_polygon",
            WarningKind::WaterAdjacent { .. } => "water_adjacent",
            WarningKind::ReadingsAgree { .. } => "readings_agree",
            WarningKind::UncertainRule { .. } => "uncertain_rule",
        }
    }

    /// The place concerned (1-based), if any.
    pub fn place(&self) -> Option<usize> {
        match self {
            WarningKind::RoleIgnored { place }
            | WarningKind::PlaceSkipped { place }
            | WarningKind::AddressUnrecognized { place }
            | WarningKind::AddressMismatch { place, .. }
            | WarningKind::AreaNotUnit { place, .. }
            | WarningKind::AlternativeReading { place, .. }
            | WarningKind::Advisory { place, .. }
            | WarningKind::NearBorder { place, .. }
            | WarningKind::ApproximatePolygon { place, .. }
            | WarningKind::WaterAdjacent { place, .. }
            | WarningKind::ReadingsAgree { place, .. } => Some(*place),
            WarningKind::UncertainRule { .. } => None,
        }
    }

    /// The rule concerned, if any.
    pub fn rule(&self) -> Option<&str> {
        match self {
            WarningKind::AlternativeReading { rule, .. }
            | WarningKind::Advisory { rule, .. }
            | WarningKind::UncertainRule { rule } => Some(rule),
            _ => None,
        }
    }

    /// Whether `self` repeats `other`: the same code and place, and the same rule where there
    /// is one (a rule warns once per place), or else the same parameters.
    pub fn repeats(&self, other: &WarningKind) -> bool {
        self.code() == other.code()
            && self.place() == other.place()
            && match (self.rule(), other.rule()) {
                (Some(a), Some(b)) => a == b,
                (None, None) => self == other,
                _ => false,
            }
    }
}

/// Why a case has no competent court, per place, as data.
#[derive(Debug, Clone, PartialEq)]
pub enum NoCourtReason {
    /// The place could not be located (the problem is in the admitted case).
    Unlocated {
        /// The place.
        place: usize,
    },
    /// The place (an area) contains no unit.
    NoUnit {
        /// The place.
        place: usize,
    },
    /// The place names an area whose units go to different courts.
    AreaNotUnit {
        /// The place.
        place: usize,
        /// Examples, as in [`WarningKind::AreaNotUnit`].
        examples: Vec<(String, String)>,
    },
    /// No scope rule fixes the level here.
    NoLevel {
        /// The place.
        place: usize,
    },
    /// No venue rule assigns a court at this level here.
    NoVenue {
        /// The place.
        place: usize,
        /// The level.
        level: Level,
        /// A crime at sea without a landing place: say so.
        landing_missing: bool,
    },
}

/// One ground of a competent court, as data.
#[derive(Debug, Clone, PartialEq)]
pub struct GroundOutcome {
    /// The connecting factor.
    pub factor: Role,
    /// "If more suitable" only.
    pub subsidiary: bool,
    /// 1-based place index.
    pub place: usize,
    /// The unit index of the place (points and codes; not areas).
    pub unit: Option<usize>,
    /// The sea feature that decided, at sea.
    pub feature: Option<String>,
    /// The level the place was routed at.
    pub level: Level,
    /// The rule that assigned the court.
    pub rule: String,
    /// Every contributing rule: connecting factor, level, assignment.
    pub rules: Vec<String>,
    /// The weakest confidence among them.
    pub confidence: Confidence,
}

/// A competent court, as data.
#[derive(Debug, Clone, PartialEq)]
pub struct CompetentOutcome {
    /// Court id.
    pub court: String,
    /// Tribunal id, when the rule names one in force.
    pub tribunal: Option<String>,
    /// Appeal court id.
    pub appeal: Option<String>,
    /// The grounds.
    pub grounds: Vec<GroundOutcome>,
}

/// The decision as data.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Competent courts, ordered by first place, then court id.
    pub competent: Vec<CompetentOutcome>,
    /// The relation between them.
    pub relation: RelationKind,
    /// The relation rules that govern it.
    pub relation_rules: Vec<String>,
    /// Warnings, deduplicated, in order.
    pub warnings: Vec<WarningKind>,
    /// Why there is no court, per place (empty with competent courts).
    pub no_court: Vec<NoCourtReason>,
}
