//! Code written against the generated API of the golden case `library`, as
//! a service would write it: if the generator changes a name or a type,
//! this stops compiling.

use dylive_codegen_golden::library::client::{BookListRequest, Client, LoanRequest, ENDPOINTS};
use dylive_codegen_golden::library::models::{self, BookListResponse, Code, Icons};
use dylive_http::{Auth, BodyKind, Method};
use dylive_runtime::info::{Shape, Ty};

const BODY: &str = r#"{"code":0,"books":[{"id":18446744073709551616,"title":null,"icons":[{"uri":"a"}],"type":"paper","notes":{"x":[1.50]},"tags":{"en":"tale"},"ratings":[4.5,null],"isbn":"0"}],"trace":"t"}"#;

#[test]
fn a_response_decodes_reads_and_encodes_back() {
    let response = BookListResponse::from_slice(BODY.as_bytes()).expect("decodes");
    assert!(matches!(response.code.get(), Some(Code::Integer(code)) if code.as_u64() == Some(0)));
    let book = &response.books.items()[0];
    assert_eq!(book.id.get().map(ToString::to_string).as_deref(), Some("18446744073709551616"));
    assert!(book.title.is_null() && book.cover.is_absent());
    assert!(matches!(book.icons.get(), Some(Icons::Array(images)) if images[0].uri.as_deref() == Some("a")));
    assert_eq!(book.type_.as_deref(), Some("paper"));
    assert_eq!(book.tags.get().and_then(|tags| tags.get("en")).map(String::as_str), Some("tale"));
    assert_eq!(book.ratings.items().len(), 2);
    assert_eq!(book.unknown_fields.get("isbn").map(|raw| raw.get()), Some("\"0\""));
    assert_eq!(response.unknown_fields.len(), 1);
    let encoded = response.to_json();
    let again = BookListResponse::from_slice(encoded.as_bytes()).expect("decodes again");
    assert_eq!(again, response);
    assert!(encoded.contains("[1.50]"), "{encoded}");
}

#[test]
fn requests_and_endpoints_are_as_the_manifest_says() {
    let request = BookListRequest::new(7).lang("en");
    assert_eq!(request.params(), vec![("shelf_id", "7".to_owned()), ("lang", "en".to_owned())]);
    let loan = LoanRequest::new("b-1").days(14);
    assert_eq!(loan.params(), vec![("book_id", "b-1".to_owned()), ("days", "14".to_owned())]);
    assert_eq!(ENDPOINTS.len(), 2);
    let spec = LoanRequest::ENDPOINT;
    assert_eq!((spec.method, spec.body, spec.auth), (Method::Post, BodyKind::Multipart, Auth::Header("X-Key")));
    assert_eq!(BookListRequest::ENDPOINT.auth, Auth::Query("key"));
    assert!(Client::new("http://127.0.0.1:9", "secret").is_ok());
}

#[test]
fn every_type_describes_itself() {
    let names: Vec<&str> = models::TYPES.iter().map(|info| info().name).collect();
    assert_eq!(names, ["Image", "Icons", "Code", "BookListResponse", "Book", "LoanResponse"]);
    let books = models::Response::type_info("book_list").expect("an endpoint").field("books").expect("a field");
    let Ty::Array(item) = books.ty else { panic!("books is an array: {:?}", books.ty) };
    let info = item.type_info().expect("a named type");
    assert_eq!(info.name, "Book");
    let title = info.field("title").expect("a field");
    assert!(title.required && title.nullable);
    assert_eq!(info.field("JAccreditBasic").map(|f| f.rust_name), Some("j_accredit_basic"));
    assert!(matches!(models::TYPES[1]().shape, Shape::Union(variants) if variants.len() == 2));
}
