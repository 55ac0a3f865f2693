//! Wire protocols: each module emits the serializers, deserializers and error matching of one
//! protocol behind the [`Protocol`] trait, so that new protocols plug in without touching the
//! type emitters.

pub mod aws_json;

use proc_macro2::TokenStream;

use crate::model::Shape;
use crate::select::ServiceView;
use crate::symbols::Symbols;

/// What a protocol adds to the generated code.
pub trait Protocol {
    /// `use` items the shape impls need (placed at the top of the shape's module).
    fn shape_imports(&self, view: &ServiceView<'_>, shape: &Shape) -> TokenStream;
    /// Impls for one generated data shape (structure or union), placed in its module.
    fn shape_impls(&self, view: &ServiceView<'_>, symbols: &Symbols, shape: &Shape) -> TokenStream;
    /// `use` items the operation impls need.
    fn operation_imports(&self) -> TokenStream;
    /// Impls for one operation, placed in its module next to the operation type.
    fn operation_impls(
        &self,
        view: &ServiceView<'_>,
        symbols: &Symbols,
        operation: &Shape,
    ) -> TokenStream;
}

/// The protocol the service declares, when smithgen supports it.
pub fn for_service(service: &Shape) -> Option<Box<dyn Protocol>> {
    if service.traits.has("aws.protocols#awsJson1_0") {
        Some(Box::new(aws_json::AwsJson {
            version: aws_json::Version::V1_0,
        }))
    } else if service.traits.has("aws.protocols#awsJson1_1") {
        Some(Box::new(aws_json::AwsJson {
            version: aws_json::Version::V1_1,
        }))
    } else {
        None
    }
}
