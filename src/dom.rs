//! Markup built with plain DOM calls and kept up to date by small render
//! effects, for the page's pieces and the table alike. Every `view!` shape
//! is its own copy of Leptos' renderer in the bundle; what is built here
//! shares this one small set of functions instead. Everything created here
//! (effects, listeners) is dropped with the reactive owner that was current
//! when it was created, as a `view!` would drop it.
//!
//! Static markup comes from this crate's own string constants only; text
//! from a user, a server or the configuration always goes in as text.

use leptos::prelude::*;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::renderer::Rndr;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt, closure::Closure};
use web_sys::{DocumentFragment, Element, Node};

/// A value of the page's one thread where Leptos asks for `Send + Sync` (an
/// arena slot, a cleanup, a view): what Leptos' `LocalStorage` and
/// `SendOption::new_local` check on every access through `SendWrapper`
/// (whose thread handle alone is ≈ 4 KB of wasm), known at compile time.
#[derive(Clone, Default)]
pub struct Local<T>(pub T);

impl<T> std::ops::Deref for Local<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Local<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T> Local<T> {
    /// The value (a closure that calls this moves the whole `Local`, not
    /// the fields it would otherwise capture one by one).
    pub fn into_inner(self) -> T {
        self.0
    }
}

// SAFETY: a wasm32 module built without the `atomics` target feature has
// one thread: std cannot start another, and a worker gets an instance and a
// memory of its own, so no value can reach a second thread. With `atomics`
// these impls do not exist, and code that needs them fails to compile
// rather than becoming unsound (the allocator in main.rs relies on the same).
#[cfg(not(target_feature = "atomics"))]
unsafe impl<T> Send for Local<T> {}
#[cfg(not(target_feature = "atomics"))]
unsafe impl<T> Sync for Local<T> {}

/// Nodes built with DOM calls, mounted where the view puts them: the
/// sibling nodes from `first` to `last`.
pub struct Markup(Local<Option<MarkupState>>);

impl Markup {
    /// The element `root` as a view.
    pub fn element(root: Element) -> Self {
        let fragment = document().create_document_fragment();
        let _ = fragment.append_child(&root);
        let root: Node = root.into();
        Self::nodes(fragment, root.clone(), root)
    }

    /// The nodes of `fragment` from `first` to `last`, as a view.
    pub fn nodes(fragment: DocumentFragment, first: Node, last: Node) -> Self {
        Self(Local(Some(MarkupState {
            fragment,
            first,
            last,
        })))
    }

    /// Puts its nodes into `parent`, before `before` or at the end: how
    /// the app places its pieces, without Leptos' renderer (the [`Render`]
    /// impl is for mounting a piece alone, as the browser tests do).
    pub fn insert(self, parent: &Node, before: Option<&Node>) {
        let _ = parent.insert_before(&self.build().fragment, before);
    }
}

/// A [`Markup`] once built: its nodes, and the fragment that holds them
/// while they are not mounted.
pub struct MarkupState {
    fragment: DocumentFragment,
    first: Node,
    last: Node,
}

impl MarkupState {
    /// Moves the nodes back into the fragment (unmounting them).
    fn gather(&self) {
        let fragment: &Node = self.fragment.as_ref();
        if self.first.parent_node().as_ref() == Some(fragment) {
            return;
        }
        for node in self.nodes() {
            let _ = fragment.append_child(&node);
        }
    }

    /// The nodes from `first` to `last`, in order.
    fn nodes(&self) -> Vec<Node> {
        let mut nodes = Vec::new();
        let mut node = Some(self.first.clone());
        while let Some(current) = node {
            node = if current == self.last {
                None
            } else {
                current.next_sibling()
            };
            nodes.push(current);
        }
        nodes
    }
}

impl Mountable for MarkupState {
    fn unmount(&mut self) {
        self.gather();
    }

    fn mount(&mut self, parent: &Element, marker: Option<&Node>) {
        self.gather();
        let _ = parent.insert_before(&self.fragment, marker);
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        match self.first.parent_node().and_then(|p| p.dyn_into().ok()) {
            Some(parent) => {
                child.mount(&parent, Some(&self.first));
                true
            }
            None => false,
        }
    }

    fn elements(&self) -> Vec<Element> {
        self.nodes()
            .into_iter()
            .filter_map(|node| node.dyn_into().ok())
            .collect()
    }
}

impl Render for Markup {
    type State = MarkupState;

    fn build(self) -> MarkupState {
        let Local(state) = self.0;
        state.expect("a Markup is built once")
    }

    fn rebuild(self, state: &mut MarkupState) {
        let mut new = self.build();
        state.insert_before_this(&mut new);
        state.unmount();
        *state = new;
    }
}

leptos::tachys::no_attrs!(Markup);

/// Browser-only: the app renders on the client, never on a server.
impl RenderHtml for Markup {
    type AsyncOutput = Self;
    type Owned = Self;

    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Self {
        self
    }

    fn to_html_with_buf(
        self,
        _buf: &mut String,
        _position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        _cursor: &Cursor,
        _position: &PositionState,
    ) -> MarkupState {
        self.build()
    }

    fn into_owned(self) -> Self {
        self
    }
}

/// A copy of the element that `html` (one element, this crate's own
/// constant) describes. The first call parses it in a `<template>` (which
/// parses table parts such as `<td>` in their place) and keeps the element,
/// adopted into this document; each call clones that. A copy of a
/// template's own content belongs to the template's document and is
/// adopted node by node when it is inserted, which cost more than building
/// the element (table cells: 9 ms a page, not 3).
pub fn html(html: &'static str) -> Element {
    thread_local!(static MADE: RefCell<Vec<(&'static str, Element)>> = const { RefCell::new(Vec::new()) });
    MADE.with_borrow_mut(|made| {
        let original = match made.iter().find(|(made, _)| *made == html) {
            Some((_, element)) => element,
            None => {
                let document = document();
                let template: web_sys::HtmlTemplateElement = document
                    .create_element("template")
                    .unwrap_throw()
                    .unchecked_into();
                template.set_inner_html(html);
                let element = template
                    .content()
                    .first_element_child()
                    .expect("a template describes an element");
                let element = document
                    .adopt_node(&element)
                    .map_or(element, JsCast::unchecked_into);
                made.push((html, element));
                &made[made.len() - 1].1
            }
        };
        original
            .clone_node_with_deep(true)
            .unwrap_throw()
            .unchecked_into()
    })
}

/// The first element under `root` that `selector` matches (in markup
/// built from this crate's own constants, so it is there).
pub fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .ok()
        .flatten()
        .expect("the markup has the element")
}

/// A copy of the element `template` describes (see [`html`]) holding
/// the text `text`.
pub fn html_text(template: &'static str, text: &str) -> Element {
    let element = html(template);
    element.set_text_content(Some(text));
    element
}

/// Runs `update` now and again whenever a signal it read changes, until
/// the current owner is cleaned up.
pub fn effect(update: impl FnMut() + 'static) {
    keep_effect(Box::new(update));
}

fn keep_effect(mut update: Box<dyn FnMut()>) {
    let effect = RenderEffect::new(move |_| update());
    on_cleanup(move || drop(effect));
}

/// Keeps the text of `element` (empty until now) to what `text` says: one
/// text node, changed only when the text is (as a `view!` does, so a live
/// region around it announces only real changes).
pub fn bind_text(element: &Element, text: Box<dyn Fn() -> String>) {
    let node = Rndr::create_text_node("");
    let _ = element.append_child(&node);
    let mut shown = String::new();
    effect(move || {
        let new = text();
        if new != shown {
            Rndr::set_text(&node, &new);
            shown = new;
        }
    });
}

/// Keeps the attribute `name` of `element` to what `value` says (absent
/// when `None`), written only when it changes.
pub fn bind_attribute(
    element: &Element,
    name: &'static str,
    value: Box<dyn Fn() -> Option<String>>,
) {
    let element = element.clone();
    let mut shown = None;
    effect(move || {
        let new = value();
        if shown.as_ref() != Some(&new) {
            let _ = match &new {
                Some(value) => element.set_attribute(name, value),
                None => element.remove_attribute(name),
            };
            shown = Some(new);
        }
    });
}

/// Calls `handler` with each `event` (a `web_sys::Event`) at `element`,
/// until the current owner is cleaned up.
pub fn on(element: &Element, event: &'static str, handler: Box<dyn FnMut(JsValue)>) {
    on_target(element.clone().into(), event, handler);
}

/// Calls `handler` with `target` (an input, a button) on each `event` at
/// it, until the current owner is cleaned up: [`on`] for handlers that
/// read the control rather than the event.
pub fn listen(target: &Element, event: &'static str, mut handler: impl FnMut(&Element) + 'static) {
    let element = target.clone();
    on(target, event, Box::new(move |_| handler(&element)));
}

/// Calls `handler` with each `event` at the window, until the current
/// owner is cleaned up.
pub fn on_window(event: &'static str, handler: Box<dyn FnMut(JsValue)>) {
    on_target(window().into(), event, handler);
}

fn on_target(target: web_sys::EventTarget, event: &'static str, handler: Box<dyn FnMut(JsValue)>) {
    let handler = Closure::wrap(handler);
    let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    let listener = Local((target, handler));
    on_cleanup(move || {
        let (target, handler) = listener.into_inner();
        let _ = target.remove_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
    });
}

/// Shows `text` in a copy of the element `template` describes (see
/// [`html`]) at a place in `parent` (as [`slot`] does), while it holds one.
pub fn text_slot(
    parent: &Node,
    before: Option<&Node>,
    template: &'static str,
    text: ReadSignal<Option<String>>,
) {
    slot(
        parent,
        before,
        Box::new(move || text.get().map(|text| html_text(template, &text))),
    );
}

/// Shows the element `content` builds (or none) at a place in `parent`:
/// before `before`, or at the end. `content` runs again whenever a signal
/// it read changes; what the element it built created (effects,
/// listeners) is dropped when it runs again.
pub fn slot(parent: &Node, before: Option<&Node>, content: Box<dyn Fn() -> Option<Element>>) {
    let marker: Node = Rndr::create_placeholder().into();
    let _ = parent.insert_before(&marker, before);
    let shown = RefCell::new(None::<Element>);
    effect(move || {
        if let Some(old) = shown.take() {
            old.remove();
        }
        let new = content();
        if let (Some(new), Some(parent)) = (&new, marker.parent_node()) {
            let _ = parent.insert_before(new, Some(&marker));
        }
        *shown.borrow_mut() = new;
    });
}

/// Shows what `content` builds at a place in `parent`: before `before`, or
/// at the end. `content` runs again, and what it built replaces the last
/// (whose effects and listeners are dropped), whenever a signal it read
/// changes. What was built may change its own nodes meanwhile (a slot
/// inside it): everything between two markers is what is replaced. When
/// the focus was in what goes, it goes to `parent` (give it
/// `tabindex="-1"`), not to the page's body: after a login or an expired
/// session, the keyboard and a screen reader go on from where the change is.
pub fn switch(parent: &Node, before: Option<&Node>, content: Box<dyn Fn() -> Vec<Markup>>) {
    let start: Node = Rndr::create_placeholder().into();
    let end: Node = Rndr::create_placeholder().into();
    let _ = parent.insert_before(&start, before);
    let _ = parent.insert_before(&end, before);
    effect(move || {
        let Some(parent) = end.parent_node() else {
            return;
        };
        let focused = document().active_element();
        let mut had_focus = false;
        while let Some(node) = start.next_sibling().filter(|node| *node != end) {
            had_focus |= focused.as_ref().is_some_and(|f| node.contains(Some(f)));
            let _ = parent.remove_child(&node);
        }
        for piece in content() {
            piece.insert(&parent, Some(&end));
        }
        if had_focus && let Some(parent) = parent.dyn_ref::<web_sys::HtmlElement>() {
            let _ = parent.focus();
        }
    });
}

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

/// Runs `step` in the browser's idle periods until it returns `false`: as
/// many steps in one period as it has time left for ([`IDLE_STEP_MS`] or
/// more, by `IdleDeadline.timeRemaining()`; one step at least), so work of
/// many steps ends within a few periods. (A callback asked for from an idle
/// callback runs in the next period, which on a page at rest begins up to
/// 50 ms later: one step per callback took 15 periods for 10,000 rows.)
pub fn in_idle_time(mut step: impl FnMut() -> bool + 'static) {
    let run = Closure::once_into_js(move |deadline: web_sys::IdleDeadline| {
        while step() {
            if deadline.time_remaining() < IDLE_STEP_MS {
                return in_idle_time(step);
            }
        }
    });
    let _ = web_sys::window()
        .unwrap_throw()
        .request_idle_callback(run.unchecked_ref());
}

/// The idle time left that another step of [`in_idle_time`] needs: what
/// one step costs at most (a few milliseconds of work, e.g. ranking one
/// column of 10,000 rows), with room to spare.
pub const IDLE_STEP_MS: f64 = 10.0;

/// Takes away the first page that `index.html`'s early script drew from
/// the prefetched answer, if it drew one: once the first load has settled
/// (its table, if any, is built in the same task, so no frame shows
/// neither) or the page shows something else instead (the login form, a
/// configuration problem). Until then it covers the app's page, drawn where
/// the app's table will be. The frame's template goes too: the script draws
/// nothing without it, so no answer that comes later can cover the app.
pub fn end_first_paint() {
    let document = document();
    for id in ["tokengrid-first-paint", "tokengrid-frame"] {
        if let Some(element) = document.get_element_by_id(id) {
            element.remove();
        }
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
