/**
 * Upload URLs (`POST /upload/<file_id>`), as files.getUploadURLExternal hands them out. Slack takes the bytes raw
 * or multipart-encoded and answers HTTP 200 `OK - <bytes>`; anything else is a failure. Like Slack's pre-signed
 * URLs, no token is needed. The bytes go on the pending file; posting again before completion replaces them. A
 * file id that is unknown, already completed or deleted is 404.
 *
 * @slack/web-api 8.x (files.uploadV2) posts multipart/form-data with one file part named `body` (filename
 * `Untitled`); curl as in Slack's docs (`-F filename=@text.txt`) sends a part named `filename`. The part taken is
 * the first one carrying a filename, else one named `file`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRawBody, sendText } from './http-util.ts';
import type { Workspace } from './state.ts';
import type { RecordedUpload } from './types.ts';

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

interface Answer {
  status: number;
  text: string;
  stored?: { data: Buffer; field?: string; filename?: string };
}

export class FileUploads {
  readonly records: RecordedUpload[] = [];
  /** HTTP statuses to answer the next upload POSTs with, without storing their bytes (failNextUpload). */
  private readonly faults: number[] = [];

  constructor(
    private readonly ws: Workspace,
    private readonly baseUrl: () => string,
  ) {}

  failNext(status: number, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(status);
  }

  /** The upload URL of a file. */
  urlFor(fileId: string): string {
    return `${this.baseUrl()}/upload/${fileId}`;
  }

  async handle(req: IncomingMessage, res: ServerResponse, fileId: string): Promise<void> {
    const at = Date.now();
    const body = await readRawBody(req);
    const contentType = req.headers['content-type'];
    const answer = this.answer(req.method ?? 'GET', fileId, contentType, body);
    const record: RecordedUpload = { fileId, at, status: answer.status, contentType, size: answer.stored?.data.length ?? 0 };
    if (answer.stored?.field !== undefined) record.field = answer.stored.field;
    if (answer.stored?.filename !== undefined) record.filename = answer.stored.filename;
    this.records.push(record);
    sendText(res, answer.status, answer.text);
  }

  private answer(method: string, fileId: string, contentType: string | undefined, body: Buffer): Answer {
    if (method !== 'POST') return { status: 405, text: 'Method Not Allowed' };
    const fault = this.faults.shift();
    if (fault !== undefined) return { status: fault, text: `Error: the fake was asked to answer ${fault}` };
    const file = this.ws.storedFile(fileId);
    if (!file || file.completed || file.deleted) return { status: 404, text: 'Not Found' };
    let stored: NonNullable<Answer['stored']> = { data: body };
    if (mediaType(contentType) === 'multipart/form-data') {
      const parts = parseMultipart(body, contentType ?? '');
      if (!parts) return { status: 400, text: 'Bad Request: malformed multipart body' };
      const part = parts.find((p) => p.filename !== undefined) ?? parts.find((p) => p.name === 'file');
      if (!part) return { status: 400, text: 'Bad Request: no file in the form' };
      stored = { data: part.data, field: part.name, ...(part.filename !== undefined ? { filename: part.filename } : {}) };
    }
    file.bytes = stored.data;
    return { status: 200, text: `OK - ${stored.data.length}`, stored };
  }
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The parts of a multipart/form-data body (RFC 7578); undefined when it does not parse. */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] | undefined {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) return undefined;
  const parts: FormPart[] = [];
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') return parts;
    if (body.subarray(pos, pos + 2).toString('latin1') !== '\r\n') return undefined;
    const headerEnd = body.indexOf('\r\n\r\n', pos + 2);
    if (headerEnd < 0) return undefined;
    const end = body.indexOf(nextDelimiter, headerEnd + 4);
    if (end < 0) return undefined;
    const part = partOf(body.subarray(pos + 2, headerEnd).toString('utf8'), body.subarray(headerEnd + 4, end));
    if (!part) return undefined;
    parts.push(part);
    pos = end + 2;
  }
}

function partOf(headerText: string, data: Buffer): FormPart | undefined {
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get('content-disposition') ?? '';
  const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
  if (!/^form-data\b/i.test(disposition) || name === undefined) return undefined;
  const filename = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
  const contentType = headers.get('content-type');
  return { name, data: Buffer.from(data), ...(filename !== undefined ? { filename } : {}), ...(contentType !== undefined ? { contentType } : {}) };
}
