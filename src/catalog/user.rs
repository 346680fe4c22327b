//! User catalogs: where they are looked for, and reading them without ever failing the whole
//! program over one bad file.
//!
//! Order, lowest precedence first (later wins): the config directory's `errex/kb/`, then each
//! path of `ERREX_KB_PATH` in order, then each `--kb` in order. All of them win over the
//! built-in catalog. The caller (main) supplies the environment's values; this module only
//! reads the files they name.

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::parse::{Diagnostic, ParsedFile, Severity, parse_file};

/// Where a user catalog path came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The user's config directory (`$XDG_CONFIG_HOME/errex/kb/` or the platform's).
    ConfigDir,
    /// The `ERREX_KB_PATH` environment variable.
    EnvVar,
    /// A `--kb` flag.
    Flag,
}

impl Origin {
    /// How the origin reads in `errex kb paths`.
    pub fn label(self) -> &'static str {
        match self {
            Origin::ConfigDir => "config directory",
            Origin::EnvVar => "ERREX_KB_PATH",
            Origin::Flag => "--kb",
        }
    }
}

/// One place searched for user catalogs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Where the path came from.
    pub origin: Origin,
    /// The path (a file or a directory).
    pub path: PathBuf,
}

/// The places to search, in precedence order (later wins).
pub fn places(
    config_dir: Option<PathBuf>,
    env_paths: Vec<PathBuf>,
    flags: &[PathBuf],
    no_user_kb: bool,
) -> Vec<Place> {
    let mut out = Vec::new();
    if !no_user_kb {
        if let Some(dir) = config_dir {
            out.push(Place {
                origin: Origin::ConfigDir,
                path: dir.join("errex").join("kb"),
            });
        }
        out.extend(
            env_paths
                .into_iter()
                .filter(|p| !p.as_os_str().is_empty())
                .map(|path| Place {
                    origin: Origin::EnvVar,
                    path,
                }),
        );
    }
    out.extend(flags.iter().map(|p| Place {
        origin: Origin::Flag,
        path: p.clone(),
    }));
    out
}

/// The `*.toml` files at a place: the file itself, or the directory's files (recursively,
/// sorted), each real directory and file visited once however symbolic links point, and only
/// regular files (a FIFO or a device would hang or never end). Places that cannot be read and
/// special files come back as problems beside the files. A place that does not exist yields
/// nothing; `required` turns that into an error.
pub fn files_at(
    path: &Path,
    required: bool,
) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Diagnostic> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            let mut walk = Walk::default();
            walk.dir(path, 0);
            walk.files.sort();
            Ok((walk.files, walk.problems))
        }
        Ok(m) if m.is_file() => Ok((vec![path.to_path_buf()], Vec::new())),
        Ok(_) => Err(problem(
            path,
            "not a regular file (a FIFO, socket or device); give a .toml file or a directory"
                .into(),
        )),
        Err(_) if !required => Ok((Vec::new(), Vec::new())),
        Err(e) => Err(problem(path, format!("cannot read: {e}; check the path"))),
    }
}

/// A directory walk that visits each real directory and file once.
#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    problems: Vec<Diagnostic>,
    seen: HashSet<PathBuf>,
}

/// How deep a knowledge-base tree may go (deeper is someone's mistake).
const MAX_DEPTH: usize = 16;

impl Walk {
    fn dir(&mut self, dir: &Path, depth: usize) {
        let real = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.seen.insert(real) {
            return;
        }
        if depth > MAX_DEPTH {
            self.problems.push(problem(
                dir,
                format!("more than {MAX_DEPTH} directories deep; skipped"),
            ));
            return;
        }
        let rd = match fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                self.problems
                    .push(problem(dir, format!("cannot read directory: {e}")));
                return;
            }
        };
        let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            let Ok(meta) = fs::metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                self.dir(&path, depth + 1);
            } else if path.extension().is_some_and(|e| e == "toml") {
                if !meta.is_file() {
                    self.problems.push(problem(
                        &path,
                        "not a regular file (a FIFO, socket or device); skipped".into(),
                    ));
                    continue;
                }
                let real = fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if self.seen.insert(real) {
                    self.files.push(path);
                }
            }
        }
    }
}

fn problem(path: &Path, message: String) -> Diagnostic {
    Diagnostic {
        file: path.display().to_string(),
        line: 1,
        column: 1,
        severity: Severity::Error,
        message,
    }
}

/// The largest user file read; a knowledge base is text, not a data dump.
pub const MAX_FILE: u64 = 8 * 1024 * 1024;

/// Reads and parses one file: a regular file only, at most [`MAX_FILE`] bytes actually read
/// (a size that reads as 0 is not trusted). Errors come back as diagnostics; they never panic.
pub fn load_file(path: &Path) -> Result<(ParsedFile, Vec<Diagnostic>), Vec<Diagnostic>> {
    let meta = fs::metadata(path).map_err(|e| vec![problem(path, format!("cannot read: {e}"))])?;
    if !meta.is_file() {
        return Err(vec![problem(
            path,
            "not a regular file (a FIFO, socket or device); give a .toml file".into(),
        )]);
    }
    let file =
        fs::File::open(path).map_err(|e| vec![problem(path, format!("cannot read: {e}"))])?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| vec![problem(path, format!("cannot read: {e}"))])?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(vec![problem(
            path,
            format!("file is larger than {MAX_FILE} bytes, the most a knowledge-base file may be"),
        )]);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        vec![problem(
            path,
            format!(
                "not UTF-8 text (invalid byte at offset {}); save the file as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )]
    })?;
    parse_file(&path.display().to_string(), &text)
}
