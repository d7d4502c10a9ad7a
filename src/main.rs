use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = rapport::cli::Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match rapport::cli::run(cli, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // A closed pipe (`rapport export | head`) is not an error worth reporting.
            if rapport::cli::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("rapport: {}", rapport::cli::describe(&err));
            ExitCode::FAILURE
        }
    }
}
