//! One module per command. Each takes the catalog and a writer (and, where it reads input, a
//! reader), so every command runs and is tested without a process; `main` only parses
//! arguments, chooses the command, and maps its [`Outcome`] to an exit status.

pub mod explain;
pub mod kb;
pub mod list;
pub mod lookup;
pub mod run;
pub mod search;

use crate::catalog::Catalog;
use crate::render::{Format, Style};

/// What a run achieved, as the exit status reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Something was explained or found (0).
    Found,
    /// Nothing was (1).
    Nothing,
    /// Usage, input or configuration error (2), already reported.
    Failed,
    /// Exit with this status (`errex run` passes on the command's).
    Exit(u8),
}

impl Outcome {
    /// The process exit status.
    pub fn status(self) -> u8 {
        match self {
            Outcome::Found => 0,
            Outcome::Nothing => 1,
            Outcome::Failed => 2,
            Outcome::Exit(s) => s,
        }
    }

    /// `Found` when `found`, else `Nothing`.
    pub fn found_if(found: bool) -> Outcome {
        if found {
            Outcome::Found
        } else {
            Outcome::Nothing
        }
    }
}

/// What every command needs: the catalog and how to write.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The catalog (built-in, with team files layered over it).
    pub catalog: &'a Catalog,
    /// Output format.
    pub format: Format,
    /// Width, colour, cutting, detail.
    pub style: Style,
    /// `--service`: only this service's codes (already resolved to an id when known).
    pub service: Option<String>,
}
