//! Reading the CSV files embedded in the binary.

use csv::{ReaderBuilder, StringRecord};

/// Why an embedded file could not be read. Only ever seen in a panic message: see [`loaded`].
#[derive(Debug, thiserror::Error)]
pub(crate) enum DataError {
    #[error("{file}: {source}")]
    Csv {
        file: &'static str,
        #[source]
        source: csv::Error,
    },
    #[error("{file}: expected the columns {expected:?}, found {found:?}")]
    Header { file: &'static str, expected: Vec<&'static str>, found: Vec<String> },
    #[error("{file}, line {line}: {reason}")]
    Row { file: &'static str, line: u64, reason: String },
    #[error("{file}: {reason}")]
    Table { file: &'static str, reason: String },
}

/// Unwraps the result of loading an embedded table.
///
/// The tables are compiled into the binary, so a row that does not parse is a bug in the data we
/// shipped, not something a user or an operator can fix at run time: there is no sensible way to
/// serve pages without the table. Panicking at first use with the file and line is therefore the
/// honest response, and the test suite loads every table, so a broken file fails CI before it can
/// be released.
pub(crate) fn loaded<T>(result: Result<T, DataError>) -> T {
    match result {
        Ok(table) => table,
        Err(error) => panic!("embedded reference data is broken: {error}"),
    }
}

/// Calls `row` for every record of `text`, after checking that its header is exactly `header`.
/// `row` gets the record's line number and explains a bad record with a sentence.
pub(crate) fn each_row(
    file: &'static str,
    text: &str,
    header: &[&'static str],
    mut row: impl FnMut(&Record<'_>) -> Result<(), String>,
) -> Result<(), DataError> {
    let csv_error = |source| DataError::Csv { file, source };
    let mut reader = ReaderBuilder::new().from_reader(text.as_bytes());
    let found = reader.headers().map_err(csv_error)?;
    if found.iter().ne(header.iter().copied()) {
        return Err(DataError::Header {
            file,
            expected: header.to_vec(),
            found: found.iter().map(str::to_owned).collect(),
        });
    }
    let mut record = StringRecord::new();
    while reader.read_record(&mut record).map_err(csv_error)? {
        let line = record.position().map_or(0, csv::Position::line);
        row(&Record(&record)).map_err(|reason| DataError::Row { file, line, reason })?;
    }
    Ok(())
}

/// One CSV record whose field count the reader has already checked against the header.
pub(crate) struct Record<'r>(&'r StringRecord);

impl Record<'_> {
    /// The trimmed field in column `index`.
    pub(crate) fn get(&self, index: usize) -> Result<&str, String> {
        self.0.get(index).map(str::trim).ok_or_else(|| format!("no column {index}"))
    }

    /// Like [`Record::get`], refusing an empty field.
    pub(crate) fn required(&self, index: usize, what: &str) -> Result<&str, String> {
        let value = self.get(index)?;
        if value.is_empty() {
            return Err(format!("empty {what}"));
        }
        Ok(value)
    }
}
