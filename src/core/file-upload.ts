/**
 * Uploading a file to a channel the way Slack asks for it now (files.uploadV2's three steps): ask for an upload
 * URL, send the bytes there, then complete the upload, which shares the file in the channel.
 */
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

/** Uploads and shares the file; returns its id. */
export async function uploadFile(slack: SlackGateway, upload: Upload): Promise<string> {
  const bytes = typeof upload.content === 'string' ? Buffer.from(upload.content, 'utf8') : upload.content;
  const target = await slack.call('files.getUploadURLExternal', { filename: upload.filename, length: bytes.length, ...(upload.altText ? { alt_txt: upload.altText } : {}) });
  const url = String(target.upload_url);
  const fileId = String(target.file_id);
  const response = await fetch(url, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' }, signal: AbortSignal.timeout(30_000) });
  await response.body?.cancel();
  if (!response.ok) throw new SlackCallError('upload to Slack', response.status >= 500 ? 'upload_failed' : `upload_refused_${response.status}`, response.status >= 500);
  await slack.call('files.completeUploadExternal', { files: JSON.stringify([{ id: fileId, title: upload.title }]), channel_id: upload.channel, initial_comment: upload.comment });
  return fileId;
}
