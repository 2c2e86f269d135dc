//! The framescope binary: parse, dispatch, print the error once, exit.
//!
//! Exit codes: 0 success (a closed output pipe counts as success),
//! 1 an error in the input or the environment, 2 a usage error or an
//! internal error (a bug: one line asking for a report, no backtrace
//! unless RUST_BACKTRACE is set).

use clap::Parser;

/// mimalloc: faster than the system allocator on framescope's many small
/// strings and hash tables; blocks of 16 MiB or more mapped on their own
/// (see `framescope::alloc`).
#[global_allocator]
static GLOBAL: framescope::alloc::Allocator = framescope::alloc::Allocator;

fn main() {
    framescope::alloc::tune();
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "framescope: internal error: {msg}{place}; this is a bug, please report it \
             with the command line and, if you can, the input"
        );
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            eprintln!("{}", std::backtrace::Backtrace::force_capture());
        }
        std::process::exit(2);
    }));
    // Ctrl-C: no output file is ever half-written (files are written to
    // temporaries and renamed); remove the temporaries and stop.
    let _ = ctrlc::set_handler(|| {
        framescope::output::remove_pending_temps();
        eprintln!("framescope: interrupted; earlier results are untouched");
        std::process::exit(130);
    });
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
                Some(framescope::Error::Io { err, .. }) => Some(err),
                _ => None,
            }
        });
        io.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
