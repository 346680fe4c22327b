//! `errex kb check|paths|template`: team knowledge-base files.

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use super::{Context, Outcome};
use crate::catalog::{self, Catalog, Diagnostic, ParsedFile, Severity, registry, user};
use crate::render::{self, Format, sanitize};

/// A diagnostic as JSON.
#[derive(Serialize)]
struct DiagnosticJson<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    severity: &'static str,
    message: &'a str,
}

impl<'a> From<&'a Diagnostic> for DiagnosticJson<'a> {
    fn from(d: &'a Diagnostic) -> Self {
        DiagnosticJson {
            file: &d.file,
            line: d.line,
            column: d.column,
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            message: &d.message,
        }
    }
}

/// Placeholders of the new-entry template, which `kb check` points out until they are
/// replaced.
const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "summary",
        "One line a person understands without knowing the code",
    ),
    ("cause", "- The most common situation that produces it."),
    (
        "remedy",
        "- The command, console place or setting that fixes the first cause.",
    ),
    ("docs", "https://example.com/runbook"),
];

/// Warnings for template text left in place.
fn placeholder_warnings(file: &ParsedFile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for d in &file.drafts {
        let at = d.at.map_or((1, 1), |a| (a.line, a.column));
        for (field, placeholder) in PLACEHOLDERS {
            let value = match *field {
                "summary" => d.summary.as_deref(),
                "cause" => d.cause.as_deref(),
                "remedy" => d.remedy.as_deref(),
                _ => d.docs.as_deref(),
            };
            if value.is_some_and(|v| v.contains(placeholder.trim_start_matches("- "))) {
                out.push(Diagnostic {
                    file: file.file.clone(),
                    line: at.0,
                    column: at.1,
                    severity: Severity::Warning,
                    message: format!(
                        "entry {:?} still has the template's placeholder in `{field}`: replace \"{placeholder}\" with your own",
                        d.code
                    ),
                });
            }
        }
    }
    out
}

/// `kb check`: every problem in every file, `file:line:column: level: message`.
pub fn check(
    ctx: &Context<'_>,
    paths: &[PathBuf],
    strict: bool,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut parsed = Vec::new();
    let mut files_checked = 0;
    for path in paths {
        match user::files_at(path, true) {
            Ok((files, problems)) => {
                diags.extend(problems);
                for file in files {
                    files_checked += 1;
                    match user::load_file(&file) {
                        Ok((p, w)) => {
                            diags.extend(w);
                            diags.extend(placeholder_warnings(&p));
                            parsed.push(p);
                        }
                        Err(d) => diags.extend(d),
                    }
                }
            }
            Err(d) => diags.push(d),
        }
    }
    let (_, layered) = Catalog::builtin().layered(&parsed);
    diags.extend(layered);
    diags.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    if ctx.format == Format::Json {
        #[derive(Serialize)]
        struct Doc<'a> {
            files_checked: usize,
            errors: usize,
            warnings: usize,
            strict: bool,
            diagnostics: Vec<DiagnosticJson<'a>>,
        }
        render::write_json(
            out,
            &Doc {
                files_checked,
                errors,
                warnings,
                strict,
                diagnostics: diags.iter().map(DiagnosticJson::from).collect(),
            },
        )?;
    } else {
        for d in &diags {
            writeln!(out, "{d}")?;
        }
        writeln!(
            out,
            "checked {files_checked} file(s): {errors} error(s), {warnings} warning(s)"
        )?;
    }
    let failed = errors > 0 || strict && warnings > 0;
    Ok(if failed {
        Outcome::Nothing
    } else {
        Outcome::Found
    })
}

/// `kb paths`: every place searched, in order, with the files found there.
pub fn paths(
    ctx: &Context<'_>,
    places: &[user::Place],
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    #[derive(Serialize)]
    struct PlaceJson {
        origin: &'static str,
        path: String,
        present: bool,
        files: Vec<String>,
        problems: Vec<String>,
    }
    let listed: Vec<PlaceJson> = places
        .iter()
        .map(|place| {
            let (files, problems) = user::files_at(&place.path, false).unwrap_or_default();
            PlaceJson {
                origin: place.origin.label(),
                path: place.path.display().to_string(),
                present: place.path.exists(),
                files: files.iter().map(|f| f.display().to_string()).collect(),
                problems: problems.iter().map(ToString::to_string).collect(),
            }
        })
        .collect();
    let builtin = Catalog::builtin();
    if ctx.format == Format::Json {
        #[derive(Serialize)]
        struct Doc {
            places: Vec<PlaceJson>,
            builtin: Builtin,
        }
        return render::write_json(
            out,
            &Doc {
                places: listed,
                builtin: Builtin::of(&builtin),
            },
        )
        .map(|()| Outcome::Found);
    }
    for p in &listed {
        let state = if p.present {
            format!("{} file(s)", p.files.len())
        } else {
            "not present".into()
        };
        writeln!(out, "{}: {} ({state})", p.origin, sanitize(&p.path))?;
        for f in &p.files {
            writeln!(out, "  {}", sanitize(f))?;
        }
        for problem in &p.problems {
            writeln!(out, "  {}", sanitize(problem))?;
        }
    }
    if places.is_empty() {
        writeln!(out, "no user catalog places (--no-user-kb and no --kb)")?;
    }
    let b = Builtin::of(&builtin);
    writeln!(
        out,
        "built-in: {} file(s), {} written entries, {} registry codes (botocore {})",
        b.files, b.written, b.registry_codes, b.botocore
    )?;
    Ok(Outcome::Found)
}

/// The built-in catalog's size.
#[derive(Serialize)]
pub struct Builtin {
    /// kb files compiled in.
    pub files: usize,
    /// Written entries.
    pub written: usize,
    /// Services with written entries.
    pub written_services: usize,
    /// Registry codes (service, code).
    pub registry_codes: usize,
    /// Registry codes from the SDK models.
    pub from_models: usize,
    /// Registry codes kept by hand (common errors, documented-only, legacy, stand-ins).
    pub kept_by_hand: usize,
    /// Services in the registry.
    pub services: usize,
    /// The botocore version the registry was imported from.
    pub botocore: &'static str,
}

impl Builtin {
    /// Counts the built-in catalog.
    pub fn of(catalog: &Catalog) -> Builtin {
        let codes = registry::codes();
        let from_models = codes
            .iter()
            .filter(|c| {
                matches!(
                    c.origin,
                    registry::Origin::Model | registry::Origin::Eventstream
                )
            })
            .count();
        let mut services: Vec<&str> = catalog.entries().iter().map(|e| &*e.service).collect();
        services.sort_unstable();
        services.dedup();
        Builtin {
            files: catalog::builtin_files().len(),
            written: catalog.len(),
            written_services: services.len(),
            registry_codes: codes.len(),
            from_models,
            kept_by_hand: codes.len() - from_models,
            services: registry::services().len(),
            botocore: registry::botocore_version(),
        }
    }
}

/// `kb template [CODE]`: a ready-to-edit entry; for an existing code, team notes to add.
pub fn template(ctx: &Context<'_>, code: Option<&str>, out: &mut dyn Write) -> io::Result<Outcome> {
    let known = code.and_then(|c| ctx.catalog.lookup(c).into_iter().next());
    let text = match known {
        Some(k) => {
            let related = k
                .explanation()
                .map(|e| {
                    e.related
                        .iter()
                        .map(|r| format!("\"{r}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            format!(
                "# Team notes for {service}:{code}: `notes` is shown under the built-in remedy, marked\n\
                 # as your team's. Uncomment a field to replace the built-in one (kb check warns).\n\
                 service = \"{service}\"\n\n[[entry]]\ncode = \"{code}\"\nnotes = \"\"\"\n\
                 - What this error means for us, who owns it, and the runbook link.\n\"\"\"\n\
                 # remedy = \"\"\"\n# - Replace the built-in remedy only if ours is different.\n# \"\"\"\n\
                 # related = [{related}]\n",
                code = k.code,
                service = k.service,
            )
        }
        None => {
            let code = code
                .map(|c| catalog::split_query(c).1)
                .filter(|c| catalog::is_valid_code(c))
                .unwrap_or("MyService.SomethingFailed");
            let (summary, cause, remedy, docs) = (
                PLACEHOLDERS[0].1,
                PLACEHOLDERS[1].1,
                PLACEHOLDERS[2].1,
                PLACEHOLDERS[3].1,
            );
            format!(
                "# A new entry. Name your own service to keep its codes apart from AWS's.\n\
                 # `errex kb check --strict` points at every placeholder left below.\n\
                 service = \"my-service\"\n\n[[entry]]\ncode = \"{code}\"\ncategory = \"client\"      # client | server\n\
                 http_status = 400\nretry = \"never\"          # never | backoff | transient | propagation | capacity | after-fix\n\
                 summary = \"{summary}\"\ncause = \"\"\"\n{cause}\n\"\"\"\nremedy = \"\"\"\n{remedy}\n\"\"\"\nrelated = []\n\
                 docs = \"{docs}\"\n"
            )
        }
    };
    out.write_all(text.as_bytes())?;
    Ok(Outcome::Found)
}
