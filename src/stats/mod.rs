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
    frequency, frequency_rows, frequency_terms, per_1k, GroupFrequency, TermFrequency,
};
pub use scores::{frame_scores, group_scores, FrameScore, ScoreRef};
