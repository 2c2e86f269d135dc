//! Phase timings for finding where a run's time goes, without a
//! profiler: with `FRAMESCOPE_TIMINGS` set, each phase's seconds go to
//! stderr; otherwise nothing is printed.

/// With `FRAMESCOPE_TIMINGS` set, print to stderr the seconds since the
/// previous phase ended, labelled: where a run's time goes, without a
/// profiler. Prints nothing otherwise.
pub fn phase(label: &str) {
    use std::sync::Mutex;
    use std::time::Instant;
    static LAST: Mutex<Option<Instant>> = Mutex::new(None);
    if std::env::var_os("FRAMESCOPE_TIMINGS").is_none() {
        return;
    }
    let now = Instant::now();
    let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(t) = *last {
        eprintln!(
            "timing: {label:<24} {:8.3} s{}",
            (now - t).as_secs_f64(),
            memory()
        );
    }
    *last = Some(now);
}

/// With `FRAMESCOPE_TIMINGS` set, print a note among the phase timings.
pub fn note(note: &str) {
    if std::env::var_os("FRAMESCOPE_TIMINGS").is_some() {
        eprintln!("timing: ({note})");
    }
}

/// The process's resident memory now and at its peak so far, where the
/// OS tells (Linux): `  rss 812 MiB, peak 1030 MiB`.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => format!("  rss {} MiB, peak {} MiB", rss / 1024, peak / 1024),
        _ => String::new(),
    }
}
