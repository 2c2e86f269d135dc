//! Phase timings for finding where a run's time goes, without a
//! profiler: with `FRAMESCOPE_TIMINGS` set, each phase's seconds go to
//! stderr; otherwise nothing is printed.

/// With `FRAMESCOPE_TIMINGS` set, print to stderr the seconds since the
/// previous phase ended, labelled: where a run's time goes, without a
/// profiler. Prints nothing otherwise.
pub fn phase(label: &str) {
    use std::sync::Mutex;
    use std::time::Instant;
    static LAST: Mutex<Option<(Instant, f64)>> = Mutex::new(None);
    if !enabled() {
        return;
    }
    let (now, cpu) = (Instant::now(), cpu_seconds());
    let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((t, c)) = *last {
        eprintln!(
            "timing: {label:<24} {:8.3} s  cpu {:7.3} s{}",
            (now - t).as_secs_f64(),
            cpu - c,
            memory()
        );
    }
    *last = Some((now, cpu));
}

/// The CPU seconds (user and system) the process has used, where the OS
/// tells (Linux, in clock ticks of 10 ms); 0 elsewhere. Beside a phase's
/// wall seconds it says how many cores the phase kept busy.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // The fields after the command's closing parenthesis: utime and
    // stime are the 12th and 13th (fields 14 and 15 of proc(5)).
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0.0;
    };
    let ticks: u64 = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|f| f.parse::<u64>().ok())
        .sum();
    ticks as f64 / 100.0
}

/// Is `FRAMESCOPE_TIMINGS` set? (Read once.)
pub fn enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("FRAMESCOPE_TIMINGS").is_some())
}

/// With `FRAMESCOPE_TIMINGS` set, print a note among the phase timings.
pub fn note(note: &str) {
    if enabled() {
        eprintln!("timing: ({note})");
    }
}

/// Whether the process may use transparent huge pages, where the OS
/// tells (Linux's `THP_enabled` in `/proc/self/status`): `"on"` or
/// `"off"` (see [`crate::alloc::tune`]).
pub fn huge_pages() -> Option<&'static str> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    match status_field(&status, "THP_enabled:")? {
        "0" => Some("off"),
        "1" => Some("on"),
        _ => None,
    }
}

/// The process's resident memory now and at its peak so far, where the
/// OS tells (Linux): `  rss 812 MiB, peak 1030 MiB`.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status_field(&status, name)
            .and_then(|v| v.trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => format!("  rss {} MiB, peak {} MiB", rss / 1024, peak / 1024),
        _ => String::new(),
    }
}

/// The value of field `name` (with its colon) in the text of
/// `/proc/self/status`, trimmed.
fn status_field<'a>(status: &'a str, name: &str) -> Option<&'a str> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .map(str::trim)
}
