//! Routing in three typed steps: [`Engine::admit`] (a [`Case`] → an [`Admitted`] case: checked
//! and located; the only step that fails on input), [`Engine::decide`] (→ an
//! [`crate::model::Outcome`], data only) and `explain` (→ the [`crate::model::Decision`] with all
//! text). [`Engine::route`] does all three. Pure and deterministic: no IO, no clock (the
//! caller passes "today" for cases without a filing date).
//!
//! The precedence law lives in `rules::select`; the messages in `explain::messages`.

pub mod admit;
mod decide;
pub mod whynot;

pub use admit::Admitted;

use std::sync::Arc;

use crate::address::AddressIndex;
use crate::model::Date;
use crate::rules::{LoadError, RuleFiles, RuleSet};
use crate::spatial::Geodata;

/// Geodata plus rules: everything needed to route. Build once, route many.
///
/// # Example
/// ```
/// use ecojuris::eval::Engine;
/// use ecojuris::model::{Case, CaseKind, Date, PlaceSpec, Role};
/// let engine = Engine::embedded().unwrap();
/// let case = Case::simple(CaseKind::Civil, Role::Conduct, PlaceSpec::Code("310118".into()),
///     Date::parse("2024-05-01"));
/// let d = engine.route(&case, Date::parse("2026-01-01").unwrap(), "example").unwrap();
/// assert_eq!(d.court_ids(), vec!["basic-310118"]);
/// ```
///
/// The geodata is held in an [`Arc`]: engines over the same geodata with other rules (a
/// baseline and a scenario, [`Engine::load_shared`]) share one copy and its point index, and
/// can share admitted cases ([`Engine::shares_geodata`]).
#[derive(Debug)]
pub struct Engine {
    pub(crate) geo: Arc<Geodata>,
    pub(crate) rules: RuleSet,
    pub(crate) address: AddressIndex,
    /// [`RuleSet::segment_dates`]: the admitted case's date segment is its memo key part.
    pub(crate) segments: Vec<Date>,
    /// [`RuleSet::earliest`], computed once.
    pub(crate) earliest: Option<Date>,
}

impl Engine {
    /// Builds an engine from loaded geodata and rule files.
    pub fn load(geo: Geodata, files: &RuleFiles) -> Result<Engine, LoadError> {
        Engine::load_shared(Arc::new(geo), files)
    }

    /// Builds an engine over shared geodata (another engine's, [`Engine::geo_arc`]).
    pub fn load_shared(geo: Arc<Geodata>, files: &RuleFiles) -> Result<Engine, LoadError> {
        let rules = files.load(&geo)?;
        let address = AddressIndex::new(geo.codes());
        let segments = rules.segment_dates();
        let earliest = rules.earliest();
        Ok(Engine {
            geo,
            rules,
            address,
            segments,
            earliest,
        })
    }

    /// The embedded default geodata and rules.
    pub fn embedded() -> Result<Engine, LoadError> {
        let geo = Geodata::embedded(Default::default()).map_err(|e| LoadError {
            diagnostics: vec![crate::rules::Diagnostic {
                file: "<embedded geodata>".to_string(),
                line: None,
                column: None,
                message: e.to_string(),
                snippet: None,
            }],
        })?;
        Engine::load(geo, &RuleFiles::embedded())
    }

    /// The geodata.
    pub fn geo(&self) -> &Geodata {
        &self.geo
    }

    /// The shared geodata, to build another engine over it ([`Engine::load_shared`]).
    pub fn geo_arc(&self) -> &Arc<Geodata> {
        &self.geo
    }

    /// Whether both engines locate with the very same geodata: then a case admitted by one
    /// is admitted by the other up to its date segment and earliest date
    /// ([`Engine::readmit`]).
    pub fn shares_geodata(&self, other: &Engine) -> bool {
        Arc::ptr_eq(&self.geo, &other.geo)
    }

    /// The rule set.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The address parser.
    pub fn address(&self) -> &AddressIndex {
        &self.address
    }

    /// The segment of a date: routing gives the same answer on any two dates of one segment.
    pub fn segment(&self, d: Date) -> usize {
        self.segments.partition_point(|b| *b <= d)
    }
}
