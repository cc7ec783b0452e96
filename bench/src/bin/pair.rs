//! Aligns two files and prints the passages (a debugging aid for the benches).
use stemma_align::{align, AlignOptions};
use stemma_text::Analysis;
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(a), Some(b)) = (args.first(), args.get(1)) else {
        eprintln!("pair A B");
        std::process::exit(2);
    };
    let ta = String::from_utf8_lossy(&std::fs::read(a).unwrap_or_default()).into_owned();
    let tb = String::from_utf8_lossy(&std::fs::read(b).unwrap_or_default()).into_owned();
    let al = align(&ta, &Analysis::new(&ta, None), &tb, &Analysis::new(&tb, None), &AlignOptions::default());
    for p in &al.passages {
        let (ao, al_) = stemma_bench::pan::char_span(&ta, p.a.clone());
        let (bo, bl) = stemma_bench::pan::char_span(&tb, p.b.clone());
        println!(
            "A[{ao}+{al_}] B[{bo}+{bl}] sim {:.2}\n  A: {:?}\n  B: {:?}",
            p.similarity,
            &ta[p.a.clone()],
            &tb[p.b.clone()]
        );
    }
}
