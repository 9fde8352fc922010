//! Output files that are complete or absent: written to a temporary file in the target folder
//! and renamed over the final name at the end.
//!
//! - [`refuse_same_file`] refuses an output that is one of the inputs (same device and inode,
//!   so hard links and symbolic links are caught) before anything is opened for writing.
//! - [`AtomicFile`] writes `.<name>.<pid>.<n>.tmp` beside the target and renames it on
//!   [`AtomicFile::commit`]; dropped without a commit (an error, a failed worker), it removes
//!   the temporary file.
//! - [`on_interrupt`] installs a SIGINT/SIGTERM handler thread: on a signal it removes every
//!   temporary file not yet committed, says so on stderr and exits with 128 + the signal
//!   number, so no file under a final name is ever partial.

use std::ffi::OsString;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use super::CliError;

/// Temporary files not yet committed; a signal removes them. Committing takes the lock, so a
/// signal never removes a file that is being renamed.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static COUNTER: AtomicU32 = AtomicU32::new(0);

fn pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether two paths name the same file (device and inode; symbolic links followed). A path
/// that does not exist is no file.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        match (a.canonicalize(), b.canonicalize()) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// Refuses an output that is one of `inputs` (`-` is stdin/stdout and never collides).
pub(crate) fn refuse_same_file(output: &Path, inputs: &[&Path]) -> Result<(), CliError> {
    if output.as_os_str() == "-" {
        return Ok(());
    }
    for input in inputs {
        if input.as_os_str() != "-" && same_file(output, input) {
            return Err(CliError::Msg(format!(
                "refusing to write `{}`: it is the input `{}` (the same file{}); give another output file",
                output.display(),
                input.display(),
                if output == *input {
                    ""
                } else {
                    " through a link"
                }
            )));
        }
    }
    Ok(())
}

/// A file written under a temporary name and renamed to its final name on commit.
pub(crate) struct AtomicFile {
    target: PathBuf,
    tmp: PathBuf,
    file: Option<BufWriter<File>>,
    committed: bool,
}

fn tmp_name(target: &Path) -> PathBuf {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut name = OsString::from(".");
    name.push(target.file_name().unwrap_or_else(|| "output".as_ref()));
    name.push(format!(".{}.{n}.tmp", std::process::id()));
    target.with_file_name(name)
}

impl AtomicFile {
    /// Creates the temporary file beside `target`.
    pub(crate) fn create(target: &Path) -> Result<AtomicFile, CliError> {
        if target.file_name().is_none() || target.is_dir() {
            return Err(CliError::Msg(format!(
                "cannot write `{}`: it is a directory; give a file name",
                target.display()
            )));
        }
        let tmp = tmp_name(target);
        let mut list = pending();
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| CliError::Io(target.display().to_string(), e))?;
        list.push(tmp.clone());
        drop(list);
        Ok(AtomicFile {
            target: target.to_path_buf(),
            tmp,
            file: Some(BufWriter::with_capacity(1 << 20, file)),
            committed: false,
        })
    }

    /// The final path.
    pub(crate) fn target(&self) -> &Path {
        &self.target
    }

    fn io(&self, e: std::io::Error) -> CliError {
        CliError::Io(self.target.display().to_string(), e)
    }

    /// Flushes and syncs the data to disk (still under the temporary name).
    fn sync(&mut self) -> Result<(), CliError> {
        if let Some(w) = self.file.take() {
            let f = w.into_inner().map_err(|e| self.io(e.into_error()))?;
            f.sync_all().map_err(|e| self.io(e))?;
        }
        Ok(())
    }

    /// Renames the synced file into place; `list` is the locked registry of pending files.
    fn rename_locked(&mut self, list: &mut Vec<PathBuf>) -> Result<(), CliError> {
        // A signal handler that got the lock first has already removed the file.
        let Some(i) = list.iter().position(|p| *p == self.tmp) else {
            return Err(CliError::Msg(format!(
                "interrupted: `{}` was not written",
                self.target.display()
            )));
        };
        std::fs::rename(&self.tmp, &self.target).map_err(|e| self.io(e))?;
        list.swap_remove(i);
        self.committed = true;
        Ok(())
    }

    /// Flushes, syncs and renames the file to its final name.
    pub(crate) fn commit(mut self) -> Result<(), CliError> {
        self.sync()?;
        let mut list = pending();
        let r = self.rename_locked(&mut list);
        drop(list);
        r
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(std::io::Error::other("file already committed")),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.write_all(buf),
            None => Err(std::io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // Discard what is buffered: an abandoned file is not worth writing.
        if let Some(w) = self.file.take() {
            drop(w.into_parts());
        }
        if !self.committed {
            let mut list = pending();
            if let Some(i) = list.iter().position(|p| *p == self.tmp) {
                let _ = std::fs::remove_file(&self.tmp);
                list.swap_remove(i);
            }
        }
    }
}

/// An output that is a file written atomically, or stdout (`-`).
pub(crate) enum Output {
    /// A file.
    File(AtomicFile),
    /// Standard output, buffered.
    Stdout(BufWriter<std::io::Stdout>),
}

impl Output {
    /// Opens `path` (`-` for stdout).
    pub(crate) fn create(path: &Path) -> Result<Output, CliError> {
        if path.as_os_str() == "-" {
            Ok(Output::Stdout(BufWriter::with_capacity(
                1 << 20,
                std::io::stdout(),
            )))
        } else {
            on_interrupt();
            AtomicFile::create(path).map(Output::File)
        }
    }

    /// Flushes and, for a file, renames it to its final name.
    pub(crate) fn commit(self) -> Result<(), CliError> {
        match self {
            Output::File(f) => f.commit(),
            Output::Stdout(mut s) => match s.flush() {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(CliError::Io("stdout".to_string(), e)),
            },
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::File(f) => f.write(buf),
            Output::Stdout(s) => s.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Output::File(f) => f.write_all(buf),
            Output::Stdout(s) => s.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::File(f) => f.flush(),
            Output::Stdout(s) => s.flush(),
        }
    }
}

/// Installs (once) the SIGINT/SIGTERM handler of commands that write files: it removes the
/// temporary files not yet committed, names them on stderr and exits with 128 + the signal.
pub(crate) fn on_interrupt() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
        else {
            return;
        };
        // Registered before the thread starts, so a signal right after this call is caught.
        let Some(signals) = rt.block_on(async { Signals::new() }) else {
            return;
        };
        let spawned = std::thread::Builder::new()
            .name("ecojuris-signals".to_string())
            .spawn(move || {
                let (name, code) = rt.block_on(signals.recv());
                let mut list = pending();
                let removed: Vec<String> = list
                    .drain(..)
                    .filter(|p| std::fs::remove_file(p).is_ok())
                    .map(|p| p.display().to_string())
                    .collect();
                super::note(&format!(
                    "interrupted by {name}: stopped before the end; {}",
                    if removed.is_empty() {
                        "no output was written".to_string()
                    } else {
                        format!(
                            "no output written (removed the unfinished temporary file{} {})",
                            if removed.len() == 1 { "" } else { "s" },
                            removed
                                .iter()
                                .map(|r| format!("`{r}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                ));
                std::process::exit(code);
            });
        let _ = spawned;
    });
}

struct Signals {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
}

impl Signals {
    #[cfg(unix)]
    fn new() -> Option<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Some(Signals {
            int: signal(SignalKind::interrupt()).ok()?,
            term: signal(SignalKind::terminate()).ok()?,
        })
    }

    #[cfg(not(unix))]
    fn new() -> Option<Signals> {
        Some(Signals {})
    }

    #[cfg(unix)]
    async fn recv(mut self) -> (&'static str, i32) {
        tokio::select! {
            _ = self.int.recv() => ("SIGINT", 130),
            _ = self.term.recv() => ("SIGTERM", 143),
        }
    }

    #[cfg(not(unix))]
    async fn recv(self) -> (&'static str, i32) {
        let _ = tokio::signal::ctrl_c().await;
        ("Ctrl-C", 130)
    }
}

/// The name of the file listing what a report folder holds, so a later run can remove them.
pub(crate) const MANIFEST: &str = ".ecojuris-report";

/// A folder of output files, all renamed into place at the end. Files of an earlier run listed
/// in the folder's manifest are removed first, so the folder never mixes two runs.
pub(crate) struct AtomicDir {
    dir: PathBuf,
    files: Vec<(String, AtomicFile)>,
}

impl AtomicDir {
    /// Creates `dir` if needed and removes the files an earlier run listed in its manifest
    /// (plain names only, never a path) and those named in `names` (the files this run writes
    /// whatever its input). Refuses when one of them is one of `inputs`.
    pub(crate) fn prepare(
        dir: &Path,
        names: &[&str],
        inputs: &[&Path],
    ) -> Result<AtomicDir, CliError> {
        std::fs::create_dir_all(dir).map_err(|e| CliError::Io(dir.display().to_string(), e))?;
        let manifest = dir.join(MANIFEST);
        let mut old: Vec<String> = names.iter().map(|s| (*s).to_string()).collect();
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            old.extend(
                text.lines()
                    .map(str::trim)
                    .filter(|l| is_plain_name(l))
                    .map(str::to_string),
            );
        }
        for name in &old {
            refuse_same_file(&dir.join(name), inputs)?;
        }
        on_interrupt();
        for name in &old {
            let p = dir.join(name);
            if std::fs::symlink_metadata(&p).is_ok_and(|m| !m.is_dir()) {
                std::fs::remove_file(&p).map_err(|e| CliError::Io(p.display().to_string(), e))?;
            }
        }
        match std::fs::remove_file(&manifest) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(CliError::Io(manifest.display().to_string(), e)),
        }
        Ok(AtomicDir {
            dir: dir.to_path_buf(),
            files: Vec::new(),
        })
    }

    /// Writes one file (under a temporary name until [`AtomicDir::commit`]).
    pub(crate) fn write(&mut self, name: &str, text: &str) -> Result<(), CliError> {
        let p = self.dir.join(name);
        let mut f = AtomicFile::create(&p)?;
        f.write_all(text.as_bytes())
            .map_err(|e| CliError::Io(p.display().to_string(), e))?;
        self.files.push((name.to_string(), f));
        Ok(())
    }

    /// Renames every file into place (all under one lock, so a signal never leaves half a
    /// report), then writes the manifest listing them.
    pub(crate) fn commit(self) -> Result<(), CliError> {
        let mut files = self.files;
        for (_, f) in &mut files {
            f.sync()?;
        }
        let mut list = pending();
        let renamed: Result<(), CliError> = files
            .iter_mut()
            .try_for_each(|(_, f)| f.rename_locked(&mut list));
        drop(list);
        renamed?;
        let names: Vec<String> = files.into_iter().map(|(n, _)| n).collect();
        let mut m = AtomicFile::create(&self.dir.join(MANIFEST))?;
        let mut text = names.join("\n");
        text.push('\n');
        m.write_all(text.as_bytes())
            .map_err(|e| CliError::Io(m.target().display().to_string(), e))?;
        m.commit()
    }
}

fn is_plain_name(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && s != MANIFEST
        && !s.contains(['/', '\\'])
        && !s.starts_with('.')
}
