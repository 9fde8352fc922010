//! `ecojuris locate --address`.

use super::{Cli, CliError, Outcome};
use crate::spatial::Geodata;

pub(super) fn run_one(_cli: &Cli, _geo: &Geodata, addr: &str) -> Result<Outcome, CliError> {
    Err(CliError::Msg(format!("address `{addr}`: address parsing is not supported yet")))
}
