//! User catalogs: where they are looked for, and reading them without ever failing the whole
//! program over one bad file.
//!
//! Order, lowest precedence first (later wins): the config directory's `errex/kb/`, then each
//! path of `ERREX_KB_PATH` in order, then each `--kb` in order. All of them win over the
//! built-in catalog. The caller (main) supplies the environment's values; this module only
//! reads the files they name.

use std::fs;
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

/// The `*.toml` files at a place: the file itself, or the directory's files (recursively, sorted).
/// A place that does not exist yields nothing; `required` turns that into a diagnostic.
pub fn files_at(path: &Path, required: bool) -> Result<Vec<PathBuf>, Diagnostic> {
    match fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            let mut files = Vec::new();
            collect(path, &mut files, 0);
            files.sort();
            Ok(files)
        }
        Ok(_) => Ok(vec![path.to_path_buf()]),
        Err(_) if !required => Ok(Vec::new()),
        Err(e) => Err(problem(path, format!("cannot read: {e}; check the path"))),
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    // Deep trees are someone's mistake (or a link loop); stop well before they hurt.
    if depth > 8 {
        return;
    }
    let Ok(rd) = fs::read_dir(dir) else { return };
    for entry in rd.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out, depth + 1);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
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

/// Reads and parses one file. Errors come back as diagnostics; they never panic.
pub fn load_file(path: &Path) -> Result<(ParsedFile, Vec<Diagnostic>), Vec<Diagnostic>> {
    let meta = fs::metadata(path).map_err(|e| vec![problem(path, format!("cannot read: {e}"))])?;
    if meta.len() > MAX_FILE {
        return Err(vec![problem(
            path,
            format!(
                "file is {} bytes; a knowledge-base file may be at most {MAX_FILE}",
                meta.len()
            ),
        )]);
    }
    let bytes = fs::read(path).map_err(|e| vec![problem(path, format!("cannot read: {e}"))])?;
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
