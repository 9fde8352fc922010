//! Raw command-line arguments (clap derive). Validation into settings happens in the
//! subcommand modules.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// Human-readable text.
    #[default]
    Text,
    /// JSON (stable contract, extended but never broken).
    Json,
}

/// Output language for text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Lang {
    /// English with Chinese names beside.
    #[default]
    En,
    /// Chinese.
    Zh,
}

/// ecojuris: which court is competent for an environmental case in the Yangtze River Delta
/// (Shanghai, Jiangsu, Zhejiang, Anhui), and why.
#[derive(Debug, Parser)]
#[command(name = "ecojuris", version, about, long_about = None)]
pub struct Cli {
    /// Load another boundary set of the same shape (a directory with `counties.geojson`,
    /// `features.geojson`, `adcodes.csv`, or a compiled `geodata.ejgeo`) instead of the
    /// embedded default.
    #[arg(long, global = true, value_name = "DIR")]
    pub geodata: Option<PathBuf>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of text output.
    #[arg(long, global = true, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Border tolerance in metres: units whose border is this close are reported.
    #[arg(long, global = true, default_value_t = 100.0, value_name = "METRES")]
    pub tolerance: f64,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Locate a point, a code or a file of points: county-level unit, water and sea features,
    /// Demonstration Zone, units near the border.
    Locate(LocateArgs),
    /// Geodata maintenance.
    Geodata {
        /// What to do.
        #[command(subcommand)]
        command: GeodataCommand,
    },
}

/// Geodata subcommands.
#[derive(Debug, Subcommand)]
pub enum GeodataCommand {
    /// Compile a source directory (`counties.geojson`, `features.geojson`, `adcodes.csv`) into
    /// the binary form the engine loads fastest.
    Compile {
        /// Source directory.
        #[arg(default_value = "geodata/source")]
        source: PathBuf,
        /// Output file.
        #[arg(long, default_value = "geodata/yrd.ejgeo")]
        out: PathBuf,
        /// Name of the set, shown in every result's `geodata_version`.
        #[arg(long, default_value = "yrd-default")]
        name: String,
    },
}

/// `ecojuris locate`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["at", "code", "input", "address"])))]
pub struct LocateArgs {
    /// A point `LON,LAT`.
    #[arg(long, value_name = "LON,LAT", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Coordinate system of `--at` and of input rows without a `crs` column.
    #[arg(long, default_value = "wgs84", value_name = "wgs84|gcj02|bd09")]
    pub crs: String,
    /// An administrative code: county, prefecture, province, or Demonstration Zone town.
    #[arg(long)]
    pub code: Option<String>,
    /// A Chinese address.
    #[arg(long)]
    pub address: Option<String>,
    /// A CSV file of points (`id,lon,lat[,crs]`; or `id,address`), `-` for stdin.
    #[arg(long, value_name = "POINTS.csv")]
    pub input: Option<PathBuf>,
    /// Where to write the CSV results of `--input` (stdout by default).
    #[arg(long, value_name = "OUT.csv")]
    pub output: Option<PathBuf>,
}
