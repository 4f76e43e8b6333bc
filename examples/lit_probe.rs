fn main() {
    let text = std::fs::read(std::env::args().nth(1).unwrap()).unwrap();
    let lits: Vec<String> = std::fs::read_to_string(std::env::args().nth(2).unwrap())
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    for n in [16, 32, 48, 64, lits.len()] {
        let n = n.min(lits.len());
        for ci in [true, false] {
            let ac = aho_corasick::AhoCorasickBuilder::new()
                .ascii_case_insensitive(ci)
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(&lits[..n])
                .unwrap();
            let t = std::time::Instant::now();
            let mut pos = 0;
            let mut c = 0;
            while let Some(m) = ac.find(aho_corasick::Input::new(&text).span(pos..text.len())) {
                c += 1;
                pos = m.start() + 1;
            }
            let el = t.elapsed();
            println!(
                "{n} patterns ci={ci}: {c} hits {:.0} MB/s",
                text.len() as f64 / 1e6 / el.as_secs_f64()
            );
        }
    }
}
