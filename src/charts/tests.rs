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
    // Waiting weeks in halves, merged two halves a bin: "0 t/m 0,5", "1 t/m 1,5", ...
    let bin = |first: f64, count| Bin {
        low: first - 0.25,
        high: first + 0.75,
        count,
        label: format!("{} t/m {},5", first, first),
    };
    Chart::Histogram(Histogram {
        title: "Wachttijd tot intake".to_owned(),
        unit: Some("weken".to_owned()),
        bins: vec![bin(4.0, 3), bin(5.0, 7), bin(6.0, 11), bin(7.0, 6), bin(8.0, 2)],
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

/// Per wijk, the region first as every panel's reference, on a five-point scale's mean with
/// values close to the region's, as the werkgroep's pages draw it.
fn multiples() -> Chart {
    let region = series("regio", &[Some((3.4, 61)), Some((3.6, 58)), Some((3.8, 64))]);
    let mean = |name: &str, points: &[Option<(f64, u64)>]| Trend {
        title: String::new(),
        y_label: "gemiddelde (1–5)".to_owned(),
        percent: false,
        y_range: Some((1.0, 5.0)),
        x_labels: ["2027 K1", "2027 K2", "2027 K3"].map(String::from).to_vec(),
        series: vec![region.clone(), series(name, points)],
    };
    let panel = |name: &str, chart: Option<Trend>| Panel {
        name: name.to_owned(),
        chart: chart.map(|t| Box::new(Chart::Trend(t))),
    };
    Chart::Multiples(Multiples {
        title: "Ik weet bij wie ik terecht kan, per wijk".to_owned(),
        panels: vec![
            panel("Noord", Some(mean("Noord", &[Some((3.3, 12)), Some((3.5, 13)), Some((3.7, 11))]))),
            panel("Oost", Some(mean("Oost", &[Some((3.0, 5)), None, Some((3.1, 5))]))),
            panel("Zuid", None),
            panel("West", Some(mean("West", &[Some((4.2, 15)), Some((4.0, 16)), Some((4.3, 14))]))),
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
fn the_histogram_labels_each_bar_by_what_it_holds_and_its_median_with_a_decimal_comma() {
    let svg = svg(&histogram()).unwrap();
    assert!(svg.contains("mediaan 6,5"));
    for label in ["4 t/m 4,5", "6 t/m 6,5", "8 t/m 8,5"] {
        assert!(svg.contains(&format!(">\n{label}\n<")), "{label}: {svg}");
    }
    assert!(!svg.contains(">\n4,5\n<"), "no edge labels: {svg}");
}

#[test]
fn a_trend_line_is_not_joined_across_a_missing_round() {
    let svg = svg(&Chart::Trend(trend())).unwrap();
    let region = format!("stroke=\"#{:02X}{:02X}{:02X}\"", 31, 41, 51);
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

/// The tick labels of a chart, top to bottom as drawn: the texts right-aligned left of the plot.
fn tick_labels(svg: &str) -> Vec<String> {
    let mut labels = Vec::new();
    let mut lines = svg.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("<text") && line.contains("text-anchor=\"end\"") {
            labels.extend(lines.next().map(str::to_owned));
        }
    }
    labels
}

#[test]
fn a_mean_on_a_scale_is_drawn_against_the_whole_scale_not_its_data() {
    // The data lie between 3,1 and 4,0; the axis still runs from 1 to 5, so +0,4 looks like
    // a tenth of the scale, which it is.
    let ticks = tick_labels(&svg(&Chart::Trend(trend())).unwrap());
    assert_eq!(ticks.first().map(String::as_str), Some("1"), "{ticks:?}");
    assert_eq!(ticks.last().map(String::as_str), Some("5"), "{ticks:?}");
    // Every panel of a small multiple too (three drawn, one suppressed).
    let ticks = tick_labels(&svg(&multiples()).unwrap());
    assert_eq!(ticks.iter().filter(|t| *t == "1").count(), 3, "{ticks:?}");
    assert_eq!(ticks.iter().filter(|t| *t == "5").count(), 3, "{ticks:?}");
}

#[test]
fn a_mean_without_a_scale_keeps_an_axis_fitted_to_its_data() {
    let unscaled = Trend { y_range: None, ..trend() };
    let ticks = tick_labels(&svg(&Chart::Trend(unscaled)).unwrap());
    assert_ne!(ticks.first().map(String::as_str), Some("1"), "{ticks:?}");
}

#[test]
fn the_region_is_drawn_in_ink_and_a_wijk_in_another_hue_in_every_panel() {
    let svg = svg(&multiples()).unwrap();
    let stroke = |c: plotters::prelude::RGBColor| format!("stroke=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
    let (region, wijk) = (stroke(palette::series(0)), stroke(palette::series(1)));
    assert_ne!(region, wijk);
    let lines = |s: &str| svg.lines().filter(|l| l.starts_with("<polyline") && l.contains(s)).count();
    // Noord and West drawn whole, Oost's two points apart; each panel's legend has one key each.
    assert!(lines(&region) >= 3 + 3 && lines(&wijk) >= 2 + 3, "{svg}");
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
