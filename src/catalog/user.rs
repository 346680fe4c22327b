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
/// regular files (a FIFO or a device would hang or never end). Places and entries that cannot be
/// read, special files and a walk cut short come back as problems beside the files (`kb check`
/// fails on them, everything else warns and goes on). A place that does not exist yields
/// nothing; `required` turns that alone into an error.
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
        Ok(_) => Ok((
            Vec::new(),
            vec![problem(
                path,
                "not a regular file (a FIFO, socket or device); skipped: give a .toml file or a \
                 directory"
                    .into(),
            )],
        )),
        Err(_) if !required => Ok((Vec::new(), Vec::new())),
        Err(e) => Err(problem(path, format!("cannot read: {e}; check the path"))),
    }
}

/// A directory walk that visits each real directory and file once, and stops after
/// [`MAX_DIRS`] directories or [`MAX_FILES`] files (a link to `/` must not walk the machine).
#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    problems: Vec<Diagnostic>,
    seen: HashSet<PathBuf>,
    dirs: usize,
    stopped: bool,
}

/// How deep a knowledge-base tree may go (deeper is someone's mistake).
const MAX_DEPTH: usize = 16;
/// Directories read at one place, at most.
pub const MAX_DIRS: usize = 1000;
/// Files taken from one place, at most.
pub const MAX_FILES: usize = 1000;

impl Walk {
    fn dir(&mut self, dir: &Path, depth: usize) {
        if self.stopped {
            return;
        }
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
        if self.dirs == MAX_DIRS {
            self.stop(
                dir,
                format!(
                    "more than {MAX_DIRS} directories (a link to / or a home directory?); the \
                     rest is skipped: point at the knowledge-base directory itself"
                ),
            );
            return;
        }
        self.dirs += 1;
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
            if self.stopped {
                return;
            }
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
                if !self.seen.insert(real) {
                    continue;
                }
                if self.files.len() == MAX_FILES {
                    self.stop(
                        &path,
                        format!("more than {MAX_FILES} .toml files; the rest is skipped"),
                    );
                    return;
                }
                self.files.push(path);
            }
        }
    }

    fn stop(&mut self, at: &Path, message: String) {
        self.problems.push(problem(at, message));
        self.stopped = true;
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

/// Reads and parses one file: a regular file only (checked before opening it, so a FIFO is
/// never opened, and again on the open file), at most [`MAX_FILE`] bytes actually read (a size
/// that reads as 0 is not trusted). Errors come back as diagnostics; they never panic.
pub fn load_file(path: &Path) -> Result<(ParsedFile, Vec<Diagnostic>), Vec<Diagnostic>> {
    let cannot = |e: std::io::Error| vec![problem(path, format!("cannot read: {e}"))];
    let special = || {
        vec![problem(
            path,
            "not a regular file (a FIFO, socket or device); give a .toml file".into(),
        )]
    };
    if !fs::metadata(path).map_err(cannot)?.is_file() {
        return Err(special());
    }
    let file = fs::File::open(path).map_err(cannot)?;
    if !file.metadata().map_err(cannot)?.is_file() {
        return Err(special());
    }
    let bytes = read_capped(file).map_err(|e| vec![problem(path, e)])?;
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

/// Reads at most [`MAX_FILE`] bytes, and one more to tell that there were more: whatever the
/// reader claims or never stops giving, no more than that is read.
fn read_capped(reader: impl Read) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(format!(
            "file is larger than {MAX_FILE} bytes, the most a knowledge-base file may be"
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    /// A reader that never ends (like /dev/zero) and counts what was taken from it.
    struct Endless<'a>(&'a mut u64);

    impl Read for Endless<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            buf.fill(0);
            *self.0 += buf.len() as u64;
            Ok(buf.len())
        }
    }

    #[test]
    fn an_endless_reader_is_read_only_up_to_the_cap() {
        let mut taken = 0;
        let err = read_capped(Endless(&mut taken)).expect_err("too large");
        assert!(err.contains("larger than"), "{err}");
        assert!(
            taken <= MAX_FILE + 64 * 1024,
            "read {taken} bytes for a cap of {MAX_FILE}"
        );
        let exactly = vec![b'#'; usize::try_from(MAX_FILE).expect("fits")];
        assert_eq!(
            read_capped(&exactly[..]).map(|b| b.len()),
            Ok(exactly.len())
        );
    }

    fn tree() -> tempfile::TempDir {
        let t = tempfile::tempdir().expect("a temp dir");
        fs::write(
            t.path().join("a.toml"),
            "service = \"ec2\"\n[[entry]]\ncode = \"VolumeInUse\"\nnotes = \"n\"\n",
        )
        .expect("write");
        t
    }

    #[cfg(unix)]
    #[test]
    fn special_places_are_problems_not_errors_unless_missing() {
        for special in ["/dev/zero", "/dev/null"] {
            let (files, problems) = files_at(Path::new(special), true).expect("not missing");
            assert!(files.is_empty());
            assert!(
                problems[0].message.contains("not a regular file"),
                "{problems:?}"
            );
            let loaded = load_file(Path::new(special)).expect_err("never read");
            assert!(loaded[0].message.contains("not a regular file"));
        }
        assert!(files_at(Path::new("/no/such/kb"), true).is_err());
        assert_eq!(
            files_at(Path::new("/no/such/kb"), false),
            Ok((Vec::new(), Vec::new()))
        );
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_link_loops_visit_each_file_once() {
        let t = tree();
        std::os::unix::fs::symlink(".", t.path().join("l1")).expect("link");
        std::os::unix::fs::symlink(".", t.path().join("l2")).expect("link");
        std::os::unix::fs::symlink("a.toml", t.path().join("b.toml")).expect("link");
        let (files, problems) = files_at(t.path(), true).expect("a directory");
        assert_eq!(files, [t.path().join("a.toml")], "{problems:?}");
    }

    #[test]
    fn a_walk_stops_after_its_directory_budget() {
        let t = tree();
        for i in 0..MAX_DIRS {
            fs::create_dir(t.path().join(format!("d{i:04}"))).expect("mkdir");
        }
        fs::write(t.path().join("d9999.toml"), "").expect("write");
        let (files, problems) = files_at(t.path(), true).expect("a directory");
        assert_eq!(files, [t.path().join("a.toml")]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("more than 1000 directories"));
    }
}
