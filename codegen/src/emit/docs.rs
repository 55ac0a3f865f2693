//! TEMPORARY until the converter lands.
pub fn html_to_markdown(html: &str) -> String {
    html.replace('<', " ")
        .replace('>', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
