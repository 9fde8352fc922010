//! Admission: a [`Case`] becomes an [`Admitted`] case — the date checked against the rule set,
//! every place located once (points, codes, addresses and the address cross-check), the
//! connecting roles checked. The only routing step that fails on input.
//!
//! A place that cannot be located (a point outside the covered area, an ambiguous address) does
//! not fail admission: it is kept as a [`PlaceProblem`] and routing warns that it was skipped.

use std::hash::{Hash, Hasher};

use crate::address::{AddressStatus, ZoneMatch};
use crate::input::CaseError;
use crate::model::{Attributes, Case, CaseKind, Date, PlaceSpec, Role};
use crate::rules::select::{CaseCtx, connecting_roles};
use crate::spatial::{AreaLevel, Crs, FeatureKind};

use super::Engine;

/// Most places one case may have. A real case names a few; the region has 305 county-level
/// units. Bounds the work and the answer of one case (a `/v1/route` body of 1 MiB could
/// otherwise hold 27,000 places and a 33 MB answer); see `docs/limits.md`.
pub const MAX_PLACES: usize = 1_000;

/// A case ready for routing. Compares equal (and hashes) on what routing looks at — kind,
/// rule-date segment, attributes, each place's role and location — and not on the case id,
/// the exact date, exact points, border distances or the text of a place, so it is the memo key
/// of batch routing.
// INVARIANT: `decide` reads only the fields that `eq` and `hash` compare, and the date only
// through rules and tribunals in force, which are constant within a segment.
#[derive(Debug, Clone)]
pub struct Admitted {
    pub(crate) case_id: Option<String>,
    pub(crate) kind: CaseKind,
    pub(crate) date: Date,
    pub(crate) segment: usize,
    pub(crate) attrs: Attributes,
    pub(crate) marine: bool,
    pub(crate) places: Vec<AdmittedPlace>,
    /// Provinces of the located defendant domiciles, sorted (derived from `places`, so not
    /// part of equality): a receiving court in another province has a party from outside
    /// its province, which can change the civil level threshold per court.
    pub(crate) domicile_provinces: Vec<String>,
}

/// One place of an admitted case.
#[derive(Debug, Clone)]
pub(crate) struct AdmittedPlace {
    pub(crate) role: Role,
    pub(crate) loc: Result<Located, PlaceProblem>,
    /// The place as shown to a user.
    pub(crate) text: PlaceText,
    pub(crate) check: Option<AddressCheck>,
    /// The WGS-84 point, when the place was given as a valid one (for travel estimates).
    pub(crate) point: Option<[f64; 2]>,
    /// The development zone the place names (by name or statistics code), for the answer.
    /// Display only: routing reads the units in `loc`.
    pub(crate) zone: Option<ZoneMatch>,
}

/// The place as shown to a user: `[121.1, 31.1]` (with the CRS unless WGS-84), `310118 青浦区`
/// or the address. A point is formatted only when a message needs it.
#[derive(Debug, Clone)]
pub(crate) enum PlaceText {
    Point(f64, f64, Crs),
    Text(String),
}

impl std::fmt::Display for PlaceText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlaceText::Point(lon, lat, crs) if *crs == Crs::Wgs84 => write!(f, "[{lon}, {lat}]"),
            PlaceText::Point(lon, lat, crs) => write!(f, "[{lon}, {lat}] ({crs})"),
            PlaceText::Text(s) => f.write_str(s),
        }
    }
}

/// The cross-check of an address given beside a point or code.
#[derive(Debug, Clone)]
pub(crate) struct AddressCheck {
    pub(crate) address: String,
    /// Codes of the units the address names (its unit, or its candidates).
    pub(crate) named: Vec<String>,
}

/// Where a place is.
#[derive(Debug, Clone, Default)]
pub(crate) struct Located {
    /// Unit indices to evaluate (one for a point, code or address; all units of an area).
    pub(crate) units: Vec<usize>,
    /// (code, name) when the place names a city or province.
    pub(crate) area: Option<(String, String)>,
    /// Ids of the sea or estuary features containing the point, at sea.
    pub(crate) features: Vec<String>,
    /// In a sea or estuary feature and in no unit.
    pub(crate) at_sea: bool,
    /// Other units within the tolerance: (index, metres).
    pub(crate) near: Vec<(usize, f64)>,
    /// In estuary water inside the coast (`at_sea` and an estuary feature): the unit whose
    /// border is nearest, which the water belongs to for rules that follow administrative
    /// areas (the nearest-unit rule; maritime rules still see the water).
    pub(crate) adjacent: Vec<usize>,
}

/// Why a place could not be located.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum PlaceProblem {
    /// An impossible coordinate (the message of the geodata's error).
    InvalidPoint(String),
    /// Outside the covered area; the nearest unit `(code, name, km with one decimal)`.
    OutsideArea(Option<(String, String, String)>),
    /// Inside the covered area but in no unit and no sea area.
    NoUnitNoSea,
    /// A code the table does not know (the message of the geodata's error).
    UnknownCode(String),
    /// A code with no area entry.
    CodeNoArea,
    /// A county or town code without a unit in the geodata.
    CodeNoUnit(String),
    /// An address that names no county-level unit.
    AddressNoMatch,
    /// An ambiguous address (or a development zone lying in several units): (code, name) of
    /// each candidate unit.
    AddressAmbiguous(Vec<(String, String)>),
    /// An address that names only a prefecture city or a province: its code and name, and
    /// whether it is a province (then the question is "which city and county").
    AddressArea {
        code: String,
        name: String,
        province: bool,
    },
    /// A development zone whose host unit is not known: the zone's name.
    ZoneNoHost(String),
}

impl PartialEq for Located {
    fn eq(&self, o: &Located) -> bool {
        self.units == o.units
            && self.area == o.area
            && self.features == o.features
            && self.at_sea == o.at_sea
            && self.adjacent == o.adjacent
            && self.near.len() == o.near.len()
            && self.near.iter().zip(&o.near).all(|(a, b)| a.0 == b.0)
    }
}

impl Hash for Located {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.units.hash(h);
        self.area.hash(h);
        self.features.hash(h);
        self.at_sea.hash(h);
        self.adjacent.hash(h);
        for (u, _) in &self.near {
            u.hash(h);
        }
    }
}

impl PartialEq for AdmittedPlace {
    fn eq(&self, o: &AdmittedPlace) -> bool {
        self.role == o.role
            && self.loc == o.loc
            && self.check.as_ref().map(|c| &c.named) == o.check.as_ref().map(|c| &c.named)
    }
}

impl Hash for AdmittedPlace {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.role.hash(h);
        match &self.loc {
            Ok(l) => {
                0u8.hash(h);
                l.hash(h);
            }
            Err(p) => {
                1u8.hash(h);
                p.hash(h);
            }
        }
        self.check.as_ref().map(|c| &c.named).hash(h);
    }
}

impl PartialEq for Admitted {
    fn eq(&self, o: &Admitted) -> bool {
        self.kind == o.kind
            && self.segment == o.segment
            && self.attrs == o.attrs
            && self.marine == o.marine
            && self.places == o.places
    }
}

impl Eq for Admitted {}

impl Hash for Admitted {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.kind.hash(h);
        self.segment.hash(h);
        self.attrs.hash(h);
        self.marine.hash(h);
        self.places.hash(h);
    }
}

/// Most units within the border tolerance a place of a [`MemoKey`] may have.
const KEY_NEAR: usize = 6;

/// The memo key of the common admitted cases, inline (no heap, so a hit compares a few
/// words in one place instead of following the vectors of a stored [`Admitted`]): at most two
/// places, each located in exactly one unit with at most [`KEY_NEAR`] units within the
/// tolerance, no sea feature, area, estuary neighbour or address cross-check. Two such cases
/// have equal keys exactly when they are equal as [`Admitted`] cases (the fields compared are
/// the same), and a case outside that form has no key ([`Admitted::memo_key`]), so it can
/// never equal one inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct MemoKey {
    kind: CaseKind,
    segment: u32,
    attrs: Attributes,
    marine: bool,
    n_places: u8,
    places: [PlaceKey; 2],
}

/// One place of a [`MemoKey`]; unused slots stay at their defaults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
struct PlaceKey {
    role: Option<Role>,
    unit: u32,
    n_near: u8,
    near: [u16; KEY_NEAR],
}

impl Admitted {
    /// The inline memo key, when the case has the common form [`MemoKey`] describes.
    pub(crate) fn memo_key(&self) -> Option<MemoKey> {
        if self.places.len() > 2 {
            return None;
        }
        let mut places = [PlaceKey::default(); 2];
        for (slot, p) in places.iter_mut().zip(&self.places) {
            let Ok(l) = &p.loc else {
                return None;
            };
            if p.check.is_some()
                || l.area.is_some()
                || !l.features.is_empty()
                || l.at_sea
                || !l.adjacent.is_empty()
                || l.near.len() > KEY_NEAR
            {
                return None;
            }
            let [unit] = l.units.as_slice() else {
                return None;
            };
            let mut near = [0u16; KEY_NEAR];
            for (d, (u, _)) in near.iter_mut().zip(&l.near) {
                *d = u16::try_from(*u).ok()?;
            }
            *slot = PlaceKey {
                role: Some(p.role),
                unit: u32::try_from(*unit).ok()?,
                n_near: u8::try_from(l.near.len()).ok()?,
                near,
            };
        }
        Some(MemoKey {
            kind: self.kind,
            segment: u32::try_from(self.segment).ok()?,
            attrs: self.attrs,
            marine: self.marine,
            n_places: u8::try_from(self.places.len()).ok()?,
            places,
        })
    }

    /// The case id.
    pub fn case_id(&self) -> Option<&str> {
        self.case_id.as_deref()
    }

    /// The case kind.
    pub fn kind(&self) -> CaseKind {
        self.kind
    }

    /// The date whose rules apply.
    pub fn date(&self) -> Date {
        self.date
    }

    /// Per place: the index of its county-level unit, when it lies in exactly one (points,
    /// county and town codes, addresses; not areas or places at sea).
    pub fn place_units(&self) -> impl Iterator<Item = Option<usize>> + '_ {
        self.places.iter().map(|p| match &p.loc {
            Ok(l) if l.area.is_none() && l.units.len() == 1 => l.units.first().copied(),
            _ => None,
        })
    }

    /// Whether a place is ambiguous in a way a user can settle (an address or zone naming
    /// several units, or only a city or province): with no court, the answer is
    /// `needs_clarification`.
    pub fn needs_clarification(&self) -> bool {
        self.places.iter().any(|p| {
            matches!(
                p.loc,
                Err(PlaceProblem::AddressAmbiguous(_) | PlaceProblem::AddressArea { .. })
            )
        })
    }

    /// Per place: the WGS-84 point when the place was given as one.
    pub fn place_points(&self) -> impl Iterator<Item = Option<[f64; 2]>> + '_ {
        self.places.iter().map(|p| p.point)
    }

    /// A copy with only what equality, hashing and deciding read (the memo's key): no case
    /// id, place texts, points, zones or cross-check addresses, so a memo entry holds no
    /// string it does not need.
    pub(crate) fn key_copy(&self) -> Admitted {
        Admitted {
            case_id: None,
            kind: self.kind,
            date: self.date,
            segment: self.segment,
            attrs: self.attrs,
            marine: self.marine,
            places: self
                .places
                .iter()
                .map(|p| AdmittedPlace {
                    role: p.role,
                    loc: p.loc.clone(),
                    text: PlaceText::Text(String::new()),
                    check: p.check.as_ref().map(|c| AddressCheck {
                        address: String::new(),
                        named: c.named.clone(),
                    }),
                    point: None,
                    zone: None,
                })
                .collect(),
            domicile_provinces: self.domicile_provinces.clone(),
        }
    }
}

impl Engine {
    /// Admits a case: checks it against the rule set and locates every place. `today` stands
    /// in for a missing filing date; `origin` names the input in errors.
    pub fn admit(&self, case: &Case, today: Date, origin: &str) -> Result<Admitted, CaseError> {
        let a = self.admit_located(case, today, origin)?;
        self.check_roles(&a, case, origin)?;
        Ok(a)
    }

    /// The first half of [`Engine::admit`]: the date and codes checked, every place located,
    /// but not the connecting roles. For the batch memo only: an admitted case equal to one
    /// that passed [`Engine::check_roles`] passes it too (the check reads only what `Admitted`
    /// compares equal on), so a memo hit needs no check.
    pub(crate) fn admit_located(
        &self,
        case: &Case,
        today: Date,
        origin: &str,
    ) -> Result<Admitted, CaseError> {
        if case.places.len() > MAX_PLACES {
            return Err(CaseError::new(
                origin,
                format!(
                    "the case has {} places, more than the limit of {MAX_PLACES} places per case",
                    case.places.len()
                ),
            ));
        }
        let date = case.filed_on.unwrap_or(today);
        if let Some(first) = self.earliest
            && date < first
        {
            return Err(CaseError::new(
                origin,
                format!("`filed_on` {date} is before the earliest rule of the rule set ({first})"),
            )
            .at_field("filed_on"));
        }
        for (i, p) in case.places.iter().enumerate() {
            if let PlaceSpec::Code(code) = &p.spec
                && self.address.zone_by_code(code.trim()).is_none()
                && let Err(e) = self.geo.locate_code(code)
            {
                return Err(CaseError::new(
                    origin,
                    format!("place #{} (`{}`): {e}", i + 1, p.role),
                )
                .at_field(format!("places[{i}]")));
            }
        }
        let places: Vec<AdmittedPlace> = case
            .places
            .iter()
            .map(|p| {
                let (loc, text, zone) = self.locate_place(&p.spec);
                let check = match (&p.address_check, &loc) {
                    (Some(a), Ok(_)) => Some(self.address_check(a)),
                    _ => None,
                };
                AdmittedPlace {
                    role: p.role,
                    loc,
                    text,
                    check,
                    point: match p.spec {
                        PlaceSpec::At { lon, lat, crs } => {
                            crate::spatial::Geodata::check_point(lon, lat, crs)
                                .ok()
                                .map(|(x, y)| [x, y])
                        }
                        _ => None,
                    },
                    zone,
                }
            })
            .collect();
        let attrs = Attributes::of(case);
        let marine = case.ship_source
            || places
                .iter()
                .any(|p| p.loc.as_ref().is_ok_and(|l| l.at_sea));
        let mut domicile_provinces: Vec<String> = places
            .iter()
            .filter(|p| p.role == Role::DefendantDomicile)
            .filter_map(|p| p.loc.as_ref().ok())
            .flat_map(|l| l.units.iter())
            .filter_map(|&u| self.geo.units().get(u))
            .map(|u| u.province_adcode.clone())
            .collect();
        domicile_provinces.sort();
        domicile_provinces.dedup();
        Ok(Admitted {
            case_id: case.id.clone(),
            kind: case.kind,
            date,
            segment: self.segment(date),
            attrs,
            marine,
            places,
            domicile_provinces,
        })
    }

    /// Re-admits, for this engine, a case that an engine sharing this one's geodata
    /// ([`Engine::shares_geodata`]) admitted with [`Engine::admit_located`] on the same
    /// "today": locating, the code checks and the attributes read only the geodata and the
    /// case, so only the date segment and the earliest-date check depend on the rules. Sets
    /// the segment for this engine and returns the previous one, or `None` (nothing changed)
    /// when the date is before this rule set's earliest rule: then admit afresh, for the
    /// error.
    pub(crate) fn resegment(&self, a: &mut Admitted) -> Option<usize> {
        if self.earliest.is_some_and(|first| a.date < first) {
            return None;
        }
        Some(std::mem::replace(&mut a.segment, self.segment(a.date)))
    }

    /// The second half of [`Engine::admit`]: some place has a role the kind connects through.
    pub(crate) fn check_roles(
        &self,
        a: &Admitted,
        case: &Case,
        origin: &str,
    ) -> Result<(), CaseError> {
        let cx = CaseCtx::new(&a.attrs, a.marine);
        let (roles, subs, _) = connecting_roles(&self.rules, a.kind, a.date, &cx);
        if !a
            .places
            .iter()
            .any(|p| roles.contains(&p.role) || subs.contains(&p.role))
        {
            let have: Vec<String> = case
                .places
                .iter()
                .map(|p| format!("`{}`", p.role))
                .collect();
            let want: Vec<String> = roles.iter().map(|r| format!("`{r}`")).collect();
            return Err(CaseError::new(
                origin,
                format!(
                    "a `{}` case needs a place with role {} (missing); the case has {}",
                    case.kind,
                    if want.is_empty() {
                        "(none in force)".to_string()
                    } else {
                        want.join(" or ")
                    },
                    have.join(", ")
                ),
            )
            .at_field("places"));
        }
        Ok(())
    }

    pub(crate) fn unit_index(&self, adcode: &str) -> Option<usize> {
        self.geo
            .units()
            .binary_search_by(|u| u.adcode.as_str().cmp(adcode))
            .ok()
    }

    /// Locates one place: where it is, or why not, its display text and the development zone
    /// it names.
    fn locate_place(
        &self,
        spec: &PlaceSpec,
    ) -> (Result<Located, PlaceProblem>, PlaceText, Option<ZoneMatch>) {
        match spec {
            PlaceSpec::At { lon, lat, crs } => (
                self.locate_point(*lon, *lat, *crs),
                PlaceText::Point(*lon, *lat, *crs),
                None,
            ),
            PlaceSpec::Code(code) => match self.address.zone_by_code(code.trim()) {
                // A zone's statistics code (320576 苏州工业园区): the zone's host unit(s).
                Some(z) if self.geo.codes().get(code.trim()).is_none() => {
                    let z = z.clone();
                    let loc = self.zone_hosts(&z);
                    (
                        loc,
                        PlaceText::Text(format!("{} {}", code.trim(), z.name)),
                        Some(z),
                    )
                }
                _ => {
                    let (loc, text) = self.locate_code_place(code);
                    (loc, text, None)
                }
            },
            PlaceSpec::Address(addr) => {
                let m = self.address.parse(addr);
                let loc = match m.unit.as_deref().and_then(|u| self.unit_index(u)) {
                    Some(u) => Ok(Located::unit(u)),
                    None if m.candidates.is_empty() => match (&m.zone, m.status, &m.area) {
                        // Only a city or province (or a zone of unknown host in a city).
                        (_, AddressStatus::AreaOnly, Some(code)) => Err(self.area_problem(code)),
                        (Some(z), _, _) if z.hosts.is_empty() => {
                            Err(PlaceProblem::ZoneNoHost(z.name.clone()))
                        }
                        _ => Err(PlaceProblem::AddressNoMatch),
                    },
                    None => Err(PlaceProblem::AddressAmbiguous(
                        m.candidates
                            .iter()
                            .map(|c| (c.adcode.clone(), c.name.clone()))
                            .collect(),
                    )),
                };
                (loc, PlaceText::Text(addr.clone()), m.zone)
            }
        }
    }

    /// A place that names only the city or province `code`.
    pub(crate) fn area_problem(&self, code: &str) -> PlaceProblem {
        match self.geo.codes().get(code) {
            Some(a) => PlaceProblem::AddressArea {
                code: code.to_string(),
                name: a.name.clone(),
                // A municipality is a province and its own city: its districts are the
                // candidates.
                province: a.level == AreaLevel::Province
                    && !self.geo.units().iter().any(|u| u.city_adcode == code),
            },
            None => PlaceProblem::AddressNoMatch,
        }
    }

    /// The host unit of a zone; its hosts as candidates when it lies in several; the zone's
    /// city (the first four digits of its statistics code) when its host is not known.
    fn zone_hosts(&self, z: &ZoneMatch) -> Result<Located, PlaceProblem> {
        let hosts: Vec<(usize, &str)> = z
            .hosts
            .iter()
            .filter_map(|h| Some((self.unit_index(h)?, h.as_str())))
            .collect();
        match hosts.as_slice() {
            [] => Err(z
                .stat_codes
                .first()
                .and_then(|c| c.get(..4))
                .map(|c| format!("{c}00"))
                .filter(|c| self.geo.codes().get(c).is_some())
                .map_or_else(
                    || PlaceProblem::ZoneNoHost(z.name.clone()),
                    |c| self.area_problem(&c),
                )),
            [(u, _)] => Ok(Located::unit(*u)),
            many => Err(PlaceProblem::AddressAmbiguous(
                many.iter()
                    .map(|(u, code)| {
                        let name = self
                            .geo
                            .units()
                            .get(*u)
                            .map(|x| x.name.clone())
                            .unwrap_or_default();
                        ((*code).to_string(), name)
                    })
                    .collect(),
            )),
        }
    }

    fn locate_point(&self, lon: f64, lat: f64, crs: Crs) -> Result<Located, PlaceProblem> {
        let ids = self
            .geo
            .locate_ids(lon, lat, crs)
            .map_err(|e| PlaceProblem::InvalidPoint(e.to_string()))?;
        let Some(ids) = ids else {
            // Outside the covered area: the answer names the nearest unit.
            let near = self
                .geo
                .locate(lon, lat, crs)
                .ok()
                .and_then(|l| l.nearest)
                .map(|n| (n.adcode, n.name, format!("{:.1}", n.distance_m / 1000.0)));
            return Err(PlaceProblem::OutsideArea(near));
        };
        let feats = self.geo.features();
        let at_sea = ids.unit.is_none()
            && ids
                .features
                .iter()
                .any(|&f| feats.get(f).is_some_and(|f| f.kind.is_sea()));
        if ids.unit.is_none() && !at_sea {
            return Err(PlaceProblem::NoUnitNoSea);
        }
        let features = if at_sea {
            ids.features
                .iter()
                .filter_map(|&f| feats.get(f))
                .map(|f| f.id.clone())
                .collect()
        } else {
            Vec::new()
        };
        // Estuary water inside the coast belongs to the nearest unit for rules that follow
        // administrative areas (no sourced split of the water exists in the geodata).
        let in_estuary = at_sea
            && ids
                .features
                .iter()
                .any(|&f| feats.get(f).is_some_and(|f| f.kind == FeatureKind::Estuary));
        let adjacent = if in_estuary {
            self.geo
                .locate(lon, lat, crs)
                .ok()
                .and_then(|l| l.nearest)
                .and_then(|n| self.unit_index(&n.adcode))
                .into_iter()
                .collect()
        } else {
            Vec::new()
        };
        Ok(Located {
            units: ids.unit.into_iter().collect(),
            area: None,
            features,
            at_sea,
            near: ids.near,
            adjacent,
        })
    }

    fn locate_code_place(&self, code: &str) -> (Result<Located, PlaceProblem>, PlaceText) {
        let areas = self.geo.codes().get_all(code);
        let Some(first) = areas.first() else {
            let p = match self.geo.locate_code(code) {
                Ok(_) => PlaceProblem::CodeNoArea,
                Err(e) => PlaceProblem::UnknownCode(e.to_string()),
            };
            return (Err(p), PlaceText::Text(code.to_string()));
        };
        let name = if areas.len() > 1 {
            areas
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(" / ")
        } else {
            first.name.clone()
        };
        let text = format!("{code} {name}");
        let loc = match first.level {
            AreaLevel::County | AreaLevel::Town => {
                let county = if first.level == AreaLevel::County {
                    code
                } else {
                    first.parent.as_str()
                };
                self.unit_index(county)
                    .map(Located::unit)
                    .ok_or_else(|| PlaceProblem::CodeNoUnit(code.to_string()))
            }
            AreaLevel::Province | AreaLevel::City => {
                let units: Vec<usize> = self
                    .geo
                    .units()
                    .iter()
                    .enumerate()
                    .filter(|(_, u)| u.city_adcode == code || u.province_adcode == code)
                    .map(|(i, _)| i)
                    .collect();
                Ok(Located {
                    units,
                    area: Some((code.to_string(), name)),
                    features: Vec::new(),
                    at_sea: false,
                    near: Vec::new(),
                    adjacent: Vec::new(),
                })
            }
        };
        (loc, PlaceText::Text(text))
    }

    fn address_check(&self, addr: &str) -> AddressCheck {
        let m = self.address.parse(addr);
        let named = match &m.unit {
            Some(u) => vec![u.clone()],
            None => m.candidates.iter().map(|c| c.adcode.clone()).collect(),
        };
        AddressCheck {
            address: addr.to_string(),
            named,
        }
    }
}

impl Located {
    fn unit(u: usize) -> Located {
        Located {
            units: vec![u],
            area: None,
            features: Vec::new(),
            at_sea: false,
            near: Vec::new(),
            adjacent: Vec::new(),
        }
    }
}
