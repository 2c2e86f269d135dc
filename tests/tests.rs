//! The integration tests: one binary, modules per command.

mod hay;
mod util;

mod charts;
mod cli_compare;
mod cli_corpus;
mod cli_freq;
mod cli_kwic;
mod cli_lexicon;
mod cli_run;
mod cli_score;
mod contract;
mod errors;
mod matcher;
mod properties;
mod readme;
