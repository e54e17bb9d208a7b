//! Rows of a column picked by row number, repeated or skipped: what
//! spreading a campaign report over its days ([`super::spread`]) and
//! melting a wide series ([`super::wide`]) do to the columns they keep.
//!
//! This is `arrow_select::take` for our use, built on `MutableArrayData`
//! (already in the build for joining IPC batches): `take` handles every
//! Arrow type, run-end encoded arrays included, and those bring a comparator
//! for every type with them — about 500 kB of the page's `.wasm` for two
//! calls on the loader's own columns.

use arrow_array::{Array, ArrayRef, make_array};
use arrow_data::transform::MutableArrayData;
use arrow_schema::ArrowError;

/// The rows of `array` at `rows`, in that order. Consecutive ascending row
/// numbers are copied as one slice. Fails on a row number out of range or
/// when the text grows past what 32-bit offsets hold.
pub(super) fn rows(
    array: &dyn Array,
    rows: impl IntoIterator<Item = usize>,
) -> Result<ArrayRef, ArrowError> {
    let data = array.to_data();
    let mut out = MutableArrayData::new(vec![&data], false, array.len());
    let mut run: Option<(usize, usize)> = None;
    for r in rows {
        run = match run {
            Some((start, end)) if end == r => Some((start, r + 1)),
            Some((start, end)) => {
                out.try_extend(0, start, end)?;
                Some((r, r + 1))
            }
            None => Some((r, r + 1)),
        };
    }
    if let Some((start, end)) = run {
        out.try_extend(0, start, end)?;
    }
    Ok(make_array(out.freeze()))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, TimestampMicrosecondType};
    use arrow_array::{Float64Array, StringArray, TimestampMicrosecondArray};

    use super::*;

    #[test]
    fn repeats_skips_and_reorders_rows_keeping_nulls() {
        let text: ArrayRef = Arc::new(StringArray::from(vec![Some("a"), None, Some("c")]));
        let picked = rows(text.as_ref(), [0, 0, 2, 1, 1, 0]).expect("rows in range");
        let got: Vec<Option<&str>> = picked.as_string::<i32>().iter().collect();
        assert_eq!(
            got,
            [Some("a"), Some("a"), Some("c"), None, None, Some("a")]
        );

        let numbers: ArrayRef = Arc::new(Float64Array::from(vec![
            Some(1.5),
            None,
            Some(3.0),
            Some(4.0),
        ]));
        let picked = rows(numbers.as_ref(), [1, 2, 3, 3]).expect("rows in range");
        let got: Vec<Option<f64>> = picked.as_primitive::<Float64Type>().iter().collect();
        assert_eq!(got, [None, Some(3.0), Some(4.0), Some(4.0)]);
    }

    #[test]
    fn keeps_the_type_with_its_time_zone_picks_nothing_refuses_a_row_out_of_range() {
        let dates: ArrayRef =
            Arc::new(TimestampMicrosecondArray::from(vec![86_400_000_000, 0]).with_timezone("UTC"));
        let picked = rows(dates.as_ref(), [1, 0]).expect("rows in range");
        assert_eq!(picked.data_type(), dates.data_type());
        let got: Vec<i64> = picked
            .as_primitive::<TimestampMicrosecondType>()
            .values()
            .to_vec();
        assert_eq!(got, [0, 86_400_000_000]);
        assert_eq!(rows(dates.as_ref(), []).expect("no rows").len(), 0);
        assert!(rows(dates.as_ref(), [0, 2]).is_err());
    }
}
