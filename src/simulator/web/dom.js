/**
 * Building the page from DOM nodes: every string from the workspace goes in as a text node, so nothing a person
 * or the app typed can become markup.
 */

/**
 * An element with attributes, properties and children. `attrs` keys: `class`, `text` (textContent), `dataset`
 * (data-* attributes), `on` (event listeners), the rest set as attributes (null and false leave them out).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'dataset') for (const [name, data] of Object.entries(value)) node.dataset[name] = String(data);
    else if (key === 'on') for (const [event, listener] of Object.entries(value)) node.addEventListener(event, listener);
    else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled' || key === 'hidden' || key === 'multiple') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/** Appends nodes and strings (as text), skipping null and flattening arrays. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return parent;
}

/** Replaces a node's children. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/** Only web and mail links are followed; others (javascript:, data:) are shown as text. */
export function safeHref(url) {
  try {
    const parsed = new URL(url);
    return ['http:', 'https:', 'mailto:'].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A link that opens outside the page and tells the target nothing about it. */
export function externalLink(url, label) {
  const href = safeHref(url);
  if (!href) return document.createTextNode(label);
  return el('a', { href, target: '_blank', rel: 'noopener noreferrer', text: label });
}

let idCounter = 0;

/** A unique id for label/control pairs. */
export function uniqueId(prefix) {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}
