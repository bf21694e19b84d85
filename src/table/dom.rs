//! Plain DOM building for the table: one function makes an element with its
//! attributes and children, and two tie the DOM to signals — an update that
//! runs again when what it reads changes, and an event listener. Both live
//! as long as the reactive owner they are made in (the table, or the part of
//! it that a change rebuilds), so nothing outlives the table. One copy of
//! each in the bundle, where Leptos' `view!` makes a copy of its code for
//! every element, attribute and event type.

use leptos::prelude::*;
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, UnwrapThrowExt};
use web_sys::Element;

/// An element `tag` with `attributes` and `children`: nodes, or strings,
/// which become text nodes (never markup).
pub fn el(tag: &str, attributes: &[(&str, &str)], children: &[&JsValue]) -> Element {
    let element = document().create_element(tag).unwrap_throw();
    for (name, value) in attributes {
        let _ = element.set_attribute(name, value);
    }
    if !children.is_empty() {
        let _ = element.append_with_node(&children.iter().collect());
    }
    element
}

/// Runs `update` now and again whenever a signal it reads changes.
pub fn effect(update: impl FnMut() + 'static) {
    keep_effect(Box::new(update));
}

fn keep_effect(mut update: Box<dyn FnMut()>) {
    // Dropped, and so stopped, with the current owner.
    keep(Box::new(RenderEffect::new(move |_| update())));
}

/// Calls `handler` with `target` on every `event` at `target`.
pub fn on(target: &Element, event: &str, handler: impl FnMut(&Element) + 'static) {
    listen(target, event, Box::new(handler));
}

fn listen(target: &Element, event: &str, mut handler: Box<dyn FnMut(&Element)>) {
    let element = target.clone();
    let handler = Closure::<dyn FnMut()>::new(move || handler(&element));
    let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    // Freed with the current owner, which the element does not outlive in
    // the document.
    keep(Box::new(handler));
}

/// Keeps `value` as long as the current owner: one stored type for the
/// effects and the listeners.
fn keep(value: Box<dyn std::any::Any>) {
    StoredValue::new_local(value);
}

/// Puts `node` beside `anchor` (after it, or before) when `shown`, and takes
/// it out of the document otherwise. A node already in place stays, so it
/// keeps the focus.
pub fn place(node: &Element, shown: bool, anchor: &Element, after: bool) {
    if !shown {
        node.remove();
    } else if node.parent_node().is_none() {
        let _ = if after {
            anchor.after_with_node_1(node)
        } else {
            anchor.before_with_node_1(node)
        };
    }
}

/// Sets `element`'s text to `text` if it shows another.
pub fn set_text(element: &Element, text: &str) {
    if element.text_content().as_deref() != Some(text) {
        element.set_text_content(Some(text));
    }
}

/// Sets the property `name` (`value`, `checked`), as the browser's own
/// controls hold it.
pub fn set_property(element: &Element, name: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(element, &JsValue::from_str(name), value);
}

/// The value of an input or select.
pub fn value_of(element: &Element) -> String {
    element.unchecked_ref::<web_sys::HtmlInputElement>().value()
}
