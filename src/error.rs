//! Errors of the library: each names the file (and the line, byte or
//! field) it is about and ends with what to do. The binary prints one
//! line per error and exits 1.

use std::path::{Path, PathBuf};

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error that says where and what to do.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something wrong with a whole file or folder.
    #[error("{}: {msg}", path.display())]
    File { path: PathBuf, msg: String },
    /// Something wrong at one line of a file (1-based).
    #[error("{}:{line}: {msg}", path.display())]
    Line {
        path: PathBuf,
        line: u64,
        msg: String,
    },
    /// Something wrong at a line and column of a file (both 1-based).
    #[error("{}:{line}:{column}: {msg}", path.display())]
    At {
        path: PathBuf,
        line: u64,
        column: u64,
        msg: String,
    },
    /// An operating-system error reading or writing a file.
    // Not `source`: the message already holds the OS error, and a source
    // would be printed a second time in the error chain.
    #[error("{}: {err}; {hint}", path.display())]
    Io {
        path: PathBuf,
        err: std::io::Error,
        hint: &'static str,
    },
    /// A bad option value or a request the data cannot answer.
    #[error("{0}")]
    Invalid(String),
}

/// What to do when a write fails with `File too large`.
pub(crate) const FILE_SIZE_LIMIT: &str =
    "a limit on file sizes (ulimit -f) stops it: raise the limit";

impl Error {
    /// An error about a whole file.
    pub fn file(path: &Path, msg: impl Into<String>) -> Error {
        Error::File {
            path: path.to_path_buf(),
            msg: msg.into(),
        }
    }

    /// An error at a line of a file.
    /// An error at a line of a file, or of the whole file when its line
    /// could not be told (`None`: the file could not be read again).
    pub fn at(path: &Path, line: Option<u64>, msg: impl Into<String>) -> Error {
        match line {
            Some(l) => Error::line(path, l, msg),
            None => Error::file(path, msg),
        }
    }

    pub fn line(path: &Path, line: u64, msg: impl Into<String>) -> Error {
        Error::Line {
            path: path.to_path_buf(),
            line,
            msg: msg.into(),
        }
    }

    /// A failed read.
    pub fn read(path: &Path, source: std::io::Error) -> Error {
        let hint = match source.kind() {
            std::io::ErrorKind::NotFound => "check the path",
            std::io::ErrorKind::PermissionDenied => "check its permissions",
            _ => "check that it is readable",
        };
        Error::Io {
            path: path.to_path_buf(),
            err: source,
            hint,
        }
    }

    /// A failed read of gzip-compressed data: past opening the file, the
    /// data cut short or damaged.
    pub fn read_gz(path: &Path, source: std::io::Error) -> Error {
        match source.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                Error::read(path, source)
            }
            _ => Error::Io {
                path: path.to_path_buf(),
                err: source,
                hint: "the compressed data is cut short or damaged: test it with \
                       `gzip -t`, and copy or download the file again",
            },
        }
    }

    /// A failed write.
    pub fn write(path: &Path, source: std::io::Error) -> Error {
        let hint = match source.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                "free space there, or choose an output folder with room with --out"
            }
            std::io::ErrorKind::FileTooLarge => FILE_SIZE_LIMIT,
            _ => "choose a writable output folder with --out",
        };
        Error::Io {
            path: path.to_path_buf(),
            err: source,
            hint,
        }
    }

    /// A bad option value or request.
    pub fn invalid(msg: impl Into<String>) -> Error {
        Error::Invalid(msg.into())
    }
}
