//! Inline SVG bar charts, generated in Rust: no script, no external asset.

use crate::escape::html as esc;

use super::model::Chart;

const WIDTH: u32 = 640;
const LABEL_W: u32 = 210;
const BAR_W: u32 = 280;
const ROW_H: u32 = 24;
const PAD: u32 = 8;

/// Shortens a label to about `max` columns (CJK characters count two).
fn shorten(s: &str, max: usize) -> String {
    let mut cols = 0;
    let mut out = String::new();
    for ch in s.chars() {
        let w = if ch.is_ascii() { 1 } else { 2 };
        if cols + w > max {
            out.push('…');
            return out;
        }
        cols += w;
        out.push(ch);
    }
    out
}

/// The chart as an `<svg>` element (horizontal bars, value after each bar).
pub(crate) fn svg(chart: &Chart) -> String {
    let n = chart.bars.len().max(1) as u32;
    let height = PAD * 2 + n * ROW_H;
    let max = chart.bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"{id}-t\">\n<title id=\"{id}-t\">{title}</title>\n",
        id = esc(&chart.id),
        title = esc(&chart.title)
    );
    if chart.bars.is_empty() {
        out.push_str(&format!(
            "<text x=\"{PAD}\" y=\"{}\" class=\"lbl\">—</text>\n",
            PAD + ROW_H / 2 + 4
        ));
    }
    for (i, b) in chart.bars.iter().enumerate() {
        let y = PAD + i as u32 * ROW_H;
        let w = if max > 0.0 && b.value > 0.0 {
            ((b.value / max) * f64::from(BAR_W)).round().max(1.0) as u32
        } else {
            0
        };
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"lbl\">{}</text>\n<rect x=\"{LABEL_W}\" y=\"{}\" width=\"{w}\" height=\"{}\" class=\"bar\"/>\n<text x=\"{}\" y=\"{}\" class=\"val\">{}</text>\n",
            LABEL_W - 6,
            y + ROW_H / 2 + 4,
            esc(&shorten(&b.label, 30)),
            y + 4,
            ROW_H - 8,
            LABEL_W + w + 6,
            y + ROW_H / 2 + 4,
            esc(&b.display)
        ));
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::model::Bar;

    #[test]
    fn bars_scale_to_the_largest_and_text_is_escaped() {
        let c = Chart {
            id: "c".into(),
            title: "A<B".into(),
            unit: String::new(),
            bars: vec![
                Bar {
                    label: "x&y".into(),
                    value: 10.0,
                    display: "10".into(),
                },
                Bar {
                    label: "z".into(),
                    value: 5.0,
                    display: "5".into(),
                },
                Bar {
                    label: "zero".into(),
                    value: 0.0,
                    display: "0".into(),
                },
            ],
            note: None,
            sources: vec![],
        };
        let s = svg(&c);
        assert!(s.contains("width=\"280\""), "{s}");
        assert!(s.contains("width=\"140\""), "{s}");
        assert!(s.contains("width=\"0\""), "{s}");
        assert!(s.contains("A&lt;B") && s.contains("x&amp;y"));
        assert!(!s.contains("<script"));
    }

    #[test]
    fn long_labels_are_shortened_by_display_width() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcd", 3), "abc…");
        assert_eq!(shorten("数据仓库", 4), "数据…");
    }
}
