//! Conversion of Smithy/AWS documentation HTML into rustdoc-safe Markdown.
//!
//! A tolerant tokenizer builds a small element tree (unknown tags are dropped,
//! their text kept), which is rendered as CommonMark blocks. Plain text is
//! escaped so rustdoc never sees intra-doc links, HTML tags, headings,
//! indented code blocks (doctests) or bare URLs.

/// Deeper nesting is flattened, which bounds the recursion of the renderer.
const MAX_DEPTH: usize = 48;
const KNOWN: &str = "a b strong i em cite u sup sub small code tt kbd samp br img p div span \
    section fullname ul ol li note important blockquote pre programlisting h1 h2 h3 h4 h5 h6 dl dt \
    dd hr table thead tbody tr td th";
const BLOCK: &str = "p div section dl dd table tr td th hr ul ol li note important blockquote pre \
    programlisting h1 h2 h3 h4 h5 h6 fullname dt";
/// Block elements rendered as a bold paragraph.
const HEADS: &str = "h1 h2 h3 h4 h5 h6 fullname dt";
/// Elements with literal content: unknown tags inside them are kept as text.
const CODE: &str = "code tt kbd samp pre programlisting";
const ENTITIES: &str = "amp & lt < gt > quot \" apos ' nbsp \u{a0} ndash – mdash — hellip … \
    lsquo ‘ rsquo ’ ldquo “ rdquo ” bull • copy © reg ® trade ™ times ×";

fn is(list: &str, name: &str) -> bool {
    list.split_ascii_whitespace().any(|k| k == name)
}

enum Node {
    Text(String),
    Elem(Elem),
}

struct Elem {
    name: String,
    href: Option<String>,
    kids: Vec<Node>,
}

fn elem(name: &str, href: Option<String>) -> Elem {
    let (name, kids) = (name.to_string(), Vec::new());
    Elem { name, href, kids }
}

/// Converts a `smithy.api#documentation` HTML string into Markdown for `///`
/// doc comments: no trailing spaces, no leading/trailing blank lines, no final
/// newline, and nothing rustdoc warns about or runs as a doctest.
pub fn html_to_markdown(html: &str) -> String {
    let mut r = Blocks::default();
    r.nodes(&parse(html).kids);
    join(&r.finish(), false)
}

// ---------------------------------------------------------------- parsing

/// Recognizes a tag at byte `lt` (a `<`) as `(is_close, name, attributes, end)`;
/// an empty name is a comment or declaration, `None` a literal `<`.
fn tag_at(s: &str, lt: usize) -> Option<(bool, &str, &str, usize)> {
    let rest = &s[lt + 1..];
    if let Some(r) = rest.strip_prefix("!--") {
        return Some((false, "", "", r.find("-->").map_or(s.len(), |i| lt + 7 + i)));
    }
    if rest.starts_with(['!', '?']) {
        return Some((false, "", "", lt + 2 + rest.find('>')?));
    }
    let close = rest.starts_with('/');
    let body = &rest[usize::from(close)..];
    let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    let n = body.find(|c: char| !valid(c)).unwrap_or(body.len());
    let after = body[n..].chars().next()?;
    if n == 0
        || !body.starts_with(|c: char| c.is_ascii_alphabetic())
        || !(after.is_ascii_whitespace() || after == '/' || after == '>')
    {
        return None;
    }
    let mut gt = lt + 1 + rest.find('>')?;
    if s[lt..gt].matches('"').count() % 2 == 1 {
        // `>` inside a quoted attribute value: extend past the closing quote
        let q = s[gt..].find('"').map(|q| gt + q);
        gt = q.and_then(|q| Some(q + s[q..].find('>')?)).unwrap_or(gt);
    }
    let attrs = &s[lt + 1 + usize::from(close) + n..gt];
    Some((close, &body[..n], attrs, gt + 1))
}

/// Value of the `href` attribute in the attribute text of a start tag.
fn href(attrs: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase(); // same byte offsets
    lower.match_indices("href").find_map(|(i, _)| {
        let r = attrs[i + 4..].trim_start().strip_prefix('=')?.trim_start();
        let v = match r.strip_prefix(['"', '\'']) {
            Some(q) => q.split(&r[..1]).next()?,
            None => r.split(|c: char| c.is_ascii_whitespace()).next()?,
        };
        attrs[..i]
            .ends_with(|c: char| c.is_ascii_whitespace())
            .then(|| decode(v))
    })
}

fn parse(s: &str) -> Elem {
    let mut stack = vec![elem("", None)];
    let last_gt = s.rfind('>');
    let (mut pos, mut text_from) = (0, 0);
    while let Some(off) = s[pos..].find('<') {
        let lt = pos + off;
        pos = lt + 1;
        let tag = last_gt.filter(|&g| g > lt).and_then(|_| tag_at(s, lt));
        let Some((close, name, attrs, end)) = tag else {
            continue;
        };
        add_text(&mut stack, &s[text_from..lt]);
        (pos, text_from) = (end, end);
        let lower = name.to_ascii_lowercase();
        if name.is_empty() {
            continue;
        } else if !is(KNOWN, &lower) {
            // dropped, except placeholders like `<String>` and anything inside code
            if name != lower || stack.iter().any(|e| is(CODE, &e.name)) {
                add_text(&mut stack, &s[lt..end]);
            }
            continue;
        }
        let name = lower.as_str();
        if close && name != "br" {
            if let Some(i) = stack.iter().skip(1).rposition(|e| e.name == name) {
                close_to(&mut stack, i + 1);
            }
        } else {
            if matches!(name, "li" | "dt" | "dd") {
                // an item still open inside the innermost list (`None < Some(_)`) ends here
                let scope = if name == "li" { "ul ol" } else { "dl" };
                let item = stack.iter().rposition(|e| is("li dt dd", &e.name));
                let list = stack.iter().rposition(|e| is(scope, &e.name));
                if let Some(i) = item.filter(|&i| Some(i) > list) {
                    close_to(&mut stack, i);
                }
            }
            let e = elem(name, href(attrs).filter(|_| name == "a"));
            if close || is("br hr img", name) || attrs.trim_end().ends_with('/') {
                push(&mut stack, Node::Elem(e));
            } else if stack.len() < MAX_DEPTH {
                stack.push(e);
            }
        }
    }
    add_text(&mut stack, &s[text_from..]);
    close_to(&mut stack, 1);
    stack.pop().unwrap_or_else(|| elem("", None))
}

fn push(stack: &mut [Elem], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.kids.push(node);
    }
}

fn add_text(stack: &mut [Elem], raw: &str) {
    let t = decode(raw);
    match stack.last_mut().and_then(|e| e.kids.last_mut()) {
        Some(Node::Text(prev)) => prev.push_str(&t),
        _ if t.is_empty() => {}
        _ => push(stack, Node::Text(t)),
    }
}

/// Pops elements until `len` remain, attaching each to its parent.
fn close_to(stack: &mut Vec<Elem>, len: usize) {
    while stack.len() > len.max(1) {
        if let Some(e) = stack.pop() {
            push(stack, Node::Elem(e));
        }
    }
}

/// Decodes character references and drops characters that are not allowed or
/// dangerous in Rust comments (control characters, bidi overrides).
fn decode(s: &str) -> String {
    let keep = |c: &char| {
        (!c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\x0c'))
            && !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    let (mut out, mut rest) = (String::with_capacity(s.len()), s);
    while let Some(i) = rest.find('&') {
        out.extend(rest[..i].chars().filter(keep));
        rest = &rest[i + 1..];
        if let Some((c, len)) = entity(rest) {
            out.extend(Some(c).filter(keep));
            rest = &rest[len..];
        } else {
            out.push('&');
        }
    }
    out.extend(rest.chars().filter(keep));
    out
}

/// Parses the entity after a `&`, returning the character and bytes consumed.
fn entity(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().take(12).position(|b| b == b';')?;
    let name = &s[..semi];
    let c = if let Some(num) = name.strip_prefix('#') {
        let v = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(v)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}')
    } else {
        let mut kv = ENTITIES.split_ascii_whitespace();
        let mut pairs = std::iter::from_fn(|| Some((kv.next()?, kv.next()?)));
        pairs.find(|(k, _)| *k == name)?.1.chars().next()?
    };
    Some((c, semi + 1))
}

// -------------------------------------------------------------- rendering

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Para,
    List,
    Other,
}

struct Block(Kind, String);

/// Block renderer; `pending` collects the inline Markdown of the current paragraph.
#[derive(Default)]
struct Blocks {
    out: Vec<Block>,
    pending: String,
}

impl Blocks {
    fn nodes(&mut self, nodes: &[Node]) {
        nodes.iter().for_each(|n| self.node(n));
    }

    fn node(&mut self, n: &Node) {
        let Node::Elem(e) = n else {
            return inline(&mut self.pending, n, St::default());
        };
        let name = e.name.as_str();
        if is("span thead tbody", name) || name == "a" && !e.href.as_deref().is_some_and(is_http) {
            return self.nodes(&e.kids);
        }
        if !is(BLOCK, name) {
            return inline(&mut self.pending, n, St::default());
        }
        self.flush();
        match name {
            "ul" | "ol" | "li" => self.list(e),
            "note" | "important" | "blockquote" => self.quote(e),
            "pre" | "programlisting" => self.code_block(e),
            _ if is(HEADS, name) => inline(&mut self.pending, n, St::default()),
            _ => self.nodes(&e.kids),
        }
        self.flush();
    }

    /// Ends the current paragraph; `<br>` became `\n`, rendered as a backslash hard break.
    fn flush(&mut self) {
        let p = std::mem::take(&mut self.pending);
        let lines: Vec<_> = p
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(line_start)
            .collect();
        if !lines.is_empty() {
            self.out.push(Block(Kind::Para, lines.join("\\\n")));
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.out
    }

    fn list(&mut self, e: &Elem) {
        let items: Vec<&[Node]> = match e.name.as_str() {
            "li" => vec![&e.kids[..]],
            _ => (e.kids.iter())
                .filter_map(|k| match k {
                    Node::Elem(c) if c.name == "li" => Some(&c.kids[..]),
                    Node::Text(t) if t.trim().is_empty() => None,
                    k => Some(std::slice::from_ref(k)),
                })
                .collect(),
        };
        // a list right after another one gets other markers, or CommonMark would merge them
        let prev = self.out.last().filter(|b| b.0 == Kind::List);
        let alt = prev.is_some_and(|b| b.1.starts_with("- ") || b.1.starts_with("1. "));
        let (mut text, mut n) = (String::new(), 0);
        for kids in items {
            let mut sub = Blocks::default();
            sub.nodes(kids);
            let body = join(&sub.finish(), true);
            n += usize::from(!body.is_empty());
            let marker = match (e.name == "ol", alt) {
                (true, false) => format!("{n}. "),
                (true, true) => format!("{n}) "),
                (false, false) => "- ".into(),
                (false, true) => "* ".into(),
            };
            for (i, l) in body.lines().enumerate() {
                let pad = if l.is_empty() { 0 } else { marker.len() };
                text.push_str(&format!("\n{:pad$}{l}", if i == 0 { &marker } else { "" }));
            }
        }
        if !text.is_empty() {
            self.out.push(Block(Kind::List, text[1..].to_string()));
        }
    }

    fn quote(&mut self, e: &Elem) {
        let mut sub = Blocks::default();
        sub.nodes(&e.kids);
        let mut blocks = sub.finish();
        let label = match e.name.as_str() {
            "note" => "**Note:**",
            "important" => "**Important:**",
            _ => "",
        };
        match blocks.first_mut() {
            _ if label.is_empty() => {}
            Some(Block(Kind::Para, t)) => t.insert_str(0, &format!("{label} ")),
            _ => blocks.insert(0, Block(Kind::Para, label.into())),
        }
        let body = join(&blocks, false);
        let quoted: Vec<_> = body
            .lines()
            .map(|l| format!("> {l}").trim_end().to_string())
            .collect();
        if !quoted.is_empty() {
            self.out.push(Block(Kind::Other, quoted.join("\n")));
        }
    }

    fn code_block(&mut self, e: &Elem) {
        let mut raw = String::new();
        plain(&e.kids, &mut raw);
        let raw = raw.replace("\r\n", "\n").replace('\r', "\n");
        let mut lines: Vec<&str> = raw
            .lines()
            .map(str::trim_end)
            .skip_while(|l| l.is_empty())
            .collect();
        while lines.last() == Some(&"") {
            lines.pop();
        }
        let indent = (lines.iter().filter(|l| !l.is_empty()))
            .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
            .min();
        let body: Vec<_> = lines
            .iter()
            .map(|l| l.get(indent.unwrap_or(0)..).unwrap_or(l))
            .collect();
        let fence = "`".repeat(longest_backtick_run(&raw).max(2) + 1);
        if indent.is_some() {
            let text = format!("{fence}text\n{}\n{fence}", body.join("\n"));
            self.out.push(Block(Kind::Other, text));
        }
    }
}

/// Joins blocks with blank lines; inside a list item a nested list directly
/// follows its paragraph, which keeps the list tight.
fn join(blocks: &[Block], in_item: bool) -> String {
    let mut s = String::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            let tight = in_item && b.0 == Kind::List && blocks[i - 1].0 == Kind::Para;
            s.push_str(if tight { "\n" } else { "\n\n" });
        }
        s.push_str(&b.1);
    }
    s
}

/// Escapes what would start a block construct (heading, list, quote...) at the start of a line.
fn line_start(l: &str) -> String {
    let digits = l.bytes().take_while(u8::is_ascii_digit).count();
    if l.starts_with(['#', '>', '-', '+', '=', ':']) {
        format!("\\{l}")
    } else if digits > 0 && l[digits..].starts_with(['.', ')']) {
        format!("{}\\{}", &l[..digits], &l[digits..])
    } else {
        l.to_string()
    }
}

#[derive(Clone, Copy, Default)]
struct St {
    bold: bool,
    ital: bool,
    link: bool,
}

fn inline(out: &mut String, n: &Node, st: St) {
    let e = match n {
        Node::Text(t) => return text(out, t, st.link),
        Node::Elem(e) => e,
    };
    let kids = |out: &mut String, st| e.kids.iter().for_each(|k| inline(out, k, st));
    let mut s = String::new();
    match e.name.as_str() {
        "br" => out.push('\n'),
        name if !st.bold && (is("b strong", name) || is(HEADS, name)) => {
            kids(&mut s, St { bold: true, ..st });
            wrap(out, "**", &s);
        }
        "i" | "em" | "cite" if !st.ital => {
            kids(&mut s, St { ital: true, ..st });
            wrap(out, "*", &s);
        }
        name if is(CODE, name) => {
            plain(&e.kids, &mut s);
            code_span(out, &s);
        }
        "a" => match e
            .href
            .as_deref()
            .map(str::trim)
            .filter(|h| is_http(h) && !st.link)
        {
            None => kids(out, st),
            Some(href) => {
                kids(&mut s, St { link: true, ..st });
                let mut p = String::new();
                plain(&e.kids, &mut p);
                let (t, url) = (s.trim(), url_escape(href));
                let (auto, link) = (format!("<{url}>"), format!("[{t}]({url})"));
                let bare = t.is_empty() || p.trim() == href;
                spaced(out, &s, if bare { &auto } else { &link });
            }
        },
        name if is(BLOCK, name) => {
            push_space(out);
            kids(out, st);
            push_space(out);
        }
        _ => kids(out, st),
    }
}

/// Wraps inline Markdown in emphasis markers, keeping outer spaces outside.
fn wrap(out: &mut String, mark: &str, s: &str) {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    let md = format!("{mark}{t}{mark}");
    spaced(out, s, if t.is_empty() { "" } else { &md });
}

/// Appends `md` in place of inline content `s`, keeping the outer whitespace of `s`.
fn spaced(out: &mut String, s: &str, md: &str) {
    let ws = |c: char| c.is_ascii_whitespace();
    if s.starts_with(ws) || md.is_empty() && !s.is_empty() {
        push_space(out);
    }
    out.push_str(md);
    if s.ends_with(ws) && !md.is_empty() {
        push_space(out);
    }
}

fn push_space(out: &mut String) {
    if !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

/// Concatenated raw text of nodes (`<br>` as newline), for code.
fn plain(nodes: &[Node], out: &mut String) {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Elem(e) if e.name == "br" => out.push('\n'),
            Node::Elem(e) => plain(&e.kids, out),
        }
    }
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A code span, with a fence longer than any backtick run inside (CommonMark).
fn code_span(out: &mut String, raw: &str) {
    let content = raw.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
    let fence = "`".repeat(longest_backtick_run(&content) + 1);
    let pad = " ".repeat(usize::from(
        content.starts_with('`') || content.ends_with('`'),
    ));
    let md = format!("{fence}{pad}{content}{pad}{fence}");
    spaced(out, raw, if content.is_empty() { "" } else { &md });
}

/// Appends text with HTML whitespace collapsing, Markdown escaping, and bare
/// URLs turned into autolinks (except inside link text).
fn text(out: &mut String, t: &str, in_link: bool) {
    for (i, mut word) in t.split(|c: char| c.is_ascii_whitespace()).enumerate() {
        if i > 0 {
            push_space(out);
        }
        while let Some(at) = (!in_link).then(|| url_start(word)).flatten() {
            let (before, rest) = word.split_at(at);
            let end = rest.find(['<', '>', '"', '`']).unwrap_or(rest.len());
            let mut url =
                rest[..end].trim_end_matches(['.', ',', ':', ';', '!', '?', '\'', '*', '_']);
            let unbalanced = |u: &str, o: char, c: char| {
                u.ends_with(c) && u.matches(c).count() > u.matches(o).count()
            };
            while unbalanced(url, '(', ')') || unbalanced(url, '[', ']') {
                url = &url[..url.len() - 1];
            }
            let scheme = rest.find("//").map_or(0, |i| i + 2);
            escape(out, before);
            if url.len() > scheme {
                out.push_str(&format!("<{}>", url_escape(url)));
                word = &rest[url.len()..];
            } else {
                escape(out, &rest[..scheme]);
                word = &rest[scheme..];
            }
        }
        escape(out, word);
    }
}

/// Byte offset of the first `http://` or `https://` (any case) followed by something.
fn url_start(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| {
        let at = |p: &[u8]| b.len() > i + p.len() && b[i..i + p.len()].eq_ignore_ascii_case(p);
        at(b"http://") || at(b"https://")
    })
}

fn is_http(href: &str) -> bool {
    url_start(href.trim()) == Some(0)
}

/// Percent-encodes characters not allowed in autolinks or link destinations.
fn url_escape(u: &str) -> String {
    let mut s = String::with_capacity(u.len());
    for c in u.chars() {
        match c {
            c if c.is_ascii_control() || " <>()\\\"'`".contains(c) => {
                s += &format!("%{:02X}", c as u32)
            }
            c => s.push(c),
        }
    }
    s
}

/// Backslash-escapes Markdown punctuation in plain text (`_` only where it could
/// start or end emphasis, `&` only where it could start an entity).
fn escape(out: &mut String, s: &str) {
    let cs: Vec<char> = s.chars().collect();
    let alnum = |j: Option<&char>| j.is_some_and(|c| c.is_alphanumeric());
    for (i, &c) in cs.iter().enumerate() {
        let esc = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '|' | '~' => true,
            '_' => i == 0 || !alnum(cs.get(i - 1)) || !alnum(cs.get(i + 1)),
            '&' => cs
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#'),
            _ => false,
        };
        if esc {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::html_to_markdown as md;

    #[rustfmt::skip]
    #[test]
    fn blocks_and_whitespace() {
        check(&[
            ("", ""),
            ("  \n ", ""),
            ("<p>Hello\n   <b>big</b>   world.</p>\n  <p>Second</p>", "Hello **big** world.\n\nSecond"),
            ("<p></p><p> </p><div><p>a</p></div>x", "a\n\nx"),
            ("<p>one<br/>two<br> <br>three<br></p>", "one\\\ntwo\\\nthree"),
            ("<fullname>Amazon S3</fullname><h2>Usage</h2>", "**Amazon S3**\n\n**Usage**"),
            ("<dl><dt>Term</dt><dd>Meaning</dd></dl>", "**Term**\n\nMeaning"),
            ("<span>a <p>b</p> c</span>", "a\n\nb\n\nc"),
        ]);
    }

    #[rustfmt::skip]
    #[test]
    fn inline_markup() {
        check(&[
            ("<i>x</i> <em>y</em> <strong>z</strong>", "*x* *y* **z**"),
            ("a<b> b </b>c <b></b><i> </i>d", "a **b** c d"),
            ("<b>a <b>b</b></b> <i><b>c</b></i>", "**a b** ***c***"),
            ("<code>x  y</code>, <code>a`b</code> <code>`x`</code>", "`x y`, ``a`b`` `` `x` ``"),
            ("<code>Vec<String></code> <code><</code> <code>https://x.y</code>", "`Vec<String>` `<` `https://x.y`"),
            ("<code>\n <a>Send</a>\n </code>call <code>Summary </code>object", "`Send` call `Summary` object"),
        ]);
    }

    #[rustfmt::skip]
    #[test]
    fn entities_and_escaping() {
        check(&[
            ("&amp; &lt;b&gt; &quot;q&quot; &apos;&#39; &#65;&#x42; a&nbsp;b", "& \\<b> \"q\" '' AB a\u{a0}b"),
            ("AT&amp;T &foo; &#xZZ; &#1114112; & &amp;lt; x&#0;y&#x202E;z", "AT\\&T \\&foo; \\&#xZZ; \u{fffd} & \\&lt; x\u{fffd}yz"),
            ("[REQUIRED] Vec&lt;String&gt; a*b snake_case _x_ `t` a|b ~s~ \\", r"\[REQUIRED\] Vec\<String> a\*b snake_case \_x\_ \`t\` a\|b \~s\~ \\"),
            ("Vec<String> and <foo>dropped tag</foo>", r"Vec\<String> and dropped tag"),
            ("<p># h</p><p>- l</p><p>+ l</p><p>1. o</p><p>2) o</p><p>&gt; q</p><p>= :</p>", "\\# h\n\n\\- l\n\n\\+ l\n\n1\\. o\n\n2\\) o\n\n\\> q\n\n\\= :"),
            ("<p>    four</p><p>a<br>    - b</p>", "four\n\na\\\n\\- b"),
        ]);
    }

    #[rustfmt::skip]
    #[test]
    fn links_and_urls() {
        check(&[
            (r#"<a href="https://x.com/a">the text</a>"#, "[the text](https://x.com/a)"),
            (r#"see <a href="https://x.com"></a>, <a HREF="http://x.com">http://x.com</a>"#, "see <https://x.com>, <http://x.com>"),
            (r#"<a href="API_Foo.html">Foo</a> <a>Bar</a> <a href="mailto:a@b.c">mail</a>"#, "Foo Bar mail"),
            (r#"<a class=x href='https://x.com/a b(c)'> t </a>!"#, "[t](https://x.com/a%20b%28c%29) !"),
            (r#"<a href="https://a.com">see https://b.com [1]</a>"#, r"[see https://b.com \[1\]](https://a.com)"),
            (r#"<a href="https://a.com/x>y">q</a>"#, "[q](https://a.com/x%3Ey)"),
            ("see https://x.com/a_b, (http://y.com/z). HTTPS://UP.COM", "see <https://x.com/a_b>, (<http://y.com/z>). <HTTPS://UP.COM>"),
            ("http:// and https://. and x\"https://q.com/x\"", "http:// and https://. and x\"<https://q.com/x>\""),
        ]);
    }

    #[rustfmt::skip]
    #[test]
    fn lists_notes_and_code_blocks() {
        check(&[
            ("<ul><li>a</li><li><p>b</p><ul><li>c<ol><li>d</li><li>e</li></ol></li></ul></li></ul>", "- a\n- b\n  - c\n    1. d\n    2. e"),
            ("<ol><li><p>one</p><p>two</p></li><li>three</li></ol>", "1. one\n\n   two\n2. three"),
            ("<ul><li>a<li>b</ul><ul><li></li><li> x </li></ul><ul><li>y</li></ul>", "- a\n- b\n\n* x\n\n- y"),
            ("<ol><li>a</li></ol><ol><li>b</li></ol><ul><li>c</li></ul>", "1. a\n\n1) b\n\n- c"),
            ("<p>Intro:</p><ul><li>x</li></ul><p>After</p>", "Intro:\n\n- x\n\nAfter"),
            ("<ul><li>a<note>n</note></li><li><ul><li>deep</li></ul></li></ul>", "- a\n\n  > **Note:** n\n- - deep"),
            ("<note><p>Be careful.</p><p>Really.</p></note>", "> **Note:** Be careful.\n>\n> Really."),
            ("<important><ul><li>x</li></ul></important><note></note>", "> **Important:**\n>\n> - x\n\n> **Note:**"),
            ("<pre>\n    fn main() {}\n      body\n</pre>", "```text\nfn main() {}\n  body\n```"),
            ("<programlisting>a ``` &lt;b&gt;</programlisting>", "````text\na ``` <b>\n````"),
            ("<ul><li><pre>x</pre></li></ul><pre> </pre>", "- ```text\n  x\n  ```"),
        ]);
        let ten: String = (1..=10).map(|i| format!("<li>{i}<p>p</p></li>")).collect();
        assert!(md(&format!("<ol>{ten}</ol>")).ends_with("\n10. 10\n\n    p"));
    }

    #[test]
    fn malformed_input_never_panics() {
        for html in [
            "<",
            "<<a",
            "</",
            "<a href=\"",
            "&#x;",
            "<!--",
            "<p",
            "</p>",
            "é<b>ü",
            "<語>",
        ] {
            assert_clean(html, &md(html));
        }
        for deep in [
            "<b>",
            "<ul><li>",
            "<note>",
            "<a href=\"https://x.y\">",
            "<i><code>",
        ] {
            assert_clean(deep, &md(&deep.repeat(5000)));
        }
        // deterministic fuzzing over fragments that stress the tokenizer and the escaping
        let parts: Vec<&str> = "<p> </p> <ul> <li> </li> </ul> <ol> <b> </b> <i> <code> </code> \
            <pre> </pre> <note> </note> <a href=\"https://x.y/\"> </a> <br> <h1> <dl><dt> &amp; & < \
            > * _ ` [ ] # - 1. é 日本 🎉 https://e.com/x \u{202e} \r \n"
            .split(' ')
            .chain(["    ", " "])
            .collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..3000 {
            let mut html = String::new();
            for _ in 0..seed % 40 {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                html.push_str(parts[(seed >> 33) as usize % parts.len()]);
            }
            assert_clean(&html, &md(&html));
        }
    }

    /// Converts every documentation string of the AWS models, when they are available.
    #[test]
    fn aws_models() {
        let dirs = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/../models"),
            "/work/shared/models/aws",
        ];
        let files = dirs
            .iter()
            .filter_map(|d| std::fs::read_dir(d).ok())
            .flatten();
        for src in files.filter_map(|f| std::fs::read_to_string(f.ok()?.path()).ok()) {
            let key = "\"smithy.api#documentation\"";
            for (i, _) in src.match_indices(key) {
                let rest = src[i + key.len()..].trim_start().trim_start_matches(':');
                let Some(doc) = rest.trim_start().strip_prefix('"').and_then(json_string) else {
                    continue;
                };
                assert_clean(&doc, &md(&doc));
            }
        }
    }

    /// Decodes the JSON string literal at the start of `s` (after its opening quote).
    fn json_string(s: &str) -> Option<String> {
        let (mut out, mut chars) = (String::new(), s.chars());
        loop {
            match chars.next()? {
                '"' => return Some(out),
                '\\' => match chars.next()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'u' => {
                        let hex: String = chars.by_ref().take(4).collect();
                        let c = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                        out.push(c.unwrap_or('\u{fffd}'));
                    }
                    c => out.push(c),
                },
                c => out.push(c),
            }
        }
    }

    fn check(cases: &[(&str, &str)]) {
        for (html, want) in cases {
            let got = md(html);
            assert_eq!(got, *want, "input: {html:?}");
            assert_clean(html, &got);
        }
    }

    /// Layout invariants every output must satisfy.
    fn assert_clean(html: &str, out: &str) {
        let msg = format!("input {html:?} gave {out:?}");
        assert!(out == out.trim() && !out.contains("\n\n\n"), "{msg}");
        let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(
            !out.contains(|c: char| c != '\n' && c.is_control() || bidi(c)),
            "{msg}"
        );
        let (mut fence, mut list) = (String::new(), false);
        for line in out.lines() {
            let body = line.trim_start();
            let indent = line.len() - body.len();
            assert_eq!(line, line.trim_end(), "{msg}");
            if indent == 0 && !line.is_empty() {
                let num = body.trim_start_matches(|c: char| c.is_ascii_digit());
                let ordered = num.len() < body.len() && num.starts_with(['.', ')']);
                list = body.starts_with("- ") || body.starts_with("* ") || ordered;
            }
            assert!(
                indent < 4 || list || !fence.is_empty(),
                "indented code block: {msg}"
            );
            let ticks = &body[..body.len() - body.trim_start_matches('`').len()];
            if fence.is_empty() && ticks.len() >= 3 && body.ends_with("text") {
                fence = ticks.to_string();
            } else if !fence.is_empty() && body == fence {
                fence.clear();
            }
        }
    }
}
