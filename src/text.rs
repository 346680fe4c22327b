//! Small text utilities shared by the front ends: making untrusted text safe to show, splitting
//! catalog text into paragraphs and bullets, and wrapping to a width. No I/O, no styling.

/// Removes control characters (escape sequences, carriage returns, NULs) from text that will be
/// shown to a person, keeping newlines and turning tabs into spaces. Input text is untrusted:
/// a log line must not be able to drive the terminal.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            // Bidirectional overrides can make text read differently than it is.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => None,
            c => Some(c),
        })
        .collect()
}

/// Splits catalog text into paragraphs: each non-empty line is one, and `- ` marks a bullet.
pub fn paragraphs(s: &str) -> impl Iterator<Item = (bool, &str)> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.strip_prefix("- ") {
            Some(rest) => (true, rest.trim_start()),
            None => (false, l),
        })
}

/// Wraps `s` to `width` columns (counted in characters), breaking at spaces; a word longer
/// than the width gets a line of its own.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in s.split_whitespace() {
        let wlen = word.chars().count();
        if len > 0 && len + 1 + wlen > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += wlen;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Cuts `s` to at most `max` characters, marking the cut with an ellipsis.
pub fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_escapes_and_controls() {
        assert_eq!(
            sanitize("a\u{1b}[31mred\u{1b}[0m\r\nb\u{0}c\td"),
            "a[31mred[0m\nbc d"
        );
        assert_eq!(sanitize("x\u{202e}y"), "xy");
    }

    #[test]
    fn wrap_respects_width_and_long_words() {
        let lines = wrap("one two three four five six", 9);
        assert_eq!(lines, ["one two", "three", "four five", "six"]);
        assert!(
            wrap("aaaaaaaaaaaaaaaaaaaa b", 8)
                .iter()
                .any(|l| l == "aaaaaaaaaaaaaaaaaaaa")
        );
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn paragraphs_mark_bullets() {
        let p: Vec<(bool, &str)> = paragraphs("- one\n\nplain\n-  two").collect();
        assert_eq!(p, [(true, "one"), (false, "plain"), (true, "two")]);
    }
}
