//! Shared fixtures: the embedded engine, loaded once.

use std::sync::OnceLock;

use ecojuris::eval::Engine;
use ecojuris::spatial::Geodata;

/// The embedded engine.
pub fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::embedded().unwrap())
}

/// The embedded geodata.
pub fn geo() -> &'static Geodata {
    engine().geo()
}
