//! The calendar of duties as iCalendar (RFC 5545): one all-day VEVENT per dated duty (and one
//! for the opening of a renewal window), with a stable UID, reminders (VALARM), CRLF line
//! endings, lines folded at 75 octets without splitting a UTF-8 character, and TEXT values
//! escaped (`\\`, `\;`, `\,`, `\n`).
//!
//! Not-applicable duties and duties without a date (undetermined) are left out; the JSON and
//! table outputs carry them.

use super::{Calendar, Duty, DutyKind, Status};
use crate::Lang;
use crate::date::Date;

/// Maximum octets of one content line, CRLF excluded (RFC 5545 section 3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// Renders `cal` for the organisation `organisation` (used to make UIDs unique per
/// organisation and stable across runs) in `lang`.
pub fn render(cal: &Calendar, organisation: &str, lang: Lang) -> String {
    let mut out = String::new();
    let zh = lang == Lang::ZhCn;
    let org = fnv1a(organisation);
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(
        &mut out,
        if zh {
            "PRODID:-//Xiezhi//Duties//ZH"
        } else {
            "PRODID:-//Xiezhi//Duties//EN"
        },
    );
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    let name = if zh {
        format!("合规义务日历 · {organisation}")
    } else {
        format!("Compliance duties · {organisation}")
    };
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(&name)));
    let stamp = format!("{}T000000Z", compact(cal.as_of));
    for d in &cal.duties {
        if d.status == Status::NotApplicable {
            continue;
        }
        let Some(due) = d.due else {
            continue;
        };
        event(&mut out, d, &org, &stamp, due, false, lang);
        if let (DutyKind::Validity, Some(opens)) = (d.kind, d.window_opens) {
            event(&mut out, d, &org, &stamp, opens, true, lang);
        }
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn event(out: &mut String, d: &Duty, org: &str, stamp: &str, day: Date, window: bool, lang: Lang) {
    let zh = lang == Lang::ZhCn;
    let uid_suffix = if window { "-window" } else { "" };
    let uid = format!("{}{uid_suffix}@{org}.duties.xiezhi", uid_part(&d.id));
    let title = d.title(lang);
    let summary = match (window, zh) {
        (true, true) => format!("可申请延期：{title}"),
        (true, false) => format!("Extension window opens: {title}"),
        (false, _) => format!("[{}] {title}", event_label(d, lang)),
    };
    let mut desc = Vec::new();
    if zh {
        desc.push(format!(
            "条款：{} {}",
            d.articles.join("，"),
            d.confidence.mark()
        ));
    } else {
        desc.push(format!(
            "Articles: {} {}",
            d.articles.join(", "),
            d.confidence.mark()
        ));
    }
    desc.push(d.note(lang).to_string());
    if let Some(c) = &d.command {
        desc.push(if zh {
            format!("命令：{c}")
        } else {
            format!("Command: {c}")
        });
    }
    let from: Vec<String> = d.derived_from.iter().map(|s| s.text(lang)).collect();
    if !from.is_empty() {
        desc.push(if zh {
            format!("依据：{}", from.join("；"))
        } else {
            format!("Derived from: {}", from.join("; "))
        });
    }
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{uid}"));
    line(out, &format!("DTSTAMP:{stamp}"));
    line(out, &format!("DTSTART;VALUE=DATE:{}", compact(day)));
    line(
        out,
        &format!("DTEND;VALUE=DATE:{}", compact(day.add_days(1))),
    );
    line(out, &format!("SUMMARY:{}", escape(&summary)));
    line(out, &format!("DESCRIPTION:{}", escape(&desc.join("\n"))));
    line(
        out,
        &format!("CATEGORIES:{}", d.status.as_str().to_uppercase()),
    );
    line(out, "TRANSP:TRANSPARENT");
    // No reminders for a deadline already met (the event only records it).
    let met = d.kind == DutyKind::Deadline && d.status == Status::Done;
    let remind = if window || met {
        0
    } else {
        d.remind_days_before
    };
    if remind > 0 {
        alarm(out, &format!("-P{remind}D"), &summary);
    }
    if !met {
        // On the day, at 09:00 (floating, the reader's time zone).
        alarm(out, "PT9H", &summary);
    }
    line(out, "END:VEVENT");
}

/// What the event's date is, in `lang`: the status, except for a duty done for the period,
/// whose date is the next due date, the end of a validity or of a retention period.
fn event_label(d: &Duty, lang: Lang) -> &'static str {
    let zh = lang == Lang::ZhCn;
    match (d.status, d.kind) {
        (Status::Done, DutyKind::Periodic) => {
            if zh {
                "下次到期"
            } else {
                "next due"
            }
        }
        (Status::Done, DutyKind::Validity) => {
            if zh {
                "有效期届满"
            } else {
                "validity ends"
            }
        }
        (Status::Done, DutyKind::KeepUntil) => {
            if zh {
                "保存期届满"
            } else {
                "retention ends"
            }
        }
        (status, _) => status.label(lang),
    }
}

fn alarm(out: &mut String, trigger: &str, text: &str) {
    line(out, "BEGIN:VALARM");
    line(out, "ACTION:DISPLAY");
    line(out, &format!("TRIGGER:{trigger}"));
    line(out, &format!("DESCRIPTION:{}", escape(text)));
    line(out, "END:VALARM");
}

/// `YYYYMMDD`.
fn compact(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// A duty id as a UID part: keeps `A-Za-z0-9-._`, turns anything else into `-`.
fn uid_part(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// FNV-1a 64 of `s` as 16 hex digits (stable across runs and platforms).
fn fnv1a(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Escapes a TEXT value (RFC 5545 section 3.3.11).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded: at most 75 octets per physical line (the leading space of
/// a continuation counts), never inside a UTF-8 character, each ended by CRLF.
pub fn line(out: &mut String, content: &str) {
    let mut budget = MAX_LINE_OCTETS;
    let mut used = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if used + n > budget {
            out.push_str("\r\n ");
            budget = MAX_LINE_OCTETS - 1;
            used = 0;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::super::{DutyOptions, calendar};
    use super::*;
    use crate::rules::testkit::{clean, date};

    /// A minimal RFC 5545 reader: checks line endings and lengths, unfolds, and returns the
    /// content lines as (name with parameters, value).
    fn parse(text: &str) -> Vec<(String, String)> {
        assert!(text.ends_with("\r\n"));
        let body = &text[..text.len() - 2];
        let mut logical: Vec<String> = Vec::new();
        for phys in body.split("\r\n") {
            assert!(!phys.contains('\n') && !phys.contains('\r'), "bare LF/CR");
            assert!(
                phys.len() <= MAX_LINE_OCTETS,
                "{} octets: {phys}",
                phys.len()
            );
            if let Some(rest) = phys.strip_prefix(' ') {
                logical.last_mut().unwrap().push_str(rest);
            } else {
                logical.push(phys.to_string());
            }
        }
        logical
            .into_iter()
            .map(|l| {
                let (k, v) = l.split_once(':').unwrap();
                (k.to_string(), v.to_string())
            })
            .collect()
    }

    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut it = s.chars();
        while let Some(c) = it.next() {
            if c == '\\' {
                match it.next().unwrap() {
                    'n' | 'N' => out.push('\n'),
                    c => out.push(c),
                }
            } else {
                assert!(c != ';' && c != ',', "unescaped {c} in {s}");
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn folding_never_splits_a_character_and_round_trips() {
        let long = "个人信息保护影响评估报告（PIPIA）至少保存三年；重要数据处理者每年报送风险评估报告，并说明关键业务和供应链数据安全情况。".repeat(3);
        // Shift the text by 0, 1 and 2 octets so that every split position inside a 3-octet
        // character comes up.
        for pad in ["", "a", "ab"] {
            let mut out = String::new();
            let text = format!("{pad}{long}");
            let content = format!("DESCRIPTION:{}", escape(&text));
            line(&mut out, &content);
            // Every physical line is valid UTF-8 by construction of `String`; check the
            // lengths and that unfolding gives the content back.
            let lines = parse(&out);
            assert_eq!(lines.len(), 1);
            let (k, v) = &lines[0];
            assert_eq!(format!("{k}:{v}"), content);
            assert_eq!(unescape(v), text);
            // Lines are filled: only the last physical line may be shorter than 73 octets.
            let phys: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
            assert!(phys.len() > 3);
            for p in &phys[..phys.len() - 1] {
                assert!(p.len() >= 73, "{} octets", p.len());
            }
        }
        // Exactly 75 octets is not folded; 76 is.
        let mut out = String::new();
        line(&mut out, &"a".repeat(75));
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)));
        let mut out = String::new();
        line(&mut out, &"a".repeat(76));
        assert_eq!(out, format!("{}\r\n a\r\n", "a".repeat(75)));
    }

    #[test]
    fn escaping() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(unescape(&escape("x,y;z\\\n第二行")), "x,y;z\\\n第二行");
    }

    #[test]
    fn example_calendar_is_well_formed() {
        let p = clean();
        let cal = calendar(&p, date("2026-11-28"), &[], &DutyOptions::default());
        for lang in [Lang::ZhCn, Lang::En] {
            let text = render(&cal, &p.profile.organisation.name, lang);
            let lines = parse(&text);
            // Balanced components.
            let mut stack: Vec<String> = Vec::new();
            for (k, v) in &lines {
                match k.as_str() {
                    "BEGIN" => stack.push(v.clone()),
                    "END" => assert_eq!(stack.pop().as_deref(), Some(v.as_str())),
                    _ => assert!(!stack.is_empty(), "{k} outside a component"),
                }
            }
            assert!(stack.is_empty());
            assert_eq!(lines[0], ("BEGIN".into(), "VCALENDAR".into()));
            assert!(lines.contains(&("VERSION".into(), "2.0".into())));
            // One event per dated, applicable duty.
            let dated = cal
                .duties
                .iter()
                .filter(|d| d.status != Status::NotApplicable && d.due.is_some())
                .count();
            let events = lines
                .iter()
                .filter(|(k, v)| k == "BEGIN" && v == "VEVENT")
                .count();
            assert_eq!(events, dated);
            let uids: Vec<&String> = lines
                .iter()
                .filter(|(k, _)| k == "UID")
                .map(|(_, v)| v)
                .collect();
            let unique: std::collections::HashSet<_> = uids.iter().collect();
            assert_eq!(unique.len(), uids.len());
            assert!(uids.iter().any(|u| u.starts_with("art33-annual@")));
            // Each event: DTSTAMP, all-day DTSTART, SUMMARY, DESCRIPTION with the article and
            // the command; the art. 33 reminder 60 days before.
            assert!(lines.contains(&("DTSTART;VALUE=DATE".into(), "20261215".into())));
            assert!(lines.contains(&("TRIGGER".into(), "-P60D".into())));
            let desc = lines
                .iter()
                .filter(|(k, _)| k == "DESCRIPTION")
                .map(|(_, v)| unescape(v))
                .find(|v| v.contains("important-data-annual"))
                .unwrap();
            assert!(desc.contains("Reg. 33"), "{desc}");
            assert!(desc.contains("[C2]"), "{desc}");
            assert!(desc.contains("xiezhi report important-data-annual"));
            if lang == Lang::ZhCn {
                assert!(
                    lines
                        .iter()
                        .any(|(k, v)| k == "SUMMARY" && v.contains("即将到期"))
                );
            } else {
                // The biennial audit is done for the period: its event is the next due date.
                assert!(lines.iter().any(|(k, v)| k == "SUMMARY"
                    && v.starts_with("[next due] PI protection compliance audit")));
                assert!(
                    lines
                        .iter()
                        .any(|(k, v)| k == "SUMMARY" && v.starts_with("[retention ends]"))
                );
            }
            // A deadline already met (the PIPO filing, filed 2025-02-10) has no reminders;
            // every other event has the on-the-day one.
            let alarms = lines
                .iter()
                .filter(|(k, v)| k == "TRIGGER" && v == "PT9H")
                .count();
            let met = cal
                .duties
                .iter()
                .filter(|d| {
                    d.kind == DutyKind::Deadline && d.status == Status::Done && d.due.is_some()
                })
                .count();
            assert_eq!(met, 2, "PIPO and standard-contract filings");
            assert_eq!(alarms, dated - met);
        }
        // UIDs are stable across runs and depend on the organisation.
        let a = render(&cal, "甲公司", Lang::En);
        assert_eq!(a, render(&cal, "甲公司", Lang::En));
        assert_ne!(a, render(&cal, "乙公司", Lang::En));
    }
}
