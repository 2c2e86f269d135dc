//! Folder corpora: `manifest.csv` when present, else every `.txt` below
//! the folder in path order, id = file stem.

use std::path::{Path, PathBuf};

use super::{decode, manifest, Document, Format, Meta, ReadOptions};
use crate::error::{Error, Result};

/// One file of a folder corpus.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub path: PathBuf,
    pub id: String,
    pub meta: Meta,
}

pub(crate) struct Listing {
    pub format: Format,
    pub entries: Vec<Entry>,
    pub columns: Vec<String>,
}

/// List the documents of a folder.
pub(crate) fn list(root: &Path, options: &ReadOptions) -> Result<Listing> {
    let manifest = root.join("manifest.csv");
    if manifest.is_file() {
        if !options.name_fields.is_empty() {
            return Err(Error::file(
                &manifest,
                "this folder's metadata comes from its manifest.csv; --name-fields \
                 reads metadata from file names in a folder without one (add the \
                 fields as columns of the manifest instead)",
            ));
        }
        if let Some(p) = options.exclude.first() {
            return Err(Error::file(
                &manifest,
                format!(
                    "--exclude {p:?} leaves out files of a folder without a manifest; \
                     this folder's documents are the files its manifest.csv lists (drop \
                     their rows instead)"
                ),
            ));
        }
        let (entries, columns) = manifest::read(root, &manifest, options)?;
        warn_unlisted(root, &manifest, &entries);
        warn_listed_twice(&manifest, &entries);
        return Ok(Listing {
            format: Format::Manifest,
            entries,
            columns,
        });
    }
    let mut exclude = Exclude::new(&options.exclude)?;
    let mut files = Vec::new();
    let mut others = Vec::new();
    let mut hidden = Vec::new();
    walk(
        root,
        root,
        &mut files,
        &mut others,
        &mut hidden,
        &mut exclude,
    )?;
    exclude.tell(root);
    if let Some(first) = hidden.iter().min() {
        let n = hidden.len();
        let (s, are) = if n == 1 { ("", "is") } else { ("s", "are") };
        eprintln!(
            "framescope: note: {}: {n} hidden .txt file{s} {are} left out (the first: \
             {first}); names starting with `.` (macOS's `._` files, an editor's \
             backups) are not documents, as readtext leaves them out too; list them \
             in a manifest.csv to read them",
            root.display()
        );
    }
    if let Some(first) = others.iter().min().filter(|_| !files.is_empty()) {
        let n = others.len();
        let (s, are) = if n == 1 { ("", "is") } else { ("s", "are") };
        eprintln!(
            "framescope: warning: {}: {n} file{s} of the folder {are} not .txt and not read \
             (the first: {first}); a folder corpus reads .txt files (convert others, e.g. \
             gunzip a .txt.gz)",
            root.display()
        );
    }
    if files.is_empty() && !exclude.left_out.is_empty() {
        return Err(Error::file(
            root,
            format!(
                "--exclude leaves out every .txt file of this folder ({}); check the \
                 patterns",
                exclude.left_out.len()
            ),
        ));
    }
    if files.is_empty() {
        return Err(Error::file(
            root,
            "no .txt files in this folder; add .txt files (and optionally a \
             manifest.csv) or point --corpus at a .jsonl or .csv file",
        ));
    }
    let names = NameFields::new(root, options)?;
    // Path order: compare relative paths with '/' separators, bytewise.
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut entries: Vec<Entry> = Vec::with_capacity(files.len());
    let mut ids = rustc_hash::FxHashMap::default();
    for (rel, path) in files {
        let id = stem_of(&path);
        // With --unique-ids, a repeat is numbered as the documents are
        // read.
        if !options.unique_ids {
            if let Some(other) = ids.insert(id.clone(), rel.clone()) {
                return Err(Error::file(
                    root,
                    format!(
                        "two files have the id {id:?} ({other} and {rel}); rename \
                         one, give ids in a manifest.csv, {}",
                        super::REPEATED_ID_HINT
                    ),
                ));
            }
        }
        let meta = names.meta(&path, &id)?;
        entries.push(Entry { path, id, meta });
    }
    Ok(Listing {
        format: Format::Folder,
        entries,
        columns: names.columns(),
    })
}

/// Metadata read from file names (`--name-fields`, `--name-sep`), as
/// readtext's `docvarsfrom = "filenames"`: `ARG_76_2021.txt` with the
/// fields `country,session,year` is country `ARG`, session `76`, year
/// `2021`.
struct NameFields<'a> {
    names: &'a [String],
    sep: &'a str,
}

impl<'a> NameFields<'a> {
    /// The fields, checked: each named once (or `-`, a part left out),
    /// none `id`, whose value is the whole stem.
    fn new(root: &Path, options: &'a ReadOptions) -> Result<NameFields<'a>> {
        let names = &options.name_fields[..];
        let sep = options.name_sep();
        let refuse = |msg: String| Err(Error::file(root, msg));
        if sep.is_empty() {
            return refuse(
                "--name-sep is empty; give the text between a file name's parts, such as _".into(),
            );
        }
        for (i, name) in names.iter().enumerate() {
            if name.trim().is_empty() {
                return refuse(format!(
                    "--name-fields names no field at position {} ({:?}); name every part \
                     of the file names, or write - for a part to leave out",
                    i + 1,
                    names.join(",")
                ));
            }
            if matches!(name.as_str(), "id" | "doc_id") {
                return refuse(format!(
                    "--name-fields names `{name}`, which is each document's id (its file \
                     name's stem); give that part another name"
                ));
            }
            if name != "-" && names[..i].contains(name) {
                return refuse(format!(
                    "--name-fields names `{name}` twice; give every part its own name"
                ));
            }
        }
        Ok(NameFields { names, sep })
    }

    /// The metadata columns, in order.
    fn columns(&self) -> Vec<String> {
        self.names.iter().filter(|n| *n != "-").cloned().collect()
    }

    /// The metadata of the file at `path` with stem `stem`.
    fn meta(&self, path: &Path, stem: &str) -> Result<Meta> {
        if self.names.is_empty() {
            return Ok(Meta::default());
        }
        let parts: Vec<&str> = stem.split(self.sep).collect();
        if parts.len() != self.names.len() {
            return Err(Error::file(
                path,
                format!(
                    "its name {stem:?} has {} part{} separated by {:?}, and --name-fields \
                     names {} ({}); rename the file, or change --name-fields (or \
                     --name-sep)",
                    parts.len(),
                    if parts.len() == 1 { "" } else { "s" },
                    self.sep,
                    self.names.len(),
                    self.names.join(",")
                ),
            ));
        }
        let pairs: Vec<(&str, &str)> = self
            .names
            .iter()
            .map(String::as_str)
            .zip(parts)
            .filter(|&(n, _)| n != "-")
            .collect();
        Ok(Meta::from_pairs(&pairs))
    }
}

/// A warning for the folder's `.txt` files that the manifest does not
/// list, which are not read: how many, and the first. A folder that
/// cannot be walked (a link out of it, a pipe) gets none: only listed
/// files are read, and those are checked as they are listed.
fn warn_unlisted(root: &Path, manifest: &Path, entries: &[Entry]) {
    let mut files = Vec::new();
    let mut none = Exclude::new(&[]).expect("no patterns");
    if walk(
        root,
        root,
        &mut files,
        &mut Vec::new(),
        &mut Vec::new(),
        &mut none,
    )
    .is_err()
    {
        return;
    }
    let listed: rustc_hash::FxHashSet<&Path> = entries.iter().map(|e| e.path.as_path()).collect();
    // Listed under another spelling (`./a.txt`, `sub/../a.txt`): the
    // same file once both are canonical. Asked only of files not found
    // as written.
    let mut canonical: Option<rustc_hash::FxHashSet<PathBuf>> = None;
    let mut unlisted: Vec<&str> = Vec::new();
    for (rel, path) in &files {
        if listed.contains(path.as_path()) {
            continue;
        }
        let canon = canonical.get_or_insert_with(|| {
            entries
                .iter()
                .filter_map(|e| std::fs::canonicalize(&e.path).ok())
                .collect()
        });
        if std::fs::canonicalize(path).is_ok_and(|c| canon.contains(&c)) {
            continue;
        }
        unlisted.push(rel);
    }
    unlisted.sort_unstable();
    if let Some(first) = unlisted.first() {
        let n = unlisted.len();
        let (s, are, them) = if n == 1 {
            ("", "is", "it")
        } else {
            ("s", "are", "them")
        };
        eprintln!(
            "framescope: warning: {}: {n} .txt file{s} of the folder {are} not listed and \
             not read (the first: {first}); list {them} in the manifest, or move {them} out",
            manifest.display(),
        );
    }
}

/// A warning for files the manifest lists more than once (as written),
/// each read once for every listing: how many, and the first with the
/// ids it has.
fn warn_listed_twice(manifest: &Path, entries: &[Entry]) {
    let mut seen: rustc_hash::FxHashMap<&Path, usize> = Default::default();
    let mut again: Vec<(usize, usize)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        match seen.entry(e.path.as_path()) {
            std::collections::hash_map::Entry::Occupied(o) => again.push((*o.get(), i)),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i);
            }
        }
    }
    let Some(&(first, second)) = again.first() else {
        return;
    };
    let files: rustc_hash::FxHashSet<usize> = again.iter().map(|&(f, _)| f).collect();
    let file = entries[first]
        .path
        .strip_prefix(manifest.parent().unwrap_or(Path::new("")))
        .unwrap_or(&entries[first].path);
    let more = match files.len() {
        1 => String::new(),
        2 => ", as is 1 more file".to_string(),
        n => format!(", as are {} more files", n - 1),
    };
    eprintln!(
        "framescope: warning: {}: {} is listed more than once (as {:?} and {:?}){more}; \
         each listing is read as a document; list each file once",
        manifest.display(),
        file.display(),
        entries[first].id,
        entries[second].id,
    );
}

/// The file stem of a path, as the default document id.
pub(crate) fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The `.txt` files below `dir` into `out` (path relative to `root` with
/// `/`, path), the relative paths of its other regular files into
/// `others`, and of its hidden `.txt` files (those in hidden folders
/// too) into `hidden`. Hidden files and folders (names starting with
/// `.`: macOS's `._` files, `.git`) are left out, as R's `list.files`
/// (and so readtext) leaves them out; a link to a hidden folder reads
/// nothing, and its files are counted under the folder's own name.
fn walk(
    root: &Path,
    dir: &Path,
    out: &mut Vec<(String, PathBuf)>,
    others: &mut Vec<String>,
    hidden: &mut Vec<String>,
    exclude: &mut Exclude,
) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|e| Error::read(dir, e))?;
    for entry in rd {
        let entry = entry.map_err(|e| Error::read(dir, e))?;
        let path = entry.path();
        let ft = entry.file_type().map_err(|e| Error::read(&path, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let excluded =
            !exclude.is_empty() && exclude.matches(&relative(root, &path), &name, ft.is_dir());
        if name.starts_with('.') {
            // Left out as hidden, whether a pattern names it or not.
            txt_files_of(root, &path, ft, hidden);
            continue;
        }
        if excluded {
            // Its .txt files (a folder's, below it; a link to a file) are
            // counted.
            if ft.is_symlink() && is_txt_name(&path) && path.is_file() {
                exclude.left_out.push(relative(root, &path));
            } else {
                txt_files_of(root, &path, ft, &mut exclude.left_out);
            }
            continue;
        }
        if ft.is_symlink() {
            // Follow a link only where it stays inside the corpus folder.
            let target = std::fs::canonicalize(&path).map_err(|e| Error::read(&path, e))?;
            let croot = std::fs::canonicalize(root).map_err(|e| Error::read(root, e))?;
            if !target.starts_with(&croot) {
                return Err(Error::file(
                    &path,
                    "symbolic link points outside the corpus folder; move \
                     the file into the folder or remove the link",
                ));
            }
            if target.is_dir() {
                continue; // its files are reached through the real folder
            }
        } else if ft.is_dir() {
            walk(root, &path, out, others, hidden, exclude)?;
            continue;
        }
        let is_txt = is_txt_name(&path);
        let rel = || relative(root, &path);
        if !is_txt && ft.is_file() {
            others.push(rel());
        }
        if is_txt {
            // A pipe (or a socket, a device) named .txt would be read
            // forever. The entry's type comes with the folder's listing;
            // a link's target is asked for.
            let regular = if ft.is_symlink() {
                path.is_file()
            } else {
                ft.is_file()
            };
            if !regular {
                return Err(Error::file(
                    &path,
                    "not a regular file (a pipe, socket or device); remove it \
                     from the corpus folder or rename it without .txt",
                ));
            }
            out.push((rel(), path));
        }
    }
    Ok(())
}

/// The `.txt` files of an entry left out, `path` (of type `ft`), a file
/// or, below it, a folder's (its links not followed), into `out` as
/// paths relative to `root`: what the notes on hidden and excluded files
/// count. A folder that cannot be read counts none.
fn txt_files_of(root: &Path, path: &Path, ft: std::fs::FileType, out: &mut Vec<String>) {
    if ft.is_dir() {
        if let Ok(rd) = std::fs::read_dir(path) {
            for entry in rd.flatten() {
                if let Ok(ft) = entry.file_type() {
                    txt_files_of(root, &entry.path(), ft, out);
                }
            }
        }
    } else if !ft.is_symlink() && is_txt_name(path) {
        out.push(relative(root, path));
    }
}

/// Whether `path` names a `.txt` file (any case).
fn is_txt_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
}

/// `path` relative to `root`, its parts joined by `/`.
fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// An `--exclude` pattern: its glob, whether it matches paths (it has
/// a `/`; else names), and whether folders alone (a trailing `/`).
fn exclude_glob(p: &str) -> std::result::Result<(globset::Glob, bool, bool), String> {
    // A leading `/` or `./` anchors the pattern at the corpus folder; a
    // trailing `/` keeps it to folders.
    let anchored = p.strip_prefix("./").or_else(|| p.strip_prefix('/'));
    let body = anchored.unwrap_or(p);
    let dirs_only = body.ends_with('/');
    let body = body.trim_end_matches('/');
    if body.is_empty() || body == "." {
        return Err(format!(
            "--exclude {p:?} names nothing; give a name or path pattern, such as \
             README.txt or drafts/"
        ));
    }
    let glob = globset::GlobBuilder::new(body)
        .literal_separator(true)
        // As `.txt` is told in any case: README.TXT is README.txt.
        .case_insensitive(true)
        .build()
        .map_err(|e| {
            format!(
                "--exclude {p:?} is not a pattern ({}); write names with * and ? \
                 (*_draft.txt) or paths from the corpus folder (2019/notes/*.txt)",
                e.kind()
            )
        })?;
    Ok((glob, anchored.is_some() || body.contains('/'), dirs_only))
}

/// An `--exclude` pattern checked, for the command line.
///
/// ```
/// use framescope::corpus::exclude_pattern;
/// assert_eq!(exclude_pattern("*_draft.txt"), Ok("*_draft.txt".to_string()));
/// assert!(exclude_pattern("a[b").is_err());
/// assert!(exclude_pattern("/").is_err());
/// ```
pub fn exclude_pattern(p: &str) -> std::result::Result<String, String> {
    exclude_glob(p).map(|_| p.to_string())
}

/// The `--exclude` patterns of a folder corpus, as a `.gitignore` reads
/// them: a pattern without `/` matches a file's or folder's name at any
/// depth (`README.txt`, `*_draft.txt`), one with `/` (a leading one, or
/// `./`, too) a path from the corpus folder (`2019/notes/*.txt`,
/// `/README.txt`); `*` and `?` stay within a name,
/// `**` crosses folders; a trailing `/` matches folders alone. A folder
/// matched is left out with everything below it.
struct Exclude {
    patterns: Vec<ExcludePattern>,
    /// The `.txt` files left out, relative to the corpus folder.
    left_out: Vec<String>,
}

/// One `--exclude` pattern.
struct ExcludePattern {
    /// As given.
    text: String,
    glob: globset::GlobMatcher,
    /// It matches the path from the corpus folder (else the name).
    path: bool,
    /// It matches folders alone.
    dirs_only: bool,
    /// It has matched an entry.
    used: bool,
}

impl Exclude {
    fn new(patterns: &[String]) -> Result<Exclude> {
        let patterns = patterns
            .iter()
            .map(|p| {
                let (glob, path, dirs_only) = exclude_glob(p).map_err(Error::Invalid)?;
                Ok(ExcludePattern {
                    text: p.clone(),
                    glob: glob.compile_matcher(),
                    path,
                    dirs_only,
                    used: false,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Exclude {
            patterns,
            left_out: Vec::new(),
        })
    }

    fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether the entry at `rel` (its name `name`) is left out; the
    /// patterns that match it are marked as used.
    fn matches(&mut self, rel: &str, name: &str, is_dir: bool) -> bool {
        let mut hit = false;
        for p in &mut self.patterns {
            if (is_dir || !p.dirs_only) && p.glob.is_match(if p.path { rel } else { name }) {
                p.used = true;
                hit = true;
            }
        }
        hit
    }

    /// Say how many .txt files were left out, and which patterns matched
    /// nothing (a mistyped name would leave its file in unseen).
    fn tell(&self, root: &Path) {
        if let Some(first) = self.left_out.iter().min() {
            let n = self.left_out.len();
            let (s, are) = if n == 1 { ("", "is") } else { ("s", "are") };
            eprintln!(
                "framescope: note: {}: {n} .txt file{s} {are} left out by --exclude (the \
                 first: {first})",
                root.display()
            );
        }
        for p in self.patterns.iter().filter(|p| !p.used) {
            let what = match (p.path, p.dirs_only) {
                (true, false) => "a path from the corpus folder",
                (true, true) => "a folder's path from the corpus folder",
                (false, false) => "a file's or folder's whole name, at any depth",
                (false, true) => "a folder's whole name, at any depth",
            };
            eprintln!(
                "framescope: warning: {}: --exclude {:?} matches no file or folder; check \
                 it (it is {what})",
                root.display(),
                p.text,
            );
        }
    }
}

/// Reads the files of a folder corpus, in order, each handed out once
/// read: [`ReadAhead`] reads the next ones meanwhile.
pub(crate) struct Reader<'a> {
    entries: std::slice::Iter<'a, Entry>,
    options: &'a ReadOptions,
    /// Files read ahead, once reading them here has proved slow.
    ahead: Option<ReadAhead>,
    /// How long the last files took to read here, in microseconds.
    times: Vec<u32>,
    /// Files read so far ([`super::Corpus::read_share`]).
    files_read: super::ReadCount,
}

impl<'a> Reader<'a> {
    pub fn new(
        entries: &'a [Entry],
        options: &'a ReadOptions,
        read: &super::ReadCount,
    ) -> Reader<'a> {
        Reader {
            entries: entries.iter(),
            options,
            ahead: None,
            times: Vec::with_capacity(SLOW_PROBE),
            files_read: read.clone(),
        }
    }

    /// The bytes of `entry`, the entry just taken from `entries`.
    fn read(&mut self, entry: &Entry) -> Result<Vec<u8>> {
        self.files_read
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Some(ahead) = &self.ahead {
            return match ahead.take() {
                Some(Ok(bytes)) => Ok(bytes),
                Some(Err(e)) => Err(Error::read(&entry.path, e)),
                // Too big to hold in the window: read here.
                None => read_whole(&entry.path),
            };
        }
        let started = std::time::Instant::now();
        let bytes = read_whole(&entry.path);
        let took = started.elapsed().as_micros();
        self.times.push(u32::try_from(took).unwrap_or(u32::MAX));
        if self.times.len() == SLOW_PROBE {
            // Files the disk has to find (not in the page cache) take
            // 70 µs and more each, files in the cache about 10: the
            // median of the last reads says which, whatever a thread
            // switch made of one of them.
            self.times.sort_unstable();
            let slow = self.times[SLOW_PROBE / 2] >= SLOW_READ_MICROS || read_ahead_forced();
            self.times.clear();
            let rest = self.entries.as_slice();
            if slow && rest.len() >= READ_AHEAD_FILES {
                self.ahead = Some(ReadAhead::start(
                    rest.iter().map(|e| e.path.clone()).collect(),
                ));
            }
        }
        bytes
    }
}

/// A file's bytes, read here; an error names the file.
fn read_whole(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::read(path, e))
}

/// `FRAMESCOPE_READ_AHEAD=always` starts [`ReadAhead`] whatever the
/// reads take (for the tests: a folder they make is in the page cache).
fn read_ahead_forced() -> bool {
    std::env::var_os("FRAMESCOPE_READ_AHEAD").is_some_and(|v| v == "always")
}

/// Files read here at a time before [`Reader`] judges whether they are
/// slow.
const SLOW_PROBE: usize = 16;

/// A median read this slow, in microseconds, starts [`ReadAhead`].
const SLOW_READ_MICROS: u32 = 40;

/// Files read at once by [`ReadAhead`]: a folder's files are read in
/// parallel, as a disk serves several requests at a time. On 100,000
/// files of 3 KB (395 MB, 100 folders) not in the page cache, `cat`
/// took 7.96 s one file after the other and 3.00, 2.47 and 2.55 s with
/// 8, 32 and 64 at a time (`xargs -P`).
const READ_AHEAD_THREADS: usize = 16;

/// Files read ahead of the one handed out, at most.
const READ_AHEAD_FILES: usize = 64;

/// Files bigger than this are left to the reader, which reads them when
/// it gets to them: the window holds at most [`READ_AHEAD_FILES`] of
/// this size, and a big file is read fast on its own.
const READ_AHEAD_MAX_BYTES: u64 = 1 << 20;

/// The files of a folder corpus read ahead of the reader, in parallel, on
/// threads of their own (they wait on the disk, not on a core). Each
/// file is read once, by one thread; the reader takes them in order,
/// so errors and warnings come in the corpus's order whatever thread
/// read what. At most [`READ_AHEAD_FILES`] files are held at a time.
struct ReadAhead {
    shared: std::sync::Arc<Shared>,
    /// Threads started (none: the reader reads every file itself).
    threads: usize,
}

/// A file read ahead: its bytes, its error, or `None` when it is bigger
/// than [`READ_AHEAD_MAX_BYTES`] (the reader reads it).
type Ahead = Option<std::io::Result<Vec<u8>>>;

struct Shared {
    paths: Vec<PathBuf>,
    /// The next file a thread takes.
    next: std::sync::atomic::AtomicUsize,
    state: std::sync::Mutex<Window>,
    /// Signalled when the file the reader waits for is read.
    ready: std::sync::Condvar,
    /// Signalled when the window has moved on by a quarter, not at every
    /// file (on 100,000 files in the page cache, waking every thread at
    /// every file made `freq` take 2.7 s instead of 0.8).
    room: std::sync::Condvar,
}

struct Window {
    /// The file the reader takes next.
    base: usize,
    /// Files `base..`: `None` until read.
    files: std::collections::VecDeque<Option<Ahead>>,
    /// The reader waits for the file at `base`.
    waiting: bool,
    /// The reader is gone: the threads stop.
    stop: bool,
}

impl ReadAhead {
    fn start(paths: Vec<PathBuf>) -> ReadAhead {
        let n_threads = READ_AHEAD_THREADS.min(paths.len());
        let shared = std::sync::Arc::new(Shared {
            paths,
            next: std::sync::atomic::AtomicUsize::new(0),
            state: std::sync::Mutex::new(Window {
                base: 0,
                files: std::iter::repeat_with(|| None)
                    .take(READ_AHEAD_FILES)
                    .collect(),
                waiting: false,
                stop: false,
            }),
            ready: std::sync::Condvar::new(),
            room: std::sync::Condvar::new(),
        });
        let mut threads = 0;
        for _ in 0..n_threads {
            let shared = shared.clone();
            let spawned = std::thread::Builder::new()
                .name("framescope-read".into())
                .spawn(move || shared.work());
            if spawned.is_err() {
                // The threads started read every file between them.
                break;
            }
            threads += 1;
        }
        ReadAhead { shared, threads }
    }

    /// The next file, once a thread has read it; `None` when the reader
    /// is to read it itself (too big, or no thread could be started).
    fn take(&self) -> Option<std::io::Result<Vec<u8>>> {
        if self.threads == 0 {
            return None;
        }
        let sh = &self.shared;
        let mut w = sh.lock();
        if w.base >= sh.paths.len() {
            return None;
        }
        let got = loop {
            if let Some(f) = w.files[0].take() {
                break f;
            }
            w.waiting = true;
            w = sh.ready.wait(w).unwrap_or_else(|p| p.into_inner());
            w.waiting = false;
        };
        w.files.pop_front();
        w.files.push_back(None);
        w.base += 1;
        let moved = w.base % (READ_AHEAD_FILES / 4) == 0;
        drop(w);
        if moved {
            sh.room.notify_all();
        }
        got
    }
}

impl Drop for ReadAhead {
    /// The threads stop after the file they are reading.
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.room.notify_all();
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Window> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A thread's work: take the next file, wait until it is inside the
    /// window, read it, put it in its place.
    fn work(&self) {
        use std::sync::atomic::Ordering;
        loop {
            let i = self.next.fetch_add(1, Ordering::AcqRel);
            if i >= self.paths.len() {
                return;
            }
            {
                let mut w = self.lock();
                while !w.stop && i >= w.base + READ_AHEAD_FILES {
                    w = self.room.wait(w).unwrap_or_else(|p| p.into_inner());
                }
                if w.stop {
                    return;
                }
            }
            let read = read_small(&self.paths[i]);
            let mut w = self.lock();
            if w.stop {
                return;
            }
            let at = i - w.base;
            w.files[at] = Some(read);
            let wake = at == 0 && w.waiting;
            drop(w);
            if wake {
                self.ready.notify_one();
            }
        }
    }
}

/// A file's bytes, unless it is bigger than [`READ_AHEAD_MAX_BYTES`]
/// (`None`: the reader reads it).
fn read_small(path: &Path) -> Ahead {
    use std::io::Read;
    let read = || -> std::io::Result<Option<Vec<u8>>> {
        let mut f = std::fs::File::open(path)?;
        let len = f.metadata()?.len();
        if len > READ_AHEAD_MAX_BYTES {
            return Ok(None);
        }
        let mut bytes = Vec::with_capacity(len as usize);
        f.read_to_end(&mut bytes)?;
        Ok(Some(bytes))
    };
    read().transpose()
}

impl Iterator for Reader<'_> {
    type Item = Result<Document>;

    fn next(&mut self) -> Option<Result<Document>> {
        let mut entry = self.entries.next()?;
        // Decoded first (--encoding): UTF-16 holds NULs.
        let enc = self.options.enc();
        let mut bytes = self.read(entry).map(|b| super::transcode_bytes(b, enc));
        // A NUL byte means a binary file (a PDF, an image) that slipped in:
        // skipped with a warning naming it, or an error with --strict.
        while let Ok(b) = &bytes {
            // UTF-16 has NULs too: decode names it.
            let utf16 = b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]);
            if utf16 || !b.contains(&0) {
                break;
            }
            if let Some(label) = super::looks_utf16(b) {
                return Some(Err(Error::file(&entry.path, super::utf16_unmarked(label))));
            }
            if self.options.strict {
                return Some(Err(Error::file(
                    &entry.path,
                    "binary file (it holds NUL bytes); remove it from the corpus, or \
                     drop --strict to skip it with a warning",
                )));
            }
            eprintln!(
                "framescope: warning: {}: binary file (it holds NUL bytes), skipped",
                entry.path.display()
            );
            entry = self.entries.next()?;
            bytes = self.read(entry).map(|b| super::transcode_bytes(b, enc));
        }
        let doc = bytes
            .and_then(|bytes| decode(bytes, &entry.path, 0, None, self.options))
            .map(|text| Document {
                index: 0,
                id: entry.id.clone(),
                text,
                meta: entry.meta.clone(),
            });
        Some(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch folder of its own for a test.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("framescope-dir-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Every file comes out in order, as `std::fs::read` reads it, from
    /// however many threads read them: the bytes, a file's error, and
    /// `None` for a file too big to hold in the window.
    #[test]
    fn read_ahead_hands_out_each_file_in_order() {
        let dir = scratch("order");
        let n = 3 * READ_AHEAD_FILES + 7;
        let paths: Vec<PathBuf> = (0..n).map(|i| dir.join(format!("{i:04}.txt"))).collect();
        for (i, p) in paths.iter().enumerate() {
            match i {
                // A file that is gone by the time it is read.
                5 => {}
                // Too big for the window, and the biggest it may hold.
                9 => std::fs::write(p, vec![b'a'; READ_AHEAD_MAX_BYTES as usize + 1]).unwrap(),
                10 => std::fs::write(p, vec![b'b'; READ_AHEAD_MAX_BYTES as usize]).unwrap(),
                _ => std::fs::write(p, format!("file {i} ").repeat(i % 50)).unwrap(),
            }
        }
        let ahead = ReadAhead::start(paths.clone());
        for (i, p) in paths.iter().enumerate() {
            let got = ahead.take();
            let want = std::fs::read(p);
            match (i, got, want) {
                (9, None, Ok(_)) => {}
                (_, Some(Ok(g)), Ok(w)) => assert_eq!(g, w, "file {i}"),
                (5, Some(Err(g)), Err(w)) => assert_eq!(g.kind(), w.kind()),
                (i, g, w) => panic!("file {i}: {g:?} against {w:?}"),
            }
        }
        assert!(ahead.take().is_none(), "nothing after the last file");
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A reader that stops early (an error in a document) leaves no
    /// thread behind: each stops after the file it is reading, those
    /// waiting for the window too.
    #[test]
    fn read_ahead_threads_end_when_it_is_dropped() {
        let dir = scratch("drop");
        let paths: Vec<PathBuf> = (0..1000).map(|i| dir.join(format!("{i}.txt"))).collect();
        for p in &paths {
            std::fs::write(p, "text").unwrap();
        }
        let ahead = ReadAhead::start(paths);
        for _ in 0..3 {
            assert_eq!(ahead.take().unwrap().unwrap(), b"text");
        }
        let shared = ahead.shared.clone();
        drop(ahead);
        // Each thread holds the shared state until it returns.
        let started = std::time::Instant::now();
        while std::sync::Arc::strong_count(&shared) > 1 {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(60),
                "{} threads still running",
                std::sync::Arc::strong_count(&shared) - 1
            );
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert!(shared.next.load(std::sync::atomic::Ordering::Acquire) < 1000);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
