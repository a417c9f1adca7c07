//! Snapshots of every chart kind plus the properties a page relies on: well-formed SVG without
//! `style`, a viewBox, escaped data, PNG of the right size. The snapshots are insta's, in
//! `src/charts/snapshots/<kind>.snap` (the SVG below a short header); after a deliberate change
//! `INSTA_UPDATE=always cargo test --lib charts::` rewrites them: review the diff.

use super::svg_fix::tags;
use super::*;

fn bars() -> Chart {
    let bar = |label: &str, count| Bar { label: label.to_owned(), count };
    Chart::Bars(Bars {
        title: "Hoe neemt u meestal contact op met de POH-ggz?".to_owned(),
        bars: vec![
            bar("Telefonisch via de assistente", 12),
            bar("Via het digitale verwijsportaal van de zorggroep en de regio", 9),
            bar("Rechtstreeks", 6),
            bar("Anders", 0),
        ],
        base: 30,
    })
}

fn diverging() -> Chart {
    let row = |label: &str, counts: &[u64]| DivergingRow {
        label: label.to_owned(),
        counts: counts.to_vec(),
        na: 0,
    };
    Chart::Diverging(Diverging {
        title: "Samenwerking met de ggz-aanbieders".to_owned(),
        points: ["zeer oneens", "oneens", "neutraal", "eens", "zeer eens"].map(String::from).to_vec(),
        rows: vec![
            row("De wachttijd is acceptabel", &[8, 10, 5, 4, 1]),
            row("Ik weet bij wie ik terecht kan", &[1, 2, 6, 12, 9]),
            row("Terugkoppeling na verwijzing komt op tijd", &[3, 6, 9, 8, 2]),
        ],
        na_label: None,
    })
}

fn histogram() -> Chart {
    let bin = |low, high, count| Bin { low, high, count };
    Chart::Histogram(Histogram {
        title: "Wachttijd tot intake".to_owned(),
        unit: Some("weken".to_owned()),
        bins: vec![
            bin(0.0, 2.5, 3),
            bin(2.5, 5.0, 7),
            bin(5.0, 7.5, 11),
            bin(7.5, 10.0, 6),
            bin(10.0, 12.5, 2),
        ],
        median: Some(6.5),
    })
}

fn series(name: &str, points: &[Option<(f64, u64)>]) -> Series {
    let points = points.iter().map(|p| p.map(|(value, n)| TrendPoint { value, n })).collect();
    Series { name: name.to_owned(), points }
}

fn trend() -> Trend {
    Trend {
        title: "Tevredenheid over de samenwerking".to_owned(),
        y_label: "gemiddelde (1-5)".to_owned(),
        percent: false,
        y_range: Some((1.0, 5.0)),
        x_labels: ["2026 K3", "2026 K4", "2027 K1", "2027 K2", "2027 K3"].map(String::from).to_vec(),
        series: vec![
            series("Regio", &[Some((3.4, 61)), Some((3.6, 58)), None, Some((3.9, 64)), Some((4.0, 60))]),
            series("Wijk Noord", &[Some((3.1, 12)), None, Some((3.3, 11)), Some((3.5, 14)), Some((3.8, 13))]),
        ],
    }
}

fn multiples() -> Chart {
    let percent = |name: &str, points: &[Option<(f64, u64)>]| Trend {
        title: String::new(),
        y_label: "% (zeer) eens".to_owned(),
        percent: true,
        y_range: None,
        x_labels: ["2027 K1", "2027 K2", "2027 K3"].map(String::from).to_vec(),
        series: vec![series(name, points)],
    };
    let panel = |name: &str, chart: Option<Trend>| Panel {
        name: name.to_owned(),
        chart: chart.map(|t| Box::new(Chart::Trend(t))),
    };
    Chart::Multiples(Multiples {
        title: "Ik weet bij wie ik terecht kan, per wijk".to_owned(),
        panels: vec![
            panel("Noord", Some(percent("Noord", &[Some((0.55, 12)), Some((0.62, 13)), Some((0.7, 11))]))),
            panel("Oost", Some(percent("Oost", &[Some((0.4, 9)), None, Some((0.48, 10))]))),
            panel("Zuid", None),
            panel("West", Some(percent("West", &[Some((0.8, 15)), Some((0.75, 16)), Some((0.83, 14))]))),
        ],
        suppressed: "te weinig antwoorden".to_owned(),
    })
}

fn empty() -> Chart {
    Chart::Bars(Bars { title: "Welke cursus volgde u?".to_owned(), bars: Vec::new(), base: 0 })
}

fn all() -> Vec<(&'static str, Chart)> {
    vec![
        ("bars", bars()),
        ("diverging", diverging()),
        ("histogram", histogram()),
        ("trend", Chart::Trend(trend())),
        ("multiples", multiples()),
        ("empty", empty()),
    ]
}

/// Every opened element is closed in order, and nothing follows the root.
fn assert_well_formed(svg: &str) {
    assert!(svg.starts_with("<svg "), "{svg}");
    assert!(svg.trim_end().ends_with("</svg>"));
    let mut open: Vec<&str> = Vec::new();
    for tag in tags(svg) {
        let name = tag.trim_start_matches('/').split([' ', '\n', '/']).next().unwrap_or("");
        if tag.starts_with('/') {
            assert_eq!(open.pop(), Some(name), "unbalanced </{name}>");
        } else if !tag.ends_with('/') {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
}

#[test]
fn each_chart_kind_matches_its_snapshot() {
    for (name, chart) in all() {
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, svg(&chart).unwrap());
        });
    }
}

#[test]
fn every_svg_is_well_formed_csp_safe_and_responsive() {
    for (name, chart) in all() {
        let svg = svg(&chart).unwrap();
        assert_well_formed(&svg);
        assert!(!svg.contains("style="), "{name} has a style attribute");
        assert!(!svg.contains("<style"), "{name} has a style element");
        let (w, h) = render::size(&chart);
        assert!(svg.contains(&format!("viewBox=\"0 0 {w} {h}\"")), "{name}");
        assert!(svg.contains("width=\"100%\"") && svg.contains("role=\"img\""), "{name}");
        assert!(svg.contains(&format!("<title>{}</title>", render::title(&chart))), "{name}");
    }
}

#[test]
fn rendering_twice_gives_the_same_svg() {
    assert_eq!(svg(&diverging()).unwrap(), svg(&diverging()).unwrap());
}

#[test]
fn data_text_is_escaped_never_markup() {
    let evil = "<script>alert(1)</script>";
    let chart = Chart::Bars(Bars {
        title: format!("Titel {evil}"),
        bars: vec![Bar { label: evil.to_owned(), count: 1 }],
        base: 1,
    });
    let svg = svg(&chart).unwrap();
    assert!(!svg.contains("<script"), "{svg}");
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{svg}");
    assert!(svg.contains("aria-label=\"Titel &lt;script&gt;"));
    assert_well_formed(&svg);
}

#[test]
fn bars_show_count_and_dutch_percentage() {
    let svg = svg(&bars()).unwrap();
    assert!(svg.contains("12 (40%)"));
    assert!(svg.contains("0 (0%)"));
}

#[test]
fn the_histogram_labels_its_median_with_a_decimal_comma() {
    let svg = svg(&histogram()).unwrap();
    assert!(svg.contains("mediaan 6,5"));
    assert!(svg.contains(">\n2,5\n<"));
}

#[test]
fn a_trend_line_is_not_joined_across_a_missing_round() {
    let svg = svg(&Chart::Trend(trend())).unwrap();
    let region = format!("stroke=\"#{:02X}{:02X}{:02X}\"", 27, 42, 65);
    let lines = svg.lines().filter(|l| l.starts_with("<polyline") && l.contains(&region)).count();
    // Two runs of the region's line, plus its key in the legend.
    assert_eq!(lines, 3);
    assert!(svg.contains("n=61"));
}

#[test]
fn charts_without_answers_say_so() {
    assert!(svg(&empty()).unwrap().contains("geen antwoorden"));
    let all_gaps = Trend { series: vec![series("Regio", &[None, None, None, None, None])], ..trend() };
    assert!(svg(&Chart::Trend(all_gaps)).unwrap().contains("geen antwoorden"));
    assert!(svg(&multiples()).unwrap().contains("te weinig antwoorden"));
}

#[test]
fn the_height_grows_with_the_number_of_bars() {
    let (w, short) = render::size(&bars());
    let Chart::Bars(mut more) = bars() else { unreachable!() };
    more.bars.extend(more.bars.clone());
    let (_, tall) = render::size(&Chart::Bars(more));
    assert_eq!(w, 800);
    assert_eq!(tall - short, 4 * 40);
}

#[test]
fn png_is_a_png_at_twice_the_svg_size() {
    for (name, chart) in all() {
        let png = png(&chart).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}");
        assert_eq!(&png[12..16], b"IHDR");
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        let (w, h) = render::size(&chart);
        assert_eq!((be(&png[16..20]), be(&png[20..24])), (2 * w, 2 * h), "{name}");
    }
}

/// Writes every kind as PNG and SVG to /tmp/peil-charts for a look by eye.
#[test]
#[ignore = "writes files for manual inspection"]
fn write_pictures_for_a_look() {
    std::fs::create_dir_all("/tmp/peil-charts").unwrap();
    for (name, chart) in all() {
        std::fs::write(format!("/tmp/peil-charts/{name}.png"), png(&chart).unwrap()).unwrap();
        std::fs::write(format!("/tmp/peil-charts/{name}.svg"), svg(&chart).unwrap()).unwrap();
    }
}

#[test]
fn answers_outside_the_scale_are_noted_beside_the_bar_and_left_out_of_its_shares() {
    // Issue 25's matrix item: 1, 1, 4, 5, 1 on the scale and 3 "Weet ik niet".
    let chart = Chart::Diverging(Diverging {
        title: "Bereikbaarheid".to_owned(),
        points: ["zeer oneens", "oneens", "neutraal", "eens", "zeer eens"].map(String::from).to_vec(),
        rows: vec![DivergingRow { label: "Bereikbaar".to_owned(), counts: vec![1, 1, 4, 5, 1], na: 3 }],
        na_label: Some("Weet ik niet".to_owned()),
    });
    let svg = svg(&chart).unwrap();
    if let Ok(path) = std::env::var("PEIL_CHART_OUT") {
        std::fs::write(&path, png(&chart).unwrap()).unwrap();
    }
    let texts: Vec<&str> = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| Some(t[t.find('>')? + 1..t.find("</text>")?].trim()))
        .collect();
    for shown in ["8%", "33%", "42%", "3 weet ik niet"] {
        assert!(texts.contains(&shown), "{shown}: {texts:?}");
    }
    for of_fifteen in ["7%", "27%"] {
        assert!(!texts.contains(&of_fifteen), "{of_fifteen}: {texts:?}");
    }
}
