//! The framescope binary: parse, dispatch, print the error once, exit.
//!
//! Exit codes: 0 success (a closed output pipe counts as success),
//! 1 an error in the input or the environment, 2 a usage error.

use clap::Parser;

fn main() {
    let cli = framescope::cli::Cli::parse();
    if let Err(err) = framescope::cli::run(cli) {
        if is_broken_pipe(&err) {
            std::process::exit(0);
        }
        eprintln!("framescope: {err:#}");
        std::process::exit(1);
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let io = e.downcast_ref::<std::io::Error>().or_else(|| {
            match e.downcast_ref::<framescope::Error>() {
                Some(framescope::Error::Io { source, .. }) => Some(source),
                _ => None,
            }
        });
        io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
