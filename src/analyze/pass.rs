//! The pipelined parallel pass every command shares: documents are read
//! in order, in batches, while the previous batch is worked on by the
//! rayon pool; each pool thread owns one worker state. Results come back
//! in document order, so whatever the thread count the caller sees the
//! same sequence.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use crate::corpus::{Document, Documents};
use crate::error::Result;

/// Documents per batch and bytes per batch: the unit of parallel work
/// and of memory held at once.
const BATCH_DOCS: usize = 4096;
const BATCH_BYTES: usize = 4 << 20;

/// The most documents a pool thread takes from a batch at once. Rayon
/// splits a batch into a few long runs unless told otherwise, and a run
/// is worked through by one thread: when its worker stops to double a
/// big table (50–150 ms of the host faulting pages in), the rest of its
/// run waits with it while the other thread, out of work, waits at the
/// batch's end. In runs of a few documents the other thread takes over
/// all but the few left in the stalled one.
const RUN_DOCS: usize = 8;

/// Worker states [`workers`] makes: one per pool thread, plus one for
/// the calling thread.
pub(crate) fn n_workers() -> usize {
    rayon::current_num_threads() + 1
}

/// One worker state per pool thread (plus one for the calling thread).
pub(crate) fn workers<S>(make: impl Fn() -> S) -> Vec<Mutex<S>> {
    (0..n_workers()).map(|_| Mutex::new(make())).collect()
}

/// Run `work` on every document admitted by `admit`, in parallel, and hand
/// the results of each batch to `sink` in document order, with the batch's
/// documents (result `i` is of document `i`), which it may read but not
/// keep: the results need no copy of a document's id or metadata.
///
/// `admit` runs on the reading side, in order: it returns what `work`
/// needs besides the document (group ids, …), or `None` to skip the
/// document. `sink` returns `false` to stop reading early. The sink of
/// one batch and the reading of the next run while the pool works on the
/// batch between them, so the sink's serial work (postings, rows written
/// in order) costs no wall time as long as it is shorter than the work.
pub(crate) fn run<S: Send, X: Send + Sync, R: Send>(
    docs: &mut Documents<'_>,
    workers: &[Mutex<S>],
    mut admit: impl FnMut(&Document) -> Result<Option<X>> + Send,
    work: impl Fn(&mut S, &Document, &X) -> R + Sync,
    mut sink: impl FnMut(Vec<R>, &[(Document, X)]) -> Result<bool> + Send,
) -> Result<()> {
    // A batch is read into the vector of the batch before it, emptied:
    // no vector grown from nothing, on fresh pages, for every batch.
    let mut read =
        |docs: &mut Documents<'_>, mut batch: Vec<(Document, X)>| -> Result<Vec<(Document, X)>> {
            batch.clear();
            let mut bytes = 0;
            while batch.len() < BATCH_DOCS && bytes < BATCH_BYTES {
                let Some(doc) = docs.next() else { break };
                let doc = doc?;
                if let Some(x) = admit(&doc)? {
                    bytes += doc.text.len();
                    batch.push((doc, x));
                }
            }
            Ok(batch)
        };
    let mut batch = read(docs, Vec::new())?;
    // Results of the batch before `batch`, not yet sunk.
    let mut pending: Option<Vec<R>> = None;
    // Seconds the reading side (sink + read) was busy: when it is near the
    // whole pass, the serial side is the bottleneck (FRAMESCOPE_TIMINGS).
    let mut serial = 0.0f64;
    // The batch worked on last, emptied on the reading side while the
    // pool works on the next one (freeing thousands of documents' strings
    // is no wait of its own between batches), then read into.
    let mut spent: Option<Vec<(Document, X)>> = None;
    // With FRAMESCOPE_TIMINGS: the nanoseconds the pool spent in `work`
    // this batch, and the cores' idle time over the pass (`Idle`).
    let timed = crate::timing::enabled();
    let in_work = AtomicU64::new(0);
    let mut idle = Idle::default();
    while !batch.is_empty() {
        let started = timed.then(Instant::now);
        let serial_before = serial;
        let ((sunk, next), done) = rayon::join(
            || {
                let t = Instant::now();
                let mut spent = spent.take().unwrap_or_default();
                let sunk = match pending.take() {
                    Some(done) => sink(done, &spent),
                    None => Ok(true),
                };
                spent.clear();
                let next = match sunk {
                    Ok(true) => read(docs, spent),
                    _ => Ok(Vec::new()),
                };
                serial += t.elapsed().as_secs_f64();
                (sunk, next)
            },
            || {
                batch
                    .par_iter()
                    .with_max_len(RUN_DOCS)
                    .map(|(doc, x)| {
                        let i = rayon::current_thread_index().map_or(0, |i| i + 1);
                        let mut w = workers[i].lock().unwrap_or_else(|p| p.into_inner());
                        if !timed {
                            return work(&mut w, doc, x);
                        }
                        let t = Instant::now();
                        let r = work(&mut w, doc, x);
                        in_work.fetch_add(t.elapsed().as_nanos() as u64, Ordering::Relaxed);
                        r
                    })
                    .collect::<Vec<_>>()
            },
        );
        if let Some(started) = started {
            let work = in_work.swap(0, Ordering::Relaxed) as f64 / 1e9;
            idle.add(
                started.elapsed().as_secs_f64(),
                work + serial - serial_before,
            );
        }
        if !sunk? {
            return Ok(());
        }
        pending = Some(done);
        spent = Some(std::mem::replace(&mut batch, next?));
    }
    if let Some(done) = pending {
        let t = Instant::now();
        sink(done, spent.as_deref().unwrap_or_default())?;
        let last = t.elapsed().as_secs_f64();
        serial += last;
        // The last batch's sink runs alone: the pool waits for it.
        idle.tail = last * (rayon::current_num_threads() as f64 - 1.0).max(0.0);
    }
    crate::timing::note(&format!("reading side busy {serial:.3} s"));
    if timed {
        crate::timing::note(&idle.describe());
    }
    Ok(())
}

/// The pool's idle time over a pass, batch by batch: each batch's wall
/// time on every pool thread, less the time spent working on its
/// documents and on the reading side; then the last batch's sink, which
/// runs alone. A core is idle when the other workers have finished the
/// batch and wait for its last document (a worker doubling a big
/// table), or for the reading side.
#[derive(Default)]
struct Idle {
    batches: usize,
    /// Core-seconds idle in all batches.
    total: f64,
    /// Batches where the cores were idle for more than [`Idle::LONG`]
    /// in all, and their idle core-seconds.
    long: usize,
    in_long: f64,
    /// Core-seconds idle while the last batch's results were taken.
    tail: f64,
}

impl Idle {
    const LONG: f64 = 0.02;

    /// One batch: its wall seconds, and the seconds of work done in it.
    fn add(&mut self, wall: f64, busy: f64) {
        let idle = (wall * rayon::current_num_threads() as f64 - busy).max(0.0);
        self.batches += 1;
        self.total += idle;
        if idle > Self::LONG {
            self.long += 1;
            self.in_long += idle;
        }
    }

    fn describe(&self) -> String {
        format!(
            "{} batches; a core idle {:.3} s in all, {:.3} s of it in the {} batches idle over {} ms \
             and {:.3} s while the last batch's results were taken",
            self.batches,
            self.total + self.tail,
            self.in_long,
            self.long,
            (Self::LONG * 1e3) as u32,
            self.tail
        )
    }
}

/// The worker states back, once the pass is over.
pub(crate) fn into_states<S>(workers: Vec<Mutex<S>>) -> Vec<S> {
    workers
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    /// While one worker is held up on a document, the other works through
    /// every document of the batch but the few of the held one's run
    /// (`RUN_DOCS`): it is not left waiting at the batch's end with the
    /// held worker's run still to do.
    #[test]
    fn a_held_up_worker_leaves_the_rest_of_its_batch_to_the_other() {
        const N: usize = 64;
        let dir = std::env::temp_dir().join(format!("framescope-pass-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("c.jsonl");
        let lines: String = (0..N)
            .map(|i| format!("{{\"id\": \"d{i}\", \"text\": \"word {i}\"}}\n"))
            .collect();
        std::fs::write(&path, lines).unwrap();
        let corpus =
            crate::corpus::Corpus::open(&path, &crate::corpus::ReadOptions::default()).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let done = AtomicUsize::new(0);
        let released = AtomicBool::new(false);
        pool.install(|| {
            let mut docs = corpus.documents().unwrap();
            let workers = super::workers(|| ());
            super::run(
                &mut docs,
                &workers,
                |_| Ok(Some(())),
                |_, doc, _| {
                    if doc.index == 0 {
                        // Held until the other thread has done every
                        // document outside this run, or 5 s at most.
                        let until = Instant::now() + Duration::from_secs(5);
                        while Instant::now() < until {
                            if done.load(Ordering::SeqCst) >= N - super::RUN_DOCS {
                                released.store(true, Ordering::SeqCst);
                                break;
                            }
                            std::thread::sleep(Duration::from_millis(1));
                        }
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                },
                |_, _| Ok(true),
            )
            .unwrap();
        });
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(done.load(Ordering::SeqCst), N);
        assert!(
            released.load(Ordering::SeqCst),
            "the other thread stopped short of the {} documents outside the held run",
            N - super::RUN_DOCS
        );
    }
}
