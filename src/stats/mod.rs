//! Statistics: take analysis data, return result structs (quanteda's
//! `textstat_*`). Never reads files, never draws, never formats.

mod compare;
mod comparison;
mod dist;
mod frequency;
mod scores;

pub use compare::{
    benjamini_hochberg, chi2_sf_1, clopper_pearson, cosine, g2, log_ratio, mann_whitney_p,
    mann_whitney_p_sorting, mann_whitney_p_zeros, rate_ratio_ci, z_logodds,
};
pub use comparison::{
    check_pairs, frame_compare, frame_compare_all, keyness, keyness_all, keyness_all_dp,
    similarity, similarity_with, units, Dispersion, FrameCompareRow, Groups, KeynessCounts,
    KeynessKey, KeynessOptions, KeynessRow, SimilarityRow, Units,
};
pub use dist::{gamma_quantile, poisson_ci};
pub use frequency::{
    frequency, frequency_rows, frequency_terms, per_1k, top_rows, GroupFrequency, TermFrequency,
};
pub use scores::{frame_scores, group_scores, FrameScore, ScoreRef};

/// The order of the groups of a metadata field (`--by FIELD`), as
/// quanteda orders a grouping's levels: values that read as numbers
/// first, by value (years in date order), then the others by code point;
/// two that read as the same number (`2020`, `2020.0`) by code point.
///
/// ```
/// let mut v = vec!["2021", "b", "10", "2020.5", "", "A", "9"];
/// v.sort_by(|a, b| framescope::stats::group_order(a, b));
/// assert_eq!(v, ["9", "10", "2020.5", "2021", "", "A", "b"]);
/// ```
pub fn group_order(a: &str, b: &str) -> std::cmp::Ordering {
    let number = |s: &str| s.parse::<f64>().ok().filter(|v| v.is_finite());
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.cmp(b)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}
