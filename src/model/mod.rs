//! Domain values: case kinds, place roles, the case ([`Case`]) and the decision
//! ([`Decision`]). No IO, no YAML, no clock.

mod date;

pub use date::{Date, Validity};

use serde::{Deserialize, Serialize};

use crate::spatial::Crs;

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $var),+ }
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            /// The snake_case name used in files and on the command line.
            pub fn name(self) -> &'static str { match self { $($name::$var => $s),+ } }
            /// Parses the snake_case name.
            pub fn parse(s: &str) -> Option<$name> { match s { $($s => Some($name::$var),)+ _ => None } }
            /// Every name, for "did you mean" hints.
            pub fn names() -> impl Iterator<Item = &'static str> { $name::ALL.iter().map(|v| v.name()) }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.name()) }
        }
    };
}

named_enum!(
    /// The kind of an environmental case.
    CaseKind {
        /// Criminal case (刑事).
        Criminal => "criminal",
        /// Ordinary civil case, e.g. an environmental tort (民事).
        Civil => "civil",
        /// Administrative litigation (行政).
        Administrative => "administrative",
        /// Civil public-interest litigation (环境民事公益诉讼).
        CivilPublicInterest => "civil_public_interest",
        /// Administrative public-interest litigation (行政公益诉讼).
        AdministrativePublicInterest => "administrative_public_interest",
        /// Criminal-incidental civil public-interest litigation (刑事附带民事公益诉讼).
        CriminalIncidentalCivilPublicInterest => "criminal_incidental_civil_public_interest",
        /// Ecological-environment damage compensation suit (生态环境损害赔偿诉讼).
        EcoDamageCompensation => "eco_damage_compensation",
    }
);

impl CaseKind {
    /// Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            CaseKind::Criminal => "刑事",
            CaseKind::Civil => "民事",
            CaseKind::Administrative => "行政",
            CaseKind::CivilPublicInterest => "环境民事公益诉讼",
            CaseKind::AdministrativePublicInterest => "行政公益诉讼",
            CaseKind::CriminalIncidentalCivilPublicInterest => "刑事附带民事公益诉讼",
            CaseKind::EcoDamageCompensation => "生态环境损害赔偿诉讼",
        }
    }
}

named_enum!(
    /// The role of a place in a case: what connects it to a court.
    Role {
        /// Where the polluting or damaging act was done.
        Conduct => "conduct",
        /// Where the result (damage) occurred.
        Result => "result",
        /// The defendant's domicile (residence for a natural person).
        DefendantDomicile => "defendant_domicile",
        /// The seat of the administrative agency that first acted.
        Agency => "agency",
        /// The seat of the reconsideration agency.
        ReconsiderationAgency => "reconsideration_agency",
        /// Where a defendant was landed after a crime at sea.
        Landing => "landing",
        /// Where preventive measures were taken (marine pollution).
        PreventiveMeasures => "preventive_measures",
    }
);

impl Role {
    /// Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Conduct => "行为地",
            Role::Result => "结果地",
            Role::DefendantDomicile => "被告住所地",
            Role::Agency => "行政机关所在地",
            Role::ReconsiderationAgency => "复议机关所在地",
            Role::Landing => "登陆地",
            Role::PreventiveMeasures => "采取预防措施地",
        }
    }
}

named_enum!(
    /// The kind of defendant agency in an administrative case.
    AgencyLevel {
        /// A government department (生态环境局 …).
        Department => "department",
        /// A county-level government.
        CountyGovernment => "county_government",
        /// A prefecture-level government.
        PrefectureGovernment => "prefecture_government",
        /// A provincial government (for Shanghai: the municipal government).
        ProvincialGovernment => "provincial_government",
        /// An agency with maritime supervision power (maritime safety, coast guard …).
        MaritimeAgency => "maritime_agency",
    }
);

named_enum!(
    /// The subject of an administrative case, as far as the 2021–2023 four-level pilot cares.
    AdminSubject {
        /// Government-information disclosure.
        InformationDisclosure => "information_disclosure",
        /// Failure to perform statutory duties.
        FailureToPerform => "failure_to_perform",
        /// Reconsideration refused or procedurally rejected.
        ReconsiderationRefused => "reconsideration_refused",
        /// Rulings on land/forest natural-resource ownership disputes.
        NaturalResourceOwnership => "natural_resource_ownership",
        /// Anything else.
        Other => "other",
    }
);

named_enum!(
    /// The most severe possible sentence of a criminal case.
    MaxPenalty {
        /// Ordinary (basic-court) penalty.
        Ordinary => "ordinary",
        /// Possible life imprisonment or death.
        LifeOrDeath => "life_or_death",
    }
);

named_enum!(
    /// Who investigated a criminal case.
    Investigator {
        /// Public security.
        Police => "police",
        /// China Coast Guard.
        CoastGuard => "coast_guard",
        /// Anyone else.
        Other => "other",
    }
);

named_enum!(
    /// Who brings the case.
    Plaintiff {
        /// A party (victim, company, person).
        Party => "party",
        /// A procuratorate.
        Procuratorate => "procuratorate",
        /// A government (EDC plaintiffs).
        Government => "government",
        /// A social organization (PIL plaintiffs).
        Organization => "organization",
    }
);

named_enum!(
    /// The court level at which a place is routed.
    Level {
        /// Basic people's court.
        Basic => "basic",
        /// Intermediate people's court.
        Intermediate => "intermediate",
        /// Maritime court (a special court of intermediate level).
        Maritime => "maritime",
    }
);

/// How a place is given.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceSpec {
    /// A point `[lon, lat]` in `crs`.
    At {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
        /// Coordinate system.
        crs: Crs,
    },
    /// An administrative code.
    Code(String),
    /// A free-text address.
    Address(String),
}

/// One place of a case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// Role.
    pub role: Role,
    /// The location.
    pub spec: PlaceSpec,
    /// An address given beside `at` or `code`, cross-checked against it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_check: Option<String>,
}

/// A case to route.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// Optional identifier.
    pub id: Option<String>,
    /// Kind.
    pub kind: CaseKind,
    /// Filing date; `None` means "today" (the caller supplies it).
    pub filed_on: Option<Date>,
    /// Places, at least one.
    pub places: Vec<Place>,
    /// Administrative cases: the kind of defendant agency.
    pub defendant_agency_level: Option<AgencyLevel>,
    /// Administrative cases: subject (four-level pilot).
    pub admin_subject: Option<AdminSubject>,
    /// Criminal cases: maximum penalty.
    pub max_penalty: Option<MaxPenalty>,
    /// Civil cases: claim amount in CNY.
    pub claim_amount_cny: Option<f64>,
    /// Civil cases: whether a party is domiciled outside the court's province.
    pub parties_cross_province: Option<bool>,
    /// Pollution from ships or operations at sea.
    pub ship_source: bool,
    /// Criminal cases: investigating body.
    pub investigated_by: Option<Investigator>,
    /// Who brings the case.
    pub brought_by: Option<Plaintiff>,
    /// Groups cases of one incident.
    pub incident_id: Option<String>,
}

impl Case {
    /// A case of `kind` with one place, for quick use and tests.
    pub fn simple(kind: CaseKind, role: Role, spec: PlaceSpec, filed_on: Option<Date>) -> Case {
        Case {
            id: None,
            kind,
            filed_on,
            places: vec![Place {
                role,
                spec,
                address_check: None,
            }],
            defendant_agency_level: None,
            admin_subject: None,
            max_penalty: None,
            claim_amount_cny: None,
            parties_cross_province: None,
            ship_source: false,
            investigated_by: None,
            brought_by: None,
            incident_id: None,
        }
    }
}

mod decision;
pub use decision::*;
mod outcome;
pub use outcome::*;
