import { fileObject } from '../objects.ts';
import { ok, type MethodDef } from './common.ts';
import { isFile, visibleFile } from './files-common.ts';

/**
 * files.info: a completed file the caller can see, in Slack's file shape. The content is not in the answer (Slack
 * gives `url_private`); tests read it with `slack.state.file(id)`.
 */
export const filesInfo: MethodDef = {
  name: 'files.info',
  scopes: ['files:read'],
  required: ['file'],
  handle: (ctx) => {
    const file = visibleFile(ctx);
    if (!isFile(file)) return file;
    return ok({ file: fileObject(ctx.ws, file), comments: [], response_metadata: { next_cursor: '' } });
  },
};
