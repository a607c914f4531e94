//! Pieces of SARIF 2.1.0 output shared by `xiezhi scan --format sarif` and
//! `xiezhi check --format sarif`: the schema and tool URIs, the message language tag, artifact
//! URIs, stable fingerprints and the invocation command line.

use crate::Lang;

/// Where the SARIF schema lives.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The project's home page.
pub const INFORMATION_URI: &str = "https://github.com/xiezhi-dev/xiezhi";

/// The SARIF version written.
pub const VERSION: &str = "2.1.0";

/// The BCP 47 tag of the message language.
pub fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::ZhCn => "zh-CN",
        Lang::En => "en",
    }
}

/// FNV-1a 64 of the parts separated by U+001F, as 16 lowercase hex digits.
pub fn fingerprint(parts: &[&str]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for (i, part) in parts.iter().enumerate() {
        let sep: &[u8] = if i == 0 { b"" } else { b"\x1f" };
        for &b in sep.iter().chain(part.as_bytes()) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:016x}")
}

/// The artifact URI of a path, for this platform: relative paths stay relative (`./` dropped),
/// absolute ones become `file://` URIs, and every byte other than `A-Z a-z 0-9 - . _ ~ /` is
/// percent-encoded (UTF-8).
pub fn artifact_uri(path: &str) -> String {
    uri_for(path, cfg!(windows))
}

/// The artifact URI of a path; `windows` reads `\` as a separator and `C:` as a drive.
pub fn uri_for(path: &str, windows: bool) -> String {
    let path = if windows {
        path.replace('\\', "/")
    } else {
        path.to_owned()
    };
    let drive = windows && {
        let b = path.as_bytes();
        matches!(b, [letter, b':', b'/', ..] if letter.is_ascii_alphabetic())
    };
    let (prefix, rest) = if drive {
        // `C:/x` → `file:///C:/x` (the colon after the drive letter stays).
        let (d, rest) = path.split_at(2);
        (format!("file:///{d}"), rest.to_owned())
    } else if path.starts_with("//") {
        // UNC `\\server\share` → `file://server/share`.
        ("file:".to_owned(), path)
    } else if path.starts_with('/') {
        ("file://".to_owned(), path)
    } else {
        let mut rel = path.as_str();
        while let Some(r) = rel.strip_prefix("./") {
            rel = r.trim_start_matches('/');
        }
        (String::new(), rel.to_owned())
    };
    let mut uri = prefix;
    for &b in rest.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

/// Joins arguments into one command line, quoting those a POSIX shell would split or expand.
pub fn command_line(args: &[String]) -> String {
    let mut line = String::new();
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            line.push(' ');
        }
        let safe = !arg.is_empty()
            && arg.chars().all(|c| {
                c.is_alphanumeric()
                    || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',' | '+' | '@' | '%')
            });
        if safe {
            line.push_str(arg);
        } else {
            line.push('\'');
            line.push_str(&arg.replace('\'', r"'\''"));
            line.push('\'');
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        // FNV-1a 64 reference vectors.
        assert_eq!(fingerprint(&[""]), "cbf29ce484222325");
        assert_eq!(fingerprint(&["a"]), "af63dc4c8601ec8c");
        assert_eq!(fingerprint(&["foobar"]), "85944171f73967e8");
        assert_ne!(fingerprint(&["a", "bc"]), fingerprint(&["ab", "c"]));
    }

    #[test]
    fn uris() {
        assert_eq!(uri_for("logs/a b.log", false), "logs/a%20b.log");
        assert_eq!(uri_for("./a/./b#1?.txt", false), "a/./b%231%3F.txt");
        assert_eq!(
            uri_for("/var/log/x 1.log", false),
            "file:///var/log/x%201.log"
        );
        assert_eq!(uri_for("c:odd", false), "c%3Aodd");
        assert_eq!(uri_for("a\\b", false), "a%5Cb");
        assert_eq!(uri_for("a\\b c", true), "a/b%20c");
        assert_eq!(
            uri_for("C:\\Users\\张三\\x.csv", true),
            "file:///C:/Users/%E5%BC%A0%E4%B8%89/x.csv"
        );
        assert_eq!(uri_for("\\\\srv\\share\\x", true), "file://srv/share/x");
        assert_eq!(uri_for("数据.csv", false), "%E6%95%B0%E6%8D%AE.csv");
    }

    #[test]
    fn command_lines() {
        let args: Vec<String> = ["xiezhi", "scan", "--pack=gbt45574-2025", "it's", "", "数据"]
            .map(String::from)
            .into();
        assert_eq!(
            command_line(&args),
            r"xiezhi scan --pack=gbt45574-2025 'it'\''s' '' 数据"
        );
    }
}
