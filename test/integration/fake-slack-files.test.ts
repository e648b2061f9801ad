/**
 * The fake Slack's file upload flow against the real WebClient: files.uploadV2 (files.getUploadURLExternal, a POST
 * to the upload URL, files.completeUploadExternal), the same three steps by hand, files.info and files.delete.
 */
import type { WebAPICallResult, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../src/simulator/slack/index.ts';
import { fakeSlackClient, slackError } from '../support/web-client.ts';

const BOT_SCOPES = ['chat:write', 'files:write', 'files:read', 'channels:read', 'channels:history', 'groups:history', 'im:history'];

let slack: FakeSlack;
let client: WebClient;

const clientFor = (token: string, fake: FakeSlack = slack): WebClient => fakeSlackClient(token, fake);

/** The files of a files.uploadV2 result: it holds one files.completeUploadExternal answer per completion. */
function completedFiles(result: WebAPICallResult): Record<string, unknown>[] {
  return (result as unknown as { files: { files: Record<string, unknown>[] }[] }).files.flatMap((c) => c.files);
}

/** Steps 1 and 2 by hand: an upload URL for `content`, and its bytes posted raw. */
async function uploadRaw(content: string, filename = 'notes.md', length = Buffer.byteLength(content)): Promise<string> {
  const { upload_url, file_id } = await client.files.getUploadURLExternal({ filename, length });
  const res = await fetch(upload_url ?? '', { method: 'POST', body: Buffer.from(content) });
  expect(res.status).toBe(200);
  expect(await res.text()).toBe(`OK - ${Buffer.byteLength(content)}`);
  return file_id ?? '';
}

beforeAll(async () => {
  slack = await startFakeSlack({
    scopes: BOT_SCOPES,
    channels: [
      { id: 'C0INC1', name: 'inc-1-db-down', members: ['U01ALICE', 'U0KLAXON'] },
      { id: 'C0INC2', name: 'inc-2-cache', members: ['U01ALICE', 'U0KLAXON'] },
      { id: 'C0RANDOM', name: 'random', members: ['U01ALICE'] },
      { id: 'C0SECRET', name: 'secret', is_private: true, members: ['U01ALICE'] },
      { id: 'C0OLD', name: 'old-incident', is_archived: true, members: ['U0KLAXON'] },
      { id: 'C0PM', name: 'postmortems', members: ['U0KLAXON'] },
    ],
  });
  client = clientFor(slack.botToken);
});

afterAll(async () => {
  await slack.close();
});

describe('files.uploadV2', () => {
  it('ends with the file shared in the channel, with its content, title and initial comment', async () => {
    const result = await client.files.uploadV2({
      channel_id: 'C0INC1',
      filename: 'INC-1.md',
      content: '# hi',
      title: 'INC-1 post-mortem',
      initial_comment: 'The post-mortem is ready.',
    });
    expect(result.ok).toBe(true);
    const completion = completedFiles(result)[0];
    expect(completion).toMatchObject({ name: 'INC-1.md', title: 'INC-1 post-mortem', filetype: 'markdown', size: 4, channels: ['C0INC1'] });
    const id = String(completion?.id);

    expect(slack.state.file(id)).toMatchObject({
      id, name: 'INC-1.md', title: 'INC-1 post-mortem', content: '# hi', size: 4, channels: ['C0INC1'], user: 'U0KLAXON', deleted: false,
    });
    expect(slack.state.filesIn('C0INC1').map((f) => f.id)).toEqual([id]);

    const message = slack.state.messages('C0INC1').at(-1);
    expect(message).toMatchObject({ user: 'U0KLAXON', bot_id: 'B0KLAXON', text: 'The post-mortem is ready.', files: [id] });
    const history = await client.conversations.history({ channel: 'C0INC1' });
    const shown = history.messages?.[0] as Record<string, unknown>;
    expect(shown).toMatchObject({ text: 'The post-mortem is ready.', upload: true, bot_id: 'B0KLAXON' });
    expect(shown.files).toEqual([expect.objectContaining({ id, name: 'INC-1.md', title: 'INC-1 post-mortem' })]);
  });

  it('posts the bytes to the upload URL as multipart/form-data, one part named `body` with filename `Untitled`', async () => {
    const before = slack.uploads().length;
    await client.files.uploadV2({ channel_id: 'C0INC2', filename: 'INC-2.md', content: 'ünïcödé' });
    const upload = slack.uploads().slice(before)[0];
    expect(upload).toMatchObject({ status: 200, field: 'body', filename: 'Untitled', size: Buffer.byteLength('ünïcödé') });
    expect(upload?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    const [file] = slack.state.filesIn('C0INC2');
    expect(file).toMatchObject({ name: 'INC-2.md', title: 'INC-2.md', content: 'ünïcödé' });
    expect(slack.state.messages('C0INC2').at(-1)).toMatchObject({ text: '', files: [file?.id] });
  });

  it('uploads into a thread with thread_ts', async () => {
    const parent = await client.chat.postMessage({ channel: 'C0INC2', text: 'Status update' });
    await client.files.uploadV2({ channel_id: 'C0INC2', thread_ts: parent.ts ?? '', filename: 'graph.txt', content: 'p99 up' });
    expect(slack.state.messages('C0INC2').at(-1)).toMatchObject({ thread_ts: parent.ts, files: [expect.stringMatching(/^F/)] });
  });

  it('is refused with missing_scope for a token without files:write', async () => {
    const narrow = await startFakeSlack({ scopes: ['chat:write', 'channels:read'], channels: [{ id: 'C0INC1', name: 'inc-1', members: ['U0KLAXON'] }] });
    try {
      const data = await slackError(clientFor(narrow.botToken, narrow).files.uploadV2({ channel_id: 'C0INC1', filename: 'x.md', content: 'x' }));
      expect(data).toMatchObject({ error: 'missing_scope', needed: 'files:write', provided: 'chat:write,channels:read' });
      const info = await slackError(clientFor(narrow.botToken, narrow).files.info({ file: 'F0NOPE' }));
      expect(info).toMatchObject({ error: 'missing_scope', needed: 'files:read' });
      expect(narrow.uploads()).toEqual([]);
    } finally {
      await narrow.close();
    }
  });
});

describe('the three steps by hand', () => {
  it('getUploadURLExternal, raw bytes to the upload URL, completeUploadExternal', async () => {
    const got = await client.files.getUploadURLExternal({ filename: 'timeline.md', length: 11 });
    expect(got).toMatchObject({ ok: true, file_id: expect.stringMatching(/^F[A-Z0-9]+$/) });
    expect(got.upload_url).toBe(`${slack.baseUrl}/upload/${got.file_id}`);
    const res = await fetch(got.upload_url ?? '', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('- 10:00 up\n') });
    expect([res.status, await res.text()]).toEqual([200, 'OK - 11']);
    expect(slack.state.file(got.file_id ?? '')).toBeUndefined();

    const done = await client.files.completeUploadExternal({ files: [{ id: got.file_id ?? '', title: 'Timeline' }], channel_id: 'C0PM' });
    expect(done.files?.[0]).toMatchObject({ id: got.file_id, title: 'Timeline', name: 'timeline.md', size: 11 });
    expect(slack.state.file(got.file_id ?? '')).toMatchObject({ content: '- 10:00 up\n', title: 'Timeline', channels: ['C0PM'] });
    expect(slack.calls('files.completeUploadExternal').at(-1)?.args.files).toBe(`[{"id":"${got.file_id}","title":"Timeline"}]`);
  });

  it('takes a multipart upload as curl sends it (-F filename=@file)', async () => {
    const { upload_url, file_id } = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 5 });
    const form = new FormData();
    form.append('filename', new Blob([Buffer.from('hello')]), 'a.txt');
    const res = await fetch(upload_url ?? '', { method: 'POST', body: form });
    expect([res.status, await res.text()]).toEqual([200, 'OK - 5']);
    expect(slack.uploads().at(-1)).toMatchObject({ fileId: file_id, field: 'filename', filename: 'a.txt', size: 5 });
    await client.files.completeUploadExternal({ files: [{ id: file_id ?? '' }] });
    expect(slack.state.file(file_id ?? '')).toMatchObject({ content: 'hello', title: 'a.txt', channels: [] });
  });

  it('keeps a private file without a channel: no message, in no channel', async () => {
    const before = slack.state.messages('C0PM').length;
    const id = await uploadRaw('private');
    await client.files.completeUploadExternal({ files: [{ id }] });
    expect(slack.state.file(id)?.channels).toEqual([]);
    expect(slack.state.messages('C0PM')).toHaveLength(before);
  });

  it('keeps an upload whose size differs from the announced length, at its real size', async () => {
    const id = await uploadRaw('twelve bytes', 'short.txt', 3);
    await client.files.completeUploadExternal({ files: [{ id }], channel_id: 'C0PM' });
    expect(slack.state.file(id)).toMatchObject({ content: 'twelve bytes', size: 12 });
  });

  it('shares through `channels` too, a user id meaning the IM with them', async () => {
    const id = await uploadRaw('dm me');
    await client.apiCall('files.completeUploadExternal', { files: JSON.stringify([{ id }]), channels: 'U01ALICE' });
    const dm = slack.state.dmsWith('U01ALICE').at(-1);
    expect(dm).toMatchObject({ user: 'U0KLAXON', files: [id] });
    expect(slack.state.file(id)?.channels).toEqual([slack.state.imWith('U01ALICE').id]);
  });
});

describe('the upload URL', () => {
  it('answers 404 for an unknown file id and for a completed one, 405 for a GET', async () => {
    const unknown = await fetch(`${slack.baseUrl}/upload/F0NOPE`, { method: 'POST', body: 'x' });
    expect(unknown.status).toBe(404);
    const id = await uploadRaw('done');
    await client.files.completeUploadExternal({ files: [{ id }] });
    const again = await fetch(`${slack.baseUrl}/upload/${id}`, { method: 'POST', body: 'changed' });
    expect(again.status).toBe(404);
    expect(slack.state.file(id)?.content).toBe('done');
    const { upload_url } = await client.files.getUploadURLExternal({ filename: 'g.txt', length: 1 });
    expect((await fetch(upload_url ?? '')).status).toBe(405);
  });

  it('fails when asked to: files.uploadV2 rejects and the file stays pending', async () => {
    slack.failNextUpload(500);
    const before = slack.state.filesIn('C0PM').length;
    await expect(client.files.uploadV2({ channel_id: 'C0PM', filename: 'x.md', content: 'x' })).rejects.toThrow();
    expect(slack.uploads().at(-1)).toMatchObject({ status: 500, size: 0 });
    expect(slack.state.filesIn('C0PM')).toHaveLength(before);
    expect(slack.calls('files.completeUploadExternal').at(-1)?.args.files).not.toContain(slack.uploads().at(-1)?.fileId);
  });

  it('answers 400 for a multipart body it cannot read', async () => {
    const { upload_url } = await client.files.getUploadURLExternal({ filename: 'g.txt', length: 1 });
    const malformed = await fetch(upload_url ?? '', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: 'nope' });
    expect(malformed.status).toBe(400);
  });
});

describe('errors', () => {
  it('files.getUploadURLExternal: length must be a positive integer, filename is required', async () => {
    const call = (args: Record<string, unknown>) => slackError(client.apiCall('files.getUploadURLExternal', args));
    expect(await call({ filename: 'a.md', length: 'abc' })).toMatchObject({ error: 'invalid_arguments' });
    expect(await call({ filename: 'a.md', length: '2.5' })).toMatchObject({ error: 'invalid_arguments' });
    expect(await call({ filename: 'a.md', length: -3 })).toMatchObject({ error: 'invalid_arguments' });
    expect(await call({ filename: 'a.md', length: 0 })).toMatchObject({ error: 'missing_argument' });
    expect(await call({ length: 3 })).toMatchObject({
      error: 'invalid_arguments', response_metadata: { messages: ['[ERROR] missing required field: filename'] },
    });
    expect(await call({ filename: 'a.md', length: 3, alt_txt: 'x'.repeat(1001) })).toMatchObject({ error: 'alt_txt_too_large' });
  });

  it('files.completeUploadExternal: bad JSON, unknown, never uploaded or already completed files', async () => {
    const complete = (args: Record<string, unknown>) => slackError(client.apiCall('files.completeUploadExternal', args));
    expect(await complete({ files: '[{"id":' })).toMatchObject({ error: 'invalid_arguments' });
    expect(await complete({ files: '{"id":"F1"}' })).toMatchObject({ error: 'invalid_arguments' });
    expect(await complete({ files: '[{"title":"no id"}]' })).toMatchObject({ error: 'invalid_arguments' });
    expect(await complete({ files: JSON.stringify([{ id: 'F0NOPE' }]) })).toMatchObject({ error: 'file_not_found' });

    const { file_id } = await client.files.getUploadURLExternal({ filename: 'never.md', length: 3 });
    expect(await complete({ files: JSON.stringify([{ id: file_id }]), channel_id: 'C0PM' })).toMatchObject({ error: 'file_not_found' });

    const id = await uploadRaw('once');
    await client.files.completeUploadExternal({ files: [{ id }], channel_id: 'C0PM' });
    expect(await complete({ files: JSON.stringify([{ id }]), channel_id: 'C0PM' })).toMatchObject({ error: 'file_not_found' });
    expect(slack.state.filesIn('C0PM').filter((f) => f.id === id)).toHaveLength(1);
  });

  it('files.completeUploadExternal: the channel is refused as chat.postMessage refuses it, and nothing changes', async () => {
    const id = await uploadRaw('retry me');
    const complete = (channel_id: string) => slackError(client.files.completeUploadExternal({ files: [{ id }], channel_id }));
    expect(await complete('C0NOPE')).toMatchObject({ error: 'channel_not_found' });
    expect(await complete('C0SECRET')).toMatchObject({ error: 'channel_not_found' });
    expect(await complete('C0RANDOM')).toMatchObject({ error: 'not_in_channel' });
    expect(await complete('C0OLD')).toMatchObject({ error: 'is_archived' });
    expect(await complete('U01ALICE')).toMatchObject({ error: 'invalid_arguments' });
    expect(slack.state.file(id)).toBeUndefined();
    expect(slack.state.messages('C0RANDOM')).toEqual([]);

    await client.files.completeUploadExternal({ files: [{ id }], channel_id: 'C0INC1' });
    expect(slack.state.file(id)).toMatchObject({ content: 'retry me', channels: ['C0INC1'] });
  });
});

describe('files.info', () => {
  it('describes the file without its content', async () => {
    const id = await uploadRaw('# INC-9\n', 'INC-9.md');
    await client.files.completeUploadExternal({ files: [{ id, title: 'INC-9' }], channel_id: 'C0PM' });
    const { file } = await client.files.info({ file: id });
    expect(file).toMatchObject({
      id, name: 'INC-9.md', title: 'INC-9', filetype: 'markdown', size: 8, channels: ['C0PM'], user: 'U0KLAXON',
      url_private: expect.stringContaining(id),
    });
    expect(typeof file?.created).toBe('number');
    expect(JSON.stringify(file)).not.toContain('# INC-9');
    expect(file).not.toHaveProperty('content');
  });

  it('is file_not_found for unknown ids, pending uploads and files the caller cannot see', async () => {
    expect(await slackError(client.files.info({ file: 'F0NOPE' }))).toMatchObject({ error: 'file_not_found' });
    const pending = await uploadRaw('pending');
    expect(await slackError(client.files.info({ file: pending }))).toMatchObject({ error: 'file_not_found' });
    const hidden = slack.state.uploadFileAsUser('C0SECRET', 'U01ALICE', { name: 'secret.txt', content: 's' });
    expect(await slackError(client.files.info({ file: hidden.id }))).toMatchObject({ error: 'file_not_found' });
  });
});

describe('files.delete', () => {
  it('removes the file and the message that shared it', async () => {
    const result = await client.files.uploadV2({ channel_id: 'C0PM', filename: 'INC-3.md', content: 'v1' });
    const id = String(completedFiles(result)[0]?.id);
    const ts = slack.state.messages('C0PM').at(-1)?.ts;
    expect(slack.state.messages('C0PM').at(-1)?.files).toEqual([id]);

    await client.files.delete({ file: id });
    expect(slack.state.file(id)).toMatchObject({ deleted: true, content: 'v1' });
    expect(slack.state.filesIn('C0PM').map((f) => f.id)).not.toContain(id);
    expect(slack.state.messages('C0PM').map((m) => m.ts)).not.toContain(ts);
    expect(await slackError(client.files.info({ file: id }))).toMatchObject({ error: 'file_deleted' });
    expect(await slackError(client.files.delete({ file: id }))).toMatchObject({ error: 'file_deleted' });
  });

  it('keeps a message that has text, without the file', async () => {
    await client.files.uploadV2({ channel_id: 'C0INC2', filename: 'old.md', content: 'old', initial_comment: 'Post-mortem draft' });
    const message = slack.state.messages('C0INC2').at(-1);
    const id = message?.files?.[0] ?? '';
    await client.files.delete({ file: id });
    const kept = slack.state.messages('C0INC2').find((m) => m.ts === message?.ts);
    expect(kept).toMatchObject({ text: 'Post-mortem draft' });
    expect(kept?.files).toBeUndefined();
  });

  it('replaces an old version: the channel lists only the new one, oldest first', async () => {
    const pm = (content: string) => client.files.uploadV2({ channel_id: 'C0INC1', filename: 'INC-1.md', content });
    const before = slack.state.filesIn('C0INC1').map((f) => f.id);
    await pm('v2');
    await pm('v3');
    const [v2, v3] = slack.state.filesIn('C0INC1').filter((f) => !before.includes(f.id));
    expect([v2?.content, v3?.content]).toEqual(['v2', 'v3']);
    await client.files.delete({ file: v2?.id ?? '' });
    expect(slack.state.filesIn('C0INC1').filter((f) => !before.includes(f.id)).map((f) => f.content)).toEqual(['v3']);
  });

  it('is file_not_found for unknown ids and cant_delete_file for a file someone else uploaded', async () => {
    expect(await slackError(client.files.delete({ file: 'F0NOPE' }))).toMatchObject({ error: 'file_not_found' });
    const theirs = slack.state.uploadFileAsUser('C0INC1', 'U01ALICE', { name: 'notes.txt', content: 'mine' });
    expect(await slackError(client.files.delete({ file: theirs.id }))).toMatchObject({ error: 'cant_delete_file' });
    expect(slack.state.file(theirs.id)?.deleted).toBe(false);
  });
});
