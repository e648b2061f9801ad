/**
 * Uploading a file to a channel the way Slack asks for it now (files.uploadV2's three steps): ask for an upload
 * URL, send the bytes there, then complete the upload, which shares the file in the channel.
 */
import { findRecentMessage, type Outbox } from './outbox.ts';
import { SlackCallError, type SlackGateway } from './slack-gateway.ts';

export interface Upload {
  channel: string;
  filename: string;
  title: string;
  /** Text (sent as UTF-8) or the file's bytes (an image). */
  content: string | Uint8Array;
  /** For images: what screen readers say instead (Slack's alt_txt, at most 1000 characters). */
  altText?: string;
  /** The message that goes with the file. */
  comment: string;
}

/** Uploads and shares the file once, for an answer nobody retries (the stats chart); returns its id. */
export async function uploadFile(slack: SlackGateway, upload: Upload): Promise<string> {
  const bytes = bytesOf(upload);
  const ticket = await slack.call('files.getUploadURLExternal', ticketArgs(upload, bytes));
  const fileId = String(ticket.file_id);
  await postBytes(String(ticket.upload_url), bytes);
  await slack.call('files.completeUploadExternal', completeArgs(upload, fileId));
  return fileId;
}

/**
 * Uploads and shares the file as durable steps under `key`: run again after a failure, a timeout or a crash, it
 * repeats only what did not happen, and a share whose answer was lost is found in the channel, not made twice.
 */
export async function uploadFileOnce(outbox: Outbox, slack: SlackGateway, key: string, upload: Upload): Promise<string> {
  const bytes = bytesOf(upload);
  const ticket = await outbox.send(`${key}:ticket`, 'files.getUploadURLExternal', ticketArgs(upload, bytes), { pick: (r) => ({ fileId: String(r.file_id), uploadUrl: String(r.upload_url) }) });
  const fileId = String(ticket.fileId);
  await outbox.perform(`${key}:bytes`, 'upload to Slack', async () => {
    await postBytes(String(ticket.uploadUrl), bytes);
    return {};
  });
  await outbox.send(`${key}:share`, 'files.completeUploadExternal', completeArgs(upload, fileId), {
    recover: () => findRecentMessage(slack, upload.channel, (m) => m.files?.some((f) => f.id === fileId) === true),
  });
  return fileId;
}

function bytesOf(upload: Upload): Uint8Array {
  return typeof upload.content === 'string' ? Buffer.from(upload.content, 'utf8') : upload.content;
}

function ticketArgs(upload: Upload, bytes: Uint8Array): Record<string, unknown> {
  return { filename: upload.filename, length: bytes.length, ...(upload.altText ? { alt_txt: upload.altText } : {}) };
}

function completeArgs(upload: Upload, fileId: string): Record<string, unknown> {
  return { files: JSON.stringify([{ id: fileId, title: upload.title }]), channel_id: upload.channel, initial_comment: upload.comment };
}

async function postBytes(url: string, bytes: Uint8Array): Promise<void> {
  const response = await fetch(url, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' }, signal: AbortSignal.timeout(30_000) });
  await response.body?.cancel();
  if (!response.ok) throw new SlackCallError('upload to Slack', response.status >= 500 ? 'upload_failed' : `upload_refused_${response.status}`, response.status >= 500);
}
