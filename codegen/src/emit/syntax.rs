//! Request and response syntax in the notation of the AWS SDK for Python documentation:
//! `response = client.create_key_pair(keyPairName='string', …)` and the response dict.
//!
//! The blocks let a reader compare our model with the service's published documentation line
//! for line, and they go into every operation's rustdoc.

use crate::model::{trait_ids, Shape, ShapeId, ShapeType};
use crate::select::ServiceView;

const INDENT: usize = 4;

/// The Request Syntax block of an operation.
pub fn request_syntax(view: &ServiceView<'_>, operation: &Shape) -> String {
    let method = crate::symbols::to_snake(&view.shape_name(&operation.id));
    let input = operation
        .relations
        .input
        .as_ref()
        .and_then(|id| view.model.shape(id.as_str()))
        .filter(|s| !s.members.is_empty());
    let Some(input) = input else {
        return format!("response = client.{method}()");
    };
    let mut stack = vec![input.id.clone()];
    let params: Vec<String> = input
        .members
        .iter()
        .map(|m| {
            let value = render(
                view,
                view.model.target(m),
                INDENT,
                &mut stack,
                Direction::Request,
            );
            format!("{}{}={value}", pad(INDENT), m.name)
        })
        .collect();
    format!("response = client.{method}(\n{}\n)", params.join(",\n"))
}

/// The Response Syntax block of an operation.
pub fn response_syntax(view: &ServiceView<'_>, operation: &Shape) -> String {
    match operation
        .relations
        .output
        .as_ref()
        .and_then(|id| view.model.shape(id.as_str()))
    {
        Some(output) if output.id.as_str() != crate::model::UNIT => {
            render(view, output, 0, &mut Vec::new(), Direction::Response)
        }
        _ => "None".to_owned(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Request,
    Response,
}

fn pad(n: usize) -> String {
    " ".repeat(n)
}

fn quoted_values(shape: &Shape) -> String {
    shape
        .enum_values()
        .iter()
        .map(|v| match &v.value {
            crate::model::EnumLiteral::String(s) => format!("'{s}'"),
            crate::model::EnumLiteral::Int(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// Renders a value of `shape` whose first line continues the current line at `indent`.
fn render(
    view: &ServiceView<'_>,
    shape: &Shape,
    indent: usize,
    stack: &mut Vec<ShapeId>,
    direction: Direction,
) -> String {
    match shape.kind {
        ShapeType::String | ShapeType::Enum if shape.is_string_enum() => quoted_values(shape),
        ShapeType::Enum => quoted_values(shape),
        ShapeType::String => "'string'".to_owned(),
        ShapeType::IntEnum => quoted_values(shape),
        ShapeType::Boolean => "True|False".to_owned(),
        ShapeType::Byte
        | ShapeType::Short
        | ShapeType::Integer
        | ShapeType::Long
        | ShapeType::BigInteger => "123".to_owned(),
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => "123.0".to_owned(),
        ShapeType::Timestamp => "datetime(2015, 1, 1)".to_owned(),
        ShapeType::Blob if shape.traits.has(trait_ids::STREAMING) => match direction {
            Direction::Request => "b'bytes'|file".to_owned(),
            Direction::Response => "StreamingBody()".to_owned(),
        },
        ShapeType::Blob => "b'bytes'".to_owned(),
        ShapeType::Document => "{...}|[...]|123|123.4|'string'|True|None".to_owned(),
        ShapeType::List => {
            let Some(member) = shape.list_member() else {
                return "[]".to_owned();
            };
            let item = render(
                view,
                view.model.target(member),
                indent + INDENT,
                stack,
                direction,
            );
            format!("[\n{}{item},\n{}]", pad(indent + INDENT), pad(indent))
        }
        ShapeType::Map => {
            let Some((key, value)) = shape.map_members() else {
                return "{}".to_owned();
            };
            let key = render(
                view,
                view.model.target(key),
                indent + INDENT,
                stack,
                direction,
            );
            let value = render(
                view,
                view.model.target(value),
                indent + INDENT,
                stack,
                direction,
            );
            format!(
                "{{\n{}{key}: {value}\n{}}}",
                pad(indent + INDENT),
                pad(indent)
            )
        }
        ShapeType::Structure | ShapeType::Union => {
            if stack.contains(&shape.id) && indent > 0 {
                return "{'... recursive ...'}".to_owned();
            }
            if shape.members.is_empty() {
                return "{}".to_owned();
            }
            stack.push(shape.id.clone());
            let entries: Vec<String> = shape
                .members
                .iter()
                .map(|m| {
                    let target = view.model.target(m);
                    let value = if target.id.as_str() == crate::model::UNIT {
                        "{}".to_owned()
                    } else {
                        render(view, target, indent + INDENT, stack, direction)
                    };
                    format!("{}'{}': {value}", pad(indent + INDENT), m.name)
                })
                .collect();
            stack.pop();
            format!("{{\n{}\n{}}}", entries.join(",\n"), pad(indent))
        }
        ShapeType::Service | ShapeType::Operation | ShapeType::Resource => String::new(),
    }
}
