//! `lagom explain`.

use lagom::batch::{self, Batch, CampaignResult, Input, Verdict};
use lagom::diagnostic::{Code, Problem};
use lagom::eval::{CompiledPolicy, Decision};
use lagom::policy::CategoryId;
use lagom::report;
use lagom::report::explain::{Format, Written};
use lagom::source::SourceMap;

use super::{output, style, Exit, SimpleFormat, Stream};

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    policy: super::PolicyArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SimpleFormat::Human)]
    format: SimpleFormat,
    /// Only the uses of this category (and the categories under it).
    #[arg(long, value_name = "CATEGORY")]
    category: Option<String>,
    /// The campaign file; `-` reads standard input.
    #[arg(value_name = "CAMPAIGN")]
    campaign: String,
}

pub fn run(args: Args) -> Exit {
    let policy = match args.policy.load() {
        // One campaign is explained.
        Ok(p) => CompiledPolicy::for_campaigns(p, 1),
        Err(e) => return super::invalid_policy(args.format, &e),
    };
    let format = args.report_format();
    let category = match args.category.as_deref().map(|name| category(format, &policy, name)).transpose() {
        Ok(category) => category,
        Err(exit) => return exit,
    };
    let batch = batch::check_with_limit(&policy, &[Input::from_arg(&args.campaign)], args.policy.max_file_bytes());
    let result = match one_result(&args, &batch) {
        Ok(result) => result,
        Err(exit) => return exit,
    };
    match &result.verdict {
        Verdict::Invalid(problems) => {
            write(format.invalid_campaign(&result.file, result.id.as_deref(), problems, &batch.sources));
            Exit::Invalid
        }
        Verdict::Decided(campaign, _) => {
            let explanation = policy.explain(campaign);
            let view = report::explain::TraceView {
                policy: &policy,
                sources: &batch.sources,
                file: &result.file,
                campaign,
                explanation: &explanation,
                category,
            };
            write(format.trace(&view));
            match explanation.decision.decision {
                Decision::Allow => Exit::Allowed,
                Decision::Block => Exit::Blocked,
            }
        }
    }
}

/// The category `--category` names, or the usage error of a name the policy does not declare.
fn category(format: Format, policy: &CompiledPolicy, name: &str) -> Result<CategoryId, Exit> {
    policy.policy.categories.resolve(name, "categories").map_err(|unknown| {
        let p = Problem::in_file(Code::UnknownName, "--category", format!("unknown category `{name}`"))
            .with_help(unknown.into_help());
        usage_error(format, p, &policy.policy.sources)
    })
}

/// The one campaign file's result, or the error of a path that holds none or several.
fn one_result<'b>(args: &Args, batch: &'b Batch) -> Result<&'b CampaignResult, Exit> {
    // A path that holds no campaign is a result of its own (an error), so this is only said in
    // case that ever changes.
    let Some(result) = batch.results.first() else {
        output::err(format_args!("error: no campaign was read from `{}`\n", report::one_line(&args.campaign)));
        return Err(Exit::Invalid);
    };
    // A directory of campaigns would otherwise have all but its first silently left out.
    if batch.results.len() > 1 {
        // The first file a command can name (one whose name is not UTF-8 cannot be an
        // argument), among those that could be read when there are any: a dangling link or an
        // unreadable file would only move the error.
        let read = batch.results.iter().filter(|r| r.file_id.is_some());
        let any = batch.results.iter();
        let help = match read.chain(any).find_map(|r| args.command_for(&r.file)) {
            Some(command) => format!("name one file, e.g. `{command}`; `lagom check` decides them all"),
            None => "name one file (a name that is not UTF-8 must be renamed first); `lagom check` decides them all"
                .to_string(),
        };
        let p = Problem::in_file(
            Code::Usage,
            &args.campaign,
            format!("`explain` shows one campaign, and this holds {} campaign files", batch.results.len()),
        )
        .with_help(help);
        return Err(usage_error(args.report_format(), p, &batch.sources));
    }
    Ok(result)
}

/// Reports a problem with the command's inputs.
fn usage_error(format: Format, problem: Problem, sources: &SourceMap) -> Exit {
    write(format.usage_errors(&[problem], sources));
    Exit::Invalid
}

/// Writes what the report holds for standard error, then for standard output.
fn write(written: Written) {
    if !written.err.is_empty() {
        output::err(written.err);
    }
    if !written.out.is_empty() {
        output::out(written.out);
    }
}

impl Args {
    /// The format of the report; problems for people are styled for standard error, where
    /// they go.
    fn report_format(&self) -> Format {
        match self.format {
            SimpleFormat::Human => Format::Human(style(Stream::Stderr)),
            SimpleFormat::Json => Format::Json,
        }
    }

    /// The command that explains `file` as this one would have: with the same policy, limit,
    /// category and format (without `--policy` it would explain against the built-in pack, a
    /// different decision), each word quoted as a POSIX shell needs, so it can be pasted; `None`
    /// for a file whose name is not UTF-8, which no argument can name.
    fn command_for(&self, file: &str) -> Option<String> {
        let mut words: Vec<String> = vec!["lagom".into(), "explain".into()];
        for p in &self.policy.policy {
            words.push(report::path_option("--policy", p.as_os_str().as_encoded_bytes()));
        }
        if self.policy.limits.max_file_size != super::DEFAULT_MAX_FILE_MIB {
            words.extend(["--max-file-size".into(), self.policy.limits.max_file_size.to_string()]);
        }
        if let Some(c) = &self.category {
            words.extend(["--category".into(), report::shell_word(c)]);
        }
        if self.format == SimpleFormat::Json {
            words.extend(["--format".into(), "json".into()]);
        }
        // A file whose path starts with `-` would be read as an option.
        if file.starts_with('-') {
            words.push("--".into());
        }
        words.push(report::shell_path(file)?);
        Some(words.join(" "))
    }
}
