//! Small text utilities shared by the front ends: making untrusted text safe to show, splitting
//! catalog text into paragraphs and bullets, and wrapping to a width. No I/O, no styling.

/// Makes untrusted text safe to show on a terminal or put on a clipboard: removes escape
/// sequences whole (CSI `ESC [ ... m`, OSC `ESC ] ... BEL`, and two-character escapes), every
/// other C0 and C1 control character (keeping newlines, turning tabs into spaces), and the
/// bidirectional controls that can make text read differently than it is (U+202A..U+202E,
/// U+2066..U+2069, U+200E, U+200F, U+061C). A log line or a team file must not be able to drive
/// the terminal.
pub fn sanitize(s: &str) -> String {
    if !s.chars().any(needs_cleaning) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            // ESC and the 8-bit CSI/OSC introducers start a sequence: drop it whole.
            '\u{1b}' | '\u{9b}' | '\u{9d}' => {
                let kind = if c == '\u{1b}' {
                    chars.next()
                } else {
                    Some(if c == '\u{9b}' { '[' } else { ']' })
                };
                match kind {
                    Some('[') => {
                        // Parameters and intermediates, then one final byte (@ to ~).
                        while let Some(&n) = chars.peek() {
                            chars.next();
                            if ('@'..='~').contains(&n) {
                                break;
                            }
                        }
                    }
                    Some(']' | 'P' | '_' | '^' | 'X') => {
                        // A string, ended by BEL or ST (ESC \ or U+009C).
                        while let Some(n) = chars.next() {
                            if n == '\u{7}' || n == '\u{9c}' {
                                break;
                            }
                            if n == '\u{1b}' {
                                if chars.peek() == Some(&'\\') {
                                    chars.next();
                                }
                                break;
                            }
                        }
                    }
                    _ => {}
                }
            }
            c if needs_cleaning(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Whether a character is removed (or rewritten) by [`sanitize`].
fn needs_cleaning(c: char) -> bool {
    c.is_control() && c != '\n'
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// Whether a character must never reach a terminal as it is (JSON escapes these).
pub fn is_dangerous(c: char) -> bool {
    c.is_control() || needs_cleaning(c)
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
/// than the width gets a line of its own. A span in backticks (a command) is never broken, so it
/// still works when copied: it moves to a line of its own and may run past the width.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    wrap_words(words(s), width)
}

/// Wraps like [`wrap`], but breaks commands too: for panes that clip what passes their edge
/// (the terminal UI), where a broken command is still better than a hidden one.
pub fn wrap_all(s: &str, width: usize) -> Vec<String> {
    wrap_words(s.split_whitespace().map(str::to_owned).collect(), width)
}

fn wrap_words(words: Vec<String>, width: usize) -> Vec<String> {
    let width = width.max(8);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in words {
        let wlen = word.chars().count();
        if len > 0 && len + 1 + wlen > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.push_str(&word);
        len += wlen;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The words of `s`, a backticked span (with the spaces inside it) counting as one.
fn words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for w in s.split_whitespace() {
        if open {
            if let Some(last) = out.last_mut() {
                last.push(' ');
                last.push_str(w);
            }
        } else {
            out.push(w.to_owned());
        }
        if w.matches('`').count() % 2 == 1 {
            open = !open;
        }
    }
    out
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
            "ared\nbc d"
        );
        for bidi in [
            '\u{202e}', '\u{2066}', '\u{200f}', '\u{200e}', '\u{61c}', '\u{85}',
        ] {
            assert_eq!(sanitize(&format!("x{bidi}y")), "xy", "{:?}", bidi);
        }
        assert_eq!(sanitize("t\u{1b}]0;pwned\u{7}\u{1b}[2Jx"), "tx");
        assert_eq!(sanitize("t\u{1b}]52;c;Zm9v\u{1b}\\x"), "tx");
        assert_eq!(sanitize("\u{9b}31mred"), "red");
        assert_eq!(sanitize("plain é ✓"), "plain é ✓");
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
        assert_eq!(
            wrap(
                "run `aws ec2 describe-instances --instance-ids i-1` now",
                20
            ),
            [
                "run",
                "`aws ec2 describe-instances --instance-ids i-1`",
                "now"
            ]
        );
    }

    #[test]
    fn paragraphs_mark_bullets() {
        let p: Vec<(bool, &str)> = paragraphs("- one\n\nplain\n-  two").collect();
        assert_eq!(p, [(true, "one"), (false, "plain"), (true, "two")]);
    }

    /// Characters that must never come out of [`sanitize`] (a newline may).
    fn forbidden(c: char) -> bool {
        c != '\n'
            && (c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}'))
    }

    /// Any character, with the dangerous ones and escape-sequence openers made common.
    fn hostile_char() -> impl proptest::strategy::Strategy<Value = char> {
        use proptest::prelude::*;
        prop_oneof![
            any::<char>(),
            Just('\u{1b}'),
            Just('['),
            Just(']'),
            Just('\u{7}'),
            Just('\u{9b}'),
            Just('\u{9c}'),
            Just('\u{9d}'),
            proptest::char::range('\u{80}', '\u{9f}'),
            proptest::char::range('\u{0}', '\u{1f}'),
            proptest::char::range('\u{202a}', '\u{202e}'),
            proptest::char::range('\u{2066}', '\u{2069}'),
            Just('\u{200e}'),
            Just('\u{200f}'),
            Just('\u{61c}'),
            Just('a'),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 512, ..Default::default() })]

        /// Whatever goes in, nothing that drives a terminal or reorders text comes out, and
        /// cleaning twice changes nothing more.
        #[test]
        fn sanitized_text_has_no_forbidden_character(chars in proptest::collection::vec(hostile_char(), 0..64)) {
            let s: String = chars.into_iter().collect();
            let clean = sanitize(&s);
            proptest::prop_assert!(!clean.chars().any(forbidden), "{:?} -> {:?}", s, clean);
            proptest::prop_assert_eq!(sanitize(&clean), clean.clone());
            proptest::prop_assert!(clean.len() <= s.len());
        }
    }
}
