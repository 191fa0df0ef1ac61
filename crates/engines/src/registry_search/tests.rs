use proptest::prelude::*;

use super::*;

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("region code")
}

fn kbli(s: &str) -> KbliCode {
    KbliCode::parse(s).expect("kbli")
}

fn id(n: u128) -> BusinessId {
    BusinessId::from_uuid(uuid_from(n))
}

fn uuid_from(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

fn business(n: u128, name: &str, owner: &str) -> BusinessFacts {
    BusinessFacts {
        id: id(n),
        name: name.to_owned(),
        owner: Some(owner.to_owned()),
        kecamatan: Some(code("36.04.01")),
        desa: Some(code("36.04.01.2001")),
        class: Some(SizeClass::Micro),
        kbli: vec![kbli("10792")],
        permits: vec![PermitKind::Nib],
        sources: vec!["dinkop".to_owned()],
        years: vec![2024],
    }
}

fn registry() -> RegistryIndex {
    let mut small = business(3, "CV Sumber Rejeki", "Bpk. Asep Saepudin");
    small.kecamatan = Some(code("36.04.02"));
    small.desa = Some(code("36.04.02.2003"));
    small.class = Some(SizeClass::Small);
    small.kbli = vec![kbli("47111"), kbli("10792")];
    small.permits = vec![PermitKind::Halal, PermitKind::Pirt];
    small.sources = vec!["oss".to_owned(), "pelatihan".to_owned()];
    small.years = vec![2023, 2024];
    let mut laundry = business(4, "Laundry Barokah", "Siti Aminah");
    laundry.kbli = vec![kbli("96011")];
    laundry.years = vec![2023];
    RegistryIndex::build(vec![
        business(1, "Keripik Pisang Bu Sari", "Hj. Sari Wulandari"),
        business(2, "Toko Barokah Jaya", "Dede Supriatna"),
        small,
        laundry,
    ])
}

fn query(text: &str) -> RegistryQuery {
    RegistryQuery { text: Some(text.to_owned()), ..RegistryQuery::default() }
}

fn ids(page: &RegistryPage) -> Vec<BusinessId> {
    page.ids.clone()
}

#[test]
fn unfiltered_list_is_in_name_order() {
    let page = registry().search(&RegistryQuery::default(), 0, 10);
    assert_eq!(page.total, 4);
    // "cv sumber rejeki", "keripik pisang bu sari", "laundry barokah", "toko barokah jaya"
    assert_eq!(ids(&page), vec![id(3), id(1), id(4), id(2)]);
}

#[test]
fn filters_combine() {
    let index = registry();
    let q = RegistryQuery { kecamatan: Some(code("36.04.01")), year: Some(2023), ..RegistryQuery::default() };
    assert_eq!(ids(&index.search(&q, 0, 10)), vec![id(4)]);
    let q =
        RegistryQuery { class: Some(SizeClass::Small), permit: Some(PermitKind::Halal), ..RegistryQuery::default() };
    assert_eq!(ids(&index.search(&q, 0, 10)), vec![id(3)]);
    let q =
        RegistryQuery { source: Some("oss".to_owned()), desa: Some(code("36.04.02.2003")), ..RegistryQuery::default() };
    assert_eq!(index.search(&q, 0, 10).total, 1);
    let q = RegistryQuery { permit: Some(PermitKind::Nib), ..RegistryQuery::default() };
    assert_eq!(index.search(&q, 0, 10).total, 3);
    // A value no business has matches nothing rather than everything.
    let q = RegistryQuery { source: Some("sensus".to_owned()), ..RegistryQuery::default() };
    assert_eq!(index.search(&q, 0, 10).total, 0);
    let q = RegistryQuery { kecamatan: Some(code("36.04.09")), ..RegistryQuery::default() };
    assert_eq!(index.search(&q, 0, 10).total, 0);
    // Filters and words together.
    let q = RegistryQuery { text: Some("barokah".to_owned()), year: Some(2024), ..RegistryQuery::default() };
    assert_eq!(ids(&index.search(&q, 0, 10)), vec![id(2)]);
}

#[test]
fn kbli_matches_at_every_level() {
    let index = registry();
    let count = |k: &str| {
        let q = RegistryQuery { kbli: Some(kbli(k)), ..RegistryQuery::default() };
        index.search(&q, 0, 10).total
    };
    assert_eq!(count("10792"), 3);
    assert_eq!(count("1079"), 3);
    assert_eq!(count("107"), 3);
    assert_eq!(count("10"), 3);
    assert_eq!(count("C"), 3);
    assert_eq!(count("G"), 1);
    assert_eq!(count("47"), 1);
    assert_eq!(count("S"), 1);
    assert_eq!(count("96011"), 1);
    assert_eq!(count("10791"), 0);
    assert_eq!(count("A"), 0);
}

#[test]
fn kbli_keeps_leading_zeros() {
    let mut farm = business(9, "Tani Makmur", "Ujang");
    farm.kbli = vec![kbli("01111")];
    let index = RegistryIndex::build(vec![farm, business(1, "Keripik", "Sari")]);
    for (k, n) in [("01111", 1), ("0111", 1), ("011", 1), ("01", 1), ("A", 1), ("11", 0), ("C", 1)] {
        let q = RegistryQuery { kbli: Some(kbli(k)), ..RegistryQuery::default() };
        assert_eq!(index.search(&q, 0, 10).total, n, "{k}");
    }
}

#[test]
fn spelling_variants_and_typos_are_found() {
    let index = registry();
    for text in ["kripik", "Keripik", "KRIPIK PISANG", "keripk", "pisang kripik", "kripik sari"] {
        assert_eq!(ids(&index.search(&query(text), 0, 10)), vec![id(1)], "{text}");
    }
    for text in ["Barokahh", "barokh", "baroakh", "Barakah"] {
        let page = index.search(&query(text), 0, 10);
        assert_eq!(page.total, 2, "{text}");
    }
    // Honorifics and legal forms are not needed to find a business.
    assert_eq!(ids(&index.search(&query("Sumber Rezeki"), 0, 10)), vec![id(3)]);
    assert_eq!(ids(&index.search(&query("CV Sumbr Rejeki"), 0, 10)), vec![id(3)]);
    // Owner names are searched too.
    assert_eq!(ids(&index.search(&query("asep"), 0, 10)), vec![id(3)]);
    assert_eq!(ids(&index.search(&query("aminah laundry"), 0, 10)), vec![id(4)]);
    // Every word must match.
    assert_eq!(index.search(&query("barokah pisang"), 0, 10).total, 0);
    assert_eq!(index.search(&query("zzzz"), 0, 10).total, 0);
}

#[test]
fn the_last_word_may_be_unfinished() {
    let index = registry();
    assert_eq!(ids(&index.search(&query("kerip"), 0, 10)), vec![id(1)]);
    assert_eq!(ids(&index.search(&query("laund"), 0, 10)), vec![id(4)]);
    // Not an earlier word: it is finished.
    assert_eq!(index.search(&query("laund barokah"), 0, 10).total, 0);
}

#[test]
fn exact_matches_rank_before_typos() {
    let index = RegistryIndex::build(vec![
        business(1, "Sate Barokan", "Ujang"),
        business(2, "Sate Barokah", "Ujang"),
        business(3, "Aa Barokah", "Ujang"),
    ]);
    let page = index.search(&query("barokah"), 0, 10);
    assert_eq!(ids(&page), vec![id(3), id(2), id(1)]);
}

#[test]
fn pages_cover_the_list_once() {
    let facts: Vec<BusinessFacts> =
        (0..250u128).map(|n| business(n + 1, &format!("Usaha Keripik {n:03}"), "Sari")).collect();
    let index = RegistryIndex::build(facts);
    for q in
        [RegistryQuery::default(), query("keripik"), RegistryQuery { year: Some(2024), ..RegistryQuery::default() }]
    {
        let mut seen = Vec::new();
        for page in 0..6 {
            let p = index.search(&q, page * 50, 50);
            assert_eq!(p.total, 250);
            seen.extend(p.ids);
        }
        assert_eq!(seen.len(), 250);
        let mut unique = seen.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 250);
        assert!(index.search(&q, 10_000, 50).ids.is_empty());
        assert_eq!(index.all(&q), seen);
    }
}

#[test]
fn upsert_and_remove_keep_the_index_current() {
    let mut index = registry();
    assert!(index.remove(id(2)));
    assert!(!index.remove(id(2)));
    assert_eq!(index.len(), 3);
    assert_eq!(index.search(&query("barokah"), 0, 10).ids, vec![id(4)]);
    assert_eq!(index.search(&RegistryQuery::default(), 0, 10).total, 3);

    // A renamed business is found by its new name only, and sorts by it.
    let mut renamed = business(1, "Aneka Dodol", "Sari");
    renamed.years = vec![2025];
    index.upsert(renamed);
    assert_eq!(index.len(), 3);
    assert_eq!(index.search(&query("keripik"), 0, 10).total, 0);
    assert_eq!(index.search(&query("dodol"), 0, 10).ids, vec![id(1)]);
    assert_eq!(index.search(&RegistryQuery::default(), 0, 10).ids, vec![id(1), id(3), id(4)]);
    let q = RegistryQuery { year: Some(2025), ..RegistryQuery::default() };
    assert_eq!(index.search(&q, 0, 10).ids, vec![id(1)]);

    index.upsert(business(7, "Zaitun Catering", "Ani"));
    assert_eq!(index.search(&RegistryQuery::default(), 3, 10).ids, vec![id(7)]);
}

#[test]
fn many_changes_at_once_match_one_by_one() {
    let facts = |range: std::ops::Range<u128>, word: &str| -> Vec<BusinessFacts> {
        range.map(|n| business(n, &format!("Usaha {word} {:03}", (n * 37) % 200), "Sari")).collect()
    };
    let mut bulk = RegistryIndex::build(facts(1..200, "Keripik"));
    let mut single = RegistryIndex::build(facts(1..200, "Keripik"));
    // Renames of some, newcomers, one given twice, and removals (one of them unknown).
    let mut changes = facts(150..230, "Dodol");
    changes.push(business(151, "Aaa Pertama", "Sari"));
    let removed = [id(3), id(4), id(999)];
    bulk.apply(changes.clone(), &removed);
    for r in removed {
        single.remove(r);
    }
    for f in changes {
        single.upsert(f);
    }
    assert_eq!(bulk.len(), single.len());
    assert_eq!(bulk.len(), 197 + 30);
    for q in [RegistryQuery::default(), query("dodol"), query("keripik"), query("pertama")] {
        assert_eq!(bulk.all(&q), single.all(&q), "{q:?}");
    }
    assert_eq!(bulk.search(&RegistryQuery::default(), 0, 1).ids, vec![id(151)]);
    // The rank stays the inverse of the name order: a later single removal finds its place.
    assert!(bulk.remove(id(151)));
    assert!(single.remove(id(151)));
    assert_eq!(bulk.all(&RegistryQuery::default()), single.all(&RegistryQuery::default()));
    assert!(bulk.dead_rows() > 0);
}

#[test]
fn within_narrows_to_a_given_set() {
    let index = registry();
    let within = Some(vec![id(2), id(3), id(77)]);
    let q = RegistryQuery { within: within.clone(), ..RegistryQuery::default() };
    assert_eq!(ids(&index.search(&q, 0, 10)), vec![id(3), id(2)]);
    let q = RegistryQuery { within: within.clone(), text: Some("barokah".into()), ..RegistryQuery::default() };
    assert_eq!(ids(&index.search(&q, 0, 10)), vec![id(2)]);
    let q = RegistryQuery { within, class: Some(SizeClass::Micro), ..RegistryQuery::default() };
    assert_eq!(ids(&index.search(&q, 0, 10)), vec![id(2)]);
    let q = RegistryQuery { within: Some(Vec::new()), ..RegistryQuery::default() };
    assert_eq!(index.search(&q, 0, 10).total, 0);
}

#[test]
fn many_sources_and_years_still_filter_exactly() {
    let facts: Vec<BusinessFacts> = (0..100u128)
        .map(|n| {
            let mut b = business(n + 1, &format!("Usaha {n}"), "Sari");
            b.sources = vec![format!("sumber-{n}")];
            b.years = vec![1950 + n as i32];
            b
        })
        .collect();
    let index = RegistryIndex::build(facts);
    for n in [0, 62, 63, 64, 99] {
        let q = RegistryQuery { source: Some(format!("sumber-{n}")), ..RegistryQuery::default() };
        assert_eq!(index.search(&q, 0, 10).ids, vec![id(n + 1)], "source {n}");
        let q = RegistryQuery { year: Some(1950 + n as i32), ..RegistryQuery::default() };
        assert_eq!(index.search(&q, 0, 10).ids, vec![id(n + 1)], "year {n}");
    }
}

#[test]
fn distance_counts_a_transposition_as_one_edit() {
    assert_eq!(bounded_distance(b"barokah", b"baroakh", 2), Some(1));
    assert_eq!(bounded_distance(b"barokah", b"barokh", 2), Some(1));
    assert_eq!(bounded_distance(b"barokah", b"barokah", 2), Some(0));
    assert_eq!(bounded_distance(b"sari", b"sate", 1), None);
    assert_eq!(bounded_distance(b"", b"ab", 2), Some(2));
}

proptest! {
    #[test]
    fn search_never_panics(text in "\\PC{0,40}", offset in 0usize..10, limit in 0usize..10) {
        let index = registry();
        let page = index.search(&query(&text), offset, limit);
        prop_assert!(page.ids.len() <= limit);
        prop_assert!(page.total <= index.len());
    }

    #[test]
    fn typed_words_never_panic(text in "[a-z ]{0,30}") {
        let index = registry();
        let page = index.search(&query(&text), 0, 50);
        prop_assert!(page.total <= index.len());
    }
}
