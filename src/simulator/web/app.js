/**
 * The simulator's page: choose a seeded person, read their channels and their DM with the app as the app left
 * them, type slash commands and messages, click buttons, choose from menus and fill in modals. Each action is
 * posted to /sim/api/…, where the simulator sends the app the signed request Slack would. The page polls the
 * person's view about once a second and redraws only when its version changes; the composer and an open
 * form are never redrawn under the person's hands.
 */
import { renderBlocks } from './blocks.js';
import { el, externalLink, replaceChildren } from './dom.js';
import { buildModalForm } from './modal.js';
import { renderMrkdwn, renderText, plainText } from './mrkdwn.js';
import { clockTime, isoDate, longDate } from './zoned-time.js';

const POLL_MS = 1000;

const $ = (id) => document.getElementById(id);
const ui = {
  team: $('team-name'),
  person: $('person'),
  personLine: $('person-line'),
  channels: $('channel-list'),
  apps: $('app-list'),
  title: $('channel-title'),
  topic: $('channel-topic'),
  bookmarks: $('bookmarks'),
  messages: $('messages'),
  composer: $('composer'),
  input: $('composer-input'),
  send: $('composer-send'),
  notice: $('notice'),
  modal: $('modal'),
  confirm: $('confirm'),
};

const params = new URL(window.location.href).searchParams;
const page = {
  people: [],
  userId: params.get('user'),
  channelId: params.get('channel'),
  /** The last PersonView drawn, and the user and channel it was drawn for. */
  view: null,
  drawn: '',
  /** The open form: { id, hash, form }. */
  modal: null,
  /** By person, then channel: the ts of the last message they have seen. */
  seen: new Map(),
  /** Unsent composer text, by person and channel. */
  drafts: new Map(),
  /** The next drawing shows the newest messages (after switching person). */
  scrollToEnd: false,
};

// ---- talking to the simulator -------------------------------------------------------------------------------

async function api(path, body) {
  const response = await fetch(`/sim/api/${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error ?? `HTTP ${response.status}`);
  return data;
}

function notify(text, kind = 'info') {
  ui.notice.hidden = !text;
  ui.notice.textContent = text ?? '';
  ui.notice.dataset.kind = kind;
}

/** Runs an action of the person's, shows what went wrong, and redraws with what it changed. */
async function perform(action) {
  notify('');
  try {
    const result = await action();
    if (result?.failure) notify(result.failure, 'error');
    return result;
  } catch (error) {
    notify(error.message, 'error');
    return undefined;
  } finally {
    await refresh();
  }
}

// ---- context for rendering ----------------------------------------------------------------------------------

function renderContext(view, extra = {}) {
  return {
    users: view.names.users,
    channels: view.names.channels,
    timeZone: view.you.tz,
    now: view.now,
    people: view.people,
    onChannel: (id) => (view.channels.some((c) => c.id === id) ? openChannel(id) : notify(`${view.you.name} is not in that channel.`)),
    confirm: askToConfirm,
    onAction: async () => undefined,
    ...extra,
  };
}

/** Slack's confirmation dialog for elements with a `confirm` object. */
function askToConfirm(confirm) {
  return new Promise((resolve) => {
    const ctx = page.view ? renderContext(page.view) : { users: {}, channels: {}, timeZone: 'UTC', now: Date.now() };
    const answer = (yes) => {
      ui.confirm.close();
      resolve(yes);
    };
    const style = confirm.style === 'danger' ? ' btn-danger' : ' btn-primary';
    replaceChildren(
      ui.confirm,
      el(
        'div',
        { class: 'modal-form' },
        el('header', { class: 'modal-header' }, el('h2', { id: 'confirm-title', text: plainText(confirm.title) || 'Are you sure?' })),
        el('div', { class: 'modal-body' }, el('p', {}, renderText(confirm.text, ctx))),
        el(
          'footer',
          { class: 'modal-footer' },
          el('button', { type: 'button', class: 'btn', text: plainText(confirm.deny) || 'Cancel', on: { click: () => answer(false) } }),
          el('button', { type: 'button', class: `btn${style}`, text: plainText(confirm.confirm) || 'Yes', on: { click: () => answer(true) } }),
        ),
      ),
    );
    ui.confirm.oncancel = () => resolve(false);
    ui.confirm.showModal();
  });
}

// ---- the sidebar --------------------------------------------------------------------------------------------

const lastTs = (channel) => channel.messages.at(-1)?.ts ?? '0';
const seenBy = (userId) => {
  if (!page.seen.has(userId)) page.seen.set(userId, new Map());
  return page.seen.get(userId);
};

function drawPeople() {
  const choices = page.people.map((p) => el('option', { value: p.id, text: `${p.name} (${p.realName}, ${p.tz})`, selected: p.id === page.userId }));
  replaceChildren(ui.person, choices);
}

function drawSidebar(view) {
  const firstLook = !page.seen.has(view.you.id);
  const seen = seenBy(view.you.id);
  // What was there before the person first looked counts as read: only what arrives later gets a dot.
  if (firstLook) for (const channel of view.channels) seen.set(channel.id, lastTs(channel));
  const item = (channel) => {
    const current = channel.id === page.channelId;
    if (current) seen.set(channel.id, lastTs(channel));
    const unread = !current && channel.messages.length > 0 && (seen.get(channel.id) ?? '0') !== lastTs(channel);
    const icon = channel.kind === 'private' ? '🔒 ' : channel.kind === 'im' ? '● ' : '';
    const name = channel.kind === 'public' ? channel.displayName : `${icon}${channel.displayName.replace(/^#/, '')}`;
    return el(
      'li',
      {},
      el(
        'button',
        { type: 'button', class: `channel-item${unread ? ' unread' : ''}${channel.archived ? ' archived' : ''}`, dataset: { channel: channel.id, name: channel.displayName }, 'aria-current': current ? 'page' : null, on: { click: () => openChannel(channel.id) } },
        el('span', { class: 'channel-name', text: name }),
        unread ? el('span', { class: 'unread-dot', 'aria-label': 'new messages', title: 'New messages' }) : null,
      ),
    );
  };
  replaceChildren(ui.channels, view.channels.filter((c) => c.kind !== 'im').map(item));
  const apps = view.channels.filter((c) => c.kind === 'im');
  replaceChildren(ui.apps, apps.length ? apps.map(item) : el('li', { class: 'empty', text: 'No messages from apps yet' }));
}

// ---- the channel ---------------------------------------------------------------------------------------------

function messageNode(view, channel, message) {
  const ctx = renderContext(view, {
    onAction: ({ element, value }) =>
      perform(() => api('click', { user: view.you.id, channel: channel.id, ts: message.ts, actionId: element.action_id, ...(value !== undefined ? { value } : {}), ...(message.onlyYou ? { ephemeral: true } : {}) })),
  });
  const at = Number(message.ts) * 1000;
  const body = el('div', { class: 'message-body' }, message.blocks?.length ? renderBlocks(message.blocks, ctx) : el('div', { class: 'message-text' }, renderMrkdwn(message.text, ctx)));
  const files = (message.files ?? []).map((file) => el('div', { class: 'file', dataset: { fileId: file.id } }, el('span', { class: 'file-icon', text: '📄' }), el('span', { text: file.title }), el('span', { class: 'file-name', text: file.name })));
  const shortcuts = !message.onlyYou && view.messageShortcuts.length ? shortcutMenu(view, channel, message) : null;
  return el(
    'article',
    { class: `message${message.onlyYou ? ' ephemeral' : ''}${message.threadTs ? ' reply' : ''}`, dataset: { ts: message.ts, author: message.author, ...(message.onlyYou ? { ephemeral: 'true' } : {}), ...(message.pinned ? { pinned: 'true' } : {}) } },
    el('div', { class: `avatar${message.bot ? ' bot' : ''}`, 'aria-hidden': 'true', text: message.author.slice(0, 1).toUpperCase() }),
    el(
      'div',
      { class: 'message-main' },
      message.onlyYou ? el('p', { class: 'only-you', text: '👁 Only visible to you' }) : null,
      message.pinned ? el('p', { class: 'pinned', text: '📌 Pinned' }) : null,
      el(
        'div',
        { class: 'message-meta' },
        el('span', { class: 'author', text: message.author }),
        message.bot ? el('span', { class: 'badge', text: 'APP' }) : null,
        el('time', { datetime: new Date(at).toISOString(), title: longDate(at, view.you.tz), text: clockTime(at, view.you.tz) }),
        message.edited ? el('span', { class: 'edited', text: '(edited)' }) : null,
        message.threadTs ? el('span', { class: 'thread-note', text: 'replied in a thread' }) : null,
      ),
      body,
      files,
    ),
    shortcuts,
  );
}

function shortcutMenu(view, channel, message) {
  const list = el('ul', { class: 'overflow-menu message-actions', role: 'menu', hidden: true });
  const toggle = el('button', { type: 'button', class: 'message-menu', 'aria-label': 'More actions', 'aria-haspopup': 'menu', text: '⋯' });
  toggle.addEventListener('click', () => {
    list.hidden = !list.hidden;
  });
  for (const shortcut of view.messageShortcuts) {
    const item = el('button', { type: 'button', role: 'menuitem', dataset: { callbackId: shortcut.callbackId }, text: shortcut.name });
    item.addEventListener('click', () => {
      list.hidden = true;
      void perform(() => api('shortcut', { user: view.you.id, channel: channel.id, ts: message.ts, callbackId: shortcut.callbackId }));
    });
    list.append(el('li', {}, item));
  }
  return el('div', { class: 'message-tools' }, toggle, list);
}

function drawChannel(view, channel, switched) {
  const ctx = renderContext(view);
  ui.title.textContent = channel.displayName + (channel.archived ? ' (archived)' : '');
  ui.title.dataset.channel = channel.id;
  replaceChildren(ui.topic, channel.topic ? renderMrkdwn(channel.topic, ctx) : '');
  replaceChildren(ui.bookmarks, channel.bookmarks.map((b) => el('li', {}, externalLink(b.link, `🔖 ${b.title}`))));

  const box = ui.messages;
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const nodes = [];
  let day = '';
  for (const message of channel.messages) {
    const at = Number(message.ts) * 1000;
    const thisDay = isoDate(at, view.you.tz);
    if (thisDay !== day) nodes.push(el('div', { class: 'day-divider', role: 'separator', text: longDate(at, view.you.tz) }));
    day = thisDay;
    nodes.push(messageNode(view, channel, message));
  }
  if (nodes.length === 0) nodes.push(el('p', { class: 'empty', text: channel.kind === 'im' ? 'Nothing from the app yet.' : `This is the very beginning of ${channel.displayName}.` }));
  replaceChildren(box, nodes);
  if (switched || nearBottom) box.scrollTop = box.scrollHeight;

  const readOnlyDm = channel.kind === 'im' && view.messagesTabReadOnly;
  ui.input.placeholder = channel.archived ? 'This channel is archived.' : readOnlyDm ? 'Slash commands only here, e.g. /incident help' : `Message ${channel.displayName}, or /incident help`;
  ui.input.disabled = channel.archived;
  ui.send.disabled = channel.archived;
}

function openChannel(channelId) {
  saveDraft();
  page.channelId = channelId;
  rememberInUrl();
  if (page.view) draw(page.view, true);
  restoreDraft();
  ui.input.focus();
}

// ---- the composer --------------------------------------------------------------------------------------------

const draftKey = () => `${page.userId} ${page.channelId}`;
const saveDraft = () => page.drafts.set(draftKey(), ui.input.value);
const restoreDraft = () => {
  ui.input.value = page.drafts.get(draftKey()) ?? '';
};

ui.composer.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = ui.input.value.trim();
  if (!text || !page.view) return;
  const user = page.view.you.id;
  const channel = page.channelId;
  ui.send.disabled = true;
  const result = await perform(() => api('command', { user, channel, text }));
  ui.send.disabled = false;
  if (result) {
    ui.input.value = '';
    page.drafts.delete(`${user} ${channel}`);
  }
  ui.input.focus();
});

ui.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ui.composer.requestSubmit();
  }
});

// ---- the modal -----------------------------------------------------------------------------------------------

function drawModal(view) {
  const modal = view.modal;
  if (!modal) {
    page.modal = null;
    if (ui.modal.open) ui.modal.close();
    return;
  }
  if (page.modal && page.modal.id === modal.id && page.modal.hash === modal.hash) return;
  // Slack keeps what was typed in inputs whose block survives a views.update.
  const kept = page.modal?.id === modal.id ? page.modal.form.answers() : null;
  const form = buildModalForm(modal, renderContext(view), {
    onClose: () => perform(() => api('close', { user: view.you.id })),
    onSubmit: async (answers) => {
      const result = await perform(() => api('submit', { user: view.you.id, viewId: modal.id, answers }));
      if (result?.errors) form.showErrors(result.errors);
    },
  });
  if (kept) form.restore(kept);
  page.modal = { id: modal.id, hash: modal.hash, form };
  replaceChildren(ui.modal, form.node);
  ui.modal.dataset.viewId = modal.id;
  if (!ui.modal.open) ui.modal.showModal();
  form.node.querySelector('input, textarea, select')?.focus();
}

ui.modal.addEventListener('cancel', (event) => {
  // Escape closes the form through the simulator, so the workspace knows it is closed.
  event.preventDefault();
  if (page.view) void perform(() => api('close', { user: page.view.you.id }));
});

// ---- drawing and polling -------------------------------------------------------------------------------------

function draw(view, switched = false) {
  page.view = view;
  ui.team.textContent = view.team;
  ui.personLine.textContent = `You are: ${view.you.name} (${view.you.realName}, ${view.you.tz})`;
  if (!view.channels.some((c) => c.id === page.channelId)) {
    page.channelId = view.channels[0]?.id ?? null;
    rememberInUrl();
    switched = true;
  }
  drawSidebar(view);
  const channel = view.channels.find((c) => c.id === page.channelId);
  if (channel) drawChannel(view, channel, switched || page.scrollToEnd);
  page.scrollToEnd = false;
  drawModal(view);
  page.drawn = `${view.version} ${view.you.id} ${page.channelId}`;
}

let refreshing = null;

/** Fetches the person's view and draws it if it changed; overlapping calls share one request. */
function refresh() {
  refreshing ??= (async () => {
    try {
      const userId = page.userId;
      const view = await api(`state?user=${encodeURIComponent(userId)}`);
      if (view.you.id !== page.userId) return;
      if (`${view.version} ${view.you.id} ${page.channelId}` !== page.drawn) draw(view);
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function poll() {
  refresh()
    .catch((error) => notify(`The simulator does not answer: ${error.message}`, 'error'))
    .finally(() => setTimeout(poll, POLL_MS));
}

function rememberInUrl() {
  const url = new URL(window.location.href);
  url.searchParams.set('user', page.userId);
  if (page.channelId) url.searchParams.set('channel', page.channelId);
  window.history.replaceState(null, '', url);
}

ui.person.addEventListener('change', () => {
  saveDraft();
  page.userId = ui.person.value;
  page.modal = null;
  page.scrollToEnd = true;
  if (ui.modal.open) ui.modal.close();
  page.drawn = '';
  rememberInUrl();
  notify('');
  void refresh().then(() => {
    restoreDraft();
  });
});

async function start() {
  const { team, people } = await api('people');
  page.people = people;
  ui.team.textContent = team;
  if (!people.some((p) => p.id === page.userId)) page.userId = people[0]?.id ?? null;
  drawPeople();
  rememberInUrl();
  poll();
}

start().catch((error) => notify(`The simulator does not answer: ${error.message}`, 'error'));
