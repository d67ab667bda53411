//! Printing the model: one module a generated file kind, each with its
//! template beside it. Nothing here reads a schema or the manifest's file;
//! every fact comes from [`crate::model::Model`], except in [`lossy`], which
//! prints typify's own output for the schemas as a benchmark's yardstick.

pub mod client;
pub mod examples;
pub mod fixtures;
pub mod lib_rs;
pub mod lossy;
pub mod models;

use proc_macro2::TokenStream;
use quote::quote;

use crate::Error;

/// The second line of every generated file: prettyplease formats it, so
/// `cargo fmt` leaves it alone.
const SKIP_RUSTFMT: &str = "#![cfg_attr(rustfmt, rustfmt::skip)]";

/// `#![doc]` attributes, one a line, so that they print as `//!` lines.
pub fn inner_docs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote! { #![doc = #line] }
    });
    quote! { #(#lines)* }
}

/// `#[doc]` attributes, one a line, so that they print as `///` lines.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text else { return TokenStream::new() };
    let lines = text.trim().lines().map(|line| {
        let line = if line.trim().is_empty() { String::new() } else { format!(" {}", line.trim_end()) };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// A whole file: `header` (its first line, [`crate::header`]), then the
/// items formatted by prettyplease.
pub fn format_file(header: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| Error::Syntax(e.to_string()))?;
    let code = one_statement_a_line(&prettyplease::unparse(&file));
    Ok(format!("{header}\n{SKIP_RUSTFMT}\n{}", space_items(&code)))
}

/// Lays out the body of each macro item (`name! { ... }` at the top level)
/// one `;`-ended statement a line, as prettyplease fills them like prose;
/// then adding a property to a schema adds one line.
fn one_statement_a_line(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut body: Option<String> = None;
    for line in code.lines() {
        match &mut body {
            None if line.ends_with("! {") && !line.starts_with(' ') => {
                out.push_str(line);
                out.push('\n');
                body = Some(String::new());
            }
            Some(text) if line == "}" => {
                for statement in split_statements(text) {
                    out.push_str("    ");
                    out.push_str(&statement);
                    out.push('\n');
                }
                out.push_str("}\n");
                body = None;
            }
            Some(text) => {
                text.push(' ');
                text.push_str(line.trim());
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The `;`-ended statements of `text`, each trimmed, a `;` inside a string
/// literal left alone.
fn split_statements(text: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut current = String::new();
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        current.push(c);
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            ';' if !in_string => {
                statements.push(current.trim().to_owned());
                current.clear();
            }
            _ => {}
        }
    }
    if !current.trim().is_empty() {
        statements.push(current.trim().to_owned());
    }
    statements
}

/// Puts a blank line between consecutive items and between the functions of
/// an impl, which prettyplease prints back to back.
fn space_items(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = String::with_capacity(code.len() + code.len() / 20);
    let mut in_use = false;
    for (index, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(index + 1) else { continue };
        let indent = line.len() - line.trim_start().len();
        let next_indent = next.len() - next.trim_start().len();
        let closes_item = line.trim_start() == "}" && indent <= 4;
        in_use |= line.starts_with("use ") || line.starts_with("pub use ");
        let ends_use = in_use && line.ends_with(';');
        if ends_use {
            in_use = false;
        }
        let ends_uses = ends_use && !next.starts_with("use ") && !next.starts_with("pub use ");
        let ends_inner_docs = line.starts_with("//!") && !next.starts_with("//!");
        let item_follows = next_indent == indent && !next.trim_start().starts_with('}');
        let ends_macro_item = indent == 0 && !line.starts_with("//") && !in_use && !ends_use && line.ends_with(");");
        if ((closes_item && item_follows) || ends_uses || ends_inner_docs || ends_macro_item) && !next.is_empty() {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_bodies_take_one_statement_a_line() {
        let code = "m! {\n    A, b; \"x;y\" => x, required; \"q\\\";\" =>\n    q;\n}\nfn f() {}\n";
        assert_eq!(
            one_statement_a_line(code),
            "m! {\n    A, b;\n    \"x;y\" => x, required;\n    \"q\\\";\" => q;\n}\nfn f() {}\n"
        );
    }
}
