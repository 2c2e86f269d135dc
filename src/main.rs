//! The framescope binary: parse, dispatch, print the error once, exit.
//!
//! Exit codes: 0 success (a closed output pipe counts as success),
//! 1 an error in the input or the environment, 2 a usage error or an
//! internal error (a bug: one line asking for a report, no backtrace
//! unless RUST_BACKTRACE is set).

use std::io::Write;

use clap::Parser;

/// mimalloc: faster than the system allocator on framescope's many small
/// strings and hash tables; blocks of 16 MiB or more mapped on their own
/// (see `framescope::alloc`).
#[global_allocator]
static GLOBAL: framescope::alloc::Allocator = framescope::alloc::Allocator;

/// Set by the Ctrl-C handler before it removes the temporaries: from
/// then on the work on the main thread may fail on a temporary removed
/// under it (`No such file or directory`), and what it would say is not
/// the user's concern. It waits, and the handler ends the process.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// After Ctrl-C: wait for the handler to end the process (exit 130).
fn wait_if_interrupted() {
    if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
        loop {
            std::thread::park();
        }
    }
}

fn main() {
    framescope::alloc::tune();
    // A file-size limit (`ulimit -f`, set by some clusters' job
    // schedulers) would kill the process with SIGXFSZ mid-write, leaving
    // temporaries and saying nothing; ignored, the write fails with
    // EFBIG and is reported, and the temporaries are removed.
    #[cfg(target_os = "linux")]
    // SAFETY: setting a signal's disposition to SIG_IGN before any other
    // thread starts.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
    std::panic::set_hook(Box::new(|info| {
        wait_if_interrupted();
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
        INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
        framescope::output::remove_pending_temps();
        // Standard error stays locked until the process ends: a note the
        // work on another thread prints now would otherwise come after
        // this line, which is the last.
        let mut err = std::io::stderr().lock();
        let _ = if framescope::output::committed() {
            writeln!(
                err,
                "framescope: interrupted; the new results were already in place"
            )
        } else {
            writeln!(
                err,
                "framescope: interrupted; earlier results are untouched"
            )
        };
        std::process::exit(130);
    });
    let cli = framescope::cli::Cli::try_parse().unwrap_or_else(|e| framescope::cli::exit_usage(e));
    if let Err(err) = framescope::cli::run(cli) {
        wait_if_interrupted();
        if is_broken_pipe(&err) {
            std::process::exit(0);
        }
        eprintln!("framescope: {err:#}");
        std::process::exit(1);
    }
    // Ctrl-C while the last files were committed: the handler says so and
    // exits 130, rather than the run seeming to have ended well.
    wait_if_interrupted();
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
