//! `ipyun validate KIND [VALUE…]` — the interface contract: one line per value,
//! `VALUE<TAB>ok<TAB>NORMAL_FORM` or `VALUE<TAB>error<TAB>MESSAGE`; exit 0 when all are valid, 1 if not.

use ipyun_domain::id::{IDENTIFIER_KINDS, validate_identifier};
use std::io::{BufRead, Write};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ValidateArgs {
    /// uscc, application-no, trademark-no, region, industry, ipc or nice
    kind: String,
    /// Values to check; each line of standard input when none are given.
    values: Vec<String>,
}

pub fn run(args: &ValidateArgs) -> ExitCode {
    if validate_identifier(&args.kind, "").is_none() {
        eprintln!(
            "error: unknown kind {:?}; expected one of {}",
            args.kind,
            IDENTIFIER_KINDS.join(", ")
        );
        return ExitCode::from(2);
    }
    let mut all_valid = true;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut check = |value: &str| -> std::io::Result<()> {
        match validate_identifier(&args.kind, value) {
            Some(Ok(valid)) => writeln!(out, "{value}\tok\t{}", valid.normal_form),
            Some(Err(error)) => {
                all_valid = false;
                writeln!(out, "{value}\terror\t{} ({})", error.message, error.code)
            }
            None => Ok(()),
        }
    };
    let written = if args.values.is_empty() {
        std::io::stdin().lock().lines().try_for_each(|line| {
            let line = line?;
            check(line.trim_end_matches('\r'))
        })
    } else {
        args.values.iter().try_for_each(|value| check(value))
    };
    if let Err(error) = written {
        eprintln!("error: {error}");
        return ExitCode::from(2);
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
