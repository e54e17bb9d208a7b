//! The one error type of kpidash, with variants a user can act on.

/// Everything that can go wrong, each variant carrying the context a person
/// needs to fix the input: which file, and where possible which row and column.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The bytes are not a readable Arrow or CSV file.
    #[error("{file}: {reason}")]
    UnreadableFile {
        /// File name as the user gave it.
        file: String,
        /// What is wrong, in plain words.
        reason: String,
    },
    /// One cell could not be read as the type its column needs.
    #[error("{file}: row {row}, column '{column}': cannot read '{value}' as {expected}")]
    BadCell {
        /// File name.
        file: String,
        /// 1-based data row (the header is row 0).
        row: usize,
        /// Column header as written in the file.
        column: String,
        /// The offending text, shortened.
        value: String,
        /// What was expected ("a date", "a number").
        expected: String,
    },
    /// A table lacks a column its kind requires.
    #[error("{file}: a {kind} table needs a '{role}' column")]
    MissingColumn {
        /// File name.
        file: String,
        /// Table kind.
        kind: String,
        /// The missing role.
        role: String,
    },
    /// The table kind of a file could not be told from its columns.
    #[error("{file}: cannot tell what kind of table this is ({reason}); name its kind explicitly")]
    UnknownKind {
        /// File name.
        file: String,
        /// What was seen.
        reason: String,
    },
    /// The file is larger than this environment can hold.
    #[error("{file}: {size} bytes is more than the {limit} bytes this page can load")]
    TooLarge {
        /// File name.
        file: String,
        /// File size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// A configuration or KPI definition is invalid.
    #[error("configuration: {0}")]
    Config(String),
    /// A request (grain, dimension, date, option) is invalid.
    #[error("{0}")]
    Invalid(String),
}

/// The result type used across kpidash.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Shorthand for [`Error::UnreadableFile`].
    pub fn unreadable(file: &str, reason: impl std::fmt::Display) -> Self {
        Error::UnreadableFile {
            file: file.to_owned(),
            reason: reason.to_string(),
        }
    }
}
