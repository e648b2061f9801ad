import { fail, invalidArguments, ok, str, type MethodDef } from './common.ts';

/** Slack: "Description for the image is longer than the limit of 1000 character". */
export const ALT_TXT_MAX = 1000;
/** Slack: snippets "are limited to 1MB". */
export const SNIPPET_MAX_BYTES = 1024 * 1024;

/**
 * files.getUploadURLExternal: announces a file (`filename`, `length` in bytes) and answers the URL to post its bytes
 * to, on the fake's own server, and the file id. `length` must be an integer; 0 is Slack's `missing_argument`
 * ("Typically only occurs when the length provided is 0"), a negative one `invalid_arguments`.
 * `alt_txt` is Slack's name; @slack/web-api sends `alt_text`, which is read when `alt_txt` is absent.
 */
export const filesGetUploadURLExternal: MethodDef = {
  name: 'files.getUploadURLExternal',
  scopes: ['files:write'],
  required: ['filename', 'length'],
  handle: (ctx) => {
    const { args } = ctx;
    const filename = str(args, 'filename') ?? '';
    if (filename.trim() === '') return invalidArguments(['filename must not be empty [json-pointer:/filename]']);
    const length = strictInt(args.length);
    if (length === undefined) return invalidArguments(['length must be an integer [json-pointer:/length]']);
    if (length === 0) return fail('missing_argument');
    if (length < 0) return invalidArguments(['length must be a positive integer [json-pointer:/length]']);
    const altTxt = str(args, 'alt_txt') ?? str(args, 'alt_text');
    if (altTxt !== undefined && altTxt.length > ALT_TXT_MAX) return fail('alt_txt_too_large');
    const snippetType = str(args, 'snippet_type') || undefined;
    if (snippetType !== undefined && length > SNIPPET_MAX_BYTES) return fail('snippet_too_large');
    const file = ctx.ws.createUpload({
      name: filename,
      length,
      user: ctx.token.userId,
      ...(snippetType !== undefined ? { snippet_type: snippetType } : {}),
      ...(altTxt !== undefined ? { alt_txt: altTxt } : {}),
    });
    return ok({ upload_url: ctx.services.uploadUrl(file.id), file_id: file.id });
  },
};

/** An integer given as a JSON number or as decimal digits; undefined for anything else ("12.5", "1e3", "abc"). */
function strictInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}
