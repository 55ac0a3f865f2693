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
    let mut out = Renderer {
        view,
        out: format!("response = client.{method}(\n"),
        stack: vec![input.id.clone()],
        direction: Direction::Request,
    };
    for (i, m) in input.members.iter().enumerate() {
        if i > 0 {
            out.out.push_str(",\n");
        }
        out.pad(INDENT);
        out.out.push_str(&m.name);
        out.out.push('=');
        out.render(view.model.target(m), INDENT);
    }
    out.out.push_str("\n)");
    out.out
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
            let mut out = Renderer {
                view,
                out: String::new(),
                stack: Vec::new(),
                direction: Direction::Response,
            };
            out.render(output, 0);
            out.out
        }
        _ => "None".to_owned(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Direction {
    Request,
    Response,
}

/// Writes one block into a single buffer.
struct Renderer<'v, 'm> {
    view: &'v ServiceView<'m>,
    out: String,
    /// Structures and unions being rendered, to mark recursion.
    stack: Vec<ShapeId>,
    direction: Direction,
}

impl Renderer<'_, '_> {
    fn pad(&mut self, n: usize) {
        self.out.extend(std::iter::repeat_n(' ', n));
    }

    fn enum_values(&mut self, shape: &Shape) {
        for (i, v) in shape.enum_values().iter().enumerate() {
            if i > 0 {
                self.out.push('|');
            }
            match &v.value {
                crate::model::EnumLiteral::String(s) => {
                    self.out.push('\'');
                    self.out.push_str(s);
                    self.out.push('\'');
                }
                crate::model::EnumLiteral::Int(n) => self.out.push_str(&n.to_string()),
            }
        }
    }

    /// Renders a value of `shape` whose first line continues the current line at `indent`.
    fn render(&mut self, shape: &Shape, indent: usize) {
        let text = match shape.kind {
            ShapeType::Enum | ShapeType::IntEnum => return self.enum_values(shape),
            ShapeType::String if shape.is_string_enum() => return self.enum_values(shape),
            ShapeType::String => "'string'",
            ShapeType::Boolean => "True|False",
            ShapeType::Byte
            | ShapeType::Short
            | ShapeType::Integer
            | ShapeType::Long
            | ShapeType::BigInteger => "123",
            ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => "123.0",
            ShapeType::Timestamp => "datetime(2015, 1, 1)",
            ShapeType::Blob if shape.traits.has(trait_ids::STREAMING) => match self.direction {
                Direction::Request => "b'bytes'|file",
                Direction::Response => "StreamingBody()",
            },
            ShapeType::Blob => "b'bytes'",
            ShapeType::Document => "{...}|[...]|123|123.4|'string'|True|None",
            ShapeType::List => {
                let Some(member) = shape.list_member() else {
                    return self.out.push_str("[]");
                };
                self.out.push_str("[\n");
                self.pad(indent + INDENT);
                self.render(self.view.model.target(member), indent + INDENT);
                self.out.push_str(",\n");
                self.pad(indent);
                "]"
            }
            ShapeType::Map => {
                let Some((key, value)) = shape.map_members() else {
                    return self.out.push_str("{}");
                };
                self.out.push_str("{\n");
                self.pad(indent + INDENT);
                self.render(self.view.model.target(key), indent + INDENT);
                self.out.push_str(": ");
                self.render(self.view.model.target(value), indent + INDENT);
                self.out.push('\n');
                self.pad(indent);
                "}"
            }
            ShapeType::Structure | ShapeType::Union => {
                if self.stack.contains(&shape.id) {
                    return self.out.push_str("{'... recursive ...'}");
                }
                if shape.members.is_empty() {
                    return self.out.push_str("{}");
                }
                self.stack.push(shape.id.clone());
                self.out.push_str("{\n");
                for (i, m) in shape.members.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(",\n");
                    }
                    self.pad(indent + INDENT);
                    self.out.push('\'');
                    self.out.push_str(&m.name);
                    self.out.push_str("': ");
                    let target = self.view.model.target(m);
                    if target.id.as_str() == crate::model::UNIT {
                        self.out.push_str("{}");
                    } else {
                        self.render(target, indent + INDENT);
                    }
                }
                self.stack.pop();
                self.out.push('\n');
                self.pad(indent);
                "}"
            }
            ShapeType::Service | ShapeType::Operation | ShapeType::Resource => "",
        };
        self.out.push_str(text);
    }
}
