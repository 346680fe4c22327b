//! errex explains AWS API error codes offline.
//!
//! The built-in knowledge base (written explanations over a registry of every AWS service's
//! error codes) is compiled from `kb/` into the binary. Three front ends share it: lookups and searches on the command line, a scan that
//! finds every code in piped error text, and a terminal UI.
//!
//! Dependency direction: [`catalog`] is the leaf; [`search`] and [`extract`] use it; [`render`]
//! and [`tui`] use those and never each other; the binary wires them together.

pub mod catalog;
pub mod commands;
pub mod extract;
pub mod render;
pub mod search;
pub mod text;
pub mod tui;
