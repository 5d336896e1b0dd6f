//! `lagom completions SHELL` and `lagom man`: generated from the clap definition.

use std::io::Write;

use clap::CommandFactory;
use clap_mangen::Man;

use super::{output, Cli, Exit};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn run(args: Args) -> Exit {
    let mut cmd = Cli::command();
    // Generated into memory: clap_complete panics when the writer fails (a closed pipe).
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "lagom", &mut out);
    output::out(String::from_utf8_lossy(&out));
    Exit::Allowed
}

pub fn man() -> Exit {
    match man_page() {
        Ok(page) => {
            output::out(page);
            Exit::Allowed
        }
        Err(_) => Exit::Invalid,
    }
}

/// The whole manual in one page, so that `lagom man > lagom.1` installs everything: the
/// sections of `lagom` itself, then a COMMANDS section giving each subcommand's description,
/// synopsis and options. clap_mangen's own SUBCOMMANDS section is left out: it only points to
/// `lagom-SUBCOMMAND(1)` pages, which are never generated.
fn man_page() -> std::io::Result<String> {
    let mut cmd = Cli::command();
    // Built first so that each subcommand's synopsis reads `lagom SUBCOMMAND`, not `SUBCOMMAND`.
    cmd.build();
    let top = Man::new(cmd.clone());
    let mut page = String::new();
    // The title keeps the preamble that every rendered piece starts with; the others drop it.
    page.push_str(&piece(&top, Man::render_title)?);
    for section in [
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
    ] {
        page.push_str(without_preamble(&piece(&top, section)?));
    }
    page.push_str(".SH COMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let man = Man::new(sub.clone());
        let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
        page.push_str(&format!(".SS \"{name}\"\n"));
        page.push_str(&section_body(&piece(&man, Man::render_description_section)?));
        page.push_str(".PP\n");
        let synopsis = Man::new(without_hidden_positionals(sub));
        page.push_str(&section_body(&piece(&synopsis, Man::render_synopsis_section)?));
        page.push_str(&section_body(&piece(&man, Man::render_options_section)?));
    }
    page.push_str(without_preamble(&piece(&top, Man::render_version_section)?));
    Ok(page)
}

/// A subcommand without its hidden positional arguments, for its synopsis: clap_mangen leaves
/// out hidden options but not hidden positionals, so `validate`'s refused stray path showed as
/// `lagom validate … [PATH]`.
fn without_hidden_positionals(sub: &clap::Command) -> clap::Command {
    let hidden: Vec<String> =
        sub.get_positionals().filter(|a| a.is_hide_set()).map(|a| a.get_id().to_string()).collect();
    // A hidden option is left out: the argument is made one for the synopsis alone.
    hidden.iter().fold(sub.clone(), |cmd, id| cmd.mut_arg(id, |a| a.long("hidden-argument")))
}

/// One piece of a page rendered by clap_mangen.
fn piece(man: &Man, render: fn(&Man, &mut dyn Write) -> std::io::Result<()>) -> std::io::Result<String> {
    let mut out = Vec::new();
    render(man, &mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// A rendered piece without the two lines that define the apostrophe string, which the page
/// needs once.
fn without_preamble(piece: &str) -> &str {
    let mut rest = piece;
    for line in [".ie ", ".el "] {
        if rest.starts_with(line) {
            rest = rest.split_once('\n').map_or("", |(_, r)| r);
        }
    }
    rest
}

/// A section of a subcommand's page as part of its subsection: without its own `.SH` heading,
/// and with any further heading (options under a help heading) demoted to a subsection, since
/// a `.SH` would end the COMMANDS section. Control lines are the only lines that start with a
/// period: roff escapes one that starts text.
fn section_body(piece: &str) -> String {
    let mut body = String::new();
    for (i, line) in without_preamble(piece).lines().enumerate() {
        match line.strip_prefix(".SH ") {
            Some(_) if i == 0 => {}
            Some(heading) => body.push_str(&format!(".SS {heading}\n")),
            None => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    body
}
