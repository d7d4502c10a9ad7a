use std::process::ExitCode;

use clap::Parser;
use rapport::cli::Next;

fn main() -> ExitCode {
    let cli = rapport::cli::Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = rapport::cli::run(cli, &mut out).and_then(|next| {
        drop(out);
        // The binary wires the two layers together: the command line asks, the workspace opens.
        match next {
            Next::Done => Ok(()),
            Next::Workspace { db, config, today } => {
                rapport::tui::run(&db, *config, today, rapport::tui::start_tab())
            }
        }
    });
    match result {
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
