//! LIWC-style `.dic` dictionaries: a `%`-delimited block of categories
//! (`id<TAB>name`), then one entry a line (`word<TAB>id id …`); a trailing
//! `*` is a wildcard and an entry may hold several words. Each category
//! becomes a frame whose patterns are its words in file order.

use std::path::Path;

use super::{Frame, Lexicon, Pattern};
use crate::error::{Error, Result};

/// Parse a `.dic` file.
pub(crate) fn parse(text: &str, path: &Path, id: &str) -> Result<Lexicon> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.trim_end_matches('\r')));
    let text_start = |l: &str| l.trim_start_matches('\u{feff}').trim().to_string();
    // The opening `%`.
    let open = lines.by_ref().find(|(_, l)| !text_start(l).is_empty());
    match open {
        Some((_, l)) if text_start(l) == "%" => {}
        Some((n, _)) => {
            return Err(Error::line(
                path,
                n,
                "a LIWC dictionary starts with a line holding only `%`, then \
                 the categories, then another `%`",
            ))
        }
        None => {
            return Err(Error::file(
                path,
                "is empty; a LIWC dictionary needs categories and words",
            ))
        }
    }
    // Categories until the closing `%`.
    let mut cats: Vec<(String, String)> = Vec::new(); // (id, name)
    let mut closed = false;
    for (n, l) in lines.by_ref() {
        let l = text_start(l);
        if l.is_empty() {
            continue;
        }
        if l == "%" {
            closed = true;
            break;
        }
        let mut parts = l.split_whitespace();
        let (Some(cid), Some(name)) = (parts.next(), parts.next()) else {
            return Err(Error::line(
                path,
                n,
                "a category line needs an id and a name, e.g. `1 posemo`",
            ));
        };
        if parts.next().is_some() {
            return Err(Error::line(
                path,
                n,
                "a category name may not contain spaces; join its words with `_`",
            ));
        }
        if !cid.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::line(
                path,
                n,
                format!(
                    "category id {cid:?} is not a number; a category line is a number and \
                     a name, e.g. `1 posemo`"
                ),
            ));
        }
        // `02` and `2` are one id, as LIWC reads them.
        let cid = number(cid);
        if cats.iter().any(|(c, _)| c == cid) {
            return Err(Error::line(
                path,
                n,
                format!("category id {cid} is defined twice; give each category its own id"),
            ));
        }
        cats.push((cid.to_string(), name.to_string()));
    }
    if !closed {
        return Err(Error::file(
            path,
            "the category block is not closed by a `%` line; add one after the last category",
        ));
    }
    if cats.is_empty() {
        return Err(Error::file(
            path,
            "defines no categories; list them between the two `%` lines",
        ));
    }
    let mut words: Vec<Vec<Pattern>> = cats.iter().map(|_| Vec::new()).collect();
    for (n, l) in lines {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        let toks: Vec<&str> = l.split_whitespace().collect();
        let n_ids = toks
            .iter()
            .rev()
            .take_while(|t| t.bytes().all(|b| b.is_ascii_digit()))
            .count();
        if n_ids == 0 || n_ids == toks.len() {
            return Err(Error::line(
                path,
                n,
                "an entry is a word followed by category ids, e.g. `abandon* 2 5` \
                 (LIWC2007 conditional entries are not supported)",
            ));
        }
        let word = toks[..toks.len() - n_ids].join(" ");
        let pat = Pattern::parse(&word)
            .map_err(|e| Error::line(path, n, format!("entry {word:?}: {e}")))?;
        for cid in &toks[toks.len() - n_ids..] {
            let cid = number(cid);
            let Some(i) = cats.iter().position(|(c, _)| c == cid) else {
                return Err(Error::line(
                    path,
                    n,
                    format!("entry {word:?} names category {cid}, which the category block does not define"),
                ));
            };
            words[i].push(pat.clone());
        }
    }
    let mut frames = Vec::new();
    for ((cid, name), patterns) in cats.into_iter().zip(words) {
        if patterns.is_empty() {
            eprintln!(
                "framescope: warning: {}: category {cid} ({name}) has no words and is left out",
                path.display()
            );
            continue;
        }
        let mut fid: String = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        if frames.iter().any(|f: &Frame| f.id == fid) {
            fid = format!("{fid}_{cid}");
        }
        frames.push(Frame {
            id: fid,
            label: name,
            description: format!("LIWC category {cid}"),
            patterns,
        });
    }
    if frames.is_empty() {
        return Err(Error::file(
            path,
            "no category has any words; add entries after the category block",
        ));
    }
    Ok(Lexicon {
        id: id.to_string(),
        name: id.to_string(),
        version: String::new(),
        description: format!("Converted from the LIWC dictionary {}", path.display()),
        language: "english".to_string(),
        frames,
        path: None,
    })
}

/// A category id without its leading zeros (`0` for zeros alone).
fn number(digits: &str) -> &str {
    match digits.trim_start_matches('0') {
        "" => "0",
        d => d,
    }
}
