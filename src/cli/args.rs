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

impl From<Lang> for crate::explain::Lang {
    fn from(l: Lang) -> crate::explain::Lang {
        match l {
            Lang::En => crate::explain::Lang::En,
            Lang::Zh => crate::explain::Lang::Zh,
        }
    }
}

/// Which global flags were given on the command line (not defaulted), filled in by
/// [`super::parse`]: a flag a subcommand cannot honour is then an error, never ignored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Given {
    /// `--format` was given.
    pub format: bool,
    /// `--lang` was given.
    pub lang: bool,
}

/// ecojuris: which court is competent for an environmental case in the Yangtze River Delta
/// (Shanghai, Jiangsu, Zhejiang, Anhui), and why.
///
/// Exit codes: 0 routed / ok; 1 no competent court, failing golden cases, validation findings
/// or a point outside the covered area; 2 usage, load or input error.
#[derive(Debug, Parser)]
#[command(name = "ecojuris", version, about, long_about = None)]
pub struct Cli {
    /// Load another boundary set of the same shape (a directory with `counties.geojson`,
    /// `features.geojson`, `adcodes.csv`, or a compiled `geodata.ejgeo`) instead of the
    /// embedded default.
    #[arg(long, global = true, value_name = "DIR")]
    pub geodata: Option<PathBuf>,
    /// Output format (`locate`, `route`, `courts`, `test`, `validate`, `rules diff`,
    /// `sources`; an error elsewhere).
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of text output (`locate`, `route`, `courts`, `sources`; an error elsewhere).
    /// Default: `ECOJURIS_LANG`, then the first set of `LC_ALL`, `LC_MESSAGES`, `LANG`
    /// (`zh…` gives Chinese), else English.
    #[arg(long, global = true, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Load the rule set from this directory (`courts.yaml`, `sources.yaml` and rule files)
    /// instead of the embedded one.
    #[arg(long, global = true, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Border tolerance in metres: units whose border is this close are reported.
    #[arg(long, global = true, default_value_t = 100.0, value_name = "METRES")]
    pub tolerance: f64,
    /// Largest input read, in MiB: a case file (default 1), each rule or scenario file
    /// (default 8), each JSONL batch line (default 1). One figure raises all three.
    #[arg(long, global = true, value_name = "MIB", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub max_input: Option<u32>,
    /// Print only results and errors on stderr (no notes, summaries or progress).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print what was loaded and how long the command took (on stderr).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Which global flags were given explicitly.
    #[arg(skip)]
    pub given: Given,
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
    /// Route a case to every competent first-instance court, with the grounds.
    Route(RouteArgs),
    /// List the court registry.
    Courts(CourtsArgs),
    /// Run golden routing cases (`jurisdiction-rules/tests` by default).
    Test(TestArgs),
    /// Route the real adjudicated cases (`jurisdiction-rules/evidence`, embedded by default)
    /// and report match and exact match by province, kind and year, and every miss.
    Evidence(EvidenceArgs),
    /// Serve the JSON API and the intake web page over HTTP.
    Serve(ServeArgs),
    /// Check the rule set: gaps, overlaps, shadowed rules, dangling references, dates and
    /// provenance, each with a counter-example case.
    Validate(ValidateArgs),
    /// Route a file of cases (CSV or JSONL) to a file of results, on every core.
    Batch(BatchArgs),
    /// Compare a reform scenario with the baseline over a case population: Markdown and HTML
    /// report, changed cases, workload, fragmentation, travel, maps.
    Simulate(SimulateArgs),
    /// Write a synthetic, documented case population (see docs/case-population.md).
    GenerateCases(GenerateArgs),
    /// Rule-set tools.
    Rules {
        /// What to do.
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Reform scenarios (`ecojuris scenario new NAME` writes a commented template).
    Scenario {
        /// What to do.
        #[command(subcommand)]
        command: ScenarioCommand,
    },
    /// Geodata maintenance.
    Geodata {
        /// What to do.
        #[command(subcommand)]
        command: GeodataCommand,
    },
    /// List the legal sources the rules cite: title, issuing body, number, date, URLs.
    Sources(SourcesArgs),
    /// Print a shell completion script (`ecojuris completions bash > ~/.local/share/bash-completion/completions/ecojuris`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; `ecojuris man > ecojuris.1`, `man ./ecojuris.1`).
    Man,
}

/// `ecojuris sources`.
#[derive(Debug, clap::Args)]
pub struct SourcesArgs {
    /// Only these source keys (as cited in rule output, e.g. `LRB-CPL2023`).
    pub keys: Vec<String>,
    /// Only sources of this kind (`law`, `interpretation`, `notice`, `press`, `report`,
    /// `data`, `directory`).
    #[arg(long)]
    pub kind: Option<String>,
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

/// `ecojuris route`.
#[derive(Debug, clap::Args)]
pub struct RouteArgs {
    /// A case file (YAML or JSON), `-` for stdin. Without it, use the flags below. A file and
    /// the case flags do not combine: giving both is a usage error (exit 2), so no flag is
    /// silently ignored; edit the file instead.
    #[arg(conflicts_with_all = [
        "kind", "date", "conduct", "result", "domicile", "agency", "reconsideration_agency",
        "landing", "crs", "agency_level", "ship_source", "life_or_death", "coast_guard",
    ])]
    pub case: Option<PathBuf>,
    /// Also explain why this court is or is not competent: the rules that could give it and
    /// why each did not apply (a court id such as `basic-310118` or its Chinese name;
    /// repeatable). Combines with a case file or the flags.
    #[arg(long = "why-not", value_name = "COURT")]
    pub why_not: Vec<String>,
    /// Case kind (flag form).
    #[arg(long)]
    pub kind: Option<String>,
    /// Filing date `YYYY-MM-DD` (default today).
    #[arg(long)]
    pub date: Option<String>,
    /// Place of the act: `LON,LAT`, a code, or an address. Repeatable.
    #[arg(long, allow_hyphen_values = true)]
    pub conduct: Vec<String>,
    /// Place of the result.
    #[arg(long, allow_hyphen_values = true)]
    pub result: Vec<String>,
    /// Defendant's domicile.
    #[arg(long, allow_hyphen_values = true)]
    pub domicile: Vec<String>,
    /// Seat of the agency that first acted.
    #[arg(long, allow_hyphen_values = true)]
    pub agency: Vec<String>,
    /// Seat of the reconsideration agency.
    #[arg(long, allow_hyphen_values = true)]
    pub reconsideration_agency: Vec<String>,
    /// Landing place (crimes at sea).
    #[arg(long, allow_hyphen_values = true)]
    pub landing: Vec<String>,
    /// Coordinate system of point places.
    #[arg(long, default_value = "wgs84")]
    pub crs: String,
    /// Administrative cases: `department`, `county_government`, … .
    #[arg(long)]
    pub agency_level: Option<String>,
    /// Pollution from ships or operations at sea.
    #[arg(long)]
    pub ship_source: bool,
    /// Criminal: possible life imprisonment or death.
    #[arg(long)]
    pub life_or_death: bool,
    /// Criminal: investigated by the coast guard.
    #[arg(long)]
    pub coast_guard: bool,
}

/// `ecojuris courts`.
#[derive(Debug, clap::Args)]
pub struct CourtsArgs {
    /// Only courts of this province code (`310000`, `320000`, `330000`, `340000`).
    #[arg(long)]
    pub province: Option<String>,
    /// Only courts of this level (`basic`, `intermediate`, `high`, `supreme`).
    #[arg(long)]
    pub level: Option<String>,
}

/// `ecojuris test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Directory of case files (default: the golden cases of `jurisdiction-rules/tests`
    /// embedded in the binary, so the command works from any folder).
    pub dir: Option<PathBuf>,
    /// Date used for cases without `filed_on` (default today).
    #[arg(long)]
    pub today: Option<String>,
}

/// `ecojuris evidence`.
#[derive(Debug, clap::Args)]
pub struct EvidenceArgs {
    /// Directory of evidence files (default: the embedded `jurisdiction-rules/evidence`).
    pub dir: Option<PathBuf>,
    /// Also list every matched case, not only the misses.
    #[arg(long)]
    pub all: bool,
}

/// `ecojuris serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default; port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "IP:PORT")]
    pub addr: std::net::SocketAddr,
    /// Time limit of one request, in seconds (a batch has ten times as long).
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub timeout: u64,
    /// Worker threads (default: one per core; at most 256).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Largest answer of `/v1/route` and `/v1/locate`, in MiB (413 `response_too_large`
    /// beyond).
    #[arg(long, default_value_t = 4, value_name = "MIB")]
    pub max_response: usize,
}

/// `ecojuris validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Validate the rule set with this scenario applied.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Real adjudicated cases to check the rules against (default: the embedded
    /// `jurisdiction-rules/evidence`).
    #[arg(long, value_name = "DIR")]
    pub evidence: Option<PathBuf>,
}

/// Rule-set subcommands.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Which (unit, case kind, level) change their competent court between two rule sets or
    /// two dates, with the rules responsible.
    Diff(DiffArgs),
}

/// Scenario subcommands.
#[derive(Debug, Subcommand)]
pub enum ScenarioCommand {
    /// Write a commented scenario template (`NAME.yaml`, or `--output`) for `simulate --scenario`.
    New {
        /// Scenario id: lowercase letters, digits and `-`.
        name: String,
        /// Where to write it (default `NAME.yaml`); an existing file is never overwritten.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// `ecojuris rules diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The baseline rule directory (default: `--rules` or the embedded rules).
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// The changed rule directory.
    #[arg(long, value_name = "DIR")]
    pub to: Option<PathBuf>,
    /// A scenario applied to the `--to` (or baseline) rules.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Dates: two to compare one rule set at two dates, or one for two rule sets (default today).
    #[arg(long, value_name = "DATE")]
    pub at: Vec<String>,
}

/// A batch file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// `ecojuris batch`.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// Cases: JSONL (one case object per line, the schema of `route`) or CSV (`id,kind,filed_on`
    /// plus `lon,lat[,crs]`, `code` or `address`; optional `role`, `defendant_code`,
    /// `defendant_lon,defendant_lat`, `incident_id`); `-` for stdin.
    pub input: PathBuf,
    /// Results: JSONL (a compact line per case: status, courts with the rules that assigned
    /// them, relation, warning codes; `--full` for the whole decision) or CSV
    /// (`id,status,courts,relation,warnings,detail`).
    #[arg(long, short)]
    pub output: PathBuf,
    /// Input format (default: from the extension).
    #[arg(long, value_enum)]
    pub input_format: Option<BatchFormat>,
    /// Output format (default: from the extension).
    #[arg(long, value_enum)]
    pub output_format: Option<BatchFormat>,
    /// Route under this scenario (`jurisdiction-rules/scenarios/*.yaml`) instead of the baseline.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Date used for cases without `filed_on` (default today).
    #[arg(long)]
    pub today: Option<String>,
    /// JSONL output: write the whole decision of each case (as `ecojuris route --format
    /// json`) instead of the compact line.
    #[arg(long)]
    pub full: bool,
}

/// `ecojuris simulate`.
#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// The reform: a scenario file.
    #[arg(long, value_name = "FILE")]
    pub scenario: PathBuf,
    /// Compare against this scenario instead of the plain baseline rule set.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Cases, in a batch format (CSV or JSONL).
    #[arg(long, value_name = "INPUT")]
    pub cases: PathBuf,
    /// Input format (default: from the extension).
    #[arg(long, value_enum)]
    pub input_format: Option<BatchFormat>,
    /// Directory for `report.md`, `report.html`, `changes.csv`, `flagged.csv` and the SVG files.
    #[arg(long, value_name = "DIR")]
    pub report: PathBuf,
    /// Case kinds to draw maps for, changed or not (repeatable; default: every kind whose
    /// court changes in some county).
    #[arg(long, value_name = "KIND")]
    pub map_kind: Vec<String>,
    /// Date of the maps (default: the latest filing date among the cases).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub map_date: Option<String>,
    /// Date used for cases without `filed_on` (default today).
    #[arg(long)]
    pub today: Option<String>,
    /// A decision log to replay: the JSONL of `ecojuris batch` (compact or `--full`) over the
    /// same `--cases`; the report lists the logged decisions the scenario would move.
    #[arg(long, value_name = "JSONL")]
    pub replay: Option<PathBuf>,
}

/// Which synthetic population `generate-cases` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum PopulationMode {
    /// Calibrated to the published caseload figures (jurisdiction-rules/statistics).
    #[default]
    Calibrated,
    /// The stress population: one kind mix, 20 % in the Demonstration Zone, 30 % in Shanghai.
    Stress,
}

/// `ecojuris generate-cases`.
#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// Population: calibrated to published figures (default) or the stress population.
    #[arg(long, value_enum, default_value_t = PopulationMode::Calibrated)]
    pub mode: PopulationMode,
    /// Number of cases (stress default 10000; calibrated default: the published volumes).
    #[arg(long)]
    pub count: Option<u64>,
    /// Calibrated: first year to generate (default 2014).
    #[arg(long, value_name = "YEAR")]
    pub from_year: Option<i32>,
    /// Calibrated: last year to generate (default 2025).
    #[arg(long, value_name = "YEAR")]
    pub to_year: Option<i32>,
    /// Random seed (the same seed gives the same file).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output file: `.csv` or `.jsonl`; the assumptions go to `<FILE>.meta.json` beside it.
    #[arg(long, short)]
    pub output: PathBuf,
    /// Output format (default: from the extension).
    #[arg(long, value_enum)]
    pub output_format: Option<BatchFormat>,
}
