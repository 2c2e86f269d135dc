//! `framescope corpus`.

use crate::eqnice;
use crate::hay;
use crate::util::Dir;

#[test]
fn corpus_lists_documents_with_metadata() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let got = dir.stdout(&["corpus", "--format", "csv"]);
    eqnice!(
        "\
doc_id,title,date,voice,n_tokens,n_types,n_sentences,n_bytes
a,First,2018-10-14,gov,7,5,2,60
b,'=Second,2022,press,8,6,2,69
c,Third,2024-07,gov,0,0,0,0
",
        got
    );
}

#[test]
fn corpus_json_and_table() {
    let dir = Dir::new();
    hay::manifest_corpus(&dir);
    let got = dir.stdout(&["corpus", "--format", "json"]);
    assert!(got.starts_with("[\n{\"doc_id\":\"a\",\"title\":\"First\",\"date\":\"2018-10-14\",\"voice\":\"gov\",\"n_tokens\":7,"), "{got}");
    assert!(
        got.contains("\"title\":\"=Second\""),
        "json is not a spreadsheet: no escaping: {got}"
    );
    let got = dir.stdout(&["corpus", "--format", "table"]);
    eqnice!(
        "\
doc_id  title    date        voice  n_tokens  n_types  n_sentences  n_bytes
a       First    2018-10-14  gov           7        5            2       60
b       =Second  2022        press         8        6            2       69
c       Third    2024-07     gov           0        0            0        0
",
        got
    );
}

#[test]
fn corpus_folder_without_manifest_in_path_order() {
    // Path order compares relative paths bytewise: "a.txt" < "a/z.txt".
    let dir = Dir::new();
    dir.create("c/b.txt", "two words");
    dir.create("c/a/z.txt", "one");
    dir.create("c/a.txt", "three more words");
    dir.create("c/notes.md", "not a document");
    let got = dir.stdout(&["corpus", "--corpus", "c", "--format", "csv"]);
    eqnice!(
        "\
doc_id,n_tokens,n_types,n_sentences,n_bytes
a,3,3,1,16
z,1,1,1,3
b,2,2,1,9
",
        got
    );
}

#[test]
fn corpus_jsonl_metadata_union_in_order() {
    let dir = Dir::new();
    dir.create(
        "c.jsonl",
        "{\"id\":\"x\",\"text\":\"Hello there.\",\"year\":2020}\n\
         {\"text\":\"Second one\",\"outlet\":\"AP\",\"tags\":[1,2],\"n\":null}\n",
    );
    let got = dir.stdout(&["corpus", "--corpus", "c.jsonl", "--format", "csv"]);
    eqnice!(
        "\
doc_id,year,outlet,tags,n,n_tokens,n_types,n_sentences,n_bytes
x,2020,,,,2,2,1,12
text2,,AP,\"[1,2]\",,2,2,1,10
",
        got
    );
}

#[test]
fn corpus_csv_with_text_column() {
    let dir = Dir::new();
    dir.create(
        "c.csv",
        "id,text,author\nd1,\"A text, with a comma.\",Li\n,Another.,Wu\n",
    );
    let got = dir.stdout(&["corpus", "--corpus", "c.csv", "--format", "csv"]);
    eqnice!(
        "\
doc_id,author,n_tokens,n_types,n_sentences,n_bytes
d1,Li,5,4,1,21
text2,Wu,1,1,1,8
",
        got
    );
}
